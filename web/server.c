/* server.c - the HTTP server: libmicrohttpd with one thread per connection
 * (streams block in their own thread; at most WEB_MAX_CONNECTIONS), request
 * bodies read up to web.max_upload_mb, routing, login checks, static pages
 * from the table embedded at build time, /healthz and /metrics.
 *
 * SQL work goes through a pool of WEB_DB_POOL connections: a request waits
 * for one in arrival order (a thread per connection alone would share the
 * two cores among every open request, so one expensive search would stretch
 * all the others); a read keeps the connection its session was checked on.
 */
#define GR_LOG_MODULE "web"
#include "firmware/core/err.h"
#include "web/internal.h"
#include "firmware/core/log.h"
#include "firmware/core/embed.h"
#include "crm/outbox.h"
#include "firmware/core/storage.h"
#include "firmware/core/version.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

extern const gr_embed_file_t web_static_files[];
extern const size_t web_static_files_count;

const double web_hist_bounds[WEB_HIST_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};

/* ETags of the embedded files, computed once (FNV-1a of the contents). */
static char static_etags[256][24];
static pthread_once_t etag_once = PTHREAD_ONCE_INIT;

static void compute_etags(void) {
    for (size_t i = 0; i < web_static_files_count && i < 256; i++) {
        uint64_t h = 1469598103934665603ULL;
        for (size_t j = 0; j < web_static_files[i].size; j++) {
            h ^= web_static_files[i].data[j];
            h *= 1099511628211ULL;
        }
        snprintf(static_etags[i], sizeof static_etags[i], "\"%016llx\"", (unsigned long long)h);
    }
}

/* ---- replies ---- */

static void add_common_headers(struct MHD_Response *resp) {
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
}

static void set_reply(web_req_t *r, unsigned status, struct MHD_Response *resp) {
    if (r->resp) MHD_destroy_response(r->resp);
    r->resp = resp;
    r->status = status;
    if (resp) add_common_headers(resp);
}

void web_reply_bytes(web_req_t *r, unsigned status, const char *ctype, const void *data, size_t len) {
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!resp) {
        set_reply(r, 500, NULL);
        return;
    }
    MHD_add_response_header(resp, "Content-Type", ctype);
    set_reply(r, status, resp);
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
        set_reply(r, 500, NULL);
        return;
    }
    MHD_add_response_header(resp, "Content-Type", "application/json");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    set_reply(r, status, resp);
}

void web_reply_error(web_req_t *r, unsigned status, const char *code, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    web_reply_json(r, status, json_pack("{s:s, s:s}", "error", code, "message", msg));
}

void web_reply_rc(web_req_t *r, int rc, const char *msg) {
    unsigned status = 500;
    const char *code = "internal";
    switch (rc) {
    case GR_ERR_INVAL: status = 400; code = "invalid"; break;
    case GR_ERR_FORMAT: status = 400; code = "bad_format"; break;
    case GR_ERR_RANGE: status = 400; code = "out_of_range"; break;
    case GR_ERR_NOTFOUND: status = 404; code = "not_found"; break;
    case GR_ERR_EXISTS: status = 409; code = "conflict"; break;
    case GR_ERR_AUTH: status = 403; code = "forbidden"; break;
    case GR_ERR_TOOBIG: status = 413; code = "too_large"; break;
    case GR_ERR_EMPTY: status = 422; code = "nothing_found"; break;
    case GR_ERR_BUSY: status = 503; code = "busy"; break;
    case GR_ERR_TIMEOUT: status = 504; code = "timeout"; break;
    case GR_ERR_UNSUPPORTED: status = 501; code = "unsupported"; break;
    case GR_ERR_STOPPED: status = 503; code = "stopping"; break;
    default: break;
    }
    web_reply_error(r, status, code, "%s", msg && *msg ? msg : gr_strerror(rc));
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

const char *web_req_arg(web_req_t *r, const char *name) {
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *web_req_header(web_req_t *r, const char *name) {
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
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

/* ---- the database pool ---- */

/* A request waiting for a connection; lives on its thread's stack. */
struct web_db_waiter {
    pthread_cond_t cond;
    int slot; /* -1 until a connection is handed over */
    struct web_db_waiter *next;
};

/* With s->db_lock held: a free connection's slot, opening one more while
 * the pool is not full; -1 when all are busy; -2 when none can be opened. */
static int pool_take_locked(web_server_t *s) {
    for (int i = 0; i < s->db_open; i++)
        if (!s->db_busy[i]) {
            s->db_busy[i] = 1;
            return i;
        }
    if (s->db_open >= WEB_DB_POOL) return -1;
    char err[512];
    crm_store_t *st = NULL;
    crm_opts_t opts;
    crm_opts_from_config(s->cfg, &opts); /* the live config: what the Settings page set */
    if (crm_store_open_dir(s->storage_dir, &opts, &st, err, sizeof err) != GR_OK) {
        LOG_E("database: %s", err);
        return -2;
    }
    s->db[s->db_open] = st;
    s->db_busy[s->db_open] = 1;
    return s->db_open++;
}

crm_store_t *web_req_db(web_req_t *r) {
    if (r->db) return r->db;
    web_server_t *s = r->srv;
    pthread_mutex_lock(&s->db_lock);
    /* Nobody overtakes a request already in line. */
    int slot = s->db_wait_head ? -1 : pool_take_locked(s);
    if (slot == -1) {
        struct web_db_waiter w = {.slot = -1, .next = NULL};
        pthread_cond_init(&w.cond, NULL);
        if (s->db_wait_tail) s->db_wait_tail->next = &w;
        else s->db_wait_head = &w;
        s->db_wait_tail = &w;
        while (w.slot < 0) pthread_cond_wait(&w.cond, &s->db_lock);
        pthread_cond_destroy(&w.cond);
        slot = w.slot;
    }
    pthread_mutex_unlock(&s->db_lock);
    if (slot < 0) {
        web_reply_error(r, 503, "database", "the database is not available");
        return NULL;
    }
    r->db = s->db[slot];
    r->db_slot = slot;
    return r->db;
}

static void req_release_db(web_req_t *r) {
    if (!r->db) return;
    web_server_t *s = r->srv;
    pthread_mutex_lock(&s->db_lock);
    struct web_db_waiter *w = s->db_wait_head;
    if (w) { /* hand the connection straight to the longest waiter */
        s->db_wait_head = w->next;
        if (!s->db_wait_head) s->db_wait_tail = NULL;
        w->slot = r->db_slot;
        pthread_cond_signal(&w->cond);
    } else {
        s->db_busy[r->db_slot] = 0;
    }
    pthread_mutex_unlock(&s->db_lock);
    r->db = NULL;
    r->db_slot = -1;
}

/* ---- built-in pages ---- */

static void serve_static(web_req_t *r) {
    char name[256];
    if (web_static_name(r->url, name, sizeof name) != GR_OK) {
        web_reply_error(r, 404, "not_found", "no such page");
        return;
    }
    pthread_once(&etag_once, compute_etags);
    for (size_t i = 0; i < web_static_files_count; i++) {
        const gr_embed_file_t *f = &web_static_files[i];
        if (strcmp(f->name, name) != 0) continue;
        const char *etag = i < 256 ? static_etags[i] : NULL;
        const char *inm = web_req_header(r, "If-None-Match");
        struct MHD_Response *resp;
        unsigned status = 200;
        if (etag && inm && strcmp(inm, etag) == 0) {
            resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
            status = 304;
        } else {
            resp = MHD_create_response_from_buffer(f->size, (void *)f->data, MHD_RESPMEM_PERSISTENT);
        }
        if (!resp) {
            web_reply_error(r, 500, "internal", "out of memory");
            return;
        }
        MHD_add_response_header(resp, "Content-Type", web_mime_type(f->name));
        /* The files change with the firmware: revalidate each time (cheap, 304). */
        MHD_add_response_header(resp, "Cache-Control", "no-cache");
        if (etag) MHD_add_response_header(resp, "ETag", etag);
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                                "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
        set_reply(r, status, resp);
        return;
    }
    web_reply_error(r, 404, "not_found", "no such page");
}

static void serve_healthz(web_req_t *r) {
    web_server_t *s = r->srv;
    web_reply_json(r, 200,
                   json_pack("{s:b, s:s, s:f}", "ok", 1, "version", GR_VERSION, "uptime_s",
                             gr_now_mono() - s->started));
}

static int is_loopback(const char *client) {
    return strncmp(client, "127.", 4) == 0 || strcmp(client, "::1") == 0;
}

void web_metrics(web_req_t *r) {
    web_server_t *s = r->srv;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        web_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    fprintf(f, "# HELP greeter_up 1 while greeterd runs.\n# TYPE greeter_up gauge\ngreeter_up 1\n");
    gr_storage_write_metrics(f); /* greeter_storage_low, greeter_storage_skipped_files_total */
    fprintf(f, "# HELP greeter_uptime_seconds Seconds since the web server started.\n"
               "# TYPE greeter_uptime_seconds gauge\ngreeter_uptime_seconds %.3f\n",
            gr_now_mono() - s->started);
    fprintf(f, "# HELP greeter_http_requests_total HTTP requests answered, by status class.\n"
               "# TYPE greeter_http_requests_total counter\n");
    static const char *cls[6] = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
    for (int i = 0; i < 6; i++)
        fprintf(f, "greeter_http_requests_total{code=\"%s\"} %lu\n", cls[i], atomic_load(&s->requests[i]));
    fprintf(f, "# HELP greeter_http_request_duration_seconds Time to answer a request (streams excluded).\n"
               "# TYPE greeter_http_request_duration_seconds histogram\n");
    unsigned long cum = 0;
    for (int i = 0; i < WEB_HIST_BUCKETS; i++) {
        cum += atomic_load(&s->hist[i]);
        fprintf(f, "greeter_http_request_duration_seconds_bucket{le=\"%g\"} %lu\n", web_hist_bounds[i], cum);
    }
    cum += atomic_load(&s->hist[WEB_HIST_BUCKETS]);
    fprintf(f, "greeter_http_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n", cum);
    fprintf(f, "greeter_http_request_duration_seconds_sum %.6f\n", atomic_load(&s->latency_us_sum) / 1e6);
    fprintf(f, "greeter_http_request_duration_seconds_count %lu\n", cum);
    fprintf(f, "# HELP greeter_event_clients Open server-sent event streams.\n# TYPE greeter_event_clients gauge\n"
               "greeter_event_clients %d\n",
            atomic_load(&s->event_clients));
    fprintf(f, "# HELP greeter_events_sent_total Events sent to browsers.\n# TYPE greeter_events_sent_total counter\n"
               "greeter_events_sent_total %lu\n",
            atomic_load(&s->events_sent));
    fprintf(f, "# HELP greeter_stream_clients Open MJPEG streams.\n# TYPE greeter_stream_clients gauge\n"
               "greeter_stream_clients %d\n",
            atomic_load(&s->stream_clients));
    fprintf(f, "# HELP greeter_stream_frames_total JPEG frames sent to MJPEG clients.\n"
               "# TYPE greeter_stream_frames_total counter\ngreeter_stream_frames_total %lu\n",
            atomic_load(&s->stream_frames));
    fprintf(f, "# HELP greeter_login_failures_total Failed logins and password changes.\n"
               "# TYPE greeter_login_failures_total counter\ngreeter_login_failures_total %lu\n",
            web_auth_failures(s->auth));
    crm_store_t *st = web_req_db(r);
    if (st) {
        int64_t pending = 0, dead = 0;
        if (crm_outbox_counts(st, &pending, &dead) == GR_OK)
            fprintf(f, "# HELP greeter_sync_outbox Outbox rows by state.\n# TYPE greeter_sync_outbox gauge\n"
                       "greeter_sync_outbox{state=\"pending\"} %lld\ngreeter_sync_outbox{state=\"dead\"} %lld\n",
                    (long long)pending, (long long)dead);
    }
    fclose(f);
    if (!st) {
        free(buf);
        return; /* web_req_db replied */
    }
    web_reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", buf, len);
    free(buf);
}

/* ---- sessions on requests ---- */

static int is_state_changing(const char *m) {
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* Load the session from the cookie. 1 when logged in. */
static int load_session(web_req_t *r) {
    const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, WEB_SESSION_COOKIE);
    if (!c || strlen(c) != WEB_TOKEN_HEX - 1) return 0;
    snprintf(r->token, sizeof r->token, "%s", c);
    crm_store_t *st = web_req_db(r);
    if (!st) return -1;
    r->authed = web_auth_session(r->srv->auth, st, r->token, &r->sess) == GR_OK;
    return r->authed;
}

/* ---- dispatch ---- */

static void dispatch(web_req_t *r) {
    char segs[WEB_MAX_SEGS][WEB_MAX_SEG_LEN];
    int n = web_split_path(r->url, segs);
    if (n < 0) {
        web_reply_error(r, 404, "not_found", "no such path");
        return;
    }
    const char *m = r->method;
    if (n == 1 && strcmp(segs[0], "healthz") == 0) {
        if (strcmp(m, "GET") && strcmp(m, "HEAD")) {
            web_reply_error(r, 405, "method_not_allowed", "use GET");
            return;
        }
        serve_healthz(r);
        return;
    }
    int api = n >= 2 && strcmp(segs[0], "api") == 0 && strcmp(segs[1], "v1") == 0;
    int is_login = api && n == 3 && strcmp(segs[2], "login") == 0;
    int is_metrics = n == 1 && strcmp(segs[0], "metrics") == 0;
    int is_stream = n == 1 && strcmp(segs[0], "stream.mjpg") == 0;
    if (!api && !is_metrics && !is_stream) {
        if (strcmp(m, "GET") && strcmp(m, "HEAD")) {
            web_reply_error(r, 405, "method_not_allowed", "pages are read with GET");
            return;
        }
        serve_static(r);
        return;
    }
    if (n >= 1 && strcmp(segs[0], "api") == 0 && !api) {
        web_reply_error(r, 404, "not_found", "the API lives under /api/v1");
        return;
    }
    if (!is_login) {
        int ok = load_session(r);
        if (ok < 0) return;
        if (!ok && !(is_metrics && is_loopback(r->client))) {
            web_reply_error(r, 401, "unauthorized", "log in first (POST /api/v1/login)");
            return;
        }
        if (ok && is_state_changing(m)) {
            const char *csrf = web_req_header(r, "X-CSRF-Token");
            if (!csrf || !web_auth_token_equal(csrf, r->sess.csrf)) {
                web_reply_error(r, 403, "csrf", "missing or wrong X-CSRF-Token header");
                return;
            }
        }
    }
    /* A read keeps the connection its session was checked on, so it queues
     * for the pool once, not twice. Everything else gives it back and takes
     * one again when needed: a card scan or a face enrolment runs for
     * seconds without holding one of the pool's, a stream or the event feed
     * for as long as the browser stays. */
    if (!(api && !strcmp(m, "GET") && !(n == 3 && strcmp(segs[2], "events") == 0))) req_release_db(r);
    if (is_metrics) {
        if (strcmp(m, "GET")) {
            web_reply_error(r, 405, "method_not_allowed", "use GET");
            return;
        }
        web_metrics(r);
        return;
    }
    if (is_stream) {
        if (strcmp(m, "GET")) {
            web_reply_error(r, 405, "method_not_allowed", "use GET");
            return;
        }
        /* Streams last long: give the database connection back first. */
        req_release_db(r);
        web_stream_mjpeg(r);
        return;
    }
    web_api_dispatch(r, segs, n);
}

static void client_address(struct MHD_Connection *c, char *out, size_t len) {
    snprintf(out, len, "?");
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr) return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)len);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)len);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
    (void)version;
    web_server_t *s = cls;
    web_req_t *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r) return MHD_NO;
        r->srv = s;
        r->conn = conn;
        r->method = method;
        r->url = url;
        r->t0 = gr_now_mono();
        r->timed = 1;
        r->db_slot = -1;
        client_address(conn, r->client, sizeof r->client);
        *con_cls = r;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl) {
            char *end = NULL;
            unsigned long long v = strtoull(cl, &end, 10);
            if (end && *end == '\0' && v > s->max_body) {
                /* Refuse before reading: libmicrohttpd closes the connection. */
                web_reply_error(r, 413, "too_large", "the body is larger than web.max_upload_mb (%zu MB)",
                                s->max_body >> 20);
                enum MHD_Result ok = MHD_queue_response(conn, r->status, r->resp);
                return ok;
            }
        }
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (r->resp) { /* already refused: discard */
            *upload_data_size = 0;
            return MHD_YES;
        }
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (r->too_big) return MHD_YES;
        if (r->body_len + n > s->max_body) {
            r->too_big = 1;
            free(r->body);
            r->body = NULL;
            r->body_len = r->body_cap = 0;
            return MHD_YES;
        }
        if (r->body_len + n + 1 > r->body_cap) {
            size_t cap = r->body_cap ? r->body_cap : 4096;
            while (cap < r->body_len + n + 1) cap *= 2;
            if (cap > s->max_body + 1) cap = s->max_body + 1;
            char *nb = realloc(r->body, cap);
            if (!nb) {
                r->too_big = 1; /* answered as 413: nothing better to say without memory */
                free(r->body);
                r->body = NULL;
                r->body_len = r->body_cap = 0;
                return MHD_YES;
            }
            r->body = nb;
            r->body_cap = cap;
        }
        memcpy(r->body + r->body_len, upload_data, n);
        r->body_len += n;
        r->body[r->body_len] = '\0';
        return MHD_YES;
    }
    if (r->resp && r->status == 413) return MHD_YES; /* queued on the first call */
    if (r->too_big)
        web_reply_error(r, 413, "too_large", "the body is larger than web.max_upload_mb (%zu MB)", s->max_body >> 20);
    else if (atomic_load(&s->stopping))
        web_reply_error(r, 503, "stopping", "greeterd is shutting down");
    else
        dispatch(r);
    req_release_db(r);
    if (!r->resp) {
        web_reply_error(r, 500, "internal", "no response");
        if (!r->resp) return MHD_NO;
    }
    enum MHD_Result ok = MHD_queue_response(conn, r->status, r->resp);
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe) {
    (void)conn;
    (void)toe;
    web_server_t *s = cls;
    web_req_t *r = *con_cls;
    if (!r) return;
    unsigned cls_i = r->status >= 100 && r->status < 600 ? r->status / 100 : 0;
    atomic_fetch_add(&s->requests[cls_i], 1);
    if (r->timed) {
        double dt = gr_now_mono() - r->t0;
        int b = 0;
        while (b < WEB_HIST_BUCKETS && dt > web_hist_bounds[b]) b++;
        atomic_fetch_add(&s->hist[b], 1);
        atomic_fetch_add(&s->latency_us_sum, (unsigned long)(dt * 1e6));
    }
    req_release_db(r);
    if (r->resp) MHD_destroy_response(r->resp);
    free(r->body);
    free(r);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap) {
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r')) msg[--n] = '\0';
    static gr_log_burst_t burst;
    if (gr_log_burst(&burst, 10)) LOG_D("libmicrohttpd: %s", msg);
}

int web_tls_ensure(web_server_t *s); /* tls.c */

int web_server_open(const gr_config_t *cfg, gr_bus_t *bus, gr_ring_t *ring, web_server_t **out) {
    *out = NULL;
    struct sockaddr_storage ss;
    socklen_t sslen;
    const char *listen = gr_config_str(cfg, GR_SET_WEB_LISTEN);
    if (web_parse_listen(listen, &ss, &sslen) != GR_OK) {
        LOG_E("web.listen: '%s' is not ADDRESS:PORT (e.g. 0.0.0.0:8080)", listen);
        return GR_ERR_INVAL;
    }
    web_server_t *s = calloc(1, sizeof *s);
    if (!s) return GR_ERR_NOMEM;
    int rc = GR_ERR_NOMEM;
    s->cfg = cfg;
    s->bus = bus;
    s->ring = ring;
    s->started = gr_now_mono();
    s->max_body = (size_t)gr_config_int(cfg, GR_SET_WEB_MAX_UPLOAD_MB) << 20;
    s->tls = gr_config_bool(cfg, GR_SET_WEB_TLS);
    s->storage_dir = strdup(gr_config_str(cfg, GR_SET_STORAGE_DIR));
    if (!s->storage_dir) goto fail_free;
    pthread_mutex_init(&s->db_lock, NULL);
    pthread_mutex_init(&s->ocr_lock, NULL);
    pthread_mutex_init(&s->faces_lock, NULL);

    rc = web_auth_new(s->storage_dir, (double)gr_config_int(cfg, GR_SET_WEB_SESSION_HOURS) * 3600.0, &s->auth);
    if (rc != GR_OK) goto fail_locks;
    {
        char err[512];
        crm_opts_t opts;
        crm_opts_from_config(cfg, &opts);
        rc = crm_store_open_dir(s->storage_dir, &opts, &s->db[0], err, sizeof err);
        if (rc != GR_OK) {
            LOG_E("database: %s", err);
            goto fail_auth;
        }
        s->db_open = 1;
        rc = web_auth_bootstrap(s->auth, s->db[0]);
        if (rc != GR_OK) goto fail_db;
    }
    if (s->tls) {
        rc = web_tls_ensure(s);
        if (rc != GR_OK) goto fail_db;
    }

    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    if (s->tls) flags |= MHD_USE_TLS;
    if (s->tls)
        s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                                  MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_MAX_CONNECTIONS,
                                  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)WEB_MAX_PER_CLIENT,
                                  MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                  MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_HTTPS_MEM_KEY, s->tls_key,
                                  MHD_OPTION_HTTPS_MEM_CERT, s->tls_cert, MHD_OPTION_END);
    else
        s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                                  MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_MAX_CONNECTIONS,
                                  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)WEB_MAX_PER_CLIENT,
                                  MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                  MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_END);
    if (!s->mhd) {
        LOG_E("cannot listen on %s (address in use or not available)", listen);
        rc = GR_ERR_IO;
        goto fail_db;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    LOG_I("serving %s on %s (port %d)", s->tls ? "HTTPS" : "HTTP", listen, s->port);
    *out = s;
    return GR_OK;

fail_db:
    crm_store_close(s->db[0]);
fail_auth:
    web_auth_free(s->auth);
fail_locks:
    pthread_mutex_destroy(&s->faces_lock);
    pthread_mutex_destroy(&s->ocr_lock);
    pthread_mutex_destroy(&s->db_lock);
fail_free:
    free(s->tls_cert);
    free(s->tls_key);
    free(s->storage_dir);
    free(s);
    return rc;
}

void web_server_close(web_server_t *s) {
    if (!s) return;
    atomic_store(&s->stopping, 1);
    /* Streams notice `stopping` within a second; then every thread joins. */
    MHD_stop_daemon(s->mhd);
    web_media_close(s);
    for (int i = 0; i < s->db_open; i++) crm_store_close(s->db[i]);
    web_auth_free(s->auth);
    pthread_mutex_destroy(&s->faces_lock);
    pthread_mutex_destroy(&s->ocr_lock);
    pthread_mutex_destroy(&s->db_lock);
    free(s->tls_cert);
    free(s->tls_key);
    free(s->storage_dir);
    free(s);
}

int web_server_port(const web_server_t *s) { return s ? s->port : 0; }
