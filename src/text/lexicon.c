/*
 * lexicon.c: look-ups in the tables tools/gen_lexicon compiles from data/.
 */
#include <string.h>

#include "text/text.h"

/* Compares key[0..len) with the NUL-terminated s, bytewise. */
static int keycmp(const char *key, size_t len, const char *s)
{
    size_t slen = strlen(s);
    size_t m = len < slen ? len : slen;
    int c = memcmp(key, s, m);
    if (c)
        return c;
    return len < slen ? -1 : len > slen;
}

long mr_lex_find(const mr_lex *lx, const char *key, size_t len)
{
    if (!lx || !key)
        return -1;
    size_t lo = 0, hi = lx->nrows;
    while (lo < hi) { /* first row whose key is >= key */
        size_t mid = lo + (hi - lo) / 2;
        if (keycmp(key, len, lx->rows[mid * lx->ncols]) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < lx->nrows && keycmp(key, len, lx->rows[lo * lx->ncols]) == 0)
        return (long)lo;
    return -1;
}
