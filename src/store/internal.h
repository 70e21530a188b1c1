/*
 * internal.h: what the files of src/store/ share and nothing above them
 * sees: the SQLite connection. The layers above reach the store only
 * through the typed calls of store.h.
 */
#ifndef MR_STORE_INTERNAL_H
#define MR_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

/* The connection (borrowed, valid until mr_store_close). */
sqlite3 *mr_store_db(mr_store *st);

/* The columns of a stored story row over `stories s` (for
 * mr_story_row_read): id, json, title, first_seen AS fs, last_seen AS ls,
 * reports AS nr, claims, conflicts, updated, outlets (a JSON array of its
 * reports' distinct outlets). */
#define MR_STORY_COLS                                                         \
    "SELECT s.id, s.json, json_extract(s.json, '$.title'), "                 \
    "json_extract(s.json, '$.first_seen') AS fs, "                           \
    "json_extract(s.json, '$.last_seen') AS ls, "                            \
    "(SELECT count(*) FROM story_reports r WHERE r.story_id = s.id) AS nr, " \
    "coalesce(json_array_length(s.json, '$.claims'), 0), "                   \
    "(SELECT count(*) FROM json_each(s.json, '$.claims') c "                 \
    " WHERE json_extract(c.value, '$.verdict') = 'conflict'), "              \
    "s.updated, "                                                            \
    "(SELECT json_group_array(o) FROM (SELECT DISTINCT r.outlet AS o"        \
    "  FROM story_reports x JOIN reports r ON r.id = x.report_id"            \
    "  WHERE x.story_id = s.id AND r.outlet IS NOT NULL ORDER BY o))"

/* A row of MR_STORY_COLS into *row (strings borrowed from q). */
void mr_story_row_read(sqlite3_stmt *q, mr_story_row *row);

/* Registers the "marsad" FTS5 tokenizer and the auxiliary function
 * mr_rank (search.c) on db (fts.c). */
int mr_fts_register(sqlite3 *db);

/* search.c: BM25 top-k without ORDER BY rank (see there). The cache is
 * the store's (document lengths, prepared statements, the tokenizer for
 * snippets); it is freed before the connection closes. */
typedef struct mr_search_cache mr_search_cache;
int mr_search_register(sqlite3 *db, fts5_api *api);
mr_search_cache *mr_search_cache_new(void);
void mr_search_cache_free(mr_search_cache *c);
/* Runs the MATCH expression expr with o (limit set); on failure *fail_what
 * says what failed (the caller adds the connection's message). */
marsad_status mr_search_run(mr_store *st, mr_search_cache *cache,
                            const char *expr, size_t expr_len,
                            const mr_search_opts *o, mr_hit_fn fn, void *ctx,
                            const char **fail_what);

#endif
