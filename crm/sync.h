/* sync.h - the sync agent thread of greeterd: delivers the outbox to the
 * central CRM (Bitrix24) exactly once, in order per record (docs/SYNC.md).
 *
 * State other parts may read (web UI, /metrics): crm_sync_status on their
 * own store connection; the agent also publishes "sync.state"
 * {"pending","dead","last_error","paused"} on the bus whenever it changes.
 */
#ifndef CRM_SYNC_H
#define CRM_SYNC_H

#include "firmware/core/bus.h"
#include "firmware/core/config.h"
#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef struct crm_sync crm_sync_t;

/* Start the agent. Returns GR_ERR_UNSUPPORTED (and *out NULL) when no
 * target is configured (sync.bitrix24_url empty) or the URL is not
 * acceptable (then also stored as paused with last_error, so the UI says
 * why); GR_ERR_INVAL when there is no device id. On GR_OK *out is owned by the caller: crm_sync_close
 * (stops and joins; a request in flight is abandoned, its row is re-checked
 * on the next start). cfg must outlive the agent: its CRM settings
 * (crm_opts_from_config) are read again before each pass, so a GR_LIVE one
 * changed on the Settings page (device.region) applies at once. */
int crm_sync_open(const gr_config_t *cfg, gr_bus_t *bus, crm_sync_t **out)
    __attribute__((warn_unused_result));
void crm_sync_close(crm_sync_t *s);

/* Wake the agent now (e.g. after a change was queued). Thread-safe. */
void crm_sync_kick(crm_sync_t *s);

/* Delivery state as stored in the database. */
typedef struct {
    int64_t pending;          /* rows waiting (not counting held-back "person" rows) */
    int64_t dead;             /* rows the CRM refused; see crm_outbox_dead_list */
    int64_t held;             /* "person" rows held back (fleet sync not built) */
    int paused;               /* 1: the CRM refused the webhook (401/403) */
    char last_error[384];     /* "" when the last attempt succeeded */
    char last_ok_at[40];      /* ISO time of the last successful delivery, "" */
    /* the CardDAV target (crm/carddav.h) */
    long long dav_pending;    /* contact changes not yet in the address book */
    int dav_paused;
    char dav_last_error[384];
} crm_sync_status_t;

/* Read the state with the caller's own connection. GR_OK or GR_ERR_DB. */
int crm_sync_status(crm_store_t *st, crm_sync_status_t *out);

/* The same as JSON {"pending","dead","held","paused","last_error",
 * "last_ok_at","carddav":{"pending","paused","last_error"}}; *out owned by
 * the caller. */
int crm_sync_status_json(crm_store_t *st, json_t **out);

/* Prometheus text lines (greeter_sync_pending, _dead, _paused) into buf;
 * returns the length written (truncated to len-1), or a GR_ERR_* code. */
int crm_sync_metrics(crm_store_t *st, char *buf, size_t len);

/* The device id used in ORIGIN_IDs: device.id, else the first 12 hex
 * digits of /etc/machine-id. GR_ERR_NOTFOUND when neither is available. */
int crm_sync_device_id(const gr_config_t *cfg, char *buf, size_t len);

#endif
