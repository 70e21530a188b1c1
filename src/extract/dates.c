/*
 * dates.c: dates and periods with their ISO 8601 values (DESIGN.md, "A
 * date"; span conventions in ../shared/gold/README.md: منذ, قبل, حتى, "في
 * وقت سابق", يوم and عام stay in the span; في, خلال, بعد stay out).
 *
 * The words come from data/date_words.tsv (months of the Egyptian,
 * Maghrebi, Levantine/Iraqi, Algerian/Tunisian and Hijri lists, weekdays,
 * number words, units, direction words). Rules, tried at each token:
 *
 *  I   في وقت سابق [اليوم [weekday]]                 relative
 *  R   [part] اليوم|أمس|غدا [weekday]; حتى اللحظة|الآن  relative (report day)
 *  A   [يوم] [weekday] day month [year]; d/m/yyyy      absolute
 *  W   [يوم] weekday                                   weekday
 *  M   month year                                      month
 *      [منذ] month الماضي|المقبل|الجاري                relative
 *      month (bare)                                    month
 *  Y   [منذ|حتى] عام|العام|سنة 2014; في 2014           year
 *      العام|الشهر|الأسبوع الماضي|المقبل               relative
 *  D   [منذ|قبل] [نحو|ما يقرب من] N unit [الماضية]     duration P…, or
 *      relative (ago / the last N units)
 *  V   مؤخرا، الآن، المستقبل القريب                    relative, vague
 *  N   حينها، آنذاك: the date last named in the sentence
 *
 * Resolution: words relative to "now" use opts->published (else value ""
 * and relative = true); "اليوم الثلاثاء" is the last Tuesday on or before
 * it (wire copy keeps its "today"). A month or day without a year takes
 * the report's year, or the year of the last full date met earlier in the
 * text (a dateline, "يوم الإثنين 21
 * مارس 2022") when the report date is not known. Hijri dates are converted with the
 * tabular Islamic calendar (30-year cycle, epoch 16 July 622 Julian).
 *
 * Cost: O(n log L) for n tokens and L lexicon rows; no allocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "extract/facts_util.h"
#include "extract/xutil.h"

#include "lex_date_words.inc"

#define L_WAW "\xd9\x88"
#define L_FA "\xd9\x81"
#define L_BA "\xd8\xa8"
#define L_LAM "\xd9\x84"
#define L_ALEF "\xd8\xa7"

/* ------------------------------------------------------------- calendar */

/* 0 = Sunday. 1970-01-01 was a Thursday. */
static int weekday_of(long days)
{
    long w = (days + 4) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* Days since 1970 of Hijri y-m-d, tabular calendar (civil epoch). */
static long days_from_hijri(long y, long m, long d)
{
    long jdn = d + (295 * (m - 1) + 9) / 10 + (y - 1) * 354 +
               (3 + 11 * y) / 30 + 1948440 - 1;
    return jdn - 2440588; /* JDN of 1970-01-01 */
}

/* ----------------------------------------------------------- words */

typedef struct dword {
    const char *type; /* "" when the token is not a date word */
    long value;
    const char *sys;
    bool amb;
    char unit;      /* D W M Y H, or 'X' for a decade */
    long count;     /* dual units: 2 */
    unsigned skip;  /* clitic letters before the word */
    size_t ntok;    /* tokens the word covers (2 for كانون الثاني) */
} dword;

typedef struct dctx {
    const char *text;
    mr_facts *f;
    const mr_toks *tv;
    const uint8_t *ent; /* tokens inside entities */
    bool has_pub;
    long pub;           /* days */
    bool has_anchor;
    long anchor;        /* the last full date met in the text */
    char last_value[48];
    size_t last_value_sentence;
    size_t sentence;    /* counts sentence ends seen */
    dword *memo;        /* lookup() per token, filled on first use: the
                           rules ask about the same tokens many times */
    uint8_t *memo_set;
} dctx;

static bool starts(const char *s, size_t n, const char *p)
{
    size_t m = strlen(p);
    return n >= m && memcmp(s, p, m) == 0;
}

static size_t letters(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

static bool is_word(const dctx *c, size_t i)
{
    return i < c->tv->n && c->tv->v[i].kind == MARSAD_TOK_ARABIC;
}

static dword from_row(long r, unsigned skip, size_t ntok)
{
    dword w;
    memset(&w, 0, sizeof w);
    const mr_lex *lx = &mr_lex_date_words;
    w.type = mr_lex_cell(lx, (size_t)r, 2);
    const char *v = mr_lex_cell(lx, (size_t)r, 3);
    const char *x = mr_lex_cell(lx, (size_t)r, 4);
    w.skip = skip;
    w.ntok = ntok;
    if (mr_x_streq(w.type, "unit")) {
        w.unit = v[0];
        if (v[0] == 'Y' && v[1] == '1')
            w.unit = 'X';
        w.count = atol(x);
    } else {
        w.value = atol(v);
        w.sys = x;
        w.amb = mr_x_streq(mr_lex_cell(lx, (size_t)r, 5), "amb");
    }
    return w;
}

/*
 * The date word at token i: tried as written, without و/ف, then without
 * ب/ل, and (for numbers and units) without ال. Two-word months first.
 */
static dword lookup_word(const dctx *c, size_t i)
{
    dword none;
    memset(&none, 0, sizeof none);
    none.type = "";
    if (!is_word(c, i))
        return none;
    const mr_toks *tv = c->tv;
    const char *w = mr_tok_norm(tv, i);
    size_t n = tv->v[i].norm_len;
    struct { const char *s; size_t n; unsigned skip; } v[4];
    int nv = 0;
    v[nv].s = w, v[nv].n = n, v[nv++].skip = 0;
    if ((starts(w, n, L_WAW) || starts(w, n, L_FA)) && letters(w, n) >= 3)
        v[nv].s = w + 2, v[nv].n = n - 2, v[nv++].skip = 1;
    for (int k = 0, m = nv; k < m; k++)
        if ((starts(v[k].s, v[k].n, L_BA) || starts(v[k].s, v[k].n, L_LAM)) &&
            letters(v[k].s, v[k].n) >= 3)
            v[nv].s = v[k].s + 2, v[nv].n = v[k].n - 2,
            v[nv++].skip = v[k].skip + 1;
    char key[600];
    for (int k = 0; k < nv; k++) {
        /* the two-word key's hash extends the first word's */
        uint32_t h = mr_lex_hash(v[k].s, v[k].n);
        if (is_word(c, i + 1) && v[k].n + 1 + tv->v[i + 1].norm_len < sizeof key) {
            memcpy(key, v[k].s, v[k].n);
            key[v[k].n] = ' ';
            memcpy(key + v[k].n + 1, mr_tok_norm(tv, i + 1),
                   tv->v[i + 1].norm_len);
            size_t kn = v[k].n + 1 + tv->v[i + 1].norm_len;
            long r = mr_lex_find_hashed(&mr_lex_date_words, key, kn,
                                        mr_lex_hash_more(h, key + v[k].n,
                                                         kn - v[k].n));
            if (r >= 0)
                return from_row(r, v[k].skip, 2);
        }
        long r = mr_lex_find_hashed(&mr_lex_date_words, v[k].s, v[k].n, h);
        if (r >= 0)
            return from_row(r, v[k].skip, 1);
    }
    for (int k = 0; k < nv; k++) { /* الأشهر، الستة، العامين */
        if (!starts(v[k].s, v[k].n, L_ALEF L_LAM) || letters(v[k].s, v[k].n) < 4)
            continue;
        long r = mr_lex_find(&mr_lex_date_words, v[k].s + 4, v[k].n - 4);
        if (r >= 0) {
            dword d = from_row(r, v[k].skip, 1);
            if (mr_x_streq(d.type, "num") || mr_x_streq(d.type, "unit") ||
                mr_x_streq(d.type, "ord"))
                return d;
        }
    }
    return none;
}

static dword lookup(const dctx *c, size_t i)
{
    if (!c->memo || i >= c->tv->n)
        return lookup_word(c, i);
    if (!c->memo_set[i]) {
        c->memo[i] = lookup_word(c, i);
        c->memo_set[i] = 1;
    }
    return c->memo[i];
}

static bool is(const dword *w, const char *type)
{
    return mr_x_streq(w->type, type);
}

/* The normalised token i equals the UTF-8 word s[0..m) (after و/ف). */
static bool tok_is_n(const dctx *c, size_t i, const char *s, size_t m)
{
    if (i >= c->tv->n)
        return false;
    const char *w = mr_tok_norm(c->tv, i);
    size_t n = c->tv->v[i].norm_len;
    if (n == m && !memcmp(w, s, n))
        return true;
    return n == m + 2 && (starts(w, n, L_WAW) || starts(w, n, L_FA)) &&
           !memcmp(w + 2, s, m);
}

/* The same for a string literal s: its length is known at compile time
 * (a strlen per call was 4 % of `marsad facts`: the rules ask ~4,000
 * times per report). */
#define tok_is(c, i, s) tok_is_n((c), (i), "" s, sizeof(s) - 1)

/* Integer value of a digits token, or -1. */
static long num_tok(const dctx *c, size_t i)
{
    if (i >= c->tv->n || c->tv->v[i].kind != MARSAD_TOK_NUMBER)
        return -1;
    const char *s = mr_tok_norm(c->tv, i);
    size_t n = c->tv->v[i].norm_len;
    if (n == 0 || n > 6)
        return -1;
    long v = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] < '0' || s[k] > '9')
            return -1;
        v = v * 10 + (s[k] - '0');
    }
    return v;
}

/* A year: 4 digits in [1000, 2100]; returns the next token after it
 * (past a following م or هـ) in *next. */
static long year_at(const dctx *c, size_t i, size_t *next, bool *hijri)
{
    long y = num_tok(c, i);
    if (y < 1000 || y > 2100 || c->tv->v[i].norm_len != 4)
        return -1;
    *next = i + 1;
    *hijri = false;
    if (is_word(c, i + 1)) {
        const char *w = mr_tok_norm(c->tv, i + 1);
        size_t n = c->tv->v[i + 1].norm_len;
        if (n == 2 && !memcmp(w, "\xd9\x85", 2)) /* م */
            *next = i + 2;
        else if (n == 2 && !memcmp(w, "\xd9\x87", 2)) /* هـ */
            *next = i + 2, *hijri = true;
    }
    return y;
}

/* ------------------------------------------------------------ emitting */

typedef struct dres {
    mr_date_kind kind;
    mr_month_system months;
    bool vague, relative;
    char value[48];
} dres;

static mr_month_system sys_of(const char *s)
{
    if (!s)
        return MR_MONTHS_NONE;
    if (mr_x_streq(s, "egyptian"))
        return MR_MONTHS_EGYPTIAN;
    if (mr_x_streq(s, "maghrebi"))
        return MR_MONTHS_MAGHREBI;
    if (mr_x_streq(s, "levantine"))
        return MR_MONTHS_LEVANTINE;
    if (mr_x_streq(s, "algerian"))
        return MR_MONTHS_ALGERIAN;
    if (mr_x_streq(s, "hijri"))
        return MR_MONTHS_HIJRI;
    return MR_MONTHS_NONE;
}

static void fmt_day(char *out, size_t cap, long days)
{
    long y, m, d;
    mr_civil_from_days(days, &y, &m, &d);
    snprintf(out, cap, "%04ld-%02ld-%02ld", y, m, d);
}

static marsad_status emit(dctx *c, size_t t0, unsigned skip, size_t t1,
                          const dres *r)
{
    mr_date *d = MR_VEC_PUSH(c->f->dates);
    if (!d)
        return MARSAD_E_NOMEM;
    const mr_tok *a = &c->tv->v[t0];
    uint32_t st = a->start;
    for (unsigned k = 0; k < skip && st < a->end; k++) { /* clitic letters */
        uint32_t cp;
        st += (uint32_t)marsad_utf8_decode(c->text + st, a->end - st, &cp);
    }
    d->start = st;
    d->end = c->tv->v[t1 - 1].end;
    d->kind = r->kind;
    d->months = r->months;
    d->vague = r->vague;
    d->relative = r->relative;
    memcpy(d->value, r->value, sizeof d->value);
    if (r->value[0]) {
        memcpy(c->last_value, r->value, sizeof c->last_value);
        c->last_value_sentence = c->sentence;
    }
    return MARSAD_OK;
}

/* Reference day for a month or day without a year: the report date when
 * known, else the text's last full date (a dateline, the date of an
 * article the report summarises). */
static bool ref_day(const dctx *c, long *days, bool *relative)
{
    if (c->has_pub) {
        *days = c->pub;
        *relative = true;
        return true;
    }
    *days = c->anchor;
    *relative = false;
    return c->has_anchor;
}

/* Subtracts n units from day `from`; writes the value at the unit's
 * granularity (Y -> year, M -> month, else date). */
static long minus_units(long from, char unit, long n)
{
    long y, m, d;
    mr_civil_from_days(from, &y, &m, &d);
    switch (unit) {
    case 'D':
        return from - n;
    case 'W':
        return from - 7 * n;
    case 'H':
        return from - n / 24;
    case 'X':
        n *= 10;
        /* fall through */
    case 'Y':
        y -= n;
        break;
    default: { /* M */
        long t = y * 12 + (m - 1) - n;
        y = t / 12;
        m = t % 12 + 1;
    }
    }
    if (d > mr_days_in_month(y, m))
        d = mr_days_in_month(y, m);
    return mr_days_from_civil(y, m, d);
}

static void fmt_at(char *out, size_t cap, long days, char unit)
{
    long y, m, d;
    mr_civil_from_days(days, &y, &m, &d);
    if (unit == 'Y' || unit == 'X')
        snprintf(out, cap, "%04ld", y);
    else if (unit == 'M')
        snprintf(out, cap, "%04ld-%02ld", y, m);
    else
        snprintf(out, cap, "%04ld-%02ld-%02ld", y, m, d);
}

/* ------------------------------------------------------------ the rules */

/* Token i starts with the article ال (after و/ف). */
static bool is_definite(const dctx *c, size_t i)
{
    if (!is_word(c, i))
        return false;
    const char *w = mr_tok_norm(c->tv, i);
    size_t n = c->tv->v[i].norm_len;
    if ((starts(w, n, L_WAW) || starts(w, n, L_FA)) &&
        starts(w + 2, n - 2, L_ALEF L_LAM))
        return true;
    return starts(w, n, L_ALEF L_LAM);
}

/* A count before a unit at token i: digits, a number word, or none. */
static long count_at(const dctx *c, size_t i, size_t *after)
{
    long v = num_tok(c, i);
    if (v > 0 && v < 1000) {
        *after = i + 1;
        return v;
    }
    dword w = lookup(c, i);
    if (is(&w, "num")) {
        *after = i + 1;
        return w.value;
    }
    return -1;
}

/*
 * Rule D from token j: [approx] N unit [dir] | dual-unit [dir] |
 * ال-unit ال-N dir | ال-N unit dir. keep: the word before (منذ/قبل/حتى)
 * or NULL. Returns the end token (exclusive) or 0.
 */
static size_t rule_duration(dctx *c, size_t j, const char *keep, dres *r)
{
    size_t k = j, after;
    /* qualifiers kept in the span: نحو، حوالي; ما يقرب من; أكثر من */
    dword q = lookup(c, k);
    if (is(&q, "approx"))
        k++;
    else if (tok_is(c, k, "\xd9\x85\xd8\xa7") && /* ما يقرب من */
             tok_is(c, k + 1, "\xd9\x8a\xd9\x82\xd8\xb1\xd8\xa8") &&
             tok_is(c, k + 2, "\xd9\x85\xd9\x86"))
        k += 3;
    long n = -1;
    char unit = 0;
    size_t end = 0;
    dword u;
    n = count_at(c, k, &after);
    if (n > 0) {
        u = lookup(c, after);
        if (is(&u, "unit") && !u.skip) {
            unit = u.unit;
            end = after + 1;
        }
    } else {
        u = lookup(c, k);
        if (is(&u, "unit") && u.count == 2 && !u.skip) {
            n = 2, unit = u.unit, end = k + 1; /* أسبوعين، العامين */
        } else if (is(&u, "unit") && !u.skip) {
            /* الأشهر الستة: the unit first is definite; "عقد 3 اجتماعات"
             * is the verb عقد, not three decades */
            long m = count_at(c, k + 1, &after);
            if (!is_definite(c, k) && (m != 1 || num_tok(c, k + 1) >= 0))
                m = -1; /* "يوم واحد" stays: واحد follows its noun */
            if (m > 0)
                n = m, unit = u.unit, end = after;
            else if (u.count == 1 && keep && !mr_x_streq(keep, "since"))
                n = 1, unit = u.unit, end = k + 1; /* قبل عام */
        }
    }
    if (!end || n <= 0)
        return 0;
    dword dir = lookup(c, end);
    bool past = is(&dir, "dir") && dir.value == -1;
    if (past)
        end++;
    else if (is_definite(c, k) || is_definite(c, end - 1))
        return 0; /* "الساعة الواحدة" is a clock time; "الأشهر الستة"
                     needs الماضية */
    memset(r, 0, sizeof *r);
    if (past || keep) {
        r->kind = MR_DATE_RELATIVE;
        r->relative = true;
        if (c->has_pub) {
            long from = minus_units(c->pub, unit, n);
            if (past) {
                char a[24], b[24];
                fmt_day(a, sizeof a, from);
                fmt_day(b, sizeof b, c->pub);
                snprintf(r->value, sizeof r->value, "%s/%s", a, b);
            } else {
                fmt_at(r->value, sizeof r->value, from, unit);
            }
        }
    } else {
        r->kind = MR_DATE_DURATION;
        if (unit == 'H')
            snprintf(r->value, sizeof r->value, "PT%ldH", n);
        else
            snprintf(r->value, sizeof r->value, "P%ld%c", unit == 'X' ? n * 10 : n,
                     unit == 'X' ? 'Y' : unit);
    }
    return end;
}

/* Token i is the normalised word s glued to و (and nothing else). */
static bool waw_glued(const dctx *c, size_t i)
{
    return is_word(c, i) &&
           starts(mr_tok_norm(c->tv, i), c->tv->v[i].norm_len, L_WAW);
}

/*
 * An ordinal day of the month at token k: الخامس، الحادي عشر (11),
 * الخامس والعشرين (25), الحادي والثلاثين (31), or a definite ten before
 * من (العشرين من مارس). A following من is passed (الثامن من مارس).
 * Returns the day and the month's token in *next, or -1.
 */
static long ordinal_day(const dctx *c, size_t k, size_t *next)
{
    dword o = lookup(c, k);
    size_t t = k + 1;
    long day;
    if (is(&o, "ord") && !o.skip) {
        day = o.value;
        dword tens = lookup(c, t);
        if (tok_is(c, t, "عشر") || tok_is(c, t, "عشره")) {
            if (day > 9)
                return -1;
            day += 10, t++;
        } else if (is(&tens, "num") && tens.skip == 1 && waw_glued(c, t) &&
                   (tens.value == 20 || tens.value == 30) && day < 10) {
            day += tens.value, t++;
        }
    } else if (is(&o, "num") && !o.skip && is_definite(c, k) &&
               (o.value == 20 || o.value == 30) && tok_is(c, t, "من")) {
        day = o.value;
    } else {
        return -1;
    }
    if (day < 1 || day > 31)
        return -1;
    if (tok_is(c, t, "من"))
        t++;
    *next = t;
    return day;
}

/* Month from token j: returns the end token or 0. */
static size_t rule_month(dctx *c, size_t j, long day, bool since, dres *r)
{
    dword m = lookup(c, j);
    if (!is(&m, "month") || m.skip)
        return 0;
    size_t end = j + m.ntok, next;
    bool hij = false;
    if (end + 1 < c->tv->n && c->tv->v[end].kind == MARSAD_TOK_PUNCT &&
        c->text[c->tv->v[end].start] == '/') { /* يوليو/تموز: two systems */
        dword m2 = lookup(c, end + 1);
        if (is(&m2, "month") && !m2.skip && m2.value == m.value &&
            !mr_x_streq(m2.sys, "hijri"))
            end += 1 + m2.ntok;
    }
    long y = year_at(c, end, &next, &hij);
    if (y < 0 && tok_is(c, end, "من")) { /* شهر مارس من عام 2011 */
        dword u = lookup(c, end + 1);
        size_t nx;
        bool hj;
        long y2;
        if (is(&u, "unit") && u.unit == 'Y' && u.count == 1 && !u.skip &&
            (y2 = year_at(c, end + 2, &nx, &hj)) > 0)
            y = y2, next = nx, hij = hj;
    }
    dword dir = lookup(c, end);
    bool has_dir = is(&dir, "dir") && !dir.skip;
    bool hijri = mr_x_streq(m.sys, "hijri");
    if (m.amb && day < 0 && y < 0 && !has_dir &&
        !(j > 0 && tok_is(c, j - 1, "\xd8\xb4\xd9\x87\xd8\xb1"))) /* شهر */
        return 0;
    if (hijri && day < 0 && y < 0)
        return 0; /* a Hijri month alone names no calendar date */
    memset(r, 0, sizeof *r);
    r->months = sys_of(m.sys);
    long mo = m.value;
    if (y > 0) {
        end = next;
        if (hijri && !hij && y >= 1900) {
            /* رمضان 2019: a Gregorian year names the Hijri year whose
             * month begins in it (the Hijri year is ~11 days shorter, so
             * one of three neighbours does) */
            long h0 = (y - 622) * 33 / 32, from = mr_days_from_civil(y, 1, 1),
                 to = mr_days_from_civil(y + 1, 1, 1), h = -1;
            for (long k = h0 - 1; k <= h0 + 1 && h < 0; k++) {
                long a = days_from_hijri(k, mo, 1);
                if (a >= from && a < to)
                    h = k;
            }
            if (h < 0)
                return 0;
            y = h;
        }
        if (hijri) {
            long a = days_from_hijri(y, mo, day > 0 ? day : 1);
            if (day > 0) {
                r->kind = MR_DATE_ABSOLUTE;
                fmt_day(r->value, sizeof r->value, a);
            } else {
                long b = days_from_hijri(mo == 12 ? y + 1 : y,
                                         mo == 12 ? 1 : mo + 1, 1) - 1;
                char sa[24], sb[24];
                fmt_day(sa, sizeof sa, a);
                fmt_day(sb, sizeof sb, b);
                r->kind = MR_DATE_MONTH;
                snprintf(r->value, sizeof r->value, "%s/%s", sa, sb);
            }
            return end;
        }
        if (day > 0) {
            if (day > mr_days_in_month(y, mo))
                return 0;
            r->kind = MR_DATE_ABSOLUTE;
            snprintf(r->value, sizeof r->value, "%04ld-%02ld-%02ld", y, mo, day);
            c->has_anchor = true;
            c->anchor = mr_days_from_civil(y, mo, day);
        } else {
            r->kind = MR_DATE_MONTH;
            snprintf(r->value, sizeof r->value, "%04ld-%02ld", y, mo);
        }
        return end;
    }
    if (hijri)
        return 0; /* day + Hijri month, no year: no conversion possible */
    long ref;
    bool rel;
    bool ok = ref_day(c, &ref, &rel);
    long ry = 0, rm = 0, rd = 0;
    if (ok)
        mr_civil_from_days(ref, &ry, &rm, &rd);
    r->relative = rel;
    if (has_dir) {
        end++;
        r->kind = day > 0 ? MR_DATE_ABSOLUTE : MR_DATE_RELATIVE;
        if (ok) {
            long yy = ry;
            if (dir.value < 0 && mo >= rm)
                yy--;
            else if (dir.value > 0 && mo <= rm)
                yy++;
            if (day > 0)
                snprintf(r->value, sizeof r->value, "%04ld-%02ld-%02ld", yy, mo, day);
            else
                snprintf(r->value, sizeof r->value, "%04ld-%02ld", yy, mo);
        }
    } else {
        r->kind = day > 0 ? MR_DATE_ABSOLUTE : MR_DATE_MONTH;
        if (ok) {
            if (day > 0 && day <= mr_days_in_month(ry, mo))
                snprintf(r->value, sizeof r->value, "%04ld-%02ld-%02ld", ry, mo, day);
            else if (day <= 0)
                snprintf(r->value, sizeof r->value, "%04ld-%02ld", ry, mo);
        }
    }
    if (since && day < 0 && has_dir && r->value[0] && c->has_pub) {
        char to[24];
        fmt_day(to, sizeof to, c->pub);
        size_t l = strlen(r->value);
        snprintf(r->value + l, sizeof r->value - l, "/%s", to);
        r->kind = MR_DATE_RELATIVE;
        r->relative = true;
    }
    return end;
}

/* Weekday (index j) resolved to the day on or before the report date. */
static void weekday_value(const dctx *c, long wd, dres *r)
{
    r->relative = true;
    if (!c->has_pub)
        return;
    long back = (weekday_of(c->pub) - wd + 7) % 7;
    fmt_day(r->value, sizeof r->value, c->pub - back);
}

/* The year, month or week (Sunday to Saturday) `dir` units from the
 * report's: العام الماضي، هذا الشهر، الأسبوع المقبل. */
static void period_value(const dctx *c, char unit, long dir, dres *r)
{
    r->kind = MR_DATE_RELATIVE;
    r->relative = true;
    if (!c->has_pub)
        return;
    long y0, m0, d0;
    mr_civil_from_days(c->pub, &y0, &m0, &d0);
    if (unit == 'Y') {
        snprintf(r->value, sizeof r->value, "%04ld", y0 + dir);
    } else if (unit == 'M') {
        long t = y0 * 12 + m0 - 1 + dir;
        snprintf(r->value, sizeof r->value, "%04ld-%02ld", t / 12,
                 t % 12 + 1);
    } else {
        long from = c->pub - weekday_of(c->pub) + 7 * dir;
        char a[24], b[24];
        fmt_day(a, sizeof a, from);
        fmt_day(b, sizeof b, from + 6);
        snprintf(r->value, sizeof r->value, "%s/%s", a, b);
    }
}

/* Tries every rule at token i; returns the end token (exclusive) or 0,
 * with the span's first token and clitic skip in *t0 / *skip. */
static size_t parse_at(dctx *c, size_t i, size_t *t0, unsigned *skip, dres *r)
{
    size_t n = c->tv->n;
    dword w = lookup(c, i);
    memset(r, 0, sizeof *r);
    *t0 = i;
    *skip = w.skip;

    /* I: في وقت سابق [اليوم [weekday]] */
    if (tok_is(c, i, "\xd9\x81\xd9\x8a") &&
        tok_is(c, i + 1, "\xd9\x88\xd9\x82\xd8\xaa") &&
        tok_is(c, i + 2, "\xd8\xb3\xd8\xa7\xd8\xa8\xd9\x82")) {
        const char *w0 = mr_tok_norm(c->tv, i);
        *skip = c->tv->v[i].norm_len > 4 ? 1 : 0; /* وفي */
        (void)w0;
        size_t end = i + 3;
        dword d = lookup(c, end);
        r->kind = MR_DATE_RELATIVE;
        r->relative = true;
        if (is(&d, "deixis") && d.value == 0 && !d.skip) {
            end++;
            dword wd = lookup(c, end);
            if (c->has_pub)
                fmt_day(r->value, sizeof r->value, c->pub);
            if (is(&wd, "weekday") && !wd.skip) {
                end++;
                weekday_value(c, wd.value, r);
            }
        } else {
            r->vague = true;
        }
        return end;
    }

    /* أول أمس، أول من أمس، قبل أمس: two days back; بعد غد: two ahead */
    {
        size_t t = i + 1;
        long off = 0;
        const char *lead = NULL;
        if (tok_is(c, i, "اول")) {
            lead = "اول";
            if (tok_is(c, t, "من"))
                t++;
            off = -2;
        } else if (tok_is(c, i, "قبل")) {
            lead = "قبل";
            off = -2;
        } else if (tok_is(c, i, "بعد")) {
            lead = "بعد";
            off = 2;
        }
        dword d = lookup(c, t);
        if (off && is(&d, "deixis") && !d.skip &&
            d.value == (off < 0 ? -1 : 1)) {
            *skip = c->tv->v[i].norm_len > strlen(lead) ? 1 : 0;
            r->kind = MR_DATE_RELATIVE;
            r->relative = true;
            if (c->has_pub)
                fmt_day(r->value, sizeof r->value, c->pub + off);
            return t + 1;
        }
    }

    /* a range of days in one month: من 13 إلى 15 يوليو، بين 13 و15 يوليو */
    if (tok_is(c, i, "من") || tok_is(c, i, "بين")) {
        bool from = tok_is(c, i, "من");
        long d1 = num_tok(c, i + 1), d2 = -1;
        size_t t = i + 2;
        if (from && (tok_is(c, t, "الي") || tok_is(c, t, "حتي")))
            d2 = num_tok(c, t + 1), t += 2;
        else if (!from && tok_is(c, t, "و"))
            d2 = num_tok(c, t + 1), t += 2;
        dres r2;
        size_t end;
        if (d1 >= 1 && d2 > d1 && d2 <= 31 &&
            (end = rule_month(c, t, d2, false, &r2)) && r2.value[0] &&
            strlen(r2.value) == 10) {
            *r = r2;
            *skip = c->tv->v[i].norm_len > (from ? 4u : 6u) ? 1 : 0;
            char a[16];
            snprintf(a, sizeof a, "%.8s%02d", r2.value, (int)d1);
            snprintf(r->value, sizeof r->value, "%s/%.10s", a, r2.value);
            return end;
        }
    }

    /* keep words: منذ، قبل، حتى */
    const char *keep = NULL;
    size_t j = i;
    if (is(&w, "keep")) {
        const char *kw = mr_tok_norm(c->tv, i) + 2 * w.skip;
        keep = starts(kw, 6, "\xd9\x85\xd9\x86\xd8\xb0") ? "since"
               : starts(kw, 6, "\xd8\xad\xd8\xaa\xd9\x89") ? "until" : "ago";
        if (starts(kw, 6, "\xd8\xad\xd8\xaa\xd9\x8a"))
            keep = "until";
        j = i + 1;
        w = lookup(c, j);
        if (w.skip)
            return 0;
    }
    if (keep && mr_x_streq(keep, "until") &&
        (tok_is(c, j, "\xd8\xa7\xd9\x84\xd9\x84\xd8\xad\xd8\xb8\xd9\x87") ||
         tok_is(c, j, "\xd8\xa7\xd9\x84\xd8\xa7\xd9\x86"))) {
        /* حتى اللحظة، حتى الآن: up to the report */
        r->kind = MR_DATE_RELATIVE;
        r->relative = true;
        if (c->has_pub)
            fmt_day(r->value, sizeof r->value, c->pub);
        return j + 1;
    }

    /* R: [part] اليوم|أمس [weekday] */
    size_t k = j;
    if (!keep && is(&w, "part")) {
        dword nx = lookup(c, j + 1);
        if ((is(&nx, "deixis") || is(&nx, "weekday")) && !nx.skip)
            k = j + 1, w = nx;
    }
    /* "اليوم الثالث من الحرب" is the war's third day, not today */
    bool nth_day = is(&w, "deixis") && w.value == 0 &&
                   is((dword[]){lookup(c, k + 1)}, "ord");
    if (!keep && !nth_day &&
        (is(&w, "deixis") ||
         (tok_is(c, k, "\xd9\x8a\xd9\x88\xd9\x85") && /* يوم أمس */
          is((dword[]){lookup(c, k + 1)}, "deixis")))) {
        if (!is(&w, "deixis"))
            k++, w = lookup(c, k);
        long off = w.value;
        size_t end = k + 1;
        dword wd = lookup(c, end);
        r->kind = MR_DATE_RELATIVE;
        r->relative = true;
        if (c->has_pub)
            fmt_day(r->value, sizeof r->value, c->pub + off);
        if (is(&wd, "weekday") && !wd.skip) {
            end++;
            if (off == 0)
                weekday_value(c, wd.value, r);
            else if (c->has_pub) {
                /* the weekday named wins over a day's shift between the
                 * report's clock and the place's: "أمس السبت" in a report
                 * dated Saturday by UTC, written on Sunday there */
                long at = c->pub + off;
                for (long d = 1; d >= -1; d -= 2)
                    if (weekday_of(at) != wd.value &&
                        weekday_of(at + d) == wd.value)
                        at += d;
                fmt_day(r->value, sizeof r->value, at);
            }
        }
        return end;
    }

    /* Two named days: "يومي الجمعة والسبت [الماضيين]" is the span from
     * the first to the second (the last such days on or before the
     * report's) */
    if (!keep && tok_is(c, j, "يومي")) {
        dword d1 = lookup(c, j + 1), d2 = lookup(c, j + 2);
        if (is(&d1, "weekday") && is(&d2, "weekday") && d1.value != d2.value) {
            size_t end = j + 3;
            if (tok_is(c, end, "الماضيين"))
                end++;
            r->kind = MR_DATE_RELATIVE;
            r->relative = true;
            if (c->has_pub) {
                long b = c->pub - (weekday_of(c->pub) - d2.value + 7) % 7;
                long a = b - (d2.value - d1.value + 7) % 7;
                char sa[24], sb[24];
                fmt_day(sa, sizeof sa, a);
                fmt_day(sb, sizeof sb, b);
                snprintf(r->value, sizeof r->value, "%s/%s", sa, sb);
            }
            return end;
        }
    }

    /* A / W: [يوم] [weekday] [day month [year]] */
    k = j;
    if (tok_is(c, k, "\xd9\x8a\xd9\x88\xd9\x85")) { /* يوم */
        dword nx = lookup(c, k + 1);
        if (is(&nx, "weekday") && !nx.skip)
            k++;
        else if (num_tok(c, k + 1) < 0)
            goto not_day;
        else
            k++;
    }
    w = lookup(c, k);
    long wd = -1;
    if (is(&w, "weekday") && (k == j || !w.skip)) {
        wd = w.value;
        k++;
    }
    size_t k_wd = k;
    /* a dateline's comma: "الأربعاء، 13 فبراير 2013" */
    if (wd >= 0 && k + 1 < n && c->tv->v[k].kind == MARSAD_TOK_PUNCT &&
        (c->text[c->tv->v[k].start] == ',' ||
         (c->tv->v[k].end - c->tv->v[k].start == 2 &&
          !memcmp(c->text + c->tv->v[k].start, "\xd8\x8c", 2))) &&
        num_tok(c, k + 1) >= 1)
        k++;
    {
        long day = num_tok(c, k);
        size_t mk = k + 1;
        if (day < 1 || day > 31)
            day = ordinal_day(c, k, &mk);
        if (day > 0) {
            size_t end = rule_month(c, mk, day, keep && mr_x_streq(keep, "since"), r);
            if (end)
                return end;
            /* "15 من الشهر الجاري|الماضي|المقبل" */
            dword u = lookup(c, mk + 1), dir = lookup(c, mk + 2);
            if (day <= 31 && tok_is(c, mk, "\xd9\x85\xd9\x86") &&
                is(&u, "unit") && u.unit == 'M' && u.count == 1 && !u.skip &&
                is(&dir, "dir") && !dir.skip) {
                r->kind = MR_DATE_ABSOLUTE;
                r->relative = true;
                if (c->has_pub) {
                    long y0, m0, d0;
                    mr_civil_from_days(c->pub, &y0, &m0, &d0);
                    long t = y0 * 12 + m0 - 1 + dir.value;
                    long yy = t / 12, mm = t % 12 + 1;
                    if (day <= mr_days_in_month(yy, mm)) {
                        snprintf(r->value, sizeof r->value, "%04ld-%02ld-%02ld",
                                 yy, mm, day);
                        c->has_anchor = true;
                        c->anchor = mr_days_from_civil(yy, mm, day);
                    }
                }
                return mk + 3;
            }
        }
        /* d/m/yyyy and yyyy-mm-dd */
        long a = num_tok(c, k);
        if (a > 0 && k + 4 < n && c->tv->v[k + 1].kind == MARSAD_TOK_PUNCT &&
            c->tv->v[k + 3].kind == MARSAD_TOK_PUNCT) {
            const char *s1 = c->text + c->tv->v[k + 1].start;
            const char *s3 = c->text + c->tv->v[k + 3].start;
            long b = num_tok(c, k + 2), y = num_tok(c, k + 4);
            if (*s1 == *s3 && (*s1 == '/' || *s1 == '-') && b > 0) {
                long dd = a, mm = b, yy = y;
                if (a > 999)
                    yy = a, dd = y; /* yyyy-mm-dd */
                size_t nx;
                bool hj = false;
                if (yy >= 1300 && yy <= 1600 && mm >= 1 && mm <= 12 &&
                    dd >= 1 && dd <= 30 && year_at(c, k + 4, &nx, &hj) > 0 &&
                    hj) { /* 15-09-1440 هـ */
                    r->kind = MR_DATE_ABSOLUTE;
                    r->months = MR_MONTHS_HIJRI;
                    long at = days_from_hijri(yy, mm, dd);
                    fmt_day(r->value, sizeof r->value, at);
                    c->has_anchor = true;
                    c->anchor = at;
                    return nx;
                }
                if (yy >= 1900 && yy <= 2999 && mm >= 1 && mm <= 12 &&
                    dd >= 1 && dd <= mr_days_in_month(yy, mm)) {
                    r->kind = MR_DATE_ABSOLUTE;
                    snprintf(r->value, sizeof r->value, "%04ld-%02ld-%02ld",
                             yy, mm, dd);
                    c->has_anchor = true;
                    c->anchor = mr_days_from_civil(yy, mm, dd);
                    return k + 5;
                }
            }
        }
    }
    k = k_wd;
    if (wd >= 0) {
        /* "الاثنين الماضي": the one before the report's day (a week back
         * when the report is itself a Monday); "الاثنين المقبل": the next */
        dword dir = lookup(c, k);
        if (is(&dir, "dir") && !dir.skip && dir.value != 0) {
            r->kind = MR_DATE_RELATIVE;
            r->relative = true;
            if (c->has_pub) {
                long step = dir.value < 0
                                ? -((weekday_of(c->pub) - wd + 7) % 7)
                                : (wd - weekday_of(c->pub) + 7) % 7;
                if (step == 0)
                    step = dir.value < 0 ? -7 : 7;
                fmt_day(r->value, sizeof r->value, c->pub + step);
            }
            return k + 1;
        }
        r->kind = MR_DATE_WEEKDAY;
        weekday_value(c, wd, r);
        return k;
    }
not_day:
    /* M: month ... */
    {
        size_t end = rule_month(c, j, -1, keep && mr_x_streq(keep, "since"), r);
        if (end)
            return end;
    }
    /* هذا العام، لهذا العام، هذا الشهر، هذه السنة، هذا الأسبوع */
    if (tok_is(c, j, "هذا") || tok_is(c, j, "هذه") || tok_is(c, j, "لهذا") ||
        tok_is(c, j, "لهذه")) {
        dword u = lookup(c, j + 1);
        if (is(&u, "unit") && !u.skip && u.count == 1 &&
            is_definite(c, j + 1) &&
            (u.unit == 'Y' || u.unit == 'M' || u.unit == 'W')) {
            period_value(c, u.unit, 0, r);
            return j + 2;
        }
    }
    /* Y: عام|العام|سنة + year; العام|الشهر|الأسبوع + dir */
    w = lookup(c, j);
    /* (a glued و is allowed: "والعام المقبل") */
    bool waw_only = w.skip == 1 && (starts(mr_tok_norm(c->tv, j),
                                           c->tv->v[j].norm_len, L_WAW));
    if (is(&w, "unit") && (!w.skip || waw_only) &&
        (w.unit == 'Y' || w.unit == 'M' || w.unit == 'W') && w.count == 1) {
        size_t next;
        bool hij;
        long y = year_at(c, j + 1, &next, &hij);
        if (y > 0 && w.unit == 'Y') {
            r->kind = MR_DATE_YEAR;
            snprintf(r->value, sizeof r->value, "%04ld", y);
            return next;
        }
        const char *nw = mr_tok_norm(c->tv, j);
        size_t nl = c->tv->v[j].norm_len;
        if (waw_only)
            nw += 2, nl -= 2;
        dword dir = lookup(c, j + 1);
        if (starts(nw, nl, L_ALEF L_LAM) && is(&dir, "dir") && !dir.skip) {
            period_value(c, w.unit, dir.value, r);
            return j + 2;
        }
    }
    if (keep || (i > 0 && tok_is(c, i - 1, "\xd9\x81\xd9\x8a"))) { /* في 2014 */
        size_t next;
        bool hij;
        long y = year_at(c, j, &next, &hij);
        if (y >= 1900 && !hij) {
            r->kind = MR_DATE_YEAR;
            snprintf(r->value, sizeof r->value, "%04ld", y);
            return next;
        }
    }
    /* D: durations and "N units ago / the last N units" */
    {
        size_t end = rule_duration(c, j, keep, r);
        if (end)
            return end;
    }
    if (keep)
        return 0;
    /* V and N */
    w = lookup(c, i);
    if (is(&w, "vague")) {
        r->kind = MR_DATE_RELATIVE;
        r->vague = true;
        return i + 1;
    }
    if (is(&w, "anaphor")) {
        r->kind = MR_DATE_RELATIVE;
        if (c->last_value_sentence == c->sentence && c->last_value[0])
            memcpy(r->value, c->last_value, sizeof r->value);
        return i + 1;
    }
    if (tok_is(c, i, "\xd8\xa7\xd9\x84\xd9\x85\xd8\xb3\xd8\xaa\xd9\x82\xd8\xa8"
                     "\xd9\x84") && /* المستقبل القريب */
        tok_is(c, i + 1, "\xd8\xa7\xd9\x84\xd9\x82\xd8\xb1\xd9\x8a\xd8\xa8")) {
        r->kind = MR_DATE_RELATIVE;
        r->vague = true;
        return i + 2;
    }
    return 0;
}

bool mr_x_iso_days(const char *s, long *days)
{
    if (!s || strlen(s) < 10)
        return false;
    long y, m, d;
    char tail;
    if (sscanf(s, "%4ld-%2ld-%2ld%c", &y, &m, &d, &tail) < 3)
        return false;
    if (m < 1 || m > 12 || d < 1 || d > mr_days_in_month(y, m))
        return false;
    *days = mr_days_from_civil(y, m, d);
    return true;
}

static bool sentence_end(const dctx *c, size_t i)
{
    const mr_tok *t = &c->tv->v[i];
    if (t->kind != MARSAD_TOK_PUNCT)
        return false;
    char ch = c->text[t->start];
    return ch == '.' || ch == '!' || ch == '?' ||
           (t->end - t->start == 2 && !memcmp(c->text + t->start, "\xd8\x9f", 2));
}

marsad_status mr_extract_dates(const char *text, size_t len,
                               const mr_extract_opts *opts, mr_facts *f)
{
    if (!f || (!text && len))
        return MARSAD_E_ARG;
    dctx c;
    memset(&c, 0, sizeof c);
    c.text = text;
    c.f = f;
    c.tv = &f->toks;
    size_t n = f->toks.n;
    uint8_t *ent = calloc(n + 1, 1);
    c.memo = malloc((n + 1) * sizeof *c.memo);
    c.memo_set = calloc(n + 1, 1);
    if (!ent || !c.memo || !c.memo_set) {
        free(ent);
        free(c.memo);
        free(c.memo_set);
        return MARSAD_E_NOMEM;
    }
    { /* tokens inside entities: "روسيا اليوم", "تيريزا ماي" */
        size_t t = 0;
        for (size_t e = 0; e < f->entities.n; e++) {
            const mr_entity *en = &f->entities.v[e];
            while (t < n && f->toks.v[t].end <= en->start)
                t++;
            for (size_t u = t; u < n && f->toks.v[u].start < en->end; u++)
                ent[u] = 1;
        }
    }
    c.ent = ent;
    c.has_pub = opts && mr_x_iso_days(opts->published, &c.pub);
    marsad_status rc = MARSAD_OK;
    for (size_t i = 0; rc == MARSAD_OK && i < n;) {
        if (sentence_end(&c, i) ||
            (i > 0 && memchr(text + f->toks.v[i - 1].end, '\n',
                             f->toks.v[i].start - f->toks.v[i - 1].end)))
            c.sentence++;
        if (ent[i] || (f->toks.v[i].kind != MARSAD_TOK_ARABIC &&
                       f->toks.v[i].kind != MARSAD_TOK_NUMBER)) {
            i++;
            continue;
        }
        size_t t0;
        unsigned skip;
        dres r;
        size_t end = parse_at(&c, i, &t0, &skip, &r);
        if (end > i) {
            rc = emit(&c, t0, skip, end, &r);
            i = end;
        } else {
            i++;
        }
    }
    free(ent);
    free(c.memo);
    free(c.memo_set);
    return rc;
}
