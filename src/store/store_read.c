/*
 * store_read.c: the typed read queries of store_read.h. Each one prepares
 * its statement, binds every user value as a parameter (user text reaches
 * FTS5 only through mr_query_to_fts), and walks one bounded page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "store/store_read.h"

static marsad_status rfail(marsad_error *err, marsad_status code,
                           const char *input, const char *msg)
{
    if (!err)
        return code;
    memset(err, 0, sizeof *err);
    err->code = code;
    snprintf(err->input, sizeof err->input, "%s", input ? input : "store");
    snprintf(err->message, sizeof err->message, "%s", msg);
    return code;
}

static marsad_status rdb_fail(mr_store *st, marsad_error *err,
                              const char *what)
{
    sqlite3 *db = mr_store_db(st);
    marsad_status code = (sqlite3_errcode(db) & 0xff) == SQLITE_NOMEM
                             ? MARSAD_E_NOMEM
                             : MARSAD_E_DB;
    char msg[256];
    snprintf(msg, sizeof msg, "%s: %s", what, sqlite3_errmsg(db));
    return rfail(err, code, mr_store_path(st), msg);
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static const char *col(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* Checks since/until; a bad one is MARSAD_E_ARG naming the parameter. */
static marsad_status dates_ok(const char *since, const char *until,
                              marsad_error *err)
{
    if (since && !mr_store_date_ok(since))
        return rfail(err, MARSAD_E_ARG, "since",
                     "dates are YYYY, YYYY-MM or YYYY-MM-DD");
    if (until && !mr_store_date_ok(until))
        return rfail(err, MARSAD_E_ARG, "until",
                     "dates are YYYY, YYYY-MM or YYYY-MM-DD");
    return MARSAD_OK;
}

/* The FTS5 expression of a user query q into out (NULL q: out stays
 * empty and *has is 0). */
static marsad_status fts_expr(const char *q, mr_buf *out, int *has,
                              marsad_error *err)
{
    *has = 0;
    if (!q)
        return MARSAD_OK;
    *has = 1;
    return mr_query_to_fts(q, strlen(q), out, err);
}

static void bind_expr(sqlite3_stmt *s, int i, const mr_buf *e, int has)
{
    if (has)
        sqlite3_bind_text(s, i, e->p, (int)e->len, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

/* The caller's callback, whichever kind of row it takes. */
typedef struct cb {
    union {
        mr_store_story_fn story;
        mr_claim_row_fn claim;
        mr_fact_row_fn fact;
        mr_report_row_fn report;
        mr_volume_row_fn volume;
    } fn;
    void *ctx;
} cb;

/* Steps s to its end, handing each row to row(); returns the status. */
typedef int (*row_fn)(sqlite3_stmt *s, const cb *c);

static marsad_status walk(mr_store *st, sqlite3_stmt *s, row_fn row,
                          const cb *c, marsad_error *err, const char *what)
{
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if (row(s, c))
            break;
    marsad_status rc = MARSAD_OK;
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = rdb_fail(st, err, what);
    sqlite3_finalize(s);
    return rc;
}

/* ================================================================ misc */

marsad_status mr_store_revision(mr_store *st, int64_t *rev, marsad_error *err)
{
    if (!st || !rev)
        return rfail(err, MARSAD_E_ARG, NULL, "no store");
    *rev = 0;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(mr_store_db(st),
                           "SELECT coalesce(max(n), 0) FROM reports", -1, &s,
                           NULL) != SQLITE_OK)
        return rdb_fail(st, err, "cannot read the revision");
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        *rev = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return step == SQLITE_ROW ? MARSAD_OK
                              : rdb_fail(st, err, "cannot read the revision");
}

void mr_store_set_progress(mr_store *st, int (*fn)(void *), void *ctx)
{
    if (st)
        sqlite3_progress_handler(mr_store_db(st), fn ? 4000 : 0, fn, ctx);
}

/* ================================================================ stories */

static int story_row(sqlite3_stmt *s, const cb *c)
{
    mr_story_row r;
    mr_story_row_read(s, &r);
    if (!r.id || !r.json)
        return 0;
    return c->fn.story(&r, c->ctx);
}

/* Stories whose reports match an FTS5 expression (?1). */
#define MATCHING_STORIES                                                     \
    "SELECT sr.story_id FROM story_reports sr JOIN reports r"               \
    " ON r.id = sr.report_id WHERE r.n IN"                                  \
    " (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?1)"

/* The filters and page shared by the story and claim lists, over stories
 * s: ?11 since (last seen), ?12 until (first seen), ?13 a report stored
 * after this row, ?14 written since; ?15 limit, ?16 offset (bind_filter).
 * A story's JSON is parsed only when a date filter asks for it (SQLite
 * evaluates an OR's right side only when its left is false): parsing
 * every stored story is what makes a list slow. */
#define STORY_FILTER                                                         \
    " (?11 IS NULL OR"                                                      \
    "  substr(s.last_seen, 1, length(?11)) >= ?11)"                        \
    " AND (?12 IS NULL OR"                                                  \
    "  substr(s.first_seen, 1, length(?12)) <= ?12)"                        \
    " AND (?13 = 0 OR s.id IN (SELECT sr.story_id FROM story_reports sr"    \
    "  JOIN reports r ON r.id = sr.report_id WHERE r.n > ?13))"             \
    " AND (?14 IS NULL OR s.updated >= ?14)"
#define PAGE " LIMIT ?15 OFFSET ?16"

static void bind_filter(sqlite3_stmt *s, const char *since, const char *until,
                        int64_t after_row, const char *updated_since,
                        size_t limit, size_t offset)
{
    bind_text(s, 11, since);
    bind_text(s, 12, until);
    sqlite3_bind_int64(s, 13, after_row);
    bind_text(s, 14, updated_since);
    sqlite3_bind_int64(s, 15, (sqlite3_int64)(limit ? limit : 50));
    sqlite3_bind_int64(s, 16, (sqlite3_int64)offset);
}

/* Checks the dates and the user query, then prepares sql: MARSAD_OK with
 * *s set, or the error (e holds the FTS5 expression; free it). */
static marsad_status prepare(mr_store *st, const char *sql, const char *since,
                             const char *until, const char *q, mr_buf *e,
                             int *has, sqlite3_stmt **s, marsad_error *err,
                             const char *what)
{
    *s = NULL;
    *has = 0;
    marsad_status rc = dates_ok(since, until, err);
    if (rc == MARSAD_OK)
        rc = fts_expr(q, e, has, err);
    if (rc == MARSAD_OK &&
        sqlite3_prepare_v2(mr_store_db(st), sql, -1, s, NULL) != SQLITE_OK)
        rc = rdb_fail(st, err, what);
    return rc;
}

marsad_status mr_store_stories_page(mr_store *st, const mr_stories_query *q,
                                    mr_store_story_fn fn, void *ctx,
                                    marsad_error *err)
{
    if (!st || !q || !fn)
        return rfail(err, MARSAD_E_ARG, NULL, "no store or query");
/* The page's ids first, ordered without reading any JSON (nor the
 * updated column, which lies past it in the row); then the columns of
 * those rows only. */
#define STORIES_SQL(UP, ORDER)                                               \
    "WITH page AS (SELECT s.id AS pid, " UP " AS pup,"                      \
    " (SELECT count(*) FROM story_reports x WHERE x.story_id = s.id) AS pnr"\
    " FROM stories s WHERE" STORY_FILTER                                     \
    " AND (?1 IS NULL OR s.id IN (" MATCHING_STORIES "))"                   \
    " AND pnr >= ?2 ORDER BY " ORDER PAGE ") "                              \
    MR_STORY_COLS " FROM page JOIN stories s ON s.id = page.pid"             \
    " ORDER BY " ORDER
    static const char largest[] = STORIES_SQL("NULL", "pnr DESC, pid");
    static const char newest[] = STORIES_SQL("s.updated", "pup DESC, pid");
    mr_buf e = MR_BUF_INIT;
    int has;
    sqlite3_stmt *s;
    marsad_status rc = prepare(st, q->newest ? newest : largest, q->since,
                               q->until, q->q, &e, &has, &s, err,
                               "cannot list the stories");
    if (rc == MARSAD_OK) {
        bind_expr(s, 1, &e, has);
        sqlite3_bind_int64(s, 2, q->min_reports);
        bind_filter(s, q->since, q->until, q->after_row, q->updated_since,
                    q->limit, q->offset);
        cb c = {.fn.story = fn, .ctx = ctx};
        rc = walk(st, s, story_row, &c, err, "cannot list the stories");
    }
    mr_buf_free(&e);
    return rc;
}

static int report_row(sqlite3_stmt *s, const cb *c)
{
    mr_report_row r;
    r.id = col(s, 0);
    r.outlet = col(s, 1);
    r.url = col(s, 2);
    r.published = col(s, 3);
    r.title = col(s, 4);
    r.row = sqlite3_column_int64(s, 5);
    return c->fn.report(&r, c->ctx);
}

marsad_status mr_store_story_reports(mr_store *st, const char *story_id,
                                     mr_report_row_fn fn, void *ctx,
                                     marsad_error *err)
{
    if (!st || !story_id || !fn)
        return rfail(err, MARSAD_E_ARG, NULL, "no story id");
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(mr_store_db(st),
                           "SELECT r.id, r.outlet, r.url, r.published,"
                           " r.title, r.n FROM story_reports x JOIN reports r"
                           " ON r.id = x.report_id WHERE x.story_id = ?1"
                           " ORDER BY r.published IS NULL, r.published, r.id",
                           -1, &s, NULL) != SQLITE_OK)
        return rdb_fail(st, err, "cannot read the story's reports");
    bind_text(s, 1, story_id);
    cb c = {.fn.report = fn, .ctx = ctx};
    return walk(st, s, report_row, &c, err, "cannot read the story's reports");
}

/* ================================================================ claims */

static int claim_row(sqlite3_stmt *s, const cb *c)
{
    mr_claim_row r;
    r.story_id = col(s, 0);
    r.story_title = col(s, 1);
    r.index = sqlite3_column_int64(s, 2);
    r.json = col(s, 3);
    r.updated = col(s, 4);
    if (!r.json)
        r.json = "{}";
    return c->fn.claim(&r, c->ctx);
}

marsad_status mr_store_claims_page(mr_store *st, const mr_claims_query *q,
                                   mr_claim_row_fn fn, void *ctx,
                                   marsad_error *err)
{
    if (!st || !q || !fn)
        return rfail(err, MARSAD_E_ARG, NULL, "no store or query");
    /* A story whose JSON does not hold "event":"killed" (as marsad writes
     * it) has no such claim: a substring test spares parsing it. Only
     * the claims are read (their column), not the document; a story
     * without claims is not inflated at all, the others once each (the
     * subquery has a LIMIT, so SQLite runs it as a co-routine and does not
     * copy its doc expression into each use). */
    static const char sql[] =
        "SELECT d.id, d.title, c.key, c.value, d.updated, d.ls FROM"
        " (SELECT s.id AS id, s.title AS title, s.updated AS updated,"
        "  s.last_seen AS ls,"
        "  mr_story_inflate(s.claims_json, s.claims_size) AS doc"
        "  FROM stories s WHERE s.claims_json IS NOT NULL AND" STORY_FILTER
        "  LIMIT -1) d,"
        " json_each(d.doc) c WHERE"
        " (?1 IS NULL OR instr(d.doc, '\"event\":' || json_quote(?1)))"
        " AND (?2 IS NULL OR instr(d.doc, '\"category\":' || json_quote(?2)))"
        " AND (?3 IS NULL OR instr(d.doc, '\"verdict\":' || json_quote(?3)))"
        " AND (?1 IS NULL OR json_extract(c.value, '$.event') = ?1)"
        " AND (?2 IS NULL OR json_extract(c.value, '$.category') = ?2)"
        " AND (?3 IS NULL OR json_extract(c.value, '$.verdict') = ?3)"
        " ORDER BY d.ls DESC, d.id, c.key" PAGE;
    mr_buf e = MR_BUF_INIT;
    int has;
    sqlite3_stmt *s;
    marsad_status rc = prepare(st, sql, q->since, q->until, NULL, &e, &has,
                               &s, err, "cannot list the claims");
    if (rc == MARSAD_OK) {
        bind_text(s, 1, q->event);
        bind_text(s, 2, q->category);
        bind_text(s, 3, q->verdict);
        bind_filter(s, q->since, q->until, q->after_row, q->updated_since,
                    q->limit, q->offset);
        cb c = {.fn.claim = fn, .ctx = ctx};
        rc = walk(st, s, claim_row, &c, err, "cannot list the claims");
    }
    mr_buf_free(&e);
    return rc;
}

/* ================================================================ facts */

typedef struct fact_copy {
    char *kind, *text, *json;
    uint32_t start, end;
    size_t seq;
} fact_copy;

typedef struct fact_copies {
    fact_copy *v;
    size_t n, cap;
    int oom;
} fact_copies;

static int copy_fact(const mr_fact_bin *f, void *ctx)
{
    fact_copies *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        fact_copy *v = realloc(c->v, cap * sizeof *v);
        if (!v) {
            c->oom = 1;
            return 1;
        }
        c->v = v;
        c->cap = cap;
    }
    fact_copy *x = &c->v[c->n];
    x->kind = strdup(f->kind);
    x->text = strndup(f->text, f->text_len);
    x->json = strdup(f->json ? f->json : "{}");
    x->start = f->start;
    x->end = f->end;
    x->seq = c->n;
    if (!x->kind || !x->text || !x->json) {
        free(x->kind);
        free(x->text);
        free(x->json);
        c->oom = 1;
        return 1;
    }
    c->n++;
    return 0;
}

static int by_place(const void *pa, const void *pb)
{
    const fact_copy *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    int k = strcmp(a->kind, b->kind);
    if (k)
        return k;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

marsad_status mr_store_facts_each(mr_store *st, const char *report_id,
                                  mr_fact_row_fn fn, void *ctx,
                                  marsad_error *err)
{
    if (!st || !report_id || !fn)
        return rfail(err, MARSAD_E_ARG, NULL, "no report id");
    marsad_status rc = mr_store_facts_flush(st, err);
    if (rc != MARSAD_OK)
        return rc;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(mr_store_db(st),
                           "SELECT f.facts, CAST(r.text AS BLOB)"
                           " FROM reports r JOIN facts f ON f.report = r.n"
                           " WHERE r.id = ?1",
                           -1, &s, NULL) != SQLITE_OK)
        return rdb_fail(st, err, "cannot read the facts");
    bind_text(s, 1, report_id);
    fact_copies c = {0};
    int r = sqlite3_step(s), w = 0;
    if (r == SQLITE_ROW) {
        w = mr_facts_walk(sqlite3_column_blob(s, 0),
                          (size_t)sqlite3_column_bytes(s, 0),
                          (const char *)sqlite3_column_blob(s, 1),
                          (size_t)sqlite3_column_bytes(s, 1), 1, copy_fact,
                          &c);
        r = SQLITE_DONE;
    }
    if (r != SQLITE_DONE)
        rc = rdb_fail(st, err, "cannot read the facts");
    sqlite3_finalize(s);
    if (rc != MARSAD_OK)
        ;
    else if (c.oom)
        rc = rfail(err, MARSAD_E_NOMEM, NULL, "reading the facts");
    else if (w < 0)
        rc = rfail(err, MARSAD_E_DB, report_id,
                   "the report's facts cannot be read (see 'marsad check')");
    else
        qsort(c.v, c.n, sizeof *c.v, by_place);
    int stop = rc != MARSAD_OK;
    for (size_t i = 0; i < c.n; i++) {
        mr_fact_row row = {c.v[i].kind, c.v[i].text, c.v[i].json,
                           c.v[i].start, c.v[i].end, false};
        if (!stop)
            stop = fn(&row, ctx);
        free(c.v[i].kind);
        free(c.v[i].text);
        free(c.v[i].json);
    }
    free(c.v);
    return rc;
}

/* ================================================================ volume */

static int volume_row(sqlite3_stmt *s, const cb *c)
{
    mr_volume_row r;
    r.key = col(s, 0);
    r.matches = sqlite3_column_int64(s, 1);
    r.total = sqlite3_column_int64(s, 2);
    return c->fn.volume(&r, c->ctx);
}

#define VOL_FILTER                                                           \
    " (?2 IS NULL OR substr(r.published, 1, length(?2)) >= ?2)"             \
    " AND (?3 IS NULL OR substr(r.published, 1, length(?3)) <= ?3)"        \
    " AND (?4 IS NULL OR r.outlet = ?4 COLLATE NOCASE)"
#define VOL_SQL(KEY, ORDER)                                                  \
    "WITH t AS (SELECT " KEY " AS k, count(*) AS c FROM reports r WHERE"    \
    VOL_FILTER " GROUP BY k),"                                              \
    " m AS (SELECT " KEY " AS k, count(*) AS c FROM reports r WHERE"        \
    " (?1 IS NULL OR r.n IN (SELECT rowid FROM reports_fts"                 \
    "  WHERE reports_fts MATCH ?1)) AND" VOL_FILTER " GROUP BY k)"          \
    " SELECT m.k, m.c, t.c FROM m JOIN t ON t.k IS m.k ORDER BY " ORDER

marsad_status mr_store_volume(mr_store *st, const char *q, mr_volume_by by,
                              const char *since, const char *until,
                              const char *outlet, mr_volume_row_fn fn,
                              void *ctx, marsad_error *err)
{
    if (!st || !fn)
        return rfail(err, MARSAD_E_ARG, NULL, "no store");
    static const char by_day[] =
        VOL_SQL("substr(r.published, 1, 10)", "m.k");
    static const char by_outlet[] =
        VOL_SQL("r.outlet", "m.c DESC, m.k");
    mr_buf e = MR_BUF_INIT;
    int has;
    sqlite3_stmt *s;
    marsad_status rc = prepare(st, by == MR_VOLUME_OUTLET ? by_outlet : by_day,
                               since, until, q, &e, &has, &s, err,
                               "cannot count the reports");
    if (rc != MARSAD_OK) {
        mr_buf_free(&e);
        return rc;
    }
    bind_expr(s, 1, &e, has);
    bind_text(s, 2, since);
    bind_text(s, 3, until);
    bind_text(s, 4, outlet);
    cb c = {.fn.volume = fn, .ctx = ctx};
    rc = walk(st, s, volume_row, &c, err, "cannot count the reports");
    mr_buf_free(&e);
    return rc;
}
