#define GR_LOG_MODULE "crm"
#include "crm/transfer.h"

#include "crm/activity.h"
#include "crm/contact_search.h"
#include "crm/contacts.h"
#include "crm/duplicates.h"
#include "crm/notify.h"
#include "crm/crmutil.h"
#include "crm/csv.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "firmware/formats/vcard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IMPORT_BATCH 200

int crm_contacts_export(crm_store_t *st, const char *format, const char *actor, char **out, size_t *count) {
    *out = NULL;
    if (count) *count = 0;
    if (!format) return GR_ERR_INVAL;
    int vcard = !strcmp(format, "vcard") ? 4 : !strcmp(format, "vcard3") ? 3 : 0;
    crm_csv_layout_t layout = CRM_CSV_GREETER;
    if (!strcmp(format, "csv-google")) layout = CRM_CSV_GOOGLE;
    else if (!strcmp(format, "csv-outlook")) layout = CRM_CSV_OUTLOOK;
    else if (!vcard && strcmp(format, "csv")) return GR_ERR_INVAL;
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = crm_ids(st, "SELECT id FROM contacts WHERE merged_into IS NULL ORDER BY id", 0, &ids, &n);
    if (rc != GR_OK) return rc;
    json_t *all = vcard ? NULL : json_array();
    char *text = NULL;
    size_t size = 0;
    FILE *f = vcard ? open_memstream(&text, &size) : NULL;
    if (vcard ? !f : !all) {
        rc = GR_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *c = NULL;
        if ((rc = crm_contact_get(st, ids[i], &c)) != GR_OK) goto out;
        if (vcard) {
            char *js = json_dumps(c, JSON_COMPACT), *card = NULL;
            json_decref(c);
            rc = js ? fmt_vcard_write_version(js, vcard, &card) : GR_ERR_NOMEM;
            free(js);
            if (rc != GR_OK) goto out;
            fputs(card, f);
            free(card);
        } else if (json_array_append_new(all, c)) {
            rc = GR_ERR_NOMEM;
            goto out;
        }
    }
    if (vcard) {
        if (fclose(f) != 0) {
            f = NULL;
            rc = GR_ERR_NOMEM;
            goto out;
        }
        f = NULL;
        *out = text;
        text = NULL;
    } else if ((rc = crm_csv_write_layout(all, layout, out)) != GR_OK) {
        goto out;
    }
    json_t *d = json_pack("{s:s,s:I}", "format", format, "contacts", (json_int_t)n);
    if (crm_audit(st, actor, "contacts.export", NULL, 0, d) != GR_OK) LOG_W("could not record the export");
    json_decref(d);
    if (count) *count = n;
out:
    if (f) fclose(f);
    free(text);
    json_decref(all);
    free(ids);
    if (rc != GR_OK) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

static void add_msg(json_t *arr, int line, const char *msg) {
    json_t *e = json_pack("{s:i,s:s}", "line", line, "message", msg);
    if (e) json_array_append_new(arr, e);
}

static const char *first_value(json_t *arr) {
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        const char *s = json_is_object(v) ? json_string_value(json_object_get(v, "number")) : json_string_value(v);
        if (s && *s) return s;
    }
    return NULL;
}

static int blank(json_t *c, const char *key) {
    const char *s = json_string_value(json_object_get(c, key));
    if (!s) return 1;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    return !*s;
}

/* A record with no name and no company is named after its first e-mail
 * or phone; 1 when it was (the contact is then marked for review). */
static int derive_name(json_t *c) {
    if (!blank(c, "name") || !blank(c, "given_name") || !blank(c, "family_name") || !blank(c, "company")) return 0;
    const char *v = first_value(json_object_get(c, "emails"));
    if (!v) v = first_value(json_object_get(c, "phones"));
    if (!v || strlen(v) > CRM_MAX_TEXT) return 0;
    json_object_set_new(c, "name", json_string(v));
    return 1;
}

/* crm_contact_create refused one value ("phones[2]: \"x\" is not a phone
 * number", "emails: more than 32 values"): leave it out of c, say so in
 * warnings, return 1 to try again. 0 when the error is about the record. */
static int drop_refused(json_t *c, const char *err, int line, json_t *warnings) {
    static const struct { const char *key, *what; } kinds[] = {
        {"phones", "phone"}, {"emails", "e-mail"}, {"websites", "website"}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t kl = strlen(kinds[k].key);
        if (strncmp(err, kinds[k].key, kl)) continue;
        json_t *a = json_object_get(c, kinds[k].key);
        char msg[320];
        if (!strncmp(err + kl, ": more than ", 12) && json_array_size(a) > CRM_MAX_VALUES) {
            size_t extra = json_array_size(a) - CRM_MAX_VALUES;
            while (json_array_size(a) > CRM_MAX_VALUES) json_array_remove(a, CRM_MAX_VALUES);
            snprintf(msg, sizeof msg, "dropped %zu %ss beyond the first %d", extra, kinds[k].what, CRM_MAX_VALUES);
            add_msg(warnings, line, msg);
            return 1;
        }
        char *end = NULL;
        if (err[kl] != '[') return 0;
        unsigned long idx = strtoul(err + kl + 1, &end, 10);
        if (!end || strncmp(end, "]: ", 3) || idx >= json_array_size(a)) return 0;
        const char *why = end + 3;
        /* "\"value\" is not a phone number" -> "not a phone number" */
        if (*why == '"') {
            const char *q = strstr(why + 1, "\" ");
            if (q) why = q + 2;
        }
        if (!strncmp(why, "is ", 3)) why += 3;
        json_t *v = json_array_get(a, idx);
        const char *val = json_is_object(v) ? json_string_value(json_object_get(v, "number")) : json_string_value(v);
        char shown[64];
        snprintf(shown, sizeof shown, "%s", val ? val : "");
        /* never cut a UTF-8 sequence in the report */
        size_t n = strlen(shown);
        while (n && ((unsigned char)shown[n - 1] & 0xC0) == 0x80) n--;
        if (n && ((unsigned char)shown[n - 1] & 0xC0) == 0xC0) n--;
        if (val && strlen(val) >= sizeof shown - 1) shown[n] = 0;
        snprintf(msg, sizeof msg, "dropped %s \"%s\": %s", kinds[k].what, shown, why);
        add_msg(warnings, line, msg);
        json_array_remove(a, idx);
        return 1;
    }
    return 0;
}

int crm_contacts_import(crm_store_t *st, const char *text, size_t len, const char *actor, json_t **report) {
    *report = NULL;
    json_t *contacts = NULL, *errors = NULL, *warnings = json_array();
    int vcard = crm_text_is_vcard(text, len);
    int rc = warnings ? GR_OK : GR_ERR_NOMEM;
    if (rc != GR_OK) {
    } else if (vcard) {
        char *cj = NULL, *ej = NULL;
        json_t *all = NULL;
        rc = fmt_vcard_read_lines(text, len, &cj, &ej);
        if (rc == GR_OK) {
            contacts = json_loads(cj, 0, NULL);
            all = json_loads(ej, 0, NULL);
            errors = json_array();
            if (!contacts || !all || !errors) rc = GR_ERR_NOMEM;
        }
        /* the reader's reports: values left out (warnings), cards skipped (errors) */
        size_t k;
        json_t *e;
        json_array_foreach(all, k, e) {
            json_t *copy = json_pack("{s:O,s:O}", "line", json_object_get(e, "line"), "message",
                                     json_object_get(e, "message"));
            if (copy) json_array_append_new(json_is_true(json_object_get(e, "dropped")) ? warnings : errors, copy);
        }
        json_decref(all);
        free(cj);
        free(ej);
    } else {
        rc = crm_csv_read(text, len, &contacts, &errors);
    }
    if (rc != GR_OK) goto out;
    int64_t created = 0, merged = 0, review = 0;
    crm_tx_t tx;
    if ((rc = crm_tx_begin(st, &tx)) != GR_OK) goto out;
    size_t i;
    json_t *c;
    json_array_foreach(contacts, i, c) {
        /* Our own transaction is committed every IMPORT_BATCH records, so a
         * long import never holds the write lock for long (the camera's
         * visits wait at most one batch). */
        if (tx.outer && i && i % IMPORT_BATCH == 0) {
            if ((rc = crm_tx_commit(&tx)) != GR_OK || (rc = crm_tx_begin(st, &tx)) != GR_OK) goto out;
        }
        int line = (int)json_integer_value(json_object_get(c, "line"));
        int named = derive_name(c);
        json_t *out = NULL;
        char err[256] = "";
        int r, tries = 0;
        /* A value crm refuses is left out and reported; the record is kept. */
        while ((r = crm_contact_create(st, c, actor, &out, err, sizeof err)) == GR_ERR_INVAL && tries++ < 3 * 40 &&
               drop_refused(c, err, line, warnings)) {
            err[0] = 0;
            if (named) { /* it may have been named after the value just dropped */
                json_object_set_new(c, "name", json_string(""));
                named = derive_name(c);
            }
        }
        if (r == GR_OK) {
            json_t *dups = json_object_get(out, "duplicates");
            if (json_array_size(dups)) {
                int64_t keep = json_integer_value(json_object_get(json_array_get(dups, 0), "id"));
                int64_t id = json_integer_value(json_object_get(out, "id"));
                r = crm_contact_merge(st, keep, id, actor, NULL, err, sizeof err);
                if (r == GR_OK) merged++;
            } else {
                created++;
                if (named) {
                    /* named after its e-mail or phone: someone should look */
                    int64_t id = json_integer_value(json_object_get(out, "id"));
                    char body[CRM_MAX_TEXT + 96];
                    snprintf(body, sizeof body, "\"%s\" was imported without a name (line %d); it is named after "
                             "its e-mail or phone.", json_string_value(json_object_get(c, "name")), line);
                    r = crm_notify_add(st, "Imported contact needs a name", body, "contact", id, 0, NULL);
                    review++;
                }
            }
            json_decref(out);
        }
        if (r == GR_ERR_INVAL || r == GR_ERR_NOTFOUND) {
            json_t *e = json_pack("{s:i,s:s}", "line", line, "message", err[0] ? err : gr_strerror(r));
            if (e) json_array_append_new(errors, e);
        } else if (r != GR_OK) {
            rc = r; /* the database failed: the current batch is undone */
            crm_tx_rollback(&tx);
            LOG_E("import stopped at record %zu (line %d): %s; %lld created and %lld merged before it are kept", i + 1,
                  line, gr_strerror(r), (long long)created, (long long)merged);
            goto out;
        }
    }
    json_t *d = json_pack("{s:s,s:I,s:I}", "format", vcard ? "vcard" : "csv", "created", (json_int_t)created, "merged",
                          (json_int_t)merged);
    rc = d ? crm_audit(st, actor, "contacts.import", NULL, 0, d) : GR_ERR_NOMEM;
    json_decref(d);
    if (rc == GR_OK) rc = crm_tx_commit(&tx);
    else crm_tx_rollback(&tx);
    if (rc != GR_OK) goto out;
    if (tx.outer && created + merged >= 1000) crm_contact_search_optimize(st); /* faster search; may fail harmlessly */
    *report = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:O,s:O}", "format", vcard ? "vcard" : "csv", "created",
                        (json_int_t)created, "merged", (json_int_t)merged, "failed", (json_int_t)json_array_size(errors),
                        "dropped", (json_int_t)json_array_size(warnings), "review", (json_int_t)review, "errors", errors,
                        "warnings", warnings);
    if (!*report) rc = GR_ERR_NOMEM;
out:
    json_decref(contacts);
    json_decref(errors);
    json_decref(warnings);
    return rc;
}
