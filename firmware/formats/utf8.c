/* utf8.c - small UTF-8 helpers for the field parser (see utf8.h). */
#include "firmware/formats/utf8.h"

#include <stdlib.h>
#include <string.h>

unsigned fmt_u8_next(const char **sp) {
    const unsigned char *s = (const unsigned char *)*sp;
    unsigned c = s[0];
    if (c < 0x80) {
        *sp += c ? 1 : 0;
        return c;
    }
    int n;
    unsigned min;
    if ((c & 0xE0) == 0xC0) { n = 1; min = 0x80; c &= 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; min = 0x800; c &= 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; min = 0x10000; c &= 0x07; }
    else { *sp += 1; return 0xFFFD; }
    for (int k = 1; k <= n; k++) {
        if ((s[k] & 0xC0) != 0x80) { *sp += 1; return 0xFFFD; }
        c = (c << 6) | (s[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) { *sp += 1; return 0xFFFD; }
    *sp += n + 1;
    return c;
}

size_t fmt_u8_put(unsigned cp, char *o) {
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int fmt_u8_is_cyrillic(unsigned c) { return c >= 0x400 && c <= 0x4FF; }

/* Latin Extended-A: which of a pair is the capital is fmt_u8_lower's to say
 * (ł U+0142 is even, and small). */
int fmt_u8_is_upper(unsigned c) {
    return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x400 && c <= 0x42F) ||
           (c >= 0x100 && c <= 0x17F && fmt_u8_lower(c) != c);
}

int fmt_u8_is_lower(unsigned c) {
    return (c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7) || (c >= 0x430 && c <= 0x45F) ||
           (c >= 0x100 && c <= 0x17F && fmt_u8_lower(c) == c);
}

int fmt_u8_is_letter(unsigned c) { return fmt_u8_is_upper(c) || fmt_u8_is_lower(c); }

unsigned fmt_u8_lower(unsigned c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    /* Latin Extended-A pairs capital and small; from Ĺ to Ň and from Ź to
     * Ž the capital is the odd one (Ł U+0141, ł U+0142) */
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c + 1 : c;
    if (c == 0x178) return 0xFF; /* Ÿ */
    if (c >= 0x100 && c <= 0x17F && c != 0x138 && c != 0x149 && !(c & 1)) return c + 1;
    if (c == 0x1A0 || c == 0x1AF) return c + 1; /* Vietnamese Ơ, Ư */
    if (c == 0x218 || c == 0x21A) return c + 1; /* Romanian Ș, Ț */
    if (c >= 0x1EA0 && c <= 0x1EFF && !(c & 1)) return c + 1; /* Vietnamese Ạ..Ỹ */
    return c;
}

size_t fmt_u8_lower_n(const char *s, size_t n, char *out, size_t outlen) {
    size_t o = 0;
    const char *q = s;
    while (q < s + n && *q && o + 4 < outlen) o += fmt_u8_put(fmt_u8_lower(fmt_u8_next(&q)), out + o);
    out[o] = '\0';
    return o;
}

static const char *latin1_base(unsigned c) {
    static const char *t[64] = {
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y"};
    return (c >= 0xC0 && c <= 0xFF) ? t[c - 0xC0] : "";
}

static const char *cyr_translit(unsigned c) {
    static const char *t[32] = {"a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
                                "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"};
    c = fmt_u8_lower(c);
    if (c >= 0x430 && c <= 0x44F) return t[c - 0x430];
    if (c == 0x451) return "e";
    return "";
}

void fmt_u8_key(const char *s, char *out, size_t n) {
    size_t w = 0;
    if (!n) return;
    while (*s && w + 1 < n) {
        unsigned c = fmt_u8_next(&s);
        const char *rep = NULL;
        char one[2] = {0, 0};
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z') c += 32;
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                one[0] = (char)c;
                rep = one;
            }
        } else if (c >= 0xC0 && c <= 0xFF) {
            rep = latin1_base(c);
        } else if (fmt_u8_is_cyrillic(c)) {
            rep = cyr_translit(c);
        }
        for (; rep && *rep && w + 1 < n; rep++) out[w++] = *rep;
    }
    out[w] = '\0';
}

char *fmt_u8_sanitize(const char *s) {
    size_t n = strlen(s);
    char *o = malloc(n * 3 + 1);
    if (!o) return NULL;
    size_t w = 0;
    while (*s) {
        unsigned c = fmt_u8_next(&s);
        if (c < 0x20 && c != '\t') c = ' ';
        w += fmt_u8_put(c, o + w);
    }
    o[w] = '\0';
    return o;
}

int fmt_u8_valid(const char *str) {
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        unsigned c = *s;
        int n;
        unsigned min;
        if (c < 0x80) { s++; continue; }
        if ((c & 0xE0) == 0xC0) { n = 1; min = 0x80; c &= 0x1F; }
        else if ((c & 0xF0) == 0xE0) { n = 2; min = 0x800; c &= 0x0F; }
        else if ((c & 0xF8) == 0xF0) { n = 3; min = 0x10000; c &= 0x07; }
        else return 0;
        for (int k = 1; k <= n; k++) {
            if ((s[k] & 0xC0) != 0x80) return 0;
            c = (c << 6) | (s[k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
        s += n + 1;
    }
    return 1;
}
