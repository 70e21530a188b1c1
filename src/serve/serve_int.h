/*
 * serve_int.h: what the files of src/serve/ share: a request, a response,
 * and the helpers that read parameters and write errors.
 */
#ifndef MR_SERVE_INT_H
#define MR_SERVE_INT_H

#include <stdint.h>
#include <stdio.h>

#include "serve/serve.h"
#include "store/store_read.h"

/* Bounds of a request (docs/api.md, "Limits"). */
#define SV_MAX_PARAM 4096      /* bytes of one query parameter */
#define SV_MAX_PAGE 1000       /* items per page (follow next_cursor) */

typedef struct sv_server sv_server;

typedef struct sv_req {
    sv_server *srv;
    const mr_serve_opts *opts;
    struct MHD_Connection *conn;
    const char *method, *path;
    mr_store *st;     /* this thread's reader */
    double deadline;  /* monotonic seconds; past it queries are stopped */
    int timed_out;
    const char *body; /* POST body (not NUL-terminated) */
    size_t body_len;
} sv_req;

typedef struct sv_resp {
    unsigned status;
    const char *ctype;
    char *body; /* malloc'd */
    size_t len;
    const char *cache; /* Cache-Control; NULL = no-store */
    const char *hname; /* one more header, or NULL */
    char hvalue[160];
} sv_resp;

/* A query parameter, or NULL when absent or empty. */
const char *sv_arg(const sv_req *rq, const char *name);
/* A request header, or NULL. */
const char *sv_header(const sv_req *rq, const char *name);

/* Sets an error response: {"schema":"marsad/2","error":{"status",
 * "message","parameter"}}. param may be NULL. Returns 0. */
int sv_error(sv_resp *rs, unsigned status, const char *param,
             const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The error response for a store failure: 400 for a bad query or date
 * (MARSAD_E_INPUT, _LIMIT, _ARG), 404 for NOTFOUND, 503 when the request
 * ran out of time, else 500. */
int sv_store_error(const sv_req *rq, sv_resp *rs, marsad_status rc,
                   const marsad_error *err);

/* A memory stream for a response body; sv_end moves it into rs. */
FILE *sv_begin(char **buf, size_t *len);
int sv_end(sv_resp *rs, FILE *f, char **buf, size_t *len, unsigned status,
           const char *ctype);

/* Paging and filters shared by the list endpoints. */
typedef struct sv_page {
    size_t offset, limit;
    const char *since, *until; /* content dates, checked */
    int64_t after_row;         /* since=rN */
    const char *updated_since; /* since=YYYY-MM-DDTHH:MM:SSZ */
    int csv;                   /* format=csv or Accept: text/csv */
} sv_page;
/* Reads limit, cursor, since, until and format; 0 and an error response
 * when one is bad. allow_time: since may be a store time. */
int sv_page_read(const sv_req *rq, sv_resp *rs, sv_page *pg,
                 size_t def_limit, int allow_time);
/* Writes "next_cursor": the cursor after this page, or null. */
void sv_next_cursor(FILE *f, const sv_page *pg, size_t got);

/* A CSV field (RFC 4180: quoted when it holds , " CR or LF; a leading
 * = + - @ is prefixed with ' so a spreadsheet does not run it). */
void sv_csv(FILE *f, const char *s, int last);

/* The handlers (api.c, feeds.c). Each fills rs. */
int sv_api_search(sv_req *rq, sv_resp *rs);
int sv_api_stories(sv_req *rq, sv_resp *rs);
int sv_api_story(sv_req *rq, sv_resp *rs, const char *id);
int sv_api_report(sv_req *rq, sv_resp *rs, const char *id);
int sv_api_claims(sv_req *rq, sv_resp *rs);
int sv_api_volume(sv_req *rq, sv_resp *rs);
int sv_api_ingest(sv_req *rq, sv_resp *rs);
int sv_feed_search(sv_req *rq, sv_resp *rs);
int sv_feed_conflicts(sv_req *rq, sv_resp *rs);

/* The store's writer for ingest: locks, opens on first use. NULL when it
 * cannot be opened (err says why). sv_writer_release unlocks. */
mr_store *sv_writer_acquire(sv_req *rq, marsad_error *err);
void sv_writer_release(sv_req *rq);

/* Embedded files of the dashboard (assets.c, generated from web/). */
typedef struct sv_asset {
    const char *path, *ctype;
    const unsigned char *data;
    size_t len;
} sv_asset;
const sv_asset *sv_asset_find(const char *path);

#endif
