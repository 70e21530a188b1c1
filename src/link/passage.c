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

typedef struct seedtab {
    uint64_t *key;
    long *head;  /* first position in b, -1 = empty slot */
    size_t *cnt;
    size_t mask;
    long *next;  /* next position with the same seed, -1 = end */
} seedtab;

static uint64_t seed_hash(const uint64_t *h, size_t n)
{
    uint64_t s = 0x243f6a8885a308d3ULL;
    for (size_t i = 0; i < n; i++)
        s = mr_link_mix(s ^ h[i]);
    return s;
}

static void seedtab_free(seedtab *t)
{
    free(t->key);
    free(t->head);
    free(t->cnt);
    free(t->next);
}

static marsad_status seedtab_build(seedtab *t, const mr_link_doc *b, size_t n)
{
    memset(t, 0, sizeof *t);
    size_t ns = b->n >= n ? b->n - n + 1 : 0;
    size_t cap = 16;
    while (cap < 2 * ns + 1)
        cap *= 2;
    t->mask = cap - 1;
    t->key = malloc(cap * sizeof *t->key);
    t->head = malloc(cap * sizeof *t->head);
    t->cnt = calloc(cap, sizeof *t->cnt);
    t->next = malloc((ns ? ns : 1) * sizeof *t->next);
    if (!t->key || !t->head || !t->cnt || !t->next)
        return MARSAD_E_NOMEM;
    for (size_t i = 0; i < cap; i++)
        t->head[i] = -1;
    /* insert backwards so chains run in increasing position order */
    for (size_t j = ns; j-- > 0;) {
        uint64_t k = seed_hash(b->h + j, n);
        size_t s = (size_t)k & t->mask;
        while (t->head[s] >= 0 && t->key[s] != k)
            s = (s + 1) & t->mask;
        t->key[s] = k;
        t->next[j] = t->head[s];
        t->head[s] = (long)j;
        t->cnt[s]++;
    }
    return MARSAD_OK;
}

static size_t seedtab_find(const seedtab *t, uint64_t k)
{
    size_t s = (size_t)k & t->mask;
    while (t->head[s] >= 0 && t->key[s] != k)
        s = (s + 1) & t->mask;
    return s;
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

marsad_status mr_link_passages(const mr_link_doc *a, const mr_link_doc *b,
                               const mr_link_params *p, mr_passage **out,
                               size_t *nout)
{
    if (!a || !b || !p || !out || !nout)
        return MARSAD_E_ARG;
    *out = NULL;
    *nout = 0;
    size_t n = p->seed_n ? p->seed_n : 1;
    if (a->n < n || b->n < n)
        return MARSAD_OK;
    seedtab t;
    marsad_status rc = seedtab_build(&t, b, n);
    cand *cv = NULL;
    size_t nc = 0, capc = 0;
    size_t ns = a->n - n + 1;
    for (size_t i = 0; rc == MARSAD_OK && i < ns; i++) {
        size_t s = seedtab_find(&t, seed_hash(a->h + i, n));
        if (t.head[s] < 0 || t.cnt[s] > p->max_seed_occ)
            continue;
        for (long jj = t.head[s]; rc == MARSAD_OK && jj >= 0; jj = t.next[jj]) {
            size_t j = (size_t)jj;
            /* inside a candidate already found? */
            int inside = 0;
            for (size_t c = nc; c-- > 0 && !inside;)
                if (i >= cv[c].a0 && i < cv[c].a1 && j >= cv[c].b0 &&
                    j < cv[c].b1)
                    inside = 1;
            if (inside)
                continue;
            size_t matched = n, a0, b0, a1, b1;
            extend_bwd(a, b, i, j, p->max_gap, &a0, &b0, &matched);
            extend_fwd(a, b, i + n, j + n, p->max_gap, &a1, &b1, &matched);
            if (nc == capc) {
                size_t ncap = capc ? capc * 2 : 32;
                cand *nv = realloc(cv, ncap * sizeof *nv);
                if (!nv) {
                    rc = MARSAD_E_NOMEM;
                    break;
                }
                cv = nv;
                capc = ncap;
            }
            cv[nc++] = (cand){a0, a1, b0, b1, matched};
        }
    }
    seedtab_free(&t);
    mr_passage *pv = NULL;
    size_t np = 0;
    unsigned char *ua = NULL, *ub = NULL;
    if (rc == MARSAD_OK && nc) {
        qsort(cv, nc, sizeof *cv, cmp_cand);
        ua = calloc(a->n, 1);
        ub = calloc(b->n, 1);
        pv = malloc(nc * sizeof *pv);
        if (!ua || !ub || !pv)
            rc = MARSAD_E_NOMEM;
        for (size_t c = 0; rc == MARSAD_OK && c < nc; c++) {
            const cand *k = &cv[c];
            if (k->matched < p->min_tokens)
                break; /* sorted: the rest are shorter */
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
    free(ua);
    free(ub);
    free(cv);
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
