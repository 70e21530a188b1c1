/*
 * test_numbers_gold.c: every figure of ../shared/gold/seeds-figures.jsonl
 * whose value is written in digits or words (all but `multiple`, which the
 * facts layer resolves) must be found by marsad_numbers_scan over its seed
 * file: an expression whose span overlaps the gold span, with the gold's
 * min and max (null = open end). Prints "found N/M".
 */
#include <json-c/json.h>

#include "testutil.h"

#include "text/text.h"

/* The count this reader reaches on the seeds; a regression below it fails. */
#define GOLD_FOUND_AT_LEAST 32

typedef struct want {
    size_t start, end;
    int has_min, has_max;
    double min, max;
    int found;
} want;

static int check(const marsad_number *n, void *ctx)
{
    want *w = ctx;
    if (n->end <= w->start || n->start >= w->end)
        return 0;
    if (n->has_min != w->has_min || n->has_max != w->has_max)
        return 0;
    if ((w->has_min && n->min != w->min) || (w->has_max && n->max != w->max))
        return 0;
    w->found = 1;
    return 1;
}

static int get_bound(json_object *value, const char *key, double *v)
{
    json_object *b;
    if (!json_object_object_get_ex(value, key, &b) || !b ||
        json_object_get_type(b) == json_type_null)
        return 0;
    *v = json_object_get_double(b);
    return 1;
}

static void gold_figures_are_found(void **state)
{
    (void)state;
    const char *shared = tu_shared_dir();
    assert_non_null(shared);
    char path[4096];
    snprintf(path, sizeof path, "%s/gold/seeds-figures.jsonl", shared);
    size_t glen;
    char *gold = tu_read_file(path, &glen);
    if (!gold)
        fail_msg("cannot read %s", path);
    size_t total = 0, found = 0, skipped = 0;
    for (char *line = gold; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        json_object *o = json_tokener_parse(line);
        if (o) {
            json_object *doc, *st, *en, *val, *q, *txt;
            assert_true(json_object_object_get_ex(o, "doc", &doc));
            assert_true(json_object_object_get_ex(o, "start", &st));
            assert_true(json_object_object_get_ex(o, "end", &en));
            assert_true(json_object_object_get_ex(o, "value", &val));
            assert_true(json_object_object_get_ex(o, "qualifier", &q));
            assert_true(json_object_object_get_ex(o, "text", &txt));
            if (strcmp(json_object_get_string(q), "multiple") == 0) {
                skipped++;
            } else {
                total++;
                char sp[4096];
                snprintf(sp, sizeof sp, "%s/seeds/%s", shared,
                         json_object_get_string(doc));
                size_t len = 0;
                char *text = tu_read_file(sp, &len);
                if (!text)
                    fail_msg("cannot read %s", sp);
                want w = {(size_t)json_object_get_int64(st),
                          (size_t)json_object_get_int64(en), 0, 0, 0, 0, 0};
                w.has_min = get_bound(val, "min", &w.min);
                w.has_max = get_bound(val, "max", &w.max);
                assert_true(w.end <= len);
                assert_int_equal(marsad_numbers_scan(text, len, check, &w), MARSAD_OK);
                if (w.found)
                    found++;
                else
                    fprintf(stderr, "not found: %s %zu-%zu %s\n",
                            json_object_get_string(doc), w.start, w.end,
                            json_object_get_string(txt));
                free(text);
            }
            json_object_put(o);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(gold);
    printf("gold figures: found %zu/%zu (%zu multiple left to the facts layer)\n",
           found, total, skipped);
    assert_true(total >= GOLD_FOUND_AT_LEAST);
    assert_true(found >= GOLD_FOUND_AT_LEAST);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gold_figures_are_found),
    };
    return cmocka_run_group_tests_name("numbers_gold", tests, NULL, NULL);
}
