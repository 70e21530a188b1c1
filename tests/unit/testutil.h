/*
 * testutil.h: shared helpers for the cmocka unit tests.
 */
#ifndef MARSAD_TESTUTIL_H
#define MARSAD_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Directory of ../shared (MARSAD_SHARED), or NULL after printing why. */
static inline const char *tu_shared_dir(void)
{
    const char *d = getenv("MARSAD_SHARED");
    if (!d)
        d = "../shared";
    FILE *f;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/DESIGN.md", d);
    if (!(f = fopen(probe, "rb"))) {
        fprintf(stderr,
                "MISSING: %s (the shared seeds, gold and corpus beside the "
                "checkout); tests that need it fail\n",
                d);
        return NULL;
    }
    fclose(f);
    return d;
}

/* Reads a whole file; *len receives its size. Caller frees. NULL on error. */
static inline char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        if (len)
            *len = n;
    }
    return buf;
}

/* Splits a Markdown table line into at most max trimmed cells (an escaped
 * bar \| stays inside its cell); returns how many. For the spec tables of
 * tests/spec/. */
static inline int tu_table_cells(const char *line, const char **cells,
                                 size_t *lens, int max)
{
    int k = -1;
    const char *start = NULL;
    for (const char *p = line; *p && *p != '\n'; p++) {
        if (*p == '\\' && p[1] == '|') {
            p++;
            continue;
        }
        if (*p != '|')
            continue;
        if (start && k < max) {
            const char *a = start, *b = p;
            while (a < b && *a == ' ')
                a++;
            while (b > a && b[-1] == ' ')
                b--;
            cells[k] = a;
            lens[k] = (size_t)(b - a);
        }
        k++;
        start = p + 1;
    }
    return k < 0 ? 0 : (k > max ? max : k);
}

/* Copies a cell of n bytes into out[cap] as a string (cut to fit). */
static inline void tu_cell(char *out, size_t cap, const char *c, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(out, c, n);
    out[n] = 0;
}

/* Appends a zeroed element of size bytes to the vector *v of *n (room for
 * *cap) and returns it; the vector doubles when full. */
static inline void *tu_push(void **v, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = realloc(*v, *cap * size);
        assert_non_null(*v);
    }
    void *e = (char *)*v + (*n)++ * size;
    memset(e, 0, size);
    return e;
}

/* The cells of one row of a spec table (at most TU_MAXCOLS). */
#define TU_MAXCOLS 8
typedef int (*tu_row_fn)(const char **c, const size_t *l, int k, int lineno,
                         void *ctx);

/* Walks the Markdown tables of path whose header's first cell is head and
 * calls fn for each row of at least min_cols cells (not the separator);
 * fn returns non-zero to stop. Returns the rows passed to fn, or -1 when
 * path cannot be read (said on stderr). */
static inline long tu_spec_rows(const char *path, const char *head,
                                int min_cols, tu_row_fn fn, void *ctx)
{
    size_t len, hl = strlen(head);
    char *text = tu_read_file(path, &len);
    if (!text) {
        fprintf(stderr, "cannot read %s (run from the source tree)\n", path);
        return -1;
    }
    long n = 0;
    int lineno = 0, in_table = 0;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        lineno++;
        const char *c[TU_MAXCOLS] = {0};
        size_t l[TU_MAXCOLS] = {0};
        int k = line[0] == '|' ? tu_table_cells(line, c, l, TU_MAXCOLS) : 0;
        if (line[0] != '|')
            in_table = 0;
        else if (k >= 1 && l[0] == hl && memcmp(c[0], head, hl) == 0)
            in_table = 1;
        else if (k >= 1 && l[0] >= 3 && c[0][0] == '-' && c[0][1] == '-')
            ; /* separator */
        else if (in_table && k >= min_cols) {
            n++;
            if (fn(c, l, k, lineno, ctx))
                break;
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return n;
}

#endif
