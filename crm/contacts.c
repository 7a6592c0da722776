/* contacts.c - contact records: input checks, reading, create, update,
 * delete and linking a face identity (contacts.h). The search index and
 * the list are contact_search.c; duplicates and merging duplicates.c. */
#define GR_LOG_MODULE "crm"
#include "crm/contacts.h"

#include "crm/activity.h"
#include "crm/companies.h"
#include "crm/contact_search.h"
#include "crm/crmutil.h"
#include "crm/duplicates.h"
#include "crm/record_internal.h"
#include "firmware/core/err.h"
#include "firmware/formats/website.h"
#include "firmware/core/log.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPE_MAX 32

/* ---- input ---- */

typedef struct {
    const char *given, *family, *name, *title, *company, *address, *note, *assigned_to;
    int64_t company_id;
    int has_company_id;
    json_t *phones, *emails, *websites; /* borrowed, validated arrays */
    int consent_face, consent_mail, has_cf, has_cm;
} contact_in_t;

static int email_ok(const char *s) {
    const char *at = strchr(s, '@');
    if (!at || at == s || !at[1] || strchr(at + 1, '@')) return 0;
    for (const char *p = s; *p; p++)
        if (isspace((unsigned char)*p) || *p == ',' || *p == ';' || *p == '<' || *p == '>') return 0;
    return 1;
}

/* Phones: [{"number","type"} | "number"]; emails/websites: ["..."]. */
static int check_values(json_t *in, const char *key, const char *region, json_t **out, char *err, size_t errlen) {
    json_t *a = json_object_get(in, key);
    *out = NULL;
    if (!a) return 0;
    if (json_is_null(a)) a = NULL;
    else if (!json_is_array(a)) return crm_fail(GR_ERR_INVAL, err, errlen, "%s: must be an array", key);
    if (a && json_array_size(a) > CRM_MAX_VALUES)
        return crm_fail(GR_ERR_INVAL, err, errlen, "%s: more than %d values", key, CRM_MAX_VALUES);
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        json_t *s = v;
        if (!strcmp(key, "phones") && json_is_object(v)) {
            s = json_object_get(v, "number");
            json_t *t = json_object_get(v, "type");
            if (t && !json_is_null(t) && (!json_is_string(t) || json_string_length(t) > TYPE_MAX))
                return crm_fail(GR_ERR_INVAL, err, errlen, "%s[%zu].type: must be a string up to %d bytes", key,
                                i, TYPE_MAX);
        }
        if (!json_is_string(s))
            return crm_fail(GR_ERR_INVAL, err, errlen, "%s[%zu]: must be %s", key, i,
                            !strcmp(key, "phones") ? "a string or {\"number\",\"type\"}" : "a string");
        const char *t = json_string_value(s);
        if (strlen(t) != json_string_length(s))
            return crm_fail(GR_ERR_INVAL, err, errlen, "%s[%zu]: contains a NUL character", key, i);
        if (json_string_length(s) > CRM_MAX_TEXT)
            return crm_fail(GR_ERR_INVAL, err, errlen, "%s[%zu]: longer than %d bytes", key, i, CRM_MAX_TEXT);
        char p[CRM_MAX_TEXT + 1], norm[CRM_MAX_TEXT + 2];
        crm_trimcpy(p, sizeof p, t);
        if (!*p) continue; /* empty rows of a form are skipped */
        if (!strcmp(key, "websites") && !fmt_website_ok(p))
            return crm_fail(GR_ERR_INVAL, err, errlen, "%s[%zu]: \"%.60s\" is not an http(s) address", key, i, t);
        if (!strcmp(key, "emails") && !email_ok(p))
            return crm_fail(GR_ERR_INVAL, err, errlen, "%s[%zu]: \"%.60s\" is not an e-mail address", key, i, t);
        if (!strcmp(key, "phones") && crm_norm_phone(p, region, norm, sizeof norm) == 0)
            return crm_fail(GR_ERR_INVAL, err, errlen, "%s[%zu]: \"%.60s\" is not a phone number", key, i, t);
    }
    *out = a ? a : json_null();
    return 1;
}

static int parse_contact(json_t *in, const char *region, contact_in_t *c, char *err, size_t errlen) {
    memset(c, 0, sizeof *c);
    if (!json_is_object(in)) return crm_fail(GR_ERR_INVAL, err, errlen, "contact: expected a JSON object");
    int r;
    struct { const char *key; const char **dst; size_t max; } strs[] = {
        {"given_name", &c->given, CRM_MAX_TEXT}, {"family_name", &c->family, CRM_MAX_TEXT},
        {"name", &c->name, CRM_MAX_TEXT}, {"title", &c->title, CRM_MAX_TEXT},
        {"company", &c->company, CRM_MAX_TEXT}, {"address", &c->address, CRM_MAX_LONGTEXT},
        {"note", &c->note, CRM_MAX_LONGTEXT}, {"assigned_to", &c->assigned_to, 256},
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        if ((r = crm_fld_str(in, strs[i].key, strs[i].max, strs[i].dst, err, errlen)) < 0) return r;
    if ((r = crm_fld_id(in, "company_id", &c->company_id, err, errlen)) < 0) return r;
    c->has_company_id = r;
    if ((r = check_values(in, "phones", region, &c->phones, err, errlen)) < 0) return r;
    if ((r = check_values(in, "emails", region, &c->emails, err, errlen)) < 0) return r;
    if ((r = check_values(in, "websites", region, &c->websites, err, errlen)) < 0) return r;
    if ((r = crm_fld_bool(in, "consent_face", &c->consent_face, err, errlen)) < 0) return r;
    c->has_cf = r;
    if ((r = crm_fld_bool(in, "consent_mail", &c->consent_mail, err, errlen)) < 0) return r;
    c->has_cm = r;
    return GR_OK;
}

typedef struct {
    char given[CRM_MAX_TEXT + 1], family[CRM_MAX_TEXT + 1], name[2 * CRM_MAX_TEXT + 2];
} names_t;

/* Derive the missing parts: name from given + family, or given/family
 * split at the last space of name. */
static void compose_names(names_t *n, int name_given) {
    if (name_given && n->name[0] && !n->given[0] && !n->family[0]) {
        char *sp = strrchr(n->name, ' ');
        if (sp) {
            snprintf(n->given, sizeof n->given, "%.*s", (int)(sp - n->name), n->name);
            crm_trimcpy(n->family, sizeof n->family, sp + 1);
            char tmp[sizeof n->given];
            crm_trimcpy(tmp, sizeof tmp, n->given);
            memcpy(n->given, tmp, sizeof tmp);
        } else {
            crm_trimcpy(n->given, sizeof n->given, n->name);
        }
    } else if (!name_given || !n->name[0]) {
        char tmp[sizeof n->name];
        snprintf(tmp, sizeof tmp, "%s %s", n->given, n->family);
        crm_trimcpy(n->name, sizeof n->name, tmp);
    }
}

/* ---- output ---- */

struct crm_contact_reader {
    crm_store_t *st;
    sqlite3_stmt *row, *vals, *people;
};

void crm_contact_reader_close(crm_contact_reader_t *l) {
    if (!l) return;
    sqlite3_finalize(l->row);
    sqlite3_finalize(l->vals);
    sqlite3_finalize(l->people);
    free(l);
}

int crm_contact_reader_open(crm_store_t *st, crm_contact_reader_t **out) {
    *out = NULL;
    crm_contact_reader_t *l = calloc(1, sizeof *l);
    if (!l) return GR_ERR_NOMEM;
    l->st = st;
    int rc = crm_prep(st, "SELECT c.id, c.name, c.given_name, c.family_name, c.title, c.company_id, co.title, "
                          "c.address, c.note, c.consent_face, c.consent_mail, c.merged_into, c.created_at, "
                          "c.updated_at, c.photo, c.assigned_to FROM contacts c LEFT JOIN companies co ON co.id = c.company_id "
                          "WHERE c.id = ?1", &l->row);
    if (rc == GR_OK)
        rc = crm_prep(st, "SELECT kind, type, value FROM contact_values WHERE contact_id = ?1 ORDER BY id", &l->vals);
    if (rc == GR_OK) rc = crm_prep(st, "SELECT id FROM people WHERE contact_id = ?1 ORDER BY id", &l->people);
    if (rc != GR_OK) {
        crm_contact_reader_close(l);
        return rc;
    }
    *out = l;
    return GR_OK;
}

int crm_contact_reader_get(crm_contact_reader_t *l, int64_t id, json_t **out) {
    *out = NULL;
    sqlite3_reset(l->row);
    sqlite3_bind_int64(l->row, 1, id);
    int src = sqlite3_step(l->row);
    if (src == SQLITE_DONE) return GR_ERR_NOTFOUND;
    if (src != SQLITE_ROW) return crm_store_error(l->st, src, "contact get");
    sqlite3_stmt *s = l->row;
    json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:o,s:o,s:o,s:o,s:o}", "id", crm_col(s, 0),
                          "name", crm_col(s, 1), "given_name", crm_col(s, 2), "family_name", crm_col(s, 3),
                          "title", crm_col(s, 4), "company_id", crm_col(s, 5), "company", crm_col(s, 6),
                          "address", crm_col(s, 7), "note", crm_col(s, 8), "consent_face",
                          sqlite3_column_int(s, 9), "consent_mail", sqlite3_column_int(s, 10), "merged_into",
                          crm_col(s, 11), "created_at", crm_col(s, 12), "updated_at", crm_col(s, 13), "photo",
                          crm_col(s, 14), "assigned_to", crm_col(s, 15));
    sqlite3_reset(l->row);
    json_t *phones = json_array(), *emails = json_array(), *webs = json_array(), *people = json_array();
    int rc = GR_OK;
    if (!o || !phones || !emails || !webs || !people) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    if (json_is_null(json_object_get(o, "company"))) json_object_set_new(o, "company", json_string(""));
    sqlite3_reset(l->vals);
    sqlite3_bind_int64(l->vals, 1, id);
    while ((src = sqlite3_step(l->vals)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(l->vals, 0);
        json_t *v;
        if (!strcmp(kind, "phone")) {
            v = json_pack("{s:o,s:o}", "number", crm_col(l->vals, 2), "type", crm_col(l->vals, 1));
            if (!v || json_array_append_new(phones, v)) rc = GR_ERR_NOMEM;
        } else {
            v = crm_col(l->vals, 2);
            if (!v || json_array_append_new(!strcmp(kind, "email") ? emails : webs, v)) rc = GR_ERR_NOMEM;
        }
        if (rc != GR_OK) break;
    }
    if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(l->st, src, "contact values");
    sqlite3_reset(l->vals);
    sqlite3_reset(l->people);
    sqlite3_bind_int64(l->people, 1, id);
    while (rc == GR_OK && (src = sqlite3_step(l->people)) == SQLITE_ROW)
        if (json_array_append_new(people, json_integer(sqlite3_column_int64(l->people, 0)))) rc = GR_ERR_NOMEM;
    if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(l->st, src, "contact people");
    sqlite3_reset(l->people);
    if (rc != GR_OK) goto fail;
    json_object_set_new(o, "phones", phones);
    json_object_set_new(o, "emails", emails);
    json_object_set_new(o, "websites", webs);
    json_object_set_new(o, "person_ids", people);
    *out = o;
    return GR_OK;
fail:
    json_decref(o);
    json_decref(phones);
    json_decref(emails);
    json_decref(webs);
    json_decref(people);
    return rc;
}

int crm_contact_get(crm_store_t *st, int64_t id, json_t **out) {
    crm_contact_reader_t *l = NULL;
    *out = NULL;
    int rc = crm_contact_reader_open(st, &l);
    if (rc != GR_OK) return rc;
    rc = crm_contact_reader_get(l, id, out);
    crm_contact_reader_close(l);
    return rc;
}

/* ---- writing ---- */

static int write_values(crm_store_t *st, int64_t id, const char *kind, json_t *arr) {
    sqlite3_stmt *s = NULL;
    crm_opts_t opts;
    crm_store_opts(st, &opts);
    int rc = crm_exec_ids(st, !strcmp(kind, "phone") ? "DELETE FROM contact_values WHERE contact_id = ?1 AND kind = 'phone'"
                              : !strcmp(kind, "email") ? "DELETE FROM contact_values WHERE contact_id = ?1 AND kind = 'email'"
                                                       : "DELETE FROM contact_values WHERE contact_id = ?1 AND kind = 'website'",
                          id, 0);
    if (rc != GR_OK) return rc;
    if ((rc = crm_prep(st, "INSERT INTO contact_values(contact_id, kind, type, value, norm) VALUES (?1,?2,?3,?4,?5)",
                       &s)) != GR_OK)
        return rc;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        const char *value, *type = !strcmp(kind, "phone") ? "work" : "";
        if (json_is_object(v)) {
            value = json_string_value(json_object_get(v, "number"));
            const char *t = json_string_value(json_object_get(v, "type"));
            if (t && *t) type = t;
        } else {
            value = json_string_value(v);
        }
        char val[CRM_MAX_TEXT + 1], norm[CRM_MAX_TEXT + 2];
        crm_trimcpy(val, sizeof val, value ? value : "");
        if (!val[0]) continue;
        if (!strcmp(kind, "phone")) crm_norm_phone(val, opts.region, norm, sizeof norm);
        else if (!strcmp(kind, "email")) crm_norm_email(val, norm, sizeof norm);
        else crm_norm_email(val, norm, sizeof norm);
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, type, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, val, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, norm, -1, SQLITE_STATIC);
        if ((rc = crm_step_done(st, s, "contact value")) != GR_OK) break;
    }
    sqlite3_finalize(s);
    return rc;
}

static int has_values(json_t *a) {
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        const char *s = json_is_object(v) ? json_string_value(json_object_get(v, "number")) : json_string_value(v);
        if (s)
            for (; *s; s++)
                if (!isspace((unsigned char)*s)) return 1;
    }
    return 0;
}

/* Resolve company_id / company for a contact being written: *cid 0 = none.
 * keep: current id when neither is given. */
static int resolve_company(crm_store_t *st, const contact_in_t *c, int64_t keep, const char *actor, int64_t *cid,
                           char *err, size_t errlen) {
    *cid = keep;
    if (c->has_company_id) {
        *cid = c->company_id;
        if (*cid) {
            int64_t n = 0;
            int rc = crm_query_int(st, "SELECT count(*) FROM companies WHERE id = ?1", *cid, &n);
            if (rc != GR_OK) return rc;
            if (!n) return crm_fail(GR_ERR_INVAL, err, errlen, "company_id: no company %lld", (long long)*cid);
        }
        return GR_OK;
    }
    if (c->company) {
        char t[CRM_MAX_TEXT + 1];
        crm_trimcpy(t, sizeof t, c->company);
        *cid = 0;
        if (t[0]) return crm_company_ensure(st, t, actor, cid);
    }
    return GR_OK;
}

static int finish(crm_store_t *st, int64_t id, const char *op, json_t **out) {
    json_t *o = NULL, *dups = NULL;
    int rc = crm_record_snapshot(st, "contact", id, op, crm_contact_get, &o);
    if (rc == GR_OK) rc = crm_contact_duplicates(st, o, id, &dups);
    if (rc == GR_OK && out) {
        json_object_set_new(o, "duplicates", dups);
        *out = o;
        return GR_OK;
    }
    json_decref(dups);
    json_decref(o);
    return rc;
}

static int bind_opt(sqlite3_stmt *s, int i, const char *v) {
    return sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

int crm_contact_create(crm_store_t *st, json_t *in, const char *actor, json_t **out, char *err, size_t errlen) {
    *out = NULL;
    contact_in_t c;
    crm_opts_t opts;
    crm_store_opts(st, &opts);
    int rc = parse_contact(in, opts.region, &c, err, errlen);
    if (rc != GR_OK) return rc;
    names_t *n = calloc(1, sizeof *n);
    if (!n) return GR_ERR_NOMEM;
    crm_trimcpy(n->given, sizeof n->given, c.given ? c.given : "");
    crm_trimcpy(n->family, sizeof n->family, c.family ? c.family : "");
    crm_trimcpy(n->name, sizeof n->name, c.name ? c.name : "");
    compose_names(n, c.name != NULL);
    int has_company = (c.company && c.company[0]) || (c.has_company_id && c.company_id);
    if (!n->name[0] && !has_values(c.emails) && !has_values(c.phones) && !has_company) {
        free(n);
        return crm_fail(GR_ERR_INVAL, err, errlen, "contact needs a name, an e-mail, a phone or a company");
    }
    crm_tx_t tx;
    if ((rc = crm_tx_begin(st, &tx)) != GR_OK) {
        free(n);
        return rc;
    }
    int64_t cid = 0, id = 0;
    sqlite3_stmt *s = NULL;
    if ((rc = resolve_company(st, &c, 0, actor, &cid, err, errlen)) != GR_OK) goto fail;
    if ((rc = crm_prep(st, "INSERT INTO contacts(name, given_name, family_name, title, company_id, address, note, "
                           "consent_face, consent_mail, assigned_to) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)", &s)) != GR_OK)
        goto fail;
    bind_opt(s, 10, c.assigned_to);
    bind_opt(s, 1, n->name);
    bind_opt(s, 2, n->given);
    bind_opt(s, 3, n->family);
    bind_opt(s, 4, c.title);
    if (cid) sqlite3_bind_int64(s, 5, cid);
    bind_opt(s, 6, c.address);
    bind_opt(s, 7, c.note);
    sqlite3_bind_int(s, 8, c.consent_face);
    sqlite3_bind_int(s, 9, c.consent_mail);
    rc = crm_step_done(st, s, "contact insert");
    sqlite3_finalize(s);
    if (rc != GR_OK) goto fail;
    id = sqlite3_last_insert_rowid(crm_store_db(st));
    if (c.phones && (rc = write_values(st, id, "phone", c.phones)) != GR_OK) goto fail;
    if (c.emails && (rc = write_values(st, id, "email", c.emails)) != GR_OK) goto fail;
    if (c.websites && (rc = write_values(st, id, "website", c.websites)) != GR_OK) goto fail;
    if ((rc = crm_contact_reindex(st, id)) != GR_OK) goto fail;
    if ((rc = crm_activity_add(st, "contact", id, "created", actor, NULL)) != GR_OK) goto fail;
    if (c.consent_face && (rc = crm_audit(st, actor, "consent.grant", "contact", id, NULL)) != GR_OK) goto fail;
    if ((rc = finish(st, id, "upsert", out)) != GR_OK) goto fail;
    if ((rc = crm_tx_commit(&tx)) != GR_OK) goto fail_out;
    free(n);
    return GR_OK;
fail:
    crm_tx_rollback(&tx);
fail_out:
    free(n);
    json_decref(*out);
    *out = NULL;
    return rc;
}

int crm_contact_update(crm_store_t *st, int64_t id, json_t *patch, const char *actor, json_t **out, char *err,
                       size_t errlen) {
    *out = NULL;
    contact_in_t c;
    crm_opts_t opts;
    crm_store_opts(st, &opts);
    int rc = parse_contact(patch, opts.region, &c, err, errlen);
    if (rc != GR_OK) return rc;
    names_t *n = calloc(1, sizeof *n);
    if (!n) return GR_ERR_NOMEM;
    json_t *old = NULL;
    sqlite3_stmt *s = NULL;
    crm_tx_t tx;
    if ((rc = crm_tx_begin(st, &tx)) != GR_OK) {
        free(n);
        return rc;
    }
    if ((rc = crm_contact_get(st, id, &old)) != GR_OK) {
        if (rc == GR_ERR_NOTFOUND) crm_fail(rc, err, errlen, "no contact %lld", (long long)id);
        goto fail;
    }
    if (!json_is_null(json_object_get(old, "merged_into"))) {
        rc = crm_fail(GR_ERR_INVAL, err, errlen, "contact %lld was merged into %lld", (long long)id,
                      (long long)json_integer_value(json_object_get(old, "merged_into")));
        goto fail;
    }
    crm_trimcpy(n->given, sizeof n->given, c.given ? c.given : crm_jstr(old, "given_name"));
    crm_trimcpy(n->family, sizeof n->family, c.family ? c.family : crm_jstr(old, "family_name"));
    if (c.name) {
        crm_trimcpy(n->name, sizeof n->name, c.name);
        compose_names(n, 1);
    } else if (c.given || c.family) {
        compose_names(n, 0);
    } else {
        crm_trimcpy(n->name, sizeof n->name, crm_jstr(old, "name"));
    }
    int64_t cid = 0;
    if ((rc = resolve_company(st, &c, json_integer_value(json_object_get(old, "company_id")), actor, &cid, err,
                              errlen)) != GR_OK)
        goto fail;
    int old_cf = json_is_true(json_object_get(old, "consent_face"));
    int cf = c.has_cf ? c.consent_face : old_cf;
    int cm = c.has_cm ? c.consent_mail : json_is_true(json_object_get(old, "consent_mail"));
    if ((rc = crm_prep(st, "UPDATE contacts SET name=?2, given_name=?3, family_name=?4, title=?5, company_id=?6, "
                           "address=?7, note=?8, consent_face=?9, consent_mail=?10, assigned_to=?11, "
                           "updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id=?1", &s)) != GR_OK)
        goto fail;
    sqlite3_bind_int64(s, 1, id);
    bind_opt(s, 2, n->name);
    bind_opt(s, 3, n->given);
    bind_opt(s, 4, n->family);
    bind_opt(s, 5, c.title ? c.title : crm_jstr(old, "title"));
    if (cid) sqlite3_bind_int64(s, 6, cid);
    bind_opt(s, 7, c.address ? c.address : crm_jstr(old, "address"));
    bind_opt(s, 8, c.note ? c.note : crm_jstr(old, "note"));
    sqlite3_bind_int(s, 9, cf);
    sqlite3_bind_int(s, 10, cm);
    bind_opt(s, 11, c.assigned_to ? c.assigned_to : crm_jstr(old, "assigned_to"));
    rc = crm_step_done(st, s, "contact update");
    sqlite3_finalize(s);
    if (rc != GR_OK) goto fail;
    if (c.phones && (rc = write_values(st, id, "phone", c.phones)) != GR_OK) goto fail;
    if (c.emails && (rc = write_values(st, id, "email", c.emails)) != GR_OK) goto fail;
    if (c.websites && (rc = write_values(st, id, "website", c.websites)) != GR_OK) goto fail;
    if ((rc = crm_contact_reindex(st, id)) != GR_OK) goto fail;
    if (old_cf && !cf) {
        /* Consent withdrawn: the face templates go now. */
        int64_t templates = 0;
        if ((rc = crm_query_int(st, "SELECT count(*) FROM face_templates WHERE person_id IN "
                                    "(SELECT id FROM people WHERE contact_id = ?1)", id, &templates)) != GR_OK)
            goto fail;
        if ((rc = crm_exec_ids(st, "DELETE FROM face_templates WHERE person_id IN "
                                   "(SELECT id FROM people WHERE contact_id = ?1)", id, 0)) != GR_OK)
            goto fail;
        if ((rc = crm_exec_ids(st, "UPDATE people SET consent = 0, consent_at = NULL WHERE contact_id = ?1", id, 0)) !=
            GR_OK)
            goto fail;
        json_t *d = json_pack("{s:I}", "templates_deleted", (json_int_t)templates);
        rc = crm_audit(st, actor, "consent.withdraw", "contact", id, d);
        json_decref(d);
        if (rc != GR_OK) goto fail;
    } else if (!old_cf && cf) {
        if ((rc = crm_exec_ids(st, "UPDATE people SET consent = 1, consent_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                                   "WHERE contact_id = ?1", id, 0)) != GR_OK)
            goto fail;
        if ((rc = crm_audit(st, actor, "consent.grant", "contact", id, NULL)) != GR_OK) goto fail;
    }
    /* The history names the fields changed, not their (personal) values. */
    json_t *fields = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(patch, key, v) json_array_append_new(fields, json_string(key));
    json_t *d = json_pack("{s:o}", "fields", fields ? fields : json_array());
    rc = crm_activity_add(st, "contact", id, "updated", actor, d);
    json_decref(d);
    if (rc != GR_OK) goto fail;
    if ((rc = finish(st, id, "upsert", out)) != GR_OK) goto fail;
    if ((rc = crm_tx_commit(&tx)) != GR_OK) goto fail_out;
    json_decref(old);
    free(n);
    return GR_OK;
fail:
    crm_tx_rollback(&tx);
fail_out:
    json_decref(old);
    free(n);
    json_decref(*out);
    *out = NULL;
    return rc;
}

/* What goes with a contact: its merged-away tombstones, the links of its
 * face identities and its search index entries. */
static int unlink_contact(crm_store_t *st, int64_t id) {
    int rc = crm_exec_ids(st, "DELETE FROM contacts WHERE merged_into = ?1", id, 0);
    if (rc == GR_OK) rc = crm_exec_ids(st, "UPDATE people SET contact_id = NULL WHERE contact_id = ?1", id, 0);
    if (rc == GR_OK) rc = crm_contact_unindex(st, id);
    return rc;
}

int crm_contact_delete(crm_store_t *st, int64_t id, const char *actor) {
    return crm_record_delete(st, "contact", id, actor, crm_contact_get, unlink_contact,
                             "DELETE FROM contacts WHERE id = ?1");
}

/* ---- faces ---- */

int crm_contact_link_person(crm_store_t *st, int64_t contact_id, int64_t person_id, const char *actor, char *err,
                            size_t errlen) {
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    json_t *c = NULL;
    int64_t n = 0;
    if ((rc = crm_contact_get(st, contact_id, &c)) != GR_OK) {
        if (rc == GR_ERR_NOTFOUND) crm_fail(rc, err, errlen, "no contact %lld", (long long)contact_id);
        goto fail;
    }
    if (!json_is_null(json_object_get(c, "merged_into"))) {
        rc = crm_fail(GR_ERR_INVAL, err, errlen, "contact %lld was merged", (long long)contact_id);
        goto fail;
    }
    if ((rc = crm_query_int(st, "SELECT count(*) FROM people WHERE id = ?1", person_id, &n)) != GR_OK) goto fail;
    if (!n) {
        rc = crm_fail(GR_ERR_NOTFOUND, err, errlen, "no face identity %lld", (long long)person_id);
        goto fail;
    }
    int consent = json_is_true(json_object_get(c, "consent_face"));
    crm_opts_t opts;
    crm_store_opts(st, &opts);
    if (opts.require_consent && !consent) {
        rc = crm_fail(GR_ERR_AUTH, err, errlen,
                      "contact %lld has no recorded consent to face recognition (consent_face)", (long long)contact_id);
        goto fail;
    }
    sqlite3_stmt *s = NULL;
    if ((rc = crm_prep(st, "UPDATE people SET contact_id = ?1, known = 1, label = CASE WHEN ?3 = '' THEN label ELSE ?3 END, "
                           "consent = ?4, consent_at = CASE WHEN ?4 THEN strftime('%Y-%m-%dT%H:%M:%fZ','now') END "
                           "WHERE id = ?2", &s)) != GR_OK)
        goto fail;
    sqlite3_bind_int64(s, 1, contact_id);
    sqlite3_bind_int64(s, 2, person_id);
    sqlite3_bind_text(s, 3, crm_jstr(c, "name"), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, consent);
    rc = crm_step_done(st, s, "link person");
    sqlite3_finalize(s);
    if (rc != GR_OK) goto fail;
    json_t *d = json_pack("{s:I}", "person_id", (json_int_t)person_id);
    rc = crm_audit(st, actor, "face.link", "contact", contact_id, d);
    if (rc == GR_OK) rc = crm_activity_add(st, "contact", contact_id, "face_linked", actor, d);
    json_decref(d);
    if (rc != GR_OK) goto fail;
    if ((rc = crm_record_snapshot(st, "contact", contact_id, "upsert", crm_contact_get, NULL)) != GR_OK) goto fail;
    json_decref(c);
    return crm_tx_commit(&tx);
fail:
    json_decref(c);
    crm_tx_rollback(&tx);
    return rc;
}
