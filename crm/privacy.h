/* privacy.h - "forget this person" and retention.
 *
 * Files live under the folder holding the database (<storage.dir>):
 * snapshots/ (visit snapshots, named in visits.snapshot) and cards/ (card
 * images, named in card_scans.image). Database changes commit first; files
 * are removed afterwards (a file that cannot be removed is logged and
 * counted in "files_failed").
 */
#ifndef CRM_PRIVACY_H
#define CRM_PRIVACY_H

#include "crm/store.h"

#include <jansson.h>
#include <stdint.h>

/* Forget a person: give a contact_id, a person_id (people.id), or both.
 * Erases the face templates and snapshots of the face identities (the
 * person and every identity linked to the contact), the identities
 * themselves (visits stay as anonymous counts), the contact's card scans and
 * images, the captured data of its leads, and the contact (outbox "delete").
 * Recorded in audit_log as "person.forget" (counts only, no personal data).
 * *out = {"templates","snapshots","cards","people","contacts","files_failed"}
 * (may be NULL). GR_ERR_NOTFOUND when neither exists. */
int crm_person_forget(crm_store_t *st, int64_t contact_id, int64_t person_id, const char *actor, json_t **out,
                      char *err, size_t errlen);

/* Retention for unknown visitors (people neither known nor linked to a
 * contact): delete their face templates and visit snapshots when they were
 * last seen more than `days` ago (0: all of them now). Recorded in audit_log
 * as "retention.purge" when anything was removed.
 * *out = {"people","templates","snapshots","files_failed"} (may be NULL). */
int crm_retention_apply(crm_store_t *st, int days, json_t **out);

/* Erase one face identity (people.id) and nothing else: its face templates,
 * its visit snapshots and the identity itself (visits stay as anonymous
 * counts). A contact it is linked to is kept (use crm_person_forget to erase
 * the contact too); leads no contact owns are anonymised as by
 * crm_person_forget. Recorded in audit_log as "face.forget" (counts only).
 * *out = {"templates","snapshots","people","contact_id","files_failed"} (may
 * be NULL). GR_ERR_NOTFOUND when there is no such identity. */
int crm_face_forget(crm_store_t *st, int64_t person_id, const char *actor, json_t **out, char *err, size_t errlen);

#endif
