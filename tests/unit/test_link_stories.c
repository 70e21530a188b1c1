/*
 * test_link_stories.c: story clustering against ../shared/gold: B-cubed
 * precision/recall/F1 over the 318 ANT articles of ant-stories-dev.jsonl
 * (texts read from the ANT JSON Lines files by id), the stories of the
 * seeds, determinism, two halves == at once, save/load.
 *
 * MARSAD_LINK_JOIN and MARSAD_LINK_WINDOW override the parameters (for
 * tuning by hand; the test's thresholds hold for the defaults).
 */
#include "testutil.h"

#include <json-c/json.h>
#include <math.h>

#include "ingest/ingest.h"
#include "link/link.h"
#include "link/link_internal.h"

typedef struct item {
    char *id;       /* the corpus id */
    char *story;    /* gold slug */
    char *published;
    mr_link_doc doc;
    int have;
} item;

static item *items;
static size_t nitems;
static mr_link_params P;

static int cmp_item_id(const void *a, const void *b)
{
    return strcmp(((const item *)a)->id, ((const item *)b)->id);
}

static item *find_item(const char *id)
{
    item key;
    key.id = (char *)(uintptr_t)id;
    return bsearch(&key, items, nitems, sizeof *items, cmp_item_id);
}

static int on_report(mr_report *r, void *ctx)
{
    (void)ctx;
    if (!r->source_id)
        return 0;
    item *it = find_item(r->source_id);
    if (!it || it->have)
        return 0;
    it->have = 1;
    it->published = r->published ? strdup(r->published) : NULL;
    assert_int_equal(mr_link_doc_build(&it->doc, r->text, r->text_len, r->title,
                                       r->title ? strlen(r->title) : 0, &P),
                     MARSAD_OK);
    return 0;
}

static int setup_ant(void **state)
{
    (void)state;
    mr_link_params_default(&P);
    const char *e = getenv("MARSAD_LINK_JOIN");
    if (e)
        P.join = atof(e);
    e = getenv("MARSAD_LINK_JOIN_UNDATED");
    if (e)
        P.join_undated = atof(e);
    e = getenv("MARSAD_LINK_WINDOW");
    if (e)
        P.window_days = atoi(e);
    const char *sh = tu_shared_dir();
    if (!sh)
        return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/gold/ant-stories-dev.jsonl", sh);
    size_t len;
    char *g = tu_read_file(path, &len);
    if (!g)
        return -1;
    size_t cap = 512;
    items = calloc(cap, sizeof *items);
    for (char *line = strtok(g, "\n"); line; line = strtok(NULL, "\n")) {
        json_object *o = json_tokener_parse(line), *jid, *jst;
        if (!o)
            continue;
        if (json_object_object_get_ex(o, "id", &jid) &&
            json_object_object_get_ex(o, "story", &jst) && nitems < cap) {
            items[nitems].id = strdup(json_object_get_string(jid));
            items[nitems].story = strdup(json_object_get_string(jst));
            nitems++;
        }
        json_object_put(o);
    }
    free(g);
    qsort(items, nitems, sizeof *items, cmp_item_id);
    static const char *files[] = {"Alarabia", "BBC", "CNN", "France24",
                                  "SkyNews"};
    for (size_t f = 0; f < 5; f++) {
        snprintf(path, sizeof path,
                 "%s/corpus/ant-multisource/jsonl/%s_2018-04.jsonl", sh,
                 files[f]);
        char *buf = tu_read_file(path, &len);
        if (!buf) {
            fprintf(stderr, "cannot read %s\n", path);
            return -1;
        }
        mr_ingest_buffer(buf, len, MR_FMT_JSONL, path, NULL, on_report, NULL,
                         NULL, NULL);
        free(buf);
    }
    return 0;
}

static int teardown_ant(void **state)
{
    (void)state;
    for (size_t i = 0; i < nitems; i++) {
        free(items[i].id);
        free(items[i].story);
        free(items[i].published);
        mr_link_doc_free(&items[i].doc);
    }
    free(items);
    return 0;
}

/* Clusters the items whose index i satisfies pick(i) (in the order given
 * by `order`, 1 = forwards, -1 = backwards), in one run. */
static void add_items(mr_cluster *c, int half, int order)
{
    for (size_t k = 0; k < nitems; k++) {
        size_t i = order > 0 ? k : nitems - 1 - k;
        if (!items[i].have)
            continue;
        if (half >= 0 && (int)((i * 7 + 3) % 2) != half)
            continue;
        assert_int_equal(mr_cluster_add(c, items[i].id, items[i].published,
                                        &items[i].doc, NULL, 0),
                         MARSAD_OK);
    }
}

static void b_cubed(const mr_cluster *c, double *prec, double *rec,
                    double *pf1)
{
    double sp = 0, sr = 0;
    size_t n = 0, tp = 0, psys = 0, pgold = 0;
    for (size_t i = 0; i < nitems; i++) {
        if (!items[i].have)
            continue;
        long si = mr_cluster_story_of(c, items[i].id);
        assert_true(si >= 0);
        size_t same_sys = 0, same_gold = 0, both = 0;
        for (size_t j = 0; j < nitems; j++) {
            if (!items[j].have)
                continue;
            int s = mr_cluster_story_of(c, items[j].id) == si;
            int g = strcmp(items[i].story, items[j].story) == 0;
            same_sys += (size_t)s;
            same_gold += (size_t)g;
            both += (size_t)(s && g);
            if (j > i) {
                tp += (size_t)(s && g);
                psys += (size_t)s;
                pgold += (size_t)g;
            }
        }
        sp += (double)both / (double)same_sys;
        sr += (double)both / (double)same_gold;
        n++;
    }
    *prec = sp / (double)n;
    *rec = sr / (double)n;
    double pp = psys ? (double)tp / (double)psys : 0,
           pr = pgold ? (double)tp / (double)pgold : 0;
    *pf1 = pp + pr > 0 ? 2 * pp * pr / (pp + pr) : 0;
}

static void ant_stories_b_cubed(void **state)
{
    (void)state;
    size_t have = 0;
    for (size_t i = 0; i < nitems; i++)
        have += (size_t)items[i].have;
    assert_int_equal(nitems, 318);
    assert_int_equal(have, 318);
    mr_cluster *c;
    assert_int_equal(mr_cluster_new(&c, &P), MARSAD_OK);
    add_items(c, -1, 1);
    assert_int_equal(mr_cluster_run(c), MARSAD_OK);
    double p, r, pf1;
    b_cubed(c, &p, &r, &pf1);
    double f1 = 2 * p * r / (p + r);
    fprintf(stderr,
            "# ANT 2018-04-07..09 (318 reports, 111 gold stories): %zu "
            "stories; B-cubed P %.3f R %.3f F1 %.3f; pairwise F1 %.3f "
            "(join %.2f, window %d)\n",
            mr_cluster_nstories(c), p, r, f1, pf1, P.join, P.window_days);
    assert_true(f1 >= 0.75);
    mr_cluster_free(c);
}

static void partition_equal(const mr_cluster *a, const mr_cluster *b)
{
    assert_int_equal(mr_cluster_nstories(a), mr_cluster_nstories(b));
    for (size_t s = 0; s < mr_cluster_nstories(a); s++) {
        mr_story_info x, y;
        assert_int_equal(mr_cluster_story(a, s, &x), MARSAD_OK);
        assert_int_equal(mr_cluster_story(b, s, &y), MARSAD_OK);
        assert_string_equal(x.id, y.id);
        assert_int_equal(x.nreports, y.nreports);
        /* reports are borrowed from each cluster's scratch: compare by
         * story_of */
        for (size_t k = 0; k < x.nreports; k++)
            assert_int_equal(mr_cluster_story_of(b, x.reports[k]), (long)s);
    }
}

/* A lean state (terms dropped once assigned, postings pruned) gives the
 * stories of a full one; it cannot be saved, and a report that would make
 * it replay is refused. */
static void lean_state_same_stories(void **state)
{
    (void)state;
    mr_cluster *full, *lean;
    assert_int_equal(mr_cluster_new(&full, &P), MARSAD_OK);
    add_items(full, -1, 1);
    assert_int_equal(mr_cluster_run(full), MARSAD_OK);
    assert_int_equal(mr_cluster_new(&lean, &P), MARSAD_OK);
    mr_cluster_lean(lean);
    add_items(lean, 1, 1); /* the later half first: runs in order */
    assert_int_equal(mr_cluster_run(lean), MARSAD_OK);
    mr_buf j = MR_BUF_INIT;
    assert_int_equal(mr_cluster_save(lean, &j), MARSAD_E_ARG);
    add_items(lean, 0, 1); /* sorts before: would replay */
    assert_int_equal(mr_cluster_run(lean), MARSAD_E_ARG);
    mr_cluster_free(lean);
    assert_int_equal(mr_cluster_new(&lean, &P), MARSAD_OK);
    mr_cluster_lean(lean);
    add_items(lean, -1, -1);
    assert_int_equal(mr_cluster_run(lean), MARSAD_OK);
    partition_equal(full, lean);
    mr_buf_free(&j);
    mr_cluster_free(lean);
    mr_cluster_free(full);
}

static void two_halves_equal_at_once_and_deterministic(void **state)
{
    (void)state;
    mr_cluster *once, *halves, *back;
    assert_int_equal(mr_cluster_new(&once, &P), MARSAD_OK);
    add_items(once, -1, 1);
    assert_int_equal(mr_cluster_run(once), MARSAD_OK);
    /* halves split across dates (by index, not by time) */
    assert_int_equal(mr_cluster_new(&halves, &P), MARSAD_OK);
    add_items(halves, 0, 1);
    assert_int_equal(mr_cluster_run(halves), MARSAD_OK);
    size_t mid = mr_cluster_nreports(halves);
    assert_true(mid > 100 && mid < 218);
    add_items(halves, 1, 1);
    add_items(halves, 0, 1); /* re-adding is a no-op */
    assert_int_equal(mr_cluster_run(halves), MARSAD_OK);
    assert_int_equal(mr_cluster_nreports(halves), 318);
    partition_equal(once, halves);
    /* another add order */
    assert_int_equal(mr_cluster_new(&back, &P), MARSAD_OK);
    add_items(back, -1, -1);
    assert_int_equal(mr_cluster_run(back), MARSAD_OK);
    partition_equal(once, back);
    /* save, load: the same stories; and the saved JSON is the same */
    mr_buf j1 = MR_BUF_INIT, j2 = MR_BUF_INIT;
    assert_int_equal(mr_cluster_save(once, &j1), MARSAD_OK);
    assert_int_equal(mr_cluster_save(halves, &j2), MARSAD_OK);
    assert_int_equal(j1.len, j2.len);
    assert_memory_equal(j1.p, j2.p, j1.len);
    mr_cluster *loaded;
    assert_int_equal(mr_cluster_load(&loaded, j1.p, j1.len, &P), MARSAD_OK);
    partition_equal(once, loaded);
    /* a damaged state is refused */
    mr_cluster *bad = NULL;
    assert_int_equal(mr_cluster_load(&bad, j1.p, j1.len / 2, &P), MARSAD_E_INPUT);
    assert_null(bad);
    mr_buf_free(&j1);
    mr_buf_free(&j2);
    mr_cluster_free(loaded);
    mr_cluster_free(once);
    mr_cluster_free(halves);
    mr_cluster_free(back);
}

/* --------------------------------------------------------------- seeds */

static int seed_report(mr_report *r, void *ctx)
{
    char **pub = ctx;
    free(*pub);
    *pub = r->published ? strdup(r->published) : NULL;
    return 0;
}

static void seeds_stories(void **state)
{
    (void)state;
    const char *sh = tu_shared_dir();
    assert_non_null(sh);
    static const char *names[] = {
        "000_5bd3842f4a76ea8a.txt", "001_6a18982ae2c37ec8.txt",
        "002_6b3e9877ce30b531.txt", "003_14e11948ae9a6427.txt",
        "004_600d09ea8cacd6d3.txt"};
    mr_cluster *c;
    assert_int_equal(mr_cluster_new(&c, &P), MARSAD_OK);
    for (size_t i = 0; i < 5; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/seeds/%s", sh, names[i]);
        size_t len = 0;
        char *t = tu_read_file(path, &len);
        assert_non_null(t);
        mr_link_doc d = {0};
        assert_int_equal(mr_link_doc_build(&d, t, len, NULL, 0, &P), MARSAD_OK);
        /* the published date ingest finds (a dateline), if any */
        char *pub = NULL;
        mr_ingest_buffer(t, len, MR_FMT_TXT, path, NULL, seed_report, NULL,
                         &pub, NULL);
        fprintf(stderr, "# seed %s published %s\n", names[i], pub ? pub : "?");
        assert_int_equal(mr_cluster_add(c, names[i], pub, &d, NULL, 0), MARSAD_OK);
        free(pub);
        mr_link_doc_free(&d);
        free(t);
    }
    assert_int_equal(mr_cluster_run(c), MARSAD_OK);
    long s[5];
    for (size_t i = 0; i < 5; i++)
        s[i] = mr_cluster_story_of(c, names[i]);
    fprintf(stderr, "# seeds stories: 000:%ld 001:%ld 002:%ld 003:%ld 004:%ld\n",
            s[0], s[1], s[2], s[3], s[4]);
    assert_int_equal(s[0], s[3]);
    assert_true(s[4] != s[0] && s[4] != s[1] && s[4] != s[2]);
    assert_true(s[1] != s[0] && s[2] != s[0]);
    assert_int_equal(mr_cluster_story_of(c, "nope"), -1);
    mr_cluster_free(c);
}

static void bad_arguments(void **state)
{
    (void)state;
    mr_cluster *c = NULL;
    assert_int_equal(mr_cluster_new(NULL, &P), MARSAD_E_ARG);
    assert_int_equal(mr_cluster_new(&c, NULL), MARSAD_OK);
    mr_link_doc d = {0};
    assert_int_equal(mr_cluster_add(c, "x", NULL, &d, NULL, 0), MARSAD_E_ARG);
    assert_int_equal(mr_cluster_add(NULL, "x", NULL, &d, NULL, 0), MARSAD_E_ARG);
    assert_int_equal(mr_cluster_run(NULL), MARSAD_E_ARG);
    /* entity names go in as terms (NULL names skipped); a report added
     * twice counts once; story info gives ids and first/last days */
    const char *t1 = "أعلنت الهيئة المستقلة للانتخابات نتائج الدور الأول مساء الأحد";
    const char *t2 = "نتائج الدور الأول أعلنتها الهيئة المستقلة للانتخابات";
    const char *t3 = "افتتح معرض الكتاب أبوابه للزوار في العاصمة";
    const char *ents[] = {"الهيئة المستقلة للانتخابات", NULL, "تونس"};
    mr_link_doc d1 = {0}, d2 = {0}, d3 = {0};
    assert_int_equal(mr_link_doc_build(&d1, t1, strlen(t1), NULL, 0, &P), MARSAD_OK);
    assert_int_equal(mr_link_doc_build(&d2, t2, strlen(t2), NULL, 0, &P), MARSAD_OK);
    assert_int_equal(mr_link_doc_build(&d3, t3, strlen(t3), NULL, 0, &P), MARSAD_OK);
    assert_int_equal(mr_cluster_add(c, "e1", "2020-01-01", &d1, ents, 3), MARSAD_OK);
    assert_int_equal(mr_cluster_add(c, "e2", "2020-01-02", &d2, ents, 3), MARSAD_OK);
    assert_int_equal(mr_cluster_add(c, "e3", "2020-01-02", &d3, NULL, 0), MARSAD_OK);
    assert_int_equal(mr_cluster_add(c, "e3", "2020-01-02", &d3, NULL, 0), MARSAD_OK);
    assert_int_equal(mr_cluster_run(c), MARSAD_OK);
    assert_int_equal(mr_cluster_nreports(c), 3);
    assert_int_equal(mr_cluster_story_of(c, "e1"), mr_cluster_story_of(c, "e2"));
    assert_true(mr_cluster_story_of(c, "e3") != mr_cluster_story_of(c, "e1"));
    mr_story_info info;
    assert_int_equal(mr_cluster_story(c, (size_t)mr_cluster_story_of(c, "e1"), &info), MARSAD_OK);
    assert_string_equal(info.id, "e1");
    assert_string_equal(info.first_seen, "2020-01-01");
    assert_string_equal(info.last_seen, "2020-01-02");
    assert_int_equal(info.nreports, 2);
    mr_link_doc_free(&d1);
    mr_link_doc_free(&d2);
    mr_link_doc_free(&d3);
    mr_story_info si;
    assert_int_equal(mr_cluster_story(c, 99, &si), MARSAD_E_ARG);
    assert_int_equal(mr_cluster_load(&c, NULL, 0, NULL), MARSAD_E_ARG);
    mr_cluster_free(c);
    mr_cluster_free(NULL);
    assert_int_equal(mr_cluster_load(&c, "{}", 2, NULL), MARSAD_E_INPUT);
    assert_null(c);
}

/* ------------------------------------------------------ bounded in time */

/* A word of letters only for index k (Latin, so it is a story term). */
static void word(char *out, unsigned k)
{
    out[0] = 'q';
    for (int i = 1; i <= 4; i++) {
        out[i] = (char)('a' + k % 26);
        k /= 26;
    }
    out[5] = ' ';
    out[6] = 0;
}

/* text = the topic words first..first+11, with a word of report `own`'s
 * after every third (so no two reports are near-duplicates). */
static void topic_text(char text[512], unsigned first, unsigned own)
{
    char w[8];
    text[0] = '\0';
    for (unsigned k = 0; k < 12; k++) {
        word(w, first + k);
        strcat(text, w);
        if (k % 3 == 2) {
            word(w, 5000 + own * 8 + k);
            strcat(text, w);
        }
    }
}

/* Stories of a topic that drifts a little every day for 20 days: report
 * d (day d) has the topic words d..d+11 and four words of its own between
 * them (so no two reports are near-duplicates). */
static size_t drifting_topic(const mr_link_params *p, long *span)
{
    mr_cluster *c;
    assert_int_equal(mr_cluster_new(&c, p), MARSAD_OK);
    char ids[20][16];
    for (unsigned d = 0; d < 20; d++) {
        char text[512], day[16];
        topic_text(text, 1000 + d, d);
        mr_link_doc doc = {0};
        assert_int_equal(mr_link_doc_build(&doc, text, strlen(text), NULL, 0, p),
                         MARSAD_OK);
        snprintf(day, sizeof day, "2018-04-%02u", d + 1);
        snprintf(ids[d], sizeof ids[d], "r%02u", d);
        assert_int_equal(mr_cluster_add(c, ids[d], day, &doc, NULL, 0), MARSAD_OK);
        mr_link_doc_free(&doc);
    }
    assert_int_equal(mr_cluster_run(c), MARSAD_OK);
    size_t n = mr_cluster_nstories(c);
    *span = 0;
    for (size_t s = 0; s < n; s++) {
        mr_story_info si;
        assert_int_equal(mr_cluster_story(c, s, &si), MARSAD_OK);
        long a = atol(si.first_seen + 8), b = atol(si.last_seen + 8);
        if (b - a > *span)
            *span = b - a;
    }
    mr_cluster_free(c);
    return n;
}

static void stories_are_bounded_in_time(void **state)
{
    (void)state;
    mr_link_params q = P;
    long span;
    /* without the age rule the topic chains into one 20-day story */
    q.age_step = 0;
    size_t n0 = drifting_topic(&q, &span);
    fprintf(stderr, "# drifting topic, age_step 0: %zu stories, longest %ld days\n",
            n0, span);
    assert_int_equal(n0, 1);
    assert_int_equal(span, 19);
    /* with it, an old story needs more evidence: the topic is cut into
     * stories of about a week */
    size_t n1 = drifting_topic(&P, &span);
    fprintf(stderr, "# drifting topic, age_step %.2f: %zu stories, longest %ld days\n",
            P.age_step, n1, span);
    assert_true(n1 >= 2);
    assert_true(span < 12);
}

/* Runs *c, then saves and loads it back into *c when reload. */
static void run_reload(mr_cluster **c, const mr_link_params *p, int reload)
{
    assert_int_equal(mr_cluster_run(*c), MARSAD_OK);
    if (reload) {
        mr_buf j = MR_BUF_INIT;
        assert_int_equal(mr_cluster_save(*c, &j), MARSAD_OK);
        mr_cluster_free(*c);
        assert_int_equal(mr_cluster_load(c, j.p, j.len, p), MARSAD_OK);
        mr_buf_free(&j);
    }
}

/* Runs c and frees it: the number of its stories, after a save and load
 * when reload. */
static size_t stories_run(mr_cluster *c, const mr_link_params *p, int reload)
{
    run_reload(&c, p, reload);
    size_t n = mr_cluster_nstories(c);
    mr_cluster_free(c);
    return n;
}

/* The doc of report d of a topic's three (topic_text from word 1000),
 * with a title or none. */
static void topic_doc(mr_link_doc *doc, unsigned d, const char *title,
                      const mr_link_params *p)
{
    char text[512];
    topic_text(text, 1000, d);
    memset(doc, 0, sizeof *doc);
    assert_int_equal(mr_link_doc_build(doc, text, strlen(text), title,
                                       title ? strlen(title) : 0, p),
                     MARSAD_OK);
}

/* Three reports of one day with the same words: two lead with دوما, the
 * third with حمص (names: its lead place, and دوما elsewhere in the text
 * when named_too). Returns the number of stories, after a save and load
 * when reload. */
static size_t two_places_titled(const mr_link_params *p, int named_too,
                                const char *third_title, int reload);
static size_t two_places(const mr_link_params *p, int named_too, int reload)
{
    return two_places_titled(p, named_too, NULL, reload);
}

/* The third report's lead place is set to be a country or region
 * (mr_cluster_set_wide) when this is set. */
static int third_wide;

/* The same, the third report with a title (its lead), or none. */
static size_t two_places_titled(const mr_link_params *p, int named_too,
                                const char *third_title, int reload)
{
    mr_cluster *c;
    assert_int_equal(mr_cluster_new(&c, p), MARSAD_OK);
    static const char *const lead[3] = {"دوما", "دوما", "حمص"};
    for (unsigned d = 0; d < 3; d++) {
        char id[8];
        mr_link_doc doc;
        topic_doc(&doc, d, d == 2 ? third_title : NULL, p);
        const char *names[2] = {lead[d], "دوما"};
        snprintf(id, sizeof id, "p%u", d);
        assert_int_equal(mr_cluster_add_lead(c, id, "2018-04-08", &doc, names,
                                             d == 2 && named_too ? 2 : 1, names, 1),
                         MARSAD_OK);
        if (d == 2 && third_wide)
            assert_int_equal(mr_cluster_set_wide(c, id, names, 1), MARSAD_OK);
        mr_link_doc_free(&doc);
    }
    return stories_run(c, p, reload);
}

static void lead_places_set_events_apart(void **state)
{
    (void)state;
    mr_link_params q = P;
    q.place_rare = 1.0; /* every place is specific here */
    q.place_apart = 0;
    assert_int_equal(two_places(&q, 0, 0), 1); /* the words alone join */
    q.place_apart = 2.0;                       /* no cosine is that high */
    assert_int_equal(two_places(&q, 0, 0), 2);
    assert_int_equal(two_places(&q, 0, 1), 2); /* the places are saved */
    /* a report that names the story's place, though not in its lead, is
     * not apart */
    assert_int_equal(two_places(&q, 1, 0), 1);
    /* a reaction's lead names where it was said, not where the event
     * was: it is not apart */
    assert_int_equal(two_places_titled(&q, 0, "حمص تدين", 0), 1);
    assert_int_equal(two_places_titled(&q, 0, "حمص: أخبار", 0), 2);
    /* a country or region is no place of an event (a town is), however
     * rare: not apart, after a save and load too */
    third_wide = 1;
    assert_int_equal(two_places(&q, 0, 0), 1);
    assert_int_equal(two_places(&q, 0, 1), 1);
    third_wide = 0;
    mr_cluster *c;
    const char *one = "حمص";
    assert_int_equal(mr_cluster_new(&c, &q), MARSAD_OK);
    assert_int_equal(mr_cluster_set_wide(c, "nobody", &one, 1), MARSAD_E_ARG);
    assert_int_equal(mr_cluster_set_wide(NULL, "nobody", &one, 1), MARSAD_E_ARG);
    mr_cluster_free(c);
}

/* Three reports with the same words whose main places are الباغوز,
 * الباغوز and the third's (NULL: none set), all undated unless dated.
 * Returns the number of stories, after a save and load when reload. */
static size_t main_places(const mr_link_params *p, const char *third,
                          int dated, int reload)
{
    mr_cluster *c;
    assert_int_equal(mr_cluster_new(&c, p), MARSAD_OK);
    const char *place[3] = {"الباغوز", "الباغوز", third};
    for (unsigned d = 0; d < 3; d++) {
        char id[8];
        mr_link_doc doc;
        topic_doc(&doc, d, NULL, p);
        snprintf(id, sizeof id, "u%u", d);
        assert_int_equal(mr_cluster_add(c, id, dated ? "2019-02-19" : NULL, &doc,
                                        NULL, 0),
                         MARSAD_OK);
        assert_int_equal(mr_cluster_set_places(c, id, &place[d], place[d] ? 1 : 0),
                         MARSAD_OK);
        mr_link_doc_free(&doc);
    }
    return stories_run(c, p, reload);
}

static void undated_reports_join_by_main_places(void **state)
{
    (void)state;
    mr_link_params q = P;
    q.join_undated = 1.5; /* no cosine is that high ... */
    q.undated_place = 0;
    q.undated_apart = 0;
    assert_int_equal(main_places(&q, "الباغوز", 0, 0), 3);
    q.undated_place = 1.5; /* ... unless a main place is shared */
    assert_int_equal(main_places(&q, "الرباط", 0, 0), 2);
    assert_int_equal(main_places(&q, "الرباط", 0, 1), 2); /* saved */
    assert_int_equal(main_places(&q, "الباغوز", 0, 0), 1);
    assert_int_equal(main_places(&q, NULL, 0, 0), 2); /* none: no help */
    /* other main places hold an undated report apart */
    q = P;
    q.join_undated = 0;
    q.undated_apart = 2.0;
    assert_int_equal(main_places(&q, "الرباط", 0, 0), 2);
    assert_int_equal(main_places(&q, NULL, 0, 0), 1);
    q.undated_apart = 0;
    assert_int_equal(main_places(&q, "الرباط", 0, 0), 1);
    /* with dates the time window decides, not the main places */
    q = P;
    q.join = 0;
    q.undated_apart = 2.0;
    assert_int_equal(main_places(&q, "الرباط", 1, 0), 1);
    /* an unknown report is refused */
    mr_cluster *c;
    assert_int_equal(mr_cluster_new(&c, &q), MARSAD_OK);
    const char *one = "الرباط";
    assert_int_equal(mr_cluster_set_places(c, "nobody", &one, 1), MARSAD_E_ARG);
    assert_int_equal(mr_cluster_set_places(NULL, "nobody", &one, 1), MARSAD_E_ARG);
    mr_cluster_free(c);
}

/* Three reports of one day with the same words, whose titles tell a
 * kind of event: two a gas attack, the third title[2]. Returns the number
 * of stories, after a save and load when reload. */
static size_t two_kinds(const mr_link_params *p, const char *third, int reload)
{
    mr_cluster *c;
    assert_int_equal(mr_cluster_new(&c, p), MARSAD_OK);
    const char *title[3] = {"هجوم بالغاز السام", "ضحايا الهجوم الكيماوي", third};
    for (unsigned d = 0; d < 3; d++) {
        char id[8];
        mr_link_doc doc;
        topic_doc(&doc, d, title[d], p);
        snprintf(id, sizeof id, "k%u", d);
        assert_int_equal(mr_cluster_add(c, id, "2018-04-08", &doc, NULL, 0),
                         MARSAD_OK);
        mr_link_doc_free(&doc);
    }
    return stories_run(c, p, reload);
}

static void lead_event_kinds_set_events_apart(void **state)
{
    (void)state;
    mr_link_params q = P;
    q.event_apart = 0;
    assert_int_equal(two_kinds(&q, "غارات على مطار", 0), 1); /* words join */
    q.event_apart = 2.0; /* no cosine is that high */
    assert_int_equal(two_kinds(&q, "غارات على مطار", 0), 2);
    assert_int_equal(two_kinds(&q, "غارات على مطار", 1), 2); /* saved */
    /* the same kind of event, told in other words, joins */
    assert_int_equal(two_kinds(&q, "بالأسلحة الكيميائية", 0), 1);
    /* a lead that tells no kind, or a reaction to the strikes, is not
     * apart: a statement belongs to the incident it is about */
    assert_int_equal(two_kinds(&q, "أخبار المدينة", 0), 1);
    assert_int_equal(two_kinds(&q, "واشنطن تدين الغارات", 0), 1);
}

static void lead_event_kinds_shared_help_join(void **state)
{
    (void)state;
    mr_link_params q = P;
    q.join = 1.5; /* no cosine is that high ... */
    q.event_apart = 0;
    q.event_shared = 0;
    assert_int_equal(two_kinds(&q, "بالأسلحة الكيميائية", 0), 3);
    q.event_shared = 1.5; /* ... unless the story's event is the lead's */
    assert_int_equal(two_kinds(&q, "بالأسلحة الكيميائية", 0), 1);
    assert_int_equal(two_kinds(&q, "بالأسلحة الكيميائية", 1), 1); /* saved */
    assert_int_equal(two_kinds(&q, "غارات على مطار", 0), 2);
    assert_int_equal(two_kinds(&q, "أخبار المدينة", 0), 2);
    /* a reaction alone is no kind of incident */
    assert_int_equal(two_kinds(&q, "واشنطن تدين", 0), 2);
}

/* A march whose three reports lead with غزة (m0-m2), then two reactions
 * to it (r0, r1; lead place غزة, titled title) that share half of its
 * words and most of each other's, among 50 reports of other topics that
 * name no place (so غزة is a specific place). Returns 1 when r1 is in the
 * march's story, after a save and load when reload; *nstories: the
 * stories. */
static int reaction_of_march(const mr_link_params *p, const char *title,
                             int reload, size_t *nstories)
{
    mr_cluster *c;
    assert_int_equal(mr_cluster_new(&c, p), MARSAD_OK);
    const char *gaza[1] = {"غزة"};
    for (unsigned d = 0; d < 55; d++) {
        char id[8], text[512];
        unsigned filler = d < 50, reaction = d >= 53;
        if (filler)
            snprintf(id, sizeof id, "f%02u", d);
        else
            snprintf(id, sizeof id, "%c%u", reaction ? 'r' : 'm', reaction ? d - 53 : d - 50);
        topic_text(text, filler ? 2000 + 12 * d : reaction ? 1006 : 1000, 100 + d);
        mr_link_doc doc;
        memset(&doc, 0, sizeof doc);
        const char *t = reaction ? title : NULL;
        assert_int_equal(mr_link_doc_build(&doc, text, strlen(text), t,
                                           t ? strlen(t) : 0, p),
                         MARSAD_OK);
        assert_int_equal(mr_cluster_add_lead(c, id, "2018-04-08", &doc,
                                             filler ? NULL : gaza, filler ? 0 : 1,
                                             filler ? NULL : gaza, filler ? 0 : 1),
                         MARSAD_OK);
        mr_link_doc_free(&doc);
    }
    run_reload(&c, p, reload);
    *nstories = mr_cluster_nstories(c);
    int joined = mr_cluster_story_of(c, "r1") == mr_cluster_story_of(c, "m0");
    mr_cluster_free(c);
    return joined;
}

static void reaction_joins_the_incident_it_names(void **state)
{
    (void)state;
    mr_link_params q = P;
    size_t n0, n1;
    q.join = 0.6; /* the reactions' words alone join each other, not the march */
    q.reaction_join = 0;
    assert_int_equal(reaction_of_march(&q, "باريس تدين", 0, &n0), 0);
    /* the second reaction goes to the march it names, and the story the
     * first one started goes with it */
    q.reaction_join = 0.5;
    assert_int_equal(reaction_of_march(&q, "باريس تدين", 0, &n1), 1);
    assert_int_equal(n1 + 1, n0);
    assert_int_equal(reaction_of_march(&q, "باريس تدين", 1, &n1), 1); /* saved */
    assert_int_equal(n1 + 1, n0);
    /* not when the lead tells no reaction */
    assert_int_equal(reaction_of_march(&q, "أخبار المدينة", 0, &n1), 0);
    assert_int_equal(n1, n0);
}

/* One day's reports with the same text (near-duplicates: one story
 * whatever their leads tell): nmain lead with a gas attack
 * (ids a00, a01 ...), napart with other_title (z00, z01 ...). Returns the
 * number of stories (after a save and load when reload); *cut: whether
 * the z reports are a story of their own, holding them all and no other,
 * in order, with the first z's id. */
static size_t two_events(const mr_link_params *p, unsigned nmain,
                         unsigned napart, const char *other_title, int reload,
                         int *cut)
{
    mr_cluster *c;
    assert_int_equal(mr_cluster_new(&c, p), MARSAD_OK);
    for (unsigned d = 0; d < nmain + napart; d++) {
        char id[16];
        mr_link_doc doc;
        int z = d >= nmain;
        topic_doc(&doc, 0, z ? other_title
                             : d % 2 ? "هجوم بالغاز السام" : "ضحايا الهجوم الكيماوي",
                  p);
        snprintf(id, sizeof id, "%c%02u", z ? 'z' : 'a', z ? d - nmain : d);
        assert_int_equal(mr_cluster_add(c, id, "2018-04-08", &doc, NULL, 0),
                         MARSAD_OK);
        mr_link_doc_free(&doc);
    }
    run_reload(&c, p, reload);
    size_t n = mr_cluster_nstories(c);
    long sa = mr_cluster_story_of(c, "a00"), sz = mr_cluster_story_of(c, "z00");
    assert_true(sa >= 0 && sz >= 0 && (size_t)sa < n && (size_t)sz < n);
    *cut = sa != sz;
    mr_story_info info;
    for (size_t k = 0; k < n; k++) { /* in order of their first report */
        assert_int_equal(mr_cluster_story(c, k, &info), MARSAD_OK);
        assert_true(info.nreports > 0);
        assert_int_equal(mr_cluster_story_of(c, info.reports[0]), (long)k);
        assert_string_equal(info.id, info.reports[0]);
    }
    if (*cut) {
        assert_int_equal(mr_cluster_story(c, (size_t)sz, &info), MARSAD_OK);
        assert_int_equal(info.nreports, napart);
        for (unsigned i = 0; i < napart; i++) {
            char id[16];
            snprintf(id, sizeof id, "z%02u", i);
            assert_string_equal(info.reports[i], id);
        }
        assert_string_equal(info.first_seen, "2018-04-08");
        assert_string_equal(info.last_seen, "2018-04-08");
        assert_true(sa < sz); /* its first report comes later */
    }
    mr_cluster_free(c);
    return n;
}

/* A story of 16 gas-attack reports and 4 of strikes on an airbase
 * (near-duplicates, one story whatever their leads tell; the strikes lead
 * with حمص), and nb reports of other words telling strikes whose leads
 * name b_place: the strike reports go to the second story when more of
 * its reports lead with their place than they are (1), else they are a
 * story of their own (0). */
static int rehomed(const mr_link_params *p, const char *b_place, unsigned nb)
{
    mr_cluster *c;
    assert_int_equal(mr_cluster_new(&c, p), MARSAD_OK);
    const char *homs = "حمص", *douma = "دوما";
    for (unsigned d = 0; d < 20 + nb; d++) {
        char id[16], text[512];
        int z = d >= 16 && d < 20, b = d >= 20;
        const char *title = z || b ? "غارات على مطار" : "هجوم بالغاز السام";
        mr_link_doc doc = {0};
        topic_text(text, b ? 3000 : 1000, 0);
        assert_int_equal(mr_link_doc_build(&doc, text, strlen(text), title,
                                           strlen(title), p),
                         MARSAD_OK);
        snprintf(id, sizeof id, "%c%02u", b ? 'b' : z ? 'z' : 'a', d);
        const char *place = b ? b_place : z ? homs : douma;
        assert_int_equal(mr_cluster_add_lead(c, id, "2018-04-09", &doc, NULL, 0,
                                             &place, 1),
                         MARSAD_OK);
        mr_link_doc_free(&doc);
    }
    assert_int_equal(mr_cluster_run(c), MARSAD_OK);
    long sz = mr_cluster_story_of(c, "z16"), sb = mr_cluster_story_of(c, "b20");
    assert_true(sz >= 0 && sb >= 0);
    assert_int_not_equal(sz, mr_cluster_story_of(c, "a00"));
    mr_story_info info;
    assert_int_equal(mr_cluster_story(c, (size_t)sz, &info), MARSAD_OK);
    assert_int_equal(info.nreports, sz == sb ? 4 + nb : 4);
    /* in canonical order, the first one's id */
    assert_string_equal(info.id, sz == sb ? "b20" : "z16");
    assert_string_equal(info.reports[0], info.id);
    assert_string_equal(info.reports[info.nreports - 1], "z19");
    mr_cluster_free(c);
    return sz == sb;
}

static void a_story_of_two_events_is_cut(void **state)
{
    (void)state;
    mr_link_params q = P;
    int cut;
    q.event_apart = 0; /* the words join them all */
    /* a gas attack told by 16, a deal to evacuate the town by 4 */
    const char *deal = "اتفاق لإجلاء المقاتلين من المدينة";
    assert_int_equal(two_events(&q, 16, 4, deal, 0, &cut), 2);
    assert_true(cut);
    assert_int_equal(two_events(&q, 16, 4, deal, 1, &cut), 2); /* saved */
    assert_true(cut);
    /* too few apart, or too many to tell which is the story's event */
    assert_int_equal(two_events(&q, 16, 3, deal, 0, &cut), 1);
    assert_false(cut);
    assert_int_equal(two_events(&q, 12, 4, deal, 0, &cut), 1);
    assert_false(cut);
    /* a lead that tells no incident, or a reaction, stays */
    assert_int_equal(two_events(&q, 16, 4, "أخبار المدينة", 0, &cut), 1);
    assert_int_equal(two_events(&q, 16, 4, "واشنطن تدين اتفاق الإجلاء", 0, &cut), 1);
    /* never when split_min is 0 */
    q.split_min = 0;
    assert_int_equal(two_events(&q, 16, 4, deal, 0, &cut), 1);
    assert_false(cut);
    /* the cut reports go to a story that tells their event at their place */
    q = P;
    q.event_apart = 0;
    assert_int_equal(rehomed(&q, "حمص", 5), 1);
    assert_int_equal(rehomed(&q, "تدمر", 5), 0);
    assert_int_equal(rehomed(&q, "حمص", 4), 0); /* not more than they */
}

/* Two stories of two reports each (disjoint words: a0 a1 and b0 b1, their
 * titles title_a and title_b), then a report whose words are both's (x,
 * a day later): it can join either. Returns the number of stories;
 * *merged: the reports of x's story, in order, joined by spaces. */
static size_t bridged(const mr_link_params *p, const char *title_a,
                      const char *title_b, char merged[64])
{
    mr_cluster *c;
    assert_int_equal(mr_cluster_new(&c, p), MARSAD_OK);
    static const char *const ids[5] = {"a0", "b0", "a1", "b1", "x"};
    for (unsigned d = 0; d < 5; d++) {
        char text[1024], half[512];
        topic_text(text, d == 1 || d == 3 ? 1100 : 1000, d);
        if (d == 4) { /* the bridge: both topics */
            topic_text(half, 1100, d + 1);
            strcat(text, half);
        }
        const char *title = d == 1 || d == 3 ? title_b : title_a;
        mr_link_doc doc = {0};
        assert_int_equal(mr_link_doc_build(&doc, text, strlen(text), title,
                                           strlen(title), p),
                         MARSAD_OK);
        assert_int_equal(mr_cluster_add(c, ids[d], d < 4 ? "2018-04-08" : "2018-04-09",
                                         &doc, NULL, 0),
                         MARSAD_OK);
        mr_link_doc_free(&doc);
    }
    assert_int_equal(mr_cluster_run(c), MARSAD_OK);
    size_t n = mr_cluster_nstories(c);
    long sx = mr_cluster_story_of(c, "x");
    assert_true(sx >= 0 && (size_t)sx < n);
    mr_story_info info;
    assert_int_equal(mr_cluster_story(c, (size_t)sx, &info), MARSAD_OK);
    merged[0] = '\0';
    for (size_t i = 0; i < info.nreports; i++) {
        strcat(merged, i ? " " : "");
        strcat(merged, info.reports[i]);
    }
    for (size_t k = 0; k < n; k++) { /* no story is left empty */
        assert_int_equal(mr_cluster_story(c, k, &info), MARSAD_OK);
        assert_true(info.nreports > 0);
    }
    mr_cluster_free(c);
    return n;
}

static void stories_a_report_bridges_merge(void **state)
{
    (void)state;
    mr_link_params q = P;
    char m[64];
    q.story_merge = 0; /* never: x joins one of the two */
    assert_int_equal(bridged(&q, "قصف", "قصف", m), 2);
    q.story_merge = 0.01;
    assert_int_equal(bridged(&q, "قصف", "قصف", m), 1);
    /* one story, its reports in canonical order, the first one's id */
    assert_string_equal(m, "a0 a1 b0 b1 x");
    /* stories whose leads tell different kinds of event stay apart */
    q.event_apart = 0;
    assert_int_equal(bridged(&q, "قصف", "مباراة", m), 2);
    q.story_merge = 2.0; /* no cosine is that high */
    assert_int_equal(bridged(&q, "قصف", "قصف", m), 2);
}

/* The learned join decision follows its features: the compiled model
 * joins a report that shares its story's words, names, place and kind of
 * event, and keeps apart one that shares little, leads elsewhere and tells
 * another event; and a hand-made model put in its place decides the
 * clustering by its weights. */
static void join_model_follows_its_features(void **state)
{
    (void)state;
    mr_join_model m;
    mr_join_model_default(&m);
    double join[MR_JOIN_NFEAT] = {0}, apart[MR_JOIN_NFEAT] = {0};
    join[MR_JF_COS] = 0.6;
    join[MR_JF_COS_RARE] = 0.55;
    join[MR_JF_COS_ENT] = 0.7;
    join[MR_JF_MARGIN] = 0.4;
    join[MR_JF_SHARE] = 0.8;
    join[MR_JF_PLACE_SHARED] = 1;
    join[MR_JF_EVENT_AGREE] = 1;
    join[MR_JF_SIZE] = log(6.0);
    apart[MR_JF_COS] = 0.12;
    apart[MR_JF_COS_RARE] = 0.05;
    apart[MR_JF_MARGIN] = -0.1;
    apart[MR_JF_SHARE] = 0.1;
    apart[MR_JF_GAP] = 3;
    apart[MR_JF_AGE] = 4;
    apart[MR_JF_PLACE_APART] = 1;
    apart[MR_JF_EVENT_APART] = 1;
    apart[MR_JF_SIZE] = log(6.0);
    assert_true(mr_join_logit(&m, join) > 0);
    assert_true(mr_join_logit(&m, apart) < 0);
    for (unsigned k = 0; k < MR_JOIN_NFEAT; k++)
        assert_non_null(mr_join_feature_name(k));
    assert_null(mr_join_feature_name(MR_JOIN_NFEAT));

    /* a hand-made model over the cosine and the place: three reports of
     * one day with the same words, the third leading with another town */
    mr_link_params q = P;
    q.join_model = 1;
    q.place_rare = 1.0; /* every place is specific here */
    mr_join_model h;
    memset(&h, 0, sizeof h);
    h.w[MR_JF_COS] = 1;
    size_t n[3];
    for (int v = 0; v < 3; v++) {
        h.bias = v == 0 ? -2.0 : -0.05; /* no cosine reaches 2 */
        h.w[MR_JF_PLACE_APART] = v == 2 ? -5.0 : 0;
        mr_cluster *c;
        assert_int_equal(mr_cluster_new(&c, &q), MARSAD_OK);
        mr_cluster_set_model(c, &h);
        static const char *const lead[3] = {"دوما", "دوما", "حمص"};
        for (unsigned d = 0; d < 3; d++) {
            char text[512], id[8];
            topic_text(text, 1000, d);
            mr_link_doc doc = {0};
            assert_int_equal(mr_link_doc_build(&doc, text, strlen(text), NULL, 0, &q),
                             MARSAD_OK);
            snprintf(id, sizeof id, "m%u", d);
            assert_int_equal(mr_cluster_add_lead(c, id, "2018-04-08", &doc,
                                                 &lead[d], 1, &lead[d], 1),
                             MARSAD_OK);
            mr_link_doc_free(&doc);
        }
        assert_int_equal(mr_cluster_run(c), MARSAD_OK);
        n[v] = mr_cluster_nstories(c);
        mr_cluster_free(c);
    }
    assert_int_equal(n[0], 3); /* the bias forbids every join */
    assert_int_equal(n[1], 1); /* the shared words join */
    assert_int_equal(n[2], 2); /* ... unless the lead is elsewhere */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ant_stories_b_cubed),
        cmocka_unit_test(two_halves_equal_at_once_and_deterministic),
        cmocka_unit_test(lean_state_same_stories),
        cmocka_unit_test(seeds_stories),
        cmocka_unit_test(stories_are_bounded_in_time),
        cmocka_unit_test(lead_places_set_events_apart),
        cmocka_unit_test(lead_event_kinds_set_events_apart),
        cmocka_unit_test(lead_event_kinds_shared_help_join),
        cmocka_unit_test(reaction_joins_the_incident_it_names),
        cmocka_unit_test(undated_reports_join_by_main_places),
        cmocka_unit_test(stories_a_report_bridges_merge),
        cmocka_unit_test(a_story_of_two_events_is_cut),
        cmocka_unit_test(join_model_follows_its_features),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests(tests, setup_ant, teardown_ant);
}
