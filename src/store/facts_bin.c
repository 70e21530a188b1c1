/*
 * facts_bin.c: one report's facts as one blob (schema 7, issue 15).
 *
 * A layer's fact objects repeat their member names in every fact
 * ({"value":{"min":3,"max":3},"qualifier":"exact","counted":...}), and
 * schema 6 kept a row per fact: 44 of ANT's 64 MB of facts were these
 * names and the rows' own overhead. The blob keeps a report's facts in
 * order, each object as a compact binary value whose member names, and the
 * strings that occur twice or more among the report's facts, are codes
 * into a table of words at the blob's head. The store knows no member
 * name: the table is the report's own.
 *
 *   blob  := 0x01 nwords word* nfacts fact*
 *          | 0x02 len deflated: the same blob's bytes after its 0x01 (len
 *            of them), deflated by zlib, when that is shorter
 *   word  := len bytes
 *   fact  := kind flags start end [text] [json]
 *            kind: the code of its word; flags: F_TEXT (the text is kept:
 *            it is not the report's bytes at the span), F_JSON (an object
 *            is there), F_PACKED (it lacks its leading span and text),
 *            F_BIN (binary, else its bytes as given); start: zigzag of
 *            the difference with the previous fact's; end: zigzag of
 *            end - start; text: len bytes; json: a value, or len bytes.
 *   value := head [varint] payload; head = type << 5 | small, small 31
 *            meaning a varint follows: null/false/true (type 0, small
 *            0/1/2), a non-negative integer (1, the value), a negative one
 *            (2, -1 - value), a number as written (3, len, bytes), a
 *            string (4, len, bytes), a word (5, code), an array (6,
 *            count, values), an object (7, count, then per member the
 *            code of its name and its value).
 *
 * All numbers are LEB128 varints. An object is written binary only when
 * the binary form reads back to the very same bytes (as marsad's JSON
 * writer writes: no spaces, its escapes); anything else is kept as given.
 * mr_facts_encode checks that over the whole blob before handing it out.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "store/internal.h"
#include "text/buf.h"

enum { F_TEXT = 1, F_JSON = 2, F_PACKED = 4, F_BIN = 8 };
enum { V_LIT, V_UINT, V_NEG, V_NUM, V_STR, V_WORD, V_ARR, V_OBJ };
#define BLOB_FORMAT 1
#define BLOB_DEFLATED 2 /* then: the length of the rest of a blob of format
                           1, and that rest deflated (zlib) */
#define MAX_DEPTH 32

/* ------------------------------------------------------------ varints */

static int put_varint(mr_buf *b, uint64_t v)
{
    char t[10];
    size_t n = 0;
    do {
        unsigned char c = (unsigned char)(v & 0x7f);
        v >>= 7;
        t[n++] = (char)(v ? c | 0x80 : c);
    } while (v);
    return mr_buf_add(b, t, n) == MARSAD_OK ? 0 : -1;
}

static int put_head(mr_buf *b, unsigned type, uint64_t v)
{
    if (v < 31)
        return mr_buf_addc(b, (char)(type << 5 | (unsigned)v)) == MARSAD_OK
                   ? 0
                   : -1;
    if (mr_buf_addc(b, (char)(type << 5 | 31)) != MARSAD_OK)
        return -1;
    return put_varint(b, v);
}

/* Reads a varint at *p (< e); 0 done, -1 malformed. */
static int get_varint(const unsigned char **p, const unsigned char *e,
                      uint64_t *v)
{
    uint64_t r = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*p >= e)
            return -1;
        unsigned char c = *(*p)++;
        r |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = r;
            return 0;
        }
    }
    return -1;
}

static uint64_t zigzag(int64_t v)
{
    return v < 0 ? ((uint64_t)(-(v + 1)) << 1) | 1 : (uint64_t)v << 1;
}

static int64_t unzigzag(uint64_t v)
{
    return v & 1 ? -(int64_t)(v >> 1) - 1 : (int64_t)(v >> 1);
}

/* ----------------------------------------------------- JSON, as marsad
 * writes it */

/* Appends s[0..n) as a JSON string escaped as src/out/json.c escapes:
 * control bytes, DEL, U+2028 and U+2029 escaped, the rest as it is. -1
 * when a write into o failed (o->err: this one or an earlier one). */
int mr_store_json_esc_buf(mr_buf *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    mr_buf_addc(o, '"');
    size_t run = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\' &&
            !(c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
              ((unsigned char)s[i + 2] == 0xa8 ||
               (unsigned char)s[i + 2] == 0xa9))) {
            i++;
            continue;
        }
        mr_buf_add(o, s + run, i - run);
        if (c == 0xe2) {
            mr_buf_adds(o, (unsigned char)s[i + 2] == 0xa8 ? "\\u2028"
                                                            : "\\u2029");
            i += 3;
        } else {
            char e[7] = "\\u00";
            switch (c) {
            case '"': mr_buf_adds(o, "\\\""); break;
            case '\\': mr_buf_adds(o, "\\\\"); break;
            case '\n': mr_buf_adds(o, "\\n"); break;
            case '\r': mr_buf_adds(o, "\\r"); break;
            case '\t': mr_buf_adds(o, "\\t"); break;
            default:
                e[4] = hex[c >> 4];
                e[5] = hex[c & 15];
                mr_buf_add(o, e, 6);
            }
            i++;
        }
        run = i;
    }
    mr_buf_add(o, s + run, n - run);
    mr_buf_addc(o, '"');
    return o->err == MARSAD_OK ? 0 : -1;
}

static int esc(mr_buf *o, const char *s, size_t n)
{
    return mr_store_json_esc_buf(o, s, n);
}

/* ------------------------------------------------------ parsing JSON */

enum { T_NULL, T_FALSE, T_TRUE, T_INT, T_NUM, T_STR, T_ARR, T_OBJ };

typedef struct jtok {
    unsigned char type;
    uint32_t n;     /* T_STR, T_NUM: length; T_ARR, T_OBJ: members */
    size_t off;     /* T_STR: into the scratch; T_NUM: into its JSON */
    int64_t i;      /* T_INT */
    int32_t word;   /* T_STR: its entry in the word table */
    const char *js; /* T_NUM: the JSON it is in */
} jtok;

typedef struct enc {
    jtok *t;
    size_t nt, cap;
    mr_buf sc; /* unescaped strings */
    int oom;
} enc;

static jtok *tok_new(enc *e)
{
    if (e->nt == e->cap) {
        size_t c = e->cap ? e->cap * 2 : 256;
        jtok *t = realloc(e->t, c * sizeof *t);
        if (!t) {
            e->oom = 1;
            return NULL;
        }
        e->t = t;
        e->cap = c;
    }
    jtok *k = &e->t[e->nt++];
    memset(k, 0, sizeof *k);
    return k;
}

typedef struct parser {
    const char *s;
    size_t n, at;
    enc *e;
} parser;

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static int p_hex4(parser *p, uint32_t *v)
{
    if (p->at + 4 > p->n)
        return -1;
    uint32_t r = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval((unsigned char)p->s[p->at++]);
        if (h < 0)
            return -1;
        r = r << 4 | (uint32_t)h;
    }
    *v = r;
    return 0;
}

static void put_utf8(mr_buf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | cp >> 12);
        u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | cp >> 18);
        u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
        u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    mr_buf_add(b, u, n);
}

/* A string at p->at (its opening quote), unescaped into the scratch. */
static int p_string(parser *p, jtok *k)
{
    mr_buf *sc = &p->e->sc;
    p->at++;
    k->type = T_STR;
    k->off = sc->len;
    size_t run = p->at;
    for (;;) {
        if (p->at >= p->n)
            return -1;
        unsigned char c = (unsigned char)p->s[p->at];
        if (c == '"' || c == '\\') {
            mr_buf_add(sc, p->s + run, p->at - run);
            p->at++;
            if (c == '"')
                break;
            if (p->at >= p->n)
                return -1;
            char x = p->s[p->at++];
            uint32_t cp;
            switch (x) {
            case '"': case '\\': case '/': mr_buf_addc(sc, x); break;
            case 'b': mr_buf_addc(sc, '\b'); break;
            case 'f': mr_buf_addc(sc, '\f'); break;
            case 'n': mr_buf_addc(sc, '\n'); break;
            case 'r': mr_buf_addc(sc, '\r'); break;
            case 't': mr_buf_addc(sc, '\t'); break;
            case 'u':
                if (p_hex4(p, &cp) != 0)
                    return -1;
                if (cp >= 0xd800 && cp < 0xdc00) {
                    uint32_t lo;
                    if (p->at + 2 > p->n || p->s[p->at] != '\\' ||
                        p->s[p->at + 1] != 'u')
                        return -1;
                    p->at += 2;
                    if (p_hex4(p, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
                        return -1;
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                } else if (cp >= 0xdc00 && cp < 0xe000)
                    return -1;
                put_utf8(sc, cp);
                break;
            default:
                return -1;
            }
            run = p->at;
            continue;
        }
        if (c < 0x20)
            return -1;
        p->at++;
    }
    if (sc->err != MARSAD_OK) { /* a string cut short: out of memory */
        p->e->oom = 1;
        return -1;
    }
    size_t len = sc->len - k->off;
    if (len > UINT32_MAX)
        return -1;
    k->n = (uint32_t)len;
    return 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int p_number(parser *p, jtok *k)
{
    size_t b = p->at;
    if (p->at < p->n && p->s[p->at] == '-')
        p->at++;
    size_t d = p->at;
    if (p->at >= p->n || !is_digit(p->s[p->at]))
        return -1;
    if (p->s[p->at] == '0')
        p->at++;
    else
        while (p->at < p->n && is_digit(p->s[p->at]))
            p->at++;
    size_t ndig = p->at - d;
    int plain = 1;
    if (p->at < p->n && p->s[p->at] == '.') {
        plain = 0;
        p->at++;
        if (p->at >= p->n || !is_digit(p->s[p->at]))
            return -1;
        while (p->at < p->n && is_digit(p->s[p->at]))
            p->at++;
    }
    if (p->at < p->n && (p->s[p->at] == 'e' || p->s[p->at] == 'E')) {
        plain = 0;
        p->at++;
        if (p->at < p->n && (p->s[p->at] == '+' || p->s[p->at] == '-'))
            p->at++;
        if (p->at >= p->n || !is_digit(p->s[p->at]))
            return -1;
        while (p->at < p->n && is_digit(p->s[p->at]))
            p->at++;
    }
    if (plain && ndig <= 18 && !(p->s[b] == '-' && p->s[d] == '0')) {
        int64_t v = 0;
        for (size_t i = d; i < p->at; i++)
            v = v * 10 + (p->s[i] - '0');
        k->type = T_INT;
        k->i = p->s[b] == '-' ? -v : v;
        return 0;
    }
    k->type = T_NUM;
    k->js = p->s;
    k->off = b;
    k->n = (uint32_t)(p->at - b);
    return 0;
}

static int lit(parser *p, const char *w)
{
    size_t n = strlen(w);
    if (p->at + n > p->n || memcmp(p->s + p->at, w, n) != 0)
        return -1;
    p->at += n;
    return 0;
}

/* A value at p->at, as marsad writes it (no white space). */
static int p_value(parser *p, int depth)
{
    if (p->at >= p->n || depth > MAX_DEPTH)
        return -1;
    size_t ki = p->e->nt;
    if (!tok_new(p->e))
        return -1;
    char c = p->s[p->at];
    if (c == '"')
        return p_string(p, &p->e->t[ki]);
    if (c == 'n' || c == 't' || c == 'f') {
        p->e->t[ki].type = c == 'n' ? T_NULL : c == 't' ? T_TRUE : T_FALSE;
        return lit(p, c == 'n' ? "null" : c == 't' ? "true" : "false");
    }
    if (c == '-' || is_digit(c))
        return p_number(p, &p->e->t[ki]);
    if (c != '[' && c != '{')
        return -1;
    int obj = c == '{';
    char close = obj ? '}' : ']';
    p->e->t[ki].type = obj ? T_OBJ : T_ARR;
    p->at++;
    uint32_t n = 0;
    if (p->at < p->n && p->s[p->at] == close) {
        p->at++;
        return 0;
    }
    for (;;) {
        if (obj) {
            if (p->at >= p->n || p->s[p->at] != '"')
                return -1;
            size_t ni = p->e->nt;
            if (!tok_new(p->e) || p_string(p, &p->e->t[ni]) != 0)
                return -1;
            if (p->at >= p->n || p->s[p->at] != ':')
                return -1;
            p->at++;
        }
        if (p_value(p, depth + 1) != 0)
            return -1;
        n++;
        if (p->at >= p->n)
            return -1;
        if (p->s[p->at] == ',') {
            p->at++;
            continue;
        }
        if (p->s[p->at] != close)
            return -1;
        p->at++;
        break;
    }
    p->e->t[ki].n = n;
    return 0;
}

/* The JSON of the value at e->t[*i], as marsad writes it, into o. */
static int tok_json(const enc *e, size_t *i, mr_buf *o)
{
    const jtok *k = &e->t[(*i)++];
    switch (k->type) {
    case T_NULL: return mr_buf_adds(o, "null") == MARSAD_OK ? 0 : -1;
    case T_FALSE: return mr_buf_adds(o, "false") == MARSAD_OK ? 0 : -1;
    case T_TRUE: return mr_buf_adds(o, "true") == MARSAD_OK ? 0 : -1;
    case T_INT:
        return mr_buf_printf(o, "%lld", (long long)k->i) == MARSAD_OK ? 0
                                                                      : -1;
    case T_NUM:
        return mr_buf_add(o, k->js + k->off, k->n) == MARSAD_OK ? 0 : -1;
    case T_STR: return esc(o, e->sc.p + k->off, k->n);
    case T_ARR:
    case T_OBJ:
        mr_buf_addc(o, k->type == T_ARR ? '[' : '{');
        for (uint32_t m = 0; m < k->n; m++) {
            if (m)
                mr_buf_addc(o, ',');
            if (k->type == T_OBJ) {
                const jtok *nm = &e->t[(*i)++];
                if (esc(o, e->sc.p + nm->off, nm->n) != 0)
                    return -1;
                mr_buf_addc(o, ':');
            }
            if (tok_json(e, i, o) != 0)
                return -1;
        }
        mr_buf_addc(o, k->type == T_ARR ? ']' : '}');
        return o->err == MARSAD_OK ? 0 : -1; /* every write above counts */
    }
    return -1;
}

/* ------------------------------------------------------ the word table */

typedef struct word {
    size_t off;  /* into the scratch */
    uint32_t len, count, code;
    uint32_t first; /* order of first sight: ties keep it */
    int named;   /* a member name or a kind: always in the table */
} word;

typedef struct words {
    word *v;
    size_t n, cap;
    int32_t *slot; /* hash slots: index into v, -1 empty */
    size_t nslot;
} words;

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static int words_grow(words *w, const char *sc)
{
    size_t ns = w->nslot ? w->nslot * 2 : 256;
    int32_t *s = malloc(ns * sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < ns; i++)
        s[i] = -1;
    for (size_t i = 0; i < w->n; i++) {
        size_t h = (size_t)hash(sc + w->v[i].off, w->v[i].len) & (ns - 1);
        while (s[h] >= 0)
            h = (h + 1) & (ns - 1);
        s[h] = (int32_t)i;
    }
    free(w->slot);
    w->slot = s;
    w->nslot = ns;
    return 0;
}

/* The entry of sc[off, off+len), counted once more. -1 out of memory. */
static int32_t words_add(words *w, const char *sc, size_t off, uint32_t len,
                         int named)
{
    if ((w->n + 1) * 2 > w->nslot && words_grow(w, sc) != 0)
        return -1;
    size_t h = (size_t)hash(sc + off, len) & (w->nslot - 1);
    for (; w->slot[h] >= 0; h = (h + 1) & (w->nslot - 1)) {
        word *x = &w->v[w->slot[h]];
        if (x->len == len && memcmp(sc + x->off, sc + off, len) == 0) {
            x->count++;
            x->named |= named;
            return w->slot[h];
        }
    }
    if (w->n == w->cap) {
        size_t c = w->cap ? w->cap * 2 : 64;
        word *v = realloc(w->v, c * sizeof *v);
        if (!v)
            return -1;
        w->v = v;
        w->cap = c;
    }
    w->v[w->n] = (word){off, len, 1, 0, (uint32_t)w->n, named};
    w->slot[h] = (int32_t)w->n;
    return (int32_t)w->n++;
}

static int by_count(const void *a, const void *b)
{
    const word *x = *(const word *const *)a, *y = *(const word *const *)b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static int in_table(const word *w)
{
    return w->named || w->count >= 2;
}

/* ------------------------------------------------------------ encoding */

static int emit_value(mr_buf *b, const enc *e, const words *w, size_t *i)
{
    const jtok *k = &e->t[(*i)++];
    switch (k->type) {
    case T_NULL: return put_head(b, V_LIT, 0);
    case T_FALSE: return put_head(b, V_LIT, 1);
    case T_TRUE: return put_head(b, V_LIT, 2);
    case T_INT:
        return k->i >= 0 ? put_head(b, V_UINT, (uint64_t)k->i)
                         : put_head(b, V_NEG, (uint64_t)(-(k->i + 1)));
    case T_NUM:
        if (put_head(b, V_NUM, k->n) != 0)
            return -1;
        return mr_buf_add(b, k->js + k->off, k->n) == MARSAD_OK ? 0 : -1;
    case T_STR:
        if (in_table(&w->v[k->word]))
            return put_head(b, V_WORD, w->v[k->word].code);
        if (put_head(b, V_STR, k->n) != 0)
            return -1;
        return mr_buf_add(b, e->sc.p + k->off, k->n) == MARSAD_OK ? 0 : -1;
    case T_ARR:
    case T_OBJ:
        if (put_head(b, k->type == T_ARR ? V_ARR : V_OBJ, k->n) != 0)
            return -1;
        for (uint32_t m = 0; m < k->n; m++) {
            if (k->type == T_OBJ &&
                put_varint(b, w->v[e->t[(*i)++].word].code) != 0)
                return -1;
            if (emit_value(b, e, w, i) != 0)
                return -1;
        }
        return 0;
    }
    return -1;
}

typedef struct fact_plan {
    int32_t kind;          /* its word */
    size_t tok, ntok;      /* its tokens, when binary */
    int bin;
} fact_plan;

static unsigned char *encode(const mr_fact_in *f, size_t n, int allow_bin,
                             size_t *len)
{
    enc e = {0};
    words w = {0};
    fact_plan *pl = calloc(n ? n : 1, sizeof *pl);
    mr_buf b = MR_BUF_INIT, back = MR_BUF_INIT;
    unsigned char *out = NULL;
    if (!pl)
        goto done;
    for (size_t i = 0; i < n; i++) {
        size_t kl = strlen(f[i].kind), off = e.sc.len;
        if (mr_buf_add(&e.sc, f[i].kind, kl) != MARSAD_OK ||
            (pl[i].kind = words_add(&w, e.sc.p, off, (uint32_t)kl, 1)) < 0)
            goto done;
        if (!f[i].json || !allow_bin)
            continue;
        size_t t0 = e.nt, s0 = e.sc.len;
        parser p = {f[i].json, f[i].json_len, 0, &e};
        if (p_value(&p, 0) == 0 && p.at == p.n && e.t[t0].type == T_OBJ) {
            /* binary only when it gives these very bytes back */
            size_t t = t0;
            mr_buf_clear(&back);
            if (tok_json(&e, &t, &back) == 0 && back.len == f[i].json_len &&
                (!back.len ||
                 memcmp(back.p, f[i].json, f[i].json_len) == 0)) {
                pl[i].bin = 1;
                pl[i].tok = t0;
                pl[i].ntok = e.nt - t0;
                continue;
            }
        }
        if (e.oom)
            goto done;
        e.nt = t0; /* kept as given */
        e.sc.len = s0;
    }
    if (!e.sc.p && e.sc.len)
        goto done;
    /* count the strings: member names always go to the table */
    for (size_t i = 0; i < n; i++) {
        if (!pl[i].bin)
            continue;
        /* walk the value tree to tell names from string values */
        size_t t = pl[i].tok;
        uint32_t left[MAX_DEPTH + 2];
        int obj[MAX_DEPTH + 2];
        int sp = 0;
        left[0] = 1;
        obj[0] = 0;
        while (t < pl[i].tok + pl[i].ntok) {
            while (sp > 0 && left[sp] == 0)
                sp--;
            left[sp]--;
            if (obj[sp]) { /* a name, then the value */
                jtok *nm = &e.t[t++];
                if ((nm->word = words_add(&w, e.sc.p, nm->off, nm->n, 1)) < 0)
                    goto done;
            }
            jtok *k = &e.t[t++];
            if (k->type == T_STR &&
                (k->word = words_add(&w, e.sc.p, k->off, k->n, 0)) < 0)
                goto done;
            if ((k->type == T_ARR || k->type == T_OBJ) && k->n) {
                if (sp + 1 > MAX_DEPTH + 1)
                    goto done;
                sp++;
                left[sp] = k->n;
                obj[sp] = k->type == T_OBJ;
            }
        }
    }
    /* codes: the table's words, most used first */
    word **ord = malloc((w.n ? w.n : 1) * sizeof *ord);
    if (!ord)
        goto done;
    size_t nw = 0;
    for (size_t i = 0; i < w.n; i++)
        if (in_table(&w.v[i]))
            ord[nw++] = &w.v[i];
    qsort(ord, nw, sizeof *ord, by_count);
    mr_buf_addc(&b, BLOB_FORMAT);
    put_varint(&b, nw);
    for (size_t i = 0; i < nw; i++) {
        ord[i]->code = (uint32_t)i;
        put_varint(&b, ord[i]->len);
        mr_buf_add(&b, e.sc.p + ord[i]->off, ord[i]->len);
    }
    free(ord);
    put_varint(&b, n);
    uint32_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        const mr_fact_in *x = &f[i];
        unsigned fl = (x->text ? F_TEXT : 0) | (x->json ? F_JSON : 0) |
                      (x->json && x->packed ? F_PACKED : 0) |
                      (pl[i].bin ? F_BIN : 0);
        put_varint(&b, w.v[pl[i].kind].code);
        mr_buf_addc(&b, (char)fl);
        put_varint(&b, zigzag((int64_t)x->start - (int64_t)prev));
        put_varint(&b, zigzag((int64_t)x->end - (int64_t)x->start));
        prev = x->start;
        if (x->text) {
            size_t tl = strlen(x->text);
            put_varint(&b, tl);
            mr_buf_add(&b, x->text, tl);
        }
        if (pl[i].bin) {
            size_t t = pl[i].tok;
            if (emit_value(&b, &e, &w, &t) != 0)
                goto done;
        } else if (x->json) {
            put_varint(&b, x->json_len);
            mr_buf_add(&b, x->json, x->json_len);
        }
    }
    if (b.p && b.err == MARSAD_OK) { /* every write above counts */
        out = (unsigned char *)b.p;
        *len = b.len;
        b.p = NULL;
    }
done:
    mr_buf_free(&b);
    mr_buf_free(&back);
    free(e.t);
    mr_buf_free(&e.sc);
    free(w.v);
    free(w.slot);
    free(pl);
    return out;
}

/* ------------------------------------------------------------ decoding */

static int d_value(mr_fact_dec *d, mr_buf *o, int depth)
{
    if (d->p >= d->e || depth > MAX_DEPTH)
        return -1;
    unsigned h = *d->p++;
    unsigned type = h >> 5;
    uint64_t v = h & 31;
    if (v == 31 && get_varint(&d->p, d->e, &v) != 0)
        return -1;
    char num[24];
    switch (type) {
    case V_LIT:
        return v > 2 ? -1
                     : mr_buf_adds(o, v == 0 ? "null" : v == 1 ? "false"
                                                               : "true") ==
                               MARSAD_OK
                           ? 0
                           : -1;
    case V_UINT:
    case V_NEG: {
        /* v < 10^18 when written by encode() */
        if (v > 999999999999999999ull)
            return -1;
        size_t k = sizeof num;
        do {
            num[--k] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        if (type == V_NEG) { /* -1 - v: add one to the digits */
            size_t j = sizeof num;
            while (j > k && num[j - 1] == '9')
                num[--j] = '0';
            if (j > k)
                num[j - 1]++;
            else
                num[--k] = '1';
            num[--k] = '-';
        }
        return mr_buf_add(o, num + k, sizeof num - k) == MARSAD_OK ? 0 : -1;
    }
    case V_NUM:
    case V_STR:
        if (v > (uint64_t)(d->e - d->p))
            return -1;
        d->p += v;
        if (type == V_NUM)
            return mr_buf_add(o, (const char *)d->p - v, v) == MARSAD_OK ? 0
                                                                        : -1;
        return esc(o, (const char *)d->p - v, v);
    case V_WORD:
        if (v >= d->nwords)
            return -1;
        return esc(o, (const char *)d->wp[v], d->wl[v]);
    case V_ARR:
    case V_OBJ:
        if (mr_buf_addc(o, type == V_ARR ? '[' : '{') != MARSAD_OK)
            return -1;
        for (uint64_t m = 0; m < v; m++) {
            if (m)
                mr_buf_addc(o, ',');
            if (type == V_OBJ) {
                uint64_t c;
                if (get_varint(&d->p, d->e, &c) != 0 || c >= d->nwords ||
                    esc(o, (const char *)d->wp[c], d->wl[c]) != 0)
                    return -1;
                mr_buf_addc(o, ':');
            }
            if (d_value(d, o, depth + 1) != 0)
                return -1;
        }
        mr_buf_addc(o, type == V_ARR ? ']' : '}');
        return o->err == MARSAD_OK ? 0 : -1; /* every write above counts */
    }
    return -1;
}

/* The blob of format 1 that a deflated blob holds, in d->own. */
static int inflated(mr_fact_dec *d, const unsigned char *blob, size_t len)
{
    const unsigned char *p = blob + 1, *e = blob + len;
    uint64_t n;
    /* deflate shrinks at most about 1032 to 1: a larger claimed size is
     * a damaged blob, not a reason to allocate it */
    if (get_varint(&p, e, &n) != 0 || n > (1u << 30) ||
        n > 1032u * (uint64_t)(e - p) + 64 ||
        !(d->own = malloc((size_t)n + 1)))
        return -1;
    d->own[0] = BLOB_FORMAT;
    uLongf got = (uLongf)n;
    if (uncompress(d->own + 1, &got, p, (uLong)(e - p)) != Z_OK || got != n)
        return -1;
    d->p = d->own;
    d->e = d->own + n + 1;
    return 0;
}

int mr_fact_dec_init(mr_fact_dec *d, const void *blob, size_t len)
{
    memset(d, 0, sizeof *d);
    d->p = blob;
    d->e = d->p + len;
    if (blob && len > 1 && *d->p == BLOB_DEFLATED && inflated(d, blob, len))
        return -1;
    len = (size_t)(d->e - d->p);
    uint64_t nw;
    if (!blob || len < 1 || *d->p++ != BLOB_FORMAT ||
        get_varint(&d->p, d->e, &nw) != 0 || nw > len)
        return -1;
    d->nwords = (size_t)nw;
    d->wp = malloc((nw ? nw : 1) * sizeof *d->wp);
    d->wl = malloc((nw ? nw : 1) * sizeof *d->wl);
    if (!d->wp || !d->wl)
        return -1;
    for (size_t i = 0; i < nw; i++) {
        uint64_t l;
        if (get_varint(&d->p, d->e, &l) != 0 ||
            l > (uint64_t)(d->e - d->p))
            return -1;
        d->wp[i] = d->p;
        d->wl[i] = (uint32_t)l;
        d->p += l;
    }
    uint64_t nf;
    if (get_varint(&d->p, d->e, &nf) != 0 || nf > len)
        return -1;
    d->left = (size_t)nf;
    return 0;
}

int mr_fact_dec_next(mr_fact_dec *d, mr_fact_bin *f)
{
    if (!d->left)
        return d->p == d->e ? 0 : -1;
    d->left--;
    uint64_t kind, ds, de;
    if (get_varint(&d->p, d->e, &kind) != 0 || kind >= d->nwords ||
        d->p >= d->e)
        return -1;
    unsigned fl = *d->p++;
    if (get_varint(&d->p, d->e, &ds) != 0 ||
        get_varint(&d->p, d->e, &de) != 0)
        return -1;
    /* a damaged blob may hold any delta: bound them before adding */
    int64_t dsv = unzigzag(ds), dev = unzigzag(de);
    if (dsv < -(int64_t)UINT32_MAX || dsv > (int64_t)UINT32_MAX ||
        dev < -(int64_t)UINT32_MAX || dev > (int64_t)UINT32_MAX)
        return -1;
    int64_t s = (int64_t)d->prev + dsv;
    int64_t e = s + dev;
    if (s < 0 || s > UINT32_MAX || e < 0 || e > UINT32_MAX)
        return -1;
    d->prev = (uint32_t)s;
    mr_buf_clear(&d->out);
    /* kind, text and json one after the other, each NUL-terminated */
    size_t ko = d->out.len, to = 0, jo = 0;
    if (mr_buf_add(&d->out, (const char *)d->wp[kind], d->wl[kind]) !=
            MARSAD_OK ||
        mr_buf_addc(&d->out, 0) != MARSAD_OK)
        return -1;
    size_t tl = 0, jl = 0;
    if (fl & F_TEXT) {
        uint64_t l;
        if (get_varint(&d->p, d->e, &l) != 0 ||
            l > (uint64_t)(d->e - d->p))
            return -1;
        to = d->out.len;
        tl = (size_t)l;
        mr_buf_add(&d->out, (const char *)d->p, tl);
        mr_buf_addc(&d->out, 0);
        d->p += l;
    }
    if (fl & F_JSON) {
        jo = d->out.len;
        if (fl & F_BIN) {
            if (d_value(d, &d->out, 0) != 0)
                return -1;
        } else {
            uint64_t l;
            if (get_varint(&d->p, d->e, &l) != 0 ||
                l > (uint64_t)(d->e - d->p))
                return -1;
            mr_buf_add(&d->out, (const char *)d->p, (size_t)l);
            d->p += l;
        }
        jl = d->out.len - jo;
        if (mr_buf_addc(&d->out, 0) != MARSAD_OK)
            return -1;
    }
    if (!d->out.p || d->out.err != MARSAD_OK) /* a write above failed */
        return -1;
    f->kind = d->out.p + ko;
    f->start = (uint32_t)s;
    f->end = (uint32_t)e;
    f->text = fl & F_TEXT ? d->out.p + to : NULL;
    f->text_len = tl;
    f->json = fl & F_JSON ? d->out.p + jo : NULL;
    f->json_len = jl;
    f->packed = (fl & F_PACKED) != 0;
    return 1;
}

void mr_fact_dec_free(mr_fact_dec *d)
{
    if (!d)
        return;
    free(d->wp);
    free(d->wl);
    free(d->own);
    mr_buf_free(&d->out);
    memset(d, 0, sizeof *d);
}

/* Does blob read back as f[0..n)? */
static int same(const unsigned char *blob, size_t len, const mr_fact_in *f,
                size_t n)
{
    mr_fact_dec d;
    int ok = mr_fact_dec_init(&d, blob, len) == 0;
    mr_fact_bin x;
    for (size_t i = 0; ok && i < n; i++) {
        ok = mr_fact_dec_next(&d, &x) == 1 && strcmp(x.kind, f[i].kind) == 0 &&
             x.start == f[i].start && x.end == f[i].end &&
             !x.text == !f[i].text &&
             (!x.text || strcmp(x.text, f[i].text) == 0) &&
             !x.json == !f[i].json &&
             (!x.json || (x.json_len == f[i].json_len &&
                          memcmp(x.json, f[i].json, x.json_len) == 0 &&
                          x.packed == f[i].packed));
    }
    ok = ok && mr_fact_dec_next(&d, &x) == 0;
    mr_fact_dec_free(&d);
    return ok;
}

/* The blob b (format 1) deflated when that is shorter, else b; b is then
 * freed. */
static unsigned char *deflated(unsigned char *b, size_t *len)
{
    if (!b || *len < 64)
        return b;
    uLongf zn = compressBound((uLong)(*len - 1));
    mr_buf z = MR_BUF_INIT;
    if (mr_buf_addc(&z, BLOB_DEFLATED) != 0 || put_varint(&z, *len - 1) != 0 ||
        mr_buf_reserve(&z, (size_t)zn) != MARSAD_OK) {
        mr_buf_free(&z);
        return b;
    }
    if (compress2((Bytef *)z.p + z.len, &zn, b + 1, (uLong)(*len - 1), 6) ==
            Z_OK &&
        z.len + zn < *len) {
        free(b);
        *len = z.len + zn;
        return (unsigned char *)z.p;
    }
    mr_buf_free(&z);
    return b;
}

unsigned char *mr_facts_encode(const mr_fact_in *f, size_t n, size_t *len)
{
    for (int bin = 1; bin >= 0; bin--) {
        unsigned char *b = deflated(encode(f, n, bin, len), len);
        if (b && same(b, *len, f, n))
            return b;
        free(b); /* an object the binary form does not give back: all
                    kept as given */
    }
    return NULL;
}

/* ------------------------------------------------ a member of a fact */

int mr_fact_member(const char *json, size_t n, const char *name, char **val)
{
    *val = NULL;
    enc e = {0};
    parser p = {json, n, 0, &e};
    int rc = 0;
    if (p_value(&p, 0) != 0 || p.at != n || e.t[0].type != T_OBJ || !e.sc.p)
        goto done;
    size_t nl = strlen(name), t = 1;
    for (uint32_t m = 0; m < e.t[0].n; m++) {
        const jtok *nm = &e.t[t++];
        const jtok *k = &e.t[t];
        if (nm->n == nl && memcmp(e.sc.p + nm->off, name, nl) == 0) {
            if (k->type == T_STR && !(*val = strndup(e.sc.p + k->off, k->n)))
                rc = -1;
            break;
        }
        /* skip the value and whatever it holds */
        size_t need = 1;
        while (need) {
            const jtok *x = &e.t[t++];
            need--;
            if (x->type == T_ARR)
                need += x->n;
            else if (x->type == T_OBJ)
                need += 2 * (size_t)x->n;
        }
    }
done:
    free(e.t);
    mr_buf_free(&e.sc);
    return e.oom ? -1 : rc;
}

/* ------------------------------------- the span and text of an object */

/* {"start":S,"end":E,"text":"..." into o. */
static int span_prefix(mr_buf *o, uint32_t start, uint32_t end,
                       const char *text, size_t tn)
{
    if (mr_buf_printf(o, "{\"start\":%u,\"end\":%u,\"text\":", start, end) !=
        MARSAD_OK)
        return -1;
    return esc(o, text, tn);
}

int mr_fact_strip(const char *json, size_t n, uint32_t start, uint32_t end,
                  const char *text, size_t tn, char **rest, size_t *rn)
{
    *rest = NULL;
    if (!json || !text || n < 2 || json[0] != '{')
        return 0;
    mr_buf p = MR_BUF_INIT;
    if (span_prefix(&p, start, end, text, tn) != 0 || !p.p) {
        mr_buf_free(&p);
        return -1;
    }
    size_t pn = p.len;
    int match = n > pn && memcmp(json, p.p, pn) == 0 &&
                (json[pn] == '}' || json[pn] == ',');
    mr_buf_free(&p);
    if (!match)
        return 0;
    size_t comma = json[pn] == ',';
    *rn = n - pn - comma + 1;
    if (!(*rest = malloc(*rn + 1)))
        return -1;
    (*rest)[0] = '{';
    memcpy(*rest + 1, json + pn + comma, n - pn - comma);
    (*rest)[*rn] = 0;
    return 1;
}

int mr_fact_unstrip(mr_buf *o, const char *rest, size_t rn, uint32_t start,
                    uint32_t end, const char *text, size_t tn)
{
    if (rn < 2 || rest[0] != '{')
        return mr_buf_add(o, rest, rn) == MARSAD_OK ? 0 : -1;
    if (span_prefix(o, start, end, text, tn) != 0 ||
        (rest[1] != '}' && mr_buf_addc(o, ',') != MARSAD_OK))
        return -1;
    return mr_buf_add(o, rest + 1, rn - 1) == MARSAD_OK ? 0 : -1;
}

/* ------------------------------------ the aggregate of migration 7 */

typedef struct agg_row {
    int64_t seq;
    char *kind, *text, *json; /* owned */
    mr_fact_in f;
} agg_row;

typedef struct agg {
    agg_row *v;
    size_t n, cap;
    int oom;
} agg;

static char *dup_value(sqlite3_value *v, size_t *len)
{
    if (sqlite3_value_type(v) == SQLITE_NULL)
        return NULL;
    const char *s = (const char *)sqlite3_value_text(v);
    size_t n = (size_t)sqlite3_value_bytes(v);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s ? s : "", n);
        d[n] = 0;
    }
    if (len)
        *len = n;
    return d;
}

/* mr_facts_blob(seq, kind, start, end, text, packed, json) */
static void agg_step(sqlite3_context *cx, int argc, sqlite3_value **v)
{
    (void)argc;
    agg *a = sqlite3_aggregate_context(cx, sizeof *a);
    if (!a || a->oom)
        return;
    if (a->n == a->cap) {
        size_t c = a->cap ? a->cap * 2 : 32;
        agg_row *r = realloc(a->v, c * sizeof *r);
        if (!r) {
            a->oom = 1;
            return;
        }
        a->v = r;
        a->cap = c;
    }
    agg_row *r = &a->v[a->n++];
    memset(r, 0, sizeof *r);
    r->seq = sqlite3_value_int64(v[0]);
    r->f.kind = r->kind = dup_value(v[1], NULL);
    r->f.start = (uint32_t)sqlite3_value_int64(v[2]);
    r->f.end = (uint32_t)sqlite3_value_int64(v[3]);
    r->f.text = r->text = dup_value(v[4], NULL);
    r->f.packed = sqlite3_value_int(v[5]) != 0;
    r->f.json = r->json = dup_value(v[6], &r->f.json_len);
    if (!r->kind || (sqlite3_value_type(v[4]) != SQLITE_NULL && !r->text) ||
        (sqlite3_value_type(v[6]) != SQLITE_NULL && !r->json))
        a->oom = 1;
}

static int by_seq(const void *x, const void *y)
{
    const agg_row *a = x, *b = y;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void agg_final(sqlite3_context *cx)
{
    agg *a = sqlite3_aggregate_context(cx, 0);
    if (!a) {
        sqlite3_result_null(cx);
        return;
    }
    unsigned char *b = NULL;
    size_t len = 0;
    mr_fact_in *f = NULL;
    if (!a->oom && (f = malloc((a->n ? a->n : 1) * sizeof *f))) {
        qsort(a->v, a->n, sizeof *a->v, by_seq);
        for (size_t i = 0; i < a->n; i++)
            f[i] = a->v[i].f;
        b = mr_facts_encode(f, a->n, &len);
    }
    if (b)
        sqlite3_result_blob(cx, b, (int)len, free);
    else
        sqlite3_result_error_nomem(cx);
    free(f);
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i].kind);
        free(a->v[i].text);
        free(a->v[i].json);
    }
    free(a->v);
}

int mr_facts_blob_register(sqlite3 *db)
{
    return sqlite3_create_function(db, "mr_facts_blob", 7, SQLITE_UTF8, NULL,
                                   NULL, agg_step, agg_final);
}

/* ------------------------------------------------------- reading back */

int mr_facts_walk(const void *blob, size_t len, const char *rt, size_t rn,
                  int whole, mr_fact_bin_fn fn, void *ctx)
{
    mr_fact_dec d;
    mr_buf t = MR_BUF_INIT, j = MR_BUF_INIT;
    int rc = mr_fact_dec_init(&d, blob, len);
    mr_fact_bin f;
    while (rc == 0 && (rc = mr_fact_dec_next(&d, &f)) == 1) {
        rc = 0;
        if (whole) {
            if (!f.text) { /* the report's bytes, as SQL's substr gives
                              them */
                size_t a = f.start < f.end ? f.start : f.end;
                size_t b = f.start < f.end ? f.end : f.start;
                a = a < rn ? a : rn;
                b = b < rn ? b : rn;
                mr_buf_clear(&t);
                if (mr_buf_add(&t, rt ? rt + a : "", b - a) != MARSAD_OK ||
                    mr_buf_reserve(&t, 1) != MARSAD_OK) {
                    rc = -1;
                    break;
                }
                f.text = t.p;
                f.text_len = t.len;
            }
            if (f.json && f.packed) {
                mr_buf_clear(&j);
                if (mr_fact_unstrip(&j, f.json, f.json_len, f.start, f.end,
                                    f.text, f.text_len) != 0 ||
                    !j.p) {
                    rc = -1;
                    break;
                }
                f.json = j.p;
                f.json_len = j.len;
                f.packed = 0;
            }
        }
        if (fn(&f, ctx)) {
            rc = 1;
            break;
        }
    }
    mr_fact_dec_free(&d);
    mr_buf_free(&t);
    mr_buf_free(&j);
    return rc;
}
