/*
 * test_spec_numbers.c: runs the spec table tests/spec/numbers.md, one
 * cmocka test per row (see the head of that file for the columns).
 */
#include "testutil.h"

#include "text/text.h"

typedef struct row {
    char name[200];
    char in[600], span[400], min[64], max[64], qual[32], flags[96];
    int line;
} row;



typedef struct found {
    marsad_number n[32];
    size_t count;
} found;

static int collect(const marsad_number *num, void *ctx)
{
    found *f = ctx;
    if (f->count < 32)
        f->n[f->count] = *num;
    f->count++;
    return 0;
}

static const char *flag_names[] = {"digits", "words", "vague", "decimal",
                                   "percent", "ordinal", "year", "fraction"};

static void run_row(void **state)
{
    const row *r = *state;
    found f;
    memset(&f, 0, sizeof f);
    size_t len = strlen(r->in);
    assert_int_equal(marsad_numbers_scan(r->in, len, collect, &f), MARSAD_OK);
    if (strcmp(r->span, "-") == 0) {
        if (f.count)
            fail_msg("line %d: '%s' has no number, but '%.*s' was read", r->line,
                     r->in, (int)(f.n[0].end - f.n[0].start), r->in + f.n[0].start);
        return;
    }
    const marsad_number *hit = NULL;
    for (size_t i = 0; i < f.count && i < 32; i++) {
        const marsad_number *n = &f.n[i];
        assert_true(n->start < n->end && n->end <= len);
        if (n->end - n->start == strlen(r->span) &&
            memcmp(r->in + n->start, r->span, n->end - n->start) == 0)
            hit = n;
    }
    if (!hit) {
        char got[1024] = "";
        for (size_t i = 0; i < f.count && i < 32; i++) {
            size_t o = strlen(got);
            snprintf(got + o, sizeof got - o, "[%.*s] ",
                     (int)(f.n[i].end - f.n[i].start), r->in + f.n[i].start);
        }
        fail_msg("line %d: '%s': no expression '%s'; read: %s", r->line, r->in,
                 r->span, got);
    }
    char gmin[64], gmax[64];
    if (hit->has_min)
        snprintf(gmin, sizeof gmin, "%.17g", hit->min);
    else
        strcpy(gmin, "-");
    if (hit->has_max)
        snprintf(gmax, sizeof gmax, "%.17g", hit->max);
    else
        strcpy(gmax, "-");
    int ok = 1;
    if (strcmp(r->min, "-") == 0 ? hit->has_min : !hit->has_min || hit->min != strtod(r->min, NULL))
        ok = 0;
    if (strcmp(r->max, "-") == 0 ? hit->has_max : !hit->has_max || hit->max != strtod(r->max, NULL))
        ok = 0;
    if (strcmp(marsad_qualifier_name(hit->qualifier), r->qual) != 0)
        ok = 0;
    for (unsigned b = 0; b < 8; b++)
        if (strstr(r->flags, flag_names[b]) && !(hit->flags & (1u << b)))
            ok = 0;
    if (!ok)
        fail_msg("line %d: '%s': got %s..%s %s flags %#x, expected %s..%s %s %s",
                 r->line, r->span, gmin, gmax,
                 marsad_qualifier_name(hit->qualifier), hit->flags, r->min,
                 r->max, r->qual, r->flags);
}

typedef struct row_vec {
    row *v;
    size_t n, cap;
} row_vec;

static int take_row(const char **c, const size_t *l, int k, int lineno,
                    void *ctx)
{
    row_vec *rs = ctx;
    row *r = tu_push((void **)&rs->v, &rs->n, &rs->cap, sizeof *rs->v);
    r->line = lineno;
    tu_cell(r->in, sizeof r->in, c[0], l[0]);
    tu_cell(r->span, sizeof r->span, c[1], l[1]);
    tu_cell(r->min, sizeof r->min, c[2], l[2]);
    tu_cell(r->max, sizeof r->max, c[3], l[3]);
    tu_cell(r->qual, sizeof r->qual, c[4], l[4]);
    if (k >= 6)
        tu_cell(r->flags, sizeof r->flags, c[5], l[5]);
    snprintf(r->name, sizeof r->name, "numbers:%d %.*s", lineno, (int)l[0],
             c[0]);
    return 0;
}

int main(void)
{
    row_vec rs = {0};
    if (tu_spec_rows("tests/spec/numbers.md", "input", 5, take_row, &rs) < 0)
        return 1;
    row *rows = rs.v;
    size_t n = rs.n;
    fprintf(stderr, "spec: %zu number rows\n", n);
    if (n < 150) {
        fprintf(stderr, "tests/spec/numbers.md is too short (%zu rows < 150)\n", n);
        free(rows);
        return 1;
    }
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    assert_non_null(tests);
    for (size_t i = 0; i < n; i++) {
        tests[i].name = rows[i].name;
        tests[i].test_func = run_row;
        tests[i].initial_state = &rows[i];
    }
    int rc = _cmocka_run_group_tests("spec_numbers", tests, n, NULL, NULL);
    free(tests);
    free(rows);
    return rc;
}
