/*
 * link_internal.h: helpers shared by the files of src/link/.
 */
#ifndef MR_LINK_INTERNAL_H
#define MR_LINK_INTERNAL_H

#include <stdint.h>

#include "link/link.h"
#include "text/text.h"

/* splitmix64's finaliser: a bijection that spreads every input bit. */
uint64_t mr_link_mix(uint64_t x);
/* FNV-1a over s[0..n), then mixed. */
uint64_t mr_link_hash_bytes(const char *s, size_t n);
/* The LSH key of band `band` (rows signature values) of d. */
uint64_t mr_link_band_key(const mr_link_doc *d, unsigned band, unsigned rows);

#endif
