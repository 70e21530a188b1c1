/*
 * reuse.c: which pairs of reports to align, and their passages.
 */
#include <stdlib.h>
#include <string.h>

#include "link/link_internal.h"

#define STORY_PAIRS 64

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
        for (size_t i = 0; rc == MARSAD_OK && i < m; i++)
            for (size_t j = i + 1; rc == MARSAD_OK && j < m && j <= i + STORY_PAIRS - 1 &&
                                   sv[j].story == sv[i].story;
                 j++)
                rc = push_pk(&pv, &np, &capp, sv[i].doc, sv[j].doc);
        free(sv);
    }
    mr_reuse *rv = NULL;
    size_t nr = 0;
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
                rc = mr_link_passages(&docs[r->a], &docs[r->b], p,
                                      &r->passages, &r->npassages);
            if (rc == MARSAD_OK && (r->near_dup || r->npassages))
                nr++;
            else {
                free(r->passages);
                r->passages = NULL;
            }
        }
    }
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
