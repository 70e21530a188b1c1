/*
 * json.h: a small streaming JSON writer over a FILE (use open_memstream for
 * memory). Strings are written as valid UTF-8 whatever the input: invalid
 * sequences become U+FFFD; control characters, U+2028 and U+2029 are
 * escaped, so NDJSON lines never break and the output is safe to embed.
 */
#ifndef MR_OUT_JSON_H
#define MR_OUT_JSON_H

#include <stdio.h>

#include "marsad.h"

/* "…" with escapes, for s[0..len). */
void mr_json_str(FILE *f, const char *s, size_t len);
/* NUL-terminated s, or null when s is NULL. */
void mr_json_cstr(FILE *f, const char *s);
/* A number: integral values without a fraction, others in the shortest
 * form (15 to 17 digits) that reads back as the same double. */
void mr_json_num(FILE *f, double v);
/* "key": (with the comma before it when `first` is 0). */
void mr_json_key(FILE *f, const char *key, int first);

#endif
