/*
 * train_ner: trains the name tagger (src/extract/ner.h) on ANERcorp and
 * writes its weights as a C table, src/extract/ner_weights.inc
 * (`make model` runs it; see docs/entities.md).
 *
 *   train_ner --shared ../shared --out src/extract/ner_weights.inc
 *             [--epochs N]
 *   train_ner --shared ../shared --curve [--max-epochs N]
 *   train_ner --shared ../shared --folds K [--max-epochs N]
 *
 * --curve prints the learning curve on the tuning slice and stops;
 * --folds K cross-validates over the first 80 % (fold k tunes on its k-th
 * K-th and trains on the rest) and prints each epoch's scores summed over
 * the folds: a steadier measure than the one slice for trying features
 * (NER_DEBUG=1 lists the model's misses and false names, NER_DEBUG_BOTH=1
 * those of the model with the rules).
 *
 * Data: SHARED/corpus/anercorp/ANERCorp.txt, one token and IOB2 tag a
 * line, a sentence ending at a '.' token. Split in file order: the last
 * 20 % of the sentences is the test set (what `make eval` scores) and is
 * never read here beyond counting; of the first 80 %, sentences
 * [70 %, 80 %) are the tuning slice and the rest trains. Sentences are
 * joined with spaces into pseudo-reports of 40, as the scorer does, and go
 * through marsad's own tokeniser and entity rules, so the features are
 * exactly those seen at run time; a marsad token takes the tag of the
 * ANERcorp token it lies in (punctuation at a tagged token's edge is O).
 *
 * Training: a structured averaged perceptron (Collins 2002) over
 * sentences, Viterbi decoding, MAX_EPOCHS epochs in an order shuffled by a
 * fixed-seed generator. After each epoch the averaged weights are
 * quantised as they will be compiled in and scored on the tuning slice,
 * alone and through mr_ner_apply with the rules (exact ANERcorp token
 * spans, person/place/organisation as score_entities.py counts them): that
 * is the learning curve printed. The epoch count with the best combined
 * F1 is then used to train again on all of the first 80 %, and those
 * weights are written. Deterministic: same inputs, same file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "extract/ner.h"

#define SENTENCES_PER_DOC 40
#define MAX_EPOCHS 15
#define MIN_COUNT 2   /* features seen in fewer training tokens are left out */
#define MERGE 3       /* mr_ner_model.merge compiled in (src/extract/ner.c) */
#define MIN_MARGIN 0.0f
#define WORD_MIN 1    /* words in the word table: seen this often */
enum { NT = MR_NER_NTAGS };

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("train_ner: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

/* ------------------------------------------------------------ corpus */

typedef struct atok {
    char *s;
    int tag; /* MR_NER_* */
} atok;

typedef struct sent {
    atok *t;
    size_t n;
} sent;

static int tag_of(const char *s)
{
    static const char *const names[] = {"PERS", "LOC", "ORG", "MISC"};
    if (s[0] != 'B' && s[0] != 'I')
        return MR_NER_O;
    if (s[1] != '-')
        return MR_NER_O;
    for (int k = 0; k < 4; k++)
        if (!strcmp(s + 2, names[k]))
            return 1 + 2 * k + (s[0] == 'I');
    return MR_NER_O;
}

/* Reads ANERcorp as score_entities.py does (U+200F removed, lines with
 * an empty token skipped). */
static sent *read_corpus(const char *path, size_t *nsent)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "train_ner: cannot read %s\n", path);
        exit(1);
    }
    sent *ss = NULL;
    size_t ns = 0, cap = 0;
    sent cur = {NULL, 0};
    size_t curcap = 0;
    char line[4096];
    while (fgets(line, sizeof line, fp)) {
        /* drop U+200F (e2 80 8f) and the line end */
        char clean[4096];
        size_t o = 0;
        for (size_t i = 0; line[i] && line[i] != '\n'; i++) {
            if ((unsigned char)line[i] == 0xe2 && (unsigned char)line[i + 1] == 0x80 &&
                (unsigned char)line[i + 2] == 0x8f) {
                i += 2;
                continue;
            }
            clean[o++] = line[i];
        }
        clean[o] = 0;
        bool blank = true;
        for (size_t i = 0; i < o; i++)
            if (clean[i] != ' ' && clean[i] != '\t' && clean[i] != '\r')
                blank = false;
        if (blank)
            continue;
        char *sp = strrchr(clean, ' ');
        if (!sp || sp == clean)
            continue; /* no token before the tag */
        *sp = 0;
        if (cur.n == curcap) {
            curcap = curcap ? curcap * 2 : 64;
            cur.t = xrealloc(cur.t, curcap * sizeof *cur.t);
        }
        cur.t[cur.n].s = strdup(clean);
        cur.t[cur.n].tag = tag_of(sp + 1);
        cur.n++;
        if (!strcmp(clean, ".")) {
            if (ns == cap) {
                cap = cap ? cap * 2 : 1024;
                ss = xrealloc(ss, cap * sizeof *ss);
            }
            ss[ns++] = cur;
            cur.t = NULL, cur.n = 0, curcap = 0;
        }
    }
    fclose(fp);
    if (cur.n) {
        if (ns == cap)
            ss = xrealloc(ss, (cap + 1) * sizeof *ss);
        ss[ns++] = cur;
    }
    *nsent = ns;
    return ss;
}

/* ------------------------------------------------------------ documents */

typedef struct doc {
    char *text;
    size_t len;
    size_t natok;
    size_t *astart, *aend; /* ANERcorp tokens, bytes */
    int *atag;
    size_t *asent_end;     /* ANERcorp token ends a sentence (bool) */
    mr_facts f;            /* tokens and the rules' entities */
    uint8_t *rtag;
    uint32_t *feat;        /* n * MR_NER_MAX_FEATS */
    uint8_t *nfeat;
    uint8_t *gold;         /* per marsad token */
    size_t *seq;           /* marsad token index where each sentence starts */
    size_t nseq;           /* sentences; seq[nseq] = n */
} doc;

static void doc_free(doc *d)
{
    free(d->text), free(d->astart), free(d->aend), free(d->atag);
    free(d->asent_end), free(d->rtag), free(d->feat), free(d->nfeat);
    free(d->gold), free(d->seq), free(d->f.entities.v);
    mr_toks_free(&d->f.toks); /* not mr_facts_free: extract.o would pull
                                 in ner.o, which this tool is built without */
    mr_arena_free(&d->f.arena);
}

static void doc_build(doc *d, const sent *ss, size_t from, size_t to)
{
    memset(d, 0, sizeof *d);
    size_t cap = 0, tcap = 0;
    for (size_t k = from; k < to; k++)
        for (size_t j = 0; j < ss[k].n; j++) {
            const char *s = ss[k].t[j].s;
            size_t n = strlen(s);
            if (d->len + n + 2 > cap) {
                cap = (d->len + n + 2) * 2;
                d->text = xrealloc(d->text, cap);
            }
            if (d->natok == tcap) {
                tcap = tcap ? tcap * 2 : 1024;
                d->astart = xrealloc(d->astart, tcap * sizeof *d->astart);
                d->aend = xrealloc(d->aend, tcap * sizeof *d->aend);
                d->atag = xrealloc(d->atag, tcap * sizeof *d->atag);
                d->asent_end = xrealloc(d->asent_end, tcap * sizeof *d->asent_end);
            }
            d->astart[d->natok] = d->len;
            memcpy(d->text + d->len, s, n);
            d->len += n;
            d->aend[d->natok] = d->len;
            d->atag[d->natok] = ss[k].t[j].tag;
            d->asent_end[d->natok] = j + 1 == ss[k].n;
            d->natok++;
            d->text[d->len++] = j + 1 == ss[k].n ? '\n' : ' ';
        }
    if (!d->text)
        d->text = xrealloc(NULL, 1);
    if (mr_toks_build(&d->f.toks, d->text, d->len, 0) != MARSAD_OK ||
        mr_extract_entities(d->text, d->len, &d->f) != MARSAD_OK) {
        fputs("train_ner: extraction failed\n", stderr);
        exit(1);
    }
    size_t n = d->f.toks.n;
    d->rtag = xrealloc(NULL, n + 1);
    d->gold = xrealloc(NULL, n + 1);
    d->feat = xrealloc(NULL, (n + 1) * MR_NER_MAX_FEATS * sizeof *d->feat);
    d->nfeat = xrealloc(NULL, n + 1);
    d->seq = xrealloc(NULL, (to - from + n + 2) * sizeof *d->seq);
    mr_ner_rule_tags(&d->f, d->rtag);
    if (mr_ner_features(&d->f.toks, d->rtag, d->feat, d->nfeat) != MARSAD_OK) {
        fputs("train_ner: out of memory\n", stderr);
        exit(1);
    }
    /* gold per marsad token, and sentence starts */
    size_t a = 0;
    d->seq[d->nseq++] = 0;
    for (size_t i = 0; i < n; i++) {
        const mr_tok *t = &d->f.toks.v[i];
        while (a < d->natok && d->aend[a] <= t->start)
            a++;
        int g = MR_NER_O;
        if (a < d->natok && d->astart[a] <= t->start && d->atag[a] != MR_NER_O) {
            int at = d->atag[a];
            bool word = t->kind != MARSAD_TOK_PUNCT && t->kind != MARSAD_TOK_SYMBOL;
            bool first = true; /* first word-like marsad token of a */
            for (size_t j = i; j-- > 0;) {
                const mr_tok *u = &d->f.toks.v[j];
                if (u->end <= d->astart[a])
                    break;
                if (u->kind != MARSAD_TOK_PUNCT && u->kind != MARSAD_TOK_SYMBOL)
                    first = false;
            }
            if (word)
                g = first ? at : (at % 2 ? at + 1 : at);
            else if (!first && t->end < d->aend[a])
                g = at % 2 ? at + 1 : at; /* inside, e.g. a hyphen */
        }
        d->gold[i] = (uint8_t)g;
        if (a < d->natok && d->asent_end[a] && t->end >= d->aend[a] && i + 1 < n)
            d->seq[d->nseq++] = i + 1;
    }
    d->seq[d->nseq] = n;
}

/* ------------------------------------------------------------ weights */

typedef struct model {
    uint32_t *slot_key; /* training hash table: key -> row */
    uint32_t *slot_row;
    size_t nslots;
    uint32_t *key;      /* per row */
    float *w, *u;       /* weights and their step-weighted sums */
    size_t nrows, cap;
    float tw[(NT + 1) * NT], tu[(NT + 1) * NT];
    long step;
} model;

static long row_find(const model *m, uint32_t h)
{
    size_t mask = m->nslots - 1;
    for (size_t s = h & mask;; s = (s + 1) & mask) {
        if (m->slot_key[s] == 0)
            return -1;
        if (m->slot_key[s] == h)
            return m->slot_row[s];
    }
}

static size_t row_get(model *m, uint32_t h)
{
    size_t mask = m->nslots - 1;
    size_t s = h & mask;
    for (;; s = (s + 1) & mask) {
        if (m->slot_key[s] == 0)
            break;
        if (m->slot_key[s] == h)
            return m->slot_row[s];
    }
    if (m->nrows == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 65536;
        m->key = xrealloc(m->key, m->cap * sizeof *m->key);
        m->w = xrealloc(m->w, m->cap * NT * sizeof *m->w);
        m->u = xrealloc(m->u, m->cap * NT * sizeof *m->u);
    }
    size_t r = m->nrows++;
    m->key[r] = h;
    memset(m->w + r * NT, 0, NT * sizeof *m->w);
    memset(m->u + r * NT, 0, NT * sizeof *m->u);
    m->slot_key[s] = h;
    m->slot_row[s] = (uint32_t)r;
    if (m->nrows * 2 > m->nslots) {
        fputs("train_ner: feature table full\n", stderr);
        exit(1);
    }
    return r;
}

static void model_init(model *m)
{
    memset(m, 0, sizeof *m);
    m->nslots = (size_t)1 << 22;
    m->slot_key = calloc(m->nslots, sizeof *m->slot_key);
    m->slot_row = calloc(m->nslots, sizeof *m->slot_row);
    if (!m->slot_key || !m->slot_row) {
        fputs("train_ner: out of memory\n", stderr);
        exit(1);
    }
    m->step = 1;
}

static void model_free(model *m)
{
    free(m->slot_key), free(m->slot_row), free(m->key), free(m->w), free(m->u);
}

/* Emission scores of tokens [a, b) of d with the current weights. */
static void emissions(const model *m, const doc *d, size_t a, size_t b,
                      float *emit)
{
    for (size_t i = a; i < b; i++) {
        float *e = emit + (i - a) * NT;
        memset(e, 0, NT * sizeof *e);
        const uint32_t *fv = d->feat + i * MR_NER_MAX_FEATS;
        for (size_t k = 0; k < d->nfeat[i]; k++) {
            long r = row_find(m, fv[k]);
            if (r >= 0)
                for (int t = 0; t < NT; t++)
                    e[t] += m->w[(size_t)r * NT + (size_t)t];
        }
    }
}

static void update(model *m, size_t r, int t, float v)
{
    m->w[r * NT + (size_t)t] += v;
    m->u[r * NT + (size_t)t] += (float)m->step * v;
}

static void update_trans(model *m, int a, int b, float v)
{
    size_t k = (size_t)(a + 1) * NT + (size_t)b;
    m->tw[k] += v;
    m->tu[k] += (float)m->step * v;
}

/* One perceptron pass over a sentence; returns tokens tagged wrong. */
static size_t learn(model *m, const doc *d, size_t a, size_t b, float *emit,
                    float *back, uint8_t *pred)
{
    emissions(m, d, a, b, emit);
    mr_ner_viterbi(emit, b - a, m->tw, back, pred);
    size_t wrong = 0;
    for (size_t i = a; i < b; i++)
        wrong += pred[i - a] != d->gold[i];
    if (wrong) {
        for (size_t i = a; i < b; i++) {
            int g = d->gold[i], p = pred[i - a];
            int gp = i > a ? d->gold[i - 1] : -1;
            int pp = i > a ? pred[i - a - 1] : -1;
            if (g != p) {
                const uint32_t *fv = d->feat + i * MR_NER_MAX_FEATS;
                for (size_t k = 0; k < d->nfeat[i]; k++) {
                    size_t r = row_get(m, fv[k]);
                    update(m, r, g, 1.0f);
                    update(m, r, p, -1.0f);
                }
            }
            if (g != p || gp != pp) {
                update_trans(m, gp, g, 1.0f);
                update_trans(m, pp, p, -1.0f);
            }
        }
    }
    m->step++;
    return wrong;
}

/* The averaged weights, quantised to int16 with one scale. */
typedef struct packed {
    mr_ner_slot *slots;
    size_t nslots, nrows;
    float scale;
    uint32_t *word_keys;
    mr_ner_word *words;
    size_t nwords, nwords_used;
    float wscale;
    float trans[(NT + 1) * NT];
} packed;

static void pack(const model *m, packed *p)
{
    memset(p, 0, sizeof *p);
    float maxw = 0;
    float *avg = xrealloc(NULL, m->nrows * NT * sizeof *avg);
    for (size_t k = 0; k < m->nrows * NT; k++) {
        avg[k] = m->w[k] - m->u[k] / (float)m->step;
        if (fabsf(avg[k]) > maxw)
            maxw = fabsf(avg[k]);
    }
    for (size_t k = 0; k < (NT + 1) * NT; k++)
        p->trans[k] = m->tw[k] - m->tu[k] / (float)m->step;
    p->scale = maxw > 0 ? maxw / 32000.0f : 1.0f;
    size_t kept = 0;
    int16_t *q = xrealloc(NULL, m->nrows * NT * sizeof *q);
    uint8_t *any = xrealloc(NULL, m->nrows + 1);
    for (size_t r = 0; r < m->nrows; r++) {
        any[r] = 0;
        for (int t = 0; t < NT; t++) {
            long v = lroundf(avg[r * NT + (size_t)t] / p->scale);
            q[r * NT + (size_t)t] = (int16_t)v;
            any[r] |= v != 0;
        }
        kept += any[r];
    }
    /* a load of at most 2/3 */
    p->nslots = 64;
    while (p->nslots * 2 < kept * 3)
        p->nslots *= 2;
    p->slots = calloc(p->nslots, sizeof *p->slots);
    for (size_t r = 0; r < m->nrows; r++) {
        if (!any[r])
            continue;
        size_t s = m->key[r] & (p->nslots - 1);
        while (p->slots[s].key)
            s = (s + 1) & (p->nslots - 1);
        p->slots[s].key = m->key[r];
        memcpy(p->slots[s].w, q + r * NT, NT * sizeof *q);
        p->nrows++;
    }
    free(avg), free(q), free(any);
}

static void packed_free(packed *p)
{
    free(p->slots);
    free(p->words);
    free(p->word_keys);
}

static mr_ner_model as_model(const packed *p)
{
    const char *merge = getenv("NER_MERGE");
    mr_ner_model m = {p->slots, p->nslots, p->nrows, p->scale, p->word_keys,
                      p->words, p->nwords, p->wscale, p->trans,
                      merge ? atoi(merge) : MERGE,
                      getenv("NER_MARGIN") ? (float)atof(getenv("NER_MARGIN"))
                                           : MIN_MARGIN,
                      false};
    return m;
}

/* The word table: the words seen in at least WORD_MIN training tokens,
 * with their shares of the scores around them summed and quantised. */
static void pack_words(packed *p, const doc *docs, size_t nd)
{
    size_t nslots = (size_t)1 << 20, mask = nslots - 1;
    uint32_t *key = calloc(nslots, sizeof *key), *cnt = calloc(nslots, sizeof *cnt);
    size_t *where = calloc(nslots, 2 * sizeof *where);
    if (!key || !cnt || !where) {
        fputs("train_ner: out of memory\n", stderr);
        exit(1);
    }
    size_t types = 0;
    for (size_t di = 0; di < nd; di++)
        for (size_t i = 0; i < docs[di].f.toks.n; i++) {
            uint32_t h = mr_ner_word_key(&docs[di].f.toks, i);
            size_t s = h & mask;
            while (key[s] && key[s] != h)
                s = (s + 1) & mask;
            if (!key[s]) {
                key[s] = h;
                where[2 * s] = di, where[2 * s + 1] = i;
            }
            if (++cnt[s] == WORD_MIN)
                types++;
        }
    p->nwords = 64;
    while (p->nwords * 2 < types * 3)
        p->nwords *= 2;
    p->words = calloc(p->nwords, sizeof *p->words);
    p->word_keys = calloc(p->nwords, sizeof *p->word_keys);
    float (*share)[5][NT] = xrealloc(NULL, (types + 1) * sizeof *share);
    uint32_t *wkey = xrealloc(NULL, (types + 1) * sizeof *wkey);
    mr_ner_model m = as_model(p);
    m.words = NULL;
    float maxw = 0;
    size_t k = 0;
    for (size_t s = 0; s < nslots; s++) { /* slot order: deterministic */
        if (cnt[s] < WORD_MIN)
            continue;
        mr_ner_word_share(&docs[where[2 * s]].f.toks, where[2 * s + 1], &m,
                          share[k]);
        wkey[k] = key[s];
        for (int o = 0; o < 5; o++)
            for (int t = 0; t < NT; t++)
                if (fabsf(share[k][o][t]) > maxw)
                    maxw = fabsf(share[k][o][t]);
        k++;
    }
    p->wscale = maxw > 0 ? maxw / 32000.0f : 1.0f;
    for (size_t r = 0; r < k; r++) {
        size_t s = wkey[r] & (p->nwords - 1);
        while (p->word_keys[s])
            s = (s + 1) & (p->nwords - 1);
        p->word_keys[s] = wkey[r];
        for (int o = 0; o < 5; o++)
            for (int t = 0; t < NT; t++)
                p->words[s].w[o][t] = (int16_t)lroundf(share[r][o][t] / p->wscale);
    }
    p->nwords_used = k;
    free(key), free(cnt), free(where), free(share), free(wkey);
}

/* ------------------------------------------------------------ scoring */

typedef struct score {
    long tp[3], fp[3], fn[3];
} score;

typedef struct span3 {
    size_t a, b;
    int k; /* 0 person, 1 place, 2 organisation */
} span3;

static int kind_index(int tag)
{
    return tag == MR_NER_B_PER ? 0 : tag == MR_NER_B_LOC ? 1
                                   : tag == MR_NER_B_ORG ? 2 : -1;
}

static bool has(const span3 *v, size_t n, span3 x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].a == x.a && v[i].b == x.b && v[i].k == x.k)
            return true;
    return false;
}

/* ANERcorp tokens [first, last] that bytes [s, e) touch; false if none. */
static bool cover(const doc *d, size_t s, size_t e, size_t *first, size_t *last)
{
    bool any = false;
    for (size_t i = 0; i < d->natok; i++)
        if (d->astart[i] < e && d->aend[i] > s) {
            if (!any)
                *first = i;
            *last = i;
            any = true;
        }
    return any;
}

static bool debug;

static void dump(const doc *d, const char *what, span3 x)
{
    static const char *const kn[3] = {"PER", "LOC", "ORG"};
    size_t a = x.a >= 3 ? x.a - 3 : 0, b = x.b + 3 < d->natok ? x.b + 3 : d->natok - 1;
    printf("%s %s\t%.*s\t| %.*s [%.*s] %.*s\n", what, kn[x.k],
           (int)(d->aend[x.b] - d->astart[x.a]), d->text + d->astart[x.a],
           (int)(d->astart[x.a] - d->astart[a]), d->text + d->astart[a],
           (int)(d->aend[x.b] - d->astart[x.a]), d->text + d->astart[x.a],
           (int)(d->aend[b] - d->aend[x.b]), d->text + d->aend[x.b]);
}

static void score_doc(const doc *d, const span3 *pred, size_t np, score *sc)
{
    span3 *gold = xrealloc(NULL, (d->natok + 1) * sizeof *gold);
    size_t ng = 0;
    /* as score_entities.py: B starts a span, I continues one of its kind
     * (or starts one after O); MISC is not scored */
    long start = -1;
    int kind = -1;
    for (size_t i = 0; i <= d->natok; i++) {
        int t = i < d->natok ? d->atag[i] : MR_NER_O;
        int k = t == MR_NER_O ? -1 : (t - 1) / 2;
        bool isb = t != MR_NER_O && t % 2 == 1, isi = t != MR_NER_O && !isb;
        if (k == 3)
            k = -1;
        if (start >= 0 && (!isi || k != kind)) {
            gold[ng++] = (span3){(size_t)start, i - 1, kind};
            start = -1;
        }
        if (isb && k >= 0)
            start = (long)i, kind = k;
        else if (isi && k >= 0 && start < 0)
            start = (long)i, kind = k;
    }
    /* predictions: deduplicated */
    for (size_t i = 0; i < np; i++) {
        bool dup = false;
        for (size_t j = 0; j < i; j++)
            dup |= pred[j].a == pred[i].a && pred[j].b == pred[i].b &&
                   pred[j].k == pred[i].k;
        if (dup)
            continue;
        if (has(gold, ng, pred[i]))
            sc->tp[pred[i].k]++;
        else {
            sc->fp[pred[i].k]++;
            if (debug)
                dump(d, "FP", pred[i]);
        }
    }
    for (size_t i = 0; i < ng; i++)
        if (!has(pred, np, gold[i])) {
            sc->fn[gold[i].k]++;
            if (debug)
                dump(d, "FN", gold[i]);
        }
    free(gold);
}

static double f1(long tp, long fp, long fn)
{
    return tp ? 2.0 * (double)tp / (double)(2 * tp + fp + fn) : 0.0;
}

static double micro(const score *s)
{
    long tp = 0, fp = 0, fn = 0;
    for (int k = 0; k < 3; k++)
        tp += s->tp[k], fp += s->fp[k], fn += s->fn[k];
    return f1(tp, fp, fn);
}

/* Entities of f (person, place, organisation/outlet) as ANERcorp spans. */
static size_t entity_spans(const doc *d, const mr_facts *f, span3 *out)
{
    size_t n = 0;
    for (size_t i = 0; i < f->entities.n; i++) {
        const mr_entity *e = &f->entities.v[i];
        int k = e->kind == MR_ENT_PERSON ? 0 : e->kind == MR_ENT_PLACE ? 1 : 2;
        size_t a = 0, b = 0;
        if (cover(d, e->start, e->end, &a, &b))
            out[n++] = (span3){a, b, k};
    }
    return n;
}

/* Scores model p on docs: the model alone (tags -> spans) and with the
 * rules (mr_ner_apply). */
static void evaluate(const packed *p, doc *docs, size_t nd, score *alone,
                     score *both, score *rules)
{
    memset(alone, 0, sizeof *alone);
    memset(both, 0, sizeof *both);
    memset(rules, 0, sizeof *rules);
    mr_ner_model m = as_model(p);
    for (size_t di = 0; di < nd; di++) {
        doc *d = &docs[di];
        size_t n = d->f.toks.n;
        float *emit = xrealloc(NULL, (n + 1) * NT * sizeof *emit);
        float *back = xrealloc(NULL, (n + 1) * NT * sizeof *back);
        uint8_t *tags = xrealloc(NULL, n + 1);
        span3 *pred = xrealloc(NULL, (n + d->f.entities.n + 1) * 2 * sizeof *pred);
        for (size_t i = 0; i < n; i++) {
            int32_t sum[NT] = {0};
            for (size_t k = 0; k < d->nfeat[i]; k++) {
                uint32_t h = d->feat[i * MR_NER_MAX_FEATS + k];
                size_t mask = p->nslots - 1;
                for (size_t s = h & mask; p->slots[s].key; s = (s + 1) & mask)
                    if (p->slots[s].key == h) {
                        for (int t = 0; t < NT; t++)
                            sum[t] += p->slots[s].w[t];
                        break;
                    }
            }
            for (int t = 0; t < NT; t++)
                emit[i * NT + (size_t)t] = (float)sum[t] * p->scale;
        }
        mr_ner_viterbi(emit, n, p->trans, back, tags);
        size_t np = 0;
        for (size_t i = 0; i < n;) {
            int k = kind_index(tags[i]);
            if (k < 0) {
                i++;
                continue;
            }
            size_t j = i + 1;
            while (j < n && tags[j] == tags[i] + 1)
                j++;
            size_t a = 0, b = 0;
            if (cover(d, d->f.toks.v[i].start, d->f.toks.v[j - 1].end, &a, &b))
                pred[np++] = (span3){a, b, k};
            i = j;
        }
        debug = getenv("NER_DEBUG") != NULL;
        score_doc(d, pred, np, alone);
        debug = false;
        np = entity_spans(d, &d->f, pred);
        score_doc(d, pred, np, rules);
        /* with the rules: a copy of the rules' facts run through apply */
        mr_facts g;
        memset(&g, 0, sizeof g);
        if (mr_toks_build(&g.toks, d->text, d->len, 0) != MARSAD_OK ||
            mr_extract_entities(d->text, d->len, &g) != MARSAD_OK ||
            mr_ner_apply(d->text, d->len, &g, &m) != MARSAD_OK) {
            fputs("train_ner: extraction failed\n", stderr);
            exit(1);
        }
        pred = xrealloc(pred, (g.entities.n + 1) * sizeof *pred);
        np = entity_spans(d, &g, pred);
        debug = getenv("NER_DEBUG_BOTH") != NULL;
        score_doc(d, pred, np, both);
        debug = false;
        free(g.entities.v);
        mr_toks_free(&g.toks);
        mr_arena_free(&g.arena);
        free(emit), free(back), free(tags), free(pred);
    }
}

static void print_score(const char *label, const score *s)
{
    printf("  %-12s F1 %.3f (person %.3f, place %.3f, organisation %.3f)\n",
           label, micro(s), f1(s->tp[0], s->fp[0], s->fn[0]),
           f1(s->tp[1], s->fp[1], s->fn[1]), f1(s->tp[2], s->fp[2], s->fn[2]));
}

/* ------------------------------------------------------------ training */

static uint64_t rng = 20260416u;
static uint32_t next_rand(void)
{
    rng = rng * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng >> 33);
}

typedef struct seqref {
    size_t doc, k;
} seqref;

/* With --folds: each epoch's scores summed over the folds. */
static score fold_alone[64], fold_both[64];
static bool folding;

static void score_add(score *a, const score *b)
{
    for (int k = 0; k < 3; k++)
        a->tp[k] += b->tp[k], a->fp[k] += b->fp[k], a->fn[k] += b->fn[k];
}

/* Trains for `epochs` epochs on docs; with dev, prints the curve and
 * returns the best epoch count. */
static int train(model *m, doc *docs, size_t nd, int epochs, doc *dev,
                 size_t ndev)
{
    size_t nseq = 0, maxlen = 0;
    for (size_t d = 0; d < nd; d++) {
        nseq += docs[d].nseq;
        for (size_t k = 0; k < docs[d].nseq; k++)
            if (docs[d].seq[k + 1] - docs[d].seq[k] > maxlen)
                maxlen = docs[d].seq[k + 1] - docs[d].seq[k];
    }
    seqref *order = xrealloc(NULL, nseq * sizeof *order);
    size_t o = 0;
    for (size_t d = 0; d < nd; d++)
        for (size_t k = 0; k < docs[d].nseq; k++)
            order[o++] = (seqref){d, k};
    float *emit = xrealloc(NULL, (maxlen + 1) * NT * sizeof *emit);
    float *back = xrealloc(NULL, (maxlen + 1) * NT * sizeof *back);
    uint8_t *pred = xrealloc(NULL, maxlen + 1);
    int best = 1;
    double bestf = -1;
    for (int ep = 1; ep <= epochs; ep++) {
        for (size_t i = nseq; i > 1; i--) { /* Fisher-Yates, fixed seed */
            size_t j = next_rand() % i;
            seqref t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        size_t wrong = 0, total = 0;
        for (size_t i = 0; i < nseq; i++) {
            const doc *d = &docs[order[i].doc];
            size_t a = d->seq[order[i].k], b = d->seq[order[i].k + 1];
            if (b <= a)
                continue;
            wrong += learn(m, d, a, b, emit, back, pred);
            total += b - a;
        }
        printf("epoch %2d: training tokens tagged wrong %.4f, features %zu\n",
               ep, (double)wrong / (double)(total ? total : 1), m->nrows);
        if (dev) {
            packed p;
            pack(m, &p);
            pack_words(&p, docs, nd);
            score alone, both, rules;
            evaluate(&p, dev, ndev, &alone, &both, &rules);
            if (folding && ep < 64) {
                score_add(&fold_alone[ep], &alone);
                score_add(&fold_both[ep], &both);
            }
            if (ep == 1)
                print_score("rules", &rules);
            print_score("model", &alone);
            print_score("with rules", &both);
            if (micro(&both) > bestf + 1e-9)
                bestf = micro(&both), best = ep;
            packed_free(&p);
        }
        fflush(stdout);
    }
    free(order), free(emit), free(back), free(pred);
    return best;
}

static void write_inc(const packed *p, const char *path, size_t ntrain_sent,
                      size_t nsent, int epochs)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *out = fopen(tmp, "w");
    if (!out) {
        fprintf(stderr, "train_ner: cannot write %s\n", tmp);
        exit(1);
    }
    fprintf(out,
            "/* GENERATED by tools/train_ner.c (make model): do not edit.\n"
            " * Name tagger weights (src/extract/ner.h), an averaged perceptron\n"
            " * trained %d epochs on ANERcorp's first %zu of %zu sentences\n"
            " * (Benajiba et al. 2007; research use, see docs/entities.md). */\n",
            epochs, ntrain_sent, nsent);
    fprintf(out, "#define NER_NROWS %zu\n#define NER_NSLOTS %zu\n", p->nrows,
            p->nslots);
    fprintf(out, "#define NER_SCALE %.9ef\n", (double)p->scale);
    fprintf(out, "#define NER_MERGE %d\n#define NER_MIN_MARGIN %.9ef\n", MERGE,
            (double)MIN_MARGIN);
    fprintf(out, "static const float ner_trans[%d] = {", (NT + 1) * NT);
    for (int k = 0; k < (NT + 1) * NT; k++)
        fprintf(out, "%s%.9ef", k ? "," : "", (double)p->trans[k]);
    fprintf(out, "};\nstatic const mr_ner_slot ner_slots[NER_NSLOTS] = {\n");
    for (size_t s = 0; s < p->nslots; s++) {
        const mr_ner_slot *x = &p->slots[s];
        if (!x->key) {
            fputs("{0,{0}},\n", out);
            continue;
        }
        fprintf(out, "{%uu,{", x->key);
        for (int t = 0; t < NT; t++)
            fprintf(out, "%s%d", t ? "," : "", x->w[t]);
        fputs("}},\n", out);
    }
    fprintf(out, "};\n#define NER_NWORDS %zu\n#define NER_WSCALE %.9ef\n",
            p->nwords, (double)p->wscale);
    fprintf(out, "static const uint32_t ner_word_keys[NER_NWORDS] = {\n");
    for (size_t s = 0; s < p->nwords; s++)
        fprintf(out, "%uu,%s", p->word_keys[s], s % 8 == 7 ? "\n" : "");
    fprintf(out, "};\nstatic const mr_ner_word ner_words[NER_NWORDS] = {\n");
    for (size_t s = 0; s < p->nwords; s++) {
        const mr_ner_word *x = &p->words[s];
        if (!p->word_keys[s]) {
            fputs("{{{0}}},\n", out);
            continue;
        }
        fputs("{{", out);
        for (int o = 0; o < 5; o++) {
            fputs(o ? ",{" : "{", out);
            for (int t = 0; t < NT; t++)
                fprintf(out, "%s%d", t ? "," : "", x->w[o][t]);
            fputc('}', out);
        }
        fputs("}},\n", out);
    }
    fprintf(out, "};\n");
    if (fclose(out) != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "train_ner: cannot write %s\n", path);
        exit(1);
    }
}

/* Leaves out of the training docs' feature lists the features seen in
 * fewer than MIN_COUNT tokens (a smaller table, and faster at run time). */
static void prune(doc *docs, size_t nd)
{
    unsigned min_count = getenv("NER_MIN_COUNT") ? (unsigned)atoi(getenv("NER_MIN_COUNT")) : MIN_COUNT;
    size_t nslots = (size_t)1 << 22, mask = nslots - 1;
    uint32_t *key = calloc(nslots, sizeof *key), *cnt = calloc(nslots, sizeof *cnt);
    if (!key || !cnt) {
        fputs("train_ner: out of memory\n", stderr);
        exit(1);
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t di = 0; di < nd; di++) {
            doc *d = &docs[di];
            for (size_t i = 0; i < d->f.toks.n; i++) {
                uint32_t *fv = d->feat + i * MR_NER_MAX_FEATS;
                size_t o = 0;
                for (size_t k = 0; k < d->nfeat[i]; k++) {
                    size_t s = fv[k] & mask;
                    while (key[s] && key[s] != fv[k])
                        s = (s + 1) & mask;
                    if (pass == 0) {
                        key[s] = fv[k];
                        cnt[s]++;
                    } else if (cnt[s] >= min_count)
                        fv[o++] = fv[k];
                }
                if (pass == 1)
                    d->nfeat[i] = (uint8_t)o;
            }
        }
    free(key), free(cnt);
}

static doc *make_docs(const sent *ss, size_t from, size_t to, size_t *nd)
{
    size_t n = (to - from + SENTENCES_PER_DOC - 1) / SENTENCES_PER_DOC;
    doc *docs = xrealloc(NULL, (n + 1) * sizeof *docs);
    for (size_t k = 0; k < n; k++) {
        size_t a = from + k * SENTENCES_PER_DOC;
        size_t b = a + SENTENCES_PER_DOC < to ? a + SENTENCES_PER_DOC : to;
        doc_build(&docs[k], ss, a, b);
    }
    *nd = n;
    return docs;
}

int main(int argc, char **argv)
{
    const char *shared = "../shared", *out = NULL;
    int epochs = 0, max_epochs = MAX_EPOCHS;
    bool curve_only = false;
    int folds = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--shared") && i + 1 < argc)
            shared = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--epochs") && i + 1 < argc)
            epochs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--max-epochs") && i + 1 < argc)
            max_epochs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--curve"))
            curve_only = true;
        else if (!strcmp(argv[i], "--folds") && i + 1 < argc)
            folds = atoi(argv[++i]);
        else {
            fputs("usage: train_ner --shared DIR --out FILE.inc [--epochs N]\n"
                  "       train_ner --shared DIR --curve [--max-epochs N]\n"
                  "       train_ner --shared DIR --folds K [--max-epochs N]\n",
                  stderr);
            return 2;
        }
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/corpus/anercorp/ANERCorp.txt", shared);
    size_t ns;
    sent *ss = read_corpus(path, &ns);
    size_t test = (size_t)((double)ns * 0.8); /* as score_entities.py */
    size_t tune = (size_t)((double)ns * 0.7);
    printf("ANERcorp: %zu sentences; training [0, %zu), tuning [%zu, %zu), "
           "test [%zu, %zu) not read\n", ns, tune, tune, test, test, ns);
    if (folds > 1) {
        /* cross-validation over the first 80 %: fold k tunes on its
         * sentences [k, k + 1) / folds and trains on the rest */
        folding = true;
        for (int k = 0; k < folds; k++) {
            size_t a = test * (size_t)k / (size_t)folds,
                   b = test * (size_t)(k + 1) / (size_t)folds;
            size_t n1, n2, nv;
            doc *d1 = make_docs(ss, 0, a, &n1);
            doc *d2 = make_docs(ss, b, test, &n2);
            doc *tr2 = xrealloc(NULL, (n1 + n2 + 1) * sizeof *tr2);
            if (n1)
                memcpy(tr2, d1, n1 * sizeof *tr2);
            if (n2)
                memcpy(tr2 + n1, d2, n2 * sizeof *tr2);
            prune(tr2, n1 + n2);
            doc *dv = make_docs(ss, a, b, &nv);
            printf("fold %d: tuning on [%zu, %zu)\n", k, a, b);
            model m;
            model_init(&m);
            train(&m, tr2, n1 + n2, max_epochs, dv, nv);
            model_free(&m);
            for (size_t i = 0; i < n1 + n2; i++)
                doc_free(&tr2[i]);
            for (size_t i = 0; i < nv; i++)
                doc_free(&dv[i]);
            free(d1), free(d2), free(tr2), free(dv);
        }
        printf("folds summed:\n");
        for (int ep = 1; ep <= max_epochs && ep < 64; ep++) {
            printf("epoch %2d:\n", ep);
            print_score("model", &fold_alone[ep]);
            print_score("with rules", &fold_both[ep]);
        }
        return 0;
    }
    size_t ntr, ndev, nall;
    doc *tr = make_docs(ss, 0, tune, &ntr);
    prune(tr, ntr);
    doc *dev = make_docs(ss, tune, test, &ndev);
    if (epochs <= 0) {
        model m;
        model_init(&m);
        epochs = train(&m, tr, ntr, max_epochs, dev, ndev);
        model_free(&m);
        printf("best on the tuning slice: %d epochs\n", epochs);
        if (curve_only)
            return 0;
    }
    doc *all = make_docs(ss, 0, test, &nall);
    prune(all, nall);
    model m;
    model_init(&m);
    printf("final training on [0, %zu), %d epochs\n", test, epochs);
    train(&m, all, nall, epochs, NULL, 0);
    packed p;
    pack(&m, &p);
    pack_words(&p, all, nall);
    printf("weights: %zu features kept of %zu; %zu words in the word table\n",
           p.nrows, m.nrows, p.nwords_used);
    if (out)
        write_inc(&p, out, test, ns, epochs);
    packed_free(&p);
    model_free(&m);
    return 0;
}
