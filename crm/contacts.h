/* contacts.h - people in the CRM: contacts with multi-value phones, e-mails
 * and websites and consent flags. Searching them: crm/contact_search.h;
 * duplicates and merging: crm/duplicates.h.
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

/* Reading many contacts (a page of a list) with the statements prepared
 * once. On GR_OK *out is owned by the caller: crm_contact_reader_close
 * (NULL is fine). get is crm_contact_get through the reader. */
typedef struct crm_contact_reader crm_contact_reader_t;
int crm_contact_reader_open(crm_store_t *st, crm_contact_reader_t **out) __attribute__((warn_unused_result));
int crm_contact_reader_get(crm_contact_reader_t *r, int64_t id, json_t **out);
void crm_contact_reader_close(crm_contact_reader_t *r);

/* Link a face identity (people.id) to a contact, e.g. after a card scan with
 * the visitor's consent. When privacy.require_consent is on (st's crm_opts_t)
 * the contact must have consent_face, else GR_ERR_AUTH. The person becomes
 * known, labelled with the contact's name; audit_log "face.link". */
int crm_contact_link_person(crm_store_t *st, int64_t contact_id, int64_t person_id, const char *actor, char *err,
                            size_t errlen);

#endif
