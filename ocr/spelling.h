/* spelling.h - a language's spelling list, one word a line (UTF-8), as
 * Debian's word-list packages install them (wbrazilian:
 * /usr/share/dict/brazilian, wspanish: /usr/share/dict/spanish, wamerican:
 * /usr/share/dict/american-english), looked up without regard to case.
 *
 * Why: the word lists inside Tesseract's Portuguese and Spanish models are
 * drawn from web text and hold the words with their accents and without
 * ("eletronica" and "eletrônica" both pass TessBaseAPIIsValidWord), so they
 * cannot tell a mark the photo lost. A spelling list holds the words as they
 * are written (docs/OCR.md, "Accents"). */
#ifndef OCR_SPELLING_H
#define OCR_SPELLING_H

#include <stddef.h>

typedef struct ocr_spelling ocr_spelling_t;

/* Longest file read: the lists are 1-3 MB; a larger file is no such list. */
#define OCR_SPELLING_MAX_BYTES (16u << 20)

/* Reads the list at path into *out (owned by the caller: ocr_spelling_free).
 * Lines longer than 55 bytes (no word is), empty lines, lines that are not
 * valid UTF-8 and "#" comments are skipped; a "\r" before the "\n" goes. GR_OK, GR_ERR_NOTFOUND (no such file),
 * GR_ERR_IO, GR_ERR_INVAL (too large, or no word in it), GR_ERR_NOMEM. */
int ocr_spelling_load(const char *path, ocr_spelling_t **out) __attribute__((warn_unused_result));

/* The same from the n bytes of text (tests, and the loader). */
int ocr_spelling_from_text(const char *text, size_t n, ocr_spelling_t **out) __attribute__((warn_unused_result));

void ocr_spelling_free(ocr_spelling_t *s);

/* 1 when word (UTF-8) is in the list, compared in lower case; 0 when not. */
int ocr_spelling_has(const ocr_spelling_t *s, const char *word);

/* The number of words held. */
size_t ocr_spelling_count(const ocr_spelling_t *s);

#endif
