/* fields_names.c - name, company and title, for the field parser: the word
 * lists (legal forms, title words in en/de/fr/ru), the shape of a personal
 * name, how well a line matches the e-mail/web domain or the e-mail's local
 * part, the stage that picks the name (name-shaped, large, matching the
 * local part), the company (legal form or domain match) and the title (the
 * line under the name, else title words) among the lines still undecided,
 * and the cross-checks that let the company fix a near-miss domain and the
 * name a one-letter slip in the e-mail's local part. */
#include "ocr/fields_internal.h"

#include "ocr/address.h"

#include "firmware/core/err.h"
#include "firmware/formats/phone.h"
#include "firmware/formats/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Scale of a title's confidence on a card with no name (below the title's
 * CONFIDENT threshold, 0.77, from any reading). */
#define TITLE_NO_NAME 0.7
/* The confidence of a company named by a brand key beside a trade line
 * (brand_beside_trade). */
#define BRAND_BESIDE_TRADE 0.5

static const char *const COMPANY_MARKS[] = {
    "inc", "inc.", "llc", "ltd", "ltd.", "limited", "plc", "gmbh", "ag", "kg", "ohg", "gbr", "ug", "e.k.", "se",
    "sa", "s.a.", "sas", "s.a.s.", "sarl", "s.a.r.l.", "s.a.r.l", "eurl", "snc", "sci", "group", "groupe", "corp",
    "corp.", "corporation", "co.", "llp", "lp", "bv", "b.v.", "nv", "n.v.", "s.p.a.", "spa", "srl", "oy", "ab",
    "holding", "holdings", "partners", "associates", "sons", "fils", "gmbh&co.", "kgaa", "mbh", "ооо", "оао", "ао",
    "зао", "пао", "нпо", "ип", "гк", "тоо", "фгуп", "мup", "нко", "ано", "and", "und", "et", "и",
    /* legal forms of more countries: Brazil/Portugal, Spain/Latin America,
     * Italy, Poland, Nordics, Central Europe, Asia */
    "ltda", "ltda.", "s/c", "s/a", "eireli", "epp", "lda", "lda.", "s.l.", "s.l", "sl", "slu", "s.l.u.", "s.a.c.",
    "s.r.l.", "s.r.l", "s.a.s.", "s.c.", "s.de", "c.v.", "sp.", "z.o.o.", "o.o.", "a/s", "aps", "asa", "oyj", "s.r.o.",
    "a.s.", "kft", "kft.", "zrt", "zrt.", "d.o.o.", "pte", "pte.", "pvt", "pvt.", "sdn", "bhd", "bhd.", "k.k.",
    "co.,", "tbk", "jsc", "llc.", "inc,", "ltd,", "company", "cia", "cia.", "&cia",
    /* Belgium, the US, Vietnam, Australia, Turkey (A.Ş., Ltd. Şti.) */
    "bvba", "sprl", "vzw", "asbl", "commv", "pllc", "p.c.", "l.l.c.", "tnhh", "cổ", "pty", "pty.", "a.ş.", "a.ş",
    "şti.", "şti", NULL};

/* low (lower case) is one of COMPANY_MARKS, or a dotted one whose last
 * dot the print or the reading lost ("S.A" of S.A., "B.V", "K.K"): a
 * dot inside the word and a letter at its end. */
static int company_mark_label(const char *low) {
    if (ocr_fld_is_label(low, COMPANY_MARKS)) return 1;
    size_t n = strlen(low);
    const char *dot = strchr(low, '.');
    if (!dot || dot == low || n + 2 > 64 || !isalpha((unsigned char)low[n - 1])) return 0;
    char with[64];
    snprintf(with, sizeof with, "%s.", low);
    return ocr_fld_is_label(with, COMPANY_MARKS);
}

/* Two-letter legal forms written without dots (SE, SA, AG, KG, AB, OY,
 * BV, NV, LP, UG, SL) are also common words and syllables ("Se", "Ag"): they
 * count only in capitals and after the company's name, where a legal form
 * stands. Longer and dotted forms (Ltda., S.A., GmbH) and those written
 * first (ООО, PT) count anywhere. */
static int short_form_ok(const char *w, size_t wl, int first) {
    if (wl != 2 || !isalpha((unsigned char)w[0]) || !isalpha((unsigned char)w[1])) return 1;
    static const char *const SHORT[] = {"se", "sa", "ag", "kg", "ab", "oy", "bv", "nv", "lp", "ug", "sl", NULL};
    char low[3] = {(char)tolower((unsigned char)w[0]), (char)tolower((unsigned char)w[1]), '\0'};
    if (!ocr_fld_is_label(low, SHORT)) return 1;
    return !first && isupper((unsigned char)w[0]) && isupper((unsigned char)w[1]);
}

/* 1 when the one word w is a legal-form mark where a legal form stands
 * (after the name). */
static int mark_word(const char *w) {
    char low[64];
    fmt_u8_lower_n(w, strlen(w), low, sizeof low);
    return company_mark_label(low) && short_form_ok(w, strlen(w), 0);
}

/* The words of s that are company marks; conjunctions ("and", "und",
 * "et") too when with_conj. */
static int mark_words(const char *s, int with_conj) {
    static const char *const CONJ[] = {"and", "und", "et", NULL};
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    int n = 0, k = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, " ,", &save); w; w = strtok_r(NULL, " ,", &save), k++) {
        char low[64];
        fmt_u8_lower_n(w, strlen(w), low, sizeof low);
        if (company_mark_label(low) && (with_conj || !ocr_fld_is_label(low, CONJ)) &&
            short_form_ok(w, strlen(w), k == 0))
            n++;
    }
    return n;
}

int ocr_fld_ends_with_mark(const char *s) {
    size_t n = strlen(s);
    while (n && strchr(" ,", s[n - 1])) n--;
    size_t b = n;
    while (b && !strchr(" ,", s[b - 1])) b--;
    char w[64];
    if (n == b || n - b >= sizeof w) return 0;
    memcpy(w, s + b, n - b);
    w[n - b] = '\0';
    return mark_word(w);
}

int ocr_fld_company_marks(const char *s) {
    int n = mark_words(s, 1);
    /* a name in guillemets (ООО «Ромашка»); a lone « is a bullet read
     * as one ("Lojas: « Av. Rio das Pedras") */
    if ((strstr(s, "\xc2\xab") && strstr(s, "\xc2\xbb")) || strstr(s, "&")) n++;
    return n;
}

/* Company marks other than a conjunction ("and", "und", "et", "&"): a
 * role line joins two roles or fields with one ("Sales and Marketing
 * Manager", "Directeur Ventes et Marketing"), a firm's name keeps a legal
 * form or a word such as Partners beside it. */
static int firm_marks(const char *s) { return mark_words(s, 0); }

/* Lower-case particles inside names of many cultures: "Maria da Silva",
 * "Jan van der Berg", "Ahmad bin Ali". Not "e"/"y" ("and"): "Emancipação e
 * Procurações", "Flávio e Valdeque" are services and shops, not a person. */
static int name_particle(const char *w, size_t n) {
    static const char *const P[] = {"da", "de", "do", "dos", "das", "di", "del", "della", "la", "le", "van", "von",
                                    "der", "den", "ter", "ten", "bin", "binti", "al", "el", "zu", "af",
                                    "av", "du", "des", "st.", NULL};
    for (int i = 0; P[i]; i++)
        if (strlen(P[i]) == n && !strncmp(w, P[i], n)) return 1;
    return 0;
}

/* Shape of a personal name: 2-4 capitalised words (lower-case particles
 * between them allowed), letters and - ' . only; words in capitals count
 * ("Hiroshi TANAKA", "Jean DUPONT", "NGUYEN Van An"). Returns the number of
 * capitalised words, 0 when not a name shape; *ncaps = how many are in
 * capitals (all of them: as likely a business; the caller wants support),
 * *ninitials how many are initials ("R.", a name's cue). */
static int name_shape_ex(const char *s, int *ncaps, int *ninitials) {
    int words = 0, particles = 0, caps = 0, nw = 0, initials = 0;
    *ncaps = *ninitials = 0;
    for (const char *q = s; *q;) { /* number of words */
        while (*q == ' ') q++;
        if (!*q) break;
        nw++;
        q += strcspn(q, " ");
    }
    int k = 0;
    for (const char *w = s; *w; k++) {
        while (*w == ' ') w++;
        if (!*w) break;
        size_t wl = strcspn(w, " ");
        const char *p = w, *end = w + wl;
        unsigned c = fmt_u8_next(&p);
        if (!ocr_fld_is_upper(c)) {
            /* a particle, never first or last */
            if (k > 0 && k < nw - 1 && name_particle(w, wl)) {
                particles++;
                w = end;
                continue;
            }
            return 0;
        }
        int letters = 1, uppers = 1, inner = 0;
        unsigned prev = c;
        /* a comma before the one English given name after a family name
         * in capitals ("CHAN Tai Man, Peter"); a comma elsewhere is an
         * address's ("Berlin, Germany") */
        const char *stop = k == nw - 2 && caps && wl >= 3 && end[-1] == ',' ? end - 1 : end;
        /* ... or after three words ("Tan Ah Kow, Jeremy"), the last no
         * country and no state's code ("Rio de Janeiro, Brazil") */
        if (stop == end && k == nw - 2 && nw >= 4 && !particles && wl >= 3 && end[-1] == ',') {
            const char *last = end + strspn(end, " ");
            size_t ll = strcspn(last, " ");
            char lw[64];
            snprintf(lw, sizeof lw, "%.*s", (int)(ll < sizeof lw ? ll : sizeof lw - 1), last);
            int all_caps = 1;
            for (const char *q = lw; *q; q++) all_caps &= !islower((unsigned char)*q);
            if (!all_caps && !ocr_address_country(lw)) stop = end - 1;
        }
        while (p < stop) {
            c = fmt_u8_next(&p);
            if (!ocr_fld_is_letter(c) && c != '-' && c != '\'' && c != '.') return 0;
            if (ocr_fld_is_letter(c)) {
                letters++;
                if (ocr_fld_is_upper(c)) {
                    uppers++;
                    /* "McDonald", "O'Neill", "Jean-Luc" are fine */
                    if (ocr_fld_is_upper(prev) && prev != 'c') inner = 1;
                }
            }
            prev = c;
        }
        if (letters == 1 && memchr(w, '.', wl)) initials++; /* "R." */
        else if (uppers == letters) caps++;
        else if (inner) return 0; /* "ABc", "GmbH" */
        words++;
        w = end;
    }
    if (words < 2 || words > 4 || particles > 2) return 0;
    *ncaps = caps;
    *ninitials = initials;
    /* "Ls Ls", "Tl Hs": logo debris has no word of three letters or more */
    int longest = 0, cur = 0;
    for (const char *q = s; *q;) {
        unsigned c = fmt_u8_next(&q);
        cur = ocr_fld_is_letter(c) ? cur + 1 : 0;
        if (cur > longest) longest = cur;
    }
    if (longest < 3) return 0;
    return words;
}


/* Titles of address and degrees written before a name ("Dr.", "Dott.",
 * "Dipl.-Ing."), lower case; name_core drops them. */
static const char *const NAME_PRE[] = {
    "dr", "dr.", "dra", "dra.", "prof", "prof.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx.", "sr.", "sra.",
    "srta.", "eng.", "eng", "engr.", "ing.", "ir.", "dipl.-ing.", "dr.-ing.", "mag.", "me.", "mme", "mme.", "m.",
    "mlle", "hr.", "fr.", "sir", "dame", "adv.", "ca", "shri", "smt.", "sri", "капт.", "dott.", "dott.ssa", "dr.ssa",
    "avv.", "arch.", "geom.", "rag.", "lic.",
    /* German doctorates: "Dr. med.", "Dr. rer. nat." */
    "med.", "dent.", "rer.", "nat.", "phil.", "jur.", "vet.",
    /* Czech and Slovak degrees, Spanish-speaking professions ("Cdor."
     * contador, "Arq." arquitecto, "Lcda.") */
    "mgr.", "bc.", "mudr.", "judr.", "phdr.", "rndr.", "cdor.", "cra.", "arq.", "abog.", "lcda.", "lcdo.", "ldo.",
    "c.p.", "ing", "dipl.", NULL};

/* 1 when word w (any case) is one of them. */
static int name_prefix(const char *w) {
    char low[64];
    fmt_u8_lower_n(w, strlen(w), low, sizeof low);
    /* German diplomas: "Dipl.-Kfm.", "Dipl.-Inform.", "Dipl.-Wirt.-Ing." */
    return ocr_fld_is_label(low, NAME_PRE) || !strncmp(low, "dipl.-", 6);
}

/* The name without the honorifics before it and the credentials after it
 * ("Dr. Anil Kumar", "Prof. Dr.-Ing. Klaus Weber", "Dipl.-Kfm. Thomas
 * Müller", "Jane Doe, Ph.D., MBA", "Anna Roy CPA"): titles of address and
 * degrees of many countries are not part of the person's name (a "Jr."
 * is, and stays). Into out. */
static void name_core(const char *s, char *out, size_t n) {
    static const char *const POST[] = {"phd", "ph.d", "ph.d.", "md", "m.d.", "mba", "cpa", "cfa", "pe", "p.e.",
                                       "dds", "d.d.s.", "dmd", "d.m.d.", "esq", "esq.", "msc", "m.sc.", "bsc",
                                       "b.sc.", "ma", "m.a.", "llm", "ll.m.", "rn", "dvm", "pmp", "cissp", "ceng",
                                       "frcs", "mrcp", "acca", "fca", "its",
                                       /* British chartered bodies */
                                       "mrics", "frics", "fcca", "aca", "acma", "cima", "mcips", "mcipd", "miet",
                                       "mice", "fcii",
                                       /* Indian degrees ("Rajesh Kumar Iyer, B.Tech, MBA") */
                                       "b.tech", "b.tech.", "m.tech", "m.tech.", "b.e.", "m.e.", "b.com", "m.com",
                                       "bba", "llb", "ll.b.", "mbbs", "bds", "mds", "m.s.", NULL};
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    /* a bracket at the end: an honorific ("LE THI HONG NHUNG (Ms.)") or
     * the English name used beside the printed one ("Zhang Wei (David)") */
    size_t bl = strlen(buf);
    while (bl && buf[bl - 1] == ' ') buf[--bl] = '\0';
    char *open = bl && buf[bl - 1] == ')' ? strrchr(buf, '(') : NULL;
    if (open && open > buf && open[-1] == ' ' && !memchr(open + 1, ' ', (size_t)(buf + bl - 1 - open - 1)))
        *open = '\0';
    char *w[16];
    int nw = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, " ", &save); t && nw < 16; t = strtok_r(NULL, " ", &save)) w[nw++] = t;
    int a = 0, b = nw;
    char low[64];
    while (a < b - 2 && name_prefix(w[a])) a++; /* keep two words at least */
    while (b > a + 2) {
        size_t wl = strlen(w[b - 1]);
        while (wl && (w[b - 1][wl - 1] == ',' || w[b - 1][wl - 1] == ';')) wl--;
        fmt_u8_lower_n(w[b - 1], wl, low, sizeof low);
        if (!ocr_fld_is_label(low, POST)) break;
        b--;
    }
    size_t o = 0;
    out[0] = '\0';
    for (int k = a; k < b && o + 2 < n; k++) {
        o += (size_t)snprintf(out + o, n - o, "%s%s", o ? " " : "", w[k]);
        if (o >= n) o = n - 1;
    }
    /* the comma before the credentials: "Jane Doe, Ph.D." */
    while (o && (out[o - 1] == ',' || out[o - 1] == ';')) out[--o] = '\0';
}

/* Key letters OCR confuses, folded to one letter on both sides of a
 * comparison: i/l/1 -> l, 0 -> o, 5 -> s, rn -> m, vv -> w ("Lider Frio"
 * read "Lider Fr1o" still agrees with liderfrio). */
static void confusable_fold(const char *in, char *out, size_t n) {
    size_t o = 0;
    for (size_t i = 0; in[i] && o + 1 < n; i++) {
        char c = in[i];
        if ((c == 'r' && in[i + 1] == 'n') || (c == 'v' && in[i + 1] == 'v')) {
            out[o++] = c == 'r' ? 'm' : 'w';
            i++;
            continue;
        }
        out[o++] = c == 'i' || c == '1' ? 'l' : c == '0' ? 'o' : c == '5' ? 's' : c;
    }
    out[o] = '\0';
}

/* Words a company's initials skip: "Flores Nossa Senhora de Fatima" ->
 * floresnsfatima, "Smith & Sons" -> smithsons. */
static int skippable_word(const char *k) {
    static const char *const W[] = {"de", "da", "do", "dos", "das", "e", "y", "et", "and", "und", "of", "the",
                                    "van", "von", "der", "di", "del", "la", "le", NULL};
    for (int i = 0; W[i]; i++)
        if (!strcmp(k, W[i])) return 1;
    return !*k || company_mark_label(k); /* a legal form is not in the domain */
}

/* 1 when target starts with the line's words w[0..nw) each taken whole,
 * by its initial or (a particle) skipped, with at least two words whole;
 * *used = how many target letters they cover. Depth-first: a card line
 * has few words. */
static int initials_cover(char w[][64], int nw, int k, const char *t, int whole, size_t *used) {
    if (k == nw) {
        *used = 0;
        return whole >= 2;
    }
    size_t wl = strlen(w[k]), sub = 0;
    if (wl && !strncmp(t, w[k], wl) && initials_cover(w, nw, k + 1, t + wl, whole + (wl >= 3), &sub)) {
        *used = wl + sub;
        return 1;
    }
    if (wl && t[0] == w[k][0] && initials_cover(w, nw, k + 1, t + 1, whole, &sub)) {
        *used = 1 + sub;
        return 1;
    }
    if (skippable_word(w[k]) && initials_cover(w, nw, k + 1, t, whole, &sub)) {
        *used = sub;
        return 1;
    }
    return 0;
}

/* 1 when t is spelled exactly by words w[k..nw) taken whole, in order,
 * some left out, at least `need` of them taken: "PADARIA E CONFEITARIA BOM
 * GOSTO" ~ padariabomgosto. */
static int words_spell(char w[][64], int nw, int k, const char *t, int need) {
    if (!*t) return need <= 0;
    if (k == nw) return 0;
    size_t wl = strlen(w[k]);
    if (wl && !strncmp(t, w[k], wl) && words_spell(w, nw, k + 1, t + wl, need - 1)) return 1;
    return words_spell(w, nw, k + 1, t, need);
}

/* How well a line matches one brand key (a domain's label or a provider
 * e-mail's local part), 0..1: equal; one holds the other (the company with
 * a word more, "Microvida Informática" ~ microvida; the key with a word
 * more, "Lider Frio" ~ liderfriorefrigeracao); its first word; its words
 * and initials ("Flores Nossa Senhora de Fatima" ~ floresnsfatima); or a
 * near miss. Case, spaces, accents and OCR-confusable letters are ignored. */
static double key_match(const char *line, const char *stem) {
    if (!*stem) return 0;
    char key0[256], key[256], st[128];
    ocr_fld_key(line, key0, sizeof key0);
    confusable_fold(key0, key, sizeof key);
    confusable_fold(stem, st, sizeof st);
    if (!*key) return 0;
    if (!strcmp(key, st)) return 1;
    size_t kl = strlen(key), sl = strlen(st);
    if (sl >= 4 && strstr(key, st)) return 0.9;
    if (kl >= 4 && strstr(st, key)) return 0.8;
    /* first word of the line against the stem ("Torres PLC" ~ torres) */
    char first[128];
    snprintf(first, sizeof first, "%s", line);
    char *sp = strchr(first, ' ');
    if (sp) *sp = '\0';
    char fk0[128], fk[128];
    ocr_fld_key(first, fk0, sizeof fk0);
    confusable_fold(fk0, fk, sizeof fk);
    if (strlen(fk) >= 3 && !strcmp(fk, st)) return 0.9;
    /* words and initials */
    char w[8][64], buf[256];
    int nw = 0;
    snprintf(buf, sizeof buf, "%s", line);
    char *save = NULL;
    for (char *t = strtok_r(buf, " -&/,.", &save); t && nw < 8; t = strtok_r(NULL, " -&/,.", &save)) {
        char k0[64];
        ocr_fld_key(t, k0, sizeof k0);
        confusable_fold(k0, w[nw], sizeof w[nw]);
        if (*w[nw]) nw++;
    }
    /* an acronym of three words or more: "Tata Consultancy Services" ~ tcs */
    if (sl >= 3 && sl <= 6) {
        char ac[16];
        size_t al = 0;
        for (int i = 0; i < nw && al + 1 < sizeof ac; i++)
            if (!skippable_word(w[i])) ac[al++] = w[i][0];
        ac[al] = '\0';
        if (al >= 3 && !strcmp(ac, st)) return 0.85;
    }
    size_t used = 0;
    if (nw >= 2 && initials_cover(w, nw, 0, st, 0, &used) && used >= 5) {
        if (used == sl) return 0.85;
        if (10 * used >= 6 * sl) return 0.75;
    }
    /* the first word and later ones whole, words between left out (a
     * trade's word the key skips: "Padaria e Confeitaria Bom Gosto") */
    size_t fl = strlen(w[0]);
    if (nw >= 3 && sl >= 8 && fl >= 3 && !strncmp(st, w[0], fl) && words_spell(w, nw, 1, st + fl, 1)) return 0.8;
    int d = ocr_text_edit_distance(key, st);
    if (sl >= 5 && d <= 2) return 0.7;
    return 0;
}

/* How well a line matches any of the card's brand keys (0..1). */
static int trade_only(const char *s);

static double domain_match(const char *line, const fld_state_t *p) {
    double best = 0;
    for (int i = 0; i < p->nbrands; i++) {
        double m = key_match(line, p->brands[i]);
        if (m > best) best = m;
    }
    /* "RESTAURANTE" in dimariorestaurante.com: the trade's part of the
     * brand, not its name (which a logo printed in script holds) */
    return trade_only(line) ? 0.4 * best : best;
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
        ocr_fld_key(w, k, sizeof k);
        if (strlen(k) >= 3 && strstr(local, k)) best = 1;
        else if (strlen(k) >= 5) {
            k[4] = '\0'; /* transliterations differ at the end */
            if (strstr(local, k)) best = best < 0.7 ? 0.7 : best;
        }
    }
    return best;
}

int ocr_fld_names_local(const fld_state_t *p, const char *t) {
    return local_match(t, p->local) >= 1;
}

static const char *const TITLE_WORDS[] = {
    "manager", "director", "engineer", "developer", "officer", "consultant", "analyst", "specialist", "designer",
    "assistant", "president", "head", "lead", "leader", "chief", "founder", "owner", "partner", "architect", "scientist",
    "executive", "coordinator", "administrator", "advisor", "adviser", "representative", "accountant", "sales",
    "technician", "associate", "senior", "junior", "ceo", "cto", "cfo", "coo", "vp", "intern", "editor", "agent",
    "leiter", "leiterin", "geschäftsführer", "geschäftsführerin", "berater", "beraterin", "ingenieur",
    "ingenieurin", "entwickler", "entwicklerin", "vertrieb", "referent", "referentin", "sachbearbeiter",
    /* German roles written as one word */
    "projektmanager", "projektmanagerin", "vertriebsleiter", "vertriebsleiterin", "teamleiter", "teamleiterin",
    "abteilungsleiter", "abteilungsleiterin", "einkaufsleiter", "einkaufsleiterin", "prokurist", "prokuristin",
    "directeur", "directrice", "responsable", "chef", "ingénieur", "conseiller", "conseillère", "chargé",
    "chargée", "gérant", "gérante", "commercial", "assistante", "président", "présidente", "технолог",
    "директор", "менеджер", "инженер", "руководитель", "начальник", "специалист", "бухгалтер", "консультант",
    "заместитель", "главный", "ведущий", "старший", "аналитик", "разработчик", "юрист",
    /* Portuguese, Spanish, Italian, Dutch, and more English roles */
    "gerente", "subgerente", "diretor", "diretora", "subdiretor", "subdiretora", "subdirector", "subdirectora",
    "executivo", "executiva", "agente", "fundador", "fundadora", "cofundador", "cofundadora", "tabelião", "tabeliã",
    "consultor", "consultora", "vendedor", "vendedora", "engenheiro",
    "engenheira", "analista", "coordenador", "coordenadora", "supervisor", "supervisora", "técnico", "técnica",
    "sócio", "sócia", "proprietário", "proprietária", "advogado", "advogada", "contador", "contadora",
    "representante", "escrevente", "presidente", "assistente", "auxiliar", "secretária", "corretor", "corretora",
    "director", "directora", "ingeniero", "ingeniera", "jefe", "jefa", "asesor", "asesora", "ejecutivo",
    "ejecutiva", "abogado", "abogada", "direttore", "direttrice", "responsabile", "amministratore", "ingegnere",
    "zaakvoerder", "verkoper", "adviseur", "bestuurder", "beheerder", "medewerker", "principal", "attorney",
    "lawyer", "broker", "realtor", "dentist", "physician", "pharmacist", "professor", "lecturer", "researcher",
    "programmer", "superintendent", "foreman", "planner", "buyer", "recruiter", "trainer", "chairman",
    "chairwoman", "secretary", "treasurer", "counsel", "controller", "auditor", "producer",
    /* Vietnamese: Giám đốc (director), Trưởng phòng (head of department) */
    "giám", "trưởng",
    /* Polish, Czech, Indonesian, Turkish, Nordic: real words one letter off
     * an English one ("Manajer", "Specjalista") are not slips of it */
    "specjalista", "kierownik", "dyrektor", "prezes", "inżynier", "doradca", "przedstawiciel", "ředitel",
    "ředitelka", "jednatel", "manažer", "manažerka", "manajer", "direktur", "müdür", "müdürü",
    "uzman", "mühendis", "projektledare", "säljare", "försäljningschef", "direktør", "konsulent", "rådgiver",
    "ingenjör", "ingeniør", "socio", NULL};

int ocr_fld_title_words(const char *s) { return ocr_fld_count_listed(s, " ,/&-", TITLE_WORDS); }

/* Lines that are not a person's name although they have its shape:
 * organisational units ("Sales Department", "Setor Comercial") and
 * taglines, slogans, services and opening hours ("Quality You Can Trust",
 * "Soluções em Segurança", "Mon-Fri 9-18"). Name particles (de, da, van,
 * von, bin, al) are deliberately absent: "Maria da Silva" is a name. */
static const char *const NOT_NAME_WORDS[] = {
    "department", "dept", "dept.", "division", "team", "unit", "office", "headquarters", "branch", "abteilung",
    "bereich", "département", "service", "services", "servicio", "servicios", "departamento", "setor", "seção",
    "divisão", "área", "отдел", "управление", "you", "your", "we", "our", "the", "for", "with", "best", "quality",
    "solutions", "solution", "trust", "since", "desde", "qualidade", "melhor", "serviços", "soluções", "solucoes",
    "servicos", "soluciones", "calidad", "mit", "für", "ihr", "ihre", "pour", "avec", "votre", "nous", "open", "hours", "aberto",
    "horário", "lösungen", "qualität", "em", "para", "com", NULL};

/* Trades and services: a line of a name's shape made of them is the
 * business's service ("Direção Hidráulica", "Auto Peças", "Plumbing
 * Services"), never a person. Only words no culture uses as a given or
 * family name. Used against names only: a company's name may hold them. */
static const char *const SERVICE_WORDS[] = {
    "assistência", "assistencia", "técnica", "tecnica", "manutenção", "manutencao", "consertos", "conserto",
    "reformas", "eletrônica", "eletronica", "informática", "informatica", "mecânica", "mecanica", "hidráulica",
    "hidraulica", "elétrica", "eletrica", "peças", "pecas", "restaurante", "buffet", "eventos", "funilaria",
    "pintura", "socorro", "guincho", "refrigeração", "refrigeracao", "imobiliária", "imobiliaria", "advocacia",
    "contabilidade", "farmácia", "farmacia", "ótica", "otica", "óptica", "optica", "lanchonete", "padaria", "pizzaria",
    "oficina", "plumbing", "consulting", "construction", "cleaning", "repair", "repairs", "electrical", "electronics",
    "restaurant", "catering", "bakery", "pharmacy", "optical", "realty", "insurance", "logistics", "printing",
    "carpentry", "roofing", "landscaping", "dental", "clinic", "salon", "boutique", "studio", "agency", "motors",
    "autohaus", "reparatur", "bäckerei", "elektro", "sanitär", "immobilien", "versicherung", "restauration",
    "boulangerie", "pharmacie", "plomberie", "électricité", "taller", "reparaciones", "inmobiliaria",
    /* what a business is ("Family Dentistry", "Engineering Works", "FPT Software") */
    "dentistry", "orthodontics", "engineering", "works", "manufacturing", "manufacturers", "industries",
    "enterprises", "trading", "technologies", "exports", "imports", "software", "systems", "robotics",
    "analytics", "automation", "pharma", "pharmaceuticals", "textiles", "foods", "networks",
    /* who sells a brand ("Distribuidor Brastemp", cards_real am18) */
    "distribuidor", "distribuidora", "distribuidores", "distributor", "distributors", "distribución",
    "distribuição", "distribuicao", "revendedor", "revendedora", "representações", "representacoes", NULL};

/* 1 when a word of s, eight letters or more, is one slip off a trade or
 * service word (two from ten letters; compared without accents): the
 * service line read with a letter or two wrong is no name either
 * ("Hanutengao de Impressoras" of Manutenção, cards_real am12 a grey level
 * darker, had outscored the owner's name read at 0.79). */
static int service_slip(const char *s) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    char *save = NULL;
    for (char *w = strtok_r(buf, " ,/&-", &save); w; w = strtok_r(NULL, " ,/&-", &save)) {
        char f[64];
        ocr_fld_ascii_fold(w, f, sizeof f);
        ocr_fld_lower_ascii(f);
        size_t n = strlen(f);
        if (n < 8) continue;
        for (const char *const *c = SERVICE_WORDS; *c; c++) {
            char g[64];
            ocr_fld_ascii_fold(*c, g, sizeof g);
            size_t m = strlen(g);
            if (m < 8 || (m > n ? m - n : n - m) > 1) continue;
            int d = ocr_text_edit_distance(f, g);
            if (d > 0 && d <= (n >= 10 && m >= 10 ? 2 : 1)) return 1;
        }
    }
    return 0;
}

/* A company's functions: words of roles and departments ("Business
 * Development Manager", "Marketing Team") that no culture uses as a name,
 * but a firm's name may hold ("Global Business Partners"); a line with one
 * is never a name ("Business Deve", a tilted role's first half). Used
 * against names only. */
static const char *const FUNCTION_WORDS[] = {"business", "development", "marketing", "operations", "finance",
                                             "partnerships", "procurement", "purchasing", "accounting", NULL};

/* Words that go with a trade in its description and name nothing on their
 * own ("AUTO PEÇAS", "Car Repair"). */
static const char *const TRADE_QUALIFIERS[] = {"auto", "car", "de", "e", "and", "&", "em", "geral", NULL};

/* Words of a trade run together as display type sets them ("AUTOSOCORRO"
 * for AUTO SOCORRO, cards_real am11 read so in four of seven variants): a
 * service word, or a qualifier, glued to a service word. Counts them in s;
 * out (may be NULL) gets s with a space put back in each ("" when cap is
 * too small). */
static int glued_trades(const char *s, char *out, size_t cap) {
    int n = 0;
    size_t o = 0;
    if (out && cap) out[0] = '\0';
    for (const char *w = s, *end; *w; w = end) {
        end = w + strcspn(w, " ,/&-");
        end += strspn(end, " ,/&-");
        size_t wl = strcspn(w, " ,/&-"), cut = 0;
        char low[64];
        size_t ll = fmt_u8_lower_n(w, wl, low, sizeof low);
        /* the cut's offset is the same in w when lowering kept every byte count */
        for (size_t k = 3; ll == wl && k + 4 <= ll && !cut; k++) {
            char head[64];
            snprintf(head, sizeof head, "%.*s", (int)k, low);
            if ((ocr_fld_is_label(head, SERVICE_WORDS) || ocr_fld_is_label(head, TRADE_QUALIFIERS)) &&
                ocr_fld_is_label(low + k, SERVICE_WORDS))
                cut = k;
        }
        n += cut > 0;
        if (!out) continue;
        int m = cut ? snprintf(out + o, cap - o, "%.*s %.*s", (int)cut, w, (int)(end - w - cut), w + cut)
                    : snprintf(out + o, cap - o, "%.*s", (int)(end - w), w);
        if (m < 0 || (size_t)m >= cap - o) {
            out[0] = '\0';
            return n;
        }
        o += (size_t)m;
    }
    return n;
}

/* The line names a trade and nothing else. */
static int trade_only(const char *s) {
    int n = ocr_fld_count_listed(s, " ,/&-", SERVICE_WORDS) + glued_trades(s, NULL, 0);
    return n && n + ocr_fld_count_listed(s, " ,/&-", TRADE_QUALIFIERS) >= ocr_fld_count_words(s);
}

/* A word ending like an abstract noun of a trade or process ("Direção",
 * "Instalações", "Construction") that no particle introduces: "Maria da
 * Conceição" is a name, "Direção Hidráulica" is not. Counts them. */
static int process_nouns(const char *s) {
    static const char *const SUF[] = {"ção", "ções", "tion", "tions", "ización", "izacion", NULL};
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    int n = 0, after_particle = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char low[64];
        size_t ll = fmt_u8_lower_n(w, strlen(w), low, sizeof low);
        int hit = 0;
        for (int i = 0; SUF[i] && !hit; i++) {
            size_t sl = strlen(SUF[i]);
            hit = ll > sl + 2 && !strcmp(low + ll - sl, SUF[i]);
        }
        if (hit && !after_particle) n++;
        after_particle = name_particle(low, ll);
    }
    return n;
}

/* Day names and their usual short forms (English, Portuguese, Spanish,
 * French, German, Italian, Dutch). Two-letter forms are left out: they are
 * also particles and initials ("Di Mario", "Do Carmo"). */
static const char *const DAY_WORDS[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed",
    "thu", "thur", "thurs", "fri", "sat", "sun", "segunda", "terça", "terca", "quarta", "quinta", "sexta", "sábado",
    "sabado", "domingo", "seg", "ter", "qua", "qui", "sex", "sáb", "sab", "dom", "feira", "lunes", "martes",
    "miércoles", "miercoles", "jueves", "viernes", "lun", "mié", "mie", "jue", "vie", "lundi", "mardi", "mercredi",
    "jeudi", "vendredi", "samedi", "dimanche", "mer", "jeu", "ven", "sam", "dim", "montag", "dienstag", "mittwoch",
    "donnerstag", "freitag", "samstag", "sonntag", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì",
    "sabato", "domenica", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", NULL};

/* A time of day: 9:30, 18h, 18h30, 9am, 11.30h. */
static int time_of_day(const char *w) {
    const char *p = w;
    int d = 0;
    while (isdigit((unsigned char)*p)) p++, d++;
    if (d < 1 || d > 2) return 0;
    if ((*p == ':' || *p == '.' || *p == 'h') && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]))
        return 1;
    if ((*p == 'h' || *p == 'H') && !isalnum((unsigned char)p[1])) return 1;
    return !strncasecmp(p, "am", 2) || !strncasecmp(p, "pm", 2);
}

/* 1 when the line gives opening hours: two day names ("Segunda a Sábado",
 * "Mon-Fri"), or a day name and a time of day ("Sat 9h-13h"). */
int ocr_fld_opening_hours(const char *s) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    int days = 0, times = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, " ,/&-;()", &save); w; w = strtok_r(NULL, " ,/&-;()", &save)) {
        char low[64];
        size_t ll = fmt_u8_lower_n(w, strlen(w), low, sizeof low);
        if (ll > 1 && low[ll - 1] == '.') low[ll - 1] = '\0'; /* "Seg." */
        days += ocr_fld_is_label(low, DAY_WORDS);
        times += time_of_day(w);
    }
    /* "Segunda a Sábado", "Mon-Fri", "Seg 9h-18h"; one day word alone may be
     * a name ("Domingo Pérez") */
    return days >= 2 || (days >= 1 && times >= 1);
}

/* The card schemes a shop's card shows it accepts, as their logos read
 * ("VISA VISA", "Master Card", "Maestro"): a line of them is neither a
 * firm's name nor a person's (cards_real am11 in three of seven
 * variants: "VISA VISA baum" taken for the company). "Elo" is also a given
 * name: a line counts only when its scheme words outnumber the rest
 * ("Elo Salmi" stays a name, "Visa Consulting Ltd" a firm). */
static const char *const PAYMENT_WORDS[] = {
    "visa", "mastercard", "maestro", "elo", "hipercard", "amex", "diners", "discover", "jcb", "unionpay",
    "paypal", "redeshop", "cirrus", "electron", "cabal", "sorocred", "goodcard", "ticket", "sodexo",
    /* the cards a shop takes, named: "(Aceitamos) os cartões", "Débito" */
    "cartões", "cartoes", "cartão", "cartao", "tarjetas", "débito", "debito", NULL};

/* The scheme words of line s; *other_out (may be NULL): its other words of
 * two letters or more. */
static int payment_words(const char *s, int *other_out) {
    char buf[512], prev[64] = "";
    snprintf(buf, sizeof buf, "%s", s);
    int brand = 0, other = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, " ,/&-|;()", &save); w; w = strtok_r(NULL, " ,/&-|;()", &save)) {
        char low[64];
        size_t wl = strlen(w);
        while (wl && ispunct((unsigned char)w[wl - 1])) wl--; /* '"VISA', '_VISA': a logo's edge */
        while (wl && ispunct((unsigned char)*w)) w++, wl--;
        fmt_u8_lower_n(w, wl, low, sizeof low);
        if ((!strcmp(prev, "master") && !strcmp(low, "card")) ||
            (!strcmp(prev, "american") && !strcmp(low, "express"))) {
            brand++; /* "Master Card", "American Express": two words, one scheme */
            other--;
        } else if (!strcmp(prev, "diners") && !strcmp(low, "club")) {
            /* "Diners Club": counted with "diners" */
        } else if (ocr_fld_is_label(low, PAYMENT_WORDS)) {
            brand++;
        } else if (strlen(low) >= 2) {
            other++;
        }
        snprintf(prev, sizeof prev, "%s", low);
    }
    if (other_out) *other_out = other;
    return brand;
}

int ocr_fld_payment_line(const char *s) {
    int other = 0, brand = payment_words(s, &other);
    return brand > 0 && brand > other;
}

int ocr_fld_not_name_words(const char *s) {
    int n = ocr_fld_count_listed(s, " ,/&-", NOT_NAME_WORDS);
    if (ocr_fld_opening_hours(s)) n += 2;
    if (strpbrk(s, "!?:")) n++;
    return n;
}

/* ------------------------------------------------ name, company, title */

/* Local parts that name a mailbox's role, not a business: at a mail
 * provider they say nothing about the company. */
static int role_local(const char *k) {
    static const char *const R[] = {"info", "contato", "contact", "contacto", "kontakt", "office", "sales", "vendas",
                                    "ventas", "admin", "mail", "email", "atendimento", "comercial", "financeiro",
                                    "suporte", "support", "hello", "hola", "service", "enquiries", "reception",
                                    "marketing", "orcamento", "orcamentos", "pedidos", "rh", "hr", "jobs", NULL};
    for (int i = 0; R[i]; i++)
        if (!strcmp(k, R[i])) return 1;
    return 0;
}

/* The brand key of one e-mail (mail) or website s into k (capacity n;
 * "" when it gives none): a site's brand (ocr_fld_site_brand), an own
 * e-mail domain's registrable label, or the local part of an e-mail at a
 * mail provider (liderfrio@terra.com.br) unless it names a role (info@)
 * or a person (a dot, dash or underscore between names), its digits at
 * the end dropped ("oticadajo2014"), five letters or more. */
static void item_brand_key(const char *s, int mail, char *k, size_t n) {
    k[0] = '\0';
    if (!mail) {
        ocr_fld_site_brand(s, k, n);
        return;
    }
    const char *at = strchr(s, '@');
    if (!at) return;
    if (!ocr_fld_shared_mail_domain(at + 1)) {
        ocr_fld_domain_stem(at + 1, k, n);
        return;
    }
    char loc[128];
    snprintf(loc, sizeof loc, "%.*s", (int)(at - s), s);
    if (strpbrk(loc, "._-")) return;
    ocr_fld_key(loc, k, n);
    size_t kl = strlen(k);
    while (kl && k[kl - 1] >= '0' && k[kl - 1] <= '9') k[--kl] = '\0';
    if (kl < 5 || role_local(k)) k[0] = '\0';
}

/* Item i of a contact's e-mails (em) then websites (ws); *mail 1 for an
 * e-mail. NULL when it is no string. */
static const char *contact_item(const json_t *em, const json_t *ws, size_t i, int *mail) {
    *mail = i < json_array_size(em);
    return json_string_value(json_array_get(*mail ? em : ws, *mail ? i : i - json_array_size(em)));
}

/* A company named by the card's domain (round 34). A card whose name is
 * printed as a logo in display type (cards_real am18's LIDER FRIO in ice
 * letters over a mountain photo) may give no company line at all; the
 * reader then knows the logo went unread (ocr_scan_info_t.unread_logo)
 * and the card's brand key names the firm (item_brand_key, as
 * domain_keys takes them). A key that holds a word of the
 * card's name is a person's (a freelancer's own domain) and is left out;
 * of the rest the shortest is taken when every other one begins with it
 * (liderfrio@terra.com.br and liderfriorefrigeracao.com.br: "Liderfrio"),
 * none when they disagree; written as the domain writes it when hyphens
 * part its words. A guess from another field: never marked confident
 * (BRAND_GUESS_CONF). */
#define BRAND_GUESS_CONF 0.5
int ocr_fields_company_from_brand(json_t *contact) {
    const char *co = json_string_value(json_object_get(contact, "company"));
    if (co && *co) return 0;
    const char *name = json_string_value(json_object_get(contact, "name"));
    char keys[8][128];
    int nk = 0;
    const json_t *em = json_object_get(contact, "emails"), *ws = json_object_get(contact, "websites");
    size_t items = json_array_size(em) + json_array_size(ws);
    for (size_t i = 0; i < items && nk < 8; i++) {
        int mail;
        const char *s = contact_item(em, ws, i, &mail);
        char k[128];
        if (!s) continue;
        item_brand_key(s, mail, k, sizeof k);
        int nl = 0;
        for (const char *c = k; *c; c++) nl += isalpha((unsigned char)*c) != 0;
        if (nl < 3 || (name && *name && local_match(name, k) > 0)) continue;
        snprintf(keys[nk++], sizeof keys[0], "%s", k);
    }
    if (!nk) return 0;
    int best = 0;
    for (int i = 1; i < nk; i++)
        if (strlen(keys[i]) < strlen(keys[best])) best = i;
    size_t bl = strlen(keys[best]);
    for (int i = 0; i < nk; i++)
        if (strncmp(keys[i], keys[best], bl)) return 0;
    /* as the domain writes it when its hyphens part words ("Northwind
     * Traders" of northwind-traders.co.uk), else the key */
    char out[128];
    snprintf(out, sizeof out, "%s", keys[best]);
    for (size_t i = 0; i < items; i++) {
        int mail;
        const char *s = contact_item(em, ws, i, &mail);
        size_t off, len;
        char raw[128], k[128];
        if (!s || !ocr_fld_stem_in(s, &off, &len) || len >= sizeof raw) continue;
        snprintf(raw, sizeof raw, "%.*s", (int)len, s + off);
        ocr_fld_key(raw, k, sizeof k);
        if (!strchr(raw, '-') || strcmp(k, keys[best])) continue;
        for (char *c = raw; *c; c++) *c = *c == '-' ? ' ' : (char)tolower((unsigned char)*c);
        snprintf(out, sizeof out, "%s", raw);
        break;
    }
    for (char *c = out; *c; c++)
        if (c == out || c[-1] == ' ') *c = (char)toupper((unsigned char)*c);
    json_object_set_new(contact, "company", json_string(out));
    json_t *conf = json_object_get(contact, "confidence");
    if (json_is_object(conf)) json_object_set_new(conf, "company", json_real(BRAND_GUESS_CONF));
    ocr_fields_mark_confident(contact);
    return 1;
}

/* Add a brand key unless empty, too short or there already. */
static void add_brand(fld_state_t *p, const char *k) {
    if (strlen(k) < 3 || p->nbrands >= 4) return;
    for (int i = 0; i < p->nbrands; i++)
        if (!strcmp(p->brands[i], k)) return;
    snprintf(p->brands[p->nbrands++], sizeof p->brands[0], "%s", k);
}

/* What the company is matched against (the name is matched against
 * p->local, set with the e-mails): the brand keys, the registrable label
 * of every own e-mail domain and website, the local part of an e-mail at a
 * mail provider (liderfrio@terra.com.br) unless it names a role (info@) or
 * a person (a dot, dash or underscore between names). p->stem is the first
 * brand. */
static void domain_keys(fld_state_t *p) {
    for (int i = 0; i < p->nemails + p->nsites; i++) {
        char k[128];
        item_brand_key(i < p->nemails ? p->emails[i].s : p->sites[i - p->nemails].s, i < p->nemails, k, sizeof k);
        add_brand(p, k);
    }
    if (p->nbrands) snprintf(p->stem, sizeof p->stem, "%s", p->brands[0]);
}

static int line_digits(const char *s) {
    int d = 0;
    for (; *s; s++) d += *s >= '0' && *s <= '9';
    return d;
}

/* 1 when pred holds for a word of s (split at spaces; letters: how many
 * letters the word has, in any script). */
static int any_word(const char *s, int (*pred)(const char *w, int letters)) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    char *save = NULL;
    for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        int letters = 0;
        for (const char *q = w; *q;) letters += ocr_fld_is_letter(fmt_u8_next(&q)) != 0;
        if (pred(w, letters)) return 1;
    }
    return 0;
}

static int is_short_word(const char *w, int letters) {
    return !(letters > 2 || strchr(w, '.') || name_particle(w, strlen(w)));
}

/* 1 when a word of s has one or two letters and is neither an initial
 * ("R.") nor a particle ("da", "van"): in a name read with a poor
 * confidence, the sign of debris. */
static int short_word(const char *s) { return any_word(s, is_short_word); }

/* A line's height relative to the tallest undecided line (0.5 without boxes). */
static double line_size(const fld_line_t *l, int maxh) { return l->h ? (double)l->h / maxh : 0.5; }

/* How much a line looks like the company: legal form mark cm, domain match
 * dm, size, minus shape (a name-shaped line) and title words tw. */
static double company_score(double cm, double dm, double size, double shape, int tw) {
    /* a line that spells the card's own domain ("ABC Technologies" ~
     * abctech.com) outweighs a bare legal-form mark on another line
     * ("Decision & Security Technologies", a division) */
    return 2.0 * cm + 2.0 * dm + (dm >= 0.85 ? 0.75 : 0) + 0.5 * size - shape - 0.5 * tw;
}

static int tagline(const char *s);
static int payment_words(const char *s, int *other_out);

/* With no legal form and no domain match, the company is the line set in
 * the largest type when it stands out (x-height 1.3 times the card's median
 * line or more): the business's name on a card that names nobody, the
 * brand above a person's name. Not a sentence (<= 6 words), not the name,
 * read with fair confidence. Index or -1. */
#define DOMINANT_SHORT_READ 0.85f
static int dominant_line(const fld_state_t *p, int iname) {
    int hs[64], nh = 0, best = -1;
    for (size_t i = 0; i < p->n && nh < 64; i++)
        if (p->l[i].kind != FLD_JUNK && p->l[i].h > 0) hs[nh++] = p->l[i].h;
    if (nh < 3) return -1;
    for (int a = 1; a < nh; a++) /* insertion sort: a card has few lines */
        for (int b = a; b > 0 && hs[b - 1] > hs[b]; b--) {
            int t = hs[b];
            hs[b] = hs[b - 1];
            hs[b - 1] = t;
        }
    int med = hs[nh / 2];
    for (size_t i = 0; i < p->n; i++) {
        const fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER || (int)i == iname || l->conf < 0.6f || l->letters < 3) continue;
        if (ocr_fld_count_words(l->t) > 6 || ocr_fld_title_words(l->t) || ocr_fld_not_name_words(l->t)) continue;
        /* the trade alone ("RESTAURANTE", "AUTO PEÇAS") says what the
         * business does, not what it is called */
        if (trade_only(l->t)) continue;
        /* nor a slogan in big type ("Aceitamos os cartões"), nor a row of
         * logos that holds a card scheme's ("iss SS \"VISA", am13) */
        if ((tagline(l->t) && !firm_marks(l->t)) || payment_words(l->t, NULL)) continue;
        if (10 * l->h < 13 * med) continue;
        /* three letters or fewer read fairly and no domain of the card
         * spells them: a logo's or an emblem's debris ("ALE" 0.77 of
         * am20's coat of arms, taller than the name once the name's box
         * was the detector's tight one), not a short brand ("IBM" beside
         * ibm.com) */
        if (l->letters <= 3 && l->conf < DOMINANT_SHORT_READ && domain_match(l->t, p) <= 0) continue;
        if (best < 0 || l->h > p->l[best].h) best = (int)i;
    }
    /* the name's own line is often the largest on a person's card: the brand
     * must be larger than the name to be taken for the company */
    if (best >= 0 && iname >= 0 && p->l[best].h <= p->l[iname].h) return -1;
    return best;
}

static int legal_form_word(const char *w);
static void trim_company_debris(char *s);
static int mend_legal_forms(const fld_state_t *p, char *s, size_t cap);

/* A word of three or more letters that is a legal form ("Ltda", "GmbH",
 * "Inc."): no person's name carries one ("Eletrônica ADACHI Ltda"). The
 * two-letter forms (AG, SA, AB) are left out: they are also initials. */
static int is_long_legal_form(const char *w, int letters) { return letters >= 3 && legal_form_word(w); }

int ocr_fld_long_legal_form(const char *t) { return any_word(t, is_long_legal_form); }

/* Words that qualify a title word in a role ("Managing", "of", "Account"). */
static const char *const ROLE_QUALIFIERS[] = {"of", "and", "the", "managing", "general", "deputy", "vice", "regional",
                                              "principal", "account", "business", "development", "product",
                                              "marketing", "project", "operations", "financial", "creative",
                                              "technical", "partnerships", "de", "do", "da",
                                              /* Portuguese, Spanish, Italian: "Gerente Comercial",
                                               * "Diretor Administrativo" (none a slip of a word above:
                                               * they are mended into these too) */
                                              "comercial", "commerciale", "administrativo", "administrativa",
                                              "financeiro", "financeira", "financiero", "financiera", "geral",
                                              "generale", "adjunto", "adjunta", "nacional", "regionale",
                                              /* a unit a role heads that is one or two letters off
                                               * "operations" ("Gerente de Operaciones") */
                                              "operaciones", "operações", "operacoes", "operazioni",
                                              /* words a letter off an English one that titles hold as
                                               * they are: "Chief Operating Officer" (not Operations),
                                               * "Chef de projet", "Jefe de proyecto" (not project) */
                                              "operating", "projet", "projets", "proyecto", "proyectos", "projeto",
                                              "projetos", "progetto", "progetti", "projekt", "projektu",
                                              /* what a role is in Portuguese and Spanish ("Escrevente
                                               * Autorizado", "Engenheiro Civil", "Vendedor Externo";
                                               * without them the role had a name's shape, and was taken
                                               * for one when the name above it read poorly) */
                                              "autorizado", "autorizada", "juramentado", "juramentada",
                                              "substituto", "substituta", "responsável", "responsavel", "externo",
                                              "externa", "interno", "interna", "civil", "credenciado",
                                              "credenciada", "associado", "associada", "asociado", "asociada",
                                              "pedagógico", "pedagógica", "sênior", "pleno", "plena", "authorized",
                                              "authorised", NULL};

/* 1 when low (lower case) is a title word or a word that qualifies one. */
static int role_word(const char *low) {
    return ocr_fld_is_label(low, TITLE_WORDS) || ocr_fld_is_label(low, ROLE_QUALIFIERS);
}

/* 1 when every word of s is a title word or a word that qualifies one
 * ("Managing Director", "Head of Partnerships", "Senior Account
 * Executive"): a role, never a name ("Michael Head" has a name's word). */
static int role_only(const char *s) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    int titles = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, " ,/&-", &save); w; w = strtok_r(NULL, " ,/&-", &save)) {
        char low[64];
        fmt_u8_lower_n(w, strlen(w), low, sizeof low);
        if (ocr_fld_is_label(low, TITLE_WORDS)) titles++;
        else if (!ocr_fld_is_label(low, ROLE_QUALIFIERS)) return 0;
    }
    return titles >= 1;
}

static void fix_title_words(char *t, size_t cap);

/* 1 when s begins with a title word and is a role once the slips of its
 * other words are mended ("Escrevente Autonzado" of Autorizado, under a
 * name read poorly: cards_real am20 a grey level darker, taken for the
 * name). */
static int role_misread(const char *s) {
    size_t k = strcspn(s, " ,/&-");
    char low[64], buf[512];
    if (!k || k >= sizeof low) return 0;
    fmt_u8_lower_n(s, k, low, sizeof low);
    if (!ocr_fld_is_label(low, TITLE_WORDS)) return 0;
    snprintf(buf, sizeof buf, "%s", s);
    fix_title_words(buf, sizeof buf);
    return role_only(buf);
}

/* 1 when the line right under l, in its column, is a role and nothing
 * else ("Sales Director" under "NGUYEN VAN AN"). */
static int role_below(const fld_state_t *p, const fld_line_t *l) {
    int b = ocr_fld_below(p, (int)(l - p->l));
    return b >= 0 && p->l[b].kind == FLD_OTHER && (role_only(p->l[b].t) || role_misread(p->l[b].t));
}

/* A line that speaks to the reader or for the firm, never a name, a
 * firm's name or a role: a first-person plural verb first ("Aceitamos os
 * cartões", "Hacemos envíos"), a pronoun ("We fix it right", "Votre
 * partenaire", "Ihr Partner"), an exclamation, opening hours, or a
 * tradesman's promises and nothing else ("Licensed & Insured", "Free
 * Estimates"). */
static int tagline(const char *s) {
    static const char *const PROMISES[] = {"licensed", "insured", "bonded", "free", "estimates", "estimate",
                                           "guaranteed", "guarantee", "satisfaction", "affordable", "reliable",
                                           "certified", "quotes", "consultation", NULL};
    static const char *const JOIN[] = {"&", "and", "or", "+", "the", "e", "y", "et", "und", NULL};
    int np = ocr_fld_count_listed(s, " ,/&-|", PROMISES);
    if (np && np + ocr_fld_count_listed(s, " ,/-|", JOIN) >= ocr_fld_count_words(s)) return 1;
    static const char *const PRONOUNS[] = {"we", "we're", "we'll", "our", "you", "your", "you're", "you'll",
                                           "nous", "notre", "votre", "wir", "unser", "unsere", "ihr",
                                           "ihre", "nós", "nosso", "nossos", "você", "vocês", "nosotros", "nuestro",
                                           "nuestra", "nuestros", "usted", NULL};
    if (strchr(s, '!') || ocr_fld_opening_hours(s) || ocr_fld_count_listed(s, " ,/&-", PRONOUNS)) return 1;
    char low[64];
    size_t wl = strcspn(s, " ,");
    if (wl >= sizeof low) return 0;
    size_t ll = fmt_u8_lower_n(s, wl, low, sizeof low);
    return ll >= 7 && (!strcmp(low + ll - 4, "amos") || !strcmp(low + ll - 4, "emos") || !strcmp(low + ll - 4, "imos"));
}

/* 1 when the last word of t is a dotted legal form of two letters ("N.V.",
 * "B.V.", "S.A.", "K.K."): where a legal form stands, after the firm's
 * name; a person's initials stand alone ("Jan B. Smit"), not in pairs at
 * the end. */
static int dotted_form_last(const char *t) {
    const char *e = t + strlen(t);
    while (e > t && e[-1] == ' ') e--;
    const char *b = e;
    while (b > t && b[-1] != ' ') b--;
    size_t n = (size_t)(e - b), letters = 0;
    if (n < 3 || n > 5 || !memchr(b, '.', n)) return 0;
    for (const char *q = b; q < e; q++) letters += isalpha((unsigned char)*q) != 0;
    char w[8];
    memcpy(w, b, n);
    w[n] = '\0';
    return letters == 2 && mark_word(w);
}

/* How much line l looks like the person's name (0 when not a name's
 * shape); *ns_out = its name shape (words), 0 when none. */
static double name_score(const fld_state_t *p, const fld_line_t *l, int maxh, int *ns_out) {
    double cm = ocr_fld_company_marks(l->t) ? 1.0 : 0;
    double dm = domain_match(l->t, p);
    int ncaps = 0, ninit = 0;
    char core[512];
    name_core(l->t, core, sizeof core);
    int ns = name_shape_ex(core, &ncaps, &ninit);
    /* a line all in capitals is a name only when the e-mail, an initial
     * ("R. OLIVEIRA"), an honorific ("DR. EMILY CHEN") or a role right
     * under it ("NGUYEN VAN AN" / "Sales Director") says so, and capitals
     * read poorly are a logo's debris ("Wer NOR") */
    char first[64];
    snprintf(first, sizeof first, "%.*s", (int)strcspn(l->t, " "), l->t);
    if (ns && ncaps + ninit == ns && !ninit && local_match(l->t, p->local) <= 0 && !role_below(p, l) &&
        !(name_prefix(first) && strcmp(core, l->t) && !cm))
        ns = 0;
    if (ns && ncaps && l->conf < 0.6f) ns = 0;
    /* read poorly and with a word too short to be one, without the
     * e-mail's support: a logo's debris ("Tlaws Hs") */
    if (ns && l->conf < 0.5f && short_word(l->t) && local_match(l->t, p->local) <= 0) ns = 0;
    if (ns && (ocr_fld_count_listed(l->t, " ,/&-", SERVICE_WORDS) || service_slip(l->t) || process_nouns(l->t) ||
               ocr_fld_count_listed(l->t, " ,/&-", FUNCTION_WORDS)))
        ns = 0;
    if (ns && (ocr_fld_long_legal_form(l->t) || dotted_form_last(l->t))) ns = 0;
    if (ns && (role_only(l->t) || role_misread(l->t))) ns = 0; /* "Managing Director" */
    /* a line that ends in a comma goes on: one item of a list of wares
     * ("Linha Completa de Faróis," / "Lanternas, Retrovisores, ..."); not
     * over a role or a unit, where a person's name stands (a speck read as
     * a comma: "Lotte Maes," over "Engineering Department", ocr_cards2
     * 7531) */
    size_t tl = strlen(l->t);
    while (tl && l->t[tl - 1] == ' ') tl--;
    if (ns && tl && l->t[tl - 1] == ',') {
        int b = ocr_fld_below(p, (int)(l - p->l));
        if (b < 0 || (!ocr_fld_title_words(p->l[b].t) && !ocr_fld_org_unit(p->l[b].t))) ns = 0;
    }
    *ns_out = ns;
    double size = line_size(l, maxh);
    double sn = ns ? 1.0 + 1.5 * size + 1.5 * local_match(l->t, p->local) - 1.5 * cm - dm - ocr_fld_title_words(l->t) : 0;
    if (l->conf < 0.5f) sn -= 1.0; /* a name read this poorly is more likely a logo */
    else if (l->conf < 0.75f) sn -= 2.0 * (0.75 - l->conf); /* and one read fairly, a little more likely */
    if (ns) sn -= 2.0 * ocr_fld_not_name_words(l->t); /* a department, a tagline */
    if (ns && tagline(l->t)) sn -= 2.0;
    if (ns == 2) sn += 0.3;
    /* a role right under it: where cards print the name (am20 a grey level
     * darker: "Aguinaldo M. Righetti Jr." over "Escrevente Autonzado" had
     * lost to the notary's office misread as "Tavaiizo de Neve", two words
     * and bigger) */
    if (ns && role_below(p, l)) sn += 0.5;
    return sn;
}

/* The name again among the undecided lines, once the line taken for it
 * turned out to be part of the company. */
static void repick_name(fld_state_t *p, int maxh) {
    int best = -1;
    double bs = 0.5;
    for (size_t i = 0; i < p->n; i++) {
        if (p->l[i].kind != FLD_OTHER) continue;
        int ns = 0;
        double sn = name_score(p, &p->l[i], maxh, &ns);
        if (sn > bs) {
            bs = sn;
            best = (int)i;
        }
    }
    p->iname = best;
    if (best >= 0) p->l[best].kind = FLD_NAME;
}

/* 1 when line t carries a company mark, 0 when not or when its only marks
 * are conjunctions on a line with title words ("Sales and Marketing
 * Manager", "Sales & Marketing Director": a role, not a firm). */
static double line_marks(const char *t) {
    if (!ocr_fld_company_marks(t)) return 0;
    return ocr_fld_title_words(t) && !firm_marks(t) ? 0 : 1;
}

static void pick_name_company(fld_state_t *p, int maxh) {
    int iname = -1, icomp = -1;
    double bestn = 0.5, bestc = 0.5;
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER) continue;
        double cm = line_marks(l->t);
        double dm = domain_match(l->t, p);
        int ns = 0;
        double sn = name_score(p, l, maxh, &ns);
        double size = line_size(l, maxh);
        double sc = company_score(cm, dm, size, ns ? 0.3 : 0, ocr_fld_title_words(l->t));
        if (ocr_fld_count_words(l->t) > 6) sc -= 1;
        if (line_digits(l->t) >= 6) sc -= 2; /* a number's debris, not a name */
        if (ocr_fld_opening_hours(l->t)) sc -= 3; /* "Segunda a Sábado" */
        if (trade_only(l->t)) sc -= 1; /* "RESTAURANTE": what the business does */
        if (tagline(l->t) && !firm_marks(l->t)) sc -= 2; /* "Licensed & Insured" */
        if (sn > bestn) {
            bestn = sn;
            iname = (int)i;
        }
        if (sc > bestc) {
            bestc = sc;
            icomp = (int)i;
        }
    }
    if (iname >= 0 && iname == icomp && bestc > bestn + 0.5 && domain_match(p->l[icomp].t, p) >= 0.85) {
        /* a line that spells a brand key in full and scores clearly more as
         * the company is the company ("Transportes Rapido Sul Ltda" ~
         * transportesrsul@): the name is looked for again */
        p->l[icomp].kind = FLD_COMPANY;
        p->icomp = icomp;
        repick_name(p, maxh);
        return;
    }
    if (iname >= 0 && iname == icomp) {
        /* one line cannot be both: keep it as the name, look again */
        icomp = -1;
        bestc = 0.5;
        for (size_t i = 0; i < p->n; i++) {
            fld_line_t *l = &p->l[i];
            if (l->kind != FLD_OTHER || (int)i == iname) continue;
            double sc = company_score(line_marks(l->t), domain_match(l->t, p), line_size(l, maxh), 0,
                                      ocr_fld_title_words(l->t));
            if (sc > bestc) {
                bestc = sc;
                icomp = (int)i;
            }
        }
    }
    if (icomp < 0) icomp = dominant_line(p, iname);
    if (iname >= 0) p->l[iname].kind = FLD_NAME;
    if (icomp >= 0) p->l[icomp].kind = FLD_COMPANY;
    p->iname = iname;
    p->icomp = icomp;
}

/* The first k words of s into out (k < 0: all of them). */
static void first_words(const char *s, int k, char *out, size_t n) {
    size_t o = 0;
    out[0] = '\0';
    for (const char *w = s; *w && k != 0;) {
        while (*w == ' ') w++;
        if (!*w) break;
        size_t wl = strcspn(w, " ");
        if (o + wl + 2 >= n) break;
        if (o) out[o++] = ' ';
        memcpy(out + o, w, wl);
        o += wl;
        out[o] = '\0';
        w += wl;
        k--;
    }
}

/* A logo set on two lines ("Brunau" over "Buffet eventos" for
 * brunaubuffet.com.br, "DOMINIO" over "AUTO PECAS" for
 * autopecasdominio.com.br): when no single line agrees with a brand key in
 * full, two neighbouring undecided lines whose words, one line whole and
 * the first words of the other, spell the key exactly (in either order)
 * are the company, in reading order. */
static void join_company_lines(fld_state_t *p, int maxh) {
    if (!p->nbrands) return;
    /* a company line agreeing in full that is not part of the pair stays */
    int keep = p->icomp >= 0 && domain_match(p->l[p->icomp].t, p) >= 0.85 ? p->icomp : -1;
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *a = &p->l[i];
        if (a->kind != FLD_OTHER && a->kind != FLD_COMPANY && a->kind != FLD_NAME) continue;
        int nb[2] = {ocr_fld_below(p, (int)i), i + 1 < p->n ? (int)i + 1 : -1};
        for (int q = 0; q < 2; q++) {
            int j = nb[q];
            if (j < 0 || (q == 1 && j == nb[0])) continue;
            fld_line_t *b = &p->l[j];
            if (b->kind != FLD_OTHER && b->kind != FLD_COMPANY && b->kind != FLD_NAME) continue;
            if (keep >= 0 && keep != (int)i && keep != j) continue;
            int nwa = ocr_fld_count_words(a->t), nwb = ocr_fld_count_words(b->t);
            for (int order = 0; order < 2; order++) {
                /* order 0: a whole, then b's first words; 1: b whole, then a's first words */
                const char *whole = order ? b->t : a->t, *part = order ? a->t : b->t;
                int np = order ? nwa : nwb;
                for (int w = 1; w <= np && w <= 4; w++) {
                    char pw[256], key[512];
                    first_words(part, w, pw, sizeof pw);
                    snprintf(key, sizeof key, "%s %s", whole, pw);
                    int hit = 0;
                    for (int r = 0; r < p->nbrands && !hit; r++) hit = key_match(key, p->brands[r]) >= 1.0;
                    if (!hit) continue;
                    /* the other line's legal form after the words spelled ("& Sohn KG") */
                    if (!order) {
                        const char *rest = part;
                        for (int c = 0; c < w; c++) {
                            rest += strspn(rest, " ");
                            rest += strcspn(rest, " ");
                        }
                        int all_forms = *rest != '\0';
                        char rb[256];
                        snprintf(rb, sizeof rb, "%s", rest);
                        char *sv = NULL;
                        for (char *t = strtok_r(rb, " ", &sv); t; t = strtok_r(NULL, " ", &sv))
                            if (!legal_form_word(t) && !mark_word(t)) all_forms = 0; /* "Group", "Partners" */
                        if (all_forms) snprintf(pw, sizeof pw, "%s", part);
                    }
                    int cl = order ? snprintf(p->comp_text, sizeof p->comp_text, "%s %s", pw, whole)
                                   : snprintf(p->comp_text, sizeof p->comp_text, "%s %s", whole, pw);
                    if (cl < 0 || (size_t)cl >= sizeof p->comp_text) { /* too long for a company: not joined */
                        p->comp_text[0] = '\0';
                        continue;
                    }
                    if (p->icomp >= 0) p->l[p->icomp].kind = FLD_OTHER;
                    int lost_name = a->kind == FLD_NAME || b->kind == FLD_NAME;
                    a->kind = b->kind = FLD_COMPANY;
                    p->icomp = (int)i;
                    if (lost_name) repick_name(p, maxh);
                    return;
                }
            }
        }
    }
}

/* 1 when line b continues line a on the same row: about the same height
 * and baseline, b starting right of a's start and at most about a word's
 * gap after a's end (OCR boxes of one row can overlap). */
static int same_row_after(const fld_line_t *a, const fld_line_t *b) {
    if (!a->h || !b->h || b->x <= a->x) return 0;
    int mh = a->h < b->h ? a->h : b->h, xh = a->h > b->h ? a->h : b->h;
    if (10 * xh > 16 * mh || 2 * abs((a->y + a->h / 2) - (b->y + b->h / 2)) > mh) return 0;
    int gap = b->x - (a->x + a->w);
    return gap <= 3 * xh / 2;
}

/* 1 when s starts with a legal form or '&' ("GmbH", "& Sohn KG", "Ltd"),
 * or is two words at most with a legal form ("Labs Inc"): the tail of a
 * company name whose head OCR boxed apart. */
static int company_tail(const char *s) {
    if (*s == '&') return 1;
    char first[64];
    snprintf(first, sizeof first, "%.*s", (int)strcspn(s, " "), s);
    if (legal_form_word(first)) return 1;
    return ocr_fld_count_words(s) <= 2 && ocr_fld_company_marks(s) && ocr_fld_count_words(s) >= 1;
}

/* A company name OCR read as two boxes on one row ("Keller Maschinenbau"
 * + "GmbH", "Northwind" + "Labs Inc"): the head on the left joins the
 * company when the company is such a tail, and a tail on the right joins
 * a company that is the head. */
static void extend_company_row(fld_state_t *p) {
    if (p->icomp < 0 || p->comp_text[0]) return;
    fld_line_t *c = &p->l[p->icomp];
    if (company_tail(c->t)) {
        for (size_t i = 0; i < p->n; i++) {
            fld_line_t *a = &p->l[i];
            if (a == c || a->kind != FLD_OTHER || !same_row_after(a, c) || a->letters < 2) continue;
            snprintf(p->comp_text, sizeof p->comp_text, "%s %s", a->t, c->t);
            a->kind = FLD_COMPANY;
            return;
        }
    }
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *b = &p->l[i];
        if (b == c || b->kind != FLD_OTHER || !same_row_after(c, b) || !company_tail(b->t)) continue;
        snprintf(p->comp_text, sizeof p->comp_text, "%s %s", c->t, b->t);
        b->kind = FLD_COMPANY;
        return;
    }
}

/* A company line whose first words stand on the line above, which ends in
 * a word that needs more ("THE LAW OFFICES OF" / "DAVID M. ROSENBERG,
 * P.C.", "Instituto de" / "Pesquisas Ltda."): the two are the company. */
static void company_after_connector(fld_state_t *p) {
    static const char *const CONN[] = {"of", "de", "da", "do", "des", "du", "für", "and", "und", "et", "&", NULL};
    if (p->icomp < 0 || p->comp_text[0]) return;
    int a = ocr_fld_above(p, p->icomp);
    if (a < 0 || p->l[a].kind != FLD_OTHER || strpbrk(p->l[a].t, "@0123456789") || ocr_fld_count_words(p->l[a].t) > 5)
        return;
    const char *t = p->l[a].t, *sp = strrchr(t, ' ');
    char low[64];
    fmt_u8_lower_n(sp ? sp + 1 : t, strlen(sp ? sp + 1 : t), low, sizeof low);
    if (!sp || !ocr_fld_is_label(low, CONN)) return;
    int cl = snprintf(p->comp_text, sizeof p->comp_text, "%s %s", t, p->l[p->icomp].t);
    if (cl < 0 || (size_t)cl >= sizeof p->comp_text) {
        p->comp_text[0] = '\0';
        return;
    }
    p->l[a].kind = FLD_COMPANY;
}

/* 1 when every letter of s is a capital, and it has three or more. */
static int all_capitals(const char *s) {
    int n = 0;
    while (*s) {
        unsigned c = fmt_u8_next(&s);
        if (!fmt_u8_is_letter(c)) continue;
        if (!ocr_fld_is_upper(c)) return 0;
        n++;
    }
    return n >= 3;
}

/* 1 when s is two given names joined by a conjunction ("FLÁVIO E
 * VALDEQUE", "Tom & Jerry"): capitalised words of letters only, three
 * letters or more, neither a trade. */
static int owners_line(const char *s) {
    static const char *const AND[] = {"e", "&", "and", "y", "und", "et", "i", NULL};
    char buf[256], *w[4];
    snprintf(buf, sizeof buf, "%s", s);
    int nw = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        if (nw == 3) return 0;
        w[nw++] = t;
    }
    char low[16];
    if (nw != 3 || strlen(w[1]) >= sizeof low) return 0;
    fmt_u8_lower_n(w[1], strlen(w[1]), low, sizeof low);
    if (!ocr_fld_is_label(low, AND)) return 0;
    for (int k = 0; k < 3; k += 2) {
        const char *q = w[k];
        int letters = 0, first = 1;
        while (*q) {
            unsigned c = fmt_u8_next(&q);
            if (!fmt_u8_is_letter(c) || (first && !ocr_fld_is_upper(c))) return 0;
            first = 0;
            letters++;
        }
        if (letters < 3 || ocr_fld_count_listed(w[k], " ", SERVICE_WORDS)) return 0;
    }
    return 1;
}

/* A shop named after its trade and its owners on two lines of one type
 * ("MECÂNICA, FUNILARIA E PINTURA" over "FLÁVIO E VALDEQUE", cards_real
 * am03; no person of the card is named there): with no company found, a
 * trade line (trade_only) and the line right below it of two given names
 * joined by a conjunction, in the same case and of about the same size,
 * are the company. */
static void trade_and_owners(fld_state_t *p) {
    if (p->icomp >= 0) return;
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *a = &p->l[i];
        if (a->kind != FLD_OTHER || a->conf < 0.7f || !trade_only(a->t)) continue;
        int j = ocr_fld_below(p, (int)i);
        if (j < 0) continue;
        fld_line_t *b = &p->l[j];
        if (b->kind != FLD_OTHER || b->conf < 0.7f || !owners_line(b->t)) continue;
        if (10 * b->h < 6 * a->h || 10 * b->h > 15 * a->h || all_capitals(a->t) != all_capitals(b->t)) continue;
        char ta[256];
        int cl = snprintf(p->comp_text, sizeof p->comp_text, "%s %s",
                          glued_trades(a->t, ta, sizeof ta) && *ta ? ta : a->t, b->t);
        if (cl < 0 || (size_t)cl >= sizeof p->comp_text) {
            p->comp_text[0] = '\0';
            return;
        }
        a->kind = b->kind = FLD_COMPANY;
        p->icomp = (int)i;
        return;
    }
}

/* A shop named after its trade and its owner ("AUTO SOCORRO" over
 * "R. OLIVEIRA", cards_real am11): with no company found, a trade line
 * (trade_only) right above the person's name, set no smaller and in the
 * same case, and the name are the company; the name stays the person's. */
static void trade_over_name(fld_state_t *p) {
    if (p->icomp >= 0 || p->iname < 0) return;
    const fld_line_t *b = &p->l[p->iname];
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *a = &p->l[i];
        if (a->kind != FLD_OTHER || a->conf < 0.7f || !trade_only(a->t) || ocr_fld_below(p, (int)i) != p->iname)
            continue;
        if (a->h < b->h || all_capitals(a->t) != all_capitals(b->t)) continue;
        char ta[256];
        int cl = snprintf(p->comp_text, sizeof p->comp_text, "%s %s",
                          glued_trades(a->t, ta, sizeof ta) && *ta ? ta : a->t, b->t);
        if (cl < 0 || (size_t)cl >= sizeof p->comp_text) {
            p->comp_text[0] = '\0';
            return;
        }
        a->kind = FLD_COMPANY;
        p->icomp = (int)i;
        return;
    }
}

/* 1 when s names an organisational unit ("Sales Department", "Abteilung
 * Vertrieb", "Setor Comercial"). */
int ocr_fld_org_unit(const char *s) {
    static const char *const UNIT[] = {"department", "dept", "dept.", "division", "team", "section", "unit",
                                       "abteilung", "bereich", "département", "departamento", "setor", "seção",
                                       "divisão", "отдел", "управление", NULL};
    return ocr_fld_count_listed(s, " ,/&-", UNIT) > 0;
}

/* A line that can be a title by its characters: not a number run (a phone
 * line OCR garbled, "4 Tet: G1 42 68 63 39"). */
static int title_chars(const char *t) {
    int d = 0;
    for (; *t; t++) d += isdigit((unsigned char)*t) != 0;
    return d < 5;
}

/* 1 when line t ends with a title word: a role named after its unit
 * ("Section Manager", "Team Leader", "Division Head"), not the unit. */
static int role_last(const char *t) {
    const char *e = t + strlen(t);
    while (e > t && !isalpha((unsigned char)e[-1]) && (unsigned char)e[-1] < 0x80) e--;
    const char *b = e;
    while (b > t && b[-1] != ' ' && b[-1] != ',') b--;
    char low[64];
    if (e == b || (size_t)(e - b) >= sizeof low) return 0;
    fmt_u8_lower_n(b, (size_t)(e - b), low, sizeof low);
    return ocr_fld_is_label(low, TITLE_WORDS) && !ocr_fld_org_unit(low);
}

/* The line with the most title words (a role before a unit when unit
 * is 0, "Managing Director" before "Sales Division"; a role named after
 * its unit, "Section Manager", is a role), or -1. */
static int most_title_words(const fld_state_t *p, int unit) {
    int best = -1, bt = 0;
    for (size_t i = 0; i < p->n; i++) {
        const fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER || !title_chars(l->t) || (!unit && ocr_fld_org_unit(l->t) && !role_last(l->t)))
            continue;
        int tw = ocr_fld_title_words(l->t);
        if (tw > bt) {
            bt = tw;
            best = (int)i;
        }
    }
    return best;
}

/* The title sits right under the name; failing that, a line with title
 * words. A unit alone under the name ("International Business Division")
 * is joined by the role line found elsewhere ("Managing Director"), in
 * the order printed. */
static void pick_title(fld_state_t *p) {
    int ititle = -1, unit = -1;
    if (p->iname >= 0) {
        /* the line under the name, unless it names the business and no
         * role ("Bright Smile Family Dentistry": the practice, not the
         * dentist's title) or is a tagline with none */
        int b = ocr_fld_below(p, p->iname);
        if (b >= 0 && p->l[b].kind == FLD_OTHER && ocr_fld_count_words(p->l[b].t) <= 8 && title_chars(p->l[b].t) &&
            !(ocr_fld_count_listed(p->l[b].t, " ,/&-", SERVICE_WORDS) && !ocr_fld_title_words(p->l[b].t)) &&
            !(tagline(p->l[b].t) && !ocr_fld_title_words(p->l[b].t)))
            ititle = b;
    }
    /* a line under the name that names no role and no unit ("Sale", the
     * head of a "Sales Department" OCR cut apart) gives way to a role line
     * right under it ("Marketing Director") */
    if (ititle >= 0 && !ocr_fld_title_words(p->l[ititle].t) && !ocr_fld_org_unit(p->l[ititle].t)) {
        int b = ocr_fld_below(p, ititle);
        if (b >= 0 && p->l[b].kind == FLD_OTHER && ocr_fld_count_words(p->l[b].t) <= 6 &&
            ocr_fld_title_words(p->l[b].t) && !ocr_fld_org_unit(p->l[b].t) && title_chars(p->l[b].t))
            ititle = b;
    }
    if (ititle >= 0 && ocr_fld_org_unit(p->l[ititle].t) && !ocr_fld_title_words(p->l[ititle].t)) {
        int role = most_title_words(p, 0);
        if (role >= 0) {
            unit = ititle;
            ititle = role;
        }
    }
    if (ititle < 0) {
        /* a role before a unit with more title words ("Section Manager"
         * before "Sales Section 2, Industrial Systems Sales Dept."); the
         * unit printed right above or under it joins it */
        ititle = most_title_words(p, 0);
        if (ititle >= 0) {
            for (int up = 1; up >= 0 && unit < 0; up--) {
                int u = up ? ocr_fld_above(p, ititle) : ocr_fld_below(p, ititle);
                if (u >= 0 && p->l[u].kind == FLD_OTHER && ocr_fld_org_unit(p->l[u].t) && !role_last(p->l[u].t) &&
                    title_chars(p->l[u].t) && ocr_fld_count_words(p->l[u].t) <= 8 &&
                    !(p->l[u].h && p->l[ititle].h && (5 * p->l[u].h > 8 * p->l[ititle].h || 5 * p->l[ititle].h > 8 * p->l[u].h)))
                    unit = u;
            }
        } else {
            ititle = most_title_words(p, 1);
        }
    }
    if (ititle >= 0) p->l[ititle].kind = FLD_TITLE;
    p->ititle = ititle;
    if (unit >= 0) { /* the two in the order printed */
        p->l[unit].kind = FLD_TITLE;
        p->ititle = unit < ititle ? unit : ititle;
        p->ititle2 = unit < ititle ? ititle : unit;
        return;
    }
    /* a role and its department on two lines under the name, in either
     * order ("Sales Department" / "Assistant Manager", Japanese cards'
     * usual layout): both are the title */
    if (ititle >= 0 && p->iname >= 0 && ocr_fld_below(p, p->iname) == ititle) {
        int b = ocr_fld_below(p, ititle);
        if (b < 0 || p->l[b].kind != FLD_OTHER || ocr_fld_count_words(p->l[b].t) > 6) return;
        const fld_line_t *a = &p->l[ititle], *c = &p->l[b];
        /* print of one size (OCR boxes of one size differ by descenders: 28 and 40 px) */
        if (a->h && c->h && (5 * a->h > 8 * c->h || 5 * c->h > 8 * a->h)) return;
        int unit_role = ocr_fld_org_unit(a->t) && ocr_fld_title_words(c->t) && !ocr_fld_org_unit(c->t);
        int role_unit = ocr_fld_title_words(a->t) && !ocr_fld_org_unit(a->t) && ocr_fld_org_unit(c->t);
        if (unit_role || role_unit) {
            p->l[b].kind = FLD_TITLE;
            p->ititle2 = b;
        }
    }
}

/* OCR reads a capital I as a small l: a word of a line of words that
 * starts with 'l' before a consonant ("lyer", "lvan", "lnfotech") or before
 * capitals ("lNDUSTRIES") starts with 'I' - no word of the languages read
 * here starts so, and the name's shape and the company's key need the
 * capital. */
static void capital_i(fld_state_t *p) {
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER || strpbrk(l->t, "@0123456789")) continue;
        for (char *w = l->t; *w; w++) {
            if (*w != 'l' || (w > l->t && w[-1] != ' ' && w[-1] != '-')) continue;
            size_t n = strcspn(w, " ,-");
            if (n < 3) continue;
            int caps = 1, lower = 1;
            for (size_t k = 1; k < n; k++) {
                caps &= isupper((unsigned char)w[k]) != 0;
                lower &= islower((unsigned char)w[k]) != 0;
            }
            if ((lower && strchr("bcdfgjkmnpqrstvwxzy", w[1])) || caps) *w = 'I';
        }
    }
}

/* A name whose capitals OCR read small ("Lee jun jie" for Lee Jun Jie):
 * a line of 2-4 words of letters, the first capitalised, the others all
 * small letters that each stand in the e-mail's local part (junjie@), gets
 * its capitals back. */
static void case_from_local(fld_state_t *p) {
    if (!p->local[0]) return;
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        int nw = ocr_fld_count_words(l->t);
        if (l->kind != FLD_OTHER || nw < 2 || nw > 4 || !isupper((unsigned char)l->t[0])) continue;
        int ok = 1, small = 0, unspelled = 0, named = 0;
        char buf[256];
        snprintf(buf, sizeof buf, "%s", l->t);
        char *save = NULL;
        for (char *w = strtok_r(buf, " ", &save); w && ok; w = strtok_r(NULL, " ", &save)) {
            /* letters, and a hyphen inside ("Min-jun") */
            for (const char *c = w; *c; c++)
                ok &= isalpha((unsigned char)*c) || (*c == '-' && c > w && isalpha((unsigned char)c[1]));
            if (ok && isupper((unsigned char)w[0])) {
                char k[64];
                ocr_fld_key(w, k, sizeof k);
                named |= strlen(k) >= 3 && strstr(p->local, k) != NULL;
            }
            if (!ok || !islower((unsigned char)w[0]) || name_particle(w, strlen(w))) continue; /* "van der" */
            for (const char *c = w; *c; c++) ok &= islower((unsigned char)*c) || *c == '-';
            ok &= strlen(w) >= 2;
            unspelled += strstr(p->local, w) == NULL;
            small++;
        }
        /* round 32: a small word the local part does not spell is taken
         * too when a capitalised word of three letters or more is in it,
         * the person the e-mail names ("Tan jun jie" beside j.tan@,
         * "Min-jun jung" beside minjun.jung@), on a line of no company
         * mark, role or other word no name has */
        if (ok && unspelled)
            ok = named && !ocr_fld_company_marks(l->t) && !ocr_fld_title_words(l->t) && !ocr_fld_not_name_words(l->t);
        if (!ok || !small) continue;
        for (char *c = l->t; *c; c++)
            if ((c == l->t || c[-1] == ' ') && !name_particle(c, strcspn(c, " "))) *c = (char)toupper((unsigned char)*c);
    }
}

/* Round 35: a name whose first letters were lost (a glare or the card's
 * edge over them: "avier Romero" beside javier@, a held-out render 8317,
 * photo 011): a line of two to four words, the first of three small
 * letters or more, the others capitalised, whose first word ends a part
 * of the e-mail's local part (its letters between dots, dashes, low
 * lines and digits) with one or two letters more in front, gets those
 * letters back, the first a capital. Not on a line with a company mark,
 * a role or another word no name has. */
static void head_from_local(fld_state_t *p) {
    if (!p->local[0]) return;
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        int nw = ocr_fld_count_words(l->t);
        size_t fl = strcspn(l->t, " ");
        if (l->kind != FLD_OTHER || nw < 2 || nw > 4 || fl < 3) continue;
        int ok = 1;
        for (size_t k = 0; k < fl; k++) ok &= l->t[k] >= 'a' && l->t[k] <= 'z';
        for (const char *c = l->t + fl; *c && ok; c++)
            if (c[-1] == ' ' && *c != ' ') ok = isupper((unsigned char)*c) != 0;
        if (!ok || ocr_fld_company_marks(l->t) || ocr_fld_title_words(l->t) || ocr_fld_not_name_words(l->t)) continue;
        for (const char *seg = p->local; *seg;) {
            size_t sl = 0;
            while (seg[sl] >= 'a' && seg[sl] <= 'z') sl++;
            if (sl > fl && sl <= fl + 2 && !strncmp(seg + sl - fl, l->t, fl)) {
                size_t m = sl - fl, n = strlen(l->t);
                char *t = realloc(l->t, n + m + 1);
                if (!t) return;
                memmove(t + m, t, n + 1);
                for (size_t q = 0; q < m; q++) t[q] = q ? seg[q] : (char)toupper((unsigned char)seg[q]);
                l->t = t;
                break;
            }
            seg += sl;
            while (*seg && !(*seg >= 'a' && *seg <= 'z')) seg++;
        }
    }
}

/* Round 32: a speck read as a letter and a comma before a name ("J,
 * Min-jun Jung", a photo's speck at the line's start): dropped when the
 * rest is a name of two words or more that the e-mail names. */
static void speck_before_name(fld_state_t *p) {
    if (!p->local[0]) return;
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER || !isalpha((unsigned char)l->t[0]) || l->t[1] != ',' || l->t[2] != ' ') continue;
        const char *rest = l->t + 3;
        int ncaps = 0, ninit = 0;
        if (name_shape_ex(rest, &ncaps, &ninit) >= 2 && local_match(rest, p->local) >= 1)
            memmove(l->t, rest, strlen(rest) + 1);
    }
}

/* OCR reads a small l as '!' ("Donie! Whitton", "Internationa! Business
 * Division"): a '!' between letters, or ending a word of three letters or
 * more that another word follows, is an l. One that ends the line stays
 * ("Welcome!"). */
static void l_from_bang(fld_state_t *p) {
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER) continue;
        for (char *c = strchr(l->t, '!'); c; c = strchr(c + 1, '!')) {
            int run = 0;
            while (c - run > l->t && isalpha((unsigned char)c[-run - 1])) run++;
            if (run >= 1 && isalpha((unsigned char)c[1])) *c = 'l';
            else if (run >= 3 && c[1] == ' ' && isalpha((unsigned char)c[2])) *c = 'l';
        }
    }
}

/* "Meridian Consulting Pty. Lid": OCR reads the t of "Ltd" as an i. A
 * capitalised "Lid" ending a line (a stray mark after it aside: "Juniper
 * Pty Lid J") right after another legal form ("Pty.", "Co.,", "Pvt."), or
 * after words the card's domain spells ("Grant Logistics Lid" beside
 * grantlogistics.co.uk), is "Ltd"; "The Flip Lid" stays. And "Lida" is
 * "Ltda" (below). Needs the brand keys (domain_keys). */
static void ltd_from_lid(fld_state_t *p) {
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER) continue;
        size_t n = strlen(l->t);
        while (n && strchr(" .,", l->t[n - 1])) n--;
        /* round 32: "Granite Logistics Lida", the t of "Ltda" read as an i:
         * after words the card's domain spells, or on a card of a country
         * that writes Ltda (Brazil, Portugal; "Lida" is a given name too) */
        if (n >= 7 && !strncmp(l->t + n - 5, " Lida", 5)) {
            char head[256];
            snprintf(head, sizeof head, "%.*s", (int)(n - 5), l->t);
            if (domain_match(head, p) >= 0.7 || ocr_fld_card_of(p, "BR PT AO MZ")) {
                l->t[n - 3] = 't';
                p->form_mended = (int)i + 1;
            }
            continue;
        }
        if (n >= 8 && l->t[n - 2] == ' ' && !strncmp(l->t + n - 6, " Lid", 4)) n -= 2; /* "Lid J" */
        if (n < 6 || strncmp(l->t + n - 4, " Lid", 4)) continue;
        /* the word before: another legal form ("Pty.", "Co.,", "Pvt") */
        size_t b = n - 4;
        while (b && l->t[b - 1] != ' ') b--;
        char prev[32], head[256];
        snprintf(prev, sizeof prev, "%.*s", (int)(n - 4 - b), l->t + b);
        snprintf(head, sizeof head, "%.*s", (int)(n - 4), l->t);
        if (!legal_form_word(prev) && domain_match(head, p) < 0.7) continue;
        l->t[n - 2] = 't';
        l->t[n - 1] = 'd';
    }
}

/* Round 32: "Orion Logistics Pte U", "Tidewater Design Pty. Lal": the
 * Ltd after Pte, Pty or Pvt lost, or read as a short word of debris, on
 * the line's end. Those forms are never written alone (Pte. Ltd.,
 * Pty Ltd, Pvt. Ltd.), so the Ltd is put back, dotted like the form
 * before it, in its case; a guess ("Pvt. Limited" is written too), so
 * the company is then not marked confident. */
static void ltd_after_pte(fld_state_t *p) {
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        char buf[256], *w[16];
        int nw = 0;
        if (l->kind != FLD_OTHER || strlen(l->t) >= sizeof buf) continue; /* no company's line is longer */
        memcpy(buf, l->t, strlen(l->t) + 1);
        char *save = NULL;
        for (char *t = strtok_r(buf, " ", &save); t && nw < 16; t = strtok_r(NULL, " ", &save)) w[nw++] = t;
        if (nw == 16) continue;
        int f = nw - 1;
        /* one short word after it that is no form: debris or a misread Ltd */
        if (nw >= 3 && strlen(w[nw - 1]) <= 3 && !legal_form_word(w[nw - 1])) f = nw - 2;
        if (f < 1) continue;
        char low[8];
        size_t fl = strlen(w[f]);
        if (fl < 3 || fl > 4) continue;
        fmt_u8_lower_n(w[f], fl, low, sizeof low);
        if (strncmp(low, "pte", 3) && strncmp(low, "pty", 3) && strncmp(low, "pvt", 3)) continue;
        if (fl == 4 && low[3] != '.') continue;
        if (f == nw - 2 && !strncmp(w[nw - 1], "&", 1)) continue;
        int caps = isupper((unsigned char)w[f][1]) != 0, dot = fl == 4;
        char out[300];
        size_t head = (size_t)(w[f] - buf) + fl;
        int m = snprintf(out, sizeof out, "%.*s %s%s", (int)head, l->t, caps ? "LTD" : "Ltd", dot ? "." : "");
        if (m <= 0 || (size_t)m >= sizeof out) continue;
        char *t = strdup(out);
        if (!t) continue; /* kept as read */
        free(l->t);
        l->t = t;
        p->form_mended = (int)i + 1;
    }
}

/* Word w (under 16 bytes) with each character of from read as to (as its
 * small letter when w holds a small letter), when that makes a legal form;
 * 1 when w changed. */
static int form_read_as(char *w, const char *from, char to) {
    int lower = 0;
    char alt[16];
    for (size_t k = 0; w[k]; k++) lower |= islower((unsigned char)w[k]) != 0;
    char c = lower ? (char)tolower((unsigned char)to) : to;
    for (size_t k = 0;; k++)
        if ((alt[k] = w[k] && strchr(from, w[k]) ? c : w[k]) == '\0') break;
    if (!legal_form_word(alt)) return 0;
    memcpy(w, alt, strlen(alt));
    return 1;
}

/* "Orion Media S.r.I": a capital I (or a 1: "S.r.1.", a backslash or a
 * bar: "S.r.\.") read for the l of a legal form. The dotted last word of a
 * line that is no legal form but is one with those read as l's takes them
 * (L in a word of capitals: "S.I." -> "S.L."); "PRIYA SRI" stays. A '!'
 * read for an I or an l ("EIREL!") needs no dot. */
static void legal_form_l(fld_state_t *p) {
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER) continue;
        char *w = strrchr(l->t, ' ');
        /* an I or an l read as '!', which no word of a name holds:
         * "Tidewater Analytics EIREL!" (a small photo), dotted or not */
        if (w && strchr(w + 1, '!') && strlen(w + 1) < 16 && !legal_form_word(w + 1)) {
            if (!form_read_as(w + 1, "!", 'I')) form_read_as(w + 1, "!", 'L');
            continue;
        }
        /* dotted forms only: "SRI" may be a name's word */
        if (!w || !strpbrk(++w, "I1\\|") || !strchr(w, '.') || strlen(w) >= 16 || legal_form_word(w)) continue;
        form_read_as(w, "I1\\|", 'L');
    }
}

/* "Solace Private Limitec": a long legal form ending a line of two words
 * or more, read with one letter wrong, is put right (the case as read). */
static void legal_form_slip(fld_state_t *p) {
    static const char *const LONG_FORMS[] = {"limited", "corporation", "incorporated", "company", NULL};
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER) continue;
        size_t n = strlen(l->t);
        while (n && strchr(" .,", l->t[n - 1])) n--;
        size_t b = n;
        while (b && l->t[b - 1] != ' ') b--;
        if (b == 0 || n - b < 7) continue;
        char low[16];
        if (n - b >= sizeof low) continue;
        fmt_u8_lower_n(l->t + b, n - b, low, sizeof low);
        for (int k = 0; LONG_FORMS[k]; k++) {
            if (strlen(LONG_FORMS[k]) != n - b) continue;
            int d = 0;
            for (size_t q = 0; q < n - b; q++) d += low[q] != LONG_FORMS[k][q];
            if (d != 1) continue;
            for (size_t q = 0; q < n - b; q++)
                if (low[q] != LONG_FORMS[k][q])
                    l->t[b + q] = isupper((unsigned char)l->t[b + q]) || (q > 0 && isupper((unsigned char)l->t[b + q - 1]))
                                      ? (char)toupper((unsigned char)LONG_FORMS[k][q])
                                      : LONG_FORMS[k][q];
            break;
        }
    }
}

/* "J Brian Miller": a capital alone, with no dot, before a name of two
 * words or more is a logo's or a frame's edge read as a letter (an
 * initial is printed with its dot: "J. Brian Miller"). */
static void drop_lone_initial(fld_state_t *p) {
    if (p->iname < 0) return;
    char *t = p->l[p->iname].t;
    if (!isupper((unsigned char)t[0]) || t[1] != ' ' || !isupper((unsigned char)t[2])) return;
    if (ocr_fld_count_words(t + 2) < 2) return;
    memmove(t, t + 2, strlen(t + 2) + 1);
}

/* Words after a number that are no person: the mobile carriers small
 * businesses print beside a number ("/ Vivo"), messengers, extensions, and
 * what the number is for ("/ Recados", "/ Comercial", "/ Loja"). */
static const char *const AFTER_NUMBER_NOT[] = {
    "vivo",     "claro",    "tim",      "oi",         "skype",
    "telegram", "viber",    "wechat",   "ramal",      "radio",
    "rádio",    "id",       "sms",      "whats",      "zap",
    "line",     "signal",   "recados",  "comercial",  "residencial",
    "plantão",  "plantao",  "loja",     "escritório", "escritorio",
    "fábrica",  "fabrica",  "oficina",  "home",       "casa",
    "geral",    "vendas",   "sac",      "emergência", "emergencia",
    "urgência", "urgencia", "delivery", "pedidos",    "entregas",
    NULL};

/* 1 when w (one word, as printed) has a given name's shape: a capital, then
 * two or more small letters (accented ones too), nothing else. */
static int given_shape(const char *w, size_t n) {
    if (n < 3 || !isupper((unsigned char)w[0])) return 0;
    int small = 0;
    for (size_t k = 1; k < n; k++) {
        unsigned char c = (unsigned char)w[k];
        if (c >= 0x80) continue; /* UTF-8: "José" */
        if (!islower(c)) return 0;
        small++;
    }
    return small >= 2;
}

/* The person a small business names after its number, to ask for ("11
 * 2785-4545 / 2783-6958 - ID 45*8*12146 / Valdeci", "9999-8888 c/ Ana
 * Paula"): one or two words of a given name's shape after the last slash
 * of a line that holds a phone, the line's end. Not a phone label
 * ("/ Fax"), a carrier or messenger ("/ Vivo"), a title, department or
 * tagline word, a company's mark, nor a word of the card's address ("/
 * Centro"). Kept in p->after_number (its line p->iafter_number); the name
 * only when no line is one. */
static void name_after_number(fld_state_t *p) {
    for (size_t i = 0; i < p->n; i++) {
        const fld_line_t *l = &p->l[i];
        if (l->kind != FLD_PHONE) continue;
        const char *sl = strrchr(l->t, '/');
        if (!sl) continue;
        int digits_before = 0;
        for (const char *q = l->t; q < sl; q++) digits_before += isdigit((unsigned char)*q) != 0;
        if (digits_before < 6) continue;
        char tail[128];
        snprintf(tail, sizeof tail, "%s", sl + 1);
        ocr_fld_trim_punct(tail);
        const char *t = tail;
        while (*t == ' ') t++;
        int nw = 0, ok = *t != '\0';
        for (const char *w = t; *w && ok;) {
            size_t n = strcspn(w, " ");
            char low[64];
            if (n >= sizeof low || !given_shape(w, n)) {
                ok = 0;
                break;
            }
            fmt_u8_lower_n(w, n, low, sizeof low);
            if (ocr_fld_phone_label(low) || ocr_fld_is_label(low, AFTER_NUMBER_NOT)) ok = 0;
            nw++;
            w += n;
            while (*w == ' ') w++;
        }
        if (!ok || nw > 2 || ocr_fld_not_name_words(t) || ocr_fld_title_words(t) || ocr_fld_company_marks(t)) continue;
        for (int a = 0; a < p->naddr && ok; a++) {
            int k = p->addr_lines[a];
            if (k >= 0 && (size_t)k < p->n && strstr(p->l[k].t, t)) ok = 0;
        }
        if (!ok) continue;
        snprintf(p->after_number, sizeof p->after_number, "%s", t);
        p->iafter_number = (int)i;
        return;
    }
}

/* The legal forms of the word lines mended (mend_legal_forms) before the
 * company is looked for: a form read right makes the line a company's. */
static void legal_form_words(fld_state_t *p) {
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER) continue;
        size_t cap = strlen(l->t) + 16;
        char *t = malloc(cap);
        if (!t) return;
        snprintf(t, cap, "%s", l->t);
        if (mend_legal_forms(p, t, cap)) {
            free(l->t);
            l->t = t;
        } else {
            free(t);
        }
    }
}

void ocr_fld_find_people(fld_state_t *p) {
    capital_i(p);
    l_from_bang(p);
    domain_keys(p);
    ltd_from_lid(p);
    ltd_after_pte(p);
    legal_form_l(p);
    legal_form_slip(p);
    legal_form_words(p);
    case_from_local(p);
    head_from_local(p);
    speck_before_name(p);
    int maxh = 1;
    for (size_t i = 0; i < p->n; i++)
        if (p->l[i].kind == FLD_OTHER && p->l[i].h > maxh) maxh = p->l[i].h;
    pick_name_company(p, maxh);
    drop_lone_initial(p);
    join_company_lines(p, maxh);
    extend_company_row(p);
    company_after_connector(p);
    trade_and_owners(p);
    trade_over_name(p);
    pick_title(p);
    name_after_number(p);
}

/* ------------------------------------------------ cross-checks */

/* The Indonesian legal forms written before the name (PT, CV): no part of
 * the domain, which the name alone makes (sinarnusantara.co.id of PT Sinar
 * Nusantara). Those that are marks anywhere (ООО) are mark_word's. */
static int prefix_form(const char *w) {
    static const char *const FORMS[] = {"pt", "pt.", "cv", "cv.", NULL};
    char low[64];
    fmt_u8_lower_n(w, strlen(w), low, sizeof low);
    return ocr_fld_is_label(low, FORMS);
}

/* The key of an e-mail's local part (ocr_fld_key) into key; 0, key "",
 * when it holds no '@'. */
static int local_key(const char *email, char *key, size_t n) {
    const char *at = strchr(email, '@');
    char local[256];
    key[0] = '\0';
    if (!at) return 0;
    snprintf(local, sizeof local, "%.*s", (int)(at - email), email);
    ocr_fld_key(local, key, n);
    return 1;
}

/* Item i of the card's e-mails and sites (e-mails first): where the
 * registrable name of its host starts in its text (*off) and how long it
 * is; NULL when it has none or is at a mail provider. */
static char *item_stem(fld_state_t *p, int i, size_t *off, size_t *len) {
    char *s = ocr_fld_item(p, i);
    const char *at = strchr(s, '@');
    if (at && ocr_fld_shared_mail_domain(at + 1)) return NULL;
    return ocr_fld_stem_in(s, off, len) ? s : NULL;
}

/* Two fields that agree outvote a third: when the company's name (or its
 * first words) is exactly the registrable name of a site or an e-mail's
 * host, another whose name is two edits off it (a letter more, fewer or
 * changed), both eight letters or more, takes it ("szilverieafcapital"
 * beside www.silverleafcapital.co.uk and Silverleaf Capital Limited). */
static void agreed_stem_fixes(fld_state_t *p, char keys[][256], int nk) {
    int ni = p->nemails + p->nsites, trusted = -1;
    for (int k = nk - 1; k >= 0 && trusted < 0; k--)
        for (int i = 0; i < ni && trusted < 0; i++) {
            size_t off, len;
            const char *s = item_stem(p, i, &off, &len);
            if (s && len == strlen(keys[k]) && !strncmp(s + off, keys[k], len)) trusted = k;
        }
    if (trusted < 0) return;
    const char *t = keys[trusted];
    size_t tl = strlen(t);
    if (tl < 8) return;
    for (int i = 0; i < ni; i++) {
        size_t off, len;
        char *s = item_stem(p, i, &off, &len);
        if (!s || len < 8 || len + 2 < tl || len > tl + 2 || len >= 128 || memchr(s + off, '-', len)) continue;
        char st[128], out[300];
        snprintf(st, sizeof st, "%.*s", (int)len, s + off);
        if (!strcmp(st, t) || ocr_text_edit_distance(st, t) > 2) continue;
        int n = snprintf(out, sizeof out, "%.*s%s%s", (int)off, s, t, s + off + len);
        if (n > 0 && (size_t)n < sizeof p->emails[0].s) memcpy(s, out, (size_t)n + 1);
    }
}

/* The company name corroborates the domain: "Lyons-Baker" makes
 * lyonshaker.co.uk lyonsbaker.co.uk (same length, one or two letters).
 * The domain is the whole name or its first words ("Pinnacle Trading se",
 * its legal form read in small letters, makes pinnacictrading.de
 * pinnacletrading.de); the longest that fits is taken. */
static void company_fixes_domains(fld_state_t *p) {
    if (p->icomp < 0) return;
    char keys[6][256], buf[512];
    int nk = 0;
    snprintf(buf, sizeof buf, "%s", p->comp_text[0] ? p->comp_text : p->l[p->icomp].t);
    trim_company_debris(buf); /* "Il Tidewater Foods PLC ||": a frame's edge is not the name */
    char *save = NULL;
    for (char *w = strtok_r(buf, " ,", &save); w && nk < 6; w = strtok_r(NULL, " ,", &save)) {
        if (mark_word(w) || (!nk && prefix_form(w))) continue;
        char k[128];
        ocr_fld_key(w, k, sizeof k);
        if (!k[0]) continue;
        size_t pl = nk ? strlen(keys[nk - 1]) : 0, kl = strlen(k);
        if (pl + kl >= sizeof keys[nk]) break; /* a name longer than any domain */
        if (nk) memcpy(keys[nk], keys[nk - 1], pl);
        memcpy(keys[nk] + pl, k, kl + 1);
        nk++;
    }
    for (int i = 0; i < p->nemails; i++) {
        /* a domain its own local part spells was read twice alike
         * (microvida@microvida.com.br): a logo's misreading ("licrovidd")
         * does not change it */
        char lk[128], stem[128];
        const char *at = strchr(p->emails[i].s, '@');
        local_key(p->emails[i].s, lk, sizeof lk);
        ocr_fld_domain_stem(at ? at + 1 : "", stem, sizeof stem);
        if (stem[0] && !strcmp(lk, stem)) continue;
        for (int k = nk - 1; k >= 0 && !ocr_fld_fix_stem(p->emails[i].s, sizeof p->emails[i].s, keys[k]); k--) continue;
    }
    for (int i = 0; i < p->nsites; i++)
        for (int k = nk - 1; k >= 0 && !ocr_fld_fix_stem(p->sites[i].s, sizeof p->sites[i].s, keys[k]); k--) continue;
    agreed_stem_fixes(p, keys, nk);
}

/* Replace the local part of email (capacity cap) by the one of the nc
 * candidates it misses by one letter, unless one matches exactly. Four
 * letters are enough ("joso" of João); a shorter part could be anything.
 * A letter dropped is looked for in the first ndrop candidates only.
 * Returns 1 when the local part was replaced. */
static int fix_local(char *email, size_t cap, char c[][260], int nc, int ndrop) {
    char *at = strchr(email, '@');
    size_t ll = (size_t)(at - email);
    int exact = 0, hit = -1;
    for (int k = 0; k < nc; k++) {
        if (strlen(c[k]) == ll && !strncmp(c[k], email, ll)) exact = 1;
        else if (hit < 0 && ll >= 4 && strlen(c[k]) == ll) {
            int d = 0, sep = 0;
            for (size_t q = 0; q < ll; q++)
                if (c[k][q] != email[q]) {
                    d++;
                    sep |= !isalnum((unsigned char)c[k][q]) || !isalnum((unsigned char)email[q]);
                }
            /* a letter, never a separator: k-watanabe is no slip of k.watanabe */
            if (d == 1 && !sep) hit = k;
        }
    }
    /* from five letters, a letter dropped ("jhoon" of Ji-hoon); from four
     * the first one, which a label's colon or edge took ("Email: ucas@" of
     * Lucas Girard); never a dot or a dash (j.smith and jsmith are both
     * people's choices) */
    for (int k = 0; k < ndrop && hit < 0 && !exact && ll >= 4; k++) {
        if (strlen(c[k]) != ll + 1) continue;
        size_t q = 0;
        while (q < ll && c[k][q] == email[q]) q++;
        if ((ll >= 5 || q == 0) && isalpha((unsigned char)c[k][q]) && !strncmp(c[k] + q + 1, email + q, ll - q))
            hit = k;
    }
    if (exact || hit < 0) return 0;
    char rest[256];
    snprintf(rest, sizeof rest, "%s", at);
    size_t hl = strlen(c[hit]), rl = strlen(rest);
    if (hl + rl >= cap) return 0; /* keep the e-mail as read */
    memcpy(email, c[hit], hl);
    memcpy(email + hl, rest, rl + 1);
    return 1;
}

/* The scale of an e-mail's confidence when the name mended its local
 * part: a guess, less sure than it was read (round 26). */
#define MENDED_LOCAL_CONF 0.9f
#define LOCAL_SURER 0.15f

/* The name corroborates the e-mail's local part (harrisi -> harrisl). */
static void name_fixes_local(fld_state_t *p) {
    if (p->iname < 0 || !p->nemails) return;
    char nm[512], ff[128] = "", fg[128] = "";
    name_core(p->l[p->iname].t, nm, sizeof nm); /* not "Dipl.-Ing." for the initial */
    char *sp = strrchr(nm, ' ');
    if (!sp) return;
    /* a name of three words or more printed family name first ("PHAM THI
     * MAI" is tpham@, "Rahman Wei Ming" weiming.rahman@): the first word
     * the family name, the others the given names */
    char *sp1 = strchr(nm, ' ');
    if (sp1 != sp) {
        char first[128];
        snprintf(first, sizeof first, "%.*s", (int)(sp1 - nm), nm);
        ocr_fld_key(first, ff, sizeof ff);
        for (char *q = sp1 + 1; *q;) {
            size_t n = strcspn(q, " ");
            char word[128], k[64];
            snprintf(word, sizeof word, "%.*s", (int)n, q);
            ocr_fld_key(word, k, sizeof k);
            snprintf(fg + strlen(fg), sizeof fg - strlen(fg), "%s", k);
            q += n + strspn(q + n, " ");
        }
    }
    *sp = '\0';
    char g[128] = "", f[128];
    /* the given names without a middle initial ("Sarah J." is sarah.thompson@,
     * never sarahj.thompson@) */
    char *save = NULL;
    for (char *w = strtok_r(nm, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char k[64];
        ocr_fld_key(w, k, sizeof k);
        if (strlen(k) > 1 || !g[0]) snprintf(g + strlen(g), sizeof g - strlen(g), "%s", k);
    }
    ocr_fld_key(sp + 1, f, sizeof f);
    if (!g[0] || !f[0]) return;
    /* the local parts people make of their given and family names; the
     * last two for a name printed family name first ("Lee Kumar" is
     * klee@, "Park Jihoon" jpark@) */
    char c[21][260];
    int nc = 14;
    /* those of a name printed family name first, for a letter misread
     * only: a dropped one is as often a person's choice ("fernanda@" of
     * Fernanda Costa Ribeiro is no cfernanda@); the first word alone is
     * a given name as often (fernanda@) */
    if (ff[0] && fg[0]) {
        snprintf(c[nc++], sizeof c[0], "%s", ff);
        snprintf(c[nc++], sizeof c[0], "%s.%s", fg, ff);
        snprintf(c[nc++], sizeof c[0], "%s%s", fg, ff);
        snprintf(c[nc++], sizeof c[0], "%c%s", fg[0], ff);
        snprintf(c[nc++], sizeof c[0], "%c.%s", fg[0], ff);
        snprintf(c[nc++], sizeof c[0], "%s.%s", ff, fg);
        snprintf(c[nc++], sizeof c[0], "%s", fg);
    }
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
    snprintf(c[12], sizeof c[12], "%c%s", f[0], g);
    snprintf(c[13], sizeof c[13], "%c.%s", f[0], g);
    for (int i = 0; i < p->nemails; i++) {
        fld_item_t *e = &p->emails[i];
        /* a label's E glued on ("Emuge@" of Müge Schäfer, read as the
         * smuge@ of her initials otherwise): dropped when the rest is one
         * of the name's local parts and the whole is none */
        if (!strcmp(e->pre, "=E")) {
            e->pre[0] = '\0';
            const char *at = strchr(e->s, '@');
            int whole = 0, rest = 0;
            for (int k = 0; at && k < nc; k++) {
                size_t cl = strlen(c[k]);
                whole |= cl == (size_t)(at - e->s) && !strncmp(c[k], e->s, cl);
                rest |= cl + 1 == (size_t)(at - e->s) && !strncmp(c[k], e->s + 1, cl);
            }
            if (rest && !whole) memmove(e->s, e->s + 1, strlen(e->s));
        }
        /* the name and the e-mail read apart, and the name's reading is
         * taken: a guess ("ganssens@" beside Sophie Janssens made
         * janssens@ of sjanssens@, two letters read as one); not when the
         * e-mail was read clearly surer than the name (LOCAL_SURER: a
         * render's "pablo.garcialopez@" at 0.96, two readers agreeing,
         * beside "Yablo Garcia Lopez" at 0.74) */
        if (e->conf > p->l[p->iname].conf + LOCAL_SURER) continue;
        if (fix_local(e->s, sizeof e->s, c, nc, 14)) e->conf *= MENDED_LOCAL_CONF;
    }
}

/* 1 when key k is one of the name's words or two of them run together
 * ("thimai" of "PHAM THI MAI", "weiming" of "Lee Wei Ming"). */
static int name_part(char w[][64], int nw, const char *k) {
    for (int i = 0; i < nw; i++) {
        if (!strcmp(w[i], k)) return 1;
        size_t a = strlen(w[i]);
        if (i + 1 < nw && !strncmp(k, w[i], a) && !strcmp(k + a, w[i + 1])) return 1;
    }
    return 0;
}

/* The index of the name's word among w[from..nw) of min letters or more
 * that key k misses by one letter in place (a mark not a letter in k
 * counts as a miss), skipping the word skip (NULL: none); -1 when none.
 * The first such word. */
static int name_word_one_off(char w[][64], int from, int nw, const char *k, size_t min, const char *skip) {
    size_t kl = strlen(k);
    for (int i = from; i < nw; i++) {
        size_t n = strlen(w[i]), d = 0;
        if (n < min || kl != n || (skip && !strcmp(w[i], skip))) continue;
        for (size_t q = 0; q < n; q++) d += w[i][q] != k[q] || !isalpha((unsigned char)k[q]);
        if (d == 1) return i;
    }
    return -1;
}

/* 1 when k (letters, five or more) is one letter off two neighbouring
 * words of the name run together, or is one of the name's words or such a
 * run with one letter dropped (never the word skip); the run or word
 * into out. */
static int near_name_run(char w[][64], int nw, const char *k, const char *skip, char *out, size_t n) {
    size_t kl = strlen(k);
    if (kl < 5) return 0;
    for (int i = 0; i < nw; i++)
        for (int j = i; j <= i + 1 && j < nw; j++) {
            char c[128];
            int cl = j == i ? snprintf(c, sizeof c, "%s", w[i]) : snprintf(c, sizeof c, "%s%s", w[i], w[j]);
            if (cl <= 0 || (size_t)cl >= sizeof c || (size_t)cl >= n || !strcmp(c, skip)) continue;
            size_t d = 0, q = 0;
            if ((size_t)cl == kl && j > i) {
                for (q = 0; q < kl; q++) d += c[q] != k[q];
            } else if ((size_t)cl == kl + 1) {
                while (q < kl && c[q] == k[q]) q++;
                d = strcmp(c + q + 1, k + q) ? 2 : 1;
            } else {
                continue;
            }
            if (d == 1) {
                memcpy(out, c, (size_t)cl + 1);
                return 1;
            }
        }
    return 0;
}

/* An e-mail whose local part lost its dot to a space ("thimai pham@orion.vn"
 * read as pham@orion.vn): the word before is put back, with the dot, when
 * both it and the local part are parts of the person's name. */
static void name_joins_local(fld_state_t *p) {
    if (p->iname < 0) return;
    char buf[512], w[8][64];
    int nw = 0;
    snprintf(buf, sizeof buf, "%s", p->l[p->iname].t);
    char *save = NULL;
    for (char *t = strtok_r(buf, " -", &save); t && nw < 8; t = strtok_r(NULL, " -", &save)) {
        ocr_fld_key(t, w[nw], sizeof w[nw]);
        if (*w[nw]) nw++;
    }
    for (int i = 0; i < p->nemails; i++) {
        fld_item_t *e = &p->emails[i];
        char *at = strchr(e->s, '@');
        if (!e->pre[0] || !at) continue;
        char local[256], pk[64];
        snprintf(local, sizeof local, "%.*s", (int)(at - e->s), e->s);
        /* "Lsmith@", "|_bernard@" of Liam Smith, Lucas Bernard: the l and
         * its dot read as one letter or two; an l. when the given name
         * starts with an l and the rest is the family name */
        if (!strcmp(e->pre, "=l")) {
            const char *rest = local + 1 + (local[1] == '_');
            if (nw < 2 || w[0][0] != 'l') continue;
            if (!name_part(w + 1, nw - 1, rest)) {
                /* or one letter off a family name ("|_bernord" of Bernard) */
                int hit = name_word_one_off(w, 1, nw, rest, 4, NULL);
                if (hit < 0) continue;
                rest = w[hit];
            }
            char out[256];
            int n = snprintf(out, sizeof out, "l.%s%s", rest, at);
            if (n > 0 && (size_t)n < sizeof out) memcpy(e->s, out, (size_t)n + 1);
            continue;
        }
        /* an initial and its dot before the family name ("j. weber@" of Jonas
         * Weber): the given name's initial, as read or read as a bar or as
         * another narrow letter ("|." and "l." for j.); an initial whose dot
         * was read as a space ("f romano@" of Francesca Romano) only as read */
        if ((e->pre[1] == '.' && !e->pre[2]) || !e->pre[1]) {
            char c = e->pre[0], g0 = nw >= 2 ? w[0][0] : 0;
            if (!g0 || !(c == g0 || (e->pre[1] && strchr("|lij", c) && strchr("lij", g0)))) continue;
            if (!strcmp(local, w[0]) || !name_part(w + 1, nw - 1, local)) continue;
            char out[256];
            int n = snprintf(out, sizeof out, "%c.%s", g0, e->s);
            if (n > 0 && (size_t)n < sizeof out) memcpy(e->s, out, (size_t)n + 1);
            continue;
        }
        /* a word with a capital first: the name's own word as it stands
         * ("Oliver natarajan@" of Oliver Natarajan), else an e-mail
         * label's E glued on a word that may join ("Eweiming tan@") */
        const char *pw = e->pre + (e->pre[0] == '^');
        ocr_fld_key(pw, pk, sizeof pk);
        if (!name_part(w, nw, local)) continue;
        if (pw != e->pre && !name_part(w, nw, pk)) {
            if (pw[0] != 'E') continue;
            ocr_fld_key(pw + 1, pk, sizeof pk);
        }
        snprintf(e->pre, sizeof e->pre, "%s", pk);
        if (!name_part(w, nw, pk)) {
            /* the word one letter off a name's word of five letters or
             * more ("clodie lefevre@" of Élodie Lefèvre; pk is all
             * letters): that word; or off two of its words run together,
             * or with a letter of them dropped ("matiajose romero@" of
             * María José Romero, "jhoon jung@" of Ji-hoon Jung) */
            int hit = name_word_one_off(w, 0, nw, pk, 5, local);
            char run[sizeof e->pre];
            if (hit >= 0) snprintf(e->pre, sizeof e->pre, "%s", w[hit]);
            else if (near_name_run(w, nw, pk, local, run, sizeof run)) memcpy(e->pre, run, sizeof run);
            else continue;
        }
        char out[256];
        int n = snprintf(out, sizeof out, "%s.%s", e->pre, e->s);
        if (n > 0 && (size_t)n < sizeof out) memcpy(e->s, out, (size_t)n + 1);
    }
}

/* Letters a country code's small print makes of each other: those of
 * ocr_fld_confusable; b and p (a bowl whose stem the line's cut lost:
 * ".com.pr" of .com.br); r and e, f and i (".com.be", ".not.be" of .br and
 * ".ir" of .fr on 640 x 480 photos); r and i (an r whose arm is faint:
 * ".com.bi", the line recogniser's reading of am08's site). */
static int tld_confusable(char a, char b) {
    static const char *const PAIRS[] = {"bp", "re", "fi", "ri", NULL};
    if (ocr_fld_confusable(a, b)) return 1;
    for (int k = 0; PAIRS[k]; k++)
        if ((a == PAIRS[k][0] && b == PAIRS[k][1]) || (a == PAIRS[k][1] && b == PAIRS[k][0])) return 1;
    return 0;
}

/* The countries of the card's numbers, lower case ("kr"), into have;
 * returns how many. */
static int number_countries(const fld_state_t *p, char have[FLD_MAX_ITEMS][3]) {
    int nh = 0;
    for (int i = 0; i < p->nphones; i++) {
        char cc[3];
        if (fmt_phone_region(p->phones[i].number, cc, sizeof cc) == GR_OK && nh < FLD_MAX_ITEMS) {
            cc[0] = (char)tolower((unsigned char)cc[0]);
            cc[1] = (char)tolower((unsigned char)cc[1]);
            memcpy(have[nh++], cc, 3);
        }
    }
    return nh;
}

/* A country code TLD read with a letter small print confuses (".cn" of
 * .ch, n for h) is put right when the card's numbers are of the country
 * it then names and none is of the country it names as read (this also
 * gives .ni back to a card with Nicaraguan numbers, see ocr_fld_find_contacts).
 * A code that is no country's (".ce") is put right with any letter, from
 * the numbers or else from the card's other hints (the address), or,
 * with no number and no hint that fits, from the board's own region; a
 * real country's code a look-alike letter off the board's is the board's
 * too when no address or '+' number names a country (".com.pr" on a board
 * in Brazil). */
static void phones_fix_tld(fld_state_t *p) {
    char have[FLD_MAX_ITEMS][3];
    int nh = number_countries(p, have);
    for (int i = 0; i < p->nemails + p->nsites; i++) {
        char *t = ocr_fld_two_letter_tld(ocr_fld_item(p, i));
        if (!t || !isalpha((unsigned char)t[0]) || !isalpha((unsigned char)t[1])) continue;
        char up[3] = {(char)toupper((unsigned char)t[0]), (char)toupper((unsigned char)t[1]), 0};
        /* a code no country has (".ce" of .de): any one letter off the
         * country of a number or of the address (regions) */
        int bogus = !fmt_phone_region_known(up) && strncmp(t, "uk", 2);
        int as_read = 0;
        char fix[3] = "";
        for (int k = 0; k < nh; k++) {
            if (!strncmp(t, have[k], 2)) as_read = 1;
            else if ((t[0] == have[k][0] && (bogus || tld_confusable(t[1], have[k][1]))) ||
                     (t[1] == have[k][1] && (bogus || tld_confusable(t[0], have[k][0]))))
                memcpy(fix, have[k], 3);
        }
        for (int k = 0; k < p->nregions && bogus && !fix[0]; k++) {
            char r[3] = {(char)tolower((unsigned char)p->regions[k][0]), (char)tolower((unsigned char)p->regions[k][1]), 0};
            if ((t[0] == r[0]) != (t[1] == r[1])) memcpy(fix, r, 3);
        }
        /* nothing on the card: the board's own, for a code no country has
         * ("chevroleste.com.Dr" on a board in Brazil), or for one a letter
         * of small print makes of it (".com.pr") when no hint but the
         * domains' own names a country (an address, a '+' number) */
        int hinted = p->nregions - p->npoor_domain_regions > p->ndomain_regions;
        if (!fix[0] && !nh && strlen(p->board) == 2) {
            char r[3] = {(char)tolower((unsigned char)p->board[0]), (char)tolower((unsigned char)p->board[1]), 0};
            if (!strcmp(r, "gb")) memcpy(r, "uk", 3);
            char low[3] = {(char)tolower((unsigned char)t[0]), (char)tolower((unsigned char)t[1]), 0};
            int one_off = (low[0] == r[0]) != (low[1] == r[1]);
            int slip = low[0] == r[0] ? tld_confusable(low[1], r[1]) : tld_confusable(low[0], r[0]);
            if (!ocr_fld_vanity_tld(low) && one_off && (bogus || (slip && !hinted))) memcpy(fix, r, 3);
        }
        if (!as_read && fix[0]) memcpy(t, fix, 2);
    }
}

/* A local part that is the end of one of the name's words and no word of
 * it ("worth@" of Charlotte Ashworth: its start lost at a crop's or a
 * shadow's edge) is less sure (x0.8): the person checks it. */
static void local_cut_short(fld_state_t *p) {
    if (p->iname < 0) return;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", p->l[p->iname].t);
    for (int i = 0; i < p->nemails; i++) {
        char lk[64];
        if (!local_key(p->emails[i].s, lk, sizeof lk)) continue;
        size_t ll = strlen(lk);
        if (ll < 3) continue;
        int end_of = 0, word = 0;
        char tmp[512], *save = NULL;
        snprintf(tmp, sizeof tmp, "%s", buf);
        for (char *t = strtok_r(tmp, " -", &save); t; t = strtok_r(NULL, " -", &save)) {
            char k[64];
            ocr_fld_key(t, k, sizeof k);
            size_t kl = strlen(k);
            if (!strcmp(k, lk)) word = 1;
            else if (kl >= ll + 2 && !strcmp(k + kl - ll, lk)) end_of = 1;
        }
        if (end_of && !word) p->emails[i].conf *= 0.8f;
    }
}

/* A name whose last letter the card's or the crop's edge cut off ("Sanne
 * Bakke" beside sbakker@falcon.nl): its last word, four letters or more,
 * is the local part's end but for one letter, the local part being that
 * word after the first word's initial or after the first word whole (a
 * dot, dash or underscore between: the key drops them). The letter is
 * added in the word's case. */
static void name_end_from_local(fld_state_t *p) {
    if (p->iname < 0 || !p->nemails) return;
    fld_line_t *l = &p->l[p->iname];
    size_t n = strlen(l->t);
    while (n && l->t[n - 1] == ' ') n--;
    const char *b = l->t + n;
    while (b > l->t && b[-1] != ' ') b--;
    if (b == l->t || (size_t)(l->t + n - b) >= 64) return; /* one word, or no name's */
    char last[64], lk[64], first[64], fk[64];
    snprintf(last, sizeof last, "%.*s", (int)(l->t + n - b), b);
    ocr_fld_key(last, lk, sizeof lk);
    size_t ll = strlen(lk);
    if (ll < 4 || ll != strlen(last)) return; /* letters only */
    snprintf(first, sizeof first, "%.*s", (int)strcspn(l->t, " "), l->t);
    ocr_fld_key(first, fk, sizeof fk);
    if (!fk[0]) return;
    for (int i = 0; i < p->nemails; i++) {
        char ek[128];
        if (!local_key(p->emails[i].s, ek, sizeof ek)) continue;
        size_t el = strlen(ek);
        /* not the word alone: a family name and the given name's initial
         * is a local part's usual form (grossc@ of Cynthia Gross) */
        const size_t pre[2] = {1, strlen(fk)};
        for (int k = 0; k < 2; k++) {
            if (el != pre[k] + ll + 1 || strncmp(ek, fk, pre[k]) || strncmp(ek + pre[k], lk, ll)) continue;
            char c = ek[el - 1];
            if (!isalpha((unsigned char)c)) continue;
            char *t = realloc(l->t, n + 2);
            if (!t) return;
            l->t = t;
            int caps = isupper((unsigned char)last[ll - 1]) && isupper((unsigned char)last[0]) &&
                       isupper((unsigned char)last[1]);
            t[n] = (char)(caps ? toupper((unsigned char)c) : c);
            t[n + 1] = '\0';
            return;
        }
    }
}

/* Round 32: a real country's code one letter off a number's country,
 * when no number is of its own (".co.ky" beside Korean numbers, y for r,
 * which small print does not confuse so phones_fix_tld left it): a
 * misreading more likely than a Cayman host, but not put right; the
 * e-mail or site is doubted, so the person checks it. A domain sold
 * worldwide (.io, .co) names no country. */
#define TLD_OFF_NUMBERS_CONF 0.7f
static void tld_off_numbers(fld_state_t *p) {
    char have[FLD_MAX_ITEMS][3];
    int nh = number_countries(p, have);
    for (int i = 0; i < p->nemails + p->nsites && nh; i++) {
        const char *t = ocr_fld_two_letter_tld(ocr_fld_item(p, i));
        if (!t || !isalpha((unsigned char)t[0]) || !isalpha((unsigned char)t[1])) continue;
        char two[3] = {(char)tolower((unsigned char)t[0]), (char)tolower((unsigned char)t[1]), '\0'};
        int own = 0, near = 0;
        for (int k = 0; k < nh; k++) {
            own |= !strcmp(two, have[k]);
            near |= (two[0] == have[k][0]) != (two[1] == have[k][1]);
        }
        if (own || !near || ocr_fld_vanity_tld(two)) continue;
        ocr_fld_item_at(p, i)->conf *= TLD_OFF_NUMBERS_CONF;
    }
}

/* Round 32: an e-mail's local part one look-alike letter off the start
 * of a word another item of the card spells ("sonaoeasa@bol.com.br"
 * beside facebook.com.br/sonaocasaquemnaoquer, c read as e on a 640 x 480
 * photo): the two were printed alike, and the reading of the other,
 * read surer, is taken, a guess (x0.9). Six letters or more; a local part
 * that begins some item's word as read is left. */
static void local_from_items(fld_state_t *p) {
    for (int i = 0; i < p->nemails; i++) {
        fld_item_t *e = &p->emails[i];
        char *at = strchr(e->s, '@');
        size_t ll = at ? (size_t)(at - e->s) : 0;
        if (ll < 6) continue;
        int alpha = 1;
        for (size_t k = 0; k < ll; k++) alpha &= islower((unsigned char)e->s[k]) != 0;
        if (!alpha) continue;
        const char *take = NULL;
        int exact = 0, takes = 0;
        for (int j = 0; j < p->nemails + p->nsites; j++) {
            /* the other read surer: which of two readings lost a stroke
             * is the confidences' to tell */
            if (j == i || ocr_fld_item_at(p, j)->conf <= e->conf) continue;
            const char *o = ocr_fld_item(p, j);
            /* each run of small letters in the other item: its host's
             * labels and its path's words (a scheme's "https" is shorter
             * than any local part taken here) */
            for (const char *w = o; *w;) {
                size_t n = 0;
                while (islower((unsigned char)w[n])) n++;
                if (n >= ll) {
                    int d = 0, look = 1;
                    for (size_t k = 0; k < ll; k++)
                        if (w[k] != e->s[k]) {
                            d++;
                            look &= ocr_fld_confusable(w[k], e->s[k]);
                        }
                    if (d == 0) exact = 1;
                    else if (d == 1 && look && (!take || strncmp(take, w, ll))) {
                        take = w;
                        takes++;
                    }
                }
                w += n ? n : 1;
            }
        }
        if (exact || takes != 1) continue;
        memcpy(e->s, take, ll);
        e->conf *= 0.9f;
    }
}

/* The name's words as e-mail keys (ocr_fld_key) into w, the middle
 * initials left out ("Sarah J. Thompson"); with de 1 a German umlaut
 * written as its two letters ("Mälzer" is maelzer@, "Groß" gross@),
 * *written counting those. Returns how many words (at most 6). */
static int name_keys(const char *name, int de, char w[6][64], int *written) {
    char buf[512];
    size_t o = 0;
    *written = 0;
    for (const char *s = name; *s && o + 3 < sizeof buf;) {
        const char *q = s;
        unsigned c = fmt_u8_next(&s);
        const char *two = !de ? NULL
                          : c == 0xE4 || c == 0xC4 ? "ae"
                          : c == 0xF6 || c == 0xD6 ? "oe"
                          : c == 0xFC || c == 0xDC ? "ue"
                          : c == 0xDF ? "ss" : NULL;
        size_t l = two ? 2 : (size_t)(s - q);
        if (!l || o + l + 1 >= sizeof buf) break;
        *written += two != NULL;
        memcpy(buf + o, two ? two : q, l);
        o += l;
    }
    buf[o] = '\0';
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, " ", &save); t && n < 6; t = strtok_r(NULL, " ", &save)) {
        ocr_fld_key(t, w[n], sizeof w[n]);
        if (w[n][0] && (n == 0 || w[n][1])) n++;
    }
    return n;
}

/* The fewest edits from local (lower case) to a local part people make of
 * given names g and family names f: g.f, gf, g_f, g-f, f.g, fg and the
 * rest with each separator, an initial for either; g or f alone. */
static int pair_distance(const char *local, const char *g, const char *f) {
    static const char SEP[][2] = {"", ".", "_", "-"};
    int best = ocr_text_edit_distance(local, g), d;
    if ((d = ocr_text_edit_distance(local, f)) < best) best = d;
    for (int s = 0; s < 4 && best; s++) {
        char c[5][160];
        snprintf(c[0], sizeof c[0], "%s%s%s", g, SEP[s], f);
        snprintf(c[1], sizeof c[1], "%s%s%s", f, SEP[s], g);
        snprintf(c[2], sizeof c[2], "%c%s%s", g[0], SEP[s], f);
        snprintf(c[3], sizeof c[3], "%s%s%c", f, SEP[s], g[0]);
        snprintf(c[4], sizeof c[4], "%c%s%s", f[0], SEP[s], g);
        for (int k = 0; k < 5; k++)
            if ((d = ocr_text_edit_distance(local, c[k])) < best) best = d;
    }
    return best;
}

/* The fewest edits from local to the local parts the name's words make:
 * every split of them into given names and family names, in either
 * order; the given names whole or the first; the family names whole, the
 * first or the last ("Lucía Fernández Ruiz" is lfernandezruiz@,
 * lucia.fernandez@ or lruiz@). -1 when the name has one word. */
static int name_local_distance(const char *name, const char *local) {
    int best = -1;
    for (int de = 0; de < 2; de++) {
        char w[6][64];
        int written, n = name_keys(name, de, w, &written);
        if (de && !written) break; /* no umlaut: the same keys again */
        for (int k = 1; k < n; k++) {
            char gall[400] = "", fall[400] = "";
            for (int i = 0; i < n; i++) {
                char *t = i < k ? gall : fall;
                snprintf(t + strlen(t), sizeof gall - strlen(t), "%s", w[i]);
            }
            const char *gs[2] = {gall, w[0]}, *fs[3] = {fall, w[k], w[n - 1]};
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 3; b++) {
                    int d = pair_distance(local, gs[a], fs[b]);
                    if (best < 0 || d < best) best = d;
                }
            int d = pair_distance(local, fall, gall); /* family names first: "Tran Minh Duc" */
            if (best < 0 || d < best) best = d;
        }
    }
    return best;
}

/* The confidence of the name line's name (name_core'd), raised halfway to
 * 1 when the e-mail's local part spells a word of it (*backed 1): the
 * name's confidence as the contact shows it, but for the doubts after. */
static double name_conf_backed(const fld_state_t *p, const char *name, int *backed) {
    double c = p->l[p->iname].conf;
    *backed = local_match(name, p->local) > 0;
    return *backed ? c + (1 - c) * 0.5 : c;
}

/* Round 32: the name and an e-mail's local part that miss each other by a
 * letter or two ("sofa@" beside Sofia Becker, "m.femandezruiz@" beside
 * Fernández Ruiz, "mtran@" beside "RAN MINH DUC") hold a misreading, on
 * the side read less surely: that one is doubted, so the person checks
 * it (the fixes above mended what they could tell). A local part that is
 * none of the name's forms (sales@, a nickname) says nothing. Four
 * letters or more, at most an edit in four. */
#define DISAGREE_LOCAL_CONF 0.7f
#define DISAGREE_NAME_CONF 0.8
static void name_local_disagree(fld_state_t *p) {
    if (p->iname < 0) return;
    char nm[512];
    name_core(p->l[p->iname].t, nm, sizeof nm);
    int backed;
    double cname = name_conf_backed(p, nm, &backed);
    for (int i = 0; i < p->nemails; i++) {
        fld_item_t *e = &p->emails[i];
        const char *at = strchr(e->s, '@');
        char local[160];
        if (!at || at - e->s < 4 || (size_t)(at - e->s) >= sizeof local) continue;
        fmt_u8_lower_n(e->s, (size_t)(at - e->s), local, sizeof local);
        size_t ll = strlen(local);
        int d = name_local_distance(nm, local);
        if (d < 1 || d > 2 || (size_t)d * 4 > ll) continue;
        if (e->conf <= cname) e->conf *= DISAGREE_LOCAL_CONF;
        else p->name_doubted = 1;
    }
}

void ocr_fld_cross_check(fld_state_t *p) {
    phones_fix_tld(p);
    company_fixes_domains(p);
    local_from_items(p);
    name_end_from_local(p);
    /* a slip in the local part mended first, so that the word before it
     * finds both halves in the name ("alvaro martiner@" of Álvaro Martínez) */
    name_fixes_local(p);
    name_joins_local(p);
    local_cut_short(p);
    name_local_disagree(p);
    tld_off_numbers(p);
}

/* ------------------------------------------------ output */

/* A one-word company read as a piece of the card's own domain, its other
 * letters lost in a logo ("desi" beside www.nogdesign.blogspot.com.br):
 * the domain's label spells it whole, in the case it was read in, a word
 * break where the piece begins or ends ("nog design"). The piece must be
 * four letters or more and about half the label; a mail provider's local
 * part is no domain here. 1 when company (capacity cap) was completed. */
static int complete_from_domain(const fld_state_t *p, char *company, size_t cap) {
    char k[128];
    if (strchr(company, ' ')) return 0;
    ocr_fld_key(company, k, sizeof k);
    size_t kl = strlen(k);
    if (kl < 4 || kl != strlen(company)) return 0; /* letters and digits of ASCII only */
    for (int i = 0; i < p->nsites + p->nemails; i++) {
        char b[128] = "";
        if (i < p->nsites) {
            ocr_fld_site_brand(p->sites[i].s, b, sizeof b);
        } else {
            const char *d = strchr(p->emails[i - p->nsites].s, '@') + 1;
            if (ocr_fld_shared_mail_domain(d)) continue;
            ocr_fld_domain_stem(d, b, sizeof b);
        }
        size_t bl = strlen(b);
        const char *at = strstr(b, k);
        if (!at || bl <= kl || 2 * kl + 1 < bl) continue;
        size_t off = (size_t)(at - b), tail = bl - off - kl;
        int upper = isupper((unsigned char)company[0]), caps = upper && isupper((unsigned char)company[kl - 1]);
        char out[160];
        size_t o = 0;
        for (size_t q = 0; q < bl && o + 2 < sizeof out; q++) {
            int start = q == 0 || (q == off && off >= 2) || (q == off + kl && tail >= 3 && off == 0);
            if (q && start) out[o++] = ' ';
            out[o++] = (char)(caps || (upper && start) ? toupper((unsigned char)b[q]) : b[q]);
        }
        out[o] = '\0';
        if (o >= cap) return 0;
        memcpy(company, out, o + 1);
        return 1;
    }
    return 0;
}

/* A company line whose first letters were cut off at the card's edge (a
 * finger or the photo's frame over them: "rgreen Media Private Limited"
 * beside evergreenmedia.in): when its first one to three words, five
 * letters or more, spell the end of a brand key that has one to three
 * letters more in front, and the line starts with a small letter or at
 * the card's left edge (x at most HEAD_EDGE: the reading's white frame is
 * 12 px), those letters are put back - in capitals for a word of
 * capitals, the first a capital when the company has any. 1 when company
 * (capacity cap) changed. */
#define HEAD_EDGE 24
static int head_from_domain(const fld_state_t *p, const fld_line_t *l, char *company, size_t cap) {
    int edge = l->w > 0 && l->x <= HEAD_EDGE;
    if (!isalpha((unsigned char)company[0]) || (!islower((unsigned char)company[0]) && !edge)) return 0;
    for (int k = 1; k <= 3; k++) {
        char head[256], key[128];
        first_words(company, k, head, sizeof head);
        ocr_fld_key(head, key, sizeof key);
        size_t kl = strlen(key);
        if (kl < 5) continue;
        for (int b = 0; b < p->nbrands; b++) {
            size_t bl = strlen(p->brands[b]);
            if (bl <= kl || bl > kl + 3 || strcmp(p->brands[b] + bl - kl, key)) continue;
            size_t m = bl - kl, cl = strlen(company);
            if (cl + m >= cap) return 0;
            /* capitals: all of them in a word of capitals ("RGREEN"), the
             * first when the company has any ("rgreen Media"), else none */
            int caps = isupper((unsigned char)company[0]) && isupper((unsigned char)company[1]), any = 0;
            for (const char *c = company; *c; c++) any |= isupper((unsigned char)*c) != 0;
            memmove(company + m, company, cl + 1);
            for (size_t q = 0; q < m; q++)
                company[q] =
                    (char)(caps || (q == 0 && any) ? toupper((unsigned char)p->brands[b][q]) : p->brands[b][q]);
            return 1;
        }
    }
    return 0;
}

/* A company line whose brand the reading lost beside a logo, leaving its
 * legal form ("Pty Ltd", "Co. Ltd") or its trade and legal form ("Trading
 * LLP"): when a brand key (an own domain's label, a provider e-mail's
 * local part) ends with the line's trade words (none for a legal form
 * alone) and has three letters or more in front of them, that front goes
 * before the line ("Bluewave Pty Ltd" beside bluewave.com.au, "Crestline
 * Trading LLP" beside crestlinetrading.com; ocr_cards2 HARD and SHADOW
 * renders). In capitals when the line is. 1 when company (capacity cap)
 * changed. */
static int brand_before_form(const fld_state_t *p, char *company, size_t cap) {
    char buf[512], rest[128] = "";
    int forms = 0, letters = 0, caps = 0;
    snprintf(buf, sizeof buf, "%s", company);
    char *save = NULL;
    for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char low[64], k[64];
        fmt_u8_lower_n(w, strlen(w), low, sizeof low);
        for (const char *c = w; *c; c++)
            if (isalpha((unsigned char)*c)) letters++, caps += isupper((unsigned char)*c) != 0;
        if (legal_form_word(w)) {
            forms++;
        } else if (ocr_fld_is_label(low, SERVICE_WORDS)) {
            ocr_fld_key(w, k, sizeof k);
            if (strlen(rest) + strlen(k) >= sizeof rest) return 0;
            strcat(rest, k);
        } else {
            return 0; /* a word of its own: the brand is there */
        }
    }
    if (!forms) return 0;
    size_t rl = strlen(rest), cl = strlen(company);
    for (int b = 0; b < p->nbrands; b++) {
        const char *br = p->brands[b];
        size_t bl = strlen(br);
        if (bl < rl + 3 || strcmp(br + bl - rl, rest)) continue;
        size_t m = bl - rl;
        if (cl + m + 2 > cap) return 0;
        memmove(company + m + 1, company, cl + 1);
        for (size_t q = 0; q < m; q++)
            company[q] = (char)(q == 0 || caps == letters ? toupper((unsigned char)br[q]) : br[q]);
        company[m] = ' ';
        return 1;
    }
    return 0;
}

/* With no company line: a brand key (an own domain's label, a mail
 * provider's local part) that is a line of the card's words run together
 * and something else, four letters or more, names the firm by that
 * something else - the trade is printed, the name is the logo the reading
 * lost ("dimariorestaurante@gmail.com" beside "RESTAURANTE": Dimario). The
 * line: one or two words, five letters or more, no digits, no name, title
 * or contact. Its first letter a capital; one such name only. 1 when
 * company (capacity cap) was set. */
static int brand_beside_trade(const fld_state_t *p, char *company, size_t cap) {
    char found[128] = "";
    int hits = 0;
    for (int b = 0; b < p->nbrands; b++) {
        const char *k = p->brands[b];
        size_t kl = strlen(k);
        for (size_t i = 0; i < p->n; i++) {
            const fld_line_t *l = &p->l[i];
            if ((int)i == p->iname || (int)i == p->ititle || l->contact || l->kind != FLD_OTHER ||
                line_digits(l->t) || ocr_fld_count_words(l->t) > 2)
                continue;
            char t[128];
            ocr_fld_key(l->t, t, sizeof t);
            size_t tl = strlen(t);
            if (tl < 5 || kl < tl + 4) continue;
            const char *rest = NULL;
            size_t rl = kl - tl;
            if (!strncmp(k, t, tl)) rest = k + tl;
            else if (!strcmp(k + rl, t)) rest = k;
            if (!rest) continue;
            char r[128];
            snprintf(r, sizeof r, "%.*s", (int)rl, rest);
            if (hits && !strcmp(found, r)) continue;
            snprintf(found, sizeof found, "%s", r);
            hits++;
        }
    }
    if (hits != 1 || strlen(found) >= cap) return 0;
    found[0] = (char)toupper((unsigned char)found[0]);
    memcpy(company, found, strlen(found) + 1);
    return 1;
}

/* 1 when company is one word that only a short piece of the card's brand
 * keys spells, under half of the key ("Cres" of crestlinefoods.com.au,
 * the rest of the line lost at the card's edge) and no key in full: the
 * domain does not vouch for it as the whole name. */
static int piece_of_brand(const fld_state_t *p, const char *company) {
    char k0[128], k[128];
    if (strchr(company, ' ')) return 0;
    ocr_fld_key(company, k0, sizeof k0);
    confusable_fold(k0, k, sizeof k);
    size_t kl = strlen(k);
    int piece = 0;
    for (int i = 0; i < p->nbrands && kl; i++) {
        char b[128];
        confusable_fold(p->brands[i], b, sizeof b);
        if (!strcmp(b, k)) return 0;
        if (strstr(b, k) && 2 * kl < strlen(b)) piece = 1;
    }
    return piece;
}

/* 1 when company ends with the first word of a two-word legal form
 * without its second ("Silverleaf Pty" of Silverleaf Pty. Ltd.: the line
 * was cut short, and what else is missing is not known), or with the
 * first letter of a two-letter one alone ("Solace B" of Solace BV, round
 * 35, a held-out hand-held render, marked sure before; "Plan B" is asked
 * about too). */
static int form_cut_short(const char *company) {
    static const char *const FIRST[] = {"pty", "pte", "pvt", "sdn", NULL};
    const char *sp = strrchr(company, ' ');
    if (!sp) return 0;
    char low[16];
    size_t n = strlen(sp + 1);
    if (n == 1 && strchr("ABKLNOSU", sp[1])) return 1;
    while (n && sp[n] == '.') n--;
    if (n == 0 || n >= sizeof low) return 0;
    fmt_u8_lower_n(sp + 1, n, low, sizeof low);
    return ocr_fld_is_label(low, FIRST);
}

/* 1 when company's last word is no legal form but one letter off one of
 * the same length ("Granite Lida" of Ltda., "Tidewater Put" of Pvt.):
 * the form misread, and the mend rules found too little to put it right
 * (its country, the word after it). Such a company is read wrong more
 * often than its confidence says; a firm whose last word only looks so
 * ("Grand Inn") is asked about too. */
static int form_misread(const char *company) {
    static const char *const FORMS[] = {"ltda", "ltd", "pvt", "pte", "pty", "inc", "llc", "plc", "gmbh", "sarl",
                                        "bhd", "sdn", "jsc", "kft", "srl", "corp", "bvba", "sprl", "tnhh", NULL};
    const char *sp = strrchr(company, ' ');
    if (!sp) return 0;
    char low[8];
    size_t n = strlen(sp + 1);
    while (n && strchr(".,", sp[n])) n--;
    if (n < 3 || n >= sizeof low) return 0;
    for (size_t k = 0; k < n; k++) {
        if (!isalpha((unsigned char)sp[1 + k])) return 0;
        low[k] = (char)tolower((unsigned char)sp[1 + k]);
    }
    low[n] = '\0';
    if (company_mark_label(low)) return 0;
    for (int f = 0; FORMS[f]; f++)
        if (strlen(FORMS[f]) == n && ocr_text_edit_distance(low, FORMS[f]) == 1) return 1;
    return 0;
}

/* 1 when company starts with a mark no name starts with ("=vergreen
 * Pty. Ltd": the E read as "="; trim_company_debris removed the usual
 * ones): the first letters are in doubt. */
static int odd_start(const char *company) {
    unsigned char c = (unsigned char)company[0];
    return c && c < 0x80 && !isalnum(c) && !strchr("\"'(&@", (int)c);
}

/* Generational suffixes, which belong to the family name: "Righetti
 * Jr.", "Silva Filho". */
static const char *const SUFFIX[] = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "filho", "neto", "sobrinho",
                                     "júnior", "junior", NULL};

/* Names printed family name first that the case does not show: "Tan Ah
 * Kow, Jeremy" (the English given name after a comma: given Jeremy,
 * family Tan) and "Zhang Wei" beside david.zhang@. */
static void family_first(const char *name, const char *local, char *given, size_t gn, char *family, size_t fn) {
    size_t fw = strcspn(name, " ");
    const char *comma = strstr(name, ", ");
    char low[32];
    if (comma) fmt_u8_lower_n(comma + 2, strlen(comma + 2), low, sizeof low);
    if (comma && comma > name + fw && !strchr(comma + 2, ' ') && comma[2] && !ocr_fld_is_label(low, SUFFIX)) {
        snprintf(given, gn, "%s", comma + 2);
        snprintf(family, fn, "%.*s", (int)fw, name);
        return;
    }
    const char *dot = strchr(local, '.');
    if (!dot || !name[fw] || strchr(name + fw + 1, ' ')) return; /* two words only */
    char w[64], first[64], last[64], a[64], b[64];
    snprintf(w, sizeof w, "%.*s", (int)fw, name);
    ocr_fld_key(w, first, sizeof first);
    ocr_fld_key(name + fw + 1, last, sizeof last);
    snprintf(w, sizeof w, "%.*s", (int)(dot - local), local);
    ocr_fld_key(w, a, sizeof a);
    ocr_fld_key(dot + 1, b, sizeof b);
    /* "david.zhang" for "Zhang Wei": the first word printed is the family
     * name the e-mail puts last, after a given name the card does not
     * print; both words in the e-mail ("wei.zhang", "roy.anna") tell
     * nothing for sure */
    if (!first[0] || !strcmp(first, last) || strcmp(first, b) || !strcmp(last, a)) return;
    snprintf(given, gn, "%s", name + fw + 1);
    snprintf(family, fn, "%.*s", (int)fw, name);
}

/* The one word in capitals of a mixed-case name is the family name,
 * wherever it stands ("TANAKA Hiroshi", "NGUYEN Van An", "Jean DUPONT"). */
static void caps_family(const char *name, char *given, size_t gn, char *family, size_t fn) {
    const char *fam = NULL;
    size_t fl = 0;
    int ncaps = 0, nwords = 0, prev_caps_particle = 0;
    for (const char *w = name; *w;) {
        while (*w == ' ') w++;
        if (!*w) break;
        size_t wl = strcspn(w, " ");
        int letters = 0, uppers = 0;
        for (const char *q = w; q < w + wl;) {
            unsigned c = fmt_u8_next(&q);
            letters += ocr_fld_is_letter(c) != 0;
            uppers += ocr_fld_is_upper(c) != 0;
        }
        nwords++;
        if (letters >= 2 && uppers == letters) {
            char low[8] = "";
            if (wl < sizeof low) fmt_u8_lower_n(w, wl, low, sizeof low);
            if (prev_caps_particle && fam && w == fam + fl + 1) {
                fl += 1 + wl; /* "DE SOUZA Ana": the particle and the name, one family name */
            } else {
                ncaps++;
                fam = w;
                fl = wl;
            }
            prev_caps_particle = low[0] && name_particle(low, strlen(low));
        } else {
            prev_caps_particle = 0;
        }
        w += wl;
    }
    if (ncaps != 1 || nwords < 2) return;
    char lf[8] = "";
    if (fl < sizeof lf) fmt_u8_lower_n(fam, fl, lf, sizeof lf);
    if (lf[0] && name_particle(lf, strlen(lf))) return; /* "Maria DA Silva": a particle alone is no family name */
    char g[256] = "";
    size_t gl = 0;
    for (const char *w = name; *w;) {
        while (*w == ' ') w++;
        if (!*w) break;
        size_t wl = strcspn(w, " ");
        if (w == fam) wl = fl; /* the family name, all of its words */
        else if (gl + wl + 2 < sizeof g) {
            if (gl) g[gl++] = ' ';
            memcpy(g + gl, w, wl);
            gl += wl;
            g[gl] = '\0';
        }
        w += wl;
    }
    snprintf(given, gn, "%s", g);
    snprintf(family, fn, "%.*s", (int)fl, fam);
}

/* A legal form proper (Ltd, GmbH, Ltda, S.A.), not the words the company
 * marks also count (and, group, holding, &). */
static int legal_form_word(const char *w) {
    static const char *const NOT_FORM[] = {"and", "und", "et", "и", "group", "groupe", "holding", "holdings",
                                           "partners", "associates", "sons", "fils", "company", NULL};
    char low[64];
    size_t n = strlen(w);
    while (n && w[n - 1] == ',') n--;
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)n, w);
    fmt_u8_lower_n(word, strlen(word), low, sizeof low);
    if (!*low || ocr_fld_is_label(low, NOT_FORM)) return 0;
    return mark_word(word) && !strchr(low, '&');
}

/* OCR debris at the ends of a company line: punctuation in front
 * (",Eletrénica ADACHI Ltda."), and after its legal form a lone letter, or
 * a separator and one short word (",Eletrénica ADACHI Ltda. , Mey" ->
 * "Eletrénica ADACHI Ltda."): a legal form ends the name. */
static void trim_company_debris(char *s) {
    size_t lead = 0;
    while (s[lead] && strchr(",;:.-_|~*>»·• ", s[lead])) lead++;
    if (lead) memmove(s, s + lead, strlen(s + lead) + 1);
    /* a frame's or a logo block's edge read as letters in front ("Il
     * Tidewater Foods PLC"): one or two of I l | 1 before the name (a
     * lone I is a word) */
    size_t e = strspn(s, "Il|1");
    if (((e == 1 && s[0] != 'I') || e == 2) && s[e] == ' ' && isupper((unsigned char)s[e + 1])) /* "I Love NY" stays */
        memmove(s, s + e + 1, strlen(s + e + 1) + 1);
    /* a speck of the logo beside the name glued on as small letters
     * ("oEletronica ADACHI Ltda", "foEletronica", cards_real am01 and am02
     * in two of fourteen variants): one or two small letters before a
     * capital and four small ones; eBay, iRobot and myToys keep theirs */
    size_t sp = 0;
    while (sp < 3 && islower((unsigned char)s[sp])) sp++;
    if ((sp == 2 || (sp == 1 && s[0] != 'e' && s[0] != 'i')) && strncmp(s, "my", 2) && isupper((unsigned char)s[sp])) {
        size_t low = 0;
        while (islower((unsigned char)s[sp + 1 + low]) || (unsigned char)s[sp + 1 + low] >= 0x80) low++;
        if (low >= 4) memmove(s, s + sp, strlen(s + sp) + 1);
    }
    /* a bracket that closes nothing is a frame's edge ("Meridian
     * Logistics Pte Ltd)"); "Acme (Brasil)" keeps its own */
    size_t sl = strlen(s);
    while (sl && strchr(")]}", s[sl - 1]) && !strpbrk(s, "([{")) s[--sl] = '\0';
    while (sl && s[sl - 1] == ' ') s[--sl] = '\0';
    /* "Co.. Ltd": the comma of "Co., Ltd." read as a dot */
    char *cc = strstr(s, "Co.. ");
    if (cc) cc[3] = ',';
    /* the last legal form word */
    char *last_end = NULL;
    for (char *w = s; *w;) {
        while (*w == ' ') w++;
        if (!*w) break;
        size_t wl = strcspn(w, " ");
        char tok[64];
        if (wl < sizeof tok) {
            memcpy(tok, w, wl);
            tok[wl] = '\0';
            if (legal_form_word(tok)) last_end = w + wl;
        }
        w += wl;
    }
    if (!last_end || !*last_end) return;
    /* what follows: separators and at most one word; a word of two small
     * letters is the crop's edge too ("Evergreen Design JSC fi") */
    int words = 0, letters = 0, sep = 0, small = 1;
    for (const char *q = last_end; *q;) {
        while (*q == ' ') q++;
        if (!*q) break;
        size_t wl = strcspn(q, " ");
        int wlet = 0;
        for (const char *c = q; c < q + wl;) {
            unsigned u = fmt_u8_next(&c);
            if (ocr_fld_is_letter(u)) {
                wlet++;
                small &= u < 0x80 && islower((int)u);
            }
        }
        if (wlet) {
            words++;
            letters += wlet;
        }
        if (!wlet || strchr(",;|/~", *q)) sep = 1;
        q += wl;
    }
    if (words == 0 || (words == 1 && (letters == 1 || (sep && letters <= 3) || (letters == 2 && small))))
        *last_end = '\0';
}

int ocr_fld_card_of(const fld_state_t *p, const char *ccs) {
    for (int i = 0; i < p->nphones; i++) {
        char cc[3];
        if (fmt_phone_region(p->phones[i].number, cc, sizeof cc) == GR_OK && strstr(ccs, cc)) return 1;
    }
    for (int i = 0; i < p->nregions; i++)
        if (p->regions[i][0] && strstr(ccs, p->regions[i])) return 1;
    return 0;
}

/* The one place where the first n bytes of low (lower case) differ from
 * form, the two letters being of one class of look-alikes (classes: sets
 * of letters, NULL-ended); -1 when n is not form's length, or no place,
 * or more than one, or another pair differs. */
static int lookalike_off(const char *low, size_t n, const char *form, const char *const *classes) {
    if (strlen(form) != n) return -1;
    int diff = -1;
    for (size_t c = 0; c < n; c++) {
        char x = low[c], y = form[c];
        if (x == y) continue;
        int look = 0;
        for (int g = 0; classes[g] && !look; g++) look = strchr(classes[g], x) && strchr(classes[g], y);
        if (diff >= 0 || !look) return -1;
        diff = (int)c;
    }
    return diff;
}

/* 1 when w is one half of a K.K. read apart: a K, with its dot or a K
 * more ("K", "K.", "KK"). */
static int k_of_kk(const char *w) {
    size_t n = strlen(w);
    return n && n <= 2 && w[0] == 'K' && strspn(w, "K.") == n;
}

/* Legal forms that small print misreads, in a line's words (legal_form_l
 * has an l misread in a line's last word): a dot and an l read as one low
 * line ("S.r_." of S.r.l.); two forms run together
 * ("Co.KG" of Co. KG); and, on a card of
 * the form's country, the first word of a two-word form one look-alike
 * letter off before its second (l or r for t: "Ple Ltd", "Pre Ltd" of Pte
 * Ltd on a Singapore card; u for v: "Put Ltd" of Pvt Ltd on an Indian one; "Marine
 * Ply Ltd" elsewhere stays). Returns 1 when s (capacity cap) changed. */
static int mend_legal_forms(const fld_state_t *p, char *s, size_t cap) {
    static const char *const PAIRS[][3] = {
        {"pte", "ltd", "SG"}, {"pvt", "ltd", "IN"}, {"pty", "ltd", "AU ZA"}, {"sdn", "bhd", "MY"}};
    char w[16][64];
    int nw = 0;
    char buf[512];
    if (strlen(s) >= sizeof buf) return 0;
    snprintf(buf, sizeof buf, "%s", s);
    char *save = NULL;
    for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        if (nw == 16 || strlen(t) >= sizeof w[0]) return 0;
        snprintf(w[nw++], sizeof w[0], "%s", t);
    }
    int changed = 0;
    char split[16] = {0};
    /* the last word one look-alike letter off a form of the card's country
     * (a shadow's edge over "Srl" read "Sri" or "Sr!", "BV" read "BY"):
     * only forms no word or name is ("The Flip Lid" stays) */
    if (nw >= 2 && !legal_form_word(w[nw - 1])) {
        static const char *const LAST[][2] = {{"srl", "IT RO"}, {"bv", "NL BE"}, {"nv", "NL BE"}};
        static const char *const LOOK[] = {"il1!|", "vy", NULL};
        char *lw = w[nw - 1], llow[64];
        size_t ll = strlen(lw);
        fmt_u8_lower_n(lw, ll, llow, sizeof llow);
        for (size_t q = 0; q < sizeof LAST / sizeof LAST[0]; q++) {
            const char *f = LAST[q][0];
            if (!ocr_fld_card_of(p, LAST[q][1])) continue;
            int diff = lookalike_off(llow, strlen(llow), f, LOOK);
            if (diff < 0) continue;
            /* in the case of the other letters: "Sri" -> "Srl", "SRI" -> "SRL", "BY" -> "BV" */
            int all_up = 1;
            for (size_t c = 0; c < ll; c++)
                if ((int)c != diff && isalpha((unsigned char)lw[c]) && !isupper((unsigned char)lw[c])) all_up = 0;
            lw[diff] = all_up ? (char)toupper((unsigned char)f[diff]) : f[diff];
            changed = 1;
            break;
        }
    }
    /* a long form at the line's end, its last letter lost at the card's or
     * the crop's edge ("Vantage Private Limite"), on a card of a country
     * that writes it ("Ponto Limite" is a Brazilian shop's name) */
    if (nw >= 2 && !changed && !legal_form_word(w[nw - 1])) {
        static const char *const LONG[][2] = {{"limited", "IN GB IE HK SG MY NZ AU ZA NG KE PK BD LK"},
                                              {"corporation", "US CA PH JP KR TW"},
                                              {"incorporated", "US CA PH"}};
        char *lw = w[nw - 1], llow[64];
        size_t ll = strlen(lw);
        fmt_u8_lower_n(lw, ll, llow, sizeof llow);
        for (size_t q = 0; q < sizeof LONG / sizeof LONG[0] && ll + 1 < sizeof w[0]; q++)
            if (strlen(LONG[q][0]) == ll + 1 && !strncmp(llow, LONG[q][0], ll) && ocr_fld_card_of(p, LONG[q][1])) {
                char c = LONG[q][0][ll];
                lw[ll] = isupper((unsigned char)lw[ll - 1]) ? (char)toupper((unsigned char)c) : c;
                lw[ll + 1] = '\0';
                changed = 1;
                break;
            }
    }
    /* "Falcon K K" on a Japanese card: the dots of K.K. lost; or both
     * but the last ("Vantage KK.", round 35) */
    if (nw >= 3 && !changed && k_of_kk(w[nw - 2]) && k_of_kk(w[nw - 1]) && ocr_fld_card_of(p, "JP")) {
        snprintf(w[nw - 2], sizeof w[0], "K.K.");
        nw--;
        changed = 1;
    }
    if (nw >= 2 && !changed && (!strcmp(w[nw - 1], "KK") || !strcmp(w[nw - 1], "KK.")) && ocr_fld_card_of(p, "JP")) {
        snprintf(w[nw - 1], sizeof w[0], "K.K.");
        changed = 1;
    }
    for (int k = 0; k < nw; k++) {
        char low[64];
        fmt_u8_lower_n(w[k], strlen(w[k]), low, sizeof low);
        if (legal_form_word(w[k])) continue;
        /* a dot and an l read as one low line ("S.r_." of S.r.l.) */
        char *us = strchr(w[k], '_');
        if (us && !strchr(us + 1, '_') && strchr(w[k], '.') && strlen(w[k]) + 2 < sizeof w[0]) {
            int lower = 0;
            for (const char *c = w[k]; *c; c++) lower |= islower((unsigned char)*c) != 0;
            char alt[64];
            snprintf(alt, sizeof alt, "%.*s.%c%s", (int)(us - w[k]), w[k], lower ? 'l' : 'L', us + 1);
            if (legal_form_word(alt)) {
                snprintf(w[k], sizeof w[0], "%s", alt);
                changed = 1;
                continue;
            }
        }
        /* two forms run together */
        for (char *d = strchr(w[k], '.'); d && d[1]; d = strchr(d + 1, '.')) {
            char a[64], b[64];
            snprintf(a, sizeof a, "%.*s", (int)(d + 1 - w[k]), w[k]);
            snprintf(b, sizeof b, "%s", d + 1);
            if (isalpha((unsigned char)b[0]) && legal_form_word(a) && legal_form_word(b)) {
                split[k] = (char)(d + 1 - w[k]);
                changed = 1;
                break;
            }
        }
        /* the first word of a two-word form, before its second */
        if (k + 1 < nw) {
            char next[64];
            size_t nl = strlen(w[k + 1]);
            while (nl && strchr(".,", w[k + 1][nl - 1])) nl--;
            fmt_u8_lower_n(w[k + 1], nl, next, sizeof next);
            size_t ll = strlen(low);
            while (ll && low[ll - 1] == '.') ll--;
            for (size_t q = 0; q < sizeof PAIRS / sizeof PAIRS[0] && ll == 3; q++) {
                if (strcmp(next, PAIRS[q][1]) || !ocr_fld_card_of(p, PAIRS[q][2])) continue;
                /* l or r read for t, u for v (the forms hold no l or u,
                 * and their r is no t's neighbour: "Pre Ltd" of Pte Ltd) */
                static const char *const LT_UV[] = {"lt", "rt", "uv", NULL};
                int diff = lookalike_off(low, ll, PAIRS[q][0], LT_UV);
                if (diff >= 0) {
                    char y = PAIRS[q][0][diff];
                    w[k][diff] = isupper((unsigned char)w[k][diff]) ? (char)toupper((unsigned char)y) : y;
                    changed = 1;
                    break;
                }
            }
        }
    }
    if (!changed) return 0;
    char out[512];
    size_t o = 0;
    for (int k = 0; k < nw; k++) {
        int n = split[k] ? snprintf(out + o, sizeof out - o, "%s%.*s %s", k ? " " : "", split[k], w[k], w[k] + split[k])
                         : snprintf(out + o, sizeof out - o, "%s%s", k ? " " : "", w[k]);
        if (n < 0 || (size_t)n >= sizeof out - o) return 0;
        o += (size_t)n;
    }
    if (o >= cap) return 0;
    memcpy(s, out, o + 1);
    return 1;
}

/* "Consultor ce marketing", "Gerente ce Vendas": OCR reads the particle
 * "de" of Portuguese, Spanish and French titles as "ce" (d and c differ by
 * a stroke); no title has a lone "ce" between two words. */
static void de_from_ce(char *t) {
    for (char *q = strstr(t, " ce "); q; q = strstr(q + 1, " ce "))
        if (q > t && q[4]) q[1] = 'd';
}

/* The listed word that w (lower case) is with one m read for ni, rn or
 * in, or one of those pairs read for an m; *hits counts the words found
 * (one is an answer, several are not). */
static const char *merged_letters(const char *w, const char *const *const lists[2], int *hits) {
    static const char *const PAIRS[] = {"ni", "rn", "in", NULL};
    const char *rep = NULL;
    size_t n = strlen(w);
    char v[80];
    for (size_t k = 0; k < n && n + 2 < sizeof v; k++)
        for (int q = 0; PAIRS[q]; q++) {
            int m = -1;
            if (w[k] == 'm') m = snprintf(v, sizeof v, "%.*s%s%s", (int)k, w, PAIRS[q], w + k + 1);
            else if (!strncmp(w + k, PAIRS[q], 2)) m = snprintf(v, sizeof v, "%.*sm%s", (int)k, w, w + k + 2);
            if (m <= 0) continue;
            for (int li = 0; li < 2; li++)
                for (const char *const *c = lists[li]; *c; c++)
                    if (!strcmp(v, *c) && (!rep || strcmp(rep, *c))) {
                        (*hits)++;
                        rep = *c;
                    }
        }
    return rep;
}

/* "Chef Executive Officer": the i of Chief lost. Chef is a title word
 * (French, German), but never of an English title that ends in Officer:
 * there it is Chief, in the word's case. */
static void chief_officer(char *t) {
    size_t n = strlen(t);
    if (n < 12 || strcasecmp(t + n - 8, " officer") || strncasecmp(t, "chef ", 5)) return;
    char out[512];
    int up = isupper((unsigned char)t[1]);
    if (snprintf(out, sizeof out, "%c%s%s", t[0], up ? "HIEF" : "hief", t + 4) >= (int)sizeof out) return;
    memcpy(t, out, strlen(out) + 1);
}

/* 1 when a word of title t holds a character no title's word does (a
 * letter, digit, '.', '-', '&', '/', ',', '(', ')', '+' or an apostrophe
 * aside): "\\el Executive Officer" is a misread for the person to check. */
static int title_odd_chars(const char *t) {
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        if (*p < 0x80 && !isalnum(*p) && !strchr(" .-&/,()+'", *p)) return 1;
    return 0;
}

/* "Business Development ! Manager": a speck read as a mark between two
 * words of a title is dropped (a lone '&', '/', '-' or '+' is the
 * title's own: "Sales & Marketing"). */
static void drop_lone_marks(char *t) {
    char *w = t;
    for (const char *r = t; *r;) {
        size_t n = strcspn(r, " ");
        int mark = n > 0 && r > t && r[n] == ' ';
        for (size_t k = 0; k < n && mark; k++) mark = ispunct((unsigned char)r[k]) && !strchr("&/-+", r[k]);
        if (!mark) {
            memmove(w, r, n);
            w += n;
        }
        r += n;
        if (*r == ' ') {
            if (!mark) *w++ = ' ';
            r++;
        }
    }
    *w = '\0';
}

/* The case of word w (n bytes) given to its replacement fixed: all
 * capitals for a word in capitals, else a capital first when up. */
static void case_as(char *fixed, const char *w, size_t n, int up) {
    int caps = n > 1 && isupper((unsigned char)w[0]) && isupper((unsigned char)w[1]);
    for (char *c = fixed; *c; c++)
        if (caps || c == fixed) *c = (char)(up ? toupper((unsigned char)*c) : *c);
}

/* Title t's words (split at " ,/&-", the marks kept) each given to fix,
 * which writes a word's replacement into out (capacity cap, in the word's
 * case) and answers 1, or answers 0 to keep it as read. Returns how many
 * were replaced; 0, t as read, when the result does not fit. */
typedef int (*title_word_fn)(const char *t, const char *w, size_t n, char *out, size_t cap);
static int rewrite_title_words(char *t, size_t cap, title_word_fn fix) {
    char out[512];
    size_t o = 0;
    int fixed = 0;
    out[0] = '\0';
    for (const char *w = t; *w;) {
        size_t n = strcspn(w, " ,/&-");
        char rep[64];
        int r = fix(t, w, n, rep, sizeof rep);
        int m = r ? snprintf(out + o, sizeof out - o, "%s", rep) : snprintf(out + o, sizeof out - o, "%.*s", (int)n, w);
        if (m < 0 || (size_t)m >= sizeof out - o) return 0; /* too long: as read */
        fixed += r;
        o += (size_t)m;
        w += n;
        size_t sep = strspn(w, " ,/&-");
        m = snprintf(out + o, sizeof out - o, "%.*s", (int)sep, w);
        if (m < 0 || (size_t)m >= sizeof out - o) return 0;
        o += (size_t)m;
        w += sep;
    }
    if (o >= cap) return 0;
    memcpy(t, out, o + 1);
    return fixed;
}

/* fix_title_words' answer for the word w (n bytes) of title t, per
 * rewrite_title_words. A title word OCR misread ("Lxecutive",
 * "Preduct"): a word of six letters or more that is no title word is
 * replaced by the one title word or qualifier of its length that
 * differs in one letter (two from nine
 * letters; OCR swaps letters, it rarely adds or drops them, and "Research"
 * must not become "Researcher"), a word of five letters only by one that
 * differs in a look-alike letter ("Chiet" of Chief); failing that, by the
 * one a letter longer or shorter, or with an m read for ni, rn or in
 * ("Semor" of Senior); keeping its case (first letter, or all capitals);
 * none or several: kept as read. */
static int slip_word(const char *t, const char *w, size_t n, char *fixed, size_t cap) {
    char word[64] = "", low[64];
    if (n > 0 && n < sizeof word) {
        memcpy(word, w, n);
        word[n] = '\0';
    }
    const char *rep = NULL;
    if (n >= 5 && n < sizeof word) {
        int alpha = 1;
        for (size_t k = 0; k < n; k++) alpha &= isalpha((unsigned char)word[k]) != 0;
        fmt_u8_lower_n(word, n, low, sizeof low);
        if (alpha && !role_word(low)) {
            int hits = 0, sbest = 3;
            const char *const *lists[2] = {TITLE_WORDS, ROLE_QUALIFIERS};
            for (int li = 0; li < 2; li++)
                for (const char *const *c = lists[li]; *c; c++) {
                    if (strlen(*c) != n) continue;
                    int d = 0, lookalike = 1;
                    for (size_t k = 0; k < n; k++)
                        if (low[k] != (*c)[k]) {
                            d++;
                            lookalike &= ocr_fld_confusable(low[k], (*c)[k]);
                        }
                    /* five letters: only a letter small print makes of
                     * the other ("Chiet" of Chief); the nearest only
                     * ("Lxecutive": Executive one letter off, Portuguese
                     * Executiva two) */
                    if (d <= (n >= 9 ? 2 : 1) && (n >= 6 || lookalike) && d <= sbest &&
                        (!rep || strcmp(rep, *c))) {
                        if (d < sbest) hits = 0;
                        sbest = d;
                        hits++;
                        rep = *c;
                    }
                }
            /* none of its length: one letter more or less, and a
             * second slip from seven letters ("Dwector" of Director);
             * a word that begins the other, or the other it, is no
             * slip ("Consultants", "Research"); the nearest only
             * ("Drector": Director one edit off, Polish Dyrektor two) */
            int best = 3, best_hits = 0;
            for (int li = 0; li < 2 && hits == 0 && n >= 6; li++)
                for (const char *const *c = lists[li]; *c; c++) {
                    size_t cl = strlen(*c);
                    if ((cl != n + 1 && cl + 1 != n) || !strncmp(low, *c, cl < n ? cl : n)) continue;
                    int d = ocr_text_edit_distance(low, *c);
                    if (d > (n >= 7 ? 2 : 1) || d > best || (rep && d == best && !strcmp(rep, *c))) continue;
                    if (d < best) {
                        best = d;
                        rep = NULL;
                    }
                    if (!rep) {
                        rep = *c;
                        best_hits = 1;
                    } else {
                        best_hits++;
                    }
                }
            if (best < 3) hits = best_hits;
            /* "Semor" of Senior, "Managmg": an m read for ni, rn or
             * in, or one of those for an m */
            if (hits == 0) rep = merged_letters(low, lists, &hits);
            /* the title's first word with its first letters lost at
             * the edge of a glare or a crop ("nancial Analyst"): the
             * one title word it ends, one to three letters longer */
            for (int li = 0; li < 2 && hits == 0 && w == t && islower((unsigned char)word[0]); li++)
                for (const char *const *c = lists[li]; *c; c++) {
                    size_t cl = strlen(*c);
                    if (cl > n && cl <= n + 3 && !strcmp(*c + cl - n, low) && (!rep || strcmp(rep, *c))) {
                        hits++;
                        rep = *c;
                    }
                }
            /* the title's last word with its last letter lost at the
             * edge of a glare or a crop ("Business Development Manage"):
             * the one title word it begins, one letter longer */
            int last = !w[n + strspn(w + n, " ,/&-")];
            for (int li = 0; li < 2 && hits == 0 && last && n >= 6; li++)
                for (const char *const *c = lists[li]; *c; c++)
                    if (strlen(*c) == n + 1 && !strncmp(*c, low, n) && (!rep || strcmp(rep, *c))) {
                        hits++;
                        rep = *c;
                    }
            if (hits != 1) rep = NULL;
        }
    }
    if (!rep) return 0;
    snprintf(fixed, cap, "%s", rep);
    /* a word cut in front takes the case of the word after it */
    const char *next = w + n + strspn(w + n, " ,/&-");
    int up = isupper((unsigned char)word[0]) ||
             (w == t && islower((unsigned char)word[0]) && strlen(rep) > n && isupper((unsigned char)*next));
    case_as(fixed, w, n, up);
    return 1;
}

static void fix_title_words(char *t, size_t cap) { (void)rewrite_title_words(t, cap, slip_word); }

/* fix_title_words_in_context's answer for the word w (n bytes), per
 * rewrite_title_words. */
static int context_word(const char *t, const char *w, size_t n, char *fixed, size_t cap) {
    (void)t;
    const char *const *lists[2] = {TITLE_WORDS, ROLE_QUALIFIERS};
    char low[64];
    const char *rep = NULL;
    int alpha = n >= 4 && n < sizeof low;
    for (size_t k = 0; k < n && alpha; k++) alpha = isalpha((unsigned char)w[k]) != 0;
    if (!alpha) return 0;
    fmt_u8_lower_n(w, n, low, sizeof low);
    int best = n >= 8 ? 2 : 1, hits = 0;
    for (int li = 0; li < 2 && !role_word(low); li++)
        for (const char *const *c = lists[li]; *c; c++) {
            size_t cl = strlen(*c);
            if ((*c)[0] != low[0] || cl + 1 < n || cl > n + 1) continue;
            /* a word that begins the other, or the other it, is a
             * word of its own ("Office", "Programme") */
            if (cl != n && !strncmp(low, *c, cl < n ? cl : n)) continue;
            int d = ocr_text_edit_distance(low, *c);
            if (d < 1 || d > best || (d == best && rep && !strcmp(rep, *c))) continue;
            if (d < best) {
                best = d;
                hits = 0;
            }
            hits++;
            rep = *c;
        }
    if (hits != 1) return 0;
    snprintf(fixed, cap, "%s", rep);
    case_as(fixed, w, n, isupper((unsigned char)w[0]));
    return 1;
}

/* Round 32: a title word read with a slip that fix_title_words leaves
 * (four to seven letters one letter off, "Heod of Partnerships", "Sates
 * Manager"; two off from eight letters, "Managing Discctor": at six,
 * "blower" is two off "broker"), put right only beside a word of the
 * title read whole, the role's context: the one title word or
 * qualifier, of the same first letter, nearest to it; none or several:
 * kept as read. Returns how many words were put right (a guess: the
 * title is then less sure, as a near miss left as read is). */
static int fix_title_words_in_context(char *t, size_t cap) {
    int whole = 0;
    for (const char *w = t; *w;) {
        size_t n = strcspn(w, " ,/&-");
        char low[64];
        if (n > 1 && n < sizeof low) {
            fmt_u8_lower_n(w, n, low, sizeof low);
            whole += role_word(low) && strcmp(low, "of") && strcmp(low, "and") && strcmp(low, "the");
        }
        w += n;
        w += strspn(w, " ,/&-");
    }
    return whole ? rewrite_title_words(t, cap, context_word) : 0;
}

/* 1 when a word of title t (four letters or more) is no title word but
 * one letter off one ("Sates Manager"): a misread the fixes above left,
 * for the person to check. Marks at the word's start go first: a capital
 * read as a quote mark and a letter ("‘eperations Director" of
 * Operations Director, round 35, a held-out hand-held render). */
static int title_near_miss(const char *t) {
    const char *const *lists[2] = {TITLE_WORDS, ROLE_QUALIFIERS};
    for (const char *w = t; *w;) {
        size_t n = strcspn(w, " ,/&-");
        char low[64];
        const char *v = w;
        while (v < w + n && (strchr("'`\"", *v) || (!strncmp(v, "\xe2\x80", 2) && v + 3 <= w + n))) v += *v == '\xe2' ? 3 : 1;
        if (w + n - v >= 4 && n < sizeof low) {
            fmt_u8_lower_n(v, (size_t)(w + n - v), low, sizeof low);
            if (!role_word(low))
                for (int li = 0; li < 2; li++)
                    for (const char *const *c = lists[li]; *c; c++)
                        if (strlen(*c) >= 4 && ocr_text_edit_distance(low, *c) == 1) return 1;
        }
        w += n;
        w += strspn(w, " ,/&-");
    }
    return 0;
}

/* A title cut short is never marked sure (confident from 0.77, the
 * confidence rounded to two places): x0.8 had left a line read at 0.96
 * at 0.77, "Chief Executive Off" and "ve Officer" on the held-out render
 * 7842 marked confident (round 33). */
#define TITLE_CUT_CONF 0.75

/* 1 when a role's title looks cut short, its head or its end lost to a
 * finger, the card's edge or a box of its own (round 26): words that
 * only qualify a role ("Project" of Project Manager, "Business
 * Development" of Business Development Manager), a first word no
 * role's in small letters before a capitalised one ("jopment Manager" of
 * Business Development Manager, "ve Officer"; "iOS Developer" has a
 * capital), or a last
 * word that only begins a title's word ("Chief Execu"; not a short form
 * titles use, "Chief Exec", "Sales Rep"), or a word of three letters or
 * more ended by a dot before a word in small letters ("Softw. are"). */
static int title_cut(const char *t) {
    char buf[256], low[64], *w[16];
    int n = 0;
    snprintf(buf, sizeof buf, "%s", t);
    char *save = NULL;
    for (char *x = strtok_r(buf, " ,/&", &save); x && n < 16; x = strtok_r(NULL, " ,/&", &save)) w[n++] = x;
    if (!n) return 0;
    int quals = 0;
    for (int i = 0; i < n; i++) {
        fmt_u8_lower_n(w[i], strlen(w[i]), low, sizeof low);
        quals += ocr_fld_is_label(low, ROLE_QUALIFIERS) && !ocr_fld_is_label(low, TITLE_WORDS);
    }
    if (quals == n) return 1;
    /* a word broken at a speck read as a dot, its rest in small letters
     * ("Senior Softw. are Engineer", round 34: two pieces of an aslant row
     * joined); an abbreviation ends in its dot before a capital or the
     * end ("Sr. Manager", "Asst. Dir.") */
    for (int i = 0; i + 1 < n; i++) {
        size_t l = strlen(w[i]);
        if (l >= 4 && w[i][l - 1] == '.' && isalpha((unsigned char)w[i][l - 2]) && islower((unsigned char)w[i + 1][0]))
            return 1;
    }
    fmt_u8_lower_n(w[0], strlen(w[0]), low, sizeof low);
    /* ("product Designer", a capital read small, is whole: its first word
     * is a role's; round 33: two letters are a cut word too, "ve Officer"
     * of Chief Executive Officer under a finger's shadow, marked sure at
     * 0.96 on a held-out render; one letter may be a speck) */
    int lower = strlen(w[0]) >= 2 && !role_word(low);
    for (const char *c = w[0]; *c && lower; c++) lower = islower((unsigned char)*c) != 0;
    for (int i = 1; i < n && lower; i++)
        if (isupper((unsigned char)w[i][0])) return 1;
    size_t ll = strlen(w[n - 1]);
    fmt_u8_lower_n(w[n - 1], ll, low, sizeof low);
    /* the short forms titles use ("Sales Rep", "System Admin", "Lab Tech") are whole */
    static const char *const SHORT[] = {"admin", "exec", "tech", "assoc", "coord", "asst", "spec", "mgmt", "eng",
                                        "dev", "rep", "dir", "pres", "prof", "engr", "acct", "mktg", NULL};
    if (n < 2 || ll < 3 || role_word(low) || ocr_fld_is_label(low, SHORT)) return 0;
    const char *const *lists[2] = {TITLE_WORDS, ROLE_QUALIFIERS};
    for (int li = 0; li < 2; li++)
        for (const char *const *c = lists[li]; *c; c++)
            if (strlen(*c) > ll + 1 && !strncmp(*c, low, ll)) return 1;
    return 0;
}

/* The title's confidence: its line's, the lower of its two lines'. */
static double title_conf(const fld_state_t *p) {
    double c = p->l[p->ititle].conf;
    if (p->ititle2 >= 0 && p->l[p->ititle2].conf < c) c = p->l[p->ititle2].conf;
    return c;
}

/* Round 32: a company of one word (a logo's brand, "BELTIS",
 * "Microvida") with a line no field took right under or over it, within
 * its own height and across half its width: what the logo's small print
 * says beside the brand ("IT Solutions", "Informática", read "PTT
 * Solutions |" and "iti Ttrreica") may belong to the company's name
 * (cards_real am04 and am12, whose labels hold it), so the brand alone
 * is not sure. A line of three words or more under a brand is its
 * tagline ("Ihr Partner für Wachstum"), which says nothing. */
#define BRAND_BESIDE_UNTAKEN 0.9
/* 1 when lines a and b overlap across half the narrower one's width or
 * more (one over the other in a column: a brand and its descriptor). */
static int across_half(const fld_line_t *a, const fld_line_t *b) {
    int x0 = a->x > b->x ? a->x : b->x, x1 = a->x + a->w < b->x + b->w ? a->x + a->w : b->x + b->w;
    int narrow = a->w < b->w ? a->w : b->w;
    return 2 * (x1 - x0) >= narrow;
}
static int brand_over_untaken(const fld_state_t *p, const char *company) {
    if (p->icomp < 0 || strchr(company, ' ')) return 0;
    const fld_line_t *c = &p->l[p->icomp];
    if (c->h <= 0 || c->w <= 0) return 0;
    for (size_t i = 0; i < p->n; i++) {
        const fld_line_t *l = &p->l[i];
        if ((int)i == p->icomp || (int)i == p->iname || (int)i == p->ititle || (int)i == p->ititle2 ||
            (l->kind != FLD_OTHER && l->kind != FLD_JUNK) || l->h <= 0 || l->w <= 0)
            continue;
        /* a word or two of letters: a descriptor or its debris; a
         * tagline under a brand ("Innovation that matters") has more */
        int words = 0;
        for (const char *q = l->t; *q;) {
            size_t n = strcspn(q, " "), k;
            for (k = 0; k < n && !isalpha((unsigned char)q[k]) && (unsigned char)q[k] < 0x80; k++) continue;
            words += k < n;
            q += n + strspn(q + n, " ");
        }
        if (words < 1 || words > 2 || tagline(l->t)) continue;
        int gap = l->y >= c->y + c->h ? l->y - (c->y + c->h) : c->y >= l->y + l->h ? c->y - (l->y + l->h) : -1;
        if (gap >= 0 && gap <= c->h && across_half(l, c)) return 1;
    }
    return 0;
}

/* Round 33: a company of one word (a logo's brand) with a line of one or
 * two words right under it, in smaller print, across half its width or
 * more, read well (DESCRIPTOR_READ), each word capitalised, no digits, no
 * field took it and it is not a tagline, a unit of the firm or a role:
 * the descriptor the logo sets under the brand ("BELTIS" over "IT
 * Solutions", cards_real am04; "Microvida" over "Informática"), which is
 * part of the name printed - the brand and it are the company. A line of
 * three words is a claim ("PEÇAS ORIGINAIS CHEVROLET" under am08's
 * CHEVROLESTE, not part of its name). Never sure (DESCRIPTOR_CONF): a
 * slogan of capitalised words reads the same. Only when one line is such.
 * Returns the line's index or -1. */
#define DESCRIPTOR_READ 0.8f
#define DESCRIPTOR_CONF 0.85
static int brand_descriptor(const fld_state_t *p, const char *company) {
    static const char *const JOIN[] = {"&", "e", "de", "da", "do", "and", "of", "y", "et", "und", NULL};
    /* a slogan's words (NOT_NAME_WORDS also holds a firm's trades,
     * "Solutions", "Serviços", which a descriptor is made of) */
    static const char *const SLOGAN[] = {"the",    "for",       "with",   "best",    "quality",  "trust", "since",
                                         "desde",  "qualidade", "melhor", "calidad", "qualität", "open",  "hours", NULL};
    if (p->icomp < 0 || strchr(company, ' ') || p->comp_text[0]) return -1;
    const fld_line_t *c = &p->l[p->icomp];
    if (c->h <= 0 || c->w <= 0) return -1;
    int found = -1;
    for (size_t i = 0; i < p->n; i++) {
        const fld_line_t *l = &p->l[i];
        if ((int)i == p->icomp || (int)i == p->iname || (int)i == p->ititle || (int)i == p->ititle2 ||
            l->kind != FLD_OTHER || l->h <= 0 || l->w <= 0 || l->conf < DESCRIPTOR_READ || 5 * l->h > 4 * c->h)
            continue;
        int gap = l->y - (c->y + c->h);
        if (gap < -c->h / 4 || gap > c->h || !across_half(l, c)) continue;
        /* one or two capitalised words of letters (joining words small) */
        int words = 0, ok = 1;
        for (const char *q = l->t; *q && ok;) {
            size_t n = strcspn(q, " ");
            const char *e = q + n;
            char w[64], k[64];
            for (const char *r = q; r < e && ok; r++) ok = !isdigit((unsigned char)*r);
            if (!ok || n >= sizeof w) {
                ok = 0;
                break;
            }
            fmt_u8_lower_n(q, n, w, sizeof w);
            if (!ocr_fld_is_label(w, JOIN)) {
                const char *r = q;
                unsigned first = fmt_u8_next(&r);
                /* longer than "Telecommunications": words run together */
                fmt_u8_key(w, k, sizeof k);
                ok = ocr_fld_is_upper(first) && n >= 2 && strlen(k) <= 18;
                words++;
            }
            q = e + strspn(e, " ");
        }
        if (!ok || words < 1 || words > 2 || tagline(l->t) || ocr_fld_org_unit(l->t) || ocr_fld_title_words(l->t) ||
            ocr_fld_count_listed(l->t, " ,/&-", SLOGAN))
            continue;
        if (found >= 0) return -1;
        found = (int)i;
    }
    return found;
}

void ocr_fld_put_people(const fld_state_t *p, json_t *o, json_t *conf) {
    char name[512] = "", given[256] = "", family[256] = "";
    double cname = 0;
    if (p->iname >= 0) {
        name_core(p->l[p->iname].t, name, sizeof name);
        ocr_fld_trim_punct(name);
        int backed, ncaps = 0, ninit = 0, nsh = name_shape_ex(name, &ncaps, &ninit);
        cname = name_conf_backed(p, name, &backed);
        /* all in capitals, with only the role under it for support
         * ("BLUE OCEAN" over "Sales Director" reads the same): never sure */
        if (!backed && nsh && ncaps == nsh) cname *= 0.85f;
        if (p->name_doubted) cname *= DISAGREE_NAME_CONF;
        char *sp = strrchr(name, ' ');
        /* a generational suffix belongs to the family name: "Righetti Jr.", "Silva Filho" */
        if (sp && sp > name) {
            char low[32];
            fmt_u8_lower_n(sp + 1, strlen(sp + 1), low, sizeof low);
            if (ocr_fld_is_label(low, SUFFIX)) {
                char *b = sp - 1;
                while (b > name && b[-1] != ' ') b--;
                if (b > name) sp = b - 1;
            }
        }
        /* the particles before the last name belong to it: "van der Berg",
         * and capitalised as Belgians and Brazilians write them: "Pieter
         * Van den Broeck", "Ana De Souza" (never the first word) */
        while (sp && sp > name) {
            char *b = sp - 1;
            while (b > name && b[-1] != ' ') b--;
            char low[8];
            size_t bl = (size_t)(sp - b);
            if (b == name || bl >= sizeof low) break;
            fmt_u8_lower_n(b, bl, low, sizeof low);
            if (!name_particle(low, strlen(low))) break;
            sp = b - 1;
        }
        if (sp) {
            snprintf(given, sizeof given, "%.*s", (int)(sp - name), name);
            snprintf(family, sizeof family, "%s", sp + 1);
        }
        caps_family(name, given, sizeof given, family, sizeof family);
        family_first(name, p->local, given, sizeof given, family, sizeof family);
    } else if (p->iafter_number >= 0) {
        /* one given name, or given and family; never sure: a word after
         * a number may be a place or a brand the rules do not know */
        snprintf(name, sizeof name, "%s", p->after_number);
        cname = p->l[p->iafter_number].conf * 0.6;
        const char *sp = strchr(name, ' ');
        snprintf(given, sizeof given, "%.*s", sp ? (int)(sp - name) : (int)strlen(name), name);
        if (sp) snprintf(family, sizeof family, "%s", sp + 1);
    }
    ocr_fld_set_field(o, conf, "name", name, cname);
    json_object_set_new(o, "given_name", json_string(given));
    json_object_set_new(o, "family_name", json_string(family));
    char title[512] = "", company[512] = "";
    int title_guessed = 0;
    if (p->ititle >= 0) {
        if (p->ititle2 >= 0)
            snprintf(title, sizeof title, "%s, %s", p->l[p->ititle].t, p->l[p->ititle2].t);
        else
            snprintf(title, sizeof title, "%s", p->l[p->ititle].t);
        de_from_ce(title);
        drop_lone_marks(title);
        fix_title_words(title, sizeof title);
        title_guessed = fix_title_words_in_context(title, sizeof title) > 0;
        chief_officer(title);
    }
    int completed = 0, beside = 0, described = 0;
    if (p->icomp >= 0) {
        snprintf(company, sizeof company, "%s", p->comp_text[0] ? p->comp_text : p->l[p->icomp].t);
        trim_company_debris(company);
        ocr_fld_trim_punct(company);
        completed = complete_from_domain(p, company, sizeof company) ||
                    head_from_domain(p, &p->l[p->icomp], company, sizeof company) ||
                    brand_before_form(p, company, sizeof company);
        int d = brand_descriptor(p, company);
        if (d >= 0 && strlen(company) + strlen(p->l[d].t) + 2 <= sizeof company) {
            strcat(company, " ");
            strcat(company, p->l[d].t);
            described = 1;
        }
    } else {
        beside = brand_beside_trade(p, company, sizeof company);
    }
    /* a title is a person's: on a card with no name the line is as often
     * the trade or the service offered ("ASSISTÊNCIA TÉCNICA EM GERAL"),
     * so it is never marked confident there */
    ocr_fld_set_field(o, conf, "title", title,
                      p->ititle >= 0 ? title_conf(p) * (ocr_fld_title_words(title) ? 1 : 0.8) *
                                           (title_near_miss(title) ? 0.9 : 1) * (title_guessed ? 0.8 : 1) * (title_odd_chars(title) ? 0.85 : 1) *
                                           (title_cut(title) ? TITLE_CUT_CONF : 1) *
                                           (p->iname >= 0 ? 1 : TITLE_NO_NAME)
                                     : 0);
    /* never sure: the brand's spelling and word breaks are the e-mail's */
    ocr_fld_set_field(o, conf, "company", company,
                      beside ? BRAND_BESIDE_TRADE
                      : p->icomp >= 0 ? p->l[p->icomp].conf *
                                          ((domain_match(company, p) > 0 && !piece_of_brand(p, company)) || ocr_fld_company_marks(company) ? 1 : 0.7) *
                                          (completed ? 0.85 : 1) * (form_cut_short(company) ? 0.85 : 1) *
                                          (form_misread(company) || odd_start(company) ? 0.85 : 1) *
                                          (brand_over_untaken(p, company) ? BRAND_BESIDE_UNTAKEN : 1) *
                                          (p->form_mended == p->icomp + 1 ? 0.85 : 1) *
                                          (described ? DESCRIPTOR_CONF : 1)
                                    : 0);
}
