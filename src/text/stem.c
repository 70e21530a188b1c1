/*
 * stem.c: light stemming of normalised Arabic words, in the spirit of
 * Larkey, Ballesteros and Connell's "light10" (SIGIR 2002), with longer
 * minimum stems and an exceptions lexicon so that names survive.
 *
 * The input is a word already put through marsad_normalize (so أ إ آ are
 * ا, ى is ي, ة is normally ه, no diacritics). The stem is always a
 * substring of the input (an offset and a length), so no copy is made.
 * Lengths below are counted in letters (code points), not bytes.
 *
 * The rules, in the order they are tried (each also in docs/text.md and
 * tests/spec/stem.md):
 *
 *  R0  Exceptions. A word listed in data/stem_exceptions.tsv gets the stem
 *      the list gives (column 2, a prefix of the word; empty = the whole
 *      word). The list is consulted for the whole word, again after a
 *      prefix is removed, and never after that.
 *        اسرائيل -> اسرائيل (listed: no rule may touch it)
 *        الولايات -> ولايات -> listed with stem ولاي
 *  R1  Definite article with a clitic: وال فال بال كال وبال ولل فبال
 *      are removed when at least 3 letters remain.
 *        بالباغوز -> باغوز ; والحكومه -> حكومه ; بالغه stays (غه is 2)
 *  R2  Bare article ال and لل (ل + ال) are removed when at least 2 letters
 *      remain. For لل, when ل + rest is listed (للبنان -> لبنان), the
 *      listed word wins over the article reading.
 *        الباغوز -> باغوز ; للحرب -> حرب ; الي (إلى) stays
 *  R3  Conjunction و alone (when no article was removed) is removed when
 *      at least 3 letters remain; words whose first و is a root letter are
 *      listed in the exceptions (وزير، ولاية، وكالة ...).
 *        وسوريا -> سوريا ; وقال -> قال
 *        ولا stays (لا is 2)
 *  R4  Before the suffixes: the plural verb ending وا, else an accusative
 *      alef ا (tanween fath is already gone), is removed when at least 3
 *      letters remain, so that مدنيا, مدني and مدنيين meet, سوريا meets
 *      السوري, and قتلوا meets قتل.
 *        مدنيا -> مدني -> (R5) مدن ; قالوا -> قال ; هذا stays (هذ is 2)
 *  R5  Suffixes, tried once each in this order, each removed when at least
 *      3 letters remain: ها ان ات ون ين يه ية ه ة ي (light10's list; يه and
 *      ه are the ية and ة of the default normalisation).
 *        الحكومات -> حكومات -> حكوم ; المدنيين -> مدني -> مدن ;
 *        قوات stays (قو is 2) ; سكانها -> سكان -> (ان: سك is 2) سكان
 *
 * Single ب ك ل ف prefixes are never removed on their own: the letter is
 * too often part of the word (بريطانيا, فرنسا, لبنان, كركوك).
 *
 * Lexicon keys are normalised with the default flags, so a word written
 * with MARSAD_NORM_KEEP_TAA_MARBUTA keeps ة and may miss its exception.
 *
 * Cost: O(len) per word; at most a handful of binary searches in the
 * exceptions table, no allocation.
 */
#include <string.h>

#include "text/text.h"

#include "lex_stem_exceptions.inc"

/* Letters (code points) in s[0..n): bytes that are not continuations. */
static size_t letters(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((uint8_t)s[i] & 0xC0) != 0x80;
    return k;
}

static bool starts(const char *s, size_t n, const char *p)
{
    size_t m = strlen(p);
    return n >= m && memcmp(s, p, m) == 0;
}

static bool ends(const char *s, size_t n, const char *p)
{
    size_t m = strlen(p);
    return n >= m && memcmp(s + n - m, p, m) == 0;
}

/*
 * R0: when s[0..n) is listed, stores the listed stem's length in bytes in
 * *keep and returns true. The stem column is normalised here (it is
 * written in ordinary spelling) and must be a prefix of the key; a row
 * whose stem is not a prefix keeps the whole word.
 */
static bool exception(const char *s, size_t n, size_t *keep)
{
    long r = mr_lex_find(&mr_lex_stem_exceptions, s, n);
    if (r < 0)
        return false;
    *keep = n;
    if (mr_lex_stem_exceptions.ncols < 3) /* key, column 1, column 2 */
        return true;
    const char *st = mr_lex_cell(&mr_lex_stem_exceptions, (size_t)r, 2);
    size_t sl = strlen(st);
    char buf[256];
    if (sl == 0 || sl > 64)
        return true;
    size_t m = marsad_normalize(st, sl, buf, sizeof buf, 0);
    if (m <= n && m <= sizeof buf && memcmp(buf, s, m) == 0)
        *keep = m;
    return true;
}

/* R4 and R5 over s[0..n); returns the stem's length in bytes. */
static size_t strip_suffixes(const char *s, size_t n)
{
    static const char *const suffixes[] = {"ها", "ان", "ات", "ون", "ين",
                                           "يه", "ية", "ه",  "ة",  "ي"};
    size_t nl = letters(s, n);
    if (ends(s, n, "وا") && nl >= 2 + 3) { /* R4: plural verb ending */
        n -= strlen("وا");
        nl -= 2;
    } else if (ends(s, n, "ا") && nl >= 1 + 3) { /* R4: accusative alef */
        n -= strlen("ا");
        nl--;
    }
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        const char *x = suffixes[i];
        size_t xl = letters(x, strlen(x));
        if (nl >= xl + 3 && ends(s, n, x)) {
            n -= strlen(x);
            nl -= xl;
        }
    }
    return n;
}

void marsad_stem(const char *norm, size_t len, size_t *stem_off,
                 size_t *stem_len)
{
    size_t off = 0, keep;
    if (!stem_off || !stem_len)
        return;
    *stem_off = 0;
    *stem_len = 0;
    if (!norm || len == 0)
        return;
    *stem_len = len;
    if (exception(norm, len, &keep)) { /* R0 */
        *stem_len = keep;
        return;
    }
    size_t nl = letters(norm, len);
    static const char *const articles3[] = {"وبال", "فبال", "ولل", "وال",
                                            "فال",  "بال",  "كال"};
    bool stripped = false;
    for (size_t i = 0; i < sizeof articles3 / sizeof articles3[0]; i++) {
        const char *p = articles3[i]; /* R1 */
        size_t pb = strlen(p), pl = letters(p, pb);
        if (starts(norm, len, p) && nl >= pl + 3) {
            off = pb;
            stripped = true;
            break;
        }
    }
    if (!stripped && starts(norm, len, "لل") && nl >= 2 + 2) { /* R2 */
        size_t lb = strlen("ل");
        if (exception(norm + lb, len - lb, &keep)) {
            *stem_off = lb;
            *stem_len = keep;
            return;
        }
        off = strlen("لل");
        stripped = true;
    }
    if (!stripped && starts(norm, len, "ال") && nl >= 2 + 2) { /* R2 */
        off = strlen("ال");
        stripped = true;
    }
    if (!stripped && starts(norm, len, "و") && nl >= 1 + 3) { /* R3 */
        off = strlen("و");
        stripped = true;
    }
    if (stripped && exception(norm + off, len - off, &keep)) { /* R0 */
        *stem_off = off;
        *stem_len = keep;
        return;
    }
    *stem_off = off;
    *stem_len = strip_suffixes(norm + off, len - off);
}
