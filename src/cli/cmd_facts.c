/*
 * cmd_facts.c: `marsad facts [--json] [--published DATE] [--ner|--rules-only]
 * FILE...|-`: the
 * figures, sources, dates, entities and quotes of each report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "extract/extract.h"
#include "ingest/ingest.h"
#include "out/facts_json.h"

static const char help[] =
    "usage: marsad facts [--json] [--published DATE] [--ner|--rules-only] FILE...|-\n"
    "Extracts the facts of each report: figures (value, qualifier, counted\n"
    "noun, category, side, event, part_of, source), sources (speaker, cue,\n"
    "what they cover), dates, entities and quotes, each with its byte span.\n"
    "  --json            one NDJSON object per report (schema marsad/2,\n"
    "                    docs/json.md) instead of a table\n"
    "  --published DATE  the date (YYYY-MM-DD) relative dates resolve against;\n"
    "                    it replaces the report's own (metadata or dateline)\n"
    "  --ner             entities from the rules and the trained name tagger\n"
    "                    (also MARSAD_NER=on in the environment, which\n"
    "                    analyze follows too); slower, off by default\n"
    "  --rules-only      entities from the rules alone (the default)\n"
    "Inputs: any reader of marsad ingest (.txt, .jsonl, .html, feeds, TREC), or -.\n"
    "Exit: 0 all read, 1 some inputs rejected, 2 usage, 3 nothing done.\n";

static bool valid_date(const char *s)
{
    /* YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by a time */
    size_t n = strlen(s);
    if (n < 4)
        return false;
    for (size_t i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    if (n == 4)
        return true;
    if (s[4] != '-' || n < 7 || s[5] < '0' || s[5] > '1' || s[6] < '0' ||
        s[6] > '9')
        return false;
    if (n == 7)
        return true;
    return s[7] == '-' && n >= 10 && s[8] >= '0' && s[8] <= '3' &&
           s[9] >= '0' && s[9] <= '9';
}

int cmd_facts(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    int json = 0;
    const char *published = NULL;
    bool ner = mr_extract_ner_default();
    int first_file = 0, nfiles = 0;
    char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files) {
        cli_error("facts", "out of memory");
        return CLI_FAIL;
    }
    (void)first_file;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--ner") == 0)
            ner = true;
        else if (strcmp(argv[i], "--rules-only") == 0)
            ner = false;
        else if (strcmp(argv[i], "--published") == 0) {
            if (i + 1 >= argc || !valid_date(argv[i + 1])) {
                cli_error("facts", "--published needs a date YYYY-MM-DD");
                free(files);
                return CLI_USAGE;
            }
            published = argv[++i];
        } else if (strncmp(argv[i], "--published=", 12) == 0) {
            published = argv[i] + 12;
            if (!valid_date(published)) {
                cli_error("facts", "--published needs a date YYYY-MM-DD");
                free(files);
                return CLI_USAGE;
            }
        } else if (strcmp(argv[i], "--") == 0) {
            for (i++; i < argc; i++)
                files[nfiles++] = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            cli_error("facts", "unknown option '%s'", argv[i]);
            cli_usage("facts", help);
            free(files);
            return CLI_USAGE;
        } else
            files[nfiles++] = argv[i];
    }
    if (nfiles == 0) {
        cli_error("facts", "no input (give FILE... or - for stdin)");
        cli_usage("facts", help);
        free(files);
        return CLI_USAGE;
    }
    mr_ingest *it = NULL;
    if (mr_ingest_open((const char *const *)files, (size_t)nfiles, NULL, &it) !=
        MARSAD_OK) {
        cli_error("facts", "out of memory");
        free(files);
        return CLI_FAIL;
    }
    mr_facts facts;
    memset(&facts, 0, sizeof facts);
    int bad = 0, good = 0;
    mr_report r;
    memset(&r, 0, sizeof r);
    marsad_error err;
    marsad_status rc;
    while ((rc = mr_ingest_next(it, &r, &err)) != MR_INGEST_DONE) {
        if (rc == MARSAD_E_NOMEM || rc == MARSAD_E_ARG) {
            cli_error("facts", "%s", marsad_strerror(rc));
            bad++;
            break;
        }
        if (rc != MARSAD_OK) {
            if (err.line)
                fprintf(stderr, "marsad facts: %s:%lu: %s\n", err.input, err.line,
                        err.message);
            else
                fprintf(stderr, "marsad facts: %s: %s\n", err.input, err.message);
            bad++;
            continue;
        }
        /* a date on the command line wins over the report's own */
        if (published) {
            free(r.published);
            r.published = strdup(published);
        }
        mr_extract_opts o = {r.published, r.outlet,
                             !published && r.published_origin == MR_PUB_DATELINE,
                             ner};
        rc = mr_extract(r.text, r.text_len, &o, &facts);
        if (rc != MARSAD_OK) {
            fprintf(stderr, "marsad facts: %s: %s\n", r.file ? r.file : "-",
                    marsad_strerror(rc));
            bad++;
        } else {
            if (json)
                mr_facts_json(stdout, &r, &facts);
            else
                mr_facts_table(stdout, &r, &facts);
            good++;
        }
        mr_report_clear(&r);
    }
    mr_ingest_close(it);
    mr_facts_free(&facts);
    free(files);
    if (fflush(stdout) != 0)
        return CLI_FAIL;
    if (bad && !good)
        return CLI_FAIL;
    return bad ? CLI_PARTIAL : CLI_OK;
}
