/*
 * test_api.c: the main job through the public API (include/marsad.h) on
 * real SQLite files: the stories of the seeds and the examples are those of
 * the golden files (written by the binary before the job moved to
 * src/corpus/) and those `marsad stories --json` prints; reports from
 * memory, facts of one text, one story, reuse, and every bad argument;
 * and, through the corpus layer under it, that a run over a store
 * analysed before streams its older reports.
 */
#include <unistd.h>

#include "testutil.h"

#include "corpus/corpus.h"
#include "marsad.h"

static char tmpdir[512];

static const char *tmp_path(const char *name)
{
    static char buf[4][1024];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("MARSAD_TMP");
    snprintf(tmpdir, sizeof tmpdir, "%s/test_api.XXXXXX",
             base ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

/* Every story's JSON, one line each, largest first. */
typedef struct lines {
    char *p;
    size_t n;
    FILE *f;
} lines;

static int add_line(const marsad_story *s, void *ctx)
{
    lines *l = ctx;
    assert_non_null(s->id);
    assert_true(s->reports >= 1);
    assert_true(s->conflicts <= s->claims);
    fwrite(s->json, 1, s->json_len, l->f);
    fputc('\n', l->f);
    return 0;
}

static char *stories_of(marsad_store *st)
{
    lines l = {0};
    l.f = open_memstream(&l.p, &l.n);
    assert_non_null(l.f);
    marsad_error err;
    assert_int_equal(marsad_stories(st, 0, add_line, &l, &err), MARSAD_OK);
    fclose(l.f);
    return l.p;
}

/* What the CLI prints for the store at path. */
static char *cli_out(const char *args, const char *db)
{
    const char *bin = getenv("MARSAD_BIN");
    if (!bin)
        bin = "build/marsad";
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s --db '%s'", bin, args, db);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, p)) > 0)
        fwrite(chunk, 1, got, m);
    fclose(m);
    assert_int_equal(pclose(p), 0);
    return buf;
}

/* The stories of st, as `marsad stories --json` gives them, are the
 * golden file's. */
static void assert_stories_golden(marsad_store *st, const char *golden)
{
    char *got = stories_of(st);
    size_t glen = 0;
    char *want = tu_read_file(golden, &glen);
    assert_non_null(want);
    assert_string_equal(got, want);
    free(want);
    free(got);
}

static void analyse_and_compare(const char *input, const char *golden,
                                const char *dbname)
{
    const char *db = tmp_path(dbname);
    marsad_store *st = NULL;
    marsad_error err;
    assert_int_equal(marsad_store_open(db, &st, &err), MARSAD_OK);
    const char *paths[] = {input};
    marsad_analyze_summary sum;
    assert_int_equal(marsad_analyze(st, paths, 1, NULL, &sum, &err),
                     MARSAD_OK);
    assert_true(sum.reports > 0);
    assert_int_equal(sum.extracted, sum.reports);
    assert_int_equal(sum.ingest.added, sum.reports);
    assert_true(sum.stories > 0 && sum.stories <= sum.reports);
    char *got = stories_of(st);
    marsad_store_close(st);
    size_t glen = 0;
    char *want = tu_read_file(golden, &glen);
    assert_non_null(want);
    assert_string_equal(got, want);
    char *cli = cli_out("stories --json", db);
    assert_string_equal(got, cli);
    free(cli);
    free(want);
    free(got);
}

static void test_examples_as_before(void **state)
{
    (void)state;
    analyse_and_compare("examples", "tests/golden/stories/examples.ndjson",
                        "ex.db");
}

static void test_seeds_as_before(void **state)
{
    (void)state;
    const char *shared = tu_shared_dir();
    assert_non_null(shared);
    char seeds[1024];
    snprintf(seeds, sizeof seeds, "%s/seeds", shared);
    analyse_and_compare(seeds, "tests/golden/stories/seeds.ndjson",
                        "seeds.db");
}

/* Reports from memory, then analyse what is stored, then once more:
 * nothing is extracted again and every story stands. */
static void test_memory_reports(void **state)
{
    (void)state;
    static const char a[] =
        "أعلنت وزارة الصحة مقتل 12 شخصا وإصابة 30 آخرين في انفجار بمدينة "
        "الموصل يوم الاثنين، بحسب ما قال متحدث باسم الوزارة.";
    static const char b[] =
        "قال مسؤول محلي إن 15 شخصا قتلوا وأصيب 30 آخرون في انفجار بمدينة "
        "الموصل يوم الاثنين، في حين أعلنت وزارة الصحة مقتل 12 شخصا.";
    marsad_report_in in[2] = {
        {"a-1", "انفجار في الموصل", "وكالة أ", "https://a.example/1",
         "2021-03-01", a, sizeof a - 1},
        {"b-1", "قتلى في انفجار الموصل", "وكالة ب", "https://b.example/1",
         "2021-03-01", b, sizeof b - 1},
    };
    marsad_store *st = NULL;
    marsad_error err;
    assert_int_equal(marsad_store_open(tmp_path("mem.db"), &st, &err),
                     MARSAD_OK);
    marsad_ingest_summary is;
    assert_int_equal(marsad_store_put(st, in, 2, &is, &err), MARSAD_OK);
    assert_int_equal(is.added, 2);
    assert_int_equal(marsad_store_put(st, in, 2, &is, &err), MARSAD_OK);
    assert_int_equal(is.added, 0);
    assert_int_equal(is.already_stored, 2);
    marsad_analyze_summary sum;
    assert_int_equal(marsad_analyze(st, NULL, 0, NULL, &sum, &err),
                     MARSAD_OK);
    assert_int_equal(sum.reports, 2);
    assert_int_equal(sum.extracted, 2);
    assert_true(sum.stories >= 1);
    char *first = stories_of(st);
    assert_int_equal(marsad_analyze(st, NULL, 0, NULL, &sum, &err),
                     MARSAD_OK);
    assert_int_equal(sum.extracted, 0);
    assert_int_equal(sum.stories_kept, sum.stories);
    char *second = stories_of(st);
    assert_string_equal(first, second);
    /* one story by a report's own id */
    char *js = NULL;
    assert_int_equal(marsad_story_json(st, "a-1", &js, &err), MARSAD_OK);
    assert_non_null(strstr(js, "\"schema\":\"marsad/2\""));
    marsad_free(js);
    assert_int_equal(marsad_story_json(st, "no-such-id", &js, &err),
                     MARSAD_E_NOTFOUND);
    assert_null(js);
    assert_non_null(strstr(err.message, "no-such-id"));
    free(first);
    free(second);
    marsad_store_close(st);
}

static void test_facts(void **state)
{
    (void)state;
    static const char t[] = "قتل 5 أشخاص في قصف على القرية أمس.";
    char *js = NULL;
    size_t n = 0;
    marsad_error err;
    marsad_facts_opts o = {"2020-05-02", NULL, 0};
    assert_int_equal(marsad_facts_json(t, sizeof t - 1, &o, &js, &n, &err),
                     MARSAD_OK);
    assert_int_equal(strlen(js), n);
    assert_non_null(strstr(js, "\"figures\":["));
    assert_true(js[n - 1] == '}');
    marsad_free(js);
    marsad_facts *f = NULL;
    assert_int_equal(marsad_facts_extract(t, sizeof t - 1, &o, &f, &err),
                     MARSAD_OK);
    assert_true(marsad_facts_figure_count(f) >= 1);
    marsad_figure g;
    assert_int_equal(marsad_facts_figure(f, 0, &g), MARSAD_OK);
    assert_true(g.min == 5.0 && g.max == 5.0);
    assert_memory_equal(t + g.start, "5", 1);
    assert_int_equal(marsad_facts_figure(f, 99, &g), MARSAD_E_ARG);
    marsad_facts_free(f);
}

static int count_pair(const char *json, size_t len, void *ctx)
{
    assert_int_equal(strlen(json), len);
    assert_non_null(strstr(json, "\"passages\":["));
    (*(size_t *)ctx)++;
    return 0;
}

/* The pairs marsad_reuse gives are the lines `marsad reuse --json` prints. */
static void test_reuse(void **state)
{
    (void)state;
    const char *db = tmp_path("ex.db"); /* analysed above */
    marsad_store *st = NULL;
    marsad_error err;
    assert_int_equal(marsad_store_open(db, &st, &err), MARSAD_OK);
    size_t n = 0;
    assert_int_equal(marsad_reuse(st, NULL, count_pair, &n, &err),
                     MARSAD_OK);
    assert_true(n > 0);
    char *cli = cli_out("reuse --json", db);
    size_t lines_n = 0;
    for (char *p = cli; *p; p++)
        lines_n += *p == '\n';
    assert_int_equal(n, lines_n);
    free(cli);
    assert_int_equal(marsad_reuse(st, "nothing-like-this", count_pair, &n,
                                  &err),
                     MARSAD_E_NOTFOUND);
    marsad_store_close(st);
}

/* A shard's copies (one article under two source ids, a wire text
 * printed whole by another outlet) come along when it is imported: the
 * merged store's story names them and finds itself by them. */
static void test_import_copies(void **state)
{
    (void)state;
    const char *in = tmp_path("copies.jsonl");
    FILE *f = fopen(in, "w");
    assert_non_null(f);
    static const char *const rec[] = {
        "{\"id\":\"FR-a-1\",\"outlet\":\"france24\",\"url\":\"http://f24.example/a\"",
        "{\"id\":\"FR-b-2\",\"outlet\":\"france24\",\"url\":\"http://f24.example/a\"",
        "{\"id\":\"BB-3\",\"outlet\":\"BBC\",\"url\":\"http://bbc.example/b\""};
    for (size_t i = 0; i < 3; i++)
        fprintf(f, "%s,\"published\":\"2018-04-07\",\"title\":\"غارات\","
                   "\"text\":\"قتلت الغارات 14 مدنيا في بلدة الرقة يوم الجمعة "
                   "بحسب مصادر طبية.\"}\n",
                rec[i]);
    fclose(f);
    marsad_error err;
    marsad_store *sh = NULL;
    assert_int_equal(marsad_store_open(tmp_path("cshard.db"), &sh, &err),
                     MARSAD_OK);
    marsad_analyze_opts fo = {0};
    fo.facts_only = 1;
    marsad_analyze_summary sum;
    const char *paths[] = {in};
    assert_int_equal(marsad_analyze(sh, paths, 1, &fo, &sum, &err),
                     MARSAD_OK);
    assert_int_equal(sum.reports, 1);
    marsad_store_close(sh);
    marsad_store *st = NULL;
    assert_int_equal(marsad_store_open(tmp_path("cmerged.db"), &st, &err),
                     MARSAD_OK);
    marsad_ingest_summary is;
    assert_int_equal(marsad_store_import(st, tmp_path("cshard.db"), &is, &err),
                     MARSAD_OK);
    assert_int_equal(is.added, 1);
    assert_int_equal(is.duplicates, 2);
    assert_int_equal(marsad_analyze(st, NULL, 0, NULL, &sum, &err),
                     MARSAD_OK);
    for (size_t i = 0; i < 3; i++) {
        const char *name = i == 0 ? "FR-a-1" : i == 1 ? "FR-b-2" : "BB-3";
        char *js = NULL;
        assert_int_equal(marsad_story_json(st, name, &js, &err), MARSAD_OK);
        assert_non_null(js);
        size_t n = 0;
        for (const char *p = js; (p = strstr(p, "\"copy_of\"")); p++)
            n++;
        assert_int_equal(n, 2); /* the value, once per copy */
        marsad_free(js);
    }
    marsad_store_close(st);
}

/* The per-report work of two machines, merged: two shard stores get half
 * of the examples each (facts only), one store imports both, and its
 * analyse extracts nothing and gives the stories of one store fed with
 * everything (test_examples_as_before's golden file). */
static void test_import_shards(void **state)
{
    (void)state;
    static const char *const half[2][5] = {
        {"examples/01_wire_floods_sous.txt",
         "examples/03_souspress_floods_update.txt",
         "examples/05_wire_cairo_collapse.txt",
         "examples/07_mahrousa_cairo_collapse.html",
         "examples/09_atlas_floods_toll.txt"},
        {"examples/02_atlas_floods_sous.txt",
         "examples/04_nile_floods_morocco.txt",
         "examples/06_midan_cairo_collapse.txt",
         "examples/08_boat_sfax.jsonl", NULL},
    };
    marsad_error err;
    marsad_analyze_opts fo = {0};
    fo.facts_only = 1;
    fo.batch = 2;
    size_t total = 0;
    for (int k = 0; k < 2; k++) {
        marsad_store *sh = NULL;
        assert_int_equal(
            marsad_store_open(tmp_path(k ? "shard1.db" : "shard0.db"), &sh,
                              &err),
            MARSAD_OK);
        marsad_analyze_summary sum;
        assert_int_equal(marsad_analyze(sh, (const char *const *)half[k],
                                        k ? 4 : 5, &fo, &sum, &err),
                         MARSAD_OK);
        assert_int_equal(sum.extracted, sum.reports);
        assert_int_equal(sum.stories, 0);
        total += sum.reports;
        marsad_store_close(sh);
    }
    marsad_store *st = NULL;
    assert_int_equal(marsad_store_open(tmp_path("merged.db"), &st, &err),
                     MARSAD_OK);
    marsad_ingest_summary is;
    assert_int_equal(marsad_store_import(st, tmp_path("shard0.db"), &is, &err),
                     MARSAD_OK);
    size_t added = is.added;
    assert_int_equal(marsad_store_import(st, tmp_path("shard1.db"), &is, &err),
                     MARSAD_OK);
    added += is.added;
    assert_int_equal(added, total);
    /* again: nothing new */
    assert_int_equal(marsad_store_import(st, tmp_path("shard1.db"), &is, &err),
                     MARSAD_OK);
    assert_int_equal(is.added, 0);
    assert_int_equal(marsad_store_import(st, tmp_path("no-such.db"), &is,
                                         &err),
                     MARSAD_E_NOTFOUND);
    assert_int_equal(marsad_store_import(NULL, "x", &is, &err), MARSAD_E_ARG);
    assert_int_equal(marsad_store_import(st, NULL, &is, &err), MARSAD_E_ARG);
    marsad_analyze_summary sum;
    assert_int_equal(marsad_analyze(st, NULL, 0, NULL, &sum, &err),
                     MARSAD_OK);
    assert_int_equal(sum.reports, total);
    assert_int_equal(sum.extracted, 0);
    assert_stories_golden(st, "tests/golden/stories/examples.ndjson");
    marsad_store_close(st);
}

/* A second run over a store analysed before holds a batch or two of its
 * reports at once, not every older report (issue 15: they were held
 * whole until the stored entity names reached them after the facts
 * stage), and gives the stories of one fresh run over everything
 * (test_examples_as_before's golden file). */
static void test_incremental_streams(void **state)
{
    (void)state;
    static const char *const first[] = {
        "examples/01_wire_floods_sous.txt",
        "examples/02_atlas_floods_sous.txt",
        "examples/03_souspress_floods_update.txt",
        "examples/05_wire_cairo_collapse.txt",
        "examples/06_midan_cairo_collapse.txt",
        "examples/08_boat_sfax.jsonl"};
    static const char *const later[] = {
        "examples/04_nile_floods_morocco.txt",
        "examples/07_mahrousa_cairo_collapse.html",
        "examples/09_atlas_floods_toll.txt"};
    marsad_error err;
    marsad_store *st = NULL;
    assert_int_equal(marsad_store_open(tmp_path("incremental.db"), &st, &err),
                     MARSAD_OK);
    marsad_analyze_opts o = {0};
    o.batch = 1;
    marsad_analyze_summary sum;
    assert_int_equal(marsad_analyze(st, first, 6, &o, &sum, &err), MARSAD_OK);
    size_t old = sum.reports;
    marsad_ingest_summary is;
    assert_int_equal(marsad_store_ingest(st, later, 3, &is, &err), MARSAD_OK);
    assert_true(is.added >= 3);
    sr_corpus c;
    sr_run_opts ro = {0};
    ro.batch = 1;
    assert_int_equal(sr_corpus_build(&c, st, 1, &ro, &err), MARSAD_OK);
    assert_true(c.incremental);
    assert_int_equal(c.n, old + is.added);
    assert_int_equal(c.nnew, is.added);
    /* the batch being extracted and the next one read: two reports of
     * the more than six (old) analysed before */
    assert_true(old > 6);
    assert_true(c.held_max >= 1 && c.held_max <= 2);
    sr_corpus_free(&c);
    assert_stories_golden(st, "tests/golden/stories/examples.ndjson");
    marsad_store_close(st);
}

static int never(const marsad_story *s, void *ctx)
{
    (void)s;
    (void)ctx;
    return 1;
}

static void test_bad_arguments(void **state)
{
    (void)state;
    marsad_error err;
    marsad_store *st = NULL;
    char *js = (char *)"x";
    marsad_facts *f = NULL;
    marsad_figure g;
    assert_int_equal(marsad_analyze(NULL, NULL, 0, NULL, NULL, &err),
                     MARSAD_E_ARG);
    assert_int_equal(marsad_store_open(tmp_path("args.db"), &st, &err),
                     MARSAD_OK);
    assert_int_equal(marsad_analyze(st, NULL, 2, NULL, NULL, &err),
                     MARSAD_E_ARG);
    const char *nullpath[] = {NULL};
    assert_int_equal(marsad_analyze(st, nullpath, 1, NULL, NULL, &err),
                     MARSAD_E_ARG);
    marsad_report_in bad = {0};
    assert_int_equal(marsad_store_put(st, &bad, 1, NULL, &err),
                     MARSAD_E_ARG);
    assert_non_null(strstr(err.message, "report 0"));
    assert_int_equal(marsad_store_put(NULL, &bad, 1, NULL, &err),
                     MARSAD_E_ARG);
    assert_int_equal(marsad_facts_json(NULL, 0, NULL, &js, NULL, &err),
                     MARSAD_E_ARG);
    assert_null(js);
    assert_int_equal(marsad_facts_json("x", 1, NULL, NULL, NULL, &err),
                     MARSAD_E_ARG);
    assert_int_equal(marsad_facts_extract(NULL, 0, NULL, &f, &err),
                     MARSAD_E_ARG);
    assert_null(f);
    assert_int_equal(marsad_facts_figure(NULL, 0, &g), MARSAD_E_ARG);
    assert_int_equal(marsad_facts_figure_count(NULL), 0);
    assert_int_equal(marsad_stories(NULL, 0, never, NULL, &err),
                     MARSAD_E_ARG);
    assert_int_equal(marsad_stories(st, 0, NULL, NULL, &err), MARSAD_E_ARG);
    /* an empty store has no stories: not an error */
    assert_int_equal(marsad_stories(st, 0, never, NULL, &err), MARSAD_OK);
    assert_int_equal(marsad_story_json(st, NULL, &js, &err), MARSAD_E_ARG);
    assert_int_equal(marsad_story_json(NULL, "x", &js, &err), MARSAD_E_ARG);
    assert_int_equal(marsad_reuse(NULL, NULL, count_pair, NULL, &err),
                     MARSAD_E_ARG);
    assert_int_equal(marsad_reuse(st, NULL, NULL, NULL, &err), MARSAD_E_ARG);
    size_t off = 9, n = 9;
    assert_int_equal(marsad_stem(NULL, 3, &off, &n), MARSAD_E_ARG);
    assert_true(off == 0 && n == 0);
    assert_int_equal(marsad_stem("x", 1, NULL, &n), MARSAD_E_ARG);
    assert_int_equal(marsad_stem("", 0, &off, &n), MARSAD_OK);
    assert_int_equal(marsad_tokenizer_reset(NULL, "x", 1), MARSAD_E_ARG);
    marsad_tokenizer *tk = NULL;
    assert_int_equal(marsad_tokenizer_new(&tk, 0), MARSAD_OK);
    assert_int_equal(marsad_tokenizer_reset(tk, NULL, 4), MARSAD_E_ARG);
    marsad_token tok;
    assert_int_equal(marsad_tokenizer_next(tk, &tok), 0);
    assert_int_equal(marsad_tokenizer_reset(tk, "كلمة", 8), MARSAD_OK);
    assert_int_equal(marsad_tokenizer_next(tk, &tok), 1);
    marsad_tokenizer_free(tk);
    assert_string_equal(marsad_stage_name(MARSAD_STAGE_FACTS), "facts");
    assert_string_equal(marsad_stage_name((marsad_stage)99), "?");
    marsad_free(NULL);
    marsad_facts_free(NULL);
    marsad_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_as_before),
        cmocka_unit_test(test_seeds_as_before),
        cmocka_unit_test(test_memory_reports),
        cmocka_unit_test(test_facts),
        cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_import_shards),
        cmocka_unit_test(test_import_copies),
        cmocka_unit_test(test_incremental_streams),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
