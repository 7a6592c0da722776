/* tess.c - Tesseract engines through the C API (see tess.h). */
#include "ocr/tess.h"

#include "firmware/core/err.h"
#include "firmware/formats/strbuf.h"
#include "ocr/spelling.h"

#define GR_LOG_MODULE "ocr"
#include "firmware/core/log.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tesseract/capi.h>

#ifdef GR_OCR_OPENMP
#include <omp.h>
#endif

#define MAX_ENGINES 8
#define NSPELL 3 /* languages with a spelling list */

/* Tesseract's LSTM runs its gates in OpenMP teams of fixed size (more
 * threads than our 2 cores). On a busy machine those threads spin and wait for each
 * other: a scan then costs twice the CPU and 2-3 times the wall time
 * (docs/BENCHMARKS.md). One thread per scan; the setting belongs to the
 * calling thread (OpenMP's per-thread ICVs: dynamic teams capped by
 * nthreads), so other OpenMP users in the process are not affected. */
static void one_thread(void) {
#ifdef GR_OCR_OPENMP
    omp_set_dynamic(1);
    omp_set_num_threads(1);
#endif
}

typedef struct {
    char langs[64];
    TessBaseAPI *api;
} engine_t;

struct ocr_tess {
    char *datapath;          /* NULL = Tesseract's default */
    char languages[128];     /* allowed, '+'-separated */
    engine_t eng[MAX_ENGINES];
    int neng;
    TessBaseAPI *osd;        /* NULL when osd.traineddata is absent */
    int osd_tried;
    ocr_linerec_t *rec;      /* the second line recogniser (owned, NULL: none) */
    ocr_linedet_t *det;      /* the line detector (owned, NULL: none) */
    char *dictdir;           /* spelling lists' folder (NULL: none) */
    ocr_spelling_t *spell[NSPELL]; /* SPELL_LANG's: loaded on first use (NULL: none) */
    int spell_tried[NSPELL];
};

/* The languages with a spelling list, its file in ocr.dict_dir, and its
 * Debian package. */
static const char *const SPELL_LANG[NSPELL] = {"por", "spa", "eng"};
static const char *const SPELL_FILE[NSPELL] = {"brazilian", "spanish", "american-english"};
static const char *const SPELL_PKG[NSPELL] = {"wbrazilian", "wspanish", "wamerican"};

static const char *default_datapath(void) {
    static const char *cands[] = {"/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                                  "/usr/share/tessdata", NULL};
    struct stat sb;
    for (int i = 0; cands[i]; i++)
        if (stat(cands[i], &sb) == 0) return cands[i];
    return NULL;
}

static int have_data(const char *dir, const char *lang) {
    char path[4200];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s.traineddata", dir ? dir : ".", lang);
    return stat(path, &sb) == 0;
}

int ocr_tess_has(const ocr_tess_t *t, const char *lang) {
    size_t n = strlen(lang);
    const char *p = t->languages;
    while (*p) {
        size_t k = strcspn(p, "+");
        if (k == n && !strncmp(p, lang, n)) return 1;
        p += k;
        if (*p) p++;
    }
    return 0;
}

int ocr_tess_open(const char *datapath, const char *languages, ocr_tess_t **out, char *err, size_t errlen) {
    *out = NULL;
    ocr_tess_t *t = calloc(1, sizeof *t);
    if (!t) return GR_ERR_NOMEM;
    const char *dp = datapath && *datapath ? datapath : default_datapath();
    if (dp && !(t->datapath = strdup(dp))) goto nomem;
    if (!languages || !*languages || strlen(languages) >= sizeof t->languages) {
        snprintf(err, errlen, "ocr.languages '%s' is empty or too long", languages ? languages : "");
        ocr_tess_close(t);
        return GR_ERR_INVAL;
    }
    snprintf(t->languages, sizeof t->languages, "%s", languages);
    const char *p = languages;
    while (*p) {
        size_t k = strcspn(p, "+");
        char lang[32];
        if (k == 0 || k >= sizeof lang) {
            snprintf(err, errlen, "ocr.languages '%s': bad language code", languages);
            ocr_tess_close(t);
            return GR_ERR_INVAL;
        }
        memcpy(lang, p, k);
        lang[k] = '\0';
        if (!have_data(t->datapath, lang)) {
            snprintf(err, errlen, "Tesseract language data '%s' is not installed in %s (apt-get install tesseract-ocr-%s)",
                     lang, t->datapath ? t->datapath : "(default)", lang);
            ocr_tess_close(t);
            return GR_ERR_NOTFOUND;
        }
        p += k;
        if (*p) p++;
    }
    *out = t;
    return GR_OK;
nomem:
    ocr_tess_close(t);
    return GR_ERR_NOMEM;
}

void ocr_tess_close(ocr_tess_t *t) {
    if (!t) return;
    for (int i = 0; i < t->neng; i++) {
        TessBaseAPIEnd(t->eng[i].api);
        TessBaseAPIDelete(t->eng[i].api);
    }
    if (t->osd) {
        TessBaseAPIEnd(t->osd);
        TessBaseAPIDelete(t->osd);
    }
    ocr_linerec_close(t->rec);
    ocr_linedet_close(t->det);
    for (int i = 0; i < NSPELL; i++) ocr_spelling_free(t->spell[i]);
    free(t->dictdir);
    free(t->datapath);
    free(t);
}

int ocr_tess_set_dict_dir(ocr_tess_t *t, const char *dir) {
    for (int i = 0; i < NSPELL; i++) {
        ocr_spelling_free(t->spell[i]);
        t->spell[i] = NULL;
        t->spell_tried[i] = 0;
    }
    free(t->dictdir);
    t->dictdir = NULL;
    if (dir && *dir && !(t->dictdir = strdup(dir))) return GR_ERR_NOMEM;
    return GR_OK;
}

const ocr_spelling_t *ocr_tess_spelling(ocr_tess_t *t, const char *lang) {
    for (int i = 0; i < NSPELL; i++) {
        if (!lang || strcmp(lang, SPELL_LANG[i])) continue;
        if (!t->spell_tried[i] && t->dictdir) {
            t->spell_tried[i] = 1;
            char path[4200];
            snprintf(path, sizeof path, "%s/%s", t->dictdir, SPELL_FILE[i]);
            double t0 = gr_now_mono();
            int rc = ocr_spelling_load(path, &t->spell[i]);
            if (rc == GR_OK)
                LOG_D("spelling list %s: %zu words in %.0f ms", path, ocr_spelling_count(t->spell[i]),
                      (gr_now_mono() - t0) * 1000);
            else if (rc == GR_ERR_NOTFOUND)
                LOG_I("no spelling list %s (apt-get install %s): accents are mended with the Tesseract word list", path,
                      SPELL_PKG[i]);
            else
                LOG_W("spelling list %s not read (%s): accents are mended with the Tesseract word list", path,
                      gr_strerror(rc));
        }
        return t->spell[i];
    }
    return NULL;
}

void ocr_tess_set_linerec(ocr_tess_t *t, ocr_linerec_t *rec) {
    ocr_linerec_close(t->rec);
    t->rec = rec;
}

ocr_linerec_t *ocr_tess_linerec(const ocr_tess_t *t) { return t ? t->rec : NULL; }

void ocr_tess_set_linedet(ocr_tess_t *t, ocr_linedet_t *det) {
    ocr_linedet_close(t->det);
    t->det = det;
}

ocr_linedet_t *ocr_tess_linedet(const ocr_tess_t *t) { return t ? t->det : NULL; }

void ocr_tess_fold_dotless_i(char *s, const char *langs) {
    static const char *const KEEP[] = {"tur", "aze", "crh", "gag", "tat", NULL};
    if (!s || !strstr(s, "\xc4\xb1")) return;
    for (int k = 0; KEEP[k]; k++)
        if (langs && strstr(langs, KEEP[k])) return;
    char *w = s;
    for (const char *r = s; *r; r++) {
        if ((unsigned char)r[0] == 0xC4 && (unsigned char)r[1] == 0xB1) {
            *w++ = 'i';
            r++;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

static TessBaseAPI *new_api(const char *datapath, const char *langs, TessOcrEngineMode oem) {
    TessBaseAPI *api = TessBaseAPICreate();
    if (!api) return NULL;
    /* Settings that must be given at init time: no dictionaries bias the
     * LSTM towards words (names and addresses are rarely in them). */
    char *names[] = {"load_system_dawg", "load_freq_dawg"};
    char *values[] = {"0", "0"};
    if (TessBaseAPIInit4(api, datapath, langs, oem, NULL, 0, names, values, 2, 0) != 0) {
        TessBaseAPIDelete(api);
        return NULL;
    }
    TessBaseAPISetVariable(api, "debug_file", "/dev/null");
    /* The card is already dark-on-light: do not re-read weak lines inverted. */
    TessBaseAPISetVariable(api, "tessedit_do_invert", "0");
    return api;
}

static TessBaseAPI *engine(ocr_tess_t *t, const char *langs) {
    for (int i = 0; i < t->neng; i++)
        if (!strcmp(t->eng[i].langs, langs)) return t->eng[i].api;
    /* every language of the combination must be allowed */
    const char *p = langs;
    while (*p) {
        size_t k = strcspn(p, "+");
        char lang[32];
        if (k == 0 || k >= sizeof lang) return NULL;
        memcpy(lang, p, k);
        lang[k] = '\0';
        if (!ocr_tess_has(t, lang)) return NULL;
        p += k;
        if (*p) p++;
    }
    if (strlen(langs) >= sizeof t->eng[0].langs) return NULL;
    if (t->neng == MAX_ENGINES) { /* drop the oldest */
        TessBaseAPIEnd(t->eng[0].api);
        TessBaseAPIDelete(t->eng[0].api);
        memmove(&t->eng[0], &t->eng[1], sizeof t->eng[0] * (MAX_ENGINES - 1));
        t->neng--;
    }
    double t0 = gr_now_mono();
    TessBaseAPI *api = new_api(t->datapath, langs, OEM_LSTM_ONLY);
    if (!api) {
        LOG_E("Tesseract could not load '%s' from %s", langs, t->datapath ? t->datapath : "(default)");
        return NULL;
    }
    LOG_D("Tesseract '%s' loaded in %.0f ms", langs, (gr_now_mono() - t0) * 1000);
    snprintf(t->eng[t->neng].langs, sizeof t->eng[0].langs, "%s", langs);
    t->eng[t->neng++].api = api;
    return api;
}

int ocr_tess_is_word(ocr_tess_t *t, const char *lang, const char *word) {
    TessBaseAPI *api = engine(t, lang);
    return api && TessBaseAPIIsValidWord(api, word) > 0;
}

static int set_image(TessBaseAPI *api, const ocr_gray_t *g) {
    if (!g->pixels || g->width <= 0 || g->height <= 0) return GR_ERR_INVAL;
    TessBaseAPISetImage(api, g->pixels, g->width, g->height, 1, g->width);
    TessBaseAPISetSourceResolution(api, 300);
    return GR_OK;
}

int ocr_tess_osd(ocr_tess_t *t, const ocr_gray_t *g, int *quarter_turns, char *script, size_t scriptlen,
                 float *conf) {
    one_thread();
    *quarter_turns = 0;
    if (script && scriptlen) script[0] = '\0';
    if (conf) *conf = 0;
    if (!t->osd && !t->osd_tried) {
        t->osd_tried = 1;
        if (have_data(t->datapath, "osd")) t->osd = new_api(t->datapath, "osd", OEM_TESSERACT_ONLY);
        if (!t->osd) LOG_W("no osd.traineddata: card orientation and script are not detected");
    }
    if (!t->osd) return GR_ERR_UNSUPPORTED;
    TessBaseAPISetPageSegMode(t->osd, PSM_OSD_ONLY);
    if (set_image(t->osd, g) != GR_OK) return GR_ERR_INVAL;
    int deg = 0;
    float oconf = 0, sconf = 0;
    const char *sname = NULL;
    BOOL ok = TessBaseAPIDetectOrientationScript(t->osd, &deg, &oconf, &sname, &sconf);
    TessBaseAPIClear(t->osd);
    if (!ok) return GR_ERR_EMPTY;
    /* deg: the counter-clockwise rotation the page shows; turn it back */
    *quarter_turns = ((deg / 90) % 4 + 4) % 4;
    if (script && scriptlen && sname) snprintf(script, scriptlen, "%s", sname);
    if (conf) *conf = oconf;
    return GR_OK;
}

int ocr_tess_read(ocr_tess_t *t, const char *langs, const ocr_gray_t *g, int psm, double deadline, ocr_lines_t *out,
                  float *mean_conf) {
    return ocr_tess_read_words(t, langs, g, psm, deadline, out, mean_conf, NULL);
}

int ocr_tess_read_words(ocr_tess_t *t, const char *langs, const ocr_gray_t *g, int psm, double deadline,
                        ocr_lines_t *out, float *mean_conf, ocr_lines_t *words) {
    one_thread();
    if (mean_conf) *mean_conf = 0;
    TessBaseAPI *api = engine(t, langs);
    if (!api) return GR_ERR_NOTFOUND;
    double left = deadline - gr_now_mono();
    if (left <= 0) return GR_ERR_TIMEOUT;
    TessBaseAPISetPageSegMode(api, (TessPageSegMode)psm);
    if (set_image(api, g) != GR_OK) return GR_ERR_INVAL;
    ETEXT_DESC *mon = TessMonitorCreate();
    if (!mon) return GR_ERR_NOMEM;
    TessMonitorSetDeadlineMSecs(mon, (int)(left * 1000 > 2e9 ? 2e9 : left * 1000));
    int rc = GR_OK;
    int r = TessBaseAPIRecognize(api, mon);
    TessMonitorDelete(mon);
    if (gr_now_mono() > deadline) rc = GR_ERR_TIMEOUT;
    else if (r != 0) LOG_D("Tesseract Recognize returned %d", r);
    /* Lines are rebuilt from words so that a line the engine ran across
     * two columns (a gap wider than ~1.5 line heights) becomes two. */
    TessResultIterator *it = TessBaseAPIGetIterator(api);
    double csum = 0;
    int cn = 0;
    if (it) {
        TessPageIterator *pit = TessResultIteratorGetPageIterator(it);
        fmt_strbuf_t seg;
        fmt_sb_init(&seg);
        int sx0 = 0, sy0 = 0, sx1 = 0, sy1 = 0, nw = 0, lh = 0;
        double sc = 0;
        do {
            int x0, y0, x1, y1;
            if (!TessPageIteratorBoundingBox(pit, RIL_WORD, &x0, &y0, &x1, &y1)) continue;
            int new_line = TessPageIteratorIsAtBeginningOf(pit, RIL_TEXTLINE);
            if (new_line) {
                int lx0, ly0, lx1, ly1;
                lh = TessPageIteratorBoundingBox(pit, RIL_TEXTLINE, &lx0, &ly0, &lx1, &ly1) ? ly1 - ly0 : y1 - y0;
            }
            int gap = nw ? x0 - sx1 : 0;
            if (nw && (new_line || gap > (lh * 3) / 2 || gap < -lh)) {
                float c = (float)(sc / nw);
                if (ocr_lines_add(out, seg.s ? seg.s : "", c, sx0, sy0, sx1 - sx0, sy1 - sy0) != GR_OK) rc = GR_ERR_NOMEM;
                csum += c * (double)seg.len;
                cn += (int)seg.len;
                seg.len = 0;
                if (seg.s) seg.s[0] = '\0';
                nw = 0;
            }
            char *w = TessResultIteratorGetUTF8Text(it, RIL_WORD);
            if (!w) continue;
            ocr_tess_fold_dotless_i(w, langs);
            float c = TessResultIteratorConfidence(it, RIL_WORD) / 100.0f;
            if (words && ocr_lines_add(words, w, c < 0 ? 0 : c, x0, y0, x1 - x0, y1 - y0) != GR_OK) rc = GR_ERR_NOMEM;
            if (nw == 0) {
                sx0 = x0; sy0 = y0; sx1 = x1; sy1 = y1; sc = 0;
            } else {
                fmt_sb_addc(&seg, ' ');
                if (x0 < sx0) sx0 = x0;
                if (y0 < sy0) sy0 = y0;
                if (x1 > sx1) sx1 = x1;
                if (y1 > sy1) sy1 = y1;
            }
            fmt_sb_adds(&seg, w);
            TessDeleteText(w);
            sc += c < 0 ? 0 : c;
            nw++;
        } while (rc == GR_OK && TessPageIteratorNext(pit, RIL_WORD));
        if (nw && rc == GR_OK) {
            float c = (float)(sc / nw);
            if (ocr_lines_add(out, seg.s ? seg.s : "", c, sx0, sy0, sx1 - sx0, sy1 - sy0) != GR_OK) rc = GR_ERR_NOMEM;
            csum += c * (double)seg.len;
            cn += (int)seg.len;
        }
        if (seg.oom) rc = GR_ERR_NOMEM;
        fmt_sb_free(&seg);
        TessResultIteratorDelete(it);
    }
    TessBaseAPIClear(api);
    if (mean_conf) *mean_conf = cn ? (float)(csum / cn) : 0;
    return rc;
}

int ocr_tess_read_lines(ocr_tess_t *t, const char *langs, const ocr_gray_t *g, const ocr_line_t *const *lines,
                        size_t n, double deadline, char **texts, float *confs) {
    one_thread();
    for (size_t k = 0; k < n; k++) {
        texts[k] = NULL;
        confs[k] = 0;
    }
    if (!n) return GR_OK;
    TessBaseAPI *api = engine(t, langs);
    if (!api) return GR_ERR_NOTFOUND;
    TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
    if (set_image(api, g) != GR_OK) return GR_ERR_INVAL;
    int rc = GR_OK;
    for (size_t k = 0; k < n; k++) {
        const ocr_line_t *l = lines[k];
        if (l->w <= 0 || l->h <= 0) continue;
        double left = deadline - gr_now_mono();
        if (left <= 0) {
            rc = GR_ERR_TIMEOUT;
            break;
        }
        int m = l->h / 3 + 2;
        int x0 = l->x - m < 0 ? 0 : l->x - m, y0 = l->y - m < 0 ? 0 : l->y - m;
        int x1 = l->x + l->w + m > g->width ? g->width : l->x + l->w + m;
        int y1 = l->y + l->h + m > g->height ? g->height : l->y + l->h + m;
        if (x1 - x0 < 4 || y1 - y0 < 4) continue;
        TessBaseAPISetRectangle(api, x0, y0, x1 - x0, y1 - y0);
        ETEXT_DESC *mon = TessMonitorCreate();
        if (!mon) {
            rc = GR_ERR_NOMEM;
            break;
        }
        TessMonitorSetDeadlineMSecs(mon, (int)(left * 1000 > 2e9 ? 2e9 : left * 1000));
        int r = TessBaseAPIRecognize(api, mon);
        TessMonitorDelete(mon);
        if (r != 0) continue;
        char *txt = TessBaseAPIGetUTF8Text(api);
        ocr_tess_fold_dotless_i(txt, langs);
        if (txt) {
            /* one line: join what the engine split */
            for (char *c = txt; *c; c++)
                if (*c == '\n') *c = ' ';
            texts[k] = strdup(txt);
            TessDeleteText(txt);
            if (!texts[k]) {
                rc = GR_ERR_NOMEM;
                break;
            }
        }
        int mc = TessBaseAPIMeanTextConf(api);
        confs[k] = mc > 0 ? mc / 100.0f : 0;
    }
    TessBaseAPIClear(api);
    return rc;
}

int ocr_tess_read_line_image(ocr_tess_t *t, const char *langs, const ocr_gray_t *img, double deadline, char **text,
                             float *conf) {
    return ocr_tess_read_line_image_psm(t, langs, img, OCR_PSM_SINGLE_LINE, deadline, text, conf);
}

_Static_assert((int)OCR_PSM_SINGLE_LINE == (int)PSM_SINGLE_LINE && (int)OCR_PSM_RAW_LINE == (int)PSM_RAW_LINE,
               "tess.h's page segmentation values are Tesseract's");

int ocr_tess_read_line_image_psm(ocr_tess_t *t, const char *langs, const ocr_gray_t *img, int psm, double deadline,
                                 char **text, float *conf) {
    one_thread();
    *text = NULL;
    *conf = 0;
    if (psm != OCR_PSM_SINGLE_LINE && psm != OCR_PSM_RAW_LINE) return GR_ERR_INVAL;
    TessBaseAPI *api = engine(t, langs);
    if (!api) return GR_ERR_NOTFOUND;
    double left = deadline - gr_now_mono();
    if (left <= 0) return GR_ERR_TIMEOUT;
    TessBaseAPISetPageSegMode(api, (TessPageSegMode)psm);
    if (set_image(api, img) != GR_OK) return GR_ERR_INVAL;
    ETEXT_DESC *mon = TessMonitorCreate();
    if (!mon) return GR_ERR_NOMEM;
    TessMonitorSetDeadlineMSecs(mon, (int)(left * 1000 > 2e9 ? 2e9 : left * 1000));
    int r = TessBaseAPIRecognize(api, mon);
    TessMonitorDelete(mon);
    int rc = GR_OK;
    if (gr_now_mono() > deadline) rc = GR_ERR_TIMEOUT;
    if (r == 0) {
        char *txt = TessBaseAPIGetUTF8Text(api);
        ocr_tess_fold_dotless_i(txt, langs);
        if (txt) {
            for (char *c = txt; *c; c++)
                if (*c == '\n') *c = ' ';
            size_t n = strlen(txt);
            while (n && txt[n - 1] == ' ') txt[--n] = '\0';
            if (n && !(*text = strdup(txt))) rc = GR_ERR_NOMEM;
            TessDeleteText(txt);
        }
        int mc = TessBaseAPIMeanTextConf(api);
        *conf = mc > 0 ? mc / 100.0f : 0;
    }
    TessBaseAPIClear(api);
    return rc;
}
