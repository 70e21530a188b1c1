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
 * take the article, names mostly do not. Deterministic: same corpora, same
 * table.
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
const mr_ner_clusters mr_ner_clusters_compiled = {NULL, NULL, 0, NULL, NULL};

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
    free(st.v), free(proj);
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
    for (size_t r = 0; r < nw; r++) {
        uint32_t key = v.kof[rank[r]];
        size_t s = key & (nslots - 1);
        while (sk[s])
            s = (s + 1) & (nslots - 1);
        sk[s] = key, sc[s] = as[r];
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
        fputs("};\n", fp);
        if (fclose(fp) != 0 || rename(tmp, out) != 0) {
            fprintf(stderr, "gen_ner_clusters: cannot write %s\n", out);
            return 1;
        }
    }
    printf("gen_ner_clusters: %zu words in %zu slots\n", nw, nslots);
    return 0;
}
