/* internal.h - what the web part's files share: the server state, one
 * request's state and the reply helpers. Not for other parts (they use web.h).
 */
#ifndef WEB_INTERNAL_H
#define WEB_INTERNAL_H

#include "web/auth.h"
#include "firmware/core/bus.h"
#include "firmware/core/config.h"
#include "web/parse.h"
#include "firmware/core/ring.h"
#include "crm/store.h"
#include "web/web.h"

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#define WEB_DB_POOL 4           /* SQLite connections shared by the request threads: at most this
                                 * many requests run SQL at once, the others wait in line */
#define WEB_MAX_CONNECTIONS 128 /* libmicrohttpd connection limit (one thread each) */
#define WEB_MAX_PER_CLIENT 64   /* of those, from one address */
#define WEB_MAX_STREAMS 16      /* concurrent /stream.mjpg clients */
#define WEB_MAX_EVENT_CLIENTS 32
#define WEB_SESSION_COOKIE "gr_session"
#define WEB_HIST_BUCKETS 10

/* Latency histogram bucket bounds (seconds) for /metrics. */
extern const double web_hist_bounds[WEB_HIST_BUCKETS];

typedef struct ocr_reader ocr_reader_t;
typedef struct vis_faces vis_faces_t;

struct web_server {
    const gr_config_t *cfg;
    gr_bus_t *bus;
    gr_ring_t *ring;
    struct MHD_Daemon *mhd;
    int port;
    int tls;
    size_t max_body;
    double started;                 /* monotonic */
    atomic_int stopping;
    char *storage_dir;
    char *tls_cert, *tls_key;       /* PEM text when web.tls */

    web_auth_t *auth;

    /* The connection pool. Requests that find every connection busy queue
     * in arrival order (db_wait_head..tail) and are handed a connection by
     * the request that gives one back, so no request is overtaken. */
    pthread_mutex_t db_lock;
    crm_store_t *db[WEB_DB_POOL];
    int db_busy[WEB_DB_POOL];
    int db_open;
    struct web_db_waiter *db_wait_head, *db_wait_tail;

    pthread_mutex_t ocr_lock;       /* the one card reader, opened on first use */
    ocr_reader_t *ocr;
    pthread_mutex_t faces_lock;     /* the one face enroller, opened on first use */
    vis_faces_t *faces;

    /* Metrics. */
    atomic_ulong requests[6];       /* by status class 1xx..5xx; [0] other */
    atomic_ulong hist[WEB_HIST_BUCKETS + 1];
    atomic_ulong latency_us_sum;
    atomic_int event_clients;
    atomic_int stream_clients;
    atomic_ulong stream_frames;
    atomic_ulong events_sent;
};

typedef struct web_req {
    web_server_t *srv;
    struct MHD_Connection *conn;
    const char *method;
    const char *url;
    char client[64];
    double t0;
    int timed;                      /* counts in the latency histogram */

    char *body;
    size_t body_len, body_cap;
    int too_big;

    int authed;
    web_session_t sess;
    char token[WEB_TOKEN_HEX];      /* the request's session cookie, if any */

    crm_store_t *db;                /* held from the pool while handling */
    int db_slot;

    unsigned status;
    struct MHD_Response *resp;
} web_req_t;

/* Replies: each sets r->status and r->resp (replacing an earlier one). */
/* body is stolen (json_decref'd). */
void web_reply_json(web_req_t *r, unsigned status, json_t *body);
void web_reply_error(web_req_t *r, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Map a GR_ERR_* code to an HTTP status and error code; msg may be NULL or "". */
void web_reply_rc(web_req_t *r, int rc, const char *msg);
/* data is copied. */
void web_reply_bytes(web_req_t *r, unsigned status, const char *ctype, const void *data, size_t len);

/* Parse the request body as a JSON object, replying 400/415 on failure. On
 * GR_OK *out is a new reference owned by the caller. */
int web_req_json(web_req_t *r, json_t **out);

/* A database connection from the pool, held until the request ends. NULL
 * (after replying 503) when none can be opened. */
crm_store_t *web_req_db(web_req_t *r);

/* A query parameter (decoded by libmicrohttpd), or NULL. */
const char *web_req_arg(web_req_t *r, const char *name);
const char *web_req_header(web_req_t *r, const char *name);

/* The JSON API under /api/v1 (api.c): segs[0..1] are "api","v1". */
void web_api_dispatch(web_req_t *r, char segs[WEB_MAX_SEGS][WEB_MAX_SEG_LEN], int n);

/* Streams (stream.c). */
void web_stream_events(web_req_t *r);
void web_stream_mjpeg(web_req_t *r);

/* Uploads that need the card reader or the face models (media.c). */
void web_media_scan(web_req_t *r);
void web_media_enroll(web_req_t *r);
/* POST /api/v1/scans/save: reviewed fields (+ the kept photo) -> contact + lead. */
void web_media_scan_save(web_req_t *r);
/* The newest camera frame as a JPEG copy (*jpeg malloc'd, owned by the caller). */
int web_media_newest_frame(web_server_t *srv, unsigned char **jpeg, size_t *len);
void web_media_close(web_server_t *srv);

/* Body bytes of an uploaded image: the raw body for image/jpeg or image/png,
 * or the file part of multipart/form-data. Replies with an error and returns
 * GR_ERR_* when there is none. */
int web_req_image(web_req_t *r, const void **img, size_t *len);

/* /metrics text (server.c). */
void web_metrics(web_req_t *r);

#endif
