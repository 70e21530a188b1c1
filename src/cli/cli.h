/*
 * cli.h: what the marsad commands share. One file per command
 * (src/cli/cmd_NAME.c), each a thin layer over the library.
 */
#ifndef MR_CLI_H
#define MR_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "marsad.h"

/* Exit codes, documented in docs/marsad.1. */
enum {
    CLI_OK = 0,      /* everything went in / was found */
    CLI_PARTIAL = 1, /* some inputs were rejected; the rest was done */
    CLI_USAGE = 2,   /* bad command line */
    CLI_FAIL = 3     /* nothing could be done (I/O, store, memory) */
};

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    const char *summary;
} cli_command;

/*
 * Reads all of `path` ("-" for stdin) into a malloc'd buffer (NUL-terminated
 * for convenience; *len excludes the NUL). On failure prints
 * "marsad: PATH: reason" to stderr and returns NULL.
 */
char *cli_read_all(const char *path, size_t *len);

/* Prints "marsad CMD: message" to stderr (printf-style). */
void cli_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Builds the store's postings file (mr_store_postings_build: search
 * without FTS5) after a command wrote reports; a failure is said on stderr
 * (search still works, through FTS5) and returns -1, else 0. */
int cli_build_postings(struct marsad_store *st, const char *cmd);

/* True when argv has -h or --help before any "--"; the caller prints help. */
int cli_wants_help(int argc, char **argv);

/* A usage error's reminder: prints the usage lines at the top of help
 * (not the whole page) and "Run 'marsad CMD --help' for more." to stderr;
 * returns CLI_USAGE. */
int cli_usage(const char *cmd, const char *help);

/* From here on, text written to stdout and stderr shows each bidi control
 * (U+202A..U+202E, U+2066..U+2069) as the visible "<U+202E>" instead of
 * letting it reorder the terminal's line (bidi.c); not with --json nor for
 * `report` (its HTML shows them itself). argv as main's. unguard flushes
 * and puts the real streams back. */
void cli_bidi_guard(int argc, char **argv);
void cli_bidi_unguard(void);

/* A stored story's JSON line as a few lines of text (full: reasons,
 * summary and timeline too). story_text.c */
void cli_story_text(FILE *out, const char *line, int full);

/* Prints the stored stories of path's store, largest first (the first
 * `limit`, 0 = all), as JSON lines or text; with id, that story (or the
 * story of that report) in full. *count receives how many. Returns
 * MARSAD_E_NOTFOUND when id matches none. story_text.c */
marsad_status cli_print_stories(marsad_store *st, const char *id, int json,
                                size_t limit, FILE *out, size_t *count,
                                marsad_error *err);

/* Commands, one per file. */
int cmd_check(int argc, char **argv);
int cmd_facts(int argc, char **argv);
int cmd_normalize(int argc, char **argv);
int cmd_numbers(int argc, char **argv);
int cmd_reuse(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_tokens(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_stories(int argc, char **argv);
int cmd_story(int argc, char **argv);

#endif
