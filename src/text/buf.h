/*
 * buf.h: a growable byte buffer (doubling growth), used across layers.
 */
#ifndef MR_BUF_H
#define MR_BUF_H

#include <stddef.h>

#include "marsad.h"

typedef struct mr_buf {
    char *p;    /* owned; always NUL-terminated when len > 0 or cap > 0 */
    size_t len; /* bytes in use, not counting the NUL */
    size_t cap; /* bytes allocated */
    /* the first write that failed since the buffer was made or last
     * cleared (MARSAD_OK: none). A failed write adds nothing, but a
     * later one may succeed: a writer that checks only its last write
     * tests err once, at the end, to know the content is whole. */
    marsad_status err;
} mr_buf;

#define MR_BUF_INIT {NULL, 0, 0, MARSAD_OK}

/* Makes room for `more` bytes past len (plus the NUL). Doubling growth. */
marsad_status mr_buf_reserve(mr_buf *b, size_t more);
/* Appends s[0..n); keeps the buffer NUL-terminated. */
marsad_status mr_buf_add(mr_buf *b, const char *s, size_t n);
marsad_status mr_buf_addc(mr_buf *b, char c);
marsad_status mr_buf_adds(mr_buf *b, const char *s); /* NUL-terminated */
/* printf-style append. */
marsad_status mr_buf_printf(mr_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Empties the buffer, keeping its memory, and forgets a failed write. */
static inline void mr_buf_clear(mr_buf *b)
{
    b->len = 0;
    b->err = MARSAD_OK;
    if (b->p)
        b->p[0] = 0;
}
void mr_buf_free(mr_buf *b);
/* For tests of out of memory: the n-th growth of any buffer from now on,
 * on this thread, fails with MARSAD_E_NOMEM (n = 0: none fails). */
void mr_buf_fail_in(unsigned n);

#endif
