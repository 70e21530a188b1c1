/*
 * cmd_reuse.c: `marsad reuse [--db FILE] [--json] [ID]` and
 * `marsad reuse [--json] [--id ID] FILE...`: pairs of reports that share
 * text (near-duplicates and passages), with byte spans.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "ingest/ingest.h"
#include "corpus/corpus.h"

static const char help[] =
    "usage: marsad reuse [--db FILE] [--json] [ID]\n"
    "       marsad reuse [--json] [--id ID] FILE|DIR|-...\n"
    "Reads the reports of the store (--db FILE, else $MARSAD_DB, else\n"
    "marsad.db) or of the inputs given (any format `marsad` ingests), finds\n"
    "the pairs that share text and prints each pair with its passages.\n"
    "Pairs looked at: near-duplicates (MinHash over 3-stem shingles, banded\n"
    "LSH, exact Jaccard >= 0.5) and reports of one story (story clustering),\n"
    "each with the 8 of its story it shares most shingles with; never all\n"
    "pairs. A passage is a run of at least 6 equal normalised stems,\n"
    "with small edits (up to 5 tokens added, dropped or changed) inside.\n"
    "  --json    NDJSON, one pair per line:\n"
    "            {\"schema\",\"a\",\"b\",\"similarity\",\"near_duplicate\",\"first\",\n"
    "             \"passages\":[{\"a_start\",\"a_end\",\"b_start\",\"b_end\",\"text\"}]}\n"
    "            a and b are report ids; offsets are bytes into each report's\n"
    "            text; text is the passage as written in a; first is the id of\n"
    "            the report published first, null when unknown or same day.\n"
    "  --db FILE the store to read (then a lone argument is an ID)\n"
    "  --id ID   only pairs with report ID (its id or its input's own id);\n"
    "            ID alone does the same over the store\n"
    "Exit status: 0 ok, 1 some inputs were rejected, 2 usage, 3 failure.\n";

static int path_exists(const char *p)
{
    struct stat sb;
    return strcmp(p, "-") == 0 || stat(p, &sb) == 0;
}

static void put_text(const mr_report *r, size_t a, size_t b, size_t max)
{
    size_t n = b - a;
    int cut = 0;
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)r->text[a + n] & 0xC0) == 0x80)
            n--; /* stay on a code point boundary */
        cut = 1;
    }
    for (size_t i = 0; i < n; i++) {
        char c = r->text[a + i];
        putchar(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    if (cut)
        fputs("…", stdout);
}

/* Every stored report into *R; 0 (said on stderr) when that failed. */
static int load_stored(const char *db, mr_reports *R)
{
    mr_store *st = NULL;
    marsad_error err;
    mr_store_opts sopts = {0};
    sopts.must_exist = 1;
    if (mr_store_open(mr_store_default_path(db), &sopts, &st, &err) !=
        MARSAD_OK) {
        cli_error("reuse", "%s: %s", err.input, err.message);
        return 0;
    }
    marsad_status rc = mr_reports_load(st, R);
    mr_store_close(st);
    if (rc != MARSAD_OK) {
        cli_error("reuse", "reading the store: %s", marsad_strerror(rc));
        mr_reports_free(R);
        return 0;
    }
    return 1;
}

static void reject(const marsad_error *err, void *ctx)
{
    *(int *)ctx = 1;
    if (err->line)
        fprintf(stderr, "marsad reuse: %s:%lu: %s\n", err->input, err->line,
                err->message);
    else
        fprintf(stderr, "marsad reuse: %s: %s\n", err->input, err->message);
}

static const char *name_of(const mr_report *r)
{
    return r->source_id ? r->source_id : r->id;
}

static void print_pair(const mr_report *a, const mr_report *b,
                       const mr_reuse *pair, int json)
{
    if (json) {
        mr_corpus_reuse_json(stdout, a, b, pair);
        putchar('\n');
        return;
    }
    int dir = mr_link_direction(a->published, b->published);
    printf("%s %s  similarity %.3f%s  %zu passage%s%s%s\n", name_of(a),
           name_of(b), pair->similarity,
           pair->near_dup ? " (near-duplicate)" : "", pair->npassages,
           pair->npassages == 1 ? "" : "s", dir ? "  first: " : "",
           dir < 0 ? name_of(a) : dir > 0 ? name_of(b) : "");
    for (size_t q = 0; q < pair->npassages; q++) {
        const mr_passage *ps = &pair->passages[q];
        printf("  [%u,%u) [%u,%u)  ", ps->a_start, ps->a_end, ps->b_start,
               ps->b_end);
        put_text(a, ps->a_start, ps->a_end, 160);
        putchar('\n');
    }
}

int cmd_reuse(int argc, char **argv)
{
    int json = 0;
    const char *only = NULL, *db = NULL;
    if (cli_wants_help(argc, argv)) {
        fputs(help, stdout);
        return CLI_OK;
    }
    const char **paths = calloc((size_t)argc, sizeof *paths);
    size_t npaths = 0;
    if (!paths) {
        cli_error("reuse", "out of memory");
        return CLI_FAIL;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--id") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--") == 0) {
            while (++i < argc)
                paths[npaths++] = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            cli_error("reuse", "unknown option '%s'", argv[i]);
            cli_usage("reuse", help);
            free(paths);
            return CLI_USAGE;
        } else
            paths[npaths++] = argv[i];
    }
    /* the store, unless inputs are given; a lone argument that is no file
     * is an ID when a store is there */
    int from_store = db != NULL || npaths == 0;
    if (!from_store && npaths == 1 && !only && !path_exists(paths[0]) &&
        path_exists(mr_store_default_path(NULL)))
        from_store = 1;
    if (from_store && npaths > 1) {
        cli_error("reuse", "one ID at a time with the store");
        cli_usage("reuse", help);
        free(paths);
        return CLI_USAGE;
    }
    mr_reports R = {0};
    int partial = 0;
    marsad_status rc;
    if (from_store) {
        if (npaths == 1)
            only = paths[0];
        free(paths);
        if (!load_stored(db, &R))
            return CLI_FAIL;
    } else {
        rc = mr_reports_read(paths, npaths, reject, &partial, &R);
        free(paths);
        if (rc != MARSAD_OK) {
            cli_error("reuse", "%s", marsad_strerror(rc));
            mr_reports_free(&R);
            return CLI_FAIL;
        }
    }
    mr_reuse *pairs = NULL;
    size_t npairs = 0;
    rc = mr_corpus_reuse(R.v, R.n, &pairs, &npairs);
    if (rc != MARSAD_OK) {
        cli_error("reuse", "%s", marsad_strerror(rc));
    } else {
        int found = only == NULL;
        for (size_t i = 0; i < R.n && !found; i++)
            found = mr_corpus_reuse_has(&R.v[i], only);
        if (!found) {
            cli_error("reuse", "no report with id '%s'", only);
            partial = 1;
        }
        for (size_t k = 0; k < npairs; k++) {
            const mr_report *a = &R.v[pairs[k].a], *b = &R.v[pairs[k].b];
            if (only && !mr_corpus_reuse_has(a, only) &&
                !mr_corpus_reuse_has(b, only))
                continue;
            print_pair(a, b, &pairs[k], json);
        }
    }
    mr_reuse_free(pairs, npairs);
    mr_reports_free(&R);
    if (rc != MARSAD_OK)
        return CLI_FAIL;
    return partial ? CLI_PARTIAL : CLI_OK;
}
