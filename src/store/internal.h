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

/* Registers the "marsad" FTS5 tokenizer on db (fts.c). */
int mr_fts_register(sqlite3 *db);

#endif
