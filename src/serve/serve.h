/*
 * serve.h: `marsad serve`: the HTTP API (docs/api.md) and the dashboard
 * over one store, on libmicrohttpd.
 *
 * A pool of threads answers requests; each thread reads the store through
 * its own connection (WAL: readers see the last committed batch and never
 * wait for a writer such as `marsad analyze`). POST /api/reports, when
 * enabled, writes through one connection at a time.
 */
#ifndef MR_SERVE_H
#define MR_SERVE_H

#include <signal.h>
#include <stddef.h>

#include "marsad.h"
#include "store/store.h"

typedef struct mr_serve_opts {
    const char *db;        /* the store; must exist */
    const char *host;      /* numeric IPv4 or IPv6 address; NULL = 127.0.0.1 */
    unsigned short port;   /* 0 = any free port (see on_ready) */
    unsigned threads;      /* 0 = 4 */
    const char *token;     /* bearer token for POST /api/reports; NULL =
                              ingest disabled (403) */
    size_t max_body;       /* bytes; 0 = MR_INGEST_MAX_REPORT */
    unsigned timeout_ms;   /* a request's query time; 0 = 10000 */
    /* set by a signal handler: the server stops within a second of it */
    volatile sig_atomic_t *stop;
    /* called once listening, with the bound port (may be NULL) */
    void (*on_ready)(const char *host, unsigned port, void *ctx);
    void *ctx;
} mr_serve_opts;

/*
 * Serves until *opts->stop becomes non-zero. Errors: MARSAD_E_ARG (a bad
 * address), MARSAD_E_IO (cannot listen: err says why), MARSAD_E_DB (the
 * store cannot be opened).
 */
marsad_status mr_serve_run(const mr_serve_opts *opts, marsad_error *err);

#endif
