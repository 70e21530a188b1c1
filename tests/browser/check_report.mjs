// check_report.mjs REPORT.html SCREENSHOT.png PROFILE_DIR EXPECT...
//
// Opens marsad's HTML report in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) and prints TAP lines:
// the page loads with no console error, no page error and no request
// leaving the file; it is Arabic and right to left; a claims row marked as
// a conflict is visible and holds every EXPECT string; every in-page link
// has its target; a full-page screenshot is written.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { ok, failures } from './tap.mjs';

const [report, shot, profile, ...expect] = process.argv.slice(2);

const exe = process.env.CHROMIUM || '/usr/bin/chromium';
const context = await chromium.launchPersistentContext(profile, {
  executablePath: exe,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
         '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});
try {
  const page = context.pages()[0] || await context.newPage();
  const errors = [];
  const outside = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  page.on('request', r => { if (!r.url().startsWith('file:')) outside.push(r.url()); });
  const url = pathToFileURL(report).href;
  const resp = await page.goto(url, { waitUntil: 'load' });
  ok(resp === null || resp.ok(), 'the report loads');
  ok(errors.length === 0, 'no console or page errors', errors.join('\n'));
  ok(outside.length === 0, 'no request leaves the file', outside.join('\n'));
  const html = page.locator('html');
  ok(await html.getAttribute('dir') === 'rtl' && await html.getAttribute('lang') === 'ar',
     'html is lang="ar" dir="rtl"');
  ok(await page.locator('script').count() === 0, 'no script element');

  const rows = page.locator('tr.conflict');
  const count = await rows.count();
  let found = -1;
  for (let i = 0; i < count && found < 0; i++) {
    const t = await rows.nth(i).innerText();
    if (expect.every(e => t.includes(e))) found = i;
  }
  ok(found >= 0, `a conflict row holds ${expect.join(' / ')}`,
     `${count} conflict rows`);
  if (found >= 0) {
    const row = rows.nth(found);
    await row.scrollIntoViewIfNeeded();
    ok(await row.isVisible(), 'the conflict row is visible');
    const bg = await row.locator('td').first().evaluate(
      td => getComputedStyle(td).backgroundColor);
    ok(bg !== 'rgba(0, 0, 0, 0)' && bg !== 'rgb(255, 255, 255)',
       'the conflict row is highlighted', bg);
    // its first value links to a sentence that exists and holds the figure
    const a = row.locator('ul.values a').first();
    const href = await a.getAttribute('href');
    const fig = (await a.innerText()).trim();
    const target = page.locator(`[id="${href.slice(1)}"]`);
    ok(await target.count() === 1 && (await target.innerText()).includes(fig),
       'the figure links to its sentence', href);
    await a.click();
    ok(await target.isVisible(), 'following the link shows the sentence');
  }
  const missing = await page.evaluate(() => {
    const bad = [];
    for (const a of document.querySelectorAll('a[href^="#"]'))
      if (!document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1))))
        bad.push(a.getAttribute('href'));
    return bad;
  });
  ok(missing.length === 0, 'every in-page link has its target', missing.slice(0, 5).join(' '));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot, fullPage: false });
  ok(true, `screenshot written to ${shot}`);
} catch (e) {
  ok(false, 'the browser run', e && e.stack);
} finally {
  await context.close();
}
process.exit(failures() ? 1 : 0);
