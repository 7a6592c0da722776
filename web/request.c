/* request.c - reading a request (request.h): query parameters, headers,
 * cookies, a JSON or image body, and the database connection it holds.
 */
#include "firmware/core/err.h"
#include "web/request.h"

#include <string.h>
#include <strings.h>

int web_req_allow(web_req_t *r, const char *method) {
    if (strcmp(r->method, method) == 0) return 1;
    web_reply_error(r, 405, "method_not_allowed", "allowed here: %s", method);
    return 0;
}

const char *web_req_arg(web_req_t *r, const char *name) {
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *web_req_header(web_req_t *r, const char *name) {
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *web_req_cookie(web_req_t *r, const char *name) {
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int web_req_json(web_req_t *r, json_t **out) {
    const char *ct = web_req_header(r, "Content-Type");
    if (ct && strncasecmp(ct, "application/json", 16) != 0) {
        web_reply_error(r, 415, "unsupported_media_type", "send the body as application/json");
        return GR_ERR_FORMAT;
    }
    char err[256];
    int rc = web_parse_json_object(r->body, r->body_len, out, err, sizeof err);
    if (rc != GR_OK) web_reply_error(r, 400, "invalid_json", "%s", err);
    return rc;
}

int web_req_image(web_req_t *r, const void **img, size_t *len) {
    const char *ct = web_req_header(r, "Content-Type");
    if (!ct) ct = "";
    if (strncasecmp(ct, "multipart/form-data", 19) == 0) {
        int rc = web_multipart_find(ct, r->body, r->body_len, NULL, img, len);
        if (rc == GR_ERR_NOTFOUND) {
            web_reply_error(r, 400, "no_file", "the multipart body has no file part");
            return rc;
        }
        if (rc != GR_OK) {
            web_reply_error(r, 400, "bad_multipart", "the multipart/form-data body is malformed");
            return rc;
        }
    } else if (strncasecmp(ct, "image/jpeg", 10) == 0 || strncasecmp(ct, "image/png", 9) == 0) {
        *img = r->body;
        *len = r->body_len;
    } else {
        web_reply_error(r, 415, "unsupported_media_type",
                        "send the photo as image/jpeg, image/png or multipart/form-data");
        return GR_ERR_FORMAT;
    }
    if (*len == 0) {
        web_reply_error(r, 400, "empty", "the image is empty");
        return GR_ERR_EMPTY;
    }
    return GR_OK;
}

crm_store_t *web_req_db(web_req_t *r) {
    if (r->db) return r->db;
    crm_store_t *st = NULL;
    int slot = web_dbpool_take(r->ctx->db, &st);
    if (slot < 0) {
        web_reply_error(r, 503, "database", "the database is not available");
        return NULL;
    }
    r->db = st;
    r->db_slot = slot;
    return r->db;
}

void web_req_release_db(web_req_t *r) {
    if (!r->db) return;
    web_dbpool_give(r->ctx->db, r->db_slot);
    r->db = NULL;
    r->db_slot = -1;
}
