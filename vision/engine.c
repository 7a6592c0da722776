/* engine.c - tracker thread (motion, detection, tracking, chips) and
 * recogniser thread (descriptors, gallery, votes, visits). */
#define GR_LOG_MODULE "vision"
#include "vision/engine.h"

#include "firmware/core/err.h"
#include "vision/facenet.h"
#include "vision/gallery.h"
#include "firmware/core/log.h"
#include "firmware/core/models.h"
#include "vision/people.h"
#include "vision/tracker.h"
#include "firmware/core/storage.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define FRAME_SLOTS 3
#define JOB_SLOTS 8
#define MAX_DETS 16
#define DET_TARGET_PX 90.0   /* face width the detector sees best (its window is 80 px) */
#define MOTION_CELL 8
#define MOTION_DIFF 14
#define SEEN_MAX 64
#define BEST_MAX 8
#define VERIFY_PERIOD_S 3.0   /* re-check a recognised track's face this often */
#define VERIFY_SLACK 0.05f    /* a re-check fits up to threshold + this */

typedef struct {
    vis_image_t img;
    double t;
    long index;
} frame_slot_t;

typedef struct {
    unsigned char *chip;  /* 150*150*3 */
    vis_image_t crop;     /* face region for the snapshot */
    int track;            /* -1 in every-frame mode */
    long frame;
    double t;
    vis_box_t box;
    vis_quality_t q;
    int partial;          /* face partly outside the frame */
    int verify;           /* re-check of a decided track, not a vote */
} job_t;

typedef struct {
    int64_t person;
    double t;         /* engine time of the last sighting */
    double wall;      /* wall clock (s) of the last sighting */
    int64_t visit_id; /* the visit going on, 0 when none is open */
} seen_t;

/* A visit that has ended, waiting for its ended_at to be written. */
typedef struct {
    int64_t visit_id;
    double wall;
} ended_t;

typedef struct {
    int track;
    float quality;
    vis_image_t crop;
    long frame;
    double t;
    vis_box_t box;
} best_t;

struct vis_engine {
    vis_engine_opts_t o;
    char snapdir[1024];
    char camera[256];
    vis_facemod_t *fm;
    vis_net_t *net;
    vis_gallery_t *gallery;
    crm_store_t *st;
    vis_tracker_t *tr;
    vis_event_cb_t cb;
    void *ud;

    pthread_mutex_t mu;           /* queues, tracker, seen, stats */
    pthread_cond_t cond;          /* any queue or busy state changed */
    frame_slot_t fq[FRAME_SLOTS];
    int fq_head, fq_n;
    job_t jq[JOB_SLOTS];
    int jq_head, jq_n;
    int det_busy, rec_busy;
    int stop;
    seen_t seen[SEEN_MAX];
    ended_t ended[SEEN_MAX]; /* ended visits not yet written (rec thread writes them) */
    int n_ended;
    double now_t;            /* engine time of the newest frame */
    vis_engine_stats_t stats;
    _Atomic double last_frame_mono;

    pthread_t det_thread, rec_thread;
    int det_started, rec_started;

    /* tracker thread only */
    unsigned char *motion_prev, *motion_cur;
    int mw, mh;
    int have_prev;
    unsigned char *gray;
    size_t gray_cap;
    long frame_count;
    double last_stream;

    /* recogniser thread only */
    best_t best[BEST_MAX];
    vis_verdict_t verdict;
    double last_gallery_check;
    long long gallery_sig[2];
};

/* ---- models ---- */

int vis_models_open(const char *models_dir, vis_facemod_t **fm, vis_net_t **net, char *err, size_t errlen) {
    char bin[4096], man[4096], sp[4096];
    *fm = NULL;
    *net = NULL;
    if (gr_models_path(models_dir, "face_recognition", bin, sizeof bin) ||
        gr_models_path(models_dir, "face_recognition_manifest", man, sizeof man) ||
        gr_models_path(models_dir, "shape_predictor_68", sp, sizeof sp)) {
        snprintf(err, errlen, "models manifest lacks the face models");
        return GR_ERR_NOTFOUND;
    }
    char inner[512];
    int rc = vis_net_open(bin, man, net, inner, sizeof inner);
    if (rc) {
        snprintf(err, errlen, "face recognition model: %s (run `greeter models fetch`?)", inner);
        return rc;
    }
    rc = vis_facemod_open(sp, fm, inner, sizeof inner);
    if (rc) {
        snprintf(err, errlen, "landmark model: %s (run `greeter models fetch`?)", inner);
        vis_net_close(*net);
        *net = NULL;
        return rc;
    }
    return GR_OK;
}

static int cmp_area_desc(const void *a, const void *b) {
    const vis_box_t *x = a, *y = b;
    float ax = x->w * x->h, ay = y->w * y->h;
    return ax < ay ? 1 : ax > ay ? -1 : 0;
}

int vis_faces_in_image(vis_facemod_t *fm, vis_net_t *net, const vis_image_t *img, int upsample, vis_box_t *boxes,
                       float *desc, vis_quality_t *q, int max) {
    unsigned char *gray = malloc((size_t)img->w * (size_t)img->h);
    unsigned char *chip = malloc(VIS_CHIP_SIZE * VIS_CHIP_SIZE * 3);
    int rc = GR_OK, n = 0;
    if (!gray || !chip) {
        rc = GR_ERR_NOMEM;
        goto out;
    }
    rc = vis_image_gray_resize(img, 0, 0, img->w, img->h, img->w, img->h, gray);
    if (rc) goto out;
    vis_box_t found[64];
    n = vis_face_detect(fm, gray, img->w, img->h, img->w, upsample, found, 64);
    if (n < 0) {
        rc = n;
        goto out;
    }
    qsort(found, (size_t)n, sizeof found[0], cmp_area_desc);
    if (n > max) n = max;
    for (int i = 0; i < n; i++) {
        float pts[2 * VIS_LANDMARKS];
        boxes[i] = found[i];
        rc = vis_face_landmarks(fm, gray, img->w, img->h, img->w, &found[i], pts);
        if (!rc) rc = vis_face_chip(img->data, img->w, img->h, img->stride, pts, chip);
        if (!rc) rc = vis_net_embed(net, chip, 1, desc + (size_t)i * VIS_DESC_DIM);
        if (rc) goto out;
        vis_face_quality(found[i].w, pts, chip, &q[i]);
    }
out:
    free(gray);
    free(chip);
    return rc ? rc : n;
}

/* ---- helpers ---- */

static void clip_box(const vis_image_t *img, double x0, double y0, double x1, double y1, int r[4]) {
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > img->w) x1 = img->w;
    if (y1 > img->h) y1 = img->h;
    r[0] = (int)x0;
    r[1] = (int)y0;
    r[2] = (int)x1 - r[0];
    r[3] = (int)y1 - r[1];
}

/* Detect in region r of img at scale s; appends to dets (frame coordinates). */
static int detect_region(vis_engine_t *e, const vis_image_t *img, const int r[4], double s, vis_box_t *dets, int n,
                         int max) {
    if (r[2] < 40 || r[3] < 40 || n >= max) return n;
    int ow = (int)lround(r[2] * s), oh = (int)lround(r[3] * s);
    if (ow < 80 || oh < 80) {
        /* the detector needs at least its 80 px window */
        double k = 80.0 / (ow < oh ? ow : oh);
        ow = (int)ceil(ow * k);
        oh = (int)ceil(oh * k);
    }
    size_t need = (size_t)ow * (size_t)oh;
    if (need > e->gray_cap) {
        unsigned char *g = realloc(e->gray, need);
        if (!g) return n;
        e->gray = g;
        e->gray_cap = need;
    }
    if (vis_image_gray_resize(img, r[0], r[1], r[2], r[3], ow, oh, e->gray)) return n;
    vis_box_t found[MAX_DETS];
    int k = vis_face_detect(e->fm, e->gray, ow, oh, ow, 0, found, MAX_DETS);
    pthread_mutex_lock(&e->mu);
    e->stats.detect_runs++;
    e->stats.detect_pixels += (double)need;
    pthread_mutex_unlock(&e->mu);
    double sx = (double)r[2] / ow, sy = (double)r[3] / oh;
    for (int i = 0; i < k && n < max; i++) {
        vis_box_t b = {(float)(r[0] + found[i].x * sx), (float)(r[1] + found[i].y * sy), (float)(found[i].w * sx),
                       (float)(found[i].h * sy), found[i].score};
        /* merge with a detection of an overlapping region */
        int dup = 0;
        for (int j = 0; j < n; j++)
            if (vis_box_iou(&b, &dets[j]) > 0.4) {
                if (b.score > dets[j].score) dets[j] = b;
                dup = 1;
                break;
            }
        if (!dup) dets[n++] = b;
    }
    return n;
}

/* Motion: a 1/8 grid of sampled gray values compared with the last frame.
 * Returns 1 and the moving region (frame pixels) when enough cells changed. */
static int motion(vis_engine_t *e, const vis_image_t *img, int r[4]) {
    int mw = img->w / MOTION_CELL, mh = img->h / MOTION_CELL;
    if (mw != e->mw || mh != e->mh || !e->motion_cur) {
        free(e->motion_prev);
        free(e->motion_cur);
        e->motion_prev = calloc((size_t)mw * (size_t)mh, 1);
        e->motion_cur = calloc((size_t)mw * (size_t)mh, 1);
        e->mw = mw;
        e->mh = mh;
        e->have_prev = 0;
        if (!e->motion_prev || !e->motion_cur) return 0;
    }
    for (int cy = 0; cy < mh; cy++)
        for (int cx = 0; cx < mw; cx++) {
            unsigned sum = 0;
            for (int k = 0; k < 4; k++) {
                int x = cx * MOTION_CELL + 2 + (k & 1) * 4, y = cy * MOTION_CELL + 2 + (k >> 1) * 4;
                const unsigned char *p = img->data + (size_t)y * (size_t)img->stride + (size_t)x * 3;
                sum += (unsigned)(p[0] + 2 * p[1] + p[2]);
            }
            e->motion_cur[cy * mw + cx] = (unsigned char)(sum / 16);
        }
    int found = 0, x0 = mw, y0 = mh, x1 = -1, y1 = -1;
    if (e->have_prev)
        for (int i = 0; i < mw * mh; i++) {
            int d = e->motion_cur[i] - e->motion_prev[i];
            if (d > MOTION_DIFF || d < -MOTION_DIFF) {
                int cx = i % mw, cy = i / mw;
                found++;
                if (cx < x0) x0 = cx;
                if (cx > x1) x1 = cx;
                if (cy < y0) y0 = cy;
                if (cy > y1) y1 = cy;
            }
        }
    unsigned char *t = e->motion_prev;
    e->motion_prev = e->motion_cur;
    e->motion_cur = t;
    e->have_prev = 1;
    if (found < 3) return 0;
    clip_box(img, (x0 - 3) * MOTION_CELL, (y0 - 3) * MOTION_CELL, (x1 + 4) * MOTION_CELL, (y1 + 4) * MOTION_CELL, r);
    return 1;
}

static double wall_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Queue the end of the visit open in slot i (under mu). When the queue is
 * full (the rec thread is far behind) the visit keeps no end time. */
static void seen_end(vis_engine_t *e, int i) {
    if (!e->seen[i].visit_id) return;
    if (e->n_ended < SEEN_MAX) {
        e->ended[e->n_ended].visit_id = e->seen[i].visit_id;
        e->ended[e->n_ended++].wall = e->seen[i].wall;
    }
    e->seen[i].visit_id = 0;
}

/* Under mu. visit_id > 0: the person's new visit (an open one ends first). */
static void seen_update_visit(vis_engine_t *e, int64_t person, double t, int64_t visit_id) {
    int oldest = 0;
    double wall = wall_now();
    for (int i = 0; i < SEEN_MAX; i++) {
        if (e->seen[i].person == person) {
            if (visit_id && e->seen[i].visit_id != visit_id) {
                seen_end(e, i);
                e->seen[i].visit_id = visit_id;
            }
            if (t > e->seen[i].t) e->seen[i].t = t;
            e->seen[i].wall = wall;
            return;
        }
        if (e->seen[i].t < e->seen[oldest].t) oldest = i;
    }
    seen_end(e, oldest);
    e->seen[oldest].person = person;
    e->seen[oldest].t = t;
    e->seen[oldest].wall = wall;
    e->seen[oldest].visit_id = visit_id;
}

static void seen_update(vis_engine_t *e, int64_t person, double t) { seen_update_visit(e, person, t, 0); }

/* Under mu: end the visits of people not seen for visit_gap_s (all of them
 * when `all`), then take the queue into out (SEEN_MAX entries). */
static int collect_ended(vis_engine_t *e, int all, ended_t *out) {
    for (int i = 0; i < SEEN_MAX; i++)
        if (e->seen[i].visit_id && (all || e->now_t - e->seen[i].t > e->o.visit_gap_s)) seen_end(e, i);
    int n = e->n_ended;
    memcpy(out, e->ended, (size_t)n * sizeof *out);
    e->n_ended = 0;
    return n;
}

/* Outside mu: write the end times (rec thread, or close after the join). */
static void write_ended(vis_engine_t *e, const ended_t *v, int n) {
    for (int i = 0; i < n; i++) {
        int rc = vis_people_end_visit(e->st, v[i].visit_id, v[i].wall);
        if (rc != GR_OK && rc != GR_ERR_NOTFOUND)
            LOG_W("visit %lld: cannot record its end: %s", (long long)v[i].visit_id, gr_strerror(rc));
    }
}

static double seen_get(vis_engine_t *e, int64_t person) {
    for (int i = 0; i < SEEN_MAX; i++)
        if (e->seen[i].person == person) return e->seen[i].t;
    return -1e18;
}

/* Copy the face's surroundings (1.8x the box) for the snapshot. */
static int crop_face(const vis_image_t *img, const vis_box_t *b, vis_image_t *crop) {
    int r[4];
    double cx = b->x + b->w / 2, cy = b->y + b->h / 2, half = b->w * 0.9;
    clip_box(img, cx - half, cy - half * 1.1, cx + half, cy + half * 1.1, r);
    if (r[2] <= 0 || r[3] <= 0) return GR_ERR_INVAL;
    if (crop->w != r[2] || crop->h != r[3] || !crop->data) {
        vis_image_free(crop);
        int rc = vis_image_alloc(crop, r[2], r[3]);
        if (rc) return rc;
    }
    for (int y = 0; y < r[3]; y++)
        memcpy(crop->data + (size_t)y * (size_t)crop->stride,
               img->data + (size_t)(r[1] + y) * (size_t)img->stride + (size_t)r[0] * 3, (size_t)r[2] * 3);
    return GR_OK;
}

/* Queue a recognition job (tracker thread). Returns 1 when queued. */
static int make_job(vis_engine_t *e, const vis_image_t *img, const vis_box_t *b, int partial, int verify, int track,
                    long frame, double t) {
    /* landmarks on a gray crop around the face (full resolution) */
    int r[4];
    clip_box(img, b->x - b->w * 0.3, b->y - b->h * 0.3, b->x + b->w * 1.3, b->y + b->h * 1.3, r);
    if (r[2] < 20 || r[3] < 20) return 0;
    size_t need = (size_t)r[2] * (size_t)r[3];
    if (need > e->gray_cap) {
        unsigned char *g = realloc(e->gray, need);
        if (!g) return 0;
        e->gray = g;
        e->gray_cap = need;
    }
    if (vis_image_gray_resize(img, r[0], r[1], r[2], r[3], r[2], r[3], e->gray)) return 0;
    vis_box_t lb = {b->x - r[0], b->y - r[1], b->w, b->h, b->score};
    float pts[2 * VIS_LANDMARKS];
    if (vis_face_landmarks(e->fm, e->gray, r[2], r[3], r[2], &lb, pts)) return 0;
    for (int i = 0; i < VIS_LANDMARKS; i++) {
        pts[2 * i] += (float)r[0];
        pts[2 * i + 1] += (float)r[1];
    }
    pthread_mutex_lock(&e->mu);
    while (e->jq_n == JOB_SLOTS && e->o.block && !e->stop) pthread_cond_wait(&e->cond, &e->mu);
    if (e->jq_n == JOB_SLOTS || e->stop) {
        e->stats.dropped_samples++;
        pthread_mutex_unlock(&e->mu);
        return 0;
    }
    job_t *j = &e->jq[(e->jq_head + e->jq_n) % JOB_SLOTS];
    pthread_mutex_unlock(&e->mu);
    /* the slot is ours until jq_n is raised: only this thread appends */
    if (vis_face_chip(img->data, img->w, img->h, img->stride, pts, j->chip)) return 0;
    vis_face_quality(b->w, pts, j->chip, &j->q);
    if (!e->o.every_frame && (j->q.yaw > e->o.max_yaw || j->q.sharpness < e->o.min_sharpness)) {
        LOG_D("frame %ld track %d: gated (yaw %.2f, sharpness %.1f)", frame, track, (double)j->q.yaw,
              (double)j->q.sharpness);
        return 0;
    }
    if (e->o.snapshot_dir && crop_face(img, b, &j->crop)) return 0;
    j->track = track;
    j->partial = partial;
    j->verify = verify;
    j->frame = frame;
    j->t = t;
    j->box = *b;
    pthread_mutex_lock(&e->mu);
    e->jq_n++;
    e->stats.samples++;
    pthread_cond_broadcast(&e->cond);
    pthread_mutex_unlock(&e->mu);
    return 1;
}

static void stream_frame(vis_engine_t *e, vis_image_t *img, const vis_box_t *dets, int n) {
    double now = gr_now_mono();
    if (!e->o.ring || now - e->last_stream < 1.0 / (e->o.stream_fps > 0 ? e->o.stream_fps : 5)) return;
    e->last_stream = now;
    for (int i = 0; i < n; i++)
        vis_image_rect(img, (int)dets[i].x, (int)dets[i].y, (int)dets[i].w, (int)dets[i].h, 40, 220, 40);
    unsigned char *jpg;
    size_t len;
    if (vis_image_encode_jpeg(img, 75, &jpg, &len) == GR_OK) {
        (void)gr_ring_put(e->o.ring, jpg, len, now);
        free(jpg);
    }
}

/* One frame on the tracker thread. */
static void process_frame(vis_engine_t *e, vis_image_t *img, double t, long index) {
    vis_box_t dets[MAX_DETS];
    int n = 0;
    e->frame_count++;
    if (e->o.every_frame) {
        int r[4] = {0, 0, img->w, img->h};
        n = detect_region(e, img, r, 1.0, dets, 0, MAX_DETS);
        for (int i = 0; i < n; i++) (void)make_job(e, img, &dets[i], 0, 0, -1, index, t);
        stream_frame(e, img, dets, n);
        return;
    }
    /* regions: around tracks, and where something moves */
    int regions[MAX_DETS + 1][4];
    double scales[MAX_DETS + 1];
    int nr = 0;
    int track_roi[MAX_DETS][4];
    int ntr = 0;
    pthread_mutex_lock(&e->mu);
    vis_tracker_expire(e->tr, t);
    int nt = vis_tracker_count(e->tr);
    for (int i = 0; i < nt && nr < MAX_DETS; i++) {
        const vis_track_t *k = vis_tracker_at(e->tr, i);
        const vis_box_t *b = &k->box;
        int roi[4];
        clip_box(img, b->x - b->w * 0.6, b->y - b->h * 0.6, b->x + b->w * 1.6, b->y + b->h * 1.6, roi);
        if (t - k->last_t < 0.5) memcpy(track_roi[ntr++], roi, sizeof roi);
        int pending = k->state == VIS_TRACK_PENDING;
        if (!pending && (e->frame_count + k->id) % (e->o.detect_every > 0 ? e->o.detect_every : 1) != 0) continue;
        memcpy(regions[nr], roi, sizeof roi);
        double s = DET_TARGET_PX / b->w;
        scales[nr++] = s > 1.0 ? 1.0 : s < 0.25 ? 0.25 : s;
    }
    pthread_mutex_unlock(&e->mu);
    int mr[4];
    int moved = motion(e, img, mr);
    if (moved) {
        /* motion explained by a face being tracked (its centre inside the
         * track's region, not much larger) needs no full-scale search */
        int covered = 0;
        double mcx = mr[0] + mr[2] / 2.0, mcy = mr[1] + mr[3] / 2.0;
        for (int i = 0; i < ntr; i++) {
            const int *q = track_roi[i];
            if (mcx >= q[0] && mcx <= q[0] + q[2] && mcy >= q[1] && mcy <= q[1] + q[3] &&
                (double)mr[2] * mr[3] <= 1.5 * (double)q[2] * q[3])
                covered = 1;
        }
        if (!covered && nr <= MAX_DETS) {
            memcpy(regions[nr], mr, sizeof mr);
            double s = 80.0 / (e->o.min_face_px > 0 ? e->o.min_face_px : 80);
            scales[nr++] = s > 1.0 ? 1.0 : s;
        }
    }
    for (int i = 0; i < nr; i++) n = detect_region(e, img, regions[i], scales[i], dets, n, MAX_DETS);
    int ids[MAX_DETS];
    int want[MAX_DETS], verify[MAX_DETS];
    pthread_mutex_lock(&e->mu);
    if (moved) e->stats.motion_frames++;
    (void)vis_tracker_update(e->tr, dets, n, t, ids);
    if (gr_log_level >= GR_LOG_DEBUG) {
        char line[512];
        int off = snprintf(line, sizeof line, "frame %ld: %d regions, motion %d tracks", index, nr, moved);
        for (int i = 0; i < vis_tracker_count(e->tr) && off < 200; i++) {
            const vis_track_t *k = vis_tracker_at(e->tr, i);
            off += snprintf(line + off, sizeof line - (size_t)off, " %d:%d:%d:%.1f", k->id, (int)k->state, k->pending,
                            t - k->last_t);
        }
        for (int i = 0; i < n && off < (int)sizeof line - 64; i++)
            off += snprintf(line + off, sizeof line - (size_t)off, " | track %d box %.0f,%.0f,%.0f", ids[i],
                            (double)dets[i].x, (double)dets[i].y, (double)dets[i].w);
        LOG_D("%s", line);
    }
    if (e->o.block) {
        /* files: results of earlier samples first, so sampling does not
         * depend on thread timing (same input, same events) */
        for (;;) {
            int waiting = 0;
            for (int i = 0; i < n; i++) {
                const vis_track_t *k = vis_tracker_get(e->tr, ids[i]);
                if (k && k->pending > 0) waiting = 1;
            }
            if (!waiting || e->stop) break;
            pthread_cond_wait(&e->cond, &e->mu);
        }
    }
    for (int i = 0; i < n; i++) {
        const vis_track_t *k = vis_tracker_get(e->tr, ids[i]);
        want[i] = vis_tracker_wants_sample(e->tr, ids[i]);
        verify[i] = !want[i] && vis_tracker_wants_verify(e->tr, ids[i], t, VERIFY_PERIOD_S);
        if (k && k->person_id > 0) seen_update(e, k->person_id, t);
        if (want[i] || verify[i]) vis_tracker_sample_sent(e->tr, ids[i], 1);
    }
    pthread_mutex_unlock(&e->mu);
    for (int i = 0; i < n; i++) {
        if (!want[i] && !verify[i]) continue;
        const vis_box_t *b = &dets[i];
        /* gates: size, at most a quarter of the face outside the frame */
        float out_x = (b->x < 0 ? -b->x : 0) + (b->x + b->w > img->w ? b->x + b->w - img->w : 0);
        float out_y = (b->y < 0 ? -b->y : 0) + (b->y + b->h > img->h ? b->y + b->h - img->h : 0);
        int partial = out_x > 0 || out_y > 0;
        int ok = b->w >= e->o.min_face_px && out_x <= 0.25f * b->w && out_y <= 0.25f * b->h;
        if (!ok || !make_job(e, img, b, partial, verify[i], ids[i], index, t)) {
            pthread_mutex_lock(&e->mu);
            vis_tracker_sample_sent(e->tr, ids[i], -1);
            pthread_mutex_unlock(&e->mu);
        }
    }
    stream_frame(e, img, dets, n);
}

static void *det_main(void *arg) {
    vis_engine_t *e = arg;
    vis_image_t work = {0};
    pthread_mutex_lock(&e->mu);
    for (;;) {
        while (!e->stop && e->fq_n == 0) pthread_cond_wait(&e->cond, &e->mu);
        if (e->stop) break;
        frame_slot_t *s = &e->fq[e->fq_head];
        vis_image_t tmp = work;
        work = s->img;
        s->img = tmp;
        double t = s->t;
        long index = s->index;
        e->fq_head = (e->fq_head + 1) % FRAME_SLOTS;
        e->fq_n--;
        e->det_busy = 1;
        e->stats.frames++;
        e->now_t = t;
        pthread_cond_broadcast(&e->cond);
        pthread_mutex_unlock(&e->mu);
        process_frame(e, &work, t, index);
        atomic_store(&e->last_frame_mono, gr_now_mono());
        pthread_mutex_lock(&e->mu);
        e->det_busy = 0;
        pthread_cond_broadcast(&e->cond);
    }
    pthread_mutex_unlock(&e->mu);
    vis_image_free(&work);
    return NULL;
}

/* ---- recogniser thread ---- */

static best_t *best_slot(vis_engine_t *e, int track) {
    int victim = 0;
    for (int i = 0; i < BEST_MAX; i++) {
        if (e->best[i].track == track) return &e->best[i];
        if (e->best[i].t < e->best[victim].t) victim = i;
    }
    best_t *b = &e->best[victim];
    b->track = track;
    b->quality = -1;
    b->t = -1e18;
    return b;
}

/* Shared by every engine of the process: one warning when the disk runs low. */
static gr_storage_writer_t snapshot_writer = GR_STORAGE_WRITER("visit snapshots");

static void save_snapshot(vis_engine_t *e, const vis_image_t *crop, long frame, char *name, size_t len) {
    name[0] = 0;
    if (!e->o.snapshot_dir || !crop->data) return;
    /* Disk almost full (greeterd's "storage.low"): the visit is recorded
     * without its snapshot. */
    if (gr_storage_skip(&snapshot_writer)) return;
    unsigned char *jpg;
    size_t jlen;
    if (vis_image_encode_jpeg(crop, 85, &jpg, &jlen)) return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char fname[128], path[1400];
    snprintf(fname, sizeof fname, "visit-%lld%03ld-%ld.jpg", (long long)ts.tv_sec, ts.tv_nsec / 1000000, frame);
    snprintf(path, sizeof path, "%s/%s", e->snapdir, fname);
    FILE *f = fopen(path, "wb");
    if (f) {
        int ok = fwrite(jpg, 1, jlen, f) == jlen;
        ok &= fclose(f) == 0;
        if (ok)
            snprintf(name, len, "%s", fname);
        else
            LOG_W("snapshot %s: write failed", path);
    } else {
        static gr_log_burst_t burst;
        if (gr_log_burst(&burst, 60)) LOG_W("snapshot %s: %s", path, strerror(errno));
    }
    free(jpg);
}

/* (count, max id) of face_templates: changes when anyone adds or removes one. */
static int read_sig(vis_engine_t *e, long long sig[2]) {
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(crm_store_db(e->st), "SELECT count(*), coalesce(max(id), 0) FROM face_templates", -1, &s,
                           NULL) != SQLITE_OK)
        return GR_ERR_DB;
    int rc = GR_ERR_DB;
    if (sqlite3_step(s) == SQLITE_ROW) {
        sig[0] = sqlite3_column_int64(s, 0);
        sig[1] = sqlite3_column_int64(s, 1);
        rc = GR_OK;
    }
    sqlite3_finalize(s);
    return rc;
}

/* Reload the gallery when templates were added by someone else (enrolment). */
static void gallery_refresh(vis_engine_t *e, int force) {
    if (!e->st) return;
    double now = gr_now_mono();
    if (!force && now - e->last_gallery_check < 5.0) return;
    e->last_gallery_check = now;
    long long sig[2];
    if (read_sig(e, sig) != GR_OK) return;
    if (!force && sig[0] == e->gallery_sig[0] && sig[1] == e->gallery_sig[1]) return;
    if (vis_gallery_load(e->gallery, e->st) == GR_OK) {
        e->gallery_sig[0] = sig[0];
        e->gallery_sig[1] = sig[1];
        LOG_D("gallery: %zu templates", vis_gallery_templates(e->gallery));
    }
}

static void emit(vis_engine_t *e, const job_t *j, const vis_image_t *snap_crop, long frame, double t,
                 const vis_box_t *box, int64_t person, int is_new, float distance, const float *tmpl,
                 const float *qual, int ntmpl, int track) {
    vis_event_t ev;
    memset(&ev, 0, sizeof ev);
    (void)j;
    ev.frame = frame;
    ev.t = t;
    ev.box = *box;
    ev.is_new = is_new;
    ev.distance = distance;
    save_snapshot(e, snap_crop, frame, ev.snapshot, sizeof ev.snapshot);
    vis_visit_in_t in = {person, tmpl, qual, ntmpl, is_new, distance, ev.snapshot[0] ? ev.snapshot : NULL,
                         e->camera};
    vis_visit_out_t out;
    int rc = vis_people_record_visit(e->st, &in, &out);
    if (rc) {
        LOG_E("recording a visit failed: %s", gr_strerror(rc));
        return;
    }
    for (int i = 0; i < ntmpl; i++) (void)vis_gallery_add(e->gallery, out.person_id, tmpl + (size_t)i * VIS_DESC_DIM);
    if (ntmpl) {
        /* our own templates are in memory already: no reload unless someone
         * else changed the table meanwhile */
        long long sig[2];
        if (read_sig(e, sig) == GR_OK && sig[0] == e->gallery_sig[0] + ntmpl) {
            e->gallery_sig[0] = sig[0];
            e->gallery_sig[1] = sig[1];
        } else {
            e->last_gallery_check = 0;
        }
    }
    ev.person_id = out.person_id;
    ev.visit_id = out.visit_id;
    ev.visit_count = out.visit_count;
    snprintf(ev.label, sizeof ev.label, "%s", out.label);
    pthread_mutex_lock(&e->mu);
    if (track > 0) vis_tracker_set_person(e->tr, track, out.person_id);
    seen_update_visit(e, out.person_id, t, out.visit_id);
    e->stats.events++;
    pthread_mutex_unlock(&e->mu);
    if (e->cb) e->cb(&ev, e->ud);
}

static void recognise(vis_engine_t *e, job_t *j) {
    float desc[VIS_DESC_DIM];
    gallery_refresh(e, 0);
    if (vis_net_embed(e->net, j->chip, 1, desc) != GR_OK) {
        pthread_mutex_lock(&e->mu);
        if (j->track > 0) vis_tracker_sample_sent(e->tr, j->track, -1);
        pthread_mutex_unlock(&e->mu);
        return;
    }
    vis_match_t m;
    vis_gallery_search(e->gallery, desc, &m);
    pthread_mutex_lock(&e->mu);
    e->stats.descriptors++;
    pthread_mutex_unlock(&e->mu);
    if (e->o.every_frame) {
        vis_decision_t d = vis_gallery_decide(&m, e->o.threshold, e->o.margin);
        if (d == VIS_MATCH_AMBIGUOUS) return;
        if (d == VIS_MATCH_KNOWN) {
            pthread_mutex_lock(&e->mu);
            double last = seen_get(e, m.person_id);
            seen_update(e, m.person_id, j->t);
            pthread_mutex_unlock(&e->mu);
            if (j->t - last > e->o.visit_gap_s)
                emit(e, j, &j->crop, j->frame, j->t, &j->box, m.person_id, 0, m.distance, NULL, NULL, 0, -1);
        } else {
            emit(e, j, &j->crop, j->frame, j->t, &j->box, 0, 1, 0, e->o.remember_unknown ? desc : NULL, &j->q.score,
                 e->o.remember_unknown ? 1 : 0, -1);
        }
        return;
    }
    if (j->verify) {
        /* a decided track: does the face still fit its person? */
        pthread_mutex_lock(&e->mu);
        const vis_track_t *k = vis_tracker_get(e->tr, j->track);
        int64_t p = k ? k->person_id : 0;
        pthread_mutex_unlock(&e->mu);
        int fits = 1;
        if (p > 0 && vis_gallery_person_templates(e->gallery, p) > 0)
            fits = vis_gallery_person_distance(e->gallery, p, desc) <= (float)e->o.threshold + VERIFY_SLACK;
        pthread_mutex_lock(&e->mu);
        int reset = vis_tracker_verify_result(e->tr, j->track, fits);
        pthread_mutex_unlock(&e->mu);
        if (reset) LOG_I("track %d: the face no longer fits person %lld; recognising again", j->track, (long long)p);
        return;
    }
    /* keep the best-looking crop of each track for its snapshot */
    best_t *b = best_slot(e, j->track);
    if (j->q.score > b->quality) {
        vis_image_t tmp = b->crop;
        b->crop = j->crop;
        j->crop = tmp;
        b->quality = j->q.score;
        b->box = j->box;
    }
    b->t = j->t;
    vis_verdict_t *v = &e->verdict; /* large: not on the stack */
    pthread_mutex_lock(&e->mu);
    int r = vis_tracker_add_sample(e->tr, j->track, desc, &m, j->q.score, j->partial, v);
    double last = r == 1 && v->state == VIS_TRACK_KNOWN ? seen_get(e, v->person_id) : -1e18;
    pthread_mutex_unlock(&e->mu);
    LOG_D("frame %ld track %d%s: sample best %lld d=%.3f second %lld d=%.3f -> %s", j->frame, j->track,
          j->partial ? " (partial)" : "", (long long)m.person_id, (double)m.distance, (long long)m.second_id, (double)m.second_distance,
          r == 1 ? "verdict" : "more");
    if (r != 1) return;
    b->track = 0; /* slot free after this verdict */
    if (v->state == VIS_TRACK_KNOWN) {
        if (j->t - last <= e->o.visit_gap_s) {
            /* the same visit goes on (the person was here a moment ago) */
            pthread_mutex_lock(&e->mu);
            seen_update(e, v->person_id, j->t);
            pthread_mutex_unlock(&e->mu);
            LOG_D("track %d: person %lld continues the visit", j->track, (long long)v->person_id);
            return;
        }
        /* one more template when it adds variety and the person has room */
        int add = v->n_desc > 0 && v->distance > 0.25f &&
                  vis_gallery_person_templates(e->gallery, v->person_id) < (size_t)e->o.max_templates;
        emit(e, j, &b->crop, j->frame, j->t, &j->box, v->person_id, 0, v->distance, add ? v->desc[0] : NULL,
             add ? v->quality : NULL, add, j->track);
    } else {
        int keep = e->o.remember_unknown ? (v->n_desc < e->o.max_templates ? v->n_desc : e->o.max_templates) : 0;
        emit(e, j, &b->crop, j->frame, j->t, &j->box, 0, 1, 0, keep ? v->desc[0] : NULL, keep ? v->quality : NULL, keep,
             j->track);
    }
}

static void *rec_main(void *arg) {
    vis_engine_t *e = arg;
    job_t work;
    memset(&work, 0, sizeof work);
    work.chip = malloc(VIS_CHIP_SIZE * VIS_CHIP_SIZE * 3);
    ended_t *ended = malloc(SEEN_MAX * sizeof *ended);
    double next_end_check = 0;
    pthread_mutex_lock(&e->mu);
    for (;;) {
        while (!e->stop && e->jq_n == 0) {
            /* Idle: once a second, write the ends of visits that are over. */
            double now = wall_now();
            if (ended && now >= next_end_check) {
                next_end_check = now + 1.0;
                int n = collect_ended(e, 0, ended);
                if (n) {
                    pthread_mutex_unlock(&e->mu);
                    write_ended(e, ended, n);
                    pthread_mutex_lock(&e->mu);
                    continue;
                }
            }
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += 1;
            pthread_cond_timedwait(&e->cond, &e->mu, &until);
        }
        if (e->stop || !work.chip) break;
        job_t *s = &e->jq[e->jq_head];
        job_t tmp = work;
        work = *s;
        *s = tmp;
        e->jq_head = (e->jq_head + 1) % JOB_SLOTS;
        e->jq_n--;
        e->rec_busy = 1;
        pthread_cond_broadcast(&e->cond);
        pthread_mutex_unlock(&e->mu);
        recognise(e, &work);
        pthread_mutex_lock(&e->mu);
        e->rec_busy = 0;
        pthread_cond_broadcast(&e->cond);
    }
    pthread_mutex_unlock(&e->mu);
    free(ended);
    free(work.chip);
    vis_image_free(&work.crop);
    return NULL;
}

/* ---- public ---- */

static int mkdir_p(const char *path) {
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0700) != 0 && errno != EEXIST) return -1;
            *p = '/';
        }
    if (mkdir(tmp, 0700) != 0 && errno != EEXIST) return -1;
    return 0;
}

void vis_engine_opts_from_config(const gr_config_t *cfg, vis_engine_opts_t *o) {
    *o = (vis_engine_opts_t){
        .threshold = gr_config_double(cfg, GR_SET_VISION_MATCH_THRESHOLD),
        .margin = gr_config_double(cfg, GR_SET_VISION_MATCH_MARGIN),
        .min_face_px = (int)gr_config_int(cfg, GR_SET_VISION_MIN_FACE_PX),
        .samples = (int)gr_config_int(cfg, GR_SET_VISION_SAMPLES),
        .visit_gap_s = (double)gr_config_int(cfg, GR_SET_VISION_VISIT_GAP_S),
        .max_yaw = gr_config_double(cfg, GR_SET_VISION_MAX_YAW),
        .min_sharpness = gr_config_double(cfg, GR_SET_VISION_MIN_SHARPNESS),
        .max_templates = (int)gr_config_int(cfg, GR_SET_VISION_MAX_TEMPLATES),
        .detect_every = (int)gr_config_int(cfg, GR_SET_VISION_DETECT_EVERY),
        .remember_unknown = gr_config_bool(cfg, GR_SET_PRIVACY_REMEMBER_UNKNOWN),
        .stream_fps = gr_config_double(cfg, GR_SET_VISION_STREAM_FPS),
        .threads = (int)gr_config_int(cfg, GR_SET_VISION_THREADS),
    };
}

int vis_engine_open(const vis_engine_opts_t *o, const char *models_dir, crm_store_t *st, vis_event_cb_t cb, void *ud,
                    vis_engine_t **out, char *err, size_t errlen) {
    *out = NULL;
    vis_engine_t *e = calloc(1, sizeof *e);
    if (!e) return GR_ERR_NOMEM;
    int rc = GR_ERR_NOMEM;
    e->o = *o;
    e->st = st;
    e->cb = cb;
    e->ud = ud;
    snprintf(e->camera, sizeof e->camera, "%s", o->camera ? o->camera : "");
    e->o.camera = e->camera;
    if (o->snapshot_dir) {
        snprintf(e->snapdir, sizeof e->snapdir, "%s", o->snapshot_dir);
        e->o.snapshot_dir = e->snapdir;
        if (mkdir_p(e->snapdir) != 0) {
            LOG_W("snapshots folder %s: %s; visits are recorded without snapshots", e->snapdir, strerror(errno));
            e->o.snapshot_dir = NULL;
        }
    }
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cond, NULL);
    vis_tracker_opts_t to = {0.2, 0.7, o->samples, o->samples * 2 + 2, o->threshold, o->margin};
    e->tr = vis_tracker_new(&to);
    e->gallery = vis_gallery_new();
    if (!e->tr || !e->gallery) goto fail;
    for (int i = 0; i < JOB_SLOTS; i++)
        if (!(e->jq[i].chip = malloc(VIS_CHIP_SIZE * VIS_CHIP_SIZE * 3))) goto fail;
    rc = vis_models_open(models_dir, &e->fm, &e->net, err, errlen);
    if (rc) goto fail;
    if (o->threads > 1) {
        int got = vis_net_set_threads(o->threads);
        if (got) LOG_I("face network: %d BLAS threads (vision.threads)", got);
        else LOG_W("vision.threads=%d: this BLAS is not OpenBLAS; the face network stays on one thread", o->threads);
    }
    if (st) {
        gallery_refresh(e, 1);
        LOG_I("gallery: %zu face templates", vis_gallery_templates(e->gallery));
    }
    if (pthread_create(&e->det_thread, NULL, det_main, e) != 0) goto fail_thread;
    e->det_started = 1;
    if (pthread_create(&e->rec_thread, NULL, rec_main, e) != 0) goto fail_thread;
    e->rec_started = 1;
    *out = e;
    return GR_OK;
fail_thread:
    snprintf(err, errlen, "cannot start the vision threads");
    rc = GR_ERR_NOMEM;
fail:
    vis_engine_close(e);
    return rc;
}

int vis_engine_push(vis_engine_t *e, vis_image_t *frame, double t, long index) {
    pthread_mutex_lock(&e->mu);
    while (e->fq_n == FRAME_SLOTS && e->o.block && !e->stop) pthread_cond_wait(&e->cond, &e->mu);
    if (e->stop) {
        pthread_mutex_unlock(&e->mu);
        return GR_ERR_STOPPED;
    }
    if (e->fq_n == FRAME_SLOTS) {
        /* live source and a slow consumer: the oldest waiting frame goes */
        e->fq_head = (e->fq_head + 1) % FRAME_SLOTS;
        e->fq_n--;
        e->stats.dropped_frames++;
    }
    frame_slot_t *s = &e->fq[(e->fq_head + e->fq_n) % FRAME_SLOTS];
    vis_image_t tmp = s->img;
    s->img = *frame;
    *frame = tmp;
    s->t = t;
    s->index = index;
    e->fq_n++;
    pthread_cond_broadcast(&e->cond);
    pthread_mutex_unlock(&e->mu);
    return GR_OK;
}

void vis_engine_drain(vis_engine_t *e) {
    pthread_mutex_lock(&e->mu);
    while (!e->stop && (e->fq_n || e->jq_n || e->det_busy || e->rec_busy)) pthread_cond_wait(&e->cond, &e->mu);
    pthread_mutex_unlock(&e->mu);
}

double vis_engine_last_frame(const vis_engine_t *e) { return atomic_load(&((vis_engine_t *)e)->last_frame_mono); }

void vis_engine_stats(vis_engine_t *e, vis_engine_stats_t *s) {
    pthread_mutex_lock(&e->mu);
    *s = e->stats;
    pthread_mutex_unlock(&e->mu);
}

void vis_engine_close(vis_engine_t *e) {
    if (!e) return;
    pthread_mutex_lock(&e->mu);
    e->stop = 1;
    pthread_cond_broadcast(&e->cond);
    pthread_mutex_unlock(&e->mu);
    if (e->det_started) pthread_join(e->det_thread, NULL);
    if (e->rec_started) pthread_join(e->rec_thread, NULL);
    /* Whoever is still in view leaves now. */
    ended_t ended[SEEN_MAX];
    int n_ended = collect_ended(e, 1, ended);
    write_ended(e, ended, n_ended);
    for (int i = 0; i < FRAME_SLOTS; i++) vis_image_free(&e->fq[i].img);
    for (int i = 0; i < JOB_SLOTS; i++) {
        free(e->jq[i].chip);
        vis_image_free(&e->jq[i].crop);
    }
    for (int i = 0; i < BEST_MAX; i++) vis_image_free(&e->best[i].crop);
    vis_facemod_close(e->fm);
    vis_net_close(e->net);
    vis_gallery_free(e->gallery);
    vis_tracker_free(e->tr);
    free(e->motion_prev);
    free(e->motion_cur);
    free(e->gray);
    pthread_mutex_destroy(&e->mu);
    pthread_cond_destroy(&e->cond);
    free(e);
}
