/*
 * fuzz_utf8.c: libFuzzer target for the UTF-8 decoder and repair.
 * The first input byte picks the mode (bit 0: decode from an odd offset).
 * Invariants: every call consumes 1..4 bytes, the decoded code points are
 * valid scalar values, repair's output is valid and its count agrees with
 * marsad_utf8_count_invalid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

#define CHECK(c)                                                               \
    do {                                                                       \
        if (!(c))                                                              \
            __builtin_trap();                                                  \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned mode = data[0];
    const char *s = (const char *)data + 1 + (mode & 1 && size > 1);
    size_t len = size - 1 - (mode & 1 && size > 1);
    size_t i = 0, bad = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = marsad_utf8_decode(s + i, len - i, &cp);
        CHECK(n >= 1 && n <= 4 && n <= len - i);
        CHECK(cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
        if (mr_utf8_bad(s + i, n, cp))
            bad++;
        else {
            char enc[4];
            CHECK(mr_utf8_encode(cp, enc) == n && memcmp(enc, s + i, n) == 0);
        }
        i += n;
    }
    CHECK(marsad_utf8_count_invalid(s, len) == bad);
    size_t inv = 0;
    size_t need = marsad_utf8_repair(s, len, NULL, 0, &inv);
    CHECK(inv == bad && need <= 3 * len);
    char *out = malloc(need + 1);
    if (!out)
        return 0;
    CHECK(marsad_utf8_repair(s, len, out, need, &inv) == need);
    CHECK(marsad_utf8_count_invalid(out, need) == 0);
    free(out);
    return 0;
}
