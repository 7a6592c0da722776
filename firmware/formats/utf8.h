/* utf8.h - the little UTF-8 the field parser needs: decoding with
 * replacement of bad bytes, letter classes for Latin, Latin-1 and Cyrillic,
 * case folding, Cyrillic->Latin transliteration, validation (ocr/, and the
 * vCard and CSV readers). */
#ifndef FMT_UTF8_H
#define FMT_UTF8_H

#include <stddef.h>

/* Decode the code point at *s (NUL-terminated) and advance *s past it.
 * Invalid or truncated sequences yield U+FFFD and advance one byte. */
unsigned fmt_u8_next(const char **s);
/* Encode cp into out (>= 4 bytes); returns the byte count. */
size_t fmt_u8_put(unsigned cp, char *out);

int fmt_u8_is_upper(unsigned cp);
int fmt_u8_is_lower(unsigned cp);
int fmt_u8_is_letter(unsigned cp);
int fmt_u8_is_cyrillic(unsigned cp);
unsigned fmt_u8_lower(unsigned cp);
/* Lower-case copy of the first n bytes of s (UTF-8, NUL-terminated) into
 * out, NUL-terminated; stops when fewer than 5 bytes of out are left.
 * Returns its length. */
size_t fmt_u8_lower_n(const char *s, size_t n, char *out, size_t outlen);

/* Lower-case ASCII "key" of s for matching: Latin letters lowered, Latin-1
 * accents dropped (ü->u, ß->ss), Cyrillic transliterated (Гаврилова ->
 * gavrilova), everything but [a-z0-9] dropped. Writes at most n-1 bytes. */
void fmt_u8_key(const char *s, char *out, size_t n);

/* 1 when s (NUL-terminated) is valid UTF-8: no overlong forms, no surrogates,
 * nothing above U+10FFFF. */
int fmt_u8_valid(const char *s);

/* Copy s replacing invalid UTF-8 with U+FFFD; malloc'd, caller frees. */
char *fmt_u8_sanitize(const char *s);

#endif
