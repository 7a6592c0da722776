#define GR_LOG_MODULE "crm"
#include "crm/deals.h"

#include "crm/activity.h"
#include "crm/contacts.h"
#include "crm/crmutil.h"
#include "crm/record_internal.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char *const stages[] = {"NEW", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING",
                                     "FINAL_INVOICE", "WON", "LOSE"};

int crm_deal_stage_valid(const char *stage) {
    for (size_t i = 0; stage && i < sizeof stages / sizeof stages[0]; i++)
        if (!strcmp(stage, stages[i])) return 1;
    return 0;
}

static int stage_final(const char *s) { return !strcmp(s, "WON") || !strcmp(s, "LOSE"); }

#define DEAL_COLS "d.id, d.title, d.stage, d.contact_id, d.company_id, d.lead_id, d.amount, d.currency, " \
    "d.created_at, d.updated_at, c.name, co.title, d.assigned_to"
#define DEAL_UPDATE "UPDATE deals SET title = coalesce(?2, title), stage = coalesce(?3, stage), " \
    "contact_id = CASE WHEN ?4 THEN ?5 ELSE contact_id END, company_id = CASE WHEN ?6 THEN ?7 ELSE company_id END, " \
    "amount = CASE WHEN ?8 THEN ?9 ELSE amount END, currency = coalesce(?10, currency), " \
    "assigned_to = coalesce(?11, assigned_to), " \
    "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?1"
#define DEAL_FROM " FROM deals d LEFT JOIN contacts c ON c.id = d.contact_id LEFT JOIN companies co ON co.id = d.company_id"

static json_t *deal_row(sqlite3_stmt *s) {
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:f,s:o,s:o,s:o,s:o,s:o,s:o}", "id", crm_col(s, 0), "title",
                     crm_col(s, 1), "stage", crm_col(s, 2), "contact_id", crm_col(s, 3), "company_id", crm_col(s, 4),
                     "lead_id", crm_col(s, 5), "amount", sqlite3_column_double(s, 6), "currency", crm_col(s, 7),
                     "created_at", crm_col(s, 8), "updated_at", crm_col(s, 9), "contact_name", crm_col(s, 10),
                     "company_title", crm_col(s, 11), "assigned_to", crm_col(s, 12));
}

int crm_deal_get(crm_store_t *st, int64_t id, json_t **out) {
    return crm_get_row(st, "deal get", "SELECT " DEAL_COLS DEAL_FROM " WHERE d.id = ?1", id, deal_row, out);
}

typedef struct {
    const char *title, *stage, *currency, *assigned_to;
    int64_t contact_id, company_id, lead_id;
    int has_contact, has_company, has_lead, has_amount;
    double amount;
} deal_in_t;

static int parse_deal(crm_store_t *st, json_t *in, deal_in_t *d, char *err, size_t errlen) {
    memset(d, 0, sizeof *d);
    if (!json_is_object(in)) return crm_fail(GR_ERR_INVAL, err, errlen, "deal: expected a JSON object");
    int r;
    if ((r = crm_fld_str(in, "title", CRM_MAX_TEXT, &d->title, err, errlen)) < 0) return r;
    if ((r = crm_fld_str(in, "stage", 32, &d->stage, err, errlen)) < 0) return r;
    if ((r = crm_fld_str(in, "currency", 3, &d->currency, err, errlen)) < 0) return r;
    if ((r = crm_fld_str(in, "assigned_to", 256, &d->assigned_to, err, errlen)) < 0) return r;
    if ((r = crm_fld_id(in, "contact_id", &d->contact_id, err, errlen)) < 0) return r;
    d->has_contact = r;
    if ((r = crm_fld_id(in, "company_id", &d->company_id, err, errlen)) < 0) return r;
    d->has_company = r;
    if ((r = crm_fld_id(in, "lead_id", &d->lead_id, err, errlen)) < 0) return r;
    d->has_lead = r;
    if ((r = crm_fld_num(in, "amount", 0, 1e15, &d->amount, err, errlen)) < 0) return r;
    d->has_amount = r;
    if (d->stage && !crm_deal_stage_valid(d->stage))
        return crm_fail(GR_ERR_INVAL, err, errlen,
                        "stage: must be NEW, PREPARATION, PREPAYMENT_INVOICE, EXECUTING, FINAL_INVOICE, WON or LOSE");
    if (d->currency) {
        if (strlen(d->currency) != 3) return crm_fail(GR_ERR_INVAL, err, errlen, "currency: three letters (EUR, USD, ..)");
        for (int i = 0; i < 3; i++)
            if (!isupper((unsigned char)d->currency[i]))
                return crm_fail(GR_ERR_INVAL, err, errlen, "currency: three capital letters (EUR, USD, ..)");
    }
    static const struct { const char *sql, *field; size_t off; } refs[] = {
        {"SELECT count(*) FROM contacts WHERE id = ?1", "contact_id", offsetof(deal_in_t, contact_id)},
        {"SELECT count(*) FROM companies WHERE id = ?1", "company_id", offsetof(deal_in_t, company_id)},
        {"SELECT count(*) FROM leads WHERE id = ?1", "lead_id", offsetof(deal_in_t, lead_id)},
    };
    for (size_t i = 0; i < 3; i++) {
        int64_t id = *(const int64_t *)((const char *)d + refs[i].off), n = 0;
        if (!id) continue;
        int rc = crm_query_int(st, refs[i].sql, id, &n);
        if (rc != GR_OK) return rc;
        if (!n) return crm_fail(GR_ERR_INVAL, err, errlen, "%s: no record %lld", refs[i].field, (long long)id);
    }
    return GR_OK;
}

int crm_deal_create(crm_store_t *st, json_t *in, const char *actor, json_t **out, char *err, size_t errlen) {
    *out = NULL;
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    deal_in_t d;
    sqlite3_stmt *s = NULL;
    int64_t id = 0;
    if ((rc = parse_deal(st, in, &d, err, errlen)) != GR_OK) goto fail;
    if (!d.title || !*d.title) {
        rc = crm_fail(GR_ERR_INVAL, err, errlen, "title: required");
        goto fail;
    }
    if ((rc = crm_prep(st, "INSERT INTO deals(title, stage, contact_id, company_id, lead_id, amount, currency, assigned_to) "
                           "VALUES (?1, coalesce(?2,'NEW'), ?3, ?4, ?5, ?6, coalesce(?7,'EUR'), coalesce(?8,''))", &s)) != GR_OK)
        goto fail;
    if (d.assigned_to) sqlite3_bind_text(s, 8, d.assigned_to, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 1, d.title, -1, SQLITE_STATIC);
    if (d.stage) sqlite3_bind_text(s, 2, d.stage, -1, SQLITE_STATIC);
    if (d.contact_id) sqlite3_bind_int64(s, 3, d.contact_id);
    if (d.company_id) sqlite3_bind_int64(s, 4, d.company_id);
    if (d.lead_id) sqlite3_bind_int64(s, 5, d.lead_id);
    sqlite3_bind_double(s, 6, d.amount);
    if (d.currency) sqlite3_bind_text(s, 7, d.currency, -1, SQLITE_STATIC);
    rc = crm_step_done(st, s, "deal insert");
    sqlite3_finalize(s);
    if (rc != GR_OK) goto fail;
    id = sqlite3_last_insert_rowid(crm_store_db(st));
    rc = crm_activity_add(st, "deal", id, "created", actor, NULL);
fail:
    return crm_record_created(st, &tx, rc, "deal", id, crm_deal_get, out);
}

/* A deal's patch, checked inside the update's transaction (its contact,
 * company and lead must exist), and bound (crm_record_update). */
static int update_parse(crm_store_t *st, json_t *patch, void *in, char *err, size_t errlen) {
    deal_in_t *d = in;
    int rc = parse_deal(st, patch, d, err, errlen);
    if (rc == GR_OK && d->title && !*d->title) rc = crm_fail(GR_ERR_INVAL, err, errlen, "title: must not be empty");
    return rc;
}

static int update_bind(crm_store_t *st, const void *in, json_t *old, sqlite3_stmt *s, const char **kind,
                       json_t **detail, char *err, size_t errlen) {
    (void)st;
    const deal_in_t *d = in;
    const char *from = json_string_value(json_object_get(old, "stage"));
    if (d->stage && strcmp(from, d->stage) && stage_final(from))
        return crm_fail(GR_ERR_INVAL, err, errlen, "stage: the deal is closed (%s) and cannot move to %s", from,
                        d->stage);
    if (d->title) sqlite3_bind_text(s, 2, d->title, -1, SQLITE_STATIC);
    if (d->stage) sqlite3_bind_text(s, 3, d->stage, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, d->has_contact);
    if (d->contact_id) sqlite3_bind_int64(s, 5, d->contact_id);
    sqlite3_bind_int(s, 6, d->has_company);
    if (d->company_id) sqlite3_bind_int64(s, 7, d->company_id);
    sqlite3_bind_int(s, 8, d->has_amount);
    sqlite3_bind_double(s, 9, d->amount);
    if (d->currency) sqlite3_bind_text(s, 10, d->currency, -1, SQLITE_STATIC);
    if (d->assigned_to) sqlite3_bind_text(s, 11, d->assigned_to, -1, SQLITE_STATIC);
    return crm_record_moved("stage", from, d->stage, kind, detail);
}

int crm_deal_update(crm_store_t *st, int64_t id, json_t *patch, const char *actor, json_t **out, char *err,
                    size_t errlen) {
    static const crm_record_ops_t ops = {.entity = "deal", .update_sql = DEAL_UPDATE, .get = crm_deal_get,
                                         .parse = update_parse, .bind = update_bind};
    deal_in_t d;
    return crm_record_update(st, &ops, id, patch, &d, actor, out, err, errlen);
}

int crm_deal_delete(crm_store_t *st, int64_t id, const char *actor) {
    return crm_record_delete(st, "deal", id, actor, crm_deal_get, NULL, "DELETE FROM deals WHERE id = ?1");
}

int crm_deal_list(crm_store_t *st, const char *q, const char *stage, int limit, int offset, json_t **out) {
    *out = NULL;
    if (stage && *stage && !crm_deal_stage_valid(stage)) return GR_ERR_INVAL;
    int nomem = 0;
    char *pat = crm_like_pattern(q, &nomem);
    if (nomem) return GR_ERR_NOMEM;
#define DEAL_WHERE DEAL_FROM " WHERE (?1 IS NULL OR d.stage = ?1) AND (?2 IS NULL OR d.title LIKE ?2 ESCAPE '\\' " \
    "OR c.name LIKE ?2 ESCAPE '\\' OR co.title LIKE ?2 ESCAPE '\\')"
    crm_arg_t args[] = {CRM_ARG_TEXT(stage && *stage ? stage : NULL), CRM_ARG_TEXT(pat)};
    int rc = crm_list_page(st, "deal list", "SELECT count(*)" DEAL_WHERE,
                           "SELECT " DEAL_COLS DEAL_WHERE " ORDER BY d.id DESC LIMIT ?3 OFFSET ?4", args, 2, limit,
                           offset, deal_row, out);
    free(pat);
    return rc;
}
