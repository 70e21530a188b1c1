/*
 * test_lexicon.c: the hash index tools/gen_lexicon compiles beside every
 * lexicon agrees with a plain scan of its sorted rows: every key is found
 * at its first row, through mr_lex_find and through mr_lex_find_hashed
 * with a hash extended word by word; keys cut short or made longer are
 * found only when a scan finds them too.
 */
#include "testutil.h"

#include "text/text.h"

#include "lex_counted_nouns.inc"
#include "lex_date_words.inc"
#include "lex_ent_cldr_places.inc"
#include "lex_ent_gazetteer.inc"
#include "lex_stem_exceptions.inc"

static const mr_lex *const lexicons[] = {
    &mr_lex_counted_nouns, &mr_lex_date_words, &mr_lex_ent_cldr_places,
    &mr_lex_ent_gazetteer, &mr_lex_stem_exceptions};
#define NLEX (sizeof lexicons / sizeof lexicons[0])

/* The first row whose key is key[0..len), by walking every row. */
static long scan(const mr_lex *lx, const char *key, size_t len)
{
    for (size_t r = 0; r < lx->nrows; r++) {
        const char *k = mr_lex_cell(lx, r, 0);
        if (strlen(k) == len && memcmp(k, key, len) == 0)
            return (long)r;
    }
    return -1;
}

static void every_key_at_its_first_row(void **state)
{
    (void)state;
    for (size_t l = 0; l < NLEX; l++) {
        const mr_lex *lx = lexicons[l];
        assert_true(lx->nrows > 0);
        assert_true(lx->nslots >= 2 * lx->nrows);
        assert_int_equal(lx->nslots & (lx->nslots - 1), 0);
        for (size_t r = 0; r < lx->nrows; r++) {
            const char *k = mr_lex_cell(lx, r, 0);
            size_t n = strlen(k);
            long first = (long)r;
            while (first > 0 &&
                   strcmp(mr_lex_cell(lx, (size_t)first - 1, 0), k) == 0)
                first--;
            assert_int_equal(mr_lex_find(lx, k, n), first);
            /* the hash of a phrase, extended one word at a time */
            uint32_t h = MR_LEX_HASH_INIT;
            const char *p = k;
            while (p < k + n) {
                const char *sp = memchr(p, ' ', (size_t)(k + n - p));
                size_t w = sp ? (size_t)(sp - p) + 1 : (size_t)(k + n - p);
                h = mr_lex_hash_more(h, p, w);
                p += w;
            }
            assert_int_equal(h, mr_lex_hash(k, n));
            assert_int_equal(mr_lex_find_hashed(lx, k, n, h), first);
        }
    }
}

static void cut_and_longer_keys_agree_with_a_scan(void **state)
{
    (void)state;
    char buf[1024];
    for (size_t l = 0; l < NLEX; l++) {
        const mr_lex *lx = lexicons[l];
        for (size_t r = 0; r < lx->nrows; r += 3) {
            const char *k = mr_lex_cell(lx, r, 0);
            size_t n = strlen(k);
            if (n + 3 > sizeof buf)
                continue;
            for (size_t cut = 1; cut < n; cut += 2)
                assert_int_equal(mr_lex_find(lx, k, cut), scan(lx, k, cut));
            memcpy(buf, k, n);
            memcpy(buf + n, "\xd8\xa7", 2); /* + alef */
            assert_int_equal(mr_lex_find(lx, buf, n + 2), scan(lx, buf, n + 2));
        }
        assert_int_equal(mr_lex_find(lx, "", 0), -1);
        assert_int_equal(mr_lex_find(lx, "zzzz-no-such-key", 16), -1);
        assert_int_equal(mr_lex_find(lx, NULL, 0), -1);
    }
    assert_int_equal(mr_lex_find(NULL, "x", 1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_key_at_its_first_row),
        cmocka_unit_test(cut_and_longer_keys_agree_with_a_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
