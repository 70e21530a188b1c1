/*
 * internal.h: what the ingest readers share. Not for other layers.
 *
 * Every reader turns one input (a whole buffer, or one JSON line) into
 * results pushed on a queue: a finished report, or an error naming the
 * input and line. The iterator (ingest.c) and mr_ingest_buffer pop them.
 */
#ifndef MR_INGEST_INTERNAL_H
#define MR_INGEST_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "ingest/ingest.h"
#include "text/buf.h"

typedef struct mr_result {
    marsad_status rc; /* MARSAD_OK: r is set; else e is */
    mr_report r;
    marsad_error e;
} mr_result;

struct json_tokener;

/* Per-iterator reading context: options resolved, the current input. */
typedef struct mr_rctx {
    mr_ingest_opts o;       /* defaults filled in */
    char *fields[8];        /* copies of the field lists and lang (owned) */
    const char *name;       /* current input's name (borrowed) */
    mr_result *q;           /* results not yet handed out */
    size_t qhead, qlen, qcap;
    mr_ingest_stats st;
    struct json_tokener *tok; /* lazily created */
    marsad_status fatal;     /* MARSAD_E_NOMEM once memory ran out */
    int legacy;              /* current input declares a non-UTF-8 charset */
} mr_rctx;

enum { MR_F_ID, MR_F_OUTLET, MR_F_URL, MR_F_PUBLISHED, MR_F_TITLE, MR_F_TEXT,
       MR_F_LANG };

marsad_status mr_rctx_init(mr_rctx *c, const mr_ingest_opts *opts);
void mr_rctx_free(mr_rctx *c);
/* Drops queued results (clearing their reports). */
void mr_rctx_drop(mr_rctx *c);

/* Queues an error for the current input (printf-style message). */
void mr_push_error(mr_rctx *c, marsad_status code, unsigned long line,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Finishes r and queues it: repairs invalid UTF-8 in every string (text
 * counted in invalid_utf8), trims title/outlet/url, sets lang, file, line
 * and the id. Takes ownership of r's strings either way (r is zeroed).
 * A report with neither text nor title is rejected ("no text").
 */
void mr_push_report(mr_rctx *c, mr_report *r, unsigned long line);

/* malloc'd NUL-terminated copy of s[0..n); NULL on OOM (sets c->fatal). */
char *mr_dup(mr_rctx *c, const char *s, size_t n);

/* Sniffing and binary detection over the first bytes of an input. */
mr_format mr_sniff(const char *s, size_t len);
/* NULL when s looks like text, else a static reason ("binary file ..."). */
const char *mr_binary_reason(const char *s, size_t len);
/* True when the first bytes declare a charset or XML encoding other than
 * UTF-8 (windows-1256, iso-8859-6 ...): libxml2 can decode such pages. */
int mr_legacy_charset(const char *s, size_t len);
/* The binary check, except that an HTML page or a feed that declares a
 * legacy charset passes (and *legacy is set). fmt: the format chosen. */
const char *mr_check_text(const char *s, size_t len, mr_format fmt,
                          int *legacy);

/* ------------------------------------------------------ gzip or plain */

/* An input that may be gzip'd (zin.c): its bytes, inflated when it starts
 * with the gzip magic (member after member), else as they are. */
typedef struct mr_zin mr_zin;
/* Takes fd (closed by mr_zin_close). NULL when out of memory. */
mr_zin *mr_zin_open(int fd);
/* Up to want bytes into out: the count, 0 at the end, -1 on an error
 * (mr_zin_error says which). */
long mr_zin_read(mr_zin *z, char *out, size_t want);
/* After the end: bytes after the last gzip member that were not another
 * member (0 for a sound file or a plain one). */
uint64_t mr_zin_trailing(const mr_zin *z);
/* The last error ("read error: ...", "corrupt or truncated gzip data:
 * ..."), or NULL. */
const char *mr_zin_error(const mr_zin *z);
void mr_zin_close(mr_zin *z);

/* ------------------------------------------------------------ readers */
void mr_read_txt(mr_rctx *c, const char *s, size_t len);
void mr_read_jsonl_line(mr_rctx *c, const char *s, size_t len,
                        unsigned long line);
void mr_read_json(mr_rctx *c, const char *s, size_t len);
void mr_read_html(mr_rctx *c, const char *s, size_t len);
void mr_read_feed(mr_rctx *c, const char *s, size_t len);
void mr_read_trec(mr_rctx *c, const char *s, size_t len);

/* Dispatches a whole buffer to its reader (jsonl: split into lines). */
void mr_read_buffer(mr_rctx *c, mr_format fmt, const char *s, size_t len);

/* -------------------------------------------------------- HTML helpers */

/* Metadata and main text of an HTML document or fragment. */
typedef struct mr_html_doc {
    mr_buf text; /* main text, paragraphs as lines */
    char *title, *published, *outlet, *url, *lang; /* malloc'd or NULL */
} mr_html_doc;

/*
 * Parses HTML (a page, or a fragment from a feed) and extracts its main
 * text and metadata. encoding: "UTF-8", or NULL to let libxml2 follow the
 * page's <meta charset> (a page declared in windows-1256, say). Returns MARSAD_OK, MARSAD_E_INPUT (with a reason in
 * *why, static) or MARSAD_E_NOMEM.
 */
marsad_status mr_html_extract(const char *s, size_t len, const char *encoding,
                              mr_html_doc *d, const char **why);
void mr_html_doc_free(mr_html_doc *d);

/* memmem without _GNU_SOURCE. */
static inline const char *mr_memmem(const char *h, size_t hn, const char *n,
                                    size_t nn)
{
    if (nn == 0)
        return h;
    while (hn >= nn) {
        const char *p = memchr(h, n[0], hn - nn + 1);
        if (!p)
            return NULL;
        if (memcmp(p, n, nn) == 0)
            return p;
        hn -= (size_t)(p - h) + 1;
        h = p + 1;
    }
    return NULL;
}

/* A dateline (a short line that is mostly a date) -> ISO date. */
int mr_dateline(const char *s, size_t len, char out[32]);

#endif
