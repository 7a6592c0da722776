#define GR_LOG_MODULE "crm"
#include "crm/transfer.h"

#include "crm/activity.h"
#include "crm/contact_search.h"
#include "crm/contacts.h"
#include "crm/duplicates.h"
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
    int vcard = format && !strcmp(format, "vcard");
    if (!vcard && !(format && !strcmp(format, "csv"))) return GR_ERR_INVAL;
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
            rc = js ? fmt_vcard_write(js, &card) : GR_ERR_NOMEM;
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
    } else if ((rc = crm_csv_write(all, out)) != GR_OK) {
        goto out;
    }
    json_t *d = json_pack("{s:s,s:I}", "format", vcard ? "vcard" : "csv", "contacts", (json_int_t)n);
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

/* Line numbers of the good cards: every BEGIN:VCARD line not named in the
 * reader's errors, in order. */
static int *vcard_lines(const char *text, size_t len, json_t *errors, size_t *n) {
    size_t cap = 16;
    int *v = malloc(cap * sizeof *v);
    *n = 0;
    if (!v) return NULL;
    int line = 1;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *s = p;
        while (s < end && (*s == ' ' || *s == '\t')) s++;
        if ((size_t)(end - s) >= 11 && !strncasecmp(s, "BEGIN:VCARD", 11)) {
            int bad = 0;
            size_t i;
            json_t *e;
            json_array_foreach(errors, i, e) if (json_integer_value(json_object_get(e, "line")) == line) bad = 1;
            if (!bad) {
                if (*n == cap) {
                    int *q = realloc(v, cap * 2 * sizeof *q);
                    if (!q) break;
                    v = q;
                    cap *= 2;
                }
                v[(*n)++] = line;
            }
        }
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) break;
        p = nl + 1;
        line++;
    }
    return v;
}

int crm_contacts_import(crm_store_t *st, const char *text, size_t len, const char *actor, json_t **report) {
    *report = NULL;
    json_t *contacts = NULL, *errors = NULL;
    int *lines = NULL;
    size_t nlines = 0;
    int vcard = crm_text_is_vcard(text, len);
    int rc;
    if (vcard) {
        char *cj = NULL, *ej = NULL;
        rc = fmt_vcard_read(text, len, &cj, &ej);
        if (rc == GR_OK) {
            contacts = json_loads(cj, 0, NULL);
            errors = json_loads(ej, 0, NULL);
            if (!contacts || !errors) rc = GR_ERR_NOMEM;
        }
        free(cj);
        free(ej);
        if (rc == GR_OK) lines = vcard_lines(text, len, errors, &nlines);
    } else {
        rc = crm_csv_read(text, len, &contacts, &errors);
    }
    if (rc != GR_OK) goto out;
    int64_t created = 0, merged = 0;
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
        int line = json_is_integer(json_object_get(c, "line")) ? (int)json_integer_value(json_object_get(c, "line"))
                   : i < nlines                                ? lines[i]
                                                               : 0;
        json_t *out = NULL;
        char err[256] = "";
        int r = crm_contact_create(st, c, actor, &out, err, sizeof err);
        if (r == GR_OK) {
            json_t *dups = json_object_get(out, "duplicates");
            if (json_array_size(dups)) {
                int64_t keep = json_integer_value(json_object_get(json_array_get(dups, 0), "id"));
                int64_t id = json_integer_value(json_object_get(out, "id"));
                r = crm_contact_merge(st, keep, id, actor, NULL, err, sizeof err);
                if (r == GR_OK) merged++;
            } else {
                created++;
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
    *report = json_pack("{s:s,s:I,s:I,s:I,s:O}", "format", vcard ? "vcard" : "csv", "created", (json_int_t)created,
                        "merged", (json_int_t)merged, "failed", (json_int_t)json_array_size(errors), "errors", errors);
    if (!*report) rc = GR_ERR_NOMEM;
out:
    free(lines);
    json_decref(contacts);
    json_decref(errors);
    return rc;
}
