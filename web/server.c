/* server.c - the HTTP server (web.h): libmicrohttpd with one thread per
 * connection (streams block in their own thread; at most
 * WEB_MAX_CONNECTIONS), request bodies read up to web.max_upload_mb, each
 * request handed to the router (router.c) and counted for /metrics; and
 * the server's state made at open and freed at close.
 *
 * The top of the web part with router.c: it includes the route files'
 * headers, they include only the bottom (request.h, ctx.h, dbpool.h,
 * auth.h, parse.h).
 */
#define GR_LOG_MODULE "web"
#include "web/web.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "web/media.h"
#include "web/metrics.h"
#include "web/pages.h"
#include "web/request.h"
#include "web/router.h"
#include "web/settings.h"
#include "web/tls.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const gr_embed_file_t web_static_files[]; /* web/static, embedded at build time */
extern const size_t web_static_files_count;

#define WEB_MAX_CONNECTIONS 128 /* libmicrohttpd connection limit (one thread each) */
#define WEB_MAX_PER_CLIENT 64   /* of those, from one address */

struct web_server {
    web_ctx_t ctx;              /* what the routes see (r->ctx) */
    struct MHD_Daemon *mhd;
    int port;
    size_t max_body;
    char *storage_dir;
    char *tls_cert, *tls_key;   /* PEM text when web.tls */
    gr_log_burst_t mhd_burst;   /* libmicrohttpd's messages, logged once per burst */
};

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
        r->ctx = &s->ctx;
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
    else if (atomic_load(&s->ctx.stopping))
        web_reply_error(r, 503, "stopping", "greeterd is shutting down");
    else
        web_router_dispatch(r);
    web_req_release_db(r);
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
    web_metrics_count(&s->ctx.stats, r);
    web_req_release_db(r);
    if (r->resp) MHD_destroy_response(r->resp);
    free(r->body);
    free(r);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap) {
    web_server_t *s = cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r')) msg[--n] = '\0';
    if (gr_log_burst(&s->mhd_burst, 10)) LOG_D("libmicrohttpd: %s", msg);
}

/* Free what web_server_open made, in reverse order (each part may be missing). */
static void server_free(web_server_t *s) {
    web_pages_free(s->ctx.pages);
    web_settings_free(s->ctx.settings);
    web_media_free(s->ctx.media);
    web_dbpool_close(s->ctx.db);
    web_auth_free(s->ctx.auth);
    free(s->tls_cert);
    free(s->tls_key);
    free(s->storage_dir);
    free(s);
}

/* The first start's admin user (web_auth_bootstrap), on a pool connection. */
static int bootstrap(web_ctx_t *c) {
    crm_store_t *st = NULL;
    int slot = web_dbpool_take(c->db, &st);
    if (slot < 0) return slot;
    int rc = web_auth_bootstrap(c->auth, st);
    web_dbpool_give(c->db, slot);
    return rc;
}

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
    web_ctx_t *c = &s->ctx;
    c->cfg = cfg;
    c->bus = bus;
    c->ring = ring;
    c->started = gr_now_mono();
    c->tls = gr_config_bool(cfg, GR_SET_WEB_TLS);
    s->max_body = (size_t)gr_config_int(cfg, GR_SET_WEB_MAX_UPLOAD_MB) << 20;
    s->storage_dir = strdup(gr_config_str(cfg, GR_SET_STORAGE_DIR));
    if (!s->storage_dir) goto fail;
    c->storage_dir = s->storage_dir;

    rc = web_auth_new(s->storage_dir, (double)gr_config_int(cfg, GR_SET_WEB_SESSION_HOURS) * 3600.0, &c->auth);
    crm_opts_t crm_opts;
    crm_opts_from_config(cfg, &crm_opts);
    if (rc == GR_OK) rc = web_dbpool_open(s->storage_dir, &crm_opts, &c->db);
    if (rc == GR_OK) rc = bootstrap(c);
    if (rc == GR_OK) rc = web_media_new(&c->media);
    if (rc == GR_OK) rc = web_settings_new(&c->settings);
    if (rc == GR_OK) rc = web_pages_new(web_static_files, web_static_files_count, &c->pages);
    if (rc == GR_OK && c->tls)
        rc = web_tls_load(s->storage_dir, gr_config_str(cfg, GR_SET_DEVICE_NAME), &s->tls_key, &s->tls_cert);
    if (rc != GR_OK) goto fail;

    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    if (c->tls) flags |= MHD_USE_TLS;
    struct MHD_OptionItem tls_opts[] = {{MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key},
                                        {MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert},
                                        {MHD_OPTION_END, 0, NULL}};
    s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                              MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_MAX_CONNECTIONS,
                              MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)WEB_MAX_PER_CLIENT,
                              MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                              MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_ARRAY, c->tls ? tls_opts : &tls_opts[2],
                              MHD_OPTION_END);
    if (!s->mhd) {
        LOG_E("cannot listen on %s (address in use or not available)", listen);
        rc = GR_ERR_IO;
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    LOG_I("serving %s on %s (port %d)", c->tls ? "HTTPS" : "HTTP", listen, s->port);
    *out = s;
    return GR_OK;

fail:
    server_free(s);
    return rc;
}

void web_server_close(web_server_t *s) {
    if (!s) return;
    atomic_store(&s->ctx.stopping, 1);
    /* Streams notice `stopping` within a second; then every thread joins. */
    MHD_stop_daemon(s->mhd);
    server_free(s);
}

int web_server_port(const web_server_t *s) { return s ? s->port : 0; }
