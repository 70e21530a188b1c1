/*
 * test_story_out.c: the story's JSON line and HTML report, over facts made
 * by hand; hostile text in every field a report can carry.
 */
#include "testutil.h"

#include <glob.h>

#include <json-c/json.h>

#include "extract/facts_util.h"
#include "extract/extract.h"
#include "out/facts_json.h"
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
    mr_story_doc docs[2] = {{&a.r, &a.f, NULL, 0}, {&b.r, &b.f, NULL, 0}};
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

/* One fact of each kind written (mr_fact_json) and read back
 * (mr_fact_add_json) writes the same object again: over the seeds, and a
 * report whose names hold quotes, backslashes, control characters and
 * U+2028. */
static size_t roundtrip(const mr_report *r, const mr_facts *f)
{
    static const size_t nk = 5;
    mr_facts g;
    memset(&g, 0, sizeof g);
    char *a = NULL, *b = NULL;
    size_t an = 0, bn = 0, n = 0;
    FILE *fa = open_memstream(&a, &an);
    assert_non_null(fa);
    for (size_t k = 0; k < nk; k++) {
        size_t cnt = k == MR_FACT_FIGURE   ? f->figures.n
                     : k == MR_FACT_SOURCE ? f->sources.n
                     : k == MR_FACT_DATE   ? f->dates.n
                     : k == MR_FACT_ENTITY ? f->entities.n
                                           : f->quotes.n;
        for (size_t i = 0; i < cnt; i++) {
            char *one = NULL;
            size_t on = 0;
            FILE *fo = open_memstream(&one, &on);
            assert_non_null(fo);
            mr_fact_json(fo, r, f, (mr_fact_kind)k, i);
            fclose(fo);
            fprintf(fa, "%s\n", one);
            assert_int_equal(mr_fact_add_json(&g, (mr_fact_kind)k, one, on),
                             MARSAD_OK);
            free(one);
            n++;
        }
    }
    fclose(fa);
    assert_int_equal(mr_facts_read_done(&g), MARSAD_OK);
    FILE *fb = open_memstream(&b, &bn);
    assert_non_null(fb);
    for (size_t k = 0; k < nk; k++) {
        size_t cnt = k == MR_FACT_FIGURE   ? g.figures.n
                     : k == MR_FACT_SOURCE ? g.sources.n
                     : k == MR_FACT_DATE   ? g.dates.n
                     : k == MR_FACT_ENTITY ? g.entities.n
                                           : g.quotes.n;
        for (size_t i = 0; i < cnt; i++) {
            mr_fact_json(fb, r, &g, (mr_fact_kind)k, i);
            fputc('\n', fb);
        }
    }
    fclose(fb);
    assert_string_equal(b, a);
    free(a);
    free(b);
    mr_facts_free(&g);
    return n;
}

/* What the stored objects name is resolved to indexes: a relay to the
 * last source before it with that speaker (none when the name comes only
 * later), a quote's speaker to the first entity of that name. */
static void test_facts_read_back_names(void **state)
{
    (void)state;
    static const char *const src[] = {
        "{\"start\":0,\"end\":2,\"speaker\":\"أ\",\"via\":null}",
        "{\"start\":3,\"end\":5,\"speaker\":\"ب\",\"via\":\"أ\"}",
        "{\"start\":6,\"end\":8,\"speaker\":\"أ\"}",
        "{\"start\":9,\"end\":11,\"speaker\":\"ج\",\"via\":\"أ\"}",
        "{\"start\":12,\"end\":14,\"speaker\":\"د\",\"via\":\"هـ\"}",
        "{\"start\":15,\"end\":17,\"speaker\":\"هـ\",\"via\":\"د\"}",
    };
    static const int via[] = {-1, 0, -1, 2, -1, 4};
    static const char *const ent[] = {
        "{\"start\":0,\"end\":2,\"kind\":\"person\",\"canonical\":\"س\"}",
        "{\"start\":3,\"end\":5,\"kind\":\"person\",\"canonical\":\"ص\"}",
        "{\"start\":6,\"end\":8,\"kind\":\"person\",\"canonical\":\"س\"}",
    };
    static const char *const quo[] = {
        "{\"start\":20,\"end\":30,\"speaker\":\"ص\"}",
        "{\"start\":31,\"end\":40,\"speaker\":\"س\"}",
        "{\"start\":41,\"end\":50,\"speaker\":\"ع\"}",
        "{\"start\":51,\"end\":60,\"speaker\":null}",
    };
    static const int spk[] = {1, 0, -1, -1};
    mr_facts g;
    memset(&g, 0, sizeof g);
    for (size_t i = 0; i < sizeof src / sizeof *src; i++)
        assert_int_equal(mr_fact_add_json(&g, MR_FACT_SOURCE, src[i],
                                          strlen(src[i])),
                         MARSAD_OK);
    for (size_t i = 0; i < sizeof ent / sizeof *ent; i++)
        assert_int_equal(mr_fact_add_json(&g, MR_FACT_ENTITY, ent[i],
                                          strlen(ent[i])),
                         MARSAD_OK);
    for (size_t i = 0; i < sizeof quo / sizeof *quo; i++)
        assert_int_equal(mr_fact_add_json(&g, MR_FACT_QUOTE, quo[i],
                                          strlen(quo[i])),
                         MARSAD_OK);
    assert_int_equal(mr_facts_read_done(&g), MARSAD_OK);
    assert_int_equal(g.sources.n, 6);
    for (size_t i = 0; i < g.sources.n; i++)
        assert_int_equal(g.sources.v[i].via, via[i]);
    assert_int_equal(g.quotes.n, 4);
    for (size_t i = 0; i < g.quotes.n; i++)
        assert_int_equal(g.quotes.v[i].speaker, spk[i]);
    mr_facts_free(&g);
}

static void test_facts_read_back(void **state)
{
    (void)state;
    const char *sh = tu_shared_dir();
    assert_non_null(sh);
    size_t total = 0;
    char pat[4096];
    snprintf(pat, sizeof pat, "%s/seeds/*.txt", sh);
    glob_t gl;
    assert_int_equal(glob(pat, 0, NULL, &gl), 0);
    for (size_t s = 0; s < gl.gl_pathc; s++) {
        const char *path = gl.gl_pathv[s];
        size_t len = 0;
        char *text = tu_read_file(path, &len);
        assert_non_null(text);
        mr_report r;
        memset(&r, 0, sizeof r);
        r.text = text;
        r.text_len = len;
        mr_facts f;
        memset(&f, 0, sizeof f);
        assert_int_equal(mr_extract(text, len, NULL, &f), MARSAD_OK);
        total += roundtrip(&r, &f);
        mr_facts_free(&f);
        free(text);
    }
    globfree(&gl);
    assert_true(total > 100);
    /* names no extraction gives: every escape the writer makes */
    fx x;
    fx_init(&x, "h", "o", "2020-01-01", "t", "قال فلان إن 3 قتلى سقطوا");
    mr_entity *e = calloc(1, sizeof *e);
    mr_source *so = calloc(1, sizeof *so);
    assert_non_null(e);
    assert_non_null(so);
    e->start = 4;
    e->end = 12;
    e->kind = MR_ENT_PERSON;
    e->canonical = "فلان \"الثاني\" \\ \t\x01\x7f\xe2\x80\xa8 ✓";
    x.f.entities.v = e;
    x.f.entities.n = 1;
    so->start = 0;
    so->end = 12;
    so->speaker = e->canonical;
    so->cue = "قال";
    so->entity = 0;
    so->via = -1;
    x.f.sources.v = so;
    x.f.sources.n = 1;
    assert_int_equal(roundtrip(&x.r, &x.f), 2);
    x.f.entities.v = NULL;
    x.f.sources.v = NULL;
    free(e);
    free(so);
    fx_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_escapes_and_links),
        cmocka_unit_test(test_escape_invalid_utf8),
        cmocka_unit_test(test_json_strings),
        cmocka_unit_test(test_arabic_labels),
        cmocka_unit_test(test_facts_read_back),
        cmocka_unit_test(test_facts_read_back_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
