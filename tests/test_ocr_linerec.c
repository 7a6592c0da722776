/* The second line recogniser (ocr/linerec.h, PP-OCRv4 through OpenCV's
 * DNN): missing or wrong files are clear errors; with the fetched models
 * it reads the two real-photo lines Tesseract gets wrong (crops of
 * cards_real am04 and am22 in tests/data/cards_real/lines, MIT). Its line
 * detector (ocr/linedet.h): the same for its file; it finds am22's logo
 * line (lines/am22-logo.pgm), which Tesseract's page reading leaves in
 * pieces ("ICAU? T"), and the recogniser reads the box it gives. */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "ocr/card_image.h"
#include "ocr/linedet.h"
#include "ocr/linerec.h"
#include "ocr/tess.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A binary PGM (P5, 8-bit) into g; 0 on success. */
static int load_pgm(const char *path, ocr_gray_t *g) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    int w = 0, h = 0, mx = 0;
    if (fscanf(f, "P5 %d %d %d", &w, &h, &mx) != 3 || w <= 0 || h <= 0 || mx != 255 || fgetc(f) == EOF) {
        fclose(f);
        return -1;
    }
    g->pixels = malloc((size_t)w * h);
    g->width = w;
    g->height = h;
    int ok = g->pixels && fread(g->pixels, 1, (size_t)w * h, f) == (size_t)w * h;
    fclose(f);
    return ok ? 0 : -1;
}

/* The fetched model files, or skip (models/fetch.sh not run). */
static void model_paths(char *m, char *k, size_t n) {
    const char *dir = getenv("GREETER_MODELS_DIR");
    struct stat sb;
    snprintf(m, n, "%s/ppocr_rec_w640.onnx", dir ? dir : "");
    snprintf(k, n, "%s/ppocr_keys_v1.txt", dir ? dir : "");
    if (!dir || stat(m, &sb) != 0 || stat(k, &sb) != 0) skip();
}

static void missing_and_wrong_files(void **state) {
    (void)state;
    ocr_linerec_t *r = (ocr_linerec_t *)1;
    char err[512] = "";
    assert_int_equal(ocr_linerec_open("/nonexistent/rec.onnx", "/nonexistent/keys.txt", &r, err, sizeof err),
                     GR_ERR_NOTFOUND);
    assert_null(r);
    assert_non_null(strstr(err, "/nonexistent/rec.onnx"));
    /* a file that is no network */
    char *dir = tu_tempdir(), bad[4200], keys[4200];
    snprintf(bad, sizeof bad, "%s/rec.onnx", dir);
    snprintf(keys, sizeof keys, "%s/keys.txt", dir);
    assert_int_equal(tu_write(bad, "not a network"), 0);
    assert_int_equal(tu_write(keys, "a\nb\n"), 0);
    assert_int_equal(ocr_linerec_open(bad, keys, &r, err, sizeof err), GR_ERR_INVAL);
    assert_null(r);
    assert_non_null(strstr(err, "rec.onnx"));
    /* the network with a character list that does not fit its output */
    char m[4200];
    const char *md = getenv("GREETER_MODELS_DIR");
    struct stat sb;
    snprintf(m, sizeof m, "%s/ppocr_rec_w640.onnx", md ? md : "");
    if (md && stat(m, &sb) == 0) {
        assert_int_equal(ocr_linerec_open(m, keys, &r, err, sizeof err), GR_ERR_INVAL);
        assert_null(r);
    }
    tu_rmtree(dir);
    free(dir);
}

static void reads_lines_tesseract_misreads(void **state) {
    (void)state;
    char m[4200], k[4200], err[512] = "";
    model_paths(m, k, sizeof m);
    ocr_linerec_t *r = NULL;
    assert_int_equal(ocr_linerec_open(m, k, &r, err, sizeof err), GR_OK);
    ocr_gray_t g = {0};
    char *text = NULL;
    float conf = 0;
    /* am04's logo: black spaced capitals in a white oval */
    assert_int_equal(load_pgm(tu_data("cards_real/lines/am04-logo.pgm"), &g), 0);
    assert_int_equal(ocr_linerec_read(r, &g, &text, &conf), GR_OK);
    assert_string_equal(text, "BELTIS");
    assert_true(conf >= 0.9f);
    free(text);
    ocr_gray_free(&g);
    /* am22's PABX line, a watermark's stroke through the 1 of 2131:
     * Tesseract reads 2134; full-width punctuation comes out as ASCII */
    assert_int_equal(load_pgm(tu_data("cards_real/lines/am22-pabx.pgm"), &g), 0);
    assert_int_equal(ocr_linerec_read(r, &g, &text, &conf), GR_OK);
    assert_non_null(strstr(text, "(11) 2131-3400"));
    assert_non_null(strstr(text, "2131-3418"));
    for (const char *p = text; *p; p++) assert_true((unsigned char)*p < 0x80);
    free(text);
    /* an empty image is refused */
    ocr_gray_t none = {0};
    assert_int_equal(ocr_linerec_read(r, &none, &text, &conf), GR_ERR_INVAL);
    assert_null(text);
    ocr_gray_free(&g);
    /* handed to the Tesseract engines, which close it with themselves */
    ocr_tess_t *t = NULL;
    if (ocr_tess_open(NULL, "eng", &t, err, sizeof err) == GR_OK) {
        ocr_tess_set_linerec(t, r);
        assert_ptr_equal(ocr_tess_linerec(t), r);
        ocr_tess_close(t);
    } else {
        ocr_linerec_close(r);
    }
}

static void detector_missing_and_wrong_files(void **state) {
    (void)state;
    ocr_linedet_t *d = (ocr_linedet_t *)1;
    char err[512] = "";
    assert_int_equal(ocr_linedet_open("/nonexistent/det.onnx", &d, err, sizeof err), GR_ERR_NOTFOUND);
    assert_null(d);
    assert_non_null(strstr(err, "/nonexistent/det.onnx"));
    char *dir = tu_tempdir(), bad[4200];
    snprintf(bad, sizeof bad, "%s/det.onnx", dir);
    assert_int_equal(tu_write(bad, "not a network"), 0);
    assert_int_equal(ocr_linedet_open(bad, &d, err, sizeof err), GR_ERR_INVAL);
    assert_null(d);
    assert_non_null(strstr(err, "det.onnx"));
    tu_rmtree(dir);
    free(dir);
    /* the recogniser's network is not a detector */
    char m[4200];
    const char *md = getenv("GREETER_MODELS_DIR");
    struct stat sb;
    snprintf(m, sizeof m, "%s/ppocr_rec_w640.onnx", md ? md : "");
    if (md && stat(m, &sb) == 0) {
        assert_int_equal(ocr_linedet_open(m, &d, err, sizeof err), GR_ERR_INVAL);
        assert_null(d);
    }
}

static void detector_finds_the_logo_line(void **state) {
    (void)state;
    char m[4200], rm[4200], k[4200], err[512] = "";
    model_paths(rm, k, sizeof rm);
    snprintf(m, sizeof m, "%s/ppocr_det_448x800.onnx", getenv("GREETER_MODELS_DIR"));
    struct stat sb;
    if (stat(m, &sb) != 0) skip();
    ocr_linedet_t *d = NULL;
    assert_int_equal(ocr_linedet_open(m, &d, err, sizeof err), GR_OK);
    ocr_gray_t g = {0};
    assert_int_equal(load_pgm(tu_data("cards_real/lines/am22-logo.pgm"), &g), 0);
    ocr_textbox_t *bx = NULL;
    size_t n = 0;
    assert_int_equal(ocr_linedet_find(d, &g, &bx, &n), GR_OK);
    assert_true(n >= 2); /* the logo and the line under it, at least */
    /* the tallest box is the logo: most of the crop's width, within it,
     * and the boxes come top to bottom */
    size_t big = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(bx[i].x >= 0 && bx[i].y >= 0 && bx[i].w > 0 && bx[i].h > 0);
        assert_true(bx[i].x + bx[i].w <= g.width && bx[i].y + bx[i].h <= g.height);
        assert_true(bx[i].score >= 0.6f && bx[i].score <= 1.0f);
        if (i) assert_true(bx[i].y >= bx[i - 1].y);
        if (bx[i].h > bx[big].h) big = i;
    }
    assert_true(bx[big].w > g.width / 2 && bx[big].h > g.height / 4 && bx[big].h < g.height * 3 / 4);
    /* read by the recogniser, the box cut in two as the scan does */
    ocr_linerec_t *r = NULL;
    assert_int_equal(ocr_linerec_open(rm, k, &r, err, sizeof err), GR_OK);
    ocr_gray_t crop = {0};
    assert_int_equal(ocr_gray_line_crop_binary(&g, bx[big].x, bx[big].y, bx[big].w, bx[big].h, 0, 1.0, 0, &crop),
                     GR_OK);
    char *text = NULL;
    float conf = 0;
    assert_int_equal(ocr_linerec_read(r, &crop, &text, &conf), GR_OK);
    assert_string_equal(text, "PATRICAUTO");
    assert_true(conf >= 0.9f);
    free(text);
    ocr_gray_free(&crop);
    ocr_linerec_close(r);
    free(bx);
    /* an empty image is refused */
    ocr_gray_t none = {0};
    assert_int_equal(ocr_linedet_find(d, &none, &bx, &n), GR_ERR_INVAL);
    assert_null(bx);
    assert_int_equal(n, 0);
    /* a blank page has no lines */
    memset(g.pixels, 255, (size_t)g.width * g.height);
    assert_int_equal(ocr_linedet_find(d, &g, &bx, &n), GR_OK);
    assert_int_equal(n, 0);
    assert_null(bx);
    ocr_gray_free(&g);
    /* handed to the Tesseract engines, which close it with themselves */
    ocr_tess_t *t = NULL;
    if (ocr_tess_open(NULL, "eng", &t, err, sizeof err) == GR_OK) {
        ocr_tess_set_linedet(t, d);
        assert_ptr_equal(ocr_tess_linedet(t), d);
        ocr_tess_close(t);
    } else {
        ocr_linedet_close(d);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_and_wrong_files),
        cmocka_unit_test(reads_lines_tesseract_misreads),
        cmocka_unit_test(detector_missing_and_wrong_files),
        cmocka_unit_test(detector_finds_the_logo_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
