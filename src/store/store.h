/*
 * store.h: the SQLite store (docs/store.md): reports, an Arabic full-text
 * index over them, and generic tables the layers above fill (facts, links,
 * stories) without the store knowing their rules.
 *
 * One store is one SQLite file in WAL mode with a versioned schema
 * (PRAGMA user_version) brought forward by migrations on open. Each open
 * connection registers the FTS5 tokenizer "marsad" (fts.c), so the index
 * can only be read or written through mr_store_open (the sqlite3 shell can
 * read every table but reports_fts).
 *
 * Writes are grouped in batches by the caller (mr_store_begin/commit): a
 * crash or kill at any moment leaves each batch wholly in or wholly out.
 *
 * Thread safety: one mr_store per thread (it wraps one connection); several
 * processes may open the same file (SQLite's locking; a writer waits up to
 * 30 s for another).
 */
#ifndef MR_STORE_H
#define MR_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "text/report.h"
#include "marsad.h"
#include "text/buf.h"

/* The schema version this build writes (PRAGMA user_version). */
#define MR_STORE_SCHEMA 9

/* The store used when neither --db nor MARSAD_DB says otherwise. */
#define MR_STORE_DEFAULT_PATH "marsad.db"

typedef struct marsad_store mr_store; /* opaque; public as marsad_store */

typedef struct mr_store_opts {
    /* The FTS5 tokenizer of a store created by this open, e.g. "marsad"
     * (the default when NULL) or "unicode61 remove_diacritics 2" (the
     * benchmark's baseline). Ignored for an existing store, which keeps the
     * one it was created with (meta key fts_tokenizer). */
    const char *tokenizer;
    int must_exist; /* fail (MARSAD_E_NOTFOUND) when the file is missing
                       instead of creating it (search, show) */
} mr_store_opts;

/*
 * Opens (creating when missing, unless readonly) the store at path and
 * migrates it to MR_STORE_SCHEMA. Owned: release with mr_store_close.
 * Errors: MARSAD_E_ARG, MARSAD_E_NOMEM, MARSAD_E_DB (not a SQLite file, a
 * schema newer than this build, a failed migration: err says which),
 * MARSAD_E_NOTFOUND (must_exist and the file does not exist). *out is NULL
 * on failure.
 */
marsad_status mr_store_open(const char *path, const mr_store_opts *opts,
                            mr_store **out, marsad_error *err);

/* Rolls back an open batch and closes the store. NULL is a no-op. */
void mr_store_close(mr_store *st);

/* The store path given to mr_store_open (borrowed), or NULL. */
const char *mr_store_path(const mr_store *st);

/* Resolves the store path of a command: opt (from --db) if set, else
 * $MARSAD_DB if set and non-empty, else MR_STORE_DEFAULT_PATH. */
const char *mr_store_default_path(const char *opt);

/* ----------------------------------------------------------- batches */

/* Starts a batch (BEGIN IMMEDIATE: waits for other writers). */
marsad_status mr_store_begin(mr_store *st, marsad_error *err);
/* Commits the batch: everything since mr_store_begin becomes durable at
 * once. On failure the batch is rolled back. */
marsad_status mr_store_commit(mr_store *st, marsad_error *err);
/* Drops the batch. */
void mr_store_rollback(mr_store *st);

/* ----------------------------------------------------------- reports */

typedef enum mr_put_result {
    MR_PUT_ADDED = 0, /* a new report */
    MR_PUT_PRESENT,   /* its id was stored before this run: re-ingest, a
                         no-op */
    MR_PUT_DUPLICATE, /* another id has the same normalised text (kept as
                         a copy of it, below), or the id came earlier in
                         this run: skipped */
    MR_PUT_OTHER_TEXT /* the id is stored (the same outlet and url: a feed
                         item repeated, a page edited) but with another
                         text: skipped, the stored text is kept; callers
                         say so */
} mr_put_result;

/*
 * Terms made ahead (parallel ingest): mr_store_terms_make tokenises one
 * column's text as the store's FTS5 tokenizer would (stem 1 as
 * "marsad", 0 as "marsad stem 0"); it is pure and runs on any thread
 * (text is borrowed until fed). NULL for an empty text or no memory.
 * mr_store_terms_feed hands them, with the column's text (malloc'd; the
 * feed owns it now, and frees it with t), to the calling thread: when
 * that thread next indexes a column with exactly these bytes, FTS5 gets
 * the terms made ahead instead of tokenising the text again (the same
 * terms, so the same index). The feed is the calling thread's;
 * mr_store_terms_clear drops what is left of it (after each commit).
 */
typedef struct mr_store_terms mr_store_terms;
mr_store_terms *mr_store_terms_make(const char *text, size_t len, int stem);
void mr_store_terms_free(mr_store_terms *t);
void mr_store_terms_feed(mr_store_terms *t, char *text);
void mr_store_terms_clear(void);

/* Starts a new run: ids stored so far count as "present", ids stored
 * from now on as repeats. mr_store_open and mr_store_ingest call it. */
void mr_store_new_run(mr_store *st);

/*
 * Stores r (id and text required) unless its id or its normalised text
 * (mr_text_hash) is already there. Inside or outside a batch (outside, it
 * is its own transaction). *res (may be NULL) says what happened.
 * Errors: MARSAD_E_ARG (r, id or text missing), MARSAD_E_DB.
 */
marsad_status mr_store_put_report(mr_store *st, const mr_report *r,
                                  mr_put_result *res, marsad_error *err);

/*
 * Copies. A report whose normalised text is a stored report's but whose id
 * is another (another url, outlet or source id: ANT files one article
 * under two sections; a wire text may be printed whole by two outlets) is
 * not stored twice: mr_store_put_report answers MR_PUT_DUPLICATE and keeps
 * its names as a copy of that report (the first id met stays the report).
 * mr_store_get_report finds a copy by its id or source id (the text is the
 * report's); mr_store_copies_each gives them all, ordered by the id of the
 * report they copy, then by their own id. fn returns 0 to go on.
 */
typedef struct mr_store_copy {
    const char *report_id; /* the report it copies */
    const char *id;        /* its own id */
    const char *source_id, *outlet, *published; /* NULL when not given */
} mr_store_copy;
typedef int (*mr_store_copy_fn)(const mr_store_copy *c, void *ctx);
marsad_status mr_store_copies_each(mr_store *st, mr_store_copy_fn fn,
                                   void *ctx, marsad_error *err);

/*
 * Reads the report with this id, or the copy with this id, or (when none
 * has it) the one report or copy whose source_id it is, into *r (zeroed first; free with mr_report_clear).
 * added (may be NULL, 32 bytes) receives when it was stored, ISO 8601 UTC.
 * Returns MARSAD_E_NOTFOUND when none (or several source_ids) match.
 */
marsad_status mr_store_get_report(mr_store *st, const char *id, mr_report *r,
                                  char added[32], marsad_error *err);

/* Number of stored reports. */
marsad_status mr_store_count(mr_store *st, uint64_t *n);

/*
 * Calls fn for every report whose internal row number is > after, in the
 * order stored (row numbers grow with each insert, so a layer that keeps the
 * last row it saw processes only new reports). fn gets the row number and a
 * report borrowed for the call; it returns 0 to go on, non-zero to stop.
 */
typedef int (*mr_store_report_fn)(int64_t row, const mr_report *r, void *ctx);
marsad_status mr_store_reports_each(mr_store *st, int64_t after,
                                    mr_store_report_fn fn, void *ctx);

/* ----------------------------------------------------------- search */

/*
 * Translates a user query into a safe FTS5 MATCH expression (query.c).
 * Syntax: words (all required; AND between them says the same), "a
 * phrase", -word or -"phrase" (excluded), OR between two items (either),
 * word* (prefix), title:ITEM or text:ITEM (in that field only). Every piece
 * of user text ends up inside a double-quoted FTS5 string; words that hold
 * nothing indexable (punctuation) are dropped. Errors: MARSAD_E_INPUT
 * (nothing to look for, only exclusions, NEAR, a field other than title:
 * and text:; err says why), MARSAD_E_LIMIT (more than
 * MR_QUERY_MAX_TERMS items or a query over MR_QUERY_MAX_BYTES).
 */
#define MR_QUERY_MAX_TERMS 64
#define MR_QUERY_MAX_BYTES 4096
marsad_status mr_query_to_fts(const char *q, size_t len, mr_buf *out,
                              marsad_error *err);

typedef struct mr_search_opts {
    size_t limit;       /* 0 = 20 */
    const char *outlet; /* exact, case-insensitive; NULL = any */
    const char *since;  /* YYYY, YYYY-MM or YYYY-MM-DD, inclusive; NULL */
    const char *until;  /* same, inclusive */
    const char *hl_open, *hl_close; /* marks around matches in snippets;
                                       NULL = "[" and "]" */
    int snippet_tokens; /* tokens per snippet, 0 = 24 */
    size_t offset;      /* hits skipped first (paging), 0 = none */
    int64_t after_row;  /* only reports stored after this row (the store
                           revision, mr_store_revision), 0 = any */
    size_t *total;      /* if not NULL, receives the number of matching
                           reports (all of them, not only those returned) */
} mr_search_opts;

/* One hit; every string is borrowed for the duration of the callback and
 * may be NULL (except id and snippet). score: BM25, higher is better. */
typedef struct mr_hit {
    const char *id, *title, *outlet, *published, *snippet;
    double score;
} mr_hit;

typedef int (*mr_hit_fn)(const mr_hit *h, void *ctx);

/*
 * Runs the user query q (parsed by mr_query_to_fts) and calls fn for each
 * hit, best first (BM25, title weighted 2, text 1), at most opts->limit.
 * Errors: as mr_query_to_fts; MARSAD_E_ARG for a malformed since/until;
 * MARSAD_E_DB.
 */
marsad_status mr_store_search(mr_store *st, const char *q,
                              const mr_search_opts *opts, mr_hit_fn fn,
                              void *ctx, marsad_error *err);

/*
 * Builds the derived postings file beside the store (PATH-postings,
 * postings.c) from the reports as they are now, so that mr_store_search
 * answers plain queries without FTS5 (docs/store.md). The store stays the
 * source of truth: the file records the state of the full-text index it
 * was built from, and search uses it only while the index is in that
 * state, else it falls back to FTS5. Call outside a batch, after writing
 * (marsad ingest does at its end, marsad_analyze on a thread). O(text).
 * Errors: MARSAD_E_ARG (a store in memory, an open batch), MARSAD_E_DB
 * (the index does not agree with the reports: repair it), MARSAD_E_IO,
 * MARSAD_E_NOMEM.
 */
marsad_status mr_store_postings_build(mr_store *st, marsad_error *err);

/* 1 when the postings file exists and was built from the full-text index
 * as it is now (search reads it), else 0 (search reads FTS5). */
int mr_store_postings_fresh(mr_store *st);

/* ------------------------------------------- generic tables for layers */

/*
 * Facts: rows (report_id, kind, start, end, text, json). kind is the
 * layer's own name ("figure", "date", ...); json is opaque to the store.
 * mr_store_facts_replace deletes the report's facts of that kind, then the
 * caller adds the new ones with mr_store_fact_add (same batch).
 *
 * Call them inside a batch (mr_store_begin ... mr_store_commit). A
 * report's facts are one blob (schema 7), written whole when the batch
 * commits; outside a batch each call is a batch of its own, so it reads,
 * decodes, encodes and writes the report's whole blob: adding n facts one
 * call each costs O(n^2) (2,000 facts: 4.3 s of CPU, against 0.007 s in
 * one batch). Every caller in marsad batches (corpus.c's save_facts,
 * import.c's marsad_store_import).
 */
marsad_status mr_store_facts_replace(mr_store *st, const char *report_id,
                                     const char *kind, marsad_error *err);
marsad_status mr_store_fact_add(mr_store *st, const char *report_id,
                                const char *kind, uint32_t start, uint32_t end,
                                const char *text, const char *json,
                                marsad_error *err);

/* Links: one row per (a, b, kind), a < b by convention of the caller;
 * json is opaque. Inserting an existing key replaces its json. */
marsad_status mr_store_link_put(mr_store *st, const char *a, const char *b,
                                const char *kind, double score,
                                const char *json, marsad_error *err);

/* Stories: one opaque JSON row per story id, plus its member reports
 * (replaced whole by each put). */
marsad_status mr_store_story_put(mr_store *st, const char *story_id,
                                 const char *json,
                                 const char *const *report_ids, size_t n,
                                 marsad_error *err);

/* A key/value table for the layers' bookkeeping (e.g. the last report row
 * a stage processed). get: *value is malloc'd (free it) or NULL. */
marsad_status mr_store_meta_set(mr_store *st, const char *key,
                                const char *value, marsad_error *err);
marsad_status mr_store_meta_get(mr_store *st, const char *key, char **value,
                                marsad_error *err);

/* ------------------------------------------------- check and repair */

/* What a check looks at (check.c, docs/store.md). */
typedef enum mr_check_kind {
    MR_CHECK_PAGES = 0, /* SQLite's integrity_check: damaged pages, bad
                           records; nothing is written into such a file */
    MR_CHECK_INDEX,     /* an SQL index out of step with its table */
    MR_CHECK_FTS,       /* the full-text index against the reports */
    MR_CHECK_FACTS,     /* facts: their report, their span and its words */
    MR_CHECK_LINKS,     /* links between stored reports */
    MR_CHECK_STORIES,   /* story members, stories without reports, analysed
                           reports in no story or in two */
    MR_CHECK_NKINDS
} mr_check_kind;

/* "pages", "index", "full-text index", "facts", "links", "stories". */
const char *mr_check_kind_name(mr_check_kind k);

typedef struct mr_check_problem {
    mr_check_kind kind;
    const char *message; /* borrowed for the callback */
} mr_check_problem;
typedef void (*mr_check_fn)(const mr_check_problem *p, void *ctx);

typedef struct mr_check_result {
    uint64_t reports, facts, stories;       /* rows */
    unsigned problems[MR_CHECK_NKINDS];     /* problems found, per kind */
} mr_check_result;

/*
 * Verifies the store and calls fn (may be NULL) for each problem: SQLite's
 * integrity check (when it finds damaged pages nothing else is read), the
 * full-text index against the reports, facts against their reports (the
 * bytes of each span are the fact's text), links and story members
 * against the reports and stories. analysed_key (may be NULL): the meta
 * key holding the last report row the stories cover; every report up to
 * it must be in one story. Writes nothing. O(rows).
 * Errors: MARSAD_E_ARG; a problem is not an error (see res->problems).
 */
marsad_status mr_store_check(mr_store *st, const char *analysed_key,
                             mr_check_fn fn, void *ctx, mr_check_result *res,
                             marsad_error *err);

/* True when res found no problem. */
int mr_check_clean(const mr_check_result *res);

/*
 * Rebuilds what is derived, as found by mr_store_check, in one
 * transaction: SQL indexes (REINDEX), the full-text index (FTS5 'rebuild'
 * from the reports), and when facts, links or stories had problems, all of
 * them and the layers' bookkeeping in meta are deleted (*derived_cleared
 * set): the caller analyses the reports again. Reports are never changed.
 * Refuses (MARSAD_E_DB, err says why and what to do) when the pages are
 * damaged: nothing is written into such a file.
 */
marsad_status mr_store_repair(mr_store *st, const mr_check_result *found,
                              int *derived_cleared, marsad_error *err);

/* ------------------------------------- typed queries for the layers */

/* Called with two strings borrowed for the call; non-zero stops. */
typedef int (*mr_store_pair_fn)(const char *a, const char *b, void *ctx);

/* A stored entity fact: its report, canonical name, kind as saved
 * ("person", "place", ...; "" when absent) and byte offset in the text;
 * strings borrowed for the call. */
typedef struct mr_entity_row {
    const char *report_id, *canonical, *kind;
    uint32_t start;
} mr_entity_row;
typedef int (*mr_store_entity_fn)(const mr_entity_row *row, void *ctx);

/* The stored entity facts of the reports of rows after < row <= upto (the
 * order stored; 0 and INT64_MAX: every report), by row, each report's in
 * the order they were saved (tables.c). fn returning non-zero stops. */
marsad_status mr_store_entities_each(mr_store *st, int64_t after,
                                     int64_t upto, mr_store_entity_fn fn,
                                     void *ctx, marsad_error *err);

/* The ids of a stored story's reports, sorted (strcmp): *ids owned, free
 * with mr_store_strv_free; none is not an error (*n == 0). */
marsad_status mr_store_story_members(mr_store *st, const char *story_id,
                                     char ***ids, size_t *n,
                                     marsad_error *err);
void mr_store_strv_free(char **v, size_t n);

/* Deletes every stored story (with its member rows) whose id is not in
 * keep[0..n), which is sorted by strcmp; n == 0 deletes them all. */
marsad_status mr_store_stories_keep_only(mr_store *st,
                                         const char *const *keep, size_t n,
                                         marsad_error *err);

marsad_status mr_store_meta_delete(mr_store *st, const char *key,
                                   marsad_error *err);

/* A stored story row: strings borrowed for the callback; title,
 * first_seen and last_seen come from its JSON and may be NULL. */
typedef struct mr_story_row {
    const char *id, *title, *first_seen, *last_seen;
    const char *json;
    size_t json_len;
    size_t nreports, nclaims, nconflicts;
    const char *updated; /* when analyze wrote it (YYYY-MM-DDTHH:MM:SSZ) */
    const char *outlets; /* JSON array of its reports' distinct outlets */
} mr_story_row;
typedef int (*mr_store_story_fn)(const mr_story_row *row, void *ctx);

/*
 * Calls fn for the stored stories, largest first (then first_seen, then
 * id), at most limit (0 = all); with id, only the story with that id or
 * holding the report with that id or source id (MARSAD_E_NOTFOUND when
 * none, err says so). *count (may be NULL) receives the rows given.
 */
marsad_status mr_store_stories_each(mr_store *st, const char *id,
                                    size_t limit, mr_store_story_fn fn,
                                    void *ctx, size_t *count,
                                    marsad_error *err);

/* Claims over every stored story, and those in conflict. */
marsad_status mr_store_claim_counts(mr_store *st, size_t *claims,
                                    size_t *conflicts, marsad_error *err);

/* ----------------------------------------------------------- tokens */

/* True for the token kinds the index holds (words and numbers). */
int mr_fts_indexable(marsad_token_kind kind);

#endif /* MR_STORE_H */
