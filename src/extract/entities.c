/*
 * entities.c: named mentions of people, organisations, places and outlets
 * (DESIGN.md, "An entity"; conventions in ../shared/gold/README.md).
 *
 * Rules, tried at each token from left to right; the first that matches
 * consumes its tokens (mentions are flat, never nested):
 *
 *  G  Gazetteer: the longest run of up to MAX_WORDS words whose normalised
 *     form is a key of data/ent_gazetteer.tsv or data/ent_cldr_places.tsv.
 *     The first word is also tried without its clitics (و/ف, then ب/ك/ل;
 *     لل + X is looked up as الX but the span keeps the whole token, as the
 *     gold does for "للأمم المتحدة"). The span leaves the stripped clitics
 *     out: "وبالباغوز" -> "الباغوز".
 *  C  Classifiers (data/ent_words.tsv): مدينة/بلدة/قرية/محافظة/ريف/نهر X ->
 *     place X (classifier left out); حقل/سجن/مخيم X -> place with the
 *     classifier kept; صحيفة/وكالة/مجلة X -> outlet X, canonical "صحيفة X";
 *     تنظيم/حركة X -> organisation X. X is a quoted run or one word (two
 *     when the first is a compound place head such as دير، عين، تل).
 *  H  Named bodies: المرصد/المجلس/الشبكة + demonym(s) + ل... (+ ال...):
 *     "الشبكة السورية لحقوق الإنسان".
 *  P  Persons: a first name (data/ent_first_names.tsv, أبو/عبد X counted
 *     as one) then a name-like word, then بن X / آل X links, then family
 *     names of the form ال...ي that are not demonyms: "أبو الحسن الهاشمي
 *     القرشي", "محمد بن سلمان".
 *  Q  A speech verb then one unknown word then "،" or إن: "يقول جاردنر،".
 *  A  Afterwards, the last word (4 letters or more) of every person found
 *     by P or Q is a person anywhere else in the text ("بالي" after "مصطفى
 *     بالي").
 *
 * Cost: O(n * MAX_WORDS * V) look-ups for n tokens, V <= 6 clitic
 * variants; phrases are extended past one word only from a word that starts
 * some gazetteer phrase of two words or more (the first words are hashed
 * once per report), which spares most look-ups. Memory O(n) for the "used"
 * marks.
 */
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "extract/facts_util.h"
#include "extract/xutil.h"

#include "lex_ent_cldr_places.inc"
#include "lex_ent_first_names.inc"
#include "lex_ent_gazetteer.inc"
#include "lex_ent_words.inc"

#define MAX_WORDS 7
#define KEY_CAP 2048
#define MAX_VARIANTS 6
#define FW_SLOTS 4096 /* above twice the gazetteers' rows */

/* Normalised letters (UTF-8, two bytes each in the Arabic block). */
#define L_WAW "\xd9\x88"
#define L_FA "\xd9\x81"
#define L_BA "\xd8\xa8"
#define L_KAF "\xd9\x83"
#define L_LAM "\xd9\x84"
#define L_ALEF "\xd8\xa7"
#define L_YA "\xd9\x8a"
#define L_HA "\xd9\x87"

typedef struct variant {
    char s[MARSAD_MAX_TOKEN * 2 + 8];
    size_t len;
    unsigned skip; /* letters left out of the span at the token's start */
} variant;

typedef struct surname {
    const char *key; /* normalised last word (in the token buffer) */
    size_t len;
    const char *canonical;
} surname;

typedef struct ectx {
    const char *text;
    size_t len;
    mr_facts *f;
    const mr_toks *tv;
    uint8_t *used;
    surname *sn;
    size_t nsn, capsn;
    size_t *sn_slot; /* open-addressing index of sn by key: index + 1 */
    size_t sn_slots; /* a power of two, kept above 2 * nsn */
    uint32_t fw[FW_SLOTS]; /* hashes (| 1) of the first words of the
                              gazetteers' phrases of two words or more:
                              a word not there starts no such phrase */
    char key[KEY_CAP];
    const char *seen_cue; /* the last context word looked for in the */
    bool seen;            /* report (common_noun_here) and whether found */
    struct match *gm;     /* gaz_match per token, filled on first use: the */
    uint8_t *gm_set;      /* rules ask about the same tokens many times */
} ectx;

/* ---------------------------------------------------------------- tokens */

static bool is_word(const mr_toks *tv, size_t i)
{
    unsigned k = tv->v[i].kind;
    return k == MARSAD_TOK_ARABIC || k == MARSAD_TOK_LATIN;
}

static const char *norm(const mr_toks *tv, size_t i, size_t *n)
{
    *n = tv->v[i].norm_len;
    return mr_tok_norm(tv, i);
}

static bool starts(const char *s, size_t n, const char *p)
{
    size_t m = strlen(p);
    return n >= m && memcmp(s, p, m) == 0;
}

static bool ends(const char *s, size_t n, const char *p)
{
    size_t m = strlen(p);
    return n >= m && memcmp(s + n - m, p, m) == 0;
}

/* Code points in s[0..n). */
static size_t letters(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Opening or closing quotation mark or bracket token. */
static bool is_quote_tok(const ectx *c, size_t i)
{
    const mr_tok *t = &c->tv->v[i];
    if (t->kind != MARSAD_TOK_PUNCT)
        return false;
    const char *s = c->text + t->start;
    size_t n = t->end - t->start;
    return (n == 1 && (*s == '"' || *s == '(' || *s == ')' || *s == '\'')) ||
           (n == 2 && (!memcmp(s, "\xc2\xab", 2) || !memcmp(s, "\xc2\xbb", 2))) ||
           (n == 3 && (!memcmp(s, "\xe2\x80\x9c", 3) ||
                       !memcmp(s, "\xe2\x80\x9d", 3) ||
                       !memcmp(s, "\xe2\x80\x9e", 3)));
}

static bool is_comma_tok(const ectx *c, size_t i)
{
    const mr_tok *t = &c->tv->v[i];
    const char *s = c->text + t->start;
    size_t n = t->end - t->start;
    return t->kind == MARSAD_TOK_PUNCT &&
           ((n == 1 && *s == ',') || (n == 2 && !memcmp(s, "\xd8\x8c", 2)));
}

/*
 * The forms of token i worth looking up: as written, without و/ف, without
 * ب/ك/ل after that, and لل+X as الX. Returns how many were written.
 */
static int variants(const mr_toks *tv, size_t i, variant out[MAX_VARIANTS])
{
    size_t n;
    const char *w = norm(tv, i, &n);
    int k = 0;
    struct { const char *s; size_t n; unsigned skip; } base[2];
    int nb = 0;
    base[nb].s = w, base[nb].n = n, base[nb++].skip = 0;
    if ((starts(w, n, L_WAW) || starts(w, n, L_FA)) && letters(w, n) >= 3)
        base[nb].s = w + 2, base[nb].n = n - 2, base[nb++].skip = 1;
    for (int b = 0; b < nb && k < MAX_VARIANTS; b++) {
        const char *s = base[b].s;
        size_t m = base[b].n;
        if (m >= sizeof out[0].s)
            continue;
        memcpy(out[k].s, s, m);
        out[k].len = m;
        out[k++].skip = base[b].skip;
        if (starts(s, m, L_LAM L_LAM) && letters(s, m) >= 4 &&
            k < MAX_VARIANTS) { /* لل + X -> الX, span keeps لل */
            memcpy(out[k].s, L_ALEF L_LAM, 4);
            memcpy(out[k].s + 4, s + 4, m - 4);
            out[k].len = m;
            out[k++].skip = base[b].skip;
        }
        if ((starts(s, m, L_BA) || starts(s, m, L_KAF) || starts(s, m, L_LAM)) &&
            letters(s, m) >= 3 && k < MAX_VARIANTS) {
            memcpy(out[k].s, s + 2, m - 2);
            out[k].len = m - 2;
            out[k++].skip = base[b].skip + 1;
        }
    }
    return k;
}

/* Byte offset after `skip` letters (and their marks) from pos. */
static uint32_t skip_letters(const ectx *c, uint32_t pos, uint32_t end,
                             unsigned skip)
{
    while (skip > 0 && pos < end) {
        uint32_t cp;
        pos += (uint32_t)marsad_utf8_decode(c->text + pos, end - pos, &cp);
        while (pos < end) {
            uint32_t m;
            size_t k = marsad_utf8_decode(c->text + pos, end - pos, &m);
            if (!((m >= 0x064B && m <= 0x065F) || m == 0x0640 || m == 0x0670))
                break;
            pos += (uint32_t)k;
        }
        skip--;
    }
    return pos;
}

/* Role of a word in ent_words.tsv ("" when not listed). */
static const char *word_role(const char *s, size_t n)
{
    long r = mr_lex_find(&mr_lex_ent_words, s, n);
    return r < 0 ? "" : mr_lex_cell(&mr_lex_ent_words, (size_t)r, 2);
}

static bool role_is(const char *s, size_t n, const char *role)
{
    return mr_x_streq(word_role(s, n), role);
}

/* A demonym, masculine (listed) or feminine (listed form + ة, which
 * normalises to ه): السوري, السورية. */
static bool is_nisba(const char *s, size_t n)
{
    if (role_is(s, n, "nisba"))
        return true;
    return ends(s, n, L_YA L_HA) && role_is(s, n - 2, "nisba");
}

/* ------------------------------------------------------------- emitting */

static marsad_status push(ectx *c, uint32_t start, uint32_t end,
                          mr_entity_kind kind, const char *canonical,
                          size_t t0, size_t t1)
{
    mr_entity *e = MR_VEC_PUSH(c->f->entities);
    if (!e)
        return MARSAD_E_NOMEM;
    e->start = start;
    e->end = end;
    e->kind = kind;
    e->canonical = canonical;
    for (size_t t = t0; t < t1; t++)
        c->used[t] = 1;
    return MARSAD_OK;
}

/* Canonical made from the original text of [s, e), prefixed by pre. */
static const char *surface(ectx *c, const char *pre, uint32_t s, uint32_t e)
{
    size_t pl = pre ? strlen(pre) : 0;
    char *p = mr_arena_alloc(&c->f->arena, pl + 1 + (e - s) + 1);
    if (!p)
        return NULL;
    size_t o = 0;
    if (pl) {
        memcpy(p, pre, pl);
        o = pl;
        p[o++] = ' ';
    }
    memcpy(p + o, c->text + s, e - s);
    p[o + (e - s)] = 0;
    for (char *u = p + o; *u; u++)
        if (*u == '_')
            *u = ' '; /* a hashtag's joiner: #سعد_الحريري */
    return p;
}

static mr_entity_kind kind_of(const char *k)
{
    if (mr_x_streq(k, "person"))
        return MR_ENT_PERSON;
    if (mr_x_streq(k, "place"))
        return MR_ENT_PLACE;
    if (mr_x_streq(k, "outlet"))
        return MR_ENT_OUTLET;
    return MR_ENT_ORG;
}

/* ------------------------------------------------------------ gazetteer */

typedef struct match {
    size_t ntok;    /* tokens consumed */
    unsigned skip;  /* letters stripped from the first */
    const mr_lex *lx;
    long row;
} match;

static void fw_add(ectx *c, const char *k, size_t n)
{
    uint32_t h = mr_lex_hash(k, n) | 1u;
    size_t s = h & (FW_SLOTS - 1);
    while (c->fw[s] && c->fw[s] != h)
        s = (s + 1) & (FW_SLOTS - 1);
    c->fw[s] = h;
}

static bool fw_has(const ectx *c, uint32_t h)
{
    h |= 1u;
    for (size_t s = h & (FW_SLOTS - 1); c->fw[s]; s = (s + 1) & (FW_SLOTS - 1))
        if (c->fw[s] == h)
            return true;
    return false;
}

/* The first words of the gazetteers' phrases (a few microseconds per
 * report; it spares gaz_match most of its look-ups). */
static void fw_build(ectx *c)
{
    const mr_lex *lxs[2] = {&mr_lex_ent_gazetteer, &mr_lex_ent_cldr_places};
    for (int l = 0; l < 2; l++)
        for (size_t r = 0; r < lxs[l]->nrows; r++) {
            const char *k = mr_lex_cell(lxs[l], r, 0), *sp = strchr(k, ' ');
            if (sp)
                fw_add(c, k, (size_t)(sp - k));
        }
}

/* Longest gazetteer match starting at token i (ntok == 0 when none). */
static match gaz_match_at(ectx *c, size_t i)
{
    match best = {0, 0, NULL, -1};
    if (!is_word(c->tv, i))
        return best;
    variant v[MAX_VARIANTS];
    int nv = variants(c->tv, i, v);
    size_t avail = 1;
    while (avail < MAX_WORDS && i + avail < c->tv->n &&
           (is_word(c->tv, i + avail) ||
            c->tv->v[i + avail].kind == MARSAD_TOK_NUMBER))
        avail++;
    for (int k = 0; k < nv; k++) {
        size_t o = v[k].len;
        if (o >= KEY_CAP)
            continue;
        memcpy(c->key, v[k].s, o);
        size_t ends_at[MAX_WORDS];
        uint32_t hash_at[MAX_WORDS];
        ends_at[0] = o;
        hash_at[0] = mr_lex_hash(c->key, o);
        size_t got = 1;
        size_t reach = fw_has(c, hash_at[0]) ? avail : 1;
        for (size_t w = 1; w < reach; w++) {
            size_t n;
            const char *s = norm(c->tv, i + w, &n);
            if (o + 1 + n >= KEY_CAP)
                break;
            c->key[o++] = ' ';
            memcpy(c->key + o, s, n);
            hash_at[got] = mr_lex_hash_more(hash_at[got - 1], c->key + o - 1,
                                            n + 1);
            o += n;
            ends_at[got++] = o;
        }
        for (size_t w = got; w > best.ntok; w--) {
            const mr_lex *lxs[2] = {&mr_lex_ent_gazetteer,
                                    &mr_lex_ent_cldr_places};
            for (int l = 0; l < 2; l++) {
                long r = mr_lex_find_hashed(lxs[l], c->key, ends_at[w - 1],
                                            hash_at[w - 1]);
                if (r >= 0) {
                    best.ntok = w, best.skip = v[k].skip, best.lx = lxs[l];
                    best.row = r;
                    break;
                }
            }
            if (best.ntok == w)
                break;
        }
    }
    return best;
}

/* gaz_match_at, remembered per token; no match past the last token
 * ("... في" at the end of a report asks for the token after it). */
static match gaz_match(ectx *c, size_t i)
{
    if (i >= c->tv->n) {
        match none = {0, 0, NULL, -1};
        return none;
    }
    if (!c->gm_set[i]) {
        c->gm[i] = gaz_match_at(c, i);
        c->gm_set[i] = 1;
    }
    return c->gm[i];
}

/* Words after which a place name is expected (normalised). */
static const char *const place_before[] = {"في", "الى", "الي", "من", "بين",
                                           "العاصمه", "عاصمه", NULL};

/* Whether some word of the report holds cue (normalised: "كوري" is in
 * كوريا، الكورية، والكوريتين); remembered for the last cue asked. */
static bool report_has(ectx *c, const char *cue)
{
    if (c->seen_cue == cue)
        return c->seen;
    size_t m = strlen(cue);
    bool found = false;
    for (size_t i = 0; i < c->tv->n && !found; i++) {
        size_t n;
        const char *s = norm(c->tv, i, &n);
        for (size_t k = 0; !found && k + m <= n; k++)
            found = !memcmp(s + k, cue, m);
    }
    c->seen_cue = cue;
    c->seen = found;
    return found;
}

/* A gazetteer name that is also a common noun (role "common": سيول is
 * Seoul and floods) is taken only where the name is meant: written with
 * no clitic, after a word of place_before or as a dateline (before - or
 * '('), or anywhere in a report that holds its context word (the third
 * column: كوري for Seoul). Over ANT this keeps "العاصمة سيول", "سيول -
 * رويترز", "وقالت سيول إن" beside كوريا, and drops "إثر سيول جارفة",
 * "حصيلة سيول تارودانت". */
static bool common_noun_here(ectx *c, size_t i, const match *g)
{
    size_t n;
    const char *s = norm(c->tv, i, &n);
    if (g->ntok != 1)
        return false;
    long r = mr_lex_find(&mr_lex_ent_words, s, n);
    if (r < 0 ||
        !mr_x_streq(mr_lex_cell(&mr_lex_ent_words, (size_t)r, 2), "common"))
        return false;
    if (g->skip)
        return true;
    if (i > 0 && is_word(c->tv, i - 1)) {
        const char *p = norm(c->tv, i - 1, &n);
        for (int k = 0; place_before[k]; k++)
            if (strlen(place_before[k]) == n && !memcmp(p, place_before[k], n))
                return false;
    }
    if (i + 1 < c->tv->n && c->tv->v[i + 1].kind == MARSAD_TOK_PUNCT) {
        const char *t = c->text + c->tv->v[i + 1].start;
        if (*t == '-' || *t == '(')
            return false;
    }
    const char *cue = mr_lex_cell(&mr_lex_ent_words, (size_t)r, 3);
    return !(*cue && report_has(c, cue));
}

/* ------------------------------------------------------------ patterns */

/* Token index after i skipping quote marks and brackets, or n. */
static size_t next_word(const ectx *c, size_t i)
{
    size_t n = c->tv->n;
    while (i < n && is_quote_tok(c, i))
        i++;
    return i;
}

static bool plain_role(const char *s, size_t n)
{
    const char *r = word_role(s, n);
    return !(mr_x_streq(r, "stop") || mr_x_streq(r, "title") ||
             mr_x_streq(r, "cue") || mr_x_streq(r, "link") ||
             is_nisba(s, n));
}

/* A word that may be part of a name: not a listed function word, title,
 * cue or demonym (also once a leading و is removed: "وكان"), and not a
 * clitic + article form ("لالتقاطه", "بالمدينة"). */
static bool plain_name_word(const ectx *c, size_t i)
{
    size_t n;
    const char *s;
    if (i >= c->tv->n || !is_word(c->tv, i) || c->used[i])
        return false;
    s = norm(c->tv, i, &n);
    if (letters(s, n) < 2 || !plain_role(s, n))
        return false;
    if (starts(s, n, L_WAW) && letters(s, n) >= 3 && !plain_role(s + 2, n - 2))
        return false;
    if (letters(s, n) >= 6 && /* "بالي" stays a name, "بالمدينة" not */
        (starts(s, n, L_LAM L_ALEF L_LAM) || starts(s, n, L_BA L_ALEF L_LAM) ||
         starts(s, n, L_WAW L_ALEF L_LAM) || starts(s, n, L_KAF L_ALEF L_LAM) ||
         starts(s, n, L_FA L_ALEF L_LAM) || starts(s, n, L_LAM L_LAM)))
        return false;
    if (letters(s, n) >= 5 &&
        (starts(s, n, L_YA "\xd8\xaa") || starts(s, n, "\xd8\xaa\xd8\xaa") ||
         starts(s, n, L_YA "\xd8\xb3\xd8\xaa")))
        return false; /* يتباكى، تتحدث، يستمر: present-tense verbs */
    if (ends(s, n, L_HA L_ALEF) || ends(s, n, L_HA "\xd9\x85")) /* -ها -هم */
        return false; /* a pronoun suffix: a verb or a noun, not a name */
    return true;
}

/* بن X, آل X inside a name: returns 2 when tokens i, i+1 continue it. */
static size_t name_link(const ectx *c, size_t i)
{
    size_t n;
    if (i + 1 >= c->tv->n || !is_word(c->tv, i))
        return 0;
    const char *s = norm(c->tv, i, &n);
    return role_is(s, n, "link") && plain_name_word(c, i + 1) ? 2 : 0;
}

/* Quoted run starting at token q (a quote mark): the words up to the
 * closing mark, at most 5; returns the count and sets *last. */
static size_t quoted_run(const ectx *c, size_t q, size_t *last)
{
    size_t i = q + 1, k = 0;
    while (i < c->tv->n && k < 5 && (is_word(c->tv, i) ||
                                     c->tv->v[i].kind == MARSAD_TOK_NUMBER)) {
        i++;
        k++;
    }
    if (k == 0 || i >= c->tv->n || !is_quote_tok(c, i))
        return 0;
    *last = i - 1;
    return k;
}

/* First words of two-word place names: دير الزور، عين العرب، تل أبيض. */
static bool compound_head(const char *s, size_t n)
{
    static const char *const heads[] = {
        "\xd8\xaf\xd9\x8a\xd8\xb1",             /* دير */
        "\xd8\xb9\xd9\x8a\xd9\x86",             /* عين */
        "\xd8\xaa\xd9\x84",                     /* تل */
        "\xd8\xac\xd8\xa8\xd9\x84",             /* جبل */
        "\xd8\xb1\xd8\xa7\xd8\xb3",             /* راس */
        "\xd9\x83\xd9\x81\xd8\xb1",             /* كفر */
        "\xd8\xae\xd8\xa7\xd9\x86",             /* خان */
        "\xd8\xac\xd8\xb3\xd8\xb1",             /* جسر */
        "\xd8\xa8\xd9\x86\xd9\x8a",             /* بني */
        "\xd8\xa8\xd9\x8a\xd8\xaa",             /* بيت */
        "\xd8\xb3\xd9\x8a\xd8\xaf\xd9\x8a",     /* سيدي */
        "\xd8\xa8\xd8\xa6\xd8\xb1",             /* بئر (unfolded) */
        "\xd8\xa8\xd9\x8a\xd8\xb1",             /* بير */
        "\xd8\xa7\xd8\xa8\xd9\x88",             /* ابو */
        "\xd8\xb3\xd8\xa7\xd9\x86",             /* سان */
        "\xd8\xb3\xd8\xa7\xd9\x86\xd8\xaa",     /* سانت */
        "\xd9\x84\xd9\x88\xd8\xb3",             /* لوس */
    };
    for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++)
        if (strlen(heads[k]) == n && !memcmp(heads[k], s, n))
            return true;
    return false;
}

/*
 * Rule C at token i whose clitic-stripped form v has role `role`. Returns
 * tokens consumed (0 = no match) and pushes the entity.
 */
static size_t rule_classifier(ectx *c, size_t i, const variant *v,
                              const char *role, marsad_status *rc)
{
    size_t j = next_word(c, i + 1);
    size_t n = c->tv->n;
    if (j >= n)
        return 0;
    bool quoted = j > i + 1;
    match g = gaz_match(c, j);
    const mr_tok *tv = c->tv->v;
    uint32_t cls_start = skip_letters(c, tv[i].start, tv[i].end, v->skip);
    if (mr_x_streq(role, "place") || mr_x_streq(role, "org")) {
        if (g.ntok)
            return 0; /* the gazetteer will take X at j */
        size_t last = j;
        if (quoted) {
            if (!quoted_run(c, j - 1, &last))
                return 0;
        } else {
            size_t m;
            const char *s = norm(c->tv, j, &m);
            bool kunya = role[0] == 'p' && role_is(s, m, "kunya") &&
                         plain_name_word(c, j + 1);
            if (kunya) /* قرية أبو شوشة: a place, not a person */
                last = j + 1;
            else if (!plain_name_word(c, j) || !mr_x_streq(word_role(s, m), ""))
                return 0; /* a classifier or listed word, not a name */
            if (mr_x_streq(role, "org") && starts(s, m, L_ALEF L_LAM))
                return 0; /* تنظيم الدولة is in the gazetteer; others vary */
            if (ends(s, m, L_YA L_HA))
                return 0; /* a nisba adjective (حدودية، السورية), not a name */
            if (mr_x_streq(role, "org") &&
                (ends(s, m, L_HA) || ends(s, m, L_ALEF "\xd8\xaa")))
                return 0; /* حركة مناهضة, جماعة تدريبات: not a name */
            if (starts(s, m, L_WAW) && word_role(s + 2, m - 2)[0])
                return 0; /* "مدينة وبلدة" */
            if (!kunya && compound_head(s, m) && plain_name_word(c, j + 1))
                last = j + 1;
        }
        *rc = push(c, tv[j].start, tv[last].end,
                   role[0] == 'p' ? MR_ENT_PLACE : MR_ENT_ORG,
                   surface(c, NULL, tv[j].start, tv[last].end), j, last + 1);
        return last + 1 - i;
    }
    if (mr_x_streq(role, "keep")) {
        if (quoted || !plain_name_word(c, j))
            return 0;
        size_t m;
        const char *s = norm(c->tv, j, &m);
        if (!starts(s, m, L_ALEF L_LAM) && !g.ntok)
            return 0; /* حقل X, سجن X: X is definite or a known name */
        size_t last = g.ntok ? j + g.ntok - 1 : j;
        if (last + 1 < n && is_word(c->tv, last + 1)) {
            const char *a = norm(c->tv, last + 1, &m);
            if (starts(a, m, L_ALEF L_LAM) &&
                (ends(a, m, L_YA) || ends(a, m, L_YA L_HA)) && !is_nisba(a, m)) {
                if (!role_is(a, m, "site"))
                    return 0; /* "سجن الناشط السياسي": X is a common noun */
                last++;   /* حقل العمر النفطي، مطار دمشق الدولي */
            }
        }
        *rc = push(c, cls_start, tv[last].end, MR_ENT_PLACE,
                   surface(c, NULL, cls_start, tv[last].end), i, last + 1);
        return last + 1 - i;
    }
    if (mr_x_streq(role, "outlet")) {
        size_t last = j;
        const char *canon;
        if (g.ntok && g.lx == &mr_lex_ent_gazetteer &&
            mr_x_streq(mr_lex_cell(g.lx, (size_t)g.row, 2), "outlet")) {
            last = j + g.ntok - 1;
            canon = mr_lex_cell(g.lx, (size_t)g.row, 3);
        } else if (quoted) {
            if (!quoted_run(c, j - 1, &last))
                return 0;
            canon = NULL;
        } else {
            return 0; /* unquoted unknown: too often a common noun */
        }
        if (!canon) {
            uint32_t ce = tv[i].end;
            char buf[64];
            size_t cl = ce - cls_start < sizeof buf - 1 ? ce - cls_start
                                                        : sizeof buf - 1;
            memcpy(buf, c->text + cls_start, cl);
            buf[cl] = 0;
            canon = surface(c, buf, tv[j].start, tv[last].end);
        }
        *rc = push(c, tv[j].start, tv[last].end, MR_ENT_OUTLET, canon, j,
                   last + 1);
        return last + 1 - i;
    }
    return 0;
}

/* Rule H at token i (a head word with ال). */
static size_t rule_head(ectx *c, size_t i, marsad_status *rc)
{
    size_t n = c->tv->n, j = i + 1, m;
    size_t nis = 0;
    while (j < n && is_word(c->tv, j)) {
        const char *s = norm(c->tv, j, &m);
        if (!(starts(s, m, L_ALEF L_LAM) &&
              (ends(s, m, L_YA) || ends(s, m, L_YA L_HA))))
            break;
        nis++;
        j++;
    }
    if (nis == 0 || j >= n || !is_word(c->tv, j))
        return 0;
    const char *s = norm(c->tv, j, &m);
    if (!starts(s, m, L_LAM) || letters(s, m) < 4)
        return 0;
    size_t last = j;
    if (j + 1 < n && is_word(c->tv, j + 1)) {
        s = norm(c->tv, j + 1, &m);
        if (starts(s, m, L_ALEF L_LAM) && !role_is(s, m, "stop"))
            last = j + 1;
    }
    const mr_tok *tv = c->tv->v;
    *rc = push(c, tv[i].start, tv[last].end, MR_ENT_ORG,
               surface(c, NULL, tv[i].start, tv[last].end), i, last + 1);
    return last + 1 - i;
}

static size_t sn_hash(const char *k, size_t n)
{
    return (size_t)mr_fnv64(MR_FNV64_INIT, k, n);
}

/* Index of the surname keyed k[0..n), or -1. O(1) expected: the alias
 * checks run once per token, so a linear scan here made extraction
 * quadratic on texts with many names. */
static long sn_find(const ectx *c, const char *k, size_t n)
{
    if (!c->sn_slots)
        return -1;
    size_t m = c->sn_slots - 1;
    for (size_t h = sn_hash(k, n) & m;; h = (h + 1) & m) {
        size_t x = c->sn_slot[h];
        if (!x)
            return -1;
        const surname *e = &c->sn[x - 1];
        if (e->len == n && !memcmp(e->key, k, n))
            return (long)(x - 1);
    }
}

static marsad_status add_surname(ectx *c, size_t t, const char *canon)
{
    size_t klen, pn;
    if (t > 0 && is_word(c->tv, t - 1)) {
        const char *p = norm(c->tv, t - 1, &pn);
        if (role_is(p, pn, "kunya"))
            return MARSAD_OK; /* عبد الله, أبو مازن: the word after a
                                 kunya is no surname of its own */
    }
    const char *key = norm(c->tv, t, &klen);
    if (sn_find(c, key, klen) >= 0)
        return MARSAD_OK; /* the first name met keeps the surname */
    if (c->nsn == c->capsn) {
        size_t nc = c->capsn ? c->capsn * 2 : 16;
        surname *p = realloc(c->sn, nc * sizeof *p);
        if (!p)
            return MARSAD_E_NOMEM;
        c->sn = p;
        c->capsn = nc;
    }
    if (2 * (c->nsn + 1) >= c->sn_slots) { /* grow and rehash */
        size_t ns = c->sn_slots ? c->sn_slots * 2 : 64;
        size_t *slot = calloc(ns, sizeof *slot);
        if (!slot)
            return MARSAD_E_NOMEM;
        for (size_t i = 0; i < c->nsn; i++) {
            size_t h = sn_hash(c->sn[i].key, c->sn[i].len) & (ns - 1);
            while (slot[h])
                h = (h + 1) & (ns - 1);
            slot[h] = i + 1;
        }
        free(c->sn_slot);
        c->sn_slot = slot;
        c->sn_slots = ns;
    }
    c->sn[c->nsn].key = key;
    c->sn[c->nsn].len = klen;
    c->sn[c->nsn].canonical = canon;
    size_t h = sn_hash(key, klen) & (c->sn_slots - 1);
    while (c->sn_slot[h])
        h = (h + 1) & (c->sn_slots - 1);
    c->sn_slot[h] = ++c->nsn;
    return MARSAD_OK;
}

/* Rule P at token i: first name (after an optional و) + name words. */
/*
 * "علي" is the name Ali and, as Egyptian and many older sites type it, the
 * preposition على (alef maqsura written as ya): "علي الأرض", "علي وقف
 * إطلاق النار". Read as a name only when the word after it is one too: a
 * known first name (علي حسن، علي عبدالله), a gazetteer person, or a family
 * name of the form ال...ي (علي السيستاني); never a common noun.
 */
static bool ali_is_name(const ectx *c, size_t j)
{
    size_t m;
    if (!plain_name_word(c, j))
        return false;
    const char *s = norm(c->tv, j, &m);
    if (mr_lex_find(&mr_lex_ent_first_names, s, m) >= 0 ||
        role_is(s, m, "kunya"))
        return true;
    long r = mr_lex_find(&mr_lex_ent_gazetteer, s, m);
    if (r >= 0)
        return mr_x_streq(mr_lex_cell(&mr_lex_ent_gazetteer, (size_t)r, 2),
                          "person");
    return starts(s, m, L_ALEF L_LAM) && ends(s, m, L_YA) && !is_nisba(s, m) &&
           letters(s, m) >= 5;
}

static size_t rule_person(ectx *c, size_t i, const variant *v, int nv,
                          marsad_status *rc)
{
    size_t n = c->tv->n;
    int hit = -1;
    bool kunya = false;
    for (int k = 0; k < nv && hit < 0; k++) {
        if (v[k].skip > 1)
            continue;
        if (mr_lex_find(&mr_lex_ent_first_names, v[k].s, v[k].len) >= 0)
            hit = k;
        else if (role_is(v[k].s, v[k].len, "kunya"))
            hit = k, kunya = true;
    }
    if (hit < 0)
        return 0;
    {   /* على (a preposition) normalises like the name علي: look at the
         * original last letter, alef maqsura */
        const mr_tok *t = &c->tv->v[i];
        if (t->end - t->start >= 2 &&
            !memcmp(c->text + t->end - 2, "\xd9\x89", 2) &&
            mr_lex_find(&mr_lex_ent_first_names, v[hit].s, v[hit].len) >= 0 &&
            letters(v[hit].s, v[hit].len) == 3)
            return 0;
    }
    size_t j = i + 1;
    if (sn_find(c, v[hit].s, v[hit].len) >= 0)
        return 0; /* a surname met before: the alias pass takes it */
    if (v[hit].len == 6 && !memcmp(v[hit].s, "\xd8\xb9\xd9\x84\xd9\x8a", 6) &&
        !ali_is_name(c, j))
        return 0;
    size_t last = j;
    if (kunya) { /* أبو الحسن, عبد الله: a name by itself */
        if (!plain_name_word(c, j))
            return 0;
    } else if (name_link(c, j)) {
        last = j + 1; /* خالد بن حمد */
    } else if (j < n && is_word(c->tv, j) &&
               role_is(mr_tok_norm(c->tv, j), c->tv->v[j].norm_len, "kunya") &&
               plain_name_word(c, j + 1)) {
        last = j + 1; /* أحمد أبو زيد */
    } else {
        size_t m;
        if (!plain_name_word(c, j))
            return 0;
        const char *s = norm(c->tv, j, &m);
        if (mr_lex_find(&mr_lex_ent_gazetteer, s, m) >= 0 ||
            mr_lex_find(&mr_lex_ent_cldr_places, s, m) >= 0) {
            /* "علي سوريا": a known name of another kind follows; only a
             * gazetteer person may continue the name */
            long r = mr_lex_find(&mr_lex_ent_gazetteer, s, m);
            if (r < 0 ||
                !mr_x_streq(mr_lex_cell(&mr_lex_ent_gazetteer, (size_t)r, 2),
                            "person"))
                return 0;
        }
    }
    for (size_t e = 0; e < 3; e++) { /* بن X, آل X */
        size_t l = name_link(c, last + 1);
        if (!l)
            break;
        last += l;
    }
    for (int round = 0; round < 2; round++) {
        for (size_t e = 0; e < 2 && last + 1 < n && is_word(c->tv, last + 1);
             e++) { /* family names ال...ي */
            size_t m;
            const char *s = norm(c->tv, last + 1, &m);
            if (!(starts(s, m, L_ALEF L_LAM) && ends(s, m, L_YA)) ||
                is_nisba(s, m) || !plain_name_word(c, last + 1))
                break;
            last++;
        }
        /* a kunya going on with the name, nothing between: "أحمد حسن أبو
         * شرخ", "عبد الحميد عبد العاطي" (one person, not two), unless it
         * is a known name of its own (أبو ظبي); then family names again */
        if (round > 0 || last + 2 >= n || !is_word(c->tv, last + 1) ||
            !role_is(mr_tok_norm(c->tv, last + 1), c->tv->v[last + 1].norm_len,
                     "kunya") ||
            !plain_name_word(c, last + 2) || gaz_match(c, last + 1).ntok)
            break;
        last += 2;
    }
    const mr_tok *tv = c->tv->v;
    uint32_t st = skip_letters(c, tv[i].start, tv[i].end, v[hit].skip);
    const char *canon = surface(c, NULL, st, tv[last].end);
    *rc = push(c, st, tv[last].end, MR_ENT_PERSON, canon, i, last + 1);
    if (*rc == MARSAD_OK && canon && letters(norm(c->tv, last, &(size_t){0}),
                                             c->tv->v[last].norm_len) >= 4)
        *rc = add_surname(c, last, canon); /* short ones are often words */
    return last + 1 - i;
}

/*
 * Rule T at token i, a title (الرئيس، وزيرة، الأمين العام ...): the name
 * that follows the office, however it is spelled, when the name is not in
 * the lexicons (foreign names mostly: "وزيرة الخارجية الأمريكية كوندوليزا
 * رايس", "رئيس الوزراء الإسرائيلي إيهود أولمرت"). After the title come up
 * to six words of the office (more titles, words with ال, demonyms, names of
 * places and bodies: "الأمين العام للأمم المتحدة"), then two name words,
 * then a boundary (punctuation, the end, a function word, a speech verb, a
 * title). A name word is a plain word of three letters or more, without
 * ال, not a known place or body, not ending in ة or a pronoun ه (nouns
 * and verbs with objects: "زيارته", "قدم استقالته"). Known first names are
 * left to rule P. The second word is remembered as a surname, so a later
 * "رايس" alone is the same person.
 */
static bool office_word(ectx *c, size_t j, size_t *ntok)
{
    size_t m;
    *ntok = 1;
    if (j >= c->tv->n || !is_word(c->tv, j) || c->used[j])
        return false;
    match g = gaz_match(c, j);
    if (g.ntok) {
        *ntok = g.ntok;
        return kind_of(mr_lex_cell(g.lx, (size_t)g.row, 2)) != MR_ENT_PERSON;
    }
    const char *s = norm(c->tv, j, &m);
    const char *r = word_role(s, m);
    if (mr_x_streq(r, "title") || is_nisba(s, m))
        return true;
    /* "المتحدث باسم التحالف"، "لدعم الشرعية": whose office it is */
    if ((mr_x_is(c->tv, j, "باسم") && j + 1 < c->tv->n) ||
        (starts(s, m, L_LAM) && letters(s, m) >= 4 && j + 1 < c->tv->n &&
         is_word(c->tv, j + 1) &&
         starts(norm(c->tv, j + 1, &(size_t){0}), c->tv->v[j + 1].norm_len,
                L_ALEF L_LAM)))
        return true;
    /* "في العراق"، "لدى الأمم المتحدة": where the office is */
    if ((mr_x_is(c->tv, j, "في") || mr_x_is(c->tv, j, "لدى") ||
         mr_x_is(c->tv, j, "لدي")) &&
        (g = gaz_match(c, j + 1)).ntok &&
        kind_of(mr_lex_cell(g.lx, (size_t)g.row, 2)) != MR_ENT_PERSON) {
        *ntok = 1 + g.ntok;
        return true;
    }
    if (mr_x_streq(r, "stop") || mr_x_streq(r, "cue"))
        return false;
    return starts(s, m, L_ALEF L_LAM) || starts(s, m, L_LAM L_LAM);
}

/* Any plain word without ال, of three letters or more, that no lexicon
 * gives another role ("تركي" before a family name). */
static bool bare_name_word(const ectx *c, size_t j)
{
    size_t m;
    if (!plain_name_word(c, j))
        return false;
    const char *s = norm(c->tv, j, &m);
    return letters(s, m) >= 3 && !starts(s, m, L_ALEF L_LAM) &&
           mr_x_streq(word_role(s, m), "");
}

/* A name word of rule T: a bare name word that is not a demonym without
 * its ال (أمريكي), ends in no ة or pronoun ه, and is not a known name of
 * any kind (first names are rule P's, gazetteer names the gazetteer's). */
static bool foreign_name_word(ectx *c, size_t j)
{
    size_t m;
    if (!bare_name_word(c, j))
        return false;
    const char *s = norm(c->tv, j, &m);
    char al[64];
    if (m + 4 < sizeof al) { /* أمريكي: a demonym without its ال */
        memcpy(al, L_ALEF L_LAM, 4);
        memcpy(al + 4, s, m);
        if (is_nisba(al, m + 4))
            return false;
    }
    return !ends(s, m, L_HA) && /* also ة, which normalises to ه */
           gaz_match(c, j).ntok == 0 &&
           mr_lex_find(&mr_lex_ent_first_names, s, m) < 0;
}

/* A family name of the form ال...ي that is not a demonym: المالكي. */
static bool family_name(const ectx *c, size_t j)
{
    size_t m;
    if (!plain_name_word(c, j))
        return false;
    const char *s = norm(c->tv, j, &m);
    return starts(s, m, L_ALEF L_LAM) && ends(s, m, L_YA) && letters(s, m) >= 5 &&
           !is_nisba(s, m) && mr_x_streq(word_role(s, m), "");
}

/* A surname with ال that no lexicon gives a role and that is no demonym
 * (المشنوق): a name only where the place makes it one (between commas
 * after an office). */
static bool al_name_word(ectx *c, size_t j)
{
    size_t m;
    if (!plain_name_word(c, j))
        return false;
    const char *s = norm(c->tv, j, &m);
    return starts(s, m, L_ALEF L_LAM) && letters(s, m) >= 5 && !is_nisba(s, m) &&
           !ends(s, m, L_HA) && mr_x_streq(word_role(s, m), "") &&
           gaz_match(c, j).ntok == 0;
}

static bool name_boundary(const ectx *c, size_t j)
{
    size_t m;
    if (j >= c->tv->n || !is_word(c->tv, j))
        return true;
    const char *s = norm(c->tv, j, &m);
    const char *r = word_role(s, m);
    if (mr_x_streq(r, "stop") || mr_x_streq(r, "cue") ||
        mr_x_streq(r, "title"))
        return true;
    /* a clitic + a function word or speech verb: "وإن"، "بأن"، "وقال" */
    if (letters(s, m) < 3 || !(starts(s, m, L_WAW) || starts(s, m, L_FA) ||
                               starts(s, m, L_BA) || starts(s, m, L_LAM)))
        return false;
    r = word_role(s + 2, m - 2);
    return mr_x_streq(r, "stop") || mr_x_streq(r, "cue");
}

static size_t rule_title(ectx *c, size_t i, marsad_status *rc)
{
    size_t j = i + 1, k, m;
    int office = 0;
    for (; office < 6 && office_word(c, j, &k); office++)
        j += k;
    const char *t = norm(c->tv, i, &m);
    if (office == 0 && !starts(t, m, L_ALEF L_LAM) &&
        !(starts(t, m, L_WAW) && starts(t + 2, m - 2, L_ALEF L_LAM)))
        return 0; /* "مسؤول عسكري أمريكي": an unnamed official */
    /* the name in apposition, between commas: "وزير الداخلية اللبناني،
     * نهاد المشنوق، أن"; only after an office, and closed by a comma */
    bool appos = office > 0 && j + 3 < c->tv->n && is_comma_tok(c, j) &&
                 is_comma_tok(c, j + 3);
    if (appos)
        j++;
    /* the name: two words no lexicon holds, or a word and a family name
     * ال...ي ("تركي المالكي": a first name that is also a demonym) */
    bool fam = family_name(c, j + 1) || (appos && al_name_word(c, j + 1));
    if (!(foreign_name_word(c, j) || (fam && bare_name_word(c, j))) ||
        !(foreign_name_word(c, j + 1) || fam) || !name_boundary(c, j + 2))
        return 0;
    {   /* a noun and its adjective agreeing in case ending: "اتصالا هاتفيا",
         * "هجوما عنيفا", "اتصالين هاتفيين" */
        size_t m1, m2;
        const char *a = norm(c->tv, j, &m1), *b = norm(c->tv, j + 1, &m2);
        if ((ends(a, m1, L_ALEF) && ends(b, m2, L_ALEF)) ||
            (ends(a, m1, L_YA "\xd9\x86") && ends(b, m2, L_YA "\xd9\x86")))
            return 0;
    }
    size_t last = j + 1;
    const mr_tok *tv = c->tv->v;
    const char *canon = surface(c, NULL, tv[j].start, tv[last].end);
    *rc = push(c, tv[j].start, tv[last].end, MR_ENT_PERSON, canon, j, last + 1);
    if (*rc == MARSAD_OK && canon)
        *rc = add_surname(c, last, canon);
    /* only the title is consumed: the office's own names (التحالف العربي،
     * اليمن) are read next; the name's tokens are marked used */
    return 1;
}

/*
 * Rule B at token i, a body noun (بعثة، مكتب، مفوضية، صندوق، برنامج، وفد،
 * سفارة ...) followed by a known organisation or place: the office is an
 * organisation of its own, with its remit when one follows ("بعثة الأمم
 * المتحدة لمساعدة العراق"، "مفوضية الأمم المتحدة لشؤون اللاجئين"، "سفارة
 * الولايات المتحدة"): a word with ل, then up to two words with ال or
 * known names.
 */
static size_t rule_body(ectx *c, size_t i, const variant *v, marsad_status *rc)
{
    size_t n = c->tv->n, j = i + 1, m;
    if (v->skip > 1 || j >= n)
        return 0;
    match g = gaz_match(c, j);
    if (!g.ntok)
        return 0;
    mr_entity_kind gk = kind_of(mr_lex_cell(g.lx, (size_t)g.row, 2));
    /* a country has embassies, missions and delegations; programmes,
     * funds and offices belong to bodies ("برنامج طهران النووي" is not
     * one) */
    bool of_country = v->len >= 6 &&
                      (starts(v->s, v->len, "\xd8\xb3\xd9\x81\xd8\xa7\xd8\xb1") || /* سفار */
                       starts(v->s, v->len, "\xd9\x82\xd9\x86\xd8\xb5") ||         /* قنص */
                       starts(v->s, v->len, "\xd9\x88\xd9\x81\xd8\xaf") ||         /* وفد */
                       starts(v->s, v->len, "\xd8\xa8\xd8\xb9\xd8\xab") ||         /* بعث */
                       starts(v->s, v->len, "\xd9\x85\xd9\x85\xd8\xab"));          /* ممث */
    if (gk == MR_ENT_PERSON || (gk == MR_ENT_PLACE && !of_country))
        return 0;
    size_t last = j + g.ntok - 1, k = last + 1;
    if (k < n && is_word(c->tv, k) && !c->used[k]) {
        const char *s = norm(c->tv, k, &m);
        if (starts(s, m, L_LAM) && letters(s, m) >= 4 &&
            !mr_x_streq(word_role(s, m), "stop")) {
            last = k++;
            for (int w = 0; w < 2 && k < n && is_word(c->tv, k) && !c->used[k];
                 w++) {
                match h = gaz_match(c, k);
                s = norm(c->tv, k, &m);
                if (h.ntok)
                    last = k + h.ntok - 1;
                else if (starts(s, m, L_ALEF L_LAM) &&
                         mr_x_streq(word_role(s, m), ""))
                    last = k;
                else
                    break;
                k = last + 1;
            }
        }
    }
    const mr_tok *tv = c->tv->v;
    uint32_t st = skip_letters(c, tv[i].start, tv[i].end, v->skip);
    *rc = push(c, st, tv[last].end, MR_ENT_ORG,
               surface(c, NULL, st, tv[last].end), i, last + 1);
    return last + 1 - i;
}

/* Rule Q at token i (a speech verb, possibly after و). */
static size_t rule_cue(ectx *c, size_t i, marsad_status *rc)
{
    size_t j = i + 1, n = c->tv->n, m;
    if (!plain_name_word(c, j) || j + 1 >= n)
        return 0;
    const char *s = norm(c->tv, j, &m);
    if (starts(s, m, L_ALEF L_LAM) || gaz_match(c, j).ntok)
        return 0;
    bool after = is_comma_tok(c, j + 1);
    if (!after && is_word(c->tv, j + 1)) {
        size_t m2;
        const char *a = norm(c->tv, j + 1, &m2);
        after = (m2 == 4 && !memcmp(a, L_ALEF "\xd9\x86", 4)); /* ان */
    }
    if (!after)
        return 0;
    const mr_tok *tv = c->tv->v;
    const char *canon = surface(c, NULL, tv[j].start, tv[j].end);
    *rc = push(c, tv[j].start, tv[j].end, MR_ENT_PERSON, canon, j, j + 1);
    if (*rc == MARSAD_OK && canon)
        *rc = add_surname(c, j, canon);
    return 2;
}

/* Rule A: bare surnames of persons found by P and Q. */
static marsad_status alias_pass(ectx *c)
{
    if (c->nsn == 0)
        return MARSAD_OK;
    for (size_t i = 0; i < c->tv->n; i++) {
        if (c->used[i] || !is_word(c->tv, i))
            continue;
        variant v[MAX_VARIANTS];
        int nv = variants(c->tv, i, v);
        for (int k = 0; k < nv; k++) {
            long found = sn_find(c, v[k].s, v[k].len);
            if (found < 0)
                continue;
            size_t s = (size_t)found;
            const mr_tok *t = &c->tv->v[i];
            marsad_status rc =
                push(c, skip_letters(c, t->start, t->end, v[k].skip), t->end,
                     MR_ENT_PERSON, c->sn[s].canonical, i, i + 1);
            if (rc)
                return rc;
            break;
        }
    }
    return MARSAD_OK;
}

static int cmp_entity(const void *a, const void *b)
{
    const mr_entity *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

/* ------------------------------------------------------------- the stage */

bool mr_entity_is_territory(const char *canonical)
{
    if (!canonical)
        return false;
    char buf[256];
    size_t len = strlen(canonical);
    size_t need = marsad_normalize(canonical, len, NULL, 0, 0);
    if (need >= sizeof buf)
        return false; /* no territory has so long a name */
    marsad_normalize(canonical, len, buf, sizeof buf, 0);
    return mr_lex_find(&mr_lex_ent_cldr_places, buf, need) >= 0;
}

/* The tokens the rules read: the report's, without the "_" that joins the
 * words of a hashtag (#وحدات_حماية_الشعب), so that names written as
 * hashtags meet the lexicons. Spans are bytes, so entities found on the
 * view hold for the report's tokens. *view is the report's own tokens
 * when no hashtag joins words (no copy); else v is malloc'ed, or NULL when
 * out of memory. */
static mr_tok *hashtag_view(const mr_toks *tv, const char *text, mr_toks *view)
{
    *view = *tv;
    size_t k = 0;
    while (k < tv->n && !mr_x_joiner(tv, text, k))
        k++;
    if (k == tv->n)
        return NULL;
    mr_tok *v = malloc(tv->n * sizeof *v);
    if (!v) {
        view->n = 0;
        return NULL;
    }
    size_t m = 0;
    for (size_t i = 0; i < tv->n; i++)
        if (!mr_x_joiner(tv, text, i))
            v[m++] = tv->v[i];
    view->v = v;
    view->n = m;
    return v;
}

marsad_status mr_extract_entities(const char *text, size_t len, mr_facts *f)
{
    if (!f || (!text && len))
        return MARSAD_E_ARG;
    mr_toks view;
    mr_tok *own = hashtag_view(&f->toks, text, &view);
    if (!own && view.n != f->toks.n)
        return MARSAD_E_NOMEM;
    ectx *c = calloc(1, sizeof *c);
    if (!c) {
        free(own);
        return MARSAD_E_NOMEM;
    }
    c->text = text;
    c->len = len;
    c->f = f;
    c->tv = &view;
    fw_build(c);
    size_t n = view.n, first = f->entities.n;
    c->used = calloc(n + 1, 1);
    c->gm = malloc((n + 1) * sizeof *c->gm);
    c->gm_set = calloc(n + 1, 1);
    marsad_status rc = c->used && c->gm && c->gm_set ? MARSAD_OK
                                                     : MARSAD_E_NOMEM;
    for (size_t i = 0; rc == MARSAD_OK && i < n;) {
        if (!is_word(c->tv, i) || c->used[i]) {
            i++;
            continue;
        }
        match g = gaz_match(c, i);
        if (g.ntok && common_noun_here(c, i, &g)) {
            i++;
            continue;
        }
        if (g.ntok) {
            const mr_tok *t = &c->tv->v[i];
            rc = push(c, skip_letters(c, t->start, t->end, g.skip),
                      c->tv->v[i + g.ntok - 1].end,
                      kind_of(mr_lex_cell(g.lx, (size_t)g.row, 2)),
                      mr_lex_cell(g.lx, (size_t)g.row, 3), i, i + g.ntok);
            i += g.ntok;
            continue;
        }
        variant v[MAX_VARIANTS];
        int nv = variants(c->tv, i, v);
        size_t took = 0;
        for (int k = 0; k < nv && !took && rc == MARSAD_OK; k++) {
            const char *role = word_role(v[k].s, v[k].len);
            if (mr_x_streq(role, "place") || mr_x_streq(role, "keep") ||
                mr_x_streq(role, "outlet") || mr_x_streq(role, "org"))
                took = rule_classifier(c, i, &v[k], role, &rc);
            else if (mr_x_streq(role, "head") && v[k].skip == 0)
                took = rule_head(c, i, &rc);
            else if (mr_x_streq(role, "cue") && v[k].skip <= 1)
                took = rule_cue(c, i, &rc);
            else if (mr_x_streq(role, "title") && v[k].skip <= 1)
                took = rule_title(c, i, &rc);
            else if (mr_x_streq(role, "body"))
                took = rule_body(c, i, &v[k], &rc);
        }
        if (!took && rc == MARSAD_OK)
            took = rule_person(c, i, v, nv, &rc);
        i += took ? took : 1;
    }
    if (rc == MARSAD_OK)
        rc = alias_pass(c);
    if (rc == MARSAD_OK) {
        for (size_t k = first; k < f->entities.n; k++)
            if (!f->entities.v[k].canonical)
                rc = MARSAD_E_NOMEM; /* a surface() copy failed */
        if (f->entities.n > first)
            qsort(f->entities.v + first, f->entities.n - first,
                  sizeof *f->entities.v, cmp_entity);
    }
    free(c->used);
    free(c->gm);
    free(c->gm_set);
    free(c->sn);
    free(c->sn_slot);
    free(c);
    free(own);
    return rc;
}
