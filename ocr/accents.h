/* accents.h - misread accent marks mended with the card language's word
 * list. Debian's fast Tesseract models read the marks of small print
 * badly: "Eletrônica" comes out "Eletrénica", "Próximo" "Préximo", "ç" a
 * "g" ("Gongalves"). A word of a line that carries such a letter and is not
 * a word of the language is mended when one change of those letters (two
 * when one does not do) makes it a word, and only one such word exists.
 * The changes tried: an e with a mark (the models' guess for a mark they
 * do not make out) for any vowel with a mark; any mark dropped; g for c
 * with cedilla, c with cedilla for c, n with tilde for n. */
#ifndef OCR_ACCENTS_H
#define OCR_ACCENTS_H

#include <stddef.h>

/* Answers 1 when word (UTF-8, letters only) is a word of the language. */
typedef int (*ocr_word_check_fn)(void *ctx, const char *word);

/* Mends the words of the UTF-8 line *text; when one changes, *text is
 * replaced by a new malloc'd string (the old one is freed; the caller owns
 * it as before). Words shorter than 4 letters, and words glued to digits,
 * '@', '.' or '/', are left alone (numbers, e-mails, sites). strict (NULL:
 * valid) is a list that holds words only as they are written (a spelling
 * list, ocr/spelling.h; the models' lists hold "eletronica" as well as
 * "eletrônica"): a word of no mark stays when strict holds it, else takes
 * the one mark (or cedilla) that makes it a word of strict ("Eletronica"
 * -> Eletrônica, "DOMINIO" -> DOMÍNIO). Returns the number of words
 * changed, or GR_ERR_NOMEM (*text is then unchanged). */
int ocr_accents_fix(char **text, ocr_word_check_fn valid, ocr_word_check_fn strict, void *ctx)
    __attribute__((warn_unused_result));

/* The same for letters small print makes of each other: an l read as i
 * or the other way ("Pinnacie" -> Pinnacle, "Consell" -> Conseil), an a
 * read as o or the other way in words of six letters or more ("Monoger"
 * -> Manager, "Einkouf" -> Einkauf). A word that is in neither list
 * (valid, known; known may be NULL) and becomes a word of valid, and only
 * one, with one swap (two from seven letters) is mended; the first letter
 * is kept. known holds the words of other languages the card may be in:
 * "Sociais" is Portuguese, not a misread "Socials". */
int ocr_lookalikes_fix(char **text, ocr_word_check_fn valid, ocr_word_check_fn known, void *ctx)
    __attribute__((warn_unused_result));

/* 1 when reading is read (both UTF-8) with marks added to some of its
 * letters and nothing else changed ("Luiza Almeida" -> "Luíza Almeida":
 * a vowel gains a mark, c a cedilla, n a tilde), and every word that
 * gained one is a word of valid as it stands: the card language's model
 * read marks the first, English, reading has no letters for. */
int ocr_accents_marks_added(const char *read, const char *reading, ocr_word_check_fn valid, void *ctx);

#endif
