/*
 * test_story_out.c: the story's JSON line and HTML report, over facts made
 * by hand; hostile text in every field a report can carry.
 */
#include "testutil.h"

#include <json-c/json.h>

#include "extract/facts_util.h"
#include "out/json.h"
#include "out/story_out.h"

static const char *HOSTILE =
    "</script><img src=x onerror=alert(1)>\"'&<b>";

typedef struct fx {
    mr_report r;
    mr_facts f;
} fx;

static void fx_init(fx *x, const char *id, const char *outlet,
                    const char *published, const char *title,
                    const char *text)
{
    memset(x, 0, sizeof *x);
    x->r.id = strdup(id);
    x->r.outlet = strdup(outlet);
    x->r.published = strdup(published);
    x->r.title = strdup(title);
    x->r.text = strdup(text);
    x->r.text_len = strlen(text);
    assert_int_equal(mr_toks_build(&x->f.toks, x->r.text, x->r.text_len, 0),
                     MARSAD_OK);
}

static void fx_free(fx *x)
{
    mr_report_clear(&x->r);
    free(x->f.figures.v);
    mr_toks_free(&x->f.toks);
    memset(&x->f, 0, sizeof x->f);
}

static void fig(fx *x, const char *span, double v, int more,
                const char *side)
{
    const char *p = strstr(x->r.text, span);
    assert_non_null(p);
    mr_figure *g = MR_VEC_PUSH(x->f.figures);
    assert_non_null(g);
    g->start = (uint32_t)(p - x->r.text);
    g->end = (uint32_t)(g->start + strlen(span));
    g->min = v;
    g->max = more ? 0 : v;
    g->has_min = true;
    g->has_max = !more;
    g->qualifier = more ? MARSAD_Q_MORE_THAN : MARSAD_Q_EXACT;
    g->event = "killed";
    g->category = "fighters";
    g->side = side;
    g->part_of = g->source = g->when = -1;
}

static char *render(const mr_story_view *v, size_t n, int html)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    if (html)
        assert_int_equal(mr_report_html(f, v, n, HOSTILE), MARSAD_OK);
    else
        for (size_t i = 0; i < n; i++)
            mr_story_json(f, &v[i]);
    fclose(f);
    return buf;
}

static void setup(fx *a, fx *b, char *text_a, size_t cap)
{
    snprintf(text_a, cap,
             "قتل 730 مقاتلا من الجيش في المعارك. %s\nوقال شاهد إن القصف "
             "استمر طوال الليل.\n",
             HOSTILE);
    fx_init(a, "id\"<a>", HOSTILE, "2019-03-23", HOSTILE, text_a);
    fig(a, "730 مقاتلا", 730, 0, "الجيش");
    fx_init(b, "b2", "موقع ب", "2019-03-23", "عنوان ب",
            "قتل أكثر من 750 مقاتلا من الجيش في المعارك.\nوقال شاهد إن "
            "القصف استمر طوال الليل.\n");
    fig(b, "أكثر من 750 مقاتلا", 750, 1, "الجيش");
}

static void test_html_escapes_and_links(void **state)
{
    (void)state;
    fx a, b;
    char text_a[512];
    setup(&a, &b, text_a, sizeof text_a);
    mr_story_doc docs[2] = {{&a.r, &a.f}, {&b.r, &b.f}};
    mr_synth s;
    assert_int_equal(mr_story_synth(docs, 2, &s), MARSAD_OK);
    assert_int_equal(s.claims.n, 1);
    assert_int_equal(s.claims.v[0].verdict, MR_VERDICT_CONFLICT);
    mr_story_passage pass = {0, 1, 0, 10, 0, 10};
    mr_story_view v = {"st<1>", NULL, "2019-03-23", "2019-03-23", docs, 2,
                       &s, &pass, 1};
    char *html = render(&v, 1, 1);

    assert_non_null(strstr(html, "<html lang=\"ar\" dir=\"rtl\">"));
    /* nothing hostile survives as markup */
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "</script>"));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "<b>"));
    assert_non_null(strstr(html, "&lt;/script&gt;&lt;img src=x"));
    /* no external resource, no script */
    assert_null(strstr(html, "src=\"http"));
    assert_null(strstr(html, "href=\"http"));
    assert_null(strstr(html, "<link"));
    /* the conflict row */
    assert_non_null(strstr(html, "<tr class=\"conflict\">"));
    assert_non_null(strstr(html, "تعارض"));

    /* every in-page link has its anchor */
    size_t links = 0;
    for (const char *p = html; (p = strstr(p, "href=\"#")) != NULL;) {
        p += 7;
        const char *q = strchr(p, '"');
        assert_non_null(q);
        char want[256];
        snprintf(want, sizeof want, "id=\"%.*s\"", (int)(q - p), p);
        if (!strstr(html, want))
            fail_msg("no anchor for #%.*s", (int)(q - p), p);
        links++;
    }
    assert_true(links >= 6);
    free(html);

    /* the JSON line parses and carries the conflict and the spans */
    char *js = render(&v, 1, 0);
    assert_non_null(strchr(js, '\n'));
    json_object *o = json_tokener_parse(js);
    assert_non_null(o);
    json_object *claims, *c0, *vals, *x, *t;
    assert_true(json_object_object_get_ex(o, "claims", &claims));
    c0 = json_object_array_get_idx(claims, 0);
    assert_true(json_object_object_get_ex(c0, "verdict", &t));
    assert_string_equal(json_object_get_string(t), "conflict");
    assert_true(json_object_object_get_ex(c0, "values", &vals));
    assert_int_equal(json_object_array_length(vals), 2);
    x = json_object_array_get_idx(vals, 1);
    assert_true(json_object_object_get_ex(x, "text", &t));
    assert_string_equal(json_object_get_string(t), "أكثر من 750 مقاتلا");
    assert_true(json_object_object_get_ex(x, "qualifier", &t));
    assert_string_equal(json_object_get_string(t), "more_than");
    assert_true(json_object_object_get_ex(o, "reports", &t));
    assert_string_equal(json_object_get_string(json_object_array_get_idx(t, 0)),
                        "id\"<a>");
    json_object_put(o);
    free(js);

    mr_synth_free(&s);
    fx_free(&a);
    fx_free(&b);
}

static void test_escape_invalid_utf8(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    mr_html_escape(f, "a\xff<\x01\xd8", 5);
    fclose(f);
    assert_string_equal(buf, "a\xEF\xBF\xBD&lt;\xEF\xBF\xBD");
    free(buf);
}

/* The JSON string writer: escapes, runs of plain text, U+2028/U+2029,
 * invalid and truncated UTF-8, and json-c reads back what it wrote. */
static void test_json_strings(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t len;
        const char *out;
    } cases[] = {
        {"", 0, "\"\""},
        {"plain", 5, "\"plain\""},
        {"\xd9\x82\xd8\xaa\xd9\x84 630", 10, "\"\xd9\x82\xd8\xaa\xd9\x84 630\""},
        {"a\"b\\c", 5, "\"a\\\"b\\\\c\""},
        {"l1\nl2\r\t.", 8, "\"l1\\nl2\\r\\t.\""},
        {"\x01x\x7f", 3, "\"\\u0001x\\u007f\""},
        {"a\xe2\x80\xa8" "b\xe2\x80\xa9", 8, "\"a\\u2028b\\u2029\""},
        {"a\xff" "b", 3, "\"a\xef\xbf\xbd" "b\""},
        {"\xd8", 1, "\"\xef\xbf\xbd\""},
        {"x\xf0\x9f\x98", 4, "\"x\xef\xbf\xbd\""},
        {"nul\0in", 6, "\"nul\\u0000in\""},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        mr_json_str(f, cases[k].in, cases[k].len);
        fclose(f);
        assert_string_equal(buf, cases[k].out);
        json_object *o = json_tokener_parse(buf);
        assert_non_null(o);
        assert_true(json_object_is_type(o, json_type_string));
        json_object_put(o);
        free(buf);
    }
}

/* The Arabic a reader sees for the contract's keys, and the number
 * agreement of "reports". */
static void test_arabic_labels(void **state)
{
    (void)state;
    assert_string_equal(mr_label_verdict("update"), "تحديث للحصيلة");
    assert_string_equal(mr_label_verdict("conflict"), "تعارض");
    assert_string_equal(mr_label_event("killed"), "قتلى");
    assert_string_equal(mr_label_category("children"), "أطفال");
    assert_string_equal(mr_label_category("a_new_key"), "a_new_key");
    assert_string_equal(mr_label_event(NULL), "");
    const struct {
        size_t n;
        mr_noun noun;
        const char *want;
    } rows[] = {
        {1, MR_NOUN_REPORT, "تقرير واحد"},  {2, MR_NOUN_REPORT, "تقريران"},
        {5, MR_NOUN_REPORT, "5 تقارير"},    {10, MR_NOUN_REPORT, "10 تقارير"},
        {11, MR_NOUN_REPORT, "11 تقريرا"},  {100, MR_NOUN_REPORT, "100 تقرير"},
        {102, MR_NOUN_REPORT, "102 تقرير"}, {103, MR_NOUN_REPORT, "103 تقارير"},
        {111, MR_NOUN_REPORT, "111 تقريرا"}, {0, MR_NOUN_STORY, "لا قصص"},
        {1, MR_NOUN_STORY, "قصة واحدة"},    {2, MR_NOUN_STORY, "قصتان"},
        {12, MR_NOUN_FIGURE, "12 رقما"},    {3, MR_NOUN_CONFLICT, "3 أرقام متعارضة"},
        {2, MR_NOUN_CONFLICT, "رقمان متعارضان"},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_non_null(f);
        if (rows[k].noun == MR_NOUN_REPORT)
            mr_label_reports(f, rows[k].n);
        else
            mr_label_count(f, rows[k].n, rows[k].noun);
        fclose(f);
        assert_string_equal(buf, rows[k].want);
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_escapes_and_links),
        cmocka_unit_test(test_escape_invalid_utf8),
        cmocka_unit_test(test_json_strings),
        cmocka_unit_test(test_arabic_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
