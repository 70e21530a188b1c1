// check_bidi.mjs REPORT.html PROFILE_DIR
//
// Opens marsad's HTML report of reports that hold bidi controls (U+202E
// and friends) in headless Chromium and prints TAP lines: every run of
// ASCII digits or Latin letters on the page (figures, dates, URLs) is
// rendered left to right in the order it is written, i.e. no report text
// can make "20" read "02" or "evil" read "live"; the controls are shown.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { ok, failures } from './tap.mjs';

const [report, profile] = process.argv.slice(2);

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
         '--disable-background-networking', '--disable-component-update'],
  viewport: { width: 1280, height: 900 },
});
try {
  const page = context.pages()[0] || await context.newPage();
  await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
  const r = await page.evaluate(() => {
    // every run of 2+ ASCII digits or letters in a visible text node: the
    // x of each character's box must grow along the run (left to right)
    const bad = [], seen = [];
    let runs = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const s = t.data;
      for (const m of s.matchAll(/[0-9]{2,}|[A-Za-z]{2,}/g)) {
        const xs = [];
        for (let i = 0; i < m[0].length; i++) {
          range.setStart(t, m.index + i);
          range.setEnd(t, m.index + i + 1);
          const b = range.getBoundingClientRect();
          if (b.width === 0) { xs.length = 0; break; } // not rendered
          xs.push(b.left);
        }
        if (xs.length < 2) continue;
        runs++;
        // a run broken over two lines is not checked across the break
        let order = true;
        for (let i = 1; i < xs.length; i++) {
          range.setStart(t, m.index + i - 1);
          range.setEnd(t, m.index + i);
          const a = range.getBoundingClientRect();
          range.setStart(t, m.index + i);
          range.setEnd(t, m.index + i + 1);
          const b = range.getBoundingClientRect();
          if (Math.abs(a.top - b.top) < 2 && !(b.left > a.left)) order = false;
        }
        if (!order) bad.push(m[0]);
        if (seen.length < 400) seen.push(m[0]);
      }
    }
    const shown = document.body.innerText.includes('<U+202E>');
    const raw = /[\u202A-\u202E\u2066-\u2069]/.test(document.body.innerText);
    return { runs, bad, seen, shown, raw };
  });
  ok(r.runs > 0, `runs of digits and letters found (${r.runs})`);
  ok(r.bad.length === 0, 'every figure, date and Latin word reads left to right as written',
     r.bad.slice(0, 20).join(' '));
  for (const want of ['20', '1500', 'evil'])
    ok(r.seen.includes(want), `"${want}" is on the page, rendered`);
  ok(r.shown, 'a bidi control is shown as <U+202E>');
  ok(!r.raw, 'no bidi control is left in the page text');
} finally {
  await context.close();
}
process.exit(failures() ? 1 : 0);
