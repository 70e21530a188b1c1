/*
 * reuse.c: which pairs of reports to align, and their passages.
 */
#include <stdlib.h>
#include <string.h>

#include "link/link_internal.h"

/* Story pairs, bounded per report: each report of a story is aligned with
 * the STORY_PARTNERS others it shares most shingles with (a pair is
 * aligned when either end keeps it), so a story of m reports gives at
 * most STORY_PARTNERS * m pairs, not m^2 / 2. A story of up to
 * STORY_PARTNERS + 1 reports compares all its pairs; one of up to
 * STORY_PAIRS counts the shingles each pair shares exactly (a merge per
 * pair); in a larger one the counts come from the story's shingle
 * postings: in each shingle's posting (the story's reports holding it,
 * in their order) a report meets the next POSTING_WINDOW. The work per
 * report is bounded by its shingles, not by its story's size. */
#define STORY_PARTNERS 8
#define STORY_PAIRS 64
#define POSTING_WINDOW 16

typedef struct pk {
    size_t a, b;
} pk;

static int cmp_pk(const void *x, const void *y)
{
    const pk *p = x, *q = y;
    if (p->a != q->a)
        return (p->a > q->a) - (p->a < q->a);
    return (p->b > q->b) - (p->b < q->b);
}

static marsad_status push_pk(pk **v, size_t *n, size_t *cap, size_t a, size_t b)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        pk *nv = realloc(*v, nc * sizeof *nv);
        if (!nv)
            return MARSAD_E_NOMEM;
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = a < b ? (pk){a, b} : (pk){b, a};
    return MARSAD_OK;
}

typedef struct sidx {
    long story;
    size_t doc;
} sidx;

static int cmp_sidx(const void *x, const void *y)
{
    const sidx *p = x, *q = y;
    if (p->story != q->story)
        return (p->story > q->story) - (p->story < q->story);
    return (p->doc > q->doc) - (p->doc < q->doc);
}

/* A pair of a story's reports (indexes in sv, a < b) and the shingles it
 * shares. */
typedef struct pair_sh {
    pk p;
    size_t shared;
} pair_sh;

/* One report's partners, most shared first, then in story order. */
typedef struct partner {
    size_t other, shared;
} partner;

static int cmp_partner(const void *x, const void *y)
{
    const partner *p = x, *q = y;
    if (p->shared != q->shared)
        return p->shared < q->shared ? 1 : -1;
    return (p->other > q->other) - (p->other < q->other);
}

/* Of the pairs ps[0..n) of the story sv[0..m), each report keeps the keep
 * partners it shares most shingles with (ties in story order); a pair is
 * pushed (as a pair of docs) when either end keeps it, so a story gives at
 * most keep * m pairs. */
static marsad_status keep_best(const sidx *sv, size_t m, const pair_sh *ps,
                               size_t n, size_t keep, pk **pv, size_t *np,
                               size_t *capp)
{
    if (!n)
        return MARSAD_OK;
    partner *pa = malloc(2 * n * sizeof *pa);
    size_t *first = calloc(m + 1, sizeof *first);
    size_t *fill = malloc(m * sizeof *fill);
    marsad_status rc = pa && first && fill ? MARSAD_OK : MARSAD_E_NOMEM;
    if (rc == MARSAD_OK) {
        for (size_t i = 0; i < n; i++) {
            first[ps[i].p.a + 1]++;
            first[ps[i].p.b + 1]++;
        }
        for (size_t i = 0; i < m; i++)
            first[i + 1] += first[i];
        for (size_t i = 0; i < m; i++)
            fill[i] = first[i];
        for (size_t i = 0; i < n; i++) {
            pa[fill[ps[i].p.a]++] = (partner){ps[i].p.b, ps[i].shared};
            pa[fill[ps[i].p.b]++] = (partner){ps[i].p.a, ps[i].shared};
        }
    }
    for (size_t r = 0; rc == MARSAD_OK && r < m; r++) {
        size_t k = first[r + 1] - first[r];
        partner *v = pa + first[r];
        if (k > keep) {
            qsort(v, k, sizeof *v, cmp_partner);
            k = keep;
        }
        /* both ends push a pair both keep: mr_link_reuse drops the copy */
        for (size_t x = 0; rc == MARSAD_OK && x < k; x++)
            rc = push_pk(pv, np, capp, sv[r].doc, sv[v[x].other].doc);
    }
    free(pa);
    free(first);
    free(fill);
    return rc;
}

/* The pairs of a story larger than STORY_PAIRS, sv[0..m) (sorted by doc),
 * pushed as pairs of docs: each report keeps the keep it meets most often
 * in the shingle postings (see STORY_PARTNERS). The postings are one
 * sorted array of keys (a shingle's hash in the high bits, the report's
 * index in sv in the low ones: two shingles whose hashes differ only in
 * those low bits share a posting, about never), the meets another (a
 * pair's indexes in the two halves), both radix-sorted. */
static marsad_status story_meets(const mr_link_doc *docs, const sidx *sv,
                                 size_t m, size_t keep, pk **pv, size_t *np,
                                 size_t *capp)
{
    unsigned bits = 1;
    while (bits < 32 && ((size_t)1 << bits) < m)
        bits++;
    const uint64_t low = ((uint64_t)1 << bits) - 1;
    size_t ne = 0;
    for (size_t i = 0; i < m; i++)
        ne += docs[sv[i].doc].nsh;
    uint64_t *ps = malloc((ne ? 2 * ne : 1) * sizeof *ps);
    if (!ps)
        return MARSAD_E_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        const mr_link_doc *d = &docs[sv[i].doc];
        for (size_t s = 0; s < d->nsh; s++)
            ps[k++] = (d->shingles[s] & ~low) | (uint64_t)i;
    }
    mr_link_sort_u64(ps, ne, ps + ne);
    /* each report meets the next POSTING_WINDOW of each posting */
    uint64_t *mv = NULL;
    size_t nm = 0, capm = 0;
    marsad_status rc = MARSAD_OK;
    for (size_t i = 0; rc == MARSAD_OK && i < ne;) {
        size_t j = i;
        while (j < ne && (ps[j] & ~low) == (ps[i] & ~low))
            j++;
        for (size_t t = i; rc == MARSAD_OK && t < j; t++)
            for (size_t u = t + 1; u < j && u <= t + POSTING_WINDOW; u++) {
                uint64_t x = ps[t] & low, y = ps[u] & low;
                if (x == y)
                    continue; /* one report's two shingles */
                if (nm == capm) {
                    size_t nc = capm ? capm * 2 : 1024;
                    /* twice the room: the radix sort's buffer */
                    uint64_t *nv = realloc(mv, 2 * nc * sizeof *nv);
                    if (!nv) {
                        rc = MARSAD_E_NOMEM;
                        break;
                    }
                    mv = nv;
                    capm = nc;
                }
                mv[nm++] = x << 32 | y;
            }
        i = j;
    }
    free(ps);
    /* the distinct pairs, with the shingles each shares */
    pair_sh *pr = NULL;
    size_t nd = 0;
    if (rc == MARSAD_OK && nm) {
        mr_link_sort_u64(mv, nm, mv + capm);
        pr = malloc(nm * sizeof *pr);
        if (!pr)
            rc = MARSAD_E_NOMEM;
        for (size_t i = 0; pr && i < nm; i++) {
            if (nd && i && mv[i] == mv[i - 1])
                pr[nd - 1].shared++;
            else
                pr[nd++] = (pair_sh){{(size_t)(mv[i] >> 32),
                                      (size_t)(mv[i] & 0xffffffffu)},
                                     1};
        }
    }
    free(mv);
    if (rc == MARSAD_OK)
        rc = keep_best(sv, m, pr, nd, keep, pv, np, capp);
    free(pr);
    return rc;
}

/* The pairs of a story sv[0..m) of at most STORY_PAIRS reports: the
 * shingles each pair shares, counted exactly; each report keeps the keep
 * it shares most with. */
static marsad_status story_small(const mr_link_doc *docs, const sidx *sv,
                                 size_t m, size_t keep, pk **pv, size_t *np,
                                 size_t *capp)
{
    pair_sh *ps = malloc((m * (m - 1) / 2 + 1) * sizeof *ps);
    if (!ps)
        return MARSAD_E_NOMEM;
    size_t n = 0;
    for (size_t a = 0; a < m; a++)
        for (size_t b = a + 1; b < m; b++) {
            size_t sh = mr_link_shared(&docs[sv[a].doc], &docs[sv[b].doc]);
            if (sh)
                ps[n++] = (pair_sh){{a, b}, sh};
        }
    marsad_status rc = keep_best(sv, m, ps, n, keep, pv, np, capp);
    free(ps);
    return rc;
}

void mr_reuse_free(mr_reuse *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i].passages);
    free(v);
}

marsad_status mr_link_reuse(const mr_link_doc *docs, size_t n,
                            const struct mr_cluster *c,
                            const char *const *ids, const mr_link_params *p,
                            mr_reuse **out, size_t *nout)
{
    if (!out || !nout || !p || (!docs && n) || (c && !ids))
        return MARSAD_E_ARG;
    *out = NULL;
    *nout = 0;
    pk *pv = NULL;
    size_t np = 0, capp = 0;
    mr_link_pair *nd = NULL;
    size_t nnd = 0;
    const size_t keep = STORY_PARTNERS;
    marsad_status rc = mr_link_near_dups(docs, n, p, &nd, &nnd);
    for (size_t i = 0; rc == MARSAD_OK && i < nnd; i++)
        rc = push_pk(&pv, &np, &capp, nd[i].a, nd[i].b);
    free(nd);
    if (rc == MARSAD_OK && c && n) {
        sidx *sv = malloc(n * sizeof *sv);
        if (!sv)
            rc = MARSAD_E_NOMEM;
        size_t m = 0;
        for (size_t i = 0; rc == MARSAD_OK && i < n; i++) {
            long s = ids[i] ? mr_cluster_story_of(c, ids[i]) : -1;
            if (s >= 0)
                sv[m++] = (sidx){s, i};
        }
        if (rc == MARSAD_OK && m)
            qsort(sv, m, sizeof *sv, cmp_sidx);
        /* each story: all its pairs when small, else each report's
         * STORY_PARTNERS best (story_small, story_meets) */
        for (size_t i = 0; rc == MARSAD_OK && i < m;) {
            size_t j = i;
            while (j < m && sv[j].story == sv[i].story)
                j++;
            if (j - i <= keep + 1)
                for (size_t a = i; rc == MARSAD_OK && a < j; a++)
                    for (size_t b = a + 1; rc == MARSAD_OK && b < j; b++)
                        rc = push_pk(&pv, &np, &capp, sv[a].doc, sv[b].doc);
            else if (j - i <= STORY_PAIRS)
                rc = story_small(docs, sv + i, j - i, keep, &pv, &np, &capp);
            else
                rc = story_meets(docs, sv + i, j - i, keep, &pv, &np, &capp);
            i = j;
        }
        free(sv);
    }
    mr_reuse *rv = NULL;
    size_t nr = 0;
    mr_passage_ws *w = NULL;
    if (rc == MARSAD_OK && np)
        rc = mr_passage_ws_new(&w);
    if (rc == MARSAD_OK && np) {
        qsort(pv, np, sizeof *pv, cmp_pk);
        rv = calloc(np, sizeof *rv);
        if (!rv)
            rc = MARSAD_E_NOMEM;
        for (size_t i = 0; rc == MARSAD_OK && i < np; i++) {
            if (i && pv[i].a == pv[i - 1].a && pv[i].b == pv[i - 1].b)
                continue;
            mr_reuse *r = &rv[nr];
            r->a = pv[i].a;
            r->b = pv[i].b;
            r->similarity = mr_link_jaccard(&docs[r->a], &docs[r->b]);
            r->near_dup = r->similarity >= p->near_dup;
            /* A passage grows from a seed, seed_n equal stems in a row:
             * with seed_n >= shingle_k both reports then hold the same
             * shingle, so a pair that shares none (Jaccard 0, exact)
             * has no passage and is not aligned. */
            r->passages = NULL;
            r->npassages = 0;
            if (r->similarity > 0.0 || p->seed_n < p->shingle_k)
                rc = mr_link_passages_ws(&docs[r->a], &docs[r->b], p, w,
                                         &r->passages, &r->npassages);
            if (rc == MARSAD_OK && (r->near_dup || r->npassages))
                nr++;
            else {
                free(r->passages);
                r->passages = NULL;
            }
        }
    }
    mr_passage_ws_free(w);
    free(pv);
    if (rc != MARSAD_OK) {
        mr_reuse_free(rv, nr);
        return rc;
    }
    if (!nr) {
        free(rv);
        rv = NULL;
    }
    *out = rv;
    *nout = nr;
    return MARSAD_OK;
}
