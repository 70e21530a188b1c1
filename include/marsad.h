/*
 * marsad.h: the public C API of marsad (مرصد), a ledger of what Arabic news
 * reports claim, who claims it, and which reports tell the same story.
 *
 * Design rules (docs/API.md says more):
 *  - Every exported name starts with marsad_ or MARSAD_.
 *  - Text comes in as (const char *s, size_t len); it need not be
 *    NUL-terminated. Every offset handed back is a byte offset into the
 *    caller's original text, [start, end).
 *  - Normalisation changes what is compared and indexed, never what is shown.
 *  - Functions return a marsad_status (MARSAD_OK == 0) or a size; they never
 *    abort or exit. Every function accepts NULL and reports MARSAD_E_ARG;
 *    every destructor accepts NULL and does nothing.
 *  - Ownership is stated on each declaration: "borrowed" pointers stay valid
 *    for the time given; "owned" objects are released with the named
 *    function.
 *  - The library holds no global mutable state: distinct objects may be used
 *    from distinct threads at once.
 */
#ifndef MARSAD_H
#define MARSAD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(MARSAD_BUILDING) && defined(__GNUC__)
#define MARSAD_API __attribute__((visibility("default")))
#else
#define MARSAD_API
#endif

/* ==================================================================== */
/* Version                                                              */
/* ==================================================================== */

#define MARSAD_VERSION_MAJOR 0
#define MARSAD_VERSION_MINOR 1
#define MARSAD_VERSION_PATCH 0
#define MARSAD_VERSION_HEX                                                      \
    ((MARSAD_VERSION_MAJOR << 16) | (MARSAD_VERSION_MINOR << 8) |              \
     MARSAD_VERSION_PATCH)
#define MARSAD_VERSION_STRING "0.1.0"

/* The JSON schema tag written into every JSON document marsad emits. */
#define MARSAD_SCHEMA "marsad/2"

/* Figures kept per report: the first this many in text order; the others
 * are counted in the facts ("figures_dropped") and not kept. */
#define MARSAD_FIGURES_MAX 1000

/* The library's version string, e.g. "0.1.0". Static storage. */
MARSAD_API const char *marsad_version(void);

/* ==================================================================== */
/* Errors                                                               */
/* ==================================================================== */

typedef enum marsad_status {
    MARSAD_OK = 0,
    MARSAD_E_NOMEM,   /* an allocation failed */
    MARSAD_E_ARG,     /* a NULL or out-of-range argument */
    MARSAD_E_UTF8,    /* text is not valid UTF-8 (when strictness asked) */
    MARSAD_E_INPUT,   /* malformed input: JSON, HTML, feed, query ... */
    MARSAD_E_IO,      /* a file could not be read or written */
    MARSAD_E_DB,      /* the store failed (SQLite said why) */
    MARSAD_E_LIMIT,   /* an input exceeded a documented bound */
    MARSAD_E_NOTFOUND /* the thing asked for does not exist */
} marsad_status;

/* A static English description of a status code. Never NULL. */
MARSAD_API const char *marsad_strerror(marsad_status code);

/*
 * Details of an error, filled by functions that take a `marsad_error *err`
 * (NULL to ignore). `input` names the file or stream, `line` is 1-based
 * (0 when unknown), `pos` a byte offset into the input.
 */
typedef struct marsad_error {
    marsad_status code;
    char input[256];
    unsigned long line;
    size_t pos;
    char message[512];
} marsad_error;

/* ==================================================================== */
/* Text kernel: UTF-8                                                   */
/* ==================================================================== */

/* Replacement for every invalid, overlong, surrogate or truncated sequence. */
#define MARSAD_REPLACEMENT_CHAR 0xFFFDu

/*
 * Decodes one code point from s[0..len). Returns the number of bytes
 * consumed (1..4; 0 only when len == 0) and stores the code point in *cp.
 * An invalid sequence consumes its maximal invalid prefix (at least one
 * byte) and yields U+FFFD, as the Unicode "maximal subpart" practice says.
 * Example: marsad_utf8_decode("\xd8\xa7", 2, &cp) == 2, cp == 0x0627.
 */
MARSAD_API size_t marsad_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Number of invalid sequences (each one a U+FFFD when decoded) in s. */
MARSAD_API size_t marsad_utf8_count_invalid(const char *s, size_t len);

/*
 * Writes a valid copy of s into out (cap bytes), each invalid sequence
 * replaced by U+FFFD. Measure then fill: returns the bytes needed (at most
 * 3 * len); writes nothing when cap is too small. *invalid (may be NULL)
 * receives the number of replacements.
 */
MARSAD_API size_t marsad_utf8_repair(const char *s, size_t len, char *out,
                                     size_t cap, size_t *invalid);

/* ==================================================================== */
/* Text kernel: normalisation (for matching, never for display)         */
/* ==================================================================== */

/*
 * Flags for marsad_normalize. 0 is the default for search keys:
 *  - harakat, tanween, shadda, sukun, superscript alef (U+0670), Quranic
 *    annotation marks and tatweel are removed;
 *  - أ إ آ ٱ (and alef with wavy hamza) become ا; ى becomes ي; ة becomes ه;
 *  - ؤ becomes و and ئ becomes ي (hamza carriers fold to their carrier);
 *    a lone hamza ء stays;
 *  - presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF) fold to base
 *    letters, lam-alef ligatures to two letters;
 *  - Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits become ASCII;
 *    ٫ becomes '.', ٬ becomes ',';
 *  - Persian/Urdu ک ی ھ become ك ي ه;
 *  - zero-width and bidi controls (U+200B-U+200F, U+202A-U+202E,
 *    U+2066-U+2069, U+FEFF, U+061C) are removed;
 *  - Latin letters are case-folded (ASCII and Latin-1/Latin Extended-A);
 *  - invalid UTF-8 becomes U+FFFD.
 */
#define MARSAD_NORM_KEEP_TAA_MARBUTA 0x01u /* keep ة (do not fold to ه) */
#define MARSAD_NORM_KEEP_HAMZA       0x02u /* keep أ إ آ ؤ ئ as written */
#define MARSAD_NORM_KEEP_DIACRITICS  0x04u /* keep harakat */
#define MARSAD_NORM_KEEP_CASE        0x08u /* no Latin case folding */

/* Bound on how much normalisation can grow a text: a one-byte invalid
 * sequence becomes 3 bytes of U+FFFD, and the phrase ligature U+FDFA (3
 * bytes) spells out 18 code points (33 bytes). */
#define MARSAD_NORM_MAX_GROWTH 11

/*
 * Normalises s[0..len) into out (cap bytes). Measure then fill: returns the
 * number of bytes the whole result needs (never more than
 * MARSAD_NORM_MAX_GROWTH * len); when
 * that exceeds cap only a prefix was written, so call again with a larger
 * buffer (out may be NULL to measure). The result is not NUL-terminated.
 * Example: marsad_normalize("أَحْمَد", ...) -> "احمد".
 */
MARSAD_API size_t marsad_normalize(const char *s, size_t len, char *out,
                                   size_t cap, unsigned flags);

/* ==================================================================== */
/* Text kernel: tokens                                                  */
/* ==================================================================== */

typedef enum marsad_token_kind {
    MARSAD_TOK_ARABIC = 1, /* a word in Arabic script */
    MARSAD_TOK_LATIN,      /* a word in another letter script */
    MARSAD_TOK_NUMBER,     /* digits of any set, with , . ٫ ٬ inside */
    MARSAD_TOK_PUNCT,      /* ASCII and Arabic punctuation, quotes */
    MARSAD_TOK_SYMBOL      /* anything else that is not white space */
} marsad_token_kind;

/* Token flags. */
#define MARSAD_TOKF_SPLIT_PREFIX 0x01u /* و/ف/ب/ل split off a glued number */
#define MARSAD_TOKF_TRUNCATED    0x02u /* longer than MARSAD_MAX_TOKEN */

/* Tokens longer than this many bytes are cut into pieces of this size. */
#define MARSAD_MAX_TOKEN 256

/*
 * One token. start/end are byte offsets into the original text. norm and
 * stem are borrowed from the tokenizer and stay valid until the next call
 * to marsad_tokenizer_next or marsad_tokenizer_free. stem is normalised
 * text with light10-style clitics and affixes stripped; for non-Arabic
 * tokens it equals norm.
 */
typedef struct marsad_token {
    size_t start, end;
    marsad_token_kind kind;
    unsigned flags;
    const char *norm;
    size_t norm_len;
    const char *stem;
    size_t stem_len;
} marsad_token;

typedef struct marsad_tokenizer marsad_tokenizer; /* opaque */

/* Flags for marsad_tokenizer_new: normalisation flags, plus: */
#define MARSAD_TOKENIZE_NO_STEM 0x100u /* leave stem == norm */

/*
 * Creates a tokenizer. Owned: release with marsad_tokenizer_free. It keeps
 * one fold buffer that grows by doubling; no allocation per token.
 */
MARSAD_API marsad_status marsad_tokenizer_new(marsad_tokenizer **out,
                                              unsigned flags);

/* Points the tokenizer at s[0..len); s is borrowed until the next reset.
 * Errors: MARSAD_E_ARG (t NULL, or s NULL with len > 0: the tokenizer is
 * then at the end of an empty text). */
MARSAD_API marsad_status marsad_tokenizer_reset(marsad_tokenizer *t,
                                                const char *s, size_t len);

/* Fills *tok with the next token; returns 1, or 0 at the end of the text
 * (and for a NULL argument: the end is not an error). */
MARSAD_API int marsad_tokenizer_next(marsad_tokenizer *t, marsad_token *tok);

MARSAD_API void marsad_tokenizer_free(marsad_tokenizer *t);

/* Name of a token kind: "arabic", "latin", "number", "punct", "symbol". */
MARSAD_API const char *marsad_token_kind_name(marsad_token_kind kind);

/*
 * Light stem of an already normalised word: the stem is always a substring
 * of the input, so the result is its offset and length within norm.
 * Example: "بالباغوز" -> "باغوز"; "اسرائيل" stays whole.
 * Errors: MARSAD_E_ARG (stem_off or stem_len NULL, or norm NULL with
 * len > 0; the outputs, when given, are then 0).
 */
MARSAD_API marsad_status marsad_stem(const char *norm, size_t len,
                                     size_t *stem_off, size_t *stem_len);

/* ==================================================================== */
/* Text kernel: numbers                                                 */
/* ==================================================================== */

typedef enum marsad_qualifier {
    MARSAD_Q_EXACT = 0,
    MARSAD_Q_APPROX,    /* نحو، حوالي، قرابة، زهاء، ما يقارب */
    MARSAD_Q_MORE_THAN, /* أكثر من، أزيد من، ما يزيد على، ما يربو على */
    MARSAD_Q_AT_LEAST,  /* ما لا يقل عن */
    MARSAD_Q_LESS_THAN, /* أقل من، دون */
    MARSAD_Q_UP_TO,     /* ما يصل إلى، حتى */
    MARSAD_Q_RANGE,     /* بين X و Y، من X إلى Y، عشرات، مئات */
    MARSAD_Q_MULTIPLE   /* ضعف، أضعاف (resolved by the facts layer) */
} marsad_qualifier;

/* "exact", "approx", "more_than", ... Static storage. */
MARSAD_API const char *marsad_qualifier_name(marsad_qualifier q);

/* Number flags. */
#define MARSAD_NUMF_DIGITS  0x01u /* written (partly) in digits */
#define MARSAD_NUMF_WORDS   0x02u /* written (partly) in words */
#define MARSAD_NUMF_VAGUE   0x04u /* عشرات، مئات، آلاف، بضعة ... */
#define MARSAD_NUMF_DECIMAL 0x08u /* has a fractional part */
#define MARSAD_NUMF_PERCENT 0x10u /* followed by % or في المئة */
#define MARSAD_NUMF_ORDINAL 0x20u /* an ordinal (ثالث، الثالث) */
#define MARSAD_NUMF_YEAR    0x40u /* digits only, an integer in 1900..2100 */
#define MARSAD_NUMF_FRACTION 0x80u /* ربع، ثلث، نصف: the value is in percent */

/*
 * One number expression. [start, end) spans the qualifier (when there is
 * one) through the last number word; for a range, both ends. min and max
 * hold the value; has_min/has_max are 0 for an open end (more_than has no
 * max, up_to no min).
 */
typedef struct marsad_number {
    size_t start, end;
    double min, max;
    int has_min, has_max;
    marsad_qualifier qualifier;
    unsigned flags;
} marsad_number;

/*
 * Calls fn once for each number expression in s[0..len), in text order.
 * fn returns 0 to go on, non-zero to stop (then MARSAD_OK is returned).
 */
typedef int (*marsad_number_fn)(const marsad_number *num, void *ctx);
MARSAD_API marsad_status marsad_numbers_scan(const char *s, size_t len,
                                             marsad_number_fn fn, void *ctx);

/* ==================================================================== */
/* Store: reports in SQLite, Arabic full-text search (docs/store.md)    */
/* ==================================================================== */

typedef struct marsad_store marsad_store; /* opaque: one SQLite connection */

/*
 * Opens the store at path (created when missing; migrated to this build's
 * schema). Owned: release with marsad_store_close. One store per thread.
 * Errors: MARSAD_E_ARG, MARSAD_E_NOMEM, MARSAD_E_DB (not a SQLite file, not
 * a marsad store, a newer schema; err says which). *out is NULL on failure.
 * Example: marsad_store *st; marsad_store_open("marsad.db", &st, NULL);
 */
MARSAD_API marsad_status marsad_store_open(const char *path,
                                           marsad_store **out,
                                           marsad_error *err);

/* Closes the store. NULL is a no-op. */
MARSAD_API void marsad_store_close(marsad_store *st);

typedef struct marsad_ingest_summary {
    size_t added;          /* new reports */
    size_t already_stored; /* ids stored before: re-ingest, a no-op */
    size_t duplicates;     /* same text under another id, or a repeat */
    size_t rejected;       /* inputs, lines or items that could not be read */
} marsad_ingest_summary;

/*
 * Reads paths[0..n) (files, folders, "-" for stdin; any format marsad
 * reads) into the store in transactions of 500 reports. Rejected inputs
 * are counted in *sum (may be NULL) and skipped. Errors: MARSAD_E_ARG,
 * MARSAD_E_NOMEM, MARSAD_E_DB (earlier batches stay stored).
 */
MARSAD_API marsad_status marsad_store_ingest(marsad_store *st,
                                             const char *const *paths,
                                             size_t n,
                                             marsad_ingest_summary *sum,
                                             marsad_error *err);

/* One search hit. Strings are borrowed for the callback; title, outlet and
 * published may be NULL. score: BM25, higher is better. The snippet is the
 * original text with matches in [brackets]. */
typedef struct marsad_hit {
    const char *id, *title, *outlet, *published, *snippet;
    double score;
} marsad_hit;

/* Return 0 to go on, non-zero to stop. */
typedef int (*marsad_hit_fn)(const marsad_hit *hit, void *ctx);

/*
 * Runs query (the `marsad search` syntax: words, "phrases", -exclude,
 * OR, prefix*) and calls fn for each hit, best first, at most limit
 * (0 = 20). Errors: MARSAD_E_ARG, MARSAD_E_INPUT (nothing to look for),
 * MARSAD_E_LIMIT (a query over 4096 bytes or 64 items), MARSAD_E_DB.
 */
MARSAD_API marsad_status marsad_store_search(marsad_store *st,
                                             const char *query, size_t limit,
                                             marsad_hit_fn fn, void *ctx,
                                             marsad_error *err);

/* ==================================================================== */
/* Memory the library hands out                                         */
/* ==================================================================== */

/* Releases a string the library handed out as "owned: marsad_free".
 * NULL is a no-op. (The Python binding calls it on every char * it gets.) */
MARSAD_API void marsad_free(void *p);

/* ==================================================================== */
/* Reports given in memory                                              */
/* ==================================================================== */

/*
 * One report from the caller's memory (everything borrowed for the call).
 * text is required (it may be empty only with a title); every other field
 * may be NULL. The stored id is computed as for a file: a hash of outlet
 * and url when url is given, else of the normalised text; source_id is the
 * caller's own id (what `marsad show` and `marsad story` also accept).
 * published is any date form marsad reads ("2018-04-09", RFC 822, an
 * Arabic date ...), stored as ISO 8601; an unreadable date is stored as
 * unknown, never an error.
 */
typedef struct marsad_report_in {
    const char *source_id;
    const char *title;
    const char *outlet;
    const char *url;
    const char *published;
    const char *text;
    size_t text_len;
} marsad_report_in;

/*
 * Stores reports[0..n) as `marsad ingest` stores what it reads (one
 * transaction; a report whose id or normalised text is already stored is
 * counted in sum and skipped). Nothing is analysed: call marsad_analyze
 * with no paths after. Errors: MARSAD_E_ARG (st or reports NULL, a report
 * without text; err names its index, and nothing was stored), MARSAD_E_NOMEM,
 * MARSAD_E_DB.
 */
MARSAD_API marsad_status marsad_store_put(marsad_store *st,
                                          const marsad_report_in *reports,
                                          size_t n,
                                          marsad_ingest_summary *sum,
                                          marsad_error *err);

/* ==================================================================== */
/* Facts of one text                                                    */
/* ==================================================================== */

typedef struct marsad_facts_opts {
    const char *published; /* ISO date relative dates resolve against, or
                              NULL (they stay unresolved) */
    const char *outlet;    /* the report's outlet (its own figures), or NULL */
    int published_is_page; /* published is a page's dateline, which the text
                              may contradict (docs/facts.md) */
} marsad_facts_opts;

/*
 * The facts of text[0..len) as the JSON object `marsad facts --json` prints
 * for one report (schema marsad/2, docs/json.md: report, figures, sources,
 * dates, entities, quotes; offsets are bytes into text). opts may be NULL.
 * *json is owned (release with marsad_free), NUL-terminated, without a
 * final newline; *json_len (may be NULL) its length.
 * Errors: MARSAD_E_ARG, MARSAD_E_NOMEM, MARSAD_E_LIMIT (text over 32 MiB).
 */
MARSAD_API marsad_status marsad_facts_json(const char *text, size_t len,
                                           const marsad_facts_opts *opts,
                                           char **json, size_t *json_len,
                                           marsad_error *err);

/* The same facts as typed data: an opaque set read with the accessors
 * below. Owned: release with marsad_facts_free. */
typedef struct marsad_facts marsad_facts;

MARSAD_API marsad_status marsad_facts_extract(const char *text, size_t len,
                                              const marsad_facts_opts *opts,
                                              marsad_facts **out,
                                              marsad_error *err);
MARSAD_API void marsad_facts_free(marsad_facts *f);

/*
 * One figure. Strings are borrowed from the facts (valid until
 * marsad_facts_free); counted, category, side, event, source and date may
 * be NULL. source is the speaker's canonical name (NULL: the outlet's own
 * figure); date the ISO value of the date it is tied to.
 */
typedef struct marsad_figure {
    size_t start, end; /* byte offsets into the text */
    double min, max;
    int has_min, has_max;
    marsad_qualifier qualifier;
    const char *counted, *category, *side, *event, *source, *date;
    long part_of; /* index of the figure it is part of, or -1 */
} marsad_figure;

/* Number of figures (0 for NULL). */
MARSAD_API size_t marsad_facts_figure_count(const marsad_facts *f);
/* Figure i into *out. Errors: MARSAD_E_ARG (NULL, or i out of range). */
MARSAD_API marsad_status marsad_facts_figure(const marsad_facts *f, size_t i,
                                             marsad_figure *out);

/* ==================================================================== */
/* The main job: analyse a corpus into a store (docs/API.md)            */
/* ==================================================================== */

/* Stages of marsad_analyze, in order, for progress and timings. */
typedef enum marsad_stage {
    MARSAD_STAGE_INGEST = 0, /* reading paths into the store */
    MARSAD_STAGE_LOAD,       /* reading the stored reports */
    MARSAD_STAGE_FACTS,      /* facts and link features, saved in batches */
    MARSAD_STAGE_CLUSTER,    /* stories by clustering */
    MARSAD_STAGE_STORIES,    /* passages, claims, summary, timeline */
    MARSAD_STAGE_SAVE,       /* the changed stories written */
    MARSAD_NSTAGES
} marsad_stage;

/* "ingest", "load", "facts", "clustering", "stories", "save". Static. */
MARSAD_API const char *marsad_stage_name(marsad_stage stage);

/* Progress: done of total items of a stage (reports, or stories). Called
 * from the calling thread only. */
typedef void (*marsad_progress_fn)(marsad_stage stage, size_t done,
                                   size_t total, void *ctx);
/* Each input, line or item that could not be read (err borrowed for the
 * call); the analysis goes on without it. */
typedef void (*marsad_reject_fn)(const marsad_error *err, void *ctx);

typedef struct marsad_analyze_opts {
    size_t batch;     /* reports per committed batch, for ingest and facts
                         (0 = 500) */
    unsigned threads; /* 0 = $MARSAD_THREADS, else one per CPU (at most 8);
                         results never depend on it */
    marsad_progress_fn progress; /* may be NULL */
    marsad_reject_fn on_reject;  /* may be NULL */
    void *ctx;                   /* for both callbacks */
    int facts_only; /* stop after the facts (saved as always): no stories.
                       For a shard of the per-report work that
                       marsad_store_import merges into one store */
} marsad_analyze_opts;

typedef struct marsad_analyze_summary {
    marsad_ingest_summary ingest; /* of the paths given */
    size_t reports;      /* reports in the store */
    size_t extracted;    /* reports whose facts were extracted and saved by
                            this run (0 when nothing is new) */
    size_t stories;      /* stories in the store */
    size_t stories_kept; /* stories whose stored rows stood unchanged */
    size_t claims, conflicts; /* over every stored story */
    double secs[MARSAD_NSTAGES];   /* wall seconds per stage */
    double rss_mb[MARSAD_NSTAGES]; /* resident memory after it, MB */
    double cpu_secs[MARSAD_NSTAGES]; /* CPU seconds per stage, every thread
                                        of the process (the postings file's
                                        build runs beside facts and after) */
    size_t figures_capped; /* reports extracted this run with more figures
                              than MARSAD_FIGURES_MAX: only the first that
                              many (in text order) are kept */
    double lead_cpu_secs[MARSAD_NSTAGES]; /* CPU seconds per stage of the
                                             calling thread alone (reading,
                                             writing, clustering: the work
                                             no other thread takes) */
} marsad_analyze_summary;

/*
 * The main job (`marsad analyze`): reads paths[0..n) into the store (files,
 * folders, "-"; n may be 0 to analyse what is stored), then extracts the
 * facts of every report not analysed before, groups the reports into
 * stories and reconciles each changed story's figures. Everything is saved
 * in st: facts in batches of opts->batch reports, each committed with the
 * mark of how far extraction got, so a run that is killed keeps every
 * committed batch and the next run continues from there; the stories are
 * replaced in one transaction at the end. The store is consistent at every
 * point. A store analysed by another extraction revision is redone.
 * opts and sum may be NULL.
 * Errors: MARSAD_E_ARG (st NULL, paths NULL with n > 0), MARSAD_E_NOMEM,
 * MARSAD_E_DB (what was committed stays). Rejected inputs are not errors:
 * they are counted in sum->ingest.rejected and passed to on_reject.
 */
MARSAD_API marsad_status marsad_analyze(marsad_store *st,
                                        const char *const *paths, size_t n,
                                        const marsad_analyze_opts *opts,
                                        marsad_analyze_summary *sum,
                                        marsad_error *err);

/*
 * Merges the per-report work of another machine: copies into dst every
 * report of the store at shard_path that dst lacks (by id or by text, as
 * marsad_store_put), with its stored facts when the shard's facts were made
 * by this marsad and extraction revision (marsad_analyze with facts_only,
 * say). When dst's own facts were complete and every report copied brought
 * its facts, dst's facts stand complete after it: its next marsad_analyze
 * extracts nothing, reads the facts back, and gives the stories one store
 * fed with every report gives (stories depend only on the set of reports).
 * Otherwise the reports copied are extracted by that analyse. One
 * transaction: dst gets all of the shard or nothing. sum (may be NULL)
 * counts the reports as marsad_store_put does. Errors: MARSAD_E_ARG,
 * MARSAD_E_NOTFOUND (no store at shard_path), MARSAD_E_DB (not a marsad
 * store, a newer schema, a store failure), MARSAD_E_NOMEM.
 */
MARSAD_API marsad_status marsad_store_import(marsad_store *dst,
                                             const char *shard_path,
                                             marsad_ingest_summary *sum,
                                             marsad_error *err);

/* ==================================================================== */
/* Stories: what marsad_analyze saved                                   */
/* ==================================================================== */

/*
 * One stored story. Every string is borrowed for the callback. json is the
 * story's whole JSON object (schema marsad/2, the line `marsad stories
 * --json` prints, without a newline); the other fields are read from it.
 * first_seen and last_seen may be NULL.
 */
typedef struct marsad_story {
    const char *id, *title, *first_seen, *last_seen;
    size_t reports;   /* member reports */
    size_t claims;    /* reconciled figures */
    size_t conflicts; /* of which the reports disagree on */
    const char *json;
    size_t json_len;
} marsad_story;

/* Return 0 to go on, non-zero to stop (not an error). */
typedef int (*marsad_story_fn)(const marsad_story *s, void *ctx);

/*
 * Calls fn for the stored stories, largest first (then first seen, then
 * id), at most limit (0 = all). Reading the end is MARSAD_OK, as is an
 * empty store. Errors: MARSAD_E_ARG, MARSAD_E_DB.
 */
MARSAD_API marsad_status marsad_stories(marsad_store *st, size_t limit,
                                        marsad_story_fn fn, void *ctx,
                                        marsad_error *err);

/*
 * The story whose id is id, or that holds the report with that id (or
 * source id, or the id or source id of a copy of it), as its JSON object: *json owned (marsad_free), no final
 * newline. Errors: MARSAD_E_ARG, MARSAD_E_NOTFOUND, MARSAD_E_DB.
 */
MARSAD_API marsad_status marsad_story_json(marsad_store *st, const char *id,
                                           char **json, marsad_error *err);

/* ==================================================================== */
/* Reuse: stored reports that share text                                */
/* ==================================================================== */

/*
 * Calls fn once per pair of stored reports that share text (near-duplicates
 * and reports of one story, never all pairs), with the JSON object `marsad
 * reuse --json` prints for it (a, b, similarity, near_duplicate, first,
 * passages with byte spans and text), borrowed for the call, no newline.
 * only (may be NULL): just the pairs with that report (id or source id).
 * fn returns 0 to go on, non-zero to stop. Errors: MARSAD_E_ARG,
 * MARSAD_E_NOTFOUND (only names no report), MARSAD_E_NOMEM, MARSAD_E_DB.
 */
typedef int (*marsad_json_fn)(const char *json, size_t len, void *ctx);
MARSAD_API marsad_status marsad_reuse(marsad_store *st, const char *only,
                                      marsad_json_fn fn, void *ctx,
                                      marsad_error *err);


#ifdef __cplusplus
}
#endif

#endif /* MARSAD_H */
