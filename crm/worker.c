/* Placeholder until the CRM lands (issue 5). */
#include "worker.h"

#include "err.h"

int crm_worker_open(const gr_config_t *cfg, gr_bus_t *bus, crm_worker_t **out) {
    (void)cfg; (void)bus;
    *out = NULL;
    return GR_ERR_UNSUPPORTED;
}

void crm_worker_close(crm_worker_t *w) { (void)w; }
