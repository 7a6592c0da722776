/* expected.h - the desk's expected visitors: who is expected on a day and
 * whom they visit (the host, a user name), and telling the host at once
 * when the camera recognises them or any known contact they look after.
 *
 * JSON of one: {"id","day","name","company","contact_id","host","note",
 * "arrived_at","visit_id","created_by","created_at"}.
 */
#ifndef CRM_EXPECTED_H
#define CRM_EXPECTED_H

#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* in: {"name" (required unless contact_id names a contact: then its name),
 * "company", "contact_id", "host", "note", "day" (YYYY-MM-DD, default today)}.
 * *out = the row, owned by the caller. GR_ERR_INVAL with a message in err. */
int crm_expected_add(crm_store_t *st, json_t *in, const char *actor, json_t **out, char *err, size_t errlen);

/* day NULL = today. *out = {"day","items":[..]} in the order added, owned
 * by the caller. GR_ERR_INVAL for a malformed day. */
int crm_expected_list(crm_store_t *st, const char *day, json_t **out);

/* GR_ERR_NOTFOUND when there is no such row. */
int crm_expected_delete(crm_store_t *st, int64_t id);

/* A recognised visit (crm_on_visit, inside its transaction): when the
 * person is expected today (by contact, or by name = the person's label or
 * contact's name) or is a contact with a responsible user, notify the host
 * (notification kind "arrival" for that user, e-mailed to their users.email,
 * else to the manager): "Anna Schmidt (Globex) is at reception". Marks the
 * expected row arrived. Nothing happens for an unknown walk-by. */
int crm_expected_on_visit(crm_store_t *st, int64_t person_id, int64_t visit_id, int64_t contact_id, const char *label);

#endif
