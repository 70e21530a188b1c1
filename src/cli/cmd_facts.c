/*
 * cmd_facts.c: `marsad facts [--json] [--published DATE] FILE...|-`: the
 * figures, sources, dates, entities and quotes of each report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "extract/extract.h"
#include "out/facts_json.h"

static const char help[] =
    "usage: marsad facts [--json] [--published DATE] FILE...|-\n"
    "Extracts the facts of each report: figures (value, qualifier, counted\n"
    "noun, category, side, event, part_of, source), sources (speaker, cue,\n"
    "what they cover), dates, entities and quotes, each with its byte span.\n"
    "  --json            one NDJSON object per report (schema marsad/1,\n"
    "                    docs/json.md) instead of a table\n"
    "  --published DATE  the date (YYYY-MM-DD) relative dates resolve against\n"
    "                    when the report carries none\n"
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

/* First non-empty line of text, trimmed, as the title (malloc'd). */
static char *first_line(const char *t, size_t n)
{
    size_t a = 0;
    while (a < n && (t[a] == '\n' || t[a] == '\r' || t[a] == ' ' || t[a] == '\t'))
        a++;
    size_t b = a;
    while (b < n && t[b] != '\n')
        b++;
    while (b > a && (t[b - 1] == '\r' || t[b - 1] == ' '))
        b--;
    if (b == a)
        return NULL;
    char *s = malloc(b - a + 1);
    if (s) {
        memcpy(s, t + a, b - a);
        s[b - a] = 0;
    }
    return s;
}

static char *hex_id(const char *t, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)t[i];
        h *= 1099511628211ULL;
    }
    char *s = malloc(17);
    if (s)
        snprintf(s, 17, "%016llx", (unsigned long long)h);
    return s;
}

int cmd_facts(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    int json = 0;
    const char *published = NULL;
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
            fputs(help, stderr);
            free(files);
            return CLI_USAGE;
        } else
            files[nfiles++] = argv[i];
    }
    if (nfiles == 0) {
        cli_error("facts", "no input (give FILE... or - for stdin)");
        fputs(help, stderr);
        free(files);
        return CLI_USAGE;
    }
    mr_facts facts;
    memset(&facts, 0, sizeof facts);
    int bad = 0, good = 0;
    for (int k = 0; k < nfiles; k++) {
        size_t len = 0;
        char *text = cli_read_all(files[k], &len);
        if (!text) {
            bad++;
            continue;
        }
        size_t inval = marsad_utf8_count_invalid(text, len);
        if (inval) {
            /* keep offsets honest: reject rather than repair silently */
            fprintf(stderr, "marsad facts: %s: not valid UTF-8 (%zu invalid sequences)\n",
                    files[k], inval);
            free(text);
            bad++;
            continue;
        }
        if (memchr(text, 0, len)) {
            fprintf(stderr, "marsad facts: %s: binary input (NUL bytes)\n", files[k]);
            free(text);
            bad++;
            continue;
        }
        mr_report r;
        memset(&r, 0, sizeof r);
        r.text = text;
        r.text_len = len;
        r.file = files[k];
        r.id = hex_id(text, len);
        r.title = first_line(text, len);
        r.published = (char *)(uintptr_t)published;
        mr_extract_opts o = {published, NULL};
        marsad_status rc = mr_extract(text, len, &o, &facts);
        if (rc != MARSAD_OK) {
            fprintf(stderr, "marsad facts: %s: %s\n", files[k], marsad_strerror(rc));
            bad++;
        } else {
            if (json)
                mr_facts_json(stdout, &r, &facts);
            else
                mr_facts_table(stdout, &r, &facts);
            good++;
        }
        free(r.id);
        free(r.title);
        free(text);
    }
    mr_facts_free(&facts);
    free(files);
    if (fflush(stdout) != 0)
        return CLI_FAIL;
    if (bad && !good)
        return CLI_FAIL;
    return bad ? CLI_PARTIAL : CLI_OK;
}
