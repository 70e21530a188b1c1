/*
 * test_spec_dates.c: runs the spec table tests/spec/dates.md, one cmocka
 * test per row (see the head of that file for the columns).
 */
#include "testutil.h"

#include "extract/extract.h"

typedef struct row {
    char name[200];
    char pub[32], in[600], span[400], value[64], kind[32];
    int line;
} row;



static const char *kind_name(mr_date_kind k)
{
    switch (k) {
    case MR_DATE_ABSOLUTE: return "absolute";
    case MR_DATE_MONTH: return "month";
    case MR_DATE_YEAR: return "year";
    case MR_DATE_WEEKDAY: return "weekday";
    case MR_DATE_RELATIVE: return "relative";
    case MR_DATE_DURATION: return "duration";
    }
    return "?";
}

static void run_row(void **state)
{
    const row *r = *state;
    mr_facts f;
    memset(&f, 0, sizeof f);
    mr_extract_opts o;
    memset(&o, 0, sizeof o);
    o.published = strcmp(r->pub, "-") ? r->pub : NULL;
    size_t len = strlen(r->in);
    assert_int_equal(mr_extract(r->in, len, &o, &f), MARSAD_OK);
    const mr_date *hit = NULL;
    char got[1024] = "";
    for (size_t i = 0; i < f.dates.n; i++) {
        const mr_date *d = &f.dates.v[i];
        assert_true(d->start < d->end && d->end <= len);
        size_t at = strlen(got);
        snprintf(got + at, sizeof got - at, "[%.*s=%s] ",
                 (int)(d->end - d->start), r->in + d->start, d->value);
        if (d->end - d->start == strlen(r->span) &&
            memcmp(r->in + d->start, r->span, d->end - d->start) == 0)
            hit = d;
    }
    if (strcmp(r->value, "-") == 0) { /* the span must not be read */
        if (hit)
            fail_msg("line %d: '%s' is no date, read %s", r->line, r->span,
                     got);
        mr_facts_free(&f);
        return;
    }
    if (!hit) {
        mr_facts_free(&f);
        fail_msg("line %d: '%s': no date '%s'; read: %s", r->line, r->in,
                 r->span, got);
        return;
    }
    int ok = strcmp(hit->value, r->value) == 0 &&
             (!r->kind[0] || strcmp(kind_name(hit->kind), r->kind) == 0);
    char gv[64], gk[32];
    snprintf(gv, sizeof gv, "%s", hit->value);
    snprintf(gk, sizeof gk, "%s", kind_name(hit->kind));
    mr_facts_free(&f);
    if (!ok)
        fail_msg("line %d: '%s': got %s (%s), expected %s (%s)", r->line,
                 r->span, gv, gk, r->value, r->kind);
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
    tu_cell(r->pub, sizeof r->pub, c[0], l[0]);
    tu_cell(r->in, sizeof r->in, c[1], l[1]);
    tu_cell(r->span, sizeof r->span, c[2], l[2]);
    tu_cell(r->value, sizeof r->value, c[3], l[3]);
    if (k >= 5)
        tu_cell(r->kind, sizeof r->kind, c[4], l[4]);
    snprintf(r->name, sizeof r->name, "dates:%d %.*s", lineno, (int)l[1],
             c[1]);
    return 0;
}

int main(void)
{
    row_vec rs = {0};
    if (tu_spec_rows("tests/spec/dates.md", "published", 4, take_row, &rs) < 0)
        return 1;
    row *rows = rs.v;
    size_t n = rs.n;
    fprintf(stderr, "spec: %zu date rows\n", n);
    if (n < 20) {
        fprintf(stderr, "tests/spec/dates.md is too short (%zu rows < 20)\n",
                n);
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
    int rc = _cmocka_run_group_tests("spec_dates", tests, n, NULL, NULL);
    free(tests);
    free(rows);
    return rc;
}
