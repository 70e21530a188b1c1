/*
 * test_ingest_xml.c: the HTML, feed (RSS 2.0, Atom) and TREC readers on
 * the fixtures in tests/golden/ingest/ (our own text), plus hostile inputs
 * built at test time: billion laughs, external entities, deep nesting,
 * broken markup; and the ANT XML sample against its JSON Lines twin.
 */
#include "testutil.h"

#include <dirent.h>

#include "ingest/ingest.h"

#define FIX "tests/golden/ingest/"

typedef struct got {
    mr_report r[16];
    size_t nr;
    marsad_error e[16];
    size_t ne;
} got;

static int keep(mr_report *r, void *ctx)
{
    got *g = ctx;
    if (g->nr < 16) {
        g->r[g->nr++] = *r;
        memset(r, 0, sizeof *r); /* taken: the caller's clear is a no-op */
    }
    return 0;
}

static void keep_err(const marsad_error *e, void *ctx)
{
    got *g = ctx;
    if (g->ne < 16)
        g->e[g->ne++] = *e;
}

static void got_free(got *g)
{
    for (size_t i = 0; i < g->nr; i++)
        mr_report_clear(&g->r[i]);
}

/* Reads a fixture through the iterator (so extension and sniffing count). */
static void run_file(const char *path, got *g)
{
    memset(g, 0, sizeof *g);
    mr_ingest *it;
    assert_int_equal(mr_ingest_open(&path, 1, NULL, &it), MARSAD_OK);
    mr_report r;
    marsad_error e;
    marsad_status rc;
    while ((rc = mr_ingest_next(it, &r, &e)) != MR_INGEST_DONE) {
        assert_int_not_equal(rc, MARSAD_E_NOMEM);
        if (rc == MARSAD_OK)
            keep(&r, g);
        else
            keep_err(&e, g);
    }
    mr_ingest_close(it);
}

static void run_buf(const char *s, mr_format fmt, got *g)
{
    memset(g, 0, sizeof *g);
    assert_int_equal(mr_ingest_buffer(s, strlen(s), fmt, "mem", NULL, keep,
                                      keep_err, g, NULL),
                     MARSAD_OK);
}

static void html_page_main_text_and_meta(void **state)
{
    (void)state;
    got g;
    run_file(FIX "page.html", &g);
    assert_int_equal(g.ne, 0);
    assert_int_equal(g.nr, 1);
    mr_report *r = &g.r[0];
    assert_string_equal(r->title, "سقوط أمطار غزيرة على المدينة");
    assert_string_equal(r->outlet, "موقع تجريبي");
    assert_string_equal(r->url, "https://example.org/news/123");
    assert_string_equal(r->published, "2021-11-03T08:15:00+02:00");
    assert_int_equal(r->published_origin, MR_PUB_METADATA);
    assert_string_equal(r->lang, "ar");
    /* paragraphs kept as lines, entities decoded */
    assert_non_null(strstr(r->text, "\nشهدت المدينة صباح اليوم أمطارا غزيرة "
                                    "أدت إلى إغلاق عدد من الطرق.\n"));
    assert_non_null(strstr(r->text, "فتح الطرق & تصريف المياه."));
    /* boilerplate gone */
    static const char *const gone[] = {"الرئيسية", "شارك",  "لا تظهر",
                                       "color",    "تعليق", "خبر ذو صلة",
                                       "اقرأ أيضا", "ابحث", "الأكثر قراءة",
                                       "الحقوق"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        assert_null(strstr(r->text, gone[i]));
    got_free(&g);
}

static void html_fallbacks(void **state)
{
    (void)state;
    got g;
    /* no og: title from h1; date from JSON-LD; text from <main> */
    run_buf("<html><head><title>عنوان النافذة</title>"
            "<script type=\"application/ld+json\">{\"@context\":\"https://"
            "schema.org\",\"@graph\":[{\"@type\":\"NewsArticle\","
            "\"datePublished\":\"2020-05-06T07:08:09Z\",\"publisher\":"
            "{\"name\":\"صحيفة المثال\"}}]}</script></head><body>"
            "<div class=\"menu\"><a href=\"/\">قائمة</a></div><main>"
            "<h1>العنوان الرئيسي</h1><p>نص الفقرة.</p></main></body></html>",
            MR_FMT_HTML, &g);
    assert_int_equal(g.nr, 1);
    assert_string_equal(g.r[0].title, "العنوان الرئيسي");
    assert_string_equal(g.r[0].published, "2020-05-06T07:08:09Z");
    assert_string_equal(g.r[0].outlet, "صحيفة المثال");
    assert_string_equal(g.r[0].text, "العنوان الرئيسي\nنص الفقرة.");
    assert_string_equal(g.r[0].lang, "ar"); /* the default */
    got_free(&g);
    /* the site's name is cut off the title */
    run_buf("<html><head><meta property=\"og:site_name\" content=\"بي بي سي\">"
            "<meta property=\"og:title\" content=\"خبر عاجل - بي بي سي\">"
            "</head><body><p>نص.</p></body></html>",
            MR_FMT_HTML, &g);
    assert_int_equal(g.nr, 1);
    assert_string_equal(g.r[0].title, "خبر عاجل");
    got_free(&g);
    /* only <title>, <time datetime>, the body */
    run_buf("<html lang=\"fr\"><head><title>نافذة</title></head><body><time datetime="
            "\"2017-01-02\">أمس</time><p>سطر</p></body></html>",
            MR_FMT_AUTO, &g);
    assert_int_equal(g.nr, 1);
    assert_string_equal(g.r[0].title, "نافذة");
    assert_string_equal(g.r[0].published, "2017-01-02");
    assert_string_equal(g.r[0].lang, "fr");
    got_free(&g);
}

static void html_broken_and_deep(void **state)
{
    (void)state;
    got g;
    run_file(FIX "broken.html", &g);
    assert_int_equal(g.nr, 1);
    assert_string_equal(g.r[0].title, "صفحة مكسورة");
    assert_non_null(strstr(g.r[0].text, "فقرة ثانية عريضة ومائلة"));
    assert_non_null(strstr(g.r[0].text, "فقرة أخيرة."));
    got_free(&g);

    /* 100 000 nested divs: refused with a limit message, no crash */
    size_t depth = 100000, cap = depth * 11 + 200, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    n += (size_t)sprintf(s + n, "<html><body>");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(s + n, "<div>");
    n += (size_t)sprintf(s + n, "نص");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(s + n, "</div>");
    run_buf(s, MR_FMT_HTML, &g);
    free(s);
    assert_int_equal(g.nr, 0);
    assert_int_equal(g.ne, 1);
    assert_int_equal(g.e[0].code, MARSAD_E_LIMIT);
    assert_non_null(strstr(g.e[0].message, "nested"));
    assert_string_equal(g.e[0].input, "mem");

    /* an HTML page with a DTD of entities: nothing is expanded */
    run_buf("<!DOCTYPE html [<!ENTITY a \"xxxxxxxxxx\"><!ENTITY b \"&a;&a;&a;"
            "&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;"
            "&b;\">]><html><body><p>&c;&c;&c;</p></body></html>",
            MR_FMT_HTML, &g);
    for (size_t i = 0; i < g.nr; i++)
        assert_true(g.r[i].text_len < 1000);
    got_free(&g);
}

static void legacy_charsets(void **state)
{
    (void)state;
    got g;
    /* a windows-1256 page that says so is decoded by libxml2 */
    static const char page[] =
        "<html><head><meta charset=\"windows-1256\"></head><body><p>"
        "\xe4\xd5 \xc8\xca\xd1\xe3\xed\xd2 \xe6\xed\xe4\xcf\xe6\xd2."
        "</p></body></html>";
    run_buf(page, MR_FMT_AUTO, &g);
    assert_int_equal(g.ne, 0);
    assert_int_equal(g.nr, 1);
    assert_string_equal(g.r[0].text, "نص بترميز ويندوز.");
    got_free(&g);
    static const char feed[] =
        "<?xml version=\"1.0\" encoding=\"windows-1256\"?><rss version="
        "\"2.0\"><channel><title>\xde\xe4\xc7\xc9</title><item><title>"
        "\xc8\xe4\xcf</title><description>\xe4\xd5 \xc7\xe1\xc8\xe4\xcf."
        "</description></item></channel></rss>";
    run_buf(feed, MR_FMT_AUTO, &g);
    assert_int_equal(g.ne, 0);
    assert_int_equal(g.nr, 1);
    assert_string_equal(g.r[0].outlet, "قناة");
    assert_string_equal(g.r[0].title, "بند");
    assert_string_equal(g.r[0].text, "نص البند.");
    got_free(&g);
    /* the same bytes without a declaration are refused, with advice */
    run_buf("\xe4\xd5 \xc8\xca\xd1\xe3\xed\xd2 \xe6\xed\xe4\xcf\xe6\xd2 "
            "\xe4\xd5 \xc8\xca\xd1\xe3\xed\xd2 \xe6\xed\xe4\xcf\xe6\xd2.",
            MR_FMT_AUTO, &g);
    assert_int_equal(g.nr, 0);
    assert_int_equal(g.ne, 1);
    assert_non_null(strstr(g.e[0].message, "iconv"));
}

static void forced_format(void **state)
{
    (void)state;
    mr_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.format = MR_FMT_TXT;
    const char *p = FIX "page.html";
    mr_ingest *it;
    assert_int_equal(mr_ingest_open(&p, 1, &o, &it), MARSAD_OK);
    mr_report r;
    assert_int_equal(mr_ingest_next(it, &r, NULL), MARSAD_OK);
    size_t n;
    char *file = tu_read_file(p, &n);
    assert_non_null(file);
    assert_int_equal(r.text_len, n); /* the markup, byte for byte */
    assert_memory_equal(r.text, file, n);
    free(file);
    mr_report_clear(&r);
    assert_int_equal(mr_ingest_next(it, &r, NULL), MR_INGEST_DONE);
    mr_ingest_close(it);
    assert_int_equal(mr_format_parse("rss"), MR_FMT_FEED);
    assert_int_equal(mr_format_parse("json"), MR_FMT_JSON);
    assert_int_equal(mr_format_parse("pdf"), -1);
    assert_string_equal(mr_format_name(MR_FMT_TREC), "trec");
}

static void rss_items(void **state)
{
    (void)state;
    got g;
    run_file(FIX "feed.rss", &g);
    assert_int_equal(g.ne, 0);
    assert_int_equal(g.nr, 3);
    assert_string_equal(g.r[0].title, "افتتاح جسر جديد فوق النهر");
    assert_string_equal(g.r[0].url, "https://news.example.net/a/1");
    assert_string_equal(g.r[0].source_id, "item-0001");
    assert_string_equal(g.r[0].published, "2018-04-10T11:57:53Z");
    assert_string_equal(g.r[0].outlet, "نشرة الأخبار التجريبية");
    /* content:encoded wins over description; its HTML is extracted */
    assert_string_equal(g.r[0].text,
                        "افتتح المحافظ صباح الثلاثاء جسرا جديدا يربط ضفتي "
                        "النهر.\nوبلغت كلفة المشروع نحو 12 مليون دولار.");
    assert_string_equal(g.r[1].outlet, "وكالة الأنباء المثال");
    assert_string_equal(g.r[1].published, "2018-04-11T09:00:00+03:00");
    assert_string_equal(g.r[1].text, "وصلت قافلة تضم 40 شاحنة إلى المدينة.");
    assert_null(g.r[2].published);
    assert_null(g.r[2].url);
    assert_string_equal(g.r[2].text, "نص عادي دون وسوم.");
    assert_string_not_equal(g.r[0].id, g.r[1].id);
    got_free(&g);
}

static void atom_entries(void **state)
{
    (void)state;
    got g;
    run_file(FIX "feed.atom", &g);
    assert_int_equal(g.ne, 0);
    assert_int_equal(g.nr, 2);
    assert_string_equal(g.r[0].url, "https://blog.example.org/e1");
    assert_string_equal(g.r[0].source_id, "urn:example:e1");
    assert_string_equal(g.r[0].published, "2019-03-23T10:30:00+03:00");
    assert_string_equal(g.r[0].outlet, "مدونة الأخبار");
    assert_string_equal(g.r[0].text, "أعلنت القوات السيطرة على آخر معاقل التنظيم.");
    assert_string_equal(g.r[1].published, "2019-03-25T08:00:00Z");
    assert_string_equal(g.r[1].text, "الفقرة الأولى من التقرير.\nالفقرة الثانية.");
    got_free(&g);
}

static void hostile_feeds(void **state)
{
    (void)state;
    static const char *const files[] = {FIX "laughs.rss", FIX "xxe.rss"};
    for (size_t i = 0; i < 2; i++) {
        got g;
        run_file(files[i], &g);
        assert_int_equal(g.nr, 0);
        assert_int_equal(g.ne, 1);
        assert_string_equal(g.e[0].input, files[i]);
        assert_non_null(strstr(g.e[0].message, "entities"));
    }
    /* truncated: the whole items before the cut, and an error with a line */
    got g;
    run_file(FIX "broken.rss", &g);
    assert_true(g.nr >= 1);
    assert_string_equal(g.r[0].title, "بند أول");
    assert_int_equal(g.ne, 1);
    assert_non_null(strstr(g.e[0].message, "not well-formed"));
    assert_true(g.e[0].line > 0);
    got_free(&g);
    /* XML that is not a feed */
    run_buf("<?xml version=\"1.0\"?><catalog><book>ك</book></catalog>",
            MR_FMT_FEED, &g);
    assert_int_equal(g.nr, 0);
    assert_int_equal(g.ne, 1);
    assert_non_null(strstr(g.e[0].message, "not a feed"));
}

static void trec_documents(void **state)
{
    (void)state;
    got g;
    run_file(FIX "trec.xml", &g);
    assert_int_equal(g.ne, 0);
    assert_int_equal(g.nr, 2);
    assert_string_equal(g.r[0].source_id, "EX-world-1-20190323");
    assert_string_equal(g.r[0].outlet, "examplewire");
    assert_string_equal(g.r[0].url, "https://wire.example.com/world/1");
    assert_string_equal(g.r[0].published, "2019-03-23T10:00:00Z");
    assert_string_equal(g.r[0].text, "السطر الأول من النص.\nالسطر الثاني & الأخير.");
    assert_string_equal(g.r[1].published, "2019-03-24"); /* from DOCNO */
    got_free(&g);
    run_buf("<DOC>\n<DOCNO>X-1</DOCNO>\n<TEXT>\nنص لم يكتمل", MR_FMT_AUTO, &g);
    assert_int_equal(g.nr, 0);
    assert_int_equal(g.ne, 1);
    assert_non_null(strstr(g.e[0].message, "truncated"));
}

/* Every original ANT XML file gives the report its JSON Lines twin gives:
 * same id, same text. */
static void ant_xml_matches_jsonl(void **state)
{
    (void)state;
    const char *sh = tu_shared_dir();
    assert_non_null(sh);
    char dir[1024], jdir[1024];
    snprintf(dir, sizeof dir,
             "%s/corpus/ant-multisource/original_xml_sample_douma_2018-04-07_to_10",
             sh);
    snprintf(jdir, sizeof jdir, "%s/corpus/ant-multisource/jsonl", sh);
    const char *p = dir;
    mr_ingest *it;
    assert_int_equal(mr_ingest_open(&p, 1, NULL, &it), MARSAD_OK);
    mr_report r;
    static char ids[128][17], hashes[128][17];
    size_t n = 0;
    marsad_status rc;
    while ((rc = mr_ingest_next(it, &r, NULL)) != MR_INGEST_DONE) {
        assert_int_equal(rc, MARSAD_OK);
        assert_non_null(r.source_id);
        assert_non_null(r.url);
        assert_non_null(r.published);
        assert_true(n < 128);
        snprintf(ids[n], 17, "%s", r.id);
        mr_text_hash(r.text, r.text_len, hashes[n]);
        n++;
        mr_report_clear(&r);
    }
    mr_ingest_close(it);
    assert_int_equal(n, 63);
    /* the April 2018 shards hold their twins */
    static char shard[16][1300];
    const char *shards[16];
    size_t ns = 0;
    DIR *d = opendir(jdir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)) && ns < 16)
        if (strstr(de->d_name, "_2018-04")) {
            snprintf(shard[ns], sizeof shard[ns], "%s/%s", jdir, de->d_name);
            shards[ns] = shard[ns];
            ns++;
        }
    closedir(d);
    assert_true(ns >= 5);
    size_t found = 0;
    assert_int_equal(mr_ingest_open(shards, ns, NULL, &it), MARSAD_OK);
    while ((rc = mr_ingest_next(it, &r, NULL)) != MR_INGEST_DONE) {
        if (rc == MARSAD_OK && r.published &&
            strncmp(r.published, "2018-04", 7) == 0) {
            char h[17];
            mr_text_hash(r.text, r.text_len, h);
            for (size_t i = 0; i < n; i++)
                if (!strcmp(ids[i], r.id) && !strcmp(hashes[i], h)) {
                    found++;
                    ids[i][0] = 0; /* count each once */
                    break;
                }
        }
        mr_report_clear(&r);
    }
    mr_ingest_close(it);
    assert_int_equal(found, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(html_page_main_text_and_meta),
        cmocka_unit_test(html_fallbacks),
        cmocka_unit_test(html_broken_and_deep),
        cmocka_unit_test(legacy_charsets),
        cmocka_unit_test(forced_format),
        cmocka_unit_test(rss_items),
        cmocka_unit_test(atom_entries),
        cmocka_unit_test(hostile_feeds),
        cmocka_unit_test(trec_documents),
        cmocka_unit_test(ant_xml_matches_jsonl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
