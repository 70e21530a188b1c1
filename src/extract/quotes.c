/*
 * quotes.c: quoted passages and their speakers (DESIGN.md, "A quote").
 *
 * Marks: « … », “ … ” (also “ … “ and „ … “), " … ", and the mis-paired
 * ” … ” of copy-edited Arabic text (a ” glued to the next word opens).
 * Every quote lies inside one paragraph; an opener with no closer before
 * the paragraph ends is dropped and the scan goes on after it, so a stray
 * " does not swallow the text. Nested marks inside a quote are part of it.
 * A pair around exactly one entity (تنظيم «داعش») is a quoted name, not a
 * quotation, and is left out.
 *
 * Speaker: in the sentence before the quote (at most WINDOW tokens back),
 * a speech cue (قال، أكد، أضاف، مضيفا، بحسب …) and the first person
 * between the cue and the quote, else the first organisation or outlet
 * there, else the nearest one before the cue; "X: «…»" also names X. A quote with a cue but no entity, or with
 * only a participle (مضيفا), keeps the speaker of the previous quote of
 * the same paragraph.
 *
 * Cost: O(n + q log e) for n tokens, q quotes and e entities: the next
 * closer of each kind is precomputed right to left, so no mark is visited
 * more than twice whatever the marks' order (10^5 unpaired marks included).
 */
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "extract/facts_util.h"
#include "extract/xutil.h"

#define WINDOW 40

enum mark { M_NONE, M_GOPEN, M_GCLOSE, M_LDQ, M_RDQ, M_DQ, M_LOW, M_NKIND };

typedef struct qmark {
    size_t tok;
    size_t para;
    uint8_t kind;
    bool rdq_opens; /* a ” glued to the following word */
} qmark;

static enum mark mark_of(const char *s, size_t n)
{
    if (n == 1 && *s == '"')
        return M_DQ;
    if (n == 2 && !memcmp(s, "\xc2\xab", 2))
        return M_GOPEN;
    if (n == 2 && !memcmp(s, "\xc2\xbb", 2))
        return M_GCLOSE;
    if (n == 3 && !memcmp(s, "\xe2\x80\x9c", 3))
        return M_LDQ;
    if (n == 3 && !memcmp(s, "\xe2\x80\x9d", 3))
        return M_RDQ;
    if (n == 3 && !memcmp(s, "\xe2\x80\x9e", 3))
        return M_LOW;
    return M_NONE;
}

static bool is_space_byte(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Speech cues, normalised (و/ف already removed). */
static const char *const cues[] = {
    "\xd9\x82\xd8\xa7\xd9\x84",                                 /* قال */
    "\xd9\x82\xd8\xa7\xd9\x84\xd8\xaa",                         /* قالت */
    "\xd9\x8a\xd9\x82\xd9\x88\xd9\x84",                         /* يقول */
    "\xd8\xaa\xd9\x82\xd9\x88\xd9\x84",                         /* تقول */
    "\xd8\xa7\xd8\xb6\xd8\xa7\xd9\x81",                         /* اضاف */
    "\xd8\xa7\xd8\xb6\xd8\xa7\xd9\x81\xd8\xaa",                 /* اضافت */
    "\xd8\xa7\xd9\x88\xd8\xb6\xd8\xad",                         /* اوضح */
    "\xd8\xa7\xd9\x83\xd8\xaf",                                 /* اكد */
    "\xd8\xa7\xd9\x83\xd8\xaf\xd8\xaa",                         /* اكدت */
    "\xd8\xb0\xd9\x83\xd8\xb1",                                 /* ذكر */
    "\xd8\xb0\xd9\x83\xd8\xb1\xd8\xaa",                         /* ذكرت */
    "\xd8\xa7\xd8\xb4\xd8\xa7\xd8\xb1",                         /* اشار */
    "\xd9\x83\xd8\xaa\xd8\xa8",                                 /* كتب */
    "\xd9\x83\xd8\xaa\xd8\xa8\xd8\xaa",                         /* كتبت */
    "\xd8\xa7\xd9\x88\xd8\xb6\xd8\xad\xd8\xaa",                 /* اوضحت */
    "\xd8\xa7\xd8\xb4\xd8\xa7\xd8\xb1\xd8\xaa",                 /* اشارت */
    "\xd8\xad\xd8\xb0\xd8\xb1\xd8\xaa",                         /* حذرت */
    "\xd8\xad\xd8\xb0\xd8\xb1",                                 /* حذر */
    "\xd8\xb5\xd8\xb1\xd8\xad",                                 /* صرح */
    "\xd8\xa7\xd8\xb9\xd8\xaa\xd8\xa8\xd8\xb1",                 /* اعتبر */
    "\xd8\xa7\xd8\xb9\xd9\x84\xd9\x86",                         /* اعلن */
    "\xd8\xa7\xd8\xb9\xd9\x84\xd9\x86\xd8\xaa",                 /* اعلنت */
    "\xd8\xaa\xd8\xb9\xd9\x84\xd9\x86",                         /* تعلن */
    "\xd8\xb1\xd8\xad\xd8\xa8",                                 /* رحب */
    "\xd8\xaf\xd8\xb9\xd8\xa7",                                 /* دعا */
    "\xd8\xa8\xd8\xad\xd8\xb3\xd8\xa8",                         /* بحسب */
    "\xd8\xad\xd8\xb3\xd8\xa8",                                 /* حسب */
    "\xd9\x88\xd9\x81\xd9\x82\xd8\xa7",                         /* وفقا */
    "\xd9\x85\xd8\xb6\xd9\x8a\xd9\x81\xd8\xa7",                 /* مضيفا */
    "\xd9\x85\xd8\xa4\xd9\x83\xd8\xaf\xd8\xa7",                 /* مؤكدا (unfolded) */
    "\xd9\x85\xd9\x88\xd9\x83\xd8\xaf\xd8\xa7",                 /* موكدا */
    "\xd9\x85\xd9\x88\xd8\xb6\xd8\xad\xd8\xa7",                 /* موضحا */
    "\xd9\x85\xd8\xb9\xd8\xaa\xd8\xa8\xd8\xb1\xd8\xa7",         /* معتبرا */
    "\xd9\x85\xd8\xad\xd8\xb0\xd8\xb1\xd8\xa7",                 /* محذرا */
    "\xd9\x85\xd8\xaa\xd8\xb9\xd9\x87\xd8\xaf\xd8\xa7",         /* متعهدا */
};
#define N_PARTICIPLES 7 /* the last entries: participles, no own subject */

/* 0 = not a cue, 1 = a verb or preposition, 2 = a participle. */
static int cue_kind(const mr_toks *tv, size_t i)
{
    if (tv->v[i].kind != MARSAD_TOK_ARABIC)
        return 0;
    const char *w = mr_tok_norm(tv, i);
    size_t n = tv->v[i].norm_len;
    size_t ncue = sizeof cues / sizeof cues[0];
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < ncue; k++)
            if (strlen(cues[k]) == n && !memcmp(cues[k], w, n))
                return k >= ncue - N_PARTICIPLES ? 2 : 1;
        /* without a leading و / ف */
        if (n > 2 && (!memcmp(w, "\xd9\x88", 2) || !memcmp(w, "\xd9\x81", 2)))
            w += 2, n -= 2;
        else
            break;
    }
    return 0;
}

/* True when [a, b) holds exactly one entity and nothing else but blanks. */
static bool only_an_entity(const mr_facts *f, const char *text, uint32_t a,
                           uint32_t b)
{
    while (a < b && is_space_byte(text[a]))
        a++;
    while (b > a && is_space_byte(text[b - 1]))
        b--;
    size_t e = mr_x_entities_before(f, a);
    return e < f->entities.n && f->entities.v[e].start == a &&
           f->entities.v[e].end == b;
}

static bool speaker_kind(mr_entity_kind k)
{
    return k == MR_ENT_PERSON || k == MR_ENT_ORG || k == MR_ENT_OUTLET;
}

/* The speaker of a quote whose opening mark is token q (see the header). */
static int find_speaker(const mr_facts *f, const char *text, size_t q,
                        bool *has_cue)
{
    const mr_toks *tv = &f->toks;
    size_t lo = q > WINDOW ? q - WINDOW : 0;
    size_t start = lo;
    for (size_t i = q; i > lo; i--) { /* back to the sentence start */
        const mr_tok *t = &tv->v[i - 1];
        char ch = text[t->start];
        if (memchr(text + t->end, '\n', tv->v[i].start - t->end) ||
            (t->kind == MARSAD_TOK_PUNCT && (ch == '.' || ch == '!' || ch == '?'))) {
            start = i;
            break;
        }
    }
    *has_cue = false;
    size_t cue = SIZE_MAX;
    int ck = 0;
    for (size_t i = q; i > start; i--) {
        int k = cue_kind(tv, i - 1);
        if (k) {
            cue = i - 1;
            ck = k;
            break;
        }
    }
    /* "X: «…»" or "X «…»" right after a name */
    uint32_t qs = tv->v[q].start;
    size_t e = mr_x_entities_before(f, qs);
    if (q > start + 1) {
        const mr_tok *p = &tv->v[q - 1];
        bool colon = p->kind == MARSAD_TOK_PUNCT && text[p->start] == ':';
        if (colon && e > 0 && speaker_kind(f->entities.v[e - 1].kind) &&
            f->entities.v[e - 1].end == tv->v[q - 2].end) {
            *has_cue = true;
            return (int)(e - 1);
        }
    }
    if (cue == SIZE_MAX)
        return -1;
    *has_cue = ck == 1;
    uint32_t from = tv->v[start].start, at = tv->v[cue].start;
    int after = -1, before = -1;
    for (size_t k = e; k > 0; k--) {
        const mr_entity *en = &f->entities.v[k - 1];
        if (en->start < from)
            break;
        if (!speaker_kind(en->kind))
            continue;
        if (en->start >= at && after < 0)
            after = (int)(k - 1); /* nearest to the quote after the cue */
        if (en->start < at) {
            before = (int)(k - 1);
            break;
        }
    }
    if (ck == 2)
        return before >= 0 ? before : -1; /* مضيفا: the subject came first */
    if (after >= 0) {
        /* the first person after the cue ("قال نائب المبعوث لدى التحالف،
         * وليام روباك: «…»"), else the first entity after it */
        int first = after, person = -1;
        for (int k = after; k >= 0; k--) {
            const mr_entity *en = &f->entities.v[k];
            if (en->start < at)
                break;
            if (speaker_kind(en->kind))
                first = k;
            if (en->kind == MR_ENT_PERSON)
                person = k;
        }
        return person >= 0 ? person : first;
    }
    return before;
}

marsad_status mr_extract_quotes(const char *text, size_t len, mr_facts *f)
{
    if (!f || (!text && len))
        return MARSAD_E_ARG;
    const mr_toks *tv = &f->toks;
    size_t n = tv->n, m = 0, para = 0;
    qmark *mk = malloc((n + 1) * sizeof *mk);
    if (!mk)
        return MARSAD_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const mr_tok *t = &tv->v[i];
        if (i > 0 && memchr(text + tv->v[i - 1].end, '\n',
                            t->start - tv->v[i - 1].end))
            para++;
        if (t->kind != MARSAD_TOK_PUNCT)
            continue;
        enum mark k = mark_of(text + t->start, t->end - t->start);
        if (k == M_NONE)
            continue;
        mk[m].tok = i;
        mk[m].para = para;
        mk[m].kind = (uint8_t)k;
        mk[m].rdq_opens = k == M_RDQ && t->end < len &&
                          !is_space_byte(text[t->end]) &&
                          (i + 1 < n && tv->v[i + 1].start == t->end &&
                           tv->v[i + 1].kind != MARSAD_TOK_PUNCT);
        m++;
    }
    /* next[k * M_NKIND + kind]: first mark at index >= k of that kind */
    size_t *next = malloc((m + 1) * M_NKIND * sizeof *next);
    if (!next) {
        free(mk);
        return MARSAD_E_NOMEM;
    }
    for (size_t c = 0; c < M_NKIND; c++)
        next[m * M_NKIND + c] = SIZE_MAX;
    for (size_t k = m; k > 0; k--) {
        memcpy(next + (k - 1) * M_NKIND, next + k * M_NKIND,
               M_NKIND * sizeof *next);
        next[(k - 1) * M_NKIND + mk[k - 1].kind] = k - 1;
    }
    marsad_status rc = MARSAD_OK;
    int prev_speaker = -1;
    size_t prev_para = SIZE_MAX;
    for (size_t k = 0; rc == MARSAD_OK && k < m;) {
        uint8_t kind = mk[k].kind;
        size_t close = SIZE_MAX;
        const size_t *nx = next + (k + 1) * M_NKIND;
        if (kind == M_GOPEN)
            close = nx[M_GCLOSE];
        else if (kind == M_DQ)
            close = nx[M_DQ];
        else if (kind == M_LDQ || kind == M_LOW)
            close = nx[M_RDQ] < nx[M_LDQ] ? nx[M_RDQ] : nx[M_LDQ];
        else if (kind == M_RDQ && mk[k].rdq_opens)
            close = nx[M_RDQ];
        if (close == SIZE_MAX || mk[close].para != mk[k].para) {
            k++;
            continue;
        }
        const mr_tok *a = &tv->v[mk[k].tok], *b = &tv->v[mk[close].tok];
        if (b->start > a->end && !only_an_entity(f, text, a->end, b->start)) {
            mr_quote *qt = MR_VEC_PUSH(f->quotes);
            if (!qt) {
                rc = MARSAD_E_NOMEM;
                break;
            }
            bool cue;
            int sp = find_speaker(f, text, mk[k].tok, &cue);
            if (sp < 0 && prev_para == mk[k].para)
                sp = prev_speaker;
            qt->start = a->start;
            qt->end = b->end;
            qt->text_start = a->end;
            qt->text_end = b->start;
            qt->speaker = sp;
            qt->speaker_name = sp >= 0 ? f->entities.v[sp].canonical : NULL;
            prev_speaker = sp;
            prev_para = mk[k].para;
        }
        k = close + 1;
    }
    free(mk);
    free(next);
    return rc;
}
