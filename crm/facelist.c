/* facelist.c - face identities for the Faces page (see facelist.h). */
#define GR_LOG_MODULE "crm"
#include "crm/facelist.h"

#include "crm/activity.h"
#include "crm/crmutil.h"
#include "crm/face_store.h"
#include "crm/privacy.h"
#include "firmware/core/err.h"
#include "firmware/formats/descriptor.h"
#include "firmware/core/log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ?1 = LIKE pattern or NULL; ?2 = 0 all, 1 enrolled, 2 visitors. An
 * identity counts as enrolled when it is known or linked to a contact, the
 * rule retention uses (crm_retention_apply) to spare it. */
#define FACE_FROM " FROM people p LEFT JOIN contacts c ON c.id = p.contact_id "
#define FACE_WHERE FACE_FROM \
    "WHERE (?1 IS NULL OR p.label LIKE ?1 ESCAPE '\\' OR c.name LIKE ?1 ESCAPE '\\') " \
    "AND (?2 = 0 OR (?2 = 1) = (p.known != 0 OR p.contact_id IS NOT NULL))"
#define FACE_COLS "SELECT p.id, p.label, p.known, p.contact_id, c.name, p.consent, p.consent_at, " \
    "(SELECT count(*) FROM face_templates t WHERE t.person_id = p.id AND t.matchable = 1), p.created_at, " \
    "p.last_seen, p.visit_count, EXISTS (SELECT 1 FROM visits v WHERE v.person_id = p.id AND v.snapshot IS NOT NULL), " \
    "p.suppressed"

static json_t *face_row(sqlite3_stmt *s) {
    return json_pack("{s:o,s:o,s:b,s:o,s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:b,s:b}", "id", crm_col(s, 0), "label",
                     crm_col(s, 1), "known", sqlite3_column_int(s, 2), "contact_id", crm_col(s, 3), "contact_name",
                     crm_col(s, 4), "consent", sqlite3_column_int(s, 5), "consent_at", crm_col(s, 6), "templates",
                     crm_col(s, 7), "created_at", crm_col(s, 8), "last_seen", crm_col(s, 9), "visit_count",
                     crm_col(s, 10), "snapshot", sqlite3_column_int(s, 11), "suppressed", sqlite3_column_int(s, 12));
}

int crm_face_list(crm_store_t *st, const char *q, const char *kind, int limit, int offset, json_t **out) {
    *out = NULL;
    int k = 0;
    if (kind && *kind && strcmp(kind, "all") != 0) {
        if (strcmp(kind, "enrolled") == 0) k = 1;
        else if (strcmp(kind, "visitors") == 0) k = 2;
        else return GR_ERR_INVAL;
    }
    int nomem = 0;
    char *pat = crm_like_pattern(q, &nomem);
    if (nomem) return GR_ERR_NOMEM;
    crm_arg_t args[] = {CRM_ARG_TEXT(pat), CRM_ARG_INT(k)};
    int rc = crm_list_page(st, "face list", "SELECT count(*)" FACE_WHERE,
                           FACE_COLS FACE_WHERE " ORDER BY coalesce(p.last_seen, p.created_at) DESC, p.id DESC "
                                                "LIMIT ?3 OFFSET ?4",
                           args, 2, limit, offset, face_row, out);
    free(pat);
    return rc;
}

int crm_face_get(crm_store_t *st, int64_t id, json_t **out) {
    return crm_get_row(st, "face get", FACE_COLS FACE_FROM "WHERE p.id = ?1", id, face_row, out);
}

int crm_face_snapshot(crm_store_t *st, int64_t id, char *name, size_t len) {
    name[0] = '\0';
    int64_t have = 0;
    int rc = crm_query_int(st, "SELECT count(*) FROM people WHERE id = ?1", id, &have);
    if (rc != GR_OK) return rc;
    if (!have) return GR_ERR_NOTFOUND;
    sqlite3_stmt *s = NULL;
    rc = crm_prep(st, "SELECT snapshot FROM visits WHERE person_id = ?1 AND snapshot IS NOT NULL "
                      "ORDER BY started_at DESC, id DESC LIMIT 1", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_int64(s, 1, id);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        snprintf(name, len, "%s", t ? (const char *)t : "");
        rc = name[0] ? GR_OK : GR_ERR_EMPTY;
    } else if (src == SQLITE_DONE) {
        rc = GR_ERR_EMPTY;
    } else {
        rc = crm_store_error(st, src, "face snapshot");
    }
    sqlite3_finalize(s);
    return rc;
}

int crm_face_consent(crm_store_t *st, int64_t id, const char *actor) {
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    int64_t have = 0;
    if ((rc = crm_query_int(st, "SELECT count(*) FROM people WHERE id = ?1", id, &have)) != GR_OK) goto fail;
    if (!have) {
        rc = GR_ERR_NOTFOUND;
        goto fail;
    }
    if ((rc = crm_exec_ids(st,
                           "UPDATE people SET consent = 1, consent_at = coalesce(consent_at, "
                           "strftime('%Y-%m-%dT%H:%M:%fZ','now')) WHERE id = ?1",
                           id, 0)) != GR_OK)
        goto fail;
    if ((rc = crm_audit(st, actor, "consent.grant", "person", id, NULL)) != GR_OK) goto fail;
    return crm_tx_commit(&tx);
fail:
    crm_tx_rollback(&tx);
    return rc;
}

/* ---- the library: open one identity, correct it ---- */

/* Rows of sql (?1 = id) as objects with the given keys, into a new array. */
static int rows(crm_store_t *st, const char *sql, int64_t id, const char *const *keys, int nkeys, json_t **out) {
    *out = json_array();
    if (!*out) return GR_ERR_NOMEM;
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, sql, &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_int64(s, 1, id);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_object();
        if (!o) {
            rc = GR_ERR_NOMEM;
            break;
        }
        for (int i = 0; i < nkeys; i++) json_object_set_new(o, keys[i], crm_col(s, i));
        json_array_append_new(*out, o);
    }
    if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(st, src, "face detail");
    sqlite3_finalize(s);
    return rc;
}

int crm_face_detail(crm_store_t *st, int64_t id, json_t **out) {
    int rc = crm_face_get(st, id, out);
    if (rc != GR_OK) return rc;
    static const char *const tk[] = {"id", "source", "quality", "created_at", "visit_id"};
    static const char *const vk[] = {"id", "started_at", "ended_at", "is_new", "distance", "snapshot", "camera"};
    json_t *t = NULL, *v = NULL;
    rc = rows(st,
              "SELECT id, source, quality, created_at, visit_id FROM face_templates WHERE person_id = ?1 AND "
              "matchable = 1 ORDER BY id",
              id, tk, 5, &t);
    if (rc == GR_OK)
        rc = rows(st,
                  "SELECT id, started_at, ended_at, is_new, distance, snapshot, camera FROM visits WHERE person_id = ?1 "
                  "ORDER BY started_at DESC, id DESC LIMIT 200",
                  id, vk, 7, &v);
    if (rc != GR_OK) {
        json_decref(t);
        json_decref(v);
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    json_object_set_new(*out, "template_list", t);
    json_object_set_new(*out, "visits", v);
    return GR_OK;
}

/* id exists: 1, suppressed: 2 (in *state), 0 when absent. */
static int person_state(crm_store_t *st, int64_t id, int64_t *state) {
    return crm_query_int(st, "SELECT coalesce((SELECT 1 + suppressed FROM people WHERE id = ?1), 0)", id, state);
}

int crm_face_merge(crm_store_t *st, int64_t keep, int64_t gone, const char *actor, char *err, size_t errlen) {
    if (keep <= 0 || gone <= 0 || keep == gone) return crm_fail(GR_ERR_INVAL, err, errlen, "give two different identities");
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    int64_t a = 0, b = 0, ca = 0, cb = 0;
    if ((rc = person_state(st, keep, &a)) != GR_OK || (rc = person_state(st, gone, &b)) != GR_OK) goto fail;
    if (!a || !b) {
        rc = crm_fail(GR_ERR_NOTFOUND, err, errlen, "no such face identity %lld", (long long)(a ? gone : keep));
        goto fail;
    }
    if (a == 2 || b == 2) {
        rc = crm_fail(GR_ERR_INVAL, err, errlen, "a suppression entry cannot be merged");
        goto fail;
    }
    if ((rc = crm_query_int(st, "SELECT coalesce(contact_id, 0) FROM people WHERE id = ?1", keep, &ca)) != GR_OK ||
        (rc = crm_query_int(st, "SELECT coalesce(contact_id, 0) FROM people WHERE id = ?1", gone, &cb)) != GR_OK)
        goto fail;
    if (ca && cb && ca != cb) {
        rc = crm_fail(GR_ERR_EXISTS, err, errlen, "the two identities are linked to different contacts");
        goto fail;
    }
    static const char *const moves[] = {
        "UPDATE face_templates SET person_id = ?1 WHERE person_id = ?2",
        "UPDATE visits SET person_id = ?1 WHERE person_id = ?2",
        "UPDATE leads SET person_id = ?1 WHERE person_id = ?2",
        /* the kept identity takes what the other one knew */
        "UPDATE people SET visit_count = visit_count + (SELECT visit_count FROM people WHERE id = ?2), "
        "known = max(known, (SELECT known FROM people WHERE id = ?2)), "
        "contact_id = coalesce(contact_id, (SELECT contact_id FROM people WHERE id = ?2)), "
        "consent = max(consent, (SELECT consent FROM people WHERE id = ?2)), "
        "consent_at = coalesce(consent_at, (SELECT consent_at FROM people WHERE id = ?2)), "
        "label = CASE WHEN known = 0 AND (SELECT known FROM people WHERE id = ?2) != 0 "
        "THEN (SELECT label FROM people WHERE id = ?2) ELSE label END, "
        "last_seen = max(coalesce(last_seen, ''), coalesce((SELECT last_seen FROM people WHERE id = ?2), '')) "
        "WHERE id = ?1",
        "DELETE FROM people WHERE id = ?2",
    };
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        if ((rc = crm_exec_ids(st, moves[i], keep, gone)) != GR_OK) goto fail;
    json_t *d = json_pack("{s:I,s:I}", "into", (json_int_t)keep, "from", (json_int_t)gone);
    rc = d ? crm_audit(st, actor, "face.merge", "person", keep, d) : GR_ERR_NOMEM;
    json_decref(d);
    if (rc != GR_OK) goto fail;
    if ((rc = crm_tx_commit(&tx)) != GR_OK) return rc;
    LOG_I("face identity %lld merged into %lld", (long long)gone, (long long)keep);
    return GR_OK;
fail:
    crm_tx_rollback(&tx);
    return rc;
}

int crm_face_template_delete(crm_store_t *st, int64_t person, int64_t template_id, const char *actor, char *err,
                             size_t errlen) {
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    if ((rc = crm_exec_ids(st, "DELETE FROM face_templates WHERE id = ?1 AND person_id = ?2 AND matchable = 1",
                           template_id, person)) != GR_OK)
        goto fail;
    if (sqlite3_changes(crm_store_db(st)) == 0) {
        rc = crm_fail(GR_ERR_NOTFOUND, err, errlen, "identity %lld has no template %lld", (long long)person,
                      (long long)template_id);
        goto fail;
    }
    json_t *d = json_pack("{s:I}", "template_id", (json_int_t)template_id);
    rc = d ? crm_audit(st, actor, "face.template.delete", "person", person, d) : GR_ERR_NOMEM;
    json_decref(d);
    if (rc != GR_OK) goto fail;
    return crm_tx_commit(&tx);
fail:
    crm_tx_rollback(&tx);
    return rc;
}

/* The descriptor of template id into d. */
static int template_desc(crm_store_t *st, int64_t id, float *d) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, "SELECT descriptor FROM face_templates WHERE id = ?1", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_int64(s, 1, id);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW)
        rc = fmt_desc_from_blob(sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0), d);
    else
        rc = src == SQLITE_DONE ? GR_ERR_NOTFOUND : crm_store_error(st, src, "face template");
    sqlite3_finalize(s);
    return rc;
}

/* Among person's matchable templates (other than those of visit_id), the
 * one nearest to d within threshold: *id (0: none), unless it is the
 * person's last one. */
static int nearest_template(crm_store_t *st, int64_t person, int64_t visit_id, const float *d, double threshold,
                            int64_t *id) {
    *id = 0;
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st,
                      "SELECT id, descriptor FROM face_templates WHERE person_id = ?1 AND matchable = 1 AND "
                      "coalesce(visit_id, 0) != ?2",
                      &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_int64(s, 1, person);
    sqlite3_bind_int64(s, 2, visit_id);
    int src, n = 0;
    double best = threshold;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        float t[FMT_DESC_DIM];
        n++;
        if (fmt_desc_from_blob(sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1), t) != GR_OK) continue;
        double sum = 0;
        for (int i = 0; i < FMT_DESC_DIM; i++) sum += (double)(t[i] - d[i]) * (t[i] - d[i]);
        if (sqrt(sum) <= best) {
            best = sqrt(sum);
            *id = sqlite3_column_int64(s, 0);
        }
    }
    if (src != SQLITE_DONE) rc = crm_store_error(st, src, "face templates");
    sqlite3_finalize(s);
    if (n <= 1) *id = 0; /* never the person's last face */
    return rc;
}

int crm_face_not_this(crm_store_t *st, int64_t visit_id, int64_t target, double threshold, const char *actor,
                      int64_t *out_person, char *err, size_t errlen) {
    *out_person = 0;
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    int64_t from = 0, tstate = 0, evidence = 0, removed = 0;
    if ((rc = crm_query_int(st, "SELECT coalesce((SELECT person_id FROM visits WHERE id = ?1), -1)", visit_id,
                            &from)) != GR_OK)
        goto fail;
    if (from < 0) {
        rc = crm_fail(GR_ERR_NOTFOUND, err, errlen, "no such visit");
        goto fail;
    }
    if (from == 0 || from == target) {
        rc = crm_fail(GR_ERR_INVAL, err, errlen, from ? "the visit is already this person's" : "the visit has no identity");
        goto fail;
    }
    if (target > 0) {
        if ((rc = person_state(st, target, &tstate)) != GR_OK) goto fail;
        if (tstate != 1) {
            rc = crm_fail(tstate ? GR_ERR_INVAL : GR_ERR_NOTFOUND, err, errlen,
                          tstate ? "a suppression entry gets no visits" : "no such face identity");
            goto fail;
        }
    } else {
        if ((rc = crm_exec_ids(st, "INSERT INTO people(label, known) VALUES('Visitor', 0)", 0, 0)) != GR_OK) goto fail;
        target = sqlite3_last_insert_rowid(crm_store_db(st));
        if ((rc = crm_exec_ids(st, "UPDATE people SET label = 'Visitor #' || id WHERE id = ?1", target, 0)) != GR_OK)
            goto fail;
    }
    /* the face the visit was (its evidence, or the template it added) */
    if ((rc = crm_query_int(st,
                            "SELECT coalesce((SELECT id FROM face_templates WHERE visit_id = ?1 ORDER BY quality DESC, id "
                            "LIMIT 1), 0)",
                            visit_id, &evidence)) != GR_OK)
        goto fail;
    if (evidence) {
        float d[FMT_DESC_DIM];
        if ((rc = template_desc(st, evidence, d)) != GR_OK) goto fail;
        /* the template of the wrong identity that matched this face goes */
        if ((rc = nearest_template(st, from, visit_id, d, threshold, &removed)) != GR_OK) goto fail;
        if (removed && (rc = crm_exec_ids(st, "DELETE FROM face_templates WHERE id = ?1", removed, 0)) != GR_OK) goto fail;
        /* the visit's face is the right person's: it recognises them from now on,
         * unless it came from a weak sample (cut by the frame edge, smaller
         * than vision.min_enrol_px, past the quality gates): the live
         * pipeline never makes a template of one, so it stays the visit's
         * evidence only */
        if ((rc = crm_exec_ids(st,
                               "UPDATE face_templates SET person_id = ?1, matchable = (source != '" CRM_FACE_SOURCE_WEAK
                               "') WHERE visit_id = ?2",
                               target, visit_id)) != GR_OK)
            goto fail;
    }
    static const char *const moves[] = {
        "UPDATE visits SET person_id = ?2, is_new = (SELECT visit_count = 0 FROM people WHERE id = ?2) WHERE id = ?1",
        "UPDATE people SET visit_count = max(visit_count - 1, 0) WHERE id = ?2",
        "UPDATE people SET visit_count = visit_count + 1, last_seen = max(coalesce(last_seen, ''), "
        "(SELECT started_at FROM visits WHERE id = ?1)) WHERE id = ?2",
    };
    if ((rc = crm_exec_ids(st, moves[0], visit_id, target)) != GR_OK) goto fail;
    if ((rc = crm_exec_ids(st, moves[1], visit_id, from)) != GR_OK) goto fail;
    if ((rc = crm_exec_ids(st, moves[2], visit_id, target)) != GR_OK) goto fail;
    /* remembered: these two are different people */
    if ((rc = crm_exec_ids(st, "INSERT OR IGNORE INTO face_distinct(person_a, person_b) VALUES(min(?1, ?2), max(?1, ?2))",
                           from, target)) != GR_OK)
        goto fail;
    json_t *dj = json_pack("{s:I,s:I,s:I}", "visit_id", (json_int_t)visit_id, "from", (json_int_t)from, "to",
                           (json_int_t)target);
    if (dj) json_object_set_new(dj, "template_removed", removed ? json_integer(removed) : json_null());
    rc = dj ? crm_audit(st, actor, "face.not_this", "visit", visit_id, dj) : GR_ERR_NOMEM;
    json_decref(dj);
    if (rc != GR_OK) goto fail;
    if ((rc = crm_tx_commit(&tx)) != GR_OK) return rc;
    LOG_I("visit %lld moved from identity %lld to %lld (template %lld removed)", (long long)visit_id, (long long)from,
          (long long)target, (long long)removed);
    *out_person = target;
    return GR_OK;
fail:
    crm_tx_rollback(&tx);
    return rc;
}

#define SUPPRESS_TEMPLATES 8

int crm_face_suppress(crm_store_t *st, int64_t id, const char *actor, json_t **out, char *err, size_t errlen) {
    if (out) *out = NULL;
    int64_t state = 0;
    int rc = person_state(st, id, &state);
    if (rc != GR_OK) return rc;
    if (!state) return crm_fail(GR_ERR_NOTFOUND, err, errlen, "no such face identity");
    if (state == 2) return crm_fail(GR_ERR_EXISTS, err, errlen, "this is already a suppression entry");
    /* the faces to recognise them by, read before the erasure */
    int64_t *ids = NULL;
    size_t n = 0;
    rc = crm_ids(st, "SELECT id FROM face_templates WHERE person_id = ?1 AND matchable = 1 ORDER BY quality DESC, id",
                 id, &ids, &n);
    if (rc != GR_OK) return rc;
    if (n == 0) {
        free(ids);
        return crm_fail(GR_ERR_EMPTY, err, errlen, "no face template to recognise the person by");
    }
    if (n > SUPPRESS_TEMPLATES) n = SUPPRESS_TEMPLATES;
    float (*d)[FMT_DESC_DIM] = calloc(n, sizeof *d);
    if (!d) {
        free(ids);
        return GR_ERR_NOMEM;
    }
    for (size_t i = 0; i < n && rc == GR_OK; i++) rc = template_desc(st, ids[i], d[i]);
    free(ids);
    if (rc != GR_OK) {
        free(d);
        return rc;
    }
    crm_tx_t tx;
    if ((rc = crm_tx_begin(st, &tx)) != GR_OK) {
        free(d);
        return rc;
    }
    json_t *res = NULL;
    int64_t sid = 0;
    /* the entry first, so it never takes the erased identity's id */
    if ((rc = crm_exec_ids(st, "INSERT INTO people(label, known, suppressed) VALUES('Suppressed', 0, 1)", 0, 0)) != GR_OK)
        goto fail;
    sid = sqlite3_last_insert_rowid(crm_store_db(st));
    if ((rc = crm_exec_ids(st, "UPDATE people SET label = 'Suppressed #' || id WHERE id = ?1", sid, 0)) != GR_OK) goto fail;
    for (size_t i = 0; i < n; i++) {
        unsigned char blob[FMT_DESC_BYTES];
        fmt_desc_to_blob(d[i], blob);
        sqlite3_stmt *s = NULL;
        if ((rc = crm_prep(st, "INSERT INTO face_templates(person_id, descriptor, quality, source) "
                               "VALUES(?1, ?2, 0, 'suppression')", &s)) != GR_OK)
            goto fail;
        sqlite3_bind_int64(s, 1, sid);
        sqlite3_bind_blob(s, 2, blob, sizeof blob, SQLITE_TRANSIENT);
        rc = crm_step_done(st, s, "suppression template");
        sqlite3_finalize(s);
        if (rc != GR_OK) goto fail;
    }
    if ((rc = crm_face_forget(st, id, actor, &res, err, errlen)) != GR_OK) goto fail;
    json_t *dj = json_pack("{s:I,s:I}", "erased", (json_int_t)id, "templates", (json_int_t)n);
    rc = dj ? crm_audit(st, actor, "face.suppress", "person", sid, dj) : GR_ERR_NOMEM;
    json_decref(dj);
    if (rc != GR_OK) goto fail;
    if ((rc = crm_tx_commit(&tx)) != GR_OK) goto out;
    free(d);
    LOG_I("face identity %lld erased; suppression entry %lld keeps %zu templates", (long long)id, (long long)sid, n);
    if (res) json_object_set_new(res, "suppression_id", json_integer(sid));
    if (out) *out = res;
    else json_decref(res);
    return GR_OK;
fail:
    crm_tx_rollback(&tx);
out:
    free(d);
    json_decref(res);
    return rc;
}

int crm_face_visit_owner(crm_store_t *st, int64_t visit_id, int64_t *person) {
    return crm_query_int(st, "SELECT coalesce((SELECT person_id FROM visits WHERE id = ?1), 0)", visit_id, person);
}
