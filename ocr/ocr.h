/* ocr.h - business-card reading as the CLI and the web API see it. */
#ifndef OCR_OCR_H
#define OCR_OCR_H

#include "firmware/core/config.h"

#include <stddef.h>

typedef struct ocr_reader ocr_reader_t;

/* Load Tesseract and the card models once (ocr.languages). On success *out
 * is owned by the caller: ocr_reader_close. A reader is used by one thread
 * at a time (callers serialise with a mutex). */
int ocr_reader_open(const gr_config_t *cfg, ocr_reader_t **out) __attribute__((warn_unused_result));
void ocr_reader_close(ocr_reader_t *r);

/* Scan one encoded photo (JPEG or PNG bytes). region: ISO country for phone
 * numbers without a country code, NULL for device.region. On GR_OK *json is a
 * malloc'd JSON array text with one object per card found, each in the form
 * of `greeter cards scan` (without "image"), owned by the caller.
 * Errors: GR_ERR_FORMAT (not an image / corrupt), GR_ERR_TOOBIG,
 * GR_ERR_EMPTY (no card found), GR_ERR_TIMEOUT; err gets a message. */
int ocr_reader_scan(ocr_reader_t *r, const void *img, size_t len, const char *region, char **json, char *err,
                    size_t errlen);

/* `greeter cards ...`; argv[0] is "cards". Returns a process exit code. */
int ocr_cli_cards(const gr_config_t *cfg, int argc, char **argv);

#endif
