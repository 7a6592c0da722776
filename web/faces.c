/* faces.c - the Faces page's API: every face identity with its contact,
 * templates, consent and newest snapshot; enrolment (with consent, in
 * media.c); erasure of one identity's templates and snapshots.
 *
 *   GET    /api/v1/faces?q=&kind=all|enrolled|visitors&limit=&offset=
 *   POST   /api/v1/faces                 enrol (as POST /api/v1/people)
 *   POST   /api/v1/faces/identify        every face of a photo (media.c)
 *   GET    /api/v1/faces/{id}            with its templates and visits
 *   DELETE /api/v1/faces/{id}[?suppress=true]  crm_face_forget, or with a
 *                                        suppression entry (audit-logged)
 *   GET    /api/v1/faces/{id}/snapshot   the newest visit snapshot (JPEG)
 *   POST   /api/v1/faces/{id}/link       {"contact_id"}: "this is ..."
 *   POST   /api/v1/faces/{id}/merge      {"from": id}: that identity joins this one
 *   POST   /api/v1/faces/{id}/not-this   {"visit_id", "person_id": id|null}
 *   DELETE /api/v1/faces/{id}/templates/{template_id}
 */
#define GR_LOG_MODULE "web"
#include "web/faces.h"
#include "firmware/core/err.h"
#include "crm/contacts.h"
#include "crm/facelist.h"
#include "firmware/core/log.h"
#include "crm/privacy.h"
#include "web/role.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_QUERY 256
#define MAX_SNAPSHOT_BYTES (8u << 20)

static int is(const char *a, const char *b) { return strcmp(a, b) == 0; }

static void faces_list(web_req_t *r) {
    long limit, offset;
    if (web_parse_long(web_req_arg(r, "limit"), 1, 500, 50, &limit) != GR_OK) {
        web_reply_error(r, 400, "invalid", "limit must be a number from 1 to 500");
        return;
    }
    if (web_parse_long(web_req_arg(r, "offset"), 0, 1000000000L, 0, &offset) != GR_OK) {
        web_reply_error(r, 400, "invalid", "offset must be a number >= 0");
        return;
    }
    const char *q = web_req_arg(r, "q"), *kind = web_req_arg(r, "kind");
    if (q && strlen(q) > MAX_QUERY) {
        web_reply_error(r, 400, "invalid", "q is longer than %d characters", MAX_QUERY);
        return;
    }
    if (kind && *kind && !is(kind, "all") && !is(kind, "enrolled") && !is(kind, "visitors")) {
        web_reply_error(r, 400, "invalid", "kind must be all, enrolled or visitors");
        return;
    }
    crm_store_t *st = web_req_db(r);
    if (!st) return;
    json_t *out = NULL;
    int rc = crm_face_list(st, q, kind, (int)limit, (int)offset, &out);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, NULL);
        return;
    }
    web_reply_json(r, 200, out);
}

/* A snapshot name as vision writes it ("visit-<ms>-<frame>.jpg"): no path. */
static int snapshot_name_ok(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || n > 200 || name[0] == '.') return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_' || *p == '.'))
            return 0;
    return strstr(name, "..") == NULL;
}

static void face_snapshot(web_req_t *r, crm_store_t *st, int64_t id) {
    char name[256];
    int rc = crm_face_snapshot(st, id, name, sizeof name);
    if (rc == GR_ERR_EMPTY) {
        web_reply_error(r, 404, "not_found", "no snapshot of this face is kept");
        return;
    }
    if (rc != GR_OK) {
        web_reply_rc(r, rc, rc == GR_ERR_NOTFOUND ? "no such face" : NULL);
        return;
    }
    if (!snapshot_name_ok(name)) {
        LOG_W("face %lld: refusing snapshot name with a path in it", (long long)id);
        web_reply_error(r, 404, "not_found", "no snapshot of this face is kept");
        return;
    }
    char path[4400];
    snprintf(path, sizeof path, "%s/snapshots/%s", r->ctx->storage_dir, name);
    if (web_reply_file(r, path, MAX_SNAPSHOT_BYTES, "image/jpeg", "snapshot") != GR_OK) return;
    if (r->resp) MHD_add_response_header(r->resp, "Cache-Control", "private, max-age=300");
}

/* An id field of the JSON body: GR_OK with *out (0 when null and
 * nullable), else a 400 reply was sent. */
static int body_id(web_req_t *r, json_t *in, const char *key, int nullable, int64_t *out) {
    json_t *v = json_object_get(in, key);
    *out = 0;
    if (nullable && (!v || json_is_null(v))) return GR_OK;
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        web_reply_error(r, 400, "invalid", "%s must be a positive id%s", key, nullable ? " or null" : "");
        return GR_ERR_INVAL;
    }
    *out = json_integer_value(v);
    return GR_OK;
}

static const char *actor(web_req_t *r) { return r->sess.username[0] ? r->sess.username : "web"; }

/* POST /faces/{id}/link|merge|not-this */
static void face_action(web_req_t *r, crm_store_t *st, int64_t id, const char *action) {
    json_t *in = NULL;
    if (web_req_json(r, &in) != GR_OK) return;
    char err[512] = "";
    int rc;
    int64_t other = 0, person = 0;
    json_t *out = NULL;
    if (is(action, "link")) {
        if (body_id(r, in, "contact_id", 0, &other) != GR_OK) goto done;
        rc = crm_contact_link_person(st, other, id, actor(r), err, sizeof err);
        if (rc == GR_OK) rc = crm_face_detail(st, id, &out);
    } else if (is(action, "merge")) {
        if (body_id(r, in, "from", 0, &other) != GR_OK) goto done;
        rc = crm_face_merge(st, id, other, actor(r), err, sizeof err);
        if (rc == GR_OK) rc = crm_face_detail(st, id, &out);
    } else {
        int64_t visit = 0, owner = 0;
        if (body_id(r, in, "visit_id", 0, &visit) != GR_OK || body_id(r, in, "person_id", 1, &other) != GR_OK) goto done;
        /* the visit must be this identity's */
        rc = crm_face_visit_owner(st, visit, &owner);
        if (rc == GR_OK && owner != id) {
            web_reply_error(r, 404, "not_found", "identity %lld has no visit %lld", (long long)id, (long long)visit);
            goto done;
        }
        double thr = gr_config_double(r->ctx->cfg, GR_SET_VISION_MATCH_THRESHOLD);
        if (rc == GR_OK) rc = crm_face_not_this(st, visit, other, thr, actor(r), &person, err, sizeof err);
        if (rc == GR_OK) rc = crm_face_detail(st, person, &out);
    }
    if (rc != GR_OK) {
        web_reply_rc(r, rc, err[0] ? err : NULL);
        goto done;
    }
    LOG_I("face identity %lld: %s by %s", (long long)id, action, actor(r));
    web_reply_json(r, 200, out);
done:
    json_decref(in);
}

void web_faces_route(web_req_t *r) {
    char(*segs)[WEB_MAX_SEG_LEN] = r->segs;
    int n = r->nsegs;
    if (n == 3) {
        if (is(r->method, "GET")) {
            faces_list(r);
            return;
        }
        /* POST enrols: web_media_enroll (the route table) */
        web_reply_error(r, 405, "method_not_allowed", "allowed here: GET, POST");
        return;
    }
    int64_t id, tid = 0;
    if (n > 6 || web_parse_id(segs[3], &id) != GR_OK) {
        web_reply_error(r, 404, "not_found", "'%.40s' is not a face id", segs[3]);
        return;
    }
    const char *sub = n >= 5 ? segs[4] : "";
    int action = n == 5 && (is(sub, "link") || is(sub, "merge") || is(sub, "not-this"));
    if ((n == 5 && !is(sub, "snapshot") && !action) || (n == 6 && (!is(sub, "templates") || web_parse_id(segs[5], &tid) != GR_OK))) {
        web_reply_error(r, 404, "not_found", "no such path");
        return;
    }
    const char *allowed = n == 6 ? "DELETE" : action ? "POST" : n == 5 ? "GET" : "GET, DELETE";
    int ok = n == 6 ? is(r->method, "DELETE") : action ? is(r->method, "POST") :
             is(r->method, "GET") || (n == 4 && is(r->method, "DELETE"));
    if (!ok) {
        web_reply_error(r, 405, "method_not_allowed", "allowed here: %s", allowed);
        return;
    }
    crm_store_t *st = web_req_db(r);
    if (!st) return;
    if (action) {
        face_action(r, st, id, sub);
        return;
    }
    if (n == 5) {
        face_snapshot(r, st, id);
        return;
    }
    json_t *out = NULL;
    char err[512] = "";
    int rc;
    if (n == 6) {
        rc = crm_face_template_delete(st, id, tid, actor(r), err, sizeof err);
        if (rc == GR_OK) rc = crm_face_detail(st, id, &out);
        if (rc != GR_OK) {
            web_reply_rc(r, rc, err[0] ? err : NULL);
            return;
        }
        web_reply_json(r, 200, out);
        return;
    }
    if (is(r->method, "GET")) {
        rc = crm_face_detail(st, id, &out);
        if (rc != GR_OK) {
            web_reply_rc(r, rc, rc == GR_ERR_NOTFOUND ? "no such face" : NULL);
            return;
        }
        web_reply_json(r, 200, out);
        return;
    }
    if (!web_req_admin(r)) return; /* erasing is the admins' */
    const char *sup = web_req_arg(r, "suppress");
    int suppress = sup && (is(sup, "true") || is(sup, "1"));
    rc = suppress ? crm_face_suppress(st, id, actor(r), &out, err, sizeof err)
                  : crm_face_forget(st, id, actor(r), &out, err, sizeof err);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, err);
        return;
    }
    LOG_I("face identity %lld erased%s by %s", (long long)id, suppress ? " with a suppression entry" : "", actor(r));
    web_reply_json(r, 200, out);
}
