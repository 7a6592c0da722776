#define GR_LOG_MODULE "crm"
#include "crm/companies.h"

#include "crm/activity.h"
#include "crm/contact_search.h"
#include "crm/contacts.h"
#include "crm/crmutil.h"
#include "crm/record_internal.h"
#include "firmware/core/err.h"
#include "firmware/formats/website.h"
#include "firmware/core/log.h"

#include <stdlib.h>
#include <string.h>

#define COMPANY_COLS "id, title, website, address, created_at, updated_at, " \
    "(SELECT count(*) FROM contacts c WHERE c.company_id = companies.id AND c.merged_into IS NULL)"

#define COMPANY_UPDATE "UPDATE companies SET title = coalesce(?2, title), " \
    "website = CASE WHEN ?5 THEN ?3 ELSE website END, address = CASE WHEN ?6 THEN ?4 ELSE address END, " \
    "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?1"

static json_t *company_row(sqlite3_stmt *s) {
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", crm_col(s, 0), "title", crm_col(s, 1), "website",
                     crm_col(s, 2), "address", crm_col(s, 3), "created_at", crm_col(s, 4), "updated_at",
                     crm_col(s, 5), "contact_count", crm_col(s, 6));
}

int crm_company_get(crm_store_t *st, int64_t id, json_t **out) {
    return crm_get_row(st, "company get", "SELECT " COMPANY_COLS " FROM companies WHERE id = ?1", id, company_row, out);
}

typedef struct {
    const char *title, *website, *address;
    json_t *patch; /* the input, borrowed */
} company_in_t;

static int parse_company(json_t *in, company_in_t *c, int create, char *err, size_t errlen) {
    memset(c, 0, sizeof *c);
    c->patch = in;
    if (!json_is_object(in)) return crm_fail(GR_ERR_INVAL, err, errlen, "company: expected a JSON object");
    int r;
    if ((r = crm_fld_str(in, "title", CRM_MAX_TEXT, &c->title, err, errlen)) < 0) return r;
    if ((r = crm_fld_str(in, "website", CRM_MAX_TEXT, &c->website, err, errlen)) < 0) return r;
    if (r > 0 && *c->website) {
        char w[CRM_MAX_TEXT + 1];
        crm_trimcpy(w, sizeof w, c->website);
        if (*w && !fmt_website_ok(w))
            return crm_fail(GR_ERR_INVAL, err, errlen, "website: \"%.60s\" is not an http(s) address", c->website);
    }
    if ((r = crm_fld_str(in, "address", CRM_MAX_LONGTEXT, &c->address, err, errlen)) < 0) return r;
    if ((create || c->title) && (!c->title || !*c->title))
        return crm_fail(GR_ERR_INVAL, err, errlen, "title: required");
    return GR_OK;
}

static int insert_company(crm_store_t *st, const company_in_t *c, const char *actor, int64_t *id) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, "INSERT INTO companies(title, website, address) VALUES (?1,?2,?3)", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, c->title, -1, SQLITE_STATIC);
    if (c->website) sqlite3_bind_text(s, 2, c->website, -1, SQLITE_STATIC);
    if (c->address) sqlite3_bind_text(s, 3, c->address, -1, SQLITE_STATIC);
    rc = crm_step_done(st, s, "company insert");
    sqlite3_finalize(s);
    if (rc != GR_OK) return rc;
    *id = sqlite3_last_insert_rowid(crm_store_db(st));
    return crm_activity_add(st, "company", *id, "created", actor, NULL);
}

int crm_company_create(crm_store_t *st, json_t *in, const char *actor, json_t **out, char *err, size_t errlen) {
    *out = NULL;
    company_in_t c;
    int rc = parse_company(in, &c, 1, err, errlen);
    if (rc != GR_OK) return rc;
    crm_tx_t tx;
    if ((rc = crm_tx_begin(st, &tx)) != GR_OK) return rc;
    int64_t id = 0;
    rc = insert_company(st, &c, actor, &id);
    return crm_record_created(st, &tx, rc, "company", id, crm_company_get, out);
}

int crm_company_ensure(crm_store_t *st, const char *title, const char *actor, int64_t *id) {
    *id = 0;
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, "SELECT id FROM companies WHERE title = ?1 COLLATE NOCASE ORDER BY id LIMIT 1", &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, title, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) *id = sqlite3_column_int64(s, 0);
    else if (src != SQLITE_DONE) rc = crm_store_error(st, src, "company find");
    sqlite3_finalize(s);
    if (rc != GR_OK || *id) return rc;
    company_in_t c = {title, NULL, NULL, NULL};
    if ((rc = insert_company(st, &c, actor, id)) != GR_OK) return rc;
    return crm_record_snapshot(st, "company", *id, "upsert", crm_company_get, NULL);
}

/* Bind a company's patch (crm_record_update). */
static int update_bind(crm_store_t *st, const void *in, json_t *old, sqlite3_stmt *s, const char **kind,
                       json_t **detail, char *err, size_t errlen) {
    (void)st, (void)old, (void)kind, (void)err, (void)errlen;
    const company_in_t *c = in;
    if (c->title) sqlite3_bind_text(s, 2, c->title, -1, SQLITE_STATIC);
    if (c->website) sqlite3_bind_text(s, 3, c->website, -1, SQLITE_STATIC);
    if (c->address) sqlite3_bind_text(s, 4, c->address, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, c->website != NULL);
    sqlite3_bind_int(s, 6, c->address != NULL);
    *detail = json_incref(c->patch); /* the history shows what was asked for */
    return GR_OK;
}

/* The contacts' search text holds the company's title. */
static int update_after(crm_store_t *st, int64_t id, const void *in) {
    const company_in_t *c = in;
    return c->title ? crm_contact_reindex_company(st, id) : GR_OK;
}

int crm_company_update(crm_store_t *st, int64_t id, json_t *patch, const char *actor, json_t **out, char *err,
                       size_t errlen) {
    *out = NULL;
    company_in_t c;
    int rc = parse_company(patch, &c, 0, err, errlen);
    static const crm_record_ops_t ops = {.entity = "company", .update_sql = COMPANY_UPDATE, .get = crm_company_get,
                                         .bind = update_bind, .after = update_after};
    return rc != GR_OK ? rc : crm_record_update(st, &ops, id, patch, &c, actor, out, err, errlen);
}

int crm_company_delete(crm_store_t *st, int64_t id, const char *actor) {
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    json_t *snap = NULL;
    int64_t *ids = NULL;
    size_t nids = 0;
    if ((rc = crm_company_get(st, id, &snap)) != GR_OK) goto fail;
    /* The contacts' search text loses the title: collect them first (the
     * foreign key unlinks them on delete). */
    if ((rc = crm_ids(st, "SELECT id FROM contacts WHERE company_id = ?1", id, &ids, &nids)) != GR_OK) goto fail;
    if ((rc = crm_exec_ids(st, "DELETE FROM companies WHERE id = ?1", id, 0)) != GR_OK) goto fail;
    for (size_t i = 0; i < nids; i++)
        if ((rc = crm_contact_reindex(st, ids[i])) != GR_OK) goto fail;
    if ((rc = crm_activity_add(st, "company", id, "deleted", actor, NULL)) != GR_OK) goto fail;
    if ((rc = crm_outbox_json(st, "company", id, "delete", snap)) != GR_OK) goto fail;
    json_decref(snap);
    free(ids);
    return crm_tx_commit(&tx);
fail:
    json_decref(snap);
    free(ids);
    crm_tx_rollback(&tx);
    return rc;
}

int crm_company_list(crm_store_t *st, const char *q, int limit, int offset, json_t **out) {
    *out = NULL;
    /* The pattern is bound; % _ and \ in q are escaped so they match literally. */
    int nomem = 0;
    char *pat = crm_like_pattern(q, &nomem);
    if (nomem) return GR_ERR_NOMEM;
#define COMPANY_WHERE " FROM companies WHERE ?1 IS NULL OR title LIKE ?1 ESCAPE '\\'"
    crm_arg_t args[] = {CRM_ARG_TEXT(pat)};
    int rc = crm_list_page(st, "company list", "SELECT count(*)" COMPANY_WHERE,
                           "SELECT " COMPANY_COLS COMPANY_WHERE " ORDER BY title COLLATE NOCASE, id LIMIT ?2 OFFSET ?3",
                           args, 1, limit, offset, company_row, out);
    free(pat);
    return rc;
}
