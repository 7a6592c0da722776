#define GR_LOG_MODULE "outbox"
#include "crm/outbox.h"

#include "crm/crmutil.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Step s (an INSERT, UPDATE or DELETE) and finalize it. */
static int run(crm_store_t *st, sqlite3_stmt *s, const char *what) {
    int rc = crm_step_done(st, s, what);
    sqlite3_finalize(s);
    return rc;
}

/* Column 0 of the one row of s (bound, finalized here) as text into buf;
 * GR_ERR_NOTFOUND when there is no row. */
static int text_row(crm_store_t *st, sqlite3_stmt *s, char *buf, size_t buflen, const char *what) {
    int src = sqlite3_step(s), rc;
    if (src == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        snprintf(buf, buflen, "%s", t ? t : "");
        rc = GR_OK;
    } else {
        rc = src == SQLITE_DONE ? GR_ERR_NOTFOUND : crm_store_error(st, src, what);
    }
    sqlite3_finalize(s);
    return rc;
}

int crm_outbox_enqueue(crm_store_t *st, const char *entity, int64_t local_id, const char *op,
                       const char *payload) {
    sqlite3 *db = crm_store_db(st);
    if (sqlite3_get_autocommit(db)) {
        LOG_E("crm_outbox_enqueue(%s %lld) outside a transaction", entity, (long long)local_id);
        return GR_ERR_INVAL;
    }
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, "INSERT INTO outbox(entity, local_id, op, payload) VALUES (?,?,?,?)", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, entity, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, local_id);
    sqlite3_bind_text(s, 3, op, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, payload ? payload : "{}", -1, SQLITE_TRANSIENT);
    return run(st, s, "outbox enqueue");
}

int crm_outbox_counts(crm_store_t *st, int64_t *pending, int64_t *dead) {
    sqlite3_stmt *s = NULL;
    *pending = *dead = 0;
    int rc = crm_prep(st, "SELECT coalesce(sum(state='pending' AND entity<>'person'),0), coalesce(sum(state='dead'),0) "
                          "FROM outbox", &s);
    if (rc != GR_OK) return rc;
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        *pending = sqlite3_column_int64(s, 0);
        *dead = sqlite3_column_int64(s, 1);
    } else {
        rc = crm_store_error(st, src, "outbox counts");
    }
    sqlite3_finalize(s);
    return rc;
}

/* ---- agent side ---- */

void crm_outbox_rows_free(crm_outbox_row_t *rows, size_t n) {
    if (!rows) return;
    for (size_t i = 0; i < n; i++) free(rows[i].payload);
    free(rows);
}

int crm_outbox_fetch(crm_store_t *st, const char *target, int64_t after_id, size_t max, crm_outbox_row_t **rows,
                     size_t *n) {
    sqlite3_stmt *s = NULL;
    crm_outbox_row_t *out = NULL;
    size_t k = 0;
    *rows = NULL;
    *n = 0;
    int rc = crm_prep(st,
                  "SELECT id, entity, local_id, op, payload, attempts, next_try_at FROM outbox "
                  "WHERE state='pending' AND target=? AND id>? AND entity<>'person' ORDER BY id LIMIT ?", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after_id);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)max);
    out = calloc(max ? max : 1, sizeof *out);
    if (!out) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        crm_outbox_row_t *r = &out[k];
        r->id = sqlite3_column_int64(s, 0);
        snprintf(r->entity, sizeof r->entity, "%s", (const char *)sqlite3_column_text(s, 1));
        r->local_id = sqlite3_column_int64(s, 2);
        snprintf(r->op, sizeof r->op, "%s", (const char *)sqlite3_column_text(s, 3));
        const char *p = (const char *)sqlite3_column_text(s, 4);
        r->payload = strdup(p ? p : "{}");
        r->attempts = sqlite3_column_int(s, 5);
        r->hold_until = sqlite3_column_double(s, 6);
        k++;
        if (!r->payload) {
            rc = GR_ERR_NOMEM;
            goto fail;
        }
    }
    if (src != SQLITE_DONE) {
        rc = crm_store_error(st, src, "outbox fetch");
        goto fail;
    }
    sqlite3_finalize(s);
    if (k == 0) {
        free(out);
        out = NULL;
    }
    *rows = out;
    *n = k;
    return GR_OK;
fail:
    sqlite3_finalize(s);
    crm_outbox_rows_free(out, k);
    return rc;
}

int crm_outbox_attempted(crm_store_t *st, const int64_t *ids, size_t n) {
    return crm_outbox_attempted_hold(st, ids, n, 0);
}

int crm_outbox_attempted_hold(crm_store_t *st, const int64_t *ids, size_t n, double hold_until) {
    if (n == 0) return GR_OK;
    sqlite3_stmt *s = NULL;
    int rc = crm_store_begin(st);
    if (rc != GR_OK) return rc;
    rc = crm_prep(st, "UPDATE outbox SET attempts=attempts+1, next_try_at=?2 WHERE id=?1", &s);
    for (size_t i = 0; i < n && rc == GR_OK; i++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, ids[i]);
        sqlite3_bind_double(s, 2, hold_until);
        int src = sqlite3_step(s);
        if (src != SQLITE_DONE) rc = crm_store_error(st, src, "outbox attempt");
    }
    sqlite3_finalize(s);
    if (rc == GR_OK) rc = crm_store_commit(st);
    if (rc != GR_OK) crm_store_rollback(st);
    return rc;
}

int crm_outbox_hold(crm_store_t *st, int64_t id, double hold_until) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, "UPDATE outbox SET next_try_at=? WHERE id=?", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_double(s, 1, hold_until);
    sqlite3_bind_int64(s, 2, id);
    return run(st, s, "outbox hold");
}

int crm_outbox_done(crm_store_t *st, int64_t id) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st,
                  "UPDATE outbox SET state='done', last_error=NULL, "
                  /* a sent row keeps no payload; a contact's waits for the
                   * CardDAV target (crm_outbox_prune_sent) */
                  "payload = CASE WHEN entity = 'contact' THEN payload ELSE '{}' END, "
                  "done_at=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id=?", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_int64(s, 1, id);
    return run(st, s, "outbox done");
}

int crm_outbox_prune_sent(crm_store_t *st, int carddav_on) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st,
                      "UPDATE outbox SET payload = '{}' WHERE state = 'done' AND payload <> '{}' AND "
                      "(?1 = 0 OR entity <> 'contact' OR id <= coalesce((SELECT CAST(value AS INTEGER) "
                      "FROM sync_state WHERE target = 'carddav' AND key = 'cursor'), 0))", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_int(s, 1, carddav_on ? 1 : 0);
    return run(st, s, "outbox prune");
}

static int set_error(crm_store_t *st, int64_t id, const char *msg, int dead) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st,
                  dead ? "UPDATE outbox SET state='dead', last_error=? WHERE id=?"
                       : "UPDATE outbox SET last_error=? WHERE id=?", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, msg ? msg : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, id);
    return run(st, s, "outbox error");
}

int crm_outbox_dead(crm_store_t *st, int64_t id, const char *msg) { return set_error(st, id, msg, 1); }
int crm_outbox_note(crm_store_t *st, int64_t id, const char *msg) { return set_error(st, id, msg, 0); }

int crm_outbox_retry_dead(crm_store_t *st, const char *target, int64_t *count) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, "UPDATE outbox SET state='pending', next_try_at=0 WHERE state='dead' AND target=?", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
    rc = run(st, s, "outbox retry");
    if (count) *count = rc == GR_OK ? sqlite3_changes(crm_store_db(st)) : 0;
    return rc;
}

int crm_outbox_dead_list(crm_store_t *st, int limit, json_t **out) {
    sqlite3_stmt *s = NULL;
    *out = NULL;
    int rc = crm_prep(st,
                  "SELECT id, entity, local_id, op, coalesce(last_error,''), created_at FROM outbox "
                  "WHERE state='dead' ORDER BY id DESC LIMIT ?", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_int(s, 1, limit > 0 ? limit : 100);
    json_t *a = json_array();
    int src;
    while (a && (src = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_pack("{s:I,s:s,s:I,s:s,s:s,s:s}", "id", (json_int_t)sqlite3_column_int64(s, 0), "entity",
                              (const char *)sqlite3_column_text(s, 1), "local_id",
                              (json_int_t)sqlite3_column_int64(s, 2), "op", (const char *)sqlite3_column_text(s, 3),
                              "last_error", (const char *)sqlite3_column_text(s, 4), "created_at",
                              (const char *)sqlite3_column_text(s, 5));
        if (!o || json_array_append_new(a, o) != 0) {
            json_decref(a);
            a = NULL;
        }
    }
    if (!a) {
        sqlite3_finalize(s);
        return GR_ERR_NOMEM;
    }
    rc = src == SQLITE_DONE ? GR_OK : crm_store_error(st, src, "outbox dead list");
    sqlite3_finalize(s);
    if (rc == GR_OK)
        *out = a;
    else
        json_decref(a);
    return rc;
}

int crm_outbox_remote_get(crm_store_t *st, const char *target, const char *entity, int64_t local_id, char *buf,
                          size_t buflen) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, "SELECT remote_id FROM remote_ids WHERE target=? AND entity=? AND local_id=?", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, entity, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, local_id);
    return text_row(st, s, buf, buflen, "remote id get");
}

int crm_outbox_remote_set(crm_store_t *st, const char *target, const char *entity, int64_t local_id,
                          const char *remote_id, const char *etag) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st,
                  "INSERT INTO remote_ids(target, entity, local_id, remote_id, etag) VALUES (?,?,?,?,?) "
                  "ON CONFLICT(target, entity, local_id) DO UPDATE SET remote_id=excluded.remote_id, etag=excluded.etag", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, entity, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, local_id);
    sqlite3_bind_text(s, 4, remote_id, -1, SQLITE_TRANSIENT);
    if (etag)
        sqlite3_bind_text(s, 5, etag, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, 5);
    return run(st, s, "remote id set");
}

int crm_outbox_remote_del(crm_store_t *st, const char *target, const char *entity, int64_t local_id) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, "DELETE FROM remote_ids WHERE target=? AND entity=? AND local_id=?", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, entity, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, local_id);
    return run(st, s, "remote id del");
}

int crm_outbox_state_get(crm_store_t *st, const char *target, const char *key, char *buf, size_t buflen) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, "SELECT value FROM sync_state WHERE target=? AND key=?", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
    return text_row(st, s, buf, buflen, "sync state get");
}

int crm_outbox_state_set(crm_store_t *st, const char *target, const char *key, const char *value) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st,
                  value ? "INSERT INTO sync_state(target, key, value) VALUES (?,?,?) "
                          "ON CONFLICT(target, key) DO UPDATE SET value=excluded.value"
                        : "DELETE FROM sync_state WHERE target=? AND key=?", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
    if (value) sqlite3_bind_text(s, 3, value, -1, SQLITE_TRANSIENT);
    return run(st, s, "sync state set");
}
