/*
 * claims.c: a story's figures grouped into claims and reconciled.
 *
 * A claim is one quantity: the figures of one (event, category family,
 * side, breakdown, scope, period). The scope and period come from the
 * figure's own date phrase and cues (read_time), resolved against its
 * report's day, then settled per group (settle_group): a day more than
 * RECENT_DAYS before the report is a past toll (background, by year); منذ,
 * a duration or an interval make a running total (cumulative, by its
 * start, starts within SAME_START_DAYS one count); a day is one day's toll;
 * a figure without a time phrase, and a day later than the group's main
 * day (the day it was said), belong to the main day's incident.
 *
 * Each figure stands for an interval, its qualifier read as one: exact
 * v = [v, v]; approx and multiple = ±10 % (APPROX_TOL); more_than /
 * at_least v = [v, inf); less_than / up_to v = [0, v]; range = [min, max].
 *
 * The verdict, over the claim's values with a report's repeated value
 * counted once:
 *  - agree     all intervals share a point;
 *  - range     they do not, but widening each stated number by its
 *              rounding step (half the power of ten it is a multiple of,
 *              at most ROUND_TOL of it: 730 ± 5, 1600 ± 50; numbers
 *              under ROUND_FROM are exact) makes them share a point;
 *  - update    reports of two days or more, the latest day's values agree
 *              (after rounding) and no value is below one of an earlier
 *              day: a toll revised (17 dead on one day, 21 the next);
 *              checked before range when it holds without rounding (491,
 *              then 492); also a toll that settles, on a later day, on
 *              one exact number told by two reports or more, after
 *              mostly approximate ones (is_settled: نحو 30, then 20);
 *  - conflict  none: e.g. 730 against more than 750 on the same day.
 * The reason, in Arabic, names the values that decide it.
 *
 * Cost: O(F log F) for F figures of the story (sorts only; no pass
 * compares every value with every other).
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/facts_util.h"
#include "extract/xutil.h"
#include "story/story.h"

#define APPROX_TOL 0.10
#define ROUND_TOL 0.05
#define ROUND_FROM 100

const char *mr_verdict_name(mr_verdict v)
{
    switch (v) {
    case MR_VERDICT_SINGLE: return "single";
    case MR_VERDICT_AGREE: return "agree";
    case MR_VERDICT_RANGE: return "range";
    case MR_VERDICT_CONFLICT: return "conflict";
    case MR_VERDICT_UPDATE: return "update";
    }
    return "single";
}

const char *mr_scope_name(mr_scope s)
{
    switch (s) {
    case MR_SCOPE_INCIDENT: return "incident";
    case MR_SCOPE_DAY: return "day";
    case MR_SCOPE_CUMULATIVE: return "cumulative";
    case MR_SCOPE_BACKGROUND: return "background";
    }
    return "incident";
}

void mr_claim_value_interval(mr_claim_value *v)
{
    if (!v)
        return;
    double lo = v->has_min ? v->min : 0;
    double hi = v->has_max ? v->max : 0;
    bool inf = !v->has_max;
    switch (v->qualifier) {
    case MARSAD_Q_APPROX:
    case MARSAD_Q_MULTIPLE:
        lo *= 1 - APPROX_TOL;
        hi *= 1 + APPROX_TOL;
        break;
    case MARSAD_Q_MORE_THAN:
    case MARSAD_Q_AT_LEAST:
        inf = true;
        break;
    case MARSAD_Q_LESS_THAN:
    case MARSAD_Q_UP_TO:
        lo = 0;
        if (!v->has_max && v->has_min) {
            hi = v->min;
            inf = false;
        }
        break;
    default:
        break;
    }
    if (!v->has_max && v->has_min && !inf)
        hi = v->min;
    v->lo = lo;
    v->hi = hi;
    v->hi_inf = inf;
}

/* Half the rounding step of a stated number: 730 -> 5, 1600 -> 50,
 * 17 -> 0.5, capped at ROUND_TOL of the number. */
static double round_half_step(double x)
{
    /* tolls under a hundred are counted one by one, not rounded */
    if (!(x >= ROUND_FROM) || x != floor(x) || x > 1e15)
        return 0;
    double step = 1;
    while (fmod(x, step * 10) == 0)
        step *= 10;
    double half = step / 2;
    if (half > x * ROUND_TOL)
        half = x * ROUND_TOL;
    return half;
}

static double stated(const mr_claim_value *v)
{
    return v->has_min ? v->min : v->has_max ? v->max : 0;
}

static void widened(const mr_claim_value *v, double *lo, double *hi)
{
    double h = round_half_step(stated(v));
    *lo = v->lo - h;
    *hi = v->hi_inf ? INFINITY : v->hi + h;
}

static double upper(const mr_claim_value *v)
{
    return v->hi_inf ? INFINITY : v->hi;
}

/* A number as written in a reason: integers without decimals. */
static void fmt_num(char *out, size_t cap, double x)
{
    if (isinf(x))
        snprintf(out, cap, "∞");
    else if (fabs(x - round(x)) < 1e-6 && fabs(x) < 1e15)
        snprintf(out, cap, "%.0f", round(x));
    else
        snprintf(out, cap, "%.2f", x);
}

/* A value in Arabic: "730", "نحو 30", "أكثر من 750", "بين 20 و99". */
static void describe(const mr_claim_value *v, char *out, size_t cap)
{
    char a[32], b[32], lo[32], hi[32];
    fmt_num(a, sizeof a, v->has_min ? v->min : 0);
    fmt_num(b, sizeof b, v->has_max ? v->max : 0);
    fmt_num(lo, sizeof lo, v->lo);
    fmt_num(hi, sizeof hi, upper(v));
    switch (v->qualifier) {
    case MARSAD_Q_EXACT:
        snprintf(out, cap, "%s", v->has_min ? a : b);
        break;
    case MARSAD_Q_APPROX:
        snprintf(out, cap, "نحو %s", v->has_min ? a : b);
        break;
    case MARSAD_Q_MULTIPLE:
        snprintf(out, cap, "ضعف عدد سابق: نحو %s (بين %s و%s)",
                 v->has_min ? a : b, lo, hi);
        break;
    case MARSAD_Q_MORE_THAN:
        snprintf(out, cap, "أكثر من %s", a);
        break;
    case MARSAD_Q_AT_LEAST:
        snprintf(out, cap, "%s على الأقل", a);
        break;
    case MARSAD_Q_LESS_THAN:
        snprintf(out, cap, "أقل من %s", v->has_max ? b : a);
        break;
    case MARSAD_Q_UP_TO:
        snprintf(out, cap, "حتى %s", v->has_max ? b : a);
        break;
    case MARSAD_Q_RANGE:
        snprintf(out, cap, "بين %s و%s", lo, hi);
        break;
    }
}

/* A value with who said it and when: "730 (قسد، 2019-03-23)". */
static void who(const mr_claim_value *v, char *out, size_t cap)
{
    char d[96];
    describe(v, d, sizeof d);
    const char *src = v->source && *v->source ? v->source : NULL;
    const char *day = v->published && *v->published ? v->published : NULL;
    if (src && day)
        snprintf(out, cap, "%s (%s، %.10s)", d, src, day);
    else if (src || day)
        snprintf(out, cap, "%s (%.*s)", d, src ? 200 : 10, src ? src : day);
    else
        snprintf(out, cap, "%s", d);
}

/* Do all values share a point? With widen, by rounding step too. Returns
 * 1 and the common [lo, hi], else 0 and the pair (i, j) furthest apart. */
static int overlap(const mr_claim_value *v, size_t n, int widen, double *clo,
                   double *chi, size_t *pi, size_t *pj)
{
    double lo = -INFINITY, hi = INFINITY;
    size_t ilo = 0, ihi = 0;
    for (size_t k = 0; k < n; k++) {
        double a, b;
        if (widen)
            widened(&v[k], &a, &b);
        else {
            a = v[k].lo;
            b = upper(&v[k]);
        }
        if (a > lo) {
            lo = a;
            ilo = k;
        }
        if (b < hi) {
            hi = b;
            ihi = k;
        }
    }
    *clo = lo;
    *chi = hi;
    *pi = ihi; /* the one whose upper bound is lowest */
    *pj = ilo; /* ... below the highest lower bound */
    return lo <= hi;
}

double mr_claim_time(const char *p)
{
    long days;
    if (!p || !mr_x_iso_days(p, &days))
        return 0;
    double t = (double)days * 86400;
    if (p[10] != 'T' && p[10] != ' ')
        return t;
    int h = 0, mi = 0, se = 0, n = 0;
    if (sscanf(p + 11, "%2d:%2d%n", &h, &mi, &n) < 2 || h > 23 || mi > 59)
        return t;
    const char *q = p + 11 + n;
    if (*q == ':' && sscanf(q + 1, "%2d%n", &se, &n) == 1)
        q += 1 + n;
    while (*q == '.' || (*q >= '0' && *q <= '9'))
        q++;
    t += h * 3600 + mi * 60 + se;
    if (*q == '+' || *q == '-') {
        int oh = 0, om = 0;
        if (sscanf(q + 1, "%2d:%2d", &oh, &om) == 2 ||
            sscanf(q + 1, "%2d%2d", &oh, &om) >= 1)
            t -= (*q == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    }
    return t;
}

/* Same time: the same instant (a day alone is its midnight, so the
 * reports of one undated day are one time). */
static int time_cmp(const mr_claim_value *a, const mr_claim_value *b)
{
    return a->at < b->at ? -1 : a->at > b->at;
}

static int date_cmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/*
 * An update (see the file comment): values sorted by time, of two times or
 * more; the values of each time meet (after rounding) and no value is
 * below a value of an earlier time. One pass over the times: O(n). *pe,
 * *pl: the first value that differs from the latest, and the latest.
 */
static int is_update(const mr_claim_value *v, size_t n, int widen,
                     size_t *pe, size_t *pl)
{
    if (n < 2)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!v[i].published || !*v[i].published || v[i].at == 0)
            return 0;
    if (time_cmp(&v[0], &v[n - 1]) == 0)
        return 0; /* one time */
    double floor_lo = -INFINITY; /* earlier times' highest lower bound */
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && time_cmp(&v[b], &v[a]) == 0)
            b++;
        double clo, chi;
        size_t i, j;
        if (!overlap(v + a, b - a, widen, &clo, &chi, &i, &j))
            return 0; /* one time, two tolls */
        double day_lo = -INFINITY;
        for (size_t k = a; k < b; k++) {
            double lo = v[k].lo, hi = upper(&v[k]);
            if (widen)
                widened(&v[k], &lo, &hi);
            if (hi < floor_lo)
                return 0; /* went down later */
            if (lo > day_lo)
                day_lo = lo;
        }
        if (day_lo > floor_lo)
            floor_lo = day_lo;
        a = b;
    }
    *pl = n - 1;
    *pe = 0;
    char a[96], b[96];
    describe(&v[n - 1], b, sizeof b);
    for (size_t i = 0; i < n; i++) {
        describe(&v[i], a, sizeof a);
        if (strcmp(a, b) != 0) {
            *pe = i;
            break;
        }
    }
    return 1;
}

static size_t count_reports(const mr_claim_value *v, size_t n);

/*
 * A toll settled later on a more precise number (see the file comment):
 * the values of the last day, a day after the first value's, are exact,
 * agree and come from two reports or more, and most of the earlier values
 * they depart from were approximate (نحو، عشرات، على الأقل): "نحو 30 جريحا"
 * on the day of the attack, 20 in three reports the next day. *pe: the
 * first earlier value that departs; *pl: the latest. O(n log n).
 */
static int is_settled(const mr_claim_value *v, size_t n, size_t *pe,
                      size_t *pl)
{
    if (n < 3 || v[0].at == 0)
        return 0;
    double last_day = floor(v[n - 1].at / 86400);
    if (!(floor(v[0].at / 86400) < last_day))
        return 0;
    size_t t = n;
    while (t > 0 && floor(v[t - 1].at / 86400) == last_day)
        t--;
    for (size_t k = t; k < n; k++)
        if (v[k].qualifier != MARSAD_Q_EXACT)
            return 0;
    double clo, chi;
    size_t i, j;
    if (t == 0 || !overlap(v + t, n - t, 0, &clo, &chi, &i, &j) ||
        count_reports(v + t, n - t) < 2)
        return 0;
    size_t off = 0, loose = 0;
    *pe = n;
    for (size_t k = 0; k < t; k++) {
        if (v[k].lo <= chi && upper(&v[k]) >= clo)
            continue;
        if (*pe == n)
            *pe = k;
        off++;
        loose += v[k].qualifier != MARSAD_Q_EXACT;
    }
    *pl = n - 1;
    return off > 0 && 2 * loose > off;
}

static int doc_cmp(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return a < b ? -1 : a > b;
}

/* Distinct reports among the values: O(n log n), no nested loop. */
static size_t count_reports(const mr_claim_value *v, size_t n)
{
    if (n == 0)
        return 0;
    size_t *d = malloc(n * sizeof *d);
    if (!d) { /* without memory: values of one report are adjacent */
        size_t k = 1;
        for (size_t i = 1; i < n; i++)
            k += v[i].doc != v[i - 1].doc;
        return k;
    }
    for (size_t i = 0; i < n; i++)
        d[i] = v[i].doc;
    qsort(d, n, sizeof *d, doc_cmp);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        k += d[i] != d[i - 1];
    free(d);
    return k;
}

mr_verdict mr_claim_verdict(const mr_claim_value *values, size_t n,
                            const char *event, char *reason, size_t cap)
{
    (void)event;
    char a[300], b[300], lo[32], hi[32];
    char scratch[8]; /* not static: stories are built on several threads */
    if (!reason || cap == 0) {
        reason = scratch;
        cap = sizeof scratch;
    }
    reason[0] = 0;
    if (!values || n == 0)
        return MR_VERDICT_SINGLE;
    size_t nrep = count_reports(values, n);
    double clo, chi;
    size_t i, j;
    int raw = overlap(values, n, 0, &clo, &chi, &i, &j);
    if (nrep < 2 && raw) {
        describe(&values[0], a, sizeof a);
        snprintf(reason, cap, "تقرير واحد: %s", a);
        return MR_VERDICT_SINGLE;
    }
    if (raw) {
        fmt_num(lo, sizeof lo, clo);
        fmt_num(hi, sizeof hi, chi);
        size_t at;
        if (clo == chi)
            at = (size_t)snprintf(reason, cap,
                                  "تلتقي القيم كلها (%zu) عند %s:", n, lo);
        else
            at = (size_t)snprintf(reason, cap,
                                  "تتداخل القيم كلها (%zu) بين %s و%s:", n,
                                  lo, hi);
        for (size_t k = 0; k < n && k < 4 && at < cap; k++) {
            describe(&values[k], a, sizeof a);
            at += (size_t)snprintf(reason + at, cap - at, "%s %s",
                                   k ? "؛" : "", a);
        }
        return MR_VERDICT_AGREE;
    }
    /* a toll revised upwards over time, as stated, is an update even when
     * its steps lie within rounding (491, then 492) */
    size_t e, l;
    int up = is_update(values, n, 0, &e, &l);
    if (!up) {
        who(&values[i], a, sizeof a);
        who(&values[j], b, sizeof b);
        if (overlap(values, n, 1, &clo, &chi, &i, &j)) {
            describe(&values[i], a, sizeof a);
            describe(&values[j], b, sizeof b);
            snprintf(reason, cap, "الفرق بين %s و%s في حدود التقريب", a,
                     b);
            return MR_VERDICT_RANGE;
        }
        up = is_update(values, n, 1, &e, &l);
    }
    if (up) {
        who(&values[e], a, sizeof a);
        who(&values[l], b, sizeof b);
        snprintf(reason, cap, "تحديث لاحق للحصيلة: %s، ثم %s", a, b);
        return MR_VERDICT_UPDATE;
    }
    if (is_settled(values, n, &e, &l)) {
        who(&values[e], a, sizeof a);
        who(&values[l], b, sizeof b);
        snprintf(reason, cap, "استقرت الحصيلة لاحقا على رقم أدق: %s، ثم %s",
                 a, b);
        return MR_VERDICT_UPDATE;
    }
    snprintf(reason, cap, "لا يصح الرقمان معا: %s و%s", a, b);
    return MR_VERDICT_CONFLICT;
}

/* ------------------------------------------------------------ grouping */

/* What a figure's own words say about its time, before the story's main
 * day is known. */
enum { RAW_NONE, RAW_DAY, RAW_CUM, RAW_BG };

#define NO_DAY LONG_MIN
/* A day more than this before the report is a past toll (background). */
#define RECENT_DAYS 31
/* Cumulative counts whose starts lie within this many days are one. */
#define SAME_START_DAYS 7
/* An order of magnitude off a quantity's median is another quantity. */
#define BAND_RATIO 10.0
#define BAND_MIN 4

/* What caused a toll (fig_ref.cause, cause_of). */
enum { CAUSE_NONE, CAUSE_CHEMICAL, CAUSE_BOMBARDMENT };

/* What a part of another count counts (fig_ref.part, part_kind). */
enum { PART_NONE, PART_WHO, PART_HOSPITAL, PART_CRITICAL, PART_LIVE_FIRE };

typedef struct fig_ref {
    const char *event, *family, *side;
    int part;     /* PART_*: 0 a whole; else a part, by what it counts */
    int raw;      /* RAW_* */
    long day;     /* RAW_DAY: the day; RAW_CUM: the start (or NO_DAY) */
    char bg[8];   /* RAW_BG: its month YYYY-MM, or year YYYY */
    mr_scope scope;
    char period[24];
    bool dated;   /* its own words give its day */
    int cause;    /* CAUSE_*: what killed or hurt, as its words say */
    bool apart;   /* a bombardment's toll beside a chemical attack's
                     (split_causes) */
    int band;     /* -1, 0, 1: an order of magnitude below, at or above the
                     median of its quantity (split_bands) */
    bool attacker; /* its words say it counts the attacker (counts_attacker) */
    const char *nation; /* the people its noun names by nationality
                           (فلسطيني، إسرائيلي), else NULL (nation_of) */
    const char *group;  /* its nation's claim within its quantity
                           (split_nations), else "" */
    bool with_attacker; /* in the claim of the dead with the attacker
                           (split_attacker) */
    const char *place;
    mr_claim_value v;
} fig_ref;

static int str_cmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* Categories that count the same people in one incident (protesters,
 * Palestinians, persons and civilians of one attack are one count; the
 * extraction's "other" is a people noun it has no class for). Children,
 * women, fighters ... are families of their own. */
static const char *family_of(const char *cat)
{
    static const char *const people[] = {"persons", "civilians", "other",
                                         "protesters", "victims"};
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
        if (strcmp(cat, people[i]) == 0)
            return "persons";
    return cat;
}

/* People counted by their trade, told apart from the toll they are a part
 * of ("إصابة 7 صحفيين" beside 1,354 injured): counted lemma, family. */
static const char *const trades[][2] = {
    {"صحفي", "journalists"},
    {"مسعف", "medics"},
    {"طبيب", "doctors"},
};

/* The trade family of a counted lemma, else NULL. */
static const char *trade_of(const char *counted)
{
    for (size_t i = 0; counted && i < sizeof trades / sizeof trades[0]; i++)
        if (strcmp(counted, trades[i][0]) == 0)
            return trades[i][1];
    return NULL;
}

static bool is_trade(const char *fam)
{
    for (size_t i = 0; i < sizeof trades / sizeof trades[0]; i++)
        if (strcmp(fam, trades[i][1]) == 0)
            return true;
    return false;
}

static bool people_family(const char *fam)
{
    if (is_trade(fam))
        return true;
    return strcmp(fam, "persons") == 0 || strcmp(fam, "children") == 0 ||
           strcmp(fam, "women") == 0;
}

static int key_cmp(const fig_ref *a, const fig_ref *b)
{
    int c;
    if ((c = str_cmp(a->event, b->event)) != 0)
        return c;
    if ((c = str_cmp(a->family, b->family)) != 0)
        return c;
    if ((c = str_cmp(a->side, b->side)) != 0)
        return c;
    return a->part - b->part;
}

static int value_order(const mr_claim_value *a, const mr_claim_value *b)
{
    int c = time_cmp(a, b);
    if (c)
        return c;
    if ((c = date_cmp(a->published, b->published)) != 0)
        return c;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return 0;
}

static int group_cmp(const void *pa, const void *pb)
{
    const fig_ref *a = pa, *b = pb;
    int c = key_cmp(a, b);
    if (c)
        return c;
    return value_order(&a->v, &b->v);
}

/* Within a group: by final scope and period, then value order. */
static int final_cmp(const void *pa, const void *pb)
{
    const fig_ref *a = pa, *b = pb;
    if (a->scope != b->scope)
        return a->scope < b->scope ? -1 : 1;
    int c = strcmp(a->period, b->period);
    if (c)
        return c;
    return value_order(&a->v, &b->v);
}

static int cum_cmp(const void *pa, const void *pb)
{
    const fig_ref *a = *(fig_ref *const *)pa, *b = *(fig_ref *const *)pb;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return value_order(&a->v, &b->v);
}

static int bg_cmp(const void *pa, const void *pb)
{
    const fig_ref *a = *(fig_ref *const *)pa, *b = *(fig_ref *const *)pb;
    return strcmp(a->period, b->period);
}

static int claim_cmp(const void *pa, const void *pb)
{
    const mr_claim *a = pa, *b = pb;
    int ca = a->verdict == MR_VERDICT_CONFLICT,
        cb = b->verdict == MR_VERDICT_CONFLICT;
    if (ca != cb)
        return cb - ca;
    if (a->n_reports != b->n_reports)
        return a->n_reports > b->n_reports ? -1 : 1;
    int c;
    if ((c = str_cmp(a->event, b->event)) != 0)
        return c;
    if ((c = str_cmp(a->category, b->category)) != 0)
        return c;
    if ((c = str_cmp(a->side, b->side)) != 0)
        return c;
    if (a->scope != b->scope)
        return a->scope < b->scope ? -1 : 1;
    if (a->part != b->part)
        return a->part - b->part;
    if ((c = str_cmp(a->period, b->period)) != 0)
        return c;
    /* claims of one key split by magnitude: by their first value */
    if (a->n && b->n)
        return value_order(&a->values[0], &b->values[0]);
    return 0;
}

static int val_cmp(const void *pa, const void *pb)
{
    return value_order(pa, pb);
}

/* Values of one report with the same value together, first stated first. */
static int repeat_cmp(const void *pa, const void *pb)
{
    const mr_claim_value *a = pa, *b = pb;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    /* an open end's number means nothing (fresh extraction and stored
     * facts read back may leave different numbers there) */
    if (a->has_min != b->has_min)
        return a->has_min ? 1 : -1;
    if (a->has_max != b->has_max)
        return a->has_max ? 1 : -1;
    if (a->has_min && a->min != b->min)
        return a->min < b->min ? -1 : 1;
    if (a->has_max && a->max != b->max)
        return a->max < b->max ? -1 : 1;
    if (a->qualifier != b->qualifier)
        return a->qualifier < b->qualifier ? -1 : 1;
    return a->start < b->start ? -1 : a->start > b->start;
}

/* The same report stating the same value (what repeat_cmp puts together). */
static bool same_value(const mr_claim_value *a, const mr_claim_value *b)
{
    return a->doc == b->doc && a->has_min == b->has_min &&
           a->has_max == b->has_max && (!a->has_min || a->min == b->min) &&
           (!a->has_max || a->max == b->max) && a->qualifier == b->qualifier;
}

static void fmt_day(char *out, size_t cap, long days)
{
    /* civil from days (Howard Hinnant's algorithm) */
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999)
        y = 0;
    snprintf(out, cap, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
}

/* The first and last day of an ISO day, month or year value. */
static bool value_days(const char *s, size_t len, long *first, long *last)
{
    char buf[64];
    if (len == 10) {
        memcpy(buf, s, 10);
        buf[10] = 0;
        if (!mr_x_iso_days(buf, first))
            return false;
        *last = *first;
        return true;
    }
    if (len == 7 || len == 4) {
        if (len == 7)
            snprintf(buf, sizeof buf, "%.7s-01", s);
        else
            snprintf(buf, sizeof buf, "%.4s-01-01", s);
        if (!mr_x_iso_days(buf, first))
            return false;
        long y = atol(s), m = len == 7 ? atol(s + 5) : 12;
        if (y < 0 || y > 9999 || m < 1 || m > 12)
            return false;
        if (m < 12)
            snprintf(buf, sizeof buf, "%04ld-%02ld-01", y, m + 1);
        else
            snprintf(buf, sizeof buf, "%04ld-01-01", y + 1);
        if (!mr_x_iso_days(buf, last))
            return false;
        (*last)--;
        return true;
    }
    return false;
}

/* Days in an ISO duration P3D, P2W, P6M, P7Y (0 when not one). */
static long duration_days(const char *s)
{
    if (s[0] != 'P')
        return 0;
    char *end;
    long n = strtol(s + 1, &end, 10);
    if (n <= 0 || end == s + 1)
        return 0;
    switch (*end) {
    case 'D': return n;
    case 'W': return 7 * n;
    case 'M': return 30 * n;
    case 'Y': return 365 * n;
    }
    return 0;
}

static bool has_bytes(const char *t, size_t a, size_t b, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = a; i + n <= b; i++)
        if (memcmp(t + i, needle, n) == 0)
            return true;
    return false;
}

/* The injured taken to hospital ("تم نقل 442 جريحا إلى المستشفيات") are a
 * part of all the injured, a count of their own: a transfer verb just
 * before the figure and a hospital just after it, in its sentence. */
static bool hospital_count(const char *t, const mr_figure *fig, mr_span sent)
{
    size_t a = fig->start >= sent.start + 24 ? fig->start - 24 : sent.start;
    size_t b = fig->end + 60 <= sent.end ? fig->end + 60 : sent.end;
    return strcmp(fig->event, "injured") == 0 &&
           has_bytes(t, a, fig->start, "نقل") &&
           has_bytes(t, fig->end, b, "مستشف");
}

/* What a breakdown counts, from the words right after it: the injured in
 * a critical state ("بينهم 6 في حالات خطيرة"، "33 بحالة حرجة"), those hit by
 * live fire ("منها 492 بالرصاص الحي"), else a breakdown by who they are
 * (children among the dead). Each is a quantity of its own. */
static int part_kind(const char *t, const mr_figure *fig, mr_span sent)
{
    size_t b = fig->end + 48 <= sent.end ? fig->end + 48 : sent.end;
    if (b <= fig->start)
        return PART_WHO;
    if (has_bytes(t, fig->start, b, "خطير") ||
        has_bytes(t, fig->start, b, "خطر") ||
        has_bytes(t, fig->start, b, "حرج"))
        return PART_CRITICAL;
    if (has_bytes(t, fig->start, b, "رصاص"))
        return PART_LIVE_FIRE;
    return PART_WHO;
}

#define N_CUES(v) (sizeof v / sizeof *v)

/* The injured in a critical state told as a count of their own, with no
 * whole it is a part of: "وما زال 33 جريحا منها بحالة خطرة" (a state,
 * حالة، then serious, خطر/حرج, right after the figure, before the next
 * figure). */
static bool critical_count(const char *t, const mr_figure *fig, mr_span sent,
                           uint32_t next_start)
{
    size_t b = fig->end + 40 <= sent.end ? fig->end + 40 : sent.end;
    if (next_start < b) /* "20 بجروح، بينهم 6 في حالة حرجة": the 6's */
        b = next_start;
    if (strcmp(fig->event, "injured") != 0 || b <= fig->end)
        return false;
    for (size_t i = fig->end; i + 6 <= b; i++)
        if (memcmp(t + i, "حال", 6) == 0)
            return has_bytes(t, i + 6, b, "خطر") ||
                   has_bytes(t, i + 6, b, "خطير") ||
                   has_bytes(t, i + 6, b, "حرج");
    return false;
}

/* Who carried out an attack, and the words that say a toll counts him:
 * "مقتل 4 أشخاص، بينهم السائق"، "حصيلة القتلى تتضمن المهاجم". */
static const char *const perpetrator_words[] = {
    "السائق", "المهاجم", "منفذ", "المنفذ", "الجاني", "الانتحاري",
    "الانغماسي", "مطلق النار", "المسلح", "القاتل",
};
static const char *const including_words[] = {
    "بينهم", "بينهما", "منهم", "بمن فيهم", "بما فيهم", "بما في ذلك",
    "تشمل", "يشمل", "تتضمن", "يتضمن", "تضم", "يضم",
};
static const char *const including_verbs[] = {
    "تشمل", "يشمل", "تتضمن", "يتضمن", "تضم", "يضم",
};

/* Whether [a, b) holds one of cues[] with a perpetrator's word right
 * after it (within 20 bytes). */
static bool cue_then_perpetrator(const char *t, size_t a, size_t b,
                                 const char *const *cues, size_t ncues)
{
    for (size_t c = 0; c < ncues; c++) {
        size_t n = strlen(cues[c]);
        for (size_t i = a; i + n <= b; i++) {
            if (memcmp(t + i, cues[c], n) != 0)
                continue;
            size_t e = i + n + 20 <= b ? i + n + 20 : b;
            for (size_t p = 0; p < N_CUES(perpetrator_words); p++)
                if (has_bytes(t, i + n, e, perpetrator_words[p]))
                    return true;
        }
    }
    return false;
}

/* A toll that says it counts the attacker himself: in the words right
 * after it ("4 أشخاص، بينهم السائق"), or in the next sentence when that
 * speaks of the toll ("حصيلة القتلى تتضمن السائق"). The dead without him
 * are another quantity (split_attacker). */
static bool counts_attacker(const char *t, const mr_figure *fig, mr_span sent,
                            mr_span next)
{
    if (strcmp(fig->event, "killed") != 0)
        return false;
    size_t b = fig->end + 64 <= sent.end ? fig->end + 64 : sent.end;
    if (cue_then_perpetrator(t, fig->end, b, including_words,
                             N_CUES(including_words)))
        return true;
    /* the next sentence's first words only: a figure costs O(1) */
    size_t e = next.end < next.start + 160 ? next.end : next.start + 160;
    return next.start >= sent.end && e > next.start &&
           has_bytes(t, next.start, e, "حصيلة") &&
           cue_then_perpetrator(t, next.start, e, including_verbs,
                                N_CUES(including_verbs));
}

/* Words of a chemical attack. */
static const char *const chemical_cues[] = {
    "كيماوي", "كيميائي", "كيمياوي", "الكلور", "السارين", "غاز ", "الغاز",
    "بغاز", "اختناق", "استنشاق",
};

/* Words of a bombardment. */
static const char *const bombardment_cues[] = {
    "قصف", "غارة", "غارات", "الغارات", "براميل",
};

static bool any_cue(const char *t, size_t a, size_t b,
                    const char *const *cues, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (has_bytes(t, a, b, cues[i]))
            return true;
    return false;
}


/* A breakdown told by its cause, gas, in or right after it ("بينهم 100 بغاز
 * سام"، "بينهم 21 توفوا السبت اختناقا"): the toll of the gas attack within
 * a larger count, a quantity of that attack, not a part by who. */
static bool gas_part(const char *t, const mr_figure *fig, mr_span sent)
{
    size_t b = fig->end + 40 <= sent.end ? fig->end + 40 : sent.end;
    if (b < fig->end)
        b = fig->end;
    /* from its number on: the cause may stand where its noun would
     * ("بينهم 100 بغاز سام") */
    return any_cue(t, fig->start, b, chemical_cues, N_CUES(chemical_cues));
}

/* The cause a figure's words give: a bombardment when its words right
 * after it name one and no gas ("42 مدنيا جراء القصف الجوي"), chemical when
 * the words around it do ("قصفا ... بغاز الكلور، أدى إلى مقتل نحو 100"),
 * else none. */
static int cause_of(const char *t, const mr_figure *fig, mr_span sent)
{
    size_t a = fig->start >= sent.start + 100 ? fig->start - 100 : sent.start;
    size_t b = fig->end + 64 <= sent.end ? fig->end + 64 : sent.end;
    size_t c = fig->end + 48 <= sent.end ? fig->end + 48 : sent.end;
    if (any_cue(t, fig->end, c, bombardment_cues, N_CUES(bombardment_cues)) &&
        !any_cue(t, fig->end, c, chemical_cues, N_CUES(chemical_cues)))
        return CAUSE_BOMBARDMENT;
    if (any_cue(t, a, b, chemical_cues, N_CUES(chemical_cues)))
        return CAUSE_CHEMICAL;
    return CAUSE_NONE;
}

/* Words that make a figure without a date a running total. */
static const char *const cumulative_cues[] = {
    "حصيلة إجمالية", "الحصيلة الإجمالية", "إجمالي", "الإجمالي",
    "منذ بدء",       "منذ بداية",         "منذ اندلاع", "منذ انطلاق",
    "في المجمل",     "منذ مطلع",
};
#define N_RUN_CUES (sizeof cumulative_cues / sizeof cumulative_cues[0])

/* The words read_time looks for: منذ، التي، الذي، بدأ، حتى and the cues
 * above. */
enum {
    W_SINCE,
    W_WHICH_F,
    W_WHICH_M,
    W_BEGAN,
    W_UNTIL,
    W_CUE0,
    N_WORDS = W_CUE0 + N_RUN_CUES
};

static const char *word_of(size_t w)
{
    static const char *const fixed[] = {"منذ", "التي", "الذي", "بدأ", "حتى"};
    return w < W_CUE0 ? fixed[w] : cumulative_cues[w - W_CUE0];
}

/* Where each word occurs in one report's text: ascending byte offsets,
 * found once per report, so asking whether a word lies between two
 * offsets is a binary search, not a scan of the figure's sentence (one
 * sentence of 200,000 figures would make that quadratic). */
typedef struct word_at {
    uint32_t *at[N_WORDS];
    size_t n[N_WORDS];
} word_at;

static void word_at_free(word_at *w)
{
    for (size_t i = 0; i < N_WORDS; i++)
        free(w->at[i]);
    memset(w, 0, sizeof *w);
}

/* One pass over the text: every word starts with an Arabic letter, so
 * only a position holding a word's first byte is compared. */
static marsad_status word_at_build(word_at *w, const char *t, size_t len)
{
    memset(w, 0, sizeof *w);
    size_t cap[N_WORDS] = {0}, wl[N_WORDS];
    for (size_t i = 0; i < N_WORDS; i++)
        wl[i] = strlen(word_of(i));
    for (size_t at = 0; at < len; at++) {
        unsigned char c = (unsigned char)t[at];
        if (c < 0xC0)
            continue; /* ASCII or inside a character */
        for (size_t i = 0; i < N_WORDS; i++) {
            const char *needle = word_of(i);
            if ((unsigned char)needle[0] != c || at + wl[i] > len ||
                memcmp(t + at, needle, wl[i]) != 0)
                continue;
            if (w->n[i] == cap[i]) {
                size_t nc = cap[i] ? cap[i] * 2 : 16;
                uint32_t *nv = realloc(w->at[i], nc * sizeof *nv);
                if (!nv) {
                    word_at_free(w);
                    return MARSAD_E_NOMEM;
                }
                w->at[i] = nv;
                cap[i] = nc;
            }
            w->at[i][w->n[i]++] = (uint32_t)at; /* they may overlap */
        }
    }
    return MARSAD_OK;
}

/* Whether word w lies whole within [a, b) of the text. */
static bool has_word(const word_at *w, size_t word, size_t a, size_t b)
{
    const uint32_t *v = w->at[word];
    size_t lo = 0, hi = w->n[word];
    while (lo < hi) { /* the first occurrence at or after a */
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < w->n[word] && v[lo] + strlen(word_of(word)) <= b;
}

/* Whether [a, b) of t holds only spaces and commas, then the conjunction
 * و just before b: an attribution that opens a clause of its own,
 * "...المستمرة منذ 7 سنوات، وقال المرصد" (an attribution's span starts at
 * its verb, so a و inside the span is the verb's own letter: وثق). */
static bool joins_new_clause(const char *t, size_t a, size_t b)
{
    static const char waw[] = "\xd9\x88"; /* و */
    size_t e = b;
    if (e >= a + 2 && memcmp(t + e - 2, waw, 2) == 0)
        e -= 2;
    else
        return false;
    for (size_t i = a; i < e;) {
        if (t[i] == ' ' || t[i] == ',' || t[i] == '\n')
            i++;
        else if (e - i >= 2 && memcmp(t + i, "\xd8\x8c", 2) == 0) /* ، */
            i += 2;
        else
            return false;
    }
    return true;
}

/* The first occurrence of word w at or after a that lies whole before b,
 * else SIZE_MAX. O(log n). */
static size_t word_pos(const word_at *w, size_t word, size_t a, size_t b)
{
    const uint32_t *v = w->at[word];
    size_t lo = 0, hi = w->n[word];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < w->n[word] && v[lo] + strlen(word_of(word)) <= b ? v[lo]
                                                                 : SIZE_MAX;
}

/* Whether a place entity ends right before pos (a comma and spaces
 * between at most): "في دوما، التي استأنف النظام قصفها" describes the
 * place. Entities are in text order: O(log E). */
static bool place_before(const mr_facts *f, size_t pos)
{
    const mr_entity *e = f->entities.v;
    size_t lo = 0, hi = f->entities.n;
    while (lo < hi) { /* the first entity starting at or after pos */
        size_t mid = lo + (hi - lo) / 2;
        if (e[mid].start < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && e[lo - 1].kind == MR_ENT_PLACE && e[lo - 1].end <= pos &&
           e[lo - 1].end + 4 >= pos;
}

/* Reads what the figure's own words say about its time (RAW_*). */
static void read_time(const word_at *words, const char *t,
                      const mr_facts *f, const mr_figure *fig,
                      uint32_t next_start, mr_span sent, long pub,
                      fig_ref *x)
{
    x->raw = RAW_NONE;
    x->day = NO_DAY;
    if (fig->when >= 0 && (size_t)fig->when < f->dates.n) {
        const mr_date *d = &f->dates.v[fig->when];
        bool usable = !d->vague && d->value[0];
        /* a date in the attribution before what is attributed dates the
         * saying, not the toll: "أكد الاتحاد، الاثنين، أن ... 60 قتيلا" */
        if (usable && fig->source >= 0 &&
            (size_t)fig->source < f->sources.n) {
            const mr_source *s = &f->sources.v[fig->source];
            if (d->start >= s->start && d->end <= s->scope_start &&
                s->scope_start <= fig->start)
                usable = false;
            /* a date before an attribution that opens a clause of its own
             * (و) is the previous clause's: "في الحرب المستمرة منذ 7
             * سنوات، وقال المرصد إنه أسقط أكثر من 1600 قتيل" */
            if (d->end <= s->start && s->start <= fig->start &&
                joins_new_clause(t, d->end, s->start))
                usable = false;
        }
        /* a running total's date after another figure that follows this
         * one is that figure's: "مقتل 40 وإصابة 1700، ليرتفع عدد القتلى
         * منذ 30 مارس"; a day is the whole clause's ("لقي 17 وأصيب 40 ...
         * مساء الأحد") */
        bool beyond = d->start >= fig->end && next_start < d->start;
        if (usable) {
            size_t back = d->start >= 48 ? d->start - 48 : 0;
            if (d->start >= fig->end && fig->end < back)
                back = fig->end; /* "100 منذ اندلاع الاحتجاجات في 30 مارس" */
            if (back < sent.start)
                back = sent.start;
            bool since = has_word(words, W_SINCE, back, d->end);
            /* a start before the toll: "التصعيد بدأ بعد عصر الجمعة ...
             * حتى تسببت بمقتل 160 مدنيا" counts since that day */
            if (d->end <= fig->start &&
                has_word(words, W_BEGAN, back, d->start) &&
                has_word(words, W_UNTIL, d->end, fig->start))
                since = true;
            const char *v = d->value;
            const char *slash = strchr(v, '/');
            long first, last, dur;
            /* "سقوط 18 قتيلا ... ضمن مسيرة العودة التي انطلقت في 30 مارس":
             * a relative clause after the figure may date its incident
             * (a day), not make it a past toll or a running total */
            bool rel = d->start >= fig->end &&
                       (has_word(words, W_WHICH_F, fig->end, d->start) ||
                        has_word(words, W_WHICH_M, fig->end, d->start));
            /* a relative clause about a place names no time of the toll:
             * "1000 مصاب في دوما، التي استأنف النظام قصفها، الجمعة" */
            bool place_rel = false;
            if (rel) {
                size_t at = word_pos(words, W_WHICH_F, fig->end, d->start);
                size_t am = word_pos(words, W_WHICH_M, fig->end, d->start);
                if (am < at)
                    at = am;
                place_rel = at != SIZE_MAX && place_before(f, at);
            }
            /* ... a day alone: a duration or منذ after it may well be the
             * toll's ("نزح 30 ألفا في إدلب، التي ... منذ الرابع من أيلول") */
            {
                long d0, d1;
                if (place_rel && (since || v[0] == 'P' || slash ||
                                  !value_days(v, strlen(v), &d0, &d1) ||
                                  d0 != d1))
                    place_rel = false;
            }
            long f0, l0;
            bool past = pub != NO_DAY &&
                        value_days(v, strlen(v), &f0, &l0) &&
                        (l0 < pub - RECENT_DAYS || (f0 != l0 && l0 < pub));
            if (beyond && (since || slash || v[0] == 'P'))
                ; /* another figure's running total */
            else if ((rel && past && !since) || place_rel)
                ; /* the clause's date, not the toll's */
            else if (slash) {
                if (value_days(v, (size_t)(slash - v), &first, &last)) {
                    x->raw = RAW_CUM;
                    x->day = first;
                }
            } else if ((dur = duration_days(v)) > 0) {
                if (pub != NO_DAY) {
                    x->raw = RAW_CUM;
                    x->day = pub - dur;
                }
            } else if (value_days(v, strlen(v), &first, &last)) {
                if (since) {
                    x->raw = RAW_CUM;
                    x->day = first;
                } else if (pub == NO_DAY) {
                    if (first == last) {
                        x->raw = RAW_DAY;
                        x->day = first;
                    }
                } else if (last < pub - RECENT_DAYS ||
                           (first != last && last < pub)) {
                    /* a past toll: by its month (a year alone may join
                     * the one month of that year, settle_group) */
                    x->raw = RAW_BG;
                    snprintf(x->bg, sizeof x->bg, "%.*s",
                             strlen(v) >= 7 ? 7 : 4, v);
                } else if (first == last) {
                    if (first <= pub + 1) {
                        x->raw = RAW_DAY;
                        x->day = first;
                    }
                } else if (first <= pub && pub <= last) {
                    /* this year, this month: since its start */
                    x->raw = RAW_CUM;
                    x->day = first;
                }
            }
        }
    }
    if (x->raw != RAW_NONE)
        return;
    size_t to = fig->end + 48 < sent.end ? fig->end + 48 : sent.end;
    for (size_t i = 0; i < N_RUN_CUES; i++)
        if (has_word(words, W_CUE0 + i, sent.start, to)) {
            x->raw = RAW_CUM;
            x->day = NO_DAY;
            return;
        }
}

static int dbl_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

static int long_cmp(const void *pa, const void *pb)
{
    long a = *(const long *)pa, b = *(const long *)pb;
    return a < b ? -1 : a > b;
}

/* The most frequent day among refs (ties: the earliest, when it
 * happened rather than when it was told), else NO_DAY. */
static long mode_day(fig_ref *const *v, size_t n, long *scratch)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i]->raw == RAW_DAY)
            scratch[m++] = v[i]->day;
    if (m == 0)
        return NO_DAY;
    qsort(scratch, m, sizeof *scratch, long_cmp);
    long best = scratch[0];
    size_t bestn = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && scratch[j] == scratch[i])
            j++;
        if (j - i > bestn) { /* ties: the earliest */
            bestn = j - i;
            best = scratch[i];
        }
        i = j;
    }
    return best;
}

static int pstr_cmp(const void *pa, const void *pb)
{
    return str_cmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* The most frequent non-empty string of v[0..n) (ties: bytewise first),
 * else "". Sorts v. */
static const char *mode_str(const char **v, size_t n)
{
    qsort(v, n, sizeof *v, pstr_cmp);
    const char *best = "";
    size_t bestn = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && str_cmp(v[j], v[i]) == 0)
            j++;
        /* "other" is what the extraction could not name: last resort */
        size_t w = (j - i) + (strcmp(v[i] ? v[i] : "", "other") ? n : 0);
        if (v[i] && *v[i] && w > bestn) {
            bestn = w;
            best = v[i];
        }
        i = j;
    }
    return best;
}

static marsad_status add_claim(mr_synth *s, fig_ref *refs, size_t a, size_t b)
{
    mr_claim *c = MR_VEC_PUSH(s->claims);
    if (!c)
        return MARSAD_E_NOMEM;
    size_t n = b - a;
    c->values = mr_arena_alloc(&s->arena, n * sizeof *c->values);
    const char **names = malloc(n * sizeof *names);
    mr_claim_value *distinct = malloc(n * sizeof *distinct);
    if (!c->values || !names || !distinct) {
        free(names);
        free(distinct);
        s->claims.n--;
        return MARSAD_E_NOMEM;
    }
    c->event = refs[a].event ? refs[a].event : "";
    c->part = refs[a].part != 0;
    c->attacker = refs[a].with_attacker;
    c->scope = refs[a].scope;
    c->period = mr_arena_strndup(&s->arena, refs[a].period,
                                 strlen(refs[a].period));
    if (c->scope == MR_SCOPE_DAY) {
        bool dated = false;
        for (size_t k = a; k < b; k++)
            dated |= refs[k].dated;
        if (!dated)
            c->scope = MR_SCOPE_INCIDENT;
    }
    c->n = n;
    for (size_t k = a; k < b; k++)
        c->values[k - a] = refs[k].v;
    /* a report's own figure stated twice is one value */
    qsort(c->values, n, sizeof *c->values, repeat_cmp);
    for (size_t k = 0; k < n; k++)
        c->values[k].repeat = k > 0 && same_value(&c->values[k - 1],
                                                  &c->values[k]);
    qsort(c->values, n, sizeof *c->values, val_cmp);
    size_t nd = 0;
    c->range_min = INFINITY;
    c->range_max = -INFINITY;
    c->range_min_open = c->range_max_open = false;
    for (size_t k = 0; k < n; k++) {
        const mr_claim_value *v = &c->values[k];
        if (!v->repeat)
            distinct[nd++] = *v;
        if (v->has_min) {
            if (v->min < c->range_min)
                c->range_min = v->min;
        } else
            c->range_min_open = true;
        if (v->has_max && !v->hi_inf) {
            if (v->max > c->range_max)
                c->range_max = v->max;
        } else if (v->hi_inf)
            c->range_max_open = true;
        else if (v->has_min && v->min > c->range_max)
            c->range_max = v->min;
    }
    if (c->range_min == INFINITY)
        c->range_min = 0, c->range_min_open = true;
    if (c->range_max == -INFINITY)
        c->range_max = c->range_min;
    c->n_reports = count_reports(distinct, nd);
    for (size_t k = 0; k < n; k++)
        names[k] = c->values[k].category;
    c->category = mode_str(names, n);
    if (!*c->category || is_trade(refs[a].family))
        c->category = refs[a].family;
    for (size_t k = a; k < b; k++)
        names[k - a] = refs[k].side;
    c->side = people_family(refs[a].family) ? mode_str(names, n)
                                            : refs[a].side;
    for (size_t k = a; k < b; k++)
        names[k - a] = refs[k].place;
    c->place = mode_str(names, n);
    free(names);
    char reason[768];
    c->verdict = mr_claim_verdict(distinct, nd, c->event, reason,
                                  sizeof reason);
    free(distinct);
    c->reason = mr_arena_strndup(&s->arena, reason, strlen(reason));
    return c->reason && c->period ? MARSAD_OK : MARSAD_E_NOMEM;
}

/* The place its sentence names: the last place entity before the figure
 * in its sentence, else the first after it (entities are in text order;
 * *at moves forward with the figures, so a report costs O(F + E)). */
static const char *place_of(const mr_facts *f, const mr_figure *fig,
                            mr_span sent, size_t *at)
{
    const mr_entity *e = f->entities.v;
    size_t n = f->entities.n;
    while (*at < n && e[*at].start < sent.start)
        (*at)++;
    const char *best = NULL;
    size_t i = *at;
    for (; i < n && e[i].start < fig->start; i++)
        if (e[i].kind == MR_ENT_PLACE && e[i].canonical)
            best = e[i].canonical;
    for (size_t k = 0; !best && k < 8 && i < n && e[i].start < sent.end;
         k++, i++)
        if (e[i].kind == MR_ENT_PLACE && e[i].canonical)
            best = e[i].canonical;
    return best ? best : "";
}

/* Final scope and period of the refs of one group (same event, family,
 * side, breakdown): see docs/story.md, "Quantities". */
static marsad_status settle_group(fig_ref *g, size_t n, long story_day)
{
    fig_ref **p = malloc((n ? n : 1) * sizeof *p);
    long *scratch = malloc((n ? n : 1) * sizeof *scratch);
    if (!p || !scratch) {
        free(p);
        free(scratch);
        return MARSAD_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        p[i] = &g[i];
    long main_day = mode_day(p, n, scratch);
    if (main_day == NO_DAY)
        main_day = story_day;
    size_t ncum = 0;
    for (size_t i = 0; i < n; i++) {
        fig_ref *x = &g[i];
        x->dated = false;
        switch (x->raw) {
        case RAW_DAY:
            /* a later day is when the toll of the main day was said or
             * revised, not a new day's toll */
            if (main_day != NO_DAY && x->day > main_day)
                x->day = main_day;
            else
                x->dated = true;
            x->scope = MR_SCOPE_DAY;
            fmt_day(x->period, sizeof x->period, x->day);
            break;
        case RAW_BG:
            x->scope = MR_SCOPE_BACKGROUND;
            snprintf(x->period, sizeof x->period, "%s", x->bg);
            break;
        case RAW_CUM:
            x->scope = MR_SCOPE_CUMULATIVE;
            p[ncum++] = x;
            break;
        default:
            if (main_day != NO_DAY) {
                x->scope = MR_SCOPE_DAY;
                fmt_day(x->period, sizeof x->period, main_day);
            } else {
                x->scope = MR_SCOPE_INCIDENT;
                x->period[0] = 0;
            }
        }
    }
    /* a past year alone joins the one month of that year the group
     * names ("عام 2016" and "ديسمبر 2016" are one toll): O(n log n) */
    size_t nbg = 0;
    for (size_t i = 0; i < n; i++)
        if (g[i].scope == MR_SCOPE_BACKGROUND)
            p[ncum + nbg++] = &g[i];
    qsort(p + ncum, nbg, sizeof *p, bg_cmp);
    for (size_t i = 0; i < nbg;) {
        size_t j = i;
        while (j < nbg && strncmp(p[ncum + j]->period, p[ncum + i]->period,
                                  4) == 0)
            j++;
        /* [i, j): one year, the bare year first (shorter sorts first) */
        size_t nyear = 0, nmonth = 0;
        const char *month = NULL;
        for (size_t k = i; k < j; k++) {
            const char *per = p[ncum + k]->period;
            if (strlen(per) == 4)
                nyear++;
            else if (!month || strcmp(month, per) != 0) {
                nmonth++;
                month = per;
            }
        }
        if (nyear && nmonth == 1) {
            char keep[sizeof g->period];
            memcpy(keep, month, sizeof keep);
            for (size_t k = i; k < j; k++)
                memcpy(p[ncum + k]->period, keep, sizeof keep);
        }
        i = j;
    }
    /* running totals: starts within SAME_START_DAYS of a cluster's first
     * are one count; an unknown start joins the first cluster */
    qsort(p, ncum, sizeof *p, cum_cmp);
    long first = NO_DAY;
    size_t k = 0;
    while (k < ncum && p[k]->day == NO_DAY)
        k++;
    for (size_t i = k; i < ncum; i++) {
        if (first == NO_DAY || p[i]->day - first > SAME_START_DAYS)
            first = p[i]->day;
        fmt_day(p[i]->period, sizeof p[i]->period, first);
        strcat(p[i]->period, "/..");
    }
    for (size_t i = 0; i < k; i++) {
        if (k < ncum)
            memcpy(p[i]->period, p[k]->period, sizeof p[i]->period);
        else
            p[i]->period[0] = 0;
    }
    free(p);
    free(scratch);
    return MARSAD_OK;
}

/* The middle of a value as stated: a range's midpoint, an open end's
 * bound. */
static double mid_of(const mr_claim_value *v)
{
    if (v->has_min && v->has_max)
        return (v->min + v->max) / 2;
    return v->has_min ? v->min : v->max;
}

static int apart_cmp(const void *pa, const void *pb)
{
    const fig_ref *a = pa, *b = pb;
    if (a->apart != b->apart)
        return a->apart ? 1 : -1;
    return value_order(&a->v, &b->v);
}

/*
 * A day's or an incident's quantity whose values name both a chemical
 * attack and a bombardment holds two incidents (Douma: the raids' 42
 * civilians and the gas attack's 40 to 150): the bombardment's values form
 * claims of their own (apart), the others, told without a cause, stay
 * with the chemical attack's. refs are reordered by apart. O(n log n).
 */
static void split_causes(fig_ref *g, size_t n)
{
    bool chem = false, bomb = false;
    /* a running total counts every cause since its start */
    for (size_t i = 0; i < n && g[i].scope != MR_SCOPE_CUMULATIVE &&
                       g[i].scope != MR_SCOPE_BACKGROUND;
         i++) {
        chem |= g[i].cause == CAUSE_CHEMICAL;
        bomb |= g[i].cause == CAUSE_BOMBARDMENT;
    }
    for (size_t i = 0; i < n; i++)
        g[i].apart = chem && bomb && g[i].cause == CAUSE_BOMBARDMENT;
    if (chem && bomb)
        qsort(g, n, sizeof *g, apart_cmp);
}

/* The nationality a counted noun names: a people noun (category persons
 * or other) with the nisba ending ي ("18 فلسطينيا"، "سبعة
 * إسرائيليين"), else NULL. */
static const char *nation_of(const mr_figure *fig)
{
    const char *c = fig->counted;
    size_t n = c ? strlen(c) : 0;
    if (n < 8 || !fig->category ||
        (strcmp(fig->category, "other") != 0 &&
         strcmp(fig->category, "persons") != 0))
        return NULL;
    return memcmp(c + n - 2, "\xd9\x8a", 2) == 0 ? c : NULL; /* ي */
}

static int group_of_cmp(const void *pa, const void *pb)
{
    const fig_ref *a = pa, *b = pb;
    int c = strcmp(a->group, b->group);
    return c ? c : value_order(&a->v, &b->v);
}

static int pnation_cmp(const void *pa, const void *pb)
{
    return strcmp((*(fig_ref *const *)pa)->nation,
                  (*(fig_ref *const *)pb)->nation);
}

/*
 * People of two nationalities are two quantities ("سبعة إسرائيليين"
 * beside "18 فلسطينيا"): when the values of one claim name two
 * nationalities or more, each nationality's values form a claim, and a
 * value that names none joins the largest nationality (of the
 * NATION_TRIES largest) whose values it meets, else the largest. refs are
 * reordered by group. O(n log n).
 */
#define NATION_TRIES 8
static marsad_status split_nations(fig_ref *g, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        g[i].group = "";
        k += g[i].nation != NULL;
    }
    if (k < 2)
        return MARSAD_OK;
    fig_ref **p = malloc(k * sizeof *p);
    if (!p)
        return MARSAD_E_NOMEM;
    k = 0;
    for (size_t i = 0; i < n; i++)
        if (g[i].nation)
            p[k++] = &g[i];
    qsort(p, k, sizeof *p, pnation_cmp);
    /* the NATION_TRIES largest nationalities, each with the interval its
     * values share (lo > hi: they do not) */
    struct {
        const char *nation;
        size_t n;
        double lo, hi;
    } top[NATION_TRIES];
    size_t ntop = 0, kinds = 0;
    for (size_t i = 0; i < k;) {
        size_t j = i;
        double lo = -INFINITY, hi = INFINITY;
        for (; j < k && strcmp(p[j]->nation, p[i]->nation) == 0; j++) {
            if (p[j]->v.lo > lo)
                lo = p[j]->v.lo;
            if (upper(&p[j]->v) < hi)
                hi = upper(&p[j]->v);
        }
        kinds++;
        /* insertion by size (ties: bytewise first, the order met) */
        size_t at = ntop;
        while (at > 0 && top[at - 1].n < j - i)
            at--;
        if (at < NATION_TRIES) {
            if (ntop < NATION_TRIES)
                ntop++;
            memmove(&top[at + 1], &top[at], (ntop - 1 - at) * sizeof top[0]);
            top[at].nation = p[i]->nation;
            top[at].n = j - i;
            top[at].lo = lo;
            top[at].hi = hi;
        }
        i = j;
    }
    free(p);
    if (kinds < 2)
        return MARSAD_OK;
    for (size_t i = 0; i < n; i++) {
        if (g[i].nation) {
            g[i].group = g[i].nation;
            continue;
        }
        /* the largest nationality whose values it meets, else the
         * largest */
        g[i].group = top[0].nation;
        for (size_t t = 0; t < ntop; t++)
            if (top[t].lo <= top[t].hi && g[i].v.lo <= top[t].hi &&
                upper(&g[i].v) >= top[t].lo) {
                g[i].group = top[t].nation;
                break;
            }
    }
    qsort(g, n, sizeof *g, group_of_cmp);
    return MARSAD_OK;
}

static void split_attacker(fig_ref *g, size_t n);

/* The claims of one quantity's values g[0..n): a claim per nationality
 * (split_nations), each split by the attacker (split_attacker). */
static marsad_status add_claims(mr_synth *s, fig_ref *g, size_t n)
{
    marsad_status rc = split_nations(g, n);
    for (size_t a = 0; a < n && rc == MARSAD_OK;) {
        size_t b = a + 1;
        while (b < n && strcmp(g[b].group, g[a].group) == 0)
            b++;
        split_attacker(g + a, b - a);
        for (size_t y = a; y < b && rc == MARSAD_OK;) {
            size_t z = y + 1;
            while (z < b && g[z].with_attacker == g[y].with_attacker)
                z++;
            rc = add_claim(s, g, y, z);
            y = z;
        }
        a = b;
    }
    return rc;
}

static int attacker_cmp(const void *pa, const void *pb)
{
    const fig_ref *a = pa, *b = pb;
    if (a->with_attacker != b->with_attacker)
        return a->with_attacker ? 1 : -1;
    return value_order(&a->v, &b->v);
}

/*
 * The dead of an attack with and without its attacker are two quantities
 * ("مقتل 4 أشخاص، بينهم السائق" beside "3 قتلى بالإضافة إلى السائق"): when
 * values of one claim say they count the attacker, they and the values
 * that meet them all form a claim of their own; the others stay. refs are
 * reordered by with_attacker. O(n log n).
 */
static void split_attacker(fig_ref *g, size_t n)
{
    double lo = -INFINITY, hi = INFINITY;
    size_t nwith = 0;
    for (size_t i = 0; i < n; i++) {
        g[i].with_attacker = false;
        if (!g[i].attacker)
            continue;
        nwith++;
        double h = upper(&g[i].v);
        if (g[i].v.lo > lo)
            lo = g[i].v.lo;
        if (h < hi)
            hi = h;
    }
    if (nwith == 0 || nwith == n)
        return;
    bool meet = lo <= hi, rest = false;
    for (size_t i = 0; i < n; i++) {
        g[i].with_attacker =
            g[i].attacker || (meet && g[i].v.lo <= hi && upper(&g[i].v) >= lo);
        rest |= !g[i].with_attacker;
    }
    if (rest)
        qsort(g, n, sizeof *g, attacker_cmp);
}

static int band_cmp(const void *pa, const void *pb)
{
    const fig_ref *a = pa, *b = pb;
    if (a->band != b->band)
        return a->band < b->band ? -1 : 1;
    return value_order(&a->v, &b->v);
}

/*
 * In one quantity of BAND_MIN values or more, a value more than BAND_RATIO
 * times its median (or under its median / BAND_RATIO) counts something
 * else: a campaign's or a country's total beside an attack's toll ("1600
 * قتيل" among 11 to 150 dead of one attack), a misread noun. Such values
 * form claims of their own (band 1 and -1); refs are reordered by band.
 * O(n log n).
 */
static marsad_status split_bands(fig_ref *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g[i].band = 0;
    if (n < BAND_MIN)
        return MARSAD_OK;
    double *m = malloc(n * sizeof *m);
    if (!m)
        return MARSAD_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        m[i] = mid_of(&g[i].v);
    qsort(m, n, sizeof *m, dbl_cmp);
    double med = n % 2 ? m[n / 2] : (m[n / 2 - 1] + m[n / 2]) / 2;
    free(m);
    if (!(med > 0))
        return MARSAD_OK;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        double x = mid_of(&g[i].v);
        g[i].band = x > med * BAND_RATIO ? 1 : x * BAND_RATIO < med ? -1 : 0;
        any |= g[i].band != 0;
    }
    if (any)
        qsort(g, n, sizeof *g, band_cmp);
    return MARSAD_OK;
}

marsad_status mr_story_claims(const mr_story_doc *docs, size_t n, mr_synth *s)
{
    size_t total = 0;
    for (size_t d = 0; d < n; d++)
        if (docs[d].facts)
            total += docs[d].facts->figures.n;
    if (total == 0)
        return MARSAD_OK;
    fig_ref *refs = calloc(total, sizeof *refs);
    if (!refs)
        return MARSAD_E_NOMEM;
    size_t m = 0;
    for (size_t d = 0; d < n; d++) {
        const mr_facts *f = docs[d].facts;
        const mr_report *r = docs[d].report;
        if (!f || !r)
            continue;
        mr_span *sents = NULL;
        size_t nsents = 0;
        if (f->figures.n &&
            mr_sentence_list(r->text, r->text_len, &sents, &nsents) !=
                MARSAD_OK) {
            free(refs);
            return MARSAD_E_NOMEM;
        }
        word_at words;
        if (f->figures.n &&
            word_at_build(&words, r->text, r->text_len) != MARSAD_OK) {
            free(sents);
            free(refs);
            return MARSAD_E_NOMEM;
        }
        long pub = NO_DAY;
        if (!mr_x_iso_days(f->reference, &pub) &&
            !mr_x_iso_days(r->published, &pub))
            pub = NO_DAY;
        size_t ent_at = 0;
        for (size_t k = 0; k < f->figures.n; k++) {
            const mr_figure *fig = &f->figures.v[k];
            /* a figure of no known event ("other": eight regions, dozens of
             * trucks) counts different things from report to report */
            if (!fig->category || !*fig->category || !fig->event ||
                !*fig->event || strcmp(fig->event, "other") == 0 ||
                (!fig->has_min && !fig->has_max))
                continue;
            fig_ref *x = &refs[m++];
            x->event = fig->event;
            x->family = trade_of(fig->counted);
            if (!x->family)
                x->family = family_of(fig->category);
            x->side = fig->side ? fig->side : "";
            if (people_family(x->family))
                x->side = ""; /* one count whatever side names them */
            /* a breakdown of a figure of its own family: بينهم 25 خطرة */
            if (fig->part_of >= 0 && (size_t)fig->part_of < f->figures.n) {
                const mr_figure *pf = &f->figures.v[fig->part_of];
                const char *pfam = trade_of(pf->counted);
                if (!pfam && pf->category)
                    pfam = family_of(pf->category);
                x->part = pfam && strcmp(pfam, x->family) == 0;
            }
            mr_claim_value *v = &x->v;
            v->doc = d;
            v->figure = k;
            v->start = fig->start;
            v->end = fig->end;
            v->sentence =
                mr_sentence_find(sents, nsents, fig->start, r->text_len);
            /* an open end holds no number, whatever the figure left
             * there (facts read back from the store leave 0) */
            v->min = fig->has_min ? fig->min : 0;
            v->max = fig->has_max ? fig->max : 0;
            v->has_min = fig->has_min;
            v->has_max = fig->has_max;
            v->qualifier = fig->qualifier;
            v->category = fig->category;
            const char *src = NULL;
            if (fig->source >= 0 && (size_t)fig->source < f->sources.n)
                src = f->sources.v[fig->source].speaker;
            if (!src || !*src)
                src = r->outlet;
            v->source = src ? src : "";
            v->published = r->published ? r->published : "";
            v->at = mr_claim_time(v->published);
            mr_claim_value_interval(v);
            uint32_t next_start = k + 1 < f->figures.n
                                      ? f->figures.v[k + 1].start
                                      : UINT32_MAX;
            read_time(&words, r->text, f, fig, next_start, v->sentence, pub,
                      x);
            if (!x->part && hospital_count(r->text, fig, v->sentence))
                x->part = PART_HOSPITAL;
            else if (!x->part && critical_count(r->text, fig, v->sentence,
                                               next_start))
                x->part = PART_CRITICAL;
            else if (x->part)
                x->part = part_kind(r->text, fig, v->sentence);
            x->cause = cause_of(r->text, fig, v->sentence);
            x->nation = nation_of(fig);
            if (x->part == PART_WHO && gas_part(r->text, fig, v->sentence)) {
                /* "160 مدنيا، بينهم 100 بغاز سام": the gas attack's toll,
                 * not a breakdown of a running total */
                x->part = PART_NONE;
                if (x->raw == RAW_CUM)
                    x->raw = RAW_NONE;
            }
            x->attacker = counts_attacker(
                r->text, fig, v->sentence,
                v->sentence.end < r->text_len
                    ? mr_sentence_find(sents, nsents, v->sentence.end + 1,
                                       r->text_len)
                    : v->sentence);
            x->place = place_of(f, fig, v->sentence, &ent_at);
        }
        if (f->figures.n)
            word_at_free(&words);
        free(sents);
    }
    marsad_status rc = MARSAD_OK;
    /* the story's main day: the day its victims' figures name most */
    {
        fig_ref **p = calloc(m ? m : 1, sizeof *p);
        long *scratch = calloc(m ? m : 1, sizeof *scratch);
        long story_day = NO_DAY;
        if (!p || !scratch)
            rc = MARSAD_E_NOMEM;
        else {
            for (size_t i = 0; i < m; i++)
                p[i] = &refs[i];
            story_day = mode_day(p, m, scratch);
        }
        free(p);
        free(scratch);
        qsort(refs, m, sizeof *refs, group_cmp);
        for (size_t a = 0; a < m && rc == MARSAD_OK;) {
            size_t b = a + 1;
            while (b < m && key_cmp(&refs[a], &refs[b]) == 0)
                b++;
            rc = settle_group(refs + a, b - a, story_day);
            if (rc != MARSAD_OK)
                break;
            qsort(refs + a, b - a, sizeof *refs, final_cmp);
            for (size_t i = a; i < b && rc == MARSAD_OK;) {
                size_t j = i + 1;
                while (j < b && refs[j].scope == refs[i].scope &&
                       strcmp(refs[j].period, refs[i].period) == 0)
                    j++;
                split_causes(refs + i, j - i);
                for (size_t h = i; h < j && rc == MARSAD_OK;) {
                    size_t k = h + 1;
                    while (k < j && refs[k].apart == refs[h].apart)
                        k++;
                    rc = split_bands(refs + h, k - h);
                    for (size_t u = h; u < k && rc == MARSAD_OK;) {
                        size_t w = u + 1;
                        while (w < k && refs[w].band == refs[u].band)
                            w++;
                        rc = add_claims(s, refs + u, w - u);
                        u = w;
                    }
                    h = k;
                }
                i = j;
            }
            a = b;
        }
    }
    free(refs);
    if (rc == MARSAD_OK && s->claims.n > 1)
        qsort(s->claims.v, s->claims.n, sizeof *s->claims.v, claim_cmp);
    return rc;
}

typedef struct src_at {
    const char *source;
    size_t at;
} src_at;

static int latest_cmp(const void *pa, const void *pb)
{
    const src_at *a = pa, *b = pb;
    int c = str_cmp(a->source, b->source);
    if (c)
        return c;
    return a->at < b->at ? -1 : a->at > b->at;
}

size_t mr_claim_latest(const mr_claim *c, size_t *out)
{
    if (!c || !out || c->n == 0)
        return 0;
    src_at *v = malloc(c->n * sizeof *v);
    if (!v)
        return 0;
    size_t m = 0;
    for (size_t k = 0; k < c->n; k++)
        if (!c->values[k].repeat)
            v[m++] = (src_at){c->values[k].source, k};
    qsort(v, m, sizeof *v, latest_cmp);
    size_t r = 0;
    for (size_t i = 0; i < m; i++)
        if (i + 1 == m || str_cmp(v[i].source, v[i + 1].source) != 0)
            out[r++] = v[i].at;
    free(v);
    qsort(out, r, sizeof *out, doc_cmp);
    return r;
}
