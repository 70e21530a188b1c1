/*
 * facts_json.h: the facts of one report as one NDJSON line, schema
 * marsad/2 (docs/json.md), and as a readable table.
 */
#ifndef MR_OUT_FACTS_JSON_H
#define MR_OUT_FACTS_JSON_H

#include <stdio.h>

#include "extract/extract.h"
#include "text/report.h"

/* Writes {"schema":"marsad/2","report":{...},"figures":[...],...}\n.
 * Offsets are bytes into r->text. */
void mr_facts_json(FILE *out, const mr_report *r, const mr_facts *f);

/* The kinds of fact, in the order of the NDJSON line's arrays. */
typedef enum mr_fact_kind {
    MR_FACT_FIGURE,
    MR_FACT_SOURCE,
    MR_FACT_DATE,
    MR_FACT_ENTITY,
    MR_FACT_QUOTE
} mr_fact_kind;

/* Writes item i of one kind as the JSON object it is in that line (what
 * the store keeps as the fact's json). Nothing when i is out of range. */
void mr_fact_json(FILE *out, const mr_report *r, const mr_facts *f,
                  mr_fact_kind kind, size_t i);

/*
 * Reads back one fact that mr_fact_json wrote (facts_read.c), appending it
 * to f; strings go to f's arena. Facts of one report are added kind by
 * kind in the order they were written, so their indexes (a figure's
 * source and date, part_of) hold again; then mr_facts_read_done resolves
 * what the JSON names instead of indexing (a quote's speaker, a source's
 * relay) and drops indexes out of range, in time linear in the facts.
 * f->toks stay empty (rebuild them from the text). Errors: MARSAD_E_ARG,
 * MARSAD_E_INPUT (not a JSON object), MARSAD_E_NOMEM.
 */
marsad_status mr_fact_add_json(mr_facts *f, mr_fact_kind kind,
                               const char *json, size_t len);
marsad_status mr_facts_read_done(mr_facts *f);

/* Writes a readable table of the facts (one section per kind). */
void mr_facts_table(FILE *out, const mr_report *r, const mr_facts *f);

/* Names of the enums, static storage. */
const char *mr_date_kind_name(mr_date_kind k);
const char *mr_month_system_name(mr_month_system m);
const char *mr_entity_kind_name(mr_entity_kind k);
const char *mr_covers_name(mr_covers c);

#endif
