/*
 * cmd_show.c: `marsad show [--db FILE] [--json] ID`: one stored report,
 * its metadata and its text as stored (byte-exact).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "out/json.h"
#include "store/store.h"
#include "store/store_read.h"

static const char help[] =
    "usage: marsad show [--db FILE] [--json | --facts] ID\n"
    "Prints one stored report: its metadata, then its text as stored.\n"
    "ID is a report id (as 'marsad search' prints it) or the input's own id\n"
    "(source_id: a JSON Lines id, a feed guid, a DOCNO) when only one report\n"
    "has it.\n"
    "  --db FILE  the store (default $MARSAD_DB, else ./marsad.db)\n"
    "  --json     one JSON object: {\"schema\",\"id\",\"source_id\",\"outlet\",\n"
    "             \"url\",\"published\",\"published_origin\",\"title\",\"lang\",\n"
    "             \"file\",\"line\",\"added\",\"invalid_utf8\",\"text\"}\n"
    "  --facts    the report's stored facts instead (as 'analyze' saved\n"
    "             them), one a line in the order saved: the kind, a tab,\n"
    "             the object as 'marsad facts --json' prints it\n"
    "Exit status: 0 shown, 1 no such report, 2 usage, 3 failure.\n";

static const char *origin(mr_date_origin o)
{
    return o == MR_PUB_METADATA ? "metadata"
           : o == MR_PUB_DATELINE ? "dateline"
                                  : "unknown";
}

static void field(const char *name, const char *v)
{
    if (v && *v)
        printf("%-10s %s\n", name, v);
}

static int print_fact(const mr_fact_row *f, void *ctx)
{
    (void)ctx;
    printf("%s\t%s\n", f->kind, f->json);
    return 0;
}

int cmd_show(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    const char *db = NULL, *id = NULL;
    int json = 0, facts = 0, rc = CLI_OK, opts_done = 0;
    for (int i = 1; i < argc && rc == CLI_OK; i++) {
        const char *a = argv[i];
        if (!opts_done && strcmp(a, "--") == 0)
            opts_done = 1;
        else if (!opts_done && strcmp(a, "--json") == 0)
            json = 1;
        else if (!opts_done && strcmp(a, "--facts") == 0)
            facts = 1;
        else if (!opts_done && strcmp(a, "--db") == 0) {
            if (i + 1 >= argc) {
                cli_error("show", "--db needs a value");
                rc = CLI_USAGE;
            } else
                db = argv[++i];
        } else if (!opts_done && a[0] == '-' && a[1]) {
            cli_error("show", "unknown option '%s'", a);
            rc = CLI_USAGE;
        } else if (id) {
            cli_error("show", "one ID at a time");
            rc = CLI_USAGE;
        } else
            id = a;
    }
    if (rc == CLI_OK && json && facts) {
        cli_error("show", "--json and --facts: one or the other");
        rc = CLI_USAGE;
    }
    if (rc == CLI_OK && !id) {
        cli_error("show", "no ID");
        rc = CLI_USAGE;
    }
    if (rc != CLI_OK) {
        cli_usage("show", help);
        return rc;
    }
    const char *path = mr_store_default_path(db);
    mr_store *st = NULL;
    marsad_error err;
    mr_store_opts sopts = {0};
    sopts.must_exist = 1;
    if (mr_store_open(path, &sopts, &st, &err) != MARSAD_OK) {
        cli_error("show", "%s: %s", err.input, err.message);
        return CLI_FAIL;
    }
    mr_report r;
    char added[32];
    marsad_status ms = mr_store_get_report(st, id, &r, added, &err);
    if (ms == MARSAD_OK && facts) {
        ms = mr_store_facts_saved(st, r.id, print_fact, NULL, &err);
        if (ms != MARSAD_OK)
            mr_report_clear(&r);
    }
    mr_store_close(st);
    if (ms == MARSAD_E_NOTFOUND) {
        cli_error("show", "%s: %s", err.input, err.message);
        return CLI_PARTIAL;
    }
    if (ms != MARSAD_OK) {
        cli_error("show", "%s: %s", err.input, err.message);
        return CLI_FAIL;
    }
    if (facts) {
        /* printed already */
    } else if (json) {
        fputs("{", stdout);
        mr_json_key(stdout, "schema", 1);
        mr_json_cstr(stdout, MARSAD_SCHEMA);
        mr_json_key(stdout, "id", 0);
        mr_json_cstr(stdout, r.id);
        mr_json_key(stdout, "source_id", 0);
        mr_json_cstr(stdout, r.source_id);
        mr_json_key(stdout, "outlet", 0);
        mr_json_cstr(stdout, r.outlet);
        mr_json_key(stdout, "url", 0);
        mr_json_cstr(stdout, r.url);
        mr_json_key(stdout, "published", 0);
        mr_json_cstr(stdout, r.published);
        mr_json_key(stdout, "published_origin", 0);
        mr_json_cstr(stdout, origin(r.published_origin));
        mr_json_key(stdout, "title", 0);
        mr_json_cstr(stdout, r.title);
        mr_json_key(stdout, "lang", 0);
        mr_json_cstr(stdout, r.lang);
        mr_json_key(stdout, "file", 0);
        mr_json_cstr(stdout, r.file);
        mr_json_key(stdout, "line", 0);
        if (r.line)
            printf("%lu", r.line);
        else
            fputs("null", stdout);
        mr_json_key(stdout, "added", 0);
        mr_json_cstr(stdout, added);
        mr_json_key(stdout, "invalid_utf8", 0);
        printf("%zu", r.invalid_utf8);
        mr_json_key(stdout, "text", 0);
        mr_json_str(stdout, r.text, r.text_len);
        fputs("}\n", stdout);
    } else {
        field("id", r.id);
        field("source_id", r.source_id);
        field("title", r.title);
        field("outlet", r.outlet);
        field("url", r.url);
        if (r.published)
            printf("%-10s %s (%s)\n", "published", r.published,
                   origin(r.published_origin));
        field("lang", r.lang);
        if (r.file && r.line)
            printf("%-10s %s:%lu\n", "file", r.file, r.line);
        else
            field("file", r.file);
        field("added", added);
        putchar('\n');
        fwrite(r.text, 1, r.text_len, stdout);
        if (r.text_len && r.text[r.text_len - 1] != '\n')
            putchar('\n');
    }
    mr_report_clear(&r);
    return fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
}
