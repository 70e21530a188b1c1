#!/bin/sh
# demo.sh MARSAD_BIN: the main job on the bundled examples: analyse
# examples/ into a fresh store in build/, then write report.html and print
# its path.
set -eu
bin=${1:-build/marsad}
db=build/demo.db
mkdir -p build
rm -f "$db" "$db-wal" "$db-shm"
"$bin" analyze --db "$db" examples/
"$bin" report --db "$db" -o report.html
echo "report: $(pwd)/report.html (open it in a browser)"
