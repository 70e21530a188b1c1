/*
 * cmd_report.c: `marsad report [--db FILE] -o FILE.html`: the stories of
 * the store as one self-contained HTML file.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "corpus/corpus.h"
#include "out/json.h"

static const char help[] =
    "usage: marsad report [--db FILE] [--title TEXT] -o FILE.html\n"
    "Writes every story of the store as one self-contained HTML page (Arabic,\n"
    "right to left, no script, no external file): each story's figures with\n"
    "their sources and verdicts (conflicts highlighted), summary, timeline,\n"
    "the passages its reports share side by side, and the reports with\n"
    "their figures marked; every value links to its sentence.\n"
    "Stories are those of the last 'marsad analyze' (reports stored since\n"
    "then are placed too, but not saved).\n"
    "  --db FILE     the store (default $MARSAD_DB, else ./marsad.db)\n"
    "  -o FILE       the page to write ('-' for stdout)\n"
    "  --title TEXT  the page's heading (default: مرصد: القصص والأرقام)\n"
    "  --top N       only the N largest stories (default: all)\n"
    "  --json        print {\"schema\",\"path\",\"stories\",\"reports\"} when done\n"
    "Exit status: 0 written, 2 usage, 3 failure.\n";

int cmd_report(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    const char *db = NULL, *out = NULL,
               *title = "مرصد: القصص والأرقام";
    int json = 0;
    long top = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--top") == 0 && i + 1 < argc) {
            char *end;
            top = strtol(argv[++i], &end, 10);
            if (*end || top < 0) {
                cli_error("report", "--top wants a count, not '%s'", argv[i]);
                return CLI_USAGE;
            }
        }
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--title") == 0 && i + 1 < argc)
            title = argv[++i];
        else if ((strcmp(argv[i], "-o") == 0 ||
                  strcmp(argv[i], "--output") == 0) && i + 1 < argc)
            out = argv[++i];
        else {
            cli_error("report", "unexpected argument '%s'", argv[i]);
            cli_usage("report", help);
            return CLI_USAGE;
        }
    }
    if (!out) {
        cli_error("report", "where to? give -o FILE.html");
        cli_usage("report", help);
        return CLI_USAGE;
    }
    const char *path = mr_store_default_path(db);
    mr_store_opts so = {NULL, 1};
    mr_store *st = NULL;
    marsad_error err;
    memset(&err, 0, sizeof err);
    if (mr_store_open(path, &so, &st, &err) != MARSAD_OK) {
        cli_error("report", "%s: %s", err.input, err.message);
        return CLI_FAIL;
    }
    sr_corpus c;
    if (sr_corpus_build(&c, st, 0, NULL, &err) != MARSAD_OK) {
        cli_error("report", "%s: %s", path, err.message);
        sr_corpus_free(&c);
        mr_store_close(st);
        return CLI_FAIL;
    }
    mr_store_close(st);
    int to_stdout = strcmp(out, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(out, "wb");
    if (!f) {
        cli_error("report", "%s: cannot write", out);
        sr_corpus_free(&c);
        return CLI_FAIL;
    }
    mr_story_view *views = calloc(c.nstories ? c.nstories : 1, sizeof *views);
    marsad_status rc = views ? MARSAD_OK : MARSAD_E_NOMEM;
    for (size_t k = 0; views && k < c.nstories; k++)
        views[k] = c.stories[k].view;
    size_t shown = top && (size_t)top < c.nstories ? (size_t)top : c.nstories;
    if (rc == MARSAD_OK)
        rc = mr_report_html(f, views, shown, title);
    free(views);
    int bad = rc != MARSAD_OK || ferror(f);
    if (!to_stdout)
        bad |= fclose(f) != 0;
    if (bad) {
        cli_error("report", "%s: write failed", out);
        sr_corpus_free(&c);
        return CLI_FAIL;
    }
    if (json) {
        fputs("{\"schema\":", stdout);
        mr_json_cstr(stdout, MARSAD_SCHEMA);
        fputs(",\"path\":", stdout);
        mr_json_cstr(stdout, out);
        printf(",\"stories\":%zu,\"reports\":%zu}\n", shown, c.n);
    }
    sr_corpus_free(&c);
    return CLI_OK;
}
