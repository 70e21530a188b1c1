/*
 * cmd_stories.c: `marsad stories [--db FILE] [--json]`: the stories the
 * last `marsad analyze` saved, largest first.
 */
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

static const char help[] =
    "usage: marsad stories [--db FILE] [--json]\n"
    "Lists the stories saved by 'marsad analyze', largest first: title, id,\n"
    "reports, first and last seen, and the figures told by two reports or\n"
    "more with their verdict (agree, range, update, conflict).\n"
    "  --db FILE  the store (default $MARSAD_DB, else ./marsad.db)\n"
    "  --json     one JSON object per story and line (schema marsad/2):\n"
    "             id, title, first_seen, last_seen, reports, claims (event,\n"
    "             category, side, scope, period, place, part, values with\n"
    "             report, source, value, qualifier, start, end, text,\n"
    "             category, repeat; course, latest, range, verdict, reason),\n"
    "             timeline, summary, passages\n"
    "Exit status: 0 done, 2 usage, 3 failure (no store, store error).\n";

int cmd_stories(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    const char *db = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else {
            cli_error("stories", "unexpected argument '%s'", argv[i]);
            cli_usage("stories", help);
            return CLI_USAGE;
        }
    }
    const char *path = mr_store_default_path(db);
    mr_store_opts so = {NULL, 1};
    mr_store *st = NULL;
    marsad_error err;
    memset(&err, 0, sizeof err);
    if (mr_store_open(path, &so, &st, &err) != MARSAD_OK) {
        cli_error("stories", "%s: %s", err.input, err.message);
        return CLI_FAIL;
    }
    size_t n = 0;
    marsad_status rc = cli_print_stories(st, NULL, json, 0, stdout, &n, &err);
    mr_store_close(st);
    if (rc != MARSAD_OK) {
        cli_error("stories", "%s: %s", path, err.message);
        return CLI_FAIL;
    }
    if (!json && n == 0)
        printf("no stories in %s: run 'marsad analyze' first\n", path);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}
