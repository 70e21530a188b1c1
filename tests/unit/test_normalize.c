/*
 * test_normalize.c: the normaliser's fast paths agree with its general
 * per-code-point rules (mr_norm_cp), and measure-then-fill is exact.
 */
#include "testutil.h"

#include "text/text.h"

/* What mr_norm_cp gives for cp, UTF-8 encoded, into out; returns bytes. */
static size_t by_rule(uint32_t cp, unsigned flags, char *out)
{
    uint32_t f[MR_NORM_MAX_OUT];
    int k = mr_norm_cp(cp, flags, f);
    size_t o = 0;
    for (int j = 0; j < k; j++)
        o += mr_utf8_encode(f[j], out + o);
    return o;
}

static void arabic_block_table_matches_rules(void **state)
{
    (void)state;
    static const unsigned flag_sets[] = {0, MARSAD_NORM_KEEP_CASE,
                                         MARSAD_NORM_KEEP_TAA_MARBUTA,
                                         MARSAD_NORM_KEEP_HAMZA,
                                         MARSAD_NORM_KEEP_DIACRITICS};
    for (size_t f = 0; f < sizeof flag_sets / sizeof flag_sets[0]; f++) {
        for (uint32_t cp = 0x0600; cp <= 0x06FF; cp++) {
            char in[4], want[80], big[64], small[80];
            size_t n = mr_utf8_encode(cp, in);
            size_t w = by_rule(cp, flag_sets[f], want);
            /* a roomy buffer takes the unchecked path */
            size_t g = marsad_normalize(in, n, big, sizeof big, flag_sets[f]);
            /* an exact buffer takes the checked path */
            size_t m = marsad_normalize(in, n, NULL, 0, flag_sets[f]);
            assert_int_equal(m, w);
            size_t h = marsad_normalize(in, n, small, m, flag_sets[f]);
            if (g != w || memcmp(big, want, w) != 0 || h != w ||
                memcmp(small, want, w) != 0)
                fail_msg("U+%04X flags %u: table and rules disagree", cp,
                         flag_sets[f]);
        }
    }
}

static void every_bmp_code_point_agrees(void **state)
{
    (void)state;
    for (uint32_t cp = 1; cp < 0x10000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char in[4], want[80], got[64];
        size_t n = mr_utf8_encode(cp, in);
        size_t w = by_rule(cp, 0, want);
        size_t g = marsad_normalize(in, n, got, sizeof got, 0);
        assert_int_equal(g, w);
        assert_memory_equal(got, want, w);
    }
}

static void short_buffer_gets_a_prefix_and_the_full_size(void **state)
{
    (void)state;
    const char *s = "أَعلنَ الـمرصدُ ١٬٢٠٠ قتيلٍ";
    char full[256], part[8];
    size_t need = marsad_normalize(s, strlen(s), full, sizeof full, 0);
    memset(part, 'x', sizeof part);
    size_t need2 = marsad_normalize(s, strlen(s), part, 5, 0);
    assert_int_equal(need, need2);
    assert_memory_equal(part, full, 4); /* whole letters only: 2 of them */
    assert_int_equal(part[5], 'x');     /* nothing past cap */
    assert_int_equal(marsad_normalize(NULL, 5, full, sizeof full, 0), 0);
    /* growth bound: the worst single code points */
    const char *lig = "\xef\xb7\xba"; /* U+FDFA */
    size_t g = marsad_normalize(lig, 3, NULL, 0, 0);
    assert_true(g <= 3 * MARSAD_NORM_MAX_GROWTH);
    assert_true(g > 3);
    assert_int_equal(marsad_normalize("\xff", 1, NULL, 0, 0), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arabic_block_table_matches_rules),
        cmocka_unit_test(every_bmp_code_point_agrees),
        cmocka_unit_test(short_buffer_gets_a_prefix_and_the_full_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
