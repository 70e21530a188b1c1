#!/bin/sh
# run.sh UNIT_BIN...: runs every cmocka program given and every
# tests/cli/*.sh script, then prints one closing line
# "check: N passed, N failed". Exits 1 when anything failed or crashed.
#
# Environment: MARSAD_BIN (the CLI under test), MARSAD_SHARED (../shared),
# MARSAD_BUILD (the build directory; scratch space goes in $MARSAD_BUILD/tmp).
set -u
passed=0
failed=0
broken=""
tmp="${MARSAD_BUILD:-build}/tmp"
mkdir -p "$tmp"
export MARSAD_TMP="$tmp"
if [ ! -d "${MARSAD_SHARED:-../shared}" ]; then
  echo "note: ${MARSAD_SHARED:-../shared} is missing: tests that read the seeds, gold and corpus will fail and say so" >&2
fi

count_pass() { # $1 = log file: cmocka's PASSED counts plus TAP "ok" lines
  sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p; s/^ok [0-9]* .*/1/p; s/^ok - .*/1/p' "$1" | awk '{s+=$1} END{print s+0}'
}
count_fail() {
  sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p; s/^not ok .*/1/p' "$1" | awk '{s+=$1} END{print s+0}'
}

run_one() { # $1 = name, rest = command
  name=$1; shift
  log="$tmp/$(basename "$name").log"
  "$@" >"$log" 2>&1
  rc=$?
  cat "$log"
  p=$(count_pass "$log")
  f=$(count_fail "$log")
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    # exited non-zero without a failed test: a crash or a sanitizer report
    failed=$((failed + 1))
    broken="$broken $name(exit $rc)"
  fi
}

for t in "$@"; do
  echo "== $t"
  run_one "$t" "$t"
done
for s in tests/cli/*.sh; do
  [ -f "$s" ] || continue
  case "$s" in */lib.sh) continue ;; esac
  echo "== $s"
  run_one "$s" bash "$s"
done
[ -n "$broken" ] && echo "crashed or failed outside a test:$broken"
echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
