#define GR_LOG_MODULE "crm"
#include "crm/activity.h"

#include "crm/crmutil.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <stdlib.h>

static int insert_event(crm_store_t *st, const char *sql, const char *a, const char *b, const char *c, int64_t id,
                        json_t *detail) {
    sqlite3_stmt *s = NULL;
    char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    if (detail && !text) return GR_ERR_NOMEM;
    int rc = crm_prep(st, sql, &s);
    if (rc == GR_OK) {
        sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, c, -1, SQLITE_STATIC);
        if (id) sqlite3_bind_int64(s, 4, id);
        if (text) sqlite3_bind_text(s, 5, text, -1, SQLITE_STATIC);
        rc = crm_step_done(st, s, "insert event");
    }
    sqlite3_finalize(s);
    free(text);
    return rc;
}

int crm_activity_add(crm_store_t *st, const char *entity, int64_t id, const char *kind, const char *actor,
                     json_t *detail) {
    return insert_event(st, "INSERT INTO activity(entity, kind, actor, entity_id, detail) VALUES (?1,?2,?3,?4,?5)",
                        entity, kind, actor ? actor : "system", id, detail);
}

int crm_audit(crm_store_t *st, const char *actor, const char *action, const char *entity, int64_t id,
              json_t *detail) {
    return insert_event(st, "INSERT INTO audit_log(actor, action, entity, entity_id, detail) VALUES (?1,?2,?3,?4,?5)",
                        actor ? actor : "system", action, entity, id, detail);
}

static json_t *activity_row(sqlite3_stmt *s) {
    return json_pack("{s:o,s:o,s:o,s:o,s:o}", "id", crm_col(s, 0), "at", crm_col(s, 1), "kind", crm_col(s, 2), "actor",
                     crm_col(s, 3), "detail", crm_col_json(s, 4));
}

int crm_activity_list(crm_store_t *st, const char *entity, int64_t id, int limit, int offset, json_t **out) {
    crm_arg_t args[] = {CRM_ARG_TEXT(entity ? entity : ""), CRM_ARG_INT(id)};
    return crm_list_page(st, "activity list", "SELECT count(*) FROM activity WHERE entity=?1 AND entity_id=?2",
                         "SELECT id, at, kind, actor, detail FROM activity WHERE entity=?1 AND entity_id=?2 "
                         "ORDER BY at DESC, id DESC LIMIT ?3 OFFSET ?4",
                         args, 2, limit, offset, activity_row, out);
}
