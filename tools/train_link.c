/*
 * train_link: trains the join decision of the story clustering (a
 * logistic regression over the features of a report and a candidate
 * story, src/link/link_internal.h MR_JF_*) and writes it as a C table,
 * src/link/link_weights.inc (`make link-model`; docs/link.md).
 *
 *   train_link --shared ../shared --dev STATE --month STATE --out FILE
 *
 * STATE files are the clustering's input as `marsad analyze` gives it
 * (MARSAD_CLUSTER_STATE=STATE marsad analyze ...: tools/link_model.sh):
 * --dev over the 318 reports of gold/ant-stories-dev.jsonl, --month over
 * all of ANT's April 2018. Report ids are mapped to the corpus ids by
 * reading ANT's April JSON Lines with marsad's own reader.
 *
 * Examples: the dev reports are clustered in canonical order with an
 * oracle deciding every join by the gold (the stories are then gold
 * stories, as far as the candidates reach); each candidate a report is
 * offered is one example, positive when its story is the report's gold
 * story. Logistic regression with an L2 penalty, fitted by Newton's method
 * on standardised features (fixed iterations, no randomness), with the
 * hand-set rule's margin (a linear function of the features) as an input
 * not penalised, so the model is the rule plus what the data support;
 * then the bias is moved by the offset (from a fixed grid) that gives the
 * training reports their best B-cubed F1 (mean with the neighbouring
 * offsets) when clustered by the model among all the dev reports.
 *
 * Held out: the gold stories are split in two halves by a hash of their
 * name (crc32, as tools/score_stories.py -v); a model trained on one half
 * is scored on the other, both ways, mean of the two: (a) the held-out
 * half clustered alone, (b) all dev reports clustered, the held-out
 * half's B-cubed, (c) the month clustered, the held-out half's dev
 * reports' B-cubed; each the mean over 6 salts of the term hashes (ties in
 * a centroid's heaviest terms go by hash: docs/link.md), against the
 * hand-set thresholds on the same reports. The learning curve is (a) with
 * a quarter, half, three quarters and all of the training half's stories.
 * Finally the model is trained on all the dev stories and written, with
 * its figures. Deterministic: same inputs, same file.
 *
 * Variants, for measuring (docs/link.md gives their figures): TL_L2=X
 * (penalty), TL_MASK=HEX (features used), TL_STACK=0 (no rule input),
 * TL_DAGGER=N (rounds of examples on the model's own stories),
 * TL_TUNE_ALL=0 (offset on the training reports alone), TL_MONTH=1 and
 * TL_TUNE_MONTH=1 (examples and offset from the month), TL_FAST=1 (no
 * learning curve, no final model).
 *
 * Measuring the hand-set rule (docs/link.md): TL_RULE=1 prints its B-cubed
 * over the dev window and over the month (the dev reports clustered
 * inside all of April 2018), per salt and mean, each half of the gold
 * stories, and the month's reports in stories over a week; TL_DUMP=FILE
 * writes salt 0's story of every gold report (window, gold story, marsad
 * story, corpus id, marsad id) for a before/after diff (TL_DUMP_SALT=K:
 * salt K's); TL_PARAMS=
 * "name=value,..." sets the clustering's parameters (params_of).
 */
#include <glob.h>
#include <stddef.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "extract/xutil.h"
#include "ingest/ingest.h"
#include "link/link_internal.h"

#define NSALT 6
#define NF MR_JOIN_NFEAT
static double L2 = 1000;     /* penalty on the standardised weights (the
                                rule's margin is not penalised) */
static unsigned feat_mask = (1u << NF) - 1; /* the features used */
static int dagger = 0;       /* rounds of examples on the model's own
                                stories */
static int fast = 0;         /* no learning curve, no month */
static int tune_all = 1;     /* the offset is tuned with every dev report
                                clustered (scored on the training ones) */
static int stack = 1;        /* the hand-set rule's margin as an unpenalised
                                input (the model corrects the rule) */

/* The hand-set rule's margin (cosine minus the cosine it needs, as
 * cluster.c join_rule), a linear function of the features: rule_w . f +
 * rule_b. */
static double rule_w[NF], rule_b;

static void rule_init(void)
{
    mr_link_params p;
    mr_link_params_default(&p);
    rule_w[MR_JF_COS] = 1;
    rule_w[MR_JF_AGE] = -p.age_step;
    rule_w[MR_JF_PLACE_APART] = -p.place_apart;
    rule_w[MR_JF_EVENT_APART] = -p.event_apart;
    rule_w[MR_JF_UNDATED] = -(p.join_undated - p.join);
    rule_w[MR_JF_UNDATED_MAIN_SHARED] = p.undated_place;
    rule_w[MR_JF_UNDATED_MAIN_APART] = -p.undated_apart;
    rule_w[MR_JF_EVENT_SHARED] = p.event_shared;
    rule_b = -p.join;
}

static void die(const char *msg, const char *what)
{
    fprintf(stderr, "train_link: %s%s%s\n", msg, what ? ": " : "",
            what ? what : "");
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory", NULL);
    return p;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        die("out of memory", NULL);
    return d;
}

/* ------------------------------------------------------------ id maps */

typedef struct kv {
    char *k;
    long v;
} kv;

typedef struct kvs {
    kv *v;
    size_t n, cap;
} kvs;

static void kvs_add(kvs *m, const char *k, long v)
{
    kv *p = MR_X_PUSH(*m);
    if (!p)
        die("out of memory", NULL);
    *p = (kv){xstrdup(k), v};
}

static int cmp_kv(const void *a, const void *b)
{
    return strcmp(((const kv *)a)->k, ((const kv *)b)->k);
}

static void kvs_sort(kvs *m) { qsort(m->v, m->n, sizeof *m->v, cmp_kv); }

static long kvs_get(const kvs *m, const char *k)
{
    kv key = {(char *)(uintptr_t)k, 0};
    const kv *f = bsearch(&key, m->v, m->n, sizeof *m->v, cmp_kv);
    return f ? f->v : -1;
}

/* The gold: corpus id -> story index; story names; the half of each. */
static kvs gold_of;        /* corpus id -> story */
static char **story_name;
static int *story_half;    /* crc32(name) % 2 */
static unsigned *story_quarter; /* (crc32(name) / 2) % 4: learning curve */
static size_t nstory;
static char **gold_ids;    /* corpus ids of the gold reports */
static size_t ngold;

/* marsad id -> gold report index (corpus ids read through the reader), and
 * each gold report's text hash (a report stored once for two ids shares
 * its twin's story, as tools/score_stories.py counts it) */
static kvs mid_gold;
static uint64_t *gold_text;
static char **gold_mid;

static void read_gold(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot read", path);
    char *line = NULL;
    size_t cap = 0;
    kvs names = {0};
    while (getline(&line, &cap, f) > 0) {
        json_object *o = json_tokener_parse(line), *jid, *jst;
        if (!o)
            continue;
        if (json_object_object_get_ex(o, "id", &jid) &&
            json_object_object_get_ex(o, "story", &jst)) {
            const char *st = json_object_get_string(jst);
            long si = -1;
            for (size_t k = 0; k < names.n; k++)
                if (!strcmp(names.v[k].k, st))
                    si = names.v[k].v;
            if (si < 0) {
                si = (long)names.n;
                kvs_add(&names, st, si);
            }
            kvs_add(&gold_of, json_object_get_string(jid), si);
            gold_ids = xrealloc(gold_ids, (ngold + 1) * sizeof *gold_ids);
            gold_ids[ngold++] = xstrdup(json_object_get_string(jid));
        }
        json_object_put(o);
    }
    free(line);
    fclose(f);
    nstory = names.n;
    story_name = xrealloc(NULL, nstory * sizeof *story_name);
    story_half = xrealloc(NULL, nstory * sizeof *story_half);
    story_quarter = xrealloc(NULL, nstory * sizeof *story_quarter);
    for (size_t k = 0; k < names.n; k++) {
        size_t s = (size_t)names.v[k].v;
        story_name[s] = names.v[k].k;
        uLong h = crc32(0L, (const Bytef *)names.v[k].k,
                        (uInt)strlen(names.v[k].k));
        story_half[s] = (int)(h % 2);
        story_quarter[s] = (unsigned)((h / 2) % 4);
    }
    free(names.v);
    kvs_sort(&gold_of);
    if (!ngold)
        die("no gold reports in", path);
}

typedef struct read_ctx {
    kvs *all; /* marsad id -> 1 for every report read (month) */
} read_ctx;

static int on_report(mr_report *r, void *ctx)
{
    (void)ctx;
    if (!r->source_id || !r->id)
        return 0;
    long g = kvs_get(&gold_of, r->source_id);
    if (g < 0)
        return 0;
    for (size_t i = 0; i < ngold; i++)
        if (!strcmp(gold_ids[i], r->source_id) && !gold_mid[i]) {
            gold_mid[i] = xstrdup(r->id);
            gold_text[i] = mr_link_hash_bytes(r->text ? r->text : "",
                                              r->text_len);
            kvs_add(&mid_gold, r->id, (long)i);
        }
    return 0;
}

static void read_corpus(const char *shared)
{
    char pat[4096];
    snprintf(pat, sizeof pat, "%s/corpus/ant-multisource/jsonl/*_2018-04.jsonl",
             shared);
    glob_t g;
    if (glob(pat, 0, NULL, &g) != 0 || !g.gl_pathc)
        die("no ANT April 2018 JSON Lines at", pat);
    gold_mid = calloc(ngold, sizeof *gold_mid);
    gold_text = calloc(ngold, sizeof *gold_text);
    if (!gold_mid || !gold_text)
        die("out of memory", NULL);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        FILE *f = fopen(g.gl_pathv[i], "rb");
        if (!f)
            die("cannot read", g.gl_pathv[i]);
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *buf = xrealloc(NULL, (size_t)len + 1);
        if (fread(buf, 1, (size_t)len, f) != (size_t)len)
            die("cannot read", g.gl_pathv[i]);
        fclose(f);
        mr_ingest_buffer(buf, (size_t)len, MR_FMT_JSONL, g.gl_pathv[i], NULL,
                         on_report, NULL, NULL, NULL);
        free(buf);
    }
    globfree(&g);
    kvs_sort(&mid_gold);
}

/* ------------------------------------------------------------- states */

typedef struct state {
    json_object *root;
    json_object *reps; /* array */
} state;

static state read_state(const char *path)
{
    state s;
    s.root = json_object_from_file(path);
    if (!s.root || !json_object_object_get_ex(s.root, "reports", &s.reps) ||
        !json_object_is_type(s.reps, json_type_array))
        die("not a clustering state (MARSAD_CLUSTER_STATE)", path);
    return s;
}

typedef struct hw {
    uint64_t h;
    double w;
} hw;

static int cmp_hw(const void *a, const void *b)
{
    const hw *x = a, *y = b;
    return (x->h > y->h) - (x->h < y->h);
}

static void put_hex(char *out, uint64_t v)
{
    static const char d[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, v >>= 4)
        out[i] = d[v & 15];
}

static uint64_t get_hex(const char *s)
{
    uint64_t v = 0;
    for (int i = 0; i < 16; i++)
        v = (v << 4) | (uint64_t)(s[i] <= '9' ? s[i] - '0' : s[i] - 'a' + 10);
    return v;
}

/* A hex string of 64-bit values, each xored with mask. */
static json_object *xor_hex(json_object *js, uint64_t mask)
{
    const char *s = json_object_get_string(js);
    size_t n = strlen(s);
    char *o = xrealloc(NULL, n + 1);
    for (size_t i = 0; i + 16 <= n; i += 16)
        put_hex(o + i, get_hex(s + i) ^ mask);
    o[n] = 0;
    json_object *r = json_object_new_string(o);
    free(o);
    return r;
}

/* Gold story of a marsad report id, or -1. */
static long gold_story_mid(const char *mid)
{
    long g = kvs_get(&mid_gold, mid);
    return g < 0 ? -1 : kvs_get(&gold_of, gold_ids[g]);
}

/* Keeps report `mid`: pick -1 keeps all, else only gold reports whose
 * story's half is pick (2 + h: any gold report whose half is h and quarter
 * below q, coded as 100 + 10 * h + q). */
static int keep(const char *mid, int pick)
{
    if (pick < 0)
        return 1;
    long s = gold_story_mid(mid);
    if (s < 0)
        return 0;
    if (pick == 9)
        return 1; /* every gold report */
    if (pick >= 100)
        return story_half[s] == (pick - 100) / 10 &&
               story_quarter[s] < (unsigned)(pick % 10);
    return story_half[s] == pick;
}

/* The state's reports kept by pick, with every term hash xored with the
 * salt's mask (0: none), as a loadable JSON text (malloc'd). */
static char *salted(const state *st, int pick, unsigned salt)
{
    uint64_t mask = salt ? mr_link_mix(0x5a17u + salt) : 0;
    json_object *root = json_object_new_object();
    json_object *arr = json_object_new_array();
    json_object_object_add(root, "schema", json_object_new_string("marsad/2"));
    json_object_object_add(root, "kind", json_object_new_string("cluster"));
    json_object_object_add(root, "num_hashes", json_object_new_int(64));
    json_object_object_add(root, "reports", arr);
    size_t n = json_object_array_length(st->reps);
    for (size_t i = 0; i < n; i++) {
        json_object *o = json_object_array_get_idx(st->reps, i), *x;
        json_object_object_get_ex(o, "id", &x);
        if (!keep(json_object_get_string(x), pick))
            continue;
        json_object *c = json_object_new_object();
        json_object_object_foreach(o, key, val)
        {
            if (!strcmp(key, "terms") || !strcmp(key, "w"))
                continue;
            if (!strcmp(key, "places") || !strcmp(key, "ents"))
                json_object_object_add(c, key, xor_hex(val, mask));
            else
                json_object_object_add(c, key, json_object_get(val));
        }
        json_object *jt, *jw;
        json_object_object_get_ex(o, "terms", &jt);
        json_object_object_get_ex(o, "w", &jw);
        const char *ts = json_object_get_string(jt);
        size_t nt = strlen(ts) / 16;
        hw *v = xrealloc(NULL, nt * sizeof *v);
        for (size_t k = 0; k < nt; k++) {
            v[k].h = get_hex(ts + 16 * k) ^ mask;
            v[k].w = json_object_get_double(json_object_array_get_idx(jw, k));
        }
        qsort(v, nt, sizeof *v, cmp_hw);
        char *o2 = xrealloc(NULL, 16 * nt + 1);
        json_object *w2 = json_object_new_array();
        for (size_t k = 0; k < nt; k++) {
            put_hex(o2 + 16 * k, v[k].h);
            json_object_array_add(w2, json_object_new_double(v[k].w));
        }
        o2[16 * nt] = 0;
        json_object_object_add(c, "terms", json_object_new_string(o2));
        json_object_object_add(c, "w", w2);
        free(o2);
        free(v);
        json_object_array_add(arr, c);
    }
    char *s = xstrdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
    json_object_put(root);
    return s;
}

/* salted(), kept: the same reports and salt are asked for again and again */
typedef struct cached {
    const state *st;
    int pick;
    unsigned salt;
    char *json;
} cached;
static cached *cache;
static size_t ncache;

static const char *salted_cached(const state *st, int pick, unsigned salt)
{
    for (size_t i = 0; i < ncache; i++)
        if (cache[i].st == st && cache[i].pick == pick && cache[i].salt == salt)
            return cache[i].json;
    cache = xrealloc(cache, (ncache + 1) * sizeof *cache);
    cache[ncache] = (cached){st, pick, salt, salted(st, pick, salt)};
    return cache[ncache++].json;
}

/* ----------------------------------------------------------- examples */

typedef struct exs {
    double (*x)[NF];
    int *y;
    size_t n, cap;
} exs;

static void exs_add(exs *e, const double *f, int y)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 1024;
        e->x = xrealloc(e->x, e->cap * sizeof *e->x);
        e->y = xrealloc(e->y, e->cap * sizeof *e->y);
    }
    memcpy(e->x[e->n], f, sizeof e->x[e->n]);
    e->y[e->n++] = y;
}

/* The oracle: joins the candidate whose story is the report's gold story
 * (the best cosine among several), records every candidate. */
static long oracle(void *ctx, const char *id, const mr_join_cand *v, size_t n)
{
    exs *e = ctx;
    long g = gold_story_mid(id), pick = -1;
    for (size_t k = 0; k < n; k++) {
        int y = g >= 0 && gold_story_mid(v[k].first_id) == g;
        exs_add(e, v[k].f, y);
        if (y && (pick < 0 || v[k].f[MR_JF_COS] > v[pick].f[MR_JF_COS]))
            pick = (long)k;
    }
    return pick;
}

/* Examples from the month (TL_MONTH=1): the gold reports of the
 * training half are decided by the gold, every other report by the
 * hand-set rule; a candidate is positive when most of its story's gold
 * reports are of the report's gold story. Counts per (story, gold story)
 * in an open-addressing table keyed by a hash. */
#define MCAP (1u << 17)
static uint64_t mkey[MCAP];
static uint32_t mval[MCAP];

static uint32_t *mslot(const char *story_first, long g)
{
    uint64_t k = mr_link_mix(mr_link_hash_bytes(story_first, strlen(story_first)) +
                             (uint64_t)(g + 2));
    k = k ? k : 1;
    size_t i = (size_t)k & (MCAP - 1);
    while (mkey[i] && mkey[i] != k)
        i = (i + 1) & (MCAP - 1);
    if (!mkey[i]) {
        mkey[i] = k;
        mval[i] = 0;
    }
    return &mval[i];
}

typedef struct mctx {
    exs *e;
    int pick; /* the training half (0, 1), or 9: all the gold */
} mctx;

static long month_oracle(void *ctx, const char *id, const mr_join_cand *v,
                         size_t n)
{
    mctx *m = ctx;
    long g = gold_story_mid(id), pick = -1;
    int train = g >= 0 && (m->pick == 9 || story_half[g] == m->pick);
    for (size_t k = 0; k < n; k++) {
        if (train) {
            uint32_t tot = *mslot(v[k].first_id, -1);
            int y = 2 * *mslot(v[k].first_id, g) > tot && tot > 0;
            exs_add(m->e, v[k].f, y);
            if (y && (pick < 0 || v[k].f[MR_JF_COS] > v[pick].f[MR_JF_COS]))
                pick = (long)k;
        } else {
            double r = rule_b;
            for (int j = 0; j < NF; j++)
                r += rule_w[j] * v[k].f[j];
            if (r >= 0 && (pick < 0 || v[k].f[MR_JF_COS] > v[pick].f[MR_JF_COS]))
                pick = (long)k;
        }
    }
    if (g >= 0) {
        const char *key = pick >= 0 ? v[pick].first_id : id;
        (*mslot(key, g))++;
        (*mslot(key, -1))++;
    }
    return pick;
}

static int month_examples = 0; /* TL_MONTH */
static int tune_month = 0;     /* TL_TUNE_MONTH: the offset by the month */
static const struct state *month_st;

/* The model's own choice, every candidate recorded with the label of its
 * story's first report (DAgger: the stories the model makes). */
static long follower(void *ctx, const char *id, const mr_join_cand *v,
                     size_t n)
{
    exs *e = ctx;
    long g = gold_story_mid(id), pick = -1;
    for (size_t k = 0; k < n; k++) {
        exs_add(e, v[k].f, g >= 0 && gold_story_mid(v[k].first_id) == g);
        if (v[k].logit > 0 && (pick < 0 || v[k].logit > v[pick].logit))
            pick = (long)k;
    }
    return pick;
}

static int follow; /* cluster_of with e: follower, not oracle */

/* TL_PARAMS="name=value,...": the clustering's parameters for measuring
 * (the rule's variants; docs/link.md). */
static void params_of(mr_link_params *p)
{
    mr_link_params_default(p);
    const char *ev = getenv("TL_PARAMS");
    if (!ev)
        return;
    static const struct {
        const char *name;
        size_t off;
    } dbl[] = {
        {"join", offsetof(mr_link_params, join)},
        {"join_undated", offsetof(mr_link_params, join_undated)},
        {"age_step", offsetof(mr_link_params, age_step)},
        {"place_rare", offsetof(mr_link_params, place_rare)},
        {"place_apart", offsetof(mr_link_params, place_apart)},
        {"event_apart", offsetof(mr_link_params, event_apart)},
        {"event_shared", offsetof(mr_link_params, event_shared)},
        {"reaction_join", offsetof(mr_link_params, reaction_join)},
        {"undated_place", offsetof(mr_link_params, undated_place)},
        {"undated_apart", offsetof(mr_link_params, undated_apart)},
        {"story_merge", offsetof(mr_link_params, story_merge)},
        {"split_ratio", offsetof(mr_link_params, split_ratio)},
    };
    char *copy = xstrdup(ev), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(t, '=');
        if (!eq)
            die("TL_PARAMS: name=value expected", t);
        *eq = 0;
        size_t k = 0;
        while (k < sizeof dbl / sizeof *dbl && strcmp(dbl[k].name, t))
            k++;
        if (!strcmp(t, "window_days"))
            p->window_days = atoi(eq + 1);
        else if (!strcmp(t, "split_min"))
            p->split_min = (unsigned)atoi(eq + 1);
        else if (k < sizeof dbl / sizeof *dbl)
            *(double *)(void *)((char *)p + dbl[k].off) = atof(eq + 1);
        else
            die("TL_PARAMS: unknown parameter", t);
    }
    free(copy);
}

static mr_cluster *cluster_of(const char *json, const mr_join_model *m,
                              exs *e)
{
    mr_link_params p;
    params_of(&p);
    p.join_model = m != NULL;
    mr_cluster *c;
    if (mr_cluster_load_queued(&c, json, strlen(json), &p) != MARSAD_OK)
        die("cannot load a clustering state", NULL);
    if (m)
        mr_cluster_set_model(c, m);
    if (e)
        mr_cluster_set_oracle(c, follow ? follower : oracle, e);
    if (mr_cluster_run(c) != MARSAD_OK)
        die("clustering failed", NULL);
    return c;
}

/* B-cubed P, R, F1 of c's stories over the gold reports kept by pick
 * (a report stored once for two ids gives its twin's story). */
static double bcubed(const mr_cluster *c, int pick, double *P, double *R)
{
    long *pred = xrealloc(NULL, ngold * sizeof *pred);
    long *gs = xrealloc(NULL, ngold * sizeof *gs);
    size_t m = 0;
    long alone = 1000000;
    for (size_t i = 0; i < ngold; i++) {
        if (!gold_mid[i])
            continue;
        long g = kvs_get(&gold_of, gold_ids[i]);
        if (!keep(gold_mid[i], pick))
            continue;
        long s = mr_cluster_story_of(c, gold_mid[i]);
        for (size_t j = 0; s < 0 && j < ngold; j++)
            if (j != i && gold_mid[j] && gold_text[j] == gold_text[i])
                s = mr_cluster_story_of(c, gold_mid[j]);
        pred[m] = s >= 0 ? s : alone++;
        gs[m++] = g;
    }
    double p = 0, r = 0;
    for (size_t i = 0; i < m; i++) {
        double inter = 0, np = 0, ng = 0;
        for (size_t j = 0; j < m; j++) {
            int sp = pred[j] == pred[i], sg = gs[j] == gs[i];
            inter += sp && sg;
            np += sp;
            ng += sg;
        }
        p += inter / np;
        r += inter / ng;
    }
    free(pred);
    free(gs);
    p /= (double)(m ? m : 1);
    r /= (double)(m ? m : 1);
    if (P)
        *P = p;
    if (R)
        *R = r;
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

/* ------------------------------------------------------------- fitting */

/* Solves a x = b (n x n, a destroyed) by Gaussian elimination with
 * partial pivoting. */
static void solve(double *a, double *b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t p = k;
        for (size_t i = k + 1; i < n; i++)
            if (fabs(a[i * n + k]) > fabs(a[p * n + k]))
                p = i;
        for (size_t j = 0; j < n; j++) {
            double t = a[k * n + j];
            a[k * n + j] = a[p * n + j];
            a[p * n + j] = t;
        }
        double t = b[k];
        b[k] = b[p];
        b[p] = t;
        if (fabs(a[k * n + k]) < 1e-12)
            continue;
        for (size_t i = k + 1; i < n; i++) {
            double f = a[i * n + k] / a[k * n + k];
            for (size_t j = k; j < n; j++)
                a[i * n + j] -= f * a[k * n + j];
            b[i] -= f * b[k];
        }
    }
    for (size_t k = n; k-- > 0;) {
        double s = b[k];
        for (size_t j = k + 1; j < n; j++)
            s -= a[k * n + j] * b[j];
        b[k] = fabs(a[k * n + k]) < 1e-12 ? 0 : s / a[k * n + k];
    }
}

/* Logistic regression on e: Newton's method on standardised features
 * with an L2 penalty (not on the bias, nor on the rule's margin when
 * stacked), 30 steps; the weights returned apply to the raw features. */
static mr_join_model fit(const exs *e)
{
    enum { D = NF + 2 }; /* features, the rule's margin, the bias */
    double mean[NF + 1] = {0}, sd[NF + 1] = {0};
    double (*x)[NF + 1] = xrealloc(NULL, (e->n ? e->n : 1) * sizeof *x);
    for (size_t i = 0; i < e->n; i++) {
        double r = rule_b;
        for (int k = 0; k < NF; k++) {
            x[i][k] = e->x[i][k];
            r += rule_w[k] * e->x[i][k];
        }
        x[i][NF] = stack ? r : 0;
    }
    for (size_t i = 0; i < e->n; i++)
        for (int k = 0; k <= NF; k++)
            mean[k] += x[i][k];
    for (int k = 0; k <= NF; k++)
        mean[k] /= (double)(e->n ? e->n : 1);
    for (size_t i = 0; i < e->n; i++)
        for (int k = 0; k <= NF; k++)
            sd[k] += (x[i][k] - mean[k]) * (x[i][k] - mean[k]);
    for (int k = 0; k <= NF; k++) {
        sd[k] = sqrt(sd[k] / (double)(e->n ? e->n : 1));
        if (sd[k] < 1e-9 || (k < NF && !(feat_mask >> k & 1u)))
            sd[k] = 0; /* a constant feature, or one left out */
    }
    double w[D] = {0};
    for (int it = 0; it < 30; it++) {
        double H[D * D] = {0}, g[D] = {0};
        for (size_t i = 0; i < e->n; i++) {
            double z[D];
            z[NF + 1] = 1;
            for (int k = 0; k <= NF; k++)
                z[k] = sd[k] > 0 ? (x[i][k] - mean[k]) / sd[k] : 0;
            double a = 0;
            for (int k = 0; k < D; k++)
                a += w[k] * z[k];
            double p = 1 / (1 + exp(-a));
            for (int k = 0; k < D; k++) {
                g[k] += (p - e->y[i]) * z[k];
                for (int j = 0; j < D; j++)
                    H[k * D + j] += p * (1 - p) * z[k] * z[j];
            }
        }
        for (int k = 0; k <= NF; k++) {
            double pen = k < NF ? L2 : 1e-6;
            g[k] += pen * w[k];
            H[k * D + k] += pen + (sd[k] > 0 ? 0 : 1);
        }
        H[(NF + 1) * D + NF + 1] += 1e-9;
        solve(H, g, D);
        for (int k = 0; k < D; k++)
            w[k] -= g[k];
    }
    free(x);
    mr_join_model m;
    m.bias = w[NF + 1];
    for (int k = 0; k < NF; k++)
        m.w[k] = 0;
    for (int k = 0; k <= NF; k++) {
        double a = sd[k] > 0 ? w[k] / sd[k] : 0; /* on the raw input */
        m.bias -= a * mean[k];
        if (k < NF)
            m.w[k] += a;
        else { /* the rule's margin, back on the features */
            for (int j = 0; j < NF; j++)
                m.w[j] += a * rule_w[j];
            m.bias += a * rule_b;
        }
    }
    return m;
}

/* Examples of the reports kept by pick, under the oracle, over all salts. */
static void examples(const state *dev, int pick, exs *e)
{
    for (unsigned s = 0; s < NSALT; s++) {
        mr_cluster_free(cluster_of(salted_cached(dev, pick, s), NULL, e));
    }
    if (!month_examples || (pick != 0 && pick != 1 && pick != 9))
        return;
    for (unsigned s = 0; s < NSALT; s++) {
        memset(mkey, 0, sizeof mkey);
        mctx m = {e, pick};
        mr_link_params p;
        mr_link_params_default(&p);
        mr_cluster *c;
        const char *js = salted_cached(month_st, -1, s);
        if (mr_cluster_load_queued(&c, js, strlen(js), &p) != MARSAD_OK)
            die("cannot load the month's state", NULL);
        mr_cluster_set_oracle(c, month_oracle, &m);
        if (mr_cluster_run(c) != MARSAD_OK)
            die("clustering failed", NULL);
        mr_cluster_free(c);
    }
}

/* Mean B-cubed F1 over the salts: the reports of `from` (a state and its
 * pick) clustered by m (NULL: the hand-set thresholds), scored over the
 * gold reports kept by `score`. */
static double mean_f1(const state *st, int from, const mr_join_model *m,
                      int score, double *P, double *R)
{
    double f = 0, pp = 0, rr = 0;
    for (unsigned s = 0; s < NSALT; s++) {
        mr_cluster *c = cluster_of(salted_cached(st, from, s), m, NULL);
        double p, r;
        f += bcubed(c, score, &p, &r);
        pp += p;
        rr += r;
        mr_cluster_free(c);
    }
    if (P)
        *P = pp / NSALT;
    if (R)
        *R = rr / NSALT;
    return f / NSALT;
}

/* Trains on the reports of pick: fit, then the bias offset that gives
 * them their best mean B-cubed F1. */
static mr_join_model train(const state *dev, int pick, int verbose)
{
    exs e = {0};
    examples(dev, pick, &e);
    mr_join_model m = fit(&e);
    for (int d = 0; d < dagger; d++) {
        follow = 1;
        for (unsigned s = 0; s < NSALT; s++) {
            mr_cluster_free(cluster_of(salted_cached(dev, pick, s), &m, &e));
        }
        follow = 0;
        m = fit(&e);
    }
    /* the F1 at each offset of the grid; the offset of the best mean over
     * it and its two neighbours (one offset's F1 is noisy) */
    double fk[25], best = -1, boff = 0;
    for (int k = -12; k <= 12; k++) {
        mr_join_model t = m;
        t.bias += 0.25 * k;
        fk[k + 12] = tune_month && (pick == 0 || pick == 1 || pick == 9)
                         ? mean_f1(month_st, -1, &t, pick, NULL, NULL)
                         : mean_f1(dev, tune_all ? -1 : pick, &t, pick, NULL, NULL);
    }
    for (int k = 1; k < 24; k++) {
        double f = (fk[k - 1] + fk[k] + fk[k + 1]) / 3;
        if (f > best + 1e-9) {
            best = f;
            boff = 0.25 * (k - 12);
        }
    }
    m.bias += boff;
    if (verbose) {
        size_t pos = 0;
        for (size_t i = 0; i < e.n; i++)
            pos += (size_t)e.y[i];
        printf("  %zu examples (%zu positive, over %d salts), bias offset %+.2f, "
               "training F1 %.4f\n",
               e.n, pos, NSALT, boff, best);
    }
    free(e.x);
    free(e.y);
    return m;
}

/* Writes the stories of the gold reports of c to f: gold story, marsad
 * story (its first report's id), report id, day. */
static void dump_gold(FILE *f, const char *what, const mr_cluster *c)
{
    /* what, gold story, marsad story, corpus id, marsad id */
    for (size_t i = 0; i < ngold; i++) {
        if (!gold_mid[i])
            continue;
        long s = mr_cluster_story_of(c, gold_mid[i]);
        mr_story_info si;
        const char *sid = "-";
        if (s >= 0 && mr_cluster_story(c, (size_t)s, &si) == MARSAD_OK)
            sid = si.id;
        fprintf(f, "%s\t%s\t%s\t%s\t%s\n", what,
                story_name[kvs_get(&gold_of, gold_ids[i])], sid, gold_ids[i],
                gold_mid[i]);
    }
}

/* The rule's figures (TL_RULE=1): dev window and month, per salt and
 * mean, each half of the gold stories, and the month's stories over a
 * week; TL_DUMP=FILE writes salt 0's stories of the gold reports. */
static int rule_figures(const state *dev, const state *month)
{
    double f[2][NSALT], p[2][NSALT], r[2][NSALT], h[2][2] = {{0}};
    double longr = 0, largest = 0;
    const state *st[2] = {dev, month};
    FILE *dump = getenv("TL_DUMP") ? fopen(getenv("TL_DUMP"), "w") : NULL;
    for (int w = 0; w < 2; w++)
        for (unsigned s = 0; s < NSALT; s++) {
            mr_cluster *c = cluster_of(salted_cached(st[w], -1, s), NULL, NULL);
            f[w][s] = bcubed(c, 9, &p[w][s], &r[w][s]);
            for (int k = 0; k < 2; k++)
                h[w][k] += bcubed(c, k, NULL, NULL) / NSALT;
            if (w == 1) {
                size_t big = 0;
                for (size_t k = 0; k < mr_cluster_nstories(c); k++) {
                    mr_story_info si;
                    if (mr_cluster_story(c, k, &si) != MARSAD_OK)
                        continue;
                    if (si.nreports > big)
                        big = si.nreports;
                    int y1, m1, d1, y2, m2, d2;
                    if (si.first_seen && si.last_seen &&
                        sscanf(si.first_seen, "%d-%d-%d", &y1, &m1, &d1) == 3 &&
                        sscanf(si.last_seen, "%d-%d-%d", &y2, &m2, &d2) == 3 &&
                        mr_days_from_civil(y2, m2, d2) -
                                mr_days_from_civil(y1, m1, d1) > 7)
                        longr += (double)si.nreports / NSALT;
                }
                largest += (double)big / NSALT;
            }
            if (dump && s == (unsigned)(getenv("TL_DUMP_SALT") ? atoi(getenv("TL_DUMP_SALT")) : 0))
                dump_gold(dump, w ? "month" : "dev", c);
            mr_cluster_free(c);
        }
    if (dump)
        fclose(dump);
    static const char *what[2] = {"dev", "month"};
    for (int w = 0; w < 2; w++) {
        double F = 0, P = 0, R = 0;
        printf("%-5s F1 by salt:", what[w]);
        for (unsigned s = 0; s < NSALT; s++) {
            printf(" %.4f", f[w][s]);
            F += f[w][s] / NSALT;
            P += p[w][s] / NSALT;
            R += r[w][s] / NSALT;
        }
        printf("  mean P %.4f R %.4f F1 %.4f  halves %.4f %.4f\n", P, R, F,
               h[w][0], h[w][1]);
    }
    printf("month: reports in stories over a week %.1f, largest %.1f "
           "(mean of %d salts)\n", longr, largest, NSALT);
    return 0;
}

static void print_model(FILE *f, const mr_join_model *m, const char *pre)
{
    for (unsigned k = 0; k < NF; k++)
        fprintf(f, "%s%-16s %+.4f\n", pre, mr_join_feature_name(k), m->w[k]);
    fprintf(f, "%s%-16s %+.4f\n", pre, "bias", m->bias);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *shared = NULL, *devp = NULL, *monthp = NULL, *out = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--shared"))
            shared = argv[i + 1];
        else if (!strcmp(argv[i], "--dev"))
            devp = argv[i + 1];
        else if (!strcmp(argv[i], "--month"))
            monthp = argv[i + 1];
        else if (!strcmp(argv[i], "--out"))
            out = argv[i + 1];
        else
            die("unknown option", argv[i]);
    }
    if (!shared || !devp || !monthp)
        die("usage: train_link --shared DIR --dev STATE --month STATE "
            "[--out FILE]", NULL);
    const char *ev;
    if ((ev = getenv("TL_L2")))
        L2 = atof(ev);
    if ((ev = getenv("TL_MASK")))
        feat_mask = (unsigned)strtoul(ev, NULL, 16);
    if ((ev = getenv("TL_DAGGER")))
        dagger = atoi(ev);
    fast = getenv("TL_FAST") != NULL;
    if ((ev = getenv("TL_TUNE_ALL")))
        tune_all = atoi(ev);
    if ((ev = getenv("TL_MONTH")))
        month_examples = atoi(ev);
    if ((ev = getenv("TL_TUNE_MONTH")))
        tune_month = atoi(ev);
    if ((ev = getenv("TL_STACK")))
        stack = atoi(ev);
    rule_init();
    char gp[4096];
    snprintf(gp, sizeof gp, "%s/gold/ant-stories-dev.jsonl", shared);
    read_gold(gp);
    read_corpus(shared);
    state dev = read_state(devp), month = read_state(monthp);
    month_st = &month;

    if (getenv("TL_RULE"))
        return rule_figures(&dev, &month);
    double P, R;
    printf("join model: %zu gold reports, %zu gold stories; %d features\n",
           ngold, nstory, NF);
    double rule_all = mean_f1(&dev, -1, NULL, 9, &P, &R);
    printf("hand-set thresholds, dev window: B-cubed P %.4f R %.4f F1 %.4f "
           "(mean of %d salts)\n", P, R, rule_all, NSALT);

    /* held out, both ways */
    double sum[3][2] = {{0}};
    for (int h = 0; h < 2; h++) {
        int other = 1 - h;
        printf("== trained on half %d, scored on half %d\n", h, other);
        printf("learning curve (half %d alone, its stories' quarters):\n", other);
        for (int q = 1; q <= 4 && !fast; q++) {
            mr_join_model m = train(&dev, 100 + 10 * h + q, 0);
            printf("  %d/4 of half %d's stories: held-out F1 %.4f\n", q, h,
                   mean_f1(&dev, other, &m, other, NULL, NULL));
        }
        mr_join_model m = train(&dev, h, 1);
        print_model(stdout, &m, "    ");
        double r[3], f[3];
        r[0] = mean_f1(&dev, other, NULL, other, NULL, NULL);
        f[0] = mean_f1(&dev, other, &m, other, NULL, NULL);
        r[1] = mean_f1(&dev, -1, NULL, other, NULL, NULL);
        f[1] = mean_f1(&dev, -1, &m, other, NULL, NULL);
        r[2] = mean_f1(&month, -1, NULL, other, NULL, NULL);
        f[2] = mean_f1(&month, -1, &m, other, NULL, NULL);
        static const char *what[3] = {"half alone", "dev window", "month"};
        for (int k = 0; k < 3; k++) {
            printf("  held-out F1, %-10s thresholds %.4f -> model %.4f\n",
                   what[k], r[k], f[k]);
            sum[k][0] += r[k] / 2;
            sum[k][1] += f[k] / 2;
        }
    }
    printf("== held out, mean of both ways (6 salts each)\n");
    static const char *what[3] = {"half alone", "dev window", "month"};
    for (int k = 0; k < 3; k++)
        printf("  %-10s thresholds %.4f -> model %.4f\n", what[k], sum[k][0],
               sum[k][1]);

    if (fast)
        return 0;
    printf("== trained on all the dev stories (in-sample figures)\n");
    mr_join_model m = train(&dev, 9, 1);
    print_model(stdout, &m, "    ");
    double fd = mean_f1(&dev, -1, &m, 9, &P, &R);
    printf("  dev window: thresholds %.4f -> model %.4f (P %.4f R %.4f)\n",
           rule_all, fd, P, R);
    double rm = mean_f1(&month, -1, NULL, 9, NULL, NULL);
    double fm = mean_f1(&month, -1, &m, 9, &P, &R);
    printf("  month:      thresholds %.4f -> model %.4f (P %.4f R %.4f)\n", rm,
           fm, P, R);
    if (out) {
        FILE *f = fopen(out, "w");
        if (!f)
            die("cannot write", out);
        fprintf(f, "/* GENERATED by tools/train_link.c (make link-model): do not edit.\n"
                   " * The join model of the story clustering (docs/link.md): logistic\n"
                   " * regression on the %zu reports of gold/ant-stories-dev.jsonl.\n"
                   " * Held out (half of the gold stories each way, 6 salts): half alone\n"
                   " * %.4f -> %.4f, dev window %.4f -> %.4f, month %.4f -> %.4f\n"
                   " * (hand-set thresholds -> model).\n",
                ngold, sum[0][0], sum[0][1], sum[1][0], sum[1][1], sum[2][0],
                sum[2][1]);
        print_model(f, &m, " *   ");
        fprintf(f, " */\nstatic const double link_weights[%d] = {", NF);
        for (int k = 0; k < NF; k++)
            fprintf(f, "%s%.9g", k ? ", " : "", m.w[k]);
        fprintf(f, "};\nstatic const double link_bias = %.9g;\n", m.bias);
        if (fclose(f) != 0)
            die("cannot write", out);
    }
    json_object_put(dev.root);
    json_object_put(month.root);
    return 0;
}
