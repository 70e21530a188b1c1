/*
 * test_text_pathological.c: worst-case inputs for the text kernel. Each
 * test asserts the correct output only (no timing): a 50 MB line, 10^6
 * diacritics in a row, invalid UTF-8 of every class, NUL bytes.
 */
#include "testutil.h"

#include "text/text.h"

static void fifty_megabyte_line(void **state)
{
    (void)state;
    /* "قتل 630 مدنيا، " repeated: 4 tokens per repetition, no line break */
    const char *unit = "قتل 630 مدنيا، ";
    size_t ul = strlen(unit), reps = (50u << 20) / ul;
    size_t len = ul * reps;
    char *s = malloc(len);
    assert_non_null(s);
    for (size_t i = 0; i < reps; i++)
        memcpy(s + i * ul, unit, ul);
    marsad_tokenizer *t = NULL;
    assert_int_equal(marsad_tokenizer_new(&t, 0), MARSAD_OK);
    marsad_tokenizer_reset(t, s, len);
    marsad_token tk;
    size_t n = 0, numbers = 0, last_end = 0;
    while (marsad_tokenizer_next(t, &tk)) {
        if (tk.kind == MARSAD_TOK_NUMBER) {
            numbers++;
            assert_int_equal(tk.norm_len, 3);
        }
        last_end = tk.end;
        n++;
    }
    assert_int_equal(n, 4 * reps);
    assert_int_equal(numbers, reps);
    assert_int_equal(last_end, len - 1); /* the final space is no token */
    marsad_tokenizer_free(t);

    /* the same text as one run without spaces: pieces of at most
     * MARSAD_MAX_TOKEN bytes, contiguous, flagged truncated */
    size_t wl = 5u << 20;
    for (size_t i = 0; i + 2 <= wl; i += 2)
        memcpy(s + i, "ب", 2);
    mr_toks tv = {0};
    assert_int_equal(mr_toks_build(&tv, s, wl, 0), MARSAD_OK);
    assert_true(tv.n >= wl / MARSAD_MAX_TOKEN);
    size_t pos = 0;
    for (size_t i = 0; i < tv.n; i++) {
        assert_int_equal(tv.v[i].start, pos);
        assert_true(tv.v[i].end - tv.v[i].start <= MARSAD_MAX_TOKEN);
        assert_true(tv.v[i].flags & MARSAD_TOKF_TRUNCATED);
        assert_int_equal(tv.v[i].kind, MARSAD_TOK_ARABIC);
        pos = tv.v[i].end;
    }
    assert_int_equal(pos, wl);
    mr_toks_free(&tv);
    free(s);
}

static void million_diacritics(void **state)
{
    (void)state;
    size_t marks = 1000000, len = 2 + 2 * marks + 2;
    char *s = malloc(len);
    assert_non_null(s);
    memcpy(s, "ب", 2);
    for (size_t i = 0; i < marks; i++)
        memcpy(s + 2 + 2 * i, "\xd9\x8e", 2); /* fatha */
    memcpy(s + len - 2, "ت", 2);
    /* normalisation drops them all */
    char out[16];
    assert_int_equal(marsad_normalize(s, len, out, sizeof out, 0), 4);
    assert_memory_equal(out, "بت", 4);
    /* tokens: contiguous pieces whose norms spell the word */
    marsad_tokenizer *t = NULL;
    assert_int_equal(marsad_tokenizer_new(&t, 0), MARSAD_OK);
    marsad_tokenizer_reset(t, s, len);
    marsad_token tk;
    size_t pos = 0, pieces = 0;
    char word[16];
    size_t wn = 0;
    while (marsad_tokenizer_next(t, &tk)) {
        assert_int_equal(tk.start, pos);
        assert_true(tk.end - tk.start <= MARSAD_MAX_TOKEN);
        assert_int_equal(tk.kind, MARSAD_TOK_ARABIC);
        assert_true(wn + tk.norm_len <= sizeof word);
        memcpy(word + wn, tk.norm, tk.norm_len);
        wn += tk.norm_len;
        pos = tk.end;
        pieces++;
    }
    assert_int_equal(pos, len);
    assert_true(pieces >= len / MARSAD_MAX_TOKEN);
    assert_int_equal(wn, 4);
    assert_memory_equal(word, "بت", 4);
    marsad_tokenizer_free(t);
    /* marks with no letter at all form symbol pieces with empty forms */
    marsad_tokenizer *u = NULL;
    assert_int_equal(marsad_tokenizer_new(&u, 0), MARSAD_OK);
    marsad_tokenizer_reset(u, s + 2, 2 * marks);
    pieces = 0;
    while (marsad_tokenizer_next(u, &tk)) {
        assert_int_equal(tk.norm_len, 0);
        pieces++;
    }
    assert_true(pieces >= 2 * marks / MARSAD_MAX_TOKEN);
    marsad_tokenizer_free(u);
    free(s);
}

static void invalid_utf8_of_every_class(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len, bad;
    } cases[] = {
        {"a\x80z", 3, 1},                 /* lone continuation */
        {"a\xbf\xbfz", 4, 2},             /* two continuations */
        {"a\xc0\x80z", 4, 2},             /* overlong NUL */
        {"a\xc1\xbfz", 4, 2},             /* overlong 2-byte */
        {"a\xe0\x9f\xbfz", 5, 3},         /* overlong 3-byte */
        {"a\xf0\x8f\xbf\xbfz", 6, 4},     /* overlong 4-byte */
        {"a\xed\xa0\x80z", 5, 3},         /* high surrogate */
        {"a\xed\xbf\xbfz", 5, 3},         /* low surrogate */
        {"a\xf4\x90\x80\x80z", 6, 4},     /* above U+10FFFF */
        {"a\xf5\x80\x80\x80z", 6, 4},     /* invalid lead F5 */
        {"a\xfe\xffz", 4, 2},             /* FE FF */
        {"a\xd8z", 3, 1},                 /* truncated 2-byte before ASCII */
        {"a\xe2\x82z", 4, 1},             /* truncated 3-byte */
        {"a\xf0\x9f\x98z", 5, 1},         /* truncated 4-byte */
        {"\xd8\xa8\xd8", 3, 1},           /* truncated at the very end */
        {"\xd8\xa8\x80\xd8\xa8", 5, 1},   /* inside an Arabic word */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const char *s = cases[c].s;
        size_t len = cases[c].len;
        assert_int_equal(marsad_utf8_count_invalid(s, len), cases[c].bad);
        marsad_tokenizer *t = NULL;
        assert_int_equal(marsad_tokenizer_new(&t, 0), MARSAD_OK);
        marsad_tokenizer_reset(t, s, len);
        marsad_token tk;
        size_t pos = 0, fffd = 0;
        while (marsad_tokenizer_next(t, &tk)) {
            assert_int_equal(tk.start, pos); /* nothing skipped */
            if (tk.kind == MARSAD_TOK_SYMBOL) {
                assert_int_equal(tk.norm_len, 3);
                assert_memory_equal(tk.norm, "\xef\xbf\xbd", 3);
                fffd++;
            }
            pos = tk.end;
        }
        assert_int_equal(pos, len);
        assert_int_equal(fffd, cases[c].bad);
        marsad_tokenizer_free(t);
        /* repaired text is valid and has one U+FFFD per bad sequence */
        char out[64];
        size_t bad = 0;
        size_t m = marsad_utf8_repair(s, len, out, sizeof out, &bad);
        assert_int_equal(bad, cases[c].bad);
        assert_int_equal(marsad_utf8_count_invalid(out, m), 0);
    }
}

static void nul_bytes_separate(void **state)
{
    (void)state;
    const char s[] = "قسد\0\0داعش\0" "12\0";
    size_t len = sizeof s - 1;
    mr_toks tv = {0};
    assert_int_equal(mr_toks_build(&tv, s, len, 0), MARSAD_OK);
    assert_int_equal(tv.n, 3);
    assert_string_equal(mr_tok_norm(&tv, 0), "قسد");
    assert_string_equal(mr_tok_norm(&tv, 1), "داعش");
    assert_string_equal(mr_tok_norm(&tv, 2), "12");
    assert_int_equal(tv.v[1].start, 8);
    /* normalisation passes NUL through */
    char out[32];
    assert_int_equal(marsad_normalize(s, len, out, sizeof out, 0), len);
    assert_memory_equal(out, s, len);
    mr_toks_free(&tv);
    /* empty and NULL texts */
    assert_int_equal(mr_toks_build(&tv, NULL, 0, 0), MARSAD_OK);
    assert_int_equal(tv.n, 0);
    assert_int_equal(mr_toks_build(&tv, NULL, 5, 0), MARSAD_E_ARG);
    mr_toks_free(&tv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fifty_megabyte_line),
        cmocka_unit_test(million_diacritics),
        cmocka_unit_test(invalid_utf8_of_every_class),
        cmocka_unit_test(nul_bytes_separate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
