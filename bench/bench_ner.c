/*
 * bench_ner.c: speed of the trained name tagger (src/extract/ner.h) over a
 * real corpus (a benchmark, not a test; run by `make bench` through
 * bench/run.sh).
 *
 * Usage: bench_ner SHARED_DIR [EVERY]
 *
 * Reads the article bodies ("text") of SHARED/corpus/ant-multisource/jsonl
 * (every EVERY-th article, 1 = all; default 4) and times, per article, in
 * CPU time of the process:
 *   rules     mr_toks_build + the entity rules (mr_extract_entities);
 *   tagger    the same + mr_extract_ner: the tagger alone is the
 *             difference, printed as tokens per second (goal: >= 100,000
 *             per core, issue 16);
 *   facts     mr_extract without opts.ner, then with it: the whole
 *             facts stage's cost of the tagger in per cent (goal: <= 15).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "extract/extract.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char **docs;
static size_t *lens, ndocs, cap;

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
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads every `every`-th article of the directory's .jsonl files, in name
 * order. */
static void load(const char *dir, long every)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "bench_ner: %s: cannot open\n", dir);
        exit(3);
    }
    char **names = NULL;
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t nl = strlen(e->d_name);
        if (nl < 6 || strcmp(e->d_name + nl - 6, ".jsonl") != 0)
            continue;
        names = realloc(names, (nn + 1) * sizeof *names);
        if (!names)
            exit(3);
        names[nn++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, nn, sizeof *names, cmp_name);
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
                add(json_object_get_string(t),
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

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bench_ner SHARED_DIR [EVERY]\n");
        return 2;
    }
    long every = argc == 3 ? atol(argv[2]) : 4;
    if (every < 1)
        every = 1;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/corpus/ant-multisource/jsonl", argv[1]);
    load(dir, every);
    mr_facts f;
    memset(&f, 0, sizeof f);
    size_t tokens = 0, names = 0, rule_names = 0;
    double t0 = now();
    for (size_t i = 0; i < ndocs; i++) {
        f.entities.n = 0;
        mr_toks_build(&f.toks, docs[i], lens[i], 0);
        mr_extract_entities(docs[i], lens[i], &f);
        tokens += f.toks.n;
        rule_names += f.entities.n;
    }
    double t1 = now();
    for (size_t i = 0; i < ndocs; i++) {
        f.entities.n = 0;
        mr_toks_build(&f.toks, docs[i], lens[i], 0);
        mr_extract_entities(docs[i], lens[i], &f);
        mr_extract_ner(docs[i], lens[i], &f);
        names += f.entities.n;
    }
    double t2 = now();
    mr_extract_opts rules = {NULL, NULL, false, false}, model = {NULL, NULL, false, true};
    for (size_t i = 0; i < ndocs; i++)
        mr_extract(docs[i], lens[i], &rules, &f);
    double t3 = now();
    for (size_t i = 0; i < ndocs; i++)
        mr_extract(docs[i], lens[i], &model, &f);
    double t4 = now();
    double tag = t2 - t1 - (t1 - t0);
    printf("   ner: %zu articles (every %ld), %zu tokens; entities %zu by the "
           "rules, %zu with the tagger\n", ndocs, every, tokens, rule_names, names);
    printf("   rules %.0f tokens/s; rules + tagger %.0f tokens/s; tagger alone "
           "%.0f tokens/s\n", (double)tokens / (t1 - t0),
           (double)tokens / (t2 - t1), tag > 0 ? (double)tokens / tag : 0.0);
    printf("   facts stage (mr_extract): rules only %.2f s, with the tagger "
           "%.2f s (%+.1f %%)\n", t3 - t2, t4 - t3,
           100.0 * ((t4 - t3) / (t3 - t2) - 1.0));
    mr_facts_free(&f);
    for (size_t i = 0; i < ndocs; i++)
        free(docs[i]);
    free(docs);
    free(lens);
    return 0;
}
