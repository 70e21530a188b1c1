/*
 * extract.c: mr_extract, the orchestrator of the facts of one report:
 * tokens -> entities -> dates -> quotes -> sources -> figures.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "extract/ner.h"
#include "extract/xutil.h"

static void facts_clear(mr_facts *f)
{
    f->figures.n = 0;
    f->sources.n = 0;
    f->dates.n = 0;
    f->entities.n = 0;
    f->quotes.n = 0;
    f->figures_dropped = 0;
    mr_arena_free(&f->arena);
}

/* Keeps the first MR_FIGURES_MAX figures (text order); a breakdown of a
 * figure that goes breaks down nothing kept. */
static void cap_figures(mr_facts *f)
{
    if (f->figures.n <= MR_FIGURES_MAX)
        return;
    f->figures_dropped = f->figures.n - MR_FIGURES_MAX;
    f->figures.n = MR_FIGURES_MAX;
    for (size_t i = 0; i < f->figures.n; i++)
        if (f->figures.v[i].part_of >= MR_FIGURES_MAX)
            f->figures.v[i].part_of = -1;
}

/* The span [s, e) of text holds the normalised word w (a report-day
 * deixis). */
static bool span_has(const char *text, uint32_t s, uint32_t e, const char *w)
{
    size_t n = strlen(w);
    for (uint32_t i = s; i + n <= e; i++)
        if (memcmp(text + i, w, n) == 0)
            return true;
    return false;
}

/* The latest full date the text writes out itself, when the page's date
 * (pub) is not the report's; NULL otherwise. See mr_extract. */
static const char *report_day(const char *text, const mr_facts *f, long pub)
{
    static const char *const deixis[] = {
        "\xd8\xa7\xd9\x84\xd9\x8a\xd9\x88\xd9\x85", /* اليوم */
        "\xd8\xa3\xd9\x85\xd8\xb3",                     /* أمس */
        "\xd8\xa7\xd9\x85\xd8\xb3",                     /* امس */
        "\xd8\xba\xd8\xaf\xd8\xa7",                     /* غدا */
        NULL};
    const char *latest = NULL;
    long best = LONG_MIN;
    for (size_t i = 0; i < f->dates.n; i++) {
        const mr_date *d = &f->dates.v[i];
        if (d->kind == MR_DATE_WEEKDAY)
            return NULL;
        for (int k = 0; deixis[k]; k++)
            if (d->kind == MR_DATE_RELATIVE &&
                span_has(text, d->start, d->end, deixis[k]))
                return NULL;
        long v;
        if (d->kind == MR_DATE_ABSOLUTE && !d->relative &&
            strlen(d->value) == 10 && mr_x_iso_days(d->value, &v) &&
            v != pub && v > best) {
            best = v;
            latest = d->value;
        }
    }
    return latest && pub - best > 180 ? latest : NULL;
}

static marsad_status extract_once(const char *text, size_t len,
                                  const mr_extract_opts *opts, mr_facts *out);

marsad_status mr_extract(const char *text, size_t len,
                         const mr_extract_opts *opts, mr_facts *out)
{
    if (!out || (!text && len))
        return MARSAD_E_ARG;
    if (!text)
        text = "";
    static const mr_extract_opts none = {NULL, NULL, false, false};
    if (!opts)
        opts = &none;
    marsad_status rc = extract_once(text, len, opts, out);
    long pub;
    if (rc != MARSAD_OK || !opts->published_is_page ||
        !mr_x_iso_days(opts->published, &pub))
        return rc;
    const char *day = report_day(text, out, pub);
    if (!day)
        return rc;
    char ref[11];
    memcpy(ref, day, 10);
    ref[10] = 0;
    mr_extract_opts o = *opts;
    o.published = ref;
    o.published_is_page = false;
    return extract_once(text, len, &o, out);
}

static marsad_status extract_once(const char *text, size_t len,
                                  const mr_extract_opts *opts, mr_facts *out)
{
    facts_clear(out);
    out->reference[0] = 0;
    long pub;
    if (mr_x_iso_days(opts->published, &pub)) {
        memcpy(out->reference, opts->published, 10);
        out->reference[10] = 0;
    }
    marsad_status rc = mr_toks_build(&out->toks, text, len, 0);
    if (rc == MARSAD_OK)
        rc = mr_extract_entities(text, len, out);
    if (rc == MARSAD_OK && opts->ner)
        rc = mr_extract_ner(text, len, out);
    if (rc == MARSAD_OK)
        rc = mr_extract_dates(text, len, opts, out);
    if (rc == MARSAD_OK)
        rc = mr_extract_quotes(text, len, out);
    if (rc == MARSAD_OK)
        rc = mr_extract_sources(text, len, opts, out);
    if (rc == MARSAD_OK)
        rc = mr_extract_figures(text, len, opts, out);
    if (rc == MARSAD_OK)
        cap_figures(out);
    if (rc != MARSAD_OK)
        facts_clear(out);
    return rc;
}

void mr_facts_free(mr_facts *f)
{
    if (!f)
        return;
    free(f->figures.v);
    free(f->sources.v);
    free(f->dates.v);
    free(f->entities.v);
    free(f->quotes.v);
    mr_toks_free(&f->toks);
    mr_arena_free(&f->arena);
    mr_ner_memo_free(f->ner_memo);
    memset(f, 0, sizeof *f);
}

bool mr_extract_ner_default(void)
{
    const char *env = getenv("MARSAD_NER");
    return env && strcmp(env, "on") == 0;
}
