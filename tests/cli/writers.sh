# writers.sh: several marsad processes writing one store at once (real
# processes on a real SQLite file): two and three concurrent `ingest`, two
# concurrent `analyze`. After each, `marsad check` finds the store whole and
# search gives exactly what a store filled by one writer gives.
. "$(dirname "$0")/lib.sh"
need_shared corpus/ant-multisource/jsonl
J="$SHARED/corpus/ant-multisource/jsonl"
A="$J/CNN_2018-02.jsonl"
B="$J/BBC_2018-10.jsonl"
C="$J/BBC_2018-02.jsonl"
QUERIES="قتل الرئيس مصر سوريا 2018 الحكومة"

# hits "db": every query's hits as "query id score" lines, in rank order
hits() {
  for q in $QUERIES; do
    "$MARSAD" search --db "$1" --json --limit 30 "$q" |
      jq -r --arg q "$q" '"\($q) \(.id) \(.score * 1000000 | round)"'
  done
}

# one writer: the reference
REF="$TMPD/ref.db"
"$MARSAD" ingest --db "$REF" "$A" "$B" "$C" >/dev/null 2>&1
eq "one writer: exit 0" 0 $?
hits "$REF" > "$TMPD/ref.hits"
[ -s "$TMPD/ref.hits" ]; eq "the reference store finds something" 0 $?

# two processes creating one new store at the same moment, again and again:
# switching a new file to WAL needs its exclusive lock, which SQLite takes
# without waiting, so the one that loses must retry, not fail "locked"
# (before the retry, on a loaded machine, 9 pairs in 40 failed with these files)
lost=""
for i in 1 2 3 4 5 6 7 8; do
  NEWDB="$TMPD/new$i.db"
  "$MARSAD" ingest --db "$NEWDB" --batch 3 "$A" >/dev/null 2>"$NEWDB.e1" & p1=$!
  "$MARSAD" ingest --db "$NEWDB" --batch 3 "$B" >/dev/null 2>"$NEWDB.e2" & p2=$!
  wait $p1 || lost="$lost $i:$(cat "$NEWDB.e1")"
  wait $p2 || lost="$lost $i:$(cat "$NEWDB.e2")"
done
eq "2 processes creating one store, 8 times: none fails" "" "$lost"

# run N writers at once (small batches, so their transactions interleave);
# prints their exit codes
together() { # db cmd file...
  db=$1; cmd=$2; shift 2
  pids=""
  for f in "$@"; do
    "$MARSAD" "$cmd" --db "$db" --batch 3 "$f" >/dev/null 2>"$db.$(basename "$f").err" &
    pids="$pids $!"
  done
  codes=""
  for p in $pids; do wait "$p"; codes="$codes$?"; done
  echo "$codes"
}

for n in 2 3; do
  DB="$TMPD/w$n.db"
  # the first writer creates the store while the others start
  if [ "$n" = 2 ]; then codes=$(together "$DB" ingest "$A" "$B"); want=00
    "$MARSAD" ingest --db "$DB" "$C" >/dev/null 2>&1
  else codes=$(together "$DB" ingest "$A" "$B" "$C"); want=000; fi
  eq "$n concurrent ingests: all exit 0" "$want" "$codes"
  "$MARSAD" check --db "$DB" >"$TMPD/check$n" 2>&1
  eq "$n concurrent ingests: marsad check is clean" 0 $?
  eq "$n concurrent ingests: as many reports as one writer" \
    "$(sqlite3 "$REF" 'SELECT count(*) FROM reports')" \
    "$(sqlite3 "$DB" 'SELECT count(*) FROM reports')"
  hits "$DB" > "$TMPD/w$n.hits"
  cmp -s "$TMPD/ref.hits" "$TMPD/w$n.hits"
  eq "$n concurrent ingests: search gives what one writer's store gives" 0 $?
done

# two analyze at once, then one more over the lot: the same stories and
# the same search as one analyze of everything
AREF="$TMPD/aref.db"
"$MARSAD" analyze --db "$AREF" "$A" "$B" >/dev/null 2>&1
ADB="$TMPD/a2.db"
pids=""
for f in "$A" "$B"; do
  "$MARSAD" analyze --db "$ADB" "$f" >/dev/null 2>"$TMPD/a2.err" &
  pids="$pids $!"
done
codes=""
for p in $pids; do wait "$p"; codes="$codes$?"; done
eq "2 concurrent analyze: both exit 0" 00 "$codes"
"$MARSAD" check --db "$ADB" >/dev/null 2>&1
eq "2 concurrent analyze: marsad check is clean" 0 $?
cmp -s <(hits "$AREF") <(hits "$ADB")
eq "2 concurrent analyze: search gives what one writer's store gives" 0 $?
"$MARSAD" analyze --db "$ADB" "$A" >/dev/null 2>&1
stories() { "$MARSAD" stories --db "$1" --json | jq -c "[.id, (.reports | sort)]" | sort; }
cmp -s <(stories "$AREF") <(stories "$ADB")
eq "2 concurrent analyze, then one more: the stories of one analyze" 0 $?
done_testing
