#define GR_LOG_MODULE "outbox"
#include "outbox.h"

#include "err.h"
#include "log.h"

int crm_outbox_enqueue(crm_store_t *st, const char *entity, int64_t local_id, const char *op,
                       const char *payload) {
    sqlite3 *db = crm_store_db(st);
    if (sqlite3_get_autocommit(db)) {
        LOG_E("crm_outbox_enqueue(%s %lld) outside a transaction", entity, (long long)local_id);
        return GR_ERR_INVAL;
    }
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT INTO outbox(entity, local_id, op, payload) VALUES (?,?,?,?)", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, entity, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, local_id);
        sqlite3_bind_text(s, 3, op, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, payload ? payload : "{}", -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? GR_OK : crm_store_error(st, rc, "outbox enqueue");
}

int crm_outbox_counts(crm_store_t *st, int64_t *pending, int64_t *dead) {
    sqlite3_stmt *s = NULL;
    *pending = *dead = 0;
    int rc = sqlite3_prepare_v2(crm_store_db(st),
                                "SELECT coalesce(sum(state='pending'),0), coalesce(sum(state='dead'),0) FROM outbox",
                                -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        *pending = sqlite3_column_int64(s, 0);
        *dead = sqlite3_column_int64(s, 1);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? GR_OK : crm_store_error(st, rc, "outbox counts");
}
