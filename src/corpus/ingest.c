/*
 * ingest.c: the batched loop from an ingest iterator into the store (the
 * store knows no reader), and the public marsad_store_* calls over it.
 */
#include <string.h>

#include "corpus/corpus.h"

marsad_status mr_corpus_ingest(mr_store *st, mr_ingest *it, size_t batch,
                               const mr_corpus_ingest_cb *cb,
                               mr_ingest_counts *counts, marsad_error *err)
{
    mr_ingest_counts c = {0, 0, 0, 0};
    if (counts)
        *counts = c;
    if (!st || !it)
        return MARSAD_E_ARG;
    if (!batch)
        batch = 500;
    mr_store_new_run(st);
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
        if (pr == MR_PUT_ADDED)
            c.added++;
        else if (pr == MR_PUT_PRESENT)
            c.present++;
        else if (pr == MR_PUT_OTHER_TEXT)
            c.other_text++;
        else
            c.duplicates++;
        if (counts)
            *counts = c;
        if (cb && cb->on_report)
            cb->on_report(it, &c, cb->ctx);
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
