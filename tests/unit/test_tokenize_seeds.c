/*
 * test_tokenize_seeds.c: over the real seed articles (../shared/seeds), every
 * token's [start,end) slices back to its text, tokens come in order without
 * overlap, they cover every byte that is not white space or an invisible
 * control, and the vector form agrees with the streaming form.
 */
#include <dirent.h>

#include "testutil.h"

#include "text/text.h"

/* True when the code point may lie outside every token. */
static int separator(uint32_t cp)
{
    char out[8];
    char in[4];
    size_t n = mr_utf8_encode(cp, in);
    return mr_is_space(cp) || marsad_normalize(in, n, out, sizeof out, 0) == 0;
}

/* Checks one text; returns the number of tokens. */
static size_t check_text(const char *name, const char *s, size_t len)
{
    marsad_tokenizer *t = NULL;
    assert_int_equal(marsad_tokenizer_new(&t, 0), MARSAD_OK);
    marsad_tokenizer_reset(t, s, len);
    mr_toks tv = {0};
    assert_int_equal(mr_toks_build(&tv, s, len, 0), MARSAD_OK);
    marsad_token tk;
    size_t pos = 0, n = 0;
    char norm[4096];
    while (marsad_tokenizer_next(t, &tk)) {
        assert_true(tk.start >= pos);
        assert_true(tk.end > tk.start);
        assert_true(tk.end <= len);
        /* the gap holds only separators */
        for (size_t i = pos; i < tk.start;) {
            uint32_t cp;
            size_t k = marsad_utf8_decode(s + i, tk.start - i, &cp);
            if (!separator(cp))
                fail_msg("%s: byte %zu (U+%04X) is in no token", name, i, cp);
            i += k;
        }
        /* the slice is the token's text: its normal form is the norm */
        size_t m = marsad_normalize(s + tk.start, tk.end - tk.start, norm,
                                    sizeof norm, 0);
        assert_int_equal(m, tk.norm_len);
        assert_memory_equal(norm, tk.norm, m);
        /* the stem lies inside the norm */
        assert_true(tk.stem_len <= tk.norm_len);
        int inside = 0;
        for (size_t o = 0; o + tk.stem_len <= tk.norm_len && !inside; o++)
            inside = memcmp(tk.norm + o, tk.stem, tk.stem_len) == 0;
        assert_true(inside);
        /* no token holds white space */
        for (size_t i = tk.start; i < tk.end;) {
            uint32_t cp;
            i += marsad_utf8_decode(s + i, tk.end - i, &cp);
            assert_false(mr_is_space(cp));
        }
        assert_true(n < tv.n);
        assert_int_equal(tv.v[n].start, tk.start);
        assert_int_equal(tv.v[n].end, tk.end);
        assert_string_equal(mr_tok_stem(&tv, n), tk.stem);
        pos = tk.end;
        n++;
    }
    for (size_t i = pos; i < len;) {
        uint32_t cp;
        size_t k = marsad_utf8_decode(s + i, len - i, &cp);
        if (!separator(cp))
            fail_msg("%s: trailing byte %zu is in no token", name, i);
        i += k;
    }
    assert_int_equal(n, tv.n);
    mr_toks_free(&tv);
    marsad_tokenizer_free(t);
    return n;
}

static void seeds_slice_back_and_cover(void **state)
{
    (void)state;
    const char *shared = tu_shared_dir();
    assert_non_null(shared);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/seeds", shared);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t files = 0, tokens = 0;
    while ((e = readdir(d)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (nl < 5 || strcmp(e->d_name + nl - 4, ".txt") != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = 0;
        char *s = tu_read_file(path, &len);
        assert_non_null(s);
        tokens += check_text(e->d_name, s, len);
        files++;
        free(s);
    }
    closedir(d);
    assert_true(files >= 5);
    assert_true(tokens > 1000);
    printf("seeds: %zu files, %zu tokens checked\n", files, tokens);
}

static void seeds_find_named_tokens(void **state)
{
    (void)state;
    /* words the seeds contain, with the stem each must have */
    const char *shared = tu_shared_dir();
    assert_non_null(shared);
    char path[4096];
    snprintf(path, sizeof path, "%s/seeds/003_14e11948ae9a6427.txt", shared);
    size_t len = 0;
    char *s = tu_read_file(path, &len);
    assert_non_null(s);
    mr_toks tv = {0};
    assert_int_equal(mr_toks_build(&tv, s, len, 0), MARSAD_OK);
    int baghuz = 0;
    for (size_t i = 0; i < tv.n; i++) {
        const char *txt = s + tv.v[i].start;
        size_t tl = tv.v[i].end - tv.v[i].start;
        if (tl == strlen("الباغوز") && memcmp(txt, "الباغوز", tl) == 0) {
            assert_string_equal(mr_tok_stem(&tv, i), "باغوز");
            baghuz++;
        }
    }
    assert_true(baghuz >= 1);
    mr_toks_free(&tv);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seeds_slice_back_and_cover),
        cmocka_unit_test(seeds_find_named_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
