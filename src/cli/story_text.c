/*
 * story_text.c: a stored story's JSON line shown as text in a terminal
 * (`marsad stories`, `marsad story`, the overview of `marsad analyze`).
 */
#include <string.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "out/story_out.h"

/* --------------------------------------------------- text from JSON */

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !v)
        return NULL;
    return json_object_get_string(v);
}

static size_t jlen(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) ||
        !json_object_is_type(v, json_type_array))
        return 0;
    return json_object_array_length(v);
}

static json_object *jat(json_object *o, const char *key, size_t i)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v))
        return NULL;
    return json_object_array_get_idx(v, i);
}

static const char *dflt(const char *s, const char *d)
{
    return s ? s : d;
}

static const char *scope_ar(const char *scope)
{
    static const char *const tab[][2] = {
        {"day", "حصيلة يوم"},
        {"incident", "حادثة"},
        {"cumulative", "حصيلة تراكمية"},
        {"background", "حصيلة سابقة"}};
    for (size_t i = 0; scope && i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(scope, tab[i][0]) == 0)
            return tab[i][1];
    return scope;
}

/* One value of a claim as "2025-09-09 21 قتيلا (سوس بريس 24)". */
static void course_value(FILE *out, json_object *c, json_object *idx)
{
    json_object *vals;
    if (!json_object_object_get_ex(c, "values", &vals) || !idx)
        return;
    json_object *v =
        json_object_array_get_idx(vals, (size_t)json_object_get_int(idx));
    if (!v)
        return;
    const char *pub = jstr(v, "published");
    fprintf(out, "%.10s %s (%s)", pub ? pub : "?", dflt(jstr(v, "text"), ""),
            dflt(jstr(v, "source"), ""));
}

/* The claim's quantity, the toll's course and each source's latest value
 * (schema marsad/2; older rows have none of these and print nothing). */
static void claim_course(FILE *out, json_object *c)
{
    const char *scope = jstr(c, "scope");
    if (!scope)
        return;
    const char *period = jstr(c, "period"), *place = jstr(c, "place");
    json_object *part, *att;
    fprintf(out, "           %s%s%s%s%s%s%s\n", scope_ar(scope),
            json_object_object_get_ex(c, "part", &part) &&
                    json_object_get_boolean(part)
                ? " (جزء من حصيلة)"
                : "",
            json_object_object_get_ex(c, "attacker", &att) &&
                    json_object_get_boolean(att)
                ? " (بمن فيهم المهاجم)"
                : "",
            period ? " " : "", period ? period : "", place ? " · " : "",
            place ? place : "");
    size_t nc = jlen(c, "course");
    if (nc > 1) {
        fputs("           المسار: ", out);
        /* a long course: its first and last values */
        for (size_t k = 0; k < nc; k++) {
            if (nc > 12 && k == 6) {
                fprintf(out, " ← (%zu)", nc - 12);
                k = nc - 6;
            }
            if (k)
                fputs(" ← ", out);
            course_value(out, c, jat(c, "course", k));
        }
        fputc('\n', out);
    }
    size_t nl = jlen(c, "latest");
    if (nl > 1) {
        fputs("           آخر قيمة لكل مصدر: ", out);
        for (size_t k = 0; k < nl; k++) {
            if (k)
                fputs("؛ ", out);
            course_value(out, c, jat(c, "latest", k));
        }
        fputc('\n', out);
    }
}

void cli_story_text(FILE *out, const char *line, int full)
{
    json_object *o = json_tokener_parse(line);
    if (!o) {
        fprintf(out, "(unreadable story row)\n");
        return;
    }
    const char *t;
    fprintf(out, "■ %s\n  %s · ", dflt(jstr(o, "title"), ""),
            dflt(jstr(o, "id"), ""));
    mr_label_reports(out, jlen(o, "reports"));
    fprintf(out, " · %s → %s\n", dflt(jstr(o, "first_seen"), "?"),
            dflt(jstr(o, "last_seen"), "?"));
    size_t nc = jlen(o, "claims");
    for (size_t i = 0; i < nc; i++) {
        json_object *c = jat(o, "claims", i);
        const char *verdict = jstr(c, "verdict");
        if (!full && verdict && strcmp(verdict, "single") == 0)
            continue;
        const char *side = jstr(c, "side");
        fprintf(out, "  %s · %s، %s%s%s: ", mr_label_verdict(verdict),
                mr_label_event(jstr(c, "event")),
                mr_label_category(jstr(c, "category")), side ? " / " : "",
                side ? side : "");
        /* a report's copies repeat its values (copy_of): shown once */
        size_t nv = 0;
        while (nv < jlen(c, "values") && !jstr(jat(c, "values", nv), "copy_of"))
            nv++;
        size_t shown = full ? nv : 8;
        for (size_t k = 0; k < nv && k < shown; k++) {
            json_object *v = jat(c, "values", k);
            fprintf(out, "%s%s (%s)", k ? " | " : "",
                    dflt(jstr(v, "text"), ""),
                    dflt(jstr(v, "source"), ""));
        }
        if (nv > shown)
            fprintf(out, " (+%zu)", nv - shown);
        fputc('\n', out);
        if (full)
            claim_course(out, c);
        if (full && (t = jstr(c, "reason")))
            fprintf(out, "           %s\n", t);
    }
    if (full) {
        size_t ns = jlen(o, "summary");
        if (ns)
            fprintf(out, "  الملخص:\n");
        for (size_t i = 0; i < ns; i++) {
            json_object *s = jat(o, "summary", i);
            fprintf(out, "   - %s (%s)\n", dflt(jstr(s, "text"), ""),
                    dflt(jstr(s, "outlet"), "?"));
        }
        size_t nt = jlen(o, "timeline");
        if (nt)
            fprintf(out, "  التسلسل الزمني:\n");
        for (size_t i = 0; i < nt; i++) {
            json_object *s = jat(o, "timeline", i);
            fprintf(out, "   %s  %s\n", dflt(jstr(s, "date"), ""),
                    dflt(jstr(s, "text"), ""));
        }
    }
    json_object_put(o);
}


typedef struct print_ctx {
    FILE *out;
    int json;
    size_t n; /* stories printed */
} print_ctx;

static int print_story(const marsad_story *st, void *ctx)
{
    print_ctx *p = ctx;
    if (p->json)
        fwrite(st->json, 1, st->json_len, p->out);
    else
        cli_story_text(p->out, st->json, 0);
    fputc('\n', p->out);
    p->n++;
    return 0;
}

marsad_status cli_print_stories(marsad_store *st, const char *id, int json,
                                size_t limit, FILE *out, size_t *count,
                                marsad_error *err)
{
    *count = 0;
    if (id) {
        char *js = NULL;
        marsad_status rc = marsad_story_json(st, id, &js, err);
        if (rc != MARSAD_OK)
            return rc;
        if (json)
            fprintf(out, "%s\n", js);
        else {
            cli_story_text(out, js, 1);
            fputc('\n', out);
        }
        marsad_free(js);
        *count = 1;
        return MARSAD_OK;
    }
    print_ctx p = {out, json, 0};
    marsad_status rc = marsad_stories(st, limit, print_story, &p, err);
    *count = p.n;
    return rc;
}
