/*
 * reuse.c: which pairs of reports to align, and their passages.
 */
#include <stdlib.h>
#include <string.h>

#include "link/link_internal.h"

/* A story of up to STORY_PAIRS reports compares all its pairs; in a larger
 * one each report is compared with at most STORY_PAIRS - 1 others, found
 * through the story's shingle postings: in each shingle's posting (the
 * story's reports holding it, in their order) a report meets the next
 * POSTING_WINDOW, and of the reports it meets it keeps those it shares most
 * shingles with. The work per report is bounded by its shingles, not by
 * its story's size. */
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

/* A shingle of a story's report: (hash, the report's index in sv). */
typedef struct post {
    uint64_t h;
    size_t at;
} post;

static int cmp_post(const void *x, const void *y)
{
    const post *p = x, *q = y;
    if (p->h != q->h)
        return (p->h > q->h) - (p->h < q->h);
    return (p->at > q->at) - (p->at < q->at);
}

/* A candidate pair (indexes in sv, a < b; first, so cmp_pk orders them)
 * and the shingles it shares. */
typedef struct meet {
    pk p;
    size_t shared;
} meet;

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

/* The pairs of a story larger than STORY_PAIRS, sv[0..m) (sorted by doc),
 * pushed as pairs of docs (see STORY_PAIRS). */
static marsad_status story_meets(const mr_link_doc *docs, const sidx *sv,
                                 size_t m, pk **pv, size_t *np, size_t *capp)
{
    size_t ne = 0;
    for (size_t i = 0; i < m; i++)
        ne += docs[sv[i].doc].nsh;
    post *ps = malloc((ne ? ne : 1) * sizeof *ps);
    if (!ps)
        return MARSAD_E_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        const mr_link_doc *d = &docs[sv[i].doc];
        for (size_t s = 0; s < d->nsh; s++)
            ps[k++] = (post){d->shingles[s], i};
    }
    qsort(ps, ne, sizeof *ps, cmp_post);
    /* each report meets the next POSTING_WINDOW of each posting */
    meet *mv = NULL;
    size_t nm = 0, capm = 0;
    marsad_status rc = MARSAD_OK;
    for (size_t i = 0; rc == MARSAD_OK && i < ne;) {
        size_t j = i;
        while (j < ne && ps[j].h == ps[i].h)
            j++;
        for (size_t t = i; rc == MARSAD_OK && t < j; t++)
            for (size_t u = t + 1; u < j && u <= t + POSTING_WINDOW; u++) {
                if (nm == capm) {
                    size_t nc = capm ? capm * 2 : 1024;
                    meet *nv = realloc(mv, nc * sizeof *nv);
                    if (!nv) {
                        rc = MARSAD_E_NOMEM;
                        break;
                    }
                    mv = nv;
                    capm = nc;
                }
                mv[nm++] = (meet){{ps[t].at, ps[u].at}, 1};
            }
        i = j;
    }
    free(ps);
    /* the distinct pairs, with the shingles each shares */
    size_t nd = 0;
    if (rc == MARSAD_OK && nm) {
        qsort(mv, nm, sizeof *mv, cmp_pk);
        for (size_t i = 0; i < nm; i++) {
            if (nd && mv[nd - 1].p.a == mv[i].p.a &&
                mv[nd - 1].p.b == mv[i].p.b)
                mv[nd - 1].shared++;
            else
                mv[nd++] = mv[i];
        }
    }
    /* each report's partners (both ends of each pair), grouped by report:
     * its best STORY_PAIRS - 1 are kept */
    partner *pa = NULL;
    size_t *first = NULL;
    if (rc == MARSAD_OK && nd) {
        pa = malloc(2 * nd * sizeof *pa);
        first = calloc(m + 1, sizeof *first);
        if (!pa || !first)
            rc = MARSAD_E_NOMEM;
    }
    if (rc == MARSAD_OK && nd) {
        for (size_t i = 0; i < nd; i++) {
            first[mv[i].p.a + 1]++;
            first[mv[i].p.b + 1]++;
        }
        for (size_t i = 0; i < m; i++)
            first[i + 1] += first[i];
        size_t *fill = malloc((m ? m : 1) * sizeof *fill);
        if (!fill)
            rc = MARSAD_E_NOMEM;
        for (size_t i = 0; fill && i < m; i++)
            fill[i] = first[i];
        for (size_t i = 0; fill && i < nd; i++) {
            pa[fill[mv[i].p.a]++] = (partner){mv[i].p.b, mv[i].shared};
            pa[fill[mv[i].p.b]++] = (partner){mv[i].p.a, mv[i].shared};
        }
        free(fill);
        for (size_t r = 0; rc == MARSAD_OK && r < m; r++) {
            size_t n = first[r + 1] - first[r];
            partner *v = pa + first[r];
            if (n > STORY_PAIRS - 1) {
                qsort(v, n, sizeof *v, cmp_partner);
                n = STORY_PAIRS - 1;
            }
            for (size_t x = 0; rc == MARSAD_OK && x < n; x++)
                rc = push_pk(pv, np, capp, sv[r].doc, sv[v[x].other].doc);
        }
    }
    free(pa);
    free(first);
    free(mv);
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
        /* each story: all its pairs when small, else those its shingle
         * postings give (story_meets) */
        for (size_t i = 0; rc == MARSAD_OK && i < m;) {
            size_t j = i;
            while (j < m && sv[j].story == sv[i].story)
                j++;
            if (j - i <= STORY_PAIRS)
                for (size_t a = i; rc == MARSAD_OK && a < j; a++)
                    for (size_t b = a + 1; rc == MARSAD_OK && b < j; b++)
                        rc = push_pk(&pv, &np, &capp, sv[a].doc, sv[b].doc);
            else
                rc = story_meets(docs, sv + i, j - i, &pv, &np, &capp);
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
