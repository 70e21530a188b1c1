/*
 * postings.c: the derived postings file beside the store (FILE-postings),
 * which answers the plain queries of mr_store_search without FTS5.
 *
 * Why (docs/store.md, "How search ranks"): FTS5 visits every match of a
 * query through the SQL engine and its auxiliary-function API (about 1 µs a
 * match, plus a second walk of each doclist for the idf of a query of
 * several words), so a query of 2,000 matches could not answer in 100 µs.
 * Here the postings of a term are one run of bytes in memory (mmap), read
 * in a tight loop; the top k are kept in a heap.
 *
 * What it holds, for the reports of one state of the store:
 *  - a header with the FTS5 index's fingerprint (FNV-1a of its structure
 *    and averages records, reports_fts_data rows 10 and 1, which FTS5
 *    rewrites on every change to the index), the number of rows, the total
 *    of tokens, the highest row;
 *  - every row's length in tokens (all columns), as bm25 reads it;
 *  - the terms, sorted by their bytes (as FTS5 sorts them, so a prefix is
 *    one range), each with its document frequency and its postings: per
 *    document the row delta shifted left by one, its low bit set when the
 *    term occurs once, in the body (most postings: nothing more about its
 *    occurrences), else its occurrences (nb << 1 | (nt > 0), then nt when
 *    there is one: nt in the title, nb in the body; the weighted frequency
 *    of bm25(2.0, 1.0) is 2 nt + nb), all varints;
 *  - a skip table: for every 64th posting of a term, where it starts in
 *    the term's postings and in its positions (that posting holds its row,
 *    not a delta), and the best score a row of its block can have for the
 *    term (a one-term query skips the blocks that cannot enter its top k:
 *    block-max, as Lucene and Tantivy do);
 *  - in a section of their own, read by phrases and by the snippets of the
 *    rows returned: per document the title's nt token positions, then the
 *    body's nb, each column delta-coded from 0 (no length nor counts: the
 *    postings have them, and a record is skipped by counting its varints);
 *  - checkpoints: per row, the byte of every 16th token of the title and
 *    of the body (delta-coded), so a snippet is tokenised from near its
 *    window, not from the start of the text;
 *  - word pairs (MRPOST07): for every two words of at least PAIR_DF
 *    reports each that stand next to each other somewhere, the pair's
 *    postings as a term's (no positions): the rows where the first stands
 *    just before the second in one column, with those occurrences counted
 *    per column as FTS5 counts a phrase's. A phrase of two such words is
 *    then one term (block-max, its match count its document frequency)
 *    instead of the positions of every row that holds both words; a
 *    phrase of rarer words reads at most PAIR_DF rows' positions. Built
 *    after the scan from the pairing words' positions (pair_build), none
 *    when the tokenizer puts two tokens at one position.
 *
 * Where a returned row's snippet starts is the first position of a query
 * term in it, the body's first when it has one (mr_postings_top, for the
 * rows kept only); search.c cuts the window there (mr_postings_anchor).
 *
 * It is built by tokenising every report with the store's own FTS5
 * tokenizer (so the terms are FTS5's), in one read transaction, and
 * checked against FTS5's averages record (rows and tokens per column
 * must agree, or nothing is written). It is written to a temporary file
 * and renamed, so a reader sees an old file or a new one, never half.
 *
 * It is never the source of truth: a search first reads the fingerprint
 * of the index (one small read) and uses the file only when it is the one
 * the file was built from. Any write to the index by anyone (ingest,
 * analyze, another process, a deletion, a repair) changes the fingerprint,
 * and search falls back to FTS5 (search.c) until the file is built again
 * (mr_store_postings_build: marsad ingest at its end, analyze on a
 * thread, marsad check --repair). Queries it does not answer fall back
 * too: title:/text: fields, outlet and date filters, after_row, a phrase
 * ending in a prefix, a phrase (not read from a pair) whose term is seen
 * more than PH_POS times in one column of a report.
 *
 * Memory: the build holds every posting and position in memory (about
 * 6 KB per report on SaudiNewsNet, 180 MB peak for 29,882 reports); a
 * store of a million reports needs a build in parts (terms by hash, one
 * pass each, the sorted parts merged at writing) before it fits the 6 GB
 * of the bench-scale goal.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/internal.h"
#include "text/text.h"

#define MAGIC "MRPOST07"
#define ENDIAN 0x0102030405060708ull /* a file of another byte order */

typedef struct pf_header {
    char magic[8];
    uint64_t endian;
    uint64_t fingerprint;
    uint64_t nrow, ntok, maxrow, nterms;
    uint64_t off_len, off_terms, off_str, off_post, off_skip, off_pos;
    uint64_t off_ckix, off_ck, size;
    uint64_t npairs, off_pairs; /* word pairs (below) */
} pf_header;

/* A word pair of the file: its terms' indices. Pair j is term nterms + j
 * of the terms (no string, no positions; its postings are the rows where
 * term a stands just before term b in one column, with those
 * occurrences counted as a phrase's), the pairs sorted by (a, b). Only
 * pairs of two words in at least PAIR_DF reports each are there: a phrase
 * of such words is the one whose positions cost the most (every row
 * holding both is read), and it is answered from the pair's postings as
 * a single term, block-max and all. */
typedef struct pf_pair {
    uint32_t a, b;
} pf_pair;

/* Words in at least this many reports pair (MARSAD_PAIR_DF sets it, for
 * the tests). A phrase of rarer words reads at most this many rows'
 * positions. */
#define PAIR_DF 8192

/* A term on disk; nterms + 1 of them, the last one only the ends of the
 * sections, so that each term's lengths are the next one's offsets less
 * its own. */
typedef struct pf_term {
    uint64_t post_off, pos_off;
    uint32_t str_off, df;
} pf_term;

/* A term as the queries read it. */
typedef struct tview {
    uint64_t post_off, pos_off;
    uint32_t str_off, str_len, df, post_len, pos_len;
    uint32_t skip; /* its first entry in the skip table */
} tview;

/* Where posting 64 b of a term starts (b >= 1), in its postings and its
 * positions: a posting's positions are found without decoding the ones
 * before its block (and a block's first posting holds its row, not a
 * delta, so a block can be skipped). ub: the best score a row of the
 * block can have for this term alone (bm25's term part, before the idf,
 * with the file's average length; rounded up): a one-term query skips the
 * blocks whose best cannot enter its top k. */
#define SKIP_EVERY 64
typedef struct pf_skip {
    uint32_t post, pos;
    float ub;
} pf_skip;

/* Every CK_EVERY-th token of a column has its byte in the checkpoints:
 * a snippet starts tokenising at most CK_EVERY - 1 tokens before its
 * window. */
#define CK_EVERY 16

/* A query item's postings. snip: where its snippet would start, pos << 1
 * | col (col 1: the body), SNIP_LATER when it is read from the positions
 * only for the rows returned (tix, pix: the term and the posting). */
#define SNIP_LATER UINT32_MAX /* and the term occurs in the body */
#define SNIP_LATER_TITLE (UINT32_MAX - 1) /* in the title only */
typedef struct plist {
    int64_t *doc;
    uint32_t *freq, *snip, *tix, *pix;
    struct triple *all; /* a prefix's postings of every term, by row */
    size_t nall;
    uint64_t lazy; /* a term not decoded yet (its index + 1; n is its df) */
    uint64_t pre_lo, pre_hi; /* a prefix's terms [lo, hi), not decoded yet */
    int prefix;              /* the item is a prefix */
    uint64_t first; /* a phrase read from its pair: its first word + 1 */
    size_t n, at;
    double idf;
    int group; /* -1: NOT */
} plist;

#define PH_MAX 16 /* terms of a phrase the file answers */

/* A query item's terms (tokenised as FTS5 does). */
typedef struct qparse {
    int nterm, bad;
    char term[PH_MAX][MR_QTERM_MAX];
    int term_n[PH_MAX];
} qparse;

struct mr_postings {
    char *path;
    unsigned char *map;
    size_t size;
    const pf_header *h;
    const uint32_t *len;
    const pf_term *terms;
    uint32_t *skipix; /* each term's first skip entry (made at mapping) */
    const pf_skip *skip;
    uint64_t nskip;
    const char *str;
    const unsigned char *post, *pos, *ck;
    const pf_pair *pairs; /* h->npairs, sorted */
    const uint32_t *ckix; /* row r's checkpoints: ck[ckix[r]..ckix[r+1]) */
    uint64_t nck;
    dev_t dev;
    ino_t ino;
    struct timespec mtime;
    sqlite3_stmt *fp_stmt, *dv_stmt;
    /* the last check: PRAGMA data_version (other connections' commits),
     * total_changes (this one's), the file as stat saw it, the verdict */
    int known, fresh;
    int64_t dv, tc;
    struct stat seen;
    int seen_ok;
    qparse q;                    /* a query item's terms */
    /* a prefix alone: each row's summed frequency (0: not seen), zero
     * between queries; the rows seen, in the order first seen */
    uint32_t *acc;
    size_t acc_n;
    uint32_t *rows;
    size_t rows_cap;
    plist l[MR_QUERY_MAX_TERMS]; /* a query's postings, reused */
    size_t caps[MR_QUERY_MAX_TERMS];
};

/* ------------------------------------------------------------- varints */

static size_t put_varint(unsigned char *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

/* Reads a varint of p[*at..end); 0 when cut. */
static int get_varint(const unsigned char *p, size_t end, size_t *at,
                      uint64_t *v)
{
    uint64_t x = 0;
    for (int sh = 0; *at < end && sh < 64; sh += 7) {
        unsigned char c = p[(*at)++];
        x |= (uint64_t)(c & 0x7f) << sh;
        if (!(c & 0x80)) {
            *v = x;
            return 1;
        }
    }
    return 0;
}

/* SQLite's big-endian varint (FTS5's averages record). */
static int sqlite_varint(const unsigned char *p, int n, int *at, uint64_t *v)
{
    uint64_t x = 0;
    for (int i = 0; *at < n && i < 9; i++) {
        unsigned char c = p[(*at)++];
        if (i == 8) {
            *v = (x << 8) | c;
            return 1;
        }
        x = (x << 7) | (c & 0x7f);
        if (!(c & 0x80)) {
            *v = x;
            return 1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------- fingerprint */

/* The fingerprint of the FTS5 index as stmt (prepared on db) reads it;
 * 0 when it cannot be read. With avg non-NULL, the averages record is
 * decoded too: avg[0] rows, avg[1..2] tokens of title and text. */
static uint64_t fingerprint(sqlite3 *db, sqlite3_stmt **stmt, uint64_t avg[3])
{
    if (!*stmt &&
        sqlite3_prepare_v3(db,
                           "SELECT id, block FROM reports_fts_data"
                           " WHERE id IN (1, 10) ORDER BY id",
                           -1, SQLITE_PREPARE_PERSISTENT, stmt,
                           NULL) != SQLITE_OK) {
        *stmt = NULL;
        return 0;
    }
    uint64_t h = MR_FNV64_INIT;
    int seen = 0;
    while (sqlite3_step(*stmt) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(*stmt, 0);
        const unsigned char *b = sqlite3_column_blob(*stmt, 1);
        int n = sqlite3_column_bytes(*stmt, 1);
        h = mr_fnv64(h, &id, sizeof id);
        if (b)
            h = mr_fnv64(h, b, (size_t)n);
        seen++;
        if (id == 1 && avg && b) {
            int at = 0;
            for (int i = 0; i < 3; i++)
                if (!sqlite_varint(b, n, &at, &avg[i]))
                    avg[i] = UINT64_MAX;
        }
    }
    sqlite3_reset(*stmt);
    return seen == 2 ? (h ? h : 1) : 0;
}

/* --------------------------------------------------------------- build */

typedef struct bterm {
    uint32_t str_off, str_len;
    unsigned char *buf, *pbuf; /* postings; positions */
    size_t n, cap, pn, pcap;
    uint32_t *pos; /* the open row's positions: title's, then body's */
    size_t npos, cappos, ntitle;
    int64_t last, flushed; /* the open row; the last row written */
    uint32_t df;
    pf_skip *skip;
    size_t nskip, capskip;
    int nopos; /* a word pair: counts, no positions */
} bterm;

typedef struct builder {
    bterm *t;
    size_t nt, capt;
    uint32_t *slot; /* hash table of term indices + 1 */
    size_t nslot;
    char *str;
    size_t nstr, capstr;
    uint32_t *len;
    int64_t row;
    int col, ntok;
    uint64_t coltok[2];
    int nomem;
    /* checkpoints: the open row's, per column; then all rows' bytes */
    uint32_t *ckc[2];
    size_t nckc[2], capckc[2];
    unsigned char *ck;
    size_t nck, capck;
    uint32_t *ckix; /* maxrow + 2 */
    int64_t ck_next; /* the first row whose ckix is not set */
    uint32_t *tlen;  /* each row's tokens in the title */
    int colocated;   /* a token shared a position: no word pairs */
    /* word pairs (pair_build): their postings, their terms (the terms'
     * indices in b->t), a hash table of their indices + 1 */
    bterm *pt;
    uint32_t (*pab)[2];
    size_t npt, cappt, cappab;
    uint32_t *pslot;
    size_t npslot;
} builder;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int flush_term(bterm *t)
{
    unsigned char tmp[40];
    uint64_t nt = t->ntitle, nb = t->npos - t->ntitle;
    int starts = t->df && t->df % SKIP_EVERY == 0; /* a block starts */
    if (starts) {
        if (t->n > UINT32_MAX || t->pn > UINT32_MAX ||
            grow((void **)&t->skip, &t->capskip, t->nskip + 1,
                 sizeof *t->skip))
            return -1;
        t->skip[t->nskip].post = (uint32_t)t->n;
        t->skip[t->nskip].pos = (uint32_t)t->pn;
        t->skip[t->nskip++].ub = 0; /* block_bounds, once avgdl is known */
    }
    int once = nt == 0 && nb == 1;
    int64_t from = starts ? 0 : t->flushed; /* a block's first: its row */
    size_t k = put_varint(tmp, (uint64_t)(t->last - from) << 1 | (uint64_t)once);
    if (!once)
        k += put_varint(tmp + k, nb << 1 | (nt > 0));
    if (nt)
        k += put_varint(tmp + k, nt);
    if (grow((void **)&t->buf, &t->cap, t->n + k, 1))
        return -1;
    memcpy(t->buf + t->n, tmp, k);
    t->n += k;
    /* positions: each column's deltas (the counts are in the posting) */
    if (!t->nopos && grow((void **)&t->pbuf, &t->pcap, t->pn + 5 * t->npos, 1))
        return -1;
    for (size_t i = 0; !t->nopos && i < t->npos; i++) {
        uint32_t prev = i == 0 || i == t->ntitle ? 0 : t->pos[i - 1];
        t->pn += put_varint(t->pbuf + t->pn, t->pos[i] - prev);
    }
    t->npos = t->ntitle = 0;
    t->flushed = t->last;
    t->df++;
    return 0;
}

static bterm *find_term(builder *b, const char *s, size_t n)
{
    if (b->nt * 2 >= b->nslot) { /* rehash */
        size_t ns = b->nslot ? b->nslot * 2 : 1 << 16;
        uint32_t *slot = calloc(ns, sizeof *slot);
        if (!slot)
            return NULL;
        for (size_t i = 0; i < b->nt; i++) {
            uint64_t h = mr_fnv64(MR_FNV64_INIT, b->str + b->t[i].str_off,
                                  b->t[i].str_len);
            size_t j = (size_t)h & (ns - 1);
            while (slot[j])
                j = (j + 1) & (ns - 1);
            slot[j] = (uint32_t)i + 1;
        }
        free(b->slot);
        b->slot = slot;
        b->nslot = ns;
    }
    uint64_t h = mr_fnv64(MR_FNV64_INIT, s, n);
    size_t j = (size_t)h & (b->nslot - 1);
    while (b->slot[j]) {
        bterm *t = &b->t[b->slot[j] - 1];
        if (t->str_len == n && memcmp(b->str + t->str_off, s, n) == 0)
            return t;
        j = (j + 1) & (b->nslot - 1);
    }
    if (b->nt >= UINT32_MAX - 1 ||
        grow((void **)&b->t, &b->capt, b->nt + 1, sizeof *b->t) ||
        grow((void **)&b->str, &b->capstr, b->nstr + n, 1))
        return NULL;
    bterm *t = &b->t[b->nt];
    memset(t, 0, sizeof *t);
    t->str_off = (uint32_t)b->nstr;
    t->str_len = (uint32_t)n;
    t->last = -1;
    memcpy(b->str + b->nstr, s, n);
    b->nstr += n;
    b->slot[j] = (uint32_t)++b->nt;
    return t;
}

static int build_token(void *p, int flags, const char *s, int n, int start,
                       int end)
{
    (void)end;
    builder *b = p;
    if ((flags & FTS5_TOKEN_COLOCATED) && b->ntok > 0)
        b->colocated = 1;
    if (!(flags & FTS5_TOKEN_COLOCATED) || b->ntok == 0) {
        b->ntok++; /* as FTS5 counts positions */
        int at = b->ntok - 1, c = b->col;
        if (at > 0 && at % CK_EVERY == 0) {
            if (grow((void **)&b->ckc[c], &b->capckc[c], b->nckc[c] + 1,
                     sizeof *b->ckc[c])) {
                b->nomem = 1;
                return SQLITE_NOMEM;
            }
            b->ckc[c][b->nckc[c]++] = (uint32_t)start;
        }
    }
    if (n <= 0)
        return SQLITE_OK;
    bterm *t = find_term(b, s, (size_t)n);
    if (!t) {
        b->nomem = 1;
        return SQLITE_NOMEM;
    }
    if (t->last != b->row) {
        if (t->last >= 0 && flush_term(t)) {
            b->nomem = 1;
            return SQLITE_NOMEM;
        }
        t->last = b->row;
    }
    if (grow((void **)&t->pos, &t->cappos, t->npos + 1, sizeof *t->pos)) {
        b->nomem = 1;
        return SQLITE_NOMEM;
    }
    t->pos[t->npos++] = (uint32_t)(b->ntok - 1);
    t->ntitle += b->col == 0;
    return SQLITE_OK;
}

/* Writes the open row's checkpoints (the row index up to it first): the
 * title's count, then the title's and the body's bytes, each column
 * delta-coded from 0. 0, or -1 out of memory. */
static int flush_checkpoints(builder *b)
{
    for (; b->ck_next <= b->row; b->ck_next++)
        b->ckix[b->ck_next] = (uint32_t)b->nck;
    size_t need = b->nck + 5 * (b->nckc[0] + b->nckc[1] + 1);
    if (need > UINT32_MAX || grow((void **)&b->ck, &b->capck, need, 1))
        return -1;
    b->nck += put_varint(b->ck + b->nck, b->nckc[0]);
    for (int c = 0; c < 2; c++) {
        uint32_t prev = 0;
        for (size_t i = 0; i < b->nckc[c]; i++) {
            b->nck += put_varint(b->ck + b->nck, b->ckc[c][i] - prev);
            prev = b->ckc[c][i];
        }
        b->nckc[c] = 0;
    }
    return 0;
}

static inline int get_posting(const unsigned char *b, size_t end, size_t *at,
                              uint64_t *dd, uint64_t *nt, uint64_t *nb);

/* bm25's term part before the idf, as the queries compute it. */
static double tf_score(double f, double dl, double avgdl)
{
    const double k1 = 1.2, b = 0.75;
    double norm = k1 * (1.0 - b + b * dl / avgdl);
    return (f * (k1 + 1.0)) / (f + norm);
}

/* Each block's best score (pf_skip.ub), once the average length is known:
 * its postings decoded again, every row's score, the highest rounded up
 * to a float. */
static void block_bounds(const builder *b, bterm *terms, size_t nterms,
                         int64_t maxrow, double avgdl)
{
    for (size_t i = 0; i < nterms; i++) {
        bterm *t = &terms[i];
        size_t at = 0;
        int64_t d = 0;
        for (uint32_t k = 0; k < t->df; k++) {
            uint64_t dd, nt, nb;
            if (!get_posting(t->buf, t->n, &at, &dd, &nt, &nb))
                break;
            d = k % SKIP_EVERY ? d + (int64_t)dd : (int64_t)dd;
            if (k < SKIP_EVERY)
                continue; /* block 0 has no entry: always read */
            double dl = d >= 0 && d <= maxrow ? (double)b->len[d] : 0;
            double sc = tf_score((double)(2 * nt + nb), dl, avgdl);
            pf_skip *e = &t->skip[k / SKIP_EVERY - 1];
            float u = (float)sc;
            if ((double)u < sc)
                u = nextafterf(u, INFINITY);
            if (u > e->ub)
                e->ub = u;
        }
    }
}

/* The postings of the pair (x, y) of words (indices in b->t), made when
 * first seen; NULL out of memory. */
static bterm *find_pair(builder *b, uint32_t x, uint32_t y)
{
    if (b->npt * 2 >= b->npslot) { /* rehash */
        size_t ns = b->npslot ? b->npslot * 2 : 1 << 12;
        uint32_t *slot = calloc(ns, sizeof *slot);
        if (!slot)
            return NULL;
        for (size_t i = 0; i < b->npt; i++) {
            uint64_t h = ((uint64_t)b->pab[i][0] << 32 | b->pab[i][1]) *
                         0x9E3779B97F4A7C15ull;
            size_t j = (size_t)(h >> 20) & (ns - 1);
            while (slot[j])
                j = (j + 1) & (ns - 1);
            slot[j] = (uint32_t)i + 1;
        }
        free(b->pslot);
        b->pslot = slot;
        b->npslot = ns;
    }
    uint64_t h = ((uint64_t)x << 32 | y) * 0x9E3779B97F4A7C15ull;
    size_t j = (size_t)(h >> 20) & (b->npslot - 1);
    while (b->pslot[j]) {
        uint32_t i = b->pslot[j] - 1;
        if (b->pab[i][0] == x && b->pab[i][1] == y)
            return &b->pt[i];
        j = (j + 1) & (b->npslot - 1);
    }
    if (b->npt >= UINT32_MAX - 1 ||
        grow((void **)&b->pt, &b->cappt, b->npt + 1, sizeof *b->pt) ||
        grow((void **)&b->pab, &b->cappab, b->npt + 1, sizeof *b->pab))
        return NULL;
    bterm *t = &b->pt[b->npt];
    memset(t, 0, sizeof *t);
    t->last = -1;
    t->nopos = 1;
    b->pab[b->npt][0] = x;
    b->pab[b->npt][1] = y;
    b->pslot[j] = (uint32_t)++b->npt;
    return t;
}

/* A pairing word's walk over its postings and positions. */
typedef struct pwalk {
    const bterm *t;
    uint32_t ti, k;
    size_t at, qa;
    int64_t d;
} pwalk;

/* The word pairs (pf_pair): the rows are read a chunk at a time, each
 * token of the chunk a slot holding which pairing word stands there (from
 * those words' postings and positions, already in memory), and every two
 * neighbouring slots of one column that both hold one are an occurrence
 * of their pair. 0, or -1 out of memory or damaged bytes. */
static int pair_build(builder *b, int64_t maxrow)
{
    uint64_t min_df = PAIR_DF;
    const char *env = getenv("MARSAD_PAIR_DF");
    if (env && *env) {
        char *e;
        unsigned long long v = strtoull(env, &e, 10);
        if (!*e && v > 0)
            min_df = v;
    }
    size_t nf = 0, cap = (size_t)1 << 22, maxrows = 1 << 16;
    for (size_t i = 0; i < b->nt; i++)
        nf += b->t[i].df >= min_df;
    if (nf == 0)
        return 0;
    for (int64_t r = 0; r <= maxrow; r++)
        if (b->len[r] > cap)
            cap = b->len[r];
    pwalk *w = malloc(nf * sizeof *w);
    uint32_t *slot = calloc(cap, sizeof *slot);
    size_t *base = malloc((maxrows + 1) * sizeof *base);
    int rc = w && slot && base ? 0 : -1;
    nf = 0;
    for (size_t i = 0; rc == 0 && i < b->nt; i++)
        if (b->t[i].df >= min_df)
            w[nf++] = (pwalk){&b->t[i], (uint32_t)i, 0, 0, 0, 0};
    for (int64_t r0 = 0, r1; rc == 0 && r0 <= maxrow; r0 = r1) {
        size_t used = 0;
        for (r1 = r0; r1 <= maxrow && (size_t)(r1 - r0) < maxrows &&
                      used + b->len[r1] <= cap;
             r1++) {
            base[r1 - r0] = used;
            used += b->len[r1];
        }
        for (size_t j = 0; rc == 0 && j < nf; j++) {
            pwalk *f = &w[j];
            while (f->k < f->t->df) {
                size_t at = f->at;
                uint64_t dd, nt, nb, v;
                if (!get_posting(f->t->buf, f->t->n, &at, &dd, &nt, &nb)) {
                    rc = -1;
                    break;
                }
                int64_t d = f->k % SKIP_EVERY ? f->d + (int64_t)dd : (int64_t)dd;
                if (d >= r1)
                    break;
                f->at = at;
                f->d = d;
                f->k++;
                uint32_t pos = 0, tl = d >= r0 ? b->tlen[d] : 0;
                for (uint64_t q = 0; q < nt + nb; q++) {
                    if (!get_varint(f->t->pbuf, f->t->pn, &f->qa, &v)) {
                        rc = -1;
                        break;
                    }
                    pos = (q == nt ? 0 : pos) + (uint32_t)v;
                    if (d < r0)
                        continue; /* cannot be: rows go up */
                    size_t s = base[d - r0] + (q < nt ? pos : tl + pos);
                    if ((q < nt ? pos < tl : tl + pos < b->len[d]) && s < used)
                        slot[s] = (uint32_t)j + 1;
                }
            }
        }
        for (int64_t r = r0; rc == 0 && r < r1; r++) {
            size_t s0 = base[r - r0], tl = b->tlen[r], n = b->len[r];
            for (int col = 0; rc == 0 && col < 2; col++) {
                size_t from = s0 + (col ? tl : 0), to = s0 + (col ? n : tl);
                for (size_t q = from; q + 1 < to; q++) {
                    if (!slot[q] || !slot[q + 1])
                        continue;
                    bterm *t = find_pair(b, w[slot[q] - 1].ti,
                                         w[slot[q + 1] - 1].ti);
                    if (!t || (t->last != r && t->last >= 0 && flush_term(t))) {
                        rc = -1;
                        break;
                    }
                    t->last = r;
                    t->npos++;
                    t->ntitle += col == 0;
                }
            }
        }
        memset(slot, 0, used * sizeof *slot);
    }
    for (size_t i = 0; rc == 0 && i < b->npt; i++)
        if (b->pt[i].last >= 0 && flush_term(&b->pt[i]))
            rc = -1;
    free(w);
    free(slot);
    free(base);
    return rc;
}

static _Thread_local const builder *sort_ctx; /* per thread: qsort takes no context */

static int cmp_terms(const void *a, const void *b)
{
    const bterm *x = &sort_ctx->t[*(const uint32_t *)a];
    const bterm *y = &sort_ctx->t[*(const uint32_t *)b];
    size_t n = x->str_len < y->str_len ? x->str_len : y->str_len;
    int c = memcmp(sort_ctx->str + x->str_off, sort_ctx->str + y->str_off, n);
    return c ? c : (x->str_len > y->str_len) - (x->str_len < y->str_len);
}

static _Thread_local const uint32_t *sort_rank;

static int cmp_pairs(const void *x, const void *y)
{
    const uint32_t *a = sort_ctx->pab[*(const uint32_t *)x];
    const uint32_t *b = sort_ctx->pab[*(const uint32_t *)y];
    uint64_t ka = (uint64_t)sort_rank[a[0]] << 32 | sort_rank[a[1]];
    uint64_t kb = (uint64_t)sort_rank[b[0]] << 32 | sort_rank[b[1]];
    return (ka > kb) - (ka < kb);
}

static void builder_free(builder *b)
{
    for (size_t i = 0; i < b->nt; i++) {
        free(b->t[i].buf);
        free(b->t[i].pbuf);
        free(b->t[i].pos);
        free(b->t[i].skip);
    }
    for (size_t i = 0; i < b->npt; i++) {
        free(b->pt[i].buf);
        free(b->pt[i].skip);
    }
    free(b->pt);
    free(b->pab);
    free(b->pslot);
    free(b->tlen);
    free(b->ckc[0]);
    free(b->ckc[1]);
    free(b->ck);
    free(b->ckix);
    free(b->t);
    free(b->slot);
    free(b->str);
    free(b->len);
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}


/* The file's term i: the words in the order of ix, then the pairs in
 * the order of px. */
static const bterm *file_term(const builder *b, const uint32_t *ix,
                              const uint32_t *px, size_t i)
{
    return i < b->nt ? &b->t[ix[i]] : &b->pt[px[i - b->nt]];
}

/* Writes the file of b (terms in the order of ix, pairs in the order of
 * px; rank: each word's place in ix) to path: a temporary file beside it,
 * renamed over it. */
static int write_file(const builder *b, const uint32_t *ix, const uint32_t *px,
                      const uint32_t *rank, uint64_t fp, uint64_t nrow,
                      uint64_t ntok, int64_t maxrow, const char *path,
                      mode_t mode)
{
    pf_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, MAGIC, 8);
    h.endian = ENDIAN;
    h.fingerprint = fp;
    h.nrow = nrow;
    h.ntok = ntok;
    h.maxrow = (uint64_t)maxrow;
    h.nterms = b->nt;
    h.npairs = b->npt;
    size_t nall = b->nt + b->npt;
    h.off_len = sizeof h;
    h.off_terms = (h.off_len + ((uint64_t)maxrow + 1) * 4 + 7) & ~(uint64_t)7;
    h.off_str = h.off_terms + (nall + 1) * sizeof(pf_term);
    h.off_post = h.off_str + b->nstr;
    uint64_t po = 0, so = 0, qo = 0, ko = 0;
    for (size_t i = 0; i < nall; i++) {
        const bterm *t = file_term(b, ix, px, i);
        po += t->n;
        qo += t->pn;
        ko += t->nskip;
    }
    if (ko > UINT32_MAX)
        return -1;
    h.off_skip = (h.off_post + po + 3) & ~(uint64_t)3;
    h.off_pos = h.off_skip + ko * sizeof(pf_skip);
    h.off_ckix = (h.off_pos + qo + 3) & ~(uint64_t)3;
    h.off_ck = h.off_ckix + ((uint64_t)maxrow + 2) * 4;
    h.off_pairs = (h.off_ck + b->nck + 3) & ~(uint64_t)3;
    h.size = h.off_pairs + b->npt * sizeof(pf_pair);
    pf_term *terms = malloc((nall + 1) * sizeof *terms);
    pf_pair *pairs = malloc((b->npt ? b->npt : 1) * sizeof *pairs);
    if (!terms || !pairs) {
        free(terms);
        free(pairs);
        return -1;
    }
    po = qo = 0;
    for (size_t i = 0; i <= nall; i++) {
        memset(&terms[i], 0, sizeof terms[i]);
        terms[i].pos_off = qo;
        terms[i].post_off = po;
        terms[i].str_off = (uint32_t)so;
        if (i == nall)
            break; /* the ends */
        const bterm *t = file_term(b, ix, px, i);
        if (t->n > UINT32_MAX || t->pn > UINT32_MAX || so > UINT32_MAX) {
            free(terms);
            free(pairs);
            return -1;
        }
        qo += t->pn;
        terms[i].df = t->df;
        so += i < b->nt ? t->str_len : 0;
        po += t->n;
    }
    for (size_t j = 0; j < b->npt; j++) {
        pairs[j].a = rank[b->pab[px[j]][0]];
        pairs[j].b = rank[b->pab[px[j]][1]];
    }
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 32);
    if (!tmp) {
        free(terms);
        free(pairs);
        return -1;
    }
    snprintf(tmp, plen + 32, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
    int rc = fd < 0 ? -1 : 0;
    static const char zero[8];
    size_t pad = (size_t)(h.off_terms - h.off_len - ((uint64_t)maxrow + 1) * 4);
    if (rc == 0)
        rc = write_all(fd, &h, sizeof h);
    if (rc == 0)
        rc = write_all(fd, b->len, ((size_t)maxrow + 1) * 4);
    if (rc == 0)
        rc = write_all(fd, zero, pad);
    if (rc == 0)
        rc = write_all(fd, terms, (nall + 1) * sizeof *terms);
    for (size_t i = 0; rc == 0 && i < b->nt; i++)
        rc = write_all(fd, b->str + b->t[ix[i]].str_off, b->t[ix[i]].str_len);
    for (size_t i = 0; rc == 0 && i < nall; i++)
        rc = write_all(fd, file_term(b, ix, px, i)->buf,
                       file_term(b, ix, px, i)->n);
    if (rc == 0)
        rc = write_all(fd, zero, (size_t)(h.off_skip - h.off_post - po));
    for (size_t i = 0; rc == 0 && i < nall; i++)
        rc = write_all(fd, file_term(b, ix, px, i)->skip,
                       file_term(b, ix, px, i)->nskip * sizeof(pf_skip));
    for (size_t i = 0; rc == 0 && i < b->nt; i++)
        rc = write_all(fd, b->t[ix[i]].pbuf, b->t[ix[i]].pn);
    if (rc == 0)
        rc = write_all(fd, zero, (size_t)(h.off_ckix - h.off_pos - qo));
    if (rc == 0)
        rc = write_all(fd, b->ckix, ((size_t)maxrow + 2) * 4);
    if (rc == 0)
        rc = write_all(fd, b->ck, b->nck);
    if (rc == 0)
        rc = write_all(fd, zero, (size_t)(h.off_pairs - h.off_ck - b->nck));
    if (rc == 0)
        rc = write_all(fd, pairs, b->npt * sizeof *pairs);
    if (rc == 0)
        rc = fsync(fd);
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    if (rc == 0)
        rc = rename(tmp, path);
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    free(terms);
    free(pairs);
    return rc;
}

char *mr_postings_path(const char *db_path)
{
    if (!db_path || !*db_path || strcmp(db_path, ":memory:") == 0 ||
        strncmp(db_path, "file:", 5) == 0)
        return NULL;
    size_t n = strlen(db_path);
    char *p = malloc(n + sizeof "-postings");
    if (p)
        memcpy(p, db_path, n), memcpy(p + n, "-postings", sizeof "-postings");
    return p;
}

marsad_status mr_postings_build(sqlite3 *db, const char *db_path,
                                const fts5_tokenizer *tk, Fts5Tokenizer *tok,
                                const char **what)
{
    char *path = mr_postings_path(db_path);
    if (!path) {
        *what = "the store has no file to put its postings beside";
        return MARSAD_E_ARG;
    }
    if (!sqlite3_get_autocommit(db)) {
        free(path);
        *what = "cannot build the postings inside a batch";
        return MARSAD_E_ARG;
    }
    builder b;
    memset(&b, 0, sizeof b);
    marsad_status rc = MARSAD_OK;
    sqlite3_stmt *fp_stmt = NULL, *s = NULL;
    uint64_t avg[3] = {0, 0, 0}, fp = 0;
    int64_t maxrow = 0, nrow = 0;
    *what = "cannot read the reports";
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        free(path);
        return MARSAD_E_DB;
    }
    fp = fingerprint(db, &fp_stmt, avg);
    if (!fp) {
        rc = MARSAD_E_DB;
        *what = "cannot read the full-text index";
        goto done;
    }
    if (sqlite3_prepare_v2(db, "SELECT coalesce(max(n), 0) FROM reports", -1,
                           &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        rc = MARSAD_E_DB;
        goto done;
    }
    maxrow = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    s = NULL;
    if (maxrow < 0 || maxrow > (int64_t)UINT32_MAX ||
        !(b.len = calloc((size_t)maxrow + 1, sizeof *b.len)) ||
        !(b.ckix = calloc((size_t)maxrow + 2, sizeof *b.ckix)) ||
        !(b.tlen = calloc((size_t)maxrow + 1, sizeof *b.tlen))) {
        rc = MARSAD_E_NOMEM;
        *what = "out of memory";
        goto done;
    }
    if (sqlite3_prepare_v2(db, "SELECT n, title, text FROM reports ORDER BY n",
                           -1, &s, NULL) != SQLITE_OK) {
        rc = MARSAD_E_DB;
        goto done;
    }
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        b.row = sqlite3_column_int64(s, 0);
        if (b.row < 0 || b.row > maxrow)
            continue;
        int ntok = 0;
        for (int col = 0; col < 2; col++) {
            const char *t = (const char *)sqlite3_column_text(s, 1 + col);
            int n = sqlite3_column_bytes(s, 1 + col);
            b.col = col;
            b.ntok = 0;
            if (t && n > 0 &&
                tk->xTokenize(tok, &b, FTS5_TOKENIZE_DOCUMENT, t, n,
                              build_token) != SQLITE_OK)
                break;
            b.coltok[col] += (uint64_t)b.ntok;
            ntok += b.ntok;
            if (col == 0)
                b.tlen[b.row] = (uint32_t)b.ntok;
        }
        if (b.nomem || flush_checkpoints(&b) != 0) {
            b.nomem = 1;
            break;
        }
        b.len[b.row] = (uint32_t)ntok;
        nrow++;
    }
    if (b.nomem) {
        rc = MARSAD_E_NOMEM;
        *what = "out of memory";
        goto done;
    }
    if (step != SQLITE_DONE) {
        rc = MARSAD_E_DB;
        goto done;
    }
    for (; b.ck_next <= maxrow + 1; b.ck_next++)
        b.ckix[b.ck_next] = (uint32_t)b.nck;
    for (size_t i = 0; i < b.nt; i++)
        if (b.t[i].last >= 0 && flush_term(&b.t[i])) {
            rc = MARSAD_E_NOMEM;
            *what = "out of memory";
            goto done;
        }
    if (!b.colocated && nrow > 0 && pair_build(&b, maxrow) != 0) {
        rc = MARSAD_E_NOMEM;
        *what = "out of memory";
        goto done;
    }
    if (nrow > 0) {
        double avgdl = (double)(b.coltok[0] + b.coltok[1]) / (double)nrow;
        block_bounds(&b, b.t, b.nt, maxrow, avgdl);
        block_bounds(&b, b.pt, b.npt, maxrow, avgdl);
    }
    /* The terms must be FTS5's: same rows, same tokens per column. */
    if (avg[0] != (uint64_t)nrow || avg[1] != b.coltok[0] ||
        avg[2] != b.coltok[1]) {
        rc = MARSAD_E_DB;
        *what = "the full-text index does not agree with the reports "
                "(marsad check --repair rebuilds it)";
        goto done;
    }
    uint32_t *ix = malloc((b.nt ? b.nt : 1) * sizeof *ix);
    uint32_t *rank = malloc((b.nt ? b.nt : 1) * sizeof *rank);
    uint32_t *px = malloc((b.npt ? b.npt : 1) * sizeof *px);
    if (!ix || !rank || !px) {
        free(ix);
        free(rank);
        free(px);
        rc = MARSAD_E_NOMEM;
        *what = "out of memory";
        goto done;
    }
    for (size_t i = 0; i < b.nt; i++)
        ix[i] = (uint32_t)i;
    sort_ctx = &b;
    qsort(ix, b.nt, sizeof *ix, cmp_terms);
    for (size_t i = 0; i < b.nt; i++)
        rank[ix[i]] = (uint32_t)i;
    /* the pairs by their words' places in the file */
    sort_rank = rank;
    for (size_t j = 0; j < b.npt; j++)
        px[j] = (uint32_t)j;
    qsort(px, b.npt, sizeof *px, cmp_pairs);
    sort_ctx = NULL;
    sort_rank = NULL;
    /* Only a file of the index as it still is: another writer may have
     * committed while this one was built (it then builds its own). */
    int stale = fingerprint(db, &fp_stmt, NULL) != fp;
    /* readable by whom the store is: the file holds every term of it */
    struct stat dbst;
    mode_t mode = stat(db_path, &dbst) == 0 ? dbst.st_mode & 0666 : 0600;
    if (!stale && write_file(&b, ix, px, rank, fp, (uint64_t)nrow,
                             b.coltok[0] + b.coltok[1], maxrow, path,
                             mode) != 0) {
        rc = MARSAD_E_IO;
        *what = "cannot write the postings file";
    }
    free(ix);
    free(rank);
    free(px);
done:
    sqlite3_finalize(s);
    sqlite3_finalize(fp_stmt);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    builder_free(&b);
    free(path);
    return rc;
}

/* --------------------------------------------------------------- load */

void mr_postings_free(mr_postings *p)
{
    if (!p)
        return;
    if (p->map)
        munmap(p->map, p->size);
    sqlite3_finalize(p->fp_stmt);
    sqlite3_finalize(p->dv_stmt);
    for (int i = 0; i < MR_QUERY_MAX_TERMS; i++) {
        free(p->l[i].doc);
        free(p->l[i].freq);
        free(p->l[i].snip);
        free(p->l[i].tix);
        free(p->l[i].pix);
        free(p->l[i].all);
    }
    free(p->acc);
    free(p->rows);
    free(p->skipix);
    free(p->path);
    free(p);
}

mr_postings *mr_postings_new(const char *db_path)
{
    mr_postings *p = calloc(1, sizeof *p);
    if (p && !(p->path = mr_postings_path(db_path))) {
        free(p);
        return NULL;
    }
    return p;
}

static void unmap(mr_postings *p)
{
    if (p->map)
        munmap(p->map, p->size);
    p->map = NULL;
    p->h = NULL;
    p->size = 0;
}

static uint64_t pair_key(const pf_pair *e)
{
    return (uint64_t)e->a << 32 | e->b;
}

/* Maps the file when it is not the one mapped; checks its bounds. */
static void remap(mr_postings *p)
{
    struct stat sb;
    if (stat(p->path, &sb) != 0) {
        unmap(p);
        return;
    }
    if (p->map && sb.st_dev == p->dev && sb.st_ino == p->ino &&
        sb.st_mtim.tv_sec == p->mtime.tv_sec &&
        sb.st_mtim.tv_nsec == p->mtime.tv_nsec && (size_t)sb.st_size == p->size)
        return;
    unmap(p);
    int fd = open(p->path, O_RDONLY);
    if (fd < 0)
        return;
    if (fstat(fd, &sb) != 0 || (size_t)sb.st_size < sizeof(pf_header)) {
        close(fd);
        return;
    }
    void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return;
    p->map = m;
    p->size = (size_t)sb.st_size;
    p->dev = sb.st_dev;
    p->ino = sb.st_ino;
    p->mtime = sb.st_mtim;
    const pf_header *h = m;
    uint64_t lens = (h->maxrow + 1) * 4;
    if (memcmp(h->magic, MAGIC, 8) != 0 || h->endian != ENDIAN ||
        h->size != p->size ||
        h->maxrow >= UINT32_MAX || h->off_len != sizeof *h ||
        h->off_terms < h->off_len + lens ||
        h->nterms >= (p->size - h->off_terms) / sizeof(pf_term) ||
        h->npairs >= (p->size - h->off_terms) / sizeof(pf_term) ||
        h->nterms + h->npairs >= (p->size - h->off_terms) / sizeof(pf_term) ||
        h->off_str != h->off_terms + (h->nterms + h->npairs + 1) *
                                         sizeof(pf_term) ||
        h->off_post < h->off_str || h->off_skip < h->off_post ||
        h->off_skip % 4 || (h->off_pos - h->off_skip) % sizeof(pf_skip) ||
        h->off_pos < h->off_skip || h->off_ckix < h->off_pos ||
        h->off_ckix % 4 || h->off_ck != h->off_ckix + (h->maxrow + 2) * 4 ||
        h->off_ck > p->size || h->off_pairs < h->off_ck ||
        h->off_pairs % 4 || h->off_pairs > p->size ||
        (p->size - h->off_pairs) / sizeof(pf_pair) != h->npairs ||
        (p->size - h->off_pairs) % sizeof(pf_pair) || h->nrow == 0) {
        unmap(p);
        return;
    }
    p->len = (const uint32_t *)(p->map + h->off_len);
    p->terms = (const pf_term *)(p->map + h->off_terms);
    p->str = (const char *)(p->map + h->off_str);
    p->post = p->map + h->off_post;
    p->skip = (const pf_skip *)(p->map + h->off_skip);
    p->nskip = (h->off_pos - h->off_skip) / sizeof(pf_skip);
    p->pos = p->map + h->off_pos;
    p->ckix = (const uint32_t *)(p->map + h->off_ckix);
    p->ck = p->map + h->off_ck;
    p->nck = h->off_pairs - h->off_ck;
    p->pairs = (const pf_pair *)(p->map + h->off_pairs);
    uint64_t nstr = h->off_post - h->off_str,
             npost = h->off_skip - h->off_post, npos = h->off_ckix - h->off_pos;
    free(p->skipix);
    uint64_t nall = h->nterms + h->npairs;
    if (!(p->skipix = malloc((nall + 1) * sizeof *p->skipix))) {
        unmap(p);
        return;
    }
    const pf_term *end = &p->terms[nall];
    if (end->str_off > nstr || end->post_off > npost || end->pos_off > npos) {
        unmap(p);
        return;
    }
    for (uint64_t j = 0; j < h->npairs; j++)
        if (p->pairs[j].a >= h->nterms || p->pairs[j].b >= h->nterms ||
            (j && pair_key(&p->pairs[j - 1]) >= pair_key(&p->pairs[j]))) {
            unmap(p);
            return;
        }
    uint64_t ko = 0;
    for (uint64_t i = 0; i < nall; i++) {
        const pf_term *t = &p->terms[i], *n = t + 1;
        if (n->str_off < t->str_off || n->post_off < t->post_off ||
            n->pos_off < t->pos_off || n->post_off - t->post_off > UINT32_MAX ||
            n->pos_off - t->pos_off > UINT32_MAX ||
            t->df > n->post_off - t->post_off) { /* a byte a posting or more */
            unmap(p);
            return;
        }
        uint64_t blocks = t->df ? (t->df - 1) / SKIP_EVERY : 0;
        if (ko + blocks > p->nskip) {
            unmap(p);
            return;
        }
        for (uint64_t k = 0; k < blocks; k++)
            if (p->skip[ko + k].post >= n->post_off - t->post_off ||
                p->skip[ko + k].pos > n->pos_off - t->pos_off) {
                unmap(p);
                return;
            }
        p->skipix[i] = (uint32_t)ko;
        ko += blocks;
    }
    for (uint64_t r = 0; r <= h->maxrow; r++)
        if (p->ckix[r] > p->ckix[r + 1] || p->ckix[r + 1] > p->nck) {
            unmap(p);
            return;
        }
    p->h = h;
}

/* True when the file on disk is not the one stat saw last. */
static int file_moved(mr_postings *p)
{
    struct stat sb;
    int ok = stat(p->path, &sb) == 0;
    if (ok != p->seen_ok)
        return 1;
    return ok && (sb.st_dev != p->seen.st_dev || sb.st_ino != p->seen.st_ino ||
                  sb.st_size != p->seen.st_size ||
                  sb.st_mtim.tv_sec != p->seen.st_mtim.tv_sec ||
                  sb.st_mtim.tv_nsec != p->seen.st_mtim.tv_nsec);
}

int mr_postings_ready(mr_postings *p, sqlite3 *db, int own_read)
{
    if (!p || (!own_read && !sqlite3_get_autocommit(db)))
        return 0;
    /* Nothing committed since the last check, by this connection or any
     * other: the verdict stands (a file that was not fresh is looked at
     * again if it changed on disk). The fingerprint is the proof; this
     * only spares reading it (~40 k instructions) on every query. */
    int64_t dv = -1, tc = sqlite3_total_changes64(db);
    if (p->dv_stmt ||
        sqlite3_prepare_v3(db, "PRAGMA data_version", -1,
                           SQLITE_PREPARE_PERSISTENT, &p->dv_stmt,
                           NULL) == SQLITE_OK) {
        if (sqlite3_step(p->dv_stmt) == SQLITE_ROW)
            dv = sqlite3_column_int64(p->dv_stmt, 0);
        sqlite3_reset(p->dv_stmt);
    } else {
        p->dv_stmt = NULL;
    }
    if (p->known && dv >= 0 && dv == p->dv && tc == p->tc &&
        (p->fresh || !file_moved(p)))
        return p->fresh;
    uint64_t fp = fingerprint(db, &p->fp_stmt, NULL);
    if (!fp) {
        p->known = 0;
        return 0;
    }
    if (!p->h || p->h->fingerprint != fp)
        remap(p);
    p->seen_ok = stat(p->path, &p->seen) == 0;
    p->fresh = p->h && p->h->fingerprint == fp;
    p->known = dv >= 0;
    p->dv = dv;
    p->tc = tc;
    return p->fresh;
}

/* ------------------------------------------------------------- queries */

/* Term i as the queries read it (its lengths from the next term's
 * offsets; checked at mapping). */
static inline tview term_at(const mr_postings *p, uint64_t i)
{
    const pf_term *t = &p->terms[i], *n = t + 1;
    tview v;
    v.post_off = t->post_off;
    v.pos_off = t->pos_off;
    v.str_off = t->str_off;
    v.str_len = n->str_off - t->str_off;
    v.df = t->df;
    v.post_len = (uint32_t)(n->post_off - t->post_off);
    v.pos_len = (uint32_t)(n->pos_off - t->pos_off);
    v.skip = p->skipix[i];
    return v;
}

int mr_postings_anchor(const mr_postings *p, int64_t row, int col, int tok,
                       int *at_tok)
{
    *at_tok = 0;
    if (!p->h || row < 0 || (uint64_t)row > p->h->maxrow || tok < CK_EVERY)
        return 0;
    size_t at = p->ckix[row], end = p->ckix[row + 1];
    uint64_t ntitle, v, byte = 0;
    if (!get_varint(p->ck, end, &at, &ntitle))
        return 0;
    uint64_t skip = col ? ntitle : 0;
    for (uint64_t j = 0; j < skip; j++)
        if (!get_varint(p->ck, end, &at, &v))
            return 0;
    uint64_t want = (uint64_t)tok / CK_EVERY;
    if (!col && want > ntitle)
        want = ntitle;
    for (uint64_t j = 1; j <= want; j++) {
        if (!get_varint(p->ck, end, &at, &v) || byte + v > INT32_MAX)
            break;
        byte += v;
        *at_tok = (int)(j * CK_EVERY);
    }
    return *at_tok ? (int)byte : 0;
}


/* The first term >= s[0..n) (binary search). */
static uint64_t lower_bound(const mr_postings *p, const char *s, size_t n)
{
    uint64_t lo = 0, hi = p->h->nterms;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        const tview tv = term_at(p, mid), *t = &tv;
        size_t m = t->str_len < n ? t->str_len : n;
        int c = memcmp(p->str + t->str_off, s, m);
        if (c < 0 || (c == 0 && t->str_len < n))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Room in l's parallel arrays for `need` rows, *cap growing by doubling
 * from 64: 0, or -1 out of memory (l keeps what it holds). */
static int plist_reserve(plist *l, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    int64_t *d = realloc(l->doc, c * sizeof *d);
    if (d)
        l->doc = d;
    uint32_t **a[4] = {&l->freq, &l->snip, &l->tix, &l->pix};
    int ok = d != NULL;
    for (int i = 0; i < 4; i++) {
        uint32_t *q = realloc(*a[i], c * sizeof *q);
        if (q)
            *a[i] = q;
        else
            ok = 0;
    }
    if (!ok)
        return -1;
    *cap = c;
    return 0;
}

/* One posting at b[*at..end): row delta, title and body occurrences; 0
 * when cut or out of bounds. Inline, with the commonest posting (a
 * one-byte delta, once in the body) first: the loop every query runs. */
static inline int get_posting(const unsigned char *b, size_t end, size_t *at,
                              uint64_t *dd, uint64_t *nt, uint64_t *nb)
{
    if (*at < end && (b[*at] & 0x81) == 0x01) {
        *dd = b[(*at)++] >> 1;
        *nt = 0;
        *nb = 1;
        return 1;
    }
    uint64_t code = 2; /* once, in the body */
    if (!get_varint(b, end, at, dd) ||
        (!(*dd & 1) && !get_varint(b, end, at, &code)))
        return 0;
    *dd >>= 1;
    *nb = code >> 1;
    *nt = 0;
    if ((code & 1) && !get_varint(b, end, at, nt))
        return 0;
    return *nt < UINT32_MAX / 4 && *nb < UINT32_MAX / 4;
}

/* A walk over term i's postings: pcur_next gives each row (d) and its
 * occurrences (nt in the title, nb in the body) in turn. */
typedef struct pcur {
    const unsigned char *b;
    size_t at, end;
    uint32_t k, df; /* the next posting's index; the term's postings */
    int64_t d;
    uint64_t nt, nb;
} pcur;

static inline void pcur_init(pcur *c, const mr_postings *p, uint64_t i)
{
    const tview tv = term_at(p, i);
    c->b = p->post + tv.post_off;
    c->at = 0;
    c->end = tv.post_len;
    c->k = 0;
    c->df = tv.df;
    c->d = 0;
}

/* 1 a posting (c->k - 1 is its index), 0 none left, -1 the bytes are
 * damaged. */
static inline int pcur_next(pcur *c)
{
    uint64_t dd;
    if (c->k >= c->df)
        return 0;
    if (!get_posting(c->b, c->end, &c->at, &dd, &c->nt, &c->nb))
        return -1;
    c->d = c->k++ % SKIP_EVERY ? c->d + (int64_t)dd : (int64_t)dd;
    return 1;
}

/* Moves *qa past n positions (varints) of q[0..end); 0 when cut. */
static int skip_positions(const unsigned char *q, size_t end, size_t *qa,
                          uint64_t n)
{
    size_t a = *qa;
    /* eight bytes at a time while more varints end past them than in
     * them: a byte without its high bit ends one */
    while (n > 8 && a + 8 <= end) {
        uint64_t w;
        memcpy(&w, q + a, 8);
        uint64_t ends = (~w & 0x8080808080808080ULL) >> 7;
        uint64_t c = (ends * 0x0101010101010101ULL) >> 56;
        a += 8;
        n -= c;
    }
    for (; n; a++) {
        if (a >= end)
            return 0;
        n -= !(q[a] & 0x80);
    }
    *qa = a;
    return 1;
}

/* Where the snippet of term i's posting k starts: its first position in
 * the body when it occurs there, else in the title, as pos << 1 | col
 * (the block's skip entry, then at most SKIP_EVERY - 1 postings);
 * SNIP_LATER when the bytes are damaged. */
static uint32_t first_pos(const mr_postings *p, uint64_t i, uint32_t k)
{
    const tview tv = term_at(p, i), *t = &tv;
    const unsigned char *b = p->post + t->post_off, *q = p->pos + t->pos_off;
    uint32_t blk = k / SKIP_EVERY;
    size_t at = 0, qa = 0;
    if (blk) {
        at = p->skip[t->skip + blk - 1].post;
        qa = p->skip[t->skip + blk - 1].pos;
    }
    uint64_t dd, nt = 0, nb = 0, v;
    for (uint32_t j = blk * SKIP_EVERY; j <= k; j++) {
        if (!get_posting(b, t->post_len, &at, &dd, &nt, &nb) ||
            (j < k && !skip_positions(q, t->pos_len, &qa, nt + nb)))
            return SNIP_LATER;
    }
    int col = nb > 0;
    if ((col && !skip_positions(q, t->pos_len, &qa, nt)) ||
        !get_varint(q, t->pos_len, &qa, &v) || v >= (1u << 30))
        return SNIP_LATER;
    return (uint32_t)v << 1 | (uint32_t)col;
}

/* Appends the postings of term i to l (not yet sorted nor merged): 0,
 * -1 out of memory, -2 the bytes are damaged. */
static int decode_term(const mr_postings *p, uint64_t i, plist *l, size_t *cap)
{
    const tview tv = term_at(p, i), *t = &tv;
    if (plist_reserve(l, cap, l->n + t->df) < 0)
        return -1;
    pcur c;
    int r;
    pcur_init(&c, p, i);
    while ((r = pcur_next(&c)) == 1) {
        l->doc[l->n] = c.d;
        l->freq[l->n] = (uint32_t)(2 * c.nt + c.nb);
        l->snip[l->n] = c.nb ? SNIP_LATER : SNIP_LATER_TITLE;
        l->tix[l->n] = (uint32_t)i;
        l->pix[l->n++] = c.k - 1;
    }
    return r < 0 ? -2 : 0; /* damaged: FTS5 answers */
}

typedef struct triple {
    int64_t doc;
    uint32_t freq, snip, tix, pix;
} triple;

static int cmp_triple(const void *a, const void *b)
{
    const triple *x = a, *y = b;
    if (x->doc != y->doc)
        return (x->doc > y->doc) - (x->doc < y->doc);
    return (x->tix > y->tix) - (x->tix < y->tix);
}

/* The better snippet start: a body occurrence, else the earlier one
 * (positions; of the SNIP_LATER values, one in the body). */
static uint32_t better_snip(uint32_t a, uint32_t b)
{
    if ((a & 1) != (b & 1))
        return (a & 1) ? a : b;
    return a < b ? a : b;
}

/* Keeps sn in *first when it is the better snippet start (SNIP_LATER:
 * none). */
static void keep_snip(uint32_t *first, uint32_t sn)
{
    if (sn != SNIP_LATER &&
        (*first == SNIP_LATER || better_snip(sn, *first) == sn))
        *first = sn;
}

/* Where en's snippet starts, from first (pos << 1 | col). */
static void set_snip(mr_top_ent *en, uint32_t first)
{
    if (first != SNIP_LATER) {
        en->col = (int)(first & 1);
        en->tok_pos = (int)(first >> 1);
    }
}

/* A prefix's postings: the union of its terms' (sorted by row, one entry
 * per row, frequencies summed); every term's, by row, kept in l->all for
 * the snippets of the rows returned. */
static int merge_rows(plist *l, size_t *run, size_t nrun)
{
    triple *t = malloc((l->n ? l->n : 1) * sizeof *t);
    triple *w = malloc((l->n ? l->n : 1) * sizeof *w);
    if (!t || !w) {
        free(t);
        free(w);
        return -1;
    }
    for (size_t i = 0; i < l->n; i++)
        t[i] = (triple){l->doc[i], l->freq[i], l->snip[i], l->tix[i],
                        l->pix[i]};
    /* Each term's postings are a run sorted by row, the terms in order:
     * runs merged two by two (the earlier run first on a tie) are sorted
     * by (row, term), as cmp_triple sorts. */
    while (nrun > 1) {
        size_t k = 0;
        for (size_t r = 0; r < nrun; r += 2) {
            size_t a = run[r], am = r + 1 < nrun ? run[r + 1] : l->n;
            size_t b = am, bm = r + 2 < nrun ? run[r + 2] : l->n, o = a;
            while (a < am && b < bm)
                w[o++] = cmp_triple(&t[b], &t[a]) < 0 ? t[b++] : t[a++];
            while (a < am)
                w[o++] = t[a++];
            while (b < bm)
                w[o++] = t[b++];
            run[k++] = run[r];
        }
        nrun = k;
        triple *x = t;
        t = w;
        w = x;
    }
    free(w);
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (k && l->doc[k - 1] == t[i].doc) {
            l->freq[k - 1] += t[i].freq;
            if (t[i].snip == SNIP_LATER && l->snip[k - 1] != SNIP_LATER) {
                l->snip[k - 1] = t[i].snip;
                l->tix[k - 1] = t[i].tix;
                l->pix[k - 1] = t[i].pix;
            }
            continue;
        }
        l->doc[k] = t[i].doc;
        l->freq[k] = t[i].freq;
        l->snip[k] = t[i].snip;
        l->tix[k] = t[i].tix;
        l->pix[k++] = t[i].pix;
    }
    free(l->all);
    l->all = t;
    l->nall = l->n;
    l->n = k;
    return 0;
}

/* Moves the cursor over doc[0..n) to its first row >= d (galloping); 1 if
 * it is d. */
static int seek_rows(const int64_t *doc, size_t n, size_t *cursor, int64_t d)
{
    size_t at = *cursor;
    if (at < n && doc[at] < d) {
        size_t step = 1, lo = at;
        while (at + step < n && doc[at + step] < d) {
            lo = at + step;
            step *= 2;
        }
        size_t hi = at + step < n ? at + step : n;
        while (lo < hi) { /* first index in (lo, hi] with doc >= d */
            size_t mid = lo + (hi - lo) / 2;
            if (doc[mid] < d)
                lo = mid + 1;
            else
                hi = mid;
        }
        at = lo;
        *cursor = at;
    }
    return at < n && doc[at] == d;
}

static int seek(plist *l, int64_t d)
{
    return seek_rows(l->doc, l->n, &l->at, d);
}

/* ------------------------------------------------------------- phrases */


/* One term's postings. Where a row's positions start is found when a
 * row is asked for (pos_start): from its block's skip entry, or from the
 * last row asked for when it is earlier in the same block, so only the
 * positions of the rows a phrase reaches are read. */
typedef struct pterm {
    int64_t *doc;
    uint32_t *nt, *nb; /* occurrences in the title, the body */
    size_t n, at;
    size_t ck, cqa; /* the last row asked for and its positions' start */
    int cvalid;
} pterm;

static void pterm_free(pterm *t)
{
    free(t->doc);
    free(t->nt);
    free(t->nb);
}

/* Decodes term i's postings: 0, -1 out of memory, -2 the bytes are
 * damaged. */
static int pterm_load(const mr_postings *p, uint64_t i, pterm *out)
{
    const tview tv = term_at(p, i), *t = &tv;
    memset(out, 0, sizeof *out);
    size_t n = t->df ? t->df : 1;
    out->doc = malloc(n * sizeof *out->doc);
    out->nt = malloc(n * sizeof *out->nt);
    out->nb = malloc(n * sizeof *out->nb);
    if (!out->doc || !out->nt || !out->nb)
        return -1;
    pcur c;
    int r;
    pcur_init(&c, p, i);
    while ((r = pcur_next(&c)) == 1) {
        out->doc[c.k - 1] = c.d;
        out->nt[c.k - 1] = (uint32_t)c.nt;
        out->nb[c.k - 1] = (uint32_t)c.nb;
    }
    out->n = t->df;
    return r < 0 ? -2 : 0;
}

/* Where the positions of posting k of pt (term i) start, into *qa: 0, or
 * -2 the bytes are damaged. */
static int pos_start(const mr_postings *p, uint64_t i, pterm *pt, size_t k,
                     size_t *qa)
{
    const tview tv = term_at(p, i), *t = &tv;
    size_t blk = k / SKIP_EVERY, j, at;
    if (pt->cvalid && pt->ck <= k && pt->ck / SKIP_EVERY == blk) {
        j = pt->ck;
        at = pt->cqa;
    } else {
        j = blk * SKIP_EVERY;
        at = blk ? p->skip[t->skip + blk - 1].pos : 0;
    }
    uint64_t skip = 0; /* the positions of the postings before k */
    for (; j < k; j++)
        skip += (uint64_t)pt->nt[j] + pt->nb[j];
    if (!skip_positions(p->pos + t->pos_off, t->pos_len, &at, skip))
        return -2;
    pt->ck = k;
    pt->cqa = at;
    pt->cvalid = 1;
    *qa = at;
    return 0;
}

/* The positions of column col (0 title, 1 body) of posting k of pt (term
 * i), into out; how many, SIZE_MAX when more than cap or the bytes are
 * damaged (FTS5 answers). */
static size_t read_pos(const mr_postings *p, uint64_t i, pterm *pt,
                       size_t k_at, int col, uint32_t *out, size_t cap)
{
    const tview tv = term_at(p, i), *t = &tv;
    const unsigned char *q = p->pos + t->pos_off;
    size_t at, k = 0;
    if (pos_start(p, i, pt, k_at, &at) != 0)
        return SIZE_MAX;
    uint64_t nt = pt->nt[k_at], nb = pt->nb[k_at], v;
    uint64_t skip = col ? nt : 0, want = col ? nb : nt;
    for (uint64_t j = 0; j < skip; j++)
        if (!get_varint(q, t->pos_len, &at, &v))
            return 0;
    uint32_t pos = 0;
    for (uint64_t j = 0; j < want; j++) {
        if (!get_varint(q, t->pos_len, &at, &v))
            return k;
        pos += (uint32_t)v;
        if (k == cap)
            return SIZE_MAX;
        out[k++] = pos;
    }
    return k;
}

/* Galloping seek in a pterm (as seek() for plists). */
static int pseek(pterm *l, int64_t d)
{
    return seek_rows(l->doc, l->n, &l->at, d);
}

#define PH_POS 4096 /* positions read per term and column */

/* The rows where the terms ti[0..m) occur in this order, next to each
 * other, in one column, with the weighted count of such occurrences (2
 * per title one, 1 per body one), into l: a phrase as FTS5 matches it.
 * 0, -1 out of memory, 1 a term occurs more than PH_POS times in a
 * column of a row (FTS5 answers). */
static int phrase_rows(const mr_postings *p, const uint64_t *ti, int m,
                       plist *l, size_t *cap)
{
    pterm t[PH_MAX];
    int rc = 0, nt = 0;
    uint32_t *pos = malloc((size_t)m * PH_POS * sizeof *pos);
    size_t npos[PH_MAX];
    if (!pos)
        return -1;
    for (; nt < m; nt++)
        if ((rc = pterm_load(p, ti[nt], &t[nt])) != 0) {
            pterm_free(&t[nt]);
            rc = rc == -1 ? -1 : 1;
            goto done;
        }
    l->n = 0;
    int r = 0; /* the rarest term drives */
    for (int j = 1; j < m; j++)
        if (t[j].n < t[r].n)
            r = j;
    for (size_t k = 0; k < t[r].n; k++) {
        int64_t d = t[r].doc[k];
        int all = 1;
        for (int j = 0; all && j < m; j++)
            all = j == r ? (t[j].at = k, 1) : pseek(&t[j], d);
        if (!all)
            continue;
        uint32_t freq = 0, snip = SNIP_LATER;
        for (int col = 0; col < 2; col++) {
            for (int j = 0; j < m; j++)
                npos[j] = read_pos(p, ti[j], &t[j], t[j].at, col,
                                   pos + (size_t)j * PH_POS, PH_POS);
            for (int j = 0; j < m; j++)
                if (npos[j] == SIZE_MAX || (npos[0] && pos[0] >= (1u << 30))) {
                    rc = 1;
                    goto done;
                }
            if (npos[0]) /* the first term's first, the body's first */
                snip = pos[0] << 1 | (uint32_t)col;
            size_t at[PH_MAX];
            for (int j = 0; j < m; j++)
                at[j] = 0;
            for (size_t a = 0; a < npos[0]; a++) {
                uint32_t s = pos[a];
                int ok = 1;
                for (int j = 1; ok && j < m; j++) {
                    const uint32_t *pj = pos + (size_t)j * PH_POS;
                    while (at[j] < npos[j] && pj[at[j]] < s + (uint32_t)j)
                        at[j]++;
                    ok = at[j] < npos[j] && pj[at[j]] == s + (uint32_t)j;
                }
                if (ok)
                    freq += col == 0 ? 2 : 1;
            }
        }
        if (!freq)
            continue;
        if (plist_reserve(l, cap, l->n + 1) < 0) {
            rc = -1;
            goto done;
        }
        l->doc[l->n] = d;
        l->freq[l->n] = freq;
        l->snip[l->n] = snip;
        l->tix[l->n] = (uint32_t)ti[0];
        l->pix[l->n++] = (uint32_t)t[0].at;
    }
done:
    for (int j = 0; j < nt; j++)
        pterm_free(&t[j]);
    free(pos);
    return rc;
}


static int query_token(void *ctx, int flags, const char *s, int n, int a,
                       int b)
{
    (void)a;
    (void)b;
    qparse *q = ctx;
    if ((flags & FTS5_TOKEN_COLOCATED) || q->nterm == PH_MAX || n <= 0 ||
        n >= MR_QTERM_MAX) {
        q->bad = 1; /* FTS5's */
        return SQLITE_DONE;
    }
    memcpy(q->term[q->nterm], s, (size_t)n);
    q->term_n[q->nterm++] = n;
    return SQLITE_OK;
}

/* Reads one "string" of e at *i (the opening quote) into out, FTS5's
 * doubled quotes undone; its length, or -1. */
static int read_string(const char *e, size_t n, size_t *i, char *out,
                       size_t cap)
{
    size_t k = 0;
    (*i)++;
    while (*i < n) {
        if (e[*i] == '"') {
            if (*i + 1 < n && e[*i + 1] == '"') {
                if (k + 1 >= cap)
                    return -1;
                out[k++] = '"';
                *i += 2;
                continue;
            }
            (*i)++;
            return (int)k;
        }
        if (k + 1 >= cap)
            return -1;
        out[k++] = e[(*i)++];
    }
    return -1;
}

static _Thread_local const mr_top *sort_ctx_top; /* serve searches on several threads */

static int cmp_by_row(const void *a, const void *b)
{
    int64_t x = sort_ctx_top->h[*(const size_t *)a].rowid;
    int64_t y = sort_ctx_top->h[*(const size_t *)b].rowid;
    return (x > y) - (x < y);
}

/* The row of the first posting of the block whose skip entry is e (a
 * block's first posting holds its row, not a delta). */
static int64_t block_row(const mr_postings *p, const pcur *c, uint32_t e)
{
    size_t at = p->skip[e].post;
    uint64_t v;
    return get_varint(c->b, c->end, &at, &v) ? (int64_t)(v >> 1) : INT64_MAX;
}

/* The pair of words a, b (term indices): its index in p->pairs, or
 * UINT64_MAX when the file has no such pair. */
static uint64_t find_pair_ix(const mr_postings *p, uint64_t a, uint64_t b)
{
    if (a > UINT32_MAX || b > UINT32_MAX)
        return UINT64_MAX;
    pf_pair want = {(uint32_t)a, (uint32_t)b};
    uint64_t key = pair_key(&want), lo = 0, hi = p->h->npairs;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (pair_key(&p->pairs[mid]) < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->h->npairs && pair_key(&p->pairs[lo]) == key ? lo
                                                               : UINT64_MAX;
}

/* Where the snippet of row d starts for word i (first_pos of its posting
 * of d, found from block to block); SNIP_LATER when d has no posting. */
static uint32_t word_pos(const mr_postings *p, uint64_t i, int64_t d)
{
    pcur c;
    pcur_init(&c, p, i);
    uint32_t skip0 = p->skipix[i], nblk = c.df ? (c.df - 1) / SKIP_EVERY : 0;
    uint32_t b = 0, hi = nblk; /* the last block starting at d or before */
    while (b < hi) {
        uint32_t mid = b + (hi - b + 1) / 2;
        if (block_row(p, &c, skip0 + mid - 1) <= d)
            b = mid;
        else
            hi = mid - 1;
    }
    if (b) {
        c.k = b * SKIP_EVERY;
        c.at = p->skip[skip0 + b - 1].post;
    }
    while (pcur_next(&c) == 1 && c.d <= d)
        if (c.d == d)
            return first_pos(p, i, c.k - 1);
    return SNIP_LATER;
}

/* Moves c to its first posting of row d or after (c->d, c->k - 1),
 * jumping the blocks that end before d: 1 there is one, 0 none is left,
 * -1 the bytes are damaged. c has given a posting before unless c->k is
 * 0. */
static int pcur_seek(const mr_postings *p, pcur *c, uint32_t skip0,
                     uint32_t nblk, int64_t d)
{
    if (c->k && c->d >= d)
        return 1;
    uint32_t b = c->k / SKIP_EVERY, from = b; /* the next posting's block */
    while (b < nblk && block_row(p, c, skip0 + b) <= d)
        b++;
    if (b != from) {
        c->k = b * SKIP_EVERY;
        c->at = p->skip[skip0 + b - 1].post;
    }
    int r;
    while ((r = pcur_next(c)) == 1 && c->d < d)
        ;
    return r;
}

/* Words (or pairs) that must all be in a row, none excluded: their
 * postings walked together from their bytes, the rarest driving and the
 * others jumping from block to block towards its rows (no list decoded
 * into memory); every row holding them all counted and scored as the
 * general path scores it (the same sum, in the same order); the
 * snippets' starts read for the rows kept only. 1, 0 FTS5 answers
 * (damaged bytes), -1 out of memory. */
static int words_top(const mr_postings *p, const plist *l, int np,
                     mr_top *top, size_t *matches)
{
    pcur c[MR_QUERY_MAX_TERMS];
    uint32_t skip0[MR_QUERY_MAX_TERMS], nblk[MR_QUERY_MAX_TERMS];
    int drv = 0;
    for (int i = 0; i < np; i++) {
        pcur_init(&c[i], p, l[i].lazy - 1);
        skip0[i] = p->skipix[l[i].lazy - 1];
        nblk[i] = c[i].df ? (c[i].df - 1) / SKIP_EVERY : 0;
        if (c[i].df < c[drv].df)
            drv = i;
    }
    const double k1 = 1.2, b = 0.75;
    double avgdl = (double)p->h->ntok / (double)p->h->nrow;
    size_t nmatch = 0;
    int r;
    while ((r = pcur_next(&c[drv])) == 1) {
        int64_t d = c[drv].d;
        int ok = 1;
        for (int i = 0; ok && i < np; i++) {
            if (i == drv)
                continue;
            int sr = pcur_seek(p, &c[i], skip0[i], nblk[i], d);
            if (sr != 1) {
                r = sr; /* 0: no row holds them all from here */
                goto end;
            }
            ok = c[i].d == d;
        }
        if (!ok)
            continue;
        nmatch++;
        if (top->n == top->k && top->k) {
            /* counted; scored only when it may enter: the bound of each
             * word's part is its block's best, or its part at length 0
             * (no read of the row's length) */
            double bound = 0, norm0 = k1 * (1.0 - b + b * 0.0 / avgdl);
            for (int i = 0; i < np; i++) {
                double f = (double)(2 * c[i].nt + c[i].nb);
                double u = (f * (k1 + 1.0)) / (f + norm0);
                uint32_t blk = (c[i].k - 1) / SKIP_EVERY;
                if (blk && (double)p->skip[skip0[i] + blk - 1].ub < u)
                    u = (double)p->skip[skip0[i] + blk - 1].ub;
                bound += l[i].idf * u;
            }
            if (bound * (1.0 + 1e-9) < top->h[0].score)
                continue; /* cannot beat the heap's worst */
        }
        double dl = d <= (int64_t)p->h->maxrow ? (double)p->len[d] : 0;
        double norm = k1 * (1.0 - b + b * dl / avgdl), score = 0;
        for (int i = 0; i < np; i++) {
            double f = (double)(2 * c[i].nt + c[i].nb);
            score += l[i].idf * (f * (k1 + 1.0)) / (f + norm);
        }
        mr_top_ent en;
        en.rowid = d;
        en.score = score;
        en.ninst = 0;
        en.col = 0;
        en.tok_pos = -1;
        en.aux = 0;
        if (mr_top_push(top, &en) != 0)
            return -1;
    }
end:
    if (r < 0)
        return 0; /* a damaged file: FTS5 answers */
    for (size_t h = 0; h < top->n; h++) {
        mr_top_ent *en = &top->h[h];
        uint32_t first = SNIP_LATER;
        for (int i = 0; i < np; i++) {
            uint64_t w = l[i].first ? l[i].first - 1 : l[i].lazy - 1;
            uint32_t sn = word_pos(p, w, en->rowid);
            keep_snip(&first, sn);
        }
        set_snip(en, first);
    }
    *matches = nmatch;
    return 1;
}

/* FTS5's idf of an item matched by l->n rows. */
static void set_idf(const mr_postings *p, plist *l)
{
    double hit = (double)l->n, nrow = (double)p->h->nrow;
    double idf = log((nrow - hit + 0.5) / (hit + 0.5));
    l->idf = idf <= 0.0 ? 1e-6 : idf;
}

static int offer_row(const mr_postings *p, mr_top *top, int64_t d, double f,
                     double avgdl, uint32_t aux);

/* A prefix alone (the terms l->pre_lo..pre_hi): each term's postings
 * added into a counter per row (the frequencies summed as FTS5 sums the
 * instances of a prefix's terms), the rows offered in the order first
 * seen (the heap's order is total: the same rows, whatever the order),
 * then, for the rows kept only, the postings read again for where their
 * snippets start. No sort nor merge of the postings: O(postings). 1 the
 * top is made, 0 FTS5 answers (damaged bytes), -1 out of memory. */
static int prefix_top(mr_postings *p, plist *l, mr_top *top, size_t *matches,
                      mr_qterms *qt)
{
    (void)qt;
    size_t need = (size_t)p->h->maxrow + 1, nseen = 0;
    if (p->acc_n < need) {
        free(p->acc);
        p->acc_n = 0;
        if (!(p->acc = calloc(need, sizeof *p->acc)))
            return -1;
        p->acc_n = need;
    }
    uint32_t *acc = p->acc;
    int rc = 1;
    for (uint64_t i = l->pre_lo; rc == 1 && i < l->pre_hi; i++) {
        pcur c;
        pcur_init(&c, p, i);
        if (nseen + c.df > p->rows_cap) {
            size_t cap = p->rows_cap ? p->rows_cap : 1024;
            while (cap < nseen + c.df)
                cap *= 2;
            uint32_t *s = realloc(p->rows, cap * sizeof *s);
            if (!s) {
                rc = -1;
                break;
            }
            p->rows = s;
            p->rows_cap = cap;
        }
        int r;
        while ((r = pcur_next(&c)) == 1 && c.d >= 0 &&
               (uint64_t)c.d <= p->h->maxrow) {
            if (!acc[c.d])
                p->rows[nseen++] = (uint32_t)c.d;
            acc[c.d] += (uint32_t)(2 * c.nt + c.nb);
        }
        if (r != 0)
            rc = 0; /* a damaged file: FTS5 answers */
    }
    double avgdl = (double)p->h->ntok / (double)p->h->nrow;
    l->n = nseen;
    set_idf(p, l);
    for (size_t j = 0; j < nseen; j++) {
        uint32_t d = p->rows[j];
        if (rc == 1 &&
            offer_row(p, top, d, (double)acc[d], avgdl, 0) != 0)
            rc = -1;
        acc[d] = 0;
    }
    if (rc != 1)
        return rc;
    /* where each kept row's snippet starts: the best first position of
     * the prefix's terms in it, as the merged path chooses it; each term
     * walked from block to block towards the kept rows, by row */
    size_t *by = malloc((top->n ? top->n : 1) * sizeof *by);
    if (!by)
        return -1;
    for (size_t h = 0; h < top->n; h++) {
        top->h[h].score = l->idf * top->h[h].score;
        top->h[h].aux = SNIP_LATER;
        by[h] = h;
    }
    sort_ctx_top = top;
    qsort(by, top->n, sizeof *by, cmp_by_row);
    sort_ctx_top = NULL;
    for (uint64_t i = l->pre_lo; i < l->pre_hi && top->n; i++) {
        pcur c;
        pcur_init(&c, p, i);
        uint32_t skip0 = p->skipix[i], nblk = c.df ? (c.df - 1) / SKIP_EVERY : 0;
        size_t j = 0;
        while (j < top->n) {
            int64_t want = top->h[by[j]].rowid;
            uint32_t b = c.k / SKIP_EVERY;
            if (c.k % SKIP_EVERY == 0) { /* the blocks before want's */
                while (b < nblk && block_row(p, &c, skip0 + b) <= want)
                    b++;
                if (b != c.k / SKIP_EVERY) {
                    c.k = b * SKIP_EVERY;
                    c.at = p->skip[skip0 + b - 1].post;
                }
            }
            if (pcur_next(&c) != 1)
                break;
            while (j < top->n && top->h[by[j]].rowid < c.d)
                j++;
            if (j == top->n || top->h[by[j]].rowid != c.d)
                continue;
            mr_top_ent *en = &top->h[by[j++]];
            uint32_t sn = first_pos(p, i, c.k - 1);
            keep_snip(&en->aux, sn);
        }
    }
    free(by);
    for (size_t h = 0; h < top->n; h++) {
        mr_top_ent *en = &top->h[h];
        set_snip(en, en->aux);
        en->aux = 0;
    }
    *matches = nseen;
    return 1;
}

/* Offers row d, with the weighted frequency f of a query of one term or
 * one phrase, to the top: its bm25 term part before the idf (applied to
 * the rows kept, at the end), kept when the heap is not full or it beats
 * the heap's worst. aux: its posting (the fused one-term walk), else 0.
 * -1 out of memory, else 0. */
static int offer_row(const mr_postings *p, mr_top *top, int64_t d, double f,
                     double avgdl, uint32_t aux)
{
    double dl = d <= (int64_t)p->h->maxrow ? (double)p->len[d] : 0;
    mr_top_ent en;
    en.rowid = d;
    en.score = tf_score(f, dl, avgdl);
    if (top->n == top->k && top->k && en.score < top->h[0].score)
        return 0; /* cannot enter: the heap's worst is better */
    en.ninst = 0;
    en.col = 0;
    en.tok_pos = -1;
    en.aux = aux;
    return mr_top_push(top, &en);
}

int mr_postings_top(mr_postings *p, const fts5_tokenizer *tk,
                    Fts5Tokenizer *tok, const char *e, size_t n,
                    mr_top *top, size_t *matches, mr_qterms *qt)
{
    plist *l = p->l;
    size_t *caps = p->caps;
    int np = 0, group = 0, neg = 0, ngroup = 0, ret = 0;
    size_t *runs = NULL, nrun_cap = 0;
    char buf[MR_QUERY_MAX_BYTES * 3 + 1];
    for (int i = 0; i < MR_QUERY_MAX_TERMS; i++) {
        l[i].n = l[i].at = 0;
        l[i].lazy = 0;
        l[i].pre_lo = l[i].pre_hi = 0;
        l[i].prefix = 0;
        l[i].first = 0;
        free(l[i].all);
        l[i].all = NULL;
        l[i].nall = 0;
    }
    qt->n = 0;
    /* The expression of mr_query_to_fts: ("a") AND ("b" OR "c" *) NOT
     * ("d"); a field (title : "x") or a phrase of several terms is not
     * for this file. */
    for (size_t i = 0; i < n;) {
        char c = e[i];
        if (c == ' ' || c == ')') {
            i++;
        } else if (c == '(') {
            if (!neg)
                group = ngroup++;
            i++;
        } else if (n - i >= 3 && memcmp(e + i, "AND", 3) == 0) {
            i += 3;
        } else if (n - i >= 2 && memcmp(e + i, "OR", 2) == 0) {
            i += 2;
        } else if (n - i >= 3 && memcmp(e + i, "NOT", 3) == 0) {
            neg = 1;
            i += 3;
        } else if (c == '"') {
            int len = read_string(e, n, &i, buf, sizeof buf);
            if (len < 0 || np == MR_QUERY_MAX_TERMS)
                goto out;
            int prefix = 0;
            size_t j = i;
            while (j < n && e[j] == ' ')
                j++;
            if (j < n && e[j] == '*') {
                prefix = 1;
                i = j + 1;
            }
            qparse *q = &p->q;
            q->nterm = q->bad = 0;
            int fl = FTS5_TOKENIZE_QUERY | (prefix ? FTS5_TOKENIZE_PREFIX : 0);
            if (tk->xTokenize(tok, q, fl, buf, len, query_token) !=
                    SQLITE_OK ||
                q->bad || q->nterm == 0 || (q->nterm > 1 && prefix))
                goto out; /* nothing, or a phrase ending in a prefix: FTS5's */
            plist *pl = &l[np];
            pl->group = neg ? -1 : group;
            for (int w = 0; w < q->nterm && qt->n < MR_QUERY_MAX_TERMS; w++) {
                memcpy(qt->t[qt->n].s, q->term[w], (size_t)q->term_n[w]);
                qt->t[qt->n].n = q->term_n[w];
                qt->t[qt->n++].prefix = prefix;
            }
            if (q->nterm > 1) { /* a phrase: every term must be there */
                uint64_t ti[PH_MAX];
                int found = 1;
                for (int w = 0; found && w < q->nterm; w++) {
                    size_t tn = (size_t)q->term_n[w];
                    ti[w] = lower_bound(p, q->term[w], tn);
                    found = ti[w] < p->h->nterms &&
                            term_at(p, ti[w]).str_len == tn &&
                            memcmp(p->str + term_at(p, ti[w]).str_off,
                                   q->term[w], tn) == 0;
                }
                uint64_t pj = found && q->nterm == 2
                                  ? find_pair_ix(p, ti[0], ti[1])
                                  : UINT64_MAX;
                if (pj != UINT64_MAX) { /* a pair's postings: one term */
                    pl->lazy = p->h->nterms + pj + 1;
                    pl->n = term_at(p, p->h->nterms + pj).df;
                    pl->first = ti[0] + 1;
                    set_idf(p, pl);
                    np++;
                    continue;
                }
                int pr =
                    found ? phrase_rows(p, ti, q->nterm, pl, &caps[np]) : 0;
                if (pr != 0) {
                    ret = pr < 0 ? -1 : 0;
                    goto out;
                }
                set_idf(p, pl);
                np++;
                continue;
            }
            const char *term = q->term[0];
            size_t term_n = (size_t)q->term_n[0];
            uint64_t t = lower_bound(p, term, term_n);
            pl->pre_lo = pl->pre_hi = t;
            pl->prefix = prefix;
            for (; t < p->h->nterms; t++) {
                const tview ptv = term_at(p, t), *pt = &ptv;
                if (pt->str_len < term_n ||
                    memcmp(p->str + pt->str_off, term, term_n) ||
                    (!prefix && pt->str_len != term_n))
                    break;
                if (!prefix) { /* decoded when it must be (below) */
                    pl->lazy = t + 1;
                    pl->n = pt->df;
                    break;
                }
                pl->pre_hi = t + 1; /* below: decoded, or accumulated */
            }
            set_idf(p, pl);
            np++;
        } else {
            goto out; /* a field or anything else */
        }
    }
    if (ngroup == 0)
        goto out;
    if (np == 1 && l[0].group == 0 && l[0].prefix) { /* a prefix alone */
        ret = prefix_top(p, &l[0], top, matches, qt);
        goto out;
    }
    int words = np > 1 && ngroup == np; /* words and pairs, AND only */
    for (int i = 0; words && i < np; i++)
        words = l[i].lazy && l[i].group == i;
    if (words) {
        ret = words_top(p, l, np, top, matches);
        goto out;
    }
    for (int i = 0; i < np; i++) { /* the prefixes' postings, by row */
        size_t many = 0;
        for (uint64_t t = l[i].pre_lo; t < l[i].pre_hi; t++) {
            if (many == nrun_cap) { /* where each term's run starts */
                size_t nc = nrun_cap ? 2 * nrun_cap : 64;
                size_t *nr = realloc(runs, nc * sizeof *nr);
                if (!nr) {
                    ret = -1;
                    goto out;
                }
                runs = nr;
                nrun_cap = nc;
            }
            runs[many++] = l[i].n;
            int dr = decode_term(p, t, &l[i], &caps[i]);
            if (dr != 0) {
                ret = dr == -1 ? -1 : 0;
                goto out;
            }
        }
        if (many > 1 && merge_rows(&l[i], runs, many) != 0) {
            ret = -1;
            goto out;
        }
        if (l[i].pre_hi > l[i].pre_lo)
            set_idf(p, &l[i]);
    }
    /* One term alone is scored straight from its bytes; else every list
     * is decoded. */
    int fused = np == 1 && l[0].group == 0 && l[0].lazy;
    for (int i = 0; !fused && i < np; i++)
        if (l[i].lazy) {
            uint64_t t = l[i].lazy - 1;
            l[i].lazy = 0;
            l[i].n = 0;
            int dr = decode_term(p, t, &l[i], &caps[i]);
            if (dr != 0) {
                ret = dr == -1 ? -1 : 0;
                goto out;
            }
        }
    /* The driver: the positive group with the fewest postings; its rows
     * are the candidates, every other group must have the row too, and no
     * NOT phrase. */
    int driver = 0;
    size_t best = (size_t)-1;
    for (int g = 0; g < ngroup; g++) {
        size_t sum = 0;
        for (int i = 0; i < np; i++)
            if (l[i].group == g)
                sum += l[i].n;
        if (sum < best) {
            best = sum;
            driver = g;
        }
    }
    const double k1 = 1.2, b = 0.75;
    double avgdl = (double)p->h->ntok / (double)p->h->nrow;
    int one = np == 1; /* idf applied at the end, as search.c does */
    size_t nmatch = 0;
    if (fused) { /* one term: each posting decoded and scored in turn */
        const tview tv = term_at(p, l[0].lazy - 1), *t = &tv;
        const unsigned char *pb = p->post + t->post_off;
        size_t at = 0;
        int64_t d = 0;
        for (uint32_t k = 0; k < t->df; k++) {
            uint64_t dd, nt, nb;
            /* a block none of whose rows can enter: the next one */
            while (k && k % SKIP_EVERY == 0 && top->n == top->k && top->k &&
                   (double)p->skip[t->skip + k / SKIP_EVERY - 1].ub <
                       top->h[0].score) {
                k += SKIP_EVERY;
                if (k >= t->df)
                    break;
                at = p->skip[t->skip + k / SKIP_EVERY - 1].post;
            }
            if (k >= t->df)
                break;
            if (!get_posting(pb, t->post_len, &at, &dd, &nt, &nb)) {
                ret = 0; /* a damaged file: FTS5 answers */
                goto out;
            }
            d = k % SKIP_EVERY ? d + (int64_t)dd : (int64_t)dd;
            if (offer_row(p, top, d, (double)(2 * nt + nb), avgdl, k) != 0) {
                ret = -1;
                goto out;
            }
        }
        nmatch = t->df;
    } else if (one && l[0].group == 0) { /* a phrase: its rows, scored */
        const plist *L = &l[0];
        for (size_t k = 0; k < L->n; k++)
            if (offer_row(p, top, L->doc[k], (double)L->freq[k], avgdl, 0) !=
                0) {
                ret = -1;
                goto out;
            }
        nmatch = L->n;
        l[0].at = L->n; /* every row seen */
    }
    for (; !fused && !(one && l[0].group == 0);) {
        int64_t d = INT64_MAX;
        for (int i = 0; i < np; i++)
            if (l[i].group == driver && l[i].at < l[i].n &&
                l[i].doc[l[i].at] < d)
                d = l[i].doc[l[i].at];
        if (d == INT64_MAX)
            break;
        unsigned char in[MR_QUERY_MAX_TERMS];
        int ok = 1;
        for (int g = 0; ok && g < ngroup; g++) {
            int any = 0;
            for (int i = 0; i < np; i++)
                if (l[i].group == g && (in[i] = (unsigned char)seek(&l[i], d)))
                    any = 1;
            ok = any;
        }
        for (int i = 0; ok && i < np; i++)
            if (l[i].group < 0 && seek(&l[i], d))
                ok = 0;
        if (ok) {
            nmatch++;
            double dl = d <= (int64_t)p->h->maxrow ? (double)p->len[d] : 0;
            double norm = k1 * (1.0 - b + b * dl / avgdl), score = 0;
            for (int i = 0; i < np; i++) {
                if (l[i].group < 0 || !in[i])
                    continue;
                double f = (double)l[i].freq[l[i].at];
                score += (one ? 1.0 : l[i].idf) * (f * (k1 + 1.0)) / (f + norm);
            }
            mr_top_ent en;
            en.rowid = d;
            en.score = score;
            en.ninst = 0;
            en.col = 0;
            en.tok_pos = -1; /* below, for the rows kept only */
            if (mr_top_push(top, &en) != 0) {
                ret = -1;
                goto out;
            }
        }
        for (int i = 0; i < np; i++) /* past d */
            if (l[i].group == driver && l[i].at < l[i].n &&
                l[i].doc[l[i].at] == d)
                l[i].at++;
    }
    if (one)
        for (size_t i = 0; i < top->n; i++)
            top->h[i].score = l[0].idf * top->h[i].score;
    /* Where the snippet of each row kept starts: the first occurrence of
     * a query term, the body's when it has one (from the positions). */
    for (size_t h = 0; h < top->n; h++) {
        mr_top_ent *en = &top->h[h];
        uint32_t first = !fused      ? SNIP_LATER
                         : l[0].first ? word_pos(p, l[0].first - 1, en->rowid)
                                      : first_pos(p, l[0].lazy - 1, en->aux);
        for (int i = 0; !fused && i < np; i++) {
            if (l[i].group < 0)
                continue;
            l[i].at = 0;
            if (!seek(&l[i], en->rowid))
                continue;
            size_t r = l[i].at;
            uint32_t sn = l[i].snip[r];
            if (l[i].all) { /* a prefix: each of its terms in the row */
                size_t lo = 0, hi = l[i].nall;
                while (lo < hi) {
                    size_t mid = lo + (hi - lo) / 2;
                    if (l[i].all[mid].doc < en->rowid)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                for (; lo < l[i].nall && l[i].all[lo].doc == en->rowid; lo++) {
                    sn = first_pos(p, l[i].all[lo].tix, l[i].all[lo].pix);
                    keep_snip(&first, sn);
                }
                continue;
            }
            if (l[i].first)
                sn = word_pos(p, l[i].first - 1, en->rowid);
            else if (sn >= SNIP_LATER_TITLE)
                sn = first_pos(p, l[i].tix[r], l[i].pix[r]);
            keep_snip(&first, sn);
        }
        set_snip(en, first);
    }
    *matches = nmatch;
    ret = 1;
out:
    free(runs);
    return ret;
}
