#!/bin/sh
# run.sh: the `make bench` driver (a benchmark, not a test). Each layer
# appends its stage below; every stage prints its own figures.
# Environment (set by make): MARSAD_BIN (the CLI), MARSAD_SHARED (../shared
# with the corpora), MARSAD_BUILD (the bench build directory).
set -eu
: "${MARSAD_BUILD:?run through make bench}"
: "${MARSAD_SHARED:?run through make bench}"
echo "== marsad bench on $(uname -m), $(${CC:-cc} --version | head -1)"
echo "   cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"

echo "== text kernel"
"$MARSAD_BUILD/bench/bench_text" "$MARSAD_SHARED"

echo "== ingest"
"$MARSAD_BUILD/bench/bench_ingest" "$MARSAD_SHARED"

echo "== store: ingest of ant-multisource/jsonl and search, marsad vs unicode61"
"$MARSAD_BUILD/bench/bench_store" "$MARSAD_SHARED" "$MARSAD_BUILD"

echo "== search and MinHash beside the peers: Lucene++, Xapian, Go minhash-lsh (bench/peers.sh)"
sh "$(dirname "$0")/peers.sh"

echo "== link: near-duplicates, stories, passages over ant-multisource + saudinewsnet (10/30/100 %)"
# growth: the least-squares slope of log(seconds) over log(reports) of the
# three runs (1 is linear, n log n gives about 1.1 over these sizes, the
# issue's limit; reads "N SECONDS" lines)
growth() {
  awk '$2 > 0 { x = log($1); y = log($2); n++; sx += x; sy += y; sxx += x * x; sxy += x * y }
    END { if (n < 2 || n * sxx == sx * sx) { print "?"; exit }
          printf "%.2f", (n * sxy - sx * sy) / (n * sxx - sx * sx) }'
}
# stage_growth FILE: FILE holds "STAGE REPORTS SECONDS" lines; prints each
# stage's exponent, in the order the stages first appear
stage_growth() {
  for st in $(awk '!seen[$1]++ { print $1 }' "$1"); do
    printf ' %s n^%s' "$st" "$(awk -v s="$st" '$1 == s { print $2, $3 }' "$1" | growth)"
  done
}
: > "$MARSAD_BUILD/link.growth"
: > "$MARSAD_BUILD/link.stages"
for pct in 10 30 100; do
  "$MARSAD_BUILD/bench/bench_link" "$MARSAD_SHARED" "$pct" | tee "$MARSAD_BUILD/link.out"
  sed -n 's/^ *[0-9]*% *\([0-9]*\) reports.* stories *\([0-9.]*\) s.*/\1 \2/p' \
    "$MARSAD_BUILD/link.out" >> "$MARSAD_BUILD/link.growth"
  sed -n 's/^ *[0-9]*% *\([0-9]*\) reports.*build *\([0-9.]*\) s *near-dup *\([0-9.]*\) s.*stories *\([0-9.]*\) s.*passages *\([0-9.]*\) s.*/build \1 \2\nnear-dup \1 \3\nstories \1 \4\npassages \1 \5/p' \
    "$MARSAD_BUILD/link.out" >> "$MARSAD_BUILD/link.stages"
done
echo "   clustering grows as n^$(growth < "$MARSAD_BUILD/link.growth") (stories stage, CPU s over reports; n log n ~ n^1.1)"
echo "   growth of each stage (CPU s over reports, 10/30/100 %; goal <= 1.1):$(stage_growth "$MARSAD_BUILD/link.stages")"
# the same over 10/30/100 % of the days (whole days kept: an archive that
# grows by days, each day as dense as in the corpus; the samples above
# thin every day, so a story's pairs thin quadratically)
: > "$MARSAD_BUILD/link-days.stages"
for pct in 10 30 100; do
  "$MARSAD_BUILD/bench/bench_link" "$MARSAD_SHARED" "${pct}d" | tee "$MARSAD_BUILD/link.out"
  sed -n 's/^ *[0-9]*% *\([0-9]*\) reports.*build *\([0-9.]*\) s *near-dup *\([0-9.]*\) s.*stories *\([0-9.]*\) s.*passages *\([0-9.]*\) s (\([0-9]*\) pairs.*/build \1 \2\nnear-dup \1 \3\nstories \1 \4\npassages \1 \5\npairs \1 \6/p' \
    "$MARSAD_BUILD/link.out" >> "$MARSAD_BUILD/link-days.stages"
done
echo "   growth over days (CPU s, and pairs aligned, over reports, 10/30/100 % of the days; goal <= 1.1):$(stage_growth "$MARSAD_BUILD/link-days.stages")"
echo "   near-duplicate check (docs/link.md):"
"$MARSAD_BUILD/bench/bench_link" "$MARSAD_SHARED" eval

echo "== numbers: mr_numbers_find over ant-multisource/jsonl"
"$MARSAD_BUILD/bench/bench_numbers" "$MARSAD_SHARED"

echo "== ner: the trained name tagger over ant-multisource/jsonl (every 4th article)"
"$MARSAD_BUILD/bench/bench_ner" "$MARSAD_SHARED" 4

# Facts and the whole analysis, measured through the CLI as a user runs it
# (GNU time: wall seconds and peak resident memory).
ant="$MARSAD_SHARED/corpus/ant-multisource/jsonl"
snn="$MARSAD_SHARED/corpus/saudinewsnet/jsonl"
bin=${MARSAD_BIN:?}
echo "== facts: marsad facts --json over ant-multisource/jsonl"
mb=$(cat "$ant"/*.jsonl | wc -c | awk '{printf "%.1f", $1 / 1e6}')
/usr/bin/time -f "%e %M" -o "$MARSAD_BUILD/facts.time" \
  "$bin" facts --json "$ant" > "$MARSAD_BUILD/facts.ndjson" 2>/dev/null || true
read -r secs kb < "$MARSAD_BUILD/facts.time"
nrep=$(wc -l < "$MARSAD_BUILD/facts.ndjson")
nfig=$(grep -o '"qualifier"' "$MARSAD_BUILD/facts.ndjson" | wc -l)
awk -v s="$secs" -v n="$nrep" -v f="$nfig" -v mb="$mb" -v kb="$kb" 'BEGIN {
  printf "   %d reports, %d figures, %.1f MB of JSONL in %.2f s: %.0f reports/s, %.1f MB/s, peak %.0f MB\n",
         n, f, mb, s, n / s, mb / s, kb / 1024 }'

echo "== analyze: ingest + facts + links + stories over ant-multisource + saudinewsnet"
# 10 % and 30 % take every 10th report (3 of every 10) of every file, so
# each share spans the same days and outlets; 100 % is every file as it is.
# Exit status 1 is expected: SaudiNewsNet has articles with no text.
for pct in 10 30; do
  dir="$MARSAD_BUILD/analyze-$pct"
  rm -rf "$dir" && mkdir -p "$dir"
  for f in "$ant"/*.jsonl; do
    awk -v p=$((pct / 10)) 'NR % 10 < p' "$f" > "$dir/$(basename "$f")"
  done
  for f in "$snn"/*.jsonl.gz; do
    zcat "$f" | awk -v p=$((pct / 10)) 'NR % 10 < p' > "$dir/$(basename "$f" .gz)"
  done
done
: > "$MARSAD_BUILD/analyze.growth"
: > "$MARSAD_BUILD/analyze.stages"
for pct in 10 30 100; do
  db="$MARSAD_BUILD/analyze-$pct.db"
  rm -f "$db" "$db-wal" "$db-shm"
  if [ "$pct" = 100 ]; then set -- "$ant" "$snn"; else set -- "$MARSAD_BUILD/analyze-$pct"; fi
  /usr/bin/time -f "%e %M" -o "$MARSAD_BUILD/analyze.time" \
    "$bin" analyze --stats --db "$db" "$@" > /dev/null 2> "$MARSAD_BUILD/analyze-$pct.err" || true
  # GNU time puts "Command exited with non-zero status N" first
  tail -n 1 "$MARSAD_BUILD/analyze.time" | { read -r secs kb
    n=$("$bin" stories --db "$db" --json 2>/dev/null | wc -l)
    r=$(sqlite3 "$db" 'select count(*) from reports' 2>/dev/null || echo '?')
    printf "   %3s %%: %6s reports, %6s stories: %6.2f s wall, peak %5d MB |" \
      "$pct" "$r" "$n" "$secs" $((kb / 1024))
    grep '^stage' "$MARSAD_BUILD/analyze-$pct.err" |
      awk '{ printf " %s %s s (cpu %s)", $2, $3, $6 }'
    grep '^stage clustering' "$MARSAD_BUILD/analyze-$pct.err" |
      awk -v r="$r" '{ print r, $3 }' >> "$MARSAD_BUILD/analyze.growth"
    grep '^stage' "$MARSAD_BUILD/analyze-$pct.err" |
      awk -v r="$r" '{ print $2, r, $3 }' >> "$MARSAD_BUILD/analyze.stages"
    echo
    if [ "$pct" = 100 ]; then
      awk -v s="$secs" -v kb="$kb" 'BEGIN {
        printf "   whole run: %.1f s (target < 60 s) %s, peak %.0f MB (target < 2048 MB) %s\n",
          s, s < 60 ? "ok" : "MISSED", kb / 1024, kb / 1024 < 2048 ? "ok" : "MISSED" }'
    fi
  }
done
echo "   clustering stage grows as n^$(growth < "$MARSAD_BUILD/analyze.growth") (wall s over reports; n log n ~ n^1.1)"
echo "   growth of each stage (wall s over reports, 10/30/100 %; goal <= 1.1):$(stage_growth "$MARSAD_BUILD/analyze.stages")"

echo "== serve: wrk on search and a story page over the ANT store (bench/serve.sh)"
sh bench/serve.sh

echo "== pathological inputs (issue 12): one 20 MB report, 200,000 figures, 100,000 near-identical reports"
sh "$(dirname "$0")/pathological.sh"

echo "== dask: the same job over a LocalCluster of 1 and 2 workers (python3 -m marsad.dask)"
bash "$(dirname "$0")/dask.sh"
