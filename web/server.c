/* server.c - the HTTP server (web.h): libmicrohttpd with one thread per
 * connection (streams block in their own thread), each request handed to
 * the router (router.c) and counted for /metrics; and the server's state
 * made at open and freed at close.
 *
 * What a stranger on the network can hold is bounded:
 *  - a request is judged on its headers (web_router_judge) before any body
 *    byte is read: a wrong path, no session, no CSRF token or a body larger
 *    than its route takes are answered at once and the body is never read;
 *  - the bodies held at once across all connections share a budget
 *    (web.body_budget_mb): a body is reserved in full on its headers
 *    (Content-Length, or the route's limit when chunked) and refused with
 *    503 when it does not fit;
 *  - libmicrohttpd keeps at most WEB_CONN_MEMORY per connection for headers;
 *  - a guard thread closes a connection whose headers have not all arrived
 *    WEB_HEADER_S after it opened (or after its last answer, when kept
 *    alive), or whose body has not arrived in WEB_BODY_BASE_S plus a second
 *    per WEB_BODY_RATE bytes: trickling a byte now and then does not keep a
 *    slot, unlike libmicrohttpd's idle time-out;
 *  - one address holds at most WEB_MAX_PER_CLIENT of the WEB_MAX_CONNECTIONS
 *    threads, so a few addresses cannot take every slot: /healthz and the
 *    people signed in keep being served. The board's own programs
 *    (127.0.0.1, ::1: no other machine can send from them) count only
 *    toward the total: a kiosk browser on the board, a load benchmark.
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
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

extern const gr_embed_file_t web_static_files[]; /* web/static, embedded at build time */
extern const size_t web_static_files_count;

#define WEB_MAX_CONNECTIONS 256       /* libmicrohttpd connection limit (one thread each) */
#define WEB_MAX_PER_CLIENT 12         /* of those, from one address (a browser opens 6 at most) */
#define WEB_CONN_MEMORY (32u << 10)   /* libmicrohttpd's memory per connection (headers, buffers) */
#define WEB_IDLE_S 30u                /* libmicrohttpd's idle time-out */
#define WEB_HEADER_S 10.0             /* all headers within this of opening, or of the last answer */
#define WEB_BODY_BASE_S 10.0          /* a body within this ... */
#define WEB_BODY_RATE (256.0 * 1024)  /* ... plus a second per this many bytes (20 MB: 90 s) */
#define WEB_GUARD_TICK_MS 250
/* TLS 1.2 and 1.3 only, forward-secret key exchange, AEAD ciphers. */
#define WEB_TLS_PRIORITIES                                                                                   \
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:" \
    "-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:%SERVER_PRECEDENCE"

/* An address with connections open, for the per-address limit. */
typedef struct {
    unsigned char key[16]; /* IPv6, or IPv4 mapped into it */
    int count;             /* 0: a free entry */
} addr_count_t;

/* A connection as the guard sees it (libmicrohttpd's socket context). */
enum { PHASE_HEADER, PHASE_BODY, PHASE_BUSY };
typedef struct guard_conn {
    struct guard_conn *prev, *next;
    unsigned char key[16]; /* its address, when counted */
    int counted;           /* in addrs[] (not the board's own address) */
    int fd;
    int phase;       /* PHASE_*: only HEADER and BODY have a deadline */
    double deadline; /* monotonic */
    int cut;         /* shut down once */
} guard_conn_t;

struct web_server {
    web_ctx_t ctx;              /* what the routes see (r->ctx) */
    struct MHD_Daemon *mhd;
    int port;
    size_t budget;              /* web.body_budget_mb in bytes */
    char *storage_dir;
    char *tls_cert, *tls_key;   /* PEM text when web.tls */
    gr_log_burst_t mhd_burst;   /* libmicrohttpd's messages, logged once per burst */
    gr_log_burst_t cut_burst;   /* deadline cuts, logged once per burst */

    pthread_mutex_t guard_lock; /* the open connections and their addresses, the guard's stop flag */
    addr_count_t addrs[WEB_MAX_CONNECTIONS];
    pthread_cond_t guard_cond;
    guard_conn_t guard_head;    /* list sentinel */
    int guard_stop, guard_running;
    pthread_t guard;
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

/* ---- the per-address limit ---- */

/* The address as 16 bytes (IPv4 mapped). 0 for the board's own
 * 127.0.0.1 / ::1 and for what is not IP: not limited per address. */
static int addr_key(const struct sockaddr *sa, unsigned char key[16]) {
    static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char v6loop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char v4loop[4] = {127, 0, 0, 1};
    if (!sa) return 0;
    if (sa->sa_family == AF_INET) {
        memcpy(key, v4mapped, 12);
        memcpy(key + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    } else {
        return 0;
    }
    if (!memcmp(key, v6loop, 16) || (!memcmp(key, v4mapped, 12) && !memcmp(key + 12, v4loop, 4))) return 0;
    return 1;
}

/* The entry of key (guard_lock held), or with make a free one; NULL when none. */
static addr_count_t *addr_find(web_server_t *s, const unsigned char key[16], int make) {
    addr_count_t *free_one = NULL;
    for (int i = 0; i < WEB_MAX_CONNECTIONS; i++) {
        addr_count_t *a = &s->addrs[i];
        if (a->count > 0 && !memcmp(a->key, key, 16)) return a;
        if (a->count == 0 && !free_one) free_one = a;
    }
    if (!make || !free_one) return NULL;
    memcpy(free_one->key, key, 16);
    return free_one;
}

/* libmicrohttpd's accept policy (its listening thread, which also runs
 * on_connection(STARTED) right after, so nothing slips in between). */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen) {
    (void)addrlen;
    web_server_t *s = cls;
    unsigned char key[16];
    if (!addr_key(addr, key)) return MHD_YES;
    pthread_mutex_lock(&s->guard_lock);
    const addr_count_t *a = addr_find(s, key, 0);
    int ok = !a || a->count < WEB_MAX_PER_CLIENT;
    pthread_mutex_unlock(&s->guard_lock);
    return ok ? MHD_YES : MHD_NO;
}

/* ---- the guard: header and body deadlines ---- */

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
    web_server_t *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        guard_conn_t *g = calloc(1, sizeof *g);
        if (!g || !ci) { /* not guarded: libmicrohttpd's idle time-out still applies */
            free(g);
            *socket_context = NULL;
            return;
        }
        g->fd = ci->connect_fd;
        g->phase = PHASE_HEADER;
        g->deadline = gr_now_mono() + WEB_HEADER_S;
        const union MHD_ConnectionInfo *ai = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        int limited = ai && addr_key(ai->client_addr, g->key);
        pthread_mutex_lock(&s->guard_lock);
        addr_count_t *a = limited ? addr_find(s, g->key, 1) : NULL;
        if (a) {
            a->count++;
            g->counted = 1;
        }
        g->next = s->guard_head.next;
        g->prev = &s->guard_head;
        g->next->prev = g;
        s->guard_head.next = g;
        pthread_mutex_unlock(&s->guard_lock);
        *socket_context = g;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        guard_conn_t *g = *socket_context;
        if (!g) return;
        pthread_mutex_lock(&s->guard_lock);
        g->prev->next = g->next;
        g->next->prev = g->prev;
        addr_count_t *a = g->counted ? addr_find(s, g->key, 0) : NULL;
        if (a) a->count--;
        pthread_mutex_unlock(&s->guard_lock);
        free(g);
        *socket_context = NULL;
    }
}

/* Move conn's guard entry to phase, with a deadline `after` seconds from now. */
static void guard_phase(web_server_t *s, struct MHD_Connection *conn, int phase, double after) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    guard_conn_t *g = ci ? ci->socket_context : NULL;
    if (!g) return;
    pthread_mutex_lock(&s->guard_lock);
    g->phase = phase;
    g->deadline = gr_now_mono() + after;
    pthread_mutex_unlock(&s->guard_lock);
}

/* Every tick: shut down (not close: the descriptor stays libmicrohttpd's)
 * the sockets past their deadline; their thread then sees the end of the
 * stream and closes the connection. The entry leaves the list only in
 * on_connection(CLOSED), under the same lock, before libmicrohttpd closes
 * the descriptor, so fd is still that connection's here. */
static void *guard_main(void *arg) {
    web_server_t *s = arg;
    pthread_mutex_lock(&s->guard_lock);
    while (!s->guard_stop) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += WEB_GUARD_TICK_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&s->guard_cond, &s->guard_lock, &ts);
        double now = gr_now_mono();
        int cuts = 0;
        for (guard_conn_t *g = s->guard_head.next; g != &s->guard_head; g = g->next) {
            if (g->cut || g->phase == PHASE_BUSY || now < g->deadline) continue;
            shutdown(g->fd, SHUT_RDWR);
            g->cut = 1;
            cuts++;
        }
        if (cuts) {
            atomic_fetch_add(&s->ctx.stats.deadline_cuts, (unsigned long)cuts);
            if (gr_log_burst(&s->cut_burst, 10))
                LOG_W("closed %d connection(s) that did not send their headers or body in time", cuts);
        }
    }
    pthread_mutex_unlock(&s->guard_lock);
    return NULL;
}

/* ---- requests ---- */

static enum MHD_Result queue(struct MHD_Connection *conn, web_req_t *r) {
    if (!r->resp) {
        web_reply_error(r, 500, "internal", "no response");
        if (!r->resp) return MHD_NO;
    }
    return MHD_queue_response(conn, r->status, r->resp);
}

/* Take n bytes of the body budget. */
static int budget_take(web_server_t *s, size_t n) {
    size_t cur = atomic_load(&s->ctx.stats.body_bytes);
    do {
        if (cur + n > s->budget) return 0;
    } while (!atomic_compare_exchange_weak(&s->ctx.stats.body_bytes, &cur, cur + n));
    return 1;
}

/* The header stage: 1 when the request goes on to read its body (or has
 * none), 0 after a reply that is queued at once. */
static int judge(web_server_t *s, web_req_t *r) {
    if (atomic_load(&s->ctx.stopping)) {
        web_reply_error(r, 503, "stopping", "greeterd is shutting down");
        return 0;
    }
    if (!web_router_judge(r)) return 0;
    size_t want = 0;
    int rc = web_parse_body_length(web_req_header(r, "Content-Length"), web_req_header(r, "Transfer-Encoding"),
                                   r->body_max, &want);
    if (rc == GR_ERR_FORMAT) {
        web_reply_error(r, 400, "bad_request", "Content-Length is not a number");
        return 0;
    }
    if (rc != GR_OK) {
        if (r->body_max >= (1u << 20))
            web_reply_error(r, 413, "too_large", "the body is larger than this endpoint takes (%zu MB)",
                            r->body_max >> 20);
        else
            web_reply_error(r, 413, "too_large", "the body is larger than this endpoint takes (%zu KB)",
                            r->body_max >> 10);
        return 0;
    }
    if (want == 0) {
        guard_phase(s, r->conn, PHASE_BUSY, 0);
        return 1;
    }
    if (!budget_take(s, want)) {
        atomic_fetch_add(&s->ctx.stats.budget_full, 1);
        web_reply_error(r, 503, "busy", "too many uploads at once (web.body_budget_mb); try again in a moment");
        if (r->resp) MHD_add_response_header(r->resp, "Retry-After", "5");
        return 0;
    }
    r->reserved = want;
    web_req_release_db(r); /* no pool connection is held while a body arrives */
    guard_phase(s, r->conn, PHASE_BODY, WEB_BODY_BASE_S + (double)want / WEB_BODY_RATE);
    return 1;
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
        if (judge(s, r)) return MHD_YES;
        /* Refused on the headers: answered now, the body (if any) is never
         * read and libmicrohttpd closes the connection after the reply. */
        web_req_release_db(r);
        atomic_fetch_add(&s->ctx.stats.refused_early, 1);
        guard_phase(s, conn, PHASE_BUSY, 0);
        return queue(conn, r);
    }
    if (r->resp) { /* answered on the headers: discard */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (r->too_big) return MHD_YES; /* the rest of it is dropped; 413 at its end */
        /* Only a chunked body can outgrow its reservation (libmicrohttpd
         * holds a Content-Length body to its length): what came is dropped
         * and the rest discarded as it arrives (within the body deadline),
         * since libmicrohttpd takes no answer while a body is arriving. */
        if (r->body_len + n > r->reserved) {
            r->too_big = 1;
            free(r->body);
            r->body = NULL;
            r->body_len = r->body_cap = 0;
            return MHD_YES;
        }
        if (r->body_len + n + 1 > r->body_cap) {
            size_t cap = r->body_cap ? r->body_cap : 4096;
            while (cap < r->body_len + n + 1) cap *= 2;
            if (cap > r->reserved + 1) cap = r->reserved + 1;
            char *nb = realloc(r->body, cap);
            if (!nb) return MHD_NO;
            r->body = nb;
            r->body_cap = cap;
        }
        memcpy(r->body + r->body_len, upload_data, n);
        r->body_len += n;
        r->body[r->body_len] = '\0';
        return MHD_YES;
    }
    guard_phase(s, conn, PHASE_BUSY, 0);
    if (r->too_big)
        web_reply_error(r, 413, "too_large", "the body is larger than this endpoint takes (%zu KB)", r->body_max >> 10);
    else if (atomic_load(&s->ctx.stopping))
        web_reply_error(r, 503, "stopping", "greeterd is shutting down");
    else
        web_router_dispatch(r);
    web_req_release_db(r);
    return queue(conn, r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe) {
    (void)toe;
    web_server_t *s = cls;
    web_req_t *r = *con_cls;
    /* Kept alive: the next request's headers have WEB_HEADER_S from now. */
    guard_phase(s, conn, PHASE_HEADER, WEB_HEADER_S);
    if (!r) return;
    web_metrics_count(&s->ctx.stats, r);
    web_req_release_db(r);
    if (r->resp) MHD_destroy_response(r->resp);
    if (r->reserved) atomic_fetch_sub(&s->ctx.stats.body_bytes, r->reserved);
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
    if (s->guard_running) {
        pthread_mutex_lock(&s->guard_lock);
        s->guard_stop = 1;
        pthread_cond_signal(&s->guard_cond);
        pthread_mutex_unlock(&s->guard_lock);
        pthread_join(s->guard, NULL);
    }
    pthread_cond_destroy(&s->guard_cond);
    pthread_mutex_destroy(&s->guard_lock);
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
    pthread_mutex_init(&s->guard_lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->guard_cond, &ca);
    pthread_condattr_destroy(&ca);
    s->guard_head.next = s->guard_head.prev = &s->guard_head;
    web_ctx_t *c = &s->ctx;
    c->cfg = cfg;
    c->bus = bus;
    c->ring = ring;
    c->started = gr_now_mono();
    c->tls = gr_config_bool(cfg, GR_SET_WEB_TLS);
    c->max_upload = (size_t)gr_config_int(cfg, GR_SET_WEB_MAX_UPLOAD_MB) << 20;
    c->stream_recheck_s = WEB_STREAM_RECHECK_S;
    s->budget = (size_t)gr_config_int(cfg, GR_SET_WEB_BODY_BUDGET_MB) << 20;
    if (s->budget < c->max_upload) s->budget = c->max_upload; /* one largest upload always fits */
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
    if (pthread_create(&s->guard, NULL, guard_main, s) != 0) {
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    s->guard_running = 1;

    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    if (c->tls) flags |= MHD_USE_TLS;
    struct MHD_OptionItem tls_opts[] = {{MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key},
                                        {MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert},
                                        {MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)WEB_TLS_PRIORITIES},
                                        {MHD_OPTION_END, 0, NULL}};
    s->mhd = MHD_start_daemon(flags, 0, on_accept, s, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                              MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_MAX_CONNECTIONS,
                              MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)WEB_CONN_MEMORY,
                              MHD_OPTION_CONNECTION_TIMEOUT, WEB_IDLE_S, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                              MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
                              MHD_OPTION_ARRAY, c->tls ? tls_opts : &tls_opts[3],
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
