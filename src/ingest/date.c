/*
 * date.c: dates as inputs write them, converted to ISO 8601.
 *
 * Handles ISO forms, "YYYY-MM-DD hh:mm:ss", RFC 822 (RSS pubDate), d/m/Y,
 * and Arabic datelines with Egyptian, Maghrebi, Algerian or Levantine month
 * names in any digits. The month list is ours; it is small and fixed, so it
 * lives here rather than in a lexicon (the facts layer has its own).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ingest/ingest.h"
#include "ingest/internal.h"

/* Month names, normalised (marsad_normalize flags 0: أ->ا, ة->ه, ى->ي). */
static const struct {
    const char *name;
    int month;
} arabic_months[] = {
    /* Egyptian / Gulf (transliterated) */
    {"يناير", 1}, {"فبراير", 2}, {"مارس", 3}, {"ابريل", 4}, {"مايو", 5},
    {"يونيو", 6}, {"يوليو", 7}, {"اغسطس", 8}, {"سبتمبر", 9},
    {"اكتوبر", 10}, {"نوفمبر", 11}, {"ديسمبر", 12},
    /* Maghrebi */
    {"ماي", 5}, {"يونيه", 6}, {"يوليوز", 7}, {"غشت", 8}, {"شتنبر", 9},
    {"نونبر", 11}, {"دجنبر", 12},
    /* Algerian / Tunisian */
    {"جانفي", 1}, {"فيفري", 2}, {"افريل", 4}, {"جوان", 6}, {"جويليه", 7},
    {"اوت", 8},
    /* Levantine / Iraqi (two-word names are matched with their second word) */
    {"شباط", 2}, {"اذار", 3}, {"نيسان", 4}, {"ايار", 5}, {"حزيران", 6},
    {"تموز", 7}, {"اب", 8}, {"ايلول", 9},
};

static const char *const latin_months[] = {"jan", "feb", "mar", "apr",
                                           "may", "jun", "jul", "aug",
                                           "sep", "oct", "nov", "dec"};

/* One word of a date, normalised. */
typedef struct dword {
    char norm[64];
    size_t len;
    int is_num;
    long num;
    size_t ndigits;
} dword;

static int arabic_month(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof arabic_months / sizeof arabic_months[0];
         i++)
        if (strlen(arabic_months[i].name) == n &&
            memcmp(arabic_months[i].name, w, n) == 0)
            return arabic_months[i].month;
    return 0;
}

static int latin_month(const char *w, size_t n)
{
    if (n < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (strncmp(w, latin_months[i], 3) == 0)
            return i + 1;
    return 0;
}

/* Splits s into words (letters/digits runs), normalised (digits ASCII). */
static size_t split_words(const char *s, size_t len, dword *w, size_t maxw)
{
    size_t n = 0, i = 0;
    while (i < len && n < maxw) {
        uint32_t cp;
        size_t k = marsad_utf8_decode(s + i, len - i, &cp);
        int wordch = (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
                     (cp >= 'A' && cp <= 'Z') || cp >= 0x0600;
        if (cp == 0x060C || cp == 0x061B || cp == 0x061F || cp == 0xFFFD ||
            (cp >= 0x2000 && cp <= 0x206F))
            wordch = 0; /* Arabic comma etc. and general punctuation */
        if (!wordch) {
            i += k;
            continue;
        }
        size_t st = i;
        while (i < len) {
            k = marsad_utf8_decode(s + i, len - i, &cp);
            int wc = (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
                     (cp >= 'A' && cp <= 'Z') || cp >= 0x0600;
            if (cp == 0x060C || cp == 0x061B || cp == 0x061F ||
                cp == 0xFFFD || (cp >= 0x2000 && cp <= 0x206F))
                wc = 0;
            if (!wc)
                break;
            i += k;
        }
        size_t need = marsad_normalize(s + st, i - st, w[n].norm,
                                       sizeof w[n].norm - 1, 0);
        if (need >= sizeof w[n].norm)
            need = 0; /* too long to be part of a date */
        w[n].norm[need] = 0;
        w[n].len = need;
        w[n].is_num = need > 0;
        w[n].num = 0;
        w[n].ndigits = need;
        for (size_t j = 0; j < need; j++) {
            if (!isdigit((unsigned char)w[n].norm[j]) || w[n].num > 99999) {
                w[n].is_num = 0;
                break;
            }
            w[n].num = w[n].num * 10 + (w[n].norm[j] - '0');
        }
        if (need)
            n++;
    }
    return n;
}

static int valid_ymd(long y, long m, long d)
{
    return y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int fmt_date(char *out, size_t cap, long y, long m, long d)
{
    if (!valid_ymd(y, m, d) || cap < 11)
        return 0;
    snprintf(out, cap, "%04ld-%02ld-%02ld", y, m, d);
    return 1;
}

/* Reads n digits at s; -1 when not all digits. */
static long digits(const char *s, size_t n)
{
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* ISO 8601 and "YYYY-MM-DD hh:mm:ss": s is ASCII-trimmed. */
static int iso_like(const char *s, size_t len, char *out, size_t cap)
{
    if (len < 10 || s[4] != '-' || s[7] != '-')
        return 0;
    long y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (!fmt_date(out, cap, y, m, d))
        return 0;
    if (len == 10)
        return 1;
    if ((s[10] != 'T' && s[10] != ' ') || len < 16 || s[13] != ':')
        return 1; /* the date part stands */
    long hh = digits(s + 11, 2), mm = digits(s + 14, 2), ss = 0;
    size_t i = 16;
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59)
        return 1;
    if (len >= 19 && s[16] == ':') {
        ss = digits(s + 17, 2);
        if (ss < 0 || ss > 60)
            return 1;
        i = 19;
        while (i < len && (s[i] == '.' || isdigit((unsigned char)s[i])))
            i++; /* fractions dropped */
    }
    char zone[8] = "";
    while (i < len && s[i] == ' ')
        i++;
    if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
        strcpy(zone, "Z");
    } else if (i + 3 <= len && (s[i] == '+' || s[i] == '-')) {
        long zh = digits(s + i + 1, 2), zm = 0;
        if (i + 6 <= len && s[i + 3] == ':')
            zm = digits(s + i + 4, 2);
        else if (i + 5 <= len)
            zm = digits(s + i + 3, 2);
        if (zh >= 0 && zh <= 14 && zm >= 0 && zm < 60)
            snprintf(zone, sizeof zone, "%c%02ld:%02ld", s[i], zh, zm);
    }
    if (cap < 32)
        return 1;
    snprintf(out + 10, cap - 10, "T%02ld:%02ld:%02ld%s", hh, mm, ss, zone);
    return 1;
}

/* RFC 822: "[Wkd,] DD Mon YYYY [hh:mm[:ss]] [zone]". */
static int rfc822(const char *s, size_t len, char *out, size_t cap)
{
    char buf[128];
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = 0;
    char *p = buf, *comma = strchr(buf, ',');
    if (comma)
        p = comma + 1;
    int d = 0, y = 0, hh = -1, mm = 0, ss = 0;
    char mon[16] = "", zone[16] = "";
    int k = sscanf(p, " %d %15s %d %d:%d:%d %15s", &d, mon, &y, &hh, &mm,
                   &ss, zone);
    if (k < 3)
        return 0;
    for (char *c = mon; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    int m = latin_month(mon, strlen(mon));
    if (y < 100)
        y += y < 70 ? 2000 : 1900;
    if (!m || !fmt_date(out, cap, y, m, d))
        return 0;
    if (k < 5 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || cap < 32)
        return 1;
    if (k < 6) /* "hh:mm zone": sscanf took the zone as seconds: retry */
        ss = 0;
    if (k == 6 && sscanf(p, " %*d %*s %*d %*d:%*d:%*d %15s", zone) != 1)
        zone[0] = 0;
    if (k == 5 && sscanf(p, " %*d %*s %*d %*d:%*d %15s", zone) != 1)
        zone[0] = 0; /* "hh:mm zone" */
    char z[8] = "";
    if (!strcmp(zone, "GMT") || !strcmp(zone, "UT") || !strcmp(zone, "UTC") ||
        !strcmp(zone, "Z"))
        strcpy(z, "Z");
    else if ((zone[0] == '+' || zone[0] == '-') && strlen(zone) == 5) {
        long zh = digits(zone + 1, 2), zm = digits(zone + 3, 2);
        if (zh >= 0 && zm >= 0)
            snprintf(z, sizeof z, "%c%02ld:%02ld", zone[0], zh, zm);
    }
    snprintf(out + 10, cap - 10, "T%02d:%02d:%02d%s", hh, mm, ss, z);
    return 1;
}

/*
 * Arabic or numeric day-month-year among words: "28 مارس 2024",
 * "28/03/2024", "كانون الثاني 5، 2019" is not handled (rare), "5 كانون
 * الثاني 2019" is (the second word of a two-word month is skipped).
 */
static int words_date(const dword *w, size_t n, char *out, size_t cap,
                      size_t *first, size_t *used)
{
    for (size_t i = 0; i + 2 < n + 1 && i < n; i++) {
        if (!w[i].is_num || w[i].num < 1 || w[i].num > 31 ||
            w[i].ndigits > 2)
            continue;
        size_t j = i + 1;
        if (j >= n)
            break;
        int m = 0;
        if (w[j].is_num && w[j].ndigits <= 2)
            m = (int)w[j].num;
        else if (!strcmp(w[j].norm, "كانون") || !strcmp(w[j].norm, "تشرين")) {
            if (j + 1 < n) {
                int second = !strcmp(w[j + 1].norm, "الثاني");
                int one = !strcmp(w[j + 1].norm, "الاول");
                if (!strcmp(w[j].norm, "كانون"))
                    m = second ? 1 : one ? 12 : 0;
                else
                    m = second ? 11 : one ? 10 : 0;
                if (m)
                    j++;
            }
        } else {
            m = arabic_month(w[j].norm, w[j].len);
            if (!m)
                m = latin_month(w[j].norm, w[j].len);
        }
        if (!m || j + 1 >= n || !w[j + 1].is_num || w[j + 1].ndigits != 4)
            continue;
        if (fmt_date(out, cap, w[j + 1].num, m, w[i].num)) {
            if (used)
                *used = j + 2 - i; /* words the date took */
            if (first)
                *first = i;
            return 1;
        }
    }
    return 0;
}

int mr_date_to_iso(const char *s, size_t len, char *out, size_t cap)
{
    if (!s || !out || cap < 11)
        return 0;
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (!len || len > 200)
        return 0;
    if (iso_like(s, len, out, cap))
        return 1;
    if (rfc822(s, len, out, cap))
        return 1;
    /* "2018/04/09" */
    if (len >= 10 && (s[4] == '/' || s[4] == '.') && s[7] == s[4]) {
        if (fmt_date(out, cap, digits(s, 4), digits(s + 5, 2),
                     digits(s + 8, 2)))
            return 1;
    }
    dword w[24];
    size_t n = split_words(s, len, w, 24);
    return words_date(w, n, out, cap, NULL, NULL);
}

/* Words a dateline may hold besides its date (normalised): weekdays,
 * times, Hijri dates, "آخر تحديث", "نشر في", "بتاريخ", "الموافق". */
static const char *const dateline_words[] = {
    "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت",
    "احد", "اثنين", "ثلاثاء", "اربعاء", "خميس", "جمعه", "سبت", "يوم",
    "ص", "م", "صباحا", "مساء", "مساءا", "ظهرا", "اخر", "تحديث", "نشر",
    "في", "بتاريخ", "تاريخ", "النشر", "الموافق", "موافق", "تم", "gmt",
    "utc", "am", "pm", "هـ", "ه", "محرم", "صفر", "ربيع", "الاول", "الثاني",
    "الاخر", "جمادي", "الاولي", "الاخره", "رجب", "شعبان", "رمضان", "شوال",
    "ذو", "ذي", "القعده", "الحجه", "بتوقيت", "مكه", "المكرمه", "غرينتش",
    "القاهره", "updated", "published", "on", "at", NULL};

static int dateline_word(const dword *w)
{
    if (w->is_num)
        return 1;
    for (int i = 0; dateline_words[i]; i++)
        if (!strcmp(w->norm, dateline_words[i]))
            return 1;
    return 0;
}

/*
 * A dateline: a short line that is a date and little else (a weekday, a
 * time, "آخر تحديث", a Hijri date). Any other word makes it a sentence or
 * a headline, not a dateline. Returns 1 and the ISO date when the line
 * qualifies.
 */
int mr_dateline(const char *s, size_t len, char out[32])
{
    if (len > 160)
        return 0;
    dword w[24];
    size_t n = split_words(s, len, w, 24);
    if (n < 3 || n > 16)
        return 0;
    size_t first = 0, used = 0;
    int ok = words_date(w, n, out, 32, &first, &used);
    if (!ok) {
        /* numeric forms: 28/03/2024, 2024-03-28 */
        for (size_t i = 0; i + 2 < n && !ok; i++) {
            if (!w[i].is_num || !w[i + 1].is_num || !w[i + 2].is_num)
                continue;
            if ((w[i].ndigits == 4 &&
                 fmt_date(out, 32, w[i].num, w[i + 1].num, w[i + 2].num)) ||
                (w[i + 2].ndigits == 4 &&
                 fmt_date(out, 32, w[i + 2].num, w[i + 1].num, w[i].num))) {
                ok = 1;
                first = i;
                used = 3;
            }
        }
    }
    if (!ok)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((i < first || i >= first + used) && !dateline_word(&w[i]))
            return 0;
    return 1;
}
