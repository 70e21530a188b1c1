/*
 * read_html.c: HTML pages, RSS/Atom feeds and TREC documents (placeholder
 * until the libxml2 readers land).
 */
#include "ingest/internal.h"

void mr_read_html(mr_rctx *c, const char *s, size_t len)
{
    (void)s;
    (void)len;
    mr_push_error(c, MARSAD_E_INPUT, 0, "HTML input is not read yet");
}

void mr_read_feed(mr_rctx *c, const char *s, size_t len)
{
    (void)s;
    (void)len;
    mr_push_error(c, MARSAD_E_INPUT, 0, "feeds are not read yet");
}

void mr_read_trec(mr_rctx *c, const char *s, size_t len)
{
    (void)s;
    (void)len;
    mr_push_error(c, MARSAD_E_INPUT, 0, "TREC XML is not read yet");
}
