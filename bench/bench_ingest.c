/*
 * bench_ingest.c: speed of the ingest readers over real corpora (a
 * benchmark, not a test; run by `make bench` through bench/run.sh).
 *
 * Usage: bench_ingest SHARED_DIR
 *
 * Runs the ingest iterator (read, gunzip, parse, repair, ids) over
 *   ant-jsonl   SHARED/corpus/ant-multisource/jsonl (45 files, 64 MB)
 *   snn-jsonl.gz SHARED/corpus/saudinewsnet/jsonl (18 gzip'd files)
 *   ant-xml     SHARED/corpus/ant-multisource/original_xml_sample_* (TREC)
 * and, in memory, the HTML extractor and the feed reader over pages and a
 * feed built from the ANT texts (so the same words go through libxml2).
 * Prints reports, rejected, MB (bytes read, after gunzip), reports/s and
 * MB/s on process CPU time (best of REPS), and the peak resident memory.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ingest/ingest.h"
#include "text/buf.h"

#define REPS 3

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void line(const char *name, size_t reports, size_t rejected,
                 double mb, double secs)
{
    printf("  %-14s %7zu reports %4zu rejected %8.1f MB %9.0f reports/s "
           "%7.1f MB/s\n",
           name, reports, rejected, mb, secs > 0 ? (double)reports / secs : 0,
           secs > 0 ? mb / secs : 0);
}

static void run_path(const char *name, const char *path)
{
    double best = 1e30;
    mr_ingest_stats st;
    memset(&st, 0, sizeof st);
    for (int rep = 0; rep < REPS; rep++) {
        mr_ingest *it;
        if (mr_ingest_open(&path, 1, NULL, &it) != MARSAD_OK)
            return;
        double t0 = now();
        mr_report r;
        marsad_status rc;
        while ((rc = mr_ingest_next(it, &r, NULL)) != MR_INGEST_DONE) {
            if (rc == MARSAD_OK)
                mr_report_clear(&r);
            else if (rc == MARSAD_E_NOMEM)
                break;
        }
        double t = now() - t0;
        if (t < best)
            best = t;
        st = mr_ingest_stats_get(it);
        mr_ingest_close(it);
    }
    line(name, st.reports, st.rejected, (double)st.bytes / 1e6, best);
}

static int count(mr_report *r, void *ctx)
{
    (void)r;
    ++*(size_t *)ctx;
    return 0;
}

/* Pages and one feed built from the ANT texts of one shard. */
static void run_markup(const char *shared)
{
    char p[2048];
    snprintf(p, sizeof p, "%s/corpus/ant-multisource/jsonl/BBC_2018-04.jsonl",
             shared);
    const char *pp = p;
    mr_ingest *it;
    if (mr_ingest_open(&pp, 1, NULL, &it) != MARSAD_OK)
        return;
    mr_buf page = MR_BUF_INIT, feed = MR_BUF_INIT;
    size_t npages = 0;
    size_t *starts = NULL;
    mr_buf pages = MR_BUF_INIT;
    mr_buf_adds(&feed, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
                       "<title>bench</title>");
    mr_report r;
    marsad_status rc;
    while ((rc = mr_ingest_next(it, &r, NULL)) != MR_INGEST_DONE) {
        if (rc != MARSAD_OK)
            continue;
        mr_buf_clear(&page);
        mr_buf_printf(&page,
                      "<!DOCTYPE html><html lang=\"ar\"><head><meta "
                      "property=\"og:title\" content=\"%s\"><title>t</title>"
                      "</head><body><nav><a href=\"/\">الرئيسية</a></nav>"
                      "<article><h1>%s</h1><p>",
                      r.title ? r.title : "", r.title ? r.title : "");
        for (size_t i = 0; i < r.text_len; i++) {
            char ch = r.text[i];
            if (ch == '\n')
                mr_buf_adds(&page, "</p><p>");
            else if (ch == '<')
                mr_buf_adds(&page, "&lt;");
            else if (ch == '&')
                mr_buf_adds(&page, "&amp;");
            else
                mr_buf_addc(&page, ch);
        }
        mr_buf_adds(&page, "</p></article><footer>حقوق</footer></body></html>");
        size_t *ns = realloc(starts, (npages + 2) * sizeof *ns);
        if (!ns)
            break;
        starts = ns;
        starts[npages++] = pages.len;
        mr_buf_add(&pages, page.p, page.len);
        mr_buf_adds(&feed, "<item><title>t</title><description><![CDATA[");
        mr_buf_add(&feed, page.p, page.len);
        mr_buf_adds(&feed, "]]></description></item>");
        mr_report_clear(&r);
    }
    mr_ingest_close(it);
    mr_buf_adds(&feed, "</channel></rss>");
    if (!starts) {
        mr_buf_free(&page);
        mr_buf_free(&pages);
        mr_buf_free(&feed);
        return;
    }
    starts[npages] = pages.len;
    double best = 1e30;
    size_t n = 0;
    for (int rep = 0; rep < REPS; rep++) {
        n = 0;
        double t0 = now();
        for (size_t i = 0; i < npages; i++)
            mr_ingest_buffer(pages.p + starts[i], starts[i + 1] - starts[i],
                             MR_FMT_HTML, "page", NULL, count, NULL, &n, NULL);
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    line("html pages", n, npages - n, (double)pages.len / 1e6, best);
    best = 1e30;
    for (int rep = 0; rep < REPS; rep++) {
        n = 0;
        double t0 = now();
        mr_ingest_buffer(feed.p, feed.len, MR_FMT_FEED, "feed", NULL, count,
                         NULL, &n, NULL);
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    line("rss feed", n, npages - n, (double)feed.len / 1e6, best);
    free(starts);
    mr_buf_free(&page);
    mr_buf_free(&pages);
    mr_buf_free(&feed);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_ingest SHARED_DIR\n");
        return 2;
    }
    const char *sh = argv[1];
    char p[2048];
    printf("ingest readers (process CPU time, best of %d):\n", REPS);
    snprintf(p, sizeof p, "%s/corpus/ant-multisource/jsonl", sh);
    run_path("ant-jsonl", p);
    snprintf(p, sizeof p, "%s/corpus/saudinewsnet/jsonl", sh);
    run_path("snn-jsonl.gz", p);
    snprintf(p, sizeof p,
             "%s/corpus/ant-multisource/original_xml_sample_douma_2018-04-07_to_10",
             sh);
    run_path("ant-xml", p);
    run_markup(sh);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("  peak resident memory %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    return 0;
}
