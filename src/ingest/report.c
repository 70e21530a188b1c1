/*
 * report.c: finishing reports (repair, trim, id), the result queue,
 * sniffing and binary detection (report ids and text hashes: text/report.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ingest/internal.h"
#include "text/text.h"

/* ------------------------------------------------------------ context */

static const char *const default_fields[7] = {
    "id,guid,docno",
    "source,outlet,site,site_name,publisher",
    "url,link,href",
    "published,date,pubDate,datePublished,time,timestamp",
    "title,headline",
    "text,content,body,article",
    "lang,language",
};

marsad_status mr_rctx_init(mr_rctx *c, const mr_ingest_opts *opts)
{
    memset(c, 0, sizeof *c);
    if (opts)
        c->o = *opts;
    if (!c->o.max_report)
        c->o.max_report = MR_INGEST_MAX_REPORT;
    if (c->o.max_depth <= 0)
        c->o.max_depth = MR_INGEST_MAX_DEPTH;
    const char *given[7] = {c->o.f_id,    c->o.f_outlet, c->o.f_url,
                            c->o.f_published, c->o.f_title, c->o.f_text,
                            c->o.f_lang};
    for (int i = 0; i < 7; i++) {
        const char *f = given[i] ? given[i] : default_fields[i];
        c->fields[i] = strdup(f);
        if (!c->fields[i])
            return MARSAD_E_NOMEM;
    }
    c->o.f_id = c->fields[0];
    c->o.f_outlet = c->fields[1];
    c->o.f_url = c->fields[2];
    c->o.f_published = c->fields[3];
    c->o.f_title = c->fields[4];
    c->o.f_text = c->fields[5];
    c->o.f_lang = c->fields[6];
    c->fields[7] = strdup(opts && opts->lang && *opts->lang ? opts->lang
                                                            : "ar");
    if (!c->fields[7])
        return MARSAD_E_NOMEM;
    c->o.lang = c->fields[7];
    return MARSAD_OK;
}

void mr_rctx_drop(mr_rctx *c)
{
    for (size_t i = c->qhead; i < c->qlen; i++)
        mr_report_clear(&c->q[i].r);
    c->qhead = c->qlen = 0;
}

void mr_rctx_free(mr_rctx *c)
{
    if (!c)
        return;
    mr_rctx_drop(c);
    free(c->q);
    for (int i = 0; i < 8; i++)
        free(c->fields[i]);
    if (c->tok)
        json_tokener_free(c->tok);
    memset(c, 0, sizeof *c);
}

static mr_result *q_push(mr_rctx *c)
{
    if (c->qhead == c->qlen)
        c->qhead = c->qlen = 0;
    if (c->qlen == c->qcap) {
        size_t cap = c->qcap ? c->qcap * 2 : 8;
        mr_result *q = realloc(c->q, cap * sizeof *q);
        if (!q) {
            c->fatal = MARSAD_E_NOMEM;
            return NULL;
        }
        c->q = q;
        c->qcap = cap;
    }
    mr_result *res = &c->q[c->qlen++];
    memset(res, 0, sizeof *res);
    return res;
}

char *mr_dup(mr_rctx *c, const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) {
        c->fatal = MARSAD_E_NOMEM;
        return NULL;
    }
    if (n)
        memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void mr_push_error(mr_rctx *c, marsad_status code, unsigned long line,
                   const char *fmt, ...)
{
    c->st.rejected++;
    mr_result *res = q_push(c);
    if (!res)
        return;
    res->rc = code;
    res->e.code = code;
    res->e.line = line;
    snprintf(res->e.input, sizeof res->e.input, "%s", c->name ? c->name : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->e.message, sizeof res->e.message, fmt, ap);
    va_end(ap);
}

/* Replaces *p by a valid UTF-8 copy when it has invalid sequences. */
static size_t repair(mr_rctx *c, char **p, size_t *len)
{
    if (!*p)
        return 0;
    size_t n = len ? *len : strlen(*p);
    size_t bad = marsad_utf8_count_invalid(*p, n);
    if (!bad)
        return 0;
    size_t need = marsad_utf8_repair(*p, n, NULL, 0, NULL);
    char *q = malloc(need + 1);
    if (!q) {
        c->fatal = MARSAD_E_NOMEM;
        return 0;
    }
    marsad_utf8_repair(*p, n, q, need, NULL);
    q[need] = 0;
    free(*p);
    *p = q;
    if (len)
        *len = need;
    return bad;
}

/* Trims ASCII and Unicode white space at both ends, in place; collapses
 * runs of white space (newlines included) inside to one space. */
static void squeeze(char *s)
{
    if (!s)
        return;
    size_t r = 0, w = 0, n = strlen(s);
    int sp = 0;
    while (r < n) {
        uint32_t cp;
        size_t k = marsad_utf8_decode(s + r, n - r, &cp);
        if (mr_cp_is_space(cp)) {
            sp = w > 0;
            r += k;
            continue;
        }
        if (sp)
            s[w++] = ' ';
        sp = 0;
        memmove(s + w, s + r, k);
        w += k;
        r += k;
    }
    s[w] = 0;
}

static void empty_to_null(char **p)
{
    if (*p && !**p) {
        free(*p);
        *p = NULL;
    }
}

void mr_push_report(mr_rctx *c, mr_report *r, unsigned long line)
{
    if (c->fatal) {
        mr_report_clear(r);
        return;
    }
    if (!r->text) {
        r->text = mr_dup(c, "", 0);
        r->text_len = 0;
        if (!r->text) {
            mr_report_clear(r);
            return;
        }
    }
    /* a NUL inside the text (a JSON "\u0000") would cut C strings */
    for (char *z = memchr(r->text, 0, r->text_len); z;
         z = memchr(z, 0, r->text_len - (size_t)(z - r->text)))
        *z = ' ';
    size_t bad = repair(c, &r->text, &r->text_len);
    char **fields[] = {&r->source_id, &r->outlet, &r->url, &r->published,
                       &r->title, &r->lang};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        bad += repair(c, fields[i], NULL);
        squeeze(*fields[i]);
        empty_to_null(fields[i]);
    }
    if (c->fatal) {
        mr_report_clear(r);
        return;
    }
    int has_text = 0;
    for (size_t i = 0; i < r->text_len && !has_text; i++)
        has_text = !isspace((unsigned char)r->text[i]);
    if (!has_text && !r->title) {
        mr_report_clear(r);
        mr_push_error(c, MARSAD_E_INPUT, line, "no text and no title");
        return;
    }
    r->invalid_utf8 = bad;
    r->line = line;
    if (!r->lang)
        r->lang = mr_dup(c, c->o.lang, strlen(c->o.lang));
    r->file = mr_dup(c, c->name ? c->name : "", strlen(c->name ? c->name : ""));
    char id[17];
    mr_report_make_id(r->outlet, r->url, r->text, r->text_len, id);
    r->id = mr_dup(c, id, 16);
    mr_result *res = c->fatal ? NULL : q_push(c);
    if (!res) {
        mr_report_clear(r);
        return;
    }
    res->rc = MARSAD_OK;
    res->r = *r;
    memset(r, 0, sizeof *r);
    c->st.reports++;
    c->st.invalid_utf8 += bad;
}

/* ------------------------------------------------------------ sniffing */

static int starts_ci(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    if (len < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != lit[i])
            return 0;
    return 1;
}

static int contains_ci(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    for (size_t i = 0; i + n <= len; i++)
        if (starts_ci(s + i, len - i, lit))
            return 1;
    return 0;
}

mr_format mr_sniff(const char *s, size_t len)
{
    if (len >= 3 && (unsigned char)s[0] == 0xEF &&
        (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
        s += 3, len -= 3;
    while (len && isspace((unsigned char)*s))
        s++, len--;
    if (!len)
        return MR_FMT_TXT;
    if (*s == '{' || *s == '[') {
        /* JSON only when what follows is: {"..." or [{ or [] */
        size_t j = 1;
        while (j < len && isspace((unsigned char)s[j]))
            j++;
        char next = j < len ? s[j] : 0;
        if (*s == '{' && (next == '"' || next == '}'))
            return MR_FMT_JSONL;
        if (*s == '[' && (next == '{' || next == ']'))
            return MR_FMT_JSON;
        return MR_FMT_TXT;
    }
    if (*s != '<')
        return MR_FMT_TXT;
    size_t look = len < 4096 ? len : 4096;
    if (starts_ci(s, len, "<doc>") || starts_ci(s, len, "<doc "))
        return MR_FMT_TREC;
    if (starts_ci(s, len, "<!doctype html") || starts_ci(s, len, "<html"))
        return MR_FMT_HTML;
    /* past an XML declaration, comments, a DOCTYPE: the first element */
    for (size_t i = 0; i + 1 < look; i++) {
        if (s[i] != '<')
            continue;
        char ch = s[i + 1];
        if (ch == '?' || ch == '!')
            continue;
        if (!isalpha((unsigned char)ch))
            return MR_FMT_TXT; /* "<<عنوان>>" is text, not markup */
        const char *e = s + i, *end = s + look;
        size_t rest = (size_t)(end - e);
        if (starts_ci(e, rest, "<rss") || starts_ci(e, rest, "<feed") ||
            starts_ci(e, rest, "<rdf:rdf"))
            return MR_FMT_FEED;
        if (starts_ci(e, rest, "<doc"))
            return MR_FMT_TREC;
        return MR_FMT_HTML;
    }
    return contains_ci(s, look, "<html") ? MR_FMT_HTML : MR_FMT_TXT;
}

const char *mr_binary_reason(const char *s, size_t len)
{
    size_t n = len < 65536 ? len : 65536, ctrl = 0;
    if (len >= 2 && (((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE) ||
                     ((unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF)))
        return "UTF-16 text (marsad reads UTF-8: convert it first, e.g. with "
               "iconv)";
    /* gzip that was not decompressed (a corrupt stream), or a NUL */
    if (memchr(s, 0, n))
        return "binary file (NUL bytes)";
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 32 && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\f' &&
            ch != '\v' && ch != 27)
            ctrl++;
    }
    if (n && ctrl * 20 > n)
        return "binary file (control bytes)";
    /* count invalid sequences, ignoring one cut at the window's end */
    size_t cut = n;
    while (cut > 0 && n - cut < 4 && ((unsigned char)s[cut - 1] & 0xC0) == 0x80)
        cut--;
    if (cut > 0 && n - cut < 4 && (unsigned char)s[cut - 1] >= 0xC0)
        cut--;
    if (n < len && cut > 0)
        n = cut;
    size_t bad = marsad_utf8_count_invalid(s, n);
    if (n >= 16 && bad * 4 > n / 2)
        return "binary file, or text not in UTF-8 (mostly invalid UTF-8; "
               "convert it first, e.g. iconv -f WINDOWS-1256 -t UTF-8)";
    return NULL;
}

int mr_legacy_charset(const char *s, size_t len)
{
    size_t look = len < 4096 ? len : 4096;
    static const char *const keys[] = {"charset=", "encoding="};
    for (int k = 0; k < 2; k++) {
        size_t kl = strlen(keys[k]);
        for (size_t i = 0; i + kl < look; i++) {
            if (!starts_ci(s + i, look - i, keys[k]))
                continue;
            size_t j = i + kl;
            while (j < look && (s[j] == '"' || s[j] == '\'' || s[j] == ' '))
                j++;
            char name[32];
            size_t n = 0;
            while (j < look && n + 1 < sizeof name &&
                   (isalnum((unsigned char)s[j]) || s[j] == '-' || s[j] == '_'))
                name[n++] = (char)tolower((unsigned char)s[j++]);
            name[n] = 0;
            if (n && strcmp(name, "utf-8") && strcmp(name, "utf8"))
                return 1;
        }
    }
    return 0;
}

const char *mr_check_text(const char *s, size_t len, mr_format fmt,
                          int *legacy)
{
    *legacy = 0;
    const char *why = mr_binary_reason(s, len);
    if (why && strstr(why, "not in UTF-8") &&
        (fmt == MR_FMT_HTML || fmt == MR_FMT_FEED) &&
        mr_legacy_charset(s, len)) {
        *legacy = 1;
        return NULL;
    }
    return why;
}
