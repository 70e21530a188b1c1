/*
 * cmd_serve.c: `marsad serve`: the HTTP API and the dashboard over a store
 * (src/serve/, docs/api.md), until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "serve/serve.h"

static const char help[] =
    "usage: marsad serve [--db FILE] [--listen ADDR:PORT]\n"
    "                    [--allow-ingest TOKEN_FILE] [--threads N]\n"
    "                    [--max-body BYTES] [--timeout MS]\n"
    "Serves the store's JSON API (docs/api.md) and the Arabic dashboard at\n"
    "http://ADDR:PORT/ until interrupted (SIGINT, SIGTERM). Reads while\n"
    "'marsad analyze' or 'ingest' write to the same store.\n"
    "  --db FILE          the store (default $MARSAD_DB, else ./marsad.db);\n"
    "                     it must exist\n"
    "  --listen ADDR:PORT numeric address and port (default 127.0.0.1:8080;\n"
    "                     [::1]:8080 for IPv6; port 0 picks a free one)\n"
    "  --allow-ingest F   enable POST /api/reports for requests that carry\n"
    "                     the token in file F (Authorization: Bearer TOKEN)\n"
    "  --threads N        worker threads (default 4)\n"
    "  --max-body BYTES   largest POST body (default 32 MB): 413 above it\n"
    "  --timeout MS       a request's query time (default 10000): 503 above\n"
    "Prints the address it listens on (http://ADDR:PORT/) on stdout.\n"
    "Exit status: 0 stopped by a signal, 2 usage, 3 failure (no store,\n"
    "cannot listen).\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void ready(const char *host, unsigned port, void *ctx)
{
    (void)ctx;
    if (strchr(host, ':'))
        printf("http://[%s]:%u/\n", host, port);
    else
        printf("http://%s:%u/\n", host, port);
    fflush(stdout);
}

/* ADDR:PORT, [V6]:PORT or PORT into host (static buffer) and port. */
static int parse_listen(const char *s, char *host, size_t cap,
                        unsigned short *port)
{
    const char *colon;
    if (s[0] == '[') {
        const char *end = strchr(s, ']');
        if (!end || end[1] != ':' || (size_t)(end - s) >= cap)
            return 0;
        memcpy(host, s + 1, (size_t)(end - s - 1));
        host[end - s - 1] = 0;
        colon = end + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || (size_t)(colon - s) >= cap)
            return 0;
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = 0;
    }
    char *end;
    errno = 0;
    long p = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || errno || p < 0 || p > 65535 || !host[0])
        return 0;
    *port = (unsigned short)p;
    return 1;
}

/* The token: the file's first line without surrounding blanks. */
static char *read_token(const char *path)
{
    size_t len;
    char *s = cli_read_all(path, &len);
    if (!s)
        return NULL;
    char *a = s;
    while (*a == ' ' || *a == '\t' || *a == '\r' || *a == '\n')
        a++;
    char *e = a;
    while (*e && *e != '\r' && *e != '\n')
        e++;
    while (e > a && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *e = 0;
    memmove(s, a, (size_t)(e - a) + 1);
    return s;
}

static int number(const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < lo || n > hi) {
        cli_error("serve", "%s wants a number from %ld to %ld, not '%s'", opt,
                  lo, hi, v);
        return 0;
    }
    *out = n;
    return 1;
}

int cmd_serve(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    const char *db = NULL, *listen = "127.0.0.1:8080", *token_file = NULL;
    long threads = 4, max_body = 32L << 20, timeout = 10000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (strcmp(a, "--db") == 0 && has)
            db = argv[++i];
        else if (strcmp(a, "--listen") == 0 && has)
            listen = argv[++i];
        else if (strcmp(a, "--allow-ingest") == 0 && has)
            token_file = argv[++i];
        else if (strcmp(a, "--threads") == 0 && has) {
            if (!number(a, argv[++i], 1, 256, &threads))
                return CLI_USAGE;
        } else if (strcmp(a, "--max-body") == 0 && has) {
            if (!number(a, argv[++i], 1, 1L << 30, &max_body))
                return CLI_USAGE;
        } else if (strcmp(a, "--timeout") == 0 && has) {
            if (!number(a, argv[++i], 1, 600000, &timeout))
                return CLI_USAGE;
        } else {
            cli_error("serve", "unexpected argument '%s'", a);
            fputs(help, stderr);
            return CLI_USAGE;
        }
    }
    char host[128];
    unsigned short port;
    if (!parse_listen(listen, host, sizeof host, &port)) {
        cli_error("serve", "--listen wants ADDR:PORT (127.0.0.1:8080), not '%s'",
                  listen);
        return CLI_USAGE;
    }
    char *token = NULL;
    if (token_file) {
        token = read_token(token_file);
        if (!token)
            return CLI_USAGE;
        if (strlen(token) < 16) {
            cli_error("serve", "%s: the token must be 16 characters or more",
                      token_file);
            free(token);
            return CLI_USAGE;
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    mr_serve_opts o;
    memset(&o, 0, sizeof o);
    o.db = mr_store_default_path(db);
    o.host = host;
    o.port = port;
    o.threads = (unsigned)threads;
    o.token = token;
    o.max_body = (size_t)max_body;
    o.timeout_ms = (unsigned)timeout;
    o.stop = &stop_flag;
    o.on_ready = ready;
    marsad_error err;
    memset(&err, 0, sizeof err);
    marsad_status rc = mr_serve_run(&o, &err);
    free(token);
    if (rc != MARSAD_OK) {
        cli_error("serve", "%s: %s", err.input, err.message);
        return rc == MARSAD_E_ARG ? CLI_USAGE : CLI_FAIL;
    }
    return CLI_OK;
}
