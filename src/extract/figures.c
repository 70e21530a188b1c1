/*
 * figures.c: numbers that count something (DESIGN.md, "A figure").
 *
 * Work, in text order, linear in the report's length (mr_extract_figures
 * runs the phases below as make_figures, find_coordination, assign_events,
 * assign_sides, share_coordinated_events, link_breakdowns, attach_sources
 * and attach_dates):
 *  1. candidates: every number the kernel's reader finds, plus fractions
 *     (ربع أراضي → 25 %) and relative multiples (ضعف هذا العدد) read here;
 *  2. the counted noun after the number (data/counted_nouns.tsv, or any
 *     indefinite noun that is not a function word), which also rules out
 *     numbers that are not figures: years, days of month, durations, ages,
 *     ordinals, digits inside names;
 *  3. for each figure: coordination with the figure before it (مقتل 730
 *     مقاتلا … و1600 مقاتل), the event from the governing verb or noun
 *     (data/events.tsv) before it, after it, or shared along a coordination;
 *     the side (من قوات …، مقاتلي التنظيم، ينتمون لعائلات …); part_of for
 *     breakdowns (… بين المدنيين، منهم …); the source (the innermost
 *     attribution whose scope holds it); the date it refers to.
 *
 * Every window looked at around a figure is bounded by a constant number
 * of tokens, so the whole stage is O(tokens + numbers log numbers).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extract/xutil.h"
#include "lex_counted_nouns.inc"
#include "lex_events.inc"

/* ------------------------------------------------------------ helpers */

/* A figure under construction, with its token extent. */
typedef struct cand {
    marsad_number num;
    size_t t_first, t_num_last, t_last; /* tokens: start, number end, span end */
    size_t t_noun;                      /* the (first) counted noun */
    int referent_kind;                  /* 1 = multiple of the figure before */
    double factor;
    bool fraction;
    bool pronoun; /* a share of the group before: نصفهم، ثلثهم */
    bool lexical; /* the counted noun is in the lexicon */
} cand;

typedef struct cvec {
    cand *v;
    size_t n, cap;
} cvec;

static int collect(const marsad_number *num, void *ctx)
{
    cvec *cv = ctx;
    cand *c = MR_X_PUSH(*cv);
    if (!c)
        return 1;
    c->num = *num;
    return 0;
}

static bool in_list(const char *s, const char *const *list)
{
    for (size_t k = 0; list[k]; k++)
        if (mr_x_streq(s, list[k]))
            return true;
    return false;
}

/* Token i's normalised form without a glued و/ف. */
static const char *bare(const mr_toks *tv, size_t i)
{
    const char *s = mr_tok_norm(tv, i);
    if (tv->v[i].norm_len > 4 &&
        (memcmp(s, "\xd9\x88", 2) == 0 || memcmp(s, "\xd9\x81", 2) == 0))
        return s + 2;
    return s;
}

/* Words a counted noun never is (normalised). */
static const char *const stop_words[] = {
    "من", "في", "على", "علي", "الى", "الي", "عن", "مع", "او", "ثم", "بعد",
    "قبل", "منذ", "خلال", "حتى", "حتي", "الذي", "التي", "الذين", "اللذين",
    "ان", "انه", "انها", "هو", "هي", "هم", "كان", "كانت", "كانوا", "قد",
    "لا", "لم", "لن", "ما", "عند", "بين", "ضد", "نحو", "حول", "عبر", "لدى",
    "لدي", "و", "ف", "او", "ام", "بل", "لكن", "غير", "سوى", "اي", "كل",
    "بعض", "هذا", "هذه", "ذلك", "تلك", "هناك", "هنا", "فقط", "ايضا", "اخرى",
    "اخري", "اخر", "الف", "مليون", "مليار", "يوم", "منها", "منهم", "بينهم",
    "اذا", "إذ", "اذ", "حيث", "كما", "لان", "الا", "ولا", "وقد", "جراء",
    "بسبب", "اثر", "عقب", "وسط", "نتيجه", "بحسب", "حسب", "وفق", "وفقا",
    "بحلول", "ضمن", "بينما", "فيما", "حين", "عندما", "سوي", "بعدما",
    "قبيل", "لدي", "خلف", "امام", "برصاص", "بجروح", NULL};

/* Words just before a number that make it a year or a label. */
static const char *const year_words[] = {
    "عام", "العام", "سنه", "السنه", "عامي", "لعام", "بعام", "مطلع", "منتصف",
    "اواخر", "اوايل", "رقم", "الرقم", "المرتبه", "الماده", "القرار",
    "الفقره", "الصفحه", "الساعه", "الطريق", NULL};

/* Qualifier words a reader might have taken together with a glued و/ب/ل. */
static const char *const no_shift[] = {"بين", "بضع", "بضعه", "واحد",
                                       "واحده", "لاكثر", NULL};

static bool is_arabic(const mr_toks *tv, size_t i)
{
    return i < tv->n && tv->v[i].kind == MARSAD_TOK_ARABIC;
}

static bool definite(const char *s)
{
    return strncmp(s, "\xd8\xa7\xd9\x84", 4) == 0; /* ال */
}

/* A lemma for a noun not in the lexicon: the written word without the
 * article, a glued و/ف/ب/ل, a final tanween alef or tanween mark; a sound
 * feminine plural -ات becomes -ة. Allocated in f's arena. */
static const char *generic_lemma(mr_facts *f, const char *text, const mr_tok *t)
{
    const char *s = text + t->start;
    size_t n = t->end - t->start;
    static const char *const pre[] = {"\xd9\x88\xd8\xa7\xd9\x84",
                                      "\xd9\x81\xd8\xa7\xd9\x84",
                                      "\xd8\xa8\xd8\xa7\xd9\x84",
                                      "\xd9\x84\xd9\x84",
                                      "\xd8\xa7\xd9\x84", NULL};
    for (int k = 0; pre[k]; k++) {
        size_t pl = strlen(pre[k]);
        if (n > pl + 4 && memcmp(s, pre[k], pl) == 0) {
            s += pl;
            n -= pl;
            break;
        }
    }
    /* tanween marks U+064B..U+064D (D9 8B..8D), on either side of the
     * tanween alef: "عراقيًا" (the mark before it) and "عراقياً" (after) */
    for (int pass = 0; pass < 2; pass++) {
        while (n >= 2 && (unsigned char)s[n - 2] == 0xd9 &&
               (unsigned char)s[n - 1] >= 0x8b && (unsigned char)s[n - 1] <= 0x8d)
            n -= 2;
        if (pass == 0 && n > 6 && memcmp(s + n - 2, "\xd8\xa7", 2) == 0)
            n -= 2; /* tanween alef */
    }
    char buf[MARSAD_MAX_TOKEN + 8];
    if (n > MARSAD_MAX_TOKEN)
        n = MARSAD_MAX_TOKEN;
    memcpy(buf, s, n);
    if (n > 6 && memcmp(buf + n - 4, "\xd8\xa7\xd8\xaa", 4) == 0) { /* ات */
        memcpy(buf + n - 4, "\xd8\xa9", 2);                         /* ة */
        n -= 2;
    }
    return mr_arena_strndup(&f->arena, buf, n);
}

/* ---------------------------------------------------- counted noun */

typedef struct noun {
    size_t t_last;        /* last token of the span */
    const char *lemma;
    const char *category; /* NULL = not a figure */
    bool lexical;          /* found in the lexicon */
    bool construct;        /* مقاتلي، عناصر: the next word may be the side */
} noun;

/* Two-token keys such as "في المئة". */
static long lookup2(const mr_toks *tv, size_t j)
{
    if (j + 1 >= tv->n)
        return -1;
    char key[2 * MARSAD_MAX_TOKEN + 4];
    size_t a = tv->v[j].norm_len, b = tv->v[j + 1].norm_len;
    if (a + b + 2 > sizeof key)
        return -1;
    memcpy(key, mr_tok_norm(tv, j), a);
    key[a] = ' ';
    memcpy(key + a + 1, mr_tok_norm(tv, j + 1), b);
    return mr_lex_find(&mr_lex_counted_nouns, key, a + b + 1);
}

static void set_row(noun *nn, long r, size_t t_last)
{
    nn->lemma = mr_lex_cell(&mr_lex_counted_nouns, (size_t)r, 2);
    nn->category = mr_lex_cell(&mr_lex_counted_nouns, (size_t)r, 3);
    nn->t_last = t_last;
    nn->lexical = true;
}

/*
 * The counted noun for a number whose last token is t: returns false when
 * the number counts nothing (then it is not a figure).
 */
/* Token j is a quotation mark: " « » “ ”. */
static bool quote_mark(const mr_toks *tv, const char *text, size_t j)
{
    static const char *const marks[] = {"\"", "«", "»", "“", "”"};
    if (tv->v[j].kind != MARSAD_TOK_PUNCT)
        return false;
    size_t n = tv->v[j].end - tv->v[j].start;
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
        if (n == strlen(marks[i]) &&
            memcmp(text + tv->v[j].start, marks[i], n) == 0)
            return true;
    return false;
}

/* Token t lies inside a quotation: an odd number of quotation marks
 * before it in its sentence (at most 64 tokens back). */
static bool inside_quote(const mr_toks *tv, const char *text, size_t t)
{
    size_t marks = 0;
    for (size_t d = 1; d <= 64 && d <= t; d++) {
        if (mr_x_sent_end(tv, text, tv->v[t].end, t - d))
            break;
        marks += quote_mark(tv, text, t - d);
    }
    return marks % 2 == 1;
}

static bool find_noun(mr_facts *f, const char *text, const cand *c, size_t t,
                      noun *nn)
{
    const mr_toks *tv = &f->toks;
    memset(nn, 0, sizeof *nn);
    size_t j = t + 1;
    if ((c->num.flags & MARSAD_NUMF_PERCENT) && !c->fraction) {
        nn->lemma = "في المئة";
        nn->category = "percent";
        nn->t_last = t;
        /* the reader may stop before "في المئة" */
        long r2 = lookup2(tv, j);
        if (r2 >= 0)
            nn->t_last = j + 1;
        else if (j < tv->n && tv->v[j].kind == MARSAD_TOK_PUNCT &&
                 mr_lex_find(&mr_lex_counted_nouns, mr_tok_norm(tv, j),
                             tv->v[j].norm_len) >= 0)
            nn->t_last = j;
        return true;
    }
    /* a quote glued to the number before a counted noun: 'إن 47" قتيلا'
     * (not one that closes a quotation holding the number: '"جنيف 2"
     * بات'; not an opening one: '17 "هدفاً"') */
    if (j + 1 < tv->n && quote_mark(tv, text, j) && is_arabic(tv, j + 1) &&
        tv->v[j].start == tv->v[t].end && !inside_quote(tv, text, t) &&
        mr_x_lookup(&mr_lex_counted_nouns, tv, j + 1, MR_X_ALL, NULL) >= 0)
        j++;
    if (j >= tv->n || mr_x_break_before(tv, text, j))
        return false;
    long r = lookup2(tv, j);
    if (r >= 0) {
        set_row(nn, r, j + 1);
        return strcmp(nn->category, "-") != 0;
    }
    if (tv->v[j].kind == MARSAD_TOK_PUNCT) {
        r = mr_lex_find(&mr_lex_counted_nouns, mr_tok_norm(tv, j),
                        tv->v[j].norm_len);
        if (r >= 0) {
            set_row(nn, r, j);
            return strcmp(nn->category, "-") != 0;
        }
        return false;
    }
    if (!is_arabic(tv, j))
        return false;
    /* a multiple: ضعف هذا العدد من مقاتلي */
    if (c->referent_kind &&
        (mr_x_is(tv, j, "هذا") || mr_x_is(tv, j, "هذه") ||
         mr_x_is(tv, j, "ذلك")) &&
        (mr_x_is(tv, j + 1, "العدد") || mr_x_is(tv, j + 1, "الرقم"))) {
        j += 2;
        if (!mr_x_is(tv, j, "من")) {
            nn->lemma = NULL;
            nn->category = "other";
            nn->t_last = j - 1;
            return true;
        }
    }
    /* مئات من مقاتلي، 1000 من مقاتلي */
    if (mr_x_is(tv, j, "من") && is_arabic(tv, j + 1)) {
        r = lookup2(tv, j + 1); /* خمسة من رجال الأمن */
        if (r >= 0 && strcmp(mr_lex_cell(&mr_lex_counted_nouns, (size_t)r, 3), "-") != 0) {
            set_row(nn, r, j + 2);
            return true;
        }
        r = mr_x_lookup(&mr_lex_counted_nouns, tv, j + 1, MR_X_ALL, NULL);
        if (r >= 0 && strcmp(mr_lex_cell(&mr_lex_counted_nouns, (size_t)r, 3),
                             "-") != 0) {
            set_row(nn, r, j + 1);
            nn->construct = true;
            return true;
        }
        return false;
    }
    if (strncmp(mr_tok_norm(tv, j), "\xd9\x88\xd8\xa7\xd9\x84", 6) == 0 ||
        strncmp(mr_tok_norm(tv, j), "\xd9\x81\xd8\xa7\xd9\x84", 6) == 0)
        return false; /* وال/فال: a new phrase (194 والجرحى) */
    /* the word right after the number: no glued و (194 والجرحى is a new
     * phrase) and no glued preposition */
    r = mr_x_lookup(&mr_lex_counted_nouns, tv, j, MR_X_ART | MR_X_TANWEEN, NULL);
    if (r >= 0) {
        set_row(nn, r, j);
        if (strcmp(nn->category, "-") == 0)
            return false;
        const char *s = mr_tok_norm(tv, j);
        size_t n = tv->v[j].norm_len;
        /* construct forms: مقاتلي، عناصر، افراد */
        nn->construct = (n > 2 && strcmp(s + n - 2, "\xd9\x8a") == 0) ||
                        strcmp(nn->category, "members") == 0;
        return true;
    }
    const char *s = mr_tok_norm(tv, j);
    if (in_list(s, stop_words) || in_list(bare(tv, j), stop_words) ||
        strncmp(s, "\xd9\x88", 2) == 0) /* و: a new phrase */
        return false;
    if (tv->v[j].norm_len < 6) /* two letters or fewer: a particle */
        return false;
    if (definite(s) && !(c->num.flags & MARSAD_NUMF_VAGUE))
        return false;
    /* a definite or prepositional phrase is not a counted noun: للنكبة */
    if (strncmp(s, "\xd9\x84\xd9\x84", 4) == 0 ||     /* لل */
        strncmp(s, "\xd8\xa8\xd8\xa7\xd9\x84", 6) == 0) /* بال */
        return false;
    /* a year-like bare number with an unknown word after it */
    if ((c->num.flags & MARSAD_NUMF_DIGITS) && c->num.min >= 1900 &&
        c->num.min <= 2100 && c->num.qualifier == MARSAD_Q_EXACT)
        return false;
    /* verbs that govern or attribute are not counted things */
    if (mr_x_lookup(&mr_lex_events, tv, j, MR_X_ALL, NULL) >= 0)
        return false;
    nn->lemma = generic_lemma(f, text, &tv->v[j]);
    nn->category = "other";
    /* a nisba noun counts people: 17 فلسطينيا، 30 سوريا, and its plural
     * (ثلاثة فلسطينيين، إيرانيون) with the singular as its lemma */
    if (nn->lemma) {
        size_t ln = strlen(nn->lemma);
        if (ln > 10 && (strcmp(nn->lemma + ln - 6, "\xd9\x8a\xd9\x8a\xd9\x86") == 0 ||
                        strcmp(nn->lemma + ln - 6, "\xd9\x8a\xd9\x88\xd9\x86") == 0)) {
            nn->lemma = mr_arena_strndup(&f->arena, nn->lemma, ln - 4);
            ln -= 4;
        }
        if (nn->lemma && ln > 6 && strcmp(nn->lemma + ln - 2, "\xd9\x8a") == 0)
            nn->category = "persons";
    }
    nn->t_last = j;
    return nn->lemma != NULL;
}

/* -------------------------------------------- candidates read here */

/* Fractions written as words, in percent. */
static double fraction_of(const char *s)
{
    if (mr_x_streq(s, "ربع"))
        return 25;
    if (mr_x_streq(s, "نصف"))
        return 50;
    if (mr_x_streq(s, "ثلث"))
        return 100.0 / 3;
    if (mr_x_streq(s, "ثلثي"))
        return 200.0 / 3;
    return 0;
}

static bool covered(const cvec *cv, uint32_t a, uint32_t b)
{
    /* the reader's candidates are sorted: binary search the last start <= a */
    size_t lo = 0, hi = cv->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cv->v[mid].num.start <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && cv->v[lo - 1].num.end > a)
        return true;
    return lo < cv->n && cv->v[lo].num.start < b;
}

static int cmp_cand(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->num.start != b->num.start)
        return a->num.start < b->num.start ? -1 : 1;
    return a->num.end < b->num.end ? 1 : a->num.end > b->num.end ? -1 : 0;
}

static marsad_status add_word_cands(const mr_toks *tv, cvec *cv)
{
    size_t reader_n = cv->n;
    cvec tmp = {0};
    for (size_t i = 0; i < tv->n; i++) {
        if (!is_arabic(tv, i))
            continue;
        const char *s = bare(tv, i);
        size_t peel = (size_t)(s - mr_tok_norm(tv, i));
        double fr = fraction_of(s);
        bool pron = false;
        if (fr == 0) { /* نصفهم، ثلثهن، ربعها: a share of the group before */
            static const char *const suf[] = {"هما", "هم", "هن", "ها", NULL};
            size_t sl = strlen(s);
            for (int q = 0; suf[q] && fr == 0; q++) {
                size_t ql = strlen(suf[q]);
                char w[32];
                if (sl > ql && sl - ql < sizeof w && strcmp(s + sl - ql, suf[q]) == 0) {
                    memcpy(w, s, sl - ql);
                    w[sl - ql] = 0;
                    fr = fraction_of(w);
                    pron = fr > 0;
                }
            }
        }
        double factor = 0;
        if (mr_x_streq(s, "ضعف") || mr_x_streq(s, "ضعفي"))
            factor = 2;
        if (fr == 0 && factor == 0)
            continue;
        cvec probe = {cv->v, reader_n, 0};
        if (covered(&probe, tv->v[i].start, tv->v[i].end))
            continue;
        cand *c = MR_X_PUSH(tmp);
        if (!c) {
            free(tmp.v);
            return MARSAD_E_NOMEM;
        }
        c->num.start = tv->v[i].start + (uint32_t)peel;
        c->num.end = tv->v[i].end;
        c->num.has_min = c->num.has_max = 1;
        c->num.flags = MARSAD_NUMF_WORDS;
        if (fr > 0) {
            c->num.min = c->num.max = fr;
            c->fraction = true;
            c->pronoun = pron;
            /* أكثر من نصفهم، نحو ثلث الضحايا: the qualifier opens the span */
            if (i >= 2 && mr_x_is_c(tv, i - 2, "اكثر") && mr_x_is(tv, i - 1, "من")) {
                c->num.qualifier = MARSAD_Q_MORE_THAN;
                c->num.has_max = 0;
                c->num.start = tv->v[i - 2].start +
                               (uint32_t)(bare(tv, i - 2) - mr_tok_norm(tv, i - 2));
            } else if (i >= 1 && (mr_x_is_c(tv, i - 1, "نحو") ||
                                  mr_x_is_c(tv, i - 1, "حوالي") ||
                                  mr_x_is_c(tv, i - 1, "قرابه"))) {
                c->num.qualifier = MARSAD_Q_APPROX;
                c->num.start = tv->v[i - 1].start +
                               (uint32_t)(bare(tv, i - 1) - mr_tok_norm(tv, i - 1));
            }
        } else {
            c->referent_kind = 1;
            c->factor = factor;
            c->num.qualifier = MARSAD_Q_MULTIPLE;
            /* نحو ضعف: the qualifier opens the span */
            if (i > 0 && (mr_x_is_c(tv, i - 1, "نحو") ||
                          mr_x_is_c(tv, i - 1, "حوالي") ||
                          mr_x_is_c(tv, i - 1, "قرابه"))) {
                const char *q = mr_tok_norm(tv, i - 1);
                c->num.start = tv->v[i - 1].start +
                               (uint32_t)(bare(tv, i - 1) - q);
            }
        }
    }
    for (size_t k = 0; k < tmp.n; k++) {
        cand *c = MR_X_PUSH(*cv);
        if (!c) {
            free(tmp.v);
            return MARSAD_E_NOMEM;
        }
        *c = tmp.v[k];
    }
    free(tmp.v);
    if (cv->n > 1) /* qsort(NULL, 0) is undefined */
        qsort(cv->v, cv->n, sizeof *cv->v, cmp_cand);
    return MARSAD_OK;
}

/* ------------------------------------------------ event, side, links */

/* Token k is a victim noun with a pronoun: ضحيته، ضحيتها، ضحيتهم. */
static bool victim_of_word(const mr_toks *tv, size_t k)
{
    const char *w = mr_tok_norm(tv, k);
    if (strncmp(w, "\xd9\x88", 2) == 0)
        w += 2; /* a glued و */
    return strncmp(w, "ضحيت", strlen("ضحيت")) == 0;
}

static const char *event_at(const mr_toks *tv, size_t k)
{
    if (k >= tv->n || tv->v[k].kind != MARSAD_TOK_ARABIC)
        return NULL;
    long r = mr_x_lookup(&mr_lex_events, tv, k, MR_X_ALL, NULL);
    if (r < 0)
        return NULL;
    /* the victim of it (ضحيته، ضحيتها) is a death only in "راح ضحيته":
     * "كان ضحيتها نحو ألف طفل" are victims of abuse */
    if (victim_of_word(tv, k) && !(k > 0 && mr_x_is_c(tv, k - 1, "راح")))
        return NULL;
    return mr_lex_cell(&mr_lex_events, (size_t)r, 2);
}

static bool plural_event_verb(const mr_toks *tv, size_t k);

/*
 * A count with no noun after it, right after an event noun: "مقتل 64
 * وإصابة 74"، "جرح 28 في القصف", or governed (a toll noun before it:
 * "ارتفعت حصيلة القتلى إلى 58"; a breakdown: "منها 492 بالرصاص"). The
 * event or toll noun says what is counted
 * (people); the number must end the phrase: the end, punctuation, a word
 * with و or one of a few prepositions. Years, decimals and percentages are
 * not counts of people. The event stands just before token lead (t0, or
 * the start of a date between the event and the count).
 */
static bool bare_count(const mr_toks *tv, const char *text, const cand *c,
                       size_t t0, size_t t1, size_t lead, bool governed, noun *nn)
{
    static const char *const after_ok[] = {
        "في", "خلال", "على", "علي", "جراء", "بسبب", "إثر", "اثر", "من",
        "منذ", "بينهم", "منهم", "وسط", "حسب", "بحسب", "وفق", "وفقا", "فقط",
        "آخرين", "اخرين", "بين", "بعد", "عندما", "حين", "حتى", NULL};
    (void)text;
    bool vague = (c->num.flags & MARSAD_NUMF_VAGUE) != 0;
    if (c->num.flags & (MARSAD_NUMF_YEAR | MARSAD_NUMF_DECIMAL |
                        MARSAD_NUMF_PERCENT | MARSAD_NUMF_FRACTION))
        return false;
    if (c->num.has_min && (c->num.min < 1 || (c->num.min >= 1900 &&
                                              c->num.min <= 2100 && !vague)))
        return false;
    /* the event noun just before the number (or its qualifier); before a
     * vague numeral also the verb before its subject: "قتلت التفجيرات
     * العشرات" */
    if (t0 == 0)
        return false;
    /* the subject of a plural event verb after a complementizer: "ذكر
     * المرصد أن 12 ألفا غادروا المنطقة" */
    if (!governed && t1 + 1 < tv->n && plural_event_verb(tv, t1 + 1) &&
        (mr_x_is(tv, t0 - 1, "ان") || mr_x_is(tv, t0 - 1, "إن") ||
         mr_x_is(tv, t0 - 1, "بان"))) {
        memset(nn, 0, sizeof *nn);
        nn->t_last = t1;
        nn->category = "persons";
        nn->lexical = true;
        return true;
    }
    if (!governed && !event_at(tv, lead - 1) &&
        !(vague && lead >= 2 && is_arabic(tv, lead - 1) &&
          definite(mr_tok_norm(tv, lead - 1)) && event_at(tv, lead - 2)))
        return false;
    size_t j = t1 + 1;
    if (j < tv->n && tv->v[j].kind != MARSAD_TOK_PUNCT) {
        const char *w = mr_tok_norm(tv, j);
        /* و of a new phrase, or a glued preposition with the article: "جرح
         * 611 بالرصاص" */
        bool ok = tv->v[j].kind == MARSAD_TOK_ARABIC &&
                  ((strncmp(w, "\xd9\x88", 2) == 0 && tv->v[j].norm_len > 2) ||
                   strncmp(w, "\xd8\xa8\xd8\xa7\xd9\x84", 6) == 0 ||
                   mr_x_is(tv, j, "بجروح") || mr_x_is(tv, j, "برصاص"));
        for (size_t k = 0; !ok && after_ok[k]; k++)
            ok = mr_x_is(tv, j, after_ok[k]);
        /* a breakdown's own verb: "بينهم 21 توفوا" */
        ok = ok || (governed && event_at(tv, j));
        if (!ok)
            return false;
    }
    memset(nn, 0, sizeof *nn);
    nn->t_last = t1;
    nn->category = "persons";
    nn->lexical = true;
    return true;
}

/* A number among the four tokens before token t, in its clause: "قتل
 * 101 وجرح"، "لقي 12 شخصا على الأقل مصرعهم وجرح": t closes a count. */
static bool count_before(const mr_toks *tv, size_t t)
{
    /* لقي عشرون شخصا مصرعهم: the idiom's pronoun closes a count */
    if (mr_x_is(tv, t, "مصرعهم") || mr_x_is(tv, t, "حتفهم") ||
        mr_x_is(tv, t, "مصرعه") || mr_x_is(tv, t, "حتفه"))
        return true;
    for (size_t d = 1; d <= 4 && d <= t; d++) {
        if (tv->v[t - d].kind == MARSAD_TOK_NUMBER)
            return true;
        if (mr_x_clause_punct(tv, t - d))
            return false;
    }
    return false;
}

/* The event at token t, read with its partner: "مقتل وإصابة 3440"، "50
 * بين قتيل وجريح" count the dead and the wounded together. */
static const char *event_pair(const mr_toks *tv, size_t t, const char *ev)
{
    if (!ev || (strcmp(ev, "killed") != 0 && strcmp(ev, "injured") != 0))
        return ev;
    const char *other = ev[0] == 'k' ? "injured" : "killed";
    const char *n;
    /* (not "101 قتيل وجرح 28": the partner has a count of its own) */
    if (t + 1 < tv->n && tv->v[t + 1].kind == MARSAD_TOK_ARABIC &&
        strncmp(mr_tok_norm(tv, t + 1), "\xd9\x88", 2) == 0 &&
        (n = event_at(tv, t + 1)) && strcmp(n, other) == 0 &&
        (t + 2 >= tv->n || (tv->v[t + 2].kind != MARSAD_TOK_NUMBER &&
                            !mr_x_is(tv, t + 2, "بين"))))
        return "casualties";
    /* (not "101 قتيل وجرح 28": there قتيل closes the count before) */
    /* (nor "174 من المدنيين قتلوا وأصيب 453": قتلوا has its own subject) */
    if (t > 0 && strncmp(mr_tok_norm(tv, t), "\xd9\x88", 2) == 0 &&
        (n = event_at(tv, t - 1)) && strcmp(n, other) == 0 &&
        !count_before(tv, t - 1) &&
        !(tv->v[t - 1].norm_len > 4 &&
          strcmp(mr_tok_norm(tv, t - 1) + tv->v[t - 1].norm_len - 4,
                 "\xd9\x88\xd8\xa7") == 0))
        return "casualties";
    return ev;
}

/* A figure starting at token b comes after بينهم/منهم (a breakdown of the
 * count ending at token a): "628 مدنيا بينهم 151 طفلا". */
static bool after_among(const mr_toks *tv, size_t a, size_t b)
{
    if (b <= a + 1 || b - a > 5)
        return false;
    for (size_t u = a + 1; u < b; u++)
        if (mr_x_is_c(tv, u, "بينهم") || mr_x_is_c(tv, u, "منهم") ||
            mr_x_is_c(tv, u, "بينها") || mr_x_is_c(tv, u, "منها"))
            return true;
    return false;
}

/* The word before the number at t0 carries a toll to it: إلى، بلغ، تجاوز،
 * هو/هي ("ارتفعت حصيلة القتلى إلى 58"، "عدد القتلى هو سبعة"), not a date's
 * "في 13 من حزيران". */
static bool toll_reaches(const mr_toks *tv, size_t t0)
{
    static const char *const links[] = {
        "الي",   "بلغ",    "بلغت",    "يبلغ", "تبلغ", "وصل", "تجاوز",
        "يتجاوز", "تتجاوز", "لتتجاوز", "هو",   "هي",   NULL};
    if (t0 >= 2 && mr_x_is(tv, t0 - 1, "ال"))
        t0--; /* "إلى الـ150" */
    if (t0 == 0 || !is_arabic(tv, t0 - 1))
        return false;
    for (size_t k = 0; links[k]; k++)
        if (mr_x_is_c(tv, t0 - 1, links[k]))
            return true;
    return event_at(tv, t0 - 1) != NULL; /* "عدد القتلى 75" */
}

/* The number at token t0 follows بينهم/منهم right after the figure that
 * ends at byte last_end (0: none): a part of it, even without a noun
 * ("1354 إصابة منها 492 بالرصاص الحي"، "بينهم 6 في حالات خطيرة"). */
static bool breakdown_of_last(const mr_toks *tv, uint32_t last_end, size_t t0)
{
    if (last_end == 0 || t0 == 0)
        return false;
    size_t a = mr_x_tok_at(tv, last_end - 1);
    return a < t0 && (mr_x_is_c(tv, t0 - 1, "بينهم") ||
                      mr_x_is_c(tv, t0 - 1, "منهم") ||
                      mr_x_is_c(tv, t0 - 1, "منها") ||
                      mr_x_is_c(tv, t0 - 1, "بينها")) &&
           after_among(tv, a, t0);
}

/* Side introducers: من، لدى، صفوف، ينتمون، التابعين/التابعة ... */
static bool side_link(const mr_toks *tv, size_t k)
{
    static const char *const links[] = {
        "من", "لدى", "لدي", "صفوف", "ينتمون", "ينتمي", "تنتمي", "التابعين",
        "التابعه", "التابع", "تابعين", "مقاتلي", "عناصر", "عايلات",
        "لعايلات", "اسر", "افراد", "منتسبي", NULL};
    return k < tv->n && (in_list(mr_tok_norm(tv, k), links) ||
                         in_list(bare(tv, k), links));
}

static bool group_entity(const mr_entity *e)
{
    return e->kind == MR_ENT_ORG;
}

/* The group named at token k (an organisation, or an anaphor for one),
 * allowing brackets and a classifier word (تنظيم، قوات) first. */
static const char *group_at(const mr_facts *f, size_t k, size_t limit)
{
    const mr_toks *tv = &f->toks;
    for (size_t m = k; m < k + 3 && m < limit && m < tv->n; m++) {
        int e = mr_x_entity_at_tok(f, m);
        if (e >= 0)
            return group_entity(&f->entities.v[e]) ? f->entities.v[e].canonical
                                                   : NULL;
        e = mr_x_anaphor(f, tv, m, tv->v[m].start);
        if (e >= 0 && group_entity(&f->entities.v[e]))
            return f->entities.v[e].canonical;
        if (!mr_x_quote_punct(tv, m) && !mr_x_is_c(tv, m, "تنظيم") &&
            !mr_x_is_c(tv, m, "قوات") && !mr_x_is_c(tv, m, "لقوات") &&
            !mr_x_is_c(tv, m, "حركه") && !mr_x_is_c(tv, m, "جماعه"))
            return NULL;
    }
    return NULL;
}

/*
 * The side of a figure whose noun ends at token c: the group right after a
 * construct noun (مقاتلي التنظيم), or after a link word within the clause
 * (من قوات …، لدى داعش، ينتمون لعائلات مقاتلي التنظيم). Stops at a clause
 * mark or at the next number (stop).
 */
/*
 * A country's regular forces named by description are its army:
 * "القوات السورية الحكومية"، "قوات الجيش العراقي"، "القوات النظامية
 * الأفغانية" -> "الجيش السوري" ... Tokens m..last hold the force; it needs
 * a government word (الحكومية، النظامية، الجيش) and a country's adjective
 * (a definite word in ية, not itself a government word). NULL otherwise.
 */
static const char *national_army(mr_facts *f, const char *text, size_t m, size_t last)
{
    static const char *const regular[] = {"الحكوميه", "النظاميه", "الجيش", "جيش", "للجيش", NULL};
    const mr_toks *tv = &f->toks;
    bool gov = false;
    size_t adj = SIZE_MAX;
    for (size_t k = m; k <= last; k++) {
        const char *w = mr_tok_norm(tv, k);
        if (in_list(w, regular)) {
            gov = true;
            continue;
        }
        size_t n = tv->v[k].norm_len;
        /* السوريه، العراقيه: ال + a nisba in ية (normalised يه) */
        if (adj == SIZE_MAX && k > m && n > 8 && definite(w) &&
            strcmp(w + n - 4, "\xd9\x8a\xd9\x87") == 0)
            adj = k;
        else if (adj == SIZE_MAX && k > m && n > 6 && definite(w) &&
                 strcmp(w + n - 2, "\xd9\x8a") == 0 && in_list(mr_tok_norm(tv, m), regular))
            adj = k; /* الجيش العراقي */
    }
    if (!gov || adj == SIZE_MAX)
        return NULL;
    /* the written adjective without its final ة */
    uint32_t a = tv->v[adj].start, b = tv->v[adj].end;
    if (b - a > 2 && memcmp(text + b - 2, "\xd8\xa9", 2) == 0)
        b -= 2;
    size_t n = 11 + (b - a);
    char *out = mr_arena_alloc(&f->arena, n + 1);
    if (!out)
        return NULL;
    memcpy(out, "\xd8\xa7\xd9\x84\xd8\xac\xd9\x8a\xd8\xb4 ", 11); /* "الجيش " */
    memcpy(out + 11, text + a, b - a);
    out[n] = 0;
    return out;
}

/*
 * A force named by its description, not a known name: "القوات الحكومية"،
 * "قوات النظام السوري"، "(منتسبي) قوات الأمن العراقية"، "الشرطة العراقية".
 * At token m (after at most two construct nouns: منتسبي، عناصر، صفوف ...):
 * قوات/الجيش/الشرطة and one to three words with ال (or a known name,
 * which ends it). The written words, allocated in f's arena; NULL if none.
 */
static const char *force_at(mr_facts *f, const char *text, size_t m,
                            size_t limit)
{
    static const char *const construct_nouns[] = {
        "منتسبي", "عناصر", "صفوف", "افراد", "مقاتلي", "جنود", NULL};
    static const char *const heads[] = {"قوات", "القوات", "لقوات", "الجيش",
                                        "جيش", "للجيش", "الشرطه", "شرطه",
                                        "للشرطه", NULL};
    static const char *const not_names[] = {
        "الذي", "التي", "الذين", "اليوم", "العام", "الماضي", "الماضيه",
        "الجاري", "الحالي", "الاول", "الاولي", "الاخير", "الاخيره", "الي",
        "الى", "الا", "الان", "السيطره", NULL};
    const mr_toks *tv = &f->toks;
    for (int k = 0; k < 2 && m < limit && m < tv->n &&
                    tv->v[m].kind == MARSAD_TOK_ARABIC &&
                    in_list(mr_tok_norm(tv, m), construct_nouns);
         k++)
        m++;
    if (m >= limit || m >= tv->n || tv->v[m].kind != MARSAD_TOK_ARABIC ||
        !in_list(mr_tok_norm(tv, m), heads))
        return NULL;
    size_t last = m;
    for (size_t k = m + 1; k < tv->n && k <= m + 3; k++) {
        if (tv->v[k].kind != MARSAD_TOK_ARABIC || mr_x_break_before(tv, text, k))
            break;
        int e = mr_x_entity_at_tok(f, k);
        if (e >= 0) {
            last = mr_x_entity_last_tok(f, e, k);
            break;
        }
        const char *w = mr_tok_norm(tv, k);
        if (!definite(w) || in_list(w, not_names) || event_at(tv, k))
            break;
        last = k;
    }
    if (last == m)
        return NULL;
    uint32_t st = tv->v[m].start;
    const char *h = mr_tok_norm(tv, m);
    if (strncmp(h, "\xd9\x84\xd9\x82", 4) == 0 ||
        strncmp(h, "\xd9\x84\xd9\x84", 4) == 0)
        st += 2; /* لقوات، للجيش: the ل is not part of the name */
    const char *army = national_army(f, text, m, last);
    if (army)
        return army;
    return mr_arena_strndup(&f->arena, text + st, tv->v[last].end - st);
}

static const char *find_side(mr_facts *f, const char *text, size_t c,
                             bool construct, size_t stop)
{
    const mr_toks *tv = &f->toks;
    if (construct) {
        const char *g = group_at(f, c + 1, stop);
        if (!g)
            g = force_at(f, text, c + 1, stop);
        if (g)
            return g;
    }
    size_t lim = c + 10 < stop ? c + 10 : stop;
    for (size_t k = c + 1; k < lim && k < tv->n; k++) {
        if (mr_x_clause_punct(tv, k) || mr_x_sent_end(tv, text, 0, k - 1))
            break;
        /* a cause or a time, not the group: "453 جريحا جراء القتال بين
         * القوات وعناصر التنظيم" */
        if (mr_x_is(tv, k, "جراء") || mr_x_is(tv, k, "بسبب") ||
            mr_x_is(tv, k, "اثر") || mr_x_is(tv, k, "نتيجه") ||
            mr_x_is(tv, k, "عقب") || mr_x_is(tv, k, "بعد") ||
            mr_x_is(tv, k, "خلال") || mr_x_is(tv, k, "اثناء"))
            break;
        if (side_link(tv, k)) {
            const char *g = group_at(f, k + 1, lim + 2);
            if (!g)
                g = force_at(f, text, k + 1, lim + 2);
            if (g)
                return g;
        }
        /* a glued ل before the group: ينتمون لعائلات، لقوات */
        const char *s = mr_tok_norm(tv, k);
        if (k > c + 1 && strncmp(s, "\xd9\x84", 2) == 0) {
            int e = mr_x_entity_at_tok(f, k);
            if (e >= 0 && group_entity(&f->entities.v[e]) &&
                side_link(tv, k - 1))
                return f->entities.v[e].canonical;
        }
    }
    return NULL;
}

/*
 * The winner of a share of the vote or of seats (حصل أردوغان على 52.5
 * بالمئة، فاز الحزب بـ67 مقعدا), or the donor of a sum (تعهدت السعودية
 * بتقديم 100 مليون دولار، تصدرت المملكة المانحين بمبلغ ...): the subject of
 * the verb before the figure in its sentence (12 tokens back at most), the
 * first entity after the verb or one just before it.
 */
static const char *winner_or_donor(mr_facts *f, const char *text,
                                   size_t len, size_t t, bool share, bool money)
{
    static const char *const win[] = {"حصل", "حصلت", "نال", "نالت", "حاز", "حازت",
                                      "فاز", "فازت", "حصد", "حصدت", NULL};
    static const char *const give[] = {"تعهد", "تعهدت", "قدم", "قدمت", "تبرع",
                                       "تبرعت", "منح", "منحت", "خصص", "خصصت",
                                       "ساهم", "ساهمت", "تصدر", "تصدرت", NULL};
    const mr_toks *tv = &f->toks;
    for (size_t d = 1; d <= 12 && d <= t; d++) {
        size_t k = t - d;
        if (mr_x_sent_end(tv, text, len, k))
            break;
        /* another count or "بعد فرز" between: the verb is not this one's */
        if (tv->v[k].kind == MARSAD_TOK_NUMBER || mr_x_is_c(tv, k, "بعد"))
            return NULL;
        if (tv->v[k].kind != MARSAD_TOK_ARABIC ||
            !((share && in_list(bare(tv, k), win)) || (money && in_list(bare(tv, k), give))))
            continue;
        for (size_t m = k + 1; m < t; m++) {
            int e = mr_x_entity_at_tok(f, m);
            if (e < 0)
                e = mr_x_anaphor(f, tv, m, tv->v[m].start);
            if (e >= 0 && f->entities.v[e].kind != MR_ENT_OUTLET)
                return f->entities.v[e].canonical;
        }
        /* a party or list named by its words: "حصل حزب العدالة والتنمية على" */
        static const char *const bodies[] = {"حزب", "حركه", "تحالف", "ائتلاف", "قايمه", NULL};
        if (k + 2 < t && in_list(mr_tok_norm(tv, k + 1), bodies)) {
            size_t b = k + 2;
            while (b + 1 < t && b < k + 6 && !mr_x_is(tv, b + 1, "على") &&
                   !mr_x_is(tv, b + 1, "علي") && !mr_x_clause_punct(tv, b + 1))
                b++;
            if (b + 1 < t && (mr_x_is(tv, b + 1, "على") || mr_x_is(tv, b + 1, "علي")))
                return mr_arena_strndup(&f->arena, text + tv->v[k + 1].start,
                                        tv->v[b].end - tv->v[k + 1].start);
        }
        int e = k > 0 ? mr_x_entity_at_tok(f, k - 1) : -1;
        return e >= 0 && f->entities.v[e].kind != MR_ENT_OUTLET ? f->entities.v[e].canonical
                                                                : NULL;
    }
    return NULL;
}

/* The nearest group before token t in its sentence (at most `back`
 * tokens): an organisation or a group anaphor (التنظيم، تحالف). */
static const char *group_before(const mr_facts *f, const char *text, size_t len,
                                size_t t, size_t back)
{
    const mr_toks *tv = &f->toks;
    for (size_t d = 1; d <= back && d <= t; d++) {
        size_t k = t - d;
        if (mr_x_sent_end(tv, text, len, k))
            break;
        int e = mr_x_entity_at_tok(f, k);
        if (e < 0)
            e = mr_x_anaphor(f, tv, k, tv->v[k].start);
        if (e >= 0 && group_entity(&f->entities.v[e]))
            return f->entities.v[e].canonical;
    }
    return NULL;
}

/*
 * Sides given by the clause rather than after the noun: the members of a
 * body (تحالف يضم 79 دولة: the coalition), and recruits to "its ranks"
 * (انضمام 40 ألف مقاتل إلى صفوفه: the group the sentence is about).
 */
static const char *side_by_subject(mr_facts *f, const char *text,
                                   size_t len, const cand *c, size_t stop,
                                   const char *event, const char *cat,
                                   bool *count_of)
{
    const mr_toks *tv = &f->toks;
    if (event && strcmp(event, "member_of") == 0)
        return group_before(f, text, len, c->t_first, 16);
    bool money = cat && strcmp(cat, "money") == 0;
    const char *w = winner_or_donor(f, text, len, c->t_first,
                                    cat && strcmp(cat, "percent") == 0, money);
    if (w)
        return w;
    /* a share (ربع أراضي سوريا) or a sum of money (تكلف مليارات الدولارات،
     * ومعهم 200 مليون دولار) belongs to the group the clause is about, or
     * to the force named there (سيطرت القوات السورية الحكومية على 70 %) */
    if (c->fraction || money || (cat && strcmp(cat, "percent") == 0)) {
        const char *g = group_before(f, text, len, c->t_first, 32);
        for (size_t d = 1; !g && d <= 32 && d <= c->t_first; d++) {
            size_t k = c->t_first - d;
            if (mr_x_sent_end(tv, text, len, k))
                break;
            g = force_at(f, text, k, c->t_first);
        }
        return g;
    }
    /* عدد مقاتلي التنظيم ... يتراوح بين 20 و30 ألف مقاتل */
    for (size_t d = 1; d <= 28 && d <= c->t_first; d++) {
        size_t k = c->t_first - d;
        if (mr_x_sent_end(tv, text, len, k))
            break;
        if (mr_x_is_c(tv, k, "عدد") && k + 2 < tv->n) {
            long r = mr_x_lookup(&mr_lex_counted_nouns, tv, k + 1, MR_X_ALL, NULL);
            if (r >= 0) {
                const char *g = group_at(f, k + 2, k + 5);
                if (g) {
                    *count_of = true; /* the size of a group's ranks */
                    return g;
                }
            }
        }
    }
    for (size_t k = c->t_last + 1; k < stop && k < c->t_last + 5; k++) {
        if (mr_x_clause_punct(tv, k))
            break;
        if (mr_x_is_c(tv, k, "صفوفه") || mr_x_is_c(tv, k, "صفوفها"))
            return group_before(f, text, len, c->t_first, 40);
    }
    return NULL;
}

/* Token i is, or is glued to, the conjunction و. */
static bool conj_before(const mr_toks *tv, const char *text, const cand *c)
{
    size_t t = c->t_first;
    if (t >= tv->n)
        return false;
    if (tv->v[t].start < c->num.start) /* و inside the same token */
        return c->num.start - tv->v[t].start == 2 &&
               memcmp(text + tv->v[t].start, "\xd9\x88", 2) == 0;
    if (t == 0)
        return false;
    const char *p = mr_tok_norm(tv, t - 1);
    return strcmp(p, "\xd9\x88") == 0 ||
           (strncmp(mr_tok_norm(tv, t), "\xd9\x88", 2) == 0 &&
            tv->v[t].start + 2 <= c->num.start);
}

/* ---------------------------------------------------------- the stage */

/* The state the phases of mr_extract_figures share. fc, construct, coord
 * and ev_after are parallel to the figures this stage makes (f->figures
 * from index base on, nf of them). */
typedef struct fig_run {
    const char *text;
    size_t len;
    mr_facts *f;
    const mr_toks *tv;
    size_t base, nf;
    cand *fc;        /* each figure's candidate and token extent */
    bool *construct; /* its noun is a construct form (the side may follow) */
    bool *coord;     /* joined by و to the figure before it */
    bool *ev_after;  /* its event was read after it */
} fig_run;

static const char *toll_before(const fig_run *r, size_t t, size_t lo);

/* A bare count after its event verb and a date between them: "قتل ليلة
 * أمس 5 وجرح 4" (the date's tokens, at most three, are skipped; the count
 * must still end its phrase as bare_count says). */
static bool dated_bare_count(const fig_run *r, const cand *c, size_t t0, size_t t1,
                             noun *nn)
{
    const mr_toks *tv = r->tv;
    const mr_facts *f = r->f;
    size_t b = t0;
    int d = t0 > 0 ? mr_x_date_at(f, tv->v[t0 - 1].start) : -1;
    /* the date holding token t0 - 1: step back over it */
    while (d >= 0 && b > 0 && tv->v[b - 1].start >= f->dates.v[d].start && t0 - b < 3)
        b--;
    if (b == t0 || t0 - b > 3 || b == 0 || !event_at(tv, b - 1))
        return false;
    return bare_count(tv, r->text, c, t0, t1, b, false, nn);
}

/* The span's start once the clitics and words before the number are
 * settled; false when the number is a year or a label. */
static bool settle_start(const fig_run *r, cand *c, size_t t0)
{
    const mr_toks *tv = r->tv;
    const char *text = r->text;
    /* a glued و/ف/ب/ل the reader took in: "وأكثر من"، "بثماني" */
    if (tv->v[t0].start == c->num.start &&
        tv->v[t0].kind == MARSAD_TOK_ARABIC &&
        !in_list(mr_tok_norm(tv, t0), no_shift)) {
        const char *s = mr_tok_norm(tv, t0);
        const char *o = text + c->num.start;
        if (strncmp(s, o, 2) == 0 &&
            (memcmp(o, "\xd9\x88", 2) == 0 || memcmp(o, "\xd9\x81", 2) == 0 ||
             memcmp(o, "\xd8\xa8", 2) == 0 || memcmp(o, "\xd9\x84", 2) == 0) &&
            tv->v[t0].norm_len > 6)
            c->num.start += 2;
    }
    /* ما مجموعه: a total, kept in the span */
    if (t0 >= 2 && mr_x_is_c(tv, t0 - 2, "ما") &&
        (mr_x_is(tv, t0 - 1, "مجموعه") || mr_x_is(tv, t0 - 1, "مجموعهم")))
        c->num.start = tv->v[t0 - 2].start +
                       (uint32_t)(bare(tv, t0 - 2) - mr_tok_norm(tv, t0 - 2));
    /* a year or a label */
    if (t0 > 0 && c->num.qualifier == MARSAD_Q_EXACT &&
        (in_list(mr_tok_norm(tv, t0 - 1), year_words) ||
         in_list(bare(tv, t0 - 1), year_words)))
        return false;
    return true;
}

/* A second noun joined by و (مدني ومقاتل، دولة ومنظمة دولية): extends
 * c's span over it and returns the category of the pair. */
static const char *second_noun(const fig_run *r, cand *c, const noun *nn,
                               uint32_t next_start)
{
    const mr_toks *tv = r->tv;
    const char *category = nn->category;
    size_t nx = nn->t_last + 1;
    if (c->fraction || (c->num.flags & MARSAD_NUMF_PERCENT) || nx >= tv->n ||
        !is_arabic(tv, nx) || strncmp(mr_tok_norm(tv, nx), "\xd9\x88", 2) != 0 ||
        mr_x_break_before(tv, r->text, nx))
        return category;
    long rw = mr_x_lookup(&mr_lex_counted_nouns, tv, nx, MR_X_CONJ | MR_X_ART | MR_X_TANWEEN, NULL);
    if (rw < 0)
        return category;
    const char *cat2 = mr_lex_cell(&mr_lex_counted_nouns, (size_t)rw, 3);
    if (strcmp(cat2, "-") == 0)
        return category;
    /* an event noun that governs the next number: "14 شخصا وإصابة 40" */
    if (event_at(tv, nx) && nx + 3 < tv->n && next_start <= tv->v[nx + 3].start)
        return category;
    c->t_last = nx;
    bool civ1 = strcmp(category, "civilians") == 0;
    bool civ2 = strcmp(cat2, "civilians") == 0;
    bool fig1 = strcmp(category, "fighters") == 0 || strcmp(category, "soldiers") == 0;
    bool fig2 = strcmp(cat2, "fighters") == 0 || strcmp(cat2, "soldiers") == 0;
    /* women or children with men (رجال، شبان: persons) are people */
    bool part1 = strcmp(category, "women") == 0 || strcmp(category, "children") == 0;
    bool part2 = strcmp(cat2, "women") == 0 || strcmp(cat2, "children") == 0;
    if ((civ1 && fig2) || (fig1 && civ2) || (part1 && strcmp(cat2, "persons") == 0) ||
        (part2 && strcmp(category, "persons") == 0))
        category = "persons";
    /* and a nisba adjective of the second noun */
    size_t ad = nx + 1;
    if (is_arabic(tv, ad) && !definite(mr_tok_norm(tv, ad))) {
        const char *a = mr_tok_norm(tv, ad);
        size_t an = tv->v[ad].norm_len;
        if (an > 6 && (strcmp(a + an - 4, "\xd9\x8a\xd9\x87") == 0 ||
                       strcmp(a + an - 2, "\xd9\x8a") == 0))
            c->t_last = ad;
    }
    return category;
}

/*
 * A verb before the number that carries its qualifier, outside the span
 * (gold/README.md): "تجاوزت 49 في المئة"، "تخطت عتبة 220 قتيلا" (more_than),
 * "لا يتعدى 9 مليارات" (up_to), "تحت عتبة 1,4%" (less_than). A threshold
 * noun (عتبة، حاجز، سقف) may stand between. Only an exact count changes.
 */
static void verb_qualifier(const fig_run *r, cand *c, size_t t0)
{
    static const char *const exceed[] = {
        "تجاوز", "تجاوزت", "يتجاوز", "تتجاوز", "تخطي", "تخطت", "يتخطي",
        "تتخطي", "فاق", "فاقت", "تفوق", "تعدي", "تعدت", "يتعدي", "تتعدي",
        "تجاوزا", "تخطيا", NULL};
    static const char *const sill[] = {"عتبه", "حاجز", "سقف", "حد", NULL};
    const mr_toks *tv = r->tv;
    if (c->num.qualifier != MARSAD_Q_EXACT || t0 == 0 || c->fraction)
        return;
    size_t k = t0 - 1;
    bool has_sill = in_list(bare(tv, k), sill);
    if (has_sill) {
        if (k > 0 && (mr_x_is_c(tv, k - 1, "تحت") || mr_x_is_c(tv, k - 1, "دون"))) {
            c->num.qualifier = MARSAD_Q_LESS_THAN;
            c->num.has_min = false;
            return;
        }
        if (k == 0)
            return;
        k--;
    }
    /* the verb, or the verb and its subject: "لا يتعدى احتياطي النقد 9
     * مليارات"، "تجاوز عدد القتلى 100" (three words at most, no number or
     * punctuation among them) */
    size_t d = 0;
    while (d < 3 && k > 0 && tv->v[k].kind == MARSAD_TOK_ARABIC &&
           !in_list(bare(tv, k), exceed) && !in_list(bare(tv, k), stop_words) &&
           !mr_x_break_before(tv, r->text, k + 1)) {
        k--;
        d++;
    }
    if (tv->v[k].kind != MARSAD_TOK_ARABIC || !in_list(bare(tv, k), exceed))
        return;
    if (k > 0 && (mr_x_is_c(tv, k - 1, "لا") || mr_x_is_c(tv, k - 1, "لم"))) {
        c->num.qualifier = MARSAD_Q_UP_TO;
        c->num.has_min = false;
        return;
    }
    c->num.qualifier = MARSAD_Q_MORE_THAN;
    c->num.has_max = false;
}

/* At token k, a qualifier phrase that closes a count: على الأقل، على أقل
 * تقدير، كحد أدنى (at_least); returns its last token, or 0. */
static size_t closing_at_least(const mr_toks *tv, size_t k)
{
    if (k + 1 < tv->n && mr_x_is(tv, k, "علي") && mr_x_is(tv, k + 1, "الاقل"))
        return k + 1;
    if (k + 1 < tv->n && mr_x_is(tv, k, "كحد") && mr_x_is(tv, k + 1, "ادني"))
        return k + 1;
    if (k + 2 < tv->n && mr_x_is(tv, k, "علي") && mr_x_is(tv, k + 1, "اقل") &&
        mr_x_is(tv, k + 2, "تقدير"))
        return k + 2;
    return 0;
}

/*
 * "على الأقل" after the counted noun: "20 شخصا على الأقل" (the span runs
 * over it), and past a verb or the group's words that cut it off: "لقي 16
 * شخصا حتفهم على الأقل"، "100 من عناصر قوات الأمن على الأقل" (at_least,
 * the span stops at the noun). Only in the same clause, with no number in
 * between; an exact count becomes at_least with an open top.
 */
static void trailing_at_least(const fig_run *r, cand *c)
{
    const mr_toks *tv = r->tv;
    if (c->num.qualifier != MARSAD_Q_EXACT || (c->num.flags & MARSAD_NUMF_PERCENT))
        return;
    for (size_t k = c->t_last + 1, d = 0; k < tv->n && d < 5; k++, d++) {
        size_t e = closing_at_least(tv, k);
        if (e) {
            c->num.qualifier = MARSAD_Q_AT_LEAST;
            c->num.has_max = false;
            if (d == 0)
                c->t_last = e;
            return;
        }
        if (tv->v[k].kind != MARSAD_TOK_ARABIC || mr_x_break_before(tv, r->text, k) ||
            (d > 0 && strncmp(mr_tok_norm(tv, k), "\xd9\x88", 2) == 0))
            return; /* punctuation, a number, a new line, or و: a new phrase */
    }
}

/* Fills the new figure fg from its candidate, noun and category: span,
 * value (vague plurals as ranges), counted noun ("others" of the figure
 * before), and a multiple's value from the figure before. */
static void fill_figure(fig_run *r, mr_figure *fg, size_t idx, const cand *c,
                        const noun *nn, const char *category)
{
    mr_facts *f = r->f;
    fg->start = (uint32_t)c->num.start;
    fg->end = r->tv->v[c->t_last].end;
    fg->min = c->num.min;
    fg->max = c->num.max;
    fg->has_min = c->num.has_min;
    fg->has_max = c->num.has_max;
    fg->qualifier = c->num.qualifier;
    if ((c->num.flags & MARSAD_NUMF_VAGUE) && c->num.has_min && c->num.min >= 20 &&
        !c->num.has_max) {
        /* vague plurals: at least two units, below the next order
         * (عشرات 20-99, مئات 200-999, آلاف 2000-9999, ملايين 2e6-999e6);
         * the numbers layer's own bounds stand (عشرات الآلاف 20000-99999) */
        double u = c->num.min / 2;
        fg->qualifier = MARSAD_Q_RANGE;
        fg->has_max = true;
        fg->max = u <= 100 ? 10 * u - 1 : u <= 1000 ? 10 * u - 1 : 1000 * u - 1;
    }
    fg->counted = nn->lemma;
    /* 1500 آخرين: "others" of the noun counted just before */
    if (nn->lemma && strcmp(nn->lemma, "آخر") == 0 && idx >= 1) {
        /* not a breakdown's: "مقتل 628 مدنيا بينهم 151 طفلا، وإصابة
         * 3500 آخرين" are other civilians */
        size_t p = idx - 1;
        while (p > 0 && after_among(r->tv, r->fc[p - 1].t_last, r->fc[p].t_first))
            p--;
        const mr_figure *pv = &f->figures.v[r->base + p];
        fg->counted = pv->counted;
        category = pv->category;
    }
    fg->category = c->fraction ? "percent" : category;
    if (c->fraction) {
        /* a share in percent to two places: ثلث = 33.33 */
        fg->min = floor(fg->min * 100 + 0.5) / 100;
        fg->max = floor(fg->max * 100 + 0.5) / 100;
    }
    fg->part_of = -1;
    fg->source = -1;
    fg->when = -1;
    /* a multiple of the figure before it */
    if (c->referent_kind) {
        if (idx >= 1) {
            const mr_figure *ref = &f->figures.v[f->figures.n - 2];
            double v = ref->has_min ? ref->min : ref->max;
            fg->min = fg->max = c->factor * v;
            fg->has_min = fg->has_max = true;
            if (!fg->counted) {
                fg->counted = ref->counted;
                fg->category = ref->category;
            }
        } else {
            fg->has_min = fg->has_max = false;
        }
    }
}

/* Phases 1-2: the candidates that count something become figures, in
 * text order. */
static marsad_status make_figures(fig_run *r, const cvec *cv)
{
    const mr_toks *tv = r->tv;
    mr_facts *f = r->f;
    uint32_t last_end = 0;
    for (size_t k = 0; k < cv->n; k++) {
        cand c = cv->v[k];
        if (c.num.end <= c.num.start || c.num.start < last_end)
            continue;
        if (c.num.flags & MARSAD_NUMF_ORDINAL)
            continue;
        /* إضعاف ("weakening") is read as أضعاف: a multiple with no number
         * before it is not a figure */
        if (c.num.qualifier == MARSAD_Q_MULTIPLE &&
            !(c.num.flags & MARSAD_NUMF_DIGITS) && c.num.start < r->len &&
            is_arabic(tv, mr_x_tok_at(tv, c.num.start)) &&
            strcmp(bare(tv, mr_x_tok_at(tv, c.num.start)), "اضعاف") == 0)
            continue;
        /* واحد، اثنان/اثنين written as words are not figures (gold/README.md):
         * "إرهابيين اثنين"، "اثنين من المهاجمين" */
        if ((c.num.flags & (MARSAD_NUMF_WORDS | MARSAD_NUMF_DIGITS)) == MARSAD_NUMF_WORDS &&
            c.num.qualifier == MARSAD_Q_EXACT && c.num.has_min && c.num.min <= 2 &&
            c.num.max <= 2 && !c.referent_kind && !(c.num.flags & MARSAD_NUMF_FRACTION))
            continue;
#ifdef MARSAD_NUMF_FRACTION
        if (c.num.flags & MARSAD_NUMF_FRACTION)
            c.fraction = true; /* ربع = 25, in percent */
#endif
        /* the reader's multiples (ضعف = 2): resolved against the figure
         * before, in fill_figure */
        if (c.num.qualifier == MARSAD_Q_MULTIPLE && !c.referent_kind) {
            c.referent_kind = 1;
            c.factor = c.num.has_min ? c.num.min : c.num.has_max ? c.num.max : 2;
        }
        size_t t0 = mr_x_tok_at(tv, c.num.start);
        size_t t1 = mr_x_tok_at(tv, c.num.end - 1);
        if (t0 >= tv->n || t1 >= tv->n)
            continue;
        if (!settle_start(r, &c, t0))
            continue;
        c.t_first = t0;
        c.t_num_last = t1;
        noun nn;
        if (c.pronoun) { /* نصفهم: the span is the word */
            memset(&nn, 0, sizeof nn);
            nn.t_last = t1;
            nn.category = "percent";
            nn.lexical = true;
        } else if (!find_noun(f, r->text, &c, t1, &nn)) {
            bool part = breakdown_of_last(tv, last_end, t0);
            /* or a toll noun before it: "ارتفعت حصيلة القتلى إلى 58" */
            size_t lo = last_end ? mr_x_tok_at(tv, last_end - 1) + 1 : 0;
            bool toll = !part && toll_reaches(tv, t0) &&
                        c.num.qualifier != MARSAD_Q_MULTIPLE &&
                        toll_before(r, t0, lo) != NULL;
            if (!bare_count(tv, r->text, &c, t0, t1, t0, part || toll, &nn) &&
                !dated_bare_count(r, &c, t0, t1, &nn))
                continue;
            /* a part without a noun counts what its whole counts: "43
             * هدفا ... بينها 9 في دوري الأبطال" */
            const char *wc = f->figures.n > r->base
                                 ? f->figures.v[f->figures.n - 1].category
                                 : NULL;
            /* (بينهم/منهم count people: not of "13 دولة" or money) */
            if (part && wc &&
                (!(mr_x_is_c(tv, t0 - 1, "بينهم") ||
                   mr_x_is_c(tv, t0 - 1, "منهم")) ||
                 !(strcmp(wc, "countries") == 0 || strcmp(wc, "money") == 0 ||
                   strcmp(wc, "percent") == 0)))
                nn.category = wc;
        }
        if (tv->v[t0].kind == MARSAD_TOK_ARABIC && definite(bare(tv, t0)) &&
            !(c.num.flags & MARSAD_NUMF_VAGUE) && !nn.lexical)
            continue;
        c.t_last = nn.t_last;
        c.t_noun = nn.t_last;
        c.lexical = nn.lexical && nn.lemma;
        uint32_t next_start = k + 1 < cv->n ? (uint32_t)cv->v[k + 1].num.start : UINT32_MAX;
        const char *category = second_noun(r, &c, &nn, next_start);
        trailing_at_least(r, &c);
        verb_qualifier(r, &c, t0);
        mr_figure *fg = MR_X_PUSH(f->figures);
        if (!fg)
            return MARSAD_E_NOMEM;
        size_t idx = f->figures.n - 1 - r->base;
        r->fc[idx] = c;
        r->construct[idx] = nn.construct;
        fill_figure(r, fg, idx, &c, &nn, category);
        last_end = fg->end;
    }
    r->nf = f->figures.n - r->base;
    return MARSAD_OK;
}

/* Phase 3a: figure i joined by و to figure i-1 in the same clause. */
static void find_coordination(fig_run *r)
{
    const mr_toks *tv = r->tv;
    for (size_t i = 1; i < r->nf; i++) {
        const cand *a = &r->fc[i - 1], *b = &r->fc[i];
        if (b->t_first <= a->t_last || b->t_first - a->t_last > 9)
            continue;
        bool clean = true;
        for (size_t t = a->t_last + 1; t < b->t_first; t++)
            if (mr_x_clause_punct(tv, t) || mr_x_break_before(tv, r->text, t))
                clean = false;
        if (clean && conj_before(tv, r->text, b))
            r->coord[i] = true;
    }
}

/*
 * A toll noun governing a number further on in its sentence: عدد/حصيلة
 * followed by a victim noun (القتلى، الجرحى، الضحايا، المصابين) within 16
 * tokens before token t (not before token lo, the figure before). The
 * victim noun's event, or NULL.
 */
static const char *toll_before(const fig_run *r, size_t t, size_t lo)
{
    const mr_toks *tv = r->tv;
    for (size_t d = 1; d <= 16 && d <= t && t - d >= lo; d++) {
        size_t k = t - d;
        if (mr_x_sent_end(tv, r->text, r->len, k))
            return NULL;
        if (!(mr_x_is_c(tv, k, "عدد") || mr_x_is_c(tv, k, "حصيله") ||
              mr_x_is_c(tv, k, "بحصيله") || mr_x_is_c(tv, k, "اجمالي")))
            continue;
        const char *e = event_pair(tv, k + 1, event_at(tv, k + 1));
        if (e && k + 1 < t &&
            (strcmp(e, "killed") == 0 || strcmp(e, "injured") == 0 ||
             strcmp(e, "casualties") == 0))
            return e;
    }
    return NULL;
}

/* Token k is an event verb in the plural -وا: "خمسة من مقاتلي الحشد،
 * قتلوا الأربعاء". */
static bool plural_event_verb(const mr_toks *tv, size_t k)
{
    size_t n = tv->v[k].norm_len;
    return event_at(tv, k) && n > 4 &&
           strcmp(mr_tok_norm(tv, k) + n - 4, "\xd9\x88\xd8\xa7") == 0;
}

/* Phase 3b: the event of figure i from the governing verb or noun before
 * it, its own noun, or a verb after it; NULL when none. Sets
 * r->ev_after[i] when the event was read after the figure. */
static const char *event_of(fig_run *r, size_t i)
{
    const mr_toks *tv = r->tv;
    const char *text = r->text;
    size_t len = r->len;
    const cand *c = &r->fc[i];
    size_t stop = i + 1 < r->nf ? r->fc[i + 1].t_first : tv->n;
    const char *ev = NULL;
    size_t lo = i > 0 ? r->fc[i - 1].t_last + 1 : 0;
    /* just before: مقتل 630، نقل حوالي 300، إطلاق سراح 3500 */
    for (size_t t = c->t_first, d = 0; !ev && t > lo && d < 4; d++) {
        t--;
        if (mr_x_clause_punct(tv, t) || mr_x_sent_end(tv, text, len, t))
            break;
        ev = event_pair(tv, t, event_at(tv, t));
    }
    /* a toll noun before it: "ارتفعت حصيلة القتلى ... إلى 58"، "عدد
     * الجرحى في الهجومين بلغ 2700" */
    if (!ev)
        ev = toll_before(r, c->t_first, lo);
    /* "سقوط 50 بين قتيل وجريح": the pair after it says it all */
    if (c->t_last + 2 < tv->n && mr_x_is(tv, c->t_last + 1, "بين")) {
        const char *p = event_pair(tv, c->t_last + 2, event_at(tv, c->t_last + 2));
        if (p && strcmp(p, "casualties") == 0)
            ev = p;
    }
    /* the counted noun itself: 17 قتيلا، 300 نازح (before the words
     * after it: "170 قتيلا و284 جريحا فيما سجلت ... مقتل") */
    if (c->t_noun > c->t_num_last) {
        /* "عشرات القتلى والجرحى"، "سقط 30 قتيلا وجريحا": the noun
         * pair says what is counted, over a verb before it */
        const char *np = event_pair(tv, c->t_noun, event_at(tv, c->t_noun));
        /* and a victim noun keeps its own meaning over a verb: "نقل 45
         * جريحا" are injured, "أصيب 40 شهيدا" killed */
        if (!ev || (np && (strcmp(np, "casualties") == 0 ||
                           strcmp(np, "killed") == 0 || strcmp(np, "injured") == 0)))
            ev = np;
    }
    /* after: 200 أسرة محاصرة، 1000 من مقاتلي داعش فروا */
    int commas = 0;
    bool before = ev != NULL;
    /* past a long "من ..." naming the group, only a plural verb
     * agreeing with it: "488 عنصرا من منتسبي قوات الأمن ... قتلوا" */
    bool of_group = c->t_last + 1 < tv->n &&
                    (mr_x_is(tv, c->t_last + 1, "من") || r->construct[i]);
    size_t reach = of_group ? 16 : 7;
    /* past a breakdown right after it, to a plural verb of the whole
     * right after the breakdown: "11 شخصا بينهم أربعة أطفال توفوا" (not
     * the breakdown's own words: "48 شخصا بينهم 31 قيد الاحتجاز") */
    if (!ev && i + 1 < r->nf && c->t_last + 2 == r->fc[i + 1].t_first &&
        after_among(tv, c->t_last, r->fc[i + 1].t_first)) {
        size_t t = r->fc[i + 1].t_last + 1;
        if (t < tv->n && (i + 2 >= r->nf || t < r->fc[i + 2].t_first) &&
            plural_event_verb(tv, t)) {
            ev = event_at(tv, t);
            r->ev_after[i] = true;
            return ev;
        }
    }
    for (size_t t = c->t_last + 1, d = 0; !ev && t < stop && d < reach; t++, d++) {
        if (mr_x_break_before(tv, text, t) || mr_x_is(tv, t, "فيما") ||
            mr_x_is(tv, t, "بينما") || mr_x_is(tv, t, "تلتها") ||
            mr_x_is(tv, t, "تليها"))
            break; /* a new clause */
        if (mr_x_clause_punct(tv, t)) {
            if (mr_x_sent_end(tv, text, len, t) || ++commas > 1 ||
                t + 1 >= tv->n || !is_arabic(tv, t + 1) ||
                !(strncmp(mr_tok_norm(tv, t + 1), "\xd9\x88", 2) == 0 ||
                  mr_x_is(tv, t + 1, "الذين") || mr_x_is(tv, t + 1, "اللواتي") ||
                  mr_x_is(tv, t + 1, "التي") || plural_event_verb(tv, t + 1)))
                break;
            continue;
        }
        /* (no pairing here: "قتلوا وأصيب 453" are two clauses) */
        const char *e = event_at(tv, t);
        /* "N حادثة كان ضحيتها ...": what it is the victim of */
        if (victim_of_word(tv, t))
            break;
        if (e && d >= 7) {
            const char *w = mr_tok_norm(tv, t);
            size_t wl = tv->v[t].norm_len;
            if (!(wl > 4 && strcmp(w + wl - 4, "\xd9\x88\xd8\xa7") == 0))
                e = NULL; /* not a plural verb in -وا */
        }
        ev = e;
    }
    r->ev_after[i] = !before && ev != NULL;
    /* the counted noun itself: 17 قتيلا، 300 نازح */
    if (!ev)
        ev = event_at(tv, c->t_noun);
    return ev;
}

/*
 * The event of a share: of a victim noun, its event ("ثلث الضحايا":
 * killed); of a pronoun, the group counted just before in the sentence,
 * which it is part of ("220 قتيلا، نصفهم من المدنيين"); else other.
 */
static const char *share_event(fig_run *r, size_t i)
{
    const cand *c = &r->fc[i];
    const mr_toks *tv = r->tv;
    if (!c->pronoun) {
        const char *e = c->t_noun > c->t_num_last ? event_at(tv, c->t_noun) : NULL;
        return e && (strcmp(e, "killed") == 0 || strcmp(e, "injured") == 0) ? e : "other";
    }
    if (i == 0 || c->t_first - r->fc[i - 1].t_last > 12)
        return "other";
    for (size_t t = r->fc[i - 1].t_last + 1; t < c->t_first; t++)
        if (mr_x_sent_end(tv, r->text, r->len, t))
            return "other";
    mr_figure *fg = &r->f->figures.v[r->base + i];
    const mr_figure *pv = &r->f->figures.v[r->base + i - 1];
    fg->part_of = (int)(r->base + i - 1);
    return pv->event ? pv->event : "other";
}

/* Phase 3b: events; money, percentages and distances happen to no one. */
static void assign_events(fig_run *r)
{
    for (size_t i = 0; i < r->nf; i++) {
        mr_figure *fg = &r->f->figures.v[r->base + i];
        const char *cat = fg->category;
        if (r->fc[i].fraction)
            fg->event = share_event(r, i);
        else if (strcmp(cat, "money") == 0 || strcmp(cat, "percent") == 0 ||
                 strcmp(cat, "distance") == 0)
            fg->event = "other";
        else
            fg->event = event_of(r, i);
        /* things are not victims: "300 غارة" killed no one, "25 حافلة"
         * did not leave */
        if (fg->event && strcmp(fg->event, "member_of") != 0 &&
            (strcmp(cat, "countries") == 0 ||
             (strcmp(cat, "other") == 0 && r->fc[i].lexical)))
            fg->event = "other";
    }
}

/* Phase 3c: sides, after the noun or given by the clause. */
static void assign_sides(fig_run *r)
{
    mr_facts *f = r->f;
    for (size_t i = 0; i < r->nf; i++) {
        mr_figure *fg = &f->figures.v[r->base + i];
        const cand *c = &r->fc[i];
        size_t stop = i + 1 < r->nf ? r->fc[i + 1].t_first : r->tv->n;
        fg->side = find_side(f, r->text, c->t_last, r->construct[i], stop);
        bool count_of = false;
        if (!fg->side)
            fg->side = side_by_subject(f, r->text, r->len, c, stop, fg->event,
                                       fg->category, &count_of);
        if (count_of && !fg->event)
            fg->event = "member_of";
    }
}

/* Phase 3d: coordination shares the event, forwards then backwards. */
static void share_coordinated_events(fig_run *r)
{
    if (r->nf < 2) /* and figures.v may be NULL: no offset from it */
        return;
    mr_figure *v = r->f->figures.v + r->base;
    for (size_t i = 1; i < r->nf; i++)
        if (r->coord[i] && !v[i].event)
            v[i].event = v[i - 1].event;
    for (size_t i = r->nf; i-- > 1;)
        if (r->coord[i] && !v[i - 1].event)
            v[i - 1].event = v[i].event;
}

/* Phase 3e: part_of for breakdowns ("… بين المدنيين"، "بينهم/منهم …"); a
 * part shares its whole's event and its group's side. */
static void link_breakdowns(fig_run *r)
{
    const mr_toks *tv = r->tv;
    mr_facts *f = r->f;
    size_t base = r->base;
    for (size_t i = 0; i < r->nf; i++) {
        if (r->coord[i])
            continue; /* handled with the group's head */
        size_t g_end = i;
        while (g_end + 1 < r->nf && r->coord[g_end + 1])
            g_end++;
        const cand *last = &r->fc[g_end];
        int parent = -1;
        size_t t = last->t_last + 1;
        if (mr_x_is(tv, t, "من") && mr_x_is(tv, t + 1, "بين"))
            t++;
        if (t < tv->n && mr_x_is(tv, t, "بين")) {
            long rw = mr_x_lookup(&mr_lex_counted_nouns, tv, t + 1,
                                  MR_X_ART | MR_X_CONJ, NULL);
            if (rw >= 0 && definite(mr_tok_norm(tv, t + 1))) {
                const char *lem = mr_lex_cell(&mr_lex_counted_nouns, (size_t)rw, 2);
                for (size_t p = i; p-- > 0;)
                    if (f->figures.v[base + p].counted &&
                        strcmp(f->figures.v[base + p].counted, lem) == 0) {
                        parent = (int)(base + p);
                        break;
                    }
            }
        }
        /* 50 شخصا بينهم 10 أطفال: the figures after بينهم/منهم, which may
         * follow a predicate ("18 شخصا من القتلى مدنيون، بينهم أربعة
         * أطفال": بينهم just before the figure, in the same sentence) */
        if (i > 0 && parent < 0) {
            size_t a = r->fc[i - 1].t_last + 1;
            size_t b = r->fc[i].t_first;
            if (b > a && b - a > 4 && b - a <= 8) {
                bool same = true;
                for (size_t u = a; u < b && same; u++)
                    same = !mr_x_sent_end(tv, r->text, r->len, u);
                a = same ? b - 2 : b;
            }
            if (b > a && b - a <= 4) {
                for (size_t u = a; u < b; u++)
                    if (mr_x_is_c(tv, u, "بينهم") || mr_x_is_c(tv, u, "منهم") ||
                        mr_x_is_c(tv, u, "بينها") || mr_x_is_c(tv, u, "منها")) {
                        size_t h = i - 1;
                        while (h > 0 && r->coord[h])
                            h--;
                        parent = (int)(base + h);
                        break;
                    }
            }
        }
        if (parent < 0)
            continue;
        const mr_figure *pf = &f->figures.v[parent];
        const char *side = NULL;
        for (size_t m = i; m <= g_end; m++)
            if (f->figures.v[base + m].side)
                side = f->figures.v[base + m].side;
        for (size_t m = i; m <= g_end; m++) {
            mr_figure *fg = &f->figures.v[base + m];
            fg->part_of = parent;
            /* a part shares its whole's event, unless its own comes before
             * it: "628 مدنيا بينهم 151 طفلا، وإصابة ..." are 151 killed */
            if (!fg->event || r->ev_after[m])
                fg->event = pf->event;
            if (!fg->side)
                fg->side = side;
        }
    }
    for (size_t i = 0; i < r->nf; i++)
        if (!f->figures.v[base + i].event)
            f->figures.v[base + i].event = "other";
}

/* Phase 3f: the source, the innermost attribution whose scope holds the
 * figure. */
static void attach_sources(fig_run *r)
{
    mr_facts *f = r->f;
    for (size_t i = 0; i < r->nf; i++) {
        mr_figure *fg = &f->figures.v[r->base + i];
        int best = -1;
        /* sources are in text order: look at the 48 whose cues come just
         * before the figure and the 16 after it, so the stage stays linear
         * however many attributions a text has */
        size_t lo = 0, hi = f->sources.n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (f->sources.v[mid].cue_start <= fg->start)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t s_from = lo > 48 ? lo - 48 : 0;
        size_t s_to = lo + 16 < f->sources.n ? lo + 16 : f->sources.n;
        for (size_t s = s_from; s < s_to; s++) {
            const mr_source *so = &f->sources.v[s];
            if (so->scope_start > fg->start || so->scope_end < fg->end)
                continue;
            f->sources.v[s].covers = MR_COVERS_FIGURE;
            if (best < 0) {
                best = (int)s;
                continue;
            }
            const mr_source *b = &f->sources.v[best];
            /* the relayed source is inner to the one relaying it */
            if (so->via == best) {
                best = (int)s;
                continue;
            }
            if (b->via == (int)s)
                continue;
            bool so_before = so->cue_start <= fg->start;
            bool b_before = b->cue_start <= fg->start;
            if (so_before && (!b_before || so->cue_start > b->cue_start))
                best = (int)s;
            else if (!so_before && !b_before && so->cue_start < b->cue_start)
                best = (int)s;
        }
        fg->source = best;
    }
}

/* Phase 3g: the date it refers to, the nearest date in the same sentence.
 * The sentence edges come from one forward pass (dates and figures are
 * both in text order), so this stays linear. */
static void attach_dates(fig_run *r)
{
    const mr_toks *tv = r->tv;
    mr_facts *f = r->f;
    size_t d_lo = 0, sent_a = 0, scan = 0;
    for (size_t i = 0; i < r->nf; i++) {
        mr_figure *fg = &f->figures.v[r->base + i];
        size_t t = r->fc[i].t_first;
        for (; scan < t; scan++)
            if (mr_x_sent_end(tv, r->text, r->len, scan))
                sent_a = scan + 1;
        size_t b = r->fc[i].t_last;
        while (b + 1 < tv->n && !mr_x_sent_end(tv, r->text, r->len, b) &&
               b < r->fc[i].t_last + 64)
            b++;
        uint32_t sa = sent_a < tv->n ? tv->v[sent_a].start : 0;
        uint32_t sb = b < tv->n ? tv->v[b].end : (uint32_t)r->len;
        while (d_lo < f->dates.n && f->dates.v[d_lo].end <= sa)
            d_lo++;
        long best = -1;
        uint32_t bestd = UINT32_MAX;
        for (size_t d = d_lo; d < f->dates.n && f->dates.v[d].start < sb; d++) {
            const mr_date *dt = &f->dates.v[d];
            if (dt->start < sa || dt->end > sb)
                continue;
            if (dt->start < fg->end && dt->end > fg->start)
                continue; /* overlapping: a date, not this figure's */
            uint32_t dist = dt->end <= fg->start ? fg->start - dt->end
                                                 : dt->start - fg->end;
            if (dist < bestd) {
                bestd = dist;
                best = (long)d;
            }
        }
        fg->when = (int)best;
    }
}

marsad_status mr_extract_figures(const char *text, size_t len,
                                 const mr_extract_opts *opts, mr_facts *f)
{
    (void)opts;
    cvec cv = {0};
    marsad_status rc = marsad_numbers_scan(text, len, collect, &cv);
    if (rc == MARSAD_OK)
        rc = add_word_cands(&f->toks, &cv);
    size_t n = cv.n ? cv.n : 1;
    fig_run r = {.text = text, .len = len, .f = f, .tv = &f->toks,
                 .base = f->figures.n};
    if (rc == MARSAD_OK) {
        r.fc = calloc(n, sizeof *r.fc);
        r.construct = calloc(n, sizeof *r.construct);
        r.coord = calloc(n, sizeof *r.coord);
        r.ev_after = calloc(n, sizeof *r.ev_after);
        if (!r.fc || !r.construct || !r.coord || !r.ev_after)
            rc = MARSAD_E_NOMEM;
    }
    if (rc == MARSAD_OK)
        rc = make_figures(&r, &cv);
    if (rc == MARSAD_OK) {
        find_coordination(&r);
        assign_events(&r);
        assign_sides(&r);
        share_coordinated_events(&r);
        link_breakdowns(&r);
        attach_sources(&r);
        attach_dates(&r);
    }
    free(r.coord);
    free(r.ev_after);
    free(r.fc);
    free(r.construct);
    free(cv.v);
    return rc;
}
