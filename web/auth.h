/* auth.h - passwords, login sessions, CSRF tokens and login rate limiting
 * for the web UI (tables users and sessions, crm/migrations/0005_web.sql and
 * 0007_accounts.sql; the accounts themselves: web/users.h).
 *
 * Passwords are stored with libsodium's crypto_pwhash_str (argon2id). A
 * session is a random 256-bit cookie value; the database keeps only its
 * SHA-256, so a copy of greeter.db does not hand out sessions. Each session
 * has its own CSRF token that state-changing requests must echo in
 * X-CSRF-Token.
 *
 * Login limiter (issue 12): three failure budgets, each LIMIT_* failures in
 * a minute (auth.c): per client address, per account name and across all
 * addresses. An attempt is counted as a failure before its password is
 * checked and given back only when it succeeds, so attempts that arrive at
 * once cannot all get a try. No database connection is held while a hash
 * is computed.
 */
#ifndef WEB_AUTH_H
#define WEB_AUTH_H

#include "crm/store.h"
#include "web/dbpool.h"

#include <stddef.h>
#include <stdint.h>

#define WEB_TOKEN_HEX 65            /* 32 random bytes as hex + NUL */
#define WEB_USERNAME_MAX 64
#define WEB_PASSWORD_MIN 8
#define WEB_PASSWORD_MAX 256
#define WEB_INITIAL_PASSWORD_FILE "initial-admin-password"

typedef struct web_auth web_auth_t;

typedef struct {
    int64_t user_id;
    char username[WEB_USERNAME_MAX + 1];
    char csrf[WEB_TOKEN_HEX];
    int must_change;         /* the password was set by someone else: only POST /password works */
    int admin;               /* role "admin" (else "desk") */
    double expires_at;       /* unix time */
} web_session_t;

/* The login limiter and settings. storage_dir holds the initial password
 * file. session_s: session lifetime. On success *out is owned by the
 * caller: web_auth_free. */
int web_auth_new(const char *storage_dir, double session_s, web_auth_t **out) __attribute__((warn_unused_result));
void web_auth_free(web_auth_t *a);

/* First start: when there is no user at all, create "admin" (role admin)
 * with a random password, write it to <storage_dir>/initial-admin-password
 * (mode 0600) and show it on the console (stderr when it is a terminal),
 * never in the log. */
int web_auth_bootstrap(web_auth_t *a, crm_store_t *st);

/* Check a password and open a session, taking a connection from pool only
 * for the reads and writes (never while hashing). client: the peer's
 * address (for rate limiting). On GR_OK `token` holds the cookie value and
 * *s the session. GR_ERR_AUTH (wrong user or password, or a disabled
 * user), GR_ERR_BUSY (a failure budget is spent: *retry_s says when to try
 * again), GR_ERR_INVAL, GR_ERR_IO (no database). */
int web_auth_login(web_auth_t *a, web_dbpool_t *pool, const char *client, const char *username, const char *password,
                   char token[WEB_TOKEN_HEX], web_session_t *s, int *retry_s);

/* The live session for a cookie value. GR_ERR_AUTH when unknown or expired. */
int web_auth_session(web_auth_t *a, crm_store_t *st, const char *token, web_session_t *s);

/* End the session of that cookie value (no error when already gone). */
int web_auth_logout(web_auth_t *a, crm_store_t *st, const char *token);

/* Change a user's password after checking the old one (web_password_policy
 * for the new one); ends the user's other sessions, clears must_change and
 * deletes the initial password file. Connections from pool as in
 * web_auth_login. GR_ERR_AUTH (old password wrong), GR_ERR_INVAL (new one
 * refused: err says why), GR_ERR_BUSY (rate limited). */
int web_auth_change_password(web_auth_t *a, web_dbpool_t *pool, const char *client, int64_t user_id,
                             const char *current_token, const char *old_pw, const char *new_pw, char *err,
                             size_t errlen);

/* An argon2id hash of pw (one at a time, as logins are). */
int web_auth_hash(web_auth_t *a, const char *pw, char *out, size_t outlen);

/* Constant-time comparison of two NUL-terminated tokens. 1 when equal. */
int web_auth_token_equal(const char *a, const char *b);

/* Failed logins so far (for /metrics). */
unsigned long web_auth_failures(const web_auth_t *a);

#endif
