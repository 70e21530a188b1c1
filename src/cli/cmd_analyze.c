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
#include "out/story_out.h"
#include "store/store.h"

static const char help[] =
    "usage: marsad analyze [--db FILE] [--json] [--top N] [--stats]\n"
    "                      [--batch N] PATH...\n"
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
    "  --stats    print each stage's wall time, CPU time (all threads:\n"
    "             above the wall time where both cores work), resident\n"
    "             memory, the cores it kept busy (CPU over wall) and the\n"
    "             CPU of the calling thread alone (lead: the work no other\n"
    "             thread takes), and how many facts were extracted and\n"
    "             stories kept, to stderr\n"
    "  --batch N  reports per committed batch of ingest and of facts\n"
    "             (default 500): a run that is stopped keeps every batch\n"
    "             committed, and the next run goes on from there\n"
    "A progress line goes to stderr when it is a terminal.\n"
    "Exit status: 0 done, 1 some inputs were rejected (the rest analysed),\n"
    "2 usage, 3 failure (store or memory).\n";

typedef struct prog {
    int tty;
    size_t ingested;
} prog;

static void progress(marsad_stage stage, size_t done, size_t total,
                     void *ctx)
{
    prog *p = ctx;
    if (!p->tty)
        return;
    if (stage == MARSAD_STAGE_INGEST) {
        fprintf(stderr, "\ringest: %zu reports", done);
        p->ingested = done;
    } else if (stage == MARSAD_STAGE_FACTS) {
        if (p->ingested) { /* the ingest line stays */
            fputc('\n', stderr);
            p->ingested = 0;
        }
        if (done % 64 == 0 || done == total)
            fprintf(stderr, "\ranalyze: %zu/%zu reports", done, total);
    }
}

static void reject(const marsad_error *err, void *ctx)
{
    prog *p = ctx;
    if (p->tty)
        fputs("\r\033[K", stderr);
    if (err->line)
        fprintf(stderr, "marsad analyze: %s:%lu: %s\n", err->input, err->line,
                err->message);
    else
        fprintf(stderr, "marsad analyze: %s: %s\n", err->input, err->message);
}

/* The overview, from the stored stories (a run keeps the rows of the
 * stories it did not change): counts, then the top largest (0 = all), or
 * every story's JSON line. */
static marsad_status print_overview(marsad_store *st, const char *path,
                                    const marsad_analyze_summary *s, int json,
                                    long top)
{
    marsad_error err;
    size_t count = 0;
    if (json)
        return cli_print_stories(st, NULL, 1, 0, stdout, &count, &err);
    /* The head line, in Arabic like the stories under it: the store, its
     * reports (how many this run added), stories and figures. */
    printf("%s: ", path);
    mr_label_count(stdout, s->reports, MR_NOUN_REPORT);
    printf(" (الجديد منها: %zu)، ", s->ingest.added);
    mr_label_count(stdout, s->stories, MR_NOUN_STORY);
    fputs("، ", stdout);
    mr_label_count(stdout, s->claims, MR_NOUN_FIGURE);
    fputs(" (", stdout);
    mr_label_count(stdout, s->conflicts, MR_NOUN_CONFLICT);
    fputs(")\n\n", stdout);
    marsad_status rc =
        cli_print_stories(st, NULL, 0, (size_t)top, stdout, &count, &err);
    if (rc != MARSAD_OK)
        return rc;
    if (top && s->stories > (size_t)top)
        printf("(القصص الباقية: %zu، 'marsad stories')\n", s->stories - (size_t)top);
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
    long top = 10, batch = 0;
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
                 (strcmp(a, "--db") == 0 || strcmp(a, "--top") == 0 ||
                  strcmp(a, "--batch") == 0)) {
            if (i + 1 >= argc) {
                cli_error("analyze", "%s needs a value", a);
                rc = CLI_USAGE;
            } else if (a[2] == 'd')
                db = argv[++i];
            else {
                char *end;
                long v = strtol(argv[++i], &end, 10);
                if (*end || v < 0 || (a[2] == 'b' && v == 0)) {
                    cli_error("analyze", "%s wants a count, not '%s'", a,
                              argv[i]);
                    rc = CLI_USAGE;
                } else if (a[2] == 'b')
                    batch = v;
                else
                    top = v;
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
    prog p = {isatty(STDERR_FILENO), 0};
    marsad_analyze_opts ao = {(size_t)batch, 0, progress, reject, &p, 0};
    marsad_analyze_summary sum;
    marsad_status ms = marsad_analyze(st, paths, npaths, &ao, &sum, &err);
    free(paths);
    if (p.tty)
        fputc('\n', stderr);
    if (ms != MARSAD_OK) {
        cli_error("analyze", "%s: %s", err.input[0] ? err.input : path,
                  err.message);
        mr_store_close(st);
        return CLI_FAIL;
    }
    if (sum.figures_capped)
        fprintf(stderr,
                "marsad analyze: %zu report%s with more than %d figures: "
                "the first %d of each kept ('marsad facts' counts the rest)\n",
                sum.figures_capped, sum.figures_capped > 1 ? "s" : "",
                MARSAD_FIGURES_MAX, MARSAD_FIGURES_MAX);
    if (stats) {
        /* cores: CPU over wall, the cores the stage kept busy; lead: the
         * calling thread's CPU, the part no other thread can take */
        double wall = 0, cpu = 0, lead = 0;
        for (int k = 0; k < MARSAD_NSTAGES; k++) {
            fprintf(stderr,
                    "stage %-16s %7.2f s  cpu %7.2f s  rss %6.0f MB  "
                    "cores %4.2f  lead %7.2f s\n",
                    marsad_stage_name((marsad_stage)k), sum.secs[k],
                    sum.cpu_secs[k], sum.rss_mb[k],
                    sum.secs[k] > 0.005 ? sum.cpu_secs[k] / sum.secs[k] : 0.0,
                    sum.lead_cpu_secs[k]);
            wall += sum.secs[k];
            cpu += sum.cpu_secs[k];
            lead += sum.lead_cpu_secs[k];
        }
        fprintf(stderr,
                "all stages: %.2f s wall, %.2f s cpu, %.2f cores busy; "
                "lead thread %.2f s cpu\n",
                wall, cpu, wall > 0.005 ? cpu / wall : 0.0, lead);
        fprintf(stderr,
                "facts extracted for %zu of %zu reports; %zu of %zu stories "
                "kept as stored\n",
                sum.extracted, sum.reports, sum.stories_kept, sum.stories);
    }
    if (print_overview(st, path, &sum, json, top) != MARSAD_OK) {
        cli_error("analyze", "%s: cannot read the stories back", path);
        mr_store_close(st);
        return CLI_FAIL;
    }
    size_t rejected = sum.ingest.rejected;
    mr_store_close(st);
    if (fflush(stdout) != 0)
        return CLI_FAIL;
    return rejected ? CLI_PARTIAL : CLI_OK;
}
