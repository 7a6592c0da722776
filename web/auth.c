/* auth.c - users, sessions, CSRF, login rate limiting; see auth.h. */
#define GR_LOG_MODULE "web"
#include "web/auth.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "web/users.h"

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

/* Login limiter: three failure budgets, each a fixed window of
 * LIMIT_WINDOW_S seconds: per client address, per account name (as typed:
 * an unknown name has a budget too) and across all addresses. An attempt
 * takes one failure from each before its hash is checked and gives them
 * back when it succeeds. A full table reuses its oldest slot; filling one
 * takes more failures than the global budget allows in a window. */
#define LIMIT_SLOTS 256
#define LIMIT_CLIENT_FAILS 5
#define LIMIT_ACCOUNT_FAILS 5
#define LIMIT_GLOBAL_FAILS 30
#define LIMIT_WINDOW_S 60.0

typedef struct {
    char key[72];
    double window_start;
    int fails;
} limit_slot_t;

struct web_auth {
    char *storage_dir;
    double session_s;
    pthread_mutex_t lock;      /* guards the limiter's tables */
    limit_slot_t clients[LIMIT_SLOTS];
    limit_slot_t accounts[LIMIT_SLOTS];
    limit_slot_t global;
    pthread_mutex_t hash_lock; /* one argon2id at a time: it takes 64 MB */
    atomic_ulong failures;
    char dummy_hash[WEB_HASH_MAX]; /* verified against for unknown users */
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

static int hash_password(web_auth_t *a, const char *pw, char out[WEB_HASH_MAX]) {
    pthread_mutex_lock(&a->hash_lock);
    int rc = web_password_hash(pw, out);
    pthread_mutex_unlock(&a->hash_lock);
    return rc;
}

int web_auth_hash(web_auth_t *a, const char *pw, char *out, size_t outlen) {
    if (outlen < WEB_HASH_MAX) return GR_ERR_INVAL;
    return hash_password(a, pw, out);
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

    char pw[17], hash[WEB_HASH_MAX], path[4200], err[256];
    make_password(pw);
    rc = hash_password(a, pw, hash);
    if (rc != GR_OK) return rc;
    rc = web_users_add(st, "admin", "Administrator", "", WEB_ROLE_ADMIN, hash, 1, "system", NULL, err, sizeof err);
    if (rc != GR_OK) {
        LOG_E("cannot create the first user: %s", err[0] ? err : gr_strerror(rc));
        return rc;
    }
    initial_password_path(a, path, sizeof path);
    char line[64];
    snprintf(line, sizeof line, "%s\n", pw);
    if (write_secret_file(path, line) != GR_OK)
        LOG_W("could not write %s: %s", path, strerror(errno));
    /* The password goes to the console and its file, never into the log
     * (the ring that /api/v1/logs serves, the journal). */
    LOG_W("first start: web UI user 'admin'; its initial password is in %s until changed", path);
    if (isatty(STDERR_FILENO))
        fprintf(stderr, "\n  Web UI first login: user admin, password %s\n  (also in %s until changed)\n\n", pw,
                path);
    sodium_memzero(pw, sizeof pw);
    sodium_memzero(line, sizeof line);
    return GR_OK;
}

/* Start a new window when the slot's has passed. Returns slot. */
static limit_slot_t *limit_fresh(limit_slot_t *slot, double now) {
    if (now - slot->window_start >= LIMIT_WINDOW_S) {
        slot->window_start = now;
        slot->fails = 0;
    }
    return slot;
}

/* The slot of key in table, fresh; a new key takes the oldest slot. Call
 * under a->lock. */
static limit_slot_t *limit_slot(limit_slot_t *table, const char *key, double now) {
    limit_slot_t *oldest = &table[0];
    for (int i = 0; i < LIMIT_SLOTS; i++) {
        if (table[i].key[0] && strcmp(table[i].key, key) == 0) return limit_fresh(&table[i], now);
        if (table[i].window_start < oldest->window_start) oldest = &table[i];
    }
    memset(oldest, 0, sizeof *oldest);
    snprintf(oldest->key, sizeof oldest->key, "%s", key);
    oldest->window_start = now;
    return oldest;
}

/* Take one failure from each budget before a password is checked. Returns
 * 0, or the seconds to wait (> 0, nothing taken) when a budget is spent.
 * account NULL: a password change (the client's and global budgets). */
static int limit_take(web_auth_t *a, const char *client, const char *account) {
    double now = gr_now_mono();
    pthread_mutex_lock(&a->lock);
    limit_slot_t *sl[3] = {limit_slot(a->clients, client, now), account ? limit_slot(a->accounts, account, now) : NULL,
                           limit_fresh(&a->global, now)};
    const int max[3] = {LIMIT_CLIENT_FAILS, LIMIT_ACCOUNT_FAILS, LIMIT_GLOBAL_FAILS};
    int wait = 0;
    for (int i = 0; i < 3; i++) {
        if (!sl[i] || sl[i]->fails < max[i]) continue;
        int w = (int)(LIMIT_WINDOW_S - (now - sl[i]->window_start)) + 1;
        if (w > wait) wait = w;
    }
    if (!wait)
        for (int i = 0; i < 3; i++)
            if (sl[i]) sl[i]->fails++;
    pthread_mutex_unlock(&a->lock);
    return wait;
}

/* After a successful check: give the failure taken back; the client's and
 * the account's earlier failures are forgiven too. */
static void limit_give_back(web_auth_t *a, const char *client, const char *account) {
    double now = gr_now_mono();
    pthread_mutex_lock(&a->lock);
    limit_slot(a->clients, client, now)->fails = 0;
    if (account) limit_slot(a->accounts, account, now)->fails = 0;
    limit_slot_t *g = limit_fresh(&a->global, now);
    if (g->fails > 0) g->fails--;
    pthread_mutex_unlock(&a->lock);
}

typedef struct {
    int found;
    int64_t id;
    int must_change, admin, disabled;
    char username[WEB_USERNAME_MAX + 1];
    char hash[WEB_HASH_MAX];
} user_row_t;

/* Read a user by name (username != NULL) or id, on a connection of the
 * pool held only for that. */
static int read_user(web_dbpool_t *pool, const char *username, int64_t id, user_row_t *u) {
    memset(u, 0, sizeof *u);
    crm_store_t *st = NULL;
    int slot = web_dbpool_take(pool, &st);
    if (slot < 0) return slot;
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(crm_store_db(st),
                                username ? "SELECT id, password_hash, must_change, username, role, disabled FROM users "
                                           "WHERE username = ?"
                                         : "SELECT id, password_hash, must_change, username, role, disabled FROM users "
                                           "WHERE id = ?",
                                -1, &q, NULL);
    if (rc != SQLITE_OK) {
        rc = crm_store_error(st, rc, "find user");
        web_dbpool_give(pool, slot);
        return rc;
    }
    if (username) sqlite3_bind_text(q, 1, username, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_int64(q, 1, id);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        u->found = 1;
        u->id = sqlite3_column_int64(q, 0);
        const char *h = (const char *)sqlite3_column_text(q, 1);
        snprintf(u->hash, sizeof u->hash, "%s", h ? h : "");
        u->must_change = sqlite3_column_int(q, 2);
        const char *n = (const char *)sqlite3_column_text(q, 3);
        snprintf(u->username, sizeof u->username, "%s", n ? n : "");
        const char *r = (const char *)sqlite3_column_text(q, 4);
        u->admin = r && strcmp(r, WEB_ROLE_ADMIN) == 0;
        u->disabled = sqlite3_column_int(q, 5);
        rc = GR_OK;
    } else {
        rc = rc == SQLITE_DONE ? GR_OK : crm_store_error(st, rc, "find user");
    }
    sqlite3_finalize(q);
    web_dbpool_give(pool, slot);
    return rc;
}

/* The password check, holding no connection. Unknown and disabled users
 * cost the same time as known ones, so names cannot be probed. */
static int check_password(web_auth_t *a, const user_row_t *u, const char *password) {
    int usable = u->found && !u->disabled;
    int ok = verify_password(a, usable ? u->hash : a->dummy_hash, password);
    return usable && ok ? GR_OK : GR_ERR_AUTH;
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

int web_auth_login(web_auth_t *a, web_dbpool_t *pool, const char *client, const char *username, const char *password,
                   char token[WEB_TOKEN_HEX], web_session_t *s, int *retry_s) {
    memset(s, 0, sizeof *s);
    *retry_s = 0;
    if (!username || !password || !*username || strlen(username) > WEB_USERNAME_MAX ||
        strlen(password) > WEB_PASSWORD_MAX)
        return GR_ERR_INVAL;
    int wait = limit_take(a, client, username);
    if (wait > 0) {
        *retry_s = wait;
        return GR_ERR_BUSY;
    }
    user_row_t u;
    int rc = read_user(pool, username, 0, &u);
    if (rc == GR_OK) rc = check_password(a, &u, password);
    if (rc == GR_ERR_AUTH) {
        atomic_fetch_add(&a->failures, 1);
        /* No name: it may be a mistyped password or a visitor's address. */
        if (u.found) LOG_W("failed login for user %lld from %s", (long long)u.id, client);
        else LOG_W("failed login for an unknown user name from %s", client);
    }
    if (rc != GR_OK) {
        sodium_memzero(u.hash, sizeof u.hash);
        return rc; /* the failure taken stays taken */
    }
    limit_give_back(a, client, username);
    snprintf(s->username, sizeof s->username, "%s", u.username);
    s->must_change = u.must_change;
    s->admin = u.admin;
    crm_store_t *st = NULL;
    int slot = web_dbpool_take(pool, &st);
    if (slot < 0) return slot;
    rc = insert_session(a, st, u.id, token, s);
    web_dbpool_give(pool, slot);
    if (rc == GR_OK) LOG_I("user %lld logged in from %s", (long long)u.id, client);
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
                                "SELECT s.user_id, s.csrf_token, s.expires_at, u.username, u.must_change, u.role "
                                "FROM sessions s JOIN users u ON u.id = s.user_id "
                                "WHERE s.token_hash = ? AND u.disabled = 0",
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
            const char *role = (const char *)sqlite3_column_text(q, 5);
            s->admin = role && strcmp(role, WEB_ROLE_ADMIN) == 0;
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

int web_auth_change_password(web_auth_t *a, web_dbpool_t *pool, const char *client, int64_t user_id,
                             const char *current_token, const char *old_pw, const char *new_pw, char *err,
                             size_t errlen) {
    if (!old_pw || !new_pw) {
        snprintf(err, errlen, "old_password and new_password are required");
        return GR_ERR_INVAL;
    }
    if (strlen(old_pw) > WEB_PASSWORD_MAX) {
        snprintf(err, errlen, "the current password is wrong");
        return GR_ERR_AUTH;
    }
    user_row_t u;
    int rc = read_user(pool, NULL, user_id, &u);
    if (rc != GR_OK) return rc;
    if (!u.found) {
        snprintf(err, errlen, "the current password is wrong");
        return GR_ERR_AUTH;
    }
    rc = web_password_policy(u.username, new_pw, err, errlen);
    if (rc != GR_OK) return rc;
    if (strcmp(old_pw, new_pw) == 0) {
        snprintf(err, errlen, "the new password must differ from the current one");
        return GR_ERR_INVAL;
    }
    int wait = limit_take(a, client, u.username);
    if (wait > 0) {
        snprintf(err, errlen, "too many failed attempts; try again in %d s", wait);
        return GR_ERR_BUSY;
    }
    if (check_password(a, &u, old_pw) != GR_OK) {
        atomic_fetch_add(&a->failures, 1);
        snprintf(err, errlen, "the current password is wrong");
        return GR_ERR_AUTH;
    }
    limit_give_back(a, client, u.username);
    char hash[WEB_HASH_MAX], th[WEB_TOKEN_HEX] = "";
    rc = hash_password(a, new_pw, hash);
    if (rc != GR_OK) return rc;
    if (current_token) token_hash(current_token, th);
    crm_store_t *st = NULL;
    int slot = web_dbpool_take(pool, &st);
    if (slot < 0) return slot;
    rc = web_users_set_password(st, user_id, hash, 0, current_token ? th : NULL, u.username);
    web_dbpool_give(pool, slot);
    if (rc != GR_OK) return rc;
    char path[4200];
    initial_password_path(a, path, sizeof path);
    if (unlink(path) == 0) LOG_I("initial admin password changed; %s removed", path);
    LOG_I("user %lld changed the password", (long long)user_id);
    return GR_OK;
}
