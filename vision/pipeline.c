/* pipeline.c - the live face pipeline inside greeterd: a capture thread
 * (camera.source, reopened with back-off after errors) feeding the engine,
 * whose visit events go onto the bus and whose frames go into the ring. */
#define GR_LOG_MODULE "vision"
#include "vision/vision.h"

#include "vision/engine.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "vision/source.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct vis_pipeline {
    gr_bus_t *bus;
    vis_engine_t *eng;
    char spec[4096];       /* camera.source, or "auto" */
    char demo[4096];       /* camera.demo_video */
    vis_source_opts_t so;
    pthread_t capture;
    int capture_started;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    int stop;
};

static void publish(const vis_event_t *ev, void *ud) {
    vis_pipeline_t *p = ud;
    char pid[24];
    snprintf(pid, sizeof pid, "%lld", (long long)ev->person_id);
    json_t *j = json_pack("{s:I,s:f,s:s,s:b,s:f,s:[iiii],s:s,s:I,s:i,s:s}", "frame", (json_int_t)ev->frame, "t", ev->t,
                          "person_id", pid, "new", ev->is_new, "distance", (double)ev->distance, "box", (int)ev->box.x,
                          (int)ev->box.y, (int)ev->box.w, (int)ev->box.h, "label", ev->label, "visit_id",
                          (json_int_t)ev->visit_id, "visit_count", ev->visit_count, "snapshot", ev->snapshot);
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(7)) : NULL;
    if (s) {
        if (gr_bus_publish(p->bus, ev->is_new ? "visit.new" : "visit.returning", s) != GR_OK)
            LOG_W("visit event not published (no memory)");
        /* ids only: a person's name never goes into the log (issue 12) */
        LOG_I("visit %lld: person %lld (%s, distance %.3f)", (long long)ev->visit_id, (long long)ev->person_id,
              ev->is_new ? "new" : "returning",
              (double)ev->distance);
    }
    free(s);
    json_decref(j);
}

/* Wait up to `seconds` unless stopping. Returns 1 when stopping. */
static int wait_stop(vis_pipeline_t *p, double seconds) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    long long ns = (long long)ts.tv_nsec + (long long)(seconds * 1e9);
    ts.tv_sec += (time_t)(ns / 1000000000LL);
    ts.tv_nsec = (long)(ns % 1000000000LL);
    pthread_mutex_lock(&p->mu);
    while (!p->stop)
        if (pthread_cond_timedwait(&p->cond, &p->mu, &ts) != 0) break;
    int stop = p->stop;
    pthread_mutex_unlock(&p->mu);
    return stop;
}

static int stopping(vis_pipeline_t *p) {
    pthread_mutex_lock(&p->mu);
    int s = p->stop;
    pthread_mutex_unlock(&p->mu);
    return s;
}

static void *capture_main(void *arg) {
    vis_pipeline_t *p = arg;
    double backoff = 1.0;
    vis_image_t frame = {0};
    gr_log_burst_t open_burst = {0}, read_burst = {0};
    while (!stopping(p)) {
        char spec[4096], err[600];
        if (!strcmp(p->spec, "auto"))
            vis_source_auto(p->demo, spec, sizeof spec); /* a camera plugged in later wins */
        else
            snprintf(spec, sizeof spec, "%s", p->spec);
        vis_source_t *src;
        int rc = vis_source_open(spec, &p->so, &src, err, sizeof err);
        if (rc) {
            if (gr_log_burst(&open_burst, 60)) LOG_W("camera: %s; retrying in %.0f s", err, backoff);
            if (wait_stop(p, backoff)) break;
            backoff = backoff * 2 > 30 ? 30 : backoff * 2;
            continue;
        }
        LOG_I("frames from %s", spec);
        long good = 0;
        while (!stopping(p)) {
            double t;
            long index;
            rc = vis_source_read(src, &frame, &t, &index, err, sizeof err);
            if (rc == GR_ERR_FORMAT) continue;
            if (rc) break;
            good++;
            backoff = 1.0;
            if (vis_engine_push(p->eng, &frame, t, index) != GR_OK) break;
        }
        vis_source_close(src);
        if (stopping(p)) break;
        if (rc == GR_ERR_STOPPED)
            LOG_I("%s ended (camera.loop is off)", spec);
        else if (gr_log_burst(&read_burst, 60))
            LOG_W("camera: %s; reopening in %.0f s", err, backoff);
        if (wait_stop(p, backoff)) break;
        if (good == 0) backoff = backoff * 2 > 30 ? 30 : backoff * 2;
    }
    vis_image_free(&frame);
    return NULL;
}

int vis_pipeline_open(const gr_config_t *cfg, const vis_store_t *st, gr_bus_t *bus, gr_ring_t *ring,
                      vis_pipeline_t **out) {
    *out = NULL;
    const char *source = gr_config_str(cfg, GR_SET_CAMERA_SOURCE);
    if (!strcmp(source, "none")) {
        LOG_I("camera.source=none: face pipeline off");
        return GR_ERR_UNSUPPORTED;
    }
    vis_pipeline_t *p = calloc(1, sizeof *p);
    if (!p) return GR_ERR_NOMEM;
    pthread_mutex_init(&p->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->cond, &ca);
    pthread_condattr_destroy(&ca);
    p->bus = bus;
    char err[600];
    int rc;
    snprintf(p->spec, sizeof p->spec, "%s", source);
    snprintf(p->demo, sizeof p->demo, "%s", gr_config_str(cfg, GR_SET_CAMERA_DEMO_VIDEO));
    p->so = (vis_source_opts_t){(int)gr_config_int(cfg, GR_SET_CAMERA_WIDTH), (int)gr_config_int(cfg, GR_SET_CAMERA_HEIGHT),
                                (int)gr_config_int(cfg, GR_SET_CAMERA_FPS), gr_config_bool(cfg, GR_SET_CAMERA_LOOP), 1};
    char snapdir[4200];
    snprintf(snapdir, sizeof snapdir, "%s/snapshots", gr_config_str(cfg, GR_SET_STORAGE_DIR));
    vis_engine_opts_t eo;
    vis_engine_opts_from_config(cfg, &eo);
    eo.snapshot_dir = snapdir;
    eo.camera = p->spec;
    eo.ring = ring;
    rc = vis_engine_open(&eo, gr_config_str(cfg, GR_SET_MODELS_DIR), st, publish, p, &p->eng, err, sizeof err);
    if (rc) {
        LOG_E("face pipeline: %s", err);
        goto fail;
    }
    if (pthread_create(&p->capture, NULL, capture_main, p) != 0) {
        LOG_E("face pipeline: cannot start the capture thread");
        rc = GR_ERR_NOMEM;
        goto fail;
    }
    p->capture_started = 1;
    *out = p;
    return GR_OK;
fail:
    vis_pipeline_close(p);
    return rc;
}

void vis_pipeline_close(vis_pipeline_t *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->mu);
    if (p->capture_started) pthread_join(p->capture, NULL);
    vis_engine_close(p->eng);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cond);
    free(p);
}

int vis_pipeline_healthy(const vis_pipeline_t *p) {
    if (!p || !p->eng) return 0;
    double last = vis_engine_last_frame(p->eng);
    return last > 0 && gr_now_mono() - last < 5.0;
}
