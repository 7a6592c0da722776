/* strbuf.h - growable byte buffer used by the card reader's text builders.
 * Internal to ocr/. A buffer that failed to grow stays failed (oom set) and
 * every later append is a no-op, so callers check once at the end. */
#ifndef FMT_STRBUF_H
#define FMT_STRBUF_H

#include <stddef.h>

typedef struct {
    char *s;     /* NUL-terminated text, owned by the buffer */
    size_t len;
    size_t cap;
    int oom;     /* 1 once an allocation failed */
} fmt_strbuf_t;

void fmt_sb_init(fmt_strbuf_t *b);
void fmt_sb_free(fmt_strbuf_t *b);
void fmt_sb_add(fmt_strbuf_t *b, const char *s, size_t n);
void fmt_sb_adds(fmt_strbuf_t *b, const char *s);
void fmt_sb_addc(fmt_strbuf_t *b, char c);
void fmt_sb_printf(fmt_strbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the text over (malloc'd, owned by the caller) and resets the buffer;
 * NULL when an allocation failed. */
char *fmt_sb_take(fmt_strbuf_t *b);

#endif
