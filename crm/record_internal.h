/* record_internal.h - the steps every CRM record's change shares (private to crm/):
 * the snapshot queued in the outbox, the update and the delete of one
 * record in one transaction, with its activity row. The entity modules
 * (contacts.c, companies.c, leads.c, deals.c) give what is theirs: how to
 * read a record, check a patch and bind it.
 */
#ifndef CRM_RECORD_INTERNAL_H
#define CRM_RECORD_INTERNAL_H

#include "crm/crmutil.h"
#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* How a record is read: *out a new reference, GR_ERR_NOTFOUND when none. */
typedef int (*crm_record_get_fn)(crm_store_t *st, int64_t id, json_t **out);

/* Read the record with get and queue it in the outbox as `op`; *out (may
 * be NULL to skip) is then the record, a new reference. Call inside a
 * transaction. */
int crm_record_snapshot(crm_store_t *st, const char *entity, int64_t id, const char *op, crm_record_get_fn get,
                        json_t **out);

/* The end of creating a record in tx (crm_tx_begin), rc being the result so
 * far: when GR_OK, queue the new record (id, read with get) in the outbox
 * and commit; on GR_OK *out is the record as stored (owned by the caller).
 * Else, or when that fails, roll back and leave *out NULL. Returns the
 * result. */
int crm_record_created(crm_store_t *st, crm_tx_t *tx, int rc, const char *entity, int64_t id, crm_record_get_fn get,
                       json_t **out);

/* One entity's part in crm_record_update. `in` is the entity's parsed patch
 * (a struct of its own, in the caller's storage). */
typedef struct {
    const char *entity;     /* "lead": activity and outbox rows, messages ("no lead 7") */
    const char *update_sql; /* "UPDATE ... WHERE id = ?1"; ?2.. are bound by bind */
    crm_record_get_fn get;
    /* Check the patch into *in inside the transaction, before the record is
     * read (when the checks read the database); NULL when the caller
     * parsed it before. */
    int (*parse)(crm_store_t *st, json_t *patch, void *in, char *err, size_t errlen);
    /* Check in against the record as it is (old) and bind in's values to s;
     * may name the activity row: *kind (else "updated") and *detail (a new
     * reference, else none). */
    int (*bind)(crm_store_t *st, const void *in, json_t *old, sqlite3_stmt *s, const char **kind, json_t **detail,
                char *err, size_t errlen);
    /* After the UPDATE (NULL: nothing), e.g. what depends on a renamed record. */
    int (*after)(crm_store_t *st, int64_t id, const void *in);
} crm_record_ops_t;

/* Update one record in one transaction (a savepoint inside the caller's):
 * parse the patch (ops->parse), read the record (GR_ERR_NOTFOUND: "no <entity> <id>"),
 * bind and run the UPDATE, run after, add the activity row and queue the
 * outbox upsert. On GR_OK *out is the record as stored (owned by the
 * caller); on failure *out is NULL, err may hold a message for the user. */
int crm_record_update(crm_store_t *st, const crm_record_ops_t *ops, int64_t id, json_t *patch, void *in,
                      const char *actor, json_t **out, char *err, size_t errlen);

/* For a bind step: a move of `field` ("status", "stage") from `from` to
 * `to` (NULL: not asked for) is the activity row `field` with detail
 * {"from","to"}; no move leaves *kind and *detail as they are. */
int crm_record_moved(const char *field, const char *from, const char *to, const char **kind, json_t **detail);

/* Delete one record in one transaction: snapshot it with `get`, run
 * `before` (NULL: nothing; what else goes with the record, e.g. a
 * contact's search index), then `delete_sql` (?1 = id), record the
 * activity and queue the outbox delete. */
int crm_record_delete(crm_store_t *st, const char *entity, int64_t id, const char *actor, crm_record_get_fn get,
                      int (*before)(crm_store_t *, int64_t), const char *delete_sql);

#endif
