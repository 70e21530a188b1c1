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
cp "$here/check_report.mjs" "$here/tap.mjs" "$dir/"

"$MARSAD" analyze --db "$TMPD/b.db" "$SHARED/seeds" >/dev/null 2>&1
"$MARSAD" report --db "$TMPD/b.db" -o "$TMPD/seeds.html"
eq "marsad report writes the seeds' page" 0 $?
node "$dir/check_report.mjs" "$(cd "$TMPD" && pwd)/seeds.html" "$shot" \
  "$TMPD/profile" "730 مقاتلا" "أكثر من 750 مقاتلا" "قوات سوريا الديمقراطية" \
  | sed "s/^\(not \)\{0,1\}ok [0-9]* - /&browser: /"
eq "the browser checks pass" 0 "${PIPESTATUS[0]}"

# --- bidi spoofing: reports that hold U+202E (RLO), U+2066 (LRI) and
# U+2069 (PDI) before figures and a URL; in the page every figure must
# still read as written (check_bidi.mjs)
cp "$here/check_bidi.mjs" "$dir/"
RLO=$(printf '\342\200\256'); LRI=$(printf '\342\201\246'); PDI=$(printf '\342\201\251')
mkdir -p "$TMPD/bidi"
printf 'انفجار في مدينة ساحلية\nقال مسؤول محلي إن %s20 شخصا قتلوا في انفجار بمدينة ساحلية يوم الأحد، وأصيب 1500 آخرون. التفاصيل في http://example.org/%sevil\n' \
  "$RLO" "$RLO" > "$TMPD/bidi/a.txt"
printf 'انفجار في المدينة الساحلية\nأفادت مصادر طبية بمقتل %s22 شخصا%s في انفجار بالمدينة الساحلية يوم الأحد، وإصابة نحو 1500.\n' \
  "$LRI" "$PDI" > "$TMPD/bidi/b.txt"
"$MARSAD" analyze --db "$TMPD/bidi.db" "$TMPD/bidi" >/dev/null 2>&1
"$MARSAD" report --db "$TMPD/bidi.db" -o "$TMPD/bidi.html"
eq "marsad report writes the page of reports with bidi controls" 0 $?
node "$dir/check_bidi.mjs" "$(cd "$TMPD" && pwd)/bidi.html" "$TMPD/profile2" \
  | sed "s/^\(not \)\{0,1\}ok [0-9]* - /&browser bidi: /"
eq "the browser bidi checks pass" 0 "${PIPESTATUS[0]}"
# the terminal: shown as <U+202E>, never written raw; JSON keeps the bytes
id=$(sqlite3 "$TMPD/bidi.db" "SELECT id FROM reports WHERE file LIKE '%a.txt'")
"$MARSAD" show --db "$TMPD/bidi.db" "$id" > "$TMPD/show.txt" 2>&1
grep -q '<U+202E>20 شخصا' "$TMPD/show.txt"; eq "show: the control is shown before 20" 0 $?
grep -q "$RLO" "$TMPD/show.txt"; eq "show: no raw control reaches the terminal" 1 $?
"$MARSAD" search --db "$TMPD/bidi.db" انفجار > "$TMPD/search.txt" 2>&1
grep -q "$RLO\|$LRI\|$PDI" "$TMPD/search.txt"; eq "search: no raw control reaches the terminal" 1 $?
"$MARSAD" stories --db "$TMPD/bidi.db" > "$TMPD/stories.txt" 2>&1
grep -q "$RLO\|$LRI\|$PDI" "$TMPD/stories.txt"; eq "stories: no raw control reaches the terminal" 1 $?
"$MARSAD" show --db "$TMPD/bidi.db" --json "$id" | jq -j .text | cmp -s - "$TMPD/bidi/a.txt"
eq "show --json keeps the text byte-exact" 0 $?
done_testing
