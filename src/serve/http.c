/*
 * http.c: the server: libmicrohttpd in thread-pool mode, one store reader
 * per thread, routing, limits (body size, parameter length, query time)
 * and the headers every response carries (a Content-Security-Policy that
 * allows no inline script and no other origin).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "ingest/ingest.h"
#include "out/json.h"
#include "serve/serve_int.h"

/* Every response: no inline script or style, nothing from elsewhere. */
static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

struct sv_server {
    const mr_serve_opts *opts;
    pthread_key_t key; /* this thread's mr_store */
    pthread_mutex_t wlock;
    mr_store *writer;
};

typedef struct conn_state {
    char *body;
    size_t len, cap;
    int too_big;
} conn_state;

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ================================================================ helpers */

const char *sv_arg(const sv_req *rq, const char *name)
{
    const char *v =
        MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

const char *sv_header(const sv_req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

FILE *sv_begin(char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    return open_memstream(buf, len);
}

int sv_end(sv_resp *rs, FILE *f, char **buf, size_t *len, unsigned status,
           const char *ctype)
{
    if (!f || fclose(f) != 0) {
        free(*buf);
        return sv_error(rs, 500, NULL, "out of memory");
    }
    free(rs->body);
    rs->body = *buf;
    rs->len = *len;
    rs->status = status;
    rs->ctype = ctype;
    return 0;
}

int sv_error(sv_resp *rs, unsigned status, const char *param,
             const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *buf;
    size_t len;
    FILE *f = sv_begin(&buf, &len);
    free(rs->body);
    rs->body = NULL;
    rs->len = 0;
    rs->status = status;
    rs->ctype = "application/json; charset=utf-8";
    if (!f)
        return 0;
    fputs("{\"schema\":\"marsad/2\",\"error\":{\"status\":", f);
    fprintf(f, "%u", status);
    mr_json_key(f, "message", 0);
    mr_json_cstr(f, msg);
    mr_json_key(f, "parameter", 0);
    mr_json_cstr(f, param);
    fputs("}}\n", f);
    if (fclose(f) == 0) {
        rs->body = buf;
        rs->len = len;
    } else
        free(buf);
    return 0;
}

int sv_store_error(const sv_req *rq, sv_resp *rs, marsad_status rc,
                   const marsad_error *err)
{
    if (rq->timed_out)
        return sv_error(rs, 503, NULL,
                        "the request took longer than %u ms; narrow it",
                        rq->opts->timeout_ms ? rq->opts->timeout_ms : 10000);
    switch (rc) {
    case MARSAD_E_INPUT:
    case MARSAD_E_LIMIT:
    case MARSAD_E_ARG:
        return sv_error(rs, 400, err->input[0] ? err->input : NULL, "%s",
                        err->message);
    case MARSAD_E_NOTFOUND:
        return sv_error(rs, 404, NULL, "%s", err->message);
    default:
        return sv_error(rs, 500, NULL, "store failure: %s", err->message);
    }
}

/* ================================================================ paging */

static int is_rev(const char *s)
{
    if (s[0] != 'r' || !s[1] || strlen(s) > 19)
        return 0;
    for (const char *p = s + 1; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

/* YYYY-MM-DDTHH:MM:SSZ */
static int is_time(const char *s)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen(s) != sizeof pat - 1)
        return 0;
    for (size_t i = 0; pat[i]; i++)
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
            return 0;
    return 1;
}

int sv_page_read(const sv_req *rq, sv_resp *rs, sv_page *pg,
                 size_t def_limit, int allow_time)
{
    memset(pg, 0, sizeof *pg);
    pg->limit = def_limit;
    const char *v;
    if ((v = sv_arg(rq, "limit"))) {
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (*end || errno || n < 1 || n > SV_MAX_PAGE)
            return sv_error(rs, 400, "limit",
                            "limit is a count from 1 to %d, not '%.40s'",
                            SV_MAX_PAGE, v);
        pg->limit = (size_t)n;
    }
    if ((v = sv_arg(rq, "cursor"))) {
        char *end;
        errno = 0;
        long long n = v[0] == 'o' ? strtoll(v + 1, &end, 10) : -1;
        if (v[0] != 'o' || *end || errno || n < 0 || !v[1])
            return sv_error(rs, 400, "cursor",
                            "cursor is the next_cursor of a page, not "
                            "'%.40s'",
                            v);
        pg->offset = (size_t)n;
    }
    if ((v = sv_arg(rq, "since"))) {
        if (is_rev(v))
            pg->after_row = strtoll(v + 1, NULL, 10);
        else if (allow_time && is_time(v))
            pg->updated_since = v;
        else if (mr_store_date_ok(v))
            pg->since = v;
        else
            return sv_error(
                rs, 400, "since",
                allow_time ? "since is a date (YYYY, YYYY-MM, YYYY-MM-DD), a "
                             "store time (YYYY-MM-DDTHH:MM:SSZ) or a revision "
                             "(rN), not '%.40s'"
                           : "since is a date (YYYY, YYYY-MM, YYYY-MM-DD) or "
                             "a revision (rN), not '%.40s'",
                v);
    }
    if ((v = sv_arg(rq, "until"))) {
        if (!mr_store_date_ok(v))
            return sv_error(rs, 400, "until",
                            "until is a date (YYYY, YYYY-MM, YYYY-MM-DD), "
                            "not '%.40s'",
                            v);
        pg->until = v;
    }
    if ((v = sv_arg(rq, "format"))) {
        if (strcmp(v, "csv") == 0)
            pg->csv = 1;
        else if (strcmp(v, "json") != 0)
            return sv_error(rs, 400, "format",
                            "format is json or csv, not '%.40s'", v);
    } else {
        const char *acc = sv_header(rq, "Accept");
        pg->csv = acc && strstr(acc, "text/csv") != NULL;
    }
    return 1;
}

void sv_next_cursor(FILE *f, const sv_page *pg, size_t got)
{
    mr_json_key(f, "next_cursor", 0);
    if (got > pg->limit)
        fprintf(f, "\"o%zu\"", pg->offset + pg->limit);
    else
        fputs("null", f);
}

void sv_csv(FILE *f, const char *s, int last)
{
    if (!s)
        s = "";
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    int guard = *s == '=' || *s == '+' || *s == '-' || *s == '@';
    if (quote || guard)
        fputc('"', f);
    if (guard)
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    if (quote || guard)
        fputc('"', f);
    fputs(last ? "\r\n" : ",", f);
}

/* ================================================================ stores */

static void close_reader(void *p) { mr_store_close(p); }

static int progress(void *ctx)
{
    sv_req *rq = ctx;
    if (mono() > rq->deadline) {
        rq->timed_out = 1;
        return 1;
    }
    return 0;
}

static mr_store *reader(sv_server *srv, marsad_error *err)
{
    mr_store *st = pthread_getspecific(srv->key);
    if (st)
        return st;
    mr_store_opts so = {NULL, 1};
    if (mr_store_open(srv->opts->db, &so, &st, err) != MARSAD_OK)
        return NULL;
    pthread_setspecific(srv->key, st);
    return st;
}

mr_store *sv_writer_acquire(sv_req *rq, marsad_error *err)
{
    sv_server *srv = rq->srv;
    pthread_mutex_lock(&srv->wlock);
    if (!srv->writer) {
        mr_store_opts so = {NULL, 1};
        if (mr_store_open(srv->opts->db, &so, &srv->writer, err) !=
            MARSAD_OK) {
            pthread_mutex_unlock(&srv->wlock);
            return NULL;
        }
    }
    return srv->writer;
}

void sv_writer_release(sv_req *rq) { pthread_mutex_unlock(&rq->srv->wlock); }

/* ================================================================ routing */

/* An id in a path: 1-64 of [A-Za-z0-9._:-]. */
static int id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
              *s == ':' || *s == '-'))
            return 0;
    return 1;
}

/* True when any query parameter is longer than SV_MAX_PARAM. */
typedef struct too_long {
    const char *name;
} too_long;

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind,
                                 const char *key, const char *value)
{
    too_long *t = cls;
    if (value && strlen(value) > SV_MAX_PARAM) {
        t->name = key;
        return MHD_NO;
    }
    return MHD_YES;
}

static void dispatch(sv_req *rq, sv_resp *rs)
{
    const char *p = rq->path;
    int get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    int post = strcmp(rq->method, "POST") == 0;
    too_long tl = {NULL};
    MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, check_arg, &tl);
    if (tl.name) {
        sv_error(rs, 400, tl.name, "the parameter is longer than %d bytes",
                 SV_MAX_PARAM);
        return;
    }
    if (strcmp(p, "/api/reports") == 0) {
        if (post)
            sv_api_ingest(rq, rs);
        else {
            sv_error(rs, 405, NULL, "POST reports here (JSON Lines or a feed)");
            rs->hname = "Allow";
            snprintf(rs->hvalue, sizeof rs->hvalue, "POST");
        }
        return;
    }
    if (!get) {
        sv_error(rs, 405, NULL, "method %.20s is not allowed here", rq->method);
        rs->hname = "Allow";
        snprintf(rs->hvalue, sizeof rs->hvalue, "GET, HEAD");
        return;
    }
    const sv_asset *a = sv_asset_find(p);
    if (a) {
        rs->status = 200;
        rs->ctype = a->ctype;
        rs->cache = "no-cache";
        return; /* the body is the asset's (respond) */
    }
    marsad_error err;
    memset(&err, 0, sizeof err);
    if (strncmp(p, "/api/", 5) == 0 || strncmp(p, "/feeds/", 7) == 0) {
        rq->st = reader(rq->srv, &err);
        if (!rq->st) {
            sv_error(rs, 503, NULL, "cannot open the store: %s", err.message);
            return;
        }
        mr_store_set_progress(rq->st, progress, rq);
    }
    if (strcmp(p, "/api/search") == 0)
        sv_api_search(rq, rs);
    else if (strcmp(p, "/api/stories") == 0)
        sv_api_stories(rq, rs);
    else if (strncmp(p, "/api/stories/", 13) == 0 && id_ok(p + 13))
        sv_api_story(rq, rs, p + 13);
    else if (strncmp(p, "/api/reports/", 13) == 0 && id_ok(p + 13))
        sv_api_report(rq, rs, p + 13);
    else if (strcmp(p, "/api/claims") == 0)
        sv_api_claims(rq, rs);
    else if (strcmp(p, "/api/volume") == 0)
        sv_api_volume(rq, rs);
    else if (strcmp(p, "/feeds/search.atom") == 0)
        sv_feed_search(rq, rs);
    else if (strcmp(p, "/feeds/conflicts.atom") == 0)
        sv_feed_conflicts(rq, rs);
    else
        sv_error(rs, 404, NULL, "no such page or endpoint (see docs/api.md)");
    if (rq->st)
        mr_store_set_progress(rq->st, NULL, NULL);
}

static enum MHD_Result respond(struct MHD_Connection *c, sv_resp *rs,
                               const sv_asset *a)
{
    struct MHD_Response *r =
        a ? MHD_create_response_from_buffer(a->len, (void *)(uintptr_t)a->data,
                                            MHD_RESPMEM_PERSISTENT)
          : MHD_create_response_from_buffer(rs->len, rs->body,
                                            MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(rs->body);
        return MHD_NO;
    }
    rs->body = NULL; /* the response owns it */
    MHD_add_response_header(r, "Content-Type", rs->ctype ? rs->ctype
                                                          : "text/plain");
    MHD_add_response_header(r, "Content-Security-Policy", csp);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cache-Control",
                            rs->cache ? rs->cache : "no-store");
    if (rs->hname)
        MHD_add_response_header(r, rs->hname, rs->hvalue);
    enum MHD_Result ret = MHD_queue_response(c, rs->status, r);
    MHD_destroy_response(r);
    return ret;
}

static size_t max_body(const mr_serve_opts *o)
{
    return o->max_body ? o->max_body : MR_INGEST_MAX_REPORT;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    sv_server *srv = cls;
    conn_state *cs = *con_cls;
    size_t cap = max_body(srv->opts);
    if (!cs) {
        cs = calloc(1, sizeof *cs);
        if (!cs)
            return MHD_NO;
        *con_cls = cs;
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > cap) {
            sv_resp rs = {0};
            sv_error(&rs, 413, NULL,
                     "the body is larger than the limit of %zu bytes", cap);
            cs->too_big = 2; /* answered */
            return respond(c, &rs, NULL);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cs->too_big) {
            if (cs->len + *upload_size > cap) {
                cs->too_big = 1;
                free(cs->body);
                cs->body = NULL;
            } else {
                if (cs->len + *upload_size > cs->cap) {
                    size_t ncap = cs->cap ? cs->cap * 2 : 65536;
                    while (ncap < cs->len + *upload_size)
                        ncap *= 2;
                    char *nb = realloc(cs->body, ncap);
                    if (!nb)
                        return MHD_NO;
                    cs->body = nb;
                    cs->cap = ncap;
                }
                memcpy(cs->body + cs->len, upload, *upload_size);
                cs->len += *upload_size;
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (cs->too_big == 2)
        return MHD_YES;
    sv_resp rs = {0};
    rs.status = 200;
    if (cs->too_big) {
        sv_error(&rs, 413, NULL,
                 "the body is larger than the limit of %zu bytes", cap);
        return respond(c, &rs, NULL);
    }
    sv_req rq;
    memset(&rq, 0, sizeof rq);
    rq.srv = srv;
    rq.opts = srv->opts;
    rq.conn = c;
    rq.method = method;
    rq.path = url;
    rq.body = cs->body ? cs->body : "";
    rq.body_len = cs->len;
    rq.deadline =
        mono() + (srv->opts->timeout_ms ? srv->opts->timeout_ms : 10000) / 1e3;
    dispatch(&rq, &rs);
    const sv_asset *a = rs.body || rs.status != 200 ? NULL : sv_asset_find(url);
    if (!a && !rs.body)
        sv_error(&rs, 500, NULL, "out of memory");
    return respond(c, &rs, a);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    conn_state *cs = *con_cls;
    if (cs) {
        free(cs->body);
        free(cs);
        *con_cls = NULL;
    }
}

/* ================================================================ run */

static marsad_status sfail(marsad_error *err, marsad_status code,
                           const char *input, const char *msg)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->code = code;
        snprintf(err->input, sizeof err->input, "%s", input);
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return code;
}

marsad_status mr_serve_run(const mr_serve_opts *opts, marsad_error *err)
{
    if (!opts || !opts->db || !opts->stop)
        return sfail(err, MARSAD_E_ARG, "serve", "no store or stop flag");
    /* the store must open before anything listens */
    mr_store *probe = NULL;
    mr_store_opts so = {NULL, 1};
    marsad_status rc = mr_store_open(opts->db, &so, &probe, err);
    if (rc != MARSAD_OK)
        return rc;
    mr_store_close(probe);

    const char *host = opts->host ? opts->host : "127.0.0.1";
    unsigned short port = opts->port;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
    if (strchr(host, ':')) {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons(port);
        if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1)
            return sfail(err, MARSAD_E_ARG, host, "not an IPv6 address");
        flags |= MHD_USE_IPv6;
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
        a4->sin_family = AF_INET;
        a4->sin_port = htons(port);
        if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
            return sfail(err, MARSAD_E_ARG, host,
                         "not a numeric IPv4 or IPv6 address");
    }

    sv_server srv;
    memset(&srv, 0, sizeof srv);
    srv.opts = opts;
    if (pthread_key_create(&srv.key, close_reader) != 0)
        return sfail(err, MARSAD_E_NOMEM, "serve", "no thread key");
    pthread_mutex_init(&srv.wlock, NULL);
    unsigned threads = opts->threads ? opts->threads : 4;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, handle, &srv, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
        MHD_OPTION_NOTIFY_COMPLETED, completed, &srv, MHD_OPTION_END);
    if (!d) {
        char msg[200];
        snprintf(msg, sizeof msg, "cannot listen on %s:%u: %s", host,
                 (unsigned)port, strerror(errno));
        pthread_key_delete(srv.key);
        pthread_mutex_destroy(&srv.wlock);
        return sfail(err, MARSAD_E_IO, "serve", msg);
    }
    const union MHD_DaemonInfo *di =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (opts->on_ready)
        opts->on_ready(host, di ? di->port : port, opts->ctx);
    while (!*opts->stop)
        usleep(100 * 1000);
    MHD_stop_daemon(d); /* joins the pool: each thread closes its reader */
    mr_store_close(srv.writer);
    pthread_key_delete(srv.key);
    pthread_mutex_destroy(&srv.wlock);
    return MARSAD_OK;
}
