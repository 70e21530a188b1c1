/*
 * import.c: marsad_store_import, the merge of a shard store (the
 * per-report work of another machine: reports and their facts) into one
 * store. See include/marsad.h.
 */
#include <stdio.h>
#include <string.h>

#include "corpus/corpus.h"
#include "store/store_read.h"

typedef struct import_ctx {
    mr_store *dst, *shard;
    int64_t shard_last; /* the shard's facts stand up to this row */
    int shard_ok;
    int all_facts;      /* every report added brought its facts */
    marsad_ingest_summary *sum;
    marsad_error *err;
    marsad_status rc;
    const char *report_id; /* the report whose facts are being copied */
} import_ctx;

static int copy_fact(const mr_fact_row *f, void *ctx)
{
    import_ctx *x = ctx;
    x->rc = mr_store_fact_add(x->dst, x->report_id, f->kind, f->start, f->end,
                              f->text, f->json, x->err);
    return x->rc != MARSAD_OK;
}

static int copy_report(int64_t row, const mr_report *r, void *ctx)
{
    import_ctx *x = ctx;
    mr_put_result pr;
    x->rc = mr_store_put_report(x->dst, r, &pr, x->err);
    if (x->rc != MARSAD_OK)
        return 1;
    x->sum->added += pr == MR_PUT_ADDED;
    x->sum->already_stored += pr == MR_PUT_PRESENT;
    x->sum->duplicates += pr == MR_PUT_DUPLICATE;
    if (pr != MR_PUT_ADDED)
        return 0;
    if (!x->shard_ok || row > x->shard_last) {
        x->all_facts = 0; /* dst's analyse extracts it */
        return 0;
    }
    x->report_id = r->id;
    marsad_status rc = mr_store_facts_saved(x->shard, r->id, copy_fact, x,
                                            x->err);
    if (x->rc == MARSAD_OK)
        x->rc = rc;
    return x->rc != MARSAD_OK;
}

/* A copy of the shard's (mr_store_copy) is put into dst as the shard's
 * ingest met it: a report under its own names with the stored text, which
 * dst keeps as a copy of the same report. */
static int copy_copy(const mr_store_copy *cp, void *ctx)
{
    import_ctx *x = ctx;
    mr_report r;
    x->rc = mr_store_get_report(x->shard, cp->id, &r, NULL, x->err);
    if (x->rc != MARSAD_OK)
        return 1;
    mr_put_result pr;
    x->rc = mr_store_put_report(x->dst, &r, &pr, x->err);
    mr_report_clear(&r);
    if (x->rc == MARSAD_OK)
        x->sum->duplicates += pr == MR_PUT_DUPLICATE;
    return x->rc != MARSAD_OK;
}

marsad_status marsad_store_import(marsad_store *dst, const char *shard_path,
                                  marsad_ingest_summary *sum,
                                  marsad_error *err)
{
    marsad_ingest_summary s;
    memset(&s, 0, sizeof s);
    if (sum)
        *sum = s;
    if (!dst || !shard_path)
        return mr_error_set(err, MARSAD_E_ARG, "import",
                            "no store or no shard path given");
    mr_store_opts so = {NULL, 1};
    mr_store *shard = NULL;
    marsad_status rc = mr_store_open(shard_path, &so, &shard, err);
    if (rc != MARSAD_OK)
        return rc;
    import_ctx x = {dst, shard, 0, 0, 1, &s, err, MARSAD_OK, NULL};
    int64_t dst_last = 0, dst_max = 0;
    int dst_ok = 0;
    rc = sr_facts_mark(shard, &x.shard_last, &x.shard_ok, err);
    if (rc == MARSAD_OK)
        rc = sr_facts_mark(dst, &dst_last, &dst_ok, err);
    if (rc == MARSAD_OK)
        rc = mr_store_revision(dst, &dst_max, err);
    /* dst's facts are complete: every stored report's are there */
    int complete = dst_max == 0 || (dst_ok && dst_last >= dst_max);
    if (rc == MARSAD_OK) {
        mr_store_new_run(dst);
        rc = mr_store_begin(dst, err);
    }
    if (rc == MARSAD_OK) {
        rc = mr_store_reports_each(shard, 0, copy_report, &x);
        if (rc == MARSAD_OK)
            rc = x.rc;
    }
    if (rc == MARSAD_OK) {
        rc = mr_store_copies_each(shard, copy_copy, &x, err);
        if (rc == MARSAD_OK)
            rc = x.rc;
    }
    int64_t new_max = 0;
    if (rc == MARSAD_OK)
        rc = mr_store_revision(dst, &new_max, err);
    if (rc == MARSAD_OK && complete && x.all_facts && new_max > dst_max)
        rc = sr_facts_mark_set(dst, new_max, err);
    if (rc == MARSAD_OK)
        rc = mr_store_commit(dst, err);
    else
        mr_store_rollback(dst);
    mr_store_close(shard);
    if (rc != MARSAD_OK)
        memset(&s, 0, sizeof s);
    if (sum)
        *sum = s;
    return rc;
}
