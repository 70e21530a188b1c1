/*
 * test_utf8.c: the validating decoder and repair.
 */
#include "testutil.h"

#include "text/text.h"

static void decodes_arabic_and_ascii(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(marsad_utf8_decode("\xd8\xa7", 2, &cp), 2);
    assert_int_equal(cp, 0x0627);
    assert_int_equal(marsad_utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(marsad_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
}

static void rejects_every_invalid_class(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len, consumed;
    } cases[] = {
        {"\x80", 1, 1},             /* lone continuation */
        {"\xc0\xaf", 2, 1},         /* overlong lead C0 */
        {"\xe0\x80\xaf", 3, 1},     /* overlong 3-byte */
        {"\xed\xa0\x80", 3, 1},     /* surrogate */
        {"\xf4\x90\x80\x80", 4, 1}, /* above U+10FFFF */
        {"\xf5\x80", 2, 1},         /* invalid lead */
        {"\xd8", 1, 1},             /* truncated 2-byte */
        {"\xe2\x82", 2, 2},         /* truncated 3-byte: maximal subpart */
        {"\xd8\x41", 2, 1},         /* lead then ASCII */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp = 0;
        size_t n = marsad_utf8_decode(cases[i].s, cases[i].len, &cp);
        assert_int_equal(n, cases[i].consumed);
        assert_int_equal(cp, MARSAD_REPLACEMENT_CHAR);
        assert_int_equal(marsad_utf8_count_invalid(cases[i].s, cases[i].len) >= 1, 1);
    }
}

static void repair_keeps_valid_text_and_counts(void **state)
{
    (void)state;
    const char in[] = "\xd8\xa7\xff\xd8\xa8\xef\xbf\xbd"; /* ا <bad> ب U+FFFD */
    size_t bad = 0;
    size_t need = marsad_utf8_repair(in, sizeof in - 1, NULL, 0, &bad);
    assert_int_equal(bad, 1);
    char out[32];
    assert_int_equal(marsad_utf8_repair(in, sizeof in - 1, out, sizeof out, NULL), need);
    assert_memory_equal(out, "\xd8\xa7\xef\xbf\xbd\xd8\xa8\xef\xbf\xbd", need);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decodes_arabic_and_ascii),
        cmocka_unit_test(rejects_every_invalid_class),
        cmocka_unit_test(repair_keeps_valid_text_and_counts),
    };
    return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
