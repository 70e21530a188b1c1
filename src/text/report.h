/*
 * report.h: a report, the unit everything in marsad is about (DESIGN.md,
 * "The data model"). Readers in src/ingest/ produce them; the store keeps
 * them; extract/link/story read them. It lives in text/ so that the store
 * and the readers both see it without seeing each other.
 */
#ifndef MR_REPORT_H
#define MR_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "marsad.h"

/* How `published` was found. */
typedef enum mr_date_origin {
    MR_PUB_UNKNOWN = 0,
    MR_PUB_METADATA, /* a field of the input: JSON date, pubDate, meta tag */
    MR_PUB_DATELINE  /* a dateline at the top of the text: may be the page's
                        display date, not the report's own */
} mr_date_origin;

/*
 * All strings are owned by the report (malloc'd, NUL-terminated) and may be
 * NULL when unknown, except text, which is always set (possibly empty).
 * text is the body, byte-exact from the input (a plain .txt file's text is
 * the whole file, so offsets index the file itself); invalid UTF-8 in it was
 * replaced by U+FFFD (counted in invalid_utf8).
 */
typedef struct mr_report {
    char *id;        /* stable: hash of outlet+url, else of normalised text */
    char *source_id; /* the input's own id: JSON id, guid, DOCNO */
    char *outlet;
    char *url;
    char *published; /* ISO 8601 date or datetime */
    mr_date_origin published_origin;
    char *title;
    char *text;
    size_t text_len;
    char *lang;           /* "ar" unless said otherwise */
    char *file;           /* the input it came from ("-" for stdin) */
    unsigned long line;   /* 1-based line where it starts: a JSON Lines
                             line, a feed item, a TREC <DOC>; 0 for a
                             whole file (text, HTML, a JSON document) */
    size_t invalid_utf8;  /* sequences replaced by U+FFFD */
    char text_hash[17];   /* mr_text_hash of text, made ahead (parallel
                             ingest), or "" (the store makes it) */
} mr_report;

/* Frees the strings of r (not r itself); r is zeroed. NULL is a no-op. */
void mr_report_clear(mr_report *r);

/* A deep copy of s into *d (id required; a NULL text copies as ""). 0 when
 * out of memory (then *d holds nothing to free). */
int mr_report_copy(mr_report *d, const mr_report *s);

/*
 * Computes the stable report id into out (17 bytes: 16 hex digits + NUL):
 * a 64-bit hash of the case-folded outlet and the url without its scheme,
 * "www.", fragment and trailing '/', when url is non-empty; else of the
 * text normalised with marsad_normalize(flags 0) and its white space
 * collapsed. Returns MARSAD_OK or MARSAD_E_NOMEM.
 */
marsad_status mr_report_make_id(const char *outlet, const char *url,
                                const char *text, size_t text_len,
                                char out[17]);

/*
 * Hash of the normalised text alone (16 hex digits + NUL), equal for two
 * reports whose bodies differ only in spelling variants, diacritics and
 * white space: for finding exact duplicates filed under two urls.
 */
marsad_status mr_text_hash(const char *text, size_t len, char out[17]);

/* True for the code points the report id and the readers treat as white
 * space (ASCII, NBSP, the U+2000 spaces, line/paragraph separators ...). */
int mr_cp_is_space(uint32_t cp);

#endif
