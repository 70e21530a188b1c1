#!/bin/bash
# reuse.sh: `marsad reuse` over the seeds and our own texts: the pair
# 000/003 and its verbatim passages (byte ranges sliced back), a copy in a
# JSON Lines file with a date (direction), exit codes, determinism.
. "$(dirname "$0")/lib.sh"
need_shared seeds

"$MARSAD" reuse --json "$SHARED/seeds" > "$TMPD/s.json"; rc=$?
eq "reuse over the seeds exits 0" 0 "$rc"
eq "one pair among the five seeds" 1 "$(wc -l < "$TMPD/s.json" | tr -d ' ')"
ok "passages slice back to equal stems in both seeds; 1a-1c and 2a, 2b inside" python3 -c '
import json,sys
o=json.loads(open(sys.argv[1],encoding="utf-8").readline())
a=open(sys.argv[2],"rb").read(); b=open(sys.argv[3],"rb").read()
ps=o["passages"]
# the pair may come either way round
if not any(p["a_start"]<=4849 and p["a_end"]>=5211 for p in ps):
    a,b=b,a
for p in ps:
    assert a[p["a_start"]:p["a_end"]].decode("utf-8")==p["text"], p
def cov(x0,x1,y0,y1):
    return any(p["a_start"]<=x0 and p["a_end"]>=x1-1 and p["b_start"]<=y0 and p["b_end"]>=y1-1 for p in ps)
need=[(4849,4979,2754,2884),(5038,5163,2887,3012),(5168,5211,3030,3073),(1805,1891,2352,2438),(2528,2619,2500,2591)]
sys.exit(0 if all(cov(*n) for n in need) and o["near_duplicate"] is False else 1)
' "$TMPD/s.json" "$SHARED/seeds/000_5bd3842f4a76ea8a.txt" "$SHARED/seeds/003_14e11948ae9a6427.txt"

"$MARSAD" reuse --json "$SHARED/seeds" > "$TMPD/s2.json"
ok "same output on a second run" cmp "$TMPD/s.json" "$TMPD/s2.json"

# our own texts: a dispatch and a later edited copy, one in another outlet
python3 - "$TMPD/w.jsonl" <<'PY'
import json,sys
s1="أعلنت هيئة الأرصاد في بيان صباح اليوم أن موجة حر شديدة ستضرب المناطق الداخلية حتى نهاية الأسبوع مع درجات حرارة تتجاوز الخامسة والأربعين."
s2="ودعت الهيئة السكان إلى تجنب التعرض المباشر لأشعة الشمس في ساعات الظهيرة وشرب كميات كافية من الماء ومتابعة النشرات الجوية."
s3="وفي خبر آخر افتتحت البلدية حديقة عامة جديدة في الحي الشرقي تضم ملاعب للأطفال ومسارا للدراجات."
rows=[{"id":"w1","source":"wire","date":"2020-07-01","title":"موجة حر","text":s1+" "+s2},
      {"id":"w2","source":"paper","date":"2020-07-02","title":"حر شديد","text":s3+" "+s2.replace("السكان","المواطنين")+" "+s1},
      {"id":"w3","source":"paper","date":"2020-07-02","title":"حديقة","text":s3}]
with open(sys.argv[1],"w",encoding="utf-8") as f:
    for r in rows: f.write(json.dumps(r,ensure_ascii=False)+"\n")
PY
"$MARSAD" reuse --json "$TMPD/w.jsonl" > "$TMPD/w.json"
ok "edited, reordered copy: both passages, near-duplicate, w1 first" python3 -c '
import json,sys
ls=[json.loads(l) for l in open(sys.argv[1],encoding="utf-8")]
p=[o for o in ls if len(o["passages"])==2]
assert len(p)==1, ls
o=p[0]
assert o["near_duplicate"] and o["first"] is not None
' "$TMPD/w.json"
"$MARSAD" reuse --id w3 "$TMPD/w.jsonl" > "$TMPD/w3.txt"
eq "--id keeps only that report's pairs" "" "$(grep -v '^ ' "$TMPD/w3.txt" | grep -v w3)"

# the store: same pair as from the files
"$MARSAD" ingest --db "$TMPD/s.db" "$SHARED/seeds" >/dev/null 2>&1
"$MARSAD" reuse --db "$TMPD/s.db" --json > "$TMPD/db.json"; rc=$?
eq "reuse --db exits 0" 0 "$rc"
ok "the store gives the same pairs as the files" cmp "$TMPD/s.json" "$TMPD/db.json"
id=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["a"])' "$TMPD/db.json")
eq "reuse --db ID keeps its pair" 1 "$("$MARSAD" reuse --db "$TMPD/s.db" --json "$id" | wc -l | tr -d ' ')"
"$MARSAD" reuse --db "$TMPD/none.db" >/dev/null 2>&1; eq "a missing store is a failure" 3 "$?"
"$MARSAD" reuse --bogus x >/dev/null 2>&1; eq "unknown option is a usage error" 2 "$?"
"$MARSAD" reuse "$TMPD/missing.txt" "$SHARED/seeds" > /dev/null 2> "$TMPD/err"; rc=$?
eq "a missing input is partial" 1 "$rc"
ok "the error names the input" grep -q missing.txt "$TMPD/err"
"$MARSAD" reuse --help > /dev/null; eq "--help exits 0" 0 "$?"
done_testing
