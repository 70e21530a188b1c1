/*
 * read_xml.c: RSS 2.0 / RSS 1.0 / Atom feeds (one report per item) and
 * TREC-style <DOC> documents (as in the ANT corpus).
 *
 * Feeds are parsed by libxml2 with XML_PARSE_NONET and without NOENT or
 * DTDLOAD: no external entity is fetched and no entity is substituted. A
 * feed whose DTD declares entities at all is refused before parsing (real
 * feeds never do; billion-laughs and external-entity attacks always do).
 * libxml2's own depth limit (256) bounds nesting.
 *
 * TREC documents are read by hand, not by an XML parser: the ANT files
 * carry raw text (no escaping), so <TEXT> is taken byte-exact, minus the
 * one newline after the open tag and before the close tag (the layout the
 * corpus's JSON Lines conversion also dropped), so both forms of one
 * article have the same text.
 */
#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "ingest/internal.h"
#include "text/text.h"

#define FEED_MAX_DEPTH 64

/* ------------------------------------------------------------ feeds */

static int is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name &&
           strcasecmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *k = n ? n->children : NULL; k; k = k->next)
        if (is(k, name))
            return k;
    return NULL;
}

/* Text and CDATA under n (entity references are not followed). */
static void gather(const xmlNode *n, mr_buf *b, int depth)
{
    for (; n && depth < FEED_MAX_DEPTH; n = n->next) {
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
            n->content)
            mr_buf_adds(b, (const char *)n->content);
        else if (n->type == XML_ELEMENT_NODE)
            gather(n->children, b, depth + 1);
    }
}

/* malloc'd text of element n, or NULL when empty / n is NULL. */
static char *text_of(mr_rctx *c, const xmlNode *n)
{
    if (!n)
        return NULL;
    mr_buf b = MR_BUF_INIT;
    gather(n->children, &b, 0);
    if (!b.p) {
        return NULL;
    }
    size_t i = 0;
    while (i < b.len && isspace((unsigned char)b.p[i]))
        i++;
    if (i == b.len) {
        mr_buf_free(&b);
        return NULL;
    }
    (void)c;
    return b.p;
}

static char *attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    return s;
}

/* Atom: the alternate link's href; RSS: the element's text. */
static char *item_link(mr_rctx *c, const xmlNode *item)
{
    char *fallback = NULL;
    for (const xmlNode *k = item->children; k; k = k->next) {
        if (!is(k, "link"))
            continue;
        char *href = attr(k, "href");
        if (!href) {
            char *t = text_of(c, k);
            if (t) {
                free(fallback);
                return t;
            }
            continue;
        }
        char *rel = attr(k, "rel");
        int alt = !rel || !strcmp(rel, "alternate");
        free(rel);
        if (alt) {
            free(fallback);
            return href;
        }
        if (!fallback)
            fallback = href;
        else
            free(href);
    }
    return fallback;
}

/* Body of an item as plain text: HTML in it is extracted. */
static void item_body(mr_rctx *c, const xmlNode *item, mr_report *r)
{
    static const char *const names[] = {"encoded", "content", "description",
                                        "summary", NULL};
    const xmlNode *body = NULL;
    for (int i = 0; names[i] && !body; i++) {
        body = child(item, names[i]);
        char *t = text_of(c, body);
        if (!t && body && !child(body, "div") && !child(body, "p"))
            body = NULL; /* empty: try the next one */
        free(t);
    }
    if (!body)
        return;
    char *type = attr(body, "type");
    int xhtml = type && !strcmp(type, "xhtml");
    free(type);
    mr_buf raw = MR_BUF_INIT;
    if (xhtml) {
        /* inline XHTML: take its text with the block structure */
        xmlBufferPtr xb = xmlBufferCreate();
        if (xb) {
            for (const xmlNode *k = body->children; k; k = k->next)
                xmlNodeDump(xb, k->doc, (xmlNode *)(uintptr_t)k, 0, 0);
            mr_buf_add(&raw, (const char *)xmlBufferContent(xb),
                       (size_t)xmlBufferLength(xb));
            xmlBufferFree(xb);
        }
    } else {
        gather(body->children, &raw, 0);
    }
    if (!raw.p)
        return;
    if (memchr(raw.p, '<', raw.len) || memchr(raw.p, '&', raw.len)) {
        mr_html_doc d;
        const char *why;
        if (mr_html_extract(raw.p, raw.len, "UTF-8", &d, &why) ==
            MARSAD_OK) {
            r->text = d.text.p;
            r->text_len = d.text.len;
            d.text.p = NULL;
            if (!r->published && d.published) {
                r->published = d.published;
                d.published = NULL;
            }
        }
        mr_html_doc_free(&d);
        mr_buf_free(&raw);
    } else {
        r->text = raw.p;
        r->text_len = raw.len;
    }
}

static void read_item(mr_rctx *c, const xmlNode *item, const char *outlet,
                      unsigned long line)
{
    mr_report r;
    memset(&r, 0, sizeof r);
    r.title = text_of(c, child(item, "title"));
    r.url = item_link(c, item);
    r.source_id = text_of(c, child(item, "guid"));
    if (!r.source_id)
        r.source_id = text_of(c, child(item, "id"));
    /* RSS 2.0 <source url="...">Name</source> (Atom's <source> holds
     * elements: its feed's title) */
    const xmlNode *srcn = child(item, "source");
    const xmlNode *srct = child(srcn, "title");
    r.outlet = text_of(c, srct ? srct : srcn);
    if (!r.outlet && outlet)
        r.outlet = strdup(outlet);
    static const char *const dates[] = {"published", "pubDate", "date",
                                        "issued", "updated", "modified",
                                        NULL};
    char iso[32];
    for (int i = 0; dates[i] && !r.published; i++) {
        char *t = text_of(c, child(item, dates[i]));
        if (t && mr_date_to_iso(t, strlen(t), iso, sizeof iso))
            r.published = strdup(iso);
        free(t);
    }
    if (r.published)
        r.published_origin = MR_PUB_METADATA;
    item_body(c, item, &r);
    /* a title with markup in it: keep the words */
    if (r.title && strchr(r.title, '<')) {
        mr_html_doc d;
        const char *why;
        if (mr_html_extract(r.title, strlen(r.title), "UTF-8", &d,
                            &why) == MARSAD_OK &&
            d.text.p) {
            free(r.title);
            r.title = d.text.p;
            d.text.p = NULL;
        }
        mr_html_doc_free(&d);
    }
    mr_push_report(c, &r, line);
}

void mr_read_feed(mr_rctx *c, const char *s, size_t len)
{
    if (mr_memmem(s, len, "<!ENTITY", 8)) {
        mr_push_error(c, MARSAD_E_INPUT, 0,
                      "feed declares XML entities (refused: entity "
                      "expansion, as in a billion-laughs attack, is never "
                      "done)");
        return;
    }
    if (len > (size_t)INT_MAX) {
        mr_push_error(c, MARSAD_E_LIMIT, 0, "feed too large");
        return;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        c->fatal = MARSAD_E_NOMEM;
        return;
    }
    xmlDocPtr doc = xmlCtxtReadMemory(
        ctxt, s, (int)len, NULL, NULL,
        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
            XML_PARSE_NOCDATA | XML_PARSE_RECOVER);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        const xmlError *e = &ctxt->lastError;
        char msg[200] = "";
        if (e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t k = strlen(msg);
            while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' '))
                msg[--k] = 0;
        }
        mr_push_error(c, MARSAD_E_INPUT, (unsigned long)(e->line > 0 ? e->line : 0),
                      "not a well-formed feed%s%s", msg[0] ? ": " : "", msg);
        if (doc)
            xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        return;
    }
    /* the feed's own title names the outlet */
    const xmlNode *chan = child(root, "channel");
    char *outlet = text_of(c, child(chan ? chan : root, "title"));
    size_t items = 0;
    /* items: children of root (Atom, RSS 1.0) or of channel (RSS 2.0) */
    const xmlNode *parents[2] = {root, chan};
    for (int p = 0; p < 2; p++) {
        for (const xmlNode *k = parents[p] ? parents[p]->children : NULL; k;
             k = k->next) {
            if (is(k, "item") || is(k, "entry")) {
                read_item(c, k, outlet, (unsigned long)xmlGetLineNo(k));
                items++;
            }
        }
    }
    if (!ctxt->wellFormed) {
        const xmlError *e = &ctxt->lastError;
        char msg[200] = "";
        if (e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t k = strlen(msg);
            while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' '))
                msg[--k] = 0;
        }
        mr_push_error(c, MARSAD_E_INPUT,
                      (unsigned long)(e->line > 0 ? e->line : 0),
                      "feed is not well-formed (%zu item%s recovered before "
                      "the damage)%s%s",
                      items, items == 1 ? "" : "s", msg[0] ? ": " : "", msg);
    }
    if (!items && ctxt->wellFormed) {
        if (!is(root, "rss") && !is(root, "feed") && !is(root, "RDF"))
            mr_push_error(c, MARSAD_E_INPUT, 0,
                          "not a feed: the root element is <%s>",
                          (const char *)root->name);
        else
            mr_push_error(c, MARSAD_E_INPUT, 0, "feed has no items");
    }
    free(outlet);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
}

/* ------------------------------------------------------------ TREC */

/* Content between <TAG> and </TAG> within [s, end); NULL when absent. */
static const char *trec_field(const char *s, const char *end, const char *tag,
                              size_t *n)
{
    char open[32], close[32];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *a = mr_memmem(s, (size_t)(end - s), open, strlen(open));
    if (!a)
        return NULL;
    a += strlen(open);
    const char *b = mr_memmem(a, (size_t)(end - a), close, strlen(close));
    if (!b)
        b = end;
    *n = (size_t)(b - a);
    return a;
}

/* Copies s[0..n) decoding the five XML entities and &#N; / &#xN;. */
static char *decode(mr_rctx *c, const char *s, size_t n)
{
    char *out = mr_dup(c, s, n);
    if (!out || !memchr(s, '&', n))
        return out;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        static const struct {
            const char *e;
            char ch;
        } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'},
                    {"&quot;", '"'}, {"&apos;", '\''}};
        int done = 0;
        if (s[i] == '&') {
            for (size_t k = 0; k < 5 && !done; k++) {
                size_t el = strlen(ents[k].e);
                if (n - i >= el && !memcmp(s + i, ents[k].e, el)) {
                    out[w++] = ents[k].ch;
                    i += el;
                    done = 1;
                }
            }
            if (!done && n - i > 3 && s[i + 1] == '#') {
                size_t j = i + 2;
                int hex = s[j] == 'x' || s[j] == 'X';
                if (hex)
                    j++;
                unsigned long cp = 0;
                size_t d0 = j;
                while (j < n && j - d0 < 8 &&
                       (hex ? isxdigit((unsigned char)s[j])
                            : isdigit((unsigned char)s[j]))) {
                    int dv = isdigit((unsigned char)s[j])
                                 ? s[j] - '0'
                                 : (tolower((unsigned char)s[j]) - 'a' + 10);
                    cp = cp * (hex ? 16u : 10u) + (unsigned long)dv;
                    j++;
                }
                if (j > d0 && j < n && s[j] == ';' && cp > 0 && cp <= 0x10FFFF) {
                    char enc[4];
                    size_t el = mr_utf8_encode((uint32_t)cp, enc);
                    if (el <= j + 1 - i) { /* never longer than the entity */
                        memcpy(out + w, enc, el);
                        w += el;
                        i = j + 1;
                        done = 1;
                    }
                }
            }
        }
        if (!done)
            out[w++] = s[i++];
    }
    out[w] = 0;
    return out;
}

/* Line of p, counting on from (from, line_at_from): O(p - from). */
static unsigned long line_of(const char *from, unsigned long line_at_from,
                             const char *p)
{
    unsigned long line = line_at_from;
    for (const char *q = from; q < p; q++)
        line += *q == '\n';
    return line;
}

void mr_read_trec(mr_rctx *c, const char *s, size_t len)
{
    const char *p = s, *end = s + len, *counted = s;
    unsigned long counted_line = 1;
    size_t docs = 0;
    while (p < end && !c->fatal) {
        const char *d = mr_memmem(p, (size_t)(end - p), "<DOC>", 5);
        if (!d)
            break;
        const char *body = d + 5;
        const char *e = mr_memmem(body, (size_t)(end - body), "</DOC>", 6);
        unsigned long line = line_of(counted, counted_line, d);
        counted = d;
        counted_line = line;
        docs++;
        if (!e) {
            mr_push_error(c, MARSAD_E_INPUT, line,
                          "truncated document: <DOC> without </DOC>");
            break;
        }
        mr_report r;
        memset(&r, 0, sizeof r);
        size_t n = 0;
        const char *v;
        if ((v = trec_field(body, e, "DOCNO", &n)))
            r.source_id = decode(c, v, n);
        if ((v = trec_field(body, e, "URL", &n)))
            r.url = decode(c, v, n);
        if ((v = trec_field(body, e, "SRC", &n)))
            r.outlet = decode(c, v, n);
        if ((v = trec_field(body, e, "TITLE", &n)) ||
            (v = trec_field(body, e, "HEADLINE", &n)))
            r.title = decode(c, v, n);
        char iso[32];
        if (((v = trec_field(body, e, "TIME", &n)) ||
             (v = trec_field(body, e, "DATE", &n))) &&
            mr_date_to_iso(v, n, iso, sizeof iso)) {
            r.published = mr_dup(c, iso, strlen(iso));
            r.published_origin = MR_PUB_METADATA;
        }
        if (!r.published && r.source_id) {
            /* ANT-style DOCNO ending in -YYYYMMDD */
            size_t k = strlen(r.source_id);
            const char *t = r.source_id + (k >= 8 ? k - 8 : 0);
            char ymd[16];
            if (k > 9 && t[-1] == '-' &&
                snprintf(ymd, sizeof ymd, "%.4s-%.2s-%.2s", t, t + 4, t + 6) &&
                mr_date_to_iso(ymd, 10, iso, sizeof iso)) {
                r.published = mr_dup(c, iso, strlen(iso));
                r.published_origin = MR_PUB_METADATA;
            }
        }
        if ((v = trec_field(body, e, "TEXT", &n)) ||
            (v = trec_field(body, e, "ABSTRACT", &n))) {
            if (n && v[0] == '\n')
                v++, n--;
            if (n && v[n - 1] == '\n')
                n--;
            r.text = decode(c, v, n);
            r.text_len = r.text ? strlen(r.text) : 0;
        }
        if (c->fatal) {
            mr_report_clear(&r);
            return;
        }
        mr_push_report(c, &r, line);
        p = e + 6;
    }
    if (!docs)
        mr_push_error(c, MARSAD_E_INPUT, 0, "no <DOC> document found");
}
