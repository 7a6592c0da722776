/* outbox.h - the transactional outbox: every change that must leave the
 * board is queued by the code that makes the change, inside the same SQLite
 * transaction, so a change and its delivery record are committed (or lost)
 * together. The sync agent (crm/sync*.c) delivers rows in id order.
 */
#ifndef CRM_OUTBOX_H
#define CRM_OUTBOX_H

#include "store.h"

#include <stdint.h>

/* Queue one change for every configured target ("bitrix24" rows are always
 * queued; the agent discards what no target needs). Must be called inside a
 * transaction the caller opened with crm_store_begin.
 *   entity:  "contact" | "company" | "lead" | "deal" | "visit" | "person"
 *   op:      "upsert" | "delete" | "convert" | "comment"
 *   payload: JSON object text (a snapshot of the record), copied.
 * Returns GR_OK or a GR_ERR_* code (the caller must then roll back). */
int crm_outbox_enqueue(crm_store_t *st, const char *entity, int64_t local_id, const char *op,
                       const char *payload);

/* Counts for status pages: pending and dead rows. */
int crm_outbox_counts(crm_store_t *st, int64_t *pending, int64_t *dead);

#endif
