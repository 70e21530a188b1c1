/*
 * store.c: opening and migrating the SQLite store, batches, reports,
 * search, and the generic tables of the layers above. docs/store.md
 * documents the schema; this file is its only writer.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/internal.h"
#include "text/text.h"
#include "store/store_read.h"

struct marsad_store {
    sqlite3 *db;
    char *path;
    int in_batch;
    int64_t base_n; /* max(n) at open: rows above it came in this session */
    int64_t indexed_n; /* rows up to this one are in reports_fts */
    int search_cache_set; /* the page cache raised for search */
    sqlite3_stmt *put, *exists;
    mr_search_cache *search; /* search.c's, made on the first search */
    /* prepared statements of the generic writers, keyed by their SQL's
     * address (each is a string literal of this file): a bulk save of a
     * million facts prepares each statement once */
    struct {
        const char *sql;
        sqlite3_stmt *s;
    } cache[12];
    /* the report whose facts are being written: its row and text, read
     * once (comparing each fact's span with the text in SQL read the
     * whole text per fact: quadratic on a 20 MB report), and its facts
     * (schema 7: one blob per report, facts_bin.c), written back whole
     * when the batch commits, a report is put or another report's facts
     * are written or read (mr_store_facts_flush). Dropped when a batch
     * starts or is rolled back. */
    char *ft_id;
    char *ft_text;
    size_t ft_len;
    int64_t ft_n;
    struct pend_fact {
        char *kind, *text, *json; /* owned; text NULL: the report's */
        size_t json_len;
        uint32_t start, end;
        int packed;
    } * pf;
    size_t npf, cappf;
    int pf_dirty; /* pf is not what the facts table holds */
};

/* The page size of a new store (docs/store.md, "The file"). */
#define MR_STORE_PAGE_STR "32768"

static void pend_free(struct pend_fact *f)
{
    free(f->kind);
    free(f->text);
    free(f->json);
}

static void fact_text_drop(mr_store *st)
{
    free(st->ft_id);
    free(st->ft_text);
    st->ft_id = st->ft_text = NULL;
    st->ft_len = 0;
    for (size_t i = 0; i < st->npf; i++)
        pend_free(&st->pf[i]);
    free(st->pf);
    st->pf = NULL;
    st->npf = st->cappf = 0;
    st->pf_dirty = 0;
}

static sqlite3_stmt *cached(mr_store *st, const char *sql);

/* ================================================================ errors */

static marsad_status fail(marsad_error *err, marsad_status code,
                          const char *input, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static marsad_status fail(marsad_error *err, marsad_status code,
                          const char *input, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mr_error_vset(err, code, input ? input : "store", fmt, ap);
    va_end(ap);
    return code;
}

static marsad_status db_fail(mr_store *st, marsad_error *err, const char *what)
{
    int ec = sqlite3_extended_errcode(st->db);
    marsad_status code = (ec & 0xff) == SQLITE_NOMEM ? MARSAD_E_NOMEM
                                                     : MARSAD_E_DB;
    return fail(err, code, st->path, "%s: %s", what, sqlite3_errmsg(st->db));
}

/* ================================================================ schema */

/*
 * Migrations: migrations[v] brings a store from version v to v + 1. Each
 * runs in its own transaction with the user_version bump, so a store is
 * always at one whole version. Never edit a published migration: append a
 * new one and raise MR_STORE_SCHEMA (docs/store.md keeps the history).
 * Migration 0 has one parameter, the FTS5 tokenizer (%q).
 */
static const char *const migrations[] = {
    /* 0 -> 1: reports, their index, and the generic tables */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE reports("
    "  n INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  source_id TEXT,"
    "  outlet TEXT,"
    "  url TEXT,"
    "  published TEXT,"
    "  published_origin TEXT NOT NULL DEFAULT 'unknown'"
    "    CHECK (published_origin IN ('unknown','metadata','dateline')),"
    "  title TEXT,"
    "  text TEXT NOT NULL,"
    "  lang TEXT,"
    "  file TEXT,"
    "  line INTEGER,"
    "  invalid_utf8 INTEGER NOT NULL DEFAULT 0,"
    "  text_hash TEXT NOT NULL UNIQUE,"
    "  added TEXT NOT NULL);"
    "CREATE INDEX reports_source_id ON reports(source_id);"
    "CREATE VIRTUAL TABLE reports_fts USING fts5(title, text,"
    "  content='reports', content_rowid='n', tokenize='%q');"
    "INSERT INTO reports_fts(reports_fts, rank) VALUES('rank', 'bm25(2.0, 1.0)');"
    "CREATE TRIGGER reports_ai AFTER INSERT ON reports BEGIN"
    "  INSERT INTO reports_fts(rowid, title, text)"
    "  VALUES (new.n, new.title, new.text); END;"
    "CREATE TRIGGER reports_ad AFTER DELETE ON reports BEGIN"
    "  INSERT INTO reports_fts(reports_fts, rowid, title, text)"
    "  VALUES ('delete', old.n, old.title, old.text); END;"
    "CREATE TRIGGER reports_au AFTER UPDATE OF title, text ON reports BEGIN"
    "  INSERT INTO reports_fts(reports_fts, rowid, title, text)"
    "  VALUES ('delete', old.n, old.title, old.text);"
    "  INSERT INTO reports_fts(rowid, title, text)"
    "  VALUES (new.n, new.title, new.text); END;"
    "CREATE TABLE facts("
    "  report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL,"
    "  start INTEGER NOT NULL,"
    "  \"end\" INTEGER NOT NULL,"
    "  text TEXT,"
    "  json TEXT);"
    "CREATE INDEX facts_report ON facts(report_id, kind);"
    "CREATE INDEX facts_kind ON facts(kind);"
    "CREATE TABLE links("
    "  a TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
    "  b TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL,"
    "  score REAL,"
    "  json TEXT,"
    "  PRIMARY KEY (a, b, kind)) WITHOUT ROWID;"
    "CREATE INDEX links_b ON links(b);"
    "CREATE TABLE stories("
    "  id TEXT PRIMARY KEY,"
    "  json TEXT NOT NULL,"
    "  updated TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE story_reports("
    "  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,"
    "  report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (story_id, report_id)) WITHOUT ROWID;"
    "CREATE INDEX story_reports_report ON story_reports(report_id);",
    /* 1 -> 2: new reports are indexed once per batch (index_pending), not
     * by a trigger per row: in SQLite 3.40 every statement of a transaction
     * after the first FTS5 write opens a savepoint, and FTS5 flushes its
     * pending terms at each one, so a per-row trigger wrote one tiny index
     * segment per report and merged them all again. */
    "DROP TRIGGER IF EXISTS reports_ai;",
    /* 2 -> 3: the index on facts(kind) goes: five values over a million
     * rows select nothing, every insert paid for it, and it led the
     * planner to sort "kind = 'entity' ORDER BY report_id" instead of
     * walking facts_report */
    "DROP INDEX IF EXISTS facts_kind;",
    /* 3 -> 4: stories becomes a rowid table. In a WITHOUT ROWID table the
     * whole row is the b-tree key, and SQLite reads an overflowing key
     * whole at each comparison of a seek: every story_reports insert
     * checks its parent story by such a seek, so saving a story of N
     * reports copied its JSON (megabytes for a large story) about N log N
     * times. The tables are copied (child first, so no cascade fires) and
     * renamed; the foreign key follows the rename. */
    "CREATE TABLE stories_v4("
    "  id TEXT PRIMARY KEY,"
    "  json TEXT NOT NULL,"
    "  updated TEXT NOT NULL);"
    "INSERT INTO stories_v4(id, json, updated)"
    "  SELECT id, json, updated FROM stories;"
    "CREATE TABLE story_reports_v4("
    "  story_id TEXT NOT NULL REFERENCES stories_v4(id) ON DELETE CASCADE,"
    "  report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (story_id, report_id)) WITHOUT ROWID;"
    "INSERT INTO story_reports_v4(story_id, report_id)"
    "  SELECT story_id, report_id FROM story_reports;"
    "DROP TABLE story_reports;"
    "DROP TABLE stories;"
    "ALTER TABLE stories_v4 RENAME TO stories;"
    "ALTER TABLE story_reports_v4 RENAME TO story_reports;"
    "CREATE INDEX story_reports_report ON story_reports(report_id);",
    /* 4 -> 5: facts in a third of the bytes (issue 15). The table is keyed
     * by (report row, sequence) WITHOUT ROWID, so it is its own index on
     * the report (facts_report goes); no report id text per fact; the
     * span's text is NULL when it is the report's bytes at the span (it
     * always is, from analyze); the JSON object is kept without its
     * leading span and text when they are those columns (packed = 1;
     * facts.c). The order of a report's facts (rowid before) is seq. */
    "CREATE TABLE facts_v5("
    "  report INTEGER NOT NULL REFERENCES reports(n) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  start INTEGER NOT NULL,"
    "  \"end\" INTEGER NOT NULL,"
    "  text TEXT,"
    "  packed INTEGER NOT NULL DEFAULT 0,"
    "  json TEXT,"
    "  PRIMARY KEY (report, seq)) WITHOUT ROWID;"
    "INSERT INTO facts_v5(report, seq, kind, start, \"end\", text, packed,"
    "  json) SELECT report, seq, kind, start, \"end\","
    "  CASE WHEN same THEN NULL ELSE text END, p IS NOT NULL,"
    "  coalesce(p, json) FROM (SELECT r.n AS report, row_number() OVER"
    "  (PARTITION BY r.n ORDER BY f.rowid) - 1 AS seq, f.kind AS kind,"
    "  f.start AS start, f.\"end\" AS \"end\", f.text AS text, f.json AS json,"
    "  f.text IS NOT NULL AND CAST(f.text AS BLOB) = substr(CAST(r.text AS"
    "  BLOB), f.start + 1, f.\"end\" - f.start) AS same,"
    "  mr_fact_pack(f.json, f.start, f.\"end\", f.text) AS p"
    "  FROM facts f JOIN reports r ON r.id = f.report_id) ORDER BY 1, 2;"
    "DROP TABLE facts;"
    "ALTER TABLE facts_v5 RENAME TO facts;",
    /* 5 -> 6: a story's document may be packed: the sentences its
     * timeline and summary quote kept as references to the reports'
     * bytes (story_pack.c). Stored stories stay whole (packed = 0) until
     * saved again. */
    "ALTER TABLE stories ADD COLUMN packed INTEGER NOT NULL DEFAULT 0;",
    /* 6 -> 7: a report's facts in one row, one blob (issue 15): each
     * object binary, its member names and the strings it repeats codes
     * into a table of words at the blob's head (facts_bin.c); no row,
     * key, kind text or record header per fact. n is the number of
     * facts. The blobs are made by mr_facts_blob over the rows of
     * schema 6, which read back from them byte for byte. */
    "CREATE TABLE facts_v7("
    "  report INTEGER PRIMARY KEY REFERENCES reports(n) ON DELETE CASCADE,"
    "  n INTEGER NOT NULL,"
    "  facts BLOB NOT NULL);"
    "INSERT INTO facts_v7(report, n, facts) SELECT report, count(*),"
    "  mr_facts_blob(seq, kind, start, \"end\", text, packed, json)"
    "  FROM facts GROUP BY report ORDER BY report;"
    "DROP TABLE facts;"
    "ALTER TABLE facts_v7 RENAME TO facts;",
    /* 7 -> 8: copies (mr_store_put_report): a report whose normalised text
     * is a stored report's, under another id, is kept as a name of that
     * report, its text not stored again. */
    "CREATE TABLE IF NOT EXISTS report_copies("
    "  id TEXT PRIMARY KEY,"
    "  report INTEGER NOT NULL REFERENCES reports(n) ON DELETE CASCADE,"
    "  source_id TEXT,"
    "  outlet TEXT,"
    "  url TEXT,"
    "  published TEXT,"
    "  title TEXT) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS report_copies_report ON report_copies(report);",
    /* 8 -> 9: a story's document deflated (story_pack.c; issue 15), its
     * length in size, and what the lists sort and filter by as columns
     * before it in the row (title, first and last seen, its claims and
     * conflicts, the claims themselves, deflated apart), so no list
     * inflates or parses a whole document. The
     * tables are copied as in 3 -> 4 (child first, so no cascade
     * fires). */
    "CREATE TABLE stories_v9("
    "  id TEXT PRIMARY KEY,"
    "  title,"
    "  first_seen,"
    "  last_seen,"
    "  claims INTEGER NOT NULL DEFAULT 0,"
    "  conflicts INTEGER NOT NULL DEFAULT 0,"
    "  claims_size INTEGER,"
    "  claims_json,"
    "  updated TEXT NOT NULL,"
    "  packed INTEGER NOT NULL DEFAULT 0,"
    "  size INTEGER NOT NULL,"
    "  json NOT NULL);"
    "INSERT INTO stories_v9(id, title, first_seen, last_seen, claims,"
    "  conflicts, claims_size, claims_json, updated, packed, size, json)"
    "  SELECT s.id,"
    MR_STORY_KEYS("s.json") ", mr_story_deflate(" MR_STORY_CLAIMS("s.json")
    "), s.updated, s.packed,"
    "  length(CAST(s.json AS BLOB)), mr_story_deflate(s.json)"
    "  FROM stories s ORDER BY s.rowid;"
    "CREATE TABLE story_reports_v9("
    "  story_id TEXT NOT NULL REFERENCES stories_v9(id) ON DELETE CASCADE,"
    "  report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (story_id, report_id)) WITHOUT ROWID;"
    "INSERT INTO story_reports_v9(story_id, report_id)"
    "  SELECT story_id, report_id FROM story_reports;"
    "DROP TABLE story_reports;"
    "DROP TABLE stories;"
    "ALTER TABLE stories_v9 RENAME TO stories;"
    "ALTER TABLE story_reports_v9 RENAME TO story_reports;"
    "CREATE INDEX story_reports_report ON story_reports(report_id);",
};

static int user_version(mr_store *st, int *v)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int(s, 0);
    int frc = sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SQLITE_OK : frc;
}

/* Number of schema objects: 0 for a new (empty) file. */
static int object_count(mr_store *st, int *n)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master",
                                -1, &s, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int(s, 0);
    int frc = sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SQLITE_OK : frc;
}

/* Checks a tokenizer spec for a new store: words of [a-z0-9_.] only. */
static int tokenizer_ok(const char *t)
{
    if (!*t || strlen(t) > 200)
        return 0;
    for (const char *p = t; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
              *p == '_' || *p == ' ' || *p == '.'))
            return 0;
    return 1;
}

static marsad_status migrate(mr_store *st, const char *tokenizer,
                             marsad_error *err)
{
    int v = 0, objects = 0;
    if (user_version(st, &v) != SQLITE_OK)
        return db_fail(st, err, "cannot read the schema version");
    if (v > MR_STORE_SCHEMA)
        return fail(err, MARSAD_E_DB, st->path,
                    "schema version %d is newer than this marsad (%d): "
                    "use a newer marsad",
                    v, MR_STORE_SCHEMA);
    if (v == MR_STORE_SCHEMA)
        return MARSAD_OK;
    if (v == 0) {
        if (object_count(st, &objects) != SQLITE_OK)
            return db_fail(st, err, "cannot read the schema");
        /* another process may have created the store between the two
         * reads: then the version is no longer 0, and the store is ours */
        if (objects > 0 && user_version(st, &v) == SQLITE_OK && v > 0)
            return migrate(st, tokenizer, err);
        if (objects > 0)
            return fail(err, MARSAD_E_DB, st->path,
                        "a SQLite database that is not a marsad store: "
                        "left untouched");
        if (!tokenizer_ok(tokenizer))
            return fail(err, MARSAD_E_ARG, st->path,
                        "bad FTS5 tokenizer spec '%s'", tokenizer);
    }
    while (v < MR_STORE_SCHEMA) {
        if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
            SQLITE_OK)
            return db_fail(st, err, "cannot lock the store to migrate it");
        int now = 0;
        /* another process may have migrated meanwhile */
        if (user_version(st, &now) != SQLITE_OK || now != v) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            if (now > v) {
                v = now;
                continue;
            }
            return db_fail(st, err, "cannot read the schema version");
        }
        char *sql = sqlite3_mprintf(migrations[v], tokenizer);
        char *sql2 = sqlite3_mprintf(
            "%s;PRAGMA user_version=%d;"
            "INSERT OR REPLACE INTO meta VALUES('schema_%d', "
            "'migrated ' || strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ','now') || "
            "' by marsad %q');",
            sql ? sql : "", v + 1, v + 1, marsad_version());
        sqlite3_free(sql);
        if (!sql2) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return fail(err, MARSAD_E_NOMEM, st->path, "out of memory");
        }
        char *emsg = NULL;
        int rc = sqlite3_exec(st->db, sql2, NULL, NULL, &emsg);
        sqlite3_free(sql2);
        if (rc == SQLITE_OK && v == 0) {
            char *m = sqlite3_mprintf(
                "INSERT INTO meta VALUES('fts_tokenizer', %Q);", tokenizer);
            rc = m ? sqlite3_exec(st->db, m, NULL, NULL, &emsg) : SQLITE_NOMEM;
            sqlite3_free(m);
        }
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, &emsg);
        if (rc != SQLITE_OK) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            fail(err, MARSAD_E_DB, st->path,
                 "migration to schema %d failed: %s", v + 1,
                 emsg ? emsg : sqlite3_errstr(rc));
            sqlite3_free(emsg);
            return MARSAD_E_DB;
        }
        v++;
    }
    return MARSAD_OK;
}

/* ================================================================ open */

/*
 * Reads (only reads) what the file is: a new empty file, or a marsad store
 * (it has the meta table with the fts_tokenizer row that schema 1 creates
 * in the same transaction as everything else). Anything else, a SQLite
 * database of another program or not SQLite at all, is MARSAD_E_DB and is
 * left as it was.
 */
/* Switches the store to WAL (a no-op once it is: the mode is kept in the
 * file). The switch needs the file's exclusive lock, and SQLite takes that
 * lock without calling the busy handler: when another process opens the
 * same new store at that moment, the switch fails at once with
 * SQLITE_BUSY. So it is retried here for as long as the busy timeout would
 * have waited (30 s), in short sleeps. */
static marsad_status use_wal(mr_store *st, marsad_error *err)
{
    for (int waited_ms = 0;; waited_ms += 5) {
        sqlite3_stmt *s = NULL;
        int rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1,
                                    &s, NULL);
        int wal = 0;
        if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
            const char *mode = (const char *)sqlite3_column_text(s, 0);
            wal = mode && strcmp(mode, "wal") == 0;
            rc = SQLITE_OK;
        }
        sqlite3_finalize(s);
        if (wal)
            return MARSAD_OK;
        int ec = sqlite3_extended_errcode(st->db) & 0xff;
        if (rc != SQLITE_OK && ec == SQLITE_NOTADB)
            return fail(err, MARSAD_E_DB, st->path,
                        "not a SQLite database: left untouched");
        /* busy, or the mode stayed as it was because another connection
         * held the file: wait and try again */
        if ((rc == SQLITE_OK || ec == SQLITE_BUSY || ec == SQLITE_LOCKED) &&
            waited_ms < 30000) {
            sqlite3_sleep(5);
            continue;
        }
        return db_fail(st, err, "cannot switch the store to WAL");
    }
}

static marsad_status recognise(mr_store *st, marsad_error *err)
{
    int objects = 0;
    int rc = object_count(st, &objects);
    if (rc != SQLITE_OK) {
        int ec = sqlite3_extended_errcode(st->db) & 0xff;
        if (ec == SQLITE_NOTADB)
            return fail(err, MARSAD_E_DB, st->path,
                        "not a SQLite database: left untouched");
        if (ec == SQLITE_CORRUPT)
            return fail(err, MARSAD_E_DB, st->path,
                        "the file is damaged (%s): left untouched; see "
                        "'marsad check'",
                        sqlite3_errmsg(st->db));
        return db_fail(st, err, "cannot read the schema");
    }
    if (objects == 0)
        return MARSAD_OK;
    sqlite3_stmt *s = NULL;
    int ours = 0;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                           "AND name = 'meta'",
                           -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        sqlite3_finalize(s);
        s = NULL;
        if (sqlite3_prepare_v2(st->db,
                               "SELECT 1 FROM meta WHERE key = "
                               "'fts_tokenizer'",
                               -1, &s, NULL) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            ours = 1;
    }
    sqlite3_finalize(s);
    if (!ours)
        return fail(err, MARSAD_E_DB, st->path,
                    "a SQLite database that is not a marsad store: "
                    "left untouched");
    return MARSAD_OK;
}

void mr_store_new_run(mr_store *st)
{
    sqlite3_stmt *s;
    if (st && sqlite3_prepare_v2(st->db,
                                 "SELECT coalesce(max(n), 0) FROM reports", -1,
                                 &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            st->base_n = st->indexed_n = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
}

const char *mr_store_default_path(const char *opt)
{
    if (opt && *opt)
        return opt;
    const char *e = getenv("MARSAD_DB");
    return e && *e ? e : MR_STORE_DEFAULT_PATH;
}

marsad_status mr_store_open(const char *path, const mr_store_opts *opts,
                            mr_store **out, marsad_error *err)
{
    if (out)
        *out = NULL;
    if (!path || !*path || !out)
        return fail(err, MARSAD_E_ARG, path, "no store path");
    int must_exist = opts && opts->must_exist;
    if (must_exist && access(path, F_OK) != 0)
        return fail(err, MARSAD_E_NOTFOUND, path,
                    "no store here (run 'marsad ingest' first)");
    mr_store *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        return fail(err, MARSAD_E_NOMEM, path, "out of memory");
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                (must_exist ? 0 : SQLITE_OPEN_CREATE);
    marsad_status rc = MARSAD_OK;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        rc = st->db ? db_fail(st, err, "cannot open")
                    : fail(err, MARSAD_E_NOMEM, path, "out of memory");
        mr_store_close(st);
        return rc;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 30000);
    if (mr_fts_register(st->db) != SQLITE_OK ||
        mr_facts_register(st->db) != SQLITE_OK ||
        mr_facts_blob_register(st->db) != SQLITE_OK ||
        mr_story_pack_register(st->db) != SQLITE_OK) {
        rc = db_fail(st, err, "cannot register the marsad tokenizer");
        mr_store_close(st);
        return rc;
    }
    /* Before anything that writes (the switch to WAL writes the header),
     * make sure the file is empty or a marsad store: a foreign file stays
     * byte for byte as it was. */
    if ((rc = recognise(st, err)) != MARSAD_OK) {
        mr_store_close(st);
        return rc;
    }
    /* A new store's pages are 32 KB (issue 15; docs/store.md): a
     * report's row of 1-4 KB of text left much of a 4 KB page unused,
     * and 2 KB of a 16 KB page on average; 64 KB pages slowed search.
     * A store that exists keeps its own (the pragma then changes nothing
     * and writes nothing). */
    if (sqlite3_exec(st->db, "PRAGMA page_size=" MR_STORE_PAGE_STR, NULL,
                     NULL, NULL) != SQLITE_OK) {
        rc = db_fail(st, err, "cannot set the page size");
        mr_store_close(st);
        return rc;
    }
    /* WAL: readers never block the writer, and a commit is one append.
     * synchronous=NORMAL in WAL mode keeps every commit atomic and survives
     * a process crash or kill; only a power loss may drop the last ones. */
    if ((rc = use_wal(st, err)) != MARSAD_OK) {
        mr_store_close(st);
        return rc;
    }
    char *emsg = NULL;
    /* a page cache of 16 MB per connection (issue 15): analyze over ANT
     * peaked at 229 MB with 64 MB, 148 MB with 16 MB, the same CPU; the
     * file's pages are in the OS's cache anyway */
    if (sqlite3_exec(st->db,
                     "PRAGMA synchronous=NORMAL;"
                     "PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384;",
                     NULL, NULL, &emsg) != SQLITE_OK) {
        int ec = sqlite3_extended_errcode(st->db) & 0xff;
        fail(err, MARSAD_E_DB, path, "%s",
             ec == SQLITE_NOTADB
                 ? "not a SQLite database: left untouched"
                 : (emsg ? emsg : "cannot set up the store"));
        sqlite3_free(emsg);
        mr_store_close(st);
        return MARSAD_E_DB;
    }
    const char *tok = opts && opts->tokenizer ? opts->tokenizer : "marsad";
    if ((rc = migrate(st, tok, err)) != MARSAD_OK) {
        mr_store_close(st);
        return rc;
    }
    mr_store_new_run(st);
    *out = st;
    return MARSAD_OK;
}

void mr_store_close(mr_store *st)
{
    if (!st)
        return;
    if (st->in_batch)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(st->put);
    sqlite3_finalize(st->exists);
    mr_search_cache_free(st->search);
    for (size_t i = 0; i < sizeof st->cache / sizeof st->cache[0]; i++)
        sqlite3_finalize(st->cache[i].s);
    sqlite3_close_v2(st->db);
    fact_text_drop(st);
    free(st->path);
    free(st);
}

sqlite3 *mr_store_db(mr_store *st)
{
    return st ? st->db : NULL;
}

const char *mr_store_path(const mr_store *st)
{
    return st ? st->path : NULL;
}

/* ================================================================ batches */

/* *n = the highest report row stored (0 when none). */
static marsad_status high_water(mr_store *st, int64_t *n, marsad_error *err)
{
    sqlite3_stmt *s = cached(st, "SELECT coalesce(max(n), 0) FROM reports");
    if (!s)
        return db_fail(st, err, "cannot prepare");
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? MARSAD_OK
                            : db_fail(st, err, "cannot read the last report");
}

marsad_status mr_store_begin(mr_store *st, marsad_error *err)
{
    if (!st)
        return fail(err, MARSAD_E_ARG, NULL, "no store");
    if (st->in_batch)
        return MARSAD_OK;
    fact_text_drop(st);
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(st, err, "cannot start a batch");
    st->in_batch = 1;
    /* The index's high-water mark is read here, inside the write
     * transaction: every batch indexes the rows it added before it commits,
     * so every row committed so far (by this process or another that
     * wrote between our batches) is in reports_fts, and only rows above
     * max(n) now are this batch's to index. A mark cached at open would
     * make this batch index another writer's rows a second time. */
    marsad_status rc = high_water(st, &st->indexed_n, err);
    if (rc != MARSAD_OK)
        mr_store_rollback(st);
    return rc;
}

/* Adds the reports stored since the last call to the full-text index, in
 * one statement (FTS5 then builds one segment for them all). Runs inside
 * the caller's transaction, so reports and their index commit together. */
static marsad_status index_pending(mr_store *st, marsad_error *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO reports_fts(rowid, title, text) "
                           "SELECT n, title, text FROM reports WHERE n > ?1 "
                           "ORDER BY n",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(st, err, "cannot prepare the indexing");
    sqlite3_bind_int64(s, 1, st->indexed_n);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return db_fail(st, err, "cannot index the new reports");
    return high_water(st, &st->indexed_n, err);
}

marsad_status mr_store_commit(mr_store *st, marsad_error *err)
{
    if (!st)
        return fail(err, MARSAD_E_ARG, NULL, "no store");
    if (!st->in_batch)
        return MARSAD_OK;
    marsad_status irc = mr_store_facts_flush(st, err);
    if (irc == MARSAD_OK)
        irc = index_pending(st, err);
    if (irc != MARSAD_OK) {
        mr_store_rollback(st);
        return irc;
    }
    st->in_batch = 0;
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        marsad_status rc = db_fail(st, err, "cannot commit the batch");
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return MARSAD_OK;
}

void mr_store_rollback(mr_store *st)
{
    if (!st || !st->in_batch)
        return;
    st->in_batch = 0;
    fact_text_drop(st); /* its pending facts go with the batch */
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ================================================================ reports */

static const char *origin_name(mr_date_origin o)
{
    return o == MR_PUB_METADATA ? "metadata"
           : o == MR_PUB_DATELINE ? "dateline"
                                  : "unknown";
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static marsad_status put_report(mr_store *st, const mr_report *r,
                                mr_put_result *res, marsad_error *err);

marsad_status mr_store_put_report(mr_store *st, const mr_report *r,
                                  mr_put_result *res, marsad_error *err)
{
    if (!st || st->in_batch)
        return put_report(st, r, res, err);
    /* outside a batch: a batch of one, so the report and its index entry
     * (added at commit) go in together */
    marsad_status rc = mr_store_begin(st, err);
    if (rc == MARSAD_OK)
        rc = put_report(st, r, res, err);
    if (rc == MARSAD_OK)
        return mr_store_commit(st, err);
    mr_store_rollback(st);
    return rc;
}

static sqlite3_stmt *cached(mr_store *st, const char *sql);
static marsad_status step_cached(mr_store *st, sqlite3_stmt *s,
                                 marsad_error *err, const char *what);

/* Records r as a copy of the stored report whose text hash is hash (a
 * report under another id: another url, outlet or source id; ANT files one
 * article under two sections, and a wire text may be printed whole by two
 * outlets). Its text is not stored again; its names are (schema 8). */
static marsad_status put_copy(mr_store *st, const mr_report *r,
                              const char *hash, int same_id,
                              marsad_error *err)
{
    /* under the report's own id, it is named by its source id as well */
    char own[17];
    if (same_id) {
        uint64_t h = mr_fnv64(MR_FNV64_INIT, r->id, strlen(r->id));
        h = mr_fnv64(h, "\n", 1);
        h = mr_mix64(mr_fnv64(h, r->source_id, strlen(r->source_id)));
        snprintf(own, sizeof own, "%016llx", (unsigned long long)h);
    }
    sqlite3_stmt *s = cached(
        st, "INSERT OR IGNORE INTO report_copies(id, report, source_id, "
            "outlet, url, published, title) SELECT ?1, n, ?2, ?3, ?4, ?5, "
            "?6 FROM reports WHERE text_hash = ?7");
    if (!s)
        return db_fail(st, err, "cannot prepare a copy");
    sqlite3_bind_text(s, 1, same_id ? own : r->id, -1, SQLITE_STATIC);
    bind_opt(s, 2, r->source_id);
    bind_opt(s, 3, r->outlet);
    bind_opt(s, 4, r->url);
    bind_opt(s, 5, r->published);
    bind_opt(s, 6, r->title);
    sqlite3_bind_text(s, 7, hash, -1, SQLITE_STATIC);
    return step_cached(st, s, err, "cannot store a copy");
}

static marsad_status put_report(mr_store *st, const mr_report *r,
                                mr_put_result *res, marsad_error *err)
{
    if (!st || !r || !r->id || !*r->id || !r->text)
        return fail(err, MARSAD_E_ARG, st ? st->path : NULL,
                    "a report needs an id and a text");
    char hash[17];
    marsad_status mrc = MARSAD_OK;
    if (r->text_hash[0] && strlen(r->text_hash) == 16)
        memcpy(hash, r->text_hash, sizeof hash); /* made ahead */
    else
        mrc = mr_text_hash(r->text, r->text_len, hash);
    if (mrc != MARSAD_OK)
        return fail(err, mrc, st->path, "cannot hash the text");
    if (!st->put &&
        sqlite3_prepare_v3(
            st->db,
            "INSERT OR IGNORE INTO reports(id, source_id, outlet, url, "
            "published, published_origin, title, text, lang, file, line, "
            "invalid_utf8, text_hash, added) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
            "?7, ?8, ?9, ?10, ?11, ?12, ?13, "
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            -1, SQLITE_PREPARE_PERSISTENT, &st->put, NULL) != SQLITE_OK)
        return db_fail(st, err, "cannot prepare the insert");
    if (!st->exists &&
        sqlite3_prepare_v3(st->db,
                           "SELECT n, text_hash, source_id FROM reports WHERE id = ?1", -1,
                           SQLITE_PREPARE_PERSISTENT, &st->exists,
                           NULL) != SQLITE_OK)
        return db_fail(st, err, "cannot prepare a lookup");
    marsad_status frc = mr_store_facts_flush(st, err);
    if (frc != MARSAD_OK)
        return frc;
    fact_text_drop(st);
    sqlite3_stmt *s = st->put;
    sqlite3_bind_text(s, 1, r->id, -1, SQLITE_STATIC);
    bind_opt(s, 2, r->source_id);
    bind_opt(s, 3, r->outlet);
    bind_opt(s, 4, r->url);
    bind_opt(s, 5, r->published);
    sqlite3_bind_text(s, 6, origin_name(r->published_origin), -1,
                      SQLITE_STATIC);
    bind_opt(s, 7, r->title);
    sqlite3_bind_text64(s, 8, r->text, r->text_len, SQLITE_STATIC,
                        SQLITE_UTF8);
    bind_opt(s, 9, r->lang ? r->lang : "ar");
    bind_opt(s, 10, r->file);
    if (r->line)
        sqlite3_bind_int64(s, 11, (sqlite3_int64)r->line);
    else
        sqlite3_bind_null(s, 11);
    sqlite3_bind_int64(s, 12, (sqlite3_int64)r->invalid_utf8);
    sqlite3_bind_text(s, 13, hash, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE)
        return db_fail(st, err, "cannot store a report");
    mr_put_result what = MR_PUT_ADDED;
    if (sqlite3_changes(st->db) == 0) {
        sqlite3_bind_text(st->exists, 1, r->id, -1, SQLITE_STATIC);
        rc = sqlite3_step(st->exists);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            sqlite3_reset(st->exists);
            return db_fail(st, err, "cannot look a report up");
        }
        /* an id first stored in this session is a repeat within the
         * input: a duplicate, like the same text under another id */
        int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st->exists, 0) : 0;
        const char *was = rc == SQLITE_ROW
                              ? (const char *)sqlite3_column_text(st->exists, 1)
                              : NULL;
        what = was && strcmp(was, hash) != 0 ? MR_PUT_OTHER_TEXT
               : rc == SQLITE_ROW && n <= st->base_n ? MR_PUT_PRESENT
                                                     : MR_PUT_DUPLICATE;
        /* the same text under another id, or under this id (the same
         * outlet and url) with another source id: a copy */
        const char *sid = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(
                                                 st->exists, 2)
                                           : NULL;
        int copy = rc == SQLITE_DONE ||
                   (what != MR_PUT_OTHER_TEXT && sid && r->source_id &&
                    strcmp(sid, r->source_id) != 0);
        sqlite3_reset(st->exists);
        if (copy) {
            marsad_status crc = put_copy(st, r, hash, rc == SQLITE_ROW, err);
            if (crc != MARSAD_OK)
                return crc;
        }
    }
    if (res)
        *res = what;
    return MARSAD_OK;
}

static char *col_dup(sqlite3_stmt *s, int i)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    return v ? strdup((const char *)v) : NULL;
}

#define REPORT_COLS                                                            \
    "n, id, source_id, outlet, url, published, published_origin, title, "      \
    "text, lang, file, line, invalid_utf8, added"

/* Fills r from a row of REPORT_COLS (strings copied). */
static marsad_status row_report(sqlite3_stmt *s, mr_report *r, char *added)
{
    memset(r, 0, sizeof *r);
    r->id = col_dup(s, 1);
    r->source_id = col_dup(s, 2);
    r->outlet = col_dup(s, 3);
    r->url = col_dup(s, 4);
    r->published = col_dup(s, 5);
    const char *o = (const char *)sqlite3_column_text(s, 6);
    r->published_origin = o && strcmp(o, "metadata") == 0   ? MR_PUB_METADATA
                          : o && strcmp(o, "dateline") == 0 ? MR_PUB_DATELINE
                                                            : MR_PUB_UNKNOWN;
    r->title = col_dup(s, 7);
    const char *t = (const char *)sqlite3_column_text(s, 8);
    size_t tn = (size_t)sqlite3_column_bytes(s, 8);
    r->text = malloc(tn + 1);
    if (r->text) {
        if (tn)
            memcpy(r->text, t, tn);
        r->text[tn] = 0;
        r->text_len = tn;
    }
    r->lang = col_dup(s, 9);
    r->file = col_dup(s, 10);
    r->line = (unsigned long)sqlite3_column_int64(s, 11);
    r->invalid_utf8 = (size_t)sqlite3_column_int64(s, 12);
    if (added) {
        const char *a = (const char *)sqlite3_column_text(s, 13);
        snprintf(added, 32, "%s", a ? a : "");
    }
    if (!r->id || !r->text) {
        mr_report_clear(r);
        return MARSAD_E_NOMEM;
    }
    return MARSAD_OK;
}

marsad_status mr_store_get_report(mr_store *st, const char *id, mr_report *r,
                                  char added[32], marsad_error *err)
{
    if (!st || !id || !r)
        return fail(err, MARSAD_E_ARG, st ? st->path : NULL, "no id");
    memset(r, 0, sizeof *r);
    /* a copy: its own names, the text (and what was made of it) of the
     * report it copies */
#define COPY_COLS                                                              \
    "r.n, c.id, c.source_id, c.outlet, c.url, c.published, "                  \
    "r.published_origin, c.title, r.text, r.lang, r.file, r.line, "           \
    "r.invalid_utf8, r.added FROM report_copies c JOIN reports r ON "         \
    "r.n = c.report"
    static const char *const sql[] = {
        "SELECT " REPORT_COLS " FROM reports WHERE id = ?1",
        "SELECT " COPY_COLS " WHERE c.id = ?1",
        /* a source id may name a report and a copy (or several of
         * either): one query over both, so that any two are ambiguous */
        "SELECT " REPORT_COLS " FROM reports WHERE source_id = ?1 "
        "UNION ALL SELECT " COPY_COLS " WHERE c.source_id = ?1 LIMIT 2"};
#undef COPY_COLS
    for (int k = 0; k < 3; k++) {
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(st->db, sql[k], -1, &s, NULL) != SQLITE_OK)
            return db_fail(st, err, "cannot look a report up");
        sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            marsad_status m = row_report(s, r, added);
            int rc2 = sqlite3_step(s);
            sqlite3_finalize(s);
            if (m != MARSAD_OK)
                return fail(err, m, st->path, "out of memory");
            if (rc2 == SQLITE_ROW) {
                mr_report_clear(r);
                return fail(err, MARSAD_E_NOTFOUND, st->path,
                            "'%s' is the source id of several reports: "
                            "use a report id",
                            id);
            }
            return MARSAD_OK;
        }
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return db_fail(st, err, "cannot look a report up");
    }
    return fail(err, MARSAD_E_NOTFOUND, st->path, "no report '%s'", id);
}

static const char *col_or_null(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

marsad_status mr_store_copies_each(mr_store *st, mr_store_copy_fn fn,
                                   void *ctx, marsad_error *err)
{
    if (!st || !fn)
        return fail(err, MARSAD_E_ARG, st ? st->path : NULL, "no callback");
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT r.id, c.id, c.source_id, c.outlet, "
                           "c.published FROM report_copies c JOIN reports r "
                           "ON r.n = c.report ORDER BY r.id, c.id",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(st, err, "cannot read the copies");
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        mr_store_copy c = {col_or_null(s, 0), col_or_null(s, 1),
                           col_or_null(s, 2), col_or_null(s, 3),
                           col_or_null(s, 4)};
        if (fn(&c, ctx) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? MARSAD_OK
                             : db_fail(st, err, "cannot read the copies");
}

marsad_status mr_store_count(mr_store *st, uint64_t *n)
{
    if (!st || !n)
        return MARSAD_E_ARG;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM reports", -1, &s,
                           NULL) != SQLITE_OK)
        return MARSAD_E_DB;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = (uint64_t)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? MARSAD_OK : MARSAD_E_DB;
}

marsad_status mr_store_reports_each(mr_store *st, int64_t after,
                                    mr_store_report_fn fn, void *ctx)
{
    if (!st || !fn)
        return MARSAD_E_ARG;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT " REPORT_COLS
                           " FROM reports WHERE n > ?1 ORDER BY n",
                           -1, &s, NULL) != SQLITE_OK)
        return MARSAD_E_DB;
    sqlite3_bind_int64(s, 1, after);
    marsad_status rc = MARSAD_OK;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        mr_report r;
        if ((rc = row_report(s, &r, NULL)) != MARSAD_OK)
            break;
        int stop = fn(sqlite3_column_int64(s, 0), &r, ctx);
        mr_report_clear(&r);
        if (stop)
            break;
    }
    if (rc == MARSAD_OK && step != SQLITE_ROW && step != SQLITE_DONE)
        rc = MARSAD_E_DB;
    sqlite3_finalize(s);
    return rc;
}

/* ================================================================ search */

/* YYYY, YYYY-MM or YYYY-MM-DD, and a real month and day of the calendar
 * (2018-13 and 2018-04-31 are not) (store_read.h). */
int mr_store_date_ok(const char *d)
{
    size_t n = strlen(d);
    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int dash = i == 4 || i == 7;
        if (dash ? d[i] != '-' : !isdigit((unsigned char)d[i]))
            return 0;
    }
    if (n == 4)
        return 1;
    int y = atoi(d), m = (d[5] - '0') * 10 + (d[6] - '0');
    if (m < 1 || m > 12)
        return 0;
    if (n == 7)
        return 1;
    int day = (d[8] - '0') * 10 + (d[9] - '0');
    return day >= 1 && day <= mr_days_in_month(y, m);
}

marsad_status mr_store_search(mr_store *st, const char *q,
                              const mr_search_opts *opts, mr_hit_fn fn,
                              void *ctx, marsad_error *err)
{
    if (!st || !q || !fn)
        return fail(err, MARSAD_E_ARG, st ? st->path : NULL, "no query");
    mr_search_opts o = {0};
    if (opts)
        o = *opts;
    if (!o.limit)
        o.limit = 20;
    if (o.snippet_tokens <= 0 || o.snippet_tokens > 64)
        o.snippet_tokens = 24;
    if ((o.since && !mr_store_date_ok(o.since)) ||
        (o.until && !mr_store_date_ok(o.until)))
        return fail(err, MARSAD_E_ARG, "query",
                    "'%s' is not a date: dates are YYYY, YYYY-MM or "
                    "YYYY-MM-DD, of a real month and day",
                    o.since && !mr_store_date_ok(o.since) ? o.since : o.until);
    mr_buf expr = MR_BUF_INIT;
    marsad_status rc = mr_query_to_fts(q, strlen(q), &expr, err);
    if (rc != MARSAD_OK) {
        mr_buf_free(&expr);
        return rc;
    }
    /* A connection that searches keeps 32 MB of pages, not 16: each
     * query reads the pages of the reports it returns (their snippets),
     * and with 32 KB pages 16 MB held 512 of them, fewer than the 50
     * bench queries' top 20 (docs/store.md, "The file"). Writers keep 16
     * MB (analyze's peak memory). */
    if (!st->search_cache_set) {
        sqlite3_exec(st->db, "PRAGMA cache_size=-32768", NULL, NULL, NULL);
        st->search_cache_set = 1;
    }
    /* BM25 top-k in one pass over the matches, snippets only for the
     * returned rows, around their first match (search.c). */
    if (!st->search && !(st->search = mr_search_cache_new())) {
        mr_buf_free(&expr);
        return fail(err, MARSAD_E_NOMEM, st->path, "out of memory");
    }
    const char *what = NULL;
    rc = mr_search_run(st, st->search, expr.p, expr.len, &o, fn, ctx, &what);
    if (rc == MARSAD_E_NOMEM)
        rc = fail(err, MARSAD_E_NOMEM, st->path, "%s", what);
    else if (rc != MARSAD_OK)
        rc = db_fail(st, err, what);
    mr_buf_free(&expr);
    return rc;
}

marsad_status mr_store_postings_build(mr_store *st, marsad_error *err)
{
    if (!st)
        return fail(err, MARSAD_E_ARG, NULL, "no store");
    if (st->in_batch)
        return fail(err, MARSAD_E_ARG, st->path,
                    "cannot build the postings inside a batch");
    if (!st->search && !(st->search = mr_search_cache_new()))
        return fail(err, MARSAD_E_NOMEM, st->path, "out of memory");
    const char *what = NULL;
    marsad_status rc = mr_search_build_postings(st, st->search, &what);
    if (rc != MARSAD_OK)
        return fail(err, rc, st->path, "%s", what);
    return MARSAD_OK;
}

int mr_store_postings_fresh(mr_store *st)
{
    if (!st || (!st->search && !(st->search = mr_search_cache_new())))
        return 0;
    return mr_search_postings_fresh(st, st->search, 0);
}

/* ================================================================ generic */

/* The prepared statement for sql (a string literal), reset and unbound;
 * NULL when it cannot be prepared. Owned by st. */
static sqlite3_stmt *cached(mr_store *st, const char *sql)
{
    size_t n = sizeof st->cache / sizeof st->cache[0], i;
    for (i = 0; i < n && st->cache[i].sql; i++)
        if (st->cache[i].sql == sql) {
            sqlite3_reset(st->cache[i].s);
            sqlite3_clear_bindings(st->cache[i].s);
            return st->cache[i].s;
        }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
                           NULL) != SQLITE_OK)
        return NULL;
    if (i == n) { /* full: the oldest entry makes room */
        sqlite3_finalize(st->cache[0].s);
        memmove(&st->cache[0], &st->cache[1], (n - 1) * sizeof st->cache[0]);
        i = n - 1;
    }
    st->cache[i].sql = sql;
    st->cache[i].s = s;
    return s;
}

/* Steps a statement of cached() once, then resets it (its bindings, which
 * may point at the caller's memory, are cleared). */
static marsad_status step_cached(mr_store *st, sqlite3_stmt *s,
                                 marsad_error *err, const char *what)
{
    int rc = sqlite3_step(s);
    marsad_status out = rc == SQLITE_DONE || rc == SQLITE_ROW
                            ? MARSAD_OK
                            : db_fail(st, err, what);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return out;
}

static marsad_status exec_bound(mr_store *st, marsad_error *err,
                                const char *sql, int n, const char **vals)
{
    sqlite3_stmt *s = cached(st, sql);
    if (!s)
        return db_fail(st, err, "cannot prepare");
    for (int i = 0; i < n; i++)
        bind_opt(s, i + 1, vals[i]);
    return step_cached(st, s, err, "cannot write");
}

/* Writes the facts of the report being written as its one row (schema
 * 7), when they changed: none, no row. */
marsad_status mr_store_facts_flush(mr_store *st, marsad_error *err)
{
    if (!st || !st->pf_dirty)
        return MARSAD_OK;
    if (!st->npf) {
        sqlite3_stmt *d = cached(st, "DELETE FROM facts WHERE report = ?1");
        if (!d)
            return db_fail(st, err, "cannot prepare");
        sqlite3_bind_int64(d, 1, st->ft_n);
        marsad_status rc = step_cached(st, d, err, "cannot write facts");
        st->pf_dirty = rc != MARSAD_OK;
        return rc;
    }
    mr_fact_in *in = malloc(st->npf * sizeof *in);
    if (!in)
        return fail(err, MARSAD_E_NOMEM, st->path,
                    "cannot write the facts of report %s",
                    st->ft_id ? st->ft_id : "?");
    for (size_t i = 0; i < st->npf; i++) {
        const struct pend_fact *f = &st->pf[i];
        in[i] = (mr_fact_in){f->kind, f->start, f->end, f->text,
                             f->json,  f->json_len, f->packed};
    }
    size_t len = 0;
    unsigned char *blob = mr_facts_encode(in, st->npf, &len);
    free(in);
    if (!blob || len > INT32_MAX) {
        free(blob);
        return fail(err, MARSAD_E_NOMEM, st->path,
                    "cannot write the facts of report %s",
                    st->ft_id ? st->ft_id : "?");
    }
    sqlite3_stmt *s = cached(st, "INSERT OR REPLACE INTO facts(report, n, "
                                 "facts) VALUES (?1, ?2, ?3)");
    if (!s) {
        free(blob);
        return db_fail(st, err, "cannot prepare");
    }
    sqlite3_bind_int64(s, 1, st->ft_n);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)st->npf);
    sqlite3_bind_blob(s, 3, blob, (int)len, SQLITE_STATIC);
    marsad_status rc = step_cached(st, s, err, "cannot write facts");
    free(blob);
    st->pf_dirty = rc != MARSAD_OK;
    return rc;
}

static int pend_load(const mr_fact_bin *f, void *ctx)
{
    mr_store *st = ctx;
    if (st->npf == st->cappf) {
        size_t c = st->cappf ? st->cappf * 2 : 32;
        struct pend_fact *v = realloc(st->pf, c * sizeof *v);
        if (!v)
            return 1;
        st->pf = v;
        st->cappf = c;
    }
    struct pend_fact *p = &st->pf[st->npf];
    memset(p, 0, sizeof *p);
    p->kind = strdup(f->kind);
    p->text = f->text ? strndup(f->text, f->text_len) : NULL;
    p->json = f->json ? malloc(f->json_len + 1) : NULL;
    if (p->json)
        memcpy(p->json, f->json, f->json_len + 1);
    p->json_len = f->json_len;
    p->start = f->start;
    p->end = f->end;
    p->packed = f->packed;
    if (!p->kind || (f->text && !p->text) || (f->json && !p->json)) {
        pend_free(p);
        return 1;
    }
    st->npf++;
    return 0;
}

/* Makes report_id the report whose facts are written: the others'
 * written first, its row and text read, its stored facts into pf. *found
 * 0 (not an error) when no such report is stored. */
static marsad_status facts_open(mr_store *st, const char *report_id,
                                int *found, marsad_error *err)
{
    *found = 1;
    if (st->ft_id && strcmp(st->ft_id, report_id) == 0)
        return MARSAD_OK;
    marsad_status rc = mr_store_facts_flush(st, err);
    if (rc != MARSAD_OK)
        return rc;
    fact_text_drop(st);
    sqlite3_stmt *q = cached(st, "SELECT r.n, CAST(r.text AS BLOB), f.facts "
                                 "FROM reports r LEFT JOIN facts f ON "
                                 "f.report = r.n WHERE r.id = ?1");
    if (!q)
        return db_fail(st, err, "cannot prepare");
    sqlite3_bind_text(q, 1, report_id, -1, SQLITE_STATIC);
    int qrc = sqlite3_step(q), bad = 0;
    if (qrc == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(q, 1);
        const void *b = sqlite3_column_blob(q, 1);
        st->ft_n = sqlite3_column_int64(q, 0);
        st->ft_id = strdup(report_id);
        st->ft_text = malloc(n + 1);
        if (st->ft_text && n)
            memcpy(st->ft_text, b, n);
        st->ft_len = n;
        const void *fb = sqlite3_column_blob(q, 2);
        if (fb)
            bad = mr_facts_walk(fb, (size_t)sqlite3_column_bytes(q, 2), NULL,
                                0, 0, pend_load, st) != 0;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (qrc != SQLITE_ROW) {
        fact_text_drop(st);
        if (qrc != SQLITE_DONE)
            return db_fail(st, err, "cannot read a report");
        *found = 0;
        return MARSAD_OK;
    }
    if (!st->ft_id || !st->ft_text || bad) {
        fact_text_drop(st);
        return fail(err, bad ? MARSAD_E_DB : MARSAD_E_NOMEM, st->path,
                    bad ? "the stored facts of report %s cannot be read "
                          "(see 'marsad check')"
                        : "cannot add a fact to report %s",
                    report_id);
    }
    return MARSAD_OK;
}

/* Outside a batch, each call is a batch of its own (the report's row is
 * read, changed and written in one transaction). */
static marsad_status own_batch(mr_store *st, int *own, marsad_error *err)
{
    *own = !st->in_batch;
    return *own ? mr_store_begin(st, err) : MARSAD_OK;
}

static marsad_status own_batch_end(mr_store *st, int own, marsad_status rc,
                                   marsad_error *err)
{
    if (!own)
        return rc;
    if (rc == MARSAD_OK)
        return mr_store_commit(st, err);
    mr_store_rollback(st);
    return rc;
}

marsad_status mr_store_facts_replace(mr_store *st, const char *report_id,
                                     const char *kind, marsad_error *err)
{
    if (!st || !report_id || !kind)
        return fail(err, MARSAD_E_ARG, NULL, "missing argument");
    int own;
    marsad_status rc = own_batch(st, &own, err);
    if (rc != MARSAD_OK)
        return rc;
    int found;
    rc = facts_open(st, report_id, &found, err);
    if (rc == MARSAD_OK && found) { /* no such report: nothing to delete */
        size_t k = 0;
        for (size_t i = 0; i < st->npf; i++)
            if (strcmp(st->pf[i].kind, kind) == 0)
                pend_free(&st->pf[i]);
            else
                st->pf[k++] = st->pf[i];
        st->pf_dirty |= k != st->npf;
        st->npf = k;
    }
    return own_batch_end(st, own, rc, err);
}

marsad_status mr_store_fact_add(mr_store *st, const char *report_id,
                                const char *kind, uint32_t start, uint32_t end,
                                const char *text, const char *json,
                                marsad_error *err)
{
    if (!st || !report_id || !kind)
        return fail(err, MARSAD_E_ARG, NULL, "missing argument");
    int own, found = 0;
    marsad_status rc = own_batch(st, &own, err);
    if (rc == MARSAD_OK)
        rc = facts_open(st, report_id, &found, err);
    if (rc == MARSAD_OK && !found)
        rc = fail(err, MARSAD_E_DB, st->path,
                  "cannot add a fact: no stored report %s", report_id);
    if (rc == MARSAD_OK && st->npf == st->cappf) {
        size_t c = st->cappf ? st->cappf * 2 : 32;
        struct pend_fact *v = realloc(st->pf, c * sizeof *v);
        if (v) {
            st->pf = v;
            st->cappf = c;
        } else
            rc = fail(err, MARSAD_E_NOMEM, st->path, "cannot add a fact");
    }
    if (rc != MARSAD_OK)
        return own_batch_end(st, own, rc, err);
    /* the text is kept only when it is not the report's bytes at the
     * span, the object without the span and text it repeats (facts.c) */
    size_t tn = text ? strlen(text) : 0;
    bool same = text && end >= start && end <= st->ft_len &&
                tn == (size_t)(end - start) &&
                memcmp(st->ft_text + start, text, end - start) == 0;
    struct pend_fact *p = &st->pf[st->npf];
    memset(p, 0, sizeof *p);
    p->start = start;
    p->end = end;
    p->kind = strdup(kind);
    p->text = text && !same ? strdup(text) : NULL;
    int sp = 0;
    if (json) {
        size_t jn = strlen(json);
        sp = mr_fact_strip(json, jn, start, end, text, tn, &p->json,
                           &p->json_len);
        if (sp == 0 && (p->json = malloc(jn + 1))) {
            memcpy(p->json, json, jn + 1);
            p->json_len = jn;
        }
    }
    p->packed = sp == 1;
    if (!p->kind || (text && !same && !p->text) || (json && !p->json) ||
        sp < 0) {
        pend_free(p);
        rc = fail(err, MARSAD_E_NOMEM, st->path, "cannot add a fact");
    } else {
        st->npf++;
        st->pf_dirty = 1;
    }
    return own_batch_end(st, own, rc, err);
}

marsad_status mr_store_link_put(mr_store *st, const char *a, const char *b,
                                const char *kind, double score,
                                const char *json, marsad_error *err)
{
    if (!st || !a || !b || !kind)
        return fail(err, MARSAD_E_ARG, NULL, "missing argument");
    sqlite3_stmt *s = cached(st, "INSERT OR REPLACE INTO links(a, b, kind, "
                                 "score, json) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!s)
        return db_fail(st, err, "cannot prepare");
    sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 4, score);
    bind_opt(s, 5, json);
    return step_cached(st, s, err, "cannot add a link");
}

marsad_status mr_store_story_put(mr_store *st, const char *story_id,
                                 const char *json,
                                 const char *const *report_ids, size_t n,
                                 marsad_error *err)
{
    if (!st || !story_id || !json || (n && !report_ids))
        return fail(err, MARSAD_E_ARG, NULL, "missing argument");
    const char *v[] = {story_id, json};
    /* stored packed when that is shorter (story_pack.c), then deflated
     * when that is shorter (schema 9) */
    size_t jn = strlen(json), pn = 0, zn = 0;
    char *pk = mr_story_pack(st->db, json, jn, 1, &pn);
    if (pk && pn >= jn) {
        sqlite3_free(pk);
        pk = NULL;
    }
    const char *doc = pk ? pk : json;
    size_t dn = pk ? pn : jn;
    unsigned char *z = mr_story_deflate(doc, dn, &zn);
    sqlite3_stmt *s = cached(
        st, "INSERT INTO stories(id, title, first_seen, last_seen, claims,"
            " conflicts, claims_size, claims_json, updated, packed, size,"
            " json) VALUES (?1,"
            MR_STORY_KEYS("?2") ", mr_story_deflate(" MR_STORY_CLAIMS("?2")
            "), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
            " ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET"
            " title = excluded.title, first_seen = excluded.first_seen,"
            " last_seen = excluded.last_seen, claims = excluded.claims,"
            " conflicts = excluded.conflicts,"
            " claims_size = excluded.claims_size,"
            " claims_json = excluded.claims_json, updated = excluded.updated,"
            " packed = excluded.packed, size = excluded.size,"
            " json = excluded.json");
    if (!s) {
        sqlite3_free(pk);
        sqlite3_free(z);
        return db_fail(st, err, "cannot prepare");
    }
    sqlite3_bind_text(s, 1, story_id, -1, SQLITE_STATIC);
    sqlite3_bind_text64(s, 2, doc, dn, SQLITE_STATIC, SQLITE_UTF8);
    sqlite3_bind_int(s, 3, pk != NULL);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)dn);
    if (z)
        sqlite3_bind_blob64(s, 5, z, zn, SQLITE_STATIC);
    else
        sqlite3_bind_text64(s, 5, doc, dn, SQLITE_STATIC, SQLITE_UTF8);
    marsad_status rc = step_cached(st, s, err, "cannot write");
    sqlite3_free(pk);
    sqlite3_free(z);
    if (rc == MARSAD_OK)
        rc = exec_bound(st, err,
                        "DELETE FROM story_reports WHERE story_id = ?1", 1, v);
    for (size_t i = 0; rc == MARSAD_OK && i < n; i++) {
        const char *w[] = {story_id, report_ids[i]};
        rc = exec_bound(st, err,
                        "INSERT OR IGNORE INTO story_reports VALUES (?1, ?2)",
                        2, w);
    }
    return rc;
}

marsad_status mr_store_meta_set(mr_store *st, const char *key,
                                const char *value, marsad_error *err)
{
    if (!st || !key)
        return fail(err, MARSAD_E_ARG, NULL, "missing argument");
    const char *v[] = {key, value};
    return exec_bound(st, err, "INSERT OR REPLACE INTO meta VALUES (?1, ?2)",
                      2, v);
}

marsad_status mr_store_meta_get(mr_store *st, const char *key, char **value,
                                marsad_error *err)
{
    if (!st || !key || !value)
        return fail(err, MARSAD_E_ARG, NULL, "missing argument");
    *value = NULL;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = ?1", -1,
                           &s, NULL) != SQLITE_OK)
        return db_fail(st, err, "cannot prepare");
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL &&
        !(*value = col_dup(s, 0))) {
        sqlite3_finalize(s);
        return fail(err, MARSAD_E_NOMEM, st->path, "out of memory");
    }
    sqlite3_finalize(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? MARSAD_OK
               : db_fail(st, err, "cannot read meta");
}
