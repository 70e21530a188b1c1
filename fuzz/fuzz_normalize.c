/*
 * fuzz_normalize.c: libFuzzer target for marsad_normalize. The first input
 * byte picks the flags (low 4 bits). Invariants: measuring and filling
 * agree, the size respects MARSAD_NORM_MAX_GROWTH, the output is valid
 * UTF-8, a short buffer receives a prefix of the full result, and
 * normalising twice changes nothing more (idempotence).
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
    unsigned flags = data[0] & 0x0Fu;
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    size_t need = marsad_normalize(s, len, NULL, 0, flags);
    CHECK(need <= MARSAD_NORM_MAX_GROWTH * len);
    size_t cap = MARSAD_NORM_MAX_GROWTH * len + 1;
    char *a = malloc(cap), *b = malloc(need + 1), *c = malloc(cap);
    if (!a || !b || !c)
        goto out;
    CHECK(marsad_normalize(s, len, a, cap, flags) == need); /* unchecked */
    CHECK(marsad_normalize(s, len, b, need, flags) == need); /* exact */
    CHECK(memcmp(a, b, need) == 0);
    CHECK(marsad_utf8_count_invalid(a, need) == 0);
    size_t half = need / 2;
    memset(b, 0, need + 1);
    CHECK(marsad_normalize(s, len, b, half, flags) == need);
    /* the prefix written is a prefix of the result */
    size_t k = 0;
    while (k < half && b[k] == a[k])
        k++;
    CHECK(k + 4 > half || k == half);
    /* idempotent (hamza and diacritic flags keep marks the second pass
     * would keep too) */
    size_t again = marsad_normalize(a, need, c, cap, flags);
    CHECK(again == need && memcmp(a, c, need) == 0);
out:
    free(a);
    free(b);
    free(c);
    return 0;
}
