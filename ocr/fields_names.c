/* fields_names.c - name, company and title, for the field parser: the word
 * lists (legal forms, title words in en/de/fr/ru), the shape of a personal
 * name, how well a line matches the e-mail/web domain or the e-mail's local
 * part, the stage that picks the name (name-shaped, large, matching the
 * local part), the company (legal form or domain match) and the title (the
 * line under the name, else title words) among the lines still undecided,
 * and the cross-checks that let the company fix a near-miss domain and the
 * name a one-letter slip in the e-mail's local part. */
#include "ocr/fields_internal.h"

#include "firmware/formats/utf8.h"

#include <stdio.h>
#include <string.h>

static const char *const COMPANY_MARKS[] = {
    "inc", "inc.", "llc", "ltd", "ltd.", "limited", "plc", "gmbh", "ag", "kg", "ohg", "gbr", "ug", "e.k.", "se",
    "sa", "s.a.", "sas", "s.a.s.", "sarl", "s.a.r.l.", "s.a.r.l", "eurl", "snc", "sci", "group", "groupe", "corp",
    "corp.", "corporation", "co.", "llp", "lp", "bv", "b.v.", "nv", "n.v.", "s.p.a.", "spa", "srl", "oy", "ab",
    "holding", "holdings", "partners", "associates", "sons", "fils", "gmbh&co.", "kgaa", "mbh", "ооо", "оао", "ао",
    "зао", "пао", "нпо", "ип", "гк", "тоо", "фгуп", "мup", "нко", "ано", "and", "und", "et", "и",
    /* legal forms of more countries: Brazil/Portugal, Spain/Latin America,
     * Italy, Poland, Nordics, Central Europe, Asia */
    "ltda", "ltda.", "s/c", "s/a", "eireli", "epp", "lda", "lda.", "s.l.", "s.l", "slu", "s.l.u.", "s.a.c.",
    "s.r.l.", "s.a.s.", "s.c.", "s.de", "c.v.", "sp.", "z.o.o.", "o.o.", "a/s", "aps", "asa", "oyj", "s.r.o.",
    "a.s.", "kft", "kft.", "zrt", "zrt.", "d.o.o.", "pte", "pte.", "pvt", "pvt.", "sdn", "bhd", "bhd.", "k.k.",
    "co.,", "tbk", "jsc", "llc.", "inc,", "ltd,", "company", "cia", "cia.", "&cia", NULL};

int ocr_fld_company_marks(const char *s) {
    int n = ocr_fld_count_listed(s, " ,", COMPANY_MARKS);
    if (strstr(s, "\xc2\xab") || strstr(s, "&")) n++; /* « */
    return n;
}

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
        if (!fmt_u8_is_upper(c)) {
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
        while (p < end) {
            c = fmt_u8_next(&p);
            if (!fmt_u8_is_letter(c) && c != '-' && c != '\'' && c != '.') return 0;
            if (fmt_u8_is_letter(c)) {
                letters++;
                if (fmt_u8_is_upper(c)) {
                    uppers++;
                    /* "McDonald", "O'Neill", "Jean-Luc" are fine */
                    if (fmt_u8_is_upper(prev) && prev != 'c') inner = 1;
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
        cur = fmt_u8_is_letter(c) ? cur + 1 : 0;
        if (cur > longest) longest = cur;
    }
    if (longest < 3) return 0;
    return words;
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
    int d = ocr_fld_edit_distance(key, stem);
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

int ocr_fld_not_name_words(const char *s) {
    int n = ocr_fld_count_listed(s, " ,/&-", NOT_NAME_WORDS);
    if (strpbrk(s, "!?:")) n++;
    return n;
}


/* ------------------------------------------------ name, company, title */

/* The key of a domain's registrable label: "lyonsbaker" for
 * lyonsbaker.co.uk, "beltis" for beltis.com.br. */
static void domain_stem(const char *dom, char *stem, size_t n) {
    size_t off, len;
    char lab[256];
    if (!ocr_fld_host_stem(dom, &off, &len) || len >= sizeof lab) {
        stem[0] = '\0';
        return;
    }
    memcpy(lab, dom + off, len);
    lab[len] = '\0';
    fmt_u8_key(lab, stem, n);
}

/* What the name and company are matched against: the first e-mail's local
 * part and its domain's stem, or the first website's stem. */
static void domain_keys(fld_state_t *p) {
    if (p->nemails) {
        const char *at = strchr(p->emails[0].s, '@');
        snprintf(p->local, sizeof p->local, "%.*s", (int)(at - p->emails[0].s), p->emails[0].s);
        char dom[256];
        snprintf(dom, sizeof dom, "%s", at + 1);
        domain_stem(dom, p->stem, sizeof p->stem);
    } else if (p->nsites) {
        char host[256];
        ocr_fld_site_host(p->sites[0].s, host, sizeof host);
        char *h = host;
        if (!strncmp(h, "www.", 4)) h += 4;
        domain_stem(h, p->stem, sizeof p->stem);
    }
}

static int line_digits(const char *s) {
    int d = 0;
    for (; *s; s++) d += *s >= '0' && *s <= '9';
    return d;
}

/* A line's height relative to the tallest undecided line (0.5 without boxes). */
static double line_size(const fld_line_t *l, int maxh) { return l->h ? (double)l->h / maxh : 0.5; }

/* How much a line looks like the company: legal form mark cm, domain match
 * dm, size, minus shape (a name-shaped line) and title words tw. */
static double company_score(double cm, double dm, double size, double shape, int tw) {
    return 2.0 * cm + 2.0 * dm + 0.5 * size - shape - 0.5 * tw;
}

/* With no legal form and no domain match, the company is the line set in
 * the largest type when it stands out (x-height 1.3 times the card's median
 * line or more): the business's name on a card that names nobody, the
 * brand above a person's name. Not a sentence (<= 6 words), not the name,
 * read with fair confidence. Index or -1. */
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
        if (10 * l->h < 13 * med) continue;
        if (best < 0 || l->h > p->l[best].h) best = (int)i;
    }
    /* the name's own line is often the largest on a person's card: the brand
     * must be larger than the name to be taken for the company */
    if (best >= 0 && iname >= 0 && p->l[best].h <= p->l[iname].h) return -1;
    return best;
}

static void pick_name_company(fld_state_t *p, int maxh) {
    int iname = -1, icomp = -1;
    double bestn = 0.5, bestc = 0.5;
    for (size_t i = 0; i < p->n; i++) {
        fld_line_t *l = &p->l[i];
        if (l->kind != FLD_OTHER) continue;
        double cm = ocr_fld_company_marks(l->t) ? 1.0 : 0;
        double dm = domain_match(l->t, p->stem);
        int ncaps = 0, ninit = 0;
        int ns = name_shape_ex(l->t, &ncaps, &ninit);
        /* a line all in capitals is a name only when the e-mail or an
         * initial says so ("R. OLIVEIRA"), and capitals read poorly are a
         * logo's debris ("Wer NOR") */
        if (ns && ncaps + ninit == ns && !ninit && local_match(l->t, p->local) <= 0) ns = 0;
        if (ns && ncaps && l->conf < 0.6f) ns = 0;
        double size = line_size(l, maxh);
        double sn = ns ? 1.0 + 1.5 * size + 1.5 * local_match(l->t, p->local) - 1.5 * cm - dm - ocr_fld_title_words(l->t)
                       : 0;
        if (l->conf < 0.5f) sn -= 1.0; /* a name read this poorly is more likely a logo */
        if (ns) sn -= 2.0 * ocr_fld_not_name_words(l->t); /* a department, a tagline */
        if (ns == 2) sn += 0.3;
        double sc = company_score(cm, dm, size, ns ? 0.3 : 0, ocr_fld_title_words(l->t));
        if (ocr_fld_count_words(l->t) > 6) sc -= 1;
        if (line_digits(l->t) >= 6) sc -= 2; /* a number's debris, not a name */
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
        for (size_t i = 0; i < p->n; i++) {
            fld_line_t *l = &p->l[i];
            if (l->kind != FLD_OTHER || (int)i == iname) continue;
            double sc = company_score(ocr_fld_company_marks(l->t) ? 1 : 0, domain_match(l->t, p->stem), line_size(l, maxh),
                                      0, ocr_fld_title_words(l->t));
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

/* The title sits right under the name; failing that, a line with title words. */
static void pick_title(fld_state_t *p) {
    int ititle = -1;
    if (p->iname >= 0) {
        int b = ocr_fld_below(p, p->iname);
        if (b >= 0 && p->l[b].kind == FLD_OTHER && ocr_fld_count_words(p->l[b].t) <= 8) ititle = b;
    }
    if (ititle < 0) {
        int bt = 0;
        for (size_t i = 0; i < p->n; i++)
            if (p->l[i].kind == FLD_OTHER && ocr_fld_title_words(p->l[i].t) > bt) {
                bt = ocr_fld_title_words(p->l[i].t);
                ititle = (int)i;
            }
    }
    if (ititle >= 0) p->l[ititle].kind = FLD_TITLE;
    p->ititle = ititle;
}

void ocr_fld_find_people(fld_state_t *p) {
    domain_keys(p);
    int maxh = 1;
    for (size_t i = 0; i < p->n; i++)
        if (p->l[i].kind == FLD_OTHER && p->l[i].h > maxh) maxh = p->l[i].h;
    pick_name_company(p, maxh);
    pick_title(p);
}

/* ------------------------------------------------ cross-checks */

/* The company name corroborates the domain: "Lyons-Baker" makes
 * lyonshaker.co.uk lyonsbaker.co.uk (same length, one or two letters). */
static void company_fixes_domains(fld_state_t *p) {
    if (p->icomp < 0) return;
    char ck[256] = "", fk[128] = "", buf[512];
    snprintf(buf, sizeof buf, "%s", p->l[p->icomp].t);
    char *save = NULL;
    for (char *w = strtok_r(buf, " ,", &save); w; w = strtok_r(NULL, " ,", &save)) {
        if (ocr_fld_company_marks(w)) continue;
        char k[128];
        fmt_u8_key(w, k, sizeof k);
        if (!fk[0]) snprintf(fk, sizeof fk, "%s", k);
        strncat(ck, k, sizeof ck - strlen(ck) - 1);
    }
    for (int i = 0; i < p->nemails; i++)
        if (!ocr_fld_fix_stem(p->emails[i].s, sizeof p->emails[i].s, ck))
            ocr_fld_fix_stem(p->emails[i].s, sizeof p->emails[i].s, fk);
    for (int i = 0; i < p->nsites; i++)
        if (!ocr_fld_fix_stem(p->sites[i].s, sizeof p->sites[i].s, ck))
            ocr_fld_fix_stem(p->sites[i].s, sizeof p->sites[i].s, fk);
}

/* Replace the local part of email (capacity cap) by the one of the nc
 * candidates it misses by one letter, unless one matches exactly. */
static void fix_local(char *email, size_t cap, char c[][260], int nc) {
    char *at = strchr(email, '@');
    size_t ll = (size_t)(at - email);
    int exact = 0, hit = -1;
    for (int k = 0; k < nc; k++) {
        if (strlen(c[k]) == ll && !strncmp(c[k], email, ll)) exact = 1;
        else if (hit < 0 && ll >= 5 && strlen(c[k]) == ll) {
            int d = 0;
            for (size_t q = 0; q < ll; q++) d += c[k][q] != email[q];
            if (d == 1) hit = k;
        }
    }
    if (exact || hit < 0) return;
    char rest[256];
    snprintf(rest, sizeof rest, "%s", at);
    size_t hl = strlen(c[hit]), rl = strlen(rest);
    if (hl + rl < cap) { /* else keep the e-mail as read */
        memcpy(email, c[hit], hl);
        memcpy(email + hl, rest, rl + 1);
    }
}

/* The name corroborates the e-mail's local part (harrisi -> harrisl). */
static void name_fixes_local(fld_state_t *p) {
    if (p->iname < 0 || !p->nemails) return;
    char nm[512];
    snprintf(nm, sizeof nm, "%s", p->l[p->iname].t);
    char *sp = strrchr(nm, ' ');
    if (!sp) return;
    *sp = '\0';
    char g[128], f[128];
    fmt_u8_key(nm, g, sizeof g);
    fmt_u8_key(sp + 1, f, sizeof f);
    if (!g[0] || !f[0]) return;
    /* the local parts people make of their given and family names */
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
    for (int i = 0; i < p->nemails; i++) fix_local(p->emails[i].s, sizeof p->emails[i].s, c, 12);
}

void ocr_fld_cross_check(fld_state_t *p) {
    company_fixes_domains(p);
    name_fixes_local(p);
}

/* ------------------------------------------------ output */

/* The one word in capitals of a mixed-case name is the family name,
 * wherever it stands ("TANAKA Hiroshi", "NGUYEN Van An", "Jean DUPONT"). */
static void caps_family(const char *name, char *given, size_t gn, char *family, size_t fn) {
    const char *fam = NULL;
    size_t fl = 0;
    int ncaps = 0, nwords = 0;
    for (const char *w = name; *w;) {
        while (*w == ' ') w++;
        if (!*w) break;
        size_t wl = strcspn(w, " ");
        int letters = 0, uppers = 0;
        for (const char *q = w; q < w + wl;) {
            unsigned c = fmt_u8_next(&q);
            letters += fmt_u8_is_letter(c) != 0;
            uppers += fmt_u8_is_upper(c) != 0;
        }
        nwords++;
        if (letters >= 2 && uppers == letters) {
            ncaps++;
            fam = w;
            fl = wl;
        }
        w += wl;
    }
    if (ncaps != 1 || nwords < 2) return;
    char g[256] = "";
    size_t gl = 0;
    for (const char *w = name; *w;) {
        while (*w == ' ') w++;
        if (!*w) break;
        size_t wl = strcspn(w, " ");
        if (w != fam && gl + wl + 2 < sizeof g) {
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

void ocr_fld_put_people(const fld_state_t *p, json_t *o, json_t *conf) {
    char name[512] = "", given[256] = "", family[256] = "";
    double cname = 0;
    if (p->iname >= 0) {
        snprintf(name, sizeof name, "%s", p->l[p->iname].t);
        ocr_fld_trim_punct(name);
        cname = p->l[p->iname].conf;
        if (local_match(name, p->local) > 0) cname = cname + (1 - cname) * 0.5;
        char *sp = strrchr(name, ' ');
        /* the particles before the last name belong to it: "van der Berg" */
        while (sp && sp > name) {
            char *b = sp - 1;
            while (b > name && b[-1] != ' ') b--;
            if (b == name || !name_particle(b, (size_t)(sp - b))) break;
            sp = b - 1;
        }
        if (sp) {
            snprintf(given, sizeof given, "%.*s", (int)(sp - name), name);
            snprintf(family, sizeof family, "%s", sp + 1);
        }
        caps_family(name, given, sizeof given, family, sizeof family);
    }
    ocr_fld_set_field(o, conf, "name", name, cname);
    json_object_set_new(o, "given_name", json_string(given));
    json_object_set_new(o, "family_name", json_string(family));
    char title[512] = "", company[512] = "";
    if (p->ititle >= 0) snprintf(title, sizeof title, "%s", p->l[p->ititle].t);
    if (p->icomp >= 0) {
        snprintf(company, sizeof company, "%s", p->l[p->icomp].t);
        ocr_fld_trim_punct(company);
    }
    ocr_fld_set_field(o, conf, "title", title,
                      p->ititle >= 0 ? p->l[p->ititle].conf * (ocr_fld_title_words(title) ? 1 : 0.8) : 0);
    ocr_fld_set_field(o, conf, "company", company,
                      p->icomp >= 0 ? p->l[p->icomp].conf *
                                          (domain_match(company, p->stem) > 0 || ocr_fld_company_marks(company) ? 1 : 0.7)
                                    : 0);
}
