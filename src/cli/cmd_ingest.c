/*
 * cmd_ingest.c: `marsad ingest [--db FILE] [--json] PATH...`: reads reports
 * from files, folders and stdin into the store, in batched transactions.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ingest/ingest.h"
#include "out/json.h"
#include "corpus/corpus.h"

static const char help[] =
    "usage: marsad ingest [--db FILE] [--json] [--batch N] [--format F] PATH...\n"
    "       marsad ingest [--db FILE] --check\n"
    "Reads reports from PATHs (files, folders walked recursively, '-' for\n"
    "stdin: plain text, JSON Lines (.jsonl, .jsonl.gz), HTML, RSS/Atom, TREC\n"
    "XML) into the store, and indexes them for 'marsad search'.\n"
    "A report already stored (same id) is skipped; a report whose text is\n"
    "already stored under another id is an exact duplicate: skipped and\n"
    "counted. Rejected files and lines are named on stderr with the reason.\n"
    "Reports are written in batches of N (default 500), each one transaction:\n"
    "an interrupted run keeps every finished batch, and running it again\n"
    "picks up the rest.\n"
    "  --db FILE    the store (default $MARSAD_DB, else ./marsad.db)\n"
    "  --json       print the summary as one JSON object\n"
    "  --batch N    reports per transaction (1..100000)\n"
    "  --format F   read every input as F: txt, jsonl, html, feed, trec\n"
    "  --check      verify the store (SQLite integrity and the full-text\n"
    "               index) and exit: 0 sound, 3 damaged\n"
    "A progress line (files, reports/s, MB/s) goes to stderr when it is a\n"
    "terminal.\n"
    "Exit status: 0 all went in, 1 some inputs were rejected (the rest is\n"
    "stored), 2 usage, 3 failure (store or memory).\n";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct run_ctx {
    int tty;
    double t0, last;
    long kill_after;
} run_ctx;

static void progress(const mr_ingest_stats *s, const mr_ingest_counts *c,
                     double t0, int final)
{
    double dt = now_s() - t0;
    if (dt <= 0)
        dt = 1e-9;
    fprintf(stderr,
            "\r%zu files, %zu reports (%zu new), %.0f reports/s, %.1f MB/s   %s",
            s->files, s->reports, c->added, (double)s->reports / dt,
            (double)s->bytes / 1e6 / dt, final ? "\n" : "");
}

static void on_reject(const marsad_error *err, void *p)
{
    run_ctx *rc = p;
    if (rc->tty)
        fputs("\r\033[K", stderr);
    if (err->line)
        fprintf(stderr, "marsad ingest: %s:%lu: %s\n", err->input, err->line,
                err->message);
    else
        fprintf(stderr, "marsad ingest: %s: %s\n", err->input, err->message);
}

static void on_report(const mr_ingest_stats *is, const mr_ingest_counts *c,
                      void *p)
{
    run_ctx *rc = p;
    /* Test hook (tests/cli/store.sh): SIGKILL this process after that many
     * reports, in the middle of a batch, to prove batches are atomic. */
    if (rc->kill_after > 0 &&
        c->added + c->present + c->duplicates == (size_t)rc->kill_after)
        raise(SIGKILL);
    if (rc->tty) {
        double t = now_s();
        if (t - rc->last >= 0.25) {
            progress(is, c, rc->t0, 0);
            rc->last = t;
        }
    }
}

static void on_problem(const mr_check_problem *p, void *ctx)
{
    cli_error("ingest", "%s: %s: %s", (const char *)ctx,
              mr_check_kind_name(p->kind), p->message);
}

/* Verifies the store as `marsad check` does (mr_store_check). */
static int check_store(mr_store *st, const char *path)
{
    mr_check_result res;
    marsad_error err;
    if (mr_store_check(st, NULL, on_problem, (void *)(uintptr_t)path, &res,
                       &err) != MARSAD_OK) {
        cli_error("ingest", "%s: %s", path, err.message);
        return CLI_FAIL;
    }
    if (!mr_check_clean(&res))
        return CLI_FAIL;
    printf("%s: ok, %llu reports\n", path, (unsigned long long)res.reports);
    return CLI_OK;
}

int cmd_ingest(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    const char *db = NULL;
    int json = 0, check = 0;
    long batch = 500;
    mr_ingest_opts iopts = {0};
    const char **paths = calloc((size_t)argc, sizeof *paths);
    size_t npaths = 0;
    if (!paths) {
        cli_error("ingest", "out of memory");
        return CLI_FAIL;
    }
    int rc = CLI_OK, opts_done = 0;
    for (int i = 1; i < argc && rc == CLI_OK; i++) {
        const char *a = argv[i];
        if (!opts_done && strcmp(a, "--") == 0)
            opts_done = 1;
        else if (!opts_done && strcmp(a, "--json") == 0)
            json = 1;
        else if (!opts_done && strcmp(a, "--check") == 0)
            check = 1;
        else if (!opts_done && (strcmp(a, "--db") == 0 ||
                                strcmp(a, "--batch") == 0 ||
                                strcmp(a, "--format") == 0)) {
            if (i + 1 >= argc) {
                cli_error("ingest", "%s needs a value", a);
                rc = CLI_USAGE;
                break;
            }
            const char *v = argv[++i];
            if (a[2] == 'd')
                db = v;
            else if (a[2] == 'b') {
                char *end;
                batch = strtol(v, &end, 10);
                if (*end || batch < 1 || batch > 100000) {
                    cli_error("ingest", "--batch wants 1..100000, not '%s'", v);
                    rc = CLI_USAGE;
                }
            } else {
                int f = mr_format_parse(v);
                if (f < 0) {
                    cli_error("ingest", "unknown format '%s'", v);
                    rc = CLI_USAGE;
                } else
                    iopts.format = (mr_format)f;
            }
        } else if (!opts_done && a[0] == '-' && a[1]) {
            cli_error("ingest", "unknown option '%s'", a);
            rc = CLI_USAGE;
        } else
            paths[npaths++] = a;
    }
    if (rc == CLI_OK && !check && npaths == 0) {
        cli_error("ingest", "no input: name files, folders or '-'");
        rc = CLI_USAGE;
    }
    if (rc != CLI_OK) {
        cli_usage("ingest", help);
        free(paths);
        return rc;
    }
    const char *path = mr_store_default_path(db);
    mr_store *st = NULL;
    marsad_error err;
    mr_store_opts sopts = {0};
    sopts.must_exist = check;
    if (mr_store_open(path, &sopts, &st, &err) != MARSAD_OK) {
        cli_error("ingest", "%s: %s", err.input, err.message);
        free(paths);
        return CLI_FAIL;
    }
    if (check) {
        rc = check_store(st, path);
        mr_store_close(st);
        free(paths);
        return rc;
    }
    mr_ingest *it = NULL;
    if (mr_ingest_open(paths, npaths, &iopts, &it) != MARSAD_OK) {
        cli_error("ingest", "out of memory");
        mr_store_close(st);
        free(paths);
        return CLI_FAIL;
    }
    const char *kill_env = getenv("MARSAD_TEST_KILL_AFTER");
    run_ctx ctx;
    ctx.tty = isatty(STDERR_FILENO);
    ctx.t0 = ctx.last = now_s();
    ctx.kill_after = kill_env ? strtol(kill_env, NULL, 10) : 0;
    mr_corpus_ingest_cb cb = {on_reject, on_report, &ctx};
    mr_ingest_counts c = {0, 0, 0, 0};
    int failed = 0;
    if (mr_corpus_ingest(st, it, (size_t)batch, &cb, &c, &err) != MARSAD_OK) {
        cli_error("ingest", "%s: %s", err.input, err.message);
        failed = 1;
    }
    if (!failed && c.added)
        cli_build_postings(st, "ingest");
    int tty = ctx.tty;
    double t0 = ctx.t0;
    mr_ingest_stats s = mr_ingest_stats_get(it);
    double dt = now_s() - t0;
    if (tty)
        progress(&s, &c, t0, 1);
    uint64_t total = 0;
    mr_store_count(st, &total);
    if (json) {
        fputs("{", stdout);
        mr_json_key(stdout, "schema", 1);
        mr_json_cstr(stdout, MARSAD_SCHEMA);
        mr_json_key(stdout, "store", 0);
        mr_json_cstr(stdout, path);
        mr_json_key(stdout, "added", 0);
        printf("%zu", c.added);
        mr_json_key(stdout, "already_stored", 0);
        printf("%zu", c.present);
        mr_json_key(stdout, "duplicates", 0);
        printf("%zu", c.duplicates);
        mr_json_key(stdout, "same_id_other_text", 0);
        printf("%zu", c.other_text);
        mr_json_key(stdout, "rejected", 0);
        printf("%zu", s.rejected);
        mr_json_key(stdout, "files", 0);
        printf("%zu", s.files);
        mr_json_key(stdout, "files_rejected", 0);
        printf("%zu", s.files_rejected);
        mr_json_key(stdout, "invalid_utf8", 0);
        printf("%zu", s.invalid_utf8);
        mr_json_key(stdout, "bytes", 0);
        printf("%llu", (unsigned long long)s.bytes);
        mr_json_key(stdout, "seconds", 0);
        printf("%.3f", dt);
        mr_json_key(stdout, "reports_in_store", 0);
        printf("%llu", (unsigned long long)total);
        mr_json_key(stdout, "complete", 0);
        fputs(failed ? "false" : "true", stdout);
        fputs("}\n", stdout);
    } else {
        printf("added %zu reports, %zu already stored, %zu duplicates "
               "(stored once), %zu rejected (%zu files read, %zu rejected whole)\n",
               c.added, c.present, c.duplicates, s.rejected, s.files,
               s.files_rejected);
        printf("%s: %llu reports\n", path, (unsigned long long)total);
    }
    if (c.other_text)
        fprintf(stderr,
                "marsad ingest: %zu reports have the id of a stored report "
                "(the same outlet and url: a feed item repeated, a page "
                "edited) but another text: skipped, the stored text is "
                "kept\n",
                c.other_text);
    mr_ingest_close(it);
    mr_store_close(st);
    free(paths);
    if (fflush(stdout) != 0)
        return CLI_FAIL;
    return failed ? CLI_FAIL : s.rejected ? CLI_PARTIAL : CLI_OK;
}
