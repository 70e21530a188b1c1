/*
 * cmd_search.c: `marsad search [--db FILE] [--json] [--limit N] [--outlet X]
 * [--since D] [--until D] QUERY`: full-text search of the store, BM25
 * ranked, with the matching words marked in a snippet of the original text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "out/json.h"
#include "store/store.h"

static const char help[] =
    "usage: marsad search [--db FILE] [--json] [--limit N] [--outlet X]\n"
    "                     [--since D] [--until D] QUERY...\n"
    "       marsad search [OPTIONS] --queries FILE [--stats]\n"
    "Searches the stored reports, best match first (BM25; a title match\n"
    "weighs twice a body match). Words match whatever their spelling:\n"
    "with or without diacritics, hamza forms, ة/ه, ى/ي, the article and\n"
    "clitics (الباغوز, بالباغوز and باغوز find the same reports), digits\n"
    "of any set. Several QUERY arguments are joined by spaces.\n"
    "Query syntax:\n"
    "  word word        both words (AND)\n"
    "  \"a phrase\"       these words in this order\n"
    "  -word -\"phrase\"  without it\n"
    "  word OR word     either\n"
    "  word*            a word beginning so (not stemmed)\n"
    "Options:\n"
    "  --db FILE     the store (default $MARSAD_DB, else ./marsad.db)\n"
    "  --json        one JSON object per hit (NDJSON):\n"
    "                {\"id\",\"title\",\"outlet\",\"published\",\"score\",\"snippet\"}\n"
    "                score: higher is better; snippet marks matches [so]\n"
    "  --limit N     at most N hits (default 20)\n"
    "  --outlet X    only reports of outlet X (case-insensitive)\n"
    "  --since D     only reports published on or after D\n"
    "  --until D     only reports published on or before D\n"
    "                (D is YYYY, YYYY-MM or YYYY-MM-DD)\n"
    "  --queries FILE  run each line of FILE as a query (empty lines and\n"
    "                lines starting with # skipped), in this one process\n"
    "  --stats       with --queries: print no hits, but the latency of the\n"
    "                queries (each run 5 times after a warm-up) as p50, p95,\n"
    "                p99 in µs, wall and CPU, and the matches of all the\n"
    "                queries\n"
    "Exit status: 0 hits found, 1 none, 2 usage or a bad query, 3 failure.\n";

typedef struct out_ctx {
    int json, tty;
    size_t n;
} out_ctx;

/* Prints s on one line: line breaks and tabs become spaces. */
static void put_line(const char *s)
{
    for (; s && *s; s++)
        putchar(*s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
}

static int on_hit(const mr_hit *h, void *p)
{
    out_ctx *o = p;
    o->n++;
    if (o->json) {
        fputs("{", stdout);
        mr_json_key(stdout, "id", 1);
        mr_json_cstr(stdout, h->id);
        mr_json_key(stdout, "title", 0);
        mr_json_cstr(stdout, h->title);
        mr_json_key(stdout, "outlet", 0);
        mr_json_cstr(stdout, h->outlet);
        mr_json_key(stdout, "published", 0);
        mr_json_cstr(stdout, h->published);
        mr_json_key(stdout, "score", 0);
        printf("%.4f", h->score);
        mr_json_key(stdout, "snippet", 0);
        mr_json_cstr(stdout, h->snippet);
        fputs("}\n", stdout);
        return 0;
    }
    printf("%zu. ", o->n);
    put_line(h->title && *h->title ? h->title : "(no title)");
    printf("\n   %s · %s · %s · score %.3g\n   ", h->id,
           h->outlet ? h->outlet : "?", h->published ? h->published : "?",
           h->score);
    put_line(h->snippet);
    putchar('\n');
    return 0;
}

static int count_only(const mr_hit *h, void *p)
{
    (void)h;
    (*(size_t *)p)++;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* This thread's CPU time: on a shared machine, wall time carries the
 * other processes' load (both are printed). */
static double cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

#define STATS_RUNS 5

/* The lines of path that hold a query, into *out (each malloc'd). */
static int read_queries(const char *path, char ***out, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        cli_error("search", "%s: cannot open the query file", path);
        return CLI_USAGE;
    }
    char *line = NULL;
    size_t cap = 0, len = 0, have = 0;
    char **q = NULL;
    ssize_t r;
    int rc = CLI_OK;
    while ((r = getline(&line, &cap, f)) >= 0) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        if (len == have) {
            have = have ? have * 2 : 64;
            char **g = realloc(q, have * sizeof *g);
            if (!g) {
                rc = CLI_FAIL;
                break;
            }
            q = g;
        }
        if (!(q[len] = strdup(line))) {
            rc = CLI_FAIL;
            break;
        }
        len++;
    }
    free(line);
    fclose(f);
    if (rc != CLI_OK)
        cli_error("search", "out of memory");
    else if (len == 0) {
        cli_error("search", "%s: no query in the file", path);
        rc = CLI_USAGE;
    }
    *out = q;
    *n = len;
    return rc;
}

/* --queries FILE: every query through fn (or timed, with --stats). */
static int run_queries(mr_store *st, const char *file, int stats,
                       mr_search_opts *so, out_ctx *o)
{
    char **q = NULL;
    size_t nq = 0;
    int rc = read_queries(file, &q, &nq);
    double *lat = rc == CLI_OK && stats
                      ? malloc(2 * nq * STATS_RUNS * sizeof *lat)
                      : NULL;
    if (rc == CLI_OK && stats && !lat) {
        cli_error("search", "out of memory");
        rc = CLI_FAIL;
    }
    size_t nl = 0, matches = 0;
    marsad_error err;
    for (int pass = 0; rc == CLI_OK && pass <= (stats ? STATS_RUNS : 0);
         pass++)
        for (size_t i = 0; rc == CLI_OK && i < nq; i++) {
            size_t hits = 0, total = 0;
            mr_search_opts x = *so;
            x.total = &total;
            double t0 = stats ? now_us() : 0, c0 = stats ? cpu_us() : 0;
            marsad_status ms =
                stats ? mr_store_search(st, q[i], &x, count_only, &hits, &err)
                      : mr_store_search(st, q[i], &x, on_hit, o, &err);
            if (stats && pass > 0) {
                lat[nq * STATS_RUNS + nl] = cpu_us() - c0;
                lat[nl++] = now_us() - t0;
            }
            if (pass == 0)
                matches += total;
            if (ms != MARSAD_OK) {
                cli_error("search", "%s: line %zu: %s", file, i + 1,
                          err.message);
                rc = ms == MARSAD_E_INPUT || ms == MARSAD_E_LIMIT ||
                             ms == MARSAD_E_ARG
                         ? CLI_USAGE
                         : CLI_FAIL;
            }
        }
    if (rc == CLI_OK && stats) {
        double *cpu = lat + nq * STATS_RUNS;
        qsort(lat, nl, sizeof *lat, cmp_double);
        qsort(cpu, nl, sizeof *cpu, cmp_double);
        double p[3], c[3];
        const double at[3] = {0.50, 0.95, 0.99};
        for (int k = 0; k < 3; k++) {
            size_t j = (size_t)((double)nl * at[k]);
            p[k] = lat[j < nl ? j : nl - 1];
            c[k] = cpu[j < nl ? j : nl - 1];
        }
        if (o->json)
            printf("{\"queries\":%zu,\"runs\":%d,\"limit\":%zu,"
                   "\"p50_us\":%.0f,\"p95_us\":%.0f,\"p99_us\":%.0f,"
                   "\"cpu_p50_us\":%.0f,\"cpu_p95_us\":%.0f,"
                   "\"cpu_p99_us\":%.0f,\"matches\":%zu}\n",
                   nq, STATS_RUNS, so->limit ? so->limit : 20, p[0], p[1],
                   p[2], c[0], c[1], c[2], matches);
        else
            printf("%zu queries x %d runs, top %zu with snippets: p50 %.0f "
                   "µs, p95 %.0f µs, p99 %.0f µs (cpu: p50 %.0f µs, p95 "
                   "%.0f µs, p99 %.0f µs); %zu matches in all\n",
                   nq, STATS_RUNS, so->limit ? so->limit : 20, p[0], p[1],
                   p[2], c[0], c[1], c[2], matches);
        o->n = 1;
    }
    free(lat);
    for (size_t i = 0; i < nq; i++)
        free(q[i]);
    free(q);
    return rc;
}

int cmd_search(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    const char *db = NULL, *qfile = NULL;
    int stats = 0;
    mr_search_opts so = {0};
    out_ctx o = {0, 0, 0};
    mr_buf q = MR_BUF_INIT;
    int rc = CLI_OK, opts_done = 0;
    for (int i = 1; i < argc && rc == CLI_OK; i++) {
        const char *a = argv[i];
        if (!opts_done && strcmp(a, "--") == 0)
            opts_done = 1;
        else if (!opts_done && strcmp(a, "--json") == 0)
            o.json = 1;
        else if (!opts_done && strcmp(a, "--stats") == 0)
            stats = 1;
        else if (!opts_done &&
                 (strcmp(a, "--db") == 0 || strcmp(a, "--limit") == 0 ||
                  strcmp(a, "--outlet") == 0 || strcmp(a, "--since") == 0 ||
                  strcmp(a, "--until") == 0 || strcmp(a, "--queries") == 0)) {
            if (i + 1 >= argc) {
                cli_error("search", "%s needs a value", a);
                rc = CLI_USAGE;
                break;
            }
            const char *v = argv[++i];
            if (strcmp(a, "--db") == 0)
                db = v;
            else if (strcmp(a, "--queries") == 0)
                qfile = v;
            else if (strcmp(a, "--outlet") == 0)
                so.outlet = v;
            else if (strcmp(a, "--since") == 0)
                so.since = v;
            else if (strcmp(a, "--until") == 0)
                so.until = v;
            else {
                char *end;
                long n = strtol(v, &end, 10);
                if (*end || n < 1 || n > 10000) {
                    cli_error("search", "--limit wants 1..10000, not '%s'", v);
                    rc = CLI_USAGE;
                }
                so.limit = (size_t)n;
            }
        } else if (!opts_done && a[0] == '-' && a[1] == '-') {
            cli_error("search", "unknown option '%s'", a);
            rc = CLI_USAGE;
        } else {
            /* a word of the query (a leading '-' is an exclusion) */
            if ((q.len && mr_buf_addc(&q, ' ') != MARSAD_OK) ||
                mr_buf_adds(&q, a) != MARSAD_OK) {
                cli_error("search", "out of memory");
                rc = CLI_FAIL;
            }
        }
    }
    if (rc == CLI_OK && qfile && q.len) {
        cli_error("search", "give a QUERY or --queries FILE, not both");
        rc = CLI_USAGE;
    } else if (rc == CLI_OK && stats && !qfile) {
        cli_error("search", "--stats goes with --queries FILE");
        rc = CLI_USAGE;
    } else if (rc == CLI_OK && q.len == 0 && !qfile) {
        cli_error("search", "no query");
        rc = CLI_USAGE;
    }
    if (rc != CLI_OK) {
        if (rc == CLI_USAGE)
            cli_usage("search", help);
        mr_buf_free(&q);
        return rc;
    }
    o.tty = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    if (!o.json && o.tty) {
        so.hl_open = "\033[1;33m";
        so.hl_close = "\033[0m";
    }
    const char *path = mr_store_default_path(db);
    mr_store *st = NULL;
    marsad_error err;
    mr_store_opts sopts = {0};
    sopts.must_exist = 1;
    if (mr_store_open(path, &sopts, &st, &err) != MARSAD_OK) {
        cli_error("search", "%s: %s", err.input, err.message);
        mr_buf_free(&q);
        return CLI_FAIL;
    }
    if (qfile) {
        rc = run_queries(st, qfile, stats, &so, &o);
        mr_store_close(st);
        mr_buf_free(&q);
        if (rc == CLI_OK && fflush(stdout) != 0)
            rc = CLI_FAIL;
        return rc != CLI_OK ? rc : o.n ? CLI_OK : CLI_PARTIAL;
    }
    marsad_status ms = mr_store_search(st, q.p, &so, on_hit, &o, &err);
    mr_store_close(st);
    mr_buf_free(&q);
    if (ms == MARSAD_E_INPUT || ms == MARSAD_E_LIMIT || ms == MARSAD_E_ARG) {
        cli_error("search", "%s: %s", err.input, err.message);
        return CLI_USAGE;
    }
    if (ms != MARSAD_OK) {
        cli_error("search", "%s: %s", err.input, err.message);
        return CLI_FAIL;
    }
    if (fflush(stdout) != 0)
        return CLI_FAIL;
    if (!o.json && o.n == 0)
        fprintf(stderr, "marsad search: no report matches\n");
    return o.n ? CLI_OK : CLI_PARTIAL;
}
