/*
 * cluster.c: stories, by incremental clustering.
 *
 * Each report keeps its story terms (stems with their weight, title stems
 * weighted up, entity names as extra terms) and its MinHash signature.
 * Reports are assigned one by one in canonical order (published day, then
 * id). For a report r, with N reports before it:
 *   - rarity: idf(t) = log(1 + N / (1 + df(t))), df counted over the N
 *     reports before r (kept incrementally in a hash map);
 *   - near-duplicate: a report before r that shares an LSH band and whose
 *     estimated Jaccard is at least near_dup decides r's story at once;
 *   - else candidates are the stories of the reports that share one of r's
 *     rarer terms (df <= 10 % of N) and were seen within window_days of r
 *     (postings per term, walked backwards in time, so the cost per report
 *     is bounded by the window, not by the corpus);
 *   - the three best by a partial dot product are scored by the cosine of
 *     r's vector and the story's centroid (the sum of its reports' term
 *     weights, its 300 heaviest terms), both weighted by idf; r joins the
 *     best story if that cosine is at least `join` (`join_undated` when
 *     either date is unknown) and the story was last seen within
 *     window_days, else it starts a new story;
 *   - a story is an event, bounded in time: when its first report is more
 *     than window_days before r, the cosine needed grows by age_step per
 *     day beyond, so a running topic does not absorb a month of news;
 *   - and an event has a place and a kind: the cosine needed grows by
 *     place_apart when r's lead names another town than the story's, and
 *     by event_apart when r's lead tells another kind of event; it drops
 *     by event_shared when r's lead tells the story's kind in the story's
 *     first days (place_apart, event_apart, event_shared below);
 *   - without a date, the main places stand for the time window
 *     (undated_places);
 *   - a report that could join two stories bridges them: once it joined
 *     the best, the other is merged into it when their centroids' cosine
 *     reaches story_merge, their events agree and they started within
 *     window_days (merge_bridged), so an event told on its second day by
 *     reactions that first gathered apart is one story again. A merged
 *     story keeps the index of the earlier one; the others' postings
 *     reach it through story_root, and the stories handed out are the
 *     living ones (live), in order;
 *   - a reaction belongs to the incident it names: one that would join a
 *     story born of a reaction, or a very small one, goes instead to a
 *     recent candidate whose lead place it names, if it nearly passes
 *     there, and takes a very small story with it (reaction_home);
 *   - a story of two events is handed out as two: when most of its
 *     reports lead with its event and a small group with other incidents,
 *     the group is cut (split_event; a view of the stories, the
 *     clustering goes on with the whole story), and a cut report that
 *     another story tells at its place is handed out there (rehome_cut).
 * The result depends only on the set of reports (the order is canonical
 * and every weight comes from the reports before in that order), so adding
 * the reports in two batches gives the stories of adding them at once.
 * Reports that arrive in order cost only their own assignment; one that
 * sorts before a report already assigned makes the next run replay all
 * (linear in the number of reports).
 */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link/link_internal.h"

#define CENTROID_MAX 300
#define POSTING_WALK 200
#define QUERY_TERMS 40
#define TOP_CAND 3
#define NO_DAY (-1000000000L)
#define LEAD_PLACES 3   /* a report's lead places kept */
#define STORY_PLACES 16 /* a story's lead places kept (first met) */
#define MAIN_PLACES 4   /* a report's main places kept */

/* ============================================================ u64 -> u32 */

typedef struct u64map {
    uint64_t *k; /* 0 = empty */
    uint32_t *v;
    size_t n, cap;
} u64map;

static uint64_t nz(uint64_t k) { return k ? k : 1; }

static void u64map_free(u64map *m)
{
    free(m->k);
    free(m->v);
    memset(m, 0, sizeof *m);
}

static marsad_status u64map_grow(u64map *m)
{
    size_t nc = m->cap ? m->cap * 2 : 1024;
    uint64_t *nk = calloc(nc, sizeof *nk);
    uint32_t *nv = malloc(nc * sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return MARSAD_E_NOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->k[i])
            continue;
        size_t s = (size_t)m->k[i] & (nc - 1);
        while (nk[s])
            s = (s + 1) & (nc - 1);
        nk[s] = m->k[i];
        nv[s] = m->v[i];
    }
    free(m->k);
    free(m->v);
    m->k = nk;
    m->v = nv;
    m->cap = nc;
    return MARSAD_OK;
}

/* Slot of key (existing or to fill), or NULL on OOM. *fresh: was empty. */
static uint32_t *u64map_slot(u64map *m, uint64_t key, int *fresh)
{
    key = nz(key);
    if ((m->n + 1) * 2 > m->cap && u64map_grow(m) != MARSAD_OK)
        return NULL;
    size_t s = (size_t)key & (m->cap - 1);
    while (m->k[s] && m->k[s] != key)
        s = (s + 1) & (m->cap - 1);
    *fresh = !m->k[s];
    if (*fresh) {
        m->k[s] = key;
        m->v[s] = 0;
        m->n++;
    }
    return &m->v[s];
}

static int u64map_get(const u64map *m, uint64_t key, uint32_t *v)
{
    if (!m->cap)
        return 0;
    key = nz(key);
    size_t s = (size_t)key & (m->cap - 1);
    while (m->k[s]) {
        if (m->k[s] == key) {
            *v = m->v[s];
            return 1;
        }
        s = (s + 1) & (m->cap - 1);
    }
    return 0;
}

/* ================================================================ state */

typedef struct crep {
    char *id;
    char day[11];   /* YYYY-MM-DD, "" when unknown */
    long dnum;      /* days since 1970-01-01, NO_DAY when unknown */
    uint64_t *terms;
    float *w;       /* 1 + log(weight) */
    uint32_t nterms;
    uint32_t *sig;
    uint32_t nsig;
    long story;
    uint64_t place[LEAD_PLACES]; /* lead places, as entity terms */
    uint32_t nplace;
    uint32_t ev; /* kinds of event of its lead (mr_link_doc.lead_events) */
    uint64_t mplace[MAIN_PLACES]; /* main places (mr_cluster_set_places) */
    uint32_t nmplace;
    uint32_t wide; /* bit k: place[k] is a country or region
                      (mr_cluster_set_wide) */
    int cut;       /* in the part cut off its story (split_event) */
    uint32_t home; /* 1 + the story a cut report is handed out in
                      (rehome_cut), 0: its own */
} crep;

/* A term's postings: for each report with the term, in canonical order,
 * its story and day (what the candidate walk reads, so the walk touches
 * one contiguous array and no report). Entries before `start` are pruned:
 * no walk can reach them (posting_prune). */
typedef struct tpost {
    uint32_t story;
    int32_t day; /* dnum, or TP_NODAY */
} tpost;

typedef struct tlist {
    tpost *v;
    uint32_t start, n, cap;
} tlist;

#define TP_NODAY INT32_MIN

typedef struct story {
    size_t first; /* report index of its first report */
    long first_d, last_d;
    const char *first_day, *last_day;
    uint32_t *mem;
    size_t nmem, capmem;
    uint64_t *ct; /* centroid terms, sorted */
    float *cw;
    size_t nc;
    double norm2;   /* squared idf-weighted norm of the centroid ... */
    size_t norm_at; /* ... computed with this many reports before ... */
    int norm_ok;    /* ... and still for the same centroid */
    uint64_t sp[STORY_PLACES]; /* its reports' lead places */
    uint32_t spn[STORY_PLACES]; /* ... and how many lead with each */
    uint32_t nsp;
    uint64_t mp[STORY_PLACES]; /* its reports' main places (first met) */
    uint32_t nmp;
    uint32_t evn[32]; /* reports whose lead tells event kind k */
    uint32_t nev;     /* reports whose lead tells a kind */
    uint32_t into;    /* merged into story into - 1; 0 while it lives */
    int unsorted;     /* mem out of canonical order since a merge */
} story;

struct mr_cluster {
    mr_link_params p;
    crep *r;
    size_t n, cap, done;
    u64map ids;  /* id hash -> report index */
    /* derived, rebuilt on replay */
    u64map df;   /* term -> reports */
    u64map post; /* term -> its postings' index in tl + 1 */
    tlist *tl;
    size_t ntl, captl;
    size_t np;   /* postings held (after pruning) */
    int lean;    /* mr_cluster_lean: terms go once assigned */
    u64map lsh;  /* band key -> last report index + 1 */
    uint32_t *lnext; /* per report per band: previous report index + 1 */
    size_t caplnext;
    /* per report: 1 + the report whose LSH walk last compared it, so a
     * report met in several bands is compared once */
    uint32_t *lseen;
    size_t caplseen;
    story *s;
    size_t ns, caps;
    uint32_t *qstamp, *qslot, *qterm; /* per story: candidate bookkeeping */
    uint32_t qcount;
    const char **scratch;
    size_t capscratch;
    uint32_t reactions; /* event kinds that are reactions */
    uint32_t recurring; /* ... and that recur as distinct events */
    uint32_t *vof;      /* per report: the story it is handed out in */
    uint32_t *vstart;   /* the stories handed out: members of story k are
                           vmem[vstart[k] .. vstart[k + 1]) */
    uint32_t *vmem;
    u64map ents;        /* the terms that are entity names (a term is an
                           entity's or a word's whatever report has it) */
    u64map wide;        /* the lead places that are countries or regions */
    double qmass;       /* weight of the report's query terms */
    mr_join_model model;
    mr_join_oracle oracle;
    void *oracle_ctx;
    size_t nlive;       /* stories handed out */
    long rmerge;        /* the story the report being assigned would have
                           joined, merged into the one it joins instead
                           (reaction_home); -1: none */
};

static long day_number(const char *iso)
{
    int y, m, d;
    if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 ||
        m > 12 || d < 1 || d > 31)
        return NO_DAY;
    return mr_days_from_civil(y, m, d);
}

marsad_status mr_cluster_new(mr_cluster **out, const mr_link_params *p)
{
    if (!out)
        return MARSAD_E_ARG;
    *out = NULL;
    mr_cluster *c = calloc(1, sizeof *c);
    if (!c)
        return MARSAD_E_NOMEM;
    if (p)
        c->p = *p;
    else
        mr_link_params_default(&c->p);
    c->reactions = mr_link_event_reactions();
    c->recurring = mr_link_event_recurring();
    mr_join_model_default(&c->model);
    if (!c->p.bands || c->p.num_hashes < c->p.bands) {
        free(c);
        return MARSAD_E_ARG;
    }
    *out = c;
    return MARSAD_OK;
}

static void clear_derived(mr_cluster *c)
{
    u64map_free(&c->df);
    u64map_free(&c->post);
    u64map_free(&c->lsh);
    for (size_t i = 0; i < c->ntl; i++)
        free(c->tl[i].v);
    free(c->tl);
    c->tl = NULL;
    c->ntl = c->captl = c->np = 0;
    for (size_t i = 0; i < c->ns; i++) {
        free(c->s[i].mem);
        free(c->s[i].ct);
        free(c->s[i].cw);
    }
    free(c->s);
    c->s = NULL;
    free(c->qstamp);
    c->qstamp = NULL;
    free(c->qslot);
    c->qslot = NULL;
    free(c->qterm);
    c->qterm = NULL;
    c->qcount = 0;
    free(c->lseen); /* its stamps name report positions a replay reuses */
    c->lseen = NULL;
    c->caplseen = 0;
    free(c->vof);
    free(c->vstart);
    free(c->vmem);
    c->vof = c->vstart = c->vmem = NULL;
    c->nlive = 0;
    c->ns = c->caps = 0;
    for (size_t i = 0; i < c->n; i++)
        c->r[i].story = -1;
    c->done = 0;
}

void mr_cluster_free(mr_cluster *c)
{
    if (!c)
        return;
    clear_derived(c);
    for (size_t i = 0; i < c->n; i++) {
        free(c->r[i].id);
        free(c->r[i].terms);
        free(c->r[i].w);
        free(c->r[i].sig);
    }
    free(c->r);
    free(c->lnext);
    free(c->lseen);
    free(c->scratch);
    u64map_free(&c->ids);
    u64map_free(&c->ents);
    u64map_free(&c->wide);
    free(c);
}

size_t mr_cluster_nreports(const mr_cluster *c) { return c ? c->n : 0; }
size_t mr_cluster_nstories(const mr_cluster *c) { return c ? c->nlive : 0; }

/* ================================================================= add */

typedef struct tw {
    uint64_t h;
    float w;
} tw;

static int cmp_tw(const void *a, const void *b)
{
    const tw *x = a, *y = b;
    return (x->h > y->h) - (x->h < y->h);
}

static int cmp_tw_heavy(const void *a, const void *b)
{
    const tw *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return (x->h > y->h) - (x->h < y->h);
}

static void tw_swap(tw *a, tw *b)
{
    tw t = *a;
    *a = *b;
    *b = t;
}

/* The element of v[0..n) at place k in cmp_tw_heavy order (a total
 * order: hashes are distinct), by quickselect; v is reordered. */
static tw tw_select(tw *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        /* median of three as the pivot, then a Hoare partition */
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_tw_heavy(&v[mid], &v[lo]) < 0)
            tw_swap(&v[mid], &v[lo]);
        if (cmp_tw_heavy(&v[hi], &v[lo]) < 0)
            tw_swap(&v[hi], &v[lo]);
        if (cmp_tw_heavy(&v[hi], &v[mid]) < 0)
            tw_swap(&v[hi], &v[mid]);
        tw piv = v[mid];
        size_t i = lo, j = hi;
        for (;;) {
            while (cmp_tw_heavy(&v[i], &piv) < 0)
                i++;
            while (cmp_tw_heavy(&v[j], &piv) > 0)
                j--;
            if (i >= j)
                break;
            tw_swap(&v[i], &v[j]);
            i++;
            j--;
        }
        /* v[lo..j] <= piv <= v[j+1..hi] */
        if (k <= j)
            hi = j;
        else
            lo = j + 1;
    }
    return v[k];
}

static marsad_status add_rep(mr_cluster *c, const char *id, const char *day,
                             const uint64_t *terms, const float *w, size_t nt,
                             const uint32_t *sig, size_t nsig, int raw_weights)
{
    int fresh;
    uint64_t ih = mr_link_hash_bytes(id, strlen(id));
    uint32_t cur;
    if (u64map_get(&c->ids, ih, &cur))
        return MARSAD_OK; /* already there */
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 256;
        crep *nr = realloc(c->r, nc * sizeof *nr);
        if (!nr)
            return MARSAD_E_NOMEM;
        c->r = nr;
        c->cap = nc;
    }
    if (c->n >= UINT32_MAX - 1)
        return MARSAD_E_LIMIT;
    crep *r = &c->r[c->n];
    memset(r, 0, sizeof *r);
    r->story = -1;
    r->id = strdup(id);
    r->terms = malloc((nt ? nt : 1) * sizeof *r->terms);
    r->w = malloc((nt ? nt : 1) * sizeof *r->w);
    r->sig = malloc((nsig ? nsig : 1) * sizeof *r->sig);
    if (!r->id || !r->terms || !r->w || !r->sig) {
        free(r->id);
        free(r->terms);
        free(r->w);
        free(r->sig);
        return MARSAD_E_NOMEM;
    }
    if (day && strlen(day) >= 10 && day_number(day) != NO_DAY) {
        memcpy(r->day, day, 10);
        r->day[10] = 0;
        r->dnum = day_number(r->day);
    } else {
        r->dnum = NO_DAY;
    }
    for (size_t i = 0; i < nt; i++) {
        r->terms[i] = terms[i];
        r->w[i] = raw_weights ? w[i] : (float)(w[i] >= 1.0f ? 1.0 + log(w[i]) : w[i]);
    }
    r->nterms = (uint32_t)nt;
    if (nsig)
        memcpy(r->sig, sig, nsig * sizeof *sig);
    r->nsig = (uint32_t)nsig;
    uint32_t *slot = u64map_slot(&c->ids, ih, &fresh);
    if (!slot) {
        free(r->id);
        free(r->terms);
        free(r->w);
        free(r->sig);
        return MARSAD_E_NOMEM;
    }
    *slot = (uint32_t)c->n;
    c->n++;
    return MARSAD_OK;
}

/* The term of an entity name. */
static uint64_t entity_term(const char *name)
{
    char buf[512];
    int l = snprintf(buf, sizeof buf, "\x01" "E:%s", name);
    if (l < 0)
        l = 0;
    size_t ll = (size_t)l < sizeof buf ? (size_t)l : sizeof buf - 1;
    return mr_link_hash_bytes(buf, ll);
}

/* The entity terms of places[0..n) (NULLs skipped), distinct, first met
 * first, into v[0..*nv), at most max. */
static void place_terms(const char *const *places, size_t n, uint64_t *v,
                        uint32_t *nv, uint32_t max)
{
    for (size_t i = 0; i < n && *nv < max; i++) {
        if (!places[i])
            continue;
        uint64_t h = entity_term(places[i]);
        uint32_t k = 0;
        while (k < *nv && v[k] != h)
            k++;
        if (k == *nv)
            v[(*nv)++] = h;
    }
}

marsad_status mr_cluster_add_lead(mr_cluster *c, const char *id,
                                  const char *published, const mr_link_doc *d,
                                  const char *const *entities, size_t nent,
                                  const char *const *places, size_t nplace)
{
    if (!c || !id || (!places && nplace))
        return MARSAD_E_ARG;
    size_t before = c->n;
    marsad_status rc = mr_cluster_add(c, id, published, d, entities, nent);
    if (rc != MARSAD_OK || c->n == before)
        return rc;
    crep *r = &c->r[c->n - 1];
    place_terms(places, nplace, r->place, &r->nplace, LEAD_PLACES);
    return MARSAD_OK;
}

/* The report id (added) whose places a setter sets into *r, NULL when it
 * is assigned already (it keeps them as they were); MARSAD_E_ARG when
 * there is none or the arguments are wrong. */
static marsad_status rep_to_set(mr_cluster *c, const char *id,
                                const char *const *names, size_t n, crep **r)
{
    uint32_t i;
    if (!c || !id || (!names && n) ||
        !u64map_get(&c->ids, mr_link_hash_bytes(id, strlen(id)), &i) ||
        i >= c->n || strcmp(c->r[i].id, id) != 0)
        return MARSAD_E_ARG;
    *r = i < c->done ? NULL : &c->r[i];
    return MARSAD_OK;
}

marsad_status mr_cluster_set_places(mr_cluster *c, const char *id,
                                    const char *const *places, size_t n)
{
    crep *r;
    marsad_status rc = rep_to_set(c, id, places, n, &r);
    if (rc != MARSAD_OK || !r || r->nmplace)
        return rc; /* assigned, or set already: kept as it was */
    place_terms(places, n, r->mplace, &r->nmplace, MAIN_PLACES);
    return MARSAD_OK;
}

/* Notes report r's lead places of bits mask as countries or regions. */
static marsad_status wide_add(mr_cluster *c, crep *r, uint32_t mask)
{
    for (uint32_t k = 0; k < r->nplace; k++) {
        int fresh;
        if (!((mask >> k) & 1u))
            continue;
        r->wide |= (uint32_t)1 << k;
        if (!u64map_slot(&c->wide, r->place[k], &fresh))
            return MARSAD_E_NOMEM;
    }
    return MARSAD_OK;
}

marsad_status mr_cluster_set_wide(mr_cluster *c, const char *id,
                                  const char *const *places, size_t n)
{
    crep *r;
    marsad_status rc = rep_to_set(c, id, places, n, &r);
    if (rc != MARSAD_OK || !r)
        return rc;
    uint32_t mask = 0;
    for (size_t j = 0; j < n; j++) {
        if (!places[j])
            continue;
        uint64_t h = entity_term(places[j]);
        for (uint32_t k = 0; k < r->nplace; k++)
            if (r->place[k] == h)
                mask |= (uint32_t)1 << k;
    }
    return wide_add(c, r, mask);
}

/* Whether place (a lead place's term) is specific among n reports: named
 * by at most place_rare of them and not a country or region (a town, not
 * the country every report of an event names, nor a country that is rare
 * in a short window: قطر is no more the place of one event than سوريا). */
static int place_is_specific(const mr_cluster *c, uint64_t place, size_t n)
{
    uint32_t df = 0;
    if (u64map_get(&c->wide, place, &df))
        return 0;
    u64map_get(&c->df, place, &df);
    return (double)df <= c->p.place_rare * (double)n;
}

marsad_status mr_cluster_add(mr_cluster *c, const char *id,
                             const char *published, const mr_link_doc *d,
                             const char *const *entities, size_t nent)
{
    if (!c || !id || !d || (!entities && nent))
        return MARSAD_E_ARG;
    if (d->nsig != c->p.num_hashes)
        return MARSAD_E_ARG;
    size_t nt = d->nterms + nent;
    tw *v = malloc((nt ? nt : 1) * sizeof *v);
    if (!v)
        return MARSAD_E_NOMEM;
    for (size_t i = 0; i < d->nterms; i++) {
        v[i].h = d->terms[i];
        v[i].w = d->tf[i];
    }
    size_t m = d->nterms;
    for (size_t i = 0; i < nent; i++) {
        if (!entities[i])
            continue;
        v[m].h = entity_term(entities[i]);
        v[m].w = (float)c->p.entity_weight;
        int fresh;
        if (!u64map_slot(&c->ents, v[m].h, &fresh)) {
            free(v);
            return MARSAD_E_NOMEM;
        }
        m++;
    }
    if (m)
        qsort(v, m, sizeof *v, cmp_tw);
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        if (k && v[k - 1].h == v[i].h)
            v[k - 1].w += v[i].w;
        else
            v[k++] = v[i];
    }
    uint64_t *th = malloc((k ? k : 1) * sizeof *th);
    float *tww = malloc((k ? k : 1) * sizeof *tww);
    marsad_status rc = MARSAD_E_NOMEM;
    if (th && tww) {
        for (size_t i = 0; i < k; i++) {
            th[i] = v[i].h;
            tww[i] = v[i].w;
        }
        size_t before = c->n;
        rc = add_rep(c, id, published, th, tww, k, d->sig, d->nsig, 0);
        if (rc == MARSAD_OK && c->n > before)
            c->r[c->n - 1].ev = d->lead_events;
    }
    free(v);
    free(th);
    free(tww);
    return rc;
}

/* ================================================================= run */

static int rep_before(const crep *a, const crep *b)
{
    /* unknown days last */
    int ua = a->day[0] == 0, ub = b->day[0] == 0;
    if (ua != ub)
        return ua < ub;
    int c = strcmp(a->day, b->day);
    if (c)
        return c < 0;
    return strcmp(a->id, b->id) < 0;
}

static int cmp_rep(const void *x, const void *y)
{
    const crep *a = x, *b = y;
    if (rep_before(a, b))
        return -1;
    if (rep_before(b, a))
        return 1;
    return 0;
}

static double idf(const mr_cluster *c, size_t n_before, uint64_t t)
{
    uint32_t df = 0;
    u64map_get(&c->df, t, &df);
    return log(1.0 + (double)n_before / (1.0 + (double)df));
}

static marsad_status centroid_add(story *s, const uint64_t *t, const float *w,
                                  size_t nt);

/* Counts n more reports of s leading with place (the first STORY_PLACES
 * places met are kept). */
static void story_place_add(story *s, uint64_t place, uint32_t n)
{
    uint32_t x = 0;
    while (x < s->nsp && s->sp[x] != place)
        x++;
    if (x == s->nsp && s->nsp == STORY_PLACES)
        return;
    if (x == s->nsp) {
        s->spn[s->nsp] = 0;
        s->sp[s->nsp++] = place;
    }
    s->spn[x] += n;
}

/* Adds place to s's main places (the first STORY_PLACES met are kept). */
static void story_main_add(story *s, uint64_t place)
{
    uint32_t x = 0;
    while (x < s->nmp && s->mp[x] != place)
        x++;
    if (x == s->nmp && s->nmp < STORY_PLACES)
        s->mp[s->nmp++] = place;
}

static marsad_status story_add_member(mr_cluster *c, long si, size_t ri)
{
    story *s = &c->s[si];
    crep *r = &c->r[ri];
    if (s->nmem == s->capmem) {
        size_t nc = s->capmem ? s->capmem * 2 : 4;
        uint32_t *nm = realloc(s->mem, nc * sizeof *nm);
        if (!nm)
            return MARSAD_E_NOMEM;
        s->mem = nm;
        s->capmem = nc;
    }
    s->mem[s->nmem++] = (uint32_t)ri;
    s->norm_ok = 0;
    r->story = si;
    uint32_t inc = r->ev & ~c->reactions;
    if (inc) {
        s->nev++;
        for (unsigned k = 0; k < 32; k++)
            s->evn[k] += (inc >> k) & 1u;
    }
    for (uint32_t k = 0; k < r->nplace; k++)
        story_place_add(s, r->place[k], 1);
    for (uint32_t k = 0; k < r->nmplace; k++)
        story_main_add(s, r->mplace[k]);
    if (r->dnum != NO_DAY) {
        if (s->first_d == NO_DAY || r->dnum < s->first_d) {
            s->first_d = r->dnum;
            s->first_day = r->day;
        }
        if (s->last_d == NO_DAY || r->dnum > s->last_d) {
            s->last_d = r->dnum;
            s->last_day = r->day;
        }
    }
    return centroid_add(s, r->terms, r->w, r->nterms);
}

/* Adds terms t (sorted) of weights w to s's centroid, keeping the
 * CENTROID_MAX heaviest. */
static marsad_status centroid_add(story *s, const uint64_t *t, const float *w,
                                  size_t nt)
{
    size_t cap = s->nc + nt;
    tw *v = malloc((cap ? cap : 1) * sizeof *v);
    if (!v)
        return MARSAD_E_NOMEM;
    size_t i = 0, j = 0, m = 0;
    while (i < s->nc || j < nt) {
        if (j >= nt || (i < s->nc && s->ct[i] < t[j])) {
            v[m++] = (tw){s->ct[i], s->cw[i]};
            i++;
        } else if (i >= s->nc || t[j] < s->ct[i]) {
            v[m++] = (tw){t[j], w[j]};
            j++;
        } else {
            v[m++] = (tw){s->ct[i], s->cw[i] + w[j]};
            i++;
            j++;
        }
    }
    if (m > CENTROID_MAX) {
        /* keep the heaviest (ties by hash), in hash order: the
         * CENTROID_MAX-th heaviest found by selection, then the terms at
         * least as heavy taken in place (no sort: a large story adds
         * reports to a full centroid all the time) */
        tw *sel = malloc(m * sizeof *sel);
        if (!sel) {
            free(v);
            return MARSAD_E_NOMEM;
        }
        memcpy(sel, v, m * sizeof *sel);
        tw kth = tw_select(sel, m, CENTROID_MAX - 1);
        free(sel);
        size_t k = 0;
        for (size_t x = 0; x < m; x++)
            if (cmp_tw_heavy(&v[x], &kth) <= 0)
                v[k++] = v[x];
        m = k;
    }
    uint64_t *nct = realloc(s->ct, (m ? m : 1) * sizeof *nct);
    if (!nct) {
        free(v);
        return MARSAD_E_NOMEM;
    }
    s->ct = nct;
    float *ncw = realloc(s->cw, (m ? m : 1) * sizeof *ncw);
    if (!ncw) {
        free(v);
        return MARSAD_E_NOMEM;
    }
    s->cw = ncw;
    for (size_t x = 0; x < m; x++) {
        s->ct[x] = v[x].h;
        s->cw[x] = v[x].w;
    }
    s->nc = m;
    free(v);
    return MARSAD_OK;
}

static marsad_status new_story(mr_cluster *c, size_t ri)
{
    if (c->ns == c->caps) {
        size_t nc = c->caps ? c->caps * 2 : 64;
        story *nsv = realloc(c->s, nc * sizeof *nsv);
        if (!nsv)
            return MARSAD_E_NOMEM;
        c->s = nsv;
        uint32_t *qs = realloc(c->qstamp, nc * sizeof *qs);
        if (!qs)
            return MARSAD_E_NOMEM;
        c->qstamp = qs;
        uint32_t *ql = realloc(c->qslot, nc * sizeof *ql);
        if (!ql)
            return MARSAD_E_NOMEM;
        c->qslot = ql;
        uint32_t *qt = realloc(c->qterm, nc * sizeof *qt);
        if (!qt)
            return MARSAD_E_NOMEM;
        c->qterm = qt;
        c->caps = nc;
    }
    story *s = &c->s[c->ns];
    memset(s, 0, sizeof *s);
    c->qstamp[c->ns] = 0;
    s->first = ri;
    s->first_d = s->last_d = NO_DAY;
    c->ns++;
    return story_add_member(c, (long)c->ns - 1, ri);
}

/* The idf-weighted dot product of two term vectors (terms sorted), idf
 * over n_before. */
static double dot_idf(const mr_cluster *c, size_t n_before, const uint64_t *a,
                      const float *aw, size_t na, const uint64_t *b,
                      const float *bw, size_t nb)
{
    double dot = 0;
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            double f = idf(c, n_before, a[i]);
            dot += (double)aw[i] * (double)bw[j] * f * f;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    return dot;
}

/* The squared idf-weighted norm of a term vector. */
static double norm2_idf(const mr_cluster *c, size_t n_before, const uint64_t *t,
                        const float *w, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        double x = (double)w[i] * idf(c, n_before, t[i]);
        s += x * x;
    }
    return s;
}

/* Cosine between report ri and story si, with idf over n_before. */
static double cosine(mr_cluster *c, size_t n_before, size_t ri, long si)
{
    const crep *r = &c->r[ri];
    story *s = &c->s[si];
    double dot = dot_idf(c, n_before, r->terms, r->w, r->nterms, s->ct, s->cw, s->nc);
    double nr = norm2_idf(c, n_before, r->terms, r->w, r->nterms), ns;
    /* the centroid's norm moves slowly with N: recomputed when the story
     * changed or N grew by 1/16 (a function of the sequence, so still
     * deterministic) */
    if (!s->norm_ok || n_before > s->norm_at + s->norm_at / 16 + 8) {
        s->norm2 = norm2_idf(c, n_before, s->ct, s->cw, s->nc);
        s->norm_at = n_before;
        s->norm_ok = 1;
    }
    ns = s->norm2;
    if (nr <= 0 || ns <= 0)
        return 0;
    return dot / sqrt(nr * ns);
}

static int within(const mr_cluster *c, long a, long b)
{
    if (a == NO_DAY || b == NO_DAY)
        return 1;
    long d = a > b ? a - b : b - a;
    return d <= c->p.window_days;
}

/* The place of the event: a specific lead place (place_is_specific: a
 * town, not a country or region, nor a place every report names). The
 * cosine needed to join story si grows by place_apart when r has one, none
 * of r's lead places is among the story's, most of the story's reports
 * lead with one place and r does not name that place at all: two reports
 * whose leads put their events at different towns are apart unless their
 * words say much more. A lead that tells a reaction (a statement, a
 * meeting) is never apart: its place is where it was said ("باريس تدين
 * إطلاق النار في غزة"), not where the event was. */
static int place_apart_holds(const mr_cluster *c, size_t ri, long si)
{
    const crep *r = &c->r[ri];
    const story *s = &c->s[si];
    if (!r->nplace || !s->nsp || (r->ev & c->reactions))
        return 0;
    int specific = 0;
    for (uint32_t k = 0; k < r->nplace && !specific; k++)
        specific = place_is_specific(c, r->place[k], ri);
    if (!specific)
        return 0;
    for (uint32_t x = 0; x < s->nsp; x++)
        for (uint32_t k = 0; k < r->nplace; k++)
            if (s->sp[x] == r->place[k])
                return 0;
    /* apart only from a story that has a place: most of its reports lead
     * with one */
    uint32_t top = 0;
    for (uint32_t x = 0; x < s->nsp; x++)
        if (s->spn[x] > top)
            top = s->spn[x];
    if (2 * top < s->nmem)
        return 0;
    uint64_t tp = 0; /* r naming the story's place anywhere is no apart */
    for (uint32_t x = 0; x < s->nsp && !tp; x++)
        if (s->spn[x] == top)
            tp = s->sp[x];
    for (uint32_t k = 0; k < r->nterms; k++)
        if (r->terms[k] == tp)
            return 0;
    return 1;
}

static double place_apart(const mr_cluster *c, size_t ri, long si)
{
    return place_apart_holds(c, ri, si) ? c->p.place_apart : 0;
}

/* r's lead places meet the lead places of story si's reports. */
static int place_shared(const mr_cluster *c, size_t ri, long si)
{
    const crep *r = &c->r[ri];
    const story *s = &c->s[si];
    for (uint32_t x = 0; x < s->nsp; x++)
        for (uint32_t k = 0; k < r->nplace; k++)
            if (s->sp[x] == r->place[k])
                return 1;
    return 0;
}

/* The kind of event. The kinds most of a story's reports lead with (each
 * told by at least half of those whose lead tells one) are its event; the
 * cosine needed to join it grows by event_apart when r's lead tells kinds
 * of event and none of them: a strike at an airbase is apart from a gas
 * attack, a bus crash from a summit, unless their words say much more. A
 * lead that tells no incident, or tells a reaction (a statement, a
 * meeting: data/link_event_kinds.tsv), is never apart: a condemnation
 * belongs to the incident it condemns. */
static uint32_t story_event(const story *s);

static int event_apart_holds(const mr_cluster *c, size_t ri, long si)
{
    const crep *r = &c->r[ri];
    const story *s = &c->s[si];
    uint32_t inc = r->ev & ~c->reactions;
    if (!inc || !s->nev || (r->ev & c->reactions))
        return 0;
    uint32_t main = story_event(s);
    return main && !(main & inc);
}

static double event_apart(const mr_cluster *c, size_t ri, long si)
{
    return event_apart_holds(c, ri, si) ? c->p.event_apart : 0;
}

/* r's lead tells one of the kinds of event of story si. */
static int event_agree(const mr_cluster *c, size_t ri, long si)
{
    return (c->r[ri].ev & ~c->reactions & story_event(&c->s[si])) != 0;
}

/* 1 when report ri's main places meet story si's, -1 when both have some
 * and none is shared, 0 when either has none. */
static int main_places(const mr_cluster *c, size_t ri, long si)
{
    const crep *r = &c->r[ri];
    const story *s = &c->s[si];
    if (!r->nmplace || !s->nmp)
        return 0;
    for (uint32_t k = 0; k < r->nmplace; k++)
        for (uint32_t x = 0; x < s->nmp; x++)
            if (r->mplace[k] == s->mp[x])
                return 1;
    return -1;
}

/* Reports without a date: no time window tells whether two reports are
 * one event, and their words meet as much across years (a siege and a
 * coalition meeting three years later both name داعش، قسد، سوريا). Where
 * the report's date or the story's is unknown, the cosine needed moves by
 * their main places (the specific places each names most: a village, a
 * field, not the country; mr_cluster_set_places): one shared lowers it by
 * undated_place, none shared while both have some raises it by
 * undated_apart. */
static double undated_places(const mr_cluster *c, size_t ri, long si)
{
    int m = main_places(c, ri, si);
    return m > 0 ? -c->p.undated_place : m < 0 ? c->p.undated_apart : 0;
}

/* The story si was merged into (itself while it lives). */
static long story_root(const mr_cluster *c, long si)
{
    while (c->s[si].into)
        si = (long)c->s[si].into - 1;
    return si;
}

/* Cosine of two stories' centroids, with idf over n_before. */
static double story_cosine(const mr_cluster *c, size_t n_before, long a, long b)
{
    const story *x = &c->s[a], *y = &c->s[b];
    double dot = dot_idf(c, n_before, x->ct, x->cw, x->nc, y->ct, y->cw, y->nc);
    double nx = norm2_idf(c, n_before, x->ct, x->cw, x->nc);
    double ny = norm2_idf(c, n_before, y->ct, y->cw, y->nc);
    return nx > 0 && ny > 0 ? dot / sqrt(nx * ny) : 0;
}

/* The kinds of event of story s (see event_apart). */
static uint32_t story_event(const story *s)
{
    uint32_t m = 0;
    for (unsigned k = 0; k < 32; k++)
        if (s->evn[k] && 2 * s->evn[k] >= s->nev)
            m |= (uint32_t)1 << k;
    return m;
}

/* The same kind of event in a story's first days: the cosine needed
 * drops by event_shared when r's lead tells an incident kind that is the
 * story's event (event_apart) and the story started at most window_days
 * before r. A reaction told on the second day ("ترامب: الهجوم الكيماوي
 * لن يمر") shares few words with a story grown around the incident's
 * scenes; an old story gets no such help (age_step), nor a kind that
 * recurs as many events (two matches of one day are two stories). */
static double event_shared(const mr_cluster *c, size_t ri, long si)
{
    const crep *r = &c->r[ri];
    const story *s = &c->s[si];
    if (r->dnum == NO_DAY || s->first_d == NO_DAY ||
        r->dnum - s->first_d > c->p.window_days)
        return 0;
    uint32_t inc = r->ev & ~c->reactions & ~c->recurring;
    return inc & story_event(s) ? c->p.event_shared : 0;
}

/* A reaction about a story's incident: r's lead tells a reaction (a
 * statement, a meeting) and names, as a lead place, the specific place
 * (named by at most place_rare of the reports before) that the most of
 * the story's reports lead with, at least a third of them. */
static int reaction_about(const mr_cluster *c, size_t ri, long si)
{
    const crep *r = &c->r[ri];
    const story *s = &c->s[si];
    if (!(r->ev & c->reactions) || !r->nplace || !s->nsp)
        return 0;
    uint32_t top = 0;
    for (uint32_t x = 0; x < s->nsp; x++)
        if (s->spn[x] > top)
            top = s->spn[x];
    if (3 * (size_t)top < s->nmem)
        return 0;
    for (uint32_t x = 0; x < s->nsp; x++) {
        if (s->spn[x] != top)
            continue;
        if (!place_is_specific(c, s->sp[x], ri))
            continue;
        for (uint32_t k = 0; k < r->nplace; k++)
            if (r->place[k] == s->sp[x])
                return 1;
    }
    return 0;
}

/* Merges story b into story a (a < b: a's first report is the earlier):
 * members (the smaller list appended to the larger, put back in
 * canonical order once the run ends: live_stories), centroids, places,
 * event kinds, days. b's reports reach a through story_root. */
static marsad_status story_merge(mr_cluster *c, long a, long b)
{
    story *x = &c->s[a], *y = &c->s[b];
    if (y->nmem > x->nmem) { /* append the smaller */
        uint32_t *tm = x->mem;
        size_t tn = x->nmem, tc = x->capmem;
        x->mem = y->mem;
        x->nmem = y->nmem;
        x->capmem = y->capmem;
        y->mem = tm;
        y->nmem = tn;
        y->capmem = tc;
    }
    if (x->nmem + y->nmem > x->capmem) {
        size_t nc = 2 * (x->nmem + y->nmem);
        uint32_t *nm = realloc(x->mem, nc * sizeof *nm);
        if (!nm)
            return MARSAD_E_NOMEM;
        x->mem = nm;
        x->capmem = nc;
    }
    memcpy(x->mem + x->nmem, y->mem, y->nmem * sizeof *y->mem);
    x->nmem += y->nmem;
    x->unsorted = 1;
    marsad_status rc = centroid_add(x, y->ct, y->cw, y->nc);
    x->norm_ok = 0;
    for (unsigned e = 0; e < 32; e++)
        x->evn[e] += y->evn[e];
    x->nev += y->nev;
    for (uint32_t q = 0; q < y->nsp; q++)
        story_place_add(x, y->sp[q], y->spn[q]);
    for (uint32_t q = 0; q < y->nmp; q++)
        story_main_add(x, y->mp[q]);
    if (y->first_d != NO_DAY && (x->first_d == NO_DAY || y->first_d < x->first_d)) {
        x->first_d = y->first_d;
        x->first_day = y->first_day;
    }
    if (y->last_d != NO_DAY && (x->last_d == NO_DAY || y->last_d > x->last_d)) {
        x->last_d = y->last_d;
        x->last_day = y->last_day;
    }
    free(y->mem);
    free(y->ct);
    free(y->cw);
    y->mem = NULL;
    y->ct = NULL;
    y->cw = NULL;
    y->nmem = y->capmem = y->nc = 0;
    y->into = (uint32_t)a + 1;
    return rc;
}

typedef struct qt {
    double score;
    uint32_t term;
} qt;

typedef struct acc {
    long story;
    double score;
} acc;

/* ------------------------------------------------ candidate generation
 * Kept apart from the join decision (join_best): these functions only say
 * which stories a report may join, each walk bounded per report, so the
 * clustering is linear in the reports whatever the decision does. */

/* Grows the per-report LSH arrays to hold report ri. */
static marsad_status lsh_reserve(mr_cluster *c, size_t ri)
{
    unsigned bands = c->p.bands;
    if (c->caplnext < (ri + 1) * bands) {
        size_t nc = c->caplnext ? c->caplnext * 2 : 1024;
        while (nc < (ri + 1) * bands)
            nc *= 2;
        uint32_t *nl = realloc(c->lnext, nc * sizeof *nl);
        if (!nl)
            return MARSAD_E_NOMEM;
        c->lnext = nl;
        c->caplnext = nc;
    }
    if (c->caplseen < ri + 1) {
        size_t nc = c->caplseen ? c->caplseen * 2 : 1024;
        while (nc < ri + 1)
            nc *= 2;
        uint32_t *ns = realloc(c->lseen, nc * sizeof *ns);
        if (!ns)
            return MARSAD_E_NOMEM;
        memset(ns + c->caplseen, 0, (nc - c->caplseen) * sizeof *ns);
        c->lseen = ns;
        c->caplseen = nc;
    }
    return MARSAD_OK;
}

/* Near-duplicate candidates: the reports before ri in its LSH buckets
 * (each bucket walked back over its last 64 reports, a report met in
 * several bands compared once); *target is the story of the best estimate
 * at least near_dup (the first met on a tie), else stays -1. Indexes ri in
 * the buckets. */
static marsad_status near_dup_candidate(mr_cluster *c, size_t ri, long *target)
{
    crep *r = &c->r[ri];
    unsigned bands = c->p.bands, rows = c->p.num_hashes / bands;
    mr_link_doc tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.sig = r->sig;
    tmp.nsig = r->nsig;
    marsad_status rc = lsh_reserve(c, ri);
    if (rc != MARSAD_OK)
        return rc;
    double best_est = 0;
    for (unsigned b = 0; r->nsig && b < bands; b++) {
        uint64_t key = mr_link_band_key(&tmp, b, rows);
        int fresh;
        uint32_t *slot = u64map_slot(&c->lsh, key, &fresh);
        if (!slot)
            return MARSAD_E_NOMEM;
        uint32_t prev = fresh ? 0 : *slot;
        int walk = 0;
        for (uint32_t q = prev; q && walk < 64; q = c->lnext[(size_t)(q - 1) * bands + b], walk++) {
            /* met in an earlier band: its estimate is known (and a
             * tie never replaces the first best) */
            if (c->lseen[q - 1] == (uint32_t)ri + 1)
                continue;
            c->lseen[q - 1] = (uint32_t)ri + 1;
            const crep *o = &c->r[q - 1];
            size_t eq = 0;
            for (size_t x = 0; x < r->nsig; x++)
                eq += o->sig[x] == r->sig[x];
            double est = (double)eq / (double)r->nsig;
            if (est >= c->p.near_dup && est > best_est) {
                best_est = est;
                *target = story_root(c, o->story);
            }
        }
        c->lnext[ri * bands + b] = prev;
        *slot = (uint32_t)ri + 1;
    }
    return MARSAD_OK;
}

/* The report's QUERY_TERMS heaviest rarer terms (df at most 10 % of the
 * reports before, weight w * idf^2, ties by term order), into nq. */
static size_t query_terms(const mr_cluster *c, size_t ri, qt nq[QUERY_TERMS])
{
    const crep *r = &c->r[ri];
    double cap_df = 0.1 * (double)ri;
    if (cap_df < 3)
        cap_df = 3;
    size_t nqt = 0;
    for (uint32_t i = 0; i < r->nterms; i++) {
        uint32_t df = 0;
        u64map_get(&c->df, r->terms[i], &df);
        if (df == 0 || (double)df > cap_df)
            continue;
        double f = idf(c, ri, r->terms[i]);
        qt e = {(double)r->w[i] * f * f, i};
        size_t at = nqt < QUERY_TERMS ? nqt++ : QUERY_TERMS;
        /* insertion into the sorted top list */
        while (at > 0 && nq[at - 1].score < e.score) {
            if (at < QUERY_TERMS)
                nq[at] = nq[at - 1];
            at--;
        }
        if (at < QUERY_TERMS)
            nq[at] = e;
    }
    return nqt;
}

/* Candidate stories of ri by its terms: the stories of the reports that
 * share one of its query terms, seen within window_days of ri (each term's
 * postings walked back in time, at most POSTING_WALK per term, at most
 * 1024 stories), each scored by the partial dot product of the terms it
 * shares (each term once per story, so a large story does not outbid a
 * small one by its size). A story sharing no term with ri has cosine 0 and
 * could not be joined. Fills (*accv)[0..*na). */
static marsad_status term_candidates(mr_cluster *c, size_t ri, acc **accv,
                                     size_t *capacc, size_t *na_out)
{
    const crep *r = &c->r[ri];
    size_t na = 0;
    *na_out = 0;
    if (++c->qcount == 0) { /* wrapped: reset the stamps */
        memset(c->qstamp, 0, c->ns * sizeof *c->qstamp);
        c->qcount = 1;
    }
    qt nq[QUERY_TERMS];
    size_t nqt = query_terms(c, ri, nq);
    c->qmass = 0;
    for (size_t qi = 0; qi < nqt; qi++)
        c->qmass += nq[qi].score;
    long oldest = r->dnum == NO_DAY ? NO_DAY : r->dnum - c->p.window_days;
    for (size_t qi = 0; qi < nqt; qi++) {
        uint32_t i = nq[qi].term;
        uint32_t li = 0;
        if (!u64map_get(&c->post, r->terms[i], &li))
            continue;
        const tlist *t = &c->tl[li - 1];
        double f = idf(c, ri, r->terms[i]);
        int walk = 0;
        for (uint32_t q = t->n; q > t->start && walk < POSTING_WALK; q--, walk++) {
            const tpost *o = &t->v[q - 1];
            if (oldest != NO_DAY && o->day != TP_NODAY && o->day < oldest)
                break; /* postings run back in time */
            long si = story_root(c, o->story);
            size_t x = c->qslot[si];
            if (c->qstamp[si] != c->qcount) {
                if (na >= 1024)
                    continue; /* bounded work per report */
                c->qstamp[si] = c->qcount;
                c->qslot[si] = (uint32_t)na;
                x = na;
                if (na == *capacc) {
                    size_t nc = *capacc ? *capacc * 2 : 64;
                    acc *nv = realloc(*accv, nc * sizeof *nv);
                    if (!nv)
                        return MARSAD_E_NOMEM;
                    *accv = nv;
                    *capacc = nc;
                }
                (*accv)[na++] = (acc){si, 0};
                c->qterm[si] = UINT32_MAX;
            }
            if (c->qterm[si] != i) {
                c->qterm[si] = i;
                (*accv)[x].score += (double)r->w[i] * f * f;
            }
        }
    }
    *na_out = na;
    return MARSAD_OK;
}

/* Drops the postings of t no walk can reach any more: a walk reads at most
 * POSTING_WALK postings of a term, and a dated report stops at the first
 * posting more than window_days before it; reports come in canonical order
 * (days ascending, undated last), so a posting that has POSTING_WALK newer
 * ones and is older than the window of report `day` (or of any day, once
 * the undated reports come) is never read again. */
static void posting_prune(mr_cluster *c, tlist *t, long day)
{
    long oldest = day == NO_DAY ? NO_DAY : day - c->p.window_days;
    uint32_t s = t->start;
    while (t->n - s > POSTING_WALK &&
           (oldest == NO_DAY ||
            (t->v[s].day != TP_NODAY && t->v[s].day < oldest)))
        s++;
    c->np -= s - t->start;
    t->start = s;
    if (s > 32 && s >= t->n / 2) {
        memmove(t->v, t->v + s, (t->n - s) * sizeof *t->v);
        t->n -= s;
        t->start = 0;
    }
}

/* Indexes report ri (assigned to its story): df and postings. */
static marsad_status index_report(mr_cluster *c, size_t ri)
{
    const crep *r = &c->r[ri];
    int32_t day = r->dnum == NO_DAY ? TP_NODAY : (int32_t)r->dnum;
    for (uint32_t i = 0; i < r->nterms; i++) {
        int fresh;
        uint32_t *d = u64map_slot(&c->df, r->terms[i], &fresh);
        if (!d)
            return MARSAD_E_NOMEM;
        (*d)++;
        uint32_t *h = u64map_slot(&c->post, r->terms[i], &fresh);
        if (!h)
            return MARSAD_E_NOMEM;
        if (fresh) {
            if (c->ntl == c->captl) {
                size_t nc = c->captl ? c->captl * 2 : 4096;
                tlist *nv = realloc(c->tl, nc * sizeof *nv);
                if (!nv)
                    return MARSAD_E_NOMEM;
                c->tl = nv;
                c->captl = nc;
            }
            c->tl[c->ntl] = (tlist){NULL, 0, 0, 0};
            *h = (uint32_t)++c->ntl;
        }
        tlist *t = &c->tl[*h - 1];
        posting_prune(c, t, r->dnum);
        if (t->n == t->cap) {
            uint32_t nc = t->cap ? t->cap * 2 : 2;
            tpost *nv = realloc(t->v, nc * sizeof *nv);
            if (!nv)
                return MARSAD_E_NOMEM;
            t->v = nv;
            t->cap = nc;
        }
        t->v[t->n++] = (tpost){(uint32_t)r->story, day};
        c->np++;
    }
    return MARSAD_OK;
}

/* --------------------------------------------------- the join decision */

/* Whether term t counts in a partial cosine: a rarer term (df at most
 * 10 % of the reports before ri, as the query terms) or an entity name. */
static int part_term(const mr_cluster *c, size_t ri, int ent, uint64_t t)
{
    uint32_t v = 0;
    if (ent)
        return u64map_get(&c->ents, t, &v);
    double cap_df = 0.1 * (double)ri;
    if (cap_df < 3)
        cap_df = 3;
    u64map_get(&c->df, t, &v);
    return (double)v <= cap_df;
}

/* The cosine of report ri and story si over the rarer terms only (ent 0)
 * or over the entity names only (ent 1), idf-weighted. */
static double cosine_part(const mr_cluster *c, size_t ri, long si, int ent)
{
    const crep *r = &c->r[ri];
    const story *s = &c->s[si];
    double dot = 0, nr = 0, ns = 0;
    size_t i = 0, j = 0;
    while (i < r->nterms || j < s->nc) {
        int take_r = j >= s->nc || (i < r->nterms && r->terms[i] <= s->ct[j]);
        int take_s = i >= r->nterms || (j < s->nc && s->ct[j] <= r->terms[i]);
        uint64_t t = take_r ? r->terms[i] : s->ct[j];
        if (part_term(c, ri, ent, t)) {
            double f = idf(c, ri, t);
            double a = take_r ? (double)r->w[i] * f : 0;
            double b = take_s ? (double)s->cw[j] * f : 0;
            dot += a * b;
            nr += a * a;
            ns += b * b;
        }
        i += (size_t)take_r;
        j += (size_t)take_s;
    }
    return nr > 0 && ns > 0 ? dot / sqrt(nr * ns) : 0;
}

static const char *const jf_names[MR_JOIN_NFEAT] = {
    "cosine", "cosine_rare", "cosine_entities", "margin", "share", "gap_days",
    "age_days", "undated", "place_apart", "place_shared", "event_apart",
    "event_agree", "log_size", "main_shared", "main_apart",
    "undated_main_shared", "undated_main_apart", "event_shared"};

const char *mr_join_feature_name(unsigned k)
{
    return k < MR_JOIN_NFEAT ? jf_names[k] : NULL;
}

#ifdef MR_LINK_TRAINER
/* the trainer's own build (make link-model): it must not depend on the
 * table it writes */
static const double link_weights[MR_JOIN_NFEAT] = {0};
static const double link_bias = -1;
#else
#include "link/link_weights.inc"
#endif

void mr_join_model_default(mr_join_model *m)
{
    _Static_assert(sizeof link_weights / sizeof *link_weights == MR_JOIN_NFEAT,
                   "link_weights.inc: one weight per feature");
    for (unsigned k = 0; k < MR_JOIN_NFEAT; k++)
        m->w[k] = link_weights[k];
    m->bias = link_bias;
}

double mr_join_logit(const mr_join_model *m, const double *f)
{
    double z = m->bias;
    for (unsigned k = 0; k < MR_JOIN_NFEAT; k++)
        z += m->w[k] * f[k];
    return z;
}

void mr_cluster_set_model(mr_cluster *c, const mr_join_model *m)
{
    if (c && m)
        c->model = *m;
}

void mr_cluster_set_oracle(mr_cluster *c, mr_join_oracle fn, void *ctx)
{
    if (c) {
        c->oracle = fn;
        c->oracle_ctx = ctx;
    }
}

/* The features of report ri against candidate story si, whose cosine is
 * cs (best_other: the best cosine of the other candidates, 0 if none;
 * part: its partial dot product by shared query terms). */
static void join_features(const mr_cluster *c, size_t ri, long si, double cs,
                          double best_other, double part,
                          double f[MR_JOIN_NFEAT])
{
    const crep *r = &c->r[ri];
    const story *s = &c->s[si];
    int dated = r->dnum != NO_DAY && s->last_d != NO_DAY;
    f[MR_JF_COS] = cs;
    f[MR_JF_COS_RARE] = cosine_part(c, ri, si, 0);
    f[MR_JF_COS_ENT] = cosine_part(c, ri, si, 1);
    f[MR_JF_MARGIN] = cs - best_other;
    f[MR_JF_SHARE] = c->qmass > 0 ? part / c->qmass : 0;
    f[MR_JF_GAP] = dated ? (double)labs(r->dnum - s->last_d) : 0;
    long age = r->dnum != NO_DAY && s->first_d != NO_DAY
                   ? r->dnum - s->first_d - c->p.window_days
                   : 0;
    f[MR_JF_AGE] = age > 0 ? (double)age : 0;
    f[MR_JF_UNDATED] = !dated;
    f[MR_JF_PLACE_APART] = place_apart_holds(c, ri, si);
    f[MR_JF_PLACE_SHARED] = place_shared(c, ri, si);
    f[MR_JF_EVENT_APART] = event_apart_holds(c, ri, si);
    f[MR_JF_EVENT_AGREE] = event_agree(c, ri, si);
    f[MR_JF_SIZE] = log(1.0 + (double)s->nmem);
    int ms = main_places(c, ri, si);
    f[MR_JF_MAIN_SHARED] = ms > 0;
    f[MR_JF_MAIN_APART] = ms < 0;
    f[MR_JF_UNDATED_MAIN_SHARED] = !dated && ms > 0;
    f[MR_JF_UNDATED_MAIN_APART] = !dated && ms < 0;
    f[MR_JF_EVENT_SHARED] = event_shared(c, ri, si) > 0;
}

/* The hand-set decision: cand[k] passes when its cosine cs[k] reaches
 * join (join_undated without a date), plus age_step per day its story is
 * older than the window, place_apart and event_apart. */
static int join_rule(mr_cluster *c, size_t ri, long si, double cs)
{
    const crep *r = &c->r[ri];
    double need = c->p.join;
    if (r->dnum == NO_DAY || c->s[si].last_d == NO_DAY)
        need = c->p.join_undated + undated_places(c, ri, si);
    /* an old story needs stronger evidence */
    if (r->dnum != NO_DAY && c->s[si].first_d != NO_DAY &&
        r->dnum - c->s[si].first_d > c->p.window_days)
        need += c->p.age_step *
                (double)(r->dnum - c->s[si].first_d - c->p.window_days);
    need += place_apart(c, ri, si);
    need += event_apart(c, ri, si);
    need -= event_shared(c, ri, si);
    return cs >= need;
}

/* A reaction piece belongs to its incident. When r, whose lead tells a
 * reaction, would join a story born of a reaction (its first report's
 * lead tells one) or of fewer than 3 reports, a candidate r is about
 * (reaction_about), started at most window_days before r and not itself
 * born of a reaction, whose threshold r's cosine misses by at most
 * reaction_join, takes r instead (the highest cosine wins), and the story
 * r would have joined is merged into it when it holds fewer than 3
 * reports: the ICC's warning on Gaza, whose first report (a call, no
 * statement) had started a story of its own, goes with that story to the
 * march at the Gaza border. -1 when none. */
static long reaction_home(mr_cluster *c, size_t ri, long target,
                          const long *cand, const double *cs, size_t nc)
{
    if (target < 0 || c->p.reaction_join <= 0 || !(c->r[ri].ev & c->reactions))
        return -1;
    const story *t = &c->s[target];
    if (!(c->r[t->first].ev & c->reactions) && t->nmem >= 3)
        return -1;
    long home = -1;
    double best = 0;
    for (size_t k = 0; k < nc; k++) {
        long si = cand[k];
        const story *h = &c->s[si];
        if (c->r[ri].dnum != NO_DAY && h->first_d != NO_DAY &&
            c->r[ri].dnum - h->first_d > c->p.window_days)
            continue; /* an incident of these days, not an old story */
        if (si == target || (c->r[h->first].ev & c->reactions) ||
            !reaction_about(c, ri, si) ||
            !join_rule(c, ri, si, cs[k] + c->p.reaction_join))
            continue;
        if (home < 0 || cs[k] > best) {
            best = cs[k];
            home = si;
        }
    }
    return home;
}

/* The story ri joins among the candidates (*accv)[0..na): the TOP_CAND
 * best by partial score (ties by story index) seen within the window are
 * scored by the cosine, then each passes by the join model (a positive
 * logit; join_model) or by the hand-set thresholds (join_rule); the
 * passing one of the highest logit (or cosine) wins, -1 if none. With an
 * oracle (the trainer) the oracle chooses. */
static long join_best(mr_cluster *c, size_t ri, acc *accv, size_t na,
                      long pass[TOP_CAND], size_t *npass)
{
    const crep *r = &c->r[ri];
    long cand[TOP_CAND];
    double cs[TOP_CAND], part[TOP_CAND];
    size_t nc = 0;
    *npass = 0;
    for (int t = 0; t < TOP_CAND; t++) {
        size_t bi = na;
        for (size_t x = 0; x < na; x++)
            if (accv[x].score > 0 &&
                (bi == na || accv[x].score > accv[bi].score ||
                 (accv[x].score == accv[bi].score &&
                  accv[x].story < accv[bi].story)))
                bi = x;
        if (bi == na)
            break;
        long si = accv[bi].story;
        double sc = accv[bi].score;
        accv[bi].score = 0;
        if (!within(c, r->dnum, c->s[si].last_d))
            continue;
        cand[nc] = si;
        part[nc] = sc;
        cs[nc] = cosine(c, ri, ri, si);
        nc++;
    }
    long target = -1;
    double best = 0;
    if (!c->p.join_model && !c->oracle) {
        for (size_t k = 0; k < nc; k++) {
            if (!join_rule(c, ri, cand[k], cs[k]))
                continue;
            pass[(*npass)++] = cand[k];
            if (cs[k] > best || (cs[k] == best && cand[k] < target)) {
                best = cs[k];
                target = cand[k];
            }
        }
        long home = reaction_home(c, ri, target, cand, cs, nc);
        if (home >= 0) {
            if (c->s[target].nmem < 3)
                c->rmerge = target;
            target = home;
        }
        return target;
    }
    mr_join_cand v[TOP_CAND];
    for (size_t k = 0; k < nc; k++) {
        double other = 0;
        for (size_t q = 0; q < nc; q++)
            if (q != k && cs[q] > other)
                other = cs[q];
        join_features(c, ri, cand[k], cs[k], other, part[k], v[k].f);
        v[k].logit = mr_join_logit(&c->model, v[k].f);
        v[k].first_id = c->r[c->s[cand[k]].first].id;
    }
    if (c->oracle) {
        long k = c->oracle(c->oracle_ctx, r->id, v, nc);
        if (k < 0 || (size_t)k >= nc)
            return -1;
        pass[(*npass)++] = cand[k];
        return cand[k];
    }
    for (size_t k = 0; k < nc; k++) {
        if (v[k].logit <= 0)
            continue;
        pass[(*npass)++] = cand[k];
        if (target < 0 || v[k].logit > best ||
            (v[k].logit == best && cand[k] < target)) {
            best = v[k].logit;
            target = cand[k];
        }
    }
    return target;
}

/* Report ri, just joined story target, also passed the threshold of the
 * stories pass[0..npass): such a story is merged with target when their
 * centroids' cosine reaches story_merge, their events agree (the kinds
 * most of their reports lead with are not disjoint) and they started
 * within window_days of each other. */
static marsad_status merge_bridged(mr_cluster *c, size_t ri, long target,
                                   const long *pass, size_t npass)
{
    if (c->p.story_merge <= 0)
        return MARSAD_OK;
    marsad_status rc = MARSAD_OK;
    for (size_t k = 0; rc == MARSAD_OK && k < npass; k++) {
        long a = story_root(c, target), b = story_root(c, pass[k]);
        if (a == b)
            continue;
        const story *x = &c->s[a], *y = &c->s[b];
        if (x->first_d != NO_DAY && y->first_d != NO_DAY &&
            labs(x->first_d - y->first_d) > c->p.window_days)
            continue;
        uint32_t ex = story_event(x), ey = story_event(y);
        if (ex && ey && !(ex & ey))
            continue;
        if (story_cosine(c, ri, a, b) < c->p.story_merge)
            continue;
        rc = a < b ? story_merge(c, a, b) : story_merge(c, b, a);
    }
    return rc;
}

/* Assigns report ri (all before it are assigned) and indexes it. */
static marsad_status assign(mr_cluster *c, size_t ri, acc **accv, size_t *capacc)
{
    long target = -1;
    long pass[TOP_CAND];
    size_t npass = 0;
    /* 1. near-duplicate through LSH */
    marsad_status rc = near_dup_candidate(c, ri, &target);
    /* 2. candidate stories through postings of rarer terms */
    c->rmerge = -1;
    if (rc == MARSAD_OK && target < 0 && ri > 0) {
        size_t na = 0;
        rc = term_candidates(c, ri, accv, capacc, &na);
        if (rc == MARSAD_OK)
            target = join_best(c, ri, *accv, na, pass, &npass);
    }
    if (rc == MARSAD_OK)
        rc = target >= 0 ? story_add_member(c, target, ri) : new_story(c, ri);
    if (rc == MARSAD_OK && target >= 0 && c->rmerge >= 0) {
        long a = story_root(c, target), b = story_root(c, c->rmerge);
        if (a != b)
            rc = a < b ? story_merge(c, a, b) : story_merge(c, b, a);
    }
    if (rc == MARSAD_OK && target >= 0 && npass > 1)
        rc = merge_bridged(c, ri, target, pass, npass);
    /* 3. index the report: df and postings */
    if (rc == MARSAD_OK)
        rc = index_report(c, ri);
    if (rc == MARSAD_OK && c->lean) {
        crep *r = &c->r[ri];
        free(r->terms);
        free(r->w);
        r->terms = NULL;
        r->w = NULL;
        r->nterms = 0;
    }
    return rc;
}

static marsad_status reindex_ids(mr_cluster *c)
{
    u64map_free(&c->ids);
    for (size_t i = 0; i < c->n; i++) {
        int fresh;
        uint32_t *s = u64map_slot(&c->ids, mr_link_hash_bytes(c->r[i].id, strlen(c->r[i].id)), &fresh);
        if (!s)
            return MARSAD_E_NOMEM;
        *s = (uint32_t)i;
    }
    return MARSAD_OK;
}

void mr_cluster_lean(mr_cluster *c)
{
    if (c)
        c->lean = 1;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* A story that holds two events is cut in two (the stories handed out;
 * the clustering itself goes on with the whole story, so the stories stay
 * a function of the set of reports). Its event is the kinds most of its
 * reports' leads tell (story_event); when at least split_min of its
 * reports lead with incidents none of which is that event, and with no
 * reaction, and split_ratio times as many tell the event (the story has
 * one clear event and a small group beside it), those reports are a
 * story of their own: the shelling of a town and a deal to evacuate it,
 * told beside a gas attack on it, whose leads share the town, the days
 * and the actors. Marks the cut reports; 1 when s is cut. */
static int split_event(mr_cluster *c, story *s)
{
    for (size_t i = 0; i < s->nmem; i++)
        c->r[s->mem[i]].cut = 0;
    if (!c->p.split_min || s->nmem < 2 * (size_t)c->p.split_min)
        return 0;
    uint32_t main = story_event(s);
    if (!main)
        return 0;
    size_t apart = 0, tell = 0;
    for (size_t i = 0; i < s->nmem; i++) {
        const crep *r = &c->r[s->mem[i]];
        uint32_t inc = r->ev & ~c->reactions;
        if (inc & main)
            tell++;
        else if (inc && !(r->ev & c->reactions))
            apart++;
    }
    if (apart < c->p.split_min || (double)tell < c->p.split_ratio * (double)apart)
        return 0;
    for (size_t i = 0; i < s->nmem; i++) {
        crep *r = &c->r[s->mem[i]];
        uint32_t inc = r->ev & ~c->reactions;
        r->cut = inc && !(inc & main) && !(r->ev & c->reactions);
    }
    return 1;
}

typedef struct sp_pair {
    uint64_t story, place;
} sp_pair;

static int cmp_sp_pair(const void *a, const void *b)
{
    const sp_pair *x = a, *y = b;
    if (x->story != y->story)
        return x->story < y->story ? -1 : 1;
    return (x->place > y->place) - (x->place < y->place);
}

/* A cut report is handed out in another story when one tells its kind of
 * event at its place: a story seen within window_days of it whose event
 * (story_event) is one of the incidents its lead tells and more of whose
 * reports lead with one of its specific lead places than the cut part's
 * own reports do (the most of them wins, then the earlier story). The first reports of a missile strike on
 * an airbase, told beside a gas attack before the strike had a story of
 * its own, go to the strike's story. Candidates come from an index of the
 * living stories' lead places, so the cost is linear. Sets r->home. */
static marsad_status rehome_cut(mr_cluster *c)
{
    u64map head = {0}; /* place -> 1 + its first link */
    uint32_t *next = NULL, *who = NULL;
    size_t nl = 0, cap = 0;
    marsad_status rc = MARSAD_OK;
    for (size_t i = 0; rc == MARSAD_OK && i < c->ns; i++) {
        const story *t = &c->s[i];
        for (uint32_t x = 0; !t->into && x < t->nsp; x++) {
            if (!place_is_specific(c, t->sp[x], c->n))
                continue;
            if (nl == cap) {
                cap = cap ? 2 * cap : 1024;
                uint32_t *nn = realloc(next, cap * sizeof *nn);
                uint32_t *nw = nn ? realloc(who, cap * sizeof *nw) : NULL;
                if (nn)
                    next = nn;
                if (!nw) {
                    rc = MARSAD_E_NOMEM;
                    break;
                }
                who = nw;
            }
            int fresh;
            uint32_t *h = u64map_slot(&head, t->sp[x], &fresh);
            if (!h) {
                rc = MARSAD_E_NOMEM;
                break;
            }
            next[nl] = *h;
            who[nl] = (uint32_t)i;
            *h = (uint32_t)++nl;
        }
    }
    /* (story, place) of every cut report's specific lead places, sorted:
     * how many of a cut part lead with a place */
    sp_pair *pairs = NULL;
    size_t np = 0;
    for (size_t i = 0; rc == MARSAD_OK && i < c->n; i++) {
        const crep *r = &c->r[i];
        if (!r->cut)
            continue;
        sp_pair *nv = realloc(pairs, (np + r->nplace + 1) * sizeof *nv);
        if (!nv) {
            rc = MARSAD_E_NOMEM;
            break;
        }
        pairs = nv;
        for (uint32_t k = 0; k < r->nplace; k++)
            pairs[np++] = (sp_pair){(uint64_t)story_root(c, r->story), r->place[k]};
    }
    if (np)
        qsort(pairs, np, sizeof *pairs, cmp_sp_pair);
    for (size_t i = 0; rc == MARSAD_OK && i < c->n; i++) {
        crep *r = &c->r[i];
        r->home = 0;
        if (!r->cut)
            continue;
        long own = story_root(c, r->story);
        uint32_t inc = r->ev & ~c->reactions, best_n = 0;
        for (uint32_t k = 0; k < r->nplace; k++) {
            uint32_t l = 0;
            if (!place_is_specific(c, r->place[k], c->n) || !u64map_get(&head, r->place[k], &l))
                continue;
            /* the cut part's own reports leading with the place */
            sp_pair key = {(uint64_t)own, r->place[k]};
            const sp_pair *f = np ? bsearch(&key, pairs, np, sizeof *pairs, cmp_sp_pair) : NULL;
            size_t lo = f ? (size_t)(f - pairs) : 0, hi = lo;
            while (f && lo > 0 && !cmp_sp_pair(&pairs[lo - 1], &key))
                lo--;
            while (f && hi < np && !cmp_sp_pair(&pairs[hi], &key))
                hi++;
            uint32_t own_n = (uint32_t)(hi - lo);
            for (; l; l = next[l - 1]) {
                const story *t = &c->s[who[l - 1]];
                if ((long)who[l - 1] == own || !(story_event(t) & inc))
                    continue;
                if (r->dnum != NO_DAY && t->first_d != NO_DAY &&
                    (t->first_d > r->dnum + c->p.window_days ||
                     t->last_d < r->dnum - c->p.window_days))
                    continue;
                uint32_t n = 0;
                for (uint32_t x = 0; x < t->nsp; x++)
                    if (t->sp[x] == r->place[k])
                        n = t->spn[x];
                if (n <= own_n)
                    continue;
                if (n > best_n || (n == best_n && n && who[l - 1] + 1 < r->home)) {
                    best_n = n;
                    r->home = who[l - 1] + 1;
                }
            }
        }
    }
    u64map_free(&head);
    free(next);
    free(who);
    free(pairs);
    return rc;
}

/* The stories handed out: the living stories (not merged into another),
 * each cut in two when split_event says so, the cut reports that another
 * story tells handed out there (rehome_cut), in order of their first
 * report; a story whose reports all went elsewhere is none. Fills vof,
 * vstart, vmem and nlive (linear: one pass over the reports). */
static marsad_status live_stories(mr_cluster *c)
{
    free(c->vof);
    free(c->vstart);
    free(c->vmem);
    c->vof = malloc((c->n ? c->n : 1) * sizeof *c->vof);
    c->vstart = calloc(2 * c->ns + 2, sizeof *c->vstart);
    c->vmem = malloc((c->n ? c->n : 1) * sizeof *c->vmem);
    uint32_t *num = malloc((2 * c->ns + 1) * sizeof *num); /* part -> story */
    c->nlive = 0;
    if (!c->vof || !c->vstart || !c->vmem || !num) {
        free(num);
        return MARSAD_E_NOMEM;
    }
    /* a run that cuts nothing hands nothing out: no home of an earlier
     * run stays (the stories may since have been made again) */
    for (size_t i = 0; i < c->n; i++)
        c->r[i].home = 0;
    int any = 0;
    for (size_t i = 0; i < c->ns; i++) {
        story *s = &c->s[i];
        if (s->into)
            continue;
        if (s->unsorted) { /* merged: back in canonical order */
            qsort(s->mem, s->nmem, sizeof *s->mem, cmp_u32);
            s->unsorted = 0;
        }
        any |= split_event(c, s);
    }
    marsad_status rc = any ? rehome_cut(c) : MARSAD_OK;
    if (rc != MARSAD_OK) {
        free(num);
        return rc;
    }
    /* each part (2 * story + cut) numbered by its first report, reports
     * in canonical order */
    for (size_t k = 0; k < 2 * c->ns; k++)
        num[k] = UINT32_MAX;
    for (size_t i = 0; i < c->n; i++) {
        const crep *r = &c->r[i];
        size_t part = r->home ? 2 * (size_t)(r->home - 1)
                              : 2 * (size_t)story_root(c, r->story) + (r->cut ? 1 : 0);
        if (num[part] == UINT32_MAX)
            num[part] = (uint32_t)c->nlive++;
        c->vof[i] = num[part];
        c->vstart[num[part] + 1]++;
    }
    for (size_t k = 0; k < c->nlive; k++)
        c->vstart[k + 1] += c->vstart[k];
    for (size_t k = 0; k < c->nlive; k++)
        num[k] = c->vstart[k]; /* where story k's next member goes */
    for (size_t i = 0; i < c->n; i++)
        c->vmem[num[c->vof[i]]++] = (uint32_t)i;
    free(num);
    return MARSAD_OK;
}

marsad_status mr_cluster_run(mr_cluster *c)
{
    if (!c)
        return MARSAD_E_ARG;
    if (c->done == c->n)
        return MARSAD_OK;
    qsort(c->r + c->done, c->n - c->done, sizeof *c->r, cmp_rep);
    if (c->done > 0 && rep_before(&c->r[c->done], &c->r[c->done - 1])) {
        if (c->lean) /* the terms of the assigned reports are gone */
            return MARSAD_E_ARG;
        /* out of order: replay everything in canonical order */
        clear_derived(c);
        qsort(c->r, c->n, sizeof *c->r, cmp_rep);
    }
    marsad_status rc = reindex_ids(c);
    acc *accv = NULL;
    size_t capacc = 0;
    for (size_t i = c->done; rc == MARSAD_OK && i < c->n; i++)
        rc = assign(c, i, &accv, &capacc);
    free(accv);
    if (rc != MARSAD_OK) {
        clear_derived(c); /* a later run replays */
        return rc;
    }
    c->done = c->n;
    return live_stories(c);
}

long mr_cluster_story_of(const mr_cluster *c, const char *id)
{
    if (!c || !id)
        return -1;
    uint32_t i;
    if (!u64map_get(&c->ids, mr_link_hash_bytes(id, strlen(id)), &i))
        return -1;
    if (i >= c->n || strcmp(c->r[i].id, id) != 0 || c->r[i].story < 0 ||
        (size_t)c->r[i].story >= c->ns || !c->vof || i >= c->done)
        return -1;
    return (long)c->vof[i];
}

marsad_status mr_cluster_story(const mr_cluster *c, size_t si,
                               mr_story_info *out)
{
    if (!c || !out || si >= c->nlive)
        return MARSAD_E_ARG;
    mr_cluster *m = (mr_cluster *)(uintptr_t)c; /* scratch only */
    size_t n = c->vstart[si + 1] - c->vstart[si];
    const uint32_t *mem = c->vmem + c->vstart[si];
    if (m->capscratch < n) {
        const char **ns = realloc(m->scratch, n * sizeof *ns);
        if (!ns)
            return MARSAD_E_NOMEM;
        m->scratch = ns;
        m->capscratch = n;
    }
    const char *first = NULL, *last = NULL;
    for (size_t i = 0; i < n; i++) {
        const crep *r = &c->r[mem[i]];
        m->scratch[i] = r->id;
        if (r->day[0]) {
            if (!first || strcmp(r->day, first) < 0)
                first = r->day;
            if (!last || strcmp(r->day, last) > 0)
                last = r->day;
        }
    }
    out->id = m->scratch[0];
    out->first_seen = first;
    out->last_seen = last;
    out->reports = m->scratch;
    out->nreports = n;
    return MARSAD_OK;
}

/* ======================================================== save and load */

marsad_status mr_cluster_save(const mr_cluster *c, mr_buf *out)
{
    if (!c || !out || c->lean)
        return MARSAD_E_ARG;
    marsad_status rc = mr_buf_printf(
        out, "{\"schema\":\"%s\",\"kind\":\"cluster\",\"num_hashes\":%u,"
             "\"reports\":[",
        MARSAD_SCHEMA, c->p.num_hashes);
    for (size_t i = 0; rc == MARSAD_OK && i < c->n; i++) {
        const crep *r = &c->r[i];
        rc = mr_buf_adds(out, i ? ",{\"id\":" : "{\"id\":");
        /* ids are written as JSON strings with the few escapes needed */
        if (rc == MARSAD_OK)
            rc = mr_buf_addc(out, '"');
        for (const char *q = r->id; rc == MARSAD_OK && *q; q++) {
            unsigned char ch = (unsigned char)*q;
            if (ch == '"' || ch == '\\')
                rc = mr_buf_printf(out, "\\%c", ch);
            else if (ch < 0x20)
                rc = mr_buf_printf(out, "\\u%04x", ch);
            else
                rc = mr_buf_addc(out, (char)ch);
        }
        if (rc == MARSAD_OK)
            rc = mr_buf_printf(out, "\",\"day\":\"%s\",\"terms\":\"", r->day);
        for (uint32_t t = 0; rc == MARSAD_OK && t < r->nterms; t++)
            rc = mr_buf_printf(out, "%016llx", (unsigned long long)r->terms[t]);
        if (rc == MARSAD_OK)
            rc = mr_buf_adds(out, "\",\"w\":[");
        for (uint32_t t = 0; rc == MARSAD_OK && t < r->nterms; t++)
            rc = mr_buf_printf(out, t ? ",%.9g" : "%.9g", (double)r->w[t]);
        if (rc == MARSAD_OK)
            rc = mr_buf_adds(out, "],\"sig\":\"");
        for (uint32_t t = 0; rc == MARSAD_OK && t < r->nsig; t++)
            rc = mr_buf_printf(out, "%08lx", (unsigned long)r->sig[t]);
        if (rc == MARSAD_OK)
            rc = mr_buf_adds(out, "\",\"places\":\"");
        for (uint32_t t = 0; rc == MARSAD_OK && t < r->nplace; t++)
            rc = mr_buf_printf(out, "%016llx", (unsigned long long)r->place[t]);
        if (rc == MARSAD_OK)
            rc = mr_buf_adds(out, "\",\"ents\":\"");
        for (uint32_t t = 0; rc == MARSAD_OK && t < r->nterms; t++) {
            uint32_t v;
            if (u64map_get(&c->ents, r->terms[t], &v))
                rc = mr_buf_printf(out, "%016llx", (unsigned long long)r->terms[t]);
        }
        if (rc == MARSAD_OK)
            rc = mr_buf_printf(out, "\",\"events\":%lu", (unsigned long)r->ev);
        if (rc == MARSAD_OK && r->wide)
            rc = mr_buf_printf(out, ",\"wide\":%lu", (unsigned long)r->wide);
        if (rc == MARSAD_OK && r->nmplace)
            rc = mr_buf_adds(out, ",\"main\":\"");
        for (uint32_t t = 0; rc == MARSAD_OK && t < r->nmplace; t++)
            rc = mr_buf_printf(out, "%016llx", (unsigned long long)r->mplace[t]);
        if (rc == MARSAD_OK)
            rc = mr_buf_adds(out, r->nmplace ? "\"}" : "}");
    }
    if (rc == MARSAD_OK)
        rc = mr_buf_adds(out, "]}");
    return rc;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

static int parse_hex(const char *s, size_t digits, uint64_t *v)
{
    uint64_t x = 0;
    for (size_t i = 0; i < digits; i++) {
        int h = hexval(s[i]);
        if (h < 0)
            return 0;
        x = (x << 4) | (uint64_t)h;
    }
    *v = x;
    return 1;
}

/* The hashes of o's member key (a string of 16 hex digits each; absent
 * is none), at most max, into v[0..*n). */
static marsad_status load_hashes(json_object *o, const char *key, uint64_t *v,
                                 size_t max, size_t *n)
{
    json_object *j = NULL;
    const char *s = json_object_object_get_ex(o, key, &j) &&
                            json_object_is_type(j, json_type_string)
                        ? json_object_get_string(j)
                        : "";
    size_t l = strlen(s);
    *n = l / 16;
    if (l % 16 || *n > max)
        return MARSAD_E_INPUT;
    for (size_t i = 0; i < *n; i++)
        if (!parse_hex(s + 16 * i, 16, &v[i]))
            return MARSAD_E_INPUT;
    return MARSAD_OK;
}

static marsad_status load_rep(mr_cluster *c, json_object *o)
{
    json_object *jid, *jday, *jterms, *jw, *jsig;
    if (!json_object_object_get_ex(o, "id", &jid) ||
        !json_object_object_get_ex(o, "day", &jday) ||
        !json_object_object_get_ex(o, "terms", &jterms) ||
        !json_object_object_get_ex(o, "w", &jw) ||
        !json_object_object_get_ex(o, "sig", &jsig) ||
        !json_object_is_type(jid, json_type_string) ||
        !json_object_is_type(jterms, json_type_string) ||
        !json_object_is_type(jw, json_type_array) ||
        !json_object_is_type(jsig, json_type_string))
        return MARSAD_E_INPUT;
    const char *ts = json_object_get_string(jterms);
    const char *ss = json_object_get_string(jsig);
    size_t tl = strlen(ts), sl = strlen(ss);
    size_t nt = tl / 16, nsig = sl / 8;
    if (tl % 16 || sl % 8 || nsig != c->p.num_hashes ||
        json_object_array_length(jw) != nt)
        return MARSAD_E_INPUT;
    uint64_t *th = malloc((nt ? nt : 1) * sizeof *th);
    float *w = malloc((nt ? nt : 1) * sizeof *w);
    uint32_t *sig = malloc((nsig ? nsig : 1) * sizeof *sig);
    marsad_status rc = th && w && sig ? MARSAD_OK : MARSAD_E_NOMEM;
    for (size_t i = 0; rc == MARSAD_OK && i < nt; i++) {
        if (!parse_hex(ts + 16 * i, 16, &th[i]) || (i && th[i] <= th[i - 1]))
            rc = MARSAD_E_INPUT;
        else
            w[i] = (float)json_object_get_double(json_object_array_get_idx(jw, i));
    }
    for (size_t i = 0; rc == MARSAD_OK && i < nsig; i++) {
        uint64_t v;
        if (!parse_hex(ss + 8 * i, 8, &v))
            rc = MARSAD_E_INPUT;
        else
            sig[i] = (uint32_t)v;
    }
    /* lead places: absent in a state saved before them */
    uint64_t place[LEAD_PLACES];
    size_t np = 0;
    if (rc == MARSAD_OK)
        rc = load_hashes(o, "places", place, LEAD_PLACES, &np);
    /* lead event kinds: absent in a state saved before them */
    json_object *je = NULL;
    uint32_t ev = 0;
    if (json_object_object_get_ex(o, "events", &je)) {
        int64_t v = json_object_get_int64(je);
        if (!json_object_is_type(je, json_type_int) || v < 0 ||
            v > (int64_t)UINT32_MAX)
            rc = MARSAD_E_INPUT;
        else
            ev = (uint32_t)v;
    }
    /* which lead places are countries or regions: absent when none */
    uint32_t wide = 0;
    if (rc == MARSAD_OK && json_object_object_get_ex(o, "wide", &je)) {
        int64_t v = json_object_get_int64(je);
        if (!json_object_is_type(je, json_type_int) || v < 0 ||
            v >= ((int64_t)1 << LEAD_PLACES))
            rc = MARSAD_E_INPUT;
        else
            wide = (uint32_t)v;
    }
    /* which terms are entity names: absent in a state saved before */
    json_object *jn = NULL;
    const char *ns = json_object_object_get_ex(o, "ents", &jn) &&
                             json_object_is_type(jn, json_type_string)
                         ? json_object_get_string(jn)
                         : "";
    size_t nl = strlen(ns);
    if (nl % 16)
        rc = MARSAD_E_INPUT;
    for (size_t i = 0; rc == MARSAD_OK && i < nl / 16; i++) {
        uint64_t v;
        int fresh;
        if (!parse_hex(ns + 16 * i, 16, &v))
            rc = MARSAD_E_INPUT;
        else if (!u64map_slot(&c->ents, v, &fresh))
            rc = MARSAD_E_NOMEM;
    }
    /* main places: absent in a state saved before them, or when none */
    uint64_t mplace[MAIN_PLACES];
    size_t nm = 0;
    if (rc == MARSAD_OK)
        rc = load_hashes(o, "main", mplace, MAIN_PLACES, &nm);
    size_t before = c->n;
    if (rc == MARSAD_OK)
        rc = add_rep(c, json_object_get_string(jid),
                     json_object_is_type(jday, json_type_string)
                         ? json_object_get_string(jday)
                         : NULL,
                     th, w, nt, sig, nsig, 1);
    if (rc == MARSAD_OK && c->n > before) {
        memcpy(c->r[c->n - 1].place, place, np * sizeof *place);
        c->r[c->n - 1].nplace = (uint32_t)np;
        c->r[c->n - 1].ev = ev;
        memcpy(c->r[c->n - 1].mplace, mplace, nm * sizeof *mplace);
        c->r[c->n - 1].nmplace = (uint32_t)nm;
        rc = wide_add(c, &c->r[c->n - 1], wide);
    }
    free(th);
    free(w);
    free(sig);
    return rc;
}

marsad_status mr_cluster_load(mr_cluster **out, const char *json, size_t len,
                              const mr_link_params *p)
{
    marsad_status rc = mr_cluster_load_queued(out, json, len, p);
    if (rc == MARSAD_OK)
        rc = mr_cluster_run(*out);
    if (rc != MARSAD_OK && *out) {
        mr_cluster_free(*out);
        *out = NULL;
    }
    return rc;
}

marsad_status mr_cluster_load_queued(mr_cluster **out, const char *json,
                                     size_t len, const mr_link_params *p)
{
    if (!out || !json)
        return MARSAD_E_ARG;
    *out = NULL;
    if (len > (size_t)INT32_MAX)
        return MARSAD_E_LIMIT;
    json_tokener *tok = json_tokener_new();
    if (!tok)
        return MARSAD_E_NOMEM;
    json_object *root = json_tokener_parse_ex(tok, json, (int)len);
    json_tokener_free(tok);
    if (!root)
        return MARSAD_E_INPUT;
    mr_cluster *c;
    marsad_status rc = mr_cluster_new(&c, p);
    json_object *reps = NULL;
    if (rc == MARSAD_OK &&
        (!json_object_object_get_ex(root, "reports", &reps) ||
         !json_object_is_type(reps, json_type_array)))
        rc = MARSAD_E_INPUT;
    for (size_t i = 0; rc == MARSAD_OK && i < json_object_array_length(reps); i++)
        rc = load_rep(c, json_object_array_get_idx(reps, i));
    json_object_put(root);
    if (rc != MARSAD_OK) {
        mr_cluster_free(c);
        return rc;
    }
    *out = c;
    return MARSAD_OK;
}
