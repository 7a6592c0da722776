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
 */
#include "web/router.h"
#include "firmware/core/err.h"
#include "web/account.h"
#include "web/api.h"
#include "web/booth.h"
#include "web/desk.h"
#include "web/faces.h"
#include "web/logs.h"
#include "web/media.h"
#include "web/metrics.h"
#include "web/pages.h"
#include "web/settings.h"
#include "web/stream.h"
#include "web/sync_health.h"

#include <stdio.h>
#include <string.h>

/* An endpoint under /api/v1: the first entry that matches answers. */
typedef struct {
    const char *name;   /* segs[2] */
    int min_n, max_n;   /* path length in segments */
    const char *sub;    /* segs[3] must be this (NULL: anything) */
    const char *method; /* only this method (NULL: any; the handler answers 405 itself) */
    web_handler_t *fn;
} route_t;

static const route_t api_routes[] = {
    /* the session: account.c; the System and Settings pages: api.c, settings.c, logs.c, stream.c */
    {"login", 3, 3, NULL, NULL, web_account_route}, {"logout", 3, 3, NULL, NULL, web_account_route},
    {"me", 3, 3, NULL, NULL, web_account_route}, {"password", 3, 3, NULL, NULL, web_account_route},
    {"status", 3, 3, NULL, NULL, web_api_status}, {"settings", 3, 3, NULL, NULL, web_settings_route},
    {"logs", 3, 3, NULL, NULL, web_logs_route}, {"events", 3, 3, NULL, NULL, web_stream_events},
    /* the CRM: api.c */
    {"contacts", 3, 5, NULL, NULL, web_api_records}, {"companies", 3, 5, NULL, NULL, web_api_records},
    {"leads", 3, 5, NULL, NULL, web_api_records}, {"deals", 3, 5, NULL, NULL, web_api_records},
    {"visits", 3, 5, NULL, NULL, web_api_visits}, {"notifications", 3, 5, NULL, NULL, web_api_notifications},
    /* photos go to media.c, the rest of their resource to api.c and faces.c */
    {"scans", 3, 3, NULL, "POST", web_media_scan}, {"scans", 4, 4, "save", "POST", web_media_scan_save},
    {"scans", 3, 5, NULL, NULL, web_api_scans},
    {"people", 3, 3, NULL, "POST", web_media_enroll}, {"people", 3, 4, NULL, NULL, web_api_people},
    {"faces", 3, 3, NULL, "POST", web_media_enroll}, {"faces", 3, 5, NULL, NULL, web_faces_route},
    /* the booth's event and interest tags (issue 15): booth.c */
    {"booth", 3, 3, NULL, NULL, web_booth_route},
    /* expected visitors (issue 15): desk.c */
    {"expected", 3, 4, NULL, NULL, web_desk_expected},
    /* the System page's sync health card (issue 15): sync_health.c */
    {"sync", 3, 4, NULL, NULL, web_sync_route},
};

static int is(const char *a, const char *b) { return strcmp(a, b) == 0; }

static void route_api(web_req_t *r) {
    int n = r->nsegs;
    if (n < 3) {
        web_reply_error(r, 404, "not_found", "see docs/API.md for the endpoints");
        return;
    }
    for (size_t i = 0; i < sizeof api_routes / sizeof api_routes[0]; i++) {
        const route_t *rt = &api_routes[i];
        if (is(r->segs[2], rt->name) && n >= rt->min_n && n <= rt->max_n &&
            (!rt->sub || (n > 3 && is(r->segs[3], rt->sub))) && (!rt->method || is(r->method, rt->method))) {
            rt->fn(r);
            return;
        }
    }
    web_reply_error(r, 404, "not_found", "no such endpoint (see docs/API.md)");
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

void web_router_dispatch(web_req_t *r) {
    char(*segs)[WEB_MAX_SEG_LEN] = r->segs;
    int n = web_split_path(r->url, segs);
    if (n < 0) {
        web_reply_error(r, 404, "not_found", "no such path");
        return;
    }
    r->nsegs = n;
    const char *m = r->method;
    if (n == 1 && is(segs[0], "healthz")) {
        web_metrics_healthz(r);
        return;
    }
    int api = n >= 2 && is(segs[0], "api") && is(segs[1], "v1");
    int is_login = api && n == 3 && is(segs[2], "login");
    int is_metrics = n == 1 && is(segs[0], "metrics");
    int is_stream = n == 1 && is(segs[0], "stream.mjpg");
    if (!api && !is_metrics && !is_stream) {
        web_pages_route(r);
        return;
    }
    if (n >= 1 && is(segs[0], "api") && !api) {
        web_reply_error(r, 404, "not_found", "the API lives under /api/v1");
        return;
    }
    if (!is_login) {
        int ok = load_session(r);
        if (ok < 0) return;
        if (!ok && !(is_metrics && is_loopback(r->client))) {
            web_reply_error(r, 401, "unauthorized", "log in first (POST /api/v1/login)");
            return;
        }
        if (ok && is_state_changing(m)) {
            const char *csrf = web_req_header(r, "X-CSRF-Token");
            if (!csrf || !web_auth_token_equal(csrf, r->sess.csrf)) {
                web_reply_error(r, 403, "csrf", "missing or wrong X-CSRF-Token header");
                return;
            }
        }
    }
    /* A read keeps the connection its session was checked on, so it queues
     * for the pool once, not twice. Everything else gives it back and takes
     * one again when needed: a card scan or a face enrolment runs for
     * seconds without holding one of the pool's, a stream or the event feed
     * for as long as the browser stays. */
    if (!(api && is(m, "GET") && !(n == 3 && is(segs[2], "events")))) web_req_release_db(r);
    if (is_metrics)
        web_metrics_route(r);
    else if (is_stream)
        web_stream_mjpeg(r);
    else
        route_api(r);
}
