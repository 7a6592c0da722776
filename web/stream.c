/* stream.c - long-lived responses: GET /api/v1/events (server-sent events
 * from the bus) and GET /stream.mjpg (multipart/x-mixed-replace of the
 * ring's JPEG frames). Each runs in its connection's own thread and blocks
 * in the bus or ring with a 1 s time-out, so shutdown (web_server_close sets
 * `stopping`) ends it within a second.
 *
 * A stream outlives the request that opened it, so it checks its session
 * again every ctx->stream_recheck_s (WEB_STREAM_RECHECK_S, 10 s) between two
 * messages or frames, and ends when the session is gone: logged out, ended
 * by a password change, or expired.
 */
#define GR_LOG_MODULE "web"
#include "web/stream.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVENT_CLIENTS 32
#define MAX_STREAMS 16 /* concurrent /stream.mjpg clients */
#define EVENT_KEEPALIVE_S 15.0
#define EVENT_DEPTH 64
#define STREAM_IDLE_S 10.0 /* no frame for this long: end the stream (the page retries) */
#define BOUNDARY "grframe"

/* Topics the browser may see. */
static int topic_public(const char *t) {
    static const char *prefixes[] = {"visit.", "lead.", "notify.", "sync.", "scan.", "storage.", "person.", "contact."};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(t, prefixes[i], strlen(prefixes[i])) == 0) return 1;
    return 0;
}

/* The session a stream was opened with, checked again now and then. */
typedef struct {
    char token[WEB_TOKEN_HEX];
    double checked; /* monotonic */
} stream_session_t;

static void session_init(stream_session_t *ss, const web_req_t *r) {
    snprintf(ss->token, sizeof ss->token, "%s", r->token);
    ss->checked = gr_now_mono();
}

/* 1 while the stream may go on: its session was live at the last check,
 * made when ctx->stream_recheck_s has passed since the one before. A
 * database that cannot be reached ends the stream too (the page reopens it
 * and is asked to log in if need be). */
static int session_live(web_ctx_t *ctx, stream_session_t *ss) {
    double now = gr_now_mono();
    if (now - ss->checked < ctx->stream_recheck_s) return 1;
    ss->checked = now;
    crm_store_t *st = NULL;
    int slot = web_dbpool_take(ctx->db, &st);
    int rc = GR_ERR_IO;
    if (slot >= 0) {
        web_session_t sess;
        rc = web_auth_session(ctx->auth, st, ss->token, &sess);
        web_dbpool_give(ctx->db, slot);
    }
    if (rc == GR_OK) return 1;
    atomic_fetch_add(&ctx->stats.stream_ends, 1);
    LOG_I("a stream ended: its session is gone (%s)", rc == GR_ERR_AUTH ? "logged out or expired" : gr_strerror(rc));
    return 0;
}

/* A kind of stream and what its refusals say. */
typedef struct {
    const char *use_get;   /* 405 message for other methods */
    const char *no_source; /* 503 message when the process has no bus / ring */
    const char *what;      /* "too many <what> open" */
    int max;               /* clients at the most */
} stream_kind_t;

static const stream_kind_t EVENTS = {"allowed here: GET", "no event bus in this process", "event streams",
                                     MAX_EVENT_CLIENTS};
static const stream_kind_t MJPEG = {"use GET", "no camera stream in this process", "video streams", MAX_STREAMS};

/* One more client of kind k (counted in *clients) with its zeroed state of
 * size bytes (malloc'd: the stream's free function frees it and counts the
 * client out), or NULL after a 405/503/500 reply for another method than
 * GET, a missing source, too many open, or no memory. */
static void *admit(web_req_t *r, const stream_kind_t *k, const void *source, atomic_int *clients, size_t size) {
    if (strcmp(r->method, "GET") != 0) {
        web_reply_error(r, 405, "method_not_allowed", "%s", k->use_get);
        return NULL;
    }
    if (!source) {
        web_reply_error(r, 503, "unavailable", "%s", k->no_source);
        return NULL;
    }
    if (atomic_fetch_add(clients, 1) >= k->max) {
        atomic_fetch_sub(clients, 1);
        web_reply_error(r, 503, "busy", "too many %s open (%d)", k->what, k->max);
        return NULL;
    }
    void *state = calloc(1, size);
    if (!state) {
        atomic_fetch_sub(clients, 1);
        web_reply_error(r, 500, "internal", "out of memory");
    }
    return state;
}

/* Answer with a stream that reader produces from cls in blocks of up to
 * block bytes, until free_cls(cls) (also called here when the response
 * cannot be made): not cached, not in the latency histogram. */
static void reply_stream(web_req_t *r, size_t block, MHD_ContentReaderCallback reader, void *cls,
                         MHD_ContentReaderFreeCallback free_cls, const char *ctype) {
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, block, reader, cls, free_cls);
    if (!resp) {
        free_cls(cls);
        web_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    MHD_add_response_header(resp, "Content-Type", ctype);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "Connection", "close"); /* a stream that ends ends its connection */
    web_reply_hsts(r, resp);
    if (strcmp(ctype, "text/event-stream") == 0) MHD_add_response_header(resp, "X-Accel-Buffering", "no");
    r->timed = 0;
    if (r->resp) MHD_destroy_response(r->resp);
    r->resp = resp;
    r->status = 200;
}

typedef struct {
    web_ctx_t *ctx;
    stream_session_t session;
    gr_bus_sub_t *sub;
    char *pending;      /* text not yet handed to libmicrohttpd */
    size_t len, off;
    double last_send;
    int first;
} events_t;

static void events_set(events_t *e, char *text) {
    free(e->pending);
    e->pending = text;
    e->len = text ? strlen(text) : 0;
    e->off = 0;
}

static void events_free(void *cls) {
    events_t *e = cls;
    gr_bus_unsubscribe(e->sub);
    free(e->pending);
    atomic_fetch_sub(&e->ctx->stats.event_clients, 1);
    free(e);
}

static ssize_t events_read(void *cls, uint64_t pos, char *buf, size_t max) {
    (void)pos;
    events_t *e = cls;
    while (e->off >= e->len) {
        if (e->first) {
            e->first = 0;
            /* Tell EventSource how soon to reconnect, and open the stream at once. */
            events_set(e, strdup("retry: 2000\n: connected\n\n"));
            if (!e->pending) return MHD_CONTENT_READER_END_WITH_ERROR;
            break;
        }
        if (atomic_load(&e->ctx->stopping)) return MHD_CONTENT_READER_END_OF_STREAM;
        if (!session_live(e->ctx, &e->session)) return MHD_CONTENT_READER_END_OF_STREAM;
        char *topic = NULL, *json = NULL;
        int rc = gr_bus_next(e->sub, &topic, &json, 1000);
        if (rc == GR_ERR_STOPPED) return MHD_CONTENT_READER_END_OF_STREAM;
        if (rc == GR_OK) {
            if (topic_public(topic)) {
                /* JSON whitespace outside strings is insignificant and newlines
                 * inside strings are escaped, so one data: line carries it. */
                for (char *p = json; *p; p++)
                    if (*p == '\n' || *p == '\r') *p = ' ';
                char *text = NULL;
                if (asprintf(&text, "event: %s\ndata: %s\n\n", topic, json) < 0) text = NULL;
                free(topic);
                free(json);
                if (!text) return MHD_CONTENT_READER_END_WITH_ERROR;
                events_set(e, text);
                atomic_fetch_add(&e->ctx->stats.events_sent, 1);
                break;
            }
            free(topic);
            free(json);
            continue;
        }
        if (gr_now_mono() - e->last_send >= EVENT_KEEPALIVE_S) {
            events_set(e, strdup(": keep-alive\n\n"));
            if (!e->pending) return MHD_CONTENT_READER_END_WITH_ERROR;
            break;
        }
    }
    size_t n = e->len - e->off;
    if (n > max) n = max;
    memcpy(buf, e->pending + e->off, n);
    e->off += n;
    e->last_send = gr_now_mono();
    return (ssize_t)n;
}

void web_stream_events(web_req_t *r) {
    web_ctx_t *s = r->ctx;
    events_t *e = admit(r, &EVENTS, s->bus, &s->stats.event_clients, sizeof *e);
    if (!e) return;
    e->ctx = s;
    session_init(&e->session, r);
    e->first = 1;
    e->last_send = gr_now_mono();
    e->sub = gr_bus_subscribe(s->bus, "", EVENT_DEPTH);
    if (!e->sub) {
        events_free(e);
        web_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    reply_stream(r, 4096, events_read, e, events_free, "text/event-stream");
}

typedef struct {
    web_ctx_t *ctx;
    stream_session_t session;
    gr_ring_frame_t frame;
    int holding;
    uint64_t last_seq;
    char head[160];
    size_t head_len;
    size_t off;          /* bytes of head + frame + "\r\n" already sent */
    double last_frame;
} mjpeg_t;

static void mjpeg_release(mjpeg_t *m) {
    if (m->holding) {
        gr_ring_release(m->ctx->ring, &m->frame);
        m->holding = 0;
    }
}

/* Hold the frame just taken from the ring: its part header, from the start. */
static void mjpeg_hold(mjpeg_t *m) {
    m->holding = 1;
    m->last_seq = m->frame.seq;
    m->head_len = (size_t)snprintf(m->head, sizeof m->head,
                                   "--" BOUNDARY "\r\nContent-Type: image/jpeg\r\nContent-Length: %zu\r\n\r\n",
                                   m->frame.size);
    m->off = 0;
}

static void mjpeg_free(void *cls) {
    mjpeg_t *m = cls;
    mjpeg_release(m);
    atomic_fetch_sub(&m->ctx->stats.stream_clients, 1);
    free(m);
}

static ssize_t mjpeg_read(void *cls, uint64_t pos, char *buf, size_t max) {
    (void)pos;
    mjpeg_t *m = cls;
    while (!m->holding) {
        if (atomic_load(&m->ctx->stopping)) return MHD_CONTENT_READER_END_OF_STREAM;
        if (!session_live(m->ctx, &m->session)) return MHD_CONTENT_READER_END_OF_STREAM;
        int rc = gr_ring_get(m->ctx->ring, m->last_seq, 1000, &m->frame);
        if (rc == GR_ERR_STOPPED) return MHD_CONTENT_READER_END_OF_STREAM;
        if (rc == GR_OK) {
            mjpeg_hold(m);
            m->last_frame = gr_now_mono();
            break;
        }
        if (gr_now_mono() - m->last_frame > STREAM_IDLE_S) return MHD_CONTENT_READER_END_OF_STREAM;
    }
    size_t total = m->head_len + m->frame.size + 2, n = 0;
    while (n < max && m->off < total) {
        size_t chunk;
        if (m->off < m->head_len) {
            chunk = m->head_len - m->off;
            if (chunk > max - n) chunk = max - n;
            memcpy(buf + n, m->head + m->off, chunk);
        } else if (m->off < m->head_len + m->frame.size) {
            size_t fo = m->off - m->head_len;
            chunk = m->frame.size - fo;
            if (chunk > max - n) chunk = max - n;
            memcpy(buf + n, m->frame.data + fo, chunk);
        } else {
            size_t to = m->off - m->head_len - m->frame.size;
            chunk = 2 - to;
            if (chunk > max - n) chunk = max - n;
            static const char crlf[] = "\r\n";
            memcpy(buf + n, &crlf[to], chunk);
        }
        n += chunk;
        m->off += chunk;
    }
    if (m->off >= total) {
        mjpeg_release(m);
        atomic_fetch_add(&m->ctx->stats.stream_frames, 1);
    }
    return (ssize_t)n;
}

void web_stream_mjpeg(web_req_t *r) {
    web_ctx_t *s = r->ctx;
    mjpeg_t *m = admit(r, &MJPEG, s->ring, &s->stats.stream_clients, sizeof *m);
    if (!m) return;
    m->ctx = s;
    session_init(&m->session, r);
    m->last_frame = gr_now_mono();
    /* Wait briefly for the first frame, so a board without a camera answers
     * 503 instead of an empty stream. */
    int rc = gr_ring_get(s->ring, 0, 2000, &m->frame);
    if (rc != GR_OK) {
        mjpeg_free(m); /* holds no frame yet */
        web_reply_error(r, 503, "no_camera", "no camera frames (camera.source=none, or the camera is starting)");
        return;
    }
    mjpeg_hold(m);
    reply_stream(r, 64 * 1024, mjpeg_read, m, mjpeg_free, "multipart/x-mixed-replace; boundary=" BOUNDARY);
}
