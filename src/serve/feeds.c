/*
 * feeds.c: saved searches as Atom feeds (RFC 4287), so a desk subscribes
 * in any feed reader: /feeds/search.atom?q= (stories matching a query,
 * latest first) and /feeds/conflicts.atom (claims in conflict, stories
 * last seen latest first).
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "serve/serve_int.h"

#define ATOM_TYPE "application/atom+xml; charset=utf-8"
#define FEED_ITEMS 50

/* Text escaped for XML; characters XML 1.0 forbids are dropped; bidi
 * controls (U+202A-202E, U+2066-2069) are written as visible marks
 * ("[U+202E]"), so a report cannot reorder what a feed reader shows. */
static void xml(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        unsigned char c1 = c == 0xE2 ? (unsigned char)s[1] : 0;
        unsigned char c2 = c1 ? (unsigned char)s[2] : 0;
        if ((c1 == 0x80 && c2 >= 0xAA && c2 <= 0xAE) ||
            (c1 == 0x81 && c2 >= 0xA6 && c2 <= 0xA9)) {
            fprintf(f, "[U+%04X]",
                    0x2000u + ((unsigned)(c1 & 0x3F) << 6) + (c2 & 0x3Fu));
            s += 2;
        } else if (c == '&')
            fputs("&amp;", f);
        else if (c == '<')
            fputs("&lt;", f);
        else if (c == '>')
            fputs("&gt;", f);
        else if (c == '"')
            fputs("&quot;", f);
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            continue;
        else
            fputc(*s, f);
    }
}

/* http://HOST from the Host header when it looks like one. */
static void base(const sv_req *rq, char *out, size_t cap)
{
    const char *h = sv_header(rq, "Host");
    int ok = h && *h && strlen(h) < 100;
    for (const char *p = h; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
             (*p >= '0' && *p <= '9') || strchr(".-:[]", *p);
    snprintf(out, cap, "http://%s", ok ? h : "localhost");
}

static void feed_head(FILE *f, const char *id, const char *title,
                      const char *self, const char *home, const char *updated)
{
    fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
          "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ar\">\n"
          "<id>",
          f);
    xml(f, id);
    fputs("</id>\n<title>", f);
    xml(f, title);
    fputs("</title>\n<updated>", f);
    xml(f, updated && *updated ? updated : "1970-01-01T00:00:00Z");
    fputs("</updated>\n<generator>marsad</generator>\n"
          "<link rel=\"self\" href=\"",
          f);
    xml(f, self);
    fputs("\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"", f);
    xml(f, home);
    fputs("\"/>\n", f);
}

static void entry(FILE *f, const char *id, const char *title,
                  const char *updated, const char *link, const char *summary)
{
    fputs("<entry>\n<id>", f);
    xml(f, id);
    fputs("</id>\n<title>", f);
    xml(f, title && *title ? title : "(بلا عنوان)");
    fputs("</title>\n<updated>", f);
    xml(f, updated && *updated ? updated : "1970-01-01T00:00:00Z");
    fputs("</updated>\n<link href=\"", f);
    xml(f, link);
    fputs("\"/>\n<summary>", f);
    xml(f, summary);
    fputs("</summary>\n</entry>\n", f);
}

typedef struct feed_ctx {
    FILE *f;
    char base[128];
    size_t n;
} feed_ctx;

static int on_story(const mr_story_row *r, void *ctx)
{
    feed_ctx *c = ctx;
    char id[96], link[256], sum[160];
    snprintf(id, sizeof id, "urn:marsad:story:%s", r->id);
    snprintf(link, sizeof link, "%s/#/story/%s", c->base, r->id);
    snprintf(sum, sizeof sum, "%zu تقارير، %zu أرقام، %zu متعارضة",
             r->nreports, r->nclaims, r->nconflicts);
    entry(c->f, id, r->title, r->updated, link, sum);
    c->n++;
    return 0;
}

/* Runs a feed: the head with its newest time, then the entries. */
static int finish(sv_req *rq, sv_resp *rs, FILE *body, char **bbufp,
                  size_t *blenp, const char *id, const char *title,
                  const char *self, const char *updated, const char *home)
{
    int closed = body && fclose(body) == 0;
    char *bbuf = *bbufp; /* valid only once the stream is closed */
    size_t blen = *blenp;
    if (!closed) {
        free(bbuf);
        return sv_error(rs, 500, NULL, "out of memory");
    }
    char *buf;
    size_t len;
    FILE *f = sv_begin(&buf, &len);
    if (!f) {
        free(bbuf);
        return sv_error(rs, 500, NULL, "out of memory");
    }
    feed_head(f, id, title, self, home, updated);
    fwrite(bbuf, 1, blen, f);
    fputs("</feed>\n", f);
    free(bbuf);
    return sv_end(rs, f, &buf, &len, 200, ATOM_TYPE);
}

typedef struct newest_ctx {
    char updated[32];
} newest_ctx;

static int on_newest(const mr_story_row *r, void *ctx)
{
    newest_ctx *c = ctx;
    snprintf(c->updated, sizeof c->updated, "%s", r->updated ? r->updated : "");
    return 1;
}

int sv_feed_search(sv_req *rq, sv_resp *rs)
{
    const char *q = sv_arg(rq, "q");
    if (!q)
        return sv_error(rs, 400, "q", "q is the saved search's query");
    feed_ctx c;
    memset(&c, 0, sizeof c);
    base(rq, c.base, sizeof c.base);
    mr_stories_query sq;
    memset(&sq, 0, sizeof sq);
    sq.q = q;
    sq.newest = 1;
    sq.limit = 1;
    newest_ctx nc = {""};
    marsad_error err;
    memset(&err, 0, sizeof err);
    marsad_status rc = mr_store_stories_page(rq->st, &sq, on_newest, &nc, &err);
    if (rc != MARSAD_OK)
        return sv_store_error(rq, rs, rc, &err);
    char *bbuf = NULL;
    size_t blen = 0;
    c.f = sv_begin(&bbuf, &blen);
    if (!c.f)
        return sv_error(rs, 500, NULL, "out of memory");
    sq.limit = FEED_ITEMS;
    rc = mr_store_stories_page(rq->st, &sq, on_story, &c, &err);
    if (rc != MARSAD_OK) {
        fclose(c.f);
        free(bbuf);
        return sv_store_error(rq, rs, rc, &err);
    }
    char title[300], self[4600], id[4600], home[4600];
    snprintf(title, sizeof title, "مرصد: %.250s", q);
    snprintf(self, sizeof self, "%s/feeds/search.atom?q=", c.base);
    snprintf(id, sizeof id, "urn:marsad:search:");
    snprintf(home, sizeof home, "%s/#/search", c.base);
    /* the query in the feed's id and self link, percent-encoded */
    size_t ns = strlen(self), ni = strlen(id);
    for (const unsigned char *p = (const unsigned char *)q;
         *p && ns + 4 < sizeof self && ni + 4 < sizeof id; p++) {
        int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_';
        if (plain) {
            self[ns++] = (char)*p;
            id[ni++] = (char)*p;
        } else {
            ns += (size_t)snprintf(self + ns, 4, "%%%02X", *p);
            ni += (size_t)snprintf(id + ni, 4, "%%%02X", *p);
        }
    }
    self[ns] = id[ni] = 0;
    return finish(rq, rs, c.f, &bbuf, &blen, id, title, self, nc.updated,
                  home);
}

typedef struct conflict_ctx {
    feed_ctx *c;
    char updated[32];
} conflict_ctx;

static int on_conflict(const mr_claim_row *r, void *ctx)
{
    conflict_ctx *cc = ctx;
    feed_ctx *c = cc->c;
    if (r->updated && strcmp(r->updated, cc->updated) > 0)
        snprintf(cc->updated, sizeof cc->updated, "%s", r->updated);
    json_object *o = json_tokener_parse(r->json);
    json_object *v;
    const char *event = "", *category = "", *reason = "";
    if (o && json_object_object_get_ex(o, "event", &v) && v)
        event = json_object_get_string(v);
    if (o && json_object_object_get_ex(o, "category", &v) && v)
        category = json_object_get_string(v);
    if (o && json_object_object_get_ex(o, "reason", &v) && v)
        reason = json_object_get_string(v);
    char id[128], link[256], title[600];
    snprintf(id, sizeof id, "urn:marsad:claim:%s:%lld", r->story_id,
             (long long)r->index);
    snprintf(link, sizeof link, "%s/#/story/%s", c->base, r->story_id);
    snprintf(title, sizeof title, "تعارض (%s، %s): %.400s", event, category,
             r->story_title ? r->story_title : "");
    entry(c->f, id, title, r->updated, link, reason);
    json_object_put(o);
    c->n++;
    return 0;
}

int sv_feed_conflicts(sv_req *rq, sv_resp *rs)
{
    feed_ctx c;
    memset(&c, 0, sizeof c);
    base(rq, c.base, sizeof c.base);
    char *bbuf = NULL;
    size_t blen = 0;
    c.f = sv_begin(&bbuf, &blen);
    if (!c.f)
        return sv_error(rs, 500, NULL, "out of memory");
    mr_claims_query q;
    memset(&q, 0, sizeof q);
    q.verdict = "conflict";
    q.limit = FEED_ITEMS;
    conflict_ctx cc = {&c, ""};
    marsad_error err;
    memset(&err, 0, sizeof err);
    marsad_status rc = mr_store_claims_page(rq->st, &q, on_conflict, &cc, &err);
    if (rc != MARSAD_OK) {
        fclose(c.f);
        free(bbuf);
        return sv_store_error(rq, rs, rc, &err);
    }
    char self[200], home[200];
    snprintf(self, sizeof self, "%s/feeds/conflicts.atom", c.base);
    snprintf(home, sizeof home, "%s/#/stories", c.base);
    return finish(rq, rs, c.f, &bbuf, &blen, "urn:marsad:conflicts",
                  "مرصد: أرقام متعارضة", self, cc.updated, home);
}
