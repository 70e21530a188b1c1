/*
 * bench_store.c: the store stage of `make bench` (not a test).
 *
 *   bench_store SHARED_DIR WORK_DIR
 *
 * Ingests every report of SHARED_DIR/corpus/ant-multisource/jsonl/ twice,
 * through the same readers and the same batched store code (500 reports per
 * transaction), once with the `marsad` FTS5 tokenizer and once with FTS5's
 * own `unicode61 remove_diacritics 2`, and prints for each: reports/s, MB/s
 * (of input), the size of the full-text index, and p50/p99 latency of 50
 * Arabic queries (bench/queries_ar.txt, each run 5 times after one warm-up,
 * top 20 with snippets, as `marsad search` does). Then the ratios against
 * the targets: ingest >= 0.7x unicode61's speed, index <= 1.3x its size,
 * p99 < 10 ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "store/store.h"

#define RUNS 5
#define MAXQ 64

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct result {
    double secs, mb, reports;
    double index_bytes, file_bytes;
    double p50, p99;
    size_t hits;
} result;

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int count_hit(const mr_hit *h, void *ctx)
{
    (void)h;
    (*(size_t *)ctx)++;
    return 0;
}

static double one_value(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    double v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_double(s, 0);
        sqlite3_finalize(s);
    }
    return v;
}

static int run(const char *corpus, const char *db_path, const char *tokenizer,
               char **queries, size_t nq, result *res)
{
    char side[4200];
    unlink(db_path);
    snprintf(side, sizeof side, "%s-wal", db_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db_path);
    unlink(side);
    mr_store_opts so = {0};
    so.tokenizer = tokenizer;
    mr_store *st;
    marsad_error err;
    if (mr_store_open(db_path, &so, &st, &err) != MARSAD_OK) {
        fprintf(stderr, "bench_store: %s: %s\n", err.input, err.message);
        return 1;
    }
    const char *paths[] = {corpus};
    mr_ingest *it;
    if (mr_ingest_open(paths, 1, NULL, &it) != MARSAD_OK)
        return 1;
    mr_report r;
    memset(&r, 0, sizeof r);
    double t0 = now_s();
    size_t n = 0, added = 0;
    marsad_status rc;
    mr_store_begin(st, NULL);
    while ((rc = mr_ingest_next(it, &r, &err)) != MR_INGEST_DONE) {
        if (rc != MARSAD_OK)
            continue;
        mr_put_result pr;
        if (mr_store_put_report(st, &r, &pr, &err) != MARSAD_OK) {
            fprintf(stderr, "bench_store: %s\n", err.message);
            return 1;
        }
        added += pr == MR_PUT_ADDED;
        mr_report_clear(&r);
        if (++n % 500 == 0) {
            mr_store_commit(st, NULL);
            mr_store_begin(st, NULL);
        }
    }
    mr_store_commit(st, NULL);
    res->secs = now_s() - t0;
    mr_ingest_stats is = mr_ingest_stats_get(it);
    mr_ingest_close(it);
    res->mb = (double)is.bytes / 1e6;
    res->reports = (double)n;
    sqlite3 *db = mr_store_db(st);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    res->index_bytes = one_value(
        db, "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'reports_fts%'");
    if (res->index_bytes < 0) /* no dbstat: the blobs alone */
        res->index_bytes = one_value(
            db, "SELECT (SELECT sum(length(block)) FROM reports_fts_data) + "
                "(SELECT sum(length(sz)) FROM reports_fts_docsize)");
    res->file_bytes = one_value(db, "SELECT page_count * page_size FROM "
                                    "pragma_page_count, pragma_page_size");

    double *lat = malloc(nq * RUNS * sizeof *lat);
    size_t nl = 0;
    res->hits = 0;
    for (int pass = 0; pass <= RUNS; pass++) {
        for (size_t i = 0; i < nq; i++) {
            size_t hits = 0;
            mr_search_opts o = {0};
            o.limit = 20;
            double q0 = now_s();
            mr_store_search(st, queries[i], &o, count_hit, &hits, NULL);
            double dt = now_s() - q0;
            if (pass > 0) {
                lat[nl++] = dt;
                if (pass == 1)
                    res->hits += hits;
            }
        }
    }
    qsort(lat, nl, sizeof *lat, cmp_d);
    res->p50 = nl ? lat[nl / 2] * 1e3 : 0;
    res->p99 = nl ? lat[(size_t)((double)nl * 0.99)] * 1e3 : 0;
    free(lat);
    mr_store_close(st);
    (void)added;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_store SHARED_DIR WORK_DIR\n");
        return 2;
    }
    char corpus[4096], qfile[4096], db1[4096], db2[4096];
    snprintf(corpus, sizeof corpus, "%s/corpus/ant-multisource/jsonl",
             argv[1]);
    snprintf(qfile, sizeof qfile, "bench/queries_ar.txt");
    snprintf(db1, sizeof db1, "%s/bench_marsad.db", argv[2]);
    snprintf(db2, sizeof db2, "%s/bench_unicode61.db", argv[2]);
    FILE *f = fopen(qfile, "r");
    if (!f) {
        fprintf(stderr, "bench_store: %s: cannot open\n", qfile);
        return 1;
    }
    char *queries[MAXQ];
    size_t nq = 0;
    char line[1024];
    while (nq < MAXQ && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0] && line[0] != '#')
            queries[nq++] = strdup(line);
    }
    fclose(f);
    result a, b;
    if (run(corpus, db1, "marsad", queries, nq, &a) ||
        run(corpus, db2, "unicode61 remove_diacritics 2", queries, nq, &b))
        return 1;
    printf("   %zu queries x %d runs, top 20 with snippets\n", nq, RUNS);
    printf("   %-32s %9s %7s %9s %9s %8s %8s %7s\n", "tokenizer", "reports/s",
           "MB/s", "index MB", "file MB", "p50 ms", "p99 ms", "hits");
    result *rs[] = {&a, &b};
    const char *names[] = {"marsad", "unicode61 remove_diacritics 2"};
    for (int i = 0; i < 2; i++)
        printf("   %-32s %9.0f %7.2f %9.1f %9.1f %8.2f %8.2f %7zu\n",
               names[i], rs[i]->reports / rs[i]->secs, rs[i]->mb / rs[i]->secs,
               rs[i]->index_bytes / 1e6, rs[i]->file_bytes / 1e6, rs[i]->p50,
               rs[i]->p99, rs[i]->hits);
    double speed = (a.reports / a.secs) / (b.reports / b.secs);
    double size = a.index_bytes / b.index_bytes;
    printf("   ingest speed vs unicode61: %.2fx (target >= 0.7x) %s\n", speed,
           speed >= 0.7 ? "ok" : "MISSED");
    printf("   index size vs unicode61:   %.2fx (target <= 1.3x) %s\n", size,
           size <= 1.3 ? "ok" : "MISSED");
    printf("   p99 query latency:         %.2f ms (target < 10 ms) %s\n",
           a.p99, a.p99 < 10 ? "ok" : "MISSED");
    for (size_t i = 0; i < nq; i++)
        free(queries[i]);
    return 0;
}
