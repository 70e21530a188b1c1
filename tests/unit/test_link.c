/*
 * test_link.c: near-duplicates, shared passages (seeds 000/003 against the
 * gold byte ranges of ../shared/gold/seeds-pairs.md, reordered and excerpted
 * passages in our own texts), determinism.
 */
#include "testutil.h"

#include "link/link.h"

/* ------------------------------------------------------------ own texts */

/* Four sentences of a made-up wire dispatch (written for this test). */
static const char *S1 = "أعلنت السلطات المحلية في مدينة الساحل الشمالي صباح "
                        "الأحد عن إغلاق الميناء التجاري أمام السفن القادمة "
                        "بسبب عاصفة بحرية قوية ضربت السواحل منذ ليلة أمس.";
static const char *S2 = "وقال رئيس هيئة الموانئ في تصريح للصحفيين إن فرق "
                        "الإنقاذ انتشلت ثلاثة بحارة من قارب صيد انقلب قرب "
                        "الرصيف الغربي وإن حالتهم مستقرة.";
static const char *S3 = "وتوقعت مصلحة الأرصاد الجوية أن تستمر الرياح "
                        "الشديدة حتى مساء الثلاثاء مع أمواج يزيد ارتفاعها "
                        "على أربعة أمتار في عرض البحر.";
static const char *S4 = "ودعت وزارة الداخلية المواطنين إلى تجنب الشواطئ "
                        "والابتعاد عن الأودية وعدم السفر إلا للضرورة القصوى "
                        "خلال الأيام المقبلة.";
/* Unrelated filler for a long article. */
static const char *F1 = "وفي سياق منفصل افتتح وزير التعليم معرضا للكتاب "
                        "يضم أكثر من مئتي دار نشر عربية وأجنبية ويستمر "
                        "أسبوعين في قاعة المعارض الكبرى وسط العاصمة.";
static const char *F2 = "وتناولت ندوة ثقافية على هامش المعرض مستقبل القراءة "
                        "لدى الشباب وأثر الشاشات على عادات المطالعة في "
                        "البيوت والمدارس والجامعات.";
static const char *F3 = "كما شهدت الأسواق ارتفاعا في أسعار الخضر والفواكه "
                        "قال التجار إنه يعود إلى تراجع الكميات الواردة من "
                        "المزارع البعيدة خلال الأسبوع الماضي.";

static char *join(const char *const *parts, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(parts[i]) + 1;
    char *s = malloc(len + 1);
    assert_non_null(s);
    s[0] = 0;
    for (size_t i = 0; i < n; i++) {
        strcat(s, parts[i]);
        strcat(s, i + 1 < n ? " " : "");
    }
    return s;
}

/* Does some passage cover most of needle's bytes in both texts? */
static int covered(const mr_passage *ps, size_t n, size_t a0, size_t a1,
                   size_t b0, size_t b1)
{
    for (size_t i = 0; i < n; i++) {
        size_t oa0 = ps[i].a_start > a0 ? ps[i].a_start : a0;
        size_t oa1 = ps[i].a_end < a1 ? ps[i].a_end : a1;
        size_t ob0 = ps[i].b_start > b0 ? ps[i].b_start : b0;
        size_t ob1 = ps[i].b_end < b1 ? ps[i].b_end : b1;
        if (oa1 > oa0 && ob1 > ob0 && (oa1 - oa0) * 10 >= (a1 - a0) * 9 &&
            (ob1 - ob0) * 10 >= (b1 - b0) * 9)
            return 1;
    }
    return 0;
}

static size_t find(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    assert_non_null(p);
    return (size_t)(p - hay);
}

static void passages_in_other_order_are_found(void **state)
{
    (void)state;
    mr_link_params p;
    mr_link_params_default(&p);
    const char *pa[] = {S1, S2, S3, S4};
    const char *pb[] = {F1, S3, F2, S1, S4, F3, S2};
    char *a = join(pa, 4), *b = join(pb, 7);
    mr_link_doc da = {0}, db = {0};
    assert_int_equal(mr_link_doc_build(&da, a, strlen(a), NULL, 0, &p), MARSAD_OK);
    assert_int_equal(mr_link_doc_build(&db, b, strlen(b), NULL, 0, &p), MARSAD_OK);
    mr_passage *ps;
    size_t n;
    assert_int_equal(mr_link_passages(&da, &db, &p, &ps, &n), MARSAD_OK);
    assert_int_equal(n, 4);
    const char *ss[] = {S1, S2, S3, S4};
    for (size_t i = 0; i < 4; i++) {
        size_t a0 = find(a, ss[i]), b0 = find(b, ss[i]);
        size_t l = strlen(ss[i]) - 1; /* the final full stop is no token */
        assert_true(covered(ps, n, a0, a0 + l, b0, b0 + l));
    }
    free(ps);
    mr_link_doc_free(&da);
    mr_link_doc_free(&db);
    free(a);
    free(b);
}

static void excerpt_in_long_article_with_edits_is_found(void **state)
{
    (void)state;
    mr_link_params p;
    mr_link_params_default(&p);
    /* b quotes S2 inside a long article with two words changed and one
     * added; a is the short dispatch */
    const char *edited =
        "وقال رئيس هيئة الموانئ البحرية في تصريح للصحافيين إن فرق "
        "الإنقاذ انتشلت ثلاثة بحارة من قارب صيد غرق قرب "
        "الرصيف الغربي وإن حالتهم مستقرة.";
    const char *pb[] = {F1, F2, F3, F1, F2, edited, F3, F2, F1};
    char *b = join(pb, 9);
    mr_link_doc da = {0}, db = {0};
    assert_int_equal(mr_link_doc_build(&da, S2, strlen(S2), NULL, 0, &p), MARSAD_OK);
    assert_int_equal(mr_link_doc_build(&db, b, strlen(b), NULL, 0, &p), MARSAD_OK);
    mr_passage *ps;
    size_t n;
    assert_int_equal(mr_link_passages(&da, &db, &p, &ps, &n), MARSAD_OK);
    assert_int_equal(n, 1);
    size_t b0 = find(b, edited);
    assert_int_equal(ps[0].a_start, 0);
    assert_int_equal(ps[0].b_start, b0);
    assert_int_equal(ps[0].a_end, strlen(S2) - 1);
    assert_int_equal(ps[0].b_end, b0 + strlen(edited) - 1);
    /* low Jaccard: no near-duplicate, yet the passage is there */
    assert_true(mr_link_jaccard(&da, &db) < p.near_dup);
    free(ps);
    /* unrelated texts share nothing */
    mr_link_doc dc = {0};
    assert_int_equal(mr_link_doc_build(&dc, F1, strlen(F1), NULL, 0, &p), MARSAD_OK);
    assert_int_equal(mr_link_passages(&da, &dc, &p, &ps, &n), MARSAD_OK);
    assert_int_equal(n, 0);
    mr_link_doc_free(&da);
    mr_link_doc_free(&db);
    mr_link_doc_free(&dc);
    free(b);
}

/* Edited copies are near-duplicates; different texts are not; found
 * through LSH among many docs. */
static void near_duplicates_of_edited_copies(void **state)
{
    (void)state;
    mr_link_params p;
    mr_link_params_default(&p);
    const char *orig[] = {S1, S2, S3, S4};
    const char *edit[] = {
        S1, "وقال رئيس هيئة الموانئ في تصريح صحفي إن فرق "
            "الإنقاذ انتشلت ثلاثة بحارة من قارب صيد انقلب قرب "
            "الرصيف الغربي وإن حالتهم مستقرة.",
        S3, S4, "(الصورة: أرشيف)"};
    const char *other[] = {F1, F2, F3};
    const char *other2[] = {F2, S3};
    char *t[4] = {join(orig, 4), join(other, 3), join(edit, 5), join(other2, 2)};
    mr_link_doc d[4];
    memset(d, 0, sizeof d);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(mr_link_doc_build(&d[i], t[i], strlen(t[i]), NULL, 0, &p),
                         MARSAD_OK);
    mr_link_pair *pairs;
    size_t np;
    assert_int_equal(mr_link_near_dups(d, 4, &p, &pairs, &np), MARSAD_OK);
    assert_int_equal(np, 1);
    assert_int_equal(pairs[0].a, 0);
    assert_int_equal(pairs[0].b, 2);
    assert_true(pairs[0].jaccard >= 0.5 && pairs[0].jaccard < 1.0);
    assert_true(mr_link_jaccard(&d[1], &d[3]) < 0.5);
    free(pairs);
    for (size_t i = 0; i < 4; i++) {
        mr_link_doc_free(&d[i]);
        free(t[i]);
    }
}

/* ---------------------------------------------------------- seeds 000/003 */

typedef struct gold_row {
    char id[8];
    size_t a0, a1, b0, b1;
} gold_row;

/* Reads the table rows of seeds-pairs.md that carry two byte ranges
 * "[s, e)": the verbatim ones (ids 1a..2b) and the parallel ones (P1..). */
static size_t read_gold(const char *md, gold_row *rows, size_t cap)
{
    size_t n = 0;
    const char *line = md;
    while (line && *line && n < cap) {
        const char *eol = strchr(line, '\n');
        size_t ll = eol ? (size_t)(eol - line) : strlen(line);
        char buf[2048];
        if (ll < sizeof buf && line[0] == '|') {
            memcpy(buf, line, ll);
            buf[ll] = 0;
            gold_row r;
            memset(&r, 0, sizeof r);
            if (sscanf(buf, "| %7s |", r.id) == 1) {
                size_t v[4], k = 0;
                const char *q = buf;
                while (k < 4 && (q = strchr(q, '[')) != NULL) {
                    unsigned long s, e;
                    if (sscanf(q, "[%lu, %lu)", &s, &e) == 2) {
                        v[k++] = s;
                        v[k++] = e;
                    }
                    q++;
                }
                if (k == 4) {
                    r.a0 = v[0];
                    r.a1 = v[1];
                    r.b0 = v[2];
                    r.b1 = v[3];
                    rows[n++] = r;
                }
            }
        }
        line = eol ? eol + 1 : NULL;
    }
    return n;
}

static char *read_seed(const char *dir, const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/seeds/%s", dir, name);
    char *s = tu_read_file(path, len);
    if (!s)
        fprintf(stderr, "cannot read %s\n", path);
    return s;
}

static void seeds_000_003_passages(void **state)
{
    (void)state;
    const char *sh = tu_shared_dir();
    assert_non_null(sh);
    size_t la, lb, lm;
    char *a = read_seed(sh, "000_5bd3842f4a76ea8a.txt", &la);
    char *b = read_seed(sh, "003_14e11948ae9a6427.txt", &lb);
    char path[4096];
    snprintf(path, sizeof path, "%s/gold/seeds-pairs.md", sh);
    char *md = tu_read_file(path, &lm);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(md);
    gold_row rows[32];
    size_t nr = read_gold(md, rows, 32);
    assert_int_equal(nr, 13); /* 5 verbatim + 8 parallel */

    mr_link_params p;
    mr_link_params_default(&p);
    mr_link_doc da = {0}, db = {0};
    assert_int_equal(mr_link_doc_build(&da, a, la, NULL, 0, &p), MARSAD_OK);
    assert_int_equal(mr_link_doc_build(&db, b, lb, NULL, 0, &p), MARSAD_OK);
    mr_passage *ps;
    size_t n;
    assert_int_equal(mr_link_passages(&da, &db, &p, &ps, &n), MARSAD_OK);
    size_t verbatim = 0, parallel = 0, par_hit = 0;
    for (size_t r = 0; r < nr; r++) {
        if (rows[r].id[0] == 'P') {
            parallel++;
            for (size_t i = 0; i < n; i++)
                if (ps[i].a_start < rows[r].a1 && ps[i].a_end > rows[r].a0 &&
                    ps[i].b_start < rows[r].b1 && ps[i].b_end > rows[r].b0) {
                    par_hit++;
                    break;
                }
            continue;
        }
        verbatim++;
        if (!covered(ps, n, rows[r].a0, rows[r].a1, rows[r].b0, rows[r].b1))
            fail_msg("verbatim passage %s not found", rows[r].id);
    }
    assert_int_equal(verbatim, 5);
    assert_int_equal(parallel, 8);
    fprintf(stderr, "# seeds 000/003: %zu passages, parallel P1-P8 overlapped: %zu/8\n",
            n, par_hit);
    assert_true(par_hit >= 6);
    /* both directions give the same passages, swapped */
    mr_passage *qs;
    size_t nq;
    assert_int_equal(mr_link_passages(&db, &da, &p, &qs, &nq), MARSAD_OK);
    assert_int_equal(nq, n);
    free(qs);
    free(ps);

    /* 000 and 004 share nothing but names: no passage */
    size_t le;
    char *e = read_seed(sh, "004_600d09ea8cacd6d3.txt", &le);
    assert_non_null(e);
    mr_link_doc de = {0};
    assert_int_equal(mr_link_doc_build(&de, e, le, NULL, 0, &p), MARSAD_OK);
    assert_int_equal(mr_link_passages(&da, &de, &p, &ps, &n), MARSAD_OK);
    assert_int_equal(n, 0);
    assert_true(mr_link_jaccard(&da, &db) < p.near_dup);
    mr_link_doc_free(&da);
    mr_link_doc_free(&db);
    mr_link_doc_free(&de);
    free(a);
    free(b);
    free(e);
    free(md);
}

/* The kinds of event a lead tells (names as in mr_link_event_name). */
static uint32_t kinds(const char *title, const char *text)
{
    mr_link_params p;
    mr_link_params_default(&p);
    mr_link_doc d = {0};
    assert_int_equal(mr_link_doc_build(&d, text, strlen(text), title,
                                       title ? strlen(title) : 0, &p),
                     MARSAD_OK);
    uint32_t k = d.lead_events;
    mr_link_doc_free(&d);
    return k;
}

static uint32_t kind(const char *name)
{
    for (unsigned b = 0; mr_link_event_name(b); b++)
        if (strcmp(mr_link_event_name(b), name) == 0)
            return (uint32_t)1 << b;
    fail_msg("no event kind %s", name);
    return 0;
}

static void lead_event_kinds(void **state)
{
    (void)state;
    /* the first sentence of the text; glued و/ب/ل and the article go */
    assert_int_equal(kinds(NULL, "شنت المقاتلات وبالغارات المتتالية هجوما "
                                 "على مواقع في الريف الشمالي للمدينة."),
                     kind("air_strike"));
    assert_int_equal(kinds(NULL, "خرج الآلاف في مسيرات حاشدة وسط العاصمة "
                                 "للمطالبة بإصلاحات واسعة."),
                     kind("protest"));
    /* the title counts; a kind told after the first sentence does not */
    assert_int_equal(kinds("عشرات المصابين بحالات اختناق",
                           "أفاد مسعفون بوصول عدد كبير من الحالات إلى "
                           "المستشفى الميداني. وفي سياق آخر تحطمت طائرة."),
                     kind("chemical"));
    assert_int_equal(kinds(NULL, "افتتح الوزير معرضا للكتاب في العاصمة صباح "
                                 "اليوم. وشهدت المدينة لاحقا تظاهرات."),
                     0);
    /* a departure under a deal is an evacuation */
    assert_int_equal(kinds("اتفاق يقضي بخروج المسلحين من المدينة", ""),
                     kind("evacuation"));
    assert_int_equal(kinds("انطلاق أول قافلة لمهجري المدينة", ""),
                     kind("evacuation"));
    /* a statement is a reaction, told apart from the incidents */
    uint32_t r = kinds("الخارجية تدين التفجير", "");
    assert_int_equal(r, kind("statement") | kind("bombing"));
    assert_true(mr_link_event_reactions() & kind("statement"));
    assert_false(mr_link_event_reactions() & kind("bombing"));
    /* matches recur as many events; a gas attack does not */
    assert_true(mr_link_event_recurring() & kind("sport"));
    assert_false(mr_link_event_recurring() & kind("chemical"));
    assert_false(mr_link_event_recurring() & mr_link_event_reactions());
    assert_null(mr_link_event_name(31));
}

/* ------------------------------------------------- story pairs, bounded */

/* Appends the made-up word of number k (Latin letters: a story term). */
static void add_word(char *text, unsigned k)
{
    char w[8] = "x";
    for (size_t i = 1; i < 5; i++, k /= 26)
        w[i] = (char)('a' + k % 26);
    w[5] = ' ';
    w[6] = '\0';
    strcat(text, w);
}

/* Shuffles v[0..n) (Fisher-Yates, xorshift32). */
static void shuffle(unsigned *v, unsigned n, uint32_t *rnd)
{
    for (unsigned k = n; k-- > 1;) {
        *rnd ^= *rnd << 13;
        *rnd ^= *rnd >> 17;
        *rnd ^= *rnd << 5;
        unsigned j = *rnd % (k + 1);
        unsigned t = v[k];
        v[k] = v[j];
        v[j] = t;
    }
}

/* 24 reports of one day under one title, all of the same 24 words: the
 * first 8 in one order (a passage all share), the others shuffled for
 * each report (so no two are near-duplicates); the last four keep 6 more
 * in order besides (a second passage, after 6 words of their own). 200
 * reports of other words around them keep their words rare. Whatever
 * story the clustering makes of them, mr_link_reuse aligns each report
 * with the 8 of its story it shares most with, not all its pairs. */
static void story_pairs_bounded_per_report(void **state)
{
    (void)state;
    enum { M = 24, FILL = 200, KEEP = 8 };
    mr_link_params p;
    mr_link_params_default(&p);
    static mr_link_doc docs[M + FILL];
    static char ids[M + FILL][8];
    const char *idp[M + FILL];
    mr_cluster *c;
    assert_int_equal(mr_cluster_new(&c, &p), MARSAD_OK);
    char title[64] = "";
    for (unsigned k = 0; k < 5; k++)
        add_word(title, 100 + k);
    uint32_t rnd = 12345;
    for (unsigned r = 0; r < M + FILL; r++) {
        unsigned w[24];
        for (unsigned k = 0; k < 24; k++)
            w[k] = r < M ? 100 + k : 1000 + r * 24 + k;
        /* shuffle w[8..24); the last four: words of their own in w[8..14),
         * w[14..20) in order, w[20..24) shuffled */
        if (r < M - 4) {
            shuffle(w + 8, 16, &rnd);
        } else if (r < M) {
            for (unsigned k = 8; k < 14; k++)
                w[k] = 700 + r * 8 + k; /* its own words */
            shuffle(w + 20, 4, &rnd);
        }
        char text[1024] = "";
        for (unsigned k = 0; k < 24; k++)
            add_word(text, w[k]);
        memset(&docs[r], 0, sizeof docs[r]);
        assert_int_equal(mr_link_doc_build(&docs[r], text, strlen(text),
                                           r < M ? title : NULL,
                                           r < M ? strlen(title) : 0, &p),
                         MARSAD_OK);
        snprintf(ids[r], sizeof ids[r], "%c%03u", r < M ? 'r' : 'f', r);
        idp[r] = ids[r];
        assert_int_equal(mr_cluster_add(c, ids[r], "2018-04-01", &docs[r],
                                        NULL, 0),
                         MARSAD_OK);
    }
    assert_int_equal(mr_cluster_run(c), MARSAD_OK);
    long story[M];
    size_t size[M] = {0}, big = 0;
    for (size_t r = 0; r < M; r++) {
        story[r] = mr_cluster_story_of(c, ids[r]);
        for (size_t q = 0; q < M; q++)
            size[r] += mr_cluster_story_of(c, ids[q]) == story[r];
        if (size[r] > big)
            big = size[r];
    }
    fprintf(stderr, "# %d reports of one topic: largest story %zu\n", M, big);
    /* the premise: a story where all pairs would exceed KEEP a report */
    assert_true(big > 2 * KEEP + 1);
    mr_reuse *ru;
    size_t n;
    assert_int_equal(mr_link_reuse(docs, M + FILL, c, idp, &p, &ru, &n),
                     MARSAD_OK);
    size_t per[M] = {0}, in_story[M] = {0}, last4 = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(ru[i].b < M); /* the fillers share nothing */
        assert_false(ru[i].near_dup);
        assert_true(ru[i].npassages >= 1);
        per[ru[i].a]++;
        per[ru[i].b]++;
        assert_int_equal(story[ru[i].a], story[ru[i].b]);
        in_story[ru[i].a]++;
        if (ru[i].a >= M - 4) {
            last4++; /* a pair of the last four: both runs shared */
            assert_int_equal(ru[i].npassages, 2);
        }
    }
    fprintf(stderr, "# %zu pairs aligned\n", n);
    for (size_t r = 0; r < M; r++) {
        /* each report keeps KEEP partners, or all of its story */
        assert_true(per[r] >= (size_t)(size[r] - 1 < KEEP ? size[r] - 1 : KEEP));
        /* a story of m reports gives at most KEEP * m pairs */
        size_t pairs = 0;
        for (size_t q = 0; q < M; q++)
            if (story[q] == story[r])
                pairs += in_story[q];
        assert_true(pairs <= KEEP * size[r]);
        if (size[r] == big)
            assert_true(pairs < big * (big - 1) / 2);
    }
    /* the last four, in one story, keep each other (they share most) */
    if (story[M - 1] == story[M - 2] && story[M - 1] == story[M - 3] &&
        story[M - 1] == story[M - 4])
        assert_int_equal(last4, 6);
    mr_reuse_free(ru, n);
    mr_cluster_free(c);
    for (size_t r = 0; r < M + FILL; r++)
        mr_link_doc_free(&docs[r]);
}

static void bad_arguments_and_empty_texts(void **state)
{
    (void)state;
    mr_link_params p;
    mr_link_params_default(&p);
    mr_link_doc d = {0}, e = {0};
    assert_int_equal(mr_link_doc_build(NULL, "x", 1, NULL, 0, &p), MARSAD_E_ARG);
    assert_int_equal(mr_link_doc_build(&d, NULL, 3, NULL, 0, &p), MARSAD_E_ARG);
    assert_int_equal(mr_link_doc_build(&d, "", 0, NULL, 0, &p), MARSAD_OK);
    assert_int_equal(mr_link_doc_build(&e, "\xff\xfe\x80", 3, NULL, 0, &p), MARSAD_OK);
    mr_passage *ps;
    size_t n;
    assert_int_equal(mr_link_passages(&d, &e, &p, &ps, &n), MARSAD_OK);
    assert_int_equal(n, 0);
    assert_true(mr_link_jaccard(&d, &e) == 0.0);
    mr_link_pair *pairs;
    assert_int_equal(mr_link_near_dups(NULL, 0, &p, &pairs, &n), MARSAD_OK);
    assert_int_equal(n, 0);
    free(pairs);
    mr_link_doc_free(&d);
    mr_link_doc_free(&e);
    mr_link_doc_free(NULL);
    assert_int_equal(mr_link_direction("2018-04-07", "2018-04-09T10:00"), -1);
    assert_int_equal(mr_link_direction("2018-04-09", "2018-04-09T10:00"), 0);
    assert_int_equal(mr_link_direction(NULL, "2018-04-09"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passages_in_other_order_are_found),
        cmocka_unit_test(excerpt_in_long_article_with_edits_is_found),
        cmocka_unit_test(near_duplicates_of_edited_copies),
        cmocka_unit_test(seeds_000_003_passages),
        cmocka_unit_test(lead_event_kinds),
        cmocka_unit_test(story_pairs_bounded_per_report),
        cmocka_unit_test(bad_arguments_and_empty_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
