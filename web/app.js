// app.js: marsad's dashboard. A hash router over the JSON API of
// `marsad serve` (docs/http-api.md). Every string from the store is put in
// the page as text (never as HTML), with bidi controls shown as marks
// instead of obeyed; links are built only from ids (internal) or http(s)
// URLs. Charts are Chart.js, served by marsad itself.
'use strict';

(function () {
  const main = document.getElementById('main');
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const charts = [];
  let renders = 0; // views rendered, in body[data-ready] (for tests)

  // ------------------------------------------------------------ words
  const EVENTS = {
    killed: 'قتلى', injured: 'جرحى', casualties: 'ضحايا (قتلى وجرحى)',
    displaced: 'نازحون', fled: 'فارّون', evacuated: 'تم إجلاؤهم',
    besieged: 'محاصرون', arrested: 'معتقلون', released: 'مفرج عنهم',
    missing: 'مفقودون', joined: 'منضمون', affected: 'متضررون',
    rescued: 'تم إنقاذهم', dead: 'قتلى', other: 'أخرى',
  };
  const CATEGORIES = {
    persons: 'أشخاص', civilians: 'مدنيون', children: 'أطفال', women: 'نساء',
    fighters: 'مقاتلون', families: 'أسر', members: 'عناصر',
    countries: 'دول', money: 'مال', percent: 'نسبة مئوية',
    soldiers: 'جنود', migrants: 'مهاجرون', houses: 'منازل',
  };
  const VERDICTS = {
    agree: 'متفق', range: 'مدى', update: 'تحديث', conflict: 'تعارض',
    single: 'مصدر واحد',
  };
  const QUALIFIERS = {
    exact: '', approx: 'نحو', more_than: 'أكثر من', at_least: 'على الأقل',
    less_than: 'أقل من', up_to: 'حتى', range: 'بين', multiple: 'أضعاف',
  };
  const KINDS = {
    figure: 'رقم', source: 'مصدر', date: 'تاريخ', entity: 'كيان',
    quote: 'اقتباس',
  };
  const FIELDS = {
    value: 'القيمة', qualifier: 'الصيغة', counted: 'المعدود', category: 'الفئة',
    side: 'الطرف', event: 'الحدث', part_of: 'جزء من', source: 'المصدر',
    source_via: 'نقلا عن', when: 'الزمن', kind: 'النوع', calendar: 'التقويم',
    month_system: 'أسماء الأشهر', relative: 'نسبي', vague: 'مبهم',
    canonical: 'الاسم الموحد', speaker: 'المتحدث', cue: 'صيغة الإسناد',
    covers: 'يشمل', via: 'عبر', scope: 'النطاق', entity: 'الكيان',
  };
  const word = (map, k) => (k == null ? '' : (map[k] || String(k)));

  // ------------------------------------------------------------ DOM
  const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

  // Text from the store as nodes: bidi controls become visible marks.
  function txt(s) {
    const f = document.createDocumentFragment();
    s = s == null ? '' : String(s);
    let run = '';
    for (const ch of s) {
      if (BIDI.test(ch)) {
        if (run) f.appendChild(document.createTextNode(run));
        run = '';
        const m = document.createElement('span');
        m.className = 'bidi';
        const code = 'U+' + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
        m.title = 'محرف تحكم في الاتجاه ' + code;
        m.textContent = '[' + code + ']';
        f.appendChild(m);
      } else run += ch;
    }
    if (run) f.appendChild(document.createTextNode(run));
    return f;
  }

  // el('tag.class', {attr}, children...): strings become text.
  function el(spec, attrs, ...kids) {
    const [tag, ...cls] = spec.split('.');
    const e = document.createElement(tag || 'div');
    if (cls.length) e.className = cls.join(' ');
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'href') e.setAttribute('href', safeHref(v));
      else if (k === 'text') e.appendChild(txt(v));
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const k of kids.flat()) {
      if (k == null || k === false) continue;
      e.appendChild(typeof k === 'string' || typeof k === 'number' ? txt(k) : k);
    }
    return e;
  }

  // Internal links (#/...) or http(s) only.
  function safeHref(v) {
    v = String(v);
    if (v.startsWith('#/')) return v;
    if (/^https?:\/\/[^\s]+$/i.test(v)) return v;
    return '#/';
  }

  const clip = (s, n) => {
    s = s == null ? '' : String(s);
    return s.length > n ? s.slice(0, n) + '…' : s;
  };
  const num = (v) => (v == null ? '' : Number(v).toLocaleString('ar-EG-u-nu-latn'));
  const q = (o) => Object.entries(o).filter(([, v]) => v != null && v !== '')
    .map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&');

  function clear() {
    while (charts.length) charts.pop().destroy();
    main.replaceChildren();
  }

  async function api(path) {
    const r = await fetch(path, { headers: { Accept: 'application/json' } });
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) {
      const msg = body && body.error ? body.error.message : r.statusText;
      const err = new Error(msg);
      err.status = r.status;
      throw err;
    }
    return body;
  }

  function showError(e) {
    const what = e.status === 404 ? 'غير موجود' : e.status === 400 ? 'طلب غير صالح'
      : e.status === 503 ? 'استغرق الطلب وقتا طويلا أو المخزن غير متاح' : 'تعذر التحميل';
    main.appendChild(el('p.error', { role: 'alert' }, what + ': ', el('bdi', { dir: 'ltr' }, e.message || '')));
  }

  // ------------------------------------------------------------ charts
  const PALETTE = ['#1f6f8b', '#c0392b', '#7d3c98', '#d68910', '#1e8449',
    '#2e4053', '#b03a2e', '#117a65', '#6c3483', '#a04000'];

  function chart(canvas, config) {
    if (typeof Chart === 'undefined') {
      canvas.replaceWith(el('p.note', {}, 'مكتبة الرسوم غير متاحة'));
      return null;
    }
    config.options = Object.assign({
      responsive: true, maintainAspectRatio: false, animation: false,
      locale: 'ar-EG-u-nu-latn',
    }, config.options || {});
    const c = new Chart(canvas, config);
    charts.push(c);
    return c;
  }

  // ------------------------------------------------------------ stories
  function storyCard(s) {
    return el('li.story' + (s.conflicts > 0 ? '.has-conflict' : ''), {},
      el('a.title', { href: '#/story/' + encodeURIComponent(s.id) }, clip(s.title || '(بلا عنوان)', 300)),
      s.conflicts > 0 ? el('span.badge.conflict', { title: 'أرقام لا تتفق' }, 'تعارض ' + num(s.conflicts)) : null,
      el('div.meta', {},
        el('span', {}, num(s.reports) + ' تقارير'),
        el('span', {}, num(s.claims) + ' أرقام'),
        el('span', {}, el('bdi', {}, s.first_seen || '؟'), ' ← ', el('bdi', {}, s.last_seen || '؟'))),
      el('div.outlets', {}, (s.outlets || []).slice(0, 8).map((o) => el('span.outlet', {}, el('bdi', {}, clip(o, 80))))));
  }

  async function viewStories(params) {
    clear();
    main.appendChild(el('h1', {}, 'القصص'));
    const filters = el('form.filters', {},
      el('label', {}, 'تقارير على الأقل ',
        el('input', { type: 'number', name: 'min_reports', min: '1', value: params.get('min_reports') || '' })),
      el('label', {}, 'منذ ', el('input', { type: 'text', name: 'since', placeholder: 'YYYY-MM-DD', value: params.get('since') || '', dir: 'ltr' })),
      el('button', { type: 'submit' }, 'تصفية'));
    filters.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const d = new FormData(filters);
      location.hash = '#/stories?' + q({ min_reports: d.get('min_reports'), since: d.get('since') });
    });
    main.appendChild(filters);
    const list = el('ol.stories');
    main.appendChild(list);
    const more = el('button.more', { type: 'button', hidden: 'hidden' }, 'المزيد');
    main.appendChild(more);
    let cursor = null;
    async function page() {
      const d = await api('/api/stories?' + q({ limit: 50, cursor, min_reports: params.get('min_reports'), since: params.get('since') }));
      for (const s of d.stories) list.appendChild(storyCard(s));
      if (!d.stories.length && !cursor) list.replaceWith(el('p.note', {}, 'لا قصص بعد: شغّل marsad analyze'));
      cursor = d.next_cursor;
      more.hidden = !cursor;
    }
    more.addEventListener('click', () => page().catch(showError));
    await page();
  }

  // ------------------------------------------------------------ search
  function snippet(s, marks) {
    const b = enc.encode(s || '');
    const out = el('p.snippet');
    let at = 0;
    for (const [a, z] of (marks || [])) {
      if (a < at || z > b.length) continue;
      out.appendChild(txt(dec.decode(b.subarray(at, a))));
      out.appendChild(el('mark', {}, dec.decode(b.subarray(a, z))));
      at = z;
    }
    out.appendChild(txt(dec.decode(b.subarray(at))));
    return out;
  }

  async function viewSearch(params) {
    clear();
    const query = params.get('q') || '';
    document.getElementById('q').value = query;
    main.appendChild(el('h1', {}, query ? 'نتائج البحث' : 'البحث'));
    if (!query) {
      main.appendChild(el('p.note', {}, 'اكتب كلمات في مربع البحث أعلاه. "عبارة" بين علامتي تنصيص، -كلمة للاستبعاد، OR بين بديلين، بادئة*.'));
      return;
    }
    const filt = { outlet: params.get('outlet'), since: params.get('since'), until: params.get('until') };
    const layout = el('div.search-layout');
    const facets = el('aside.facets', { 'aria-label': 'تصفية' });
    const results = el('section.results');
    layout.append(facets, results);
    const chartBox = el('div.chart-box.volume', {}, el('canvas', { id: 'volume-chart', 'aria-label': 'عدد التقارير المطابقة في اليوم' }));
    main.append(el('h2', {}, 'الاهتمام عبر الزمن'), chartBox, layout);

    const [hits, days, outlets] = await Promise.all([
      api('/api/search?' + q(Object.assign({ q: query, limit: 20 }, filt))),
      api('/api/volume?' + q({ q: query, by: 'day', outlet: filt.outlet })),
      api('/api/volume?' + q({ q: query, by: 'outlet', since: filt.since, until: filt.until })),
    ]);

    // facets: outlets, then months
    const link = (extra) => '#/search?' + q(Object.assign({ q: query }, filt, extra));
    facets.appendChild(el('h3', {}, 'المنبر'));
    if (filt.outlet) facets.appendChild(el('a.clear', { href: link({ outlet: null }) }, 'كل المنابر'));
    facets.appendChild(el('ul', {}, outlets.buckets.slice(0, 30).map((b) =>
      el('li', {}, el('a', { href: link({ outlet: b.key }) }, el('bdi', {}, clip(b.key || 'غير معروف', 60))), ' ', el('span.count', {}, num(b.matches))))));
    const months = new Map();
    for (const b of days.buckets) {
      const m = b.key ? b.key.slice(0, 7) : null;
      if (m) months.set(m, (months.get(m) || 0) + b.matches);
    }
    facets.appendChild(el('h3', {}, 'الشهر'));
    if (filt.since || filt.until) facets.appendChild(el('a.clear', { href: link({ since: null, until: null }) }, 'كل التواريخ'));
    facets.appendChild(el('ul', {}, [...months].map(([m, n]) =>
      el('li', {}, el('a', { href: link({ since: m, until: m }) }, el('bdi', {}, m)), ' ', el('span.count', {}, num(n))))));

    // chart: matches per day and the share of the day's reports
    const dated = days.buckets.filter((b) => b.key);
    if (!dated.length) chartBox.replaceChildren(el('p.note', {}, 'لا تواريخ نشر للتقارير المطابقة'));
    else chart(chartBox.querySelector('canvas'), {
      type: 'bar',
      data: {
        labels: dated.map((b) => b.key),
        datasets: [
          { label: 'تقارير مطابقة', data: dated.map((b) => b.matches), backgroundColor: '#1f6f8b', yAxisID: 'y' },
          { label: 'حصتها من تقارير اليوم', type: 'line', data: dated.map((b) => b.share), borderColor: '#c0392b', backgroundColor: '#c0392b', yAxisID: 'y1' },
        ],
      },
      options: {
        plugins: { legend: { rtl: true } },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 }, position: 'right' },
          y1: { beginAtZero: true, max: 1, position: 'left', grid: { drawOnChartArea: false } },
        },
      },
    });

    results.appendChild(el('p.count', {}, hits.hits.length ? '' : 'لا نتائج'));
    const list = el('ol.hits');
    results.appendChild(list);
    const more = el('button.more', { type: 'button', hidden: 'hidden' }, 'المزيد');
    results.appendChild(more);
    let cursor = hits.next_cursor;
    const add = (d) => {
      for (const h of d.hits) {
        list.appendChild(el('li.hit', {},
          el('a.title', { href: '#/report/' + encodeURIComponent(h.id) }, clip(h.title || '(بلا عنوان)', 300)),
          el('div.meta', {}, el('bdi.outlet', {}, clip(h.outlet || '', 80)), ' · ', el('bdi', {}, h.published || '؟'),
            ' · ', el('a.story-link', { href: '#/story/' + encodeURIComponent(h.id) }, 'القصة')),
          snippet(h.snippet, h.marks)));
      }
      cursor = d.next_cursor;
      more.hidden = !cursor;
    };
    add(hits);
    more.addEventListener('click', () =>
      api('/api/search?' + q(Object.assign({ q: query, limit: 20, cursor }, filt))).then(add).catch(showError));
  }

  // ------------------------------------------------------------ story
  function valueText(v) {
    if (!v || !v.value) return v && v.text ? v.text : '';
    const { min, max } = v.value;
    const qual = word(QUALIFIERS, v.qualifier);
    if (min != null && max != null && min !== max) return num(min) + '–' + num(max);
    return (qual ? qual + ' ' : '') + num(min != null ? min : max);
  }

  function spanLink(report, start, end, label) {
    return el('a.span-link', { href: '#/report/' + encodeURIComponent(report) + '?' + q({ s: start, e: end }) }, label);
  }

  function claimRows(claims, reports, onCourse) {
    const table = el('table.claims');
    table.appendChild(el('thead', {}, el('tr', {},
      ['الرقم', 'الحكم', 'المدى', 'القيم ومصادرها', 'المسار'].map((h) => el('th', { scope: 'col' }, h)))));
    const body = el('tbody');
    claims.forEach((c, i) => {
      const what = [word(EVENTS, c.event), word(CATEGORIES, c.category)].filter(Boolean).join(' · ');
      const values = el('ul.values');
      for (const v of (c.values || [])) {
        if (v.repeat || v.copy_of) continue; // a copy repeats its report's value
        const meta = reports.get(v.report) || {};
        values.appendChild(el('li', {},
          spanLink(v.report, v.start, v.end, el('bdi.value', {}, clip(v.text || valueText(v), 200))),
          ' ', el('span.src', {}, el('bdi', {}, clip(v.source || meta.outlet || '', 100))),
          ' ', el('span.when', {}, el('bdi', {}, String(v.published || meta.published || '').slice(0, 10)))));
      }
      const range = c.range ? [c.range.min, c.range.max] : [];
      const verdict = c.verdict || '';
      body.appendChild(el('tr.claim.' + (verdict.replace(/[^a-z_]/g, '') || 'none'), {},
        el('td', { 'data-label': 'الرقم' }, el('strong', {}, what || '—'),
          c.side ? el('div.side', {}, el('bdi', {}, clip(c.side, 120))) : null,
          c.scope ? el('div.scope', {}, clip(c.scope, 40)) : null,
          c.period ? el('div.period', {}, el('bdi', {}, clip(c.period, 40))) : null,
          c.place ? el('div.place', {}, el('bdi', {}, clip(c.place, 120))) : null),
        el('td', { 'data-label': 'الحكم' }, el('span.badge.' + (verdict.replace(/[^a-z_]/g, '') || 'none'), {}, word(VERDICTS, verdict) || '—'),
          c.reason ? el('div.reason', {}, clip(c.reason, 400)) : null),
        el('td', { 'data-label': 'المدى' }, el('bdi', {}, range[0] == null && range[1] == null ? '—'
          : num(range[0]) + (range[1] === range[0] ? '' : '–' + (range[1] == null ? '…' : num(range[1]))))),
        el('td', { 'data-label': 'القيم' }, values),
        el('td', { 'data-label': 'المسار' }, el('button.course-btn', { type: 'button', onclick: () => onCourse(i) }, 'ارسم'))));
    });
    table.appendChild(body);
    return el('div.table-wrap', {}, table);
  }

  // The toll's course of one claim: value by report time, a line per source.
  function drawCourse(box, claim, reports) {
    while (charts.length) charts.pop().destroy();
    box.replaceChildren();
    const values = claim.values || [];
    let idx = Array.isArray(claim.course) && claim.course.length
      ? claim.course.filter((k) => Number.isInteger(k) && k >= 0 && k < values.length)
      : values.map((_, k) => k).filter((k) => !values[k].repeat && !values[k].copy_of);
    const pts = idx.map((k) => values[k]).map((v) => {
      const meta = reports.get(v.report) || {};
      const when = (v.published || meta.published || '').slice(0, 10);
      const y = v.value ? (v.value.min != null ? v.value.min : v.value.max) : null;
      return { when, y, source: v.source || meta.outlet || 'غير معروف', v };
    }).filter((p) => p.when && typeof p.y === 'number');
    const title = [word(EVENTS, claim.event), word(CATEGORIES, claim.category)].filter(Boolean).join(' · ');
    box.appendChild(el('h3', {}, 'مسار الحصيلة: ', title));
    if (!pts.length) {
      box.appendChild(el('p.note', {}, 'لا قيم مؤرخة لرسمها'));
      return;
    }
    const labels = [...new Set(pts.map((p) => p.when))].sort();
    const sources = [...new Set(pts.map((p) => p.source))];
    const datasets = sources.map((s, i) => ({
      label: clip(s, 60).replace(BIDI, ''),
      data: labels.map((l) => {
        const here = pts.filter((p) => p.source === s && p.when === l);
        return here.length ? Math.max(...here.map((p) => p.y)) : null;
      }),
      borderColor: PALETTE[i % PALETTE.length],
      backgroundColor: PALETTE[i % PALETTE.length],
      spanGaps: true, tension: 0, pointRadius: 4,
    }));
    const canvas = el('canvas', { id: 'toll-chart', 'aria-label': 'مسار الحصيلة حسب المصدر' });
    box.appendChild(el('div.chart-box', {}, canvas));
    chart(canvas, {
      type: 'line',
      data: { labels, datasets },
      options: {
        plugins: { legend: { rtl: true, position: 'bottom' } },
        scales: { y: { beginAtZero: false, ticks: { precision: 0 }, position: 'right' } },
      },
    });
  }

  // Who copied whom: pairs sharing passages, the earlier report first.
  function copies(story, reports) {
    const pairs = new Map();
    for (const p of (story.passages || [])) {
      if (!p || !p.a || !p.b) continue;
      const ra = reports.get(p.a) || { id: p.a };
      const rb = reports.get(p.b) || { id: p.b };
      const [src, dst] = (ra.published || '') <= (rb.published || '') ? [ra, rb] : [rb, ra];
      const key = src.id + '>' + dst.id;
      const e = pairs.get(key) || { src, dst, n: 0, bytes: 0 };
      e.n++;
      e.bytes += Math.max(0, (p.a_end || 0) - (p.a_start || 0));
      pairs.set(key, e);
    }
    if (!pairs.size) return el('p.note', {}, 'لا مقاطع مشتركة بين التقارير');
    return el('ul.copies', {}, [...pairs.values()].map((e) => el('li', {},
      el('a', { href: '#/report/' + encodeURIComponent(e.dst.id) }, el('bdi', {}, clip(e.dst.outlet || e.dst.id, 80))),
      ' (', el('bdi', {}, e.dst.published || '؟'), ') نقل عن ',
      el('a', { href: '#/report/' + encodeURIComponent(e.src.id) }, el('bdi', {}, clip(e.src.outlet || e.src.id, 80))),
      ' (', el('bdi', {}, e.src.published || '؟'), '): ', num(e.n), ' مقاطع مشتركة')));
  }

  async function viewStory(id) {
    clear();
    const d = await api('/api/stories/' + encodeURIComponent(id));
    const s = d.story || {};
    const reports = new Map((d.reports || []).map((r) => [r.id, r]));
    main.appendChild(el('h1', {}, clip(s.title || '(بلا عنوان)', 500)));
    const outlets = [...new Set((d.reports || []).map((r) => r.outlet).filter(Boolean))];
    main.appendChild(el('div.meta', {},
      el('span', {}, num((s.reports || d.reports || []).length) + ' تقارير'),
      el('span', {}, el('bdi', {}, s.first_seen || '؟'), ' ← ', el('bdi', {}, s.last_seen || '؟')),
      el('span', {}, outlets.map((o) => el('span.outlet', {}, el('bdi', {}, clip(o, 80)))))));
    const claims = Array.isArray(s.claims) ? s.claims : [];
    const courseBox = el('section.course');
    main.appendChild(el('h2', {}, 'الأرقام'));
    if (claims.length) {
      main.appendChild(claimRows(claims, reports, (i) => {
        drawCourse(courseBox, claims[i], reports);
        courseBox.scrollIntoView({ block: 'nearest' });
      }));
      main.appendChild(courseBox);
      // the claim told by most reports is drawn first
      let best = 0;
      claims.forEach((c, i) => { if ((c.values || []).length > (claims[best].values || []).length) best = i; });
      drawCourse(courseBox, claims[best], reports);
    } else main.appendChild(el('p.note', {}, 'لا أرقام في هذه القصة'));

    const grid = el('div.story-grid');
    const summary = el('section', {}, el('h2', {}, 'الملخص'),
      el('ol.summary', {}, (s.summary || []).map((x) => el('li', {},
        spanLink(x.report, x.start, x.end, clip(x.text, 1000)), ' ', el('span.src', {}, el('bdi', {}, clip(x.outlet || '', 80)))))));
    const timeline = el('section', {}, el('h2', {}, 'الخط الزمني'),
      el('ol.timeline', {}, (s.timeline || []).map((t) => el('li', {},
        el('bdi.date', {}, t.date || ''), ' ', spanLink(t.report, t.start, t.end, clip(t.sentence || t.text || '', 600))))));
    grid.append(summary, timeline);
    main.appendChild(grid);
    main.appendChild(el('h2', {}, 'التقارير'));
    main.appendChild(el('ul.reports', {}, (d.reports || []).map((r) => el('li', {},
      el('a', { href: '#/report/' + encodeURIComponent(r.id) }, clip(r.title || r.id, 300)),
      ' ', el('span.src', {}, el('bdi', {}, clip(r.outlet || '', 80))), ' ', el('bdi.when', {}, r.published || '')))));
    main.appendChild(el('h2', {}, 'من نقل عن من'));
    main.appendChild(copies(s, reports));
  }

  // ------------------------------------------------------------ report
  // The sentence around bytes [a, z) of b: to the punctuation before and after.
  function sentenceAround(b, a, z) {
    const stop = new Set(['.', '!', '?', '\n'].map((c) => c.charCodeAt(0)));
    let s = a;
    while (s > 0 && !stop.has(b[s - 1]) && !(b[s - 2] === 0xd8 && b[s - 1] === 0x9f)) s--;
    let e = z;
    while (e < b.length && !stop.has(b[e]) && !(b[e] === 0xd8 && b[e + 1] === 0x9f)) e++;
    if (e < b.length) e += b[e] === 0xd8 ? 2 : 1;
    return [s, e];
  }

  function factPanel(panel, fact) {
    panel.replaceChildren();
    panel.appendChild(el('h3', {}, word(KINDS, fact.kind), ': ', el('bdi', {}, clip(fact.text, 300))));
    const dl = el('dl');
    for (const [k, v] of Object.entries(fact.fact || {})) {
      if (k === 'start' || k === 'end' || k === 'text' || v == null) continue;
      dl.append(el('dt', {}, FIELDS[k] || k), el('dd', {}, el('bdi', {}, clip(typeof v === 'object' ? JSON.stringify(v) : String(v), 400))));
    }
    panel.appendChild(dl);
  }

  async function viewReport(id, params) {
    clear();
    const d = await api('/api/reports/' + encodeURIComponent(id));
    const r = d.report || {};
    main.appendChild(el('h1', {}, clip(r.title || '(بلا عنوان)', 500)));
    const url = typeof r.url === 'string' && /^https?:\/\//i.test(r.url) ? r.url : null;
    main.appendChild(el('div.meta', {},
      el('bdi.outlet', {}, clip(r.outlet || '', 100)), ' · ', el('bdi', {}, r.published || '؟'),
      d.story ? [' · ', el('a', { href: '#/story/' + encodeURIComponent(d.story) }, 'القصة')] : null,
      url ? [' · ', el('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank' }, 'المصدر الأصلي')] : null));
    const legend = el('div.legend', {}, Object.entries(KINDS).map(([k, v]) => el('span.f-' + k, {}, v)));
    main.appendChild(legend);
    const layout = el('div.report-layout');
    const textBox = el('article.text', { lang: r.lang || 'ar' });
    const panel = el('aside.fact-panel', { 'aria-live': 'polite' }, el('p.note', {}, 'اختر رقما أو مصدرا أو تاريخا أو كيانا في النص'));
    layout.append(textBox, panel);
    main.appendChild(layout);

    const b = enc.encode(r.text || '');
    const facts = (d.facts || []).filter((f) => KINDS[f.kind] && f.start >= 0 && f.end > f.start && f.end <= b.length);
    const cut = new Set([0, b.length]);
    for (const f of facts) { cut.add(f.start); cut.add(f.end); }
    let target = null, sentence = null;
    const s0 = parseInt(params.get('s'), 10), e0 = parseInt(params.get('e'), 10);
    if (Number.isInteger(s0) && Number.isInteger(e0) && s0 >= 0 && e0 > s0 && e0 <= b.length) {
      target = [s0, e0];
      sentence = sentenceAround(b, s0, e0);
      [s0, e0, ...sentence].forEach((x) => cut.add(x));
    }
    const points = [...cut].sort((x, y) => x - y);
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], z = points[i + 1];
      const piece = dec.decode(b.subarray(a, z));
      const over = facts.filter((f) => f.start <= a && f.end >= z);
      const inTarget = target && a >= target[0] && z <= target[1];
      const inSentence = sentence && a >= sentence[0] && z <= sentence[1];
      if (!over.length && !inTarget && !inSentence) { textBox.appendChild(txt(piece)); continue; }
      const span = el('span');
      const cls = [...new Set(over.map((f) => 'f-' + f.kind))];
      if (inSentence) cls.push('in-sentence');
      if (inTarget) cls.push('target');
      span.className = cls.join(' ');
      span.appendChild(txt(piece));
      if (over.length) {
        // the narrowest fact over this piece is the one shown
        const f = over.reduce((m, x) => (x.end - x.start < m.end - m.start ? x : m));
        span.tabIndex = 0;
        span.setAttribute('role', 'button');
        span.dataset.kind = f.kind;
        const show = () => factPanel(panel, f);
        span.addEventListener('click', show);
        span.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') show(); });
      }
      textBox.appendChild(span);
    }
    if (target) {
      const first = textBox.querySelector('.target');
      if (first) {
        first.id = 'target';
        first.scrollIntoView({ block: 'center' });
      }
      const sent = [...textBox.querySelectorAll('.in-sentence')].map((x) => x.textContent).join('');
      main.insertBefore(el('blockquote.cited', { id: 'cited-sentence' }, sent), layout);
    }
  }

  // ------------------------------------------------------------ claims
  async function viewClaims(params) {
    clear();
    const verdict = params.get('verdict') || 'conflict';
    main.appendChild(el('h1', {}, verdict === 'conflict' ? 'الأرقام المتعارضة' : 'الأرقام'));
    main.appendChild(el('p.feeds', {}, 'اشترك: ', el('a', { href: '#/claims' }, 'التعارضات'),
      ' · خلاصة Atom: ', el('code', { dir: 'ltr' }, '/feeds/conflicts.atom')));
    const d = await api('/api/claims?' + q({ verdict, limit: 100 }));
    const list = el('ul.ledger');
    for (const c of d.claims) {
      const cl = c.claim || {};
      list.appendChild(el('li', {},
        el('span.badge.' + String(cl.verdict || '').replace(/[^a-z_]/g, ''), {}, word(VERDICTS, cl.verdict)),
        ' ', el('strong', {}, [word(EVENTS, cl.event), word(CATEGORIES, cl.category)].filter(Boolean).join(' · ')),
        ' — ', el('a', { href: '#/story/' + encodeURIComponent(c.story) }, clip(c.story_title || c.story, 200)),
        cl.reason ? el('div.reason', {}, clip(cl.reason, 400)) : null));
    }
    if (!d.claims.length) list.appendChild(el('li.note', {}, 'لا شيء'));
    main.appendChild(list);
  }

  // ------------------------------------------------------------ router
  async function route() {
    const h = location.hash || '#/stories';
    const [path, qs] = h.slice(1).split('?');
    const params = new URLSearchParams(qs || '');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    try {
      if (parts[0] === 'search') await viewSearch(params);
      else if (parts[0] === 'story' && parts[1]) await viewStory(parts[1]);
      else if (parts[0] === 'report' && parts[1]) await viewReport(parts[1], params);
      else if (parts[0] === 'claims') await viewClaims(params);
      else await viewStories(params);
      document.body.dataset.view = parts[0] || 'stories';
    } catch (e) {
      showError(e);
    }
    renders++;
    document.body.dataset.ready = String(renders);
  }

  document.getElementById('search-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = document.getElementById('q').value.trim();
    location.hash = '#/search?' + q({ q: v });
  });
  window.addEventListener('hashchange', route);
  route();
})();
