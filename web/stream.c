/* stream.c - long-lived responses: GET /api/v1/events (server-sent events
 * from the bus) and GET /stream.mjpg (multipart/x-mixed-replace of the
 * ring's JPEG frames). Each runs in its connection's own thread and blocks
 * in the bus or ring with a 1 s time-out, so shutdown (web_server_close sets
 * `stopping`) ends it within a second.
 */
#define GR_LOG_MODULE "web"
#include "firmware/core/err.h"
#include "web/internal.h"
#include "firmware/core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

typedef struct {
    web_server_t *srv;
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
        if (atomic_load(&e->srv->stopping)) return MHD_CONTENT_READER_END_OF_STREAM;
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
                atomic_fetch_add(&e->srv->events_sent, 1);
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

static void events_free(void *cls) {
    events_t *e = cls;
    gr_bus_unsubscribe(e->sub);
    free(e->pending);
    atomic_fetch_sub(&e->srv->event_clients, 1);
    free(e);
}

void web_stream_events(web_req_t *r) {
    web_server_t *s = r->srv;
    if (!s->bus) {
        web_reply_error(r, 503, "unavailable", "no event bus in this process");
        return;
    }
    if (atomic_fetch_add(&s->event_clients, 1) >= WEB_MAX_EVENT_CLIENTS) {
        atomic_fetch_sub(&s->event_clients, 1);
        web_reply_error(r, 503, "busy", "too many event streams open (%d)", WEB_MAX_EVENT_CLIENTS);
        return;
    }
    events_t *e = calloc(1, sizeof *e);
    if (e) e->sub = gr_bus_subscribe(s->bus, "", EVENT_DEPTH);
    if (!e || !e->sub) {
        free(e);
        atomic_fetch_sub(&s->event_clients, 1);
        web_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    e->srv = s;
    e->first = 1;
    e->last_send = gr_now_mono();
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, events_read, e, events_free);
    if (!resp) {
        events_free(e);
        web_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    MHD_add_response_header(resp, "Content-Type", "text/event-stream");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Accel-Buffering", "no");
    r->timed = 0;
    if (r->resp) MHD_destroy_response(r->resp);
    r->resp = resp;
    r->status = 200;
}

typedef struct {
    web_server_t *srv;
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
        gr_ring_release(m->srv->ring, &m->frame);
        m->holding = 0;
    }
}

static ssize_t mjpeg_read(void *cls, uint64_t pos, char *buf, size_t max) {
    (void)pos;
    mjpeg_t *m = cls;
    while (!m->holding) {
        if (atomic_load(&m->srv->stopping)) return MHD_CONTENT_READER_END_OF_STREAM;
        int rc = gr_ring_get(m->srv->ring, m->last_seq, 1000, &m->frame);
        if (rc == GR_ERR_STOPPED) return MHD_CONTENT_READER_END_OF_STREAM;
        if (rc == GR_OK) {
            m->holding = 1;
            m->last_seq = m->frame.seq;
            m->last_frame = gr_now_mono();
            m->head_len = (size_t)snprintf(m->head, sizeof m->head,
                                           "--" BOUNDARY "\r\nContent-Type: image/jpeg\r\nContent-Length: %zu\r\n\r\n",
                                           m->frame.size);
            m->off = 0;
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
        atomic_fetch_add(&m->srv->stream_frames, 1);
    }
    return (ssize_t)n;
}

static void mjpeg_free(void *cls) {
    mjpeg_t *m = cls;
    mjpeg_release(m);
    atomic_fetch_sub(&m->srv->stream_clients, 1);
    free(m);
}

void web_stream_mjpeg(web_req_t *r) {
    web_server_t *s = r->srv;
    if (!s->ring) {
        web_reply_error(r, 503, "unavailable", "no camera stream in this process");
        return;
    }
    if (atomic_fetch_add(&s->stream_clients, 1) >= WEB_MAX_STREAMS) {
        atomic_fetch_sub(&s->stream_clients, 1);
        web_reply_error(r, 503, "busy", "too many video streams open (%d)", WEB_MAX_STREAMS);
        return;
    }
    mjpeg_t *m = calloc(1, sizeof *m);
    if (!m) {
        atomic_fetch_sub(&s->stream_clients, 1);
        web_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    m->srv = s;
    m->last_frame = gr_now_mono();
    /* Wait briefly for the first frame, so a board without a camera answers
     * 503 instead of an empty stream. */
    int rc = gr_ring_get(s->ring, 0, 2000, &m->frame);
    if (rc != GR_OK) {
        free(m);
        atomic_fetch_sub(&s->stream_clients, 1);
        web_reply_error(r, 503, "no_camera", "no camera frames (camera.source=none, or the camera is starting)");
        return;
    }
    m->holding = 1;
    m->last_seq = m->frame.seq;
    m->head_len = (size_t)snprintf(m->head, sizeof m->head,
                                   "--" BOUNDARY "\r\nContent-Type: image/jpeg\r\nContent-Length: %zu\r\n\r\n",
                                   m->frame.size);
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, mjpeg_read, m, mjpeg_free);
    if (!resp) {
        mjpeg_free(m);
        web_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    MHD_add_response_header(resp, "Content-Type", "multipart/x-mixed-replace; boundary=" BOUNDARY);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    r->timed = 0;
    if (r->resp) MHD_destroy_response(r->resp);
    r->resp = resp;
    r->status = 200;
}

int web_media_newest_frame(web_server_t *srv, unsigned char **jpeg, size_t *len) {
    *jpeg = NULL;
    *len = 0;
    if (!srv->ring) return GR_ERR_UNSUPPORTED;
    gr_ring_frame_t f;
    int rc = gr_ring_get(srv->ring, 0, 2000, &f);
    if (rc != GR_OK) return rc == GR_ERR_TIMEOUT ? GR_ERR_EMPTY : rc;
    unsigned char *copy = malloc(f.size ? f.size : 1);
    if (copy) {
        memcpy(copy, f.data, f.size);
        *jpeg = copy;
        *len = f.size;
    }
    gr_ring_release(srv->ring, &f);
    return copy ? GR_OK : GR_ERR_NOMEM;
}
