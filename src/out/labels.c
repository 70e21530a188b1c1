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

void mr_label_reports(FILE *f, size_t n)
{
    if (n == 1)
        fputs("تقرير واحد", f);
    else if (n == 2)
        fputs("تقريران", f);
    else if (n % 100 >= 3 && n % 100 <= 10)
        fprintf(f, "%zu تقارير", n);
    else
        fprintf(f, "%zu تقريرا", n);
}
