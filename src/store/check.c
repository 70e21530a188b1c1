/*
 * check.c: verifying a store and rebuilding what is derived in it
 * (docs/store.md, "Checking and repairing"). The reports are the source of
 * truth; the full-text index, SQLite's own indexes, facts, links and
 * stories are derived from them and can be rebuilt.
 *
 * Every check is one query over the whole store: O(rows) (facts against
 * their reports is one join on reports.id, an index lookup per fact).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

static const char *const kind_names[MR_CHECK_NKINDS] = {
    "pages", "index", "full-text index", "facts", "links", "stories"};

const char *mr_check_kind_name(mr_check_kind k)
{
    return (unsigned)k < MR_CHECK_NKINDS ? kind_names[k] : "?";
}

typedef struct checker {
    mr_store *st;
    mr_check_fn fn;
    void *ctx;
    mr_check_result *res;
} checker;

static void problem(checker *c, mr_check_kind k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(checker *c, mr_check_kind k, const char *fmt, ...)
{
    c->res->problems[k]++;
    if (!c->fn)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mr_check_problem p = {k, msg};
    c->fn(&p, c->ctx);
}

/* Runs sql (one statement) and returns its first column as an integer;
 * -1 when it fails. */
static int64_t scalar(mr_store *st, const char *sql, const char *arg)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(mr_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    if (arg)
        sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
    int64_t v = -1;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* An integrity_check message that only says an index does not match its
 * table (REINDEX rebuilds it); anything else is damage to the pages. */
static int index_only(const char *m)
{
    return (strncmp(m, "row ", 4) == 0 && strstr(m, " missing from index ")) ||
           strncmp(m, "wrong # of entries in index ", 28) == 0 ||
           strstr(m, "non-unique entry in index ") != NULL;
}

static void check_sqlite(checker *c)
{
    sqlite3 *db = mr_store_db(c->st);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(20)", -1, &s, NULL) !=
        SQLITE_OK) {
        problem(c, MR_CHECK_PAGES, "%s", sqlite3_errmsg(db));
        return;
    }
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(s, 0);
        if (m && strcmp(m, "ok") == 0)
            continue;
        m = m ? m : "?";
        problem(c, index_only(m) ? MR_CHECK_INDEX : MR_CHECK_PAGES, "%s", m);
    }
    if (rc != SQLITE_DONE)
        problem(c, MR_CHECK_PAGES, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(s);
}

static void check_fts(checker *c)
{
    sqlite3 *db = mr_store_db(c->st);
    /* FTS5's own check of the index against the reports table; inside a
     * savepoint that is rolled back, so checking writes nothing */
    sqlite3_exec(db, "SAVEPOINT mr_check", NULL, NULL, NULL);
    if (sqlite3_exec(db,
                     "INSERT INTO reports_fts(reports_fts, rank) "
                     "VALUES('integrity-check', 1)",
                     NULL, NULL, NULL) != SQLITE_OK)
        problem(c, MR_CHECK_FTS, "%s", sqlite3_errmsg(db));
    sqlite3_exec(db, "ROLLBACK TO mr_check; RELEASE mr_check", NULL, NULL,
                 NULL);
}

/* Counts rows of a query; reports a problem when there are any. */
static void count_bad(checker *c, mr_check_kind k, const char *sql,
                      const char *arg, const char *what)
{
    int64_t n = scalar(c->st, sql, arg);
    if (n < 0)
        problem(c, k, "cannot check %s: %s", what,
                sqlite3_errmsg(mr_store_db(c->st)));
    else if (n > 0)
        problem(c, k, "%lld %s", (long long)n, what);
}

typedef struct span_ctx {
    const char *text;
    size_t len;
    int64_t bad;
} span_ctx;

static int span_bad(const mr_fact_bin *f, void *ctx)
{
    span_ctx *x = ctx;
    x->bad += f->end < f->start || f->end > x->len ||
              (f->text && (f->text_len != f->end - f->start ||
                           memcmp(f->text, x->text + f->start,
                                  f->text_len) != 0));
    return 0;
}

/* Each fact's span inside its report, and its text, when kept, the
 * report's bytes there (schema 7: read from each report's blob). */
static void check_spans(checker *c)
{
    sqlite3 *db = mr_store_db(c->st);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db,
                           "SELECT f.facts, CAST(r.text AS BLOB) FROM facts f "
                           "JOIN reports r ON r.n = f.report",
                           -1, &q, NULL) != SQLITE_OK) {
        problem(c, MR_CHECK_FACTS, "cannot check the facts: %s",
                sqlite3_errmsg(db));
        return;
    }
    span_ctx x = {NULL, 0, 0};
    int64_t unreadable = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        x.text = (const char *)sqlite3_column_blob(q, 1);
        x.len = (size_t)sqlite3_column_bytes(q, 1);
        if (!x.text)
            x.text = "";
        unreadable += mr_facts_walk(sqlite3_column_blob(q, 0),
                                    (size_t)sqlite3_column_bytes(q, 0), NULL,
                                    0, 0, span_bad, &x) != 0;
    }
    if (r != SQLITE_DONE)
        problem(c, MR_CHECK_FACTS, "cannot check the facts: %s",
                sqlite3_errmsg(db));
    sqlite3_finalize(q);
    if (x.bad)
        problem(c, MR_CHECK_FACTS,
                "%lld facts whose span is not their text in the report "
                "(outside it, or other words)",
                (long long)x.bad);
    if (unreadable)
        problem(c, MR_CHECK_FACTS,
                "%lld reports whose facts cannot be read (damaged)",
                (long long)unreadable);
}

static void check_derived(checker *c, const char *analysed_key)
{
    count_bad(c, MR_CHECK_FACTS,
              "SELECT coalesce(sum(f.n), 0) FROM facts f WHERE NOT EXISTS "
              "(SELECT 1 FROM reports r WHERE r.n = f.report)",
              NULL, "facts of reports that are not stored");
    check_spans(c);
    count_bad(c, MR_CHECK_LINKS,
              "SELECT count(*) FROM links l WHERE NOT EXISTS (SELECT 1 FROM "
              "reports r WHERE r.id = l.a) OR NOT EXISTS (SELECT 1 FROM "
              "reports r WHERE r.id = l.b)",
              NULL, "links to reports that are not stored");
    count_bad(c, MR_CHECK_STORIES,
              "SELECT count(*) FROM story_reports m WHERE NOT EXISTS "
              "(SELECT 1 FROM reports r WHERE r.id = m.report_id) OR NOT "
              "EXISTS (SELECT 1 FROM stories s WHERE s.id = m.story_id)",
              NULL, "story members that are not stored reports or stories");
    count_bad(c, MR_CHECK_STORIES,
              "SELECT count(*) FROM stories s WHERE NOT EXISTS (SELECT 1 "
              "FROM story_reports m WHERE m.story_id = s.id)",
              NULL, "stories without reports");
    /* schema 9: each document and its claims inflate, and the columns
     * written beside them are theirs */
    count_bad(c, MR_CHECK_STORIES,
              "SELECT count(*) FROM (SELECT s.title AS t, s.first_seen AS fs,"
              " s.last_seen AS ls, s.claims AS nc, s.conflicts AS nk,"
              " s.claims_size AS cs, s.claims_json AS cz, s.size AS sz,"
              " mr_story_inflate(s.json, s.size, 1) AS d,"
              " mr_story_inflate(s.claims_json, s.claims_size, 1) AS cj"
              " FROM stories s LIMIT -1) x WHERE x.d IS NULL"
              " OR length(CAST(x.d AS BLOB)) IS NOT x.sz"
              " OR (x.cz IS NOT NULL AND x.cj IS NULL)"
              " OR (x.t, x.fs, x.ls, x.nc, x.nk, x.cs) IS NOT (SELECT"
              MR_STORY_KEYS("x.d") ")"
              " OR CAST(x.cj AS TEXT) IS NOT CAST(" MR_STORY_CLAIMS("x.d")
              " AS TEXT)",
              NULL, "stories whose document cannot be read or does not give "
              "their columns");
    count_bad(c, MR_CHECK_STORIES,
              "SELECT count(*) FROM (SELECT report_id FROM story_reports "
              "GROUP BY report_id HAVING count(*) > 1)",
              NULL, "reports in more than one story");
    if (analysed_key)
        count_bad(c, MR_CHECK_STORIES,
                  "SELECT count(*) FROM reports r WHERE r.n <= coalesce("
                  "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1),"
                  " 0) AND EXISTS (SELECT 1 FROM stories) AND NOT EXISTS "
                  "(SELECT 1 FROM story_reports m WHERE m.report_id = r.id)",
                  analysed_key, "analysed reports in no story");
}

marsad_status mr_store_check(mr_store *st, const char *analysed_key,
                             mr_check_fn fn, void *ctx, mr_check_result *res,
                             marsad_error *err)
{
    if (!st || !res) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = MARSAD_E_ARG;
            snprintf(err->message, sizeof err->message, "no store");
        }
        return MARSAD_E_ARG;
    }
    memset(res, 0, sizeof *res);
    checker c = {st, fn, ctx, res};
    int64_t n = scalar(st, "SELECT count(*) FROM reports", NULL);
    res->reports = n > 0 ? (uint64_t)n : 0;
    n = scalar(st, "SELECT coalesce(sum(n), 0) FROM facts", NULL);
    res->facts = n > 0 ? (uint64_t)n : 0;
    n = scalar(st, "SELECT count(*) FROM stories", NULL);
    res->stories = n > 0 ? (uint64_t)n : 0;
    check_sqlite(&c);
    if (res->problems[MR_CHECK_PAGES]) /* the rest would read damaged pages */
        return MARSAD_OK;
    check_fts(&c);
    check_derived(&c, analysed_key);
    return MARSAD_OK;
}

int mr_check_clean(const mr_check_result *res)
{
    for (int k = 0; k < MR_CHECK_NKINDS; k++)
        if (res->problems[k])
            return 0;
    return 1;
}

marsad_status mr_store_repair(mr_store *st, const mr_check_result *found,
                              int *derived_cleared, marsad_error *err)
{
    if (derived_cleared)
        *derived_cleared = 0;
    if (!st || !found)
        return MARSAD_E_ARG;
    sqlite3 *db = mr_store_db(st);
    const char *path = mr_store_path(st);
    if (found->problems[MR_CHECK_PAGES]) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = MARSAD_E_DB;
            snprintf(err->input, sizeof err->input, "%s", path);
            snprintf(err->message, sizeof err->message,
                     "the file's pages are damaged: marsad writes nothing "
                     "into it (copy what can be read with \"sqlite3 %s "
                     ".recover\", or ingest the sources again into a new "
                     "store)",
                     path);
        }
        return MARSAD_E_DB;
    }
    int derived = found->problems[MR_CHECK_FACTS] ||
                  found->problems[MR_CHECK_LINKS] ||
                  found->problems[MR_CHECK_STORIES];
    marsad_status rc = mr_store_begin(st, err);
    const char *step = NULL;
    if (rc == MARSAD_OK && found->problems[MR_CHECK_INDEX] &&
        sqlite3_exec(db, "REINDEX", NULL, NULL, NULL) != SQLITE_OK)
        step = "cannot rebuild the indexes";
    if (rc == MARSAD_OK && !step && found->problems[MR_CHECK_FTS] &&
        sqlite3_exec(db,
                     "INSERT INTO reports_fts(reports_fts) VALUES('rebuild')",
                     NULL, NULL, NULL) != SQLITE_OK)
        step = "cannot rebuild the full-text index";
    /* facts, links and stories: all of them go, with the layers'
     * bookkeeping in meta (every key but the store's own), so the next
     * analysis of the store starts from its reports */
    if (rc == MARSAD_OK && !step && derived &&
        sqlite3_exec(db,
                     "DELETE FROM story_reports; DELETE FROM stories;"
                     "DELETE FROM links; DELETE FROM facts;"
                     "DELETE FROM meta WHERE key <> 'fts_tokenizer' AND "
                     "key NOT GLOB 'schema_[0-9]*'",
                     NULL, NULL, NULL) != SQLITE_OK)
        step = "cannot clear the derived tables";
    if (rc != MARSAD_OK)
        return rc;
    if (step) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = MARSAD_E_DB;
            snprintf(err->input, sizeof err->input, "%s", path);
            snprintf(err->message, sizeof err->message, "%s: %s", step,
                     sqlite3_errmsg(db));
        }
        mr_store_rollback(st);
        return MARSAD_E_DB;
    }
    rc = mr_store_commit(st, err);
    if (rc == MARSAD_OK && derived_cleared)
        *derived_cleared = derived;
    return rc;
}
