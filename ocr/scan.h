/* scan.h - the per-card recognition strategy (orientation, script,
 * languages) and the reader's extended entry point. Internal to ocr/. */
#ifndef OCR_SCAN_H
#define OCR_SCAN_H

#include "card_image.h"
#include "fields.h"
#include "ocr.h"
#include "strbuf.h"
#include "tess.h"

typedef struct {
    int quarter_turns;  /* rotation applied (clockwise quarter turns) */
    char script[32];    /* OSD script name, "" when unknown */
    char langs[64];     /* Tesseract languages used for the final text */
    float conf;         /* mean line confidence of the final text */
} ocr_scan_info_t;

/* Load the engines every scan uses (called by ocr_reader_open). */
void ocr_scan_warm(ocr_tess_t *t);

/* Orient g (in place), pick languages, recognise into *lines.
 * GR_OK, GR_ERR_EMPTY (no text), GR_ERR_TIMEOUT, GR_ERR_NOMEM. */
int ocr_scan_card(ocr_tess_t *t, ocr_gray_t *g, double deadline, ocr_lines_t *lines, ocr_scan_info_t *info);

/* ocr_reader_scan plus, when text is not NULL, the recognised lines of each
 * card as a JSON array [{langs, text, qr}] (malloc'd, owned by the caller;
 * for `greeter cards text`). Either output may be NULL. */
int ocr_reader_scan_ex(ocr_reader_t *r, const void *img, size_t len, const char *region, char **json, char **text,
                       char *err, size_t errlen);

#endif
