#!/bin/bash
# numbers.sh: `marsad numbers` on text and on the seeds: NDJSON fields,
# spans that slice back, open ends as null, the table form, exit codes.
. "$(dirname "$0")/lib.sh"

printf 'قتل أزيد من 630 مدنيا و1600 مقاتل، ونزح ما بين 150 ألف إلى 200 ألف، وما يصل إلى ٣٫٥ مليون دولار.' > "$TMPD/a.txt"
"$MARSAD" numbers --json "$TMPD/a.txt" > "$TMPD/a.json"; rc=$?
eq "numbers --json exits 0" 0 "$rc"
eq "four expressions" 4 "$(wc -l < "$TMPD/a.json" | tr -d ' ')"
ok "NDJSON with start,end,text,min,max,qualifier; spans slice back" python3 -c '
import json,sys
raw=open(sys.argv[1],"rb").read()
rows=[json.loads(l) for l in open(sys.argv[2],encoding="utf-8")]
for o in rows:
    assert {"start","end","text","min","max","qualifier"} <= set(o), o
    assert raw[o["start"]:o["end"]].decode("utf-8") == o["text"], o
want=[("أزيد من 630",630,None,"more_than"),("1600",1600,1600,"exact"),
      ("ما بين 150 ألف إلى 200 ألف",150000,200000,"range"),
      ("ما يصل إلى ٣٫٥ مليون",None,3500000,"up_to")]
got=[(o["text"],o["min"],o["max"],o["qualifier"]) for o in rows]
assert got==want, got
' "$TMPD/a.txt" "$TMPD/a.json"
eq "open end is null" '"max":null' "$(head -1 "$TMPD/a.json" | grep -o '"max":null')"

"$MARSAD" numbers < "$TMPD/a.txt" > "$TMPD/a.tsv"; rc=$?
eq "table from stdin exits 0" 0 "$rc"
eq "table row: start end qualifier min max flags text" $'7\t24\tmore_than\t630\t-\tdigits\tأزيد من 630' \
  "$(head -1 "$TMPD/a.tsv")"
eq "table has one row per expression" 4 "$(wc -l < "$TMPD/a.tsv" | tr -d ' ')"

need_shared seeds
all=0
for f in "$SHARED"/seeds/*.txt; do
  n=$("$MARSAD" numbers --json "$f" | python3 -c '
import json,sys
raw=open(sys.argv[1],"rb").read(); n=0
for l in sys.stdin:
    o=json.loads(l); n+=1
    assert raw[o["start"]:o["end"]].decode("utf-8")==o["text"]
print(n)' "$f") || n=x
  [ "$n" = x ] && all=x
  [ "$all" != x ] && all=$((all + n))
done
ok "every seed span slices back (read $all expressions)" test "$all" != x -a "$all" != 0

printf 'نحو 12\xff\xfe' > "$TMPD/bad.txt"
"$MARSAD" numbers "$TMPD/bad.txt" > "$TMPD/bad.out" 2> "$TMPD/bad.err"; rc=$?
eq "invalid UTF-8 exits 1" 1 "$rc"
ok "the error names the input" grep -q "bad.txt" "$TMPD/bad.err"
eq "the number is still read" "approx" "$(cut -f3 "$TMPD/bad.out")"
"$MARSAD" numbers "$TMPD/missing.txt" 2> "$TMPD/m.err"; rc=$?
eq "missing file exits 3" 3 "$rc"
ok "missing file named" grep -q "missing.txt" "$TMPD/m.err"
"$MARSAD" numbers --bogus 2>/dev/null; eq "unknown option exits 2" 2 "$?"
"$MARSAD" numbers a b 2>/dev/null; eq "two inputs exit 2" 2 "$?"
ok "--help" "$MARSAD" numbers --help
ok "help numbers names --json" sh -c "'$MARSAD' help numbers | grep -q -- --json"
eq "empty input gives nothing" "" "$("$MARSAD" numbers --json < /dev/null)"
done_testing
