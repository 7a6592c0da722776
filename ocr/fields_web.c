/* fields_web.c - e-mails and websites, for the field parser: the grammar
 * that finds an e-mail (spaces around @ and after dots removed, "host co.uk"
 * joined, @handles without a domain told apart) or a website (www, scheme,
 * label or known TLD, and a registrable name) in an ASCII-folded line; the
 * contact stage that marks those lines and recovers a web line read without
 * its dots or TLD from the e-mail's domain; the agreement of e-mail and web
 * domains; the voting key (ocr_fields_contact_key); the domain helpers other
 * stages use (TLD country, host, registrable label and its repair). */
#include "ocr/fields_internal.h"

#include "firmware/core/err.h"
#include "firmware/formats/phone.h"
#include "firmware/formats/utf8.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A character of an e-mail's local part. */
static int is_word_char(int c) { return isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; }

int ocr_fld_vanity_tld(const char *t) {
    static const char *const VANITY[] = {"io", "co", "tv", "me", "ai", "ly", "fm", "am", "to", "cc", "ws", "gg",
                                         "sh", "ac", "im", "is", "la", "nu", "tk", "vc", "xyz", "eu", "app", NULL};
    for (int i = 0; VANITY[i]; i++)
        if (!strcasecmp(t, VANITY[i])) return 1;
    return 0;
}

int ocr_fields_country_tld(const char *tld) {
    if (!isalpha((unsigned char)tld[0]) || !isalpha((unsigned char)tld[1])) return 0;
    char t[3] = {(char)tolower((unsigned char)tld[0]), (char)tolower((unsigned char)tld[1]), '\0'};
    if (!strcmp(t, "uk")) return 1;
    return !ocr_fld_vanity_tld(t) && fmt_phone_region_known(t);
}

const char *ocr_fld_tld_region(const char *domain) {
    /* Every two-letter TLD is a country's (ISO 3166 alpha-2), except .uk
     * (GB) and the vanity ones. */
    static _Thread_local char cc[3];
    if (!domain) return NULL;
    const char *dot = strrchr(domain, '.');
    if (!dot || strlen(dot + 1) != 2 || !ocr_fields_country_tld(dot + 1)) return NULL;
    const char *t = dot + 1;
    if (!strcasecmp(t, "uk")) return "GB";
    cc[0] = (char)toupper((unsigned char)t[0]);
    cc[1] = (char)toupper((unsigned char)t[1]);
    cc[2] = '\0';
    return cc;
}

/* A host name: letters, digits, dots and dashes, ending in a 2-12 letter TLD. */
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

/* 1 when host ends in a TLD firms print bare ("cobaltcloud.io",
 * "roycreative.co", "acme.studio"): the vanity ones and the popular
 * generic ones. */
static int popular_tld(const char *host) {
    static const char *const G[] = {"biz", "info", "tech", "design", "studio", "agency", "digital", "online", "store",
                                    "shop", "site", "cloud", "dev", "media", "solutions", "consulting", "group",
                                    "global", "company", "space", "art", "works", NULL};
    const char *dot = strrchr(host, '.');
    if (!dot) return 0;
    if (ocr_fld_vanity_tld(dot + 1)) return 1;
    for (int i = 0; G[i]; i++)
        if (!strcmp(dot + 1, G[i])) return 1;
    return 0;
}

/* Known TLD-ish fragments that OCR separates from the domain with a space. */
static int tld_fragment(const char *t) {
    static const char *f[] = {"com", "de", "fr", "ru", "uk", "co.uk", "org", "net", "io", "eu", "info", "biz", NULL};
    size_t n = strcspn(t, " ");
    for (int i = 0; f[i]; i++)
        if (strlen(f[i]) == n && !strncasecmp(t, f[i], n)) return 1;
    return 0;
}

/* Generic second levels a country's code follows (com.sg, co.kr, org.br). */
static const char *const CC_SLD[] = {"com", "co", "org", "net", "gov", "edu", "ac", "or", "ne", NULL};

/* Where the last label of host h (n bytes) starts: after its last dot; 0
 * when it has none. */
static size_t last_label(const char *h, size_t n) {
    size_t at = 0;
    for (size_t i = 0; i < n; i++)
        if (h[i] == '.') at = i + 1;
    return at;
}

/* 1 when host h (n bytes) ends in a public second level (CC_SLD) and t
 * holds a country's code, two letters, then nothing but spaces and dots
 * (the code ending the line: "redwood.co" + " jp"). */
static int code_after_sld(const char *h, size_t n, const char *t) {
    size_t at = last_label(h, n), ln = n - at;
    const char *lab = h + at;
    if (!at || !isalpha((unsigned char)t[0]) || !isalpha((unsigned char)t[1]) || t[2 + strspn(t + 2, " .")])
        return 0;
    char cc[8];
    snprintf(cc, sizeof cc, "x.%.2s", t);
    for (int i = 0; CC_SLD[i]; i++)
        if (strlen(CC_SLD[i]) == ln && !strncasecmp(lab, CC_SLD[i], ln)) return ocr_fld_tld_region(cc) != NULL;
    return 0;
}

/* What can end a host name that lost the dot before it ("www pinnacle
 * com.sg", "www.lumina be"): a fragment above, a country's code, or a
 * public second level and a country's code (com.sg, co.kr, org.br). Only
 * for a host that has no TLD yet. */
static int tld_tail(const char *t) {
    if (tld_fragment(t)) return 1;
    size_t n = strcspn(t, " ");
    char h[16];
    if (n < 2 || n + 3 > sizeof h) return 0;
    snprintf(h, sizeof h, "x.%.*s", (int)n, t);
    ocr_fld_lower_ascii(h);
    const char *dot = strrchr(h, '.');
    if (!ocr_fld_tld_region(h)) return 0;
    if (dot == h + 1) return 1;
    for (int i = 0; CC_SLD[i]; i++)
        if ((size_t)(dot - h - 2) == strlen(CC_SLD[i]) && !strncmp(h + 2, CC_SLD[i], strlen(CC_SLD[i]))) return 1;
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

/* Line t ASCII-folded for the e-mail and site grammar, with a '@' that OCR
 * read as the registered or copyright sign put back: between a character
 * of a local part and a letter or digit, in a word that goes on to a dot
 * and a letter ("priya®silverleaf.in"). A sign after a brand name
 * ("Acme® Tools") or alone ("© 2024") stays a sign. */
static void fold_contact(const char *t, char *a, size_t n) {
    char m[512];
    size_t o = 0;
    for (const char *c = t; *c && o + 1 < sizeof m; c++) {
        if ((unsigned char)*c >= 0xC0 && o + 5 > sizeof m) break; /* no character cut in two */
        if ((unsigned char)c[0] == 0xC2 && ((unsigned char)c[1] == 0xAE || (unsigned char)c[1] == 0xA9) && c > t &&
            is_word_char((unsigned char)c[-1]) && isalnum((unsigned char)c[2])) {
            const char *e = c + 2 + strcspn(c + 2, " "), *dot = memchr(c + 2, '.', (size_t)(e - c - 2));
            if (dot && isalpha((unsigned char)dot[1])) {
                m[o++] = '@';
                c++;
                continue;
            }
        }
        m[o++] = *c;
    }
    m[o] = '\0';
    /* "o.taylor@meridian.com.auwww.meridian.com.au": the site run into
     * the e-mail before it (round 35, a held-out hand-held render): a
     * "www." right after a letter of a host that has a dot already starts
     * a word of its own */
    const char *at = strchr(m, '@');
    for (char *w = at ? m + (at - m) + 1 : NULL; w && *w && *w != ' '; w++) {
        if (w > at + 1 && isalpha((unsigned char)w[-1]) && !strncasecmp(w, "www.", 4) && memchr(at, '.', (size_t)(w - at)) &&
            o + 1 < sizeof m) {
            memmove(w + 1, w, strlen(w) + 1);
            *w = ' ';
            break;
        }
    }
    ocr_fld_ascii_fold(m, a, n);
}

/* Find an e-mail in line a (ASCII-folded). Returns 1 and fills out. */
static int find_email(const char *a, char *out, size_t outlen, int *social, char *pre, size_t prelen) {
    *social = 0;
    if (pre) *pre = '\0';
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
    /* a backslash before the first dot is an l's stroke too ("\.kruger@") */
    while (l > buf && (is_word_char((unsigned char)l[-1]) || l[-1] == ',' || l[-1] == '|' ||
                       (l[-1] == '\\' && l[0] == '.')))
        l--;
    for (char *q = l; q < A; q++)
        if (*q == '|' || *q == '\\') *q = 'l'; /* the name check below may turn it into the right letter */
    /* the word before, when a space stands where a dot was ("thimai pham@")
     * or a colon does ("amelia:natarajan@" on a small photo; a label's
     * "email:" never agrees with a name): lower-case letters only; the
     * cross-check joins it when the name agrees */
    if (pre && l > buf + 1 && (l[-1] == ' ' || l[-1] == ':')) {
        const char *w = l - 1;
        while (w > buf && islower((unsigned char)w[-1])) w--;
        size_t wl = (size_t)(l - 1 - w);
        int space = l[-1] == ' ';
        /* a capital before it: the name's given name read with it
         * ("Oliver natarajan@"), or an e-mail label's E glued on
         * ("Eweiming tan@"); "^" marks it for the name to tell which */
        int capital = w > buf && isupper((unsigned char)w[-1]) && (w - 1 == buf || w[-2] == ' ');
        int glued_e = capital && w[-1] == 'E';
        if (wl >= 2 && wl + 2 < prelen && capital) snprintf(pre, prelen, "^%.*s", (int)wl + 1, w - 1);
        else if (wl >= 2 && wl < prelen && (w == buf || w[-1] == ' ')) snprintf(pre, prelen, "%.*s", (int)wl, w);
        /* an initial that lost its dot to a space ("Email. f romano@", the
         * label's dot taken in by contract_dots): a lower-case letter alone
         * (a capital alone is a label's "E"), or with that E glued on ("Ec
         * martin@" of "E c.martin@") */
        else if (space && wl == 1 && prelen > 1 && (w == buf || !isalnum((unsigned char)w[-1]) || glued_e))
            snprintf(pre, prelen, "%c", *w);
        /* an initial and its dot ("j. weber@", the j read as a bar: "|. weber@") */
        else if (space && l > buf + 3 && l[-2] == '.' && (isalpha((unsigned char)l[-3]) || l[-3] == '|') &&
                 (l - 3 == buf || l[-4] == ' ') && prelen > 2)
            snprintf(pre, prelen, "%c.", tolower((unsigned char)l[-3]));
    }
    /* a small l and its dot read as one letter or two: "Lsmith@" (the dot
     * at the l's foot makes an L; a local part is printed in small
     * letters), "|_bernard@" (the dot read as a low line): "=l" marks it
     * for the name to decide (name_joins_local) */
    if (pre && !*pre && prelen > 2 &&
        ((l[0] == 'L' && islower((unsigned char)l[1]) && islower((unsigned char)l[2]) &&
          islower((unsigned char)l[3])) ||
         (l[0] == 'l' && l[1] == '_' && isalpha((unsigned char)l[2]))))
        snprintf(pre, prelen, "=l");
    /* an e-mail label's E glued on the local part itself ("Emuge@" of "E
     * muge@"; a local part is printed in small letters): "=E" marks it for
     * the name to decide (name_fixes_local) */
    if (pre && !*pre && prelen > 2 && l[0] == 'E' && islower((unsigned char)l[1]) && (l == buf || l[-1] == ' '))
        snprintf(pre, prelen, "=E");
    char *r = A + 1;
    /* "si\verleaf", "si|verleaf": an l between letters of the domain */
    for (char *q = A + 1; *q && (isalnum((unsigned char)*q) || strchr(".-_\\|", *q)); q++)
        if ((*q == '\\' || *q == '|') && q > A + 1 && isalpha((unsigned char)q[-1]) && isalpha((unsigned char)q[1])) *q = 'l';
    while (*r && (isalnum((unsigned char)*r) || *r == '.' || *r == '-' || *r == ',' || *r == '_')) r++;
    /* "bol.com:br": a colon read for the dot before a country TLD */
    if (*r == ':' && r > A + 1 && isalpha((unsigned char)r[-1]) && isalpha((unsigned char)r[1]) &&
        isalpha((unsigned char)r[2]) && !isalnum((unsigned char)r[3]) && memchr(A + 1, '.', (size_t)(r - A - 1))) {
        *r = '.';
        while (*r && (isalnum((unsigned char)*r) || *r == '.' || *r == '-' || *r == ',' || *r == '_')) r++;
    }
    /* "domain co.uk": a space where a dot was; "falcon.com br", "redwood.co
     * jp": the dot before a country's code after a public second level,
     * the code ending the line; not before a word in small letters: "de",
     * "com" are words of Romance languages too ("éculos @ lentes de
     * contato", am05 at 97 %, had become culos@lentes.de and made the
     * card's numbers German) */
    const char *frag = *r == ' ' ? r + 1 + strspn(r + 1, ".") : r;
    const char *after = frag + strcspn(frag, " ");
    after += strspn(after, " ");
    if (*r == ' ' && !islower((unsigned char)*after) &&
        (tld_fragment(frag) || (!memchr(A + 1, '.', (size_t)(r - A - 1)) && tld_tail(frag)))) {
        *r = '.';
        while (*r && (isalnum((unsigned char)*r) || *r == '.' || *r == '-')) r++;
    } else if (*r == ' ') {
        const char *nx = r + 1 + strspn(r + 1, " .");
        if (code_after_sld(A + 1, (size_t)(r - A - 1), nx)) {
            *r = '.';
            memmove(r + 1, nx, strlen(nx) + 1);
            while (*r && (isalnum((unsigned char)*r) || *r == '.' || *r == '-')) r++;
        }
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
    ocr_fld_lower_ascii(dom);
    /* the host twice, a bar between read as a letter ("redwood.com|redwood.com",
     * the e-mail and the site on one line), or nothing between
     * ("bluewave.debluewave.de", round 32): once */
    size_t dl = strlen(dom);
    if (dl % 2 && dl >= 7 && !strncmp(dom, dom + dl / 2 + 1, dl / 2) && memchr(dom, '.', dl / 2)) dom[dl / 2] = '\0';
    else if (dl % 2 == 0 && dl >= 8 && !strncmp(dom, dom + dl / 2, dl / 2) && memchr(dom, '.', dl / 2)) dom[dl / 2] = '\0';
    if (!strchr(dom, '.')) {
        /* "@domain" then a space-less TLD read as letters: give up */
        *social = 1;
        return 0;
    }
    if (!valid_domain(dom)) return 0;
    snprintf(out, outlen, "%s@%s", local, dom);
    ocr_fld_lower_ascii(out);
    return 1;
}

/* Second-level labels under which country TLDs register names:
 * lyonsbaker.co.uk, beltis.com.br, sansan.co.jp, 8tabeliao.not.br. */
static int public_sld(const char *l, size_t n) {
    static const char *const SLD[] = {"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go", "gob", "mil",
                                      "ltd", "plc", "biz", "nom", "adv", "eng", "not", "art", "med", "ind", "firm",
                                      "gen", "info", "in", "ltda", NULL};
    for (int i = 0; SLD[i]; i++)
        if (strlen(SLD[i]) == n && !strncmp(l, SLD[i], n)) return 1;
    return 0;
}

int ocr_fld_host_stem(const char *host, size_t *off, size_t *len) {
    const char *end = host + strlen(host);
    const char *last = strrchr(host, '.');
    if (!last || last == host) return 0;
    const char *e = last;
    /* two-level public suffixes: co.uk, com.au, com.br, co.jp ... */
    const char *prev = e - 1;
    while (prev > host && *prev != '.' && *prev != '@') prev--;
    if ((*prev == '.' || *prev == '@') && end - last - 1 == 2 && public_sld(prev + 1, (size_t)(e - prev - 1)) &&
        *prev == '.')
        e = prev;
    if (e <= host) return 0; /* ".com.br": no name before the suffix */
    const char *b = e - 1;
    while (b > host && b[-1] != '.' && b[-1] != '/' && b[-1] != '@') b--;
    if (e <= b) return 0;
    *off = (size_t)(b - host);
    *len = (size_t)(e - b);
    return 1;
}

/* Labels that are no one's registrable name: the generic second levels
 * (com, co, org, net, gov, edu, ac) and legal forms, read with their dot
 * glued to the next word ("Ltda.co"). */
static int generic_label(const char *l, size_t n) {
    static const char *const G[] = {"com", "co", "org", "net", "gov", "edu", "ac", "ltda", "ltd", "inc", "llc", "gmbh",
                                    "corp", "eireli", "pty", "pte", "bhd", "sdn", NULL};
    for (int i = 0; G[i]; i++)
        if (strlen(G[i]) == n && !strncmp(l, G[i], n)) return 1;
    return 0;
}

/* Sites hosting people's pages, the first SUBDOMAIN_PLATFORMS of them
 * under a subdomain of the person's name (nog.carbonmade.com). */
static const char *const PLATFORMS[] = {"blogspot", "wordpress", "wixsite", "tumblr", "carbonmade", "github", "weebly",
                                        "facebook", "instagram", "linkedin", "twitter", "youtube", "tiktok",
                                        "cargocollective", "behance", "squarespace", NULL};
enum { SUBDOMAIN_PLATFORMS = 7 };

int ocr_fld_platform_label(const char *k) {
    for (int i = 0; PLATFORMS[i]; i++)
        if (!strcmp(k, PLATFORMS[i])) return 1;
    return 0;
}

/* A platform's registrable label read one letter off ("carconmade.com",
 * "cargocollectlve.com"): respelled in host, whose label is lab0 at off.
 * Only names of seven letters or more, which no other site's name is one
 * letter away from by chance. 1 when respelled. */
static int respell_platform(char *host, size_t cap, size_t off, const char *lab0) {
    if (ocr_fld_platform_label(lab0)) return 0;
    size_t ll = strlen(lab0);
    for (int i = 0; PLATFORMS[i]; i++) {
        size_t pl = strlen(PLATFORMS[i]);
        if (pl < 7 || ocr_text_edit_distance(lab0, PLATFORMS[i]) != 1) continue;
        size_t hl = strlen(host);
        if (hl - ll + pl + 1 > cap) return 0;
        memmove(host + off + pl, host + off + ll, hl - off - ll + 1);
        memcpy(host + off, PLATFORMS[i], pl);
        return 1;
    }
    return 0;
}

/* 1 when lab (a registrable label) is a platform of people's subdomains. */
static int subdomain_platform(const char *lab) {
    for (int i = 0; i < SUBDOMAIN_PLATFORMS; i++)
        if (!strcmp(lab, PLATFORMS[i])) return 1;
    return 0;
}

/* 1 when a bare host (its first n characters end with a name of sl
 * letters) is two words of line a taken for one: "Ay. do" (an address's
 * "Av. do") read as ay.do, the end of a word a lost letter cut off
 * ("cargocollect ve.com"), or, whatever sl, a capitalised abbreviation, its
 * dot and a word that is a country's code ("San. ve Tic." of a Turkish
 * firm, Sanayi ve Ticaret, is no san.ve). */
static int broken_host(const char *a, const char *host, size_t n, size_t sl) {
    char pat[80];
    if (n + 3 > sizeof pat) return 0;
    memcpy(pat, host, n);
    memcpy(pat + n, ". ", 3);
    int country_only = host[n] == '.' && strlen(host + n + 1) == 2;
    for (const char *f = ocr_fld_ci_find(a, pat); f; f = ocr_fld_ci_find(f + 1, pat))
        if ((f == a || !isalnum((unsigned char)f[-1])) &&
            (sl < 3 || (country_only && isupper((unsigned char)f[0]) && islower((unsigned char)f[1]))))
            return 1;
    if (sl >= 3) return 0;
    pat[n + 1] = '\0'; /* "ve." after a long lower-case word, no label */
    for (const char *f = ocr_fld_ci_find(a, pat); f; f = ocr_fld_ci_find(f + 1, pat)) {
        int k = 0;
        if (f - a < 2 || f[-1] != ' ') continue;
        for (const char *q = f - 2; q >= a && islower((unsigned char)*q); q--) k++;
        if (k >= 6) return 1;
    }
    return 0;
}

/* A scheme OCR mangled ("hitps:/x.com", "htps://", "https:/", "http;//")
 * written as it was printed: a word of 3-6 letters within two edits of
 * http or https, then ':' or ';' and one or two slashes, then the host. */
static void fix_scheme(char *t, size_t cap) {
    size_t k = 0;
    while (k < 7 && isalpha((unsigned char)t[k])) k++;
    if (k < 3 || k > 6 || (t[k] != ':' && t[k] != ';') || t[k + 1] != '/') return;
    size_t sl = t[k + 2] == '/' ? 2 : 1;
    if (!isalnum((unsigned char)t[k + 1 + sl])) return;
    char w[8];
    memcpy(w, t, k);
    w[k] = '\0';
    ocr_fld_lower_ascii(w);
    if (w[0] != 'h' && w[0] != 'n') return;
    int ds = ocr_text_edit_distance(w, "https"), dp = ocr_text_edit_distance(w, "http");
    if (ds > 2 && dp > 2) return;
    const char *sch = ds <= dp ? "https://" : "http://";
    size_t old = k + 1 + sl, nl = strlen(sch);
    if (old == nl && !strncmp(t, sch, nl)) return;
    if (strlen(t) - old + nl + 1 > cap) return; /* no room to write it out */
    memmove(t + nl, t + old, strlen(t + old) + 1);
    memcpy(t, sch, nl);
}

/* Find a website in line a (ASCII-folded), not part of an e-mail. */
static int web_label_word(const char *t);

static int find_site(const char *a, int labelled, char *out, size_t outlen) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", a);
    contract_dots(buf);
    /* "www, x" / "www x" / "wwwx" */
    char *w = buf + (ocr_fld_ci_find(buf, "www") ? ocr_fld_ci_find(buf, "www") - buf : (ptrdiff_t)strlen(buf));
    if (!*w) w = NULL;
    if (w) {
        char *q = w + 3;
        if (*q == ',' || *q == ' ') {
            if (*q == ',' && q[1] == ' ') memmove(q + 1, q + 2, strlen(q + 2) + 1);
            *q = '.';
            if (q[1] == ' ') memmove(q + 1, q + 2, strlen(q + 2) + 1);
        } else if (*q != '.' && isalnum((unsigned char)*q) && strlen(buf) + 1 < sizeof buf) {
            /* the dot goes in only while the copy has room for it */
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
                size_t tl = strlen(t), tl0 = tl;
                while (tl && strchr(".,;:)]}>|'\"", t[tl - 1])) t[--tl] = '\0';
                char scheme[16] = "";
                char *host = t;
                fix_scheme(t, sizeof tok - (size_t)(t - tok));
                if (ocr_fld_ci_starts(t, "https://") || ocr_fld_ci_starts(t, "http://")) {
                    size_t sl = (size_t)(strstr(t, "//") - t) + 2;
                    snprintf(scheme, sizeof scheme, "%.*s", (int)sl, t);
                    ocr_fld_lower_ascii(scheme);
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
                ocr_fld_lower_ascii(host);
                /* "www.merle fr": the dot before the TLD read as a space */
                const char *after_www = ocr_fld_ci_starts(host, "www.") ? host + 4 : host;
                if ((!valid_domain(host) || !strchr(after_www, '.')) && *e == ' ' &&
                    (after_www != host || scheme[0] || labelled)) {
                    const char *nx = e + 1;
                    size_t nk = strcspn(nx, " ");
                    char frag[32];
                    if (nk < sizeof frag) {
                        memcpy(frag, nx, nk);
                        frag[nk] = '\0';
                        size_t hl = strlen(host);
                        /* a country's code alone only after www or a scheme;
                         * a public second level and a code ("co.jp") after a label too */
                        int tail = after_www != host || scheme[0] ? tld_tail(frag)
                                                                  : tld_fragment(frag) || (strchr(frag, '.') && tld_tail(frag));
                        if (tail && hl + nk + 2 < sizeof tok - (size_t)(host - tok)) {
                            host[hl] = '.';
                            memcpy(host + hl + 1, frag, nk + 1);
                            ocr_fld_lower_ascii(host);
                            e = nx + nk;
                        }
                    }
                }
                /* "www.x.blogspot.com' br": the dot before a country's
                 * second level read as a mark or a space, the country code
                 * ending the line */
                else if (valid_domain(host) && *e == ' ' && (after_www != host || scheme[0] || labelled || tl < tl0)) {
                    const char *nx = e + 1;
                    while (*nx && strchr(" .,'\"", *nx)) nx++;
                    size_t hl = strlen(host);
                    if (code_after_sld(host, hl, nx) && hl + 4 < sizeof tok - (size_t)(host - tok)) {
                        char cc[3] = {(char)tolower((unsigned char)nx[0]), (char)tolower((unsigned char)nx[1]), 0};
                        host[hl] = '.';
                        memcpy(host + hl + 1, cc, 3);
                        e = nx + strlen(nx);
                    }
                }
                /* "Web.www.x.co.kr", "wed.www.x": a label glued on by a dot */
                size_t gl = strcspn(host, ".");
                if (gl >= 1 && gl <= 4 && !strncmp(host + gl, ".www.", 5) && strchr(host + gl + 5, '.'))
                    memmove(host, host + gl + 1, strlen(host + gl + 1) + 1);
                /* "www-.x.co.kr", "wrw-x.de": the dot after the www read as a
                 * dash (a small photo), or a dash more */
                if (strspn(host, "wvr") == 3 && host[3] == '-' &&
                    (host[0] == 'w') + (host[1] == 'w') + (host[2] == 'w') >= 2 && strchr(host + 4, '.') &&
                    (host[4] == '.' || isalnum((unsigned char)host[4]))) {
                    size_t skip = host[4] == '.' ? 5 : 4; /* past "www-." or "www-" */
                    memmove(host + 4, host + skip, strlen(host + skip) + 1);
                    memcpy(host, "www.", 4);
                }
                /* "www" misread as "mumum", "vvww", "wvw"; with an e when two w's
                 * stand ("wwve" on a small photo; "menu." is a real label) */
                size_t fl = strcspn(host, "."), nw = 0;
                for (size_t q = 0; q < fl; q++) nw += host[q] == 'w';
                if (fl >= 3 && fl <= 6 && host[fl] == '.' &&
                    (strspn(host, "wvmun") == fl || (strspn(host, "wvmune") == fl && nw >= 2)) &&
                    strchr(host + fl + 1, '.') && strncmp(host, "www", 3)) {
                    memmove(host + 3, host + fl, strlen(host + fl) + 1);
                    memcpy(host, "www", 3);
                }
                size_t so, sl;
                char lab[64] = "";
                if (ocr_fld_host_stem(host, &so, &sl) && sl < sizeof lab) {
                    snprintf(lab, sizeof lab, "%.*s", (int)sl, host + so);
                    respell_platform(host, sizeof tok - (size_t)(host - tok), so, lab);
                }
                /* "nog carbonmade.com": the page's own name, then the
                 * platform's host, their dot read as a space; the name is
                 * a lowercase word of its own right before it, no label */
                if (ocr_fld_host_stem(host, &so, &sl) && so == 0 && sl < sizeof lab && !scheme[0] && !path[0] &&
                    p >= buf + 3 && p[-1] == ' ' && p[-2] != ' ') {
                    snprintf(lab, sizeof lab, "%.*s", (int)sl, host);
                    const char *pb = p - 1;
                    while (pb > buf && pb[-1] != ' ') pb--;
                    size_t pl = (size_t)(p - 1 - pb), hl = strlen(host);
                    int word = pl >= 2 && pl <= 40 && strspn(pb, "abcdefghijklmnopqrstuvwxyz0123456789-") == pl &&
                               pb[0] != '-' && pb[pl - 1] != '-' && !web_label_word(pb);
                    if (word && subdomain_platform(lab) && hl + pl + 2 <= sizeof tok - (size_t)(host - tok)) {
                        memmove(host + pl + 1, host, hl + 1);
                        memcpy(host, pb, pl);
                        host[pl] = '.';
                    }
                }
                int www = ocr_fld_ci_starts(host, "www.");
                lab[0] = '\0';
                if (ocr_fld_host_stem(host, &so, &sl) && sl < sizeof lab) snprintf(lab, sizeof lab, "%.*s", (int)sl, host + so);
                /* www. then the registrable name, or a site's name on a platform (www.x.blogspot.com) */
                /* "Com. de de" read as com.de: a public second level ("com", "co") is nobody's name */
                if (!ocr_fld_host_stem(host, &so, &sl) || (www && so != 4 && !ocr_fld_platform_label(lab)) ||
                    tld_fragment(host) || generic_label(host + so, sl)) {
                    p = e;
                    continue;
                }
                /* a bare "Ay. do", "San. ve" or "cargocollect ve.com" is no site */
                if (!www && !scheme[0] && !labelled && broken_host(a, host, so + sl, sl)) {
                    p = e;
                    continue;
                }
                if (valid_domain(host) && (www || scheme[0] || labelled || ocr_fld_tld_region(host) ||
                                           strstr(host, ".com") || strstr(host, ".org") || strstr(host, ".net") ||
                                           (sl >= 3 && popular_tld(host)))) {
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
    fmt_u8_lower_n(first, strlen(first), flow, sizeof flow);
    return ocr_fld_is_label(flow, WEB_LBL);
}

int ocr_fields_contact_key(const char *text, char *key, size_t keylen) {
    if (keylen) key[0] = '\0';
    if (!text || keylen < 4) return 0;
    char *t = ocr_fld_clean_line(text);
    if (!t) return 0;
    char a[512], v[300];
    fold_contact(t, a, sizeof a);
    int social = 0, found = 0;
    if (find_email(a, v, sizeof v, &social, NULL, 0)) {
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

int ocr_fld_confusable(char a, char b) {
    static const char *const SETS[] = {"il1", "ft", "ce", "nh", "uv", NULL};
    for (int k = 0; SETS[k]; k++)
        if (strchr(SETS[k], a) && strchr(SETS[k], b)) return 1;
    return 0;
}

/* Same length, differing in 1..2 places; in 3 for ten letters or more
 * when two of them are letters small print confuses ("siiverieal" of
 * silverleaf: i/l twice). */
static int near_same_len(const char *a, size_t al, const char *b) {
    if (strlen(b) != al) return 0;
    int d = 0, conf = 0;
    for (size_t i = 0; i < al; i++)
        if (a[i] != b[i]) {
            d++;
            conf += ocr_fld_confusable(a[i], b[i]);
        }
    return (d >= 1 && d <= 2) || (d == 3 && al >= 10 && conf >= 2);
}

/* Replace the stem of the host inside s (an e-mail or URL) by stem when it
 * is a near-miss of it (OCR: lyonshaker -> lyonsbaker) or its tail
 * (dewaterfoods -> tidewaterfoods). */
int ocr_fld_stem_in(const char *s, size_t *off, size_t *len) {
    const char *host = strchr(s, '@');
    host = host ? host + 1 : s;
    const char *sch = strstr(host, "://");
    if (sch) host = sch + 3;
    char h[256];
    snprintf(h, sizeof h, "%.*s", (int)strcspn(host, "/"), host);
    if (!ocr_fld_host_stem(h, off, len)) return 0;
    *off += (size_t)(host - s);
    return 1;
}

int ocr_fld_fix_stem(char *s, size_t cap, const char *stem) {
    size_t off, len;
    if (!ocr_fld_stem_in(s, &off, &len) || len < 6) return 0;
    /* compare without hyphens ("bernard-consell" ~ "bernardconseil") */
    char bare[128], fixed[128];
    size_t bl = 0;
    for (size_t i = 0; i < len && bl + 1 < sizeof bare; i++)
        if (s[off + i] != '-') bare[bl++] = s[off + i];
    bare[bl] = '\0';
    size_t sl = strlen(stem);
    /* the dot before a country's public second level lost, the host then
     * the stem and that level run together ("tidewatertradingco.uk" of
     * Tidewater Trading Limited): the dot put back; only the generic
     * levels (CC_SLD: a company's name may end in "in" or "ltd") */
    const char *tld = s + off + len;
    int run_on = 0;
    for (int k = 0; CC_SLD[k] && bl > sl && !run_on; k++) run_on = !strcmp(bare + sl, CC_SLD[k]);
    if (bl == len && run_on && !strncmp(bare, stem, sl) && tld[0] == '.' && isalpha((unsigned char)tld[1]) &&
        isalpha((unsigned char)tld[2]) && (!tld[3] || tld[3] == '/')) {
        char out[512];
        int n = snprintf(out, sizeof out, "%.*s.%s", (int)(off + sl), s, s + off + sl);
        if (n < 0 || (size_t)n >= cap) return 0;
        memcpy(s, out, (size_t)n + 1);
        return 1;
    }
    /* the host's head lost ("dewaterfoods" of Tidewater Foods): up to four
     * letters, the rest of the stem read whole */
    int head = bl == len && sl > bl && sl <= bl + 4 && !strcmp(stem + sl - bl, bare);
    /* one letter lost ("meriian" of meridian), or r and i read as one n
     * or an m ("mendian"): a host without hyphens one letter short */
    int lost = 0;
    if (!head && bl == len && sl == bl + 1 && bl >= 6) {
        size_t i = 0;
        while (i < bl && bare[i] == stem[i]) i++;
        /* inside: a key's extra last letter is no lost one ("polmetz" of
         * Polmet Sp. z o.o. beside polmet.pl) */
        lost = i + 2 < bl && (!strcmp(stem + i + 1, bare + i) ||
               (strchr("nm", bare[i]) &&
                (!strncmp(stem + i, "ri", 2) || !strncmp(stem + i, "rn", 2) || !strncmp(stem + i, "ni", 2) ||
                 !strncmp(stem + i, "in", 2)) &&
                !strcmp(stem + i + 2, bare + i + 1)));
    }
    head |= lost;
    if (bl < 6 || (!head && !near_same_len(bare, bl, stem))) return 0;
    if (!head) {
        size_t k = 0;
        for (size_t i = 0; i < len && i + 1 < sizeof fixed; i++) fixed[i] = s[off + i] == '-' ? '-' : stem[k++];
        fixed[len < sizeof fixed ? len : sizeof fixed - 1] = '\0';
        stem = fixed;
    }
    char out[512];
    int n = snprintf(out, sizeof out, "%.*s%s%s", (int)off, s, stem, s + off + len);
    if (n < 0 || (size_t)n >= cap) return 0;
    memcpy(s, out, (size_t)n + 1);
    return 1;
}

/* The key of a domain's registrable label: "lyonsbaker" for
 * lyonsbaker.co.uk, "beltis" for beltis.com.br. */
void ocr_fld_domain_stem(const char *dom, char *stem, size_t n) {
    size_t off, len;
    char lab[256];
    if (!ocr_fld_host_stem(dom, &off, &len) || len >= sizeof lab) {
        stem[0] = '\0';
        return;
    }
    memcpy(lab, dom + off, len);
    lab[len] = '\0';
    ocr_fld_key(lab, stem, n);
}

/* The brand key of a website: its registrable label, or on a platform
 * the subdomain or first path segment. */
void ocr_fld_site_brand(const char *site, char *out, size_t n) {
    char host[256];
    ocr_fld_site_host(site, host, sizeof host);
    char *h = host;
    if (!strncmp(h, "www.", 4)) h += 4;
    ocr_fld_domain_stem(h, out, n);
    if (!ocr_fld_platform_label(out)) return;
    out[0] = '\0';
    size_t off, len;
    if (ocr_fld_host_stem(h, &off, &len) && off > 1) { /* "nogdesign.blogspot.com.br" */
        size_t b = off - 1;
        while (b > 0 && h[b - 1] != '.') b--;
        char lab[128];
        snprintf(lab, sizeof lab, "%.*s", (int)(off - 1 - b), h + b);
        ocr_fld_key(lab, out, n);
        return;
    }
    const char *slash = strchr(site, '/'); /* "facebook.com/sonaocasa" (no scheme: the host has none either) */
    const char *ss = strstr(site, "://");
    if (ss) slash = strchr(ss + 3, '/');
    if (slash) {
        char seg[128];
        snprintf(seg, sizeof seg, "%.*s", (int)strcspn(slash + 1, "/?#"), slash + 1);
        ocr_fld_key(seg, out, n);
    }
}

/* Append s to v (n items) unless it is there (any case) or v is full; 1 when added. */
static int add_item(fld_item_t *v, int *n, const char *s, float conf) {
    for (int i = 0; i < *n; i++)
        if (!strcasecmp(v[i].s, s)) return 0;
    if (*n >= FLD_MAX_ITEMS) return 0;
    snprintf(v[*n].s, sizeof v[*n].s, "%s", s);
    v[*n].conf = conf;
    (*n)++;
    return 1;
}

/* The host of an e-mail or a site s (after its '@' or scheme), its
 * length, up to a path, into *hl. */
static char *item_host(char *s, size_t *hl) {
    char *h = strchr(s, '@') ? strchr(s, '@') + 1 : strstr(s, "://") ? strstr(s, "://") + 3 : s;
    *hl = strcspn(h, "/");
    return h;
}

fld_item_t *ocr_fld_item_at(fld_state_t *p, int i) { return i < p->nemails ? &p->emails[i] : &p->sites[i - p->nemails]; }

char *ocr_fld_item(fld_state_t *p, int i) { return ocr_fld_item_at(p, i)->s; }

char *ocr_fld_two_letter_tld(char *s) {
    size_t hl;
    char *h = item_host(s, &hl);
    return hl >= 4 && h[hl - 3] == '.' ? h + hl - 2 : NULL;
}

void ocr_fld_site_host(const char *site, char *host, size_t n) {
    const char *s = strstr(site, "://");
    snprintf(host, n, "%s", s ? s + 3 : site);
    host[strcspn(host, "/")] = '\0';
}

/* E-mails, websites and @handles, line by line. */
/* 1 when an e-mail's local part holds a character the grammar allows but
 * mail providers do not hand out ('%': "ricknog3%@gmail.com" is a misread
 * 9): the address is kept, with half the confidence, so the Scan page asks
 * for a look instead of the CRM trusting it. */
static int odd_local(const char *email) {
    for (const char *c = email; *c && *c != '@'; c++)
        if (*c == '%') return 1;
    return 0;
}

static void contact_lines(fld_state_t *p) {
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        char a[512], v[300];
        fold_contact(l->t, a, sizeof a);
        int social = 0;
        char pre[64];
        if (find_email(a, v, sizeof v, &social, pre, sizeof pre)) {
            if (add_item(p->emails, &p->nemails, v, l->conf * (odd_local(v) ? 0.5f : 1.0f)))
                snprintf(p->emails[p->nemails - 1].pre, sizeof p->emails[0].pre, "%s", pre);
            l->kind = FLD_EMAIL;
            l->contact = 1;
            /* "priya@silverleaf.in | www.silverleaf.in": a site after it on
             * the line, when it says it is one (www or a scheme; a bare
             * host there is the e-mail's domain read apart) */
            if (find_site(a, 0, v, sizeof v) && (ocr_fld_ci_starts(v, "www.") || strstr(v, "://")))
                add_item(p->sites, &p->nsites, v, l->conf);
            continue;
        }
        if (social) {
            l->kind = FLD_SOCIAL;
            l->contact = 1;
            continue;
        }
        if (find_site(a, web_labelled(l->t), v, sizeof v)) {
            add_item(p->sites, &p->nsites, v, l->conf);
            l->kind = FLD_WEB;
            l->contact = 1;
        }
    }
}

/* "Web www crestine m": a line under a web label (a word of it, not a
 * lone W) with a www read too poorly to give a site, even from the
 * e-mail's domain, is still no company or name: it spells the domain.
 * "Web Design Ltd" and "Site Manager" stay what they are. */
static void poor_web_lines(fld_state_t *p) {
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind == FLD_OTHER && web_labelled(l->t) && strcspn(l->t, ": ") >= 3 &&
            ocr_fld_ci_find(l->t + 3, "www") && !ocr_fld_company_marks(l->t) && !ocr_fld_title_words(l->t)) {
            l->kind = FLD_WEB;
            l->contact = 1;
        }
    }
}

/* A web address read without its dots ("spencercom") or with spaces for
 * them ("wWew harbourtrading Com.sg") is recognised from the e-mail's
 * domain; a www in front may be misread. */
static void site_without_dots(fld_state_t *p, int poor_web) {
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if ((l->kind != FLD_OTHER && !(poor_web && l->kind == FLD_WEB)) || ocr_fld_count_words(l->t) > 4) continue;
        char k[256], dk[256];
        fmt_u8_key(l->t, k, sizeof k);
        const char *dom = strchr(p->emails[0].s, '@') + 1;
        fmt_u8_key(dom, dk, sizeof dk);
        size_t kl = strlen(k), dl = strlen(dk);
        if (dl < 5 || kl < dl || strcmp(k + kl - dl, dk)) continue;
        /* what is before the domain: nothing, or www as printed or misread ("wWew", "vww"; the
         * domain may begin with one of those letters too: "wew vantage it") */
        size_t pre = kl - dl, ws = 0;
        for (size_t q = 0; q < pre; q++) ws += k[q] == 'w' || k[q] == 'v';
        /* a line with spaces needs a dot, the www or small letters only ("orion it"):
         * "ORION IT" or "Orion It" beside @orion.it is the company */
        int www = pre > 0 && pre <= 4 && ws >= 2 && strspn(k, "wvmeu") >= pre, caps = 0;
        for (const char *c = l->t; *c; c++) caps |= isupper((unsigned char)*c) != 0;
        /* or a small word of a w's shape before the domain, its dots read
         * as spaces and the TLD in small letters after them ("wn Falcon
         * be" beside wouter.janssens@falcon.be): a site, not the firm */
        const char *tld = strrchr(dom, '.');
        size_t ll = strlen(l->t), tl = tld ? strlen(tld + 1) : 0;
        if (!www && pre > 0 && pre <= 3 && (k[0] == 'w' || k[0] == 'v') && islower((unsigned char)l->t[0]) &&
            l->t[pre] == ' ' && tl >= 2 && ll > tl + 1 && l->t[ll - tl - 1] == ' ' && !strcmp(l->t + ll - tl, tld + 1))
            www = 1;
        if ((pre == 0 && (!strchr(l->t, ' ') || strchr(l->t, '.') || !caps)) || www) {
            char site[300];
            snprintf(site, sizeof site, "%s%s", pre ? "www." : "", dom);
            add_item(p->sites, &p->nsites, site, l->conf * 0.8f);
            l->kind = FLD_WEB;
            l->contact = 1;
        }
    }
}

/* 1 when a line starts with a website's label as a word of its own
 * ("Web: ...", "Website ...", "Site: ..."), not a name that begins so
 * ("Weber", "Webster", "Sitemark"). */
static int web_label_word(const char *t) {
    static const char *const L[] = {"website", "webseite", "web site", "web", "site", "internet", "homepage", NULL};
    for (int i = 0; L[i]; i++) {
        size_t n = strlen(L[i]);
        if (ocr_fld_ci_starts(t, L[i]) && !isalpha((unsigned char)t[n])) return 1;
    }
    return 0;
}

/* "Web: www finchstaniey", "W junipermedi": a web line whose host lost its TLD takes the
 * e-mail's domain when the names are close. */
static void site_without_tld(fld_state_t *p, int poor_web) {
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER && !(poor_web && l->kind == FLD_WEB)) continue;
        const char *w = ocr_fld_ci_find(l->t, "www");
        /* a lone W is a label before one small-letter word ("W junipermedi"), not
         * an initial ("W. Smith", "W Smith") */
        int lone_w = (l->t[0] == 'W' || l->t[0] == 'w') && (l->t[1] == ' ' || l->t[1] == ':') &&
                     islower((unsigned char)l->t[2 + (l->t[2] == ' ')]) && !strchr(l->t + 3, ' ');
        int lab = web_label_word(l->t) || lone_w;
        if (!w && !lab) continue;
        char k[256], dk[256];
        fmt_u8_key(w ? w + 3 : strpbrk(l->t, ": ") ? strpbrk(l->t, ": ") : l->t, k, sizeof k);
        const char *dom = strchr(p->emails[0].s, '@') + 1;
        fmt_u8_key(dom, dk, sizeof dk);
        size_t kl = strlen(k);
        if (kl < 5 || kl > strlen(dk)) continue;
        char dpre[256];
        snprintf(dpre, sizeof dpre, "%.*s", (int)kl, dk);
        if (ocr_text_edit_distance(k, dpre) <= 2) {
            char site[300];
            snprintf(site, sizeof site, "%s%s", w ? "www." : "", dom);
            add_item(p->sites, &p->nsites, site, l->conf * 0.7f);
            l->kind = FLD_WEB;
            l->contact = 1;
        }
    }
}

/* E-mail and web domains usually agree: when they differ a little, keep
 * the one read with more confidence for both. */
static void drop_repeated_sites(fld_state_t *p);

static void agree_domains(fld_state_t *p) {
    for (int i = 0; i < p->nemails; i++)
        for (int j = 0; j < p->nsites; j++) {
            char *ed = strchr(p->emails[i].s, '@') + 1;
            char *sd = p->sites[j].s;
            char *ss = strstr(sd, "://");
            if (ss) sd = ss + 3;
            if (!strncmp(sd, "www.", 4)) sd += 4;
            size_t sdl = strcspn(sd, "/");
            char sdom[256];
            snprintf(sdom, sizeof sdom, "%.*s", (int)sdl, sd);
            size_t el = strlen(ed), sl = strlen(sdom);
            /* the site cut short where the e-mail is whole: its head lost
             * ("etrading.com.sg" of pinnacletrading.com.sg, not at a dot),
             * or its country code ("crestline.com" of crestline.com.br) */
            int head = sl >= 6 && el > sl && !strcmp(ed + el - sl, sdom) && ed[el - sl - 1] != '.';
            int cc = sl >= 6 && el == sl + 3 && !strncmp(ed, sdom, sl) && ed[sl] == '.' && isalpha((unsigned char)ed[sl + 1]) &&
                     isalpha((unsigned char)ed[sl + 2]);
            int cut = (head || cc) && !ocr_fld_shared_mail_domain(ed);
            /* the e-mail cut short where the site is whole: its country
             * code lost at the line's end ("microvida@microvida.com"
             * beside www.microvida.com.br, am12 a grey level brighter) */
            int ecut = !cut && el >= 6 && sl == el + 3 && !strncmp(sdom, ed, el) && sdom[el] == '.' &&
                       isalpha((unsigned char)sdom[el + 1]) && isalpha((unsigned char)sdom[el + 2]) &&
                       !ocr_fld_shared_mail_domain(sdom) && !ocr_fld_shared_mail_domain(ed);
            if (!cut && !ecut) {
                int d = ocr_text_edit_distance(ed, sdom);
                if (d == 0 || d > 2 || sl < 6) continue;
            }
            /* a site cut short always takes the e-mail's domain, and an
             * e-mail cut short the site's; else the better-read one wins */
            if (!ecut && (cut || p->emails[i].conf >= p->sites[j].conf)) {
                char rebuilt[256];
                size_t pre = (size_t)(sd - p->sites[j].s);
                snprintf(rebuilt, sizeof rebuilt, "%.*s%s%s", (int)pre, p->sites[j].s, ed, sd + sdl);
                snprintf(p->sites[j].s, sizeof p->sites[j].s, "%s", rebuilt);
            } else {
                snprintf(ed, sizeof p->emails[i].s - (size_t)(ed - p->emails[i].s), "%s", sdom);
            }
        }
    drop_repeated_sites(p);
}

/* One letter of a site's name read wrong where two other fields spell
 * it: "cargocollective.com/nagdesign" beside nog.carbonmade.com and
 * ricknog39@gmail.com. The name y (three letters or more) is another
 * site's whole name and is inside an e-mail's local part or domain too;
 * the site's name x begins with y but for one letter, and holds no y.
 * Or y is the local part of the firm's e-mail at a mail provider. */
static void agree_site_names(fld_state_t *p) {
    for (int i = 0; i < p->nsites; i++) {
        char x[128];
        ocr_fld_site_brand(p->sites[i].s, x, sizeof x);
        size_t xl = strlen(x);
        for (int j = 0; j < p->nsites && xl >= 4; j++) {
            char y[128];
            ocr_fld_site_brand(p->sites[j].s, y, sizeof y);
            size_t yl = strlen(y);
            if (j == i || yl < 3 || yl >= xl || strstr(x, y)) continue;
            int d = 0;
            size_t at = 0;
            for (size_t k = 0; k < yl; k++)
                if (x[k] != y[k]) d++, at = k;
            if (d != 1) continue;
            int seen = 0;
            for (int e = 0; e < p->nemails && !seen; e++) {
                char k[128];
                ocr_fld_key(p->emails[e].s, k, sizeof k); /* local part and domain, without the @ and dots */
                seen = strstr(k, y) != NULL;
            }
            char *pos = seen ? (char *)ocr_fld_ci_find(p->sites[i].s, x) : NULL;
            if (!pos) continue;
            pos[at] = (char)(isupper((unsigned char)pos[at]) ? toupper((unsigned char)y[at]) : y[at]);
            break;
        }
        /* the firm's e-mail at a mail provider, its local part the head of
         * the site's name but for one look-alike letter, read surer
         * ("liderfrlorefrigeracao.com.br" beside liderfrio@terra.com.br) */
        for (int e = 0; e < p->nemails && xl >= 5; e++) {
            const char *at = strchr(p->emails[e].s, '@');
            if (!at || !ocr_fld_shared_mail_domain(at + 1) || p->emails[e].conf < p->sites[i].conf) continue;
            size_t yl = (size_t)(at - p->emails[e].s), d = 0, k0 = 0;
            const char *y = p->emails[e].s;
            if (yl < 5 || yl > xl) continue;
            for (size_t k = 0; k < yl; k++) {
                if (!islower((unsigned char)y[k])) d = 2; /* letters only: a person's "r.beato" is no firm */
                else if (x[k] != y[k]) d++, k0 = k;
            }
            if (d != 1 || !ocr_fld_confusable(x[k0], y[k0])) continue;
            char *pos = (char *)ocr_fld_ci_find(p->sites[i].s, x);
            if (!pos) continue;
            pos[k0] = y[k0];
            break;
        }
    }
}

/* Two sites made equal by the repairs above: the first stays. */
static void drop_repeated_sites(fld_state_t *p) {
    int w = 0;
    for (int i = 0; i < p->nsites; i++) {
        int seen = 0;
        for (int k = 0; k < w && !seen; k++) seen = !strcasecmp(p->sites[k].s, p->sites[i].s);
        if (!seen) p->sites[w++] = p->sites[i];
    }
    p->nsites = w;
}

/* A webmail domain no company's site ends with: a "site" ending with it
 * is an e-mail ("gmail.com", "hotmail.com.br", "yahoo.co.jp"). Only the
 * long names: "live.com" ends "golive.com". */
static int mail_provider(const char *d) {
    static const char *const P[] = {"gmail.", "googlemail.", "hotmail.", "outlook.", "yahoo.", "icloud.",
                                    "protonmail.", "rediffmail.", "hanmail.", "yandex.", NULL};
    for (int i = 0; P[i]; i++)
        if (!strncasecmp(d, P[i], strlen(P[i]))) return ocr_fld_shared_mail_domain(d);
    return 0;
}

/* Site i was an e-mail whose '@' OCR misread: em (a little less sure,
 * the site's confidence times f) takes its place. */
static void site_to_email(fld_state_t *p, int i, const char *em, float f) {
    float conf = p->sites[i].conf * f;
    memmove(&p->sites[i], &p->sites[i + 1], sizeof p->sites[0] * (size_t)(p->nsites - i - 1));
    p->nsites--;
    add_item(p->emails, &p->nemails, em, conf);
}

static int mail_label(const char *t, size_t n);

/* 1 when site s stands on a line after an e-mail label alone
 * ("E wwongwpinnacle.com.sg"). */
static int after_mail_label(const fld_state_t *p, const char *s) {
    /* or its first label, when the rest was read with specks the site's
     * grammar dropped ("E-mail: sonaoeasaibol.com:. br", round 32) */
    char head[128];
    size_t hl = strcspn(s, ".");
    snprintf(head, sizeof head, "%.*s", (int)(hl < sizeof head ? hl : sizeof head - 1), s);
    for (size_t k = 0; k < p->n; k++) {
        const char *t = p->l[k].t, *at = ocr_fld_ci_find(t, s);
        if (!at && strlen(head) >= 4) at = ocr_fld_ci_find(t, head);
        if (at && at > t && mail_label(t, (size_t)(at - t))) return 1;
    }
    return 0;
}

/* The domain (capacity n, without "www.") of the card's site j, or of
 * e-mail j - nsites; 0 for site `self`. */
static int item_domain(const fld_state_t *p, int j, int self, char *dom, size_t n) {
    char h[256];
    if (j < p->nsites) {
        if (j == self) return 0;
        ocr_fld_site_host(p->sites[j].s, h, sizeof h);
    } else {
        snprintf(h, sizeof h, "%s", strchr(p->emails[j - p->nsites].s, '@') + 1);
    }
    snprintf(dom, n, "%s", strncmp(h, "www.", 4) ? h : h + 4);
    return 1;
}

/* "s.kellerOkeller-mb.de" beside "www.keller-mb.de": a "website" that
 * repeats another site's (or e-mail's) domain (or, for a domain of 8
 * letters or more, comes within two edits of it) after a name and a letter
 * shaped like '@' (o, 0, q, a; any letter after an e-mail label) is the
 * e-mail whose '@' OCR misread. The e-mail, on the other's domain,
 * replaces the site. */
static void email_without_at(fld_state_t *p) {
    for (int i = 0; i < p->nsites; i++) {
        const char *si = p->sites[i].s;
        if (strstr(si, "://") || !strncmp(si, "www.", 4) || strchr(si, '/')) continue;
        size_t sl = strlen(si);
        int done = 0, labelled = after_mail_label(p, si);
        /* "ricknog39mgmail.com": a webmail's domain glued to a name by the
         * misread '@' (o, 0, q, a, or m; another letter, less surely:
         * "ricknog39wgmail.com", am07 a grey level brighter - no site is
         * at a webmail's domain, and OCR seldom drops a whole '@') */
        for (int k = 3; k + 6 < (int)sl && !done; k++) {
            char at = (char)tolower((unsigned char)si[k]);
            int shaped = strchr("o0qam", at) != NULL;
            /* after an e-mail label, any provider of the shared list, the
             * short ones too ("E-mail: sonaoeasaibol.com.br" of
             * ...@bol.com.br; without the label "futebol.com.br" is a site) */
            int provider = mail_provider(si + k + 1) || (labelled && ocr_fld_shared_mail_domain(si + k + 1));
            if ((!shaped && !isalpha((unsigned char)at)) || si[k - 1] == '.' || !provider) continue;
            char em[300];
            snprintf(em, sizeof em, "%.*s@%s", k, si, si + k + 1);
            site_to_email(p, i--, em, shaped ? 0.9f : 0.7f);
            done = 1;
        }
        for (int j = 0; j < p->nsites + p->nemails && !done; j++) {
            char d[256];
            if (!item_domain(p, j, i, d, sizeof d)) continue;
            size_t dl = strlen(d), cut = 0; /* where the '@' stood */
            int exact = 0;
            if (dl < 4 || sl < dl + 3) continue;
            if (!strcmp(si + sl - dl, d)) {
                cut = sl - dl - 1;
                exact = 1;
            } else if (dl >= 8) {
                /* the domain misread too ("e.corteronorthwindiabs.com"
                 * beside www.northwindlabs.com): within two edits of it,
                 * for a domain long enough not to meet another by chance */
                for (size_t k = sl > dl + 3 ? sl - dl - 3 : 2; k + 4 <= sl && k <= sl - dl + 2 && !cut; k++)
                    if (strchr("o0qa", tolower((unsigned char)si[k])) && si[k - 1] != '.' &&
                        ocr_text_edit_distance(si + k + 1, d) <= 2)
                        cut = k;
            }
            if (!cut) continue;
            /* after an e-mail label, any letter can be the misread '@'
             * before the other's domain read whole ("wwongwpinnacle"); so
             * after a local part with a dot, which no site's name has before
             * another's domain ("chloe.andersonsvantage.com.au") */
            char at = (char)tolower((unsigned char)si[cut]);
            int any = exact && isalpha((unsigned char)at) && (labelled || memchr(si, '.', cut));
            if ((!strchr("o0qa", at) && !any) || cut < 2 ||
                si[cut - 1] == '.')
                continue;
            char em[300];
            snprintf(em, sizeof em, "%.*s@%s", (int)cut, si, d);
            site_to_email(p, i--, em, 0.9f);
            done = 1;
        }
    }
}

/* 1 when t[0..n) is an e-mail label alone ("E ", "Email: ", "e-mail:"). */
static int mail_label(const char *t, size_t n) {
    static const char *const L[] = {"e", "email", "e-mail", "mail", "correo", "courriel", NULL};
    char w[16];
    while (n && strchr(" :.", t[n - 1])) n--;
    if (!n || n >= sizeof w) return 0;
    snprintf(w, sizeof w, "%.*s", (int)n, t);
    return ocr_fld_is_label(w, L);
}

int ocr_fields_is_mail_label(const char *word) { return mail_label(word, strlen(word)); }

/* 1 when domain d is the host of another site than site `self` or an
 * e-mail's domain: exactly, or (near, for a domain of 8 letters or more,
 * that cannot meet another by chance) within one edit. */
static int known_domain(const fld_state_t *p, int self, const char *d, int near) {
    size_t dl = strlen(d);
    for (int j = 0; j < p->nsites + p->nemails; j++) {
        char o[256];
        if (!item_domain(p, j, self, o, sizeof o)) continue;
        if (!strcasecmp(o, d) || (near && dl >= 8 && ocr_text_edit_distance(o, d) <= 1)) return 1;
    }
    return 0;
}

/* "wrahman Onordvik.com.sg" beside "nordvik.com.sg": the '@' read as a
 * letter and a space read before it ("pjanssens sjuniper.be" beside
 * www.juniper.be), or read as a space alone after an e-mail label ("E
 * hweber  bluewave.de"). A site that is a letter and another site's (or an
 * e-mail's) domain, or that domain itself after a label and a word, is
 * the e-mail when the word before it on its line can be a local part. */
static void email_spaced_at(fld_state_t *p) {
    for (int i = 0; i < p->nsites; i++) {
        const char *si = p->sites[i].s;
        if (!si[0] || strstr(si, "://") || strchr(si, '/') || !strncasecmp(si, "www.", 4)) continue;
        /* a letter for the '@'; else, lost, the domain as read after a label */
        int lost = !isalnum((unsigned char)si[0]) || !known_domain(p, i, si + 1, 0);
        const char *d = lost ? si : si + 1;
        if ((lost && !known_domain(p, i, si, 1)) || strlen(d) < 5) continue;
        /* the line: "... LOCAL Xdomain" */
        for (size_t k = 0; k < p->n; k++) {
            const char *t = p->l[k].t, *at = ocr_fld_ci_find(t, si);
            if (p->l[k].kind != FLD_WEB || !at || at - t < 3 || at[-1] != ' ') continue;
            const char *w = at - 1;
            while (w > t && w[-1] == ' ') w--; /* "hweber  bluewave.de" */
            const char *end = w;
            while (w > t && (isalnum((unsigned char)w[-1]) || strchr("._-", w[-1]))) w--;
            size_t wl = (size_t)(end - w);
            char local[64];
            if (wl < 2 || wl >= sizeof local || (w > t && w[-1] != ' ' && w[-1] != ':')) continue;
            /* the local part starts the line or follows its label ("E",
             * "Email:") alone; a '@' lost without a trace needs the label */
            if ((w > t || lost) && !mail_label(t, (size_t)(w - t))) continue;
            snprintf(local, sizeof local, "%.*s", (int)wl, w);
            if (web_label_word(local) || !strncasecmp(local, "www", 3) || !isalnum((unsigned char)local[0])) continue;
            char em[sizeof local + sizeof p->sites[0].s];
            snprintf(em, sizeof em, "%s@%s", local, d);
            ocr_fld_lower_ascii(em);
            site_to_email(p, i--, em, 0.9f);
            p->l[k].kind = FLD_EMAIL;
            break;
        }
    }
}

/* .ni (Nicaragua, a few thousand names) is .nl (the Netherlands, millions)
 * with its l read as i; taken as .nl before the TLD hints the numbers'
 * country (a Nicaraguan number on the card gives it back: phones_fix_tld). */
static void nl_from_ni(fld_state_t *p) {
    for (int i = 0; i < p->nemails + p->nsites; i++) {
        char *t = ocr_fld_two_letter_tld(ocr_fld_item(p, i));
        if (t && !strncmp(t, "ni", 2)) t[1] = 'l';
    }
}

/* "harbour.cojp", "tidewater.combr": the dot between a public second level
 * and a country's code lost, the two read as one last label that no TLD
 * is (".coop" and ".cool" are: OP and OL are no countries). Not CC_SLD's
 * ac, or and ne: ".news" is a TLD and WS a country. */
static void glued_sld_cc(fld_state_t *p) {
    static const char *const SLD[] = {"com", "co", "org", "net", "gov", "edu", NULL};
    for (int i = 0; i < p->nemails + p->nsites; i++) {
        char *s = ocr_fld_item(p, i);
        size_t hl;
        char *h = item_host(s, &hl), *lab = h + last_label(h, hl);
        if (lab == h) continue;
        size_t ll = hl - (size_t)(lab - h);
        for (int k = 0; SLD[k]; k++) {
            size_t sl = strlen(SLD[k]);
            char cc[8];
            if (ll != sl + 2 || strncasecmp(lab, SLD[k], sl)) continue;
            snprintf(cc, sizeof cc, "x.%.2s", lab + sl);
            if (!ocr_fld_tld_region(cc) || strlen(s) + 2 > sizeof p->emails[0].s) break;
            char *at = lab + sl;
            memmove(at + 1, at, strlen(at) + 1);
            *at = '.';
            break;
        }
    }
}

/* The e-mails as found, checked once more: an e-mail label glued on by its
 * colon read as a dot ("email.p.sanchez@" of "Email: p.sanchez@") is no
 * part of the address; a local part of one or two characters is as often
 * the end of a longer one whose start was lost ("es@" of edevries@ under
 * a shadow's edge), so it is less sure (x0.85). */
static void check_emails(fld_state_t *p) {
    static const char *const LBL[] = {"email.", "e-mail.", "e.mail.", NULL};
    for (int i = 0; i < p->nemails; i++) {
        char *e = p->emails[i].s, *at = strchr(e, '@');
        if (!at) continue;
        for (int k = 0; LBL[k]; k++) {
            size_t n = strlen(LBL[k]);
            if (ocr_fld_ci_starts(e, LBL[k]) && at - e >= (ptrdiff_t)n + 2) {
                memmove(e, e + n, strlen(e + n) + 1);
                at -= n;
                break;
            }
        }
        if (at - e <= 2) p->emails[i].conf *= 0.85f;
    }
}

/* The first e-mail's local part, which the address (it stops at the
 * person it names) and the people stage match lines against. */
static void first_local(fld_state_t *p) {
    const char *at = strchr(p->emails[0].s, '@');
    snprintf(p->local, sizeof p->local, "%.*s", at ? (int)(at - p->emails[0].s) : 0, p->emails[0].s);
}

/* The TLD that lost its dot at the end of host h (n letters): "de" of
 * "luminacapitalde" when the card names Germany (its numbers' country, its
 * address), "com.au" of "vantagecomau" when it names Australia, or "com".
 * Writes the host with its dots into out; 0 when no reading fits. */
static int dotless_host(const fld_state_t *p, const char *h, size_t n, char *out, size_t outlen) {
    if (n < 6) return 0;
    char cc[3] = {h[n - 2], h[n - 1], '\0'}, tld[8];
    snprintf(tld, sizeof tld, "x.%s", cc);
    if (ocr_fld_tld_region(tld) && ocr_fld_card_of(p, ocr_fld_tld_region(tld))) {
        for (int i = 0; CC_SLD[i]; i++) {
            size_t sl = strlen(CC_SLD[i]);
            if (n >= sl + 5 && !strncmp(h + n - 2 - sl, CC_SLD[i], sl)) {
                snprintf(out, outlen, "%.*s.%s.%s", (int)(n - 2 - sl), h, CC_SLD[i], cc);
                return 1;
            }
        }
        snprintf(out, outlen, "%.*s.%s", (int)(n - 2), h, cc);
        return 1;
    }
    if (n >= 6 && !strncmp(h + n - 3, "com", 3)) {
        snprintf(out, outlen, "%.*s.com", (int)(n - 3), h);
        return 1;
    }
    return 0;
}

/* "jorg@luminacapitalde": small print whose dots are lost, the e-mail's
 * host has none and was taken for a handle. With the card's numbers read,
 * its country tells where the TLD starts (+49: de); the e-mail is kept,
 * a little less sure, and a site whose host lost its dots too follows it.
 * A host cut short that a site of the card completes is kept at most
 * SITE_COMPLETES sure (under the e-mails' confident mark, 0.75). Only on
 * a card with no e-mail. */
#define SITE_COMPLETES 0.7f
void ocr_fld_email_without_dot(fld_state_t *p) {
    if (p->nemails) return;
    for (size_t i = 0; i < p->n && !p->nemails; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind != FLD_SOCIAL) continue;
        char a[512];
        fold_contact(l->t, a, sizeof a);
        const char *at = strchr(a, '@');
        if (!at || at == a) continue;
        const char *b = at;
        while (b > a && is_word_char((unsigned char)b[-1])) b--;
        while (*b == '.' || *b == '-' || *b == '_') b++;
        static const char HOST[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
        size_t ll = (size_t)(at - b), hl = strspn(at + 1, HOST);
        if (ll == 0 || ll >= 64 || hl >= 128 || !isalpha((unsigned char)at[hl]) ||
            (at[1 + hl] && strchr(".@", at[1 + hl])))
            continue;
        char h[128], host[160], em[256];
        snprintf(h, sizeof h, "%.*s", (int)hl, at + 1);
        ocr_fld_lower_ascii(h);
        /* or the host cut short ("E ahoffmann@silverle", the rest of the
         * row lost under a glare): a site of the card whose host begins
         * with it (four letters or more) completes it - a guess from
         * another field, never marked confident (SITE_COMPLETES) */
        int by_site = 0;
        for (int j = 0; hl >= 4 && j < p->nsites && !by_site; j++) {
            char d[256];
            item_domain(p, j, -1, d, sizeof d);
            size_t dl = strlen(d);
            if (dl > hl && dl < sizeof host && !strncmp(d, h, hl) && valid_domain(d)) {
                memcpy(host, d, dl + 1);
                by_site = 1;
            }
        }
        if (!by_site && (!dotless_host(p, h, hl, host, sizeof host) || !valid_domain(host))) continue;
        snprintf(em, sizeof em, "%.*s@%s", (int)ll, b, host);
        ocr_fld_lower_ascii(em);
        float conf = l->conf * 0.8f;
        if (by_site && conf > SITE_COMPLETES) conf = SITE_COMPLETES;
        if (!add_item(p->emails, &p->nemails, em, conf)) continue;
        l->kind = FLD_EMAIL;
        first_local(p);
        /* with no site, a web line is one read too poorly (poor_web_lines):
         * the e-mail's domain may now spell it */
        if (!p->nsites) site_without_dots(p, 1);
        if (!p->nsites) site_without_tld(p, 1);
    }
}

void ocr_fld_find_contacts(fld_state_t *p) {
    contact_lines(p);
    glued_sld_cc(p);
    nl_from_ni(p);
    email_without_at(p);
    email_spaced_at(p);
    if (p->nemails && !p->nsites) site_without_dots(p, 0);
    if (p->nemails && !p->nsites) site_without_tld(p, 0);
    check_emails(p);
    agree_domains(p);
    agree_site_names(p);
    poor_web_lines(p);
    if (p->nemails) first_local(p);
}
