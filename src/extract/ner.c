/*
 * ner.c: the name tagger's compiled weights (src/extract/ner_weights.inc,
 * written by tools/train_ner.c through `make model`) and the extraction
 * stage that runs it after the rules (see ner.h).
 */
#include "extract/ner.h"

#include "extract/ner_weights.inc"

/* NER_MERGE and NER_MIN_MARGIN (ner.h, mr_ner_model) come with the
 * weights: they were tuned with them. */


const mr_ner_model mr_ner_compiled = {
    ner_slots, NER_NSLOTS, NER_NROWS, NER_SCALE, ner_word_keys, ner_words,
    NER_NWORDS,
    NER_WSCALE, ner_trans,
    NER_MERGE, NER_MIN_MARGIN, true};

marsad_status mr_extract_ner(const char *text, size_t len, mr_facts *f)
{
    if (!f || (!text && len))
        return MARSAD_E_ARG;
    return mr_ner_apply(text, len, f, &mr_ner_compiled);
}
