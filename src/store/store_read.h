/*
 * store_read.h: typed read queries over what `analyze` stored (stories,
 * their claims, facts, report counts), for the HTTP API (src/serve/) and
 * any reader that pages through a store. The SQL stays in src/store/.
 *
 * Every string handed to a callback is borrowed for that call only. Every
 * query is bounded by its page (limit, 0 = a default) and may be cut short
 * by a progress callback (mr_store_set_progress). Dates are YYYY, YYYY-MM
 * or YYYY-MM-DD and compare as prefixes, inclusive at both ends.
 */
#ifndef MR_STORE_READ_H
#define MR_STORE_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* True when d is YYYY, YYYY-MM or YYYY-MM-DD, of a real month and day
 * (2018-13 and 2018-04-31 are not). */
int mr_store_date_ok(const char *d);

/* The store's revision: the row number of the last stored report (0 for an
 * empty store). A reader that keeps it asks later for what came after it
 * (after_row below). */
marsad_status mr_store_revision(mr_store *st, int64_t *rev,
                                marsad_error *err);

/*
 * Installs fn as SQLite's progress callback on st's connection: it is
 * called every few thousand steps of a query, and a non-zero return stops
 * the query (which then fails with MARSAD_E_DB). NULL removes it. Used to
 * bound a request's time.
 */
void mr_store_set_progress(mr_store *st, int (*fn)(void *), void *ctx);

/* ----------------------------------------------------------- stories */

typedef struct mr_stories_query {
    const char *since, *until; /* last_seen >= since, first_seen <= until */
    const char *q;             /* user query (mr_query_to_fts): one of the
                                  story's reports matches; NULL = any */
    int64_t after_row;         /* one of its reports came after this
                                  revision; 0 = any */
    const char *updated_since; /* its row was written at or after this
                                  store time (YYYY-MM-DDTHH:MM:SSZ) */
    int64_t min_reports;       /* at least this many reports */
    int newest;                /* order by the row's last write, latest
                                  first, instead of largest first */
    size_t offset, limit;      /* the page; limit 0 = 50 */
} mr_stories_query;


/*
 * Calls fn for each story matching q, largest first (then id; or newest
 * first, then id: neither order parses a story's JSON), skipping q->offset and stopping after q->limit or when fn
 * returns non-zero. Errors: MARSAD_E_INPUT / MARSAD_E_LIMIT (a bad user
 * query, err says why), MARSAD_E_ARG (a malformed date), MARSAD_E_DB.
 */
marsad_status mr_store_stories_page(mr_store *st, const mr_stories_query *q,
                                    mr_store_story_fn fn, void *ctx,
                                    marsad_error *err);

/* The stored metadata of a story's reports (no text), published first. */
typedef struct mr_report_row {
    const char *id, *outlet, *url, *published, *title;
    int64_t row; /* the report's row number (its revision) */
} mr_report_row;

typedef int (*mr_report_row_fn)(const mr_report_row *row, void *ctx);

marsad_status mr_store_story_reports(mr_store *st, const char *story_id,
                                     mr_report_row_fn fn, void *ctx,
                                     marsad_error *err);

/* ----------------------------------------------------------- claims */

typedef struct mr_claims_query {
    const char *event, *category, *verdict; /* exact; NULL = any */
    const char *since, *until; /* on the story's last/first seen */
    int64_t after_row;
    const char *updated_since;
    size_t offset, limit; /* limit 0 = 50 */
} mr_claims_query;

typedef struct mr_claim_row {
    const char *story_id, *story_title, *json, *updated;
    int64_t index; /* the claim's place in its story's claims */
} mr_claim_row;

typedef int (*mr_claim_row_fn)(const mr_claim_row *row, void *ctx);

/* The claims of every stored story that match q, the stories last seen
 * latest first, each story's claims in order. Errors as
 * mr_store_stories_page. */
marsad_status mr_store_claims_page(mr_store *st, const mr_claims_query *q,
                                   mr_claim_row_fn fn, void *ctx,
                                   marsad_error *err);

/* ----------------------------------------------------------- facts */

typedef struct mr_fact_row {
    const char *kind, *text, *json;
    uint32_t start, end;
    bool packed; /* mr_store_facts_kept: json is the object without its
                    leading start, end and text (the row's span), text is
                    NULL */
} mr_fact_row;

typedef int (*mr_fact_row_fn)(const mr_fact_row *row, void *ctx);

/* The stored facts of one report, by start offset, then kind. */
marsad_status mr_store_facts_each(mr_store *st, const char *report_id,
                                  mr_fact_row_fn fn, void *ctx,
                                  marsad_error *err);

/* The same, in the order they were saved (tables.c): the order of their
 * arrays in mr_facts, so indexes between them hold (mr_fact_add_json). */
marsad_status mr_store_facts_kept(mr_store *st, const char *report_id,
                                  mr_fact_row_fn fn, void *ctx,
                                  marsad_error *err);
marsad_status mr_store_facts_saved(mr_store *st, const char *report_id,
                                   mr_fact_row_fn fn, void *ctx,
                                   marsad_error *err);

/* ----------------------------------------------------------- volume */

typedef enum mr_volume_by { MR_VOLUME_DAY, MR_VOLUME_OUTLET } mr_volume_by;

typedef struct mr_volume_row {
    const char *key; /* the day (YYYY-MM-DD) or outlet; NULL = unknown */
    int64_t matches; /* reports matching the query */
    int64_t total;   /* all reports of that day or outlet */
} mr_volume_row;

typedef int (*mr_volume_row_fn)(const mr_volume_row *row, void *ctx);

/*
 * Counts the reports matching the user query q (NULL = every report) per
 * day published or per outlet, within since/until (published) and outlet
 * (NULL = any), with the number of all reports of each; days in order,
 * outlets by matches (most first) then name. Errors as
 * mr_store_stories_page.
 */
marsad_status mr_store_volume(mr_store *st, const char *q, mr_volume_by by,
                              const char *since, const char *until,
                              const char *outlet, mr_volume_row_fn fn,
                              void *ctx, marsad_error *err);

#endif
