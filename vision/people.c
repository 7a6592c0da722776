/* people.c - people, face templates and visits in SQLite. */
#define GR_LOG_MODULE "vision"
#include "vision/people.h"

#include "firmware/core/err.h"
#include "vision/facenet.h"
#include "firmware/core/log.h"
#include "crm/visit_hook.h"

#include <stdio.h>
#include <string.h>

static int step_done(crm_store_t *st, sqlite3_stmt *s, const char *what) {
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) return crm_store_error(st, rc, what);
    return GR_OK;
}

static int prep(crm_store_t *st, const char *sql, sqlite3_stmt **s, const char *what) {
    int rc = sqlite3_prepare_v2(crm_store_db(st), sql, -1, s, NULL);
    if (rc != SQLITE_OK) return crm_store_error(st, rc, what);
    return GR_OK;
}

static int insert_template(crm_store_t *st, int64_t pid, const float *desc, float quality, const char *source) {
    unsigned char blob[VIS_DESC_DIM * 4];
    for (int i = 0; i < VIS_DESC_DIM; i++) {
        uint32_t u;
        memcpy(&u, &desc[i], 4);
        blob[4 * i] = (unsigned char)u;
        blob[4 * i + 1] = (unsigned char)(u >> 8);
        blob[4 * i + 2] = (unsigned char)(u >> 16);
        blob[4 * i + 3] = (unsigned char)(u >> 24);
    }
    sqlite3_stmt *s;
    int rc = prep(st, "INSERT INTO face_templates(person_id, descriptor, quality, source) VALUES(?,?,?,?)", &s,
                  "insert face template");
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, pid);
    sqlite3_bind_blob(s, 2, blob, sizeof blob, SQLITE_TRANSIENT);
    sqlite3_bind_double(s, 3, quality);
    sqlite3_bind_text(s, 4, source, -1, SQLITE_STATIC);
    return step_done(st, s, "insert face template");
}

static int create_person(crm_store_t *st, const char *label, int known, int64_t *out) {
    sqlite3_stmt *s;
    int rc = prep(st, "INSERT INTO people(label, known) VALUES(?, ?)", &s, "insert person");
    if (rc) return rc;
    sqlite3_bind_text(s, 1, label ? label : "Visitor", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, known);
    rc = step_done(st, s, "insert person");
    if (rc) return rc;
    *out = sqlite3_last_insert_rowid(crm_store_db(st));
    if (label) return GR_OK;
    rc = prep(st, "UPDATE people SET label = 'Visitor #' || id WHERE id = ?", &s, "label person");
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, *out);
    return step_done(st, s, "label person");
}

static int person_exists(crm_store_t *st, int64_t pid) {
    sqlite3_stmt *s;
    if (prep(st, "SELECT 1 FROM people WHERE id = ?", &s, "find person")) return GR_ERR_DB;
    sqlite3_bind_int64(s, 1, pid);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW) return GR_OK;
    if (rc == SQLITE_DONE) return GR_ERR_NOTFOUND;
    return crm_store_error(st, rc, "find person");
}

int vis_people_label(crm_store_t *st, int64_t person_id, char *buf, size_t len) {
    sqlite3_stmt *s;
    int rc = prep(st, "SELECT label FROM people WHERE id = ?", &s, "person label");
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, person_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        snprintf(buf, len, "%s", t ? (const char *)t : "");
        rc = GR_OK;
    } else if (rc == SQLITE_DONE) {
        rc = GR_ERR_NOTFOUND;
    } else {
        rc = crm_store_error(st, rc, "person label");
    }
    sqlite3_finalize(s);
    return rc;
}

int vis_people_end_visit(crm_store_t *st, int64_t visit_id, double wall) {
    sqlite3_stmt *s;
    int rc = prep(st,
                  "UPDATE visits SET ended_at = max(started_at, strftime('%Y-%m-%dT%H:%M:%fZ', ?2, 'unixepoch')) "
                  "WHERE id = ?1 AND ended_at IS NULL",
                  &s, "end visit");
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, visit_id);
    sqlite3_bind_double(s, 2, wall);
    rc = step_done(st, s, "end visit");
    if (rc == GR_OK && sqlite3_changes(crm_store_db(st)) == 0) rc = GR_ERR_NOTFOUND;
    return rc;
}

int vis_people_record_visit(crm_store_t *st, const vis_visit_in_t *in, vis_visit_out_t *out) {
    memset(out, 0, sizeof *out);
    int rc = crm_store_begin(st);
    if (rc) return rc;
    int64_t pid = in->person_id;
    sqlite3_stmt *s;
    if (pid == 0) {
        rc = create_person(st, NULL, 0, &pid);
        if (rc) goto fail;
    }
    for (int i = 0; i < in->n_templates; i++) {
        rc = insert_template(st, pid, in->templates + (size_t)i * VIS_DESC_DIM, in->qualities ? in->qualities[i] : 0,
                             "camera");
        if (rc) goto fail;
    }
    rc = prep(st,
              "INSERT INTO visits(person_id, started_at, is_new, distance, snapshot, camera) "
              "VALUES(?, strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?, ?, ?, ?)",
              &s, "insert visit");
    if (rc) goto fail;
    sqlite3_bind_int64(s, 1, pid);
    sqlite3_bind_int(s, 2, in->is_new ? 1 : 0);
    sqlite3_bind_double(s, 3, in->distance);
    if (in->snapshot)
        sqlite3_bind_text(s, 4, in->snapshot, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 4);
    sqlite3_bind_text(s, 5, in->camera ? in->camera : "", -1, SQLITE_STATIC);
    rc = step_done(st, s, "insert visit");
    if (rc) goto fail;
    out->visit_id = sqlite3_last_insert_rowid(crm_store_db(st));
    rc = prep(st,
              "UPDATE people SET visit_count = visit_count + 1, "
              "last_seen = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? RETURNING visit_count, label",
              &s, "update person");
    if (rc) goto fail;
    sqlite3_bind_int64(s, 1, pid);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        rc = rc == SQLITE_DONE ? GR_ERR_NOTFOUND : crm_store_error(st, rc, "update person");
        if (rc == GR_ERR_NOTFOUND) LOG_W("visit of person %lld who is no longer in the database", (long long)pid);
        goto fail;
    }
    out->visit_count = sqlite3_column_int(s, 0);
    const unsigned char *lab = sqlite3_column_text(s, 1);
    snprintf(out->label, sizeof out->label, "%s", lab ? (const char *)lab : "");
    /* drain RETURNING so the statement completes */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        rc = crm_store_error(st, rc, "update person");
        goto fail;
    }
    rc = crm_on_visit(st, pid, out->visit_id, in->is_new);
    if (rc) {
        LOG_W("CRM visit hook failed: %s", gr_strerror(rc));
        goto fail;
    }
    rc = crm_store_commit(st);
    if (rc) goto fail;
    out->person_id = pid;
    return GR_OK;
fail:
    crm_store_rollback(st);
    out->person_id = 0;
    out->visit_id = 0;
    return rc;
}

int vis_people_enroll(crm_store_t *st, int64_t person_id, const char *label, const float *desc, float quality,
                      const char *source, int64_t *out_id) {
    *out_id = 0;
    if (person_id == 0 && (!label || !*label)) return GR_ERR_INVAL;
    int rc = crm_store_begin(st);
    if (rc) return rc;
    int64_t pid = person_id;
    if (pid == 0) {
        rc = create_person(st, label, 1, &pid);
    } else {
        rc = person_exists(st, pid);
    }
    if (rc) goto fail;
    rc = insert_template(st, pid, desc, quality, source);
    if (rc) goto fail;
    rc = crm_store_commit(st);
    if (rc) goto fail;
    *out_id = pid;
    return GR_OK;
fail:
    crm_store_rollback(st);
    return rc;
}
