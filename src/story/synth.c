/*
 * synth.c: a story's timeline and extractive summary, and mr_story_synth,
 * which runs claims, timeline and summary in turn.
 *
 * Summary: every body sentence of every report (at least MIN_WORDS words,
 * not the title, not a credit line) is scored by
 *   centrality  the mean weight of its content stems, a stem's weight being
 *               the share of the story's reports that use it (so wording
 *               every outlet shares counts, words of one report do not);
 *   lead        +LEAD_BONUS for a report's first body sentence (news puts
 *               the main facts first), half that for its second;
 *   claims      +CLAIM_BONUS for each claim told by 2+ reports that has a
 *               value in the sentence and no chosen sentence covers yet;
 *   diversity   -SAME_DOC_PENALTY per sentence already chosen from its
 *               report.
 * Greedy: the best sentence is taken, scores are updated, and a sentence
 * whose content-stem set has Jaccard >= NEAR_DUP with a chosen one is never
 * taken (copied wire sentences appear once). Up to MR_SUMMARY_MAX sentences
 * (3 for a one-report story, 4 for two), shown in reading order.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extract/facts_util.h"
#include "story/story.h"
#include "text/text.h"

#include "lex_summary_stopwords.inc"

#define MIN_WORDS 6
#define LEAD_BONUS 0.30
#define CLAIM_BONUS 0.40
#define SAME_DOC_PENALTY 0.25
#define NEAR_DUP 0.5
/* bytes a sentence may hold beyond its date and still be only a dateline
 * (a weekday name and a comma) */
#define DATELINE_SLACK 24


/* ------------------------------------------------------------ timeline */

static int pub_cmp(const mr_story_doc *docs, size_t a, size_t b)
{
    const char *pa = docs[a].report->published, *pb = docs[b].report->published;
    int c = strcmp(pa ? pa : "", pb ? pb : "");
    if (c)
        return c;
    return a < b ? -1 : a > b;
}

/* qsort has no context argument: items are sorted with their report's
 * rank (by published, then index) beside them. */
typedef struct tl_sort {
    mr_timeline_item it;
    size_t rank;
} tl_sort;

static int tl_cmp(const void *pa, const void *pb)
{
    const tl_sort *a = pa, *b = pb;
    int c = strcmp(a->it.value, b->it.value);
    if (c)
        return c;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return a->it.start < b->it.start ? -1 : a->it.start > b->it.start;
}

typedef struct pub_ix {
    const char *pub;
    size_t d;
} pub_ix;

static int pub_ix_cmp(const void *pa, const void *pb)
{
    const pub_ix *a = pa, *b = pb;
    int c = strcmp(a->pub, b->pub);
    if (c)
        return c;
    return a->d < b->d ? -1 : a->d > b->d;
}

/* rank[d] = position of docs[d] when ordered by (published, index), the
 * order of pub_cmp: one sort, O(n log n). */
static size_t *doc_ranks(const mr_story_doc *docs, size_t n)
{
    size_t *rank = malloc((n ? n : 1) * sizeof *rank);
    pub_ix *v = malloc((n ? n : 1) * sizeof *v);
    if (!rank || !v) {
        free(rank);
        free(v);
        return NULL;
    }
    for (size_t d = 0; d < n; d++) {
        const char *p = docs[d].report->published;
        v[d] = (pub_ix){p ? p : "", d};
    }
    qsort(v, n, sizeof *v, pub_ix_cmp);
    for (size_t i = 0; i < n; i++)
        rank[v[i].d] = i;
    free(v);
    return rank;
}

/* A date of one report by its value, then its place in the report's list:
 * the first of each value is the one the timeline may keep. */
typedef struct date_ix {
    const char *value;
    size_t k;
} date_ix;

static int date_ix_cmp(const void *pa, const void *pb)
{
    const date_ix *a = pa, *b = pb;
    int c = strcmp(a->value, b->value);
    if (c)
        return c;
    return a->k < b->k ? -1 : a->k > b->k;
}

/* A timeline item by (value, sentence bytes), then its place in the list:
 * the first of each run is kept, the others are copies of its sentence. */
typedef struct item_ix {
    const char *value;
    const char *sen;
    size_t len, i;
} item_ix;

static int item_ix_cmp(const void *pa, const void *pb)
{
    const item_ix *a = pa, *b = pb;
    int c = strcmp(a->value, b->value);
    if (c)
        return c;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    c = memcmp(a->sen, b->sen, a->len);
    if (c)
        return c;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Drops the items whose (value, sentence bytes) an earlier item has (a
 * copied wire sentence under the same date): one sort, O(T log T), not a
 * comparison of every item with every earlier one. */
static marsad_status drop_copies(const mr_story_doc *docs, mr_synth *s)
{
    size_t n = s->timeline.n;
    if (n < 2)
        return MARSAD_OK;
    item_ix *v = malloc(n * sizeof *v);
    unsigned char *drop = calloc(n, 1);
    if (!v || !drop) {
        free(v);
        free(drop);
        return MARSAD_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const mr_timeline_item *t = &s->timeline.v[i];
        v[i] = (item_ix){t->value, docs[t->doc].report->text + t->sentence.start,
                         t->sentence.end - t->sentence.start, i};
    }
    qsort(v, n, sizeof *v, item_ix_cmp);
    for (size_t i = 1; i < n; i++)
        drop[v[i].i] = strcmp(v[i].value, v[i - 1].value) == 0 &&
                       v[i].len == v[i - 1].len &&
                       memcmp(v[i].sen, v[i - 1].sen, v[i].len) == 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!drop[i])
            s->timeline.v[m++] = s->timeline.v[i];
    s->timeline.n = m;
    free(v);
    free(drop);
    return MARSAD_OK;
}

static marsad_status timeline(const mr_story_doc *docs, size_t n, mr_synth *s)
{
    for (size_t d = 0; d < n; d++) {
        const mr_facts *f = docs[d].facts;
        const mr_report *r = docs[d].report;
        if (!f || !r)
            continue;
        mr_span *sents = NULL;
        size_t nsents = 0;
        if (f->dates.n &&
            mr_sentence_list(r->text, r->text_len, &sents, &nsents) !=
                MARSAD_OK)
            return MARSAD_E_NOMEM;
        /* one item per (value, report): the first date of each value */
        date_ix *first = malloc((f->dates.n ? f->dates.n : 1) * sizeof *first);
        if (!first) {
            free(sents);
            return MARSAD_E_NOMEM;
        }
        size_t nf = 0;
        for (size_t k = 0; k < f->dates.n; k++) {
            const mr_date *dt = &f->dates.v[k];
            if (!dt->vague)
                first[nf++] = (date_ix){dt->value, k};
        }
        qsort(first, nf, sizeof *first, date_ix_cmp);
        size_t keep = 0;
        for (size_t i = 0; i < nf; i++) {
            if (i && strcmp(first[i].value, first[i - 1].value) == 0)
                continue;
            const mr_date *dt = &f->dates.v[first[i].k];
            if (dt->value[0] < '0' || dt->value[0] > '9')
                continue; /* unresolved or a bare duration */
            first[keep++] = first[i];
        }
        /* back in the report's order */
        for (size_t i = 0; i < keep; i++)
            first[i].value = "";
        qsort(first, keep, sizeof *first, date_ix_cmp);
        for (size_t i = 0; i < keep; i++) {
            size_t k = first[i].k;
            const mr_date *dt = &f->dates.v[k];
            mr_span sen =
                mr_sentence_find(sents, nsents, dt->start, r->text_len);
            /* a dateline ("الثلاثاء 14 أكتوبر 2025" alone on its line) is
             * when the report appeared, not something that happened */
            if ((sen.end - sen.start) < (dt->end - dt->start) + DATELINE_SLACK)
                continue;
            mr_timeline_item *t = MR_VEC_PUSH(s->timeline);
            if (!t) {
                free(first);
                free(sents);
                return MARSAD_E_NOMEM;
            }
            t->value = dt->value;
            t->doc = d;
            t->start = dt->start;
            t->end = dt->end;
            t->sentence = sen;
        }
        free(first);
        free(sents);
    }
    /* the same sentence under the same date in an earlier report (a copied
     * wire sentence) is one item */
    if (drop_copies(docs, s) != MARSAD_OK)
        return MARSAD_E_NOMEM;
    if (s->timeline.n < 2)
        return MARSAD_OK;
    size_t *rank = doc_ranks(docs, n);
    tl_sort *tmp = malloc(s->timeline.n * sizeof *tmp);
    if (!rank || !tmp) {
        free(rank);
        free(tmp);
        return MARSAD_E_NOMEM;
    }
    for (size_t i = 0; i < s->timeline.n; i++) {
        tmp[i].it = s->timeline.v[i];
        tmp[i].rank = rank[tmp[i].it.doc];
    }
    qsort(tmp, s->timeline.n, sizeof *tmp, tl_cmp);
    for (size_t i = 0; i < s->timeline.n; i++)
        s->timeline.v[i] = tmp[i].it;
    free(tmp);
    free(rank);
    return MARSAD_OK;
}

/* ------------------------------------------------------------- summary */

typedef struct sent {
    size_t doc;
    mr_span span;
    size_t first, count; /* its content stems: ids[first .. first+count) */
    int rank;            /* 0 = first body sentence of its report */
    double base;
    int chosen;
} sent;

typedef struct collect_ctx {
    const mr_story_doc *doc;
    size_t d;
    size_t title_len;
    sent *v;
    size_t n, cap;
    int rank;
    int failed;
} collect_ctx;

static int starts_with(const char *s, size_t len, const char *p)
{
    size_t m = strlen(p);
    return len >= m && memcmp(s, p, m) == 0;
}

static int collect_fn(mr_span sp, void *ctx)
{
    collect_ctx *c = ctx;
    const mr_report *r = c->doc->report;
    const char *t = r->text + sp.start;
    size_t len = sp.end - sp.start;
    if (starts_with(t, len, "المصدر") || starts_with(t, len, "<"))
        return 0;
    if (r->title && c->title_len == len && memcmp(r->title, t, len) == 0)
        return 0;
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 64;
        sent *nv = realloc(c->v, nc * sizeof *nv);
        if (!nv) {
            c->failed = 1;
            return 1;
        }
        c->v = nv;
        c->cap = nc;
    }
    sent *s = &c->v[c->n++];
    memset(s, 0, sizeof *s);
    s->doc = c->d;
    s->span = sp;
    return 0;
}

/* Interned content stems: a sorted table of (stem, id). */
typedef struct stem_tab {
    const char **s;
    size_t n;
} stem_tab;

static int cstr_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static long stem_id(const stem_tab *t, const char *s)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(t->s[mid], s);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Content token: an Arabic or Latin word of 3+ letters. Function words of
 * 3+ letters are kept out by a short list (data/summary_stopwords.tsv,
 * looked up by hash: O(1) per token). */
static int is_content(const mr_toks *tv, size_t i)
{
    const mr_tok *t = &tv->v[i];
    if (t->kind != MARSAD_TOK_ARABIC && t->kind != MARSAD_TOK_LATIN)
        return 0;
    if (t->stem_len < 6 && t->kind == MARSAD_TOK_ARABIC)
        return 0;
    if (t->stem_len < 3)
        return 0;
    const char *norm = mr_tok_norm(tv, i);
    return mr_lex_find(&mr_lex_summary_stopwords, norm, strlen(norm)) < 0;
}

static int id_cmp(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Jaccard of two sorted id sets. The result is at most min/max of the
 * sizes, so when that is below `floor` the sets are not walked (0): a
 * candidate is compared with a picked sentence in O(its own size), never
 * O(the picked one's) when that is much larger. */
static double jaccard(const long *a, size_t na, const long *b, size_t nb,
                      double floor)
{
    size_t lo = na < nb ? na : nb, hi = na < nb ? nb : na;
    if (hi && (double)lo < floor * (double)hi)
        return 0;
    size_t i = 0, j = 0, inter = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j])
            inter++, i++, j++;
        else if (a[i] < b[j])
            i++;
        else
            j++;
    }
    size_t uni = na + nb - inter;
    return uni ? (double)inter / (double)uni : 1.0;
}

typedef struct sc_pair {
    size_t sent, claim;
} sc_pair;

static int sc_pair_cmp(const void *a, const void *b)
{
    const sc_pair *x = a, *y = b;
    if (x->sent != y->sent)
        return (x->sent > y->sent) - (x->sent < y->sent);
    return (x->claim > y->claim) - (x->claim < y->claim);
}

/*
 * For each sentence k of cc (sentences of one doc are contiguous and in
 * text order), the claims told by two reports or more that have a value
 * starting inside it: claim indexes (*claim)[(*first)[k] .. (*first)[k+1]),
 * ascending, distinct. Each value finds its sentence by binary search in
 * its doc's run of sentences: O(V log S + V log V).
 */
static marsad_status sentence_claims(const mr_synth *s, const collect_ctx *cc,
                                     size_t ndocs, size_t **first,
                                     size_t **claim)
{
    size_t nv = 0;
    for (size_t c = 0; c < s->claims.n; c++)
        if (s->claims.v[c].n_reports >= 2)
            nv += s->claims.v[c].n;
    size_t *dfirst = calloc(ndocs + 1, sizeof *dfirst);
    sc_pair *pv = malloc((nv ? nv : 1) * sizeof *pv);
    *first = calloc(cc->n + 1, sizeof **first);
    *claim = malloc((nv ? nv : 1) * sizeof **claim);
    if (!dfirst || !pv || !*first || !*claim) {
        free(dfirst);
        free(pv);
        return MARSAD_E_NOMEM;
    }
    /* dfirst[d] .. dfirst[d+1]: doc d's sentences */
    for (size_t k = 0; k < cc->n; k++)
        dfirst[cc->v[k].doc + 1]++;
    for (size_t d = 0; d < ndocs; d++)
        dfirst[d + 1] += dfirst[d];
    size_t np = 0;
    for (size_t c = 0; c < s->claims.n; c++) {
        const mr_claim *cl = &s->claims.v[c];
        if (cl->n_reports < 2)
            continue;
        for (size_t v = 0; v < cl->n; v++) {
            size_t d = cl->values[v].doc;
            uint32_t at = cl->values[v].start;
            if (d >= ndocs)
                continue;
            size_t lo = dfirst[d], hi = dfirst[d + 1];
            while (lo < hi) { /* first sentence starting after at */
                size_t mid = lo + (hi - lo) / 2;
                if (cc->v[mid].span.start <= at)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo == dfirst[d] || at >= cc->v[lo - 1].span.end)
                continue;
            pv[np].sent = lo - 1;
            pv[np].claim = c;
            np++;
        }
    }
    if (np > 1)
        qsort(pv, np, sizeof *pv, sc_pair_cmp);
    size_t m = 0;
    for (size_t i = 0; i < np; i++) {
        if (i && pv[i].sent == pv[i - 1].sent && pv[i].claim == pv[i - 1].claim)
            continue;
        (*claim)[m++] = pv[i].claim;
        (*first)[pv[i].sent + 1]++;
    }
    for (size_t k = 0; k < cc->n; k++)
        (*first)[k + 1] += (*first)[k];
    free(dfirst);
    free(pv);
    return MARSAD_OK;
}

static int summ_before(const mr_story_doc *docs, const mr_summary_item *a,
                       const mr_summary_item *b)
{
    if (a->doc != b->doc)
        return pub_cmp(docs, a->doc, b->doc) < 0;
    return a->sentence.start < b->sentence.start;
}

static marsad_status summary(const mr_story_doc *docs, size_t n, mr_synth *s)
{
    marsad_status rc = MARSAD_OK;
    collect_ctx cc = {0};
    const char **all = NULL;
    long *ids = NULL, *df_last = NULL;
    size_t *df = NULL, nall = 0, nids = 0, *sc_first = NULL, *sc_claim = NULL;
    stem_tab tab = {0};

    /* sentences */
    for (size_t d = 0; d < n && !cc.failed; d++) {
        const mr_report *r = docs[d].report;
        if (!r || !docs[d].facts)
            continue;
        cc.doc = &docs[d];
        cc.d = d;
        cc.title_len = r->title ? strlen(r->title) : 0;
        mr_sentences(r->text, r->text_len, collect_fn, &cc);
    }
    if (cc.failed)
        goto nomem;
    if (cc.n == 0)
        goto done;

    /* content stems of every sentence, interned */
    size_t ntok = 0;
    for (size_t d = 0; d < n; d++)
        if (docs[d].facts)
            ntok += docs[d].facts->toks.n;
    all = malloc((ntok ? ntok : 1) * sizeof *all);
    ids = malloc((ntok ? ntok : 1) * sizeof *ids);
    if (!all || !ids)
        goto nomem;
    for (size_t d = 0; d < n; d++) {
        const mr_toks *tv = docs[d].facts ? &docs[d].facts->toks : NULL;
        for (size_t i = 0; tv && i < tv->n; i++)
            if (is_content(tv, i))
                all[nall++] = mr_tok_stem(tv, i);
    }
    if (nall) {
        qsort(all, nall, sizeof *all, cstr_cmp);
        size_t u = 0;
        for (size_t i = 0; i < nall; i++)
            if (u == 0 || strcmp(all[u - 1], all[i]) != 0)
                all[u++] = all[i];
        tab.s = all;
        tab.n = u;
    }
    df = calloc(tab.n ? tab.n : 1, sizeof *df);
    df_last = malloc((tab.n ? tab.n : 1) * sizeof *df_last);
    if (!df || !df_last)
        goto nomem;
    for (size_t i = 0; i < tab.n; i++)
        df_last[i] = -1;
    size_t last_doc = (size_t)-1, tok = 0;
    int rank = 0;
    for (size_t k = 0; k < cc.n; k++) {
        sent *se = &cc.v[k];
        const mr_toks *tv = &docs[se->doc].facts->toks;
        if (se->doc != last_doc)
            rank = 0, last_doc = se->doc, tok = 0;
        se->first = nids;
        size_t words = 0;
        /* sentences of a report come in order: tokens are walked once */
        while (tok < tv->n && tv->v[tok].start < se->span.start)
            tok++;
        for (size_t i = tok; i < tv->n; i++) {
            if (tv->v[i].start < se->span.start)
                continue;
            if (tv->v[i].start >= se->span.end)
                break;
            if (tv->v[i].kind == MARSAD_TOK_ARABIC ||
                tv->v[i].kind == MARSAD_TOK_LATIN ||
                tv->v[i].kind == MARSAD_TOK_NUMBER)
                words++;
            if (!is_content(tv, i))
                continue;
            long id = stem_id(&tab, mr_tok_stem(tv, i));
            if (id >= 0)
                ids[nids++] = id;
        }
        /* unique ids, sorted */
        qsort(ids + se->first, nids - se->first, sizeof *ids, id_cmp);
        size_t u = se->first;
        for (size_t i = se->first; i < nids; i++)
            if (u == se->first || ids[u - 1] != ids[i])
                ids[u++] = ids[i];
        nids = u;
        se->count = nids - se->first;
        se->rank = words >= MIN_WORDS ? rank++ : -1;
        for (size_t i = se->first; i < nids; i++)
            if (df_last[ids[i]] != (long)se->doc) {
                df_last[ids[i]] = (long)se->doc;
                df[ids[i]]++;
            }
    }
    size_t ndocs = 0;
    for (size_t d = 0; d < n; d++)
        ndocs += docs[d].report && docs[d].facts;
    for (size_t k = 0; k < cc.n; k++) {
        sent *se = &cc.v[k];
        if (se->rank < 0 || se->count == 0) {
            se->base = -1;
            continue;
        }
        double w = 0;
        for (size_t i = se->first; i < se->first + se->count; i++)
            w += (double)df[ids[i]] / (double)(ndocs ? ndocs : 1);
        se->base = w / sqrt((double)se->count) / 2.0;
        if (se->rank == 0)
            se->base += LEAD_BONUS;
        else if (se->rank == 1)
            se->base += LEAD_BONUS / 2;
    }

    /* the claims told by 2+ reports that each sentence holds a value of,
     * as per-sentence lists (sorted, distinct): O(V log V) for V values,
     * so each pick below costs O(S + V), not O(S * V) */
    if (sentence_claims(s, &cc, n, &sc_first, &sc_claim) != MARSAD_OK)
        goto nomem;

    /* greedy choice */
    size_t want = ndocs >= 3 ? MR_SUMMARY_MAX : ndocs == 2 ? 4 : 3;
    unsigned char *covered = calloc(s->claims.n ? s->claims.n : 1, 1);
    size_t *per_doc = calloc(n ? n : 1, sizeof *per_doc);
    size_t picked[MR_SUMMARY_MAX] = {0};
    if (!covered || !per_doc) {
        free(covered);
        free(per_doc);
        goto nomem;
    }
    for (size_t pick = 0; pick < want; pick++) {
        double best = -1;
        size_t bi = 0;
        for (size_t k = 0; k < cc.n; k++) {
            sent *se = &cc.v[k];
            if (se->chosen || se->base < 0)
                continue;
            int dup = 0;
            for (size_t j = 0; j < s->summary.n && !dup; j++) {
                const sent *o = &cc.v[picked[j]];
                dup = jaccard(ids + se->first, se->count, ids + o->first,
                              o->count, NEAR_DUP) >= NEAR_DUP;
            }
            if (dup)
                continue;
            double sc = se->base - SAME_DOC_PENALTY * (double)per_doc[se->doc];
            for (size_t j = sc_first[k]; j < sc_first[k + 1]; j++)
                if (!covered[sc_claim[j]])
                    sc += CLAIM_BONUS;
            if (sc > best) {
                best = sc;
                bi = k;
            }
        }
        if (best < 0)
            break;
        sent *se = &cc.v[bi];
        se->chosen = 1;
        per_doc[se->doc]++;
        for (size_t j = sc_first[bi]; j < sc_first[bi + 1]; j++)
            covered[sc_claim[j]] = 1;
        mr_summary_item *it = MR_VEC_PUSH(s->summary);
        if (!it) {
            free(covered);
            free(per_doc);
            goto nomem;
        }
        it->doc = se->doc;
        it->sentence = se->span;
        it->outlet = docs[se->doc].report->outlet
                         ? docs[se->doc].report->outlet
                         : "";
        it->score = best;
        picked[s->summary.n - 1] = bi;
    }
    free(covered);
    free(per_doc);
    /* reading order (at most MR_SUMMARY_MAX items: insertion sort) */
    for (size_t i = 1; i < s->summary.n; i++)
        for (size_t j = i; j > 0 && summ_before(docs, &s->summary.v[j],
                                                 &s->summary.v[j - 1]);
             j--) {
            mr_summary_item t = s->summary.v[j];
            s->summary.v[j] = s->summary.v[j - 1];
            s->summary.v[j - 1] = t;
        }
    goto done;
nomem:
    rc = MARSAD_E_NOMEM;
done:
    free(cc.v);
    free(all);
    free(ids);
    free(df);
    free(df_last);
    free(sc_first);
    free(sc_claim);
    return rc;
}

/* -------------------------------------------------------------- entry */

marsad_status mr_story_synth(const mr_story_doc *docs, size_t n,
                             mr_synth *out)
{
    if (!out || (!docs && n))
        return MARSAD_E_ARG;
    memset(out, 0, sizeof *out);
    for (size_t d = 0; d < n; d++)
        if (!docs[d].report || !docs[d].facts)
            return MARSAD_E_ARG;
    marsad_status rc = mr_story_claims(docs, n, out);
    if (rc == MARSAD_OK)
        rc = timeline(docs, n, out);
    if (rc == MARSAD_OK)
        rc = summary(docs, n, out);
    if (rc != MARSAD_OK)
        mr_synth_free(out);
    return rc;
}

void mr_synth_free(mr_synth *s)
{
    if (!s)
        return;
    free(s->claims.v);
    free(s->timeline.v);
    free(s->summary.v);
    mr_arena_free(&s->arena);
    memset(s, 0, sizeof *s);
}
