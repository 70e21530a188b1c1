/*
 * ner_feat.c: the name tagger's features, Viterbi decoding and the meeting
 * of its names with the rules' entities (see ner.h). Knows no weights of
 * its own: ner.c holds the compiled ones, tools/train_ner.c trains them.
 */
#include <math.h>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "extract/facts_util.h"
#include "extract/ner.h"
#include "extract/xutil.h"

#include "lex_ent_cldr_places.inc"
#include "lex_ent_first_names.inc"
#include "lex_ent_gazetteer.inc"
#include "lex_ent_words.inc"

/* Normalised letters (two bytes each). */
#define L_WAW "\xd9\x88"
#define L_FA "\xd9\x81"
#define L_BA "\xd8\xa8"
#define L_KAF "\xd9\x83"
#define L_LAM "\xd9\x84"
#define L_ALEF "\xd8\xa7"
#define L_AL L_ALEF L_LAM

/* ------------------------------------------------------------ helpers */

static bool starts(const char *s, size_t n, const char *p)
{
    size_t m = strlen(p);
    return n >= m && memcmp(s, p, m) == 0;
}

static size_t letters(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Byte length of the first k letters of s[0..n) (all of it if shorter). */
static size_t head_bytes(const char *s, size_t n, size_t k)
{
    size_t i = 0;
    while (i < n && k > 0) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        k--;
    }
    return i;
}

/* Byte offset where the last k letters of s[0..n) begin. */
static size_t tail_start(const char *s, size_t n, size_t k)
{
    size_t i = n;
    while (i > 0 && k > 0) {
        i--;
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
            i--;
        k--;
    }
    return i;
}

static bool is_word(const mr_tok *t)
{
    return t->kind == MARSAD_TOK_ARABIC || t->kind == MARSAD_TOK_LATIN;
}

/* Clitics split off a normalised word (bits). */
enum { CL_CONJ = 1, CL_PREP = 2, CL_ART = 4 };

/*
 * The word without و/ف, then ب/ك/ل before an article (لل = ل + ال), then
 * the article ال; *off and *len: the core, *cl: which were split; *lk: the form
 * worth looking up in the lexicons (clitics gone, the article kept).
 */
static void split_clitics(const char *w, size_t n, size_t *off, size_t *len,
                          unsigned *cl, size_t *lk)
{
    size_t o = 0;
    unsigned c = 0;
    if ((starts(w, n, L_WAW) || starts(w, n, L_FA)) && letters(w, n) >= 4)
        o = 2, c |= CL_CONJ;
    *lk = o;
    if (starts(w + o, n - o, L_LAM L_LAM) && letters(w + o, n - o) >= 4) {
        o += 4, c |= CL_PREP | CL_ART; /* لل + X is ل + الX */
        *lk = o; /* looked up as X: the article's alef is gone */
    } else {
        if ((starts(w + o, n - o, L_BA) || starts(w + o, n - o, L_KAF) ||
             starts(w + o, n - o, L_LAM)) &&
            starts(w + o + 2, n - o - 2, L_AL) && letters(w + o, n - o) >= 5)
            o += 2, c |= CL_PREP, *lk = o;
        if (starts(w + o, n - o, L_AL) && letters(w + o, n - o) >= 4)
            o += 4, c |= CL_ART;
    }
    *off = o;
    *len = n - o;
    *cl = c;
}

/* ------------------------------------------------------------ token info */

typedef struct tokinfo {
    const char *gaz;   /* kind in the gazetteer or CLDR places, or NULL */
    const char *role;  /* role in ent_words.tsv, or NULL */
    bool first;        /* a first name */
    int clus;          /* fine word cluster, -1 none */
    int art;           /* article share (mr_ner_clusters), 0 none */
    uint32_t brown;    /* Brown path (mr_ner_clusters), 0 none */
    unsigned cl;       /* clitics split off */
    size_t core, core_len; /* bytes in the normalised form */
} tokinfo;

static long find3(const mr_lex *lx, const char *w, size_t n, size_t lk,
                  char *tmp)
{
    long r = mr_lex_find(lx, w, n);
    if (r < 0 && lk > 0)
        r = mr_lex_find(lx, w + lk, n - lk);
    if (r < 0 && n > 4 && starts(w, n, L_LAM L_LAM) && n < 256) {
        memcpy(tmp, L_AL, 4); /* للعراق -> العراق */
        memcpy(tmp + 4, w + 4, n - 4);
        r = mr_lex_find(lx, tmp, n);
    }
    return r;
}

static int cluster_of(const mr_toks *tv, size_t i, int *art, uint32_t *brown);

/* Token i's info; with `full` false only what the rules' tag features
 * need (the clitics split off and the gazetteer kind), not the cluster,
 * first names and roles. */
static void info_part(const mr_toks *tv, size_t i, tokinfo *ti, bool full)
{
    memset(ti, 0, sizeof *ti);
    ti->clus = -1;
    if (full)
        ti->clus = cluster_of(tv, i, &ti->art, &ti->brown);
    const mr_tok *t = &tv->v[i];
    if (!is_word(t))
        return;
    const char *w = mr_tok_norm(tv, i);
    size_t n = t->norm_len, lk;
    split_clitics(w, n, &ti->core, &ti->core_len, &ti->cl, &lk);
    char tmp[256];
    long r = find3(&mr_lex_ent_gazetteer, w, n, lk, tmp);
    if (r >= 0)
        ti->gaz = mr_lex_cell(&mr_lex_ent_gazetteer, (size_t)r, 2);
    else if ((r = find3(&mr_lex_ent_cldr_places, w, n, lk, tmp)) >= 0)
        ti->gaz = "cldr";
    if (!full)
        return;
    ti->first = find3(&mr_lex_ent_first_names, w, n, lk, tmp) >= 0;
    r = find3(&mr_lex_ent_words, w, n, lk, tmp);
    if (r >= 0)
        ti->role = mr_lex_cell(&mr_lex_ent_words, (size_t)r, 2);
}

static void info_of(const mr_toks *tv, size_t i, tokinfo *ti)
{
    info_part(tv, i, ti, true);
}

void mr_ner_rule_tags(const mr_facts *f, uint8_t *rtag)
{
    const mr_toks *tv = &f->toks;
    memset(rtag, MR_NER_O, tv->n);
    size_t t = 0;
    for (size_t k = 0; k < f->entities.n; k++) {
        const mr_entity *e = &f->entities.v[k];
        int b;
        switch (e->kind) {
        case MR_ENT_PERSON: b = MR_NER_B_PER; break;
        case MR_ENT_PLACE: b = MR_NER_B_LOC; break;
        default: b = MR_NER_B_ORG; break;
        }
        while (t < tv->n && tv->v[t].end <= e->start)
            t++;
        /* entities are sorted by start and never overlap */
        for (size_t j = t, first = 1; j < tv->n && tv->v[j].start < e->end;
             j++, first = 0)
            rtag[j] = (uint8_t)(first ? b : b + 1);
    }
}

/* -------------------------------------------------------------- features */

#define FNV_PRIME 16777619u

static uint32_t h_init(unsigned tpl)
{
    return (2166136261u ^ tpl) * FNV_PRIME;
}

static uint32_t h_more(uint32_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= FNV_PRIME;
    }
    return h;
}

static uint32_t h_str(unsigned tpl, const char *s, size_t n)
{
    uint32_t h = h_more(h_init(tpl), s, n);
    return h ? h : 1; /* 0 marks an empty slot */
}

/* A cluster feature: template and cluster number. */
static uint32_t h_cl(unsigned tpl, int cl)
{
    char b[2] = {(char)(cl & 0xff), (char)(cl >> 8)};
    return h_str(tpl, b, 2);
}

/* The first k bits of a Brown path (all of it when shorter), with k. */
static uint32_t h_br(unsigned tpl, uint32_t path, unsigned k)
{
    unsigned len = path >> 24, u = k < len ? k : len;
    uint32_t pre = u ? (path & 0xffffffu) >> (len - u) : 0;
    char b[4] = {(char)k, (char)(pre & 0xff), (char)((pre >> 8) & 0xff),
                 (char)(pre >> 16)};
    return h_str(tpl, b, 4);
}

/* Template ids: fixed forever for a given weights file. */
enum {
    T_BIAS, T_W0, T_STEM, T_CORE, T_CL, T_PRE2, T_PRE3, T_SUF1, T_SUF2,
    T_SUF3, T_SHAPE, T_WM1, T_WP1, T_WM2, T_WP2, T_CM1, T_CP1, T_PAIR_L /* unused */,
    T_PAIR_R /* unused */, T_GAZ0, T_GAZM1, T_GAZP1, T_FN0, T_FNM1, T_FNP1, T_ROLE0,
    T_ROLEM1, T_ROLEP1, T_ROLEM2, T_R0, T_RM1, T_RP1, T_R3, T_CSUF2,
    T_R0_CORE, T_GAZ_R0, T_RM2, T_RP2, T_WORD, T_PRE4, T_SUF4, T_NGRAM,
    T_SM1, T_SP1, T_SHM1, T_SHP1, T_SUFM1, T_SUFP1, T_CM2, T_CP2, T_GAZM2,
    T_GAZP2, T_FNM2, T_FNP2, T_ROLEP2, T_CLUSTER, T_CL0, T_CLC0, T_CLM1,
    T_CLP1, T_CLCM2, T_CLCP2, T_ART0, T_ARTM1, T_ARTP1, T_BR0
};

static const char *const tag_names[MR_NER_NTAGS] = {
    "O", "BP", "IP", "BL", "IL", "BO", "IO", "BM", "IM"};


/* The normalised form of token j, or a boundary marker. */
static void word_at(const mr_toks *tv, long j, const char **s, size_t *n)
{
    if (j < 0) {
        *s = "<s>", *n = 3;
    } else if ((size_t)j >= tv->n) {
        *s = "</s>", *n = 4;
    } else {
        *s = mr_tok_norm(tv, (size_t)j);
        *n = tv->v[j].norm_len;
        if (tv->v[j].kind == MARSAD_TOK_NUMBER)
            *s = "<num>", *n = 5;
    }
}

/* Offsets a word's features reach: the word itself, one and two tokens
 * after it (it is their left context) and before it (their right). */
#define NOFF 5 /* o = -2 .. 2, index o + 2 */

/* The templates of a word next to the token scored, by side. */
typedef struct side_tpl {
    unsigned w, core, stem, shape, suf, gaz, clus, first, role, art;
} side_tpl;

static const side_tpl side_before = {T_WM1, T_CM1, T_SM1, T_SHM1, T_SUFM1,
                                     T_GAZM1, T_CLM1, T_FNM1, T_ROLEM1,
                                     T_ARTM1};
static const side_tpl side_after = {T_WP1, T_CP1, T_SP1, T_SHP1, T_SUFP1,
                                    T_GAZP1, T_CLP1, T_FNP1, T_ROLEP1,
                                    T_ARTP1};

/* The features word j (form w0) gives to the token next to it. */
static size_t near_feats(const mr_toks *tv, const tokinfo *x, size_t j,
                         const char *w0, size_t n0, const side_tpl *tp,
                         uint32_t *out)
{
    size_t k = 0;
    const mr_tok *t = &tv->v[j];
    const char *s = is_word(t) ? w0 + x->core : w0;
    size_t n = is_word(t) ? x->core_len : n0;
    out[k++] = h_str(tp->w, w0, n0);
    out[k++] = h_str(tp->core, s, n);
    if (is_word(t))
        out[k++] = h_str(tp->stem, mr_tok_stem(tv, j), t->stem_len);
    char sh = (char)('0' + t->kind);
    out[k++] = h_str(tp->shape, &sh, 1);
    size_t s2 = tail_start(s, n, 2);
    out[k++] = h_str(tp->suf, s + s2, n - s2);
    if (x->gaz)
        out[k++] = h_str(tp->gaz, x->gaz, strlen(x->gaz));
    if (x->clus >= 0)
        out[k++] = h_cl(tp->clus, x->clus);
    if (x->art)
        out[k++] = h_cl(tp->art, x->art);
    if (x->first)
        out[k++] = h_str(tp->first, "1", 1);
    if (x->role)
        out[k++] = h_str(tp->role, x->role, strlen(x->role));
    return k;
}

/*
 * The features token j gives to token j + o (o in -2..2), which depend on
 * token j alone (its normalised form, kind and flags): so a word's share
 * of its neighbourhood's scores can be summed once for good (the word
 * table of mr_ner_model).
 */
static size_t word_feats(const mr_toks *tv, const tokinfo *x, size_t j, int o,
                         uint32_t *out)
{
    size_t k = 0;
    const mr_tok *t = &tv->v[j];
    const char *w0;
    size_t n0;
    word_at(tv, (long)j, &w0, &n0);
    switch (o) {
    case 0:
        out[k++] = h_str(T_W0, w0, n0);
        if (is_word(t)) {
            out[k++] = h_str(T_STEM, mr_tok_stem(tv, j), t->stem_len);
            const char *c = w0 + x->core;
            size_t cn = x->core_len;
            out[k++] = h_str(T_CORE, c, cn);
            char cl = (char)('0' + x->cl);
            out[k++] = h_str(T_CL, &cl, 1);
            out[k++] = h_str(T_PRE2, c, head_bytes(c, cn, 2));
            out[k++] = h_str(T_PRE3, c, head_bytes(c, cn, 3));
            size_t s1 = tail_start(w0, n0, 1), s2 = tail_start(w0, n0, 2),
                   s3 = tail_start(w0, n0, 3);
            out[k++] = h_str(T_SUF1, w0 + s1, n0 - s1);
            out[k++] = h_str(T_SUF2, w0 + s2, n0 - s2);
            out[k++] = h_str(T_SUF3, w0 + s3, n0 - s3);
            size_t cs2 = tail_start(c, cn, 2);
            out[k++] = h_str(T_CSUF2, c + cs2, cn - cs2);
            out[k++] = h_str(T_PRE4, c, head_bytes(c, cn, 4));
            size_t s4 = tail_start(c, cn, 4);
            out[k++] = h_str(T_SUF4, c + s4, cn - s4);
            /* letter trigrams of the core (at most 8) */
            size_t a = 0;
            for (int g = 0; g < 8 && a < cn; g++) {
                size_t b = head_bytes(c + a, cn - a, 3);
                if (a + b >= cn && g > 0)
                    break;
                out[k++] = h_str(T_NGRAM, c + a, b);
                a += head_bytes(c + a, cn - a, 1);
            }
        }
        {
            size_t len = letters(w0, n0);
            char sh[3] = {(char)('0' + t->kind),
                          (char)('0' + (len > 9 ? 9 : len)),
                          (char)('0' + ((t->flags & MARSAD_TOKF_SPLIT_PREFIX) != 0))};
            out[k++] = h_str(T_SHAPE, sh, 3);
        }
        if (x->gaz)
            out[k++] = h_str(T_GAZ0, x->gaz, strlen(x->gaz));
        if (x->clus >= 0) {
            out[k++] = h_cl(T_CL0, x->clus);
            out[k++] = h_cl(T_CLC0, mr_ner_clusters_compiled.coarse[x->clus]);
        }
        if (x->art)
            out[k++] = h_cl(T_ART0, x->art);
        if (x->brown) { /* its Brown cluster at four grains */
            out[k++] = h_br(T_BR0, x->brown, 4);
            out[k++] = h_br(T_BR0, x->brown, 6);
            out[k++] = h_br(T_BR0, x->brown, 10);
            out[k++] = h_br(T_BR0, x->brown, 20);
        }

        if (x->first)
            out[k++] = h_str(T_FN0, "1", 1);
        if (x->role)
            out[k++] = h_str(T_ROLE0, x->role, strlen(x->role));
        break;
    case 1: /* j is the token before */
        k += near_feats(tv, x, j, w0, n0, &side_before, out);
        break;
    case -1: /* j is the token after */
        k += near_feats(tv, x, j, w0, n0, &side_after, out);
        break;
    case 2:
        out[k++] = h_str(T_WM2, w0, n0);
        if (x->role)
            out[k++] = h_str(T_ROLEM2, x->role, strlen(x->role));
        if (is_word(t))
            out[k++] = h_str(T_CM2, w0 + x->core, x->core_len);
        if (x->gaz)
            out[k++] = h_str(T_GAZM2, x->gaz, strlen(x->gaz));
        if (x->clus >= 0)
            out[k++] = h_cl(T_CLCM2, mr_ner_clusters_compiled.coarse[x->clus]);
        if (x->first)
            out[k++] = h_str(T_FNM2, "1", 1);
        break;
    default: /* -2 */
        out[k++] = h_str(T_WP2, w0, n0);
        if (is_word(t))
            out[k++] = h_str(T_CP2, w0 + x->core, x->core_len);
        if (x->gaz)
            out[k++] = h_str(T_GAZP2, x->gaz, strlen(x->gaz));
        if (x->clus >= 0)
            out[k++] = h_cl(T_CLCP2, mr_ner_clusters_compiled.coarse[x->clus]);
        if (x->first)
            out[k++] = h_str(T_FNP2, "1", 1);
        if (x->role)
            out[k++] = h_str(T_ROLEP2, x->role, strlen(x->role));
        break;
    }
    return k;
}

/* The key of token j's word in the word table: its form, kind, flags. */
static uint32_t word_key(const mr_toks *tv, size_t j)
{
    const char *s;
    size_t n;
    word_at(tv, (long)j, &s, &n);
    char kf[2] = {(char)tv->v[j].kind,
                  (char)((tv->v[j].flags & MARSAD_TOKF_SPLIT_PREFIX) != 0)};
    uint32_t h = h_more(h_more(h_init(T_WORD), kf, 2), s, n);
    return h ? h : 1;
}

uint32_t mr_ner_word_key(const mr_toks *tv, size_t i)
{
    return word_key(tv, i);
}

uint32_t mr_ner_cluster_key_str(const char *s, size_t n)
{
    return h_str(T_CLUSTER, s, n);
}

uint32_t mr_ner_cluster_key(const mr_toks *tv, size_t i)
{
    const char *s;
    size_t n;
    word_at(tv, (long)i, &s, &n);
    return h_str(T_CLUSTER, s, n);
}

/* Token i's fine cluster (-1 none) and article share (*art, 0 none). */
static int cluster_of(const mr_toks *tv, size_t i, int *art, uint32_t *brown)
{
    const mr_ner_clusters *c = &mr_ner_clusters_compiled;
    *art = 0;
    *brown = 0;
    if (c->nslots == 0)
        return -1;
    uint32_t key = mr_ner_cluster_key(tv, i);
    size_t mask = c->nslots - 1;
    for (size_t s = key & mask; c->key[s]; s = (s + 1) & mask)
        if (c->key[s] == key) {
            *art = c->article ? c->article[s] : 0;
            *brown = c->brown ? c->brown[s] : 0;
            return c->fine[s];
        }
    return -1;
}


/* Asks for the cache line of p ahead of its use (a hint: no effect on
 * results; nothing where the compiler has no such builtin). */
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

static const int16_t *row_of(const mr_ner_model *m, uint32_t h);

/* Adds token j's word's share to out[o + 2][*] through the feature table. */
static void share_slow(const mr_toks *tv, const tokinfo *x, size_t j,
                       const mr_ner_model *m, float out[NOFF][MR_NER_NTAGS])
{
    /* every offset's features first, their slots asked for ahead, then
     * the sums: the table is larger than the caches */
    uint32_t fv[NOFF][MR_NER_MAX_FEATS];
    size_t cnt[NOFF];
    size_t mask = m->nslots ? m->nslots - 1 : 0;
    for (int o = -2; o <= 2; o++) {
        cnt[o + 2] = word_feats(tv, x, j, o, fv[o + 2]);
        if (m->nslots)
            for (size_t k = 0; k < cnt[o + 2]; k++)
                PREFETCH(&m->slots[fv[o + 2][k] & mask]);
    }
    for (int o = -2; o <= 2; o++) {
        size_t nf = cnt[o + 2];
        int32_t sum[MR_NER_NTAGS] = {0};
        for (size_t k = 0; k < nf; k++) {
            const int16_t *w = row_of(m, fv[o + 2][k]);
            if (w)
                for (int t = 0; t < MR_NER_NTAGS; t++)
                    sum[t] += w[t];
        }
        for (int t = 0; t < MR_NER_NTAGS; t++)
            out[o + 2][t] = (float)sum[t] * m->scale;
    }
}

void mr_ner_word_share(const mr_toks *tv, size_t i, const mr_ner_model *m,
                       float out[5][MR_NER_NTAGS])
{
    tokinfo x;
    info_of(tv, i, &x);
    share_slow(tv, &x, i, m, out);
}

/*
 * The features of token i that are not any one word's and depend on the
 * rules' tags of tokens i - 2 .. i + 2 alone (and on the text's edges):
 * the bias and the rules' entity here and around.
 */
static size_t window_feats(const mr_toks *tv, const uint8_t *rtag, size_t i,
                           uint32_t *out)
{
    size_t k = 0;
    out[k++] = h_str(T_BIAS, "", 0);
    if (i < 1)
        out[k++] = h_str(T_WM1, "<s>", 3), out[k++] = h_str(T_CM1, "<s>", 3);
    if (i < 2)
        out[k++] = h_str(T_WM2, "<s>", 3);
    if (i + 1 >= tv->n)
        out[k++] = h_str(T_WP1, "</s>", 4), out[k++] = h_str(T_CP1, "</s>", 4);
    if (i + 2 >= tv->n)
        out[k++] = h_str(T_WP2, "</s>", 4);
    const char *r0 = tag_names[rtag[i]];
    const char *rm = i > 0 ? tag_names[rtag[i - 1]] : "<s>";
    const char *rp = i + 1 < tv->n ? tag_names[rtag[i + 1]] : "</s>";
    out[k++] = h_str(T_R0, r0, strlen(r0));
    out[k++] = h_str(T_RM1, rm, strlen(rm));
    out[k++] = h_str(T_RP1, rp, strlen(rp));
    out[k++] = h_more(h_more(h_more(h_init(T_R3), rm, strlen(rm)), r0,
                             strlen(r0)), rp, strlen(rp)) | 1u;
    if (i >= 2)
        out[k++] = h_str(T_RM2, tag_names[rtag[i - 2]], 2);
    if (i + 2 < tv->n)
        out[k++] = h_str(T_RP2, tag_names[rtag[i + 2]], 2);
    return k;
}

/* The rules' tag of token i with its word: x is token i's info, needed
 * only when the rules tagged it (rtag[i] != O). */
static size_t rule_word_feats(const mr_toks *tv, const tokinfo *x,
                              const uint8_t *rtag, size_t i, uint32_t *out)
{
    size_t k = 0;
    if (rtag[i] == MR_NER_O)
        return 0;
    const char *r0 = tag_names[rtag[i]];
    if (is_word(&tv->v[i]))
        out[k++] = h_more(h_more(h_init(T_R0_CORE), r0, 2),
                          mr_tok_norm(tv, i) + x->core, x->core_len) | 1u;
    if (x->gaz)
        out[k++] = h_more(h_more(h_init(T_GAZ_R0), r0, strlen(r0)), x->gaz,
                          strlen(x->gaz)) | 1u;
    return k;
}

/* Every feature of token i (ti: the infos of all tokens). */
static size_t feats(const mr_toks *tv, const tokinfo *ti, const uint8_t *rtag,
                    size_t i, uint32_t *out)
{
    size_t k = window_feats(tv, rtag, i, out);
    k += rule_word_feats(tv, &ti[i], rtag, i, out + k);
    for (int o = -2; o <= 2; o++) {
        long j = (long)i - o;
        if (j >= 0 && (size_t)j < tv->n)
            k += word_feats(tv, &ti[j], (size_t)j, o, out + k);
    }
    return k;
}

marsad_status mr_ner_features(const mr_toks *tv, const uint8_t *rtag,
                              uint32_t *out, uint8_t *cnt)
{
    tokinfo *ti = malloc((tv->n + 1) * sizeof *ti);
    if (!ti)
        return MARSAD_E_NOMEM;
    for (size_t i = 0; i < tv->n; i++)
        info_of(tv, i, &ti[i]);
    for (size_t i = 0; i < tv->n; i++)
        cnt[i] = (uint8_t)feats(tv, ti, rtag, i, out + i * MR_NER_MAX_FEATS);
    free(ti);
    return MARSAD_OK;
}

/* ---------------------------------------------------------------- Viterbi */

/* May tag b follow tag a (a = -1: the start)? I-X only after B-X or I-X. */
static bool allowed(int a, int b)
{
    if (b == MR_NER_O || (b % 2) == 1)
        return true;
    return a == b - 1 || a == b;
}

void mr_ner_viterbi(const float *emit, size_t n, const float *trans,
                    float *score, uint8_t *tags)
{
    enum { NT = MR_NER_NTAGS, W = 12 /* NT padded for vector units */ };
    if (n == 0)
        return;
    /* tr[a][b]: the transition a -> b, minus infinity where IOB2 forbids
     * it, so that every tag takes the same branch-free maximum */
    float tr[NT][W], prev[W], cur[W];
    for (int a = 0; a < NT; a++)
        for (int b = 0; b < W; b++)
            tr[a][b] = b < NT && allowed(a, b) ? trans[(a + 1) * NT + b]
                                               : -INFINITY;
    const float NEG = -1e30f;
    for (int b = 0; b < W; b++)
        prev[b] = b < NT && allowed(-1, b) ? trans[b] + emit[b] : NEG;
    memcpy(score, prev, NT * sizeof *score);
    /* forward: the best score of each tag at each token, no backpointers
     * (the way back is found again below, for one tag a token) */
    for (size_t i = 1; i < n; i++) {
        const float *e = emit + i * NT;
#if defined(__SSE__)
        /* the twelve maxima in three vector registers, not in memory */
        __m128 c0 = _mm_set1_ps(-INFINITY), c1 = c0, c2 = c0;
        for (int a = 0; a < NT; a++) {
            __m128 pa = _mm_set1_ps(prev[a]);
            c0 = _mm_max_ps(c0, _mm_add_ps(pa, _mm_loadu_ps(&tr[a][0])));
            c1 = _mm_max_ps(c1, _mm_add_ps(pa, _mm_loadu_ps(&tr[a][4])));
            c2 = _mm_max_ps(c2, _mm_add_ps(pa, _mm_loadu_ps(&tr[a][8])));
        }
        _mm_storeu_ps(cur, c0);
        _mm_storeu_ps(cur + 4, c1);
        _mm_storeu_ps(cur + 8, c2);
#else
        for (int b = 0; b < W; b++)
            cur[b] = -INFINITY;
        for (int a = 0; a < NT; a++)
            for (int b = 0; b < W; b++) {
                float v = prev[a] + tr[a][b];
                cur[b] = v > cur[b] ? v : cur[b];
            }
#endif
        for (int b = 0; b < NT; b++)
            prev[b] = cur[b] + e[b];
        memcpy(score + i * NT, prev, NT * sizeof *score);
    }
    int b = 0;
    for (int a = 1; a < NT; a++)
        if (prev[a] > prev[b])
            b = a;
    /* back: the first tag before (in ascending order) reaching the best */
    for (size_t i = n; i-- > 0;) {
        tags[i] = (uint8_t)b;
        if (i == 0)
            break;
        const float *p = score + (i - 1) * NT;
        int arg = -1;
        float best = -INFINITY;
        for (int a = 0; a < NT; a++) {
            float v = p[a] + tr[a][b];
            if (v > best)
                best = v, arg = a;
        }
        b = arg;
    }
}

/* ------------------------------------------------------------ the model */

static const int16_t *row_of(const mr_ner_model *m, uint32_t h)
{
    if (m->nslots == 0)
        return NULL;
    size_t mask = m->nslots - 1;
    for (size_t s = h & mask;; s = (s + 1) & mask) {
        const mr_ner_slot *x = &m->slots[s];
        if (x->key == h)
            return x->w;
        if (x->key == 0)
            return NULL;
    }
}

/* ------------------------------------------------------------ the memo */

#define WINDOWS (MR_NER_NTAGS * MR_NER_NTAGS * MR_NER_NTAGS * MR_NER_NTAGS * \
                 MR_NER_NTAGS)

#define MEMO_WAYS MR_NER_MEMO_WAYS

struct mr_ner_memo {
    const mr_ner_model *model; /* whose sums these are */
    /* MEMO_WAYS slots a bucket (the bucket: the key's low bits), a new
     * word taking the place of the bucket's oldest: never emptied, so the
     * words met again and again stay once the memo is full */
    uint32_t key[MR_NER_MEMO_MAX];
    mr_ner_word w[MR_NER_MEMO_MAX]; /* quantised as the word table */
    uint8_t next[MR_NER_MEMO_MAX / MEMO_WAYS]; /* each bucket's oldest */
    /* the sum of the bias and rule-window features for each window of five
     * rule tags (base MR_NER_NTAGS), filled as met */
    int32_t win[WINDOWS][MR_NER_NTAGS];
    uint8_t win_set[WINDOWS];
    /* the sum of the features of a rules' tag with its word (key: the
     * word's and the tag's), filled as met */
    size_t rn;
    uint32_t rkey[MR_NER_RMEMO_MAX * 2];
    int32_t rw[MR_NER_RMEMO_MAX * 2][MR_NER_NTAGS];
};

static void add_rows(const mr_ner_model *m, const uint32_t *fv, size_t nf,
                     int32_t *sum);

void mr_ner_memo_free(struct mr_ner_memo *memo)
{
    free(memo);
}

/* f's memo for model m, made or emptied as needed; NULL when m keeps none
 * (or memory ran out: then every word is worked out). */
static struct mr_ner_memo *memo_ready(mr_facts *f, const mr_ner_model *m)
{
    if (!m->memo)
        return NULL;
    struct mr_ner_memo *mm = f->ner_memo;
    if (!mm) {
        mm = f->ner_memo = malloc(sizeof *mm);
        if (!mm)
            return NULL;
        mm->model = NULL;
    }
    if (mm->model != m) {
        mm->model = m;
        memset(mm->win_set, 0, sizeof mm->win_set);
        memset(mm->key, 0, sizeof mm->key);
        memset(mm->next, 0, sizeof mm->next);
        mm->rn = MR_NER_RMEMO_MAX; /* emptied just below */
    }
    if (mm->rn >= MR_NER_RMEMO_MAX) {
        mm->rn = 0;
        memset(mm->rkey, 0, sizeof mm->rkey);
    }
    return mm;
}

/* The weights of the features of the rules' tag on token i with its word
 * (rule_word_feats), summed: from mm, or worked out (token i's info in
 * ti[i] if needed, have[i] saying so) and kept. key: the word's key. */
static const int32_t *rule_word_sum(struct mr_ner_memo *mm,
                                    const mr_toks *tv, tokinfo *ti,
                                    uint8_t *have, const uint8_t *rtag,
                                    size_t i, uint32_t key,
                                    const mr_ner_model *m)
{
    uint32_t rk = (key ^ (0x9e3779b9u * (uint32_t)(rtag[i] + 1))) * FNV_PRIME;
    rk = rk ? rk : 1;
    size_t mask = MR_NER_RMEMO_MAX * 2 - 1, s = rk & mask;
    for (; mm->rkey[s]; s = (s + 1) & mask)
        if (mm->rkey[s] == rk)
            return mm->rw[s];
    if (!have[i]) {
        info_part(tv, i, &ti[i], false);
        have[i] = 2; /* part of it */
    }
    uint32_t fv[4];
    size_t nf = rule_word_feats(tv, &ti[i], rtag, i, fv);
    memset(mm->rw[s], 0, sizeof mm->rw[s]);
    add_rows(m, fv, nf, mm->rw[s]);
    mm->rkey[s] = rk;
    mm->rn++;
    return mm->rw[s];
}

/* The shares under key in a table of nslots (a power of two) keys and
 * shares, or NULL; then *slot (if asked) is where it would go. */
static const mr_ner_word *find_word(const uint32_t *keys,
                                    const mr_ner_word *w, size_t nslots,
                                    uint32_t key, size_t *slot)
{
    if (!keys || nslots == 0)
        return NULL;
    size_t mask = nslots - 1, s = key & mask;
    for (; keys[s]; s = (s + 1) & mask)
        if (keys[s] == key)
            return &w[s];
    if (slot)
        *slot = s;
    return NULL;
}

/* The memo's shares of the word under key, or NULL. */
static const mr_ner_word *memo_find(const struct mr_ner_memo *mm,
                                    uint32_t key)
{
    size_t b = (key & (MR_NER_MEMO_MAX / MEMO_WAYS - 1)) * MEMO_WAYS;
    for (size_t k = b; k < b + MEMO_WAYS; k++)
        if (mm->key[k] == key)
            return &mm->w[k];
    return NULL;
}

/* Keeps shares q under key in place of its bucket's oldest. */
static void memo_put(struct mr_ner_memo *mm, uint32_t key,
                     const mr_ner_word *q)
{
    size_t b = key & (MR_NER_MEMO_MAX / MEMO_WAYS - 1);
    size_t k = b * MEMO_WAYS + mm->next[b];
    mm->next[b] = (uint8_t)((mm->next[b] + 1) % MEMO_WAYS);
    mm->key[k] = key;
    mm->w[k] = *q;
}

/* Shares sh quantised as the word table's (scale wscale). */
static void quantise(float sh[NOFF][MR_NER_NTAGS], float wscale,
                     mr_ner_word *q)
{
    for (int o = 0; o < NOFF; o++)
        for (int t = 0; t < MR_NER_NTAGS; t++) {
            float v = sh[o][t] / wscale;
            v = v > 32767.0f ? 32767.0f : v < -32767.0f ? -32767.0f : v;
            q->w[o][t] = (int16_t)lroundf(v);
        }
}

/* Adds the weights of features fv[0..nf) to sum. */
static void add_rows(const mr_ner_model *m, const uint32_t *fv, size_t nf,
                     int32_t *sum)
{
    for (size_t k = 0; k < nf; k++) {
        const int16_t *w = row_of(m, fv[k]);
        if (w)
            for (int t = 0; t < MR_NER_NTAGS; t++)
                sum[t] += w[t];
    }
}

/* The word clusters know the normalised form s[0..n) (a word met often
 * enough in the unlabelled news). */
static bool in_clusters(const char *s, size_t n)
{
    const mr_ner_clusters *c = &mr_ner_clusters_compiled;
    if (c->nslots == 0)
        return false;
    uint32_t key = mr_ner_cluster_key_str(s, n);
    size_t mask = c->nslots - 1;
    for (size_t k = key & mask; c->key[k]; k = (k + 1) & mask)
        if (c->key[k] == key)
            return true;
    return false;
}

/* A glued و/ف/ب/ك/ل at the start of a name the model found: left out of
 * the span when what follows starts with ال or is a known name, but not
 * when the news knows the whole word and not what would follow (the
 * letter is the name's own: كاليفورنيا, فلوريدا, فوكس). */
static unsigned clitic_skip(const mr_toks *tv, size_t i, const tokinfo *ti)
{
    const char *w = mr_tok_norm(tv, i);
    size_t n = tv->v[i].norm_len;
    if (n < 6 || tv->v[i].kind != MARSAD_TOK_ARABIC)
        return 0;
    unsigned skip = 0;
    size_t o = 0;
    if (ti->cl & CL_CONJ)
        skip = 1, o = 2;
    if ((ti->cl & CL_PREP) && !starts(w + o, n - o, L_LAM L_LAM))
        skip++, o += 2; /* لل stays whole, as the gold keeps "للأمم" */
    if (skip == 0 && (starts(w, n, L_BA) || starts(w, n, L_LAM) ||
                      starts(w, n, L_KAF) || starts(w, n, L_WAW))) {
        /* no article: only a known name behind the letter */
        if (mr_lex_find(&mr_lex_ent_gazetteer, w + 2, n - 2) >= 0 ||
            mr_lex_find(&mr_lex_ent_cldr_places, w + 2, n - 2) >= 0 ||
            mr_lex_find(&mr_lex_ent_first_names, w + 2, n - 2) >= 0)
            skip = 1;
    }
    if (o > 0 && in_clusters(w, n) && !in_clusters(w + o, n - o) &&
        mr_lex_find(&mr_lex_ent_gazetteer, w + o, n - o) < 0 &&
        mr_lex_find(&mr_lex_ent_cldr_places, w + o, n - o) < 0)
        skip = 0;
    return skip;
}

/* The article share (mr_ner_clusters) of the normalised form s[0..n),
 * 0 when the table lacks it. */
static int article_of(const char *s, size_t n)
{
    const mr_ner_clusters *c = &mr_ner_clusters_compiled;
    if (c->nslots == 0 || !c->article)
        return 0;
    uint32_t key = mr_ner_cluster_key_str(s, n);
    size_t mask = c->nslots - 1;
    for (size_t k = key & mask; c->key[k]; k = (k + 1) & mask)
        if (c->key[k] == key)
            return c->article[k];
    return 0;
}

/* Token i is, behind one glued letter و/ف/ب/ك/ل, a word of ent_words.tsv
 * (a classifier, a title, a function word: بريف) or a word met often with
 * the article (a common noun: ومنظمة). */
static bool clitic_common(const mr_toks *tv, size_t i)
{
    const char *w = mr_tok_norm(tv, i);
    size_t n = tv->v[i].norm_len;
    if (n < 6 || tv->v[i].kind != MARSAD_TOK_ARABIC)
        return false;
    if (!(starts(w, n, L_WAW) || starts(w, n, L_FA) || starts(w, n, L_BA) ||
          starts(w, n, L_KAF) || starts(w, n, L_LAM)))
        return false;
    return mr_lex_find(&mr_lex_ent_words, w + 2, n - 2) >= 0 ||
           article_of(w + 2, n - 2) == 3;
}

/* Tokens i and i + 1 are an indefinite feminine noun and its nisba
 * adjective (منظمة دولية، جماعة مسلحة محلية): a description, not a name. */
static bool description(const mr_toks *tv, tokinfo *ti, size_t i)
{
    if (tv->v[i].kind != MARSAD_TOK_ARABIC ||
        tv->v[i + 1].kind != MARSAD_TOK_ARABIC)
        return false;
    tokinfo x;
    info_of(tv, i + 1, &x);
    if ((ti[i].cl & CL_ART) || (x.cl & CL_ART) || ti[i].gaz || ti[i].first)
        return false;
    const char *a = mr_tok_norm(tv, i), *b = mr_tok_norm(tv, i + 1);
    size_t na = tv->v[i].norm_len, nb = tv->v[i + 1].norm_len;
    return na >= 6 && nb >= 8 && !memcmp(a + na - 2, "\xd9\x87", 2) &&
           !memcmp(b + nb - 4, "\xd9\x8a\xd9\x87", 4);
}

/* Byte offset after `skip` letters (and the marks on them) from pos. */
static uint32_t skip_letters(const char *text, uint32_t pos, uint32_t end,
                             unsigned skip)
{
    while (skip > 0 && pos < end) {
        uint32_t cp;
        pos += (uint32_t)marsad_utf8_decode(text + pos, end - pos, &cp);
        while (pos < end) {
            uint32_t m;
            size_t k = marsad_utf8_decode(text + pos, end - pos, &m);
            if (!((m >= 0x064B && m <= 0x065F) || m == 0x0640 || m == 0x0670))
                break;
            pos += (uint32_t)k;
        }
        skip--;
    }
    return pos;
}

static int cmp_entity(const void *a, const void *b)
{
    const mr_entity *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

/* The canonical of a lone word that is the last word of a person met
 * before (rules' or model's), else NULL. */
static const char *surname_of(const char *text, const mr_facts *f,
                              size_t upto, uint32_t s, uint32_t e)
{
    size_t n = e - s;
    for (size_t k = upto; k-- > 0;) {
        const mr_entity *p = &f->entities.v[k];
        if (p->kind != MR_ENT_PERSON || p->end - p->start <= n ||
            p->start >= s)
            continue;
        if (!memcmp(text + p->end - n, text + s, n) &&
            text[p->end - n - 1] == ' ')
            return p->canonical;
    }
    return NULL;
}

/* Adds shares wd of the word at token j to the sums acc around it. */
static void add_ints(int32_t *acc, size_t n, size_t j, const mr_ner_word *wd)
{
    for (int o = -2; o <= 2; o++) {
        long i = (long)j + o;
        if (i < 0 || (size_t)i >= n)
            continue;
        int32_t *a = acc + (size_t)i * MR_NER_NTAGS;
        for (int t = 0; t < MR_NER_NTAGS; t++)
            a[t] += wd->w[o + 2][t];
    }
}

/* Adds token j's word's shares to the scores around it: from the word
 * table or the memo (wds[j], as integers to acc), else worked out (token
 * j's info then in ti[j], have[j] 1), quantised as the table's (so that
 * where they come from changes no result) and kept in the memo mm. A
 * model with no word table (wscale 0) adds the exact shares to emit. */
static void add_share(const mr_toks *tv, const mr_ner_model *m,
                      struct mr_ner_memo *mm, const uint32_t *keys,
                      const mr_ner_word *const *wds, tokinfo *ti,
                      uint8_t *have, int32_t *acc, float *emit, size_t j)
{
    enum { NT = MR_NER_NTAGS };
    size_t n = tv->n;
    const mr_ner_word *wd = wds[j];
    /* found in the memo a few tokens ago, but since put out of it by a
     * word of this text */
    if (wd && mm && wd >= mm->w && wd < mm->w + MR_NER_MEMO_MAX &&
        mm->key[wd - mm->w] != keys[j])
        wd = NULL;
    /* again for a word first met earlier in this text */
    if (!wd && mm)
        wd = memo_find(mm, keys[j]);
    if (wd) {
        add_ints(acc, n, j, wd);
        return;
    }
    float sh[NOFF][NT];
    info_of(tv, j, &ti[j]);
    have[j] = 1;
    share_slow(tv, &ti[j], j, m, sh);
    if (m->wscale > 0) {
        mr_ner_word q;
        quantise(sh, m->wscale, &q);
        if (mm)
            memo_put(mm, keys[j], &q);
        add_ints(acc, n, j, &q);
        return;
    }
    for (int o = -2; o <= 2; o++) {
        long i = (long)j + o;
        if (i < 0 || (size_t)i >= n)
            continue;
        for (int t = 0; t < NT; t++)
            emit[(size_t)i * NT + (size_t)t] += sh[o + 2][t];
    }
}

/* Token i comes after a place classifier (قرية «الباغوز», مدينة منبج),
 * past a quote mark: the rules' place stands whatever the model's kind. */
static bool after_place_classifier(const mr_facts *f, size_t i)
{
    const mr_toks *tv = &f->toks;
    if (i > 0 && mr_x_quote_punct(tv, i - 1))
        i--;
    if (i == 0 || !is_word(&tv->v[i - 1]))
        return false;
    tokinfo x;
    info_of(tv, i - 1, &x);
    return x.role && !strcmp(x.role, "place");
}

marsad_status mr_ner_apply(const char *text, size_t len, mr_facts *f,
                           const mr_ner_model *m)
{
    (void)len;
    const mr_toks *tv = &f->toks;
    size_t n = tv->n;
    if (n == 0 || !m || m->nrows == 0)
        return MARSAD_OK;
    enum { NT = MR_NER_NTAGS };
    uint8_t *rtag = malloc(n * 3);
    float *emit = malloc(2 * n * NT * sizeof *emit); /* then Viterbi's */
    tokinfo *ti = malloc(n * sizeof *ti);
    if (!rtag || !emit || !ti) {
        free(rtag), free(emit), free(ti);
        return MARSAD_E_NOMEM;
    }
    uint8_t *tags = rtag + n, *have = rtag + 2 * n;
    mr_ner_rule_tags(f, rtag);
    struct mr_ner_memo *mm = memo_ready(f, m);
    /* token infos (lexicon look-ups) only where needed: unknown words,
     * tokens the rules tagged (have 2: part of it), the first token of a
     * name (have 1: all of it) */
    memset(have, 0, n);
    memset(emit, 0, n * NT * sizeof *emit);
    uint32_t fv[MR_NER_MAX_FEATS];
    /* every word's key first, then its slot a few tokens before its
     * shares are added, each step asking for the next one's memory ahead
     * (the tables are larger than the caches: one miss after another
     * would cost a memory latency each) */
    uint32_t *keys = malloc(n * sizeof *keys);
    const mr_ner_word **wds = malloc(n * sizeof *wds);
    /* the word shares summed as the integers they are stored as, scaled
     * once a token */
    int32_t *acc = calloc(n * NT, sizeof *acc);
    if (!keys || !wds || !acc) {
        free(rtag), free(emit), free(ti), free(keys), free(wds), free(acc);
        return MARSAD_E_NOMEM;
    }
    size_t wmask = m->nwords ? m->nwords - 1 : 0,
           mmask = MR_NER_MEMO_MAX / MEMO_WAYS - 1;
    for (size_t j = 0; j < n; j++) {
        keys[j] = word_key(tv, j);
        if (m->word_keys)
            PREFETCH(&m->word_keys[keys[j] & wmask]);
        if (mm) /* where the memo would hold it, if the table lacks it */
            PREFETCH(&mm->key[(keys[j] & mmask) * MEMO_WAYS]);
    }
    /* each word's shares found AHEAD tokens before they are added: asked
     * for early enough, and still in the nearest cache when used */
    enum { AHEAD = 8 };
    for (size_t j = 0; j < n + AHEAD; j++) {
        if (j < n) {
            wds[j] = find_word(m->word_keys, m->words, m->nwords, keys[j], NULL);
            if (!wds[j] && mm)
                wds[j] = memo_find(mm, keys[j]);
            if (wds[j])
                PREFETCH(wds[j]), PREFETCH((const char *)wds[j] + 64);
        }
        if (j < AHEAD)
            continue;
        add_share(tv, m, mm, keys, wds, ti, have, acc, emit, j - AHEAD);
    }
    for (size_t i = 0; i < n; i++) {
        int32_t sum[NT] = {0};
        size_t nf;
        if (rtag[i] != MR_NER_O && mm) {
            /* the rules' tag with the word: its sum from the memo */
            const int32_t *r = rule_word_sum(mm, tv, ti, have, rtag, i,
                                             keys[i], m);
            for (int t = 0; t < NT; t++)
                sum[t] = r[t];
        } else if (rtag[i] != MR_NER_O && !have[i]) {
            info_part(tv, i, &ti[i], false);
            have[i] = 2; /* part of it */
        }
        if (mm && i >= 2 && i + 2 < n) {
            /* the rules' window: its features' sum from the memo */
            size_t code = 0;
            for (size_t k = i - 2; k <= i + 2; k++)
                code = code * NT + rtag[k];
            if (!mm->win_set[code]) {
                size_t nw = window_feats(tv, rtag, i, fv);
                memset(mm->win[code], 0, sizeof mm->win[code]);
                add_rows(m, fv, nw, mm->win[code]);
                mm->win_set[code] = 1;
            }
            for (int t = 0; t < NT; t++)
                sum[t] += mm->win[code][t];
            nf = 0;
        } else {
            nf = window_feats(tv, rtag, i, fv);
        }
        if (!mm)
            nf += rule_word_feats(tv, &ti[i], rtag, i, fv + nf);
        add_rows(m, fv, nf, sum);
        for (int t = 0; t < NT; t++)
            emit[i * NT + (size_t)t] += (float)acc[i * NT + (size_t)t] *
                                            m->wscale +
                                        (float)sum[t] * m->scale;
    }
    free(keys), free(wds), free(acc);
    mr_ner_viterbi(emit, n, m->trans, emit + n * NT, tags);

    /* the rule entity on each token (-1 none); entities are sorted and
     * never overlap */
    size_t rules = f->entities.n;
    long *ron = malloc((n + 1) * sizeof *ron);
    uint8_t *keep = malloc(rules + 1);
    if (!ron || !keep) {
        free(rtag), free(emit), free(ti), free(ron), free(keep);
        return MARSAD_E_NOMEM;
    }
    memset(keep, 1, rules + 1);
    for (size_t i = 0, k = 0; i < n; i++) {
        while (k < rules && f->entities.v[k].end <= tv->v[i].start)
            k++;
        ron[i] = k < rules && f->entities.v[k].start < tv->v[i].end ? (long)k
                                                                    : -1;
    }
    if (m->merge == 2) { /* rules kept only where the model tagged them */
        memset(keep, 0, rules + 1);
        for (size_t i = 0; i < n; i++)
            if (ron[i] >= 0 && tags[i] != MR_NER_O)
                keep[ron[i]] = 1;
    }
    marsad_status rc = MARSAD_OK;
    for (size_t i = 0; i < n && rc == MARSAD_OK;) {
        int t = tags[i];
        if (t == MR_NER_O || t >= MR_NER_B_MISC || !(t % 2)) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && tags[j] == t + 1)
            j++;
        /* trailing punctuation is never part of a name */
        size_t last = j;
        while (last > i && !is_word(&tv->v[last - 1]) &&
               tv->v[last - 1].kind != MARSAD_TOK_NUMBER)
            last--;
        mr_entity_kind kind = t == MR_NER_B_PER ? MR_ENT_PERSON
                              : t == MR_NER_B_LOC ? MR_ENT_PLACE
                                                  : MR_ENT_ORG;
        bool free_run = true, same = false;
        long drop = -1; /* the rule person the model's name stands for */
        for (size_t k = i; k < j; k++)
            if (ron[k] >= 0)
                free_run = false;
        if (!free_run && ron[i] >= 0 && ron[i] == ron[last > i ? last - 1 : i] &&
            (i == 0 || ron[i - 1] != ron[i]) &&
            (last >= n || ron[last] != ron[i]))
            same = true; /* the rule entity has the model's very span */
        if (m->merge == 3 && !free_run && !same && kind == MR_ENT_PERSON) {
            /* a person the rules cut elsewhere: the model's span meets
             * one rule entity, a person, goes beyond it, and what the
             * rule holds outside the span the model tagged O (الرئيس
             * العراقي صدام حسين يشكل: the rules' "حسين يشكل", the
             * model's "صدام حسين"); the model's span stands for it. Not
             * the model's "دونالد" inside the rules' "دونالد ترامب", nor
             * two rule persons run together (ترامب كومي). */
            bool persons = true, wider = false;
            long one = -1;
            for (size_t k = i; k < last && persons; k++) {
                if (ron[k] < 0) {
                    wider = true; /* not a mere part of the rule person */
                    continue;
                }
                if (one >= 0 && ron[k] != one)
                    persons = false; /* never two rule persons made one */
                one = ron[k];
                const mr_entity *r = &f->entities.v[ron[k]];
                if (r->kind != MR_ENT_PERSON)
                    persons = false;
                for (size_t q = k; q-- > 0 && ron[q] == ron[k] && persons;)
                    if (q < i && tags[q] != MR_NER_O)
                        persons = false;
                for (size_t q = k + 1; q < n && ron[q] == ron[k] && persons; q++)
                    if (q >= j && tags[q] != MR_NER_O)
                        persons = false;
            }
            if (persons && wider) {
                drop = one; /* dropped once the model's name is added */
                free_run = true;
            }
        }
        if (m->merge == 0 || m->merge == 3 || same) {
            if (same && m->merge != 0) {
                /* the model's kind, but an outlet (from marsad's own list
                 * of media) stays one */
                mr_entity *r = &f->entities.v[ron[i]];
                if (r->kind != MR_ENT_OUTLET && !after_place_classifier(f, i))
                    r->kind = kind;
            }
            if (!free_run) {
                i = j;
                continue;
            }
        } else {
            for (size_t k = i; k < j; k++)
                if (ron[k] >= 0)
                    keep[ron[k]] = 0;
            /* a rule entity cut by the model's edge goes too */
        }
        if (have[i] != 1) { /* clitics and role of the first word, for a
                               name that may be added */
            info_of(tv, i, &ti[i]);
            have[i] = 1;
        }
        /* the model's confidence in an added name: its tags' scores over
         * O's; a lone word the lexicon knows as no name (a classifier, a
         * title, a function word) is never one */
        float margin = 0;
        for (size_t k = i; k < j; k++) {
            int pa = k > 0 ? tags[k - 1] : -1;
            int pb = k > i ? MR_NER_O : pa;
            margin += emit[k * NT + tags[k]] - emit[k * NT + MR_NER_O] +
                      m->trans[(size_t)(pa + 1) * NT + tags[k]] -
                      m->trans[(size_t)(pb + 1) * NT + MR_NER_O];
        }
        if (j < n)
            margin += m->trans[(size_t)(tags[j - 1] + 1) * NT + tags[j]] -
                      m->trans[(size_t)(MR_NER_O + 1) * NT + tags[j]];
        bool ok = margin >= m->min_margin || !free_run;
        if (free_run && last == i + 1 &&
            (ti[i].role || ti[i].art == 3 || clitic_common(tv, i)))
            ok = false;
        if (free_run && last == i + 2 && description(tv, ti, i))
            ok = false;
        for (size_t k = i; free_run && k < last; k++)
            if (tv->v[k].kind == MARSAD_TOK_LATIN &&
                text[tv->v[k].start] >= 'a' && text[tv->v[k].start] <= 'z')
                ok = false; /* a Latin word in lower case: "seo tools" */
        if (!ok) {
            i = j;
            continue;
        }
        if (last > i && is_word(&tv->v[i])) {
            uint32_t s = skip_letters(text, tv->v[i].start, tv->v[i].end,
                                      clitic_skip(tv, i, &ti[i]));
            uint32_t e = tv->v[last - 1].end;
            const char *canon = NULL;
            if (kind == MR_ENT_PERSON && last == i + 1)
                canon = surname_of(text, f, f->entities.n, s, e);
            if (!canon) {
                char *p = mr_arena_alloc(&f->arena, e - s + 1);
                if (!p) {
                    rc = MARSAD_E_NOMEM;
                    break;
                }
                memcpy(p, text + s, e - s);
                p[e - s] = 0;
                canon = p;
            }
            mr_entity *x = MR_VEC_PUSH(f->entities);
            if (!x) {
                rc = MARSAD_E_NOMEM;
                break;
            }
            x->start = s, x->end = e, x->kind = kind, x->canonical = canon;
            if (drop >= 0)
                keep[drop] = 0;
        }
        i = j;
    }
    if (rc == MARSAD_OK) {
        size_t o = 0;
        for (size_t k = 0; k < f->entities.n; k++)
            if (k >= rules || keep[k])
                f->entities.v[o++] = f->entities.v[k];
        f->entities.n = o;
    }
    free(ron), free(keep);
    if (rc == MARSAD_OK && f->entities.n > 1)
        qsort(f->entities.v, f->entities.n, sizeof *f->entities.v, cmp_entity);
    free(rtag), free(emit), free(ti);
    return rc;
}
