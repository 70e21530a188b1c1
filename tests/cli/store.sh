# store.sh: ingest, search and show through the marsad binary on real
# SQLite files: seeds, an ANT shard, re-ingest, SIGKILL mid-batch, bad input.
. "$(dirname "$0")/lib.sh"
need_shared seeds
need_shared corpus/ant-multisource/jsonl
SEEDS="$SHARED/seeds"
SHARD="$SHARED/corpus/ant-multisource/jsonl/CNN_2018-02.jsonl"
DB="$TMPD/s.db"
export MARSAD_DB="$DB"

for c in ingest search show; do
  ok "$c --help exits 0" "$MARSAD" "$c" --help
done
"$MARSAD" search >/dev/null 2>&1; eq "search without a query is a usage error" 2 $?
"$MARSAD" ingest >/dev/null 2>&1; eq "ingest without a path is a usage error" 2 $?
"$MARSAD" search --db "$TMPD/none.db" باغوز >/dev/null 2>&1
eq "search on a missing store fails" 3 $?
[ ! -e "$TMPD/none.db" ]; eq "search does not create a store" 0 $?

# --- seeds: titles, dateline, credit line
out=$("$MARSAD" ingest --json "$SEEDS"); rc=$?
eq "seeds ingest, exit 0" 0 "$rc"
nseeds=$(ls "$SEEDS"/*.txt | wc -l)
eq "every seed added" "$nseeds" "$(printf '%s' "$out" | jq .added)"
all_titles=1
# each seed's stored title comes from the top of its file (a long first
# line may be cut), and its text is the whole file, byte-exact
for id in $(sqlite3 "$DB" "SELECT id FROM reports"); do
  js=$("$MARSAD" show --json "$id")
  file=$(printf '%s' "$js" | jq -r .file)
  title=$(printf '%s' "$js" | jq -r .title)
  [ -n "$title" ] && [ "$title" != null ] || all_titles=0
  head -n 5 "$file" | grep -qF -- "$title" || all_titles=0
  printf '%s' "$js" | jq -j .text | cmp -s - "$file" || all_titles=0
done
eq "seed titles come from the top of their files, texts byte-exact" 1 "$all_titles"
dl=$(sqlite3 "$DB" "SELECT count(*) FROM reports WHERE published_origin='dateline' AND published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'")
dlf=$(grep -lE '^(السبت|الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة) [0-9]+ ' "$SEEDS"/*.txt | wc -l)
eq "a dateline gives published" "$dlf" "$dl"
cr=$(grep -l '^المصدر: ' "$SEEDS"/*.txt | wc -l)
crs=0
for f in $(grep -l '^المصدر: ' "$SEEDS"/*.txt); do
  want=$(sed -n 's/^المصدر: *//p' "$f" | head -1)
  got=$(sqlite3 "$DB" "SELECT outlet FROM reports WHERE file='$f'")
  [ "$want" = "$got" ] && crs=$((crs + 1))
done
eq "a credit line gives the outlet" "$cr" "$crs"

# --- re-ingest adds nothing
out=$("$MARSAD" ingest --json "$SEEDS")
eq "re-ingest adds nothing" 0 "$(printf '%s' "$out" | jq .added)"
eq "re-ingest: all already stored" "$nseeds" "$(printf '%s' "$out" | jq .already_stored)"

# --- search: spelling variants
a=$("$MARSAD" search --json --limit 50 بالباغوز | jq -r .id | sort | tr '\n' ' ')
b=$("$MARSAD" search --json --limit 50 الباغوز | jq -r .id | sort | tr '\n' ' ')
c=$("$MARSAD" search --json --limit 50 باغوز | jq -r .id | sort | tr '\n' ' ')
d=$(grep -l 'باغوز' "$SEEDS"/*.txt | wc -l)
eq "بالباغوز and الباغوز find the same reports" "$a" "$b"
eq "باغوز finds them too" "$a" "$c"
eq "as many as the seeds that name it" "$d" "$(printf '%s' "$a" | wc -w)"
q=$("$MARSAD" search --json --limit 50 'الدِّيمُقْرَاطِيَّةِ' | jq -r .id | sort | tr '\n' ' ')
p=$("$MARSAD" search --json --limit 50 'الديمقراطية' | jq -r .id | sort | tr '\n' ' ')
eq "a query with diacritics finds the same as without" "$p" "$q"
[ -n "$p" ]; eq "and finds something" 0 $?
n1=$("$MARSAD" search --json 630 | wc -l)
n2=$("$MARSAD" search --json ٦٣٠ | wc -l)
eq "Arabic-Indic digits match ASCII digits" "$n1" "$n2"
[ "$n1" -gt 0 ]; eq "630 is found" 0 $?
line=$("$MARSAD" search --json --limit 1 باغوز)
keys=$(printf '%s' "$line" | jq -c 'keys')
eq "--json keys" '["id","outlet","published","score","snippet","title"]' "$keys"
printf '%s' "$line" | jq -r .snippet | grep -q '\[.*باغوز\]'
eq "the snippet marks the match in the original words" 0 $?
"$MARSAD" search '{title}' >/dev/null 2>&1; r=$?
[ "$r" -le 1 ]; eq "FTS5 syntax in a query is taken as words" 0 $?
"$MARSAD" search 'NEAR(باغوز قسد)' >/dev/null 2>"$TMPD/err"
eq "NEAR is refused: usage error" 2 $?
grep -q 'NEAR is not part of the query language' "$TMPD/err"; eq "and it says so" 0 $?
"$MARSAD" search 'outlet:CNN باغوز' >/dev/null 2>"$TMPD/err"
eq "an unknown field is refused: usage error" 2 $?
grep -q "unknown field 'outlet:'" "$TMPD/err"; eq "and it is named" 0 $?
a=$("$MARSAD" search --json --limit 50 'باغوز قسد' | jq -r .id | sort | tr '\n' ' ')
b=$("$MARSAD" search --json --limit 50 'باغوز AND قسد' | jq -r .id | sort | tr '\n' ' ')
eq "AND between words is what words alone say" "$a" "$b"
[ -n "$a" ]; eq "and finds something" 0 $?
t=$("$MARSAD" search --json --limit 50 'title:باغوز' | jq -r .title)
nt=$(printf '%s\n' "$t" | grep -c .)
nb=$(printf '%s\n' "$t" | grep -c 'باغوز')
[ "$nt" -gt 0 ] && [ "$nt" = "$nb" ]; eq "title: finds only reports whose title has the word" 0 $?
all=$("$MARSAD" search --json --limit 50 'باغوز' | wc -l)
[ "$all" -gt "$nt" ]; eq "fewer than the word anywhere" 0 $?
for d in 2018-04-31 2018-13 2019-02-29 2018-00-10; do
  "$MARSAD" search --since "$d" باغوز >/dev/null 2>"$TMPD/err"
  eq "--since $d: usage error" 2 $?
  grep -q "'$d' is not a date" "$TMPD/err"; eq "--since $d: named" 0 $?
done
"$MARSAD" search --since 2016-02-29 --until 2030-12 باغوز >/dev/null 2>&1; r=$?
[ "$r" -le 1 ]; eq "--since 2016-02-29 (a leap day) is a date" 0 $?
"$MARSAD" search -- '-باغوز' >/dev/null 2>&1; eq "only exclusions: usage error" 2 $?
# --- search --queries FILE [--stats]: many queries in one process
printf '# a comment\nباغوز\n\nقسد\n' > "$TMPD/queries.txt"
n1=$("$MARSAD" search --json --limit 50 باغوز | wc -l)
n2=$("$MARSAD" search --json --limit 50 قسد | wc -l)
nq=$("$MARSAD" search --json --limit 50 --queries "$TMPD/queries.txt" | wc -l)
eq "--queries runs each line (comments, empty lines skipped)" "$((n1 + n2))" "$nq"
st=$("$MARSAD" search --json --queries "$TMPD/queries.txt" --stats)
eq "--stats: the queries counted" 2 "$(printf '%s' "$st" | jq .queries)"
eq "--stats: every match counted" "$((n1 + n2))" "$(printf '%s' "$st" | jq .matches)"
[ "$(printf '%s' "$st" | jq '.p50_us <= .p95_us and .p95_us <= .p99_us and .p50_us > 0')" = true ]
eq "--stats: p50 <= p95 <= p99, in µs" 0 $?
"$MARSAD" search --stats باغوز >/dev/null 2>&1; eq "--stats without --queries: usage error" 2 $?
"$MARSAD" search --queries "$TMPD/none.txt" >/dev/null 2>"$TMPD/err"
eq "--queries on a missing file: usage error" 2 $?
grep -q "none.txt" "$TMPD/err"; eq "the missing query file is named" 0 $?
"$MARSAD" search --since 2019/01 باغوز >/dev/null 2>&1; eq "bad date: usage error" 2 $?
"$MARSAD" search قطعاوليسفيالنص >/dev/null 2>&1; eq "no hits: exit 1" 1 $?
"$MARSAD" show nosuchid >/dev/null 2>&1; eq "show of an unknown id: exit 1" 1 $?
"$MARSAD" search --outlet مصراوي --json --limit 50 داعش | jq -r .outlet | sort -u > "$TMPD/o"
eq "--outlet filters" "مصراوي" "$(cat "$TMPD/o")"

# --- an ANT shard: lines minus exact duplicates (computed with jq)
ADB="$TMPD/ant.db"
lines=$(wc -l < "$SHARD")
distinct=$(jq -c .text "$SHARD" | sort -u | wc -l)
out=$("$MARSAD" ingest --db "$ADB" --json "$SHARD"); rc=$?
eq "ANT shard: exit 0" 0 "$rc"
eq "ANT shard: added = lines - exact duplicates" "$distinct" "$(printf '%s' "$out" | jq .added)"
eq "ANT shard: every line accounted for" "$lines" "$(printf '%s' "$out" | jq '.added + .duplicates + .already_stored')"
srcid=$(head -1 "$SHARD" | jq -r .id)
eq "show by source id" "$srcid" "$("$MARSAD" show --db "$ADB" --json "$srcid" | jq -r .source_id)"

# --- SIGKILL in the middle of a batch (a real kill -9 of the process)
KDB="$TMPD/kill.db"
rc=$(MARSAD_TEST_KILL_AFTER=75 bash -c '"$0" ingest --db "$1" --batch 20 "$2" >/dev/null 2>&1; echo $?' \
  "$MARSAD" "$KDB" "$SHARD" 2>/dev/null)
eq "the ingest was killed by SIGKILL" 137 "$rc"
eq "after the kill: the store is sound" 0 "$("$MARSAD" ingest --db "$KDB" --check >/dev/null 2>&1; echo $?)"
eq "after the kill: exactly the committed batches" 60 "$(sqlite3 "$KDB" 'SELECT count(*) FROM reports')"
out=$("$MARSAD" ingest --db "$KDB" --json --batch 20 "$SHARD")
eq "the rerun adds the rest" "$((distinct - 60))" "$(printf '%s' "$out" | jq .added)"
eq "the rerun ends complete" "$distinct" "$(sqlite3 "$KDB" 'SELECT count(*) FROM reports')"
# and a kill at an arbitrary moment
KDB2="$TMPD/kill2.db"
"$MARSAD" ingest --db "$KDB2" --batch 7 "$SHARD" >/dev/null 2>&1 &
pid=$!
# on a loaded machine the process may not have made the file in 0.4 s (a
# kill then leaves no store to check): wait for the file, then a moment
for _ in $(seq 200); do [ -e "$KDB2" ] && break; sleep 0.05; done
sleep 0.3
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
eq "kill at any moment: the store is sound" 0 "$("$MARSAD" ingest --db "$KDB2" --check >/dev/null 2>&1; echo $?)"
"$MARSAD" ingest --db "$KDB2" "$SHARD" >/dev/null 2>&1
eq "kill at any moment: the rerun completes" "$distinct" "$(sqlite3 "$KDB2" 'SELECT count(*) FROM reports')"

# --- bad input never loses stored data
before=$(sqlite3 "$DB" 'SELECT count(*) FROM reports')
head -c 3000 /bin/sh > "$TMPD/binary.txt"
: > "$TMPD/empty.txt"
{ head -2 "$SHARD"; echo '{"id": "x", "text": "مقطوع'; } > "$TMPD/trunc.jsonl"
"$MARSAD" ingest "$TMPD/binary.txt" "$TMPD/empty.txt" "$TMPD/trunc.jsonl" \
  "$TMPD/missing.txt" >/dev/null 2>"$TMPD/err"
eq "bad inputs: exit 1" 1 $?
grep -q 'binary.txt' "$TMPD/err"; eq "the binary file is named" 0 $?
grep -q 'trunc.jsonl:3' "$TMPD/err"; eq "the truncated line is named with its line" 0 $?
grep -q 'missing.txt' "$TMPD/err"; eq "the missing file is named" 0 $?
after=$(sqlite3 "$DB" 'SELECT count(*) FROM reports')
eq "the good lines went in beside them" "$((before + 2))" "$after"
printf 'not a database at all\n' > "$TMPD/text.db"
cp "$TMPD/text.db" "$TMPD/text.db.orig"
"$MARSAD" ingest --db "$TMPD/text.db" "$SEEDS" >/dev/null 2>&1
eq "a store that is not a SQLite file: exit 3" 3 $?
cmp -s "$TMPD/text.db" "$TMPD/text.db.orig"; eq "and it is left untouched" 0 $?
eq "the store is still sound" 0 "$("$MARSAD" ingest --check >/dev/null 2>&1; echo $?)"

# --- parallel ingest (issue 15): on 1, 2 and 3 threads (3: a helper
# makes the terms) the same reports, the same full-text index byte for
# byte, the same rejections in the same order; small batches, a repeated
# input (reports not added) and bad lines between good ones
dump_store() {
  sqlite3 "$1" "SELECT n, id, source_id, outlet, url, published, title,
    text, text_hash, file, line FROM reports ORDER BY n;
    SELECT * FROM reports_fts_data; SELECT * FROM reports_fts_idx;
    SELECT * FROM reports_fts_docsize" | cksum
}
for t in 1 2 3; do
  MARSAD_THREADS=$t "$MARSAD" ingest --db "$TMPD/par$t.db" --batch 7 \
    "$SHARD" "$TMPD/trunc.jsonl" "$SEEDS" "$SHARD" \
    >/dev/null 2>"$TMPD/par$t.err"
done
n1=$(sqlite3 "$TMPD/par1.db" 'SELECT count(*) FROM reports')
[ "$n1" -gt 100 ]; eq "one thread stored the shard and the seeds" 0 $?
for t in 2 3; do
  eq "$t threads: the same store and index as one" \
    "$(dump_store "$TMPD/par1.db")" "$(dump_store "$TMPD/par$t.db")"
  cmp -s "$TMPD/par1.err" "$TMPD/par$t.err"
  eq "$t threads: the same rejections in the same order" 0 $?
done

# --- parallel facts (issue 15): analyze extracts on worker threads while
# the calling thread writes each batch in the order stored; on 1, 2 and 3
# threads, in batches of 7 (many batches in flight), the stored facts,
# marks, stories and passages are the same byte for byte
ANALYSIS_SQL="SELECT * FROM facts ORDER BY 1;
  SELECT key, value FROM meta WHERE key LIKE 'facts.%' OR key LIKE 'story.%'
    ORDER BY key;
  SELECT id, title, first_seen, last_seen, claims, conflicts,
    CAST(sqlar_uncompress(claims_json, claims_size) AS TEXT), packed,
    CAST(sqlar_uncompress(json, size) AS TEXT) FROM stories ORDER BY id;
  SELECT * FROM story_reports ORDER BY 1, 2;
  SELECT * FROM links ORDER BY 1, 2, 3"
dump_analysis() {
  sqlite3 "$1" "$ANALYSIS_SQL" | cksum
}
for t in 1 2 3; do
  cp "$TMPD/par1.db" "$TMPD/an$t.db"
  MARSAD_THREADS=$t "$MARSAD" analyze --db "$TMPD/an$t.db" --batch 7 "$SEEDS" \
    >/dev/null 2>&1
  eq "analyze on $t threads exits 0" 0 $?
done
# (a query the schema no longer answers would compare nothing)
ok "the dump reads the facts, marks, stories and links" \
  sqlite3 -bail "$TMPD/an1.db" "$ANALYSIS_SQL"
eq "one thread's facts reach the last report" \
  "$(sqlite3 "$TMPD/an1.db" 'SELECT max(n) FROM reports')" \
  "$(sqlite3 "$TMPD/an1.db" "SELECT value FROM meta WHERE key = 'facts.last_row'")"
nf=$(sqlite3 "$TMPD/an1.db" 'SELECT count(DISTINCT report) FROM facts' 2>/dev/null)
[ "$nf" -gt 100 ]; eq "... and facts of most reports to compare" 0 $?
for t in 2 3; do
  eq "analyze on $t threads: the same facts, marks and stories as one" \
    "$(dump_analysis "$TMPD/an1.db")" "$(dump_analysis "$TMPD/an$t.db")"
done
done_testing
