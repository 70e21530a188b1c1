/*
 * tables.c: the typed queries over the generic tables (facts, stories,
 * story_reports, meta) that the layers above need, so that no SQL and no
 * connection leaves src/store/. See store.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* The row of the report whose id is ?1, or of the report a copy with that
 * id copies (schema 8). */
#define REPORT_OR_COPY                                                         \
    "coalesce((SELECT n FROM reports WHERE id = ?1), (SELECT report FROM "    \
    "report_copies WHERE id = ?1))"
#include "store/store_read.h"

/* A report whose stored facts cannot be read (a damaged blob), named. */
static marsad_status facts_damaged(mr_store *st, marsad_error *err,
                                   const char *what, const char *report_id)
{
    if (!err)
        return MARSAD_E_DB;
    memset(err, 0, sizeof *err);
    err->code = MARSAD_E_DB;
    const char *p = st ? mr_store_path(st) : NULL;
    snprintf(err->input, sizeof err->input, "%s", p ? p : "store");
    snprintf(err->message, sizeof err->message,
             "%s: the facts of report %s cannot be read (see 'marsad check')",
             what, report_id ? report_id : "?");
    return MARSAD_E_DB;
}

static marsad_status t_fail(mr_store *st, marsad_error *err,
                            marsad_status code, const char *what)
{
    if (!err)
        return code;
    memset(err, 0, sizeof *err);
    err->code = code;
    const char *p = st ? mr_store_path(st) : NULL;
    snprintf(err->input, sizeof err->input, "%s", p ? p : "store");
    if (code == MARSAD_E_DB && st)
        snprintf(err->message, sizeof err->message, "%s: %s", what,
                 sqlite3_errmsg(mr_store_db(st)));
    else
        snprintf(err->message, sizeof err->message, "%s: %s", what,
                 marsad_strerror(code));
    return code;
}

static marsad_status prep(mr_store *st, const char *sql, sqlite3_stmt **q,
                          marsad_error *err, const char *what)
{
    *q = NULL;
    if (sqlite3_prepare_v2(mr_store_db(st), sql, -1, q, NULL) != SQLITE_OK)
        return t_fail(st, err, MARSAD_E_DB, what);
    return MARSAD_OK;
}

static marsad_status done(mr_store *st, sqlite3_stmt *q, int r,
                          marsad_error *err, const char *what)
{
    sqlite3_finalize(q);
    return r == SQLITE_DONE || r == SQLITE_ROW
               ? MARSAD_OK
               : t_fail(st, err, MARSAD_E_DB, what);
}

static const char *ctext(sqlite3_stmt *q, int i)
{
    return (const char *)sqlite3_column_text(q, i);
}

typedef struct entity_ctx {
    const char *report_id;
    mr_store_entity_fn fn;
    void *ctx;
    int oom;
} entity_ctx;

static int take_entity(const mr_fact_bin *f, void *ctx)
{
    entity_ctx *e = ctx;
    if (strcmp(f->kind, "entity") != 0 || !f->json)
        return 0;
    char *canonical = NULL, *kind = NULL;
    if (mr_fact_member(f->json, f->json_len, "canonical", &canonical) != 0 ||
        mr_fact_member(f->json, f->json_len, "kind", &kind) != 0) {
        free(canonical);
        e->oom = 1;
        return 1;
    }
    mr_entity_row row = {e->report_id, canonical, kind ? kind : "",
                         f->start};
    int stop = canonical && e->fn(&row, e->ctx);
    free(canonical);
    free(kind);
    return stop;
}

/* The members are read from the objects as stored (schema 7: the span
 * and text they lack are not among them). A member that is not a string
 * is none. */
marsad_status mr_store_entities_each(mr_store *st, int64_t after,
                                     int64_t upto, mr_store_entity_fn fn,
                                     void *ctx, marsad_error *err)
{
    if (!st || !fn)
        return t_fail(st, err, MARSAD_E_ARG, "entity names");
    marsad_status rc = mr_store_facts_flush(st, err);
    if (rc != MARSAD_OK)
        return rc;
    sqlite3_stmt *q;
    rc = prep(st,
              "SELECT r.id, f.facts FROM facts f "
              "JOIN reports r ON r.n = f.report "
              "WHERE f.report > ?1 AND f.report <= ?2 ORDER BY f.report",
              &q, err, "reading the stored entities");
    if (rc != MARSAD_OK)
        return rc;
    sqlite3_bind_int64(q, 1, after);
    sqlite3_bind_int64(q, 2, upto);
    int r, w = 0;
    entity_ctx e = {NULL, fn, ctx, 0};
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        e.report_id = ctext(q, 0);
        if (!e.report_id)
            continue;
        w = mr_facts_walk(sqlite3_column_blob(q, 1),
                          (size_t)sqlite3_column_bytes(q, 1), NULL, 0, 0,
                          take_entity, &e);
        if (w != 0)
            break;
    }
    if (w < 0 || e.oom) {
        marsad_status rc2 =
            e.oom ? t_fail(st, err, MARSAD_E_NOMEM, "reading the stored entities")
                  : facts_damaged(st, err, "reading the stored entities",
                                  e.report_id);
        sqlite3_finalize(q);
        return rc2;
    }
    return done(st, q, r, err, "reading the stored entities");
}

typedef struct read_ctx {
    mr_fact_row_fn fn;
    void *ctx;
} read_ctx;

static int give_fact(const mr_fact_bin *f, void *ctx)
{
    const read_ctx *c = ctx;
    if (!f->json)
        return 0;
    mr_fact_row row = {f->kind, f->text, f->json, f->start, f->end,
                       f->packed != 0};
    return c->fn(&row, c->ctx);
}

/* A report's facts, whole (kept = 0) or as kept (kept = 1: no text read,
 * no object rebuilt; row.packed says which). Facts without an object are
 * not given. */
static marsad_status facts_read(mr_store *st, const char *report_id,
                                int kept, mr_fact_row_fn fn, void *ctx,
                                marsad_error *err)
{
    if (!st || !report_id || !fn)
        return t_fail(st, err, MARSAD_E_ARG, "reading facts");
    marsad_status rc = mr_store_facts_flush(st, err);
    if (rc != MARSAD_OK)
        return rc;
    sqlite3_stmt *q;
    rc = prep(st,
              /* a copy's id names its report's facts */
              kept ? "SELECT f.facts, NULL FROM reports r JOIN facts f ON "
                     "f.report = r.n WHERE r.n = " REPORT_OR_COPY
                   : "SELECT f.facts, CAST(r.text AS BLOB) FROM reports r "
                     "JOIN facts f ON f.report = r.n WHERE r.n = "
                     REPORT_OR_COPY,
              &q, err, "reading facts");
    if (rc != MARSAD_OK)
        return rc;
    sqlite3_bind_text(q, 1, report_id, -1, SQLITE_STATIC);
    int r = sqlite3_step(q);
    if (r == SQLITE_ROW) {
        read_ctx c = {fn, ctx};
        int w = mr_facts_walk(sqlite3_column_blob(q, 0),
                              (size_t)sqlite3_column_bytes(q, 0),
                              (const char *)sqlite3_column_blob(q, 1),
                              (size_t)sqlite3_column_bytes(q, 1), !kept,
                              give_fact, &c);
        if (w < 0) {
            sqlite3_finalize(q);
            return facts_damaged(st, err, "reading facts", report_id);
        }
        r = SQLITE_DONE;
    }
    return done(st, q, r, err, "reading facts");
}

marsad_status mr_store_facts_saved(mr_store *st, const char *report_id,
                                   mr_fact_row_fn fn, void *ctx,
                                   marsad_error *err)
{
    return facts_read(st, report_id, 0, fn, ctx, err);
}

marsad_status mr_store_facts_kept(mr_store *st, const char *report_id,
                                  mr_fact_row_fn fn, void *ctx,
                                  marsad_error *err)
{
    return facts_read(st, report_id, 1, fn, ctx, err);
}

void mr_store_strv_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* Appends a copy of s to *v. */
static int strv_push(char ***v, size_t *n, size_t *cap, const char *s)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        char **nv = realloc(*v, nc * sizeof *nv);
        if (!nv)
            return 0;
        *v = nv;
        *cap = nc;
    }
    if (!((*v)[*n] = strdup(s)))
        return 0;
    (*n)++;
    return 1;
}

marsad_status mr_store_story_members(mr_store *st, const char *story_id,
                                     char ***ids, size_t *n,
                                     marsad_error *err)
{
    if (!st || !story_id || !ids || !n)
        return t_fail(st, err, MARSAD_E_ARG, "story members");
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *q;
    marsad_status rc = prep(st,
                            "SELECT report_id FROM story_reports "
                            "WHERE story_id = ?1 ORDER BY report_id",
                            &q, err, "reading a story's reports");
    if (rc != MARSAD_OK)
        return rc;
    sqlite3_bind_text(q, 1, story_id, -1, SQLITE_STATIC);
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        const char *id = ctext(q, 0);
        if (id && !strv_push(ids, n, &cap, id)) {
            sqlite3_finalize(q);
            mr_store_strv_free(*ids, *n);
            *ids = NULL;
            *n = 0;
            return t_fail(st, err, MARSAD_E_NOMEM, "reading a story's reports");
        }
    }
    rc = done(st, q, r, err, "reading a story's reports");
    if (rc != MARSAD_OK) {
        mr_store_strv_free(*ids, *n);
        *ids = NULL;
        *n = 0;
    }
    return rc;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

marsad_status mr_store_stories_keep_only(mr_store *st,
                                         const char *const *keep, size_t n,
                                         marsad_error *err)
{
    if (!st || (n && !keep))
        return t_fail(st, err, MARSAD_E_ARG, "clearing the stories");
    if (n == 0)
        return sqlite3_exec(mr_store_db(st),
                            "DELETE FROM story_reports; DELETE FROM stories",
                            NULL, NULL, NULL) == SQLITE_OK
                   ? MARSAD_OK
                   : t_fail(st, err, MARSAD_E_DB, "clearing the stories");
    /* ids to drop first, then drop them (no delete under a running read) */
    sqlite3_stmt *q;
    marsad_status rc =
        prep(st, "SELECT id FROM stories", &q, err, "clearing the stories");
    if (rc != MARSAD_OK)
        return rc;
    char **drop = NULL;
    size_t nd = 0, cap = 0;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        const char *id = ctext(q, 0);
        if (!id || bsearch(&id, keep, n, sizeof *keep, cmp_cstr))
            continue;
        if (!strv_push(&drop, &nd, &cap, id)) {
            sqlite3_finalize(q);
            mr_store_strv_free(drop, nd);
            return t_fail(st, err, MARSAD_E_NOMEM, "clearing the stories");
        }
    }
    rc = done(st, q, r, err, "clearing the stories");
    sqlite3_stmt *d = NULL, *m = NULL;
    if (rc == MARSAD_OK)
        rc = prep(st, "DELETE FROM stories WHERE id = ?1", &d, err,
                  "clearing the stories");
    if (rc == MARSAD_OK)
        rc = prep(st, "DELETE FROM story_reports WHERE story_id = ?1", &m,
                  err, "clearing the stories");
    for (size_t i = 0; i < nd && rc == MARSAD_OK; i++) {
        sqlite3_stmt *both[2] = {d, m};
        for (int k = 0; k < 2 && rc == MARSAD_OK; k++) {
            sqlite3_reset(both[k]);
            sqlite3_bind_text(both[k], 1, drop[i], -1, SQLITE_STATIC);
            if (sqlite3_step(both[k]) != SQLITE_DONE)
                rc = t_fail(st, err, MARSAD_E_DB, "clearing the stories");
        }
    }
    sqlite3_finalize(d);
    sqlite3_finalize(m);
    mr_store_strv_free(drop, nd);
    return rc;
}

marsad_status mr_store_meta_delete(mr_store *st, const char *key,
                                   marsad_error *err)
{
    if (!st || !key)
        return t_fail(st, err, MARSAD_E_ARG, "meta");
    sqlite3_stmt *q;
    marsad_status rc =
        prep(st, "DELETE FROM meta WHERE key = ?1", &q, err, "meta");
    if (rc != MARSAD_OK)
        return rc;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    return done(st, q, sqlite3_step(q), err, "meta");
}

/* Stored stories with their counts (MR_STORY_COLS), largest first. ?1
 * selects one story (by its id, a member's id or a member's source id). */
#define STORY_COLS MR_STORY_COLS " FROM stories s "

void mr_story_row_read(sqlite3_stmt *q, mr_story_row *row)
{
    memset(row, 0, sizeof *row);
    row->id = ctext(q, 0);
    row->json = ctext(q, 1);
    row->json_len = (size_t)sqlite3_column_bytes(q, 1);
    row->title = ctext(q, 2);
    row->first_seen = ctext(q, 3);
    row->last_seen = ctext(q, 4);
    row->nreports = (size_t)sqlite3_column_int64(q, 5);
    row->nclaims = (size_t)sqlite3_column_int64(q, 6);
    row->nconflicts = (size_t)sqlite3_column_int64(q, 7);
    row->updated = ctext(q, 8);
    row->outlets = ctext(q, 9);
    if (!row->outlets)
        row->outlets = "[]";
}

marsad_status mr_store_stories_each(mr_store *st, const char *id,
                                    size_t limit, mr_store_story_fn fn,
                                    void *ctx, size_t *count,
                                    marsad_error *err)
{
    if (count)
        *count = 0;
    if (!st || !fn)
        return t_fail(st, err, MARSAD_E_ARG, "reading the stories");
    sqlite3_stmt *q;
    marsad_status rc =
        prep(st,
             id ? STORY_COLS
                 "WHERE s.id = ?1 OR s.id IN (SELECT story_id FROM "
                 "story_reports WHERE report_id = ?1 OR report_id IN "
                 "(SELECT id FROM reports WHERE source_id = ?1) OR report_id "
                 "IN (SELECT r.id FROM report_copies c JOIN reports r ON "
                 "r.n = c.report WHERE c.id = ?1 OR c.source_id = ?1)) "
                 "ORDER BY s.id = ?1 DESC LIMIT 1"
                : STORY_COLS
                 "ORDER BY nr DESC, s.first_seen, s.id",
             &q, err, "reading the stories");
    if (rc != MARSAD_OK)
        return rc;
    if (id)
        sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    size_t k = 0;
    int r = SQLITE_DONE;
    while ((limit == 0 || k < limit) && (r = sqlite3_step(q)) == SQLITE_ROW) {
        mr_story_row row;
        mr_story_row_read(q, &row);
        if (!row.id || !row.json)
            continue;
        k++;
        if (fn(&row, ctx))
            break;
    }
    if (count)
        *count = k;
    rc = done(st, q, r, err, "reading the stories");
    if (rc == MARSAD_OK && id && k == 0) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = MARSAD_E_NOTFOUND;
            snprintf(err->input, sizeof err->input, "%s",
                     mr_store_path(st) ? mr_store_path(st) : "store");
            snprintf(err->message, sizeof err->message,
                     "no story or report '%s'", id);
        }
        return MARSAD_E_NOTFOUND;
    }
    return rc;
}

marsad_status mr_store_claim_counts(mr_store *st, size_t *claims,
                                    size_t *conflicts, marsad_error *err)
{
    if (!st || !claims || !conflicts)
        return t_fail(st, err, MARSAD_E_ARG, "counting the claims");
    *claims = *conflicts = 0;
    sqlite3_stmt *q;
    marsad_status rc =
        prep(st,
             "SELECT coalesce(sum(claims), 0), coalesce(sum(conflicts), 0)"
             " FROM stories", /* the columns of schema 9 (claims: those
                                 of an array; marsad writes no other) */
             &q, err, "counting the claims");
    if (rc != MARSAD_OK)
        return rc;
    int r = sqlite3_step(q);
    if (r == SQLITE_ROW) {
        *claims = (size_t)sqlite3_column_int64(q, 0);
        *conflicts = (size_t)sqlite3_column_int64(q, 1);
    }
    return done(st, q, r, err, "counting the claims");
}
