#!/bin/bash
# tokens.sh: `marsad tokens` on real text: offsets slice back to the text,
# NDJSON is valid, flags and exit codes.
. "$(dirname "$0")/lib.sh"

printf 'قالت «قسد» إن و1600 مقاتل، و٣٫٥ مليون.' > "$TMPD/a.txt"
"$MARSAD" tokens "$TMPD/a.txt" > "$TMPD/a.tsv"; rc=$?
eq "tokens exits 0" 0 "$rc"
eq "one line per token" 13 "$(wc -l < "$TMPD/a.tsv" | tr -d ' ')"
eq "second line is the opening quote" $'9\t11\tpunct\t«\t«\t«' "$(sed -n 2p "$TMPD/a.tsv")"
eq "glued prefixes are split" "و 1600,و ٣٫٥," "$(awk -F'\t' '$3=="arabic" && $4=="و"{getline n; split(n,f,"\t"); printf "%s %s,", $4, f[4]}' "$TMPD/a.tsv")"
eq "Arabic-Indic decimal normalised" "3.5" "$(awk -F'\t' '$3=="number"{x=$5} END{print x}' "$TMPD/a.tsv")"

# every [start,end) slices back to the token text
bad=0
while IFS=$'\t' read -r s e k txt norm stem; do
  got=$(tail -c +$((s + 1)) "$TMPD/a.txt" | head -c $((e - s)))
  [ "$got" = "$txt" ] || bad=$((bad + 1))
done < "$TMPD/a.tsv"
eq "offsets slice back to each token" 0 "$bad"

"$MARSAD" tokens --json < "$TMPD/a.txt" > "$TMPD/a.json"
ok "--json is NDJSON with the six fields" python3 -c '
import json,sys
n=0
for line in open(sys.argv[1], encoding="utf-8"):
    o=json.loads(line); n+=1
    assert set(["start","end","text","kind","norm","stem"]) <= set(o), o
sys.exit(0 if n==13 else 1)' "$TMPD/a.json"
eq "json marks the split prefixes" 2 "$(grep -c '"split_prefix"' "$TMPD/a.json")"
eq "stem of «المرصد» in json" '"stem":"مرصد"' "$(printf 'المرصد' | "$MARSAD" tokens --json | grep -o '"stem":"[^"]*"')"

printf 'ab\xff\xfecd' > "$TMPD/bad.txt"
"$MARSAD" tokens "$TMPD/bad.txt" > "$TMPD/bad.out" 2> "$TMPD/bad.err"; rc=$?
eq "invalid UTF-8 exits 1" 1 "$rc"
ok "the error names the input" grep -q "bad.txt" "$TMPD/bad.err"
eq "invalid bytes become two symbols" 2 "$(awk -F'\t' '$3=="symbol"' "$TMPD/bad.out" | wc -l | tr -d ' ')"

"$MARSAD" tokens "$TMPD/missing.txt" 2> "$TMPD/m.err"; rc=$?
eq "missing file exits 3" 3 "$rc"
ok "missing file named" grep -q "missing.txt" "$TMPD/m.err"
"$MARSAD" tokens --bogus 2>/dev/null; eq "unknown option exits 2" 2 "$?"
ok "--help" "$MARSAD" tokens --help
eq "empty input gives no tokens" "" "$("$MARSAD" tokens < /dev/null)"
done_testing
