/* bitrix24_map.h - how Greeter's records become Bitrix24 fields.
 *
 * Input is an outbox payload: the CRM's JSON snapshot of a record
 * (contacts.h/leads.h/deals.h/companies.h names; visits: contact_id,
 * lead_id, person_id, label, started_at, snapshot, camera, is_new).
 * Pure functions (no I/O except the resolver callback), for unit tests.
 */
#ifndef CRM_BITRIX24_MAP_H
#define CRM_BITRIX24_MAP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Looks up what the CRM calls a local record: writes the remote id into buf
 * and returns 1, or returns 0 when it is not known (yet). */
typedef int (*crm_b24_resolve_fn)(void *ctx, const char *entity, int64_t local_id, char *buf, size_t buflen);

typedef struct {
    const char *device_id;    /* for ORIGIN_IDs */
    const char *device_name;  /* shown in titles and comments */
    const char *visit_source; /* SOURCE_ID of leads from face visits */
    crm_b24_resolve_fn resolve;
    void *resolve_ctx;
    const char *users;        /* sync.bitrix24_users "anna=12,bob=7" (NULL/"": none) */
} crm_b24_map_ctx_t;

/* The Bitrix24 user id of a board user in a sync.bitrix24_users list
 * ("name=id" joined by commas, blanks around them ignored; names compared
 * exactly). Returns the id (> 0), or 0 when the name is not in the list or
 * the list is empty, malformed (see crm_b24_users_check) or NULL. */
int64_t crm_b24_user_id(const char *users, const char *name);

/* "<device>:<entity>:<local_id>" into buf; returns GR_OK or GR_ERR_RANGE. */
int crm_b24_origin_id(const char *device_id, const char *entity, int64_t local_id, char *buf, size_t buflen);

/* The crm.<entity> name for an outbox entity ("contact" -> "contact"),
 * or NULL when the entity is not a Bitrix24 CRM entity. */
const char *crm_b24_entity(const char *entity);

/* Fields for crm.<entity>.add/update from a payload: multi-fields (PHONE,
 * EMAIL, WEB) in write form, references (COMPANY_ID, CONTACT_ID, LEAD_ID)
 * through the resolver (left out when unknown), no ORIGINATOR_ID, ORIGIN_ID or PHOTO (the
 * caller adds those). op "convert" forces a lead's STATUS_ID CONVERTED.
 * The responsible user (assigned_to) goes into UF_CRM_GR_OWNER, and into
 * ASSIGNED_BY_ID as well when ctx->users maps that name to a portal user.
 * On GR_OK *out is a new object owned by the caller; GR_ERR_INVAL with a
 * message in err when the payload is unusable (not an object, wrong types). */
int crm_b24_map_fields(const crm_b24_map_ctx_t *ctx, const char *entity, const char *op, json_t *payload,
                       json_t **out, char *err, size_t errlen);

/* Turn wanted multi-field values (write form, no IDs) into an update
 * against `existing` (read form from get: ID, VALUE, ..): values no longer
 * wanted become {"ID":..,"DELETE":"Y"}, new ones are appended, unchanged
 * ones are left alone. Returns a new array owned by the caller (NULL: no
 * memory). Non-array inputs count as empty. */
json_t *crm_b24_map_multi_diff(json_t *existing, json_t *wanted);

/* E-mails and phone numbers of a contact payload, for
 * crm.duplicate.findbycomm (at most 20 each). New arrays owned by the caller. */
void crm_b24_map_comms(json_t *payload, json_t **emails, json_t **phones);

/* Text of the timeline comment for a visit, ending in the marker
 * "[greeter:<origin>]" the agent searches for after a crash. Returns a
 * malloc'd string owned by the caller, NULL on no memory. */
char *crm_b24_map_visit_comment(const crm_b24_map_ctx_t *ctx, json_t *payload, const char *origin);

#endif
