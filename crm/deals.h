/* deals.h - sales opportunities moving through their stages.
 *
 * JSON fields: title (required), stage (NEW, PREPARATION, PREPAYMENT_INVOICE,
 * EXECUTING, FINAL_INVOICE, WON, LOSE), contact_id, company_id, lead_id,
 * amount (number >= 0), currency (3 letters); on output also id,
 * contact_name, company_title, created_at, updated_at.
 * An open deal may move to any stage; WON and LOSE are final (GR_ERR_INVAL).
 * Conventions as in contacts.h.
 */
#ifndef CRM_DEALS_H
#define CRM_DEALS_H

#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

int crm_deal_create(crm_store_t *st, json_t *in, const char *actor, json_t **out, char *err, size_t errlen);
int crm_deal_get(crm_store_t *st, int64_t id, json_t **out);
int crm_deal_update(crm_store_t *st, int64_t id, json_t *patch, const char *actor, json_t **out, char *err,
                    size_t errlen);
int crm_deal_delete(crm_store_t *st, int64_t id, const char *actor);
/* stage NULL = all; q matches the title. Newest first.
 * *out = {"items":[..],"total":N,"limit":L,"offset":O}. */
int crm_deal_list(crm_store_t *st, const char *q, const char *stage, int limit, int offset, json_t **out);

int crm_deal_stage_valid(const char *stage);

#endif
