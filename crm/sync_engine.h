/* sync_engine.h - one delivery pass over the outbox to Bitrix24, shared by
 * the agent thread (crm/sync.c) and `greeter sync once` (crm/sync_cli.c).
 *
 * A pass takes pending rows in id order in windows of up to 50 rows that
 * touch distinct records and do not depend on each other (a deal whose
 * contact is created in the same window starts the next window). Per window:
 *  1. look-ups: a record with no remote id whose earlier attempt may have
 *     reached the CRM is searched by ORIGIN_ID; a new contact is searched by
 *     e-mail and phone (crm.duplicate.findbycomm) and linked when found; an
 *     update reads the record to replace its multi-fields exactly; a visit
 *     retried after a possible send searches its marker among the comments;
 *  2. the rows' attempts are counted and committed, then the writes go out
 *     (one batch, or one call each);
 *  3. remote ids and row states are committed in one transaction.
 * A row whose last request got no reply (timeout, dropped connection, a
 * SIGKILL while it was out) may still be acted on by the CRM for up to 60 s
 * (Bitrix24 cuts requests off then): it and later rows of the same record
 * are held (stay pending) until then, so the ORIGIN_ID look-up cannot run
 * before the first add lands. A reply of any kind clears the hold.
 * A transient error (network, 5xx, 503) or an auth refusal ends the pass;
 * a record-level refusal (400) makes that row dead and the pass goes on.
 */
#ifndef CRM_SYNC_ENGINE_H
#define CRM_SYNC_ENGINE_H

#include "crm/bitrix24.h"
#include "crm/store.h"

#include <stddef.h>

typedef struct {
    crm_store_t *st;          /* not owned */
    crm_b24_t *b24;           /* not owned */
    int use_batch;
    const char *device_id;
    const char *device_name;
    const char *visit_source;
    const char *bitrix24_users; /* sync.bitrix24_users: board user -> ASSIGNED_BY_ID */
    const char *storage_dir;  /* photos/ and snapshots/ live below it */
    int faces_field;          /* UF_CRM_GREETER_FACES: 0 unknown, 1 there, -1 refused (sync_fleet.h) */
    /* results of the last pass */
    size_t delivered;         /* rows done */
    size_t dead;              /* rows made dead */
    size_t deferred;          /* rows left waiting for a record queued after them */
    size_t held;              /* rows held: a request for them may still be in progress at the CRM */
    char last_error[384];     /* the error that ended the pass, "" */
} crm_sync_engine_t;

/* Run windows until no pending row is left or an error stops the pass.
 * Returns GR_OK (all pending rows handled), GR_ERR_NET (transient: retry
 * later), GR_ERR_AUTH (webhook refused: pause), GR_ERR_STOPPED (the b24
 * client's wait function asked to stop), or GR_ERR_DB/NOMEM. */
int crm_sync_engine_pass(crm_sync_engine_t *e);

/* Back-off before retry number `attempt` (1, 2, ...): base * 2^(attempt-1)
 * capped at max, times a jitter factor 0.5 + 0.5 * r (r in [0,1)). */
double crm_sync_backoff(int attempt, double base, double max, double r);

#endif
