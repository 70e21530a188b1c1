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
#include "link/link.h"
#include "out/json.h"
#include "store/store.h"

static const char help[] =
    "usage: marsad reuse [--db FILE] [--json] [ID]\n"
    "       marsad reuse [--json] [--id ID] FILE|DIR|-...\n"
    "Reads the reports of the store (--db FILE, else $MARSAD_DB, else\n"
    "marsad.db) or of the inputs given (any format `marsad` ingests), finds\n"
    "the pairs that share text and prints each pair with its passages.\n"
    "Pairs looked at: near-duplicates (MinHash over 3-stem shingles, banded\n"
    "LSH, exact Jaccard >= 0.5) and reports of one story (story clustering);\n"
    "never all pairs. A passage is a run of at least 6 equal normalised stems,\n"
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

typedef struct rep {
    char *id, *source_id, *published, *text, *title;
    size_t len;
} rep;

typedef struct reps {
    rep *v;
    size_t n, cap;
    int oom;
} reps;

static void reps_free(reps *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].id);
        free(r->v[i].source_id);
        free(r->v[i].published);
        free(r->v[i].text);
        free(r->v[i].title);
    }
    free(r->v);
}

static int take_stored(int64_t row, const mr_report *r, void *ctx)
{
    (void)row;
    reps *R = ctx;
    if (R->n == R->cap) {
        size_t nc = R->cap ? R->cap * 2 : 256;
        rep *nv = realloc(R->v, nc * sizeof *nv);
        if (!nv)
            return 1;
        R->v = nv;
        R->cap = nc;
    }
    rep *x = &R->v[R->n];
    x->id = strdup(r->id ? r->id : "");
    x->source_id = r->source_id ? strdup(r->source_id) : NULL;
    x->published = r->published ? strdup(r->published) : NULL;
    x->title = r->title ? strdup(r->title) : NULL;
    x->text = malloc(r->text_len + 1);
    x->len = r->text_len;
    if (x->text) {
        memcpy(x->text, r->text, r->text_len);
        x->text[r->text_len] = 0;
    }
    R->n++;
    if (!x->id || !x->text || (r->source_id && !x->source_id) ||
        (r->published && !x->published) || (r->title && !x->title)) {
        R->oom = 1;
        return 1;
    }
    return 0;
}

static int path_exists(const char *p)
{
    struct stat sb;
    return strcmp(p, "-") == 0 || stat(p, &sb) == 0;
}

static void put_text(const rep *r, size_t a, size_t b, size_t max)
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
    reps R = {0};
    int partial = 0, fail = 0;
    marsad_status rc;
    if (from_store) {
        if (npaths == 1)
            only = paths[0];
        free(paths);
        mr_store *st = NULL;
        marsad_error serr;
        mr_store_opts sopts = {0};
        sopts.must_exist = 1;
        if (mr_store_open(mr_store_default_path(db), &sopts, &st, &serr) != MARSAD_OK) {
            cli_error("reuse", "%s: %s", serr.input, serr.message);
            return CLI_FAIL;
        }
        rc = mr_store_reports_each(st, 0, take_stored, &R);
        mr_store_close(st);
        if (rc == MARSAD_OK && R.oom)
            rc = MARSAD_E_NOMEM;
        if (rc != MARSAD_OK) {
            cli_error("reuse", "reading the store: %s", marsad_strerror(rc));
            reps_free(&R);
            return CLI_FAIL;
        }
        goto link;
    }
    mr_ingest *it = NULL;
    if (mr_ingest_open(paths, npaths, NULL, &it) != MARSAD_OK) {
        free(paths);
        cli_error("reuse", "out of memory");
        return CLI_FAIL;
    }
    free(paths);
    mr_report r = {0};
    marsad_error err;
    while ((rc = mr_ingest_next(it, &r, &err)) != MR_INGEST_DONE) {
        if (rc == MARSAD_E_NOMEM) {
            fail = 1;
            break;
        }
        if (rc != MARSAD_OK) {
            if (err.line)
                fprintf(stderr, "marsad reuse: %s:%lu: %s\n", err.input,
                        err.line, err.message);
            else
                fprintf(stderr, "marsad reuse: %s: %s\n", err.input, err.message);
            partial = 1;
            continue;
        }
        if (R.n == R.cap) {
            size_t nc = R.cap ? R.cap * 2 : 256;
            rep *nv = realloc(R.v, nc * sizeof *nv);
            if (!nv) {
                mr_report_clear(&r);
                fail = 1;
                break;
            }
            R.v = nv;
            R.cap = nc;
        }
        /* take the strings over from the report */
        R.v[R.n] = (rep){r.id, r.source_id, r.published, r.text, r.title,
                         r.text_len};
        r.id = r.source_id = r.published = r.text = r.title = NULL;
        R.n++;
        mr_report_clear(&r);
    }
    mr_ingest_close(it);
    if (fail) {
        cli_error("reuse", "out of memory");
        reps_free(&R);
        return CLI_FAIL;
    }

link:;
    mr_link_params p;
    mr_link_params_default(&p);
    mr_link_doc *docs = calloc(R.n ? R.n : 1, sizeof *docs);
    const char **ids = calloc(R.n ? R.n : 1, sizeof *ids);
    mr_cluster *c = NULL;
    rc = docs && ids ? mr_cluster_new(&c, &p) : MARSAD_E_NOMEM;
    for (size_t i = 0; rc == MARSAD_OK && i < R.n; i++) {
        const rep *x = &R.v[i];
        ids[i] = x->id;
        rc = mr_link_doc_build(&docs[i], x->text, x->len, x->title,
                               x->title ? strlen(x->title) : 0, &p);
        if (rc == MARSAD_OK)
            rc = mr_cluster_add(c, x->id, x->published, &docs[i], NULL, 0);
    }
    if (rc == MARSAD_OK)
        rc = mr_cluster_run(c);
    mr_reuse *pairs = NULL;
    size_t npairs = 0;
    if (rc == MARSAD_OK)
        rc = mr_link_reuse(docs, R.n, c, ids, &p, &pairs, &npairs);
    if (rc != MARSAD_OK) {
        cli_error("reuse", "%s", marsad_strerror(rc));
    } else {
        int found = only == NULL;
        for (size_t i = 0; i < R.n && !found; i++)
            found = strcmp(R.v[i].id, only) == 0 ||
                    (R.v[i].source_id && strcmp(R.v[i].source_id, only) == 0);
        if (!found) {
            cli_error("reuse", "no report with id '%s'", only);
            partial = 1;
        }
        for (size_t k = 0; k < npairs; k++) {
            const rep *a = &R.v[pairs[k].a], *b = &R.v[pairs[k].b];
            if (only && strcmp(a->id, only) != 0 && strcmp(b->id, only) != 0 &&
                !(a->source_id && strcmp(a->source_id, only) == 0) &&
                !(b->source_id && strcmp(b->source_id, only) == 0))
                continue;
            int dir = mr_link_direction(a->published, b->published);
            const char *first = dir < 0 ? a->id : dir > 0 ? b->id : NULL;
            if (json) {
                printf("{\"schema\":\"%s\",\"a\":", MARSAD_SCHEMA);
                mr_json_cstr(stdout, a->id);
                fputs(",\"b\":", stdout);
                mr_json_cstr(stdout, b->id);
                printf(",\"similarity\":%.4f,\"near_duplicate\":%s,\"first\":",
                       pairs[k].similarity,
                       pairs[k].near_dup ? "true" : "false");
                mr_json_cstr(stdout, first);
                fputs(",\"passages\":[", stdout);
                for (size_t q = 0; q < pairs[k].npassages; q++) {
                    const mr_passage *ps = &pairs[k].passages[q];
                    printf("%s{\"a_start\":%u,\"a_end\":%u,\"b_start\":%u,"
                           "\"b_end\":%u,\"text\":",
                           q ? "," : "", ps->a_start, ps->a_end, ps->b_start,
                           ps->b_end);
                    mr_json_str(stdout, a->text + ps->a_start,
                                ps->a_end - ps->a_start);
                    fputc('}', stdout);
                }
                fputs("]}\n", stdout);
            } else {
                printf("%s %s  similarity %.3f%s  %zu passage%s%s%s\n",
                       a->source_id ? a->source_id : a->id,
                       b->source_id ? b->source_id : b->id,
                       pairs[k].similarity,
                       pairs[k].near_dup ? " (near-duplicate)" : "",
                       pairs[k].npassages, pairs[k].npassages == 1 ? "" : "s",
                       first ? "  first: " : "",
                       first ? (dir < 0 ? (a->source_id ? a->source_id : a->id)
                                        : (b->source_id ? b->source_id : b->id))
                             : "");
                for (size_t q = 0; q < pairs[k].npassages; q++) {
                    const mr_passage *ps = &pairs[k].passages[q];
                    printf("  [%u,%u) [%u,%u)  ", ps->a_start, ps->a_end,
                           ps->b_start, ps->b_end);
                    put_text(a, ps->a_start, ps->a_end, 160);
                    putchar('\n');
                }
            }
        }
    }
    mr_reuse_free(pairs, npairs);
    mr_cluster_free(c);
    for (size_t i = 0; docs && i < R.n; i++)
        mr_link_doc_free(&docs[i]);
    free(docs);
    free(ids);
    reps_free(&R);
    if (rc != MARSAD_OK)
        return CLI_FAIL;
    return partial ? CLI_PARTIAL : CLI_OK;
}
