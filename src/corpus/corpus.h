/*
 * corpus.h: the corpus pipeline, the main job (DESIGN.md, layer corpus/):
 * reports read into the store in batches, every stored report with its
 * facts and link doc, the stories the clustering gives, each story's
 * synthesis, all saved. include/marsad.h exposes it (api.c); `marsad
 * analyze`, `report` and `reuse` call it.
 *
 * The store is the source of truth: reports, the clustering state (meta
 * "story.cluster"), facts, passages (links, kind "passage") and one JSON
 * row per story. Facts are recomputed from the report text when a command
 * needs them whole (mr_extract is pure and deterministic, so they are the
 * facts analyze saved).
 */
#ifndef MR_CORPUS_H
#define MR_CORPUS_H

#include <stdbool.h>
#include <stdio.h>

#include "extract/extract.h"
#include "ingest/ingest.h"
#include "link/link.h"
#include "out/story_out.h"
#include "store/store.h"
#include "story/story.h"

/* ----------------------------------------------------------- ingest */


typedef struct mr_ingest_counts {
    size_t added, present, duplicates; /* as mr_put_result */
    size_t other_text; /* MR_PUT_OTHER_TEXT (not among duplicates) */
} mr_ingest_counts;

typedef struct mr_corpus_ingest_cb {
    /* each rejected input, line or item (may be NULL) */
    void (*on_reject)(const marsad_error *err, void *ctx);
    /* after each report is put, with the counts so far (may be NULL) */
    void (*on_report)(const mr_ingest_stats *is, const mr_ingest_counts *c,
                      void *ctx); /* is: the iterator's counters then */
    void *ctx;
} mr_corpus_ingest_cb;

/*
 * Puts every report of the iterator it into the store, batch reports per
 * transaction (0 = 500). A kill at any moment leaves each batch wholly in
 * or out; running it again over the same inputs adds only the rest.
 * *counts (may be NULL) receives the totals. Rejected inputs do not stop
 * it. Errors: MARSAD_E_NOMEM, MARSAD_E_DB (the batch in progress is rolled
 * back; earlier batches stay).
 */
marsad_status mr_corpus_ingest(mr_store *st, mr_ingest *it, size_t batch,
                               const mr_corpus_ingest_cb *cb,
                               mr_ingest_counts *counts, marsad_error *err);
/* The same on threads threads (0 = $MARSAD_THREADS, else one per CPU):
 * the iterator reads and the columns are tokenised on threads of their
 * own while the calling thread writes; the store is the same as on one
 * thread, byte for byte. 1 is mr_corpus_ingest on one thread. */
marsad_status mr_corpus_ingest_mt(mr_store *st, mr_ingest *it, size_t batch,
                                  unsigned threads,
                                  const mr_corpus_ingest_cb *cb,
                                  mr_ingest_counts *counts, marsad_error *err);

/* ----------------------------------------------------------- corpus */

/* sr_item.ent_lead flags */
#define ENT_PLACE 1u
#define ENT_LEAD 2u

typedef struct sr_item {
    mr_report r;
    mr_facts f;
    mr_link_doc ld;
    int64_t row;
    bool has_facts;   /* f holds this report's facts */
    bool stored_facts; /* ... read back from the store */
    char **ents;      /* without facts: the entity canonicals the store
                         kept for it (the clustering's features) */
    size_t nents;
    unsigned char *ent_lead; /* ... each a place (ENT_PLACE), of the lead
                                (ENT_LEAD) or not */
    bool has_ld;      /* ld is built */
    bool added;       /* given to the clustering */
    bool extracted;   /* facts extracted this run */
    bool facts_saved; /* its facts were saved this run (streaming) */
    bool shed;        /* streaming: only r.id and row held; the rest is
                         read back from the store when its story needs it */
    char *pend;       /* streaming: its stored facts as read, each a kind
                         byte and its JSON ended by a NUL, parsed by the
                         thread that builds its story */
    size_t npend;
    struct sr_fact_rows *rows; /* its facts as rows to save, made by the
                                  thread that extracted them (NULL: made
                                  when saved) */
} sr_item;

typedef struct sr_story {
    int reuse;          /* unchanged since the last run: its stored row stays */
    mr_story_view view;
    mr_story_doc *docs;
    size_t *items; /* index into sr_corpus.items per doc */
    mr_story_passage *passages;
    mr_synth synth;
} sr_story;

/* Wall seconds, CPU seconds (the process's, every thread) and resident
 * memory (MB) after each stage of sr_corpus_build, for `analyze --stats`
 * and `make bench`. SR_FACTS is the facts and the link features of every
 * report. */
enum { SR_LOAD, SR_FACTS, SR_CLUSTER, SR_STORIES, SR_SAVE, SR_NSTAGES };
typedef struct sr_stats {
    double secs[SR_NSTAGES];
    double rss_mb[SR_NSTAGES];
    double cpu_secs[SR_NSTAGES];
    double lead_cpu_secs[SR_NSTAGES]; /* of the calling thread alone: the
                                         stage's work that no other thread
                                         can take (reading, writing, the
                                         clustering), its critical path */
    double cpu_mark; /* process CPU seconds at the last stage's end */
    double lead_mark; /* the calling thread's */
} sr_stats;

typedef struct sr_corpus {
    sr_item *items; /* sorted by report id */
    size_t n;
    mr_cluster *cluster;
    sr_story *stories; /* largest first, then first_seen, then id */
    size_t nstories;
    mr_link_params params;
    sr_stats stats;
    int facts_ok;       /* the facts of reports up to last_row are stored,
                           by this revision */
    int incremental;    /* facts and stories of the last run kept */
    int64_t last_row;   /* reports up to this row were analysed before */
    size_t nreused;     /* stories kept as stored */
    size_t nextracted;  /* reports whose facts were extracted this run */
    size_t nnew;        /* of which saved as new (the others were
                           extracted again for a changed story) */
    size_t ncapped;     /* of the new, reports with more figures than
                           MR_FIGURES_MAX (the first that many kept) */
    unsigned threads;   /* as sr_run_opts */
    mr_story_copy *copies; /* the stored copies of reports (mr_store_copy),
                              by the id of the report they copy */
    const char **copy_of;  /* that id, per copy */
    size_t ncopies;
    mr_arena copy_names;   /* their strings */
    size_t held_max;    /* streaming: the most reports held whole (not
                           shed) at once in the facts stage; a few batches,
                           not the store */
    int stream;         /* save != 0: reports are read from the store a
                           batch at a time and shed once clustered, stories
                           built and saved a chunk at a time (the memory of
                           a run is the clustering's, not the corpus's) */
} sr_corpus;

/* Names of the stages of sr_stats, for printing. */
extern const char *const sr_stage_names[SR_NSTAGES];
/* Monotonic seconds, and the process's resident memory now in MB. */
double sr_now(void);
double sr_rss_mb(void);
/* CPU seconds of the process so far (all its threads), and of the calling
 * thread. */
double sr_cpu(void);
double sr_thread_cpu(void);

/* Progress callback: done of total reports prepared (may be NULL). */
typedef void (*sr_progress_fn)(size_t done, size_t total, void *ctx);

typedef struct sr_run_opts {
    sr_progress_fn progress; /* may be NULL */
    void *pctx;
    unsigned threads; /* 0 = $MARSAD_THREADS, else one per CPU */
    size_t batch;     /* reports per committed facts batch (0 = 500) */
    int facts_only;   /* stop after the facts: no clustering, no stories */
} sr_run_opts;

/*
 * Loads every report of st, builds its link doc, adds it to the
 * clustering, runs it, and synthesises each story.
 *
 * The facts of the reports up to meta facts.last_row, made by this marsad
 * and extraction revision, are stored: they are not extracted again. The
 * clustering reads their entity names from the store, and the stories to
 * synthesise read their facts back (mr_fact_add_json). The other reports'
 * facts are extracted, in batches of opts->batch in the order stored.
 *
 * With save == 0 (marsad report) nothing is written and every story is
 * synthesised, every report and story held. With save != 0 (marsad
 * analyze) each batch of facts is committed with the mark of how far it
 * got, so a killed run keeps what it committed; the stories whose reports
 * are those of a stored story keep their stored rows (c->stories[k].reuse,
 * without a synthesis), and the passages and the changed stories are
 * written in one transaction at the end. And it streams (c->stream): a
 * new report's text, facts and link doc are dropped once it is clustered,
 * and read back (text, saved facts) when its story is built; stories are
 * built and written a chunk at a time, largest first, so afterwards
 * c->stories hold ids and counts only (no docs, synthesis or passages).
 * err names what failed.
 */
marsad_status sr_corpus_build(sr_corpus *c, mr_store *st, int save,
                              const sr_run_opts *opts, marsad_error *err);
void sr_corpus_free(sr_corpus *c);

/* How far the stored facts go: *last_row (0 = none), and *ok when they
 * were made by this marsad and extraction revision (and the stored
 * stories, if any, too), so they stand in for extraction. */
marsad_status sr_facts_mark(mr_store *st, int64_t *last_row, int *ok,
                            marsad_error *err);
/* Records that the facts of every report up to last_row are stored, made
 * by this revision (inside the caller's batch). */
marsad_status sr_facts_mark_set(mr_store *st, int64_t last_row,
                                marsad_error *err);

/* The story with this id (or holding the report with this id), or NULL. */
const sr_story *sr_corpus_find(const sr_corpus *c, const char *id);

/* ----------------------------------------------------------- reuse */

/* A growing array of owned reports. */
typedef struct mr_reports {
    mr_report *v;
    size_t n, cap;
    int oom;
} mr_reports;

/* Every stored report, in the order stored (*out zeroed first). */
marsad_status mr_reports_load(mr_store *st, mr_reports *out);
/* Every report read from paths[0..n) (as `marsad ingest` reads them, no
 * store) into *R (zeroed first), in input order; each rejected input goes
 * to on_reject (may be NULL). Errors: MARSAD_E_NOMEM, MARSAD_E_ARG. */
marsad_status mr_reports_read(const char *const *paths, size_t n,
                              mr_ingest_err_fn on_reject, void *ctx,
                              mr_reports *R);
/* Appends *r, taking its strings over (r is zeroed); 0 when out of memory
 * (r is left as it was). */
int mr_reports_push(mr_reports *R, mr_report *r);
void mr_reports_free(mr_reports *R);

/* The pairs of r[0..n) that share text: near-duplicates and reports of one
 * story, with their passages (mr_link_reuse), indexes into r. Free with
 * mr_reuse_free. */
marsad_status mr_corpus_reuse(const mr_report *r, size_t n, mr_reuse **pairs,
                              size_t *npairs);
/* True when report a is the one named id (its id or its source id). */
int mr_corpus_reuse_has(const mr_report *a, const char *id);
/* A pair as the JSON object of `marsad reuse --json` (no newline). */
void mr_corpus_reuse_json(FILE *out, const mr_report *a, const mr_report *b,
                          const mr_reuse *pair);

#endif
