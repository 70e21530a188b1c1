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

static const char lead[] = "{\"start\":";

/* Appends s[0..n) as a JSON string as marsad's writer does (src/out/json.c:
 * control bytes, DEL, U+2028 and U+2029 escaped, the rest as it is). */
void mr_store_json_esc(sqlite3_str *o, const unsigned char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    sqlite3_str_appendchar(o, 1, '"');
    size_t run = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\' &&
            !(c == 0xe2 && i + 2 < n && s[i + 1] == 0x80 &&
              (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))) {
            i++;
            continue;
        }
        sqlite3_str_append(o, (const char *)s + run, (int)(i - run));
        if (c == 0xe2) {
            sqlite3_str_appendall(o, s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
            i += 3;
        } else {
            switch (c) {
            case '"': sqlite3_str_appendall(o, "\\\""); break;
            case '\\': sqlite3_str_appendall(o, "\\\\"); break;
            case '\n': sqlite3_str_appendall(o, "\\n"); break;
            case '\r': sqlite3_str_appendall(o, "\\r"); break;
            case '\t': sqlite3_str_appendall(o, "\\t"); break;
            default:
                sqlite3_str_appendall(o, "\\u00");
                sqlite3_str_appendchar(o, 1, hex[c >> 4]);
                sqlite3_str_appendchar(o, 1, hex[c & 15]);
            }
            i++;
        }
        run = i;
    }
    sqlite3_str_append(o, (const char *)s + run, (int)(n - run));
    sqlite3_str_appendchar(o, 1, '"');
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
