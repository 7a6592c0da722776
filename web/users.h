/* users.h - the web UI's personal accounts (table users, migrations 0005
 * and 0007): list, add, change role / name / e-mail, disable, set a
 * password; the password policy and the hash. Used by the Accounts page's
 * routes (web/accounts.c), by logins (web/auth.c) and by `greeter users`.
 *
 * Roles: "admin" (settings, sync, accounts, export, erase) and "desk"
 * (scan, contacts, leads, visits, enrol with consent). A user's username is
 * what leads.assigned_to stores. Every change is recorded in audit_log with
 * the actor (crm_audit), never with a password or its hash.
 */
#ifndef WEB_USERS_H
#define WEB_USERS_H

#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define WEB_ROLE_ADMIN "admin"
#define WEB_ROLE_DESK "desk"
#define WEB_HASH_MAX 128 /* >= crypto_pwhash_STRBYTES */
#define WEB_DISPLAY_MAX 128
#define WEB_EMAIL_MAX 254

/* 1 when role is "admin" or "desk". */
int web_role_valid(const char *role);

/* 1 when name is a valid user name: 1 to WEB_USERNAME_MAX (auth.h) of
 * [A-Za-z0-9._@-], starting with a letter or digit. */
int web_username_valid(const char *name);

/* Check a new password: WEB_PASSWORD_MIN..WEB_PASSWORD_MAX characters, not
 * one of the common passwords of web/pwlist.c (case-insensitive), not the
 * user name. GR_OK, or GR_ERR_INVAL with a message for the user in err. */
int web_password_policy(const char *username, const char *pw, char *err, size_t errlen);

/* The common passwords (web/pwlist.c): lower case, sorted by strcmp. */
extern const char *const web_common_passwords[];
extern const size_t web_common_passwords_count;

/* argon2id hash of pw (libsodium crypto_pwhash_str, interactive limits:
 * 64 MB). No lock: the web server serialises hashes in auth.c. */
int web_password_hash(const char *pw, char out[WEB_HASH_MAX]);

/* Every user, by username: *out a new JSON array of {id, username,
 * display_name, email, role, disabled, must_change, created_at}, owned by
 * the caller. */
int web_users_list(crm_store_t *st, json_t **out);

/* One user by id as in web_users_list; GR_ERR_NOTFOUND. */
int web_users_get(crm_store_t *st, int64_t id, json_t **out);

/* The id of a user name; GR_ERR_NOTFOUND. */
int web_users_find(crm_store_t *st, const char *username, int64_t *id);

/* Add a user with a password hash (web_password_hash). must_change: the
 * password was set by someone else, so it must be changed at first login.
 * display_name/email may be NULL. GR_ERR_EXISTS (name taken), GR_ERR_INVAL
 * (bad name, role or e-mail; err says which). */
int web_users_add(crm_store_t *st, const char *username, const char *display_name, const char *email,
                  const char *role, const char *hash, int must_change, const char *actor, int64_t *id, char *err,
                  size_t errlen);

/* Change a user: each of display_name, email, role may be NULL (kept);
 * disabled < 0 keeps it. Disabling ends the user's sessions. The last
 * enabled admin can neither be disabled nor lose the role (GR_ERR_EXISTS
 * with a message). GR_ERR_NOTFOUND, GR_ERR_INVAL. */
int web_users_update(crm_store_t *st, int64_t id, const char *display_name, const char *email, const char *role,
                     int disabled, const char *actor, char *err, size_t errlen);

/* Set a user's password hash and must_change; ends the user's sessions
 * except the one whose token hash is keep_token_hash (NULL: all). */
int web_users_set_password(crm_store_t *st, int64_t id, const char *hash, int must_change,
                           const char *keep_token_hash, const char *actor);

#endif
