/* duplicates.c - the normalised e-mails and phones, finding the contacts
 * that look like one person, and merging two of them (duplicates.h). */
#define GR_LOG_MODULE "crm"
#include "crm/duplicates.h"

#include "crm/activity.h"
#include "crm/contact_search.h"
#include "crm/contacts.h"
#include "crm/crmutil.h"
#include "crm/record_internal.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "firmware/formats/phone.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    dup_t *p = crm_grow(d->v, d->n, &d->cap, sizeof *p, 8);
    if (!p) return GR_ERR_NOMEM;
    d->v = p;
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
    size_t cap = strlen(crm_jstr(keep, "note")) + strlen(crm_jstr(drop, "note")) + 64;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) cap += strlen(crm_jstr(drop, fields[i])) + 32;
    cap += strlen(crm_jstr(drop, "company")) + 32;
    char *note = malloc(cap);
    if (!note) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    size_t nn = (size_t)snprintf(note, cap, "%s", crm_jstr(keep, "note"));
    const char *dn = crm_jstr(drop, "note");
    if (*dn && strcmp(dn, crm_jstr(keep, "note")))
        nn += (size_t)snprintf(note + nn, cap - nn, "%s%s", nn ? "\n" : "", dn);
    const char *merged[6];
    for (size_t i = 0; i < 5; i++) merged[i] = *crm_jstr(keep, fields[i]) ? crm_jstr(keep, fields[i]) : crm_jstr(drop, fields[i]);
    for (size_t i = 0; i < 5; i++) {
        const char *k = crm_jstr(keep, fields[i]), *dv = crm_jstr(drop, fields[i]);
        if (*k && *dv && strcmp(k, dv) && i != 0 && i != 1)
            nn += (size_t)snprintf(note + nn, cap - nn, "%sMerged %s: %s", nn ? "\n" : "", fields[i], dv);
    }
    const char *kc = crm_jstr(keep, "company"), *dc = crm_jstr(drop, "company");
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
    };
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        if ((rc = crm_exec_ids(st, moves[i], keep_id, drop_id)) != GR_OK) goto fail;
    if ((rc = crm_contact_unindex(st, drop_id)) != GR_OK) goto fail;
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
    if ((rc = crm_record_snapshot(st, "contact", keep_id, "upsert", crm_contact_get, &o)) != GR_OK) goto fail;
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

