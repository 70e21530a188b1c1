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

#endif
