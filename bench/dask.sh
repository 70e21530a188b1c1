#!/bin/bash
# dask.sh: the whole ANT + SaudiNewsNet job through python3 -m marsad.dask
# with 1 and 2 local worker processes (loopback), wall time and peak
# memory, beside `marsad analyze` on one machine (run.sh's 100 % line).
# Environment as run.sh (MARSAD_BIN, MARSAD_SHARED, MARSAD_BUILD); the
# library is $MARSAD_BUILD/libmarsad.so.
set -u
ant="$MARSAD_SHARED/corpus/ant-multisource/jsonl"
snn="$MARSAD_SHARED/corpus/saudinewsnet"
top=$(cd "$(dirname "$0")/.." && pwd)
if ! /usr/bin/python3 -c 'import distributed' 2>/dev/null; then
  echo "   skipped: Dask distributed is not installed (Debian package python3-distributed)"
  exit 0
fi
for n in 1 2; do
  db="$MARSAD_BUILD/dask-$n.db"
  rm -f "$db" "$db-wal" "$db-shm"
  MARSAD_LIB="$MARSAD_BUILD/libmarsad.so" PYTHONPATH="$top/python" \
    /usr/bin/time -f "%e %M" -o "$MARSAD_BUILD/dask.time" \
    /usr/bin/python3 -m marsad.dask --local "$n" --json --db "$db" "$ant" "$snn" \
    > "$MARSAD_BUILD/dask-$n.json" 2> "$MARSAD_BUILD/dask-$n.err" || true
  tail -n 1 "$MARSAD_BUILD/dask.time" | { read -r secs kb
    /usr/bin/python3 - "$MARSAD_BUILD/dask-$n.json" "$n" "$secs" "$kb" <<'PY'
import json, sys
path, n, secs, kb = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
try:
    s = json.load(open(path))
except Exception:
    print('   %d worker(s): failed (see %s)' % (n, path.replace('.json', '.err')))
    sys.exit(0)
print('   %d worker(s): %6d reports, %6d stories: %6.2f s wall, client peak %d MB '
      '(corpus steps on the client: %s)' % (
          n, s['reports'], s['stories'], secs, kb // 1024,
          ', '.join('%s %.1f s' % (k, v) for k, v in s['seconds'].items() if v > 0)))
PY
  }
done
if [ -f "$MARSAD_BUILD/analyze-100.db" ] && [ -f "$MARSAD_BUILD/dask-2.db" ]; then
  if cmp -s <("$MARSAD_BIN" stories --db "$MARSAD_BUILD/analyze-100.db" --json) \
            <("$MARSAD_BIN" stories --db "$MARSAD_BUILD/dask-2.db" --json) 2>/dev/null; then
    echo "   stories of the 2-worker run: identical to marsad analyze's"
  else
    echo "   stories of the 2-worker run: DIFFER from marsad analyze's"
  fi
fi
