/* account.c - the browser's session under /api/v1 (account.h): log in and
 * out with the session cookie, who is logged in, changing the password.
 * The users and sessions themselves are auth.c's.
 */
#include "web/account.h"
#include "firmware/core/err.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void cookie_header(web_req_t *r, struct MHD_Response *resp, const char *token, long max_age) {
    if (!resp) return;
    char c[256];
    snprintf(c, sizeof c, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s", WEB_SESSION_COOKIE, token, max_age,
             r->ctx->tls ? "; Secure" : "");
    MHD_add_response_header(resp, "Set-Cookie", c);
}

static void account_login(web_req_t *r) {
    if (!web_req_allow(r, "POST")) return;
    json_t *in = NULL;
    if (web_req_json(r, &in) != GR_OK) return;
    const char *user = json_string_value(json_object_get(in, "username"));
    const char *pw = json_string_value(json_object_get(in, "password"));
    if (!user || !pw) {
        web_reply_error(r, 400, "invalid", "username and password (strings) are required");
        json_decref(in);
        return;
    }
    /* No connection of the pool is held here: the login takes one only to
     * read the user and to store the session, never while hashing. */
    web_req_release_db(r);
    char token[WEB_TOKEN_HEX];
    web_session_t s;
    int retry = 0;
    int rc = web_auth_login(r->ctx->auth, r->ctx->db, r->client, user, pw, token, &s, &retry);
    json_decref(in);
    if (rc == GR_ERR_BUSY) {
        web_reply_error(r, 429, "rate_limited", "too many failed logins; try again in %d s", retry);
        char ra[16];
        snprintf(ra, sizeof ra, "%d", retry);
        if (r->resp) MHD_add_response_header(r->resp, "Retry-After", ra);
        return;
    }
    if (rc == GR_ERR_AUTH || rc == GR_ERR_INVAL) {
        web_reply_error(r, 401, "bad_credentials", "wrong user name or password");
        return;
    }
    if (rc != GR_OK) {
        web_reply_rc(r, rc, "login failed");
        return;
    }
    web_reply_json(r, 200,
                   json_pack("{s:s, s:s, s:s, s:b, s:f}", "csrf_token", s.csrf, "username", s.username, "role",
                             s.admin ? "admin" : "desk", "must_change", s.must_change, "expires_at", s.expires_at));
    cookie_header(r, r->resp, token, (long)(s.expires_at - (double)time(NULL)));
}

static void account_logout(web_req_t *r) {
    if (!web_req_allow(r, "POST")) return;
    crm_store_t *st = web_req_db(r);
    if (!st) return;
    int rc = web_auth_logout(r->ctx->auth, st, r->token);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, NULL);
        return;
    }
    web_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
    cookie_header(r, r->resp, "", 0);
}

static void account_me(web_req_t *r) {
    if (!web_req_allow(r, "GET")) return;
    web_reply_json(r, 200,
                   json_pack("{s:s, s:s, s:s, s:b, s:f, s:s, s:s}", "username", r->sess.username, "role",
                             r->sess.admin ? "admin" : "desk", "csrf_token", r->sess.csrf,
                             "must_change", r->sess.must_change, "expires_at", r->sess.expires_at, "device",
                             gr_config_str(r->ctx->cfg, GR_SET_DEVICE_NAME), "greeting",
                             gr_config_str(r->ctx->cfg, GR_SET_WEB_GREETING)));
}

static void account_password(web_req_t *r) {
    if (!web_req_allow(r, "POST")) return;
    json_t *in = NULL;
    if (web_req_json(r, &in) != GR_OK) return;
    web_req_release_db(r); /* as for the login: none held while hashing */
    char err[256] = "";
    int rc = web_auth_change_password(r->ctx->auth, r->ctx->db, r->client, r->sess.user_id, r->token,
                                      json_string_value(json_object_get(in, "old_password")),
                                      json_string_value(json_object_get(in, "new_password")), err, sizeof err);
    json_decref(in);
    if (rc == GR_ERR_BUSY) {
        web_reply_error(r, 429, "rate_limited", "%s", err);
        return;
    }
    if (rc != GR_OK) {
        web_reply_rc(r, rc, err);
        return;
    }
    web_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

void web_account_route(web_req_t *r) {
    const char *what = r->segs[2];
    if (strcmp(what, "login") == 0)
        account_login(r);
    else if (strcmp(what, "logout") == 0)
        account_logout(r);
    else if (strcmp(what, "me") == 0)
        account_me(r);
    else if (strcmp(what, "password") == 0)
        account_password(r);
    else
        web_reply_error(r, 404, "not_found", "no such endpoint (see docs/API.md)");
}
