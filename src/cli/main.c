/*
 * main.c: the marsad command dispatcher. Each command lives in its own
 * file (cmd_NAME.c) and is listed once in `commands` below.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const cli_command commands[] = {
    /* keep alphabetical; one line per command */
    {"analyze", cmd_analyze, "ingest, extract, link and reconcile: stories with their figures"},
    {"check", cmd_check, "verify the store; --repair rebuilds what is derived from the reports"},
    {"facts", cmd_facts, "figures, sources, dates, entities and quotes of reports"},
    {"ingest", cmd_ingest, "read reports from files, folders or stdin into the store"},
    {"normalize", cmd_normalize, "normalise Arabic text for matching (stdin to stdout)"},
    {"numbers", cmd_numbers, "number expressions: span, value {min, max}, qualifier"},
    {"report", cmd_report, "the stories as one self-contained HTML page"},
    {"reuse", cmd_reuse, "pairs of reports that share text, with their passages"},
    {"search", cmd_search, "full-text search of the stored reports (Arabic-aware, BM25)"},
    {"serve", cmd_serve, "the HTTP API and the Arabic dashboard over the store"},
    {"show", cmd_show, "one stored report: metadata and text"},
    {"stories", cmd_stories, "the stories, largest first, with their reconciled figures"},
    {"story", cmd_story, "one story: claims, verdicts, summary, timeline"},
    {"tokens", cmd_tokens, "tokens with byte offsets, kinds, normalised forms and stems"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: marsad COMMAND [OPTIONS] [ARGS]\n"
               "       marsad --version | --help | help COMMAND\n\n"
               "marsad turns Arabic news reports into a ledger of claims, each\n"
               "with its source and its exact words.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nRun 'marsad COMMAND --help' for a command's options; "
               "'man marsad' for the manual.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("marsad %s (schema %s)\n", marsad_version(), MARSAD_SCHEMA);
        return CLI_OK;
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    static char help_flag[] = "--help";
    char *help_argv[3];
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return CLI_OK;
        }
        name = argv[2];
        help_argv[0] = argv[2];
        help_argv[1] = help_flag;
        help_argv[2] = NULL;
        argv = help_argv - 1; /* so that argv + 1 is help_argv */
        argc = 3;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0) {
            cli_bidi_guard(argc, argv);
            int rc = commands[i].run(argc - 1, argv + 1);
            cli_bidi_unguard();
            return rc;
        }
    fprintf(stderr,
            "marsad: unknown command '%s'\n"
            "Run 'marsad --help' for the commands.\n",
            name);
    return CLI_USAGE;
}
