# facts.sh: `marsad facts` on texts written here and on the seeds.
. "$(dirname "$0")/lib.sh"

printf 'قال مسؤولون محليون إن القصف أدى إلى مقتل 45 مدنيا بينهم 12 طفلا.\n' >"$TMPD/a.txt"
out=$("$MARSAD" facts --json "$TMPD/a.txt")
eq "one NDJSON line per report" 1 "$(printf '%s\n' "$out" | wc -l | tr -d ' ')"
ok "schema tag" sh -c "printf '%s' '$out' | grep -q '\"schema\":\"marsad/2\"'"
eq "two figures" 2 "$(printf '%s' "$out" | jq '.figures | length')"
eq "first figure's text is its byte span" "45 مدنيا" \
  "$(printf '%s' "$out" | jq -r '.figures[0].text')"
eq "span offsets index the file" "45 مدنيا" \
  "$(s=$(printf '%s' "$out" | jq '.figures[0].start'); e=$(printf '%s' "$out" | jq '.figures[0].end'); \
     head -c "$e" "$TMPD/a.txt" | tail -c $((e - s)))"
eq "breakdown" 0 "$(printf '%s' "$out" | jq '.figures[1].part_of')"
eq "event" killed "$(printf '%s' "$out" | jq -r '.figures[0].event')"
eq "source speaker" "مسؤولون محليون" "$(printf '%s' "$out" | jq -r '.figures[0].source')"
eq "stdin works" 2 "$(printf 'قتل 5 مدنيين و3 أطفال' | "$MARSAD" facts --json - | jq '.figures | length')"
printf 'ارتفعت نسبة البطالة إلى 7.27 بالمئة.\n' >"$TMPD/dec.txt"
ok "a decimal printed as written (7.27, not 7.2700000000000005)" sh -c \
  "'$MARSAD' facts --json '$TMPD/dec.txt' | grep -q '\"min\":7.27,'"
ok "table mode prints the figure" sh -c "'$MARSAD' facts '$TMPD/a.txt' | grep -q '45 مدنيا'"
ok "--help" "$MARSAD" facts --help
"$MARSAD" facts --bogus >/dev/null 2>&1; eq "unknown option exits 2" 2 $?
"$MARSAD" facts --published nope "$TMPD/a.txt" >/dev/null 2>&1; eq "bad date exits 2" 2 $?
"$MARSAD" facts "$TMPD/missing.txt" >/dev/null 2>"$TMPD/err"; eq "missing file exits 3" 3 $?
ok "error names the input" grep -q missing.txt "$TMPD/err"
"$MARSAD" facts "$TMPD/missing.txt" "$TMPD/a.txt" >/dev/null 2>&1; eq "one bad input of two exits 1" 1 $?
printf '\x00\x01\xff\xfe' >"$TMPD/bin.txt"
"$MARSAD" facts --json "$TMPD/bin.txt" >/dev/null 2>&1; rc=$?
ok "binary input is refused without a crash" test "$rc" -eq 3 -o "$rc" -eq 1 -o "$rc" -eq 0
: >"$TMPD/empty.txt"
"$MARSAD" facts --json "$TMPD/empty.txt" >/dev/null 2>&1; rc=$?
ok "empty input does not crash" test "$rc" -lt 4

need_shared seeds
n=$("$MARSAD" facts --json "$SHARED"/seeds/*.txt | wc -l | tr -d ' ')
eq "five seeds, five lines" 5 "$n"
ok "every span's text matches the file bytes" sh -c "
  for f in '$SHARED'/seeds/*.txt; do
    '$MARSAD' facts --json \"\$f\" | jq -r '.figures[] | \"\\(.start) \\(.end) \\(.text)\"' |
    while read -r s e t; do
      got=\$(head -c \"\$e\" \"\$f\" | tail -c \$((e - s)) | tr '\n' ' ')
      [ \"\$got\" = \"\$(printf '%s' \"\$t\" | tr '\n' ' ')\" ] || exit 1
    done || exit 1
  done"
# a day in one field and its time in a later one (ANT's date and time): the
# time is kept, so a day's reports can be ordered
printf '%s\n' '{"id":"t1","date":"2018-04-07","time":"Sat, 07 Apr 2018 03:39:53 +0400","text":"قتل 9 أشخاص أمس."}' \
  '{"id":"t2","date":"2018-04-07","time":"Sun, 08 Apr 2018 03:39:53 +0400","text":"قتل 9 أشخاص أمس."}' >"$TMPD/dt.jsonl"
"$MARSAD" facts --json "$TMPD/dt.jsonl" >"$TMPD/dt.json"
eq "a same-day time field is kept" "2018-04-07T03:39:53+04:00" "$(jq -r -s '.[0].report.published' "$TMPD/dt.json")"
eq "a time on another day is not" "2018-04-07" "$(jq -r -s '.[1].report.published' "$TMPD/dt.json")"
eq "relative dates still resolve against the day" "2018-04-06" "$(jq -r -s '.[0].dates[0].value' "$TMPD/dt.json")"
done_testing
