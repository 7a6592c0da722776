/* store.h - the SQLite database, opened through this one module.
 *
 * Every connection is opened in WAL mode with foreign keys on and a busy
 * timeout, and the numbered migrations in crm/migrations/NNNN_*.sql are
 * applied in one transaction each and recorded in schema_migrations.
 * A database written by a newer Greeter (a higher version than this build
 * knows) is refused with GR_ERR_VERSION.
 *
 * A connection belongs to one thread at a time: each thread or component
 * opens its own crm_store_t on the same file (WAL lets them share it).
 * Use prepared statements with bound parameters only; never printf SQL.
 *
 * Each connection carries the CRM's settings (crm/opts.h), given at open
 * time; the CRM functions read them from the connection they are handed.
 */
#ifndef CRM_STORE_H
#define CRM_STORE_H

#include "crm/opts.h"

#include <sqlite3.h>
#include <stddef.h>

typedef struct crm_store crm_store_t;

/* Open (creating if needed) the database file at `path` and migrate it.
 * opts (copied) are the CRM settings the connection carries; NULL for the
 * defaults of settings.def (tools and tests that use none of them).
 * On success *out is owned by the caller: crm_store_close. On failure a
 * message is written to err. */
int crm_store_open(const char *path, const crm_opts_t *opts, crm_store_t **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Open <dir>/greeter.db, creating `dir` (mode 0700) if it does not exist. */
int crm_store_open_dir(const char *dir, const crm_opts_t *opts, crm_store_t **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));

void crm_store_close(crm_store_t *st);

/* The raw handle, for the modules' prepared statements. Owned by st. */
sqlite3 *crm_store_db(crm_store_t *st);

/* Path of the database file. Owned by st. */
const char *crm_store_path(const crm_store_t *st);

/* The connection's CRM settings: set replaces them (copied; a GR_LIVE
 * setting changed while running), get copies them into *out. Both are
 * thread-safe: another thread may set them while the owner uses st. */
void crm_store_set_opts(crm_store_t *st, const crm_opts_t *opts);
void crm_store_opts(crm_store_t *st, crm_opts_t *out);

/* Schema version of the open database, and the newest this build knows. */
int crm_store_version(crm_store_t *st);
int crm_store_latest_version(void);

/* Transactions. begin takes the write lock at once (BEGIN IMMEDIATE). */
int crm_store_begin(crm_store_t *st);
int crm_store_commit(crm_store_t *st);
void crm_store_rollback(crm_store_t *st);

/* Run SQL without parameters or results (DDL, PRAGMA). */
int crm_store_exec(crm_store_t *st, const char *sql);

/* Map an SQLite result code to a GR_ERR_* code, logging the message. */
int crm_store_error(crm_store_t *st, int sqlite_rc, const char *what);

#endif
