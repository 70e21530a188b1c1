/*
 * fuzz_tokenize.c: libFuzzer target for the tokenizer and the token
 * vector. The first input byte picks the flags (low 4 bits: normalisation
 * flags; bit 4: MARSAD_TOKENIZE_NO_STEM). Invariants: tokens come in
 * order without overlap, each at most MARSAD_MAX_TOKEN bytes, the norm is
 * the normalised slice, the stem lies inside the norm, and the vector
 * agrees with the stream.
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
    unsigned flags = (data[0] & 0x0Fu) | (data[0] & 0x10u ? MARSAD_TOKENIZE_NO_STEM : 0);
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    marsad_tokenizer *t = NULL;
    if (marsad_tokenizer_new(&t, flags) != MARSAD_OK)
        return 0;
    mr_toks tv = {0};
    int have_vec = mr_toks_build(&tv, s, len, flags) == MARSAD_OK;
    marsad_tokenizer_reset(t, s, len);
    marsad_token tk;
    size_t pos = 0, n = 0;
    static char norm[MARSAD_NORM_MAX_GROWTH * MARSAD_MAX_TOKEN + 1];
    while (marsad_tokenizer_next(t, &tk)) {
        CHECK(tk.start >= pos && tk.end > tk.start && tk.end <= len);
        CHECK(tk.end - tk.start <= MARSAD_MAX_TOKEN);
        size_t m = marsad_normalize(s + tk.start, tk.end - tk.start, norm,
                                    sizeof norm, flags & 0xFFu);
        CHECK(m == tk.norm_len && memcmp(norm, tk.norm, m) == 0);
        CHECK(tk.stem_len <= tk.norm_len);
        if (tk.kind != MARSAD_TOK_ARABIC || (flags & MARSAD_TOKENIZE_NO_STEM))
            CHECK(tk.stem_len == tk.norm_len);
        if (have_vec) {
            CHECK(n < tv.n);
            CHECK(tv.v[n].start == tk.start && tv.v[n].end == tk.end);
            CHECK(tv.v[n].norm_len == tk.norm_len &&
                  tv.v[n].stem_len == tk.stem_len);
            CHECK(memcmp(mr_tok_stem(&tv, n), tk.stem, tk.stem_len) == 0);
        }
        pos = tk.end;
        n++;
    }
    if (have_vec)
        CHECK(n == tv.n);
    /* the stemmer alone on arbitrary bytes stays inside its input */
    size_t off, sl;
    marsad_stem(s, len, &off, &sl);
    CHECK(off + sl <= len);
    mr_toks_free(&tv);
    marsad_tokenizer_free(t);
    return 0;
}
