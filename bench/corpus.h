/*
 * corpus.h: the ANT articles the kernel benchmarks run over, read once into
 * memory (bench programs only; header-only, so each program stays one file).
 *
 *   bench_docs d = {0};
 *   bench_load_ant(&d, shared_dir, every, "bench_x");
 *
 * reads the `text` of every every-th line of SHARED/corpus/ant-multisource/
 * jsonl/ (its .jsonl files, in name order). Exits 3 when the folder is missing or
 * memory runs out (a benchmark has nothing to measure then).
 */
#ifndef MARSAD_BENCH_CORPUS_H
#define MARSAD_BENCH_CORPUS_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

typedef struct bench_docs {
    char **docs;
    size_t *lens, n, cap, total; /* total: bytes of text */
} bench_docs;

/* CPU seconds of this process. */
static inline double bench_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline void bench_docs_add(bench_docs *d, const char *s, size_t n)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 1024;
        d->docs = realloc(d->docs, d->cap * sizeof *d->docs);
        d->lens = realloc(d->lens, d->cap * sizeof *d->lens);
        if (!d->docs || !d->lens)
            exit(3);
    }
    d->docs[d->n] = malloc(n + 1);
    if (!d->docs[d->n])
        exit(3);
    memcpy(d->docs[d->n], s, n);
    d->docs[d->n][n] = 0;
    d->lens[d->n++] = n;
    d->total += n;
}

static inline int bench_cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline void bench_load_ant(bench_docs *d, const char *shared,
                                  long every, const char *prog)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/corpus/ant-multisource/jsonl", shared);
    DIR *dh = opendir(dir);
    if (!dh) {
        fprintf(stderr, "%s: %s: cannot open\n", prog, dir);
        exit(3);
    }
    char **names = NULL;
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        size_t nl = strlen(e->d_name);
        if (nl < 6 || strcmp(e->d_name + nl - 6, ".jsonl") != 0)
            continue;
        names = realloc(names, (nn + 1) * sizeof *names);
        if (!names || !(names[nn] = strdup(e->d_name)))
            exit(3);
        nn++;
    }
    closedir(dh);
    qsort(names, nn, sizeof *names, bench_cmp_name);
    char *line = NULL;
    size_t lcap = 0;
    long k = 0;
    for (size_t i = 0; i < nn; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "r");
        while (f && getline(&line, &lcap, f) > 0) {
            if (k++ % every)
                continue;
            json_object *o = json_tokener_parse(line), *t;
            if (o && json_object_object_get_ex(o, "text", &t))
                bench_docs_add(d, json_object_get_string(t),
                               (size_t)json_object_get_string_len(t));
            json_object_put(o);
        }
        if (f)
            fclose(f);
        free(names[i]);
    }
    free(names);
    free(line);
}

#endif
