/*
 * eval: scores `marsad facts --json` on the seeds against the gold labels.
 *
 *   eval --bin build/marsad --shared ../shared
 *
 * For every seed (SHARED/seeds/NAME.txt) it runs BIN facts --json with the
 * publication date the gold infers (SHARED/gold/README.md, "Publication
 * dates inferred"), then matches predictions to gold records one to one
 * (greedy, in gold order) and prints precision, recall and F1 per kind and
 * per level of agreement:
 *   figures   span overlap; + value + qualifier; each field alone on top of
 *             that; the full tuple (+ category + side + event + source)
 *   dates     span overlap; + resolved value (gold value, else its "needs")
 *   entities  exact span + kind; exact span + canonical
 *   sources   span overlap; + speaker; + cue; + covers; + via
 * Strings are compared after marsad_normalize (hamza, taa marbuta, harakat).
 * Exit 0 when it ran, 1 on a missing input or a failed run.
 */
#include <ctype.h>
#include <dirent.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "marsad.h"

#define MAXDOC 64

typedef struct doc {
    char name[256];
    char published[32];
    json_object *pred; /* the NDJSON object */
} doc;

static doc docs[MAXDOC];
static int ndocs;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(((const doc *)a)->name, ((const doc *)b)->name);
}

/* ------------------------------------------------------- helpers */

static const char *js(json_object *o, const char *k)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, k, &v) || !v ||
        json_object_get_type(v) != json_type_string)
        return NULL;
    return json_object_get_string(v);
}

static long ji(json_object *o, const char *k)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, k, &v) || !v)
        return -1;
    return (long)json_object_get_int64(v);
}

static json_object *jo(json_object *o, const char *k)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, k, &v))
        return NULL;
    return v;
}

/* Both NULL, or equal after normalisation. */
static int seq(const char *a, const char *b)
{
    if (!a || !b)
        return !a && !b;
    char x[2048], y[2048];
    size_t n = marsad_normalize(a, strlen(a), x, sizeof x, 0);
    size_t m = marsad_normalize(b, strlen(b), y, sizeof y, 0);
    if (n >= sizeof x || m >= sizeof y)
        return strcmp(a, b) == 0;
    /* ignore a leading article and spaces at the edges */
    const char *p = x, *q = y;
    if (n > 4 && memcmp(p, "\xd8\xa7\xd9\x84", 4) == 0 && !(m > 4 && memcmp(q, "\xd8\xa7\xd9\x84", 4) == 0)) {
        p += 4;
        n -= 4;
    }
    if (m > 4 && memcmp(q, "\xd8\xa7\xd9\x84", 4) == 0 && !(x[0] == '\xd8' && n + 4 <= sizeof x && memcmp(x, "\xd8\xa7\xd9\x84", 4) == 0)) {
        q += 4;
        m -= 4;
    }
    return n == m && memcmp(p, q, n) == 0;
}

static int num_eq(json_object *a, json_object *b)
{
    int an = !a || json_object_get_type(a) == json_type_null;
    int bn = !b || json_object_get_type(b) == json_type_null;
    if (an || bn)
        return an && bn;
    double x = json_object_get_double(a), y = json_object_get_double(b);
    return fabs(x - y) <= 1e-6 * (fabs(x) + fabs(y) + 1);
}

static int value_eq(json_object *g, json_object *p)
{
    json_object *gv = jo(g, "value"), *pv = jo(p, "value");
    return num_eq(jo(gv, "min"), jo(pv, "min")) && num_eq(jo(gv, "max"), jo(pv, "max"));
}

static int overlap(json_object *g, json_object *p)
{
    long gs = ji(g, "start"), ge = ji(g, "end"), ps = ji(p, "start"), pe = ji(p, "end");
    return gs < pe && ps < ge;
}

static int exact(json_object *g, json_object *p)
{
    return ji(g, "start") == ji(p, "start") && ji(g, "end") == ji(p, "end");
}

/* ------------------------------------------------------- scoring */

typedef int (*match_fn)(json_object *g, json_object *p, json_object *pdoc);

typedef struct score {
    long gold, pred, tp;
} score;

static score run_level(json_object **gold, int ng, const char *kind,
                       match_fn fn)
{
    score s = {0, 0, 0};
    for (int d = 0; d < ndocs; d++) {
        json_object *arr = jo(docs[d].pred, kind);
        size_t np = arr ? json_object_array_length(arr) : 0;
        s.pred += (long)np;
        char *used = calloc(np + 1, 1);
        for (int k = 0; k < ng; k++) {
            if (strcmp(js(gold[k], "doc"), docs[d].name) != 0)
                continue;
            for (size_t i = 0; i < np; i++) {
                json_object *p = json_object_array_get_idx(arr, i);
                if (!used[i] && fn(gold[k], p, docs[d].pred)) {
                    used[i] = 1;
                    s.tp++;
                    break;
                }
            }
        }
        free(used);
    }
    for (int k = 0; k < ng; k++)
        for (int d = 0; d < ndocs; d++)
            if (strcmp(js(gold[k], "doc"), docs[d].name) == 0)
                s.gold++;
    return s;
}

static void print_row(const char *kind, const char *level, score s)
{
    double p = s.pred ? (double)s.tp / (double)s.pred : 0;
    double r = s.gold ? (double)s.tp / (double)s.gold : 0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    printf("%-9s %-34s %5ld %5ld %5ld  %5.3f  %5.3f  %5.3f\n", kind, level,
           s.gold, s.pred, s.tp, p, r, f);
}

/* figures */
static int f_span(json_object *g, json_object *p, json_object *d) { (void)d; return overlap(g, p); }
static int f_svq(json_object *g, json_object *p, json_object *d)
{
    (void)d;
    return overlap(g, p) && value_eq(g, p) && seq(js(g, "qualifier"), js(p, "qualifier"));
}
static int f_cat(json_object *g, json_object *p, json_object *d) { return f_svq(g, p, d) && seq(js(g, "category"), js(p, "category")); }
static int f_cnt(json_object *g, json_object *p, json_object *d) { return f_svq(g, p, d) && seq(js(g, "counted"), js(p, "counted")); }
static int f_side(json_object *g, json_object *p, json_object *d) { return f_svq(g, p, d) && seq(js(g, "side"), js(p, "side")); }
static int f_event(json_object *g, json_object *p, json_object *d) { return f_svq(g, p, d) && seq(js(g, "event"), js(p, "event")); }
static int f_src(json_object *g, json_object *p, json_object *d) { return f_svq(g, p, d) && seq(js(g, "source"), js(p, "source")); }
static int f_part(json_object *g, json_object *p, json_object *d)
{
    if (!f_svq(g, p, d))
        return 0;
    const char *gt = js(g, "part_of");
    long pi = ji(p, "part_of");
    json_object *figs = jo(d, "figures");
    const char *pt = NULL;
    if (pi >= 0 && figs && (size_t)pi < json_object_array_length(figs))
        pt = js(json_object_array_get_idx(figs, (size_t)pi), "text");
    return seq(gt, pt);
}
static int f_full(json_object *g, json_object *p, json_object *d)
{
    return f_cat(g, p, d) && f_side(g, p, d) && f_event(g, p, d) && f_src(g, p, d);
}

/* dates */
static int d_span(json_object *g, json_object *p, json_object *d) { (void)d; return overlap(g, p); }
static int d_value(json_object *g, json_object *p, json_object *d)
{
    (void)d;
    const char *gv = js(g, "value");
    if (!gv)
        gv = js(g, "needs");
    const char *pv = js(p, "value");
    if (!gv) /* vague: only the span can agree */
        return overlap(g, p) && !pv;
    return overlap(g, p) && pv && strcmp(gv, pv) == 0;
}

/* entities */
static int e_kind(json_object *g, json_object *p, json_object *d) { (void)d; return exact(g, p) && seq(js(g, "kind"), js(p, "kind")); }
static int e_canon(json_object *g, json_object *p, json_object *d) { (void)d; return exact(g, p) && seq(js(g, "canonical"), js(p, "canonical")); }
static int e_overlap(json_object *g, json_object *p, json_object *d) { (void)d; return overlap(g, p) && seq(js(g, "kind"), js(p, "kind")); }

/* sources */
static int s_span(json_object *g, json_object *p, json_object *d) { (void)d; return overlap(g, p); }
static int s_spk(json_object *g, json_object *p, json_object *d) { (void)d; return overlap(g, p) && seq(js(g, "speaker"), js(p, "speaker")); }
static int s_cue(json_object *g, json_object *p, json_object *d) { return s_spk(g, p, d) && seq(js(g, "cue"), js(p, "cue")); }
static int s_cov(json_object *g, json_object *p, json_object *d) { return s_spk(g, p, d) && seq(js(g, "covers"), js(p, "covers")); }
static int s_via(json_object *g, json_object *p, json_object *d) { return s_spk(g, p, d) && seq(js(g, "via"), js(p, "via")); }

/* ------------------------------------------------------- inputs */

static int load_gold(const char *path, json_object ***out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "eval: %s: cannot open\n", path);
        return -1;
    }
    int n = 0, cap = 64;
    json_object **v = malloc(sizeof *v * (size_t)cap);
    char *line = NULL;
    size_t lc = 0;
    while (getline(&line, &lc, f) > 0) {
        json_object *o = json_tokener_parse(line);
        if (!o)
            continue;
        if (n == cap) {
            cap *= 2;
            v = realloc(v, sizeof *v * (size_t)cap);
        }
        v[n++] = o;
    }
    free(line);
    fclose(f);
    *out = v;
    return n;
}

static const char *const months[] = {"January", "February", "March", "April",
                                     "May", "June", "July", "August",
                                     "September", "October", "November",
                                     "December"};

/* The seed's inferred publication date from the README table. */
static void published_for(const char *readme, const char *seed, char *out)
{
    out[0] = 0;
    FILE *f = fopen(readme, "r");
    if (!f)
        return;
    char line[1024], key[16];
    snprintf(key, sizeof key, "| %.3s |", seed);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, strlen(key)) != 0)
            continue;
        const char *cell = line + strlen(key);
        for (const char *p = cell; *p && *p != '|'; p++)
            if (isdigit((unsigned char)p[0]) && strlen(p) >= 10 && p[4] == '-' &&
                p[7] == '-') {
                snprintf(out, 11, "%s", p);
                fclose(f);
                return;
            }
        /* "late March 2022" */
        for (int m = 0; m < 12; m++) {
            const char *p = strstr(cell, months[m]);
            if (!p)
                continue;
            const char *y = p + strlen(months[m]);
            while (*y == ' ')
                y++;
            if (isdigit((unsigned char)*y)) {
                int day = strstr(cell, "late") && strstr(cell, "late") < p ? 28
                          : strstr(cell, "mid") && strstr(cell, "mid") < p ? 15
                                                                             : 1;
                snprintf(out, 32, "%.4s-%02d-%02d", y, m + 1, day);
                break;
            }
        }
        break;
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    const char *bin = NULL, *shared = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--bin") == 0)
            bin = argv[i + 1];
        else if (strcmp(argv[i], "--shared") == 0)
            shared = argv[i + 1];
    }
    if (!bin || !shared) {
        fprintf(stderr, "usage: eval --bin MARSAD --shared SHARED_DIR\n");
        return 1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/seeds", shared);
    DIR *dir = opendir(path);
    if (!dir) {
        fprintf(stderr, "eval: %s: missing (the shared seeds beside the checkout)\n", path);
        return 1;
    }
    struct dirent *de;
    while ((de = readdir(dir)) && ndocs < MAXDOC) {
        size_t l = strlen(de->d_name);
        if (l > 4 && strcmp(de->d_name + l - 4, ".txt") == 0)
            snprintf(docs[ndocs++].name, sizeof docs[0].name, "%s", de->d_name);
    }
    closedir(dir);
    qsort(docs, (size_t)ndocs, sizeof docs[0], cmp_str);
    char readme[4096];
    snprintf(readme, sizeof readme, "%s/gold/README.md", shared);
    for (int d = 0; d < ndocs; d++) {
        published_for(readme, docs[d].name, docs[d].published);
        char cmd[8192];
        snprintf(cmd, sizeof cmd, "'%s' facts --json %s%s '%s/seeds/%s'", bin,
                 docs[d].published[0] ? "--published " : "", docs[d].published,
                 shared, docs[d].name);
        FILE *p = popen(cmd, "r");
        if (!p) {
            fprintf(stderr, "eval: cannot run %s\n", cmd);
            return 1;
        }
        char *line = NULL;
        size_t lc = 0;
        ssize_t got = getline(&line, &lc, p);
        int st = pclose(p);
        if (got <= 0 || st != 0 || !(docs[d].pred = json_tokener_parse(line))) {
            fprintf(stderr, "eval: %s failed (status %d)\n", cmd, st);
            free(line);
            return 1;
        }
        free(line);
    }
    json_object **gf, **gd, **ge, **gs;
    int nf, nd, ne, ns;
    snprintf(path, sizeof path, "%s/gold/seeds-figures.jsonl", shared);
    if ((nf = load_gold(path, &gf)) < 0)
        return 1;
    snprintf(path, sizeof path, "%s/gold/seeds-dates.jsonl", shared);
    if ((nd = load_gold(path, &gd)) < 0)
        return 1;
    snprintf(path, sizeof path, "%s/gold/seeds-entities.jsonl", shared);
    if ((ne = load_gold(path, &ge)) < 0)
        return 1;
    snprintf(path, sizeof path, "%s/gold/seeds-sources.jsonl", shared);
    if ((ns = load_gold(path, &gs)) < 0)
        return 1;
    printf("marsad eval on %d seeds (published:", ndocs);
    for (int d = 0; d < ndocs; d++)
        printf(" %.3s=%s", docs[d].name, docs[d].published[0] ? docs[d].published : "?");
    printf(")\n%-9s %-34s %5s %5s %5s  %5s  %5s  %5s\n", "kind", "level", "gold",
           "pred", "tp", "P", "R", "F1");
    print_row("figures", "span", run_level(gf, nf, "figures", f_span));
    print_row("figures", "span+value+qualifier", run_level(gf, nf, "figures", f_svq));
    print_row("figures", "  +counted", run_level(gf, nf, "figures", f_cnt));
    print_row("figures", "  +category", run_level(gf, nf, "figures", f_cat));
    print_row("figures", "  +side", run_level(gf, nf, "figures", f_side));
    print_row("figures", "  +event", run_level(gf, nf, "figures", f_event));
    print_row("figures", "  +source", run_level(gf, nf, "figures", f_src));
    print_row("figures", "  +part_of", run_level(gf, nf, "figures", f_part));
    print_row("figures", "full (+cat+side+event+source)", run_level(gf, nf, "figures", f_full));
    print_row("dates", "span", run_level(gd, nd, "dates", d_span));
    print_row("dates", "span+value", run_level(gd, nd, "dates", d_value));
    print_row("entities", "span overlap+kind", run_level(ge, ne, "entities", e_overlap));
    print_row("entities", "span+kind", run_level(ge, ne, "entities", e_kind));
    print_row("entities", "span+canonical", run_level(ge, ne, "entities", e_canon));
    print_row("sources", "span", run_level(gs, ns, "sources", s_span));
    print_row("sources", "span+speaker", run_level(gs, ns, "sources", s_spk));
    print_row("sources", "  +cue", run_level(gs, ns, "sources", s_cue));
    print_row("sources", "  +covers", run_level(gs, ns, "sources", s_cov));
    print_row("sources", "  +via", run_level(gs, ns, "sources", s_via));
    for (int k = 0; k < nf; k++) json_object_put(gf[k]);
    for (int k = 0; k < nd; k++) json_object_put(gd[k]);
    for (int k = 0; k < ne; k++) json_object_put(ge[k]);
    for (int k = 0; k < ns; k++) json_object_put(gs[k]);
    free(gf); free(gd); free(ge); free(gs);
    for (int d = 0; d < ndocs; d++)
        json_object_put(docs[d].pred);
    return 0;
}
