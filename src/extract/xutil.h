/*
 * xutil.h: helpers the figure and source extractors share: lexicon look-up
 * of a token with its clitics peeled, sentence and clause edges, anaphor
 * resolution against the entities met so far, growth of the fact vectors.
 * Internal to src/extract/.
 */
#ifndef MR_EXTRACT_XUTIL_H
#define MR_EXTRACT_XUTIL_H

#include <string.h>

#include "extract/extract.h"

/* a and b (NUL-terminated) are equal. The first two bytes are compared
 * inline: the rules compare every token with word lists and roles, and
 * most pairs differ there (a call to strcmp was 11 % of `marsad facts`). */
static inline bool mr_x_streq(const char *a, const char *b)
{
    if (a[0] != b[0])
        return false;
    if (!a[0])
        return true;
    return a[1] == b[1] && (!a[1] || strcmp(a + 2, b + 2) == 0);
}

/* Look-up variants allowed by mr_x_lookup. */
#define MR_X_CONJ 0x01u    /* a glued و or ف */
#define MR_X_ART 0x02u     /* the article ال (and بال، لل، وال، فال، كال) */
#define MR_X_PREP 0x04u    /* a glued ب or ل */
#define MR_X_TANWEEN 0x08u /* a final tanween alef: مدنيا -> مدني */
#define MR_X_ALL 0x0fu

/*
 * Row of lx for token i's normalised form, trying the form as written
 * first and then with the clitics `allow` names peeled, or -1. *peeled
 * (may be NULL) receives the bytes of prefix removed (in the normalised
 * form, which for Arabic letters matches the original's bytes when no
 * diacritic sits in the prefix). O(log rows).
 */
long mr_x_lookup(const mr_lex *lx, const mr_toks *tv, size_t i, unsigned allow,
                 size_t *peeled);

/* Token i's normalised form equals w (NUL-terminated, normalised). */
bool mr_x_is(const mr_toks *tv, size_t i, const char *w);
/* Same, after peeling a glued و/ف. */
bool mr_x_is_c(const mr_toks *tv, size_t i, const char *w);

/* Token i ends a sentence (. ! ? ؟ or a line break right after it). */
bool mr_x_sent_end(const mr_toks *tv, const char *text, size_t len, size_t i);
/* A line break lies between token i-1 and token i (i > 0). */
bool mr_x_break_before(const mr_toks *tv, const char *text, size_t i);
/* Token i is punctuation that closes a clause: , ، ; ؛ : or a sentence end. */
bool mr_x_clause_punct(const mr_toks *tv, size_t i);
/* Token i is a quotation mark or bracket (skipped around names). */
bool mr_x_quote_punct(const mr_toks *tv, size_t i);
/* Token i is the "_" that joins two words of a hashtag (#سعد_الحريري). */
bool mr_x_joiner(const mr_toks *tv, const char *text, size_t i);

/* Index of the first token whose end is > pos (tokens are sorted). */
size_t mr_x_tok_at(const mr_toks *tv, size_t pos);
/* The date whose span holds byte pos, or -1 (binary search: dates.c finds
 * the dates left to right, so they are in text order and apart). */
int mr_x_date_at(const mr_facts *f, uint32_t pos);

/* Index of the entity starting inside token i (entities sorted by start),
 * or -1. */
int mr_x_entity_at_tok(const mr_facts *f, size_t i);

/* Days since 1970-01-01 of an ISO date "YYYY-MM-DD..." (a valid day), in
 * *days; false when s is not one. Defined with the calendar, in dates.c. */
bool mr_x_iso_days(const char *s, long *days);

/* The last token of entity e, which starts inside token i. */
size_t mr_x_entity_last_tok(const mr_facts *f, int e, size_t i);

/*
 * An anaphor: a bare common noun (التنظيم، المرصد، الصحيفة، تحالف ...)
 * names the last entity before byte `before` whose canonical name holds
 * that noun as a word; titles (المسؤول، الرئيس، الوزير ...) name the last
 * person. Returns the entity index or -1.
 */
int mr_x_anaphor(const mr_facts *f, const mr_toks *tv, size_t i, uint32_t before);

/* How many entities back an anaphor looks (bounds the cost per mention). */
#define MR_X_ANAPHOR_REACH 200

/* Number of entities starting before byte pos (entities sorted by start). */
size_t mr_x_entities_before(const mr_facts *f, uint32_t pos);

/* Grows a fact vector by one zeroed element; NULL on OOM. */
void *mr_x_push(void **v, size_t *n, size_t *cap, size_t size);
#define MR_X_PUSH(vec) \
    mr_x_push((void **)&(vec).v, &(vec).n, &(vec).cap, sizeof *(vec).v)

#endif
