/* outbox.h - the transactional outbox: every change that must leave the
 * board is queued by the code that makes the change, inside the same SQLite
 * transaction, so a change and its delivery record are committed (or lost)
 * together. The sync agent (crm/sync*.c) delivers rows in id order.
 */
#ifndef CRM_OUTBOX_H
#define CRM_OUTBOX_H

#include "crm/store.h"

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

/* Counts for status pages: pending and dead rows. Rows of entity "person"
 * (face templates for the fleet) are held back, not counted as pending,
 * until fleet sync exists (docs/SYNC.md). */
int crm_outbox_counts(crm_store_t *st, int64_t *pending, int64_t *dead);

/* ---- used by the sync agent (crm/sync*.c) and status pages ---- */

#include <jansson.h>
#include <stddef.h>

/* One pending row, as fetched for delivery. */
typedef struct {
    int64_t id;
    char entity[16];
    int64_t local_id;
    char op[16];
    char *payload;   /* JSON text, owned by the row array */
    int attempts;    /* > 0: a request for it may have been sent before */
    double hold_until; /* unix time: a request for it may still be in progress at the CRM until then, 0 */
} crm_outbox_row_t;

/* Up to max pending rows of `target` with id > after_id, in id order
 * ("person" rows are held back, see crm_outbox_counts).
 * On GR_OK *rows (NULL when *n == 0) is owned by the caller:
 * crm_outbox_rows_free(rows, n). */
int crm_outbox_fetch(crm_store_t *st, const char *target, int64_t after_id, size_t max, crm_outbox_row_t **rows,
                     size_t *n);
void crm_outbox_rows_free(crm_outbox_row_t *rows, size_t n);

/* Count one more attempt for each row, committed before the requests go out
 * (so after a crash the agent knows a row may have reached the CRM). Opens
 * and commits its own transaction. */
int crm_outbox_attempted(crm_store_t *st, const int64_t *ids, size_t n);

/* Count one more attempt and set the row's hold (outbox.next_try_at, unix
 * time) to hold_until in one committed transaction: until then the request
 * about to leave may still be in progress at the CRM, so the row is neither
 * looked up nor sent again (see docs/SYNC.md "Exactly once"). */
int crm_outbox_attempted_hold(crm_store_t *st, const int64_t *ids, size_t n, double hold_until);

/* Set (0: clear) a row's hold. Call inside a transaction. */
int crm_outbox_hold(crm_store_t *st, int64_t id, double hold_until);

/* Row states. Call inside a transaction (done goes with crm_outbox_remote_set). */
int crm_outbox_done(crm_store_t *st, int64_t id);
/* Sent rows keep no payload (issue 12): clear the payload of every done
 * row, except a contact's that the CardDAV target (carddav_on) has not
 * read yet (it reads contact rows past its cursor, sent or not). */
int crm_outbox_prune_sent(crm_store_t *st, int carddav_on);
/* A permanent refusal: state 'dead', last_error = msg (the CRM's words). */
int crm_outbox_dead(crm_store_t *st, int64_t id, const char *msg);
/* Remember the last transient error of a row (stays pending). */
int crm_outbox_note(crm_store_t *st, int64_t id, const char *msg);

/* Dead rows back to pending; *count (may be NULL) = how many. */
int crm_outbox_retry_dead(crm_store_t *st, const char *target, int64_t *count);

/* Dead rows for the UI, newest first: *out = [{"id","entity","local_id",
 * "op","last_error","created_at"},..], owned by the caller. */
int crm_outbox_dead_list(crm_store_t *st, int limit, json_t **out);

/* What the target calls our record. get: GR_OK and the id in buf, or
 * GR_ERR_NOTFOUND. set replaces (and stores etag, may be NULL). */
int crm_outbox_remote_get(crm_store_t *st, const char *target, const char *entity, int64_t local_id, char *buf,
                          size_t buflen);
int crm_outbox_remote_set(crm_store_t *st, const char *target, const char *entity, int64_t local_id,
                          const char *remote_id, const char *etag);
int crm_outbox_remote_del(crm_store_t *st, const char *target, const char *entity, int64_t local_id);

/* Small key/value state per target (last_error, paused, last_pull, ...).
 * get: GR_ERR_NOTFOUND when unset; value truncated to buflen. set with
 * value NULL deletes. */
int crm_outbox_state_get(crm_store_t *st, const char *target, const char *key, char *buf, size_t buflen);
int crm_outbox_state_set(crm_store_t *st, const char *target, const char *key, const char *value);

#endif
