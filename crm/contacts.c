#define GR_LOG_MODULE "crm"
#include "crm/contacts.h"

#include "crm/activity.h"
#include "crm/companies.h"
#include "crm/crmutil.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "firmware/formats/phone.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPE_MAX 32

/* ---- normalisers ---- */

size_t crm_norm_email(const char *in, char *buf, size_t buflen) {
    size_t n = 0;
    if (!buflen) return 0;
    while (*in && isspace((unsigned char)*in)) in++;
    size_t len = strlen(in);
    while (len && isspace((unsigned char)in[len - 1])) len--;
    for (size_t i = 0; i < len && n + 1 < buflen; i++) buf[n++] = (char)tolower((unsigned char)in[i]);
    buf[n] = 0;
    return n;
}

/* "+" and the digits ("00" counts as "+"); 0 when under 3 digits. */
static size_t phone_digits(const char *in, char *buf, size_t buflen) {
    size_t n = 0, digits = 0;
    if (!buflen) return 0;
    const char *p = in;
    while (*p && !isdigit((unsigned char)*p) && *p != '+') p++;
    int plus = *p == '+';
    if (!plus && p[0] == '0' && p[1] == '0') {
        plus = 1;
        p += 2;
    }
    if (plus && n + 1 < buflen) buf[n++] = '+';
    for (; *p && n + 1 < buflen; p++)
        if (isdigit((unsigned char)*p)) {
            buf[n++] = *p;
            digits++;
        }
    buf[n] = 0;
    if (digits < 3) {
        buf[0] = 0;
        return 0;
    }
    return n;
}

size_t crm_norm_phone(const char *in, const char *region, char *buf, size_t buflen) {
    size_t n = phone_digits(in, buf, buflen);
    if (!n || strlen(in) > 64) return n;
    /* A valid number becomes E.164, so "0176 1234567" (with device.region DE)
     * and "+49 176 1234567" are the same; anything else stays digits. */
    char e164[32];
    if (fmt_phone_parse(buf[0] == '+' ? buf : in, region, e164, sizeof e164, NULL) == GR_OK && strlen(e164) < buflen) {
        snprintf(buf, buflen, "%s", e164);
        return strlen(buf);
    }
    return n;
}

/* ---- input ---- */

typedef struct {
    const char *given, *family, *name, *title, *company, *address, *note;
    int64_t company_id;
    int has_company_id;
    json_t *phones, *emails, *websites; /* borrowed, validated arrays */
    int consent_face, consent_mail, has_cf, has_cm;
} contact_in_t;

/* Copy s without surrounding white space. */
static void trimcpy(char *dst, size_t n, const char *s) {
    while (*s && isspace((unsigned char)*s)) s++;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1])) len--;
    if (len >= n) len = n - 1;
    memcpy(dst, s, len);
    dst[len] = 0;
}

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
        trimcpy(p, sizeof p, t);
        if (!*p) continue; /* empty rows of a form are skipped */
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
        {"note", &c->note, CRM_MAX_LONGTEXT},
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
            trimcpy(n->family, sizeof n->family, sp + 1);
            char tmp[sizeof n->given];
            trimcpy(tmp, sizeof tmp, n->given);
            memcpy(n->given, tmp, sizeof tmp);
        } else {
            trimcpy(n->given, sizeof n->given, n->name);
        }
    } else if (!name_given || !n->name[0]) {
        char tmp[sizeof n->name];
        snprintf(tmp, sizeof tmp, "%s %s", n->given, n->family);
        trimcpy(n->name, sizeof n->name, tmp);
    }
}

/* ---- output ---- */

typedef struct {
    crm_store_t *st;
    sqlite3_stmt *row, *vals, *people;
} loader_t;

static void loader_done(loader_t *l) {
    sqlite3_finalize(l->row);
    sqlite3_finalize(l->vals);
    sqlite3_finalize(l->people);
    memset(l, 0, sizeof *l);
}

static int loader_init(loader_t *l, crm_store_t *st) {
    memset(l, 0, sizeof *l);
    l->st = st;
    int rc = crm_prep(st, "SELECT c.id, c.name, c.given_name, c.family_name, c.title, c.company_id, co.title, "
                          "c.address, c.note, c.consent_face, c.consent_mail, c.merged_into, c.created_at, "
                          "c.updated_at, c.photo FROM contacts c LEFT JOIN companies co ON co.id = c.company_id "
                          "WHERE c.id = ?1", &l->row);
    if (rc == GR_OK)
        rc = crm_prep(st, "SELECT kind, type, value FROM contact_values WHERE contact_id = ?1 ORDER BY id", &l->vals);
    if (rc == GR_OK) rc = crm_prep(st, "SELECT id FROM people WHERE contact_id = ?1 ORDER BY id", &l->people);
    if (rc != GR_OK) loader_done(l);
    return rc;
}

static int loader_get(loader_t *l, int64_t id, json_t **out) {
    *out = NULL;
    sqlite3_reset(l->row);
    sqlite3_bind_int64(l->row, 1, id);
    int src = sqlite3_step(l->row);
    if (src == SQLITE_DONE) return GR_ERR_NOTFOUND;
    if (src != SQLITE_ROW) return crm_store_error(l->st, src, "contact get");
    sqlite3_stmt *s = l->row;
    json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:o,s:o,s:o,s:o}", "id", crm_col(s, 0),
                          "name", crm_col(s, 1), "given_name", crm_col(s, 2), "family_name", crm_col(s, 3),
                          "title", crm_col(s, 4), "company_id", crm_col(s, 5), "company", crm_col(s, 6),
                          "address", crm_col(s, 7), "note", crm_col(s, 8), "consent_face",
                          sqlite3_column_int(s, 9), "consent_mail", sqlite3_column_int(s, 10), "merged_into",
                          crm_col(s, 11), "created_at", crm_col(s, 12), "updated_at", crm_col(s, 13), "photo",
                          crm_col(s, 14));
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
    loader_t l;
    *out = NULL;
    int rc = loader_init(&l, st);
    if (rc != GR_OK) return rc;
    rc = loader_get(&l, id, out);
    loader_done(&l);
    return rc;
}

/* ---- search index ---- */

/* Three indexes of the contacts not merged away, kept up to date here (the
 * tables: crm/migrations/0003_crm.sql, 0006_phone_search.sql):
 *  - contacts_fts: names, company title, e-mails as written and normalised;
 *  - contacts_phone_fts: the phone numbers as written and normalised;
 *  - contact_phone_digits: every suffix (3+ digits) of every run of digits
 *    in those phone texts, so "a fragment of digits occurs in a number" is
 *    a range on its primary key. In one trigram index with the names, a
 *    fragment like "4930100" would read the position lists of trigrams that
 *    nearly every number shares. */
#define FTS_DOC "SELECT c.id, c.name || ' ' || c.given_name || ' ' || c.family_name || ' ' || coalesce(co.title, '') " \
    "|| ' ' || coalesce((SELECT group_concat(v.value || ' ' || v.norm, ' ') FROM contact_values v "           \
    "WHERE v.contact_id = c.id AND v.kind = 'email'), '') "                                                  \
    "FROM contacts c LEFT JOIN companies co ON co.id = c.company_id WHERE c.merged_into IS NULL AND "
#define PHONE_DOC "INSERT INTO contacts_phone_fts(rowid, doc) SELECT c.id, group_concat(v.value || ' ' || v.norm, ' ') " \
    "FROM contacts c JOIN contact_values v ON v.contact_id = c.id AND v.kind = 'phone' "                         \
    "WHERE c.merged_into IS NULL AND c.id = ?1 GROUP BY c.id"
/* Walks each phone text from its end: run = the digits from position i up
 * to the next non-digit, i.e. each suffix of each run of digits. */
#define PHONE_DIGITS "WITH RECURSIVE src(contact_id, s) AS (SELECT v.contact_id, v.value || ' ' || v.norm "            \
    "FROM contact_values v JOIN contacts c ON c.id = v.contact_id "                                                    \
    "WHERE v.kind = 'phone' AND c.merged_into IS NULL AND c.id = ?1), "                                                \
    "walk(contact_id, s, i, run) AS (SELECT contact_id, s, length(s) + 1, '' FROM src UNION ALL "                      \
    "SELECT contact_id, s, i - 1, CASE WHEN substr(s, i - 1, 1) GLOB '[0-9]' THEN substr(s, i - 1, 1) || run ELSE '' " \
    "END FROM walk WHERE i > 1) "                                                                                      \
    "INSERT OR IGNORE INTO contact_phone_digits(digits, contact_id) SELECT run, contact_id FROM walk "                  \
    "WHERE length(run) >= 3"

/* Remove contact id from all three indexes. */
static int unindex(crm_store_t *st, int64_t id) {
    int rc = crm_exec_ids(st, "DELETE FROM contacts_fts WHERE rowid = ?1", id, 0);
    if (rc == GR_OK) rc = crm_exec_ids(st, "DELETE FROM contacts_phone_fts WHERE rowid = ?1", id, 0);
    if (rc == GR_OK) rc = crm_exec_ids(st, "DELETE FROM contact_phone_digits WHERE contact_id = ?1", id, 0);
    return rc;
}

int crm_contact_reindex(crm_store_t *st, int64_t id) {
    int rc = unindex(st, id);
    if (rc == GR_OK) rc = crm_exec_ids(st, "INSERT INTO contacts_fts(rowid, doc) " FTS_DOC "c.id = ?1", id, 0);
    if (rc == GR_OK) rc = crm_exec_ids(st, PHONE_DOC, id, 0);
    if (rc == GR_OK) rc = crm_exec_ids(st, PHONE_DIGITS, id, 0);
    return rc;
}

int crm_contact_search_optimize(crm_store_t *st) {
    int rc = crm_store_exec(st, "INSERT INTO contacts_fts(contacts_fts) VALUES('optimize')");
    if (rc == GR_OK) rc = crm_store_exec(st, "INSERT INTO contacts_phone_fts(contacts_phone_fts) VALUES('optimize')");
    return rc;
}

/* The company title is in the text index only. */
int crm_contact_reindex_company(crm_store_t *st, int64_t company_id) {
    int rc = crm_exec_ids(st, "DELETE FROM contacts_fts WHERE rowid IN (SELECT id FROM contacts WHERE company_id = ?1)",
                          company_id, 0);
    if (rc == GR_OK)
        rc = crm_exec_ids(st, "INSERT INTO contacts_fts(rowid, doc) " FTS_DOC "c.company_id = ?1", company_id, 0);
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
        trimcpy(val, sizeof val, value ? value : "");
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
        trimcpy(t, sizeof t, c->company);
        *cid = 0;
        if (t[0]) return crm_company_ensure(st, t, actor, cid);
    }
    return GR_OK;
}

static int finish(crm_store_t *st, int64_t id, const char *op, json_t **out) {
    json_t *o = NULL, *dups = NULL;
    int rc = crm_contact_get(st, id, &o);
    if (rc == GR_OK) rc = crm_outbox_json(st, "contact", id, op, o);
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
    trimcpy(n->given, sizeof n->given, c.given ? c.given : "");
    trimcpy(n->family, sizeof n->family, c.family ? c.family : "");
    trimcpy(n->name, sizeof n->name, c.name ? c.name : "");
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
                           "consent_face, consent_mail) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)", &s)) != GR_OK)
        goto fail;
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

static const char *jstr(json_t *o, const char *key) {
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
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
    trimcpy(n->given, sizeof n->given, c.given ? c.given : jstr(old, "given_name"));
    trimcpy(n->family, sizeof n->family, c.family ? c.family : jstr(old, "family_name"));
    if (c.name) {
        trimcpy(n->name, sizeof n->name, c.name);
        compose_names(n, 1);
    } else if (c.given || c.family) {
        compose_names(n, 0);
    } else {
        trimcpy(n->name, sizeof n->name, jstr(old, "name"));
    }
    int64_t cid = 0;
    if ((rc = resolve_company(st, &c, json_integer_value(json_object_get(old, "company_id")), actor, &cid, err,
                              errlen)) != GR_OK)
        goto fail;
    int old_cf = json_is_true(json_object_get(old, "consent_face"));
    int cf = c.has_cf ? c.consent_face : old_cf;
    int cm = c.has_cm ? c.consent_mail : json_is_true(json_object_get(old, "consent_mail"));
    if ((rc = crm_prep(st, "UPDATE contacts SET name=?2, given_name=?3, family_name=?4, title=?5, company_id=?6, "
                           "address=?7, note=?8, consent_face=?9, consent_mail=?10, "
                           "updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id=?1", &s)) != GR_OK)
        goto fail;
    sqlite3_bind_int64(s, 1, id);
    bind_opt(s, 2, n->name);
    bind_opt(s, 3, n->given);
    bind_opt(s, 4, n->family);
    bind_opt(s, 5, c.title ? c.title : jstr(old, "title"));
    if (cid) sqlite3_bind_int64(s, 6, cid);
    bind_opt(s, 7, c.address ? c.address : jstr(old, "address"));
    bind_opt(s, 8, c.note ? c.note : jstr(old, "note"));
    sqlite3_bind_int(s, 9, cf);
    sqlite3_bind_int(s, 10, cm);
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

int crm_contact_delete(crm_store_t *st, int64_t id, const char *actor) {
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    json_t *snap = NULL;
    if ((rc = crm_contact_get(st, id, &snap)) != GR_OK) goto fail;
    if ((rc = crm_exec_ids(st, "DELETE FROM contacts WHERE merged_into = ?1", id, 0)) != GR_OK) goto fail;
    if ((rc = crm_exec_ids(st, "UPDATE people SET contact_id = NULL WHERE contact_id = ?1", id, 0)) != GR_OK) goto fail;
    if ((rc = unindex(st, id)) != GR_OK) goto fail;
    if ((rc = crm_exec_ids(st, "DELETE FROM contacts WHERE id = ?1", id, 0)) != GR_OK) goto fail;
    if ((rc = crm_activity_add(st, "contact", id, "deleted", actor, NULL)) != GR_OK) goto fail;
    if ((rc = crm_outbox_json(st, "contact", id, "delete", snap)) != GR_OK) goto fail;
    json_decref(snap);
    return crm_tx_commit(&tx);
fail:
    json_decref(snap);
    crm_tx_rollback(&tx);
    return rc;
}

/* ---- search ---- */

/* The words of q grouped so that every group has 3+ characters: a word of
 * 1-2 characters joins its neighbour ("Anna M", "+49 5", "Globex 17").
 * Words are separated by one space inside a group. */
typedef struct {
    char *buf;       /* the groups, each NUL-terminated, one after another */
    const char **g;
    int n;
} groups_t;

static void groups_free(groups_t *gs) {
    free(gs->buf);
    free(gs->g);
    memset(gs, 0, sizeof *gs);
}

/* *short_only is set when q has fewer than 3 characters in all (then it is
 * matched as a name prefix, and gs stays empty). */
static int query_groups(const char *q, groups_t *gs, int *short_only) {
    memset(gs, 0, sizeof *gs);
    *short_only = 0;
    size_t qlen = q ? strlen(q) : 0;
    if (!qlen) return GR_OK;
    char *cur = malloc(qlen + 1);
    gs->buf = malloc(qlen + 2);
    gs->g = malloc((qlen / 2 + 2) * sizeof *gs->g);
    if (!cur || !gs->buf || !gs->g) {
        free(cur);
        groups_free(gs);
        return GR_ERR_NOMEM;
    }
    size_t used = 0, c = 0;
    cur[0] = 0;
    const char *p = q;
    for (;;) {
        while (*p && isspace((unsigned char)*p)) p++;
        const char *w = p;
        while (*p && !isspace((unsigned char)*p)) p++;
        size_t wl = (size_t)(p - w);
        if (!wl) break;
        char word[wl + 1];
        memcpy(word, w, wl);
        word[wl] = 0;
        if (c && crm_utf8_len(word) >= 3 && crm_utf8_len(cur) >= 3) { /* close the current group */
            gs->g[gs->n++] = memcpy(gs->buf + used, cur, c + 1);
            used += c + 1;
            c = 0;
        }
        if (c) cur[c++] = ' ';
        memcpy(cur + c, word, wl);
        c += wl;
        cur[c] = 0;
    }
    if (c) {
        if (!gs->n && crm_utf8_len(cur) < 3) {
            *short_only = 1;
        } else if (crm_utf8_len(cur) < 3) { /* a short tail joins the last group */
            used--;                         /* over its NUL */
            gs->buf[used++] = ' ';
            memcpy(gs->buf + used, cur, c + 1);
        } else {
            gs->g[gs->n++] = memcpy(gs->buf + used, cur, c + 1);
        }
    }
    free(cur);
    return GR_OK;
}

/* The FTS5 phrase of a group: in double quotes, quotes doubled. */
static char *fts_phrase(const char *g) {
    size_t n = strlen(g);
    char *out = malloc(2 * n + 3), *o = out;
    if (!out) return NULL;
    *o++ = '"';
    for (; *g; g++) {
        if (*g == '"') *o++ = '"';
        *o++ = *g;
    }
    *o++ = '"';
    *o = 0;
    return out;
}

/* All groups, each a phrase: "g1" AND "g2" (NULL: no memory). */
static char *fts_all(const groups_t *gs) {
    size_t cap = 1;
    for (int i = 0; i < gs->n; i++) cap += 2 * strlen(gs->g[i]) + 8;
    char *out = malloc(cap);
    if (!out) return NULL;
    size_t m = 0;
    out[0] = 0;
    for (int i = 0; i < gs->n; i++) {
        char *ph = fts_phrase(gs->g[i]);
        if (!ph) {
            free(out);
            return NULL;
        }
        m += (size_t)snprintf(out + m, cap - m, "%s%s", i ? " AND " : "", ph);
        free(ph);
    }
    return out;
}

/* A group of ASCII digits only: matched on contact_phone_digits. */
static int is_digits(const char *g) {
    for (; *g; g++)
        if (*g < '0' || *g > '9') return 0;
    return 1;
}

/* A set of contact ids: ascending, no repeats once normalised. */
typedef struct {
    int64_t *v;
    size_t n, cap;
} idset_t;

static int ids_add(idset_t *s, int64_t id) {
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 256;
        int64_t *p = realloc(s->v, nc * sizeof *p);
        if (!p) return GR_ERR_NOMEM;
        s->v = p;
        s->cap = nc;
    }
    s->v[s->n++] = id;
    return GR_OK;
}

static int id_cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void ids_normalise(idset_t *s) {
    if (s->n < 2) return;
    qsort(s->v, s->n, sizeof *s->v, id_cmp);
    size_t k = 1;
    for (size_t i = 1; i < s->n; i++)
        if (s->v[i] != s->v[k - 1]) s->v[k++] = s->v[i];
    s->n = k;
}

/* a = a ∩ b (both normalised). */
static void ids_intersect(idset_t *a, const idset_t *b) {
    size_t i = 0, j = 0, k = 0;
    while (i < a->n && j < b->n) {
        if (a->v[i] < b->v[j]) i++;
        else if (a->v[i] > b->v[j]) j++;
        else {
            a->v[k++] = a->v[i];
            i++;
            j++;
        }
    }
    a->n = k;
}

/* Step s (bound by the caller) and add column 0 of every row to out.
 * s is finalized. */
static int ids_collect(crm_store_t *st, sqlite3_stmt *s, idset_t *out) {
    int src, rc = GR_OK;
    while ((src = sqlite3_step(s)) == SQLITE_ROW)
        if ((rc = ids_add(out, sqlite3_column_int64(s, 0))) != GR_OK) break;
    if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(st, src, "contact search");
    sqlite3_finalize(s);
    return rc;
}

/* Contacts with a phone that contains group g: SQL for one group, its one
 * or two parameters bound. */
static int phone_stmt(crm_store_t *st, const char *g, const char *sql_digits, const char *sql_fts, sqlite3_stmt **s) {
    int rc;
    if (is_digits(g)) {
        /* Digits only: a range on the suffixes, [g, g ":") (':' follows '9'). */
        if ((rc = crm_prep(st, sql_digits, s)) != GR_OK) return rc;
        size_t n = strlen(g);
        char *hi = sqlite3_mprintf("%s:", g);
        if (!hi) {
            sqlite3_finalize(*s);
            *s = NULL;
            return GR_ERR_NOMEM;
        }
        sqlite3_bind_text(*s, 1, g, (int)n, SQLITE_TRANSIENT);
        sqlite3_bind_text(*s, 2, hi, -1, sqlite3_free);
        return GR_OK;
    }
    char *ph = fts_phrase(g);
    if (!ph) return GR_ERR_NOMEM;
    if ((rc = crm_prep(st, sql_fts, s)) != GR_OK) {
        free(ph);
        return rc;
    }
    sqlite3_bind_text(*s, 1, ph, -1, free);
    return GR_OK;
}

/* 1 when some contact has a phone containing g, 0 when none, or GR_ERR_*. */
static int phone_any(crm_store_t *st, const char *g) {
    sqlite3_stmt *s = NULL;
    int rc = phone_stmt(st, g, "SELECT 1 FROM contact_phone_digits WHERE digits >= ?1 AND digits < ?2 LIMIT 1",
                        "SELECT 1 FROM contacts_phone_fts WHERE contacts_phone_fts MATCH ?1 LIMIT 1", &s);
    if (rc != GR_OK) return rc;
    int src = sqlite3_step(s);
    rc = src == SQLITE_ROW ? 1 : src == SQLITE_DONE ? 0 : crm_store_error(st, src, "phone search");
    sqlite3_finalize(s);
    return rc;
}

/* Every contact matching the groups: each group occurs in the text index
 * or in a phone. Used when some group occurs in a phone. */
static int search_sets(crm_store_t *st, const groups_t *gs, idset_t *out) {
    int rc = GR_OK;
    idset_t one = {0};
    for (int i = 0; i < gs->n && rc == GR_OK; i++) {
        one.n = 0;
        sqlite3_stmt *s = NULL;
        char *ph = fts_phrase(gs->g[i]);
        if (!ph) rc = GR_ERR_NOMEM;
        if (rc == GR_OK && (rc = crm_prep(st, "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1", &s)) == GR_OK) {
            sqlite3_bind_text(s, 1, ph, -1, SQLITE_STATIC);
            rc = ids_collect(st, s, &one);
        }
        free(ph);
        if (rc == GR_OK &&
            (rc = phone_stmt(st, gs->g[i],
                             "SELECT contact_id FROM contact_phone_digits WHERE digits >= ?1 AND digits < ?2",
                             "SELECT rowid FROM contacts_phone_fts WHERE contacts_phone_fts MATCH ?1", &s)) == GR_OK)
            rc = ids_collect(st, s, &one);
        if (rc != GR_OK) break;
        ids_normalise(&one);
        if (i == 0) {
            idset_t t = *out;
            *out = one;
            one = t;
        } else {
            ids_intersect(out, &one);
        }
    }
    free(one.v);
    return rc;
}

/* Above this many matches a search is listed newest first (the full-text
 * index yields rowids in order, no sort of thousands of rows); counts stop
 * at COUNT_CAP. */
#define SORT_MAX 2000
#define COUNT_CAP 10000

/* ids (at most SORT_MAX) as a JSON array text for json_each (sqlite3_free). */
static char *ids_json(const idset_t *ids) {
    sqlite3_str *b = sqlite3_str_new(NULL);
    sqlite3_str_appendchar(b, 1, '[');
    for (size_t i = 0; i < ids->n; i++) sqlite3_str_appendf(b, "%s%lld", i ? "," : "", (long long)ids->v[i]);
    sqlite3_str_appendchar(b, 1, ']');
    return sqlite3_str_finish(b);
}

int crm_contact_list(crm_store_t *st, const char *q, int limit, int offset, json_t **out) {
    *out = NULL;
    crm_page(&limit, &offset);
    if (q && strlen(q) > CRM_MAX_TEXT) return GR_ERR_INVAL; /* bounds the cost of one search */
    groups_t gs;
    int short_only = 0;
    int rc = query_groups(q, &gs, &short_only);
    if (rc != GR_OK) return rc;
    enum { ALL, PREFIX, MATCH } mode = gs.n ? MATCH : short_only ? PREFIX : ALL;
    char lo[CRM_MAX_TEXT + 1], hi[CRM_MAX_TEXT + 8];
    char *match = NULL, *idjson = NULL;
    idset_t ids = {0};
    sqlite3_stmt *s = NULL;
    json_t *items = json_array();
    int64_t total = 0;
    loader_t l = {0};
    int src;
    const char *order = "name";
    if (!items) {
        rc = GR_ERR_NOMEM;
        goto out;
    }
#define PREFIX_IDS "SELECT id FROM contacts WHERE merged_into IS NULL AND name COLLATE NOCASE >= ?1 " \
    "AND name COLLATE NOCASE < ?2 UNION SELECT id FROM contacts WHERE merged_into IS NULL AND " \
    "family_name COLLATE NOCASE >= ?1 AND family_name COLLATE NOCASE < ?2"
    if (mode == ALL) {
        if ((rc = crm_query_int(st, "SELECT count(*) FROM contacts WHERE merged_into IS NULL", 0, &total)) != GR_OK)
            goto out;
        if ((rc = crm_prep(st, "SELECT id FROM contacts WHERE merged_into IS NULL ORDER BY name COLLATE NOCASE, id "
                               "LIMIT ?1 OFFSET ?2", &s)) != GR_OK)
            goto out;
        sqlite3_bind_int(s, 1, limit);
        sqlite3_bind_int(s, 2, offset);
    } else if (mode == PREFIX) {
        /* Only words of 1-2 characters: the start of the name or family name. */
        trimcpy(lo, sizeof lo, q);
        snprintf(hi, sizeof hi, "%s\xF4\x8F\xBF\xBF", lo); /* + U+10FFFF */
        if ((rc = crm_prep(st, "SELECT count(*) FROM (" PREFIX_IDS ")", &s)) != GR_OK) goto out;
        sqlite3_bind_text(s, 1, lo, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, hi, -1, SQLITE_STATIC);
        src = sqlite3_step(s);
        if (src == SQLITE_ROW) total = sqlite3_column_int64(s, 0);
        else rc = crm_store_error(st, src, "contact count");
        sqlite3_finalize(s);
        s = NULL;
        if (rc != GR_OK) goto out;
        if ((rc = crm_prep(st, "SELECT c.id FROM contacts c WHERE c.id IN (" PREFIX_IDS ") "
                               "ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?3 OFFSET ?4", &s)) != GR_OK)
            goto out;
        sqlite3_bind_text(s, 1, lo, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, hi, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 3, limit);
        sqlite3_bind_int(s, 4, offset);
    } else {
        /* Does some group occur in a phone? Rarely for words: then the text
         * index alone answers, as one query with all groups. */
        int phones = 0;
        for (int i = 0; i < gs.n && !phones; i++) {
            phones = phone_any(st, gs.g[i]);
            if (phones < 0) {
                rc = phones;
                goto out;
            }
        }
        if (phones) {
            if ((rc = search_sets(st, &gs, &ids)) != GR_OK) goto out;
            total = (int64_t)ids.n;
        } else {
            if (!(match = fts_all(&gs))) {
                rc = GR_ERR_NOMEM;
                goto out;
            }
            /* One pass over the matches (ascending rowids), up to one past
             * the count cap: the count, and the ids to sort or page. */
            if ((rc = crm_prep(st, "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1 LIMIT ?2", &s)) !=
                GR_OK)
                goto out;
            sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
            sqlite3_bind_int(s, 2, COUNT_CAP + 1);
            rc = ids_collect(st, s, &ids);
            s = NULL;
            if (rc != GR_OK) goto out;
            total = (int64_t)ids.n;
        }
        if (total <= SORT_MAX) {
            /* By name: the few matches sorted. */
            if (!(idjson = ids_json(&ids))) {
                rc = GR_ERR_NOMEM;
                goto out;
            }
            if ((rc = crm_prep(st, "SELECT id FROM contacts WHERE id IN (SELECT value FROM json_each(?1)) "
                                   "ORDER BY name COLLATE NOCASE, id LIMIT ?2 OFFSET ?3", &s)) != GR_OK)
                goto out;
            sqlite3_bind_text(s, 1, idjson, -1, SQLITE_STATIC);
            sqlite3_bind_int(s, 2, limit);
            sqlite3_bind_int(s, 3, offset);
        } else {
            order = "newest";
            if (phones || total <= COUNT_CAP) {
                /* Newest first straight from the set when it holds every
                 * match (ascending ids). */
                if ((rc = loader_init(&l, st)) != GR_OK) goto out;
                for (size_t k = (size_t)offset; k < ids.n && k < (size_t)offset + (size_t)limit; k++) {
                    json_t *o = NULL;
                    if ((rc = loader_get(&l, ids.v[ids.n - 1 - k], &o)) != GR_OK) goto out;
                    if (json_array_append_new(items, o)) {
                        rc = GR_ERR_NOMEM;
                        goto out;
                    }
                }
                goto out;
            }
            if ((rc = crm_prep(st, "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1 "
                                   "ORDER BY rowid DESC LIMIT ?2 OFFSET ?3", &s)) != GR_OK)
                goto out;
            sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
            sqlite3_bind_int(s, 2, limit);
            sqlite3_bind_int(s, 3, offset);
        }
    }
    if ((rc = loader_init(&l, st)) != GR_OK) goto out;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = NULL;
        if ((rc = loader_get(&l, sqlite3_column_int64(s, 0), &o)) != GR_OK) break;
        if (json_array_append_new(items, o)) {
            rc = GR_ERR_NOMEM;
            break;
        }
    }
    if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(st, src, "contact list");
out:
    loader_done(&l);
    sqlite3_finalize(s);
    sqlite3_free(idjson);
    free(match);
    free(ids.v);
    groups_free(&gs);
    if (rc == GR_OK) {
        int exact = !(mode == MATCH && total > COUNT_CAP);
        *out = json_pack("{s:o,s:I,s:b,s:s,s:i,s:i}", "items", items, "total", (json_int_t)(exact ? total : COUNT_CAP),
                         "total_exact", exact, "order", order, "limit", limit, "offset", offset);
        return *out ? GR_OK : GR_ERR_NOMEM;
    }
    json_decref(items);
    return rc;
}

/* ---- duplicates ---- */

enum { M_EMAIL = 1, M_PHONE = 2, M_FACE = 4 };

typedef struct {
    int64_t id;
    int why;
} dup_t;

typedef struct {
    dup_t *v;
    size_t n, cap;
} dups_t;

static int dups_add(dups_t *d, int64_t id, int why) {
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].id == id) {
            d->v[i].why |= why;
            return GR_OK;
        }
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 8;
        dup_t *p = realloc(d->v, nc * sizeof *p);
        if (!p) return GR_ERR_NOMEM;
        d->v = p;
        d->cap = nc;
    }
    d->v[d->n++] = (dup_t){id, why};
    return GR_OK;
}

static int dup_cmp(const void *a, const void *b) {
    int64_t x = ((const dup_t *)a)->id, y = ((const dup_t *)b)->id;
    return (x > y) - (x < y);
}

int crm_contact_duplicates(crm_store_t *st, json_t *in, int64_t exclude_id, json_t **out) {
    *out = NULL;
    if (!json_is_object(in)) return GR_ERR_INVAL;
    dups_t d = {0};
    sqlite3_stmt *s = NULL, *f = NULL;
    crm_opts_t opts;
    crm_store_opts(st, &opts);
    int rc = crm_prep(st, "SELECT DISTINCT v.contact_id FROM contact_values v JOIN contacts c ON c.id = v.contact_id "
                          "WHERE v.kind = ?1 AND v.norm = ?2 AND c.merged_into IS NULL AND c.id != ?3", &s);
    if (rc != GR_OK) return rc;
    static const char *const keys[] = {"emails", "phones"};
    for (int k = 0; k < 2 && rc == GR_OK; k++) {
        json_t *a = json_object_get(in, keys[k]), *v;
        size_t i;
        json_array_foreach(a, i, v) {
            const char *val = json_is_object(v) ? json_string_value(json_object_get(v, "number")) : json_string_value(v);
            char norm[CRM_MAX_TEXT + 2];
            if (!val || strlen(val) > CRM_MAX_TEXT) continue;
            size_t nl = k == 0 ? crm_norm_email(val, norm, sizeof norm) : crm_norm_phone(val, opts.region, norm, sizeof norm);
            if (!nl) continue;
            sqlite3_reset(s);
            sqlite3_bind_text(s, 1, k == 0 ? "email" : "phone", -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 2, norm, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(s, 3, exclude_id);
            int src;
            while ((src = sqlite3_step(s)) == SQLITE_ROW)
                if ((rc = dups_add(&d, sqlite3_column_int64(s, 0), k == 0 ? M_EMAIL : M_PHONE)) != GR_OK) break;
            if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(st, src, "duplicates");
            if (rc != GR_OK) break;
        }
    }
    sqlite3_finalize(s);
    s = NULL;
    if (rc != GR_OK) goto out;
    if ((rc = crm_prep(st, "SELECT p.contact_id FROM people p JOIN contacts c ON c.id = p.contact_id "
                           "WHERE p.id = ?1 AND c.merged_into IS NULL AND c.id != ?2", &f)) != GR_OK)
        goto out;
    json_t *a = json_object_get(in, "person_ids"), *v;
    size_t i;
    json_array_foreach(a, i, v) {
        if (!json_is_integer(v)) continue;
        sqlite3_reset(f);
        sqlite3_bind_int64(f, 1, json_integer_value(v));
        sqlite3_bind_int64(f, 2, exclude_id);
        if (sqlite3_step(f) == SQLITE_ROW && (rc = dups_add(&d, sqlite3_column_int64(f, 0), M_FACE)) != GR_OK)
            goto out;
    }
    if (d.n) qsort(d.v, d.n, sizeof *d.v, dup_cmp);
    if ((rc = crm_prep(st, "SELECT name FROM contacts WHERE id = ?1", &s)) != GR_OK) goto out;
    json_t *arr = json_array();
    if (!arr) {
        rc = GR_ERR_NOMEM;
        goto out;
    }
    for (size_t j = 0; j < d.n; j++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, d.v[j].id);
        json_t *name = sqlite3_step(s) == SQLITE_ROW ? crm_col(s, 0) : json_string("");
        json_t *why = json_array();
        if (d.v[j].why & M_EMAIL) json_array_append_new(why, json_string("email"));
        if (d.v[j].why & M_PHONE) json_array_append_new(why, json_string("phone"));
        if (d.v[j].why & M_FACE) json_array_append_new(why, json_string("face"));
        json_t *o = json_pack("{s:I,s:o,s:o}", "id", (json_int_t)d.v[j].id, "name", name, "match", why);
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            rc = GR_ERR_NOMEM;
            goto out;
        }
    }
    *out = arr;
out:
    sqlite3_finalize(s);
    sqlite3_finalize(f);
    free(d.v);
    return rc;
}

/* ---- merge ---- */

int crm_contact_merge(crm_store_t *st, int64_t keep_id, int64_t drop_id, const char *actor, json_t **out,
                      char *err, size_t errlen) {
    if (out) *out = NULL;
    if (keep_id == drop_id) return crm_fail(GR_ERR_INVAL, err, errlen, "cannot merge a contact into itself");
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    json_t *keep = NULL, *drop = NULL;
    sqlite3_stmt *s = NULL;
    if ((rc = crm_contact_get(st, keep_id, &keep)) != GR_OK ||
        (rc = crm_contact_get(st, drop_id, &drop)) != GR_OK) {
        if (rc == GR_ERR_NOTFOUND)
            crm_fail(rc, err, errlen, "no contact %lld", (long long)(keep ? drop_id : keep_id));
        goto fail;
    }
    if (!json_is_null(json_object_get(keep, "merged_into")) || !json_is_null(json_object_get(drop, "merged_into"))) {
        rc = crm_fail(GR_ERR_INVAL, err, errlen, "contact %lld was already merged",
                      (long long)(json_is_null(json_object_get(keep, "merged_into")) ? drop_id : keep_id));
        goto fail;
    }
    /* Values: move all but exact repeats. */
    if ((rc = crm_exec_ids(st, "DELETE FROM contact_values WHERE contact_id = ?2 AND EXISTS (SELECT 1 FROM "
                               "contact_values k WHERE k.contact_id = ?1 AND k.kind = contact_values.kind AND "
                               "k.value = contact_values.value)", keep_id, drop_id)) != GR_OK)
        goto fail;
    if ((rc = crm_exec_ids(st, "UPDATE contact_values SET contact_id = ?1 WHERE contact_id = ?2", keep_id, drop_id)) !=
        GR_OK)
        goto fail;
    /* Fields: fill keep's empty ones; differing values go into the note. */
    static const char *const fields[] = {"given_name", "family_name", "name", "title", "address"};
    size_t cap = strlen(jstr(keep, "note")) + strlen(jstr(drop, "note")) + 64;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) cap += strlen(jstr(drop, fields[i])) + 32;
    cap += strlen(jstr(drop, "company")) + 32;
    char *note = malloc(cap);
    if (!note) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    size_t nn = (size_t)snprintf(note, cap, "%s", jstr(keep, "note"));
    const char *dn = jstr(drop, "note");
    if (*dn && strcmp(dn, jstr(keep, "note")))
        nn += (size_t)snprintf(note + nn, cap - nn, "%s%s", nn ? "\n" : "", dn);
    const char *merged[6];
    for (size_t i = 0; i < 5; i++) merged[i] = *jstr(keep, fields[i]) ? jstr(keep, fields[i]) : jstr(drop, fields[i]);
    for (size_t i = 0; i < 5; i++) {
        const char *k = jstr(keep, fields[i]), *dv = jstr(drop, fields[i]);
        if (*k && *dv && strcmp(k, dv) && i != 0 && i != 1)
            nn += (size_t)snprintf(note + nn, cap - nn, "%sMerged %s: %s", nn ? "\n" : "", fields[i], dv);
    }
    const char *kc = jstr(keep, "company"), *dc = jstr(drop, "company");
    if (*kc && *dc && strcmp(kc, dc))
        nn += (size_t)snprintf(note + nn, cap - nn, "%sMerged company: %s", nn ? "\n" : "", dc);
    json_int_t company = json_integer_value(json_object_get(keep, "company_id"));
    if (!company) company = json_integer_value(json_object_get(drop, "company_id"));
    rc = crm_prep(st, "UPDATE contacts SET given_name=?2, family_name=?3, name=?4, title=?5, address=?6, note=?7, "
                      "company_id=?8, consent_face = consent_face | ?9, consent_mail = consent_mail | ?10, "
                      "updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id=?1", &s);
    if (rc == GR_OK) {
        sqlite3_bind_int64(s, 1, keep_id);
        for (int i = 0; i < 5; i++) sqlite3_bind_text(s, 2 + i, merged[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 7, note, -1, SQLITE_STATIC);
        if (company) sqlite3_bind_int64(s, 8, company);
        sqlite3_bind_int(s, 9, json_is_true(json_object_get(drop, "consent_face")));
        sqlite3_bind_int(s, 10, json_is_true(json_object_get(drop, "consent_mail")));
        rc = crm_step_done(st, s, "merge update");
        sqlite3_finalize(s);
    }
    free(note);
    if (rc != GR_OK) goto fail;
    static const char *const moves[] = {
        "UPDATE leads SET contact_id = ?1 WHERE contact_id = ?2",
        "UPDATE deals SET contact_id = ?1 WHERE contact_id = ?2",
        "UPDATE card_scans SET contact_id = ?1 WHERE contact_id = ?2",
        "UPDATE people SET contact_id = ?1 WHERE contact_id = ?2",
        "UPDATE activity SET entity_id = ?1 WHERE entity = 'contact' AND entity_id = ?2",
        "UPDATE contacts SET merged_into = ?1 WHERE merged_into = ?2",
        "UPDATE contacts SET merged_into = ?1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?2",
        "DELETE FROM contacts_fts WHERE rowid = ?2",
        "DELETE FROM contacts_phone_fts WHERE rowid = ?2",
        "DELETE FROM contact_phone_digits WHERE contact_id = ?2",
    };
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        if ((rc = crm_exec_ids(st, moves[i], keep_id, drop_id)) != GR_OK) goto fail;
    if ((rc = crm_contact_reindex(st, keep_id)) != GR_OK) goto fail;
    json_t *d = json_pack("{s:I}", "merged", (json_int_t)drop_id);
    rc = crm_activity_add(st, "contact", keep_id, "merged", actor, d);
    json_decref(d);
    if (rc != GR_OK) goto fail;
    json_t *tomb = json_pack("{s:I,s:I}", "id", (json_int_t)drop_id, "merged_into", (json_int_t)keep_id);
    rc = tomb ? crm_outbox_json(st, "contact", drop_id, "delete", tomb) : GR_ERR_NOMEM;
    json_decref(tomb);
    if (rc != GR_OK) goto fail;
    json_t *o = NULL;
    if ((rc = crm_contact_get(st, keep_id, &o)) != GR_OK) goto fail;
    rc = crm_outbox_json(st, "contact", keep_id, "upsert", o);
    if (rc != GR_OK) {
        json_decref(o);
        goto fail;
    }
    if ((rc = crm_tx_commit(&tx)) != GR_OK) {
        json_decref(o);
        goto fail_out;
    }
    if (out) *out = o;
    else json_decref(o);
    json_decref(keep);
    json_decref(drop);
    return GR_OK;
fail:
    crm_tx_rollback(&tx);
fail_out:
    json_decref(keep);
    json_decref(drop);
    return rc;
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
    sqlite3_bind_text(s, 3, jstr(c, "name"), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, consent);
    rc = crm_step_done(st, s, "link person");
    sqlite3_finalize(s);
    if (rc != GR_OK) goto fail;
    json_t *d = json_pack("{s:I}", "person_id", (json_int_t)person_id);
    rc = crm_audit(st, actor, "face.link", "contact", contact_id, d);
    if (rc == GR_OK) rc = crm_activity_add(st, "contact", contact_id, "face_linked", actor, d);
    json_decref(d);
    if (rc != GR_OK) goto fail;
    json_decref(c);
    c = NULL;
    if ((rc = crm_contact_get(st, contact_id, &c)) != GR_OK) goto fail;
    if ((rc = crm_outbox_json(st, "contact", contact_id, "upsert", c)) != GR_OK) goto fail;
    json_decref(c);
    return crm_tx_commit(&tx);
fail:
    json_decref(c);
    crm_tx_rollback(&tx);
    return rc;
}
