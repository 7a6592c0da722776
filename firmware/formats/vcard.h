/* vcard.h - vCard 4.0 (RFC 6350) export and import of contacts.
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

/* Parse text holding one or more vCards (3.0 or 4.0; folded lines, escapes,
 * QUOTED-PRINTABLE tolerated) into a JSON array text of contacts (*contacts).
 * A bad card is skipped and reported in *errors, a JSON array text of
 * {"line":N,"message":".."} (line of its BEGIN). Both are malloc'd, owned by
 * the caller. Returns GR_OK when the text could be read at all (even with
 * bad cards), GR_ERR_FORMAT when it holds no vCard, GR_ERR_NOMEM. */
int fmt_vcard_read(const char *text, size_t len, char **contacts, char **errors);

#endif
