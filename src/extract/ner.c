/*
 * ner.c: the name tagger's compiled weights (src/extract/ner_weights.inc,
 * written by tools/train_ner.c through `make model`) and the extraction
 * stage that runs it after the rules (see ner.h).
 */
#include "extract/ner.h"

#include "extract/ner_weights.inc"

/* How the model's names meet the rules' (ner.h, mr_ner_model.merge). */
#ifndef NER_MIN_MARGIN
#define NER_MIN_MARGIN 0.0f
#endif
#ifndef NER_MERGE
#define NER_MERGE 1
#endif

const mr_ner_model mr_ner_compiled = {
    ner_slots, NER_NSLOTS, ner_keys, ner_w, NER_NROWS, NER_SCALE, ner_trans,
    NER_MERGE, NER_MIN_MARGIN};

marsad_status mr_extract_ner(const char *text, size_t len, mr_facts *f)
{
    if (!f || (!text && len))
        return MARSAD_E_ARG;
    return mr_ner_apply(text, len, f, &mr_ner_compiled);
}
