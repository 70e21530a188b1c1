/*
 * test_figures.c: the figure and source rules of src/extract/, each on
 * sentences written for these tests, plus a pathological input.
 */
#include "testutil.h"

#include "extract/extract.h"

static mr_facts F;

static void run(const char *s)
{
    assert_int_equal(mr_extract(s, strlen(s), NULL, &F), MARSAD_OK);
}

/* The text of figure i. */
static void span_is(const char *s, size_t i, const char *want)
{
    assert_true(i < F.figures.n);
    const mr_figure *g = &F.figures.v[i];
    assert_int_equal(g->end - g->start, strlen(want));
    assert_memory_equal(s + g->start, want, strlen(want));
}

static void span_event_is(const char *s, size_t i, const char *span, const char *event)
{
    span_is(s, i, span);
    assert_string_equal(F.figures.v[i].event, event);
}

static void test_killed_with_breakdown(void **st)
{
    (void)st;
    const char *s = "أسفر القصف عن مقتل 45 مدنيا بينهم 12 طفلا.";
    run(s);
    assert_int_equal(F.figures.n, 2);
    span_is(s, 0, "45 مدنيا");
    assert_string_equal(F.figures.v[0].counted, "مدني");
    assert_string_equal(F.figures.v[0].category, "civilians");
    assert_string_equal(F.figures.v[0].event, "killed");
    span_is(s, 1, "12 طفلا");
    assert_string_equal(F.figures.v[1].category, "children");
    assert_int_equal(F.figures.v[1].part_of, 0);
    assert_string_equal(F.figures.v[1].event, "killed");
}

static void test_not_figures(void **st)
{
    (void)st;
    run("وفي عام 2015 عاد الوفد بعد 3 سنوات من الغياب، يوم 12 أكتوبر.");
    assert_int_equal(F.figures.n, 0);
}

static void test_coordination_glued_waw(void **st)
{
    (void)st;
    const char *s = "وأعلن الجيش مقتل 20 جنديا و35 مسلحا في الاشتباكات.";
    run(s);
    assert_int_equal(F.figures.n, 2);
    span_is(s, 1, "35 مسلحا");
    assert_string_equal(F.figures.v[0].event, "killed");
    assert_string_equal(F.figures.v[1].event, "killed");
    assert_string_equal(F.figures.v[1].category, "fighters");
}

static void test_event_after_and_qualifier(void **st)
{
    (void)st;
    const char *s = "قال مسؤولون محليون إن أكثر من 900 شخص فروا من القرية.";
    run(s);
    assert_int_equal(F.figures.n, 1);
    span_is(s, 0, "أكثر من 900 شخص");
    assert_int_equal(F.figures.v[0].qualifier, MARSAD_Q_MORE_THAN);
    assert_false(F.figures.v[0].has_max);
    assert_string_equal(F.figures.v[0].event, "fled");
    assert_int_equal(F.figures.v[0].source, 0);
    assert_int_equal(F.sources.v[0].covers, MR_COVERS_FIGURE);
    assert_string_equal(F.sources.v[0].cue, "قال");
}

static void test_multiple_and_fraction(void **st)
{
    (void)st;
    const char *s = "أصيب 40 شخصا ونحو ضعف هذا العدد من المدنيين. "
                    "وتسيطر القوات على ربع مساحة البلاد.";
    run(s);
    assert_int_equal(F.figures.n, 3);
    assert_int_equal(F.figures.v[1].qualifier, MARSAD_Q_MULTIPLE);
    assert_true(F.figures.v[1].min == 80 && F.figures.v[1].max == 80);
    assert_string_equal(F.figures.v[1].category, "civilians");
    assert_true(F.figures.v[2].min == 25);
    assert_string_equal(F.figures.v[2].category, "percent");
}

static void test_descriptive_source(void **st)
{
    (void)st;
    run("وحسب مصادر محلية فإن نحو 70 عائلة نزحت من البلدة.");
    assert_int_equal(F.sources.n, 1);
    assert_string_equal(F.sources.v[0].speaker, "مصادر محلية");
    assert_string_equal(F.sources.v[0].cue, "حسب");
    assert_int_equal(F.figures.n, 1);
    assert_string_equal(F.figures.v[0].category, "families");
    assert_string_equal(F.figures.v[0].event, "displaced");
    assert_int_equal(F.figures.v[0].source, 0);
}

static void test_names_and_ordinals(void **st)
{
    (void)st;
    run("وقال رئيس جهاز «إم آي 6» في الذكرى السبعين للنكبة إن 4 فبراير يوم مهم.");
    assert_int_equal(F.figures.n, 0);
}

/* A second noun joined by و, also with the article after من: a mixed
 * group (civilians and fighters, women or children and men) is persons,
 * the span holds both nouns. */
static void test_mixed_group_after_min(void **st)
{
    (void)st;
    const char *s = "وقتل المئات من المدنيين والجنود في الهجمات، ونزح آلاف المقاتلين "
                    "والمدنيين، وقتل 5 من المدنيين والأطفال، وخطف المسلحون الآلاف "
                    "من النساء والرجال.";
    run(s);
    assert_int_equal(F.figures.n, 4);
    const char *want[][2] = {{"المئات من المدنيين والجنود", "persons"},
                             {"آلاف المقاتلين والمدنيين", "persons"},
                             {"5 من المدنيين والأطفال", "civilians"},
                             {"الآلاف من النساء والرجال", "persons"}};
    for (size_t i = 0; i < 4; i++) {
        span_is(s, i, want[i][0]);
        assert_string_equal(F.figures.v[i].category, want[i][1]);
    }
}

static void test_others_and_nisba(void **st)
{
    (void)st;
    const char *s = "قتل 17 فلسطينيا وأصيب نحو 1500 آخرين.";
    run(s);
    assert_int_equal(F.figures.n, 2);
    assert_string_equal(F.figures.v[0].category, "persons");
    assert_string_equal(F.figures.v[0].counted, "فلسطيني");
    assert_string_equal(F.figures.v[0].event, "killed");
    assert_string_equal(F.figures.v[1].counted, "فلسطيني");
    assert_string_equal(F.figures.v[1].event, "injured");
    assert_int_equal(F.figures.v[1].qualifier, MARSAD_Q_APPROX);
}

static void test_percent_and_money(void **st)
{
    (void)st;
    const char *s = "ارتفعت البطالة إلى 12 في المئة، وبلغت الخسائر 300 مليون دولار.";
    run(s);
    assert_int_equal(F.figures.n, 2);
    span_is(s, 0, "12 في المئة");
    assert_string_equal(F.figures.v[0].category, "percent");
    assert_string_equal(F.figures.v[1].category, "money");
    assert_true(F.figures.v[1].min == 300e6);
    assert_string_equal(F.figures.v[1].event, "other");
}

static void test_counted_noun_is_the_event(void **st)
{
    (void)st;
    run("سجلت المستشفيات 24 قتيلا في المدينة.");
    assert_int_equal(F.figures.n, 1);
    assert_string_equal(F.figures.v[0].event, "killed");
    run("وصل 194 والجرحى إلى المستشفى.");
    assert_int_equal(F.figures.n, 0);
}

static void test_bare_counts_and_noun_events(void **st)
{
    (void)st;
    /* a count with no noun after an event noun; a noun that carries its
     * own event wins over a verb in the next clause */
    const char *s = "وسجلت المحافظة 170 قتيلا و284 جريحا فيما سجلت محافظة "
                    "أخرى مقتل 64 وإصابة 74 آخرين، ثم نينوى ب101 قتيل وجرح 28.";
    run(s);
    assert_int_equal(F.figures.n, 6);
    span_is(s, 1, "284 جريحا");
    assert_string_equal(F.figures.v[1].event, "injured");
    span_is(s, 2, "64");
    assert_string_equal(F.figures.v[2].event, "killed");
    assert_string_equal(F.figures.v[2].category, "persons");
    assert_string_equal(F.figures.v[3].event, "injured");
    span_is(s, 4, "101 قتيل");
    assert_string_equal(F.figures.v[4].event, "killed");
    span_is(s, 5, "28");
    assert_string_equal(F.figures.v[5].event, "injured");
    /* the dead and the wounded counted together */
    run("وأسفر الهجوم عن سقوط 50 بين قتيل وجريح، وأدى التفجير إلى مقتل "
        "وإصابة 20 عراقيًا.");
    assert_int_equal(F.figures.n, 2);
    assert_string_equal(F.figures.v[0].event, "casualties");
    assert_string_equal(F.figures.v[1].event, "casualties");
    assert_string_equal(F.figures.v[1].counted, "عراقي");
    assert_string_equal(F.figures.v[1].category, "persons");
    /* a breakdown shares its whole's event; "others" after it are others
     * of the whole */
    s = "وأسفر القصف وفق المرصد عن مقتل 628 مدنيا بينهم 151 طفلا، وإصابة "
        "أكثر من 3500 آخرين بجروح.";
    run(s);
    assert_int_equal(F.figures.n, 3);
    assert_string_equal(F.figures.v[1].event, "killed");
    assert_int_equal(F.figures.v[1].part_of, 0);
    assert_string_equal(F.figures.v[2].event, "injured");
    assert_string_equal(F.figures.v[2].counted, "مدني");
    assert_string_equal(F.figures.v[2].category, "civilians");
    /* a noun pair says what is counted, over the verb before it */
    run("سقط 30 قتيلا وجريحا في الانفجار، وخلف القصف عشرات القتلى "
        "والجرحى.");
    assert_int_equal(F.figures.n, 2);
    assert_string_equal(F.figures.v[0].event, "casualties");
    assert_string_equal(F.figures.v[1].event, "casualties");
    /* two clauses, each with its count; a cause is not a side */
    s = "وقال إن 174 من المدنيين قتلوا وأصيب 453 آخرون بجروح جراء القتال "
        "بين القوات الأمنية وعناصر تنظيم داعش.";
    run(s);
    assert_int_equal(F.figures.n, 2);
    assert_string_equal(F.figures.v[0].event, "killed");
    assert_string_equal(F.figures.v[1].event, "injured");
    assert_null(F.figures.v[1].side);
    /* forces named by their description are sides */
    s = "قتل 20 جنديا من القوات الحكومية و15 عنصرا من قوات النظام السوري، "
        "وأصيب 9 من عناصر الشرطة العراقية، ونقل 30 شخصا من سكان القرية إلى "
        "الشرطة.";
    run(s);
    assert_int_equal(F.figures.n, 4);
    assert_string_equal(F.figures.v[0].side, "القوات الحكومية");
    assert_string_equal(F.figures.v[1].side, "قوات النظام السوري");
    assert_string_equal(F.figures.v[2].side, "الشرطة العراقية");
    assert_null(F.figures.v[3].side);
    /* a plural verb far after the count, past the group it names */
    s = "وأكد البيان أن 488 عنصرا من منتسبي قوات الأمن العراقية وقوات "
        "البيشمركة وقوات المهام الخاصة والحشد الشعبي قتلوا خلال الشهر.";
    run(s);
    assert_int_equal(F.figures.n, 1);
    assert_string_equal(F.figures.v[0].event, "killed");
    /* years and other numbers after an event noun stay out */
    run("وتذكر الجميع مقتل 2014 ووفاة 3.5 في المئة.");
    for (size_t i = 0; i < F.figures.n; i++)
        assert_true(F.figures.v[i].min != 2014);
}

static void test_bodies_as_sources(void **st)
{
    (void)st;
    const char *s = "وقالت بعثة الأمم المتحدة لمساعدة العراق إن 1300 مدني "
                    "قتلوا، وقال الممثل الخاص للأمين العام في العراق يان "
                    "كوبيتش إنه قلق.";
    run(s);
    assert_true(F.sources.n >= 2);
    assert_string_equal(F.sources.v[0].speaker,
                        "بعثة الأمم المتحدة لمساعدة العراق");
    assert_string_equal(F.sources.v[1].speaker, "يان كوبيتش");
    assert_int_equal(F.figures.v[0].source, 0);
    /* a document's issuer is the source; a spokesman speaks for a body */
    s = "وقتل 17 شخصا بحسب حصيلة مؤقتة أعلنتها السلطات المحلية، ومات 9 "
        "أشخاص بحسب بيان صادر عن محافظة القاهرة، وقال متحدث باسم الحرس "
        "البحري التونسي إن 23 مهاجرا غرقوا.";
    run(s);
    assert_int_equal(F.sources.n, 3);
    assert_string_equal(F.sources.v[0].speaker, "السلطات المحلية");
    assert_string_equal(F.sources.v[1].speaker, "محافظة القاهرة");
    assert_string_equal(F.sources.v[2].speaker,
                        "الحرس البحري التونسي");
    assert_int_equal(F.figures.v[0].source, 0);
    assert_int_equal(F.figures.v[1].source, 1);
    assert_int_equal(F.figures.v[2].source, 2);
    /* a spokesman's name is the speaker, not the office */
    s = "وقال المتحدث باسم التحالف لدعم الشرعية في اليمن تركي المالكي إن "
        "القوات أسرت 40 مقاتلا.";
    run(s);
    assert_true(F.sources.n >= 1);
    assert_string_equal(F.sources.v[0].speaker, "تركي المالكي");
}

static void test_chain_and_clause_scope(void **st)
{
    (void)st;
    const char *s = "ذكرت صحف محلية أن القصف أسفر عن مقتل 12 شخصا، "
                    "بحسب شهود عيان.";
    run(s);
    assert_int_equal(F.sources.n, 2);
    assert_string_equal(F.sources.v[1].cue, "بحسب");
    assert_int_equal(F.sources.v[1].via, 0);
    assert_int_equal(F.figures.n, 1);
    assert_int_equal(F.figures.v[0].source, 1);
    assert_int_equal(F.sources.v[0].covers, MR_COVERS_FIGURE);
}

/* 10^5 numbers and 10^5 quote marks: every figure found, nothing else. */
/* "على الأقل" after the counted noun closes the figure (the span runs over
 * it); cut off by a verb it still qualifies the count; a number between
 * them stops it. */
static void test_trailing_at_least(void **st)
{
    (void)st;
    const char *s = "قتل 12 شخصا على الأقل في القصف. "
                    "ولقي 9 مسعفين حتفهم على الأقل. "
                    "وأصيب 4 جنود و30 مدنيا على الأقل.";
    run(s);
    assert_int_equal(F.figures.n, 4);
    span_is(s, 0, "12 شخصا على الأقل");
    assert_int_equal(F.figures.v[0].qualifier, MARSAD_Q_AT_LEAST);
    assert_false(F.figures.v[0].has_max);
    span_is(s, 1, "9 مسعفين");
    assert_int_equal(F.figures.v[1].qualifier, MARSAD_Q_AT_LEAST);
    assert_int_equal(F.figures.v[2].qualifier, MARSAD_Q_EXACT);
    assert_true(F.figures.v[2].has_max);
    span_is(s, 3, "30 مدنيا على الأقل");
    assert_int_equal(F.figures.v[3].qualifier, MARSAD_Q_AT_LEAST);
}

/* A verb before the number carries its qualifier, the span stays on the
 * number: تجاوز (more_than), لا يتعدى (up_to), تحت عتبة (less_than). */
static void test_verb_qualifier(void **st)
{
    (void)st;
    const char *s = "تجاوزت نسبة الإقبال 55 في المئة. "
                    "ولا يتعدى راتب المعلم 80 دولارا. "
                    "وبقي العجز تحت عتبة 3 في المئة.";
    run(s);
    assert_int_equal(F.figures.n, 3);
    span_is(s, 0, "55 في المئة");
    assert_int_equal(F.figures.v[0].qualifier, MARSAD_Q_MORE_THAN);
    assert_false(F.figures.v[0].has_max);
    assert_int_equal(F.figures.v[1].qualifier, MARSAD_Q_UP_TO);
    assert_false(F.figures.v[1].has_min);
    assert_int_equal(F.figures.v[2].qualifier, MARSAD_Q_LESS_THAN);
}

/* واحد/اثنان in words are not figures; a nisba plural outside the lexicon
 * counts persons under its singular. */
static void test_words_one_two_and_nisba_plural(void **st)
{
    (void)st;
    const char *s = "اعتقلت الشرطة اثنين من المهربين وقتل سبعة نيباليين.";
    run(s);
    assert_int_equal(F.figures.n, 1);
    span_is(s, 0, "سبعة نيباليين");
    assert_string_equal(F.figures.v[0].counted, "نيبالي");
    assert_string_equal(F.figures.v[0].category, "persons");
    assert_string_equal(F.figures.v[0].event, "killed");
}

/* The event from a toll noun before the number ("ارتفع عدد الجرحى ...
 * إلى"); a victim noun keeps its meaning over a verb (نقل 30 جريحا); a
 * thing is no victim (أطلقت 12 صاروخا ... قتل). */
static void test_toll_noun_and_victim_nouns(void **st)
{
    (void)st;
    const char *s = "وارتفع عدد الجرحى في المدينة خلال الليل إلى 75 شخصا. "
                    "ونقلت سيارات الإسعاف 30 جريحا إلى المستشفى. "
                    "وقتل القصف بـ12 صاروخا عائلة كاملة.";
    run(s);
    assert_int_equal(F.figures.n, 3);
    span_is(s, 0, "75 شخصا");
    assert_string_equal(F.figures.v[0].event, "injured");
    assert_string_equal(F.figures.v[1].event, "injured");
    span_is(s, 2, "12 صاروخا");
    assert_string_equal(F.figures.v[2].event, "other");
}

/* An event noun joined by و after a count governs the next number: "12
 * شخصا وإصابة 30 آخرين" are two figures, killed and injured. */
static void test_event_noun_not_a_second_noun(void **st)
{
    (void)st;
    const char *s = "أسفر الانفجار عن مقتل 12 شخصا وإصابة 30 آخرين.";
    run(s);
    assert_int_equal(F.figures.n, 2);
    span_is(s, 0, "12 شخصا");
    assert_string_equal(F.figures.v[0].event, "killed");
    assert_string_equal(F.figures.v[1].event, "injured");
    assert_string_equal(F.figures.v[1].category, "persons");
}

/* A bare vague numeral governed by an event is a count of people, with
 * the numbers layer's bounds: "وأصيب العشرات"، "قتلت الغارات المئات"،
 * "نزوح عشرات الآلاف". */
static void test_bare_vague_victims(void **st)
{
    (void)st;
    const char *s = "قتل 9 أشخاص وأصيب العشرات في الانفجار. "
                    "وقتلت الغارات المئات. "
                    "وتسبب القتال في نزوح عشرات الآلاف.";
    run(s);
    assert_int_equal(F.figures.n, 4);
    span_is(s, 1, "العشرات");
    assert_string_equal(F.figures.v[1].event, "injured");
    assert_string_equal(F.figures.v[1].category, "persons");
    assert_true(F.figures.v[1].min == 20 && F.figures.v[1].max == 99);
    span_is(s, 2, "المئات");
    assert_string_equal(F.figures.v[2].event, "killed");
    span_is(s, 3, "عشرات الآلاف");
    assert_string_equal(F.figures.v[3].event, "displaced");
    assert_true(F.figures.v[3].min == 20000 && F.figures.v[3].max == 99999);
    /* a bare count that a plural event verb has for subject, after أن/إن;
     * not a bare number before another verb */
    s = "وقال المرصد إن 50 ألفا غادروا الجيب، وذكر أن العشرات قتلوا. "
        "وأعلنت الوزارة أن 3 وصلوا أمس.";
    run(s);
    assert_int_equal(F.figures.n, 2);
    span_event_is(s, 0, "50 ألفا", "left");
    span_event_is(s, 1, "العشرات", "killed");
    /* a date between the event verb and its bare count; not a number
     * after a date alone */
    s = "وقال ضابط إنه قتل ليلة أمس 5 وجرح 4 في الهجوم. ووصل الخميس 7 إلى المدينة.";
    run(s);
    assert_int_equal(F.figures.n, 2);
    span_event_is(s, 0, "5", "killed");
    span_event_is(s, 1, "4", "injured");
}

/* "خمسة من رجال الأمن" are soldiers; a relative verb after a comma gives
 * the event ("ستة من عناصر الشرطة، قتلوا ليلا"); a toll noun before a
 * date still governs the number after it. */
static void test_security_men_and_relative_verb(void **st)
{
    (void)st;
    const char *s = "شيع السكان ستة من رجال الأمن، قتلوا ليلا. "
                    "وبلغت حصيلة القتلى منذ 12 آذار إلى 140 شخصا.";
    run(s);
    assert_int_equal(F.figures.n, 2);
    span_is(s, 0, "ستة من رجال الأمن");
    assert_string_equal(F.figures.v[0].category, "soldiers");
    assert_string_equal(F.figures.v[0].event, "killed");
    span_is(s, 1, "140 شخصا");
    assert_string_equal(F.figures.v[1].event, "killed");
}

/* Shares: a fraction with a pronoun is part of the group before it and
 * shares its event; a fraction of a victim noun takes that noun's event. */
static void test_shares(void **st)
{
    (void)st;
    const char *s = "قتل 220 شخصا، أكثر من نصفهم من المدنيين. "
                    "وكان ثلث الضحايا من الأطفال.";
    run(s);
    assert_int_equal(F.figures.n, 3);
    span_is(s, 1, "أكثر من نصفهم");
    assert_int_equal(F.figures.v[1].qualifier, MARSAD_Q_MORE_THAN);
    assert_true(F.figures.v[1].min == 50);
    assert_string_equal(F.figures.v[1].category, "percent");
    assert_string_equal(F.figures.v[1].event, "killed");
    assert_int_equal(F.figures.v[1].part_of, 0);
    span_is(s, 2, "ثلث الضحايا");
    assert_true(F.figures.v[2].min == 33.33);
    assert_string_equal(F.figures.v[2].event, "killed");
}

/* بينهم after a predicate still breaks down the count before it. */
static void test_breakdown_after_predicate(void **st)
{
    (void)st;
    const char *s = "وقال الأطباء إن 30 شخصا من القتلى مدنيون، بينهم خمسة أطفال.";
    run(s);
    assert_int_equal(F.figures.n, 2);
    assert_int_equal(F.figures.v[1].part_of, 0);
    assert_string_equal(F.figures.v[1].event, "killed");
}

/* A plural verb after a breakdown is the whole's: "N بينهم M توفوا"; the
 * breakdown's own words are not ("48 بينهم 31 قيد الاحتجاز"). */
static void test_verb_after_breakdown(void **st)
{
    (void)st;
    run("وقال الطبيب إن 14 شخصا بينهم ثلاثة أطفال توفوا في الملجأ.");
    assert_int_equal(F.figures.n, 2);
    assert_string_equal(F.figures.v[0].event, "killed");
    assert_int_equal(F.figures.v[1].part_of, 0);
    assert_string_equal(F.figures.v[1].event, "killed");
    run("وأحالت النيابة 48 شخصا بينهم 31 قيد الاحتجاز إلى المحكمة.");
    assert_true(F.figures.n >= 1);
    assert_string_not_equal(F.figures.v[0].event, "arrested");
}

/* A number without a noun right after بينهم/منهم/منها is a part of the
 * count before it, counting what that counts. */
static void test_bare_breakdown(void **st)
{
    (void)st;
    run("وأصيب 40 شخصا بينهم 7 في حالة حرجة.");
    assert_int_equal(F.figures.n, 2);
    assert_int_equal(F.figures.v[1].part_of, 0);
    assert_string_equal(F.figures.v[1].event, "injured");
    run("وسجل اللاعب 31 هدفا منها 8 في الكأس.");
    assert_int_equal(F.figures.n, 2);
    assert_int_equal(F.figures.v[1].part_of, 0);
    assert_string_equal(F.figures.v[1].category, F.figures.v[0].category);
    run("وقتل 300 شخص في 5 دول، بينهم 120 في الهند.");
    assert_int_equal(F.figures.n, 3);
    assert_string_not_equal(F.figures.v[2].category, "countries");
}

/* A bare number that a toll noun carries to (إلى، بلغ، هو) counts its
 * victims; a day of a month after the toll noun does not. */
static void test_bare_toll(void **st)
{
    (void)st;
    const char *s = "وارتفعت حصيلة القتلى في الفيضانات إلى 64.";
    run(s);
    assert_int_equal(F.figures.n, 1);
    span_is(s, 0, "64");
    assert_string_equal(F.figures.v[0].event, "killed");
    run("وقال المسؤول إن عدد الجرحى بلغ 230 في المساء.");
    assert_int_equal(F.figures.n, 1);
    assert_string_equal(F.figures.v[0].event, "injured");
    run("وارتفع عدد القتلى منذ بدء الهجوم في 13 من حزيران الماضي.");
    assert_int_equal(F.figures.n, 0);
}

/* A quotation mark glued to the number before its noun is read through;
 * one closing a quoted name is not. */
static void test_quote_before_noun(void **st)
{
    (void)st;
    const char *s = "وقالت مصادر طبية إن 23\" قتيلا سقطوا في القرية\".";
    run(s);
    assert_int_equal(F.figures.n, 1);
    span_is(s, 0, "23\" قتيلا");
    assert_string_equal(F.figures.v[0].event, "killed");
    run("وحلقت طائرات \"إف 16\" قتالية فوق المدينة.");
    assert_int_equal(F.figures.n, 0);
}

/* Sentence s holds one figure; its event is (or, with is false, is not)
 * `event`. */
static void sole_event(const char *s, const char *event, bool is)
{
    run(s);
    assert_int_equal(F.figures.n, 1);
    if (is)
        assert_string_equal(F.figures.v[0].event, event);
    else
        assert_string_not_equal(F.figures.v[0].event, event);
}

/* راح ضحيته is a death; كان ضحيتها is not; a victim noun after the figure
 * is what it was the victim of. Suffocation cases are injured. */
static void test_victim_idioms_and_suffocation(void **st)
{
    (void)st;
    sole_event("وقع الانفجار الذي راح ضحيته 23 عاملا في المصنع.", "killed",
               true);
    sole_event("وكشف التقرير عن انتهاكات كان ضحيتها نحو 300 طفل.", "killed",
               false);
    sole_event("وسجلت المدينة 500 حادثة كان ضحيتها شبان.", "killed", false);
    sole_event("وأفاد المسعفون بتسجيل 35 حالة اختناق في الحي.", "injured",
               true);
    sole_event("وتركت العصابة 12 رجلا يموتون في الشاحنة.", "killed", true);
}

static void test_pathological(void **st)
{
    (void)st;
    const char unit[] = "7 أطفال “ ";
    size_t n = 100000, ul = strlen(unit);
    char *s = malloc(n * ul + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * ul, unit, ul);
    s[n * ul] = 0;
    assert_int_equal(mr_extract(s, n * ul, NULL, &F), MARSAD_OK);
    /* all are read; the first MR_FIGURES_MAX are kept, the rest counted */
    assert_int_equal(F.figures.n, MR_FIGURES_MAX);
    assert_int_equal(F.figures_dropped, n - MR_FIGURES_MAX);
    assert_string_equal(F.figures.v[MR_FIGURES_MAX - 1].category, "children");
    assert_true(F.figures.v[MR_FIGURES_MAX - 1].start <
                MR_FIGURES_MAX * ul);
    free(s);
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
        cmocka_unit_test(test_killed_with_breakdown),
        cmocka_unit_test(test_not_figures),
        cmocka_unit_test(test_coordination_glued_waw),
        cmocka_unit_test(test_event_after_and_qualifier),
        cmocka_unit_test(test_multiple_and_fraction),
        cmocka_unit_test(test_descriptive_source),
        cmocka_unit_test(test_names_and_ordinals),
        cmocka_unit_test(test_others_and_nisba),
        cmocka_unit_test(test_percent_and_money),
        cmocka_unit_test(test_counted_noun_is_the_event),
        cmocka_unit_test(test_bare_counts_and_noun_events),
        cmocka_unit_test(test_bodies_as_sources),
        cmocka_unit_test(test_chain_and_clause_scope),
        cmocka_unit_test(test_trailing_at_least),
        cmocka_unit_test(test_verb_qualifier),
        cmocka_unit_test(test_words_one_two_and_nisba_plural),
        cmocka_unit_test(test_toll_noun_and_victim_nouns),
        cmocka_unit_test(test_event_noun_not_a_second_noun),
        cmocka_unit_test(test_bare_vague_victims),
        cmocka_unit_test(test_mixed_group_after_min),
        cmocka_unit_test(test_security_men_and_relative_verb),
        cmocka_unit_test(test_shares),
        cmocka_unit_test(test_breakdown_after_predicate),
        cmocka_unit_test(test_verb_after_breakdown),
        cmocka_unit_test(test_bare_breakdown),
        cmocka_unit_test(test_bare_toll),
        cmocka_unit_test(test_quote_before_noun),
        cmocka_unit_test(test_victim_idioms_and_suffocation),
        cmocka_unit_test(test_pathological),
    };
    int rc = cmocka_run_group_tests(tests, NULL, teardown);
    return rc;
}
