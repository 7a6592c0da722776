/* companies.h - organisations contacts work for.
 *
 * JSON fields: title (required), website, address; on output also id,
 * contact_count, created_at, updated_at. Conventions (ownership, actor,
 * err, outbox, savepoints) as in contacts.h.
 */
#ifndef CRM_COMPANIES_H
#define CRM_COMPANIES_H

#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

int crm_company_create(crm_store_t *st, json_t *in, const char *actor, json_t **out, char *err, size_t errlen);
/* GR_ERR_NOTFOUND when there is none. */
int crm_company_get(crm_store_t *st, int64_t id, json_t **out);
int crm_company_update(crm_store_t *st, int64_t id, json_t *patch, const char *actor, json_t **out, char *err,
                       size_t errlen);
/* Contacts and deals of the company stay, unlinked. */
int crm_company_delete(crm_store_t *st, int64_t id, const char *actor);
/* q matches the title (substring, case-insensitive). Ordered by title.
 * *out = {"items":[..],"total":N,"limit":L,"offset":O}. */
int crm_company_list(crm_store_t *st, const char *q, int limit, int offset, json_t **out);

/* The id of the company titled `title` (case-insensitive), created when
 * absent. For contacts, conversion and import. */
int crm_company_ensure(crm_store_t *st, const char *title, const char *actor, int64_t *id);

#endif
