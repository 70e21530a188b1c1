/*
 * test_ner.c: the trained name tagger (src/extract/ner.h): Viterbi keeps to
 * valid IOB2, features are a function of the text, a hand-made model's
 * names meet the rules' entities as documented (a person the rules cut
 * elsewhere takes the model's span), the compiled weights
 * find names the rules miss in sentences of our own, and the memo of word
 * shares a facts object keeps from report to report changes no result,
 * even when it puts words out.
 */
#include "testutil.h"

#include "extract/extract.h"
#include "extract/ner.h"

enum { NT = MR_NER_NTAGS };

static void viterbi_keeps_to_valid_iob2(void **state)
{
    (void)state;
    /* every token prefers I-PER, which may not start a name */
    float emit[4 * NT], trans[(NT + 1) * NT];
    memset(trans, 0, sizeof trans);
    for (size_t i = 0; i < 4; i++)
        for (int t = 0; t < NT; t++)
            emit[i * NT + (size_t)t] = t == MR_NER_I_PER ? 5.0f
                                       : t == MR_NER_B_LOC ? 4.0f : 0.0f;
    float back[4 * NT];
    uint8_t tags[4];
    mr_ner_viterbi(emit, 4, trans, back, tags);
    assert_int_equal(tags[0], MR_NER_B_LOC); /* not I-PER at the start */
    for (size_t i = 1; i < 4; i++) {
        if (tags[i] % 2 == 0 && tags[i] != MR_NER_O)
            assert_true(tags[i - 1] == tags[i] || tags[i - 1] == tags[i] - 1);
    }
    /* a strong transition wins over weak emissions */
    for (size_t i = 0; i < 4 * NT; i++)
        emit[i] = 0;
    emit[0 * NT + MR_NER_B_ORG] = 1;
    trans[(MR_NER_B_ORG + 1) * NT + MR_NER_I_ORG] = 3;
    trans[(MR_NER_I_ORG + 1) * NT + MR_NER_I_ORG] = 3;
    mr_ner_viterbi(emit, 4, trans, back, tags);
    assert_int_equal(tags[0], MR_NER_B_ORG);
    assert_int_equal(tags[3], MR_NER_I_ORG);
}

static void build(mr_facts *f, const char *s)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(mr_toks_build(&f->toks, s, strlen(s), 0), MARSAD_OK);
    assert_int_equal(mr_extract_entities(s, strlen(s), f), MARSAD_OK);
}

static void done(mr_facts *f)
{
    mr_facts_free(f);
}

static void features_depend_on_the_text_only(void **state)
{
    (void)state;
    const char *s = "قال وزير الخارجية أمس إن بغداد ستستقبل الوفد.";
    mr_facts a, b;
    build(&a, s);
    build(&b, s);
    size_t n = a.toks.n;
    uint8_t *ra = malloc(n), *rb = malloc(n), *ca = malloc(n), *cb = malloc(n);
    uint32_t *fa = malloc(n * MR_NER_MAX_FEATS * 4),
             *fb = malloc(n * MR_NER_MAX_FEATS * 4);
    mr_ner_rule_tags(&a, ra);
    mr_ner_rule_tags(&b, rb);
    assert_memory_equal(ra, rb, n);
    /* بغداد is a place by the gazetteer: B-LOC */
    size_t bag = 5;
    assert_int_equal(ra[bag], MR_NER_B_LOC);
    assert_int_equal(mr_ner_features(&a.toks, ra, fa, ca), MARSAD_OK);
    assert_int_equal(mr_ner_features(&b.toks, rb, fb, cb), MARSAD_OK);
    for (size_t i = 0; i < n; i++) {
        assert_true(ca[i] > 5 && ca[i] <= MR_NER_MAX_FEATS);
        assert_int_equal(ca[i], cb[i]);
        assert_memory_equal(fa + i * MR_NER_MAX_FEATS, fb + i * MR_NER_MAX_FEATS,
                            ca[i] * 4u);
    }
    /* two different words differ in some feature */
    assert_true(memcmp(fa + 1 * MR_NER_MAX_FEATS, fa + 2 * MR_NER_MAX_FEATS,
                       4u * (ca[1] < ca[2] ? ca[1] : ca[2])) != 0);
    free(ra), free(rb), free(ca), free(cb), free(fa), free(fb);
    done(&a);
    done(&b);
}

/* A model that knows two words: zeta is a person, (ن) pushes to O. */
static void hand_model_meets_the_rules(void **state)
{
    (void)state;
    /* مارتينيز is no first name nor in any lexicon: only the model tags it */
    const char *s = "التقى مارتينيز وفدا في بغداد. ثم غادر مارتينيز";
    mr_facts f;
    build(&f, s);
    size_t rules = f.entities.n;
    assert_int_equal(rules, 1); /* بغداد */
    static mr_ner_word words[64];
    static uint32_t keys[64];
    memset(words, 0, sizeof words);
    memset(keys, 0, sizeof keys);
    uint32_t key = mr_ner_word_key(&f.toks, 1);
    keys[key & 63] = key;
    words[key & 63].w[2][MR_NER_B_PER] = 100;
    /* and a word that claims بغداد is an organisation: the rule stands */
    uint32_t kb = mr_ner_word_key(&f.toks, 4);
    size_t sb = kb & 63;
    while (keys[sb])
        sb = (sb + 1) & 63;
    keys[sb] = kb;
    words[sb].w[2][MR_NER_B_ORG] = 100;
    static mr_ner_slot slots[1];
    float trans[(NT + 1) * NT];
    memset(trans, 0, sizeof trans);
    mr_ner_model m = {slots, 1, 1, 1.0f, keys, words, 64, 1.0f, trans, 0, 0.0f,
                      false};
    assert_int_equal(mr_ner_apply(s, strlen(s), &f, &m), MARSAD_OK);
    assert_int_equal(f.entities.n, 3);
    /* sorted by start: مارتينيز (model), بغداد (rule, kept as a place),
     * مارتينيز again */
    const mr_entity *e = f.entities.v;
    assert_int_equal(e[0].kind, MR_ENT_PERSON);
    assert_int_equal(e[0].start, f.toks.v[1].start);
    assert_string_equal(e[0].canonical, "مارتينيز");
    assert_int_equal(e[1].kind, MR_ENT_PLACE);
    assert_int_equal(e[2].kind, MR_ENT_PERSON);
    assert_true(e[0].start < e[1].start && e[1].start < e[2].start);
    done(&f);
}

/* A hand model that tags tokens tok[0..n) with tags tag[0..n) (merge 3);
 * every other token ties, and ties go to O. */
static void apply_words(mr_facts *f, const char *s, const size_t *tok,
                        const int *tag, size_t n)
{
    static mr_ner_word words[64];
    static uint32_t keys[64];
    memset(words, 0, sizeof words);
    memset(keys, 0, sizeof keys);
    for (size_t k = 0; k < n; k++) {
        uint32_t key = mr_ner_word_key(&f->toks, tok[k]);
        size_t slot = key & 63;
        while (keys[slot])
            slot = (slot + 1) & 63;
        keys[slot] = key;
        words[slot].w[2][tag[k]] = 100;
    }
    static mr_ner_slot slots[1];
    float trans[(NT + 1) * NT];
    memset(trans, 0, sizeof trans);
    mr_ner_model m = {slots, 1, 1, 1.0f, keys, words, 64, 1.0f, trans, 3,
                      0.0f, false};
    assert_int_equal(mr_ner_apply(s, strlen(s), f, &m), MARSAD_OK);
}

/* Runs over s (its rules already in f) a hand model that knows one word,
 * token tok, as the first of a name of tag `tag` (merge 3). */
static void apply_one_word(mr_facts *f, const char *s, size_t tok, int tag)
{
    apply_words(f, s, &tok, &tag, 1);
}

/* One-word names of a hand model: a glued letter is left out of the span
 * unless it is the name's own (the news knows كاليفورنيا, not
 * اليفورنيا). */
static void glued_letter_of_a_name(void **state)
{
    (void)state;
    const char *s[2] = {"وصل الوفد إلى كاليفورنيا أمس",
                        "التقى الوفد وزيلانيسكو أمس"};
    const char *want[2] = {"كاليفورنيا", "زيلانيسكو"};
    int kind[2] = {MR_NER_B_LOC, MR_NER_B_PER};
    for (int k = 0; k < 2; k++) {
        mr_facts f;
        build(&f, s[k]);
        assert_int_equal(f.entities.n, 0);
        size_t tok = k == 0 ? 3 : 2;
        apply_one_word(&f, s[k], tok, kind[k]);
        assert_int_equal(f.entities.n, 1);
        assert_string_equal(f.entities.v[0].canonical, want[k]);
        assert_int_equal(f.entities.v[0].end, f.toks.v[tok].end);
        done(&f);
    }
}

/* A rule person the model finds shifted (the rules' "حسين يشكل", the
 * model's "صدام حسين") takes the model's span; a model name that is only
 * part of a rule person (دونالد of دونالد ترامب) leaves the rule's. */
static void person_cut_by_the_rules(void **state)
{
    (void)state;
    const char *s = "قال الرئيس العراقي صدام حسين يشكل تهديدا";
    mr_facts f;
    build(&f, s);
    assert_int_equal(f.entities.n, 1);
    assert_int_equal(f.entities.v[0].start, f.toks.v[4].start); /* حسين */
    size_t tok[2] = {3, 4};
    int tag[2] = {MR_NER_B_PER, MR_NER_I_PER};
    apply_words(&f, s, tok, tag, 2);
    assert_int_equal(f.entities.n, 1);
    assert_int_equal(f.entities.v[0].kind, MR_ENT_PERSON);
    assert_int_equal(f.entities.v[0].start, f.toks.v[3].start);
    assert_int_equal(f.entities.v[0].end, f.toks.v[4].end);
    done(&f);

    const char *t = "قال الرئيس الأمريكي دونالد ترامب أمس";
    build(&f, t);
    assert_int_equal(f.entities.n, 1);
    apply_words(&f, t, tok, tag, 1); /* دونالد alone */
    assert_int_equal(f.entities.n, 1);
    assert_int_equal(f.entities.v[0].start, f.toks.v[3].start);
    assert_int_equal(f.entities.v[0].end, f.toks.v[4].end);
    done(&f);
}

/* Where the model gives a rule entity's very span another kind, its kind
 * wins, but not over a place behind a place classifier. */
static void place_after_classifier_stands(void **state)
{
    (void)state;
    const char *s[2] = {"نزح السكان من قرية «الباغوز» أمس",
                        "نزح السكان من الباغوز أمس"};
    size_t tok[2] = {5, 3};
    int want[2] = {MR_ENT_PLACE, MR_ENT_ORG};
    for (int k = 0; k < 2; k++) {
        mr_facts f;
        build(&f, s[k]);
        assert_int_equal(f.entities.n, 1);
        assert_int_equal(f.entities.v[0].kind, MR_ENT_PLACE);
        apply_one_word(&f, s[k], tok[k], MR_NER_B_ORG);
        assert_int_equal(f.entities.n, 1);
        assert_int_equal(f.entities.v[0].kind, want[k]);
        done(&f);
    }
}

/* A name of the model with a Latin word in lower case is not added
 * (English text in a post: "seo tools"); a capitalised one is. */
static void latin_lower_case_is_no_name(void **state)
{
    (void)state;
    const char *s = "قال Smith ثم قال smith أمس";
    mr_facts f;
    build(&f, s);
    assert_int_equal(f.entities.n, 0);
    static mr_ner_word words[64];
    static uint32_t keys[64];
    memset(words, 0, sizeof words);
    memset(keys, 0, sizeof keys);
    for (size_t tok = 1; tok <= 4; tok += 3) {
        uint32_t key = mr_ner_word_key(&f.toks, tok);
        size_t sl = key & 63;
        while (keys[sl] && keys[sl] != key)
            sl = (sl + 1) & 63;
        keys[sl] = key;
        words[sl].w[2][MR_NER_B_PER] = 100;
    }
    static mr_ner_slot slots[1];
    float trans[(NT + 1) * NT];
    memset(trans, 0, sizeof trans);
    mr_ner_model m = {slots, 1, 1, 1.0f, keys, words, 64, 1.0f, trans, 3,
                      0.0f, false};
    assert_int_equal(mr_ner_apply(s, strlen(s), &f, &m), MARSAD_OK);
    assert_int_equal(f.entities.n, 1);
    assert_string_equal(f.entities.v[0].canonical, "Smith");
    done(&f);
}

/* The compiled weights, on sentences of our own. */
static void compiled_model_adds_names_the_rules_miss(void **state)
{
    (void)state;
    const char *s = "وأعلنت شركة تويوتا موتورز عن أرباح جديدة في الربع الأول.";
    mr_facts f;
    memset(&f, 0, sizeof f);
    mr_extract_opts rules = {NULL, NULL, false, false}, model = {NULL, NULL, false, true};
    assert_int_equal(mr_extract(s, strlen(s), &rules, &f), MARSAD_OK);
    size_t nrules = f.entities.n;
    assert_int_equal(mr_extract(s, strlen(s), &model, &f), MARSAD_OK);
    assert_true(f.entities.n > nrules);
    bool found = false;
    for (size_t i = 0; i < f.entities.n; i++) {
        const mr_entity *e = &f.entities.v[i];
        if (e->kind == MR_ENT_ORG &&
            strstr(s + e->start, "تويوتا") == s + e->start)
            found = true;
    }
    assert_true(found);
    /* never a lone classifier or an indefinite description */
    mr_facts_free(&f);
    const char *t = "وصلت منظمة دولية إلى ريف المدينة.";
    build(&f, t);
    size_t before = f.entities.n;
    assert_int_equal(mr_extract_ner(t, strlen(t), &f), MARSAD_OK);
    assert_int_equal(f.entities.n, before);
    done(&f);
}

/* Entities of text s through the compiled tagger, as "start end kind;". */
static void entity_list(mr_facts *f, const char *s, char *out, size_t cap)
{
    f->entities.n = 0;
    assert_int_equal(mr_toks_build(&f->toks, s, strlen(s), 0), MARSAD_OK);
    assert_int_equal(mr_extract_entities(s, strlen(s), f), MARSAD_OK);
    assert_int_equal(mr_extract_ner(s, strlen(s), f), MARSAD_OK);
    size_t o = 0;
    out[0] = 0;
    for (size_t i = 0; i < f->entities.n && o + 40 < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%u %u %d;",
                              (unsigned)f->entities.v[i].start,
                              (unsigned)f->entities.v[i].end,
                              (int)f->entities.v[i].kind);
}

/* A facts object reused for several reports keeps the shares of the words
 * the compiled table lacks: the second report's names are those a fresh
 * object finds. */
static void memo_changes_no_result(void **state)
{
    (void)state;
    const char *a = "قال المدرب الكرواتي زلاتكو داليتش إن فريقه فاز على "
                    "نادي سوتشي الروسي في مدينة كراسنودار.",
               *b = "واستقبل داليتش في كراسنودار وفدا من اتحاد الكرة "
                    "برئاسة كيريل بيريوكوف.";
    mr_facts reused, fresh;
    memset(&reused, 0, sizeof reused);
    memset(&fresh, 0, sizeof fresh);
    char x[2048], y[2048], z[2048];
    entity_list(&reused, a, x, sizeof x);
    assert_non_null(reused.ner_memo); /* rare words were kept */
    entity_list(&reused, b, y, sizeof y);
    entity_list(&fresh, b, z, sizeof z);
    assert_string_equal(y, z);
    assert_true(strlen(y) > 0);
    done(&reused);
    done(&fresh);
    assert_null(reused.ner_memo);
}

/* The word key of the one-word text s (built into tv). */
static uint32_t key_of(mr_toks *tv, const char *s)
{
    assert_int_equal(mr_toks_build(tv, s, strlen(s), 0), MARSAD_OK);
    assert_int_equal(tv->n, 1);
    return mr_ner_word_key(tv, 0);
}

static bool in_table(uint32_t key)
{
    const mr_ner_model *m = &mr_ner_compiled;
    size_t mask = m->nwords - 1;
    for (size_t s = key & mask; m->word_keys[s]; s = (s + 1) & mask)
        if (m->word_keys[s] == key)
            return true;
    return false;
}

/* A word put out of the memo by others of its bucket, even between the
 * moment its shares were found and the moment they are added, is worked
 * out again: a reused facts object finds the names a fresh one does. */
static void memo_evicts_without_changing_results(void **state)
{
    (void)state;
    const char *name = "كراسنودار";
    mr_toks tv;
    memset(&tv, 0, sizeof tv);
    uint32_t key = key_of(&tv, name);
    assert_false(in_table(key)); /* a word the memo must keep */
    size_t nb = MR_NER_MEMO_MAX / MR_NER_MEMO_WAYS;
    /* made-up words of the same bucket, none in the compiled table */
    static const char *const letters[] = {"ب", "ت", "ر", "ز", "س", "ك", "م", "ن"};
    char words[MR_NER_MEMO_WAYS][64];
    size_t found = 0;
    for (uint32_t x = 0; found < MR_NER_MEMO_WAYS && x < 8u * 8 * 8 * 8 * 8 * 8; x++) {
        char w[64];
        size_t o = 0;
        for (uint32_t y = x, k = 0; k < 6; k++, y /= 8)
            o += (size_t)snprintf(w + o, sizeof w - o, "%s", letters[y % 8]);
        uint32_t h = key_of(&tv, w);
        if ((h & (nb - 1)) == (key & (nb - 1)) && h != key && !in_table(h))
            memcpy(words[found++], w, o + 1);
    }
    mr_toks_free(&tv);
    assert_int_equal(found, MR_NER_MEMO_WAYS);
    char text[1024];
    /* the name's shares found in the memo (token 7), then its bucket
     * filled by the four words before its shares are added */
    snprintf(text, sizeof text, "%s %s %s %s وصل الوفد إلى %s أمس.",
             words[0], words[1], words[2], words[3], name);
    mr_facts reused, fresh;
    memset(&reused, 0, sizeof reused);
    memset(&fresh, 0, sizeof fresh);
    char x[2048], y[2048], z[2048];
    entity_list(&reused, name, x, sizeof x); /* the name in the memo */
    entity_list(&reused, text, y, sizeof y);
    entity_list(&fresh, text, z, sizeof z);
    assert_string_equal(y, z);
    char want[64];
    size_t end = strlen(text) - strlen(" أمس.");
    snprintf(want, sizeof want, "%zu %zu %d;", end - strlen(name), end,
             (int)MR_ENT_PLACE);
    assert_non_null(strstr(z, want)); /* the name found */
    done(&reused);
    done(&fresh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(viterbi_keeps_to_valid_iob2),
        cmocka_unit_test(glued_letter_of_a_name),
        cmocka_unit_test(latin_lower_case_is_no_name),
        cmocka_unit_test(place_after_classifier_stands),
        cmocka_unit_test(person_cut_by_the_rules),
        cmocka_unit_test(features_depend_on_the_text_only),
        cmocka_unit_test(hand_model_meets_the_rules),
        cmocka_unit_test(compiled_model_adds_names_the_rules_miss),
        cmocka_unit_test(memo_changes_no_result),
        cmocka_unit_test(memo_evicts_without_changing_results),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
