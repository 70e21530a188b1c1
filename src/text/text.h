/*
 * text.h: the text kernel's internal API for the layers above it
 * (extract, link, store). Pure functions over memory: no I/O, no globals.
 *
 * The public subset is in include/marsad.h; this header adds the pieces
 * that other layers need in bulk: a per-report token vector (tokens with
 * normalised and stemmed forms in one buffer), code-point folding, and the
 * compiled lexicon tables.
 */
#ifndef MR_TEXT_H
#define MR_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "marsad.h"

/* ---------------------------------------------------------------- UTF-8 */

/* Encodes cp (invalid values become U+FFFD) into out[0..4); returns 1..4. */
size_t mr_utf8_encode(uint32_t cp, char *out);

/*
 * True when marsad_utf8_decode(s, ...) returned n bytes and cp for an
 * invalid sequence, false for a valid one (a literal U+FFFD, EF BF BD, is
 * valid; a truncated 4-byte sequence also consumes 3 bytes, so the length
 * alone cannot tell them apart).
 */
static inline bool mr_utf8_bad(const char *s, size_t n, uint32_t cp)
{
    return cp == MARSAD_REPLACEMENT_CHAR &&
           !(n == 3 && (uint8_t)s[0] == 0xEF && (uint8_t)s[1] == 0xBF &&
             (uint8_t)s[2] == 0xBD);
}

/*
 * True for the bidi controls that change the order of the text after them:
 * embeddings and overrides (U+202A LRE .. U+202E RLO, with U+202C PDF) and
 * isolates (U+2066 LRI .. U+2069 PDI). A report holding U+202E can make
 * "20" show as "02" wherever its text is displayed, so the writers for
 * people (HTML, terminal) show these as the visible text "<U+202E>"
 * (MR_BIDI_SHOWN_MAX bytes) instead of obeying them. Both are 3 bytes in
 * UTF-8: E2 80 AA..AE and E2 81 A6..A9.
 */
static inline bool mr_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}
#define MR_BIDI_SHOWN_MAX 9

/* ------------------------------------------------------- normalisation */

/* Most code points one code point folds to (U+FDFA, a phrase ligature). */
#define MR_NORM_MAX_OUT 18

/*
 * Folds one code point for matching: writes 0 to MR_NORM_MAX_OUT code
 * points to out[] and returns how many (0 = the code point is dropped, e.g.
 * a haraka; 2 = a lam-alef ligature). flags as for marsad_normalize.
 */
int mr_norm_cp(uint32_t cp, unsigned flags, uint32_t out[MR_NORM_MAX_OUT]);

/* True for code points in the Arabic script blocks (letters and marks). */
bool mr_is_arabic_letter(uint32_t cp);

/* True for code points that separate tokens and belong to none: white
 * space (Unicode Zs, tab, line breaks), C0 and C1 controls (NUL too). */
bool mr_is_space(uint32_t cp);

/* ------------------------------------------------------- token vector */

/*
 * A token of a report. start/end: bytes in the original text (reports are
 * limited to 4 GiB - 1). norm/stem: offsets into mr_toks.buf, where every
 * form is stored NUL-terminated so it can be compared with strcmp.
 */
typedef struct mr_tok {
    uint32_t start, end;
    uint32_t norm, stem;
    uint16_t norm_len, stem_len;
    uint8_t kind;  /* marsad_token_kind */
    uint8_t flags; /* MARSAD_TOKF_* */
} mr_tok;

typedef struct mr_toks {
    mr_tok *v;
    size_t n, cap;
    char *buf;
    size_t buf_len, buf_cap;
} mr_toks;

/*
 * Tokenises s[0..len) into tv (which may hold an earlier report: it is
 * cleared and its memory reused). flags as for marsad_tokenizer_new.
 * Returns MARSAD_OK, MARSAD_E_NOMEM or MARSAD_E_LIMIT (len >= 4 GiB).
 * Amortised O(len); memory grows by doubling.
 */
marsad_status mr_toks_build(mr_toks *tv, const char *s, size_t len,
                            unsigned flags);

/* Releases tv's memory; tv is left empty and reusable. */
void mr_toks_free(mr_toks *tv);

static inline const char *mr_tok_norm(const mr_toks *tv, size_t i)
{
    return tv->buf + tv->v[i].norm;
}

static inline const char *mr_tok_stem(const mr_toks *tv, size_t i)
{
    return tv->buf + tv->v[i].stem;
}

/* ------------------------------------------------------------ lexicons */

/*
 * A lexicon compiled from data/NAME.tsv by tools/gen_lexicon into
 * build/gen/lex_NAME.inc (include it to get `mr_lex_NAME`).
 * rows[r * ncols + 0] is column 1 normalised with marsad_normalize(flags 0)
 * (words separated by one space); rows[r * ncols + 1 + k] is the TSV's
 * column k+1 as written (empty string when missing). Rows are sorted by
 * the normalised key, bytewise; duplicates keep file order.
 */
typedef struct mr_lex {
    const char *const *rows;
    size_t nrows, ncols;
    /* open-addressing hash index over the distinct keys, built by the
     * generator: slots[h & (nslots - 1)], probing linearly, holds 1 + the
     * first row of a key, 0 when empty; nslots is a power of two at least
     * twice the keys. Look-ups run several times per token in extraction;
     * the binary search this replaced was 45 % of `marsad facts` (perf). */
    const uint32_t *slots;
    size_t nslots;
} mr_lex;

/* The hash of the index (FNV-1a, 32 bits), shared with tools/gen_lexicon. */
#define MR_LEX_HASH_INIT 2166136261u
static inline uint32_t mr_lex_hash(const char *key, size_t len)
{
    uint32_t h = MR_LEX_HASH_INIT;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 16777619u;
    }
    return h;
}

/* Index of the first row whose key equals key[0..len), or -1. O(1)
 * expected. */
long mr_lex_find(const mr_lex *lx, const char *key, size_t len);
/* The same with h = mr_lex_hash(key, len) already known (FNV-1a extends a
 * prefix's hash: callers trying a phrase at every length hash it once). */
long mr_lex_find_hashed(const mr_lex *lx, const char *key, size_t len,
                        uint32_t h);
/* Extends h (the hash of some prefix) over s[0..n). */
static inline uint32_t mr_lex_hash_more(uint32_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static inline const char *mr_lex_cell(const mr_lex *lx, size_t row,
                                      size_t col)
{
    return lx->rows[row * lx->ncols + col];
}

/* Fills *err (may be NULL: then nothing) with code, the input's name (may
 * be NULL) and a printf-style message; returns code. status.c */
marsad_status mr_error_set(marsad_error *err, marsad_status code,
                           const char *input, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
marsad_status mr_error_vset(marsad_error *err, marsad_status code,
                            const char *input, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* ------------------------------------------------------------- kit */

/* FNV-1a, 64 bits: start from MR_FNV64_INIT (or a seeded value), feed
 * bytes; mr_mix64 (splitmix64's finaliser) spreads every bit after. The
 * 32-bit FNV-1a is mr_lex_hash above. */
#define MR_FNV64_INIT 0xcbf29ce484222325ull
static inline uint64_t mr_fnv64(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static inline uint64_t mr_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

/* Proleptic Gregorian calendar (calendar.c): days since 1970-01-01 of
 * y-m-d and back, and the days of a month (0 for a month out of 1..12). */
long mr_days_from_civil(long y, long m, long d);
void mr_civil_from_days(long days, long *y, long *m, long *d);
int mr_days_in_month(long y, long m);

#endif /* MR_TEXT_H */
