/*
 * tokenize.c: splitting text into tokens with byte offsets.
 *
 * One scanner (scan_token) finds the next token's bytes and kind; the
 * streaming tokenizer (marsad_tokenizer_*) and the per-report vector
 * (mr_toks_build) both sit on it and differ only in where the normalised
 * and stemmed forms are written: the tokenizer's single fold buffer, or
 * the vector's one growing buffer. Neither allocates per token.
 *
 * Rules (docs/text.md has the full list with examples):
 *  - White space (Unicode Zs, tab, line breaks), C0/C1 controls (NUL
 *    included) and invisible format characters standing alone separate
 *    tokens and belong to none.
 *  - A word is a run of letters of one script class: Arabic letters with
 *    their marks and tatweel (كتـــب، مُحَمَّد stay one word), or Latin and
 *    other letters with ASCII digits after the first letter (COVID19, F16).
 *    Zero-width joiners and other invisible format characters inside a
 *    word keep it whole.
 *  - A number is a run of digits of any of the three sets, with , . ٫ ٬
 *    inside it when a digit follows at once (1,200 · 1.5 · ١٬٢٠٠ · ٣٫٥);
 *    a trailing separator is punctuation of its own.
 *  - An Arabic run of one or two clitic letters (و ف ب ك ل) glued to a
 *    number is its own token flagged MARSAD_TOKF_SPLIT_PREFIX: و1600 is
 *    و + 1600.
 *  - Every other code point is one token: punctuation (ASCII, Arabic
 *    ، ؛ ؟ ٪, quotes « » “ ” ‘ ’, dashes) or a symbol (everything else,
 *    including U+FFFD for each invalid UTF-8 sequence).
 *  - No token is longer than MARSAD_MAX_TOKEN bytes: a longer run is cut at
 *    a code-point boundary into pieces, each flagged
 *    MARSAD_TOKF_TRUNCATED.
 */
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

/* ================================================================ classes */

enum cls {
    C_SPACE,   /* separator, no token */
    C_IGNORE,  /* invisible format character: inside words, else space */
    C_AR,      /* Arabic letter */
    C_ARMARK,  /* Arabic mark or tatweel: continues an Arabic word */
    C_LAT,     /* other letter */
    C_LATMARK, /* combining mark of other scripts */
    C_DIGIT,   /* digit of any set */
    C_NUMSEP,  /* , . ٫ ٬ : inside numbers only */
    C_PUNCT,
    C_SYMBOL
};

static bool is_ignorable(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xFEFF || cp == 0x061C || cp == 0x00AD || cp == 0x034F;
}

bool mr_is_space(uint32_t cp)
{
    if (cp <= 0x20 || (cp >= 0x7F && cp <= 0xA0))
        return true; /* ASCII blanks, C0 and C1 controls, NBSP */
    return cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
           cp == 0x180E;
}

static bool is_arabic_mark(uint32_t cp)
{
    return (cp >= 0x0610 && cp <= 0x061A) || (cp >= 0x064B && cp <= 0x065F) ||
           cp == 0x0670 || (cp >= 0x06D6 && cp <= 0x06DC) ||
           (cp >= 0x06DF && cp <= 0x06E8) || (cp >= 0x06EA && cp <= 0x06ED) ||
           (cp >= 0x08CA && cp <= 0x08FF) || cp == 0x0640 ||
           (cp >= 0xFE70 && cp <= 0xFE7F && cp != 0xFE75);
}

static bool is_digit_cp(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0x0660 && cp <= 0x0669) ||
           (cp >= 0x06F0 && cp <= 0x06F9);
}

/* Letters of scripts other than Arabic: Latin, Greek, Cyrillic, Armenian,
 * Hebrew, Indic, CJK, Hangul ... (broad ranges; symbols inside them are
 * rare in news text). */
static bool is_other_letter(uint32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    if (cp < 0x100)
        return cp == 0xAA || cp == 0xB5 || cp == 0xBA ||
               (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7);
    return (cp >= 0x100 && cp <= 0x2AF) ||
           (cp >= 0x370 && cp <= 0x3FF && cp != 0x37E && cp != 0x387) ||
           (cp >= 0x400 && cp <= 0x52F) || (cp >= 0x531 && cp <= 0x587) ||
           (cp >= 0x5D0 && cp <= 0x5F2) || (cp >= 0x900 && cp <= 0xDFF) ||
           (cp >= 0xE00 && cp <= 0xE4F) || (cp >= 0x10A0 && cp <= 0x10FF) ||
           (cp >= 0x1E00 && cp <= 0x1FFF) || (cp >= 0x3040 && cp <= 0x30FF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xFB00 && cp <= 0xFB06) ||
           (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A);
}

static bool is_punct_cp(uint32_t cp)
{
    if (cp < 0x80)
        return strchr("!\"#%&'()*,-./:;?@[\\]_{}", (int)cp) != NULL && cp;
    switch (cp) {
    case 0x00A1:
    case 0x00A7:
    case 0x00AB:
    case 0x00B6:
    case 0x00B7:
    case 0x00BB:
    case 0x00BF:
    case 0x060C:
    case 0x060D:
    case 0x061B:
    case 0x061D:
    case 0x061E:
    case 0x061F:
    case 0x066A:
    case 0x066D:
    case 0x06D4:
    case 0xFD3E:
    case 0xFD3F:
        return true;
    default:
        break;
    }
    return (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E) ||
           (cp >= 0x2E00 && cp <= 0x2E4F) || (cp >= 0x3001 && cp <= 0x3003) ||
           (cp >= 0x3008 && cp <= 0x3011) || (cp >= 0xFE10 && cp <= 0xFE19) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF01 && cp <= 0xFF0F && cp != 0xFF04 && cp != 0xFF0B);
}

/* ASCII classes, one character per code point: S space, P punctuation,
 * Y symbol, N number separator, D digit, L letter. */
static const char ascii_cls[129] =
    "SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS" /* 0x00-0x1F */
    "SPPPYPPPPPPYNPNP"                 /* space ! " # $ % & ' ( ) * + , - . / */
    "DDDDDDDDDDPPYYYP"                 /* 0-9 : ; < = > ? */
    "PLLLLLLLLLLLLLLLLLLLLLLLLLLPPPYP" /* @ A-Z [ \ ] ^ _ */
    "YLLLLLLLLLLLLLLLLLLLLLLLLLLPYPYS"; /* ` a-z { | } ~ DEL */

static enum cls ascii_class(uint32_t cp)
{
    switch (ascii_cls[cp]) {
    case 'S':
        return C_SPACE;
    case 'P':
        return C_PUNCT;
    case 'N':
        return C_NUMSEP;
    case 'D':
        return C_DIGIT;
    case 'L':
        return C_LAT;
    default:
        return C_SYMBOL;
    }
}

static enum cls classify(uint32_t cp)
{
    if (cp < 0x80)
        return ascii_class(cp);
    /* the common case first: Arabic letters and harakat */
    if ((cp >= 0x0620 && cp <= 0x063F) || (cp >= 0x0641 && cp <= 0x064A))
        return C_AR;
    if ((cp >= 0x064B && cp <= 0x065F) || cp == 0x0640)
        return C_ARMARK;
    if (cp >= 0x0600 && cp <= 0x06FF) {
        if (is_digit_cp(cp))
            return C_DIGIT;
        if (cp == 0x066B || cp == 0x066C)
            return C_NUMSEP;
        if (is_arabic_mark(cp))
            return C_ARMARK;
        if (mr_is_arabic_letter(cp))
            return C_AR;
        if (cp == 0x061C)
            return C_IGNORE;
        return is_punct_cp(cp) ? C_PUNCT : C_SYMBOL;
    }
    if (is_ignorable(cp))
        return C_IGNORE;
    if (mr_is_space(cp))
        return C_SPACE;
    if (is_arabic_mark(cp))
        return C_ARMARK;
    if (mr_is_arabic_letter(cp))
        return C_AR;
    if (cp >= 0x0300 && cp <= 0x036F)
        return C_LATMARK;
    if (is_other_letter(cp))
        return C_LAT;
    return is_punct_cp(cp) ? C_PUNCT : C_SYMBOL;
}

/* ================================================================ scanner */

typedef struct scanner {
    const char *s;
    size_t len, pos;
    bool cut;        /* the previous token was cut at MARSAD_MAX_TOKEN */
    enum cls cut_as; /* the class of the run that was cut */
} scanner;

typedef struct span {
    size_t start, end;
    marsad_token_kind kind;
    unsigned flags;
} span;

/* Decodes at p; the code point's class and byte length. ASCII fast path. */
static inline enum cls at(const scanner *sc, size_t p, size_t *n)
{
    uint8_t b = (uint8_t)sc->s[p];
    if (b < 0x80) {
        *n = 1;
        return ascii_class(b);
    }
    if (b >= 0xD8 && b <= 0xDB && p + 1 < sc->len &&
        ((uint8_t)sc->s[p + 1] & 0xC0) == 0x80) { /* U+0600-U+06FF */
        *n = 2;
        return classify(((uint32_t)(b & 0x1F) << 6) |
                        ((uint8_t)sc->s[p + 1] & 0x3Fu));
    }
    uint32_t cp;
    *n = marsad_utf8_decode(sc->s + p, sc->len - p, &cp);
    if (mr_utf8_bad(sc->s + p, *n, cp))
        return C_SYMBOL; /* an invalid sequence: a token of its own */
    return classify(cp);
}

static bool continues(enum cls word, enum cls c)
{
    if (word == C_AR)
        return c == C_AR || c == C_ARMARK;
    if (word == C_LAT)
        return c == C_LAT || c == C_LATMARK || c == C_DIGIT;
    return false;
}

/* Extends a word run from p; invisible characters inside are kept when a
 * continuing character follows them. Stops at MARSAD_MAX_TOKEN bytes from
 * start (then *cut is set). Returns the end. */
static size_t run_word(const scanner *sc, size_t start, size_t p, enum cls word,
                       bool *cut)
{
    size_t n;
    *cut = false;
    const uint8_t *u = (const uint8_t *)sc->s;
    size_t limit = start + MARSAD_MAX_TOKEN; /* bytes a token may reach */
    if (limit > sc->len)
        limit = sc->len;
    while (p < sc->len) {
        if (word == C_AR) {
            /* fast path: the letters U+0620-U+063F (D8 A0-BF) and
             * U+0640-U+065F (D9 80-9F: tatweel, letters, harakat) */
            while (p + 2 <= limit) {
                /* as one 16-bit value the pairs are D8A0..D99F; the
                 * values between are not valid UTF-8 pairs */
                unsigned w = ((unsigned)u[p] << 8 | u[p + 1]) - 0xD8A0u;
                if (w > 0xFFu || (u[p + 1] & 0xC0) != 0x80)
                    break;
                p += 2;
            }
            if (p >= sc->len)
                break;
        } else if (word == C_LAT) {
            while (p < limit && u[p] < 0x80 &&
                   (ascii_cls[u[p]] == 'L' || ascii_cls[u[p]] == 'D'))
                p++;
            if (p >= sc->len)
                break;
        }
        enum cls c = at(sc, p, &n);
        size_t q = p + n;
        if (c == C_IGNORE) {
            size_t m = 0;
            enum cls d = C_SPACE;
            while (q < sc->len && (d = at(sc, q, &m)) == C_IGNORE)
                q += m;
            if (q >= sc->len || !continues(word, d))
                break;
            q += m;
        } else if (word == C_LAT && c == C_DIGIT && (uint8_t)sc->s[p] >= 0x80) {
            break; /* Arabic-Indic digits do not continue a Latin word */
        } else if (!continues(word, c)) {
            break;
        }
        if (q - start > MARSAD_MAX_TOKEN) {
            *cut = true;
            break;
        }
        p = q;
    }
    return p;
}

static size_t run_number(const scanner *sc, size_t start, size_t p, bool *cut)
{
    size_t n, m;
    *cut = false;
    while (p < sc->len) {
        enum cls c = at(sc, p, &n);
        size_t q = p + n;
        if (c == C_NUMSEP) {
            if (q >= sc->len || at(sc, q, &m) != C_DIGIT)
                break;
            q += m;
        } else if (c != C_DIGIT) {
            break;
        }
        if (q - start > MARSAD_MAX_TOKEN) {
            *cut = true;
            break;
        }
        p = q;
    }
    return p;
}

/* True when the Arabic run s[a..b) is one or two of و ف ب ك ل, possibly
 * with marks or tatweel between (بـ). */
static bool is_clitic_run(const char *s, size_t a, size_t b)
{
    size_t letters = 0;
    while (a < b) {
        uint32_t cp;
        a += marsad_utf8_decode(s + a, b - a, &cp);
        if (cp == 0x0648 || cp == 0x0641 || cp == 0x0628 || cp == 0x0643 ||
            cp == 0x0644)
            letters++;
        else if (!is_arabic_mark(cp))
            return false;
    }
    return letters >= 1 && letters <= 2;
}

/* Finds the next token; returns false at the end. */
static bool scan_token(scanner *sc, span *tk)
{
    size_t n;
    while (sc->pos < sc->len) {
        size_t p = sc->pos;
        enum cls c = at(sc, p, &n);
        bool was_cut = sc->cut;
        enum cls cut_as = sc->cut_as;
        sc->cut = false;
        if (c == C_SPACE || c == C_IGNORE) {
            sc->pos = p + n;
            continue;
        }
        tk->start = p;
        tk->flags = was_cut ? MARSAD_TOKF_TRUNCATED : 0;
        bool cut = false;
        if (c == C_ARMARK && was_cut && cut_as == C_AR)
            c = C_AR; /* a cut Arabic word continuing with marks */
        if (c == C_LATMARK && was_cut && cut_as == C_LAT)
            c = C_LAT;
        if (c == C_AR || c == C_ARMARK) {
            /* marks alone (no letter) still form a run, of kind symbol */
            size_t end = run_word(sc, p, p + n, C_AR, &cut);
            tk->end = end;
            tk->kind = c == C_AR ? MARSAD_TOK_ARABIC : MARSAD_TOK_SYMBOL;
            if (c == C_ARMARK) {
                /* promote when a letter appears inside the run */
                size_t q = p, m;
                while (q < end) {
                    if (at(sc, q, &m) == C_AR) {
                        tk->kind = MARSAD_TOK_ARABIC;
                        break;
                    }
                    q += m;
                }
            }
            if (!cut && end < sc->len && at(sc, end, &n) == C_DIGIT &&
                is_clitic_run(sc->s, p, end))
                tk->flags |= MARSAD_TOKF_SPLIT_PREFIX;
            if (cut)
                sc->cut_as = C_AR;
        } else if (c == C_LAT || c == C_LATMARK) {
            tk->end = run_word(sc, p, p + n, C_LAT, &cut);
            tk->kind = c == C_LAT ? MARSAD_TOK_LATIN : MARSAD_TOK_SYMBOL;
            if (cut)
                sc->cut_as = C_LAT;
        } else if (c == C_DIGIT) {
            tk->end = run_number(sc, p, p + n, &cut);
            tk->kind = MARSAD_TOK_NUMBER;
            if (cut)
                sc->cut_as = C_DIGIT;
        } else {
            tk->end = p + n;
            tk->kind = c == C_SYMBOL ? MARSAD_TOK_SYMBOL : MARSAD_TOK_PUNCT;
        }
        if (cut) {
            tk->flags |= MARSAD_TOKF_TRUNCATED;
            sc->cut = true;
        }
        sc->pos = tk->end;
        return true;
    }
    return false;
}

/* Normalises the token's bytes into out (cap >= MARSAD_NORM_MAX_GROWTH *
 * bytes + 1), NUL-terminates, and computes the stem as an offset/length
 * inside it. */
static void fold(const char *s, const span *tk, unsigned flags, char *out,
                 size_t cap, size_t *norm_len, size_t *stem_off,
                 size_t *stem_len)
{
    size_t m = marsad_normalize(s + tk->start, tk->end - tk->start, out,
                                cap - 1, flags & 0xFFu);
    if (m > cap - 1)
        m = cap - 1; /* cannot happen with the documented bound */
    out[m] = 0;
    *norm_len = m;
    *stem_off = 0;
    *stem_len = m;
    if (tk->kind == MARSAD_TOK_ARABIC && !(flags & MARSAD_TOKENIZE_NO_STEM) &&
        !(tk->flags & MARSAD_TOKF_SPLIT_PREFIX))
        marsad_stem(out, m, stem_off, stem_len);
}

/* Bytes the fold of one token can need: norm, NUL, stem copy, NUL. */
#define FOLD_MAX (2 * (MARSAD_NORM_MAX_GROWTH * MARSAD_MAX_TOKEN + 1))

/* ================================================================ streaming */

struct marsad_tokenizer {
    unsigned flags;
    scanner sc;
    char *buf; /* fold buffer: norm, NUL, stem, NUL */
    size_t cap;
};

marsad_status marsad_tokenizer_new(marsad_tokenizer **out, unsigned flags)
{
    if (!out)
        return MARSAD_E_ARG;
    *out = NULL;
    marsad_tokenizer *t = calloc(1, sizeof *t);
    if (!t)
        return MARSAD_E_NOMEM;
    t->flags = flags;
    /* Start small; the buffer doubles when a token's fold needs more. */
    t->cap = 1024;
    t->buf = malloc(t->cap);
    if (!t->buf) {
        free(t);
        return MARSAD_E_NOMEM;
    }
    *out = t;
    return MARSAD_OK;
}

marsad_status marsad_tokenizer_reset(marsad_tokenizer *t, const char *s,
                                     size_t len)
{
    if (!t)
        return MARSAD_E_ARG;
    memset(&t->sc, 0, sizeof t->sc);
    t->sc.s = s ? s : "";
    t->sc.len = s ? len : 0;
    return s || !len ? MARSAD_OK : MARSAD_E_ARG;
}

int marsad_tokenizer_next(marsad_tokenizer *t, marsad_token *tok)
{
    span tk;
    if (!t || !tok || !scan_token(&t->sc, &tk))
        return 0;
    size_t bytes = tk.end - tk.start;
    size_t need = 2 * (MARSAD_NORM_MAX_GROWTH * bytes + 1);
    if (need > t->cap) {
        size_t cap = t->cap;
        while (cap < need)
            cap *= 2;
        char *nb = realloc(t->buf, cap);
        if (!nb) {
            /* out of memory: report the token without forms */
            memset(tok, 0, sizeof *tok);
            tok->start = tk.start;
            tok->end = tk.end;
            tok->kind = tk.kind;
            tok->flags = tk.flags;
            t->buf[0] = 0;
            tok->norm = tok->stem = t->buf;
            return 1;
        }
        t->buf = nb;
        t->cap = cap;
    }
    size_t nl, so, sl;
    size_t half = t->cap / 2;
    fold(t->sc.s, &tk, t->flags, t->buf, half, &nl, &so, &sl);
    /* the stem, NUL-terminated, in the second half */
    char *stem = t->buf + half;
    memcpy(stem, t->buf + so, sl);
    stem[sl] = 0;
    tok->start = tk.start;
    tok->end = tk.end;
    tok->kind = tk.kind;
    tok->flags = tk.flags;
    tok->norm = t->buf;
    tok->norm_len = nl;
    tok->stem = stem;
    tok->stem_len = sl;
    return 1;
}

void marsad_tokenizer_free(marsad_tokenizer *t)
{
    if (!t)
        return;
    free(t->buf);
    free(t);
}

const char *marsad_token_kind_name(marsad_token_kind kind)
{
    switch (kind) {
    case MARSAD_TOK_ARABIC:
        return "arabic";
    case MARSAD_TOK_LATIN:
        return "latin";
    case MARSAD_TOK_NUMBER:
        return "number";
    case MARSAD_TOK_PUNCT:
        return "punct";
    case MARSAD_TOK_SYMBOL:
        return "symbol";
    }
    return "unknown";
}

/* ================================================================ vector */

static marsad_status grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return MARSAD_OK;
    size_t c = *cap ? *cap : 256;
    while (c < need) {
        if (c > SIZE_MAX / 2 / size)
            return MARSAD_E_NOMEM;
        c *= 2;
    }
    void *q = realloc(*p, c * size);
    if (!q)
        return MARSAD_E_NOMEM;
    *p = q;
    *cap = c;
    return MARSAD_OK;
}

marsad_status mr_toks_build(mr_toks *tv, const char *s, size_t len,
                            unsigned flags)
{
    if (!tv || (!s && len))
        return MARSAD_E_ARG;
    tv->n = 0;
    tv->buf_len = 0;
    if (len > UINT32_MAX - 1)
        return MARSAD_E_LIMIT;
    scanner sc = {s ? s : "", len, 0, false, C_SPACE};
    span tk;
    marsad_status rc = MARSAD_OK;
    /* a first guess: one token per 6 bytes, forms about the text's size */
    if (!tv->v)
        rc = grow((void **)&tv->v, &tv->cap, len / 8 + 16, sizeof *tv->v);
    if (rc == MARSAD_OK && !tv->buf)
        rc = grow((void **)&tv->buf, &tv->buf_cap, len + len / 2 + FOLD_MAX, 1);
    while (rc == MARSAD_OK && scan_token(&sc, &tk)) {
        size_t bytes = tk.end - tk.start;
        size_t need = 2 * (MARSAD_NORM_MAX_GROWTH * bytes + 1);
        rc = grow((void **)&tv->v, &tv->cap, tv->n + 1, sizeof *tv->v);
        if (rc == MARSAD_OK)
            rc = grow((void **)&tv->buf, &tv->buf_cap, tv->buf_len + need, 1);
        if (rc != MARSAD_OK)
            break;
        char *out = tv->buf + tv->buf_len;
        size_t nl, so, sl;
        fold(sc.s, &tk, flags, out, need / 2, &nl, &so, &sl);
        mr_tok *t = &tv->v[tv->n++];
        t->start = (uint32_t)tk.start;
        t->end = (uint32_t)tk.end;
        t->kind = (uint8_t)tk.kind;
        t->flags = (uint8_t)tk.flags;
        t->norm = (uint32_t)tv->buf_len;
        t->norm_len = (uint16_t)nl;
        size_t used = nl + 1;
        if (so + sl == nl) {
            /* the stem ends with the form: share its bytes and NUL */
            t->stem = t->norm + (uint32_t)so;
        } else {
            memmove(out + used, out + so, sl);
            out[used + sl] = 0;
            t->stem = (uint32_t)(tv->buf_len + used);
            used += sl + 1;
        }
        t->stem_len = (uint16_t)sl;
        if (tv->buf_len + used > UINT32_MAX) {
            tv->n--;
            rc = MARSAD_E_LIMIT;
            break;
        }
        tv->buf_len += used;
    }
    if (rc != MARSAD_OK)
        tv->n = 0;
    return rc;
}

void mr_toks_free(mr_toks *tv)
{
    if (!tv)
        return;
    free(tv->v);
    free(tv->buf);
    memset(tv, 0, sizeof *tv);
}
