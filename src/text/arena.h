/*
 * arena.h: a bump allocator for the many small strings and records of one
 * report (facts, canonical names). Memory is released all at once; pointers
 * stay valid until mr_arena_free (chunks never move).
 */
#ifndef MR_ARENA_H
#define MR_ARENA_H

#include <stddef.h>

typedef struct mr_arena_chunk mr_arena_chunk;
typedef struct mr_arena {
    mr_arena_chunk *head;
    size_t used, size; /* in head */
} mr_arena;

#define MR_ARENA_INIT {NULL, 0, 0}

/* n bytes aligned for any object, or NULL on OOM. */
void *mr_arena_alloc(mr_arena *a, size_t n);
/* A NUL-terminated copy of s[0..n), or NULL on OOM. */
char *mr_arena_strndup(mr_arena *a, const char *s, size_t n);
/* Releases every chunk; the arena is left empty and reusable. */
void mr_arena_free(mr_arena *a);

#endif
