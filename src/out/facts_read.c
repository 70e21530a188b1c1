/*
 * facts_read.c: facts read back from the JSON objects mr_fact_json wrote
 * (what the store keeps, one object per fact), so that the layers above
 * use stored facts instead of extracting them again. See facts_json.h.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "out/facts_json.h"

static json_object *get(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!o || !json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

static uint32_t u32(json_object *o, const char *key)
{
    json_object *v = get(o, key);
    int64_t n = v ? json_object_get_int64(v) : 0;
    return n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/* An index, or -1 for null. */
static int idx(json_object *o, const char *key)
{
    json_object *v = get(o, key);
    if (!v || json_object_is_type(v, json_type_null))
        return -1;
    int64_t n = json_object_get_int64(v);
    return n < 0 || n > 0x7fffffff ? -1 : (int)n;
}

static int boolean(json_object *o, const char *key)
{
    json_object *v = get(o, key);
    return v && json_object_get_boolean(v);
}

/* A string in f's arena, NULL for null or missing; *oom set on failure. */
static const char *str(mr_facts *f, json_object *o, const char *key, int *oom)
{
    json_object *v = get(o, key);
    if (!v || !json_object_is_type(v, json_type_string))
        return NULL;
    const char *s = json_object_get_string(v);
    char *c = mr_arena_strndup(&f->arena, s,
                               (size_t)json_object_get_string_len(v));
    if (!c)
        *oom = 1;
    return c;
}

static int name_is(json_object *o, const char *key, const char *name)
{
    json_object *v = get(o, key);
    const char *s = v ? json_object_get_string(v) : NULL;
    return s && name && strcmp(s, name) == 0;
}

#define PUSH(vec, out)                                                         \
    do {                                                                       \
        if ((vec).n == (vec).cap) {                                            \
            size_t nc_ = (vec).cap ? (vec).cap * 2 : 8;                        \
            void *nv_ = realloc((vec).v, nc_ * sizeof *(vec).v);               \
            if (!nv_)                                                          \
                return MARSAD_E_NOMEM;                                         \
            (vec).v = nv_;                                                     \
            (vec).cap = nc_;                                                   \
        }                                                                      \
        (out) = &(vec).v[(vec).n++];                                           \
        memset((out), 0, sizeof *(out));                                       \
    } while (0)

static marsad_status add_figure(mr_facts *f, json_object *o)
{
    mr_figure *g;
    PUSH(f->figures, g);
    int oom = 0;
    g->start = u32(o, "start");
    g->end = u32(o, "end");
    json_object *val = get(o, "value"), *mn = get(val, "min"),
                *mx = get(val, "max");
    g->has_min = mn && !json_object_is_type(mn, json_type_null);
    g->has_max = mx && !json_object_is_type(mx, json_type_null);
    g->min = g->has_min ? json_object_get_double(mn) : 0;
    g->max = g->has_max ? json_object_get_double(mx) : 0;
    g->qualifier = MARSAD_Q_EXACT;
    for (int q = MARSAD_Q_EXACT; q <= MARSAD_Q_MULTIPLE; q++)
        if (name_is(o, "qualifier", marsad_qualifier_name((marsad_qualifier)q)))
            g->qualifier = (marsad_qualifier)q;
    g->counted = str(f, o, "counted", &oom);
    g->category = str(f, o, "category", &oom);
    g->side = str(f, o, "side", &oom);
    g->event = str(f, o, "event", &oom);
    g->part_of = idx(o, "part_of");
    g->source = idx(o, "source_index");
    g->when = idx(o, "when");
    return oom ? MARSAD_E_NOMEM : MARSAD_OK;
}

static marsad_status add_source(mr_facts *f, json_object *o)
{
    mr_source *s;
    PUSH(f->sources, s);
    int oom = 0;
    s->start = u32(o, "start");
    s->end = u32(o, "end");
    s->cue_start = u32(o, "cue_start");
    s->cue_end = u32(o, "cue_end");
    json_object *sc = get(o, "scope");
    s->scope_start = u32(sc, "start");
    s->scope_end = u32(sc, "end");
    s->speaker = str(f, o, "speaker", &oom);
    s->cue = str(f, o, "cue", &oom);
    s->covers = name_is(o, "covers", "figure")  ? MR_COVERS_FIGURE
                : name_is(o, "covers", "quote") ? MR_COVERS_QUOTE
                                                : MR_COVERS_STATEMENT;
    s->via = -1; /* resolved by name once all sources are read */
    s->entity = idx(o, "entity");
    return oom ? MARSAD_E_NOMEM : MARSAD_OK;
}

static marsad_status add_date(mr_facts *f, json_object *o)
{
    mr_date *d;
    PUSH(f->dates, d);
    d->start = u32(o, "start");
    d->end = u32(o, "end");
    for (int k = MR_DATE_ABSOLUTE; k <= MR_DATE_DURATION; k++)
        if (name_is(o, "kind", mr_date_kind_name((mr_date_kind)k)))
            d->kind = (mr_date_kind)k;
    for (int m = MR_MONTHS_EGYPTIAN; m <= MR_MONTHS_HIJRI; m++)
        if (name_is(o, "month_system",
                    mr_month_system_name((mr_month_system)m)))
            d->months = (mr_month_system)m;
    d->vague = boolean(o, "vague");
    d->relative = boolean(o, "relative");
    json_object *v = get(o, "value");
    if (v && json_object_is_type(v, json_type_string))
        snprintf(d->value, sizeof d->value, "%s", json_object_get_string(v));
    return MARSAD_OK;
}

static marsad_status add_entity(mr_facts *f, json_object *o)
{
    mr_entity *e;
    PUSH(f->entities, e);
    int oom = 0;
    e->start = u32(o, "start");
    e->end = u32(o, "end");
    for (int k = MR_ENT_PERSON; k <= MR_ENT_OUTLET; k++)
        if (name_is(o, "kind", mr_entity_kind_name((mr_entity_kind)k)))
            e->kind = (mr_entity_kind)k;
    e->canonical = str(f, o, "canonical", &oom);
    return oom ? MARSAD_E_NOMEM : MARSAD_OK;
}

static marsad_status add_quote(mr_facts *f, json_object *o)
{
    mr_quote *q;
    PUSH(f->quotes, q);
    int oom = 0;
    q->start = u32(o, "start");
    q->end = u32(o, "end");
    json_object *in = get(o, "inner");
    q->text_start = u32(in, "start");
    q->text_end = u32(in, "end");
    q->speaker_name = str(f, o, "speaker", &oom);
    q->speaker = -1; /* resolved by name once all entities are read */
    return oom ? MARSAD_E_NOMEM : MARSAD_OK;
}

marsad_status mr_fact_add_json(mr_facts *f, mr_fact_kind kind,
                               const char *json, size_t len)
{
    if (!f || !json)
        return MARSAD_E_ARG;
    json_tokener *tk = json_tokener_new();
    if (!tk)
        return MARSAD_E_NOMEM;
    json_object *o = json_tokener_parse_ex(tk, json, (int)len);
    json_tokener_free(tk);
    if (!o || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        return MARSAD_E_INPUT;
    }
    marsad_status rc = MARSAD_E_INPUT;
    switch (kind) {
    case MR_FACT_FIGURE: rc = add_figure(f, o); break;
    case MR_FACT_SOURCE: rc = add_source(f, o); break;
    case MR_FACT_DATE: rc = add_date(f, o); break;
    case MR_FACT_ENTITY: rc = add_entity(f, o); break;
    case MR_FACT_QUOTE: rc = add_quote(f, o); break;
    }
    /* a source's relay is stored by its speaker's name */
    if (rc == MARSAD_OK && kind == MR_FACT_SOURCE) {
        json_object *via = get(o, "via");
        if (via && json_object_is_type(via, json_type_string)) {
            const char *name = json_object_get_string(via);
            mr_source *s = &f->sources.v[f->sources.n - 1];
            for (size_t k = 0; k + 1 < f->sources.n; k++)
                if (f->sources.v[k].speaker &&
                    strcmp(f->sources.v[k].speaker, name) == 0)
                    s->via = (int)k;
        }
    }
    json_object_put(o);
    return rc;
}

void mr_facts_read_done(mr_facts *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->sources.n; i++) {
        mr_source *s = &f->sources.v[i];
        if (s->entity >= (int)f->entities.n)
            s->entity = -1;
    }
    for (size_t i = 0; i < f->quotes.n; i++) {
        mr_quote *q = &f->quotes.v[i];
        for (size_t k = 0; q->speaker_name && k < f->entities.n; k++)
            if (f->entities.v[k].canonical &&
                strcmp(f->entities.v[k].canonical, q->speaker_name) == 0) {
                q->speaker = (int)k;
                break;
            }
    }
    for (size_t i = 0; i < f->figures.n; i++) {
        mr_figure *g = &f->figures.v[i];
        if (g->source >= (int)f->sources.n)
            g->source = -1;
        if (g->when >= (int)f->dates.n)
            g->when = -1;
        if (g->part_of >= (int)f->figures.n)
            g->part_of = -1;
    }
}
