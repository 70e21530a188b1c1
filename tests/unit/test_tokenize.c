/*
 * test_tokenize.c: token boundaries, kinds, flags, forms; the streaming
 * tokenizer and the per-report vector agree.
 */
#include "testutil.h"

#include "text/text.h"

/* Tokenises s and writes "text|kind|flags|norm|stem" lines joined by '\n'
 * into out. */
static void render(const char *s, unsigned flags, char *out, size_t cap)
{
    marsad_tokenizer *t = NULL;
    assert_int_equal(marsad_tokenizer_new(&t, flags), MARSAD_OK);
    marsad_tokenizer_reset(t, s, strlen(s));
    marsad_token tk;
    size_t o = 0;
    out[0] = 0;
    while (marsad_tokenizer_next(t, &tk)) {
        int w = snprintf(out + o, cap - o, "%s%.*s|%s|%u|%.*s|%.*s",
                         o ? "\n" : "", (int)(tk.end - tk.start), s + tk.start,
                         marsad_token_kind_name(tk.kind), tk.flags,
                         (int)tk.norm_len, tk.norm, (int)tk.stem_len, tk.stem);
        assert_true(w > 0 && (size_t)w < cap - o);
        o += (size_t)w;
    }
    marsad_tokenizer_free(t);
}

static void expect(const char *in, const char *want)
{
    char got[4096];
    render(in, 0, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("input: %s\nwant:\n%s\ngot:\n%s", in, want, got);
}

static void splits_words_numbers_punct(void **state)
{
    (void)state;
    expect("قتل 630 مدنيا، بحسب «المرصد».",
           "قتل|arabic|0|قتل|قتل\n"
           "630|number|0|630|630\n"
           "مدنيا|arabic|0|مدنيا|مدن\n"
           "،|punct|0|،|،\n"
           "بحسب|arabic|0|بحسب|بحسب\n"
           "«|punct|0|«|«\n"
           "المرصد|arabic|0|المرصد|مرصد\n"
           "»|punct|0|»|»\n"
           ".|punct|0|.|.");
}

static void numbers_keep_separators(void **state)
{
    (void)state;
    expect("1,200 و1.5 ١٬٢٠٠ ٣٫٥ 20.",
           "1,200|number|0|1,200|1,200\n"
           "و|arabic|1|و|و\n"
           "1.5|number|0|1.5|1.5\n"
           "١٬٢٠٠|number|0|1,200|1,200\n"
           "٣٫٥|number|0|3.5|3.5\n"
           "20|number|0|20|20\n"
           ".|punct|0|.|.");
    expect("بـ1600، 5,",
           "بـ|arabic|1|ب|ب\n"
           "1600|number|0|1600|1600\n"
           "،|punct|0|،|،\n"
           "5|number|0|5|5\n"
           ",|punct|0|,|,");
}

static void marks_and_tatweel_stay_inside(void **state)
{
    (void)state;
    expect("مُحَمَّد الـــباغوز COVID19 Ab‌c",
           "مُحَمَّد|arabic|0|محمد|محمد\n"
           "الـــباغوز|arabic|0|الباغوز|باغوز\n"
           "COVID19|latin|0|covid19|covid19\n"
           "Ab‌c|latin|0|abc|abc");
}

static void long_runs_are_cut(void **state)
{
    (void)state;
    char s[1200];
    memset(s, 'a', 1000);
    s[1000] = 0;
    marsad_tokenizer *t = NULL;
    assert_int_equal(marsad_tokenizer_new(&t, 0), MARSAD_OK);
    marsad_tokenizer_reset(t, s, 1000);
    marsad_token tk;
    size_t n = 0, pos = 0;
    while (marsad_tokenizer_next(t, &tk)) {
        assert_int_equal(tk.start, pos);
        assert_true(tk.end - tk.start <= MARSAD_MAX_TOKEN);
        assert_true(tk.flags & MARSAD_TOKF_TRUNCATED);
        pos = tk.end;
        n++;
    }
    assert_int_equal(pos, 1000);
    assert_int_equal(n, 4);
    marsad_tokenizer_free(t);
}

static void vector_matches_stream(void **state)
{
    (void)state;
    const char *s = "وأعلنت «قسد» السيطرة على الباغوز في 23 مارس 2019، "
                    "بعد معارك أودت بـ1,500 شخص. ABC xyz؟";
    mr_toks tv = {0};
    assert_int_equal(mr_toks_build(&tv, s, strlen(s), 0), MARSAD_OK);
    marsad_tokenizer *t = NULL;
    assert_int_equal(marsad_tokenizer_new(&t, 0), MARSAD_OK);
    marsad_tokenizer_reset(t, s, strlen(s));
    marsad_token tk;
    size_t i = 0;
    while (marsad_tokenizer_next(t, &tk)) {
        assert_true(i < tv.n);
        assert_int_equal(tv.v[i].start, tk.start);
        assert_int_equal(tv.v[i].end, tk.end);
        assert_int_equal(tv.v[i].kind, tk.kind);
        assert_string_equal(mr_tok_norm(&tv, i), tk.norm);
        assert_string_equal(mr_tok_stem(&tv, i), tk.stem);
        i++;
    }
    assert_int_equal(i, tv.n);
    /* reuse with another text clears the earlier one */
    assert_int_equal(mr_toks_build(&tv, "ب", 2, 0), MARSAD_OK);
    assert_int_equal(tv.n, 1);
    mr_toks_free(&tv);
    mr_toks_free(&tv);
    marsad_tokenizer_free(t);
}

static void null_arguments(void **state)
{
    (void)state;
    assert_int_equal(marsad_tokenizer_new(NULL, 0), MARSAD_E_ARG);
    marsad_tokenizer_reset(NULL, "x", 1);
    assert_int_equal(marsad_tokenizer_next(NULL, NULL), 0);
    marsad_tokenizer_free(NULL);
    assert_int_equal(mr_toks_build(NULL, "x", 1, 0), MARSAD_E_ARG);
    mr_toks_free(NULL);
    size_t o = 9, l = 9;
    marsad_stem(NULL, 3, &o, &l);
    assert_int_equal(o, 0);
    assert_int_equal(l, 0);
    assert_string_equal(marsad_token_kind_name((marsad_token_kind)99), "unknown");
}

static void stems_named_examples(void **state)
{
    (void)state;
    static const char *const same[] = {"بالباغوز", "الباغوز", "باغوز",
                                       "وبالباغوز", "والباغوز"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        size_t o, l;
        marsad_stem(same[i], strlen(same[i]), &o, &l);
        assert_int_equal(l, strlen("باغوز"));
        assert_memory_equal(same[i] + o, "باغوز", l);
    }
    size_t o, l;
    marsad_stem("اسرائيل", strlen("اسرائيل"), &o, &l);
    assert_int_equal(o, 0);
    assert_int_equal(l, strlen("اسرائيل"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splits_words_numbers_punct),
        cmocka_unit_test(numbers_keep_separators),
        cmocka_unit_test(marks_and_tatweel_stay_inside),
        cmocka_unit_test(long_runs_are_cut),
        cmocka_unit_test(vector_matches_stream),
        cmocka_unit_test(null_arguments),
        cmocka_unit_test(stems_named_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
