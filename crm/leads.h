/* leads.h - requests that arrive (a face visit, a card scan, by hand) and
 * are worked on until converted or dropped.
 *
 * JSON fields: title, status (NEW|IN_PROCESS|CONVERTED|JUNK), source
 * (face_visit|card_scan|manual), contact_id, person_id, scan_id, assigned_to,
 * data (object: the contact fields as captured, contacts.h names); on output
 * also id, contact_name, created_at, updated_at.
 *
 * Status transitions: NEW -> IN_PROCESS | JUNK, IN_PROCESS -> NEW | JUNK;
 * CONVERTED only through crm_lead_convert (from NEW or IN_PROCESS);
 * CONVERTED and JUNK are final. Anything else is GR_ERR_INVAL.
 * A new lead notifies the manager (notifications row, e-mailed by the worker
 * when notify.manager_email is set). Conventions as in contacts.h.
 */
#ifndef CRM_LEADS_H
#define CRM_LEADS_H

#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

int crm_lead_create(crm_store_t *st, json_t *in, const char *actor, json_t **out, char *err, size_t errlen);
int crm_lead_get(crm_store_t *st, int64_t id, json_t **out);
/* title, status (checked as above), contact_id, assigned_to, data. */
int crm_lead_update(crm_store_t *st, int64_t id, json_t *patch, const char *actor, json_t **out, char *err,
                    size_t errlen);
int crm_lead_delete(crm_store_t *st, int64_t id, const char *actor);
/* status NULL = all; q matches title and the captured data. Newest first.
 * *out = {"items":[..],"total":N,"limit":L,"offset":O}. */
int crm_lead_list(crm_store_t *st, const char *q, const char *status, int limit, int offset, json_t **out);

/* Convert a lead in ONE transaction: the contact (the lead's contact_id, or
 * one made from its data), the company (data.company, found or made), a
 * deal (stage NEW, titled like the lead) and the lead's status CONVERTED,
 * each with its outbox row. *out = {"lead","contact","company"(or null),"deal"}.
 * GR_ERR_NOTFOUND; GR_ERR_INVAL when the lead is CONVERTED or JUNK. */
int crm_lead_convert(crm_store_t *st, int64_t lead_id, const char *actor, json_t **out, char *err, size_t errlen);

/* Name checks, for the UI's select boxes. */
int crm_lead_status_valid(const char *status);
int crm_lead_source_valid(const char *source);

#endif
