/*
 * fuzz_extract.c: libFuzzer target for mr_extract and the facts JSON
 * writer. The first input byte picks whether a publication date is given.
 * Checks that every span lies inside the text and is ordered.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "out/facts_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    mr_extract_opts o = {(data[0] & 1) ? "2019-03-23" : NULL, NULL,
                         (data[0] & 2) != 0, (data[0] & 4) != 0};
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    mr_facts f;
    memset(&f, 0, sizeof f);
    if (mr_extract(text, len, &o, &f) == MARSAD_OK) {
        for (size_t i = 0; i < f.figures.n; i++)
            if (f.figures.v[i].start > f.figures.v[i].end ||
                f.figures.v[i].end > len ||
                (f.figures.v[i].part_of >= 0 &&
                 (size_t)f.figures.v[i].part_of >= f.figures.n) ||
                (f.figures.v[i].source >= 0 &&
                 (size_t)f.figures.v[i].source >= f.sources.n))
                abort();
        for (size_t i = 0; i < f.sources.n; i++)
            if (f.sources.v[i].start > f.sources.v[i].end ||
                f.sources.v[i].end > len)
                abort();
        mr_report r;
        memset(&r, 0, sizeof r);
        r.text = (char *)(uintptr_t)text;
        r.text_len = len;
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            mr_facts_json(null, &r, &f);
            fclose(null);
        }
    }
    mr_facts_free(&f);
    return 0;
}
