/*
 * normalize.c: Arabic normalisation for matching.
 *
 * Only compared and indexed forms go through here; what a person sees is
 * always the original text. Each rule is listed in include/marsad.h
 * (marsad_normalize) and exemplified in tests/spec/normalize.md.
 *
 * Hand-written rather than utf8proc: the rules are Arabic-specific
 * (hamza-carrier folding, taa marbuta, digit sets) and touch a few hundred
 * code points; a switch over the Arabic block plus an ASCII fast path keeps
 * the kernel allocation-free.
 */
#include "text/text.h"

bool mr_is_arabic_letter(uint32_t cp)
{
    return (cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x066E && cp <= 0x06D3) ||
           cp == 0x06D5 || (cp >= 0x06EE && cp <= 0x06EF) ||
           (cp >= 0x06FA && cp <= 0x06FC) || cp == 0x06FF ||
           (cp >= 0x0750 && cp <= 0x077F) || (cp >= 0x08A0 && cp <= 0x08C9) ||
           (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFC);
}

/* Marks removed by default: harakat, tanween, shadda, sukun, superscript
 * alef, Quranic annotation signs, tatweel. */
static bool is_arabic_mark(uint32_t cp)
{
    return (cp >= 0x0610 && cp <= 0x061A) || (cp >= 0x064B && cp <= 0x065F) ||
           cp == 0x0670 || (cp >= 0x06D6 && cp <= 0x06DC) ||
           (cp >= 0x06DF && cp <= 0x06E8) || (cp >= 0x06EA && cp <= 0x06ED) ||
           (cp >= 0x08CA && cp <= 0x08FF) || cp == 0x0640;
}

static bool is_invisible(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xFEFF || cp == 0x061C || cp == 0x00AD;
}

#include "presentation.inc"

/* Base letters of a presentation form, or 0 parts when it has none. */
static int presentation_parts(uint32_t cp, const uint16_t **parts)
{
    size_t lo = 0, hi = MR_PRES_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (mr_pres[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < MR_PRES_COUNT && mr_pres[lo].cp == cp) {
        *parts = mr_pres_parts + mr_pres[lo].off;
        return mr_pres[lo].len;
    }
    return 0;
}

int mr_norm_cp(uint32_t cp, unsigned flags, uint32_t out[MR_NORM_MAX_OUT])
{
    if (cp < 0x80) {
        if (!(flags & MARSAD_NORM_KEEP_CASE) && cp >= 'A' && cp <= 'Z')
            cp += 32;
        out[0] = cp;
        return 1;
    }
    if (is_invisible(cp))
        return 0;
    if (is_arabic_mark(cp)) {
        if ((flags & MARSAD_NORM_KEEP_DIACRITICS) && cp != 0x0640) {
            out[0] = cp;
            return 1;
        }
        return 0;
    }
    /* presentation forms fold to base letters, each then folded again
     * (the parts are never presentation forms themselves) */
    if ((cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFE)) {
        const uint16_t *parts;
        int n = presentation_parts(cp, &parts);
        if (n == 0) {
            out[0] = cp; /* unassigned or noncharacter: keep */
            return 1;
        }
        int k = 0;
        for (int i = 0; i < n; i++)
            k += mr_norm_cp(parts[i], flags, out + k);
        return k;
    }
    bool keep_hamza = (flags & MARSAD_NORM_KEEP_HAMZA) != 0;
    switch (cp) {
    case 0x0622: /* آ */
    case 0x0623: /* أ */
    case 0x0625: /* إ */
    case 0x0671: /* ٱ */
    case 0x0672: /* alef with wavy hamza above */
    case 0x0673: /* alef with wavy hamza below */
    case 0x0675: /* high hamza alef */
        cp = keep_hamza && cp != 0x0671 ? cp : 0x0627;
        break;
    case 0x0624: /* ؤ */
        cp = keep_hamza ? cp : 0x0648;
        break;
    case 0x0626: /* ئ */
        cp = keep_hamza ? cp : 0x064A;
        break;
    case 0x0649: /* ى */
    case 0x06CC: /* Persian yeh */
    case 0x06D0: /* yeh (e) */
    case 0x06D2: /* yeh barree */
        cp = 0x064A;
        break;
    case 0x0629: /* ة */
        if (!(flags & MARSAD_NORM_KEEP_TAA_MARBUTA))
            cp = 0x0647;
        break;
    case 0x06A9: /* Persian keheh ک */
    case 0x06AA:
        cp = 0x0643;
        break;
    case 0x06BE: /* heh doachashmee ھ */
    case 0x06C0: /* heh with yeh above ۀ */
    case 0x06C1: /* heh goal ہ */
    case 0x06C2: /* heh goal with hamza above */
    case 0x06D5: /* ae ە */
        cp = 0x0647;
        break;
    case 0x06C3: /* teh marbuta goal ۃ */
        cp = (flags & MARSAD_NORM_KEEP_TAA_MARBUTA) ? 0x0629 : 0x0647;
        break;
    case 0x066B: /* ٫ Arabic decimal separator */
        cp = '.';
        break;
    case 0x066C: /* ٬ Arabic thousands separator */
        cp = ',';
        break;
    default:
        if (cp >= 0x0660 && cp <= 0x0669)
            cp = '0' + (cp - 0x0660);
        else if (cp >= 0x06F0 && cp <= 0x06F9)
            cp = '0' + (cp - 0x06F0);
        else if (!(flags & MARSAD_NORM_KEEP_CASE)) {
            /* Latin-1 and Latin Extended-A upper case */
            if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
                cp += 32;
            else if (cp == 0x178) /* Ÿ: its small form is in Latin-1 */
                cp = 0xFF;
            else if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x131 &&
                     cp != 0x138 && cp != 0x149 && cp != 0x17F) {
                if ((cp >= 0x139 && cp <= 0x148) ||
                    (cp >= 0x179 && cp <= 0x17E))
                    cp = (cp & 1) ? cp + 1 : cp; /* odd = upper here */
                else
                    cp = (cp & 1) ? cp : cp + 1; /* even = upper here */
            }
        }
        break;
    }
    out[0] = cp;
    return 1;
}

/*
 * Fast path for the two-byte Arabic block U+0600-U+06FF under the default
 * flags (and KEEP_CASE, which does not touch Arabic): what mr_norm_cp
 * gives, as a table. 0 = the code point stays, AR_DROP = removed, anything
 * else = its replacement. tests/unit/test_normalize.c checks the table
 * against mr_norm_cp for all 256 code points. make bench: the table path
 * roughly halves the cost of normalising Arabic text.
 */
#define AR_DROP 0xFFFFu
#define D(cp) [(cp)-0x0600] = AR_DROP
#define R(cp, to) [(cp)-0x0600] = (to)
/* clang-format off */
static const uint16_t ar_fast[256] = {
    /* Quranic annotation signs, ALM, tatweel, harakat, superscript alef */
    D(0x0610), D(0x0611), D(0x0612), D(0x0613), D(0x0614), D(0x0615), D(0x0616),
    D(0x0617), D(0x0618), D(0x0619), D(0x061A), D(0x061C), D(0x0640), D(0x064B),
    D(0x064C), D(0x064D), D(0x064E), D(0x064F), D(0x0650), D(0x0651), D(0x0652),
    D(0x0653), D(0x0654), D(0x0655), D(0x0656), D(0x0657), D(0x0658), D(0x0659),
    D(0x065A), D(0x065B), D(0x065C), D(0x065D), D(0x065E), D(0x065F), D(0x0670),
    D(0x06D6), D(0x06D7), D(0x06D8), D(0x06D9), D(0x06DA), D(0x06DB), D(0x06DC),
    D(0x06DF), D(0x06E0), D(0x06E1), D(0x06E2), D(0x06E3), D(0x06E4), D(0x06E5),
    D(0x06E6), D(0x06E7), D(0x06E8), D(0x06EA), D(0x06EB), D(0x06EC), D(0x06ED),
    /* alef forms, hamza carriers, alef maqsura and Persian letters */
    R(0x0622, 0x0627), R(0x0623, 0x0627), R(0x0625, 0x0627), R(0x0671, 0x0627),
    R(0x0672, 0x0627), R(0x0673, 0x0627), R(0x0675, 0x0627), R(0x0624, 0x0648),
    R(0x0626, 0x064A), R(0x0649, 0x064A), R(0x06CC, 0x064A), R(0x06D0, 0x064A),
    R(0x06D2, 0x064A), R(0x0629, 0x0647), R(0x06A9, 0x0643), R(0x06AA, 0x0643),
    R(0x06BE, 0x0647), R(0x06C0, 0x0647), R(0x06C1, 0x0647), R(0x06C2, 0x0647),
    R(0x06C3, 0x0647), R(0x06D5, 0x0647),
    /* digits and separators */
    R(0x066B, '.'), R(0x066C, ','), R(0x0660, '0'), R(0x0661, '1'),
    R(0x0662, '2'), R(0x0663, '3'), R(0x0664, '4'), R(0x0665, '5'),
    R(0x0666, '6'), R(0x0667, '7'), R(0x0668, '8'), R(0x0669, '9'),
    R(0x06F0, '0'), R(0x06F1, '1'), R(0x06F2, '2'), R(0x06F3, '3'),
    R(0x06F4, '4'), R(0x06F5, '5'), R(0x06F6, '6'), R(0x06F7, '7'),
    R(0x06F8, '8'), R(0x06F9, '9'),
};
/* clang-format on */
#undef D
#undef R

/*
 * The common case of the tokenizer: default flags and an output buffer of
 * at least MARSAD_NORM_MAX_GROWTH * len bytes, so no write needs a bounds
 * check. Same result as the general loop below.
 */
static size_t normalize_unchecked(const char *s, size_t len, char *out,
                                  unsigned flags)
{
    size_t o = 0, i = 0;
    bool fold_case = !(flags & MARSAD_NORM_KEEP_CASE);
    while (i < len) {
        uint8_t b = (uint8_t)s[i];
        if (b < 0x80) {
            out[o++] =
                (char)(fold_case && (unsigned)(b - 'A') < 26u ? b + 32 : b);
            i++;
            continue;
        }
        if (b >= 0xD8 && b <= 0xDB && i + 1 < len &&
            ((uint8_t)s[i + 1] & 0xC0) == 0x80) {
            uint16_t v = ar_fast[((b & 3u) << 6) | ((uint8_t)s[i + 1] & 0x3Fu)];
            if (v == 0) {
                out[o] = s[i];
                out[o + 1] = s[i + 1];
                o += 2;
            } else if (v < 0x80) {
                out[o++] = (char)v;
            } else if (v != AR_DROP) {
                out[o] = (char)(0xC0 | (v >> 6));
                out[o + 1] = (char)(0x80 | (v & 0x3F));
                o += 2;
            }
            i += 2;
            continue;
        }
        uint32_t cp, f[MR_NORM_MAX_OUT];
        i += marsad_utf8_decode(s + i, len - i, &cp);
        int k = mr_norm_cp(cp, flags, f);
        for (int j = 0; j < k; j++)
            o += mr_utf8_encode(f[j], out + o);
    }
    return o;
}

size_t marsad_normalize(const char *s, size_t len, char *out, size_t cap,
                        unsigned flags)
{
    if (s && out && (flags & ~MARSAD_NORM_KEEP_CASE) == 0 &&
        len <= cap / MARSAD_NORM_MAX_GROWTH)
        return normalize_unchecked(s, len, out, flags);
    size_t need = 0, i = 0;
    if (!s)
        return 0;
    bool fill = out != NULL;
    bool fast = (flags & ~MARSAD_NORM_KEEP_CASE) == 0;
    /* Single pass that writes while it fits and keeps counting after, so
     * callers that size cap = MARSAD_NORM_MAX_GROWTH * len never pay for a
     * second pass. */
    while (i < len) {
        uint8_t b = (uint8_t)s[i];
        if (b < 0x80) {
            char c = (char)b;
            if (!(flags & MARSAD_NORM_KEEP_CASE) && c >= 'A' && c <= 'Z')
                c = (char)(c + 32);
            if (fill && need < cap)
                out[need] = c;
            need++;
            i++;
            continue;
        }
        if (b >= 0xD8 && b <= 0xDB && fast && i + 1 < len &&
            ((uint8_t)s[i + 1] & 0xC0) == 0x80) {
            /* U+0600-U+06FF: two bytes, table look-up */
            uint32_t cp =
                ((uint32_t)(b & 0x1F) << 6) | ((uint8_t)s[i + 1] & 0x3Fu);
            uint16_t v = ar_fast[cp - 0x0600];
            if (v == 0) {
                if (fill && need + 2 <= cap) {
                    out[need] = s[i];
                    out[need + 1] = s[i + 1];
                }
                need += 2;
            } else if (v < 0x80) {
                if (fill && need < cap)
                    out[need] = (char)v;
                need++;
            } else if (v != AR_DROP) {
                if (fill && need + 2 <= cap) {
                    out[need] = (char)(0xC0 | (v >> 6));
                    out[need + 1] = (char)(0x80 | (v & 0x3F));
                }
                need += 2;
            }
            i += 2;
            continue;
        }
        uint32_t cp, f[MR_NORM_MAX_OUT];
        size_t n = marsad_utf8_decode(s + i, len - i, &cp);
        i += n;
        int k = mr_norm_cp(cp, flags, f);
        for (int j = 0; j < k; j++) {
            char tmp[4];
            size_t m = mr_utf8_encode(f[j], tmp);
            if (fill && need + m <= cap)
                for (size_t x = 0; x < m; x++)
                    out[need + x] = tmp[x];
            need += m;
        }
    }
    return need;
}
