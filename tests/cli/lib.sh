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

# browser_setup: checks chromium, node and npm, and installs playwright-core
# from tests/browser/package-lock.json into $MARSAD_BUILD/browser (npm ci
# once, then reused). Sets BROWSER_DIR. Fails (returns 1) when one is
# missing.
browser_setup() {
  ok "chromium is installed (/usr/bin/chromium: Debian package chromium)" test -x /usr/bin/chromium
  ok "node is installed (Debian package nodejs)" command -v node
  if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    # Debian's npm; not in scripts/deps-check.txt because it conflicts with
    # the npm that NodeSource's nodejs package already carries
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm >/dev/null 2>&1
  fi
  ok "npm is installed (Debian package npm)" command -v npm
  _here=$(cd "$(dirname "$0")/../browser" && pwd)
  BROWSER_DIR="${MARSAD_BUILD:-build}/browser"
  mkdir -p "$BROWSER_DIR"
  BROWSER_DIR=$(cd "$BROWSER_DIR" && pwd)
  if ! cmp -s "$_here/package-lock.json" "$BROWSER_DIR/package-lock.json" ||
     [ ! -f "$BROWSER_DIR/node_modules/playwright-core/package.json" ]; then
    cp "$_here/package.json" "$_here/package-lock.json" "$BROWSER_DIR/"
    (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund --loglevel=error) >"$TMPD/npm.log" 2>&1
    eq "npm ci installs playwright-core" 0 $?
    [ -f "$BROWSER_DIR/node_modules/playwright-core/package.json" ] || { cat "$TMPD/npm.log"; return 1; }
  fi
}

# serve_start DB [ARGS...]: `marsad serve` on a free loopback port, in the
# background; sets URL (http://127.0.0.1:PORT/, empty if it did not start)
# and SPID. serve_stop: SIGTERM, then its exit status.
serve_start() {
  _db=$1; shift
  rm -f "$TMPD/url"
  "$MARSAD" serve --db "$_db" --listen 127.0.0.1:0 "$@" >"$TMPD/url" 2>"$TMPD/serve.err" &
  SPID=$!
  for _ in $(seq 1 100); do
    [ -s "$TMPD/url" ] && break
    sleep 0.1
  done
  URL=$(head -1 "$TMPD/url")
}
serve_stop() { kill -TERM "$SPID" 2>/dev/null; wait "$SPID"; }
