/*
 * test_numbers.c: the number reader's API: argument checks, the
 * token-level fields of mr_numbers_find, early stop, bad input, and a
 * pathological text of 10^5 numbers (correct output only; no timing).
 */
#include "testutil.h"

#include "text/numbers.h"

typedef struct list {
    mr_number v[64];
    size_t n;
} list;

static int keep(const mr_number *m, void *ctx)
{
    list *l = ctx;
    if (l->n < 64)
        l->v[l->n] = *m;
    l->n++;
    return 0;
}

static void find(const char *s, list *l)
{
    mr_toks tv;
    memset(&tv, 0, sizeof tv);
    memset(l, 0, sizeof *l);
    assert_int_equal(mr_toks_build(&tv, s, strlen(s), 0), MARSAD_OK);
    assert_int_equal(mr_numbers_find(&tv, s, strlen(s), keep, l), MARSAD_OK);
    mr_toks_free(&tv);
}

static int count_pub(const marsad_number *n, void *ctx)
{
    (void)n;
    (*(size_t *)ctx)++;
    return 0;
}

static int stop_first(const marsad_number *n, void *ctx)
{
    (void)n;
    (*(size_t *)ctx)++;
    return 1;
}

static void rejects_null_arguments(void **state)
{
    (void)state;
    size_t n = 0;
    assert_int_equal(marsad_numbers_scan(NULL, 5, count_pub, &n), MARSAD_E_ARG);
    assert_int_equal(marsad_numbers_scan("12", 2, NULL, &n), MARSAD_E_ARG);
    assert_int_equal(marsad_numbers_scan(NULL, 0, count_pub, &n), MARSAD_OK);
    assert_int_equal(n, 0);
    assert_int_equal(mr_numbers_find(NULL, "x", 1, keep, NULL), MARSAD_E_ARG);
    assert_string_equal(marsad_qualifier_name(MARSAD_Q_MORE_THAN), "more_than");
    assert_string_equal(marsad_qualifier_name((marsad_qualifier)99), "exact");
    assert_int_equal(mr_qualifier_parse("up_to"), MARSAD_Q_UP_TO);
    assert_int_equal(mr_qualifier_parse("nonsense"), -1);
}

static void stops_when_asked(void **state)
{
    (void)state;
    const char *s = "قتل 5 وجرح 7 وفقد 9";
    size_t n = 0;
    assert_int_equal(marsad_numbers_scan(s, strlen(s), count_pub, &n), MARSAD_OK);
    assert_int_equal(n, 3);
    n = 0;
    assert_int_equal(marsad_numbers_scan(s, strlen(s), stop_first, &n), MARSAD_OK);
    assert_int_equal(n, 1);
}

/* The qualifier's span, the number's span and the token range. */
static void token_level_fields(void **state)
{
    (void)state;
    list l;
    const char *s = "وقتل وأكثر من 750 مقاتلا";
    find(s, &l);
    assert_int_equal(l.n, 1);
    const mr_number *m = &l.v[0];
    assert_memory_equal(s + m->n.start, "أكثر من 750", m->n.end - m->n.start);
    assert_memory_equal(s + m->qual_start, "أكثر من", m->qual_end - m->qual_start);
    assert_memory_equal(s + m->num_start, "750", m->num_end - m->num_start);
    assert_int_equal(m->first, 1);
    assert_int_equal(m->num_first, 3);
    assert_int_equal(m->last, 3);
    assert_int_equal(m->n.qualifier, MARSAD_Q_MORE_THAN);
    assert_int_equal(m->mod, MARSAD_Q_MORE_THAN);

    /* no qualifier: the qualifier span is empty and the spans agree */
    find("بثماني مناطق", &l);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.v[0].qual_start, l.v[0].qual_end);
    assert_int_equal(l.v[0].n.start, l.v[0].num_start);
    assert_int_equal(l.v[0].n.start, 2); /* after the glued ب */

    /* a multiple keeps the qualifier written before it */
    find("نحو ضعف هذا العدد", &l);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.v[0].n.qualifier, MARSAD_Q_MULTIPLE);
    assert_int_equal(l.v[0].mod, MARSAD_Q_APPROX);

    /* a range: both ends in the number span, flags say so */
    const char *r = "تشير إلى ما بين 150 ألف إلى 200 ألف مقاتل";
    find(r, &l);
    assert_int_equal(l.n, 1);
    assert_memory_equal(r + l.v[0].num_start, "150 ألف إلى 200 ألف",
                        l.v[0].num_end - l.v[0].num_start);
    assert_true(l.v[0].n.flags & MR_NUMF_RANGE2);
    assert_true(l.v[0].n.flags & MR_NUMF_SCALED);
    assert_int_equal(l.v[0].mod, MARSAD_Q_RANGE);

    /* expressions never overlap and come in order */
    find("بين 3 و5 ثم 7 إلى 9 ثم نحو 11", &l);
    assert_int_equal(l.n, 3);
    for (size_t i = 1; i < l.n; i++)
        assert_true(l.v[i].n.start >= l.v[i - 1].n.end);
}

static int internal_bits(const marsad_number *n, void *ctx)
{
    if (n->flags & ~0xFFu)
        (*(size_t *)ctx)++;
    return 0;
}

/* The public scan hands out only the public MARSAD_NUMF_* bits, and the
 * same expressions as the token-level reader. */
static void public_flags_are_public(void **state)
{
    (void)state;
    const char *s = "مليون ونصف المليون و3 ملايين و500 ألف وبين 2 و4";
    list l;
    find(s, &l);
    assert_int_equal(l.n, 3);
    assert_true(l.v[0].n.flags & MR_NUMF_SCALED);
    size_t n = 0, internal = 0;
    assert_int_equal(marsad_numbers_scan(s, strlen(s), count_pub, &n), MARSAD_OK);
    assert_int_equal(n, l.n);
    assert_int_equal(marsad_numbers_scan(s, strlen(s), internal_bits, &internal), MARSAD_OK);
    assert_int_equal(internal, 0);
}

/* Bad bytes, NULs and truncated sequences: no crash, numbers still read. */
static void bad_input(void **state)
{
    (void)state;
    static const char s[] = "\xff\xfe 12 \x00 \xd8 \xe2\x82 نحو 30\xc0\xaf \xf0\x9f\x98";
    size_t n = 0;
    assert_int_equal(marsad_numbers_scan(s, sizeof s - 1, count_pub, &n), MARSAD_OK);
    assert_int_equal(n, 2);
    /* a digit run longer than a token is cut, never parsed as a value */
    char big[4000];
    memset(big, '9', sizeof big);
    n = 0;
    assert_int_equal(marsad_numbers_scan(big, sizeof big, count_pub, &n), MARSAD_OK);
    assert_int_equal(n, 0);
}

typedef struct tally {
    size_t n, bad;
} tally;

static int tally_cb(const marsad_number *num, void *ctx)
{
    tally *t = ctx;
    double want[] = {5, 3525, 1500000};
    double v = num->has_min ? num->min : -1;
    if (v != want[t->n % 3] || num->qualifier != (t->n % 3 == 2 ? MARSAD_Q_APPROX : MARSAD_Q_EXACT))
        t->bad++;
    t->n++;
    return 0;
}

/* 10^5 number expressions in one text: every one is read, correctly. */
static void pathological_many_numbers(void **state)
{
    (void)state;
    const char *unit[] = {"قتل 5 أشخاص، ", "ثلاثة آلاف وخمسمائة وخمسة وعشرون، ",
                          "نحو مليون ونصف المليون، "};
    size_t per = 0;
    for (int i = 0; i < 3; i++)
        per += strlen(unit[i]);
    size_t reps = 100000 / 3 + 1, cap = reps * per + 1, o = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    for (size_t r = 0; r < reps; r++)
        for (int i = 0; i < 3; i++) {
            memcpy(s + o, unit[i], strlen(unit[i]));
            o += strlen(unit[i]);
        }
    tally t = {0, 0};
    assert_int_equal(marsad_numbers_scan(s, o, tally_cb, &t), MARSAD_OK);
    assert_int_equal(t.n, reps * 3);
    assert_int_equal(t.bad, 0);
    /* a run of 10^5 scale words and conjunctions with no end */
    o = 0;
    for (size_t r = 0; r < 100000; r++) {
        memcpy(s + o, "ألف و", strlen("ألف و"));
        o += strlen("ألف و");
    }
    size_t n = 0;
    assert_int_equal(marsad_numbers_scan(s, o, count_pub, &n), MARSAD_OK);
    assert_int_equal(n, 100000);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rejects_null_arguments),
        cmocka_unit_test(stops_when_asked),
        cmocka_unit_test(token_level_fields),
        cmocka_unit_test(public_flags_are_public),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(pathological_many_numbers),
    };
    return cmocka_run_group_tests_name("numbers", tests, NULL, NULL);
}
