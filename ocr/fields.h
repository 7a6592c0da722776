/* fields.h - OCR text lines -> contact fields (the JSON of `greeter cards
 * scan`). Pure C on UTF-8 text; phones go through phone.h. */
#ifndef OCR_FIELDS_H
#define OCR_FIELDS_H

#include <jansson.h>
#include <stddef.h>

/* One line of recognised text with what the OCR knows about it. */
typedef struct {
    char *text;     /* UTF-8, owned by the line set */
    float conf;     /* mean word confidence 0..1; < 0 when unknown */
    int x, y, w, h; /* box in the card image (pixels); all 0 when unknown */
} ocr_line_t;

typedef struct {
    ocr_line_t *v;
    size_t n, cap;
} ocr_lines_t;

/* Append a copy of text (trimmed; empty lines are skipped). GR_OK or GR_ERR_NOMEM. */
int ocr_lines_add(ocr_lines_t *ls, const char *text, float conf, int x, int y, int w, int h);
/* Split plain text at newlines into lines without boxes. */
int ocr_lines_from_text(ocr_lines_t *ls, const char *text, size_t len);
/* Lines in the form `greeter cards text` prints, "CONF X,Y,W,H<TAB>TEXT"
 * (confidence and box kept); a line without that prefix is taken as plain
 * text without a box. */
int ocr_lines_from_dump(ocr_lines_t *ls, const char *text, size_t len);
void ocr_lines_free(ocr_lines_t *ls);
/* Levenshtein distance of two short strings, byte by byte (99 when one is
 * longer than 63 bytes); the parser's and the scan's near-miss tests. */
int ocr_text_edit_distance(const char *a, const char *b);
/* 1 when t is a number alone: min_digits digits or more, and only digits,
 * spaces and the marks between them ("-.()+/"); the parser's icon split
 * and the scan's detected lines. */
int ocr_text_number_only(const char *t, int min_digits);
/* a and b joined by one space (pieces of one printed line), malloc'd; NULL
 * when out of memory. */
char *ocr_text_join(const char *a, const char *b);

/* Parse lines into a contact: a new JSON object with name, given_name,
 * family_name, title, company, phones [{number,type}], emails, websites,
 * address and confidence {field: 0..1}. region: ISO alpha-2 used for
 * numbers without a country code when the card gives no better hint
 * (e-mail/web country domain, another number's country code, the card's
 * language). Returns NULL only when out of memory; owned by the caller
 * (json_decref). Never reads outside the lines, whatever their bytes. */
json_t *ocr_fields_parse(const ocr_lines_t *ls, const char *region);

/* The e-mail or website one line of text holds, as a comparable key:
 * "e:local@domain" or "w:host/path" (no scheme, no www.), in key. Returns 1
 * when the line holds one, 0 otherwise (key ""). Used to vote between
 * several readings of the same line. */
int ocr_fields_contact_key(const char *text, char *key, size_t keylen);

/* 1 when word is an e-mail label alone ("E", "Email:", "e-mail", "Mail",
 * "Correo", "Courriel"; case and a trailing ':' or '.' ignored). */
int ocr_fields_is_mail_label(const char *word);

/* 1 when the two letters at tld (not NUL-terminated) are a country's
 * top-level domain ("it", "uk"); 0 for the vanity ones firms anywhere use
 * ("io", "co", "tv", "me") and for letters no country has. */
int ocr_fields_country_tld(const char *tld);

/* Fold the fields a QR code gave (a contact object of the same form) into
 * an OCR contact: QR values win for every field they hold. */
void ocr_fields_merge_qr(json_t *contact, const json_t *qr);

/* Set contact["confident"] = {field: true/false}: true when the field has a
 * value and its confidence reaches that field's calibrated threshold (a
 * value so marked was right >= 97 % of the time on real cards); the Scan
 * page highlights every field that is false. ocr_fields_parse and
 * ocr_fields_merge_qr call it. */
void ocr_fields_mark_confident(json_t *contact);

/* What is read off a blurred card (one sharpened before reading) is less
 * sure than its confidences say: scale them (phones the most) and mark the
 * fields again (ocr_fields_mark_confident). */
void ocr_fields_blurred_confidence(json_t *contact);

/* The same for the contact fields (phones, e-mails, websites) of a card
 * whose print was small in the photo: scaled up by scale (the card
 * reader's factor to its reading height) OCR_SMALL_PRINT_SCALE times or
 * more. Nothing changes below that. */
#define OCR_SMALL_PRINT_SCALE 2.5
void ocr_fields_small_print_confidence(json_t *contact, double scale);

/* A card whose print was small (scale as above) and on which a number read
 * again had at most half its readings agree (ocr_scan_info_t's
 * numbers_in_doubt): its phones are not marked confident. Nothing changes
 * on a card read at a fair size or with no number in doubt. */
void ocr_fields_numbers_in_doubt(json_t *contact, double scale, int in_doubt);

/* A card whose logo no reader made out (ocr_scan_info_t.unread_logo) and
 * that gave no company: the firm is named by its brand key, the label of
 * an own e-mail domain or website or a mail provider's local part that
 * is no role's and no person's, when the keys agree (one begins every
 * other; the shortest taken: "Liderfrio" for liderfrio@terra.com.br and
 * liderfriorefrigeracao.com.br). Never marked confident. Returns 1 when
 * contact's company was set, 0 when not. */
int ocr_fields_company_from_brand(json_t *contact);

/* Learning from corrections (fields_hints.c). The keys that tie a card to
 * its company: "d:<registrable domain>" of its e-mails/sites (not shared
 * mail providers') and "p:<E.164 without the last 4 digits>" of its
 * work/fax numbers. New array, NULL when out of memory. */
json_t *ocr_fields_hint_keys(const json_t *contact);
/* Hints from corrected scans, newest first ([{"result":card,
 * "corrections":{field:{from,to}}}], crm_scan_corrected's form):
 * [{"keys":[..],"field":"company|title|name","from":..,"to":..}]. New
 * array, NULL when out of memory; bad entries are skipped. */
json_t *ocr_fields_hints_from_scans(const json_t *scans);
/* Apply hints to a contact of the same company (a shared key): the
 * corrected company when the card's is empty or alike the wrong or right
 * value; a name/title spelling when the card read it alike the wrong one.
 * Sets contact["learned"] = true and its confidence to 0.95 for each field
 * changed. Returns the number of fields changed. */
int ocr_fields_apply_hints(json_t *contact, const json_t *hints);

#endif
