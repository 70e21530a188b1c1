/*
 * lexicon.c: look-ups in the tables tools/gen_lexicon compiles from data/.
 */
#include <string.h>

#include "text/text.h"

/* Compares key[0..len) with the NUL-terminated s, bytewise. One pass, no
 * strlen: look-ups run for every word the stemmer sees (make bench). */
static int keycmp(const char *key, size_t len, const char *s)
{
    size_t i = 0;
    for (; i < len; i++) {
        unsigned char a = (unsigned char)key[i], b = (unsigned char)s[i];
        if (b == 0)
            return 1; /* s is a proper prefix of key */
        if (a != b)
            return a < b ? -1 : 1;
    }
    return s[i] ? -1 : 0;
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
