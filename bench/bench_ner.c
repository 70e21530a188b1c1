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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "corpus.h"
#include "extract/extract.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bench_ner SHARED_DIR [EVERY]\n");
        return 2;
    }
    long every = argc == 3 ? atol(argv[2]) : 4;
    if (every < 1)
        every = 1;
    bench_docs d = {0};
    bench_load_ant(&d, argv[1], every, "bench_ner");
    char **docs = d.docs;
    size_t *lens = d.lens, ndocs = d.n;
    mr_facts f;
    memset(&f, 0, sizeof f);
    size_t tokens = 0, names = 0, rule_names = 0;
    double t0 = bench_cpu_now();
    for (size_t i = 0; i < ndocs; i++) {
        f.entities.n = 0;
        mr_toks_build(&f.toks, docs[i], lens[i], 0);
        mr_extract_entities(docs[i], lens[i], &f);
        tokens += f.toks.n;
        rule_names += f.entities.n;
    }
    double t1 = bench_cpu_now();
    for (size_t i = 0; i < ndocs; i++) {
        f.entities.n = 0;
        mr_toks_build(&f.toks, docs[i], lens[i], 0);
        mr_extract_entities(docs[i], lens[i], &f);
        mr_extract_ner(docs[i], lens[i], &f);
        names += f.entities.n;
    }
    double t2 = bench_cpu_now();
    mr_extract_opts rules = {NULL, NULL, false, false}, model = {NULL, NULL, false, true};
    for (size_t i = 0; i < ndocs; i++)
        mr_extract(docs[i], lens[i], &rules, &f);
    double t3 = bench_cpu_now();
    for (size_t i = 0; i < ndocs; i++)
        mr_extract(docs[i], lens[i], &model, &f);
    double t4 = bench_cpu_now();
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
