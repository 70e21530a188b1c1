# robust.sh: hostile files and damaged stores, through the marsad binary
# on real files: a FIFO, a socket and a foreign SQLite file in the way;
# gzip with bytes after its end, in two members, truncated; feed items
# that share a link but not a text;
# `marsad check` and `check --repair` over a damaged full-text index,
# damaged facts and stories, and damaged pages.
. "$(dirname "$0")/lib.sh"
need_shared seeds
SEEDS="$SHARED/seeds"

# --- a folder walk reads regular files only
D="$TMPD/folder"
mkdir -p "$D"
cp "$SEEDS"/001*.txt "$D/a.txt"
mkfifo "$D/x.txt"
/usr/bin/python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$D/s.txt"
# a FIFO with no writer would block open() for ever: timeout is only a
# guard against that hang, not a measure of speed
timeout 20 "$MARSAD" ingest --db "$TMPD/f.db" "$D" >/dev/null 2>"$TMPD/ferr"
rc=$?
eq "a FIFO and a socket in a folder: skipped, the rest read (exit 1)" 1 "$rc"
grep -q 'x.txt: not a regular file (a FIFO): skipped' "$TMPD/ferr"
eq "the FIFO is named" 0 $?
grep -q 's.txt: not a regular file (a socket): skipped' "$TMPD/ferr"
eq "the socket is named" 0 $?
eq "the regular file went in" 1 "$(sqlite3 "$TMPD/f.db" 'SELECT count(*) FROM reports')"
# a pipe named on the command line is read as usual
mkfifo "$TMPD/p.txt"
cat "$SEEDS"/002*.txt > "$TMPD/p.txt" &
timeout 20 "$MARSAD" ingest --db "$TMPD/f.db" "$TMPD/p.txt" >/dev/null 2>&1
eq "a FIFO given by name is read" 0 $?
wait

# --- gzip: bytes after the gzip data are named; the reports before them kept
printf '{"id":"g1","text":"نص أول عن قصف البلدة."}\n{"id":"g2","text":"نص ثان عن نزوح الأسر."}\n{"id":"g3","text":"نص ثالث عن الفيضانات."}\n' > "$TMPD/g.jsonl"
gzip -c "$TMPD/g.jsonl" > "$TMPD/g.jsonl.gz"
cp "$TMPD/g.jsonl.gz" "$TMPD/junk.jsonl.gz"
printf 'these bytes are not gzip\n' >> "$TMPD/junk.jsonl.gz"
{ head -2 "$TMPD/g.jsonl" | gzip -c; tail -1 "$TMPD/g.jsonl" | gzip -c; } > "$TMPD/multi.jsonl.gz"
out=$("$MARSAD" ingest --json --db "$TMPD/gz1.db" "$TMPD/g.jsonl.gz" 2>"$TMPD/err"); rc=$?
eq "a sound .gz: exit 0, every line in" "0 3" "$rc $(printf '%s' "$out" | jq .added)"
out=$("$MARSAD" ingest --json --db "$TMPD/gz2.db" "$TMPD/junk.jsonl.gz" 2>"$TMPD/err"); rc=$?
eq "a .gz with bytes after its end: exit 1, every line in" "1 3" "$rc $(printf '%s' "$out" | jq .added)"
grep -q 'junk.jsonl.gz: 25 bytes after the end of the gzip data are not gzip data' "$TMPD/err"
eq "the file is named, with the bytes" 0 $?
"$MARSAD" ingest --db "$TMPD/gz3.db" - < "$TMPD/junk.jsonl.gz" >/dev/null 2>"$TMPD/err"
grep -q '^marsad ingest: -: 25 bytes after' "$TMPD/err"; eq "on standard input too" 0 $?
out=$("$MARSAD" ingest --json --db "$TMPD/gz4.db" "$TMPD/multi.jsonl.gz" 2>"$TMPD/err"); rc=$?
eq "a .gz of two members (cat a.gz b.gz): exit 0, every line in" "0 3" "$rc $(printf '%s' "$out" | jq .added)"
head -c $(( $(wc -c < "$TMPD/g.jsonl.gz") - 12 )) "$TMPD/g.jsonl.gz" > "$TMPD/trunc.jsonl.gz"
"$MARSAD" ingest --db "$TMPD/gz5.db" "$TMPD/trunc.jsonl.gz" >/dev/null 2>"$TMPD/err"
eq "a truncated .gz: exit 1" 1 $?
grep -q 'trunc.jsonl.gz: corrupt or truncated gzip data' "$TMPD/err"; eq "and named" 0 $?

# --- feed items with one link and different texts: said, not silent
{
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>وكالة التجربة</title>\n'
  for t in "ارتفع عدد القتلى في الفيضانات إلى 12 شخصا." "ارتفع عدد القتلى في الفيضانات إلى 15 شخصا بحسب الدفاع المدني." "ارتفع عدد القتلى في الفيضانات إلى 19 شخصا وفق مصادر طبية."; do
    printf '<item><title>فيضانات</title><link>http://example.org/news/1</link><description>%s</description></item>\n' "$t"
  done
  printf '</channel></rss>\n'
} > "$TMPD/same.rss"
out=$("$MARSAD" ingest --json --db "$TMPD/feed.db" "$TMPD/same.rss" 2>"$TMPD/err")
eq "three items, one link: one report stored" 1 "$(printf '%s' "$out" | jq .added)"
eq "two counted as same id, other text" 2 "$(printf '%s' "$out" | jq .same_id_other_text)"
grep -q '2 reports have the id of a stored report .* but another text' "$TMPD/err"
eq "and it says so" 0 $?
out=$("$MARSAD" ingest --json --db "$TMPD/feed.db" "$TMPD/same.rss" 2>/dev/null)
eq "again: the stored one is already stored, the others said again" "1 2" \
  "$(printf '%s' "$out" | jq -r '"\(.already_stored) \(.same_id_other_text)"')"

# --- a SQLite file that is not a store stays byte for byte as it was
for uv in 0 3; do
  F="$TMPD/foreign$uv.db"
  sqlite3 "$F" "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES('mine'); PRAGMA user_version=$uv;"
  cp "$F" "$F.orig"
  for cmd in ingest analyze; do
    "$MARSAD" "$cmd" --db "$F" "$SEEDS" >/dev/null 2>"$TMPD/err"
    eq "$cmd into a foreign SQLite file (user_version $uv): exit 3" 3 $?
  done
  grep -q 'not a marsad store: left untouched' "$TMPD/err"
  eq "it says so (user_version $uv)" 0 $?
  "$MARSAD" search --db "$F" مدني >/dev/null 2>&1
  eq "search in it: exit 3 (user_version $uv)" 3 $?
  cmp -s "$F" "$F.orig"
  eq "the foreign file is byte-identical (user_version $uv)" 0 $?
  [ ! -e "$F-wal" ] && [ ! -e "$F-shm" ]
  eq "and has no WAL beside it (user_version $uv)" 0 $?
done

# --- check and repair
DB="$TMPD/r.db"
"$MARSAD" analyze --db "$DB" "$SEEDS" >/dev/null 2>&1
eq "analyze the seeds" 0 $?
"$MARSAD" check --db "$DB" >"$TMPD/out" 2>&1
eq "a sound store: check exit 0" 0 $?
grep -q 'ok, [0-9]* reports' "$TMPD/out"; eq "and says ok" 0 $?
eq "check --json: no problem" 0 "$("$MARSAD" check --db "$DB" --json | jq '.problems | length')"
"$MARSAD" check --db "$TMPD/none.db" >/dev/null 2>&1
eq "check of a missing store: exit 3" 3 $?
[ ! -e "$TMPD/none.db" ]; eq "and does not create it" 0 $?
"$MARSAD" check --bogus >/dev/null 2>"$TMPD/err"
eq "check --bogus: usage error" 2 $?
eq "a usage error prints the error and the usage line, not the whole help" 3 "$(wc -l < "$TMPD/err")"
# (a report's facts are one blob: marsad reads them, sqlite3 cannot)
# (a failed read says FAIL, so that comparing two dumps can fail)
facts() { for id in $(sqlite3 "$1" "SELECT id FROM reports ORDER BY id"); do
  echo "$id"; "$MARSAD" show --db "$1" --facts "$id" 2>&1 || echo "FAIL $id"; done; }
stories() { sqlite3 "$1" "SELECT s.id, CAST(sqlar_uncompress(s.json, s.size) AS TEXT), m.report_id FROM stories s JOIN story_reports m ON m.story_id = s.id ORDER BY 1, 3"; }
hits() { for q in مدني قسد الباغوز 630; do "$MARSAD" search --db "$1" --json --limit 20 "$q"; done; }
facts "$DB" > "$TMPD/facts0"
stories "$DB" > "$TMPD/stories0"
hits "$DB" > "$TMPD/hits0"
[ -s "$TMPD/facts0" ] && [ -s "$TMPD/stories0" ] && [ -s "$TMPD/hits0" ]
eq "the store has facts, stories and hits" 0 $?
# more fact lines than reports, and no read failed
[ "$(grep -c '	' "$TMPD/facts0")" -gt "$(sqlite3 "$DB" 'SELECT count(*) FROM reports')" ] &&
  ! grep -q '^FAIL ' "$TMPD/facts0"
eq "every report's facts read" 0 $?
cp "$DB" "$TMPD/r0.db"

# the postings file beside the store (docs/store.md): analyze built it;
# search through it and through FTS5 alone gives the same hits
[ -s "$DB-postings" ]; eq "analyze built the postings file" 0 $?
mv "$DB-postings" "$TMPD/postings.aside"
hits "$DB" > "$TMPD/hits-fts5"
cmp -s "$TMPD/hits0" "$TMPD/hits-fts5"; eq "the postings file and FTS5 give the same hits" 0 $?
"$MARSAD" check --db "$DB" --repair >/dev/null 2>&1
eq "check --repair of a sound store: exit 0" 0 $?
cmp -s "$DB-postings" "$TMPD/postings.aside"; eq "and builds the postings file again, byte for byte" 0 $?
chmod 600 "$DB"
"$MARSAD" check --db "$DB" --repair >/dev/null 2>&1
eq "the postings file is readable by whom the store is" 600 "$(stat -c %a "$DB-postings")"

# the full-text index loses a row
sqlite3 "$DB" "DELETE FROM reports_fts_docsize WHERE id = (SELECT min(id) FROM reports_fts_docsize)"
"$MARSAD" check --db "$DB" >/dev/null 2>"$TMPD/err"
eq "a damaged full-text index: check exit 1" 1 $?
grep -q 'full-text index' "$TMPD/err"; eq "it names the full-text index" 0 $?
"$MARSAD" check --db "$DB" --repair >/dev/null 2>&1
eq "check --repair: exit 0" 0 $?
eq "then check is clean" 0 "$("$MARSAD" check --db "$DB" >/dev/null 2>&1; echo $?)"
hits "$DB" > "$TMPD/hits1"
cmp -s "$TMPD/hits0" "$TMPD/hits1"; eq "and search gives what it gave before" 0 $?

# facts that do not match their words, a report out of its story
# (blobs of docs/store.md's layout written by hand: one fact "figure"
# whose kept text is 1 byte for a span of 2, one whose span ends past the
# text, and a blob that is none)
short=$(/usr/bin/python3 -c 'print("01" "01" "06" + b"figure".hex() + "01" "00" "01" "00" "04" "01" + b"x".hex())')
past=$(/usr/bin/python3 -c '
def varint(v):
    out = b""
    while True:
        c, v = v & 0x7f, v >> 7
        out += bytes([c | (0x80 if v else 0)])
        if not v:
            return out.hex()
print("01" "01" "06" + b"figure".hex() + "01" "00" "00" "00" + varint(2 * 1000000))')
sqlite3 "$DB" "UPDATE facts SET facts = X'$short' WHERE report = (SELECT min(report) FROM facts);
  UPDATE facts SET facts = X'$past' WHERE report = (SELECT max(report) FROM facts);
  UPDATE facts SET facts = X'ff00' WHERE report = (SELECT min(report) FROM facts WHERE report > (SELECT min(report) FROM facts));
  DELETE FROM story_reports WHERE report_id = (SELECT report_id FROM story_reports LIMIT 1)"
"$MARSAD" check --db "$DB" >/dev/null 2>"$TMPD/err"
eq "damaged facts and stories: check exit 1" 1 $?
grep -q 'facts: 2 facts whose span is not their text' "$TMPD/err"; eq "it counts the facts" 0 $?
grep -q 'facts: 1 reports whose facts cannot be read' "$TMPD/err"; eq "and the blob that is none" 0 $?
grep -q 'stories: 1 analysed reports in no story' "$TMPD/err"; eq "it finds the report out of its story" 0 $?
"$MARSAD" check --db "$DB" --repair >/dev/null 2>&1
eq "check --repair: exit 0" 0 $?
facts "$DB" > "$TMPD/facts1"
stories "$DB" > "$TMPD/stories1"
cmp -s "$TMPD/facts0" "$TMPD/facts1"; eq "the facts are rebuilt as they were" 0 $?
cmp -s "$TMPD/stories0" "$TMPD/stories1"; eq "the stories are rebuilt as they were" 0 $?

# damaged pages: check says so; --repair writes nothing
C="$TMPD/c.db"
cp "$TMPD/r0.db" "$C"
pg=$(sqlite3 "$C" "SELECT rootpage FROM sqlite_master WHERE name = 'facts'")
ps=$(sqlite3 "$C" "PRAGMA page_size")
printf 'these bytes are not a b-tree page header, nor anything else' |
  dd of="$C" bs=1 seek=$(( (pg - 1) * ps )) conv=notrunc 2>/dev/null
cp "$C" "$C.orig"
"$MARSAD" check --db "$C" >/dev/null 2>"$TMPD/err"
eq "damaged pages: check exit 1" 1 $?
grep -q 'pages: ' "$TMPD/err"; eq "it names the pages" 0 $?
"$MARSAD" check --db "$C" --repair >/dev/null 2>"$TMPD/err"
eq "damaged pages: check --repair refuses (exit 3)" 3 $?
grep -q 'writes nothing into it' "$TMPD/err"; eq "and says why" 0 $?
cmp -s "$C" "$C.orig"; eq "the damaged file is byte-identical" 0 $?
done_testing
