/* fields_address.c - the address lines, for the field parser: a score per
 * line (street words in en/de/fr/ru incl. German compounds, US state and
 * ZIP, UK postcodes, postcode shapes incl. "NN NNN", a leading house number)
 * and the stage that takes the best line and grows it to the street lines
 * above and the city lines below in the same column. Splitting the address
 * into its parts is address.c. */
#include "ocr/fields_internal.h"

#include "ocr/address.h"
#include "firmware/formats/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const STREET_WORDS[] = {
    "street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "dr", "psc", "ct", "pl", "sq", "parkway",
    "boulevard", "blvd", "highway", "hwy",
    "straße", "strasse", "str", "weg", "platz", "allee", "ring", "gasse", "damm", "ufer", "chaussee",
    "rue", "bd", "boulevard", "boul", "avenue", "chemin", "impasse", "allée", "quai", "cours", "route", "cedex",
    "ул", "улица", "д", "дом", "пр", "просп", "проспект", "пер", "переулок", "ш", "шоссе", "наб", "г", "к", "п",
    "с", "клх", "стр", "корп", "кв", "офис", "пл",
    /* Portuguese, Spanish, Italian; Asian localities */
    "rua", "avenida", "alameda", "travessa", "praça", "praca", "estrada", "rodovia", "bairro", "calle", "avda",
    "viale", "piazza", "chome", "nagar", "marg", "phường", "quận", "đường", "jalan", "jln",
    /* Polish: ulica (street) */
    "ul", NULL};

/* Words of addresses that are also other words ("Av", "Plaza", "Tower",
 * "Level"; "Smile Studio Dental", "Green Way Landscaping", "Park Place
 * Realty"): street words only on a line with a digit. */
static const char *const STREET_WORDS_NUM[] = {
    "suite", "apt", "flat", "studio", "unit", "floor", "box", "way", "court", "place", "square", "crescent", "close",
    "gardens", "terrace", "row", "green", "mews",
    "av", "andar", "sala", "conj", "bloco", "cep", "paseo", "plaza", "carrera", "piso", "corso", "sector", "plot",
    "district", "ward", "building", "bldg", "tower", "level", "blk", "soi", "largo", "bureau", NULL};

/* Of those, the Italian, Spanish and Portuguese types that lead the
 * street's name, which a given name never is: a street even without its
 * number when the line starts with one. */
static const char *const LEADING_STREET_WORDS[] = {"corso", "largo", "paseo", "carrera", NULL};

/* Hyphenated suffixes of Japanese and Korean addresses: "Chiyoda-ku",
 * "Teheran-ro", "Gangnam-gu", "Bundang-gu", "Seongnam-si". */
static int asian_locality(const char *low) {
    static const char *const SUF[] = {"-ku", "-ro", "-gu", "-gil", "-dong", "-si", "-shi", "-cho", "-machi",
                                      "-chome", "-gun", "-eup", "-myeon", NULL};
    size_t ll = strlen(low);
    for (int i = 0; SUF[i]; i++) {
        size_t k = strlen(SUF[i]);
        if (ll > k + 1 && !strcmp(low + ll - k, SUF[i])) return 1;
    }
    return 0;
}

/* US state codes following a city comma: "Wilsonview, NY 59663". */
static int us_state_zip(const char *s) {
    for (const char *p = s; *p; p++) {
        if (isupper((unsigned char)p[0]) && isupper((unsigned char)p[1]) && p[2] == ' ' &&
            strspn(p + 3, "0123456789") == 5 && (p == s || p[-1] == ' '))
            return 1;
    }
    return 0;
}

/* A post-office box and its number: "PO Box 4521", "P.O. Box 12345",
 * "Caixa Postal 123", "Apartado 45", "Postfach 10 20 30", "BP 123". */
static int po_box(const char *s) {
    static const char *const BOX[] = {"po box ", "p.o. box ", "p. o. box ", "p.o.box ", "pobox ", "box ", "caixa postal ",
                                      "apartado ", "apdo. ", "casilla ", "postfach ", "bp ", "b.p. ", NULL};
    for (const char *c = s; *c; c++) {
        if (c != s && c[-1] != ' ' && c[-1] != ',') continue;
        for (int i = 0; BOX[i]; i++) {
            size_t k = strlen(BOX[i]);
            if (!strncasecmp(c, BOX[i], k) && isdigit((unsigned char)c[k]) && (i != 5 || c == s || c[-1] == ','))
                return 1;
        }
    }
    return 0;
}

/* 1 when the line starts with the label of a registration or licence
 * number and holds a digit ("NMLS #482910", "CNPJ: 12.345.678/0001-90",
 * "CRO-SP 84.221", "ABN 12 345 678 901"): no address. */
static int id_number_line(const char *s) {
    size_t at = 1;
    return ocr_fld_registration_at(s, &at) != (size_t)-1 && at == 0 && strpbrk(s, "0123456789") != NULL;
}

/* How much a line looks like part of an address (0: not at all). */
static int address_score(const fld_line_t *l) {
    const char *s = l->t;
    int digits = 0, score = 0;
    /* a run of 9 digits or more (separators allowed) is a number, not a
     * house number or a postcode; a street line may hold 12 digits in all
     * ("1200 Market St, Suite 300, San Francisco, CA 94103") */
    int run = 0, longest = 0;
    for (const char *c = s; *c; c++) {
        if (isdigit((unsigned char)*c)) {
            digits++;
            if (++run > longest) longest = run;
        } else if (!strchr("-. /()", *c) || (*c == ' ' && !isdigit((unsigned char)c[1])) ||
                   (*c == '-' && run == 5 && c - s >= 6 && c[-6] == ' ' && strspn(c + 1, "0123456789") == 4)) {
            run = 0; /* a US ZIP+4 ("62701-1234") is a postcode, not a number */
        }
    }
    if (longest >= 9 || digits >= 16 || strchr(s, '@') || id_number_line(s) || ocr_fld_opening_hours(s)) return 0;
    /* words */
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    int nwords = 0, street = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, " ,.;", &save); w; w = strtok_r(NULL, " ,.;", &save)) {
        nwords++;
        char low[64];
        fmt_u8_lower_n(w, strlen(w), low, sizeof low);
        /* one-letter abbreviations (г. к. п. с. д.) only with their dot */
        int dotted = s[(w - buf) + strlen(w)] == '.';
        size_t ncp = 0;
        for (const char *c = low; *c; c++) ncp += ((unsigned char)*c & 0xC0) != 0x80;
        /* "Dr." on a line without a number is a doctor's title, not a Drive */
        int honorific = !strcmp(low, "dr") && dotted && digits == 0;
        /* a street word in small letters inside a line without a number
         * is a word of a sentence ("Creating gardens you'll love"); first,
         * it is the street's type ("chemin Lacombe") */
        int prose = !digits && nwords > 1 && (unsigned char)w[0] < 0x80 && islower((unsigned char)w[0]) && ncp > 2;
        if (ocr_fld_is_label(low, STREET_WORDS) && (ncp > 1 || dotted) && !honorific && !prose) street = 1;
        if (digits && (ocr_fld_is_label(low, STREET_WORDS_NUM) || asian_locality(low))) street = 1;
        /* a Romance street's type leads its name: "Corso Buenos" (the rest
         * of Corso Buenos Aires 148 in a box of its own) is no person */
        if (nwords == 1 && isupper((unsigned char)w[0]) && ocr_fld_is_label(low, LEADING_STREET_WORDS) &&
            ocr_fld_count_words(s) >= 2)
            street = 1;
        /* German compounds: ...straße, ...weg, ...platz, ...allee, ...ring */
        size_t ll = strlen(low);
        static const char *suf[] = {"straße", "strasse", "weg", "platz", "allee", "ring", "gasse", "damm",
                                    /* Dutch and Flemish: Kerkstraat, Stationslaan, Grote Markt, Meir-plein */
                                    "straat", "laan", "plein", "steenweg", "dreef", "kaai", "gracht", "singel",
                                    "kade", "vej", "gade", "gatan", "vägen", "veien", NULL};
        /* abbreviated: "Industriestr.", "Hauptstr." */
        if (dotted && ll > 5 && !strcmp(low + ll - 3, "str")) street = 1;
        for (int i = 0; suf[i] && !street; i++) {
            size_t k = strlen(suf[i]);
            /* a German ...ring follows a consonant ("Altstadtring"); after
             * a vowel it is an English -ing ("Manufacturing", "Engineering") */
            if (ll > k + 2 && !strcmp(low + ll - k, suf[i]) && !(!strcmp(suf[i], "ring") && strchr("aeiou", low[ll - 5])))
                street = 1;
        }
    }
    if (street) score += 2;
    if (us_state_zip(s)) score += 3;
    if (po_box(s)) score += 2;
    /* Canadian postcode "M5H 1J9" as a word, after a province's code */
    for (const char *c = s; *c; c++) {
        size_t k = (c == s || c[-1] == ' ') ? ocr_address_ca_code(c) : 0;
        if (k) {
            score += c >= s + 3 && isupper((unsigned char)c[-3]) && isupper((unsigned char)c[-2]) ? 3 : 2;
            break;
        }
    }
    /* a Brazilian state's code ending the line after a dash or a slash
     * ("Bela Vista - São Paulo/SP"): a town's line, not enough alone */
    size_t sl = strlen(s);
    if (sl > 5 && isupper((unsigned char)s[sl - 1]) && isupper((unsigned char)s[sl - 2]) &&
        (s[sl - 3] == '/' || (s[sl - 3] == ' ' && s[sl - 4] == '-')) && ocr_address_br_ddd(s + sl - 2))
        score += 1;
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
    /* postcode shapes: 5 or 6 digits, or "NN NNN" (French), "NNN NN", as a word */
    for (const char *c = s; *c; c++) {
        if (isdigit((unsigned char)*c) && (c == s || !isdigit((unsigned char)c[-1]))) {
            size_t k = strspn(c, "0123456789");
            if ((k == 5 || k == 6) && !isdigit((unsigned char)c[k])) score += 2;
            /* Japanese "100-0005" */
            else if (k == 3 && c[3] == '-' && strspn(c + 4, "0123456789") == 4 && !isdigit((unsigned char)c[8])) score += 2;
            else if (k == 2 && c[2] == ' ' && strspn(c + 3, "0123456789") == 3 && !isdigit((unsigned char)c[6])) score += 2;
            /* Czech/Swedish "120 00 Praha 2", Polish "00-026 Warszawa", Portuguese
             * "1250-096 Lisboa": before the town */
            else if (ocr_address_code_before_town(c)) score += 2;
            c += k - 1;
        }
    }
    /* a four-digit postcode before a town ("2000 Antwerpen", "1012 AB Amsterdam", "8001 Zürich"):
     * Belgium, the Netherlands, Switzerland, Austria, the Nordics, Australia */
    for (const char *c = s; *c; c++) {
        if (!isdigit((unsigned char)*c) || (c != s && c[-1] != ' ' && c[-1] != ',' && c[-1] != '-')) continue;
        size_t k = strspn(c, "0123456789");
        const char *t = c + k;
        if (k == 4 && *t == ' ' && isupper((unsigned char)t[1])) {
            size_t up = strspn(t + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
            /* "1012 AB Amsterdam": the Dutch letters, then the town */
            if (up == 2 && t[3] == ' ' && isupper((unsigned char)t[4])) t += 3;
            if (islower((unsigned char)t[2]) || (unsigned char)t[2] >= 0x80) {
                score += 2;
                break;
            }
        }
        c += k ? k - 1 : 0;
    }
    /* places listed by commas down to a country, with a number ("Lot D26,
     * Cau Giay New Urban Area, Hanoi, Vietnam"; "London, Paris, Singapore"
     * is a tagline) */
    const char *comma = strrchr(s, ',');
    if (digits && comma && comma != strchr(s, ',') && ocr_address_country_in(comma + 1)) score += 2;
    /* house number next to words: "801 Marcus", "Riehlstraße 6", "797, rue" */
    if (digits > 0 && digits <= 6 && nwords >= 2) score += 1;
    /* a line that starts with a house number and goes on in words */
    size_t hn = strspn(s, "0123456789");
    if (hn >= 1 && hn <= 5 && (s[hn] == ' ' || (s[hn] == ',' && s[hn + 1] == ' ')) && digits == (int)hn && nwords >= 3) score += 1;
    return score;
}


void ocr_fld_find_address(fld_state_t *p) {
    int abest = -1, ascore = 0;
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER) continue;
        l->addr = address_score(l);
        if (l->addr > ascore) {
            ascore = l->addr;
            abest = (int)i;
        }
    }
    if (abest < 0 || ascore < 2) return;
    int *lines = p->addr_lines;
    lines[p->naddr++] = abest;
    p->l[abest].kind = FLD_ADDR;
    /* upwards: street lines above a city line */
    int cur = abest;
    while (p->naddr < 4) {
        int up = ocr_fld_above(p, cur);
        if (up < 0 || p->l[up].kind != FLD_OTHER || p->l[up].addr < 1) break;
        /* the company above the street ("Saigon Green Energy JSC", or with
         * a short legal form and no number: "Crestline Engineering SA"), a
         * department ("Plant Engineering Department"), or print far larger
         * than the address's. A street with its number that looks like an
         * address is not stopped by a word that is also a legal form
         * ("Av. Constitución 2050 Pte.": Poniente, not Pte Ltd). */
        int street = strpbrk(p->l[up].t, "0123456789") && p->l[up].addr >= 2;
        if ((ocr_fld_long_legal_form(p->l[up].t) && !street) ||
            ((ocr_fld_company_marks(p->l[up].t) || ocr_fld_org_unit(p->l[up].t)) && !strpbrk(p->l[up].t, "0123456789")) ||
            (p->l[up].h && p->l[up].h > 2 * p->l[cur].h))
            break;
        memmove(lines + 1, lines, sizeof(int) * (size_t)p->naddr);
        lines[0] = up;
        p->naddr++;
        p->l[up].kind = FLD_ADDR;
        cur = up;
    }
    cur = abest;
    while (p->naddr < 5) {
        int dn = ocr_fld_below(p, cur);
        if (dn < 0 || p->l[dn].kind != FLD_OTHER) break;
        /* a department under the address ("Unit 5" with its number is an
         * address's), or the person the e-mail names (an address printed
         * over the name; not a line naming a country: "Ho Chi Minh City,
         * Vietnam" beside minhduc.tran@) */
        if (ocr_fld_org_unit(p->l[dn].t) && !strpbrk(p->l[dn].t, "0123456789")) break;
        if (p->l[dn].addr < 1 && ocr_fld_names_local(p, p->l[dn].t) && !ocr_address_country_in(p->l[dn].t)) break;
        /* a city line: address-like, or a few capitalised words of similar size */
        int near = p->l[dn].h == 0 || abs(p->l[dn].h - p->l[cur].h) <= p->l[cur].h / 3;
        /* ... or naming a country ("Ho Chi Minh City, Vietnam") */
        if (p->l[dn].addr < 1 && !(near && ocr_fld_count_words(p->l[dn].t) <= 3 && !ocr_fld_title_words(p->l[dn].t) &&
                                   !ocr_fld_company_marks(p->l[dn].t)) &&
            !(near && ocr_address_country_in(p->l[dn].t) && !ocr_fld_company_marks(p->l[dn].t)))
            break;
        lines[p->naddr++] = dn;
        p->l[dn].kind = FLD_ADDR;
        cur = dn;
    }
}

/* Words that label an address line, in the languages of the cards read
 * (lower case; "lojas": a shop's branches). */
static const char *const ADDR_LABELS[] = {"address", "addr", "add", "adresse", "adres", "anschrift", "endereço",
                                          "endereco", "end", "dirección", "direccion", "dir", "indirizzo", "sede",
                                          "loja", "lojas", "store", "stores", "branch", "branches", "địa chỉ",
                                          "đc", "адрес", NULL};

/* Marks left at an address line's ends once a label is gone. */
static int edge_mark(const char *p, size_t *len) {
    static const char *const M[] = {"\xC2\xAB", "\xC2\xBB", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\xA2",
                                    "\xC2\xB7", "\"", "-", "|", "/", ":", ",", ";", "*", " ", NULL};
    for (int i = 0; M[i]; i++)
        if (!strncmp(p, M[i], strlen(M[i]))) {
            *len = strlen(M[i]);
            return 1;
        }
    return 0;
}

void ocr_fld_address_line_clean(char *t) {
    size_t n = strlen(t);
    /* a label before a colon at the start */
    const char *colon = strchr(t, ':');
    if (colon && colon > t && (size_t)(colon - t) < 24) {
        char w[64];
        fmt_u8_lower_n(t, (size_t)(colon - t), w, sizeof w);
        size_t wl = strlen(w);
        while (wl && w[wl - 1] == ' ') w[--wl] = '\0';
        if (ocr_fld_is_label(w, ADDR_LABELS)) {
            size_t k = (size_t)(colon - t), ml;
            while (t[k] && edge_mark(t + k, &ml)) k += ml;
            memmove(t, t + k, n - k + 1);
            n -= k;
        }
    }
    /* phone labels dangling at the end: "- Tel/Fax:" */
    size_t e = n;
    while (e && t[e - 1] == ' ') e--;
    if (e && t[e - 1] == ':') {
        e--;
        /* the label words before the colon, split at '/' */
        size_t k = e;
        for (;;) {
            size_t we = k;
            while (k && (isalpha((unsigned char)t[k - 1]) || (unsigned char)t[k - 1] >= 0x80)) k--;
            if (k == we) break;
            char w[64];
            fmt_u8_lower_n(t + k, we - k, w, sizeof w);
            if (we - k < 2 || !ocr_fld_phone_label(w)) {
                k = we;
                break;
            }
            if (k && t[k - 1] == '/') k--;
            else break;
        }
        if (k < e && t[k] != '/') { /* whole labels: cut with the marks before them */
            while (k && strchr(" -|,;", t[k - 1])) k--;
            if (k) {
                t[k] = '\0';
                n = k;
            }
        }
    }
    /* marks at the start ("« Av. ...") */
    size_t k = 0, ml;
    while (t[k] && edge_mark(t + k, &ml)) k += ml;
    if (k) {
        memmove(t, t + k, n - k + 1);
        n -= k;
    }
}
