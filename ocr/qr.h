/* qr.h - QR payloads on cards (vCard, MeCard, or a bare URL/e-mail/phone)
 * -> a contact object in the form of fields.h. */
#ifndef OCR_QR_H
#define OCR_QR_H

#include <jansson.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Decode the first QR code in an 8-bit grey image (zbar). On GR_OK *text
 * is the payload (malloc'd, NUL-terminated, owned by the caller); GR_ERR_EMPTY
 * when there is none, GR_ERR_NOMEM. */
int ocr_qr_decode(const unsigned char *pixels, int width, int height, char **text);

/* Returns a new contact object (caller json_decref), or NULL when the
 * payload holds no contact data. region as in ocr_fields_parse. */
json_t *ocr_qr_contact(const char *payload, const char *region);

#ifdef __cplusplus
}
#endif

#endif
