/*
 * ingest.c: POST /api/reports: reports in the body (JSON Lines, a JSON
 * array, a feed, a page or text), put into the store in one batch, then
 * analysed incrementally; answers with the new reports and their stories.
 * Only with a bearer token (marsad serve --allow-ingest TOKEN_FILE).
 */
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "out/json.h"
#include "serve/serve_int.h"

#define MAX_REJECTS 100

typedef struct ing_ctx {
    mr_store *st;
    size_t added, present, dups, rejected;
    char **ids; /* the added reports */
    size_t nids, cap;
    FILE *rej; /* JSON array members */
    marsad_status rc;
    marsad_error err;
} ing_ctx;

/* Compares in time independent of where the strings differ. */
static int same_token(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char d = (unsigned char)(na != nb);
    for (size_t i = 0; i < na; i++)
        d |= (unsigned char)(a[i] ^ b[i % (nb ? nb : 1)]);
    return d == 0;
}

static int put_one(mr_report *r, void *ctx)
{
    ing_ctx *c = ctx;
    if (c->rc != MARSAD_OK)
        return 1;
    mr_put_result pr;
    c->rc = mr_store_put_report(c->st, r, &pr, &c->err);
    if (c->rc != MARSAD_OK)
        return 1;
    if (pr == MR_PUT_PRESENT)
        c->present++;
    else if (pr == MR_PUT_DUPLICATE || pr == MR_PUT_OTHER_TEXT)
        c->dups++;
    else {
        c->added++;
        if (c->nids == c->cap) {
            size_t ncap = c->cap ? c->cap * 2 : 16;
            char **n = realloc(c->ids, ncap * sizeof *n);
            if (!n) {
                c->rc = MARSAD_E_NOMEM;
                return 1;
            }
            c->ids = n;
            c->cap = ncap;
        }
        c->ids[c->nids] = strdup(r->id);
        if (c->ids[c->nids])
            c->nids++;
    }
    return 0;
}

static void reject(const marsad_error *e, void *ctx)
{
    ing_ctx *c = ctx;
    if (c->rejected++ >= MAX_REJECTS || !c->rej)
        return;
    FILE *f = c->rej;
    fputs(c->rejected > 1 ? ",{" : "{", f);
    mr_json_key(f, "line", 1);
    fprintf(f, "%lu", e->line);
    mr_json_key(f, "message", 0);
    mr_json_cstr(f, e->message);
    fputc('}', f);
}

static mr_format body_format(sv_req *rq)
{
    const char *v = sv_arg(rq, "format");
    if (v) {
        int f = mr_format_parse(v);
        return f < 0 ? MR_FMT_AUTO : (mr_format)f;
    }
    const char *ct = sv_header(rq, "Content-Type");
    if (!ct)
        return MR_FMT_AUTO;
    if (strstr(ct, "ndjson") || strstr(ct, "jsonl") || strstr(ct, "json-seq") ||
        strstr(ct, "json-lines"))
        return MR_FMT_JSONL;
    if (strstr(ct, "atom") || strstr(ct, "rss") || strstr(ct, "/xml"))
        return MR_FMT_FEED;
    if (strstr(ct, "html"))
        return MR_FMT_HTML;
    if (strstr(ct, "application/json"))
        return MR_FMT_JSON;
    return MR_FMT_AUTO;
}

typedef struct sid_ctx {
    char **ids;
    size_t n;
} sid_ctx;

static int on_story(const mr_story_row *r, void *ctx)
{
    sid_ctx *c = ctx;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->ids[i], r->id) == 0)
            return 1;
    char *d = strdup(r->id);
    if (d)
        c->ids[c->n++] = d;
    return 1;
}

int sv_api_ingest(sv_req *rq, sv_resp *rs)
{
    const char *token = rq->opts->token;
    if (!token)
        return sv_error(rs, 403, NULL,
                        "ingest is off: start marsad serve with "
                        "--allow-ingest TOKEN_FILE");
    const char *auth = sv_header(rq, "Authorization");
    if (!auth || strncmp(auth, "Bearer ", 7) != 0) {
        sv_error(rs, 401, NULL, "send the token: Authorization: Bearer TOKEN");
        rs->hname = "WWW-Authenticate";
        snprintf(rs->hvalue, sizeof rs->hvalue, "Bearer realm=\"marsad\"");
        return 0;
    }
    if (!same_token(auth + 7, token))
        return sv_error(rs, 403, NULL,
                        "the token is not the one given to --allow-ingest");
    if (rq->body_len == 0)
        return sv_error(rs, 400, NULL,
                        "the body is empty: send JSON Lines or a feed");
    const char *fv = sv_arg(rq, "format");
    if (fv && mr_format_parse(fv) < 0)
        return sv_error(rs, 400, "format",
                        "format is jsonl, json, feed, html, txt or auto, not "
                        "'%.40s'",
                        fv);

    ing_ctx c;
    memset(&c, 0, sizeof c);
    char *rbuf = NULL;
    size_t rlen = 0;
    c.rej = open_memstream(&rbuf, &rlen);
    c.st = sv_writer_acquire(rq, &c.err);
    if (!c.st) {
        if (c.rej)
            fclose(c.rej);
        free(rbuf);
        return sv_error(rs, 503, NULL, "cannot open the store: %s",
                        c.err.message);
    }
    mr_store_new_run(c.st);
    c.rc = mr_store_begin(c.st, &c.err);
    if (c.rc == MARSAD_OK) {
        marsad_status ir =
            mr_ingest_buffer(rq->body, rq->body_len, body_format(rq), "body",
                             NULL, put_one, reject, &c, NULL);
        if (c.rc == MARSAD_OK && ir != MARSAD_OK)
            c.rc = ir;
        if (c.rc == MARSAD_OK)
            c.rc = mr_store_commit(c.st, &c.err);
        else
            mr_store_rollback(c.st);
    }
    int analysed = 0;
    marsad_status arc = MARSAD_OK;
    marsad_error aerr;
    memset(&aerr, 0, sizeof aerr);
    if (c.rc == MARSAD_OK && c.added) {
        /* the new reports are stored: the library's incremental analysis
         * extracts their facts and updates the stories they touch */
        arc = marsad_analyze(c.st, NULL, 0, NULL, NULL, &aerr);
        analysed = arc == MARSAD_OK;
    }
    sid_ctx sc = {calloc(c.nids + 1, sizeof(char *)), 0};
    for (size_t i = 0; analysed && sc.ids && i < c.nids; i++)
        mr_store_stories_each(c.st, c.ids[i], 1, on_story, &sc, NULL, NULL);
    sv_writer_release(rq);
    if (c.rej)
        fclose(c.rej);

    if (c.rc != MARSAD_OK)
        sv_error(rs, 500, NULL, "nothing was stored: %s", c.err.message);
    else if (arc != MARSAD_OK)
        sv_error(rs, 500, NULL,
                 "the reports were stored but the analysis failed: %s",
                 aerr.message);
    else if (c.added + c.present + c.dups == 0)
        sv_error(rs, 400, NULL,
                 "no report in the body (%zu parts rejected%s%s)", c.rejected,
                 c.rejected ? "; the first: " : "",
                 rbuf && c.rejected ? rbuf : "");
    else {
        char *buf;
        size_t len;
        FILE *f = sv_begin(&buf, &len);
        if (f) {
            fprintf(f,
                    "{\"schema\":\"marsad/2\",\"added\":%zu,\"present\":%zu,"
                    "\"duplicates\":%zu,\"rejected\":%zu,\"rejects\":[%s],"
                    "\"analysed\":%s,\"reports\":[",
                    c.added, c.present, c.dups, c.rejected, rbuf ? rbuf : "",
                    analysed ? "true" : "false");
            for (size_t i = 0; i < c.nids; i++) {
                if (i)
                    fputc(',', f);
                mr_json_cstr(f, c.ids[i]);
            }
            fputs("],\"stories\":[", f);
            for (size_t i = 0; i < sc.n; i++) {
                if (i)
                    fputc(',', f);
                mr_json_cstr(f, sc.ids[i]);
            }
            fputs("]}\n", f);
        }
        sv_end(rs, f, &buf, &len, 200, "application/json; charset=utf-8");
    }
    for (size_t i = 0; i < c.nids; i++)
        free(c.ids[i]);
    free(c.ids);
    for (size_t i = 0; i < sc.n; i++)
        free(sc.ids[i]);
    free(sc.ids);
    free(rbuf);
    return 0;
}
