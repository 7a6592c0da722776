/* reply.c - the replies a route gives (request.h): JSON, {"error","message"}
 * errors, GR_ERR_* codes as HTTP statuses, bytes. Every reply carries the
 * common security headers.
 */
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "web/request.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void web_reply_response(web_req_t *r, unsigned status, struct MHD_Response *resp) {
    if (r->resp) MHD_destroy_response(r->resp);
    r->resp = resp;
    r->status = resp ? status : 500;
    if (!resp) return;
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    web_reply_hsts(r, resp);
}

void web_reply_hsts(const web_req_t *r, struct MHD_Response *resp) {
    /* Over HTTPS the browser is told to come back only over HTTPS (a year). */
    if (r->ctx->tls) MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
}

void web_reply_bytes(web_req_t *r, unsigned status, const char *ctype, const void *data, size_t len) {
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (resp) MHD_add_response_header(resp, "Content-Type", ctype);
    web_reply_response(r, status, resp);
}

void web_reply_json(web_req_t *r, unsigned status, json_t *body) {
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(body);
    if (!text) {
        static const char oom[] = "{\"error\":\"internal\",\"message\":\"out of memory\"}";
        web_reply_bytes(r, 500, "application/json", oom, sizeof oom - 1);
        return;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(text);
    } else {
        MHD_add_response_header(resp, "Content-Type", "application/json");
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    }
    web_reply_response(r, status, resp);
}

void web_reply_error(web_req_t *r, unsigned status, const char *code, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    web_reply_json(r, status, json_pack("{s:s, s:s}", "error", code, "message", msg));
}

/* How a GR_ERR_* code is answered; any other is 500 "internal". */
static const struct {
    int rc;
    unsigned status;
    const char *code;
} rc_replies[] = {
    {GR_ERR_INVAL, 400, "invalid"}, {GR_ERR_FORMAT, 400, "bad_format"}, {GR_ERR_RANGE, 400, "out_of_range"},
    {GR_ERR_NOTFOUND, 404, "not_found"}, {GR_ERR_EXISTS, 409, "conflict"}, {GR_ERR_AUTH, 403, "forbidden"},
    {GR_ERR_TOOBIG, 413, "too_large"}, {GR_ERR_EMPTY, 422, "nothing_found"}, {GR_ERR_BUSY, 503, "busy"},
    {GR_ERR_TIMEOUT, 504, "timeout"}, {GR_ERR_UNSUPPORTED, 501, "unsupported"}, {GR_ERR_STOPPED, 503, "stopping"},
};

void web_reply_rc(web_req_t *r, int rc, const char *msg) {
    unsigned status = 500;
    const char *code = "internal";
    for (size_t i = 0; i < sizeof rc_replies / sizeof rc_replies[0]; i++)
        if (rc_replies[i].rc == rc) {
            status = rc_replies[i].status;
            code = rc_replies[i].code;
            break;
        }
    web_reply_error(r, status, code, "%s", msg && *msg ? msg : gr_strerror(rc));
}

int web_reply_file(web_req_t *r, const char *path, size_t max_bytes, const char *ctype, const char *what) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 || (size_t)sb.st_size > max_bytes) {
        if (fd < 0 && errno != ENOENT) LOG_W("%s %s: %s", what, path, strerror(errno));
        if (fd >= 0) close(fd);
        web_reply_error(r, 404, "not_found", "the %s file is gone", what);
        return GR_ERR_NOTFOUND;
    }
    size_t len = (size_t)sb.st_size, got = 0;
    unsigned char *buf = malloc(len);
    while (buf && got < len) {
        ssize_t k = read(fd, buf + got, len - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        got += (size_t)k;
    }
    close(fd);
    if (!buf || got != len) {
        free(buf);
        web_reply_error(r, 500, "io", "the %s could not be read", what);
        return GR_ERR_IO;
    }
    web_reply_bytes(r, 200, ctype, buf, len);
    free(buf);
    return GR_OK;
}
