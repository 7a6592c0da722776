/* visit_hook.h - what the CRM does when the camera records a visit.
 * crm/face_store.c (vision's store) calls this inside the transaction that
 * inserts the visit row, so the lead, the notification and the outbox rows
 * commit with the visit. */
#ifndef CRM_VISIT_HOOK_H
#define CRM_VISIT_HOOK_H

#include "crm/store.h"

#include <stdint.h>

/* person_id: row in people; visit_id: row in visits; is_new: first visit of
 * a person never seen before (becomes a lead with source face_visit).
 * Returns GR_OK or a GR_ERR_* code (the caller rolls back). */
int crm_on_visit(crm_store_t *st, int64_t person_id, int64_t visit_id, int is_new);

#endif
