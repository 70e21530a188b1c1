/*
 * xutil.c: shared helpers of the figure and source extractors.
 */
#include <stdlib.h>
#include <string.h>

#include "extract/xutil.h"

/* Normalised (UTF-8) prefixes, longest first within each class. */
static const char *const conj_p[] = {"\xd9\x88", "\xd9\x81"}; /* و ف */
static const char *const art_p[] = {
    "\xd9\x88\xd8\xa7\xd9\x84", /* وال */
    "\xd9\x81\xd8\xa7\xd9\x84", /* فال */
    "\xd8\xa8\xd8\xa7\xd9\x84", /* بال */
    "\xd9\x83\xd8\xa7\xd9\x84", /* كال */
    "\xd9\x84\xd9\x84",         /* لل */
    "\xd8\xa7\xd9\x84"};        /* ال */
static const char *const prep_p[] = {
    "\xd9\x88\xd8\xa8", "\xd9\x88\xd9\x84", /* وب ول */
    "\xd8\xa8", "\xd9\x84"};                /* ب ل */

static long try_form(const mr_lex *lx, const char *s, size_t n, unsigned allow)
{
    long r = mr_lex_find(lx, s, n);
    if (r >= 0)
        return r;
    /* tanween alef: a final ا after at least two letters */
    if ((allow & MR_X_TANWEEN) && n > 6 && s[n - 2] == '\xd8' &&
        s[n - 1] == '\xa7')
        return mr_lex_find(lx, s, n - 2);
    return -1;
}

long mr_x_lookup(const mr_lex *lx, const mr_toks *tv, size_t i, unsigned allow,
                 size_t *peeled)
{
    if (peeled)
        *peeled = 0;
    if (i >= tv->n)
        return -1;
    const char *s = mr_tok_norm(tv, i);
    size_t n = tv->v[i].norm_len;
    long r = try_form(lx, s, n, allow);
    if (r >= 0)
        return r;
    const char *const *sets[3] = {conj_p, art_p, prep_p};
    size_t counts[3] = {2, 6, 4};
    unsigned bits[3] = {MR_X_CONJ, MR_X_ART, MR_X_PREP};
    for (int c = 0; c < 3; c++) {
        if (!(allow & bits[c]))
            continue;
        for (size_t k = 0; k < counts[c]; k++) {
            size_t pl = strlen(sets[c][k]);
            if (n < pl + 4 || memcmp(s, sets[c][k], pl) != 0)
                continue;
            r = try_form(lx, s + pl, n - pl, allow);
            if (r < 0 && c == 0 && (allow & MR_X_ART)) {
                /* و + ال: peel both */
                const char *t = s + pl;
                size_t m = n - pl;
                if (m > 8 && memcmp(t, "\xd8\xa7\xd9\x84", 4) == 0) {
                    r = try_form(lx, t + 4, m - 4, allow);
                    if (r >= 0)
                        pl += 4;
                }
            }
            if (r >= 0) {
                if (peeled)
                    *peeled = pl;
                return r;
            }
        }
    }
    return -1;
}

bool mr_x_is(const mr_toks *tv, size_t i, const char *w)
{
    return i < tv->n && mr_x_streq(mr_tok_norm(tv, i), w);
}

bool mr_x_is_c(const mr_toks *tv, size_t i, const char *w)
{
    if (i >= tv->n)
        return false;
    const char *s = mr_tok_norm(tv, i);
    if (mr_x_streq(s, w))
        return true;
    if ((memcmp(s, "\xd9\x88", 2) == 0 || memcmp(s, "\xd9\x81", 2) == 0) &&
        mr_x_streq(s + 2, w))
        return true;
    return false;
}

bool mr_x_break_before(const mr_toks *tv, const char *text, size_t i)
{
    if (i == 0 || i >= tv->n)
        return i == 0;
    for (uint32_t p = tv->v[i - 1].end; p < tv->v[i].start; p++)
        if (text[p] == '\n')
            return true;
    return false;
}

bool mr_x_sent_end(const mr_toks *tv, const char *text, size_t len, size_t i)
{
    if (i >= tv->n)
        return true;
    if (i + 1 >= tv->n)
        return true;
    if (mr_x_break_before(tv, text, i + 1))
        return true;
    (void)len;
    if (tv->v[i].kind != MARSAD_TOK_PUNCT)
        return false;
    const char *s = mr_tok_norm(tv, i);
    return strcmp(s, ".") == 0 || strcmp(s, "!") == 0 ||
           strcmp(s, "?") == 0 || strcmp(s, "\xd8\x9f") == 0 ||
           strcmp(s, "\xe2\x80\xa6") == 0;
}

bool mr_x_clause_punct(const mr_toks *tv, size_t i)
{
    if (i >= tv->n || tv->v[i].kind != MARSAD_TOK_PUNCT)
        return false;
    const char *s = mr_tok_norm(tv, i);
    return strcmp(s, ",") == 0 || strcmp(s, "\xd8\x8c") == 0 ||
           strcmp(s, ";") == 0 || strcmp(s, "\xd8\x9b") == 0 ||
           strcmp(s, ":") == 0 || strcmp(s, ".") == 0 ||
           strcmp(s, "!") == 0 || strcmp(s, "?") == 0 ||
           strcmp(s, "\xd8\x9f") == 0;
}

bool mr_x_joiner(const mr_toks *tv, const char *text, size_t i)
{
    if (i == 0 || i + 1 >= tv->n)
        return false;
    const mr_tok *t = &tv->v[i], *a = &tv->v[i - 1], *b = &tv->v[i + 1];
    return t->kind == MARSAD_TOK_PUNCT && t->end == t->start + 1 && text[t->start] == '_' &&
           (a->kind == MARSAD_TOK_ARABIC || a->kind == MARSAD_TOK_LATIN) &&
           (b->kind == MARSAD_TOK_ARABIC || b->kind == MARSAD_TOK_LATIN) &&
           a->end == t->start && b->start == t->end;
}

bool mr_x_quote_punct(const mr_toks *tv, size_t i)
{
    if (i >= tv->n || tv->v[i].kind != MARSAD_TOK_PUNCT)
        return false;
    const char *s = mr_tok_norm(tv, i);
    static const char *const q[] = {"\"", "'", "(", ")", "[", "]",
                                    "\xc2\xab", "\xc2\xbb", "\xe2\x80\x9c",
                                    "\xe2\x80\x9d", "\xe2\x80\x98",
                                    "\xe2\x80\x99", "\xe2\x80\x9e",
                                    "#"}; /* a hashtag's mark: #عفرين */
    for (size_t k = 0; k < sizeof q / sizeof q[0]; k++)
        if (mr_x_streq(s, q[k]))
            return true;
    return false;
}

size_t mr_x_tok_at(const mr_toks *tv, size_t pos)
{
    size_t lo = 0, hi = tv->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tv->v[mid].end <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int mr_x_date_at(const mr_facts *f, uint32_t pos)
{
    size_t lo = 0, hi = f->dates.n;
    while (lo < hi) { /* first date starting after pos */
        size_t mid = lo + (hi - lo) / 2;
        if (f->dates.v[mid].start <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && pos < f->dates.v[lo - 1].end ? (int)(lo - 1) : -1;
}

size_t mr_x_entity_last_tok(const mr_facts *f, int e, size_t i)
{
    const mr_toks *tv = &f->toks;
    while (e >= 0 && i + 1 < tv->n && tv->v[i + 1].start < f->entities.v[e].end)
        i++;
    return i;
}

int mr_x_entity_at_tok(const mr_facts *f, size_t i)
{
    const mr_toks *tv = &f->toks;
    if (i >= tv->n)
        return -1;
    uint32_t a = tv->v[i].start, b = tv->v[i].end;
    size_t lo = 0, hi = f->entities.n;
    while (lo < hi) { /* first entity with start >= a */
        size_t mid = lo + (hi - lo) / 2;
        if (f->entities.v[mid].start < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < f->entities.n && f->entities.v[lo].start < b)
        return (int)lo;
    return -1;
}

/* The normalised canonical name holds word w (normalised) as a word. */
static bool canon_has_word(const char *canon, const char *w, size_t wn)
{
    char buf[512];
    size_t n = marsad_normalize(canon, strlen(canon), buf, sizeof buf - 1, 0);
    if (n >= sizeof buf)
        return false;
    buf[n] = 0;
    for (size_t p = 0; p + wn <= n; p++) {
        if ((p == 0 || buf[p - 1] == ' ') && memcmp(buf + p, w, wn) == 0 &&
            (p + wn == n || buf[p + wn] == ' '))
            return true;
        /* with the article: "المرصد" in the name for bare "مرصد" */
        if ((p == 0 || buf[p - 1] == ' ') && p + 4 + wn <= n &&
            memcmp(buf + p, "\xd8\xa7\xd9\x84", 4) == 0 &&
            memcmp(buf + p + 4, w, wn) == 0 &&
            (p + 4 + wn == n || buf[p + 4 + wn] == ' '))
            return true;
    }
    return false;
}

size_t mr_x_entities_before(const mr_facts *f, uint32_t pos)
{
    size_t lo = 0, hi = f->entities.n;
    while (lo < hi) { /* first entity starting at or after pos */
        size_t mid = lo + (hi - lo) / 2;
        if (f->entities.v[mid].start < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Titles that, bare and definite, name the last person mentioned. */
static const char *const titles[] = {
    "مسوول", "رييس", "وزير", "مبعوث", "مفوض", "امين", "قايد", "جنرال",
    "متحدث", "سفير", "مدير", "ناطق", NULL};
/* Nouns that, bare and definite, name the last group holding them. */
static const char *const heads[] = {
    "تنظيم", "مرصد", "تحالف", "صحيفه", "وكاله", "حركه", "جماعه",
    "حكومه", "وزاره", "منظمه", "مجلس", "جبهه", "ميليشيا", "قناه",
    "مجله", "موقع", "شبكه", "هييه", "حزب", NULL};
/* Heads that point back only definite ("المكتب"، not "لجنة الإغاثة
 * الدولية", a body of its own), and not with an adjective the name lacks
 * ("المفوضية الأوروبية" is not the refugee agency; "المكتب الأممي" is
 * the UN office met before). */
static const char *const heads_def[] = {
    "مكتب", "مفوضيه", "بعثه", "لجنه", "برنامج", "محكمه", "جمعيه", "ايتلاف", NULL};
static const char *const any_body_adj[] = {"الاممي", "الامميه", "الدولي", "الدوليه", NULL};

static bool head_at(const char *const *list, const char *s, size_t n)
{
    for (int k = 0; list[k]; k++)
        if (strlen(list[k]) == n && memcmp(s, list[k], n) == 0)
            return true;
    return false;
}

int mr_x_anaphor(const mr_facts *f, const mr_toks *tv, size_t i, uint32_t before)
{
    if (i >= tv->n || tv->v[i].kind != MARSAD_TOK_ARABIC)
        return -1;
    const char *s = mr_tok_norm(tv, i);
    size_t n = tv->v[i].norm_len;
    if (n > 2 && (memcmp(s, "\xd9\x88", 2) == 0 || memcmp(s, "\xd9\x81", 2) == 0)) {
        s += 2;
        n -= 2;
    }
    bool definite = n > 4 && memcmp(s, "\xd8\xa7\xd9\x84", 4) == 0;
    if (definite) {
        s += 4;
        n -= 4;
    }
    for (int k = 0; titles[k]; k++)
        if (definite && strlen(titles[k]) == n && memcmp(s, titles[k], n) == 0) {
            size_t top = mr_x_entities_before(f, before);
            for (size_t e = top, d = 0; e-- > 0 && d < MR_X_ANAPHOR_REACH; d++)
                if (f->entities.v[e].end <= before &&
                    f->entities.v[e].kind == MR_ENT_PERSON)
                    return (int)e;
            return -1;
        }
    bool strict = definite && head_at(heads_def, s, n);
    if (!strict && !head_at(heads, s, n))
        return -1;
    /* the adjective after a strict head: "الأوروبية" */
    const char *adj = NULL;
    size_t adjn = 0;
    if (strict && i + 1 < tv->n && tv->v[i + 1].kind == MARSAD_TOK_ARABIC &&
        tv->v[i + 1].norm_len > 4 &&
        memcmp(mr_tok_norm(tv, i + 1), "\xd8\xa7\xd9\x84", 4) == 0) {
        bool any = false;
        for (int k = 0; any_body_adj[k] && !any; k++)
            any = strcmp(mr_tok_norm(tv, i + 1), any_body_adj[k]) == 0;
        if (!any) {
            adj = mr_tok_norm(tv, i + 1) + 4;
            adjn = tv->v[i + 1].norm_len - 4;
        }
    }
    size_t top = mr_x_entities_before(f, before);
    for (size_t e = top, d = 0; e-- > 0 && d < MR_X_ANAPHOR_REACH; d++)
        if (f->entities.v[e].end <= before && f->entities.v[e].canonical &&
            canon_has_word(f->entities.v[e].canonical, s, n))
            return adj && !canon_has_word(f->entities.v[e].canonical, adj, adjn) ? -1 : (int)e;
    return -1;
}

void *mr_x_push(void **v, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        void *nv = realloc(*v, nc * size);
        if (!nv)
            return NULL;
        *v = nv;
        *cap = nc;
    }
    char *p = (char *)*v + *n * size;
    memset(p, 0, size);
    (*n)++;
    return p;
}
