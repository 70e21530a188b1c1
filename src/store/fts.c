/*
 * fts.c: the FTS5 tokenizer "marsad", a thin adapter over the text kernel
 * (marsad_tokenizer_*), registered on every connection the store opens.
 *
 * API version. STYLE.md §2.5 asks for fts5_tokenizer_v2. Debian 12 ships
 * SQLite 3.40.1, whose FTS5 has only the v1 struct (fts5_tokenizer_v2 came
 * in 3.47), so this implements v1: xCreate/xDelete/xTokenize with
 * (flags, text, xToken). Nothing here needs v2's locale argument.
 *
 * What is indexed. Words and numbers only (mr_fts_indexable): punctuation
 * and symbols are not terms. Each word is indexed as its light stem of the
 * normalised form (الباغوز, بالباغوز, الْبَاغُوز -> باغوز); a number as its
 * ASCII digits without thousands separators (١٬٢٠٠ and 1,200 -> 1200).
 * Every term carries the token's byte offsets in the original column text,
 * so highlight() and snippet() show the words as written.
 *
 * Queries (FTS5_TOKENIZE_QUERY) go through the same steps, so a query
 * matches whatever spelling variant the text used. A prefix query
 * (FTS5_TOKENIZE_PREFIX, "word*") applies to the last token of the string:
 * that token is NOT stemmed (a stemmer would cut a suffix the user did not
 * finish typing); it is normalised and only its leading clitics and article
 * are removed (as the stemmer would remove them: والمستش* -> مستش*), because
 * the terms in the index begin where stems begin.
 *
 * Synonym strategy: none. The alternative (index the stem plus the
 * normalised surface form as an FTS5_TOKEN_COLOCATED synonym) would allow
 * exact-form search but roughly doubles the position lists, and the index
 * must stay within 1.3x of unicode61's size (make bench). Exact surface
 * search is not a command's feature; matching by stem is the point.
 *
 * Arguments: "stem 0|1" (default 1; 0 indexes normalised forms, for tests
 * and comparison). Any other argument is an error (SQLITE_ERROR), so a
 * misspelt option never silently builds a different index.
 *
 * Memory: each tokenizer instance keeps one kernel tokenizer (one fold
 * buffer, no allocation per token). Should FTS5 ever tokenize re-entrantly
 * on one instance, the inner call makes a temporary kernel tokenizer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "text/text.h"

typedef struct mr_fts_tok {
    marsad_tokenizer *kt;
    int busy;
    int stem;
} mr_fts_tok;

int mr_fts_indexable(marsad_token_kind kind)
{
    return kind == MARSAD_TOK_ARABIC || kind == MARSAD_TOK_LATIN ||
           kind == MARSAD_TOK_NUMBER;
}

static int fts_create(void *ctx, const char **args, int nargs,
                      Fts5Tokenizer **out)
{
    (void)ctx;
    *out = NULL;
    int stem = 1;
    for (int i = 0; i < nargs; i += 2) {
        const char *v = i + 1 < nargs ? args[i + 1] : NULL;
        if (strcmp(args[i], "stem") == 0 && v &&
            (strcmp(v, "0") == 0 || strcmp(v, "1") == 0))
            stem = v[0] == '1';
        else
            return SQLITE_ERROR; /* unknown argument or bad value */
    }
    mr_fts_tok *t = calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    t->stem = stem;
    if (marsad_tokenizer_new(&t->kt, stem ? 0 : MARSAD_TOKENIZE_NO_STEM) !=
        MARSAD_OK) {
        free(t);
        return SQLITE_NOMEM;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void fts_delete(Fts5Tokenizer *p)
{
    mr_fts_tok *t = (mr_fts_tok *)p;
    if (!t)
        return;
    marsad_tokenizer_free(t->kt);
    free(t);
}

/* Room for one term: a token is at most MARSAD_MAX_TOKEN bytes and
 * normalisation grows it at most MARSAD_NORM_MAX_GROWTH times. */
#define TERM_CAP (MARSAD_MAX_TOKEN * MARSAD_NORM_MAX_GROWTH + 16)

/* The term of tok (document or query, not prefix) into buf; its length. */
static size_t term_of(const mr_fts_tok *t, const marsad_token *tok, char *buf)
{
    const char *s = t->stem ? tok->stem : tok->norm;
    size_t n = t->stem ? tok->stem_len : tok->norm_len;
    if (n > TERM_CAP)
        n = TERM_CAP;
    if (tok->kind != MARSAD_TOK_NUMBER) {
        memcpy(buf, s, n);
        return n;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ',')
            buf[k++] = s[i];
    return k;
}

/* The term of a prefix: normalised, leading clitics removed, no stem. */
static size_t prefix_term_of(const marsad_token *tok, char *buf)
{
    size_t n = tok->norm_len > TERM_CAP ? TERM_CAP : tok->norm_len;
    size_t off = 0, len = n;
    if (tok->kind == MARSAD_TOK_ARABIC) {
        marsad_stem(tok->norm, n, &off, &len);
        if (off > n)
            off = 0;
    }
    if (tok->kind == MARSAD_TOK_NUMBER) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (tok->norm[i] != ',')
                buf[k++] = tok->norm[i];
        return k;
    }
    memcpy(buf, tok->norm + off, n - off);
    return n - off;
}

typedef int (*xtoken_fn)(void *, int, const char *, int, int, int);

/* ------------------------------------------------- pre-made terms */

/* One column's terms, made on any thread (mr_store_terms_make), replayed
 * by the indexing thread. Packed records: start and end (4 bytes each),
 * the term's length (2 bytes), its bytes. */
struct mr_store_terms {
    mr_store_terms *next;
    char *text; /* owned once fed (the column's value), else borrowed */
    size_t len;
    int stem;
    unsigned char *buf;
    size_t n, cap;
};

/* The calling thread's feed: the terms of the columns it is about to
 * index, in the order FTS5 will ask for them. */
static _Thread_local struct {
    mr_store_terms *head, *tail;
} feed;

static int terms_put(mr_store_terms *t, const char *term, size_t n,
                     size_t start, size_t end)
{
    size_t need = t->n + 10 + n;
    if (need > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < need)
            cap *= 2;
        unsigned char *b = realloc(t->buf, cap);
        if (!b)
            return -1;
        t->buf = b;
        t->cap = cap;
    }
    uint32_t s32 = (uint32_t)start, e32 = (uint32_t)end;
    uint16_t n16 = (uint16_t)n;
    memcpy(t->buf + t->n, &s32, 4);
    memcpy(t->buf + t->n + 4, &e32, 4);
    memcpy(t->buf + t->n + 8, &n16, 2);
    memcpy(t->buf + t->n + 10, term, n);
    t->n = need;
    return 0;
}

mr_store_terms *mr_store_terms_make(const char *text, size_t len, int stem)
{
    if (!text || !len || len > INT32_MAX)
        return NULL;
    mr_store_terms *t = calloc(1, sizeof *t);
    marsad_tokenizer *kt = NULL;
    if (!t || marsad_tokenizer_new(&kt, stem ? 0 : MARSAD_TOKENIZE_NO_STEM) !=
                  MARSAD_OK) {
        free(t);
        return NULL;
    }
    t->text = (char *)(uintptr_t)text;
    t->len = len;
    t->stem = stem;
    mr_fts_tok ft = {kt, 0, stem};
    marsad_tokenizer_reset(kt, text, len);
    char term[TERM_CAP];
    marsad_token tok;
    while (marsad_tokenizer_next(kt, &tok)) {
        if (!mr_fts_indexable(tok.kind))
            continue;
        size_t n = term_of(&ft, &tok, term);
        if (n && terms_put(t, term, n, tok.start, tok.end) != 0) {
            mr_store_terms_free(t);
            t = NULL;
            break;
        }
    }
    marsad_tokenizer_free(kt);
    return t;
}

void mr_store_terms_free(mr_store_terms *t)
{
    if (!t)
        return;
    free(t->buf);
    free(t);
}

void mr_store_terms_feed(mr_store_terms *t, char *text)
{
    if (!t) {
        free(text);
        return;
    }
    t->text = text;
    t->next = NULL;
    if (feed.tail)
        feed.tail->next = t;
    else
        feed.head = t;
    feed.tail = t;
}

void mr_store_terms_clear(void)
{
    while (feed.head) {
        mr_store_terms *t = feed.head;
        feed.head = t->next;
        free(t->text);
        mr_store_terms_free(t);
    }
    feed.tail = NULL;
}

/* The fed terms of this text, taken off the feed (and the entries before
 * them, which FTS5 did not ask for), or NULL: only a column whose bytes
 * are exactly those the terms were made from is replayed, so a feed out
 * of step costs time, never a wrong index. */
static mr_store_terms *feed_take(const char *text, size_t len, int stem)
{
    mr_store_terms *t = feed.head;
    for (int k = 0; t && !(t->len == len && t->stem == stem &&
                           memcmp(t->text, text, len) == 0);
         k++, t = t->next)
        if (k == 3)
            return NULL;
    if (!t)
        return NULL;
    while (feed.head != t) {
        mr_store_terms *d = feed.head;
        feed.head = d->next;
        free(d->text);
        mr_store_terms_free(d);
    }
    feed.head = t->next;
    if (!feed.head)
        feed.tail = NULL;
    return t;
}

static int replay(const mr_store_terms *t, void *ctx, xtoken_fn xtoken)
{
    int rc = SQLITE_OK;
    for (size_t at = 0; rc == SQLITE_OK && at < t->n;) {
        uint32_t s32, e32;
        uint16_t n16;
        memcpy(&s32, t->buf + at, 4);
        memcpy(&e32, t->buf + at + 4, 4);
        memcpy(&n16, t->buf + at + 8, 2);
        rc = xtoken(ctx, 0, (const char *)t->buf + at + 10, (int)n16,
                    (int)s32, (int)e32);
        at += 10 + (size_t)n16;
    }
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int fts_tokenize(Fts5Tokenizer *p, void *ctx, int flags,
                        const char *text, int ntext, xtoken_fn xtoken)
{
    mr_fts_tok *t = (mr_fts_tok *)p;
    if (feed.head && (flags & FTS5_TOKENIZE_DOCUMENT) && text && ntext > 0) {
        mr_store_terms *ft = feed_take(text, (size_t)ntext, t->stem);
        if (ft) {
            int rc = replay(ft, ctx, xtoken);
            free(ft->text);
            mr_store_terms_free(ft);
            return rc;
        }
    }
    marsad_tokenizer *kt = t->kt;
    int own = 0;
    if (t->busy) {
        if (marsad_tokenizer_new(&kt, t->stem ? 0 : MARSAD_TOKENIZE_NO_STEM) !=
            MARSAD_OK)
            return SQLITE_NOMEM;
        own = 1;
    }
    t->busy++;
    if (!text || ntext < 0)
        ntext = 0;
    marsad_tokenizer_reset(kt, text ? text : "", (size_t)ntext);

    int prefix = (flags & FTS5_TOKENIZE_PREFIX) != 0;
    /* A prefix applies to the last token only: each token is held back
     * (in both forms) until the next one shows it was not the last. */
    char term[TERM_CAP], held[TERM_CAP];
    size_t held_n = 0, term_n = 0;
    int held_start = 0, held_end = 0, have_held = 0;
    int rc = SQLITE_OK;
    marsad_token tok;
    while (rc == SQLITE_OK && marsad_tokenizer_next(kt, &tok)) {
        if (!mr_fts_indexable(tok.kind))
            continue;
        if (!prefix) {
            size_t n = term_of(t, &tok, term);
            if (n)
                rc = xtoken(ctx, 0, term, (int)n, (int)tok.start,
                            (int)tok.end);
            continue;
        }
        if (have_held && held_n)
            rc = xtoken(ctx, 0, held, (int)held_n, held_start, held_end);
        held_n = term_of(t, &tok, held);
        term_n = prefix_term_of(&tok, term);
        held_start = (int)tok.start;
        held_end = (int)tok.end;
        have_held = 1;
    }
    if (rc == SQLITE_OK && have_held && term_n)
        rc = xtoken(ctx, 0, term, (int)term_n, held_start, held_end);
    t->busy--;
    if (own)
        marsad_tokenizer_free(kt);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int mr_fts_register(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    rc = sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return rc;
    if (!api || api->iVersion < 2)
        return SQLITE_ERROR;
    static fts5_tokenizer tk = {fts_create, fts_delete, fts_tokenize};
    rc = api->xCreateTokenizer(api, "marsad", NULL, &tk, NULL);
    return rc == SQLITE_OK ? mr_search_register(db, api) : rc;
}
