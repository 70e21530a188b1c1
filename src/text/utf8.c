/*
 * utf8.c: a validating UTF-8 decoder.
 *
 * Invalid input never stops marsad: each maximal invalid subpart (Unicode
 * 15, section 3.9, "U+FFFD substitution of maximal subparts") decodes to
 * U+FFFD and is counted, and byte offsets always refer to the original
 * bytes. Overlong forms, surrogates (U+D800-U+DFFF) and values above
 * U+10FFFF are invalid.
 */
#include "text/text.h"

/* Length of the sequence a lead byte announces, 0 for a non-lead. */
static int lead_length(uint8_t b)
{
    if (b < 0x80)
        return 1;
    if (b < 0xC2) /* continuation byte, or C0/C1 (always overlong) */
        return 0;
    if (b < 0xE0)
        return 2;
    if (b < 0xF0)
        return 3;
    if (b < 0xF5)
        return 4;
    return 0;
}

size_t marsad_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const uint8_t *p = (const uint8_t *)s;
    uint32_t dummy;
    if (!cp)
        cp = &dummy;
    if (!s || len == 0) {
        *cp = MARSAD_REPLACEMENT_CHAR;
        return 0;
    }
    uint8_t b0 = p[0];
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    int n = lead_length(b0);
    if (n == 0) {
        *cp = MARSAD_REPLACEMENT_CHAR;
        return 1;
    }
    /* Bounds of the second byte narrow for E0, ED, F0, F4 (no overlongs,
     * no surrogates, nothing past U+10FFFF). */
    uint8_t lo = 0x80, hi = 0xBF;
    if (b0 == 0xE0)
        lo = 0xA0;
    else if (b0 == 0xED)
        hi = 0x9F;
    else if (b0 == 0xF0)
        lo = 0x90;
    else if (b0 == 0xF4)
        hi = 0x8F;
    uint32_t c = b0 & (0x7Fu >> n);
    for (int i = 1; i < n; i++) {
        if ((size_t)i >= len) {
            *cp = MARSAD_REPLACEMENT_CHAR; /* truncated: consume what we saw */
            return (size_t)i;
        }
        uint8_t b = p[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) {
            *cp = MARSAD_REPLACEMENT_CHAR;
            return (size_t)i;
        }
        c = (c << 6) | (b & 0x3Fu);
    }
    *cp = c;
    return (size_t)n;
}

size_t mr_utf8_encode(uint32_t cp, char *out)
{
    uint8_t *o = (uint8_t *)out;
    if (cp < 0x80) {
        o[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (uint8_t)(0xC0 | (cp >> 6));
        o[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        cp = MARSAD_REPLACEMENT_CHAR;
    if (cp < 0x10000) {
        o[0] = (uint8_t)(0xE0 | (cp >> 12));
        o[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF) {
        return mr_utf8_encode(MARSAD_REPLACEMENT_CHAR, out);
    }
    o[0] = (uint8_t)(0xF0 | (cp >> 18));
    o[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

size_t marsad_utf8_count_invalid(const char *s, size_t len)
{
    size_t bad = 0, i = 0;
    if (!s)
        return 0;
    while (i < len) {
        if ((uint8_t)s[i] < 0x80) { /* ASCII fast path */
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = marsad_utf8_decode(s + i, len - i, &cp);
        /* a literal U+FFFD in the input is valid */
        if (mr_utf8_bad(s + i, n, cp))
            bad++;
        i += n;
    }
    return bad;
}

size_t marsad_utf8_repair(const char *s, size_t len, char *out, size_t cap,
                          size_t *invalid)
{
    size_t need = 0, bad = 0, i = 0;
    if (!s)
        len = 0;
    /* measure */
    while (i < len) {
        uint32_t cp;
        size_t n = marsad_utf8_decode(s + i, len - i, &cp);
        if (mr_utf8_bad(s + i, n, cp)) {
            bad++;
            need += 3;
        } else {
            need += n;
        }
        i += n;
    }
    if (invalid)
        *invalid = bad;
    if (!out || need > cap)
        return need;
    /* fill */
    size_t o = 0;
    i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = marsad_utf8_decode(s + i, len - i, &cp);
        if (mr_utf8_bad(s + i, n, cp)) {
            o += mr_utf8_encode(MARSAD_REPLACEMENT_CHAR, out + o);
        } else {
            for (size_t k = 0; k < n; k++)
                out[o + k] = s[i + k];
            o += n;
        }
        i += n;
    }
    return need;
}
