/*
 * labels.c: the Arabic words a reader sees for the keys of the JSON
 * contract (events, categories, verdicts, scopes), shared by the HTML
 * report and the terminal views. The keys themselves stay English in JSON:
 * they are the contract, not text for a reader.
 */
#include <string.h>

#include "out/story_out.h"

static const char *const event_ar[][2] = {
    {"arrested", "اعتقال"},    {"besieged", "محاصرون"},
    {"captured", "أسر"},       {"casualties", "قتلى وجرحى"},
    {"displaced", "نزوح"},     {"evacuated", "إجلاء"},
    {"executed", "إعدام"},     {"fled", "فرار"},
    {"injured", "جرحى"},       {"joined", "انضمام"},
    {"kidnapped", "خطف"},      {"killed", "قتلى"},
    {"left", "مغادرة"},        {"member_of", "عضوية"},
    {"released", "إفراج"},     {"returned", "عودة"},
    {"transferred", "نقل"},    {"other", "أخرى"}};

static const char *const category_ar[][2] = {
    {"children", "أطفال"},   {"civilians", "مدنيون"}, {"countries", "دول"},
    {"distance", "مسافة"},   {"doctors", "أطباء"},    {"families", "أسر"},
    {"fighters", "مقاتلون"}, {"journalists", "صحفيون"}, {"medics", "مسعفون"},
    {"members", "عناصر"},    {"money", "مال"},        {"percent", "نسبة"},
    {"persons", "أشخاص"},    {"police", "شرطة"},      {"soldiers", "جنود"},
    {"women", "نساء"},       {"other", "أخرى"}};

static const char *const verdict_ar[][2] = {
    {"agree", "متفق"},         {"range", "تفاوت مقبول"},
    {"conflict", "تعارض"},     {"update", "تحديث للحصيلة"},
    {"single", "مصدر واحد"}};

static const char *find(const char *const (*tab)[2], size_t n, const char *k)
{
    if (!k)
        return "";
    for (size_t i = 0; i < n; i++)
        if (strcmp(tab[i][0], k) == 0)
            return tab[i][1];
    return k;
}

#define FIND(tab, k) find(tab, sizeof tab / sizeof tab[0], k)

const char *mr_label_event(const char *key) { return FIND(event_ar, key); }

const char *mr_label_category(const char *key)
{
    return FIND(category_ar, key);
}

const char *mr_label_verdict(const char *key) { return FIND(verdict_ar, key); }

const char *mr_label_scope(mr_scope sc)
{
    switch (sc) {
    case MR_SCOPE_DAY: return "حصيلة يوم";
    case MR_SCOPE_CUMULATIVE: return "حصيلة تراكمية";
    case MR_SCOPE_BACKGROUND: return "حصيلة سابقة";
    default: return "حادثة";
    }
}

/* Per noun: one, two, the plural (3-10, and after لا), the accusative
 * singular (11-99), the genitive singular (after 100, 1000 ...: 100 تقرير). */
static const char *const noun_ar[][5] = {
    [MR_NOUN_REPORT] = {"تقرير واحد", "تقريران", "تقارير", "تقريرا", "تقرير"},
    [MR_NOUN_STORY] = {"قصة واحدة", "قصتان", "قصص", "قصة", "قصة"},
    [MR_NOUN_FIGURE] = {"رقم واحد", "رقمان", "أرقام", "رقما", "رقم"},
    [MR_NOUN_CONFLICT] = {"رقم متعارض واحد", "رقمان متعارضان",
                          "أرقام متعارضة", "رقما متعارضا", "رقم متعارض"}};

void mr_label_count(FILE *f, size_t n, mr_noun noun)
{
    const char *const *w = noun_ar[noun];
    size_t tail = n % 100;
    if (n == 0)
        fprintf(f, "لا %s", w[2]);
    else if (n == 1)
        fputs(w[0], f);
    else if (n == 2)
        fputs(w[1], f);
    else if (tail >= 3 && tail <= 10)
        fprintf(f, "%zu %s", n, w[2]);
    else if (tail <= 2) /* 100, 101, 1000: مئة تقرير */
        fprintf(f, "%zu %s", n, w[4]);
    else
        fprintf(f, "%zu %s", n, w[3]);
}

void mr_label_reports(FILE *f, size_t n)
{
    mr_label_count(f, n, MR_NOUN_REPORT);
}
