/*
 * eval_ner: scores marsad's entity extraction on text it was not built
 * from: ANERcorp (SHARED/corpus/anercorp/ANERCorp.txt, Benajiba 2007,
 * newswire of 2002-2006 hand-tagged PERS, LOC, ORG and MISC).
 *
 *   eval_ner --shared ../shared [--errors KIND]
 *
 * --errors person|place|organisation lists that kind's misses and false
 * alarms (for development).
 *
 * The file is one token per line with an IOB2 tag and no document breaks.
 * Its tokens are joined with spaces (a line break after each '.') into
 * pseudo-reports of 40 sentences, each run through mr_extract with the
 * entity rules alone (the trained name tagger learnt from the first 80 %
 * of this file: its scores are the last 20 %'s, in make eval's "entities"
 * lines from ../shared/tools/score_entities.py). A predicted
 * entity covers the tokens its byte span touches (marsad leaves a glued
 * و/ب/ل out of the span; ANERcorp tags the whole token). Kinds: PERS =
 * person, LOC = place, ORG = organisation (marsad's outlets count as
 * organisations); MISC is not scored. Prints precision, recall and F1 per
 * kind for exact token spans and for overlapping spans. ANERcorp's own
 * conventions differ from DESIGN.md's in places (it tags nationality-free
 * country names inside organisation names, titles are never part of a
 * person), so these scores are a floor, and a check that rules tuned on the
 * seeds hold on other newswire. Exit 0 when it ran, 1 when the file is
 * missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"

#define SENTENCES_PER_DOC 40

enum { K_PERSON, K_PLACE, K_ORG, NKIND };
static const char *const kind_names[NKIND] = {"person", "place",
                                              "organisation"};

typedef struct span {
    size_t first, last; /* tokens, inclusive */
    int kind;
    int used;
} span;

typedef struct vec {
    span *v;
    size_t n, cap;
} vec;

static void push(vec *s, span x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v) {
            fputs("eval_ner: out of memory\n", stderr);
            exit(1);
        }
    }
    s->v[s->n++] = x;
}

typedef struct counts {
    long tp_exact[NKIND], tp_overlap[NKIND], gold[NKIND], pred[NKIND];
} counts;

/* The pseudo-report being built. */
typedef struct doc {
    char *text;
    size_t len, cap;
    size_t *tstart, *tend; /* per token, bytes */
    size_t ntok, captok;
    vec gold;
} doc;

static void doc_add(doc *d, const char *tok, size_t n, int newline)
{
    if (d->len + n + 2 > d->cap) {
        d->cap = (d->len + n + 2) * 2;
        d->text = realloc(d->text, d->cap);
    }
    if (d->ntok == d->captok) {
        d->captok = d->captok ? d->captok * 2 : 1024;
        d->tstart = realloc(d->tstart, d->captok * sizeof *d->tstart);
        d->tend = realloc(d->tend, d->captok * sizeof *d->tend);
    }
    if (!d->text || !d->tstart || !d->tend) {
        fputs("eval_ner: out of memory\n", stderr);
        exit(1);
    }
    if (d->len)
        d->text[d->len++] = newline ? '\n' : ' ';
    d->tstart[d->ntok] = d->len;
    memcpy(d->text + d->len, tok, n);
    d->len += n;
    d->tend[d->ntok] = d->len;
    d->ntok++;
}

static int kind_of_tag(const char *t)
{
    if (strcmp(t, "PERS") == 0)
        return K_PERSON;
    if (strcmp(t, "LOC") == 0)
        return K_PLACE;
    if (strcmp(t, "ORG") == 0)
        return K_ORG;
    return -1;
}

static int kind_of_entity(mr_entity_kind k)
{
    switch (k) {
    case MR_ENT_PERSON:
        return K_PERSON;
    case MR_ENT_PLACE:
        return K_PLACE;
    case MR_ENT_ORG:
    case MR_ENT_OUTLET:
        return K_ORG;
    }
    return -1;
}

static int show = -1; /* --errors: the kind whose errors are listed */

static void show_span(const doc *d, const char *what, const span *x)
{
    size_t a = d->tstart[x->first], b = d->tend[x->last];
    size_t ca = x->first >= 3 ? d->tstart[x->first - 3] : 0;
    size_t cb = x->last + 3 < d->ntok ? d->tend[x->last + 3] : d->len;
    printf("%s\t%.*s\t[%.*s]%.*s\n", what, (int)(b - a), d->text + a,
           (int)(a - ca), d->text + ca, (int)(cb - b), d->text + b);
}

/* Scores one pseudo-report and empties it. */
static void doc_score(doc *d, counts *c, mr_facts *f)
{
    if (d->ntok == 0)
        return;
    d->text[d->len] = 0;
    static const mr_extract_opts rules = {NULL, NULL, false, false};
    if (mr_extract(d->text, d->len, &rules, f) != MARSAD_OK) {
        fputs("eval_ner: extraction failed\n", stderr);
        exit(1);
    }
    vec pred = {0};
    size_t t = 0;
    for (size_t i = 0; i < f->entities.n; i++) {
        const mr_entity *e = &f->entities.v[i];
        int k = kind_of_entity(e->kind);
        if (k < 0)
            continue;
        while (t > 0 && d->tend[t - 1] > e->start)
            t--;
        while (t < d->ntok && d->tend[t] <= e->start)
            t++;
        size_t u = t;
        while (u + 1 < d->ntok && d->tstart[u + 1] < e->end)
            u++;
        if (t < d->ntok)
            push(&pred, (span){t, u, k, 0});
    }
    for (size_t g = 0; g < d->gold.n; g++)
        c->gold[d->gold.v[g].kind]++;
    for (size_t p = 0; p < pred.n; p++)
        c->pred[pred.v[p].kind]++;
    /* exact matches first, then overlaps among what is left */
    for (size_t g = 0; g < d->gold.n; g++) {
        span *gs = &d->gold.v[g];
        for (size_t p = 0; p < pred.n; p++) {
            span *ps = &pred.v[p];
            if (!ps->used && ps->kind == gs->kind && ps->first == gs->first &&
                ps->last == gs->last) {
                ps->used = gs->used = 1;
                c->tp_exact[gs->kind]++;
                c->tp_overlap[gs->kind]++;
                break;
            }
        }
    }
    for (size_t g = 0; g < d->gold.n; g++) {
        span *gs = &d->gold.v[g];
        for (size_t p = 0; !gs->used && p < pred.n; p++) {
            span *ps = &pred.v[p];
            if (!ps->used && ps->kind == gs->kind && ps->first <= gs->last &&
                gs->first <= ps->last) {
                ps->used = gs->used = 1;
                c->tp_overlap[gs->kind]++;
            }
        }
    }
    for (size_t g = 0; show >= 0 && g < d->gold.n; g++)
        if (!d->gold.v[g].used && d->gold.v[g].kind == show)
            show_span(d, "miss", &d->gold.v[g]);
    for (size_t p = 0; show >= 0 && p < pred.n; p++)
        if (!pred.v[p].used && pred.v[p].kind == show)
            show_span(d, "false", &pred.v[p]);
    free(pred.v);
    d->len = d->ntok = d->gold.n = 0;
}

static void row(const char *name, long tp, long gold, long pred)
{
    double p = pred ? (double)tp / (double)pred : 0;
    double r = gold ? (double)tp / (double)gold : 0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    printf("  %-22s P %.3f  R %.3f  F1 %.3f   (%ld of %ld gold, %ld predicted)\n",
           name, p, r, f, tp, gold, pred);
}

int main(int argc, char **argv)
{
    const char *shared = "../shared";
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--shared") == 0)
            shared = argv[++i];
        else if (strcmp(argv[i], "--errors") == 0) {
            i++;
            for (int k = 0; k < NKIND; k++)
                if (strcmp(argv[i], kind_names[k]) == 0)
                    show = k;
        }
    char path[4096];
    snprintf(path, sizeof path, "%s/corpus/anercorp/ANERCorp.txt", shared);
    FILE *in = fopen(path, "r");
    if (!in) {
        fprintf(stderr, "eval_ner: %s: missing (ANERcorp, beside the checkout "
                        "in ../shared/corpus)\n", path);
        return 1;
    }
    doc d;
    memset(&d, 0, sizeof d);
    counts c;
    memset(&c, 0, sizeof c);
    mr_facts f;
    memset(&f, 0, sizeof f);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int sentences = 0, after_stop = 0;
    long tokens = 0, docs = 0;
    span open = {0, 0, -1, 0};
    while ((n = getline(&line, &cap, in)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        char *sp = strrchr(line, ' ');
        if (!sp || sp == line)
            continue; /* an empty token */
        *sp = 0;
        const char *tag = sp + 1, *tok = line;
        size_t tl = (size_t)(sp - line);
        if (open.kind >= 0 && strncmp(tag, "I-", 2) != 0) {
            push(&d.gold, open);
            open.kind = -1;
        }
        if (after_stop && sentences >= SENTENCES_PER_DOC && open.kind < 0) {
            doc_score(&d, &c, &f);
            docs++;
            sentences = 0;
        }
        doc_add(&d, tok, tl, after_stop);
        tokens++;
        after_stop = strcmp(tok, ".") == 0;
        sentences += after_stop;
        int k = strlen(tag) > 2 ? kind_of_tag(tag + 2) : -1;
        if (strncmp(tag, "B-", 2) == 0) {
            if (open.kind >= 0)
                push(&d.gold, open);
            open = (span){d.ntok - 1, d.ntok - 1, k, 0};
            if (k < 0)
                open.kind = -1; /* MISC */
        } else if (strncmp(tag, "I-", 2) == 0 && open.kind >= 0 &&
                   open.kind == k) {
            open.last = d.ntok - 1;
        } else if (open.kind >= 0) {
            push(&d.gold, open);
            open.kind = -1;
        }
    }
    if (open.kind >= 0)
        push(&d.gold, open);
    doc_score(&d, &c, &f);
    docs++;
    fclose(in);
    free(line);
    mr_facts_free(&f);
    free(d.text);
    free(d.tstart);
    free(d.tend);
    free(d.gold.v);

    printf("entity rules alone on ANERcorp (%ld tokens in %ld pseudo-reports "
           "of %d sentences; newswire the rules were not built from)\n",
           tokens, docs, SENTENCES_PER_DOC);
    long te = 0, to = 0, tg = 0, tp = 0;
    for (int k = 0; k < NKIND; k++) {
        char name[64];
        snprintf(name, sizeof name, "%s exact", kind_names[k]);
        row(name, c.tp_exact[k], c.gold[k], c.pred[k]);
        snprintf(name, sizeof name, "%s overlap", kind_names[k]);
        row(name, c.tp_overlap[k], c.gold[k], c.pred[k]);
        te += c.tp_exact[k];
        to += c.tp_overlap[k];
        tg += c.gold[k];
        tp += c.pred[k];
    }
    row("all exact", te, tg, tp);
    row("all overlap", to, tg, tp);
    return 0;
}
