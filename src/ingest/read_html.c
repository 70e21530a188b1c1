/*
 * read_html.c: an HTML page is one report; its main text is extracted.
 *
 * Parsing: libxml2's HTML parser in recovery mode, no network, no
 * warnings; HTML has no entity declarations to expand. Extraction:
 *  - metadata: og:title, og:site_name, og:url / canonical link,
 *    article:published_time (or other date metas), JSON-LD datePublished /
 *    headline / publisher.name, the first <time datetime>, <h1>, <title>;
 *  - main text: under the first <article> (the one with the most text when
 *    there are several), else <main> / role="main", else <body>; nav,
 *    header, footer, aside, script, style, form, noscript, iframe, svg,
 *    template, buttons, comments and elements whose class or id names
 *    boilerplate (share, social, related, comment, advert, menu, breadcrumb,
 *    newsletter, cookie, sidebar, tags) are dropped; a block whose text is
 *    mostly link text is dropped; each paragraph, heading, list item or
 *    break ends a line.
 * Nesting deeper than HTML_MAX_DEPTH is not walked (libxml2 caps its own
 * tree depth too): its text is dropped, nothing crashes.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "ingest/internal.h"

#define HTML_MAX_DEPTH 512

static int name_is(const xmlNode *n, const char *name)
{
    return n && n->name && xmlStrcasecmp(n->name, (const xmlChar *)name) == 0;
}

static int name_in(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (name_is(n, *names))
            return 1;
    return 0;
}

static const char *const dropped[] = {
    "nav",    "header", "footer", "aside",  "script",   "style",
    "form",   "noscript", "iframe", "svg",  "template", "button",
    "select", "textarea", "head",   "object", "embed",   "canvas",
    "input",  "label",  "menu",   "dialog", NULL};

static const char *const blocks[] = {
    "p",  "div", "h1", "h2", "h3", "h4",  "h5",      "h6",     "li",
    "ul", "ol",  "br", "tr", "td", "th",  "table",   "section", "article",
    "main", "blockquote", "pre", "dd", "dt", "dl", "figcaption", "figure",
    "hr", "address", "center", "body", "html", NULL};

static const char *const boiler_words[] = {
    "share",   "social",     "related", "comment", "advert",  "sponsor",
    "menu",    "breadcrumb", "newsletter", "cookie", "sidebar", "promo",
    "banner",  "subscribe",  "footer",  "navbar",  "widget",  "tags",
    "most-read", "mostread", "popular", "outbrain", "taboola", NULL};

/* class/id names boilerplate ("ad" only as a whole word). */
static int boilerplate_attr(const xmlNode *n)
{
    static const char *const attrs[] = {"class", "id", "role", NULL};
    for (int a = 0; attrs[a]; a++) {
        xmlChar *v = xmlGetProp(n, (const xmlChar *)attrs[a]);
        if (!v)
            continue;
        char low[256];
        size_t k = 0;
        for (const xmlChar *p = v; *p && k + 1 < sizeof low; p++)
            low[k++] = (char)tolower(*p);
        low[k] = 0;
        xmlFree(v);
        if (a == 2) {
            if (!strcmp(low, "navigation") || !strcmp(low, "banner") ||
                !strcmp(low, "contentinfo") || !strcmp(low, "complementary"))
                return 1;
            continue;
        }
        for (int w = 0; boiler_words[w]; w++)
            if (strstr(low, boiler_words[w]))
                return 1;
        /* "ad", "ads", "ad-slot" as a word */
        char *save = NULL;
        for (char *t = strtok_r(low, " \t_-", &save); t;
             t = strtok_r(NULL, " \t_-", &save))
            if (!strcmp(t, "ad") || !strcmp(t, "ads") || !strcmp(t, "advert"))
                return 1;
    }
    return 0;
}

/* Text extraction state. */
typedef struct walk {
    mr_buf *out;
    size_t linked; /* bytes of link text written so far */
    int in_link;
    int pending_space;
    int no_attrs; /* ignore class/id (second pass when the first found little) */
} walk;

static void add_text(walk *w, const char *s)
{
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') {
            w->pending_space = 1;
            continue;
        }
        /* U+00A0 no-break space counts as space */
        if (ch == 0xC2 && (unsigned char)p[1] == 0xA0) {
            p++;
            w->pending_space = 1;
            continue;
        }
        if (w->pending_space && w->out->len &&
            w->out->p[w->out->len - 1] != '\n')
            mr_buf_addc(w->out, ' ');
        w->pending_space = 0;
        mr_buf_addc(w->out, (char)ch);
        if (w->in_link)
            w->linked++;
    }
}

static void end_line(walk *w)
{
    w->pending_space = 0;
    if (w->out->len && w->out->p[w->out->len - 1] != '\n')
        mr_buf_addc(w->out, '\n');
}

/* Recursive, bounded by HTML_MAX_DEPTH (a frame is small). */
static void walk_node(walk *w, const xmlNode *n, int depth)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                add_text(w, (const char *)n->content);
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue; /* comments, PIs, entity references: dropped */
        if (depth >= HTML_MAX_DEPTH)
            continue;
        if (name_in(n, dropped) || (!w->no_attrs && !name_is(n, "body") &&
                                    !name_is(n, "article") &&
                                    !name_is(n, "main") && boilerplate_attr(n)))
            continue;
        int block = name_in(n, blocks);
        if (block)
            end_line(w);
        size_t start = w->out->len, linked0 = w->linked;
        int link = name_is(n, "a");
        if (link)
            w->in_link++;
        walk_node(w, n->children, depth + 1);
        if (link)
            w->in_link--;
        if (block) {
            size_t got = w->out->len - start, links = w->linked - linked0;
            /* a block that is mostly links (menus, "read also" lists) */
            if (got && !w->in_link && links * 2 > got && got < 400 &&
                (name_is(n, "li") || name_is(n, "div") || name_is(n, "p") ||
                 name_is(n, "ul") || name_is(n, "ol") || name_is(n, "td"))) {
                w->out->len = start;
                if (w->out->p)
                    w->out->p[start] = 0;
                w->linked = linked0;
            }
            end_line(w);
        }
    }
}

/* Text of an element (no structure), squeezed, malloc'd; NULL if empty. */
static char *plain_text(const xmlNode *n)
{
    mr_buf b = MR_BUF_INIT;
    walk w = {&b, 0, 0, 0, 1};
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
        add_text(&w, (const char *)n->content);
    else
        walk_node(&w, n->children, 0);
    for (size_t i = 0; i < b.len; i++)
        if (b.p[i] == '\n')
            b.p[i] = ' ';
    if (!b.len) {
        mr_buf_free(&b);
        return NULL;
    }
    return b.p;
}

static size_t text_weight(const xmlNode *n, int depth)
{
    size_t t = 0;
    for (; n && depth < HTML_MAX_DEPTH; n = n->next) {
        if (n->type == XML_TEXT_NODE && n->content)
            t += strlen((const char *)n->content);
        else if (n->type == XML_ELEMENT_NODE && !name_in(n, dropped))
            t += text_weight(n->children, depth + 1);
    }
    return t;
}

/* Metadata gathered in one pass over the tree. */
typedef struct meta {
    char *og_title, *site, *og_url, *canonical, *pub, *ld_date, *ld_title,
        *ld_site, *time_dt, *h1, *title;
    const xmlNode *article, *main, *body;
    size_t article_weight;
} meta;

static void set_once(char **slot, const xmlChar *v)
{
    if (*slot || !v)
        return;
    const char *s = (const char *)v;
    while (*s && isspace((unsigned char)*s))
        s++;
    if (*s)
        *slot = strdup(s);
}

static void json_ld(meta *m, json_object *o, int depth)
{
    if (!o || depth > 8)
        return;
    if (json_object_is_type(o, json_type_array)) {
        size_t n = json_object_array_length(o);
        for (size_t i = 0; i < n && i < 64; i++)
            json_ld(m, json_object_array_get_idx(o, i), depth + 1);
        return;
    }
    if (!json_object_is_type(o, json_type_object))
        return;
    json_object *v;
    if (json_object_object_get_ex(o, "datePublished", &v) &&
        json_object_is_type(v, json_type_string))
        set_once(&m->ld_date, (const xmlChar *)json_object_get_string(v));
    if (json_object_object_get_ex(o, "headline", &v) &&
        json_object_is_type(v, json_type_string))
        set_once(&m->ld_title, (const xmlChar *)json_object_get_string(v));
    if (json_object_object_get_ex(o, "publisher", &v)) {
        json_object *nm;
        if (json_object_is_type(v, json_type_object) &&
            json_object_object_get_ex(v, "name", &nm) &&
            json_object_is_type(nm, json_type_string))
            set_once(&m->ld_site, (const xmlChar *)json_object_get_string(nm));
    }
    if (json_object_object_get_ex(o, "@graph", &v))
        json_ld(m, v, depth + 1);
}

static void scan_meta(meta *m, const xmlNode *n, int depth)
{
    for (; n && depth < HTML_MAX_DEPTH; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (name_is(n, "meta")) {
            xmlChar *prop = xmlGetProp(n, (const xmlChar *)"property");
            if (!prop)
                prop = xmlGetProp(n, (const xmlChar *)"name");
            if (!prop)
                prop = xmlGetProp(n, (const xmlChar *)"itemprop");
            xmlChar *content = xmlGetProp(n, (const xmlChar *)"content");
            if (prop && content) {
                const char *p = (const char *)prop;
                if (!strcasecmp(p, "og:title"))
                    set_once(&m->og_title, content);
                else if (!strcasecmp(p, "og:site_name"))
                    set_once(&m->site, content);
                else if (!strcasecmp(p, "og:url"))
                    set_once(&m->og_url, content);
                else if (!strcasecmp(p, "article:published_time") ||
                         !strcasecmp(p, "datePublished") ||
                         !strcasecmp(p, "pubdate") ||
                         !strcasecmp(p, "publish-date") ||
                         !strcasecmp(p, "date") ||
                         !strcasecmp(p, "dc.date") ||
                         !strcasecmp(p, "dcterms.created"))
                    set_once(&m->pub, content);
            }
            xmlFree(prop);
            xmlFree(content);
        } else if (name_is(n, "link")) {
            xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
            if (rel && !strcasecmp((const char *)rel, "canonical")) {
                xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
                set_once(&m->canonical, href);
                xmlFree(href);
            }
            xmlFree(rel);
        } else if (name_is(n, "script")) {
            xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");
            if (type && !strcasecmp((const char *)type, "application/ld+json") &&
                n->children && n->children->content) {
                json_tokener *tok = json_tokener_new_ex(32);
                if (tok) {
                    const char *js = (const char *)n->children->content;
                    size_t jl = strlen(js);
                    json_object *o = jl < (1u << 24)
                                         ? json_tokener_parse_ex(tok, js, (int)jl)
                                         : NULL;
                    json_ld(m, o, 0);
                    json_object_put(o);
                    json_tokener_free(tok);
                }
            }
            xmlFree(type);
            continue;
        } else if (name_is(n, "time")) {
            xmlChar *dt = xmlGetProp(n, (const xmlChar *)"datetime");
            set_once(&m->time_dt, dt);
            xmlFree(dt);
        } else if (name_is(n, "h1") && !m->h1) {
            m->h1 = plain_text(n);
        } else if (name_is(n, "title") && !m->title) {
            m->title = plain_text(n);
        } else if (name_is(n, "article")) {
            size_t wt = text_weight(n->children, depth);
            if (!m->article || wt > m->article_weight) {
                m->article = n;
                m->article_weight = wt;
            }
        } else if (name_is(n, "main") && !m->main) {
            m->main = n;
        } else if (name_is(n, "body") && !m->body) {
            m->body = n;
        } else if (!m->main) {
            xmlChar *role = xmlGetProp(n, (const xmlChar *)"role");
            if (role && !strcasecmp((const char *)role, "main"))
                m->main = n;
            xmlFree(role);
        }
        if (name_is(n, "svg") || name_is(n, "style"))
            continue;
        scan_meta(m, n->children, depth + 1);
    }
}

static void meta_free(meta *m)
{
    free(m->og_title);
    free(m->site);
    free(m->og_url);
    free(m->canonical);
    free(m->pub);
    free(m->ld_date);
    free(m->ld_title);
    free(m->ld_site);
    free(m->time_dt);
    free(m->h1);
    free(m->title);
}

static char *first_of(char **a, char **b, char **c)
{
    char **slots[3] = {a, b, c};
    for (int i = 0; i < 3; i++)
        if (slots[i] && *slots[i]) {
            char *v = *slots[i];
            *slots[i] = NULL;
            return v;
        }
    return NULL;
}

/* "headline - Site" / "headline | Site" / "Site | headline": the site's
 * name is not part of the title. */
static void strip_site_suffix(char *title, const char *site)
{
    static const char *const seps[] = {" - ", " | ", " \xe2\x80\x93 ",
                                       " \xe2\x80\x94 ", " :: ", NULL};
    size_t tl = strlen(title), sl = strlen(site);
    for (int i = 0; seps[i]; i++) {
        size_t pl = strlen(seps[i]);
        if (tl > sl + pl && !strcmp(title + tl - sl, site) &&
            !memcmp(title + tl - sl - pl, seps[i], pl)) {
            title[tl - sl - pl] = 0;
            return;
        }
        if (tl > sl + pl && !strncmp(title, site, sl) &&
            !memcmp(title + sl, seps[i], pl)) {
            memmove(title, title + sl + pl, tl - sl - pl + 1);
            return;
        }
    }
}

void mr_html_doc_free(mr_html_doc *d)
{
    if (!d)
        return;
    mr_buf_free(&d->text);
    free(d->title);
    free(d->published);
    free(d->outlet);
    free(d->url);
    free(d->lang);
    memset(d, 0, sizeof *d);
}

marsad_status mr_html_extract(const char *s, size_t len, const char *encoding,
                              mr_html_doc *d, const char **why)
{
    memset(d, 0, sizeof *d);
    *why = NULL;
    if (len > (size_t)INT32_MAX) {
        *why = "HTML too large";
        return MARSAD_E_LIMIT;
    }
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt)
        return MARSAD_E_NOMEM;
    htmlDocPtr doc = htmlCtxtReadMemory(
        ctxt, s, (int)len, NULL, encoding,
        HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
            HTML_PARSE_RECOVER | HTML_PARSE_COMPACT);
    const char *emsg = ctxt->lastError.message;
    int too_deep = emsg && strstr(emsg, "Excessive depth") != NULL;
    htmlFreeParserCtxt(ctxt);
    if (too_deep) {
        /* libxml2 stops at 256 levels: the rest of the page is lost, so
         * the page is refused rather than stored cut */
        if (doc)
            xmlFreeDoc(doc);
        *why = "HTML nested deeper than 256 levels (libxml2's limit); "
               "refused";
        return MARSAD_E_LIMIT;
    }
    if (!doc) {
        *why = "HTML could not be parsed";
        return MARSAD_E_INPUT;
    }
    const xmlNode *root = xmlDocGetRootElement(doc);
    meta m;
    memset(&m, 0, sizeof m);
    if (root)
        scan_meta(&m, root, 0);
    const xmlNode *main = m.article ? m.article : m.main ? m.main : m.body;
    walk w = {&d->text, 0, 0, 0, 0};
    const xmlNode *from = main ? main->children : root;
    walk_node(&w, from, 0);
    if (d->text.len < 200 && from) {
        /* a wrapper's class looked like boilerplate: walk again, by
         * element names only */
        size_t weight = text_weight(from, 0);
        if (weight > 2 * d->text.len + 100) {
            mr_buf_clear(&d->text);
            w.no_attrs = 1;
            w.linked = 0;
            walk_node(&w, from, 0);
        }
    }
    /* trim the final newline */
    while (d->text.len && d->text.p[d->text.len - 1] == '\n')
        d->text.p[--d->text.len] = 0;
    d->title = first_of(&m.og_title, &m.ld_title, &m.h1);
    if (!d->title)
        d->title = first_of(&m.title, NULL, NULL);
    d->outlet = first_of(&m.site, &m.ld_site, NULL);
    if (d->title && d->outlet)
        strip_site_suffix(d->title, d->outlet);
    if (root && name_is(root, "html")) {
        xmlChar *lang = xmlGetProp(root, (const xmlChar *)"lang");
        if (lang && *lang && xmlStrlen(lang) < 16)
            d->lang = strdup((const char *)lang);
        xmlFree(lang);
    }
    d->url = first_of(&m.canonical, &m.og_url, NULL);
    char iso[32];
    char *dates[3] = {m.pub, m.ld_date, m.time_dt};
    for (int i = 0; i < 3 && !d->published; i++)
        if (dates[i] && mr_date_to_iso(dates[i], strlen(dates[i]), iso, 32))
            d->published = strdup(iso);
    meta_free(&m);
    xmlFreeDoc(doc);
    return MARSAD_OK;
}

/* Moves a malloc'd string into the report's slot (same allocator). */
static void take(char **slot, char **from)
{
    *slot = *from;
    *from = NULL;
}

void mr_read_html(mr_rctx *c, const char *s, size_t len)
{
    mr_html_doc d;
    const char *why = NULL;
    marsad_status rc = mr_html_extract(s, len, c->legacy ? NULL : "UTF-8", &d, &why);
    if (rc == MARSAD_E_NOMEM) {
        c->fatal = rc;
        return;
    }
    if (rc != MARSAD_OK) {
        mr_push_error(c, rc, 0, "%s", why ? why : "bad HTML");
        return;
    }
    mr_report r;
    memset(&r, 0, sizeof r);
    if (!d.text.p) {
        d.text.p = mr_dup(c, "", 0);
        d.text.len = 0;
    }
    r.text = d.text.p;
    r.text_len = d.text.len;
    d.text.p = NULL;
    take(&r.title, &d.title);
    take(&r.outlet, &d.outlet);
    take(&r.url, &d.url);
    take(&r.published, &d.published);
    take(&r.lang, &d.lang);
    if (r.published)
        r.published_origin = MR_PUB_METADATA;
    mr_html_doc_free(&d);
    mr_push_report(c, &r, 0);
}
