/* sync.h - the sync agent thread of greeterd: delivers the outbox to the
 * central CRM (Bitrix24, CardDAV) exactly once, and pulls shared contacts. */
#ifndef CRM_SYNC_H
#define CRM_SYNC_H

#include "bus.h"
#include "config.h"

typedef struct crm_sync crm_sync_t;

/* Start the agent (a no-op agent when no target is configured). On success
 * *out is owned by the caller: crm_sync_close (stops and joins). */
int crm_sync_open(const gr_config_t *cfg, gr_bus_t *bus, crm_sync_t **out)
    __attribute__((warn_unused_result));
void crm_sync_close(crm_sync_t *s);

#endif
