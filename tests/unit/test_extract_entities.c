/*
 * test_extract_entities.c: the entity, date and quote stages.
 */
#include "testutil.h"

#include "extract/extract.h"
#include "extract/facts_util.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vec_push_grows_and_zeroes),
        cmocka_unit_test(stages_reject_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
