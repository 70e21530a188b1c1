/*
 * passage.c: passages two reports share.
 *
 * 1. Index b's seeds (seed_n consecutive stem hashes) in an open-addressing
 *    table with chains of positions; seeds met more than max_seed_occ
 *    times in b are formulas and are not used.
 * 2. For each seed of a found in b (and not inside a passage already
 *    found), extend forwards and backwards: equal tokens are taken one by
 *    one; at a difference, look for the nearest place (at most max_gap
 *    tokens ahead on each side) where two equal tokens follow, and go on
 *    from there. The passage ends at its last equal token.
 * 3. Keep the candidates with at least min_tokens equal tokens, longest
 *    first, each token of a and of b used by one passage at most.
 *
 * Cost: O(n_a + n_b) for the index and the scan, plus the extensions,
 * each bounded by the passage length times max_gap^2.
 */
#include <stdlib.h>
#include <string.h>

#include "link/link_internal.h"

typedef struct cand {
    size_t a0, a1, b0, b1; /* token ranges [a0, a1), [b0, b1) */
    size_t matched;
} cand;

/* b's seeds: an open-addressing table (a slot is taken when its stamp is
 * the current pass) with chains of positions. Kept in a workspace from
 * pair to pair (mr_passage_ws), so a pair costs no allocation and no
 * clearing once the buffers are large enough. */
typedef struct seedtab {
    uint64_t *key;
    long *head;  /* first position in b */
    size_t *cnt;
    unsigned *stamp; /* == gen: the slot is taken in this pass */
    size_t mask;
    long *next;  /* next position with the same seed, -1 = end */
} seedtab;

struct mr_passage_ws {
    seedtab t;
    size_t tcap;   /* slots allocated */
    size_t ncap;   /* positions allocated in t.next */
    unsigned gen;
    cand *cv;
    size_t capc;
    unsigned char *used; /* tokens of a, then of b, taken by a passage */
    size_t capu;
};

/* The seed at h[0..n): each stem hash turned by its own amount, so the
 * order counts, then mixed once (stem hashes are already spread). */
static inline uint64_t seed_hash(const uint64_t *h, size_t n)
{
    uint64_t s = 0x243f6a8885a308d3ULL;
    for (size_t i = 0; i < n; i++) {
        unsigned r = (unsigned)(i * 23 % 64);
        s ^= r ? (h[i] << r) | (h[i] >> (64 - r)) : h[i];
    }
    return mr_link_mix(s);
}

marsad_status mr_passage_ws_new(mr_passage_ws **out)
{
    if (!out)
        return MARSAD_E_ARG;
    *out = calloc(1, sizeof **out);
    return *out ? MARSAD_OK : MARSAD_E_NOMEM;
}

/* The table's slot arrays (not its chains). */
static void seedtab_free_slots(seedtab *t)
{
    free(t->key);
    free(t->head);
    free(t->cnt);
    free(t->stamp);
}

void mr_passage_ws_free(mr_passage_ws *w)
{
    if (!w)
        return;
    seedtab_free_slots(&w->t);
    free(w->t.next);
    free(w->cv);
    free(w->used);
    free(w);
}

static marsad_status seedtab_build(mr_passage_ws *w, const mr_link_doc *b,
                                   size_t n)
{
    seedtab *t = &w->t;
    size_t ns = b->n >= n ? b->n - n + 1 : 0;
    size_t cap = 16;
    while (cap < 2 * ns + 1)
        cap *= 2;
    if (cap > w->tcap) {
        seedtab_free_slots(t);
        t->key = malloc(cap * sizeof *t->key);
        t->head = malloc(cap * sizeof *t->head);
        t->cnt = malloc(cap * sizeof *t->cnt);
        t->stamp = calloc(cap, sizeof *t->stamp);
        w->tcap = t->key && t->head && t->cnt && t->stamp ? cap : 0;
        if (!w->tcap)
            return MARSAD_E_NOMEM;
        w->gen = 0;
    }
    if (ns > w->ncap) {
        long *nv = realloc(t->next, ns * sizeof *nv);
        if (!nv)
            return MARSAD_E_NOMEM;
        t->next = nv;
        w->ncap = ns;
    }
    /* a table smaller than allocated: the low slots, same probing */
    t->mask = cap - 1;
    if (++w->gen == 0) { /* stamps wrapped: clear them once */
        memset(t->stamp, 0, w->tcap * sizeof *t->stamp);
        w->gen = 1;
    }
    unsigned g = w->gen;
    /* insert backwards so chains run in increasing position order */
    for (size_t j = ns; j-- > 0;) {
        uint64_t k = seed_hash(b->h + j, n);
        size_t s = (size_t)k & t->mask;
        while (t->stamp[s] == g && t->key[s] != k)
            s = (s + 1) & t->mask;
        if (t->stamp[s] != g) {
            t->stamp[s] = g;
            t->key[s] = k;
            t->head[s] = -1;
            t->cnt[s] = 0;
        }
        t->next[j] = t->head[s];
        t->head[s] = (long)j;
        t->cnt[s]++;
    }
    return MARSAD_OK;
}

/* The slot of seed k, or (size_t)-1 when b has none. */
static size_t seedtab_find(const mr_passage_ws *w, uint64_t k)
{
    const seedtab *t = &w->t;
    size_t s = (size_t)k & t->mask;
    while (t->stamp[s] == w->gen) {
        if (t->key[s] == k)
            return s;
        s = (s + 1) & t->mask;
    }
    return (size_t)-1;
}

/*
 * Extends a match forward from a[ai], b[bj] (the first positions after
 * the matched part). Returns the positions after the last equal token in
 * *ae, *be and adds the equal tokens to *matched.
 */
static void extend_fwd(const mr_link_doc *a, const mr_link_doc *b, size_t ai,
                       size_t bj, unsigned gap, size_t *ae, size_t *be,
                       size_t *matched)
{
    *ae = ai;
    *be = bj;
    for (;;) {
        if (ai < a->n && bj < b->n && a->h[ai] == b->h[bj]) {
            ai++;
            bj++;
            (*matched)++;
            *ae = ai;
            *be = bj;
            continue;
        }
        /* resync: nearest (da, db), smallest da + db, where two equal
         * tokens follow */
        int found = 0;
        for (unsigned sum = 1; !found && sum <= 2 * gap; sum++)
            for (unsigned da = 0; da <= sum && da <= gap; da++) {
                unsigned db = sum - da;
                if (db > gap)
                    continue;
                size_t x = ai + da, y = bj + db;
                if (x + 1 < a->n && y + 1 < b->n && a->h[x] == b->h[y] &&
                    a->h[x + 1] == b->h[y + 1]) {
                    ai = x;
                    bj = y;
                    found = 1;
                    break;
                }
            }
        if (!found)
            return;
    }
}

/* The same backwards: a[ai - 1], b[bj - 1] are the first tokens before the
 * match; returns the first matched positions in *as, *bs. */
static void extend_bwd(const mr_link_doc *a, const mr_link_doc *b, size_t ai,
                       size_t bj, unsigned gap, size_t *as, size_t *bs,
                       size_t *matched)
{
    *as = ai;
    *bs = bj;
    for (;;) {
        if (ai > 0 && bj > 0 && a->h[ai - 1] == b->h[bj - 1]) {
            ai--;
            bj--;
            (*matched)++;
            *as = ai;
            *bs = bj;
            continue;
        }
        int found = 0;
        for (unsigned sum = 1; !found && sum <= 2 * gap; sum++)
            for (unsigned da = 0; da <= sum && da <= gap; da++) {
                unsigned db = sum - da;
                if (db > gap)
                    continue;
                /* the pair a[x-2..x), b[y-2..y) must be equal */
                if (ai < da + 2 || bj < db + 2)
                    continue;
                size_t x = ai - da, y = bj - db;
                if (a->h[x - 1] == b->h[y - 1] && a->h[x - 2] == b->h[y - 2]) {
                    ai = x;
                    bj = y;
                    found = 1;
                    break;
                }
            }
        if (!found)
            return;
    }
}

static int cmp_cand(const void *x, const void *y)
{
    const cand *p = x, *q = y;
    if (p->matched != q->matched)
        return p->matched < q->matched ? 1 : -1;
    if (p->a0 != q->a0)
        return p->a0 < q->a0 ? -1 : 1;
    return (p->b0 > q->b0) - (p->b0 < q->b0);
}

static int cmp_passage(const void *x, const void *y)
{
    const mr_passage *p = x, *q = y;
    if (p->a_start != q->a_start)
        return p->a_start < q->a_start ? -1 : 1;
    return (p->b_start > q->b_start) - (p->b_start < q->b_start);
}

marsad_status mr_link_passages_ws(const mr_link_doc *a, const mr_link_doc *b,
                                  const mr_link_params *p, mr_passage_ws *w,
                                  mr_passage **out, size_t *nout)
{
    if (!a || !b || !p || !w || !out || !nout)
        return MARSAD_E_ARG;
    *out = NULL;
    *nout = 0;
    size_t n = p->seed_n ? p->seed_n : 1;
    if (a->n < n || b->n < n)
        return MARSAD_OK;
    marsad_status rc = seedtab_build(w, b, n);
    const seedtab *t = &w->t;
    size_t nc = 0;
    size_t ns = a->n - n + 1;
    for (size_t i = 0; rc == MARSAD_OK && i < ns; i++) {
        size_t s = seedtab_find(w, seed_hash(a->h + i, n));
        if (s == (size_t)-1 || t->cnt[s] > p->max_seed_occ)
            continue;
        for (long jj = t->head[s]; rc == MARSAD_OK && jj >= 0;
             jj = t->next[jj]) {
            size_t j = (size_t)jj;
            /* inside a candidate already found? */
            int inside = 0;
            for (size_t c = nc; c-- > 0 && !inside;)
                if (i >= w->cv[c].a0 && i < w->cv[c].a1 &&
                    j >= w->cv[c].b0 && j < w->cv[c].b1)
                    inside = 1;
            if (inside)
                continue;
            size_t matched = n, a0, b0, a1, b1;
            extend_bwd(a, b, i, j, p->max_gap, &a0, &b0, &matched);
            extend_fwd(a, b, i + n, j + n, p->max_gap, &a1, &b1, &matched);
            if (nc == w->capc) {
                size_t ncap = w->capc ? w->capc * 2 : 32;
                cand *nv = realloc(w->cv, ncap * sizeof *nv);
                if (!nv) {
                    rc = MARSAD_E_NOMEM;
                    break;
                }
                w->cv = nv;
                w->capc = ncap;
            }
            w->cv[nc++] = (cand){a0, a1, b0, b1, matched};
        }
    }
    cand *cv = w->cv;
    mr_passage *pv = NULL;
    size_t np = 0;
    if (rc == MARSAD_OK && nc) {
        qsort(cv, nc, sizeof *cv, cmp_cand);
        size_t keep = 0; /* candidates long enough (sorted: a prefix) */
        while (keep < nc && cv[keep].matched >= p->min_tokens)
            keep++;
        if (keep && a->n + b->n > w->capu) {
            free(w->used);
            w->used = malloc(a->n + b->n);
            w->capu = w->used ? a->n + b->n : 0;
            if (!w->used)
                rc = MARSAD_E_NOMEM;
        }
        if (rc == MARSAD_OK && keep) {
            pv = malloc(keep * sizeof *pv);
            if (!pv)
                rc = MARSAD_E_NOMEM;
        }
        unsigned char *ua = w->used, *ub = w->used + a->n;
        if (rc == MARSAD_OK && keep)
            memset(ua, 0, a->n + b->n);
        for (size_t c = 0; rc == MARSAD_OK && c < keep; c++) {
            const cand *k = &cv[c];
            int clash = 0;
            for (size_t x = k->a0; x < k->a1 && !clash; x++)
                clash = ua[x];
            for (size_t y = k->b0; y < k->b1 && !clash; y++)
                clash = ub[y];
            if (clash)
                continue;
            memset(ua + k->a0, 1, k->a1 - k->a0);
            memset(ub + k->b0, 1, k->b1 - k->b0);
            pv[np++] = (mr_passage){a->start[k->a0], a->end[k->a1 - 1],
                                    b->start[k->b0], b->end[k->b1 - 1],
                                    (uint32_t)k->matched,
                                    (uint32_t)(k->a1 - k->a0),
                                    (uint32_t)(k->b1 - k->b0)};
        }
    }
    if (rc != MARSAD_OK) {
        free(pv);
        return rc;
    }
    if (np)
        qsort(pv, np, sizeof *pv, cmp_passage);
    else {
        free(pv);
        pv = NULL;
    }
    *out = pv;
    *nout = np;
    return MARSAD_OK;
}

marsad_status mr_link_passages(const mr_link_doc *a, const mr_link_doc *b,
                               const mr_link_params *p, mr_passage **out,
                               size_t *nout)
{
    if (!a || !b || !p || !out || !nout)
        return MARSAD_E_ARG;
    mr_passage_ws *w;
    marsad_status rc = mr_passage_ws_new(&w);
    if (rc == MARSAD_OK)
        rc = mr_link_passages_ws(a, b, p, w, out, nout);
    mr_passage_ws_free(w);
    return rc;
}

int mr_link_direction(const char *a_published, const char *b_published)
{
    if (!a_published || !b_published || !*a_published || !*b_published)
        return 0;
    /* compare the date part only; ISO strings order as text */
    size_t la = strlen(a_published), lb = strlen(b_published);
    size_t l = la < lb ? la : lb;
    if (l > 10)
        l = 10;
    int c = strncmp(a_published, b_published, l);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
}
