/*
 * bench_link.c: the link stage over real corpora (a benchmark, not a test;
 * run by `make bench` through bench/run.sh).
 *
 * Usage: bench_link SHARED_DIR PERCENT[d]
 *        bench_link SHARED_DIR eval
 *
 * PERCENT: reads ant-multisource/jsonl and saudinewsnet/jsonl, keeps
 * PERCENT % of the reports (every report whose index i has
 * (i * 37) % 100 < PERCENT, so the sample is spread over all files; with
 * a d after it, PERCENT % of the days instead: every report of a day whose
 * date hashes below PERCENT, so each kept day is as dense as in the whole
 * corpus, as in an archive that grows by days; a report without a date
 * by its index as before), and
 * times, in process CPU seconds (the wall clock too, for the total): doc build (tokens, shingles, MinHash, terms),
 * near-duplicates (LSH + exact Jaccard), story clustering, and reuse
 * (passage alignment of near-duplicate and same-story pairs). Prints the
 * counts, the seconds per stage, reports/s and the peak resident memory of
 * the process (ingest included; texts are kept for the passages).
 *
 * eval: the near-duplicate check of docs/link.md over the ANT reports of
 * 2018-04: positives are the pairs with equal normalised text (ANT files
 * the same article under two ids) plus edited copies of 300 articles made
 * here (a share of the words dropped, replaced or inserted); every other
 * pair is a negative. Prints precision and recall of mr_link_near_dups
 * per edit rate, and the other pairs it finds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ingest/ingest.h"
#include "link/link.h"

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Process CPU time: the machine is shared, so stages are timed on it. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct rep {
    char *id, *published, *text, *title;
    size_t len;
    char hash[17];
    int copy_of;   /* eval: index of the original, -1 */
    int edit_rate; /* eval: percent */
} rep;

static rep *R;
static size_t nR, capR;

static int keep_pct = 100;
static int by_days; /* keep PERCENT % of the days, not of the reports */

/* A day's place in 0..99 (FNV-1a of YYYY-MM-DD), for by_days. */
static int day_pct(const char *published)
{
    uint32_t h = 2166136261u;
    for (size_t k = 0; k < 10 && published[k]; k++)
        h = (h ^ (unsigned char)published[k]) * 16777619u;
    return (int)(h % 100);
}
static size_t seen;

static int take(mr_report *r, void *ctx)
{
    (void)ctx;
    size_t i = seen++;
    if (by_days && r->published && strlen(r->published) >= 10) {
        if (day_pct(r->published) >= keep_pct)
            return 0;
    } else if ((int)((i * 37) % 100) >= keep_pct)
        return 0;
    if (nR == capR) {
        capR = capR ? capR * 2 : 4096;
        R = realloc(R, capR * sizeof *R);
        if (!R)
            return 1;
    }
    rep *x = &R[nR++];
    memset(x, 0, sizeof *x);
    x->id = r->source_id ? r->source_id : r->id;
    if (x->id == r->source_id)
        r->source_id = NULL;
    else
        r->id = NULL;
    x->published = r->published;
    x->text = r->text;
    x->title = r->title;
    x->len = r->text_len;
    x->copy_of = -1;
    r->published = r->text = r->title = NULL;
    return 0;
}

static void read_dir(const char *path)
{
    mr_ingest *it;
    if (mr_ingest_open(&path, 1, NULL, &it) != MARSAD_OK)
        return;
    mr_report r;
    memset(&r, 0, sizeof r);
    marsad_status rc;
    while ((rc = mr_ingest_next(it, &r, NULL)) != MR_INGEST_DONE) {
        if (rc == MARSAD_OK) {
            take(&r, NULL);
            mr_report_clear(&r);
        } else if (rc == MARSAD_E_NOMEM)
            break;
    }
    mr_ingest_close(it);
}

static long peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static int run_pct(const char *shared, int pct)
{
    char p1[4096], p2[4096];
    snprintf(p1, sizeof p1, "%s/corpus/ant-multisource/jsonl", shared);
    snprintf(p2, sizeof p2, "%s/corpus/saudinewsnet/jsonl", shared);
    keep_pct = pct;
    double t0 = now();
    read_dir(p1);
    read_dir(p2);
    double t_ingest = now() - t0;
    size_t bytes = 0;
    for (size_t i = 0; i < nR; i++)
        bytes += R[i].len;

    mr_link_params p;
    mr_link_params_default(&p);
    mr_link_doc *docs = calloc(nR ? nR : 1, sizeof *docs);
    const char **ids = calloc(nR ? nR : 1, sizeof *ids);
    double w0 = wall();
    t0 = now();
    for (size_t i = 0; i < nR; i++) {
        ids[i] = R[i].id;
        mr_link_doc_build(&docs[i], R[i].text, R[i].len, R[i].title,
                          R[i].title ? strlen(R[i].title) : 0, &p);
    }
    double t_doc = now() - t0;
    t0 = now();
    mr_link_pair *nd;
    size_t nnd;
    mr_link_near_dups(docs, nR, &p, &nd, &nnd);
    double t_nd = now() - t0;
    t0 = now();
    mr_cluster *c;
    mr_cluster_new(&c, &p);
    for (size_t i = 0; i < nR; i++)
        mr_cluster_add(c, R[i].id, R[i].published, &docs[i], NULL, 0);
    mr_cluster_run(c);
    double t_cl = now() - t0;
    size_t big = 0;
    for (size_t s = 0; s < mr_cluster_nstories(c); s++) {
        mr_story_info si;
        mr_cluster_story(c, s, &si);
        if (si.nreports > 1)
            big++;
    }
    t0 = now();
    mr_reuse *ru;
    size_t nru;
    mr_link_reuse(docs, nR, c, ids, &p, &ru, &nru);
    double t_ru = now() - t0;
    size_t nps = 0;
    for (size_t i = 0; i < nru; i++)
        nps += ru[i].npassages;
    double total = t_doc + t_nd + t_cl + t_ru, w_total = wall() - w0;
    printf("  %3d%% %6zu reports %6.1f MB | build %5.2f s  near-dup %5.2f s "
           "(%zu pairs)  stories %5.2f s (%zu, %zu with 2+)  passages %5.2f s "
           "(%zu pairs, %zu passages) | link %6.2f s CPU (%6.2f s wall), "
           "%6.0f reports/s | ingest %5.2f s | peak %ld MB\n",
           pct, nR, (double)bytes / 1e6, t_doc, t_nd, nnd, t_cl,
           mr_cluster_nstories(c), big, t_ru, nru, nps, total, w_total,
           total > 0 ? (double)nR / total : 0, t_ingest, peak_mb());
    mr_reuse_free(ru, nru);
    free(nd);
    mr_cluster_free(c);
    for (size_t i = 0; i < nR; i++)
        mr_link_doc_free(&docs[i]);
    free(docs);
    free(ids);
    return 0;
}

/* ------------------------------------------------------------------ eval */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* An edited copy of t: each word is, with probability rate %, dropped,
 * replaced by a word from elsewhere in the text, or followed by one. */
static char *edit_copy(const char *t, size_t len, int rate, size_t *olen)
{
    char *out = malloc(len * 2 + 16);
    size_t o = 0;
    size_t i = 0;
    while (i < len) {
        size_t s = i;
        while (i < len && t[i] != ' ')
            i++;
        size_t e = i;
        while (i < len && t[i] == ' ')
            i++;
        if ((int)(next_rand() % 100) < rate) {
            unsigned what = (unsigned)(next_rand() % 3);
            /* a word from a random place */
            size_t r = (size_t)(next_rand() % (len ? len : 1));
            while (r < len && t[r] != ' ')
                r++;
            while (r < len && t[r] == ' ')
                r++;
            size_t re = r;
            while (re < len && t[re] != ' ')
                re++;
            if (what == 0)
                continue; /* drop */
            if (what == 2) {
                memcpy(out + o, t + s, e - s);
                o += e - s;
                out[o++] = ' ';
            }
            if (re - r < len - o) {
                memcpy(out + o, t + r, re - r);
                o += re - r;
                out[o++] = ' ';
            }
            continue;
        }
        memcpy(out + o, t + s, e - s);
        o += e - s;
        out[o++] = ' ';
    }
    *olen = o;
    return out;
}

static int run_eval(const char *shared)
{
    static const char *files[] = {"Alarabia", "BBC", "CNN", "France24",
                                  "SkyNews"};
    keep_pct = 100;
    for (size_t f = 0; f < 5; f++) {
        char path[4096];
        snprintf(path, sizeof path,
                 "%s/corpus/ant-multisource/jsonl/%s_2018-04.jsonl", shared,
                 files[f]);
        read_dir(path);
    }
    size_t norig = nR;
    for (size_t i = 0; i < norig; i++)
        mr_text_hash(R[i].text, R[i].len, R[i].hash);
    static const int rates[] = {5, 10, 20, 30};
    size_t per_rate = 75;
    for (size_t k = 0; k < 4; k++)
        for (size_t j = 0; j < per_rate; j++) {
            size_t src = (size_t)(next_rand() % norig);
            if (R[src].len < 400) {
                j--;
                continue;
            }
            if (nR == capR) {
                capR *= 2;
                R = realloc(R, capR * sizeof *R);
            }
            rep *x = &R[nR];
            memset(x, 0, sizeof *x);
            char buf[64];
            snprintf(buf, sizeof buf, "copy-%d-%zu", rates[k], j);
            x->id = strdup(buf);
            x->text = edit_copy(R[src].text, R[src].len, rates[k], &x->len);
            x->copy_of = (int)src;
            x->edit_rate = rates[k];
            nR++;
        }
    mr_link_params p;
    mr_link_params_default(&p);
    /* overrides, for choosing the defaults by hand */
    const char *e;
    if ((e = getenv("LINK_K")))
        p.shingle_k = (unsigned)atoi(e);
    if ((e = getenv("LINK_H")))
        p.num_hashes = (unsigned)atoi(e);
    if ((e = getenv("LINK_B")))
        p.bands = (unsigned)atoi(e);
    if ((e = getenv("LINK_ND")))
        p.near_dup = atof(e);
    if ((e = getenv("LINK_CAND")))
        p.candidate = atof(e);
    mr_link_doc *docs = calloc(nR, sizeof *docs);
    for (size_t i = 0; i < nR; i++)
        mr_link_doc_build(&docs[i], R[i].text, R[i].len, NULL, 0, &p);
    /* positives: equal text hashes among originals, and copy/original */
    size_t pos_dup = 0;
    for (size_t i = 0; i < norig; i++)
        for (size_t j = i + 1; j < norig; j++)
            pos_dup += strcmp(R[i].hash, R[j].hash) == 0;
    mr_link_pair *nd;
    size_t nnd;
    mr_link_near_dups(docs, nR, &p, &nd, &nnd);
    size_t tp_dup = 0, tp_copy[4] = {0}, other = 0, other_same_outlet_day = 0;
    for (size_t k = 0; k < nnd; k++) {
        size_t a = nd[k].a, b = nd[k].b;
        if (b >= norig) {
            if (R[b].copy_of == (int)a || (a < norig && strcmp(R[a].hash, R[R[b].copy_of].hash) == 0)) {
                for (size_t r = 0; r < 4; r++)
                    tp_copy[r] += R[b].edit_rate == rates[r] && R[b].copy_of == (int)a;
                continue;
            }
            if (a >= norig && R[a].copy_of == R[b].copy_of)
                continue; /* two copies of one article: true, not counted */
            other++;
            continue;
        }
        if (strcmp(R[a].hash, R[b].hash) == 0) {
            tp_dup++;
            continue;
        }
        other++;
        if (R[a].published && R[b].published &&
            strncmp(R[a].published, R[b].published, 10) == 0)
            other_same_outlet_day++;
        if (other <= 8)
            printf("    other pair: %s %s J=%.2f\n", R[a].id, R[b].id,
                   nd[k].jaccard);
    }
    printf("  near-duplicates (k=%u, %u hashes, %u bands, Jaccard >= %.2f) "
           "over %zu ANT reports of 2018-04 + %zu edited copies:\n",
           p.shingle_k, p.num_hashes, p.bands, p.near_dup, norig,
           nR - norig);
    printf("    exact duplicates (equal normalised text): recall %zu/%zu\n",
           tp_dup, pos_dup);
    for (size_t r = 0; r < 4; r++)
        printf("    copies with %2d%% of words edited: recall %zu/%zu\n",
               rates[r], tp_copy[r], per_rate);
    size_t tp = tp_dup + tp_copy[0] + tp_copy[1] + tp_copy[2] + tp_copy[3];
    printf("    pairs found %zu: labelled true %zu, other %zu (same day %zu) "
           "-> precision >= %.3f\n",
           nnd, tp, other, other_same_outlet_day,
           nnd ? (double)(nnd - other) / (double)nnd : 1.0);
    free(nd);
    for (size_t i = 0; i < nR; i++)
        mr_link_doc_free(&docs[i]);
    free(docs);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_link SHARED_DIR PERCENT[d]|eval\n");
        return 2;
    }
    if (strcmp(argv[2], "eval") == 0)
        return run_eval(argv[1]);
    by_days = strchr(argv[2], 'd') != NULL;
    return run_pct(argv[1], atoi(argv[2]));
}
