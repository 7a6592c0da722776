/* metrics.h - the server's own health (metrics.c): GET /healthz, GET
 * /metrics (Prometheus text) and the request counters behind them. Not for
 * other parts.
 */
#ifndef WEB_METRICS_H
#define WEB_METRICS_H

#include "web/request.h"

/* GET|HEAD /healthz: {"ok","version","uptime_s"}, no login needed. */
void web_metrics_healthz(web_req_t *r);
/* GET /metrics. */
void web_metrics_route(web_req_t *r);

/* Count a finished request: its status and, when it was timed, its latency. */
void web_metrics_count(web_stats_t *st, const web_req_t *r);

#endif
