/*
 * test_extract_entities.c: the entity, date and quote stages, each rule on
 * sentences of our own, and recall over the seeds against the gold.
 */
#include "testutil.h"

#include "extract/extract.h"
#include "extract/facts_util.h"

/* Runs the three stages over s; the caller frees with done(). */
static void run(mr_facts *f, const char *s, const char *published)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(mr_toks_build(&f->toks, s, strlen(s), 0), MARSAD_OK);
    mr_extract_opts o = {published, NULL};
    assert_int_equal(mr_extract_entities(s, strlen(s), f), MARSAD_OK);
    assert_int_equal(mr_extract_dates(s, strlen(s), &o, f), MARSAD_OK);
    assert_int_equal(mr_extract_quotes(s, strlen(s), f), MARSAD_OK);
}

static void done(mr_facts *f)
{
    free(f->entities.v);
    free(f->dates.v);
    free(f->quotes.v);
    mr_toks_free(&f->toks);
    mr_arena_free(&f->arena);
}

/* The entity whose span text is `text`, or NULL. */
static const mr_entity *ent(const mr_facts *f, const char *s, const char *text)
{
    for (size_t i = 0; i < f->entities.n; i++) {
        const mr_entity *e = &f->entities.v[i];
        if (e->end - e->start == strlen(text) &&
            !memcmp(s + e->start, text, strlen(text)))
            return e;
    }
    return NULL;
}

static void expect_ent(const mr_facts *f, const char *s, const char *text,
                       mr_entity_kind kind, const char *canonical)
{
    const mr_entity *e = ent(f, s, text);
    if (!e)
        fail_msg("no entity \"%s\"", text);
    assert_int_equal(e->kind, kind);
    assert_string_equal(e->canonical, canonical);
}

static void vec_push_grows_and_zeroes(void **state)
{
    (void)state;
    mr_facts f;
    memset(&f, 0, sizeof f);
    for (int i = 0; i < 100; i++) {
        mr_entity *e = MR_VEC_PUSH(f.entities);
        assert_non_null(e);
        assert_int_equal(e->start, 0);
        assert_null(e->canonical);
        e->start = (uint32_t)i;
    }
    assert_int_equal(f.entities.n, 100);
    assert_true(f.entities.cap >= 100);
    assert_int_equal(f.entities.v[99].start, 99);
    free(f.entities.v);
}

static void stages_reject_null(void **state)
{
    (void)state;
    assert_int_equal(mr_extract_entities("x", 1, NULL), MARSAD_E_ARG);
    assert_int_equal(mr_extract_dates("x", 1, NULL, NULL), MARSAD_E_ARG);
    assert_int_equal(mr_extract_quotes("x", 1, NULL), MARSAD_E_ARG);
}

static void gazetteer_longest_match_and_clitics(void **state)
{
    (void)state;
    const char *s = "وصلت وفود من قوات سوريا الديموقراطية وبالباغوز إلى "
                    "العراق للقاء ممثلي الأمم المتحدة.";
    mr_facts f;
    run(&f, s, NULL);
    expect_ent(&f, s, "قوات سوريا الديموقراطية", MR_ENT_ORG,
               "قوات سوريا الديمقراطية");
    expect_ent(&f, s, "الباغوز", MR_ENT_PLACE, "الباغوز");
    expect_ent(&f, s, "العراق", MR_ENT_PLACE, "العراق");
    expect_ent(&f, s, "الأمم المتحدة", MR_ENT_ORG, "الأمم المتحدة");
    assert_null(ent(&f, s, "سوريا")); /* flat: not inside the SDF */
    done(&f);
}

static void aliases_meet_one_canonical(void **state)
{
    (void)state;
    const char *s = "هاجمت قسد مواقع داعش قرب باغوز بدعم من أمريكا "
                    "وللأمم المتحدة مراقبون.";
    mr_facts f;
    run(&f, s, NULL);
    expect_ent(&f, s, "قسد", MR_ENT_ORG, "قوات سوريا الديمقراطية");
    expect_ent(&f, s, "داعش", MR_ENT_ORG, "تنظيم داعش");
    expect_ent(&f, s, "باغوز", MR_ENT_PLACE, "الباغوز");
    expect_ent(&f, s, "أمريكا", MR_ENT_PLACE, "الولايات المتحدة");
    expect_ent(&f, s, "للأمم المتحدة", MR_ENT_ORG, "الأمم المتحدة");
    done(&f);
}

static void classifiers_left_out_or_kept(void **state)
{
    (void)state;
    const char *s = "نزح السكان من قرية «الخربة» ومن مدينة منبج نحو حقل "
                    "التنك النفطي، ثم نقلوا إلى سجن غويران. وذكرت صحيفة "
                    "«الوطن» ووكالة رويترز ذلك.";
    mr_facts f;
    run(&f, s, NULL);
    expect_ent(&f, s, "الخربة", MR_ENT_PLACE, "الخربة");
    expect_ent(&f, s, "منبج", MR_ENT_PLACE, "منبج");
    expect_ent(&f, s, "حقل التنك النفطي", MR_ENT_PLACE, "حقل التنك النفطي");
    expect_ent(&f, s, "الوطن", MR_ENT_OUTLET, "صحيفة الوطن");
    expect_ent(&f, s, "رويترز", MR_ENT_OUTLET, "وكالة رويترز");
    assert_null(ent(&f, s, "مدينة منبج"));
    done(&f);
}

static void persons_from_first_names_and_cues(void **state)
{
    (void)state;
    const char *s = "وقال الوزير جيمس هاريسون إن الوضع صعب، ثم عاد "
                    "هاريسون إلى بلاده. ويقول كوهلر، إن الخطر قائم. وأعلن "
                    "أبو محمد العدناني ذلك، وسار على الطريق.";
    mr_facts f;
    run(&f, s, NULL);
    expect_ent(&f, s, "جيمس هاريسون", MR_ENT_PERSON, "جيمس هاريسون");
    expect_ent(&f, s, "هاريسون", MR_ENT_PERSON, "جيمس هاريسون");
    expect_ent(&f, s, "كوهلر", MR_ENT_PERSON, "كوهلر");
    expect_ent(&f, s, "أبو محمد العدناني", MR_ENT_PERSON, "أبو محمد العدناني");
    assert_null(ent(&f, s, "على الطريق")); /* على is not the name علي */
    assert_null(ent(&f, s, "الوزير جيمس هاريسون"));
    done(&f);
}

static void named_bodies_and_anaphors(void **state)
{
    (void)state;
    const char *s = "أصدرت الشبكة الليبية لحقوق الإنسان تقريرا، وقال المرصد "
                    "إن التنظيم انسحب.";
    mr_facts f;
    run(&f, s, NULL);
    expect_ent(&f, s, "الشبكة الليبية لحقوق الإنسان", MR_ENT_ORG,
               "الشبكة الليبية لحقوق الإنسان");
    assert_null(ent(&f, s, "المرصد"));
    assert_null(ent(&f, s, "التنظيم"));
    done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vec_push_grows_and_zeroes),
        cmocka_unit_test(stages_reject_null),
        cmocka_unit_test(gazetteer_longest_match_and_clitics),
        cmocka_unit_test(aliases_meet_one_canonical),
        cmocka_unit_test(classifiers_left_out_or_kept),
        cmocka_unit_test(persons_from_first_names_and_cues),
        cmocka_unit_test(named_bodies_and_anaphors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
