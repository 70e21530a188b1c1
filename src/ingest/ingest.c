/*
 * ingest.c: the iterator over inputs. Walks paths (directories in sorted
 * order), opens each through zlib (so any input may be gzip'd), rejects
 * empty and binary inputs, picks a format and hands the bytes to a reader.
 * JSON Lines are streamed line by line with a bounded buffer; other
 * formats are read whole, up to max_report bytes.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "ingest/internal.h"

#define CHUNK ((size_t)1 << 18)  /* bytes per read */
#define SNIFF ((size_t)1 << 16)  /* bytes looked at before choosing */

typedef struct pathent {
    char *path;
    int from_dir; /* found by walking a directory: only known extensions */
} pathent;

struct mr_ingest {
    mr_rctx c;
    pathent *stack; /* inputs still to visit; the next is on top */
    size_t nstack, capstack;
    /* the input being read */
    mr_zin *g;
    char *name;
    int jsonl;     /* streaming JSON Lines */
    int eof;
    mr_buf lb;     /* bytes read, not yet consumed */
    size_t lpos;
    unsigned long lineno;
    size_t nonblank; /* JSON lines that were not blank */
    size_t reports0; /* reports counted when the input was opened */
};

const char *mr_format_name(mr_format f)
{
    switch (f) {
    case MR_FMT_AUTO:
        return "auto";
    case MR_FMT_TXT:
        return "txt";
    case MR_FMT_JSONL:
        return "jsonl";
    case MR_FMT_HTML:
        return "html";
    case MR_FMT_FEED:
        return "feed";
    case MR_FMT_TREC:
        return "trec";
    case MR_FMT_JSON:
        return "json";
    }
    return "auto";
}

int mr_format_parse(const char *name)
{
    static const struct {
        const char *n;
        mr_format f;
    } t[] = {{"auto", MR_FMT_AUTO}, {"txt", MR_FMT_TXT},
             {"text", MR_FMT_TXT},  {"jsonl", MR_FMT_JSONL},
             {"ndjson", MR_FMT_JSONL}, {"html", MR_FMT_HTML},
             {"feed", MR_FMT_FEED}, {"rss", MR_FMT_FEED},
             {"atom", MR_FMT_FEED}, {"xml", MR_FMT_FEED},
             {"trec", MR_FMT_TREC}, {"json", MR_FMT_JSON}};
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].n, name) == 0)
            return (int)t[i].f;
    return -1;
}

/* Format from the file name; MR_FMT_AUTO when the extension says nothing.
 * *known is set when the extension is one marsad reads (directory walks
 * take only those). */
static mr_format format_by_name(const char *path, int *known)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char low[256];
    size_t n = strlen(base);
    if (n >= sizeof low)
        n = sizeof low - 1;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)base[i]);
    low[n] = 0;
    if (n > 3 && strcmp(low + n - 3, ".gz") == 0)
        low[n -= 3] = 0;
    const char *dot = strrchr(low, '.');
    *known = 1;
    if (dot) {
        if (!strcmp(dot, ".jsonl") || !strcmp(dot, ".ndjson"))
            return MR_FMT_JSONL;
        if (!strcmp(dot, ".json"))
            return MR_FMT_JSON;
        if (!strcmp(dot, ".html") || !strcmp(dot, ".htm") ||
            !strcmp(dot, ".xhtml"))
            return MR_FMT_HTML;
        if (!strcmp(dot, ".rss") || !strcmp(dot, ".atom"))
            return MR_FMT_FEED;
        if (!strcmp(dot, ".txt") || !strcmp(dot, ".xml"))
            return MR_FMT_AUTO; /* sniffed: TREC documents are .txt */
    }
    *known = 0;
    return MR_FMT_AUTO;
}

/* ------------------------------------------------------------ stack */

static marsad_status push_path(mr_ingest *it, const char *p, int from_dir)
{
    if (it->nstack == it->capstack) {
        size_t cap = it->capstack ? it->capstack * 2 : 16;
        pathent *s = realloc(it->stack, cap * sizeof *s);
        if (!s)
            return MARSAD_E_NOMEM;
        it->stack = s;
        it->capstack = cap;
    }
    char *copy = strdup(p);
    if (!copy)
        return MARSAD_E_NOMEM;
    it->stack[it->nstack].path = copy;
    it->stack[it->nstack].from_dir = from_dir;
    it->nstack++;
    return MARSAD_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Pushes a directory's entries in reverse sorted order (so that they pop
 * in sorted order). Dot files and symbolic links to directories are
 * skipped (no cycles). */
static marsad_status push_dir(mr_ingest *it, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        it->c.name = dir;
        mr_push_error(&it->c, MARSAD_E_IO, 0, "cannot open directory: %s",
                      strerror(errno));
        it->c.st.files_rejected++;
        return MARSAD_OK;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    marsad_status rc = MARSAD_OK;
    struct dirent *e;
    while (rc == MARSAD_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                rc = MARSAD_E_NOMEM;
                break;
            }
            names = nn;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) {
            rc = MARSAD_E_NOMEM;
            break;
        }
        int slash = dir[0] && dir[strlen(dir) - 1] != '/';
        snprintf(names[n], len, "%s%s%s", dir, slash ? "/" : "", e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = n; i-- > 0;) {
        if (rc == MARSAD_OK)
            rc = push_path(it, names[i], 1);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* ------------------------------------------------------------ reading */

static void close_input(mr_ingest *it)
{
    /* bytes after the gzip data: named once the reports before them
     * are queued (they are kept) */
    uint64_t junk = it->g && it->eof ? mr_zin_trailing(it->g) : 0;
    if (junk)
        mr_push_error(&it->c, MARSAD_E_INPUT, 0,
                      "%llu bytes after the end of the gzip data are not "
                      "gzip data: ignored (a damaged or padded file?)",
                      (unsigned long long)junk);
    mr_zin_close(it->g);
    it->g = NULL;
    it->jsonl = 0;
    it->eof = 0;
    mr_buf_clear(&it->lb);
    it->lpos = 0;
    it->lineno = 0;
    it->nonblank = 0;
    it->c.legacy = 0;
}

/* Reads up to `want` more bytes onto lb. Returns bytes read, 0 at the end,
 * -1 on error (pushed). */
static long read_more(mr_ingest *it, size_t want)
{
    if (it->eof)
        return 0;
    if (mr_buf_reserve(&it->lb, want) != MARSAD_OK) {
        it->c.fatal = MARSAD_E_NOMEM;
        return -1;
    }
    long k = mr_zin_read(it->g, it->lb.p + it->lb.len, want);
    if (k < 0) {
        const char *why = mr_zin_error(it->g);
        mr_push_error(&it->c,
                      why && strncmp(why, "read error", 10) == 0
                          ? MARSAD_E_IO
                          : MARSAD_E_INPUT,
                      it->lineno, "%s", why ? why : "read error");
        it->eof = 1;
        return -1;
    }
    if (k == 0) {
        it->eof = 1;
        return 0;
    }
    it->lb.len += (size_t)k;
    it->lb.p[it->lb.len] = 0;
    it->c.st.bytes += (uint64_t)k;
    return k;
}

/* What a non-regular file is, for the message that skips it. */
static const char *file_kind(mode_t m)
{
    return S_ISFIFO(m)   ? "a FIFO"
           : S_ISSOCK(m) ? "a socket"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISDIR(m)  ? "a directory"
                         : "not a file";
}

/* Opens the next input. Pushes an error or sets up the reading state;
 * whole-file formats are read and parsed here. */
static void open_input(mr_ingest *it, pathent pe)
{
    mr_rctx *c = &it->c;
    free(it->name);
    it->name = pe.path;
    c->name = it->name;
    int is_stdin = strcmp(pe.path, "-") == 0;
    int known = 0;
    mr_format byname = is_stdin ? MR_FMT_AUTO : format_by_name(pe.path, &known);
    if (!is_stdin) {
        struct stat sb;
        if (stat(pe.path, &sb) != 0) {
            c->st.files_rejected++;
            mr_push_error(c, MARSAD_E_IO, 0, "cannot open: %s",
                          strerror(errno));
            return;
        }
        if (S_ISDIR(sb.st_mode)) {
            if (pe.from_dir) {
                struct stat lsb;
                if (lstat(pe.path, &lsb) == 0 && S_ISLNK(lsb.st_mode))
                    return; /* no cycles through links */
            }
            if (push_dir(it, pe.path) != MARSAD_OK)
                c->fatal = MARSAD_E_NOMEM;
            return;
        }
        if (pe.from_dir && !known) {
            c->st.files_skipped++; /* SOURCE.md, README, .tsv beside them */
            return;
        }
        if (pe.from_dir && !S_ISREG(sb.st_mode)) {
            c->st.files_rejected++;
            mr_push_error(c, MARSAD_E_INPUT, 0,
                          "not a regular file (%s): skipped",
                          file_kind(sb.st_mode));
            return;
        }
        /* A folder walk reads regular files only: a FIFO named x.txt would
         * block open() and read() forever, a device would never end. The
         * open does not block (O_NONBLOCK), and fstat checks the file it
         * opened, not the name (which may have changed since the stat). A
         * path given by the user may be a pipe (<(zcat ...)), and is
         * opened as usual. */
        int fd = open(pe.path, O_RDONLY | O_CLOEXEC |
                                   (pe.from_dir ? O_NONBLOCK : 0));
        if (fd >= 0 && pe.from_dir) {
            struct stat fsb;
            if (fstat(fd, &fsb) != 0 || !S_ISREG(fsb.st_mode)) {
                close(fd);
                c->st.files_rejected++;
                mr_push_error(c, MARSAD_E_INPUT, 0,
                              "not a regular file: skipped");
                return;
            }
            int fl = fcntl(fd, F_GETFL);
            if (fl >= 0)
                fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
        }
        it->g = fd >= 0 ? mr_zin_open(fd) : NULL;
        if (!it->g && fd >= 0)
            close(fd);
    } else {
        int fd = dup(0);
        it->g = fd >= 0 ? mr_zin_open(fd) : NULL;
        if (!it->g && fd >= 0)
            close(fd);
    }
    c->st.files++;
    if (!it->g) {
        c->st.files_rejected++;
        mr_push_error(c, MARSAD_E_IO, 0, "cannot open: %s",
                      errno ? strerror(errno) : "out of memory");
        return;
    }
    /* the first bytes decide */
    while (it->lb.len < SNIFF) {
        long k = read_more(it, SNIFF - it->lb.len);
        if (k <= 0)
            break;
    }
    if (c->qlen > c->qhead || c->fatal) { /* a read error */
        c->st.files_rejected++;
        close_input(it);
        return;
    }
    size_t i = 0;
    while (i < it->lb.len && isspace((unsigned char)it->lb.p[i]))
        i++;
    if (i == it->lb.len && it->eof) {
        c->st.files_rejected++;
        mr_push_error(c, MARSAD_E_INPUT, 0, "%s",
                      it->lb.len ? "empty file (white space only)"
                                 : "empty file");
        close_input(it);
        return;
    }
    mr_format fmt = c->o.format;
    if (fmt == MR_FMT_AUTO)
        fmt = byname;
    if (fmt == MR_FMT_AUTO)
        fmt = mr_sniff(it->lb.p, it->lb.len);
    const char *why = mr_check_text(it->lb.p, it->lb.len, fmt, &c->legacy);
    if (why) {
        c->st.files_rejected++;
        mr_push_error(c, MARSAD_E_INPUT, 0, "%s", why);
        close_input(it);
        return;
    }
    if (fmt == MR_FMT_JSONL) {
        it->jsonl = 1;
        it->reports0 = c->st.reports;
        return;
    }
    /* whole file, bounded */
    while (!it->eof) {
        if (it->lb.len > c->o.max_report) {
            c->st.files_rejected++;
            mr_push_error(c, MARSAD_E_LIMIT, 0,
                          "file is larger than the limit of %zu bytes "
                          "(max report size); skipped",
                          c->o.max_report);
            close_input(it);
            return;
        }
        if (read_more(it, CHUNK) < 0)
            break;
    }
    if (c->qlen > c->qhead) { /* a read error after the start */
        c->st.files_rejected++;
        close_input(it);
        return;
    }
    if (it->lb.len > c->o.max_report) {
        c->st.files_rejected++;
        mr_push_error(c, MARSAD_E_LIMIT, 0,
                      "file is larger than the limit of %zu bytes (max "
                      "report size); skipped",
                      c->o.max_report);
        close_input(it);
        return;
    }
    if (it->lb.len > SNIFF && memchr(it->lb.p + SNIFF, 0, it->lb.len - SNIFF)) {
        c->st.files_rejected++;
        mr_push_error(c, MARSAD_E_INPUT, 0, "binary file (NUL bytes)");
        close_input(it);
        return;
    }
    size_t reports0 = c->st.reports;
    mr_read_buffer(c, fmt, it->lb.p, it->lb.len);
    if (c->st.reports == reports0)
        c->st.files_rejected++; /* nothing usable in it */
    close_input(it);
}

/*
 * Next JSON line of the current input, bounded by max_report. Returns 1
 * with a line in *s and *n, 0 at the end of the input, 2 when a line was
 * skipped (too long; an error is queued), -1 on a read error (queued).
 */
static int next_line(mr_ingest *it, const char **s, size_t *n)
{
    mr_rctx *c = &it->c;
    size_t scanned = it->lpos;
    for (;;) {
        char *start = it->lb.p + it->lpos;
        char *nl = it->lb.len > scanned
                       ? memchr(it->lb.p + scanned, '\n', it->lb.len - scanned)
                       : NULL;
        if (nl || (it->eof && it->lpos < it->lb.len)) {
            *s = start;
            *n = nl ? (size_t)(nl - start) : it->lb.len - it->lpos;
            it->lpos = nl ? (size_t)(nl - it->lb.p) + 1 : it->lb.len;
            it->lineno++;
            if (*n > c->o.max_report) {
                mr_push_error(c, MARSAD_E_LIMIT, it->lineno,
                              "line of %zu bytes is longer than the limit of "
                              "%zu bytes (max report size); skipped",
                              *n, c->o.max_report);
                return 2;
            }
            return 1;
        }
        if (it->eof)
            return 0;
        if (it->lb.len - it->lpos > c->o.max_report) {
            /* too long: drop what we have and skip to the next newline */
            it->lineno++;
            uint64_t dropped = it->lb.len - it->lpos;
            for (;;) {
                mr_buf_clear(&it->lb);
                it->lpos = 0;
                long k = read_more(it, CHUNK);
                if (k < 0)
                    return -1;
                if (k == 0)
                    break;
                char *p = memchr(it->lb.p, '\n', it->lb.len);
                if (p) {
                    dropped += (uint64_t)(p - it->lb.p);
                    it->lpos = (size_t)(p - it->lb.p) + 1;
                    break;
                }
                dropped += (uint64_t)k;
            }
            mr_push_error(c, MARSAD_E_LIMIT, it->lineno,
                          "line of %llu bytes or more is longer than the "
                          "limit of %zu bytes (max report size); skipped",
                          (unsigned long long)dropped, c->o.max_report);
            return 2;
        }
        if (it->lpos > 0 && it->lpos >= it->lb.len / 2) {
            memmove(it->lb.p, it->lb.p + it->lpos, it->lb.len - it->lpos);
            it->lb.len -= it->lpos;
            it->lb.p[it->lb.len] = 0;
            it->lpos = 0;
        }
        scanned = it->lb.len;
        if (read_more(it, CHUNK) < 0)
            return -1;
    }
}

/* ------------------------------------------------------------ public */

marsad_status mr_ingest_open(const char *const *paths, size_t n,
                             const mr_ingest_opts *opts, mr_ingest **out)
{
    if (!out)
        return MARSAD_E_ARG;
    *out = NULL;
    if (!paths && n)
        return MARSAD_E_ARG;
    xmlInitParser(); /* idempotent; see the note on threads in ingest.h */
    mr_ingest *it = calloc(1, sizeof *it);
    if (!it)
        return MARSAD_E_NOMEM;
    marsad_status rc = mr_rctx_init(&it->c, opts);
    for (size_t i = n; rc == MARSAD_OK && i-- > 0;)
        rc = push_path(it, paths[i] ? paths[i] : "", 0);
    if (rc != MARSAD_OK) {
        mr_ingest_close(it);
        return rc;
    }
    *out = it;
    return MARSAD_OK;
}

static marsad_status pop_result(mr_rctx *c, mr_report *r, marsad_error *err)
{
    mr_result *res = &c->q[c->qhead++];
    marsad_status rc = res->rc;
    if (rc == MARSAD_OK) {
        *r = res->r;
        memset(&res->r, 0, sizeof res->r);
    } else if (err) {
        *err = res->e;
    }
    if (c->qhead == c->qlen)
        c->qhead = c->qlen = 0;
    return rc;
}

marsad_status mr_ingest_next(mr_ingest *it, mr_report *r, marsad_error *err)
{
    if (!it || !r)
        return MARSAD_E_ARG;
    memset(r, 0, sizeof *r);
    if (err)
        memset(err, 0, sizeof *err);
    mr_rctx *c = &it->c;
    for (;;) {
        if (c->qhead < c->qlen)
            return pop_result(c, r, err);
        if (c->fatal) {
            if (err) {
                err->code = c->fatal;
                snprintf(err->input, sizeof err->input, "%s",
                         it->name ? it->name : "");
                snprintf(err->message, sizeof err->message, "%s",
                         marsad_strerror(c->fatal));
            }
            return c->fatal;
        }
        if (it->jsonl) {
            const char *s;
            size_t n;
            int got = next_line(it, &s, &n);
            if (got == 1) {
                size_t j = 0;
                while (j < n && isspace((unsigned char)s[j]))
                    j++;
                if (j < n)
                    it->nonblank++;
                mr_read_jsonl_line(c, s, n, it->lineno);
            } else if (got <= 0) {
                if (got == 0 && it->nonblank == 0)
                    mr_push_error(c, MARSAD_E_INPUT, 0,
                                  "no JSON lines (white space only)");
                if (c->st.reports == it->reports0)
                    c->st.files_rejected++; /* nothing usable in it */
                close_input(it);
            }
            continue;
        }
        if (it->nstack == 0)
            return MR_INGEST_DONE;
        pathent pe = it->stack[--it->nstack];
        open_input(it, pe);
    }
}

mr_ingest_stats mr_ingest_stats_get(const mr_ingest *it)
{
    mr_ingest_stats z;
    memset(&z, 0, sizeof z);
    return it ? it->c.st : z;
}

void mr_ingest_close(mr_ingest *it)
{
    if (!it)
        return;
    close_input(it);
    mr_buf_free(&it->lb);
    for (size_t i = 0; i < it->nstack; i++)
        free(it->stack[i].path);
    free(it->stack);
    free(it->name);
    mr_rctx_free(&it->c);
    free(it);
}

/* ------------------------------------------------------------ buffers */

void mr_read_buffer(mr_rctx *c, mr_format fmt, const char *s, size_t len)
{
    switch (fmt) {
    case MR_FMT_JSONL: {
        size_t i = 0;
        unsigned long line = 0;
        while (i < len && !c->fatal) {
            const char *nl = memchr(s + i, '\n', len - i);
            size_t n = nl ? (size_t)(nl - (s + i)) : len - i;
            line++;
            if (n > c->o.max_report)
                mr_push_error(c, MARSAD_E_LIMIT, line,
                              "line of %zu bytes is longer than the limit of "
                              "%zu bytes (max report size); skipped",
                              n, c->o.max_report);
            else
                mr_read_jsonl_line(c, s + i, n, line);
            i += n + 1;
        }
        break;
    }
    case MR_FMT_HTML:
        mr_read_html(c, s, len);
        break;
    case MR_FMT_FEED:
        mr_read_feed(c, s, len);
        break;
    case MR_FMT_TREC:
        mr_read_trec(c, s, len);
        break;
    case MR_FMT_JSON:
        mr_read_json(c, s, len);
        break;
    case MR_FMT_TXT:
    case MR_FMT_AUTO:
    default:
        mr_read_txt(c, s, len);
        break;
    }
}

marsad_status mr_ingest_buffer(const char *buf, size_t len, mr_format fmt,
                               const char *name, const mr_ingest_opts *opts,
                               mr_report_fn fn, mr_ingest_err_fn err_fn,
                               void *ctx, mr_ingest_stats *stats)
{
    if ((!buf && len) || !fn)
        return MARSAD_E_ARG;
    if (!buf)
        buf = "";
    mr_rctx c;
    marsad_status rc = mr_rctx_init(&c, opts);
    if (rc != MARSAD_OK) {
        mr_rctx_free(&c);
        return rc;
    }
    c.name = name ? name : "(buffer)";
    c.st.files = 1;
    c.st.bytes = len;
    size_t i = 0;
    while (i < len && isspace((unsigned char)buf[i]))
        i++;
    if (fmt == MR_FMT_AUTO && opts)
        fmt = opts->format;
    if (fmt == MR_FMT_AUTO)
        fmt = mr_sniff(buf, len);
    const char *why = i == len ? (len ? "empty file (white space only)"
                                      : "empty file")
                               : mr_check_text(buf, len, fmt, &c.legacy);
    if (!why && len > 65536 && memchr(buf + 65536, 0, len - 65536) &&
        fmt != MR_FMT_JSONL)
        why = "binary file (NUL bytes)";
    if (why) {
        c.st.files_rejected++;
        mr_push_error(&c, MARSAD_E_INPUT, 0, "%s", why);
    } else if (len > c.o.max_report && fmt != MR_FMT_JSONL) {
        c.st.files_rejected++;
        mr_push_error(&c, MARSAD_E_LIMIT, 0,
                      "input is larger than the limit of %zu bytes",
                      c.o.max_report);
    } else {
        mr_read_buffer(&c, fmt, buf, len);
        if (c.st.reports == 0)
            c.st.files_rejected++;
    }
    int stop = 0;
    for (size_t k = c.qhead; k < c.qlen; k++) {
        mr_result *res = &c.q[k];
        if (res->rc == MARSAD_OK) {
            if (!stop)
                stop = fn(&res->r, ctx);
            mr_report_clear(&res->r);
        } else if (err_fn && !stop) {
            err_fn(&res->e, ctx);
        }
    }
    c.qhead = c.qlen = 0;
    rc = c.fatal;
    if (stats)
        *stats = c.st;
    mr_rctx_free(&c);
    return rc;
}
