/*
 * ner.h: the trained name tagger (issue 16), internal to src/extract/ and
 * to tools/train_ner.c, which trains it.
 *
 * A linear-chain model over marsad's own tokens: per token, a score for
 * each of MR_NER_NTAGS tags (IOB2 over person, place, organisation and
 * MISC) is the sum of the weights of the token's features; a tag bigram
 * adds a transition weight; Viterbi picks the best sequence among those
 * that are valid IOB2. Weights come from an averaged perceptron (Collins
 * 2002) trained by `make model` on ANERcorp (docs/entities-dates.md says from
 * which part and under which terms); they are compiled in
 * (src/extract/ner_weights.inc), so nothing is read at run time.
 *
 * Features (ner_feat.c, all hashed to 32 bits with FNV-1a, template id
 * first): the normalised word, its light stem, the word with its clitics
 * (و/ف، ب/ك/ل، ال) split off and which clitics they were, first and last
 * letters, letter trigrams, shape (script, digits, length), the words,
 * stems and endings around, word clusters learnt from unlabelled news
 * (mr_ner_clusters), membership in marsad's lexicons (first names, gazetteer and CLDR
 * places with their kind, the roles of data/ent_words.tsv: titles,
 * classifiers, demonyms ...), and the entity the rules of entities.c gave
 * the token (B/I and kind) and its neighbours: the model learns where the
 * rules are right and where they miss.
 *
 * How the model's names and the rules' entities meet (mr_ner_apply, with
 * the compiled merge 3): a rule entity stands, but for a person the rules
 * cut elsewhere (the model's person meets it alone, goes beyond it, and
 * tagged O what of it lies outside), which takes the model's span; a
 * model name that
 * overlaps none is added, its span
 * without a glued و/ب/ل/ك/ف when the rest is a known name or starts with
 * ال, its canonical the name as written or, for a lone word that is the
 * last name of a person met earlier, that person's canonical.
 */
#ifndef MR_EXTRACT_NER_H
#define MR_EXTRACT_NER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract/extract.h"

/* Tags: 0 = O, then B and I of each class. */
enum {
    MR_NER_O = 0,
    MR_NER_B_PER, MR_NER_I_PER,
    MR_NER_B_LOC, MR_NER_I_LOC,
    MR_NER_B_ORG, MR_NER_I_ORG,
    MR_NER_B_MISC, MR_NER_I_MISC,
    MR_NER_NTAGS
};

/* Most features of one token. */
#define MR_NER_MAX_FEATS 96

/*
 * A compiled model: an open-addressing table of nslots slots (a power of
 * two, probing linearly), each a feature hash (0 = empty) with its
 * MR_NER_NTAGS weights inline, so that a look-up touches one cache line;
 * scores are weight sums times `scale`. trans[(prev + 1) * NTAGS + tag]
 * are the transition weights, prev = -1 being the start.
 */
typedef struct mr_ner_slot {
    uint32_t key;
    int16_t w[MR_NER_NTAGS];
} mr_ner_slot;

/* A word's summed share of the scores of the tokens around it:
 * w[o + 2][tag] for the token o places after it (o = -2 .. 2), times the
 * model's wscale. Its key is in the model's word_keys, at the same slot. */
typedef struct mr_ner_word {
    int16_t w[5][MR_NER_NTAGS];
} mr_ner_word;

typedef struct mr_ner_model {
    const mr_ner_slot *slots;
    size_t nslots;
    size_t nrows;       /* slots in use */
    float scale;
    const uint32_t *word_keys; /* the training words' keys
                                  (mr_ner_word_key, 0 = empty slot), apart
                                  from their shares so that probing a word
                                  the table lacks touches a small array */
    const mr_ner_word *words; /* their shares precomputed (NULL = none):
                                 one look-up per token instead of one per
                                 feature */
    size_t nwords;      /* slots of word_keys and words, a power of two */
    float wscale;
    const float *trans; /* (MR_NER_NTAGS + 1) * MR_NER_NTAGS */
    int merge;          /* 0: rules first; 1: the model first, rules kept
                           where it found nothing; 2: the model alone;
                           3: rules first, but a person the rules cut
                           elsewhere takes the model's span */
    float min_margin;   /* least score over O of a name the rules lack */
    bool memo;          /* the shares of words missing from `words` may be
                           kept in mr_facts.ner_memo (a model that never
                           changes: the compiled one) */
} mr_ner_model;

/*
 * Word clusters learnt from unlabelled news (tools/gen_ner_clusters.c):
 * an open-addressing table of nslots keys (mr_ner_cluster_key, 0 = empty)
 * with each word's fine cluster, and each fine cluster's coarse one.
 */
typedef struct mr_ner_clusters {
    const uint32_t *key;
    const uint16_t *fine;
    size_t nslots;          /* a power of two, or 0: no clusters */
    const uint8_t *coarse;
    const uint8_t *article; /* per slot: how often the word is met with the
                               article ال glued on, as a share of all its
                               uses: 0 it starts with ال itself, 1 under
                               2 %, 2 under 20 %, 3 more (common nouns take
                               the article, names mostly do not) */
    const uint32_t *brown;  /* per slot: the word's Brown cluster, the first
                               bits of its path in the merge tree
                               ((length << 24) | bits, 0 none) */
} mr_ner_clusters;

/* The clusters compiled into the library (ner_clusters.c). */
extern const mr_ner_clusters mr_ner_clusters_compiled;

/* The cluster table's key of token i (its normalised form), and of a
 * normalised form s[0..n). */
uint32_t mr_ner_cluster_key(const mr_toks *tv, size_t i);
uint32_t mr_ner_cluster_key_str(const char *s, size_t n);

/* The model compiled into the library (ner.c). */
extern const mr_ner_model mr_ner_compiled;

/*
 * Per-token rule labels for tokens 0..tv->n of f (rules' entities, which
 * are sorted by start): rtag[i] is a tag as above (B/I of the rule's kind;
 * outlets count as organisations).
 */
void mr_ner_rule_tags(const mr_facts *f, uint8_t *rtag);

/* The feature hashes of every token of tv: token i's are
 * out[i * MR_NER_MAX_FEATS ...] and there are cnt[i] of them. out holds
 * tv->n * MR_NER_MAX_FEATS, cnt tv->n. Returns MARSAD_OK or
 * MARSAD_E_NOMEM. */
marsad_status mr_ner_features(const mr_toks *tv, const uint8_t *rtag,
                              uint32_t *out, uint8_t *cnt);

/* The word-table key of token i (its normalised form, kind and flags). */
uint32_t mr_ner_word_key(const mr_toks *tv, size_t i);

/* Token i's word's share of the scores around it with m's feature table:
 * out[o + 2][tag] for the token o places after it (what the word table
 * stores). */
void mr_ner_word_share(const mr_toks *tv, size_t i, const mr_ner_model *m,
                       float out[5][MR_NER_NTAGS]);

/*
 * Viterbi over n tokens: emit[i * NTAGS + t] the tag scores, trans as in
 * mr_ner_model; writes the best valid IOB2 sequence to tags (of equal
 * scores, the first tag in tag order). score is scratch of n * NTAGS
 * floats. O(n * NTAGS^2).
 */
void mr_ner_viterbi(const float *emit, size_t n, const float *trans,
                    float *score, uint8_t *tags);

/*
 * The shares (mr_ner_word_share) of the words a model's word table lacks,
 * computed once and kept in f->ner_memo for the reports f is reused for:
 * a word missing from the table costs some 50 feature look-ups and four
 * lexicon searches, and the same rare names and words come back report
 * after report. At most MR_NER_MEMO_MAX words (in buckets of four, a new
 * word taking the place of its bucket's oldest).
 * It belongs to f (one thread at a time, as f); mr_facts_free frees it.
 */
#define MR_NER_MEMO_MAX 131072
#define MR_NER_MEMO_WAYS 4 /* words a bucket */
#define MR_NER_RMEMO_MAX 32768 /* (word, rules' tag) sums kept */
void mr_ner_memo_free(struct mr_ner_memo *memo);

/*
 * Tags f's tokens with model m (f->entities holds the rules' entities) and
 * adds its names as described above. Entities stay sorted by start.
 * Returns MARSAD_OK or MARSAD_E_NOMEM.
 */
marsad_status mr_ner_apply(const char *text, size_t len, mr_facts *f,
                           const mr_ner_model *m);

#endif
