/*
 * read_jsonl.c: one JSON object per line becomes one report; a .json file
 * holding one object or an array of objects is read whole.
 *
 * json-c's tokener is reused across lines, with a depth limit; a line that
 * ends inside a value is "truncated", anything after the object is
 * "trailing data". Field names come from comma-separated lists tried in
 * order (ingest.h gives the defaults).
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "ingest/internal.h"

/* The first field of the list `names` that holds a usable value: a
 * non-empty string, a number, or an object with a string "name". */
static const char *field(json_object *obj, const char *names, size_t *len,
                         int want_date, char iso[32])
{
    const char *p = names;
    while (*p) {
        size_t n = strcspn(p, ",");
        char key[64];
        if (n > 0 && n < sizeof key) {
            memcpy(key, p, n);
            key[n] = 0;
            json_object *v = NULL;
            if (json_object_object_get_ex(obj, key, &v) && v) {
                if (json_object_is_type(v, json_type_object)) {
                    json_object *nm = NULL;
                    if (json_object_object_get_ex(v, "name", &nm))
                        v = nm;
                }
                json_type t = json_object_get_type(v);
                if (v && (t == json_type_string || t == json_type_int ||
                          t == json_type_double)) {
                    const char *s = json_object_get_string(v);
                    size_t sl = t == json_type_string
                                    ? (size_t)json_object_get_string_len(v)
                                    : strlen(s);
                    size_t j = 0;
                    while (j < sl && isspace((unsigned char)s[j]))
                        j++;
                    if (j < sl) {
                        if (!want_date) {
                            *len = sl;
                            return s;
                        }
                        if (mr_date_to_iso(s, sl, iso, 32)) {
                            *len = strlen(iso);
                            return iso;
                        }
                    }
                }
            }
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return NULL;
}

static void from_object(mr_rctx *c, json_object *obj, unsigned long line);

/* The first field of `names` whose value is a date with a time on `day`
 * (ANT gives "date": "2018-04-07" and "time": "Sat, 07 Apr 2018 03:39:53
 * +0400"): the time orders a day's reports (story/claims.c). In iso. */
static const char *with_time(json_object *obj, const char *names,
                             const char *day, char iso[32], size_t *len)
{
    const char *p = names;
    while (*p) {
        size_t k = strcspn(p, ",");
        char one[64];
        if (k > 0 && k < sizeof one) {
            memcpy(one, p, k);
            one[k] = 0;
            size_t n = 0;
            const char *v = field(obj, one, &n, 1, iso);
            if (v && n > 10 && memcmp(v, day, 10) == 0) {
                *len = n;
                return v;
            }
        }
        p += k;
        if (*p == ',')
            p++;
    }
    return NULL;
}

void mr_read_jsonl_line(mr_rctx *c, const char *s, size_t len,
                        unsigned long line)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)s[i]))
        i++;
    if (i == len)
        return; /* blank lines are allowed */
    if (len > (size_t)INT_MAX) {
        mr_push_error(c, MARSAD_E_LIMIT, line, "JSON line too long");
        return;
    }
    if (!c->tok) {
        c->tok = json_tokener_new_ex(c->o.max_depth);
        if (!c->tok) {
            c->fatal = MARSAD_E_NOMEM;
            return;
        }
    }
    json_tokener_reset(c->tok);
    json_object *obj = json_tokener_parse_ex(c->tok, s, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(c->tok);
    if (!obj) {
        if (jerr == json_tokener_continue)
            mr_push_error(c, MARSAD_E_INPUT, line,
                          "truncated JSON: the line ends inside a value");
        else if (jerr == json_tokener_error_depth)
            mr_push_error(c, MARSAD_E_LIMIT, line,
                          "JSON nested deeper than %d levels",
                          c->o.max_depth);
        else
            mr_push_error(c, MARSAD_E_INPUT, line,
                          "invalid JSON at byte %zu: %s",
                          json_tokener_get_parse_end(c->tok),
                          json_tokener_error_desc(jerr));
        return;
    }
    size_t end = json_tokener_get_parse_end(c->tok);
    while (end < len && isspace((unsigned char)s[end]))
        end++;
    if (end < len) {
        mr_push_error(c, MARSAD_E_INPUT, line,
                      "trailing data after the JSON value at byte %zu", end);
        json_object_put(obj);
        return;
    }
    if (!json_object_is_type(obj, json_type_object)) {
        mr_push_error(c, MARSAD_E_INPUT, line, "not a JSON object (a %s)",
                      json_type_to_name(json_object_get_type(obj)));
        json_object_put(obj);
        return;
    }
    from_object(c, obj, line);
    json_object_put(obj);
}

/* One report from a JSON object (borrowed). */
static void from_object(mr_rctx *c, json_object *obj, unsigned long line)
{
    mr_report r;
    memset(&r, 0, sizeof r);
    char iso[32];
    size_t n = 0;
    const char *v;
    if ((v = field(obj, c->o.f_id, &n, 0, iso)))
        r.source_id = mr_dup(c, v, n);
    if ((v = field(obj, c->o.f_outlet, &n, 0, iso)))
        r.outlet = mr_dup(c, v, n);
    if ((v = field(obj, c->o.f_url, &n, 0, iso)))
        r.url = mr_dup(c, v, n);
    if ((v = field(obj, c->o.f_published, &n, 1, iso))) {
        if (n == 10) { /* a day: a later field may give its time */
            char day[11];
            memcpy(day, v, 10);
            day[10] = 0;
            const char *t = with_time(obj, c->o.f_published, day, iso, &n);
            v = t ? t : v;
            if (!t)
                memcpy(iso, day, 11), v = iso, n = 10;
        }
        r.published = mr_dup(c, v, n);
        r.published_origin = MR_PUB_METADATA;
    }
    if ((v = field(obj, c->o.f_title, &n, 0, iso)))
        r.title = mr_dup(c, v, n);
    if ((v = field(obj, c->o.f_lang, &n, 0, iso)))
        r.lang = mr_dup(c, v, n);
    if ((v = field(obj, c->o.f_text, &n, 0, iso))) {
        r.text = mr_dup(c, v, n);
        r.text_len = n;
    }
    if (c->fatal) {
        mr_report_clear(&r);
        return;
    }
    mr_push_report(c, &r, line);
}

void mr_read_json(mr_rctx *c, const char *s, size_t len)
{
    if (len > (size_t)INT_MAX) {
        mr_push_error(c, MARSAD_E_LIMIT, 0, "JSON document too long");
        return;
    }
    json_tokener *tok = json_tokener_new_ex(c->o.max_depth);
    if (!tok) {
        c->fatal = MARSAD_E_NOMEM;
        return;
    }
    json_object *doc = json_tokener_parse_ex(tok, s, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!doc) {
        if (jerr == json_tokener_continue)
            mr_push_error(c, MARSAD_E_INPUT, 0,
                          "truncated JSON: the input ends inside a value");
        else
            mr_push_error(c, jerr == json_tokener_error_depth
                                 ? MARSAD_E_LIMIT
                                 : MARSAD_E_INPUT,
                          0, "invalid JSON at byte %zu: %s", end,
                          json_tokener_error_desc(jerr));
        return;
    }
    while (end < len && isspace((unsigned char)s[end]))
        end++;
    if (end < len) {
        /* several objects one after another: JSON Lines after all */
        json_object_put(doc);
        size_t i = 0;
        unsigned long line = 0;
        while (i < len && !c->fatal) {
            const char *nl = memchr(s + i, '\n', len - i);
            size_t n = nl ? (size_t)(nl - (s + i)) : len - i;
            mr_read_jsonl_line(c, s + i, n, ++line);
            i += n + 1;
        }
        return;
    }
    if (json_object_is_type(doc, json_type_object)) {
        from_object(c, doc, 0);
    } else if (json_object_is_type(doc, json_type_array)) {
        size_t n = json_object_array_length(doc);
        for (size_t i = 0; i < n && !c->fatal; i++) {
            json_object *e = json_object_array_get_idx(doc, i);
            if (json_object_is_type(e, json_type_object)) {
                size_t before = c->st.rejected;
                from_object(c, e, 0);
                if (c->st.rejected > before && c->qlen > 0) {
                    /* say which element */
                    marsad_error *err = &c->q[c->qlen - 1].e;
                    char tmp[sizeof err->message];
                    snprintf(tmp, sizeof tmp, "element %zu: %.400s", i + 1,
                             err->message);
                    memcpy(err->message, tmp, sizeof tmp);
                }
            } else {
                mr_push_error(c, MARSAD_E_INPUT, 0,
                              "element %zu is not a JSON object (a %s)",
                              i + 1,
                              json_type_to_name(json_object_get_type(e)));
            }
        }
        if (n == 0)
            mr_push_error(c, MARSAD_E_INPUT, 0, "empty JSON array");
    } else {
        mr_push_error(c, MARSAD_E_INPUT, 0,
                      "JSON document is neither an object nor an array");
    }
    json_object_put(doc);
}
