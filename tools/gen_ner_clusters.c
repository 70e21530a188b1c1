/*
 * gen_ner_clusters: word clusters for the name tagger (src/extract/ner.h),
 * learnt from unlabelled news, written as a C table
 * (src/extract/ner_clusters.inc; `make model` runs it, docs/entities.md).
 *
 *   gen_ner_clusters --shared ../shared --out src/extract/ner_clusters.inc
 *
 * Text: the article bodies of SHARED/corpus/ant-multisource/jsonl (ANT,
 * 2018) and SHARED/corpus/saudinewsnet/jsonl (2015), in file order; no
 * tags are read. Each text goes through marsad's tokeniser, so a word is
 * its normalised form as the tagger sees it (numbers are one word, <num>).
 *
 * A word seen at least MIN_COUNT times is described by the words around it:
 * for each of the CTX most frequent words c and each offset o in -2..2
 * (not 0), how often c stands o places away, weighted by log(N / count(c))
 * so that function words count less, projected onto DIM dimensions by a
 * fixed pseudo-random +-1 matrix (a hash of (o, c)), and made unit length.
 * Spherical k-means (cosine) groups these into K fine clusters, started
 * from K words spread evenly over the frequency ranks, ITERS rounds; the K
 * centroids are grouped the same way into KC coarse ones. Words that stand
 * in the same places (given names, surnames, towns, ministries, foreign
 * names transliterated ...) share a cluster whether or not the tagged
 * corpus has them. Each word also gets how often it is met with the
 * article glued on (ال + the word), as a share of its uses: common nouns
 * take the article, names mostly do not. The same words are also grouped
 * into Brown clusters (below): a binary tree of merges by the mutual
 * information of adjacent words, each word's path in it a bit string whose
 * prefixes are clusters from coarse to fine. Deterministic: same corpora,
 * same table.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <zlib.h>

#include "extract/ner.h"

#define MIN_COUNT 8
#define CTX 1500
#define DIM 128
#define K 512
#define KC 64
#define ITERS 10

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("gen_ner_clusters: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

/* The library is linked without ner_clusters.o, the table being made: its
 * features (mr_ner_cluster_key) need none. */
const mr_ner_clusters mr_ner_clusters_compiled = {NULL, NULL, 0, NULL, NULL,
                                                  NULL};

/* ------------------------------------------------------------ words */

typedef struct vocab {
    uint32_t *key;   /* per slot: mr_ner_cluster_key, 0 empty */
    uint32_t *id;    /* per slot */
    size_t nslots;
    uint32_t *cnt;   /* per id */
    uint32_t *withal; /* per id: uses of ال + the word */
    uint8_t *isal;   /* per id: the word starts with ال */
    uint32_t *kof;   /* per id: its key */
    size_t n, cap;
} vocab;

static uint32_t vocab_id(vocab *v, uint32_t key)
{
    size_t mask = v->nslots - 1, s = key & mask;
    while (v->key[s] && v->key[s] != key)
        s = (s + 1) & mask;
    if (v->key[s])
        return v->id[s];
    if (v->n * 2 >= v->nslots) {
        fputs("gen_ner_clusters: vocabulary table full\n", stderr);
        exit(1);
    }
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 1 << 16;
        v->cnt = xrealloc(v->cnt, v->cap * sizeof *v->cnt);
        v->withal = xrealloc(v->withal, v->cap * sizeof *v->withal);
        v->isal = xrealloc(v->isal, v->cap * sizeof *v->isal);
        v->kof = xrealloc(v->kof, v->cap * sizeof *v->kof);
    }
    v->key[s] = key;
    v->id[s] = (uint32_t)v->n;
    v->cnt[v->n] = 0;
    v->withal[v->n] = 0;
    v->isal[v->n] = 0;
    v->kof[v->n] = key;
    return (uint32_t)v->n++;
}

/* The token stream: word ids, UINT32_MAX between texts. */
typedef struct stream {
    uint32_t *v;
    size_t n, cap;
} stream;

static void push(stream *s, uint32_t x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1 << 20;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = x;
}

static void add_text(vocab *v, stream *st, mr_toks *tv, const char *s,
                     size_t n)
{
    if (n == 0 || mr_toks_build(tv, s, n, 0) != MARSAD_OK)
        return;
    for (size_t i = 0; i < tv->n; i++) {
        uint32_t id = vocab_id(v, mr_ner_cluster_key(tv, i));
        v->cnt[id]++;
        push(st, id);
        /* ال + a word of at least two letters: one use of that word with
         * the article */
        const char *w = mr_tok_norm(tv, i);
        size_t n = tv->v[i].norm_len;
        if (tv->v[i].kind == MARSAD_TOK_ARABIC && n >= 8 &&
            !memcmp(w, "\xd8\xa7\xd9\x84", 4)) {
            v->isal[id] = 1;
            v->withal[vocab_id(v, mr_ner_cluster_key_str(w + 4, n - 4))]++;
        }
    }
    push(st, UINT32_MAX);
}

static void add_line(vocab *v, stream *st, mr_toks *tv, const char *line)
{
    json_object *o = json_tokener_parse(line), *t;
    if (o && json_object_object_get_ex(o, "text", &t) &&
        json_object_is_type(t, json_type_string))
        add_text(v, st, tv, json_object_get_string(t),
                 (size_t)json_object_get_string_len(t));
    json_object_put(o);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every line of the files of dir whose name ends in ext (gzip or plain:
 * gzread reads both), in name order. Returns the files read. */
static size_t read_dir(const char *dir, const char *ext, vocab *v, stream *st,
                       mr_toks *tv)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        fprintf(stderr, "gen_ner_clusters: %s: cannot open\n", dir);
        exit(1);
    }
    char **names = NULL;
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        size_t nl = strlen(e->d_name), el = strlen(ext);
        if (nl <= el || strcmp(e->d_name + nl - el, ext))
            continue;
        names = xrealloc(names, (nn + 1) * sizeof *names);
        names[nn++] = strdup(e->d_name);
    }
    closedir(dh);
    qsort(names, nn, sizeof *names, cmp_str);
    char *buf = NULL;
    size_t cap = 0;
    for (size_t k = 0; k < nn; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        gzFile gz = gzopen(path, "rb");
        if (!gz) {
            fprintf(stderr, "gen_ner_clusters: %s: cannot read\n", path);
            exit(1);
        }
        size_t len = 0;
        for (;;) {
            if (len + 65536 + 1 > cap) {
                cap = (len + 65536 + 1) * 2;
                buf = xrealloc(buf, cap);
            }
            int r = gzread(gz, buf + len, 65536);
            if (r <= 0)
                break;
            len += (size_t)r;
        }
        gzclose(gz);
        buf[len] = 0;
        for (char *p = buf; p < buf + len;) {
            char *nl = memchr(p, '\n', (size_t)(buf + len - p));
            if (nl)
                *nl = 0;
            if (*p)
                add_line(v, st, tv, p);
            p = nl ? nl + 1 : buf + len;
        }
        free(names[k]);
    }
    free(names), free(buf);
    return nn;
}

/* ------------------------------------------------------------ k-means */

static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

static void unit(float *x)
{
    double s = 0;
    for (int d = 0; d < DIM; d++)
        s += (double)x[d] * x[d];
    if (s > 0) {
        float r = (float)(1.0 / sqrt(s));
        for (int d = 0; d < DIM; d++)
            x[d] *= r;
    }
}

/* Spherical k-means of the n unit rows of x (weights w, NULL = 1) into k
 * centroids c, started from rows spread evenly; writes each row's cluster. */
static void kmeans(const float *x, const float *w, size_t n, int k, float *c,
                   uint16_t *as)
{
    for (int j = 0; j < k; j++)
        memcpy(c + (size_t)j * DIM, x + (size_t)j * n / (size_t)k * DIM,
               DIM * sizeof *c);
    double *sum = xrealloc(NULL, (size_t)k * DIM * sizeof *sum);
    for (int it = 0; it < ITERS; it++) {
        double obj = 0;
        size_t moved = 0;
        for (size_t i = 0; i < n; i++) {
            const float *r = x + i * DIM;
            float best = -2;
            int arg = 0;
            for (int j = 0; j < k; j++) {
                const float *cj = c + (size_t)j * DIM;
                float d = 0;
                for (int t = 0; t < DIM; t++)
                    d += r[t] * cj[t];
                if (d > best)
                    best = d, arg = j;
            }
            moved += it == 0 || as[i] != arg;
            as[i] = (uint16_t)arg;
            obj += best;
        }
        memset(sum, 0, (size_t)k * DIM * sizeof *sum);
        for (size_t i = 0; i < n; i++)
            for (int t = 0; t < DIM; t++)
                sum[(size_t)as[i] * DIM + (size_t)t] +=
                    (double)x[i * DIM + (size_t)t] * (w ? w[i] : 1.0f);
        for (int j = 0; j < k; j++) {
            double s = 0;
            for (int t = 0; t < DIM; t++)
                s += sum[(size_t)j * DIM + (size_t)t] * sum[(size_t)j * DIM + (size_t)t];
            if (s <= 0)
                continue; /* an empty cluster keeps its centroid */
            for (int t = 0; t < DIM; t++)
                c[(size_t)j * DIM + (size_t)t] =
                    (float)(sum[(size_t)j * DIM + (size_t)t] / sqrt(s));
        }
        printf("  k %d round %d: mean cosine %.4f, %zu moved\n", k, it + 1,
               obj / (double)n, moved);
        fflush(stdout);
    }
    free(sum);
}

/* ------------------------------------------------------------ Brown */

/*
 * Brown clusters (Brown et al. 1992), grown as in Liang (2005): the words
 * in frequency order, BC clusters held at once; each new word enters as a
 * cluster of its own and the two clusters whose merge loses the least
 * average mutual information of adjacent clusters are merged; at the end
 * the last BC are merged down to one. The merges are a binary tree, and a
 * word's path from the root (0 left, 1 right, its first BROWN_BITS steps)
 * is its bit string: its prefixes are clusters at every grain.
 * Losses are kept for every pair and updated after each step in constant
 * time a pair. Ties go to the first pair in slot order: deterministic.
 */
#define BC 128
#define BROWN_BITS 24

typedef struct pc {
    uint64_t k; /* a << 32 | b */
    uint32_t c;
} pc;

static int cmp_pc(const void *a, const void *b)
{
    uint64_t x = ((const pc *)a)->k, y = ((const pc *)b)->k;
    return (x > y) - (x < y);
}

/* Sorts and merges equal keys; returns how many are left. */
static size_t pc_unique(pc *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_pc);
    size_t o = 0;
    for (size_t i = 0, j; i < n; i = j) { /* each run of one key */
        uint32_t c = 0;
        for (j = i; j < n && v[j].k == v[i].k; j++)
            c += v[j].c;
        v[o].k = v[i].k, v[o++].c = c;
    }
    return o;
}

typedef struct brown {
    size_t nw;
    uint32_t *roff, *rnb, *rc; /* right neighbours of each row */
    uint32_t *loff, *lnb, *lc; /* left neighbours */
    double *rtot, *ltot, N;
    int32_t *cl;               /* row -> slot, -1 not yet in */
    int32_t *nodeof;           /* slot -> tree node */
    uint32_t *parent;          /* node -> parent node */
    uint8_t *bit;
    uint32_t nnode;
    double P[BC + 1][BC + 1], Q[BC + 1][BC + 1], L[BC + 1][BC + 1];
    double pl[BC + 1], pr[BC + 1], S[BC + 1];
    int act[BC + 1];
} brown;

static double qq(double p, double a, double b)
{
    return p > 0 ? p * log(p / (a * b)) : 0;
}

/* The loss of merging slots s and t, worked out in full. */
static double full_loss(const brown *B, int s, int t)
{
    double before = B->S[s] + B->S[t] - B->Q[s][t] - B->Q[t][s];
    double ml = B->pl[s] + B->pl[t], mr = B->pr[s] + B->pr[t], after = 0;
    for (int u = 0; u <= BC; u++) {
        if (!B->act[u] || u == s || u == t)
            continue;
        after += qq(B->P[s][u] + B->P[t][u], ml, B->pr[u]) +
                 qq(B->P[u][s] + B->P[u][t], B->pl[u], mr);
    }
    after += qq(B->P[s][s] + B->P[s][t] + B->P[t][s] + B->P[t][t], ml, mr);
    return before - after;
}

/* What slot x adds to the merge of i and j: the q terms of i+j with x. */
static double tterm(const brown *B, int i, int j, int x)
{
    return qq(B->P[i][x] + B->P[j][x], B->pl[i] + B->pl[j], B->pr[x]) +
           qq(B->P[x][i] + B->P[x][j], B->pl[x], B->pr[i] + B->pr[j]);
}

static void slot_q(brown *B, int s)
{
    double sum = 0;
    for (int u = 0; u <= BC; u++) {
        if (!B->act[u])
            continue;
        B->Q[s][u] = qq(B->P[s][u], B->pl[s], B->pr[u]);
        B->Q[u][s] = qq(B->P[u][s], B->pl[u], B->pr[s]);
        sum += B->Q[s][u] + (u != s ? B->Q[u][s] : 0);
    }
    B->S[s] = sum;
}

static void slot_losses(brown *B, int s)
{
    for (int u = 0; u <= BC; u++)
        if (B->act[u] && u != s) {
            double l = full_loss(B, s, u);
            B->L[s][u] = B->L[u][s] = l;
        }
}

/* Row w enters as slot s. */
static void brown_add(brown *B, uint32_t w, int s)
{
    B->cl[w] = s;
    for (int u = 0; u <= BC; u++)
        B->P[s][u] = B->P[u][s] = 0;
    for (uint32_t k = B->roff[w]; k < B->roff[w + 1]; k++)
        if (B->cl[B->rnb[k]] >= 0)
            B->P[s][B->cl[B->rnb[k]]] += B->rc[k] / B->N;
    for (uint32_t k = B->loff[w]; k < B->loff[w + 1]; k++)
        if (B->cl[B->lnb[k]] >= 0 && B->lnb[k] != w)
            B->P[B->cl[B->lnb[k]]][s] += B->lc[k] / B->N;
    B->pl[s] = B->rtot[w] / B->N;
    B->pr[s] = B->ltot[w] / B->N;
    /* every pair's loss gains the terms with the new cluster */
    double qin[BC + 1], qout[BC + 1];
    for (int u = 0; u <= BC; u++)
        if (B->act[u]) {
            qin[u] = qq(B->P[u][s], B->pl[u], B->pr[s]);
            qout[u] = qq(B->P[s][u], B->pl[s], B->pr[u]);
        }
    for (int i = 0; i <= BC; i++) {
        if (!B->act[i])
            continue;
        for (int j = i + 1; j <= BC; j++) {
            if (!B->act[j])
                continue;
            double d = qin[i] + qout[i] + qin[j] + qout[j] - tterm(B, i, j, s);
            B->L[i][j] += d;
            B->L[j][i] = B->L[i][j];
        }
    }
    for (int u = 0; u <= BC; u++)
        if (B->act[u])
            B->S[u] += qin[u] + qout[u];
    B->act[s] = 1;
    slot_q(B, s);
    slot_losses(B, s);
    B->nodeof[s] = (int32_t)w;
}

/* Merges slots a < b into a. */
static void brown_merge(brown *B, int a, int b, uint32_t *head, uint32_t *next,
                        uint32_t *tail)
{
    double ml = B->pl[a] + B->pl[b], mr = B->pr[a] + B->pr[b];
    double pin[BC + 1], pout[BC + 1], ds[BC + 1];
    for (int u = 0; u <= BC; u++) {
        if (!B->act[u] || u == a || u == b)
            continue;
        pin[u] = B->P[u][a] + B->P[u][b];
        pout[u] = B->P[a][u] + B->P[b][u];
        ds[u] = qq(pin[u], B->pl[u], mr) + qq(pout[u], ml, B->pr[u]) -
                (B->Q[u][a] + B->Q[a][u] + B->Q[u][b] + B->Q[b][u]);
    }
    for (int i = 0; i <= BC; i++) {
        if (!B->act[i] || i == a || i == b)
            continue;
        for (int j = i + 1; j <= BC; j++) {
            if (!B->act[j] || j == a || j == b)
                continue;
            double sl = B->pl[i] + B->pl[j], sr = B->pr[i] + B->pr[j];
            double tm = qq(pout[i] + pout[j], ml, sr) +
                        qq(pin[i] + pin[j], sl, mr);
            double d = ds[i] + ds[j] -
                       (tm - tterm(B, i, j, a) - tterm(B, i, j, b));
            B->L[i][j] += d;
            B->L[j][i] = B->L[i][j];
        }
    }
    double self = B->P[a][a] + B->P[a][b] + B->P[b][a] + B->P[b][b];
    for (int u = 0; u <= BC; u++) {
        if (!B->act[u] || u == a || u == b)
            continue;
        B->P[a][u] = pout[u];
        B->P[u][a] = pin[u];
        B->S[u] += ds[u];
    }
    B->P[a][a] = self;
    B->pl[a] = ml, B->pr[a] = mr;
    B->act[b] = 0;
    for (int u = 0; u <= BC; u++)
        B->P[b][u] = B->P[u][b] = 0;
    slot_q(B, a);
    slot_losses(B, a);
    /* b's words join a's */
    for (uint32_t w = head[b]; w != UINT32_MAX; w = next[w])
        B->cl[w] = a;
    if (head[b] != UINT32_MAX) {
        next[tail[a]] = head[b];
        tail[a] = tail[b];
    }
    head[b] = tail[b] = UINT32_MAX;
    uint32_t id = B->nnode++;
    B->parent[B->nodeof[a]] = id, B->bit[B->nodeof[a]] = 0;
    B->parent[B->nodeof[b]] = id, B->bit[B->nodeof[b]] = 1;
    B->nodeof[a] = (int32_t)id;
}

static void brown_best(const brown *B, int *a, int *b)
{
    double best = INFINITY;
    *a = *b = -1;
    for (int i = 0; i <= BC; i++) {
        if (!B->act[i])
            continue;
        for (int j = i + 1; j <= BC; j++)
            if (B->act[j] && B->L[i][j] < best)
                best = B->L[i][j], *a = i, *b = j;
    }
}

/* The bit strings of the nw most frequent words (rows 0..nw-1, stream of
 * rows with -1 for rarer words and UINT32_MAX between texts): each word's
 * (length << 24) | first bits of its path, into path[row]. */
static void brown_paths(const uint32_t *st, const int32_t *row, size_t n,
                        size_t nw, uint32_t *path)
{
    size_t cap = 0, np = 0;
    pc *v = NULL;
    for (size_t i = 0; i + 1 < n; i++) {
        if (st[i] == UINT32_MAX || st[i + 1] == UINT32_MAX)
            continue;
        int32_t a = row[st[i]], b = row[st[i + 1]];
        if (a < 0 || b < 0)
            continue;
        if (np == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[np].k = (uint64_t)a << 32 | (uint32_t)b;
        v[np++].c = 1;
    }
    np = pc_unique(v, np);
    brown *B = calloc(1, sizeof *B);
    if (!B) {
        fputs("gen_ner_clusters: out of memory\n", stderr);
        exit(1);
    }
    B->nw = nw;
    B->roff = calloc(nw + 1, sizeof *B->roff);
    B->loff = calloc(nw + 1, sizeof *B->loff);
    B->rnb = xrealloc(NULL, np * sizeof *B->rnb);
    B->rc = xrealloc(NULL, np * sizeof *B->rc);
    B->lnb = xrealloc(NULL, np * sizeof *B->lnb);
    B->lc = xrealloc(NULL, np * sizeof *B->lc);
    B->rtot = calloc(nw, sizeof *B->rtot);
    B->ltot = calloc(nw, sizeof *B->ltot);
    for (size_t k = 0; k < np; k++) {
        uint32_t a = (uint32_t)(v[k].k >> 32), b = (uint32_t)v[k].k;
        B->roff[a + 1]++;
        B->rnb[k] = b, B->rc[k] = v[k].c;
        B->rtot[a] += v[k].c, B->ltot[b] += v[k].c;
        B->N += v[k].c;
        v[k].k = (uint64_t)b << 32 | a; /* for the left lists */
    }
    for (size_t w = 0; w < nw; w++)
        B->roff[w + 1] += B->roff[w];
    qsort(v, np, sizeof *v, cmp_pc);
    for (size_t k = 0; k < np; k++) {
        B->loff[(v[k].k >> 32) + 1]++;
        B->lnb[k] = (uint32_t)v[k].k, B->lc[k] = v[k].c;
    }
    for (size_t w = 0; w < nw; w++)
        B->loff[w + 1] += B->loff[w];
    free(v);
    printf("gen_ner_clusters: Brown: %zu word pairs, %.0f bigrams\n", np, B->N);
    fflush(stdout);

    B->cl = xrealloc(NULL, nw * sizeof *B->cl);
    for (size_t w = 0; w < nw; w++)
        B->cl[w] = -1;
    B->parent = xrealloc(NULL, 2 * nw * sizeof *B->parent);
    B->bit = calloc(2 * nw, 1);
    B->nodeof = xrealloc(NULL, (BC + 1) * sizeof *B->nodeof);
    B->nnode = (uint32_t)nw;
    uint32_t *next = xrealloc(NULL, nw * sizeof *next);
    uint32_t head[BC + 1], tail[BC + 1];
    for (int s = 0; s <= BC; s++)
        head[s] = tail[s] = UINT32_MAX;
    for (size_t w = 0; w < nw; w++) {
        int s = -1;
        for (int u = 0; u <= BC && s < 0; u++)
            if (!B->act[u])
                s = u;
        next[w] = UINT32_MAX;
        head[s] = tail[s] = (uint32_t)w;
        brown_add(B, (uint32_t)w, s);
        if (w >= BC) {
            int a, b;
            brown_best(B, &a, &b);
            brown_merge(B, a, b, head, next, tail);
        }
        if (w % 5000 == 0) {
            printf("  Brown: %zu of %zu words\n", w, nw);
            fflush(stdout);
        }
    }
    for (;;) {
        int a, b;
        brown_best(B, &a, &b);
        if (a < 0)
            break;
        brown_merge(B, a, b, head, next, tail);
    }
    /* paths from the root (the last node) down */
    uint32_t root = B->nnode - 1;
    uint32_t *bits = calloc(B->nnode, sizeof *bits);
    uint8_t *len = calloc(B->nnode, 1);
    for (uint32_t id = root; id-- > 0;) {
        uint32_t p = B->parent[id];
        if (len[p] < BROWN_BITS)
            bits[id] = bits[p] << 1 | B->bit[id], len[id] = (uint8_t)(len[p] + 1);
        else
            bits[id] = bits[p], len[id] = len[p];
    }
    for (size_t w = 0; w < nw; w++)
        path[w] = (uint32_t)len[w] << 24 | bits[w];
    free(bits), free(len), free(next);
    free(B->roff), free(B->loff), free(B->rnb), free(B->rc), free(B->lnb),
        free(B->lc), free(B->rtot), free(B->ltot), free(B->cl), free(B->parent),
        free(B->bit), free(B->nodeof), free(B);
}

/* ------------------------------------------------------------ main */

static const uint32_t *g_cnt;

static int by_count(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (g_cnt[x] != g_cnt[y])
        return g_cnt[x] > g_cnt[y] ? -1 : 1;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *shared = "../shared", *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--shared") && i + 1 < argc)
            shared = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else {
            fputs("usage: gen_ner_clusters --shared DIR --out FILE.inc\n", stderr);
            return 2;
        }
    }
    vocab v = {0};
    v.nslots = (size_t)1 << 23;
    v.key = calloc(v.nslots, sizeof *v.key);
    v.id = calloc(v.nslots, sizeof *v.id);
    if (!v.key || !v.id) {
        fputs("gen_ner_clusters: out of memory\n", stderr);
        return 1;
    }
    stream st = {0};
    mr_toks tv = {0};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/corpus/ant-multisource/jsonl", shared);
    size_t nf = read_dir(dir, ".jsonl", &v, &st, &tv);
    snprintf(dir, sizeof dir, "%s/corpus/saudinewsnet/jsonl", shared);
    nf += read_dir(dir, ".jsonl.gz", &v, &st, &tv);
    mr_toks_free(&tv);

    /* words by frequency */
    uint32_t *rank = xrealloc(NULL, v.n * sizeof *rank);
    for (size_t i = 0; i < v.n; i++)
        rank[i] = (uint32_t)i;
    g_cnt = v.cnt;
    qsort(rank, v.n, sizeof *rank, by_count);
    size_t nw = 0;
    while (nw < v.n && v.cnt[rank[nw]] >= MIN_COUNT)
        nw++;
    if (nw < K * 4) {
        fprintf(stderr, "gen_ner_clusters: only %zu words seen %d times\n", nw,
                MIN_COUNT);
        return 1;
    }
    /* row of each id (-1: too rare), context index (-1: not a context) */
    int32_t *row = xrealloc(NULL, v.n * sizeof *row);
    int32_t *cx = xrealloc(NULL, v.n * sizeof *cx);
    for (size_t i = 0; i < v.n; i++)
        row[i] = -1, cx[i] = -1;
    for (size_t r = 0; r < nw; r++)
        row[rank[r]] = (int32_t)r;
    size_t ntok = 0;
    for (size_t i = 0; i < st.n; i++)
        ntok += st.v[i] != UINT32_MAX;
    for (size_t r = 0; r < CTX && r < v.n; r++)
        cx[rank[r]] = (int32_t)r;
    printf("gen_ner_clusters: %zu files, %zu tokens, %zu word forms, %zu seen "
           "%d times or more\n", nf, ntok, v.n, nw, MIN_COUNT);

    /* the projection: context (o, c) -> DIM signs, weighted */
    float *proj = xrealloc(NULL, (size_t)4 * CTX * DIM * sizeof *proj);
    for (int o = 0; o < 4; o++)
        for (size_t c = 0; c < CTX && c < v.n; c++) {
            float wgt = (float)log((double)ntok / (double)v.cnt[rank[c]]);
            if (wgt < 0.1f)
                wgt = 0.1f;
            for (int d = 0; d < DIM; d++) {
                uint32_t h = mix((uint32_t)((o * CTX + c) * DIM + (size_t)d) + 0x9e3779b9U);
                proj[((size_t)o * CTX + c) * DIM + (size_t)d] = (h & 1) ? wgt : -wgt;
            }
        }
    float *x = calloc(nw * DIM, sizeof *x);
    if (!x) {
        fputs("gen_ner_clusters: out of memory\n", stderr);
        return 1;
    }
    static const int offs[4] = {-2, -1, 1, 2};
    for (size_t i = 0; i < st.n; i++) {
        if (st.v[i] == UINT32_MAX || row[st.v[i]] < 0)
            continue;
        float *xr = x + (size_t)row[st.v[i]] * DIM;
        for (int o = 0; o < 4; o++) {
            long j = (long)i + offs[o];
            if (j < 0 || (size_t)j >= st.n)
                continue;
            /* not across a text boundary */
            long a = offs[o] < 0 ? j : (long)i, b = offs[o] < 0 ? (long)i : j;
            bool cut = false;
            for (long q = a; q <= b; q++)
                cut |= st.v[q] == UINT32_MAX;
            if (cut || cx[st.v[j]] < 0)
                continue;
            const float *p = proj + ((size_t)o * CTX + (size_t)cx[st.v[j]]) * DIM;
            for (int d = 0; d < DIM; d++)
                xr[d] += p[d];
        }
    }
    free(proj);
    uint32_t *path = xrealloc(NULL, nw * sizeof *path);
    brown_paths(st.v, row, st.n, nw, path);
    free(st.v);
    for (size_t r = 0; r < nw; r++)
        unit(x + r * DIM);

    float *c = xrealloc(NULL, (size_t)K * DIM * sizeof *c);
    uint16_t *as = xrealloc(NULL, nw * sizeof *as);
    kmeans(x, NULL, nw, K, c, as);
    /* coarse: the centroids, each weighted by its words */
    float *cw = calloc(K, sizeof *cw);
    for (size_t r = 0; r < nw; r++)
        cw[as[r]] += 1;
    float *cc = xrealloc(NULL, (size_t)KC * DIM * sizeof *cc);
    uint16_t *coarse = xrealloc(NULL, K * sizeof *coarse);
    kmeans(c, cw, K, KC, cc, coarse);

    /* the table: key -> fine cluster, open addressing at most 2/3 full */
    size_t nslots = 64;
    while (nslots * 2 < nw * 3)
        nslots *= 2;
    uint32_t *sk = calloc(nslots, sizeof *sk);
    uint16_t *sc = calloc(nslots, sizeof *sc);
    uint8_t *sa = calloc(nslots, sizeof *sa);
    uint32_t *sb = calloc(nslots, sizeof *sb);
    for (size_t r = 0; r < nw; r++) {
        uint32_t key = v.kof[rank[r]];
        size_t s = key & (nslots - 1);
        while (sk[s])
            s = (s + 1) & (nslots - 1);
        sk[s] = key, sc[s] = as[r], sb[s] = path[r];
        /* the article share; 0 for a word that starts with ال */
        uint32_t id = rank[r], al = v.withal[id];
        double share = (double)al / (double)(al + v.cnt[id]);
        sa[s] = v.isal[id] ? 0 : share < 0.02 ? 1 : share < 0.2 ? 2 : 3;
    }
    if (out) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", out);
        FILE *fp = fopen(tmp, "w");
        if (!fp) {
            fprintf(stderr, "gen_ner_clusters: cannot write %s\n", tmp);
            return 1;
        }
        fprintf(fp,
                "/* GENERATED by tools/gen_ner_clusters.c (make model): do not edit.\n"
                " * Word clusters for the name tagger (src/extract/ner.h): %zu words\n"
                " * seen %d times or more in %zu tokens of ANT (Apache 2.0) and\n"
                " * SaudiNewsNet (CC BY-NC-SA 4.0), %d fine clusters in %d coarse\n"
                " * (docs/entities.md). */\n",
                nw, MIN_COUNT, ntok, K, KC);
        fprintf(fp, "#define NER_CL_NSLOTS %zu\n#define NER_CL_FINE %d\n", nslots, K);
        fprintf(fp, "static const uint8_t ner_cl_coarse[%d] = {", K);
        for (int j = 0; j < K; j++)
            fprintf(fp, "%s%u", j ? "," : "", coarse[j]);
        fputs("};\nstatic const uint32_t ner_cl_key[NER_CL_NSLOTS] = {\n", fp);
        for (size_t s = 0; s < nslots; s++)
            fprintf(fp, "%uu,%s", sk[s], s % 8 == 7 ? "\n" : "");
        fputs("};\nstatic const uint16_t ner_cl_fine[NER_CL_NSLOTS] = {\n", fp);
        for (size_t s = 0; s < nslots; s++)
            fprintf(fp, "%u,%s", sc[s], s % 16 == 15 ? "\n" : "");
        fputs("};\nstatic const uint8_t ner_cl_article[NER_CL_NSLOTS] = {\n", fp);
        for (size_t s = 0; s < nslots; s++)
            fprintf(fp, "%u,%s", sa[s], s % 32 == 31 ? "\n" : "");
        fputs("};\nstatic const uint32_t ner_cl_brown[NER_CL_NSLOTS] = {\n", fp);
        for (size_t s = 0; s < nslots; s++)
            fprintf(fp, "%uu,%s", sb[s], s % 8 == 7 ? "\n" : "");
        fputs("};\n", fp);
        if (fclose(fp) != 0 || rename(tmp, out) != 0) {
            fprintf(stderr, "gen_ner_clusters: cannot write %s\n", out);
            return 1;
        }
    }
    printf("gen_ner_clusters: %zu words in %zu slots\n", nw, nslots);
    return 0;
}
