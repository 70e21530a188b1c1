/*
 * ingest.c: the batched loop from an ingest iterator into the store (the
 * store knows no reader), and the public marsad_store_* calls over it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corpus/corpus.h"

/* What the store made of one report, into the counts. */
static void count_put(mr_ingest_counts *c, mr_put_result pr)
{
    if (pr == MR_PUT_ADDED)
        c->added++;
    else if (pr == MR_PUT_PRESENT)
        c->present++;
    else if (pr == MR_PUT_OTHER_TEXT)
        c->other_text++;
    else
        c->duplicates++;
}

/* One thread: read, put, commit every batch reports. */
static marsad_status ingest_serial(mr_store *st, mr_ingest *it, size_t batch,
                                   const mr_corpus_ingest_cb *cb,
                                   mr_ingest_counts *counts, marsad_error *err)
{
    mr_ingest_counts c = {0, 0, 0, 0};
    marsad_status rc = mr_store_begin(st, err);
    size_t in_batch = 0;
    mr_report r;
    memset(&r, 0, sizeof r);
    marsad_error e;
    marsad_status ms;
    while (rc == MARSAD_OK &&
           (ms = mr_ingest_next(it, &r, &e)) != MR_INGEST_DONE) {
        if (ms == MARSAD_E_NOMEM || ms == MARSAD_E_ARG) {
            rc = ms;
            if (err)
                *err = e;
            break;
        }
        if (ms != MARSAD_OK) {
            if (cb && cb->on_reject)
                cb->on_reject(&e, cb->ctx);
            continue;
        }
        mr_put_result pr;
        rc = mr_store_put_report(st, &r, &pr, err);
        mr_report_clear(&r);
        if (rc != MARSAD_OK)
            break;
        count_put(&c, pr);
        if (counts)
            *counts = c;
        if (cb && cb->on_report) {
            mr_ingest_stats is = mr_ingest_stats_get(it);
            cb->on_report(&is, &c, cb->ctx);
        }
        if (++in_batch >= batch) {
            in_batch = 0;
            rc = mr_store_commit(st, err);
            if (rc == MARSAD_OK)
                rc = mr_store_begin(st, err);
        }
    }
    if (rc == MARSAD_OK)
        rc = mr_store_commit(st, err);
    else
        mr_store_rollback(st);
    return rc;
}

/* ------------------------------------------------------- on threads */

/*
 * Parallel ingest. The iterator reads on a thread of its own, a chunk of
 * reports at a time; each chunk's columns are tokenised ahead
 * (mr_store_terms_make) by the reader or, with three threads or more, by
 * helpers; the calling thread puts the chunks' reports in the order read,
 * feeding each added report's terms to FTS5 (mr_store_terms_feed), so
 * the store and its index are those one thread makes, byte for byte. Only
 * the calling thread touches the store. Chunks in flight are bounded
 * (NCHUNK x CHUNK reports).
 */
#define CHUNK 64
#define NCHUNK 8

enum { SLOT_REPORT, SLOT_REJECT, SLOT_FATAL };
enum { CH_FREE, CH_READ, CH_PREP, CH_READY };

typedef struct slot {
    int kind;
    mr_report r;
    mr_store_terms *title, *text; /* made ahead, or NULL */
    mr_ingest_stats is;           /* the iterator's counters after it */
    marsad_error e;               /* a rejection or a fatal error */
    marsad_status ms;
} slot;

typedef struct chunk {
    slot s[CHUNK];
    size_t n;
    int state;
    int last; /* the iterator is done after this chunk */
} chunk;

typedef struct ipipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    chunk ch[NCHUNK];
    mr_ingest *it;
    int stem;
    int stop;      /* the writer failed: everyone stops */
    int read_done; /* the reader has read its last chunk */
    size_t nhelp;  /* helper threads making terms */
} ipipe;

/* The stem flag of the store's FTS5 tokenizer ("marsad": 1, "marsad
 * stem 0": 0), or -1 when it is another one (no terms made ahead). */
static int store_stem(mr_store *st)
{
    char *v = NULL;
    int stem = -1;
    if (mr_store_meta_get(st, "fts_tokenizer", &v, NULL) == MARSAD_OK && v)
        stem = strcmp(v, "marsad") == 0 || strcmp(v, "marsad stem 1") == 0
                   ? 1
               : strcmp(v, "marsad stem 0") == 0 ? 0
                                                 : -1;
    free(v);
    return stem;
}

static void prep_chunk(ipipe *p, chunk *c)
{
    for (size_t i = 0; i < c->n; i++) {
        slot *x = &c->s[i];
        if (x->kind != SLOT_REPORT || !x->r.text)
            continue;
        if (mr_text_hash(x->r.text, x->r.text_len, x->r.text_hash) !=
            MARSAD_OK)
            x->r.text_hash[0] = 0; /* the store makes it (or says why) */
        if (p->stem < 0)
            continue;
        if (x->r.title)
            x->title = mr_store_terms_make(x->r.title, strlen(x->r.title),
                                           p->stem);
        x->text = mr_store_terms_make(x->r.text, x->r.text_len, p->stem);
    }
}

static void *reader(void *arg)
{
    ipipe *p = arg;
    for (size_t seq = 0;; seq++) {
        chunk *c = &p->ch[seq % NCHUNK];
        pthread_mutex_lock(&p->mu);
        while (c->state != CH_FREE && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        int stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        c->n = 0;
        c->last = 0;
        while (c->n < CHUNK) {
            slot *x = &c->s[c->n];
            memset(x, 0, sizeof *x);
            marsad_status ms = mr_ingest_next(p->it, &x->r, &x->e);
            if (ms == MR_INGEST_DONE) {
                c->last = 1;
                break;
            }
            x->ms = ms;
            x->kind = ms == MARSAD_OK ? SLOT_REPORT
                      : ms == MARSAD_E_NOMEM || ms == MARSAD_E_ARG
                          ? SLOT_FATAL
                          : SLOT_REJECT;
            x->is = mr_ingest_stats_get(p->it);
            c->n++;
            if (x->kind == SLOT_FATAL) {
                c->last = 1;
                break;
            }
        }
        if (!p->nhelp)
            prep_chunk(p, c);
        pthread_mutex_lock(&p->mu);
        c->state = p->nhelp ? CH_READ : CH_READY;
        if (c->last)
            p->read_done = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (c->last)
            break;
    }
    return NULL;
}

static void *helper(void *arg)
{
    ipipe *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        chunk *c = NULL;
        for (size_t k = 0; k < NCHUNK && !c; k++)
            if (p->ch[k].state == CH_READ)
                c = &p->ch[k];
        if (!c) {
            if (p->stop || p->read_done)
                break;
            pthread_cond_wait(&p->cv, &p->mu);
            continue;
        }
        c->state = CH_PREP;
        pthread_mutex_unlock(&p->mu);
        prep_chunk(p, c);
        pthread_mutex_lock(&p->mu);
        c->state = CH_READY;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void slot_clear(slot *x)
{
    mr_report_clear(&x->r);
    mr_store_terms_free(x->title);
    mr_store_terms_free(x->text);
    x->title = x->text = NULL;
}

/* The writer's part of one slot; rc as ingest_serial's loop. */
static marsad_status put_slot(mr_store *st, slot *x, size_t batch,
                              size_t *in_batch, const mr_corpus_ingest_cb *cb,
                              mr_ingest_counts *c, mr_ingest_counts *counts,
                              marsad_error *err)
{
    if (x->kind == SLOT_FATAL) {
        if (err)
            *err = x->e;
        return x->ms;
    }
    if (x->kind == SLOT_REJECT) {
        if (cb && cb->on_reject)
            cb->on_reject(&x->e, cb->ctx);
        return MARSAD_OK;
    }
    mr_put_result pr;
    marsad_status rc = mr_store_put_report(st, &x->r, &pr, err);
    if (rc != MARSAD_OK)
        return rc;
    if (pr == MR_PUT_ADDED) { /* FTS5 will index its columns at commit */
        if (x->title) {
            mr_store_terms_feed(x->title, x->r.title);
            x->r.title = NULL;
            x->title = NULL;
        }
        if (x->text) {
            mr_store_terms_feed(x->text, x->r.text);
            x->r.text = NULL;
            x->text = NULL;
        }
    }
    count_put(c, pr);
    if (counts)
        *counts = *c;
    if (cb && cb->on_report)
        cb->on_report(&x->is, c, cb->ctx);
    if (++*in_batch >= batch) {
        *in_batch = 0;
        rc = mr_store_commit(st, err);
        mr_store_terms_clear();
        if (rc == MARSAD_OK)
            rc = mr_store_begin(st, err);
    }
    return rc;
}

static marsad_status ingest_threads(mr_store *st, mr_ingest *it,
                                    size_t batch, size_t nt,
                                    const mr_corpus_ingest_cb *cb,
                                    mr_ingest_counts *counts,
                                    marsad_error *err)
{
    ipipe *p = calloc(1, sizeof *p);
    if (!p)
        return MARSAD_E_NOMEM;
    p->it = it;
    p->stem = store_stem(st);
    p->nhelp = nt > 2 ? nt - 2 : 0;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    pthread_t rth, hth[8];
    size_t nh = 0;
    marsad_status rc = mr_store_begin(st, err);
    int started = rc == MARSAD_OK &&
                  pthread_create(&rth, NULL, reader, p) == 0;
    if (rc == MARSAD_OK && !started)
        rc = MARSAD_E_NOMEM;
    for (; started && nh < p->nhelp && nh < 8; nh++)
        if (pthread_create(&hth[nh], NULL, helper, p) != 0)
            break;
    if (started && nh < p->nhelp) { /* fewer helpers: the reader makes */
        pthread_mutex_lock(&p->mu); /* the terms of the chunks left */
        p->nhelp = nh;
        pthread_mutex_unlock(&p->mu);
    }
    mr_ingest_counts c = {0, 0, 0, 0};
    size_t in_batch = 0;
    for (size_t seq = 0; started && rc == MARSAD_OK; seq++) {
        chunk *ch = &p->ch[seq % NCHUNK];
        pthread_mutex_lock(&p->mu);
        while (ch->state != CH_READY)
            pthread_cond_wait(&p->cv, &p->mu);
        pthread_mutex_unlock(&p->mu);
        for (size_t i = 0; i < ch->n; i++) {
            if (rc == MARSAD_OK)
                rc = put_slot(st, &ch->s[i], batch, &in_batch, cb, &c, counts,
                              err);
            slot_clear(&ch->s[i]);
        }
        int last = ch->last;
        pthread_mutex_lock(&p->mu);
        ch->n = 0;
        ch->state = CH_FREE;
        if (rc != MARSAD_OK)
            p->stop = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (last)
            break;
    }
    if (started) {
        pthread_join(rth, NULL);
        pthread_mutex_lock(&p->mu); /* helpers wait for chunks no more */
        p->stop = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        for (size_t k = 0; k < nh; k++)
            pthread_join(hth[k], NULL);
    }
    for (size_t k = 0; k < NCHUNK; k++) /* after a failure: what was read */
        for (size_t i = 0; i < p->ch[k].n; i++)
            slot_clear(&p->ch[k].s[i]);
    if (rc == MARSAD_OK)
        rc = mr_store_commit(st, err);
    else
        mr_store_rollback(st);
    mr_store_terms_clear();
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
    return rc;
}

/* Threads for ingest: threads, else $MARSAD_THREADS, else one per CPU;
 * at most 8. */
static size_t ingest_nthreads(unsigned threads)
{
    long n = threads ? (long)threads : sysconf(_SC_NPROCESSORS_ONLN);
    const char *env = getenv("MARSAD_THREADS");
    if (!threads && env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (!*end && v > 0)
            n = v;
    }
    return n < 1 ? 1 : n > 8 ? 8 : (size_t)n;
}

marsad_status mr_corpus_ingest(mr_store *st, mr_ingest *it, size_t batch,
                               const mr_corpus_ingest_cb *cb,
                               mr_ingest_counts *counts, marsad_error *err)
{
    return mr_corpus_ingest_mt(st, it, batch, 0, cb, counts, err);
}

marsad_status mr_corpus_ingest_mt(mr_store *st, mr_ingest *it, size_t batch,
                                  unsigned threads,
                                  const mr_corpus_ingest_cb *cb,
                                  mr_ingest_counts *counts, marsad_error *err)
{
    if (counts)
        memset(counts, 0, sizeof *counts);
    if (!st || !it)
        return MARSAD_E_ARG;
    if (!batch)
        batch = 500;
    mr_store_new_run(st);
    size_t nt = ingest_nthreads(threads);
    return nt < 2 ? ingest_serial(st, it, batch, cb, counts, err)
                  : ingest_threads(st, it, batch, nt, cb, counts, err);
}

/* ================================================================ public */

marsad_status marsad_store_open(const char *path, marsad_store **out,
                                marsad_error *err)
{
    return mr_store_open(path, NULL, out, err);
}

void marsad_store_close(marsad_store *st)
{
    mr_store_close(st);
}

marsad_status marsad_store_ingest(marsad_store *st, const char *const *paths,
                                  size_t n, marsad_ingest_summary *sum,
                                  marsad_error *err)
{
    if (sum)
        memset(sum, 0, sizeof *sum);
    if (!st || (!paths && n))
        return MARSAD_E_ARG;
    mr_ingest *it = NULL;
    marsad_status rc = mr_ingest_open(paths, n, NULL, &it);
    if (rc != MARSAD_OK)
        return rc;
    mr_ingest_counts c;
    rc = mr_corpus_ingest(st, it, 0, NULL, &c, err);
    if (sum) {
        mr_ingest_stats s = mr_ingest_stats_get(it);
        sum->added = c.added;
        sum->already_stored = c.present;
        sum->duplicates = c.duplicates;
        sum->rejected = s.rejected;
    }
    mr_ingest_close(it);
    return rc;
}

typedef struct hit_bridge {
    marsad_hit_fn fn;
    void *ctx;
} hit_bridge;

static int bridge(const mr_hit *h, void *p)
{
    hit_bridge *b = p;
    marsad_hit mh;
    mh.id = h->id;
    mh.title = h->title;
    mh.outlet = h->outlet;
    mh.published = h->published;
    mh.snippet = h->snippet;
    mh.score = h->score;
    return b->fn(&mh, b->ctx);
}

marsad_status marsad_store_search(marsad_store *st, const char *query,
                                  size_t limit, marsad_hit_fn fn, void *ctx,
                                  marsad_error *err)
{
    if (!st || !query || !fn)
        return MARSAD_E_ARG;
    mr_search_opts o = {0};
    o.limit = limit;
    hit_bridge b = {fn, ctx};
    return mr_store_search(st, query, &o, bridge, &b, err);
}
