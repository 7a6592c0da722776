/* contacts.h - people in the CRM: contacts with multi-value phones, e-mails
 * and websites, consent flags, duplicates and merging.
 *
 * Records cross this API as jansson objects. A contact uses the field names
 * of `greeter cards scan` so a scanned card saves directly:
 *   given_name, family_name, name, title, company (company title; created
 *   when unknown), company_id, phones [{"number","type"}], emails [".."],
 *   websites [".."], address, note, consent_face, consent_mail (booleans),
 * and on output also id, person_ids [..] (linked face identities),
 * merged_into (id or null), created_at, updated_at (ISO 8601 UTC).
 * Unknown input keys are ignored (a scan carries extra ones); a known key of
 * the wrong type or too long is GR_ERR_INVAL with a message naming the field.
 *
 * Every change is recorded in activity and queued in the outbox in the same
 * transaction. Functions may be called inside a transaction the caller
 * opened (they then use a savepoint). `actor` is the user name, "system",
 * "import", ...; NULL means "system".
 *
 * Input objects are only read (never stolen or changed). On GR_OK every
 * json_t **out is a new reference owned by the caller (json_decref).
 * err/errlen may be NULL/0; on GR_ERR_INVAL/NOTFOUND/EXISTS they get a
 * message meant for the user.
 */
#ifndef CRM_CONTACTS_H
#define CRM_CONTACTS_H

#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Limits applied to input. */
#define CRM_MAX_TEXT 1024      /* names, title, company, a phone/e-mail/website */
#define CRM_MAX_LONGTEXT 16384 /* address, note */
#define CRM_MAX_VALUES 32      /* phones, emails, websites each */

/* Create a contact. *out is the stored contact plus "duplicates": an array
 * of {"id","name","match":["email"|"phone"|"face",..]} of other contacts
 * matching it (normalised e-mail, phone digits / E.164, linked face), for
 * the UI to offer a merge. Errors: GR_ERR_INVAL (bad field, or no name,
 * e-mail, phone nor company at all). */
int crm_contact_create(crm_store_t *st, json_t *in, const char *actor, json_t **out, char *err, size_t errlen);

/* The contact with that id (merged contacts too: their merged_into is set).
 * GR_ERR_NOTFOUND when there is none. */
int crm_contact_get(crm_store_t *st, int64_t id, json_t **out);

/* Change the fields present in `patch` (absent ones stay; phones/emails/
 * websites given replace the whole list). Withdrawing consent_face deletes
 * the face templates of the linked identities (audit_log "consent.withdraw").
 * *out as for create (with "duplicates"). GR_ERR_NOTFOUND, GR_ERR_INVAL. */
int crm_contact_update(crm_store_t *st, int64_t id, json_t *patch, const char *actor, json_t **out, char *err,
                       size_t errlen);

/* Delete a contact and its values (leads/deals keep their rows, unlinked).
 * GR_ERR_NOTFOUND. */
int crm_contact_delete(crm_store_t *st, int64_t id, const char *actor);

/* Page of contacts not merged away. q (NULL or "" = all):
 *  - with 3+ characters: the words, where a word of 1-2 characters stays
 *    joined to its neighbour ("Anna M", "+49 5"), must each occur as a
 *    substring (case-insensitive; full-text trigram index) of the names,
 *    e-mails, phones (as written and as digits) or company title;
 *  - with fewer: q is the start of the name or of the family name
 *    (case-insensitive for ASCII).
 * Ordered by name, except a search matching more than 2,000 contacts,
 * listed newest first ("order":"newest") so it stays fast; its count stops
 * at 10,000 ("total_exact":false). limit 1..500 (others clamp; <=0 means
 * 50), offset >= 0. *out = {"items":[contact..],"total":N,"total_exact":B,
 * "order":"name"|"newest","limit":L,"offset":O}. GR_ERR_INVAL when q is
 * longer than CRM_MAX_TEXT bytes. */
int crm_contact_list(crm_store_t *st, const char *q, int limit, int offset, json_t **out);

/* Merge the search indexes into one segment each (after a bulk import; about a second per 100,000). */
int crm_contact_search_optimize(crm_store_t *st);

/* Contacts (not merged away, other than exclude_id) matching the contact
 * JSON `in` by normalised e-mail, phone, or face (in's "person_ids").
 * *out is an array as in create's "duplicates". */
int crm_contact_duplicates(crm_store_t *st, json_t *in, int64_t exclude_id, json_t **out);

/* Merge drop_id into keep_id in one transaction: every phone/e-mail/website
 * of drop is kept (without exact repeats), empty fields of keep are filled
 * from drop, consent flags are OR-ed, leads/deals/card scans/face identities
 * and activity move to keep, and drop stays as a tombstone with merged_into
 * = keep_id. *out is the merged contact (may be NULL to skip).
 * GR_ERR_NOTFOUND, GR_ERR_INVAL (same id, or either already merged). */
int crm_contact_merge(crm_store_t *st, int64_t keep_id, int64_t drop_id, const char *actor, json_t **out,
                      char *err, size_t errlen);

/* Link a face identity (people.id) to a contact, e.g. after a card scan with
 * the visitor's consent. When privacy.require_consent is on (st's crm_opts_t)
 * the contact must have consent_face, else GR_ERR_AUTH. The person becomes
 * known, labelled with the contact's name; audit_log "face.link". */
int crm_contact_link_person(crm_store_t *st, int64_t contact_id, int64_t person_id, const char *actor, char *err,
                            size_t errlen);

/* Normalisers used for duplicate detection (exposed for tests and import).
 * Write into buf (always NUL-terminated); return the length, 0 when the
 * value has nothing usable. E-mail: trimmed, lower-case ASCII. Phone: E.164
 * when libphonenumber finds a valid number (national numbers read for
 * `region`, ISO 3166 alpha-2: device.region, crm_opts_t), else "+" and the
 * digits when it starts with + or 00, else the digits only. */
size_t crm_norm_email(const char *in, char *buf, size_t buflen);
size_t crm_norm_phone(const char *in, const char *region, char *buf, size_t buflen);

#endif
