/*
 * sentence.c: sentence boundaries over a report's original bytes, for the
 * summary, the claims' context and the HTML anchors.
 */
#include <stdlib.h>
#include <string.h>

#include "story/story.h"

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Length of the sentence end at text[i] (0 when none): '\n', '.', '!',
 * '?', '؟' (D8 9F). A '.' between digits is a decimal point. */
static size_t end_mark(const char *text, size_t len, size_t i)
{
    unsigned char c = (unsigned char)text[i];
    if (c == '\n' || c == '!' || c == '?')
        return 1;
    if (c == '.') {
        if (i > 0 && i + 1 < len && is_digit((unsigned char)text[i - 1]) &&
            is_digit((unsigned char)text[i + 1]))
            return 0;
        return 1;
    }
    if (c == 0xD8 && i + 1 < len && (unsigned char)text[i + 1] == 0x9F)
        return 2;
    return 0;
}

static mr_span trim(const char *text, size_t a, size_t b)
{
    while (a < b && is_space((unsigned char)text[a]))
        a++;
    while (b > a && is_space((unsigned char)text[b - 1]))
        b--;
    mr_span s = {(uint32_t)a, (uint32_t)b};
    return s;
}

void mr_sentences(const char *text, size_t len, mr_sentence_fn fn, void *ctx)
{
    if (!text || !fn)
        return;
    size_t start = 0;
    for (size_t i = 0; i < len;) {
        size_t m = end_mark(text, len, i);
        if (!m) {
            i++;
            continue;
        }
        size_t end = i + m;
        /* keep runs of marks ("..", "?!", a closing quote) with the end */
        while (end < len && (text[end] == '.' || text[end] == '!' ||
                             text[end] == '?'))
            end++;
        if (text[i] == '\n')
            end = i; /* the line break itself is not part of the sentence */
        mr_span s = trim(text, start, end);
        if (s.end > s.start && fn(s, ctx))
            return;
        start = text[i] == '\n' ? i + 1 : end;
        i = start > i ? start : i + 1;
    }
    mr_span s = trim(text, start, len);
    if (s.end > s.start)
        fn(s, ctx);
}

typedef struct {
    size_t pos;
    mr_span found;
    int hit;
} at_ctx;

static int at_fn(mr_span s, void *ctx)
{
    at_ctx *a = ctx;
    if (a->pos >= s.start && a->pos < s.end) {
        a->found = s;
        a->hit = 1;
        return 1;
    }
    return a->pos < s.start; /* passed it: pos sits between sentences */
}

mr_span mr_sentence_at(const char *text, size_t len, size_t pos)
{
    at_ctx a = {pos, {0, (uint32_t)len}, 0};
    mr_sentences(text, len, at_fn, &a);
    return a.found;
}

typedef struct list_ctx {
    mr_span *v;
    size_t n, cap;
    int failed;
} list_ctx;

static int list_fn(mr_span s, void *ctx)
{
    list_ctx *l = ctx;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 32;
        mr_span *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) {
            l->failed = 1;
            return 1;
        }
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = s;
    return 0;
}

marsad_status mr_sentence_list(const char *text, size_t len, mr_span **out,
                               size_t *n)
{
    if (!out || !n)
        return MARSAD_E_ARG;
    list_ctx l = {NULL, 0, 0, 0};
    mr_sentences(text, len, list_fn, &l);
    if (l.failed) {
        free(l.v);
        *out = NULL;
        *n = 0;
        return MARSAD_E_NOMEM;
    }
    *out = l.v;
    *n = l.n;
    return MARSAD_OK;
}

mr_span mr_sentence_find(const mr_span *v, size_t n, size_t pos, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* first sentence ending after pos */
        size_t mid = (lo + hi) / 2;
        if (v[mid].end <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && v[lo].start <= pos)
        return v[lo];
    mr_span all = {0, (uint32_t)len};
    return all;
}
