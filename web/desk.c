/* desk.c - expected visitors for the Visitors page (desk.h). */
#define GR_LOG_MODULE "web"
#include "web/desk.h"

#include "crm/expected.h"
#include "firmware/core/err.h"

#include <string.h>

void web_desk_expected(web_req_t *r) {
    crm_store_t *st = NULL;
    json_t *out = NULL;
    int rc;
    if (r->nsegs == 4) {
        int64_t id;
        if (web_parse_id(r->segs[3], &id) != GR_OK) {
            web_reply_error(r, 404, "not_found", "no such expected visitor");
            return;
        }
        if (!web_req_allow(r, "DELETE") || !(st = web_req_db(r))) return;
        rc = crm_expected_delete(st, id);
        if (rc != GR_OK) {
            web_reply_rc(r, rc, "no such expected visitor");
            return;
        }
        web_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
        return;
    }
    if (strcmp(r->method, "POST") == 0) {
        json_t *in = NULL;
        if (web_req_json(r, &in) != GR_OK) return;
        if (!(st = web_req_db(r))) {
            json_decref(in);
            return;
        }
        char err[512] = "";
        rc = crm_expected_add(st, in, r->sess.username[0] ? r->sess.username : "web", &out, err, sizeof err);
        json_decref(in);
        if (rc != GR_OK) {
            web_reply_rc(r, rc, err[0] ? err : NULL);
            return;
        }
        web_reply_json(r, 201, out);
        return;
    }
    if (!web_req_allow(r, "GET") || !(st = web_req_db(r))) return;
    const char *day = web_req_arg(r, "day");
    rc = crm_expected_list(st, day && *day ? day : NULL, &out);
    if (rc != GR_OK) {
        web_reply_rc(r, rc, "day must be YYYY-MM-DD");
        return;
    }
    web_reply_json(r, 200, out);
}
