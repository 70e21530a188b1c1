# browser.sh: the HTML report of the seeds in headless Chromium (Debian's
# chromium package, driven by playwright-core from npm): it loads with no
# console error and no outside request, the SDF conflict (730 against more
# than 750 fighters) is a visible, highlighted row whose figure links to its
# sentence, and a screenshot is taken ($MARSAD_BUILD/tmp/report-seeds.png).
#
# playwright-core is installed with `npm ci` from tests/browser/package.json
# and package-lock.json into $MARSAD_BUILD/browser (once; then reused:
# browser_setup in lib.sh).
. "$(dirname "$0")/lib.sh"
need_shared seeds
here=$(cd "$(dirname "$0")/../browser" && pwd)
build=${MARSAD_BUILD:-build}
mkdir -p "$build/tmp"
shot="$(cd "$build/tmp" && pwd)/report-seeds.png"

browser_setup || { done_testing; exit 1; }
dir=$BROWSER_DIR
cp "$here/check_report.mjs" "$dir/"

"$MARSAD" analyze --db "$TMPD/b.db" "$SHARED/seeds" >/dev/null 2>&1
"$MARSAD" report --db "$TMPD/b.db" -o "$TMPD/seeds.html"
eq "marsad report writes the seeds' page" 0 $?
node "$dir/check_report.mjs" "$(cd "$TMPD" && pwd)/seeds.html" "$shot" \
  "$TMPD/profile" "730 مقاتلا" "أكثر من 750 مقاتلا" "قوات سوريا الديمقراطية" \
  | sed "s/^\(not \)\{0,1\}ok [0-9]* - /&browser: /"
eq "the browser checks pass" 0 "${PIPESTATUS[0]}"
done_testing
