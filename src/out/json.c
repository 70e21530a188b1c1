/*
 * json.c: streaming JSON writer.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "out/json.h"
#include "text/text.h"

void mr_json_str(FILE *f, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    fputc('"', f);
    size_t i = 0, run = 0; /* bytes [run, i) go out as they are, at once */
    while (s && i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\') {
                i++;
                continue;
            }
            fwrite(s + run, 1, i - run, f);
            switch (c) {
            case '"':
                fputs("\\\"", f);
                break;
            case '\\':
                fputs("\\\\", f);
                break;
            case '\n':
                fputs("\\n", f);
                break;
            case '\r':
                fputs("\\r", f);
                break;
            case '\t':
                fputs("\\t", f);
                break;
            default:
                fputs("\\u00", f);
                fputc(hex[c >> 4], f);
                fputc(hex[c & 15], f);
            }
            run = ++i;
            continue;
        }
        uint32_t cp;
        size_t n = marsad_utf8_decode(s + i, len - i, &cp);
        if (cp == 0x2028 || cp == 0x2029) {
            fwrite(s + run, 1, i - run, f);
            fprintf(f, "\\u%04x", (unsigned)cp);
            run = i + n;
        } else if (mr_utf8_bad(s + i, n, cp)) { /* incl. truncated 4-byte */
            fwrite(s + run, 1, i - run, f);
            fputs("\xEF\xBF\xBD", f);
            run = i + n;
        }
        i += n;
    }
    if (s)
        fwrite(s + run, 1, i - run, f);
    fputc('"', f);
}

void mr_json_cstr(FILE *f, const char *s)
{
    if (!s)
        fputs("null", f);
    else
        mr_json_str(f, s, strlen(s));
}

void mr_json_num(FILE *f, double v)
{
    if (!isfinite(v))
        fputs("null", f);
    else if (v == floor(v) && fabs(v) < 9.007199254740992e15)
        fprintf(f, "%.0f", v);
    else {
        /* the shortest form that reads back as v: 7.27, not
         * 7.2700000000000005 */
        char b[40];
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(b, sizeof b, "%.*g", prec, v);
            if (strtod(b, NULL) == v)
                break;
        }
        fputs(b, f);
    }
}

void mr_json_key(FILE *f, const char *key, int first)
{
    if (!first)
        fputc(',', f);
    mr_json_cstr(f, key);
    fputc(':', f);
}
