/*
 * bench_minhash.c: marsad's MinHash in `make bench-peers` (not a test),
 * beside the Go package github.com/ekzhu/minhash-lsh (bench/peers/
 * minhash.go) on the same shingles.
 *
 *   bench_minhash STORE SHINGLES_OUT
 *
 * Reads every report of the marsad store STORE, tokenises it once
 * (mr_toks_build, not timed), then times mr_link_doc_build_toks over all
 * reports twice, with the default 64 permutations and with none: the
 * first is marsad's whole sketch (3-token shingles of stem hashes, sorted
 * and made distinct, the signature, the story terms), the difference is
 * the signature alone (64 permutations of every distinct shingle). Writes
 * each report's distinct shingle hashes to SHINGLES_OUT (per report: a
 * uint32 count, then that many uint64, little-endian) for the Go program,
 * which pushes the same values through the same number of permutations.
 * Times are the process's CPU seconds, best of 3.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "link/link.h"

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct rep {
    mr_toks tv;
    char *title;
    size_t title_n;
} rep;

/* CPU seconds of mr_link_doc_build_toks over every report with nh
 * permutations (best of 3); shingles and signature slots counted. */
static double time_build(rep *r, size_t n, unsigned nh, FILE *out,
                         size_t *nsh)
{
    mr_link_params p;
    mr_link_params_default(&p);
    p.num_hashes = nh;
    mr_link_doc d;
    memset(&d, 0, sizeof d);
    double best = -1;
    for (int run = 0; run < 3; run++) {
        double t0 = cpu_s();
        size_t sh = 0;
        for (size_t i = 0; i < n; i++) {
            if (mr_link_doc_build_toks(&d, &r[i].tv, r[i].title, r[i].title_n,
                                       &p) != MARSAD_OK) {
                fputs("bench_minhash: out of memory\n", stderr);
                exit(3);
            }
            sh += d.nsh;
            if (out && run == 0) { /* outside the time that counts */
                double w0 = cpu_s();
                uint32_t c = (uint32_t)d.nsh;
                fwrite(&c, sizeof c, 1, out);
                fwrite(d.shingles, sizeof *d.shingles, d.nsh, out);
                t0 += cpu_s() - w0;
            }
            mr_link_doc_free(&d);
        }
        double t = cpu_s() - t0;
        if (best < 0 || t < best)
            best = t;
        *nsh = sh;
    }
    return best;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: bench_minhash STORE SHINGLES_OUT\n", stderr);
        return 2;
    }
    sqlite3 *db;
    sqlite3_stmt *s;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT title, text FROM reports ORDER BY n", -1,
                           &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_minhash: %s: not a marsad store\n", argv[1]);
        return 2;
    }
    rep *r = NULL;
    size_t n = 0, cap = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            r = realloc(r, cap * sizeof *r);
            if (!r)
                return 3;
        }
        memset(&r[n], 0, sizeof r[n]);
        const char *t = (const char *)sqlite3_column_text(s, 0);
        r[n].title_n = (size_t)sqlite3_column_bytes(s, 0);
        r[n].title = t ? strndup(t, r[n].title_n) : NULL;
        if (!t)
            r[n].title_n = 0;
        const char *x = (const char *)sqlite3_column_text(s, 1);
        if (mr_toks_build(&r[n].tv, x ? x : "",
                          (size_t)sqlite3_column_bytes(s, 1), 0) != MARSAD_OK)
            return 3;
        n++;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    FILE *out = fopen(argv[2], "wb");
    if (!out) {
        fprintf(stderr, "bench_minhash: cannot write %s\n", argv[2]);
        return 2;
    }
    size_t nsh = 0, nsh0 = 0;
    double with = time_build(r, n, 64, out, &nsh);
    fclose(out);
    double without = time_build(r, n, 0, NULL, &nsh0);
    double sig = with - without;
    printf("marsad: %zu reports, %zu distinct shingles, 64 permutations: "
           "sketch (shingles, sort, signature, terms) %.3f s cpu, signature "
           "alone %.3f s cpu (%.1f M shingle-permutations/s)\n",
           n, nsh, with, sig, sig > 0 ? (double)nsh * 64 / sig / 1e6 : 0);
    for (size_t i = 0; i < n; i++) {
        mr_toks_free(&r[i].tv);
        free(r[i].title);
    }
    free(r);
    return 0;
}
