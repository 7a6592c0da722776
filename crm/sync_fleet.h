/* sync_fleet.h - boards share known people through the CRM (Bitrix24).
 *
 * Push: a contact with consent_face carries the face templates of its
 * linked identities in the custom field UF_CRM_GREETER_FACES (created by the
 * agent when missing); without consent the field is sent empty, so a
 * withdrawal travels.
 * Pull: contacts changed since the last pull (crm.contact.list with a
 * >DATE_MODIFY filter, paged) that carry templates and are not this board's
 * own become local contacts (linked to the CRM record, no outbox echo) with a
 * known face identity holding the templates (face_templates.source 'sync'),
 * so the visitor is greeted by name here too. A pulled contact whose field
 * became empty, or which is gone from the CRM, loses its synced templates.
 *
 * Field text: the descriptors' "gf1:" text (firmware/formats/descriptor.h),
 * the blobs of face_templates.descriptor back to back.
 */
#ifndef CRM_SYNC_FLEET_H
#define CRM_SYNC_FLEET_H

#include "crm/sync_engine.h"

#include <jansson.h>
#include <stddef.h>

#define CRM_FLEET_FIELD "UF_CRM_GREETER_FACES"
#define CRM_FLEET_MAX_TEMPLATES 8 /* per contact, best quality first */

/* Set fields[UF_CRM_GREETER_FACES] for a contact payload (consent_face,
 * person_ids). GR_OK or GR_ERR_DB/NOMEM. */
int crm_sync_fleet_faces(crm_sync_engine_t *e, json_t *payload, json_t *fields);

/* Make sure the custom field exists (userfield.list, then .add). GR_OK,
 * GR_ERR_NET/AUTH (retry later), GR_ERR_UNSUPPORTED (the CRM refused: faces
 * are not sent). Remembered in sync_state bitrix24/faces_field. */
int crm_sync_fleet_ensure_field(crm_sync_engine_t *e);

/* Decode the field text into descriptor blobs: *out (malloc'd,
 * n * FMT_DESC_BYTES bytes, owned by the caller) and *n. "" gives n = 0.
 * GR_ERR_FORMAT for anything else that is not "gf1:" + valid base64 of whole
 * blobs (at most CRM_FLEET_MAX_TEMPLATES): fmt_desc_text_decode. */
int crm_sync_fleet_decode(const char *text, unsigned char **out, size_t *n);

typedef struct {
    size_t seen, added, updated, cleared;
} crm_fleet_pull_t;

/* Pull contacts changed since the last pull. GR_OK, GR_ERR_NET/AUTH,
 * GR_ERR_DB. */
int crm_sync_fleet_pull(crm_sync_engine_t *e, crm_fleet_pull_t *res);

#endif
