#define GR_LOG_MODULE "crm"
#include "crm/privacy.h"

#include "crm/activity.h"
#include "crm/contacts.h"
#include "crm/crmutil.h"
#include "crm/deals.h"
#include "crm/leads.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- files to remove after commit ---- */

typedef struct {
    char **v;
    size_t n, cap;
} names_t;

static void names_free(names_t *n) {
    for (size_t i = 0; i < n->n; i++) free(n->v[i]);
    free(n->v);
    memset(n, 0, sizeof *n);
}

/* Append "sub/name" for every non-NULL text in column 0 of sql(?1 = a). */
static int collect(crm_store_t *st, names_t *n, const char *sub, const char *sql, int64_t a, const char *b) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, sql, &s);
    if (rc != GR_OK) return rc;
    if (b) sqlite3_bind_text(s, 1, b, -1, SQLITE_STATIC);
    else sqlite3_bind_int64(s, 1, a);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        if (!name || !*name) continue;
        char **p = crm_grow(n->v, n->n, &n->cap, sizeof *p, 16);
        if (!p) {
            rc = GR_ERR_NOMEM;
            break;
        }
        n->v = p;
        size_t len = strlen(sub) + strlen(name) + 2;
        char *path = malloc(len);
        if (!path) {
            rc = GR_ERR_NOMEM;
            break;
        }
        snprintf(path, len, "%s/%s", sub, name);
        n->v[n->n++] = path;
    }
    if (rc == GR_OK && src != SQLITE_DONE) rc = crm_store_error(st, src, "collect files");
    sqlite3_finalize(s);
    return rc;
}

/* Remove the collected files under the state folder; returns failures.
 * Names holding "/" or ".." (not written by us) are refused and counted. */
static int remove_files(crm_store_t *st, const names_t *n) {
    char dir[4096], path[8192];
    int failed = 0;
    if (crm_state_dir(st, dir, sizeof dir) != GR_OK) return (int)n->n;
    for (size_t i = 0; i < n->n; i++) {
        const char *rel = n->v[i], *name = strchr(rel, '/') + 1;
        if (strchr(name, '/') || strstr(name, "..")) {
            LOG_W("refusing to remove file with a path in its name: %s", rel);
            failed++;
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", dir, rel);
        if (unlink(path) != 0 && errno != ENOENT) {
            LOG_W("cannot remove %s: %s", path, strerror(errno));
            failed++;
        }
    }
    return failed;
}

/* ---- forget ---- */

/* Append ids[0..n) to *all (*nall), skipping ones already there. */
static int ids_append(int64_t **all, size_t *nall, const int64_t *ids, size_t n) {
    for (size_t i = 0; i < n; i++) {
        size_t k;
        for (k = 0; k < *nall && (*all)[k] != ids[i]; k++)
            ;
        if (k < *nall) continue;
        int64_t *p = realloc(*all, (*nall + 1) * sizeof *p);
        if (!p) return GR_ERR_NOMEM;
        p[(*nall)++] = ids[i];
        *all = p;
    }
    return GR_OK;
}

/* After a forget: the search index drops what its segments still hold of
 * the deleted rows (FTS5 keeps deleted terms until segments merge), and the
 * WAL is checkpointed, so old page images of the person's rows leave the
 * WAL file (the connection runs with secure_delete, crm/store.c, so freed
 * space is zeroed). Failures are logged: the erasure itself is committed. */
static void crm_forget_vacuum(crm_store_t *st) {
    static const char *const sql[] = {
        "INSERT INTO contacts_fts(contacts_fts) VALUES('optimize')",
        "INSERT INTO contacts_phone_fts(contacts_phone_fts) VALUES('optimize')",
        "PRAGMA wal_checkpoint(TRUNCATE)",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        char *msg = NULL;
        if (sqlite3_exec(crm_store_db(st), sql[i], NULL, NULL, &msg) != SQLITE_OK)
            LOG_W("after forget: %s: %s", sql[i], msg ? msg : "failed");
        sqlite3_free(msg);
    }
}

/* The outbox rows of records being forgotten keep ids only (issue 12): a
 * queued delete needs no more, a sent row no payload at all. Rows of a
 * record that goes (gone: a contact, a face identity, a visit) that were
 * not sent yet are dropped as done; a delete still goes out. Rows of a
 * record that stays anonymised (a lead, a deal): the pending upserts carry
 * its anonymised snapshot (get), the rest ids only, and a fresh upsert
 * carries the anonymised record to the CRM. */
static int scrub_outbox(crm_store_t *st, const char *entity, const int64_t *ids, size_t n,
                        int (*get)(crm_store_t *, int64_t, json_t **)) {
    static const char *const ids_only =
        "UPDATE outbox SET payload = '{\"id\":' || local_id || ',\"forgotten\":true}' "
        "WHERE entity = ?1 AND local_id = ?2 AND (?3 OR state <> 'pending' OR op NOT IN ('upsert'))";
    static const char *const drop_unsent =
        "UPDATE outbox SET state = 'done', last_error = 'forgotten before it was sent', "
        "done_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
        "WHERE entity = ?1 AND local_id = ?2 AND state = 'pending' AND op <> 'delete'";
    static const char *const pending_snap =
        "UPDATE outbox SET payload = ?3 WHERE entity = ?1 AND local_id = ?2 AND state = 'pending' AND op = 'upsert'";
    int rc = GR_OK;
    for (size_t i = 0; i < n && rc == GR_OK; i++) {
        sqlite3_stmt *s = NULL;
        if (!get && (rc = crm_prep(st, drop_unsent, &s)) == GR_OK) {
            sqlite3_bind_text(s, 1, entity, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 2, ids[i]);
            rc = crm_step_done(st, s, "outbox scrub");
            sqlite3_finalize(s);
        }
        if (rc == GR_OK && (rc = crm_prep(st, ids_only, &s)) == GR_OK) {
            sqlite3_bind_text(s, 1, entity, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 2, ids[i]);
            sqlite3_bind_int(s, 3, get ? 0 : 1);
            rc = crm_step_done(st, s, "outbox scrub");
            sqlite3_finalize(s);
        }
        if (rc != GR_OK || !get) continue;
        json_t *snap = NULL;
        if ((rc = get(st, ids[i], &snap)) == GR_ERR_NOTFOUND) {
            rc = GR_OK; /* gone meanwhile: nothing to send */
            continue;
        }
        char *text = rc == GR_OK ? json_dumps(snap, JSON_COMPACT) : NULL;
        if (rc == GR_OK && !text) rc = GR_ERR_NOMEM;
        if (rc == GR_OK && (rc = crm_prep(st, pending_snap, &s)) == GR_OK) {
            sqlite3_bind_text(s, 1, entity, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 2, ids[i]);
            sqlite3_bind_text(s, 3, text, -1, SQLITE_STATIC);
            rc = crm_step_done(st, s, "outbox scrub");
            sqlite3_finalize(s);
        }
        if (rc == GR_OK) rc = crm_outbox_json(st, entity, ids[i], "upsert", snap);
        free(text);
        json_decref(snap);
    }
    return rc;
}

/* Erase one face identity inside the caller's transaction: its snapshot
 * files go into files (removed after the commit), its templates and the
 * identity are deleted, the camera's data in its leads is anonymised (all
 * its leads, or with keep_contact_leads only those no contact owns), and the
 * deletion is queued for the central CRM. Counts are added to *templates
 * and *snapshots. */
static int erase_identity(crm_store_t *st, int64_t p, int keep_contact_leads, names_t *files, int64_t *templates,
                          int64_t *snapshots) {
    int64_t n = 0;
    int rc = collect(st, files, "snapshots", "SELECT snapshot FROM visits WHERE person_id = ?1", p, NULL);
    if (rc != GR_OK) return rc;
    if ((rc = crm_query_int(st, "SELECT count(*) FROM face_templates WHERE person_id = ?1", p, &n)) != GR_OK) return rc;
    *templates += n;
    if ((rc = crm_query_int(st, "SELECT count(*) FROM visits WHERE person_id = ?1 AND snapshot IS NOT NULL", p, &n)) !=
        GR_OK)
        return rc;
    *snapshots += n;
    static const char *const del_all[] = {
        ("UPDATE notifications SET subject = 'New lead (forgotten person)', body = '' "
         "WHERE entity = 'lead' AND entity_id IN (SELECT id FROM leads WHERE person_id = ?1)"),
        "UPDATE leads SET data = '{}', title = 'Forgotten visitor' WHERE person_id = ?1",
        "DELETE FROM face_templates WHERE person_id = ?1",
        "UPDATE visits SET snapshot = NULL WHERE person_id = ?1",
        "DELETE FROM people WHERE id = ?1",
    };
    static const char *const del_keep[] = {
        ("UPDATE notifications SET subject = 'New lead (forgotten person)', body = '' WHERE entity = 'lead' AND "
         "entity_id IN (SELECT id FROM leads WHERE person_id = ?1 AND contact_id IS NULL)"),
        "UPDATE leads SET data = '{}', title = 'Forgotten visitor' WHERE person_id = ?1 AND contact_id IS NULL",
        "DELETE FROM face_templates WHERE person_id = ?1",
        "UPDATE visits SET snapshot = NULL WHERE person_id = ?1",
        "DELETE FROM people WHERE id = ?1",
    };
    const char *const *del = keep_contact_leads ? del_keep : del_all;
    for (size_t k = 0; k < sizeof del_all / sizeof del_all[0]; k++)
        if ((rc = crm_exec_ids(st, del[k], p, 0)) != GR_OK) return rc;
    json_t *pl = json_pack("{s:I,s:b}", "id", (json_int_t)p, "forgotten", 1);
    rc = pl ? crm_outbox_json(st, "person", p, "delete", pl) : GR_ERR_NOMEM;
    json_decref(pl);
    return rc;
}

int crm_person_forget(crm_store_t *st, int64_t contact_id, int64_t person_id, const char *actor, json_t **out,
                      char *err, size_t errlen) {
    if (out) *out = NULL;
    if (contact_id < 0 || person_id < 0 || (!contact_id && !person_id))
        return crm_fail(GR_ERR_INVAL, err, errlen, "give a contact id or a person id");
    names_t files = {0};
    int64_t *people = NULL, *linked = NULL, *leads = NULL, *deals = NULL;
    size_t npeople = 0, nlinked = 0, nleads = 0, ndeals = 0;
    int64_t templates = 0, snapshots = 0, cards = 0, contacts = 0;
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    int64_t have_contact = 0, have_person = 0;
    if (contact_id &&
        (rc = crm_query_int(st, "SELECT count(*) FROM contacts WHERE id = ?1", contact_id, &have_contact)) != GR_OK)
        goto fail;
    if (person_id && (rc = crm_query_int(st, "SELECT count(*) FROM people WHERE id = ?1", person_id, &have_person)) !=
                         GR_OK)
        goto fail;
    if (!have_contact && !have_person) {
        rc = crm_fail(GR_ERR_NOTFOUND, err, errlen, "no such contact or person");
        goto fail;
    }
    /* A person linked to a contact: forget that contact too. */
    if (have_person && !have_contact &&
        (rc = crm_query_int(st, "SELECT coalesce(contact_id, 0) FROM people WHERE id = ?1", person_id, &contact_id)) !=
            GR_OK)
        goto fail;
    if (contact_id) {
        if ((rc = crm_query_int(st, "SELECT count(*) FROM contacts WHERE id = ?1", contact_id, &have_contact)) != GR_OK)
            goto fail;
        if ((rc = crm_ids(st, "SELECT id FROM people WHERE contact_id = ?1", contact_id, &linked, &nlinked)) != GR_OK)
            goto fail;
    }
    npeople = nlinked + (have_person ? 1 : 0);
    if (npeople) {
        people = malloc(npeople * sizeof *people);
        if (!people) {
            rc = GR_ERR_NOMEM;
            goto fail;
        }
        size_t k = 0;
        if (have_person) people[k++] = person_id;
        for (size_t i = 0; i < nlinked; i++)
            if (linked[i] != person_id) people[k++] = linked[i];
        npeople = k;
    }
    /* What the outbox holds of this person, collected before anything goes
     * (deleting the contact unlinks its leads and deals). */
    for (size_t i = 0; i < npeople && rc == GR_OK; i++) {
        int64_t *v = NULL, *l = NULL;
        size_t nv = 0, nl = 0;
        rc = crm_ids(st, "SELECT id FROM visits WHERE person_id = ?1", people[i], &v, &nv);
        if (rc == GR_OK) rc = crm_ids(st, "SELECT id FROM leads WHERE person_id = ?1", people[i], &l, &nl);
        if (rc == GR_OK) rc = scrub_outbox(st, "visit", v, nv, NULL);
        if (rc == GR_OK) rc = ids_append(&leads, &nleads, l, nl);
        free(v);
        free(l);
    }
    if (rc == GR_OK && have_contact) {
        int64_t *l = NULL;
        size_t nl = 0;
        rc = crm_ids(st, "SELECT id FROM leads WHERE contact_id = ?1", contact_id, &l, &nl);
        if (rc == GR_OK) rc = ids_append(&leads, &nleads, l, nl);
        free(l);
    }
    for (size_t i = 0; i < nleads && rc == GR_OK; i++) {
        int64_t *d = NULL;
        size_t nd = 0;
        rc = crm_ids(st, "SELECT id FROM deals WHERE lead_id = ?1", leads[i], &d, &nd);
        if (rc == GR_OK) rc = ids_append(&deals, &ndeals, d, nd);
        free(d);
    }
    if (rc == GR_OK && have_contact) {
        int64_t *d = NULL;
        size_t nd = 0;
        rc = crm_ids(st, "SELECT id FROM deals WHERE contact_id = ?1", contact_id, &d, &nd);
        if (rc == GR_OK) rc = ids_append(&deals, &ndeals, d, nd);
        free(d);
    }
    if (rc != GR_OK) goto fail;
    for (size_t i = 0; i < npeople; i++)
        if ((rc = erase_identity(st, people[i], 0, &files, &templates, &snapshots)) != GR_OK) goto fail;
    /* A deal's title names the person ("Deal with Anna Berg"). */
    for (size_t i = 0; i < ndeals; i++)
        if ((rc = crm_exec_ids(st, "UPDATE deals SET title = 'Deal with a forgotten contact' WHERE id = ?1", deals[i],
                               0)) != GR_OK)
            goto fail;
    if (have_contact) {
        if ((rc = collect(st, &files, "cards",
                          "SELECT image FROM card_scans WHERE contact_id = ?1 OR contact_id IN "
                          "(SELECT id FROM contacts WHERE merged_into = ?1)", contact_id, NULL)) != GR_OK)
            goto fail;
        if ((rc = crm_query_int(st, "SELECT count(*) FROM card_scans WHERE contact_id = ?1 OR contact_id IN "
                                    "(SELECT id FROM contacts WHERE merged_into = ?1)", contact_id, &cards)) != GR_OK)
            goto fail;
        static const char *const del[] = {
            "DELETE FROM card_scans WHERE contact_id = ?1 OR contact_id IN (SELECT id FROM contacts WHERE merged_into = ?1)",
            ("UPDATE notifications SET subject = 'New lead (forgotten person)', body = '' "
             "WHERE entity = 'lead' AND entity_id IN (SELECT id FROM leads WHERE contact_id = ?1)"),
            "UPDATE leads SET data = '{}', title = 'Forgotten contact' WHERE contact_id = ?1",
            "UPDATE notifications SET subject = 'Forgotten contact', body = '' WHERE entity = 'contact' AND entity_id = ?1",
        };
        for (size_t k = 0; k < sizeof del / sizeof del[0]; k++)
            if ((rc = crm_exec_ids(st, del[k], contact_id, 0)) != GR_OK) goto fail;
        if ((rc = crm_contact_delete(st, contact_id, actor)) != GR_OK) goto fail;
        contacts = 1;
        if ((rc = scrub_outbox(st, "contact", &contact_id, 1, NULL)) != GR_OK) goto fail;
    }
    if ((rc = scrub_outbox(st, "person", people, npeople, NULL)) != GR_OK ||
        (rc = scrub_outbox(st, "lead", leads, nleads, crm_lead_get)) != GR_OK ||
        (rc = scrub_outbox(st, "deal", deals, ndeals, crm_deal_get)) != GR_OK)
        goto fail;
    json_t *res = json_pack("{s:I,s:I,s:I,s:I,s:I}", "templates", (json_int_t)templates, "snapshots",
                            (json_int_t)snapshots, "cards", (json_int_t)cards, "people", (json_int_t)npeople,
                            "contacts", (json_int_t)contacts);
    if (!res) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    rc = crm_audit(st, actor, "person.forget", contact_id ? "contact" : "person", contact_id ? contact_id : person_id,
                   res);
    if (rc == GR_OK) rc = crm_tx_commit(&tx);
    else crm_tx_rollback(&tx);
    if (rc != GR_OK) {
        json_decref(res);
        goto out;
    }
    int failed = remove_files(st, &files);
    json_object_set_new(res, "files_failed", json_integer(failed));
    LOG_I("forgot %s %lld: %lld templates, %lld snapshots, %lld card scans", contact_id ? "contact" : "person",
          (long long)(contact_id ? contact_id : person_id), (long long)templates, (long long)snapshots,
          (long long)cards);
    if (out) *out = res;
    else json_decref(res);
    goto out;
fail:
    crm_tx_rollback(&tx);
out:
    names_free(&files);
    free(people);
    free(linked);
    free(leads);
    free(deals);
    if (rc == GR_OK) crm_forget_vacuum(st);
    return rc;
}

/* ---- retention ---- */

/* (a suppression entry, people.suppressed, lasts as long as the objection: never purged) */
#define UNKNOWN_OLD "SELECT id FROM people WHERE known = 0 AND contact_id IS NULL AND suppressed = 0 AND " \
    "julianday(coalesce(last_seen, created_at)) < julianday('now', ?1)"
#define SNAP_OLD "FROM visits v WHERE v.snapshot IS NOT NULL AND julianday(v.started_at) < julianday('now', ?1) " \
    "AND (v.person_id IS NULL OR v.person_id IN (SELECT id FROM people WHERE known = 0 AND contact_id IS NULL))"

static int count_text(crm_store_t *st, const char *sql, const char *arg, int64_t *n) {
    sqlite3_stmt *s = NULL;
    *n = 0;
    int rc = crm_prep(st, sql, &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) *n = sqlite3_column_int64(s, 0);
    else if (src != SQLITE_DONE) rc = crm_store_error(st, src, "retention count");
    sqlite3_finalize(s);
    return rc;
}

static int exec_text(crm_store_t *st, const char *sql, const char *arg) {
    sqlite3_stmt *s = NULL;
    int rc = crm_prep(st, sql, &s);
    if (rc != GR_OK) return rc;
    sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
    rc = crm_step_done(st, s, "retention");
    sqlite3_finalize(s);
    return rc;
}

int crm_retention_apply(crm_store_t *st, int days, json_t **out) {
    if (out) *out = NULL;
    if (days < 0) return GR_ERR_INVAL;
    char mod[32];
    /* days 0: everything up to now (a second of slack for "just now"). */
    snprintf(mod, sizeof mod, days ? "-%d days" : "+1 seconds", days);
    names_t files = {0};
    int64_t people = 0, templates = 0, snapshots = 0;
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    if ((rc = count_text(st, "SELECT count(*) FROM (" UNKNOWN_OLD ") WHERE id IN (SELECT person_id FROM face_templates)",
                         mod, &people)) != GR_OK)
        goto fail;
    if ((rc = count_text(st, "SELECT count(*) FROM face_templates WHERE person_id IN (" UNKNOWN_OLD ")", mod,
                         &templates)) != GR_OK)
        goto fail;
    if ((rc = count_text(st, "SELECT count(*) " SNAP_OLD, mod, &snapshots)) != GR_OK) goto fail;
    if ((rc = collect(st, &files, "snapshots", "SELECT v.snapshot " SNAP_OLD, 0, mod)) != GR_OK) goto fail;
    if ((rc = exec_text(st, "DELETE FROM face_templates WHERE person_id IN (" UNKNOWN_OLD ")", mod)) != GR_OK)
        goto fail;
    if ((rc = exec_text(st, "UPDATE visits SET snapshot = NULL WHERE id IN (SELECT v.id " SNAP_OLD ")", mod)) != GR_OK)
        goto fail;
    json_t *res = json_pack("{s:I,s:I,s:I,s:i}", "people", (json_int_t)people, "templates", (json_int_t)templates,
                            "snapshots", (json_int_t)snapshots, "days", days);
    if (!res) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    if ((templates || snapshots) && (rc = crm_audit(st, "system", "retention.purge", NULL, 0, res)) != GR_OK) {
        json_decref(res);
        goto fail;
    }
    if ((rc = crm_tx_commit(&tx)) != GR_OK) {
        json_decref(res);
        goto out;
    }
    int failed = remove_files(st, &files);
    json_object_set_new(res, "files_failed", json_integer(failed));
    if (templates || snapshots)
        LOG_I("retention: removed %lld templates of %lld unknown visitors and %lld snapshots", (long long)templates,
              (long long)people, (long long)snapshots);
    if (out) *out = res;
    else json_decref(res);
    goto out;
fail:
    crm_tx_rollback(&tx);
out:
    names_free(&files);
    return rc;
}

/* ---- erase one face identity, keeping its contact ---- */

int crm_face_forget(crm_store_t *st, int64_t person_id, const char *actor, json_t **out, char *err, size_t errlen) {
    if (out) *out = NULL;
    if (person_id <= 0) return crm_fail(GR_ERR_INVAL, err, errlen, "give a person id");
    names_t files = {0};
    int64_t have = 0, contact_id = 0, templates = 0, snapshots = 0;
    crm_tx_t tx;
    int rc = crm_tx_begin(st, &tx);
    if (rc != GR_OK) return rc;
    if ((rc = crm_query_int(st, "SELECT count(*) FROM people WHERE id = ?1", person_id, &have)) != GR_OK) goto fail;
    if (!have) {
        rc = crm_fail(GR_ERR_NOTFOUND, err, errlen, "no such face identity");
        goto fail;
    }
    if ((rc = crm_query_int(st, "SELECT coalesce(contact_id, 0) FROM people WHERE id = ?1", person_id, &contact_id)) !=
        GR_OK)
        goto fail;
    /* Leads of the identity that no contact owns hold only what the camera
     * captured: anonymised as by crm_person_forget. A contact's leads stay. */
    if ((rc = erase_identity(st, person_id, 1, &files, &templates, &snapshots)) != GR_OK) goto fail;
    json_t *res = json_pack("{s:I,s:I,s:I}", "templates", (json_int_t)templates, "snapshots", (json_int_t)snapshots,
                            "people", (json_int_t)1);
    if (!res) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    json_object_set_new(res, "contact_id", contact_id ? json_integer(contact_id) : json_null());
    if ((rc = crm_audit(st, actor, "face.forget", "person", person_id, res)) != GR_OK) {
        json_decref(res);
        goto fail;
    }
    if ((rc = crm_tx_commit(&tx)) != GR_OK) {
        json_decref(res);
        goto out;
    }
    json_object_set_new(res, "files_failed", json_integer(remove_files(st, &files)));
    LOG_I("forgot face identity %lld: %lld templates, %lld snapshots%s", (long long)person_id, (long long)templates,
          (long long)snapshots, contact_id ? " (its contact is kept)" : "");
    if (out) *out = res;
    else json_decref(res);
    goto out;
fail:
    crm_tx_rollback(&tx);
out:
    names_free(&files);
    return rc;
}
