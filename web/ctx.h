/* ctx.h - what the web routes share of the server they run in: the
 * settings, the bus and ring, logins, the database pool, the counters for
 * /metrics, and each route file's own state as an opaque handle (made and
 * freed by server.c). One per web_server_t, reached from a request as r->ctx.
 * Not for other parts (they use web.h).
 */
#ifndef WEB_CTX_H
#define WEB_CTX_H

#include "firmware/core/bus.h"
#include "firmware/core/config.h"
#include "firmware/core/ring.h"
#include "web/auth.h"
#include "web/dbpool.h"

#include <stdatomic.h>

#define WEB_STREAM_RECHECK_S 10.0 /* open streams check their session this often (stream.c) */
#define WEB_HIST_BUCKETS 10 /* latency histogram buckets of /metrics (metrics.c) */

typedef struct web_media web_media_t;       /* media.c: card reader, face enroller, kept photos */
typedef struct web_settings web_settings_t; /* settings.c: saving, restart-pending settings */
typedef struct web_pages web_pages_t;       /* pages.c: the embedded pages' ETags */

/* Counters for /metrics and /api/v1/status. */
typedef struct {
    atomic_ulong requests[6]; /* by status class 1xx..5xx; [0] other */
    atomic_ulong hist[WEB_HIST_BUCKETS + 1];
    atomic_ulong latency_us_sum;
    atomic_int event_clients;
    atomic_int stream_clients;
    atomic_ulong stream_frames;
    atomic_ulong events_sent;
    atomic_ulong refused_early;   /* refused on the headers, before any body byte (401/403/404/413/503) */
    atomic_ulong budget_full;     /* refused because the body budget was spent (503) */
    atomic_ulong deadline_cuts;   /* connections closed for a header or body deadline */
    atomic_ulong stream_ends;     /* streams ended because their session is gone */
    atomic_size_t body_bytes;     /* request body bytes held right now (the budget's use) */
} web_stats_t;

typedef struct web_ctx {
    const gr_config_t *cfg;      /* the running config (settings.c changes live settings) */
    gr_bus_t *bus;               /* NULL: no event stream in this process */
    gr_ring_t *ring;             /* NULL: no camera stream in this process */
    const char *storage_dir;
    int tls;                     /* served over HTTPS */
    size_t max_upload;           /* web.max_upload_mb in bytes: the photo and import routes' largest body */
    double stream_recheck_s;     /* streams check their session this often (stream.c) */
    double started;              /* monotonic */
    atomic_int stopping;         /* set by web_server_close: long responses end */
    atomic_uint ocr_generation;  /* bumped when an ocr.* setting changes: the card reader reopens */
    web_auth_t *auth;
    web_dbpool_t *db;
    web_stats_t stats;
    web_media_t *media;
    web_settings_t *settings;
    web_pages_t *pages;
} web_ctx_t;

#endif
