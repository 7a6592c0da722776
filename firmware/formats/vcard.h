/* vcard.h - vCard 4.0 (RFC 6350) and 3.0 (RFC 2426) export, and import of
 * what real address books write (2.1, 3.0, 4.0: docs/CRM.md "Importing").
 *
 * Contacts cross this boundary as JSON object text in the form printed by
 * `greeter cards scan` (docs/CLI.md): name, given_name, family_name, title,
 * company, phones [{number, type}], emails [..], websites [..], address, and
 * optionally note and address_parts {street, postal_code, city, region,
 * country} (written to the ADR components when present; on reading, the ADR
 * components are joined into address).
 */
#ifndef FMT_VCARD_H
#define FMT_VCARD_H

#include <stddef.h>

/* One contact (JSON object text) -> one vCard 4.0 (UTF-8, CRLF, lines folded
 * at 75 octets, \\ \, \; \n escaped). *out is malloc'd, owned by the caller.
 * Returns GR_OK, GR_ERR_FORMAT (not a JSON object), GR_ERR_NOMEM. */
int fmt_vcard_write(const char *contact_json, char **out);

/* As fmt_vcard_write, for version 4 (the same) or 3 (vCard 3.0 for older
 * clients: N always present, TEL without tel: URIs, EMAIL;TYPE=INTERNET).
 * GR_ERR_FORMAT for another version. */
int fmt_vcard_write_version(const char *contact_json, int version, char **out);

/* Parse text holding one or more vCards (2.1, 3.0 or 4.0; BOMs, CRLF/LF/CR,
 * folded lines, escapes, QUOTED-PRINTABLE with soft line breaks, CHARSET
 * ISO-8859-1/Windows-1252, bare 2.1 type words, grouped properties with
 * Apple's X-ABLabel, base64 photos (skipped)) into a JSON array text of
 * contacts (*contacts).
 * A value that cannot be one (a TEL with under three digits, an EMAIL that
 * is no address, a line without ':') is left out and reported in *errors as
 * {"line":N,"message":"dropped TEL \"..\": not a phone number","dropped":true}
 * (N: the line of the property); the rest of the card is kept. A card with
 * no name (FN, N) but an organisation, e-mail or phone is kept with an empty
 * name. A card that cannot be read (a value not UTF-8 without a CHARSET
 * saying what it is, an unknown VERSION, no END, nothing usable) is skipped
 * and reported as {"line":N,"message":".."} (N: its BEGIN line). Both
 * outputs are malloc'd, owned by the caller. Returns GR_OK when the text
 * could be read at all (even with bad cards), GR_ERR_FORMAT when it holds no
 * vCard, GR_ERR_NOMEM. */
int fmt_vcard_read(const char *text, size_t len, char **contacts, char **errors);

/* As fmt_vcard_read, and each contact also carries "line": the line of its
 * BEGIN:VCARD (for importers' reports). */
int fmt_vcard_read_lines(const char *text, size_t len, char **contacts, char **errors);

#endif
