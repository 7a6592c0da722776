/* activity.h - the history shown on each record's page. */
#ifndef CRM_ACTIVITY_H
#define CRM_ACTIVITY_H

#include "crm/store.h"

#include <jansson.h>
#include <stdint.h>

/* Record an event on entity/id. detail: JSON object or NULL (not stolen). */
int crm_activity_add(crm_store_t *st, const char *entity, int64_t id, const char *kind, const char *actor,
                     json_t *detail);

/* Newest first. *out = {"items":[{"id","at","kind","actor","detail"}..],"total":N,"limit":L,"offset":O},
 * a new reference owned by the caller (json_decref). */
int crm_activity_list(crm_store_t *st, const char *entity, int64_t id, int limit, int offset, json_t **out);

/* Privacy-relevant actions (erasure, consent, exports) into audit_log. */
int crm_audit(crm_store_t *st, const char *actor, const char *action, const char *entity, int64_t id,
              json_t *detail);

#endif
