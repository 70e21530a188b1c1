#!/bin/sh
# scale.sh: `make bench-scale`, the archive of a million reports (issue 15;
# a benchmark, not a test). Builds SCALE_N reports (default 1,000,000) from
# the real corpora, ANT + SaudiNewsNet (48,770 reports): copy 0 is the
# corpora as they are; copy k (k >= 1) is every report again, dated k eras
# later (an era is 1,830 days, longer than the corpora's 2013-12..2018-10,
# so the copies of one report never share a time window) and lightly
# varied, so that stories and duplicates stay those of a real archive:
#   - half the words of four letters or more (chosen by the word, so the
#     same in every report; about a third of the words, no short function
#     word) carry a two-letter mark of copy k: the reports of one copy keep
#     the shared words of their stories, while a report and its copy in
#     another era share few of their 3-word shingles, far from
#     near-duplicates;
#   - one word in 41 is dropped, where by the report's id: two reports
#     with one text (ANT files some under two ids) stay near-duplicates,
#     not byte copies.
# Undated reports stay undated in every copy; a url gets "copy=k" (the id
# of a report with a url is its outlet and url).
# Then one `marsad analyze --stats` over the files (ingest included, as a
# user runs it) on a fresh store, and the bench's 50 queries through
# `marsad search --queries FILE --stats`. Prints wall and CPU seconds and
# peak memory (GNU time), analyze's stages, the store's size on disk and
# per report, and the search latency.
# Environment: MARSAD_BIN, MARSAD_SHARED, MARSAD_BUILD (set by make),
# SCALE_N (reports), SCALE_DIR (work directory; default MARSAD_BUILD/scale;
# its inputs are kept between runs of the same SCALE_N).
set -eu
bin=${MARSAD_BIN:?run through make bench-scale}
shared=${MARSAD_SHARED:?run through make bench-scale}
n=${SCALE_N:-1000000}
dir=${SCALE_DIR:-${MARSAD_BUILD:?}/scale}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
in="$dir/in-$n"

if [ ! -s "$in/.done" ]; then
  rm -rf "$in" && mkdir -p "$in"
  echo "   generating $n reports in $in"
  /usr/bin/python3 - "$shared" "$in" "$n" <<'PY'
import datetime, glob, gzip, json, os, sys, zlib
shared, out, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
reps = []
files = sorted(glob.glob(f"{shared}/corpus/ant-multisource/jsonl/*.jsonl")) + \
        sorted(glob.glob(f"{shared}/corpus/saudinewsnet/jsonl/*.jsonl.gz"))
for path in files:
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                reps.append(json.loads(line))
ERA = 1830
letters = "بجدحخذرزسشصضطظعغفق"
marked = {}  # word -> is it one of the marked third
def mark(w):
    m = marked.get(w)
    if m is None:
        m = marked[w] = len(w) >= 4 and zlib.crc32(w.encode()) % 2 == 0
    return m
def vary(text, code, key):
    if not text:
        return text
    words = text.split(" ")
    drop = key % 41
    return " ".join(w + code if mark(w) else w
                    for j, w in enumerate(words) if j % 41 != drop)
def shift(date, k):
    if not isinstance(date, str) or len(date) < 10:
        return date
    try:
        d = datetime.date.fromisoformat(date[:10])
    except ValueError:
        return date
    return (d + datetime.timedelta(days=ERA * k)).isoformat() + date[10:]
made, k, part, f = 0, 0, 0, None
while made < N:
    code = "ز" + letters[k % 18] + letters[(k // 18) % 18]
    for r in reps:
        if made >= N:
            break
        if made % 50000 == 0:
            if f:
                f.close()
            f = open(f"{out}/part-{part:03d}.jsonl", "w", encoding="utf-8")
            part += 1
        c = dict(r)
        if k:
            key = zlib.crc32(str(r.get("id", "")).encode())
            c["id"] = f"{r.get('id', '')}~{k}"
            url = r.get("url")
            if url:  # a report's id is its outlet and url when it has one
                c["url"] = f"{url}{'&' if '?' in url else '?'}copy={k}"
            c["date"] = shift(r.get("date"), k)
            c["title"] = vary(r.get("title") or "", code, key)
            c["text"] = vary(r.get("text") or "", code, key)
        f.write(json.dumps(c, ensure_ascii=False) + "\n")
        made += 1
    k += 1
f.close()
PY
  echo ok > "$in/.done"
fi
mb=$(cat "$in"/*.jsonl | wc -c | awk '{ printf "%.0f", $1 / 1e6 }')

db="$dir/scale-$n.db"
rm -f "$db" "$db"-*
echo "   marsad analyze --stats over $n reports ($mb MB of JSONL), a fresh store"
# exit status 1 is expected: some SaudiNewsNet articles have no text.
# analyze runs at make's own priority: its wall time is the measure (a
# nice here made the million's wall depend on whatever else ran)
/usr/bin/time -f "%e %U %S %M" -o "$dir/analyze.time" \
  "$bin" analyze --stats --db "$db" "$in" > /dev/null 2> "$dir/analyze.err" || true
grep '^stage\|^facts extracted' "$dir/analyze.err" | sed 's/^/     /'
reports=$(sqlite3 "$db" 'select count(*) from reports' 2>/dev/null || echo 0)
store=$(du -cb "$db" "$db"-* 2>/dev/null | tail -n 1 | cut -f1)
tail -n 1 "$dir/analyze.time" | { read -r wall user sys kb
  awk -v w="$wall" -v u="$user" -v s="$sys" -v kb="$kb" -v r="$reports" \
      -v st="$store" -v mb="$mb" 'BEGIN {
    printf "   analyze: %d reports in %.0f s wall (%.1f min; target < 20 min) %s, %.0f s CPU (%.2f cores busy), peak %.0f MB (target < 6 GB) %s, %.1f KB per report\n",
      r, w, w / 60, (w < 1200 ? "ok" : "MISSED"), u + s, (u + s) / (w > 0 ? w : 1),
      kb / 1024, (kb < 6 * 1048576 ? "ok" : "MISSED"), (r > 0 ? kb / r : 0)
    printf "   store: %.0f MB on disk (database, WAL, postings), %.2fx the %s MB of input, %.1f KB per report\n",
      st / 1e6, (mb > 0 ? st / 1e6 / mb : 0), mb, (r > 0 ? st / 1024 / r : 0) }'
}
echo "   queries: marsad search --queries bench/queries_ar.txt --stats"
/usr/bin/time -f "%e %M" -o "$dir/search.time" \
  "$bin" search --db "$db" --queries "$here/queries_ar.txt" --stats \
  > "$dir/search.out" 2> "$dir/search.err" || true
cat "$dir/search.out" "$dir/search.err" | grep -v '^ *$' | tail -n 4 | sed 's/^/     /'
tail -n 1 "$dir/search.time" | awk '{ printf "     whole: %.2f s wall, peak %.0f MB\n", $1, $2 / 1024 }'
