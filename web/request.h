/* request.h - one HTTP request as the routes see it, the replies they give
 * (reply.c) and the helpers that read the request (request.c). The bottom
 * of the web part: the route files and server.c include this, it includes
 * none of them. Not for other parts (they use web.h).
 */
#ifndef WEB_REQUEST_H
#define WEB_REQUEST_H

#include "crm/store.h"
#include "web/auth.h"
#include "web/ctx.h"
#include "web/parse.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stddef.h>

#define WEB_SESSION_COOKIE "gr_session"
#define WEB_BODY_LOGIN (16u << 10) /* largest body of login, logout, /me, password */
#define WEB_BODY_JSON (1u << 20)   /* largest JSON body of the other routes */

typedef struct web_req web_req_t;
/* What the router calls for a path. */
typedef void web_handler_t(web_req_t *r);

struct web_req {
    web_ctx_t *ctx;
    struct MHD_Connection *conn;
    const char *method;
    const char *url;
    char client[64];                /* the peer's address */
    double t0;                      /* monotonic */
    int timed;                      /* counts in the latency histogram (streams do not) */

    /* The path split by the router: segs[0..1] are "api","v1" under the API. */
    char segs[WEB_MAX_SEGS][WEB_MAX_SEG_LEN];
    int nsegs;

    web_handler_t *handler;         /* set by web_router_judge on the headers */
    size_t body_max;                /* the route's largest body (web_router_judge) */
    size_t reserved;                /* bytes of the server's body budget held (server.c) */

    char *body;                     /* NUL-terminated copy of the body */
    size_t body_len, body_cap;
    int too_big;                    /* a chunked body outgrew body_max: dropped, answered 413 */

    int authed;
    web_session_t sess;
    char token[WEB_TOKEN_HEX];      /* the request's session cookie, if any */

    crm_store_t *db;                /* held from the pool while handling */
    int db_slot;

    unsigned status;
    struct MHD_Response *resp;
};

/* ---- replies (reply.c): each sets r->status and r->resp, replacing an earlier one ---- */

/* body is stolen (json_decref'd). */
void web_reply_json(web_req_t *r, unsigned status, json_t *body);
void web_reply_error(web_req_t *r, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Map a GR_ERR_* code to an HTTP status and error code; msg may be NULL or "". */
void web_reply_rc(web_req_t *r, int rc, const char *msg);
/* data is copied. */
void web_reply_bytes(web_req_t *r, unsigned status, const char *ctype, const void *data, size_t len);
/* Reply 200 with the regular file at path (opened without following a
 * symlink, at most max_bytes) as ctype; else 404 "the <what> file is gone"
 * or 500. Returns GR_OK or the error replied. */
int web_reply_file(web_req_t *r, const char *path, size_t max_bytes, const char *ctype, const char *what);
/* A response made by the caller (stolen), with the common security headers
 * added; NULL answers 500 without a body. */
void web_reply_response(web_req_t *r, unsigned status, struct MHD_Response *resp);

/* Strict-Transport-Security on resp when the server speaks HTTPS
 * (web_reply_response adds it; for responses made otherwise). */
void web_reply_hsts(const web_req_t *r, struct MHD_Response *resp);

/* ---- the request (request.c) ---- */

/* 1 when the request's method is `method`; else replies 405 ("allowed
 * here: <method>") and returns 0. */
int web_req_allow(web_req_t *r, const char *method);

/* A query parameter (decoded by libmicrohttpd), header or cookie, or NULL. */
const char *web_req_arg(web_req_t *r, const char *name);
const char *web_req_header(web_req_t *r, const char *name);
const char *web_req_cookie(web_req_t *r, const char *name);

/* Parse the request body as a JSON object, replying 400/415 on failure. On
 * GR_OK *out is a new reference owned by the caller. */
int web_req_json(web_req_t *r, json_t **out);

/* Body bytes of an uploaded image: the raw body for image/jpeg or image/png,
 * or the file part of multipart/form-data (*img points into the body).
 * Replies with an error and returns GR_ERR_* when there is none. */
int web_req_image(web_req_t *r, const void **img, size_t *len);

/* A database connection from the pool, held until web_req_release_db (the
 * server calls it when the request ends). NULL (after replying 503) when
 * none can be opened. */
crm_store_t *web_req_db(web_req_t *r);
/* Give the connection back early (long requests, or before waiting). */
void web_req_release_db(web_req_t *r);

#endif
