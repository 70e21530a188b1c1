/*
 * story_pack.c: a story's document without the sentences it quotes
 * (schema 6, issue 15). The story layer's JSON quotes its reports: each
 * item of "timeline" and "summary" names its "report" and carries
 * sentences of it as strings. Stored, such a string becomes a reference
 * to the report's bytes, "\u0001@OFF+LEN", and reading gives the document
 * back byte for byte. A string is replaced only when it is a member of an
 * object of one of those arrays, after the object's "report" member, is
 * longer than its reference, and when the report's bytes at [OFF, OFF+LEN)
 * written as a JSON string (as src/out/json.c writes them) are exactly the
 * string. A document that already holds "\u0001@ is stored as it is. The
 * reference is valid JSON, so SQL's json functions still read the packed
 * document (titles, dates, claims: none of them is packed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "store/internal.h"

static const char mark[] = "\"\\u0001@";

/* The first place of u[0..un) in h[0..hn), or NULL. */
static const unsigned char *find(const unsigned char *h, size_t hn,
                                 const char *u, size_t un)
{
    for (size_t i = 0; un && i + un <= hn; i++) {
        const unsigned char *p = memchr(h + i, (unsigned char)u[0], hn - un - i + 1);
        if (!p)
            return NULL;
        i = (size_t)(p - h);
        if (memcmp(p, u, un) == 0)
            return p;
    }
    return NULL;
}

/* The end of the JSON string that begins at j[i] == '"' (one past its
 * closing quote), or 0. */
static size_t str_end(const char *j, size_t n, size_t i)
{
    for (i++; i < n; i++) {
        if (j[i] == '\\')
            i++;
        else if (j[i] == '"')
            return i + 1;
    }
    return 0;
}

/* The bytes of the JSON string j[a..b) (quotes included) unescaped into a
 * new buffer, *len its length; NULL if it holds a \u escape (left as it
 * is: the writer escapes only control characters that way) or on failure. */
static char *unesc(const char *j, size_t a, size_t b, size_t *len)
{
    char *u = malloc(b - a);
    if (!u)
        return NULL;
    size_t n = 0;
    for (size_t i = a + 1; i + 1 < b; i++) {
        if (j[i] != '\\') {
            u[n++] = j[i];
            continue;
        }
        switch (j[++i]) {
        case '"': u[n++] = '"'; break;
        case '\\': u[n++] = '\\'; break;
        case '/': u[n++] = '/'; break;
        case 'n': u[n++] = '\n'; break;
        case 'r': u[n++] = '\r'; break;
        case 't': u[n++] = '\t'; break;
        default: free(u); return NULL;
        }
    }
    *len = n;
    return u;
}

/* A report's text by id, the last one kept. */
typedef struct texts {
    sqlite3 *db;
    sqlite3_stmt *q;
    char id[64];
    unsigned char *text;
    size_t len;
    int have;
} texts;

static int text_of(texts *t, const char *id, size_t idn)
{
    if (idn >= sizeof t->id)
        return 0;
    if (t->have && strlen(t->id) == idn && memcmp(t->id, id, idn) == 0)
        return t->text != NULL;
    free(t->text);
    t->text = NULL;
    t->have = 1;
    memcpy(t->id, id, idn);
    t->id[idn] = 0;
    if (!t->q && sqlite3_prepare_v2(t->db,
                                    "SELECT CAST(text AS BLOB) FROM reports "
                                    "WHERE id = ?1",
                                    -1, &t->q, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(t->q, 1, t->id, -1, SQLITE_STATIC);
    if (sqlite3_step(t->q) == SQLITE_ROW) {
        int n = sqlite3_column_bytes(t->q, 0);
        const void *b = sqlite3_column_blob(t->q, 0);
        if ((t->text = malloc(n > 0 ? (size_t)n : 1))) {
            if (n > 0)
                memcpy(t->text, b, (size_t)n);
            t->len = (size_t)n;
        }
    }
    sqlite3_reset(t->q);
    return t->text != NULL;
}

static void texts_done(texts *t)
{
    sqlite3_finalize(t->q);
    free(t->text);
}

enum { MAXD = 32 };

/* Walks the document j[0..n) and writes it to o, each string of a
 * timeline or summary item after its report replaced (pack) or put back
 * (unpack). Returns 0 when the document is not one this file can walk
 * (too deep, unterminated): the caller keeps it as it is; or when a
 * report's text cannot be put back (out of memory). */
static int walk(texts *t, const char *j, size_t n, sqlite3_str *o, int pack)
{
    char kind[MAXD];      /* '{' or '[' */
    int quoting[MAXD];    /* inside timeline or summary */
    size_t rid[MAXD], ridn[MAXD]; /* the object's report id (offsets) */
    int d = -1;
    int key_report = 0, top_key = 0; /* the key just read */
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        char c = j[i];
        if (c == '{' || c == '[') {
            if (++d >= MAXD)
                return 0;
            kind[d] = c;
            quoting[d] = d > 0 && (quoting[d - 1] || (d == 1 && top_key));
            ridn[d] = 0;
            rid[d] = 0;
            key_report = top_key = 0;
        } else if (c == '}' || c == ']') {
            if (d < 0)
                return 0;
            d--;
        } else if (c == '"') {
            size_t e = str_end(j, n, i);
            if (!e)
                return 0;
            size_t k = e;
            while (k < n && (j[k] == ' ' || j[k] == '\n'))
                k++;
            if (d >= 0 && kind[d] == '{' && k < n && j[k] == ':') {
                /* a key */
                key_report = e - i == 8 && memcmp(j + i, "\"report\"", 8) == 0;
                top_key = d == 0 && ((e - i == 10 &&
                                      memcmp(j + i, "\"timeline\"", 10) == 0) ||
                                     (e - i == 9 &&
                                      memcmp(j + i, "\"summary\"", 9) == 0));
                i = e - 1;
                continue;
            }
            if (d >= 0 && kind[d] == '{' && key_report) {
                rid[d] = i + 1;
                ridn[d] = e - i - 2;
            } else if (d >= 0 && kind[d] == '{' && quoting[d] && ridn[d] &&
                       text_of(t, j + rid[d], ridn[d])) {
                if (pack && e - i > 24) {
                    size_t ul = 0;
                    char *u = unesc(j, i, e, &ul);
                    const unsigned char *at =
                        u && ul ? find(t->text, t->len, u, ul) : NULL;
                    free(u);
                    if (at) {
                        size_t off = (size_t)(at - t->text);
                        sqlite3_str *x = sqlite3_str_new(NULL);
                        /* out of memory: not the same, kept as text */
                        int same = mr_store_json_esc(x, at, ul) == 0 &&
                                   (size_t)sqlite3_str_length(x) == e - i &&
                                   memcmp(sqlite3_str_value(x), j + i,
                                          e - i) == 0;
                        sqlite3_free(sqlite3_str_finish(x));
                        if (same) {
                            sqlite3_str_append(o, j + run, (int)(i - run));
                            /* (SQLite's printf has no %zu) */
                            sqlite3_str_appendf(o, "%s%lld+%lld\"", mark,
                                                (long long)off, (long long)ul);
                            run = e;
                        }
                    }
                } else if (!pack && e - i > sizeof mark &&
                           memcmp(j + i, mark, sizeof mark - 1) == 0) {
                    size_t off = 0, len = 0;
                    if (sscanf(j + i + sizeof mark - 1, "%zu+%zu", &off,
                               &len) == 2 &&
                        off <= t->len && len <= t->len - off) {
                        sqlite3_str_append(o, j + run, (int)(i - run));
                        if (mr_store_json_esc(o, t->text + off, len) != 0)
                            return 0; /* out of memory: no document */
                        run = e;
                    }
                }
            }
            key_report = 0;
            i = e - 1;
        }
    }
    sqlite3_str_append(o, j + run, (int)(n - run));
    return d == -1;
}

char *mr_story_pack(sqlite3 *db, const char *json, size_t n, int pack,
                    size_t *out_len)
{
    if (pack) {
        /* a document that holds a reference already stays as it is */
        for (const char *p = json; (p = memchr(p, '"', n - (size_t)(p - json)));
             p++)
            if ((size_t)(json + n - p) >= sizeof mark - 1 &&
                memcmp(p, mark, sizeof mark - 1) == 0)
                return NULL;
    }
    texts t = {db, NULL, "", NULL, 0, 0};
    sqlite3_str *o = sqlite3_str_new(NULL);
    int ok = walk(&t, json, n, o, pack);
    texts_done(&t);
    if (!ok || sqlite3_str_errcode(o) != SQLITE_OK) {
        sqlite3_free(sqlite3_str_finish(o));
        return NULL;
    }
    *out_len = (size_t)sqlite3_str_length(o);
    return sqlite3_str_finish(o);
}

/* mr_story_full(json, packed): the document whole. */
static void story_full(sqlite3_context *cx, int argc, sqlite3_value **v)
{
    (void)argc;
    if (sqlite3_value_type(v[0]) == SQLITE_NULL || !sqlite3_value_int(v[1])) {
        sqlite3_result_value(cx, v[0]);
        return;
    }
    const char *j = (const char *)sqlite3_value_text(v[0]);
    size_t n = (size_t)sqlite3_value_bytes(v[0]), on = 0;
    char *o = j ? mr_story_pack(sqlite3_context_db_handle(cx), j, n, 0, &on)
                : NULL;
    if (!o) {
        sqlite3_result_error(cx, "a stored story cannot be read back", -1);
        return;
    }
    sqlite3_result_text(cx, o, (int)on, sqlite3_free);
}

/*
 * Deflated documents (schema 9, issue 15). A story's document, packed or
 * not, is stored zlib-compressed (compress2, level 6) when that is
 * shorter, with its length in bytes beside it (stories.size): the
 * document is compressed exactly when the stored value is shorter than
 * size. This is the rule of SQLite's sqlar archives, so the sqlite3
 * shell reads a document with sqlar_uncompress(json, size).
 */
unsigned char *mr_story_deflate(const char *s, size_t n, size_t *out_len)
{
    uLongf zn = compressBound((uLong)n);
    unsigned char *z = sqlite3_malloc64(zn);
    if (!z)
        return NULL;
    if (compress2(z, &zn, (const Bytef *)s, (uLong)n, 6) != Z_OK || zn >= n) {
        sqlite3_free(z);
        return NULL;
    }
    *out_len = (size_t)zn;
    return z;
}

/* mr_story_deflate(json): the stored form of a document (the migration to
 * schema 9): its deflated bytes when shorter, else the value itself. */
static void story_deflate_fn(sqlite3_context *cx, int argc, sqlite3_value **v)
{
    (void)argc;
    const char *j = (const char *)sqlite3_value_text(v[0]);
    size_t n = (size_t)sqlite3_value_bytes(v[0]), zn = 0;
    unsigned char *z = j ? mr_story_deflate(j, n, &zn) : NULL;
    if (!z) {
        sqlite3_result_value(cx, v[0]);
        return;
    }
    sqlite3_result_blob64(cx, z, zn, sqlite3_free);
}

/* mr_story_inflate(json, size): the document as text, inflated when the
 * stored value is shorter than size; an error when it cannot be, or NULL
 * with a third argument that is true (marsad check counts those). */
static void story_inflate_fn(sqlite3_context *cx, int argc, sqlite3_value **v)
{
    if (sqlite3_value_type(v[0]) == SQLITE_NULL)
        return;
    const unsigned char *z = sqlite3_value_blob(v[0]);
    sqlite3_int64 zn = sqlite3_value_bytes(v[0]);
    sqlite3_int64 n = sqlite3_value_int64(v[1]);
    if (sqlite3_value_type(v[1]) == SQLITE_NULL || zn >= n) {
        const unsigned char *t = sqlite3_value_text(v[0]);
        sqlite3_result_text64(cx, (const char *)t,
                              (sqlite3_uint64)sqlite3_value_bytes(v[0]),
                              SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    }
    /* deflate gives at most about 1032 bytes a stored byte: a size beyond
     * that is damage, not a reason to allocate it */
    unsigned char *o = n > 0 && n <= zn * 1032 + 64
                           ? sqlite3_malloc64((sqlite3_uint64)n)
                           : NULL;
    uLongf got = (uLongf)n;
    if (!o || !z || uncompress(o, &got, z, (uLong)zn) != Z_OK ||
        got != (uLongf)n) {
        sqlite3_free(o);
        if (argc > 2 && sqlite3_value_int(v[2]))
            return;
        sqlite3_result_error(cx, "a stored story cannot be inflated", -1);
        return;
    }
    sqlite3_result_text64(cx, (const char *)o, (sqlite3_uint64)n,
                          sqlite3_free, SQLITE_UTF8);
}

int mr_story_pack_register(sqlite3 *db)
{
    /* not deterministic: it reads the reports */
    int rc = sqlite3_create_function(db, "mr_story_full", 2, SQLITE_UTF8,
                                     NULL, story_full, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(
            db, "mr_story_deflate", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
            NULL, story_deflate_fn, NULL, NULL);
    for (int n = 2; n <= 3 && rc == SQLITE_OK; n++)
        rc = sqlite3_create_function(
            db, "mr_story_inflate", n, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
            NULL, story_inflate_fn, NULL, NULL);
    return rc;
}
