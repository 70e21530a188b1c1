/*
 * cmd_check.c: `marsad check [--db FILE] [--repair] [--json]`: verifies the
 * store (mr_store_check) and, with --repair, rebuilds what is derived from
 * the reports (mr_store_repair), analysing them again when facts or
 * stories had to go.
 */
#include <string.h>

#include "cli/cli.h"
#include "corpus/corpus.h"
#include "store/store.h"

static const char help[] =
    "usage: marsad check [--db FILE] [--repair] [--json]\n"
    "Verifies the store: SQLite's integrity check of every page, the\n"
    "full-text index against the reports, every fact against the words of\n"
    "its report, links and stories against the reports. Writes nothing.\n"
    "  --db FILE  the store (default $MARSAD_DB, else ./marsad.db)\n"
    "  --repair   rebuild what is derived from the reports: the indexes,\n"
    "             the full-text index, and (when facts, links or stories\n"
    "             are wrong) every fact, link and story, by analysing the\n"
    "             reports again. Reports are never changed. A file whose\n"
    "             pages are damaged is refused: nothing is written into it.\n"
    "  --json     one JSON object: store, reports, facts, stories, problems\n"
    "             (kind, message), repaired\n"
    "Exit status: 0 the store is sound (or was repaired), 1 problems found\n"
    "(not repaired), 2 usage, 3 failure (no store, damaged pages with\n"
    "--repair, store error).\n";

/* The meta key of the last report row the stories cover (storyrun.c). */
#define ANALYSED_KEY "story.last_row"

typedef struct shown {
    const char *path;
    int json;
    size_t n;
} shown;

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch < 0x20)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}

static void on_problem(const mr_check_problem *p, void *ctx)
{
    shown *s = ctx;
    if (s->json) {
        printf("%s{\"kind\":", s->n ? "," : "");
        json_str(mr_check_kind_name(p->kind));
        printf(",\"message\":");
        json_str(p->message);
        putchar('}');
    } else
        fprintf(stderr, "marsad check: %s: %s: %s\n", s->path,
                mr_check_kind_name(p->kind), p->message);
    s->n++;
}

/* Checks; with json, the problems go inside the "problems" array. */
static marsad_status run_check(mr_store *st, shown *s, mr_check_result *res,
                               marsad_error *err)
{
    if (s->json) {
        printf("{\"schema\":\"marsad/2\",\"store\":");
        json_str(s->path);
        printf(",\"problems\":[");
    }
    s->n = 0;
    marsad_status rc = mr_store_check(st, ANALYSED_KEY, on_problem, s, res, err);
    if (s->json)
        printf("]");
    return rc;
}

/* Ends a failed check: closes the JSON object (tail), names the error,
 * closes the store. */
static int give_up(mr_store *st, int json, const char *tail, const char *path,
                   const char *what, const marsad_error *err)
{
    if (json)
        printf("%s}\n", tail);
    cli_error("check", "%s: %s%s", path, what, err->message);
    mr_store_close(st);
    return CLI_FAIL;
}

int cmd_check(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    const char *db = NULL;
    int repair = 0, json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repair") == 0)
            repair = 1;
        else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else {
            cli_error("check", "%s '%s'",
                      strcmp(argv[i], "--db") == 0 ? "a value is needed after"
                                                   : "unknown argument",
                      argv[i]);
            return cli_usage("check", help);
        }
    }
    const char *path = mr_store_default_path(db);
    mr_store_opts o = {NULL, 1};
    mr_store *st = NULL;
    marsad_error err;
    memset(&err, 0, sizeof err);
    if (mr_store_open(path, &o, &st, &err) != MARSAD_OK) {
        cli_error("check", "%s: %s", err.input, err.message);
        return CLI_FAIL;
    }
    shown s = {path, json, 0};
    mr_check_result res;
    if (run_check(st, &s, &res, &err) != MARSAD_OK)
        return give_up(st, json, "", path, "", &err);
    int clean = mr_check_clean(&res), repaired = 0, rc = CLI_OK;
    if (!clean && repair) {
        int cleared = 0;
        if (mr_store_repair(st, &res, &cleared, &err) != MARSAD_OK)
            return give_up(st, json, ",\"repaired\":false", path, "", &err);
        if (cleared) { /* facts, links and stories from the reports again */
            sr_corpus c;
            if (sr_corpus_build(&c, st, 1, NULL, &err) != MARSAD_OK) {
                sr_corpus_free(&c);
                return give_up(st, json, ",\"repaired\":false", path,
                               "analysing the reports again: ", &err);
            }
            sr_corpus_free(&c);
        }
        /* and once more, to be sure */
        if (json)
            printf(",\"repaired\":true,\"after\":");
        mr_check_result again;
        shown s2 = {path, json, 0};
        if (run_check(st, &s2, &again, &err) != MARSAD_OK)
            rc = CLI_FAIL;
        else if (!mr_check_clean(&again))
            rc = CLI_FAIL;
        else {
            repaired = 1;
            res.reports = again.reports;
            res.facts = again.facts;
            res.stories = again.stories;
        }
        if (json)
            printf("}");
    } else if (!clean)
        rc = CLI_PARTIAL;
    /* the postings file beside the store is derived too: built again */
    if (repair && rc == CLI_OK)
        cli_build_postings(st, "check");
    if (json)
        printf(",\"reports\":%llu,\"facts\":%llu,\"stories\":%llu}\n",
               (unsigned long long)res.reports,
               (unsigned long long)res.facts,
               (unsigned long long)res.stories);
    else if (clean || repaired)
        printf("%s: %s, %llu reports, %llu facts, %llu stories\n", path,
               repaired ? "repaired" : "ok", (unsigned long long)res.reports,
               (unsigned long long)res.facts, (unsigned long long)res.stories);
    else if (rc == CLI_PARTIAL)
        fprintf(stderr,
                "marsad check: %s: problems found; 'marsad check --repair' "
                "rebuilds what is derived from the reports\n",
                path);
    else
        fprintf(stderr, "marsad check: %s: still not sound after repair\n",
                path);
    mr_store_close(st);
    return rc;
}
