/* scan.c - orientation, script and language choice for one card.
 *
 * One full Tesseract pass per card, in the language of the card's script
 * (OSD: Latin -> eng, Cyrillic -> rus). Then only the lines that need it
 * are read again, one by one: on a Cyrillic card the e-mail/web lines with
 * eng; on a card with German or French cues (domain, +49/+33, words like
 * Straße, GmbH, Tél, rue) the name/title/company/address lines with deu or
 * fra, for the umlauts and accents eng does not have. A card whose pass
 * reads badly is read once more with the other script. */
#include "ocr/scan.h"

#include "ocr/accents.h"
#include "firmware/core/err.h"
#include "firmware/formats/utf8.h"

#define GR_LOG_MODULE "ocr"
#include "firmware/core/log.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { PSM_BLOCK = 6, PSM_SPARSE = 11 };

void ocr_scan_warm(ocr_tess_t *t) {
    /* Load the primary engines now: a first scan should not pay for it. */
    ocr_gray_t g = {0};
    g.width = g.height = 32;
    g.pixels = malloc(32 * 32);
    if (!g.pixels) return;
    memset(g.pixels, 255, 32 * 32);
    ocr_lines_t ls = {0};
    double far = gr_now_mono() + 30;
    static const char *const prim[] = {"eng", "rus", "deu", "fra"};
    for (size_t i = 0; i < sizeof prim / sizeof *prim; i++)
        if (ocr_tess_has(t, prim[i])) (void)ocr_tess_read(t, prim[i], &g, PSM_SPARSE, far, &ls, NULL);
    int turns;
    (void)ocr_tess_osd(t, &g, &turns, NULL, 0, NULL);
    ocr_lines_free(&ls);
    free(g.pixels);
}

/* Where w first stands in s, compared without case; NULL when nowhere. */
static const char *find_ci(const char *s, const char *w) {
    size_t n = strlen(w);
    for (; *s; s++)
        if (!strncasecmp(s, w, n)) return s;
    return NULL;
}

static int has_ci(const char *s, const char *w) { return find_ci(s, w) != NULL; }

/* The language of the country line t names (0 German, 1 French, 2
 * Portuguese, 3 Spanish; 4 another country), or -1: its calling code
 * ("+49 89 ..."; "+39" is another country), or a country domain ending a
 * word ("f.schafer@vantage.de", "vantage.de/kontakt") or, on an e-mail or
 * site line, "de" as its last word (the dot read as a space: "{ schafer
 * @vantage de"). */
static int country_language(const char *t) {
    static const char *const code[4][7] = {{"+49", "+43", NULL},
                                           {"+33", NULL},
                                           {"+55", "+351", NULL},
                                           {"+34", "+52", "+54", "+56", "+51", "+57", NULL}};
    const char *plus = strchr(t, '+');
    while (plus && !isdigit((unsigned char)plus[1])) plus = strchr(plus + 1, '+');
    if (plus) {
        for (int l = 0; l < 4; l++)
            for (int k = 0; code[l][k]; k++)
                if (!strncmp(plus, code[l][k], strlen(code[l][k]))) return l;
        return 4;
    }
    static const char *const tld[4][6] = {{"de", "at", NULL},
                                          {"fr", NULL},
                                          {"br", "pt", NULL},
                                          {"es", "mx", "ar", "cl", "pe", NULL}};
    size_t n = strlen(t);
    while (n && strchr(" .,;|)", t[n - 1])) n--;
    int web = strchr(t, '@') || has_ci(t, "www");
    for (size_t i = 1; i + 2 <= n; i++) {
        int dot = t[i - 1] == '.' && i >= 2 && isalnum((unsigned char)t[i - 2]);
        int last = web && t[i - 1] == ' ' && i + 2 == n;
        /* a word goes on, or a local part ends there ("maria.es@") */
        if ((!dot && !last) || (i + 2 < n && (isalnum((unsigned char)t[i + 2]) || t[i + 2] == '@'))) continue;
        if (!isalpha((unsigned char)t[i]) || !isalpha((unsigned char)t[i + 1])) continue;
        for (int l = 0; l < 4; l++)
            for (int k = 0; tld[l][k]; k++)
                if (!strncasecmp(t + i, tld[l][k], 2)) return l;
        /* another country's domain ends an address: "lumina.it" (not a
         * vanity one: "aurora.io") */
        if (web && dot && ocr_fields_country_tld(t + i)) return 4;
    }
    return -1;
}

/* 1 when text holds cue; a cue ending in an abbreviation's dot and a
 * space ("av. ", "jd. ") also when a capital follows the dot: the line
 * recogniser runs the words together ("Jd.Samara-SP-(Travessa ...)",
 * cards_real am03, whose Tesseract reading "Jd. »SamarasSP" it replaces). */
static int cue_in(const char *text, const char *cue) {
    if (has_ci(text, cue)) return 1;
    size_t n = strlen(cue);
    if (n < 3 || cue[n - 1] != ' ' || cue[n - 2] != '.') return 0;
    char head[16];
    snprintf(head, sizeof head, "%.*s", (int)(n - 1), cue);
    for (const char *p = find_ci(text, head); p; p = find_ci(p + 1, head))
        if (isupper((unsigned char)p[n - 1]) && (p == text || !isalpha((unsigned char)p[-1]))) return 1;
    return 0;
}

/* ocr_scan_latin_cues (scan.h); a country's calling code or domain counts
 * twice (country_language). */
const char *ocr_scan_latin_cues(const ocr_lines_t *ls, int min_cues) {
    static const char *const de[] = {"gmbh", "telefon", "straße", "strasse", "str.", "mobil:", "handy",
                                     "e-mail:", "weg ", "platz ", "allee ", "ring ", " kg", " ag", "fax:", NULL};
    static const char *const fr[] = {"tél", "courriel", "portable", "rue ", "boulevard", "avenue ",
                                     "chemin", "sarl", "s.a.r.l", " sas", "allée", "cedex", "fax :", "tél :", NULL};
    static const char *const pt[] = {"ltda", "rua ", "av. ", "cep", "são ", "ção", "ções", "fone",
                                     "cel.", "celular", "bairro", "jd. ", "telefone", "contato", "ã", "õ", NULL};
    static const char *const es[] = {"calle", "teléfono", "móvil",
                                     "s.l.", "ñ", "avda", "c/ ", "ción", "correo", NULL};
    int nd = 0, nf = 0, np = 0, ne = 0, no = 0;
    int *by_country[5] = {&nd, &nf, &np, &ne, &no};
    for (size_t i = 0; i < ls->n; i++) {
        for (int k = 0; de[k]; k++) nd += cue_in(ls->v[i].text, de[k]);
        for (int k = 0; fr[k]; k++) nf += cue_in(ls->v[i].text, fr[k]);
        for (int k = 0; pt[k]; k++) np += cue_in(ls->v[i].text, pt[k]);
        for (int k = 0; es[k]; k++) ne += cue_in(ls->v[i].text, es[k]);
        int cl = country_language(ls->v[i].text);
        if (cl >= 0) *by_country[cl] += 2;
    }
    int best = nd > nf ? nd : nf;
    if (np > best) best = np;
    if (ne > best) best = ne;
    if (best < min_cues) return NULL;
    /* a unique winner only, and over another country's code and domain
     * ("+39", "lumina.it": an Italian card whose "+39" was read "+33") */
    if (no >= best || (nd == best) + (nf == best) + (np == best) + (ne == best) > 1) return NULL;
    return nd == best ? "deu" : nf == best ? "fra" : np == best ? "por" : "spa";
}

/* The card's language when two cues or more show it. */
static const char *latin_language(const ocr_lines_t *ls) { return ocr_scan_latin_cues(ls, 2); }

/* 1 when t holds an '@', "www" or "http". */
static int mail_web_marks(const char *t) { return strchr(t, '@') || has_ci(t, "www") || has_ci(t, "http"); }

/* Lines whose content is Latin by nature (e-mail, URL) even on a Cyrillic
 * card: '@', www, http, or a word with a dot inside ("про.ги" is npo.ru
 * read with the Russian model). */
static int latin_content(const char *t) {
    if (mail_web_marks(t)) return 1;
    for (const char *p = t; *p; p++)
        if (*p == '.' && p > t && p[1] && p[-1] != ' ' && p[1] != ' ' && !isdigit((unsigned char)p[1]) &&
            !isdigit((unsigned char)p[-1]))
            return 1;
    return 0;
}

/* The last word is a top-level domain read apart ("thneswtoddsantos Com"):
 * an e-mail or host name whose '@' or dot was lost. */
static int tld_tail(const char *t) {
    static const char *const tld[] = {"com", "de", "fr", "ru", "org", "net", "uk", "co.uk", "io", "eu", "biz", NULL};
    const char *w = strrchr(t, ' ');
    w = w ? w + 1 : t;
    w += strspn(w, ".,");
    for (int k = 0; tld[k]; k++)
        if (!strcasecmp(w, tld[k])) return 1;
    return 0;
}

static int digits(const char *t) {
    int d = 0;
    for (; *t; t++) d += isdigit((unsigned char)*t) != 0;
    return d;
}

/* Lines that carry words in the card's language (not e-mail/URL/number,
 * not logo debris). */
static int word_line(const char *t) {
    int letters = 0;
    for (const char *p = t; *p; p++) letters += isalpha((unsigned char)*p) || (unsigned char)*p >= 0xC0;
    return !latin_content(t) && digits(t) < 7 && letters >= 4;
}

static int spaces(const char *t) {
    int n = 0;
    for (; *t; t++) n += *t == ' ';
    return n;
}

typedef struct {
    ocr_tess_t *t;
    const char *lang;
    const char *lang2; /* a second list, or NULL (in_lean_words) */
} word_list_t;

static int in_word_list(void *ctx, const char *word) {
    const word_list_t *wl = ctx;
    return ocr_tess_is_word(wl->t, wl->lang, word);
}

int ocr_scan_spelled(ocr_tess_t *t, const char *lang, const char *word) {
    return ocr_spelling_has(ocr_tess_spelling(t, lang), word) || ocr_spelling_has(ocr_tess_spelling(t, "eng"), word);
}

static int in_spelling(void *ctx, const char *word) {
    const word_list_t *wl = ctx;
    return ocr_scan_spelled(wl->t, wl->lang, word);
}

/* A reading in the card's language that only adds marks to the first
 * reading's letters, each marked word a word of the language, is kept
 * when this much less confident at most: English has no letters for the
 * marks, and the language's model reads them with less confidence
 * ("Luíza Almeida" 0.67 for "Luiza Almeida" 0.93). */
#define MARKS_SLACK 0.3f

/* Re-read the lines chosen by `pick` with langs; keep a reading when
 * `force` or when it is at least as confident (minus slack), or when it
 * adds marks the word list of langs (one language; NULL: none) vouches
 * for and is no more than MARKS_SLACK less confident. */
static int reread(ocr_tess_t *t, const char *langs, const ocr_gray_t *g, ocr_lines_t *ls, int (*pick)(const char *),
                  int force, float slack, const char *marks_lang, double deadline) {
    const ocr_line_t **sel = calloc(ls->n ? ls->n : 1, sizeof *sel);
    size_t *idx = calloc(ls->n ? ls->n : 1, sizeof *idx);
    char **texts = calloc(ls->n ? ls->n : 1, sizeof *texts);
    float *confs = calloc(ls->n ? ls->n : 1, sizeof *confs);
    int rc = GR_ERR_NOMEM;
    if (!sel || !idx || !texts || !confs) goto out;
    size_t n = 0;
    for (size_t i = 0; i < ls->n; i++)
        if (pick(ls->v[i].text) && (force || ls->v[i].conf >= 0.5f)) {
            sel[n] = &ls->v[i];
            idx[n++] = i;
        }
    rc = ocr_tess_read_lines(t, langs, g, sel, n, deadline, texts, confs);
    for (size_t k = 0; k < n; k++) {
        ocr_line_t *l = &ls->v[idx[k]];
        if (texts[k]) {
            size_t tl = strlen(texts[k]);
            while (tl && (texts[k][tl - 1] == ' ' || texts[k][tl - 1] == '\n')) texts[k][--tl] = '\0';
        }
        /* a single-line read that breaks words apart ("Jungfe r-Weg") is worse */
        word_list_t wl = {t, marks_lang, NULL};
        if (texts[k] && *texts[k] &&
            (force || (confs[k] + slack >= l->conf && spaces(texts[k]) <= spaces(l->text)) ||
             (marks_lang && confs[k] + MARKS_SLACK >= l->conf &&
              ocr_accents_marks_added(l->text, texts[k], in_word_list, &wl)))) {
            free(l->text);
            l->text = texts[k];
            l->conf = confs[k];
            texts[k] = NULL;
        }
        free(texts[k]);
    }
out:
    free(sel);
    free(idx);
    free(texts);
    free(confs);
    return rc;
}

static void trim_quotes(char *t);

/* Letters outside ASCII in t (UTF-8), and whether t has a small letter. */
static int marked_letters(const char *t, int *small) {
    int n = 0;
    *small = 0;
    while (*t) {
        unsigned c = fmt_u8_next(&t);
        n += c >= 0xC0 && fmt_u8_is_letter(c);
        *small |= fmt_u8_is_lower(c);
    }
    return n;
}

int ocr_scan_adds_marks(const char *read, const char *reading) {
    int small = 0, had = marked_letters(read, &small);
    if (small) return 0;
    int now = marked_letters(reading, &small);
    char ka[256], kb[256];
    fmt_u8_key(read, ka, sizeof ka);
    fmt_u8_key(reading, kb, sizeof kb);
    return now > had && ka[0] && !strcmp(ka, kb);
}

/* Marks on capitals (the cedilla under a C, a tilde over an A) are small
 * beside the letter, and the card's language model misses them at the
 * card's reading scale ("AUTO PECAS" for AUTO PEÇAS). A word line all in
 * capitals (four letters or more) is read once more from a crop scaled by
 * 1.5 in that language; the reading is taken only when it is the same
 * letters and digits with more marks (ocr_scan_adds_marks), and about as
 * confident (0.1). At most 6 lines a card. Returns GR_OK, GR_ERR_TIMEOUT
 * or GR_ERR_NOMEM. */
static int caps_marks(ocr_tess_t *t, const char *lang, const ocr_gray_t *g, ocr_lines_t *ls, double deadline,
                      int *changed) {
    *changed = 0;
    int rc = GR_OK, tries = 0;
    for (size_t i = 0; i < ls->n && rc == GR_OK && tries < 6; i++) {
        ocr_line_t *l = &ls->v[i];
        int small = 0;
        marked_letters(l->text, &small);
        if (small || !word_line(l->text) || l->w <= 0 || l->h <= 0) continue;
        ocr_gray_t crop = {0};
        int cr = ocr_gray_line_crop(g, l->x, l->y, l->w, l->h, 2 + l->h / 4, 1.5, 0, 0, 12, &crop);
        if (cr == GR_ERR_NOMEM) return cr;
        if (cr != GR_OK) continue;
        tries++;
        char *text = NULL;
        float conf = 0;
        int r = ocr_tess_read_line_image(t, lang, &crop, deadline, &text, &conf);
        ocr_gray_free(&crop);
        if (r == GR_ERR_TIMEOUT || r == GR_ERR_NOMEM) rc = r;
        if (text) trim_quotes(text);
        if (text && ocr_scan_adds_marks(l->text, text) && conf + 0.1f >= l->conf) {
            free(l->text);
            l->text = text;
            l->conf = conf;
            (*changed)++;
        } else {
            free(text);
        }
    }
    return rc;
}

/* The words the look-alike mending leaves as read: English and the language
 * the card leans to (word_list_t.lang2, NULL: none). */
static int in_lean_words(void *ctx, const char *word) {
    const word_list_t *wl = ctx;
    return ocr_tess_is_word(wl->t, "eng", word) || (wl->lang2 && ocr_tess_is_word(wl->t, wl->lang2, word));
}

/* Letters small print makes of each other (l and i, a and o) in the words
 * of the word lines, mended into words of the card's language (lang),
 * English when it shows no other, and only words that neither English
 * nor the language the card leans to (lean: a single cue is enough) knows
 * as read (accents.h): on a Portuguese card with one cue "Sociais" is a
 * word, not a misread "Socials". Returns the number of words changed or
 * GR_ERR_NOMEM. */
static int mend_lookalikes(ocr_tess_t *t, const char *lang, const char *lean, ocr_lines_t *ls) {
    word_list_t wl = {t, lang ? lang : "eng", lean};
    int n = 0;
    for (size_t i = 0; i < ls->n; i++) {
        if (!word_line(ls->v[i].text)) continue;
        int r = ocr_lookalikes_fix(&ls->v[i].text, in_word_list, in_lean_words, &wl);
        if (r < 0) return r;
        if (r) LOG_D("look-alikes mended: '%s'", ls->v[i].text);
        n += r;
    }
    return n;
}

/* Misread accent marks of the word lines mended with lang's word list
 * (accents.h), and a mark lost with its spelling list when there is one
 * (ocr/spelling.h; the model's list holds words without their marks too).
 * Returns the number of words changed or GR_ERR_NOMEM. */
static int mend_accents(ocr_tess_t *t, const char *lang, ocr_lines_t *ls) {
    word_list_t wl = {t, lang, NULL};
    ocr_word_check_fn strict = ocr_tess_spelling(t, lang) ? in_spelling : NULL;
    int n = 0;
    for (size_t i = 0; i < ls->n; i++) {
        if (!word_line(ls->v[i].text)) continue;
        int r = ocr_accents_fix(&ls->v[i].text, in_word_list, strict, &wl);
        if (r < 0) return r;
        if (r) LOG_D("accents mended: '%s'", ls->v[i].text);
        n += r;
    }
    return n;
}

/* Tesseract sometimes cuts one printed line into two textlines whose boxes
 * overlap ("grossc" + "@tay lorstanton.com"); the e-mail is then lost. Two
 * lines on the same row that touch or overlap are joined (left first) when
 * one of them is e-mail/web text. Returns the number of joins. */
int ocr_scan_join_contact_lines(ocr_lines_t *ls) {
    int joins = 0;
    if (ls->n > 200) return 0; /* not a card; and the pairwise search would be slow */
again:
    for (size_t i = 0; i < ls->n; i++)
        for (size_t j = 0; j < ls->n; j++) {
            ocr_line_t *a = &ls->v[i], *b = &ls->v[j];
            if (i == j || a->w <= 0 || b->w <= 0 || a->h <= 0 || b->h <= 0 || a->x > b->x) continue;
            int hmin = a->h < b->h ? a->h : b->h, hmax = a->h > b->h ? a->h : b->h;
            int top = a->y > b->y ? a->y : b->y;
            int bot = a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h;
            /* an '@' where the pieces meet stands taller than a local part
             * of small letters ("emartin" + "@ cobalt fr", 27 and 40 px) */
            size_t lat = strlen(a->text);
            int at_seam = b->text[0] == '@' || (lat && a->text[lat - 1] == '@');
            if (2 * (bot - top) < hmin || 5 * hmax > (at_seam ? 8 : 7) * hmin) continue; /* not one row of one size */
            if (2 * (b->x - (a->x + a->w)) > hmin) continue;              /* a real gap: two columns */
            if (!latin_content(a->text) && !latin_content(b->text) && !tld_tail(b->text)) continue;
            if (digits(a->text) >= 7 || digits(b->text) >= 7) continue; /* a phone line stays apart */
            size_t la = strlen(a->text), lb = strlen(b->text);
            char *t = ocr_text_join(a->text, b->text);
            if (!t) return joins;
            int x1 = a->x + a->w > b->x + b->w ? a->x + a->w : b->x + b->w;
            int y0 = a->y < b->y ? a->y : b->y;
            int y1 = a->y + a->h > b->y + b->h ? a->y + a->h : b->y + b->h;
            a->conf = (a->conf * (float)la + b->conf * (float)lb) / (float)(la + lb ? la + lb : 1);
            a->w = x1 - a->x;
            a->y = y0;
            a->h = y1 - y0;
            free(a->text);
            a->text = t;
            free(b->text);
            memmove(b, b + 1, (ls->n - j - 1) * sizeof *b);
            ls->n--;
            joins++;
            goto again;
        }
    return joins;
}

/* Ways to read an e-mail/web line again: scale of the crop, unsharp-mask
 * half-width and amount. Blurred photos make single readings unstable
 * (h/n, rn/m, a lost '@'); sharpened tight crops at two scales, voted on
 * with the first reading, recover most of them. */
static const struct {
    double scale;
    int hw;
    double amount;
} REREAD[] = {{1.0, 2, 0.7}, {1.0, 3, 1.2}, {1.5, 2, 0.7}, {1.5, 3, 1.2}};
enum { NREREAD = sizeof REREAD / sizeof REREAD[0] };

/* Scales of the crops cut in two from the plain card (ocr_gray_line_crop_local)
 * for a contact line no clean reading is fairly sure of (PLAIN_BELOW); the
 * surer joins the vote when it is sure enough itself (PLAIN_JOINS). */
static const double PLAIN_SCALE[] = {1.0, 1.5};
#define PLAIN_BELOW 0.4f
#define PLAIN_JOINS 0.6f
enum { NPLAIN = sizeof PLAIN_SCALE / sizeof PLAIN_SCALE[0] };

/* Vote between readings on a comparable key (keyfn: 1 when the reading
 * holds one); see ocr_scan_vote. */
static int vote_by(int (*keyfn)(const char *, char *, size_t), const char *const *texts, const float *confs, int n,
                   int *agree) {
    if (agree) *agree = 0;
    if (n <= 0) return -1;
    char(*keys)[300] = calloc((size_t)n, sizeof *keys);
    int *has = calloc((size_t)n, sizeof *has);
    int pick = -1;
    if (!keys || !has) goto out;
    for (int k = 0; k < n; k++) has[k] = texts[k] && keyfn(texts[k], keys[k], sizeof keys[k]);
    int best = -1, bestn = 0;
    float bestc = 0;
    for (int k = 0; k < n; k++) {
        if (!has[k]) continue;
        int c = 0;
        float cs = 0;
        for (int m = 0; m < n; m++)
            if (has[m] && !strcmp(keys[m], keys[k])) {
                c++;
                cs += confs[m];
            }
        if (c > bestn || (c == bestn && cs > bestc + 1e-4f)) {
            best = k;
            bestn = c;
            bestc = cs;
        }
    }
    if (best < 0) goto out;
    /* the winner's most confident reading; the first one when it agrees */
    pick = has[0] && !strcmp(keys[0], keys[best]) ? 0 : best;
    for (int m = 1; m < n && pick != 0; m++)
        if (has[m] && !strcmp(keys[m], keys[best]) && confs[m] > confs[pick]) pick = m;
    if (agree) *agree = bestn;
out:
    free(keys);
    free(has);
    return pick;
}

int ocr_scan_vote(const char *const *texts, const float *confs, int n, int *agree) {
    return vote_by(ocr_fields_contact_key, texts, confs, n, agree);
}

int ocr_scan_number_key(const char *text, char *key, size_t keylen) {
    size_t n = 0;
    if (keylen) key[0] = '\0';
    if (!text || !keylen) return 0;
    for (const char *p = text; *p; p++)
        if (isdigit((unsigned char)*p)) {
            if (n + 1 >= keylen) {
                key[0] = '\0';
                return 0;
            }
            key[n++] = *p;
        }
    key[n] = '\0';
    if (n < 6) key[0] = '\0';
    return n >= 6;
}

int ocr_scan_vote_numbers(const char *const *texts, const float *confs, int n, int *agree) {
    return vote_by(ocr_scan_number_key, texts, confs, n, agree);
}

typedef int (*vote_fn)(const char *const *texts, const float *confs, int n, int *agree);

/* Reads crop (then freed) as one line in lang; the reading takes the place
 * of *best (freed) when it is more confident than *bconf. Returns the
 * read's code. */
static int read_keep_surer(ocr_tess_t *t, const char *lang, ocr_gray_t *crop, double deadline, char **best,
                           float *bconf) {
    char *text = NULL;
    float conf = 0;
    int r = ocr_tess_read_line_image(t, lang, crop, deadline, &text, &conf);
    ocr_gray_free(crop);
    if (text && conf > *bconf) {
        free(*best);
        *best = text;
        *bconf = conf;
    } else {
        free(text);
    }
    return r;
}

/* The box x,y,w,h of g read again in every step-th REREAD way (eng, page
 * segmentation psm: OCR_PSM_*, a tight crop with margin, scaled by s0
 * times the way's scale), after the *n readings already in texts/confs;
 * stops once one reading, as `vote` keys them, holds a majority of all.
 * texts[k] for k >= the old *n are malloc'd (the caller frees). GR_OK,
 * GR_ERR_TIMEOUT or GR_ERR_NOMEM. */
static int read_voted_crops(ocr_tess_t *t, const ocr_gray_t *g, int x, int y, int w, int h, int margin, double s0,
                            int psm, int step, double deadline, vote_fn vote, char **texts, float *confs, int *n) {
    int rc = GR_OK, agree = 0;
    for (int v = 0; v < NREREAD && rc == GR_OK; v += step) {
        ocr_gray_t crop = {0};
        int cr = ocr_gray_line_crop(g, x, y, w, h, margin, s0 * REREAD[v].scale, REREAD[v].hw, REREAD[v].amount, 12,
                                    &crop);
        if (cr == GR_ERR_NOMEM) rc = cr;
        if (cr != GR_OK) continue;
        int r = ocr_tess_read_line_image_psm(t, "eng", &crop, psm, deadline, &texts[*n], &confs[*n]);
        ocr_gray_free(&crop);
        if (r == GR_ERR_TIMEOUT || r == GR_ERR_NOMEM) rc = r;
        if (!texts[*n]) continue;
        (*n)++;
        if (vote((const char *const *)texts, confs, *n, &agree) >= 0 && agree > (NREREAD + 1) / 2) break;
    }
    return rc;
}

/* 1 when the three channels of colour (NULL: none) are there, each the
 * size of g. */
static int same_size3(const ocr_gray_t *g, const ocr_gray_t *colour) {
    if (!colour) return 0;
    for (int k = 0; k < 3; k++)
        if (!colour[k].pixels || colour[k].width != g->width || colour[k].height != g->height) return 0;
    return 1;
}

/* How coloured the box x,y,w,h of the card is: the mean spread between
 * its channels' values (0 grey; clipped to the card). */
static double box_chroma(const ocr_gray_t *colour, int x, int y, int w, int h) {
    int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
    int x1 = x + w > colour[0].width ? colour[0].width : x + w;
    int y1 = y + h > colour[0].height ? colour[0].height : y + h;
    double sum = 0;
    long n = 0;
    for (int yy = y0; yy < y1; yy += 2)
        for (int xx = x0; xx < x1; xx += 2) {
            size_t o = (size_t)yy * (size_t)colour[0].width + (size_t)xx;
            int a = colour[0].pixels[o], b = colour[1].pixels[o], c = colour[2].pixels[o];
            int hi = a > b ? (a > c ? a : c) : (b > c ? b : c), lo = a < b ? (a < c ? a : c) : (b < c ? b : c);
            sum += hi - lo;
            n++;
        }
    return n ? sum / (double)n : 0;
}

/* 1 when the n bytes at w hold no letter or digit (ASCII marks and
 * general punctuation: "|", "—"). */
static int marks_only(const char *w, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c < 0x80) {
            if (isalnum(c)) return 0;
        } else if (c == 0xE2 && i + 2 < n && (unsigned char)w[i + 1] >= 0x80 && (unsigned char)w[i + 1] <= 0x81) {
            i += 2;
        } else {
            return 0;
        }
    }
    return 1;
}

void ocr_scan_trim_edge_marks(char *t) {
    trim_quotes(t);
    for (;;) {
        size_t n = strlen(t), first = strcspn(t, " ");
        if (first < n && marks_only(t, first)) {
            memmove(t, t + first + 1, n - first);
            continue;
        }
        char *last = strrchr(t, ' ');
        if (last && marks_only(last + 1, strlen(last + 1))) {
            *last = '\0';
            continue;
        }
        break;
    }
    trim_quotes(t);
}

/* Below this spread between channels (box_chroma) a box is grey: one
 * channel reads for all three. */
#define GREY_CHROMA 12.0
/* A row is read from each channel of a coloured box (one of a grey one),
 * cut at both of its three-class thresholds; a reading this sure ends the
 * search. */
#define LEVELS_SURE 0.9f

/* 1 when t holds a digit, a dash or a space, and a digit in a row: a
 * number printed in groups ("2681-7485", "99 8848 8929"). */
static int grouped_number(const char *t) {
    for (const char *p = t; *p; p++)
        if (isdigit((unsigned char)p[0]) && (p[1] == '-' || p[1] == ' ') && isdigit((unsigned char)p[2])) return 1;
    return 0;
}

/* 1 when t holds an e-mail or a site, or what is left of one: an '@',
 * www, http, or a host's dot (three small letters, a dot, two or three
 * small letters: "tanakaG evergreen.co.jp"). Those are read again four
 * ways and voted on (vote_contact_lines), not from the colour card. */
static int mail_or_web(const char *t) {
    char key[256];
    if (mail_web_marks(t) || ocr_fields_contact_key(t, key, sizeof key)) return 1;
    for (const char *p = t; *p; p++) {
        if (*p != '.' || p - t < 3 || !islower((unsigned char)p[-1]) || !islower((unsigned char)p[-2]) ||
            !islower((unsigned char)p[-3]))
            continue;
        size_t n = 0;
        while (islower((unsigned char)p[1 + n])) n++;
        if ((n == 2 || n == 3) && (!p[1 + n] || strchr(" ./", p[1 + n]))) return 1;
    }
    return 0;
}

/* 1 when the digits of t (six or more) are among the digits of a line
 * of ls, run together. */
static int number_read_already(const ocr_lines_t *ls, const char *t) {
    char key[64], other[256];
    if (!ocr_scan_number_key(t, key, sizeof key)) return 0;
    for (size_t k = 0; k < ls->n; k++) {
        size_t n = 0;
        for (const char *q = ls->v[k].text; *q && n + 1 < sizeof other; q++)
            if (isdigit((unsigned char)*q)) other[n++] = *q;
        other[n] = '\0';
        if (strstr(other, key)) return 1;
    }
    return 0;
}

/* Lines read with less confidence than this are the noise a row of
 * print the page reading could not see may leave; such rows are read from
 * the colour channels (recover_missed_rows, reread_poor_rows_in_colour). */
#define NOISE_BELOW 0.5f
/* Rows of a card read from its colour channels (at most), and how sure
 * such a reading must be to be kept. */
#define COLOUR_ROWS 3
#define COLOUR_KEEP 0.8f
/* A number two readings of the colour card agree on (ocr_scan_vote_numbers)
 * is kept at this confidence when no reading of it is sure. */
#define LEVELS_NUMBER_AGREED 0.6f

/* The box x,y,w,h read from the colour card's channels (colour: three of
 * g's size), each cut in two at each of its three-class thresholds
 * (ocr_gray_line_crop_levels), in lang; the surest reading into *best
 * (malloc'd, NULL when none) and *bconf. When none reaches COLOUR_KEEP
 * but two readings or more agree on a number (six digits or more:
 * "tee, 26817485 |" and "seen BE 2681-7485" for am03's outlined
 * "2681-7485"), one of those, the number alone, is taken at
 * LEVELS_NUMBER_AGREED (*voted 1). GR_OK, GR_ERR_TIMEOUT or GR_ERR_NOMEM. */
static int read_levels(ocr_tess_t *t, const char *lang, const ocr_gray_t *colour, int x, int y, int w, int h,
                       double deadline, char **best, float *bconf, int *voted) {
    *best = NULL;
    *bconf = 0;
    char *texts[6] = {NULL};
    float confs[6] = {0};
    int grey = box_chroma(colour, x, y, w, h) < GREY_CHROMA, rc = GR_OK, n = 0, top = -1;
    double s = h > 64 ? 48.0 / h : 1.0;
    for (int k = grey ? 1 : 0; k < (grey ? 2 : 3) && rc == GR_OK && (top < 0 || confs[top] < LEVELS_SURE); k++)
        for (int level = 0; level < 2 && rc == GR_OK && (top < 0 || confs[top] < LEVELS_SURE); level++) {
            ocr_gray_t crop = {0};
            int cr = ocr_gray_line_crop_levels(&colour[k], x, y, w, h, 2 + h / 6, s, level, 12, &crop);
            if (cr == GR_ERR_NOMEM) rc = cr;
            if (cr != GR_OK) continue;
            int r = ocr_tess_read_line_image(t, lang, &crop, deadline, &texts[n], &confs[n]);
            ocr_gray_free(&crop);
            if (r == GR_ERR_TIMEOUT || r == GR_ERR_NOMEM) rc = r;
            if (!texts[n]) continue;
            if (top < 0 || confs[n] > confs[top]) top = n;
            n++;
        }
    int agree = 0, pick = top;
    *voted = 0;
    if (top >= 0 && confs[top] < COLOUR_KEEP) {
        int v = ocr_scan_vote_numbers((const char *const *)texts, confs, n, &agree);
        if (v >= 0 && agree >= 2) {
            /* of the readings that agree, one that keeps the number's
             * groups apart ("2681-7485", not "26817485": eight digits run
             * together are as likely a postcode) */
            char kv[64], kk[64];
            ocr_scan_number_key(texts[v], kv, sizeof kv);
            for (int k = 0; k < n && !grouped_number(texts[v]); k++)
                if (k != v && grouped_number(texts[k]) && ocr_scan_number_key(texts[k], kk, sizeof kk) &&
                    !strcmp(kk, kv))
                    v = k;
            pick = v;
            *voted = 1;
            /* the letters around an unsure number are an icon's debris
             * ("seen BE 2681-7485"): the number alone, from its first
             * digit (and a '+' or '(' before it) to its last */
            char *b = texts[v], *d0 = b + strcspn(b, "0123456789"), *d1 = NULL;
            for (char *q = d0; *q; q++)
                if (isdigit((unsigned char)*q)) d1 = q;
            if (d1) {
                if (d0 > b && (d0[-1] == '(' || d0[-1] == '+')) d0--;
                d1[1] = '\0';
                memmove(b, d0, strlen(d0) + 1);
            }
        }
    }
    if (pick >= 0) {
        *best = texts[pick];
        texts[pick] = NULL;
        *bconf = *voted ? LEVELS_NUMBER_AGREED : confs[pick];
        ocr_scan_trim_edge_marks(*best);
    }
    for (int k = 0; k < n; k++) free(texts[k]);
    return rc;
}

/* A line of a number and junk words: seven digits or more and five
 * letters or more, read with little confidence ("Pabx: yas teen 2
 * Fax:2131-3418": a number under a watermark read as letters). */
static int number_junk_line(const char *t, float conf) {
    int d = 0, a = 0;
    for (const char *p = t; *p; p++) {
        d += isdigit((unsigned char)*p) != 0;
        a += isalpha((unsigned char)*p) != 0;
    }
    return conf < 0.6f && !strchr(t, '@') && !has_ci(t, "www") && d >= 7 && a >= 5;
}

/* 1 when every run of four digits or more of old (a number's dashes and
 * dots inside it skipped) is in the digits of new_: a re-read that loses
 * a number read before is no better. */
int ocr_scan_keeps_numbers(const char *old, const char *new_) {
    char nd[256];
    size_t n = 0;
    for (const char *p = new_; *p && n + 1 < sizeof nd; p++)
        if (isdigit((unsigned char)*p)) nd[n++] = *p;
    nd[n] = '\0';
    for (const char *p = old; *p;) {
        char run[64];
        size_t r = 0;
        while (*p && !isdigit((unsigned char)*p)) p++;
        while (*p && (isdigit((unsigned char)*p) ||
                      ((*p == '-' || *p == '.') && isdigit((unsigned char)p[1]) && r))) {
            if (isdigit((unsigned char)*p) && r + 1 < sizeof run) run[r++] = *p;
            p++;
        }
        run[r] = '\0';
        if (r >= 4 && !strstr(nd, run)) return 0;
    }
    return 1;
}

/* 1 when h[0..n) is a host of two labels or more, each of ASCII letters,
 * digits and inner dashes, the last one 2-6 letters (ocr_scan_key_well_formed). */
static int host_well_formed(const char *h, size_t n) {
    int labels = 0;
    size_t i = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && h[j] != '.') j++;
        if (j == i || h[i] == '-' || h[j - 1] == '-') return 0;
        int alpha = 1;
        for (size_t k = i; k < j; k++) {
            unsigned char c = (unsigned char)h[k];
            if (!(isalnum(c) || c == '-') || c >= 0x80) return 0;
            alpha &= isalpha(c) != 0;
        }
        labels++;
        if (j == n) return labels >= 2 && alpha && j - i >= 2 && j - i <= 6;
        i = j + 1;
    }
    return 0;
}

int ocr_scan_key_well_formed(const char *key) {
    if (!key || (strncmp(key, "e:", 2) && strncmp(key, "w:", 2))) return 0;
    const char *h = key + 2;
    if (key[0] == 'e') {
        const char *at = strchr(h, '@');
        if (!at || at == h || !isalnum((unsigned char)h[0]) || !isalnum((unsigned char)at[-1])) return 0;
        for (const char *q = h; q < at; q++)
            if (!isalnum((unsigned char)*q) && !strchr("._+-", *q)) return 0;
        h = at + 1;
        return host_well_formed(h, strlen(h));
    }
    return host_well_formed(h, strcspn(h, "/?#"));
}

/* 1 when line l is too long for the recogniser's width at its height: the
 * network (48 px high, OCR_LINEREC_WIDTH wide) would squeeze it by more
 * than a quarter (its height taken half as tall again as its box, as the
 * re-read crops it with its margins). */
static int too_long_for_linerec(const ocr_line_t *l) {
    return (double)l->w * 48 / (l->h + l->h / 2) > OCR_LINEREC_WIDTH * 1.25;
}

/* The line recogniser's say on a contact line after the vote. It reads
 * in one piece print whose ground changes under it, where Tesseract
 * breaks it ("floresnsfatima@hotmail.com" white on a red photo running
 * into black, read "tima@hotmail.com" by two readings of five: cards_real
 * am15 saved again), and an l that Tesseract reads as i in every crop
 * ("kiee@biuewavesystems.com.sg"). Its reading of line l (from src) is
 * taken into *text (malloc'd; NULL: not taken), its confidence into *conf,
 * when it is sure (CONTACT_LR_KEEP), plain ASCII, its e-mail/site
 * well-formed (ocr_scan_key_well_formed), and the vote's winner (won; NULL
 * or no address: the recogniser is not asked) is not well-formed and was
 * won by CONTACT_LR_AGREE readings or fewer (agree), or is the
 * recogniser's address with its start lost (ocr_scan_contact_cut_short)
 * or with l read as i (ocr_scan_contact_l_as_i), however many readings
 * agreed. When it reads the winner's address (ocr_scan_contact_same),
 * *text stays NULL and *conf is its confidence: a second reader vouches
 * for the winner. With no address in any reading, see
 * contact_unvoted_by_linerec. Returns GR_OK or GR_ERR_NOMEM. */
#define CONTACT_LR_AGREE 2
#define CONTACT_LR_KEEP 0.9f
#define CONTACT_LR_NEAR 4
static int ascii_print(const char *t);
static const char *key_in_text(const char *text, const char *key);
static size_t squeezed(const char *t, char *out, size_t n);

/* The recogniser's reading of contact line l (from src, its box as it
 * is: with 10b's margin of a quarter of the line's height am15's e-mail
 * read "floresfatima@htmail.com" 0.74) into *tw (malloc'd, bullets
 * dropped; NULL when none) and its confidence into *c, the key of its
 * address into rk (capacity n). Not read when the network's width would
 * squeeze the line out of shape (as in 10b). Returns 1 when the reading
 * counts - sure (CONTACT_LR_KEEP), plain ASCII, a well-formed address -
 * else 0; *rc: GR_ERR_NOMEM when out of memory, else GR_OK. */
static int read_contact_line(ocr_linerec_t *lr, const ocr_gray_t *src, const ocr_line_t *l, char **tw, float *c,
                             char *rk, size_t n, int *rc) {
    *tw = NULL;
    *c = 0;
    *rc = GR_OK;
    if (too_long_for_linerec(l)) return 0;
    ocr_gray_t crop = {0};
    int cr = ocr_gray_line_crop(src, l->x, l->y, l->w, l->h, 0, 1.0, 0, 0, 0, &crop);
    if (cr != GR_OK) {
        if (cr == GR_ERR_NOMEM) *rc = cr;
        return 0;
    }
    int rw = ocr_linerec_read(lr, &crop, tw, c);
    ocr_gray_free(&crop);
    if (rw == GR_ERR_NOMEM) *rc = rw;
    if (*tw) ocr_scan_drop_bullets(*tw);
    return rw == GR_OK && *tw && *c >= CONTACT_LR_KEEP && ascii_print(*tw) && ocr_fields_contact_key(*tw, rk, n) &&
           ocr_scan_key_well_formed(rk);
}

/* The length of t's first word when it is an e-mail label alone ("E",
 * "Email:"; ocr_fields_is_mail_label) and more words follow; else 0. */
static size_t mail_label_first(const char *t) {
    size_t wl = strcspn(t, " ");
    char word[32];
    if (!t[wl] || wl >= sizeof word) return 0;
    memcpy(word, t, wl);
    word[wl] = '\0';
    return ocr_fields_is_mail_label(word) ? wl : 0;
}

/* A contact line whose readings hold no e-mail where one was printed:
 * small print whose @ Tesseract reads as marks in every crop ("E p
 * desmet.: redwood.be", "E p.desmet.credwood.be" for E p.desmet@redwood.be
 * on a card 440 px wide in an 800 px photo), so that no reading holds an
 * address or the vote wins a site after an e-mail label (redwood.be). The
 * recogniser's reading of line l (read_contact_line) goes into *text
 * (malloc'd; NULL: not taken) and its confidence into *conf when it
 * counts, holds an e-mail (only an e-mail: a line of words and commas may
 * read as a site, "Radiadores.Condensadores.Et"), keeps the line's
 * numbers, and spells the line's letters and digits but for one in
 * CONTACT_LR_NEAR (a reading of the same print, not a guess). An e-mail
 * label Tesseract read as a word of its own ("E", "Email:") stays one: the
 * recogniser runs it into the address ("Ep.desmet@"). Returns GR_OK or
 * GR_ERR_NOMEM. */
static int contact_unvoted_by_linerec(ocr_linerec_t *lr, const ocr_gray_t *src, const ocr_line_t *l, char **text,
                                      float *conf) {
    char *tw = NULL, rk[300], a[300], b[300];
    float c = 0;
    int rc = GR_OK;
    int take = read_contact_line(lr, src, l, &tw, &c, rk, sizeof rk, &rc);
    size_t na = squeezed(l->text, a, sizeof a), nb = tw ? squeezed(tw, b, sizeof b) : 0;
    size_t hi = na > nb ? na : nb;
    take = take && strchr(rk, '@') && ocr_scan_keeps_numbers(l->text, tw) && na + 1 < sizeof a && nb + 1 < sizeof b &&
           (size_t)ocr_text_edit_distance(a, b) * CONTACT_LR_NEAR <= hi;
    if (!take) {
        free(tw);
        return rc;
    }
    char *out = ocr_scan_label_apart(l->text, tw);
    free(tw);
    if (!out) return GR_ERR_NOMEM;
    *text = out;
    *conf = c;
    return GR_OK;
}

char *ocr_scan_label_apart(const char *old, const char *new_) {
    size_t wl = mail_label_first(old), n = strlen(new_);
    size_t ll = wl; /* the label's letters, without its ':' or '.' */
    while (ll && (old[ll - 1] == ':' || old[ll - 1] == '.')) ll--;
    if (!ll || strncasecmp(new_, old, ll)) return strdup(new_);
    size_t cut = ll;
    while (cut < n && (new_[cut] == ':' || new_[cut] == '.')) cut++;
    if (cut >= n || !isalnum((unsigned char)new_[cut])) return strdup(new_);
    char *o = malloc(n + 2);
    if (!o) return NULL;
    memcpy(o, new_, cut);
    o[cut] = ' ';
    memcpy(o + cut + 1, new_ + cut, n - cut + 1);
    return o;
}

static int contact_by_linerec(ocr_tess_t *t, const ocr_gray_t *src, const ocr_line_t *l, const char *won, int agree,
                              char **text, float *conf) {
    *text = NULL;
    *conf = 0;
    ocr_linerec_t *lr = ocr_tess_linerec(t);
    if (!lr) return GR_OK;
    char wk[300] = "", rk[300];
    if (!won || !ocr_fields_contact_key(won, wk, sizeof wk)) return contact_unvoted_by_linerec(lr, src, l, text, conf);
    int wok = ocr_scan_key_well_formed(wk);
    /* a site after an e-mail label ("E p desmet.: redwood.be" won as
     * redwood.be): an e-mail whose @ every reading lost */
    if (!strncmp(wk, "w:", 2) && mail_label_first(won)) return contact_unvoted_by_linerec(lr, src, l, text, conf);
    /* a well-formed site without an i: nothing to mend, and its vouching
     * alone is not worth a read (~30 ms) */
    if (wok && !strchr(wk, '@') && !strchr(wk, 'i')) return GR_OK;
    char *tw = NULL;
    float c = 0;
    int rw = GR_OK;
    int take = read_contact_line(lr, src, l, &tw, &c, rk, sizeof rk, &rw);
    char *out = NULL;
    if (take && !wok && agree <= CONTACT_LR_AGREE && ocr_scan_keeps_numbers(won, tw)) {
        out = tw; /* the recogniser's line, the numbers on it kept */
        tw = NULL;
    } else if (take && wok) {
        /* the winner's line mended where the address differs: its other
         * words keep Tesseract's breaks */
        int cut = ocr_scan_contact_cut_short(wk, rk);
        out = cut ? ocr_scan_put_lost_start(won, wk, rk)
              : ocr_scan_contact_l_as_i(wk, rk) ? ocr_scan_put_l_for_i(won, wk, rk)
                                                : NULL;
        /* an address the winner's line holds only in pieces ("ovida@microvida.
         * com. 'br"): the recogniser's line, the numbers on it kept */
        if (!out && cut && !key_in_text(won, wk) && ocr_scan_keeps_numbers(won, tw)) {
            out = tw;
            tw = NULL;
        }
    }
    /* the same address, or it with an e-mail label's E run into it: a
     * second reader's word for the winner */
    if (!out && take && wok && ocr_scan_contact_same(wk, rk)) *conf = c;
    free(tw);
    if (out) {
        *text = out;
        *conf = c;
    }
    return rw == GR_ERR_NOMEM ? rw : GR_OK;
}

int ocr_scan_contact_same(const char *won, const char *other) {
    return !strcmp(won, other) ||
           (!strncmp(won, "e:", 2) && !strncmp(other, "e:e", 3) && !strcmp(other + 3, won + 2) && strchr(won, '@'));
}

/* The body of key (after "e:" or "w:") in text, compared without case;
 * NULL when it is not there as it stands. */
static const char *key_in_text(const char *text, const char *key) { return key[2] ? find_ci(text, key + 2) : NULL; }

char *ocr_scan_put_lost_start(const char *text, const char *won, const char *other) {
    const char *at = key_in_text(text, won), *oa = strchr(other, '@'), *wa = strchr(won, '@');
    if (!at || !oa || !wa) return NULL;
    const char *lost = other + 2;
    size_t nl = (size_t)(oa - other) - (size_t)(wa - won), head = (size_t)(at - text), n = strlen(text);
    /* the word before the address: an e-mail label ("E brian@") whose E
     * the recogniser ran into the address, or the lost start itself,
     * read apart ("minhduc tran@" of minhduc.tran@) */
    size_t w1 = head;
    while (w1 && text[w1 - 1] == ' ') w1--;
    size_t w0 = w1;
    while (w0 && text[w0 - 1] != ' ') w0--;
    char word[32] = "";
    if (w1 > w0 && w1 < head && w1 - w0 < sizeof word) {
        memcpy(word, text + w0, w1 - w0);
        word[w1 - w0] = '\0';
    }
    size_t wl = strlen(word);
    while (wl && word[wl - 1] == ':') word[--wl] = '\0';
    if (nl && lost[0] == 'e') {
        /* with no label read apart, the e may be the label's all the same */
        if (!wl || !ocr_fields_is_mail_label(word)) return NULL;
        lost++;
        nl--;
    }
    if (!nl) return NULL;
    size_t cut = head;
    size_t bare = nl && strchr("._-", lost[nl - 1]) ? nl - 1 : nl;
    if (wl && bare == wl && !strncasecmp(word, lost, bare)) cut = w0; /* the word read apart goes */
    char *o = malloc(n + nl + 1);
    if (!o) return NULL;
    memcpy(o, text, cut);
    memcpy(o + cut, lost, nl);
    memcpy(o + cut + nl, at, n - head + 1);
    return o;
}

char *ocr_scan_put_l_for_i(const char *text, const char *won, const char *other) {
    const char *at = key_in_text(text, won);
    if (!at) return NULL;
    char *o = strdup(text);
    if (!o) return NULL;
    char *w = o + (at - text);
    for (size_t k = 2; won[k]; k++)
        if (won[k] != other[k]) w[k - 2] = isupper((unsigned char)w[k - 2]) ? 'L' : 'l';
    return o;
}

int ocr_scan_contact_cut_short(const char *won, const char *other) {
    if (strncmp(won, "e:", 2) || strncmp(other, "e:", 2)) return 0;
    const char *wa = strchr(won, '@'), *oa = strchr(other, '@');
    if (!wa || !oa) return 0;
    size_t wl = (size_t)(wa - won) - 2, ol = (size_t)(oa - other) - 2, dl = strlen(wa + 1);
    if (!wl || ol <= wl || strncmp(oa - wl, won + 2, wl) || strncmp(oa + 1, wa + 1, dl) ||
        (oa[1 + dl] != '\0' && oa[1 + dl] != '.'))
        return 0;
    /* what was lost is no e-mail label the recogniser ran into the
     * address ("ekumar@" beside an E, "emait.canderson@") */
    const char *x = other + 2;
    size_t xl = ol - wl;
    return !(xl == 1 && x[0] == 'e') && strncmp(x, "mail", 4) && strncmp(x, "emai", 4) && strncmp(x, "e-mai", 5);
}

int ocr_scan_contact_l_as_i(const char *won, const char *other) {
    size_t n = strlen(won), d = 0;
    if (n != strlen(other) || n < 3 || strncmp(won, other, 2)) return 0;
    for (size_t k = 2; k < n; k++) {
        if (won[k] == other[k]) continue;
        if (won[k] != 'i' || other[k] != 'l') return 0;
        d++;
    }
    return d > 0;
}

/* For each e-mail/web line not read with high confidence: read it again in
 * each REREAD way (eng, one line, tight crop) and keep the e-mail/site that
 * most readings agree on (ties: the higher summed confidence, then the first
 * reading). The line's text becomes the most confident reading of the
 * winner. Returns GR_OK, GR_ERR_TIMEOUT or GR_ERR_NOMEM. */
static int vote_contact_lines(ocr_tess_t *t, const ocr_gray_t *g, const ocr_gray_t *plain, ocr_lines_t *ls,
                              double deadline, int *reread, int *changed) {
    *reread = *changed = 0;
    if (!ocr_tess_has(t, "eng")) return GR_OK;
    int rc = GR_OK;
    for (size_t i = 0; i < ls->n && rc == GR_OK; i++) {
        ocr_line_t *l = &ls->v[i];
        if (l->w <= 0 || l->h <= 0 || l->conf >= 0.95f || !(latin_content(l->text) || tld_tail(l->text))) continue;
        (*reread)++;
        char *texts[NREREAD + 2 + NREREAD / 2] = {0}; /* first, REREAD, plain, raw */
        float confs[NREREAD + 2 + NREREAD / 2] = {0};
        texts[0] = l->text;
        confs[0] = l->conf;
        int n = 1, agree = 0;
        rc = read_voted_crops(t, g, l->x, l->y, l->w, l->h, 2, 1.0, OCR_PSM_SINGLE_LINE, 1, deadline, ocr_scan_vote,
                              texts, confs, &n);
        /* and cut in two from the plain card when no reading of the clean
         * one is even fairly sure: the clean-up broke the print apart
         * (white letters running from a dark panel onto a photo, metallic
         * type). The surer of two scales joins the vote, as one reading,
         * when it is fairly sure itself: on a merely blurred card the cut
         * reads no better, and its two scales agree on the same slip. */
        float best = 0;
        for (int m = 0; m < n; m++)
            if (confs[m] > best) best = confs[m];
        char *ptext = NULL;
        float pconf = 0;
        int by0 = l->y, by1 = l->y + l->h;
        if (plain && best < PLAIN_BELOW &&
            ocr_scan_text_band(g, l->x, l->y, l->x + l->w, l->y + l->h, &by0, &by1) < 6)
            by0 = l->y, by1 = l->y + l->h;
        for (int v = 0; plain && best < PLAIN_BELOW && rc == GR_OK && v < NPLAIN; v++) {
            ocr_gray_t crop = {0};
            int cr = ocr_gray_line_crop_local(plain, g, l->x, by0, l->w, by1 - by0, 2 + (by1 - by0) / 6,
                                              PLAIN_SCALE[v], 12, &crop);
            if (cr == GR_ERR_NOMEM) rc = cr;
            if (cr != GR_OK) continue;
            int r = read_keep_surer(t, "eng", &crop, deadline, &ptext, &pconf);
            if (r == GR_ERR_TIMEOUT || r == GR_ERR_NOMEM) rc = r;
        }
        if (ptext && pconf >= PLAIN_JOINS) {
            texts[n] = ptext;
            confs[n++] = pconf;
        } else {
            free(ptext);
        }
        int pick = ocr_scan_vote((const char *const *)texts, confs, n, &agree);
        /* no two readings of an e-mail/site agree and the surest is no
         * well-formed address: read without Tesseract's own line finding
         * as well (PSM_RAW_LINE, at both scales), which a shadowed run of
         * glued letters throws less ("ricknog3%@gmail.com" as one line,
         * ricknog39@gmail.com raw: cards_real am07). The vote then takes in
         * those two readings; its new winner stands only when well-formed */
        char pk[300];
        if (pick >= 0 && agree <= 1 && ocr_fields_contact_key(texts[pick], pk, sizeof pk) &&
            !ocr_scan_key_well_formed(pk)) {
            if (rc == GR_OK)
                rc = read_voted_crops(t, g, l->x, l->y, l->w, l->h, 2, 1.0, OCR_PSM_RAW_LINE, 2, deadline,
                                      ocr_scan_vote, texts, confs, &n);
            int agree2 = 0, pick2 = ocr_scan_vote((const char *const *)texts, confs, n, &agree2);
            if (pick2 >= 0 && ocr_fields_contact_key(texts[pick2], pk, sizeof pk) && ocr_scan_key_well_formed(pk)) {
                pick = pick2;
                agree = agree2;
            }
        }
        /* the card's text is personal data: never in the log */
        if (pick >= 0) LOG_D("contact line %zu re-read (%d of %d readings agree)", i, agree, n);
        char *lt = NULL;
        float lc = 0;
        if (rc == GR_OK) {
            int r = contact_by_linerec(t, plain ? plain : g, l, pick >= 0 ? texts[pick] : NULL, agree, &lt, &lc);
            if (r == GR_ERR_NOMEM) rc = r;
        }
        if (lt) {
            LOG_D("contact line %zu: the line recogniser's reading wins (%.2f)", i, lc);
            free(l->text);
            l->text = lt;
            l->conf = lc;
            (*changed)++;
        } else if (pick > 0) {
            float cs = 0;
            char key[300], k2[300];
            ocr_fields_contact_key(texts[pick], key, sizeof key);
            for (int m = 0; m < n; m++)
                if (ocr_fields_contact_key(texts[m], k2, sizeof k2) && !strcmp(k2, key)) cs += confs[m];
            l->text = texts[pick];
            l->conf = cs / (float)(agree ? agree : 1);
            texts[pick] = NULL;
            free(texts[0]);
            (*changed)++;
        }
        if (!lt && lc > l->conf) {
            LOG_D("contact line %zu: the line recogniser reads the same (%.2f)", i, lc);
            l->conf = lc;
        }
        for (int m = 1; m < n; m++) free(texts[m]);
    }
    return rc;
}

static int letters(const char *t) {
    int n = 0;
    for (; *t; t++) n += isalpha((unsigned char)*t) || (unsigned char)*t >= 0xC0;
    return n;
}

int ocr_scan_numberish(const char *word) {
    int d = digits(word);
    return d >= 1 && letters(word) <= d + 1;
}

/* a and b share a row: they overlap by at least half the smaller height */
static int same_row(int ay, int ah, int by, int bh) {
    int top = ay > by ? ay : by, bot = ay + ah < by + bh ? ay + ah : by + bh;
    return 2 * (bot - top) >= (ah < bh ? ah : bh);
}

/* Which line each word of the page reading belongs to (lines are the words
 * joined by spaces, in order). NULL when the lines no longer match. */
static int *words_to_lines(const ocr_lines_t *ls, const ocr_lines_t *ws) {
    int *of = malloc((ws->n ? ws->n : 1) * sizeof *of);
    if (!of) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < ls->n; i++) {
        const char *t = ls->v[i].text;
        size_t pos = 0;
        while (k < ws->n) {
            size_t wl = strlen(ws->v[k].text);
            if (strncmp(t + pos, ws->v[k].text, wl)) goto fail;
            of[k++] = (int)i;
            pos += wl;
            if (!t[pos]) break;
            if (t[pos] != ' ') goto fail;
            pos++;
        }
        if (t[pos]) goto fail;
    }
    if (k == ws->n) return of;
fail:
    free(of);
    return NULL;
}

/* One number on the card: the words that read it and the box to crop. */
typedef struct {
    int x0, y0, x1, y1;
    int extended; /* the box was grown over marks no word covers */
} num_box_t;

/* Grow a number's box along its row over text-like marks no word read
 * ("Tel/Fax: 2966-" whose "2550" was lost): up to the next word or the end
 * of the row of marks. Returns 1 when the box grew. */
static int grow_over_unread(num_box_t *b, const ocr_lines_t *ws, const int *rows, int nrows, int h) {
    int grew = 0;
    for (int r = 0; r < nrows; r++) {
        int rx = rows[4 * r], ry = rows[4 * r + 1], rw = rows[4 * r + 2], rh = rows[4 * r + 3];
        if (!same_row(b->y0, b->y1 - b->y0, ry, rh)) continue;
        if (rx + rw > b->x1 && rx <= b->x1 + h) { /* right */
            int end = rx + rw;
            for (size_t k = 0; k < ws->n; k++) {
                const ocr_line_t *w = &ws->v[k];
                if (same_row(b->y0, b->y1 - b->y0, w->y, w->h) && w->x >= b->x1 - h / 2 && w->x < end) end = w->x;
            }
            if (end - b->x1 > h) {
                b->x1 = end;
                grew = 1;
            }
        }
        if (rx < b->x0 && rx + rw >= b->x0 - h) { /* left */
            int start = rx;
            for (size_t k = 0; k < ws->n; k++) {
                const ocr_line_t *w = &ws->v[k];
                if (same_row(b->y0, b->y1 - b->y0, w->y, w->h) && w->x + w->w <= b->x0 + h / 2 && w->x + w->w > start)
                    start = w->x + w->w;
            }
            if (b->x0 - start > h) {
                b->x0 = start;
                grew = 1;
            }
        }
        if (grew) {
            if (ry < b->y0) b->y0 = ry;
            if (ry + rh > b->y1) b->y1 = ry + rh;
        }
    }
    return grew;
}

/* The band of rows inside a box where the print is (light-to-dark steps on
 * at least a quarter of the busiest row's count, the run around that row;
 * steps, not dark pixels, so that a rule or a bar under the text does not
 * win): a word box swollen by debris above or below shrinks to the text,
 * and the band's height is the text's height. Returns the band height. */
int ocr_scan_text_band(const ocr_gray_t *g, int x0, int y0, int x1, int y1, int *ty0, int *ty1) {
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > g->width) x1 = g->width;
    if (y1 > g->height) y1 = g->height;
    if (x1 - x0 < 2 || y1 - y0 < 4) return 0;
    int *cnt = calloc((size_t)(y1 - y0), sizeof *cnt);
    if (!cnt) return 0;
    int peak = 0;
    for (int y = y0; y < y1; y++) {
        const unsigned char *row = g->pixels + (size_t)y * g->width;
        int c = 0;
        for (int x = x0 + 1; x < x1; x++) c += row[x] < 128 && row[x - 1] >= 128;
        cnt[y - y0] = c;
        if (c > cnt[peak]) peak = y - y0;
    }
    int lim = cnt[peak] / 4 + 1, a = peak, b = peak;
    while (a > 0 && cnt[a - 1] >= lim) a--;
    while (b < y1 - y0 - 1 && cnt[b + 1] >= lim) b++;
    free(cnt);
    if (!lim) return 0;
    *ty0 = y0 + a;
    *ty1 = y0 + b + 1;
    return b + 1 - a;
}

/* Rebuild the lines from their words after number re-reads: state[k] 0 keep,
 * 1 drop, 2 the first word of a re-read number (its text becomes repl[k]).
 * Lines left without words are removed. */
static int rebuild_lines(ocr_lines_t *ls, const ocr_lines_t *ws, const int *of, const int *state, char **repl,
                         const float *rconf) {
    ocr_lines_t out = {0};
    size_t k = 0;
    for (size_t i = 0; i < ls->n; i++) {
        size_t k0 = k;
        while (k < ws->n && of[k] == (int)i) k++;
        int touched = 0;
        for (size_t m = k0; m < k; m++) touched |= state[m] != 0;
        const ocr_line_t *l = &ls->v[i];
        if (!touched) {
            if (ocr_lines_add(&out, l->text, l->conf, l->x, l->y, l->w, l->h) != GR_OK) goto nomem;
            continue;
        }
        fmt_strbuf_t sb;
        fmt_sb_init(&sb);
        int x0 = 0, y0 = 0, x1 = 0, y1 = 0, nw = 0;
        float cs = 0;
        /* the box still covers the dropped words: the re-read text stands
         * for them (a box shrunk to the first word would leave the rest of
         * the number "unread" for the missed-row pass to add twice) */
        for (size_t m = k0; m < k; m++) {
            const ocr_line_t *w = &ws->v[m];
            if (m == k0 || w->x < x0) x0 = w->x;
            if (m == k0 || w->y < y0) y0 = w->y;
            if (m == k0 || w->x + w->w > x1) x1 = w->x + w->w;
            if (m == k0 || w->y + w->h > y1) y1 = w->y + w->h;
            if (state[m] == 1) continue;
            if (nw) fmt_sb_addc(&sb, ' ');
            fmt_sb_adds(&sb, state[m] == 2 ? repl[m] : w->text);
            cs += state[m] == 2 ? rconf[m] : w->conf;
            nw++;
        }
        int rc = nw && sb.s ? ocr_lines_add(&out, sb.s, cs / (float)nw, x0, y0, x1 - x0, y1 - y0) : GR_OK;
        int oom = sb.oom;
        fmt_sb_free(&sb);
        if (rc != GR_OK || oom) goto nomem;
    }
    ocr_lines_free(ls);
    *ls = out;
    return GR_OK;
nomem:
    ocr_lines_free(&out);
    return GR_ERR_NOMEM;
}

/* Number lines (phones, fax) read with junk around them or broken apart
 * ("“9 2294-9484 Hs", "Tel/Fax: 2966-" + "800" as another segment): each
 * run of number-like words on a row, grown over marks no word read, is
 * cropped tight (the words, not a line box swollen by debris), read again
 * in each REREAD way and voted on its digits with the first reading. A
 * re-read wins only when two readings agree on it; it then replaces the
 * words inside the crop, and digit-only debris next to it (low confidence,
 * no letters) is dropped. Must run on the page reading as it came (lines
 * made of the words). Returns GR_OK, GR_ERR_TIMEOUT or GR_ERR_NOMEM. */
static int vote_number_lines(ocr_tess_t *t, const ocr_gray_t *g, ocr_lines_t *ls, const ocr_lines_t *ws,
                             double deadline, int *reread, int *changed, int *doubt) {
    *reread = *changed = *doubt = 0;
    if (!ocr_tess_has(t, "eng") || !ws->n || ws->n > 400) return GR_OK;
    int *of = words_to_lines(ls, ws);
    if (!of) {
        LOG_D("number lines: words do not match the lines, skipped");
        return GR_OK;
    }
    int *state = calloc(ws->n, sizeof *state), *in = calloc(ws->n, sizeof *in), *used = calloc(ws->n, sizeof *used);
    char **repl = calloc(ws->n, sizeof *repl);
    float *rconf = calloc(ws->n, sizeof *rconf);
    int *rows = NULL, nrows = 0;
    int rc = GR_OK;
    if (!state || !in || !used || !repl || !rconf) {
        rc = GR_ERR_NOMEM;
        goto out;
    }
    if (ocr_gray_text_rows(g, &rows, &nrows) != GR_OK) nrows = 0;
    /* a card holds a few numbers, not a price list: at most 8 are read again */
    for (size_t s = 0; s < ws->n && rc == GR_OK && *reread < 8; s++) {
        const ocr_line_t *sw = &ws->v[s];
        if (used[s] || sw->w <= 0 || sw->h <= 0 || !ocr_scan_numberish(sw->text)) continue;
        /* the run of number-like words on the seed's row */
        memset(in, 0, ws->n * sizeof *in);
        in[s] = 1;
        num_box_t b = {sw->x, sw->y, sw->x + sw->w, sw->y + sw->h, 0};
        int h = sw->h, grew = 1;
        while (grew) {
            grew = 0;
            for (size_t k = 0; k < ws->n; k++) {
                const ocr_line_t *w = &ws->v[k];
                if (in[k] || used[k] || !ocr_scan_numberish(w->text) || !same_row(sw->y, sw->h, w->y, w->h)) continue;
                if (w->x - b.x1 > (6 * h) / 5 || b.x0 - (w->x + w->w) > (6 * h) / 5) continue;
                in[k] = 1;
                grew = 1;
                if (w->x < b.x0) b.x0 = w->x;
                if (w->x + w->w > b.x1) b.x1 = w->x + w->w;
                if (w->y < b.y0) b.y0 = w->y;
                if (w->y + w->h > b.y1) b.y1 = w->y + w->h;
            }
        }
        /* debris at either end: a lone low-confidence digit ("“9") */
        for (int end = 0; end < 2; end++)
            for (;;) {
                int e = -1, nin = 0;
                for (size_t k = 0; k < ws->n; k++)
                    if (in[k]) {
                        nin++;
                        const ocr_line_t *w = &ws->v[k];
                        if (e < 0 || (end ? w->x + w->w > ws->v[e].x + ws->v[e].w : w->x < ws->v[e].x)) e = (int)k;
                    }
                if (nin < 2 || digits(ws->v[e].text) >= 2 || ws->v[e].conf >= 0.6f) break;
                in[e] = 0;
            }
        b.x0 = b.y0 = INT_MAX;
        b.x1 = b.y1 = INT_MIN;
        for (size_t k = 0; k < ws->n; k++)
            if (in[k]) {
                const ocr_line_t *w = &ws->v[k];
                if (w->x < b.x0) b.x0 = w->x;
                if (w->y < b.y0) b.y0 = w->y;
                if (w->x + w->w > b.x1) b.x1 = w->x + w->w;
                if (w->y + w->h > b.y1) b.y1 = w->y + w->h;
            }
        int cd = 0;
        float mc = 1;
        for (size_t k = 0; k < ws->n; k++)
            if (in[k]) {
                used[k] = 1;
                cd += digits(ws->v[k].text);
                if (ws->v[k].conf < mc) mc = ws->v[k].conf;
            }
        b.extended = grow_over_unread(&b, ws, rows, nrows, h);
        if (!(cd >= 6 || (b.extended && cd >= 2)) || (!b.extended && mc >= 0.9f)) continue;
        /* an e-mail or site with digits is the contact vote's */
        {
            int mail = 0;
            for (size_t k = 0; k < ws->n; k++)
                if (in[k] && (strchr(ws->v[k].text, '@') || has_ci(ws->v[k].text, "www"))) mail = 1;
            if (mail) continue;
        }
        if (gr_now_mono() > deadline) {
            rc = GR_ERR_TIMEOUT;
            break;
        }
        /* the first reading: the words inside the box */
        fmt_strbuf_t first;
        fmt_sb_init(&first);
        float fc = 0;
        int nin = 0;
        for (size_t k = 0; k < ws->n; k++) {
            const ocr_line_t *w = &ws->v[k];
            int cx = w->x + w->w / 2, cy = w->y + w->h / 2;
            in[k] = cx >= b.x0 && cx < b.x1 && cy >= b.y0 && cy < b.y1 && !state[k];
            if (!in[k]) continue;
            used[k] = 1;
            if (nin++) fmt_sb_addc(&first, ' ');
            fmt_sb_adds(&first, w->text);
            fc += w->conf;
        }
        if (first.oom) rc = GR_ERR_NOMEM;
        (*reread)++;
        char *texts[NREREAD + 1] = {0};
        float confs[NREREAD + 1] = {0};
        texts[0] = first.s ? first.s : (char *)"";
        confs[0] = nin ? fc / (float)nin : 0;
        /* crop to the print; big print (a logo-like number) is brought down
         * to ~30 px: the LSTM reads huge glyphs poorly */
        int ty0 = b.y0, ty1 = b.y1, th = ocr_scan_text_band(g, b.x0, b.y0, b.x1, b.y1, &ty0, &ty1);
        if (th < 6) {
            ty0 = b.y0;
            ty1 = b.y1;
            th = b.y1 - b.y0;
        }
        double s0 = th > 45 ? 30.0 / th : 1.0;
        int n = 1, agree = 0, bh = ty1 - ty0;
        if (rc == GR_OK)
            rc = read_voted_crops(t, g, b.x0, ty0, b.x1 - b.x0, bh, 2 + bh / 6, s0, OCR_PSM_SINGLE_LINE, 1, deadline,
                                  ocr_scan_vote_numbers, texts, confs, &n);
        int pick = ocr_scan_vote_numbers((const char *const *)texts, confs, n, &agree);
        /* the tight crop's reading of the winner (cleaner than the page's) */
        if (pick == 0 && agree >= 2) {
            char k0[300], km[300];
            ocr_scan_number_key(texts[0], k0, sizeof k0);
            for (int m = 1; m < n; m++)
                if (ocr_scan_number_key(texts[m], km, sizeof km) && !strcmp(k0, km) &&
                    (pick == 0 || confs[m] > confs[pick]))
                    pick = m;
        }
        LOG_D("number %d,%d,%d,%d re-read (%d of %d readings agree%s)", b.x0, b.y0, b.x1 - b.x0, bh, agree, n,
              b.extended ? ", grown over unread marks" : "");
        /* half the readings or fewer on the winner: whichever is kept is in doubt */
        if (agree * 2 <= n) (*doubt)++;
        if (pick > 0 && agree >= 2 && nin) {
            /* the re-read replaces the words inside the box */
            int firstk = -1;
            for (size_t k = 0; k < ws->n; k++)
                if (in[k]) {
                    if (firstk < 0) {
                        firstk = (int)k;
                        state[k] = 2;
                        repl[k] = texts[pick];
                        rconf[k] = confs[pick];
                        texts[pick] = NULL;
                    } else {
                        state[k] = 1;
                    }
                }
            /* digit-only debris beside it in its line ("“9") */
            for (size_t k = 0; k < ws->n; k++) {
                const ocr_line_t *w = &ws->v[k];
                int ascii_letters = 0;
                for (const char *p = w->text; *p; p++) ascii_letters += isalpha((unsigned char)*p) != 0;
                if (state[k] || of[k] != of[firstk] || w->conf >= 0.6f || ascii_letters || !digits(w->text) ||
                    digits(w->text) > 2)
                    continue;
                state[k] = 1;
            }
            (*changed)++;
        }
        for (int m = 1; m < n; m++) free(texts[m]);
        fmt_sb_free(&first);
    }
    if (rc == GR_OK && *changed) rc = rebuild_lines(ls, ws, of, state, repl, rconf);
out:
    if (repl)
        for (size_t k = 0; k < ws->n; k++) free(repl[k]);
    free(repl);
    free(rconf);
    free(state);
    free(in);
    free(used);
    free(of);
    free(rows);
    return rc == GR_ERR_NOTFOUND ? GR_OK : rc;
}

/* punctuation and symbols: ASCII ones and the general punctuation block
 * (U+2000-U+207F: curly quotes, dashes) */
static int marks(const char *t) {
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        if (*p < 0x80) n += !isalnum(*p) && *p != ' ';
        else if (*p == 0xE2 && (p[1] == 0x80 || p[1] == 0x81)) n++;
    }
    return n;
}

/* Quotes at either end of a line re-read from a tight crop: specks at the
 * crop's edge ("Snyder’"); a printed line rarely starts or ends with one. */
static void trim_quotes(char *t) {
    static const char *const q[] = {"'", "\"", "`", "\xE2\x80\x98", "\xE2\x80\x99", "\xE2\x80\x9C", "\xE2\x80\x9D", NULL};
    for (int again = 1; again;) {
        again = 0;
        size_t n = strlen(t);
        for (int k = 0; q[k]; k++) {
            size_t m = strlen(q[k]);
            if (n > m && !memcmp(t, q[k], m)) {
                memmove(t, t + m, n - m + 1);
                again = 1;
                break;
            }
            if (n > m && !memcmp(t + n - m, q[k], m)) {
                t[n - m] = '\0';
                again = 1;
                break;
            }
        }
        n = strlen(t);
        while (n && t[n - 1] == ' ') t[--n] = '\0';
        size_t sp = strspn(t, " ");
        if (sp) memmove(t, t + sp, strlen(t + sp) + 1);
    }
}

/* A big line is read from the plain card too only when no reading of it
 * reached this confidence. */
#define BIG_PLAIN_BELOW 0.6f
/* A word line of the body's size read with less confidence than this is
 * read again on its own (reread_big_and_poor_lines); the new reading must reach
 * POOR_KEEP and beat the old one by POOR_GAIN. */
#define POOR_BELOW 0.6f
#define POOR_KEEP 0.75f
#define POOR_GAIN 0.15f

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* The card's print height: the median box height of the first `most`
 * lines of ls read at min_conf or more with three letters or digits or
 * more, into *mh; *n: how many such lines there were (0: none, *mh 0).
 * GR_OK or GR_ERR_NOMEM. */
static int median_height(const ocr_lines_t *ls, float min_conf, size_t most, int *mh, int *n) {
    *mh = *n = 0;
    size_t cap = ls->n < most ? ls->n : most;
    if (!cap) return GR_OK;
    int *hs = malloc(cap * sizeof *hs);
    if (!hs) return GR_ERR_NOMEM;
    for (size_t i = 0; i < ls->n && (size_t)*n < cap; i++) {
        const ocr_line_t *l = &ls->v[i];
        if (l->conf >= min_conf && letters(l->text) + digits(l->text) >= 3 && l->h > 0) hs[(*n)++] = l->h;
    }
    if (*n) {
        qsort(hs, (size_t)*n, sizeof *hs, cmp_int);
        *mh = hs[*n / 2];
    }
    free(hs);
    return GR_OK;
}

/* The words of three letters or more of t that lang's word list holds
 * (letters only, quotes and marks at either end dropped); *all (NULL: not
 * wanted) the words of three letters or more, *longest the longest known
 * one's length in bytes. */
static int known_words_ex(ocr_tess_t *t, const char *lang, const char *text, int *all, size_t *longest) {
    int n = 0;
    if (all) *all = 0;
    if (longest) *longest = 0;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", text);
    char *save = NULL;
    for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        while (*w && !isalpha((unsigned char)*w) && (unsigned char)*w < 0x80) w++;
        size_t len = strlen(w);
        while (len && !isalpha((unsigned char)w[len - 1]) && (unsigned char)w[len - 1] < 0x80) w[--len] = '\0';
        if (len >= 3 && all) (*all)++;
        if (len >= 3 && ocr_tess_is_word(t, lang, w)) {
            n++;
            if (longest && len > *longest) *longest = len;
        }
    }
    return n;
}

static int known_words(ocr_tess_t *t, const char *lang, const char *text) {
    return known_words_ex(t, lang, text, NULL, NULL);
}

/* A row read in the card's language that its confidence undersells: pale
 * print reads with little confidence even when every letter is right
 * (am04's "Diretor Administrativo", 0.29). Kept when every word of three
 * letters or more is in the language's word list, two or more of them,
 * one of six letters or more, and few marks: noise does not spell two
 * words of a dictionary. */
int ocr_scan_row_spells_words(ocr_tess_t *t, const char *lang, const char *text, float conf) {
    int all = 0;
    size_t longest = 0;
    if (!text || conf < 0.2f) return 0;
    int known = known_words_ex(t, lang, text, &all, &longest);
    return known >= 2 && known == all && longest >= 6 && marks(text) <= 2;
}

/* Big print (a name or company name in logo-like type, far taller than the
 * card's body text) is read poorly by the LSTM and often cut into pieces
 * along its row ("letranica AD)" + "CHI Ltda. D"). Such a line and its
 * same-size neighbours on the row (gap under one print height) are read
 * again as one line from a crop cut to the band of print, scaled so the
 * print is ~32 px tall, and, when that reading is still poor (under
 * BIG_PLAIN_BELOW), from the same band of the plain card (NULL: none) cut
 * in two by Otsu's threshold: metallic or gradient logo type,
 * which the clean-up breaks into outlines, reads there ("CHEVROLESTE" read
 * 0.91 where the clean card gave "GIRROUSTE" 0.00). The more confident
 * reading is kept when it beats the pieces (by 0.05) and does not break
 * words apart. At most 4 a card.
 * A word line of the body's size read poorly (under POOR_BELOW; five
 * letters or more, three print heights long or more) is read again the
 * same way, from both cards: print over a watermark or a glossy patch,
 * which the page reading took with debris around it ("+ Aguinaldo
 * MeBigndi de" 0.50, "EscreventeAutonzado" 0.29 on cards_real am20), reads
 * on its own. Such a reading is kept only when it is confident (POOR_KEEP)
 * and clearly more so (POOR_GAIN), and holds as many words of lang's word
 * list (a blurred card's "Operations Manager", read right at 0.46, came
 * back "Operetiens Moneger" at 0.78); it may part two words the page
 * reading glued, and add two marks ("M." "Jr."). At most 6 a card.
 * poor_ones: 0 the big lines, 1 the poor ones (called after the missed
 * rows, which read a poor line's row whole first). Returns GR_OK,
 * GR_ERR_TIMEOUT or GR_ERR_NOMEM. */
static int reread_big_and_poor_lines(ocr_tess_t *t, const char *lang, const ocr_gray_t *g, const ocr_gray_t *plain,
                                     int poor_ones, ocr_lines_t *ls, double deadline, int *reread, int *changed) {
    *reread = *changed = 0;
    if (!ls->n || ls->n > 300) return GR_OK;
    int rc = GR_OK, nh = 0;
    int *band = calloc(ls->n, sizeof *band), *by0 = calloc(ls->n, sizeof *by0), *hs = calloc(ls->n, sizeof *hs);
    int *gone = calloc(ls->n, sizeof *gone);
    if (!band || !by0 || !hs || !gone) {
        rc = GR_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < ls->n; i++) {
        const ocr_line_t *l = &ls->v[i];
        int y1;
        if (l->w <= 0 || l->h <= 0) continue;
        band[i] = ocr_scan_text_band(g, l->x, l->y, l->x + l->w, l->y + l->h, &by0[i], &y1);
        if (band[i] >= 6 && l->conf >= 0.6f && letters(l->text) + digits(l->text) >= 3) hs[nh++] = band[i];
    }
    if (!nh) goto out;
    qsort(hs, (size_t)nh, sizeof *hs, cmp_int);
    int mh = hs[nh / 2], tries = 0, most = poor_ones ? 6 : 4;
    for (size_t i = 0; i < ls->n && rc == GR_OK && tries < most; i++) {
        ocr_line_t *l = &ls->v[i];

        if (gone[i] || !word_line(l->text)) continue;
        int big = 5 * band[i] > 8 * mh && band[i] >= 40;
        int poor = !big && l->conf < POOR_BELOW && band[i] >= 8 && letters(l->text) >= 5 && l->w > 3 * band[i];
        if (poor_ones ? !poor : !big) continue;
        /* the pieces of the row: same print size, close */
        int x0 = l->x, x1 = l->x + l->w, ty0 = by0[i], ty1 = by0[i] + band[i], np = 1, sp = spaces(l->text);
        float cs = l->conf * (float)strlen(l->text);
        size_t len = strlen(l->text);
        int *part = calloc(ls->n, sizeof *part);
        if (!part) {
            rc = GR_ERR_NOMEM;
            break;
        }
        part[i] = 1;
        for (int grew = 1; grew;) {
            grew = 0;
            for (size_t k = 0; k < ls->n; k++) {
                const ocr_line_t *o = &ls->v[k];
                if (part[k] || gone[k] || band[k] < 6 || 3 * band[k] < 2 * band[i] || 2 * band[k] > 3 * band[i]) continue;
                if (!same_row(ty0, ty1 - ty0, by0[k], band[k])) continue;
                if (o->x - x1 > band[i] || x0 - (o->x + o->w) > band[i]) continue;
                part[k] = 1;
                grew = 1;
                np++;
                sp += spaces(o->text) + 1;
                cs += o->conf * (float)strlen(o->text);
                len += strlen(o->text);
                if (o->x < x0) x0 = o->x;
                if (o->x + o->w > x1) x1 = o->x + o->w;
                if (by0[k] < ty0) ty0 = by0[k];
                if (by0[k] + band[k] > ty1) ty1 = by0[k] + band[k];
            }
        }
        float old = len ? cs / (float)len : 0;
        tries++;
        (*reread)++;
        int pm = 0;
        for (size_t k = 0; k < ls->n; k++) pm += part[k] ? marks(ls->v[k].text) : 0;
        double s = 32.0 / (ty1 - ty0);
        char *text = NULL;
        float c = 0;
        int from_plain = 0;
        /* from the clean card, then cut in two from the plain one */
        for (int way = 0; way < (plain ? 2 : 1) && rc == GR_OK; way++) {
            if (way == 1 && !poor_ones && (c > old ? c : old) >= BIG_PLAIN_BELOW) break; /* read well enough already */
            ocr_gray_t crop = {0};
            int margin = 2 + (ty1 - ty0) / 6, cr;
            if (way == 0)
                cr = ocr_gray_line_crop(g, x0, ty0, x1 - x0, ty1 - ty0, margin, s < 0.1 ? 0.1 : s, 0, 0, 12, &crop);
            else
                cr = ocr_gray_line_crop_binary(plain, x0, ty0, x1 - x0, ty1 - ty0, margin, s < 0.1 ? 0.1 : s, 12,
                                               &crop);
            char *wt = NULL;
            float wc = 0;
            if (cr == GR_ERR_NOMEM) rc = cr;
            if (cr == GR_OK) {
                int r = ocr_tess_read_line_image(t, lang, &crop, deadline, &wt, &wc);
                ocr_gray_free(&crop);
                if (r == GR_ERR_TIMEOUT || r == GR_ERR_NOMEM) rc = r;
            }
            if (wt) trim_quotes(wt);
            /* not breaking words apart, nor adding marks (a poor line: see above) */
            if (wt && wc > c && spaces(wt) <= sp + poor_ones && letters(wt) >= 3 &&
                (poor_ones ? wc >= POOR_KEEP && wc > old + POOR_GAIN && marks(wt) <= pm + 2 &&
                                 known_words(t, lang, wt) >= known_words(t, lang, l->text)
                           : wc > old + 0.05f && marks(wt) <= pm)) {
                free(text);
                text = wt;
                c = wc;
                from_plain = way;
            } else {
                free(wt);
            }
        }
        if (text) {
            LOG_D("%s line %zu (print %d px, usual %d, %d piece(s)) re-read%s: conf %.2f -> %.2f", poor_ones ? "poor" : "big",
                  i, ty1 - ty0, mh, np, from_plain ? " cut in two" : "", old, c);
            free(l->text);
            l->text = text;
            text = NULL;
            /* a poor line read well once and poorly once is as sure as
             * the two together: the mean (am20's name, 0.58 then 0.93 and
             * misread, is not marked confident) */
            l->conf = poor_ones ? (old + c) / 2 : c;
            int y0 = l->y, y1 = l->y + l->h;
            for (size_t k = 0; k < ls->n; k++)
                if (part[k] && k != i) {
                    gone[k] = 1;
                    if (ls->v[k].y < y0) y0 = ls->v[k].y;
                    if (ls->v[k].y + ls->v[k].h > y1) y1 = ls->v[k].y + ls->v[k].h;
                }
            l->x = x0;
            l->w = x1 - x0;
            l->y = y0;
            l->h = y1 - y0;
            (*changed)++;
        }
        free(text);
        free(part);
    }
    /* drop the pieces joined into another line */
    size_t w = 0;
    for (size_t i = 0; i < ls->n; i++) {
        if (gone[i]) {
            free(ls->v[i].text);
            continue;
        }
        ls->v[w++] = ls->v[i];
    }
    ls->n = w;
out:
    free(band);
    free(by0);
    free(hs);
    free(gone);
    return rc == GR_ERR_NOTFOUND ? GR_OK : rc;
}

/* The area the box x,y,w,h shares with line l's box (0 when apart). */
static long overlap(int x, int y, int w, int h, const ocr_line_t *l) {
    int ix0 = x > l->x ? x : l->x, iy0 = y > l->y ? y : l->y;
    int ix1 = x + w < l->x + l->w ? x + w : l->x + l->w, iy1 = y + h < l->y + l->h ? y + h : l->y + l->h;
    return ix1 > ix0 && iy1 > iy0 ? (long)(ix1 - ix0) * (iy1 - iy0) : 0;
}

/* Remove from ls the lines among its first n0 that drop marks, keeping
 * the order of the rest. */
static void drop_lines(ocr_lines_t *ls, size_t n0, const char *drop) {
    size_t w = 0;
    for (size_t k = 0; k < ls->n; k++) {
        if (k < n0 && drop[k]) {
            free(ls->v[k].text);
            continue;
        }
        ls->v[w++] = ls->v[k];
    }
    ls->n = w;
}

/* Logo blocks. A logo (a firm's name in display type inside an oval or a
 * panel, a line of trade under it: "BELTIS" over "IT Solutions" on
 * cards_real am04) is often taken by the page reading as one tall line of
 * debris ("_& Anaad" 0.07) or as a heap of poor pieces. A heap of poor
 * lines (under LOGO_POOR, each; close to each other) LOGO_TALL print
 * heights tall or more, with no well-read line inside, is read again as a
 * block of text (Tesseract's single-block segmentation) from the plain card
 * and from its Otsu cut, at most LOGO_MOST a card. The best of the
 * readings replaces the heap when it is clearly surer (LOGO_GAIN over the
 * heap's letters) and holds a word line of LOGO_KEEP or more; its lines
 * are added with their own confidence (the parser takes a line under 0.35
 * as debris). lang: the card's language so far. Returns GR_OK,
 * GR_ERR_TIMEOUT or GR_ERR_NOMEM. */
#define LOGO_POOR 0.35f
#define LOGO_TALL 2.5
#define LOGO_MOST 2
#define LOGO_GAIN 0.25f
#define LOGO_KEEP 0.5f
static int read_logo_blocks(ocr_tess_t *t, const char *lang, const ocr_gray_t *g, const ocr_gray_t *plain,
                            ocr_lines_t *ls, double deadline, int *reread, int *changed) {
    *reread = *changed = 0;
    if (!ls->n || ls->n > 300) return GR_OK;
    size_t n0 = ls->n;
    int rc = GR_OK, nh = 0, mh = 0, tries = 0, *grp = malloc(n0 * sizeof *grp);
    char *drop = calloc(n0, 1);
    if (!grp || !drop || median_height(ls, 0.6f, n0, &mh, &nh) != GR_OK) {
        rc = GR_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n0; i++) grp[i] = -1;
    if (!nh) goto out;
    for (size_t i = 0; i < n0 && rc == GR_OK && tries < LOGO_MOST; i++) {
        const ocr_line_t *s = &ls->v[i];
        if (grp[i] >= 0 || s->w <= 0 || s->h <= 0 || s->conf >= LOGO_POOR || latin_content(s->text)) continue;
        /* the heap: poor lines within half a print height of it */
        int x0 = s->x, y0 = s->y, x1 = s->x + s->w, y1 = s->y + s->h, gap = mh / 2;
        grp[i] = (int)i;
        for (int grew = 1; grew;) {
            grew = 0;
            for (size_t k = 0; k < n0; k++) {
                const ocr_line_t *o = &ls->v[k];
                if (grp[k] >= 0 || o->w <= 0 || o->h <= 0 || o->conf >= LOGO_POOR || latin_content(o->text)) continue;
                if (o->x > x1 + gap || o->x + o->w < x0 - gap || o->y > y1 + gap || o->y + o->h < y0 - gap) continue;
                grp[k] = (int)i;
                grew = 1;
                if (o->x < x0) x0 = o->x;
                if (o->y < y0) y0 = o->y;
                if (o->x + o->w > x1) x1 = o->x + o->w;
                if (o->y + o->h > y1) y1 = o->y + o->h;
            }
        }
        if (y1 - y0 < LOGO_TALL * mh || x1 - x0 < 2 * mh) continue;
        /* no well-read line inside: a block of body text read poorly is not a logo */
        int inside = 0;
        float cs = 0;
        int nl = 0;
        for (size_t k = 0; k < n0; k++) {
            const ocr_line_t *o = &ls->v[k];
            if (grp[k] == (int)i) {
                cs += o->conf * (float)letters(o->text);
                nl += letters(o->text);
                continue;
            }
            int cx = o->x + o->w / 2, cy = o->y + o->h / 2;
            if (o->conf >= LOGO_POOR && cx > x0 && cx < x1 && cy > y0 && cy < y1) inside = 1;
        }
        if (inside) continue;
        float old = nl ? cs / (float)nl : 0;
        tries++;
        (*reread)++;
        double sc = y1 - y0 > 8 * mh ? 8.0 * mh / (y1 - y0) : 1.0;
        ocr_lines_t best = {0};
        float bc = 0;
        for (int way = 0; way < (plain ? 2 : 1) && rc == GR_OK; way++) {
            ocr_gray_t crop = {0};
            const ocr_gray_t *src = plain ? plain : g;
            int cr = way == 0 ? ocr_gray_line_crop(src, x0, y0, x1 - x0, y1 - y0, gap, sc, 0, 0, 12, &crop)
                              : ocr_gray_line_crop_binary(src, x0, y0, x1 - x0, y1 - y0, gap, sc, 12, &crop);
            if (cr == GR_ERR_NOMEM) rc = cr;
            if (cr != GR_OK) continue;
            ocr_lines_t got = {0};
            int r = ocr_tess_read(t, lang, &crop, PSM_BLOCK, deadline, &got, NULL);
            ocr_gray_free(&crop);
            if (r == GR_ERR_TIMEOUT || r == GR_ERR_NOMEM) rc = r;
            float gs = 0, keep = 0;
            int gl = 0;
            for (size_t k = 0; k < got.n; k++) {
                int lt = letters(got.v[k].text);
                gs += got.v[k].conf * (float)lt;
                gl += lt;
                if (got.v[k].conf > keep && word_line(got.v[k].text)) keep = got.v[k].conf;
            }
            float gc = gl ? gs / (float)gl : 0;
            LOG_D("logo block %d,%d,%d,%d (%s): %zu line(s), conf %.2f (heap %.2f), best word line %.2f", x0, y0,
                  x1 - x0, y1 - y0, way ? "cut in two" : "plain", got.n, gc, old, keep);
            if (r == GR_OK && keep >= LOGO_KEEP && gc >= old + LOGO_GAIN && gc > bc) {
                ocr_lines_free(&best);
                best = got;
                bc = gc;
                /* boxes back to the card */
                int ox = x0 - gap < 0 ? 0 : x0 - gap, oy = y0 - gap < 0 ? 0 : y0 - gap;
                for (size_t k = 0; k < best.n; k++) {
                    ocr_line_t *b = &best.v[k];
                    b->x = ox + (int)((b->x > 12 ? b->x - 12 : 0) / sc);
                    b->y = oy + (int)((b->y > 12 ? b->y - 12 : 0) / sc);
                    b->w = (int)(b->w / sc);
                    b->h = (int)(b->h / sc);
                }
            } else {
                ocr_lines_free(&got);
            }
        }
        if (!best.n) continue;
        for (size_t k = 0; k < n0; k++)
            if (grp[k] == (int)i) drop[k] = 1;
        for (size_t k = 0; k < best.n && rc == GR_OK; k++) {
            const ocr_line_t *b = &best.v[k];
            LOG_D("logo block line: '%s' %.2f", b->text, b->conf);
            if (ocr_lines_add(ls, b->text, b->conf, b->x, b->y, b->w, b->h) != GR_OK) rc = GR_ERR_NOMEM;
        }
        ocr_lines_free(&best);
        (*changed)++;
    }
    drop_lines(ls, n0, drop);
out:
    free(grp);
    free(drop);
    return rc == GR_ERR_NOTFOUND ? GR_OK : rc;
}

/* 1 when a row read on its own is kept: read with confidence (0.75) and
 * three letters or digits; a number's row (8 digits or more, at most
 * max_letters letters) at 0.55: with an icon in front ("S (11) 2642-5294"
 * for "☎ (11) 2642-5294") it reads with less confidence than words do. */
static int row_read_well(const char *text, float conf, int max_letters) {
    if (!text) return 0;
    int alnum = 0;
    for (const char *p = text; *p; p++) alnum += isalnum((unsigned char)*p) || (unsigned char)*p >= 0xC0;
    int number_row = digits(text) >= 8 && letters(text) <= max_letters;
    return (conf >= 0.75f || (number_row && conf >= 0.55f)) && alnum >= 3;
}

/* 1 when a poorly read line of the page reading (one of the first n0)
 * over the row x,y,w,h holds a word of five letters or more of lang's word
 * list: the page read the row's words, only with little confidence
 * ("Chloé Lefevre |" 0.35; "Dire NOY WN" is noise). */
static int page_read_words_in(ocr_tess_t *t, const char *lang, const ocr_lines_t *ls, size_t n0, int x, int y, int w,
                              int h) {
    for (size_t k = 0; k < n0; k++) {
        const ocr_line_t *l = &ls->v[k];
        if (l->conf >= 0.5f || l->w <= 0 || l->h <= 0 || !same_row(y, h, l->y, l->h) || l->x >= x + w ||
            l->x + l->w <= x)
            continue;
        size_t longest = 0;
        if (known_words_ex(t, lang, l->text, NULL, &longest) && longest >= 5) return 1;
    }
    return 0;
}

/* The page reading drops a line now and then (a short title, a company
 * name on a blurred photo, pale grey print beside black that the page's
 * global threshold turns white). Rows of text-like marks that no line read
 * with some confidence covers are read one by one in the card's language,
 * the longest rows first (a logo's or a picture's rows are short), and
 * kept when read with confidence (logos and QR codes read as
 * low-confidence noise); a kept row replaces the low-confidence debris the
 * page reading left inside it. A row lang reads poorly is read again in
 * card_lang (NULL: none; the language the card leans to) and kept when its
 * words vouch for it (ocr_scan_row_spells_words), at confidence 0.5. */
static int recover_missed_rows(ocr_tess_t *t, const char *lang, const char *card_lang, const ocr_gray_t *g,
                               const ocr_gray_t *colour, ocr_lines_t *ls, double deadline, int *added) {
    *added = 0;
    int *b = NULL, n = 0;
    int rc = ocr_gray_text_rows(g, &b, &n);
    if (rc != GR_OK) return rc == GR_ERR_NOMEM ? rc : GR_OK;
    size_t n0 = ls->n;
    int *order = malloc((n ? (size_t)n : 1) * sizeof *order);
    char *drop = calloc(n0 ? n0 : 1, 1);
    /* each line's band of print, measured once: [3k] height (-1 not yet),
     * [3k+1..2] its rows; room for the rows this pass adds */
    int *bands = malloc((n0 + (size_t)n + 1) * 3 * sizeof *bands);
    if (!order || !drop || !bands) {
        free(order);
        free(drop);
        free(bands);
        free(b);
        return GR_ERR_NOMEM;
    }
    for (size_t k = 0; k < n0 + (size_t)n + 1; k++) bands[3 * k] = -1;
    for (int i = 0; i < n; i++) order[i] = i;
    for (int a = 1; a < n; a++) /* widest first; stable */
        for (int c = a; c > 0 && b[4 * order[c - 1] + 2] < b[4 * order[c] + 2]; c--) {
            int tmp = order[c];
            order[c] = order[c - 1];
            order[c - 1] = tmp;
        }
    int tried = 0, coloured = 0;
    for (int oi = 0; oi < n && rc == GR_OK && tried < 8; oi++) { /* a card misses a line or two, not a page */
        int i = order[oi];
        int x = b[4 * i], y = b[4 * i + 1], w = b[4 * i + 2], h = b[4 * i + 3];
        if (w < h || h < 8) continue; /* not a word */
        long cov = 0;
        /* the rows kept already cover too: two rows of marks found over
         * one line of print are read once */
        for (size_t k = 0; k < ls->n; k++) {
            const ocr_line_t *l = &ls->v[k];
            if (l->conf < 0.5f) continue; /* noise read over the row does not cover it */
            /* a line's box swollen over the row below it, twice as tall
             * as its print or more (am04's name box reaching down over its
             * pale title), does not cover a row whose middle lies off its
             * band of print (by more than half the band) */
            int *bk = &bands[3 * k];
            if (bk[0] < 0) bk[0] = ocr_scan_text_band(g, l->x, l->y, l->x + l->w, l->y + l->h, &bk[1], &bk[2]);
            int band = bk[0], ty0 = bk[1], ty1 = bk[2], mid = y + h / 2;
            if (band >= 6 && l->h > 2 * band && (mid < ty0 - band / 2 || mid > ty1 + band / 2)) continue;
            cov += overlap(x, y, w, h, l);
        }
        if (cov * 10 > (long)w * h * 3) continue; /* read already */
        /* the row of marks may stop short of a line the page reading did
         * find, poorly ("Christopher Snyder." at 0.48, the row only to
         * "Sny"): the crop takes in the whole of such a line */
        for (size_t k = 0; k < n0; k++) {
            const ocr_line_t *l = &ls->v[k];
            if (l->conf >= 0.5f || l->w <= 0 || l->h <= 0 || !same_row(y, h, l->y, l->h)) continue;
            if (l->x >= x + w || l->x + l->w <= x) continue;
            if (l->x < x) {
                w += x - l->x;
                x = l->x;
            }
            if (l->x + l->w > x + w) w = l->x + l->w - x;
        }
        ocr_gray_t crop = {0};
        if (ocr_gray_line_crop(g, x, y, w, h, 2, 1.0, 0, 0, 12, &crop) != GR_OK) continue;
        tried++;
        char *text = NULL;
        float conf = 0;
        int spelled = 0;
        rc = ocr_tess_read_line_image(t, lang, &crop, deadline, &text, &conf);
        /* a row in the card's own language that lang's model reads as
         * noise, and the page reading too (am04's pale "Diretor
         * Administrativo": "Hirator Achnninistratives" 0.06 in English,
         * "Dire NOY WN" on the page) */
        if (rc == GR_OK && !row_read_well(text, conf, 3) && card_lang && strcmp(card_lang, lang) &&
            ocr_tess_has(t, card_lang) && !page_read_words_in(t, card_lang, ls, n0, x, y, w, h)) {
            char *t2 = NULL;
            float c2 = 0;
            rc = ocr_tess_read_line_image(t, card_lang, &crop, deadline, &t2, &c2);
            /* only a reading its words vouch for: a confident one may be
             * a name given the language's marks ("Chloé Lefèvre 1" for
             * Lefevre) or a row the page reading has (an e-mail twice) */
            if (t2 && ocr_scan_row_spells_words(t, card_lang, t2, c2)) {
                free(text);
                text = t2;
                conf = 0.5f; /* no junk, never sure */
                spelled = 1;
            } else {
                free(t2);
            }
        }
        ocr_gray_free(&crop);
        /* print only its colour sets off from its ground (black letters
         * outlined in white on a dark blue band, which the clean card
         * shows as outlines) reads from a channel of the colour card cut
         * at one of its three-class thresholds; a long row the clean card
         * reads as noise only (a name it read at 0.71 came back without
         * its cedilla at 0.83), and a reading as sure as COLOUR_KEEP */
        if (rc == GR_OK && !spelled && conf < NOISE_BELOW && colour && coloured < COLOUR_ROWS && w >= 4 * h) {
            char *t3 = NULL;
            float c3 = 0;
            coloured++;
            /* the row found on the clean card may stop short of letters it
             * shows only as outlines */
            int gx0 = x - 3 * h < 0 ? 0 : x - 3 * h, gx1 = x + w + 3 * h;
            if (gx1 > g->width) gx1 = g->width;
            /* nor take in their whole height: the band of print over it */
            int ty0 = y, ty1 = y + h;
            if (ocr_scan_text_band(g, gx0, y - h / 2, gx1, y + h + h / 2, &ty0, &ty1) > 0) {
                if (ty0 > y) ty0 = y;
                if (ty1 < y + h) ty1 = y + h;
            }
            int voted = 0;
            rc = read_levels(t, lang, colour, gx0, ty0, gx1 - gx0, ty1 - ty0, deadline, &t3, &c3, &voted);
            LOG_D("missed row %d,%d,%d,%d in colour: %.2f -> %.2f", x, y, w, h, conf, c3);
            /* an agreed number that a line of the card holds already is
             * a piece of it read again ("23452781" of a noise line's
             * "015123452781"), no number of its own */
            if (t3 && voted && number_read_already(ls, t3)) voted = 0;
            /* an e-mail or a site is left to vote_contact_lines, which reads
             * it four ways ("E hiroshi tanakaG evergreen.co.jp", 0.84, took
             * the place of a line that vote puts right) */
            if (t3 && (c3 >= COLOUR_KEEP || voted) && row_read_well(t3, c3, 3) && !mail_or_web(t3)) {
                free(text);
                text = t3;
                conf = c3;
                /* the line's box: the print read */
                x = gx0;
                w = gx1 - gx0;
                y = ty0;
                h = ty1 - ty0;
            } else {
                free(t3);
            }
        }
        if (row_read_well(text, conf, 3) || spelled) {
            LOG_D("missed row %d,%d,%d,%d read (%zu bytes, %.2f)", x, y, w, h, strlen(text), conf);
            if (ocr_lines_add(ls, text, conf, x, y, w, h) != GR_OK) rc = GR_ERR_NOMEM;
            else (*added)++;
            /* the debris the page reading left inside the row, and the
             * pieces of it the page reading did read ("GmbH" of "Keller
             * Maschinenbau GmbH"), which the row's reading repeats */
            for (size_t k = 0; k < n0; k++) {
                const ocr_line_t *l = &ls->v[k];
                if ((l->conf >= 0.5f && !strstr(text, l->text)) || l->w <= 0 || l->h <= 0) continue;
                if (2 * overlap(x, y, w, h, l) > (long)l->w * l->h) drop[k] = 1;
            }
        }
        free(text);
    }
    if (*added) drop_lines(ls, n0, drop);
    free(order);
    free(drop);
    free(bands);
    free(b);
    if (tried) LOG_D("missed rows: %d of %d rows read again, %d kept", tried, n, *added);
    return rc == GR_ERR_NOTFOUND ? GR_OK : rc;
}

/* Print the page reading took for noise all along its row (am13's glossy
 * "AUTO SOCORRO", black letters outlined in white on a dark blue band:
 * "ST", "ks", "re) oy", "71y eee Let. Ex)") is read again from the colour
 * card (colour: three of g's size): the noise lines of one row (under
 * NOISE_BELOW, two print heights apart at most) are joined, the widest
 * such row first, and the band of print over them read as in
 * recover_missed_rows; a reading as sure as COLOUR_KEEP replaces them. At
 * most COLOUR_ROWS rows a card, four print heights long or more. GR_OK,
 * GR_ERR_TIMEOUT or GR_ERR_NOMEM. */
static int reread_poor_rows_in_colour(ocr_tess_t *t, const char *lang, const ocr_gray_t *g, const ocr_gray_t *colour,
                                      ocr_lines_t *ls, double deadline, int *reread, int *changed) {
    *reread = *changed = 0;
    if (!colour || !ls->n || ls->n > 300) return GR_OK;
    size_t n0 = ls->n;
    char *used = calloc(n0, 1), *gone = calloc(n0, 1);
    if (!used || !gone) {
        free(used);
        free(gone);
        return GR_ERR_NOMEM;
    }
    int rc = GR_OK;
    while (rc == GR_OK && *reread < COLOUR_ROWS) {
        /* used: 0 free, 1 joined into a row tried before, 2 in this row */
        for (size_t k = 0; k < n0; k++) used[k] = used[k] ? 1 : 0;
        int seed = -1;
        for (size_t i = 0; i < n0; i++) {
            const ocr_line_t *l = &ls->v[i];
            if (used[i] || l->conf >= NOISE_BELOW || l->h < 12 || l->w <= 0 || letters(l->text) + digits(l->text) < 3)
                continue;
            if (seed < 0 || l->w > ls->v[seed].w) seed = (int)i;
        }
        if (seed < 0) break;
        const ocr_line_t *sl = &ls->v[seed];
        int x0 = sl->x, x1 = sl->x + sl->w, y0 = sl->y, y1 = sl->y + sl->h, h = sl->h;
        used[seed] = 2;
        for (int grew = 1; grew;) {
            grew = 0;
            for (size_t k = 0; k < n0; k++) {
                const ocr_line_t *o = &ls->v[k];
                if (used[k] || o->conf >= NOISE_BELOW || o->w <= 0 || o->h <= 0 || !same_row(sl->y, sl->h, o->y, o->h))
                    continue;
                if (o->x - x1 > 2 * h || x0 - (o->x + o->w) > 2 * h) continue;
                used[k] = 2;
                grew = 1;
                if (o->x < x0) x0 = o->x;
                if (o->x + o->w > x1) x1 = o->x + o->w;
                if (o->y < y0) y0 = o->y;
                if (o->y + o->h > y1) y1 = o->y + o->h;
            }
        }
        int ty0 = y0, ty1 = y1;
        int band = ocr_scan_text_band(g, x0, y0, x1, y1, &ty0, &ty1);
        if (band < 12 || x1 - x0 < 4 * band) continue;
        /* noise beside a line read well is its debris, not a row of its own */
        int beside = 0;
        for (size_t k = 0; k < n0 && !beside; k++) {
            const ocr_line_t *o = &ls->v[k];
            beside = o->conf >= NOISE_BELOW && o->w > 0 && o->h > 0 &&
                     10 * overlap(x0, y0, x1 - x0, y1 - y0, o) > 3 * (long)o->w * o->h;
        }
        if (beside) continue;
        /* the band may be small letters' x-height only: room for their
         * ascenders and descenders, inside the lines' boxes */
        ty0 = ty0 - 2 * band / 5 < y0 ? y0 : ty0 - 2 * band / 5;
        ty1 = ty1 + 2 * band / 5 > y1 ? y1 : ty1 + 2 * band / 5;
        /* what the noise held: its numbers must come back in the new
         * reading; an e-mail or a site is left to vote_contact_lines
         * (mail_or_web) */
        char *old = NULL;
        float ncs = 0;
        size_t nlen = 0;
        for (size_t k = 0; k < n0; k++)
            if (used[k] == 2) {
                char *j = old ? ocr_text_join(old, ls->v[k].text) : strdup(ls->v[k].text);
                free(old);
                old = j;
                if (!old) break;
                ncs += ls->v[k].conf * (float)strlen(ls->v[k].text);
                nlen += strlen(ls->v[k].text);
            }
        if (!old) {
            rc = GR_ERR_NOMEM;
            break;
        }
        if (mail_or_web(old)) {
            free(old);
            continue;
        }
        (*reread)++;
        char *text = NULL;
        float conf = 0;
        int voted = 0;
        rc = read_levels(t, lang, colour, x0, ty0, x1 - x0, ty1 - ty0, deadline, &text, &conf, &voted);
        LOG_D("noise row %d,%d,%d,%d in colour: %.2f", x0, ty0, x1 - x0, ty1 - ty0, conf);
        int keeps = text && ocr_scan_keeps_numbers(old, text) && !mail_or_web(text);
        free(old);
        if (rc == GR_OK && keeps && (conf >= COLOUR_KEEP || voted) && row_read_well(text, conf, 3)) {
            /* a number read as noise once and well once is as sure as
             * the two together: no word list vouches for its digits
             * (am22's "2134-3400" for 2131-3400, 0.90 from the colour
             * card, is not marked confident) */
            float mean = nlen && digits(text) >= 6 ? (conf + ncs / (float)nlen) / 2 : conf;
            if (ocr_lines_add(ls, text, mean, x0, ty0, x1 - x0, ty1 - ty0) != GR_OK) rc = GR_ERR_NOMEM;
            else (*changed)++;
            for (size_t k = 0; k < n0; k++)
                if (used[k] == 2) gone[k] = 1;
        }
        free(text);
    }
    if (*changed) drop_lines(ls, n0, gone);
    free(used);
    free(gone);
    return rc == GR_ERR_NOTFOUND ? GR_OK : rc;
}

/* Vertical print ("Fone/Fax: (11) 3392-3817" up a card's edge) is read as
 * noise by the page reading. Rows of marks of the card turned a quarter
 * turn that are long (a fifth of the card's side or more) and that no
 * line read with confidence covers are read as lines, both ways up, and
 * kept on the terms of recover_missed_rows; the line's box is the
 * column's box on the card. */
static int recover_vertical_lines(ocr_tess_t *t, const char *lang, const ocr_gray_t *g, ocr_lines_t *ls,
                                  double deadline, int *added) {
    *added = 0;
    ocr_gray_t r = {0};
    if (ocr_gray_scaled(g, 1.0, &r) != GR_OK) return GR_OK;
    if (ocr_gray_rotate(&r, 1) != GR_OK) {
        ocr_gray_free(&r);
        return GR_ERR_NOMEM;
    }
    int *b = NULL, n = 0, rc = ocr_gray_text_rows(&r, &b, &n);
    if (rc != GR_OK) {
        ocr_gray_free(&r);
        return rc == GR_ERR_NOMEM ? rc : GR_OK;
    }
    size_t n0 = ls->n;
    int tried = 0;
    for (int i = 0; i < n && rc == GR_OK && tried < 3; i++) {
        /* the row on the turned card (x across, y down) and its column on the card */
        int rx = b[4 * i], ry = b[4 * i + 1], rw = b[4 * i + 2], rh = b[4 * i + 3];
        if (rh < 8 || rw < 6 * rh || 5 * rw < r.width) continue;
        int x = ry, y = g->height - (rx + rw), w = rh, h = rw;
        long cov = 0;
        for (size_t k = 0; k < n0; k++)
            if (ls->v[k].conf >= 0.5f) cov += overlap(x, y, w, h, &ls->v[k]);
        if (cov * 10 > (long)w * h * 3) continue; /* print read already */
        tried++;
        char *best = NULL;
        float bconf = 0;
        for (int way = 0; way < 2 && rc == GR_OK; way++) {
            ocr_gray_t crop = {0};
            if (ocr_gray_line_crop(&r, rx, ry, rw, rh, 2, 1.0, 0, 0, 12, &crop) != GR_OK) break;
            if (way == 1 && ocr_gray_rotate(&crop, 2) != GR_OK) {
                ocr_gray_free(&crop);
                rc = GR_ERR_NOMEM;
                break;
            }
            rc = read_keep_surer(t, lang, &crop, deadline, &best, &bconf);
        }
        /* the label of a number set along the edge ("Fone/Fax:") reads with it */
        if (row_read_well(best, bconf, 12)) {
            LOG_D("vertical line %d,%d,%d,%d read (%zu bytes, %.2f)", x, y, w, h, strlen(best), bconf);
            if (ocr_lines_add(ls, best, bconf, x, y, w, h) != GR_OK) rc = GR_ERR_NOMEM;
            else (*added)++;
        }
        free(best);
    }
    free(b);
    ocr_gray_free(&r);
    if (tried) LOG_D("vertical lines: %d read, %d kept", tried, *added);
    return rc == GR_ERR_NOTFOUND ? GR_OK : rc;
}

/* How much text a reading holds that is read well: bytes of its words of
 * three letters or digits or more on lines read with confidence >= 0.6. A
 * turned card read sideways can score a fair mean confidence on a handful
 * of marks ("iz", "=", "a co") while the upright reading of a blurred card
 * scores less on all of its lines. */
static size_t good_text(const ocr_lines_t *ls) {
    size_t n = 0;
    for (size_t i = 0; i < ls->n; i++) {
        if (ls->v[i].conf < 0.6f) continue;
        const unsigned char *w = (const unsigned char *)ls->v[i].text;
        while (*w) {
            size_t len = strcspn((const char *)w, " "), an = 0;
            for (size_t k = 0; k < len; k++) /* a letter of UTF-8 counts once, at its lead byte */
                an += isalnum(w[k]) || (w[k] >= 0xC0);
            if (an >= 3) n += len;
            w += len;
            w += strspn((const char *)w, " ");
        }
    }
    return n;
}

/* Whether a turned reading (confidence aconf, galt bytes read well) beats
 * the one in hand (conf, glines): clearly more confident (0.1) with as
 * much text read well; or, when English reads the turned card after the
 * Russian model read it unturned (pass 1), more confident at all and twice
 * the text read well (20 bytes or more): the Russian model reads sideways
 * Latin print as noise with a confidence English does not reach (am23 at
 * 640 px: Russian 0.46 with 12 bytes, English turned 0.55 with 43). The
 * same when the reading in hand reads next to nothing well (under
 * TURN_LITTLE bytes), on any pass: a card turned upside down that read
 * more confidently as noise (am23 a grey level brighter: 0.15 -> 0.46 with
 * no byte read well either way) had held off the quarter turn that reads
 * it (0.51, 47 bytes). */
#define TURN_LITTLE 10
int ocr_scan_turn_wins(int pass, float conf, float aconf, size_t glines, size_t galt) {
    if (aconf > conf + 0.1f && galt >= glines) return 1;
    return (pass == 1 || glines < TURN_LITTLE) && aconf > conf && galt >= 2 * glines && galt >= 20;
}

/* A retry's reading (alt, its words altw) replaces the one held. */
static void take_reading(ocr_lines_t *lines, ocr_lines_t *words, ocr_lines_t *alt, ocr_lines_t *altw) {
    ocr_lines_free(lines);
    *lines = *alt;
    ocr_lines_free(words);
    *words = *altw;
}

/* Words read well this tall (median height, px) mean the card was scaled
 * up far past the print Tesseract reads best: its letters came apart into
 * specks when the scale was measured (engraved or embossed print, the
 * grain of wood), or its big type sets the median (am03, 84-134 px by
 * which words read well in photos no person tells apart: 120 px caught
 * two of five), and OVERSIZE_TO is the height to bring them down to. */
#define OVERSIZE_ABOVE 80
/* On a card sharpened for blur, big words are blur, and the smaller card
 * reads worse (hand-held renders of 9797 and 1357, words 83-84 px: a
 * company lost at 0.46 -> 0.43): only from here. */
#define OVERSIZE_BLURRED 120
#define OVERSIZE_TO 48
/* The smaller card's reading is taken unless less confident by more than
 * this: at print this size both read alike (a clean card 0.70 and 0.68),
 * and the later re-reads work at the size they are made for. */
#define OVERSIZE_SLACK 0.05f

/* The first reading's well-read words (confidence 0.75 or more, three
 * letters or digits or more; four such words or more) OVERSIZE_ABOVE px
 * (a blurred card: OVERSIZE_BLURRED) tall or taller at the median: the card g (and the plain one, when of the
 * same size) is scaled down so they are OVERSIZE_TO px and read again; the
 * new reading replaces the first (lines, conf, words) and the smaller cards
 * stay unless it is less confident by more than OVERSIZE_SLACK (cards_real
 * am24: 0.54 -> 0.67, the e-mail and site read right). GR_OK,
 * GR_ERR_TIMEOUT or GR_ERR_NOMEM. */
static int shrink_oversized(ocr_tess_t *t, const char *lang, ocr_gray_t *g, ocr_gray_t *plain, ocr_gray_t colour[3],
                            int blurred, double deadline, ocr_lines_t *lines, float *conf, ocr_lines_t *words) {
    int mh = 0, n = 0;
    if (median_height(words, 0.75f, 64, &mh, &n) != GR_OK) return GR_ERR_NOMEM;
    if (n < 4 || mh < (blurred ? OVERSIZE_BLURRED : OVERSIZE_ABOVE)) return GR_OK;
    double f = (double)OVERSIZE_TO / mh;
    ocr_gray_t sg = {0}, sp = {0}, sc[3] = {{0}};
    int same = plain && plain->pixels && plain->width == g->width && plain->height == g->height;
    int csame = same_size3(g, colour);
    int rc = ocr_gray_scaled(g, f, &sg);
    if (rc == GR_OK && same) rc = ocr_gray_scaled(plain, f, &sp);
    for (int k = 0; k < 3 && rc == GR_OK && csame; k++) rc = ocr_gray_scaled(&colour[k], f, &sc[k]);
    if (rc != GR_OK) {
        ocr_gray_free(&sg);
        ocr_gray_free(&sp);
        for (int k = 0; k < 3; k++) ocr_gray_free(&sc[k]);
        return rc == GR_ERR_NOMEM ? rc : GR_OK;
    }
    ocr_lines_t alt = {0}, altw = {0};
    float aconf = 0;
    rc = ocr_tess_read_words(t, lang, &sg, PSM_SPARSE, deadline, &alt, &aconf, &altw);
    LOG_D("oversized print (words %d px): scaled by %.2f, conf %.2f -> %.2f", mh, f, *conf, aconf);
    if (rc == GR_OK && aconf + OVERSIZE_SLACK >= *conf) {
        take_reading(lines, words, &alt, &altw);
        *conf = aconf;
        ocr_gray_free(g);
        *g = sg;
        if (same) {
            ocr_gray_free(plain);
            *plain = sp;
        }
        for (int k = 0; k < 3 && csame; k++) {
            ocr_gray_free(&colour[k]);
            colour[k] = sc[k];
        }
        return GR_OK;
    }
    ocr_lines_free(&alt);
    ocr_lines_free(&altw);
    ocr_gray_free(&sg);
    ocr_gray_free(&sp);
    for (int k = 0; k < 3; k++) ocr_gray_free(&sc[k]);
    return rc == GR_ERR_TIMEOUT || rc == GR_ERR_NOMEM ? rc : GR_OK;
}

/* Lines Tesseract still reads poorly (under LR_BELOW; five letters or
 * digits or more, twice as long as tall or more; no e-mail or site; not
 * so long that the network would squeeze them) are read by the second
 * line recogniser (ocr/linerec.h, when the reader has one) from the plain
 * card (the clean one when there is none), at most LR_MOST a card, those
 * with the most letters and digits not read surely first (lr_worth). Its
 * reading replaces the line when it is sure (LR_KEEP), clearly surer
 * (LR_GAIN) and of Latin script (it knows Chinese too: on a Latin card a
 * CJK character is a misreading), and, with Tesseract's word breaks and
 * marked letters put back (ocr_scan_second_reading), holds as many words
 * and digits as Tesseract's reading; the line's confidence is then the
 * mean of the two. Nothing is read once the scan's deadline is near. On a
 * card read in Russian (lang "rus") only number lines are asked: the
 * network knows no Cyrillic and reads it as Latin look-alikes.
 * Returns GR_OK or GR_ERR_NOMEM. */
#define LR_BELOW 0.75f
#define LR_MOST 3
#define LR_KEEP 0.9f
#define LR_GAIN 0.2f
static int ascii_print(const char *t) {
    for (; *t; t++)
        if ((unsigned char)*t < 0x20 || (unsigned char)*t >= 0x7f) return 0;
    return 1;
}

/* 1 when the recogniser (no Cyrillic in its characters) may be taken on a
 * line of a card read in lang: always, but on a Russian card only a number
 * line or Latin by nature (an e-mail, a site). */
static int linerec_may_read(const char *lang, const char *t) {
    return strcmp(lang, "rus") || latin_content(t) || digits(t) >= letters(t);
}

/* A character of Tesseract's reading that the second recogniser, which
 * knows no accents, reads as c: the same, its base letter in either case
 * ("ü" as u, "É" as E), or "ß" as B or s. */
static int same_but_marks(unsigned t, unsigned c) {
    if (t == c) return 1;
    if (t < 0x80 || c >= 0x80) return 0;
    if (t == 0xdf) return c == 'B' || c == 's';
    char u[8] = "", k[8] = "";
    u[fmt_u8_put(t, u)] = '\0';
    fmt_u8_key(u, k, sizeof k);
    return strlen(k) == 1 && tolower((int)c) == k[0];
}

/* The characters of s (UTF-8) without its spaces into cps; brk[k] is 1
 * when a space stood before character k (never before the first).
 * Returns how many characters. */
static size_t chars_and_breaks(const char *s, unsigned *cps, char *brk) {
    size_t n = 0;
    int gap = 0;
    while (*s) {
        unsigned c = fmt_u8_next(&s);
        if (c == ' ') {
            gap = 1;
            continue;
        }
        brk[n] = (char)(gap && n);
        cps[n++] = c;
        gap = 0;
    }
    return n;
}

char *ocr_scan_second_reading(const char *old, const char *new_) {
    size_t ol = strlen(old), nl = strlen(new_), on = 0, nn = 0;
    if (ol > 4096 || nl > 4096) return strdup(new_); /* no line is this long: not aligned */
    unsigned *o = malloc((ol + 1) * sizeof *o), *n = malloc((nl + 1) * sizeof *n);
    char *sp = calloc(ol + 1, 1), *nsp = calloc(nl + 1, 1), *out = malloc(4 * (ol + nl) + 2), *res = NULL;
    unsigned char *step = malloc(ol + nl + 1); /* the alignment, last step first: 0 pair, 1 old only, 2 new only */
    int *d = calloc((ol + 1) * (nl + 1), sizeof *d);
    if (!o || !n || !sp || !nsp || !out || !step || !d) goto out;
    on = chars_and_breaks(old, o, sp);
    nn = chars_and_breaks(new_, n, nsp); /* new_'s own spaces are kept */
#define D(i, j) d[(i) * (nn + 1) + (j)]
    for (size_t i = 0; i <= on; i++) D(i, 0) = (int)i;
    for (size_t j = 0; j <= nn; j++) D(0, j) = (int)j;
    for (size_t i = 1; i <= on; i++)
        for (size_t j = 1; j <= nn; j++) {
            int s = D(i - 1, j - 1) + !same_but_marks(o[i - 1], n[j - 1]), a = D(i - 1, j) + 1, b = D(i, j - 1) + 1;
            D(i, j) = s < a ? (s < b ? s : b) : (a < b ? a : b);
        }
    size_t i = on, j = nn, ns = 0;
    while (i > 0 || j > 0) {
        if (i > 0 && j > 0 && D(i, j) == D(i - 1, j - 1) + !same_but_marks(o[i - 1], n[j - 1])) {
            step[ns++] = 0;
            i--;
            j--;
        } else if (i > 0 && (j == 0 || D(i, j) == D(i - 1, j) + 1)) {
            step[ns++] = 1;
            i--;
        } else {
            step[ns++] = 2;
            j--;
        }
    }
#undef D
    /* forward: a space of old goes before the next character of new_; a
     * marked letter of old stands for the bare one new_ read there */
    size_t w = 0;
    int pend = 0;
    i = j = 0;
    while (ns--) {
        unsigned c = 0;
        if (step[ns] != 2) pend |= sp[i];
        if (step[ns] == 0) c = o[i] != n[j] && same_but_marks(o[i], n[j]) ? o[i] : n[j];
        if (step[ns] != 2) i++;
        if (step[ns] == 1) continue;
        if (step[ns] == 2) c = n[j];
        if (w && (pend || nsp[j]) && out[w - 1] != ' ') out[w++] = ' ';
        w += fmt_u8_put(c, out + w);
        j++;
        pend = 0;
    }
    out[w] = '\0';
    res = out;
    out = NULL;
out:
    free(o);
    free(n);
    free(sp);
    free(nsp);
    free(out);
    free(step);
    free(d);
    return res;
}

/* Words of two letters or more in t. */
static int lr_words(const char *t) {
    int n = 0, run = 0;
    for (;; t++) {
        if (*t && (isalpha((unsigned char)*t) || (unsigned char)*t >= 0x80)) {
            run++;
            continue;
        }
        n += run >= 2;
        run = 0;
        if (!*t) break;
    }
    return n;
}

/* How much a line may gain: its letters and digits not read surely. */
static float lr_worth(const ocr_line_t *l) { return (float)(letters(l->text) + digits(l->text)) * (1 - l->conf); }

/* Line l read by the recogniser lr from src (its box grown by margin) and
 * taken on the terms above, sure meaning keep_at or more (LR_KEEP for the
 * poor lines); *changed is 1 when its reading replaced l's.
 * Returns GR_OK or GR_ERR_NOMEM. */
static int linerec_line(ocr_linerec_t *lr, const ocr_gray_t *src, ocr_line_t *l, int margin, float keep_at,
                        int *changed) {
    *changed = 0;
    ocr_gray_t crop = {0};
    int cr = ocr_gray_line_crop(src, l->x, l->y, l->w, l->h, margin, 1.0, 0, 0, 0, &crop);
    if (cr != GR_OK) return cr == GR_ERR_NOMEM ? cr : GR_OK;
    char *text = NULL;
    float c = 0;
    int r = ocr_linerec_read(lr, &crop, &text, &c);
    ocr_gray_free(&crop);
    if (r != GR_OK || !text) {
        free(text);
        return r == GR_ERR_NOMEM ? r : GR_OK;
    }
    LOG_D("line recogniser: '%s' %.2f -> '%s' %.2f", l->text, l->conf, text, c);
    /* sure, surer, and of Latin script: a Chinese character on a Latin card is a misreading */
    int keep = c >= keep_at && c >= l->conf + LR_GAIN && ascii_print(text);
    /* it runs words together ("DiretorAdministrativo") and knows no
     * accents: Tesseract's word breaks and marked letters are put back
     * (ocr_scan_second_reading); then not fewer words nor digits than
     * Tesseract read (a number's end lost at the crop's edge: "5067-1"
     * of 5067-1991) */
    char *merged = keep ? ocr_scan_second_reading(l->text, text) : NULL;
    free(text);
    if (keep && !merged) return GR_ERR_NOMEM;
    if (keep && letters(merged) + digits(merged) >= 3 && lr_words(merged) >= lr_words(l->text) &&
        digits(merged) >= digits(l->text)) {
        free(l->text);
        l->text = merged;
        l->conf = (l->conf + c) / 2;
        *changed = 1;
    } else {
        free(merged);
    }
    return GR_OK;
}

static int reread_with_linerec(ocr_tess_t *t, const char *lang, const ocr_gray_t *g, const ocr_gray_t *plain,
                               ocr_lines_t *ls, double deadline, int *reread, int *changed) {
    *reread = *changed = 0;
    ocr_linerec_t *lr = ocr_tess_linerec(t);
    if (!lr || !ls->n) return GR_OK;
    const ocr_gray_t *src = plain ? plain : g;
    char *done = calloc(ls->n, 1);
    if (!done) return GR_ERR_NOMEM;
    int rc = GR_OK;
    /* not asked once the scan's time is up (a read takes ~0.12 s) */
    for (int k = 0; k < LR_MOST && rc == GR_OK && gr_now_mono() + 0.2 < deadline; k++) {
        /* the line with the most to gain not asked yet */
        long pick = -1;
        for (size_t i = 0; i < ls->n; i++) {
            const ocr_line_t *l = &ls->v[i];
            if (done[i] || l->conf >= LR_BELOW || l->w < 2 * l->h || l->h < 8 ||
                letters(l->text) + digits(l->text) < 5 || latin_content(l->text) || !linerec_may_read(lang, l->text))
                continue;
            if (pick < 0 || lr_worth(l) > lr_worth(&ls->v[pick])) pick = (long)i;
        }
        if (pick < 0) break;
        done[pick] = 1;
        ocr_line_t *l = &ls->v[pick];
        if (too_long_for_linerec(l)) continue;
        int ch = 0;
        (*reread)++;
        rc = linerec_line(lr, src, l, l->h / 4, LR_KEEP, &ch);
        *changed += ch;
    }
    free(done);
    return rc;
}

/* Lines Tesseract did not read. A firm's name in display type (a logo set
 * in outlined, shaded or run-together letters: "PATRICAUTO" on cards_real
 * am22), coloured print on a photo (am18's e-mail) or thin type over a
 * pattern (am12's site) is often missed by Tesseract's page layout or read
 * as poor pieces, so the line recogniser is never asked about it. The line
 * detector (linedet.h) looks at the plain card, and the recogniser reads:
 * big lines (DET_BIG print heights tall or more: Tesseract's median of its
 * lines read at DET_READ, or the detector's own median box when that is
 * lower: ocr_scan_print_height), not covered for more than a third by lines read
 * surely (DET_SURE), tallest first, at most DET_MOST_BIG a card, each as it
 * is and cut in two (Otsu: outlined letters come out solid); then the other
 * lines (DET_SMALL print heights or more) not covered for more than a third
 * by lines read at DET_READ (only lines of the box's row count, their
 * middle inside it: round 34, the tall box of an address line under a
 * slanted e-mail row reached a third into it and hid the row's missing
 * middle) - or covered, but with an open end of
 * DET_OPEN heights or more no such line reaches (Tesseract's line stopped
 * short: "Tel/Fax: 2966-2:" of a row that goes on to 2966-2550, the rest
 * read as poor pieces; ocr_scan_open_end) - longest first, at most
 * DET_MOST_SMALL a card, as they are. Each at least twice as wide as tall. A reading is kept when
 * it reaches DET_KEEP (DET_AGREED when the page reading inside the box
 * spells it nearly, page_agrees; its marks then go into the reading), in
 * Latin letters, three of them or more (or a
 * number alone, DET_NUMBER digits or more: ocr_scan_number_only), is not a
 * line the card already has (for the other lines not even but for a
 * quarter of its letters: a watermark repeats the firm's name) and holds
 * more than the lines inside the box (those whose middle is in it: "ICAU?
 * T" 0.77 of PATRICAUTO) read at DET_READ: letters and digits times
 * confidence, DET_GAIN more. Those lines are dropped, and so is a line
 * read under FAIR_BELOW that holds the box (holds_box). Word breaks:
 * Tesseract's reading of the crop in lang when it is fair (DET_FAIR) gives
 * back its breaks and marked letters (ocr_scan_second_reading); else a
 * small letter followed by a capital ("JoseCarlos") is a break. On a card
 * read in Russian only e-mails, sites and numbers are kept (the network
 * knows no Cyrillic: linerec_may_read). found: the lines the detector
 * found; added: those read and added; logo: the tallest big box tried
 * whose best reading stayed under DET_READ (w 0 when none; unread_logo
 * looks at it once every pass is done). A logo still unread after the
 * boxes is read once more as its whole row (logo_row) with its light and
 * contrast evened out, kept on the same terms; the logo is then that row
 * (round 35). Returns GR_OK, GR_ERR_NOMEM. */
#define DET_BIG 1.5
#define DET_READ 0.6f
#define DET_SURE 0.9f
#define DET_MOST_BIG 2
#define DET_MOST_SMALL 4
#define DET_SMALL 0.8
#define DET_KEEP 0.9f
#define DET_AGREED 0.8f
#define DET_GAIN 2.0f
#define DET_FAIR 0.5f
#define DET_NUMBER 8
#define DET_OPEN 1
#define DET_STRETCH 2.5
/* t's letters and digits, folded to small, into out (at most n - 1). */
static size_t squeezed(const char *t, char *out, size_t n) {
    size_t k = 0;
    for (; *t && k + 1 < n; t++)
        if (isalnum((unsigned char)*t) || (unsigned char)*t >= 0x80) out[k++] = (char)tolower((unsigned char)*t);
    out[k] = '\0';
    return k;
}

/* Tesseract's boxes may hold two rows of print (a heading over its
 * subtitle: am03 a grey level darker, median 177 px where its print is
 * ~100, which left every detected line under "small"): the detector's own
 * median box (of the n heights dh, sorted here), when it is lower, is the
 * print height. */
int ocr_scan_print_height(int mh, int *dh, size_t n) {
    if (!n) return mh;
    qsort(dh, n, sizeof *dh, cmp_int);
    return dh[n / 2] < mh ? dh[n / 2] : mh;
}

/* 1 when t is a phone number alone: DET_NUMBER digits or more, and only
 * digits and the marks between them ("2681-7485" in big type, which
 * Tesseract had read as "6", "8" and "89": cards_real am03 a grey level
 * brighter). */
int ocr_scan_number_only(const char *t) { return ocr_text_number_only(t, DET_NUMBER); }

/* 1 when ls has a line that reads as text does, or, near, but for a
 * quarter of its letters (a watermark repeats its words: "PARICAUTO"
 * beside PATRICAUTO). */
static int has_line(const ocr_lines_t *ls, const char *text, int near) {
    char a[64], b[64];
    size_t na = squeezed(text, a, sizeof a);
    if (na + 1 >= sizeof a) return 0;
    for (size_t i = 0; i < ls->n; i++) {
        size_t nb = squeezed(ls->v[i].text, b, sizeof b);
        size_t lo = na < nb ? na : nb, hi = na < nb ? nb : na, most = near ? hi / 4 : 0;
        if (nb + 1 >= sizeof b || hi - lo > most) continue;
        if ((size_t)ocr_text_edit_distance(a, b) <= most) return 1;
    }
    return 0;
}

static int centre_in(const ocr_line_t *l, const ocr_textbox_t *b) {
    int cx = l->x + l->w / 2, cy = l->y + l->h / 2;
    return cx >= b->x && cx < b->x + b->w && cy >= b->y && cy < b->y + b->h;
}

int ocr_scan_open_end(int bx, int by, int bw, int bh, const ocr_lines_t *ls, float min_conf, int *from, int *to) {
    int left = bx, right = bx + bw; /* the uncovered stretches at the box's two ends */
    for (size_t m = 0; m < ls->n; m++) {
        const ocr_line_t *l = &ls->v[m];
        int iy0 = by > l->y ? by : l->y, iy1 = by + bh < l->y + l->h ? by + bh : l->y + l->h;
        int small = bh < l->h ? bh : l->h;
        if (l->conf < min_conf || 2 * (iy1 - iy0) < small || l->x >= bx + bw || l->x + l->w <= bx) continue;
        if (l->x + l->w > left) left = l->x + l->w < bx + bw ? l->x + l->w : bx + bw;
        if (l->x < right) right = l->x > bx ? l->x : bx;
    }
    if (left == bx) left = right = bx; /* no line in the box's row: all of it is open */
    int open_right = bx + bw - left, open_left = right - bx;
    *from = open_right >= open_left ? left : bx;
    *to = open_right >= open_left ? bx + bw : right;
    return *to - *from;
}

float ocr_scan_held(const ocr_lines_t *ls, int bx, int by, int bw, int bh, float min_conf) {
    ocr_textbox_t b = {bx, by, bw, bh, 0};
    float held = 0;
    for (size_t m = 0; m < ls->n; m++) {
        const ocr_line_t *l = &ls->v[m];
        if (l->conf < min_conf || !centre_in(l, &b)) continue;
        float v = (float)(letters(l->text) + digits(l->text)) * l->conf;
        int again = 0; /* a line another reading of the same print holds more of */
        for (size_t k = 0; k < ls->n && !again; k++) {
            const ocr_line_t *o = &ls->v[k];
            if (k == m || o->conf < min_conf || !centre_in(o, &b)) continue;
            int ov = (l->x + l->w < o->x + o->w ? l->x + l->w : o->x + o->w) - (l->x > o->x ? l->x : o->x);
            float ow = (float)(letters(o->text) + digits(o->text)) * o->conf;
            again = 2 * ov > l->w && (ow > v || (ow == v && k < m));
        }
        if (!again) held += v;
    }
    return held;
}

/* A list's bullet the recogniser reads as a middle dot or a bullet
 * ("·Av.Sapopemba,2449-...") becomes a space, and the spaces at t's ends
 * go: the reading is then plain ASCII when the rest is. In place. */
void ocr_scan_drop_bullets(char *t) {
    char *w = t;
    for (const char *r = t; *r;) {
        size_t n = !strncmp(r, "\xc2\xb7", 2) ? 2 : !strncmp(r, "\xe2\x80\xa2", 3) ? 3 : 0;
        if (n) {
            if (w > t && w[-1] != ' ') *w++ = ' ';
            r += n;
        } else if (*r == ' ' && (w == t || w[-1] == ' ')) {
            r++;
        } else {
            *w++ = *r++;
        }
    }
    while (w > t && w[-1] == ' ') w--;
    *w = '\0';
}

char *ocr_scan_run_together_breaks(const char *t) {
    size_t n = strlen(t);
    char *o = malloc(2 * n + 1), *w = o;
    if (!o) return NULL;
    size_t word = 0, run = 0; /* letters of the run before t[i - 1], and before t[i] */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i], prev = i ? (unsigned char)t[i - 1] : 0;
        int brk = i && islower(prev) && isupper(c); /* "JoseCarlos" */
        brk |= (prev == ',' || prev == ';') && isalnum(c); /* "Radiadores,Condensadores" */
        /* "Av.do Cursino": an abbreviation of a capital and up to two
         * letters, not a host's label (no '.', '@' or '/' before it),
         * before a small letter ("S.A." stays) */
        if (prev == '.' && islower(c) && word >= 1 && word <= 3 && isupper((unsigned char)t[i - 1 - word])) {
            size_t s0 = i - 1 - word;
            brk |= s0 == 0 || !strchr("./@", t[s0 - 1]);
        }
        if (brk) *w++ = ' ';
        *w++ = (char)c;
        word = run;
        run = isalpha(c) ? run + 1 : 0;
    }
    *w = '\0';
    return o;
}

/* The page reading's lines inside box b (their middles in it, any
 * confidence), left to right, run together without spaces into out (at
 * most n - 1 bytes; "" when they do not fit or there are none). */
static void page_inside(const ocr_lines_t *ls, const ocr_textbox_t *b, char *out, size_t n) {
    size_t ol = 0;
    int prev = -1;
    out[0] = '\0';
    for (;;) {
        long pick = -1;
        for (size_t m = 0; m < ls->n; m++)
            if (centre_in(&ls->v[m], b) && ls->v[m].x > prev && (pick < 0 || ls->v[m].x < ls->v[pick].x)) pick = (long)m;
        if (pick < 0) return;
        prev = ls->v[pick].x;
        for (const char *t = ls->v[pick].text; *t; t++) {
            if (*t == ' ') continue;
            if (ol + 1 >= n) {
                out[0] = '\0';
                return;
            }
            out[ol++] = *t;
        }
        out[ol] = '\0';
    }
}

/* 1 when the page reading inside box b (page_inside) spells text but for
 * a third of its letters and digits or less, accents and case aside: two
 * readers agree on the print ("Se sé Carlod" 0.57 and the recogniser's
 * "JoseCarlos" 0.84 of am19's name in script type). Only for a reading of
 * AGREE_LEAST letters and digits or more: on a short one a third is too
 * little to tell ("ePtytd" of a render's "> Pty Ltd |" would have lost
 * its L). Not for an e-mail or a site, which have their own vote (a
 * render's "Web www biuewave" + "fi" agreed with "Weh:www.hiurwave.fr",
 * and the site mended from the e-mail's domain was lost); a dot inside a
 * word alone does not make one ("KestrelCo.,Ltd", a render's company).
 * Nor for a reading with AGREE_DIGITS digits or more: a third off may be
 * a digit lost, and numbers have their own votes (am06 saved again at
 * quality 95: the row "...1553Te/Fax:3123800" 0.89 agreed with the page's
 * "Lajas: « Av. Rio das Pedras, 1553 - Tel/Fax:" and its debris, and took
 * the place of the open end's "3123-0800" 0.94). */
#define AGREE_LEAST 8
#define AGREE_DIGITS 3
static int page_agrees(const ocr_lines_t *ls, const ocr_textbox_t *b, const char *text) {
    char page[256], k[128], kt[128];
    /* an e-mail or a site ("KestrelCo.,Ltd", a dot inside a word, is not),
     * or a number: a third off may be a digit lost */
    if (mail_web_marks(text) || ocr_fields_contact_key(text, kt, sizeof kt) || digits(text) >= AGREE_DIGITS) return 0;
    page_inside(ls, b, page, sizeof page);
    fmt_u8_key(page, k, sizeof k);
    fmt_u8_key(text, kt, sizeof kt);
    size_t tl = strlen(kt), pl = strlen(k);
    if (tl < AGREE_LEAST || !pl || tl + 1 >= sizeof kt || pl + 1 >= sizeof k) return 0;
    return 3 * (size_t)ocr_text_edit_distance(k, kt) <= tl;
}

/* The recogniser's reading of box b (big: also cut in two at Otsu's
 * threshold, where shaded or outlined letters come out solid; flat: only
 * with its light and contrast evened out, ocr_gray_line_crop_flat, with a
 * margin of a tenth of its height) into
 * *text_out, its confidence *c_out and the crop it read *crop_out, when it
 * passes the tests of read_detected_lines (open: the box was taken for its
 * open end, and only a line it repeats exactly is reason to refuse);
 * *text_out NULL when it does not, *c_out then the confidence of its best
 * reading (0: none). Returns GR_OK or GR_ERR_NOMEM. */
static int read_box(ocr_linerec_t *lr, const ocr_gray_t *src, const ocr_textbox_t *b, int big, int open, int flat,
                    const char *lang, const ocr_lines_t *ls, char **text_out, float *c_out, ocr_gray_t *crop_out) {
    int rc = GR_OK;
    ocr_gray_t crop = {0};
    char *text = NULL;
    float c = 0;
    *text_out = NULL;
    *c_out = 0;
    for (int way = 0; way < (flat ? 1 : 1 + big) && rc == GR_OK && c < 0.95f; way++) {
        ocr_gray_t cw = {0};
        int cr = flat  ? ocr_gray_line_crop_flat(src, b->x, b->y, b->w, b->h, b->h / 10, 1.0, 0, &cw)
                 : way ? ocr_gray_line_crop_binary(src, b->x, b->y, b->w, b->h, 0, 1.0, 0, &cw)
                       : ocr_gray_line_crop(src, b->x, b->y, b->w, b->h, 0, 1.0, 0, 0, 0, &cw);
        if (cr == GR_ERR_NOMEM) rc = cr;
        if (cr != GR_OK) continue;
        char *tw = NULL;
        float cwc = 0;
        int rw = ocr_linerec_read(lr, &cw, &tw, &cwc);
        if (rw == GR_ERR_NOMEM) rc = rw;
        LOG_D("detected line %d,%d,%d,%d (%.2f, %s%s): '%s' %.2f", b->x, b->y, b->w, b->h, b->score,
              flat ? "light evened" : way ? "cut in two" : "plain", open ? ", open end" : "", tw ? tw : "", cwc);
        if (tw) ocr_scan_drop_bullets(tw);
        if (rw == GR_OK && tw && (!text || cwc > c)) {
            free(text);
            ocr_gray_free(&crop);
            text = tw;
            c = cwc;
            crop = cw;
        } else {
            free(tw);
            ocr_gray_free(&cw);
        }
    }
    float held = ocr_scan_held(ls, b->x, b->y, b->w, b->h, DET_READ);
    int sure = text && (c >= DET_KEEP || (c >= DET_AGREED && page_agrees(ls, b, text)));
    if (!sure || !ascii_print(text) || (letters(text) < 3 && !ocr_scan_number_only(text)) ||
        !linerec_may_read(lang, text) || has_line(ls, text, !big && !open) ||
        (float)(letters(text) + digits(text)) * c < held + DET_GAIN) {
        free(text);
        ocr_gray_free(&crop);
        *c_out = c; /* how well the box read, though not taken */
        return rc;
    }
    *text_out = text;
    *c_out = c;
    *crop_out = crop;
    return rc;
}

/* A line Tesseract read only fairly (DET_READ to FAIR_BELOW) whose print
 * the detector boxed more tightly: Tesseract's box also held a frame's or
 * an oval's edge (cards_real am04's "IT Solutions" in BELTIS's logo, read
 * "PTT Solutions |" 0.75 in a box twice the print's height). The
 * recogniser reads the detector's box (b, not tried by
 * read_detected_lines: one line of ls holds it, FAIR_SAME of the box in
 * the line and the box across FAIR_SAME of the line's width), and the
 * reading replaces the line's text and box on linerec_line's terms, sure
 * meaning FAIR_KEEP (LR_GAIN over Tesseract, the word breaks and marks put
 * back), at most FAIR_MOST a card. E-mails and sites have
 * their own re-read (contact lines). found: how many replaced. Returns
 * GR_OK or GR_ERR_NOMEM. */
#define FAIR_BELOW 0.8f
#define FAIR_KEEP 0.95f
#define FAIR_SAME 0.7
#define FAIR_MOST 2
/* 1 when line l holds box b as 10d means it: FAIR_SAME of the box inside
 * the line, the box across FAIR_SAME of the line's width, the line
 * taller (its box took in a frame's edge or the rows around). */
static int holds_box(const ocr_line_t *l, const ocr_textbox_t *b) {
    return overlap(b->x, b->y, b->w, b->h, l) >= FAIR_SAME * (double)((long)b->w * b->h) && b->w >= FAIR_SAME * l->w &&
           l->h > b->h;
}

static int reread_fair_lines_in_boxes(ocr_linerec_t *lr, const ocr_gray_t *src, const ocr_textbox_t *bx, size_t nb,
                                      const char *tried, ocr_lines_t *ls, double deadline, int *found) {
    *found = 0;
    int rc = GR_OK, asked = 0;
    for (size_t i = 0; i < nb && rc == GR_OK && asked < FAIR_MOST && gr_now_mono() + 0.2 < deadline; i++) {
        const ocr_textbox_t *b = &bx[i];
        if (tried[i] || b->w < 2 * b->h || b->h < 8) continue;
        ocr_line_t *l = NULL;
        int n = 0; /* the lines the box overlaps: one, or it is not that line's print alone */
        for (size_t m = 0; m < ls->n; m++) {
            if (overlap(b->x, b->y, b->w, b->h, &ls->v[m]) <= 0) continue;
            n++;
            if (holds_box(&ls->v[m], b)) l = &ls->v[m];
        }
        if (!l || n != 1 || l->conf < DET_READ || l->conf >= FAIR_BELOW || letters(l->text) < 3 ||
            latin_content(l->text))
            continue;
        ocr_line_t probe = *l;
        probe.x = b->x;
        probe.y = b->y;
        probe.w = b->w;
        probe.h = b->h;
        if (too_long_for_linerec(&probe)) continue;
        asked++;
        probe.text = strdup(l->text);
        if (!probe.text) return GR_ERR_NOMEM;
        int ch = 0;
        rc = linerec_line(lr, src, &probe, 0, FAIR_KEEP, &ch); /* the detector's box is grown already */
        if (ch) {
            LOG_D("fair line '%s' %.2f in a box %d,%d,%d,%d: '%s'", l->text, l->conf, b->x, b->y, b->w, b->h,
                  probe.text);
            free(l->text);
            *l = probe;
            (*found)++;
        } else {
            free(probe.text);
        }
    }
    return rc;
}

/* 1 when logo (read_detected_lines: the tallest big print the recogniser
 * read below DET_READ; w 0 when none) is still unread once every pass is
 * done: no line of three letters or more read at DET_READ, half the
 * box's width or wider, has its middle in it (pieces of a logo read as
 * junk words - "WIRE" 0.66 in am18's LIDER FRIO - do not count). The
 * card's name in display type (ice, chrome, outlined letters over a
 * photo) then went unread (ocr_scan_info_t.unread_logo). */
static int unread_logo(const ocr_lines_t *ls, const ocr_textbox_t *logo) {
    if (logo->w <= 0) return 0;
    for (size_t m = 0; m < ls->n; m++)
        if (ls->v[m].conf >= DET_READ && letters(ls->v[m].text) >= 3 && 2 * ls->v[m].w >= logo->w &&
            centre_in(&ls->v[m], logo))
            return 0;
    LOG_D("logo %d,%d,%d,%d: unread", logo->x, logo->y, logo->w, logo->h);
    return 1;
}

/* The row an unread logo (read_detected_lines) stands in: the logo's box
 * widened over the detected boxes of its row (their middles within half
 * its height of its middle, 0.6 to 1.6 times as tall). A glossy
 * highlight across a logo breaks the detector's box in two (cards_real
 * am13's outlined AUTO SOCORRO: "AUTO SO" and "ORRO" boxed, the letters
 * between under the glare). */
static ocr_textbox_t logo_row(const ocr_textbox_t *bx, size_t nb, const ocr_textbox_t *logo) {
    ocr_textbox_t r = *logo;
    int mid = logo->y + logo->h / 2, x1 = logo->x + logo->w, y1 = logo->y + logo->h;
    for (size_t i = 0; i < nb; i++) {
        const ocr_textbox_t *b = &bx[i];
        int d = b->y + b->h / 2 - mid;
        if (2 * abs(d) > logo->h || 10 * b->h < 6 * logo->h || 10 * b->h > 16 * logo->h) continue;
        if (b->x < r.x) r.x = b->x;
        if (b->y < r.y) r.y = b->y;
        if (b->x + b->w > x1) x1 = b->x + b->w;
        if (b->y + b->h > y1) y1 = b->y + b->h;
    }
    r.w = x1 - r.x;
    r.h = y1 - r.y;
    return r;
}

/* A detected box's reading (text, its confidence c, the crop it read;
 * both taken over) goes into ls as read_detected_lines says: Tesseract's
 * reading of the crop in lang gives the word breaks, and the lines inside
 * the box go. added counts it. Returns GR_OK, GR_ERR_NOMEM. */
static int add_box_reading(ocr_tess_t *t, const char *lang, ocr_lines_t *ls, const ocr_textbox_t *b, char *text,
                           float c, ocr_gray_t *crop_in, double deadline, int *added) {
    ocr_gray_t crop = *crop_in;
    char *tt = NULL;
    float tc = 0;
    /* word breaks and marks */
    int r = ocr_tess_read_line_image(t, lang, &crop, deadline, &tt, &tc);
    ocr_gray_free(&crop);
    char *merged = tt && *tt && tc >= DET_FAIR ? ocr_scan_second_reading(tt, text) : ocr_scan_run_together_breaks(text);
    if (merged && c < DET_KEEP) {
        /* kept because the page reading agrees: its marks (not its
         * breaks, read poorly: "Se sé Carlod") go into the reading */
        char page[256];
        page_inside(ls, b, page, sizeof page);
        char *marked = *page ? ocr_scan_second_reading(page, merged) : NULL;
        if (marked) {
            free(merged);
            merged = marked;
        }
        /* but one word where the page read several is words run
         * together with a letter lost between them ("Josearlos" 0.86
         * beside "Se sé Carlos", am19 scaled by 1.03) */
        int pw = 0;
        for (size_t m = 0; m < ls->n; m++)
            if (centre_in(&ls->v[m], b)) pw += lr_words(ls->v[m].text);
        if (lr_words(merged) < 2 && pw >= 2) {
            LOG_D("detected line: '%s' runs the page's %d words together", merged, pw);
            free(merged);
            free(tt);
            free(text);
            return r == GR_ERR_NOMEM ? r : GR_OK;
        }
    }
    LOG_D("detected line: Tesseract '%s' %.2f -> '%s'", tt ? tt : "", tc, merged ? merged : text);
    free(tt);
    free(text);
    text = merged;
    if (!text) return GR_ERR_NOMEM;
    /* the lines inside the box go, and so does a line read only
     * fairly whose taller box holds it (holds_box): Tesseract's
     * reading of the same print in a box that took in rows around it
     * too, which 10d would have read in this box (am01 at 97 %: "—
     * ADACHI Ltda." 0.61 in a box four rows tall beside "Eletronica
     * ADACHI Ltda.") */
    size_t w = 0;
    for (size_t m = 0; m < ls->n; m++) {
        ocr_line_t *l = &ls->v[m];
        if (centre_in(l, b) || (l->conf < FAIR_BELOW && holds_box(l, b))) {
            LOG_D("detected line: drops '%s' %.2f", l->text, l->conf);
            free(l->text);
            continue;
        }
        ls->v[w++] = *l;
    }
    ls->n = w;
    int rc = ocr_lines_add(ls, text, c, b->x, b->y, b->w, b->h);
    if (rc == GR_OK) (*added)++;
    free(text);
    return rc == GR_OK && r == GR_ERR_NOMEM ? r : rc;
}

static int read_detected_lines(ocr_tess_t *t, const char *lang, const ocr_gray_t *g, const ocr_gray_t *plain,
                               ocr_lines_t *ls, double deadline, int *found, int *added, ocr_textbox_t *logo) {
    *found = *added = 0;
    memset(logo, 0, sizeof *logo);
    ocr_linerec_t *lr = ocr_tess_linerec(t);
    ocr_linedet_t *ld = ocr_tess_linedet(t);
    if (!lr || !ld || !ls->n || gr_now_mono() + 0.5 > deadline) return GR_OK;
    int mh = 0, nh = 0;
    if (median_height(ls, DET_READ, ls->n, &mh, &nh) != GR_OK) return GR_ERR_NOMEM;
    if (!nh) return GR_OK;
    const ocr_gray_t *src = plain ? plain : g;
    ocr_textbox_t *bx = NULL;
    size_t nb = 0;
    int rc = ocr_linedet_find(ld, src, &bx, &nb);
    if (rc != GR_OK) return rc == GR_ERR_NOMEM ? rc : GR_OK;
    *found = (int)nb;
    if (nb) {
        int *dh = malloc(nb * sizeof *dh);
        if (!dh) {
            free(bx);
            return GR_ERR_NOMEM;
        }
        for (size_t i = 0; i < nb; i++) dh[i] = bx[i].h;
        mh = ocr_scan_print_height(mh, dh, nb);
        free(dh);
    }
    char *tried = calloc(nb ? nb : 1, 1);
    if (!tried) {
        free(bx);
        return GR_ERR_NOMEM;
    }
    int nbig = 0, nsmall = 0;
    while (rc == GR_OK && gr_now_mono() + 0.2 < deadline) {
        /* big lines first, tallest first; then the others, longest first */
        long pick = -1;
        int pbig = 0, popen = 0, po0 = 0, po1 = 0;
        for (size_t i = 0; i < nb; i++) {
            const ocr_textbox_t *b = &bx[i];
            int big = b->h >= DET_BIG * mh;
            if (tried[i] || b->h < DET_SMALL * mh || b->w < 2 * b->h) continue;
            if (big ? nbig >= DET_MOST_BIG : nsmall >= DET_MOST_SMALL) continue;
            long cover = 0;
            for (size_t m = 0; m < ls->n; m++) {
                const ocr_line_t *l = &ls->v[m];
                int mid = l->y + l->h / 2; /* a line of the row above or below reaching in is not this row's */
                if (l->conf >= (big ? DET_SURE : DET_READ) && mid >= b->y && mid <= b->y + b->h)
                    cover += overlap(b->x, b->y, b->w, b->h, l);
            }
            int open = 3 * cover > (long)b->w * b->h, o0 = 0, o1 = 0;
            if (open && (big || ocr_scan_open_end(b->x, b->y, b->w, b->h, ls, DET_READ, &o0, &o1) < DET_OPEN * b->h))
                continue;
            if (pick < 0 || big > pbig || (big == pbig && (big ? b->h > bx[pick].h : b->w > bx[pick].w))) {
                pick = (long)i;
                pbig = big;
                popen = open;
                po0 = o0;
                po1 = o1;
            }
        }
        if (pick < 0) break;
        tried[pick] = 1;
        if (pbig) nbig++;
        else nsmall++;
        ocr_textbox_t box = bx[pick];
        const ocr_textbox_t *b = &box;
        ocr_gray_t crop = {0};
        char *text = NULL;
        float c = 0;
        rc = read_box(lr, src, b, pbig, popen, 0, lang, ls, &text, &c, &crop);
        /* the tallest big print neither reader made out: a logo (below) */
        if (!text && pbig && c < DET_READ && !logo->w) *logo = box;
        /* a line whose whole row reads no better: its open end alone
         * (Tesseract's "Tel/Fax:" and the number it stopped short of; the
         * lines are as they were when the box was picked) */
        if (!text && rc == GR_OK && popen && po1 - po0 >= DET_STRETCH * b->h) {
            box.x = po0;
            box.w = po1 - po0;
            rc = read_box(lr, src, b, 0, 1, 0, lang, ls, &text, &c, &crop);
        }
        if (!text) continue;
        rc = add_box_reading(t, lang, ls, b, text, c, &crop, deadline, added);
    }
    /* a logo still unread: its whole row once more, the light evened out
     * (a glossy highlight across it), kept on read_box's terms; the logo
     * is then that row */
    if (rc == GR_OK && logo->w && gr_now_mono() + 0.2 < deadline && unread_logo(ls, logo)) {
        ocr_textbox_t row = logo_row(bx, nb, logo);
        ocr_gray_t crop = {0};
        char *text = NULL;
        float c = 0;
        ocr_line_t probe = {.x = row.x, .y = row.y, .w = row.w, .h = row.h};
        if (!too_long_for_linerec(&probe)) rc = read_box(lr, src, &row, 1, 0, 1, lang, ls, &text, &c, &crop);
        if (text) {
            rc = add_box_reading(t, lang, ls, &row, text, c, &crop, deadline, added);
            *logo = row;
        }
    }
    int fair = 0;
    if (rc == GR_OK) rc = reread_fair_lines_in_boxes(lr, src, bx, nb, tried, ls, deadline, &fair);
    if (fair) LOG_D("line detector: %d line(s) read fairly taken from its boxes", fair);
    free(tried);
    free(bx);
    return rc;
}

/* A number line read as junk words (number_junk_line) is read again as
 * one line in the REREAD ways and the readings voted on by their digits:
 * the winner, when two readings or more agree on it, it holds more digits
 * than the line did and every number the line held, replaces the line. */
static int reread_number_junk_lines(ocr_tess_t *t, const ocr_gray_t *g, ocr_lines_t *ls, double deadline,
                                    int *reread, int *changed) {
    *reread = *changed = 0;
    if (!ocr_tess_has(t, "eng")) return GR_OK;
    int rc = GR_OK;
    for (size_t i = 0; i < ls->n && rc == GR_OK && *reread < 3; i++) {
        ocr_line_t *l = &ls->v[i];
        if (l->w <= 0 || l->h <= 0 || !number_junk_line(l->text, l->conf)) continue;
        int ty0 = l->y, ty1 = l->y + l->h, th = ocr_scan_text_band(g, l->x, l->y, l->x + l->w, l->y + l->h, &ty0, &ty1);
        if (th < 6 || 3 * th < l->h) {
            ty0 = l->y;
            ty1 = l->y + l->h;
            th = l->h;
        }
        (*reread)++;
        char *texts[NREREAD + 1] = {0};
        float confs[NREREAD + 1] = {0};
        texts[0] = l->text;
        confs[0] = l->conf;
        int n = 1, agree = 0;
        double s0 = th > 45 ? 30.0 / th : 1.0;
        rc = read_voted_crops(t, g, l->x, ty0, l->w, th, 2 + th / 6, s0, OCR_PSM_SINGLE_LINE, 1, deadline,
                              ocr_scan_vote_numbers, texts, confs, &n);
        int pick = ocr_scan_vote_numbers((const char *const *)texts, confs, n, &agree);
        LOG_D("number line %zu re-read (%d of %d readings agree)", i, agree, n);
        if (pick > 0 && agree >= 2 && digits(texts[pick]) > digits(l->text) &&
            ocr_scan_keeps_numbers(l->text, texts[pick])) {
            float cs = 0;
            char key[300], k2[300];
            ocr_scan_number_key(texts[pick], key, sizeof key);
            for (int m = 0; m < n; m++)
                if (ocr_scan_number_key(texts[m], k2, sizeof k2) && !strcmp(k2, key)) cs += confs[m];
            free(l->text);
            l->text = texts[pick];
            l->conf = cs / (float)agree;
            texts[pick] = NULL;
            (*changed)++;
        }
        for (int m = 1; m < n; m++) free(texts[m]);
    }
    return rc;
}

int ocr_scan_card(ocr_tess_t *t, ocr_gray_t *g, ocr_gray_t *plain, ocr_gray_t colour[3], int blurred, double deadline,
                  ocr_lines_t *lines, ocr_scan_info_t *info) {
    memset(info, 0, sizeof *info);
    double t0 = gr_now_mono();
    /* orientation and script on a half-size copy (cheap, and enough) */
    int turns = 0;
    float oconf = 0;
    ocr_gray_t half = {0};
    int orc = ocr_gray_scaled(g, 0.5, &half);
    if (orc == GR_OK) orc = ocr_tess_osd(t, &half, &turns, info->script, sizeof info->script, &oconf);
    ocr_gray_free(&half);
    if (orc == GR_OK && turns && oconf > 1.0f) {
        if (ocr_gray_rotate(g, turns) != GR_OK) return GR_ERR_NOMEM;
        info->quarter_turns = turns;
    }
    double t1 = gr_now_mono();
    int cyr = !strcmp(info->script, "Cyrillic") && ocr_tess_has(t, "rus");
    const char *primary = cyr ? "rus" : ocr_tess_has(t, "eng") ? "eng" : NULL;
    if (!primary) { /* neither: the first configured language */
        static const char *const any[] = {"deu", "fra", "rus"};
        for (size_t i = 0; i < 3 && !primary; i++)
            if (ocr_tess_has(t, any[i])) primary = any[i];
        if (!primary) return GR_ERR_NOTFOUND;
    }
    float conf = 0;
    double t2 = t1;
    ocr_lines_t words = {0};
    int rc = ocr_tess_read_words(t, primary, g, PSM_SPARSE, deadline, lines, &conf, &words);
    t2 = gr_now_mono();
    if (rc != GR_OK) goto done;
    rc = shrink_oversized(t, primary, g, plain, colour, blurred, deadline, lines, &conf, &words);
    if (rc != GR_OK) goto done;
    /* a poor reading may be the wrong script: try the other one */
    const char *other = !strcmp(primary, "rus") ? "eng" : "rus";
    if (conf < 0.65f && lines->n > 0 && ocr_tess_has(t, other)) {
        ocr_lines_t alt = {0}, altw = {0};
        float aconf = 0;
        int arc = ocr_tess_read_words(t, other, g, PSM_SPARSE, deadline, &alt, &aconf, &altw);
        LOG_D("script retry %s: conf %.2f -> %s %.2f", primary, conf, other, aconf);
        if (arc == GR_OK && aconf > conf + 0.05f) {
            take_reading(lines, &words, &alt, &altw);
            primary = other;
            conf = aconf;
        } else {
            ocr_lines_free(&alt);
            ocr_lines_free(&altw);
        }
    }
    /* A poor reading may be turned (OSD misses some): try the other
     * orientations in the reading's language, then, when that is Russian,
     * in English (the Russian model reads sideways Latin print as noise with
     * more confidence than eng does, so the script retry above may have
     * chosen it for a card that is only turned). */
    int turned_in_rus = 0;
    for (int pass = 0; pass < 2 && conf < 0.6f && lines->n > 0; pass++) {
        const char *olang = pass == 0 ? primary : "eng";
        if (pass == 1 && (strcmp(primary, "rus") || !ocr_tess_has(t, "eng"))) break;
        int turned = 0;
        /* the Russian pass turned the card: its new orientation in English
         * first (the script retry read only the first one in English) */
        if (pass == 1 && turned_in_rus) {
            ocr_lines_t alt = {0}, altw = {0};
            float aconf = 0;
            int arc = ocr_tess_read_words(t, "eng", g, PSM_SPARSE, deadline, &alt, &aconf, &altw);
            LOG_D("turned card in eng: conf %.2f -> %.2f", conf, aconf);
            if (arc == GR_OK && aconf > conf + 0.05f && good_text(&alt) >= good_text(lines)) {
                take_reading(lines, &words, &alt, &altw);
                conf = aconf;
                primary = "eng";
                break;
            }
            ocr_lines_free(&alt);
            ocr_lines_free(&altw);
        }
        /* a poor reading may be upside down (OSD misses some): try 180 degrees */
        if (conf < 0.6f && lines->n > 0) {
            ocr_lines_t alt = {0}, altw = {0};
            float aconf = 0;
            if (ocr_gray_rotate(g, 2) != GR_OK) {
                rc = GR_ERR_NOMEM;
                goto done;
            }
            int arc = ocr_tess_read_words(t, olang, g, PSM_SPARSE, deadline, &alt, &aconf, &altw);
            LOG_D("orientation retry: conf %.2f -> %.2f upside down (%zu -> %zu bytes read well)", conf, aconf,
                  good_text(lines), arc == GR_OK ? good_text(&alt) : 0);
            if (arc == GR_OK && ocr_scan_turn_wins(pass, conf, aconf, good_text(lines), good_text(&alt))) {
                take_reading(lines, &words, &alt, &altw);
                conf = aconf;
                info->quarter_turns = (info->quarter_turns + 2) % 4;
                turned = 1;
            } else {
                ocr_lines_free(&alt);
                ocr_lines_free(&altw);
                if (ocr_gray_rotate(g, 2) != GR_OK) {
                    rc = GR_ERR_NOMEM;
                    goto done;
                }
            }
        }
        /* still poor: a portrait card OSD could not turn (sparse text, a big
         * logo): try a quarter turn each way */
        if (conf < 0.6f && lines->n > 0) {
            int best_turn = 0;
            for (int k = 0; k < 2; k++) {
                /* first +1 quarter turn, then +2 more (= -1 from the start) */
                if (ocr_gray_rotate(g, k == 0 ? 1 : 2) != GR_OK) {
                    rc = GR_ERR_NOMEM;
                    goto done;
                }
                ocr_lines_t alt = {0}, altw = {0};
                float aconf = 0;
                int arc = ocr_tess_read_words(t, olang, g, PSM_SPARSE, deadline, &alt, &aconf, &altw);
                LOG_D("orientation retry: conf %.2f -> %.2f at %d quarter turn(s) (%zu -> %zu bytes read well)", conf,
                      aconf, k == 0 ? 1 : 3, good_text(lines), arc == GR_OK ? good_text(&alt) : 0);
                if (arc == GR_OK && ocr_scan_turn_wins(pass, conf, aconf, good_text(lines), good_text(&alt))) {
                    take_reading(lines, &words, &alt, &altw);
                    conf = aconf;
                    best_turn = k == 0 ? 1 : 3;
                    turned = 1;
                } else {
                    ocr_lines_free(&alt);
                    ocr_lines_free(&altw);
                }
            }
            /* g is at +3 now: turn it to the best orientation (+1, +3 or 0) */
            int back = ((best_turn - 3) % 4 + 4) % 4;
            if (back && ocr_gray_rotate(g, back) != GR_OK) {
                rc = GR_ERR_NOMEM;
                goto done;
            }
            info->quarter_turns = (info->quarter_turns + best_turn) % 4;
        }
        if (turned) primary = olang;
        if (turned && pass == 0 && !strcmp(olang, "rus")) turned_in_rus = 1;
    }
    /* OSD sometimes calls Latin print Cyrillic, and the Russian model then
     * reads it with fair confidence: check the three longest lines with eng */
    if (!strcmp(primary, "rus") && ocr_tess_has(t, "eng") && lines->n > 0) {
        const ocr_line_t *sel[3] = {NULL, NULL, NULL};
        for (size_t i = 0; i < lines->n; i++) {
            const ocr_line_t *l = &lines->v[i];
            if (l->conf < 0.5f) continue;
            for (int k = 0; k < 3; k++)
                if (!sel[k] || strlen(l->text) > strlen(sel[k]->text)) {
                    for (int m = 2; m > k; m--) sel[m] = sel[m - 1];
                    sel[k] = l;
                    break;
                }
        }
        int ns = sel[2] ? 3 : sel[1] ? 2 : sel[0] ? 1 : 0;
        char *texts[3] = {NULL, NULL, NULL};
        float confs[3] = {0, 0, 0};
        if (ns && ocr_tess_read_lines(t, "eng", g, sel, (size_t)ns, deadline, texts, confs) == GR_OK) {
            float a = 0, b = 0;
            for (int k = 0; k < ns; k++) {
                a += sel[k]->conf;
                b += confs[k];
            }
            LOG_D("script check: rus %.2f, eng %.2f on %d lines", a / ns, b / ns, ns);
            if (b > a + 0.03f * ns) {
                ocr_lines_t alt = {0}, altw = {0};
                float aconf = 0;
                if (ocr_tess_read_words(t, "eng", g, PSM_SPARSE, deadline, &alt, &aconf, &altw) == GR_OK &&
                    aconf > conf) {
                    take_reading(lines, &words, &alt, &altw);
                    primary = "eng";
                    conf = aconf;
                } else {
                    ocr_lines_free(&alt);
                    ocr_lines_free(&altw);
                }
            }
        }
        for (int k = 0; k < 3; k++) free(texts[k]);
    }
    {
        double tn = gr_now_mono();
        int nre = 0, nch = 0;
        rc = vote_number_lines(t, g, lines, &words, deadline, &nre, &nch, &info->numbers_in_doubt);
        LOG_D("number lines: %d re-read, %d changed, %d in doubt, %.0f ms", nre, nch, info->numbers_in_doubt,
              (gr_now_mono() - tn) * 1000);
        if (rc != GR_OK) goto done;
    }
    /* the plain card turned as g was (not used when it does not fit) */
    if (plain && plain->pixels && info->quarter_turns && ocr_gray_rotate(plain, info->quarter_turns) != GR_OK) {
        rc = GR_ERR_NOMEM;
        goto done;
    }
    for (int k = 0; k < 3 && colour && info->quarter_turns; k++)
        if (colour[k].pixels && ocr_gray_rotate(&colour[k], info->quarter_turns) != GR_OK) {
            rc = GR_ERR_NOMEM;
            goto done;
        }
    const ocr_gray_t *pl = plain && plain->width == g->width && plain->height == g->height ? plain : NULL;
    const ocr_gray_t *cl = same_size3(g, colour) ? colour : NULL;
    {
        double tb = gr_now_mono();
        int nre = 0, nch = 0;
        rc = reread_big_and_poor_lines(t, primary, g, pl, 0, lines, deadline, &nre, &nch);
        LOG_D("big lines: %d re-read, %d changed, %.0f ms", nre, nch, (gr_now_mono() - tb) * 1000);
        if (rc != GR_OK) goto done;
        tb = gr_now_mono();
        rc = read_logo_blocks(t, primary, g, pl, lines, deadline, &nre, &nch);
        LOG_D("logo blocks: %d re-read, %d changed, %.0f ms", nre, nch, (gr_now_mono() - tb) * 1000);
        if (rc != GR_OK) goto done;
    }
    int missed = 0;
    /* the card's language as the first reading hints at it (one cue:
     * am04 shows only its e-mail's .br before the missed rows give its
     * site), for rows English reads as noise */
    rc = recover_missed_rows(t, primary, strcmp(primary, "rus") ? ocr_scan_latin_cues(lines, 1) : NULL, g, cl, lines,
                             deadline, &missed);
    if (rc != GR_OK) goto done;
    int vertical = 0;
    rc = recover_vertical_lines(t, primary, g, lines, deadline, &vertical);
    if (rc != GR_OK) goto done;
    {
        /* after the missed rows: a row they read whole replaces the poor
         * line's pieces first ("W tidewater.be" over "W tidewater" + "be") */
        double tb = gr_now_mono();
        int nre = 0, nch = 0;
        rc = reread_big_and_poor_lines(t, primary, g, pl, 1, lines, deadline, &nre, &nch);
        LOG_D("poor lines: %d re-read, %d changed, %.0f ms", nre, nch, (gr_now_mono() - tb) * 1000);
        if (rc != GR_OK) goto done;
        tb = gr_now_mono();
        rc = reread_poor_rows_in_colour(t, primary, g, cl, lines, deadline, &nre, &nch);
        LOG_D("noise rows in colour: %d re-read, %d changed, %.0f ms", nre, nch, (gr_now_mono() - tb) * 1000);
        if (rc != GR_OK) goto done;
        tb = gr_now_mono();
        rc = reread_number_junk_lines(t, g, lines, deadline, &nre, &nch);
        LOG_D("number lines read as words: %d re-read, %d changed, %.0f ms", nre, nch, (gr_now_mono() - tb) * 1000);
        if (rc != GR_OK) goto done;
        tb = gr_now_mono();
        ocr_textbox_t logo;
        rc = read_detected_lines(t, primary, g, pl, lines, deadline, &nre, &nch, &logo);
        LOG_D("line detector: %d found, %d added, %.0f ms", nre, nch, (gr_now_mono() - tb) * 1000);
        if (rc != GR_OK) goto done;
        tb = gr_now_mono();
        rc = reread_with_linerec(t, primary, g, pl, lines, deadline, &nre, &nch);
        LOG_D("line recogniser: %d read, %d changed, %.0f ms", nre, nch, (gr_now_mono() - tb) * 1000);
        if (rc != GR_OK) goto done;
        info->unread_logo = unread_logo(lines, &logo);
    }
    snprintf(info->langs, sizeof info->langs, "%s", primary);
    if (!strcmp(primary, "rus")) {
        if (ocr_tess_has(t, "eng")) {
            rc = reread(t, "eng", g, lines, latin_content, 1, 0, NULL, deadline);
            strncat(info->langs, "+eng(lines)", sizeof info->langs - strlen(info->langs) - 1);
        }
    } else {
        const char *lang = latin_language(lines);
        if (lang && ocr_tess_has(t, lang)) {
            rc = reread(t, lang, g, lines, word_line, 0, 0.08f, lang, deadline);
            snprintf(info->langs + strlen(info->langs), sizeof info->langs - strlen(info->langs), "+%s(lines)", lang);
            int marked = 0;
            if (rc == GR_OK) rc = caps_marks(t, lang, g, lines, deadline, &marked);
            LOG_D("marks on capitals: %d line(s) mended", marked);
            int mended = rc == GR_OK ? mend_accents(t, lang, lines) : 0;
            if (mended < 0) rc = mended;
            else LOG_D("accents: %d words mended (%s)", mended, lang);
        }
        if (rc == GR_OK && ocr_tess_has(t, "eng")) {
            const char *lean = ocr_scan_latin_cues(lines, 1);
            int mended = mend_lookalikes(t, lang && ocr_tess_has(t, lang) ? lang : NULL,
                                 lean && ocr_tess_has(t, lean) ? lean : NULL, lines);
            if (mended < 0) rc = mended;
            else LOG_D("look-alikes: %d words mended", mended);
        }
    }
    if (rc == GR_ERR_NOTFOUND) rc = GR_OK;
    if (rc == GR_OK) {
        double tv = gr_now_mono();
        int joined = ocr_scan_join_contact_lines(lines), changed = 0, reread = 0;
        rc = vote_contact_lines(t, g, pl, lines, deadline, &reread, &changed);
        LOG_D("contact lines: %d joined, %d re-read, %d changed, %.0f ms", joined, reread, changed,
              (gr_now_mono() - tv) * 1000);
    }
done:
    ocr_lines_free(&words);
    info->conf = conf;
    LOG_D("osd %.0f ms, text %.0f ms (first pass %.0f ms; %s, conf %.2f)", (t1 - t0) * 1000,
          (gr_now_mono() - t1) * 1000, (t2 - t1) * 1000, info->langs, conf);
    if (rc == GR_OK && lines->n == 0) rc = GR_ERR_EMPTY;
    return rc;
}
