/*
 * extract.c: mr_extract, the orchestrator of the facts of one report:
 * tokens -> entities -> dates -> quotes -> sources -> figures.
 */
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"

static void facts_clear(mr_facts *f)
{
    f->figures.n = 0;
    f->sources.n = 0;
    f->dates.n = 0;
    f->entities.n = 0;
    f->quotes.n = 0;
    mr_arena_free(&f->arena);
}

marsad_status mr_extract(const char *text, size_t len,
                         const mr_extract_opts *opts, mr_facts *out)
{
    if (!out || (!text && len))
        return MARSAD_E_ARG;
    if (!text)
        text = "";
    static const mr_extract_opts none = {NULL, NULL};
    if (!opts)
        opts = &none;
    facts_clear(out);
    marsad_status rc = mr_toks_build(&out->toks, text, len, 0);
    if (rc == MARSAD_OK)
        rc = mr_extract_entities(text, len, out);
    if (rc == MARSAD_OK)
        rc = mr_extract_dates(text, len, opts, out);
    if (rc == MARSAD_OK)
        rc = mr_extract_quotes(text, len, out);
    if (rc == MARSAD_OK)
        rc = mr_extract_sources(text, len, opts, out);
    if (rc == MARSAD_OK)
        rc = mr_extract_figures(text, len, opts, out);
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
    memset(f, 0, sizeof *f);
}
