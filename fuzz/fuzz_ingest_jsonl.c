/*
 * fuzz_ingest_jsonl.c: libFuzzer target for the JSON Lines reader (json-c tokener, field lists, repair, ids).
 * The first byte picks options: bit 0 a tiny max report size, bit 1 a
 * shallow depth limit, bit 2 a forced plain-text format (to cross readers),
 * bit 3 the whole-document JSON reader (arrays of objects).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch(mr_report *r, void *ctx)
{
    size_t *sum = ctx;
    /* read every field so the sanitizers see any bad pointer */
    const char *f[] = {r->id, r->source_id, r->outlet, r->url, r->published,
                       r->title, r->lang, r->file};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i])
            *sum += strlen(f[i]);
    if (r->text_len)
        *sum += (unsigned char)r->text[r->text_len - 1];
    if (marsad_utf8_count_invalid(r->text, r->text_len) != 0)
        __builtin_trap(); /* reports are always valid UTF-8 */
    return 0;
}

static void on_error(const marsad_error *e, void *ctx)
{
    size_t *sum = ctx;
    *sum += strlen(e->message) + strlen(e->input);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    mr_ingest_opts o;
    memset(&o, 0, sizeof o);
    if (data[0] & 1)
        o.max_report = 64;
    if (data[0] & 2)
        o.max_depth = 3;
    mr_format fmt = (data[0] & 4) ? MR_FMT_TXT : MR_FMT_JSONL;
    if (data[0] & 8)
        fmt = MR_FMT_JSON; /* a whole document: an array of objects */
    size_t sum = 0;
    mr_ingest_buffer((const char *)data + 1, size - 1, fmt, "fuzz", &o, touch,
                     on_error, &sum, NULL);
    return 0;
}
