/* api.c - the JSON API under /api/v1 (docs/API.md) over the CRM: the
 * records (through the crm/ headers, never SQL of our own), visits, scans,
 * notifications, people and status. The router (router.c) picks the
 * handler; the uploads go to media.c. Every handler answers JSON; errors
 * are {"error","message"}.
 */
#define GR_LOG_MODULE "web"
#include "crm/activity.h"
#include "crm/companies.h"
#include "crm/contact_search.h"
#include "crm/contacts.h"
#include "crm/duplicates.h"
#include "crm/deals.h"
#include "firmware/core/err.h"
#include "web/api.h"
#include "web/role.h"
#include "crm/leads.h"
#include "firmware/core/log.h"
#include "firmware/core/storage.h"
#include "crm/notify.h"
#include "crm/outbox.h"
#include "crm/privacy.h"
#include "crm/scans.h"
#include "crm/sync.h"
#include "crm/transfer.h"
#include "firmware/formats/vcard.h"
#include "firmware/core/version.h"
#include "crm/visits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#define MAX_QUERY 256

static int is(const char *a, const char *b) { return strcmp(a, b) == 0; }

static void method_not_allowed(web_req_t *r, const char *allowed) {
    web_reply_error(r, 405, "method_not_allowed", "allowed here: %s", allowed);
}

static const char *actor(web_req_t *r) { return r->sess.username[0] ? r->sess.username : "web"; }

/* limit/offset/q from the query string; replies 400 and returns -1 on bad values. */
static int paging(web_req_t *r, int *limit, int *offset, const char **q) {
    long l, o;
    if (web_parse_long(web_req_arg(r, "limit"), 1, 500, 50, &l) != GR_OK) {
        web_reply_error(r, 400, "invalid", "limit must be a number from 1 to 500");
        return -1;
    }
    if (web_parse_long(web_req_arg(r, "offset"), 0, 1000000000L, 0, &o) != GR_OK) {
        web_reply_error(r, 400, "invalid", "offset must be a number >= 0");
        return -1;
    }
    *limit = (int)l;
    *offset = (int)o;
    if (q) {
        *q = web_req_arg(r, "q");
        if (*q && strlen(*q) > MAX_QUERY) {
            web_reply_error(r, 400, "invalid", "q is longer than %d characters", MAX_QUERY);
            return -1;
        }
    }
    return 0;
}

/* out (stolen) as 200, or the error rc as its status with msg (NULL: the code's text). */
static void reply_result(web_req_t *r, int rc, json_t *out, const char *msg) {
    if (rc == GR_OK) {
        web_reply_json(r, 200, out);
        return;
    }
    json_decref(out);
    web_reply_rc(r, rc, msg);
}

/* The id in segs[3] of a 4-segment path, or -1 after replying 404 "no such <what>". */
static int path_id(web_req_t *r, const char *what, int64_t *id) {
    if (r->nsegs == 4 && web_parse_id(r->segs[3], id) == GR_OK) return 0;
    web_reply_error(r, 404, "not_found", "no such %s", what);
    return -1;
}

/* ---- CRM records ---- */

typedef struct {
    const char *name;
    int (*create)(crm_store_t *, json_t *, const char *, json_t **, char *, size_t);
    int (*get)(crm_store_t *, int64_t, json_t **);
    int (*update)(crm_store_t *, int64_t, json_t *, const char *, json_t **, char *, size_t);
    int (*del)(crm_store_t *, int64_t, const char *);
} entity_t;

static const entity_t entities[] = {
    {"contacts", crm_contact_create, crm_contact_get, crm_contact_update, crm_contact_delete},
    {"companies", crm_company_create, crm_company_get, crm_company_update, crm_company_delete},
    {"leads", crm_lead_create, crm_lead_get, crm_lead_update, crm_lead_delete},
    {"deals", crm_deal_create, crm_deal_get, crm_deal_update, crm_deal_delete},
};

static void entity_list(web_req_t *r, const entity_t *e, crm_store_t *st) {
    int limit, offset;
    const char *q;
    if (paging(r, &limit, &offset, &q) < 0) return;
    json_t *out = NULL;
    int rc;
    if (is(e->name, "contacts")) {
        rc = crm_contact_list(st, q, limit, offset, &out);
    } else if (is(e->name, "companies")) {
        rc = crm_company_list(st, q, limit, offset, &out);
    } else if (is(e->name, "leads")) {
        const char *status = web_req_arg(r, "status");
        if (status && *status && !crm_lead_status_valid(status)) {
            web_reply_error(r, 400, "invalid", "status must be NEW, IN_PROCESS, CONVERTED or JUNK");
            return;
        }
        rc = crm_lead_list(st, q, status && *status ? status : NULL, limit, offset, &out);
    } else {
        const char *stage = web_req_arg(r, "stage");
        if (stage && *stage && !crm_deal_stage_valid(stage)) {
            web_reply_error(r, 400, "invalid", "unknown deal stage '%.40s'", stage);
            return;
        }
        rc = crm_deal_list(st, q, stage && *stage ? stage : NULL, limit, offset, &out);
    }
    reply_result(r, rc, out, NULL);
}

static void contact_vcard(web_req_t *r, crm_store_t *st, int64_t id) {
    json_t *c = NULL;
    int rc = crm_contact_get(st, id, &c);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, "no such contact");
        return;
    }
    char *text = json_dumps(c, JSON_COMPACT);
    json_decref(c);
    char *card = NULL;
    rc = text ? fmt_vcard_write(text, &card) : GR_ERR_NOMEM;
    free(text);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, NULL);
        return;
    }
    web_reply_bytes(r, 200, "text/vcard; charset=utf-8", card, strlen(card));
    free(card);
    char disp[96];
    snprintf(disp, sizeof disp, "attachment; filename=\"contact-%lld.vcf\"", (long long)id);
    if (r->resp) MHD_add_response_header(r->resp, "Content-Disposition", disp);
}

static void contacts_export(web_req_t *r, crm_store_t *st) {
    const char *fmt = web_req_arg(r, "format");
    if (!fmt) fmt = "vcard";
    if (!is(fmt, "vcard") && !is(fmt, "vcard3") && !is(fmt, "csv") && !is(fmt, "csv-google") && !is(fmt, "csv-outlook")) {
        web_reply_error(r, 400, "invalid", "format must be vcard, vcard3, csv, csv-google or csv-outlook");
        return;
    }
    char *text = NULL;
    size_t count = 0;
    int rc = crm_contacts_export(st, fmt, actor(r), &text, &count);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, NULL);
        return;
    }
    int vc = is(fmt, "vcard") || is(fmt, "vcard3");
    web_reply_bytes(r, 200, vc ? "text/vcard; charset=utf-8" : "text/csv; charset=utf-8", text ? text : "", text ? strlen(text) : 0);
    free(text);
    if (r->resp) MHD_add_response_header(r->resp, "Content-Disposition",
                            vc ? "attachment; filename=\"contacts.vcf\"" : "attachment; filename=\"contacts.csv\"");
}

static void contacts_import(web_req_t *r, crm_store_t *st) {
    const void *data = r->body;
    size_t len = r->body_len;
    const char *ct = web_req_header(r, "Content-Type");
    if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0) {
        if (web_multipart_find(ct, r->body, r->body_len, NULL, &data, &len) != GR_OK) {
            web_reply_error(r, 400, "bad_multipart", "the multipart body has no file part");
            return;
        }
    }
    if (!data || len == 0) {
        web_reply_error(r, 400, "empty", "send a vCard or CSV file as the body");
        return;
    }
    json_t *report = NULL;
    int rc = crm_contacts_import(st, data, len, actor(r), &report);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, "the file is neither vCard nor CSV with a header row");
        return;
    }
    web_reply_json(r, 200, report);
}

static int body_id(web_req_t *r, json_t *in, const char *key, int64_t *id) {
    json_t *v = json_object_get(in, key);
    if (!json_is_integer(v) || json_integer_value(v) < 1) {
        web_reply_error(r, 400, "invalid", "%s must be a positive integer", key);
        return -1;
    }
    *id = json_integer_value(v);
    return 0;
}

static void contact_action(web_req_t *r, crm_store_t *st, int64_t id, const char *action) {
    char err[512] = "";
    json_t *out = NULL;
    int rc;
    if (is(action, "vcard")) {
        if (!web_req_allow(r, "GET")) return;
        contact_vcard(r, st, id);
        return;
    }
    if (is(action, "duplicates")) {
        if (!web_req_allow(r, "GET")) return;
        json_t *c = NULL;
        rc = crm_contact_get(st, id, &c);
        if (rc != GR_OK) {
            web_reply_rc(r, rc, "no such contact");
            return;
        }
        rc = crm_contact_duplicates(st, c, id, &out);
        json_decref(c);
        if (rc != GR_OK) {
            web_reply_rc(r, rc, NULL);
            return;
        }
        web_reply_json(r, 200, json_pack("{s:o}", "items", out));
        return;
    }
    if (is(action, "activity")) {
        if (!web_req_allow(r, "GET")) return;
        int limit, offset;
        if (paging(r, &limit, &offset, NULL) < 0) return;
        rc = crm_activity_list(st, "contact", id, limit, offset, &out);
        reply_result(r, rc, out, NULL);
        return;
    }
    if (!web_req_allow(r, "POST")) return;
    json_t *in = NULL;
    if (web_req_json(r, &in) != GR_OK) return;
    int64_t other = 0;
    if (is(action, "merge")) {
        if (body_id(r, in, "other_id", &other) == 0) {
            rc = crm_contact_merge(st, id, other, actor(r), &out, err, sizeof err);
            if (rc == GR_OK)
                web_reply_json(r, 200, out);
            else
                web_reply_rc(r, rc, err);
        }
    } else if (is(action, "face")) {
        if (body_id(r, in, "person_id", &other) == 0) {
            rc = crm_contact_link_person(st, id, other, actor(r), err, sizeof err);
            if (rc == GR_OK) {
                rc = crm_contact_get(st, id, &out);
                if (rc == GR_OK)
                    web_reply_json(r, 200, out);
                else
                    web_reply_rc(r, rc, NULL);
            } else {
                web_reply_rc(r, rc, err);
            }
        }
    } else if (is(action, "forget")) {
        if (!web_req_admin(r)) { /* erasing is the admins' */
            json_decref(in);
            return;
        }
        rc = crm_person_forget(st, id, 0, actor(r), &out, err, sizeof err);
        if (rc == GR_OK)
            web_reply_json(r, 200, out);
        else
            web_reply_rc(r, rc, err);
    } else {
        web_reply_error(r, 404, "not_found", "no such action on a contact");
    }
    json_decref(in);
}

static void entity_route(web_req_t *r, const entity_t *e) {
    char(*segs)[WEB_MAX_SEG_LEN] = r->segs;
    int n = r->nsegs;
    crm_store_t *st = web_req_db(r);
    if (!st) return;
    char err[512] = "";
    json_t *out = NULL, *in = NULL;
    int rc;
    if (n == 3) {
        if (is(r->method, "GET")) {
            entity_list(r, e, st);
            return;
        }
        if (!is(r->method, "POST")) {
            method_not_allowed(r, "GET, POST");
            return;
        }
        if (web_req_json(r, &in) != GR_OK) return;
        rc = e->create(st, in, actor(r), &out, err, sizeof err);
        json_decref(in);
        if (rc != GR_OK) {
            web_reply_rc(r, rc, err);
            return;
        }
        web_reply_json(r, 201, out);
        return;
    }
    if (is(e->name, "contacts") && n == 4 && is(segs[3], "export")) {
        if (!web_req_allow(r, "GET") || !web_req_admin(r)) return;
        contacts_export(r, st);
        return;
    }
    if (is(e->name, "contacts") && n == 4 && is(segs[3], "import")) {
        if (!web_req_allow(r, "POST")) return;
        contacts_import(r, st);
        return;
    }
    int64_t id;
    if (web_parse_id(segs[3], &id) != GR_OK) {
        web_reply_error(r, 404, "not_found", "'%.40s' is not a record id", segs[3]);
        return;
    }
    if (n == 5) {
        if (is(e->name, "contacts")) {
            contact_action(r, st, id, segs[4]);
            return;
        }
        if ((is(e->name, "leads") || is(e->name, "deals")) && is(segs[4], "activity")) {
            /* the timeline of a lead's or deal's detail panel */
            if (!web_req_allow(r, "GET")) return;
            int limit, offset;
            if (paging(r, &limit, &offset, NULL) < 0) return;
            if ((rc = e->get(st, id, &out)) != GR_OK) {
                web_reply_rc(r, rc, "no such record");
                return;
            }
            json_decref(out);
            out = NULL;
            rc = crm_activity_list(st, is(e->name, "leads") ? "lead" : "deal", id, limit, offset, &out);
            reply_result(r, rc, out, NULL);
            return;
        }
        if (is(e->name, "leads") && is(segs[4], "convert")) {
            if (!web_req_allow(r, "POST")) return;
            rc = crm_lead_convert(st, id, actor(r), &out, err, sizeof err);
            reply_result(r, rc, out, err);
            return;
        }
        web_reply_error(r, 404, "not_found", "no such action");
        return;
    }
    if (n != 4) {
        web_reply_error(r, 404, "not_found", "no such path");
        return;
    }
    if (is(r->method, "GET")) {
        rc = e->get(st, id, &out);
        reply_result(r, rc, out, "no such record");
        return;
    }
    if (is(r->method, "PATCH")) {
        if (web_req_json(r, &in) != GR_OK) return;
        rc = e->update(st, id, in, actor(r), &out, err, sizeof err);
        json_decref(in);
        reply_result(r, rc, out, err[0] ? err : "no such record");
        return;
    }
    if (is(r->method, "DELETE")) {
        rc = e->del(st, id, actor(r));
        if (rc != GR_OK) {
            web_reply_rc(r, rc, "no such record");
            return;
        }
        web_reply_json(r, 200, json_pack("{s:b, s:I}", "deleted", 1, "id", (json_int_t)id));
        return;
    }
    method_not_allowed(r, "GET, PATCH, DELETE");
}

/* ---- visits, scans, notifications ---- */

#define MAX_SNAPSHOT_BYTES (8u << 20)

/* GET /api/v1/visits/{id}/snapshot: the visit's own snapshot (the visitor log's photo). */
static void visit_snapshot(web_req_t *r, crm_store_t *st, int64_t id) {
    char name[256];
    int rc = crm_visit_snapshot(st, id, name, sizeof name);
    if (rc != GR_OK) {
        web_reply_error(r, 404, "not_found", rc == GR_ERR_NOTFOUND ? "no such visit" : "no snapshot of this visit is kept");
        return;
    }
    /* As vision names them ("visit-<ms>-<frame>.jpg"): no path, no dot first. */
    int ok = name[0] != '.' && !strstr(name, "..");
    for (const char *p = name; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
             *p == '.';
    char path[4400];
    snprintf(path, sizeof path, "%s/snapshots/%s", r->ctx->storage_dir, name);
    if (!ok) {
        LOG_W("visit %lld: refusing a snapshot name with a path in it", (long long)id);
        web_reply_error(r, 404, "not_found", "the snapshot file is gone");
        return;
    }
    web_reply_file(r, path, MAX_SNAPSHOT_BYTES, "image/jpeg", "snapshot");
}

void web_api_visits(web_req_t *r) {
    char(*segs)[WEB_MAX_SEG_LEN] = r->segs;
    int n = r->nsegs;
    if (!web_req_allow(r, "GET")) return;
    crm_store_t *st = web_req_db(r);
    if (!st) return;
    const char *day = web_req_arg(r, "day");
    if (day && !*day) day = NULL;
    if (day && strlen(day) != 10) {
        web_reply_error(r, 400, "invalid", "day must be YYYY-MM-DD");
        return;
    }
    json_t *out = NULL;
    int rc;
    int64_t vid;
    if (n == 5 && is(segs[4], "snapshot") && web_parse_id(segs[3], &vid) == GR_OK) {
        visit_snapshot(r, st, vid);
        return;
    }
    if (n == 4 && is(segs[3], "stats")) {
        rc = crm_visit_stats(st, day, &out);
    } else if (n == 3) {
        int limit, offset;
        const char *q;
        if (paging(r, &limit, &offset, &q) < 0) return;
        long pid;
        if (web_parse_long(web_req_arg(r, "person_id"), 0, (1L << 53), 0, &pid) != GR_OK) {
            web_reply_error(r, 400, "invalid", "person_id must be a positive integer");
            return;
        }
        rc = crm_visit_search(st, day, pid, q, limit, offset, &out);
        if (rc == GR_OK) {
            json_t *stats = NULL;
            if (crm_visit_stats(st, day, &stats) == GR_OK) json_object_set_new(out, "stats", stats);
        }
    } else {
        web_reply_error(r, 404, "not_found", "no such path");
        return;
    }
    reply_result(r, rc, out, "bad day (YYYY-MM-DD)");
}

#define MAX_CARD_IMAGE_BYTES (64u << 20)

/* GET /api/v1/scans/{id}/image: the card photo kept with a scan (the lead's detail panel). */
static void scan_image(web_req_t *r, crm_store_t *st, int64_t id) {
    json_t *scan = NULL;
    int rc = crm_scan_get(st, id, &scan);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, "no such scan");
        return;
    }
    char name[64];
    const char *img = json_string_value(json_object_get(scan, "image"));
    int ok = img && strlen(img) < sizeof name;
    if (ok) snprintf(name, sizeof name, "%s", img);
    json_decref(scan);
    /* As crm/scans.c names them: scan-<id>.jpg or .png, nothing else. */
    char want_jpg[48], want_png[48];
    snprintf(want_jpg, sizeof want_jpg, "scan-%lld.jpg", (long long)id);
    snprintf(want_png, sizeof want_png, "scan-%lld.png", (long long)id);
    if (!ok || (strcmp(name, want_jpg) != 0 && strcmp(name, want_png) != 0)) {
        web_reply_error(r, 404, "not_found", "no photo is kept with this scan");
        return;
    }
    char path[4400];
    snprintf(path, sizeof path, "%s/cards/%s", r->ctx->storage_dir, name);
    size_t n = strlen(name);
    web_reply_file(r, path, MAX_CARD_IMAGE_BYTES, n > 4 && !strcmp(name + n - 4, ".png") ? "image/png" : "image/jpeg",
                   "card photo");
}

void web_api_scans(web_req_t *r) {
    char(*segs)[WEB_MAX_SEG_LEN] = r->segs;
    int n = r->nsegs;
    if (n == 3) {
        if (!is(r->method, "GET")) { /* POST: web_media_scan */
            method_not_allowed(r, "GET, POST");
            return;
        }
        crm_store_t *st = web_req_db(r);
        if (!st) return;
        int limit, offset;
        if (paging(r, &limit, &offset, NULL) < 0) return;
        json_t *out = NULL;
        int rc = crm_scan_list(st, limit, offset, &out);
        reply_result(r, rc, out, NULL);
        return;
    }
    crm_store_t *st = web_req_db(r);
    if (!st) return;
    if (n == 4 && is(segs[3], "save")) { /* POST: web_media_scan_save */
        method_not_allowed(r, "POST");
        return;
    }
    int64_t id;
    if (n == 5 && is(segs[4], "image") && web_parse_id(segs[3], &id) == GR_OK) {
        if (!web_req_allow(r, "GET")) return;
        scan_image(r, st, id);
        return;
    }
    if (path_id(r, "scan", &id) < 0) return;
    if (!web_req_allow(r, "GET")) return;
    json_t *out = NULL;
    int rc = crm_scan_get(st, id, &out);
    reply_result(r, rc, out, "no such scan");
}

void web_api_notifications(web_req_t *r) {
    char(*segs)[WEB_MAX_SEG_LEN] = r->segs;
    int n = r->nsegs;
    crm_store_t *st = web_req_db(r);
    if (!st) return;
    if (n == 3 && is(r->method, "GET")) {
        int limit, offset;
        if (paging(r, &limit, &offset, NULL) < 0) return;
        const char *u = web_req_arg(r, "unread");
        json_t *out = NULL;
        int rc = crm_notify_list(st, u && is(u, "1"), limit, offset, &out);
        reply_result(r, rc, out, NULL);
        return;
    }
    /* POST /notifications/read (all) or /notifications/{id}/read */
    int64_t id = 0;
    if (n == 4 && is(segs[3], "read"))
        id = 0;
    else if (n == 5 && is(segs[4], "read") && web_parse_id(segs[3], &id) == GR_OK)
        ;
    else {
        web_reply_error(r, 404, "not_found", "no such path");
        return;
    }
    if (!web_req_allow(r, "POST")) return;
    int rc = crm_notify_mark_read(st, id);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, "no such notification");
        return;
    }
    web_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

/* ---- people (face identities) ---- */

void web_api_people(web_req_t *r) {
    if (r->nsegs == 3) { /* POST: web_media_enroll */
        method_not_allowed(r, "POST");
        return;
    }
    int64_t id;
    if (path_id(r, "person", &id) < 0) return;
    if (!web_req_allow(r, "DELETE") || !web_req_admin(r)) return;
    crm_store_t *st = web_req_db(r);
    if (!st) return;
    char err[512] = "";
    json_t *out = NULL;
    int rc = crm_person_forget(st, 0, id, actor(r), &out, err, sizeof err);
    reply_result(r, rc, out, err[0] ? err : "no such person");
}

/* ---- status ---- */

void web_api_status(web_req_t *r) {
    if (!web_req_allow(r, "GET")) return;
    crm_store_t *st = web_req_db(r);
    if (!st) return;
    web_ctx_t *s = r->ctx;
    int64_t pending = -1, dead = -1;
    crm_outbox_counts(st, &pending, &dead);
    struct stat sb;
    long long db_bytes = -1, wal_bytes = 0;
    if (stat(crm_store_path(st), &sb) == 0) db_bytes = (long long)sb.st_size;
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", crm_store_path(st));
    if (stat(wal, &sb) == 0) wal_bytes = (long long)sb.st_size;
    struct statvfs vfs;
    long long free_mb = -1, total_mb = -1;
    if (statvfs(s->storage_dir, &vfs) == 0) {
        free_mb = (long long)((unsigned long long)vfs.f_bavail * vfs.f_frsize >> 20);
        total_mb = (long long)((unsigned long long)vfs.f_blocks * vfs.f_frsize >> 20);
    }
    json_t *out = json_pack(
        "{s:s, s:s, s:f, s:i, s:{s:I, s:I, s:b}, s:{s:s, s:I, s:I, s:I, s:I, s:I, s:b}, s:{s:i, s:i}, s:s, s:s, s:b}",
        "version", GR_VERSION, "device", gr_config_str(s->cfg, GR_SET_DEVICE_NAME), "uptime_s", gr_now_mono() - s->started,
        "schema_version", crm_store_version(st), "sync", "pending", (json_int_t)pending, "dead", (json_int_t)dead,
        "enabled", gr_config_str(s->cfg, GR_SET_SYNC_BITRIX24_URL)[0] != '\0', "storage", "dir", s->storage_dir, "db_bytes",
        (json_int_t)db_bytes, "wal_bytes", (json_int_t)wal_bytes, "free_mb", (json_int_t)free_mb, "total_mb",
        (json_int_t)total_mb, "min_free_mb", (json_int_t)gr_config_int(s->cfg, GR_SET_STORAGE_MIN_FREE_MB), "low", gr_storage_is_low(), "clients",
        "events", atomic_load(&s->stats.event_clients), "streams", atomic_load(&s->stats.stream_clients), "camera",
        gr_config_str(s->cfg, GR_SET_CAMERA_SOURCE), "greeting", gr_config_str(s->cfg, GR_SET_WEB_GREETING), "tls", s->tls);
    /* The badge's cause: the CRM's or the network's last error, and a pause. */
    crm_sync_status_t ss;
    if (out && crm_sync_status(st, &ss) == GR_OK) {
        json_t *sy = json_object_get(out, "sync");
        json_object_set_new(sy, "paused", json_boolean(ss.paused));
        json_object_set_new(sy, "last_error", json_string(ss.last_error));
        json_object_set_new(sy, "last_ok_at", json_string(ss.last_ok_at));
        json_object_set_new(sy, "carddav_enabled", json_boolean(gr_config_str(s->cfg, GR_SET_SYNC_CARDDAV_URL)[0] != '\0'));
    }
    if (!out) {
        web_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    web_reply_json(r, 200, out);
}

void web_api_records(web_req_t *r) {
    for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++)
        if (is(r->segs[2], entities[i].name)) {
            entity_route(r, &entities[i]);
            return;
        }
    web_reply_error(r, 404, "not_found", "no such endpoint (see docs/API.md)");
}
