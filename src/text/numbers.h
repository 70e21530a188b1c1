/*
 * numbers.h: the number reader's token-level API, for the facts layer.
 *
 * marsad_numbers_scan (include/marsad.h) tokenises a text and reports each
 * number expression; mr_numbers_find does the same over a token vector the
 * caller already built, and reports more: the token range, the span of the
 * number proper beside the span of its qualifier, and the qualifier written
 * before a multiple (نحو ضعف).
 *
 * What is read (tests/spec/numbers.md has an example of every rule):
 *  - digits of the three sets with their separators (1,200 · 1.5 · ١٬٢٠٠ ·
 *    ٣٫٥); number words in every case form, compounds joined by و
 *    (ثلاثة آلاف وخمسمائة، خمس وعشرون), mixed (20 ألفًا، 1.5 مليون، مليون
 *    ونصف المليون); data/number_words.tsv lists the words;
 *  - qualifiers before (نحو، أكثر من، ما يصل إلى ...) and right after
 *    (تقريبا، على الأقل، ونيف), ranges (بين X و Y، من X إلى Y، X إلى Y،
 *    X-Y، X أو Y) and percent (% ٪ في المئة); data/qualifiers.tsv lists them;
 *  - vague quantities (عشرات 20-99، مئات 200-999، آلاف 2000-9999، عشرات
 *    الآلاف 20000-99999، ملايين 2e6-9999999، مليارات 2e9-999e9، بضعة 3-9)
 *    with qualifier range and MARSAD_NUMF_VAGUE;
 *  - fractions (ربع = 25, in percent, MARSAD_NUMF_FRACTION), multiples
 *    (ضعف = 2, qualifier multiple) and ordinals 1-19 (MARSAD_NUMF_ORDINAL).
 * A span never starts with a glued clitic: و1600 → 1600, بثماني → ثماني,
 * وأكثر من 750 → أكثر من 750.
 *
 * Cost: one left-to-right pass; every attempt looks at a bounded number of
 * tokens (a number has at most a few dozen words), so O(number of tokens).
 */
#ifndef MR_NUMBERS_H
#define MR_NUMBERS_H

#include "text/text.h"

/* Internal flags, above the public MARSAD_NUMF_* bits. */
#define MR_NUMF_SCALED   0x100u /* a scale word multiplies (20 ألفًا، مليون) */
#define MR_NUMF_COMPOUND 0x200u /* parts joined by و (خمس وعشرون) */
#define MR_NUMF_RANGE2   0x400u /* a range with two written ends */
#define MR_NUMF_POSTQUAL 0x800u /* the qualifier follows the number */

typedef struct mr_number {
    /* start/end: bytes from the qualifier (when there is one) through the
     * number, a range's second end, a percent sign and a qualifier after
     * it; the value, the qualifier and MARSAD_NUMF_* | MR_NUMF_* flags. */
    marsad_number n;
    size_t num_start, num_end;   /* the number proper (both ends of a range) */
    size_t qual_start, qual_end; /* the qualifier phrase before it; 0,0 if none */
    size_t first, last;          /* tokens of the whole span, inclusive */
    size_t num_first, num_last;  /* tokens of the number proper */
    /* the qualifier phrase as written: differs from n.qualifier for a
     * multiple (نحو ضعف: multiple, mod approx), a vague quantity (range)
     * or a range (بين ... : mod range); MARSAD_Q_EXACT when none */
    marsad_qualifier mod;
} mr_number;

/* Return 0 to go on, non-zero to stop. */
typedef int (*mr_number_fn)(const mr_number *num, void *ctx);

/*
 * Calls fn for each number expression of text[0..len), in text order,
 * reading the tokens of tv (built from the same text by mr_toks_build with
 * the default normalisation flags: the lexicons are keyed on that form;
 * stemming does not matter). Expressions never overlap.
 * Returns MARSAD_OK (also when fn stopped early) or MARSAD_E_ARG.
 */
marsad_status mr_numbers_find(const mr_toks *tv, const char *text, size_t len,
                              mr_number_fn fn, void *ctx);

/* The qualifier named by s ("approx", "more_than" ...); -1 if none. */
int mr_qualifier_parse(const char *s);

#endif
