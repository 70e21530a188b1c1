# python.sh: the Python binding (python/marsad, ctypes over libmarsad.so)
# with Debian's /usr/bin/python3 against the library under test, and the
# Dask runner when python3-distributed is installed (tests/python/).
# Under make check the library is built with ASan+UBSan: their runtimes are
# preloaded into python3 (leak checks off: the interpreter keeps memory).
. "$(dirname "$0")/lib.sh"
need_shared seeds
py=/usr/bin/python3
ok "Debian's python3 is installed (/usr/bin/python3)" test -x "$py"
build=${MARSAD_BUILD:?}
lib="$build/libmarsad.so"
ok "the library under test exists ($lib)" test -f "$lib"
preload=""
if nm -D "$lib" 2>/dev/null | grep -q __asan_init; then
  for r in asan ubsan; do
    f=$(${CC:-cc} -print-file-name=lib$r.so)
    [ -f "$f" ] && preload="$preload${preload:+:}$f"
  done
fi
here=$(cd "$(dirname "$0")/../.." && pwd)
for t in "$here"/tests/python/test_*.py; do
  LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 MARSAD_LIB="$lib" \
    PYTHONPATH="$here/python" "$py" "$t" | sed "s/^\(not \)\{0,1\}ok [0-9]* - /&$(basename "$t" .py): /"
  eq "$(basename "$t") exits 0" 0 "${PIPESTATUS[0]}"
done
done_testing
