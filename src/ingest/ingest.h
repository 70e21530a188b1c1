/*
 * ingest.h: turning files, folders, streams, pages and feeds into reports.
 *
 * One iterator reads any mix of inputs and hands back one mr_report at a
 * time (report.h). A bad input (a binary file, a truncated JSON line, a
 * billion-laughs feed) is reported as an error *for that input* and the
 * iterator goes on with the next one on the following call, so a caller
 * loops like this:
 *
 *     mr_ingest *it;
 *     if (mr_ingest_open(paths, n, NULL, &it) != MARSAD_OK) ...;
 *     mr_report r = {0};
 *     marsad_error err;
 *     marsad_status rc;
 *     while ((rc = mr_ingest_next(it, &r, &err)) != MR_INGEST_DONE) {
 *         if (rc == MARSAD_OK) { use(&r); mr_report_clear(&r); }
 *         else if (rc == MARSAD_E_NOMEM) break;          // fatal
 *         else fprintf(stderr, "%s:%lu: %s\n", err.input, err.line,
 *                      err.message);                     // skipped
 *     }
 *     mr_ingest_close(it);
 *
 * Formats (by extension, else by sniffing the first bytes; opts->format
 * forces one):
 *   .txt               plain text: one report per file. First non-empty line
 *                      (past a dateline or a one/two-word section label) is
 *                      the title; a dateline near the top ("الخميس 28 مارس
 *                      2024") gives published (MR_PUB_DATELINE); a credit line
 *                      ("المصدر: مصراوي") gives the outlet. text is the whole
 *                      file, byte-exact (offsets index the file).
 *   .json              a JSON array of report objects (or one object), as
 *                      SaudiNewsNet's original files; same field names.
 *   .jsonl .ndjson     JSON Lines, one report per line, optionally gzip'd
 *   .jsonl.gz          (any input may be gzip'd: it is detected by magic).
 *   .html .htm         an HTML page: one report, main text extracted.
 *   .rss .atom .xml    RSS 2.0 or Atom feed: one report per item/entry.
 *   (TREC XML)         <DOC><DOCNO>..<TEXT>..</DOC> documents, as in the ANT
 *                      corpus (.txt/.xml files that start with <DOC>).
 * Directories are walked recursively in byte-wise sorted order (dot files
 * skipped); "-" is standard input (sniffed).
 *
 * Only files with a known extension (.txt .json .jsonl .ndjson .html .htm .xhtml
 * .xml .rss .atom, each optionally .gz) are taken from walked folders;
 * a file named on the command line is read whatever its name.
 *
 * Thread safety: one iterator per thread; iterators share nothing. libxml2
 * wants its global initialisation done once before threads use it:
 * mr_ingest_open does it, so open the first iterator before starting
 * threads (or call xmlInitParser yourself).
 */
#ifndef MR_INGEST_H
#define MR_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "text/report.h"
#include "marsad.h"

/* mr_ingest_next's return at the end of all inputs. */
#define MR_INGEST_DONE MARSAD_E_NOTFOUND

typedef enum mr_format {
    MR_FMT_AUTO = 0, /* extension, else sniffing */
    MR_FMT_TXT,
    MR_FMT_JSONL,
    MR_FMT_HTML,
    MR_FMT_FEED, /* RSS 2.0 or Atom */
    MR_FMT_TREC,
    MR_FMT_JSON  /* one JSON object, or an array of them, read whole */
} mr_format;

/* "txt", "jsonl", "html", "feed", "trec", "json", "auto". Static. */
const char *mr_format_name(mr_format f);
/* Parses a name as above (also "rss", "atom", "xml"->feed); -1 if unknown. */
int mr_format_parse(const char *name);

/* Default bound on one report (a JSON line, a page, a feed, a text file). */
#define MR_INGEST_MAX_REPORT ((size_t)32 << 20)
/* Default nesting limit for JSON (HTML and XML keep libxml2's own limit
 * of 256 levels: deeper pages are refused, see docs/ingest.md). */
#define MR_INGEST_MAX_DEPTH 64

/*
 * Options; a NULL pointer or a zeroed struct means every default.
 * JSON Lines field lists are comma-separated names tried in order; the
 * defaults read ../shared/corpus/ant-multisource/jsonl and
 * ../shared/corpus/saudinewsnet/jsonl as they are:
 *   id        "id,guid,docno"
 *   outlet    "source,outlet,site,site_name,publisher"
 *   url       "url,link,href"
 *   published "published,date,pubDate,datePublished,time,timestamp"
 *   title     "title,headline"
 *   text      "text,content,body,article"
 *   lang      "lang,language"
 * A value that is a JSON object with "name" (an outlet written as
 * {"name": ...}) is read through that member.
 */
typedef struct mr_ingest_opts {
    mr_format format;  /* MR_FMT_AUTO (0) = by extension / sniffing */
    size_t max_report; /* 0 = MR_INGEST_MAX_REPORT (bytes) */
    int max_depth;     /* JSON nesting; 0 = MR_INGEST_MAX_DEPTH */
    const char *lang;  /* default language; NULL = "ar" */
    const char *f_id, *f_outlet, *f_url, *f_published, *f_title, *f_text,
        *f_lang; /* NULL = the defaults above */
} mr_ingest_opts;

/* Counters, updated as the iterator goes. */
typedef struct mr_ingest_stats {
    size_t files;          /* inputs opened (files and stdin) */
    size_t files_rejected; /* inputs that gave no report at all (binary,
                              empty, I/O, refused feed, every line bad) */
    size_t files_skipped;  /* files in walked folders with an extension
                              marsad does not read (SOURCE.md, .tsv) */
    uint64_t bytes;        /* bytes read (after gunzip) */
    size_t reports;        /* reports handed out */
    size_t rejected;       /* errors handed out (files, lines, items) */
    size_t invalid_utf8;   /* sequences replaced by U+FFFD, all reports */
} mr_ingest_stats;

typedef struct mr_ingest mr_ingest; /* opaque */

/*
 * Opens an iterator over paths[0..n) (files, directories, "-"). The paths
 * and opts are copied. Owned: release with mr_ingest_close. Nothing is read
 * yet: a missing path is reported by mr_ingest_next in its turn.
 * Returns MARSAD_OK, MARSAD_E_ARG (out NULL, or paths NULL with n > 0) or
 * MARSAD_E_NOMEM; *out is NULL on failure.
 */
marsad_status mr_ingest_open(const char *const *paths, size_t n,
                             const mr_ingest_opts *opts, mr_ingest **out);

/*
 * Reads the next report into *r (which must be zeroed or cleared: it is
 * overwritten; release it with mr_report_clear). Returns
 *   MARSAD_OK        a report is in *r;
 *   MR_INGEST_DONE   no more inputs (MARSAD_E_NOTFOUND);
 *   MARSAD_E_INPUT / _IO / _LIMIT / _UTF8   one input, line or item was
 *                    rejected: err says which (input, line, message) and
 *                    the next call goes on after it;
 *   MARSAD_E_NOMEM   out of memory (the iterator may still be closed);
 *   MARSAD_E_ARG     it or r is NULL.
 * err may be NULL.
 */
marsad_status mr_ingest_next(mr_ingest *it, mr_report *r, marsad_error *err);

/* The counters so far (zeroes for NULL). */
mr_ingest_stats mr_ingest_stats_get(const mr_ingest *it);

/* Releases the iterator and every buffer it holds. NULL is a no-op. */
void mr_ingest_close(mr_ingest *it);

/* ---------------------------------------------------- single buffers */

/*
 * Reads every report in buf[0..len) as format fmt (MR_FMT_AUTO sniffs),
 * calling fn for each report (then clearing it) and err_fn (may be NULL)
 * for each rejected part. `name` labels the input in reports and errors.
 * This is the fuzzing and testing entry point; it shares all code with the
 * iterator. Returns MARSAD_OK (even if parts were rejected), or
 * MARSAD_E_NOMEM / MARSAD_E_ARG.
 */
typedef int (*mr_report_fn)(mr_report *r, void *ctx);
typedef void (*mr_ingest_err_fn)(const marsad_error *err, void *ctx);
marsad_status mr_ingest_buffer(const char *buf, size_t len, mr_format fmt,
                               const char *name, const mr_ingest_opts *opts,
                               mr_report_fn fn, mr_ingest_err_fn err_fn,
                               void *ctx, mr_ingest_stats *stats);

/* ---------------------------------------------------- pieces, reusable */

/*
 * Converts a date as met in inputs to ISO 8601 into out (cap >= 32):
 * "2018-04-09", "2015-07-21 10:22:01", "Mon, 09 Apr 2018 10:00:00 GMT"
 * (RFC 822, offsets kept), "2018-04-09T10:00:00+03:00", "09/04/2018",
 * Arabic dates "الخميس 28 مارس 2024" (Egyptian, Maghrebi, Algerian or
 * Levantine month names, any digits). Returns 1 when converted, else 0.
 */
int mr_date_to_iso(const char *s, size_t len, char *out, size_t cap);

#endif /* MR_INGEST_H */
