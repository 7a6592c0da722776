/* reader.c - one card scan: photo -> cards -> orientation/script ->
 * Tesseract -> fields, with QR codes preferred (see ocr.h). */
#include "ocr/ocr.h"
#include "ocr/scan.h"

#include "ocr/card_image.h"
#include "firmware/core/err.h"
#include "ocr/fields.h"
#include "ocr/qr.h"
#include "ocr/tess.h"
#include "firmware/core/models.h"

#define GR_LOG_MODULE "ocr"
#include "firmware/core/log.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ocr_reader {
    ocr_tess_t *tess;
    char region[3];
    long timeout_ms;
    double max_mp;
    int text_px;
    int max_cards;
    char *debug_dir;   /* ocr.debug_dir: write cleaned cards there */
};

int ocr_reader_open(const gr_config_t *cfg, ocr_reader_t **out) {
    *out = NULL;
    ocr_reader_t *r = calloc(1, sizeof *r);
    if (!r) return GR_ERR_NOMEM;
    char err[512] = "";
    int rc = ocr_tess_open(gr_config_str(cfg, GR_SET_OCR_TESSDATA), gr_config_str(cfg, GR_SET_OCR_LANGUAGES), &r->tess, err,
                           sizeof err);
    if (rc != GR_OK) {
        LOG_E("card reader: %s", err);
        free(r);
        return rc;
    }
    if (ocr_tess_set_dict_dir(r->tess, gr_config_str(cfg, GR_SET_OCR_DICT_DIR)) != GR_OK) {
        ocr_reader_close(r);
        return GR_ERR_NOMEM;
    }
    snprintf(r->region, sizeof r->region, "%s", gr_config_str(cfg, GR_SET_DEVICE_REGION));
    r->timeout_ms = (long)gr_config_int(cfg, GR_SET_OCR_TIMEOUT_MS);
    r->max_mp = (double)gr_config_int(cfg, GR_SET_OCR_MAX_MEGAPIXELS);
    r->text_px = (int)gr_config_int(cfg, GR_SET_OCR_TEXT_PX);
    r->max_cards = (int)gr_config_int(cfg, GR_SET_OCR_MAX_CARDS);
    const char *dd = gr_config_str(cfg, GR_SET_OCR_DEBUG_DIR);
    if (dd && *dd && !(r->debug_dir = strdup(dd))) {
        ocr_reader_close(r);
        return GR_ERR_NOMEM;
    }
    /* The second line recogniser (PP-OCR, an optional model): without its
     * files the cards are read by Tesseract alone */
    char mp[4096], kp[4096];
    const char *md = gr_config_str(cfg, GR_SET_MODELS_DIR);
    if (md && gr_models_path(md, "ppocr_rec", mp, sizeof mp) == GR_OK &&
        gr_models_path(md, "ppocr_keys", kp, sizeof kp) == GR_OK) {
        ocr_linerec_t *lr = NULL;
        int lrc = ocr_linerec_open(mp, kp, &lr, err, sizeof err);
        if (lrc == GR_OK) {
            ocr_tess_set_linerec(r->tess, lr);
            LOG_D("card reader: line recogniser %s", mp);
        } else if (lrc == GR_ERR_NOTFOUND) {
            LOG_I("card reader: no PP-OCR line recogniser in %s (models/fetch.sh gets it): Tesseract alone", md);
        } else {
            LOG_W("card reader: %s; reading with Tesseract alone", err);
        }
    }
    /* and its line detector (optional too) */
    if (md && ocr_tess_linerec(r->tess) && gr_models_path(md, "ppocr_det", mp, sizeof mp) == GR_OK) {
        ocr_linedet_t *ld = NULL;
        int ldc = ocr_linedet_open(mp, &ld, err, sizeof err);
        if (ldc == GR_OK) {
            ocr_tess_set_linedet(r->tess, ld);
            LOG_D("card reader: line detector %s", mp);
        } else if (ldc == GR_ERR_NOTFOUND) {
            LOG_I("card reader: no PP-OCR line detector in %s (models/fetch.sh gets it)", md);
        } else {
            LOG_W("card reader: %s; no line detector", err);
        }
    }
    /* Warm the engines every scan needs so the first scan is not slow. */
    ocr_scan_warm(r->tess);
    *out = r;
    return GR_OK;
}

void ocr_reader_close(ocr_reader_t *r) {
    if (!r) return;
    ocr_tess_close(r->tess);
    free(r->debug_dir);
    free(r);
}

static void set_err(char *err, size_t errlen, const char *fmt, const char *a) {
    if (err && errlen) snprintf(err, errlen, fmt, a);
}

/* How many fields a contact read holds: each of name, company, title and
 * address that is not empty, and each phone, e-mail and website. */
static size_t field_count(const json_t *c) {
    static const char *const STR[] = {"name", "company", "title", "address", NULL};
    static const char *const ARR[] = {"phones", "emails", "websites", NULL};
    size_t n = 0;
    for (int i = 0; STR[i]; i++) {
        const char *v = json_string_value(json_object_get(c, STR[i]));
        n += v && *v;
    }
    for (int i = 0; ARR[i]; i++) n += json_array_size(json_object_get(c, ARR[i]));
    return n;
}

/* Outlines of a desk's pattern (wood grain, a striped cloth) are taken for
 * cards and read nothing a card holds: when a photo gave at least one card
 * with fields, the cards without any are dropped. */
static void drop_empty_cards(json_t *arr) {
    size_t n = json_array_size(arr), full = 0;
    for (size_t i = 0; i < n; i++) full += field_count(json_array_get(arr, i)) > 0;
    if (!full || full == n) return;
    for (size_t i = n; i-- > 0;)
        if (!field_count(json_array_get(arr, i))) json_array_remove(arr, i);
}

/* Reads card i of a photo: its contact goes to arr (none when the card
 * gave no line and no QR code) and, when want_text, its lines to texts.
 * GR_OK; GR_ERR_TIMEOUT when the deadline cut the reading short (what was
 * read is kept); GR_ERR_NOMEM or another error of the scan. */
static int read_card(ocr_reader_t *r, ocr_card_img_t *c, int i, const char *reg, double deadline, json_t *arr,
                     json_t *texts, int want_text) {
    json_t *qr = NULL;
    if (c->qr) {
        qr = ocr_qr_contact(c->qr, reg);
        if (!qr) LOG_D("card %d: QR code is not a contact: %.40s", i, c->qr);
    }
    ocr_lines_t lines = {0};
    ocr_scan_info_t info = {0};
    int src = ocr_scan_card(r->tess, &c->gray, &c->plain, c->colour, c->sharpened, deadline, &lines, &info);
    if (src != GR_OK && src != GR_ERR_EMPTY && src != GR_ERR_TIMEOUT) {
        json_decref(qr);
        ocr_lines_free(&lines);
        return src;
    }
    int rc = src == GR_ERR_TIMEOUT ? GR_ERR_TIMEOUT : GR_OK;
    if (r->debug_dir) {
        char path[4200];
        snprintf(path, sizeof path, "%s/card-%d.png", r->debug_dir, i);
        if (ocr_gray_write_png(&c->gray, path) != GR_OK) LOG_W("could not write %s", path);
        snprintf(path, sizeof path, "%s/card-%d-plain.png", r->debug_dir, i);
        if (ocr_gray_write_png(&c->plain, path) != GR_OK) LOG_W("could not write %s", path);
    }
    LOG_D("card %d: located=%d slant=%.1f inverted=%d sharpened=%d scale=%.2f turns=%d script=%s langs=%s "
          "lines=%zu",
          i, c->located, c->slant, c->inverted, c->sharpened, c->scale, info.quarter_turns, info.script, info.langs,
          lines.n);
    if (want_text) {
        fmt_strbuf_t tb;
        fmt_sb_init(&tb);
        for (size_t k = 0; k < lines.n; k++)
            fmt_sb_printf(&tb, "%.2f %d,%d,%d,%d\t%s\n", lines.v[k].conf, lines.v[k].x, lines.v[k].y, lines.v[k].w,
                          lines.v[k].h, lines.v[k].text);
        char *s = fmt_sb_take(&tb);
        json_array_append_new(texts, json_pack("{s:s, s:s, s:s?}", "langs", info.langs, "text", s ? s : "", "qr",
                                               c->qr));
        free(s);
    }
    /* A photo with no card outline and no text is "no card", not an empty card. */
    if (lines.n == 0 && !qr) {
        ocr_lines_free(&lines);
        return rc;
    }
    json_t *contact = ocr_fields_parse(&lines, reg);
    ocr_lines_free(&lines);
    if (!contact) {
        json_decref(qr);
        return GR_ERR_NOMEM;
    }
    if (c->sharpened) ocr_fields_blurred_confidence(contact);
    else ocr_fields_small_print_confidence(contact, c->scale);
    ocr_fields_numbers_in_doubt(contact, c->scale, info.numbers_in_doubt);
    if (info.unread_logo && ocr_fields_company_from_brand(contact))
        LOG_D("card %d: logo unread, company from its domain: %s", i,
              json_string_value(json_object_get(contact, "company")));
    if (qr) ocr_fields_merge_qr(contact, qr);
    json_object_set_new(contact, "source", json_string(qr ? "qr" : "ocr"));
    json_decref(qr);
    json_array_append_new(arr, contact);
    return rc;
}

/* A card outline can be taken wrongly: the finger holding a card joins
 * its outline, which then cuts across the card and turns its print on its
 * side (ocr_cards2 HAND renders: 8 photos in 640 read one field or none).
 * When no card found by its outline read two fields, the whole photo is
 * read as one card too, and that reading is kept when it holds more.
 * *arr and *texts are replaced then. GR_OK, GR_ERR_TIMEOUT (the deadline
 * cut the second reading short), GR_ERR_NOMEM. */
static int read_whole_photo(ocr_reader_t *r, const void *img, size_t len, const ocr_image_opts_t *io,
                            const char *reg, double deadline, int index, json_t **arr, json_t **texts, int want_text) {
    size_t best = 0;
    for (size_t k = 0; k < json_array_size(*arr); k++) {
        size_t n = field_count(json_array_get(*arr, k));
        if (n > best) best = n;
    }
    if (best >= 2 || gr_now_mono() >= deadline) return GR_OK;
    ocr_image_opts_t wo = *io;
    wo.whole = 1;
    ocr_card_img_t *w = NULL;
    int nw = 0;
    int rc = ocr_image_prepare(img, len, &wo, &w, &nw, NULL, 0);
    if (rc != GR_OK) return rc == GR_ERR_NOMEM ? rc : GR_OK; /* the photo was decoded once: keep that reading */
    json_t *warr = json_array(), *wtexts = json_array();
    rc = warr && wtexts ? read_card(r, &w[0], index, reg, deadline, warr, wtexts, want_text) : GR_ERR_NOMEM;
    size_t got = json_array_size(warr) ? field_count(json_array_get(warr, 0)) : 0;
    LOG_D("outlines read %zu field(s), the whole photo %zu", best, got);
    if ((rc == GR_OK || rc == GR_ERR_TIMEOUT) && got > best) {
        json_decref(*arr);
        json_decref(*texts);
        *arr = warr;
        *texts = wtexts;
    } else {
        json_decref(warr);
        json_decref(wtexts);
    }
    ocr_card_imgs_free(w, nw);
    /* another error of the second reading leaves the first one standing */
    return rc == GR_ERR_NOMEM || rc == GR_ERR_TIMEOUT ? rc : GR_OK;
}

int ocr_reader_scan_ex(ocr_reader_t *r, const void *img, size_t len, const char *region, char **json, char **text,
                       char *err, size_t errlen) {
    if (json) *json = NULL;
    if (text) *text = NULL;
    if (err && errlen) err[0] = '\0';
    if (!r || !img) return GR_ERR_INVAL;
    const char *reg = region && *region ? region : r->region;
    double t0 = gr_now_mono();
    double deadline = t0 + r->timeout_ms / 1000.0;
    ocr_card_img_t *cards = NULL;
    int ncards = 0, rc;
    json_t *arr = json_array();
    json_t *texts = json_array();
    if (!arr || !texts) {
        rc = GR_ERR_NOMEM;
        goto done;
    }
    ocr_image_opts_t io = {r->max_cards, r->max_mp, r->text_px, 1, 0};
    rc = ocr_image_prepare(img, len, &io, &cards, &ncards, err, errlen);
    if (rc != GR_OK) goto done;
    double t_img = gr_now_mono();
    int timed_out = 0;
    for (int i = 0; i < ncards && !timed_out; i++) {
        int src = read_card(r, &cards[i], i, reg, deadline, arr, texts, text != NULL);
        if (src == GR_ERR_TIMEOUT) timed_out = 1;
        else if (src != GR_OK) {
            rc = src;
            goto done;
        }
    }
    /* the cards' images are not needed any more: freed before a second
     * reading prepares the whole photo */
    int located = cards[0].located;
    ocr_card_imgs_free(cards, ncards);
    cards = NULL;
    if (!timed_out && located) {
        int src = read_whole_photo(r, img, len, &io, reg, deadline, ncards, &arr, &texts, text != NULL);
        if (src == GR_ERR_TIMEOUT) timed_out = 1;
        else if (src != GR_OK) {
            rc = src;
            goto done;
        }
    }
    drop_empty_cards(arr);
    LOG_D("scan: %d card(s), image %.0f ms, total %.0f ms", ncards, (t_img - t0) * 1000, (gr_now_mono() - t0) * 1000);
    if (timed_out && json_array_size(arr) == 0) {
        set_err(err, errlen, "the scan took longer than ocr.timeout_ms%s", "");
        rc = GR_ERR_TIMEOUT;
        goto done;
    }
    if (json_array_size(arr) == 0 && !text) {
        set_err(err, errlen, "no card found in the photo%s", "");
        rc = GR_ERR_EMPTY;
        goto done;
    }
    if (json) {
        *json = json_dumps(arr, JSON_COMPACT | JSON_REAL_PRECISION(3));
        if (!*json) rc = GR_ERR_NOMEM;
    }
    if (text && rc == GR_OK) {
        *text = json_dumps(texts, JSON_COMPACT);
        if (!*text) rc = GR_ERR_NOMEM;
    }
done:
    if (rc == GR_ERR_NOMEM) set_err(err, errlen, "out of memory%s", "");
    ocr_card_imgs_free(cards, ncards);
    json_decref(arr);
    json_decref(texts);
    return rc;
}

int ocr_reader_scan(ocr_reader_t *r, const void *img, size_t len, const char *region, char **json, char *err,
                    size_t errlen) {
    if (!json) return GR_ERR_INVAL;
    return ocr_reader_scan_ex(r, img, len, region, json, NULL, err, errlen);
}
