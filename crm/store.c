#define GR_LOG_MODULE "store"
#include "crm/store.h"

#include "firmware/core/embed.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Generated from crm/migrations/NNNN_name.sql by embed.cmake, sorted by name. */
extern const gr_embed_file_t crm_migrations[];
extern const size_t crm_migrations_count;

struct crm_store {
    sqlite3 *db;
    char *path;
    pthread_mutex_t opts_lock; /* opts may be set from another thread */
    crm_opts_t opts;
};

static int migration_version(const char *name) {
    /* "0003_crm.sql" -> 3 */
    return atoi(name);
}

int crm_store_latest_version(void) {
    int v = 0;
    for (size_t i = 0; i < crm_migrations_count; i++) {
        int m = migration_version(crm_migrations[i].name);
        if (m > v) v = m;
    }
    return v;
}

int crm_store_error(crm_store_t *st, int sqlite_rc, const char *what) {
    LOG_E("%s: %s", what, st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(sqlite_rc));
    switch (sqlite_rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return GR_ERR_BUSY;
    case SQLITE_NOMEM: return GR_ERR_NOMEM;
    case SQLITE_CONSTRAINT: return GR_ERR_EXISTS;
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: return GR_ERR_IO;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return GR_ERR_FORMAT;
    case SQLITE_TOOBIG: return GR_ERR_TOOBIG;
    default: return GR_ERR_DB;
    }
}

int crm_store_exec(crm_store_t *st, const char *sql) {
    char *msg = NULL;
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        LOG_E("exec failed: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return crm_store_error(NULL, rc, "exec");
    }
    return GR_OK;
}

int crm_store_begin(crm_store_t *st) { return crm_store_exec(st, "BEGIN IMMEDIATE"); }

int crm_store_commit(crm_store_t *st) { return crm_store_exec(st, "COMMIT"); }

void crm_store_rollback(crm_store_t *st) {
    if (!sqlite3_get_autocommit(st->db)) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int crm_store_version(crm_store_t *st) {
    sqlite3_stmt *s = NULL;
    int v = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(version),0) FROM schema_migrations", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int migration_applied(crm_store_t *st, int version) {
    sqlite3_stmt *s = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM schema_migrations WHERE version = ?1", -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int(s, 1, version);
        found = sqlite3_step(s) == SQLITE_ROW;
    }
    sqlite3_finalize(s);
    return found;
}

static int migrate(crm_store_t *st, char *err, size_t errlen) {
    int rc = crm_store_exec(st,
        "CREATE TABLE IF NOT EXISTS schema_migrations("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))");
    if (rc != GR_OK) {
        snprintf(err, errlen, "%s: cannot create schema_migrations", st->path);
        return rc;
    }
    int have = crm_store_version(st), latest = crm_store_latest_version();
    if (have > latest) {
        snprintf(err, errlen, "%s: database schema version %d is newer than this Greeter knows (%d); "
                 "upgrade Greeter or restore a backup", st->path, have, latest);
        return GR_ERR_VERSION;
    }
    for (size_t i = 0; i < crm_migrations_count; i++) {
        const gr_embed_file_t *m = &crm_migrations[i];
        int v = migration_version(m->name);
        if (v <= 0) {
            snprintf(err, errlen, "migration %s has no version number", m->name);
            return GR_ERR_FORMAT;
        }
        if ((rc = crm_store_begin(st)) != GR_OK) {
            snprintf(err, errlen, "%s: cannot start migration %s: %s", st->path, m->name, gr_strerror(rc));
            return rc;
        }
        /* A migration runs once: when its version is not recorded. Checked
         * inside the write lock: another process may have migrated. */
        if (migration_applied(st, v)) {
            crm_store_rollback(st);
            continue;
        }
        char *msg = NULL;
        int src = sqlite3_exec(st->db, (const char *)m->data, NULL, NULL, &msg);
        if (src == SQLITE_OK) {
            sqlite3_stmt *s = NULL;
            src = sqlite3_prepare_v2(st->db, "INSERT INTO schema_migrations(version,name) VALUES(?,?)", -1, &s, NULL);
            if (src == SQLITE_OK) {
                sqlite3_bind_int(s, 1, v);
                sqlite3_bind_text(s, 2, m->name, -1, SQLITE_STATIC);
                src = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(st->db);
            }
            sqlite3_finalize(s);
        }
        if (src != SQLITE_OK) {
            snprintf(err, errlen, "%s: migration %s failed: %s", st->path, m->name,
                     msg ? msg : sqlite3_errmsg(st->db));
            sqlite3_free(msg);
            crm_store_rollback(st);
            return GR_ERR_DB;
        }
        if ((rc = crm_store_commit(st)) != GR_OK) {
            snprintf(err, errlen, "%s: cannot commit migration %s", st->path, m->name);
            crm_store_rollback(st);
            return rc;
        }
        LOG_I("applied migration %s", m->name);
    }
    return GR_OK;
}

int crm_store_open(const char *path, const crm_opts_t *opts, crm_store_t **out, char *err, size_t errlen) {
    *out = NULL;
    int rc = GR_ERR_NOMEM;
    crm_store_t *st = calloc(1, sizeof *st);
    if (!st) goto fail_alloc;
    pthread_mutex_init(&st->opts_lock, NULL);
    if (opts) st->opts = *opts;
    else if (crm_opts_default(&st->opts) != GR_OK) goto fail;
    st->path = strdup(path);
    if (!st->path) goto fail;
    int src = sqlite3_open_v2(path, &st->db,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (src != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database %s: %s", path,
                 st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(src));
        rc = GR_ERR_IO;
        goto fail;
    }
    sqlite3_busy_timeout(st->db, 5000);
    sqlite3_extended_result_codes(st->db, 1);
    /* journal_mode returns a row; check it actually became WAL. */
    sqlite3_stmt *s = NULL;
    src = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s, NULL);
    if (src == SQLITE_OK) src = sqlite3_step(s);
    if (src != SQLITE_ROW) {
        snprintf(err, errlen, "%s: not a usable database: %s", path, sqlite3_errmsg(st->db));
        sqlite3_finalize(s);
        rc = GR_ERR_FORMAT;
        goto fail;
    }
    sqlite3_finalize(s);
    if ((rc = crm_store_exec(st, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; "
                                     /* deleted rows are zeroed, not left in free space: a
                                      * forgotten person is gone from the file (issue 12) */
                                     "PRAGMA secure_delete=ON;")) != GR_OK) {
        snprintf(err, errlen, "%s: cannot configure database", path);
        goto fail;
    }
    if ((rc = migrate(st, err, errlen)) != GR_OK) goto fail;
    *out = st;
    return GR_OK;
fail:
    crm_store_close(st);
fail_alloc:
    if (rc == GR_ERR_NOMEM) snprintf(err, errlen, "out of memory opening %s", path);
    return rc;
}

int crm_store_open_dir(const char *dir, const crm_opts_t *opts, crm_store_t **out, char *err, size_t errlen) {
    *out = NULL;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create state folder %s: %s", dir, strerror(errno));
        return GR_ERR_IO;
    }
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/greeter.db", dir) >= sizeof path) {
        snprintf(err, errlen, "state folder path too long");
        return GR_ERR_RANGE;
    }
    return crm_store_open(path, opts, out, err, errlen);
}

void crm_store_close(crm_store_t *st) {
    if (!st) return;
    if (st->db) sqlite3_close_v2(st->db);
    pthread_mutex_destroy(&st->opts_lock);
    free(st->path);
    free(st);
}

void crm_store_set_opts(crm_store_t *st, const crm_opts_t *opts) {
    pthread_mutex_lock(&st->opts_lock);
    st->opts = *opts;
    pthread_mutex_unlock(&st->opts_lock);
}

void crm_store_opts(crm_store_t *st, crm_opts_t *out) {
    pthread_mutex_lock(&st->opts_lock);
    *out = st->opts;
    pthread_mutex_unlock(&st->opts_lock);
}

sqlite3 *crm_store_db(crm_store_t *st) { return st->db; }

const char *crm_store_path(const crm_store_t *st) { return st->path; }
