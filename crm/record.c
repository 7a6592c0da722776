/* record.c - the steps every CRM record's change shares (record_internal.h). */
#define GR_LOG_MODULE "crm"
#include "crm/record_internal.h"

#include "crm/activity.h"
#include "crm/crmutil.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <string.h>

int crm_record_snapshot(crm_store_t *st, const char *entity, int64_t id, const char *op, crm_record_get_fn get,
                        json_t **out) {
    json_t *o = NULL;
    int rc = get(st, id, &o);
    if (rc == GR_OK) rc = crm_outbox_json(st, entity, id, op, o);
    if (rc == GR_OK && out) *out = o;
    else json_decref(o);
    return rc;
}

int crm_record_created(crm_store_t *st, crm_tx_t *tx, int rc, const char *entity, int64_t id, crm_record_get_fn get,
                       json_t **out) {
    if (rc == GR_OK) rc = crm_record_snapshot(st, entity, id, "upsert", get, out);
    if (rc == GR_OK) {
        if ((rc = crm_tx_commit(tx)) == GR_OK) return GR_OK; /* a failed commit rolls back */
    } else {
        crm_tx_rollback(tx);
    }
    json_decref(*out);
    *out = NULL;
    return rc;
}

int crm_record_update(crm_store_t *st, const crm_record_ops_t *ops, int64_t id, json_t *patch, void *in,
                      const char *actor, json_t **out, char *err, size_t errlen) {
    *out = NULL;
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    json_t *old = NULL, *detail = NULL;
    sqlite3_stmt *s = NULL;
    const char *kind = "updated";
    if (ops->parse && (rc = ops->parse(st, patch, in, err, errlen)) != GR_OK) goto fail;
    if ((rc = ops->get(st, id, &old)) != GR_OK) {
        if (rc == GR_ERR_NOTFOUND) crm_fail(rc, err, errlen, "no %s %lld", ops->entity, (long long)id);
        goto fail;
    }
    if ((rc = crm_prep(st, ops->update_sql, &s)) != GR_OK) goto fail;
    sqlite3_bind_int64(s, 1, id);
    if ((rc = ops->bind(st, in, old, s, &kind, &detail, err, errlen)) == GR_OK) rc = crm_step_done(st, s, "record update");
    sqlite3_finalize(s);
    if (rc != GR_OK) goto fail;
    if (ops->after && (rc = ops->after(st, id, in)) != GR_OK) goto fail;
    if ((rc = crm_activity_add(st, ops->entity, id, kind, actor, detail)) != GR_OK) goto fail;
    if ((rc = crm_record_snapshot(st, ops->entity, id, "upsert", ops->get, out)) != GR_OK) goto fail;
    rc = crm_tx_commit(&tx); /* rolls back when it fails */
    goto out;
fail:
    crm_tx_rollback(&tx);
out:
    json_decref(old);
    json_decref(detail);
    if (rc != GR_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int crm_record_moved(const char *field, const char *from, const char *to, const char **kind, json_t **detail) {
    if (!to || !strcmp(from, to)) return GR_OK;
    *kind = field;
    *detail = json_pack("{s:s,s:s}", "from", from, "to", to);
    return *detail ? GR_OK : GR_ERR_NOMEM;
}

int crm_record_delete(crm_store_t *st, const char *entity, int64_t id, const char *actor, crm_record_get_fn get,
                      int (*before)(crm_store_t *, int64_t), const char *delete_sql) {
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    json_t *snap = NULL;
    if ((rc = get(st, id, &snap)) != GR_OK) goto fail;
    if (before && (rc = before(st, id)) != GR_OK) goto fail;
    if ((rc = crm_exec_ids(st, delete_sql, id, 0)) != GR_OK) goto fail;
    if ((rc = crm_activity_add(st, entity, id, "deleted", actor, NULL)) != GR_OK) goto fail;
    if ((rc = crm_outbox_json(st, entity, id, "delete", snap)) != GR_OK) goto fail;
    rc = crm_tx_commit(&tx);
    goto out;
fail:
    crm_tx_rollback(&tx);
out:
    json_decref(snap);
    return rc;
}
