/*
 * search.c: mr_store_search, BM25 top-k over the FTS5 index in one pass.
 *
 * Why not `ORDER BY rank` with snippet(): FTS5 then scores every match with
 * its bm25(), which looks each document's length up with its own statement
 * on reports_fts_docsize, sorts all the matches, and snippet() tokenises the
 * whole of every returned report (both columns) to choose a window. That
 * was ~1,250 µs at the median on the bench's 50 queries (docs/store.md).
 *
 * Here instead:
 *  - one statement visits the matches in rowid order and calls the FTS5
 *    auxiliary function mr_rank() on each; mr_rank computes the same BM25
 *    as FTS5's bm25(2.0, 1.0) (same k1, b, idf, weights) with the document
 *    length read from an in-memory array (one uint32 per row, loaded once
 *    from reports_fts_docsize and reloaded when the file's data version
 *    changes), and keeps the best offset+limit rows in a heap in C (ties:
 *    the older row first). Filters (outlet, dates) join the reports table
 *    only when given.
 *  - when a row enters the heap, mr_rank records where its matches are (the
 *    body's if any, else the title's: up to SNIP_INST token offsets).
 *  - the snippet of each returned row is cut around its first match: the
 *    column is tokenised by the store's own FTS5 tokenizer (so token
 *    positions agree with the index) only up to the end of the window,
 *    and the recorded matches inside it are marked.
 *
 * Same hits as before: the same MATCH expression selects the rows, and the
 * score is bm25's formula term for term. Inside an open write transaction
 * of this connection the array may be stale, so the lengths come from FTS5
 * itself (xColumnSize) there.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "text/text.h"

typedef mr_top_ent top_ent;
#define SNIP_INST MR_SNIP_INST

struct mr_search_cache {
    uint32_t *len; /* tokens of row i (all columns) */
    int64_t nlen;
    unsigned version;
    int loaded;
    fts5_api *api;
    fts5_tokenizer tk;
    Fts5Tokenizer *tok; /* the store's tokenizer, for snippets */
    int tok_failed;
    /* When the store's tokenizer is marsad's: the text kernel's tokenizer
     * without the stemmer, for snippets (see kernel_window); stem: the
     * store's terms are stems (its "stem 1", the default). */
    marsad_tokenizer *kt;
    int kt_stem;
    sqlite3_stmt *plain, *joined, *row; /* prepared once per store */
    sqlite3_stmt *begin, *commit; /* a search's own read transaction */
    mr_postings *post; /* the postings file, NULL until the first search */
    int no_post;       /* the store has no file (in memory) */
    int busy; /* a search runs (a callback may search again: then the
                 inner one prepares its own statements) */
};

typedef struct rank_ctx {
    mr_search_cache *cache;
    sqlite3 *db;
    int use_cache, init, nphrase, failed;
    int own_read; /* inside the search's own read transaction */
    int idf_later; /* one phrase, every match seen: its idf is a constant
                      factor of every score, known at the end from the
                      number of matches (no xQueryPhrase pass) */
    double nrow;
    double *idf, *freq, avgdl;
    mr_top top;
    size_t matches;
} rank_ctx;

mr_search_cache *mr_search_cache_new(void)
{
    return calloc(1, sizeof(mr_search_cache));
}

void mr_search_cache_free(mr_search_cache *c)
{
    if (!c)
        return;
    if (c->tok && c->tk.xDelete)
        c->tk.xDelete(c->tok);
    marsad_tokenizer_free(c->kt);
    sqlite3_finalize(c->plain);
    sqlite3_finalize(c->joined);
    sqlite3_finalize(c->row);
    sqlite3_finalize(c->begin);
    sqlite3_finalize(c->commit);
    mr_postings_free(c->post);
    free(c->len);
    free(c);
}

/* (a worse than b): lower score, or same score and a newer row */
static int worse(const top_ent *a, const top_ent *b)
{
    return a->score < b->score || (a->score == b->score && a->rowid > b->rowid);
}

static void sift_down(top_ent *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && worse(&h[l], &h[m]))
            m = l;
        if (r < n && worse(&h[r], &h[m]))
            m = r;
        if (m == i)
            return;
        top_ent t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void sift_up(top_ent *h, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!worse(&h[i], &h[p]))
            return;
        top_ent t = h[i];
        h[i] = h[p];
        h[p] = t;
        i = p;
    }
}

int mr_top_push(mr_top *t, const mr_top_ent *e)
{
    if (t->n < t->k) {
        if (t->n == t->cap) { /* grows: offset+limit may be large */
            size_t cap = t->cap ? t->cap * 2 : 64;
            top_ent *h = realloc(t->h, cap * sizeof *h);
            if (!h)
                return -1;
            t->h = h;
            t->cap = cap;
        }
        t->h[t->n] = *e;
        sift_up(t->h, t->n++);
    } else if (t->k && worse(&t->h[0], e)) {
        t->h[0] = *e;
        sift_down(t->h, t->n, 0);
    }
    return 0;
}

/* True when e would enter t. */
static int enters(const mr_top *t, const top_ent *e)
{
    return t->n < t->k || (t->k && worse(&t->h[0], e));
}

static int count_cb(const Fts5ExtensionApi *api, Fts5Context *fc, void *p)
{
    (void)api;
    (void)fc;
    (*(sqlite3_int64 *)p)++;
    return SQLITE_OK;
}

/* SQLite's varint (as FTS5 writes docsize blobs); bytes read, 0 if cut. */
static int get_varint(const unsigned char *p, int n, uint64_t *v)
{
    uint64_t x = 0;
    for (int i = 0; i < n && i < 9; i++) {
        if (i == 8) {
            *v = (x << 8) | p[i];
            return 9;
        }
        x = (x << 7) | (p[i] & 0x7f);
        if (!(p[i] & 0x80)) {
            *v = x;
            return i + 1;
        }
    }
    return 0;
}

/* Loads the length array (inside the statement's read transaction). */
static int load_lengths(mr_search_cache *c, sqlite3 *db)
{
    sqlite3_stmt *s;
    int64_t max = 0;
    if (sqlite3_prepare_v2(db, "SELECT max(id) FROM reports_fts_docsize", -1,
                           &s, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(s) == SQLITE_ROW)
        max = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (max < 0)
        max = 0;
    uint32_t *len = calloc((size_t)max + 1, sizeof *len);
    if (!len)
        return -1;
    if (sqlite3_prepare_v2(db, "SELECT id, sz FROM reports_fts_docsize", -1,
                           &s, NULL) != SQLITE_OK) {
        free(len);
        return -1;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        const unsigned char *p = sqlite3_column_blob(s, 1);
        int n = sqlite3_column_bytes(s, 1), i = 0;
        uint64_t sum = 0, v;
        while (p && i < n) {
            int k = get_varint(p + i, n - i, &v);
            if (!k)
                break;
            sum += v;
            i += k;
        }
        if (id >= 0 && id <= max)
            len[id] = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
    }
    int rc = sqlite3_finalize(s);
    if (rc != SQLITE_OK) {
        free(len);
        return -1;
    }
    free(c->len);
    c->len = len;
    c->nlen = max + 1;
    return 0;
}

static int rank_init(rank_ctx *c, const Fts5ExtensionApi *api, Fts5Context *fc)
{
    c->init = 1;
    sqlite3_int64 nrow = 0, ntok = 0;
    if (api->xRowCount(fc, &nrow) != SQLITE_OK ||
        api->xColumnTotalSize(fc, -1, &ntok) != SQLITE_OK)
        return -1;
    if (nrow < 1)
        nrow = 1;
    c->avgdl = (double)ntok / (double)nrow;
    c->nphrase = api->xPhraseCount(fc);
    c->idf = calloc((size_t)c->nphrase * 2 + 1, sizeof *c->idf);
    if (!c->idf)
        return -1;
    c->freq = c->idf + c->nphrase;
    c->nrow = (double)nrow;
    if (c->idf_later && c->nphrase == 1) {
        c->idf[0] = 1.0; /* scores scaled by the idf at the end */
    } else {
        c->idf_later = 0;
    }
    for (int i = 0; !c->idf_later && i < c->nphrase; i++) {
        sqlite3_int64 hit = 0;
        if (api->xQueryPhrase(fc, i, &hit, count_cb) != SQLITE_OK)
            return -1;
        double idf = log(((double)nrow - (double)hit + 0.5) /
                         ((double)hit + 0.5));
        c->idf[i] = idf <= 0.0 ? 1e-6 : idf;
    }
    /* The length array: valid outside a write transaction of this
     * connection, while the file's data version is the one it was read at
     * (the statement holds a read transaction, so the version is current). */
    mr_search_cache *sc = c->cache;
    if (c->own_read || sqlite3_get_autocommit(c->db)) {
        unsigned v = 0;
        if (sqlite3_file_control(c->db, "main", SQLITE_FCNTL_DATA_VERSION,
                                 &v) == SQLITE_OK) {
            if (!sc->loaded || sc->version != v) {
                sc->loaded = load_lengths(sc, c->db) == 0;
                sc->version = v;
            }
            c->use_cache = sc->loaded;
        }
    }
    return 0;
}

/* Records where the matches of the current row are: the body's (column 1)
 * if it has any, else the title's. */
static void record_inst(const Fts5ExtensionApi *api, Fts5Context *fc,
                        top_ent *e, int ninst)
{
    e->ninst = 0;
    e->col = 0;
    int col = -1;
    for (int i = 0; i < ninst && col != 1; i++) {
        int ip, ic, io;
        if (api->xInst(fc, i, &ip, &ic, &io) == SQLITE_OK && ic > col)
            col = ic;
    }
    if (col < 0)
        return;
    e->col = col;
    for (int i = 0; i < ninst && e->ninst < SNIP_INST; i++) {
        int ip, ic, io;
        if (api->xInst(fc, i, &ip, &ic, &io) == SQLITE_OK && ic == col)
            e->off[e->ninst++] = io;
    }
}

static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fc,
                    sqlite3_context *sc, int nval, sqlite3_value **val)
{
    rank_ctx *c = nval > 0 ? sqlite3_value_pointer(val[0], "mr_rank") : NULL;
    if (!c) {
        sqlite3_result_error(sc, "mr_rank: no context", -1);
        return;
    }
    if (c->failed)
        return;
    if (!c->init && rank_init(c, api, fc) != 0) {
        c->failed = 1;
        sqlite3_result_error(sc, "mr_rank: cannot read the index", -1);
        return;
    }
    c->matches++;
    /* Term frequencies phrase by phrase (xPhraseFirst reads each phrase's
     * positions directly; xInstCount would merge and sort them all). */
    for (int i = 0; i < c->nphrase; i++) {
        Fts5PhraseIter it;
        int ic = -1, io = -1;
        double f = 0;
        for (api->xPhraseFirst(fc, i, &it, &ic, &io); ic >= 0;
             api->xPhraseNext(fc, &it, &ic, &io))
            f += ic == 0 ? 2.0 : 1.0; /* bm25(2.0, 1.0) */
        c->freq[i] = f;
    }
    int64_t rowid = api->xRowid(fc);
    double d;
    if (c->use_cache && rowid >= 0 && rowid < c->cache->nlen) {
        d = (double)c->cache->len[rowid];
    } else {
        int ntok = 0;
        api->xColumnSize(fc, -1, &ntok);
        d = (double)ntok;
    }
    const double k1 = 1.2, b = 0.75;
    double norm = k1 * (1.0 - b + b * d / c->avgdl), score = 0;
    for (int i = 0; i < c->nphrase; i++)
        score += c->idf[i] * (c->freq[i] * (k1 + 1.0)) / (c->freq[i] + norm);
    top_ent e;
    e.rowid = rowid;
    e.score = score;
    e.tok_pos = -1;
    e.ninst = 0;
    e.col = 0;
    if (!enters(&c->top, &e))
        return;
    int ninst = 0;
    api->xInstCount(fc, &ninst); /* for the snippet, entering rows only */
    record_inst(api, fc, &e, ninst);
    if (mr_top_push(&c->top, &e) != 0) {
        c->failed = 2;
        sqlite3_result_error_nomem(sc);
    }
}

int mr_search_register(sqlite3 *db, fts5_api *api)
{
    (void)db;
    return api->xCreateFunction(api, "mr_rank", NULL, rank_fn, NULL);
}

/* ------------------------------------------------------------ snippets */

/* The store's tokenizer (meta fts_tokenizer: a name and arguments). */
static Fts5Tokenizer *store_tokenizer(mr_search_cache *c, sqlite3 *db)
{
    if (c->tok || c->tok_failed)
        return c->tok;
    c->tok_failed = 1;
    if (!c->api) {
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) !=
            SQLITE_OK)
            return NULL;
        sqlite3_bind_pointer(s, 1, (void *)&c->api, "fts5_api_ptr", NULL);
        sqlite3_step(s);
        sqlite3_finalize(s);
        if (!c->api)
            return NULL;
    }
    char spec[256] = "marsad";
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db,
                           "SELECT value FROM meta WHERE key = 'fts_tokenizer'",
                           -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
            const char *v = (const char *)sqlite3_column_text(s, 0);
            if (strlen(v) < sizeof spec)
                strcpy(spec, v);
        }
        sqlite3_finalize(s);
    }
    const char *argv[16];
    int argc = 0;
    for (char *p = spec; *p && argc < 16;) {
        while (*p == ' ' || *p == '\'' || *p == '"')
            *p++ = 0;
        if (!*p)
            break;
        argv[argc++] = p;
        while (*p && *p != ' ' && *p != '\'' && *p != '"')
            p++;
    }
    if (argc == 0)
        return NULL;
    void *ud = NULL;
    if (c->api->xFindTokenizer(c->api, argv[0], &ud, &c->tk) != SQLITE_OK)
        return NULL;
    if (c->tk.xCreate(ud, argv + 1, argc - 1, &c->tok) != SQLITE_OK) {
        c->tok = NULL;
        return NULL;
    }
    /* marsad's own tokenizer ("marsad", "marsad stem 0|1": fts.c) is the
     * text kernel's: its terms can be found without it (kernel_window) */
    if (strcmp(argv[0], "marsad") == 0 &&
        (argc == 1 || (argc == 3 && strcmp(argv[1], "stem") == 0)) &&
        marsad_tokenizer_new(&c->kt, MARSAD_TOKENIZE_NO_STEM) == MARSAD_OK)
        c->kt_stem = argc == 1 || strcmp(argv[2], "0") != 0;
    c->tok_failed = 0;
    return c->tok;
}

typedef struct snip_ctx {
    const top_ent *e;
    int from, to;     /* token window [from, to) */
    int pos, next;    /* token position; next match index in e->off */
    int start, end;   /* bytes of the window */
    int hl_from[SNIP_INST], hl_to[SNIP_INST], nhl;
    /* by position (the postings file's hits): tokens from byte `base`
     * (token `pos` there); the window opens `lead` tokens before the
     * first match, e->tok_pos; terms of qt are marked */
    const mr_qterms *qt;
    int base, lead, more, dropped;
} snip_ctx;

static int snip_token(void *p, int flags, const char *t, int nt, int s, int e)
{
    (void)t;
    (void)nt;
    snip_ctx *c = p;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK; /* same position as the previous token */
    int pos = c->pos++;
    if (pos < c->from)
        return SQLITE_OK;
    if (pos >= c->to)
        return SQLITE_DONE;
    if (pos == c->from)
        c->start = s;
    c->end = e;
    while (c->next < c->e->ninst && c->e->off[c->next] < pos)
        c->next++;
    if (c->next < c->e->ninst && c->e->off[c->next] == pos &&
        c->nhl < SNIP_INST) {
        c->hl_from[c->nhl] = s;
        c->hl_to[c->nhl++] = e;
    }
    return SQLITE_OK;
}

/* True when the term t[0..n) is one of the query's. */
static int is_query_term(const mr_qterms *qt, const char *t, int n)
{
    for (int i = 0; i < qt->n; i++)
        if ((qt->t[i].n == n || (qt->t[i].prefix && qt->t[i].n < n)) &&
            memcmp(qt->t[i].s, t, (size_t)qt->t[i].n) == 0)
            return 1;
    return 0;
}

static void snip_mark(snip_ctx *c, int s, int e, int match)
{
    if (match && c->nhl < SNIP_INST) {
        c->hl_from[c->nhl] = s;
        c->hl_to[c->nhl++] = e;
    }
}

/* One token of a postings hit's window, the token at position c->pos
 * (then moved on), at bytes [s, e) of the text; match() tells whether
 * its term is one of the query's, asked for the window's tokens only.
 * SQLITE_DONE past the window. */
static int win_token(snip_ctx *c, int s, int e, int (*match)(void *), void *m)
{
    int at = c->pos++;
    if (at < c->from)
        return SQLITE_OK;
    if (at >= c->to) {
        c->more = 1;
        return SQLITE_DONE;
    }
    if (at == c->from)
        c->start = s;
    c->end = e;
    snip_mark(c, s, e, match(m));
    return SQLITE_OK;
}

typedef struct fts_term {
    const mr_qterms *qt;
    const char *t;
    int n;
} fts_term;

static int fts_term_match(void *p)
{
    const fts_term *f = p;
    return is_query_term(f->qt, f->t, f->n);
}

static int snip_token_at(void *p, int flags, const char *t, int nt, int s,
                         int e)
{
    snip_ctx *c = p;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    fts_term f = {c->qt, t, nt};
    return win_token(c, s + c->base, e + c->base, fts_term_match, &f);
}

/* True when some term of qt could be tok's stem or begin it: a stem is a
 * substring of the normalised word (marsad_stem), so a word that does not
 * hold a query term cannot be one (most words: no stemming for them). */
static int may_hold(const mr_qterms *qt, const char *s, size_t n)
{
    for (int i = 0; i < qt->n; i++) {
        size_t m = (size_t)qt->t[i].n;
        const char *t = qt->t[i].s;
        for (size_t at = 0; m && at + m <= n; at++) {
            const char *f = memchr(s + at, t[0], n - m - at + 1);
            if (!f)
                break;
            at = (size_t)(f - s);
            if (memcmp(f, t, m) == 0)
                return 1;
        }
    }
    return 0;
}

/* The term of a kernel token as the store's marsad tokenizer makes it
 * (fts.c term_of) is one of qt's. */
static int kernel_match(const mr_search_cache *c, const mr_qterms *qt,
                        const marsad_token *tok)
{
    const char *s = tok->norm;
    size_t n = tok->norm_len;
    char num[2 * MARSAD_MAX_TOKEN * MARSAD_NORM_MAX_GROWTH + 16];
    if (tok->kind == MARSAD_TOK_NUMBER) { /* numbers: without their commas */
        size_t k = 0;
        for (size_t i = 0; i < n && k < sizeof num; i++)
            if (s[i] != ',')
                num[k++] = s[i];
        return is_query_term(qt, num, (int)k);
    }
    if (c->kt_stem && tok->kind == MARSAD_TOK_ARABIC &&
        !(tok->flags & MARSAD_TOKF_SPLIT_PREFIX)) {
        if (!may_hold(qt, s, n))
            return 0;
        size_t off = 0, len = n;
        marsad_stem(s, n, &off, &len);
        if (off > n || len > n - off)
            off = 0, len = n;
        s += off;
        n = len;
    }
    return is_query_term(qt, s, (int)n);
}

typedef struct kernel_term {
    const mr_search_cache *c;
    const mr_qterms *qt;
    const marsad_token *tok;
} kernel_term;

static int kernel_term_match(void *p)
{
    const kernel_term *k = p;
    return kernel_match(k->c, k->qt, k->tok);
}

/* The window of sc over text[base..n) through the text kernel: the same
 * tokens and matches as the store's tokenizer gives (when it is marsad's),
 * but a word is stemmed only when it is in the window and may be a query
 * term. */
static void kernel_window(mr_search_cache *c, snip_ctx *sc, const char *text,
                          int n)
{
    marsad_tokenizer_reset(c->kt, text + sc->base, (size_t)(n - sc->base));
    marsad_token tok;
    kernel_term k = {c, sc->qt, &tok};
    while (marsad_tokenizer_next(c->kt, &tok)) {
        if (!mr_fts_indexable(tok.kind))
            continue;
        if (tok.kind == MARSAD_TOK_NUMBER && tok.norm_len &&
            strspn(tok.norm, ",") == tok.norm_len)
            continue; /* no term: the store's tokenizer skips it */
        if (tok.norm_len == 0)
            continue;
        if (win_token(sc, sc->base + (int)tok.start, sc->base + (int)tok.end,
                      kernel_term_match, &k) == SQLITE_DONE)
            break;
    }
}

/* The window of a postings hit: `lead` tokens before its first match
 * (e->tok_pos) and the rest after, tokenised from the file's checkpoint
 * at or before the window's first token (at most CK_EVERY - 1 tokens
 * before it), not from the column's start. */
static void window_by_pos(mr_search_cache *c, Fts5Tokenizer *tok, snip_ctx *sc,
                          const char *text, int n, int tokens)
{
    const top_ent *e = sc->e;
    sc->from = e->tok_pos > sc->lead ? e->tok_pos - sc->lead : 0;
    sc->to = sc->from + tokens;
    int at_tok = 0;
    int base = mr_postings_anchor(c->post, e->rowid, e->col, sc->from, &at_tok);
    if (base < 0 || base >= n)
        base = 0, at_tok = 0;
    sc->base = base;
    sc->pos = at_tok;
    sc->dropped = sc->from > 0;
    if (c->kt)
        kernel_window(c, sc, text, n);
    else
        c->tk.xTokenize(tok, sc, FTS5_TOKENIZE_DOCUMENT, text + base,
                        n - base, snip_token_at);
}

/* The snippet of e in text[0..n) into out: a window of `tokens` tokens
 * that starts a quarter of it before the first match, matches marked. */
static marsad_status make_snippet(mr_search_cache *c, sqlite3 *db,
                                  const top_ent *e, const mr_qterms *qt,
                                  const char *text, int n,
                                  const mr_search_opts *o, mr_buf *out)
{
    mr_buf_clear(out);
    if (!text || n <= 0)
        return mr_buf_add(out, "", 0);
    Fts5Tokenizer *tok = store_tokenizer(c, db);
    snip_ctx sc;
    memset(&sc, 0, sizeof sc);
    sc.e = e;
    int first = e->ninst ? e->off[0] : 0;
    int tokens = o->snippet_tokens;
    sc.lead = tokens / 4 < SNIP_INST ? tokens / 4 : SNIP_INST;
    sc.from = first - tokens / 4;
    if (sc.from < 0)
        sc.from = 0;
    sc.to = sc.from + tokens;
    sc.start = -1;
    sc.qt = qt;
    int lead_dots, trail_dots;
    if (tok && e->tok_pos >= 0 && c->post) {
        window_by_pos(c, tok, &sc, text, n, tokens);
        lead_dots = sc.dropped;
        trail_dots = sc.more;
    } else {
        if (tok)
            c->tk.xTokenize(tok, &sc, FTS5_TOKENIZE_DOCUMENT, text, n,
                            snip_token);
        lead_dots = sc.from > 0;
        trail_dots = sc.pos >= sc.to;
    }
    if (sc.start < 0) { /* no tokenizer or no token: the text's start */
        sc.start = 0;
        sc.end = n < 200 ? n : 200;
        while (sc.end < n && ((unsigned char)text[sc.end] & 0xC0) == 0x80)
            sc.end++;
    }
    const char *open = o->hl_open ? o->hl_open : "[";
    const char *close = o->hl_close ? o->hl_close : "]";
    marsad_status rc = MARSAD_OK;
    if (lead_dots)
        rc = mr_buf_adds(out, "…");
    int at = sc.start;
    for (int i = 0; rc == MARSAD_OK && i < sc.nhl; i++) {
        rc = mr_buf_add(out, text + at, (size_t)(sc.hl_from[i] - at));
        if (rc == MARSAD_OK)
            rc = mr_buf_adds(out, open);
        if (rc == MARSAD_OK)
            rc = mr_buf_add(out, text + sc.hl_from[i],
                            (size_t)(sc.hl_to[i] - sc.hl_from[i]));
        if (rc == MARSAD_OK)
            rc = mr_buf_adds(out, close);
        at = sc.hl_to[i];
    }
    if (rc == MARSAD_OK && sc.end > at)
        rc = mr_buf_add(out, text + at, (size_t)(sc.end - at));
    if (rc == MARSAD_OK && sc.end < n && trail_dots)
        rc = mr_buf_adds(out, "…");
    if (rc == MARSAD_OK)
        rc = mr_buf_addc(out, 0);
    return rc;
}

/* A hit read inside the search's transaction, handed out after it: its
 * strings are offsets into one arena (SIZE_MAX: NULL). */
typedef struct kept_hit {
    size_t s[5]; /* id, title, outlet, published, snippet */
    double score;
} kept_hit;

static marsad_status keep_str(mr_buf *arena, const char *v, size_t *at)
{
    if (!v) {
        *at = SIZE_MAX;
        return MARSAD_OK;
    }
    *at = arena->len;
    marsad_status rc = mr_buf_adds(arena, v);
    return rc == MARSAD_OK ? mr_buf_addc(arena, 0) : rc;
}

/* Runs one of the statements of the search's own transaction. */
static int step_once(sqlite3 *db, sqlite3_stmt **slot, const char *sql)
{
    if (!*slot && sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                     slot, NULL) != SQLITE_OK) {
        *slot = NULL;
        return -1;
    }
    int rc = sqlite3_step(*slot);
    sqlite3_reset(*slot);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int cmp_best(const void *a, const void *b)
{
    const top_ent *x = a, *y = b;
    return worse(x, y) ? 1 : worse(y, x) ? -1 : 0;
}

/* *slot, prepared on first use (NULL if it cannot be). */
static sqlite3_stmt *prepared(sqlite3 *db, sqlite3_stmt **slot,
                              const char *sql)
{
    if (*slot == NULL && sqlite3_prepare_v2(db, sql, -1, slot, NULL) != SQLITE_OK)
        *slot = NULL;
    return *slot;
}

static sqlite3_stmt *prepared_keep(sqlite3 *db, sqlite3_stmt **slot,
                                   const char *sql)
{
    if (!*slot && sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                     slot, NULL) != SQLITE_OK)
        *slot = NULL;
    return *slot;
}

static void bind_opt_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

marsad_status mr_search_run(mr_store *st, mr_search_cache *cache,
                            const char *expr, size_t expr_len,
                            const mr_search_opts *o, mr_hit_fn fn, void *ctx,
                            const char **fail_what)
{
    sqlite3 *db = mr_store_db(st);
    int filtered = o->outlet || o->since || o->until;
    static const char plain[] =
        "SELECT mr_rank(reports_fts, ?2) FROM reports_fts"
        " WHERE reports_fts MATCH ?1 AND reports_fts.rowid > ?3";
    static const char joined[] =
        "SELECT mr_rank(reports_fts, ?2)"
        " FROM reports_fts JOIN reports r ON r.n = reports_fts.rowid"
        " WHERE reports_fts MATCH ?1 AND reports_fts.rowid > ?3"
        " AND (?4 IS NULL OR r.outlet = ?4 COLLATE NOCASE)"
        " AND (?5 IS NULL OR substr(r.published, 1, length(?5)) >= ?5)"
        " AND (?6 IS NULL OR substr(r.published, 1, length(?6)) <= ?6)";
    rank_ctx rc_;
    memset(&rc_, 0, sizeof rc_);
    rc_.cache = cache;
    rc_.db = db;
    /* every match of the expression is visited: no filter, no row bound */
    rc_.idf_later = !filtered && o->after_row <= 0;
    rc_.top.k = o->offset + o->limit < o->limit ? (size_t)-1
                                                 : o->offset + o->limit;
    mr_buf snip = MR_BUF_INIT;
    sqlite3_stmt *s = NULL, *row = NULL;
    marsad_status rc = MARSAD_OK;
    *fail_what = "search failed";
    int own = cache->busy; /* re-entered: statements of its own */
    sqlite3_stmt *tmp_s = NULL, *tmp_row = NULL;
    cache->busy++;
    mr_qterms qt;
    qt.n = 0;
    /* One read transaction for the whole search (the check of the file,
     * the ranking, the rows): each statement in autocommit would take and
     * drop the file's locks on its own (a third of a query's time). The
     * hits are handed out after it ends, so a callback may write. */
    mr_buf arena = MR_BUF_INIT;
    kept_hit *kept = NULL;
    size_t nkept = 0;
    int own_read = !own && sqlite3_get_autocommit(db) &&
                   step_once(db, &cache->begin, "BEGIN") == 0;
    rc_.own_read = own_read;
    /* The postings file answers when it is as fresh as the index and the
     * query is one it holds (postings.c); else FTS5 does. */
    int done_post = 0;
    if (!filtered && o->after_row <= 0 &&
        mr_search_postings_fresh(st, cache, own_read)) {
        Fts5Tokenizer *tok = store_tokenizer(cache, db);
        {
            int r = mr_postings_top(cache->post, &cache->tk, tok, expr,
                                    expr_len, &rc_.top, &rc_.matches, &qt);
            if (r < 0) {
                *fail_what = "out of memory";
                rc = MARSAD_E_NOMEM;
                goto done;
            }
            done_post = r == 1;
            if (!done_post) {
                rc_.top.n = 0;
                rc_.matches = 0;
                qt.n = 0;
            }
        }
    }
    if (!done_post) {
        s = own ? prepared(db, &tmp_s, filtered ? joined : plain)
                : prepared_keep(db, filtered ? &cache->joined : &cache->plain,
                                filtered ? joined : plain);
        if (!s) {
            *fail_what = "cannot prepare the search";
            rc = MARSAD_E_DB;
            goto done;
        }
        sqlite3_bind_text(s, 1, expr, (int)expr_len, SQLITE_STATIC);
        sqlite3_bind_pointer(s, 2, &rc_, "mr_rank", NULL);
        sqlite3_bind_int64(s, 3, o->after_row);
        if (filtered) {
            bind_opt_text(s, 4, o->outlet);
            bind_opt_text(s, 5, o->since);
            bind_opt_text(s, 6, o->until);
        }
        int step;
        while ((step = sqlite3_step(s)) == SQLITE_ROW)
            ;
        if (step != SQLITE_DONE || rc_.failed) {
            rc = rc_.failed == 2 ? MARSAD_E_NOMEM : MARSAD_E_DB;
            if (rc == MARSAD_E_NOMEM)
                *fail_what = "out of memory";
            goto done;
        }
        if (rc_.idf_later) { /* the phrase is in exactly the matched rows */
            double hit = (double)rc_.matches;
            double idf = log((rc_.nrow - hit + 0.5) / (hit + 0.5));
            if (idf <= 0.0)
                idf = 1e-6;
            for (size_t i = 0; i < rc_.top.n; i++)
                rc_.top.h[i].score = idf * rc_.top.h[i].score;
        }
    }
    if (o->total)
        *o->total = rc_.matches;
    if (rc_.top.n)
        qsort(rc_.top.h, rc_.top.n, sizeof *rc_.top.h, cmp_best);
    static const char row_sql[] = "SELECT id, title, outlet, published, text"
                                  " FROM reports WHERE n = ?1";
    row = own ? prepared(db, &tmp_row, row_sql)
              : prepared_keep(db, &cache->row, row_sql);
    if (!row) {
        *fail_what = "cannot prepare the search";
        rc = MARSAD_E_DB;
        goto done;
    }
    if (own_read && rc_.top.n > o->offset &&
        !(kept = malloc((rc_.top.n - o->offset) * sizeof *kept))) {
        *fail_what = "out of memory";
        rc = MARSAD_E_NOMEM;
        goto done;
    }
    for (size_t i = o->offset; i < rc_.top.n; i++) {
        const top_ent *e = &rc_.top.h[i];
        sqlite3_reset(row);
        sqlite3_bind_int64(row, 1, e->rowid);
        if (sqlite3_step(row) != SQLITE_ROW)
            continue; /* gone since (another connection deleted it) */
        mr_hit h;
        h.id = (const char *)sqlite3_column_text(row, 0);
        h.title = (const char *)sqlite3_column_text(row, 1);
        h.outlet = (const char *)sqlite3_column_text(row, 2);
        h.published = (const char *)sqlite3_column_text(row, 3);
        h.score = e->score;
        int col = e->col == 0 ? 1 : 4;
        const char *text = (const char *)sqlite3_column_text(row, col);
        int n = sqlite3_column_bytes(row, col);
        rc = make_snippet(cache, db, e, &qt, text, n, o, &snip);
        if (rc != MARSAD_OK) {
            *fail_what = "out of memory";
            goto done;
        }
        h.snippet = snip.p ? snip.p : "";
        if (!h.id)
            continue;
        if (own_read) {
            kept_hit *k = &kept[nkept++];
            const char *v[5] = {h.id, h.title, h.outlet, h.published,
                                h.snippet};
            k->score = h.score;
            for (int j = 0; rc == MARSAD_OK && j < 5; j++)
                rc = keep_str(&arena, v[j], &k->s[j]);
            if (rc != MARSAD_OK) {
                *fail_what = "out of memory";
                goto done;
            }
            continue;
        }
        if (fn(&h, ctx))
            break;
    }
done:
    if (s) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    }
    if (row)
        sqlite3_reset(row);
    if (own_read) {
        if (step_once(db, &cache->commit, "COMMIT") != 0 && rc == MARSAD_OK) {
            *fail_what = "search failed";
            rc = MARSAD_E_DB;
        }
        for (size_t i = 0; rc == MARSAD_OK && i < nkept; i++) {
            mr_hit h;
            const char **v[5] = {&h.id, &h.title, &h.outlet, &h.published,
                                 &h.snippet};
            for (int j = 0; j < 5; j++)
                *v[j] = kept[i].s[j] == SIZE_MAX ? NULL
                                                 : arena.p + kept[i].s[j];
            h.score = kept[i].score;
            if (fn(&h, ctx))
                break;
        }
    }
    free(kept);
    mr_buf_free(&arena);
    sqlite3_finalize(tmp_s);
    sqlite3_finalize(tmp_row);
    cache->busy--;
    free(rc_.idf);
    free(rc_.top.h);
    mr_buf_free(&snip);
    return rc;
}

marsad_status mr_search_build_postings(mr_store *st, mr_search_cache *c,
                                       const char **what)
{
    sqlite3 *db = mr_store_db(st);
    Fts5Tokenizer *tok = store_tokenizer(c, db);
    if (!tok) {
        *what = "cannot load the store's tokenizer";
        return MARSAD_E_DB;
    }
    return mr_postings_build(db, mr_store_path(st), &c->tk, tok, what);
}

int mr_search_postings_fresh(mr_store *st, mr_search_cache *c, int own_read)
{
    if (!c->post && !c->no_post &&
        !(c->post = mr_postings_new(mr_store_path(st))))
        c->no_post = 1;
    sqlite3 *db = mr_store_db(st);
    return c->post && store_tokenizer(c, db) &&
           mr_postings_ready(c->post, db, own_read);
}
