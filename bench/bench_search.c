/*
 * bench_search.c: marsad's line of `make bench-peers` (not a test): the
 * same figures the peers print (bench/peers/common.h), for marsad's search
 * index, the postings file beside the store (src/store/postings.c).
 *
 *   bench_search STORE QUERIES
 *
 * Builds STORE's postings file (mr_store_postings_build, timed in CPU and
 * wall seconds; the FTS5 index was made by the ingest and is not counted),
 * opens the store again, then runs each line of QUERIES through mr_store_search, top 10 with
 * snippets, 5 runs after a warm-up, and prints p50/p95/p99 (µs, the
 * process's CPU and the wall clock), the matches of the warm-up pass and
 * the file's size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/store.h"

#define RUNS 5
#define MAXQ 256

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp_d);
    size_t i = (size_t)((double)n * p);
    return n ? v[i < n ? i : n - 1] : 0;
}

static int count_hit(const mr_hit *h, void *ctx)
{
    (void)h;
    (*(size_t *)ctx)++;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: bench_search STORE QUERIES\n", stderr);
        return 2;
    }
    static char line[4096];
    char *q[MAXQ];
    size_t nq = 0;
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        fprintf(stderr, "bench_search: cannot read %s\n", argv[2]);
        return 2;
    }
    while (nq < MAXQ && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (line[0] && line[0] != '#')
            q[nq++] = strdup(line);
    }
    fclose(f);
    mr_store *st;
    marsad_error err;
    mr_store_opts so = {NULL, 1};
    if (mr_store_open(argv[1], &so, &st, &err) != MARSAD_OK) {
        fprintf(stderr, "bench_search: %s: %s\n", argv[1], err.message);
        return 2;
    }
    double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID),
           w0 = clock_s(CLOCK_MONOTONIC);
    if (mr_store_postings_build(st, &err) != MARSAD_OK) {
        fprintf(stderr, "bench_search: %s: %s\n", argv[1], err.message);
        return 1;
    }
    double bc = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0,
           bw = clock_s(CLOCK_MONOTONIC) - w0;
    char path[4096];
    snprintf(path, sizeof path, "%s-postings", argv[1]);
    struct stat sb;
    double bytes = stat(path, &sb) == 0 ? (double)sb.st_size : 0;
    /* measured as a process that opens the store finds it (marsad search,
     * a server): the build's memory and statements gone */
    mr_store_close(st);
    if (mr_store_open(argv[1], &so, &st, &err) != MARSAD_OK) {
        fprintf(stderr, "bench_search: %s: %s\n", argv[1], err.message);
        return 2;
    }
    if (!mr_store_postings_fresh(st)) {
        fprintf(stderr, "bench_search: the postings file is not used\n");
        return 1;
    }
    double *cpu = malloc(nq * RUNS * sizeof *cpu),
           *wall = malloc(nq * RUNS * sizeof *wall);
    if (!cpu || !wall)
        return 3;
    size_t nl = 0, matches = 0;
    for (int pass = 0; pass <= RUNS; pass++)
        for (size_t i = 0; i < nq; i++) {
            size_t hits = 0, total = 0;
            mr_search_opts o;
            memset(&o, 0, sizeof o);
            o.limit = 10;
            o.total = &total;
            double a = clock_s(CLOCK_PROCESS_CPUTIME_ID),
                   b = clock_s(CLOCK_MONOTONIC);
            if (mr_store_search(st, q[i], &o, count_hit, &hits, &err) !=
                MARSAD_OK) {
                fprintf(stderr, "bench_search: %s: %s\n", q[i], err.message);
                return 1;
            }
            double c = clock_s(CLOCK_PROCESS_CPUTIME_ID),
                   d = clock_s(CLOCK_MONOTONIC);
            if (pass == 0) {
                matches += total;
            } else {
                cpu[nl] = (c - a) * 1e6;
                wall[nl++] = (d - b) * 1e6;
            }
        }
    double c50 = pct(cpu, nl, 0.50), c95 = pct(cpu, nl, 0.95),
           c99 = pct(cpu, nl, 0.99);
    double w50 = pct(wall, nl, 0.50), w99 = pct(wall, nl, 0.99);
    printf("marsad: build %.2f s cpu (%.2f s wall), index %.0f bytes, %zu "
           "queries x %d runs, top 10: cpu p50 %.0f us p95 %.0f us p99 %.0f "
           "us (wall p50 %.0f us p99 %.0f us), hits %zu; BM25 as FTS5's, "
           "with snippets\n",
           bc, bw, bytes, nq, RUNS, c50, c95, c99, w50, w99, matches);
    mr_store_close(st);
    for (size_t i = 0; i < nq; i++)
        free(q[i]);
    free(cpu);
    free(wall);
    return 0;
}
