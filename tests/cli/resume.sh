# resume.sh: `marsad analyze` killed (SIGKILL) at random points, each time
# followed by a consistency check of the store and a rerun that must end
# with the stories of an uninterrupted run and must not extract again the
# facts of the batches committed before the kill (issue 12, item 5).
. "$(dirname "$0")/lib.sh"
need_shared corpus/ant-multisource/jsonl
command -v sqlite3 >/dev/null || { echo "not ok 1 - sqlite3 (the shell) is needed"; exit 1; }

# about 155 reports from several outlets and months
IN="$TMPD/in.jsonl"
for f in "$SHARED"/corpus/ant-multisource/jsonl/*_2018-0[1-3].jsonl; do
  head -n 16 "$f"
done >"$IN"
total_lines=$(wc -l <"$IN")
BATCH=12

# the uninterrupted run, and how long it takes
t0=$(date +%s%N)
"$MARSAD" analyze --batch $BATCH --db "$TMPD/ref.db" "$IN" >/dev/null 2>&1
eq "an uninterrupted run exits 0" 0 $?
t1=$(date +%s%N)
dur_ms=$(( (t1 - t0) / 1000000 ))
"$MARSAD" stories --db "$TMPD/ref.db" --json >"$TMPD/ref.json"
nrep=$(sqlite3 "$TMPD/ref.db" "SELECT count(*) FROM reports")
ok "the input gives reports ($nrep of $total_lines lines) and stories" \
  test "$nrep" -gt 100 -a -s "$TMPD/ref.json"

# consistency of a store after a kill: `marsad check` where it exists,
# else SQLite's pages and the full-text index (ingest --check); then facts
# only for reports up to the mark of the last committed batch, and every
# story whole (members stored, none empty, its JSON naming them all)
facts_mark() { # $1 = db
  sqlite3 "$1" "SELECT coalesce((SELECT value FROM meta WHERE key = 'facts.last_row'), 0)"
}
consistent() { # $1 = db
  db=$1
  if "$MARSAD" check --help >/dev/null 2>&1; then
    "$MARSAD" check --db "$db" >/dev/null 2>&1 || return 1
  else
    "$MARSAD" ingest --check --db "$db" >/dev/null 2>&1 || return 1
  fi
  last=$(facts_mark "$db")
  beyond=$(sqlite3 "$db" "SELECT count(*) FROM facts f JOIN reports r ON r.n = f.report WHERE r.n > $last")
  [ "$beyond" = 0 ] || return 1
  orphans=$(sqlite3 "$db" "SELECT count(*) FROM story_reports sr WHERE sr.report_id NOT IN (SELECT id FROM reports) OR sr.story_id NOT IN (SELECT id FROM stories)")
  [ "$orphans" = 0 ] || return 1
  empty=$(sqlite3 "$db" "SELECT count(*) FROM stories s WHERE NOT EXISTS (SELECT 1 FROM story_reports r WHERE r.story_id = s.id)")
  [ "$empty" = 0 ] || return 1
  # a story's stored members are the reports its JSON names (beside them,
  # their copies; the document is deflated: sqlar_uncompress reads it)
  bad=$(sqlite3 "$db" "SELECT count(*) FROM stories s WHERE (SELECT count(*) FROM json_each(CAST(sqlar_uncompress(s.json, s.size) AS TEXT), '\$.reports') j WHERE j.value IN (SELECT id FROM reports)) != (SELECT count(*) FROM story_reports r WHERE r.story_id = s.id) OR EXISTS (SELECT 1 FROM json_each(CAST(sqlar_uncompress(s.json, s.size) AS TEXT), '\$.reports') j WHERE j.value NOT IN (SELECT id FROM reports) AND j.value NOT IN (SELECT id FROM report_copies))")
  [ "$bad" = 0 ]
}

seed=${RESUME_SEED:-$$}
echo "# kill points drawn with seed $seed within the run's length (${dur_ms} ms at first)"
# 40 points in (0, 1), drawn once; a point is a fraction of the current
# estimate of a run's length, which shrinks when a run ends before its kill
awk -v s="$seed" 'BEGIN { srand(s); for (i = 0; i < 40; i++) printf "%.4f\n", 0.02 + 0.93 * rand() }' >"$TMPD/points"
kills=0
attempt=0
while [ "$kills" -lt 12 ] && [ "$attempt" -lt 40 ]; do
  attempt=$((attempt + 1))
  k=$attempt
  db="$TMPD/k$k.db"
  frac=$(sed -n "${k}p" "$TMPD/points")
  ms=$(awk -v f="$frac" -v d="$dur_ms" 'BEGIN { printf "%d", 1 + f * d }')
  s0=$(date +%s%N)
  "$MARSAD" analyze --batch $BATCH --db "$db" "$IN" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
  if kill -KILL "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null
  else
    # it ended before its kill: runs are quicker than measured
    wait "$pid" 2>/dev/null
    dur_ms=$(( ($(date +%s%N) - s0) / 1000000 ))
    rm -f "$db" "$db-wal" "$db-shm"
    continue
  fi
  kills=$((kills + 1))
  if [ ! -f "$db" ]; then
    # killed before the store was made: the rerun starts from nothing
    committed=0
  else
    ok "kill $kills at ${ms} ms: the store is consistent" consistent "$db"
    last=$(facts_mark "$db")
    committed=$(sqlite3 "$db" "SELECT count(*) FROM reports WHERE n <= $last")
  fi
  "$MARSAD" analyze --stats --batch $BATCH --db "$db" "$IN" >/dev/null 2>"$TMPD/k$k.err"
  eq "kill $kills: the rerun exits 0" 0 $?
  want=$((nrep - committed))
  got=$(sed -n 's/^facts extracted for \([0-9]*\) of \([0-9]*\) reports.*/\1/p' "$TMPD/k$k.err")
  eq "kill $kills: the rerun extracts the $want reports not committed before" "$want" "$got"
  "$MARSAD" stories --db "$db" --json >"$TMPD/k$k.json"
  ok "kill $kills: the rerun ends with the stories of an uninterrupted run" \
    cmp "$TMPD/ref.json" "$TMPD/k$k.json"
  rm -f "$db" "$db-wal" "$db-shm"
done
ok "at least 10 runs were killed before their end ($kills)" test "$kills" -ge 10

done_testing
