// check_dashboard.mjs BASE_URL SHOT_DIR PROFILE_DIR HOSTILE_WORD
//
// Drives marsad's dashboard (served by `marsad serve` at BASE_URL) in
// headless Chromium (Debian's /usr/bin/chromium, via playwright-core) and
// prints TAP lines: the stories page lists a story with a conflict badge;
// search -> a hit's story -> a claim's value -> its sentence highlighted in
// the report; the toll's course and the volume charts are drawn; the page
// is usable at 1400 and 390 px; no console error, no page error, no request
// to another origin; reports written to attack the page (HOSTILE_WORD finds
// them) render inert. Screenshots go to SHOT_DIR/dashboard-*.png.
import { chromium } from 'playwright-core';

const [base, shots, profile, hostile] = process.argv.slice(2);
const origin = new URL(base).origin;
let n = 0, fails = 0;
const ok = (cond, what, detail) => {
  n++;
  if (cond) console.log(`ok ${n} - ${what}`);
  else {
    fails++;
    console.log(`not ok ${n} - ${what}`);
    if (detail) console.log(`#   ${String(detail).split('\n').join('\n#   ')}`);
  }
};

const exe = process.env.CHROMIUM || '/usr/bin/chromium';
const context = await chromium.launchPersistentContext(profile, {
  executablePath: exe,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
         '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 900 },
});
const errors = [], outside = [], dialogs = [];
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  page.on('dialog', d => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('request', r => {
    const u = r.url();
    if (!u.startsWith('data:') && new URL(u).origin !== origin) outside.push(u);
  });
  // goes to a hash route and waits for the view to finish rendering (the
  // page counts its renders in body[data-ready]; waitForFunction would need
  // eval, which the page's CSP forbids)
  const view = async (hash) => {
    const before = Number(await page.evaluate(() => document.body && document.body.dataset.ready || 0));
    if (page.url().startsWith(origin)) await page.evaluate(h => { location.hash = h; }, hash);
    else await page.goto(base + hash, { waitUntil: 'load' });
    await page.waitForSelector(`body[data-ready="${page.url().startsWith(origin) && before ? before + 1 : 1}"]`,
      { state: 'attached', timeout: 20000 });
  };
  const until = (view) => page.waitForSelector(`body[data-view="${view}"]`, { state: 'attached', timeout: 20000 });
  const shot = async (name) => {
    await page.screenshot({ path: `${shots}/dashboard-${name}.png`, fullPage: false });
  };
  const chartDrawn = (id) => page.evaluate((id) => {
    const c = document.getElementById(id);
    if (!c || typeof Chart === 'undefined') return 'no canvas or no Chart';
    const ch = Chart.getChart(c);
    if (!ch) return 'no chart on the canvas';
    const pts = ch.data.datasets.reduce((s, d) => s + d.data.filter(v => v != null).length, 0);
    if (!pts) return 'no data points';
    const g = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 3; i < g.length; i += 4) if (g[i] > 0) ink++;
    return ink > 500 ? 'drawn' : `only ${ink} pixels drawn`;
  }, id);

  // ---- stories
  await view('#/stories');
  const html = page.locator('html');
  ok(await html.getAttribute('dir') === 'rtl' && await html.getAttribute('lang') === 'ar',
     'html is lang="ar" dir="rtl"');
  ok(await page.locator('li.story').count() > 0, 'the stories page lists stories');
  ok(await page.locator('li.story .badge.conflict').first().isVisible(),
     'a story with conflicting figures carries a visible badge');
  await shot('stories-1400');

  // ---- search -> story
  await page.fill('#q', 'شبرا');
  await page.press('#q', 'Enter');
  await page.waitForSelector('body[data-view="search"] li.hit', { timeout: 20000 });
  ok(await page.locator('li.hit').count() > 0, 'search for شبرا lists hits');
  ok(await page.locator('li.hit mark').count() > 0, 'the snippets mark the matched words');
  ok(await page.locator('.facets li').count() > 0, 'outlet and date facets are shown');
  await page.waitForTimeout(200);
  const vol = await chartDrawn('volume-chart');
  ok(vol === 'drawn', 'the attention-over-time chart is drawn', vol);
  await shot('search-1400');

  await page.locator('li.hit a.story-link').first().click();
  await until('story');
  const conflict = page.locator('tr.claim.conflict');
  ok(await conflict.count() > 0, 'the story page has a claim row in conflict');
  ok(await conflict.first().isVisible(), 'the conflict row is visible');
  const bg = await conflict.first().locator('td').first().evaluate(td => getComputedStyle(td).backgroundColor);
  ok(bg !== 'rgba(0, 0, 0, 0)' && bg !== 'rgb(255, 255, 255)', 'the conflict row is highlighted', bg);
  await page.waitForTimeout(200);
  const toll = await chartDrawn('toll-chart');
  ok(toll === 'drawn', "the toll's course chart is drawn", toll);
  await conflict.first().locator('button.course-btn').click();
  const toll2 = await chartDrawn('toll-chart');
  ok(toll2 === 'drawn', "the conflict's own course is drawn on demand", toll2);
  ok(await page.locator('ol.timeline li').count() > 0, 'the timeline is shown');
  ok(await page.locator('ul.reports li').count() >= 2, "the story's reports are listed");
  ok(await page.locator('ul.copies li, p.note').count() > 0, 'who copied whom is shown');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('story-1400');

  // ---- claim value -> its sentence in the report
  const value = conflict.first().locator('ul.values a.span-link').first();
  const figure = (await value.innerText()).trim();
  await value.click();
  await until('report');
  const target = page.locator('#target');
  ok(await target.count() === 1, 'the report page marks the claimed span');
  const marked = (await page.locator('.target').allInnerTexts()).join('');
  ok(marked === figure, 'the marked span is the value clicked', `${marked} vs ${figure}`);
  ok(await target.isVisible(), 'the marked span is scrolled into view');
  const cited = await page.locator('#cited-sentence').innerText();
  ok(cited.includes(figure) && cited.length > figure.length + 10,
     'its whole sentence is quoted above the text', cited);
  ok(await page.locator('.text .f-figure').count() > 0 && await page.locator('.text .f-entity').count() > 0,
     'figures and entities are highlighted in the text');
  await page.locator('.text .f-date').first().click();
  ok((await page.locator('.fact-panel').innerText()).includes('تاريخ'), 'a date clicked shows its fact');
  await shot('report-1400');

  // ---- 390 px
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [name, hash] of [['stories', '#/stories'], ['search', '#/search?q=' + encodeURIComponent('سيول')]]) {
    await view(hash);
    await page.waitForTimeout(200);
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    ok(w <= 392, `${name} fits 390 px without sideways scrolling`, `scrollWidth ${w}`);
    await shot(`${name}-390`);
  }
  await page.locator('li.hit a.story-link').first().click();
  await until('story');
  await page.waitForTimeout(200);
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  ok(w <= 392, 'the story page fits 390 px', `scrollWidth ${w}`);
  ok(await chartDrawn('toll-chart') === 'drawn', 'the course chart is drawn at 390 px');
  await shot('story-390');
  await page.setViewportSize({ width: 1400, height: 900 });

  // ---- hostile reports render inert
  await view('#/search?q=' + encodeURIComponent(hostile));
  const ids = await page.locator('li.hit a.title').evaluateAll(as => as.map(a => a.getAttribute('href')));
  ok(ids.length >= 4, `the hostile reports are found (${ids.length})`);
  const inert = async (where) => page.evaluate(() => {
    const bad = [];
    const scripts = [...document.scripts].map(s => s.getAttribute('src'));
    if (scripts.length !== 2 || scripts.some(s => !s || !s.startsWith('/static/'))) bad.push('scripts: ' + scripts.join(' '));
    for (const e of document.querySelectorAll('*')) {
      for (const a of e.attributes) {
        if (/^on/i.test(a.name)) bad.push(`${e.tagName} ${a.name}`);
        if ((a.name === 'href' || a.name === 'src') && /^\s*javascript:/i.test(a.value)) bad.push(`${e.tagName} ${a.name}=${a.value}`);
      }
    }
    if (document.querySelector('main img, main iframe, main object, main embed, main svg, main form:not(.filters)')) bad.push('an injected element');
    const t = document.body.innerText;
    if (/[\u202A-\u202E\u2066-\u2069]/.test(t)) bad.push('a bidi control acts in the text');
    return bad;
  });
  let bad = await inert();
  ok(bad.length === 0, 'hostile search results are inert', bad.join('\n'));
  ok((await page.locator('main').innerText()).includes('<script>'), 'a script tag in a title shows as text');
  await shot('hostile-search-1400');
  const titles = await page.locator('li.hit a.title').allInnerTexts();
  ok(titles.every(t => t.length <= 301), 'a 1 MB title is shown clipped', Math.max(...titles.map(t => t.length)));
  for (const href of ids) {
    await view(href);
    bad = await inert();
    ok(bad.length === 0, `report ${href} renders inert`, bad.join('\n'));
    if (await page.locator('.text .bidi').count()) {
      ok(true, `report ${href} shows its bidi controls as marks`);
      const order = await page.locator('.text').innerText();
      ok(/\[U\+202E\]\s*20/.test(order), 'an RLO before 20 cannot turn it into 02', order.slice(0, 200));
      await shot('hostile-report-1400');
    }
    const story = page.locator('.meta a[href^="#/story/"]');
    if (await story.count()) {
      await view(await story.first().getAttribute('href'));
      bad = await inert();
      ok(bad.length === 0, `the story of ${href} renders inert`, bad.join('\n'));
    }
  }
  await view('#/stories');
  bad = await inert();
  ok(bad.length === 0, 'the stories page with hostile stories is inert', bad.join('\n'));

  ok(dialogs.length === 0, 'no script of a report ran (no dialog)', dialogs.join('\n'));
  ok(errors.length === 0, 'no console or page errors', errors.join('\n'));
  ok(outside.length === 0, 'no request leaves the server', outside.join('\n'));
} catch (e) {
  ok(false, 'the browser run', e && e.stack);
} finally {
  await context.close();
}
process.exit(fails ? 1 : 0);
