/*
 * test_sources.c: who a figure is credited to (src/extract/sources.c),
 * each rule on sentences written for these tests.
 */
#include "testutil.h"

#include "extract/extract.h"

static mr_facts F;

static void run(const char *s)
{
    assert_int_equal(mr_extract(s, strlen(s), NULL, &F), MARSAD_OK);
}

/* The speaker of figure i, or NULL for the outlet's own. */
static const char *source_of(size_t i)
{
    assert_true(i < F.figures.n);
    int s = F.figures.v[i].source;
    return s < 0 ? NULL : F.sources.v[s].speaker;
}

/* Figure i's speaker is want (NULL: none). */
static void credited(size_t i, const char *want)
{
    const char *got = source_of(i);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
}

/* "…، بحسب ما أفاد X" credits the whole clause before it; a verb with a
 * glued object is a cue only there. */
static void test_trailing_attribution(void **st)
{
    (void)st;
    run("قتل 12 مدنيا وأصيب 30 آخرون في القصف، بحسب ما أفاد المرصد السوري "
        "لحقوق الإنسان.");
    assert_int_equal(F.figures.n, 2);
    credited(0, "المرصد السوري لحقوق الإنسان");
    credited(1, "المرصد السوري لحقوق الإنسان");
    run("ونزحت 40 عائلة من القرية، حسب ما أعلنته الأمم المتحدة.");
    assert_int_equal(F.figures.n, 1);
    credited(0, "الأمم المتحدة");
    /* not a trailing attribution: the tariffs Washington announced */
    run("ردت الحكومة على الرسوم التي أعلنتها واشنطن بنسبة 25%.");
    assert_int_equal(F.sources.n, 0);
    /* a verb before the figure stays the inner source */
    run("وقال المرصد السوري لحقوق الإنسان إن 15 شخصا قتلوا، وفق ما ذكرت "
        "الأمم المتحدة.");
    assert_int_equal(F.figures.n, 1);
    credited(0, "المرصد السوري لحقوق الإنسان");
}

/* The outlet of a dateline, a place after a preposition and a place that
 * "records" a toll are not speakers. */
static void test_not_speakers(void **st)
{
    (void)st;
    run("القاهرة (CNN)-- أعلنت السلطات مقتل 4 أشخاص في الحادث.");
    assert_int_equal(F.figures.n, 1);
    credited(0, "سلطات");
    run("وحول الهجرة في تونس قال إن 55 في المئة من الشباب يرغبون بالسفر.");
    for (size_t k = 0; k < F.sources.n; k++)
        assert_string_not_equal(F.sources.v[k].speaker, "تونس");
    run("سجلت دمشق 40 إصابة جديدة.");
    assert_int_equal(F.sources.n, 0);
}

/* Verbs of counting and revealing are cues: وثق، رصد، أحصى، كشف، أقر. */
static void test_counting_cues(void **st)
{
    (void)st;
    run("ووثق المرصد السوري لحقوق الإنسان مقتل 17 مدنيا في الغارات.");
    assert_int_equal(F.figures.n, 1);
    credited(0, "المرصد السوري لحقوق الإنسان");
    assert_string_equal(F.sources.v[0].cue, "وثق");
    run("وأقرت الأمم المتحدة بمقتل 9 مدنيين في الضربات.");
    assert_int_equal(F.figures.n, 1);
    credited(0, "الأمم المتحدة");
}

/* A cue that opens a sentence with no subject of its own (وأضاف أن،
 * وأشارت إلى أن) continues the statement of the paragraph before, not
 * beyond; "ويذكر أن" is the outlet's own background. */
static void test_continued_statement(void **st)
{
    (void)st;
    run("وقال المرصد السوري لحقوق الإنسان إن الغارات استمرت طوال الليل.\n"
        "وأضاف أن 23 مدنيا قتلوا في القصف.\n"
        "وأشارت إلى أن 40 آخرين أصيبوا.\n"
        "وسقط 7 جرحى في بلدة مجاورة.");
    assert_int_equal(F.figures.n, 3);
    credited(0, "المرصد السوري لحقوق الإنسان");
    credited(1, "المرصد السوري لحقوق الإنسان");
    credited(2, NULL);
    /* two paragraphs away: no longer his */
    run("وقال المرصد السوري لحقوق الإنسان إن الغارات استمرت.\n"
        "واستمر القصف حتى الصباح.\n"
        "وأضاف أن 23 مدنيا قتلوا.");
    assert_int_equal(F.figures.n, 1);
    credited(0, NULL);
    /* a subject after the verb that is not recognised is still not his */
    run("وقال المرصد السوري لحقوق الإنسان إن الغارات استمرت.\n"
        "وقالت هيئة الإسعاف المحلية إن 12 شخصا قتلوا.");
    assert_int_equal(F.figures.n, 1);
    assert_true(source_of(0) == NULL ||
                strcmp(source_of(0), "المرصد السوري لحقوق الإنسان") != 0);
    run("وقال المرصد السوري لحقوق الإنسان إن الغارات استمرت.\n"
        "ويذكر أن 300 ألف شخص قتلوا منذ بدء النزاع.");
    assert_int_equal(F.figures.n, 1);
    credited(0, NULL);
}

static int teardown(void **st)
{
    (void)st;
    mr_facts_free(&F);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trailing_attribution),
        cmocka_unit_test(test_not_speakers),
        cmocka_unit_test(test_counting_cues),
        cmocka_unit_test(test_continued_statement),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
