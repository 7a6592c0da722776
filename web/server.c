/* Placeholder until the web UI lands (issue 5). */
#define GR_LOG_MODULE "web"
#include "web.h"
#include "err.h"
#include "log.h"

int web_server_open(const gr_config_t *cfg, gr_bus_t *bus, gr_ring_t *ring, web_server_t **out) {
    (void)cfg; (void)bus; (void)ring;
    *out = NULL;
    LOG_W("web UI not available in this build");
    return GR_ERR_UNSUPPORTED;
}

void web_server_close(web_server_t *srv) { (void)srv; }

int web_server_port(const web_server_t *srv) { (void)srv; return 0; }
