/*
 * facts_json.c: writes the facts of one report (schema marsad/2, see
 * docs/json.md) and a terminal table of them.
 */
#include <string.h>

#include "out/facts_json.h"
#include "out/json.h"

const char *mr_date_kind_name(mr_date_kind k)
{
    switch (k) {
    case MR_DATE_ABSOLUTE: return "absolute";
    case MR_DATE_MONTH: return "month";
    case MR_DATE_YEAR: return "year";
    case MR_DATE_WEEKDAY: return "weekday";
    case MR_DATE_RELATIVE: return "relative";
    case MR_DATE_DURATION: return "duration";
    }
    return "unknown";
}

const char *mr_month_system_name(mr_month_system m)
{
    switch (m) {
    case MR_MONTHS_NONE: return NULL;
    case MR_MONTHS_EGYPTIAN: return "egyptian";
    case MR_MONTHS_MAGHREBI: return "maghrebi";
    case MR_MONTHS_LEVANTINE: return "levantine";
    case MR_MONTHS_ALGERIAN: return "algerian";
    case MR_MONTHS_HIJRI: return "hijri";
    }
    return NULL;
}

const char *mr_entity_kind_name(mr_entity_kind k)
{
    switch (k) {
    case MR_ENT_PERSON: return "person";
    case MR_ENT_ORG: return "organisation";
    case MR_ENT_PLACE: return "place";
    case MR_ENT_OUTLET: return "outlet";
    }
    return "unknown";
}

const char *mr_covers_name(mr_covers c)
{
    switch (c) {
    case MR_COVERS_FIGURE: return "figure";
    case MR_COVERS_QUOTE: return "quote";
    case MR_COVERS_STATEMENT: return "statement";
    }
    return "statement";
}

/* "start":S,"end":E,"text":"..." (the span, clamped to the text). */
static void span(FILE *o, const mr_report *r, uint32_t s, uint32_t e)
{
    size_t n = r->text_len;
    size_t a = s < n ? s : n, b = e < n ? e : n;
    if (b < a)
        b = a;
    fprintf(o, "\"start\":%zu,\"end\":%zu,\"text\":", a, b);
    mr_json_str(o, r->text + a, b - a);
}

static void bound(FILE *o, const char *key, bool has, double v)
{
    mr_json_key(o, key, key[1] == 'i' && key[2] == 'n');
    if (has)
        mr_json_num(o, v);
    else
        fputs("null", o);
}

static void figure_json(FILE *o, const mr_report *r, const mr_facts *f,
                        size_t i)
{
    const mr_figure *g = &f->figures.v[i];
    fputc('{', o);
    span(o, r, g->start, g->end);
    fputs(",\"value\":{", o);
    bound(o, "min", g->has_min, g->min);
    bound(o, "max", g->has_max, g->max);
    fputc('}', o);
    mr_json_key(o, "qualifier", 0);
    mr_json_cstr(o, marsad_qualifier_name(g->qualifier));
    mr_json_key(o, "counted", 0);
    mr_json_cstr(o, g->counted);
    mr_json_key(o, "category", 0);
    mr_json_cstr(o, g->category);
    mr_json_key(o, "side", 0);
    mr_json_cstr(o, g->side);
    mr_json_key(o, "event", 0);
    mr_json_cstr(o, g->event);
    mr_json_key(o, "part_of", 0);
    if (g->part_of >= 0 && (size_t)g->part_of < f->figures.n)
        fprintf(o, "%d", g->part_of);
    else
        fputs("null", o);
    mr_json_key(o, "source", 0);
    const mr_source *so = g->source >= 0 && (size_t)g->source < f->sources.n
                              ? &f->sources.v[g->source]
                              : NULL;
    mr_json_cstr(o, so ? so->speaker : NULL);
    mr_json_key(o, "source_index", 0);
    if (so)
        fprintf(o, "%d", g->source);
    else
        fputs("null", o);
    mr_json_key(o, "source_via", 0);
    if (so && so->via >= 0) {
        fputc('[', o);
        int v = so->via, hops = 0;
        while (v >= 0 && (size_t)v < f->sources.n && hops < 8) {
            if (hops)
                fputc(',', o);
            mr_json_cstr(o, f->sources.v[v].speaker);
            v = f->sources.v[v].via;
            hops++;
        }
        fputc(']', o);
    } else
        fputs("null", o);
    mr_json_key(o, "when", 0);
    if (g->when >= 0 && (size_t)g->when < f->dates.n)
        fprintf(o, "%d", g->when);
    else
        fputs("null", o);
    fputc('}', o);
}

static void source_json(FILE *o, const mr_report *r, const mr_facts *f,
                        size_t i)
{
    const mr_source *s = &f->sources.v[i];
    fputc('{', o);
    span(o, r, s->start, s->end);
    mr_json_key(o, "speaker", 0);
    mr_json_cstr(o, s->speaker);
    mr_json_key(o, "cue", 0);
    mr_json_cstr(o, s->cue);
    fprintf(o, ",\"cue_start\":%u,\"cue_end\":%u", s->cue_start, s->cue_end);
    fprintf(o, ",\"scope\":{\"start\":%u,\"end\":%u}", s->scope_start,
            s->scope_end);
    mr_json_key(o, "covers", 0);
    mr_json_cstr(o, mr_covers_name(s->covers));
    mr_json_key(o, "via", 0);
    if (s->via >= 0 && (size_t)s->via < f->sources.n)
        mr_json_cstr(o, f->sources.v[s->via].speaker);
    else
        fputs("null", o);
    mr_json_key(o, "entity", 0);
    if (s->entity >= 0)
        fprintf(o, "%d", s->entity);
    else
        fputs("null", o);
    fputc('}', o);
}

static void date_json(FILE *o, const mr_report *r, const mr_facts *f,
                      size_t i)
{
    const mr_date *d = &f->dates.v[i];
    fputc('{', o);
    span(o, r, d->start, d->end);
    mr_json_key(o, "value", 0);
    mr_json_cstr(o, d->value[0] ? d->value : NULL);
    mr_json_key(o, "kind", 0);
    mr_json_cstr(o, mr_date_kind_name(d->kind));
    mr_json_key(o, "calendar", 0);
    mr_json_cstr(o, d->months == MR_MONTHS_HIJRI ? "hijri" : "gregorian");
    mr_json_key(o, "month_system", 0);
    mr_json_cstr(o, mr_month_system_name(d->months));
    fprintf(o, ",\"relative\":%s,\"vague\":%s}", d->relative ? "true" : "false",
            d->vague ? "true" : "false");
}

static void entity_json(FILE *o, const mr_report *r, const mr_facts *f,
                        size_t i)
{
    const mr_entity *e = &f->entities.v[i];
    fputc('{', o);
    span(o, r, e->start, e->end);
    mr_json_key(o, "kind", 0);
    mr_json_cstr(o, mr_entity_kind_name(e->kind));
    mr_json_key(o, "canonical", 0);
    mr_json_cstr(o, e->canonical);
    fputc('}', o);
}

static void quote_json(FILE *o, const mr_report *r, const mr_facts *f,
                       size_t i)
{
    const mr_quote *q = &f->quotes.v[i];
    fputc('{', o);
    span(o, r, q->start, q->end);
    fprintf(o, ",\"inner\":{\"start\":%u,\"end\":%u}", q->text_start,
            q->text_end);
    mr_json_key(o, "speaker", 0);
    mr_json_cstr(o, q->speaker_name);
    fputc('}', o);
}

void mr_fact_json(FILE *o, const mr_report *r, const mr_facts *f,
                  mr_fact_kind kind, size_t i)
{
    switch (kind) {
    case MR_FACT_FIGURE:
        if (i < f->figures.n)
            figure_json(o, r, f, i);
        break;
    case MR_FACT_SOURCE:
        if (i < f->sources.n)
            source_json(o, r, f, i);
        break;
    case MR_FACT_DATE:
        if (i < f->dates.n)
            date_json(o, r, f, i);
        break;
    case MR_FACT_ENTITY:
        if (i < f->entities.n)
            entity_json(o, r, f, i);
        break;
    case MR_FACT_QUOTE:
        if (i < f->quotes.n)
            quote_json(o, r, f, i);
        break;
    }
}

void mr_facts_json(FILE *o, const mr_report *r, const mr_facts *f)
{
    static const char *const keys[] = {"figures", "sources", "dates",
                                       "entities", "quotes"};
    const size_t counts[] = {f->figures.n, f->sources.n, f->dates.n,
                             f->entities.n, f->quotes.n};
    fprintf(o, "{\"schema\":\"%s\",\"report\":{", MARSAD_SCHEMA);
    mr_json_key(o, "id", 1);
    mr_json_cstr(o, r->id);
    mr_json_key(o, "file", 0);
    mr_json_cstr(o, r->file);
    mr_json_key(o, "outlet", 0);
    mr_json_cstr(o, r->outlet);
    mr_json_key(o, "published", 0);
    mr_json_cstr(o, r->published);
    mr_json_key(o, "reference", 0); /* the day relative dates resolve to */
    mr_json_cstr(o, f->reference[0] ? f->reference : NULL);
    mr_json_key(o, "title", 0);
    mr_json_cstr(o, r->title);
    fputc('}', o);
    for (int k = MR_FACT_FIGURE; k <= MR_FACT_QUOTE; k++) {
        fprintf(o, ",\"%s\":[", keys[k]);
        for (size_t i = 0; i < counts[k]; i++) {
            if (i)
                fputc(',', o);
            mr_fact_json(o, r, f, (mr_fact_kind)k, i);
        }
        fputc(']', o);
    }
    if (f->figures_dropped) /* beyond MR_FIGURES_MAX: counted, not kept */
        fprintf(o, ",\"figures_dropped\":%zu", f->figures_dropped);
    fputs("}\n", o);
}

/* Prints s[0..n) on one line: line breaks and tabs become spaces. */
static void flat(FILE *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc(s[i] == '\n' || s[i] == '\t' || s[i] == '\r' ? ' ' : s[i], o);
}

static void tspan(FILE *o, const mr_report *r, uint32_t s, uint32_t e)
{
    size_t n = r->text_len;
    size_t a = s < n ? s : n, b = e < n ? e : n;
    fprintf(o, "  [%zu-%zu] ", a, b);
    flat(o, r->text + a, b > a ? b - a : 0);
}

static void tnum(FILE *o, bool has, double v)
{
    if (has)
        fprintf(o, "%.15g", v);
    else
        fputs("…", o);
}

void mr_facts_table(FILE *o, const mr_report *r, const mr_facts *f)
{
    fprintf(o, "== %s", r->file ? r->file : "-");
    if (r->title)
        fprintf(o, "  %s", r->title);
    fprintf(o, "\n   outlet: %s  published: %s\n", r->outlet ? r->outlet : "-",
            r->published ? r->published : "-");
    fprintf(o, "figures (%zu)\n", f->figures.n);
    if (f->figures_dropped)
        fprintf(o, "   (%zu more figures not kept: at most %d per report)\n",
                f->figures_dropped, MR_FIGURES_MAX);
    for (size_t i = 0; i < f->figures.n; i++) {
        const mr_figure *g = &f->figures.v[i];
        tspan(o, r, g->start, g->end);
        fputs("  = ", o);
        tnum(o, g->has_min, g->min);
        if (!g->has_min || !g->has_max || g->min != g->max) {
            fputs("..", o);
            tnum(o, g->has_max, g->max);
        }
        fprintf(o, " %s | %s (%s) | event %s", marsad_qualifier_name(g->qualifier),
                g->counted ? g->counted : "-", g->category ? g->category : "-",
                g->event ? g->event : "-");
        if (g->side)
            fprintf(o, " | side %s", g->side);
        if (g->part_of >= 0)
            fprintf(o, " | part of #%d", g->part_of);
        if (g->source >= 0 && (size_t)g->source < f->sources.n)
            fprintf(o, " | source %s", f->sources.v[g->source].speaker);
        fputc('\n', o);
    }
    fprintf(o, "sources (%zu)\n", f->sources.n);
    for (size_t i = 0; i < f->sources.n; i++) {
        const mr_source *s = &f->sources.v[i];
        tspan(o, r, s->start, s->end);
        fprintf(o, "  = %s | %s | %s", s->speaker ? s->speaker : "-",
                s->cue ? s->cue : "-", mr_covers_name(s->covers));
        if (s->via >= 0 && (size_t)s->via < f->sources.n)
            fprintf(o, " | via %s", f->sources.v[s->via].speaker);
        fputc('\n', o);
    }
    fprintf(o, "dates (%zu)\n", f->dates.n);
    for (size_t i = 0; i < f->dates.n; i++) {
        const mr_date *d = &f->dates.v[i];
        tspan(o, r, d->start, d->end);
        fprintf(o, "  = %s | %s\n", d->value[0] ? d->value : "?",
                mr_date_kind_name(d->kind));
    }
    fprintf(o, "entities (%zu)\n", f->entities.n);
    for (size_t i = 0; i < f->entities.n; i++) {
        const mr_entity *e = &f->entities.v[i];
        tspan(o, r, e->start, e->end);
        fprintf(o, "  = %s | %s\n", mr_entity_kind_name(e->kind),
                e->canonical ? e->canonical : "-");
    }
    fprintf(o, "quotes (%zu)\n", f->quotes.n);
    for (size_t i = 0; i < f->quotes.n; i++) {
        const mr_quote *q = &f->quotes.v[i];
        tspan(o, r, q->start, q->end);
        if (q->speaker_name)
            fprintf(o, "  = %s", q->speaker_name);
        fputc('\n', o);
    }
}
