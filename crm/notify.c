#define GR_LOG_MODULE "crm"
#include "crm/notify.h"

#include "crm/crmutil.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

int crm_notify_add(crm_store_t *st, const char *subject, const char *body, const char *entity, int64_t entity_id,
                   int mail, int64_t *id) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, "INSERT INTO notifications(subject, body, entity, entity_id, mail_state) "
                          "VALUES (?1,?2,?3,?4,?5)", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, body ? body : "", -1, SQLITE_STATIC);
    if (entity) sqlite3_bind_text(s, 3, entity, -1, SQLITE_STATIC);
    if (entity_id) sqlite3_bind_int64(s, 4, entity_id);
    sqlite3_bind_text(s, 5, mail ? "pending" : "none", -1, SQLITE_STATIC);
    rc = crm_step_done(st, s, "notification");
    sqlite3_finalize(s);
    if (rc == GR_OK && id) *id = sqlite3_last_insert_rowid(crm_store_db(st));
    return rc;
}

int crm_notify_add_for(crm_store_t *st, const char *kind, const char *user, const char *email, const char *subject,
                       const char *body, const char *entity, int64_t entity_id, int mail, int64_t *id) {
    int64_t nid = 0;
    int rc = crm_notify_add(st, subject, body, entity, entity_id, mail, &nid);
    sqlite3_stmt *s = NULL;
    if (rc == GR_OK) rc = crm_prep(st, "UPDATE notifications SET kind = ?2, for_user = ?3, recipient = ?4 WHERE id = ?1", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_int64(s, 1, nid);
    sqlite3_bind_text(s, 2, kind ? kind : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, user ? user : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, email ? email : "", -1, SQLITE_STATIC);
    rc = crm_step_done(st, s, "notification for");
    sqlite3_finalize(s);
    if (rc == GR_OK && id) *id = nid;
    return rc;
}

int crm_notify_list(crm_store_t *st, int unread_only, int limit, int offset, json_t **out) {
    *out = NULL;
    crm_page(&limit, &offset);
    int64_t total = 0, unread = 0;
    int rc = crm_query_int(st, "SELECT count(*) FROM notifications WHERE read_at IS NULL", 0, &unread);
    if (rc != GR_OK) return rc;
    rc = crm_query_int(st, unread_only ? "SELECT count(*) FROM notifications WHERE read_at IS NULL"
                                       : "SELECT count(*) FROM notifications", 0, &total);
    if (rc != GR_OK) return rc;
    json_t *items = json_array();
    if (!items) return GR_ERR_NOMEM;
    sqlite3_stmt *s = NULL;
    rc = crm_prep(st, "SELECT id, at, subject, body, entity, entity_id, read_at IS NOT NULL, mail_state, kind, for_user, "
                      "recipient, mail_error "
                      "FROM notifications WHERE (?1 = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT ?2 OFFSET ?3",
                  &s);
    if (rc != GR_OK) goto fail;
    sqlite3_bind_int(s, 1, unread_only ? 1 : 0);
    sqlite3_bind_int(s, 2, limit);
    sqlite3_bind_int(s, 3, offset);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:o,s:o}", "id", crm_col(s, 0), "at",
                              crm_col(s, 1), "subject", crm_col(s, 2), "body", crm_col(s, 3), "entity", crm_col(s, 4),
                              "entity_id", crm_col(s, 5), "read", sqlite3_column_int(s, 6), "mail_state",
                              crm_col(s, 7), "kind", crm_col(s, 8), "for_user", crm_col(s, 9), "recipient",
                              crm_col(s, 10), "mail_error", crm_col(s, 11));
        if (!o || json_array_append_new(items, o) != 0) {
            rc = GR_ERR_NOMEM;
            break;
        }
    }
    if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(st, src, "notification list");
    sqlite3_finalize(s);
    if (rc != GR_OK) goto fail;
    *out = json_pack("{s:o,s:I,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "unread",
                     (json_int_t)unread, "limit", limit, "offset", offset);
    return *out ? GR_OK : GR_ERR_NOMEM;
fail:
    json_decref(items);
    return rc;
}

int crm_notify_mark_read(crm_store_t *st, int64_t id) {
    if (id < 0) return GR_ERR_INVAL;
    int rc = crm_exec_ids(st, id ? "UPDATE notifications SET read_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                                   "WHERE id = ?1 AND read_at IS NULL"
                                 : "UPDATE notifications SET read_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                                   "WHERE read_at IS NULL", id, 0);
    if (rc != GR_OK || !id) return rc;
    int64_t n = 0;
    rc = crm_query_int(st, "SELECT count(*) FROM notifications WHERE id = ?1", id, &n);
    if (rc == GR_OK && n == 0) rc = GR_ERR_NOTFOUND;
    return rc;
}
