/*
 * fuzz_query.c: libFuzzer target for the search query parser. Any bytes
 * are a query; the property checked is that the FTS5 expression built from
 * it is always valid FTS5 syntax (the search never fails with a database
 * error) and that the parser never reads or writes out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

static mr_store *st;

static int on_hit(const mr_hit *h, void *ctx)
{
    (void)h;
    (void)ctx;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!st) {
        if (mr_store_open(":memory:", NULL, &st, NULL) != MARSAD_OK)
            abort();
        mr_report r;
        memset(&r, 0, sizeof r);
        r.id = (char *)"f1";
        r.title = (char *)"عنوان";
        r.text = (char *)"قتل 12 مدنيا في الباغوز، بحسب المرصد. \"a b\" NEAR c";
        r.text_len = strlen(r.text);
        if (mr_store_put_report(st, &r, NULL, NULL) != MARSAD_OK)
            abort();
    }
    mr_buf b = MR_BUF_INIT;
    marsad_status rc = mr_query_to_fts((const char *)data, size, &b, NULL);
    mr_buf_free(&b);
    if (rc != MARSAD_OK || size > 1024)
        return 0;
    char *q = malloc(size + 1);
    if (!q)
        return 0;
    memcpy(q, data, size);
    q[size] = 0; /* the search takes a C string: stops at a NUL */
    marsad_error err;
    rc = mr_store_search(st, q, NULL, on_hit, NULL, &err);
    free(q);
    if (rc == MARSAD_E_DB)
        abort(); /* the translated expression was not valid FTS5 */
    return 0;
}
