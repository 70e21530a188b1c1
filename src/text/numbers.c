/*
 * numbers.c: the number reader (see numbers.h for what it reads).
 *
 * The reader walks the token vector once. At each token it tries to read a
 * number "core" (digits or words, with scale words and و-compounds); when
 * one is found it looks back a few tokens for a qualifier phrase (نحو، أكثر
 * من، بين ...), forward for the second end of a range, a percent sign and a
 * qualifier written after it, emits the expression, and goes on after it.
 * Every step inspects a bounded number of tokens, so the pass is linear.
 *
 * Word grammar (values from data/number_words.tsv):
 *   core    := term (و term)*            each term smaller than the scale before it
 *   term    := digits [scale] | fraction scale | scale | dual-scale
 *            | chunk [scale]             then optionally و نصف/ربع [ال-scale]
 *   chunk   := hundred [و part] | part   part := unit [و tens] | tens
 *            | unit عشر | ten            (unit مئة counts as a hundred)
 * Vague, fractional, multiple and ordinal cores are read beside it.
 */
#include <math.h>
#include <string.h>

#include "text/numbers.h"

#include "lex_number_words.inc"
#include "lex_qualifiers.inc"

/* ================================================================ words */

typedef enum wclass {
    W_NONE = 0,
    W_UNIT,
    W_UNIT_C,
    W_TEN,
    W_TENS,
    W_HUNDRED,
    W_SCALE,
    W_SCALE_PL,
    W_SCALE_DUAL,
    W_SCALE_DEF,
    W_VAGUE,
    W_FEW,
    W_SEVERAL,
    W_FRACTION,
    W_FRACTION_PL,
    W_FRACTION_DEF,
    W_MULTIPLE,
    W_MULTIPLE_PL,
    W_ORDINAL,
    W_MULTIPLE_WEAK,
    W_MULTIPLE_CUE
} wclass;

static const char *const class_names[] = {
    "",           "unit",        "unit_c",       "ten",         "tens",
    "hundred",    "scale",       "scale_pl",     "scale_dual",  "scale_def",
    "vague",      "few",         "several",      "fraction",    "fraction_pl",
    "fraction_def", "multiple",  "multiple_pl",  "ordinal",
    "multiple_weak", "multiple_cue"};

typedef struct word {
    wclass cls;
    double v, lo, hi;
    int has_lo, has_hi;
    size_t strip; /* normalised bytes of glued clitics skipped */
} word;

/* Letters that may be glued to a number word or a qualifier: و ف ب ل ك. */
static int clitic_letter(const char *p)
{
    unsigned char a = (unsigned char)p[0], b = (unsigned char)p[1];
    if (a == 0xD9)
        return b == 0x88 ? 'w' : b == 0x81 ? 'f' : b == 0x84 ? 'l' : b == 0x83 ? 'k' : 0;
    if (a == 0xD8 && b == 0xA8)
        return 'b';
    return 0;
}

/* The clitic letter named by c as it is written in the clitics column. */
static int clitic_allowed(const char *allowed, int c)
{
    for (const char *p = allowed; p[0] && p[1]; p += 2)
        if (clitic_letter(p) == c)
            return 1;
    return 0;
}

static double cell_num(const mr_lex *lx, size_t row, size_t col, int *has)
{
    const char *s = col < lx->ncols ? mr_lex_cell(lx, row, col) : "";
    *has = s[0] != 0;
    double v = 0, scale = 0;
    int neg = 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    for (; *s; s++) {
        if (*s == '.') {
            scale = 1;
            continue;
        }
        if (*s == 'e' || *s == 'E') {
            int e = 0;
            for (s++; *s >= '0' && *s <= '9'; s++)
                e = e * 10 + (*s - '0');
            while (e-- > 0)
                v *= 10;
            break;
        }
        if (*s < '0' || *s > '9')
            break;
        if (scale > 0) {
            scale /= 10;
            v += (*s - '0') * scale;
        } else {
            v = v * 10 + (*s - '0');
        }
    }
    return neg ? -v : v;
}

static wclass class_of(const char *name)
{
    for (size_t i = 1; i < sizeof class_names / sizeof class_names[0]; i++)
        if (strcmp(class_names[i], name) == 0)
            return (wclass)i;
    return W_NONE;
}

static int lookup_key(const char *key, size_t len, word *w)
{
    const mr_lex *lx = &mr_lex_number_words;
    long r = mr_lex_find(lx, key, len);
    if (r < 0)
        return 0;
    size_t row = (size_t)r;
    w->cls = class_of(mr_lex_cell(lx, row, 2));
    int has;
    w->v = cell_num(lx, row, 3, &has);
    w->lo = cell_num(lx, row, 4, &w->has_lo);
    w->hi = cell_num(lx, row, 5, &w->has_hi);
    return w->cls != W_NONE;
}

/* ================================================================ scanner */

typedef struct scan {
    const mr_toks *tv;
    const char *s;
    size_t len;
    size_t floor; /* first token not yet inside an emitted expression */
} scan;

static const char *norm(const scan *sc, size_t k) { return mr_tok_norm(sc->tv, k); }
static size_t norm_len(const scan *sc, size_t k) { return sc->tv->v[k].norm_len; }
static int kind(const scan *sc, size_t k) { return sc->tv->v[k].kind; }

/*
 * The number word at token k, reading its normalised form from byte off on
 * (off = 2 after a glued و that joins it to what precedes). With clitics,
 * up to two glued letters of و ف ب ل ك may be skipped when the whole form
 * is no number word (واحد stays واحد; وخمسة is و + خمسة).
 */
static int lookup(const scan *sc, size_t k, size_t off, int clitics, word *w)
{
    memset(w, 0, sizeof *w);
    if (k >= sc->tv->n || kind(sc, k) != MARSAD_TOK_ARABIC)
        return 0;
    const char *n = norm(sc, k) + off;
    size_t len = norm_len(sc, k) - off;
    if (lookup_key(n, len, w))
        return 1;
    for (size_t strip = 2; clitics && strip <= 4 && strip + 4 <= len; strip += 2) {
        /* و or ف first, then ب or ل (وب، فل); never ك: كمية is no مئة */
        int c = clitic_letter(n + strip - 2);
        int conj = c == 'w' || c == 'f';
        if (strip == 2 ? !(conj || c == 'b' || c == 'l')
                       : !(c == 'b' || c == 'l') || !(clitic_letter(n) == 'w' ||
                                                      clitic_letter(n) == 'f'))
            break;
        /* a two-letter word takes only و/ف: لست is "you are not" */
        if (len - strip <= 4 && !(strip == 2 && conj))
            break;
        if (lookup_key(n + strip, len - strip, w)) {
            w->strip = strip;
            return 1;
        }
    }
    return 0;
}

/* True when token k is a glued-و word (وخمسة): its form after the و. */
static int glued_wa(const scan *sc, size_t k)
{
    return k < sc->tv->n && kind(sc, k) == MARSAD_TOK_ARABIC &&
           norm_len(sc, k) > 2 && clitic_letter(norm(sc, k)) == 'w';
}

/* Byte offset in the original text after `letters` normalised Arabic
 * letters of token k (skips the marks and tatweel that follow them). */
static size_t orig_skip(const scan *sc, size_t k, size_t letters)
{
    size_t p = sc->tv->v[k].start, end = sc->tv->v[k].end;
    size_t seen = 0;
    while (p < end) {
        uint32_t cp;
        size_t n = marsad_utf8_decode(sc->s + p, end - p, &cp);
        if (mr_is_arabic_letter(cp) && cp != 0x0640) {
            if (seen == letters)
                break;
            seen++;
        }
        p += n;
    }
    return p;
}

/* ---------------------------------------------------------- qualifiers */

/* Bytes of the longest normalised phrase that can match, with room. */
#define QUAL_MAX_KEY 160

enum qkind { Q_PRE, Q_POST, Q_OPEN, Q_TO, Q_AND, Q_DASH, Q_OR, Q_PERCENT };
static const char *const qkind_names[] = {"pre", "post", "open", "to",
                                          "and", "dash", "or", "percent"};

int mr_qualifier_parse(const char *s)
{
    for (int q = MARSAD_Q_EXACT; q <= MARSAD_Q_MULTIPLE; q++)
        if (s && strcmp(marsad_qualifier_name((marsad_qualifier)q), s) == 0)
            return q;
    return -1;
}

const char *marsad_qualifier_name(marsad_qualifier q)
{
    static const char *const names[] = {"exact",     "approx",    "more_than",
                                        "at_least",  "less_than", "up_to",
                                        "range",     "multiple"};
    return (unsigned)q < sizeof names / sizeof names[0] ? names[q] : "exact";
}

/*
 * Finds a qualifiers.tsv row of kind qk whose phrase is the tokens
 * [k, k+ntok), the first of which may carry clitics the row allows.
 * On success *q is its qualifier and *skip the bytes of the original text
 * skipped at the start of token k.
 */
static int qual_match(const scan *sc, size_t k, size_t ntok, enum qkind qk,
                      marsad_qualifier *q, size_t *skip)
{
    char key[QUAL_MAX_KEY]; /* no phrase of qualifiers.tsv is longer */
    size_t o = 0;
    if (k + ntok > sc->tv->n)
        return 0;
    for (size_t i = 0; i < ntok; i++) {
        size_t nl = norm_len(sc, k + i);
        if (nl == 0 || o + nl + 1 >= sizeof key)
            return 0;
        if (i)
            key[o++] = ' ';
        memcpy(key + o, norm(sc, k + i), nl);
        o += nl;
    }
    const mr_lex *lx = &mr_lex_qualifiers;
    for (size_t strip = 0; strip <= 4 && strip < norm_len(sc, k); strip += 2) {
        if (strip && !clitic_letter(key + strip - 2))
            break;
        long r = mr_lex_find(lx, key + strip, o - strip);
        if (r < 0)
            continue;
        for (size_t row = (size_t)r; row < lx->nrows; row++) {
            if (strcmp(mr_lex_cell(lx, row, 0), mr_lex_cell(lx, (size_t)r, 0)) != 0)
                break;
            if (strcmp(mr_lex_cell(lx, row, 2), qkind_names[qk]) != 0)
                continue;
            const char *allowed = lx->ncols > 4 ? mr_lex_cell(lx, row, 4) : "";
            if (strip >= 2 && !clitic_allowed(allowed, clitic_letter(key)))
                continue;
            if (strip >= 4 && !clitic_allowed(allowed, clitic_letter(key + 2)))
                continue;
            int qv = mr_qualifier_parse(mr_lex_cell(lx, row, 3));
            *q = qv < 0 ? MARSAD_Q_EXACT : (marsad_qualifier)qv;
            *skip = strip ? orig_skip(sc, k, strip / 2) - sc->tv->v[k].start : 0;
            return 1;
        }
    }
    return 0;
}

/* A single-token connector of kind qk at k. */
static int is_conn(const scan *sc, size_t k, enum qkind qk)
{
    marsad_qualifier q;
    size_t skip;
    return k < sc->tv->n && qual_match(sc, k, 1, qk, &q, &skip) && skip == 0;
}

/* ---------------------------------------------------------- digits */

/* Reads the normalised digits n[0..len) (ASCII digits with , and .).
 * A separator followed by exactly three digits groups thousands (1,200 ·
 * 1.200 · 2.010.3), unless the integer part is a lone 0 (0.500); the last
 * separator followed by another count of digits is the decimal mark (1,4 ·
 * 7.27); with both , and . the later one is. Before a scale word a lone
 * dot is the decimal mark (8.743 مليون: scale_next). The value is the digits as
 * an integer divided once by a power of ten, so 7.27 is the double nearest
 * 7.27 (not 7.2700000000000005). *ndec receives the decimal places. */
static double parse_digits(const char *n, size_t len, int *decimal, int *plain,
                           int *ndec, int scale_next)
{
    size_t commas = 0, dots = 0, last_sep = len, first_sep = len;
    for (size_t i = 0; i < len; i++) {
        if (n[i] == ',' || n[i] == '.') {
            if (n[i] == ',')
                commas++;
            else
                dots++;
            if (first_sep == len)
                first_sep = i;
            last_sep = i;
        }
    }
    char dec = 0;
    if (commas && dots)
        dec = n[last_sep];
    else if (commas || dots)
        dec = (len - last_sep - 1 != 3 || (first_sep == 1 && n[0] == '0') ||
               (dots == 1 && !commas && scale_next))
                  ? n[last_sep]
                  : 0;
    *plain = commas == 0 && dots == 0;
    *decimal = 0;
    *ndec = 0;
    double mant = 0;
    int frac = 0;
    for (size_t i = 0; i < len; i++) {
        char c = n[i];
        if (c >= '0' && c <= '9') {
            mant = mant * 10 + (c - '0');
            if (frac)
                (*ndec)++;
        } else if (c == dec && i == last_sep) {
            frac = 1;
            *decimal = 1;
        }
    }
    double p = 1;
    for (int k = 0; k < *ndec; k++)
        p *= 10;
    return mant / p;
}

/* v (with ndec decimal places) times the scale s, exact when the product
 * is a whole number: 7.27 مليون is 7270000, not 7270000.000000001. */
static double scaled(double v, int ndec, double s)
{
    double x = v * s;
    if (ndec > 0) {
        double r = floor(x + 0.5);
        if (fabs(x - r) <= 1e-9 * fabs(x))
            return r;
    }
    return x;
}

/* ---------------------------------------------------------- cores */

enum ckind { C_VALUE, C_VAGUE, C_FRACTION, C_MULTIPLE, C_ORDINAL };

typedef struct core {
    enum ckind kind;
    size_t first, last; /* tokens */
    size_t start, end;  /* bytes */
    double v, lo, hi;   /* v for a value; lo/hi for vague or multiple */
    int has_lo, has_hi;
    double scale;       /* scale of the last term (0 = none) */
    unsigned flags;
    int plain_int;      /* one token of bare digits, an integer */
    int weak;           /* ضعف with no cue after it: needs a qualifier */
    /* the last و join inside the core, for بين X و Y read as a compound */
    int joins;
    size_t join_k, join_off;
    double before_join;
} core;

/* Where the next part after a join starts: "و" token then k+1, or a
 * glued و on token k. Returns 0 when there is no join at k. */
static int join_at(const scan *sc, size_t k, size_t *nk, size_t *noff)
{
    if (k >= sc->tv->n)
        return 0;
    if (is_conn(sc, k, Q_AND)) {
        if (k + 1 >= sc->tv->n)
            return 0;
        *nk = k + 1;
        *noff = 0;
        return 1;
    }
    if (glued_wa(sc, k)) {
        *nk = k;
        *noff = 2;
        return 1;
    }
    return 0;
}

enum { S0, SHUND, SUNIT, SFINAL };

/*
 * One chunk below a thousand: hundreds, units, tens, teens. (k, off) is
 * its first word; clitics: glued letters may be skipped on it. Returns the
 * number of parts read (0 = none) and sets *val, *last, *strip.
 */
static int read_chunk(const scan *sc, size_t k, size_t off, int clitics,
                      double *val, size_t *last, size_t *strip, core *c)
{
    int state = S0, parts = 0;
    double total = 0;
    size_t pk = k, poff = off;
    *strip = 0;
    for (;;) {
        word w, nx;
        if (!lookup(sc, pk, poff, clitics && parts == 0, &w))
            break;
        double add = 0;
        int nstate = state;
        size_t used = 1;
        int have_next = pk + 1 < sc->tv->n && lookup(sc, pk + 1, 0, 0, &nx);
        switch (w.cls) {
        case W_HUNDRED:
            if (state != S0)
                goto done;
            add = w.v;
            nstate = SHUND;
            break;
        case W_UNIT:
            if (state != S0 && state != SHUND)
                goto done;
            if (have_next && nx.cls == W_HUNDRED && nx.v == 100 && state == S0) {
                add = w.v * 100; /* ثلاث مئة */
                nstate = SHUND;
                used = 2;
            } else if (have_next && nx.cls == W_TEN) {
                add = w.v + 10;
                nstate = SFINAL;
                used = 2;
            } else {
                add = w.v;
                nstate = SUNIT;
            }
            break;
        case W_UNIT_C:
            if ((state != S0 && state != SHUND) || !have_next || nx.cls != W_TEN)
                goto done;
            add = w.v + 10;
            nstate = SFINAL;
            used = 2;
            break;
        case W_TEN:
            if (state != S0 && state != SHUND)
                goto done;
            add = 10;
            nstate = SFINAL;
            break;
        case W_TENS:
            if (state == SFINAL)
                goto done;
            add = w.v;
            nstate = SFINAL;
            break;
        default:
            goto done;
        }
        if (parts == 0)
            *strip = w.strip;
        else {
            c->joins++;
            c->join_k = pk;
            c->join_off = poff;
            c->before_join = total;
        }
        total += add;
        state = nstate;
        parts++;
        *last = pk + used - 1;
        if (state == SFINAL)
            break;
        size_t nk, noff;
        if (!join_at(sc, *last + 1, &nk, &noff))
            break;
        pk = nk;
        poff = noff;
        continue;
    done:
        break;
    }
    *val = total;
    return parts;
}

/* A scale word right after token k (ألف، آلاف، مليون، مليونا ...). */
static int scale_after(const scan *sc, size_t k, double *s)
{
    word w;
    if (k + 1 < sc->tv->n && lookup(sc, k + 1, 0, 0, &w) &&
        (w.cls == W_SCALE || w.cls == W_SCALE_PL)) {
        *s = w.v;
        return 1;
    }
    return 0;
}

typedef struct term {
    double v, scale;
    size_t last, strip;
    unsigned flags;
    int decimal, plain, ndec;
} term;

/*
 * One term at (k, off): digits or words with an optional scale, and a
 * following "ونصف [المليون]". Returns 1 when read.
 */
/* Token k is three plain digits, or -1. */
static long group3(const scan *sc, size_t k)
{
    if (k >= sc->tv->n || kind(sc, k) != MARSAD_TOK_NUMBER ||
        norm_len(sc, k) != 3)
        return -1;
    const char *d = norm(sc, k);
    long v = 0;
    for (int i = 0; i < 3; i++) {
        if (d[i] < '0' || d[i] > '9')
            return -1;
        v = v * 10 + (d[i] - '0');
    }
    return v;
}

/*
 * Thousands written apart: "1 200" (one space, or the no-break spaces
 * U+00A0 and U+202F of French typography) and "12،500" (an Arabic comma
 * with no space around it, as some sites type the separator). Token k holds
 * one to three plain digits; each following group must be exactly three
 * digits and not run on into more digits or a decimal part, so "عام 2019
 * 200" and "1، 2، 3" stay apart. Returns the last token of the number and
 * sets *v.
 */
static size_t digit_groups(const scan *sc, size_t k, double *v)
{
    size_t last = k;
    double total = *v;
    for (;;) {
        const mr_tok *a = &sc->tv->v[last];
        size_t nk = last + 1;
        if (nk >= sc->tv->n)
            break;
        const mr_tok *b = &sc->tv->v[nk];
        const char *gap = sc->s + a->end;
        size_t gl = b->start - a->end;
        int spaced = (gl == 1 && gap[0] == ' ') ||
                     (gl == 2 && memcmp(gap, "\xc2\xa0", 2) == 0) ||
                     (gl == 3 && memcmp(gap, "\xe2\x80\xaf", 3) == 0);
        if (!spaced && gl == 0 && b->kind == MARSAD_TOK_PUNCT &&
            b->end - b->start == 2 &&
            memcmp(sc->s + b->start, "\xd8\x8c", 2) == 0 && nk + 1 < sc->tv->n &&
            sc->tv->v[nk + 1].start == b->end)
            nk++; /* 12،500 */
        else if (!spaced)
            break;
        long g = group3(sc, nk);
        if (g < 0)
            break;
        /* the group must end the number: no digits or separator after */
        const mr_tok *e = &sc->tv->v[nk];
        if (e->end < sc->len) {
            unsigned char ch = (unsigned char)sc->s[e->end];
            if ((ch >= '0' && ch <= '9') || ch == '.' || ch == ',')
                break;
        }
        if (spaced && nk + 1 < sc->tv->n && kind(sc, nk + 1) == MARSAD_TOK_NUMBER &&
            sc->tv->v[nk + 1].start == e->end + 1 && group3(sc, nk + 1) < 0)
            break; /* "1 200 3000": a list, not a number */
        total = total * 1000 + (double)g;
        last = nk;
    }
    *v = total;
    return last;
}

/*
 * The Arabic comma as a decimal mark: "3،3"، "12،8 بالمئة" (digits, the
 * comma and one, two or four-plus digits, nothing spaced; three digits
 * after it group thousands, read by digit_groups). Token k holds plain
 * digits; returns the last token of the number, updating *v, *ndec and
 * *decimal when the comma is a decimal mark.
 */
static size_t decimal_comma(const scan *sc, size_t k, double *v, int *ndec,
                            int *decimal)
{
    const mr_toks *tv = sc->tv;
    if (k + 2 >= tv->n)
        return k;
    const mr_tok *c = &tv->v[k + 1], *d = &tv->v[k + 2];
    if (c->start != tv->v[k].end || d->start != c->end ||
        c->kind != MARSAD_TOK_PUNCT || c->end - c->start != 2 ||
        memcmp(sc->s + c->start, "\xd8\x8c", 2) != 0 ||
        d->kind != MARSAD_TOK_NUMBER || (d->flags & MARSAD_TOKF_TRUNCATED))
        return k;
    const char *dn = norm(sc, k + 2);
    size_t dl = norm_len(sc, k + 2);
    if (dl == 3)
        return k;
    for (size_t i = 0; i < dl; i++)
        if (dn[i] < '0' || dn[i] > '9')
            return k;
    /* "1،2،3": a list, not a number */
    if (k + 3 < tv->n && tv->v[k + 3].start == d->end &&
        tv->v[k + 3].kind == MARSAD_TOK_PUNCT)
        return k;
    double mant = *v, p = 1;
    for (size_t i = 0; i < dl; i++) {
        mant = mant * 10 + (dn[i] - '0');
        p *= 10;
    }
    *v = mant / p;
    *ndec = (int)dl;
    *decimal = 1;
    return k + 2;
}

static int read_term(const scan *sc, size_t k, size_t off, int clitics,
                     term *t, core *c)
{
    memset(t, 0, sizeof *t);
    if (k >= sc->tv->n)
        return 0;
    const mr_tok *tk = &sc->tv->v[k];
    double s;
    word w;
    if (tk->kind == MARSAD_TOK_NUMBER && off == 0) {
        if (tk->flags & MARSAD_TOKF_TRUNCATED)
            return 0;
        double sn;
        t->v = parse_digits(norm(sc, k), norm_len(sc, k), &t->decimal, &t->plain,
                            &t->ndec, scale_after(sc, k, &sn));
        t->flags |= MARSAD_NUMF_DIGITS;
        t->last = k;
        if (t->plain && norm_len(sc, k) <= 3)
            t->last = digit_groups(sc, k, &t->v);
        if (t->last == k && t->plain)
            t->last = decimal_comma(sc, k, &t->v, &t->ndec, &t->decimal);
        if (t->decimal)
            t->flags |= MARSAD_NUMF_DECIMAL;
    } else if (lookup(sc, k, off, clitics, &w)) {
        t->strip = w.strip;
        t->flags |= MARSAD_NUMF_WORDS;
        t->last = k;
        if (w.cls == W_FRACTION && scale_after(sc, k, &s)) {
            word sw;
            lookup(sc, k + 1, 0, 0, &sw);
            if (sw.cls != W_SCALE)
                return 0;
            t->v = w.v / 100 * s; /* نصف مليون */
            t->scale = s;
            t->last = k + 1;
            t->flags |= MR_NUMF_SCALED;
            goto half;
        }
        if (w.cls == W_SCALE) {
            t->v = t->scale = w.v;
            t->flags |= MR_NUMF_SCALED;
            goto half;
        }
        if (w.cls == W_SCALE_DUAL) {
            t->scale = w.v;
            t->v = 2 * w.v;
            t->flags |= MR_NUMF_SCALED;
            goto half;
        }
        double val = 0;
        size_t last = k, strip = 0;
        if (!read_chunk(sc, k, off, clitics, &val, &last, &strip, c))
            return 0;
        t->v = val;
        t->last = last;
        t->strip = strip;
    } else {
        return 0;
    }
    if (scale_after(sc, t->last, &s)) {
        t->v = scaled(t->v, t->ndec, s);
        t->scale = s;
        t->last++;
        t->flags |= MR_NUMF_SCALED | MARSAD_NUMF_WORDS;
    } else {
        return 1;
    }
half:
    /* مليون ونصف، مليون ونصف المليون، ثلاثة آلاف وربع */
    {
        size_t nk, noff;
        word f, d;
        if (join_at(sc, t->last + 1, &nk, &noff) && lookup(sc, nk, noff, 0, &f) &&
            (f.cls == W_FRACTION || f.cls == W_FRACTION_DEF) &&
            !scale_after(sc, nk, &s)) {
            t->v += t->scale * f.v / 100;
            t->last = nk;
            t->flags |= MR_NUMF_COMPOUND;
            if (f.cls == W_FRACTION && nk + 1 < sc->tv->n &&
                lookup(sc, nk + 1, 0, 0, &d) && d.cls == W_SCALE_DEF &&
                d.v == t->scale)
                t->last = nk + 1;
        }
    }
    return 1;
}

/* Value cores: terms joined by و, each below the scale before it. */
static int read_value(const scan *sc, size_t k, size_t off, int clitics, core *c)
{
    term t;
    if (!read_term(sc, k, off, clitics, &t, c))
        return 0;
    c->kind = C_VALUE;
    c->v = t.v;
    c->scale = t.scale;
    c->flags |= t.flags;
    c->last = t.last;
    c->start = (off || t.strip)
                   ? orig_skip(sc, k, (off + t.strip) / 2)
                   : sc->tv->v[k].start;
    c->plain_int = t.last == k && t.plain && !t.decimal &&
                   (t.flags & MARSAD_NUMF_DIGITS);
    double scale = t.scale;
    while (scale > 0) {
        size_t nk, noff;
        term u;
        core tmp = *c;
        if (!join_at(sc, c->last + 1, &nk, &noff))
            break;
        if (!read_term(sc, nk, noff, 0, &u, &tmp))
            break;
        if (u.v >= scale || u.scale >= scale)
            break;
        c->joins = tmp.joins + 1;
        c->join_k = nk;
        c->join_off = noff;
        c->before_join = c->v;
        c->v += u.v;
        c->flags |= u.flags | MR_NUMF_COMPOUND;
        c->last = u.last;
        c->plain_int = 0;
        scale = u.scale;
    }
    if (c->joins && !(c->flags & MR_NUMF_COMPOUND))
        c->flags |= MR_NUMF_COMPOUND;
    return 1;
}

/* Vague, fraction, multiple and ordinal cores, tried before values. */
static int read_special(const scan *sc, size_t k, int clitics, core *c)
{
    word w, nx;
    const mr_tok *tk = &sc->tv->v[k];
    int have_next = k + 1 < sc->tv->n && lookup(sc, k + 1, 0, 0, &nx);
    if (tk->kind == MARSAD_TOK_NUMBER) {
        if (have_next && nx.cls == W_MULTIPLE_PL && !(tk->flags & MARSAD_TOKF_TRUNCATED)) {
            int d, p, nd;
            c->kind = C_MULTIPLE;
            c->v = c->lo = c->hi = parse_digits(norm(sc, k), norm_len(sc, k), &d, &p, &nd, 0);
            c->has_lo = c->has_hi = 1;
            c->flags = MARSAD_NUMF_DIGITS | MARSAD_NUMF_WORDS;
            c->last = k + 1;
            c->start = tk->start;
            return 1;
        }
        return 0;
    }
    if (!lookup(sc, k, 0, clitics, &w))
        return 0;
    c->start = w.strip ? orig_skip(sc, k, w.strip / 2) : tk->start;
    c->last = k;
    c->flags = MARSAD_NUMF_WORDS;
    switch (w.cls) {
    case W_VAGUE:
    case W_FEW:
    case W_SEVERAL: {
        double lo = w.lo, hi = w.hi, mul = 1;
        int ok = w.cls != W_SEVERAL;
        size_t nk, noff;
        word t;
        if (have_next && (nx.cls == W_SCALE_PL || nx.cls == W_SCALE_DEF)) {
            mul = nx.v; /* عشرات الآلاف، بضعة آلاف */
            c->last = k + 1;
            ok = 1;
        } else if (have_next && w.cls != W_VAGUE && nx.cls == W_VAGUE) {
            mul = nx.v; /* بضع مئات، عدة عشرات */
            c->last = k + 1;
            ok = 1;
            if (k + 2 < sc->tv->n && lookup(sc, k + 2, 0, 0, &t) &&
                (t.cls == W_SCALE_PL || t.cls == W_SCALE_DEF)) {
                mul *= t.v; /* بضع مئات الآلاف */
                c->last = k + 2;
            }
        } else if (have_next && w.cls == W_FEW && nx.cls == W_TEN) {
            lo += 10; /* بضعة عشر */
            hi += 10;
            c->last = k + 1;
        } else if (w.cls == W_FEW && join_at(sc, k + 1, &nk, &noff) &&
                   lookup(sc, nk, noff, 0, &t) && t.cls == W_TENS) {
            lo += t.v; /* بضع وعشرون */
            hi += t.v;
            c->last = nk;
        }
        if (!ok)
            return 0;
        c->kind = C_VAGUE;
        c->lo = lo * mul;
        c->hi = (hi + 1) * mul - 1;
        c->has_lo = c->has_hi = 1;
        c->flags |= MARSAD_NUMF_VAGUE;
        return 1;
    }
    case W_SCALE_PL:
    case W_SCALE_DEF:
        if (!w.has_lo)
            return 0;
        c->kind = C_VAGUE;
        c->lo = w.lo;
        c->hi = w.hi;
        c->has_lo = c->has_hi = 1;
        c->flags |= MARSAD_NUMF_VAGUE;
        return 1;
    case W_FRACTION:
        if (have_next && (nx.cls == W_SCALE || nx.cls == W_SCALE_PL))
            return 0; /* نصف مليون: a value */
        c->kind = C_FRACTION;
        c->v = w.v;
        c->flags |= MARSAD_NUMF_FRACTION | MARSAD_NUMF_PERCENT;
        return 1;
    case W_MULTIPLE:
        c->kind = C_MULTIPLE;
        c->v = c->lo = c->hi = w.v;
        c->has_lo = c->has_hi = 1;
        return 1;
    case W_MULTIPLE_WEAK: {
        /* ضعف is also "weakness": a multiple only before a cue (ضعف هذا
         * العدد، ضعف ما) or digits, or after a qualifier (نحو ضعف) */
        word cue;
        c->kind = C_MULTIPLE;
        c->v = c->lo = c->hi = w.v;
        c->has_lo = c->has_hi = 1;
        c->weak = !(k + 1 < sc->tv->n &&
                    (kind(sc, k + 1) == MARSAD_TOK_NUMBER ||
                     (lookup(sc, k + 1, 0, 0, &cue) && cue.cls == W_MULTIPLE_CUE)));
        return 1;
    }
    case W_MULTIPLE_PL:
        c->kind = C_MULTIPLE;
        c->v = c->lo = w.lo;
        c->has_lo = 1;
        c->flags |= MARSAD_NUMF_VAGUE;
        return 1;
    case W_ORDINAL:
        c->kind = C_ORDINAL;
        c->v = w.v;
        if (have_next && nx.cls == W_TEN) {
            c->v += 10; /* الحادي عشر */
            c->last = k + 1;
        }
        c->flags |= MARSAD_NUMF_ORDINAL;
        return 1;
    case W_UNIT:
        if (have_next && nx.cls == W_FRACTION_PL) {
            c->kind = C_FRACTION; /* ثلاثة أرباع */
            c->v = w.v * nx.v;
            c->last = k + 1;
            c->flags |= MARSAD_NUMF_FRACTION | MARSAD_NUMF_PERCENT;
            return 1;
        }
        if (have_next && nx.cls == W_MULTIPLE_PL) {
            c->kind = C_MULTIPLE; /* ثلاثة أضعاف */
            c->v = c->lo = c->hi = w.v;
            c->has_lo = c->has_hi = 1;
            c->last = k + 1;
            return 1;
        }
        return 0;
    default:
        return 0;
    }
}

static int read_core(const scan *sc, size_t k, size_t off, int clitics, core *c)
{
    memset(c, 0, sizeof *c);
    c->first = k;
    if (k >= sc->tv->n)
        return 0;
    if ((off == 0 && read_special(sc, k, clitics, c)) ||
        (memset(c, 0, sizeof *c), c->first = k, read_value(sc, k, off, clitics, c))) {
        c->end = sc->tv->v[c->last].end;
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------- expressions */


static int is_year(const core *c)
{
    return c->kind == C_VALUE && c->plain_int && c->v >= 1900 && c->v <= 2100;
}

/* Token k is a number separator that makes a dash ambiguous (dates, times). */
static int date_like(const scan *sc, size_t k)
{
    if (k >= sc->tv->n || kind(sc, k) != MARSAD_TOK_PUNCT)
        return 0;
    const char *n = norm(sc, k);
    return strcmp(n, "-") == 0 || strcmp(n, "/") == 0 || strcmp(n, ":") == 0 ||
           strcmp(n, ".") == 0;
}

/*
 * The second end of a range after core a (tokens a->last + 1 ...). opener
 * is the range word found before a (bين، من) or -1. Fills b and returns
 * the connector's kind + 1, or 0.
 */
static int read_range_end(const scan *sc, const core *a, int opener_between,
                          int opener_from, core *b)
{
    size_t j = a->last + 1;
    if (j >= sc->tv->n || a->kind != C_VALUE)
        return 0;
    size_t nk = j + 1, noff = 0;
    int conn = -1;
    if (is_conn(sc, j, Q_TO))
        conn = Q_TO;
    else if (is_conn(sc, j, Q_DASH))
        conn = Q_DASH;
    else if (is_conn(sc, j, Q_OR))
        conn = Q_OR;
    else if (opener_between && join_at(sc, j, &nk, &noff))
        conn = Q_AND;
    if (conn < 0 || !read_core(sc, nk, noff, 0, b) || b->kind != C_VALUE)
        return 0;
    if (conn == Q_DASH) {
        /* 20-30 in digits, not a date (2019-03-23) or a time */
        if (!(a->flags & MARSAD_NUMF_DIGITS) || !(b->flags & MARSAD_NUMF_DIGITS) ||
            a->last != a->first || b->last != b->first || a->v >= b->v ||
            (a->first > 0 && date_like(sc, a->first - 1)) ||
            date_like(sc, b->last + 1))
            return 0;
    }
    if ((conn == Q_OR || (conn == Q_TO && !opener_from && !opener_between)) &&
        a->v >= b->v && !(b->scale > 0 && a->scale == 0))
        return 0;
    if (!opener_between) {
        /* ارتفع عام 2011 إلى 924 مليون: a year and an amount are no range */
        if (is_year(a) != is_year(b))
            return 0;
        if (!opener_from && a->scale == 0 && b->scale > 0 &&
            a->v * b->scale > b->v)
            return 0;
    }
    return conn + 1;
}

/* Percent after token k: % ٪ في المئة بالمئة. Returns the last token. */
/* Token k is a percent sign, % or ٪. */
static int percent_sign(const scan *sc, size_t k)
{
    const mr_tok *t = &sc->tv->v[k];
    size_t n = t->end - t->start;
    const char *p = sc->s + t->start;
    return (n == 1 && p[0] == '%') ||
           (n == 2 && memcmp(p, "\xd9\xaa", 2) == 0);
}

static int percent_after(const scan *sc, size_t k, size_t *last)
{
    marsad_qualifier q;
    size_t skip;
    for (size_t n = 2; n >= 1; n--)
        if (qual_match(sc, k + 1, n, Q_PERCENT, &q, &skip) && skip == 0) {
            *last = k + n;
            return 1;
        }
    return 0;
}

static void set_value(mr_number *m, marsad_qualifier q, double v)
{
    marsad_number *n = &m->n;
    n->qualifier = q;
    n->min = n->max = v;
    n->has_min = n->has_max = 1;
    if (q == MARSAD_Q_MORE_THAN || q == MARSAD_Q_AT_LEAST) {
        n->has_max = 0;
        n->max = 0;
    } else if (q == MARSAD_Q_LESS_THAN || q == MARSAD_Q_UP_TO) {
        n->has_min = 0;
        n->min = 0;
    } else if (q == MARSAD_Q_RANGE) {
        n->qualifier = MARSAD_Q_EXACT; /* an opener with no second end */
    }
}

/* Reads the expression whose core starts at token k; emits it. Returns
 * the token after it, or k when there is none. *stop when fn said so. */
static size_t expression(scan *sc, size_t k, mr_number_fn fn, void *ctx, int *stop)
{
    core a, b;
    if (!read_core(sc, k, 0, 1, &a))
        return k;
    mr_number m;
    memset(&m, 0, sizeof m);
    m.num_first = a.first;

    /* "%50", as right-to-left typing often leaves it: the sign is part of
     * the number (unless it ends a number glued before it, "50%50") */
    size_t pct_before =
        a.kind == C_VALUE && (a.flags & MARSAD_NUMF_DIGITS) &&
        a.start == sc->tv->v[k].start && k > sc->floor &&
        sc->tv->v[k - 1].end == a.start && percent_sign(sc, k - 1) &&
        (k < 2 || kind(sc, k - 2) != MARSAD_TOK_NUMBER ||
         sc->tv->v[k - 2].end != sc->tv->v[k - 1].start);
    size_t kq = k - pct_before; /* where a qualifier before it ends */

    /* qualifier phrase before: the longest of up to 4 tokens */
    int have_q = 0, opener_between = 0, opener_from = 0;
    marsad_qualifier pq = MARSAD_Q_EXACT;
    size_t qfirst = k, qskip = 0;
    for (size_t n = 4; n >= 1 && !have_q; n--) {
        if (kq < sc->floor + n)
            continue;
        size_t f = kq - n;
        marsad_qualifier q;
        size_t skip;
        if (a.start != sc->tv->v[k].start)
            break; /* a clitic glued to the number: nothing before it binds */
        if (qual_match(sc, f, n, Q_PRE, &q, &skip)) {
            have_q = 1;
        } else if (qual_match(sc, f, n, Q_OPEN, &q, &skip)) {
            have_q = 1;
            const char *last = norm(sc, kq - 1);
            /* بين / ما بين take و or إلى; من takes إلى or حتى */
            if (strcmp(last, "من") == 0 || (strlen(last) > 4 && clitic_letter(last) &&
                                             strcmp(last + 2, "من") == 0))
                opener_from = 1;
            else
                opener_between = 1;
        }
        if (have_q) {
            pq = q;
            qfirst = f;
            qskip = skip;
        }
    }

    /* second end of a range */
    int conn = read_range_end(sc, &a, opener_between, opener_from, &b);
    if (!conn && opener_between && a.joins == 1 && a.kind == C_VALUE) {
        /* بين خمسة وعشرين: the و of the compound is the range's */
        core a2;
        memset(&a2, 0, sizeof a2);
        if (read_core(sc, a.join_k, a.join_off, 0, &b) && b.kind == C_VALUE &&
            b.last == a.last) {
            a2 = a;
            a2.v = a.before_join;
            a = a2;
            conn = Q_AND + 1;
        }
    }
    if ((opener_between || opener_from) && !conn) {
        have_q = 0; /* the opener is only a preposition here */
        pq = MARSAD_Q_EXACT;
    }
    if (conn && conn - 1 == Q_AND && !opener_between)
        conn = 0;
    if (a.weak && (!have_q || opener_between || opener_from))
        return k; /* ضعف المناعة: weakness */

    size_t last = conn ? b.last : a.last;
    unsigned flags = a.flags | (conn ? b.flags : 0);
    size_t plast;
    if (pct_before) {
        flags |= MARSAD_NUMF_PERCENT;
    } else if (a.kind != C_ORDINAL && a.kind != C_FRACTION &&
               percent_after(sc, last, &plast)) {
        flags |= MARSAD_NUMF_PERCENT;
        last = plast;
    }
    m.num_last = last;

    marsad_qualifier post = MARSAD_Q_EXACT;
    int have_post = 0;
    if (!have_q && a.kind != C_ORDINAL) {
        marsad_qualifier q;
        size_t skip;
        for (size_t n = 2; n >= 1 && !have_post; n--)
            if (qual_match(sc, last + 1, n, Q_POST, &q, &skip) && skip == 0) {
                have_post = 1;
                post = q;
                last += n;
                flags |= MR_NUMF_POSTQUAL;
            }
    }
    if (a.kind == C_ORDINAL) {
        have_q = 0;
        pq = MARSAD_Q_EXACT;
    }

    /* the value */
    marsad_qualifier q = have_q ? pq : have_post ? post : MARSAD_Q_EXACT;
    m.mod = q;
    if (conn) {
        /* بين 20 و30 ألفا: the scale of the second end reaches the first */
        double lo = a.v, hi = b.v;
        if (a.scale == 0 && b.scale > 0 && lo * b.scale <= hi)
            lo *= b.scale;
        m.n.qualifier = MARSAD_Q_RANGE;
        m.n.min = lo < hi ? lo : hi;
        m.n.max = lo < hi ? hi : lo;
        m.n.has_min = m.n.has_max = 1;
        flags |= MR_NUMF_RANGE2;
        if (is_year(&a) && is_year(&b))
            flags |= MARSAD_NUMF_YEAR;
    } else if (a.kind == C_VAGUE) {
        m.n.qualifier = MARSAD_Q_RANGE;
        m.n.min = a.lo;
        m.n.max = a.hi;
        m.n.has_min = m.n.has_max = 1;
        if (q == MARSAD_Q_APPROX) {
            m.n.qualifier = q;
        } else if (q == MARSAD_Q_MORE_THAN || q == MARSAD_Q_AT_LEAST) {
            m.n.qualifier = q;
            m.n.has_max = 0;
            m.n.max = 0;
        } else if (q == MARSAD_Q_LESS_THAN || q == MARSAD_Q_UP_TO) {
            m.n.qualifier = q;
            m.n.has_min = 0;
            m.n.min = 0;
        }
    } else if (a.kind == C_MULTIPLE) {
        m.n.qualifier = MARSAD_Q_MULTIPLE;
        m.n.min = a.lo;
        m.n.has_min = a.has_lo;
        m.n.max = a.hi;
        m.n.has_max = a.has_hi;
    } else {
        set_value(&m, q, a.v);
        if (is_year(&a))
            flags |= MARSAD_NUMF_YEAR;
    }
    m.n.flags = flags;

    /* spans */
    m.num_start = pct_before ? sc->tv->v[a.first - 1].start : a.start;
    m.num_end = sc->tv->v[m.num_last].end;
    m.first = have_q ? qfirst : a.first - pct_before;
    m.last = last;
    if (have_q) {
        m.qual_start = sc->tv->v[qfirst].start + qskip;
        m.qual_end = sc->tv->v[kq - 1].end;
    }
    m.n.start = have_q ? m.qual_start : m.num_start;
    m.n.end = sc->tv->v[last].end;
    if (fn(&m, ctx))
        *stop = 1;
    return last + 1;
}

marsad_status mr_numbers_find(const mr_toks *tv, const char *text, size_t len,
                              mr_number_fn fn, void *ctx)
{
    if (!tv || (!text && len) || !fn)
        return MARSAD_E_ARG;
    scan sc = {tv, text ? text : "", len, 0};
    int stop = 0;
    size_t k = 0;
    while (k < tv->n && !stop) {
        int kd = tv->v[k].kind;
        size_t next = k;
        word w;
        /* most Arabic words are no number word: one look-up rejects them */
        if (kd == MARSAD_TOK_NUMBER ||
            (kd == MARSAD_TOK_ARABIC && lookup(&sc, k, 0, 1, &w) &&
             w.cls != W_MULTIPLE_CUE))
            next = expression(&sc, k, fn, ctx, &stop);
        if (next > k) {
            sc.floor = next;
            k = next;
        } else {
            k++;
        }
    }
    return MARSAD_OK;
}

/* ---------------------------------------------------------- public */

typedef struct pub_ctx {
    marsad_number_fn fn;
    void *ctx;
} pub_ctx;

static int pub_cb(const mr_number *num, void *ctx)
{
    pub_ctx *p = ctx;
    marsad_number n = num->n;
    n.flags &= 0xFFu; /* only the public bits */
    return p->fn(&n, p->ctx);
}

marsad_status marsad_numbers_scan(const char *s, size_t len,
                                  marsad_number_fn fn, void *ctx)
{
    if ((!s && len) || !fn)
        return MARSAD_E_ARG;
    mr_toks tv;
    memset(&tv, 0, sizeof tv);
    marsad_status rc = mr_toks_build(&tv, s ? s : "", len, MARSAD_TOKENIZE_NO_STEM);
    if (rc == MARSAD_OK) {
        pub_ctx p = {fn, ctx};
        rc = mr_numbers_find(&tv, s ? s : "", len, pub_cb, &p);
    }
    mr_toks_free(&tv);
    return rc;
}
