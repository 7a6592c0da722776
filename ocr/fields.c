/* fields.c - OCR lines -> contact fields (see fields.h).
 *
 * Contact lines (e-mail, web, phone, @handle) are recognised by their
 * grammar first; address lines by street words and postcode shapes; the
 * remaining lines are name, title, company or tagline, decided by size,
 * position (the title sits under the name), company suffixes and agreement
 * with the e-mail/web domain and the e-mail's local part. */
#include "ocr/fields.h"

#include "ocr/address.h"
#include "firmware/core/err.h"
#include "firmware/formats/phone.h"
#include "firmware/formats/strbuf.h"
#include "firmware/formats/utf8.h"

#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ITEMS 8

enum { K_OTHER = 0, K_EMAIL, K_WEB, K_PHONE, K_SOCIAL, K_ADDR, K_NAME, K_TITLE, K_COMPANY, K_JUNK };

typedef struct {
    char *t;       /* cleaned text */
    float conf;
    int x, y, w, h;
    int kind;
    int contact;   /* holds an e-mail/web/phone/handle */
    int addr;      /* address score */
    int cyr;       /* Cyrillic letters */
    int letters;
} pline_t;

typedef struct {
    char number[24];
    const char *type;
    float conf;
} phone_t;

typedef struct {
    char s[256];
    float conf;
} item_t;

typedef struct {
    pline_t *l;
    size_t n;
    item_t emails[MAX_ITEMS];
    int nemails;
    item_t sites[MAX_ITEMS];
    int nsites;
    phone_t phones[MAX_ITEMS];
    int nphones;
    char regions[6][3];
    int nregions;
    int ncyr, nlat;
} parse_t;

/* ---------------------------------------------------------------- helpers */

static int is_word_char(int c) { return isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; }

static int ci_starts(const char *s, const char *p) { return strncasecmp(s, p, strlen(p)) == 0; }

/* Case-insensitive (ASCII) substring search. */
static const char *ci_find(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n)) return hay;
    return NULL;
}

static void add_region(parse_t *p, const char *r) {
    if (!r || strlen(r) != 2) return;
    for (int i = 0; i < p->nregions; i++)
        if (!strcasecmp(p->regions[i], r)) return;
    if (p->nregions < 6) {
        p->regions[p->nregions][0] = (char)toupper((unsigned char)r[0]);
        p->regions[p->nregions][1] = (char)toupper((unsigned char)r[1]);
        p->regions[p->nregions][2] = '\0';
        p->nregions++;
    }
}

static const char *tld_region(const char *domain) {
    static const struct { const char *tld, *cc; } map[] = {
        {".co.uk", "GB"}, {".uk", "GB"}, {".de", "DE"}, {".fr", "FR"}, {".ru", "RU"}, {".at", "AT"},
        {".ch", "CH"},    {".it", "IT"}, {".es", "ES"}, {".nl", "NL"}, {".be", "BE"}, {".pl", "PL"},
        {".ca", "CA"},    {".au", "AU"}, {".us", "US"}, {".ie", "IE"}, {".by", "BY"}, {".kz", "KZ"},
        {".ua", "UA"},    {".lu", "LU"}, {".se", "SE"}, {".dk", "DK"}, {".no", "NO"}, {".fi", "FI"},
        {".pt", "PT"},    {".cz", "CZ"}};
    size_t n = strlen(domain);
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        size_t k = strlen(map[i].tld);
        if (n > k && !strcasecmp(domain + n - k, map[i].tld)) return map[i].cc;
    }
    return NULL;
}

/* Levenshtein distance of two short ASCII strings (capped inputs). */
static int edit_distance(const char *a, const char *b) {
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

/* ASCII copy of s for e-mail/URL grammar: Cyrillic homoglyphs mapped to
 * Latin, other non-ASCII dropped. */
static void ascii_fold(const char *s, char *out, size_t n) {
    size_t w = 0;
    while (*s && w + 1 < n) {
        unsigned c = fmt_u8_next(&s);
        if (c < 0x80) out[w++] = (char)c;
        else if (homoglyph(c)) out[w++] = (char)homoglyph(c);
        else out[w++] = '~'; /* keeps "für" from becoming "fr" */
    }
    out[w] = '\0';
}

/* ------------------------------------------------------------ line prep */

static char *clean_line(const char *in) {
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
        else if (c == 0x2018 || c == 0x2019 || c == 0x201B || c == 0x2032) fmt_sb_addc(&b, '\'');
        else if (c == 0x201C || c == 0x201D) fmt_sb_addc(&b, '"');
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
    while (w > s && w[-1] == ' ') *--w = '\0';
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
        memmove(s, sp + 1, strlen(sp + 1) + 1);
    }
    return s;
}

/* ------------------------------------------------------------- e-mail/web */

static int valid_domain(const char *d) {
    const char *dot = strrchr(d, '.');
    if (!dot || dot == d || strlen(dot + 1) < 2 || strlen(dot + 1) > 12) return 0;
    for (const char *c = dot + 1; *c; c++)
        if (!isalpha((unsigned char)*c)) return 0;
    for (const char *c = d; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '.' && *c != '-') return 0;
    if (strstr(d, "..") || d[0] == '.' || d[0] == '-') return 0;
    return 1;
}

static void lower_ascii(char *s) {
    for (; *s; s++) *s = (char)tolower((unsigned char)*s);
}

static int add_item(item_t *v, int *n, const char *s, float conf) {
    for (int i = 0; i < *n; i++)
        if (!strcasecmp(v[i].s, s)) return 0;
    if (*n >= MAX_ITEMS) return 0;
    snprintf(v[*n].s, sizeof v[*n].s, "%s", s);
    v[*n].conf = conf;
    (*n)++;
    return 1;
}

/* Known TLD-ish fragments that OCR separates from the domain with a space. */
static int tld_fragment(const char *t) {
    static const char *f[] = {"com", "de", "fr", "ru", "uk", "co.uk", "org", "net", "io", "eu", "info", "biz", NULL};
    size_t n = strcspn(t, " ");
    for (int i = 0; f[i]; i++)
        if (strlen(f[i]) == n && !strncasecmp(t, f[i], n)) return 1;
    return 0;
}

/* "colette. mercier@x. fr" -> "colette.mercier@x.fr": OCR puts a space
 * after dots inside e-mail addresses and host names. */
static void contract_dots(char *s) {
    char *w = s, prev = ' ';
    for (char *r = s; *r; r++) {
        char c = *r;
        *w++ = c;
        if (c == '.' && isalnum((unsigned char)prev) && r[1] == ' ' && islower((unsigned char)r[2])) r++;
        prev = c;
    }
    *w = '\0';
}

/* Find an e-mail in line a (ASCII-folded). Returns 1 and fills out. */
static int find_email(const char *a, char *out, size_t outlen, int *social) {
    *social = 0;
    const char *at = strchr(a, '@');
    if (!at) {
        /* "name(at)domain" */
        return 0;
    }
    char buf[512];
    snprintf(buf, sizeof buf, "%s", a);
    contract_dots(buf);
    char *A = strchr(buf, '@');
    /* join "local @domain" and "local@ domain" */
    if (A > buf && A[-1] == ' ') {
        memmove(A - 1, A, strlen(A) + 1);
        A--;
    }
    if (A[1] == ' ') memmove(A + 1, A + 2, strlen(A + 2) + 1);
    char *l = A;
    while (l > buf && (is_word_char((unsigned char)l[-1]) || l[-1] == ',' || l[-1] == '|')) l--;
    for (char *q = l; q < A; q++)
        if (*q == '|') *q = 'l'; /* the name check below may turn it into the right letter */
    char *r = A + 1;
    while (*r && (isalnum((unsigned char)*r) || *r == '.' || *r == '-' || *r == ',' || *r == '_')) r++;
    /* "domain co.uk": a space where a dot was */
    if (*r == ' ' && tld_fragment(r + 1 + strspn(r + 1, "."))) {
        *r = '.';
        while (*r && (isalnum((unsigned char)*r) || *r == '.' || *r == '-')) r++;
    }
    /* "@tay lorstanton.com": a space inside the host name */
    if (*r == ' ' && !memchr(A + 1, '.', (size_t)(r - A - 1)) && isalnum((unsigned char)r[1])) {
        const char *nx = r + 1;
        size_t k = strcspn(nx, " ");
        if (memchr(nx, '.', k)) {
            memmove(r, r + 1, strlen(r + 1) + 1);
            while (*r && (isalnum((unsigned char)*r) || *r == '.' || *r == '-' || *r == ',' || *r == '_')) r++;
        }
    }
    size_t ll = (size_t)(A - l);
    if (ll == 0) {
        /* "@handle" with no domain: social media, never an e-mail */
        *social = 1;
        return 0;
    }
    char em[300];
    if ((size_t)(r - l) >= sizeof em) return 0;
    memcpy(em, l, (size_t)(r - l));
    em[r - l] = '\0';
    for (char *c = em; *c; c++)
        if (*c == ',') *c = '.';
    while (*em && (em[strlen(em) - 1] == '.' || em[strlen(em) - 1] == '-')) em[strlen(em) - 1] = '\0';
    char *local = em;
    while (*local == '.' || *local == '-' || *local == '_') local++;
    char *dom = strchr(local, '@');
    if (!dom || dom == local) return 0;
    *dom++ = '\0';
    /* "lyonsbaker-co.uk": a dash read for the dot before a known 2nd level */
    char *cu = strstr(dom, "-co.uk");
    if (cu) *cu = '.';
    lower_ascii(dom);
    if (!strchr(dom, '.')) {
        /* "@domain" then a space-less TLD read as letters: give up */
        *social = 1;
        return 0;
    }
    if (!valid_domain(dom)) return 0;
    snprintf(out, outlen, "%s@%s", local, dom);
    lower_ascii(out);
    return 1;
}

static int is_label(const char *w, const char *const *labels) {
    for (int i = 0; labels[i]; i++)
        if (!strcasecmp(w, labels[i])) return 1;
    return 0;
}

static int host_stem(const char *host, size_t *off, size_t *len);

/* Find a website in line a (ASCII-folded), not part of an e-mail. */
static int find_site(const char *a, int labelled, char *out, size_t outlen) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", a);
    contract_dots(buf);
    /* "www, x" / "www x" / "wwwx" */
    char *w = buf + (ci_find(buf, "www") ? ci_find(buf, "www") - buf : (ptrdiff_t)strlen(buf));
    if (!*w) w = NULL;
    if (w) {
        char *q = w + 3;
        if (*q == ',' || *q == ' ') {
            if (*q == ',' && q[1] == ' ') memmove(q + 1, q + 2, strlen(q + 2) + 1);
            *q = '.';
            if (q[1] == ' ') memmove(q + 1, q + 2, strlen(q + 2) + 1);
        } else if (*q != '.' && isalnum((unsigned char)*q)) {
            memmove(q + 1, q, strlen(q) + 1);
            *q = '.';
        }
    }
    const char *p = buf;
    while (*p) {
        while (*p == ' ') p++;
        const char *e = p;
        while (*e && *e != ' ') e++;
        char tok[300];
        size_t k = (size_t)(e - p);
        if (k > 0 && k < sizeof tok) {
            memcpy(tok, p, k);
            tok[k] = '\0';
            /* a dot read as a comma or space before the TLD */
            if (!strchr(tok, '@')) {
                char *t = tok;
                while (*t && strchr("|([{<'\"", *t)) t++;
                size_t tl = strlen(t);
                while (tl && strchr(".,;:)]}>|'\"", t[tl - 1])) t[--tl] = '\0';
                char scheme[16] = "";
                char *host = t;
                if (ci_starts(t, "https://") || ci_starts(t, "http://")) {
                    size_t sl = (size_t)(strstr(t, "//") - t) + 2;
                    snprintf(scheme, sizeof scheme, "%.*s", (int)sl, t);
                    lower_ascii(scheme);
                    host = t + sl;
                }
                char *slash = strchr(host, '/');
                char path[200] = "";
                if (slash) {
                    snprintf(path, sizeof path, "%s", slash);
                    *slash = '\0';
                }
                for (char *c = host; *c; c++)
                    if (*c == ',') *c = '.';
                lower_ascii(host);
                /* "www.merle fr": the dot before the TLD read as a space */
                const char *after_www = ci_starts(host, "www.") ? host + 4 : host;
                if ((!valid_domain(host) || !strchr(after_www, '.')) && *e == ' ' &&
                    (after_www != host || scheme[0] || labelled)) {
                    const char *nx = e + 1;
                    size_t nk = strcspn(nx, " ");
                    char frag[32];
                    if (nk < sizeof frag) {
                        memcpy(frag, nx, nk);
                        frag[nk] = '\0';
                        size_t hl = strlen(host);
                        if (tld_fragment(frag) && hl + nk + 2 < sizeof tok - (size_t)(host - tok)) {
                            host[hl] = '.';
                            memcpy(host + hl + 1, frag, nk + 1);
                            lower_ascii(host);
                            e = nx + nk;
                        }
                    }
                }
                /* "www" misread as "mumum", "vvww", "wvw" */
                size_t fl = strcspn(host, ".");
                if (fl >= 3 && fl <= 6 && host[fl] == '.' && strspn(host, "wvmun") == fl && strchr(host + fl + 1, '.') &&
                    strncmp(host, "www", 3)) {
                    memmove(host + 3, host + fl, strlen(host + fl) + 1);
                    memcpy(host, "www", 3);
                }
                size_t so, sl;
                int www = ci_starts(host, "www.");
                if (!host_stem(host, &so, &sl) || (www && so != 4) || tld_fragment(host)) {
                    p = e;
                    continue;
                }
                if (valid_domain(host) && (www || scheme[0] || labelled || tld_region(host) ||
                                           strstr(host, ".com") || strstr(host, ".org") || strstr(host, ".net"))) {
                    snprintf(out, outlen, "%s%s%s", scheme, host, strcmp(path, "/") ? path : "");
                    return 1;
                }
            }
        }
        p = e;
    }
    return 0;
}

/* 1 when the line starts with a web label (Web:, W, Site, Сайт ...). */
static int web_labelled(const char *t) {
    static const char *const WEB_LBL[] = {"web", "w", "www", "site", "website", "internet", "url", "сайт",
                                          "site web", "homepage", NULL};
    char first[32];
    snprintf(first, sizeof first, "%.*s", (int)strcspn(t, ": "), t);
    char flow[32];
    size_t fo = 0;
    const char *q = first;
    while (*q && fo + 4 < sizeof flow) fo += fmt_u8_put(fmt_u8_lower(fmt_u8_next(&q)), flow + fo);
    flow[fo] = '\0';
    return is_label(flow, WEB_LBL);
}

int ocr_fields_contact_key(const char *text, char *key, size_t keylen) {
    if (keylen) key[0] = '\0';
    if (!text || keylen < 4) return 0;
    char *t = clean_line(text);
    if (!t) return 0;
    char a[512], v[300];
    ascii_fold(t, a, sizeof a);
    int social = 0, found = 0;
    if (find_email(a, v, sizeof v, &social)) {
        snprintf(key, keylen, "e:%s", v);
        found = 1;
    } else if (!social && find_site(a, web_labelled(t), v, sizeof v)) {
        /* the site as card_score compares it: no scheme, no www., no final / */
        const char *h = strstr(v, "://") ? strstr(v, "://") + 3 : v;
        if (!strncmp(h, "www.", 4)) h += 4;
        size_t n = strlen(h);
        while (n && h[n - 1] == '/') n--;
        snprintf(key, keylen, "w:%.*s", (int)n, h);
        found = 1;
    }
    free(t);
    return found;
}

/* ------------------------------------------------------------------ phones */

static const char *const LBL_MOBILE[] = {"m", "mob", "mobile", "mobil", "cell", "cellular", "handy", "portable", "port",
                                         "gsm", "м", "моб", "мобильный", "мобильный телефон", "сот", "сотовый", NULL};
static const char *const LBL_FAX[] = {"f", "fax", "telefax", "télécopie", "telecopie", "факс", "ф", NULL};
static const char *const LBL_WORK[] = {"t", "tel", "tél", "phone", "telephone", "téléphone", "telefon", "office", "o",
                                       "p", "ph", "direct", "work", "büro", "fon", "тел", "т", "телефон", "раб", "w",
                                       "bureau", "fixe", "standard", NULL};

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
    /* lower-case (ASCII and 2-byte Cyrillic/Latin-1) */
    size_t o = 0;
    const char *q = src;
    while (q < before + e && o + 4 < sizeof w) {
        unsigned c = fmt_u8_next(&q);
        o += fmt_u8_put(fmt_u8_lower(c), w + o);
    }
    w[o] = '\0';
    if (is_label(w, LBL_MOBILE)) return "mobile";
    if (is_label(w, LBL_FAX)) return "fax";
    if (is_label(w, LBL_WORK)) return "work";
    return NULL;
}

static int add_phone(parse_t *p, const char *e164, const char *type, float conf) {
    for (int i = 0; i < p->nphones; i++)
        if (!strcmp(p->phones[i].number, e164)) return 0;
    if (p->nphones >= MAX_ITEMS) return 0;
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
    case 'l': case 'I': case '|': case 'i': case '!': return '1';
    case 'S': case 's': return '5';
    case 'B': return '8';
    case 'Z': case 'z': return '2';
    case 'G': return '6';
    default: return 0;
    }
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
        if (!(isdigit((unsigned char)s[i]) || (s[i] == '+' && i + 1 < n && isdigit((unsigned char)s[i + 1])) ||
              (s[i] == '(' && i + 1 < n && isdigit((unsigned char)s[i + 1])))) {
            i++;
            continue;
        }
        size_t j = i, o = 0;
        int nd = 0;
        while (j < n && o + 2 < sizeof ns->digits) {
            int c = (unsigned char)s[j];
            int d = isdigit(c) ? c : 0;
            /* a confusable letter counts only between digits: "49 3O 12" */
            if (!d && digitish(c) && j > i && j + 1 < n && isdigit((unsigned char)s[j + 1]) &&
                (isdigit((unsigned char)s[j - 1]) || (s[j - 1] == ' ' && j >= 2 && isdigit((unsigned char)s[j - 2]))))
                d = digitish(c);
            if (d) {
                ns->digits[o++] = (char)d;
                nd++;
            } else if (c == '{' || c == '[') {
                ns->digits[o++] = '(';
            } else if (c == '}' || c == ']') {
                ns->digits[o++] = ')';
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

static int parse_phone_regions(parse_t *p, const char *num, const char *fallback, char *e164, fmt_phone_kind_t *kind) {
    for (int i = 0; i < p->nregions; i++)
        if (fmt_phone_parse(num, p->regions[i], e164, 24, kind) == GR_OK) return 1;
    if (fallback && fmt_phone_parse(num, fallback, e164, 24, kind) == GR_OK) return 1;
    /* "(0)" trunk digits printed inside an international number */
    return 0;
}

/* Phones of one line; returns how many were found. */
static int line_phones(parse_t *p, pline_t *l, const char *fallback) {
    size_t pos = 0;
    numspan_t ns;
    int found = 0;
    size_t prev_end = 0;
    while (next_number(l->t, &pos, &ns)) {
        char before[128];
        size_t bl = ns.start - prev_end < sizeof before - 1 ? ns.start - prev_end : sizeof before - 1;
        memcpy(before, l->t + ns.start - bl, bl);
        before[bl] = '\0';
        prev_end = ns.end;
        char e164[24];
        fmt_phone_kind_t kind = FMT_PHONE_UNKNOWN;
        const char *type = label_type(before);
        /* "89333 Dinslaken": a short number followed by a word and with no
         * label is a postcode, not a phone */
        if (!type && ns.ndigits < 8 && ns.digits[0] != '+') continue;
        if (!parse_phone_regions(p, ns.digits, fallback, e164, &kind)) {
            /* an icon read as a digit in front: "0 (641) 521-7547" */
            const char *rest = ns.digits;
            if (isdigit((unsigned char)rest[0]) && rest[1] == ' ' && rest[2] == '(') rest += 2;
            else continue;
            if (!parse_phone_regions(p, rest, fallback, e164, &kind)) continue;
        }
        if (!type) type = kind == FMT_PHONE_MOBILE ? "mobile" : "work";
        found += add_phone(p, e164, type, l->conf);
    }
    return found;
}

/* ---------------------------------------------------------------- address */

static const char *const STREET_WORDS[] = {
    "street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "dr", "way", "suite", "apt", "flat",
    "studio", "unit", "floor", "box", "psc", "unit", "court", "ct", "place", "pl", "square", "sq", "parkway",
    "boulevard", "blvd", "highway", "hwy", "crescent", "close", "gardens", "terrace", "row", "green", "mews",
    "straße", "strasse", "str", "weg", "platz", "allee", "ring", "gasse", "damm", "ufer", "chaussee",
    "rue", "bd", "boulevard", "avenue", "chemin", "impasse", "allée", "quai", "cours", "route", "cedex",
    "ул", "улица", "д", "дом", "пр", "просп", "проспект", "пер", "переулок", "ш", "шоссе", "наб", "г", "к", "п",
    "с", "клх", "стр", "корп", "кв", "офис", "пл", NULL};

/* US state codes following a city comma: "Wilsonview, NY 59663". */
static int us_state_zip(const char *s) {
    for (const char *p = s; *p; p++) {
        if (isupper((unsigned char)p[0]) && isupper((unsigned char)p[1]) && p[2] == ' ' &&
            strspn(p + 3, "0123456789") == 5 && (p == s || p[-1] == ' '))
            return 1;
    }
    return 0;
}

static int address_score(const pline_t *l) {
    const char *s = l->t;
    int digits = 0, score = 0;
    for (const char *c = s; *c; c++) digits += isdigit((unsigned char)*c) != 0;
    if (digits >= 12 || strchr(s, '@')) return 0;
    /* words */
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    int nwords = 0, street = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, " ,.;", &save); w; w = strtok_r(NULL, " ,.;", &save)) {
        nwords++;
        char low[64];
        size_t o = 0;
        const char *q = w;
        while (*q && o + 4 < sizeof low) o += fmt_u8_put(fmt_u8_lower(fmt_u8_next(&q)), low + o);
        low[o] = '\0';
        /* one-letter abbreviations (г. к. п. с. д.) only with their dot */
        int dotted = s[(w - buf) + strlen(w)] == '.';
        size_t ncp = 0;
        for (const char *c = low; *c; c++) ncp += ((unsigned char)*c & 0xC0) != 0x80;
        if (is_label(low, STREET_WORDS) && (ncp > 1 || dotted)) street = 1;
        /* German compounds: ...straße, ...weg, ...platz, ...allee, ...ring */
        size_t ll = strlen(low);
        static const char *suf[] = {"straße", "strasse", "weg", "platz", "allee", "ring", "gasse", "damm", NULL};
        for (int i = 0; suf[i] && !street; i++) {
            size_t k = strlen(suf[i]);
            if (ll > k + 2 && !strcmp(low + ll - k, suf[i])) street = 1;
        }
    }
    if (street) score += 2;
    if (us_state_zip(s)) score += 3;
    /* UK postcode: "WC2B 6UN", "SW1A 1AA", "M1 1AE" */
    for (const char *c = s; *c; c++) {
        if (c != s && c[-1] != ' ') continue;
        size_t a = 0;
        while (a < 2 && isupper((unsigned char)c[a])) a++;
        if (a == 0 || !isdigit((unsigned char)c[a])) continue;
        size_t b = a + 1;
        if (isdigit((unsigned char)c[b]) || isupper((unsigned char)c[b])) b++;
        if (c[b] == ' ' && isdigit((unsigned char)c[b + 1]) && isupper((unsigned char)c[b + 2]) &&
            isupper((unsigned char)c[b + 3]) && !isalnum((unsigned char)c[b + 4])) {
            score += 2;
            break;
        }
    }
    /* postcode shapes: 5 or 6 digits, or "NN NNN" (French), as a word */
    for (const char *c = s; *c; c++) {
        if (isdigit((unsigned char)*c) && (c == s || !isdigit((unsigned char)c[-1]))) {
            size_t k = strspn(c, "0123456789");
            if ((k == 5 || k == 6) && !isdigit((unsigned char)c[k])) score += 2;
            else if (k == 2 && c[2] == ' ' && strspn(c + 3, "0123456789") == 3 && !isdigit((unsigned char)c[6])) score += 2;
            c += k - 1;
        }
    }
    /* house number next to words: "801 Marcus", "Riehlstraße 6", "797, rue" */
    if (digits > 0 && digits <= 6 && nwords >= 2) score += 1;
    /* a line that starts with a house number and goes on in words */
    size_t hn = strspn(s, "0123456789");
    if (hn >= 1 && hn <= 5 && (s[hn] == ' ' || (s[hn] == ',' && s[hn + 1] == ' ')) && digits == (int)hn && nwords >= 3) score += 1;
    return score;
}

/* ------------------------------------------------------- names & company */

static const char *const COMPANY_MARKS[] = {
    "inc", "inc.", "llc", "ltd", "ltd.", "limited", "plc", "gmbh", "ag", "kg", "ohg", "gbr", "ug", "e.k.", "se",
    "sa", "s.a.", "sas", "s.a.s.", "sarl", "s.a.r.l.", "s.a.r.l", "eurl", "snc", "sci", "group", "groupe", "corp",
    "corp.", "corporation", "co.", "llp", "lp", "bv", "b.v.", "nv", "n.v.", "s.p.a.", "spa", "srl", "oy", "ab",
    "holding", "holdings", "partners", "associates", "sons", "fils", "gmbh&co.", "kgaa", "mbh", "ооо", "оао", "ао",
    "зао", "пао", "нпо", "ип", "гк", "тоо", "фгуп", "мup", "нко", "ано", "and", "und", "et", "и", NULL};

static int company_marks(const char *s) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    int n = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, " ,", &save); w; w = strtok_r(NULL, " ,", &save)) {
        char low[64];
        size_t o = 0;
        const char *q = w;
        while (*q && o + 4 < sizeof low) o += fmt_u8_put(fmt_u8_lower(fmt_u8_next(&q)), low + o);
        low[o] = '\0';
        if (is_label(low, COMPANY_MARKS)) n++;
    }
    if (strstr(s, "\xc2\xab") || strstr(s, "&")) n++; /* « */
    return n;
}

/* Shape of a personal name: 2-4 words, each capitalised, letters and
 * - ' . only. Returns the number of words, 0 when not a name shape. */
static int name_shape(const char *s) {
    int words = 0, in = 0, bad = 0, cap_ok = 1;
    const char *p = s;
    unsigned prev = ' ';
    while (*p) {
        unsigned c = fmt_u8_next(&p);
        if (c == ' ') {
            in = 0;
        } else {
            if (!in) {
                words++;
                in = 1;
                if (!fmt_u8_is_upper(c)) cap_ok = 0;
            } else if (fmt_u8_is_upper(c) && prev != '-' && prev != '\'' && prev != 'c' && prev != '.') {
                /* "McDonald", "O'Neill", "Jean-Luc" are fine; "ABC" is not */
                if (fmt_u8_is_upper(prev)) bad = 1;
            }
            if (!fmt_u8_is_letter(c) && c != '-' && c != '\'' && c != '.') bad = 1;
        }
        prev = c;
    }
    if (bad || !cap_ok || words < 2 || words > 4) return 0;
    return words;
}

static int count_words(const char *s) {
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

/* How well a line matches the e-mail/web domain stem (0..1). */
static double domain_match(const char *line, const char *stem) {
    if (!*stem) return 0;
    char key[256];
    fmt_u8_key(line, key, sizeof key);
    if (!*key) return 0;
    if (!strcmp(key, stem)) return 1;
    size_t kl = strlen(key), sl = strlen(stem);
    if (sl >= 4 && strstr(key, stem)) return 0.9;
    if (kl >= 4 && strstr(stem, key)) return 0.8;
    /* first word of the line against the stem ("Torres PLC" ~ torres) */
    char first[128];
    snprintf(first, sizeof first, "%s", line);
    char *sp = strchr(first, ' ');
    if (sp) *sp = '\0';
    char fk[128];
    fmt_u8_key(first, fk, sizeof fk);
    if (strlen(fk) >= 3 && !strcmp(fk, stem)) return 0.9;
    int d = edit_distance(key, stem);
    if (sl >= 5 && d <= 2) return 0.7;
    return 0;
}

/* How well a name matches the e-mail local part (0..1). */
static double local_match(const char *name, const char *local) {
    if (!*local) return 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", name);
    double best = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char k[128];
        fmt_u8_key(w, k, sizeof k);
        if (strlen(k) >= 3 && strstr(local, k)) best = 1;
        else if (strlen(k) >= 5) {
            k[4] = '\0'; /* transliterations differ at the end */
            if (strstr(local, k)) best = best < 0.7 ? 0.7 : best;
        }
    }
    return best;
}

static const char *const TITLE_WORDS[] = {
    "manager", "director", "engineer", "developer", "officer", "consultant", "analyst", "specialist", "designer",
    "assistant", "president", "head", "lead", "chief", "founder", "owner", "partner", "architect", "scientist",
    "executive", "coordinator", "administrator", "advisor", "adviser", "representative", "accountant", "sales",
    "technician", "associate", "senior", "junior", "ceo", "cto", "cfo", "coo", "vp", "intern", "editor", "agent",
    "leiter", "leiterin", "geschäftsführer", "geschäftsführerin", "berater", "beraterin", "ingenieur",
    "ingenieurin", "entwickler", "entwicklerin", "vertrieb", "referent", "referentin", "sachbearbeiter",
    "directeur", "directrice", "responsable", "chef", "ingénieur", "conseiller", "conseillère", "chargé",
    "chargée", "gérant", "gérante", "commercial", "assistante", "président", "présidente", "технолог",
    "директор", "менеджер", "инженер", "руководитель", "начальник", "специалист", "бухгалтер", "консультант",
    "заместитель", "главный", "ведущий", "старший", "аналитик", "разработчик", "юрист", NULL};

static int title_words(const char *s) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    int n = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, " ,/&-", &save); w; w = strtok_r(NULL, " ,/&-", &save)) {
        char low[64];
        size_t o = 0;
        const char *q = w;
        while (*q && o + 4 < sizeof low) o += fmt_u8_put(fmt_u8_lower(fmt_u8_next(&q)), low + o);
        low[o] = '\0';
        if (is_label(low, TITLE_WORDS)) n++;
    }
    return n;
}


/* The registrable label of a host: "lyonsbaker" in "www.lyonsbaker.co.uk".
 * Sets *off and *len within host; 0 when there is none. */
static int host_stem(const char *host, size_t *off, size_t *len) {
    const char *end = host + strlen(host);
    const char *last = strrchr(host, '.');
    if (!last || last == host) return 0;
    const char *e = last;
    /* two-level public suffixes: co.uk, com.au, org.uk ... */
    const char *prev = e - 1;
    while (prev > host && *prev != '.') prev--;
    if (*prev == '.' && (e - prev - 1 == 2 || e - prev - 1 == 3) && end - last - 1 == 2 &&
        (!strncmp(prev + 1, "co", 2) || !strncmp(prev + 1, "com", 3) || !strncmp(prev + 1, "org", 3) ||
         !strncmp(prev + 1, "ac", 2) || !strncmp(prev + 1, "gov", 3)))
        e = prev;
    const char *b = e - 1;
    while (b > host && b[-1] != '.' && b[-1] != '/' && b[-1] != '@') b--;
    if (e <= b) return 0;
    *off = (size_t)(b - host);
    *len = (size_t)(e - b);
    return 1;
}

/* Same length, differing in 1..2 places. */
static int near_same_len(const char *a, size_t al, const char *b) {
    if (strlen(b) != al) return 0;
    int d = 0;
    for (size_t i = 0; i < al; i++) d += a[i] != b[i];
    return d >= 1 && d <= 2;
}

/* Replace the stem of the host inside s (an e-mail or URL) by stem when it
 * is a near-miss of it (OCR: lyonshaker -> lyonsbaker). */
static int fix_stem(char *s, size_t cap, const char *stem) {
    char *host = strchr(s, '@');
    host = host ? host + 1 : s;
    char *sch = strstr(host, "://");
    if (sch) host = sch + 3;
    char h[256];
    snprintf(h, sizeof h, "%.*s", (int)strcspn(host, "/"), host);
    size_t off, len;
    if (!host_stem(h, &off, &len) || len < 6) return 0;
    /* compare without hyphens ("bernard-consell" ~ "bernardconseil") */
    char bare[128], fixed[128];
    size_t bl = 0;
    for (size_t i = 0; i < len && bl + 1 < sizeof bare; i++)
        if (h[off + i] != '-') bare[bl++] = h[off + i];
    bare[bl] = '\0';
    if (bl < 6 || !near_same_len(bare, bl, stem)) return 0;
    size_t k = 0;
    for (size_t i = 0; i < len && i + 1 < sizeof fixed; i++) fixed[i] = h[off + i] == '-' ? '-' : stem[k++];
    fixed[len < sizeof fixed ? len : sizeof fixed - 1] = '\0';
    stem = fixed;
    char out[512];
    int n = snprintf(out, sizeof out, "%.*s%s%s", (int)(host - s + (ptrdiff_t)off), s, stem, host + off + len);
    if (n < 0 || (size_t)n >= cap) return 0;
    memcpy(s, out, (size_t)n + 1);
    return 1;
}

/* --------------------------------------------------------------- the parse */

static int overlap_x(const pline_t *a, const pline_t *b) {
    if (!a->w || !b->w) return 1;
    int l = a->x > b->x ? a->x : b->x;
    int r = (a->x + a->w) < (b->x + b->w) ? (a->x + a->w) : (b->x + b->w);
    return r > l;
}

/* Index of the line right below line i in the same column, or -1. */
static int below(const parse_t *p, int i) {
    const pline_t *a = &p->l[i];
    int best = -1, bestdy = 1 << 30;
    for (size_t j = 0; j < p->n; j++) {
        const pline_t *b = &p->l[j];
        if ((int)j == i || b->kind == K_JUNK) continue;
        if (a->h == 0) { /* no boxes: text order */
            if ((int)j == i + 1) return (int)j;
            continue;
        }
        int dy = b->y - (a->y + a->h);
        if (b->y <= a->y || dy > 3 * (a->h > b->h ? a->h : b->h) || !overlap_x(a, b)) continue;
        if (dy < bestdy) {
            bestdy = dy;
            best = (int)j;
        }
    }
    return best;
}

static int above(const parse_t *p, int i) {
    const pline_t *a = &p->l[i];
    int best = -1, bestdy = 1 << 30;
    for (size_t j = 0; j < p->n; j++) {
        const pline_t *b = &p->l[j];
        if ((int)j == i || b->kind == K_JUNK) continue;
        if (a->h == 0) {
            if ((int)j == i - 1) return (int)j;
            continue;
        }
        int dy = a->y - (b->y + b->h);
        if (b->y >= a->y || dy > 3 * (a->h > b->h ? a->h : b->h) || !overlap_x(a, b)) continue;
        if (dy < bestdy) {
            bestdy = dy;
            best = (int)j;
        }
    }
    return best;
}

static int cmp_y(const void *a, const void *b) {
    const pline_t *x = a, *y = b;
    if (x->h == 0 || y->h == 0) return 0;
    /* same row: left first */
    if (abs(x->y - y->y) < (x->h < y->h ? x->h : y->h) / 2) return x->x - y->x;
    return x->y - y->y;
}

static void set_field(json_t *o, json_t *conf, const char *key, const char *v, double c) {
    json_object_set_new(o, key, json_string(v ? v : ""));
    json_object_set_new(conf, key, json_real(v && *v ? round(c * 100) / 100 : 0));
}

/* Strip trailing punctuation OCR hangs on a name/company ("Snyder."). */
static void trim_punct(char *s) {
    size_t n = strlen(s);
    while (n && strchr(".,;:|-_", s[n - 1]) && !(n >= 2 && s[n - 2] != ' ' && s[n - 1] == '.' && n >= 3 &&
                                                (s[n - 3] == '.' || s[n - 3] == ' ' || strchr("RLAGCO", s[n - 2]))))
        s[--n] = '\0';
    while (n && s[n - 1] == ' ') s[--n] = '\0';
}

json_t *ocr_fields_parse(const ocr_lines_t *ls, const char *region) {
    parse_t P;
    memset(&P, 0, sizeof P);
    json_t *o = NULL, *conf = NULL;
    P.l = calloc(ls && ls->n ? ls->n : 1, sizeof *P.l);
    if (!P.l) return NULL;
    /* 1. clean lines */
    for (size_t i = 0; ls && i < ls->n; i++) {
        if (!ls->v[i].text) continue;
        char *t = clean_line(ls->v[i].text);
        if (!t) goto nomem;
        if (!*t || strlen(t) > 400) {
            free(t);
            continue;
        }
        pline_t *l = &P.l[P.n++];
        l->t = t;
        l->conf = ls->v[i].conf < 0 ? 0.8f : ls->v[i].conf;
        l->x = ls->v[i].x;
        l->y = ls->v[i].y;
        l->w = ls->v[i].w;
        l->h = ls->v[i].h;
        const char *q = t;
        while (*q) {
            unsigned c = fmt_u8_next(&q);
            if (fmt_u8_is_cyrillic(c)) l->cyr++;
            if (fmt_u8_is_letter(c)) l->letters++;
        }
        P.ncyr += l->cyr;
        P.nlat += l->letters - l->cyr;
    }
    qsort(P.l, P.n, sizeof *P.l, cmp_y);

    /* 2. e-mails, websites, handles */
    for (size_t i = 0; i < P.n; i++) {
        pline_t *l = &P.l[i];
        char a[512], v[300];
        ascii_fold(l->t, a, sizeof a);
        int social = 0;
        if (find_email(a, v, sizeof v, &social)) {
            add_item(P.emails, &P.nemails, v, l->conf);
            l->kind = K_EMAIL;
            l->contact = 1;
            continue;
        }
        if (social) {
            l->kind = K_SOCIAL;
            l->contact = 1;
            continue;
        }
        if (find_site(a, web_labelled(l->t), v, sizeof v)) {
            add_item(P.sites, &P.nsites, v, l->conf);
            l->kind = K_WEB;
            l->contact = 1;
        }
    }
    /* a web address read without its dots ("spencercom") is recognised
     * from the e-mail's domain */
    if (P.nemails && !P.nsites)
        for (size_t i = 0; i < P.n; i++) {
            pline_t *l = &P.l[i];
            if (l->kind != K_OTHER || strchr(l->t, ' ')) continue;
            char k[256], dk[256];
            fmt_u8_key(l->t, k, sizeof k);
            const char *dom = strchr(P.emails[0].s, '@') + 1;
            fmt_u8_key(dom, dk, sizeof dk);
            if (strlen(dk) >= 5 && (!strcmp(k, dk) || (!strncmp(k, "www", 3) && !strcmp(k + 3, dk)))) {
                char site[300];
                snprintf(site, sizeof site, "%s%s", strncmp(k, "www", 3) ? "" : "www.", dom);
                add_item(P.sites, &P.nsites, site, l->conf * 0.8f);
                l->kind = K_WEB;
                l->contact = 1;
            }
        }
    /* "Web: www finchstaniey": a web line whose host lost its TLD takes the
     * e-mail's domain when the names are close */
    if (P.nemails && !P.nsites)
        for (size_t i = 0; i < P.n; i++) {
            pline_t *l = &P.l[i];
            if (l->kind != K_OTHER) continue;
            const char *w = ci_find(l->t, "www");
            int lab = ci_starts(l->t, "web") || ci_starts(l->t, "site") || ci_starts(l->t, "internet");
            if (!w && !lab) continue;
            char k[256], dk[256];
            fmt_u8_key(w ? w + 3 : strpbrk(l->t, ": ") ? strpbrk(l->t, ": ") : l->t, k, sizeof k);
            const char *dom = strchr(P.emails[0].s, '@') + 1;
            fmt_u8_key(dom, dk, sizeof dk);
            size_t kl = strlen(k);
            if (kl < 5 || kl > strlen(dk)) continue;
            char dpre[256];
            snprintf(dpre, sizeof dpre, "%.*s", (int)kl, dk);
            if (edit_distance(k, dpre) <= 2) {
                char site[300];
                snprintf(site, sizeof site, "%s%s", w ? "www." : "", dom);
                add_item(P.sites, &P.nsites, site, l->conf * 0.7f);
                l->kind = K_WEB;
                l->contact = 1;
            }
        }
    /* e-mail and web domains usually agree: when they differ a little,
     * keep the one read with more confidence for both */
    for (int i = 0; i < P.nemails; i++)
        for (int j = 0; j < P.nsites; j++) {
            char *ed = strchr(P.emails[i].s, '@') + 1;
            char *sd = P.sites[j].s;
            char *ss = strstr(sd, "://");
            if (ss) sd = ss + 3;
            if (!strncmp(sd, "www.", 4)) sd += 4;
            size_t sdl = strcspn(sd, "/");
            char sdom[256];
            snprintf(sdom, sizeof sdom, "%.*s", (int)sdl, sd);
            int d = edit_distance(ed, sdom);
            if (d == 0 || d > 2 || strlen(sdom) < 6) continue;
            if (P.emails[i].conf >= P.sites[j].conf) {
                char rebuilt[256];
                size_t pre = (size_t)(sd - P.sites[j].s);
                snprintf(rebuilt, sizeof rebuilt, "%.*s%s%s", (int)pre, P.sites[j].s, ed, sd + sdl);
                snprintf(P.sites[j].s, sizeof P.sites[j].s, "%s", rebuilt);
            } else {
                snprintf(ed, sizeof P.emails[i].s - (size_t)(ed - P.emails[i].s), "%s", sdom);
            }
        }
    /* 3. region hints: domains, script, then the given region */
    for (int i = 0; i < P.nemails; i++) add_region(&P, tld_region(strchr(P.emails[i].s, '@')));
    for (int i = 0; i < P.nsites; i++) {
        char host[256];
        const char *s = strstr(P.sites[i].s, "://");
        snprintf(host, sizeof host, "%s", s ? s + 3 : P.sites[i].s);
        host[strcspn(host, "/")] = '\0';
        add_region(&P, tld_region(host));
    }
    if (P.ncyr > P.nlat / 2 && P.ncyr > 5) add_region(&P, "RU");
    /* international numbers on the card tell the country too */
    for (size_t i = 0; i < P.n; i++) {
        const char *plus = strchr(P.l[i].t, '+');
        if (!plus) continue;
        size_t pos = (size_t)(plus - P.l[i].t);
        numspan_t ns;
        char e164[24], cc[3];
        if (next_number(P.l[i].t, &pos, &ns) && ns.digits[0] == '+' &&
            fmt_phone_parse(ns.digits, "ZZ", e164, sizeof e164, NULL) == GR_OK && fmt_phone_region(e164, cc, sizeof cc) == GR_OK)
            add_region(&P, cc);
    }
    const char *fallback = region && fmt_phone_region_known(region) ? region : NULL;

    /* 4. phones */
    for (size_t i = 0; i < P.n; i++) {
        pline_t *l = &P.l[i];
        if (l->kind == K_EMAIL || l->kind == K_WEB || l->kind == K_SOCIAL) continue;
        if (line_phones(&P, l, fallback) > 0) {
            l->kind = K_PHONE;
            l->contact = 1;
        }
    }

    /* 5. junk: low-confidence lines with few letters (logos, QR noise) */
    for (size_t i = 0; i < P.n; i++) {
        pline_t *l = &P.l[i];
        if (l->contact) continue;
        if ((l->conf < 0.5f && l->letters < 6) || l->letters < 2 || (l->conf < 0.35f)) l->kind = K_JUNK;
    }

    /* 6. address: the best address line, grown to its neighbours */
    int abest = -1, ascore = 0;
    for (size_t i = 0; i < P.n; i++) {
        pline_t *l = &P.l[i];
        if (l->kind != K_OTHER) continue;
        l->addr = address_score(l);
        if (l->addr > ascore) {
            ascore = l->addr;
            abest = (int)i;
        }
    }
    int addr_lines[6], naddr = 0;
    if (abest >= 0 && ascore >= 2) {
        addr_lines[naddr++] = abest;
        P.l[abest].kind = K_ADDR;
        /* upwards: street lines above a city line */
        int cur = abest;
        while (naddr < 4) {
            int up = above(&P, cur);
            if (up < 0 || P.l[up].kind != K_OTHER || (P.l[up].addr < 1 && count_words(P.l[up].t) > 3)) break;
            if (P.l[up].addr < 1) break;
            memmove(addr_lines + 1, addr_lines, sizeof(int) * (size_t)naddr);
            addr_lines[0] = up;
            naddr++;
            P.l[up].kind = K_ADDR;
            cur = up;
        }
        cur = abest;
        while (naddr < 5) {
            int dn = below(&P, cur);
            if (dn < 0 || P.l[dn].kind != K_OTHER) break;
            /* a city line: address-like, or a few capitalised words of similar size */
            int near = P.l[dn].h == 0 || abs(P.l[dn].h - P.l[cur].h) <= P.l[cur].h / 3;
            if (P.l[dn].addr < 1 && !(near && count_words(P.l[dn].t) <= 3 && !title_words(P.l[dn].t) &&
                                      !company_marks(P.l[dn].t)))
                break;
            addr_lines[naddr++] = dn;
            P.l[dn].kind = K_ADDR;
            cur = dn;
        }
    }

    /* 7. name, title, company among the rest */
    char stem[128] = "", local[128] = "";
    if (P.nemails) {
        const char *at = strchr(P.emails[0].s, '@');
        snprintf(local, sizeof local, "%.*s", (int)(at - P.emails[0].s), P.emails[0].s);
        char dom[256];
        snprintf(dom, sizeof dom, "%s", at + 1);
        *strrchr(dom, '.') = '\0';
        char *co = strstr(dom, ".co");
        if (co && !co[3]) *co = '\0';
        char *dot = strrchr(dom, '.');
        fmt_u8_key(dot ? dot + 1 : dom, stem, sizeof stem);
    } else if (P.nsites) {
        const char *s = strstr(P.sites[0].s, "://");
        char host[256];
        snprintf(host, sizeof host, "%s", s ? s + 3 : P.sites[0].s);
        host[strcspn(host, "/")] = '\0';
        char *h = host;
        if (!strncmp(h, "www.", 4)) h += 4;
        char *last = strrchr(h, '.');
        if (last) *last = '\0';
        char *co = strstr(h, ".co");
        if (co && !co[3]) *co = '\0';
        char *dot = strrchr(h, '.');
        fmt_u8_key(dot ? dot + 1 : h, stem, sizeof stem);
    }
    int maxh = 1;
    for (size_t i = 0; i < P.n; i++)
        if (P.l[i].kind == K_OTHER && P.l[i].h > maxh) maxh = P.l[i].h;
    int iname = -1, icomp = -1, ititle = -1;
    double bestn = 0.5, bestc = 0.5;
    for (size_t i = 0; i < P.n; i++) {
        pline_t *l = &P.l[i];
        if (l->kind != K_OTHER) continue;
        double cm = company_marks(l->t) ? 1.0 : 0;
        double dm = domain_match(l->t, stem);
        int ns = name_shape(l->t);
        double size = l->h ? (double)l->h / maxh : 0.5;
        double sn = ns ? 1.0 + 1.5 * size + 1.5 * local_match(l->t, local) - 1.5 * cm - dm - title_words(l->t) : 0;
        if (ns == 2) sn += 0.3;
        double sc = 2.0 * cm + 2.0 * dm + 0.5 * size - (ns ? 0.3 : 0) - 0.5 * title_words(l->t);
        if (count_words(l->t) > 6) sc -= 1;
        if (sn > bestn) {
            bestn = sn;
            iname = (int)i;
        }
        if (sc > bestc) {
            bestc = sc;
            icomp = (int)i;
        }
    }
    if (iname >= 0 && iname == icomp) {
        /* one line cannot be both: keep it where it scores more, look again */
        icomp = -1;
        bestc = 0.5;
        for (size_t i = 0; i < P.n; i++) {
            pline_t *l = &P.l[i];
            if (l->kind != K_OTHER || (int)i == iname) continue;
            double sc = 2.0 * (company_marks(l->t) ? 1 : 0) + 2.0 * domain_match(l->t, stem) +
                        0.5 * (l->h ? (double)l->h / maxh : 0.5) - 0.5 * title_words(l->t);
            if (sc > bestc) {
                bestc = sc;
                icomp = (int)i;
            }
        }
    }
    if (iname >= 0) P.l[iname].kind = K_NAME;
    if (icomp >= 0) P.l[icomp].kind = K_COMPANY;
    /* the title sits right under the name; failing that, a line with title words */
    if (iname >= 0) {
        int b = below(&P, iname);
        if (b >= 0 && P.l[b].kind == K_OTHER && count_words(P.l[b].t) <= 8) ititle = b;
    }
    if (ititle < 0) {
        int bt = 0;
        for (size_t i = 0; i < P.n; i++)
            if (P.l[i].kind == K_OTHER && title_words(P.l[i].t) > bt) {
                bt = title_words(P.l[i].t);
                ititle = (int)i;
            }
    }
    if (ititle >= 0) P.l[ititle].kind = K_TITLE;

    /* 7b. the company name corroborates the domain: "Lyons-Baker" makes
     * lyonshaker.co.uk lyonsbaker.co.uk (same length, one or two letters) */
    if (icomp >= 0) {
        char ck[256] = "", fk[128] = "", buf[512];
        snprintf(buf, sizeof buf, "%s", P.l[icomp].t);
        char *save = NULL;
        for (char *w = strtok_r(buf, " ,", &save); w; w = strtok_r(NULL, " ,", &save)) {
            if (company_marks(w)) continue;
            char k[128];
            fmt_u8_key(w, k, sizeof k);
            if (!fk[0]) snprintf(fk, sizeof fk, "%s", k);
            strncat(ck, k, sizeof ck - strlen(ck) - 1);
        }
        for (int i = 0; i < P.nemails; i++)
            if (!fix_stem(P.emails[i].s, sizeof P.emails[i].s, ck)) fix_stem(P.emails[i].s, sizeof P.emails[i].s, fk);
        for (int i = 0; i < P.nsites; i++)
            if (!fix_stem(P.sites[i].s, sizeof P.sites[i].s, ck)) fix_stem(P.sites[i].s, sizeof P.sites[i].s, fk);
    }
    /* 7c. the name corroborates the e-mail's local part (harrisi -> harrisl) */
    if (iname >= 0 && P.nemails) {
        char nm[512];
        snprintf(nm, sizeof nm, "%s", P.l[iname].t);
        char *sp = strrchr(nm, ' ');
        if (sp) {
            *sp = '\0';
            char g[128], f[128];
            fmt_u8_key(nm, g, sizeof g);
            fmt_u8_key(sp + 1, f, sizeof f);
            if (g[0] && f[0]) {
                char c[12][260];
                snprintf(c[0], sizeof c[0], "%s", g);
                snprintf(c[1], sizeof c[1], "%s", f);
                snprintf(c[2], sizeof c[2], "%s.%s", g, f);
                snprintf(c[3], sizeof c[3], "%s%s", g, f);
                snprintf(c[4], sizeof c[4], "%c.%s", g[0], f);
                snprintf(c[5], sizeof c[5], "%c%s", g[0], f);
                snprintf(c[6], sizeof c[6], "%s.%s", f, g);
                snprintf(c[7], sizeof c[7], "%s%c", f, g[0]);
                snprintf(c[8], sizeof c[8], "%s_%s", g, f);
                snprintf(c[9], sizeof c[9], "%s-%s", g, f);
                snprintf(c[10], sizeof c[10], "%s.%c", f, g[0]);
                snprintf(c[11], sizeof c[11], "%s%s", f, g);
                for (int i = 0; i < P.nemails; i++) {
                    char *at = strchr(P.emails[i].s, '@');
                    size_t ll = (size_t)(at - P.emails[i].s);
                    int exact = 0, hit = -1;
                    for (int k = 0; k < 12; k++) {
                        if (strlen(c[k]) == ll && !strncmp(c[k], P.emails[i].s, ll)) exact = 1;
                        else if (hit < 0 && ll >= 5 && strlen(c[k]) == ll) {
                            int d = 0;
                            for (size_t q = 0; q < ll; q++) d += c[k][q] != P.emails[i].s[q];
                            if (d == 1) hit = k;
                        }
                    }
                    if (!exact && hit >= 0) {
                        char rest[256];
                        snprintf(rest, sizeof rest, "%s", at);
                        size_t hl = strlen(c[hit]), rl = strlen(rest);
                        if (hl + rl < sizeof P.emails[i].s) { /* else keep the e-mail as read */
                            memcpy(P.emails[i].s, c[hit], hl);
                            memcpy(P.emails[i].s + hl, rest, rl + 1);
                        }
                    }
                }
            }
        }
    }

    /* 8. the JSON */
    o = json_object();
    conf = json_object();
    if (!o || !conf) goto nomem;
    char name[512] = "", given[256] = "", family[256] = "";
    double cname = 0;
    if (iname >= 0) {
        snprintf(name, sizeof name, "%s", P.l[iname].t);
        trim_punct(name);
        cname = P.l[iname].conf;
        if (local_match(name, local) > 0) cname = cname + (1 - cname) * 0.5;
        char *sp = strrchr(name, ' ');
        if (sp) {
            snprintf(given, sizeof given, "%.*s", (int)(sp - name), name);
            snprintf(family, sizeof family, "%s", sp + 1);
        }
    }
    set_field(o, conf, "name", name, cname);
    json_object_set_new(o, "given_name", json_string(given));
    json_object_set_new(o, "family_name", json_string(family));
    char title[512] = "", company[512] = "";
    if (ititle >= 0) snprintf(title, sizeof title, "%s", P.l[ititle].t);
    if (icomp >= 0) {
        snprintf(company, sizeof company, "%s", P.l[icomp].t);
        trim_punct(company);
    }
    set_field(o, conf, "title", title, ititle >= 0 ? P.l[ititle].conf * (title_words(title) ? 1 : 0.8) : 0);
    set_field(o, conf, "company", company,
              icomp >= 0 ? P.l[icomp].conf * (domain_match(company, stem) > 0 || company_marks(company) ? 1 : 0.7) : 0);
    json_t *ph = json_array();
    double cph = 1;
    for (int i = 0; i < P.nphones; i++) {
        json_array_append_new(ph, json_pack("{s:s, s:s}", "number", P.phones[i].number, "type", P.phones[i].type));
        if (P.phones[i].conf < cph) cph = P.phones[i].conf;
    }
    json_object_set_new(o, "phones", ph);
    json_object_set_new(conf, "phones", json_real(P.nphones ? round(cph * 100) / 100 : 0));
    json_t *em = json_array();
    double cem = 1;
    for (int i = 0; i < P.nemails; i++) {
        json_array_append_new(em, json_string(P.emails[i].s));
        if (P.emails[i].conf < cem) cem = P.emails[i].conf;
    }
    json_object_set_new(o, "emails", em);
    json_object_set_new(conf, "emails", json_real(P.nemails ? round(cem * 100) / 100 : 0));
    json_t *ws = json_array();
    double cws = 1;
    for (int i = 0; i < P.nsites; i++) {
        json_array_append_new(ws, json_string(P.sites[i].s));
        if (P.sites[i].conf < cws) cws = P.sites[i].conf;
    }
    json_object_set_new(o, "websites", ws);
    json_object_set_new(conf, "websites", json_real(P.nsites ? round(cws * 100) / 100 : 0));
    fmt_strbuf_t ab;
    fmt_sb_init(&ab);
    double cad = 1;
    for (int i = 0; i < naddr; i++) {
        if (ab.len) fmt_sb_adds(&ab, ", ");
        char t[512];
        snprintf(t, sizeof t, "%s", P.l[addr_lines[i]].t);
        size_t tl = strlen(t);
        while (tl && strchr(",;", t[tl - 1])) t[--tl] = '\0';
        fmt_sb_adds(&ab, t);
        if (P.l[addr_lines[i]].conf < cad) cad = P.l[addr_lines[i]].conf;
    }
    char *addr = fmt_sb_take(&ab);
    if (!addr) goto nomem;
    set_field(o, conf, "address", addr, cad);
    ocr_address_parts_t ap;
    ocr_address_split(addr, P.nregions ? P.regions[0] : NULL, &ap);
    free(addr);
    json_t *apj = ocr_address_json(&ap);
    if (!apj) goto nomem;
    json_object_set_new(o, "address_parts", apj);
    json_object_set_new(o, "confidence", conf);
    conf = NULL;
    for (size_t i = 0; i < P.n; i++) free(P.l[i].t);
    free(P.l);
    return o;
nomem:
    for (size_t i = 0; i < P.n; i++) free(P.l[i].t);
    free(P.l);
    json_decref(o);
    json_decref(conf);
    return NULL;
}

void ocr_fields_merge_qr(json_t *contact, const json_t *qr) {
    static const char *const STR[] = {"name", "given_name", "family_name", "title", "company", "address", NULL};
    json_t *conf = json_object_get(contact, "confidence");
    for (int i = 0; STR[i]; i++) {
        const char *v = json_string_value(json_object_get(qr, STR[i]));
        if (v && *v) {
            json_object_set_new(contact, STR[i], json_string(v));
            if (conf && json_object_get(conf, STR[i])) json_object_set_new(conf, STR[i], json_real(1.0));
        }
    }
    /* the QR's address replaces the printed one: split it again */
    const char *qa = json_string_value(json_object_get(qr, "address"));
    if (qa && *qa) {
        const char *hint = json_string_value(json_object_get(json_object_get(contact, "address_parts"), "country"));
        ocr_address_parts_t ap;
        ocr_address_split(qa, hint && strlen(hint) == 2 ? hint : NULL, &ap);
        json_t *apj = ocr_address_json(&ap);
        if (apj) json_object_set_new(contact, "address_parts", apj);
    }
    static const char *const ARR[] = {"phones", "emails", "websites", NULL};
    for (int i = 0; ARR[i]; i++) {
        json_t *v = json_object_get(qr, ARR[i]);
        if (json_is_array(v) && json_array_size(v) > 0) {
            json_object_set(contact, ARR[i], v);
            if (conf) json_object_set_new(conf, ARR[i], json_real(1.0));
        }
    }
}
