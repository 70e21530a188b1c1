/*
 * claims.c: a story's figures grouped into claims and reconciled.
 *
 * A claim is one (event, category, side, period). Each figure stands for an
 * interval, its qualifier read as one: exact v = [v, v]; approx and
 * multiple = ±10 % (APPROX_TOL); more_than / at_least v = [v, inf);
 * less_than / up_to v = [0, v]; range = [min, max].
 *
 * The verdict:
 *  - agree     all intervals share a point;
 *  - range     they do not, but either (a) widening each stated number by
 *              its rounding step (half the power of ten it is a multiple
 *              of, at most ROUND_TOL of it: 730 ± 5, 1600 ± 50, 17 ± 0.5)
 *              makes them share a point, or (b) they are reports of
 *              different days, values of one day agree (after rounding),
 *              and no later report goes below an earlier one: a count that
 *              was updated (17 dead on one day, 21 the next);
 *  - conflict  neither: e.g. 730 against more than 750 on the same day.
 * The reason names the values that decide it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/facts_util.h"
#include "story/story.h"

#define APPROX_TOL 0.10
#define ROUND_TOL 0.05

const char *mr_verdict_name(mr_verdict v)
{
    switch (v) {
    case MR_VERDICT_SINGLE: return "single";
    case MR_VERDICT_AGREE: return "agree";
    case MR_VERDICT_RANGE: return "range";
    case MR_VERDICT_CONFLICT: return "conflict";
    }
    return "single";
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
    if (!(x >= 1) || x != floor(x) || x > 1e15)
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

/* A short description of a value: "more than 750 [750, inf)". */
static void fmt_num(char *out, size_t cap, double x)
{
    if (isinf(x))
        snprintf(out, cap, "inf");
    else if (fabs(x - round(x)) < 1e-6 && fabs(x) < 1e15)
        snprintf(out, cap, "%.0f", round(x));
    else
        snprintf(out, cap, "%.2f", x);
}

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
        snprintf(out, cap, "about %s [%s, %s]", v->has_min ? a : b, lo, hi);
        break;
    case MARSAD_Q_MULTIPLE:
        snprintf(out, cap, "a multiple, about %s [%s, %s]",
                 v->has_min ? a : b, lo, hi);
        break;
    case MARSAD_Q_MORE_THAN:
        snprintf(out, cap, "more than %s", a);
        break;
    case MARSAD_Q_AT_LEAST:
        snprintf(out, cap, "at least %s", a);
        break;
    case MARSAD_Q_LESS_THAN:
        snprintf(out, cap, "less than %s", v->has_max ? b : a);
        break;
    case MARSAD_Q_UP_TO:
        snprintf(out, cap, "up to %s", v->has_max ? b : a);
        break;
    case MARSAD_Q_RANGE:
        snprintf(out, cap, "%s to %s", lo, hi);
        break;
    }
}

static void who(const mr_claim_value *v, char *out, size_t cap)
{
    char d[96];
    describe(v, d, sizeof d);
    if (v->published && *v->published)
        snprintf(out, cap, "%s (%.10s)", d, v->published);
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

static int date_cmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* (b) a later update: see the file comment. Values are sorted by date. */
static int is_update(const mr_claim_value *v, size_t n, size_t *pe,
                     size_t *pl)
{
    size_t ndates = 0;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].published || !*v[i].published)
            return 0;
        if (i == 0 || date_cmp(v[i].published, v[i - 1].published) != 0)
            ndates++;
    }
    if (ndates < 2)
        return 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double ai, bi, aj, bj;
            widened(&v[i], &ai, &bi);
            widened(&v[j], &aj, &bj);
            int c = date_cmp(v[i].published, v[j].published);
            if (c == 0 && (ai > bj || aj > bi))
                return 0; /* one day, two stories */
            if (c < 0 && bj < ai)
                return 0; /* went down later */
        }
    /* the earliest and latest values, for the reason */
    *pe = 0;
    *pl = n - 1;
    return 1;
}

mr_verdict mr_claim_verdict(const mr_claim_value *values, size_t n,
                            const char *event, char *reason, size_t cap)
{
    (void)event;
    char a[160], b[160], lo[32], hi[32];
    if (!reason || cap == 0) {
        static char scratch[8];
        reason = scratch;
        cap = sizeof scratch;
    }
    reason[0] = 0;
    if (!values || n == 0)
        return MR_VERDICT_SINGLE;
    size_t nrep = 1;
    for (size_t i = 1; i < n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            if (values[j].doc == values[i].doc)
                seen = 1;
        nrep += !seen;
    }
    double clo, chi;
    size_t i, j;
    int raw = overlap(values, n, 0, &clo, &chi, &i, &j);
    if (nrep < 2 && raw) {
        describe(&values[0], a, sizeof a);
        snprintf(reason, cap, "one report: %s", a);
        return MR_VERDICT_SINGLE;
    }
    if (raw) {
        fmt_num(lo, sizeof lo, clo);
        fmt_num(hi, sizeof hi, chi);
        size_t at;
        if (clo == chi)
            at = (size_t)snprintf(reason, cap, "all %zu values meet at %s:",
                                  n, lo);
        else
            at = (size_t)snprintf(reason, cap,
                                  "all %zu values overlap in [%s, %s]:", n, lo,
                                  hi);
        for (size_t k = 0; k < n && k < 4 && at < cap; k++) {
            describe(&values[k], a, sizeof a);
            at += (size_t)snprintf(reason + at, cap - at, "%s %s",
                                   k ? ";" : "", a);
        }
        return MR_VERDICT_AGREE;
    }
    who(&values[i], a, sizeof a);
    who(&values[j], b, sizeof b);
    if (overlap(values, n, 1, &clo, &chi, &i, &j)) {
        describe(&values[i], a, sizeof a);
        describe(&values[j], b, sizeof b);
        snprintf(reason, cap, "%s and %s differ within rounding", a, b);
        return MR_VERDICT_RANGE;
    }
    size_t e, l;
    if (is_update(values, n, &e, &l)) {
        who(&values[e], a, sizeof a);
        who(&values[l], b, sizeof b);
        snprintf(reason, cap, "a later update: %s, then %s", a, b);
        return MR_VERDICT_RANGE;
    }
    snprintf(reason, cap, "%s and %s cannot both hold", a, b);
    return MR_VERDICT_CONFLICT;
}

/* ------------------------------------------------------------ grouping */

typedef struct fig_ref {
    const char *event, *category, *side, *period;
    mr_claim_value v;
} fig_ref;

static int str_cmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int key_cmp(const fig_ref *a, const fig_ref *b)
{
    int c;
    if ((c = str_cmp(a->event, b->event)) != 0)
        return c;
    if ((c = str_cmp(a->category, b->category)) != 0)
        return c;
    return str_cmp(a->side, b->side);
}

static int value_order(const mr_claim_value *a, const mr_claim_value *b)
{
    int c = date_cmp(a->published, b->published);
    if (c)
        return c;
    if (a->doc != b->doc)
        return a->doc < b->doc ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return 0;
}

static int ref_cmp(const void *pa, const void *pb)
{
    const fig_ref *a = pa, *b = pb;
    int c = key_cmp(a, b);
    if (c)
        return c;
    if ((c = str_cmp(a->period, b->period)) != 0)
        return c;
    return value_order(&a->v, &b->v);
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
    return str_cmp(a->period, b->period);
}

static int val_cmp(const void *pa, const void *pb)
{
    return value_order(pa, pb);
}

/* A figure's period: only a span of time (a month, a year, an interval or
 * a duration) separates claims; a day is when it was said, not what it
 * counts over. */
static const char *period_of(const mr_facts *f, const mr_figure *fig)
{
    if (fig->when < 0 || (size_t)fig->when >= f->dates.n)
        return "";
    const mr_date *d = &f->dates.v[fig->when];
    if (d->vague || !d->value[0])
        return "";
    if (d->kind == MR_DATE_MONTH || d->kind == MR_DATE_YEAR ||
        d->kind == MR_DATE_DURATION || strchr(d->value, '/'))
        return d->value;
    return "";
}

static marsad_status add_claim(mr_synth *s, fig_ref *refs, size_t a, size_t b,
                               const char *period)
{
    mr_claim *c = MR_VEC_PUSH(s->claims);
    if (!c)
        return MARSAD_E_NOMEM;
    size_t n = b - a;
    c->values = mr_arena_alloc(&s->arena, n * sizeof *c->values);
    if (!c->values) {
        s->claims.n--;
        return MARSAD_E_NOMEM;
    }
    c->event = refs[a].event ? refs[a].event : "";
    c->category = refs[a].category ? refs[a].category : "";
    c->side = refs[a].side ? refs[a].side : "";
    c->period = period;
    c->n = 0;
    for (size_t k = a; k < b; k++)
        if (!period || str_cmp(refs[k].period, period) == 0)
            c->values[c->n++] = refs[k].v;
    qsort(c->values, c->n, sizeof *c->values, val_cmp);
    c->n_reports = 0;
    c->range_min = INFINITY;
    c->range_max = -INFINITY;
    c->range_min_open = c->range_max_open = false;
    for (size_t k = 0; k < c->n; k++) {
        const mr_claim_value *v = &c->values[k];
        int seen = 0;
        for (size_t j = 0; j < k; j++)
            seen |= c->values[j].doc == v->doc;
        c->n_reports += !seen;
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
    char reason[512];
    c->verdict = mr_claim_verdict(c->values, c->n, c->event, reason,
                                  sizeof reason);
    c->reason = mr_arena_strndup(&s->arena, reason, strlen(reason));
    return c->reason ? MARSAD_OK : MARSAD_E_NOMEM;
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
            x->category = fig->category;
            x->side = fig->side ? fig->side : "";
            x->period = period_of(f, fig);
            mr_claim_value *v = &x->v;
            v->doc = d;
            v->figure = k;
            v->start = fig->start;
            v->end = fig->end;
            v->sentence =
                mr_sentence_find(sents, nsents, fig->start, r->text_len);
            v->min = fig->min;
            v->max = fig->max;
            v->has_min = fig->has_min;
            v->has_max = fig->has_max;
            v->qualifier = fig->qualifier;
            const char *src = NULL;
            if (fig->source >= 0 && (size_t)fig->source < f->sources.n)
                src = f->sources.v[fig->source].speaker;
            if (!src || !*src)
                src = r->outlet;
            v->source = src ? src : "";
            v->published = r->published ? r->published : "";
            mr_claim_value_interval(v);
        }
        free(sents);
    }
    qsort(refs, m, sizeof *refs, ref_cmp);
    marsad_status rc = MARSAD_OK;
    for (size_t a = 0; a < m && rc == MARSAD_OK;) {
        size_t b = a + 1;
        while (b < m && key_cmp(&refs[a], &refs[b]) == 0)
            b++;
        /* distinct explicit periods in [a, b): sorted, "" first */
        size_t nper = 0;
        for (size_t k = a; k < b; k++)
            if (*refs[k].period &&
                (k == a || str_cmp(refs[k].period, refs[k - 1].period)))
                nper++;
        if (nper <= 1) {
            rc = add_claim(s, refs, a, b, NULL);
            if (rc == MARSAD_OK) {
                mr_claim *c = &s->claims.v[s->claims.n - 1];
                c->period = "";
                for (size_t k = a; k < b; k++)
                    if (*refs[k].period)
                        c->period = refs[k].period;
            }
        } else {
            /* one claim per period, and one for the figures without */
            for (size_t k = a; k < b && rc == MARSAD_OK; k++)
                if (k == a || str_cmp(refs[k].period, refs[k - 1].period))
                    rc = add_claim(s, refs, a, b, refs[k].period);
        }
        a = b;
    }
    free(refs);
    if (rc == MARSAD_OK && s->claims.n > 1)
        qsort(s->claims.v, s->claims.n, sizeof *s->claims.v, claim_cmp);
    return rc;
}
