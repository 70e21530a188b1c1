/*
 * fuzz_analyze.c: libFuzzer target for the corpus work of `marsad analyze`
 * over a whole small corpus held in memory: each report is extracted,
 * prepared for linking, clustered into stories; the reports that reuse text
 * are paired with their passages; each story is reconciled (claims,
 * timeline, summary) and written as JSON, as text and as HTML.
 *
 * Input: reports separated by the byte 0x1e (record separator), at most
 * 16. A report's first byte picks its date (one of eight days, or none), so
 * the time window and the ordering by date are exercised too; the rest is
 * its text (its first line is also its title).
 *
 * Checks: every claim value, timeline item, summary sentence and passage
 * lies inside its report's text; every report is in exactly one story.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "link/link.h"
#include "out/story_out.h"
#include "story/story.h"

#define MAXDOCS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_span(uint32_t s, uint32_t e, size_t len)
{
    if (s > e || e > len)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const days[] = {"2019-03-20", "2019-03-21",
                                       "2019-03-23", "2019-03-30",
                                       "2019-04-02", "2019-02-27",
                                       "2019-03-21T10:00:00Z"};
    mr_report r[MAXDOCS];
    mr_facts f[MAXDOCS];
    mr_link_doc d[MAXDOCS];
    char id[MAXDOCS][8];
    const char *ids[MAXDOCS];
    size_t n = 0;
    memset(r, 0, sizeof r);
    memset(f, 0, sizeof f);
    memset(d, 0, sizeof d);
    mr_link_params p;
    mr_link_params_default(&p);
    mr_cluster *c = NULL;
    if (mr_cluster_new(&c, &p) != MARSAD_OK)
        return 0;

    size_t pos = 0;
    while (pos < size && n < MAXDOCS) {
        const uint8_t *sep = memchr(data + pos, 0x1e, size - pos);
        size_t end = sep ? (size_t)(sep - data) : size;
        if (end > pos) {
            unsigned k = data[pos] & 7;
            const char *text = (const char *)data + pos + 1;
            size_t len = end - pos - 1;
            snprintf(id[n], sizeof id[n], "r%02zu", n);
            ids[n] = id[n];
            r[n].id = id[n];
            r[n].text = (char *)(uintptr_t)text;
            r[n].text_len = len;
            r[n].published = k < 7 ? (char *)(uintptr_t)days[k] : NULL;
            r[n].outlet = (char *)(uintptr_t)((k & 1) ? "وكالة" : "صحيفة");
            mr_extract_opts o = {r[n].published, r[n].outlet, 0, 0};
            if (mr_extract(text, len, &o, &f[n]) != MARSAD_OK)
                goto out;
            const char *nl = memchr(text, '\n', len);
            size_t tlen = nl ? (size_t)(nl - text) : len;
            if (mr_link_doc_build(&d[n], text, len, text, tlen, &p) !=
                MARSAD_OK)
                goto out;
            const char *ent[8];
            size_t ne = 0;
            for (size_t i = 0; i < f[n].entities.n && ne < 8; i++)
                if (f[n].entities.v[i].canonical)
                    ent[ne++] = f[n].entities.v[i].canonical;
            if (mr_cluster_add(c, id[n], r[n].published, &d[n], ent, ne) !=
                MARSAD_OK)
                goto out;
            n++;
        }
        pos = end + 1;
    }
    if (!n || mr_cluster_run(c) != MARSAD_OK)
        goto out;

    /* every report in one story */
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        if (mr_cluster_story_of(c, id[i]) < 0)
            abort();

    mr_reuse *ru = NULL;
    size_t nru = 0;
    if (mr_link_reuse(d, n, c, ids, &p, &ru, &nru) == MARSAD_OK) {
        for (size_t i = 0; i < nru; i++) {
            if (ru[i].a >= ru[i].b || ru[i].b >= n)
                abort();
            for (size_t k = 0; k < ru[i].npassages; k++) {
                const mr_passage *ps = &ru[i].passages[k];
                check_span(ps->a_start, ps->a_end, r[ru[i].a].text_len);
                check_span(ps->b_start, ps->b_end, r[ru[i].b].text_len);
            }
        }
        mr_reuse_free(ru, nru);
    }

    FILE *null = fopen("/dev/null", "w");
    for (size_t s = 0; null && s < mr_cluster_nstories(c); s++) {
        mr_story_info info;
        if (mr_cluster_story(c, s, &info) != MARSAD_OK)
            break;
        mr_story_doc sd[MAXDOCS];
        size_t m = 0;
        for (size_t k = 0; k < info.nreports && m < MAXDOCS; k++)
            for (size_t i = 0; i < n; i++)
                if (strcmp(info.reports[k], id[i]) == 0)
                    sd[m++] = (mr_story_doc){&r[i], &f[i]};
        if (m != info.nreports)
            abort();
        total += m;
        mr_synth sy;
        memset(&sy, 0, sizeof sy);
        if (mr_story_synth(sd, m, &sy) == MARSAD_OK) {
            for (size_t i = 0; i < sy.claims.n; i++)
                for (size_t k = 0; k < sy.claims.v[i].n; k++) {
                    const mr_claim_value *v = &sy.claims.v[i].values[k];
                    if (v->doc >= m)
                        abort();
                    size_t len = sd[v->doc].report->text_len;
                    check_span(v->start, v->end, len);
                    check_span(v->sentence.start, v->sentence.end, len);
                }
            for (size_t i = 0; i < sy.timeline.n; i++) {
                const mr_timeline_item *t = &sy.timeline.v[i];
                if (t->doc >= m)
                    abort();
                check_span(t->start, t->end, sd[t->doc].report->text_len);
            }
            if (sy.summary.n > MR_SUMMARY_MAX)
                abort();
            for (size_t i = 0; i < sy.summary.n; i++) {
                const mr_summary_item *t = &sy.summary.v[i];
                if (t->doc >= m)
                    abort();
                check_span(t->sentence.start, t->sentence.end,
                           sd[t->doc].report->text_len);
            }
            mr_story_view v = {info.id, NULL, info.first_seen,
                               info.last_seen, sd, m, &sy, NULL, 0};
            mr_story_json(null, &v);
            mr_story_text(null, &v, 60);
            mr_report_html(null, &v, 1, "fuzz");
        }
        mr_synth_free(&sy);
    }
    if (null) {
        fclose(null);
        if (total != n)
            abort();
    }
out:
    for (size_t i = 0; i < MAXDOCS; i++) {
        mr_facts_free(&f[i]);
        mr_link_doc_free(&d[i]);
    }
    mr_cluster_free(c);
    return 0;
}
