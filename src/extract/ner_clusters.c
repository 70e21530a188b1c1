/*
 * ner_clusters.c: the word clusters the name tagger's features use
 * (src/extract/ner_clusters.inc, written by tools/gen_ner_clusters.c
 * through `make model`; see ner.h).
 */
#include "extract/ner.h"

#include "extract/ner_clusters.inc"

const mr_ner_clusters mr_ner_clusters_compiled = {
    ner_cl_key, ner_cl_fine, NER_CL_NSLOTS, ner_cl_coarse, ner_cl_article,
    ner_cl_brown};
