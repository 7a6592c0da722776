/* router.c - from a request's path to its handler (router.h).
 *
 *   /healthz                 metrics.c, no login
 *   /metrics                 metrics.c, logged in or from the loopback address
 *   /stream.mjpg             stream.c
 *   /api/v1/...              the route table below (docs/API.md)
 *   anything else            the embedded pages (pages.c), no login
 *
 * Everything but /healthz, the pages and POST /api/v1/login needs a session
 * cookie, and a state-changing request its session's X-CSRF-Token.
 *
 * A request is judged on its headers (web_router_judge, called by server.c
 * before any body byte is read): the path, the session, the CSRF token and
 * the route are settled there and refused at once (401/403/404/405), and
 * the route names its largest body (login and JSON a few KB to 1 MB, photos
 * and imports web.max_upload_mb). web_router_dispatch runs the route once
 * the body is in.
 */
#include "web/router.h"
#include "firmware/core/err.h"
#include "web/account.h"
#include "web/accounts.h"
#include "web/api.h"
#include "web/booth.h"
#include "web/desk.h"
#include "web/faces.h"
#include "web/logs.h"
#include "web/media.h"
#include "web/metrics.h"
#include "web/pages.h"
#include "web/role.h"
#include "web/settings.h"
#include "web/stream.h"
#include "web/sync_health.h"

#include <stdio.h>
#include <string.h>

/* The largest body a route reads (web_req_t.body_max): */
#define BODY_NONE 0      /* pages, streams, /healthz, /metrics: no body */
#define BODY_LOGIN 1     /* the session's own requests (login, password): WEB_BODY_LOGIN */
#define BODY_JSON 2      /* a JSON object: WEB_BODY_JSON */
#define BODY_UPLOAD 3    /* a photo or a vCard/CSV file: web.max_upload_mb */

/* An endpoint under /api/v1: the first entry that matches answers. */
typedef struct {
    const char *name;   /* segs[2] */
    int min_n, max_n;   /* path length in segments */
    const char *sub;    /* segs[3] must be this (NULL: anything) */
    const char *method; /* only this method (NULL: any; the handler answers 405 itself) */
    web_handler_t *fn;
    int body;           /* BODY_*: the largest body it reads */
} route_t;

static const route_t api_routes[] = {
    /* the session: account.c; the System and Settings pages: api.c, settings.c, logs.c, stream.c */
    {"login", 3, 3, NULL, NULL, web_account_route, BODY_LOGIN},
    {"logout", 3, 3, NULL, NULL, web_account_route, BODY_LOGIN},
    {"me", 3, 3, NULL, NULL, web_account_route, BODY_LOGIN},
    {"password", 3, 3, NULL, NULL, web_account_route, BODY_LOGIN},
    {"status", 3, 3, NULL, NULL, web_api_status, BODY_JSON},
    {"settings", 3, 3, NULL, NULL, web_settings_route, BODY_JSON},
    {"logs", 3, 3, NULL, NULL, web_logs_route, BODY_JSON},
    {"events", 3, 3, NULL, NULL, web_stream_events, BODY_NONE},
    {"users", 3, 5, NULL, NULL, web_accounts_route, BODY_JSON}, /* accounts.c */
    /* the CRM: api.c */
    {"contacts", 4, 4, "import", "POST", web_api_records, BODY_UPLOAD},
    {"contacts", 3, 5, NULL, NULL, web_api_records, BODY_JSON},
    {"companies", 3, 5, NULL, NULL, web_api_records, BODY_JSON},
    {"leads", 3, 5, NULL, NULL, web_api_records, BODY_JSON},
    {"deals", 3, 5, NULL, NULL, web_api_records, BODY_JSON},
    {"visits", 3, 5, NULL, NULL, web_api_visits, BODY_JSON},
    {"notifications", 3, 5, NULL, NULL, web_api_notifications, BODY_JSON},
    /* photos go to media.c, the rest of their resource to api.c and faces.c */
    {"scans", 3, 3, NULL, "POST", web_media_scan, BODY_UPLOAD},
    {"scans", 4, 4, "save", "POST", web_media_scan_save, BODY_JSON},
    {"scans", 3, 5, NULL, NULL, web_api_scans, BODY_JSON},
    {"people", 3, 3, NULL, "POST", web_media_enroll, BODY_UPLOAD},
    {"people", 3, 4, NULL, NULL, web_api_people, BODY_JSON},
    {"faces", 4, 4, "identify", "POST", web_media_identify, BODY_UPLOAD},
    {"faces", 3, 3, NULL, "POST", web_media_enroll, BODY_UPLOAD},
    {"faces", 3, 5, NULL, NULL, web_faces_route, BODY_JSON},
    {"faces", 6, 6, NULL, NULL, web_faces_route, BODY_JSON},
    /* the booth's event and interest tags (issue 15): booth.c */
    {"booth", 3, 3, NULL, NULL, web_booth_route, BODY_JSON},
    /* expected visitors (issue 15): desk.c */
    {"expected", 3, 4, NULL, NULL, web_desk_expected, BODY_JSON},
    /* the System page's sync health card (issue 15): sync_health.c */
    {"sync", 3, 4, NULL, NULL, web_sync_route, BODY_JSON},
};

static int is(const char *a, const char *b) { return strcmp(a, b) == 0; }

/* The /api/v1 entry answering r, or NULL after a 404 reply. */
static const route_t *find_api(web_req_t *r) {
    int n = r->nsegs;
    if (n < 3) {
        web_reply_error(r, 404, "not_found", "see docs/API.md for the endpoints");
        return NULL;
    }
    for (size_t i = 0; i < sizeof api_routes / sizeof api_routes[0]; i++) {
        const route_t *rt = &api_routes[i];
        if (is(r->segs[2], rt->name) && n >= rt->min_n && n <= rt->max_n &&
            (!rt->sub || (n > 3 && is(r->segs[3], rt->sub))) && (!rt->method || is(r->method, rt->method)))
            return rt;
    }
    web_reply_error(r, 404, "not_found", "no such endpoint (see docs/API.md)");
    return NULL;
}

static size_t body_bytes(const web_req_t *r, int body) {
    switch (body) {
    case BODY_NONE: return 0;
    case BODY_LOGIN: return WEB_BODY_LOGIN;
    case BODY_UPLOAD: return r->ctx->max_upload;
    default: return WEB_BODY_JSON;
    }
}

static int is_loopback(const char *client) {
    return strncmp(client, "127.", 4) == 0 || strcmp(client, "::1") == 0;
}

static int is_state_changing(const char *m) {
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* Load the session from the cookie. 1 when logged in, 0 when not, -1 when
 * the database is not available (replied). */
static int load_session(web_req_t *r) {
    const char *c = web_req_cookie(r, WEB_SESSION_COOKIE);
    if (!c || strlen(c) != WEB_TOKEN_HEX - 1) return 0;
    snprintf(r->token, sizeof r->token, "%s", c);
    crm_store_t *st = web_req_db(r);
    if (!st) return -1;
    r->authed = web_auth_session(r->ctx->auth, st, r->token, &r->sess) == GR_OK;
    return r->authed;
}

int web_router_judge(web_req_t *r) {
    char(*segs)[WEB_MAX_SEG_LEN] = r->segs;
    int n = web_split_path(r->url, segs);
    if (n < 0) {
        web_reply_error(r, 404, "not_found", "no such path");
        return 0;
    }
    r->nsegs = n;
    r->body_max = 0;
    const char *m = r->method;
    if (n == 1 && is(segs[0], "healthz")) {
        r->handler = web_metrics_healthz;
        return 1;
    }
    int api = n >= 2 && is(segs[0], "api") && is(segs[1], "v1");
    int is_login = api && n == 3 && is(segs[2], "login");
    int is_metrics = n == 1 && is(segs[0], "metrics");
    int is_stream = n == 1 && is(segs[0], "stream.mjpg");
    if (!api && !is_metrics && !is_stream) {
        if (n >= 1 && is(segs[0], "api")) {
            web_reply_error(r, 404, "not_found", "the API lives under /api/v1");
            return 0;
        }
        r->handler = web_pages_route;
        if (is(m, "GET") || is(m, "HEAD")) return 1;
        web_pages_route(r); /* 405 at once, whatever body follows */
        return 0;
    }
    if (!is_login) {
        int ok = load_session(r);
        if (ok < 0) return 0;
        if (!ok && !(is_metrics && is_loopback(r->client))) {
            web_reply_error(r, 401, "unauthorized", "log in first (POST /api/v1/login)");
            return 0;
        }
        if (ok && is_state_changing(m)) {
            const char *csrf = web_req_header(r, "X-CSRF-Token");
            if (!csrf || !web_auth_token_equal(csrf, r->sess.csrf)) {
                web_reply_error(r, 403, "csrf", "missing or wrong X-CSRF-Token header");
                return 0;
            }
        }
        if (ok && !web_req_password_ok(r)) return 0; /* a first login changes its password first */
    }
    if (is_metrics) {
        r->handler = web_metrics_route;
    } else if (is_stream) {
        r->handler = web_stream_mjpeg;
    } else {
        const route_t *rt = find_api(r);
        if (!rt) return 0;
        r->handler = rt->fn;
        r->body_max = body_bytes(r, rt->body);
    }
    /* A read keeps the connection its session was checked on, so it queues
     * for the pool once, not twice. Everything else gives it back and takes
     * one again when needed: a body may take long to arrive, a card scan or a
     * face enrolment runs for seconds without holding one of the pool's, a
     * stream or the event feed for as long as the browser stays. */
    if (!(api && is(m, "GET") && !(n == 3 && is(segs[2], "events")))) web_req_release_db(r);
    return 1;
}

void web_router_dispatch(web_req_t *r) {
    if (r->handler) r->handler(r);
}
