/* What the CRM does when the face store (face_store.c) records a visit: a
 * first-time unknown visitor becomes a lead (source face_visit) and the
 * manager is notified; a returning one gets an activity row. Every visit is
 * queued for the central CRM. All inside the store's transaction (a
 * savepoint of ours). */
#define GR_LOG_MODULE "crm"
#include "crm/visit_hook.h"

#include "crm/activity.h"
#include "crm/crmutil.h"
#include "crm/expected.h"
#include "firmware/core/err.h"
#include "crm/leads.h"
#include "firmware/core/log.h"

#include <stdio.h>
#include <string.h>

int crm_on_visit(crm_store_t *st, int64_t person_id, int64_t visit_id, int is_new) {
    sqlite3_stmt *s = NULL;
    json_t *visit = NULL, *lead = NULL;
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    if ((rc = crm_prep(st, "SELECT v.id, v.person_id, p.contact_id, p.label, p.known, p.visit_count, v.started_at, "
                           "v.ended_at, v.is_new, v.camera, v.snapshot FROM visits v LEFT JOIN people p ON p.id = ?2 "
                           "WHERE v.id = ?1", &s)) != GR_OK)
        goto fail;
    sqlite3_bind_int64(s, 1, visit_id);
    sqlite3_bind_int64(s, 2, person_id);
    int src = sqlite3_step(s);
    if (src != SQLITE_ROW) {
        sqlite3_finalize(s);
        LOG_E("visit %lld of person %lld: no such visit", (long long)visit_id, (long long)person_id);
        rc = src == SQLITE_DONE ? GR_ERR_NOTFOUND : crm_store_error(st, src, "visit hook");
        goto fail;
    }
    visit = json_pack("{s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o}", "id", crm_col(s, 0), "person_id",
                      (json_int_t)person_id, "contact_id", crm_col(s, 2), "label", crm_col(s, 3), "known",
                      crm_col(s, 4), "visit_count", crm_col(s, 5), "started_at", crm_col(s, 6), "ended_at",
                      crm_col(s, 7), "is_new", is_new != 0, "camera", crm_col(s, 9), "snapshot", crm_col(s, 10));
    int64_t contact_id = sqlite3_column_int64(s, 2);
    int known = sqlite3_column_int(s, 4);
    int visit_count = sqlite3_column_int(s, 5);
    char label[256];
    const char *l = (const char *)sqlite3_column_text(s, 3);
    if (l && *l) snprintf(label, sizeof label, "%s", l);
    else snprintf(label, sizeof label, "Visitor #%lld", (long long)person_id);
    sqlite3_finalize(s);
    if (!visit) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    /* An unknown face becomes a lead on its first visit, its second (a
     * walk-by stays an anonymous visitor) or never by itself, as
     * privacy.visitor_lead says; once. */
    crm_opts_t opts;
    crm_store_opts(st, &opts);
    int64_t leads = 0;
    int want_lead = 0;
    if (!contact_id && !known) {
        if ((rc = crm_query_int(st, "SELECT count(*) FROM leads WHERE person_id = ?1", person_id, &leads)) != GR_OK)
            goto fail;
        want_lead = leads == 0 && (opts.visitor_lead == CRM_LEAD_FIRST_VISIT ? is_new
                                   : opts.visitor_lead == CRM_LEAD_SECOND_VISIT ? visit_count >= 2
                                                                                : 0);
    }
    if (want_lead) {
        char title[400];
        snprintf(title, sizeof title, "%s at %s", label, opts.device_name);
        json_t *in = json_pack("{s:s,s:s,s:I,s:{s:s,s:I,s:I,s:O}}", "title", title, "source", "face_visit",
                               "person_id", (json_int_t)person_id, "data", "label", label, "person_id",
                               (json_int_t)person_id, "visit_id", (json_int_t)visit_id, "started_at",
                               json_object_get(visit, "started_at"));
        char err[256] = "";
        rc = in ? crm_lead_create(st, in, "system", &lead, err, sizeof err) : GR_ERR_NOMEM;
        json_decref(in);
        if (rc != GR_OK) {
            LOG_E("visit %lld: cannot create a lead: %s %s", (long long)visit_id, gr_strerror(rc), err);
            goto fail;
        }
    } else {
        json_t *d = json_pack("{s:I,s:O}", "visit_id", (json_int_t)visit_id, "visit_count",
                              json_object_get(visit, "visit_count"));
        rc = d ? crm_activity_add(st, "person", person_id, "visit", "system", d) : GR_ERR_NOMEM;
        if (rc == GR_OK && contact_id) rc = crm_activity_add(st, "contact", contact_id, "visit", "system", d);
        json_decref(d);
        if (rc != GR_OK) goto fail;
    }
    /* A known contact or an expected visitor: their host hears of it now. */
    if ((rc = crm_expected_on_visit(st, person_id, visit_id, contact_id, known ? label : "")) != GR_OK) {
        LOG_E("visit %lld: cannot notify the host: %s", (long long)visit_id, gr_strerror(rc));
        goto fail;
    }
    /* The visit goes out after its lead, naming it (the person's newest lead). */
    int64_t lead_id = 0;
    if ((rc = crm_query_int(st, "SELECT coalesce(max(id), 0) FROM leads WHERE person_id = ?1", person_id, &lead_id)) !=
        GR_OK)
        goto fail;
    json_object_set_new(visit, "lead_id", lead_id ? json_integer(lead_id) : json_null());
    if ((rc = crm_outbox_json(st, "visit", visit_id, "upsert", visit)) != GR_OK) goto fail;
    if ((rc = crm_tx_commit(&tx)) != GR_OK) goto out;
    goto out;
fail:
    crm_tx_rollback(&tx);
out:
    json_decref(visit);
    json_decref(lead);
    return rc;
}
