/*
 * extract.h: the facts of one report (DESIGN.md, "The data model"), each
 * with its exact span: figures, sources (attributions), dates, entities,
 * quotes. Rule- and lexicon-based; pure: one text in, one mr_facts out.
 *
 * Order of work inside mr_extract: tokens -> entities (rules, then the
 * trained tagger when opts->ner) -> dates -> quotes ->
 * sources (need entities and quotes) -> figures (need numbers, sources,
 * dates, entities for the side).
 *
 * Every string field is either static (a lexicon cell) or allocated in the
 * facts' arena; all of it is released by mr_facts_free. Indexes (-1 = none)
 * refer to the arrays of the same mr_facts.
 */
#ifndef MR_EXTRACT_H
#define MR_EXTRACT_H

#include <stdbool.h>
#include <stdint.h>

#include "text/arena.h"
#include "text/text.h"

typedef enum mr_entity_kind {
    MR_ENT_PERSON = 1,
    MR_ENT_ORG,
    MR_ENT_PLACE,
    MR_ENT_OUTLET
} mr_entity_kind;

typedef struct mr_entity {
    uint32_t start, end;   /* the name proper, without و/ب/ل or quotes */
    mr_entity_kind kind;
    const char *canonical; /* one Arabic name per real-world entity */
} mr_entity;

typedef enum mr_date_kind {
    MR_DATE_ABSOLUTE = 1, /* 23 مارس 2019 */
    MR_DATE_MONTH,        /* مارس 2019, فبراير الماضي */
    MR_DATE_YEAR,         /* عام 2014 */
    MR_DATE_WEEKDAY,      /* السبت, اليوم السبت */
    MR_DATE_RELATIVE,     /* أمس، الشهر الماضي، منذ شتنبر الماضي */
    MR_DATE_DURATION      /* الأشهر الستة الماضية, خلال نحو خمس سنوات */
} mr_date_kind;

typedef enum mr_month_system {
    MR_MONTHS_NONE = 0,
    MR_MONTHS_EGYPTIAN, /* يناير ... ديسمبر (also the default for forms shared
                           with the Maghrebi list) */
    MR_MONTHS_MAGHREBI, /* ماي، يوليوز، غشت، شتنبر، نونبر، دجنبر */
    MR_MONTHS_LEVANTINE,/* كانون الثاني ... كانون الأول */
    MR_MONTHS_ALGERIAN, /* جانفي، فيفري، أفريل، جوان، جويلية، أوت */
    MR_MONTHS_HIJRI     /* محرم ... ذو الحجة */
} mr_month_system;

typedef struct mr_date {
    uint32_t start, end;
    mr_date_kind kind;
    mr_month_system months;
    bool vague;        /* مؤخرا، الآن، المستقبل القريب */
    bool relative;     /* resolution needed the report's date */
    char value[48];    /* ISO 8601: 2019-03-23, 2019-03, 2014, a/b, P6M;
                          "" when unresolved */
} mr_date;

typedef struct mr_quote {
    uint32_t start, end;           /* including the quotation marks */
    uint32_t text_start, text_end; /* inside the marks */
    int speaker;                   /* index into entities, or -1 */
    const char *speaker_name;      /* canonical, or NULL */
} mr_quote;

typedef enum mr_covers {
    MR_COVERS_STATEMENT = 0,
    MR_COVERS_FIGURE,
    MR_COVERS_QUOTE
} mr_covers;

typedef struct mr_source {
    uint32_t start, end;             /* the speaker's mention */
    uint32_t cue_start, cue_end;     /* the cue word(s): قال، بحسب ... */
    uint32_t scope_start, scope_end; /* the text the attribution covers */
    const char *speaker;             /* canonical */
    const char *cue;                 /* lemma: قال، بحسب، وفقا ل ... */
    mr_covers covers;
    int via;                         /* the outer source relaying it, or -1 */
    int entity;                      /* index into entities, or -1 */
    const char *via_name;            /* read back only: the relay's speaker,
                                        which mr_facts_read_done resolves
                                        to via; NULL from extraction */
} mr_source;

typedef struct mr_figure {
    uint32_t start, end;      /* qualifier through the counted noun */
    double min, max;
    bool has_min, has_max;    /* false = open end */
    marsad_qualifier qualifier;
    const char *counted;      /* lemma: مدني، مقاتل، طفل */
    const char *category;     /* civilians, children, women, fighters, ... */
    const char *side;         /* canonical group, or NULL */
    const char *event;        /* killed, injured, displaced, ... or "other" */
    int part_of;              /* index into figures, or -1 */
    int source;               /* index into sources, or -1 (the outlet) */
    int when;                 /* index into dates, or -1 */
} mr_figure;

/* The revision of the extraction rules and lexicons: raise it with any
 * change that alters what mr_extract returns. `marsad analyze` keeps the
 * facts and stories of earlier runs only when they were made by the same
 * revision (and the same marsad version); otherwise it redoes them all. */
#define MR_EXTRACT_REVISION 19

/* Figures kept per report: the first MR_FIGURES_MAX in text order; the
 * others are counted (figures_dropped), not kept. Real reports hold far
 * fewer (ANT: 43 at most); the bound keeps a hostile text of 200,000
 * figures from making one claim of 200,000 values and a story document of
 * tens of megabytes (docs/entities-dates.md, "Bounds"). */
#define MR_FIGURES_MAX MARSAD_FIGURES_MAX

#define MR_VEC(T) struct { T *v; size_t n, cap; }

typedef struct mr_facts {
    MR_VEC(mr_figure) figures;
    MR_VEC(mr_source) sources;
    MR_VEC(mr_date) dates;
    MR_VEC(mr_entity) entities;
    MR_VEC(mr_quote) quotes;
    mr_toks toks;   /* the report's tokens, kept for the layers above */
    mr_arena arena; /* strings made during extraction */
    char reference[11]; /* the day relative dates were resolved against
                           (YYYY-MM-DD), "" when none */
    size_t figures_dropped; /* figures found beyond MR_FIGURES_MAX, not
                               kept */
    struct mr_ner_memo *ner_memo; /* the name tagger's shares of the words
                           its compiled table lacks, kept from report to
                           report (ner.h); NULL until the tagger runs */
} mr_facts;

typedef struct mr_extract_opts {
    const char *published; /* ISO date the report's relative dates resolve
                              against, or NULL (then they stay unresolved) */
    const char *outlet;    /* the report's outlet, or NULL */
    bool published_is_page; /* published came from a dateline at the top of
                               the page, which may be the page's date rather
                               than the report's (see mr_extract) */
    bool ner;               /* entities from the rules and the trained name
                               tagger (src/extract/ner.h); off by default:
                               it costs about 29 % more extraction time and
                               adds a false name on the seeds (docs/
                               entities-dates.md) */
} mr_extract_opts;

/* The tagger's default for the callers that take no option (analyse, the
 * library's facts): true when MARSAD_NER=on in the environment. */
bool mr_extract_ner_default(void);

/*
 * Extracts every fact of text[0..len) into *out (zero it first, or pass one
 * used before: it is cleared and its memory reused). Linear in len.
 *
 * With opts->published_is_page, a page's date is not taken for the
 * report's when the text says otherwise: if the latest full date the text
 * writes out (day, month and year) is more than 180 days before it, and no
 * date in the text points at the report's own day (اليوم، أمس، غدا, a bare
 * weekday), relative dates are resolved against that latest date instead
 * ("ماي المقبل" in a 2022 article shown on a page dated 2024). The day used
 * is in out->reference. Twice the work for such pages only.
 */
marsad_status mr_extract(const char *text, size_t len,
                         const mr_extract_opts *opts, mr_facts *out);

/* Whether a place's canonical name is a country or a region (a row of
 * data/ent_cldr_places.tsv: سوريا، أوروبا), not a specific place (a town,
 * a camp, an airbase); the story clustering's main places
 * (mr_cluster_set_places) are the specific ones. */
bool mr_entity_is_territory(const char *canonical);

/* Releases everything *f holds; *f is left zeroed. */
void mr_facts_free(mr_facts *f);

/* The stages mr_extract runs, in this order, each appending to *f (whose
 * toks are already built). One file each under src/extract/. */
marsad_status mr_extract_entities(const char *text, size_t len, mr_facts *f);
/* The trained name tagger: adds the names the rules missed (ner.h). */
marsad_status mr_extract_ner(const char *text, size_t len, mr_facts *f);
marsad_status mr_extract_dates(const char *text, size_t len,
                               const mr_extract_opts *opts, mr_facts *f);
marsad_status mr_extract_quotes(const char *text, size_t len, mr_facts *f);
marsad_status mr_extract_sources(const char *text, size_t len,
                                 const mr_extract_opts *opts, mr_facts *f);
marsad_status mr_extract_figures(const char *text, size_t len,
                                 const mr_extract_opts *opts, mr_facts *f);

#endif
