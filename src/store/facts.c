/*
 * facts.c: the SQL function of migration 4 -> 5 (schema 5, issue 15),
 * and the JSON string escaping on an sqlite3_str. A layer's fact object
 * begins with its span and the span's text,
 * {"start":S,"end":E,"text":"...", ...}, and schemas 5 and 6 kept those
 * three as columns of the row and the object without them. The function,
 * registered on every connection marsad opens for that migration:
 *
 *   mr_fact_pack(json, start, end, text): the object without its leading
 *     span and text when they are exactly the ones given (as marsad writes
 *     them), else NULL (the row then keeps json as it is, and its column
 *     packed is 0).
 *
 * Its inverse, mr_fact_full, went with schema 7: facts_bin.c's
 * mr_fact_unstrip puts the span and text back now.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "text/buf.h"

static const char lead[] = "{\"start\":";

int mr_store_json_esc(sqlite3_str *o, const unsigned char *s, size_t n)
{
    mr_buf b = MR_BUF_INIT;
    int rc = mr_store_json_esc_buf(&b, (const char *)s, n);
    if (rc == 0 && b.p)
        sqlite3_str_append(o, b.p, (int)b.len);
    mr_buf_free(&b);
    return rc == 0 ? 0 : -1;
}

/* The prefix {"start":S,"end":E,"text":"..." for the arguments 1..3 (free
 * with sqlite3_free), or NULL: no text (*oom 0) or out of memory (*oom
 * 1). */
static char *prefix(sqlite3_value **v, int *len, int *oom)
{
    *oom = 0;
    if (sqlite3_value_type(v[3]) == SQLITE_NULL)
        return NULL;
    sqlite3_str *o = sqlite3_str_new(NULL);
    sqlite3_str_appendf(o, "%s%lld,\"end\":%lld,\"text\":", lead,
                        sqlite3_value_int64(v[1]),
                        sqlite3_value_int64(v[2]));
    const unsigned char *t = sqlite3_value_text(v[3]);
    *oom = mr_store_json_esc(o, t, (size_t)sqlite3_value_bytes(v[3])) != 0 ||
           sqlite3_str_errcode(o) != SQLITE_OK;
    *len = sqlite3_str_length(o);
    char *p = sqlite3_str_finish(o);
    if (*oom) {
        sqlite3_free(p);
        return NULL;
    }
    return p;
}

/* mr_fact_pack(json, start, end, text) */
static void fact_pack(sqlite3_context *cx, int argc, sqlite3_value **v)
{
    (void)argc;
    const char *j = (const char *)sqlite3_value_text(v[0]);
    int n = sqlite3_value_bytes(v[0]), pn = 0, oom = 0;
    if (!j) {
        sqlite3_result_null(cx);
        return;
    }
    char *p = prefix(v, &pn, &oom);
    sqlite3_str *o = NULL;
    if (p && n > pn && memcmp(j, p, (size_t)pn) == 0 &&
        (j[pn] == '}' || j[pn] == ',')) {
        /* the object begins with exactly this span and text: strip them */
        int comma = j[pn] == ',';
        o = sqlite3_str_new(NULL);
        sqlite3_str_appendchar(o, 1, '{');
        sqlite3_str_append(o, j + pn + comma, n - pn - comma);
    }
    sqlite3_free(p);
    if (oom) {
        sqlite3_result_error_nomem(cx);
        return;
    }
    if (!o) { /* not packed */
        sqlite3_result_null(cx);
        return;
    }
    int on = sqlite3_str_length(o);
    if (sqlite3_str_errcode(o) != SQLITE_OK) {
        sqlite3_free(sqlite3_str_finish(o));
        sqlite3_result_error_nomem(cx);
        return;
    }
    sqlite3_result_text(cx, sqlite3_str_finish(o), on, sqlite3_free);
}

int mr_facts_register(sqlite3 *db)
{
    return sqlite3_create_function(db, "mr_fact_pack", 4,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                   fact_pack, NULL, NULL);
}
