/* strbuf.h - growable byte buffer used by the card reader's text builders.
 * Internal to ocr/. A buffer that failed to grow stays failed (oom set) and
 * every later append is a no-op, so callers check once at the end. */
#ifndef OCR_STRBUF_H
#define OCR_STRBUF_H

#include <stddef.h>

typedef struct {
    char *s;     /* NUL-terminated text, owned by the buffer */
    size_t len;
    size_t cap;
    int oom;     /* 1 once an allocation failed */
} ocr_strbuf_t;

void ocr_sb_init(ocr_strbuf_t *b);
void ocr_sb_free(ocr_strbuf_t *b);
void ocr_sb_add(ocr_strbuf_t *b, const char *s, size_t n);
void ocr_sb_adds(ocr_strbuf_t *b, const char *s);
void ocr_sb_addc(ocr_strbuf_t *b, char c);
void ocr_sb_printf(ocr_strbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the text over (malloc'd, owned by the caller) and resets the buffer;
 * NULL when an allocation failed. */
char *ocr_sb_take(ocr_strbuf_t *b);

#endif
