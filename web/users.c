/* users.c - personal accounts of the web UI; see users.h. */
#define GR_LOG_MODULE "web"
#include "web/users.h"
#include "crm/activity.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "web/auth.h"

#include <ctype.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

_Static_assert(WEB_HASH_MAX >= crypto_pwhash_STRBYTES, "WEB_HASH_MAX too small");

int web_role_valid(const char *role) {
    return role && (strcmp(role, WEB_ROLE_ADMIN) == 0 || strcmp(role, WEB_ROLE_DESK) == 0);
}

int web_username_valid(const char *name) {
    if (!name || !*name || strlen(name) > WEB_USERNAME_MAX || !isalnum((unsigned char)name[0])) return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("._@-", *p)) return 0;
    return 1;
}

static int email_valid(const char *e) {
    if (!*e) return 1; /* none */
    if (strlen(e) > WEB_EMAIL_MAX) return 0;
    const char *at = strchr(e, '@');
    if (!at || at == e || !at[1] || strchr(at + 1, '@')) return 0;
    for (const char *p = e; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f || strchr("<>,;\"\\", *p)) return 0;
    return 1;
}

static int cmp_lower(const void *key, const void *elem) {
    return strcmp((const char *)key, *(const char *const *)elem);
}

int web_password_policy(const char *username, const char *pw, char *err, size_t errlen) {
    size_t n = pw ? strlen(pw) : 0;
    if (n < WEB_PASSWORD_MIN || n > WEB_PASSWORD_MAX) {
        snprintf(err, errlen, "the new password must have %d to %d characters", WEB_PASSWORD_MIN, WEB_PASSWORD_MAX);
        return GR_ERR_INVAL;
    }
    if (username && strcasecmp(pw, username) == 0) {
        snprintf(err, errlen, "the new password must not be the user name");
        return GR_ERR_INVAL;
    }
    char low[WEB_PASSWORD_MAX + 1];
    for (size_t i = 0; i <= n; i++) low[i] = (char)tolower((unsigned char)pw[i]);
    int common = bsearch(low, web_common_passwords, web_common_passwords_count, sizeof web_common_passwords[0],
                         cmp_lower) != NULL;
    sodium_memzero(low, sizeof low);
    if (common) {
        snprintf(err, errlen, "this password is one of the most common ones; choose another");
        return GR_ERR_INVAL;
    }
    return GR_OK;
}

int web_password_hash(const char *pw, char out[WEB_HASH_MAX]) {
    if (sodium_init() < 0) return GR_ERR_UNSUPPORTED;
    return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? GR_OK
               : GR_ERR_NOMEM;
}

static int db_fail(crm_store_t *st, int rc, const char *what) { return crm_store_error(st, rc, what); }

#define USER_COLS "id, username, display_name, email, role, disabled, must_change, created_at"

static json_t *user_row(sqlite3_stmt *q) {
    const char *u = (const char *)sqlite3_column_text(q, 1), *d = (const char *)sqlite3_column_text(q, 2),
               *e = (const char *)sqlite3_column_text(q, 3), *r = (const char *)sqlite3_column_text(q, 4),
               *c = (const char *)sqlite3_column_text(q, 7);
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:b,s:s}", "id", (json_int_t)sqlite3_column_int64(q, 0), "username",
                     u ? u : "", "display_name", d ? d : "", "email", e ? e : "", "role", r ? r : WEB_ROLE_DESK,
                     "disabled", sqlite3_column_int(q, 5), "must_change", sqlite3_column_int(q, 6), "created_at",
                     c ? c : "");
}

int web_users_list(crm_store_t *st, json_t **out) {
    *out = NULL;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(crm_store_db(st), "SELECT " USER_COLS " FROM users ORDER BY username", -1, &q, NULL);
    if (rc != SQLITE_OK) return db_fail(st, rc, "list users");
    json_t *a = json_array();
    int src;
    rc = a ? GR_OK : GR_ERR_NOMEM;
    while (rc == GR_OK && (src = sqlite3_step(q)) == SQLITE_ROW)
        if (json_array_append_new(a, user_row(q)) != 0) rc = GR_ERR_NOMEM;
    if (rc == GR_OK && src != SQLITE_DONE) rc = db_fail(st, src, "list users");
    sqlite3_finalize(q);
    if (rc != GR_OK) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return GR_OK;
}

int web_users_get(crm_store_t *st, int64_t id, json_t **out) {
    *out = NULL;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(crm_store_db(st), "SELECT " USER_COLS " FROM users WHERE id = ?", -1, &q, NULL);
    if (rc != SQLITE_OK) return db_fail(st, rc, "get user");
    sqlite3_bind_int64(q, 1, id);
    int src = sqlite3_step(q);
    if (src == SQLITE_ROW) {
        *out = user_row(q);
        rc = *out ? GR_OK : GR_ERR_NOMEM;
    } else {
        rc = src == SQLITE_DONE ? GR_ERR_NOTFOUND : db_fail(st, src, "get user");
    }
    sqlite3_finalize(q);
    return rc;
}

int web_users_find(crm_store_t *st, const char *username, int64_t *id) {
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(crm_store_db(st), "SELECT id FROM users WHERE username = ?", -1, &q, NULL);
    if (rc != SQLITE_OK) return db_fail(st, rc, "find user");
    sqlite3_bind_text(q, 1, username, -1, SQLITE_TRANSIENT);
    int src = sqlite3_step(q);
    if (src == SQLITE_ROW) {
        *id = sqlite3_column_int64(q, 0);
        rc = GR_OK;
    } else {
        rc = src == SQLITE_DONE ? GR_ERR_NOTFOUND : db_fail(st, src, "find user");
    }
    sqlite3_finalize(q);
    return rc;
}

/* Run sql with text/int binds given as a tiny format: 't' text, 'i' int64. */
static int exec(crm_store_t *st, const char *sql, const char *what, const char *fmt, ...) {
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(crm_store_db(st), sql, -1, &q, NULL);
    if (rc != SQLITE_OK) return db_fail(st, rc, what);
    va_list ap;
    va_start(ap, fmt);
    for (int i = 0; fmt[i]; i++) {
        if (fmt[i] == 't') {
            const char *t = va_arg(ap, const char *);
            if (t) sqlite3_bind_text(q, i + 1, t, -1, SQLITE_TRANSIENT);
        } else {
            sqlite3_bind_int64(q, i + 1, va_arg(ap, int64_t));
        }
    }
    va_end(ap);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? GR_OK : rc == SQLITE_CONSTRAINT ? GR_ERR_EXISTS : db_fail(st, rc, what);
}

static int audit(crm_store_t *st, const char *actor, const char *action, int64_t id, json_t *detail) {
    int rc = crm_audit(st, actor && *actor ? actor : "system", action, "user", id, detail);
    json_decref(detail);
    return rc;
}

int web_users_add(crm_store_t *st, const char *username, const char *display_name, const char *email,
                  const char *role, const char *hash, int must_change, const char *actor, int64_t *id, char *err,
                  size_t errlen) {
    if (!web_username_valid(username)) {
        snprintf(err, errlen, "the user name must have 1 to %d letters, digits or . _ @ -, starting with a letter or digit",
                 WEB_USERNAME_MAX);
        return GR_ERR_INVAL;
    }
    if (!web_role_valid(role)) {
        snprintf(err, errlen, "role must be admin or desk");
        return GR_ERR_INVAL;
    }
    if (!display_name) display_name = "";
    if (!email) email = "";
    if (strlen(display_name) > WEB_DISPLAY_MAX) {
        snprintf(err, errlen, "display_name is longer than %d characters", WEB_DISPLAY_MAX);
        return GR_ERR_INVAL;
    }
    if (!email_valid(email)) {
        snprintf(err, errlen, "email is not an e-mail address");
        return GR_ERR_INVAL;
    }
    int rc = crm_store_begin(st);
    if (rc != GR_OK) return rc;
    rc = exec(st, "INSERT INTO users(username, display_name, email, role, password_hash, must_change) "
                  "VALUES(?,?,?,?,?,?)", "add user", "tttttl", username, display_name, email, role, hash,
              (int64_t)(must_change ? 1 : 0));
    int64_t uid = sqlite3_last_insert_rowid(crm_store_db(st));
    if (rc == GR_ERR_EXISTS) snprintf(err, errlen, "a user named '%s' exists already", username);
    if (rc == GR_OK) rc = audit(st, actor, "user.add", uid, json_pack("{s:s,s:s}", "username", username, "role", role));
    if (rc == GR_OK) rc = crm_store_commit(st);
    else crm_store_rollback(st);
    if (rc == GR_OK && id) *id = uid;
    if (rc == GR_OK) LOG_I("user %lld (%s) added by %s", (long long)uid, role, actor ? actor : "system");
    return rc;
}

int web_users_update(crm_store_t *st, int64_t id, const char *display_name, const char *email, const char *role,
                     int disabled, const char *actor, char *err, size_t errlen) {
    if (role && !web_role_valid(role)) {
        snprintf(err, errlen, "role must be admin or desk");
        return GR_ERR_INVAL;
    }
    if (display_name && strlen(display_name) > WEB_DISPLAY_MAX) {
        snprintf(err, errlen, "display_name is longer than %d characters", WEB_DISPLAY_MAX);
        return GR_ERR_INVAL;
    }
    if (email && !email_valid(email)) {
        snprintf(err, errlen, "email is not an e-mail address");
        return GR_ERR_INVAL;
    }
    int rc = crm_store_begin(st);
    if (rc != GR_OK) return rc;
    json_t *old = NULL;
    if ((rc = web_users_get(st, id, &old)) != GR_OK) {
        if (rc == GR_ERR_NOTFOUND) snprintf(err, errlen, "no user %lld", (long long)id);
        goto fail;
    }
    int was_admin = strcmp(json_string_value(json_object_get(old, "role")), WEB_ROLE_ADMIN) == 0 &&
                    !json_is_true(json_object_get(old, "disabled"));
    int stays_admin = (role ? strcmp(role, WEB_ROLE_ADMIN) == 0 : was_admin) &&
                      (disabled < 0 ? !json_is_true(json_object_get(old, "disabled")) : !disabled);
    if (was_admin && !stays_admin) {
        sqlite3_stmt *q = NULL;
        long long admins = 0;
        if (sqlite3_prepare_v2(crm_store_db(st), "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0",
                               -1, &q, NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW)
            admins = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
        if (admins <= 1) {
            snprintf(err, errlen, "this is the last admin: make another user admin first");
            rc = GR_ERR_EXISTS;
            goto fail;
        }
    }
    rc = exec(st, "UPDATE users SET display_name = coalesce(?1, display_name), email = coalesce(?2, email), "
                  "role = coalesce(?3, role), disabled = CASE WHEN ?4 < 0 THEN disabled ELSE ?4 END WHERE id = ?5",
              "update user", "tttll", display_name, email, role, (int64_t)disabled, id);
    if (rc == GR_OK && disabled > 0) rc = exec(st, "DELETE FROM sessions WHERE user_id = ?", "end sessions", "l", id);
    json_t *d = json_object();
    if (d && role) json_object_set_new(d, "role", json_string(role));
    if (d && disabled >= 0) json_object_set_new(d, "disabled", json_boolean(disabled));
    if (d && (display_name || email)) json_object_set_new(d, "profile", json_true());
    if (rc == GR_OK) rc = audit(st, actor, "user.update", id, d);
    else json_decref(d);
    if (rc != GR_OK) goto fail;
    json_decref(old);
    rc = crm_store_commit(st);
    if (rc == GR_OK) LOG_I("user %lld changed by %s", (long long)id, actor ? actor : "system");
    return rc;
fail:
    json_decref(old);
    crm_store_rollback(st);
    return rc;
}

int web_users_set_password(crm_store_t *st, int64_t id, const char *hash, int must_change,
                           const char *keep_token_hash, const char *actor) {
    int rc = crm_store_begin(st);
    if (rc != GR_OK) return rc;
    int64_t have = 0;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(crm_store_db(st), "SELECT count(*) FROM users WHERE id = ?", -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, id);
        if (sqlite3_step(q) == SQLITE_ROW) have = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    rc = have ? GR_OK : GR_ERR_NOTFOUND;
    if (rc == GR_OK)
        rc = exec(st, "UPDATE users SET password_hash = ?, must_change = ? WHERE id = ?", "set password", "tll", hash,
                  (int64_t)(must_change ? 1 : 0), id);
    if (rc == GR_OK)
        rc = exec(st, "DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2", "end sessions", "lt", id,
                  keep_token_hash);
    if (rc == GR_OK)
        rc = audit(st, actor, must_change ? "user.password_reset" : "user.password", id, NULL);
    if (rc == GR_OK) return crm_store_commit(st);
    crm_store_rollback(st);
    return rc;
}
