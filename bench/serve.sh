#!/bin/sh
# serve.sh: the `marsad serve` stage of make bench (called by run.sh; runs
# alone too). wrk (Debian's) for SERVE_SECS (30) seconds each on search and
# on the largest story's page over the ANT store: requests per second,
# p50/p99 latency and errors; then the same while `marsad analyze` writes
# new reports (a tenth of SaudiNewsNet) into the same store.
# Environment: MARSAD_BIN, MARSAD_SHARED, MARSAD_BUILD (as run.sh).
set -eu
bin=${MARSAD_BIN:?}
build=${MARSAD_BUILD:?}
ant="$MARSAD_SHARED/corpus/ant-multisource/jsonl"
snn="$MARSAD_SHARED/corpus/saudinewsnet/jsonl"
secs=${SERVE_SECS:-30}
command -v wrk >/dev/null || { echo "   wrk is missing (apt-get install wrk)"; exit 1; }

db="$build/serve-ant.db"
if [ ! -f "$db" ] || [ "$(sqlite3 "$db" 'select count(*) from stories' 2>/dev/null || echo 0)" = 0 ]; then
  rm -f "$db" "$db-wal" "$db-shm"
  "$bin" analyze --db "$db" "$ant" >/dev/null 2>&1 || true
fi
extra="$build/serve-write"
rm -rf "$extra" && mkdir -p "$extra"
for f in "$snn"/*.jsonl.gz; do
  zcat "$f" | awk 'NR % 10 == 0' > "$extra/$(basename "$f" .gz)"
done

"$bin" serve --db "$db" --listen 127.0.0.1:0 >"$build/serve.url" 2>"$build/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$build/serve.url" ] && break; sleep 0.1; done
url=$(head -1 "$build/serve.url")
reports=$(sqlite3 "$db" 'select count(*) from reports')
story=$(curl -s "${url}api/stories?limit=1" | sed -n 's/.*"stories":\[{"id":"\([^"]*\)".*/\1/p')
nrep=$(curl -s "${url}api/stories?limit=1" | sed -n 's/.*"reports":\([0-9]*\).*/\1/p')
q=$(printf 'قتلى' | od -An -tx1 | tr -d ' \n' | sed 's/\(..\)/%\1/g')
echo "   store: $reports reports (ANT); story $story of $nrep reports; $secs s per run, wrk -t2 -c16"

# run NAME URL: one wrk run, one line of figures
run() {
  wrk -t2 -c16 -d"${secs}s" --latency "$2" >"$build/wrk.out" 2>&1 || true
  rps=$(awk '/^Requests\/sec/ {print $2}' "$build/wrk.out")
  p50=$(awk '$1 == "50%" {print $2}' "$build/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$build/wrk.out")
  total=$(awk '/requests in/ {print $1}' "$build/wrk.out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$build/wrk.out")
  sock=$(awk '/Socket errors/ {print $0}' "$build/wrk.out")
  printf "   %-34s %8s req/s  p50 %8s  p99 %8s  %s requests, errors: %s%s\n" \
    "$1" "${rps:-?}" "${p50:-?}" "${p99:-?}" "${total:-?}" "${non2xx:-0}" \
    "${sock:+ ($sock)}"
}

run "search ?q=قتلى" "${url}api/search?q=$q"
run "story page /api/stories/ID" "${url}api/stories/$story"
"$bin" analyze --db "$db" "$extra" >/dev/null 2>&1 &
apid=$!
run "search, while analyze writes" "${url}api/search?q=$q"
run "story page, while analyze writes" "${url}api/stories/$story"
if kill -0 $apid 2>/dev/null; then w="still running"; else w="finished"; fi
wait $apid || true
echo "   the analyze writing $(ls "$extra" | wc -l) files of SaudiNewsNet: $w at the end; store now $(sqlite3 "$db" 'select count(*) from reports') reports"
kill -TERM $pid
wait $pid || true
trap - EXIT
