/*
 * storyrun.h: the corpus work shared by `marsad analyze`, `stories`, `story`
 * and `report`: every stored report with its facts and link doc, the
 * stories the clustering gives, and each story's synthesis.
 *
 * The store is the source of truth: reports, the clustering state (meta
 * "story.cluster"), facts, passages (links, kind "passage") and one JSON
 * row per story. Facts are recomputed from the report text when a command
 * needs them whole (mr_extract is pure and deterministic, so they are the
 * facts analyze saved).
 */
#ifndef MR_CLI_STORYRUN_H
#define MR_CLI_STORYRUN_H

#include <stdbool.h>
#include <stdio.h>

#include "extract/extract.h"
#include "link/link.h"
#include "out/story_out.h"
#include "store/store.h"
#include "story/story.h"

typedef struct sr_item {
    mr_report r;
    mr_facts f;
    mr_link_doc ld;
    int64_t row;
    bool has_facts;   /* f holds this report's facts */
    char **ents;      /* without facts: the entity canonicals the store
                         kept for it (the clustering's features) */
    size_t nents;
} sr_item;

typedef struct sr_story {
    int reuse;          /* unchanged since the last run: its stored row stays */
    mr_story_view view;
    mr_story_doc *docs;
    size_t *items; /* index into sr_corpus.items per doc */
    mr_story_passage *passages;
    mr_synth synth;
} sr_story;

/* Wall seconds and resident memory (MB) after each stage of
 * sr_corpus_build, for `analyze --stats` and `make bench`. SR_FACTS is the
 * facts and the link features of every report. */
enum { SR_LOAD, SR_FACTS, SR_CLUSTER, SR_STORIES, SR_SAVE, SR_NSTAGES };
typedef struct sr_stats {
    double secs[SR_NSTAGES];
    double rss_mb[SR_NSTAGES];
} sr_stats;

typedef struct sr_corpus {
    sr_item *items; /* sorted by report id */
    size_t n;
    mr_cluster *cluster;
    sr_story *stories; /* largest first, then first_seen, then id */
    size_t nstories;
    mr_link_params params;
    sr_stats stats;
    int incremental;    /* facts and stories of the last run kept */
    int64_t last_row;   /* reports up to this row were analysed before */
    size_t nreused;     /* stories kept as stored */
    size_t nextracted;  /* reports whose facts were extracted this run */
} sr_corpus;

/* Names of the stages of sr_stats, for printing. */
extern const char *const sr_stage_names[SR_NSTAGES];
/* Monotonic seconds, and the process's resident memory now in MB. */
double sr_now(void);
double sr_rss_mb(void);

/* Progress callback: done of total reports prepared (may be NULL). */
typedef void (*sr_progress_fn)(size_t done, size_t total, void *ctx);

/*
 * Loads every report of st, builds its link doc, adds it to the
 * clustering, runs it, and synthesises each story.
 *
 * With save == 0 (marsad report) every report's facts are extracted and
 * every story is synthesised. With save != 0 (marsad analyze) the work is
 * incremental when the store was last analysed by this marsad and
 * extraction revision: facts are extracted only for the reports new since
 * then (the others' entity names, which the clustering uses, come from the
 * stored facts), and only the stories whose reports changed are
 * synthesised again, extracting their older reports' facts as needed; the
 * other stories keep their stored rows (c->stories[k].reuse, without a
 * synthesis). The facts of new reports, the passages and the changed
 * stories are written in one batch. err names what failed.
 */
marsad_status sr_corpus_build(sr_corpus *c, mr_store *st, int save,
                              sr_progress_fn progress, void *pctx,
                              marsad_error *err);
void sr_corpus_free(sr_corpus *c);

/* The story with this id (or holding the report with this id), or NULL. */
const sr_story *sr_corpus_find(const sr_corpus *c, const char *id);

/* Prints the stored story rows, largest first (the first `limit`; 0 =
 * all), as their JSON lines (json) or as text; with id, only that story (or
 * the story of that report), in full. Returns MARSAD_E_NOTFOUND when id
 * matches none. */
marsad_status sr_print_stored(mr_store *st, const char *id, int json,
                              size_t limit, FILE *out, size_t *count,
                              marsad_error *err);

/* A story's JSON line as a few lines of text (full: reasons, summary and
 * timeline too). */
void sr_print_text(FILE *out, const char *line, int full);

#endif
