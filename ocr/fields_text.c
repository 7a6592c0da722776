/* fields_text.c - the text of one line, for the field parser: the cleaned
 * copy every stage reads (typographic variants unified, spaces collapsed,
 * icon debris in front dropped), the ASCII fold the e-mail/web grammar runs
 * on (Cyrillic look-alikes mapped back to Latin), lower-casing and word
 * lists (labels, legal forms and title words are counted by one tokeniser),
 * case-insensitive search, edit distance and trailing punctuation. */
#include "ocr/fields_internal.h"

#include "firmware/formats/strbuf.h"
#include "firmware/formats/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int ocr_fld_ci_starts(const char *s, const char *p) { return strncasecmp(s, p, strlen(p)) == 0; }

const char *ocr_fld_ci_find(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n)) return hay;
    return NULL;
}

void ocr_fld_lower_ascii(char *s) {
    for (; *s; s++) *s = (char)tolower((unsigned char)*s);
}

int ocr_fld_is_label(const char *w, const char *const *labels) {
    for (int i = 0; labels[i]; i++)
        if (!strcasecmp(w, labels[i])) return 1;
    return 0;
}

int ocr_fld_count_listed(const char *s, const char *seps, const char *const *list) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    int n = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, seps, &save); w; w = strtok_r(NULL, seps, &save)) {
        char low[64];
        fmt_u8_lower_n(w, strlen(w), low, sizeof low);
        if (ocr_fld_is_label(low, list)) n++;
    }
    return n;
}

int ocr_fld_count_words(const char *s) {
    int n = 0, in = 0;
    for (; *s; s++) {
        if (*s == ' ') in = 0;
        else if (!in) {
            in = 1;
            n++;
        }
    }
    return n;
}

int ocr_text_edit_distance(const char *a, const char *b) {
    size_t n = strlen(a), m = strlen(b);
    if (n > 63 || m > 63) return 99;
    int d[64][64];
    for (size_t i = 0; i <= n; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[n][m];
}

int ocr_text_number_only(const char *t, int min_digits) {
    int nd = 0;
    for (const char *q = t; *q; q++) nd += *q >= '0' && *q <= '9';
    return nd >= min_digits && strspn(t, "0123456789 -.()+/") == strlen(t);
}

/* Cyrillic letters that the Russian model reads Latin e-mails/URLs as. */
static int homoglyph(unsigned c) {
    switch (c) {
    case 0x430: return 'a'; case 0x435: return 'e'; case 0x43E: return 'o'; case 0x440: return 'p';
    case 0x441: return 'c'; case 0x443: return 'y'; case 0x445: return 'x'; case 0x43A: return 'k';
    case 0x43C: return 'm'; case 0x442: return 't'; case 0x43D: return 'h'; case 0x432: return 'b';
    case 0x433: return 'r'; case 0x438: return 'u'; case 0x43F: return 'n'; case 0x434: return 'g';
    case 0x456: return 'i'; case 0x448: return 'w'; case 0x410: return 'a'; case 0x415: return 'e';
    case 0x41E: return 'o'; case 0x420: return 'p'; case 0x421: return 'c'; case 0x425: return 'x';
    case 0x41A: return 'k'; case 0x41C: return 'm'; case 0x422: return 't'; case 0x41D: return 'h';
    case 0x412: return 'b';
    default: return 0;
    }
}

void ocr_fld_ascii_fold(const char *s, char *out, size_t n) {
    size_t w = 0;
    while (*s && w + 1 < n) {
        unsigned c = fmt_u8_next(&s);
        if (c < 0x80) out[w++] = (char)c;
        else if (homoglyph(c)) out[w++] = (char)homoglyph(c);
        else out[w++] = '~'; /* keeps "für" from becoming "fr" */
    }
    out[w] = '\0';
}

/* 1 when r (in s) is an initial's dot misread: a star between a lone
 * capital and a capitalised word, or a colon there (a space after it or
 * not) with a word before the capital ("Aguinalde M: Righetti Jr.",
 * cards_real am20 a grey level darker; "M: 99884" at a line's start is a
 * mobile's label). */
static int star_initial(const char *s, const char *r) {
    if (r - s < 1 || !isupper((unsigned char)r[-1]) || (r - s > 1 && r[-2] != ' ')) return 0;
    if (*r == '*') return isupper((unsigned char)r[1]) && islower((unsigned char)r[2]);
    const char *n = r + 1 + (r[1] == ' ');
    return *r == ':' && r - s >= 4 && isalpha((unsigned char)r[-3]) && isupper((unsigned char)n[0]) &&
           islower((unsigned char)n[1]);
}

char *ocr_fld_clean_line(const char *in) {
    char *s = fmt_u8_sanitize(in);
    if (!s) return NULL;
    /* typographic variants */
    fmt_strbuf_t b;
    fmt_sb_init(&b);
    const char *p = s;
    while (*p) {
        const char *q = p;
        unsigned c = fmt_u8_next(&p);
        if (c == 0x2014 || c == 0x2013 || c == 0x2012 || c == 0x2212) fmt_sb_addc(&b, '-');
        else if (c == 0x2018 || c == 0x2019 || c == 0x201A || c == 0x201B || c == 0x2032) fmt_sb_addc(&b, '\'');
        else if (c == 0x201C || c == 0x201D || c == 0x201E) fmt_sb_addc(&b, '"');
        else if (c == 0xA0 || c == '\t' || c == 0xFFFD) fmt_sb_addc(&b, ' ');
        else fmt_sb_add(&b, q, (size_t)(p - q));
    }
    free(s);
    s = fmt_sb_take(&b);
    if (!s) return NULL;
    /* collapse spaces */
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == ' ' && (w == s || w[-1] == ' ')) continue;
        *w++ = *r;
    }
    *w = '\0';
    /* an initial's dot read as a star, the space lost ("Aguinaldo
     * M*Righetti Jr" of M. Righetti, cards_real am20 at 640 px), or as a
     * colon: a lone capital, the mark, a capitalised word */
    size_t stars = 0;
    for (char *r = s; *r; r++)
        stars += star_initial(s, r);
    if (stars) {
        char *o = malloc(strlen(s) + stars + 1);
        if (!o) {
            free(s);
            return NULL;
        }
        char *ow = o;
        for (char *r = s; *r; r++) {
            if (star_initial(s, r)) {
                *ow++ = '.';
                if (r[1] != ' ') *ow++ = ' ';
            } else {
                *ow++ = *r;
            }
        }
        *ow = '\0';
        free(s);
        s = o;
        w = s + strlen(s);
    }
    /* a single quote glued before a capital at the line's start is a speck
     * ("‘Lucas Dubois" on a hand-held photo; 's-Hertogenbosch and
     * O'Brien keep theirs) */
    if ((s[0] == '\'' || s[0] == '`') && isupper((unsigned char)s[1])) {
        memmove(s, s + 1, strlen(s));
        w--;
    }
    /* a backslash at the end is a speck or a mark's edge, never print
     * ("Supermercado de Auto Peças\", cards_real am22); it hid a legal form */
    while (w > s && (w[-1] == ' ' || w[-1] == '\\')) *--w = '\0';
    /* drop leading icon debris: tokens without letters or digits, and a
     * lone lower-case letter before a capitalised word */
    for (;;) {
        char *sp = strchr(s, ' ');
        if (!sp) break;
        size_t k = (size_t)(sp - s);
        int alnum = 0;
        const char *q = s;
        while (q < sp) {
            unsigned c = fmt_u8_next(&q);
            if (fmt_u8_is_letter(c) || (c >= '0' && c <= '9')) alnum = 1;
        }
        int lone_lower = k == 1 && islower((unsigned char)s[0]) && (isupper((unsigned char)sp[1]) || (unsigned char)sp[1] >= 0xC0);
        if (alnum && !lone_lower) break;
        /* keep "+" and "(" that start a phone number */
        if (k == 1 && (s[0] == '+' || s[0] == '(')) break;
        /* keep the "&" that starts the tail of a company's name ("& Sohn KG",
         * "& Co. Ltd"); a tail has no "&" of its own ("& Reising AG & Co.
         * KGaA" is a logo read as "&" before the whole name) */
        if (k == 1 && s[0] == '&' && !strchr(sp + 1, '&') && ocr_fld_company_marks(sp + 1) > 0) break;
        memmove(s, sp + 1, strlen(sp + 1) + 1);
    }
    /* a speck read as a quote or a comma glued to a capitalised word at
     * the line's start ("„Hyun-woo Jung", round 32) */
    size_t q = strspn(s, "\"'`,");
    if (q && q <= 2 && (isupper((unsigned char)s[q]) || (unsigned char)s[q] >= 0xC3)) memmove(s, s + q, strlen(s + q) + 1);
    return s;
}

void ocr_fld_trim_punct(char *s) {
    size_t n = strlen(s);
    while (n && strchr(".,;:|-_'\"[]{}", s[n - 1]) && !(n >= 2 && s[n - 2] != ' ' && s[n - 1] == '.' && n >= 3 &&
                                                (s[n - 3] == '.' || s[n - 3] == ' ' || strchr("RLAGCO", s[n - 2]))))
        s[--n] = '\0';
    while (n && s[n - 1] == ' ') s[--n] = '\0';
}

/* Latin letters beyond Latin-1 that names carry (Polish, Czech, Turkish,
 * Vietnamese: Ł, Đ, Ş, Ơ, Ư, ễ, ộ): their base letter, or 0. */
static char latin_ext_base(unsigned c) {
    static const struct {
        unsigned lo, hi;
        char base;
    } R[] = {{0x100, 0x105, 'a'}, {0x106, 0x10D, 'c'}, {0x10E, 0x111, 'd'}, {0x112, 0x11B, 'e'}, {0x11C, 0x123, 'g'},
             {0x124, 0x127, 'h'}, {0x128, 0x131, 'i'}, {0x134, 0x135, 'j'}, {0x136, 0x138, 'k'}, {0x139, 0x142, 'l'},
             {0x143, 0x14B, 'n'}, {0x14C, 0x151, 'o'}, {0x154, 0x159, 'r'}, {0x15A, 0x161, 's'}, {0x162, 0x167, 't'},
             {0x168, 0x173, 'u'}, {0x174, 0x175, 'w'}, {0x176, 0x178, 'y'}, {0x179, 0x17E, 'z'}, {0x1A0, 0x1A1, 'o'},
             {0x1AF, 0x1B0, 'u'}, {0x218, 0x219, 's'}, {0x21A, 0x21B, 't'}, {0x1EA0, 0x1EB7, 'a'},
             {0x1EB8, 0x1EC7, 'e'}, {0x1EC8, 0x1ECB, 'i'}, {0x1ECC, 0x1EE3, 'o'}, {0x1EE4, 0x1EF1, 'u'},
             {0x1EF2, 0x1EF9, 'y'}};
    for (size_t i = 0; i < sizeof R / sizeof *R; i++)
        if (c >= R[i].lo && c <= R[i].hi) return R[i].base;
    return 0;
}

/* Upper case of those letters: even code points in Latin Extended-A's
 * pairs and in Latin Extended Additional, Ơ and Ư. */
static int latin_ext_upper(unsigned c) { return latin_ext_base(c) && fmt_u8_lower(c) != c; }

int ocr_fld_is_upper(unsigned c) { return fmt_u8_is_upper(c) || latin_ext_upper(c); }

int ocr_fld_is_letter(unsigned c) { return fmt_u8_is_letter(c) || latin_ext_base(c) != 0; }

void ocr_fld_key(const char *s, char *out, size_t n) {
    char tmp[1024];
    size_t o = 0;
    while (*s && o + 5 < sizeof tmp) {
        const char *q = s;
        unsigned c = fmt_u8_next(&s);
        char b = latin_ext_base(c);
        if (b) tmp[o++] = b;
        else {
            memcpy(tmp + o, q, (size_t)(s - q));
            o += (size_t)(s - q);
        }
    }
    tmp[o] = '\0';
    fmt_u8_key(tmp, out, n);
}
