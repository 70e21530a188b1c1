/*
 * story.h: what a story's reports say together (DESIGN.md, "story/"):
 * its figures reconciled into claims with a verdict, a timeline of its
 * dated facts, and a short extractive summary, every item with its span.
 *
 * Input is the story's reports and their facts (one mr_facts per report,
 * from mr_extract); which reports form a story is the link layer's work.
 * Everything here is pure: same input, same output, byte for byte.
 *
 *     mr_story_doc docs[2] = {{&r0, &f0, NULL, 0}, {&r1, &f1, NULL, 0}};
 *     mr_synth s = {0};
 *     if (mr_story_synth(docs, 2, &s) == MARSAD_OK) {
 *         for (size_t i = 0; i < s.claims.n; i++) use(&s.claims.v[i]);
 *     }
 *     mr_synth_free(&s);
 *
 * Strings in the result are either borrowed from the input facts/reports
 * (valid while they are) or allocated in the result's arena.
 */
#ifndef MR_STORY_H
#define MR_STORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract/extract.h"
#include "text/report.h"
#include "text/arena.h"

/* A copy of a report: the same text under another id (the store's
 * mr_store_copy): named in the story's output beside its report, never
 * read by the story layer. Strings borrowed; outlet and published may be
 * NULL. */
typedef struct mr_story_copy {
    const char *id, *outlet, *published;
} mr_story_copy;

/* One report of a story with its facts and its copies (all borrowed). */
typedef struct mr_story_doc {
    const mr_report *report;
    const mr_facts *facts;
    const mr_story_copy *copies;
    size_t ncopies;
} mr_story_doc;

/* ----------------------------------------------------------- sentences */

/* A sentence: [start, end) bytes of the report text, trimmed of spaces. */
typedef struct mr_span {
    uint32_t start, end;
} mr_span;

/*
 * Splits text into sentences: at line breaks and at . ! ? ؟ ؛ (a '.'
 * between two digits is a decimal point, not an end). Calls fn for each
 * non-empty sentence in order; fn returns non-zero to stop. O(len).
 */
typedef int (*mr_sentence_fn)(mr_span s, void *ctx);
void mr_sentences(const char *text, size_t len, mr_sentence_fn fn, void *ctx);

/* The sentence of text that holds byte `pos` (whole text when none). O(len):
 * for many positions in one text use mr_sentence_list and _find. */
mr_span mr_sentence_at(const char *text, size_t len, size_t pos);

/* Every sentence of text, in order, into *out (malloc'd, free()). */
marsad_status mr_sentence_list(const char *text, size_t len, mr_span **out,
                               size_t *n);

/* The sentence among v[0..n) (from mr_sentence_list) that holds pos, else
 * the span [0, len). O(log n). */
mr_span mr_sentence_find(const mr_span *v, size_t n, size_t pos, size_t len);

/* -------------------------------------------------------------- claims */

typedef enum mr_verdict {
    MR_VERDICT_SINGLE = 0, /* one report only: nothing to reconcile */
    MR_VERDICT_AGREE,      /* every value's interval overlaps the others */
    MR_VERDICT_RANGE,      /* they differ within the rounding of the
                              numbers stated */
    MR_VERDICT_CONFLICT,   /* incompatible at the same time */
    MR_VERDICT_UPDATE      /* the toll was revised over time: the latest
                              values agree, none below an earlier one */
} mr_verdict;

/* "single", "agree", "range", "conflict", "update". Static storage. */
const char *mr_verdict_name(mr_verdict v);

/* What a claim counts over (docs/story.md, "Quantities"). */
typedef enum mr_scope {
    MR_SCOPE_INCIDENT = 0, /* one attack or event, no day stated */
    MR_SCOPE_DAY,          /* one day's toll (period = that day) */
    MR_SCOPE_CUMULATIVE,   /* since a start (period = "START/..") */
    MR_SCOPE_BACKGROUND    /* a past toll quoted for context (period = its
                              year) */
} mr_scope;

/* "incident", "day", "cumulative", "background". Static storage. */
const char *mr_scope_name(mr_scope s);

/* One report's value in a claim. */
typedef struct mr_claim_value {
    size_t doc;                /* index into the docs given */
    size_t figure;             /* index into that doc's facts->figures */
    uint32_t start, end;       /* the figure's span in the report text */
    mr_span sentence;          /* the sentence that holds it */
    double min, max;           /* as the figure says */
    bool has_min, has_max;     /* false = open end */
    marsad_qualifier qualifier;
    const char *source;        /* the speaker credited, else the outlet,
                                  else "" */
    const char *published;     /* the report's date, or "" */
    double at;                 /* published in seconds since 1970 UTC (a
                                  day alone: its midnight UTC), for order;
                                  0 when unknown */
    const char *category;      /* the figure's own category */
    bool repeat;               /* the same report stated the same value
                                  earlier in this claim: shown, but counted
                                  once (not in verdict, course, n_reports) */
    /* The interval the value stands for: qualifiers as intervals (approx
     * and multiple = ±10 %, more_than v = [v, inf) ...). lo/hi_open: the
     * bound is open (0 / infinity). */
    double lo, hi;
    bool hi_inf;
} mr_claim_value;

/* One claim: the figures that state one quantity (event, category family,
 * side, breakdown, scope and period; docs/story.md). */
typedef struct mr_claim {
    const char *event;    /* killed, injured, ... */
    const char *category; /* civilians, fighters, ... (the values' most
                             frequent category of the family) */
    const char *side;     /* canonical group, or "" */
    const char *period;   /* ISO day, "START/.." or year, or "" */
    mr_scope scope;
    const char *place;    /* the place its values' sentences name most, or
                             "" */
    bool part;            /* a breakdown of another figure (بينهم ...) */
    bool attacker;        /* the dead counted with the attacker (بينهم
                             السائق), apart from those without him */
    mr_claim_value *values; /* n values, ordered by (published, doc, start) */
    size_t n;
    size_t n_reports;     /* distinct reports among the values */
    /* The range over sources: the smallest lower and largest upper bound of
     * the figures as stated (min_open/max_open when a bound is open). */
    double range_min, range_max;
    bool range_min_open, range_max_open;
    mr_verdict verdict;
    const char *reason;   /* one short Arabic sentence: why the verdict */
} mr_claim;

/* ------------------------------------------------------------ timeline */

typedef struct mr_timeline_item {
    const char *value;   /* ISO 8601 date, month, year or interval a/b */
    size_t doc;
    uint32_t start, end; /* the date's span */
    mr_span sentence;    /* its sentence */
} mr_timeline_item;

/* ------------------------------------------------------------- summary */

typedef struct mr_summary_item {
    size_t doc;
    mr_span sentence;
    const char *outlet; /* credited outlet ("" when unknown) */
    double score;
} mr_summary_item;

#define MR_SUMMARY_MAX 5

typedef struct mr_synth {
    MR_VEC(mr_claim) claims;           /* see mr_story_synth for order */
    MR_VEC(mr_timeline_item) timeline; /* by (value, published, doc, start) */
    MR_VEC(mr_summary_item) summary;   /* 0..5, in reading order */
    mr_arena arena;
} mr_synth;

/*
 * Reconciles docs[0..n): claims (ordered: conflicts first, then by the
 * number of reports, then event/category/side/period bytewise), timeline,
 * summary. *out must be zeroed or freed. O(F log F + S * T) for F figures,
 * S sentences, T tokens per sentence. MARSAD_E_ARG for NULL, _NOMEM.
 */
marsad_status mr_story_synth(const mr_story_doc *docs, size_t n,
                             mr_synth *out);

/* Releases everything in *s; *s is left zeroed. NULL is a no-op. */
void mr_synth_free(mr_synth *s);

/*
 * The verdict over values[0..n) alone (values need lo/hi/hi_inf, published,
 * at and doc set, sorted by at; see mr_claim_value_interval and
 * mr_claim_time). Writes a short reason into
 * reason[cap]. Exposed for tests.
 */
mr_verdict mr_claim_verdict(const mr_claim_value *values, size_t n,
                            const char *event, char *reason, size_t cap);

/* The claims step of mr_story_synth alone (appends to s->claims). */
marsad_status mr_story_claims(const mr_story_doc *docs, size_t n,
                              mr_synth *s);

/*
 * The toll's course by source: writes into out[] (room for c->n) the index
 * into c->values of each source's last value (repeats left out), in value
 * order (report time), and returns how many. O(n log n).
 */
size_t mr_claim_latest(const mr_claim *c, size_t *out);

/* Seconds since 1970 UTC of an ISO date or datetime ("2018-04-07",
 * "2018-04-07T03:39:53+04:00", "...Z"); 0 when it is not one. */
double mr_claim_time(const char *published);

/* Sets v->lo, v->hi, v->hi_inf from min, max, has_min, has_max and the qualifier. */
void mr_claim_value_interval(mr_claim_value *v);

#endif
