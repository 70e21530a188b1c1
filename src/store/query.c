/*
 * query.c: the user query language of `marsad search`, translated into an
 * FTS5 MATCH expression.
 *
 *   words           every word must occur (AND)
 *   "a phrase"      the words in this order (an unclosed quote runs to the
 *                   end of the query)
 *   -word -"phr"    must not occur
 *   a OR b          either (binds the items on each side of it)
 *   a AND b         both: the same as "a b"
 *   word*           a word beginning so (not stemmed, see fts.c)
 *   title:word      in the title only (also title:"a phrase", title:w*);
 *   text:word       in the body only
 *
 * Refused with a message (MARSAD_E_INPUT): NEAR (FTS5's proximity, which
 * this language does not have: a "phrase" is the closest), and any other
 * field than title: and text: (outlet and dates are options of search).
 *
 * Safety: user text never reaches FTS5's own syntax. Each item becomes an
 * FTS5 string in double quotes (any '"' in it doubled), and operators are
 * written by this file alone: ("a") AND ("b" OR "c") NOT ("d"). Items
 * with no indexable token (a lone comma) are dropped, so FTS5 never sees an
 * empty phrase. Bounded: MR_QUERY_MAX_BYTES, MR_QUERY_MAX_TERMS.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "store/store.h"
#include "text/text.h"

typedef struct item {
    const char *s;
    size_t n;
    int neg, prefix, or_prev;
    const char *col; /* "title", "text" or NULL (both) */
} item;

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v' || c == '\0';
}

/* True when s[0..n) holds at least one token the index keeps. */
static int has_terms(marsad_tokenizer *kt, const char *s, size_t n)
{
    marsad_tokenizer_reset(kt, s, n);
    marsad_token tok;
    while (marsad_tokenizer_next(kt, &tok))
        if (mr_fts_indexable(tok.kind))
            return 1;
    return 0;
}

static marsad_status put_item(mr_buf *out, const item *it)
{
    marsad_status rc = MARSAD_OK;
    if (it->col) { /* FTS5's column filter: title : "..." */
        rc = mr_buf_adds(out, it->col);
        if (rc == MARSAD_OK)
            rc = mr_buf_adds(out, " : ");
    }
    if (rc == MARSAD_OK)
        rc = mr_buf_addc(out, '"');
    for (size_t i = 0; rc == MARSAD_OK && i < it->n; i++) {
        char c = it->s[i];
        if (c == '\0')
            c = ' ';
        rc = c == '"' ? mr_buf_add(out, "\"\"", 2) : mr_buf_addc(out, c);
    }
    if (rc == MARSAD_OK)
        rc = mr_buf_adds(out, it->prefix ? "\" *" : "\"");
    return rc;
}

static void set_err(marsad_error *err, marsad_status code, const char *msg)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->code = code;
    snprintf(err->input, sizeof err->input, "query");
    snprintf(err->message, sizeof err->message, "%s", msg);
}

marsad_status mr_query_to_fts(const char *q, size_t len, mr_buf *out,
                              marsad_error *err)
{
    if (!q || !out) {
        set_err(err, MARSAD_E_ARG, "no query");
        return MARSAD_E_ARG;
    }
    mr_buf_clear(out);
    if (len > MR_QUERY_MAX_BYTES) {
        set_err(err, MARSAD_E_LIMIT, "the query is longer than 4096 bytes");
        return MARSAD_E_LIMIT;
    }
    /* Invalid UTF-8 is repaired first, so the expression is valid text. */
    char fixed[MR_QUERY_MAX_BYTES * 3 + 1];
    size_t need = marsad_utf8_repair(q, len, fixed, sizeof fixed - 1, NULL);
    if (need >= sizeof fixed) {
        set_err(err, MARSAD_E_LIMIT, "the query is too long");
        return MARSAD_E_LIMIT;
    }
    fixed[need] = 0;
    const char *s = fixed;
    len = need;

    item items[MR_QUERY_MAX_TERMS];
    size_t n = 0;
    int pending_or = 0;
    size_t i = 0;
    while (i < len) {
        if (is_blank(s[i])) {
            i++;
            continue;
        }
        item it = {0};
        if (s[i] == '-' && i + 1 < len && !is_blank(s[i + 1])) {
            it.neg = 1;
            i++;
        }
        /* a field: ASCII letters and ':' before the item */
        size_t f = i;
        while (f < len && f - i < 16 &&
               ((s[f] >= 'a' && s[f] <= 'z') || (s[f] >= 'A' && s[f] <= 'Z')))
            f++;
        if (f > i && f + 1 < len && s[f] == ':' && !is_blank(s[f + 1])) {
            if (f - i == 5 && strncasecmp(s + i, "title", 5) == 0)
                it.col = "title";
            else if (f - i == 4 && strncasecmp(s + i, "text", 4) == 0)
                it.col = "text";
            else {
                char msg[128];
                snprintf(msg, sizeof msg,
                         "unknown field '%.*s:': the fields are title: and "
                         "text: (outlet and dates are options of search)",
                         (int)(f - i), s + i);
                set_err(err, MARSAD_E_INPUT, msg);
                return MARSAD_E_INPUT;
            }
            i = f + 1;
        }
        if (s[i] == '"') {
            size_t a = ++i;
            while (i < len && s[i] != '"')
                i++;
            it.s = s + a;
            it.n = i - a;
            if (i < len)
                i++; /* the closing quote */
            if (i < len && s[i] == '*') {
                it.prefix = 1;
                while (i < len && s[i] == '*')
                    i++;
            }
        } else {
            size_t a = i;
            while (i < len && !is_blank(s[i]) && s[i] != '"')
                i++;
            it.s = s + a;
            it.n = i - a;
            if (!it.neg && !it.col && it.n == 2 &&
                memcmp(it.s, "OR", 2) == 0) {
                pending_or = n > 0;
                continue;
            }
            if (!it.neg && !it.col && it.n == 3 &&
                memcmp(it.s, "AND", 3) == 0)
                continue; /* words are all required anyway */
            if (it.n >= 4 && memcmp(it.s, "NEAR", 4) == 0 &&
                (it.n == 4 || it.s[4] == '(' || it.s[4] == '/')) {
                set_err(err, MARSAD_E_INPUT,
                        "NEAR is not part of the query language: give the "
                        "words (all must occur) or \"a phrase\" (in this "
                        "order)");
                return MARSAD_E_INPUT;
            }
            while (it.n && it.s[it.n - 1] == '*') {
                it.prefix = 1;
                it.n--;
            }
        }
        it.or_prev = pending_or && !it.neg;
        pending_or = 0;
        if (n == MR_QUERY_MAX_TERMS) {
            set_err(err, MARSAD_E_LIMIT, "the query has more than 64 items");
            return MARSAD_E_LIMIT;
        }
        items[n++] = it;
    }

    /* Drop items with nothing indexable. */
    marsad_tokenizer *kt;
    if (marsad_tokenizer_new(&kt, MARSAD_TOKENIZE_NO_STEM) != MARSAD_OK) {
        set_err(err, MARSAD_E_NOMEM, "out of memory");
        return MARSAD_E_NOMEM;
    }
    size_t k = 0, npos = 0;
    for (size_t j = 0; j < n; j++) {
        if (!has_terms(kt, items[j].s, items[j].n)) {
            /* "a OR , b": the OR carries over to the next item */
            if (items[j].or_prev && j + 1 < n && !items[j + 1].neg)
                items[j + 1].or_prev = 1;
            continue;
        }
        items[k] = items[j];
        if (k == 0 || items[k - 1].neg)
            items[k].or_prev = 0;
        npos += !items[k].neg;
        k++;
    }
    marsad_tokenizer_free(kt);
    n = k;
    if (npos == 0) {
        set_err(err, MARSAD_E_INPUT,
                n ? "the query excludes words but names none to look for"
                  : "the query has no word to look for");
        return MARSAD_E_INPUT;
    }

    /* Positive items: groups joined by AND, OR inside a group. */
    marsad_status rc = MARSAD_OK;
    int first = 1;
    for (size_t j = 0; rc == MARSAD_OK && j < n; j++) {
        if (items[j].neg)
            continue;
        if (!items[j].or_prev) {
            if (!first)
                rc = mr_buf_adds(out, ") AND ");
            if (rc == MARSAD_OK)
                rc = mr_buf_addc(out, '(');
        } else {
            rc = mr_buf_adds(out, " OR ");
        }
        first = 0;
        if (rc == MARSAD_OK)
            rc = put_item(out, &items[j]);
    }
    if (rc == MARSAD_OK)
        rc = mr_buf_addc(out, ')');
    int neg_first = 1;
    for (size_t j = 0; rc == MARSAD_OK && j < n; j++) {
        if (!items[j].neg)
            continue;
        rc = mr_buf_adds(out, neg_first ? " NOT (" : " OR ");
        neg_first = 0;
        if (rc == MARSAD_OK)
            rc = put_item(out, &items[j]);
    }
    if (rc == MARSAD_OK && !neg_first)
        rc = mr_buf_addc(out, ')');
    if (rc != MARSAD_OK)
        set_err(err, rc, "out of memory");
    return rc;
}
