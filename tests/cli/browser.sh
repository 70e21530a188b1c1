# browser.sh: the HTML report of the seeds in headless Chromium (Debian's
# chromium package, driven by playwright-core from npm): it loads with no
# console error and no outside request, the SDF conflict (730 against more
# than 750 fighters) is a visible, highlighted row whose figure links to its
# sentence, and a screenshot is taken ($MARSAD_BUILD/tmp/report-seeds.png).
#
# playwright-core is installed with `npm ci` from tests/browser/package.json
# and package-lock.json into $MARSAD_BUILD/browser (once; then reused).
. "$(dirname "$0")/lib.sh"
need_shared seeds
here=$(cd "$(dirname "$0")/../browser" && pwd)
build=${MARSAD_BUILD:-build}
mkdir -p "$build/tmp"
shot="$(cd "$build/tmp" && pwd)/report-seeds.png"

ok "chromium is installed (/usr/bin/chromium: Debian package chromium)" test -x /usr/bin/chromium
ok "node is installed (Debian package nodejs)" command -v node
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  # Debian's npm; not in scripts/deps-check.txt because it conflicts with
  # the npm that NodeSource's nodejs package already carries
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm >/dev/null 2>&1
fi
ok "npm is installed (Debian package npm)" command -v npm

dir="$build/browser"
mkdir -p "$dir"
if ! cmp -s "$here/package-lock.json" "$dir/package-lock.json" ||
   [ ! -f "$dir/node_modules/playwright-core/package.json" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >"$TMPD/npm.log" 2>&1
  eq "npm ci installs playwright-core" 0 $?
  [ -f "$dir/node_modules/playwright-core/package.json" ] || cat "$TMPD/npm.log"
fi
cp "$here/check_report.mjs" "$dir/"

"$MARSAD" analyze --db "$TMPD/b.db" "$SHARED/seeds" >/dev/null 2>&1
"$MARSAD" report --db "$TMPD/b.db" -o "$TMPD/seeds.html"
eq "marsad report writes the seeds' page" 0 $?
node "$dir/check_report.mjs" "$(cd "$TMPD" && pwd)/seeds.html" "$shot" \
  "$TMPD/profile" "730 مقاتلا" "أكثر من 750 مقاتلا" "قوات سوريا الديمقراطية" \
  | sed "s/^\(not \)\{0,1\}ok [0-9]* - /&browser: /"
eq "the browser checks pass" 0 "${PIPESTATUS[0]}"
done_testing
