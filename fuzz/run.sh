#!/bin/sh
# run.sh SECONDS BUILD TARGET...: runs each libFuzzer target for SECONDS
# over its seed corpus (fuzz/corpus/NAME, required) and its dictionary
# (fuzz/dict/NAME.dict, when there is one). New inputs go to
# BUILD/fuzz/corpus-NAME. Exits 1 at the first target that crashes, leaks,
# times out or prints any sanitizer report (the targets are built with
# -fno-sanitize-recover=all, so UBSan aborts too; the log is searched as
# well, in case a report does not end the process), and when a target has
# no seed corpus.
set -u
secs=$1; build=$2; shift 2
status=0
for f in "$@"; do
  n=$(basename "$f")
  if [ ! -d "fuzz/corpus/$n" ] || [ -z "$(ls -A "fuzz/corpus/$n")" ]; then
    echo "fuzz: $n has no seed corpus (fuzz/corpus/$n)" >&2
    exit 1
  fi
  mkdir -p "$build/fuzz/corpus-$n" "$build/fuzz/artifacts-$n"
  log="$build/fuzz/$n.log"
  echo "fuzz: $n for $secs s"
  dict=""
  [ -f "fuzz/dict/$n.dict" ] && dict="-dict=fuzz/dict/$n.dict"
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
    "$f" -max_total_time="$secs" -max_len=65536 -timeout=25 -rss_limit_mb=2048 \
      -artifact_prefix="$build/fuzz/artifacts-$n/" $dict \
      "$build/fuzz/corpus-$n" "fuzz/corpus/$n" >"$log" 2>&1
  rc=$?
  if [ "$rc" -ne 0 ] || grep -qE 'runtime error:|ERROR: (Address|Leak|Undefined)Sanitizer|SUMMARY: (Address|Leak|Undefined)Sanitizer|ERROR: libFuzzer' "$log"; then
    tail -n 40 "$log" >&2
    echo "fuzz: $n FAILED (exit $rc; log $log, inputs in $build/fuzz/artifacts-$n/)" >&2
    status=1
    break
  fi
  tail -n 1 "$log"
done
exit $status
