/* dbpool.h - the SQLite connections shared by the web request threads.
 *
 * At most WEB_DB_POOL requests run SQL at once; the others wait in arrival
 * order and are handed a connection by the request that gives one back, so
 * no request is overtaken (a thread per connection alone would share the
 * two cores among every open request, so one expensive search would stretch
 * all the others). Not for other parts.
 */
#ifndef WEB_DBPOOL_H
#define WEB_DBPOOL_H

#include "crm/opts.h"
#include "crm/store.h"

#define WEB_DB_POOL 4 /* connections at the most */

typedef struct web_dbpool web_dbpool_t;

/* Open the pool on <storage_dir>/greeter.db with its first connection (so a
 * database that cannot be opened fails here, logged); every connection
 * carries a copy of the CRM's settings *opts. On success *out is owned by
 * the caller: web_dbpool_close. */
int web_dbpool_open(const char *storage_dir, const crm_opts_t *opts, web_dbpool_t **out)
    __attribute__((warn_unused_result));
/* New CRM settings (a live change from the Settings page) for every
 * connection, open or opened later. Thread-safe. */
void web_dbpool_set_opts(web_dbpool_t *p, const crm_opts_t *opts);
/* Close every connection; nobody may hold one. */
void web_dbpool_close(web_dbpool_t *p);

/* A connection for the caller alone until web_dbpool_give(p, slot): a free
 * one, a new one while the pool is not full, or else the next one given
 * back (waiting behind the requests already in line). Returns the slot
 * (>= 0) with *st set, or GR_ERR_IO when no connection can be opened. */
int web_dbpool_take(web_dbpool_t *p, crm_store_t **st);
/* Give the connection of slot back (to the longest waiter, if any). */
void web_dbpool_give(web_dbpool_t *p, int slot);

#endif
