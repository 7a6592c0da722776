/* fields_phone.c - phone numbers, for the field parser: digit runs with
 * separators (O/l/S/B/Z between digits read as digits), the label before a
 * number giving its type (work, mobile, fax in en/de/fr/ru), the region
 * hints a number is parsed with (e-mail/web country domain, countries of
 * international numbers on the card, Cyrillic text, then the caller's
 * region) and the stage that collects the valid numbers of every line
 * through libphonenumber (firmware/formats/phone.h). */
#include "ocr/fields_internal.h"

#include "ocr/address.h"
#include "firmware/core/err.h"
#include "firmware/formats/phone.h"
#include "firmware/formats/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const LBL_MOBILE[] = {"m", "mob", "mobile", "mobil", "cell", "cellular", "handy", "portable", "port",
                                         "gsm", "cel", "celular", "movil", "móvil", "móvel", "movel", "whatsapp", "wa",
                                         "hp", "handphone", "nextel", "mobiel", "cellulare", "tm", "dđ", "м", "моб",
                                         "мобильный", "мобильный телефон", "сот", "сотовый", NULL};
static const char *const LBL_FAX[] = {"f", "fax", "telefax", "télécopie", "telecopie", "факс", "ф", NULL};
static const char *const LBL_WORK[] = {"t", "tel", "tél", "phone", "telephone", "téléphone", "telefon", "office", "o",
                                       "p", "ph", "direct", "work", "büro", "fon", "fone", "telefone", "teléfono",
                                       "telefono", "tlf", "tfno", "fixo", "pabx", "tels", "fones", "contato",
                                       "contacto", "tel.", "telp", "dd", "hotline", "đt", "тел", "т", "телефон", "раб",
                                       "w", "bureau", "fixe", "standard", NULL};

int ocr_fld_phone_label(const char *w) {
    return ocr_fld_is_label(w, LBL_MOBILE) || ocr_fld_is_label(w, LBL_FAX) || ocr_fld_is_label(w, LBL_WORK);
}

/* Type of the label word(s) just before a number. */
static const char *label_type(const char *before) {
    /* last word of `before`, letters only, lowered */
    char w[64];
    size_t n = strlen(before);
    while (n && !fmt_u8_is_letter((unsigned char)before[n - 1]) && (unsigned char)before[n - 1] < 0x80) n--;
    size_t e = n;
    while (n && (isalpha((unsigned char)before[n - 1]) || (unsigned char)before[n - 1] >= 0x80)) n--;
    size_t k = e - n;
    if (k == 0 || k >= sizeof w) return NULL;
    const char *src = before + n;
    fmt_u8_lower_n(src, k, w, sizeof w);
    if (ocr_fld_is_label(w, LBL_MOBILE)) return "mobile";
    /* "H/P": the hand phone of Malaysian and Singapore cards */
    if (!strcmp(w, "p") && n >= 2 && before[n - 1] == '/' && (before[n - 2] == 'H' || before[n - 2] == 'h') &&
        (n == 2 || !isalpha((unsigned char)before[n - 3])))
        return "mobile";
    /* "Tel/Fax": one line for both, a work number */
    if (ocr_fld_is_label(w, LBL_FAX)) {
        char pre[64];
        if (n == 0 || before[n - 1] != '/' || n - 1 >= sizeof pre) return "fax";
        memcpy(pre, before, n - 1);
        pre[n - 1] = '\0';
        const char *t = label_type(pre);
        return t && !strcmp(t, "work") ? "work" : "fax";
    }
    if (ocr_fld_is_label(w, LBL_WORK)) return "work";
    return NULL;
}

static int add_phone(fld_state_t *p, const char *e164, const char *type, float conf) {
    for (int i = 0; i < p->nphones; i++)
        if (!strcmp(p->phones[i].number, e164)) return 0;
    if (p->nphones >= FLD_MAX_ITEMS) return 0;
    snprintf(p->phones[p->nphones].number, sizeof p->phones[0].number, "%s", e164);
    p->phones[p->nphones].type = type;
    p->phones[p->nphones].conf = conf;
    p->nphones++;
    return 1;
}

/* Map OCR confusions inside a digit run. */
static int digitish(int c) {
    switch (c) {
    case 'O': case 'o': case 'Q': case 'D': return '0';
    case 'l': case 'I': case '|': case 'i': case '!': case ']': return '1';
    case 'S': case 's': case '$': return '5';
    case 'B': return '8';
    case 'Z': case 'z': return '2';
    case 'G': return '6';
    default: return 0;
    }
}

/* Digits in the run of digits and separators - . space that s starts with. */
static int digits_after(const char *s) {
    int nd = 0;
    for (; *s && (isdigit((unsigned char)*s) || strchr("-. ", *s)); s++) nd += isdigit((unsigned char)*s) != 0;
    return nd;
}

typedef struct {
    size_t start, end;     /* byte range of the number in the line */
    char digits[64];       /* cleaned number text */
    int ndigits;
} numspan_t;

/* Next phone-like span at or after *pos: digits with separators
 * + ( ) - . / space and confusable letters between digits. */
static int next_number(const char *s, size_t *pos, numspan_t *ns) {
    size_t i = *pos, n = strlen(s);
    while (i < n) {
        /* "Tel O30 2345 6789": a word that starts with O and goes on in
         * digits starts with the trunk 0 */
        int lead_o = (s[i] == 'O' || s[i] == 'o') && i + 2 < n && isdigit((unsigned char)s[i + 1]) &&
                     isdigit((unsigned char)s[i + 2]) && (i == 0 || s[i - 1] == ' ' || s[i - 1] == ':');
        if (!(isdigit((unsigned char)s[i]) || lead_o || (s[i] == '+' && i + 1 < n && isdigit((unsigned char)s[i + 1])) ||
              (s[i] == '(' && i + 1 < n && isdigit((unsigned char)s[i + 1])))) {
            i++;
            continue;
        }
        size_t j = i, o = 0;
        int nd = 0;
        while (j < n && o + 2 < sizeof ns->digits) {
            int c = (unsigned char)s[j];
            int d = isdigit(c) ? c : j == i && lead_o ? '0' : 0;
            /* a confusable letter counts only between digits: "49 3O 12",
             * "+8] 3 5400" (a space on one side at most) */
            if (!d && digitish(c) && j > i && j + 1 < n &&
                ((isdigit((unsigned char)s[j + 1]) &&
                  (isdigit((unsigned char)s[j - 1]) || (s[j - 1] == ' ' && j >= 2 && isdigit((unsigned char)s[j - 2])))) ||
                 (isdigit((unsigned char)s[j - 1]) && s[j + 1] == ' ' && j + 2 < n && isdigit((unsigned char)s[j + 2]))))
                d = digitish(c);
            /* a whole word of two or three of them between digit groups:
             * "+91 BO 4123 5278" (80, Bangalore's area code) */
            if (!d && digitish(c) && j > i && (s[j - 1] == ' ' || isdigit((unsigned char)s[j - 1]))) {
                size_t k = j;
                while (k < n && k - j < 4 && digitish((unsigned char)s[k])) k++;
                size_t pre = s[j - 1] == ' ' ? j - 2 : j - 1;
                int left = s[j - 1] != ' ' || (j >= 2 && isdigit((unsigned char)s[pre]));
                int right = k < n && (isdigit((unsigned char)s[k]) ||
                                      (s[k] == ' ' && k + 1 < n && isdigit((unsigned char)s[k + 1])));
                if (k - j >= 2 && k - j <= 3 && left && right && o + (k - j) + 2 < sizeof ns->digits) {
                    for (; j < k; j++) {
                        ns->digits[o++] = (char)digitish((unsigned char)s[j]);
                        nd++;
                    }
                    continue;
                }
            }
            if (!d && c >= 0xC0 && j > i && isdigit((unsigned char)s[j - 1])) {
                /* one non-ASCII mark between digits ("11°3241-0322") is a separator */
                size_t k = j + 1;
                while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80) k++;
                if (k < n && isdigit((unsigned char)s[k])) {
                    ns->digits[o++] = ' ';
                    j = k;
                    continue;
                }
            }
            if (d) {
                ns->digits[o++] = (char)d;
                nd++;
            } else if (c == '{' || c == '[') {
                ns->digits[o++] = '(';
            } else if (c == '}' || c == ']') {
                ns->digits[o++] = ')';
            } else if (c == ',' && o && ns->digits[0] == '+' && nd < 8 && isdigit((unsigned char)s[j - 1]) &&
                       j + 1 < n && isdigit((unsigned char)s[j + 1])) {
                /* a speck read as a comma inside an international number
                 * too short to end there ("+39 347,123 3464") */
                ns->digits[o++] = ' ';
            } else if ((c == '\'' || c == '`') && isdigit((unsigned char)s[j - 1]) && j + 1 < n &&
                       isdigit((unsigned char)s[j + 1])) {
                ns->digits[o++] = ' '; /* a speck read as an apostrophe: "412'345 453" */
            } else if (c == '/' && j > i &&
                       (s[j - 1] == ' ' || s[j + 1] == ' ' || (nd >= 7 && digits_after(s + j + 1) >= 6))) {
                /* "11 2082-2399 / 2646-6123" and, with no spaces, after a
                 * whole number "(11)2747-8430/2746-6245": two numbers
                 * (040/7441031 is one), but "089 / 12 34 56" is one: the
                 * German way of setting an area code (trunk 0, 2-5 digits)
                 * apart */
                size_t q = 0; /* digits[] is not terminated yet */
                while (q < o && (isdigit((unsigned char)ns->digits[q]) || ns->digits[q] == ' ')) q++;
                if (!(nd >= 2 && nd <= 5 && ns->digits[0] == '0' && q == o)) break;
                if (o && ns->digits[o - 1] != ' ') ns->digits[o++] = ' ';
                if (j + 1 < n && s[j + 1] == ' ') j++; /* one space for " / " */
            } else if (strchr("+()-./ ", c)) {
                /* a space followed by a letter ends the number */
                if (c == ' ' && j + 1 < n && isalpha((unsigned char)s[j + 1]) && !digitish((unsigned char)s[j + 1])) break;
                ns->digits[o++] = (char)c;
            } else {
                break;
            }
            j++;
        }
        ns->digits[o] = '\0';
        ns->ndigits = nd;
        ns->start = i;
        ns->end = j;
        *pos = j > i ? j : i + 1;
        if (nd >= 6) return 1;
        i = *pos;
    }
    *pos = n;
    return 0;
}

static int parse_phone_regions(fld_state_t *p, const char *num, const char *fallback, char *e164, fmt_phone_kind_t *kind) {
    for (int i = 0; i < p->nregions; i++)
        if (fmt_phone_parse(num, p->regions[i], e164, 24, kind) == GR_OK) return 1;
    if (fallback && fmt_phone_parse(num, fallback, e164, 24, kind) == GR_OK) return 1;
    /* "(0)" trunk digits printed inside an international number */
    return 0;
}

/* A number that plainly is one but fails the metadata's validity (an old
 * 8-digit Brazilian mobile, a new range): labelled or printed with its area
 * code in brackets, and of a possible length in the card's first region. */
static int parse_phone_possible(fld_state_t *p, const numspan_t *ns, int labelled, const char *fallback, char *e164) {
    if (!labelled && !strchr(ns->digits, '(')) return 0;
    if (ns->ndigits < 10 && ns->digits[0] != '+') return 0; /* a national number with its area code */
    const char *r = p->nregions ? p->regions[0] : fallback;
    return r && fmt_phone_parse_possible(ns->digits, r, e164, 24, NULL) == GR_OK;
}

/* A local number printed without its area code ("2294-9484" beside
 * "(11) 99679-9468"): the numbers of one card share the area code of the
 * first number that has one. */
static int parse_phone_local(fld_state_t *p, const numspan_t *ns, const char *fallback, char *e164,
                             fmt_phone_kind_t *kind) {
    if (!p->area[0] || ns->digits[0] == '+' || ns->digits[0] == '(' || ns->ndigits < 7 || ns->ndigits > 9) return 0;
    /* "01137-000", "21941-901": a Brazilian postcode (CEP), not a number */
    const char *d = ns->digits;
    size_t dl = strlen(d);
    while (dl && strchr(" -./", d[dl - 1])) dl--;
    if (dl == 9 && d[5] == '-' && strspn(d, "0123456789") == 5 && strspn(d + 6, "0123456789") == 3) return 0;
    char num[96];
    snprintf(num, sizeof num, "%s %s", p->area, ns->digits);
    const char *r = p->area_region;
    (void)fallback;
    return fmt_phone_parse(num, r, e164, 24, kind) == GR_OK;
}

/* A local number on a card that prints no area code anywhere and names no
 * state ("2294-9484", "9.9679-9468" on a shop's card): kept as printed, in
 * national form, rather than lost, so the person completes it; never
 * confident. Only the shape of a local number: 8 or 9 digits in groups
 * whose last has 4 digits, no bracket or '+', and not a US ZIP+4 after a
 * state ("TX 75001-1234"). */
static int parse_phone_unplaced(const fld_state_t *p, const numspan_t *ns, const char *before, char *out, size_t outlen) {
    if (p->area[0] || ns->ndigits < 8 || ns->ndigits > 9 || strpbrk(ns->digits, "+()")) return 0;
    const char *d = ns->digits;
    size_t dl = strlen(d);
    while (dl && strchr(" -./", d[dl - 1])) dl--;
    int groups = 0, last = 0, first = -1;
    for (size_t i = 0; i < dl;) {
        if (!isdigit((unsigned char)d[i])) {
            if (i + 1 < dl && !isdigit((unsigned char)d[i + 1])) return 0; /* two separators: not one number */
            i++;
            continue;
        }
        int g = 0;
        while (i < dl && isdigit((unsigned char)d[i])) g++, i++;
        if (first < 0) first = g;
        last = g;
        groups++;
    }
    if (groups < 2 || groups > 3 || last != 4 || (groups == 3 && first != 1)) return 0;
    /* a state or province code right before it: a postcode */
    size_t bl = strlen(before);
    while (bl && strchr(" ,", before[bl - 1])) bl--;
    if (bl >= 2 && isupper((unsigned char)before[bl - 1]) && isupper((unsigned char)before[bl - 2]) &&
        (bl == 2 || !isalpha((unsigned char)before[bl - 3])))
        return 0;
    if (dl + 1 > outlen) return 0;
    memcpy(out, d, dl);
    out[dl] = '\0';
    return 1;
}

/* "1) 3828-6098" beside "(11) 92028-0336": the area code's opening
 * bracket and first digits lost; the digits before the lone ')' end the
 * card's area code. The rest, a local number, into out. */
static int cut_bracket(const fld_state_t *p, const numspan_t *ns, numspan_t *out) {
    const char *d = ns->digits;
    size_t k = strspn(d, "0123456789"), al = strlen(p->area);
    if (k == 0 || k > al || d[k] != ')' || strncmp(p->area + al - k, d, k)) return 0;
    const char *r = d + k + 1;
    r += strspn(r, " ");
    *out = *ns;
    snprintf(out->digits, sizeof out->digits, "%s", r);
    out->ndigits = ns->ndigits - (int)k;
    return out->ndigits >= 7;
}

/* "M *63 9123 3760" on a Singapore card: the country code misread in one
 * digit (+63 for +65) behind a '+' (or the '*' or '#' OCR made of it) and
 * the rest a valid number of the card's country, into e164. */
static int slipped_country_code(const fld_state_t *p, const numspan_t *ns, const char *before, char *e164,
                                fmt_phone_kind_t *kind) {
    size_t bl = strlen(before);
    int plus = ns->digits[0] == '+' || (bl && strchr("*#", before[bl - 1]));
    if (!plus || !p->nregions || ns->ndigits < 8) return 0;
    const char *d = ns->digits + (ns->digits[0] == '+');
    size_t k = strspn(d, "0123456789");
    char cc[8];
    snprintf(cc, sizeof cc, "%d", fmt_phone_country_code(p->regions[0]));
    if (k < 2 || k != strlen(cc) || !d[k]) return 0;
    int diff = 0;
    for (size_t i = 0; i < k; i++) diff += cc[i] != d[i];
    if (diff != 1) return 0;
    char num[96];
    snprintf(num, sizeof num, "+%s %s", cc, d + k);
    return fmt_phone_parse(num, p->regions[0], e164, 24, kind) == GR_OK;
}

/* "T 455 11 3885 4589" on a Brazilian card: the '+' read as a 4 in front
 * of the card's country code, the rest a valid number of that country,
 * into e164. */
static int plus_read_as_four(const fld_state_t *p, const numspan_t *ns, char *e164, fmt_phone_kind_t *kind) {
    if (!p->nregions || ns->digits[0] != '4' || ns->ndigits < 10) return 0;
    char cc[12];
    int code = fmt_phone_country_code(p->regions[0]);
    if (code <= 0) return 0;
    snprintf(cc, sizeof cc, "%d", code);
    if (strncmp(ns->digits + 1, cc, strlen(cc))) return 0;
    char num[96];
    snprintf(num, sizeof num, "+%s", ns->digits + 1);
    return fmt_phone_parse(num, p->regions[0], e164, 24, kind) == GR_OK;
}

/* 1 when the numbers of region are printed with a trunk 0 in front when
 * written without their country code (089 4521 7299 in Germany): a
 * number without '+' or 0 that starts with a 4 and the country's code is
 * its international form with the '+' read as a 4, even when the digits
 * as read make some long number of the country. */
static int trunk_zero(const char *region) {
    static const char *const R[] = {"DE", "AT", "CH", "FR", "GB", "IE", "NL", "BE", "LU", "SE", "FI", "JP", "KR",
                                    "AU", "NZ", "VN", "IN", "ID", "MY", "TH", "CN", "TW", "TR", "ZA", NULL};
    for (int i = 0; R[i]; i++)
        if (!strcmp(region, R[i])) return 1;
    return 0;
}

/* "16221 6208" on a Singapore card: a line that starts with its number,
 * the label in front ("T") read as a 1 glued to it, the rest a valid
 * number of the card's country (not one whose numbers may start with the
 * 1 of the North American plan), into e164. */
static int label_read_as_one(const fld_state_t *p, const fld_line_t *l, const numspan_t *ns, char *e164,
                             fmt_phone_kind_t *kind) {
    if (!p->nregions || ns->digits[0] != '1' || !isdigit((unsigned char)ns->digits[1]) ||
        fmt_phone_country_code(p->regions[0]) == 1)
        return 0;
    for (size_t i = 0; i < ns->start; i++)
        if (l->t[i] != ' ') return 0; /* a label or a word before it: the 1 is printed */
    return fmt_phone_parse(ns->digits + 1, p->regions[0], e164, 24, kind) == GR_OK;
}

/* "Mobile 82-10-9876-5432": an international number printed without its
 * '+', its country code a group of its own (one to three digits, not 0,
 * then a separator), the rest a valid number of that country, into e164.
 * Only for a number no region of the card reads. */
static int plus_left_out(const numspan_t *ns, char *e164, fmt_phone_kind_t *kind) {
    const char *d = ns->digits;
    size_t g = strspn(d, "0123456789");
    if (d[0] == '0' || g < 1 || g > 3 || !d[g] || !strchr(" -.", d[g]) || ns->ndigits < 10) return 0;
    char num[96], cc[3];
    snprintf(num, sizeof num, "+%s", d);
    if (fmt_phone_parse(num, "US", e164, 24, kind) != GR_OK) return 0;
    /* the code must be a country's that numbers start with (not NANP's 1
     * for a number the card's regions did not read) */
    return d[0] != '1' && fmt_phone_region(e164, cc, sizeof cc) == GR_OK;
}

/* An icon or a speck read as a lone digit beside a number ("© 97038-8110 4",
 * "cam 1 9.8697-6934"): the span without a single digit separated by a
 * space at its start and/or its end, into out. 1 when something was dropped
 * and at least 8 digits are left. */
static int trim_stray_digits(const numspan_t *ns, numspan_t *out) {
    const char *d = ns->digits;
    size_t a = 0, b = strlen(d);
    while (b && strchr(" -./", d[b - 1])) b--;
    if (b >= 2 && isdigit((unsigned char)d[b - 1]) && d[b - 2] == ' ') b -= 2;
    if (b >= 2 && isdigit((unsigned char)d[0]) && d[1] == ' ') a = 2;
    while (b > a && strchr(" -./", d[b - 1])) b--;
    if (a == 0 && b == strlen(d)) return 0;
    int nd = 0;
    for (size_t i = a; i < b; i++) nd += isdigit((unsigned char)d[i]) != 0;
    if (nd < 8 || nd == ns->ndigits) return 0;
    *out = *ns;
    memcpy(out->digits, d + a, b - a);
    out->digits[b - a] = '\0';
    out->ndigits = nd;
    return 1;
}

/* The country of a number's own block: a country its line or the two
 * lines above it in the same column name ("Singapore Branch" / "Tel 6123
 * 4567"), or NULL. Blocks of one card can be in different countries. */
static const char *block_country(const fld_state_t *p, int idx) {
    for (int k = 0, i = idx; k < 3 && i >= 0; k++, i = ocr_fld_above(p, i)) {
        const char *cc = ocr_address_country_in(p->l[i].t);
        if (cc && fmt_phone_region_known(cc)) return cc;
        if (k > 0 && p->l[i].kind == FLD_PHONE) break; /* the block above has numbers of its own */
    }
    return NULL;
}

size_t ocr_fld_registration_at(const char *t, size_t *start) {
    /* long or mixed-case labels, in any case */
    static const char *const ANY[] = {"ust-idnr", "ust-id", "ustidnr", "steuernr", "st.-nr", "siret", "siren", "p.iva",
                                      "piva", "cnpj", "gstin", "nmls", "lic", "license", "licence", "kvk", "btw", "creci",
                                      "инн", "огрн", "кпп", NULL};
    /* short ones, also words and names ("Iva", "Tin", "Dre"): in capitals only */
    static const char *const CAPS[] = {"vat", "tva", "rcs", "p.i", "iva", "c.f", "cif", "nif", "nipc", "hrb", "hra",
                                       "cpf", "abn", "acn", "gst", "ein", "tin", "crea", "cro", "crm", "oab", "npi",
                                       "dre", "cui", "nit", "rut", "ruc", "rfc", NULL};
    for (const char *w = t; *w;) {
        while (*w && strchr(" :#,;|-", *w)) w++;
        size_t k = 0;
        while (w[k] && !strchr(" :#,;|", w[k])) k++;
        size_t e = k;
        while (e && (w[e - 1] == '.' || w[e - 1] == ':')) e--;
        char low[32];
        if (e && e < sizeof low) {
            fmt_u8_lower_n(w, e, low, sizeof low);
            char *dash = strchr(low, '-'); /* "CRO-SP": the label and its state */
            int caps = 1;
            for (size_t i = 0; i < e && w[i] != '-'; i++) caps &= !islower((unsigned char)w[i]);
            int hit = ocr_fld_is_label(low, ANY) || (caps && ocr_fld_is_label(low, CAPS));
            if (!hit && dash && dash > low) {
                *dash = '\0';
                hit = caps && ocr_fld_is_label(low, CAPS);
            }
            if (hit) {
                if (start) *start = (size_t)(w - t);
                return (size_t)(w + k - t);
            }
        }
        w += k;
    }
    return (size_t)-1;
}

/* 1 when t is digit groups alone, three or more, but for two letters of
 * an icon's debris ("QS 223 28 22" of 09 223 26 22, a hand-held render):
 * a number that could not be read whole, not a postcode or a street. */
static int digit_groups_only(const char *t) {
    int groups = 0, letters = 0;
    for (const char *c = t; *c; c++) {
        if (isdigit((unsigned char)*c)) {
            if (c == t || !isdigit((unsigned char)c[-1])) groups++;
        } else if (isalpha((unsigned char)*c)) {
            letters++;
        } else if (!strchr(" -./()", *c)) {
            return 0;
        }
    }
    return groups >= 3 && letters <= 2;
}

/* Phones of one line; returns how many were found. The first pass takes
 * valid numbers only; the second (second = 1) the local and possible ones,
 * once the card's area code is known. */
static int line_phones(fld_state_t *p, fld_line_t *l, int idx, const char *fallback, int second) {
    const char *block = block_country(p, idx);
    size_t pos = 0;
    numspan_t ns;
    int found = 0;
    size_t prev_end = 0, reg = ocr_fld_registration_at(l->t, NULL);
    while (next_number(l->t, &pos, &ns)) {
        char before[128];
        size_t bl = ns.start - prev_end < sizeof before - 1 ? ns.start - prev_end : sizeof before - 1;
        memcpy(before, l->t + ns.start - bl, bl);
        before[bl] = '\0';
        prev_end = ns.end;
        char e164[24];
        fmt_phone_kind_t kind = FMT_PHONE_UNKNOWN;
        const char *type = label_type(before);
        if (ns.start >= reg && !type) continue; /* "USt-IdNr. DE 812345678" */
        /* "89333 Dinslaken": a short number followed by a word and with no
         * label is a postcode, not a phone */
        if (!type && ns.ndigits < 8 && ns.digits[0] != '+') {
            /* seven digits in groups alone on a line: one of the card's
             * numbers with a digit lost */
            if (second && ns.ndigits == 7 && digit_groups_only(l->t)) p->numbers_lost++;
            continue;
        }
        float conf = l->conf;
        if (block && ns.digits[0] != '+' && fmt_phone_parse(ns.digits, block, e164, sizeof e164, &kind) == GR_OK) {
            if (second) continue; /* found in the first pass */
        } else if (p->nregions && trunk_zero(p->regions[0]) && plus_read_as_four(p, &ns, e164, &kind)) {
            conf *= 0.8f; /* "T449 89 4521 7299" on a German card: the '+' taken for a 4 */
        } else if (!parse_phone_regions(p, ns.digits, fallback, e164, &kind)) {
            /* an icon read as a digit in front: "0 (641) 521-7547" */
            const char *rest = ns.digits;
            if (isdigit((unsigned char)rest[0]) && rest[1] == ' ' && rest[2] == '(') rest += 2;
            numspan_t trimmed;
            int has_trimmed = trim_stray_digits(&ns, &trimmed);
            numspan_t local;
            if (rest != ns.digits && parse_phone_regions(p, rest, fallback, e164, &kind)) {
                /* found */
            } else if (slipped_country_code(p, &ns, before, e164, &kind)) {
                conf *= 0.8f; /* one digit of the code taken for another */
            } else if (plus_read_as_four(p, &ns, e164, &kind)) {
                conf *= 0.8f; /* the '+' taken for a 4 */
            } else if (label_read_as_one(p, l, &ns, e164, &kind)) {
                conf *= 0.6f; /* a digit dropped: a guess, not confident */
            } else if (plus_left_out(&ns, e164, &kind)) {
                conf *= 0.5f; /* printed without its '+': a guess, never confident */
            } else if (second && p->area[0] && cut_bracket(p, &ns, &local) &&
                       parse_phone_local(p, &local, fallback, e164, &kind)) {
                conf *= 0.7f; /* the area code half read */
            } else if (second && parse_phone_local(p, &ns, fallback, e164, &kind)) {
                conf *= p->area_guessed ? 0.5f : 0.8f; /* the area code is inferred (guessed: never confident) */
            } else if (second && parse_phone_possible(p, &ns, type != NULL, fallback, e164)) {
                conf *= 0.7f; /* possible, not valid */
            } else if (second && has_trimmed &&
                       (parse_phone_regions(p, trimmed.digits, fallback, e164, &kind) ||
                        parse_phone_local(p, &trimmed, fallback, e164, &kind))) {
                conf *= (p->area_guessed ? 0.5f : 0.8f) * 0.9f; /* a stray mark dropped */
            } else if (second && (parse_phone_unplaced(p, &ns, before, e164, sizeof e164) ||
                                  (has_trimmed && parse_phone_unplaced(p, &trimmed, before, e164, sizeof e164)))) {
                conf *= 0.4f; /* no area code known: as printed, for the person to complete */
            } else {
                /* printed as a phone ("+813 400 5705", a digit lost; "0475
                 * 1270" beside a number, its end under a finger) and no
                 * number made of it: one is missing from the card's set */
                if (second && ns.ndigits >= 7 && (ns.digits[0] == '+' || type || l->kind == FLD_PHONE))
                    p->numbers_lost++;
                continue;
            }
        } else if (second) {
            continue; /* found in the first pass */
        }
        if (!p->area[0] && fmt_phone_area_code(e164, p->area, sizeof p->area) == GR_OK) {
            if (fmt_phone_region(e164, p->area_region, sizeof p->area_region) != GR_OK) p->area[0] = '\0';
        }
        if (!type) type = kind == FMT_PHONE_MOBILE ? "mobile" : "work";
        found += add_phone(p, e164, type, conf);
    }
    return found;
}


/* 1 when t holds a number printed the North American way: "(410) 555-1234",
 * "(410)555-1234", "817-228-4401", "817.228.4403", "1-800-555-0199" - an
 * area code of three digits (first 2-9) in brackets or followed by '-' or
 * '.', then 3 and 4 digits (the exchange's first 2-9), no digit around.
 * No other numbering plan writes a national number so (Brazil brackets two
 * digits, "(11) 2076-5555"; trunk prefixes start with 0), so it says the
 * country when nothing on the card does. Three groups split by spaces
 * alone are left out: Italian mobiles are written "347 123 4567". */
static int nanp_shape(const char *t) {
    for (const char *s = t; *s; s++) {
        if (s > t && isdigit((unsigned char)s[-1])) continue;
        const char *q = s;
        int bracket = *q == '(';
        if (bracket) q++;
        if (!(q[0] >= '2' && q[0] <= '9' && isdigit((unsigned char)q[1]) && isdigit((unsigned char)q[2]))) continue;
        q += 3;
        char sep = 0;
        if (bracket) {
            if (*q != ')') continue;
            q++;
            if (*q == ' ') q++;
        } else {
            if (*q != '-' && *q != '.') continue;
            sep = *q++;
        }
        if (!(q[0] >= '2' && q[0] <= '9' && isdigit((unsigned char)q[1]) && isdigit((unsigned char)q[2]))) continue;
        q += 3;
        if (bracket ? (*q != '-' && *q != '.' && *q != ' ') : *q != sep) continue;
        q++;
        if (strspn(q, "0123456789") != 4) continue;
        return 1;
    }
    return 0;
}

/* Add a region hint (alpha-2, upper-cased) unless it is there or the list is full. */
static void add_region(fld_state_t *p, const char *r) {
    if (!r || strlen(r) != 2) return;
    for (int i = 0; i < p->nregions; i++)
        if (!strcasecmp(p->regions[i], r)) return;
    if (p->nregions < FLD_MAX_REGIONS) {
        p->regions[p->nregions][0] = (char)toupper((unsigned char)r[0]);
        p->regions[p->nregions][1] = (char)toupper((unsigned char)r[1]);
        p->regions[p->nregions][2] = '\0';
        p->nregions++;
    }
}

/* The country of the card's e-mails' and sites' domains: those read at
 * DOMAIN_HINT_CONF or more when sure is 1, the others when 0. */
#define DOMAIN_HINT_CONF 0.5f
static void domain_regions(fld_state_t *p, int sure) {
    for (int i = 0; i < p->nemails; i++)
        if ((p->emails[i].conf >= DOMAIN_HINT_CONF) == sure) add_region(p, ocr_fld_tld_region(strchr(p->emails[i].s, '@')));
    for (int i = 0; i < p->nsites; i++) {
        if ((p->sites[i].conf >= DOMAIN_HINT_CONF) != sure) continue;
        char host[256];
        ocr_fld_site_host(p->sites[i].s, host, sizeof host);
        add_region(p, ocr_fld_tld_region(host));
    }
}

const char *ocr_fld_find_regions(fld_state_t *p, const char *region) {
    domain_regions(p, 1);
    p->ndomain_regions = p->nregions;
    if (p->ncyr > p->nlat / 2 && p->ncyr > 5) add_region(p, "RU");
    /* international numbers on the card tell the country too */
    for (size_t i = 0; i < p->n; i++) {
        const char *plus = strchr(p->l[i].t, '+');
        if (!plus) continue;
        size_t pos = (size_t)(plus - p->l[i].t);
        numspan_t ns;
        char e164[24], cc[3];
        if (next_number(p->l[i].t, &pos, &ns) && ns.digits[0] == '+' &&
            fmt_phone_parse(ns.digits, "ZZ", e164, sizeof e164, NULL) == GR_OK && fmt_phone_region(e164, cc, sizeof cc) == GR_OK)
            add_region(p, cc);
    }
    /* round 32: a domain read poorly (a line of specks, "pduc.le@ rine cn
     * 'minh city, Viet" at 0.47) comes after the codes printed on the
     * card: its .cn had given a Vietnamese card's number without its code
     * +86 beside a printed +84 */
    int n0 = p->nregions;
    domain_regions(p, 0);
    p->npoor_domain_regions = p->nregions - n0;
    /* the address's country when its shape is unambiguous (US "TX 76247",
     * UK "WC2B 6UN", Russian six-digit code), before the board's region */
    for (size_t i = 0; i < p->n && p->nregions < FLD_MAX_REGIONS; i++) {
        const fld_line_t *l = &p->l[i];
        if (l->kind == FLD_EMAIL || l->kind == FLD_WEB || strchr(l->t, '@')) continue;
        ocr_address_parts_t ap;
        ocr_address_split(l->t, NULL, &ap);
        if (strlen(ap.country) == 2 && ap.postal_code[0] && fmt_phone_region_known(ap.country)) add_region(p, ap.country);
    }
    /* a Dutch postcode, four digits and two capitals before the town
     * ("1015 CJ Amsterdam", "8011 CW Zwolle"; not SA, SD, SS), is the
     * Netherlands wherever the line puts it */
    for (size_t i = 0; i < p->n && p->nregions < FLD_MAX_REGIONS; i++) {
        const char *t = p->l[i].t;
        if (p->l[i].kind == FLD_EMAIL || p->l[i].kind == FLD_WEB) continue;
        for (const char *q = t; *q; q++) {
            if (q > t && (isalnum((unsigned char)q[-1]) || q[-1] == '-')) continue;
            if (q[0] == '0' || !ocr_address_dutch_postcode(q) || !isupper((unsigned char)q[8]) ||
                !islower((unsigned char)q[9]))
                continue;
            add_region(p, "NL");
            break;
        }
    }
    /* the one country the card names ("Bengaluru 560 100, India", "Seoul,
     * Korea"): a number of a block that names none, printed without its
     * code ("Mobile: 98450 12345"), is of it too. Two countries named: each
     * block's own decides (block_country), none for the card. */
    {
        const char *named = NULL;
        int several = 0;
        for (size_t i = 0; i < p->n; i++) {
            if (p->l[i].kind == FLD_EMAIL || p->l[i].kind == FLD_WEB) continue;
            const char *cc = ocr_address_country_in(p->l[i].t);
            if (!cc || !fmt_phone_region_known(cc)) continue;
            if (named && strcmp(named, cc)) several = 1;
            named = cc;
        }
        if (named && !several) add_region(p, named);
    }
    /* numbers printed the North American way, when the card names no
     * other country that reads them */
    for (size_t i = 0; i < p->n && p->nregions < FLD_MAX_REGIONS; i++)
        if (p->l[i].kind != FLD_EMAIL && p->l[i].kind != FLD_WEB && nanp_shape(p->l[i].t)) {
            add_region(p, "US");
            break;
        }
    return region && fmt_phone_region_known(region) ? region : NULL;
}

/* The number part of an e-mail/web line ("Cel.: 11 99884-8929 e-mail:
 * guina@..."): the line without its words that hold '@', "www" or a dotted
 * host, into out. 1 when some digits are left. */
static int contact_line_rest(const char *t, char *out, size_t n) {
    size_t o = 0;
    int digits = 0;
    const char *p = t;
    while (*p && o + 1 < n) {
        size_t k = strcspn(p, " ");
        int drop = memchr(p, '@', k) != NULL || (k >= 3 && !strncasecmp(p, "www", 3));
        for (size_t q = 0; !drop && q + 2 < k; q++)
            if (p[q] == ':' && p[q + 1] == '/' && p[q + 2] == '/') drop = 1;
        for (size_t q = 1; !drop && q + 1 < k; q++)
            if (p[q] == '.' && isalpha((unsigned char)p[q - 1]) && isalpha((unsigned char)p[q + 1])) drop = 1;
        for (size_t q = 0; q < k && o + 1 < n; q++) {
            out[o++] = drop ? ' ' : p[q];
            digits += !drop && isdigit((unsigned char)p[q]);
        }
        p += k;
        while (*p == ' ' && o + 1 < n) out[o++] = *p++;
    }
    out[o] = '\0';
    return digits >= 6;
}

/* The Brazilian state an address line ends with ("... Jd. Fernandes - SP",
 * "São Paulo/SP", "Centro, RJ."): two capitals after '-', '/' or ',' at the
 * end of a line that has digits (house number, CEP); its capital's area
 * code, or NULL. */
static const char *line_state_ddd(const char *t) {
    size_t n = strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '.')) n--;
    if (n < 4 || !isupper((unsigned char)t[n - 1]) || !isupper((unsigned char)t[n - 2])) return NULL;
    size_t k = n - 2;
    while (k && (t[k - 1] == ' ' || t[k - 1] == '.')) k--; /* "Sao Paulo -.SP.": a speck read as a dot */
    if (!k || !strchr("-/,", t[k - 1])) return NULL;
    if (!strpbrk(t, "0123456789")) return NULL;
    char uf[3] = {t[n - 2], t[n - 1], '\0'};
    return ocr_address_br_ddd(uf);
}

/* A Brazilian card whose numbers are all printed without their area code
 * ("3569-6905") but whose address names the state ("- SP"): the numbers
 * take the area code of the state's capital, as a guess (the city is often
 * not printed, and most of a state's numbers are in its capital's area). */
static void guess_area_from_state(fld_state_t *p, const char *fallback) {
    const char *r = p->nregions ? p->regions[0] : fallback;
    if (p->area[0] || !r || strcmp(r, "BR")) return;
    for (size_t i = 0; i < p->n; i++) {
        const fld_line_t *l = &p->l[i];
        if (l->kind == FLD_EMAIL || l->kind == FLD_WEB || l->kind == FLD_PHONE) continue;
        const char *ddd = line_state_ddd(l->t);
        if (!ddd) continue;
        snprintf(p->area, sizeof p->area, "%s", ddd);
        snprintf(p->area_region, sizeof p->area_region, "BR");
        p->area_guessed = 1;
        return;
    }
}

/* A number cut in two where OCR split a row ("Tel/Fax: 2966-" and "2550"
 * side by side, "T +33 1 42" and "68 53 18"): a line ending in digits and
 * a dash, or in a run of 2-7 digits, joined to the line right after it on
 * the same row when that one starts with digits (the second kind: only
 * digit groups, 8-15 digits together); the second line is left empty
 * (junk). Lines without boxes are never joined. */
static void join_cut_numbers(fld_state_t *p) {
    for (size_t i = 0; i + 1 < p->n; i++) {
        fld_line_t *a = &p->l[i], *b = &p->l[i + 1];
        if (!a->h || !b->h || a->kind != FLD_OTHER || b->kind != FLD_OTHER) continue;
        size_t al = strlen(a->t);
        while (al && a->t[al - 1] == ' ') al--;
        if (!isdigit((unsigned char)b->t[0])) continue;
        int dash = al >= 2 && a->t[al - 1] == '-' && isdigit((unsigned char)a->t[al - 2]);
        /* or a number's head too short to be one ("T +33 1 42") and a
         * tail of digit groups alone ("68 53 18") */
        if (!dash) {
            if (!al || !isdigit((unsigned char)a->t[al - 1]) || strspn(b->t, "0123456789 -.") != strlen(b->t)) continue;
            size_t k = al;
            int da = 0, db = 0;
            while (k && strchr("0123456789 -.()+", a->t[k - 1])) da += isdigit((unsigned char)a->t[--k]) != 0;
            for (const char *c = b->t; *c; c++) db += isdigit((unsigned char)*c) != 0;
            if (da < 2 || da >= 8 || db < 4 || da + db < 8 || da + db > 15) continue;
        }
        int mh = a->h < b->h ? a->h : b->h, xh = a->h > b->h ? a->h : b->h;
        int gap = b->x - (a->x + a->w);
        if (abs(a->y - b->y) >= mh / 2 + 1 || b->x <= a->x || gap < -2 * xh || gap > 3 * xh) continue; /* boxes may overlap */
        size_t bl = strlen(b->t);
        char *t = malloc(al + bl + 2);
        if (!t) return; /* out of memory: the halves stay apart */
        memcpy(t, a->t, al);
        if (!dash) t[al++] = ' ';
        memcpy(t + al, b->t, bl + 1);
        free(a->t);
        a->t = t;
        a->w = b->x + b->w - a->x;
        b->t[0] = '\0';
        b->kind = FLD_JUNK;
        b->letters = 0;
    }
}

/* Messenger and radio IDs ("ID 35*65*43262", Nextel's): digit groups
 * joined by '*'. A line that holds one and no other number is neither a
 * phone nor an address. */
static void mark_messenger_ids(fld_state_t *p) {
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER) continue;
        const char *st = strchr(l->t, '*');
        if (!st || st == l->t || !isdigit((unsigned char)st[-1]) || !isdigit((unsigned char)st[1])) continue;
        /* the digits outside the starred run */
        const char *b = st;
        while (b > l->t && (isdigit((unsigned char)b[-1]) || b[-1] == '*')) b--;
        const char *e = st;
        while (*e && (isdigit((unsigned char)*e) || *e == '*')) e++;
        int other = 0;
        for (const char *q = l->t; *q; q++)
            if ((q < b || q >= e) && isdigit((unsigned char)*q)) other++;
        if (other < 6) l->kind = FLD_SOCIAL;
    }
}

/* 1 when region r is the country of a phone of the card other than
 * skip, or of the domain of one of its e-mails or sites. */
static int card_names_region(fld_state_t *p, const char *r, int skip) {
    for (int i = 0; i < p->nphones; i++) {
        char cc[3];
        if (i != skip && fmt_phone_region(p->phones[i].number, cc, sizeof cc) == GR_OK && !strcmp(cc, r)) return 1;
    }
    for (int i = 0; i < p->nemails + p->nsites; i++) {
        const char *d = ocr_fld_item(p, i), *at = strchr(d, '@');
        const char *t = ocr_fld_tld_region(at ? at + 1 : d);
        if (t && !strcmp(t, r)) return 1;
    }
    return 0;
}

/* "+94 91 234 5336" on a Spanish card (.es, a +34 mobile), "+33 02 1234
 * 0029" on an Italian one: a country code one digit off the code of a
 * country the rest of the card names, its own country named by nothing
 * else, is as likely that code misread as a branch abroad. The number
 * stays as printed, but is not marked confident (x0.5): the person checks
 * it (ocr_cards2 BIG=0.4 seed 4321, two cards of 40). */
static void lone_code_near_card(fld_state_t *p) {
    for (int i = 0; i < p->nphones; i++) {
        char r[3], cr[12];
        if (fmt_phone_region(p->phones[i].number, r, sizeof r) != GR_OK || card_names_region(p, r, i)) continue;
        snprintf(cr, sizeof cr, "%d", fmt_phone_country_code(r));
        for (int k = 0; k < p->nregions; k++) {
            char ck[12];
            if (!strcmp(p->regions[k], r) || !card_names_region(p, p->regions[k], i)) continue;
            snprintf(ck, sizeof ck, "%d", fmt_phone_country_code(p->regions[k]));
            size_t n = strlen(cr), d = 0;
            if (strlen(ck) != n) continue;
            for (size_t q = 0; q < n; q++) d += cr[q] != ck[q];
            if (d == 1) {
                p->phones[i].conf *= 0.5f;
                break;
            }
        }
    }
}

void ocr_fld_find_phones(fld_state_t *p, const char *fallback) {
    join_cut_numbers(p);
    mark_messenger_ids(p);
    for (int second = 0; second < 2; second++) {
        if (second) guess_area_from_state(p, fallback);
        for (size_t i = 0; i < p->n; i++) {
            fld_line_t *l = &p->l[i];
            if (l->kind == FLD_SOCIAL) continue;
            if (l->kind == FLD_EMAIL || l->kind == FLD_WEB) {
                /* a number printed on the same line as the e-mail */
                char rest[512];
                if (!contact_line_rest(l->t, rest, sizeof rest)) continue;
                fld_line_t tmp = *l;
                tmp.t = rest;
                line_phones(p, &tmp, (int)i, fallback, second);
                continue;
            }
            if (line_phones(p, l, (int)i, fallback, second) > 0) {
                l->kind = FLD_PHONE;
                l->contact = 1;
            }
        }
    }
    lone_code_near_card(p);
}
