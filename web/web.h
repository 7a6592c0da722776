/* web.h - the board's web UI and JSON API (libmicrohttpd). */
#ifndef WEB_WEB_H
#define WEB_WEB_H

#include "firmware/core/bus.h"
#include "firmware/core/config.h"
#include "firmware/core/ring.h"

typedef struct web_server web_server_t;

/* Listen on web.listen and serve until closed. Reads visit events from the
 * bus (server-sent events) and frames from the ring (/stream.mjpg).
 * On success *out is owned by the caller: web_server_close. */
int web_server_open(const gr_config_t *cfg, gr_bus_t *bus, gr_ring_t *ring, web_server_t **out)
    __attribute__((warn_unused_result));
void web_server_close(web_server_t *srv);

/* The port actually bound (useful with web.listen=127.0.0.1:0). */
int web_server_port(const web_server_t *srv);

#endif
