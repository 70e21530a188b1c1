/*
 * cmd_analyze.c: `marsad analyze [--db FILE] [--json] PATH...`: the main
 * job. Ingests PATHs into the store, extracts every report's facts, links
 * reports, groups them into stories and reconciles each story's figures;
 * ends with an overview of the stories, largest first.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/storyrun.h"
#include "ingest/ingest.h"

static const char help[] =
    "usage: marsad analyze [--db FILE] [--json] [--top N] [--stats] PATH...\n"
    "Reads reports from PATHs (files, folders, '-': text, JSON Lines, HTML,\n"
    "feeds, TREC) into the store, then extracts their facts, finds the\n"
    "passages they share, groups them into stories and reconciles each\n"
    "story's figures (agree, range, conflict), timeline and summary. All of\n"
    "it is saved in the store (see 'marsad stories', 'marsad report').\n"
    "Running it again with more reports adds them to the stories: facts are\n"
    "extracted for the new reports only, and stories they do not change keep\n"
    "their stored rows.\n"
    "  --db FILE  the store (default $MARSAD_DB, else ./marsad.db)\n"
    "  --json     print every story as one JSON line (as 'marsad stories\n"
    "             --json') instead of the overview\n"
    "  --top N    stories shown in the overview (default 10, 0 = all)\n"
    "  --stats    print each stage's wall time and resident memory, and how\n"
    "             many facts were extracted and stories kept, to stderr\n"
    "A progress line goes to stderr when it is a terminal.\n"
    "Exit status: 0 done, 1 some inputs were rejected (the rest analysed),\n"
    "2 usage, 3 failure (store or memory).\n";

typedef struct prog {
    int tty;
} prog;

static void progress(size_t done, size_t total, void *ctx)
{
    prog *p = ctx;
    if (p->tty && (done % 64 == 0 || done == total))
        fprintf(stderr, "\ranalyze: %zu/%zu reports", done, total);
}

/* Ingests every path; returns the number of rejected inputs, or -1 when
 * the store failed. */
static long ingest(mr_store *st, const char **paths, size_t n, int tty,
                   size_t *added)
{
    mr_ingest *it = NULL;
    marsad_error err;
    memset(&err, 0, sizeof err);
    if (mr_ingest_open(paths, n, NULL, &it) != MARSAD_OK) {
        cli_error("analyze", "out of memory");
        return -1;
    }
    long rejected = 0;
    size_t in_batch = 0, seen = 0;
    mr_report r;
    memset(&r, 0, sizeof r);
    marsad_status ms;
    int failed = mr_store_begin(st, &err) != MARSAD_OK;
    while (!failed && (ms = mr_ingest_next(it, &r, &err)) != MR_INGEST_DONE) {
        if (ms == MARSAD_E_NOMEM || ms == MARSAD_E_ARG) {
            cli_error("analyze", "out of memory");
            failed = 1;
            break;
        }
        if (ms != MARSAD_OK) {
            if (tty)
                fputs("\r\033[K", stderr);
            if (err.line)
                fprintf(stderr, "marsad analyze: %s:%lu: %s\n", err.input,
                        err.line, err.message);
            else
                fprintf(stderr, "marsad analyze: %s: %s\n", err.input,
                        err.message);
            rejected++;
            continue;
        }
        mr_put_result pr;
        if (mr_store_put_report(st, &r, &pr, &err) != MARSAD_OK) {
            mr_report_clear(&r);
            failed = 1;
            break;
        }
        mr_report_clear(&r);
        *added += pr == MR_PUT_ADDED;
        seen++;
        if (tty && seen % 64 == 0)
            fprintf(stderr, "\ringest: %zu reports", seen);
        if (++in_batch >= 500) {
            in_batch = 0;
            if (mr_store_commit(st, &err) != MARSAD_OK ||
                mr_store_begin(st, &err) != MARSAD_OK)
                failed = 1;
        }
    }
    if (!failed && mr_store_commit(st, &err) != MARSAD_OK)
        failed = 1;
    if (failed) {
        mr_store_rollback(st);
        cli_error("analyze", "%s: %s", err.input, err.message);
    }
    if (tty)
        fprintf(stderr, "\ringest: %zu reports\n", seen);
    mr_ingest_close(it);
    return failed ? -1 : rejected;
}

/* The overview, from the stored stories (a run keeps the rows of the
 * stories it did not change): counts, then the top largest (0 = all), or
 * every story's JSON line. */
static marsad_status print_overview(mr_store *st, const char *path,
                                    size_t nreports, size_t added,
                                    size_t nstories, int json, long top)
{
    sqlite3 *db = mr_store_db(st);
    marsad_error err;
    size_t count = 0;
    if (json)
        return sr_print_stored(st, NULL, 1, 0, stdout, &count, &err);
    sqlite3_stmt *q = NULL;
    long long nclaims = 0, nconf = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*), coalesce(sum(json_extract(c.value, "
                           "'$.verdict') = 'conflict'), 0) FROM stories s, "
                           "json_each(s.json, '$.claims') c",
                           -1, &q, NULL) != SQLITE_OK)
        return MARSAD_E_DB;
    if (sqlite3_step(q) == SQLITE_ROW) {
        nclaims = sqlite3_column_int64(q, 0);
        nconf = sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
    printf("%s: %zu reports (%zu new), %zu stories, %lld claims, %lld in "
           "conflict\n\n",
           path, nreports, added, nstories, nclaims, nconf);
    marsad_status rc =
        sr_print_stored(st, NULL, 0, (size_t)top, stdout, &count, &err);
    if (rc != MARSAD_OK)
        return rc;
    if (top && nstories > (size_t)top)
        printf("(%zu more: 'marsad stories')\n", nstories - (size_t)top);
    return MARSAD_OK;
}

int cmd_analyze(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    const char *db = NULL;
    int json = 0, stats = 0, opts_done = 0, rc = CLI_OK;
    long top = 10;
    const char **paths = calloc((size_t)argc, sizeof *paths);
    size_t npaths = 0;
    if (!paths) {
        cli_error("analyze", "out of memory");
        return CLI_FAIL;
    }
    for (int i = 1; i < argc && rc == CLI_OK; i++) {
        const char *a = argv[i];
        if (!opts_done && strcmp(a, "--") == 0)
            opts_done = 1;
        else if (!opts_done && strcmp(a, "--json") == 0)
            json = 1;
        else if (!opts_done && strcmp(a, "--stats") == 0)
            stats = 1;
        else if (!opts_done &&
                 (strcmp(a, "--db") == 0 || strcmp(a, "--top") == 0)) {
            if (i + 1 >= argc) {
                cli_error("analyze", "%s needs a value", a);
                rc = CLI_USAGE;
            } else if (a[2] == 'd')
                db = argv[++i];
            else {
                char *end;
                top = strtol(argv[++i], &end, 10);
                if (*end || top < 0) {
                    cli_error("analyze", "--top wants a count, not '%s'",
                              argv[i]);
                    rc = CLI_USAGE;
                }
            }
        } else if (!opts_done && a[0] == '-' && a[1]) {
            cli_error("analyze", "unknown option '%s'", a);
            rc = CLI_USAGE;
        } else
            paths[npaths++] = a;
    }
    if (rc == CLI_OK && npaths == 0) {
        cli_error("analyze", "no input: name files, folders or '-'");
        rc = CLI_USAGE;
    }
    if (rc != CLI_OK) {
        cli_usage("analyze", help);
        free(paths);
        return rc;
    }
    const char *path = mr_store_default_path(db);
    mr_store *st = NULL;
    marsad_error err;
    memset(&err, 0, sizeof err);
    if (mr_store_open(path, NULL, &st, &err) != MARSAD_OK) {
        cli_error("analyze", "%s: %s", err.input, err.message);
        free(paths);
        return CLI_FAIL;
    }
    int tty = isatty(STDERR_FILENO);
    size_t added = 0;
    double t0 = sr_now();
    long rejected = ingest(st, paths, npaths, tty, &added);
    double t_ingest = sr_now() - t0, rss_ingest = sr_rss_mb();
    free(paths);
    if (rejected < 0) {
        mr_store_close(st);
        return CLI_FAIL;
    }
    prog p = {tty};
    sr_corpus c;
    if (sr_corpus_build(&c, st, 1, progress, &p, &err) != MARSAD_OK) {
        if (tty)
            fputc('\n', stderr);
        cli_error("analyze", "%s: %s", path, err.message);
        sr_corpus_free(&c);
        mr_store_close(st);
        return CLI_FAIL;
    }
    if (tty)
        fputc('\n', stderr);
    if (stats) {
        fprintf(stderr, "stage %-16s %7.2f s  rss %6.0f MB\n", "ingest",
                t_ingest, rss_ingest);
        for (int k = 0; k < SR_NSTAGES; k++)
            fprintf(stderr, "stage %-16s %7.2f s  rss %6.0f MB\n",
                    sr_stage_names[k], c.stats.secs[k], c.stats.rss_mb[k]);
    }
    if (stats)
        fprintf(stderr,
                "facts extracted for %zu of %zu reports; %zu of %zu stories "
                "kept as stored\n",
                c.nextracted, c.n, c.nreused, c.nstories);
    size_t nreports = c.n, nstories = c.nstories;
    sr_corpus_free(&c); /* what follows reads the store */
    if (print_overview(st, path, nreports, added, nstories, json, top) !=
        MARSAD_OK) {
        cli_error("analyze", "%s: cannot read the stories back", path);
        mr_store_close(st);
        return CLI_FAIL;
    }
    mr_store_close(st);
    if (fflush(stdout) != 0)
        return CLI_FAIL;
    return rejected ? CLI_PARTIAL : CLI_OK;
}
