#define GR_LOG_MODULE "crm"
#include "crm/leads.h"

#include "crm/activity.h"
#include "crm/contacts.h"
#include "crm/crmutil.h"
#include "crm/record_internal.h"
#include "crm/companies.h"
#include "crm/deals.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "crm/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA_MAX 65536

static const char *const statuses[] = {"NEW", "IN_PROCESS", "CONVERTED", "JUNK"};
static const char *const sources[] = {"face_visit", "card_scan", "manual"};

static int in_list(const char *v, const char *const *list, size_t n) {
    for (size_t i = 0; v && i < n; i++)
        if (!strcmp(v, list[i])) return 1;
    return 0;
}

int crm_lead_status_valid(const char *status) { return in_list(status, statuses, 4); }
int crm_lead_source_valid(const char *source) { return in_list(source, sources, 3); }

static int transition_ok(const char *from, const char *to) {
    if (!strcmp(from, to)) return 1;
    if (!strcmp(from, "NEW")) return !strcmp(to, "IN_PROCESS") || !strcmp(to, "JUNK");
    if (!strcmp(from, "IN_PROCESS")) return !strcmp(to, "NEW") || !strcmp(to, "JUNK");
    return 0;
}

#define LEAD_COLS "l.id, l.title, l.status, l.source, l.contact_id, l.person_id, l.scan_id, l.assigned_to, l.data, " \
    "l.created_at, l.updated_at, c.name, l.rating, l.temperature, l.interests, l.note, l.event, l.follow_up"

#define LEAD_UPDATE "UPDATE leads SET title = coalesce(?2, title), status = coalesce(?3, status), " \
    "contact_id = CASE WHEN ?4 THEN ?5 ELSE contact_id END, assigned_to = coalesce(?6, assigned_to), " \
    "data = coalesce(?7, data), rating = coalesce(?8, rating), temperature = coalesce(?9, temperature), " \
    "interests = coalesce(?10, interests), note = coalesce(?11, note), event = coalesce(?12, event), " \
    "follow_up = coalesce(?13, follow_up), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?1"

static json_t *lead_row(sqlite3_stmt *s) {
    json_t *interests = crm_col_json(s, 14);
    if (!json_is_array(interests)) {
        json_decref(interests);
        interests = json_array();
    }
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", crm_col(s, 0),
                     "title", crm_col(s, 1), "status", crm_col(s, 2), "source", crm_col(s, 3), "contact_id",
                     crm_col(s, 4), "person_id", crm_col(s, 5), "scan_id", crm_col(s, 6), "assigned_to", crm_col(s, 7),
                     "data", crm_col_json(s, 8), "created_at", crm_col(s, 9), "updated_at", crm_col(s, 10),
                     "contact_name", crm_col(s, 11), "rating", crm_col(s, 12), "temperature", crm_col(s, 13),
                     "interests", interests, "note", crm_col(s, 15), "event", crm_col(s, 16), "follow_up",
                     crm_col(s, 17));
}

int crm_lead_get(crm_store_t *st, int64_t id, json_t **out) {
    return crm_get_row(st, "lead get",
                       "SELECT " LEAD_COLS " FROM leads l LEFT JOIN contacts c ON c.id = l.contact_id WHERE l.id = ?1",
                       id, lead_row, out);
}

typedef struct {
    const char *title, *status, *source, *assigned_to;
    int64_t contact_id, person_id, scan_id;
    int has_contact, has_person, has_scan, has_rating;
    json_t *data;
    /* the qualification (migration 0009) */
    double rating;
    const char *temperature, *note, *event, *follow_up;
    char *interests; /* JSON array text, malloc'd (lead_in_free) */
} lead_in_t;

static void lead_in_free(lead_in_t *l) {
    free(l->interests);
    l->interests = NULL;
}

#define MAX_INTERESTS 32

/* interests: an array of up to 32 non-empty strings of at most 64 bytes,
 * kept as JSON text in *out (malloc'd); absent leaves *out NULL. */
static int parse_interests(json_t *in, char **out, char *err, size_t errlen) {
    json_t *v = json_object_get(in, "interests");
    if (!v) return GR_OK;
    if (json_is_null(v)) v = json_array();
    else json_incref(v);
    if (!json_is_array(v) || json_array_size(v) > MAX_INTERESTS) {
        json_decref(v);
        return crm_fail(GR_ERR_INVAL, err, errlen, "interests: a list of at most %d tags", MAX_INTERESTS);
    }
    size_t i;
    json_t *t;
    json_array_foreach(v, i, t) {
        const char *tag = json_string_value(t);
        if (!tag || !*tag || strlen(tag) > 64) {
            json_decref(v);
            return crm_fail(GR_ERR_INVAL, err, errlen, "interests: each tag is text of 1 to 64 bytes");
        }
    }
    *out = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    return *out ? GR_OK : GR_ERR_NOMEM;
}

/* YYYY-MM-DD with a plausible month and day, or "". */
static int date_ok(const char *d) {
    if (!*d) return 1;
    int y, m, day;
    char tail;
    if (strlen(d) != 10 || sscanf(d, "%4d-%2d-%2d%c", &y, &m, &day, &tail) != 3) return 0;
    return d[4] == '-' && d[7] == '-' && y >= 2000 && y <= 2999 && m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

static int check_ref(crm_store_t *st, const char *sql, const char *field, int64_t id, char *err, size_t errlen) {
    int64_t n = 0;
    if (!id) return GR_OK;
    int rc = crm_query_int(st, sql, id, &n);
    if (rc != GR_OK) return rc;
    return n ? GR_OK : crm_fail(GR_ERR_INVAL, err, errlen, "%s: no record %lld", field, (long long)id);
}

static int parse_lead(json_t *in, lead_in_t *l, char *err, size_t errlen) {
    memset(l, 0, sizeof *l);
    if (!json_is_object(in)) return crm_fail(GR_ERR_INVAL, err, errlen, "lead: expected a JSON object");
    int r;
    if ((r = crm_fld_str(in, "title", CRM_MAX_TEXT, &l->title, err, errlen)) < 0) return r;
    if ((r = crm_fld_str(in, "status", 32, &l->status, err, errlen)) < 0) return r;
    if ((r = crm_fld_str(in, "source", 32, &l->source, err, errlen)) < 0) return r;
    if ((r = crm_fld_str(in, "assigned_to", 256, &l->assigned_to, err, errlen)) < 0) return r;
    if ((r = crm_fld_id(in, "contact_id", &l->contact_id, err, errlen)) < 0) return r;
    l->has_contact = r;
    if ((r = crm_fld_id(in, "person_id", &l->person_id, err, errlen)) < 0) return r;
    l->has_person = r;
    if ((r = crm_fld_id(in, "scan_id", &l->scan_id, err, errlen)) < 0) return r;
    l->has_scan = r;
    if (l->status && !crm_lead_status_valid(l->status))
        return crm_fail(GR_ERR_INVAL, err, errlen, "status: must be NEW, IN_PROCESS, CONVERTED or JUNK");
    if (l->source && !crm_lead_source_valid(l->source))
        return crm_fail(GR_ERR_INVAL, err, errlen, "source: must be face_visit, card_scan or manual");
    if ((r = crm_fld_num(in, "rating", 0, 5, &l->rating, err, errlen)) < 0) return r;
    l->has_rating = r;
    if (r && l->rating != (int)l->rating) return crm_fail(GR_ERR_INVAL, err, errlen, "rating: a whole number of stars, 0 to 5");
    if ((r = crm_fld_str(in, "temperature", 8, &l->temperature, err, errlen)) < 0) return r;
    if (l->temperature && *l->temperature && strcmp(l->temperature, "hot") && strcmp(l->temperature, "warm") &&
        strcmp(l->temperature, "cold"))
        return crm_fail(GR_ERR_INVAL, err, errlen, "temperature: must be hot, warm, cold or empty");
    if ((r = crm_fld_str(in, "note", CRM_MAX_TEXT, &l->note, err, errlen)) < 0) return r;
    if ((r = crm_fld_str(in, "event", 256, &l->event, err, errlen)) < 0) return r;
    if ((r = crm_fld_str(in, "follow_up", 10, &l->follow_up, err, errlen)) < 0) return r;
    if (l->follow_up && !date_ok(l->follow_up))
        return crm_fail(GR_ERR_INVAL, err, errlen, "follow_up: a date YYYY-MM-DD or empty");
    if ((r = parse_interests(in, &l->interests, err, errlen)) != GR_OK) return r;
    json_t *d = json_object_get(in, "data");
    if (d && !json_is_null(d)) {
        if (!json_is_object(d)) return crm_fail(GR_ERR_INVAL, err, errlen, "data: must be an object");
        char *text = json_dumps(d, JSON_COMPACT);
        size_t len = text ? strlen(text) : 0;
        free(text);
        if (len > DATA_MAX) return crm_fail(GR_ERR_INVAL, err, errlen, "data: larger than %d bytes", DATA_MAX);
        l->data = d;
    }
    return GR_OK;
}

/* A readable title from the captured fields when none is given:
 * "Full Name (Company)", the name from given + family name when the data
 * has no display name. */
static void derive_title(json_t *data, char *buf, size_t len) {
    const char *name = json_string_value(json_object_get(data, "name"));
    const char *company = json_string_value(json_object_get(data, "company"));
    const char *given = json_string_value(json_object_get(data, "given_name"));
    const char *family = json_string_value(json_object_get(data, "family_name"));
    char full[CRM_MAX_TEXT + 1];
    if ((!name || !*name) && ((given && *given) || (family && *family))) {
        snprintf(full, sizeof full, "%.500s%s%.500s", given ? given : "", given && *given && family && *family ? " " : "",
                 family ? family : "");
        name = full;
    }
    if (name && *name && company && *company) snprintf(buf, len, "%.400s (%.400s)", name, company);
    else if (name && *name) snprintf(buf, len, "%.800s", name);
    else if (company && *company) snprintf(buf, len, "%.800s", company);
    else buf[0] = 0;
}

int crm_lead_create(crm_store_t *st, json_t *in, const char *actor, json_t **out, char *err, size_t errlen) {
    *out = NULL;
    lead_in_t l;
    int rc = parse_lead(in, &l, err, errlen);
    if (rc != GR_OK) {
        lead_in_free(&l);
        return rc;
    }
    char title[CRM_MAX_TEXT + 1];
    if (l.title && *l.title) snprintf(title, sizeof title, "%s", l.title);
    else derive_title(l.data, title, sizeof title);
    const char *status = l.status ? l.status : "NEW";
    if (!title[0]) rc = crm_fail(GR_ERR_INVAL, err, errlen, "title: required (or data with a name or company)");
    else if (strcmp(status, "NEW") && strcmp(status, "IN_PROCESS"))
        rc = crm_fail(GR_ERR_INVAL, err, errlen, "status: a new lead is NEW or IN_PROCESS");
    crm_tx_t tx;
    if (rc == GR_OK) rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) {
        lead_in_free(&l);
        return rc;
    }
    sqlite3_stmt *s = NULL;
    char *data = NULL;
    int64_t id = 0;
    if ((rc = check_ref(st, "SELECT count(*) FROM contacts WHERE id = ?1", "contact_id", l.contact_id, err, errlen)) ||
        (rc = check_ref(st, "SELECT count(*) FROM people WHERE id = ?1", "person_id", l.person_id, err, errlen)) ||
        (rc = check_ref(st, "SELECT count(*) FROM card_scans WHERE id = ?1", "scan_id", l.scan_id, err, errlen)))
        goto fail;
    data = l.data ? json_dumps(l.data, JSON_COMPACT) : NULL;
    if ((rc = crm_prep(st, "INSERT INTO leads(title, status, source, contact_id, person_id, scan_id, assigned_to, data, "
                           "rating, temperature, interests, note, event, follow_up) "
                           "VALUES (?1,?2,?3,?4,?5,?6,?7,coalesce(?8,'{}'),?9,?10,coalesce(?11,'[]'),?12,?13,?14)", &s)) != GR_OK)
        goto fail;
    sqlite3_bind_int(s, 9, (int)l.rating);
    sqlite3_bind_text(s, 10, l.temperature ? l.temperature : "", -1, SQLITE_STATIC);
    if (l.interests) sqlite3_bind_text(s, 11, l.interests, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 12, l.note ? l.note : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 13, l.event ? l.event : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 14, l.follow_up ? l.follow_up : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 1, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, l.source ? l.source : "manual", -1, SQLITE_STATIC);
    if (l.contact_id) sqlite3_bind_int64(s, 4, l.contact_id);
    if (l.person_id) sqlite3_bind_int64(s, 5, l.person_id);
    if (l.scan_id) sqlite3_bind_int64(s, 6, l.scan_id);
    sqlite3_bind_text(s, 7, l.assigned_to ? l.assigned_to : "", -1, SQLITE_STATIC);
    if (data) sqlite3_bind_text(s, 8, data, -1, SQLITE_STATIC);
    rc = crm_step_done(st, s, "lead insert");
    sqlite3_finalize(s);
    if (rc != GR_OK) goto fail;
    id = sqlite3_last_insert_rowid(crm_store_db(st));
    if ((rc = crm_activity_add(st, "lead", id, "created", actor, NULL)) != GR_OK) goto fail;
    /* The responsible manager hears of every new lead. */
    char subject[CRM_MAX_TEXT + 64], body[CRM_MAX_TEXT * 2 + 256];
    snprintf(subject, sizeof subject, "New lead: %s", title);
    snprintf(body, sizeof body, "A new lead arrived (%s): %s\nLead #%lld, status %s.\n",
             l.source ? l.source : "manual", title, (long long)id, status);
    rc = crm_notify_add(st, subject, body, "lead", id, 1, NULL);
fail:
    free(data);
    rc = crm_record_created(st, &tx, rc, "lead", id, crm_lead_get, out);
    lead_in_free(&l);
    return rc;
}

/* Check a lead's patch against the lead and bind it (crm_record_update). */
static int update_bind(crm_store_t *st, const void *in, json_t *old, sqlite3_stmt *s, const char **kind,
                       json_t **detail, char *err, size_t errlen) {
    const lead_in_t *l = in;
    const char *from = json_string_value(json_object_get(old, "status"));
    if (l->status && !strcmp(l->status, "CONVERTED") && strcmp(from, "CONVERTED"))
        return crm_fail(GR_ERR_INVAL, err, errlen, "status: a lead becomes CONVERTED only by converting it");
    if (l->status && !transition_ok(from, l->status))
        return crm_fail(GR_ERR_INVAL, err, errlen, "status: cannot go from %s to %s", from, l->status);
    int rc = check_ref(st, "SELECT count(*) FROM contacts WHERE id = ?1", "contact_id", l->contact_id, err, errlen);
    if (rc != GR_OK) return rc;
    if (l->title) sqlite3_bind_text(s, 2, l->title, -1, SQLITE_STATIC);
    if (l->status) sqlite3_bind_text(s, 3, l->status, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, l->has_contact);
    if (l->contact_id) sqlite3_bind_int64(s, 5, l->contact_id);
    if (l->assigned_to) sqlite3_bind_text(s, 6, l->assigned_to, -1, SQLITE_STATIC);
    char *data = l->data ? json_dumps(l->data, JSON_COMPACT) : NULL;
    if (data) sqlite3_bind_text(s, 7, data, -1, free);
    if (l->has_rating) sqlite3_bind_int(s, 8, (int)l->rating);
    if (l->temperature) sqlite3_bind_text(s, 9, l->temperature, -1, SQLITE_STATIC);
    if (l->interests) sqlite3_bind_text(s, 10, l->interests, -1, SQLITE_STATIC);
    if (l->note) sqlite3_bind_text(s, 11, l->note, -1, SQLITE_STATIC);
    if (l->event) sqlite3_bind_text(s, 12, l->event, -1, SQLITE_STATIC);
    if (l->follow_up) sqlite3_bind_text(s, 13, l->follow_up, -1, SQLITE_STATIC);
    return crm_record_moved("status", from, l->status, kind, detail);
}

int crm_lead_update(crm_store_t *st, int64_t id, json_t *patch, const char *actor, json_t **out, char *err,
                    size_t errlen) {
    *out = NULL;
    lead_in_t l;
    int rc = parse_lead(patch, &l, err, errlen);
    if (rc == GR_OK && l.source) rc = crm_fail(GR_ERR_INVAL, err, errlen, "source: cannot be changed");
    if (rc == GR_OK && l.title && !*l.title) rc = crm_fail(GR_ERR_INVAL, err, errlen, "title: must not be empty");
    static const crm_record_ops_t ops = {.entity = "lead", .update_sql = LEAD_UPDATE, .get = crm_lead_get,
                                         .bind = update_bind};
    if (rc == GR_OK) rc = crm_record_update(st, &ops, id, patch, &l, actor, out, err, errlen);
    lead_in_free(&l);
    return rc;
}

int crm_lead_delete(crm_store_t *st, int64_t id, const char *actor) {
    return crm_record_delete(st, "lead", id, actor, crm_lead_get, NULL, "DELETE FROM leads WHERE id = ?1");
}

int crm_lead_list(crm_store_t *st, const char *q, const char *status, int limit, int offset, json_t **out) {
    *out = NULL;
    if (status && *status && !crm_lead_status_valid(status)) return GR_ERR_INVAL;
    int nomem = 0;
    char *pat = crm_like_pattern(q, &nomem);
    if (nomem) return GR_ERR_NOMEM;
#define LEAD_WHERE " FROM leads l LEFT JOIN contacts c ON c.id = l.contact_id WHERE (?1 IS NULL OR l.status = ?1) " \
    "AND (?2 IS NULL OR l.title LIKE ?2 ESCAPE '\\' OR l.data LIKE ?2 ESCAPE '\\' OR c.name LIKE ?2 ESCAPE '\\' " \
    "OR l.note LIKE ?2 ESCAPE '\\' OR l.event LIKE ?2 ESCAPE '\\' OR l.interests LIKE ?2 ESCAPE '\\')"
    crm_arg_t args[] = {CRM_ARG_TEXT(status && *status ? status : NULL), CRM_ARG_TEXT(pat)};
    int rc = crm_list_page(st, "lead list", "SELECT count(*)" LEAD_WHERE,
                           "SELECT " LEAD_COLS LEAD_WHERE " ORDER BY l.id DESC LIMIT ?3 OFFSET ?4", args, 2, limit,
                           offset, lead_row, out);
    free(pat);
    return rc;
}

int crm_lead_convert(crm_store_t *st, int64_t lead_id, const char *actor, json_t **out, char *err, size_t errlen) {
    *out = NULL;
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    json_t *lead = NULL, *contact = NULL, *company = NULL, *deal = NULL, *din = NULL;
    if ((rc = crm_lead_get(st, lead_id, &lead)) != GR_OK) {
        if (rc == GR_ERR_NOTFOUND) crm_fail(rc, err, errlen, "no lead %lld", (long long)lead_id);
        goto fail;
    }
    const char *status = json_string_value(json_object_get(lead, "status"));
    if (!strcmp(status, "CONVERTED") || !strcmp(status, "JUNK")) {
        rc = crm_fail(GR_ERR_INVAL, err, errlen, "lead %lld is %s and cannot be converted", (long long)lead_id, status);
        goto fail;
    }
    const char *title = json_string_value(json_object_get(lead, "title"));
    int64_t contact_id = json_integer_value(json_object_get(lead, "contact_id"));
    if (contact_id) {
        if ((rc = crm_contact_get(st, contact_id, &contact)) != GR_OK) goto fail;
        json_t *m = json_object_get(contact, "merged_into");
        if (json_is_integer(m)) {
            contact_id = json_integer_value(m);
            json_decref(contact);
            contact = NULL;
            if ((rc = crm_contact_get(st, contact_id, &contact)) != GR_OK) goto fail;
        }
    } else {
        json_t *data = json_object_get(lead, "data");
        json_t *cin = json_is_object(data) ? json_deep_copy(data) : json_object();
        if (!cin) {
            rc = GR_ERR_NOMEM;
            goto fail;
        }
        const char *n = json_string_value(json_object_get(cin, "name"));
        if ((!n || !*n) && !json_string_value(json_object_get(cin, "given_name")) &&
            !json_string_value(json_object_get(cin, "family_name")))
            json_object_set_new(cin, "name", json_string(title));
        rc = crm_contact_create(st, cin, actor, &contact, err, errlen);
        json_decref(cin);
        if (rc != GR_OK) goto fail;
        contact_id = json_integer_value(json_object_get(contact, "id"));
    }
    int64_t company_id = json_integer_value(json_object_get(contact, "company_id"));
    if (company_id && (rc = crm_company_get(st, company_id, &company)) != GR_OK) goto fail;
    din = json_pack("{s:s,s:I,s:I}", "title", title, "contact_id", (json_int_t)contact_id, "lead_id",
                    (json_int_t)lead_id);
    if (!din) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    if (company_id) json_object_set_new(din, "company_id", json_integer(company_id));
    /* The lead's responsible user keeps the deal. */
    const char *owner = json_string_value(json_object_get(lead, "assigned_to"));
    if (owner && *owner) json_object_set_new(din, "assigned_to", json_string(owner));
    if ((rc = crm_deal_create(st, din, actor, &deal, err, errlen)) != GR_OK) goto fail;
    if ((rc = crm_exec_ids(st, "UPDATE leads SET status = 'CONVERTED', contact_id = ?2, "
                               "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?1", lead_id, contact_id)) !=
        GR_OK)
        goto fail;
    json_t *d = json_pack("{s:I,s:I}", "contact_id", (json_int_t)contact_id, "deal_id",
                          json_integer_value(json_object_get(deal, "id")));
    if (d && company_id) json_object_set_new(d, "company_id", json_integer(company_id));
    rc = d ? crm_activity_add(st, "lead", lead_id, "converted", actor, d) : GR_ERR_NOMEM;
    if (rc == GR_OK) rc = crm_outbox_json(st, "lead", lead_id, "convert", d);
    json_decref(d);
    if (rc != GR_OK) goto fail;
    json_decref(lead);
    lead = NULL;
    if ((rc = crm_lead_get(st, lead_id, &lead)) != GR_OK) goto fail;
    if ((rc = crm_tx_commit(&tx)) != GR_OK) goto fail_out;
    json_object_del(contact, "duplicates");
    *out = json_pack("{s:o,s:o,s:o,s:o}", "lead", lead, "contact", contact, "company", company ? company : json_null(),
                     "deal", deal);
    json_decref(din);
    return *out ? GR_OK : GR_ERR_NOMEM;
fail:
    crm_tx_rollback(&tx);
fail_out:
    json_decref(lead);
    json_decref(contact);
    json_decref(company);
    json_decref(deal);
    json_decref(din);
    return rc;
}
