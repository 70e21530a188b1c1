/*
 * bidi.c: the terminal's guard against bidi controls. Report text reaches
 * a terminal through many commands (show, search, stories, story, facts,
 * reuse, error messages naming titles and files); a U+202E in it would
 * make the terminal show "20" as "02" or a URL ending in "evil" as "live".
 * Rather than every printf knowing this, the text output of a command goes
 * through a stream that writes each bidi control (mr_bidi_control) as the
 * visible "<U+202E>". JSON output is left byte-exact (its consumers need
 * the text as stored: spans are byte offsets into it), and so is the HTML
 * report (report_html.c shows the controls itself).
 */
#define _GNU_SOURCE /* fopencookie */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "text/text.h"

typedef struct guard {
    FILE *out;            /* the real stream */
    unsigned char hold[2]; /* the start of a sequence split between writes */
    size_t nhold;
} guard;

/* The controls are E2 80 AA..AE and E2 81 A6..A9. */
static int control_at(const unsigned char *p)
{
    return p[0] == 0xE2 && ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
                            (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9));
}

/* Writes b[0..n), holding back a possible control's first bytes at the
 * end until the next write. */
static void put(guard *g, const unsigned char *b, size_t n, int last)
{
    size_t i = 0, from = 0;
    while (i < n) {
        if (b[i] != 0xE2) {
            i++;
            continue;
        }
        if (i + 3 > n) {
            if (last)
                break;
            fwrite(b + from, 1, i - from, g->out);
            g->nhold = n - i;
            memcpy(g->hold, b + i, g->nhold);
            return;
        }
        if (control_at(b + i)) {
            fwrite(b + from, 1, i - from, g->out);
            uint32_t cp = b[1 + i] == 0x80 ? 0x2000u + (b[i + 2] - 0x80u)
                                           : 0x2040u + (b[i + 2] - 0x80u);
            fprintf(g->out, "<U+%04X>", (unsigned)cp);
            i += 3;
            from = i;
        } else
            i++;
    }
    fwrite(b + from, 1, n - from, g->out);
}

static ssize_t guard_write(void *c, const char *buf, size_t size)
{
    guard *g = c;
    unsigned char tmp[4096 + 2];
    size_t done = 0;
    while (done < size) {
        size_t k = g->nhold;
        memcpy(tmp, g->hold, k);
        g->nhold = 0;
        size_t take = size - done < 4096 ? size - done : 4096;
        memcpy(tmp + k, buf + done, take);
        put(g, tmp, k + take, 0);
        done += take;
    }
    /* this stream is the buffered one: a flush of it (serve printing its
     * address, a progress line) must reach the file now */
    fflush(g->out);
    return (ssize_t)size;
}

static int guard_close(void *c)
{
    guard *g = c;
    if (g->nhold)
        put(g, g->hold, g->nhold, 1);
    g->nhold = 0;
    return fflush(g->out);
}

static guard g_out, g_err;

/* Replaces *stream by a guarded stream over it. */
static void guard_stream(FILE **stream, guard *g, int mode)
{
    cookie_io_functions_t io = {NULL, guard_write, NULL, guard_close};
    FILE *f = fopencookie(g, "w", io);
    if (!f)
        return; /* unguarded rather than no output */
    g->out = *stream;
    setvbuf(f, NULL, mode, BUFSIZ);
    *stream = f;
}

void cli_bidi_guard(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--json") == 0)
            return;
    }
    if (argc > 1 && strcmp(argv[1], "report") == 0)
        return;
    guard_stream(&stdout, &g_out, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF);
    guard_stream(&stderr, &g_err, _IONBF);
}

void cli_bidi_unguard(void)
{
    if (g_out.out) {
        FILE *f = stdout;
        stdout = g_out.out;
        fclose(f);
        g_out.out = NULL;
    }
    if (g_err.out) {
        FILE *f = stderr;
        stderr = g_err.out;
        fclose(f);
        g_err.out = NULL;
    }
}
