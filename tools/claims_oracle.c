/*
 * claims_oracle STORY_GOLD REPORTS...: the claims marsad would give if its
 * stories were the gold ones. Reads the reports (any input marsad ingest
 * reads), extracts their facts as marsad analyze does, groups them by the
 * story the gold gives their source id ({id, story} JSON lines), and prints
 * each group's synthesis as `marsad stories --json` does, with every
 * report named by its source id (so a scorer needs no store to map ids).
 * Like marsad analyze it keeps one report per marsad id and per normalised
 * text; another source id with the same marsad id or the same text is a
 * copy of the report first met, named beside it (mr_store_copy).
 * A measuring tool: it separates what claims do inside a story from which
 * reports the clustering puts together (tools/claims_oracle.sh).
 */
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "ingest/ingest.h"
#include "out/story_out.h"
#include "story/story.h"

typedef struct item {
    mr_report r;
    mr_facts f;
    const char *story;
    char *marsad_id; /* the id marsad gives it (one report per id) */
    char hash[17];   /* its normalised text's (one report per text) */
    mr_story_copy *copies; /* source ids met again under its id or text */
    size_t ncopies;
} item;

/* Names r as a copy of x (its source id, outlet and date, strings
 * copied); false when out of memory. */
static bool add_copy(item *x, const mr_report *r)
{
    if (!r->source_id || (x->r.id && strcmp(x->r.id, r->source_id) == 0))
        return true; /* the same record again */
    for (size_t k = 0; k < x->ncopies; k++)
        if (strcmp(x->copies[k].id, r->source_id) == 0)
            return true;
    mr_story_copy *v = realloc(x->copies, (x->ncopies + 1) * sizeof *v);
    if (!v)
        return false;
    x->copies = v;
    v[x->ncopies++] = (mr_story_copy){
        strdup(r->source_id), r->outlet ? strdup(r->outlet) : NULL,
        r->published ? strdup(r->published) : NULL};
    return true;
}

static int item_cmp(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    int c = strcmp(a->story, b->story);
    return c ? c : strcmp(a->r.id, b->r.id);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: claims_oracle STORY_GOLD.jsonl REPORTS...\n");
        return 2;
    }
    json_object *gold = json_object_new_object();
    FILE *g = fopen(argv[1], "r");
    if (!g) {
        fprintf(stderr, "claims_oracle: cannot read %s\n", argv[1]);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, g) > 0) {
        json_object *o = json_tokener_parse(line), *id, *st;
        if (o && json_object_object_get_ex(o, "id", &id) &&
            json_object_object_get_ex(o, "story", &st))
            json_object_object_add(gold, json_object_get_string(id),
                                   json_object_get(st));
        json_object_put(o);
    }
    free(line);
    fclose(g);

    mr_ingest *it = NULL;
    if (mr_ingest_open((const char *const *)argv + 2, (size_t)argc - 2, NULL,
                       &it) != MARSAD_OK)
        return 3;
    item *v = NULL;
    size_t n = 0, vcap = 0;
    for (;;) {
        mr_report r = {0};
        marsad_status rc = mr_ingest_next(it, &r, NULL);
        if (rc == MR_INGEST_DONE)
            break;
        if (rc != MARSAD_OK)
            continue;
        json_object *st;
        if (!r.source_id || !json_object_object_get_ex(gold, r.source_id, &st)) {
            mr_report_clear(&r);
            continue;
        }
        /* marsad stores one report per id (the same outlet and url: an
         * article filed under two sections) and per text, the first met;
         * the others are its copies */
        char hash[17];
        if (mr_text_hash(r.text, r.text_len, hash) != MARSAD_OK)
            return 3;
        long dup = -1;
        for (size_t k = 0; k < n && dup < 0; k++)
            if (strcmp(v[k].marsad_id, r.id) == 0 ||
                strcmp(v[k].hash, hash) == 0)
                dup = (long)k;
        if (dup >= 0) {
            if (!add_copy(&v[dup], &r))
                return 3;
            mr_report_clear(&r);
            continue;
        }
        if (n == vcap) {
            vcap = vcap ? 2 * vcap : 64;
            v = realloc(v, vcap * sizeof *v);
            if (!v)
                return 3;
        }
        item *x = &v[n++];
        memset(x, 0, sizeof *x);
        memcpy(x->hash, hash, sizeof hash);
        x->r = r;
        x->story = json_object_get_string(st);
        mr_extract_opts xo = {r.published, r.outlet,
                              r.published_origin == MR_PUB_DATELINE,
                              mr_extract_ner_default()};
        if (mr_extract(x->r.text, x->r.text_len, &xo, &x->f) != MARSAD_OK)
            return 3;
        /* the scorer names reports by their source id */
        x->marsad_id = x->r.id;
        x->r.id = strdup(x->r.source_id);
    }
    mr_ingest_close(it);
    if (n > 1)
        qsort(v, n, sizeof *v, item_cmp);
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && strcmp(v[b].story, v[a].story) == 0)
            b++;
        mr_story_doc *docs = calloc(b - a, sizeof *docs);
        if (!docs)
            return 3;
        for (size_t k = a; k < b; k++) {
            docs[k - a].report = &v[k].r;
            docs[k - a].facts = &v[k].f;
            docs[k - a].copies = v[k].copies;
            docs[k - a].ncopies = v[k].ncopies;
        }
        mr_synth s = {0};
        if (mr_story_synth(docs, b - a, &s) != MARSAD_OK)
            return 3;
        mr_story_view view = {0};
        view.id = v[a].story;
        view.docs = docs;
        view.ndocs = b - a;
        view.synth = &s;
        mr_story_json(stdout, &view);
        mr_synth_free(&s);
        free(docs);
        a = b;
    }
    for (size_t k = 0; k < n; k++) {
        mr_report_clear(&v[k].r);
        free(v[k].marsad_id);
        for (size_t y = 0; y < v[k].ncopies; y++) {
            free((char *)v[k].copies[y].id);
            free((char *)v[k].copies[y].outlet);
            free((char *)v[k].copies[y].published);
        }
        free(v[k].copies);
        mr_facts_free(&v[k].f);
    }
    free(v);
    json_object_put(gold);
    return 0;
}
