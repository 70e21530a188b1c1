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
