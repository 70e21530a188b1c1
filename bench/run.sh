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

echo "== link: near-duplicates, stories, passages over ant-multisource + saudinewsnet (10/30/100 %)"
for pct in 10 30 100; do
  "$MARSAD_BUILD/bench/bench_link" "$MARSAD_SHARED" "$pct"
done
echo "   near-duplicate check (docs/link.md):"
"$MARSAD_BUILD/bench/bench_link" "$MARSAD_SHARED" eval

echo "== numbers: mr_numbers_find over ant-multisource/jsonl"
"$MARSAD_BUILD/bench/bench_numbers" "$MARSAD_SHARED"

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
ls "$ant"/*.jsonl "$snn"/*.jsonl.gz > "$MARSAD_BUILD/analyze.files"
total=$(wc -l < "$MARSAD_BUILD/analyze.files")
for pct in 10 30 100; do
  k=$(( (total * pct + 99) / 100 ))
  db="$MARSAD_BUILD/analyze-$pct.db"
  rm -f "$db" "$db-wal" "$db-shm"
  head -n "$k" "$MARSAD_BUILD/analyze.files" > "$MARSAD_BUILD/analyze-$pct.files"
  mb=$(xargs cat < "$MARSAD_BUILD/analyze-$pct.files" | wc -c | awk '{printf "%.1f", $1 / 1e6}')
  /usr/bin/time -f "%e %M" -o "$MARSAD_BUILD/analyze.time" \
    xargs "$bin" analyze --db "$db" < "$MARSAD_BUILD/analyze-$pct.files" > /dev/null 2>&1 || true
  read -r secs kb < "$MARSAD_BUILD/analyze.time"
  n=$("$bin" stories --db "$db" --json 2>/dev/null | wc -l)
  r=$(sqlite3 "$db" 'select count(*) from reports' 2>/dev/null || echo '?')
  echo "   $pct %: $k files, $mb MB on disk, $r reports, $n stories: $secs s wall, peak $((kb / 1024)) MB"
done
