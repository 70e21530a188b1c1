/*
 * link_internal.h: helpers shared by the files of src/link/.
 */
#ifndef MR_LINK_INTERNAL_H
#define MR_LINK_INTERNAL_H

#include <stdint.h>

#include "link/link.h"
#include "text/text.h"

/* splitmix64's finaliser: a bijection that spreads every input bit. */
uint64_t mr_link_mix(uint64_t x);
/* FNV-1a over s[0..n), then mixed. */
uint64_t mr_link_hash_bytes(const char *s, size_t n);
/* Sorts v[0..n) ascending: a radix sort on bytes (tmp: room for n; NULL
 * when n < 48), insertion sort below 48 keys. */
void mr_link_sort_u64(uint64_t *v, size_t n, uint64_t *tmp);
/* The distinct shingles a and b share (a merge of their sorted lists). */
size_t mr_link_shared(const mr_link_doc *a, const mr_link_doc *b);
/* The LSH key of band `band` (rows signature values) of d. */
uint64_t mr_link_band_key(const mr_link_doc *d, unsigned band, unsigned rows);

/* ============================================== the learned join decision
 * A report r and a candidate story s (cluster.c, join_best) are described
 * by these features; the join model (link_weights.inc, made by
 * tools/train_link.c: make link-model) joins r to the candidate of the
 * highest logit when it is positive. */
enum {
    MR_JF_COS,          /* cosine of r and the centroid (idf-weighted) */
    MR_JF_COS_RARE,     /* the same over the rarer terms (df <= 10 %) */
    MR_JF_COS_ENT,      /* the same over the entity names */
    MR_JF_MARGIN,       /* cosine minus the best other candidate's */
    MR_JF_SHARE,        /* share of r's query terms' weight s holds */
    MR_JF_GAP,          /* days between r and s's last report */
    MR_JF_AGE,          /* days s's first report is older than the window */
    MR_JF_UNDATED,      /* r or s has no date */
    MR_JF_PLACE_APART,  /* r's lead names another town (place_apart) */
    MR_JF_PLACE_SHARED, /* r's lead places meet s's */
    MR_JF_EVENT_APART,  /* r's lead tells another kind (event_apart) */
    MR_JF_EVENT_AGREE,  /* r's lead tells one of s's kinds of event */
    MR_JF_SIZE,         /* log(1 + reports of s) */
    MR_JF_MAIN_SHARED,  /* r's main places (the specific places it names
                           most: mr_cluster_set_places) meet s's */
    MR_JF_MAIN_APART,   /* both have main places, none shared */
    MR_JF_UNDATED_MAIN_SHARED, /* the same two where r or s has no date */
    MR_JF_UNDATED_MAIN_APART,
    MR_JF_EVENT_SHARED, /* r's lead tells s's kind of event in s's first
                           days (event_shared) */
    MR_JOIN_NFEAT
};

/* The name of feature k (for the trainer's table), or NULL past the last. */
const char *mr_join_feature_name(unsigned k);

typedef struct mr_join_model {
    double w[MR_JOIN_NFEAT];
    double bias;
} mr_join_model;

/* The compiled model (src/link/link_weights.inc). */
void mr_join_model_default(mr_join_model *m);
/* Its logit for features f: bias + w . f (join when > 0). */
double mr_join_logit(const mr_join_model *m, const double *f);
/* Replaces the model c decides with (the trainer's held-out runs). */
void mr_cluster_set_model(mr_cluster *c, const mr_join_model *m);

/* A candidate as the oracle sees it: its story's first report, the
 * features and the current model's logit. */
typedef struct mr_join_cand {
    const char *first_id;
    double f[MR_JOIN_NFEAT];
    double logit;
} mr_join_cand;
/* Decides for the trainer: the index of the candidate report `id` joins,
 * or -1 for a new story. With an oracle set, stories bridged by a report
 * are not merged (the oracle's stories are the ones it chose). */
typedef long (*mr_join_oracle)(void *ctx, const char *id,
                               const mr_join_cand *v, size_t n);
void mr_cluster_set_oracle(mr_cluster *c, mr_join_oracle fn, void *ctx);
/* mr_cluster_load without the run: the reports are queued, so a model or
 * an oracle can be set before mr_cluster_run. */
marsad_status mr_cluster_load_queued(mr_cluster **out, const char *json,
                                     size_t len, const mr_link_params *p);

#endif
