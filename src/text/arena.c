/*
 * arena.c: bump allocator; chunks of 2 KiB, doubling up to 1 MiB. A report's
 * facts need a few hundred bytes of strings, and `marsad analyze` keeps the
 * facts of every report at once: a 64 KiB first chunk cost it 8 KiB of
 * resident memory per report (about 370 MB over the bench corpus).
 */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "text/arena.h"

struct mr_arena_chunk {
    mr_arena_chunk *next;
    size_t size;
    alignas(max_align_t) unsigned char data[];
};

void *mr_arena_alloc(mr_arena *a, size_t n)
{
    const size_t al = alignof(max_align_t);
    n = (n + al - 1) & ~(al - 1);
    if (!a->head || a->size - a->used < n) {
        size_t size = a->head ? a->head->size * 2 : 2048;
        if (size > (1u << 20))
            size = 1u << 20;
        if (size < n)
            size = n;
        mr_arena_chunk *c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->next = a->head;
        c->size = size;
        a->head = c;
        a->used = 0;
        a->size = size;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    return p;
}

char *mr_arena_strndup(mr_arena *a, const char *s, size_t n)
{
    char *p = mr_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void mr_arena_free(mr_arena *a)
{
    mr_arena_chunk *c = a->head;
    while (c) {
        mr_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used = a->size = 0;
}
