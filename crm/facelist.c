/* facelist.c - face identities for the Faces page (see facelist.h). */
#define GR_LOG_MODULE "crm"
#include "crm/facelist.h"

#include "crm/activity.h"
#include "crm/crmutil.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

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
    "(SELECT count(*) FROM face_templates t WHERE t.person_id = p.id), p.created_at, p.last_seen, p.visit_count, " \
    "EXISTS (SELECT 1 FROM visits v WHERE v.person_id = p.id AND v.snapshot IS NOT NULL)"

static json_t *face_row(sqlite3_stmt *s) {
    return json_pack("{s:o,s:o,s:b,s:o,s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:b}", "id", crm_col(s, 0), "label", crm_col(s, 1),
                     "known", sqlite3_column_int(s, 2), "contact_id", crm_col(s, 3), "contact_name", crm_col(s, 4),
                     "consent", sqlite3_column_int(s, 5), "consent_at", crm_col(s, 6), "templates", crm_col(s, 7),
                     "created_at", crm_col(s, 8), "last_seen", crm_col(s, 9), "visit_count", crm_col(s, 10),
                     "snapshot", sqlite3_column_int(s, 11));
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
