/*
 * sources.c: attributions (DESIGN.md, "A source"): a cue (قال، أفاد،
 * بحسب، وفقا لـ، نقلا عن، المصدر: ...; data/attribution_cues.tsv), the
 * speaker it names (an entity, an anaphor for one, a descriptive speaker
 * such as "مسؤول عسكري أمريكي" from data/speakers.tsv, or, for a cue with
 * no subject, the speaker of the attribution before it), the text it
 * covers (its scope), and chains (ذكرت وسائل إعلام ... بحسب المرصد;
 * نقلت صحيفة ... عن تقرير ...).
 *
 * One pass over the tokens; each cue looks at a bounded window around
 * itself, and its scope ends at the sentence end found by a forward scan
 * shared by all cues of the sentence: O(tokens + entities log entities).
 */
#include <stdlib.h>
#include <string.h>

#include "extract/xutil.h"
#include "lex_attribution_cues.inc"
#include "lex_events.inc"
#include "lex_speakers.inc"

enum { K_VERB, K_CONT, K_PREP, K_CREDIT, K_REC, K_TRAIL };

static int cue_kind(const char *k)
{
    if (strcmp(k, "cont") == 0)
        return K_CONT;
    if (strcmp(k, "prep") == 0)
        return K_PREP;
    if (strcmp(k, "credit") == 0)
        return K_CREDIT;
    if (strcmp(k, "record") == 0)
        return K_REC;
    if (strcmp(k, "trail") == 0)
        return K_TRAIL;
    return K_VERB;
}

/* Words that end a speaker's descriptive phrase. */
static const char *const phrase_stop[] = {
    "من", "في", "على", "علي", "الى", "الي", "عن", "مع", "ان", "إن", "بان",
    "انه", "انها", "انهما", "انهم", "بانه", "بانها", "بانهم", "فان", "الذي", "التي", "الذين", "قد", "لا", "لم", "ما",
    "حيث", "او", "ثم", "امس", "اليوم", "خلال", "منذ", "حول", "بعد", "قبل",
    "عبر", "لدى", "لدي", "مساء", "صباح", "الاحد", "الاثنين", "الثلاثاء",
    "الاربعاء", "الخميس", "الجمعه", "السبت", NULL};

/* The object of an estimate or a count, after its speaker: "قدر خبراء
 * عدد المعتقلين"، "قدرت دراسة حجم الأضرار". */
static const char *const counted_objects[] = {"عدد", "اعداد", "حجم", "قيمه", "نسبه", NULL};

/* Adverbs that end a speaker's phrase. */
static const char *const adverbs[] = {
    "حينها", "انذاك", "حينذاك", "ايضا", "كذلك", "مؤخرا", "موخرا", "الان",
    "امس", "اليوم", "سابقا", "لاحقا", "حاليا", "مجددا", NULL};

/* Ranks and honorifics that open a person's name, not a body's. */
static const char *const ranks[] = {
    "العقيد", "العميد", "اللواء", "الركن", "الجنرال", "الكولونيل", "الرايد",
    "النقيب", "المقدم", "الفريق", "الشيخ", "الدكتور", "السيد", "السيده", NULL};

/* Verbs that often follow a descriptive speaker: تقارير صدرت، تقرير نشر */
static const char *const verbs_after[] = {
    "صدر", "صدرت", "نشر", "نشرت", "اعدها", "اعده", "وصلت", "تلقت", "كشف",
    "كشفت", "يقول", "تقول", "تفيد", "تحدثت", "افادت", "قالت", "اجري", "اجرته",
    "اجراه", "نشرته", "شمل", NULL};

/* A nisba adjective: ends in ي، يه، يون، يين (normalised). */
static bool nisba(const char *s, size_t n)
{
    return (n > 4 && strcmp(s + n - 2, "\xd9\x8a") == 0) ||
           (n > 6 && strcmp(s + n - 4, "\xd9\x8a\xd9\x87") == 0) ||
           (n > 8 && strcmp(s + n - 6, "\xd9\x8a\xd9\x88\xd9\x86") == 0) ||
           (n > 8 && strcmp(s + n - 6, "\xd9\x8a\xd9\x8a\xd9\x86") == 0);
}

static bool in_list(const char *s, const char *const *list)
{
    for (size_t k = 0; list[k]; k++)
        if (mr_x_streq(s, list[k]))
            return true;
    return false;
}

/* A speaker's words copied from the text, a hashtag's "_" read as a
 * space (#الشرطة_البريطانية). */
static char *speaker_dup(mr_facts *f, const char *s, size_t n)
{
    char *d = mr_arena_strndup(&f->arena, s, n);
    for (char *u = d; u && *u; u++)
        if (*u == '_')
            *u = ' ';
    return d;
}

typedef struct spk {
    const char *name; /* canonical or descriptive */
    int entity;
    uint32_t start, end; /* mention */
} spk;

static bool descriptive_at(mr_facts *f, const char *text, size_t j, spk *out);

/* Token k is a comma that opens a coordinated clause ("، و" + a word that
 * starts no entity). */
static bool clause_boundary(mr_facts *f, size_t k)
{
    const mr_toks *tv = &f->toks;
    return k + 1 < tv->n && mr_x_clause_punct(tv, k) &&
           tv->v[k + 1].kind == MARSAD_TOK_ARABIC &&
           strncmp(mr_tok_norm(tv, k + 1), "\xd9\x88", 2) == 0 &&
           mr_x_entity_at_tok(f, k + 1) < 0;
}

/* Verbs by which a document names its issuer: "حصيلة أعلنتها السلطات". */
static const char *const issued_by[] = {
    "اعلنتها", "اعلنها", "اصدرتها", "اصدرها", "نشرتها", "نشرها", "اوردتها",
    "اوردها", "قدمتها", "قدمها", "اعدتها", "اعدها", "اعلنته", "اعلنه",
    "نشرته", "نشره", "اصدرته", "اصدره", "اكدها", "اكدتها", "ذكرها",
    "ذكرتها", "وثقها", "وثقتها", "رصدها", "رصدتها", NULL};

/* Heads of speakers that are documents (their issuer is the source). */
static const char *const documents[] = {
    "بيان", "تقرير", "تقارير", "تقديرات", "تقدير", "دراسة", "إحصاءات",
    "إحصائيات", "أرقام", "حصيلة", "معلومات", NULL};

/* The issuer named at token k: an entity, an office before one ("محافظة
 * القاهرة"), or a descriptive speaker ("السلطات المحلية"). */
static bool issuer_at(mr_facts *f, const char *text, size_t k, spk *out)
{
    const mr_toks *tv = &f->toks;
    if (k >= tv->n || tv->v[k].kind != MARSAD_TOK_ARABIC)
        return false;
    int e = mr_x_entity_at_tok(f, k);
    if (e >= 0) {
        out->name = f->entities.v[e].canonical;
        out->entity = e;
        out->end = f->entities.v[e].end;
        return out->name != NULL;
    }
    e = mr_x_anaphor(f, tv, k, tv->v[k].start); /* صادر عن الحزب */
    if (e >= 0 && f->entities.v[e].kind != MR_ENT_PLACE) {
        out->name = f->entities.v[e].canonical;
        out->entity = e;
        out->end = tv->v[k].end;
        return out->name != NULL;
    }
    e = mr_x_entity_at_tok(f, k + 1);
    if (e >= 0 && strncmp(mr_tok_norm(tv, k), "\xd8\xa7\xd9\x84", 4) != 0 &&
        !in_list(mr_tok_norm(tv, k), phrase_stop)) {
        const mr_entity *en = &f->entities.v[e];
        out->entity = e;
        out->end = en->end;
        out->name = speaker_dup(f, text + tv->v[k].start,
                                     en->end - tv->v[k].start);
        return out->name != NULL;
    }
    return descriptive_at(f, text, k, out);
}

/* A body named in quotation marks after its classifier: منظمة "أطباء بلا
 * حدود"، صحيفة «الحياة»: the entity inside, else the quoted words (at
 * most eight tokens, on one line). */
static bool quoted_body_at(mr_facts *f, const char *text, size_t j, spk *out)
{
    static const char *const classifiers[] = {
        "منظمه", "صحيفه", "وكاله", "قناه", "مجله", "موقع", "شبكه", "جمعيه",
        "حركه", "جماعه", "ائتلاف", "حزب", "مركز", "هيئه", "مؤسسه", "تنظيم",
        "اذاعه", "تلفزيون", "مجموعه", "لجنه", NULL};
    const mr_toks *tv = &f->toks;
    if (j + 2 >= tv->n || !mr_x_quote_punct(tv, j + 1))
        return false;
    const char *w = mr_tok_norm(tv, j);
    if (strncmp(w, "\xd9\x88", 2) == 0 || strncmp(w, "\xd9\x84", 2) == 0)
        w += 2; /* و، ل */
    if (strncmp(w, "\xd8\xa7\xd9\x84", 4) == 0)
        w += 4; /* ال */
    if (!in_list(w, classifiers))
        return false;
    size_t a = j + 2, b = a;
    while (b < tv->n && b < a + 8 && !mr_x_quote_punct(tv, b) && !mr_x_break_before(tv, text, b))
        b++;
    if (b >= tv->n || b == a || !mr_x_quote_punct(tv, b))
        return false;
    int e = mr_x_entity_at_tok(f, a);
    out->start = tv->v[j].start;
    out->end = tv->v[b].end;
    if (e >= 0 && f->entities.v[e].end >= tv->v[b - 1].end) {
        out->entity = e;
        out->name = f->entities.v[e].canonical;
        return out->name != NULL;
    }
    out->entity = -1;
    out->name = speaker_dup(f, text + tv->v[a].start,
                                 tv->v[b - 1].end - tv->v[a].start);
    return out->name != NULL;
}

/* A descriptive speaker starting at token j: head + up to three words. */
static bool descriptive_at(mr_facts *f, const char *text, size_t j, spk *out)
{
    const mr_toks *tv = &f->toks;
    if (quoted_body_at(f, text, j, out))
        return true;
    size_t peel = 0;
    long r = mr_x_lookup(&mr_lex_speakers, tv, j, MR_X_CONJ | MR_X_ART | MR_X_PREP,
                         &peel);
    if (r < 0)
        return false;
    /* a document that names its issuer: "بيان صادر عن محافظة القاهرة"،
     * "حصيلة مؤقتة أعلنتها السلطات المحلية" */
    if (in_list(mr_lex_cell(&mr_lex_speakers, (size_t)r, 2), documents)) {
        for (size_t k = j + 1; k < tv->n && k <= j + 3; k++) {
            if (tv->v[k].kind != MARSAD_TOK_ARABIC || mr_x_break_before(tv, text, k))
                break;
            size_t at = 0;
            if ((mr_x_is(tv, k, "صادر") || mr_x_is(tv, k, "صادره") ||
                 mr_x_is(tv, k, "صدر") || mr_x_is(tv, k, "صدرت")) &&
                mr_x_is(tv, k + 1, "عن"))
                at = k + 2;
            else if (in_list(mr_tok_norm(tv, k), issued_by))
                at = k + 1;
            else if ((mr_x_is(tv, k, "التي") || mr_x_is(tv, k, "الذي")) &&
                     in_list(mr_tok_norm(tv, k + 1), issued_by))
                at = k + 2; /* "الأرقام التي أكدها المرصد" */
            if (at) {
                spk iss = *out;
                if (issuer_at(f, text, at, &iss)) {
                    *out = iss;
                    out->start = tv->v[j].start + (uint32_t)peel;
                    return true;
                }
                break;
            }
            if (in_list(mr_tok_norm(tv, k), phrase_stop))
                break;
        }
    }
    /* a spokesman of a body: "متحدث باسم الحرس البحري التونسي" */
    if (mr_x_is(tv, j + 1, "باسم")) {
        size_t k = j + 2, last = 0;
        for (; k < tv->n && k < j + 7; k++) {
            if (tv->v[k].kind != MARSAD_TOK_ARABIC || mr_x_break_before(tv, text, k))
                break;
            int e = mr_x_entity_at_tok(f, k);
            if (e >= 0) {
                last = k = mr_x_entity_last_tok(f, e, k);
                continue;
            }
            const char *w = mr_tok_norm(tv, k);
            if (in_list(w, ranks))
                break; /* "باسم التحالف العقيد ...": the man's rank */
            /* the body's first word may be a construct noun: شرطة الإقليم */
            bool construct = k == j + 2 && k + 1 < tv->n &&
                             strncmp(mr_tok_norm(tv, k + 1), "\xd8\xa7\xd9\x84", 4) == 0 &&
                             !mr_x_break_before(tv, text, k + 1);
            if (in_list(w, phrase_stop) ||
                !(construct || strncmp(w, "\xd8\xa7\xd9\x84", 4) == 0 ||
                  nisba(w, tv->v[k].norm_len)))
                break;
            last = k;
        }
        if (last) {
            /* the body speaks: "الناطق باسم وزارة الصحة" is the ministry */
            int be = mr_x_entity_at_tok(f, j + 2);
            out->start = tv->v[j].start + (uint32_t)peel;
            out->end = tv->v[last].end;
            if (be >= 0 && f->entities.v[be].end >= tv->v[last].end) {
                out->entity = be;
                out->name = f->entities.v[be].canonical;
                return out->name != NULL;
            }
            out->entity = -1;
            out->name = speaker_dup(f, text + tv->v[j + 2].start,
                                         out->end - tv->v[j + 2].start);
            return out->name != NULL;
        }
    }
    /* مصادر لوكالة رويترز: the named body. Otherwise the head, one word
     * after it (a genitive or an adjective), then nisba adjectives only
     * (مسؤول عسكري أمريكي، عمال الإغاثة، تقرير استخباراتي إسرائيلي). */
    size_t e_end = j + 1;
    size_t k = j + 1;
    for (; k < tv->n && k < j + 6; k++) {
        if (mr_x_joiner(tv, text, k))
            continue; /* #الشرطة_البريطانية */
        if (tv->v[k].kind != MARSAD_TOK_ARABIC || mr_x_break_before(tv, text, k))
            break;
        int e = mr_x_entity_at_tok(f, k);
        if (e < 0 && k + 1 < tv->n && mr_x_quote_punct(tv, k + 1))
            e = mr_x_entity_at_tok(f, k + 2);
        if (e >= 0 && k <= j + 2 && strncmp(mr_tok_norm(tv, k), "\xd9\x84", 2) == 0) {
            const mr_entity *en = &f->entities.v[e];
            out->name = en->canonical;
            out->entity = e;
            out->start = tv->v[j].start + (uint32_t)peel;
            out->end = en->end;
            return true;
        }
        const char *s = mr_tok_norm(tv, k);
        if (in_list(s, phrase_stop) || in_list(s, adverbs) || e >= 0 ||
            in_list(s, counted_objects) ||
            mr_x_lookup(&mr_lex_attribution_cues, tv, k, MR_X_CONJ, NULL) >= 0)
            break;
        if (k > j + 1 && !nisba(s, tv->v[k].norm_len))
            break;
        if (in_list(s, verbs_after) || in_list(s + (strncmp(s, "\xd9\x88", 2) == 0 ? 2 : 0), verbs_after) ||
            mr_x_lookup(&mr_lex_events, tv, k, MR_X_ALL, NULL) >= 0)
            break;
        e_end = k + 1;
    }
    out->entity = -1;
    out->start = tv->v[j].start + (uint32_t)peel;
    out->end = tv->v[e_end - 1].end;
    const char *s = mr_tok_norm(tv, j);
    bool def = strncmp(s + (peel >= 4 ? 0 : peel), "\xd8\xa7\xd9\x84", 4) == 0 ||
               peel >= 4;
    if (e_end == j + 1 && def) {
        out->name = mr_lex_cell(&mr_lex_speakers, (size_t)r, 2);
    } else {
        /* the written words, without a glued article on the head */
        size_t hs = tv->v[j].start + peel;
        /* drop "ال" from the head, unless the words after it are definite
         * too ("السلطات المحلية", not "سلطات المحلية") */
        size_t nx = j + 1 + (mr_x_joiner(tv, text, j + 1) ? 1 : 0);
        bool def_after = e_end > nx &&
                         strncmp(mr_tok_norm(tv, nx), "\xd8\xa7\xd9\x84", 4) == 0;
        if (def_after) {
            /* keep the article the look-up peeled */
            if (peel >= 4 && memcmp(text + hs - 4, "\xd8\xa7\xd9\x84", 4) == 0)
                hs -= 4;
        } else if (peel >= 4 || def) {
            const char *o = text + hs;
            if (memcmp(o, "\xd8\xa7\xd9\x84", 4) == 0)
                hs += 4;
        }
        out->name = speaker_dup(f, text + hs, out->end - hs);
    }
    return out->name != NULL;
}

/* Token i without a glued و/ف. */
static const char *bare(const mr_toks *tv, size_t i)
{
    const char *s = mr_tok_norm(tv, i);
    if (strncmp(s, "\xd9\x88", 2) == 0 || strncmp(s, "\xd9\x81", 2) == 0)
        return s + 2;
    return s;
}

static bool bare_is(const mr_toks *tv, size_t i, const char *w)
{
    return mr_x_is_c(tv, i, w);
}

static bool prep_cue(const char *lemma)
{
    return strcmp(lemma, "بحسب") == 0 || strcmp(lemma, "حسب") == 0 ||
           strcmp(lemma, "وفقا ل") == 0 || strcmp(lemma, "برأي") == 0 ||
           strcmp(lemma, "المصدر:") == 0;
}

/*
 * A narrating source (تقول الإعلامية X في مقال ...، <account>) covers the
 * paragraphs after its own while they hold no reporting verb of another
 * speaker (a preposition such as بحسب المرصد inside them is relayed by it).
 * At most eight paragraphs; each source is looked at once per frame.
 */
static void frame_extend(mr_facts *f, const char *text, int fi)
{
    const mr_toks *tv = &f->toks;
    mr_source *fr = &f->sources.v[fi];
    size_t t = mr_x_tok_at(tv, fr->scope_end);
    size_t s = (size_t)fi + 1;
    for (int para = 0; para < 8 && t < tv->n; para++) {
        size_t a = t; /* first token of the next paragraph */
        size_t b = a;
        while (b + 1 < tv->n && !mr_x_break_before(tv, text, b + 1))
            b++;
        uint32_t pa = tv->v[a].start, pb = tv->v[b].end;
        bool other = false;
        size_t s0 = s;
        for (; s < f->sources.n && f->sources.v[s].cue_start < pb; s++) {
            const mr_source *o = &f->sources.v[s];
            if (o->cue_start >= pa && !prep_cue(o->cue) && o->speaker &&
                strcmp(o->speaker, fr->speaker) != 0)
                other = true;
        }
        if (other)
            break;
        fr->scope_end = pb;
        for (size_t k = s0; k < s; k++) {
            mr_source *o = &f->sources.v[k];
            if (o->via < 0 && prep_cue(o->cue) && o->speaker &&
                strcmp(o->speaker, fr->speaker) != 0)
                o->via = fi;
        }
        t = b + 1;
    }
}

/* ----------------------------------------------- names the lexicons lack */

/* Titles a person's name sits beside (normalised: ئ -> ي، ؤ -> و). */
static const char *const person_titles[] = {
    "المتحدث", "المتحدثه", "الناطق", "الناطقه", "رييس", "رييسه", "الرييس",
    "مدير", "مديره", "المدير", "وزير", "وزيره", "الوزير", "قايد", "القايد",
    "عضو", "العضو", "نايب", "النايب", "محافظ", "المحافظ", "سفير", "السفير",
    "مسوول", "المسوول", "مستشار", "المستشار", "الامين", "المبعوث", "المفوض",
    "متحدث", "ناطق", NULL};

/* Token k may be part of a name no lexicon knows: an Arabic word of three
 * letters or more, without the article, that is no function word, cue,
 * speaker head, event word, title or known entity. */
static bool name_word(const mr_facts *f, size_t k)
{
    const mr_toks *tv = &f->toks;
    if (k >= tv->n || tv->v[k].kind != MARSAD_TOK_ARABIC || tv->v[k].norm_len < 6)
        return false;
    /* time words: "في وقت سابق" */
    static const char *const times[] = {"وقت", "يوم", "ليله", "شهر", "عام", "اسبوع",
                                        "مطلع", "نهايه", "بدايه", "خلال", NULL};
    const char *w = mr_tok_norm(tv, k);
    /* no article, and no ل or و glued to one (للحقوق، والحريات، لآبي:
     * the addressee) */
    if (strncmp(w, "\xd8\xa7\xd9\x84", 4) == 0 || strncmp(w, "\xd9\x84", 2) == 0 ||
        strncmp(w, "\xd9\x88\xd8\xa7\xd9\x84", 6) == 0 || in_list(w, phrase_stop) ||
        in_list(w, adverbs) || in_list(w, person_titles) || in_list(w, verbs_after) ||
        in_list(w, times) || mr_x_entity_at_tok(f, k) >= 0)
        return false;
    return mr_x_lookup(&mr_lex_attribution_cues, tv, k, MR_X_CONJ, NULL) < 0 &&
           mr_x_lookup(&mr_lex_speakers, tv, k, MR_X_ALL, NULL) < 0 &&
           mr_x_lookup(&mr_lex_events, tv, k, MR_X_ALL, NULL) < 0;
}

/* Two to three name words from token a, followed by what closes a name
 * (a title, "،"، إن/أن, قوله): their count, else 0. */
static size_t name_run(const mr_facts *f, size_t a)
{
    const mr_toks *tv = &f->toks;
    size_t m = 0;
    while (m < 3 && name_word(f, a + m))
        m++;
    if (m < 2)
        return 0;
    size_t c = a + m;
    if (c >= tv->n)
        return 0;
    if (mr_x_clause_punct(tv, c) || in_list(mr_tok_norm(tv, c), person_titles) ||
        mr_x_is_c(tv, c, "ان") || mr_x_is_c(tv, c, "انه") || mr_x_is_c(tv, c, "انها") ||
        mr_x_is(tv, c, "قوله") || mr_x_is(tv, c, "قولها"))
        return m;
    return 0;
}

/* A person named after a cue though no lexicon knows the name: "وقال حشمت
 * ستانكزاي المتحدث باسم الشرطة"، "قال رئيس المجلس البلدي، صلاح الدين
 * الشعلان، إن". Looks at most 12 tokens on. */
static bool unknown_name(mr_facts *f, const char *text, size_t j, spk *out)
{
    const mr_toks *tv = &f->toks;
    size_t a = j, m = name_run(f, j);
    if (!m && j < tv->n && in_list(bare(tv, j), person_titles)) {
        /* a title phrase, then the name between commas */
        for (size_t k = j + 1; k < tv->n && k < j + 12; k++) {
            if (mr_x_sent_end(tv, text, 0, k) || mr_x_is_c(tv, k, "ان"))
                break;
            if (mr_x_clause_punct(tv, k) && (m = name_run(f, k + 1)) != 0) {
                a = k + 1;
                break;
            }
        }
    }
    if (!m)
        return false;
    out->entity = -1;
    out->start = tv->v[a].start;
    out->end = tv->v[a + m - 1].end;
    out->name = speaker_dup(f, text + out->start, out->end - out->start);
    return out->name != NULL;
}

/* The letters of a normalised word without its long vowels (ا و ي after
 * the first letter): "عبدكير" and "عبديكر" are one name written twice. */
static size_t skeleton(const char *w, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t p = 0; w[p] && n + 2 < cap;) {
        size_t l = ((unsigned char)w[p] & 0xe0) == 0xc0 ? 2 : 1;
        bool vowel = l == 2 && p > 0 &&
                     (memcmp(w + p, "\xd8\xa7", 2) == 0 || memcmp(w + p, "\xd9\x88", 2) == 0 ||
                      memcmp(w + p, "\xd9\x8a", 2) == 0);
        if (!vowel) {
            memcpy(out + n, w + p, l);
            n += l;
        }
        p += l;
    }
    out[n] = 0;
    return n;
}

/* A one-word subject after a cue that is the last name of a person met
 * before, as written or spelt with other long vowels ("وقال عبدكير" after
 * "محمد عبديكر"), or of an unknown name a cue named before: that person.
 * Looks at the 64 entities and 32 sources before token j. */
static bool known_surname(mr_facts *f, size_t j, spk *out)
{
    const mr_toks *tv = &f->toks;
    if (j >= tv->n || tv->v[j].kind != MARSAD_TOK_ARABIC || tv->v[j].norm_len < 8)
        return false;
    char sj[96], sk[96];
    if (skeleton(mr_tok_norm(tv, j), sj, sizeof sj) < 6)
        return false;
    size_t ne = mr_x_entities_before(f, tv->v[j].start);
    for (size_t e = ne; e-- > 0 && e + 64 >= ne;) {
        const mr_entity *en = &f->entities.v[e];
        if (en->kind != MR_ENT_PERSON || !en->canonical || !strchr(en->canonical, ' '))
            continue;
        size_t t = mr_x_tok_at(tv, en->end - 1);
        if (t < tv->n && skeleton(mr_tok_norm(tv, t), sk, sizeof sk) && strcmp(sj, sk) == 0) {
            out->name = en->canonical;
            out->entity = (int)e;
            out->start = tv->v[j].start;
            out->end = tv->v[j].end;
            return true;
        }
    }
    for (size_t s = f->sources.n; s-- > 0 && s + 32 >= f->sources.n;) {
        const mr_source *so = &f->sources.v[s];
        if (so->entity >= 0 || !so->speaker || !strchr(so->speaker, ' ') || so->end <= so->cue_end)
            continue;
        size_t t = mr_x_tok_at(tv, so->end - 1);
        if (t < tv->n && t != j && skeleton(mr_tok_norm(tv, t), sk, sizeof sk) &&
            strcmp(sj, sk) == 0) {
            out->name = so->speaker;
            out->entity = -1;
            out->start = tv->v[j].start;
            out->end = tv->v[j].end;
            return true;
        }
    }
    return false;
}

/* Token j is a classifier before a name (صحيفة، وكالة، منظمة ...), also
 * with a preposition glued to it: "وفقا لمنظمة أطباء بلا حدود". */
static bool classifier_at(const mr_toks *tv, size_t j)
{
    static const char *const cls[] = {"صحيفه", "وكاله", "قناه", "مجله", "موقع",
                                      "تنظيم", "منظمه", "شبكه", NULL};
    if (j >= tv->n)
        return false;
    const char *w = mr_tok_norm(tv, j), *b = bare(tv, j);
    if (in_list(w, cls) || in_list(b, cls))
        return true;
    return (strncmp(b, "\xd9\x84", 2) == 0 || strncmp(b, "\xd8\xa8", 2) == 0) &&
           in_list(b + 2, cls);
}

/* Token j is an indefinite head of an office (مدير، رئيس، مديرة، رئيسة)
 * and token j + 1 names an organisation, or a definite head (المرصد)
 * that points back to one: the body is the speaker. */
static bool head_of_body(mr_facts *f, size_t j, spk *out)
{
    static const char *const office[] = {"مدير", "مديره", "رييس", "رييسه", NULL};
    const mr_toks *tv = &f->toks;
    if (j + 1 >= tv->n || !in_list(bare(tv, j), office))
        return false;
    int e = mr_x_entity_at_tok(f, j + 1);
    uint32_t end;
    if (e >= 0 && f->entities.v[e].start == tv->v[j + 1].start) {
        end = f->entities.v[e].end;
    } else {
        e = mr_x_anaphor(f, tv, j + 1, tv->v[j + 1].start);
        end = tv->v[j + 1].end;
    }
    if (e < 0 || f->entities.v[e].kind != MR_ENT_ORG || !f->entities.v[e].canonical)
        return false;
    /* no name after the body ("مديرة منظمة العفو لنيجيريا اوسا اوجيغو"):
     * the body is followed, past a date (الثلاثاء), by what he said */
    size_t k = mr_x_tok_at(tv, end - 1) + 1;
    int d = k < tv->n ? mr_x_date_at(f, tv->v[k].start) : -1;
    if (d >= 0)
        k = mr_x_tok_at(tv, f->dates.v[d].end - 1) + 1;
    if (!(mr_x_is(tv, k, "ان") || mr_x_is(tv, k, "إن") || mr_x_is(tv, k, "بان") ||
          mr_x_is(tv, k, "انه") || mr_x_is(tv, k, "إنه") || mr_x_is(tv, k, "انها") ||
          mr_x_is(tv, k, "إنها") || mr_x_is(tv, k, ":")))
        return false;
    out->name = f->entities.v[e].canonical;
    out->entity = e;
    out->start = tv->v[j].start;
    out->end = end;
    return true;
}

/* The speaker after a cue at token i: an entity (a person first), an
 * anaphor, or a descriptive speaker. Window: 12 tokens, up to أن/إن. */
static bool speaker_after(mr_facts *f, const char *text, size_t i, spk *out)
{
    const mr_toks *tv = &f->toks;
    size_t j = i + 1;
    while (j < tv->n && (mr_x_quote_punct(tv, j) || mr_x_is(tv, j, "عن") ||
                         mr_x_is(tv, j, "عنه") || mr_x_is(tv, j, "عنها") ||
                         mr_x_is(tv, j, "به") || mr_x_is(tv, j, "بها") ||
                         mr_x_is(tv, j, "في") || mr_x_is(tv, j, "ما") ||
                         mr_x_is(tv, j, "اخر") || mr_x_is(tv, j, "احدث")))
        j++; /* وفق آخر حصيلة */
    if (j >= tv->n || mr_x_break_before(tv, text, j))
        return false;
    /* منظمة "أطباء بلا حدود": the quoted name, whatever the classifier is */
    if (quoted_body_at(f, text, j, out))
        return true;
    /* قوله، رأيه: the speaker before */
    int e = mr_x_entity_at_tok(f, j);
    if (e < 0 && mr_x_entity_at_tok(f, j + 1) >= 0 && classifier_at(tv, j))
        e = mr_x_entity_at_tok(f, j + 1);
    /* بيان للرئيس ترامب، تقرير لمنظمة ...: the author */
    if (e < 0 && (mr_x_is_c(tv, j, "بيان") || mr_x_is_c(tv, j, "تقرير") ||
                  mr_x_is_c(tv, j, "تصريح") || mr_x_is_c(tv, j, "تغريده") ||
                  mr_x_is_c(tv, j, "مقال") || mr_x_is_c(tv, j, "حديث"))) {
        for (size_t k = j + 1; k < tv->n && k <= j + 3 && e < 0; k++)
            e = mr_x_entity_at_tok(f, k);
    }
    if (e < 0) {
        /* a title, then a person: نائب المبعوث ...، وليام روباك */
        for (size_t k = j; k < tv->n && k < j + 12; k++) {
            if (mr_x_sent_end(tv, text, 0, k) || tv->v[k].kind == MARSAD_TOK_NUMBER ||
                mr_x_is(tv, k, "ان") ||
                mr_x_is(tv, k, "إن") || mr_x_is(tv, k, "بان") ||
                mr_x_is(tv, k, ":"))
                break;
            int ek = mr_x_entity_at_tok(f, k);
            if (ek >= 0 && f->entities.v[ek].kind == MR_ENT_PERSON) {
                /* only through title-like words: no verb between; a
                 * spokesman's name is the speaker ("المتحدث باسم التحالف
                 * ... تركي المالكي"), an unnamed source's is not */
                if (k == j || mr_x_lookup(&mr_lex_speakers, tv, j, MR_X_ALL, NULL) < 0 ||
                    mr_x_is(tv, j, "المتحدث") || mr_x_is(tv, j, "المتحدثه") ||
                    mr_x_is(tv, j, "الناطق") || mr_x_is(tv, j, "الناطقه"))
                    e = ek;
                break;
            }
        }
    }
    /* a name no lexicon knows (حشمت ستانكزاي المتحدث ...), or one met
     * before under another spelling */
    if (e < 0 && (unknown_name(f, text, j, out) || known_surname(f, j, out)))
        return true;
    /* an unnamed head of a body speaks for it (the gold's "an unnamed
     * spokesman as his body"): "ذكر مدير المرصد أن"، "قال رئيس الهيئة"
     * when no name follows the office (a name would have been taken
     * above) */
    if (e < 0 && head_of_body(f, j, out))
        return true;
    /* a definite title names the last person: حذر المسؤول الأمريكي (not
     * "المتحدث باسم ...": he speaks for the body named) */
    if (e < 0 && !mr_x_is(tv, j + 1, "باسم")) {
        int a = mr_x_anaphor(f, tv, j, tv->v[j].start);
        if (a >= 0 && f->entities.v[a].kind == MR_ENT_PERSON) {
            out->name = f->entities.v[a].canonical;
            out->entity = a;
            out->start = tv->v[j].start;
            out->end = tv->v[j].end;
            if (j + 1 < tv->n && tv->v[j + 1].kind == MARSAD_TOK_ARABIC &&
                strncmp(mr_tok_norm(tv, j + 1), "\xd8\xa7\xd9\x84", 4) == 0 &&
                !in_list(mr_tok_norm(tv, j + 1), phrase_stop))
                out->end = tv->v[j + 1].end;
            return true;
        }
    }
    if (e >= 0) {
        const mr_entity *en = &f->entities.v[e];
        /* "عبدكير" after "محمد عبديكر": the fuller name met before */
        if (en->kind == MR_ENT_PERSON && en->canonical && !strchr(en->canonical, ' ') &&
            known_surname(f, mr_x_tok_at(tv, en->end - 1), out))
            return true;
        out->name = en->canonical;
        out->entity = e;
        out->start = en->start;
        out->end = en->end;
        return true;
    }
    /* a definite head that names an entity met before (الصحيفة، المرصد)
     * is an anaphor; otherwise a descriptive speaker */
    e = mr_x_anaphor(f, tv, j, tv->v[j].start);
    if (e < 0 && descriptive_at(f, text, j, out))
        return true;
    if (e >= 0) {
        out->name = f->entities.v[e].canonical;
        out->entity = e;
        out->start = tv->v[j].start;
        out->end = tv->v[j].end;
        /* the anaphor's adjective: الصحيفة البريطانية */
        if (j + 1 < tv->n && tv->v[j + 1].kind == MARSAD_TOK_ARABIC &&
            strncmp(mr_tok_norm(tv, j + 1), "\xd8\xa7\xd9\x84", 4) == 0 &&
            !in_list(mr_tok_norm(tv, j + 1), phrase_stop))
            out->end = tv->v[j + 1].end;
        return true;
    }
    return false;
}

/* The entity en is governed by a preposition (في تونس، من إيران، بالعراق),
 * so it is not the subject of a verb after it. */
static bool object_of_prep(const mr_toks *tv, const char *text, const mr_entity *en)
{
    static const char *const preps[] = {"في", "من", "الى", "الي", "على", "علي",
                                        "عن", "مع", "حول", "ضد", "بين", "لدى",
                                        "لدي", "داخل", "خارج", NULL};
    size_t h = mr_x_tok_at(tv, en->start);
    if (h >= tv->n)
        return false;
    uint32_t glued = en->start - tv->v[h].start;
    if (glued == 2 && (memcmp(text + tv->v[h].start, "\xd8\xa8", 2) == 0 ||
                       memcmp(text + tv->v[h].start, "\xd9\x84", 2) == 0))
        return true; /* ب، ل glued to the name */
    /* لل + a definite name read as ال + name: "للدفاع المدني" */
    if (glued == 0 && en->end - en->start > 4 && en->canonical &&
        memcmp(text + en->start, "\xd9\x84\xd9\x84", 4) == 0 &&
        strncmp(en->canonical, "\xd8\xa7\xd9\x84", 4) == 0)
        return true;
    if (h == 0 || tv->v[h].start != en->start)
        return false;
    size_t b = h - 1;
    while (b > 0 && mr_x_quote_punct(tv, b)) /* في #عفرين، في "الغوطة" */
        b--;
    return in_list(mr_tok_norm(tv, b), preps);
}

/* The subject before a verb (SVO): an entity ending within three tokens,
 * with only قد/كان or brackets between. */
static bool speaker_before(mr_facts *f, const char *text, size_t i, spk *out)
{
    const mr_toks *tv = &f->toks;
    for (size_t d = 1; d <= 4 && d <= i; d++) {
        size_t k = i - d;
        if (mr_x_sent_end(tv, text, 0, k))
            break; /* the sentence or paragraph before */
        int e = -1;
        for (size_t x = mr_x_entities_before(f, tv->v[k].end); x-- > 0;) {
            if (f->entities.v[x].end <= tv->v[k].end &&
                f->entities.v[x].end > tv->v[k].start) {
                e = (int)x;
                break;
            }
            if (f->entities.v[x].end <= tv->v[k].start)
                break;
        }
        if (e >= 0) {
            const mr_entity *en = &f->entities.v[e];
            if (object_of_prep(tv, text, en))
                return false; /* "... في تونس كشف منتدى": where, not who */
            out->name = en->canonical;
            out->entity = e;
            out->start = en->start;
            out->end = en->end;
            /* أحد قادة (قسد): a member of the group speaks */
            size_t h = mr_x_tok_at(tv, en->start);
            while (h > 0 && mr_x_quote_punct(tv, h - 1))
                h--;
            if (h >= 2 && mr_x_is_c(tv, h - 2, "احد")) {
                uint32_t hs = tv->v[h - 2].start +
                              (tv->v[h - 2].norm_len > 6 ? 2u : 0u);
                size_t wl = tv->v[h - 1].end - hs, cl = strlen(en->canonical);
                char *nm = mr_arena_alloc(&f->arena, wl + cl + 2);
                if (nm) {
                    memcpy(nm, text + hs, wl);
                    nm[wl] = ' ';
                    memcpy(nm + wl + 1, en->canonical, cl + 1);
                    out->name = nm;
                }
                out->start = hs;
            }
            return true;
        }
        if (mr_x_is_c(tv, k, "قد") || mr_x_is_c(tv, k, "كان") ||
            mr_x_is_c(tv, k, "كانت") || mr_x_quote_punct(tv, k))
            continue;
        /* a bare anaphor subject: التقرير يشير */
        if (d == 1 && strncmp(mr_tok_norm(tv, k), "\xd8\xa7\xd9\x84", 4) == 0 &&
            mr_lex_find(&mr_lex_speakers, mr_tok_norm(tv, k) + 4,
                        tv->v[k].norm_len - 4) >= 0) {
            out->name = speaker_dup(f, text + tv->v[k].start,
                                         tv->v[k].end - tv->v[k].start);
            out->entity = -1;
            out->start = tv->v[k].start;
            out->end = tv->v[k].end;
            return out->name != NULL;
        }
        if (d == 1) {
            int a = mr_x_anaphor(f, tv, k, tv->v[k].start);
            if (a >= 0) {
                out->name = f->entities.v[a].canonical;
                out->entity = a;
                out->start = tv->v[k].start;
                out->end = tv->v[k].end;
                return true;
            }
        }
        break;
    }
    return false;
}

/* ------------------------------------------------------------ the stage */

/* The state of the pass over one report's tokens. */
typedef struct src_pass {
    mr_facts *f;
    const char *text;
    size_t len;
    size_t sent_start; /* first token of the current sentence */
    size_t sent_end;   /* token index of the current sentence's end */
    size_t para_start; /* first token of the current paragraph */
    size_t prev_para;  /* first token of the paragraph before it */
    int last;          /* the latest source, for subjectless cues */
    struct {
        uint32_t *v;
        size_t n, cap;
    } sent_ends; /* per source: the end of its sentence */
    struct {
        int *v;
        size_t n, cap;
    } frames; /* narrating sources (تقول X ...) */
} src_pass;

/* A verb after "بحسب ما، وفق ما، وفقا لما، حسبما" is a trailing
 * attribution ("قتل 8، حسب ما أعلنته الوكالة"): it credits what comes
 * before it, like a preposition. The preposition's token, or SIZE_MAX. */
static size_t trailing_prep(const mr_toks *tv, size_t i)
{
    if (i >= 1 && (mr_x_is_c(tv, i - 1, "حسبما") || mr_x_is_c(tv, i - 1, "بحسبما")))
        return i - 1;
    if (i < 2 || !(mr_x_is(tv, i - 1, "ما") || mr_x_is(tv, i - 1, "لما")))
        return SIZE_MAX;
    if (mr_x_is_c(tv, i - 2, "حسب") || mr_x_is_c(tv, i - 2, "بحسب") ||
        mr_x_is_c(tv, i - 2, "وفق") || mr_x_is_c(tv, i - 2, "وفقا") ||
        mr_x_is_c(tv, i - 2, "طبقا"))
        return i - 2;
    return SIZE_MAX;
}

/* The cue at token i, or -1: its lexicon row, with the forms that are a
 * cue only in some company (المصدر:، نقل ... عن، جاء في) filtered. */
static long cue_at(const src_pass *p, size_t i, size_t *peel)
{
    const mr_toks *tv = &p->f->toks;
    long r = mr_x_lookup(&mr_lex_attribution_cues, tv, i, MR_X_CONJ, peel);
    if (r < 0)
        return -1;
    const char *lemma = mr_lex_cell(&mr_lex_attribution_cues, (size_t)r, 2);
    int kind = cue_kind(mr_lex_cell(&mr_lex_attribution_cues, (size_t)r, 3));
    /* حسبما أفاد، بحسب ما أعلنته: the verb after carries it */
    if (kind == K_PREP && i + 1 < tv->n &&
        (mr_x_lookup(&mr_lex_attribution_cues, tv, i + 1, 0, NULL) >= 0 ||
         ((mr_x_is(tv, i + 1, "ما") || mr_x_is(tv, i + 1, "لما")) &&
          mr_x_lookup(&mr_lex_attribution_cues, tv, i + 2, 0, NULL) >= 0)))
        return -1;
    /* أعلنته، ذكرته only as the verb of "حسب ما أعلنته X" */
    if (kind == K_TRAIL && trailing_prep(tv, i) == SIZE_MAX)
        return -1;
    /* المصدر only as a credit line "المصدر: X" */
    if (kind == K_CREDIT && !mr_x_is(tv, i + 1, ":"))
        return -1;
    /* نقل/نقلت is a cue only with عن after it (or its subject) */
    if (strcmp(lemma, "نقل عن") == 0 && kind == K_VERB) {
        bool has_an = false;
        for (size_t k = i + 1; k < tv->n && k < i + 8 && !has_an; k++)
            has_an = mr_x_is(tv, k, "عن");
        if (!has_an)
            return -1;
    }
    /* "ويذكر أن": the outlet's own background, not a speaker's */
    if (mr_x_is_c(tv, i, "يذكر") && (mr_x_is_c(tv, i + 1, "ان") || mr_x_is_c(tv, i + 1, "انه")))
        return -1;
    /* قدر (estimated) only with its estimator after it: not "قدر
     * الإمكان", not the passive "قدرت بأربع كيلومترات"، "يقدر عددهم" */
    if (strcmp(lemma, "قدر") == 0 &&
        (i + 1 >= tv->n || mr_x_is(tv, i + 1, "الامكان") ||
         strncmp(mr_tok_norm(tv, i + 1), "\xd8\xa8", 2) == 0 ||
         strncmp(mr_tok_norm(tv, i + 1), "\xd8\xb9\xd8\xaf\xd8\xaf", 6) == 0 ||
         strncmp(mr_tok_norm(tv, i + 1), "\xd8\xa7\xd8\xb9\xd8\xaf\xd8\xa7\xd8\xaf", 10) == 0))
        return -1;
    /* جاء only as جاء في */
    if (strcmp(lemma, "جاء في") == 0 && !mr_x_is(tv, i + 1, "في"))
        return -1;
    return r;
}

/* The speaker of a credit line "المصدر: X": an entity, else its words. */
static bool credit_speaker(src_pass *p, size_t i, spk *sp)
{
    mr_facts *f = p->f;
    const mr_toks *tv = &f->toks;
    size_t j = i + 2;
    if (j >= tv->n || mr_x_break_before(tv, p->text, j))
        return false;
    int e = mr_x_entity_at_tok(f, j);
    sp->start = tv->v[j].start;
    if (e >= 0) {
        sp->name = f->entities.v[e].canonical;
        sp->entity = e;
        sp->end = f->entities.v[e].end;
    } else {
        size_t k = j;
        while (k + 1 < tv->n && !mr_x_sent_end(tv, p->text, p->len, k) && k < j + 4)
            k++;
        sp->end = tv->v[k].end;
        sp->name = speaker_dup(f, p->text + sp->start, sp->end - sp->start);
    }
    return sp->name != NULL;
}

/* The first named actor (not a place) of the sentence before pos: the
 * subject of a subjectless verb (وسيطرت قوات ... وقالت إن). */
static int sentence_actor(const src_pass *p, uint32_t pos)
{
    const mr_facts *f = p->f;
    size_t lo = mr_x_entities_before(f, f->toks.v[p->sent_start].start);
    for (size_t e = lo; e < f->entities.n && f->entities.v[e].end <= pos; e++)
        if (f->entities.v[e].kind != MR_ENT_PLACE && f->entities.v[e].kind != MR_ENT_OUTLET &&
            !object_of_prep(&f->toks, p->text, &f->entities.v[e]))
            return (int)e; /* the dateline's outlet is no actor */
    return -1;
}

/* Nothing can be the subject after the verb at token i: أن، إلى، a colon
 * or a quotation follows it (وأضاف أن، وأشارت إلى أن، وتابع: "..."). */
static bool no_subject_after(const mr_toks *tv, size_t i)
{
    size_t j = i + 1;
    if (mr_x_is(tv, j, "بالقول"))
        j++;
    return mr_x_is_c(tv, j, "ان") || mr_x_is_c(tv, j, "انه") || mr_x_is_c(tv, j, "انها") ||
           mr_x_is_c(tv, j, "بان") || mr_x_is_c(tv, j, "بانه") || mr_x_is_c(tv, j, "الى") ||
           mr_x_is_c(tv, j, "الي") ||
           mr_x_is(tv, j, ":") || mr_x_quote_punct(tv, j);
}

/* The speaker of the cue at token i, by its kind: after a preposition;
 * before or after a verb; else the speaker before (a subjectless cue in
 * the same paragraph) or the sentence's first actor. */
/* The words after a speaker that ends at byte end claim responsibility
 * (مسؤوليته، المسؤولية، مسؤولية عن). */
static bool claims_responsibility(const mr_toks *tv, uint32_t end)
{
    static const char *const resp[] = {"مسووليه", "مسووليته", "مسووليتها",
                                       "مسووليتهم", "المسووليه", NULL};
    size_t k = mr_x_tok_at(tv, end); /* the first token ending after end */
    if (k < tv->n && tv->v[k].start < end)
        k++;
    /* past an adjective or a day: "أعلن التنظيم الإرهابي، الأربعاء، مسؤوليته" */
    for (size_t j = k; j < tv->n && j < k + 4; j++) {
        if (in_list(mr_tok_norm(tv, j), resp))
            return true;
        if (!mr_x_clause_punct(tv, j) &&
            (tv->v[j].kind != MARSAD_TOK_ARABIC ||
             strncmp(mr_tok_norm(tv, j), "\xd8\xa7\xd9\x84", 4) != 0))
            return false;
    }
    return false;
}

/* The topic of "أما X ...، فـ<cue>" in the sentence of the cue at i. */
static bool topic_speaker(src_pass *p, size_t i, spk *sp)
{
    const mr_toks *tv = &p->f->toks;
    for (size_t k = i; k-- > p->sent_start && k + 24 > i;)
        if (mr_x_is(tv, k, "اما"))
            return speaker_after(p->f, p->text, k, sp) &&
                   sp->end <= tv->v[i].start; /* "أما عمر فيقول": no name "عمر فيقول" */
    return false;
}

static bool find_speaker(src_pass *p, size_t i, int kind, uint32_t cue_start, spk *sp)
{
    mr_facts *f = p->f;
    const mr_toks *tv = &f->toks;
    const char *text = p->text;
    int last = p->last;
    if (kind == K_CREDIT)
        return credit_speaker(p, i, sp);
    if (kind == K_PREP) {
        if (mr_x_is(tv, i + 1, "قوله") || mr_x_is(tv, i + 1, "قولها") ||
            mr_x_is(tv, i + 1, "رايه") || mr_x_is(tv, i + 1, "رايها")) {
            if (last < 0)
                return false;
            sp->name = f->sources.v[last].speaker;
            sp->entity = f->sources.v[last].entity;
            sp->start = tv->v[i + 1].start;
            sp->end = tv->v[i + 1].end;
            return true;
        }
        return speaker_after(f, text, i, sp);
    }
    if (kind == K_REC) {
        /* ووثق المرصد، المرصد وثق; not "سجلت المدينة" */
        if (speaker_before(f, text, i, sp))
            return sp->entity < 0 || f->entities.v[sp->entity].kind != MR_ENT_PLACE;
        return speaker_after(f, text, i, sp) &&
               (sp->entity < 0 || f->entities.v[sp->entity].kind != MR_ENT_PLACE);
    }
    bool found = false;
    bool before = speaker_before(f, text, i, sp);
    if (before && kind == K_VERB)
        found = true;
    else {
        /* a finite continuing verb may name its subject: وأضاف البيان */
        bool finite = kind == K_VERB ||
                      (kind == K_CONT && strncmp(bare(tv, i), "\xd9\x85", 2) != 0);
        found = finite && speaker_after(f, text, i, sp);
        if (!found && kind == K_VERB && before)
            found = true;
    }
    /* the topic of "أما X ...، فقال إن": X, however long its aside */
    if (!found && kind == K_VERB && strncmp(mr_tok_norm(tv, i), "\xd9\x81", 2) == 0)
        found = topic_speaker(p, i, sp);
    /* a subjectless cue (مضيفا، وقالت إن) keeps the speaker of its
     * paragraph; one that opens a sentence (وأضاف أن، وأشارت إلى أن)
     * continues the statement of the paragraph before, no further */
    size_t from = i == p->sent_start && no_subject_after(tv, i) ? p->prev_para : p->para_start;
    if (!found && last >= 0 && f->sources.v[last].speaker &&
        f->sources.v[last].start >= tv->v[from].start) {
        sp->name = f->sources.v[last].speaker;
        sp->entity = f->sources.v[last].entity;
        sp->start = cue_start;
        sp->end = tv->v[i].end;
        found = true;
    }
    if (!found && kind == K_VERB) {
        int e = sentence_actor(p, cue_start);
        if (e >= 0) {
            sp->name = f->entities.v[e].canonical;
            sp->entity = e;
            sp->start = cue_start;
            sp->end = tv->v[i].end;
            found = true;
        }
    }
    return found;
}

/* A quotation the cue opens (وأضاف البيان أن "... . ... ") goes on past
 * its sentence: the scope runs to the closing mark. The quotation must
 * open within 200 bytes after the cue and before the scope's end; binary
 * search over the quotes (sorted by start). */
static void quote_extends(const mr_facts *f, mr_source *so)
{
    size_t lo = 0, hi = f->quotes.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->quotes.v[mid].start < so->cue_end)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= f->quotes.n)
        return;
    const mr_quote *q = &f->quotes.v[lo];
    if (q->start < so->scope_end && q->start < so->cue_end + 200 && q->end > so->scope_end)
        so->scope_end = q->end;
}

/* The scope of source so, whose cue is token i: a preposition mid-sentence
 * covers its clause; a cue at a sentence's head, or a verb, covers from
 * itself to the end of its sentence, or of its clause without أن/إن.
 * Registers a narrating source (تقول X ...) as a frame. */
static marsad_status set_scope(src_pass *p, size_t i, int kind, mr_source *so)
{
    mr_facts *f = p->f;
    const mr_toks *tv = &f->toks;
    const char *text = p->text;
    size_t sent_start = p->sent_start, sent_end = p->sent_end;
    uint32_t s_end = tv->v[sent_end].end;
    if (kind == K_PREP && i > sent_start + 1)
        so->scope_start = tv->v[sent_start].start;
    else
        so->scope_start = so->start;
    so->scope_end = s_end;
    if (kind == K_PREP && i > sent_start + 1) {
        /* "قتل 17 بحسب X، ومات 9 بحسب Y": a preposition covers its own
         * clause, between the "، و" boundaries around it */
        for (size_t k = i - 1; k-- > sent_start + 1;) /* not "، وفق" itself */
            if (clause_boundary(f, k)) {
                so->scope_start = tv->v[k + 1].start;
                break;
            }
        for (size_t k = i + 1; k < sent_end; k++)
            if (clause_boundary(f, k)) {
                so->scope_end = tv->v[k].start;
                break;
            }
    }
    if (kind == K_REC)
        kind = K_VERB;
    if (kind == K_VERB || kind == K_CONT) {
        /* without أن/إن, a colon or a quotation, the verb covers its own
         * clause: it ends at "، و" (a new coordinated clause) */
        bool comp = false;
        size_t k = i + 1;
        for (; k <= sent_end && k < i + 32 && !comp; k++)
            comp = mr_x_is_c(tv, k, "ان") || mr_x_is_c(tv, k, "انه") ||
                   mr_x_is_c(tv, k, "انها") || mr_x_is_c(tv, k, "بان") ||
                   mr_x_is_c(tv, k, "بانه") || mr_x_is(tv, k, ":");
        /* "تقول X في مقال ...، <the account>" opening a paragraph
         * frames the whole paragraph */
        if (!comp && kind == K_VERB && i < p->para_start + 4) {
            size_t pe = sent_end;
            while (pe + 1 < tv->n && !mr_x_break_before(tv, text, pe + 1))
                pe++;
            so->scope_end = tv->v[pe].end;
            comp = true;
            /* the present tense (تقول X ...، يقول) narrates: it goes on
             * over the paragraphs after it (see frame_extend) */
            if (bare_is(tv, i, "تقول") || bare_is(tv, i, "يقول")) {
                if (!MR_X_PUSH(p->frames))
                    return MARSAD_E_NOMEM;
                p->frames.v[p->frames.n - 1] = (int)(so - f->sources.v);
            }
        }
        for (k = i + 1; !comp && k < sent_end && k < i + 60; k++)
            if (mr_x_clause_punct(tv, k) && tv->v[k + 1].kind == MARSAD_TOK_ARABIC &&
                strncmp(mr_tok_norm(tv, k + 1), "\xd9\x88", 2) == 0 &&
                mr_x_entity_at_tok(f, k + 1) < 0) {
                so->scope_end = tv->v[k].start;
                break;
            }
    }
    if (kind == K_VERB || kind == K_CONT)
        quote_extends(f, so);
    if (kind == K_CREDIT) { /* the outlet itself: covers its line */
        so->scope_start = so->start;
        so->scope_end = so->end;
    }
    return MARSAD_OK;
}

/* Chains: a preposition or عن inside the scope of a verb before it in the
 * same sentence relays through that verb's speaker (at most 8 back). */
static void link_via(mr_facts *f, int me)
{
    mr_source *so = &f->sources.v[me];
    for (int p = me - 1; p >= 0 && p >= me - 8; p--) {
        const mr_source *o = &f->sources.v[p];
        if (o->scope_end < so->cue_end)
            continue;
        if (o->speaker && strcmp(o->speaker, so->speaker) != 0 &&
            strcmp(o->cue, "بحسب") != 0 && strcmp(o->cue, "حسب") != 0) {
            so->via = p;
            return;
        }
    }
}

/* Appends a source and its sentence end; NULL when out of memory. */
static mr_source *push_source(src_pass *p)
{
    mr_source *so = MR_X_PUSH(p->f->sources);
    if (!so || !MR_X_PUSH(p->sent_ends))
        return NULL;
    p->sent_ends.v[p->sent_ends.n - 1] = p->f->toks.v[p->sent_end].end;
    return so;
}

/* نقلت صحيفة ... عن تقرير ...: the relayed speaker after عن, a source of
 * its own relayed by source me. */
static marsad_status push_relayed(src_pass *p, size_t i, int me)
{
    mr_facts *f = p->f;
    const mr_toks *tv = &f->toks;
    size_t an = i + 1;
    while (an < tv->n && an < i + 8 && !mr_x_is(tv, an, "عن"))
        an++;
    spk in = {0};
    in.entity = -1;
    if (!(an < tv->n && mr_x_is(tv, an, "عن") && speaker_after(f, p->text, an, &in) &&
          in.name))
        return MARSAD_OK;
    const char *lemma = f->sources.v[me].cue;
    mr_source *s2 = push_source(p);
    if (!s2)
        return MARSAD_E_NOMEM;
    s2->cue_start = tv->v[an].start;
    s2->cue_end = tv->v[an].end;
    s2->start = s2->cue_start;
    s2->end = in.end;
    s2->speaker = in.name;
    s2->entity = in.entity;
    s2->cue = lemma;
    s2->via = me;
    s2->covers = MR_COVERS_STATEMENT;
    s2->scope_start = s2->start;
    s2->scope_end = f->sources.v[me].scope_end;
    p->last = (int)(f->sources.n - 1);
    return MARSAD_OK;
}

/* s without a glued و/ف, ب/ل and article: "وبالبيان" -> "بيان". */
static const char *doc_stem(const char *s)
{
    if (strncmp(s, "\xd9\x88", 2) == 0 || strncmp(s, "\xd9\x81", 2) == 0)
        s += 2;
    if (strncmp(s, "\xd8\xa8\xd8\xa7\xd9\x84", 6) == 0 ||
        strncmp(s, "\xd9\x84\xd9\x84", 4) == 0)
        return s + (s[1] == '\xa8' ? 6 : 4); /* بال، لل */
    if (strncmp(s, "\xd8\xa7\xd9\x84", 4) == 0)
        return s + 4;
    return s;
}

/*
 * "وأشار التقرير إلى"، "وأضاف البيان": a document named by its bare noun is
 * the one whose issuer an earlier attribution named ("تقرير صادر عن منظمة
 * X"، "وأوضح التحالف في بيان"): that issuer speaks. Looks at the 16
 * sources before; sp is left alone when none issued such a document.
 */
static void document_issuer(const src_pass *p, spk *sp)
{
    static const char *const docs[] = {"بيان", "تقرير", NULL};
    const mr_facts *f = p->f;
    const mr_toks *tv = &f->toks;
    if (sp->entity >= 0 || strchr(sp->name, ' '))
        return;
    char nm[32];
    size_t nl = strlen(sp->name);
    if (nl >= sizeof nm)
        return;
    memcpy(nm, sp->name, nl + 1);
    /* the written name may carry hamza or ta marbuta forms: compare stems */
    const char *w = doc_stem(nm);
    if (!in_list(w, docs))
        return;
    size_t n = f->sources.n;
    for (size_t o = n; o-- > 0 && o + 16 >= n;) {
        const mr_source *so = &f->sources.v[o];
        if (!so->speaker)
            continue;
        /* a document itself ("تقرير حقوقي"، "بيان لقيادة") names no issuer */
        char head[32];
        size_t hl = strcspn(so->speaker, " ");
        if (hl < sizeof head) {
            memcpy(head, so->speaker, hl);
            head[hl] = 0;
            if (in_list(doc_stem(head), docs))
                continue;
        }
        size_t a = mr_x_tok_at(tv, so->start), b = mr_x_tok_at(tv, so->end);
        for (size_t k = a; k < tv->n && k <= b + 4; k++)
            if (tv->v[k].kind == MARSAD_TOK_ARABIC && strcmp(doc_stem(mr_tok_norm(tv, k)), w) == 0) {
                sp->name = so->speaker;
                sp->entity = so->entity;
                return;
            }
    }
}

/* The speaker of so is the press (an outlet, وسائل إعلام، وكالة، صحيفة
 * ...): "أعلنت السلطات ...، وفقا لوسائل إعلام" relays the authorities, the
 * media are not their origin. */
static bool media_speaker(const mr_facts *f, const mr_source *so)
{
    static const char *const press[] = {"وسائل", "صحيفة", "صحف", "وكالة", "وكالات",
                                        "قناة", "قنوات", "موقع", "مواقع", "تلفزيون",
                                        "إذاعة", NULL};
    if (so->entity >= 0)
        return f->entities.v[so->entity].kind == MR_ENT_OUTLET;
    char head[32];
    size_t hl = strcspn(so->speaker, " ");
    if (hl >= sizeof head)
        return false;
    memcpy(head, so->speaker, hl);
    head[hl] = 0;
    return in_list(head, press);
}

/* The attribution whose cue is token i (its lexicon row r), if it names a
 * speaker: pushed with its scope and chain links. */
static marsad_status attribution_at(src_pass *p, size_t i, long r, size_t peel)
{
    mr_facts *f = p->f;
    const mr_toks *tv = &f->toks;
    const char *lemma = mr_lex_cell(&mr_lex_attribution_cues, (size_t)r, 2);
    int kind = cue_kind(mr_lex_cell(&mr_lex_attribution_cues, (size_t)r, 3));
    spk sp = {0};
    sp.entity = -1;
    uint32_t cue_start = tv->v[i].start + (uint32_t)peel;
    size_t at = i; /* the token whose position sets the scope */
    size_t tp = kind == K_VERB || kind == K_REC || kind == K_TRAIL ? trailing_prep(tv, i)
                                                                  : SIZE_MAX;
    bool trailing = tp != SIZE_MAX;
    if (tp != SIZE_MAX) {
        /* its subject follows it: "حسبما أفادت خدمات الطوارئ" */
        if (!speaker_after(f, p->text, i, &sp) || !sp.name)
            return MARSAD_OK;
        at = tp;
        kind = K_PREP;
        cue_start = tv->v[tp].start;
    } else if (!find_speaker(p, i, kind, cue_start, &sp) || !sp.name)
        return MARSAD_OK;
    /* a claim of responsibility is no statement of what it caused: "أعلن
     * تنظيم داعش مسؤوليته عن التفجير الذي راح ضحيته عشرات القتلى" */
    if (kind == K_VERB && strcmp(lemma, "أعلن") == 0 &&
        claims_responsibility(tv, sp.end > tv->v[i].end ? sp.end : tv->v[i].end))
        return MARSAD_OK;
    /* a count told inside another's statement is what he says, not a new
     * attribution: "قال X إن المجلس سجل 99 بالمئة" */
    if (kind == K_REC && sp.start < cue_start && p->last >= 0) {
        const mr_source *o = &f->sources.v[p->last];
        if (o->cue_end <= sp.start && o->scope_start <= sp.start &&
            tv->v[i].end <= o->scope_end)
            return MARSAD_OK;
    }
    document_issuer(p, &sp);
    mr_source *so = push_source(p);
    if (!so)
        return MARSAD_E_NOMEM;
    so->cue_start = cue_start;
    so->cue_end = tv->v[i].end;
    so->start = sp.start < cue_start ? sp.start : cue_start;
    so->end = sp.end > so->cue_end ? sp.end : so->cue_end;
    so->speaker = sp.name;
    so->entity = sp.entity;
    so->cue = lemma;
    so->via = -1;
    so->covers = MR_COVERS_STATEMENT;
    if (set_scope(p, at, kind, so) != MARSAD_OK)
        return MARSAD_E_NOMEM;
    int me = (int)(f->sources.n - 1);
    /* "أوضح X أن ...، حسب ما ذكرت الوكالة": the agency relays X, it is
     * not relayed by X */
    if ((kind == K_PREP && !trailing && !media_speaker(f, so)) || strcmp(lemma, "نقل عن") == 0)
        link_via(f, me);
    p->last = me;
    if (strcmp(lemma, "نقل عن") == 0 && kind == K_VERB)
        return push_relayed(p, i, me);
    return MARSAD_OK;
}

/* covers: a quotation of three words or more (not a scare-quoted term
 * such as “خلافة”) from the cue to the end of its sentence; figures mark
 * theirs later. */
static void quote_covers(mr_facts *f, const char *text, const uint32_t *sent_ends)
{
    size_t q = 0;
    for (size_t k = 0; k < f->sources.n; k++) {
        mr_source *so = &f->sources.v[k];
        uint32_t a = so->scope_start, b = sent_ends[k];
        while (q < f->quotes.n && f->quotes.v[q].end <= a)
            q++;
        for (size_t m = q; m < f->quotes.n && m < q + 64 && f->quotes.v[m].start < b; m++) {
            const mr_quote *qt = &f->quotes.v[m];
            size_t words = 1;
            for (uint32_t u = qt->text_start; u < qt->text_end && words < 3; u++)
                if (text[u] == ' ')
                    words++;
            if (qt->start >= a && words >= 3) {
                so->covers = MR_COVERS_QUOTE;
                break;
            }
        }
    }
}

marsad_status mr_extract_sources(const char *text, size_t len,
                                 const mr_extract_opts *opts, mr_facts *f)
{
    (void)opts;
    const mr_toks *tv = &f->toks;
    src_pass p = {0};
    p.f = f;
    p.text = text;
    p.len = len;
    p.last = -1;
    size_t qi = 0;
    marsad_status rc = MARSAD_OK;
    for (size_t i = 0; rc == MARSAD_OK && i < tv->n; i++) {
        if (i == 0 || mr_x_sent_end(tv, text, len, i - 1)) {
            p.sent_start = i;
            p.sent_end = i;
            while (p.sent_end + 1 < tv->n && !mr_x_sent_end(tv, text, len, p.sent_end))
                p.sent_end++;
        }
        if (i > 0 && mr_x_break_before(tv, text, i)) {
            p.prev_para = p.para_start;
            p.para_start = i;
        }
        if (tv->v[i].kind != MARSAD_TOK_ARABIC)
            continue;
        /* cues inside a quotation belong to the quoted speaker's words */
        while (qi < f->quotes.n && f->quotes.v[qi].end <= tv->v[i].start)
            qi++;
        if (qi < f->quotes.n && f->quotes.v[qi].text_start <= tv->v[i].start &&
            tv->v[i].end <= f->quotes.v[qi].text_end)
            continue;
        size_t peel = 0;
        long r = cue_at(&p, i, &peel);
        if (r >= 0)
            rc = attribution_at(&p, i, r, peel);
    }
    if (rc == MARSAD_OK) {
        for (size_t k = 0; k < p.frames.n; k++)
            frame_extend(f, text, p.frames.v[k]);
        quote_covers(f, text, p.sent_ends.v);
    }
    free(p.frames.v);
    free(p.sent_ends.v);
    return rc;
}
