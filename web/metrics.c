/* metrics.c - /healthz and /metrics (metrics.h). */
#define GR_LOG_MODULE "web"
#include "web/metrics.h"
#include "crm/outbox.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "firmware/core/storage.h"
#include "firmware/core/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Latency histogram bucket bounds (seconds). */
static const double hist_bounds[WEB_HIST_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};

void web_metrics_count(web_stats_t *st, const web_req_t *r) {
    unsigned cls_i = r->status >= 100 && r->status < 600 ? r->status / 100 : 0;
    atomic_fetch_add(&st->requests[cls_i], 1);
    if (!r->timed) return;
    double dt = gr_now_mono() - r->t0;
    int b = 0;
    while (b < WEB_HIST_BUCKETS && dt > hist_bounds[b]) b++;
    atomic_fetch_add(&st->hist[b], 1);
    atomic_fetch_add(&st->latency_us_sum, (unsigned long)(dt * 1e6));
}

void web_metrics_healthz(web_req_t *r) {
    if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
        web_reply_error(r, 405, "method_not_allowed", "use GET");
        return;
    }
    web_reply_json(r, 200,
                   json_pack("{s:b, s:s, s:f}", "ok", 1, "version", GR_VERSION, "uptime_s",
                             gr_now_mono() - r->ctx->started));
}

/* One counter or gauge with its HELP and TYPE lines. */
static void metric(FILE *f, const char *name, const char *type, const char *help, unsigned long v) {
    fprintf(f, "# HELP %s %s\n# TYPE %s %s\n%s %lu\n", name, help, name, type, name, v);
}

static void write_histogram(FILE *f, web_stats_t *st) {
    fprintf(f, "# HELP greeter_http_requests_total HTTP requests answered, by status class.\n"
               "# TYPE greeter_http_requests_total counter\n");
    static const char *cls[6] = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
    for (int i = 0; i < 6; i++)
        fprintf(f, "greeter_http_requests_total{code=\"%s\"} %lu\n", cls[i], atomic_load(&st->requests[i]));
    fprintf(f, "# HELP greeter_http_request_duration_seconds Time to answer a request (streams excluded).\n"
               "# TYPE greeter_http_request_duration_seconds histogram\n");
    unsigned long cum = 0;
    for (int i = 0; i < WEB_HIST_BUCKETS; i++) {
        cum += atomic_load(&st->hist[i]);
        fprintf(f, "greeter_http_request_duration_seconds_bucket{le=\"%g\"} %lu\n", hist_bounds[i], cum);
    }
    cum += atomic_load(&st->hist[WEB_HIST_BUCKETS]);
    fprintf(f, "greeter_http_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n", cum);
    fprintf(f, "greeter_http_request_duration_seconds_sum %.6f\n", atomic_load(&st->latency_us_sum) / 1e6);
    fprintf(f, "greeter_http_request_duration_seconds_count %lu\n", cum);
}

void web_metrics_route(web_req_t *r) {
    if (strcmp(r->method, "GET")) {
        web_reply_error(r, 405, "method_not_allowed", "use GET");
        return;
    }
    web_ctx_t *s = r->ctx;
    web_stats_t *st = &s->stats;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        web_reply_error(r, 500, "internal", "out of memory");
        return;
    }
    metric(f, "greeter_up", "gauge", "1 while greeterd runs.", 1);
    gr_storage_write_metrics(f); /* greeter_storage_low, greeter_storage_skipped_files_total */
    fprintf(f, "# HELP greeter_uptime_seconds Seconds since the web server started.\n"
               "# TYPE greeter_uptime_seconds gauge\ngreeter_uptime_seconds %.3f\n",
            gr_now_mono() - s->started);
    write_histogram(f, st);
    metric(f, "greeter_event_clients", "gauge", "Open server-sent event streams.",
           (unsigned long)atomic_load(&st->event_clients));
    metric(f, "greeter_events_sent_total", "counter", "Events sent to browsers.", atomic_load(&st->events_sent));
    metric(f, "greeter_stream_clients", "gauge", "Open MJPEG streams.", (unsigned long)atomic_load(&st->stream_clients));
    metric(f, "greeter_stream_frames_total", "counter", "JPEG frames sent to MJPEG clients.",
           atomic_load(&st->stream_frames));
    metric(f, "greeter_http_refused_early_total", "counter",
           "Requests refused on their headers, before any body byte.",
           atomic_load(&st->refused_early));
    metric(f, "greeter_http_body_budget_full_total", "counter",
           "Requests refused because web.body_budget_mb was spent.",
           atomic_load(&st->budget_full));
    metric(f, "greeter_http_deadline_cuts_total", "counter", "Connections closed for a header or body deadline.",
           atomic_load(&st->deadline_cuts));
    metric(f, "greeter_http_body_bytes", "gauge", "Request body bytes held now.",
           (unsigned long)atomic_load(&st->body_bytes));
    metric(f, "greeter_stream_session_ends_total", "counter", "Streams ended because their session was gone.",
           atomic_load(&st->stream_ends));
    metric(f, "greeter_login_failures_total", "counter", "Failed logins and password changes.",
           web_auth_failures(s->auth));
    crm_store_t *db = web_req_db(r);
    if (db) {
        int64_t pending = 0, dead = 0;
        if (crm_outbox_counts(db, &pending, &dead) == GR_OK)
            fprintf(f, "# HELP greeter_sync_outbox Outbox rows by state.\n# TYPE greeter_sync_outbox gauge\n"
                       "greeter_sync_outbox{state=\"pending\"} %lld\ngreeter_sync_outbox{state=\"dead\"} %lld\n",
                    (long long)pending, (long long)dead);
    }
    fclose(f);
    if (!db) {
        free(buf);
        return; /* web_req_db replied */
    }
    web_reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", buf, len);
    free(buf);
}
