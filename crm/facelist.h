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

/* crm_face_get plus "template_list" [{id,source,quality,created_at,visit_id}]
 * (the templates it is recognised by) and "visits" [{id,started_at,ended_at,
 * is_new,distance,snapshot,camera}] (newest 200). GR_ERR_NOTFOUND. */
int crm_face_detail(crm_store_t *st, int64_t id, json_t **out);

/* Merge identity `gone` into `keep` (two identities of one person): its
 * templates, visits and leads move, counts add up, a contact or a name it had
 * passes to keep; gone is deleted. audit_log "face.merge". GR_ERR_NOTFOUND,
 * GR_ERR_INVAL (the same, or a suppression entry), GR_ERR_EXISTS (linked to
 * two different contacts). */
int crm_face_merge(crm_store_t *st, int64_t keep, int64_t gone, const char *actor, char *err, size_t errlen);

/* Delete one template of person. audit_log "face.template.delete". */
int crm_face_template_delete(crm_store_t *st, int64_t person, int64_t template_id, const char *actor, char *err,
                             size_t errlen);

/* "Not this person": visit_id goes to identity target (0: a new unknown
 * identity, its id in *out_person). The visit's face moves with it and
 * recognises target from now on, unless it came from a weak sample (source
 * CRM_FACE_SOURCE_WEAK: cut by the frame edge, smaller than
 * vision.min_enrol_px): that one stays the visit's evidence, never matched,
 * as the live pipeline never makes a template of it; the template of the wrong identity nearest
 * to that face within threshold (the one that made the false match) is
 * deleted unless it is that identity's last; the pair is remembered in
 * face_distinct. audit_log "face.not_this". */
int crm_face_not_this(crm_store_t *st, int64_t visit_id, int64_t target, double threshold, const char *actor,
                      int64_t *out_person, char *err, size_t errlen);

/* The identity of a visit into *person (0: no such visit, or none). */
int crm_face_visit_owner(crm_store_t *st, int64_t visit_id, int64_t *person);

/* Erase identity id at the person's request and keep a suppression entry:
 * crm_face_forget, then a new identity "Suppressed #N" (people.suppressed)
 * with up to 8 of the erased templates and nothing else, so the camera
 * recognises the face and stores nothing. audit_log "face.forget" and
 * "face.suppress". *out (may be NULL): crm_face_forget's counts plus
 * "suppression_id". GR_ERR_EMPTY when there is no template to keep. */
int crm_face_suppress(crm_store_t *st, int64_t id, const char *actor, json_t **out, char *err, size_t errlen);

#endif
