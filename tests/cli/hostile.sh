# hostile.sh: the bounds that keep one hostile input from stalling
# `marsad analyze` (docs/story.md, "Bounds"), checked for what they do,
# not for speed (speed is `make bench-hostile`): a text of 3,000 casualty
# figures keeps the first 1,000 and says so; a store whose stories table
# is of schema 3 (WITHOUT ROWID) is migrated with its stories intact.
. "$(dirname "$0")/lib.sh"

# --- 3,000 figures in one text: the first 1,000 kept, the rest counted
/usr/bin/python3 - "$TMPD/many.txt" <<'PY'
import sys
places = ["البلدة", "القرية", "الحي"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("حصيلة مفصلة لقصف المحافظة\n")
    for i in range(3000):
        f.write(f"قتل {i % 90 + 2} شخصا في {places[i % 3]} رقم {i}، ")
        if i % 25 == 24:
            f.write("\n")
PY
"$MARSAD" facts --json "$TMPD/many.txt" > "$TMPD/many.json" 2>/dev/null
eq "facts of 3,000 figures: exit 0" 0 $?
/usr/bin/python3 - "$TMPD/many.json" "$TMPD/many.txt" > "$TMPD/many.out" <<'PY'
import json, sys
o = json.loads(open(sys.argv[1], encoding="utf-8").read())
raw = open(sys.argv[2], "rb").read()
figs = o["figures"]
# the byte offset of the 1,001st figure phrase
at, pos = -1, 0
for _ in range(1001):
    at = raw.index("قتل ".encode(), at + 1)
print(len(figs), o.get("figures_dropped"),
      int(all(f["start"] < at for f in figs)),
      int(all(figs[i]["start"] < figs[i + 1]["start"] for i in range(len(figs) - 1))))
PY
read -r nfig ndrop first ordered < "$TMPD/many.out"
eq "at most 1,000 figures kept" 1000 "$nfig"
eq "the other 2,000 counted in figures_dropped" 2000 "$ndrop"
eq "the kept ones are the first in the text" 1 "$first"
eq "in text order" 1 "$ordered"
"$MARSAD" facts "$TMPD/many.txt" 2>/dev/null | grep -q '2000 more figures not kept: at most 1000 per report'
eq "the text output says so too" 0 $?
# a text under the bound loses nothing and says nothing
head -c 2000 "$TMPD/many.txt" > "$TMPD/few.txt"
"$MARSAD" facts --json "$TMPD/few.txt" 2>/dev/null | grep -q figures_dropped
eq "a text under the bound has no figures_dropped" 1 $?

"$MARSAD" analyze --db "$TMPD/h.db" "$TMPD/many.txt" >/dev/null 2>"$TMPD/aerr"
eq "analyze of it: exit 0" 0 $?
grep -q '1 report with more than 1000 figures: the first 1000 of each kept' "$TMPD/aerr"
eq "analyze says how many reports were cut" 0 $?
# the store holds what facts --json gives (its 1,000 figures among them;
# the facts of a report are one blob, read by marsad only)
nall=$(/usr/bin/python3 -c '
import json, sys
o = json.load(open(sys.argv[1], encoding="utf-8"))
print(sum(len(o.get(k, [])) for k in ("figures", "sources", "dates", "entities", "quotes")))' "$TMPD/many.json")
eq "the store holds its facts, 1,000 figures among them" "$nall" \
  "$(sqlite3 "$TMPD/h.db" "SELECT sum(n) FROM facts")"
nv=$("$MARSAD" stories --json --db "$TMPD/h.db" | /usr/bin/python3 -c '
import json, sys
print(max((len(c["values"]) for l in sys.stdin for c in json.loads(l)["claims"]), default=0))')
eq "a claim holds at most 1,000 values of one report" 1 "$([ "$nv" -ge 1 ] && [ "$nv" -le 1000 ] && echo 1)"

# --- schema 3 -> 8: stories becomes a rowid table, its rows kept (and
# the facts table of schema 4 is rewritten twice, stories gain packed,
# copies their table; facts with their rows through every migration:
# test_store)
SEEDS="$SHARED/seeds"
need_shared seeds
"$MARSAD" analyze --db "$TMPD/m.db" "$SEEDS" >/dev/null 2>&1
"$MARSAD" stories --json --db "$TMPD/m.db" > "$TMPD/m.before"
# the documents whole, as a store before schema 6 kept them (one a line)
sqlite3 "$TMPD/m.db" <<EOF
.mode ascii
.separator "\\037" "\\n"
CREATE TABLE docs_tmp(j TEXT);
.import "$TMPD/m.before" docs_tmp
EOF
sqlite3 "$TMPD/m.db" "
  PRAGMA foreign_keys = OFF;
  BEGIN;
  CREATE TEMP TABLE s_tmp AS SELECT s.id, d.j AS json, s.updated FROM stories s
    JOIN docs_tmp d ON json_extract(d.j, '\$.id') = s.id;
  DROP TABLE docs_tmp;
  DROP TABLE stories;
  CREATE TABLE stories(id TEXT PRIMARY KEY, json TEXT NOT NULL, updated TEXT NOT NULL) WITHOUT ROWID;
  INSERT INTO stories SELECT * FROM s_tmp;
  DROP TABLE facts;
  CREATE TABLE facts(report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    kind TEXT NOT NULL, start INTEGER NOT NULL, \"end\" INTEGER NOT NULL, text TEXT, json TEXT);
  CREATE INDEX facts_report ON facts(report_id, kind);
  DROP TABLE report_copies;
  DELETE FROM meta WHERE key IN ('schema_4', 'schema_5', 'schema_6', 'schema_7', 'schema_8', 'schema_9');
  PRAGMA user_version = 3;
  COMMIT;"
eq "a schema-3 store made (stories WITHOUT ROWID)" 1 \
  "$(sqlite3 "$TMPD/m.db" "SELECT count(*) FROM sqlite_master WHERE name = 'stories' AND sql LIKE '%WITHOUT ROWID%'")"
"$MARSAD" stories --json --db "$TMPD/m.db" > "$TMPD/m.after"
eq "opening it migrates it: exit 0" 0 $?
eq "to schema 9" 9 "$(sqlite3 "$TMPD/m.db" 'PRAGMA user_version')"
ok "its stories deflated (schema 9)" test \
  "$(sqlite3 "$TMPD/m.db" "SELECT sum(typeof(json) = 'blob' AND length(json) < size) FROM stories")" -gt 0
eq "each read back whole by sqlar_uncompress (sqlite3 shell)" 0 \
  "$(sqlite3 "$TMPD/m.db" "SELECT count(*) FROM stories WHERE length(CAST(sqlar_uncompress(json, size) AS BLOB)) != size OR NOT json_valid(CAST(sqlar_uncompress(json, size) AS TEXT))")"
eq "the copies table made" 1 "$(sqlite3 "$TMPD/m.db" "SELECT count(*) FROM sqlite_master WHERE name = 'report_copies'")"
eq "stories is a rowid table" 0 \
  "$(sqlite3 "$TMPD/m.db" "SELECT count(*) FROM sqlite_master WHERE name = 'stories' AND sql LIKE '%WITHOUT ROWID%'")"
ok "the stories read the same" cmp "$TMPD/m.before" "$TMPD/m.after"
eq "their members kept" "$(grep -o '"reports":\[[^]]*\]' "$TMPD/m.before" | tr ',' '\n' | wc -l)" \
  "$(sqlite3 "$TMPD/m.db" 'SELECT count(*) FROM story_reports')"
"$MARSAD" check --db "$TMPD/m.db" >/dev/null 2>&1
eq "marsad check: clean" 0 $?
sqlite3 "$TMPD/m.db" 'PRAGMA foreign_key_check' > "$TMPD/fk"
eq "no foreign key breaks" "" "$(cat "$TMPD/fk")"
# the foreign key follows the rename: deleting a story deletes its members
sid=$(sqlite3 "$TMPD/m.db" 'SELECT id FROM stories LIMIT 1')
sqlite3 "$TMPD/m.db" "PRAGMA foreign_keys = ON; DELETE FROM stories WHERE id = '$sid'"
eq "members cascade with their story" 0 \
  "$(sqlite3 "$TMPD/m.db" "SELECT count(*) FROM story_reports WHERE story_id = '$sid'")"

done_testing
