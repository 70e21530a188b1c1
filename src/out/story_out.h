/*
 * story_out.h: a story as the commands show it: NDJSON (marsad stories,
 * marsad story), the terminal overview (marsad analyze) and the
 * self-contained HTML report (marsad report).
 *
 * A story view borrows everything: its reports and facts (mr_story_doc),
 * its synthesis (mr_synth from story.h) and the passages its reports share
 * (from the link layer). Output order is the order given, so callers sort
 * (stories largest first, docs by published then id) for determinism.
 */
#ifndef MR_OUT_STORY_H
#define MR_OUT_STORY_H

#include <stdio.h>

#include "story/story.h"

/* A passage two reports of the story share: doc indices and byte spans. */
typedef struct mr_story_passage {
    size_t a, b;
    uint32_t a_start, a_end, b_start, b_end;
} mr_story_passage;

typedef struct mr_story_view {
    const char *id;         /* stable story id */
    const char *title;      /* NULL: the title of its first report */
    const char *first_seen; /* ISO dates, NULL when unknown */
    const char *last_seen;
    const mr_story_doc *docs;
    size_t ndocs;
    const mr_synth *synth;
    const mr_story_passage *passages;
    size_t npassages;
} mr_story_view;

/* The story's title: v->title, else its first report's title, else "". */
const char *mr_story_view_title(const mr_story_view *v);

/* The Arabic a reader sees for the contract's keys (labels.c): an event
 * ("killed" -> قتلى), a category, a verdict ("update" -> تحديث للحصيلة); an
 * unknown key comes back as given, NULL as "". Static storage. */
const char *mr_label_event(const char *key);
const char *mr_label_category(const char *key);
const char *mr_label_verdict(const char *key);
const char *mr_label_scope(mr_scope sc);
/* A count in Arabic with its noun's number agreement, decided by the last
 * two digits: تقرير واحد، تقريران، 5 تقارير (3-10)، 11 تقريرا (11-99)،
 * 100 تقرير (a multiple of 100, plus one or two); 0 is لا + the plural
 * (لا تقارير). */
typedef enum mr_noun {
    MR_NOUN_REPORT, /* تقرير */
    MR_NOUN_STORY,  /* قصة */
    MR_NOUN_FIGURE, /* رقم: a claim, as the reader sees it */
    MR_NOUN_CONFLICT /* رقم متعارض */
} mr_noun;
void mr_label_count(FILE *f, size_t n, mr_noun noun);
/* mr_label_count(f, n, MR_NOUN_REPORT). */
void mr_label_reports(FILE *f, size_t n);

/* One line of JSON (schema marsad/2), ending in '\n'. */
void mr_story_json(FILE *f, const mr_story_view *v);

/* A few lines for a terminal: title, dates, reports, the claims with their
 * verdicts. width: columns available (0 = 80). */
void mr_story_text(FILE *f, const mr_story_view *v, int width);

/*
 * Writes one self-contained HTML document (dir="rtl", lang="ar", inline
 * CSS, no script, no external resource) with every story: claims table
 * (conflicts highlighted), timeline, summary, shared passages side by
 * side, and every report's text with its figures marked; each value links
 * to its sentence. All text is escaped. Returns MARSAD_E_IO when writing
 * failed.
 */
marsad_status mr_report_html(FILE *f, const mr_story_view *stories, size_t n,
                             const char *heading);

/* Writes s[0..len) escaped for HTML text and attribute values: & < > " '
 * become entities, invalid UTF-8 becomes U+FFFD, control characters other
 * than tab and line feed are dropped. */
void mr_html_escape(FILE *f, const char *s, size_t len);

#endif
