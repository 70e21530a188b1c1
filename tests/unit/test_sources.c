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

/* The text holds one figure, credited to want (any speaker when NULL). */
static void one_figure(const char *s, const char *want)
{
    run(s);
    assert_int_equal(F.figures.n, 1);
    if (want)
        credited(0, want);
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
    /* a bare preposition after "، و": "، وفق شهود" is not a new clause */
    run("ما أسفر عن مقتل 8 مدنيين وإصابة 15 آخرين، وفق شهود ومصادر محلية.");
    assert_int_equal(F.figures.n, 2);
    credited(0, "شهود ومصادر محلية");
    credited(1, "شهود ومصادر محلية");
    run("وأوقعت المعارك 40 قتيلا، وفق آخر حصيلة صدرت عن الأمم المتحدة.");
    assert_int_equal(F.figures.n, 1);
    credited(0, "الأمم المتحدة");
    run("ونزحت 40 عائلة من القرية، حسب ما أعلنته الأمم المتحدة.");
    assert_int_equal(F.figures.n, 1);
    credited(0, "الأمم المتحدة");
    /* not a trailing attribution: the tariffs Washington announced */
    run("ردت الحكومة على الرسوم التي أعلنتها واشنطن بنسبة 25%.");
    assert_int_equal(F.sources.n, 0);
    /* the press relays the speaker, it is not his origin */
    run("وأعلنت الأمم المتحدة مقتل 30 مدنيا، وفقا لوسائل إعلام محلية.");
    assert_int_equal(F.figures.n, 1);
    credited(0, "الأمم المتحدة");
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
    /* an estimate credits its estimator, whose phrase ends at the object */
    one_figure("وقدر مسؤولون آخرون عدد القتلى بحوالى 48 شخصا.", "مسؤولون آخرون");
    assert_string_equal(F.sources.v[0].cue, "قدر");
    /* the topic of "أما X ...، فقال" speaks, past its aside */
    one_figure("وقال الجيش إن الهدوء عاد. أما وكالة سبأ للأنباء التي يديرها "
               "المتمردون، فقالت إن هناك 88 قتيلا.",
               "وكالة سبأ");
    /* names written as hashtags speak, and a hashtag is no place of the
     * verb after it */
    one_figure("قالت #وحدات_حماية_الشعب_الكردية إن 6 أشخاص أصيبوا.", "وحدات حماية الشعب");
    one_figure("وأعلنت #الشرطة_البريطانية أن 3 رجال اعتقلوا.", "الشرطة البريطانية");
    run("وقع الانفجار في #عفرين ورحب #سعد_الحريري بالقرار.");
    assert_int_equal(F.sources.n, 1);
    assert_string_equal(F.sources.v[0].speaker, "سعد الحريري");
    /* a count inside another's statement stays his */
    one_figure("وقال رئيس اللجنة، كمال وردان، إن المجلس سجل 99 بالمئة من الأصوات.",
               "كمال وردان");
    /* a claim of responsibility states no toll: the outlet's figure */
    one_figure("أعلن تنظيم داعش الإرهابي مسؤوليته عن التفجير الذي راح ضحيته 40 قتيلا.",
               NULL);
    assert_null(source_of(0));
    assert_int_equal(F.sources.n, 0);
    /* the passive and the idiom name no estimator */
    run("وأقيمت القاعدة على مساحة قدرت بأربعة كيلومترات مربعة، وحاول "
        "الابتعاد قدر الإمكان عن 3 ملفات.");
    assert_int_equal(F.sources.n, 0);
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

/* Bodies named by their kind: a ministry, an agency, a police force; a
 * body in quotation marks after its classifier; a spokesman speaks for his
 * body (not named himself). */
static void test_named_bodies(void **st)
{
    (void)st;
    run("وقالت وزارة الصحة اليمنية إن 14 شخصا قتلوا.");
    assert_int_equal(F.figures.n, 1);
    credited(0, "وزارة الصحة اليمنية");
    run("وكتبت منظمة \"أطباء بلا حدود\" أن 45 جريحا نقلوا إلى المستشفى.");
    assert_int_equal(F.figures.n, 1);
    credited(0, "أطباء بلا حدود");
    run("وقال الناطق باسم شرطة الولاية إن 7 أشخاص قتلوا في الانفجار.");
    assert_int_equal(F.figures.n, 1);
    credited(0, "شرطة الولاية");
    /* an unnamed head of a body speaks for it; a named one for himself */
    one_figure("قال المرصد السوري لحقوق الإنسان إن القصف استمر. وذكر مدير "
               "المرصد الجمعة أن 31 مدنيا قتلوا.",
               "المرصد السوري لحقوق الإنسان");
    one_figure("وقالت مديرة منظمة العفو الدولية ماريا فلوريس إن 12 شخصا اعتقلوا.",
               NULL);
    assert_non_null(source_of(0));
    assert_null(strstr(source_of(0), "منظمة"));
    /* a definite head points back to the body met before, unless its
     * adjective says it is another ("المفوضية الأوروبية") */
    run("وقالت مفوضية الأمم المتحدة لشؤون اللاجئين إن المخيمات ممتلئة. "
        "وذكرت المفوضية الأممية أن 9 مخيمات أقيمت. وقالت المفوضية الأوروبية "
        "إن 3 دول رفضت.");
    assert_int_equal(F.figures.n, 2);
    credited(0, "مفوضية الأمم المتحدة لشؤون اللاجئين");
    assert_non_null(source_of(1));
    assert_null(strstr(source_of(1), "اللاجئين"));
    /* the rank opens the man's name, it is not part of the body */
    run("وقال المتحدث باسم الجيش العقيد الركن سالم إن 20 مسلحا قتلوا.");
    assert_int_equal(F.figures.n, 1);
    assert_non_null(source_of(0));
    assert_null(strstr(source_of(0), "العقيد"));
}

/* "التقرير"، "البيان" after the text has named whose report it is: the
 * issuer speaks. */
static void test_document_issuer(void **st)
{
    (void)st;
    run("وأوضح تقرير صادر عن منظمة \"ائتلاف الإغاثة\" أن القصف خلف 117 "
        "يتيما.\nوأشار التقرير إلى أن 39 أسرة فقدت معيلها.");
    assert_int_equal(F.figures.n, 2);
    credited(0, "ائتلاف الإغاثة");
    credited(1, "ائتلاف الإغاثة");
    run("وقال المرصد السوري لحقوق الإنسان في بيان إن القصف استمر.\n"
        "وأضاف البيان أن 31 مدنيا قتلوا.");
    assert_int_equal(F.figures.n, 1);
    credited(0, "المرصد السوري لحقوق الإنسان");
    /* no issuer named: the document stays the speaker */
    run("وذكر التقرير أن 12 مدنيا قتلوا.");
    assert_int_equal(F.figures.n, 1);
    assert_non_null(source_of(0));
    assert_non_null(strstr(source_of(0), "تقرير"));
}

/* A quotation the cue opens covers its figures past the first full stop;
 * a figure after the closing mark is not covered by it. */
static void test_quoted_statement(void **st)
{
    (void)st;
    run("وقال المرصد السوري لحقوق الإنسان إن \"القصف استمر طوال الليل. وقتل "
        "فيه 18 مدنيا على الأقل\". وفي بلدة أخرى قتل 5 أشخاص.");
    assert_int_equal(F.figures.n, 2);
    credited(0, "المرصد السوري لحقوق الإنسان");
    credited(1, NULL);
}

/* A person no lexicon knows, named beside his title; the same man later
 * by his last name, spelt with other long vowels, is one speaker. */
static void test_unknown_names(void **st)
{
    (void)st;
    run("وقال زرداد قربانوف المتحدث باسم الشرطة إن 37 شخصا قتلوا.\n"
        "وقال قربنوف في وقت لاحق إن 40 آخرين أصيبوا.");
    assert_int_equal(F.figures.n, 2);
    credited(0, "زرداد قربانوف");
    credited(1, "زرداد قربانوف");
    run("وقال رئيس المجلس البلدي، كمال وردان، إن 16 شخصا قتلوا.");
    assert_int_equal(F.figures.n, 1);
    credited(0, "كمال وردان");
    /* a time is no name: "في وقت سابق" */
    run("وكانت الوكالة ذكرت في وقت سابق، أن 5 أشخاص قتلوا.");
    for (size_t k = 0; k < F.sources.n; k++)
        assert_null(strstr(F.sources.v[k].speaker, "وقت"));
}

/* The side of a vote share is its winner, of a sum given its donor, and a
 * country's government forces are its army. */
static void test_winners_donors_armies(void **st)
{
    (void)st;
    run("وحصل حزب العدالة والتنمية على 42.5 بالمئة من الأصوات بعد فرز 99 بالمئة منها.");
    assert_true(F.figures.n >= 2);
    assert_non_null(F.figures.v[0].side);
    assert_non_null(strstr(F.figures.v[0].side, "العدالة والتنمية"));
    assert_null(F.figures.v[1].side);
    run("وتعهدت الأمم المتحدة بتقديم 100 مليون دولار للنازحين.");
    assert_int_equal(F.figures.n, 1);
    assert_non_null(F.figures.v[0].side);
    assert_string_equal(F.figures.v[0].side, "الأمم المتحدة");
    run("وباتت القوات السورية الحكومية تسيطر على نحو 70 في المئة من الغوطة.");
    assert_int_equal(F.figures.n, 1);
    assert_non_null(F.figures.v[0].side);
    assert_string_equal(F.figures.v[0].side, "الجيش السوري");
    /* a toll that "reaped" lives has no winner */
    run("وحصد القصف أرواح 10 مدنيين.");
    assert_int_equal(F.figures.n, 1);
    assert_null(F.figures.v[0].side);
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
        cmocka_unit_test(test_named_bodies),
        cmocka_unit_test(test_document_issuer),
        cmocka_unit_test(test_quoted_statement),
        cmocka_unit_test(test_unknown_names),
        cmocka_unit_test(test_winners_donors_armies),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
