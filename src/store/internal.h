/*
 * internal.h: what the files of src/store/ share and nothing above them
 * sees: the SQLite connection. The layers above reach the store only
 * through the typed calls of store.h.
 */
#ifndef MR_STORE_INTERNAL_H
#define MR_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"
#include "text/buf.h"

/* The connection (borrowed, valid until mr_store_close). */
sqlite3 *mr_store_db(mr_store *st);

/* The columns of a stored story row over `stories s` (for
 * mr_story_row_read): id, json, title, first_seen AS fs, last_seen AS ls,
 * reports AS nr, claims, conflicts, updated, outlets (a JSON array of its
 * reports' distinct outlets). */
#define MR_STORY_COLS                                                         \
    "SELECT s.id, mr_story_full(mr_story_inflate(s.json, s.size), s.packed), "\
    "s.title, s.first_seen AS fs, s.last_seen AS ls, "                       \
    "(SELECT count(*) FROM story_reports r WHERE r.story_id = s.id) AS nr, " \
    "s.claims, s.conflicts, s.updated, "                                     \
    "(SELECT json_group_array(o) FROM (SELECT DISTINCT r.outlet AS o"        \
    "  FROM story_reports x JOIN reports r ON r.id = x.report_id"            \
    "  WHERE x.story_id = s.id AND r.outlet IS NOT NULL ORDER BY o))"

/* The columns a story's document J (an SQL expression: its text, packed
 * or not) gives the stories table (schema 9): title, first_seen,
 * last_seen, claims (how many), conflicts (claims whose verdict is
 * "conflict") and claims_size (MR_STORY_KEYS); then claims_json, its
 * "claims" member (MR_STORY_CLAIMS, as json_extract gives it), stored
 * deflated as the document is when that is shorter, for the claims list
 * to read without inflating the document; none of a document that is not
 * JSON. */
#define MR_STORY_KEYS(J)                                                     \
    " CASE WHEN json_valid(" J ") THEN json_extract(" J ", '$.title') END,"  \
    " CASE WHEN json_valid(" J ") THEN json_extract(" J ", '$.first_seen')"  \
    " END,"                                                                  \
    " CASE WHEN json_valid(" J ") THEN json_extract(" J ", '$.last_seen')"   \
    " END,"                                                                  \
    " CASE WHEN json_valid(" J ") THEN coalesce(json_array_length(" J ","    \
    " '$.claims'), 0) ELSE 0 END,"                                           \
    " CASE WHEN json_valid(" J ") THEN (SELECT count(*) FROM json_each("    \
    J ", '$.claims') c WHERE json_extract(c.value, '$.verdict') ="          \
    " 'conflict') ELSE 0 END,"                                               \
    " CASE WHEN json_valid(" J ") THEN length(CAST(json_extract(" J ","      \
    " '$.claims') AS BLOB)) END"
#define MR_STORY_CLAIMS(J)                                                   \
    " CASE WHEN json_valid(" J ") THEN json_extract(" J ", '$.claims') END"

/* A row of MR_STORY_COLS into *row (strings borrowed from q). */
void mr_story_row_read(sqlite3_stmt *q, mr_story_row *row);

/* Registers mr_fact_pack, of migration 4 -> 5, on db (facts.c). */
int mr_facts_register(sqlite3 *db);

/* Appends s[0..n) to o as a JSON string, escaped as src/out/json.c
 * escapes (facts.c; into a buffer: facts_bin.c). 0, or -1 out of memory
 * (then nothing is appended to o). */
int mr_store_json_esc(sqlite3_str *o, const unsigned char *s, size_t n);
int mr_store_json_esc_buf(mr_buf *o, const char *s, size_t n);

/* A story document with the strings of its timeline and summary that
 * are its reports' bytes as references to them (pack = 1), or back whole
 * (pack = 0), in a new sqlite3_malloc'd buffer of *len bytes; NULL when
 * it is to be kept as it is (story_pack.c). */
char *mr_story_pack(sqlite3 *db, const char *json, size_t n, int pack,
                    size_t *len);

/* A document deflated (zlib, level 6) into a new sqlite3_malloc'd buffer
 * of *len bytes; NULL when that is not shorter or out of memory (then it
 * is stored as it is; story_pack.c). */
unsigned char *mr_story_deflate(const char *s, size_t n, size_t *len);

/* Registers mr_story_full(json, packed), mr_story_deflate(json) and
 * mr_story_inflate(json, size[, lenient]) on db (story_pack.c). */
int mr_story_pack_register(sqlite3 *db);

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

/* Builds the postings file of st with the store's tokenizer (postings.c). */
marsad_status mr_search_build_postings(mr_store *st, mr_search_cache *c,
                                       const char **what);

/* True when the postings file is there and fresh (search reads it).
 * own_read: st's connection is inside a read transaction the caller opened
 * itself and wrote nothing in (a search's own), not a batch. */
int mr_search_postings_fresh(mr_store *st, mr_search_cache *c, int own_read);

/* The best k rows of a search (search.c): a heap, worst at the root; ties
 * keep the older row. col: the column the snippet comes from; off[ninst]:
 * token offsets of its matches there (FTS5's), or tok_pos: the token
 * position of its first match there (the postings file's; -1 when not
 * known). */
#define MR_SNIP_INST 16
typedef struct mr_top_ent {
    int64_t rowid;
    double score;
    int col, ninst, tok_pos;
    uint32_t aux; /* the postings file's posting of the row (its snippet) */
    int off[MR_SNIP_INST];
} mr_top_ent;
typedef struct mr_top {
    mr_top_ent *h;
    size_t n, cap, k;
} mr_top;
/* Offers e: kept when the heap is not full or e beats its worst. -1 out of
 * memory, else 0. */
int mr_top_push(mr_top *t, const mr_top_ent *e);

/* The terms of a query, for marking matches in snippets (a prefix marks
 * every term that begins with it). */
#define MR_QTERM_MAX 256
typedef struct mr_qterms {
    struct {
        char s[MR_QTERM_MAX];
        int n, prefix;
    } t[MR_QUERY_MAX_TERMS];
    int n;
} mr_qterms;

/* postings.c: the derived postings file beside the store (FILE-postings);
 * see there. */
typedef struct mr_postings mr_postings;
/* FILE-postings for the store at db_path (malloc'd), NULL for a store in
 * memory. */
char *mr_postings_path(const char *db_path);
/* Builds the file from the reports, tokenised by tk/tok (the store's FTS5
 * tokenizer), in one read transaction; outside a batch. */
marsad_status mr_postings_build(sqlite3 *db, const char *db_path,
                                const fts5_tokenizer *tk, Fts5Tokenizer *tok,
                                const char **what);
mr_postings *mr_postings_new(const char *db_path);
void mr_postings_free(mr_postings *p);
/* True when the file exists and was built from the index as it is now
 * (outside a write transaction of db only: in autocommit, or own_read, a
 * read transaction the search opened itself). */
int mr_postings_ready(mr_postings *p, sqlite3 *db, int own_read);
/* Where to start tokenising column col (0 title, 1 body) of row to reach
 * its token tok without tokenising from the start: the byte of the
 * file's checkpoint at or before it, *at_tok its position (0 and 0: the
 * column's start). */
int mr_postings_anchor(const mr_postings *p, int64_t row, int col, int tok,
                       int *at_tok);
/* Runs the MATCH expression e (as mr_query_to_fts writes it) over the
 * file, pushing every match into top with its BM25 score; *matches, and
 * the query's terms into qt. 1 done, 0 not a query for the file (a phrase
 * of several terms, a field: FTS5 answers it), -1 out of memory. */
int mr_postings_top(mr_postings *p, const fts5_tokenizer *tk,
                    Fts5Tokenizer *tok, const char *e, size_t n, mr_top *top,
                    size_t *matches, mr_qterms *qt);

/* facts_bin.c: a report's facts as one blob (schema 7; see there). */
typedef struct mr_fact_in {
    const char *kind;
    uint32_t start, end;
    const char *text; /* NULL: the report's bytes at the span */
    const char *json; /* json_len bytes; NULL: none */
    size_t json_len;
    int packed;       /* json lacks its leading span and text (facts.c) */
} mr_fact_in;

/* The blob of f[0..n) (malloc'd, *len bytes), NULL when out of memory.
 * It reads back as f exactly (checked before it is handed out). */
unsigned char *mr_facts_encode(const mr_fact_in *f, size_t n, size_t *len);

/* A fact read from a blob: strings valid until the next call. */
typedef struct mr_fact_bin {
    const char *kind;
    uint32_t start, end;
    const char *text; /* NUL-terminated; NULL: the report's bytes */
    size_t text_len;
    const char *json; /* NUL-terminated; NULL: none */
    size_t json_len;
    int packed;
} mr_fact_bin;

typedef struct mr_fact_dec {
    const unsigned char *p, *e;
    const unsigned char **wp; /* the word table */
    uint32_t *wl;
    size_t nwords, left;
    uint32_t prev;
    mr_buf out;
    unsigned char *own; /* a deflated blob, inflated */
} mr_fact_dec;

/* 0, or -1 for a blob that is not one (free d even then). */
int mr_fact_dec_init(mr_fact_dec *d, const void *blob, size_t len);
/* 1 a fact in *f, 0 the end, -1 malformed or out of memory. */
int mr_fact_dec_next(mr_fact_dec *d, mr_fact_bin *f);
void mr_fact_dec_free(mr_fact_dec *d);

/* The string member name of the object json[0..n) (malloc'd), or NULL
 * (no such member, not a string, not an object). -1 out of memory. */
int mr_fact_member(const char *json, size_t n, const char *name, char **val);

/* Whether json[0..n) begins with exactly the span and text marsad writes
 * for (start, end, text[0..tn)) ({"start":S,"end":E,"text":"..."): then
 * *rest (malloc'd, *rn bytes) is the object without them, 1. 0 when not,
 * -1 out of memory (facts.c). */
int mr_fact_strip(const char *json, size_t n, uint32_t start, uint32_t end,
                  const char *text, size_t tn, char **rest, size_t *rn);

/* Appends to o the object whole from its rest (as mr_fact_strip made it)
 * and its span and text (facts.c). */
int mr_fact_unstrip(mr_buf *o, const char *rest, size_t rn, uint32_t start,
                    uint32_t end, const char *text, size_t tn);

/* Calls fn for each fact of the blob, in order: as stored (whole = 0:
 * text NULL when it is the report's bytes, json as kept, packed or not),
 * or whole (whole = 1: the text from the report's rt[0..rn), the object
 * with its span and text). 0 done, 1 fn stopped it, -1 malformed or out
 * of memory. */
typedef int (*mr_fact_bin_fn)(const mr_fact_bin *f, void *ctx);
int mr_facts_walk(const void *blob, size_t len, const char *rt, size_t rn,
                  int whole, mr_fact_bin_fn fn, void *ctx);

/* Writes the pending facts of the report being written (store.c; a
 * no-op when there are none). Every read of facts calls it first. */
marsad_status mr_store_facts_flush(mr_store *st, marsad_error *err);

/* Registers mr_facts_blob(seq, kind, start, end, text, packed, json), the
 * aggregate of migration 7 (facts.c). */
int mr_facts_blob_register(sqlite3 *db);

#endif
