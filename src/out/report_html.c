/*
 * report_html.c: the self-contained HTML report (marsad report).
 *
 * One file, right to left, Arabic, with inline CSS and no script or
 * external resource, so it opens anywhere and can be mailed as is. Every
 * string that comes from a report or a lexicon goes through
 * mr_html_escape; ids in anchors are reduced to [A-Za-z0-9_-].
 *
 * Anchors: a report is #r-ID; its sentence starting at byte B is #r-ID-B.
 * Each claim value, timeline item, summary sentence and passage links to
 * the sentence that holds it, where the figures are marked.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "out/story_out.h"
#include "text/text.h"

void mr_html_escape(FILE *f, const char *s, size_t len)
{
    size_t i = 0;
    while (s && i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            switch (c) {
            case '&': fputs("&amp;", f); break;
            case '<': fputs("&lt;", f); break;
            case '>': fputs("&gt;", f); break;
            case '"': fputs("&quot;", f); break;
            case '\'': fputs("&#39;", f); break;
            default:
                if (c >= 0x20 || c == '\n' || c == '\t')
                    fputc(c, f);
            }
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = marsad_utf8_decode(s + i, len - i, &cp);
        if (mr_utf8_bad(s + i, n, cp) || (cp >= 0x80 && cp < 0xA0))
            fputs(cp >= 0x80 && cp < 0xA0 ? "" : "\xEF\xBF\xBD", f);
        else if (mr_bidi_control(cp)) /* shown, not obeyed */
            fprintf(f, "&lt;U+%04X&gt;", (unsigned)cp);
        else
            fwrite(s + i, 1, n, f);
        i += n;
    }
}

static void esc(FILE *f, const char *s)
{
    if (s)
        mr_html_escape(f, s, strlen(s));
}

/* A piece of report text, isolated (<bdi>): whatever its direction, it
 * cannot reorder what is around it, nor be reordered by it. Bidi controls
 * inside it are shown, not obeyed (mr_html_escape). */
static void put_text(FILE *f, const char *s, size_t len)
{
    fputs("<bdi>", f);
    mr_html_escape(f, s, len);
    fputs("</bdi>", f);
}

static void put_str(FILE *f, const char *s)
{
    put_text(f, s ? s : "", s ? strlen(s) : 0);
}

/* An id made safe for an attribute and a fragment. */
static void put_id(FILE *f, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '_')
            fputc(c, f);
        else {
            fputc('_', f);
            fputc(hex[c >> 4], f);
            fputc(hex[c & 15], f);
        }
    }
}

/* ------------------------------------------------------------- labels */

/* What to call a report: its outlet, else its file's name. */
static const char *outlet_of(const mr_report *r)
{
    if (r->outlet && *r->outlet)
        return r->outlet;
    if (r->file && *r->file) {
        const char *b = strrchr(r->file, '/');
        return b ? b + 1 : r->file;
    }
    return "?";
}

/* The outlet isolated from the text around it, so a Latin file name keeps
 * its order inside Arabic. */
static void put_outlet(FILE *f, const mr_report *r)
{
    fputs("<bdi>", f);
    esc(f, outlet_of(r));
    fputs("</bdi>", f);
}

/* ----------------------------------------------------------- pieces */

static const char css[] =
    "*{box-sizing:border-box}"
    "body{font-family:'Noto Naskh Arabic','Amiri','DejaVu Sans',Tahoma,"
    "sans-serif;margin:0;background:#f6f5f1;color:#1d1d1b;line-height:1.7}"
    "header.top{background:#20333f;color:#fff;padding:1rem 2rem}"
    "header.top h1{margin:0;font-size:1.6rem}"
    "header.top p{margin:.2rem 0 0;opacity:.85}"
    "main{max-width:1200px;margin:0 auto;padding:1rem 2rem}"
    "nav.toc ol{padding-inline-start:1.2rem}"
    "section.story{background:#fff;border:1px solid #ddd8cc;"
    "border-radius:6px;padding:1rem 1.5rem;margin:1.5rem 0}"
    "section.story>h2{margin-top:0;color:#20333f}"
    ".meta{color:#666;font-size:.9rem}"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0}"
    "th,td{border:1px solid #ddd8cc;padding:.35rem .5rem;vertical-align:top;"
    "text-align:start}"
    "th{background:#efece4}"
    "tr.conflict td{background:#fde4e1}"
    "tr.conflict td.verdict{color:#a1120b;font-weight:bold}"
    "tr.range td.verdict{color:#8a5a00}"
    "tr.agree td.verdict{color:#1c6b2e}"
    "tr.update td.verdict{color:#14558f}"
    "td.verdict small{display:block;color:#555;font-weight:normal}"
    "ul.values li.repeat{opacity:.6}"
    ".latest{color:#14558f;font-weight:bold}"
    "ul.values{list-style:none;margin:0;padding:0}"
    "ul.values li{margin:.1rem 0}"
    ".num{direction:ltr;unicode-bidi:isolate;white-space:nowrap}"
    "bdi,.s,mark,.src{unicode-bidi:isolate}"
    ".src{color:#555;font-size:.9rem}"
    "ol.timeline{padding-inline-start:1.2rem}"
    "ol.timeline time{font-weight:bold;margin-inline-end:.5rem}"
    "blockquote{margin:.3rem 0;padding:.2rem .8rem;border-inline-start:4px "
    "solid #b8ad92;background:#faf8f3}"
    ".pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin:.5rem 0}"
    ".pair>div{background:#f4f1e8;padding:.5rem;border-radius:4px}"
    "details.report{border-top:1px solid #eee;padding:.4rem 0}"
    "details.report summary{cursor:pointer;font-weight:bold}"
    ".body{white-space:pre-wrap}"
    ".body .s:target{background:#fff3b0;outline:2px solid #e0b400}"
    "mark{background:#e3efff;padding:0 .1rem}"
    "a{color:#14558f}"
    "footer{color:#777;font-size:.85rem;text-align:center;padding:1rem}";

static void put_range(FILE *f, const mr_claim *c)
{
    char a[48], b[48];
    if (c->range_min_open)
        snprintf(a, sizeof a, "?");
    else
        snprintf(a, sizeof a, "%g", c->range_min);
    if (c->range_max_open)
        snprintf(b, sizeof b, "∞");
    else
        snprintf(b, sizeof b, "%g", c->range_max);
    fprintf(f, "<bdi dir=\"ltr\" class=\"num\">%s – %s</bdi>", a, b);
}

static void sentence_link(FILE *f, const mr_story_view *v, size_t doc,
                          mr_span s)
{
    fputs("<a href=\"#r-", f);
    put_id(f, v->docs[doc].report->id);
    fprintf(f, "-%u\">", s.start);
}

static void claims_table(FILE *f, const mr_story_view *v)
{
    const mr_synth *s = v->synth;
    if (!s || s->claims.n == 0) {
        fputs("<p class=\"meta\">لا أرقام في تقارير هذه القصة.</p>\n", f);
        return;
    }
    fputs("<table class=\"claims\"><thead><tr><th>الحدث</th><th>الفئة</th>"
          "<th>الجهة</th><th>القيم بحسب المصادر</th><th>المدى</th>"
          "<th>الحكم</th></tr></thead><tbody>\n",
          f);
    for (size_t i = 0; i < s->claims.n; i++) {
        const mr_claim *c = &s->claims.v[i];
        fprintf(f, "<tr class=\"%s\"><td>", mr_verdict_name(c->verdict));
        esc(f, mr_label_event(c->event));
        fputs("</td><td>", f);
        esc(f, mr_label_category(c->category));
        fputs("</td><td>", f);
        put_str(f, *c->side ? c->side : "—");
        fputs("<br>", f);
        esc(f, mr_label_scope(c->scope));
        if (c->part)
            esc(f, " (جزء من حصيلة)");
        if (c->attacker)
            esc(f, " (بمن فيهم المهاجم)");
        if (*c->period) {
            fputs(" <span class=\"num\">", f);
            esc(f, c->period);
            fputs("</span>", f);
        }
        if (c->place && *c->place) {
            fputs("<br>", f);
            put_str(f, c->place);
        }
        /* the values in report-time order: the toll's course; each
         * source's latest value marked */
        size_t *latest = malloc((c->n ? c->n : 1) * sizeof *latest);
        size_t nl = latest ? mr_claim_latest(c, latest) : 0, li = 0;
        fputs("</td><td><ul class=\"values\">", f);
        for (size_t k = 0; k < c->n; k++) {
            const mr_claim_value *x = &c->values[k];
            const mr_report *r = v->docs[x->doc].report;
            bool last = li < nl && latest[li] == k;
            li += last;
            fputs(x->repeat ? "<li class=\"repeat\">" : "<li>", f);
            sentence_link(f, v, x->doc, x->sentence);
            uint32_t e = x->end <= r->text_len ? x->end : (uint32_t)r->text_len;
            uint32_t b = x->start <= e ? x->start : e;
            put_text(f, r->text + b, e - b);
            fputs("</a> <span class=\"src\">— ", f);
            put_str(f, *x->source ? x->source : outlet_of(r));
            if (r->outlet && strcmp(r->outlet, x->source) != 0) {
                fputs(" (", f);
                put_str(f, r->outlet);
                fputs(")", f);
            }
            if (*x->published) {
                fputs(" <span class=\"num\">", f);
                mr_html_escape(f, x->published,
                               strlen(x->published) > 10 ? 10
                                                         : strlen(x->published));
                fputs("</span>", f);
            }
            if (x->repeat)
                esc(f, " · مكرر في التقرير نفسه");
            fputs("</span>", f);
            if (last && nl > 1)
                fputs(" <span class=\"latest\">◀ آخر قيمة للمصدر</span>", f);
            fputs("</li>", f);
        }
        free(latest);
        fputs("</ul></td><td>", f);
        put_range(f, c);
        fputs("</td><td class=\"verdict\">", f);
        esc(f, mr_label_verdict(mr_verdict_name(c->verdict)));
        fputs(" <span class=\"num\">(", f);
        esc(f, mr_verdict_name(c->verdict));
        fputs(")</span><small>", f);
        esc(f, c->reason);
        fputs("</small></td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void timeline(FILE *f, const mr_story_view *v)
{
    const mr_synth *s = v->synth;
    if (!s || s->timeline.n == 0)
        return;
    fputs("<h3>التسلسل الزمني</h3>\n<ol class=\"timeline\">\n", f);
    for (size_t i = 0; i < s->timeline.n; i++) {
        const mr_timeline_item *t = &s->timeline.v[i];
        const mr_report *r = v->docs[t->doc].report;
        fputs("<li><time class=\"num\">", f);
        esc(f, t->value);
        fputs("</time>", f);
        sentence_link(f, v, t->doc, t->sentence);
        put_text(f, r->text + t->sentence.start,
                 t->sentence.end - t->sentence.start);
        fputs("</a> <span class=\"src\">— ", f);
        put_outlet(f, r);
        fputs("</span></li>\n", f);
    }
    fputs("</ol>\n", f);
}

static void summary(FILE *f, const mr_story_view *v)
{
    const mr_synth *s = v->synth;
    if (!s || s->summary.n == 0)
        return;
    fputs("<h3>الملخص</h3>\n", f);
    for (size_t i = 0; i < s->summary.n; i++) {
        const mr_summary_item *t = &s->summary.v[i];
        const mr_report *r = v->docs[t->doc].report;
        fputs("<blockquote>", f);
        put_text(f, r->text + t->sentence.start,
                 t->sentence.end - t->sentence.start);
        fputs(" <span class=\"src\">— ", f);
        sentence_link(f, v, t->doc, t->sentence);
        put_str(f, *t->outlet ? t->outlet : outlet_of(r));
        fputs("</a></span></blockquote>\n", f);
    }
}

static void passages(FILE *f, const mr_story_view *v)
{
    if (v->npassages == 0)
        return;
    fputs("<h3>فقرات مشتركة بين التقارير</h3>\n", f);
    for (size_t i = 0; i < v->npassages; i++) {
        const mr_story_passage *p = &v->passages[i];
        if (p->a >= v->ndocs || p->b >= v->ndocs)
            continue;
        fputs("<div class=\"pair\">", f);
        for (int side = 0; side < 2; side++) {
            size_t d = side ? p->b : p->a;
            const mr_report *r = v->docs[d].report;
            uint32_t a = side ? p->b_start : p->a_start;
            uint32_t b = side ? p->b_end : p->a_end;
            if (b > r->text_len)
                b = (uint32_t)r->text_len;
            if (a > b)
                a = b;
            mr_span s = mr_sentence_at(r->text, r->text_len, a);
            fputs("<div><div class=\"src\">", f);
            sentence_link(f, v, d, s);
            put_outlet(f, r);
            fputs("</a></div>", f);
            put_text(f, r->text + a, b - a);
            fputs("</div>", f);
        }
        fputs("</div>\n", f);
    }
}

/* A report's text, sentence by sentence (each an anchor), its figures
 * marked. Figures come sorted by start from the facts layer; overlapping
 * ones are skipped. */
typedef struct body_ctx {
    FILE *f;
    const mr_report *r;
    const mr_facts *facts;
    size_t at;  /* bytes written so far */
    size_t fig; /* next figure */
} body_ctx;

static int body_sentence(mr_span s, void *ctx)
{
    body_ctx *b = ctx;
    FILE *f = b->f;
    const char *t = b->r->text;
    mr_html_escape(f, t + b->at, s.start - b->at);
    fputs("<span class=\"s\" id=\"r-", f);
    put_id(f, b->r->id);
    fprintf(f, "-%u\">", s.start);
    size_t at = s.start;
    while (b->fig < b->facts->figures.n) {
        const mr_figure *g = &b->facts->figures.v[b->fig];
        if (g->start < at) { /* overlaps what was written: skip */
            b->fig++;
            continue;
        }
        if (g->start >= s.end || g->end > s.end || g->end <= g->start)
            break;
        mr_html_escape(f, t + at, g->start - at);
        fputs("<mark>", f);
        mr_html_escape(f, t + g->start, g->end - g->start);
        fputs("</mark>", f);
        at = g->end;
        b->fig++;
    }
    mr_html_escape(f, t + at, s.end - at);
    fputs("</span>", f);
    b->at = s.end;
    return 0;
}

static void report_body(FILE *f, const mr_report *r, const mr_facts *facts)
{
    body_ctx b = {f, r, facts, 0, 0};
    mr_sentences(r->text, r->text_len, body_sentence, &b);
    mr_html_escape(f, r->text + b.at, r->text_len - b.at);
}

static void reports(FILE *f, const mr_story_view *v)
{
    fputs("<h3>التقارير</h3>\n", f);
    for (size_t d = 0; d < v->ndocs; d++) {
        const mr_report *r = v->docs[d].report;
        fputs("<details class=\"report\" open id=\"r-", f);
        put_id(f, r->id);
        fputs("\"><summary>", f);
        put_outlet(f, r);
        fputs(": ", f);
        put_str(f, r->title);
        fputs("</summary><p class=\"meta\">", f);
        if (r->published) {
            fputs("<span class=\"num\">", f);
            esc(f, r->published);
            fputs("</span> · ", f);
        }
        if (r->url) {
            /* shown, not linked: the report has no external resource */
            fputs("<span class=\"num\">", f);
            esc(f, r->url);
            fputs("</span> · ", f);
        }
        fputs("<span class=\"num\">", f);
        esc(f, r->id);
        fputs("</span></p><div class=\"body\">", f);
        report_body(f, r, v->docs[d].facts);
        fputs("</div></details>\n", f);
    }
}

marsad_status mr_report_html(FILE *f, const mr_story_view *stories, size_t n,
                             const char *heading)
{
    if (!f || (!stories && n))
        return MARSAD_E_ARG;
    size_t nrep = 0, nconf = 0;
    for (size_t i = 0; i < n; i++) {
        nrep += stories[i].ndocs;
        for (size_t k = 0; stories[i].synth && k < stories[i].synth->claims.n;
             k++)
            nconf += stories[i].synth->claims.v[k].verdict ==
                     MR_VERDICT_CONFLICT;
    }
    fputs("<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">\n<head>\n"
          "<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
          "'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>",
          f);
    esc(f, heading ? heading : "مرصد");
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
    fputs("<header class=\"top\"><h1>", f);
    esc(f, heading ? heading : "مرصد");
    fputs("</h1><p>", f);
    mr_label_count(f, n, MR_NOUN_STORY);
    fputs(" · ", f);
    mr_label_count(f, nrep, MR_NOUN_REPORT);
    fputs(" · ", f);
    mr_label_count(f, nconf, MR_NOUN_CONFLICT);
    fprintf(f, " · marsad %s</p></header>\n<main>\n", marsad_version());
    fputs("<nav class=\"toc\"><h2>القصص</h2><ol>\n", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "<li><a href=\"#s-");
        put_id(f, stories[i].id ? stories[i].id : "");
        fputs("\">", f);
        put_str(f, mr_story_view_title(&stories[i]));
        fprintf(f, "</a> <span class=\"meta\">(%zu)</span></li>\n",
                stories[i].ndocs);
    }
    fputs("</ol></nav>\n", f);
    for (size_t i = 0; i < n; i++) {
        const mr_story_view *v = &stories[i];
        fputs("<section class=\"story\" id=\"s-", f);
        put_id(f, v->id ? v->id : "");
        fputs("\"><h2>", f);
        put_str(f, mr_story_view_title(v));
        fputs("</h2>\n<p class=\"meta\">", f);
        fprintf(f, "%zu تقارير · ", v->ndocs);
        fputs("<span class=\"num\">", f);
        esc(f, v->first_seen ? v->first_seen : "?");
        fputs(" → ", f);
        esc(f, v->last_seen ? v->last_seen : "?");
        fputs("</span> · ", f);
        for (size_t d = 0; d < v->ndocs; d++) {
            const mr_report *r = v->docs[d].report;
            if (d)
                fputs("، ", f);
            fputs("<a href=\"#r-", f);
            put_id(f, r->id);
            fputs("\">", f);
            put_outlet(f, r);
            fputs("</a>", f);
        }
        fputs("</p>\n<h3>الأرقام ومصادرها</h3>\n", f);
        claims_table(f, v);
        summary(f, v);
        timeline(f, v);
        passages(f, v);
        reports(f, v);
        fputs("</section>\n", f);
    }
    fputs("</main>\n<footer>أنشئ بواسطة marsad (مرصد). كل رقم مرتبط "
          "بالجملة التي ورد فيها.</footer>\n</body>\n</html>\n",
          f);
    return ferror(f) ? MARSAD_E_IO : MARSAD_OK;
}
