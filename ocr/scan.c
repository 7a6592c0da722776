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

#include "firmware/core/err.h"
#include "firmware/formats/utf8.h"

#define GR_LOG_MODULE "ocr"
#include "firmware/core/log.h"

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

/* German/French/Portuguese/Spanish cues in the text of a Latin card:
 * "deu", "fra", "por", "spa" or NULL. */
static const char *latin_language(const ocr_lines_t *ls) {
    static const char *const de[] = {".de", "+49", "gmbh", "telefon", "straße", "strasse", "str.", "mobil:", "handy",
                                     "e-mail:", "weg ", "platz ", "allee ", "ring ", " kg", " ag", "fax:", NULL};
    static const char *const fr[] = {".fr", "+33", "tél", "courriel", "portable", "rue ", "boulevard", "avenue ",
                                     "chemin", "sarl", "s.a.r.l", " sas", "allée", "cedex", "fax :", "tél :", NULL};
    static const char *const pt[] = {".br", "+55", "ltda", "rua ", "av. ", "cep", "são ", "ção", "ções", "fone",
                                     "cel.", "celular", "bairro", "jd. ", "telefone", "contato", "ã", "õ", NULL};
    static const char *const es[] = {".es", ".mx", ".ar", ".cl", "+34", "+52", "+54", "calle", "teléfono", "móvil",
                                     "s.l.", "ñ", "avda", "c/ ", "ción", "correo", NULL};
    int nd = 0, nf = 0, np = 0, ne = 0;
    for (size_t i = 0; i < ls->n; i++) {
        for (int k = 0; de[k]; k++) nd += has_ci(ls->v[i].text, de[k]);
        for (int k = 0; fr[k]; k++) nf += has_ci(ls->v[i].text, fr[k]);
        for (int k = 0; pt[k]; k++) np += has_ci(ls->v[i].text, pt[k]);
        for (int k = 0; es[k]; k++) ne += has_ci(ls->v[i].text, es[k]);
    }
    int best = nd > nf ? nd : nf;
    if (np > best) best = np;
    if (ne > best) best = ne;
    if (best < 2) return NULL;
    /* a unique winner only */
    if ((nd == best) + (nf == best) + (np == best) + (ne == best) > 1) return NULL;
    return nd == best ? "deu" : nf == best ? "fra" : np == best ? "por" : "spa";
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
            if (2 * (bot - top) < hmin || 5 * hmax > 7 * hmin) continue; /* not one row of one size */
            if (2 * (b->x - (a->x + a->w)) > hmin) continue;              /* a real gap: two columns */
            if (!latin_content(a->text) && !latin_content(b->text) && !tld_tail(b->text)) continue;
            if (digits(a->text) >= 7 || digits(b->text) >= 7) continue; /* a phone line stays apart */
            size_t la = strlen(a->text), lb = strlen(b->text);
            char *t = malloc(la + lb + 2);
            if (!t) return joins;
            memcpy(t, a->text, la);
            t[la] = ' ';
            memcpy(t + la + 1, b->text, lb + 1);
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

int ocr_scan_vote(const char *const *texts, const float *confs, int n, int *agree) {
    if (agree) *agree = 0;
    if (n <= 0) return -1;
    char(*keys)[300] = calloc((size_t)n, sizeof *keys);
    int *has = calloc((size_t)n, sizeof *has);
    int pick = -1;
    if (!keys || !has) goto out;
    for (int k = 0; k < n; k++) has[k] = texts[k] && ocr_fields_contact_key(texts[k], keys[k], sizeof keys[k]);
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

/* For each e-mail/web line not read with high confidence: read it again in
 * each REREAD way (eng, one line, tight crop) and keep the e-mail/site that
 * most readings agree on (ties: the higher summed confidence, then the first
 * reading). The line's text becomes the most confident reading of the
 * winner. Returns GR_OK, GR_ERR_TIMEOUT or GR_ERR_NOMEM. */
static int vote_contact_lines(ocr_tess_t *t, const ocr_gray_t *g, ocr_lines_t *ls, double deadline, int *reread,
                              int *changed) {
    *reread = *changed = 0;
    if (!ocr_tess_has(t, "eng")) return GR_OK;
    int rc = GR_OK;
    for (size_t i = 0; i < ls->n && rc == GR_OK; i++) {
        ocr_line_t *l = &ls->v[i];
        if (l->w <= 0 || l->h <= 0 || l->conf >= 0.95f || !(latin_content(l->text) || tld_tail(l->text))) continue;
        (*reread)++;
        char *texts[NREREAD + 1] = {0};
        float confs[NREREAD + 1] = {0};
        texts[0] = l->text;
        confs[0] = l->conf;
        int n = 1, agree = 0;
        for (int v = 0; v < NREREAD && rc == GR_OK; v++) {
            ocr_gray_t crop = {0};
            int cr = ocr_gray_line_crop(g, l->x, l->y, l->w, l->h, 2, REREAD[v].scale, REREAD[v].hw, REREAD[v].amount,
                                        12, &crop);
            if (cr == GR_ERR_NOMEM) rc = cr;
            if (cr != GR_OK) continue;
            int r = ocr_tess_read_line_image(t, "eng", &crop, deadline, &texts[n], &confs[n]);
            ocr_gray_free(&crop);
            if (r == GR_ERR_TIMEOUT || r == GR_ERR_NOMEM) rc = r;
            if (!texts[n]) continue;
            n++;
            /* stop once one reading holds a majority of all the readings */
            if (ocr_scan_vote((const char *const *)texts, confs, n, &agree) >= 0 && agree > (NREREAD + 1) / 2) break;
        }
        int pick = ocr_scan_vote((const char *const *)texts, confs, n, &agree);
        /* the card's text is personal data: never in the log */
        if (pick >= 0) LOG_D("contact line %zu re-read (%d of %d readings agree)", i, agree, n);
        if (pick > 0) {
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
        for (int m = 1; m < n; m++) free(texts[m]);
    }
    return rc;
}

/* The page reading drops a line now and then (a short title, a company
 * name on a blurred photo). Rows of text-like marks that no line covers
 * are read one by one in the card's language and kept when read with
 * confidence (logos and QR codes read as low-confidence noise). */
static int recover_missed_rows(ocr_tess_t *t, const char *lang, const ocr_gray_t *g, ocr_lines_t *ls, double deadline,
                               int *added) {
    *added = 0;
    int *b = NULL, n = 0;
    int rc = ocr_gray_text_rows(g, &b, &n);
    if (rc != GR_OK) return rc == GR_ERR_NOMEM ? rc : GR_OK;
    size_t n0 = ls->n;
    int tried = 0;
    for (int i = 0; i < n && rc == GR_OK && tried < 8; i++) { /* a card misses a line or two, not a page */
        int x = b[4 * i], y = b[4 * i + 1], w = b[4 * i + 2], h = b[4 * i + 3];
        if (w < h || h < 8) continue; /* not a word */
        long cov = 0;
        for (size_t k = 0; k < n0; k++) {
            const ocr_line_t *l = &ls->v[k];
            int ix0 = x > l->x ? x : l->x, iy0 = y > l->y ? y : l->y;
            int ix1 = x + w < l->x + l->w ? x + w : l->x + l->w, iy1 = y + h < l->y + l->h ? y + h : l->y + l->h;
            if (ix1 > ix0 && iy1 > iy0) cov += (long)(ix1 - ix0) * (iy1 - iy0);
        }
        if (cov * 10 > (long)w * h * 3) continue; /* read already */
        ocr_gray_t crop = {0};
        if (ocr_gray_line_crop(g, x, y, w, h, 2, 1.0, 0, 0, 12, &crop) != GR_OK) continue;
        tried++;
        char *text = NULL;
        float conf = 0;
        rc = ocr_tess_read_line_image(t, lang, &crop, deadline, &text, &conf);
        ocr_gray_free(&crop);
        int alnum = 0;
        for (const char *p = text ? text : ""; *p; p++) alnum += isalnum((unsigned char)*p) || (unsigned char)*p >= 0xC0;
        if (text && conf >= 0.75f && alnum >= 3) {
            LOG_D("missed row %d,%d,%d,%d read (%zu bytes, %.2f)", x, y, w, h, strlen(text), conf);
            if (ocr_lines_add(ls, text, conf, x, y, w, h) != GR_OK) rc = GR_ERR_NOMEM;
            else (*added)++;
        }
        free(text);
    }
    free(b);
    if (tried) LOG_D("missed rows: %d of %d rows read again, %d kept", tried, n, *added);
    return rc == GR_ERR_NOTFOUND ? GR_OK : rc;
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
    /* still poor: a portrait card OSD could not turn (sparse text, a big
     * logo): try a quarter turn each way */
    if (conf < 0.6f && lines->n > 0) {
        int best_turn = 0;
        for (int k = 0; k < 2; k++) {
            /* first +1 quarter turn, then +2 more (= -1 from the start) */
            if (ocr_gray_rotate(g, k == 0 ? 1 : 2) != GR_OK) return GR_ERR_NOMEM;
            ocr_lines_t alt = {0};
            float aconf = 0;
            int arc = ocr_tess_read(t, primary, g, PSM_SPARSE, deadline, &alt, &aconf);
            LOG_D("orientation retry: conf %.2f -> %.2f at %d quarter turn(s)", conf, aconf, k == 0 ? 1 : 3);
            if (arc == GR_OK && aconf > conf + 0.1f) {
                ocr_lines_free(lines);
                *lines = alt;
                conf = aconf;
                best_turn = k == 0 ? 1 : 3;
            } else {
                ocr_lines_free(&alt);
            }
        }
        /* g is at +3 now: turn it to the best orientation (+1, +3 or 0) */
        int back = ((best_turn - 3) % 4 + 4) % 4;
        if (back && ocr_gray_rotate(g, back) != GR_OK) return GR_ERR_NOMEM;
        info->quarter_turns = (info->quarter_turns + best_turn) % 4;
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
    int missed = 0;
    rc = recover_missed_rows(t, primary, g, lines, deadline, &missed);
    if (rc != GR_OK) goto done;
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
    if (rc == GR_OK) {
        double tv = gr_now_mono();
        int joined = ocr_scan_join_contact_lines(lines), changed = 0, reread = 0;
        rc = vote_contact_lines(t, g, lines, deadline, &reread, &changed);
        LOG_D("contact lines: %d joined, %d re-read, %d changed, %.0f ms", joined, reread, changed,
              (gr_now_mono() - tv) * 1000);
    }
done:
    info->conf = conf;
    LOG_D("osd %.0f ms, text %.0f ms (first pass %.0f ms; %s, conf %.2f)", (t1 - t0) * 1000,
          (gr_now_mono() - t1) * 1000, (t2 - t1) * 1000, info->langs, conf);
    if (rc == GR_OK && lines->n == 0) rc = GR_ERR_EMPTY;
    return rc;
}
