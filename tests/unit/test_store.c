/*
 * test_store.c: the store on real SQLite files (in $MARSAD_TMP): schema and
 * migrations, reports in and out, duplicates, batches, the marsad FTS5
 * tokenizer, the query parser and search, the generic tables, bad files.
 */
#include "testutil.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "ingest/ingest.h"
#include "store/internal.h"
#include "store/store_read.h"

/* A fresh store path under $MARSAD_TMP (files removed first). */
static void tmp_path(char *out, size_t cap, const char *name)
{
    const char *d = getenv("MARSAD_TMP");
    snprintf(out, cap, "%s/test_store_%ld_%s.db", d ? d : "/tmp",
             (long)getpid(), name);
    char side[4200];
    unlink(out);
    snprintf(side, sizeof side, "%s-wal", out);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", out);
    unlink(side);
}

static mr_store *open_new(char *path, size_t cap, const char *name)
{
    tmp_path(path, cap, name);
    mr_store *st = NULL;
    marsad_error err;
    marsad_status rc = mr_store_open(path, NULL, &st, &err);
    if (rc != MARSAD_OK)
        fprintf(stderr, "%s: %s\n", err.input, err.message);
    assert_int_equal(rc, MARSAD_OK);
    return st;
}

static mr_report mk(const char *id, const char *outlet, const char *title,
                    const char *text)
{
    mr_report r;
    memset(&r, 0, sizeof r);
    r.id = (char *)id;
    r.outlet = (char *)outlet;
    r.title = (char *)title;
    r.text = (char *)text;
    r.text_len = strlen(text);
    r.published = (char *)"2019-03-23";
    r.published_origin = MR_PUB_METADATA;
    return r;
}

static mr_put_result put(mr_store *st, const mr_report *r)
{
    mr_put_result res = MR_PUT_ADDED;
    marsad_error err;
    marsad_status rc = mr_store_put_report(st, r, &res, &err);
    if (rc != MARSAD_OK)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(rc, MARSAD_OK);
    return res;
}

/* Collects hit ids, sorted and joined by spaces, for set comparisons. */
typedef struct hits {
    char ids[16][32];
    size_t n;
    char snippet[2048];
} hits;

static int on_hit(const mr_hit *h, void *p)
{
    hits *hs = p;
    if (hs->n == 0)
        snprintf(hs->snippet, sizeof hs->snippet, "%s", h->snippet);
    if (hs->n < 16)
        snprintf(hs->ids[hs->n++], 32, "%s", h->id);
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(a, b);
}

static marsad_status search(mr_store *st, const char *q, hits *hs,
                            const mr_search_opts *o)
{
    memset(hs, 0, sizeof *hs);
    marsad_error err;
    marsad_status rc = mr_store_search(st, q, o, on_hit, hs, &err);
    qsort(hs->ids, hs->n, sizeof hs->ids[0], cmp_id);
    return rc;
}

static void ids_str(const hits *hs, char *out, size_t cap)
{
    out[0] = 0;
    for (size_t i = 0; i < hs->n; i++) {
        strncat(out, hs->ids[i], cap - strlen(out) - 1);
        strncat(out, " ", cap - strlen(out) - 1);
    }
}

/* ------------------------------------------------------------------ */

static int fts_ok(mr_store *st)
{
    return sqlite3_exec(mr_store_db(st),
                        "INSERT INTO reports_fts(reports_fts) "
                        "VALUES('integrity-check')",
                        NULL, NULL, NULL) == SQLITE_OK;
}

/* The facts table of schemas 1 to 4. */
#define SCHEMA1_FACTS                                                         \
    "CREATE TABLE facts("                                                     \
    "  report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,"     \
    "  kind TEXT NOT NULL, start INTEGER NOT NULL, \"end\" INTEGER NOT NULL," \
    "  text TEXT, json TEXT);"                                                \
    "CREATE INDEX facts_report ON facts(report_id, kind);"

/* New reports reach the index at the end of their batch (schema 2). */
static void test_index_per_batch(void **state)
{
    (void)state;
    char path[512];
    mr_store *st = open_new(path, sizeof path, "batch.db");
    marsad_error err;
    hits hs;
    /* outside a batch: a batch of one */
    mr_report a = mk("a", "x", "حصار الباغوز", "تواصل حصار بلدة الباغوز.");
    assert_int_equal(put(st, &a), MR_PUT_ADDED);
    assert_int_equal(search(st, "باغوز", &hs, NULL), MARSAD_OK);
    assert_int_equal(hs.n, 1);
    /* a batch: indexed at commit, once */
    assert_int_equal(mr_store_begin(st, &err), MARSAD_OK);
    mr_report b = mk("b", "x", "نزوح", "نزح المدنيون من الباغوز.");
    mr_report c = mk("c", "x", "قصف", "قصف على الباغوز ليلا.");
    put(st, &b);
    put(st, &c);
    assert_int_equal(mr_store_commit(st, &err), MARSAD_OK);
    assert_int_equal(search(st, "باغوز", &hs, NULL), MARSAD_OK);
    assert_int_equal(hs.n, 3);
    assert_true(fts_ok(st));
    /* a batch rolled back leaves neither the report nor its terms */
    assert_int_equal(mr_store_begin(st, &err), MARSAD_OK);
    mr_report d = mk("d", "x", "هدنة", "هدنة قصيرة في الباغوز.");
    put(st, &d);
    mr_store_rollback(st);
    assert_int_equal(search(st, "هدنة", &hs, NULL), MARSAD_OK);
    assert_int_equal(hs.n, 0);
    assert_true(fts_ok(st));
    /* a store of schema 1 (a trigger per insert) migrates and indexes each
     * new report once */
    assert_int_equal(
        sqlite3_exec(mr_store_db(st),
                     "CREATE TRIGGER reports_ai AFTER INSERT ON reports BEGIN"
                     "  INSERT INTO reports_fts(rowid, title, text)"
                     "  VALUES (new.n, new.title, new.text); END;"
                     "DROP TABLE facts;" SCHEMA1_FACTS
                     "PRAGMA user_version = 1;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    mr_store_close(st);
    st = NULL;
    assert_int_equal(mr_store_open(path, NULL, &st, &err), MARSAD_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(mr_store_db(st),
                                        "SELECT count(*) FROM sqlite_master "
                                        "WHERE name = 'reports_ai'",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 0);
    sqlite3_finalize(q);
    mr_report e = mk("e", "x", "معركة", "معركة الباغوز الأخيرة.");
    put(st, &e);
    assert_int_equal(search(st, "باغوز", &hs, NULL), MARSAD_OK);
    assert_int_equal(hs.n, 4);
    assert_true(fts_ok(st));
    mr_store_close(st);
    unlink(path);
}

/* Two handles on one file, as two processes: each batch indexes only its
 * own reports, whatever the other committed since this one opened the
 * store (the high-water mark is read inside the write transaction). */
static void test_two_writers(void **state)
{
    (void)state;
    char path[512];
    mr_store *a = open_new(path, sizeof path, "two.db");
    mr_store *b = NULL;
    marsad_error err;
    assert_int_equal(mr_store_open(path, NULL, &b, &err), MARSAD_OK);
    hits hs;
    mr_report r1 = mk("w1", "x", "حصار", "تواصل حصار بلدة الباغوز.");
    mr_report r2 = mk("w2", "y", "نزوح", "نزح المدنيون من الباغوز.");
    mr_report r3 = mk("w3", "x", "قصف", "قصف على الباغوز ليلا.");
    mr_report r4 = mk("w4", "y", "هدنة", "هدنة قصيرة في الباغوز.");
    /* a commits, then b (opened before) writes a batch, then a again */
    assert_int_equal(put(a, &r1), MR_PUT_ADDED);
    assert_int_equal(mr_store_begin(b, &err), MARSAD_OK);
    assert_int_equal(put(b, &r2), MR_PUT_ADDED);
    assert_int_equal(put(b, &r3), MR_PUT_ADDED);
    assert_int_equal(mr_store_commit(b, &err), MARSAD_OK);
    assert_int_equal(put(a, &r4), MR_PUT_ADDED);
    assert_true(fts_ok(a));
    assert_true(fts_ok(b));
    assert_int_equal(search(a, "باغوز", &hs, NULL), MARSAD_OK);
    assert_int_equal(hs.n, 4);
    mr_check_result res;
    assert_int_equal(mr_store_check(b, NULL, NULL, NULL, &res, &err),
                     MARSAD_OK);
    assert_true(mr_check_clean(&res));
    assert_int_equal(res.reports, 4);
    mr_store_close(a);
    mr_store_close(b);
    unlink(path);
}

static void test_schema(void **state)
{
    (void)state;
    char path[4096];
    mr_store *st = open_new(path, sizeof path, "schema");
    sqlite3 *db = mr_store_db(st);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, 0),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), MR_STORE_SCHEMA);
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, 0),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    /* a new store's pages are 32 KB (docs/store.md) */
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &s, 0),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 32768);
    sqlite3_finalize(s);
    char *tok = NULL;
    assert_int_equal(mr_store_meta_get(st, "fts_tokenizer", &tok, NULL),
                     MARSAD_OK);
    assert_non_null(tok);
    assert_string_equal(tok, "marsad");
    free(tok);
    mr_store_close(st);

    /* reopening migrates nothing and keeps the data */
    assert_int_equal(mr_store_open(path, NULL, &st, NULL), MARSAD_OK);
    mr_store_close(st);

    /* a store from a newer marsad is refused, untouched */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", 0, 0, 0),
                     SQLITE_OK);
    sqlite3_close(db);
    marsad_error err;
    assert_int_equal(mr_store_open(path, NULL, &st, &err), MARSAD_E_DB);
    assert_null(st);
    assert_non_null(strstr(err.message, "newer"));

    /* must_exist: a missing file is not created */
    char missing[4096];
    tmp_path(missing, sizeof missing, "missing");
    mr_store_opts o = {0};
    o.must_exist = 1;
    assert_int_equal(mr_store_open(missing, &o, &st, NULL), MARSAD_E_NOTFOUND);
    assert_int_equal(access(missing, F_OK), -1);
}

static void test_bad_files(void **state)
{
    (void)state;
    char path[4096];
    /* a text file is not a store: refused, bytes unchanged */
    tmp_path(path, sizeof path, "notdb");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    const char junk[] = "this is not a database, and it must stay as it is\n";
    for (int i = 0; i < 200; i++)
        fputs(junk, f);
    fclose(f);
    mr_store *st = NULL;
    marsad_error err;
    assert_int_equal(mr_store_open(path, NULL, &st, &err), MARSAD_E_DB);
    size_t len = 0;
    char *back = tu_read_file(path, &len);
    assert_non_null(back);
    assert_int_equal(len, 200 * strlen(junk));
    assert_memory_equal(back, junk, strlen(junk));
    free(back);

    /* another application's SQLite file: refused, its table intact */
    tmp_path(path, sizeof path, "otherdb");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE notes(x); "
                                  "INSERT INTO notes VALUES ('keep me');",
                                  0, 0, 0),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(mr_store_open(path, NULL, &st, &err), MARSAD_E_DB);
    assert_non_null(strstr(err.message, "not a marsad store"));
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT x FROM notes", -1, &s, 0),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "keep me");
    sqlite3_finalize(s);
    sqlite3_close(db);

    /* a bad tokenizer spec for a new store is refused */
    tmp_path(path, sizeof path, "badtok");
    mr_store_opts o = {0};
    o.tokenizer = "marsad'); DROP TABLE x; --";
    assert_int_equal(mr_store_open(path, &o, &st, &err), MARSAD_E_ARG);
}

static void test_reports_and_duplicates(void **state)
{
    (void)state;
    char path[4096];
    mr_store *st = open_new(path, sizeof path, "reports");
    mr_report a = mk("a1", "مصراوي", "عنوان أول", "قتل أزيد من 630 مدنيا.");
    a.source_id = (char *)"SRC-1";
    a.file = (char *)"x.jsonl";
    a.line = 7;
    mr_report b = mk("b2", "BBC", "عنوان ثان", "نص آخر تماما");
    assert_int_equal(put(st, &a), MR_PUT_ADDED);
    assert_int_equal(put(st, &b), MR_PUT_ADDED);
    /* the same id again (re-ingest in this session) is not added twice */
    assert_int_not_equal(put(st, &a), MR_PUT_ADDED);
    /* the same text, with other diacritics and spacing, under a new id */
    mr_report c = mk("c3", "CNN", "t", "قَتل   أزيد من 630 مدنياً.");
    assert_int_equal(put(st, &c), MR_PUT_DUPLICATE);
    uint64_t n = 0;
    assert_int_equal(mr_store_count(st, &n), MARSAD_OK);
    assert_int_equal(n, 2);
    mr_store_close(st);

    /* after reopening, the same ids are "present": a no-op */
    assert_int_equal(mr_store_open(path, NULL, &st, NULL), MARSAD_OK);
    assert_int_equal(put(st, &a), MR_PUT_PRESENT);
    assert_int_equal(put(st, &b), MR_PUT_PRESENT);
    assert_int_equal(mr_store_count(st, &n), MARSAD_OK);
    assert_int_equal(n, 2);

    /* read back, byte-exact, by id and by source id */
    mr_report r;
    char added[32];
    assert_int_equal(mr_store_get_report(st, "a1", &r, added, NULL),
                     MARSAD_OK);
    assert_string_equal(r.text, a.text);
    assert_int_equal(r.text_len, a.text_len);
    assert_string_equal(r.outlet, "مصراوي");
    assert_string_equal(r.source_id, "SRC-1");
    assert_string_equal(r.published, "2019-03-23");
    assert_int_equal(r.published_origin, MR_PUB_METADATA);
    assert_int_equal(r.line, 7);
    assert_string_equal(r.lang, "ar");
    assert_int_equal(strlen(added), 20); /* 2026-11-23T13:00:00Z */
    mr_report_clear(&r);
    assert_int_equal(mr_store_get_report(st, "SRC-1", &r, NULL, NULL),
                     MARSAD_OK);
    assert_string_equal(r.id, "a1");
    mr_report_clear(&r);
    assert_int_equal(mr_store_get_report(st, "zz", &r, NULL, NULL),
                     MARSAD_E_NOTFOUND);

    /* a rolled-back batch leaves nothing */
    mr_report d = mk("d4", "X", "t", "نص جديد لم يخزن");
    assert_int_equal(mr_store_begin(st, NULL), MARSAD_OK);
    assert_int_equal(put(st, &d), MR_PUT_ADDED);
    mr_store_rollback(st);
    assert_int_equal(mr_store_count(st, &n), MARSAD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(mr_store_get_report(st, "d4", &r, NULL, NULL),
                     MARSAD_E_NOTFOUND);
    /* a committed one keeps everything */
    assert_int_equal(mr_store_begin(st, NULL), MARSAD_OK);
    assert_int_equal(put(st, &d), MR_PUT_ADDED);
    assert_int_equal(mr_store_commit(st, NULL), MARSAD_OK);
    assert_int_equal(mr_store_count(st, &n), MARSAD_OK);
    assert_int_equal(n, 3);

    /* a report without id or text is an argument error */
    mr_report bad = mk("e5", "X", "t", "x");
    bad.text = NULL;
    assert_int_equal(mr_store_put_report(st, &bad, NULL, NULL), MARSAD_E_ARG);
    assert_int_equal(mr_store_put_report(NULL, &a, NULL, NULL), MARSAD_E_ARG);
    mr_store_close(st);
    mr_store_close(NULL);
}

/* Gathers copies as "report_id copy_id source_id outlet;" */
static int on_copy(const mr_store_copy *c, void *p)
{
    char *out = p;
    size_t n = strlen(out);
    snprintf(out + n, 1024 - n, "%s %s %s %s;", c->report_id,
             c->id, c->source_id ? c->source_id : "-",
             c->outlet ? c->outlet : "-");
    return 0;
}

/* The same text under another id, or under the same id (outlet and url)
 * with another source id, is a copy: not stored twice, but named, found by
 * its id and source id, and given by mr_store_copies_each; a record met
 * again adds nothing. */
static void test_report_copies(void **state)
{
    (void)state;
    char path[4096];
    mr_store *st = open_new(path, sizeof path, "copies");
    mr_report a = mk("a1", "france24", "عنوان", "قتل تسعة فلسطينيين الجمعة.");
    a.source_id = (char *)"FR-middleEast-1";
    assert_int_equal(put(st, &a), MR_PUT_ADDED);
    /* the same article under another section: the same marsad id */
    mr_report a2 = a;
    a2.source_id = (char *)"FR-internationalNews-2";
    assert_int_equal(put(st, &a2), MR_PUT_DUPLICATE);
    /* a wire text printed whole by another outlet: another id */
    mr_report b = mk("b2", "BBC", "t", "قَتل تسعة فلسطينيين الجمعة.");
    b.source_id = (char *)"BB-3";
    assert_int_equal(put(st, &b), MR_PUT_DUPLICATE);
    /* met again: nothing new */
    assert_int_equal(put(st, &a2), MR_PUT_DUPLICATE);
    assert_int_equal(put(st, &b), MR_PUT_DUPLICATE);
    assert_int_not_equal(put(st, &a), MR_PUT_ADDED);
    uint64_t n = 0;
    assert_int_equal(mr_store_count(st, &n), MARSAD_OK);
    assert_int_equal(n, 1);
    char got[1024] = "";
    assert_int_equal(mr_store_copies_each(st, on_copy, got, NULL), MARSAD_OK);
    /* the section copy is named by a hash of the id and its source id */
    char *semi = strchr(got, ';');
    assert_non_null(semi);
    assert_int_equal(strncmp(got, "a1 ", 3), 0);
    assert_non_null(strstr(got, " FR-internationalNews-2 france24;"));
    assert_non_null(strstr(got, "a1 b2 BB-3 BBC;"));
    assert_int_equal(strchr(semi + 1, ';') - semi - 1,
                     (long)strlen("a1 b2 BB-3 BBC"));
    char copy_id[17] = "";
    memcpy(copy_id, got + 3, 16);
    /* read back by either name: its own names, the stored text */
    mr_report r;
    assert_int_equal(mr_store_get_report(st, "FR-internationalNews-2", &r,
                                         NULL, NULL),
                     MARSAD_OK);
    assert_string_equal(r.id, copy_id);
    assert_string_equal(r.source_id, "FR-internationalNews-2");
    assert_string_equal(r.text, a.text);
    mr_report_clear(&r);
    assert_int_equal(mr_store_get_report(st, "b2", &r, NULL, NULL),
                     MARSAD_OK);
    assert_string_equal(r.outlet, "BBC");
    assert_string_equal(r.text, a.text);
    mr_report_clear(&r);
    /* the report keeps its own names */
    assert_int_equal(mr_store_get_report(st, "FR-middleEast-1", &r, NULL,
                                         NULL),
                     MARSAD_OK);
    assert_string_equal(r.id, "a1");
    mr_report_clear(&r);
    mr_store_close(st);
}

/* The spelling-variant reports shared by the search tests. */
static mr_store *search_store(char *path, size_t cap)
{
    mr_store *st = open_new(path, cap, "search");
    mr_report v[] = {
        mk("r1", "مصراوي", "معارك", "اشتدت المعارك بالباغوز شرق سوريا."),
        mk("r2", "BBC", "نزوح", "غادر المدنيون الْبَاغُوزَ على دفعات."),
        mk("r3", "CNN", "سيطرة", "أعلنت القوات سيطرتها على باغوز فوقاني."),
        mk("r4", "BBC", "حصيلة", "قتل 1200 شخص في القصف على المستشفى."),
        mk("r5", "skynews", "المسرح", "عرض مسرحي جديد في القاهرة."),
        mk("r6", "BBC", "إغاثة", "وصلت قافلة إِغَاثَةٍ إلى المستشفيات."),
    };
    v[4].published = (char *)"2018-05-02";
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        assert_int_equal(put(st, &v[i]), MR_PUT_ADDED);
    return st;
}

static void test_search_variants(void **state)
{
    (void)state;
    char path[4096];
    mr_store *st = search_store(path, sizeof path);
    hits h;
    char s1[512], s2[512], s3[512];
    /* article, clitic + article, bare: the same reports */
    assert_int_equal(search(st, "بالباغوز", &h, NULL), MARSAD_OK);
    ids_str(&h, s1, sizeof s1);
    assert_int_equal(search(st, "الباغوز", &h, NULL), MARSAD_OK);
    ids_str(&h, s2, sizeof s2);
    assert_int_equal(search(st, "باغوز", &h, NULL), MARSAD_OK);
    ids_str(&h, s3, sizeof s3);
    assert_string_equal(s1, "r1 r2 r3 ");
    assert_string_equal(s1, s2);
    assert_string_equal(s1, s3);

    /* diacritics in the query find text without them, and the reverse */
    assert_int_equal(search(st, "سَيْطَرَتَهَا", &h, NULL), MARSAD_OK);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "r3");
    assert_int_equal(search(st, "اغاثة", &h, NULL), MARSAD_OK);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "r6");

    /* Arabic-Indic digits match ASCII digits, separators ignored */
    assert_int_equal(search(st, "١٢٠٠", &h, NULL), MARSAD_OK);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "r4");
    assert_int_equal(search(st, "1,200", &h, NULL), MARSAD_OK);
    assert_int_equal(h.n, 1);

    /* the snippet shows the original text, diacritics and all, marked */
    assert_int_equal(search(st, "باغوز -بالباغوز -سيطرة", &h, NULL),
                     MARSAD_OK);
    assert_int_equal(h.n, 0); /* every باغوز report excluded */
    assert_int_equal(search(st, "المدنيين", &h, NULL), MARSAD_OK);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.ids[0], "r2");
    mr_search_opts o = {0};
    o.hl_open = "<<";
    o.hl_close = ">>";
    assert_int_equal(search(st, "باغوز", &h, &o), MARSAD_OK);
    hits h2;
    assert_int_equal(search(st, "غادر الباغوز", &h2, &o), MARSAD_OK);
    assert_int_equal(h2.n, 1);
    assert_non_null(strstr(h2.snippet, "<<الْبَاغُوزَ>>"));
    assert_non_null(strstr(h2.snippet, "<<غادر>>"));
    mr_store_close(st);
}

/* FTS5's own ranking (bm25 with the weights the store sets), for the
 * same expression: ids best first, ties by row, and the scores. */
static size_t fts5_ranked(mr_store *st, const char *q, char ids[][32],
                          double *scores, size_t cap, size_t *total)
{
    mr_buf expr = MR_BUF_INIT;
    marsad_error err;
    assert_int_equal(mr_query_to_fts(q, strlen(q), &expr, &err), MARSAD_OK);
    sqlite3_stmt *s;
    assert_int_equal(
        sqlite3_prepare_v2(mr_store_db(st),
                           "SELECT r.id, -reports_fts.rank FROM reports_fts"
                           " JOIN reports r ON r.n = reports_fts.rowid"
                           " WHERE reports_fts MATCH ?1"
                           " ORDER BY reports_fts.rank, r.n",
                           -1, &s, NULL),
        SQLITE_OK);
    sqlite3_bind_text(s, 1, expr.p, (int)expr.len, SQLITE_STATIC);
    size_t n = 0;
    *total = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (n < cap) {
            snprintf(ids[n], 32, "%s", (const char *)sqlite3_column_text(s, 0));
            scores[n++] = sqlite3_column_double(s, 1);
        }
        (*total)++;
    }
    sqlite3_finalize(s);
    mr_buf_free(&expr);
    return n;
}

typedef struct ranked {
    char ids[64][32];
    double scores[64];
    size_t n;
} ranked;

static int on_ranked(const mr_hit *h, void *p)
{
    ranked *r = p;
    if (r->n < 64) {
        snprintf(r->ids[r->n], 32, "%s", h->id);
        r->scores[r->n++] = h->score;
    }
    return 0;
}

/* The top k of mr_store_search (its own BM25 in one pass, search.c) is
 * FTS5's bm25 order, scores and all, for every kind of query, with paging,
 * and after new reports change the document lengths and statistics. */
static void check_same_ranking(mr_store *st, const char *q)
{
    char ids[64][32];
    double sc[64];
    size_t total = 0;
    size_t n = fts5_ranked(st, q, ids, sc, 64, &total);
    const size_t pages[][2] = {{5, 0}, {3, 2}, {64, 0}};
    for (size_t p = 0; p < 3; p++) {
        ranked r;
        memset(&r, 0, sizeof r);
        size_t got_total = 0;
        mr_search_opts o = {0};
        o.limit = pages[p][0];
        o.offset = pages[p][1];
        o.total = &got_total;
        marsad_error err;
        assert_int_equal(mr_store_search(st, q, &o, on_ranked, &r, &err),
                         MARSAD_OK);
        assert_int_equal(got_total, total);
        size_t want = n > o.offset ? n - o.offset : 0;
        if (want > o.limit)
            want = o.limit;
        assert_int_equal(r.n, want);
        for (size_t i = 0; i < r.n; i++) {
            if (strcmp(r.ids[i], ids[o.offset + i]) != 0)
                fprintf(stderr, "query %s: hit %zu is %s, FTS5 says %s\n", q,
                        i, r.ids[i], ids[o.offset + i]);
            assert_string_equal(r.ids[i], ids[o.offset + i]);
            assert_true(fabs(r.scores[i] - sc[o.offset + i]) < 1e-9);
        }
    }
}

static void test_search_rank_as_fts5(void **state)
{
    (void)state;
    char path[512];
    mr_store *st = open_new(path, sizeof path, "rank");
    static const char *words[] = {"الغوطة", "الشرقية", "دمشق", "قصف",
                                  "المدنيين", "قافلة", "مساعدات", "حلب",
                                  "هدنة", "مجلس", "الأمن", "سوريا"};
    const size_t nw = sizeof words / sizeof words[0];
    char ids[40][16], titles[40][256], texts[40][2048];
    for (size_t i = 0; i < 40; i++) {
        snprintf(ids[i], sizeof ids[i], "k%02zu", i);
        snprintf(titles[i], sizeof titles[i], "%s %s", words[i % nw],
                 words[(i * 5 + 1) % nw]);
        texts[i][0] = 0;
        /* lengths from 3 to 120 words, varied mixes */
        size_t len = 3 + (i * 37) % 118;
        for (size_t w = 0; w < len; w++) {
            strcat(texts[i], words[(i * 3 + w * w + w) % nw]);
            strcat(texts[i], w % 9 == 8 ? ". " : " ");
        }
        mr_report r = mk(ids[i], i % 2 ? "BBC" : "CNN", titles[i], texts[i]);
        assert_int_equal(put(st, &r), MR_PUT_ADDED);
    }
    static const char *queries[] = {
        "سوريا", "الغوطة الشرقية", "\"الغوطة الشرقية\"", "حلب OR هدنة",
        "قصف -قافلة", "title:دمشق", "text:مجلس الأمن", "مساعد*",
        "المدنيين قافلة مساعدات", "سوريا سوريا", "مساعد* OR حلب -هدنة",
        "قصف حلب OR هدنة -قافلة -دمشق", "الأمن OR مجلس OR سوريا",
        "حلب -سوريا", "غائبة", "حلب غائبة", "غائبة OR قصف",
        "\"مجلس الأمن\"", "\"سوريا سوريا\"", "\"قصف حلب\" OR هدنة",
        "سوريا -\"الغوطة الشرقية\"", "\"الأمن مجلس\" \"حلب هدنة\"",
        "\"مساعدات غائبة\"", "\"حلب هدنة قصف\""};
    const size_t nq = sizeof queries / sizeof queries[0];
    assert_false(mr_store_postings_fresh(st));
    for (size_t i = 0; i < nq; i++)
        check_same_ranking(st, queries[i]);
    /* the postings file answers the same (postings.c) */
    marsad_error err;
    assert_int_equal(mr_store_postings_build(st, &err), MARSAD_OK);
    assert_true(mr_store_postings_fresh(st));
    for (size_t i = 0; i < nq; i++)
        check_same_ranking(st, queries[i]);
    /* every two neighbouring words a pair (postings.c: only words of
     * thousands of reports pair, MARSAD_PAIR_DF lowers it): a phrase of
     * two words is read from its pair's postings, alone, in OR, in AND,
     * excluded; the same hits and scores */
    char pp[600];
    struct stat before, after;
    snprintf(pp, sizeof pp, "%s-postings", path);
    assert_int_equal(stat(pp, &before), 0);
    setenv("MARSAD_PAIR_DF", "1", 1);
    assert_int_equal(mr_store_postings_build(st, &err), MARSAD_OK);
    unsetenv("MARSAD_PAIR_DF");
    assert_int_equal(stat(pp, &after), 0);
    assert_true(after.st_size > before.st_size); /* the pairs are there */
    /* (an open store keeps the file it mapped while the index is the
     * same: the one built with the same words is the same file) */
    mr_store_close(st);
    assert_int_equal(mr_store_open(path, NULL, &st, &err), MARSAD_OK);
    assert_true(mr_store_postings_fresh(st));
    for (size_t i = 0; i < nq; i++)
        check_same_ranking(st, queries[i]);
    /* new reports: other lengths, other document frequencies; the file
     * is stale, search reads FTS5 until it is built again */
    mr_report more = mk("k40", "BBC", "سوريا سوريا", "سوريا حلب هدنة سوريا");
    assert_int_equal(put(st, &more), MR_PUT_ADDED);
    assert_false(mr_store_postings_fresh(st));
    for (size_t i = 0; i < nq; i++)
        check_same_ranking(st, queries[i]);
    assert_int_equal(mr_store_postings_build(st, &err), MARSAD_OK);
    assert_true(mr_store_postings_fresh(st));
    for (size_t i = 0; i < nq; i++)
        check_same_ranking(st, queries[i]);
    /* another connection deletes a report: stale again */
    mr_store *other = NULL;
    assert_int_equal(mr_store_open(path, NULL, &other, &err), MARSAD_OK);
    assert_true(mr_store_postings_fresh(other));
    sqlite3_exec(mr_store_db(other), "DELETE FROM reports WHERE id = 'k07'",
                 NULL, NULL, NULL);
    mr_store_close(other);
    assert_false(mr_store_postings_fresh(st));
    for (size_t i = 0; i < nq; i++)
        check_same_ranking(st, queries[i]);
    mr_store_close(st);
}

static int count_hits(const mr_hit *h, void *p)
{
    (void)h;
    (*(size_t *)p)++;
    return 0;
}

/* A postings file cut short is not used; one whose bytes are damaged
 * (same size, header intact) never crashes search nor makes it fail. */
static void test_postings_damaged(void **state)
{
    (void)state;
    char path[512], pp[600];
    mr_store *st = open_new(path, sizeof path, "damaged");
    static const char *words[] = {"حلب", "دمشق", "قصف", "هدنة", "مساعدات",
                                  "الأمن", "مجلس", "سوريا"};
    for (size_t i = 0; i < 30; i++) {
        char id[16], title[128], text[1024] = "";
        snprintf(id, sizeof id, "d%02zu", i);
        snprintf(title, sizeof title, "%s %s", words[i % 8], words[(i + 3) % 8]);
        for (size_t w = 0; w < 20 + i; w++) {
            strcat(text, words[(i * 7 + w * 3 + w * w) % 8]);
            strcat(text, " ");
        }
        mr_report r = mk(id, "BBC", title, text);
        assert_int_equal(put(st, &r), MR_PUT_ADDED);
    }
    static const char *queries[] = {"سوريا", "حلب OR هدنة -قصف", "مساعد*",
                                    "\"مجلس الأمن\"", "دمشق قصف"};
    const size_t nq = sizeof queries / sizeof queries[0];
    marsad_error err;
    snprintf(pp, sizeof pp, "%s-postings", path);
    /* cut short: not fresh, FTS5 answers */
    assert_int_equal(mr_store_postings_build(st, &err), MARSAD_OK);
    struct stat sb;
    assert_int_equal(stat(pp, &sb), 0);
    assert_int_equal(truncate(pp, sb.st_size / 2), 0);
    mr_store_close(st);
    assert_int_equal(mr_store_open(path, NULL, &st, &err), MARSAD_OK);
    assert_false(mr_store_postings_fresh(st));
    for (size_t i = 0; i < nq; i++)
        check_same_ranking(st, queries[i]);
    /* damaged bytes after the header, or in the postings and positions
     * (the second half of the file) */
    for (int fill = 0; fill < 4; fill++) {
        mr_store_close(st);
        assert_int_equal(mr_store_open(path, NULL, &st, &err), MARSAD_OK);
        assert_int_equal(mr_store_postings_build(st, &err), MARSAD_OK);
        mr_store_close(st);
        assert_int_equal(stat(pp, &sb), 0);
        FILE *f = fopen(pp, "r+b");
        assert_non_null(f);
        long from = fill < 2 ? 128 : (long)sb.st_size / 2;
        fseek(f, from, SEEK_SET);
        for (long k = from; k < (long)sb.st_size; k++)
            fputc(fill % 2 ? 0xFF : (int)(k * 131 % 251), f);
        fclose(f);
        assert_int_equal(mr_store_open(path, NULL, &st, &err), MARSAD_OK);
        for (size_t i = 0; i < nq; i++) {
            size_t n = 0;
            mr_search_opts o = {0};
            o.limit = 10;
            assert_int_equal(mr_store_search(st, queries[i], &o, count_hits,
                                             &n, &err),
                             MARSAD_OK);
        }
    }
    mr_store_close(st);
}

/* The snippet is a bounded window around the first match, marked, with
 * "…" where the text goes on. */
/* Counts the hits whose snippet marks no match. */
static int on_unmarked(const mr_hit *h, void *p)
{
    if (!strstr(h->snippet, "["))
        (*(size_t *)p)++;
    return 0;
}

/* Terms in more than 64 reports: their postings come in blocks (a skip
 * entry each, with the block's best score, so a one-term query skips the
 * blocks that cannot enter its top k; a returned row's snippet found
 * through the skip table and the checkpoints). The top k and the scores
 * are still FTS5's at every page size, and every snippet marks a match. */
static void test_postings_blocks(void **state)
{
    (void)state;
    char path[512];
    mr_store *st = open_new(path, sizeof path, "blocks");
    /* filler words, and each query word once or twice at its own place,
     * far apart in long texts: a window found at the wrong place would
     * mark nothing */
    static const char *filler[] = {"كلمة", "عادية", "جملة", "أخرى"};
    static char text[4096];
    for (size_t i = 0; i < 300; i++) {
        char id[16];
        snprintf(id, sizeof id, "b%03zu", i);
        text[0] = 0;
        size_t len = 5 + (i * 53) % 190; /* 5 to 194 words */
        size_t at[3] = {(i * 31) % len, (i * 17 + 3) % len,
                        i % 3 ? len : (i * 11 + 7) % len};
        const char *put_at[3] = {"قافلة", "سوريا", "مساعدات"};
        for (size_t w = 0; w < len; w++) {
            const char *word = filler[(i + w * w) % 4];
            for (int k = 0; k < 3; k++)
                if (at[k] == w)
                    word = put_at[k];
            strcat(text, word);
            strcat(text, " ");
        }
        mr_report r = mk(id, "BBC", i % 7 ? "خبر اليوم" : "قافلة إلى حلب",
                         text);
        assert_int_equal(put(st, &r), MR_PUT_ADDED);
    }
    marsad_error err;
    /* words of 64 reports or more pair: phrases of them are read from
     * their pairs' postings, in blocks */
    setenv("MARSAD_PAIR_DF", "64", 1);
    assert_int_equal(mr_store_postings_build(st, &err), MARSAD_OK);
    unsetenv("MARSAD_PAIR_DF");
    assert_true(mr_store_postings_fresh(st));
    static const char *queries[] = {
        "قافلة",          "سوريا",         "قافلة سوريا",
        "قاف*",           "مساعدات",       "سوريا OR مساعدات",
        "قافلة -مساعدات", "عادية",         "\"كلمة عادية\"",
        "\"جملة أخرى\"",  "\"أخرى كلمة\" سوريا", "\"عادية عادية\""};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        check_same_ranking(st, queries[i]);
        size_t unmarked = 0;
        mr_search_opts o = {0};
        o.limit = 64;
        assert_int_equal(
            mr_store_search(st, queries[i], &o, on_unmarked, &unmarked, &err),
            MARSAD_OK);
        if (strstr(queries[i], " -") == NULL)
            assert_int_equal(unmarked, 0);
    }
    mr_store_close(st);
}

static void test_search_snippet_window(void **state)
{
    (void)state;
    char path[512];
    mr_store *st = open_new(path, sizeof path, "snippet");
    char text[8192] = "";
    for (int i = 0; i < 150; i++)
        strcat(text, "كلمة عادية ");
    strcat(text, "ثم وصلت القافلة إلى البلدة ");
    for (int i = 0; i < 150; i++)
        strcat(text, "كلمة عادية ");
    mr_report r = mk("long", "BBC", "عنوان", text);
    assert_int_equal(put(st, &r), MR_PUT_ADDED);
    hits h;
    assert_int_equal(search(st, "القافلة", &h, NULL), MARSAD_OK);
    assert_int_equal(h.n, 1);
    assert_non_null(strstr(h.snippet, "[القافلة]"));
    assert_true(strncmp(h.snippet, "…", strlen("…")) == 0);
    assert_non_null(strstr(h.snippet + strlen(h.snippet) - strlen("…"), "…"));
    assert_true(strlen(h.snippet) < 600); /* 24 tokens, not the text */
    char fts5_snip[2048];
    snprintf(fts5_snip, sizeof fts5_snip, "%s", h.snippet);
    /* a match in the title only: the title is the snippet */
    assert_int_equal(search(st, "عنوان", &h, NULL), MARSAD_OK);
    assert_string_equal(h.snippet, "[عنوان]");
    /* the same from the postings file (a window found by byte) */
    marsad_error err;
    assert_int_equal(mr_store_postings_build(st, &err), MARSAD_OK);
    assert_true(mr_store_postings_fresh(st));
    assert_int_equal(search(st, "القافلة", &h, NULL), MARSAD_OK);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.snippet, fts5_snip);
    assert_int_equal(search(st, "عنوان", &h, NULL), MARSAD_OK);
    assert_string_equal(h.snippet, "[عنوان]");
    mr_store_close(st);
}

static void test_search_syntax(void **state)
{
    (void)state;
    char path[4096];
    mr_store *st = search_store(path, sizeof path);
    hits h;
    char s[512];
    /* OR */
    assert_int_equal(search(st, "القاهرة OR المستشفى", &h, NULL), MARSAD_OK);
    ids_str(&h, s, sizeof s);
    assert_string_equal(s, "r4 r5 r6 "); /* المستشفيات: the same stem */
    /* exclusion */
    assert_int_equal(search(st, "باغوز -المدنيون", &h, NULL), MARSAD_OK);
    ids_str(&h, s, sizeof s);
    assert_string_equal(s, "r1 r3 ");
    /* phrase: in order only */
    assert_int_equal(search(st, "\"باغوز فوقاني\"", &h, NULL), MARSAD_OK);
    ids_str(&h, s, sizeof s);
    assert_string_equal(s, "r3 ");
    assert_int_equal(search(st, "\"فوقاني باغوز\"", &h, NULL), MARSAD_OK);
    assert_int_equal(h.n, 0);
    /* prefix, not stemmed: مستشف* finds المستشفى and المستشفيات; the
     * article and clitics of a prefix are dropped like the stemmer's */
    assert_int_equal(search(st, "مستشف*", &h, NULL), MARSAD_OK);
    ids_str(&h, s, sizeof s);
    assert_string_equal(s, "r4 r6 ");
    assert_int_equal(search(st, "والمستشف*", &h, NULL), MARSAD_OK);
    ids_str(&h, s, sizeof s);
    assert_string_equal(s, "r4 r6 ");
    assert_int_equal(search(st, "مسرح*", &h, NULL), MARSAD_OK);
    ids_str(&h, s, sizeof s);
    assert_string_equal(s, "r5 ");
    /* filters */
    mr_search_opts o = {0};
    o.outlet = "bbc";
    assert_int_equal(search(st, "المستشفى OR باغوز", &h, &o), MARSAD_OK);
    ids_str(&h, s, sizeof s);
    assert_string_equal(s, "r2 r4 r6 ");
    memset(&o, 0, sizeof o);
    o.since = "2018";
    o.until = "2018-05";
    assert_int_equal(search(st, "مسرحي OR باغوز", &h, &o), MARSAD_OK);
    ids_str(&h, s, sizeof s);
    assert_string_equal(s, "r5 ");
    o.since = "2018-05-03";
    assert_int_equal(search(st, "مسرحي", &h, &o), MARSAD_OK);
    assert_int_equal(h.n, 0);
    o.since = "May 2018";
    assert_int_equal(search(st, "مسرحي", &h, &o), MARSAD_E_ARG);
    memset(&o, 0, sizeof o);
    o.limit = 2;
    assert_int_equal(search(st, "باغوز", &h, &o), MARSAD_OK);
    assert_int_equal(h.n, 2);

    /* user text never breaks out of its quotes */
    const char *nasty[] = {"a\" OR \"b", "NEAR(باغوز المعارك)", "title:باغوز",
                           "باغوز\" NOT \"", "\"", "باغوز ^", "(((",
                           "باغوز \"\"", "- -- ---", "* باغوز"};
    for (size_t i = 0; i < sizeof nasty / sizeof nasty[0]; i++) {
        marsad_status rc = search(st, nasty[i], &h, NULL);
        assert_true(rc == MARSAD_OK || rc == MARSAD_E_INPUT);
    }
    /* nothing to look for */
    assert_int_equal(search(st, "", &h, NULL), MARSAD_E_INPUT);
    assert_int_equal(search(st, "،؛ .", &h, NULL), MARSAD_E_INPUT);
    assert_int_equal(search(st, "-باغوز", &h, NULL), MARSAD_E_INPUT);
    assert_int_equal(search(st, "OR", &h, NULL), MARSAD_E_INPUT);
    mr_store_close(st);
}

static void test_query_parser(void **state)
{
    (void)state;
    mr_buf b = MR_BUF_INIT;
    struct {
        const char *in, *out;
    } cases[] = {
        {"باغوز", "(\"باغوز\")"},
        {"a b", "(\"a\") AND (\"b\")"},
        {"a OR b c", "(\"a\" OR \"b\") AND (\"c\")"},
        {"\"a b\" -c -\"d e\"", "(\"a b\") NOT (\"c\" OR \"d e\")"},
        {"مستش*", "(\"مستش\" *)"},
        {"a\"b", "(\"a\") AND (\"b\")"},
        {"a , OR b", "(\"a\" OR \"b\")"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(mr_query_to_fts(cases[i].in, strlen(cases[i].in), &b,
                                         NULL),
                         MARSAD_OK);
        assert_string_equal(b.p, cases[i].out);
    }
    /* limits */
    char big[MR_QUERY_MAX_BYTES + 2];
    memset(big, 'a', sizeof big);
    marsad_error err;
    assert_int_equal(mr_query_to_fts(big, sizeof big, &b, &err),
                     MARSAD_E_LIMIT);
    char many[400] = "";
    for (int i = 0; i < 70; i++)
        strcat(many, "ab ");
    assert_int_equal(mr_query_to_fts(many, strlen(many), &b, &err),
                     MARSAD_E_LIMIT);
    /* invalid UTF-8 and NUL bytes do not reach FTS5 raw */
    assert_int_equal(mr_query_to_fts("a\xff\xfe b\0c", 8, &b, &err),
                     MARSAD_OK);
    assert_int_equal(memchr(b.p, 0, b.len), NULL);
    assert_int_equal(mr_query_to_fts(NULL, 0, &b, &err), MARSAD_E_ARG);
    mr_buf_free(&b);
}

static void test_tokenizer(void **state)
{
    (void)state;
    char path[4096];
    mr_store *st = search_store(path, sizeof path);
    sqlite3 *db = mr_store_db(st);
    /* the index holds stems, not surface forms */
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE VIRTUAL TABLE temp.v USING "
                                  "fts5vocab(main, 'reports_fts', 'row')",
                                  0, 0, 0),
                     SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT doc FROM temp.v WHERE term = ?",
                                        -1, &s, 0),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, "باغوز", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 3);
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, "بالباغوز", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, "1200", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, ".", -1, SQLITE_STATIC); /* punctuation: none */
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);

    /* arguments: stem 0 accepted; anything else refused */
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE VIRTUAL TABLE temp.t0 USING "
                                  "fts5(x, tokenize='marsad stem 0')",
                                  0, 0, 0),
                     SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db,
                                      "CREATE VIRTUAL TABLE temp.t1 USING "
                                      "fts5(x, tokenize='marsad stemm 0')",
                                      0, 0, 0),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db,
                                      "CREATE VIRTUAL TABLE temp.t2 USING "
                                      "fts5(x, tokenize='marsad stem')",
                                      0, 0, 0),
                         SQLITE_OK);
    /* without stems, the normalised surface forms are the terms */
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO temp.t0 VALUES "
                                  "('بالْباغوز والمستشفيات')",
                                  0, 0, 0),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM temp.t0 WHERE "
                                        "t0 MATCH ?",
                                        -1, &s, 0),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, "بالباغوز", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 1);
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, "باغوز", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 0);
    sqlite3_finalize(s);

    /* highlight() over original bytes, a long token, empty text */
    char longtok[3000];
    memset(longtok, 0, sizeof longtok);
    for (size_t i = 0; i + 2 < sizeof longtok - 1; i += 2)
        memcpy(longtok + i, "\xd8\xa8", 2); /* ب repeated */
    mr_report lr = mk("long", "X", "", longtok);
    assert_int_equal(put(st, &lr), MR_PUT_ADDED);
    mr_report er = mk("empty", "X", "", "");
    assert_int_equal(put(st, &er), MR_PUT_ADDED);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO reports_fts(reports_fts, rank) "
                                  "VALUES('integrity-check', 1)",
                                  0, 0, 0),
                     SQLITE_OK);
    mr_store_close(st);
}

typedef struct fact_list {
    char buf[4096];
    size_t n;
} fact_list;

static int list_fact(const mr_fact_row *r, void *ctx)
{
    fact_list *l = ctx;
    l->n += (size_t)snprintf(l->buf + l->n, sizeof l->buf - l->n,
                             "%s %u %u [%s] %s\n", r->kind, r->start, r->end,
                             r->text ? r->text : "(null)",
                             r->json ? r->json : "(null)");
    return 0;
}

/* Counts the facts kept packed (tally[0]) and with their text (tally[1]). */
static int count_kept(const mr_fact_bin *f, void *ctx)
{
    int *tally = ctx;
    tally[0] += f->packed;
    tally[1] += f->text != NULL;
    return 0;
}

/* Schema 5 keeps a fact without the span and text it repeats (the text
 * when it is the report's bytes, the JSON's leading span and text), and
 * gives each back byte for byte: as written now, and as migrated from a
 * store of schema 4 (through schemas 5, 6 and 7: one blob per report). */
static void test_facts_packed(void **state)
{
    (void)state;
    /* the facts: (report, kind, start, end, text, json) */
    static const char *const rows[][6] = {
        /* the usual: span, text, other members */
        {"a", "entity", "0", "8", "\"قال\"",
         "{\"start\":0,\"end\":8,\"text\":\"\\\"قال\\\"\",\"kind\":"
         "\"place\"}"},
        /* nothing but the span and text */
        {"a", "date", "9", "14", "في\n", NULL},
        /* a text that is not the report's bytes there: kept */
        {"a", "figure", "0", "4", "آخر",
         "{\"start\":0,\"end\":4,\"text\":\"آخر\",\"value\":1}"},
        /* an object that does not begin with its span: kept whole */
        {"a", "figure", "9", "11", "ف", "{\"value\":2,\"start\":9}"},
        /* U+2028 and a tab in the text, escaped */
        {"b", "quote", "0", "6", "x\xe2\x80\xa8y\t",
         "{\"start\":0,\"end\":6,\"text\":\"x\\u2028y\\t\"}"},
        /* no text (read back as the report's bytes: none) */
        {"b", "source", "1", "1", NULL, "{\"start\":1,\"end\":1,\"x\":null}"},
    };
    size_t nrows = sizeof rows / sizeof rows[0];
    char want[4096] = "";
    for (int pass = 0; pass < 2; pass++) {
        char path[512];
        mr_store *st = open_new(path, sizeof path,
                                pass ? "facts4.db" : "facts5.db");
        mr_report a = mk("a", "X", "t", "\"قال\" في\nفرح");
        mr_report b = mk("b", "Y", "t", "x\xe2\x80\xa8y\tzz");
        put(st, &a);
        put(st, &b);
        /* the second row's JSON is the span and text alone */
        char only[64];
        snprintf(only, sizeof only,
                 "{\"start\":9,\"end\":14,\"text\":\"في\\n\"}");
        sqlite3 *db = mr_store_db(st);
        if (pass == 1) /* a store of schema 4 with these rows */
            assert_int_equal(sqlite3_exec(db,
                                          "DROP TABLE facts;" SCHEMA1_FACTS
                                          "ALTER TABLE stories DROP COLUMN "
                                          "packed;",
                                          NULL, NULL, NULL),
                             SQLITE_OK);
        for (size_t i = 0; i < nrows; i++) {
            const char *json = i == 1 ? only : rows[i][5];
            unsigned s0 = (unsigned)atoi(rows[i][2]),
                     e0 = (unsigned)atoi(rows[i][3]);
            if (pass == 0) {
                assert_int_equal(mr_store_fact_add(st, rows[i][0], rows[i][1],
                                                   s0, e0, rows[i][4], json,
                                                   NULL),
                                 MARSAD_OK);
                continue;
            }
            sqlite3_stmt *q;
            assert_int_equal(
                sqlite3_prepare_v2(db,
                                   "INSERT INTO facts VALUES (?1, ?2, ?3, "
                                   "?4, ?5, ?6)",
                                   -1, &q, NULL),
                SQLITE_OK);
            for (int c = 0; c < 6; c++)
                if (c == 2 || c == 3)
                    sqlite3_bind_int(q, c + 1, atoi(rows[i][c]));
                else if (c == 5 ? json != NULL : rows[i][c] != NULL)
                    sqlite3_bind_text(q, c + 1, c == 5 ? json : rows[i][c],
                                      -1, SQLITE_STATIC);
            assert_int_equal(sqlite3_step(q), SQLITE_DONE);
            sqlite3_finalize(q);
        }
        if (pass == 1) {
            assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 4",
                                          NULL, NULL, NULL),
                             SQLITE_OK);
            mr_store_close(st);
            assert_int_equal(mr_store_open(path, NULL, &st, NULL), MARSAD_OK);
            db = mr_store_db(st);
        }
        /* packed where it could be: all but the object that does not
         * begin with its span and the fact without a text; the text kept
         * only where it is not the report's */
        sqlite3_stmt *q;
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT facts FROM facts",
                                            -1, &q, NULL),
                         SQLITE_OK);
        int tally[2] = {0, 0};
        while (sqlite3_step(q) == SQLITE_ROW)
            assert_int_equal(mr_facts_walk(sqlite3_column_blob(q, 0),
                                           (size_t)sqlite3_column_bytes(q, 0),
                                           NULL, 0, 0, count_kept, tally),
                             0);
        sqlite3_finalize(q);
        assert_int_equal(tally[0], 4);
        assert_int_equal(tally[1], 1);
        fact_list got = {"", 0};
        assert_int_equal(mr_store_facts_saved(st, "a", list_fact, &got, NULL),
                         MARSAD_OK);
        assert_int_equal(mr_store_facts_saved(st, "b", list_fact, &got, NULL),
                         MARSAD_OK);
        if (pass == 0) {
            /* what went in, in order */
            size_t n = 0;
            for (size_t i = 0; i < nrows; i++)
                n += (size_t)snprintf(
                    want + n, sizeof want - n, "%s %s %s [%s] %s\n",
                    rows[i][1], rows[i][2], rows[i][3],
                    rows[i][4] ? rows[i][4] : "",
                    i == 1 ? only : rows[i][5]);
        }
        assert_string_equal(got.buf, want);
        /* as kept: the span is the row's, the object without it */
        fact_list kept = {"", 0};
        assert_int_equal(mr_store_facts_kept(st, "a", list_fact, &kept, NULL),
                         MARSAD_OK);
        assert_string_equal(kept.buf,
                            "entity 0 8 [(null)] {\"kind\":\"place\"}\n"
                            "date 9 14 [(null)] {}\n"
                            "figure 0 4 [آخر] {\"value\":1}\n"
                            "figure 9 11 [(null)] {\"value\":2,\"start\":9}\n");
        mr_store_close(st);
    }
}

static int copy_story(const mr_story_row *r, void *ctx)
{
    char **out = ctx;
    *out = strndup(r->json, r->json_len);
    return 0;
}

/* A new store holding report "a" (text ta) and "b". */
static mr_store *open_ab(char *path, size_t n, const char *name,
                         const char *ta)
{
    mr_store *st = open_new(path, n, name);
    mr_report a = mk("a", "X", "t", ta);
    mr_report b = mk("b", "Y", "t", "نص ثان");
    put(st, &a);
    put(st, &b);
    return st;
}

static int collect_bin(const mr_fact_bin *f, void *ctx)
{
    mr_buf *b = ctx;
    mr_buf_printf(b, "%s %u %u [%s] %d %s\n", f->kind, f->start, f->end,
                  f->text ? f->text : "-", f->packed,
                  f->json ? f->json : "-");
    return 0;
}

/* Schema 7: a report's facts as one blob give back every object byte for
 * byte, binary where marsad's writer would write it so, as given where
 * not (spaces, other escapes, a number's other spelling, not JSON). */
static void test_facts_blob(void **state)
{
    (void)state;
    static const char *const objs[] = {
        "{\"value\":{\"min\":3,\"max\":null},\"qualifier\":\"exact\","
        "\"counted\":\"قتيل\",\"part_of\":-1,\"when\":0}",
        "{\"value\":{\"min\":2.5,\"max\":1e5},\"qualifier\":\"exact\","
        "\"counted\":\"قتيل\",\"part_of\":-1000000000000000000,"
        "\"when\":123456789012345678901234}",
        "{\"a\":[],\"b\":{},\"c\":[1,[2,[3]],{\"d\":true,\"e\":false}],"
        "\"t\":\"x\\u2028y\\t\\\"q\\\"\\\\\\n\\u0001\"}",
        "{\"zero\":0,\"neg\":-0,\"big\":999999999999999999,"
        "\"bigger\":-999999999999999999}",
        "{\"a\": 1}",            /* a space */
        "{\"a\":\"\\u0041\"}",   /* an escape marsad does not write */
        "{\"a\":\"\\/\"}",
        "not json at all",
        "[1,2]",                 /* not an object */
        "{}",
        "{\"a\":1,}",
        "",
    };
    size_t n = sizeof objs / sizeof objs[0];
    mr_fact_in in[16];
    mr_buf want = MR_BUF_INIT, got = MR_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        in[i] = (mr_fact_in){i % 3 ? "figure" : "entity",
                             (uint32_t)(1000 - 70 * i), (uint32_t)(1003 + i),
                             i == 4 ? "نص" : NULL, objs[i], strlen(objs[i]),
                             (int)(i % 2)};
        mr_fact_bin f = {in[i].kind, in[i].start, in[i].end, in[i].text,
                         in[i].text ? strlen(in[i].text) : 0, in[i].json,
                         in[i].json_len, in[i].packed};
        collect_bin(&f, &want);
    }
    in[n] = (mr_fact_in){"date", 0, 0, NULL, NULL, 0, 0}; /* no object */
    mr_buf_adds(&want, "date 0 0 [-] 0 -\n");
    size_t len = 0;
    unsigned char *blob = mr_facts_encode(in, n + 1, &len);
    assert_non_null(blob);
    assert_int_equal(mr_facts_walk(blob, len, NULL, 0, 0, collect_bin, &got),
                     0);
    assert_string_equal(got.p, want.p);
    /* the names the objects repeat are kept once */
    size_t given = 0;
    for (size_t i = 0; i < n; i++)
        given += in[i].json_len;
    assert_true(len < given);
    mr_fact_dec d;
    assert_int_equal(mr_fact_dec_init(&d, blob, len), 0);
    assert_non_null(d.own); /* deflated: shorter so */
    size_t seen = 0;
    for (size_t i = 0; i < d.nwords; i++)
        seen += d.wl[i] == 7 && memcmp(d.wp[i], "counted", 7) == 0;
    assert_int_equal(seen, 1);
    mr_fact_dec_free(&d);
    /* a cut blob is refused, never read past its end */
    for (size_t cut = 0; cut < len; cut += 7) {
        mr_buf_clear(&got);
        assert_int_equal(
            mr_facts_walk(blob, cut, NULL, 0, 0, collect_bin, &got), -1);
    }
    free(blob);
    /* a member of an object, as json_extract gives a string */
    char *v = NULL;
    assert_int_equal(mr_fact_member(objs[2], strlen(objs[2]), "t", &v), 0);
    assert_string_equal(v, "x\xe2\x80\xa8y\t\"q\"\\\n\x01");
    free(v);
    assert_int_equal(mr_fact_member(objs[2], strlen(objs[2]), "c", &v), 0);
    assert_null(v);
    assert_int_equal(mr_fact_member(objs[0], strlen(objs[0]), "counted", &v),
                     0);
    assert_string_equal(v, "قتيل");
    free(v);
    mr_buf_free(&want);
    mr_buf_free(&got);
}

/* Out of memory in the middle of writing JSON: a buffer remembers the
 * write that failed, so the string escaping, the decoding of a fact and
 * the escaping onto an sqlite3_str report it, never a cut object as
 * success (a later write that succeeds hid the failed one). */
static void test_facts_oom(void **state)
{
    (void)state;
    /* the buffer: a failed write stays known after a good one */
    mr_buf b = MR_BUF_INIT;
    mr_buf_fail_in(1);
    assert_int_equal(mr_buf_adds(&b, "x"), MARSAD_E_NOMEM);
    assert_int_equal(mr_buf_adds(&b, "y"), MARSAD_OK);
    assert_int_equal(b.err, MARSAD_E_NOMEM);
    mr_buf_clear(&b);
    assert_int_equal(b.err, MARSAD_OK);
    mr_buf_free(&b);
    /* a string long enough to grow the buffer several times, with escapes
     * between its runs */
    char s[2000];
    size_t sn = 0;
    for (int i = 0; i < 100; i++)
        sn += (size_t)snprintf(s + sn, sizeof s - sn, "قيمة\"%d\n", i);
    int failed = 0;
    for (unsigned k = 1; k <= 8; k++) {
        mr_buf o = MR_BUF_INIT;
        mr_buf_fail_in(k);
        int rc = mr_store_json_esc_buf(&o, s, sn);
        mr_buf_fail_in(0);
        failed += rc != 0;
        if (rc == 0) { /* whole: it reads back as the string */
            json_object *j = json_tokener_parse(o.p);
            assert_non_null(j);
            assert_string_equal(json_object_get_string(j), s);
            json_object_put(j);
        }
        mr_buf_free(&o);
        sqlite3_str *q = sqlite3_str_new(NULL);
        mr_buf_fail_in(k);
        rc = mr_store_json_esc(q, (const unsigned char *)s, sn);
        mr_buf_fail_in(0);
        /* never the raw bytes in place of the escaped ones */
        assert_int_equal(sqlite3_str_length(q) == 0, rc != 0);
        sqlite3_free(sqlite3_str_finish(q));
    }
    assert_true(failed > 0);
    /* a stored fact's object, read back: whole, or an error */
    mr_buf js = MR_BUF_INIT;
    mr_buf_adds(&js, "{\"quote\":");
    mr_store_json_esc_buf(&js, s, sn);
    mr_buf_adds(&js, ",\"speaker\":");
    mr_store_json_esc_buf(&js, s, sn / 2);
    mr_buf_adds(&js, ",\"n\":[1,2,3]}");
    mr_fact_in in[2] = {
        {"quote", 0, 10, "نص", js.p, js.len, 0},
        {"quote", 20, 30, NULL, js.p, js.len, 1},
    };
    size_t len = 0;
    unsigned char *blob = mr_facts_encode(in, 2, &len);
    assert_non_null(blob);
    failed = 0;
    for (unsigned k = 1; k <= 12; k++) {
        mr_fact_dec d;
        assert_int_equal(mr_fact_dec_init(&d, blob, len), 0);
        mr_fact_bin f;
        int rc;
        size_t i = 0;
        mr_buf_fail_in(k);
        while ((rc = mr_fact_dec_next(&d, &f)) == 1) {
            assert_true(i < 2);
            assert_int_equal(f.json_len, js.len);
            assert_memory_equal(f.json, js.p, js.len);
            assert_int_equal(!f.text, !in[i].text);
            i++;
        }
        mr_buf_fail_in(0);
        failed += rc != 0;
        mr_fact_dec_free(&d);
    }
    assert_true(failed > 0);
    free(blob);
    mr_buf_free(&js);
}

/* Facts written in several batches and calls, replaced by kind, and read
 * in between, as one report's row. */
static void test_facts_batches(void **state)
{
    (void)state;
    char path[512];
    mr_store *st = open_ab(path, sizeof path, "factsb.db", "نص أول طويل");
    /* outside a batch: each call its own */
    assert_int_equal(mr_store_fact_add(st, "a", "figure", 0, 4, "نص",
                                       "{\"start\":0,\"end\":4,\"text\":"
                                       "\"نص\",\"v\":1}",
                                       NULL),
                     MARSAD_OK);
    assert_int_equal(mr_store_begin(st, NULL), MARSAD_OK);
    assert_int_equal(mr_store_fact_add(st, "a", "date", 5, 11, "أول",
                                       "{\"v\":2}", NULL),
                     MARSAD_OK);
    assert_int_equal(mr_store_fact_add(st, "b", "figure", 0, 4, "نص",
                                       "{\"v\":3}", NULL),
                     MARSAD_OK);
    /* back to a: its row holds both */
    assert_int_equal(mr_store_fact_add(st, "a", "figure", 12, 20, "طويل",
                                       "{\"v\":4}", NULL),
                     MARSAD_OK);
    fact_list got = {"", 0};
    assert_int_equal(mr_store_facts_saved(st, "a", list_fact, &got, NULL),
                     MARSAD_OK);
    assert_string_equal(got.buf,
                        "figure 0 4 [نص] {\"start\":0,\"end\":4,\"text\":"
                        "\"نص\",\"v\":1}\n"
                        "date 5 11 [أول] {\"v\":2}\n"
                        "figure 12 20 [طويل] {\"v\":4}\n");
    assert_int_equal(mr_store_facts_replace(st, "a", "figure", NULL),
                     MARSAD_OK);
    assert_int_equal(mr_store_facts_replace(st, "nope", "figure", NULL),
                     MARSAD_OK);
    assert_int_equal(mr_store_commit(st, NULL), MARSAD_OK);
    got = (fact_list){"", 0};
    assert_int_equal(mr_store_facts_saved(st, "a", list_fact, &got, NULL),
                     MARSAD_OK);
    assert_string_equal(got.buf, "date 5 11 [أول] {\"v\":2}\n");
    /* a batch rolled back takes its facts with it */
    assert_int_equal(mr_store_begin(st, NULL), MARSAD_OK);
    assert_int_equal(mr_store_facts_replace(st, "b", "figure", NULL),
                     MARSAD_OK);
    assert_int_equal(mr_store_fact_add(st, "b", "date", 0, 2, "ن", "{}",
                                       NULL),
                     MARSAD_OK);
    mr_store_rollback(st);
    got = (fact_list){"", 0};
    assert_int_equal(mr_store_facts_saved(st, "b", list_fact, &got, NULL),
                     MARSAD_OK);
    assert_string_equal(got.buf, "figure 0 4 [نص] {\"v\":3}\n");
    /* the last fact of a report gone, its row goes */
    assert_int_equal(mr_store_facts_replace(st, "b", "figure", NULL),
                     MARSAD_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(mr_store_db(st),
                                        "SELECT count(*), sum(n) FROM facts",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 1);
    assert_int_equal(sqlite3_column_int(q, 1), 1);
    sqlite3_finalize(q);
    mr_check_result res;
    assert_int_equal(mr_store_check(st, NULL, NULL, NULL, &res, NULL),
                     MARSAD_OK);
    assert_true(mr_check_clean(&res));
    assert_int_equal(res.facts, 1);
    mr_store_close(st);
    unlink(path);
}

/* Schema 6: a story's timeline and summary strings that are its reports'
 * bytes are stored as references and read back byte for byte; other
 * strings, and a document that holds a reference's form already, stay. */
static void test_story_packed(void **state)
{
    (void)state;
    char path[512];
    mr_store *st = open_new(path, sizeof path, "spack.db");
    mr_report a = mk("a", "X", "t",
                     "قالت الوزارة \"إن 12 شخصا قتلوا\" في القصف.\n"
                     "وأضافت أن الحصيلة مرشحة للارتفاع خلال الساعات المقبلة.");
    put(st, &a);
    static const char *const docs[] = {
        /* sentences of report a (one with an escaped quote), a claim text
         * of it (not packed: claims are read by SQL), a generated string */
        "{\"title\":\"قصف\",\"claims\":[{\"values\":[{\"report\":\"a\","
        "\"text\":\"وأضافت أن الحصيلة مرشحة للارتفاع\"}]}],"
        "\"timeline\":[{\"date\":\"2020\",\"report\":\"a\",\"sentence\":"
        "\"قالت الوزارة \\\"إن 12 شخصا قتلوا\\\" في القصف.\"}],"
        "\"summary\":[{\"report\":\"a\",\"text\":\"وأضافت أن الحصيلة "
        "مرشحة للارتفاع خلال الساعات المقبلة.\",\"note\":\"ليس من نص "
        "التقرير في شيء على الإطلاق\"},{\"report\":\"zz\",\"text\":"
        "\"تقرير غير مخزن لا يشار إليه أبدا\"}]}",
        /* a reference's form already in it: kept as it is */
        "{\"title\":\"\\u0001@1+2\",\"summary\":[{\"report\":\"a\","
        "\"text\":\"وأضافت أن الحصيلة مرشحة للارتفاع خلال الساعات المقبلة.\"}]}",
    };
    const char *members[] = {"a"};
    for (int i = 0; i < 2; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        assert_int_equal(mr_store_story_put(st, id, docs[i], members, 1,
                                            NULL),
                         MARSAD_OK);
        sqlite3_stmt *q;
        assert_int_equal(sqlite3_prepare_v2(mr_store_db(st),
                                            "SELECT packed, length(mr_story_inflate(json, size)), "
                                            "json_extract(mr_story_inflate("
                                            "json, size), '$.claims[0]"
                                            ".values[0].text') FROM stories "
                                            "WHERE id = ?1",
                                            -1, &q, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(q, 0), i == 0);
        if (i == 0) {
            /* two sentences went, the claim's text stayed */
            assert_true((size_t)sqlite3_column_int(q, 1) + 150 <
                        strlen(docs[i]));
            assert_string_equal((const char *)sqlite3_column_text(q, 2),
                                "وأضافت أن الحصيلة مرشحة للارتفاع");
        }
        sqlite3_finalize(q);
        char *got = NULL;
        assert_int_equal(mr_store_stories_each(st, id, 1, copy_story, &got,
                                               NULL, NULL),
                         MARSAD_OK);
        assert_non_null(got);
        assert_string_equal(got, docs[i]);
        free(got);
    }
    mr_store_close(st);
}

/* Appends a stored story's row (mr_store_stories_each) to ctx, a
 * mr_buf. */
static int list_story(const mr_story_row *r, void *ctx)
{
    mr_buf *b = ctx;
    mr_buf_printf(b, "%s|%.*s|%s|%s|%s|%zu|%zu|%zu|%s\n", r->id,
                  (int)r->json_len, r->json, r->title ? r->title : "-",
                  r->first_seen ? r->first_seen : "-",
                  r->last_seen ? r->last_seen : "-", r->nreports, r->nclaims,
                  r->nconflicts, r->outlets);
    return 0;
}

static int list_claim(const mr_claim_row *r, void *ctx)
{
    mr_buf *b = ctx;
    mr_buf_printf(b, "%s|%s|%lld|%s\n", r->story_id,
                  r->story_title ? r->story_title : "-", (long long)r->index,
                  r->json);
    return 0;
}

/* Everything the store gives of its stories, into b: each story, the
 * claims lists (all, by verdict, by event, by dates) and the counts. */
static void stories_dump(mr_store *st, mr_buf *b)
{
    assert_int_equal(mr_store_stories_each(st, NULL, 0, list_story, b, NULL,
                                           NULL),
                     MARSAD_OK);
    mr_claims_query qs[4] = {{0}};
    qs[1].verdict = "conflict";
    qs[2].event = "killed";
    qs[3].since = "2020-02";
    for (int i = 0; i < 4; i++) {
        mr_buf_printf(b, "claims %d\n", i);
        assert_int_equal(mr_store_claims_page(st, &qs[i], list_claim, b,
                                              NULL),
                         MARSAD_OK);
    }
    mr_stories_query sq = {0};
    sq.until = "2020-01-15";
    assert_int_equal(mr_store_stories_page(st, &sq, list_story, b, NULL),
                     MARSAD_OK);
    size_t claims = 0, conflicts = 0;
    assert_int_equal(mr_store_claim_counts(st, &claims, &conflicts, NULL),
                     MARSAD_OK);
    mr_buf_printf(b, "counts %zu %zu\n", claims, conflicts);
}

/* Schema 9: a story's document is stored deflated when that is shorter,
 * its sort and filter keys and its claims in columns of their own; every
 * reading gives what it gave before, and a store of schema 8 migrates to
 * it with the same readings. */
static void test_story_deflated(void **state)
{
    (void)state;
    char path[512];
    mr_store *st = open_new(path, sizeof path, "sdefl.db");
    mr_report a = mk("a", "X", "t",
                     "قالت الوزارة إن 12 شخصا قتلوا في القصف على المدينة.");
    put(st, &a);
    mr_buf big = MR_BUF_INIT;
    mr_buf_printf(&big, "{\"title\":\"قصف المدينة\",\"first_seen\":"
                        "\"2020-01-02\",\"last_seen\":\"2020-03-04\","
                        "\"claims\":[");
    for (int i = 0; i < 40; i++)
        mr_buf_printf(&big,
                      "%s{\"event\":\"%s\",\"verdict\":\"%s\","
                      "\"values\":[{\"report\":\"a\",\"value\":%d}]}",
                      i ? "," : "", i % 3 ? "killed" : "injured",
                      i % 4 ? "agree" : "conflict", i);
    mr_buf_printf(&big, "],\"timeline\":[{\"report\":\"a\",\"sentence\":"
                        "\"قالت الوزارة إن 12 شخصا قتلوا في القصف على "
                        "المدينة.\"}]}");
    const char *docs[] = {
        big.p,
        /* too short to gain from deflate: stored as it is */
        "{\"title\":\"t\",\"claims\":[]}",
        /* not JSON: kept, no keys */
        "not json at all",
        /* claims that are not an array: none counted, but the
         * conflicts among its members are, and the claims list gives its
         * members (as SQL's json_array_length and json_each did over the
         * document before schema 9) */
        "{\"title\":\"o\",\"first_seen\":\"2020-01-20\",\"claims\":"
        "{\"x\":{\"verdict\":\"conflict\"}}}",
    };
    /* a report is in one story at most (marsad check) */
    const char *members[] = {"a", "b", "c", "d"};
    for (int i = 0; i < 4; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        if (i) {
            mr_report r = mk(members[i], "Y", "t", members[i]);
            put(st, &r);
        }
        assert_int_equal(mr_store_story_put(st, id, docs[i], members + i, 1,
                                            NULL),
                         MARSAD_OK);
    }
    sqlite3 *db = mr_store_db(st);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT id, typeof(json) = 'blob' AND"
                                        " length(json) < size,"
                                        " size, claims, conflicts FROM"
                                        " stories ORDER BY id",
                                        -1, &q, NULL),
                     SQLITE_OK);
    int want_z[] = {1, 0, 0, 0}, want_claims[] = {40, 0, 0, 0},
        want_conflicts[] = {10, 0, 0, 1};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(q, 1), want_z[i]);
        assert_int_equal(sqlite3_column_int(q, 3), want_claims[i]);
        assert_int_equal(sqlite3_column_int(q, 4), want_conflicts[i]);
    }
    sqlite3_finalize(q);
    mr_buf before = MR_BUF_INIT, after = MR_BUF_INIT;
    stories_dump(st, &before);
    /* each document whole, the deflated one included */
    for (int i = 0; i < 4; i++)
        assert_non_null(strstr(before.p, docs[i]));
    /* the claims lists read the claims column: 40 claims and 10
     * conflicts, and the member of s3's claims object */
    assert_non_null(strstr(before.p, "counts 40 11\n"));
    assert_non_null(strstr(before.p, "\ns3|o|0|{\"verdict\":\"conflict\"}\n"));
    /* the store as schema 8 kept it: the document as text, no columns */
    assert_int_equal(
        sqlite3_exec(db,
                     "PRAGMA foreign_keys=OFF;"
                     "CREATE TABLE s8(id TEXT PRIMARY KEY, json TEXT NOT NULL,"
                     " updated TEXT NOT NULL, packed INTEGER NOT NULL"
                     " DEFAULT 0);"
                     "INSERT INTO s8 SELECT id, mr_story_inflate(json, size),"
                     " updated, packed FROM stories;"
                     "DROP TABLE stories; ALTER TABLE s8 RENAME TO stories;"
                     "PRAGMA user_version = 8;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    mr_store_close(st);
    assert_int_equal(mr_store_open(path, NULL, &st, NULL), MARSAD_OK);
    db = mr_store_db(st);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q,
                                        NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), MR_STORE_SCHEMA);
    sqlite3_finalize(q);
    stories_dump(st, &after);
    assert_string_equal(after.p, before.p);
    /* the members stayed, and the store checks clean */
    mr_check_result res;
    assert_int_equal(mr_store_check(st, NULL, NULL, NULL, &res, NULL),
                     MARSAD_OK);
    assert_true(mr_check_clean(&res));
    assert_int_equal(res.stories, 4);
    /* check reads every document: one that does not inflate, one whose
     * title column is not its document's, one cut short, each a problem
     * of the stories */
    const char *damage[] = {
        "UPDATE stories SET json = substr(json, 1, 20) WHERE id = 's0'",
        "UPDATE stories SET title = 'x' WHERE id = 's1'",
        "UPDATE stories SET size = size + 1 WHERE id = 's2'",
        "UPDATE stories SET claims_json = x'0102' WHERE id = 's0'",
    };
    for (int i = 0; i < 4; i++) {
        assert_int_equal(sqlite3_exec(db, "SAVEPOINT d", NULL, NULL, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, damage[i], NULL, NULL, NULL),
                         SQLITE_OK);
        assert_int_equal(mr_store_check(st, NULL, NULL, NULL, &res, NULL),
                         MARSAD_OK);
        assert_int_equal(res.problems[MR_CHECK_STORIES], 1);
        assert_int_equal(sqlite3_exec(db, "ROLLBACK TO d; RELEASE d", NULL,
                                      NULL, NULL),
                         SQLITE_OK);
    }
    assert_int_equal(mr_store_check(st, NULL, NULL, NULL, &res, NULL),
                     MARSAD_OK);
    assert_true(mr_check_clean(&res));
    mr_buf_free(&before);
    mr_buf_free(&after);
    mr_buf_free(&big);
    mr_store_close(st);
    unlink(path);
}

static void test_generic_tables(void **state)
{
    (void)state;
    char path[4096];
    mr_store *st = open_ab(path, sizeof path, "generic", "نص أول");
    assert_int_equal(mr_store_begin(st, NULL), MARSAD_OK);
    assert_int_equal(mr_store_facts_replace(st, "a", "figure", NULL),
                     MARSAD_OK);
    assert_int_equal(mr_store_fact_add(st, "a", "figure", 0, 5, "نص",
                                       "{\"value\":1}", NULL),
                     MARSAD_OK);
    assert_int_equal(mr_store_fact_add(st, "a", "figure", 6, 9, "أول", NULL,
                                       NULL),
                     MARSAD_OK);
    /* facts must belong to a stored report */
    assert_int_equal(mr_store_fact_add(st, "nope", "figure", 0, 1, "x", NULL,
                                       NULL),
                     MARSAD_E_DB);
    assert_int_equal(mr_store_link_put(st, "a", "b", "near_dup", 0.9, "{}",
                                       NULL),
                     MARSAD_OK);
    assert_int_equal(mr_store_link_put(st, "a", "b", "near_dup", 0.8, "{}",
                                       NULL),
                     MARSAD_OK);
    const char *members[] = {"a", "b"};
    assert_int_equal(mr_store_story_put(st, "s1", "{\"title\":\"t\"}",
                                        members, 2, NULL),
                     MARSAD_OK);
    assert_int_equal(mr_store_story_put(st, "s1", "{\"title\":\"u\"}",
                                        members, 1, NULL),
                     MARSAD_OK);
    assert_int_equal(mr_store_meta_set(st, "link.last_row", "2", NULL),
                     MARSAD_OK);
    assert_int_equal(mr_store_commit(st, NULL), MARSAD_OK);
    sqlite3 *db = mr_store_db(st);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT sum(n) FROM facts),"
                                        " (SELECT score FROM links),"
                                        " (SELECT count(*) FROM story_reports),"
                                        " (SELECT json FROM stories)",
                                        -1, &s, 0),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 2);
    assert_true(sqlite3_column_double(s, 1) < 0.85);
    assert_int_equal(sqlite3_column_int(s, 2), 1);
    assert_string_equal((const char *)sqlite3_column_text(s, 3),
                        "{\"title\":\"u\"}");
    sqlite3_finalize(s);
    char *v = NULL;
    assert_int_equal(mr_store_meta_get(st, "link.last_row", &v, NULL),
                     MARSAD_OK);
    assert_string_equal(v, "2");
    free(v);
    assert_int_equal(mr_store_meta_get(st, "nothing", &v, NULL), MARSAD_OK);
    assert_null(v);
    mr_store_close(st);
}

static int count_rows(int64_t row, const mr_report *r, void *ctx)
{
    (void)row;
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ANT shard, read by the real readers: every line in, minus exact
 * duplicates (computed here from the file with json-c, independently of
 * the store's text hash); a second pass adds nothing. */
static void test_ant_shard(void **state)
{
    (void)state;
    const char *sh = tu_shared_dir();
    assert_non_null(sh);
    char file[4096];
    snprintf(file, sizeof file,
             "%s/corpus/ant-multisource/jsonl/BBC_2018-02.jsonl", sh);
    size_t len = 0;
    char *data = tu_read_file(file, &len);
    assert_non_null(data);
    /* lines and distinct texts, byte-exact */
    size_t lines = 0, cap = 1024;
    char **texts = malloc(cap * sizeof *texts);
    assert_non_null(texts);
    for (char *p = data, *nl; p < data + len; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(data + len - p));
        if (!nl)
            nl = data + len;
        *nl = 0;
        json_object *o = json_tokener_parse(p);
        assert_non_null(o);
        json_object *t;
        assert_true(json_object_object_get_ex(o, "text", &t));
        assert_true(lines < cap);
        texts[lines++] = strdup(json_object_get_string(t));
        json_object_put(o);
    }
    free(data);
    qsort(texts, lines, sizeof *texts, cmp_str);
    size_t distinct = 0;
    for (size_t i = 0; i < lines; i++) {
        distinct += i == 0 || strcmp(texts[i], texts[i - 1]) != 0;
        if (i)
            free(texts[i - 1]);
    }
    if (lines)
        free(texts[lines - 1]);
    free(texts);
    assert_true(lines > 100);

    char path[4096];
    mr_store *st = open_new(path, sizeof path, "ant");
    for (int pass = 0; pass < 2; pass++) {
        const char *paths[] = {file};
        mr_ingest *it;
        assert_int_equal(mr_ingest_open(paths, 1, NULL, &it), MARSAD_OK);
        mr_report r;
        memset(&r, 0, sizeof r);
        size_t added = 0, other = 0;
        assert_int_equal(mr_store_begin(st, NULL), MARSAD_OK);
        while (mr_ingest_next(it, &r, NULL) == MARSAD_OK) {
            mr_put_result pr = put(st, &r);
            added += pr == MR_PUT_ADDED;
            other += pr != MR_PUT_ADDED;
            mr_report_clear(&r);
        }
        assert_int_equal(mr_store_commit(st, NULL), MARSAD_OK);
        mr_ingest_close(it);
        assert_int_equal(added + other, lines);
        if (pass == 0)
            assert_int_equal(added, distinct);
        else
            assert_int_equal(added, 0);
    }
    int n = 0;
    assert_int_equal(mr_store_reports_each(st, 0, count_rows, &n), MARSAD_OK);
    uint64_t total = 0;
    mr_store_count(st, &total);
    assert_int_equal((uint64_t)n, total);
    mr_store_close(st);
}

static int pub_hit(const marsad_hit *h, void *ctx)
{
    assert_non_null(h->id);
    assert_non_null(strstr(h->snippet, "["));
    (*(int *)ctx)++;
    return 0;
}

/* The public API: open, ingest the seeds, search, close. */
static void test_public_api(void **state)
{
    (void)state;
    const char *sh = tu_shared_dir();
    assert_non_null(sh);
    char seeds[4096], path[4096];
    snprintf(seeds, sizeof seeds, "%s/seeds", sh);
    tmp_path(path, sizeof path, "public");
    marsad_store *st = NULL;
    assert_int_equal(marsad_store_open(path, &st, NULL), MARSAD_OK);
    const char *paths[] = {seeds};
    marsad_ingest_summary sum;
    assert_int_equal(marsad_store_ingest(st, paths, 1, &sum, NULL), MARSAD_OK);
    assert_true(sum.added >= 5);
    assert_int_equal(sum.rejected, 0);
    size_t first = sum.added;
    assert_int_equal(marsad_store_ingest(st, paths, 1, &sum, NULL), MARSAD_OK);
    assert_int_equal(sum.added, 0);
    assert_int_equal(sum.already_stored, first); /* a rerun, not repeats */
    int n = 0;
    assert_int_equal(marsad_store_search(st, "باغوز", 0, pub_hit, &n, NULL),
                     MARSAD_OK);
    assert_true(n > 0);
    assert_int_equal(marsad_store_search(st, "", 0, pub_hit, &n, NULL),
                     MARSAD_E_INPUT);
    assert_int_equal(marsad_store_search(NULL, "x", 0, pub_hit, &n, NULL),
                     MARSAD_E_ARG);
    marsad_store_close(st);
    marsad_store_close(NULL);
    assert_int_equal(marsad_store_open(NULL, &st, NULL), MARSAD_E_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema),
        cmocka_unit_test(test_index_per_batch),
        cmocka_unit_test(test_two_writers),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_reports_and_duplicates),
        cmocka_unit_test(test_report_copies),
        cmocka_unit_test(test_story_deflated),
        cmocka_unit_test(test_search_variants),
        cmocka_unit_test(test_search_syntax),
        cmocka_unit_test(test_query_parser),
        cmocka_unit_test(test_search_rank_as_fts5),
        cmocka_unit_test(test_search_snippet_window),
        cmocka_unit_test(test_postings_blocks),
        cmocka_unit_test(test_postings_damaged),
        cmocka_unit_test(test_tokenizer),
        cmocka_unit_test(test_generic_tables),
        cmocka_unit_test(test_facts_packed),
        cmocka_unit_test(test_facts_blob),
        cmocka_unit_test(test_facts_oom),
        cmocka_unit_test(test_facts_batches),
        cmocka_unit_test(test_story_packed),
        cmocka_unit_test(test_ant_shard),
        cmocka_unit_test(test_public_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
