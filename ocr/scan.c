/* scan.c - orientation, script and language choice for one card.
 *
 * One full Tesseract pass per card, in the language of the card's script
 * (OSD: Latin -> eng, Cyrillic -> rus). Then only the lines that need it
 * are read again, one by one: on a Cyrillic card the e-mail/web lines with
 * eng; on a card with German or French cues (domain, +49/+33, words like
 * Straße, GmbH, Tél, rue) the name/title/company/address lines with deu or
 * fra, for the umlauts and accents eng does not have. A card whose pass
 * reads badly is read once more with the other script. */
#include "scan.h"

#include "err.h"
#include "utf8.h"

#define GR_LOG_MODULE "ocr"
#include "log.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { PSM_SPARSE = 11 };

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

static int has_ci(const char *s, const char *w) {
    size_t n = strlen(w);
    for (; *s; s++)
        if (!strncasecmp(s, w, n)) return 1;
    return 0;
}

/* German/French cues in the text of a Latin card: "deu", "fra" or NULL. */
static const char *latin_language(const ocr_lines_t *ls) {
    static const char *const de[] = {".de", "+49", "gmbh", "telefon", "straße", "strasse", "str.", "mobil:", "handy",
                                     "e-mail:", "weg ", "platz ", "allee ", "ring ", " kg", " ag", "fax:", NULL};
    static const char *const fr[] = {".fr", "+33", "tél", "courriel", "portable", "rue ", "boulevard", "avenue ",
                                     "chemin", "sarl", "s.a.r.l", " sas", "allée", "cedex", "fax :", "tél :", NULL};
    int nd = 0, nf = 0;
    for (size_t i = 0; i < ls->n; i++) {
        for (int k = 0; de[k]; k++) nd += has_ci(ls->v[i].text, de[k]);
        for (int k = 0; fr[k]; k++) nf += has_ci(ls->v[i].text, fr[k]);
    }
    if (nd >= 2 && nd > nf) return "deu";
    if (nf >= 2 && nf > nd) return "fra";
    return NULL;
}

/* Lines whose content is Latin by nature (e-mail, URL) even on a Cyrillic
 * card: '@', www, http, or a word with a dot inside ("про.ги" is npo.ru
 * read with the Russian model). */
static int latin_content(const char *t) {
    if (strchr(t, '@') || has_ci(t, "www") || has_ci(t, "http")) return 1;
    for (const char *p = t; *p; p++)
        if (*p == '.' && p > t && p[1] && p[-1] != ' ' && p[1] != ' ' && !isdigit((unsigned char)p[1]) &&
            !isdigit((unsigned char)p[-1]))
            return 1;
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

/* Re-read the lines chosen by `pick` with langs; keep a reading when
 * `force` or when it is at least as confident (minus slack). */
static int reread(ocr_tess_t *t, const char *langs, const ocr_gray_t *g, ocr_lines_t *ls, int (*pick)(const char *),
                  int force, float slack, double deadline) {
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
        if (texts[k] && *texts[k] && (force || (confs[k] + slack >= l->conf && spaces(texts[k]) <= spaces(l->text)))) {
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

int ocr_scan_card(ocr_tess_t *t, ocr_gray_t *g, double deadline, ocr_lines_t *lines, ocr_scan_info_t *info) {
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
    int rc = ocr_tess_read(t, primary, g, PSM_SPARSE, deadline, lines, &conf);
    t2 = gr_now_mono();
    if (rc != GR_OK) goto done;
    /* a poor reading may be the wrong script: try the other one */
    const char *other = !strcmp(primary, "rus") ? "eng" : "rus";
    if (conf < 0.65f && lines->n > 0 && ocr_tess_has(t, other)) {
        ocr_lines_t alt = {0};
        float aconf = 0;
        int arc = ocr_tess_read(t, other, g, PSM_SPARSE, deadline, &alt, &aconf);
        LOG_D("script retry %s: conf %.2f -> %s %.2f", primary, conf, other, aconf);
        if (arc == GR_OK && aconf > conf + 0.05f) {
            ocr_lines_free(lines);
            *lines = alt;
            primary = other;
            conf = aconf;
        } else {
            ocr_lines_free(&alt);
        }
    }
    /* a poor reading may be upside down (OSD misses some): try 180 degrees */
    if (conf < 0.6f && lines->n > 0) {
        ocr_lines_t alt = {0};
        float aconf = 0;
        if (ocr_gray_rotate(g, 2) != GR_OK) return GR_ERR_NOMEM;
        int arc = ocr_tess_read(t, primary, g, PSM_SPARSE, deadline, &alt, &aconf);
        LOG_D("orientation retry: conf %.2f -> %.2f upside down", conf, aconf);
        if (arc == GR_OK && aconf > conf + 0.1f) {
            ocr_lines_free(lines);
            *lines = alt;
            conf = aconf;
            info->quarter_turns = (info->quarter_turns + 2) % 4;
        } else {
            ocr_lines_free(&alt);
            if (ocr_gray_rotate(g, 2) != GR_OK) return GR_ERR_NOMEM;
        }
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
                ocr_lines_t alt = {0};
                float aconf = 0;
                if (ocr_tess_read(t, "eng", g, PSM_SPARSE, deadline, &alt, &aconf) == GR_OK && aconf > conf) {
                    ocr_lines_free(lines);
                    *lines = alt;
                    primary = "eng";
                    conf = aconf;
                } else {
                    ocr_lines_free(&alt);
                }
            }
        }
        for (int k = 0; k < 3; k++) free(texts[k]);
    }
    snprintf(info->langs, sizeof info->langs, "%s", primary);
    if (!strcmp(primary, "rus")) {
        if (ocr_tess_has(t, "eng")) {
            rc = reread(t, "eng", g, lines, latin_content, 1, 0, deadline);
            strncat(info->langs, "+eng(lines)", sizeof info->langs - strlen(info->langs) - 1);
        }
    } else {
        const char *lang = latin_language(lines);
        if (lang && ocr_tess_has(t, lang)) {
            rc = reread(t, lang, g, lines, word_line, 0, 0.08f, deadline);
            snprintf(info->langs + strlen(info->langs), sizeof info->langs - strlen(info->langs), "+%s(lines)", lang);
        }
    }
    if (rc == GR_ERR_NOTFOUND) rc = GR_OK;
done:
    info->conf = conf;
    LOG_D("osd %.0f ms, text %.0f ms (first pass %.0f ms; %s, conf %.2f)", (t1 - t0) * 1000,
          (gr_now_mono() - t1) * 1000, (t2 - t1) * 1000, info->langs, conf);
    if (rc == GR_OK && lines->n == 0) rc = GR_ERR_EMPTY;
    return rc;
}
