/*
 * buf.c: growable byte buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/buf.h"

/* rc, remembered in b->err when it is the first failure. */
static marsad_status failed(mr_buf *b, marsad_status rc)
{
    if (b->err == MARSAD_OK)
        b->err = rc;
    return rc;
}

static _Thread_local unsigned fail_in;

void mr_buf_fail_in(unsigned n)
{
    fail_in = n;
}

marsad_status mr_buf_reserve(mr_buf *b, size_t more)
{
    if (!b)
        return MARSAD_E_ARG;
    if (more > SIZE_MAX / 2 - b->len - 1)
        return failed(b, MARSAD_E_LIMIT);
    size_t need = b->len + more + 1;
    if (need <= b->cap)
        return MARSAD_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    if (fail_in && --fail_in == 0)
        return failed(b, MARSAD_E_NOMEM);
    char *p = realloc(b->p, cap);
    if (!p)
        return failed(b, MARSAD_E_NOMEM);
    b->p = p;
    b->cap = cap;
    return MARSAD_OK;
}

marsad_status mr_buf_add(mr_buf *b, const char *s, size_t n)
{
    marsad_status rc = mr_buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
    return MARSAD_OK;
}

marsad_status mr_buf_addc(mr_buf *b, char c)
{
    return mr_buf_add(b, &c, 1);
}

marsad_status mr_buf_adds(mr_buf *b, const char *s)
{
    return mr_buf_add(b, s, s ? strlen(s) : 0);
}

marsad_status mr_buf_printf(mr_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return failed(b, MARSAD_E_ARG);
    marsad_status rc = mr_buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return MARSAD_OK;
}

void mr_buf_free(mr_buf *b)
{
    if (!b)
        return;
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->err = MARSAD_OK;
}
