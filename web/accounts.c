/* accounts.c - personal accounts under /api/v1/users (accounts.h). The
 * table and its rules are web/users.c's; a new password is hashed before a
 * database connection is taken. */
#include "web/accounts.h"
#include "firmware/core/err.h"
#include "web/role.h"
#include "web/users.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int is(const char *a, const char *b) { return strcmp(a, b) == 0; }

/* A string member or NULL; replies 400 and returns -1 when present but not a string. */
static int opt_str(web_req_t *r, json_t *in, const char *key, const char **out) {
    json_t *v = json_object_get(in, key);
    *out = NULL;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_string(v)) {
        web_reply_error(r, 400, "invalid", "%s must be a string", key);
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

static void reply_user(web_req_t *r, unsigned status, int64_t id) {
    crm_store_t *st = web_req_db(r);
    if (!st) return;
    json_t *u = NULL;
    int rc = web_users_get(st, id, &u);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, "no such user");
        return;
    }
    web_reply_json(r, status, u);
}

static void users_add(web_req_t *r) {
    json_t *in = NULL;
    if (web_req_json(r, &in) != GR_OK) return;
    const char *user, *pw, *role, *display, *email;
    if (opt_str(r, in, "username", &user) < 0 || opt_str(r, in, "password", &pw) < 0 ||
        opt_str(r, in, "role", &role) < 0 || opt_str(r, in, "display_name", &display) < 0 ||
        opt_str(r, in, "email", &email) < 0)
        goto out;
    if (!user || !pw) {
        web_reply_error(r, 400, "invalid", "username and password are required");
        goto out;
    }
    if (!role) role = WEB_ROLE_DESK;
    char err[256] = "", hash[WEB_HASH_MAX];
    if (!web_username_valid(user) || !web_role_valid(role)) {
        web_reply_error(r, 400, "invalid", "%s",
                        !web_role_valid(role) ? "role must be admin or desk"
                                              : "the user name must be letters, digits or . _ @ - (at most 64)");
        goto out;
    }
    if (web_password_policy(user, pw, err, sizeof err) != GR_OK) {
        web_reply_error(r, 400, "weak_password", "%s", err);
        goto out;
    }
    web_req_release_db(r); /* none held while hashing */
    int rc = web_auth_hash(r->ctx->auth, pw, hash, sizeof hash);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, "could not hash the password");
        goto out;
    }
    crm_store_t *st = web_req_db(r);
    if (!st) goto out;
    int64_t id = 0;
    rc = web_users_add(st, user, display, email, role, hash, 1, r->sess.username, &id, err, sizeof err);
    sodium_memzero(hash, sizeof hash);
    if (rc == GR_ERR_EXISTS) web_reply_error(r, 409, "exists", "%s", err);
    else if (rc != GR_OK) web_reply_rc(r, rc, err);
    else reply_user(r, 201, id);
out:
    json_decref(in);
}

static void users_update(web_req_t *r, int64_t id) {
    json_t *in = NULL;
    if (web_req_json(r, &in) != GR_OK) return;
    const char *role, *display, *email;
    int disabled = -1;
    json_t *d = json_object_get(in, "disabled");
    if (d && !json_is_boolean(d)) {
        web_reply_error(r, 400, "invalid", "disabled must be true or false");
        goto out;
    }
    if (d) disabled = json_is_true(d);
    if (opt_str(r, in, "role", &role) < 0 || opt_str(r, in, "display_name", &display) < 0 ||
        opt_str(r, in, "email", &email) < 0)
        goto out;
    if (disabled > 0 && id == r->sess.user_id) {
        web_reply_error(r, 409, "exists", "you cannot disable your own account");
        goto out;
    }
    crm_store_t *st = web_req_db(r);
    if (!st) goto out;
    char err[256] = "";
    int rc = web_users_update(st, id, display, email, role, disabled, r->sess.username, err, sizeof err);
    if (rc == GR_ERR_EXISTS) web_reply_error(r, 409, "exists", "%s", err);
    else if (rc != GR_OK) web_reply_rc(r, rc, err[0] ? err : NULL);
    else reply_user(r, 200, id);
out:
    json_decref(in);
}

static void users_reset(web_req_t *r, int64_t id) {
    json_t *in = NULL;
    if (web_req_json(r, &in) != GR_OK) return;
    const char *pw;
    if (opt_str(r, in, "password", &pw) < 0) goto out;
    crm_store_t *st = web_req_db(r);
    if (!st) goto out;
    json_t *u = NULL;
    int rc = web_users_get(st, id, &u);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, "no such user");
        goto out;
    }
    char err[256] = "", hash[WEB_HASH_MAX];
    rc = pw ? web_password_policy(json_string_value(json_object_get(u, "username")), pw, err, sizeof err)
            : (snprintf(err, sizeof err, "password is required"), GR_ERR_INVAL);
    json_decref(u);
    if (rc != GR_OK) {
        web_reply_error(r, 400, "weak_password", "%s", err);
        goto out;
    }
    web_req_release_db(r);
    rc = web_auth_hash(r->ctx->auth, pw, hash, sizeof hash);
    if (rc == GR_OK && !(st = web_req_db(r))) goto out;
    if (rc == GR_OK) rc = web_users_set_password(st, id, hash, 1, NULL, r->sess.username);
    sodium_memzero(hash, sizeof hash);
    if (rc != GR_OK) web_reply_rc(r, rc, "no such user");
    else reply_user(r, 200, id);
out:
    json_decref(in);
}

void web_accounts_route(web_req_t *r) {
    int n = r->nsegs;
    int64_t id = 0;
    if (n >= 4 && web_parse_id(r->segs[3], &id) != GR_OK) {
        web_reply_error(r, 404, "not_found", "no such user");
        return;
    }
    if (n == 3 && is(r->method, "GET")) {
        crm_store_t *st = web_req_db(r);
        if (!st) return;
        json_t *out = NULL;
        int rc = web_users_list(st, &out);
        if (rc != GR_OK) web_reply_rc(r, rc, NULL);
        else web_reply_json(r, 200, out);
    } else if (n == 3) {
        if (web_req_allow(r, "POST") && web_req_admin(r)) users_add(r);
    } else if (n == 4 && is(r->method, "GET")) {
        reply_user(r, 200, id);
    } else if (n == 4) {
        if (web_req_allow(r, "PATCH") && web_req_admin(r)) users_update(r, id);
    } else if (n == 5 && is(r->segs[4], "password")) {
        if (web_req_allow(r, "POST") && web_req_admin(r)) users_reset(r, id);
    } else {
        web_reply_error(r, 404, "not_found", "no such path");
    }
}
