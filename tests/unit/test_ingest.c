/*
 * test_ingest.c: the ingest iterator, the plain text and JSON Lines
 * readers, ids, dates and bad inputs, on real files written to a scratch
 * directory and on ../shared (seeds, ANT and SaudiNewsNet shards).
 */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "ingest/ingest.h"

static char scratch[1024];

static int setup_dir(void **state)
{
    (void)state;
    const char *base = getenv("MARSAD_TMP");
    snprintf(scratch, sizeof scratch, "%s/ingest-XXXXXX", base ? base : "/tmp");
    return mkdtemp(scratch) ? 0 : -1;
}

static int remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[2048];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            remove_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    return rmdir(dir);
}

static int teardown_dir(void **state)
{
    (void)state;
    remove_tree(scratch);
    return 0;
}

static const char *path_in(const char *name)
{
    static char p[4][2048];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", scratch, name);
    return p[k];
}

static const char *write_file(const char *name, const char *data, size_t n)
{
    const char *p = path_in(name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    return p;
}

static const char *write_str(const char *name, const char *s)
{
    return write_file(name, s, strlen(s));
}

/* Everything an iterator gives, gathered. */
typedef struct got {
    mr_report r[64];
    size_t nr;
    marsad_error e[64];
    marsad_status erc[64];
    size_t ne;
    mr_ingest_stats st;
} got;

static void run(const char *const *paths, size_t n, const mr_ingest_opts *o,
                got *g)
{
    memset(g, 0, sizeof *g);
    mr_ingest *it = NULL;
    assert_int_equal(mr_ingest_open(paths, n, o, &it), MARSAD_OK);
    mr_report r;
    marsad_error e;
    marsad_status rc;
    int guard = 0;
    while ((rc = mr_ingest_next(it, &r, &e)) != MR_INGEST_DONE) {
        assert_true(++guard < 100000);
        assert_int_not_equal(rc, MARSAD_E_NOMEM);
        if (rc == MARSAD_OK) {
            if (g->nr < 64)
                g->r[g->nr++] = r;
            else
                mr_report_clear(&r);
        } else if (g->ne < 64) {
            g->erc[g->ne] = rc;
            g->e[g->ne++] = e;
        }
    }
    g->st = mr_ingest_stats_get(it);
    mr_ingest_close(it);
}

static void got_free(got *g)
{
    for (size_t i = 0; i < g->nr; i++)
        mr_report_clear(&g->r[i]);
}

static void run1(const char *path, const mr_ingest_opts *o, got *g)
{
    run(&path, 1, o, g);
}

/* ------------------------------------------------------------ seeds */

static char seed_path[1024];

static const char *seed(const char *prefix)
{
    const char *sh = tu_shared_dir();
    assert_non_null(sh);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/seeds", sh);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    seed_path[0] = 0;
    while ((e = readdir(d)))
        if (!strncmp(e->d_name, prefix, strlen(prefix)))
            snprintf(seed_path, sizeof seed_path, "%s/%s", dir, e->d_name);
    closedir(d);
    assert_true(seed_path[0]);
    return seed_path;
}

static void seeds_titles_dateline_credit(void **state)
{
    (void)state;
    got g;
    /* 000: the first line is the title; the text is the file */
    const char *p = seed("000_");
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 1);
    size_t flen;
    char *file = tu_read_file(p, &flen);
    assert_non_null(file);
    assert_int_equal(g.r[0].text_len, flen);
    assert_memory_equal(g.r[0].text, file, flen);
    const char *nl = strchr(file, '\n');
    assert_non_null(nl);
    assert_int_equal(strlen(g.r[0].title), (size_t)(nl - file));
    assert_memory_equal(g.r[0].title, file, (size_t)(nl - file));
    assert_null(g.r[0].published);
    assert_string_equal(g.r[0].lang, "ar");
    assert_int_equal(strlen(g.r[0].id), 16);
    free(file);
    got_free(&g);

    /* 002: credit line at the end gives the outlet */
    run1(seed("002_"), NULL, &g);
    assert_int_equal(g.nr, 1);
    assert_non_null(g.r[0].outlet);
    assert_string_equal(g.r[0].outlet, "مصراوي");
    assert_string_equal(g.r[0].title, "أيام داعش الأخيرة في صور");
    got_free(&g);

    /* 004: dateline on top, then a section label, then the title */
    run1(seed("004_"), NULL, &g);
    assert_int_equal(g.nr, 1);
    assert_non_null(g.r[0].published);
    assert_string_equal(g.r[0].published, "2024-03-28");
    assert_int_equal(g.r[0].published_origin, MR_PUB_DATELINE);
    assert_non_null(strstr(g.r[0].title, "وزير الخارجية الأمريكي"));
    assert_null(g.r[0].outlet);
    got_free(&g);
}

static void seeds_folder_sorted(void **state)
{
    (void)state;
    const char *sh = tu_shared_dir();
    assert_non_null(sh);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/seeds", sh);
    got g;
    run1(dir, NULL, &g);
    assert_int_equal(g.nr, 5);
    assert_int_equal(g.ne, 0);
    assert_int_equal(g.st.files, 5);
    for (size_t i = 1; i < g.nr; i++)
        assert_true(strcmp(g.r[i - 1].file, g.r[i].file) < 0);
    /* ids differ across the five */
    for (size_t i = 0; i < g.nr; i++)
        for (size_t j = i + 1; j < g.nr; j++)
            assert_string_not_equal(g.r[i].id, g.r[j].id);
    got_free(&g);
}

/* ------------------------------------------------------------ plain text */

static void txt_dateline_forms(void **state)
{
    (void)state;
    static const struct {
        const char *first, *iso;
    } cases[] = {
        {"الأحد ٥ ماي ٢٠١٩", "2019-05-05"},          /* Maghrebi, Arabic digits */
        {"الثلاثاء 12 جوان 2018", "2018-06-12"},     /* Algerian */
        {"السبت 3 كانون الثاني 2015", "2015-01-03"}, /* Levantine, two words */
        {"الخميس 14 تموز 2016 - 10:30", "2016-07-14"},
        {"28/03/2024", "2024-03-28"},
        {"آخر تحديث: الخميس 28 مارس 2024 - 10:30 ص", "2024-03-28"},
        {"الجمعة 17 رمضان 1445 هـ الموافق 29 مارس 2024", "2024-03-29"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[512];
        snprintf(body, sizeof body,
                 "%s\nعنوان الخبر هنا في سطر\nنص الخبر يبدأ هنا.\n",
                 cases[i].first);
        const char *p = write_str("d.txt", body);
        got g;
        run1(p, NULL, &g);
        assert_int_equal(g.nr, 1);
        assert_non_null(g.r[0].published);
        assert_string_equal(g.r[0].published, cases[i].iso);
        assert_int_equal(g.r[0].published_origin, MR_PUB_DATELINE);
        assert_string_equal(g.r[0].title, "عنوان الخبر هنا في سطر");
        got_free(&g);
    }
    /* a headline that holds a date is the title, not a dateline */
    {
        const char *hp = write_str("h.txt", "الانتخابات الرئاسية في 28 مارس 2024\n"
                                            "يتوجه الناخبون إلى الصناديق.\n");
        got hg;
        run1(hp, NULL, &hg);
        assert_int_equal(hg.nr, 1);
        assert_null(hg.r[0].published);
        assert_string_equal(hg.r[0].title, "الانتخابات الرئاسية في 28 مارس 2024");
        got_free(&hg);
    }
    /* a sentence that holds a date is no dateline */
    const char *p = write_str(
        "s.txt", "أعلنت الوزارة في بيان صدر يوم 4 فبراير 2022 عن خطة "
                 "جديدة للنقل العام في المدن الكبرى\nثم تابعت.\n");
    got g;
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 1);
    assert_null(g.r[0].published);
    got_free(&g);
}

static void txt_credit_glued_and_inline(void **state)
{
    (void)state;
    const char *p = write_str(
        "c.txt", "عنوان\nنص أول.المصدر: وكالة الأنباء  تابعونا على الشبكات\n");
    got g;
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 1);
    assert_non_null(g.r[0].outlet);
    assert_string_equal(g.r[0].outlet, "وكالة الأنباء");
    got_free(&g);
    p = write_str("c3.txt", "عنوان\nنص.\nالمصدر : مصراوي - القاهرة\n");
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 1);
    assert_string_equal(g.r[0].outlet, "مصراوي");
    got_free(&g);
    /* "المصدر" inside a sentence is not a credit */
    p = write_str("c2.txt", "عنوان\nقال المصدر: إن الوضع هادئ\n");
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 1);
    assert_null(g.r[0].outlet);
    got_free(&g);
}

/* ------------------------------------------------------------ JSON Lines */

static void jsonl_fields_and_errors(void **state)
{
    (void)state;
    const char *p = write_str(
        "a.jsonl",
        "{\"id\":\"x1\",\"source\":\"BBC\",\"date\":\"2018-04-09\","
        "\"title\":\"عنوان أول\",\"text\":\"نص أول\",\"url\":\"http://e.x/1\"}\n"
        "\n"
        "{\"id\":\"x2\",\"title\":\"مقطوع\",\"text\":\"نص\n"
        "[1,2]\n"
        "{\"id\":3} garbage\n"
        "{\"id\":4,\"title\":\"ثان\",\"text\":\"ب\xff\xfe\",\"published\":"
        "\"Mon, 09 Apr 2018 10:00:00 +0300\",\"lang\":\"fr\"}\n"
        "{\"id\":5}\n"
        "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
        "[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
        "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n"
        "{\"id\":\"last\",\"title\":\"أخير\",\"text\":\"نص أخير\"}");
    got g;
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 3);
    assert_string_equal(g.r[0].source_id, "x1");
    assert_string_equal(g.r[0].outlet, "BBC");
    assert_string_equal(g.r[0].published, "2018-04-09");
    assert_int_equal(g.r[0].published_origin, MR_PUB_METADATA);
    assert_string_equal(g.r[0].url, "http://e.x/1");
    assert_int_equal(g.r[0].line, 1);
    assert_string_equal(g.r[1].source_id, "4");
    assert_string_equal(g.r[1].published, "2018-04-09T10:00:00+03:00");
    assert_string_equal(g.r[1].lang, "fr");
    assert_int_equal(g.r[1].invalid_utf8, 2);
    assert_string_equal(g.r[1].text, "ب\xef\xbf\xbd\xef\xbf\xbd");
    assert_int_equal(g.r[2].line, 9);
    /* errors, each with its line: truncated 3, garbage... */
    assert_int_equal(g.ne, 5);
    assert_int_equal(g.e[0].line, 3);
    assert_non_null(strstr(g.e[0].message, "truncated"));
    assert_string_equal(g.e[0].input, p);
    assert_int_equal(g.e[1].line, 4);
    assert_non_null(strstr(g.e[1].message, "not a JSON object"));
    assert_int_equal(g.e[2].line, 5);
    assert_non_null(strstr(g.e[2].message, "trailing"));
    assert_int_equal(g.e[3].line, 7);
    assert_non_null(strstr(g.e[3].message, "no text"));
    assert_int_equal(g.e[4].line, 8);
    assert_int_equal(g.erc[4], MARSAD_E_LIMIT);
    assert_non_null(strstr(g.e[4].message, "deeper"));
    assert_int_equal(g.st.reports, 3);
    assert_int_equal(g.st.rejected, 5);
    assert_int_equal(g.st.invalid_utf8, 2);
    got_free(&g);
}

static void jsonl_custom_fields(void **state)
{
    (void)state;
    const char *p = write_str(
        "b.ndjson", "{\"uid\":\"k\",\"site\":{\"name\":\"الجزيرة\"},"
                    "\"headline\":\"ع\",\"body\":\"ن\",\"when\":\"2020-01-02\"}\n");
    mr_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.f_id = "uid";
    o.f_published = "when";
    o.lang = "ar-EG";
    got g;
    run1(p, &o, &g);
    assert_int_equal(g.nr, 1);
    assert_string_equal(g.r[0].source_id, "k");
    assert_string_equal(g.r[0].outlet, "الجزيرة");
    assert_string_equal(g.r[0].title, "ع");
    assert_string_equal(g.r[0].text, "ن");
    assert_string_equal(g.r[0].published, "2020-01-02");
    assert_string_equal(g.r[0].lang, "ar-EG");
    got_free(&g);
}

static void json_array_documents(void **state)
{
    (void)state;
    const char *p = write_str(
        "arr.json", "[{\"id\":\"a\",\"source\":\"okaz\",\"title\":\"أول\","
                    "\"content\":\"نص أول\",\"date\":\"2015-07-21 10:00:00\"},\n"
                    " 7,\n {\"id\":\"b\"},\n {\"id\":\"c\",\"title\":\"ثالث\"}]\n");
    got g;
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 2);
    assert_string_equal(g.r[0].source_id, "a");
    assert_string_equal(g.r[0].outlet, "okaz");
    assert_string_equal(g.r[0].text, "نص أول");
    assert_string_equal(g.r[0].published, "2015-07-21T10:00:00");
    assert_string_equal(g.r[1].title, "ثالث");
    assert_int_equal(g.ne, 2);
    assert_non_null(strstr(g.e[0].message, "element 2"));
    assert_non_null(strstr(g.e[1].message, "element 3"));
    got_free(&g);
    /* a truncated array is one clear error */
    p = write_str("cut.json", "[{\"title\":\"أ\"},{\"title\":\"ب");
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 0);
    assert_int_equal(g.ne, 1);
    assert_non_null(strstr(g.e[0].message, "truncated"));
    /* text that opens with a bracket is still text */
    p = write_str("br.txt", "[فيديو] عنوان الخبر\nنص.\n");
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 1);
    assert_string_equal(g.r[0].title, "[فيديو] عنوان الخبر");
    got_free(&g);
}

static void jsonl_gzip_and_long_lines(void **state)
{
    (void)state;
    /* a 100 MB line between two good ones, gzip'd: skipped with a limit
     * message, memory bounded by the limit */
    const char *p = path_in("big.jsonl.gz");
    gzFile z = gzopen(p, "wb1");
    assert_non_null(z);
    gzputs(z, "{\"title\":\"قبل\",\"text\":\"أ\"}\n{\"text\":\"");
    static char chunk[1 << 16];
    memset(chunk, 'a', sizeof chunk);
    for (int i = 0; i < 1600; i++) /* 100 MiB */
        assert_int_equal(gzwrite(z, chunk, sizeof chunk), (int)sizeof chunk);
    gzputs(z, "\"}\n{\"title\":\"بعد\",\"text\":\"ب\"}\n");
    gzclose(z);
    got g;
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 2);
    assert_string_equal(g.r[0].title, "قبل");
    assert_string_equal(g.r[1].title, "بعد");
    assert_int_equal(g.r[1].line, 3);
    assert_int_equal(g.ne, 1);
    assert_int_equal(g.erc[0], MARSAD_E_LIMIT);
    assert_int_equal(g.e[0].line, 2);
    assert_non_null(strstr(g.e[0].message, "limit"));
    assert_true(g.st.bytes > (uint64_t)100 << 20);
    got_free(&g);

    /* a smaller limit set by the caller */
    mr_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.max_report = 64;
    p = write_str("l.jsonl", "{\"title\":\"a\",\"text\":\"xxxxxxxxxxxxxxxxxxxxxxx"
                             "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n"
                             "{\"title\":\"b\"}\n");
    run1(p, &o, &g);
    assert_int_equal(g.nr, 1);
    assert_string_equal(g.r[0].title, "b");
    assert_int_equal(g.ne, 1);
    assert_int_equal(g.e[0].line, 1);
    got_free(&g);

    /* truncated gzip: the lines before the cut come out, then an error */
    const char *full = path_in("t.jsonl.gz");
    z = gzopen(full, "wb");
    for (int i = 0; i < 200; i++)
        gzprintf(z, "{\"title\":\"t%d\",\"text\":\"نص رقم %d من الملف\"}\n", i, i);
    gzclose(z);
    size_t zn = 0;
    char *zb = tu_read_file(full, &zn);
    assert_non_null(zb);
    p = write_file("cut.jsonl.gz", zb, zn - 12);
    free(zb);
    run1(p, NULL, &g);
    assert_true(g.nr < 200);
    assert_true(g.ne >= 1);
    assert_non_null(strstr(g.e[g.ne - 1].message, "gzip"));
    got_free(&g);
}

/* ------------------------------------------------------------ bad inputs */

static void bad_inputs_named_and_skipped(void **state)
{
    (void)state;
    mkdir(path_in("bad"), 0755);
    write_file("bad/a-binary.txt", "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0", 16);
    write_str("bad/b-empty.txt", "");
    write_str("bad/c-blank.txt", " \n\t\n");
    write_str("bad/d-good.txt", "عنوان جيد\nنص جيد.\n");
    write_str("bad/e-notes.md", "not read from a folder\n");
    write_str("bad/f-repair.txt", "عنوان\nنص \xc3 ثم\xe2\x82 نهاية.\n");
    mkdir(path_in("bad/sub"), 0755);
    write_str("bad/sub/g.jsonl", "{\"title\":\"في مجلد فرعي\"}\n");
    const char *paths[] = {path_in("bad"), path_in("missing.txt")};
    got g;
    run(paths, 2, NULL, &g);
    assert_int_equal(g.nr, 3);
    assert_string_equal(g.r[0].title, "عنوان جيد");
    assert_string_equal(g.r[1].title, "عنوان");
    assert_int_equal(g.r[1].invalid_utf8, 2);
    assert_int_equal(marsad_utf8_count_invalid(g.r[1].text, g.r[1].text_len), 0);
    assert_string_equal(g.r[2].title, "في مجلد فرعي");
    assert_int_equal(g.ne, 4);
    assert_non_null(strstr(g.e[0].input, "a-binary.txt"));
    assert_non_null(strstr(g.e[0].message, "binary"));
    assert_non_null(strstr(g.e[1].input, "b-empty.txt"));
    assert_non_null(strstr(g.e[1].message, "empty"));
    assert_non_null(strstr(g.e[2].input, "c-blank.txt"));
    assert_non_null(strstr(g.e[2].message, "empty"));
    assert_non_null(strstr(g.e[3].input, "missing.txt"));
    assert_int_equal(g.erc[3], MARSAD_E_IO);
    assert_int_equal(g.st.files, 6); /* the .md is not opened */
    assert_int_equal(g.st.files_skipped, 1);
    assert_int_equal(g.st.files_rejected, 4);
    got_free(&g);
}

static void more_bad_inputs(void **state)
{
    (void)state;
    got g;
    /* UTF-16 gets its own message */
    const char *p = write_file("u16.txt", "\xff\xfe\x27\x06\x44\x06", 6);
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 0);
    assert_int_equal(g.ne, 1);
    assert_non_null(strstr(g.e[0].message, "UTF-16"));
    /* a NUL far past the first bytes still makes a binary file */
    size_t n = 200000;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'a', n);
    big[150000] = 0;
    p = write_file("late-nul.txt", big, n);
    free(big);
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 0);
    assert_int_equal(g.ne, 1);
    assert_non_null(strstr(g.e[0].message, "binary"));
    /* text that starts with "<<" is text, not markup */
    p = write_str("angle.txt", "<<عنوان بين قوسين>>\nنص.\n");
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 1);
    assert_string_equal(g.r[0].title, "<<عنوان بين قوسين>>");
    got_free(&g);
    /* a JSON \u0000 does not cut the text */
    p = write_str("nul.jsonl", "{\"title\":\"ع\",\"text\":\"قبل\\u0000بعد\"}\n");
    run1(p, NULL, &g);
    assert_int_equal(g.nr, 1);
    assert_int_equal(g.r[0].text_len, strlen(g.r[0].text));
    assert_string_equal(g.r[0].text, "قبل بعد");
    got_free(&g);
    /* inputs that give nothing count as rejected whole */
    const char *nothing[] = {
        write_str("allbad.jsonl", "{\"a\":\n[1]\n"),
        write_str("ent.rss", "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY e "
                             "\"x\">]><rss><channel><title>&e;</title></channel>"
                             "</rss>\n"),
        write_str("some.jsonl", "{\"title\":\"جيد\"}\n{\"a\":\n")};
    run(nothing, 3, NULL, &g);
    assert_int_equal(g.nr, 1);
    assert_int_equal(g.ne, 4);
    assert_int_equal(g.st.files, 3);
    assert_int_equal(g.st.files_rejected, 2);
    got_free(&g);
    /* a file larger than the limit is refused whole */
    mr_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.max_report = 100;
    p = write_str("long.txt", "عنوان\nنص طويل طويل طويل طويل طويل طويل طويل طويل "
                              "طويل طويل طويل طويل طويل طويل.\n");
    run1(p, &o, &g);
    assert_int_equal(g.nr, 0);
    assert_int_equal(g.ne, 1);
    assert_int_equal(g.erc[0], MARSAD_E_LIMIT);
    assert_int_equal(g.st.files_rejected, 1);
}

static void stdin_is_sniffed(void **state)
{
    (void)state;
    const char *p = write_str("in.data", "{\"title\":\"من الدخل\",\"text\":\"س\"}\n"
                                         "{\"title\":\"ثان\",\"text\":\"ص\"}\n");
    int saved = dup(0);
    assert_non_null(freopen(p, "rb", stdin));
    const char *dash = "-";
    got g;
    run1(dash, NULL, &g);
    dup2(saved, 0);
    close(saved);
    assert_int_equal(g.nr, 2);
    assert_string_equal(g.r[0].file, "-");
    assert_string_equal(g.r[1].title, "ثان");
    got_free(&g);
}

static void null_arguments(void **state)
{
    (void)state;
    mr_ingest *it = (mr_ingest *)1;
    assert_int_equal(mr_ingest_open(NULL, 1, NULL, &it), MARSAD_E_ARG);
    assert_null(it);
    assert_int_equal(mr_ingest_open(NULL, 0, NULL, NULL), MARSAD_E_ARG);
    mr_report r;
    assert_int_equal(mr_ingest_next(NULL, &r, NULL), MARSAD_E_ARG);
    mr_ingest_close(NULL);
    mr_report_clear(NULL);
    assert_int_equal(mr_ingest_open(NULL, 0, NULL, &it), MARSAD_OK);
    assert_int_equal(mr_ingest_next(it, &r, NULL), MR_INGEST_DONE);
    mr_ingest_close(it);
}

/* ------------------------------------------------------------ ids, dates */

static void ids_are_stable(void **state)
{
    (void)state;
    char a[17], b[17], c[17];
    mr_report_make_id("BBC", "http://www.bbc.co.uk/arabic/world-1", "x", 1, a);
    mr_report_make_id("bbc", "https://bbc.co.uk/arabic/world-1/#top", "y", 1, b);
    assert_string_equal(a, b);
    mr_report_make_id("BBC", "http://www.bbc.co.uk/arabic/world-2", "x", 1, c);
    assert_string_not_equal(a, c);
    /* no url: the normalised text decides */
    const char *t1 = "قُتِلَ  أكثر من ٢٠ شخصاً\n";
    const char *t2 = "قتل اكثر من 20 شخصا";
    mr_report_make_id("A", NULL, t1, strlen(t1), a);
    mr_report_make_id("B", "", t2, strlen(t2), b);
    assert_string_equal(a, b);
    mr_report_make_id(NULL, NULL, "قتل 21", strlen("قتل 21"), c);
    assert_string_not_equal(a, c);
    mr_text_hash(t1, strlen(t1), c);
    assert_string_equal(a, c);
    assert_int_equal(strlen(a), 16);
}

static void dates_to_iso(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } ok[] = {
        {"2018-04-09", "2018-04-09"},
        {"2015-07-21 02:51:32", "2015-07-21T02:51:32"},
        {"2018-04-09T10:00:00Z", "2018-04-09T10:00:00Z"},
        {"2018-04-09T10:00:00.123+0200", "2018-04-09T10:00:00+02:00"},
        {"Sun, 08 Apr 2018 18:22:50 +0400", "2018-04-08T18:22:50+04:00"},
        {"Sun, 01 Apr 2018 05:58:14 GMT", "2018-04-01T05:58:14Z"},
        {"8 Apr 2018", "2018-04-08"},
        {"Tue, 10 Apr 2018 11:57 +0200", "2018-04-10T11:57:00+02:00"},
        {"2018/04/09", "2018-04-09"},
        {"الخميس 28 مارس 2024", "2024-03-28"},
        {"٢٣ شتنبر ٢٠١٩", "2019-09-23"},
        {"1 تشرين الأول 2017", "2017-10-01"},
        {"15 أغسطس 2015", "2015-08-15"},
    };
    char out[32];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(mr_date_to_iso(ok[i].in, strlen(ok[i].in), out, sizeof out), 1);
        assert_string_equal(out, ok[i].out);
    }
    static const char *bad[] = {"", "yesterday", "2018-13-01", "32 مارس 2019",
                                "مارس", "Mon, 99 Foo 2018"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(mr_date_to_iso(bad[i], strlen(bad[i]), out, sizeof out), 0);
}

/* ------------------------------------------------------------ corpora */

static size_t count_lines(const char *path)
{
    gzFile z = gzopen(path, "rb");
    assert_non_null(z);
    static char buf[1 << 16];
    size_t n = 0;
    int k;
    while ((k = gzread(z, buf, sizeof buf)) > 0)
        for (int i = 0; i < k; i++)
            n += buf[i] == '\n';
    gzclose(z);
    return n;
}

static void ant_shards_line_counts(void **state)
{
    (void)state;
    const char *sh = tu_shared_dir();
    assert_non_null(sh);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/corpus/ant-multisource/jsonl", sh);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t files = 0, lines = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 6, ".jsonl"))
            continue;
        char p[2048];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        lines += count_lines(p);
        files++;
    }
    closedir(d);
    assert_true(files > 0);
    mr_ingest *it;
    const char *pp = dir;
    assert_int_equal(mr_ingest_open(&pp, 1, NULL, &it), MARSAD_OK);
    mr_report r;
    marsad_status rc;
    size_t reports = 0, with_meta = 0;
    while ((rc = mr_ingest_next(it, &r, NULL)) != MR_INGEST_DONE) {
        assert_int_equal(rc, MARSAD_OK);
        reports++;
        with_meta += r.source_id && r.outlet && r.url && r.published &&
                     r.title && r.published_origin == MR_PUB_METADATA;
        mr_report_clear(&r);
    }
    mr_ingest_stats st = mr_ingest_stats_get(it);
    mr_ingest_close(it);
    assert_int_equal(reports, lines);
    assert_int_equal(with_meta, lines);
    assert_int_equal(st.files, files);
    assert_int_equal(st.rejected, 0);
}

static void saudinewsnet_gz_shard(void **state)
{
    (void)state;
    const char *sh = tu_shared_dir();
    assert_non_null(sh);
    char p[1024];
    snprintf(p, sizeof p, "%s/corpus/saudinewsnet/jsonl/2015-07-22.jsonl.gz", sh);
    size_t lines = count_lines(p);
    mr_ingest *it;
    const char *pp = p;
    assert_int_equal(mr_ingest_open(&pp, 1, NULL, &it), MARSAD_OK);
    mr_report r;
    marsad_error err;
    marsad_status rc;
    size_t reports = 0, rejected = 0, dated = 0;
    while ((rc = mr_ingest_next(it, &r, &err)) != MR_INGEST_DONE) {
        if (rc == MARSAD_OK) {
            reports++;
            dated += r.published && strlen(r.published) == 19;
            mr_report_clear(&r);
        } else {
            rejected++; /* records with neither title nor text */
            assert_non_null(strstr(err.message, "no text"));
            assert_true(err.line > 0);
        }
    }
    mr_ingest_close(it);
    assert_int_equal(reports + rejected, lines);
    assert_true(rejected < lines / 100);
    assert_int_equal(dated, reports);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seeds_titles_dateline_credit),
        cmocka_unit_test(seeds_folder_sorted),
        cmocka_unit_test(txt_dateline_forms),
        cmocka_unit_test(txt_credit_glued_and_inline),
        cmocka_unit_test(jsonl_fields_and_errors),
        cmocka_unit_test(jsonl_custom_fields),
        cmocka_unit_test(json_array_documents),
        cmocka_unit_test(jsonl_gzip_and_long_lines),
        cmocka_unit_test(bad_inputs_named_and_skipped),
        cmocka_unit_test(more_bad_inputs),
        cmocka_unit_test(stdin_is_sniffed),
        cmocka_unit_test(null_arguments),
        cmocka_unit_test(ids_are_stable),
        cmocka_unit_test(dates_to_iso),
        cmocka_unit_test(ant_shards_line_counts),
        cmocka_unit_test(saudinewsnet_gz_shard),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
