/* tess.h - Tesseract engines kept loaded between scans (C API). One
 * ocr_tess_t is used by one thread at a time. */
#ifndef OCR_TESS_H
#define OCR_TESS_H

#include "ocr/card_image.h"
#include "ocr/fields.h"
#include "ocr/linedet.h"
#include "ocr/linerec.h"
#include "ocr/spelling.h"

#include <stddef.h>

typedef struct ocr_tess ocr_tess_t;

/* datapath: tessdata folder or NULL for Tesseract's default. languages:
 * "eng+deu+fra+rus" - the ones that may be used; every one must be
 * installed. Engines for them are loaded here. *out owned by the caller:
 * ocr_tess_close. GR_ERR_NOTFOUND (with err) when a language is missing. */
int ocr_tess_open(const char *datapath, const char *languages, ocr_tess_t **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void ocr_tess_close(ocr_tess_t *t);

/* Hand t the second line recogniser (ocr/linerec.h; t owns it from now
 * on and closes it with itself; NULL: none, the one held is closed). The
 * scan asks it about lines Tesseract reads poorly when it is there. */
void ocr_tess_set_linerec(ocr_tess_t *t, ocr_linerec_t *rec);
/* The recogniser handed to t, or NULL. */
ocr_linerec_t *ocr_tess_linerec(const ocr_tess_t *t);
/* The same for the line detector (ocr/linedet.h): the scan looks with it
 * for lines Tesseract did not read, when the recogniser is there too. */
void ocr_tess_set_linedet(ocr_tess_t *t, ocr_linedet_t *det);
ocr_linedet_t *ocr_tess_linedet(const ocr_tess_t *t);

/* The folder of the spelling lists (ocr.dict_dir, "/usr/share/dict"; NULL
 * or "": none), copied. GR_OK or GR_ERR_NOMEM. */
int ocr_tess_set_dict_dir(ocr_tess_t *t, const char *dir) __attribute__((warn_unused_result));
/* lang's spelling list (ocr/spelling.h; "por": brazilian, "spa": spanish,
 * "eng": american-english in the folder above), read on first use and kept
 * with t; NULL when lang has none or it is not installed (logged once). */
const ocr_spelling_t *ocr_tess_spelling(ocr_tess_t *t, const char *lang);

/* 1 when lang (one code, "rus") is among the loaded languages. */
int ocr_tess_has(const ocr_tess_t *t, const char *lang);

/* 1 when word (UTF-8) is in the word list of lang's model (one loaded
 * language, "por"), 0 when not or when lang is not loaded. */
int ocr_tess_is_word(ocr_tess_t *t, const char *lang, const char *word);

/* The dotless i (U+0131) of Turkish and Azerbaijani, which the fast German
 * and French models give for an i whose dot the print lost on a small
 * photo ("Managıng Director", ocr_cards2 BIG=0.4 seed 1123), made the i it
 * was; left alone when a language of langs ("eng+tur") writes it. In
 * place, UTF-8; every text the readers below return has been through it. */
void ocr_tess_fold_dotless_i(char *s, const char *langs);

/* Orientation and script detection (osd.traineddata). *quarter_turns: the
 * clockwise quarter turns that make the text upright; script: "Latin",
 * "Cyrillic", ... Returns GR_OK, GR_ERR_UNSUPPORTED (no osd data) or
 * GR_ERR_EMPTY (too little text to tell). */
int ocr_tess_osd(ocr_tess_t *t, const ocr_gray_t *g, int *quarter_turns, char *script, size_t scriptlen,
                 float *conf);

/* Recognise g with langs ("deu+eng"; each must be loaded) in page
 * segmentation mode psm, stopping at deadline (gr_now_mono seconds).
 * Appends the text lines with confidence and box to *out. Returns GR_OK,
 * GR_ERR_TIMEOUT (lines so far are kept), GR_ERR_NOTFOUND, GR_ERR_NOMEM. */
int ocr_tess_read(ocr_tess_t *t, const char *langs, const ocr_gray_t *g, int psm, double deadline, ocr_lines_t *out,
                  float *mean_conf);

/* ocr_tess_read that also appends each word (text, confidence, box) to
 * *words when words is not NULL: the re-reads of number lines crop to the
 * words that hold the digits, not to a line box swollen by debris. */
int ocr_tess_read_words(ocr_tess_t *t, const char *langs, const ocr_gray_t *g, int psm, double deadline,
                        ocr_lines_t *out, float *mean_conf, ocr_lines_t *words);

/* Re-read single lines of g with langs (page segmentation "one line"),
 * each inside its box (from ocr_tess_read) grown by a margin. For
 * k < n: texts[k] gets a malloc'd reading (caller frees; NULL when none)
 * and confs[k] its confidence 0..1. GR_OK, GR_ERR_TIMEOUT (the rest is
 * NULL), GR_ERR_NOTFOUND (langs not loaded). */
int ocr_tess_read_lines(ocr_tess_t *t, const char *langs, const ocr_gray_t *g, const ocr_line_t *const *lines,
                        size_t n, double deadline, char **texts, float *confs);

/* Read a whole small image (a line crop, ocr_gray_line_crop) as one text
 * line with langs. *text: malloc'd, owned by the caller, NULL when nothing
 * was read; *conf 0..1. GR_OK, GR_ERR_TIMEOUT, GR_ERR_NOTFOUND, GR_ERR_NOMEM. */
int ocr_tess_read_line_image(ocr_tess_t *t, const char *langs, const ocr_gray_t *img, double deadline, char **text,
                             float *conf);

/* Page segmentation for ocr_tess_read_line_image_psm: Tesseract's
 * PSM_SINGLE_LINE and PSM_RAW_LINE (the crop read as one line without
 * Tesseract's own line finding, which a shadowed or glued run of letters
 * can throw: "ricknog3%@gmail.com" one way, ricknog39@gmail.com the
 * other). */
enum { OCR_PSM_SINGLE_LINE = 7, OCR_PSM_RAW_LINE = 13 };

/* ocr_tess_read_line_image with page segmentation psm (OCR_PSM_*;
 * another value: GR_ERR_INVAL). */
int ocr_tess_read_line_image_psm(ocr_tess_t *t, const char *langs, const ocr_gray_t *img, int psm, double deadline,
                                 char **text, float *conf);

#endif
