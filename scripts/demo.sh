#!/bin/sh
# demo.sh MARSAD_BIN: the main job on the bundled examples.
set -eu
bin=${1:-build/marsad}
for f in examples/*.txt; do
  [ -f "$f" ] || continue
  echo "== $f"
  "$bin" normalize "$f" | head -3
done
