/* sync_fleet.c - face templates shared through the CRM (see sync_fleet.h). */
#define GR_LOG_MODULE "sync"
#include "crm/sync_fleet.h"

#include "crm/bitrix24_item.h"

#include "crm/bitrix24_map.h"
#include "crm/contacts.h"
#include "crm/crmutil.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "firmware/formats/descriptor.h"
#include "crm/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TARGET "bitrix24"

static int64_t ref(json_t *v) {
    if (json_is_integer(v)) return json_integer_value(v);
    if (json_is_string(v)) return strtoll(json_string_value(v), NULL, 10);
    return 0;
}

int crm_sync_fleet_faces(crm_sync_engine_t *e, json_t *payload, json_t *fields) {
    json_t *cf = json_object_get(payload, "consent_face");
    int consent = json_is_true(cf) || (json_is_integer(cf) && json_integer_value(cf) != 0);
    unsigned char buf[CRM_FLEET_MAX_TEMPLATES * FMT_DESC_BYTES];
    size_t n = 0;
    json_t *ids = json_object_get(payload, "person_ids"), *x;
    size_t i;
    if (consent && json_is_array(ids)) {
        sqlite3_stmt *s = NULL;
        int rc = sqlite3_prepare_v2(crm_store_db(e->st),
                                    "SELECT descriptor FROM face_templates WHERE person_id=? AND matchable=1 AND length(descriptor)=? "
                                    "ORDER BY quality DESC, id LIMIT ?",
                                    -1, &s, NULL);
        if (rc != SQLITE_OK) return crm_store_error(e->st, rc, "fleet templates");
        json_array_foreach(ids, i, x) {
            if (n >= CRM_FLEET_MAX_TEMPLATES) break;
            sqlite3_reset(s);
            sqlite3_bind_int64(s, 1, ref(x));
            sqlite3_bind_int(s, 2, FMT_DESC_BYTES);
            sqlite3_bind_int(s, 3, CRM_FLEET_MAX_TEMPLATES);
            while (n < CRM_FLEET_MAX_TEMPLATES && sqlite3_step(s) == SQLITE_ROW) {
                memcpy(buf + n * FMT_DESC_BYTES, sqlite3_column_blob(s, 0), FMT_DESC_BYTES);
                n++;
            }
        }
        sqlite3_finalize(s);
    }
    if (n == 0) return json_object_set_new(fields, CRM_FLEET_FIELD, json_string("")) == 0 ? GR_OK : GR_ERR_NOMEM;
    char *text = fmt_desc_text_encode(buf, n);
    if (!text) return GR_ERR_NOMEM;
    int rc = json_object_set_new(fields, CRM_FLEET_FIELD, json_string(text)) == 0 ? GR_OK : GR_ERR_NOMEM;
    free(text);
    return rc;
}

int crm_sync_fleet_decode(const char *text, unsigned char **out, size_t *n) {
    return fmt_desc_text_decode(text, CRM_FLEET_MAX_TEMPLATES, out, n);
}

static void set_error(crm_sync_engine_t *e, const char *what, const crm_b24_reply_t *r) {
    snprintf(e->last_error, sizeof e->last_error, "%s: %s%s%s", what, r->error, r->error[0] ? ": " : "", r->message);
}

static int transport(const crm_b24_reply_t *r) {
    return r->cls == CRM_B24_AUTH ? GR_ERR_AUTH : r->cls == CRM_B24_TRANSIENT ? GR_ERR_NET : GR_OK;
}

int crm_sync_fleet_ensure_field(crm_sync_engine_t *e) {
    if (e->faces_field) return e->faces_field > 0 ? GR_OK : GR_ERR_UNSUPPORTED;
    char v[8];
    if (crm_outbox_state_get(e->st, TARGET, "faces_field", v, sizeof v) == GR_OK && strcmp(v, "1") == 0) {
        e->faces_field = 1;
        return GR_OK;
    }
    crm_b24_reply_t r;
    memset(&r, 0, sizeof r);
    json_t *q = json_pack("{s:{s:s}}", "filter", "FIELD_NAME", CRM_FLEET_FIELD);
    int rc = crm_b24_call(e->b24, "crm.contact.userfield.list", q, &r);
    json_decref(q);
    if (rc != GR_OK) return rc;
    if ((rc = transport(&r)) != GR_OK) {
        set_error(e, "crm.contact.userfield.list", &r);
        crm_b24_reply_clear(&r);
        return rc;
    }
    int found = 0;
    size_t i;
    json_t *x;
    if (r.cls == CRM_B24_OK && json_is_array(r.result)) json_array_foreach(r.result, i, x) {
            const char *name = json_string_value(json_object_get(x, "FIELD_NAME"));
            if (name && strcmp(name, CRM_FLEET_FIELD) == 0) found = 1;
        }
    crm_b24_reply_clear(&r);
    if (!found) {
        json_t *add = json_pack("{s:{s:s,s:s,s:s,s:s,s:s}}", "fields", "FIELD_NAME", "GREETER_FACES", "USER_TYPE_ID",
                                "string", "XML_ID", "GREETER_FACES", "EDIT_FORM_LABEL", "Greeter face templates",
                                "SHOW_IN_LIST", "N");
        rc = crm_b24_call(e->b24, "crm.contact.userfield.add", add, &r);
        json_decref(add);
        if (rc != GR_OK) return rc;
        if ((rc = transport(&r)) != GR_OK) {
            set_error(e, "crm.contact.userfield.add", &r);
            crm_b24_reply_clear(&r);
            return rc;
        }
        if (r.cls != CRM_B24_OK) {
            LOG_W("the CRM refused the field %s (%s): face templates are not shared", CRM_FLEET_FIELD, r.message);
            crm_b24_reply_clear(&r);
            e->faces_field = -1;
            return GR_ERR_UNSUPPORTED;
        }
        crm_b24_reply_clear(&r);
        LOG_I("created the contact field %s", CRM_FLEET_FIELD);
    }
    e->faces_field = 1;
    if (crm_outbox_state_set(e->st, TARGET, "faces_field", "1") != GR_OK) LOG_W("could not store the sync state");
    return GR_OK;
}

/* ---- pull ---------------------------------------------------------------- */

static int64_t local_of(crm_sync_engine_t *e, const char *remote) {
    sqlite3_stmt *s = NULL;
    int64_t id = 0;
    if (sqlite3_prepare_v2(crm_store_db(e->st),
                           "SELECT min(local_id) FROM remote_ids WHERE target='" TARGET
                           "' AND entity='contact' AND remote_id=?",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, remote, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW) id = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return id;
}

/* The integer result of sql with ?1 = a; 0 when there is none (or on an error, logged). */
static int64_t query1(crm_store_t *st, const char *sql, int64_t a) {
    int64_t v = 0;
    (void)crm_query_int(st, sql, a, &v);
    return v;
}

static int clear_synced(crm_store_t *st, int64_t contact, size_t *cleared) {
    int64_t n = query1(st,
                       "SELECT count(*) FROM face_templates WHERE source='sync' AND person_id IN "
                       "(SELECT id FROM people WHERE contact_id=?1)",
                       contact);
    if (n == 0) return GR_OK;
    (*cleared)++;
    LOG_I("contact %lld: face templates withdrawn or erased in the CRM: %lld removed", (long long)contact,
          (long long)n);
    return crm_exec_ids(st,
                        "DELETE FROM face_templates WHERE source='sync' AND person_id IN "
                        "(SELECT id FROM people WHERE contact_id=?1)",
                        contact, 0);
}

/* Multi-field values of a list record as a plain string array. */
static json_t *values_of(json_t *rec, const char *kind, int phone) {
    json_t *out = json_array(), *x;
    size_t i;
    json_array_foreach(json_object_get(rec, kind), i, x) {
        const char *v = json_string_value(json_object_get(x, "VALUE"));
        if (!v || !*v) continue;
        json_array_append_new(out, phone ? json_pack("{s:s,s:s}", "number", v, "type", "work") : json_string(v));
    }
    return out;
}

/* The person's synced templates are exactly these (same order). */
static int same_templates(crm_store_t *st, int64_t person, const unsigned char *tm, size_t nt) {
    sqlite3_stmt *s = NULL;
    size_t k = 0;
    int same = 1;
    if (sqlite3_prepare_v2(crm_store_db(st),
                           "SELECT descriptor FROM face_templates WHERE person_id=? AND source='sync' ORDER BY id", -1,
                           &s, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(s, 1, person);
    while (same && sqlite3_step(s) == SQLITE_ROW) {
        if (k >= nt || sqlite3_column_bytes(s, 0) != FMT_DESC_BYTES ||
            memcmp(sqlite3_column_blob(s, 0), tm + k * FMT_DESC_BYTES, FMT_DESC_BYTES) != 0)
            same = 0;
        k++;
    }
    sqlite3_finalize(s);
    return same && k == nt;
}

static int pull_one(crm_sync_engine_t *e, json_t *rec, crm_fleet_pull_t *res) {
    char remote[32], origin_prefix[80];
    json_t *idv = json_object_get(rec, "ID");
    long long rid = json_is_integer(idv) ? json_integer_value(idv) : json_is_string(idv) ? strtoll(json_string_value(idv), NULL, 10) : 0;
    if (rid <= 0) return GR_OK;
    snprintf(remote, sizeof remote, "%lld", rid);
    snprintf(origin_prefix, sizeof origin_prefix, "%s:", e->device_id);
    const char *origin = json_string_value(json_object_get(rec, "ORIGIN_ID"));
    if (origin && strncmp(origin, origin_prefix, strlen(origin_prefix)) == 0) return GR_OK; /* our own */
    res->seen++;
    unsigned char *tm = NULL;
    size_t nt = 0;
    const char *faces = json_string_value(json_object_get(rec, CRM_FLEET_FIELD));
    if (crm_sync_fleet_decode(faces, &tm, &nt) != GR_OK) {
        LOG_W("CRM contact %s: %s is malformed; ignored", remote, CRM_FLEET_FIELD);
        return GR_OK;
    }
    int64_t local = local_of(e, remote);
    int rc = crm_store_begin(e->st);
    if (rc != GR_OK) goto out;
    if (nt == 0) {
        if (local) rc = clear_synced(e->st, local, &res->cleared);
        goto done;
    }
    if (!local) {
        int64_t before = query1(e->st, "SELECT coalesce(max(id),0) FROM outbox WHERE ?1=?1", 0);
        json_t *in = json_pack("{s:s,s:s,s:o,s:o,s:b}", "given_name",
                               json_string_value(json_object_get(rec, "NAME")) ?: "", "family_name",
                               json_string_value(json_object_get(rec, "LAST_NAME")) ?: "", "emails",
                               values_of(rec, "EMAIL", 0), "phones", values_of(rec, "PHONE", 1), "consent_face", 1);
        json_t *out = NULL;
        char err[256];
        rc = in ? crm_contact_create(e->st, in, "sync", &out, err, sizeof err) : GR_ERR_NOMEM;
        json_decref(in);
        if (rc != GR_OK) {
            LOG_W("CRM contact %s cannot be stored here (%s); skipped", remote, err);
            json_decref(out);
            rc = GR_OK;
            goto done;
        }
        local = json_integer_value(json_object_get(out, "id"));
        json_decref(out);
        /* It came from the CRM: no echo back, just the link. */
        sqlite3_stmt *s = NULL;
        rc = sqlite3_prepare_v2(crm_store_db(e->st), "DELETE FROM outbox WHERE id>? AND entity='contact' AND local_id=?",
                                -1, &s, NULL) == SQLITE_OK ? GR_OK : GR_ERR_DB;
        if (rc == GR_OK) {
            sqlite3_bind_int64(s, 1, before);
            sqlite3_bind_int64(s, 2, local);
            if (sqlite3_step(s) != SQLITE_DONE) rc = GR_ERR_DB;
        }
        sqlite3_finalize(s);
        if (rc == GR_OK) rc = crm_outbox_remote_set(e->st, TARGET, "contact", local, remote, NULL);
        res->added++;
    } else {
        res->updated++;
    }
    if (rc != GR_OK) goto done;
    int64_t person = query1(e->st, "SELECT coalesce(min(id),0) FROM people WHERE contact_id=?1 AND known=1", local);
    if (!person) {
        sqlite3_stmt *s = NULL;
        rc = sqlite3_prepare_v2(crm_store_db(e->st),
                                "INSERT INTO people(label, known, contact_id, consent, consent_at) VALUES "
                                "(?, 1, ?, 1, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
                                -1, &s, NULL) == SQLITE_OK ? GR_OK : GR_ERR_DB;
        if (rc == GR_OK) {
            char label[300];
            snprintf(label, sizeof label, "%s %s", json_string_value(json_object_get(rec, "NAME")) ?: "",
                     json_string_value(json_object_get(rec, "LAST_NAME")) ?: "");
            sqlite3_bind_text(s, 1, label, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(s, 2, local);
            rc = sqlite3_step(s) == SQLITE_DONE ? GR_OK : GR_ERR_DB;
        }
        sqlite3_finalize(s);
        person = sqlite3_last_insert_rowid(crm_store_db(e->st));
    }
    if (rc == GR_OK && same_templates(e->st, person, tm, nt)) goto done; /* unchanged: the gallery stays */
    if (rc == GR_OK) rc = crm_exec_ids(e->st, "DELETE FROM face_templates WHERE person_id=?1 AND source='sync'", person, 0);
    for (size_t i = 0; i < nt && rc == GR_OK; i++) {
        sqlite3_stmt *s = NULL;
        rc = sqlite3_prepare_v2(crm_store_db(e->st),
                                "INSERT INTO face_templates(person_id, descriptor, quality, source) VALUES (?,?,0,'sync')",
                                -1, &s, NULL) == SQLITE_OK ? GR_OK : GR_ERR_DB;
        if (rc == GR_OK) {
            sqlite3_bind_int64(s, 1, person);
            sqlite3_bind_blob(s, 2, tm + i * FMT_DESC_BYTES, FMT_DESC_BYTES, SQLITE_STATIC);
            rc = sqlite3_step(s) == SQLITE_DONE ? GR_OK : GR_ERR_DB;
        }
        sqlite3_finalize(s);
    }
done:
    if (rc == GR_OK) rc = crm_store_commit(e->st);
    if (rc != GR_OK) crm_store_rollback(e->st);
out:
    free(tm);
    return rc;
}

/* Contacts pulled here whose CRM record is gone: their synced templates go. */
static int check_erased(crm_sync_engine_t *e, crm_fleet_pull_t *res) {
    sqlite3_stmt *s = NULL;
    json_t *ids = json_array(), *locals = json_array();
    int rc = sqlite3_prepare_v2(crm_store_db(e->st),
                                "SELECT DISTINCT p.contact_id, r.remote_id FROM people p "
                                "JOIN face_templates t ON t.person_id=p.id AND t.source='sync' "
                                "JOIN remote_ids r ON r.target='" TARGET "' AND r.entity='contact' AND r.local_id=p.contact_id "
                                "LIMIT 50",
                                -1, &s, NULL) == SQLITE_OK ? GR_OK : GR_ERR_DB;
    while (rc == GR_OK && sqlite3_step(s) == SQLITE_ROW) {
        json_array_append_new(locals, json_integer(sqlite3_column_int64(s, 0)));
        json_array_append_new(ids, json_string((const char *)sqlite3_column_text(s, 1)));
    }
    sqlite3_finalize(s);
    if (rc != GR_OK || json_array_size(ids) == 0) goto out;
    crm_b24_reply_t r;
    memset(&r, 0, sizeof r);
    json_t *q = json_pack("{s:i,s:{s:O},s:[s],s:i}", "entityTypeId", crm_b24_entity_type("contact"), "filter", "@id",
                          ids, "select", "id", "start", -1);
    rc = crm_b24_call(e->b24, "crm.item.list", q, &r);
    json_decref(q);
    if (rc == GR_OK) rc = transport(&r);
    json_t *items = json_object_get(r.result, "items");
    if (rc == GR_OK && r.cls == CRM_B24_OK && json_is_array(items)) {
        size_t i;
        json_t *x;
        json_array_foreach(ids, i, x) {
            int present = 0;
            size_t j;
            json_t *y;
            json_array_foreach(items, j, y) {
                json_t *v = json_object_get(y, "id");
                char b[32];
                snprintf(b, sizeof b, "%lld",
                         json_is_integer(v) ? (long long)json_integer_value(v)
                                            : json_is_string(v) ? strtoll(json_string_value(v), NULL, 10) : 0);
                if (strcmp(b, json_string_value(x)) == 0) present = 1;
            }
            if (present) continue;
            int64_t local = json_integer_value(json_array_get(locals, i));
            if ((rc = crm_store_begin(e->st)) != GR_OK) break;
            rc = clear_synced(e->st, local, &res->cleared);
            if (rc == GR_OK) rc = crm_outbox_remote_del(e->st, TARGET, "contact", local);
            if (rc == GR_OK) rc = crm_store_commit(e->st);
            if (rc != GR_OK) crm_store_rollback(e->st);
        }
    } else if (rc != GR_OK) {
        set_error(e, "erasure check", &r);
    }
    crm_b24_reply_clear(&r);
out:
    json_decref(ids);
    json_decref(locals);
    return rc;
}

int crm_sync_fleet_pull(crm_sync_engine_t *e, crm_fleet_pull_t *res) {
    memset(res, 0, sizeof *res);
    char last[64] = "", newest[64] = "";
    if (crm_outbox_state_get(e->st, TARGET, "last_pull", last, sizeof last) != GR_OK) last[0] = '\0';
    snprintf(newest, sizeof newest, "%s", last);
    long long start = 0;
    char faces[64];
    crm_b24_camel(CRM_FLEET_FIELD, faces, sizeof faces);
    for (int page = 0; page < 1000; page++) {
        /* crm.item.list of contacts; its items are read in the per-entity
         * form (ID, NAME, EMAIL [..], DATE_MODIFY, UF_CRM_..) below. */
        json_t *q = json_pack("{s:i,s:o,s:[s,s,s,s,s,s],s:{s:s},s:I}", "entityTypeId", crm_b24_entity_type("contact"),
                              "filter", last[0] ? json_pack("{s:s}", ">=updatedTime", last) : json_object(), "select",
                              "id", "name", "lastName", "fm", "originId", "updatedTime", "order", "id", "ASC", "start",
                              (json_int_t)start);
        if (q) json_array_append_new(json_object_get(q, "select"), json_string(faces));
        crm_b24_reply_t r;
        memset(&r, 0, sizeof r);
        int rc = q ? crm_b24_call(e->b24, "crm.item.list", q, &r) : GR_ERR_NOMEM;
        json_decref(q);
        if (rc != GR_OK) return rc;
        json_t *items = json_object_get(r.result, "items");
        if ((rc = transport(&r)) != GR_OK || r.cls != CRM_B24_OK || !json_is_array(items)) {
            if (r.cls == CRM_B24_OK)
                snprintf(e->last_error, sizeof e->last_error, "contact pull: reply is not a list");
            else
                set_error(e, "contact pull", &r);
            crm_b24_reply_clear(&r);
            return rc != GR_OK ? rc : GR_ERR_NET;
        }
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it) {
            json_t *x = crm_b24_item_legacy(it);
            if (!x) continue;
            rc = pull_one(e, x, res);
            const char *dm = json_string_value(json_object_get(x, "DATE_MODIFY"));
            if (rc == GR_OK && dm && strlen(dm) < sizeof newest && strcmp(dm, newest) > 0)
                snprintf(newest, sizeof newest, "%s", dm);
            json_decref(x);
            if (rc != GR_OK) break;
        }
        long long next = r.next;
        crm_b24_reply_clear(&r);
        if (rc != GR_OK) return rc;
        if (next <= start) break;
        start = next;
    }
    if (newest[0] && crm_outbox_state_set(e->st, TARGET, "last_pull", newest) != GR_OK) return GR_ERR_DB;
    return check_erased(e, res);
}
