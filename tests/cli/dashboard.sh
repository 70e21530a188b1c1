# dashboard.sh: marsad's dashboard in headless Chromium (Debian's chromium,
# driven by playwright-core, tests/browser/check_dashboard.mjs) against a
# real `marsad serve` over loopback, on a store built from the seeds, the
# examples and a corpus of hostile reports written here (script tags,
# onerror=, javascript: URLs, U+202E before a number, a 1 MB title):
# search -> story -> claim value -> its sentence in the report, the charts
# drawn, 1400 and 390 px, no console error, no request to another origin,
# hostile text inert. Screenshots: $MARSAD_BUILD/tmp/dashboard-*.png.
. "$(dirname "$0")/lib.sh"
need_shared seeds
browser_setup || { done_testing; exit 1; }
cp "$(dirname "$0")/../browser/check_dashboard.mjs" "$BROWSER_DIR/"

word=مرصدتجربة
python3 - "$TMPD/hostile.jsonl" "$word" <<'PY'
import json, sys
path, w = sys.argv[1], sys.argv[2]
rlo = "\u202e"
docs = [
    {"id": "h1", "outlet": "<script>alert('outlet')</script>",
     "url": "javascript:alert(1)", "published": "2026-02-01",
     "title": "<script>alert('title')</script> خبر " + w,
     "text": "أعلنت السلطات <img src=x onerror=alert(1)> مقتل 14 شخصا في حادث سير، وفق " + w + " الدفاع المدني."},
    {"id": "h2", "outlet": "منبر <b onmouseover=alert(2)>عريض</b>",
     "url": "https://example.org/h2\"><script>alert(3)</script>",
     "published": "2026-02-01",
     "title": "\"><svg onload=alert(4)> حصيلة " + w,
     "text": "قالت مصادر طبية إن 18 شخصا قتلوا <a href=\"javascript:alert(5)\">هنا</a> " + w + " في الحادث نفسه."},
    {"id": "h3", "outlet": "منبر الاتجاه", "published": "2026-02-02",
     "title": "عنوان " + rlo + "20 معكوس " + w,
     "text": "أفادت الشرطة بمقتل " + rlo + "20 شخصا " + w + " في انهيار مبنى، وإصابة 7 آخرين."},
    {"id": "h4", "outlet": "منبر طويل", "published": "2026-02-03",
     "title": w + " " + ("عنوان طويل جدا " * 40000)[:1000000],
     "text": "خبر بعنوان طويل جدا " + w + " عن سيول جرفت 3 منازل."},
    {"id": "h5", "outlet": "</textarea><iframe src=//evil.example>", "published": "2026-02-03",
     "title": "{{constructor.constructor('alert(6)')()}} " + w,
     "text": "<style>body{display:none}</style> نص " + w + " <object data=x></object> قتل 5 أشخاص."},
]
with open(path, "w", encoding="utf-8") as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
eq "a hostile title of 1 MB is written" 1 \
  "$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["title"].encode()) > 1000000 for l in open(sys.argv[1], encoding="utf-8")))' "$TMPD/hostile.jsonl")"

db="$TMPD/d.db"
"$MARSAD" analyze --db "$db" "$SHARED/seeds" examples "$TMPD/hostile.jsonl" >/dev/null 2>&1
eq "analyze builds the store from the seeds, examples and hostile reports" 0 $?
serve_start "$db"
ok "marsad serve listens" test -n "$URL"
shots="$(cd "${MARSAD_BUILD:-build}/tmp" && pwd)"
node "$BROWSER_DIR/check_dashboard.mjs" "$URL" "$shots" "$TMPD/profile" "$word" \
  | sed "s/^\(not \)\{0,1\}ok [0-9]* - /&dashboard: /"
eq "the dashboard checks pass" 0 "${PIPESTATUS[0]}"
serve_stop
eq "the server stops cleanly" 0 $?
done_testing
