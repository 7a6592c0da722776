/* linerec.h - a second line recogniser beside Tesseract: PaddleOCR's
 * PP-OCRv4 text recognition network (models/manifest.json, from the npm
 * registry; run by OpenCV's DNN module). It reads display type, logos and
 * outlined or shaded print that Tesseract's LSTM reads as noise, but it
 * knows no accented letters and often runs Latin words together, so the
 * scan asks it only about lines Tesseract read poorly (scan.c). OpenCV
 * stays inside linerec.cpp; this header has no C++ types. One handle is
 * used by one thread at a time. */
#ifndef OCR_LINEREC_H
#define OCR_LINEREC_H

#include "ocr/card_image.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ocr_linerec ocr_linerec_t;

/* The network's input is 48 px tall and this wide: a longer line is squeezed. */
#define OCR_LINEREC_WIDTH 640

/* Load the network (an ONNX file made static by models/ppocr_static.py:
 * input 1 x 3 x 48 x width) and its character list (one character a line,
 * UTF-8). *out owned by the caller: ocr_linerec_close. GR_ERR_NOTFOUND
 * (a file missing), GR_ERR_INVAL (not a network of that form, or a list
 * that does not fit its output), GR_ERR_NOMEM; err gets the reason. */
int ocr_linerec_open(const char *model_path, const char *keys_path, ocr_linerec_t **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void ocr_linerec_close(ocr_linerec_t *r);

/* Read one line image (grey, dark print on light or light on dark; any
 * size, scaled to the network's 48 px height and, when longer than its
 * width allows, squeezed to it). *text: malloc'd UTF-8 (owned by the
 * caller; "" when nothing was read), *conf: the mean probability of its
 * characters, 0..1. GR_OK, GR_ERR_INVAL (empty image), GR_ERR_NOMEM,
 * GR_ERR_IO (the network failed). */
int ocr_linerec_read(ocr_linerec_t *r, const ocr_gray_t *img, char **text, float *conf);

#ifdef __cplusplus
}
#endif

#endif
