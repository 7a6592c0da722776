/* duplicates.h - contacts that look like one person, and merging them.
 *
 * A contact's e-mails and phones are stored with a normalised form
 * (contact_values.norm, written by crm/contacts.c with the normalisers
 * below); contacts sharing one, or linked to the same face identity, are
 * duplicates. Input objects are only read; on GR_OK every json_t **out is a
 * new reference owned by the caller (json_decref).
 */
#ifndef CRM_DUPLICATES_H
#define CRM_DUPLICATES_H

#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Contacts (not merged away, other than exclude_id) matching the contact
 * JSON `in` by normalised e-mail, phone (national numbers read for st's
 * device.region), or face (in's "person_ids"). *out is an array of
 * {"id","name","match":["email"|"phone"|"face",..]} (create's "duplicates"). */
int crm_contact_duplicates(crm_store_t *st, json_t *in, int64_t exclude_id, json_t **out);

/* Merge drop_id into keep_id in one transaction: every phone/e-mail/website
 * of drop is kept (without exact repeats), empty fields of keep are filled
 * from drop, consent flags are OR-ed, leads/deals/card scans/face identities
 * and activity move to keep, and drop stays as a tombstone with merged_into
 * = keep_id. *out is the merged contact (may be NULL to skip).
 * GR_ERR_NOTFOUND, GR_ERR_INVAL (same id, or either already merged). */
int crm_contact_merge(crm_store_t *st, int64_t keep_id, int64_t drop_id, const char *actor, json_t **out,
                      char *err, size_t errlen);

/* Normalisers used for duplicate detection (exposed for tests and import).
 * Write into buf (always NUL-terminated); return the length, 0 when the
 * value has nothing usable. E-mail: trimmed, lower-case ASCII. Phone: E.164
 * when libphonenumber finds a valid number (national numbers read for
 * `region`, ISO 3166 alpha-2: device.region, crm_opts_t), else "+" and the
 * digits when it starts with + or 00, else the digits only. */
size_t crm_norm_email(const char *in, char *buf, size_t buflen);
size_t crm_norm_phone(const char *in, const char *region, char *buf, size_t buflen);

#endif
