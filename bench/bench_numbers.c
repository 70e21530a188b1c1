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
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "text/numbers.h"

#define REPS 3

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char **docs;
static size_t *lens, ndocs, cap, total;

static void add(const char *s, size_t n)
{
    if (ndocs == cap) {
        cap = cap ? cap * 2 : 1024;
        docs = realloc(docs, cap * sizeof *docs);
        lens = realloc(lens, cap * sizeof *lens);
        if (!docs || !lens)
            exit(3);
    }
    docs[ndocs] = malloc(n + 1);
    if (!docs[ndocs])
        exit(3);
    memcpy(docs[ndocs], s, n);
    lens[ndocs++] = n;
    total += n;
}

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
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/corpus/ant-multisource/jsonl", argv[1]);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "bench_numbers: %s: cannot open\n", dir);
        return 3;
    }
    struct dirent *e;
    char *line = NULL;
    size_t lcap = 0;
    while ((e = readdir(d))) {
        size_t nl = strlen(e->d_name);
        if (nl < 6 || strcmp(e->d_name + nl - 6, ".jsonl") != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        while (getline(&line, &lcap, f) > 0) {
            json_object *o = json_tokener_parse(line), *t;
            if (o && json_object_object_get_ex(o, "text", &t))
                add(json_object_get_string(t), (size_t)json_object_get_string_len(t));
            json_object_put(o);
        }
        fclose(f);
    }
    free(line);
    closedir(d);
    mr_toks tv;
    memset(&tv, 0, sizeof tv);
    double best_tok = 1e30, best_all = 1e30;
    size_t found = 0;
    for (int r = 0; r < REPS; r++) {
        double t0 = now();
        for (size_t i = 0; i < ndocs; i++)
            mr_toks_build(&tv, docs[i], lens[i], MARSAD_TOKENIZE_NO_STEM);
        double t1 = now();
        found = 0;
        for (size_t i = 0; i < ndocs; i++) {
            mr_toks_build(&tv, docs[i], lens[i], MARSAD_TOKENIZE_NO_STEM);
            mr_numbers_find(&tv, docs[i], lens[i], count, &found);
        }
        double t2 = now();
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
