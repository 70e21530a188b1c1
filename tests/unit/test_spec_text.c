/*
 * test_spec_text.c: runs the spec tables tests/spec/normalize.md and
 * tests/spec/stem.md, one cmocka test per table row.
 *
 * A table is recognised by its header: "| input | flags | expected |" for
 * normalisation, "| word | stem |" for stemming. Cells may write a code
 * point as \u{XXXX}, a raw byte as \x{HH}, and a bar as \|.
 */
#include "testutil.h"

#include "text/text.h"

enum kind { K_NORM, K_STEM };

typedef struct row {
    enum kind kind;
    char name[160];
    char in[512], expected[512], flags[64];
    size_t in_len, expected_len;
    int line;
    const char *file;
} row;

/* Decodes the escapes of cell c[0..n) into out; returns the length. */
static size_t unescape(const char *c, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 4 < cap;) {
        if (c[i] == '\\' && i + 1 < n && c[i + 1] == '|') {
            out[o++] = '|';
            i += 2;
        } else if (c[i] == '\\' && i + 2 < n && (c[i + 1] == 'u' || c[i + 1] == 'x') &&
                   c[i + 2] == '{') {
            char *end;
            unsigned long v = strtoul(c + i + 3, &end, 16);
            if (c[i + 1] == 'u')
                o += mr_utf8_encode((uint32_t)v, out + o);
            else
                out[o++] = (char)(unsigned char)v;
            i = (size_t)(end - c) + 1; /* past the } */
        } else {
            out[o++] = c[i++];
        }
    }
    out[o] = 0;
    return o;
}


static unsigned parse_flags(const char *f)
{
    unsigned v = 0;
    if (strstr(f, "keep_taa"))
        v |= MARSAD_NORM_KEEP_TAA_MARBUTA;
    if (strstr(f, "keep_hamza"))
        v |= MARSAD_NORM_KEEP_HAMZA;
    if (strstr(f, "keep_diacritics"))
        v |= MARSAD_NORM_KEEP_DIACRITICS;
    if (strstr(f, "keep_case"))
        v |= MARSAD_NORM_KEEP_CASE;
    return v;
}

static void run_row(void **state)
{
    const row *r = *state;
    char got[4096];
    if (r->kind == K_NORM) {
        unsigned flags = parse_flags(r->flags);
        size_t need = marsad_normalize(r->in, r->in_len, got, sizeof got, flags);
        assert_true(need < sizeof got);
        /* measuring alone gives the same size */
        assert_int_equal(marsad_normalize(r->in, r->in_len, NULL, 0, flags), need);
        if (need != r->expected_len || memcmp(got, r->expected, need) != 0)
            fail_msg("%s:%d: normalize(%s) = '%.*s', expected '%s'", r->file,
                     r->line, r->in, (int)need, got, r->expected);
    } else {
        char want[1024];
        size_t n = marsad_normalize(r->in, r->in_len, got, sizeof got, 0);
        size_t wn = marsad_normalize(r->expected, r->expected_len, want,
                                     sizeof want, 0);
        size_t off = 99, len = 99;
        marsad_stem(got, n, &off, &len);
        assert_true(off + len <= n);
        if (len != wn || memcmp(got + off, want, wn) != 0)
            fail_msg("%s:%d: stem(%s) = '%.*s', expected '%.*s'", r->file,
                     r->line, r->in, (int)len, got + off, (int)wn, want);
    }
}

static row *rows;
static size_t nrows, caprows;

static void load(const char *path)
{
    size_t len;
    char *text = tu_read_file(path, &len);
    if (!text) {
        fprintf(stderr, "cannot read %s (run from the source tree)\n", path);
        exit(1);
    }
    int lineno = 0;
    int table = -1; /* -1 none, else enum kind */
    for (char *line = text; line && *line; ) {
        char *nl = strchr(line, '\n');
        lineno++;
        if (line[0] != '|') {
            table = -1;
        } else {
            const char *cells[4] = {0};
            size_t lens[4] = {0};
            int k = tu_table_cells(line, cells, lens, 4);
            if (k >= 1 && lens[0] == 5 && memcmp(cells[0], "input", 5) == 0)
                table = K_NORM;
            else if (k >= 1 && lens[0] == 4 && memcmp(cells[0], "word", 4) == 0)
                table = K_STEM;
            else if (k >= 1 && lens[0] >= 3 && cells[0][0] == '-')
                ; /* separator row */
            else if (table >= 0 && k >= (table == K_NORM ? 3 : 2)) {
                if (nrows == caprows) {
                    caprows = caprows ? caprows * 2 : 256;
                    rows = realloc(rows, caprows * sizeof *rows);
                    assert_non_null(rows);
                }
                row *r = &rows[nrows++];
                memset(r, 0, sizeof *r);
                r->kind = (enum kind)table;
                r->file = path;
                r->line = lineno;
                r->in_len = unescape(cells[0], lens[0], r->in, sizeof r->in);
                if (table == K_NORM) {
                    unescape(cells[1], lens[1], r->flags, sizeof r->flags);
                    r->expected_len = unescape(cells[2], lens[2], r->expected,
                                               sizeof r->expected);
                } else {
                    r->expected_len = unescape(cells[1], lens[1], r->expected,
                                               sizeof r->expected);
                }
                snprintf(r->name, sizeof r->name, "%s:%d %.*s",
                         table == K_NORM ? "normalize" : "stem", lineno,
                         (int)lens[0], cells[0]);
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
}

int main(void)
{
    load("tests/spec/normalize.md");
    size_t nnorm = nrows;
    load("tests/spec/stem.md");
    size_t nstem = nrows - nnorm;
    fprintf(stderr, "spec: %zu normalisation rows, %zu stemming rows\n", nnorm,
            nstem);
    if (nnorm < 50 || nstem < 150) {
        fprintf(stderr, "spec tables are too short\n");
        return 1;
    }
    struct CMUnitTest *tests = calloc(nrows, sizeof *tests);
    assert_non_null(tests);
    for (size_t i = 0; i < nrows; i++) {
        tests[i].name = rows[i].name;
        tests[i].test_func = run_row;
        tests[i].initial_state = &rows[i];
    }
    int rc = _cmocka_run_group_tests("spec", tests, nrows, NULL, NULL);
    free(tests);
    free(rows);
    return rc;
}
