/*
 * doc.c: a report prepared for linking (stem hashes with byte spans,
 * shingles, MinHash signature, story terms), Jaccard, and near-duplicates
 * through banded LSH.
 */
#include <stdlib.h>
#include <string.h>

#include "link/link_internal.h"

#include "lex_link_event_kinds.inc"
#include "lex_link_stopwords.inc"

void mr_link_params_default(mr_link_params *p)
{
    if (!p)
        return;
    memset(p, 0, sizeof *p);
    p->shingle_k = 3;
    p->num_hashes = 64;
    p->bands = 16;
    p->near_dup = 0.5;
    p->candidate = 0.3;
    p->seed_n = 4;
    p->max_gap = 5;
    p->min_tokens = 6;
    p->max_seed_occ = 8;
    p->join = 0.22;
    p->join_undated = 0.32;
    p->window_days = 3;
    p->age_step = 0.03;
    p->title_weight = 3.0;
    p->entity_weight = 2.0;
    p->place_rare = 0.2;
    p->place_apart = 0.06;
    p->event_apart = 0.06;
    p->event_shared = 0.03;
    p->reaction_join = 0.03;
    p->undated_place = 0.10;
    p->undated_apart = 0.15;
    p->story_merge = 0.35;
    p->split_min = 4;
    p->split_ratio = 4.0;
    p->join_model = 0;
    p->max_terms = 200;
}

/* ============================================================== hashing */

uint64_t mr_link_mix(uint64_t x)
{
    return mr_mix64(x);
}

uint64_t mr_link_hash_bytes(const char *s, size_t n)
{
    return mr_mix64(mr_fnv64(MR_FNV64_INIT, s, n));
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts v[0..n) ascending without qsort's call per comparison: an LSD
 * radix sort on bytes (tmp: room for n), a pass skipped when every key
 * has the same byte there (shingle hashes are mixed, so about none are);
 * insertion sort below 48 keys. Linear in n. */
void mr_link_sort_u64(uint64_t *v, size_t n, uint64_t *tmp)
{
    if (n < 48) {
        for (size_t i = 1; i < n; i++) {
            uint64_t x = v[i];
            size_t j = i;
            for (; j > 0 && v[j - 1] > x; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
        return;
    }
    size_t count[8][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) {
        uint64_t x = v[i];
        for (int b = 0; b < 8; b++)
            count[b][(x >> (8 * b)) & 0xff]++;
    }
    uint64_t *src = v, *dst = tmp;
    for (int b = 0; b < 8; b++) {
        size_t *c = count[b];
        if (c[(src[0] >> (8 * b)) & 0xff] == n)
            continue; /* one value of this byte: order unchanged */
        size_t sum = 0;
        for (int d = 0; d < 256; d++) {
            size_t t = c[d];
            c[d] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i] >> (8 * b)) & 0xff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
}

/* ============================================================ doc build */

void mr_link_doc_free(mr_link_doc *d)
{
    if (!d)
        return;
    free(d->h);
    free(d->start);
    free(d->end);
    free(d->sig);
    free(d->shingles);
    free(d->terms);
    free(d->tf);
    memset(d, 0, sizeof *d);
}

/* Is the token a word whose stem is worth a story term? */
static int is_term(const mr_toks *tv, size_t i)
{
    const mr_tok *t = &tv->v[i];
    if (t->kind != MARSAD_TOK_ARABIC && t->kind != MARSAD_TOK_LATIN)
        return 0;
    if (t->stem_len < 3) /* at least two Arabic letters or 3 Latin */
        return 0;
    return mr_lex_find(&mr_lex_link_stopwords, mr_tok_norm(tv, i),
                       t->norm_len) < 0;
}

/* ========================================================= event kinds */

/* The kinds of data/link_event_kinds.tsv, bit k for event_kind_names[k]. */
static const char *const event_kind_names[] = {
    "chemical", "air_strike", "shelling", "bombing",  "fighting",
    "shooting", "protest",    "evacuation", "meeting", "vote",
    "justice",  "accident",   "disaster", "sport",    "killing",
    "economy",  "statement",
};
#define EVENT_KINDS (sizeof event_kind_names / sizeof *event_kind_names)

const char *mr_link_event_name(unsigned k)
{
    return k < EVENT_KINDS ? event_kind_names[k] : NULL;
}

/* The bit of a lexicon row's kind, 0 for an unknown kind. */
static uint32_t event_row_bit(long row)
{
    if (row < 0)
        return 0;
    /* cells: normalised key, form, kind, role */
    const char *k = mr_lex_cell(&mr_lex_link_event_kinds, (size_t)row, 2);
    for (unsigned b = 0; b < EVENT_KINDS; b++)
        if (strcmp(k, event_kind_names[b]) == 0)
            return (uint32_t)1 << b;
    return 0;
}

/* The kinds whose rows have role `role`. */
static uint32_t event_role(const char *role)
{
    uint32_t m = 0;
    for (size_t r = 0; r < mr_lex_link_event_kinds.nrows; r++)
        if (strcmp(mr_lex_cell(&mr_lex_link_event_kinds, r, 3), role) == 0)
            m |= event_row_bit((long)r);
    return m;
}

uint32_t mr_link_event_reactions(void) { return event_role("reaction"); }

uint32_t mr_link_event_recurring(void) { return event_role("recurring"); }

/* Strips the prefix p (UTF-8) off s[0..*n) when what is left keeps two
 * letters; 1 when it did. */
static int strip(const char **s, size_t *n, const char *p)
{
    size_t l = strlen(p);
    if (*n < l + 4 || memcmp(*s, p, l) != 0)
        return 0;
    *s += l;
    *n -= l;
    return 1;
}

uint32_t mr_link_event_kinds(const mr_toks *tv, size_t i)
{
    if (!tv || i >= tv->n || tv->v[i].kind != MARSAD_TOK_ARABIC)
        return 0;
    const mr_tok *t = &tv->v[i];
    uint32_t bits = event_row_bit(
        mr_lex_find(&mr_lex_link_event_kinds, mr_tok_stem(tv, i), t->stem_len));
    /* the normalised form, then without a conjunction, a preposition and
     * the article, each optional, in that order */
    static const char *const conj[] = {"", "\u0648", "\u0641"};     /* و ف */
    static const char *const prep[] = {"", "\u0628", "\u0644", "\u0643"}; /* ب ل ك */
    for (size_t a = 0; a < 3; a++) {
        const char *s = mr_tok_norm(tv, i);
        size_t n = t->norm_len;
        if (a && !strip(&s, &n, conj[a]))
            continue;
        for (size_t b = 0; b < 4; b++) {
            const char *s2 = s;
            size_t n2 = n;
            if (b && !strip(&s2, &n2, prep[b]))
                continue;
            bits |= event_row_bit(mr_lex_find(&mr_lex_link_event_kinds, s2, n2));
            /* the article: ال, or its ل after the preposition ل (لل) */
            if (strip(&s2, &n2, b == 2 ? "\u0644" : "\u0627\u0644"))
                bits |= event_row_bit(
                    mr_lex_find(&mr_lex_link_event_kinds, s2, n2));
        }
    }
    return bits;
}

/* The end of a lead: a full stop, question or exclamation mark after its
 * first 40 bytes (a dateline is no sentence). */
static int ends_lead(const mr_toks *tv, size_t i)
{
    const mr_tok *t = &tv->v[i];
    if (t->kind != MARSAD_TOK_PUNCT || t->start < 40)
        return 0;
    const char *s = mr_tok_norm(tv, i);
    return (t->norm_len == 1 && (*s == '.' || *s == '!' || *s == '?')) ||
           (t->norm_len == 2 && memcmp(s, "\u061f", 2) == 0); /* ؟ */
}

#define LEAD_WORDS 60 /* a lead without a full stop ends here */

typedef struct termacc {
    uint64_t *h;
    float *w;
    size_t n, cap;
} termacc;

static marsad_status termacc_push(termacc *ta, uint64_t h, float w)
{
    if (ta->n == ta->cap) {
        size_t nc = ta->cap ? ta->cap * 2 : 256;
        uint64_t *nh = realloc(ta->h, nc * sizeof *nh);
        if (!nh)
            return MARSAD_E_NOMEM;
        ta->h = nh;
        float *nw = realloc(ta->w, nc * sizeof *nw);
        if (!nw)
            return MARSAD_E_NOMEM;
        ta->w = nw;
        ta->cap = nc;
    }
    ta->h[ta->n] = h;
    ta->w[ta->n] = w;
    ta->n++;
    return MARSAD_OK;
}

typedef struct hw {
    uint64_t h;
    float w;
} hw;

static int cmp_hw_h(const void *a, const void *b)
{
    const hw *x = a, *y = b;
    return (x->h > y->h) - (x->h < y->h);
}

static int cmp_hw_w(const void *a, const void *b)
{
    const hw *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1; /* heavier first */
    return (x->h > y->h) - (x->h < y->h);
}

/* Sums the weights of equal hashes and keeps the max_terms heaviest
 * (ties broken by hash, so the choice is deterministic). */
static marsad_status finish_terms(mr_link_doc *d, termacc *ta,
                                  unsigned max_terms)
{
    if (ta->n == 0)
        return MARSAD_OK;
    hw *v = malloc(ta->n * sizeof *v);
    if (!v)
        return MARSAD_E_NOMEM;
    for (size_t i = 0; i < ta->n; i++) {
        v[i].h = ta->h[i];
        v[i].w = ta->w[i];
    }
    qsort(v, ta->n, sizeof *v, cmp_hw_h);
    size_t m = 0;
    for (size_t i = 0; i < ta->n; i++) {
        if (m > 0 && v[m - 1].h == v[i].h)
            v[m - 1].w += v[i].w;
        else
            v[m++] = v[i];
    }
    if (max_terms && m > max_terms) {
        qsort(v, m, sizeof *v, cmp_hw_w);
        m = max_terms;
        qsort(v, m, sizeof *v, cmp_hw_h);
    }
    d->terms = malloc(m * sizeof *d->terms);
    d->tf = malloc(m * sizeof *d->tf);
    if (!d->terms || !d->tf) {
        free(v);
        return MARSAD_E_NOMEM;
    }
    for (size_t i = 0; i < m; i++) {
        d->terms[i] = v[i].h;
        d->tf[i] = v[i].w;
    }
    d->nterms = m;
    free(v);
    return MARSAD_OK;
}

/* The token sequence: stem hashes and spans of the words and numbers. */
static marsad_status spans(mr_link_doc *d, const mr_toks *tv)
{
    size_t cap = tv->n ? tv->n : 1;
    d->h = malloc(cap * sizeof *d->h);
    d->start = malloc(cap * sizeof *d->start);
    d->end = malloc(cap * sizeof *d->end);
    if (!d->h || !d->start || !d->end)
        return MARSAD_E_NOMEM;
    for (size_t i = 0; i < tv->n; i++) {
        const mr_tok *t = &tv->v[i];
        if (t->kind == MARSAD_TOK_PUNCT || t->kind == MARSAD_TOK_SYMBOL)
            continue;
        d->h[d->n] = mr_link_hash_bytes(mr_tok_stem(tv, i), t->stem_len);
        d->start[d->n] = t->start;
        d->end[d->n] = t->end;
        d->n++;
    }
    return MARSAD_OK;
}

marsad_status mr_link_doc_spans(mr_link_doc *d, const mr_toks *tv)
{
    if (!d || !tv)
        return MARSAD_E_ARG;
    mr_link_doc_free(d);
    marsad_status rc = spans(d, tv);
    if (rc != MARSAD_OK)
        mr_link_doc_free(d);
    return rc;
}

/* Builds d from the body's tokens tv; the title is tokenised in scratch. */
static marsad_status build(mr_link_doc *d, const mr_toks *tv,
                           const char *title, size_t title_len,
                           const mr_link_params *p, mr_toks *scratch)
{
    marsad_status rc = spans(d, tv);
    if (rc != MARSAD_OK)
        return rc;
    termacc ta = {0};
    int in_lead = 1;
    size_t lead_words = 0;
    /* the terms and the lead's kinds of event: the same walk over the
     * words (d->h holds their hashes in order) */
    for (size_t i = 0, k = 0; i < tv->n && rc == MARSAD_OK; i++) {
        const mr_tok *t = &tv->v[i];
        if (in_lead && ends_lead(tv, i))
            in_lead = 0;
        if (t->kind == MARSAD_TOK_PUNCT || t->kind == MARSAD_TOK_SYMBOL)
            continue;
        if (in_lead) {
            d->lead_events |= mr_link_event_kinds(tv, i);
            in_lead = ++lead_words < LEAD_WORDS;
        }
        if (is_term(tv, i))
            rc = termacc_push(&ta, d->h[k], 1.0f);
        k++;
    }
    if (rc == MARSAD_OK && title && title_len) {
        rc = mr_toks_build(scratch, title, title_len, 0);
        for (size_t i = 0; rc == MARSAD_OK && i < scratch->n; i++) {
            d->lead_events |= mr_link_event_kinds(scratch, i);
            if (is_term(scratch, i))
                rc = termacc_push(&ta,
                                  mr_link_hash_bytes(mr_tok_stem(scratch, i),
                                                     scratch->v[i].stem_len),
                                  (float)p->title_weight);
        }
    }
    if (rc == MARSAD_OK)
        rc = finish_terms(d, &ta, p->max_terms);
    free(ta.h);
    free(ta.w);
    if (rc != MARSAD_OK)
        return rc;

    /* shingles: k consecutive stem hashes (a shorter report is one
     * shingle of all its tokens, so it can still match) */
    size_t k = p->shingle_k ? p->shingle_k : 1;
    size_t nsh = d->n >= k ? d->n - k + 1 : (d->n ? 1 : 0);
    d->shingles = malloc((nsh ? nsh : 1) * sizeof *d->shingles);
    if (!d->shingles)
        return MARSAD_E_NOMEM;
    for (size_t i = 0; i < nsh; i++) {
        /* stem hashes are already mixed: a multiply-xor chain and one
         * final mix are enough */
        uint64_t s = 0x9e3779b97f4a7c15ULL;
        for (size_t j = i; j < i + k && j < d->n; j++)
            s = (s ^ d->h[j]) * 0x100000001b3ULL + (uint64_t)(j - i);
        d->shingles[i] = mr_link_mix(s);
    }
    if (nsh >= 48) {
        uint64_t *tmp = malloc(nsh * sizeof *tmp);
        if (!tmp)
            return MARSAD_E_NOMEM;
        mr_link_sort_u64(d->shingles, nsh, tmp);
        free(tmp);
    } else {
        mr_link_sort_u64(d->shingles, nsh, NULL);
    }
    size_t m = 0;
    for (size_t i = 0; i < nsh; i++)
        if (m == 0 || d->shingles[m - 1] != d->shingles[i])
            d->shingles[m++] = d->shingles[i];
    d->nsh = m;

    /* MinHash: num_hashes permutations x -> a_i * x + b_i (a_i odd) of the
     * 64-bit shingle hashes, keeping the top 32 bits of the minimum */
    d->nsig = p->num_hashes;
    d->sig = malloc((d->nsig ? d->nsig : 1) * sizeof *d->sig);
    if (!d->sig)
        return MARSAD_E_NOMEM;
    /* Four permutations per pass over the shingles: four independent
     * minimum chains instead of one (a chain of compare-and-move waits on
     * the one before), each shingle loaded once per four; twelve values in
     * registers (eight spilled and ran slower). Same minima as one
     * permutation at a time. bench_minhash (make bench-peers), SaudiNewsNet,
     * 8.3 M shingles x 64: the signature 0.40-0.41 -> 0.24-0.25 s CPU. */
    size_t i = 0;
    for (; i + 4 <= d->nsig; i += 4) {
        const uint64_t a0 = mr_link_mix(0x1234567ULL + i) | 1u,
                       a1 = mr_link_mix(0x1234567ULL + i + 1) | 1u,
                       a2 = mr_link_mix(0x1234567ULL + i + 2) | 1u,
                       a3 = mr_link_mix(0x1234567ULL + i + 3) | 1u;
        const uint64_t b0 = mr_link_mix(0x7654321ULL + i),
                       b1 = mr_link_mix(0x7654321ULL + i + 1),
                       b2 = mr_link_mix(0x7654321ULL + i + 2),
                       b3 = mr_link_mix(0x7654321ULL + i + 3);
        uint64_t m0 = UINT64_MAX, m1 = UINT64_MAX, m2 = UINT64_MAX,
                 m3 = UINT64_MAX;
        for (size_t j = 0; j < d->nsh; j++) {
            uint64_t x = d->shingles[j];
            uint64_t v0 = a0 * x + b0, v1 = a1 * x + b1, v2 = a2 * x + b2,
                     v3 = a3 * x + b3;
            m0 = v0 < m0 ? v0 : m0;
            m1 = v1 < m1 ? v1 : m1;
            m2 = v2 < m2 ? v2 : m2;
            m3 = v3 < m3 ? v3 : m3;
        }
        d->sig[i] = (uint32_t)(m0 >> 32);
        d->sig[i + 1] = (uint32_t)(m1 >> 32);
        d->sig[i + 2] = (uint32_t)(m2 >> 32);
        d->sig[i + 3] = (uint32_t)(m3 >> 32);
    }
    for (; i < d->nsig; i++) { /* a length not a multiple of 4 */
        uint64_t a = mr_link_mix(0x1234567ULL + i) | 1u;
        uint64_t b = mr_link_mix(0x7654321ULL + i);
        uint64_t mn = UINT64_MAX;
        for (size_t j = 0; j < d->nsh; j++) {
            uint64_t v = a * d->shingles[j] + b;
            mn = v < mn ? v : mn;
        }
        d->sig[i] = (uint32_t)(mn >> 32);
    }
    return MARSAD_OK;
}

marsad_status mr_link_doc_build(mr_link_doc *d, const char *text, size_t len,
                                const char *title, size_t title_len,
                                const mr_link_params *p)
{
    if (!d || (!text && len) || !p || (!title && title_len))
        return MARSAD_E_ARG;
    mr_link_doc_free(d);
    mr_toks tv = {0};
    marsad_status rc = mr_toks_build(&tv, text ? text : "", len, 0);
    if (rc == MARSAD_OK)
        rc = build(d, &tv, title, title_len, p, &tv);
    mr_toks_free(&tv);
    if (rc != MARSAD_OK)
        mr_link_doc_free(d);
    return rc;
}

marsad_status mr_link_doc_build_toks(mr_link_doc *d, const mr_toks *tv,
                                     const char *title, size_t title_len,
                                     const mr_link_params *p)
{
    if (!d || !tv || !p || (!title && title_len))
        return MARSAD_E_ARG;
    mr_link_doc_free(d);
    mr_toks scratch = {0};
    marsad_status rc = build(d, tv, title, title_len, p, &scratch);
    mr_toks_free(&scratch);
    if (rc != MARSAD_OK)
        mr_link_doc_free(d);
    return rc;
}

/* ============================================================== Jaccard */

double mr_link_jaccard_est(const mr_link_doc *a, const mr_link_doc *b)
{
    if (!a || !b || !a->nsig || a->nsig != b->nsig)
        return 0.0;
    size_t eq = 0;
    for (size_t i = 0; i < a->nsig; i++)
        eq += a->sig[i] == b->sig[i];
    return (double)eq / (double)a->nsig;
}

size_t mr_link_shared(const mr_link_doc *a, const mr_link_doc *b)
{
    size_t i = 0, j = 0, inter = 0;
    /* a merge without branches on the order (they mispredict) */
    while (i < a->nsh && j < b->nsh) {
        uint64_t x = a->shingles[i], y = b->shingles[j];
        inter += x == y;
        i += x <= y;
        j += y <= x;
    }
    return inter;
}

double mr_link_jaccard(const mr_link_doc *a, const mr_link_doc *b)
{
    if (!a || !b || (a->nsh == 0 && b->nsh == 0))
        return 0.0;
    size_t inter = mr_link_shared(a, b);
    return (double)inter / (double)(a->nsh + b->nsh - inter);
}

/* ====================================================== near-duplicates */

uint64_t mr_link_band_key(const mr_link_doc *d, unsigned band, unsigned rows)
{
    uint64_t k = mr_link_mix(0xb5ad4eceda1ce2a9ULL + band);
    for (unsigned r = 0; r < rows; r++)
        k = mr_link_mix(k ^ d->sig[band * rows + r]);
    return k;
}

typedef struct bandent {
    uint64_t key;
    size_t doc;
} bandent;

static int cmp_bandent(const void *a, const void *b)
{
    const bandent *x = a, *y = b;
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    return (x->doc > y->doc) - (x->doc < y->doc);
}

static int cmp_pair(const void *a, const void *b)
{
    const mr_link_pair *x = a, *y = b;
    if (x->a != y->a)
        return (x->a > y->a) - (x->a < y->a);
    return (x->b > y->b) - (x->b < y->b);
}

#define MAX_BUCKET 64

marsad_status mr_link_near_dups(const mr_link_doc *docs, size_t n,
                                const mr_link_params *p, mr_link_pair **out,
                                size_t *nout)
{
    if (!out || !nout || !p || (!docs && n))
        return MARSAD_E_ARG;
    *out = NULL;
    *nout = 0;
    unsigned bands = p->bands ? p->bands : 1;
    unsigned rows = p->num_hashes / bands;
    if (rows == 0)
        return MARSAD_E_ARG;
    /* one band at a time: sort (key, doc), then pair within equal keys */
    bandent *be = malloc((n ? n : 1) * sizeof *be);
    uint64_t *seen = NULL; /* pair keys met, to avoid rechecking */
    size_t nseen = 0, capseen = 0;
    mr_link_pair *pv = NULL;
    size_t np = 0, capp = 0;
    marsad_status rc = be ? MARSAD_OK : MARSAD_E_NOMEM;
    for (unsigned band = 0; rc == MARSAD_OK && band < bands; band++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (docs[i].nsh == 0 || docs[i].nsig != p->num_hashes)
                continue;
            be[m].key = mr_link_band_key(&docs[i], band, rows);
            be[m].doc = i;
            m++;
        }
        qsort(be, m, sizeof *be, cmp_bandent);
        for (size_t s = 0; rc == MARSAD_OK && s < m;) {
            size_t e = s;
            while (e < m && be[e].key == be[s].key)
                e++;
            size_t lim = e - s > MAX_BUCKET ? s + MAX_BUCKET : e;
            for (size_t x = s; rc == MARSAD_OK && x < lim; x++)
                for (size_t y = x + 1; y < lim; y++) {
                    if (nseen == capseen) {
                        size_t nc = capseen ? capseen * 2 : 1024;
                        uint64_t *ns = realloc(seen, nc * sizeof *ns);
                        if (!ns) {
                            rc = MARSAD_E_NOMEM;
                            break;
                        }
                        seen = ns;
                        capseen = nc;
                    }
                    seen[nseen++] =
                        ((uint64_t)be[x].doc << 32) | (uint64_t)be[y].doc;
                }
            s = e;
        }
    }
    if (rc == MARSAD_OK) {
        if (nseen)
            qsort(seen, nseen, sizeof *seen, cmp_u64);
        for (size_t i = 0; rc == MARSAD_OK && i < nseen; i++) {
            if (i > 0 && seen[i] == seen[i - 1])
                continue;
            size_t a = (size_t)(seen[i] >> 32), b = (size_t)(seen[i] & 0xffffffffu);
            double est = mr_link_jaccard_est(&docs[a], &docs[b]);
            if (est < p->candidate)
                continue;
            double j = mr_link_jaccard(&docs[a], &docs[b]);
            if (j < p->near_dup)
                continue;
            if (np == capp) {
                size_t nc = capp ? capp * 2 : 64;
                mr_link_pair *nv = realloc(pv, nc * sizeof *nv);
                if (!nv) {
                    rc = MARSAD_E_NOMEM;
                    break;
                }
                pv = nv;
                capp = nc;
            }
            pv[np].a = a;
            pv[np].b = b;
            pv[np].estimate = est;
            pv[np].jaccard = j;
            np++;
        }
    }
    free(be);
    free(seen);
    if (rc != MARSAD_OK) {
        free(pv);
        return rc;
    }
    if (np)
        qsort(pv, np, sizeof *pv, cmp_pair);
    *out = pv;
    *nout = np;
    return MARSAD_OK;
}
