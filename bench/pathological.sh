#!/bin/sh
# pathological.sh: the worst inputs of issue 12 through the CLI as a user
# runs it (a benchmark, not a test): one 20 MB report, one text with
# 200,000 casualty figures, 100,000 near-identical small reports. For each:
# wall seconds and peak resident memory (GNU time) of `marsad ingest` and
# of `marsad analyze --stats` on a fresh store, analyze's stages (wall
# seconds and resident memory after each), and analyze's time as a
# multiple of ingest's (the target: under 10x). A run is cut at
# BENCH_TIMEOUT seconds (default 900) and reported as such. BENCH_SCALE
# (default 1) scales every input, e.g. 0.1 for a quick look at growth.
# Environment: MARSAD_BIN, MARSAD_BUILD (as bench/run.sh).
set -eu
bin=${MARSAD_BIN:?}
dir="${MARSAD_BUILD:?}/pathological"
limit=${BENCH_TIMEOUT:-900}
scale=${BENCH_SCALE:-1}
rm -rf "$dir" && mkdir -p "$dir"

# The inputs, generated (sentences written for this bench).
/usr/bin/python3 - "$dir" "$scale" <<'PY'
import json, sys
d, S = sys.argv[1], float(sys.argv[2])
places = ["المدينة", "البلدة", "القرية", "الميناء", "الحي", "المخيم", "السوق"]
days = ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"]
# 1. one report of about 20 MB (under the 32 MiB report limit)
with open(f"{d}/big.txt", "w", encoding="utf-8") as f:
    f.write("تقرير طويل عن أحداث الأسبوع\n")
    i, size = 0, 0
    while size < 20_000_000 * S:
        line = (f"قال مسؤول في {places[i % 7]} رقم {i} إن {i % 900 + 3} أشخاص "
                f"أصيبوا وإن {i % 40 + 1} قتلوا يوم {days[i % 7]}، بحسب بيان الدفاع المدني.\n")
        f.write(line)
        size += len(line.encode())
        i += 1
# 2. one text with 200,000 casualty figures
with open(f"{d}/figures.txt", "w", encoding="utf-8") as f:
    f.write("حصيلة مفصلة\n")
    for i in range(int(200_000 * S)):
        f.write(f"قتل {i % 500 + 1} شخصا في {places[i % 7]} {i}، ")
        if i % 20 == 19:
            f.write("\n")
# 3. 100,000 near-identical small reports (one word and the count differ)
with open(f"{d}/near.jsonl", "w", encoding="utf-8") as f:
    for i in range(int(100_000 * S)):
        text = (f"أعلنت السلطات المحلية أن {120 + i % 7} شخصا قتلوا وأصيب {300 + i % 11} "
                f"آخرون في انفجار هز {places[i % 7]} الساحلية صباح {days[i % 7]}، "
                f"وقال متحدث باسم الدفاع المدني إن فرق الإنقاذ ما زالت تبحث عن مفقودين. رقم {i}")
        f.write(json.dumps({"id": f"near-{i}", "outlet": f"وكالة {i % 13}",
                            "published": "2020-08-04", "text": text},
                           ensure_ascii=False) + "\n")
PY

run() { # name cmd input: prints "secs kb" or "timeout 0"
  db="$dir/$1.db"
  rm -f "$db" "$db-wal" "$db-shm"
  if timeout "$limit" /usr/bin/time -f "%e %M" -o "$dir/$1.time" \
       "$bin" "$2" $4 --db "$db" "$3" >/dev/null 2>"$dir/$1.err"; then :; fi
  if [ -s "$dir/$1.time" ] && ! grep -q 'signal\|Command terminated' "$dir/$1.time"; then
    tail -n 1 "$dir/$1.time"
  else
    echo "timeout 0"
  fi
}

for case in big.txt figures.txt near.jsonl; do
  mb=$(wc -c < "$dir/$case" | awk '{printf "%.1f", $1 / 1e6}')
  i=$(run "ingest-$case" ingest "$dir/$case" "")
  a=$(run "analyze-$case" analyze "$dir/$case" --stats)
  echo "$case $mb $i $a" | awk -v lim="$limit" '{
    if ($3 == "timeout") ing = sprintf("over %d s (cut)", lim); else ing = sprintf("%.2f s, peak %.0f MB", $3, $4 / 1024)
    if ($5 == "timeout" || $3 == "timeout") { an = ($5 == "timeout") ? sprintf("over %d s (cut)", lim) : sprintf("%.2f s, peak %.0f MB", $5, $6 / 1024); ratio = "?" }
    else { an = sprintf("%.2f s, peak %.0f MB", $5, $6 / 1024); ratio = sprintf("%.1fx", $5 / ($3 > 0.01 ? $3 : 0.01)) }
    printf "   %-12s %6s MB: ingest %s; analyze %s; analyze/ingest %s (target < 10x)\n", $1, $2, ing, an, ratio }'
  # analyze --stats: "stage NAME SECS s [cpu SECS s] [rss MB MB]"; and what
  # it says of cuts
  grep '^stage' "$dir/analyze-$case.err" |
    awk '{ printf "%s %s %s s", NR == 1 ? "      stages:" : ";", $2, $3
           for (i = 4; i < NF; i++) {
             if ($i == "cpu") printf " (cpu %s s)", $(i + 1)
             if ($i == "rss") printf " %s MB", $(i + 1) } }
         END { if (NR) print "" }'
  grep 'figures: the first' "$dir/analyze-$case.err" | sed 's/^/      /' || true
done
