/* facelist.h - the Faces page: every face identity (vision's `people` table)
 * with the contact it belongs to, its number of templates, its consent and
 * whether a visit snapshot of it exists. Erasing one is crm_face_forget in
 * privacy.h.
 */
#ifndef CRM_FACELIST_H
#define CRM_FACELIST_H

#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* kind: NULL or "all"; "enrolled" (enrolled, or linked to a contact);
 * "visitors" (the unknown visitors the camera remembers). q (may be NULL)
 * matches the label or the contact's name. Most recently seen first.
 * Items: {"id","label","known","contact_id","contact_name","consent",
 * "consent_at","templates","created_at","last_seen","visit_count","snapshot"}
 * (snapshot: true when a visit snapshot of the identity is kept).
 * *out = {"items":[..],"total":N,"limit":L,"offset":O}, owned by the caller.
 * GR_ERR_INVAL for an unknown kind. */
int crm_face_list(crm_store_t *st, const char *q, const char *kind, int limit, int offset, json_t **out);

/* One identity in the form of the list items; GR_ERR_NOTFOUND. */
int crm_face_get(crm_store_t *st, int64_t id, json_t **out);

/* File name (under <storage.dir>/snapshots) of the identity's newest visit
 * snapshot into name. GR_ERR_NOTFOUND when there is no such identity,
 * GR_ERR_EMPTY when it has no snapshot. */
int crm_face_snapshot(crm_store_t *st, int64_t id, char *name, size_t len);

/* Record that the person of identity `id` consented to face recognition
 * (people.consent, consent_at) with audit_log "consent.grant". For an
 * enrolment made with consent but without a contact. GR_ERR_NOTFOUND. */
int crm_face_consent(crm_store_t *st, int64_t id, const char *actor);

#endif
