/*
 * api.c: the JSON (and CSV) endpoints of docs/api.md over the typed store
 * queries. Stored story and fact objects are passed through as they are
 * (marsad/2); this file adds the envelope, paging and the report metadata.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ingest/ingest.h"
#include "out/json.h"
#include "serve/serve_int.h"

#define JSON_TYPE "application/json; charset=utf-8"
#define CSV_TYPE "text/csv; charset=utf-8"

/* Match marks in snippets: private-use characters, stripped before output
 * (the positions become "marks"). */
#define HL_OPEN "\xee\x80\x80"
#define HL_CLOSE "\xee\x80\x81"

static void head(FILE *f, int64_t rev)
{
    fprintf(f, "{\"schema\":\"marsad/2\",\"revision\":%lld",
            (long long)rev);
}

static int revision(sv_req *rq, sv_resp *rs, int64_t *rev)
{
    marsad_error err;
    memset(&err, 0, sizeof err);
    marsad_status rc = mr_store_revision(rq->st, rev, &err);
    if (rc != MARSAD_OK) {
        sv_store_error(rq, rs, rc, &err);
        return 0;
    }
    return 1;
}

/* Raw stored JSON, or null when it is missing. */
static void raw(FILE *f, const char *json)
{
    fputs(json && *json ? json : "null", f);
}

/* ================================================================ lists */

typedef struct list_ctx {
    FILE *f;
    const sv_page *pg;
    size_t n;
    void *arg; /* the endpoint's query */
} list_ctx;

/* Runs the store query of a list endpoint, writing its items to c->f. */
typedef marsad_status (*list_fn)(sv_req *rq, list_ctx *c, marsad_error *err);

/*
 * Answers a list: CSV (csv_head, then the rows) or JSON: the head, the
 * string members kv[0..] (key, value pairs, NULL-terminated), then
 * "items": [...] and, when paged, next_cursor.
 */
static int answer_list(sv_req *rq, sv_resp *rs, const sv_page *pg,
                       const char *csv_head, const char *items,
                       const char *const *kv, int paged, list_fn run,
                       void *arg)
{
    int64_t rev;
    if (!revision(rq, rs, &rev))
        return 0;
    char *buf;
    size_t len;
    FILE *f = sv_begin(&buf, &len);
    if (!f)
        return sv_error(rs, 500, NULL, "out of memory");
    if (pg->csv)
        fputs(csv_head, f);
    else {
        head(f, rev);
        for (size_t i = 0; kv && kv[i]; i += 2) {
            mr_json_key(f, kv[i], 0);
            mr_json_cstr(f, kv[i + 1]);
        }
        mr_json_key(f, items, 0);
        fputc('[', f);
    }
    list_ctx c = {f, pg, 0, arg};
    marsad_error err;
    memset(&err, 0, sizeof err);
    marsad_status rc = run(rq, &c, &err);
    if (rc != MARSAD_OK) {
        fclose(f);
        free(buf);
        return sv_store_error(rq, rs, rc, &err);
    }
    if (!pg->csv) {
        fputc(']', f);
        if (paged)
            sv_next_cursor(f, pg, c.n);
        fputs("}\n", f);
    }
    return sv_end(rs, f, &buf, &len, 200, pg->csv ? CSV_TYPE : JSON_TYPE);
}

/* ================================================================ search */

/* The snippet without its marks, and the marks' byte ranges in it. */
static void snippet_out(FILE *f, const char *s, int csv)
{
    size_t n = strlen(s);
    char *plain = malloc(n + 1);
    size_t marks[64][2], nm = 0, k = 0;
    if (!plain) {
        if (!csv)
            fputs(",\"snippet\":\"\",\"marks\":[]", f);
        return;
    }
    for (size_t i = 0; i < n;) {
        if (strncmp(s + i, HL_OPEN, 3) == 0) {
            if (nm < 64)
                marks[nm][0] = marks[nm][1] = k;
            i += 3;
        } else if (strncmp(s + i, HL_CLOSE, 3) == 0) {
            if (nm < 64)
                marks[nm++][1] = k;
            i += 3;
        } else
            plain[k++] = s[i++];
    }
    plain[k] = 0;
    if (csv) {
        sv_csv(f, plain, 1);
    } else {
        mr_json_key(f, "snippet", 0);
        mr_json_str(f, plain, k);
        fputs(",\"marks\":[", f);
        for (size_t m = 0; m < nm; m++)
            fprintf(f, "%s[%zu,%zu]", m ? "," : "", marks[m][0], marks[m][1]);
        fputc(']', f);
    }
    free(plain);
}

static int on_hit(const mr_hit *h, void *ctx)
{
    list_ctx *c = ctx;
    if (c->n++ >= c->pg->limit)
        return 1;
    FILE *f = c->f;
    if (c->pg->csv) {
        char score[32];
        snprintf(score, sizeof score, "%.4f", h->score);
        sv_csv(f, h->id, 0);
        sv_csv(f, h->published, 0);
        sv_csv(f, h->outlet, 0);
        sv_csv(f, h->title, 0);
        sv_csv(f, score, 0);
        snippet_out(f, h->snippet, 1);
        return 0;
    }
    fputs(c->n > 1 ? ",{" : "{", f);
    mr_json_key(f, "id", 1);
    mr_json_cstr(f, h->id);
    mr_json_key(f, "title", 0);
    mr_json_cstr(f, h->title);
    mr_json_key(f, "outlet", 0);
    mr_json_cstr(f, h->outlet);
    mr_json_key(f, "published", 0);
    mr_json_cstr(f, h->published);
    mr_json_key(f, "score", 0);
    mr_json_num(f, (double)(long long)(h->score * 1e4) / 1e4);
    snippet_out(f, h->snippet, 0);
    fputc('}', f);
    return 0;
}

static marsad_status run_search(sv_req *rq, list_ctx *c, marsad_error *err)
{
    const mr_search_opts *so = c->arg;
    return mr_store_search(rq->st, sv_arg(rq, "q"), so, on_hit, c, err);
}

int sv_api_search(sv_req *rq, sv_resp *rs)
{
    sv_page pg;
    if (!sv_page_read(rq, rs, &pg, 20, 0))
        return 0;
    const char *q = sv_arg(rq, "q");
    if (!q)
        return sv_error(rs, 400, "q",
                        "q is the query: words, \"a phrase\", -word, a OR b, "
                        "prefix*");
    mr_search_opts so;
    memset(&so, 0, sizeof so);
    so.limit = pg.limit + 1;
    so.offset = pg.offset;
    so.outlet = sv_arg(rq, "outlet");
    so.since = pg.since;
    so.until = pg.until;
    so.after_row = pg.after_row;
    so.hl_open = HL_OPEN;
    so.hl_close = HL_CLOSE;
    so.snippet_tokens = 32;
    const char *kv[] = {"q", q, NULL};
    return answer_list(rq, rs, &pg, "id,published,outlet,title,score,snippet\r\n",
                       "hits", kv, 1, run_search, &so);
}

/* ================================================================ stories */

/* "a | b | c" from a JSON array of strings. */
static void csv_joined(FILE *f, const char *array, int last)
{
    json_object *o = json_tokener_parse(array);
    char *s = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&s, &n);
    if (m && o && json_object_is_type(o, json_type_array))
        for (size_t i = 0; i < json_object_array_length(o); i++) {
            const char *v =
                json_object_get_string(json_object_array_get_idx(o, i));
            fprintf(m, "%s%s", i ? " | " : "", v ? v : "");
        }
    if (m)
        fclose(m);
    sv_csv(f, s, last);
    free(s);
    json_object_put(o);
}

static int on_story(const mr_story_row *r, void *ctx)
{
    list_ctx *c = ctx;
    if (c->n++ >= c->pg->limit)
        return 1;
    FILE *f = c->f;
    if (c->pg->csv) {
        char n[3][24];
        snprintf(n[0], sizeof n[0], "%zu", r->nreports);
        snprintf(n[1], sizeof n[1], "%zu", r->nclaims);
        snprintf(n[2], sizeof n[2], "%zu", r->nconflicts);
        sv_csv(f, r->id, 0);
        sv_csv(f, r->title, 0);
        sv_csv(f, r->first_seen, 0);
        sv_csv(f, r->last_seen, 0);
        sv_csv(f, n[0], 0);
        csv_joined(f, r->outlets, 0);
        sv_csv(f, n[1], 0);
        sv_csv(f, n[2], 0);
        sv_csv(f, r->updated, 1);
        return 0;
    }
    fputs(c->n > 1 ? ",{" : "{", f);
    mr_json_key(f, "id", 1);
    mr_json_cstr(f, r->id);
    mr_json_key(f, "title", 0);
    mr_json_cstr(f, r->title);
    mr_json_key(f, "first_seen", 0);
    mr_json_cstr(f, r->first_seen);
    mr_json_key(f, "last_seen", 0);
    mr_json_cstr(f, r->last_seen);
    fprintf(f, ",\"reports\":%zu,\"outlets\":", r->nreports);
    raw(f, r->outlets);
    fprintf(f, ",\"claims\":%zu,\"conflicts\":%zu", r->nclaims,
            r->nconflicts);
    mr_json_key(f, "updated", 0);
    mr_json_cstr(f, r->updated);
    fputc('}', f);
    return 0;
}

static marsad_status run_stories(sv_req *rq, list_ctx *c, marsad_error *err)
{
    return mr_store_stories_page(rq->st, c->arg, on_story, c, err);
}

int sv_api_stories(sv_req *rq, sv_resp *rs)
{
    sv_page pg;
    if (!sv_page_read(rq, rs, &pg, 50, 1))
        return 0;
    mr_stories_query q;
    memset(&q, 0, sizeof q);
    const char *v = sv_arg(rq, "min_reports");
    if (v) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 0 || n > 1000000)
            return sv_error(rs, 400, "min_reports",
                            "min_reports is a count, not '%.40s'", v);
        q.min_reports = n;
    }
    q.since = pg.since;
    q.until = pg.until;
    q.after_row = pg.after_row;
    q.updated_since = pg.updated_since;
    q.q = sv_arg(rq, "q");
    q.offset = pg.offset;
    q.limit = pg.limit + 1;
    return answer_list(rq, rs, &pg,
                       "id,title,first_seen,last_seen,reports,outlets,claims,"
                       "conflicts,updated\r\n",
                       "stories", NULL, 1, run_stories, &q);
}

/* ================================================================ story */

typedef struct story_ctx {
    char *id, *updated, *json;
} story_ctx;

static char *dup0(const char *s) { return s ? strdup(s) : NULL; }

static int on_story_get(const mr_story_row *r, void *ctx)
{
    story_ctx *c = ctx;
    c->id = dup0(r->id);
    c->updated = dup0(r->updated);
    c->json = dup0(r->json);
    return 1;
}

typedef struct rep_ctx {
    FILE *f;
    size_t n;
} rep_ctx;

static int on_story_report(const mr_report_row *r, void *ctx)
{
    rep_ctx *c = ctx;
    FILE *f = c->f;
    fputs(c->n++ ? ",{" : "{", f);
    mr_json_key(f, "id", 1);
    mr_json_cstr(f, r->id);
    mr_json_key(f, "outlet", 0);
    mr_json_cstr(f, r->outlet);
    mr_json_key(f, "published", 0);
    mr_json_cstr(f, r->published);
    mr_json_key(f, "title", 0);
    mr_json_cstr(f, r->title);
    mr_json_key(f, "url", 0);
    mr_json_cstr(f, r->url);
    fprintf(f, ",\"revision\":%lld}", (long long)r->row);
    return 0;
}

int sv_api_story(sv_req *rq, sv_resp *rs, const char *id)
{
    int64_t rev;
    if (!revision(rq, rs, &rev))
        return 0;
    story_ctx sc = {NULL, NULL, NULL};
    marsad_error err;
    memset(&err, 0, sizeof err);
    marsad_status rc =
        mr_store_stories_each(rq->st, id, 1, on_story_get, &sc, NULL, &err);
    if (rc == MARSAD_E_NOTFOUND)
        return sv_error(rs, 404, NULL, "no story or report '%s'", id);
    if (rc != MARSAD_OK)
        return sv_store_error(rq, rs, rc, &err);
    char *buf;
    size_t len;
    FILE *f = sv_begin(&buf, &len);
    if (!f || !sc.id) {
        if (f)
            fclose(f);
        free(buf);
        free(sc.id);
        free(sc.updated);
        free(sc.json);
        return sv_error(rs, 500, NULL, "out of memory");
    }
    head(f, rev);
    mr_json_key(f, "id", 0);
    mr_json_cstr(f, sc.id);
    mr_json_key(f, "updated", 0);
    mr_json_cstr(f, sc.updated);
    fputs(",\"reports\":[", f);
    rep_ctx c = {f, 0};
    rc = mr_store_story_reports(rq->st, sc.id, on_story_report, &c, &err);
    fputs("],\"story\":", f);
    raw(f, sc.json);
    fputs("}\n", f);
    free(sc.id);
    free(sc.updated);
    free(sc.json);
    if (rc != MARSAD_OK) {
        fclose(f);
        free(buf);
        return sv_store_error(rq, rs, rc, &err);
    }
    return sv_end(rs, f, &buf, &len, 200, JSON_TYPE);
}

/* ================================================================ report */

typedef struct fact_ctx {
    FILE *f;
    size_t n;
} fact_ctx;

static int on_fact(const mr_fact_row *r, void *ctx)
{
    fact_ctx *c = ctx;
    FILE *f = c->f;
    fputs(c->n++ ? ",{" : "{", f);
    mr_json_key(f, "kind", 1);
    mr_json_cstr(f, r->kind);
    fprintf(f, ",\"start\":%u,\"end\":%u", r->start, r->end);
    mr_json_key(f, "text", 0);
    mr_json_cstr(f, r->text);
    fputs(",\"fact\":", f);
    raw(f, r->json);
    fputc('}', f);
    return 0;
}

static int on_story_id(const mr_story_row *r, void *ctx)
{
    char **id = ctx;
    *id = dup0(r->id);
    return 1;
}

int sv_api_report(sv_req *rq, sv_resp *rs, const char *id)
{
    int64_t rev;
    if (!revision(rq, rs, &rev))
        return 0;
    mr_report r;
    memset(&r, 0, sizeof r);
    char added[32] = "";
    marsad_error err;
    memset(&err, 0, sizeof err);
    marsad_status rc = mr_store_get_report(rq->st, id, &r, added, &err);
    if (rc == MARSAD_E_NOTFOUND)
        return sv_error(rs, 404, NULL, "no report '%s'", id);
    if (rc != MARSAD_OK)
        return sv_store_error(rq, rs, rc, &err);
    char *story = NULL;
    if (mr_store_stories_each(rq->st, r.id, 1, on_story_id, &story, NULL,
                              &err) != MARSAD_OK)
        story = NULL;
    char *buf;
    size_t len;
    FILE *f = sv_begin(&buf, &len);
    if (!f) {
        mr_report_clear(&r);
        free(story);
        return sv_error(rs, 500, NULL, "out of memory");
    }
    head(f, rev);
    fputs(",\"report\":{", f);
    mr_json_key(f, "id", 1);
    mr_json_cstr(f, r.id);
    mr_json_key(f, "source_id", 0);
    mr_json_cstr(f, r.source_id);
    mr_json_key(f, "outlet", 0);
    mr_json_cstr(f, r.outlet);
    mr_json_key(f, "url", 0);
    mr_json_cstr(f, r.url);
    mr_json_key(f, "published", 0);
    mr_json_cstr(f, r.published);
    mr_json_key(f, "title", 0);
    mr_json_cstr(f, r.title);
    mr_json_key(f, "lang", 0);
    mr_json_cstr(f, r.lang);
    mr_json_key(f, "added", 0);
    mr_json_cstr(f, added[0] ? added : NULL);
    mr_json_key(f, "text", 0);
    mr_json_str(f, r.text ? r.text : "", r.text ? r.text_len : 0);
    fputs("},\"story\":", f);
    mr_json_cstr(f, story);
    fputs(",\"facts\":[", f);
    fact_ctx c = {f, 0};
    rc = mr_store_facts_each(rq->st, r.id, on_fact, &c, &err);
    fputs("]}\n", f);
    mr_report_clear(&r);
    free(story);
    if (rc != MARSAD_OK) {
        fclose(f);
        free(buf);
        return sv_store_error(rq, rs, rc, &err);
    }
    return sv_end(rs, f, &buf, &len, 200, JSON_TYPE);
}

/* ================================================================ claims */

/* A member of a JSON object as text for CSV ("" when absent or null). */
static const char *jstr(json_object *o, const char *key, char *tmp,
                        size_t cap)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !v)
        return "";
    if (json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    snprintf(tmp, cap, "%s", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
    return tmp;
}

static int on_claim(const mr_claim_row *r, void *ctx)
{
    list_ctx *c = ctx;
    if (c->n++ >= c->pg->limit)
        return 1;
    FILE *f = c->f;
    if (c->pg->csv) {
        json_object *o = json_tokener_parse(r->json);
        json_object *range = NULL;
        if (o)
            json_object_object_get_ex(o, "range", &range);
        char t[6][64];
        sv_csv(f, r->story_id, 0);
        sv_csv(f, r->story_title, 0);
        sv_csv(f, jstr(o, "event", t[0], 64), 0);
        sv_csv(f, jstr(o, "category", t[1], 64), 0);
        sv_csv(f, jstr(o, "side", t[2], 64), 0);
        sv_csv(f, jstr(o, "verdict", t[3], 64), 0);
        sv_csv(f, jstr(range, "min", t[4], 64), 0);
        sv_csv(f, jstr(range, "max", t[5], 64), 0);
        char tmp[64];
        sv_csv(f, jstr(o, "reports", tmp, sizeof tmp), 0);
        char reason[1024];
        sv_csv(f, jstr(o, "reason", reason, sizeof reason), 1);
        json_object_put(o);
        return 0;
    }
    fputs(c->n > 1 ? ",{" : "{", f);
    mr_json_key(f, "story", 1);
    mr_json_cstr(f, r->story_id);
    mr_json_key(f, "story_title", 0);
    mr_json_cstr(f, r->story_title);
    fprintf(f, ",\"index\":%lld,\"claim\":", (long long)r->index);
    raw(f, r->json);
    fputc('}', f);
    return 0;
}

static marsad_status run_claims(sv_req *rq, list_ctx *c, marsad_error *err)
{
    return mr_store_claims_page(rq->st, c->arg, on_claim, c, err);
}

int sv_api_claims(sv_req *rq, sv_resp *rs)
{
    sv_page pg;
    if (!sv_page_read(rq, rs, &pg, 50, 1))
        return 0;
    mr_claims_query q;
    memset(&q, 0, sizeof q);
    q.event = sv_arg(rq, "event");
    q.category = sv_arg(rq, "category");
    q.verdict = sv_arg(rq, "verdict");
    q.since = pg.since;
    q.until = pg.until;
    q.after_row = pg.after_row;
    q.updated_since = pg.updated_since;
    q.offset = pg.offset;
    q.limit = pg.limit + 1;
    return answer_list(rq, rs, &pg,
                       "story,story_title,event,category,side,verdict,min,max,"
                       "reports,reason\r\n",
                       "claims", NULL, 1, run_claims, &q);
}

/* ================================================================ volume */

static int on_volume(const mr_volume_row *r, void *ctx)
{
    list_ctx *c = ctx;
    FILE *f = c->f;
    double share = r->total ? (double)r->matches / (double)r->total : 0;
    share = (double)(long long)(share * 1e4 + 0.5) / 1e4;
    if (c->pg->csv) {
        char n[3][32];
        snprintf(n[0], sizeof n[0], "%lld", (long long)r->matches);
        snprintf(n[1], sizeof n[1], "%lld", (long long)r->total);
        snprintf(n[2], sizeof n[2], "%.4f", share);
        sv_csv(f, r->key, 0);
        sv_csv(f, n[0], 0);
        sv_csv(f, n[1], 0);
        sv_csv(f, n[2], 1);
        return 0;
    }
    fputs(c->n++ ? ",{" : "{", f);
    mr_json_key(f, "key", 1);
    mr_json_cstr(f, r->key);
    fprintf(f, ",\"matches\":%lld,\"total\":%lld,\"share\":",
            (long long)r->matches, (long long)r->total);
    mr_json_num(f, share);
    fputc('}', f);
    return 0;
}

static marsad_status run_volume(sv_req *rq, list_ctx *c, marsad_error *err)
{
    const sv_page *pg = c->pg;
    return mr_store_volume(rq->st, sv_arg(rq, "q"), *(mr_volume_by *)c->arg,
                           pg->since, pg->until, sv_arg(rq, "outlet"),
                           on_volume, c, err);
}

int sv_api_volume(sv_req *rq, sv_resp *rs)
{
    sv_page pg;
    if (!sv_page_read(rq, rs, &pg, 50, 0))
        return 0;
    if (pg.after_row)
        return sv_error(rs, 400, "since",
                        "volume counts by date: since is a date here");
    const char *by = sv_arg(rq, "by");
    mr_volume_by vb = MR_VOLUME_DAY;
    if (by && strcmp(by, "outlet") == 0)
        vb = MR_VOLUME_OUTLET;
    else if (by && strcmp(by, "day") != 0)
        return sv_error(rs, 400, "by", "by is day or outlet, not '%.40s'", by);
    mr_volume_by *arg = &vb;
    const char *kv[] = {"by", vb == MR_VOLUME_DAY ? "day" : "outlet", "q",
                        sv_arg(rq, "q"), NULL};
    return answer_list(rq, rs, &pg,
                       vb == MR_VOLUME_DAY ? "day,matches,total,share\r\n"
                                           : "outlet,matches,total,share\r\n",
                       "buckets", kv, 0, run_volume, arg);
}
