# story.sh: marsad analyze / stories / story / report on real stores: the
# seeds' verdicts, the bundled examples, determinism, two halves against
# all at once, re-analysis, errors.
. "$(dirname "$0")/lib.sh"
need_shared seeds
SEEDS="$SHARED/seeds"
EX="$(dirname "$0")/../../examples"

# ---------------------------------------------------------------- seeds
"$MARSAD" analyze --db "$TMPD/s.db" "$SEEDS" >"$TMPD/overview" 2>"$TMPD/err"
eq "analyze seeds exits 0" 0 $?
ok "the overview names the stores and counts" grep -q "5 تقارير (الجديد منها: 5)" "$TMPD/overview"
"$MARSAD" stories --db "$TMPD/s.db" --json >"$TMPD/s1.json"
eq "stories --json exits 0" 0 $?
ok "every line is JSON with schema marsad/2" \
  jq -e -s 'length > 0 and all(.schema == "marsad/2")' "$TMPD/s1.json"
ok "every report of the seeds is in one story" \
  jq -e -s '[.[].reports[]] | length == 5 and (unique | length == 5)' "$TMPD/s1.json"

# the story holding seed 000's "730 مقاتلا" and 003's "أكثر من 750 مقاتلا"
sdf=$(jq -c '.claims[] | select(.event == "killed" and .category == "fighters"
        and ([.values[].text] | index("730 مقاتلا") != null)
        and ([.values[].text] | index("أكثر من 750 مقاتلا") != null))' "$TMPD/s1.json")
eq "SDF fighters killed: 730 against more than 750 is a conflict" conflict \
  "$(printf '%s' "$sdf" | jq -r .verdict)"
eq "its side is the SDF" "قوات سوريا الديمقراطية" "$(printf '%s' "$sdf" | jq -r .side)"
ok "its reason names both values" sh -c "printf '%s' '$sdf' | jq -r .reason | grep -q 'أكثر من 750'"
civ=$(jq -c '.claims[] | select(.event == "killed" and .category == "civilians"
        and ([.values[].text] | index("أزيد من 630 مدنيا") != null))' "$TMPD/s1.json")
eq "civilians killed: more than 630 and 630 agree" agree \
  "$(printf '%s' "$civ" | jq -r .verdict)"
eq "two reports give it" 2 "$(printf '%s' "$civ" | jq -r .reports)"

# every value's span slices its text out of the seed file
bad=0
for row in $(jq -r '.claims[].values[] | [.report, .start, .end, (.text | @base64)] | @tsv' "$TMPD/s1.json" | tr '\t' ','); do
  id=${row%%,*}; rest=${row#*,}; s=${rest%%,*}; rest=${rest#*,}; e=${rest%%,*}; b64=${rest#*,}
  want=$(printf '%s' "$b64" | base64 -d)
  "$MARSAD" show --db "$TMPD/s.db" --json "$id" >"$TMPD/rep.json" 2>/dev/null || { bad=$((bad+1)); continue; }
  jq -j .text "$TMPD/rep.json" >"$TMPD/rep.txt"
  got=$(dd if="$TMPD/rep.txt" bs=1 skip="$s" count=$((e - s)) 2>/dev/null)
  [ "$got" = "$want" ] || bad=$((bad+1))
done
eq "every claim value's [start, end) is its text in the report" 0 "$bad"

ok "every story has a summary of 1 to 5 sentences, each credited" \
  jq -e -s 'all(.[]; (.summary | length) as $n | $n >= 1 and $n <= 5) and all(.[].summary[]; .text != "" and .report != null)' "$TMPD/s1.json"
ok "timelines are in date order" \
  jq -e -s 'all(.timeline | map(.date) as $d | $d == ($d | sort))' "$TMPD/s1.json"

# determinism: a second store from the same files gives the same bytes
"$MARSAD" analyze --db "$TMPD/s2.db" "$SEEDS" >/dev/null 2>&1
"$MARSAD" stories --db "$TMPD/s2.db" --json >"$TMPD/s2.json"
ok "two runs give the same JSON" cmp "$TMPD/s1.json" "$TMPD/s2.json"

# the facts analyze stores are the objects 'marsad facts --json' prints
s000=$(ls "$SEEDS"/000_*.txt)
"$MARSAD" facts --json "$s000" | jq -cS '.figures[]' | sort >"$TMPD/ff"
# (read back by marsad show --facts: a report's facts are one blob)
id000=$(sqlite3 "$TMPD/s.db" "SELECT id FROM reports WHERE file LIKE '%000_%'")
"$MARSAD" show --db "$TMPD/s.db" --facts "$id000" | sed -n 's/^figure\t//p' |
  jq -cS . | sort >"$TMPD/fs"
ok "stored figures of seed 000 equal its facts --json figures" cmp "$TMPD/ff" "$TMPD/fs"
ok "... and there are some" sh -c "[ \$(wc -l <'$TMPD/fs') -ge 5 ]"
eq "the old clustering state is not kept" 0 \
  "$(sqlite3 "$TMPD/s.db" "SELECT count(*) FROM meta WHERE key = 'story.cluster'")"

# the stories do not depend on the number of threads
MARSAD_THREADS=1 "$MARSAD" analyze --db "$TMPD/t1.db" "$SEEDS" "$EX" >/dev/null 2>&1
"$MARSAD" stories --db "$TMPD/t1.db" --json >"$TMPD/t1.json"
MARSAD_THREADS=4 "$MARSAD" analyze --db "$TMPD/t4.db" "$SEEDS" "$EX" >/dev/null 2>&1
"$MARSAD" stories --db "$TMPD/t4.db" --json >"$TMPD/t4.json"
ok "one thread and four give the same stories" cmp "$TMPD/t1.json" "$TMPD/t4.json"
ok "... and several stories to compare" sh -c "[ \$(wc -l <'$TMPD/t4.json') -ge 3 ]"

# --stats: one line per stage, with seconds, memory, the cores busy and
# the calling thread's CPU, then the whole run's
"$MARSAD" analyze --stats --db "$TMPD/st.db" "$SEEDS" >/dev/null 2>"$TMPD/st.err"
eq "analyze --stats exits 0" 0 $?
for stage in ingest load facts clustering stories save; do
  ok "--stats times stage '$stage'" \
    grep -Eq "^stage $stage +[0-9]+\.[0-9]+ s  cpu +[0-9]+\.[0-9]+ s  rss +[0-9]+ MB  cores +[0-9]+\.[0-9]+  lead +[0-9]+\.[0-9]+ s$" "$TMPD/st.err"
done
ok "--stats sums the stages and the cores busy" \
  grep -Eq "^all stages: [0-9.]+ s wall, [0-9.]+ s cpu, [0-9.]+ cores busy; lead thread [0-9.]+ s cpu$" "$TMPD/st.err"
# the calling thread's CPU is part of the process's, stage by stage
ok "--stats: no stage's lead CPU above its CPU" \
  awk '/^stage/ { if ($14 > $6 + 0.02) bad = 1 } END { exit bad }' "$TMPD/st.err"

# re-analysing the same files changes nothing
"$MARSAD" analyze --db "$TMPD/s.db" "$SEEDS" >"$TMPD/again" 2>&1
ok "re-analysis adds nothing" grep -q "5 تقارير (الجديد منها: 0)" "$TMPD/again"
"$MARSAD" stories --db "$TMPD/s.db" --json >"$TMPD/s3.json"
ok "re-analysis keeps the stories" cmp "$TMPD/s1.json" "$TMPD/s3.json"

# two halves give what all at once gives
mkdir -p "$TMPD/h1" "$TMPD/h2"
for f in "$SEEDS"/*.txt; do
  case "$(basename "$f")" in 00[012]*) cp "$f" "$TMPD/h1/" ;; *) cp "$f" "$TMPD/h2/" ;; esac
done
"$MARSAD" analyze --db "$TMPD/h.db" "$TMPD/h1" >/dev/null 2>&1
"$MARSAD" analyze --db "$TMPD/h.db" "$TMPD/h2" >/dev/null 2>&1
"$MARSAD" stories --db "$TMPD/h.db" --json | jq -c 'del(.summary[].score?)' >"$TMPD/h.json"
jq -c 'del(.summary[].score?)' "$TMPD/s1.json" >"$TMPD/s1c.json"
ok "analysing in two halves gives the same stories" \
  sh -c "jq -c '[.id, .reports, [.claims[] | [.event, .category, .side, .verdict]]]' '$TMPD/h.json' | sort >'$TMPD/hk'; jq -c '[.id, .reports, [.claims[] | [.event, .category, .side, .verdict]]]' '$TMPD/s1c.json' | sort >'$TMPD/sk'; cmp '$TMPD/hk' '$TMPD/sk'"

# a later run extracts only what is new and keeps the stories it did not
# change (seed 004 tells of another event than the examples)
mkdir -p "$TMPD/h4"
cp "$SEEDS"/004_*.txt "$TMPD/h4/"
"$MARSAD" analyze --db "$TMPD/i.db" "$EX" >/dev/null 2>&1
"$MARSAD" analyze --stats --db "$TMPD/i.db" "$TMPD/h4" >/dev/null 2>"$TMPD/i.err"
ok "a later run extracts the new report's facts only" \
  grep -Eq '^facts extracted for 1 of 11 reports' "$TMPD/i.err"
ok "... and keeps the stories it did not change" \
  grep -Eq '; [1-9][0-9]* of [0-9]+ stories kept as stored' "$TMPD/i.err"
"$MARSAD" analyze --stats --db "$TMPD/i.db" "$TMPD/h4" >/dev/null 2>"$TMPD/i2.err"
ok "a run with nothing new extracts nothing and keeps every story" \
  grep -Eq '^facts extracted for 0 of 11 reports; ([0-9]+) of \1 stories kept' "$TMPD/i2.err"
sqlite3 "$TMPD/i.db" "UPDATE meta SET value = 'older' WHERE key = 'story.revision'"
"$MARSAD" analyze --stats --db "$TMPD/i.db" "$TMPD/h4" >/dev/null 2>"$TMPD/i3.err"
ok "a store analysed by another revision is redone in full" \
  grep -Eq '^facts extracted for 11 of 11 reports; 0 of' "$TMPD/i3.err"
"$MARSAD" analyze --db "$TMPD/i4.db" "$EX" "$TMPD/h4" >/dev/null 2>&1
"$MARSAD" stories --db "$TMPD/i.db" --json >"$TMPD/i.json"
"$MARSAD" stories --db "$TMPD/i4.db" --json >"$TMPD/i4.json"
ok "runs in steps give the stories of one run" cmp "$TMPD/i.json" "$TMPD/i4.json"

# one story, by its id and by one of its reports' ids
sid=$(head -1 "$TMPD/s1.json" | jq -r .id)
rid=$(head -1 "$TMPD/s1.json" | jq -r '.reports[-1]')
"$MARSAD" story --db "$TMPD/s.db" --json "$sid" >"$TMPD/one.json"
eq "story --json ID exits 0" 0 $?
ok "story ID is the same line as in stories" sh -c "head -1 '$TMPD/s1.json' | cmp - '$TMPD/one.json'"
"$MARSAD" story --db "$TMPD/s.db" --json "$rid" >"$TMPD/one2.json"
ok "story REPORT-ID finds the report's story" cmp "$TMPD/one.json" "$TMPD/one2.json"
"$MARSAD" story --db "$TMPD/s.db" "$sid" >"$TMPD/one.txt"
ok "story text shows the conflict and its reason" grep -q "لا يصح الرقمان معا" "$TMPD/one.txt"
ok "story text shows each claim's scope" grep -Eq "^           (حصيلة يوم|حادثة|حصيلة تراكمية|حصيلة سابقة)" "$TMPD/one.txt"
ok "story text shows the toll's course" grep -q "المسار: " "$TMPD/one.txt"
"$MARSAD" stories --db "$TMPD/s.db" >"$TMPD/list.txt"
ok "stories text lists the conflict, in Arabic" grep -q "^  تعارض · " "$TMPD/list.txt"

# the HTML report
"$MARSAD" report --db "$TMPD/s.db" -o "$TMPD/r.html"
eq "report -o exits 0" 0 $?
ok "the page is Arabic, right to left" grep -q '<html lang="ar" dir="rtl">' "$TMPD/r.html"
ok "the page has a conflict row" grep -q '<tr class="conflict">' "$TMPD/r.html"
ok "the page loads nothing from outside" sh -c "! grep -Eq '(src|href)=\"(https?:)?//|<script|<link' '$TMPD/r.html'"
"$MARSAD" report --db "$TMPD/s.db" -o "$TMPD/r2.html"
ok "the page is the same twice" cmp "$TMPD/r.html" "$TMPD/r2.html"
# report reads the stored facts (it extracts none again): with the stored
# facts taken out of the store (its bookkeeping left), the page has no
# figures, so no conflict
cp "$TMPD/s.db" "$TMPD/sx.db"
sqlite3 "$TMPD/sx.db" "DELETE FROM facts"
"$MARSAD" report --db "$TMPD/sx.db" -o "$TMPD/rx.html"
ok "report builds its stories from the stored facts" sh -c "! grep -q '<tr class=\"conflict\">' '$TMPD/rx.html'"
# facts of another revision are not read: report extracts them, and the
# page is the one from the stored facts
cp "$TMPD/s.db" "$TMPD/sy.db"
sqlite3 "$TMPD/sy.db" "UPDATE meta SET value = 'older' WHERE key = 'facts.revision'"
"$MARSAD" report --db "$TMPD/sy.db" -o "$TMPD/ry.html"
ok "stored facts give the page extraction gives" cmp "$TMPD/r.html" "$TMPD/ry.html"

# ------------------------------------------------------------- examples
"$MARSAD" analyze --db "$TMPD/e.db" "$EX" >"$TMPD/eo" 2>&1
eq "analyze examples/ exits 0" 0 $?
"$MARSAD" stories --db "$TMPD/e.db" --json >"$TMPD/e.json"
ok "the examples make three stories or more" jq -e -s 'length >= 3' "$TMPD/e.json"
ok "the examples show a conflict" jq -e -s '[.[].claims[].verdict] | index("conflict") != null' "$TMPD/e.json"
ok "the examples show a later update" \
  jq -e -s '[.[].claims[] | select(.verdict == "update") | .reason] | any(test("تحديث لاحق"))' "$TMPD/e.json"
ok "an update lists its course in report time, each source's latest" \
  jq -e -s '[.[].claims[] | select(.verdict == "update")][0] | (.course | length) >= 3 and (.latest | length) >= 2 and .scope == "day" and ([.values[.course[]].published] == ([.values[.course[]].published] | sort))' "$TMPD/e.json"
ok "a report's own figure stated twice is counted once" \
  jq -e -s '[.[].claims[].values[] | select(.repeat)] | length > 0' "$TMPD/e.json"
ok "the examples show shared passages" jq -e -s '[.[].passages[]] | length > 0' "$TMPD/e.json"
ok "the largest story comes first" jq -e -s '[.[].reports | length] as $n | $n == ($n | sort | reverse)' "$TMPD/e.json"

# hostile text stays text in the page
mkdir -p "$TMPD/hx"
printf '%s\n' '</script><img src=x onerror=alert(1)> عنوان' \
  'قتل 12 مدنيا في <b>القصف</b> "</td></tr></table>" بحسب مصادر.' \
  'المصدر: <script>alert(2)</script>' >"$TMPD/hx/a.txt"
"$MARSAD" analyze --db "$TMPD/x.db" "$TMPD/hx" >/dev/null 2>&1
"$MARSAD" report --db "$TMPD/x.db" -o "$TMPD/x.html"
ok "hostile text is escaped" sh -c "! grep -Eq '<script|<img|<b>|</td></tr></table>\"' '$TMPD/x.html' && grep -q '&lt;/script&gt;&lt;img' '$TMPD/x.html'"

# copies: one article filed under two sections (one outlet and url, two
# source ids) and printed whole by another outlet is stored once, and every
# name of it stays in the story: its reports and its claims' values
mkdir -p "$TMPD/cp"
t='قتلت الغارات 14 مدنيا في بلدة الرقة يوم الجمعة بحسب مصادر طبية.'
for sid in FR-a-1 FR-b-2; do
  printf '{"id":"%s","outlet":"france24","url":"http://f24.example/a","published":"2018-04-07","title":"غارات","text":"%s"}\n' "$sid" "$t"
done >"$TMPD/cp/r.jsonl"
printf '{"id":"BB-3","outlet":"BBC","url":"http://bbc.example/b","published":"2018-04-07","title":"غارات","text":"%s"}\n' "$t" >>"$TMPD/cp/r.jsonl"
"$MARSAD" analyze --db "$TMPD/cp.db" "$TMPD/cp/r.jsonl" >/dev/null 2>&1
eq "copies: one report stored" 1 "$(sqlite3 "$TMPD/cp.db" 'SELECT count(*) FROM reports')"
"$MARSAD" stories --db "$TMPD/cp.db" --json >"$TMPD/cp.json"
eq "copies: the story names the report and its two copies" 3 \
  "$(jq -s '[.[].reports[]] | length' "$TMPD/cp.json")"
eq "copies: each value is given for the report and each copy" 3 \
  "$(jq -s '[.[].claims[] | select(.event == "killed") | .values[]] | length' "$TMPD/cp.json")"
eq "copies: a copy's value names its report" 2 \
  "$(jq -s '[.[].claims[].values[] | select(.copy_of != null)] | length' "$TMPD/cp.json")"
eq "copies: a copy credits whom its report credits" 1 \
  "$(jq -s '[.[].claims[].values[] | .source] | unique | length' "$TMPD/cp.json")"
ok "copies: the course indexes the report's own values" jq -e -s \
  'all(.[].claims[]; . as $c | all(($c.course // [])[]; $c.values[.].copy_of == null))' "$TMPD/cp.json"
"$MARSAD" story --db "$TMPD/cp.db" "$(jq -r .id "$TMPD/cp.json")" >"$TMPD/cp.txt"
eq "copies: the text view shows a value once" 1 \
  "$(grep 'قتلى، مدنيون' "$TMPD/cp.txt" | grep -o '14 مدنيا' | wc -l)"
for sid in FR-a-1 FR-b-2 BB-3; do
  eq "copies: show finds $sid" "$sid" "$("$MARSAD" show --db "$TMPD/cp.db" --json "$sid" | jq -r .source_id)"
done
ok "copies: a copy's facts are its report's" sh -c "
  '$MARSAD' show --db '$TMPD/cp.db' --facts BB-3 | grep -q '14 مدنيا'"
eq "copies: a copy's story is its report's" "$(jq -r .id "$TMPD/cp.json")" \
  "$("$MARSAD" story --db "$TMPD/cp.db" --json FR-b-2 | jq -r .id)"
ok "copies: every id the story names can be shown" sh -c "
  for id in \$(jq -r '.reports[]' '$TMPD/cp.json'); do
    '$MARSAD' show --db '$TMPD/cp.db' --json \"\$id\" >/dev/null || exit 1
  done"
# a source id that names a stored report and a copy of another is ambiguous:
# show asks for a report id rather than pick one
printf '{"id":"BB-3","outlet":"other","url":"http://o.example/c","published":"2018-04-08","title":"سيول","text":"جرفت السيول طريقا في الوادي."}\n' >"$TMPD/cp/s.jsonl"
"$MARSAD" ingest --db "$TMPD/cp.db" "$TMPD/cp/s.jsonl" >/dev/null 2>&1
"$MARSAD" show --db "$TMPD/cp.db" --json BB-3 >/dev/null 2>"$TMPD/cp.err"
ok "copies: a source id of a report and a copy is refused" test $? -ne 0
ok "copies: the refusal says the id is ambiguous" grep -q "several reports" "$TMPD/cp.err"

# a dateline's places are where the outlet files from, not its event's: a
# sentence's own bracket is no dateline (the clustering's input, as
# MARSAD_CLUSTER_STATE writes it, holds each report's lead places)
mkdir -p "$TMPD/dl1" "$TMPD/dl2"
printf 'ضرب زلزال قوي محافظة بوشهر الإيرانية (جنوبي البلاد) صباح اليوم وأصيب عشرات السكان.\n' >"$TMPD/dl1/a.txt"
printf 'دبي، الإمارات العربية المتحدة (CNN)-- قال مسؤولون إن زلزالا قويا ضرب البلاد صباح اليوم.\n' >"$TMPD/dl2/b.txt"
MARSAD_CLUSTER_STATE="$TMPD/dl1.json" "$MARSAD" analyze --db "$TMPD/dl1.db" "$TMPD/dl1" >/dev/null 2>&1
MARSAD_CLUSTER_STATE="$TMPD/dl2.json" "$MARSAD" analyze --db "$TMPD/dl2.db" "$TMPD/dl2" >/dev/null 2>&1
ok "a bracket inside the first sentence leaves its places in the lead" \
  jq -e '.reports[0].places != ""' "$TMPD/dl1.json"
ok "a dateline's places are no lead places" \
  jq -e '.reports[0].places == ""' "$TMPD/dl2.json"

# --------------------------------------------------------------- errors
"$MARSAD" analyze --db "$TMPD/z.db" >/dev/null 2>&1
eq "analyze without a path exits 2" 2 $?
"$MARSAD" analyze --db "$TMPD/z.db" "$TMPD/missing" >/dev/null 2>"$TMPD/zerr"
eq "analyze of a missing path exits 1" 1 $?
ok "the missing path is named" grep -q "missing" "$TMPD/zerr"
"$MARSAD" stories --db "$TMPD/none.db" >/dev/null 2>&1
eq "stories of a missing store exits 3" 3 $?
"$MARSAD" story --db "$TMPD/s.db" nosuchstory >/dev/null 2>&1
eq "story of an unknown id exits 1" 1 $?
"$MARSAD" report --db "$TMPD/s.db" >/dev/null 2>&1
eq "report without -o exits 2" 2 $?
for c in analyze stories story report; do
  ok "$c --help" "$MARSAD" "$c" --help
done
done_testing
