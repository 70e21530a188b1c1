/*
 * read_txt.c: a plain text file is one report.
 *
 * text is the whole file, byte-exact (so the facts' offsets index the file;
 * only invalid UTF-8 is repaired). From the top: a dateline ("الخميس 28
 * مارس 2024") gives `published` (MR_PUB_DATELINE: often the page's display
 * date); a one- or two-word section label ("سياسة") is passed over; the
 * first other non-empty line is the title. A credit line ("المصدر: مصراوي")
 * anywhere, last one wins, gives the outlet.
 */
#include <ctype.h>
#include <string.h>

#include "ingest/internal.h"

#define TITLE_MAX 400 /* bytes; a first line longer than this is a lead */

typedef struct line {
    const char *s;
    size_t n;
} line;

static int is_ws(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

static line trim(const char *s, size_t n)
{
    while (n && is_ws((unsigned char)*s))
        s++, n--;
    /* U+00A0, U+200F (RLM), U+200E, U+FEFF at the edges */
    for (;;) {
        if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
            s += 2, n -= 2;
        else if (n >= 3 && (unsigned char)s[0] == 0xE2 &&
                 (unsigned char)s[1] == 0x80 &&
                 ((unsigned char)s[2] == 0x8E || (unsigned char)s[2] == 0x8F))
            s += 3, n -= 3;
        else if (n >= 3 && (unsigned char)s[0] == 0xEF &&
                 (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
            s += 3, n -= 3;
        else if (n && is_ws((unsigned char)*s))
            s++, n--;
        else
            break;
    }
    while (n && is_ws((unsigned char)s[n - 1]))
        n--;
    line l = {s, n};
    return l;
}

static size_t count_words(const char *s, size_t n)
{
    size_t w = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = is_ws((unsigned char)s[i]);
        if (!sp && !in)
            w++;
        in = !sp;
    }
    return w;
}

/* Ends like a sentence or a headline with a colon: not a section label. */
static int has_punct(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strchr(".:!?\"()", s[i]))
            return 1;
    return mr_memmem(s, n, "\xd8\x8c", 2) != NULL || /* ، */
           mr_memmem(s, n, "\xd8\x9f", 2) != NULL;   /* ؟ */
}

/* A headline: not long, and not ended like a sentence. */
static int looks_like_headline(line l)
{
    if (l.n > 300 || l.n == 0)
        return 0;
    char last = l.s[l.n - 1];
    return last != '.' && last != ':' && !(l.n >= 2 &&
                                           (unsigned char)l.s[l.n - 2] == 0xD8 &&
                                           (unsigned char)l.s[l.n - 1] == 0x8C);
}

/* Cuts a too-long first line at a word boundary. */
static size_t title_len(const char *s, size_t n)
{
    if (n <= TITLE_MAX)
        return n;
    size_t cut = TITLE_MAX;
    while (cut > 0 && s[cut] != ' ')
        cut--;
    if (cut == 0) {
        cut = TITLE_MAX;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
    }
    return cut;
}

/* Credit cues: "المصدر", "مصدر الخبر", "Source", each followed by ':' */
static const char *const credit_cues[] = {
    "\xd8\xa7\xd9\x84\xd9\x85\xd8\xb5\xd8\xaf\xd8\xb1", /* المصدر */
    ("\xd9\x85\xd8\xb5\xd8\xaf\xd8\xb1 \xd8\xa7\xd9\x84\xd8\xae\xd8\xa8"
     "\xd8\xb1"),                                     /* مصدر الخبر */
    "Source", "source", "SOURCE",
};

/* The outlet named after a cue at s[0..n) (s is past the colon). */
static line credit_value(const char *s, size_t n)
{
    line v = trim(s, n);
    size_t end = 0, words = 0;
    int in = 0;
    while (end < v.n) {
        unsigned char ch = (unsigned char)v.s[end];
        if (ch == '\n' || ch == '.' || ch == ',' || ch == '|' || ch == ';' ||
            ch == '(' || ch == ')' || ch == '\t')
            break;
        if (ch == 0xD8 && end + 1 < v.n &&
            ((unsigned char)v.s[end + 1] == 0x8C ||
             (unsigned char)v.s[end + 1] == 0x9B))
            break; /* ، ؛ */
        if (ch == ' ' && end + 1 < v.n && v.s[end + 1] == ' ')
            break; /* two spaces: the next text glued on */
        if (ch == '-' && end > 0 && v.s[end - 1] == ' ')
            break; /* "مصراوي - القاهرة" */
        if (ch == 0xE2 && end + 2 < v.n && (unsigned char)v.s[end + 1] == 0x80 &&
            ((unsigned char)v.s[end + 2] == 0x93 ||
             (unsigned char)v.s[end + 2] == 0x94))
            break; /* – — */
        int sp = ch == ' ';
        if (!sp && !in) {
            if (++words > 3)
                break;
        }
        in = !sp;
        end++;
    }
    return trim(v.s, end);
}

/* Finds the last credit line; returns its value or {NULL, 0}. */
static line find_credit(const char *s, size_t len)
{
    line best = {NULL, 0};
    for (size_t c = 0; c < sizeof credit_cues / sizeof credit_cues[0]; c++) {
        const char *cue = credit_cues[c];
        size_t cl = strlen(cue);
        const char *p = s, *end = s + len;
        while (p < end) {
            const char *hit = mr_memmem(p, (size_t)(end - p), cue, cl);
            if (!hit)
                break;
            p = hit + cl;
            /* at the start of a line, or after a sentence's end */
            const char *b = hit;
            while (b > s && is_ws((unsigned char)b[-1]))
                b--;
            int at_start = b == s || b[-1] == '\n' || b[-1] == '.' ||
                           b[-1] == '!' || b[-1] == '"' ||
                           (b - s >= 2 && (unsigned char)b[-2] == 0xC2 &&
                            (unsigned char)b[-1] == 0xBB); /* » */
            if (!at_start)
                continue;
            const char *q = p;
            while (q < end && is_ws((unsigned char)*q))
                q++;
            if (q < end && (*q == ':' || *q == '-'))
                q++;
            else if (end - q >= 3 && (unsigned char)q[0] == 0xEF &&
                     (unsigned char)q[1] == 0xBC &&
                     (unsigned char)q[2] == 0x9A)
                q += 3; /* fullwidth colon */
            else
                continue;
            const char *eol = memchr(q, '\n', (size_t)(end - q));
            line v = credit_value(q, (size_t)((eol ? eol : end) - q));
            if (v.n && (!best.s || v.s > best.s))
                best = v;
        }
    }
    return best;
}

void mr_read_txt(mr_rctx *c, const char *s, size_t len)
{
    mr_report r;
    memset(&r, 0, sizeof r);
    r.text = mr_dup(c, s, len);
    r.text_len = len;
    if (!r.text)
        return;
    size_t i = 0, seen = 0;
    line lines[8];
    size_t nl = 0;
    /* the first few non-empty lines */
    while (i < len && nl < 8) {
        const char *e = memchr(s + i, '\n', len - i);
        size_t n = e ? (size_t)(e - (s + i)) : len - i;
        line l = trim(s + i, n);
        if (l.n)
            lines[nl++] = l;
        i += n + 1;
    }
    char iso[32];
    for (size_t k = 0; k < nl && !r.title; k++) {
        line l = lines[k];
        if (!r.published && seen < 3 && mr_dateline(l.s, l.n, iso)) {
            r.published = mr_dup(c, iso, strlen(iso));
            r.published_origin = MR_PUB_DATELINE;
            seen++;
            continue;
        }
        seen++;
        if (k + 1 < nl && count_words(l.s, l.n) <= 2 && l.n <= 40 &&
            !has_punct(l.s, l.n) && looks_like_headline(lines[k + 1]))
            continue; /* a section label such as "سياسة" over a headline */
        r.title = mr_dup(c, l.s, title_len(l.s, l.n));
    }
    if (!r.title && nl)
        r.title = mr_dup(c, lines[0].s, title_len(lines[0].s, lines[0].n));
    line credit = find_credit(s, len);
    if (credit.n)
        r.outlet = mr_dup(c, credit.s, credit.n);
    mr_push_report(c, &r, 0);
}
