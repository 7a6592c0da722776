/* linedet.h - text line detection beside Tesseract's page layout:
 * PaddleOCR's PP-OCRv4 text detection network (models/manifest.json, from
 * the npm registry; run by OpenCV's DNN module). It finds lines of display
 * type and logos that Tesseract's layout analysis leaves in pieces or
 * misses, so the scan can hand them to the line recogniser (linerec.h).
 * OpenCV stays inside linedet.cpp; this header has no C++ types. One handle
 * is used by one thread at a time. */
#ifndef OCR_LINEDET_H
#define OCR_LINEDET_H

#include "ocr/card_image.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ocr_linedet ocr_linedet_t;

/* The network's input (models/ppocr_static.py fixes it): an image is
 * scaled to fit, keeping its shape. */
#define OCR_LINEDET_HEIGHT 448
#define OCR_LINEDET_WIDTH 800

/* One line found: its box in the image's pixels and the network's mean
 * text probability inside it, 0..1. */
typedef struct {
    int x, y, w, h;
    float score;
} ocr_textbox_t;

/* Load the network (an ONNX file made static by models/ppocr_static.py:
 * input 1 x 3 x OCR_LINEDET_HEIGHT x OCR_LINEDET_WIDTH). *out owned by the
 * caller: ocr_linedet_close. GR_ERR_NOTFOUND (the file missing),
 * GR_ERR_INVAL (not a network of that form), GR_ERR_NOMEM; err gets the
 * reason. */
int ocr_linedet_open(const char *model_path, ocr_linedet_t **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void ocr_linedet_close(ocr_linedet_t *d);

/* Find the text lines of img (grey; dark on light or light on dark): the
 * network's text map cut at 0.3, each region kept when its mean is 0.6 or
 * more and grown by its area * 1.5 / its perimeter (the network marks a
 * line's shrunk core), as PaddleOCR's post-processing does. *boxes:
 * malloc'd (owned by the caller; NULL when none), *n of them, top to
 * bottom. GR_OK, GR_ERR_INVAL (empty image), GR_ERR_NOMEM, GR_ERR_IO (the
 * network failed). */
int ocr_linedet_find(ocr_linedet_t *d, const ocr_gray_t *img, ocr_textbox_t **boxes, size_t *n);

#ifdef __cplusplus
}
#endif

#endif
