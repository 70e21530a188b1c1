/*
 * report.c: releasing a report, report ids and text hashes (text/report.h):
 * what the readers that make reports and the store that keeps them share.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/report.h"
#include "text/text.h"

void mr_report_clear(mr_report *r)
{
    if (!r)
        return;
    free(r->id);
    free(r->source_id);
    free(r->outlet);
    free(r->url);
    free(r->published);
    free(r->title);
    free(r->text);
    free(r->lang);
    free(r->file);
    memset(r, 0, sizeof *r);
}

static char *dup0(const char *s)
{
    return s ? strdup(s) : NULL;
}

int mr_report_copy(mr_report *d, const mr_report *s)
{
    memset(d, 0, sizeof *d);
    d->id = dup0(s->id);
    d->source_id = dup0(s->source_id);
    d->outlet = dup0(s->outlet);
    d->url = dup0(s->url);
    d->published = dup0(s->published);
    d->published_origin = s->published_origin;
    d->title = dup0(s->title);
    d->text = malloc(s->text_len + 1);
    if (d->text) {
        memcpy(d->text, s->text ? s->text : "", s->text_len);
        d->text[s->text_len] = 0;
    }
    d->text_len = s->text_len;
    d->lang = dup0(s->lang);
    d->file = dup0(s->file);
    d->line = s->line;
    d->invalid_utf8 = s->invalid_utf8;
    if (!d->id || !d->text || (s->source_id && !d->source_id) ||
        (s->outlet && !d->outlet) || (s->url && !d->url) ||
        (s->published && !d->published) || (s->title && !d->title) ||
        (s->lang && !d->lang) || (s->file && !d->file)) {
        mr_report_clear(d);
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------ hashing */

/* FNV-1a 64 over bytes, then a splitmix64 finaliser for avalanche. */
typedef struct hasher {
    uint64_t h;
} hasher;

static void h_init(hasher *h, uint64_t seed)
{
    h->h = MR_FNV64_INIT ^ seed;
}

static void h_add(hasher *h, const void *p, size_t n)
{
    h->h = mr_fnv64(h->h, p, n);
}

static void h_hex(const hasher *h, char out[17])
{
    uint64_t z = mr_mix64(h->h);
    snprintf(out, 17, "%016llx", (unsigned long long)z);
}

int mr_cp_is_space(uint32_t cp)
{
    return cp == ' ' || (cp >= 9 && cp <= 13) || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Feeds the normalised text, white space collapsed and trimmed. */
static void h_add_norm(hasher *h, const char *s, size_t len)
{
    int pending_space = 0, any = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = marsad_utf8_decode(s + i, len - i, &cp);
        i += k;
        if (mr_cp_is_space(cp)) {
            pending_space = any;
            continue;
        }
        uint32_t out[MR_NORM_MAX_OUT];
        int m = mr_norm_cp(cp, 0, out);
        for (int j = 0; j < m; j++) {
            if (mr_cp_is_space(out[j])) {
                pending_space = any;
                continue;
            }
            if (pending_space)
                h_add(h, " ", 1);
            pending_space = 0;
            any = 1;
            char b[4];
            size_t e = mr_utf8_encode(out[j], b);
            h_add(h, b, e);
        }
    }
}

marsad_status mr_text_hash(const char *text, size_t len, char out[17])
{
    if (!out || (!text && len))
        return MARSAD_E_ARG;
    hasher h;
    h_init(&h, 0x74657874); /* "text" */
    h_add_norm(&h, text ? text : "", len);
    h_hex(&h, out);
    return MARSAD_OK;
}

marsad_status mr_report_make_id(const char *outlet, const char *url,
                                const char *text, size_t text_len,
                                char out[17])
{
    if (!out)
        return MARSAD_E_ARG;
    if (!url || !*url)
        return mr_text_hash(text, text_len, out);
    hasher h;
    h_init(&h, 0x75726c); /* "url" */
    if (outlet)
        h_add_norm(&h, outlet, strlen(outlet));
    h_add(&h, "\n", 1);
    /* url: no scheme, no "www.", host lower-cased, no fragment, no
     * trailing slash */
    const char *u = url;
    while (*u && isspace((unsigned char)*u))
        u++;
    const char *sep = strstr(u, "://");
    if (sep && sep - u <= 10)
        u = sep + 3;
    if (strncmp(u, "www.", 4) == 0 || strncmp(u, "WWW.", 4) == 0)
        u += 4;
    size_t n = strcspn(u, "#");
    while (n && (isspace((unsigned char)u[n - 1]) || u[n - 1] == '/'))
        n--;
    size_t host = strcspn(u, "/?");
    for (size_t i = 0; i < n; i++) {
        char ch = u[i];
        if (i < host)
            ch = (char)tolower((unsigned char)ch);
        h_add(&h, &ch, 1);
    }
    h_hex(&h, out);
    return MARSAD_OK;
}

