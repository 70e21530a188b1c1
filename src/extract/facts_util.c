/*
 * facts_util.c: vector growth for the mr_facts vectors (see facts_util.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract/facts_util.h"

void *mr_vec_push_(void *vp, size_t *n, size_t *cap, size_t elem)
{
    char *v;
    memcpy(&v, vp, sizeof v); /* vp points at a T *; read it as bytes */
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        if (nc > SIZE_MAX / elem)
            return NULL;
        char *nv = realloc(v, nc * elem);
        if (!nv)
            return NULL;
        v = nv;
        memcpy(vp, &v, sizeof v);
        *cap = nc;
    }
    char *slot = v + *n * elem;
    memset(slot, 0, elem);
    (*n)++;
    return slot;
}
