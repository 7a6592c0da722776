/* engine.h - the face pipeline between a frame source and visit events.
 *
 * Two threads: the tracker thread takes frames (vis_engine_push), searches
 * the whole frame for faces every scan_period_s whatever moves, in between
 * the moving region (a few times a second at most, brightness changes
 * ignored) and around existing tracks (each region resampled so a face
 * there is ~90 px), follows faces
 * with the IoU tracker and cuts aligned chips of tracks that still need
 * samples; the recogniser thread computes descriptors, matches them against
 * the gallery, collects each track's votes and turns verdicts into visits
 * (stored through vision/store.h, snapshot, callback). With every_frame set it runs the
 * textbook pipeline instead (full-frame detection and a descriptor for every
 * face in every frame, no tracking, no gating): the benchmark baseline.
 */
#ifndef VIS_ENGINE_H
#define VIS_ENGINE_H

#include "firmware/core/config.h"
#include "firmware/core/ring.h"
#include "vision/face.h"
#include "vision/image.h"
#include "vision/store.h"

#include <stdint.h>

typedef struct vis_engine vis_engine_t;

typedef struct {
    double threshold, margin;   /* vision.match_threshold / match_margin */
    int min_face_px;            /* vision.min_face_px: smallest face searched for and recognised */
    int min_enrol_px;           /* vision.min_enrol_px: smallest face that may create a person or a template */
    double scan_period_s;       /* vision.scan_period_s: whole-frame search period (0: 1 s) */
    double motion_searches;     /* vision.motion_searches: moving-region searches per second at most */
    int samples;                /* vision.samples */
    double visit_gap_s;         /* vision.visit_gap_s */
    double max_yaw;             /* vision.max_yaw */
    double min_sharpness;       /* vision.min_sharpness */
    int max_templates;          /* vision.max_templates */
    int detect_every;           /* vision.detect_every: frames between detections of a recognised track */
    int remember_unknown;       /* privacy.remember_unknown */
    int every_frame;            /* textbook per-frame pipeline (benchmarks) */
    int block;                  /* never drop frames or samples (files in the CLI) */
    const char *snapshot_dir;   /* where visit snapshots go; NULL: none */
    const char *camera;         /* source name stored with visits */
    gr_ring_t *ring;            /* annotated JPEG frames for the web stream, or NULL */
    double stream_fps;          /* vision.stream_fps */
    int threads;                /* vision.threads: threads the face network's BLAS may use */
} vis_engine_opts_t;

/* The fields above that come from settings (vision.*, privacy.remember_unknown);
 * the others are zeroed, for the caller to set. */
void vis_engine_opts_from_config(const gr_config_t *cfg, vis_engine_opts_t *o);

typedef struct {
    long frame;
    double t;
    int64_t person_id;
    int is_new;
    float distance;
    vis_box_t box;
    char label[128];
    int64_t visit_id;
    int visit_count;
    char snapshot[192];         /* file name under snapshot_dir, "" if none */
} vis_event_t;

typedef struct {
    long frames, dropped_frames;
    long motion_frames;
    long scans;                 /* whole-frame searches (the steady search) */
    long motion_searches;       /* moving-region searches done */
    long motion_skipped;        /* moving regions left unsearched by the budget */
    long detect_runs;           /* detector calls (full frame, motion region or track region) */
    double detect_pixels;       /* pixels scanned by the detector */
    double scan_pixels;         /* of which by whole-frame searches */
    double motion_pixels;       /* of which by moving-region searches */
    long samples, dropped_samples;
    long descriptors;
    long events;
    long suppressed;            /* verdicts for suppression entries (nothing stored) */
} vis_engine_stats_t;

/* Called on the recogniser thread for every visit event. */
typedef void (*vis_event_cb_t)(const vis_event_t *ev, void *ud);

/* Load the models from models_dir, the gallery from st, start the threads.
 * The engine keeps a copy of *st (NULL: nothing is stored); st->ctx stays
 * the caller's and is used only by the recogniser thread until
 * vis_engine_close returns. On success *out is owned by the caller:
 * vis_engine_close. */
int vis_engine_open(const vis_engine_opts_t *o, const char *models_dir, const vis_store_t *st, vis_event_cb_t cb,
                    void *ud, vis_engine_t **out, char *err, size_t errlen) __attribute__((warn_unused_result));

/* Hand a frame over: its buffer is swapped with a free one, so on return
 * *frame holds another buffer (possibly empty) for the next read. With
 * o->block set, waits while the queue is full; otherwise the oldest waiting
 * frame is dropped. Returns GR_OK or GR_ERR_STOPPED. */
int vis_engine_push(vis_engine_t *e, vis_image_t *frame, double t, long index);

/* Wait until every pushed frame and sample is processed. */
void vis_engine_drain(vis_engine_t *e);

/* Monotonic time of the last processed frame (0: none yet). */
double vis_engine_last_frame(const vis_engine_t *e);

void vis_engine_stats(vis_engine_t *e, vis_engine_stats_t *s);

/* Stop and join the threads, free everything. */
void vis_engine_close(vis_engine_t *e);

#endif
