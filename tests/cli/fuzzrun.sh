# fuzzrun.sh: `make fuzz` is honest. Every fuzz target has a seed corpus,
# and fuzz/run.sh (what make fuzz runs) fails when a target prints a
# sanitizer report even if it exits 0, when it exits non-zero, and passes
# a clean run. The targets here are stand-in scripts (the real ones need
# clang's libFuzzer; make fuzz runs them), so this takes no time.
. "$(dirname "$0")/lib.sh"
for f in fuzz/fuzz_*.c; do
  n=$(basename "$f" .c)
  [ -d "fuzz/corpus/$n" ] && [ -n "$(ls -A "fuzz/corpus/$n")" ]
  eq "$n has a seed corpus" 0 $?
done
B="$TMPD/fz"
mkdir -p "$B"
# stand-ins named after a real target, so its seed corpus is found
T=fuzz_utf8
mk() { # mk NAME EXIT MESSAGE: a fake fuzzer
  printf '#!/bin/sh\necho "INFO: Seed: 1"\necho "%s" >&2\nexit %s\n' "$3" "$2" > "$B/$1"
  chmod +x "$B/$1"
}
mkdir -p "$B/ok" "$B/ub" "$B/crash"
mk ok/$T 0 "Done 100 runs in 1 second(s)"
mk ub/$T 0 "src/x.c:3:5: runtime error: signed integer overflow"
mk crash/$T 1 "==1==ERROR: AddressSanitizer: heap-buffer-overflow"
sh fuzz/run.sh 1 "$B/ok" "$B/ok/$T" >/dev/null 2>&1
eq "a clean run passes" 0 $?
sh fuzz/run.sh 1 "$B/ub" "$B/ub/$T" >/dev/null 2>&1
eq "a UBSan report fails the run, even with exit 0" 1 $?
sh fuzz/run.sh 1 "$B/crash" "$B/crash/$T" >/dev/null 2>&1
eq "a crash fails the run" 1 $?
sh fuzz/run.sh 1 "$B/ok" "$B/ok/fuzz_nothing" >/dev/null 2>&1
eq "a target without a seed corpus fails the run" 1 $?
done_testing
