/*
 * fuzz_numbers.c: libFuzzer target for the number reader. The input is a
 * text; every expression must lie inside it, come in order without
 * overlap, and carry a sane value. The token-level reader must agree with
 * the public one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/numbers.h"

typedef struct state {
    size_t len, prev_end, count;
} state;

static int check(const marsad_number *n, void *ctx)
{
    state *s = ctx;
    if (n->start >= n->end || n->end > s->len || n->start < s->prev_end)
        abort();
    if ((unsigned)n->qualifier > MARSAD_Q_MULTIPLE || (n->flags & ~0xFFu))
        abort();
    if (n->has_min && n->has_max && n->min > n->max)
        abort();
    s->prev_end = n->end;
    s->count++;
    return 0;
}

static int check_mr(const mr_number *m, void *ctx)
{
    state *s = ctx;
    if (m->num_start < m->n.start || m->num_end > m->n.end || m->first > m->last ||
        m->num_first > m->num_last || m->num_first < m->first ||
        (m->qual_end > m->qual_start && m->qual_start != m->n.start))
        abort();
    s->count++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    state a = {size, 0, 0}, b = {size, 0, 0};
    if (marsad_numbers_scan(text, size, check, &a) != MARSAD_OK)
        return 0;
    mr_toks tv;
    memset(&tv, 0, sizeof tv);
    if (mr_toks_build(&tv, text, size, 0) == MARSAD_OK) {
        mr_numbers_find(&tv, text, size, check_mr, &b);
        if (a.count != b.count)
            abort();
    }
    mr_toks_free(&tv);
    return 0;
}
