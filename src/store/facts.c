/*
 * facts.c: how a fact row keeps its JSON (schema 5, issue 15). A layer's
 * fact object begins with its span and the span's text,
 * {"start":S,"end":E,"text":"...", ...}, and those three are columns of
 * the row (the text is the report's own bytes at [S, E)). The row keeps
 * the object without them: {...the other members...}, so that no fact
 * holds its span and text twice. Two SQL functions, registered on every
 * connection marsad opens, do it:
 *
 *   mr_fact_pack(json, start, end, text): the object without its leading
 *     span and text when they are exactly the ones given (as this file
 *     writes them), else NULL (the row then keeps json as it is, and its
 *     column packed is 0);
 *   mr_fact_full(json, packed, start, end, text): the object back whole.
 *
 * full(pack(j, s, e, t), 1, s, e, t) == j byte for byte: the prefix put
 * back is made by the same code that matched it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "text/buf.h"

static const char lead[] = "{\"start\":";

/* Appends s[0..n) as a JSON string as marsad's writer does (the escaping
 * is facts_bin.c's mr_store_json_esc_buf). */
void mr_store_json_esc(sqlite3_str *o, const unsigned char *s, size_t n)
{
    mr_buf b = MR_BUF_INIT;
    if (mr_store_json_esc_buf(&b, (const char *)s, n) == 0 && b.p)
        sqlite3_str_append(o, b.p, (int)b.len);
    else /* out of memory: o gets the same error, making a copy of it */
        sqlite3_str_append(o, (const char *)s, (int)n);
    mr_buf_free(&b);
}

/* The prefix {"start":S,"end":E,"text":"..." for the arguments 1..3, or
 * NULL (out of memory, or no text). Free with sqlite3_free. */
static char *prefix(sqlite3_value **v, int *len)
{
    if (sqlite3_value_type(v[3]) == SQLITE_NULL)
        return NULL;
    sqlite3_str *o = sqlite3_str_new(NULL);
    sqlite3_str_appendf(o, "%s%lld,\"end\":%lld,\"text\":", lead,
                        sqlite3_value_int64(v[1]),
                        sqlite3_value_int64(v[2]));
    const unsigned char *t = sqlite3_value_text(v[3]);
    mr_store_json_esc(o, t, (size_t)sqlite3_value_bytes(v[3]));
    *len = sqlite3_str_length(o);
    return sqlite3_str_finish(o);
}

/* mr_fact_pack(json, start, end, text) when the function's user data is
 * NULL, mr_fact_full(json, packed, start, end, text) when it is not. */
static void fact_fn(sqlite3_context *cx, int argc, sqlite3_value **v)
{
    (void)argc;
    int full = sqlite3_user_data(cx) != NULL;
    const char *j = (const char *)sqlite3_value_text(v[0]);
    int n = sqlite3_value_bytes(v[0]), pn = 0;
    if (!j || (full && (n < 2 || j[0] != '{' || !sqlite3_value_int(v[1])))) {
        sqlite3_result_value(cx, v[0]); /* NULL, or kept whole */
        return;
    }
    char *p = prefix(v + full, &pn);
    sqlite3_str *o = NULL;
    if (p && full) {
        o = sqlite3_str_new(NULL);
        sqlite3_str_append(o, p, pn);
        if (j[1] != '}')
            sqlite3_str_appendchar(o, 1, ',');
        sqlite3_str_append(o, j + 1, n - 1);
    } else if (p && n > pn && memcmp(j, p, (size_t)pn) == 0 &&
               (j[pn] == '}' || j[pn] == ',')) {
        /* the object begins with exactly this span and text: strip them */
        int comma = j[pn] == ',';
        o = sqlite3_str_new(NULL);
        sqlite3_str_appendchar(o, 1, '{');
        sqlite3_str_append(o, j + pn + comma, n - pn - comma);
    }
    sqlite3_free(p);
    if (!o) { /* pack: not packed; full: no text to put back */
        if (full)
            sqlite3_result_value(cx, v[0]);
        else
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
    int fl = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    static int full = 1;
    int rc = sqlite3_create_function(db, "mr_fact_pack", 4, fl, NULL,
                                     fact_fn, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "mr_fact_full", 5, fl, &full,
                                     fact_fn, NULL, NULL);
    return rc;
}
