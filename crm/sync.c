/* Placeholder until the sync agent lands (issue 6). */
#define GR_LOG_MODULE "sync"
#include "sync.h"
#include "cli.h"
#include "err.h"
#include "log.h"

#include <stdio.h>

int crm_sync_open(const gr_config_t *cfg, gr_bus_t *bus, crm_sync_t **out) {
    (void)cfg; (void)bus;
    *out = NULL;
    return GR_ERR_UNSUPPORTED;
}

void crm_sync_close(crm_sync_t *s) { (void)s; }

int crm_cli_sync(const gr_config_t *cfg, int argc, char **argv) {
    (void)cfg; (void)argc; (void)argv;
    fprintf(stderr, "greeter sync: not available in this build\n");
    return 2;
}
