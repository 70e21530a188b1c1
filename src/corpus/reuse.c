/*
 * reuse.c: the pairs of reports that share text (`marsad reuse`,
 * marsad_reuse): link docs, story clustering, near-duplicates and
 * passages, over reports from the store or from inputs. See corpus.h.
 */
#include <stdlib.h>
#include <string.h>

#include "corpus/corpus.h"
#include "out/json.h"

marsad_status mr_corpus_reuse(const mr_report *r, size_t n, mr_reuse **pairs,
                              size_t *npairs)
{
    if (!pairs || !npairs || (n && !r))
        return MARSAD_E_ARG;
    *pairs = NULL;
    *npairs = 0;
    mr_link_params p;
    mr_link_params_default(&p);
    mr_link_doc *docs = calloc(n ? n : 1, sizeof *docs);
    const char **ids = calloc(n ? n : 1, sizeof *ids);
    mr_cluster *c = NULL;
    marsad_status rc = docs && ids ? mr_cluster_new(&c, &p) : MARSAD_E_NOMEM;
    for (size_t i = 0; rc == MARSAD_OK && i < n; i++) {
        ids[i] = r[i].id;
        rc = mr_link_doc_build(&docs[i], r[i].text, r[i].text_len, r[i].title,
                               r[i].title ? strlen(r[i].title) : 0, &p);
        if (rc == MARSAD_OK)
            rc = mr_cluster_add(c, r[i].id, r[i].published, &docs[i], NULL, 0);
    }
    if (rc == MARSAD_OK)
        rc = mr_cluster_run(c);
    if (rc == MARSAD_OK)
        rc = mr_link_reuse(docs, n, c, ids, &p, pairs, npairs);
    mr_cluster_free(c);
    for (size_t i = 0; docs && i < n; i++)
        mr_link_doc_free(&docs[i]);
    free(docs);
    free(ids);
    return rc;
}

int mr_corpus_reuse_has(const mr_report *a, const char *id)
{
    return strcmp(a->id, id) == 0 ||
           (a->source_id && strcmp(a->source_id, id) == 0);
}

void mr_corpus_reuse_json(FILE *out, const mr_report *a, const mr_report *b,
                          const mr_reuse *pair)
{
    int dir = mr_link_direction(a->published, b->published);
    const char *first = dir < 0 ? a->id : dir > 0 ? b->id : NULL;
    fprintf(out, "{\"schema\":\"%s\",\"a\":", MARSAD_SCHEMA);
    mr_json_cstr(out, a->id);
    fputs(",\"b\":", out);
    mr_json_cstr(out, b->id);
    fprintf(out, ",\"similarity\":%.4f,\"near_duplicate\":%s,\"first\":",
            pair->similarity, pair->near_dup ? "true" : "false");
    mr_json_cstr(out, first);
    fputs(",\"passages\":[", out);
    for (size_t q = 0; q < pair->npassages; q++) {
        const mr_passage *ps = &pair->passages[q];
        fprintf(out,
                "%s{\"a_start\":%u,\"a_end\":%u,\"b_start\":%u,"
                "\"b_end\":%u,\"text\":",
                q ? "," : "", ps->a_start, ps->a_end, ps->b_start, ps->b_end);
        mr_json_str(out, a->text + ps->a_start, ps->a_end - ps->a_start);
        fputc('}', out);
    }
    fputs("]}", out);
}

/* ------------------------------------------------ stored reports */

static int take(int64_t row, const mr_report *r, void *ctx)
{
    (void)row;
    mr_reports *R = ctx;
    mr_report x;
    memset(&x, 0, sizeof x);
    if (!r->id || !mr_report_copy(&x, r) || !mr_reports_push(R, &x)) {
        mr_report_clear(&x);
        R->oom = 1;
        return 1;
    }
    return 0;
}

marsad_status mr_reports_load(mr_store *st, mr_reports *out)
{
    memset(out, 0, sizeof *out);
    marsad_status rc = mr_store_reports_each(st, 0, take, out);
    if (rc == MARSAD_OK && out->oom)
        rc = MARSAD_E_NOMEM;
    return rc;
}

int mr_reports_push(mr_reports *R, mr_report *r)
{
    if (R->n == R->cap) {
        size_t nc = R->cap ? R->cap * 2 : 256;
        mr_report *nv = realloc(R->v, nc * sizeof *nv);
        if (!nv)
            return 0;
        R->v = nv;
        R->cap = nc;
    }
    R->v[R->n++] = *r;
    memset(r, 0, sizeof *r);
    return 1;
}

marsad_status mr_reports_read(const char *const *paths, size_t n,
                              mr_ingest_err_fn on_reject, void *ctx,
                              mr_reports *R)
{
    memset(R, 0, sizeof *R);
    mr_ingest *it = NULL;
    marsad_status rc = mr_ingest_open(paths, n, NULL, &it);
    if (rc != MARSAD_OK)
        return rc;
    mr_report r;
    memset(&r, 0, sizeof r);
    marsad_error err;
    while ((rc = mr_ingest_next(it, &r, &err)) != MR_INGEST_DONE) {
        if (rc == MARSAD_E_NOMEM || rc == MARSAD_E_ARG)
            break;
        if (rc != MARSAD_OK) {
            if (on_reject)
                on_reject(&err, ctx);
            continue;
        }
        if (!mr_reports_push(R, &r)) {
            mr_report_clear(&r);
            rc = MARSAD_E_NOMEM;
            break;
        }
    }
    mr_ingest_close(it);
    return rc == MR_INGEST_DONE ? MARSAD_OK : rc;
}

void mr_reports_free(mr_reports *R)
{
    for (size_t i = 0; R && i < R->n; i++)
        mr_report_clear(&R->v[i]);
    if (R) {
        free(R->v);
        memset(R, 0, sizeof *R);
    }
}
