/*
 * bench_numbers.c: speed of the number reader over a real corpus (a
 * benchmark, not a test; run by `make bench` through bench/run.sh).
 *
 * Usage: bench_numbers SHARED_DIR
 *
 * Reads the article bodies ("text") of SHARED/corpus/ant-multisource/jsonl
 * and times, per article, (a) mr_toks_build alone and (b) mr_toks_build
 * followed by mr_numbers_find; prints MB/s of each, the reader's own share,
 * and expressions per MB. CPU time, best of REPS runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "corpus.h"
#include "text/numbers.h"

#define REPS 3

static int count(const mr_number *m, void *ctx)
{
    (void)m;
    (*(size_t *)ctx)++;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_numbers SHARED_DIR\n");
        return 2;
    }
    bench_docs d = {0};
    bench_load_ant(&d, argv[1], 1, "bench_numbers");
    char **docs = d.docs;
    size_t *lens = d.lens, ndocs = d.n, total = d.total;
    mr_toks tv;
    memset(&tv, 0, sizeof tv);
    double best_tok = 1e30, best_all = 1e30;
    size_t found = 0;
    for (int r = 0; r < REPS; r++) {
        double t0 = bench_cpu_now();
        for (size_t i = 0; i < ndocs; i++)
            mr_toks_build(&tv, docs[i], lens[i], MARSAD_TOKENIZE_NO_STEM);
        double t1 = bench_cpu_now();
        found = 0;
        for (size_t i = 0; i < ndocs; i++) {
            mr_toks_build(&tv, docs[i], lens[i], MARSAD_TOKENIZE_NO_STEM);
            mr_numbers_find(&tv, docs[i], lens[i], count, &found);
        }
        double t2 = bench_cpu_now();
        if (t1 - t0 < best_tok)
            best_tok = t1 - t0;
        if (t2 - t1 < best_all)
            best_all = t2 - t1;
    }
    double mb = (double)total / 1e6;
    printf("   numbers: %zu articles, %.1f MB, %zu expressions (%.0f per MB)\n",
           ndocs, mb, found, (double)found / mb);
    printf("   tokenise alone %.1f MB/s; tokenise + numbers %.1f MB/s; "
           "numbers alone %.1f MB/s\n",
           mb / best_tok, mb / best_all,
           best_all > best_tok ? mb / (best_all - best_tok) : 0.0);
    mr_toks_free(&tv);
    for (size_t i = 0; i < ndocs; i++)
        free(docs[i]);
    free(docs);
    free(lens);
    return 0;
}
