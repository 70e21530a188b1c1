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
 *      word). The list is consulted only when R1-R5 would change the word:
 *      for the whole word, for ل + rest when the prefix is لل, and for the
 *      word after its prefix when a suffix would be removed from it.
 *        اسرائيل -> اسرائيل (listed: no rule may touch it)
 *        الولايات -> ولايات -> listed with stem ولاي
 *  R1  Definite article with a clitic: وال فال بال كال وبال ولل فبال
 *      are removed when at least 3 letters remain.
 *        بالباغوز -> باغوز ; والحكومه -> حكومه (then R5: حكوم) ;
 *        بالغه -> بالغ (R1 needs 3 letters after بال; R5 removes ه)
 *  R2  Bare article ال and لل (ل + ال) are removed when at least 2 letters
 *      remain. For لل, when ل + rest is listed (للبنان -> لبنان), the
 *      listed word wins over the article reading.
 *        الباغوز -> باغوز ; للحرب -> حرب ; الي (إلى) stays
 *  R3  Conjunction و alone (when no article was removed) is removed when
 *      at least 3 letters remain; words whose first و is a root letter are
 *      listed in the exceptions (وزير، ولاية، وكالة ...).
 *        وسوريا -> سوريا (then R4, R5: سور) ; وقال -> قال
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
#include <pthread.h>
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

/* Literal helpers: the sizes are constants, so memcmp is inlined (the
 * stemmer runs on every Arabic word; see make bench). L(x) is the byte
 * length of a literal; every affix is made of two-byte Arabic letters. */
#define L(x) (sizeof(x) - 1)
#define STARTS(s, n, x) ((n) >= L(x) && memcmp((s), (x), L(x)) == 0)
#define ENDS(s, n, x) ((n) >= L(x) && memcmp((s) + (n)-L(x), (x), L(x)) == 0)

/*
 * R0: when s[0..n) is listed, stores the listed stem's length in bytes in
 * *keep and returns true. The stem column is normalised here (it is
 * written in ordinary spelling) and must be a prefix of the key; a row
 * whose stem is not a prefix keeps the whole word.
 */
/*
 * A 4096-bit Bloom filter over the exception keys, built once
 * (pthread_once, so any thread may stem at any time) and read-only after:
 * nearly every word is not listed, and two bit tests are cheaper than a
 * binary search over strings (make bench: about 5% of the kernel's time).
 */
static uint64_t bloom[64];
static pthread_once_t bloom_once = PTHREAD_ONCE_INIT;

static uint32_t hash_word(const char *s, size_t n)
{
    return mr_lex_hash(s, n); /* FNV-1a */
}

static void bloom_build(void)
{
    const mr_lex *lx = &mr_lex_stem_exceptions;
    for (size_t r = 0; r < lx->nrows; r++) {
        const char *k = mr_lex_cell(lx, r, 0);
        uint32_t h = hash_word(k, strlen(k));
        bloom[(h & 4095u) >> 6] |= 1ull << (h & 63u);
        bloom[((h >> 12) & 4095u) >> 6] |= 1ull << ((h >> 12) & 63u);
    }
}

static bool maybe_listed(const char *s, size_t n)
{
    if (pthread_once(&bloom_once, bloom_build) != 0)
        return true; /* cannot happen; then search every time */
    uint32_t h = hash_word(s, n);
    return (bloom[(h & 4095u) >> 6] >> (h & 63u) & 1u) &&
           (bloom[((h >> 12) & 4095u) >> 6] >> ((h >> 12) & 63u) & 1u);
}

static bool exception(const char *s, size_t n, size_t *keep)
{
    if (n < 4 || !maybe_listed(s, n)) /* every listed word has 2+ letters */
        return false;
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

/* Removes suffix x when at least `min` letters stay (x's letters: xl). */
#define CUT(x, xl, min)                                                        \
    do {                                                                       \
        if (nl >= (xl) + (min) && ENDS(s, n, x)) {                             \
            n -= L(x);                                                         \
            nl -= (xl);                                                        \
        }                                                                      \
    } while (0)

/* R4 and R5 over s[0..n) of nl letters; returns the stem's length. */
static size_t strip_suffixes(const char *s, size_t n, size_t nl)
{
    if (nl >= 2 + 3 && ENDS(s, n, "وا")) { /* R4: plural verb ending */
        n -= L("وا");
        nl -= 2;
    } else if (nl >= 1 + 3 && ENDS(s, n, "ا")) { /* R4: accusative alef */
        n -= L("ا");
        nl--;
    }
    /* R5, light10's order, each tried once */
    CUT("ها", 2, 3);
    CUT("ان", 2, 3);
    CUT("ات", 2, 3);
    CUT("ون", 2, 3);
    CUT("ين", 2, 3);
    CUT("يه", 2, 3);
    CUT("ية", 2, 3);
    CUT("ه", 1, 3);
    CUT("ة", 1, 3);
    CUT("ي", 1, 3);
    return n;
}

marsad_status marsad_stem(const char *norm, size_t len, size_t *stem_off,
                          size_t *stem_len)
{
    size_t off = 0, keep;
    if (!stem_off || !stem_len)
        return MARSAD_E_ARG;
    *stem_off = 0;
    *stem_len = 0;
    if (!norm && len)
        return MARSAD_E_ARG;
    if (len == 0)
        return MARSAD_OK;
    *stem_len = len;
    size_t nl = letters(norm, len), pl = 0;
    bool lam_lam = false;
    /* R1: article with a clitic, 3 letters must stay */
    if (nl >= 4 + 3 && (STARTS(norm, len, "وبال") || STARTS(norm, len, "فبال")))
        off = L("وبال"), pl = 4;
    else if (nl >= 3 + 3 &&
             (STARTS(norm, len, "ولل") || STARTS(norm, len, "وال") ||
              STARTS(norm, len, "فال") || STARTS(norm, len, "بال") ||
              STARTS(norm, len, "كال")))
        off = L("وال"), pl = 3;
    else if (nl >= 2 + 2 && STARTS(norm, len, "لل")) /* R2 */
        off = L("لل"), pl = 2, lam_lam = true;
    else if (nl >= 2 + 2 && STARTS(norm, len, "ال")) /* R2 */
        off = L("ال"), pl = 2;
    else if (nl >= 1 + 3 && STARTS(norm, len, "و")) /* R3 */
        off = L("و"), pl = 1;
    size_t rest = strip_suffixes(norm + off, len - off, nl - pl);
    /* R0 is consulted only when a rule would change the word: most words
     * are left whole and skip the look-ups (make bench). */
    if (off == 0 && rest == len)
        return MARSAD_OK;
    if (exception(norm, len, &keep)) { /* R0: the whole word */
        *stem_len = keep;
        return MARSAD_OK;
    }
    if (lam_lam && exception(norm + L("ل"), len - L("ل"), &keep)) {
        *stem_off = L("ل"); /* للبنان is ل + لبنان */
        *stem_len = keep;
        return MARSAD_OK;
    }
    if (off && rest < len - off && exception(norm + off, len - off, &keep)) {
        *stem_off = off; /* R0: the word after its prefix */
        *stem_len = keep;
        return MARSAD_OK;
    }
    *stem_off = off;
    *stem_len = rest;
    return MARSAD_OK;
}
