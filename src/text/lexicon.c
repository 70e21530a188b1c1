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
    if (!key)
        return -1;
    return mr_lex_find_hashed(lx, key, len, mr_lex_hash(key, len));
}

long mr_lex_find_hashed(const mr_lex *lx, const char *key, size_t len,
                        uint32_t h)
{
    if (!lx || !key || !lx->nslots)
        return -1;
    size_t mask = lx->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t v = lx->slots[i];
        if (v == 0)
            return -1;
        if (keycmp(key, len, lx->rows[(size_t)(v - 1) * lx->ncols]) == 0)
            return (long)(v - 1);
    }
}
