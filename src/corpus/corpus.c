/*
 * corpus.c: see corpus.h.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>


#include "corpus/corpus.h"
#include "store/store_read.h"
#include "out/facts_json.h"
#include "out/json.h"
#include "text/buf.h"

/* Stories larger than this compare only their first MAX_PAIR_DOCS reports
 * pairwise for passages (k^2 pairs). */
#define MAX_PAIR_DOCS 24
#define META_CLUSTER "story.cluster"
/* The stories cover the reports up to this row, and were made by this
 * revision (written with the stories). */
#define META_LAST_ROW "story.last_row"
#define META_REVISION "story.revision"
/* The facts of the reports up to this row are stored, made by this
 * revision (written with each batch of facts). Stores written before facts
 * were saved in batches have only the two keys above, which then say the
 * same of the facts. */
#define META_FACTS_ROW "facts.last_row"
#define META_FACTS_REVISION "facts.revision"

/* One fact row waiting for its insert: its JSON is at off in the report's
 * JSON buffer. */
typedef struct fact_row {
    const char *kind;
    uint32_t s, e;
    size_t off;
} fact_row;

/* A report's facts as rows ready to save (sr_item.rows). */
struct sr_fact_rows {
    fact_row *v;
    size_t n;
    char *js; /* the rows' JSON (fact_row.off), each ended by a NUL */
};

static void fact_rows_free(struct sr_fact_rows *fr)
{
    if (!fr)
        return;
    free(fr->v);
    free(fr->js);
    free(fr);
}

const char *const sr_stage_names[SR_NSTAGES] = {
    "load", "facts", "clustering", "stories", "save"};

double sr_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double sr_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double sr_thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double sr_rss_mb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, rss = 0;
    if (!f)
        return 0;
    if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
        rss = 0;
    fclose(f);
    return (double)rss * (double)sysconf(_SC_PAGESIZE) / 1048576.0;
}

static void stage_done(sr_corpus *c, int stage, double *t0)
{
    double t = sr_now();
    c->stats.secs[stage] = t - *t0;
    c->stats.rss_mb[stage] = sr_rss_mb();
    double cpu = sr_cpu();
    c->stats.cpu_secs[stage] = cpu - c->stats.cpu_mark;
    c->stats.cpu_mark = cpu;
    double lead = sr_thread_cpu();
    c->stats.lead_cpu_secs[stage] = lead - c->stats.lead_mark;
    c->stats.lead_mark = lead;
    *t0 = t;
}

typedef struct load_ctx {
    sr_item *v;
    size_t n, cap;
    int failed;
    int light; /* streaming: the id only, the rest is read in batches */
} load_ctx;

static int load_fn(int64_t row, const mr_report *r, void *ctx)
{
    load_ctx *l = ctx;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 256;
        sr_item *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) {
            l->failed = 1;
            return 1;
        }
        l->v = nv;
        l->cap = nc;
    }
    sr_item *it = &l->v[l->n];
    memset(it, 0, sizeof *it);
    it->row = row;
    if (l->light) {
        it->shed = true;
        if (!r->id || !(it->r.id = strdup(r->id))) {
            l->failed = 1;
            return 1;
        }
    } else if (!r->id || !mr_report_copy(&it->r, r)) {
        l->failed = 1;
        return 1;
    }
    l->n++;
    return 0;
}

static int item_cmp(const void *a, const void *b)
{
    return strcmp(((const sr_item *)a)->r.id, ((const sr_item *)b)->r.id);
}

static long find_item(const sr_corpus *c, const char *id)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int k = strcmp(c->items[mid].r.id, id);
        if (k == 0)
            return (long)mid;
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* What made the stored facts and stories: this marsad and extraction
 * revision. */
static const char *revision(void)
{
#define SR_STR2(x) #x
#define SR_STR(x) SR_STR2(x)
    return MARSAD_VERSION_STRING "/" SR_STR(MR_EXTRACT_REVISION);
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Extracts an item's facts; its tokens go (story synthesis rebuilds
 * them per story). */
static marsad_status extract_item(sr_item *it)
{
    mr_extract_opts xo = {it->r.published, it->r.outlet,
                          it->r.published_origin == MR_PUB_DATELINE,
                          mr_extract_ner_default()};
    marsad_status rc = mr_extract(it->r.text, it->r.text_len, &xo, &it->f);
    if (rc == MARSAD_OK)
        it->has_facts = it->extracted = true;
    return rc;
}

/* Streaming: drops all of an item but its id and row (its text, facts and
 * link doc are read or rebuilt again when its story is built). */
static void item_shed(sr_item *it)
{
    char *id = it->r.id;
    it->r.id = NULL;
    mr_report_clear(&it->r);
    it->r.id = id;
    mr_facts_free(&it->f);
    mr_link_doc_free(&it->ld);
    free(it->pend);
    it->pend = NULL;
    it->npend = 0;
    fact_rows_free(it->rows);
    it->rows = NULL;
    it->has_facts = it->stored_facts = it->has_ld = false;
    it->shed = true;
}

/* Streaming: reads a shed item's report back from the store. */
static marsad_status item_fill(mr_store *st, sr_item *it, marsad_error *err)
{
    if (!it->shed)
        return MARSAD_OK;
    mr_report r;
    marsad_status rc = mr_store_get_report(st, it->r.id, &r, NULL, err);
    if (rc != MARSAD_OK)
        return rc;
    mr_report_clear(&it->r);
    it->r = r;
    it->shed = false;
    return MARSAD_OK;
}

static marsad_status fail(marsad_error *err, marsad_status code,
                          const char *what)
{
    if (err) {
        err->code = code;
        snprintf(err->message, sizeof err->message, "%s: %s", what,
                 marsad_strerror(code));
    }
    return code;
}

/* ------------------------------------------------------ saving facts */


typedef struct fact_rows {
    fact_row *v;
    size_t n, cap;
    FILE *js; /* every row's JSON, each ended by a NUL */
    int failed;
} fact_rows;

/* Queues every fact of r as a row, its JSON the object `marsad facts
 * --json` prints for it (one memory stream per report, not one per fact:
 * a large analysis saves about a million facts). */
static void facts_rows(fact_rows *rows, const mr_report *r,
                       const mr_facts *f)
{
    static const char *const kinds[] = {"figure", "source", "date", "entity",
                                        "quote"};
    for (int k = MR_FACT_FIGURE; k <= MR_FACT_QUOTE; k++) {
        size_t n = k == MR_FACT_FIGURE   ? f->figures.n
                   : k == MR_FACT_SOURCE ? f->sources.n
                   : k == MR_FACT_DATE   ? f->dates.n
                   : k == MR_FACT_ENTITY ? f->entities.n
                                         : f->quotes.n;
        for (size_t i = 0; i < n && !rows->failed; i++) {
            uint32_t s = k == MR_FACT_FIGURE   ? f->figures.v[i].start
                         : k == MR_FACT_SOURCE ? f->sources.v[i].start
                         : k == MR_FACT_DATE   ? f->dates.v[i].start
                         : k == MR_FACT_ENTITY ? f->entities.v[i].start
                                               : f->quotes.v[i].start;
            uint32_t e = k == MR_FACT_FIGURE   ? f->figures.v[i].end
                         : k == MR_FACT_SOURCE ? f->sources.v[i].end
                         : k == MR_FACT_DATE   ? f->dates.v[i].end
                         : k == MR_FACT_ENTITY ? f->entities.v[i].end
                                               : f->quotes.v[i].end;
            if (rows->n == rows->cap) {
                size_t nc = rows->cap ? rows->cap * 2 : 64;
                fact_row *nv = realloc(rows->v, nc * sizeof *nv);
                if (!nv) {
                    rows->failed = 1;
                    break;
                }
                rows->v = nv;
                rows->cap = nc;
            }
            long off = ftell(rows->js);
            rows->v[rows->n++] =
                (fact_row){kinds[k], s, e, off < 0 ? 0 : (size_t)off};
            mr_fact_json(rows->js, r, f, (mr_fact_kind)k, i);
            fputc(0, rows->js);
        }
    }
}

/* An item's facts as rows to save (pure: run by the thread that
 * extracted them, so the writer only writes). */
static marsad_status make_rows(const sr_item *it, struct sr_fact_rows **out)
{
    struct sr_fact_rows *fr = calloc(1, sizeof *fr);
    if (!fr)
        return MARSAD_E_NOMEM;
    size_t jn = 0;
    fact_rows rows = {0};
    rows.js = open_memstream(&fr->js, &jn);
    if (!rows.js) {
        free(fr);
        return MARSAD_E_NOMEM;
    }
    facts_rows(&rows, &it->r, &it->f);
    int bad = fclose(rows.js) != 0 || rows.failed;
    fr->v = rows.v;
    fr->n = rows.n;
    if (bad) {
        fact_rows_free(fr);
        return MARSAD_E_NOMEM;
    }
    *out = fr;
    return MARSAD_OK;
}

/* Saves an item's facts (its rows, made here when no worker made them;
 * they go once written). */
static marsad_status save_facts(mr_store *st, sr_item *it, marsad_error *err)
{
    static const char *const kinds[] = {"figure", "date", "entity", "source",
                                        "quote"};
    marsad_status rc = MARSAD_OK;
    for (size_t k = 0; k < 5 && rc == MARSAD_OK; k++)
        rc = mr_store_facts_replace(st, it->r.id, kinds[k], err);
    if (rc != MARSAD_OK)
        return rc;
    if (!it->rows && make_rows(it, &it->rows) != MARSAD_OK)
        return fail(err, MARSAD_E_NOMEM, "saving facts");
    const struct sr_fact_rows *rows = it->rows;
    const char *js = rows->js;
    for (size_t i = 0; i < rows->n && rc == MARSAD_OK; i++) {
        uint32_t s = rows->v[i].s, e = rows->v[i].e;
        if (e > it->r.text_len)
            e = (uint32_t)it->r.text_len;
        if (s > e)
            s = e;
        char *t = strndup(it->r.text + s, e - s);
        if (!t) {
            rc = fail(err, MARSAD_E_NOMEM, "saving facts");
            break;
        }
        rc = mr_store_fact_add(st, it->r.id, rows->v[i].kind, s, e, t,
                               js + rows->v[i].off, err);
        free(t);
    }
    fact_rows_free(it->rows);
    it->rows = NULL;
    return rc;
}

/* ----------------------------------------------------------- stories */

static int story_cmp(const void *pa, const void *pb)
{
    const sr_story *a = pa, *b = pb;
    if (a->view.ndocs != b->view.ndocs)
        return a->view.ndocs > b->view.ndocs ? -1 : 1;
    int c = strcmp(a->view.first_seen ? a->view.first_seen : "",
                   b->view.first_seen ? b->view.first_seen : "");
    if (c)
        return c;
    return strcmp(a->view.id, b->view.id);
}

/* Copies (mr_store_copy): read once for the stories stage, ordered by the
 * id of the report they copy; a story names them beside their reports. */
typedef struct copies_ctx {
    sr_corpus *c;
    size_t cap;
    int failed;
} copies_ctx;

static int copy_fn(const mr_store_copy *cp, void *ctx)
{
    copies_ctx *x = ctx;
    sr_corpus *c = x->c;
    if (c->ncopies == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 64;
        mr_story_copy *v = realloc(c->copies, cap * sizeof *v);
        if (v)
            c->copies = v;
        const char **o = v ? realloc(c->copy_of, cap * sizeof *o) : NULL;
        if (!o) {
            x->failed = 1;
            return 1;
        }
        c->copy_of = o;
        x->cap = cap;
    }
    mr_arena *a = &c->copy_names;
    const char *of = mr_arena_strndup(a, cp->report_id, strlen(cp->report_id));
    mr_story_copy y = {
        mr_arena_strndup(a, cp->id, strlen(cp->id)),
        cp->outlet ? mr_arena_strndup(a, cp->outlet, strlen(cp->outlet)) : NULL,
        cp->published ? mr_arena_strndup(a, cp->published,
                                         strlen(cp->published))
                      : NULL};
    if (!of || !y.id || (cp->outlet && !y.outlet) ||
        (cp->published && !y.published)) {
        x->failed = 1;
        return 1;
    }
    c->copy_of[c->ncopies] = of;
    c->copies[c->ncopies++] = y;
    return 0;
}

static marsad_status load_copies(sr_corpus *c, mr_store *st,
                                  marsad_error *err)
{
    free(c->copies);
    free(c->copy_of);
    mr_arena_free(&c->copy_names);
    c->copies = NULL;
    c->copy_of = NULL;
    c->ncopies = 0;
    copies_ctx x = {c, 0, 0};
    marsad_status rc = mr_store_copies_each(st, copy_fn, &x, err);
    if (rc == MARSAD_OK && x.failed)
        rc = fail(err, MARSAD_E_NOMEM, "reading the copies of reports");
    return rc;
}

/* The copies of report id into doc (binary search). */
static void copies_of(const sr_corpus *c, const char *id, mr_story_doc *doc)
{
    size_t lo = 0, hi = c->ncopies;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->copy_of[mid], id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < c->ncopies && strcmp(c->copy_of[end], id) == 0)
        end++;
    doc->copies = end > lo ? &c->copies[lo] : NULL;
    doc->ncopies = end - lo;
}

/* A story's members (sequential: the clustering hands them out through
 * one scratch array). */
static marsad_status story_members(sr_corpus *c, size_t k, sr_story *s)
{
    mr_story_info info;
    marsad_status rc = mr_cluster_story(c->cluster, k, &info);
    if (rc != MARSAD_OK)
        return rc;
    s->docs = calloc(info.nreports ? info.nreports : 1, sizeof *s->docs);
    s->items = calloc(info.nreports ? info.nreports : 1, sizeof *s->items);
    if (!s->docs || !s->items)
        return MARSAD_E_NOMEM;
    size_t nd = 0;
    for (size_t i = 0; i < info.nreports; i++) {
        long at = find_item(c, info.reports[i]);
        if (at < 0)
            continue; /* not among the items: cannot happen */
        s->items[nd] = (size_t)at;
        s->docs[nd].report = &c->items[at].r;
        s->docs[nd].facts = &c->items[at].f;
        copies_of(c, c->items[at].r.id, &s->docs[nd]);
        nd++;
    }
    s->view.id = info.id;
    s->view.title = NULL;
    s->view.first_seen = info.first_seen;
    s->view.last_seen = info.last_seen;
    s->view.docs = s->docs;
    s->view.ndocs = nd;
    return MARSAD_OK;
}

/* Streaming: an item's stored facts read as they are (sequential: one
 * connection), for parse_facts. */
typedef struct pend_ctx {
    FILE *f;
} pend_ctx;

static int pend_fact(const mr_fact_row *row, void *ctx)
{
    static const char *const kinds[] = {"figure", "source", "date", "entity",
                                        "quote"};
    pend_ctx *p = ctx;
    /* quotes are not read back: no story output uses them (a sixth of the
     * stored facts' JSON) */
    for (int k = MR_FACT_FIGURE; k < MR_FACT_QUOTE; k++)
        if (strcmp(row->kind, kinds[k]) == 0) {
            fputc(k, p->f);
            if (row->packed && row->json[0] == '{') /* the span back (the
                                                       reader needs no text) */
                fprintf(p->f, "{\"start\":%u,\"end\":%u%s%s", row->start,
                        row->end, row->json[1] == '}' ? "" : ",",
                        row->json + 1);
            else
                fputs(row->json, p->f);
            fputc(0, p->f);
        }
    return 0;
}

/* Are its facts in the store: saved by this run, or by an earlier one of
 * this revision? */
static int facts_stored(const sr_corpus *c, const sr_item *it)
{
    return it->facts_saved || (c->facts_ok && it->row <= c->last_row);
}

static marsad_status fetch_facts(mr_store *st, sr_item *it, marsad_error *err)
{
    if (it->has_facts || it->pend)
        return MARSAD_OK;
    pend_ctx p = {open_memstream(&it->pend, &it->npend)};
    if (!p.f)
        return fail(err, MARSAD_E_NOMEM, "reading stored facts");
    marsad_status rc = mr_store_facts_kept(st, it->r.id, pend_fact, &p, err);
    if (fclose(p.f) != 0 && rc == MARSAD_OK)
        rc = fail(err, MARSAD_E_NOMEM, "reading stored facts");
    return rc;
}

/* Parses the facts fetch_facts read (in the thread of the item's story). */
static marsad_status parse_facts(sr_item *it)
{
    if (!it->pend)
        return MARSAD_OK;
    mr_facts_free(&it->f);
    marsad_status rc = MARSAD_OK;
    for (size_t at = 0; rc == MARSAD_OK && at < it->npend;) {
        int kind = (unsigned char)it->pend[at++];
        size_t len = strlen(it->pend + at);
        rc = mr_fact_add_json(&it->f, (mr_fact_kind)kind, it->pend + at, len);
        at += len + 1;
    }
    free(it->pend);
    it->pend = NULL;
    it->npend = 0;
    if (rc == MARSAD_OK)
        rc = mr_facts_read_done(&it->f);
    if (rc != MARSAD_OK) {
        mr_facts_free(&it->f);
        return rc;
    }
    it->has_facts = true;
    it->stored_facts = true;
    return MARSAD_OK;
}

/* A story's passages and synthesis. Stories share no report, so stories
 * are built in parallel; the tokens synthesis needs are rebuilt here and
 * dropped after (keeping every report's tokens would double the memory of
 * a large analysis). */
static marsad_status story_build(sr_corpus *c, sr_story *s)
{
    size_t nd = s->view.ndocs;
    marsad_status rc = MARSAD_OK;
    if (s->reuse)
        return MARSAD_OK;
    /* an older report in a changed story: its facts are needed again */
    for (size_t d = 0; d < nd && rc == MARSAD_OK; d++) {
        sr_item *it = &c->items[s->items[d]];
        rc = parse_facts(it); /* streaming: read back, not parsed yet */
        if (rc == MARSAD_OK && !it->has_facts)
            rc = extract_item(it); /* its tokens are rebuilt below */
    }
    /* the tokens synthesis needs */
    for (size_t d = 0; d < nd && rc == MARSAD_OK; d++) {
        sr_item *it = &c->items[s->items[d]];
        rc = mr_toks_build(&it->f.toks, it->r.text, it->r.text_len, 0);
    }
    /* passages between every pair (the first MAX_PAIR_DOCS reports) */
    size_t np = 0, cap = 0;
    size_t lim = nd < MAX_PAIR_DOCS ? nd : MAX_PAIR_DOCS;
    for (size_t d = 0; lim > 1 && d < lim && rc == MARSAD_OK; d++) {
        sr_item *it = &c->items[s->items[d]];
        if (!it->has_ld) /* shed (streaming): its tokens for the passages */
            rc = mr_link_doc_spans(&it->ld, &it->f.toks);
    }
    mr_passage_ws *ws = NULL;
    if (rc == MARSAD_OK && lim > 1)
        rc = mr_passage_ws_new(&ws);
    for (size_t a = 0; a < lim && rc == MARSAD_OK; a++)
        for (size_t b = a + 1; b < lim && rc == MARSAD_OK; b++) {
            mr_passage *ps = NULL;
            size_t nps = 0;
            rc = mr_link_passages_ws(&c->items[s->items[a]].ld,
                                     &c->items[s->items[b]].ld, &c->params,
                                     ws, &ps, &nps);
            for (size_t i = 0; rc == MARSAD_OK && i < nps; i++) {
                if (np == cap) {
                    size_t nc = cap ? cap * 2 : 16;
                    mr_story_passage *nv =
                        realloc(s->passages, nc * sizeof *nv);
                    if (!nv) {
                        rc = MARSAD_E_NOMEM;
                        break;
                    }
                    s->passages = nv;
                    cap = nc;
                }
                mr_story_passage *p = &s->passages[np++];
                p->a = a;
                p->b = b;
                p->a_start = ps[i].a_start;
                p->a_end = ps[i].a_end;
                p->b_start = ps[i].b_start;
                p->b_end = ps[i].b_end;
            }
            free(ps);
        }
    mr_passage_ws_free(ws);
    if (rc == MARSAD_OK)
        rc = mr_story_synth(s->docs, nd, &s->synth);
    for (size_t d = 0; d < nd; d++)
        mr_toks_free(&c->items[s->items[d]].f.toks);
    if (rc != MARSAD_OK)
        return rc;
    s->view.synth = &s->synth;
    s->view.passages = s->passages;
    s->view.npassages = np;
    return MARSAD_OK;
}

/* Deletes the stored stories that are not kept as they are (all of them
 * when the run is not incremental). */
static marsad_status drop_changed_stories(sr_corpus *c, mr_store *st,
                                          marsad_error *err)
{
    if (!c->incremental)
        return mr_store_stories_keep_only(st, NULL, 0, err);
    const char **kept = calloc(c->nstories ? c->nstories : 1, sizeof *kept);
    if (!kept)
        return fail(err, MARSAD_E_NOMEM, "clearing the stories");
    size_t nk = 0;
    for (size_t k = 0; k < c->nstories; k++)
        if (c->stories[k].reuse)
            kept[nk++] = c->stories[k].view.id;
    if (nk > 1)
        qsort(kept, nk, sizeof *kept, cmp_cstr);
    marsad_status rc = mr_store_stories_keep_only(st, kept, nk, err);
    free(kept);
    return rc;
}

static marsad_status set_row(mr_store *st, const char *key, int64_t row,
                             marsad_error *err)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)row);
    return mr_store_meta_set(st, key, num, err);
}

marsad_status sr_facts_mark(mr_store *st, int64_t *last_row, int *ok,
                            marsad_error *err)
{
    /* the facts up to a row are stored, by this revision, and the stories
     * stored (if any) are of this revision too */
    char *last = NULL, *rev = NULL, *srev = NULL;
    marsad_status rc = mr_store_meta_get(st, META_FACTS_ROW, &last, err);
    if (rc == MARSAD_OK)
        rc = mr_store_meta_get(st, META_FACTS_REVISION, &rev, err);
    if (rc == MARSAD_OK)
        rc = mr_store_meta_get(st, META_REVISION, &srev, err);
    if (rc == MARSAD_OK && !last && !rev) /* a store of before batches */
        rc = mr_store_meta_get(st, META_LAST_ROW, &last, err);
    if (rc == MARSAD_OK && !rev && srev)
        rev = strdup(srev);
    *last_row = last ? strtoll(last, NULL, 10) : 0;
    *ok = rc == MARSAD_OK && *last_row > 0 && rev &&
          strcmp(rev, revision()) == 0 &&
          (!srev || strcmp(srev, revision()) == 0);
    free(last);
    free(rev);
    free(srev);
    return rc;
}

marsad_status sr_facts_mark_set(mr_store *st, int64_t last_row,
                                marsad_error *err)
{
    marsad_status rc = set_row(st, META_FACTS_ROW, last_row, err);
    if (rc == MARSAD_OK)
        rc = mr_store_meta_set(st, META_FACTS_REVISION, revision(), err);
    return rc;
}

/* Writes story s (not kept as stored): its JSON line, its reports and its
 * passages (links, kind "passage", one row per pair). */
static marsad_status save_story(mr_store *st, sr_story *s, marsad_error *err)
{
    marsad_status rc = MARSAD_OK;
    char *js = NULL;
    size_t jn = 0;
    FILE *f = open_memstream(&js, &jn);
    if (!f)
        rc = MARSAD_E_NOMEM;
    else {
        mr_story_json(f, &s->view);
        fclose(f);
        if (jn && js[jn - 1] == '\n')
            js[--jn] = 0;
    }
    const char **ids = calloc(s->view.ndocs ? s->view.ndocs : 1,
                              sizeof *ids);
    if (!ids)
        rc = MARSAD_E_NOMEM;
    for (size_t d = 0; ids && d < s->view.ndocs; d++)
        ids[d] = s->docs[d].report->id;
    if (rc == MARSAD_OK)
        rc = mr_store_story_put(st, s->view.id, js, ids, s->view.ndocs,
                                err);
    free(ids);
    free(js);
    /* passages as links, kind "passage", one row per pair */
    for (size_t i = 0; i < s->view.npassages && rc == MARSAD_OK;) {
        size_t j = i;
        mr_buf b = MR_BUF_INIT;
        mr_buf_adds(&b, "[");
        while (j < s->view.npassages &&
               s->passages[j].a == s->passages[i].a &&
               s->passages[j].b == s->passages[i].b) {
            const mr_story_passage *p = &s->passages[j];
            mr_buf_printf(&b,
                          "%s{\"a_start\":%u,\"a_end\":%u,\"b_start\":%u,"
                          "\"b_end\":%u}",
                          j > i ? "," : "", p->a_start, p->a_end,
                          p->b_start, p->b_end);
            j++;
        }
        mr_buf_adds(&b, "]");
        const char *ia = s->docs[s->passages[i].a].report->id;
        const char *ib = s->docs[s->passages[i].b].report->id;
        int swap = strcmp(ia, ib) > 0;
        rc = mr_store_link_put(st, swap ? ib : ia, swap ? ia : ib,
                               "passage", (double)(j - i), b.p, err);
        mr_buf_free(&b);
        i = j;
    }
    return rc;
}

/* The marks of a finished run, then the commit (a rollback on error). */
static marsad_status save_stories_end(sr_corpus *c, mr_store *st,
                                      marsad_status rc, marsad_error *err)
{
    /* stores of earlier versions kept the clustering state (its features
     * are rebuilt from the reports each run, see sr_corpus_build) */
    if (rc == MARSAD_OK)
        rc = mr_store_meta_delete(st, META_CLUSTER, err);
    int64_t maxrow = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->items[i].row > maxrow)
            maxrow = c->items[i].row;
    if (rc == MARSAD_OK)
        rc = set_row(st, META_LAST_ROW, maxrow, err);
    if (rc == MARSAD_OK)
        rc = mr_store_meta_set(st, META_REVISION, revision(), err);
    if (rc == MARSAD_OK)
        return mr_store_commit(st, err);
    mr_store_rollback(st);
    return rc;
}

static marsad_status save_stories(sr_corpus *c, mr_store *st,
                                  marsad_error *err)
{
    marsad_status rc = mr_store_begin(st, err);
    if (rc != MARSAD_OK)
        return rc;
    /* stories: the stored rows of the unchanged ones stay; the others go
     * (a story's id changes when an earlier report joins it) and the
     * changed and new ones are written */
    rc = drop_changed_stories(c, st, err);
    for (size_t k = 0; k < c->nstories && rc == MARSAD_OK; k++)
        if (!c->stories[k].reuse)
            rc = save_story(st, &c->stories[k], err);
    return save_stories_end(c, st, rc, err);
}

/* ------------------------------------------------ per-report work */

#define MAX_THREADS 8

/* Threads to use: MARSAD_THREADS, else one per online CPU; at most
 * MAX_THREADS and at most `useful`. */
static size_t nthreads(const sr_corpus *c, size_t useful)
{
    long ncpu = c->threads ? (long)c->threads : sysconf(_SC_NPROCESSORS_ONLN);
    const char *env = getenv("MARSAD_THREADS");
    if (!c->threads && env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (!*end && v > 0)
            ncpu = v;
    }
    size_t nt = ncpu > 0 ? (size_t)ncpu : 1;
    if (nt > MAX_THREADS)
        nt = MAX_THREADS;
    return nt < useful ? nt : useful ? useful : 1;
}

/* The per-report work of a batch, handed out one item at a time to a pool
 * of threads (reports vary in size by orders of magnitude): the items
 * idx[0, nold) get their link docs from their text (their facts are
 * stored), the items idx[nold, n) their facts (extraction, whose tokens
 * make the link doc too) and, with rows, their facts as rows to save.
 * Each result depends on its item alone, so nothing depends on the number
 * of threads or the order they run in. */
typedef struct prep_pool {
    sr_corpus *c;
    const size_t *idx;
    size_t n, nold;
    int rows;
    atomic_size_t next;
    atomic_int rc;
    pthread_t th[MAX_THREADS];
    size_t started;
} prep_pool;

static marsad_status prep_item(sr_corpus *c, sr_item *it, int extract,
                               int rows)
{
    size_t tl = it->r.title ? strlen(it->r.title) : 0;
    marsad_status rc;
    if (extract) {
        /* extraction's tokens make the link doc too */
        rc = extract_item(it);
        if (rc == MARSAD_OK)
            rc = mr_link_doc_build_toks(&it->ld, &it->f.toks, it->r.title,
                                        tl, &c->params);
        if (rc == MARSAD_OK && rows)
            rc = make_rows(it, &it->rows);
    } else {
        rc = mr_link_doc_build(&it->ld, it->r.text, it->r.text_len,
                               it->r.title, tl, &c->params);
    }
    it->has_ld = rc == MARSAD_OK;
    /* the tokens go: story synthesis rebuilds them per story */
    mr_toks_free(&it->f.toks);
    return rc;
}

/* Takes items until none is left; the calling thread's loop (progress
 * set) reports done0 + the items handed out, of total. */
static void prep_loop(prep_pool *p, sr_progress_fn progress, void *pctx,
                      size_t done0, size_t total)
{
    for (;;) {
        size_t k = atomic_fetch_add(&p->next, 1);
        if (k >= p->n || atomic_load(&p->rc) != MARSAD_OK)
            break;
        marsad_status rc =
            prep_item(p->c, &p->c->items[p->idx[k]], k >= p->nold, p->rows);
        if (rc != MARSAD_OK)
            atomic_store(&p->rc, rc);
        if (progress)
            progress(done0 + k + 1, total, pctx);
    }
}

static void *prep_work(void *arg)
{
    prep_loop(arg, NULL, NULL, 0, 0);
    return NULL;
}

/* Starts the workers of a batch: one fewer than the threads to use, the
 * calling thread being the last (pool_finish), once it has done what only
 * it can do (reading and writing the store). With one thread, none. */
static void pool_start(prep_pool *p, sr_corpus *c, const size_t *idx,
                       size_t n, size_t nold, int rows)
{
    p->c = c;
    p->idx = idx;
    p->n = n;
    p->nold = nold;
    p->rows = rows;
    atomic_init(&p->next, 0);
    atomic_init(&p->rc, MARSAD_OK);
    p->started = 0;
    size_t nt = nthreads(c, n / 16 + 1);
    for (size_t t = 1; t < nt; t++) {
        if (pthread_create(&p->th[p->started], NULL, prep_work, p) != 0)
            break;
        p->started++;
    }
}

/* The calling thread joins the batch's work, then waits for the workers.
 * With stop, the rest is given up (an error of the calling thread's). */
static marsad_status pool_finish(prep_pool *p, int stop,
                                 sr_progress_fn progress, void *pctx,
                                 size_t done0, size_t total)
{
    if (stop)
        atomic_store(&p->rc, MARSAD_E_NOMEM);
    else
        prep_loop(p, progress, pctx, done0, total);
    for (size_t t = 0; t < p->started; t++)
        pthread_join(p->th[t], NULL);
    p->started = 0;
    return (marsad_status)atomic_load(&p->rc);
}

/* Prepares the items idx[0..n): link docs only (extract 0) or facts (and
 * their rows to save, with rows), on the pool. Progress counts done0 + the
 * items done, of total. */
static marsad_status prepare(sr_corpus *c, const size_t *idx, size_t n,
                             int extract, int rows, sr_progress_fn progress,
                             void *pctx, size_t done0, size_t total)
{
    prep_pool p;
    pool_start(&p, c, idx, n, extract ? 0 : n, rows);
    marsad_status rc = pool_finish(&p, 0, progress, pctx, done0, total);
    if (progress)
        progress(done0 + n, total, pctx);
    return rc;
}

typedef struct by_row {
    int64_t row;
    size_t i;
} by_row;

static int row_cmp(const void *pa, const void *pb)
{
    int64_t a = ((const by_row *)pa)->row, b = ((const by_row *)pb)->row;
    return a < b ? -1 : a > b;
}

/* Sorts the item indexes idx[0..n) by their rows. */
static int sort_by_row(const sr_corpus *c, size_t *idx, size_t n)
{
    by_row *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return 0;
    for (size_t k = 0; k < n; k++)
        v[k] = (by_row){c->items[idx[k]].row, idx[k]};
    qsort(v, n, sizeof *v, row_cmp);
    for (size_t k = 0; k < n; k++)
        idx[k] = v[k].i;
    free(v);
    return 1;
}

/* Saves the facts of the items fresh[0..nf) (nf > 0) with the mark of how
 * far extraction got, in one transaction. When the run is not incremental
 * the first batch (*stories_dropped still 0) also drops every stored
 * story, which another revision made: none left are of this one and cover
 * nothing, so a rerun after a kill goes on. */
static marsad_status save_batch(sr_corpus *c, mr_store *st,
                                const size_t *fresh, size_t nf,
                                int *stories_dropped, marsad_error *err)
{
    marsad_status rc = mr_store_begin(st, err);
    if (rc == MARSAD_OK && !*stories_dropped) {
        rc = mr_store_stories_keep_only(st, NULL, 0, err);
        if (rc == MARSAD_OK)
            rc = set_row(st, META_LAST_ROW, 0, err);
        if (rc == MARSAD_OK)
            rc = mr_store_meta_set(st, META_REVISION, revision(), err);
    }
    for (size_t k = 0; k < nf && rc == MARSAD_OK; k++)
        rc = save_facts(st, &c->items[fresh[k]], err);
    if (rc == MARSAD_OK)
        rc = sr_facts_mark_set(st, c->items[fresh[nf - 1]].row, err);
    if (rc == MARSAD_OK)
        rc = mr_store_commit(st, err);
    else
        mr_store_rollback(st);
    *stories_dropped = 1;
    c->nnew += nf;
    return rc;
}

/* Facts of every item that has none stored, in batches in the order stored
 * (row): each batch is extracted (in parallel), then its facts are saved
 * with the mark of how far extraction got (META_FACTS_ROW,
 * META_FACTS_REVISION) in
 * one transaction. A kill loses at most the batch in progress, and the
 * next run starts after the last batch committed. When the run is not
 * incremental (a new store, or another revision), the first batch also
 * drops every stored story, which the old revision made. With save == 0
 * nothing is written. The other items get their link docs only. */
static marsad_status prepare_all(sr_corpus *c, mr_store *st, int save,
                                 size_t batch, sr_progress_fn progress,
                                 void *pctx, marsad_error *err)
{
    size_t *fresh = malloc((c->n ? c->n : 1) * sizeof *fresh);
    size_t *old = malloc((c->n ? c->n : 1) * sizeof *old);
    size_t nf = 0, no = 0;
    if (!fresh || !old) {
        free(fresh);
        free(old);
        return fail(err, MARSAD_E_NOMEM, "facts");
    }
    for (size_t i = 0; i < c->n; i++) {
        if (!c->facts_ok || c->items[i].row > c->last_row)
            fresh[nf++] = i;
        else
            old[no++] = i;
    }
    marsad_status rc = sort_by_row(c, fresh, nf)
                           ? prepare(c, old, no, 0, 0, progress, pctx, 0, c->n)
                           : MARSAD_E_NOMEM;
    if (!batch)
        batch = 500;
    int stories_dropped = c->facts_ok;
    for (size_t b = 0; b < nf && rc == MARSAD_OK; b += batch) {
        size_t nb = nf - b < batch ? nf - b : batch;
        rc = prepare(c, fresh + b, nb, 1, save, progress, pctx, no + b,
                     c->n);
        if (rc != MARSAD_OK) {
            fail(err, rc, "facts");
            break;
        }
        for (size_t k = b; k < b + nb; k++)
            c->ncapped += c->items[fresh[k]].f.figures_dropped != 0;
        if (save)
            rc = save_batch(c, st, fresh + b, nb, &stories_dropped, err);
    }
    free(fresh);
    free(old);
    return rc;
}

/* The end of a report's first sentence: its first full stop, question or
 * exclamation mark or line break after a few words (a dateline's "بيروت -"
 * is no sentence). */
static size_t lead_end(const char *t, size_t n)
{
    for (size_t i = 40; t && i < n; i++) {
        unsigned char ch = (unsigned char)t[i];
        if (ch == '.' || ch == '!' || ch == '\n' || ch == '?')
            return i;
        if (ch == 0xd8 && i + 1 < n && (unsigned char)t[i + 1] == 0x9f)
            return i; /* ؟ */
    }
    return n;
}

/* A dash at t[i]: '-', or an en or em dash. */
static int dash_at(const char *t, size_t n, size_t i)
{
    return t[i] == '-' ||
           ((unsigned char)t[i] == 0xe2 && i + 2 < n &&
            (unsigned char)t[i + 1] == 0x80 &&
            ((unsigned char)t[i + 2] == 0x93 || (unsigned char)t[i + 2] == 0x94));
}

/* The bracket opened at t[open] closes within a few words and a dash
 * follows it: "(CNN)--", "(رويترز) - ". */
static int bracket_then_dash(const char *t, size_t n, size_t open)
{
    for (size_t i = open + 1; i < n && i < open + 40; i++)
        if (t[i] == ')') {
            size_t j = i + 1;
            while (j < n && (t[j] == ' ' || ((unsigned char)t[j] == 0xc2 &&
                                             j + 1 < n &&
                                             (unsigned char)t[j + 1] == 0xa0)))
                j += t[j] == ' ' ? 1 : 2;
            return j < n && dash_at(t, n, j);
        }
    return 0;
}

/* The end of a report's dateline, 0 when it has none: a few words at the
 * top of the text closed by '(' or a spaced dash ("دبي، الإمارات العربية
 * المتحدة (CNN)--", "بيروت - "). The places there are where the outlet
 * files from, not where its event is, so they are no lead places. */
static size_t lead_begin(const char *t, size_t n)
{
    size_t words = 0;
    int in_word = 0, comma = 0;
    for (size_t i = 0; t && i < n && i < 100; i++) {
        unsigned char ch = (unsigned char)t[i];
        int space = ch == ' ' || ch == '\t' ||
                    (ch == 0xc2 && i + 1 < n && (unsigned char)t[i + 1] == 0xa0);
        if (ch == '.' || ch == '!' || ch == '\n' || ch == '?' || ch == ':')
            return 0;
        /* "CITY، COUNTRY (CNN)", "CITY (AGENCY)" or "CITY NAME
         * (AGENCY)--": a bracket after a list of names, one word, or
         * closing on a dash; "CITY، COUNTRY - " or "CITY - ": a dash after
         * a list of names or one or two words. A sentence's own bracket
         * or dash ("ضرب زلزال قوي محافظة
         * بوشهر الإيرانية (جنوبي البلاد)", "قتل عشرون شخصا على الأقل
         * كانوا - بحسب تقارير -") is no dateline. */
        if (words && ch == '(')
            return comma || words == 1 || bracket_then_dash(t, n, i) ? i : 0;
        if (words && dash_at(t, n, i) && i > 0 &&
            (t[i - 1] == ' ' || (unsigned char)t[i - 1] == 0xa0))
            return comma || words <= 2 ? i : 0;
        int is_comma = ch == ',' || (ch == 0xd8 && i + 1 < n &&
                                     (unsigned char)t[i + 1] == 0x8c);
        comma |= is_comma;
        if (space) {
            in_word = 0;
        } else if (!in_word && !is_comma) {
            in_word = 1;
            if (++words > 6)
                return 0;
        }
    }
    return 0;
}

/* The main places of a report (mr_cluster_set_places): of the places it
 * names (names[k] with place[k] set; lead[k] when in its first sentence),
 * the specific ones (not a country or region) named twice or more or in
 * the lead, most named first (a lead mention counting one more, ties by
 * first named), at most MAIN_PLACES. v is scratch for nn entries; the
 * names go to out[0..return). */
#define MAIN_PLACES 4
typedef struct pcount {
    const char *name;
    unsigned n;
} pcount;
static size_t main_places(const char *const *names, const unsigned char *place,
                          const unsigned char *lead, size_t nn, pcount *v,
                          const char **out)
{
    size_t nv = 0;
    for (size_t k = 0; k < nn; k++) {
        if (!place[k] || !names[k])
            continue;
        size_t x = 0;
        while (x < nv && strcmp(v[x].name, names[k]) != 0)
            x++;
        if (x == nv)
            v[nv++] = (pcount){names[k], 0};
        v[x].n += 1u + (lead[k] ? 1u : 0u);
    }
    size_t no = 0;
    while (no < MAIN_PLACES) {
        size_t best = nv;
        for (size_t x = 0; x < nv; x++)
            if (v[x].n >= 2 && (best == nv || v[x].n > v[best].n) &&
                !mr_entity_is_territory(v[x].name))
                best = x;
        if (best == nv)
            break;
        out[no++] = v[best].name;
        v[best].n = 0;
    }
    return no;
}

/* A growing array of names, the scratch of cluster_add_item. */
typedef struct names {
    const char **v;
    size_t cap;
    pcount *pc;              /* main_places' scratch */
    unsigned char *fl;       /* per name: place, lead */
    size_t cappc;
} names;

/* Gives item it to the clustering: its link doc, its entity names (from
 * its facts, else those the store kept) and its lead places (the places
 * named in its first sentence). */
static marsad_status cluster_add_item(sr_corpus *c, sr_item *it, names *nm)
{
    size_t want = 2 * it->f.entities.n + it->nents;
    if (want > nm->cap) {
        const char **nv = realloc(nm->v, want * sizeof *nv);
        if (!nv)
            return MARSAD_E_NOMEM;
        nm->v = nv;
        nm->cap = want;
    }
    size_t nnames = it->f.entities.n + it->nents;
    if (nnames > nm->cappc) {
        pcount *np2 = realloc(nm->pc, nnames * sizeof *np2);
        if (np2)
            nm->pc = np2;
        unsigned char *nf = realloc(nm->fl, 2 * nnames);
        if (nf)
            nm->fl = nf;
        if (!np2 || !nf)
            return MARSAD_E_NOMEM;
        nm->cappc = nnames;
    }
    const char **ents = nm->v;
    const char *mainp[MAIN_PLACES];
    size_t nmain = 0;
    marsad_status rc;
    size_t ne = 0;
    for (size_t k = 0; k < it->f.entities.n; k++)
        if (it->f.entities.v[k].canonical)
            ents[ne++] = it->f.entities.v[k].canonical;
    /* the lead places (first sentence), after the names */
    size_t np = 0;
    if (it->has_facts) {
        size_t lead = lead_end(it->r.text, it->r.text_len);
        size_t from = lead_begin(it->r.text, it->r.text_len);
        for (size_t k = 0; k < it->f.entities.n; k++) {
            const mr_entity *en = &it->f.entities.v[k];
            if (en->canonical && en->kind == MR_ENT_PLACE &&
                en->start >= from && en->start < lead)
                ents[ne + np++] = en->canonical;
        }
        rc = mr_cluster_add_lead(c->cluster, it->r.id, it->r.published,
                                 &it->ld, ents, ne, ents + ne, np);
        size_t nf = 0;
        for (size_t k = 0; k < it->f.entities.n; k++) {
            const mr_entity *en = &it->f.entities.v[k];
            if (!en->canonical)
                continue;
            nm->fl[nf] = en->kind == MR_ENT_PLACE;
            nm->fl[nnames + nf] = en->kind == MR_ENT_PLACE &&
                                  en->start >= from && en->start < lead;
            nf++;
        }
        nmain = main_places(ents, nm->fl, nm->fl + nnames, nf, nm->pc, mainp);
    } else {
        for (size_t k = 0; k < it->nents; k++) {
            nm->fl[k] = (it->ent_lead[k] & ENT_PLACE) != 0;
            nm->fl[nnames + k] = (it->ent_lead[k] & ENT_LEAD) != 0;
            if (it->ent_lead[k] & ENT_LEAD)
                ents[np++] = it->ents[k];
        }
        rc = mr_cluster_add_lead(c->cluster, it->r.id, it->r.published,
                                 &it->ld, (const char *const *)it->ents,
                                 it->nents, ents, np);
        nmain = main_places((const char *const *)it->ents, nm->fl,
                            nm->fl + nnames, it->nents, nm->pc, mainp);
    }
    /* the lead places that are countries or regions (kept after the
     * names, so the scratch is theirs) */
    const char **lead = it->has_facts ? ents + ne : ents;
    size_t nwide = 0;
    for (size_t k = 0; k < np; k++)
        if (mr_entity_is_territory(lead[k]))
            lead[nwide++] = lead[k];
    if (rc == MARSAD_OK && nwide)
        rc = mr_cluster_set_wide(c->cluster, it->r.id, lead, nwide);
    if (rc == MARSAD_OK && nmain)
        rc = mr_cluster_set_places(c->cluster, it->r.id, mainp, nmain);
    it->added = rc == MARSAD_OK;
    return rc;
}

/* Writes the clustering's queued reports as a saved state to path
 * (MARSAD_CLUSTER_STATE). */
static marsad_status dump_cluster_state(sr_corpus *c, const char *path)
{
    mr_buf b = MR_BUF_INIT;
    marsad_status rc = mr_cluster_save(c->cluster, &b);
    FILE *f = rc == MARSAD_OK ? fopen(path, "wb") : NULL;
    if (rc == MARSAD_OK && (!f || fwrite(b.p ? b.p : "", 1, b.len, f) != b.len))
        rc = MARSAD_E_IO;
    if (f && fclose(f) != 0)
        rc = MARSAD_E_IO;
    mr_buf_free(&b);
    return rc;
}

typedef struct fill_ctx {
    sr_corpus *c;
    size_t want, got;
    size_t *held; /* the reports held whole (stream_all) */
    int64_t last; /* the row of the last report read */
    int failed;
} fill_ctx;

/* Streaming: the next reports in the order stored fill their items. */
static int fill_fn(int64_t row, const mr_report *r, void *ctx)
{
    fill_ctx *f = ctx;
    long at = r->id ? find_item(f->c, r->id) : -1;
    f->last = row;
    if (at >= 0) {
        sr_item *it = &f->c->items[at];
        mr_report_clear(&it->r);
        if (!mr_report_copy(&it->r, r)) {
            f->failed = 1;
            return 1;
        }
        *f->held += it->shed;
        it->shed = false;
    }
    return ++f->got >= f->want;
}

static marsad_status load_entities(sr_corpus *c, mr_store *st, int64_t after,
                                   int64_t upto, marsad_error *err);

/* Drops the entity names load_entities gave an item (once it is given to
 * the clustering, which keeps its own copy). */
static void item_ents_free(sr_item *it)
{
    for (size_t k = 0; k < it->nents; k++)
        free(it->ents[k]);
    free(it->ents);
    free(it->ent_lead);
    it->ents = NULL;
    it->ent_lead = NULL;
    it->nents = 0;
}

/* Streaming: reads the batch of nb reports after row *after (the order
 * stored) into their items, with the stored entity names of those
 * analysed before, and lists them in part: the *no analysed before first,
 * then the *nf new ones. */
static marsad_status read_batch(sr_corpus *c, mr_store *st, const size_t *idx,
                                size_t nb, int64_t *after, size_t *part,
                                size_t *no, size_t *nf, size_t *held,
                                marsad_error *err)
{
    fill_ctx f = {c, nb, 0, held, *after, 0};
    marsad_status rc = mr_store_reports_each(st, *after, fill_fn, &f);
    int64_t from = *after;
    *after = f.last;
    if (rc == MARSAD_OK && f.failed)
        rc = MARSAD_E_NOMEM;
    if (rc != MARSAD_OK)
        return fail(err, rc, "reading the reports");
    if (c->facts_ok && (rc = load_entities(c, st, from, f.last, err)) !=
                           MARSAD_OK)
        return fail(err, rc, "reading the stored entities");
    if (*held > c->held_max)
        c->held_max = *held;
    *no = *nf = 0;
    for (size_t k = 0; k < nb; k++) {
        const sr_item *it = &c->items[idx[k]];
        if (c->facts_ok && it->row <= c->last_row)
            part[(*no)++] = idx[k];
    }
    for (size_t k = 0; k < nb; k++) {
        const sr_item *it = &c->items[idx[k]];
        if (!c->facts_ok || it->row > c->last_row)
            part[*no + (*nf)++] = idx[k];
    }
    return MARSAD_OK;
}

/* Streaming: a batch's items old[0..no) (analysed before, with their
 * link docs and stored entity names) and new items old[no..no + nf)
 * (extracted) are given to the clustering and shed; the new ones' facts
 * are saved first (one transaction with the mark). */
static marsad_status batch_done(sr_corpus *c, mr_store *st,
                                const size_t *old, size_t no, size_t nf,
                                int *stories_dropped, names *nm, size_t *held,
                                marsad_error *err)
{
    const size_t *fresh = old + no;
    for (size_t k = 0; k < nf; k++)
        c->ncapped += c->items[fresh[k]].f.figures_dropped != 0;
    marsad_status rc = MARSAD_OK;
    for (size_t k = 0; k < no && rc == MARSAD_OK; k++) {
        sr_item *it = &c->items[old[k]];
        rc = cluster_add_item(c, it, nm);
        if (rc != MARSAD_OK)
            fail(err, rc, "facts and stories");
        item_ents_free(it);
        item_shed(it);
        (*held)--;
    }
    if (nf && rc == MARSAD_OK)
        rc = save_batch(c, st, fresh, nf, stories_dropped, err);
    for (size_t k = 0; k < nf && rc == MARSAD_OK; k++) {
        sr_item *it = &c->items[fresh[k]];
        rc = cluster_add_item(c, it, nm);
        if (rc != MARSAD_OK)
            fail(err, rc, "facts and stories");
        it->facts_saved = true;
        item_shed(it);
        (*held)--;
    }
    return rc;
}

/* Streaming, instead of prepare_all: the reports are read from the store
 * in batches in the order stored; each batch's new reports are extracted
 * (on the pool), their facts committed as prepare_all does, given to the
 * clustering and shed; the others (analysed before) are read with their
 * stored entity names (load_entities over the batch's rows), get their
 * link docs, and are given to the clustering and shed with them: an
 * incremental run holds what a fresh one holds, not every older report.
 * A pipeline: while the workers extract batch b, the calling thread saves
 * batch b - 1 and reads batch b + 1 (the store's one connection is its
 * alone), then joins the workers on b. The store is written in the order
 * stored, as on one thread. */
static marsad_status stream_all(sr_corpus *c, mr_store *st, size_t batch,
                                sr_progress_fn progress, void *pctx,
                                marsad_error *err)
{
    if (!batch)
        batch = 500;
    size_t *idx = malloc((c->n ? c->n : 1) * sizeof *idx);
    size_t *cur = malloc(batch * sizeof *cur);
    size_t *prev = malloc(batch * sizeof *prev);
    if (!idx || !cur || !prev) {
        free(idx);
        free(cur);
        free(prev);
        return fail(err, MARSAD_E_NOMEM, "facts");
    }
    for (size_t i = 0; i < c->n; i++)
        idx[i] = i;
    marsad_status rc = sort_by_row(c, idx, c->n)
                           ? MARSAD_OK
                           : fail(err, MARSAD_E_NOMEM, "facts");
    int stories_dropped = c->facts_ok;
    int64_t after = 0;
    names nm = {0};
    size_t cur_no = 0, cur_nf = 0, prev_no = 0, prev_nf = 0;
    int have_prev = 0;
    size_t held = 0;
    if (rc == MARSAD_OK && c->n)
        rc = read_batch(c, st, idx, c->n < batch ? c->n : batch, &after, cur,
                        &cur_no, &cur_nf, &held, err);
    for (size_t b = 0; b < c->n && rc == MARSAD_OK; b += batch) {
        size_t nb = c->n - b < batch ? c->n - b : batch;
        prep_pool p;
        pool_start(&p, c, cur, cur_no + cur_nf, cur_no, 1);
        /* meanwhile: the last batch written, the next one read (into the
         * last one's list, done with) */
        marsad_status sr = MARSAD_OK;
        if (have_prev)
            sr = batch_done(c, st, prev, prev_no, prev_nf, &stories_dropped,
                            &nm, &held, err);
        size_t next_no = 0, next_nf = 0, nb2 = c->n - (b + nb);
        if (sr == MARSAD_OK && nb2)
            sr = read_batch(c, st, idx + b + nb, nb2 < batch ? nb2 : batch,
                            &after, prev, &next_no, &next_nf, &held, err);
        rc = pool_finish(&p, sr != MARSAD_OK, progress, pctx, b, c->n);
        if (sr != MARSAD_OK)
            rc = sr;
        else if (rc != MARSAD_OK)
            fail(err, rc, "facts");
        size_t *t = prev;
        prev = cur;
        cur = t;
        prev_no = cur_no;
        prev_nf = cur_nf;
        cur_no = next_no;
        cur_nf = next_nf;
        have_prev = 1;
    }
    if (progress && rc == MARSAD_OK)
        progress(c->n, c->n, pctx);
    if (rc == MARSAD_OK && have_prev)
        rc = batch_done(c, st, prev, prev_no, prev_nf, &stories_dropped, &nm,
                        &held, err);
    free(nm.v);
    free(nm.pc);
    free(nm.fl);
    free(idx);
    free(cur);
    free(prev);
    return rc;
}

/* The entity names the store kept for the reports whose facts were not
 * extracted this run, in the order extraction gave them (the facts' row
 * order), for the clustering. */
typedef struct ents_ctx {
    sr_corpus *c;
    long at;      /* the item of the current report, or -1 */
    size_t cap;
    char *cur;    /* the current report's id */
    size_t from;  /* the end of its dateline (lead_begin) */
    size_t lead;  /* the end of its first sentence (lead_end) */
    marsad_status rc;
} ents_ctx;

static int take_entity(const mr_entity_row *row, void *ctx)
{
    ents_ctx *e = ctx;
    const char *id = row->report_id, *canon = row->canonical;
    if (!e->cur || strcmp(id, e->cur) != 0) { /* the next report's rows */
        free(e->cur);
        if (!(e->cur = strdup(id))) {
            e->rc = MARSAD_E_NOMEM;
            return 1;
        }
        e->at = find_item(e->c, id);
        e->cap = 0;
        if (e->at >= 0) { /* once per report, not per entity */
            e->from = lead_begin(e->c->items[e->at].r.text,
                                 e->c->items[e->at].r.text_len);
            e->lead = lead_end(e->c->items[e->at].r.text,
                               e->c->items[e->at].r.text_len);
        }
    }
    if (e->at < 0 || e->c->items[e->at].has_facts ||
        e->c->items[e->at].added || e->c->items[e->at].row > e->c->last_row)
        return 0;
    sr_item *it = &e->c->items[e->at];
    if (it->nents == e->cap) {
        size_t nc = e->cap ? e->cap * 2 : 8;
        char **nv = realloc(it->ents, nc * sizeof *nv);
        if (!nv) {
            e->rc = MARSAD_E_NOMEM;
            return 1;
        }
        it->ents = nv;
        unsigned char *nl = realloc(it->ent_lead, nc * sizeof *nl);
        if (!nl) {
            e->rc = MARSAD_E_NOMEM;
            return 1;
        }
        it->ent_lead = nl;
        e->cap = nc;
    }
    /* a place (of the lead: the place of the report's event) */
    it->ent_lead[it->nents] = 0;
    if (strcmp(row->kind, "place") == 0)
        it->ent_lead[it->nents] =
            (unsigned char)(ENT_PLACE | (row->start >= e->from &&
                                         row->start < e->lead ? ENT_LEAD : 0));
    if (!(it->ents[it->nents] = strdup(canon))) {
        e->rc = MARSAD_E_NOMEM;
        return 1;
    }
    it->nents++;
    return 0;
}

/* The stored entity names of the reports of rows after < row <= upto whose
 * facts were stored before this run (row <= c->last_row): a streaming
 * batch's (read_batch), or every report's (0, INT64_MAX). */
static marsad_status load_entities(sr_corpus *c, mr_store *st, int64_t after,
                                   int64_t upto, marsad_error *err)
{
    ents_ctx e = {c, -1, 0, NULL, 0, 0, MARSAD_OK};
    if (upto > c->last_row)
        upto = c->last_row;
    if (upto <= after)
        return MARSAD_OK;
    marsad_status rc =
        mr_store_entities_each(st, after, upto, take_entity, &e, err);
    free(e.cur);
    return rc != MARSAD_OK ? rc : e.rc;
}

/* Marks the stories whose reports are those of the stored story with the
 * same id: their stored rows stand (synthesis is a function of the
 * reports, and the revision is the same). */
static marsad_status mark_unchanged(sr_corpus *c, mr_store *st,
                                    marsad_error *err)
{
    marsad_status rc = MARSAD_OK;
    const char **ids = NULL;
    size_t cap = 0;
    for (size_t k = 0; k < c->nstories && rc == MARSAD_OK; k++) {
        sr_story *s = &c->stories[k];
        size_t nd = s->view.ndocs;
        if (nd > cap) {
            const char **nv = realloc(ids, nd * sizeof *nv);
            if (!nv) {
                rc = MARSAD_E_NOMEM;
                break;
            }
            ids = nv;
            cap = nd;
        }
        for (size_t d = 0; d < nd; d++)
            ids[d] = s->docs[d].report->id;
        if (nd > 1)
            qsort(ids, nd, sizeof *ids, cmp_cstr);
        char **stored = NULL;
        size_t m = 0;
        rc = mr_store_story_members(st, s->view.id, &stored, &m, err);
        int same = rc == MARSAD_OK && m == nd && nd > 0;
        for (size_t d = 0; same && d < nd; d++)
            same = strcmp(stored[d], ids[d]) == 0;
        /* the stored row does not say which copies it named: a story
         * with copies is made again (they are few) */
        for (size_t d = 0; same && d < nd; d++)
            same = s->docs[d].ncopies == 0;
        mr_store_strv_free(stored, m);
        s->reuse = same;
    }
    free(ids);
    return rc;
}

/* An item's facts read back from the store, when they are stored (made by
 * this revision); else it keeps none and story_build extracts them. */
static marsad_status load_facts(sr_corpus *c, mr_store *st, sr_item *it,
                                marsad_error *err)
{
    if (it->has_facts || !facts_stored(c, it))
        return MARSAD_OK;
    marsad_status rc = fetch_facts(st, it, err);
    if (rc == MARSAD_OK && (rc = parse_facts(it)) != MARSAD_OK)
        fail(err, rc, "reading stored facts");
    return rc;
}

/* Stories are handed out one at a time (their sizes vary by orders of
 * magnitude); each result depends only on its story, so the output does
 * not depend on the number of threads or the order they run in. */
typedef struct story_pool {
    sr_corpus *c;
    size_t from, to; /* the stories c->stories[from, to) */
    atomic_size_t next;
    atomic_int rc;
} story_pool;

static void *story_work(void *arg)
{
    story_pool *p = arg;
    for (;;) {
        size_t k = p->from + atomic_fetch_add(&p->next, 1);
        if (k >= p->to || atomic_load(&p->rc) != MARSAD_OK)
            break;
        marsad_status rc = story_build(p->c, &p->c->stories[k]);
        if (rc != MARSAD_OK)
            atomic_store(&p->rc, rc);
    }
    return NULL;
}

/* Streaming: the work the calling thread does while the workers build a
 * chunk: writing the chunk built before (chunk_save) and reading the next
 * chunk's reports (chunk_load). */
typedef struct side_job {
    mr_store *st;
    size_t save_from, save_to; /* the stories to write (built) */
    size_t from, to; /* the stories whose reports to read */
    marsad_error *err;
    marsad_status rc;
} side_job;

static marsad_status chunk_load(sr_corpus *c, mr_store *st, size_t from,
                                size_t to, marsad_error *err);
static marsad_status chunk_save(sr_corpus *c, mr_store *st, size_t from,
                                size_t to, marsad_error *err);

/* Builds the stories c->stories[from, to) on up to MAX_THREADS threads.
 * With side, the calling thread does side's reads first (on the store's
 * one connection, which no worker touches) and then helps the workers:
 * every core builds while the next chunk is read. */
static marsad_status build_range(sr_corpus *c, size_t from, size_t to,
                                 side_job *side)
{
    story_pool p = {.c = c, .from = from, .to = to};
    atomic_init(&p.next, 0);
    atomic_init(&p.rc, MARSAD_OK);
    size_t nt = nthreads(c, (to - from) / 4 + 1);
    pthread_t th[MAX_THREADS];
    size_t started = 0;
    /* with side and more than one thread, nt workers and this thread */
    for (size_t t = side && nt > 1 ? 0 : 1; t < nt; t++) {
        if (pthread_create(&th[started], NULL, story_work, &p) != 0)
            break;
        started++;
    }
    if (side) {
        side->rc = chunk_save(c, side->st, side->save_from, side->save_to,
                              side->err);
        if (side->rc == MARSAD_OK)
            side->rc =
                chunk_load(c, side->st, side->from, side->to, side->err);
        else /* the workers stop at their next story */
            atomic_store(&p.rc, side->rc);
    }
    story_work(&p);
    for (size_t t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    return (marsad_status)atomic_load(&p.rc);
}

/* The stories' members, largest story first (then first_seen, then id),
 * and which are unchanged since the last run. */
static marsad_status story_list(sr_corpus *c, mr_store *st, marsad_error *err)
{
    marsad_status rc = load_copies(c, st, err);
    for (size_t k = 0; k < c->nstories && rc == MARSAD_OK; k++)
        rc = story_members(c, k, &c->stories[k]);
    if (rc == MARSAD_OK && c->nstories > 1)
        qsort(c->stories, c->nstories, sizeof *c->stories, story_cmp);
    if (rc == MARSAD_OK && c->incremental)
        rc = mark_unchanged(c, st, err);
    return rc;
}

static marsad_status build_stories(sr_corpus *c, mr_store *st,
                                   marsad_error *err)
{
    marsad_status rc = story_list(c, st, err);
    /* the older reports of the stories to synthesise: their stored facts
     * (sequential: one connection) */
    for (size_t k = 0; k < c->nstories && rc == MARSAD_OK; k++) {
        sr_story *s = &c->stories[k];
        for (size_t d = 0; !s->reuse && d < s->view.ndocs && rc == MARSAD_OK;
             d++)
            rc = load_facts(c, st, &c->items[s->items[d]], err);
    }
    if (rc != MARSAD_OK)
        return rc;
    return build_range(c, 0, c->nstories, NULL);
}

/* Reports of the stories built and written at once when streaming. */
#define STREAM_DOCS 2048

/* The end of the chunk of stories that starts at k: about STREAM_DOCS
 * reports of stories to build. */
static size_t chunk_end(const sr_corpus *c, size_t k)
{
    size_t end = k, docs = 0;
    while (end < c->nstories && (end == k || docs < STREAM_DOCS)) {
        if (!c->stories[end].reuse)
            docs += c->stories[end].view.ndocs;
        end++;
    }
    return end;
}

/* Reads back the reports of the stories c->stories[from, to) to build:
 * text, and the stored facts as they are (parsed by story_build). */
static marsad_status chunk_load(sr_corpus *c, mr_store *st, size_t from,
                                size_t to, marsad_error *err)
{
    marsad_status rc = MARSAD_OK;
    for (size_t x = from; x < to && rc == MARSAD_OK; x++) {
        sr_story *s = &c->stories[x];
        for (size_t d = 0; !s->reuse && d < s->view.ndocs && rc == MARSAD_OK;
             d++) {
            sr_item *it = &c->items[s->items[d]];
            rc = item_fill(st, it, err);
            if (rc == MARSAD_OK && facts_stored(c, it))
                rc = fetch_facts(st, it, err);
        }
    }
    return rc;
}

/* Streaming: writes the built stories c->stories[from, to), in order, and
 * drops everything of them but their ids and counts. */
static marsad_status chunk_save(sr_corpus *c, mr_store *st, size_t from,
                                size_t to, marsad_error *err)
{
    marsad_status rc = MARSAD_OK;
    for (size_t x = from; x < to && rc == MARSAD_OK; x++)
        if (!c->stories[x].reuse)
            rc = save_story(st, &c->stories[x], err);
    for (size_t x = from; x < to; x++) {
        sr_story *s = &c->stories[x];
        mr_synth_free(&s->synth);
        s->view.synth = NULL;
        free(s->passages);
        s->passages = NULL;
        s->view.passages = NULL;
        s->view.npassages = 0;
        for (size_t d = 0; d < s->view.ndocs; d++)
            if (c->items[s->items[d]].added)
                item_shed(&c->items[s->items[d]]);
    }
    return rc;
}

/* Streaming: stories are built and written a chunk of about STREAM_DOCS
 * reports at a time, in the order of c->stories, in one transaction (the
 * stored stories change all at once, as save_stories does): the chunk's
 * stories are built on worker threads while the calling thread writes the
 * chunk built before and reads the next chunk's reports back (text, saved
 * facts; one connection); a written chunk keeps only its ids and counts.
 * Each story's result depends on its reports alone, and the stories are
 * written in the order of c->stories, so the output does not depend on the
 * chunks or the threads. */
static marsad_status stream_stories(sr_corpus *c, mr_store *st,
                                    marsad_error *err)
{
    marsad_status rc = story_list(c, st, err);
    if (rc == MARSAD_OK)
        rc = mr_store_begin(st, err);
    if (rc != MARSAD_OK)
        return rc;
    rc = drop_changed_stories(c, st, err);
    size_t end = chunk_end(c, 0), built = 0, built_end = 0;
    if (rc == MARSAD_OK)
        rc = chunk_load(c, st, 0, end, err);
    for (size_t k = 0; k < c->nstories && rc == MARSAD_OK; k = end) {
        end = chunk_end(c, k);
        side_job side = {st,  built,           built_end, end,
                         chunk_end(c, end), err, MARSAD_OK};
        rc = build_range(c, k, end, &side);
        if (side.rc != MARSAD_OK)
            rc = side.rc;
        built = k;
        built_end = end;
    }
    if (rc == MARSAD_OK)
        rc = chunk_save(c, st, built, built_end, err);
    return save_stories_end(c, st, rc, err);
}

marsad_status sr_corpus_build(sr_corpus *c, mr_store *st, int save,
                              const sr_run_opts *opts, marsad_error *err)
{
    memset(c, 0, sizeof *c);
    sr_progress_fn progress = opts ? opts->progress : NULL;
    void *pctx = opts ? opts->pctx : NULL;
    c->threads = opts ? opts->threads : 0;
    double t0 = sr_now();
    c->stats.cpu_mark = sr_cpu();
    c->stats.lead_mark = sr_thread_cpu();
    mr_link_params_default(&c->params);
    c->stream = save && !(opts && opts->facts_only);
    load_ctx l = {0};
    l.light = c->stream;
    marsad_status rc = mr_store_reports_each(st, 0, load_fn, &l);
    c->items = l.v;
    c->n = l.n;
    if (rc == MARSAD_OK && l.failed)
        rc = MARSAD_E_NOMEM;
    if (rc != MARSAD_OK)
        return fail(err, rc, "reading the reports");
    if (c->n > 1)
        qsort(c->items, c->n, sizeof *c->items, item_cmp);

    /* The clustering starts afresh each run, from every stored report: the
     * link docs it needs are rebuilt below anyway, and its result depends
     * only on the set of reports (link/cluster.c), so this gives the
     * stories of adding the reports batch by batch. Saving its state
     * instead cost 146 MB of JSON over the bench corpus, and loading it
     * replayed the whole clustering all the same. */
    if (rc == MARSAD_OK)
        rc = sr_facts_mark(st, &c->last_row, &c->facts_ok, err);
    c->incremental = save && c->facts_ok;
    if (rc == MARSAD_OK)
        rc = mr_cluster_new(&c->cluster, &c->params);
    /* MARSAD_CLUSTER_STATE=PATH (the join model's trainer, tools/
     * link_model.sh): the clustering's input is written to PATH as its
     * saved state, so the trainer replays exactly what analyze clusters */
    const char *dump = getenv("MARSAD_CLUSTER_STATE");
    if (dump && !*dump)
        dump = NULL;
    if (rc == MARSAD_OK && !dump) /* one run over every report: no replay,
                                     no save */
        mr_cluster_lean(c->cluster);
    if (rc != MARSAD_OK)
        return fail(err, rc, "the clustering state");
    stage_done(c, SR_LOAD, &t0);
    /* facts (of new reports, when incremental) and link docs: pure per
     * report, so in parallel */
    if (c->stream)
        rc = stream_all(c, st, opts ? opts->batch : 0, progress, pctx, err);
    else
        rc = prepare_all(c, st, save, opts ? opts->batch : 0, progress, pctx,
                         err);
    if (rc != MARSAD_OK)
        return rc;
    if (opts && opts->facts_only) {
        stage_done(c, SR_FACTS, &t0);
        for (size_t i = 0; i < c->n; i++)
            c->nextracted += c->items[i].has_facts;
        return MARSAD_OK;
    }
    if (c->facts_ok && !c->stream) /* streaming: batch by batch */
        rc = load_entities(c, st, 0, INT64_MAX, err);
    if (rc != MARSAD_OK)
        return fail(err, rc, "reading the stored entities");
    stage_done(c, SR_FACTS, &t0);
    /* new reports join the clustering in canonical order (mr_cluster_run
     * sorts them) */
    names nm = {0};
    for (size_t i = 0; i < c->n && rc == MARSAD_OK; i++)
        if (!c->items[i].added)
            rc = cluster_add_item(c, &c->items[i], &nm);
    free(nm.v);
    free(nm.pc);
    free(nm.fl);
    if (rc == MARSAD_OK && dump)
        rc = dump_cluster_state(c, dump);
    if (rc == MARSAD_OK)
        rc = mr_cluster_run(c->cluster);
    if (rc != MARSAD_OK)
        return fail(err, rc, dump ? "facts and stories (MARSAD_CLUSTER_STATE)"
                                  : "facts and stories");
    stage_done(c, SR_CLUSTER, &t0);

    c->nstories = mr_cluster_nstories(c->cluster);
    c->stories = calloc(c->nstories ? c->nstories : 1, sizeof *c->stories);
    if (!c->stories)
        return fail(err, MARSAD_E_NOMEM, "stories");
    rc = c->stream ? stream_stories(c, st, err) : build_stories(c, st, err);
    if (rc != MARSAD_OK)
        return fail(err, rc, c->stream ? "stories" : "story synthesis");
    for (size_t i = 0; i < c->n; i++)
        c->nextracted += c->items[i].extracted;
    for (size_t k = 0; k < c->nstories; k++)
        c->nreused += c->stories[k].reuse != 0;
    /* streaming: built and written in the stories stage */
    stage_done(c, SR_STORIES, &t0);
    if (save && !c->stream)
        rc = save_stories(c, st, err);
    if (save)
        stage_done(c, SR_SAVE, &t0);
    return rc;
}

void sr_corpus_free(sr_corpus *c)
{
    if (!c)
        return;
    for (size_t k = 0; c->stories && k < c->nstories; k++) {
        mr_synth_free(&c->stories[k].synth);
        free(c->stories[k].docs);
        free(c->stories[k].items);
        free(c->stories[k].passages);
    }
    free(c->stories);
    for (size_t i = 0; i < c->n; i++) {
        mr_report_clear(&c->items[i].r);
        mr_facts_free(&c->items[i].f);
        mr_link_doc_free(&c->items[i].ld);
        free(c->items[i].pend);
        fact_rows_free(c->items[i].rows);
        for (size_t k = 0; k < c->items[i].nents; k++)
            free(c->items[i].ents[k]);
        free(c->items[i].ents);
        free(c->items[i].ent_lead);
    }
    free(c->items);
    free(c->copies);
    free(c->copy_of);
    mr_arena_free(&c->copy_names);
    mr_cluster_free(c->cluster);
    memset(c, 0, sizeof *c);
}

const sr_story *sr_corpus_find(const sr_corpus *c, const char *id)
{
    for (size_t k = 0; k < c->nstories; k++) {
        const sr_story *s = &c->stories[k];
        if (strcmp(s->view.id, id) == 0)
            return s;
        for (size_t d = 0; d < s->view.ndocs; d++)
            if (strcmp(s->docs[d].report->id, id) == 0)
                return s;
    }
    return NULL;
}
