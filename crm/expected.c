/* expected.c - expected visitors and the host's arrival notice (expected.h). */
#define GR_LOG_MODULE "crm"
#include "crm/expected.h"

#include "crm/contacts.h"
#include "crm/crmutil.h"
#include "crm/notify.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define EXP_COLS "id, day, name, company, contact_id, host, note, arrived_at, visit_id, created_by, created_at"

static json_t *exp_row(sqlite3_stmt *s) {
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", crm_col(s, 0), "day", crm_col(s, 1), "name",
                     crm_col(s, 2), "company", crm_col(s, 3), "contact_id", crm_col(s, 4), "host", crm_col(s, 5),
                     "note", crm_col(s, 6), "arrived_at", crm_col(s, 7), "visit_id", crm_col(s, 8), "created_by",
                     crm_col(s, 9), "created_at", crm_col(s, 10));
}

static void today(char day[11]) {
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(day, 11, "%Y-%m-%d", &tm);
}

static int day_ok(const char *d) {
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)d[i])) return 0;
    int m = (d[5] - '0') * 10 + (d[6] - '0'), dd = (d[8] - '0') * 10 + (d[9] - '0');
    return m >= 1 && m <= 12 && dd >= 1 && dd <= 31;
}

static int exp_get(crm_store_t *st, int64_t id, json_t **out) {
    return crm_get_row(st, "expected get", "SELECT " EXP_COLS " FROM expected_visitors WHERE id = ?1", id, exp_row, out);
}

int crm_expected_add(crm_store_t *st, json_t *in, const char *actor, json_t **out, char *err, size_t errlen) {
    *out = NULL;
    if (!json_is_object(in)) return crm_fail(GR_ERR_INVAL, err, errlen, "expected visitor: expected a JSON object");
    const char *name = NULL, *company = NULL, *host = NULL, *note = NULL, *day = NULL;
    int64_t contact_id = 0;
    int r;
    if ((r = crm_fld_str(in, "name", CRM_MAX_TEXT, &name, err, errlen)) < 0 ||
        (r = crm_fld_str(in, "company", CRM_MAX_TEXT, &company, err, errlen)) < 0 ||
        (r = crm_fld_str(in, "host", 256, &host, err, errlen)) < 0 ||
        (r = crm_fld_str(in, "note", CRM_MAX_TEXT, &note, err, errlen)) < 0 ||
        (r = crm_fld_str(in, "day", 10, &day, err, errlen)) < 0 ||
        (r = crm_fld_id(in, "contact_id", &contact_id, err, errlen)) < 0)
        return r;
    char d[11];
    if (day && *day) {
        if (!day_ok(day)) return crm_fail(GR_ERR_INVAL, err, errlen, "day: YYYY-MM-DD");
        snprintf(d, sizeof d, "%s", day);
    } else {
        today(d);
    }
    json_t *contact = NULL;
    if (contact_id) {
        int rc = crm_contact_get(st, contact_id, &contact);
        if (rc == GR_ERR_NOTFOUND) return crm_fail(rc == GR_ERR_NOTFOUND ? GR_ERR_INVAL : rc, err, errlen,
                                                  "contact_id: no contact %lld", (long long)contact_id);
        if (rc != GR_OK) return rc;
        if (!name || !*name) name = crm_jstr(contact, "name");
        if (!company || !*company) company = crm_jstr(contact, "company");
        if (!host || !*host) host = crm_jstr(contact, "assigned_to");
    }
    int rc = GR_OK;
    if (!name || !*name) {
        rc = crm_fail(GR_ERR_INVAL, err, errlen, "name: required (or a contact_id)");
        goto out;
    }
    sqlite3_stmt *s = NULL;
    if ((rc = crm_prep(st, "INSERT INTO expected_visitors(day, name, company, contact_id, host, note, created_by) "
                           "VALUES (?1,?2,?3,?4,?5,?6,?7)", &s)) != GR_OK)
        goto out;
    sqlite3_bind_text(s, 1, d, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, company ? company : "", -1, SQLITE_STATIC);
    if (contact_id) sqlite3_bind_int64(s, 4, contact_id);
    sqlite3_bind_text(s, 5, host ? host : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, note ? note : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, actor ? actor : "", -1, SQLITE_STATIC);
    rc = crm_step_done(st, s, "expected insert");
    sqlite3_finalize(s);
    if (rc == GR_OK) {
        int64_t id = sqlite3_last_insert_rowid(crm_store_db(st));
        LOG_I("expected visitor %lld added for %s", (long long)id, d);
        rc = exp_get(st, id, out);
    }
out:
    json_decref(contact);
    return rc;
}

int crm_expected_list(crm_store_t *st, const char *day, json_t **out) {
    *out = NULL;
    char d[11];
    if (day && *day) {
        if (!day_ok(day)) return GR_ERR_INVAL;
        snprintf(d, sizeof d, "%s", day);
    } else {
        today(d);
    }
    crm_arg_t args[] = {CRM_ARG_TEXT(d)};
    json_t *page = NULL;
    int rc = crm_list_page(st, "expected list", "SELECT count(*) FROM expected_visitors WHERE day = ?1",
                           "SELECT " EXP_COLS " FROM expected_visitors WHERE day = ?1 ORDER BY id LIMIT ?2 OFFSET ?3",
                           args, 1, 500, 0, exp_row, &page);
    if (rc != GR_OK) return rc;
    *out = json_pack("{s:s,s:O}", "day", d, "items", json_object_get(page, "items"));
    json_decref(page);
    return *out ? GR_OK : GR_ERR_NOMEM;
}

int crm_expected_delete(crm_store_t *st, int64_t id) {
    int64_t n = 0;
    int rc = crm_query_int(st, "SELECT count(*) FROM expected_visitors WHERE id = ?1", id, &n);
    if (rc != GR_OK) return rc;
    if (!n) return GR_ERR_NOTFOUND;
    return crm_exec_ids(st, "DELETE FROM expected_visitors WHERE id = ?1", id, 0);
}

/* The host's e-mail address from the users table ("" when none). */
static void host_email(crm_store_t *st, const char *host, char *buf, size_t len) {
    buf[0] = 0;
    sqlite3_stmt *s = NULL;
    if (!*host || crm_prep(st, "SELECT email FROM users WHERE username = ?1", &s) != GR_OK) return;
    sqlite3_bind_text(s, 1, host, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(buf, len, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
}

int crm_expected_on_visit(crm_store_t *st, int64_t person_id, int64_t visit_id, int64_t contact_id, const char *label) {
    char d[11];
    today(d);
    char who[CRM_MAX_TEXT + 1] = "", company[CRM_MAX_TEXT + 1] = "", host[257] = "", note[CRM_MAX_TEXT + 1] = "";
    int64_t exp_id = 0;
    sqlite3_stmt *s = NULL;
    int rc;
    if (contact_id) {
        if ((rc = crm_prep(st, "SELECT c.name, coalesce(co.title, ''), c.assigned_to FROM contacts c "
                               "LEFT JOIN companies co ON co.id = c.company_id WHERE c.id = ?1", &s)) != GR_OK)
            return rc;
        sqlite3_bind_int64(s, 1, contact_id);
        if (sqlite3_step(s) == SQLITE_ROW) {
            snprintf(who, sizeof who, "%s", (const char *)sqlite3_column_text(s, 0));
            snprintf(company, sizeof company, "%s", (const char *)sqlite3_column_text(s, 1));
            snprintf(host, sizeof host, "%s", (const char *)sqlite3_column_text(s, 2));
        }
        sqlite3_finalize(s);
    }
    /* Expected today: by contact, else by name (the person's label or the contact's name). */
    if ((rc = crm_prep(st, "SELECT id, name, company, host, note FROM expected_visitors WHERE day = ?1 AND arrived_at IS NULL "
                           "AND ((?2 != 0 AND contact_id = ?2) OR (?3 != '' AND name = ?3 COLLATE NOCASE) OR "
                           "(?4 != '' AND name = ?4 COLLATE NOCASE)) ORDER BY (contact_id = ?2) DESC, id LIMIT 1", &s)) != GR_OK)
        return rc;
    sqlite3_bind_text(s, 1, d, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, contact_id);
    sqlite3_bind_text(s, 3, label ? label : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, who, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        exp_id = sqlite3_column_int64(s, 0);
        if (!who[0]) snprintf(who, sizeof who, "%s", (const char *)sqlite3_column_text(s, 1));
        if (!company[0]) snprintf(company, sizeof company, "%s", (const char *)sqlite3_column_text(s, 2));
        const char *h = (const char *)sqlite3_column_text(s, 3);
        if (h && *h) snprintf(host, sizeof host, "%s", h);
        snprintf(note, sizeof note, "%s", (const char *)sqlite3_column_text(s, 4));
    } else if (src != SQLITE_DONE) {
        rc = crm_store_error(st, src, "expected match");
    }
    sqlite3_finalize(s);
    if (rc != GR_OK) return rc;
    /* A known contact nobody looks after and nobody expects: no one to tell. */
    if (!exp_id && !host[0]) return GR_OK;
    if (exp_id && (rc = crm_exec_ids(st, "UPDATE expected_visitors SET arrived_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), "
                                         "visit_id = ?2 WHERE id = ?1", exp_id, visit_id)) != GR_OK)
        return rc;
    crm_opts_t opts;
    crm_store_opts(st, &opts);
    char subject[2 * CRM_MAX_TEXT + 64], body[4 * CRM_MAX_TEXT + 512], email[257], at[16];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(at, sizeof at, "%H:%M:%S", &tm);
    if (company[0]) snprintf(subject, sizeof subject, "%s (%s) is at reception", who, company);
    else snprintf(subject, sizeof subject, "%s is at reception", who);
    int k = snprintf(body, sizeof body, "%s.\nRecognised at %s at %s.\n", subject, opts.device_name, at);
    if (exp_id && k > 0 && (size_t)k < sizeof body)
        k += snprintf(body + k, sizeof body - (size_t)k, "Expected today%s%s.\n", host[0] ? ", visiting " : "", host);
    if (note[0] && k > 0 && (size_t)k < sizeof body) snprintf(body + k, sizeof body - (size_t)k, "Note: %s\n", note);
    host_email(st, host, email, sizeof email);
    int64_t nid = 0;
    rc = crm_notify_add_for(st, "arrival", host, email, subject, body, contact_id ? "contact" : "expected",
                            contact_id ? contact_id : exp_id, 1, &nid);
    if (rc == GR_OK)
        LOG_I("visit %lld of person %lld: host notified (notification %lld, expected %lld)", (long long)visit_id,
              (long long)person_id, (long long)nid, (long long)exp_id);
    return rc;
}
