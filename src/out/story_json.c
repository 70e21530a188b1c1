/*
 * story_json.c: a story as one NDJSON line, and as a terminal overview.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "out/json.h"
#include "out/story_out.h"

const char *mr_story_view_title(const mr_story_view *v)
{
    if (!v)
        return "";
    if (v->title && *v->title)
        return v->title;
    /* the title of the report whose sentence leads the summary (the most
     * central one), else the first report with a title */
    const mr_synth *s = v->synth;
    double best = -1;
    const char *t = NULL;
    for (size_t i = 0; s && i < s->summary.n; i++) {
        const mr_report *r = v->docs[s->summary.v[i].doc].report;
        if (r->title && *r->title && s->summary.v[i].score > best) {
            best = s->summary.v[i].score;
            t = r->title;
        }
    }
    if (t)
        return t;
    for (size_t d = 0; d < v->ndocs; d++)
        if (v->docs[d].report && v->docs[d].report->title)
            return v->docs[d].report->title;
    return "";
}

/* The qualifier's JSON name (as marsad_qualifier_name, kept here so the
 * output layer does not wait on the numbers code). */
static const char *qname(marsad_qualifier q)
{
    static const char *const names[] = {"exact",    "approx",  "more_than",
                                        "at_least", "less_than", "up_to",
                                        "range",    "multiple"};
    return (unsigned)q < sizeof names / sizeof names[0] ? names[q] : "exact";
}

static const char *rid(const mr_story_view *v, size_t d)
{
    const mr_report *r = v->docs[d].report;
    return r && r->id ? r->id : "";
}

static void span_text(FILE *f, const mr_story_view *v, size_t d,
                      uint32_t start, uint32_t end)
{
    const mr_report *r = v->docs[d].report;
    if (end > r->text_len)
        end = (uint32_t)r->text_len;
    if (start > end)
        start = end;
    mr_json_str(f, r->text + start, end - start);
}

static void bound(FILE *f, double x, bool open)
{
    if (open || !isfinite(x))
        fputs("null", f);
    else
        mr_json_num(f, x);
}

/* "course": the indexes into values of the claim's values in report-time
 * order, a report's repeated value left out; "latest": per source, the
 * index of its last value, sources in the order of that value. */
static void course(FILE *f, const mr_claim *c)
{
    mr_json_key(f, "course", 0);
    fputc('[', f);
    int first = 1;
    for (size_t k = 0; k < c->n; k++)
        if (!c->values[k].repeat) {
            fprintf(f, first ? "%zu" : ",%zu", k);
            first = 0;
        }
    fputc(']', f);
    mr_json_key(f, "latest", 0);
    fputc('[', f);
    size_t *last = malloc((c->n ? c->n : 1) * sizeof *last);
    if (last) {
        size_t nl = mr_claim_latest(c, last);
        for (size_t i = 0; i < nl; i++)
            fprintf(f, i ? ",%zu" : "%zu", last[i]);
        free(last);
    }
    fputc(']', f);
}

/* One value of a claim: as its report states it, or (cp) as a copy of
 * that report does, with "copy_of". */
static void claim_value(FILE *f, const mr_story_view *v,
                        const mr_claim_value *x, const mr_story_copy *cp)
{
    fputc('{', f);
    mr_json_key(f, "report", 1);
    mr_json_cstr(f, cp ? cp->id : rid(v, x->doc));
    /* a copy credits whom its report credits; the outlet's own figure
     * is the copy's outlet's */
    const char *outlet = v->docs[x->doc].report->outlet;
    bool own = !x->source || (outlet && strcmp(x->source, outlet) == 0);
    mr_json_key(f, "source", 0);
    mr_json_cstr(f, cp && own && cp->outlet ? cp->outlet : x->source);
    mr_json_key(f, "value", 0);
    fputs("{\"min\":", f);
    bound(f, x->min, !x->has_min);
    fputs(",\"max\":", f);
    bound(f, x->max, !x->has_max);
    fputc('}', f);
    mr_json_key(f, "qualifier", 0);
    mr_json_cstr(f, qname(x->qualifier));
    mr_json_key(f, "published", 0);
    mr_json_cstr(f, cp ? cp->published
                       : *x->published ? x->published : NULL);
    mr_json_key(f, "start", 0);
    fprintf(f, "%u", x->start);
    mr_json_key(f, "end", 0);
    fprintf(f, "%u", x->end);
    mr_json_key(f, "text", 0);
    span_text(f, v, x->doc, x->start, x->end);
    mr_json_key(f, "category", 0);
    mr_json_cstr(f, x->category && *x->category ? x->category : NULL);
    mr_json_key(f, "repeat", 0);
    fputs(x->repeat ? "true" : "false", f);
    if (cp) {
        mr_json_key(f, "copy_of", 0);
        mr_json_cstr(f, rid(v, x->doc));
    }
    fputc('}', f);
}

void mr_story_json(FILE *f, const mr_story_view *v)
{
    if (!f || !v)
        return;
    const mr_synth *s = v->synth;
    fputc('{', f);
    mr_json_key(f, "schema", 1);
    mr_json_cstr(f, MARSAD_SCHEMA);
    mr_json_key(f, "id", 0);
    mr_json_cstr(f, v->id ? v->id : "");
    mr_json_key(f, "title", 0);
    mr_json_cstr(f, mr_story_view_title(v));
    mr_json_key(f, "first_seen", 0);
    mr_json_cstr(f, v->first_seen);
    mr_json_key(f, "last_seen", 0);
    mr_json_cstr(f, v->last_seen);
    mr_json_key(f, "reports", 0);
    fputc('[', f);
    for (size_t d = 0; d < v->ndocs; d++) {
        if (d)
            fputc(',', f);
        mr_json_cstr(f, rid(v, d));
        for (size_t k = 0; k < v->docs[d].ncopies; k++) {
            fputc(',', f);
            mr_json_cstr(f, v->docs[d].copies[k].id);
        }
    }
    fputc(']', f);

    mr_json_key(f, "claims", 0);
    fputc('[', f);
    for (size_t i = 0; s && i < s->claims.n; i++) {
        const mr_claim *c = &s->claims.v[i];
        if (i)
            fputc(',', f);
        fputc('{', f);
        mr_json_key(f, "event", 1);
        mr_json_cstr(f, c->event);
        mr_json_key(f, "category", 0);
        mr_json_cstr(f, c->category);
        mr_json_key(f, "side", 0);
        mr_json_cstr(f, *c->side ? c->side : NULL);
        mr_json_key(f, "period", 0);
        mr_json_cstr(f, *c->period ? c->period : NULL);
        mr_json_key(f, "scope", 0);
        mr_json_cstr(f, mr_scope_name(c->scope));
        mr_json_key(f, "place", 0);
        mr_json_cstr(f, c->place && *c->place ? c->place : NULL);
        mr_json_key(f, "part", 0);
        fputs(c->part ? "true" : "false", f);
        mr_json_key(f, "attacker", 0);
        fputs(c->attacker ? "true" : "false", f);
        mr_json_key(f, "values", 0);
        fputc('[', f);
        for (size_t k = 0; k < c->n; k++) {
            if (k)
                fputc(',', f);
            claim_value(f, v, &c->values[k], NULL);
        }
        /* then each value again as the copies of its report carry it,
         * naming the report they copy (after all the values, so that the
         * indexes of "course" hold) */
        for (size_t k = 0; k < c->n; k++) {
            const mr_story_doc *doc = &v->docs[c->values[k].doc];
            for (size_t y = 0; y < doc->ncopies; y++) {
                fputc(',', f);
                claim_value(f, v, &c->values[k], &doc->copies[y]);
            }
        }
        fputc(']', f);
        course(f, c);
        mr_json_key(f, "range", 0);
        fputs("{\"min\":", f);
        bound(f, c->range_min, c->range_min_open);
        fputs(",\"max\":", f);
        bound(f, c->range_max, c->range_max_open);
        fputc('}', f);
        mr_json_key(f, "reports", 0);
        fprintf(f, "%zu", c->n_reports);
        mr_json_key(f, "verdict", 0);
        mr_json_cstr(f, mr_verdict_name(c->verdict));
        mr_json_key(f, "reason", 0);
        mr_json_cstr(f, c->reason);
        fputc('}', f);
    }
    fputc(']', f);

    mr_json_key(f, "timeline", 0);
    fputc('[', f);
    for (size_t i = 0; s && i < s->timeline.n; i++) {
        const mr_timeline_item *t = &s->timeline.v[i];
        if (i)
            fputc(',', f);
        fputc('{', f);
        mr_json_key(f, "date", 1);
        mr_json_cstr(f, t->value);
        mr_json_key(f, "report", 0);
        mr_json_cstr(f, rid(v, t->doc));
        mr_json_key(f, "start", 0);
        fprintf(f, "%u", t->start);
        mr_json_key(f, "end", 0);
        fprintf(f, "%u", t->end);
        mr_json_key(f, "text", 0);
        span_text(f, v, t->doc, t->start, t->end);
        mr_json_key(f, "sentence", 0);
        span_text(f, v, t->doc, t->sentence.start, t->sentence.end);
        fputc('}', f);
    }
    fputc(']', f);

    mr_json_key(f, "summary", 0);
    fputc('[', f);
    for (size_t i = 0; s && i < s->summary.n; i++) {
        const mr_summary_item *t = &s->summary.v[i];
        if (i)
            fputc(',', f);
        fputc('{', f);
        mr_json_key(f, "report", 1);
        mr_json_cstr(f, rid(v, t->doc));
        mr_json_key(f, "outlet", 0);
        mr_json_cstr(f, *t->outlet ? t->outlet : NULL);
        mr_json_key(f, "start", 0);
        fprintf(f, "%u", t->sentence.start);
        mr_json_key(f, "end", 0);
        fprintf(f, "%u", t->sentence.end);
        mr_json_key(f, "text", 0);
        span_text(f, v, t->doc, t->sentence.start, t->sentence.end);
        fputc('}', f);
    }
    fputc(']', f);

    mr_json_key(f, "passages", 0);
    fputc('[', f);
    for (size_t i = 0; i < v->npassages; i++) {
        const mr_story_passage *p = &v->passages[i];
        if (i)
            fputc(',', f);
        fputc('{', f);
        mr_json_key(f, "a", 1);
        mr_json_cstr(f, rid(v, p->a));
        mr_json_key(f, "b", 0);
        mr_json_cstr(f, rid(v, p->b));
        fprintf(f, ",\"a_start\":%u,\"a_end\":%u,\"b_start\":%u,\"b_end\":%u",
                p->a_start, p->a_end, p->b_start, p->b_end);
        fputc('}', f);
    }
    fputs("]}\n", f);
}

/* ------------------------------------------------------------ terminal */

/* Prints at most `cols` columns of s (one column per code point), with an
 * ellipsis when cut. */
static void put_cut(FILE *f, const char *s, size_t len, int cols)
{
    size_t i = 0;
    int used = 0;
    while (i < len && used < cols) {
        uint32_t cp;
        size_t m = marsad_utf8_decode(s + i, len - i, &cp);
        if (cp == '\n' || cp == '\r' || cp == '\t')
            fputc(' ', f);
        else
            fwrite(s + i, 1, m, f);
        i += m;
        used++;
    }
    if (i < len)
        fputs("…", f);
}

void mr_story_text(FILE *f, const mr_story_view *v, int width)
{
    if (!f || !v)
        return;
    if (width <= 20)
        width = 80;
    const char *t = mr_story_view_title(v);
    fprintf(f, "■ ");
    put_cut(f, t, strlen(t), width - 4);
    fprintf(f, "\n  %s · ", v->id ? v->id : "");
    mr_label_reports(f, v->ndocs);
    fprintf(f, " · %s → %s\n", v->first_seen ? v->first_seen : "?",
            v->last_seen ? v->last_seen : "?");
    const mr_synth *s = v->synth;
    for (size_t i = 0; s && i < s->claims.n && i < 8; i++) {
        const mr_claim *c = &s->claims.v[i];
        if (c->n_reports < 2 && c->verdict != MR_VERDICT_CONFLICT)
            continue;
        fprintf(f, "  %s · %s، %s%s%s: ",
                mr_label_verdict(mr_verdict_name(c->verdict)),
                mr_label_event(c->event), mr_label_category(c->category),
                *c->side ? " / " : "", c->side);
        for (size_t k = 0; k < c->n && k < 4; k++) {
            const mr_claim_value *x = &c->values[k];
            const mr_report *r = v->docs[x->doc].report;
            if (k)
                fputs(" | ", f);
            put_cut(f, r->text + x->start, x->end - x->start, 24);
        }
        if (c->n > 4)
            fprintf(f, " (+%zu)", c->n - 4);
        fputc('\n', f);
    }
}
