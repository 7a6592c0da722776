/* face_store.c - people, face templates and visits for the face pipeline
 * (see face_store.h). Prepared statements only. */
#define GR_LOG_MODULE "crm"
#include "crm/face_store.h"

#include "crm/crmutil.h"
#include "crm/visit_hook.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "firmware/formats/descriptor.h"

#include <stdio.h>
#include <string.h>

#define NOW_UTC "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

/* A template of person pid; visit_id 0: not from a visit; matchable 0: the
 * visit's evidence only (never loaded into the gallery). */
static int insert_template(crm_store_t *st, int64_t pid, const float *desc, float quality, const char *source,
                           int64_t visit_id, int matchable) {
    unsigned char blob[FMT_DESC_BYTES];
    fmt_desc_to_blob(desc, blob);
    sqlite3_stmt *s;
    int rc = crm_prep(st,
                      "INSERT INTO face_templates(person_id, descriptor, quality, source, visit_id, matchable) "
                      "VALUES(?,?,?,?,?,?)",
                      &s);
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, pid);
    sqlite3_bind_blob(s, 2, blob, sizeof blob, SQLITE_TRANSIENT);
    sqlite3_bind_double(s, 3, quality);
    sqlite3_bind_text(s, 4, source, -1, SQLITE_STATIC);
    if (visit_id > 0) sqlite3_bind_int64(s, 5, visit_id);
    else sqlite3_bind_null(s, 5);
    sqlite3_bind_int(s, 6, matchable ? 1 : 0);
    rc = crm_step_done(st, s, "insert face template");
    sqlite3_finalize(s);
    return rc;
}

/* A person: named `label`, or "Visitor #<id>" when label is NULL. */
static int create_person(crm_store_t *st, const char *label, int known, int64_t *out) {
    sqlite3_stmt *s;
    int rc = crm_prep(st, "INSERT INTO people(label, known) VALUES(?, ?)", &s);
    if (rc) return rc;
    sqlite3_bind_text(s, 1, label ? label : "Visitor", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, known);
    rc = crm_step_done(st, s, "insert person");
    sqlite3_finalize(s);
    if (rc) return rc;
    *out = sqlite3_last_insert_rowid(crm_store_db(st));
    if (label) return GR_OK;
    return crm_exec_ids(st, "UPDATE people SET label = 'Visitor #' || id WHERE id = ?1", *out, 0);
}

static int load_templates(void *ctx, vis_template_cb_t cb, void *ud) {
    crm_store_t *st = ctx;
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, "SELECT person_id, descriptor FROM face_templates WHERE matchable = 1 ORDER BY id", &s);
    if (rc) return rc;
    size_t bad = 0;
    int r = GR_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        float d[FMT_DESC_DIM];
        if (fmt_desc_from_blob(sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1), d) != GR_OK) {
            bad++;
            continue;
        }
        r = cb(ud, sqlite3_column_int64(s, 0), d);
        if (r == GR_ERR_INVAL) {
            bad++;
            r = GR_OK;
        } else if (r != GR_OK) {
            break;
        }
    }
    if (r == GR_OK && rc != SQLITE_DONE) r = crm_store_error(st, rc, "load face templates");
    sqlite3_finalize(s);
    if (bad) LOG_W("skipped %zu malformed face templates", bad);
    return r;
}

/* (count, checksum of the (id, person) pairs) of the matchable templates:
 * changes when anyone adds, removes or moves one to another person (merge,
 * not-this-person), so the camera reloads its gallery. */
static int signature(void *ctx, vis_store_sig_t *sig) {
    crm_store_t *st = ctx;
    sqlite3_stmt *s;
    int rc = crm_prep(st, "SELECT count(*), coalesce(sum((id % 1000003) * 1000033 + person_id), 0) FROM face_templates "
                          "WHERE matchable = 1", &s);
    if (rc) return rc;
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        sig->templates = sqlite3_column_int64(s, 0);
        sig->last_id = sqlite3_column_int64(s, 1);
    } else {
        rc = crm_store_error(st, src, "face template signature");
    }
    sqlite3_finalize(s);
    return rc;
}

static int end_visit(void *ctx, int64_t visit_id, double wall) {
    crm_store_t *st = ctx;
    sqlite3_stmt *s;
    int rc = crm_prep(st,
                      "UPDATE visits SET ended_at = max(started_at, strftime('%Y-%m-%dT%H:%M:%fZ', ?2, 'unixepoch')) "
                      "WHERE id = ?1 AND ended_at IS NULL",
                      &s);
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, visit_id);
    sqlite3_bind_double(s, 2, wall);
    rc = crm_step_done(st, s, "end visit");
    sqlite3_finalize(s);
    if (rc == GR_OK && sqlite3_changes(crm_store_db(st)) == 0) rc = GR_ERR_NOTFOUND;
    return rc;
}

/* Count the visit on the person; their visit count and label into out. */
static int count_visit(crm_store_t *st, int64_t pid, vis_visit_out_t *out) {
    sqlite3_stmt *s;
    int rc = crm_prep(st,
                      "UPDATE people SET visit_count = visit_count + 1, last_seen = " NOW_UTC
                      " WHERE id = ? RETURNING visit_count, label",
                      &s);
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, pid);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        out->visit_count = sqlite3_column_int(s, 0);
        const unsigned char *lab = sqlite3_column_text(s, 1);
        snprintf(out->label, sizeof out->label, "%s", lab ? (const char *)lab : "");
        /* drain RETURNING so the statement completes */
        while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        }
        if (src != SQLITE_DONE) rc = crm_store_error(st, src, "update person");
    } else if (src == SQLITE_DONE) {
        LOG_W("visit of person %lld who is no longer in the database", (long long)pid);
        rc = GR_ERR_NOTFOUND;
    } else {
        rc = crm_store_error(st, src, "update person");
    }
    sqlite3_finalize(s);
    return rc;
}

static int record_visit(void *ctx, const vis_visit_in_t *in, vis_visit_out_t *out) {
    crm_store_t *st = ctx;
    memset(out, 0, sizeof *out);
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc) return rc;
    int64_t pid = in->person_id;
    sqlite3_stmt *s;
    if (pid == 0 && (rc = create_person(st, NULL, 0, &pid)) != GR_OK) goto fail;
    rc = crm_prep(st,
                  "INSERT INTO visits(person_id, started_at, is_new, distance, snapshot, camera) "
                  "VALUES(?, " NOW_UTC ", ?, ?, ?, ?)",
                  &s);
    if (rc) goto fail;
    sqlite3_bind_int64(s, 1, pid);
    sqlite3_bind_int(s, 2, in->is_new ? 1 : 0);
    sqlite3_bind_double(s, 3, in->distance);
    if (in->snapshot)
        sqlite3_bind_text(s, 4, in->snapshot, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 4);
    sqlite3_bind_text(s, 5, in->camera ? in->camera : "", -1, SQLITE_STATIC);
    rc = crm_step_done(st, s, "insert visit");
    sqlite3_finalize(s);
    if (rc) goto fail;
    int64_t vid = sqlite3_last_insert_rowid(crm_store_db(st));
    for (int i = 0; i < in->n_templates; i++) {
        rc = insert_template(st, pid, in->templates + (size_t)i * FMT_DESC_DIM, in->qualities ? in->qualities[i] : 0,
                             "camera", vid, 1);
        if (rc) goto fail;
    }
    /* the visit's face, unless it is one of the templates just kept */
    if (in->face && !(in->n_templates > 0 && in->face == in->templates) &&
        (rc = insert_template(st, pid, in->face, in->face_quality, in->face_weak ? CRM_FACE_SOURCE_WEAK : "visit", vid,
                              0)) != GR_OK)
        goto fail;
    out->visit_id = vid;
    if ((rc = count_visit(st, pid, out)) != GR_OK) goto fail;
    rc = crm_on_visit(st, pid, out->visit_id, in->is_new);
    if (rc) {
        LOG_W("CRM visit hook failed: %s", gr_strerror(rc));
        goto fail;
    }
    if ((rc = crm_tx_commit(&tx)) != GR_OK) goto done;
    out->person_id = pid;
    return GR_OK;
fail:
    crm_tx_rollback(&tx);
done:
    out->person_id = 0;
    out->visit_id = 0;
    return rc;
}

static int enroll(void *ctx, int64_t person_id, const char *label, const float *desc, float quality,
                  const char *source, int64_t *out_id) {
    crm_store_t *st = ctx;
    *out_id = 0;
    if (person_id == 0 && (!label || !*label)) return GR_ERR_INVAL;
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc) return rc;
    int64_t pid = person_id;
    if (pid == 0) {
        rc = create_person(st, label, 1, &pid);
    } else {
        int64_t have = 0, sup = 0;
        rc = crm_query_int(st, "SELECT count(*) FROM people WHERE id = ?1", pid, &have);
        if (rc == GR_OK && !have) rc = GR_ERR_NOTFOUND;
        if (rc == GR_OK) rc = crm_query_int(st, "SELECT suppressed FROM people WHERE id = ?1", pid, &sup);
        if (rc == GR_OK && sup) rc = GR_ERR_EXISTS;
        if (rc == GR_OK && label && *label) {
            /* the identity the camera already knew gets the name */
            sqlite3_stmt *s;
            rc = crm_prep(st, "UPDATE people SET label = ?1, known = 1 WHERE id = ?2", &s);
            if (rc == GR_OK) {
                sqlite3_bind_text(s, 1, label, -1, SQLITE_TRANSIENT);
                sqlite3_bind_int64(s, 2, pid);
                rc = crm_step_done(st, s, "name person");
                sqlite3_finalize(s);
            }
        }
    }
    if (rc) goto fail;
    if ((rc = insert_template(st, pid, desc, quality, source, 0, 1)) != GR_OK) goto fail;
    if ((rc = crm_tx_commit(&tx)) != GR_OK) return rc;
    *out_id = pid;
    return GR_OK;
fail:
    crm_tx_rollback(&tx);
    return rc;
}

static int suppressed(void *ctx, int64_t person_id) {
    int64_t sup = 0;
    int rc = crm_query_int(ctx, "SELECT coalesce((SELECT suppressed FROM people WHERE id = ?1), 0)", person_id, &sup);
    return rc != GR_OK ? rc : sup ? 1 : 0;
}

static int label(void *ctx, int64_t person_id, char *buf, size_t len) {
    crm_store_t *st = ctx;
    buf[0] = '\0';
    sqlite3_stmt *s;
    int rc = crm_prep(st, "SELECT label FROM people WHERE id = ?1", &s);
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, person_id);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        snprintf(buf, len, "%s", t ? (const char *)t : "");
    } else {
        rc = src == SQLITE_DONE ? GR_ERR_NOTFOUND : crm_store_error(st, src, "person label");
    }
    sqlite3_finalize(s);
    return rc;
}

static int distinct(void *ctx, int64_t a, int64_t b) {
    int64_t n = 0;
    sqlite3_stmt *s;
    int rc = crm_prep(ctx, "SELECT count(*) FROM face_distinct WHERE person_a = min(?1, ?2) AND person_b = max(?1, ?2)", &s);
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    else rc = crm_store_error(ctx, src, "face pairs");
    sqlite3_finalize(s);
    return rc != GR_OK ? rc : n > 0;
}

void crm_face_store_bind(crm_store_t *st, vis_store_t *out) {
    *out = (vis_store_t){
        .ctx = st,
        .load_templates = load_templates,
        .signature = signature,
        .record_visit = record_visit,
        .end_visit = end_visit,
        .enroll = enroll,
        .suppressed = suppressed,
        .label = label,
        .distinct = distinct,
    };
}

int crm_face_store_open(const char *path, const crm_opts_t *opts, vis_store_t *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    crm_store_t *st = NULL;
    int rc = crm_store_open(path, opts, &st, err, errlen);
    if (rc) return rc;
    crm_face_store_bind(st, out);
    return GR_OK;
}

void crm_face_store_close(vis_store_t *s) {
    if (!s) return;
    crm_store_close(s->ctx);
    memset(s, 0, sizeof *s);
}

static int opener_open(void *ctx, const char *path, vis_store_t *out, char *err, size_t errlen) {
    return crm_face_store_open(path, ctx, out, err, errlen);
}

vis_store_opener_t crm_face_store_opener(const crm_opts_t *opts) {
    return (vis_store_opener_t){(void *)opts, opener_open, crm_face_store_close};
}
