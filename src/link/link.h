/*
 * link.h: links between reports (DESIGN.md, "link/"): near-duplicates
 * (shingles of normalised stems, MinHash, banded LSH, exact Jaccard),
 * shared passages (seed n-grams extended with a tolerance for small
 * edits), and stories (incremental clustering).
 *
 * Everything here is pure and in memory: reports come in as text (plus
 * their id, date and, optionally, entity names from the facts layer) and
 * nothing is read or written to disk. The clustering state can be turned
 * into JSON and back, so the store can keep it as an opaque row.
 *
 * Typical use (the `marsad reuse` and `marsad analyze` commands):
 *
 *     mr_link_params p; mr_link_params_default(&p);
 *     mr_link_doc d[N];                         // one per report
 *     mr_link_doc_build(&d[i], text, len, &p);  // tokens + MinHash
 *     mr_link_pair *pairs; size_t np;
 *     mr_link_near_dups(d, N, &p, &pairs, &np); // LSH, never all pairs
 *     mr_passage *ps; size_t nps;
 *     mr_link_passages(&d[a], &d[b], &p, &ps, &nps);
 *
 *     mr_cluster *c; mr_cluster_new(&c, &p);
 *     mr_cluster_add(c, id, published, &d[i], entities, nent);  // each
 *     mr_cluster_run(c);                        // assigns the new ones
 *     mr_cluster_story_of(c, id) ...
 */
#ifndef MR_LINK_H
#define MR_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "marsad.h"
#include "text/buf.h"
#include "text/text.h"

/* ================================================================ params */

/*
 * Parameters; mr_link_params_default fills the documented defaults
 * (docs/link.md gives the precision/recall they were chosen for).
 */
typedef struct mr_link_params {
    /* near-duplicates */
    unsigned shingle_k;  /* tokens per shingle (3) */
    unsigned num_hashes; /* MinHash signature length (64) */
    unsigned bands;      /* LSH bands; rows = num_hashes / bands (16 x 4) */
    double near_dup;     /* exact Jaccard at which two reports are
                            near-duplicates (0.5) */
    double candidate;    /* estimated Jaccard below which an LSH candidate
                            is dropped before the exact check (0.3) */
    /* shared passages */
    unsigned seed_n;       /* tokens in a seed n-gram (4) */
    unsigned max_gap;      /* tokens one side may add, drop or change
                              between two matching runs (5) */
    unsigned min_tokens;   /* matched tokens a passage needs (6) */
    unsigned max_seed_occ; /* seeds met more often than this in one report
                              are formulas, not evidence (8) */
    /* stories */
    double join;          /* cosine (rarity-weighted) to join a story (0.22) */
    double join_undated;  /* the same when the report's or the story's date
                             is unknown, so no time window can help (0.32) */
    int window_days;      /* a report joins only stories seen within this
                             many days of its date (3) */
    double age_step;      /* a story is an event, bounded in time: joining a
                             story whose first report is more than
                             window_days older than the report needs this
                             much more cosine per day beyond (0.03) */
    double title_weight;  /* weight of a title stem against a body stem (3) */
    double entity_weight; /* weight of an entity name (2) */
    double place_rare;    /* a lead place is specific when at most this share
                             of the reports before name it (0.2) */
    double place_apart;   /* cosine added to join a story whose reports lead
                             with another place (0.06; cluster.c) */
    double event_apart;   /* cosine added to join a story whose reports lead
                             with another kind of event (0.06; cluster.c) */
    double event_shared;  /* cosine taken off to join a story, in its first
                             window_days, whose event is a kind r's lead
                             tells (0.03; cluster.c) */
    double reaction_join; /* a reaction that would join a story
                             born of a reaction, or of fewer than 3
                             reports, joins instead the recent incident
                             story it names when its cosine is within this
                             of the threshold; a story of fewer than 3
                             goes with it (0.03; cluster.c reaction_home) */
    double undated_place; /* when the report's or the story's date is
                             unknown: cosine taken off join_undated when
                             they share a main place (0.10; cluster.c) */
    double undated_apart; /* ... and added when both have main places and
                             share none (0.15) */
    double story_merge;   /* two stories a report could join both merge
                             when their centroids' cosine reaches this, their
                             events agree and they started within
                             window_days (0.35; 0 never; cluster.c) */
    unsigned split_min;   /* a story is cut in two when at least this many
                             of its reports lead with incidents none of
                             which is its event (4; 0: never; cluster.c
                             split_event) ... */
    double split_ratio;   /* ... and at least this many times as many
                             lead with its event (4) */
    int join_model;       /* 1: the learned join decision (a linear model
                             over the cosines, days, places and events of a
                             report and a candidate; link_weights.inc); 0:
                             the hand-set thresholds join, join_undated,
                             age_step, place_apart, event_apart (1) */
    unsigned max_terms;   /* distinct stems kept per report (200) */
} mr_link_params;

void mr_link_params_default(mr_link_params *p);

/* =========================================================== one report */

/*
 * A report prepared for linking. Only words and numbers count (punctuation
 * and symbols are skipped); each is hashed by its normalised stem, and its
 * byte span in the original text is kept so passages map back to it.
 * All arrays are owned by the doc (mr_link_doc_free).
 */
typedef struct mr_link_doc {
    uint64_t *h;           /* stem hash per kept token */
    uint32_t *start, *end; /* its bytes in the original text */
    size_t n;
    uint32_t *sig;         /* MinHash signature, num_hashes values */
    size_t nsig;
    uint64_t *shingles;    /* distinct shingle hashes, sorted */
    size_t nsh;
    uint64_t *terms;       /* distinct stem hashes of words (not numbers,
                              not one-letter stems), sorted by hash */
    float *tf;             /* term frequency of each terms[i] */
    size_t nterms;
    uint32_t lead_events;  /* kinds of event its lead tells (title and
                              first sentence): bit k is kind k of
                              mr_link_event_name, from
                              data/link_event_kinds.tsv */
} mr_link_doc;

/* The name of event kind k ("chemical", "air_strike", ...), or NULL past
 * the last. */
const char *mr_link_event_name(unsigned k);
/* The kinds that are reactions to an event (a statement, a meeting), not
 * incidents (data/link_event_kinds.tsv, role column). */
uint32_t mr_link_event_reactions(void);
/* The kinds many distinct events share every day (matches): incidents
 * for event_apart, no evidence of one event for event_shared (role
 * recurring). */
uint32_t mr_link_event_recurring(void);
/* The kinds of event (bits as in lead_events) the word at tv->v[i] names:
 * looked up by its stem and by its normalised form without a glued
 * و/ف, ب/ل/ك and the article; 0 when none. */
uint32_t mr_link_event_kinds(const mr_toks *tv, size_t i);

/*
 * Builds d (zeroed, or built before: it is cleared and reused) from
 * text[0..len). title (may be NULL) adds its stems to the story terms with
 * title_weight; it is not part of the token sequence. O(len * num_hashes).
 */
marsad_status mr_link_doc_build(mr_link_doc *d, const char *text, size_t len,
                                const char *title, size_t title_len,
                                const mr_link_params *p);
/* The same from the text's tokens, made by mr_toks_build(tv, text, len, 0)
 * (marsad analyze has them from extraction: the text is not tokenised
 * twice). tv is not changed. */
marsad_status mr_link_doc_build_toks(mr_link_doc *d, const mr_toks *tv,
                                     const char *title, size_t title_len,
                                     const mr_link_params *p);
/* Only the token sequence of a doc (its stem hashes and byte spans: what
 * mr_link_passages reads), from tokens as for mr_link_doc_build_toks; no
 * terms, shingles or signature (nsig 0). For a caller that dropped a
 * report's doc after clustering and needs its passages again: a fifth of
 * the cost of the whole doc. */
marsad_status mr_link_doc_spans(mr_link_doc *d, const mr_toks *tv);
void mr_link_doc_free(mr_link_doc *d);

/* Estimated Jaccard (share of equal signature slots), 0..1. */
double mr_link_jaccard_est(const mr_link_doc *a, const mr_link_doc *b);
/* Exact Jaccard of the shingle sets, 0..1 (0 when both are empty). */
double mr_link_jaccard(const mr_link_doc *a, const mr_link_doc *b);

/* ======================================================= near-duplicates */

typedef struct mr_link_pair {
    size_t a, b;      /* indexes into the docs given, a < b */
    double estimate;  /* MinHash estimate */
    double jaccard;   /* exact */
} mr_link_pair;

/*
 * Every pair of docs[0..n) that shares an LSH band and whose exact Jaccard
 * is at least p->near_dup, sorted by (a, b). *out is malloc'd (free()).
 * Expected cost linear in n (band buckets; buckets larger than 64 reports
 * are treated as a formula and only their first 64 members compared).
 */
marsad_status mr_link_near_dups(const mr_link_doc *docs, size_t n,
                                const mr_link_params *p, mr_link_pair **out,
                                size_t *nout);

/* ======================================================= shared passages */

typedef struct mr_passage {
    uint32_t a_start, a_end; /* bytes in a's text */
    uint32_t b_start, b_end; /* bytes in b's text */
    uint32_t matched;        /* tokens equal on both sides */
    uint32_t a_tokens, b_tokens; /* tokens spanned on each side */
} mr_passage;

/*
 * Every passage a and b share: seeds of seed_n tokens found through a hash
 * index of b, extended both ways while runs of equal tokens follow each
 * other with at most max_gap tokens added, dropped or changed between
 * them; a passage is kept with at least min_tokens matched tokens. Each
 * token is used by at most one passage (longest first), so passages in a
 * different order and an excerpt inside a long article are all found.
 * Sorted by a_start. *out is malloc'd (free()). O(n_a + n_b) expected.
 */
marsad_status mr_link_passages(const mr_link_doc *a, const mr_link_doc *b,
                               const mr_link_params *p, mr_passage **out,
                               size_t *nout);

/* Buffers mr_link_passages_ws keeps from one pair to the next (the seed
 * table, the candidates), so aligning many pairs allocates nothing once
 * they are large enough. Owned: mr_passage_ws_free (NULL is ignored). */
typedef struct mr_passage_ws mr_passage_ws;
marsad_status mr_passage_ws_new(mr_passage_ws **out);
void mr_passage_ws_free(mr_passage_ws *w);
/* mr_link_passages with the workspace w (the same passages). */
marsad_status mr_link_passages_ws(const mr_link_doc *a, const mr_link_doc *b,
                                  const mr_link_params *p, mr_passage_ws *w,
                                  mr_passage **out, size_t *nout);

/*
 * Direction of copying from published dates (ISO strings, may be NULL):
 * -1 a came first (a -> b), 1 b came first, 0 unknown or same day.
 */
int mr_link_direction(const char *a_published, const char *b_published);

/* ========================================================= reuse (pairs) */

typedef struct mr_reuse {
    size_t a, b;          /* indexes into the docs given, a < b */
    double similarity;    /* exact Jaccard of the shingles */
    int near_dup;         /* similarity >= near_dup */
    mr_passage *passages; /* owned (mr_reuse_free) */
    size_t npassages;
} mr_reuse;

struct mr_cluster;

/*
 * Pairs of docs[0..n) that reuse text: the near-duplicate pairs (LSH), and,
 * when c is given (ids[i] being docs[i]'s id in c), pairs of reports of one
 * story: each report with the 8 others of its story it shares most
 * shingles with (counted exactly in a story of up to 64 reports, through
 * the story's shingle postings, the next 16 of each, in a larger one), a
 * pair taken when either end keeps it, so at most 8 pairs a report; each
 * with its shared passages. Kept: near-duplicates and pairs with at least
 * one passage.
 * Sorted by (a, b). Free with mr_reuse_free.
 */
marsad_status mr_link_reuse(const mr_link_doc *docs, size_t n,
                            const struct mr_cluster *c,
                            const char *const *ids, const mr_link_params *p,
                            mr_reuse **out, size_t *nout);
void mr_reuse_free(mr_reuse *v, size_t n);

/* ================================================================ stories */

typedef struct mr_cluster mr_cluster; /* opaque */

/* A new, empty clustering state. Owned: mr_cluster_free. */
marsad_status mr_cluster_new(mr_cluster **out, const mr_link_params *p);
void mr_cluster_free(mr_cluster *c);

/*
 * Queues a report. id (copied) must be unique: adding an id already present
 * is a no-op returning MARSAD_OK. published is an ISO date or datetime, or
 * NULL when unknown (then no time window applies). entities (copied, may be
 * NULL) are canonical names from the facts layer. Only the doc's terms and
 * band keys are kept, not its text. Nothing is assigned until
 * mr_cluster_run.
 */
marsad_status mr_cluster_add(mr_cluster *c, const char *id,
                             const char *published, const mr_link_doc *d,
                             const char *const *entities, size_t nent);
/* The same with the report's lead places (canonical names of the places
 * its title and first sentence name, first named first; copied, may be
 * NULL): the place of its event (see place_apart). */
marsad_status mr_cluster_add_lead(mr_cluster *c, const char *id,
                                  const char *published, const mr_link_doc *d,
                                  const char *const *entities, size_t nent,
                                  const char *const *places, size_t nplace);
/* Says which of report id's lead places (added, not yet assigned) are
 * countries or regions (canonical names, copied): no place of an event on
 * their own (a town is; see place_apart). A report already assigned keeps
 * them as they were (MARSAD_OK); an unknown id is MARSAD_E_ARG. */
marsad_status mr_cluster_set_wide(mr_cluster *c, const char *id,
                                  const char *const *places, size_t n);
/* Sets the main places of report id, added and not yet assigned: the
 * canonical names of the specific places (a town, a camp, not a country)
 * it names most, most named first (copied; the first 4 distinct kept).
 * Where a date is unknown they stand for the time window: see
 * undated_place. A report already assigned or whose places are set keeps
 * them (MARSAD_OK); an unknown id is MARSAD_E_ARG. */
marsad_status mr_cluster_set_places(mr_cluster *c, const char *id,
                                    const char *const *places, size_t n);

/*
 * Assigns the queued reports to stories. Reports are processed in a
 * canonical order, (published day, id), each joining the best story
 * active within the time window (or its near-duplicate's story) or
 * starting one, with rarity weights from the reports before it. So the
 * result is a function of the set of reports alone: adding them in two
 * halves gives the same stories as adding them at once. When every new
 * report comes after the last one assigned (the usual case) only the new
 * ones are processed; otherwise assignment is replayed from the start
 * (still linear).
 */
marsad_status mr_cluster_run(mr_cluster *c);

/*
 * Lean state, for a caller that runs the clustering once over all its
 * reports (marsad analyze): each report's terms are dropped once it is
 * assigned (its story's centroid keeps their sum), so the state holds
 * about 0.5 KB per report instead of 3 KB. A lean state cannot be saved
 * (mr_cluster_save gives MARSAD_E_ARG), and a later mr_cluster_run that
 * would have to replay (a new report sorting before one assigned) gives
 * MARSAD_E_ARG. Call before mr_cluster_run.
 */
void mr_cluster_lean(mr_cluster *c);

/* Number of reports and stories (after mr_cluster_run). */
size_t mr_cluster_nreports(const mr_cluster *c);
size_t mr_cluster_nstories(const mr_cluster *c);

/*
 * Story of a report: its index (0..nstories-1, stories in order of their
 * first report; a story merged into another (story_merge) is no longer
 * one of them), or -1 when the id is unknown or not yet run.
 */
long mr_cluster_story_of(const mr_cluster *c, const char *id);

/*
 * A story (uses scratch memory inside c: do not call it from two threads
 * on one cluster at once). Its id (the id of its first report in canonical order: stable
 * as reports are added later), first/last published date (borrowed, may be
 * NULL), and its report ids in canonical order (borrowed until the next
 * add/run/free).
 */
typedef struct mr_story_info {
    const char *id;
    const char *first_seen, *last_seen;
    const char *const *reports;
    size_t nreports;
} mr_story_info;
marsad_status mr_cluster_story(const mr_cluster *c, size_t story,
                               mr_story_info *out);

/*
 * The state as JSON (one object, schema "marsad/2", kind "cluster"),
 * appended to out, and back. Loading then running gives the same stories
 * as the state saved.
 */
marsad_status mr_cluster_save(const mr_cluster *c, mr_buf *out);
marsad_status mr_cluster_load(mr_cluster **out, const char *json, size_t len,
                              const mr_link_params *p);

#endif /* MR_LINK_H */
