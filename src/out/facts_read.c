/*
 * facts_read.c: facts read back from the JSON objects mr_fact_json wrote
 * (what the store keeps, one object per fact), so that the layers above
 * use stored facts instead of extracting them again. See facts_json.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "out/facts_json.h"
#include "text/text.h"

/*
 * A fact object as flat members: "key" or "outer.key" (one level of
 * nesting, as mr_fact_json writes: a figure's value, a source's scope, a
 * quote's inner span) and its value's token. Read without a DOM: the
 * objects are small and flat, and a JSON library's tree of allocations
 * per object was most of what reading stored facts back cost (issue 15).
 * JSON null is no member (as a NULL json_object was before).
 */
enum { JMAX = 40 };
typedef struct jmem {
    char key[40];
    char type;      /* 's' string, 'n' number, 't' true, 'f' false */
    const char *at; /* the token (a string's inside, escapes as they are) */
    size_t len;
} jmem;
typedef struct jobj {
    jmem m[JMAX];
    size_t n;
} jobj;

static const char *ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* The end of the string whose inside begins at p (at its closing quote),
 * or NULL. */
static const char *str_end(const char *p, const char *e)
{
    for (; p < e; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p;
    }
    return NULL;
}

/* Skips the array at p (strings and nesting inside it): one past its
 * end, or NULL. */
static const char *skip_array(const char *p, const char *e)
{
    int depth = 0;
    for (; p < e; p++) {
        if (*p == '"') {
            if (!(p = str_end(p + 1, e)))
                return NULL;
        } else if (*p == '[' || *p == '{') {
            depth++;
        } else if (*p == ']' || *p == '}') {
            if (--depth == 0)
                return p + 1;
        }
    }
    return NULL;
}

/* Parses the object at *pp (prefix: the outer key and a dot, or ""). */
static int parse_obj(jobj *o, const char **pp, const char *e,
                     const char *prefix, int depth)
{
    const char *p = ws(*pp, e);
    if (p >= e || *p != '{' || depth > 1)
        return 0;
    p = ws(p + 1, e);
    if (p < e && *p == '}') {
        *pp = p + 1;
        return 1;
    }
    for (;;) {
        if (p >= e || *p != '"')
            return 0;
        const char *k = p + 1, *ke = str_end(k, e);
        if (!ke)
            return 0;
        char key[40];
        int kn = snprintf(key, sizeof key, "%s%.*s", prefix, (int)(ke - k), k);
        if (kn < 0 || (size_t)kn >= sizeof key)
            return 0;
        p = ws(ke + 1, e);
        if (p >= e || *p != ':')
            return 0;
        p = ws(p + 1, e);
        if (p >= e)
            return 0;
        if (*p == '[') { /* not read (a figure's source_via) */
            if (!(p = skip_array(p, e)))
                return 0;
        } else if (*p == '{') {
            char sub[48];
            memcpy(sub, key, (size_t)kn);
            sub[kn] = '.';
            sub[kn + 1] = 0;
            if (!parse_obj(o, &p, e, sub, depth + 1))
                return 0;
        } else {
            jmem m = {.type = 0};
            if (*p == '"') {
                const char *se = str_end(p + 1, e);
                if (!se)
                    return 0;
                m.type = 's';
                m.at = p + 1;
                m.len = (size_t)(se - p - 1);
                p = se + 1;
            } else {
                const char *t = p;
                while (p < e && *p != ',' && *p != '}' && *p != ' ' &&
                       *p != '\n')
                    p++;
                size_t tn = (size_t)(p - t);
                if (tn == 4 && memcmp(t, "null", 4) == 0)
                    m.type = 0;
                else if (tn == 4 && memcmp(t, "true", 4) == 0)
                    m.type = 't';
                else if (tn == 5 && memcmp(t, "false", 5) == 0)
                    m.type = 'f';
                else if (tn && (*t == '-' || (*t >= '0' && *t <= '9')))
                    m.type = 'n';
                else
                    return 0; /* not JSON */
                m.at = t;
                m.len = tn;
            }
            if (m.type) {
                if (o->n == JMAX)
                    return 0;
                memcpy(m.key, key, (size_t)kn + 1);
                o->m[o->n++] = m;
            }
        }
        p = ws(p, e);
        if (p < e && *p == ',') {
            p = ws(p + 1, e);
            continue;
        }
        if (p < e && *p == '}') {
            *pp = p + 1;
            return 1;
        }
        return 0;
    }
}

static const jmem *get(const jobj *o, const char *key)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->m[i].key, key) == 0)
            return &o->m[i];
    return NULL;
}

static double num(const jmem *v)
{
    char b[64];
    if (!v || v->len >= sizeof b)
        return 0;
    if (v->type == 't')
        return 1;
    if (v->type != 'n')
        return 0;
    memcpy(b, v->at, v->len);
    b[v->len] = 0;
    return strtod(b, NULL);
}

static int64_t int64(const jmem *v)
{
    double d = num(v);
    return d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : (int64_t)d;
}

static uint32_t u32(const jobj *o, const char *key)
{
    int64_t n = int64(get(o, key));
    return n < 0 ? 0 : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/* An index, or -1 for null. */
static int idx(const jobj *o, const char *key)
{
    const jmem *v = get(o, key);
    if (!v)
        return -1;
    int64_t n = int64(v);
    return n < 0 || n > 0x7fffffff ? -1 : (int)n;
}

static int boolean(const jobj *o, const char *key)
{
    const jmem *v = get(o, key);
    return v && (v->type == 't' || (v->type == 'n' && num(v) != 0) ||
                 (v->type == 's' && v->len > 0));
}

static unsigned hex4(const char *p)
{
    unsigned u = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        u = u * 16 + (unsigned)(c >= '0' && c <= '9'   ? c - '0'
                                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                       : 0);
    }
    return u;
}

/* A string member's value unescaped into out (cap bytes, NUL-ended);
 * its length, or (size_t)-1 if it does not fit. */
static size_t unescape(const jmem *v, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < v->len; i++) {
        char c = v->at[i];
        char b[8];
        size_t bn = 1;
        b[0] = c;
        if (c == '\\' && i + 1 < v->len) {
            c = v->at[++i];
            switch (c) {
            case 'n': b[0] = '\n'; break;
            case 't': b[0] = '\t'; break;
            case 'r': b[0] = '\r'; break;
            case 'b': b[0] = '\b'; break;
            case 'f': b[0] = '\f'; break;
            case 'u': {
                uint32_t cp = i + 4 < v->len ? hex4(v->at + i + 1) : 0xfffd;
                i += 4;
                if (cp >= 0xd800 && cp < 0xdc00 && i + 6 < v->len &&
                    v->at[i + 1] == '\\' && v->at[i + 2] == 'u') {
                    uint32_t lo = hex4(v->at + i + 3);
                    if (lo >= 0xdc00 && lo < 0xe000) {
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                        i += 6;
                    }
                }
                bn = mr_utf8_encode(cp, b);
                break;
            }
            default: b[0] = c; /* \" \\ \/ */
            }
        }
        if (n + bn >= cap)
            return (size_t)-1;
        memcpy(out + n, b, bn);
        n += bn;
    }
    out[n] = 0;
    return n;
}

/* A string in f's arena, NULL for null or missing; *oom set on failure. */
static const char *str(mr_facts *f, const jobj *o, const char *key, int *oom)
{
    const jmem *v = get(o, key);
    if (!v || v->type != 's')
        return NULL;
    char *c = NULL;
    if (!memchr(v->at, '\\', v->len)) {
        c = mr_arena_strndup(&f->arena, v->at, v->len);
    } else {
        char *tmp = malloc(v->len * 2 + 8);
        size_t n = tmp ? unescape(v, tmp, v->len * 2 + 8) : (size_t)-1;
        if (n != (size_t)-1)
            c = mr_arena_strndup(&f->arena, tmp, n);
        free(tmp);
    }
    if (!c)
        *oom = 1;
    return c;
}

static int name_is(const jobj *o, const char *key, const char *name)
{
    const jmem *v = get(o, key);
    size_t n = name ? strlen(name) : 0;
    return v && name && v->type == 's' && v->len == n &&
           memcmp(v->at, name, n) == 0;
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

static marsad_status add_figure(mr_facts *f, const jobj *o)
{
    mr_figure *g;
    PUSH(f->figures, g);
    int oom = 0;
    g->start = u32(o, "start");
    g->end = u32(o, "end");
    const jmem *mn = get(o, "value.min"), *mx = get(o, "value.max");
    g->has_min = mn != NULL;
    g->has_max = mx != NULL;
    g->min = g->has_min ? num(mn) : 0;
    g->max = g->has_max ? num(mx) : 0;
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

static marsad_status add_source(mr_facts *f, const jobj *o)
{
    mr_source *s;
    PUSH(f->sources, s);
    int oom = 0;
    s->start = u32(o, "start");
    s->end = u32(o, "end");
    s->cue_start = u32(o, "cue_start");
    s->cue_end = u32(o, "cue_end");
    s->scope_start = u32(o, "scope.start");
    s->scope_end = u32(o, "scope.end");
    s->speaker = str(f, o, "speaker", &oom);
    s->cue = str(f, o, "cue", &oom);
    s->covers = name_is(o, "covers", "figure")  ? MR_COVERS_FIGURE
                : name_is(o, "covers", "quote") ? MR_COVERS_QUOTE
                                                : MR_COVERS_STATEMENT;
    s->via = -1; /* resolved by name once all sources are read */
    s->entity = idx(o, "entity");
    return oom ? MARSAD_E_NOMEM : MARSAD_OK;
}

static marsad_status add_date(mr_facts *f, const jobj *o)
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
    const jmem *v = get(o, "value");
    if (v && v->type == 's') {
        char tmp[256];
        size_t n = unescape(v, tmp, sizeof tmp);
        if (n != (size_t)-1) { /* cut to the field, as before */
            if (n >= sizeof d->value)
                n = sizeof d->value - 1;
            memcpy(d->value, tmp, n);
            d->value[n] = 0;
        }
    }
    return MARSAD_OK;
}

static marsad_status add_entity(mr_facts *f, const jobj *o)
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

static marsad_status add_quote(mr_facts *f, const jobj *o)
{
    mr_quote *q;
    PUSH(f->quotes, q);
    int oom = 0;
    q->start = u32(o, "start");
    q->end = u32(o, "end");
    q->text_start = u32(o, "inner.start");
    q->text_end = u32(o, "inner.end");
    q->speaker_name = str(f, o, "speaker", &oom);
    q->speaker = -1; /* resolved by name once all entities are read */
    return oom ? MARSAD_E_NOMEM : MARSAD_OK;
}

marsad_status mr_fact_add_json(mr_facts *f, mr_fact_kind kind,
                               const char *json, size_t len)
{
    if (!f || !json)
        return MARSAD_E_ARG;
    jobj *o = malloc(sizeof *o);
    if (!o)
        return MARSAD_E_NOMEM;
    o->n = 0;
    const char *p = json;
    if (!parse_obj(o, &p, json + len, "", 0)) {
        free(o);
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
    /* a source's relay is stored by its speaker's name, resolved once
     * all sources are read (mr_facts_read_done) */
    if (rc == MARSAD_OK && kind == MR_FACT_SOURCE) {
        int oom = 0;
        f->sources.v[f->sources.n - 1].via_name = str(f, o, "via", &oom);
        if (oom)
            rc = MARSAD_E_NOMEM;
    }
    free(o);
    return rc;
}

/*
 * Names to indexes while facts are read back: a source's relay and a
 * quote's speaker are stored by name. Open addressing over a power of two
 * at least twice the names, so resolving stays linear in the facts: one
 * large report holds tens of thousands of sources, and a scan of the
 * earlier ones per source was most of analyze's time on it (make
 * bench-hostile).
 */
typedef struct name_slot {
    const char *name;
    int index;
} name_slot;
typedef struct name_table {
    name_slot *v;
    size_t mask;
} name_table;

static bool names_init(name_table *t, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    t->v = calloc(cap, sizeof *t->v);
    t->mask = cap - 1;
    return t->v != NULL;
}

/* The slot of name: its own, or the empty one where it goes. */
static name_slot *names_slot(const name_table *t, const char *name)
{
    size_t i = (size_t)mr_mix64(mr_fnv64(MR_FNV64_INIT, name, strlen(name)));
    for (;; i++) {
        name_slot *s = &t->v[i & t->mask];
        if (!s->name || strcmp(s->name, name) == 0)
            return s;
    }
}

static int names_get(const name_table *t, const char *name)
{
    const name_slot *s = names_slot(t, name);
    return s->name ? s->index : -1;
}

/* Resolves each source's relay to the last source before it with that
 * speaker, as the objects are written (mr_fact_json names the relay). */
static bool resolve_relays(mr_facts *f)
{
    bool any = false;
    for (size_t i = 0; i < f->sources.n && !any; i++)
        any = f->sources.v[i].via_name != NULL;
    if (!any)
        return true;
    name_table t;
    if (!names_init(&t, f->sources.n))
        return false;
    for (size_t i = 0; i < f->sources.n; i++) {
        mr_source *s = &f->sources.v[i];
        if (s->via_name)
            s->via = names_get(&t, s->via_name);
        if (s->speaker) {
            name_slot *slot = names_slot(&t, s->speaker);
            slot->name = s->speaker;
            slot->index = (int)i;
        }
    }
    free(t.v);
    return true;
}

/* Resolves each quote's speaker to the first entity of that name. */
static bool resolve_quotes(mr_facts *f)
{
    if (f->quotes.n == 0)
        return true;
    name_table t;
    if (!names_init(&t, f->entities.n))
        return false;
    for (size_t k = 0; k < f->entities.n; k++) {
        const char *c = f->entities.v[k].canonical;
        name_slot *slot = c ? names_slot(&t, c) : NULL;
        if (slot && !slot->name) {
            slot->name = c;
            slot->index = (int)k;
        }
    }
    for (size_t i = 0; i < f->quotes.n; i++) {
        mr_quote *q = &f->quotes.v[i];
        if (q->speaker_name)
            q->speaker = names_get(&t, q->speaker_name);
    }
    free(t.v);
    return true;
}

marsad_status mr_facts_read_done(mr_facts *f)
{
    if (!f)
        return MARSAD_E_ARG;
    for (size_t i = 0; i < f->sources.n; i++) {
        mr_source *s = &f->sources.v[i];
        if (s->entity >= (int)f->entities.n)
            s->entity = -1;
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
    if (!resolve_relays(f) || !resolve_quotes(f))
        return MARSAD_E_NOMEM;
    return MARSAD_OK;
}
