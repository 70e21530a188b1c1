/*
 * bench_text.c: speed of the text kernel over a real corpus (a benchmark,
 * not a test; run by `make bench` through bench/run.sh).
 *
 * Usage: bench_text SHARED_DIR
 *
 * Reads the article bodies ("text" of each JSON line) of the ANT
 * multi-source news corpus (SHARED/corpus/ant-multisource/jsonl/ *.jsonl)
 * and of SaudiNewsNet (SHARED/corpus/saudinewsnet/jsonl/ *.jsonl.gz, read
 * through zlib) into memory, then times, per article:
 *   kernel    mr_toks_build: UTF-8 decode + normalise + tokenise + stem,
 *             every form stored (what the layers above use);
 *   stream    the same through marsad_tokenizer_next (one fold buffer);
 *   snowball  Snowball's Arabic stemmer (libstemmer, "arabic", UTF-8) alone,
 *             on the same Arabic word tokens, original bytes;
 * and prints MB/s (corpus bytes), tokens/s, the ratio kernel/snowball and
 * the peak resident memory (getrusage), which includes the corpus itself.
 * Times are CPU time of the process, best of REPS runs per stage.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <json-c/json.h>
#include <libstemmer.h>
#include <zlib.h>

#include "text/text.h"

#define REPS 3 /* runs per stage; the best time is kept */

typedef struct corpus {
    char *text;
    size_t len, cap;
    size_t *doc; /* start offsets, ndocs + 1 entries */
    size_t ndocs, dcap;
} corpus;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID,
                  &ts); /* CPU time: the 2 cores are shared */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fputs("bench_text: out of memory\n", stderr);
        exit(3);
    }
    return q;
}

static void add_doc(corpus *c, const char *s, size_t n)
{
    if (c->len + n + 1 > c->cap) {
        c->cap = (c->len + n + 1) * 2;
        c->text = xrealloc(c->text, c->cap);
    }
    if (c->ndocs + 2 > c->dcap) {
        c->dcap = c->dcap ? c->dcap * 2 : 1024;
        c->doc = xrealloc(c->doc, c->dcap * sizeof *c->doc);
    }
    c->doc[c->ndocs++] = c->len;
    memcpy(c->text + c->len, s, n);
    c->len += n;
    c->text[c->len++] = '\n'; /* articles apart */
    c->doc[c->ndocs] = c->len;
}

/* Reads every JSON line of one (optionally gzipped) file. */
static void load_file(corpus *c, const char *path)
{
    gzFile f = gzopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench_text: %s: cannot open\n", path);
        return;
    }
    size_t cap = 1 << 20, n = 0;
    char *line = xrealloc(NULL, cap);
    for (;;) {
        if (!gzgets(f, line + n, (int)(cap - n))) {
            if (n == 0)
                break;
        } else {
            n += strlen(line + n);
            if (n > 0 && line[n - 1] != '\n' && !gzeof(f)) {
                if (cap - n < 2) {
                    cap *= 2;
                    line = xrealloc(line, cap);
                }
                continue;
            }
        }
        json_object *o = json_tokener_parse(line);
        json_object *t;
        if (o && json_object_object_get_ex(o, "text", &t) &&
            json_object_is_type(t, json_type_string)) {
            size_t tl = (size_t)json_object_get_string_len(t);
            if (tl)
                add_doc(c, json_object_get_string(t), tl);
        }
        json_object_put(o);
        n = 0;
        if (gzeof(f))
            break;
    }
    free(line);
    gzclose(f);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t load_dir(corpus *c, const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char **names = NULL;
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name), sl = strlen(suffix);
        if (l > sl && strcmp(e->d_name + l - sl, suffix) == 0) {
            names = xrealloc(names, (nn + 1) * sizeof *names);
            names[nn++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, nn, sizeof *names, cmp_str);
    for (size_t i = 0; i < nn; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        load_file(c, path);
        free(names[i]);
    }
    free(names);
    return nn;
}

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : getenv("MARSAD_SHARED");
    if (!shared)
        shared = "../shared";
    corpus c = {0};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/corpus/ant-multisource/jsonl", shared);
    size_t f1 = load_dir(&c, dir, ".jsonl");
    size_t d1 = c.ndocs;
    snprintf(dir, sizeof dir, "%s/corpus/saudinewsnet/jsonl", shared);
    size_t f2 = load_dir(&c, dir, ".jsonl.gz");
    if (c.ndocs == 0) {
        fprintf(stderr,
                "bench_text: no corpus under %s/corpus (ant-multisource, "
                "saudinewsnet)\n",
                shared);
        return 1;
    }
    double mb = (double)c.len / 1e6;
    printf("corpus: ANT multi-source (%zu files, %zu articles) + SaudiNewsNet "
           "(%zu files, %zu articles): %.1f MB of article text\n",
           f1, d1, f2, c.ndocs - d1, mb);

    /* kernel: mr_toks_build per article, one vector reused */
    /* each stage runs REPS times and keeps its best time (the machine is
     * shared; the best run is the one least disturbed) */
    mr_toks tv = {0};
    size_t tokens = 0, arabic = 0;
    double t0, t_kernel = 1e30, t_stream = 1e30, t_sb = 1e30;
    for (int rep = 0; rep < REPS; rep++) {
        tokens = 0;
        t0 = now();
        for (size_t i = 0; i < c.ndocs; i++) {
            if (mr_toks_build(&tv, c.text + c.doc[i], c.doc[i + 1] - c.doc[i],
                              0) != MARSAD_OK) {
                fputs("bench_text: mr_toks_build failed\n", stderr);
                return 3;
            }
            tokens += tv.n;
        }
        double t = now() - t0;
        if (t < t_kernel)
            t_kernel = t;
    }
    size_t vec_bytes = tv.cap * sizeof *tv.v + tv.buf_cap;

    /* stream: marsad_tokenizer_next */
    marsad_tokenizer *tk = NULL;
    if (marsad_tokenizer_new(&tk, 0) != MARSAD_OK)
        return 3;
    marsad_token tok;
    size_t stream_tokens = 0;
    for (int rep = 0; rep < REPS; rep++) {
        stream_tokens = 0;
        t0 = now();
        for (size_t i = 0; i < c.ndocs; i++) {
            marsad_tokenizer_reset(tk, c.text + c.doc[i],
                                   c.doc[i + 1] - c.doc[i]);
            while (marsad_tokenizer_next(tk, &tok))
                stream_tokens++;
        }
        double t = now() - t0;
        if (t < t_stream)
            t_stream = t;
    }
    marsad_tokenizer_free(tk);

    /* snowball on the same Arabic tokens (the tokenising is not timed) */
    struct sb_stemmer *sb = sb_stemmer_new("arabic", "UTF_8");
    if (!sb) {
        fputs("bench_text: Snowball has no Arabic stemmer\n", stderr);
        return 3;
    }
    size_t sb_bytes = 0, checksum = 0;
    for (int rep = 0; rep < REPS; rep++) {
        double t_run = 0;
        sb_bytes = 0;
        arabic = 0;
        for (size_t i = 0; i < c.ndocs; i++) {
            const char *d = c.text + c.doc[i];
            mr_toks_build(&tv, d, c.doc[i + 1] - c.doc[i],
                          MARSAD_TOKENIZE_NO_STEM);
            t0 = now();
            for (size_t k = 0; k < tv.n; k++) {
                if (tv.v[k].kind != MARSAD_TOK_ARABIC)
                    continue;
                int w = (int)(tv.v[k].end - tv.v[k].start);
                const sb_symbol *st = sb_stemmer_stem(
                    sb, (const sb_symbol *)(d + tv.v[k].start), w);
                checksum += st ? (size_t)sb_stemmer_length(sb) : 0;
                sb_bytes += (size_t)w;
                arabic++;
            }
            t_run += now() - t0;
        }
        if (t_run < t_sb)
            t_sb = t_run;
    }
    sb_stemmer_delete(sb);
    mr_toks_free(&tv);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("tokens: %zu (%zu Arabic words)\n", tokens, arabic);
    printf("%-42s %8.1f MB/s %8.2f M tokens/s  (%.2f s)\n",
           "marsad kernel (decode+normalise+tokenise+stem)", mb / t_kernel,
           (double)tokens / t_kernel / 1e6, t_kernel);
    printf("%-42s %8.1f MB/s %8.2f M tokens/s  (%.2f s)\n",
           "marsad streaming tokenizer (same work)", mb / t_stream,
           (double)stream_tokens / t_stream / 1e6, t_stream);
    printf("%-42s %8.1f MB/s %8.2f M tokens/s  (%.2f s; %.1f MB of words)\n",
           "Snowball arabic stemmer alone", mb / t_sb,
           (double)arabic / t_sb / 1e6, t_sb, (double)sb_bytes / 1e6);
    printf("ratio: marsad whole kernel is %.2fx Snowball stemming alone "
           "(target >= 3x)\n",
           t_sb / t_kernel);
    printf("memory: peak RSS %.1f MB (corpus in memory: %.1f MB; token vector "
           "at its largest: %.2f MB)\n",
           (double)ru.ru_maxrss / 1024.0, (double)c.cap / 1e6,
           (double)vec_bytes / 1e6);
    if (stream_tokens != tokens || checksum == 0)
        fputs("bench_text: warning: token counts differ\n", stderr);
    free(c.text);
    free(c.doc);
    return 0;
}
