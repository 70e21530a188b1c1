# lib.sh: helpers for the CLI tests (sourced). Each check prints a TAP line,
# "ok N - what" or "not ok N - what", which tests/run.sh counts.
set -u
MARSAD=${MARSAD_BIN:?MARSAD_BIN is not set: run through make check}
SHARED=${MARSAD_SHARED:-../shared}
TMPD=$(mktemp -d "${MARSAD_TMP:-/tmp}/cli.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT
_n=0
_fails=0

ok() { # ok "what" command...: passes when the command succeeds
  what=$1; shift
  _n=$((_n + 1))
  if "$@" >/dev/null 2>&1; then echo "ok $_n - $what"
  else echo "not ok $_n - $what"; _fails=$((_fails + 1)); fi
}

eq() { # eq "what" expected actual
  _n=$((_n + 1))
  if [ "$2" = "$3" ]; then echo "ok $_n - $1"
  else echo "not ok $_n - $1"; echo "#   expected: $2"; echo "#   actual:   $3"; _fails=$((_fails + 1)); fi
}

need_shared() { # skips nothing: a missing ../shared is a failure that says so
  if [ ! -d "$SHARED/$1" ]; then
    _n=$((_n + 1))
    echo "not ok $_n - $SHARED/$1 is missing (tests read the shared seeds, gold and corpus beside the checkout)"
    exit 1
  fi
}

done_testing() { [ "$_fails" -eq 0 ]; }
