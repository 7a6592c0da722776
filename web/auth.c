/* auth.c - users, sessions, CSRF, login rate limiting; see auth.h. */
#define GR_LOG_MODULE "web"
#include "web/auth.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Login limiter: at most LIMIT_FAILS failed attempts per client address in
 * LIMIT_WINDOW_S seconds; then the client waits for the window to end. */
#define LIMIT_SLOTS 256
#define LIMIT_FAILS 5
#define LIMIT_WINDOW_S 60.0

typedef struct {
    char client[64];
    double window_start;
    int fails;
} limit_slot_t;

struct web_auth {
    char *storage_dir;
    double session_s;
    pthread_mutex_t lock;      /* guards limits */
    limit_slot_t limits[LIMIT_SLOTS];
    pthread_mutex_t hash_lock; /* one argon2id at a time: it takes 64 MB */
    atomic_ulong failures;
    char dummy_hash[crypto_pwhash_STRBYTES]; /* verified against for unknown users */
};

static double now_wall(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void random_hex(char out[WEB_TOKEN_HEX]) {
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, WEB_TOKEN_HEX, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
}

static void token_hash(const char *token, char out[WEB_TOKEN_HEX]) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, WEB_TOKEN_HEX, h, sizeof h);
}

static int hash_password(web_auth_t *a, const char *pw, char out[crypto_pwhash_STRBYTES]) {
    pthread_mutex_lock(&a->hash_lock);
    int rc = crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
    pthread_mutex_unlock(&a->hash_lock);
    return rc == 0 ? GR_OK : GR_ERR_NOMEM;
}

static int verify_password(web_auth_t *a, const char *hash, const char *pw) {
    pthread_mutex_lock(&a->hash_lock);
    int ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
    pthread_mutex_unlock(&a->hash_lock);
    return ok;
}

int web_auth_new(const char *storage_dir, double session_s, web_auth_t **out) {
    *out = NULL;
    if (sodium_init() < 0) {
        LOG_E("libsodium failed to initialise");
        return GR_ERR_UNSUPPORTED;
    }
    web_auth_t *a = calloc(1, sizeof *a);
    if (!a) return GR_ERR_NOMEM;
    a->storage_dir = strdup(storage_dir);
    if (!a->storage_dir) goto fail;
    a->session_s = session_s;
    pthread_mutex_init(&a->lock, NULL);
    pthread_mutex_init(&a->hash_lock, NULL);
    char pw[WEB_TOKEN_HEX];
    random_hex(pw);
    if (hash_password(a, pw, a->dummy_hash) != GR_OK) goto fail_locks;
    *out = a;
    return GR_OK;
fail_locks:
    pthread_mutex_destroy(&a->hash_lock);
    pthread_mutex_destroy(&a->lock);
fail:
    free(a->storage_dir);
    free(a);
    return GR_ERR_NOMEM;
}

void web_auth_free(web_auth_t *a) {
    if (!a) return;
    pthread_mutex_destroy(&a->hash_lock);
    pthread_mutex_destroy(&a->lock);
    free(a->storage_dir);
    free(a);
}

unsigned long web_auth_failures(const web_auth_t *a) {
    return atomic_load(&((web_auth_t *)a)->failures);
}

int web_auth_token_equal(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb || la == 0) return 0;
    return sodium_memcmp(a, b, la) == 0;
}

static void initial_password_path(const web_auth_t *a, char *buf, size_t len) {
    snprintf(buf, len, "%s/%s", a->storage_dir, WEB_INITIAL_PASSWORD_FILE);
}

/* 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I). */
static void make_password(char out[17]) {
    static const char alpha[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 16; i++) out[i] = alpha[randombytes_uniform(sizeof alpha - 1)];
    out[16] = '\0';
}

static int write_secret_file(const char *path, const char *text) {
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return GR_ERR_IO;
    int rc = GR_OK;
    size_t n = strlen(text);
    if (fchmod(fd, 0600) != 0 || write(fd, text, n) != (ssize_t)n || fsync(fd) != 0) rc = GR_ERR_IO;
    if (close(fd) != 0) rc = GR_ERR_IO;
    if (rc == GR_OK && rename(tmp, path) != 0) rc = GR_ERR_IO;
    if (rc != GR_OK) unlink(tmp);
    return rc;
}

int web_auth_bootstrap(web_auth_t *a, crm_store_t *st) {
    sqlite3 *db = crm_store_db(st);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM users", -1, &q, NULL);
    if (rc != SQLITE_OK) return crm_store_error(st, rc, "count users");
    long long users = 0;
    if (sqlite3_step(q) == SQLITE_ROW) users = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    if (users > 0) return GR_OK;

    char pw[17], hash[crypto_pwhash_STRBYTES], path[4200];
    make_password(pw);
    rc = hash_password(a, pw, hash);
    if (rc != GR_OK) return rc;
    rc = sqlite3_prepare_v2(db, "INSERT INTO users(username, password_hash, must_change) VALUES('admin', ?, 1)", -1,
                            &q, NULL);
    if (rc != SQLITE_OK) return crm_store_error(st, rc, "create admin");
    sqlite3_bind_text(q, 1, hash, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) return crm_store_error(st, rc, "create admin");
    initial_password_path(a, path, sizeof path);
    char line[64];
    snprintf(line, sizeof line, "%s\n", pw);
    if (write_secret_file(path, line) != GR_OK)
        LOG_W("could not write %s: %s", path, strerror(errno));
    LOG_W("first start: web UI user 'admin', initial password '%s' (also in %s until changed)", pw, path);
    sodium_memzero(pw, sizeof pw);
    sodium_memzero(line, sizeof line);
    return GR_OK;
}

/* Limiter. Returns seconds to wait (> 0) when the client is blocked. */
static int limit_check(web_auth_t *a, const char *client) {
    double now = gr_now_mono();
    int wait = 0;
    pthread_mutex_lock(&a->lock);
    for (int i = 0; i < LIMIT_SLOTS; i++) {
        limit_slot_t *s = &a->limits[i];
        if (strcmp(s->client, client) != 0) continue;
        if (now - s->window_start >= LIMIT_WINDOW_S) {
            s->fails = 0;
            s->window_start = now;
        } else if (s->fails >= LIMIT_FAILS) {
            wait = (int)(LIMIT_WINDOW_S - (now - s->window_start)) + 1;
        }
        break;
    }
    pthread_mutex_unlock(&a->lock);
    return wait;
}

static void limit_record(web_auth_t *a, const char *client, int failed) {
    double now = gr_now_mono();
    pthread_mutex_lock(&a->lock);
    limit_slot_t *slot = NULL, *oldest = &a->limits[0];
    for (int i = 0; i < LIMIT_SLOTS; i++) {
        limit_slot_t *s = &a->limits[i];
        if (strcmp(s->client, client) == 0) {
            slot = s;
            break;
        }
        if (s->window_start < oldest->window_start) oldest = s;
    }
    if (!failed) {
        if (slot) memset(slot, 0, sizeof *slot);
    } else {
        if (!slot) {
            slot = oldest;
            memset(slot, 0, sizeof *slot);
            snprintf(slot->client, sizeof slot->client, "%s", client);
            slot->window_start = now;
        }
        if (now - slot->window_start >= LIMIT_WINDOW_S) {
            slot->window_start = now;
            slot->fails = 0;
        }
        slot->fails++;
    }
    pthread_mutex_unlock(&a->lock);
}

/* Check user + password. GR_OK with *user_id and *must_change. */
static int check_password(web_auth_t *a, crm_store_t *st, const char *username, const char *password,
                          int64_t *user_id, int *must_change, char *uname, size_t unamelen) {
    sqlite3 *db = crm_store_db(st);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT id, password_hash, must_change, username FROM users WHERE username = ?",
                                -1, &q, NULL);
    if (rc != SQLITE_OK) return crm_store_error(st, rc, "find user");
    sqlite3_bind_text(q, 1, username, -1, SQLITE_TRANSIENT);
    char hash[crypto_pwhash_STRBYTES] = "";
    int found = 0;
    if (sqlite3_step(q) == SQLITE_ROW) {
        found = 1;
        *user_id = sqlite3_column_int64(q, 0);
        const char *h = (const char *)sqlite3_column_text(q, 1);
        snprintf(hash, sizeof hash, "%s", h ? h : "");
        *must_change = sqlite3_column_int(q, 2);
        const char *u = (const char *)sqlite3_column_text(q, 3);
        if (uname) snprintf(uname, unamelen, "%s", u ? u : "");
    }
    sqlite3_finalize(q);
    /* Spend the same time for unknown users, so names cannot be probed. */
    int ok = verify_password(a, found ? hash : a->dummy_hash, password);
    return found && ok ? GR_OK : GR_ERR_AUTH;
}

static int insert_session(web_auth_t *a, crm_store_t *st, int64_t user_id, char token[WEB_TOKEN_HEX],
                          web_session_t *s) {
    sqlite3 *db = crm_store_db(st);
    sqlite3_stmt *q = NULL;
    char th[WEB_TOKEN_HEX];
    double now = now_wall();
    random_hex(token);
    random_hex(s->csrf);
    token_hash(token, th);
    s->expires_at = now + a->session_s;
    /* Expired sessions go when someone logs in. */
    int rc = sqlite3_prepare_v2(db, "DELETE FROM sessions WHERE expires_at < ?", -1, &q, NULL);
    if (rc != SQLITE_OK) return crm_store_error(st, rc, "expire sessions");
    sqlite3_bind_double(q, 1, now);
    sqlite3_step(q);
    sqlite3_finalize(q);
    rc = sqlite3_prepare_v2(db, "INSERT INTO sessions(token_hash, user_id, csrf_token, expires_at) VALUES(?,?,?,?)",
                            -1, &q, NULL);
    if (rc != SQLITE_OK) return crm_store_error(st, rc, "create session");
    sqlite3_bind_text(q, 1, th, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, user_id);
    sqlite3_bind_text(q, 3, s->csrf, -1, SQLITE_TRANSIENT);
    sqlite3_bind_double(q, 4, s->expires_at);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) return crm_store_error(st, rc, "create session");
    s->user_id = user_id;
    return GR_OK;
}

int web_auth_login(web_auth_t *a, crm_store_t *st, const char *client, const char *username, const char *password,
                   char token[WEB_TOKEN_HEX], web_session_t *s, int *retry_s) {
    memset(s, 0, sizeof *s);
    *retry_s = 0;
    if (!username || !password || !*username || strlen(username) > WEB_USERNAME_MAX ||
        strlen(password) > WEB_PASSWORD_MAX)
        return GR_ERR_INVAL;
    int wait = limit_check(a, client);
    if (wait > 0) {
        *retry_s = wait;
        return GR_ERR_BUSY;
    }
    int64_t uid = 0;
    int must = 0;
    int rc = check_password(a, st, username, password, &uid, &must, s->username, sizeof s->username);
    if (rc == GR_ERR_AUTH) {
        atomic_fetch_add(&a->failures, 1);
        limit_record(a, client, 1);
        LOG_W("failed login for '%.64s' from %s", username, client);
        return rc;
    }
    if (rc != GR_OK) return rc;
    limit_record(a, client, 0);
    s->must_change = must;
    rc = insert_session(a, st, uid, token, s);
    if (rc == GR_OK) LOG_I("user '%s' logged in from %s", s->username, client);
    return rc;
}

int web_auth_session(web_auth_t *a, crm_store_t *st, const char *token, web_session_t *s) {
    (void)a;
    memset(s, 0, sizeof *s);
    if (!token || strlen(token) != WEB_TOKEN_HEX - 1) return GR_ERR_AUTH;
    char th[WEB_TOKEN_HEX];
    token_hash(token, th);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(crm_store_db(st),
                                "SELECT s.user_id, s.csrf_token, s.expires_at, u.username, u.must_change "
                                "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
                                -1, &q, NULL);
    if (rc != SQLITE_OK) return crm_store_error(st, rc, "find session");
    sqlite3_bind_text(q, 1, th, -1, SQLITE_TRANSIENT);
    rc = GR_ERR_AUTH;
    if (sqlite3_step(q) == SQLITE_ROW) {
        double exp = sqlite3_column_double(q, 2);
        if (exp > now_wall()) {
            s->user_id = sqlite3_column_int64(q, 0);
            const char *c = (const char *)sqlite3_column_text(q, 1);
            snprintf(s->csrf, sizeof s->csrf, "%s", c ? c : "");
            s->expires_at = exp;
            const char *u = (const char *)sqlite3_column_text(q, 3);
            snprintf(s->username, sizeof s->username, "%s", u ? u : "");
            s->must_change = sqlite3_column_int(q, 4);
            rc = GR_OK;
        }
    }
    sqlite3_finalize(q);
    return rc;
}

int web_auth_logout(web_auth_t *a, crm_store_t *st, const char *token) {
    (void)a;
    if (!token) return GR_OK;
    char th[WEB_TOKEN_HEX];
    token_hash(token, th);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(crm_store_db(st), "DELETE FROM sessions WHERE token_hash = ?", -1, &q, NULL);
    if (rc != SQLITE_OK) return crm_store_error(st, rc, "logout");
    sqlite3_bind_text(q, 1, th, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? GR_OK : crm_store_error(st, rc, "logout");
}

int web_auth_change_password(web_auth_t *a, crm_store_t *st, const char *client, int64_t user_id,
                             const char *current_token, const char *old_pw, const char *new_pw, char *err,
                             size_t errlen) {
    if (!old_pw || !new_pw) {
        snprintf(err, errlen, "old_password and new_password are required");
        return GR_ERR_INVAL;
    }
    size_t nl = strlen(new_pw);
    if (nl < WEB_PASSWORD_MIN || nl > WEB_PASSWORD_MAX) {
        snprintf(err, errlen, "the new password must have %d to %d characters", WEB_PASSWORD_MIN, WEB_PASSWORD_MAX);
        return GR_ERR_INVAL;
    }
    if (strlen(old_pw) > WEB_PASSWORD_MAX) {
        snprintf(err, errlen, "the current password is wrong");
        return GR_ERR_AUTH;
    }
    int wait = limit_check(a, client);
    if (wait > 0) {
        snprintf(err, errlen, "too many failed attempts; try again in %d s", wait);
        return GR_ERR_BUSY;
    }
    /* Check the old password against the user's hash. */
    sqlite3 *db = crm_store_db(st);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT username FROM users WHERE id = ?", -1, &q, NULL);
    if (rc != SQLITE_OK) return crm_store_error(st, rc, "find user");
    sqlite3_bind_int64(q, 1, user_id);
    char uname[WEB_USERNAME_MAX + 1] = "";
    if (sqlite3_step(q) == SQLITE_ROW) {
        const char *u = (const char *)sqlite3_column_text(q, 0);
        snprintf(uname, sizeof uname, "%s", u ? u : "");
    }
    sqlite3_finalize(q);
    int64_t uid = 0;
    int must = 0;
    rc = check_password(a, st, uname, old_pw, &uid, &must, NULL, 0);
    if (rc == GR_ERR_AUTH || uid != user_id) {
        atomic_fetch_add(&a->failures, 1);
        limit_record(a, client, 1);
        snprintf(err, errlen, "the current password is wrong");
        return GR_ERR_AUTH;
    }
    if (rc != GR_OK) return rc;
    char hash[crypto_pwhash_STRBYTES], th[WEB_TOKEN_HEX] = "";
    rc = hash_password(a, new_pw, hash);
    if (rc != GR_OK) return rc;
    if (current_token) token_hash(current_token, th);
    rc = crm_store_begin(st);
    if (rc != GR_OK) return rc;
    rc = sqlite3_prepare_v2(db, "UPDATE users SET password_hash = ?, must_change = 0 WHERE id = ?", -1, &q, NULL);
    if (rc != SQLITE_OK) goto db_fail;
    sqlite3_bind_text(q, 1, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, user_id);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) goto db_fail;
    rc = sqlite3_prepare_v2(db, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", -1, &q, NULL);
    if (rc != SQLITE_OK) goto db_fail;
    sqlite3_bind_int64(q, 1, user_id);
    sqlite3_bind_text(q, 2, th, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) goto db_fail;
    rc = crm_store_commit(st);
    if (rc != GR_OK) return rc;
    char path[4200];
    initial_password_path(a, path, sizeof path);
    if (unlink(path) == 0) LOG_I("initial admin password changed; %s removed", path);
    LOG_I("user '%s' changed the password", uname);
    return GR_OK;
db_fail:
    rc = crm_store_error(st, rc, "change password");
    crm_store_rollback(st);
    return rc;
}
