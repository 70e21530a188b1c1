/*
 * api.c: the public API of the main job (include/marsad.h): reports from
 * memory, facts of one text, analyse, import, stories, reuse. Thin
 * wrappers over the corpus layer and the store's typed queries.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/corpus.h"
#include "out/facts_json.h"


void marsad_free(void *p)
{
    free(p);
}

const char *marsad_stage_name(marsad_stage stage)
{
    static const char *const names[MARSAD_NSTAGES] = {
        "ingest", "load", "facts", "clustering", "stories", "save"};
    return (unsigned)stage < MARSAD_NSTAGES ? names[stage] : "?";
}

/* ---------------------------------------------------- memory reports */

/* Texts longer than this are refused, as the readers refuse them. */
#define API_MAX_TEXT (32u << 20)

static char *dup0(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* An mr_report of a caller's report (owned strings). */
static marsad_status make_report(const marsad_report_in *in, mr_report *r)
{
    memset(r, 0, sizeof *r);
    char id[17];
    marsad_status rc = mr_report_make_id(in->outlet, in->url, in->text,
                                         in->text_len, id);
    if (rc != MARSAD_OK)
        return rc;
    r->id = strdup(id);
    r->source_id = dup0(in->source_id);
    r->outlet = dup0(in->outlet);
    r->url = dup0(in->url);
    r->title = dup0(in->title);
    r->lang = strdup("ar");
    r->text = malloc(in->text_len + 1);
    if (r->text) {
        memcpy(r->text, in->text, in->text_len);
        r->text[in->text_len] = 0;
    }
    r->text_len = in->text_len;
    if (in->published) {
        char iso[48];
        if (mr_date_to_iso(in->published, strlen(in->published), iso,
                           sizeof iso)) {
            r->published = strdup(iso);
            r->published_origin = MR_PUB_METADATA;
            if (!r->published)
                rc = MARSAD_E_NOMEM;
        }
    }
    if (!r->id || !r->lang || !r->text || (in->source_id && !r->source_id) ||
        (in->outlet && !r->outlet) || (in->url && !r->url) ||
        (in->title && !r->title))
        rc = MARSAD_E_NOMEM;
    if (rc != MARSAD_OK)
        mr_report_clear(r);
    return rc;
}

marsad_status marsad_store_put(marsad_store *st,
                               const marsad_report_in *reports, size_t n,
                               marsad_ingest_summary *sum, marsad_error *err)
{
    if (sum)
        memset(sum, 0, sizeof *sum);
    if (!st || (n && !reports))
        return mr_error_set(err, MARSAD_E_ARG, "reports",
                        "no store or no reports given");
    for (size_t i = 0; i < n; i++) {
        if (!reports[i].text)
            return mr_error_set(err, MARSAD_E_ARG, "reports",
                            "report %zu has no text", i);
        if (reports[i].text_len > API_MAX_TEXT)
            return mr_error_set(err, MARSAD_E_LIMIT, "reports",
                            "report %zu is over 32 MiB", i);
    }
    mr_store_new_run(st);
    marsad_status rc = mr_store_begin(st, err);
    for (size_t i = 0; i < n && rc == MARSAD_OK; i++) {
        mr_report r;
        rc = make_report(&reports[i], &r);
        if (rc != MARSAD_OK) {
            mr_error_set(err, rc, "reports", "report %zu: %s", i,
                     marsad_strerror(rc));
            break;
        }
        mr_put_result pr;
        rc = mr_store_put_report(st, &r, &pr, err);
        mr_report_clear(&r);
        if (rc == MARSAD_OK && sum) {
            sum->added += pr == MR_PUT_ADDED;
            sum->already_stored += pr == MR_PUT_PRESENT;
            sum->duplicates +=
                pr == MR_PUT_DUPLICATE || pr == MR_PUT_OTHER_TEXT;
        }
    }
    if (rc == MARSAD_OK)
        return mr_store_commit(st, err);
    mr_store_rollback(st);
    if (sum)
        sum->added = sum->already_stored = sum->duplicates = 0;
    return rc;
}

/* ------------------------------------------------------------- facts */

struct marsad_facts {
    mr_facts f;
};

static marsad_status extract(const char *text, size_t len,
                             const marsad_facts_opts *opts, mr_facts *f,
                             marsad_error *err)
{
    if (!text)
        return mr_error_set(err, MARSAD_E_ARG, "text", "no text given");
    if (len > API_MAX_TEXT)
        return mr_error_set(err, MARSAD_E_LIMIT, "text", "text over 32 MiB");
    mr_extract_opts xo = {opts ? opts->published : NULL,
                          opts ? opts->outlet : NULL,
                          opts && opts->published_is_page,
                          mr_extract_ner_default()};
    marsad_status rc = mr_extract(text, len, &xo, f);
    if (rc != MARSAD_OK)
        return mr_error_set(err, rc, "text", "extraction: %s",
                        marsad_strerror(rc));
    return MARSAD_OK;
}

marsad_status marsad_facts_json(const char *text, size_t len,
                                const marsad_facts_opts *opts, char **json,
                                size_t *json_len, marsad_error *err)
{
    if (!json)
        return mr_error_set(err, MARSAD_E_ARG, "text", "no place for the JSON");
    *json = NULL;
    if (json_len)
        *json_len = 0;
    mr_facts f;
    memset(&f, 0, sizeof f);
    marsad_status rc = extract(text, len, opts, &f, err);
    if (rc != MARSAD_OK) {
        mr_facts_free(&f);
        return rc;
    }
    marsad_report_in in = {0};
    in.text = text;
    in.text_len = len;
    in.outlet = opts ? opts->outlet : NULL;
    mr_report r;
    rc = make_report(&in, &r);
    if (rc == MARSAD_OK && opts && opts->published) {
        r.published = strdup(opts->published);
        r.published_origin = opts->published_is_page ? MR_PUB_DATELINE
                                                     : MR_PUB_METADATA;
        if (!r.published)
            rc = MARSAD_E_NOMEM;
    }
    char *buf = NULL;
    size_t n = 0;
    FILE *m = rc == MARSAD_OK ? open_memstream(&buf, &n) : NULL;
    if (rc == MARSAD_OK && !m)
        rc = MARSAD_E_NOMEM;
    if (m) {
        mr_facts_json(m, &r, &f);
        if (fclose(m) != 0 || !buf)
            rc = MARSAD_E_NOMEM;
    }
    mr_report_clear(&r);
    mr_facts_free(&f);
    if (rc != MARSAD_OK) {
        free(buf);
        return mr_error_set(err, rc, "text", "facts: %s", marsad_strerror(rc));
    }
    if (n && buf[n - 1] == '\n')
        buf[--n] = 0;
    *json = buf;
    if (json_len)
        *json_len = n;
    return MARSAD_OK;
}

marsad_status marsad_facts_extract(const char *text, size_t len,
                                   const marsad_facts_opts *opts,
                                   marsad_facts **out, marsad_error *err)
{
    if (!out)
        return mr_error_set(err, MARSAD_E_ARG, "text", "no place for the facts");
    *out = NULL;
    marsad_facts *x = calloc(1, sizeof *x);
    if (!x)
        return mr_error_set(err, MARSAD_E_NOMEM, "text", "out of memory");
    marsad_status rc = extract(text, len, opts, &x->f, err);
    if (rc != MARSAD_OK) {
        marsad_facts_free(x);
        return rc;
    }
    mr_toks_free(&x->f.toks);
    *out = x;
    return MARSAD_OK;
}

void marsad_facts_free(marsad_facts *f)
{
    if (!f)
        return;
    mr_facts_free(&f->f);
    free(f);
}

size_t marsad_facts_figure_count(const marsad_facts *f)
{
    return f ? f->f.figures.n : 0;
}

marsad_status marsad_facts_figure(const marsad_facts *f, size_t i,
                                  marsad_figure *out)
{
    if (!f || !out || i >= f->f.figures.n)
        return MARSAD_E_ARG;
    const mr_figure *g = &f->f.figures.v[i];
    memset(out, 0, sizeof *out);
    out->start = g->start;
    out->end = g->end;
    out->min = g->min;
    out->max = g->max;
    out->has_min = g->has_min;
    out->has_max = g->has_max;
    out->qualifier = g->qualifier;
    out->counted = g->counted;
    out->category = g->category;
    out->side = g->side;
    out->event = g->event;
    if (g->source >= 0 && (size_t)g->source < f->f.sources.n)
        out->source = f->f.sources.v[g->source].speaker;
    if (g->when >= 0 && (size_t)g->when < f->f.dates.n &&
        f->f.dates.v[g->when].value[0])
        out->date = f->f.dates.v[g->when].value;
    out->part_of = g->part_of;
    return MARSAD_OK;
}

/* ------------------------------------------------------------ analyse */

typedef struct run_ctx {
    const marsad_analyze_opts *o;
    marsad_ingest_summary *in;
} run_ctx;

static void on_reject(const marsad_error *e, void *ctx)
{
    run_ctx *r = ctx;
    r->in->rejected++;
    if (r->o && r->o->on_reject)
        r->o->on_reject(e, r->o->ctx);
}

static void on_report(const mr_ingest_stats *is, const mr_ingest_counts *c,
                      void *ctx)
{
    (void)is;
    run_ctx *r = ctx;
    size_t n = c->added + c->present + c->duplicates;
    if (r->o && r->o->progress && n % 64 == 0)
        r->o->progress(MARSAD_STAGE_INGEST, n, 0, r->o->ctx);
}

static void on_facts(size_t done, size_t total, void *ctx)
{
    const marsad_analyze_opts *o = ((run_ctx *)ctx)->o;
    if (o && o->progress)
        o->progress(MARSAD_STAGE_FACTS, done, total, o->ctx);
}

/* The postings file (store.h, docs/store.md), built on a thread of its own
 * with its own connection while the analysis runs: it reads the reports,
 * which the stages after ingest do not change, and fills the core that
 * clustering and saving leave idle. A failure only leaves search on FTS5. */
typedef struct post_job {
    char *path;
    pthread_t th;
    int started;
} post_job;

static void *post_build(void *p)
{
    post_job *j = p;
    mr_store *st = NULL;
    mr_store_opts o = {NULL, 1};
    if (mr_store_open(j->path, &o, &st, NULL) == MARSAD_OK) {
        mr_store_postings_build(st, NULL);
        mr_store_close(st);
    }
    return NULL;
}

static void post_start(post_job *j, mr_store *st)
{
    memset(j, 0, sizeof j[0]);
    const char *path = mr_store_path(st);
    if (!path || mr_store_postings_fresh(st) || !(j->path = strdup(path)))
        return;
    j->started = pthread_create(&j->th, NULL, post_build, j) == 0;
}

static void post_join(post_job *j)
{
    if (j->started)
        pthread_join(j->th, NULL);
    free(j->path);
}

marsad_status marsad_analyze(marsad_store *st, const char *const *paths,
                             size_t n, const marsad_analyze_opts *opts,
                             marsad_analyze_summary *sum, marsad_error *err)
{
    marsad_analyze_summary s;
    memset(&s, 0, sizeof s);
    if (sum)
        *sum = s;
    if (!st || (n && !paths))
        return mr_error_set(err, MARSAD_E_ARG, "analyze",
                        "no store, or paths missing");
    for (size_t i = 0; i < n; i++)
        if (!paths[i])
            return mr_error_set(err, MARSAD_E_ARG, "analyze", "path %zu is NULL",
                            i);
    marsad_status rc = MARSAD_OK;
    double t0 = sr_now(), c0 = sr_cpu(), l0 = sr_thread_cpu();
    run_ctx rx = {opts, &s.ingest};
    if (n) {
        mr_ingest *it = NULL;
        rc = mr_ingest_open(paths, n, NULL, &it);
        if (rc != MARSAD_OK)
            return mr_error_set(err, rc, "analyze", "%s", marsad_strerror(rc));
        mr_corpus_ingest_cb cb = {on_reject, on_report, &rx};
        mr_ingest_counts c;
        rc = mr_corpus_ingest_mt(st, it, opts ? opts->batch : 0,
                                 opts ? opts->threads : 0, &cb, &c, err);
        s.ingest.added = c.added;
        s.ingest.already_stored = c.present;
        s.ingest.duplicates = c.duplicates;
        mr_ingest_close(it);
    }
    s.secs[MARSAD_STAGE_INGEST] = sr_now() - t0;
    s.rss_mb[MARSAD_STAGE_INGEST] = sr_rss_mb();
    s.cpu_secs[MARSAD_STAGE_INGEST] = sr_cpu() - c0;
    s.lead_cpu_secs[MARSAD_STAGE_INGEST] = sr_thread_cpu() - l0;
    if (rc != MARSAD_OK) {
        if (sum)
            *sum = s;
        return rc;
    }
    post_job pj;
    post_start(&pj, st);
    sr_corpus c;
    sr_run_opts ro = {on_facts, &rx, opts ? opts->threads : 0,
                      opts ? opts->batch : 0, opts ? opts->facts_only : 0};
    rc = sr_corpus_build(&c, st, 1, &ro, err);
    post_join(&pj);
    s.reports = c.n;
    s.extracted = c.nnew;
    s.figures_capped = c.ncapped;
    s.stories = c.nstories;
    s.stories_kept = c.nreused;
    for (int k = 0; k < SR_NSTAGES; k++) {
        s.secs[MARSAD_STAGE_LOAD + k] = c.stats.secs[k];
        s.rss_mb[MARSAD_STAGE_LOAD + k] = c.stats.rss_mb[k];
        s.cpu_secs[MARSAD_STAGE_LOAD + k] = c.stats.cpu_secs[k];
        s.lead_cpu_secs[MARSAD_STAGE_LOAD + k] = c.stats.lead_cpu_secs[k];
    }
    sr_corpus_free(&c);
    if (rc == MARSAD_OK)
        rc = mr_store_claim_counts(st, &s.claims, &s.conflicts, err);
    if (sum)
        *sum = s;
    return rc;
}

/* ------------------------------------------------------------ stories */

typedef struct story_bridge {
    marsad_story_fn fn;
    void *ctx;
} story_bridge;

static int story_row(const mr_story_row *row, void *ctx)
{
    story_bridge *b = ctx;
    marsad_story s = {row->id,       row->title,   row->first_seen,
                      row->last_seen, row->nreports, row->nclaims,
                      row->nconflicts, row->json,   row->json_len};
    return b->fn(&s, b->ctx);
}

marsad_status marsad_stories(marsad_store *st, size_t limit,
                             marsad_story_fn fn, void *ctx, marsad_error *err)
{
    if (!st || !fn)
        return mr_error_set(err, MARSAD_E_ARG, "stories",
                        "no store or no callback");
    story_bridge b = {fn, ctx};
    return mr_store_stories_each(st, NULL, limit, story_row, &b, NULL, err);
}

static int copy_json(const mr_story_row *row, void *ctx)
{
    char **out = ctx;
    *out = strndup(row->json, row->json_len);
    return 1;
}

marsad_status marsad_story_json(marsad_store *st, const char *id,
                                char **json, marsad_error *err)
{
    if (json)
        *json = NULL;
    if (!st || !id || !json)
        return mr_error_set(err, MARSAD_E_ARG, "story",
                        "no store, id or place for the JSON");
    marsad_status rc =
        mr_store_stories_each(st, id, 1, copy_json, json, NULL, err);
    if (rc == MARSAD_OK && !*json)
        return mr_error_set(err, MARSAD_E_NOMEM, "story", "out of memory");
    return rc;
}

/* -------------------------------------------------------------- reuse */

marsad_status marsad_reuse(marsad_store *st, const char *only,
                           marsad_json_fn fn, void *ctx, marsad_error *err)
{
    if (!st || !fn)
        return mr_error_set(err, MARSAD_E_ARG, "reuse", "no store or no callback");
    mr_reports R;
    marsad_status rc = mr_reports_load(st, &R);
    if (rc != MARSAD_OK) {
        mr_reports_free(&R);
        return mr_error_set(err, rc, mr_store_path(st), "reading the reports: %s",
                        marsad_strerror(rc));
    }
    int found = only == NULL;
    for (size_t i = 0; i < R.n && !found; i++)
        found = mr_corpus_reuse_has(&R.v[i], only);
    if (!found) {
        mr_reports_free(&R);
        return mr_error_set(err, MARSAD_E_NOTFOUND, mr_store_path(st),
                        "no report with id '%s'", only);
    }
    mr_reuse *pairs = NULL;
    size_t npairs = 0;
    rc = mr_corpus_reuse(R.v, R.n, &pairs, &npairs);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = NULL;
    for (size_t k = 0; rc == MARSAD_OK && k < npairs; k++) {
        const mr_report *a = &R.v[pairs[k].a], *b = &R.v[pairs[k].b];
        if (only && !mr_corpus_reuse_has(a, only) &&
            !mr_corpus_reuse_has(b, only))
            continue;
        if (!m && !(m = open_memstream(&buf, &len))) {
            rc = MARSAD_E_NOMEM;
            break;
        }
        rewind(m);
        mr_corpus_reuse_json(m, a, b, &pairs[k]);
        fputc(0, m);
        if (fflush(m) != 0 || !buf) {
            rc = MARSAD_E_NOMEM;
            break;
        }
        if (fn(buf, strlen(buf), ctx))
            break;
    }
    if (m)
        fclose(m);
    free(buf);
    mr_reuse_free(pairs, npairs);
    mr_reports_free(&R);
    if (rc != MARSAD_OK)
        return mr_error_set(err, rc, "reuse", "%s", marsad_strerror(rc));
    return MARSAD_OK;
}
