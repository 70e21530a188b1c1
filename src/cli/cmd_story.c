/*
 * cmd_story.c: `marsad story [--db FILE] [--json] ID`: one story, by its id
 * or the id of one of its reports.
 */
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

static const char help[] =
    "usage: marsad story [--db FILE] [--json] ID\n"
    "Shows one story saved by 'marsad analyze': ID is the story's id or the\n"
    "id of one of its reports. Prints every claim with its values, sources\n"
    "and verdict with the reason, the summary and the timeline.\n"
    "  --db FILE  the store (default $MARSAD_DB, else ./marsad.db)\n"
    "  --json     the story as one JSON object (as in 'marsad stories --json')\n"
    "Exit status: 0 found, 1 no such story, 2 usage, 3 failure.\n";

int cmd_story(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    const char *db = NULL, *id = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (argv[i][0] != '-' && !id)
            id = argv[i];
        else {
            cli_error("story", "unexpected argument '%s'", argv[i]);
            cli_usage("story", help);
            return CLI_USAGE;
        }
    }
    if (!id) {
        cli_error("story", "which story? give its id");
        cli_usage("story", help);
        return CLI_USAGE;
    }
    const char *path = mr_store_default_path(db);
    mr_store_opts so = {NULL, 1};
    mr_store *st = NULL;
    marsad_error err;
    memset(&err, 0, sizeof err);
    if (mr_store_open(path, &so, &st, &err) != MARSAD_OK) {
        cli_error("story", "%s: %s", err.input, err.message);
        return CLI_FAIL;
    }
    size_t n = 0;
    marsad_status rc = cli_print_stories(st, id, json, 0, stdout, &n, &err);
    mr_store_close(st);
    if (rc == MARSAD_E_NOTFOUND) {
        cli_error("story", "no story or report '%s' in %s", id, path);
        return CLI_PARTIAL;
    }
    if (rc != MARSAD_OK) {
        cli_error("story", "%s: %s", path, err.message);
        return CLI_FAIL;
    }
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}
