/* engine.c - tracker thread (motion, detection, tracking, chips) and
 * recogniser thread (descriptors, gallery, votes, visits). Models, motion,
 * snapshots and presence are modules of their own. */
#define GR_LOG_MODULE "vision"
#include "vision/engine.h"

#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "vision/facemodels.h"
#include "vision/facenet.h"
#include "vision/gallery.h"
#include "vision/motion.h"
#include "vision/presence.h"
#include "vision/snapshot.h"
#include "vision/tracker.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FRAME_SLOTS 3
#define JOB_SLOTS 8
#define MAX_DETS 16
#define DET_TARGET_PX 90.0   /* face width the detector sees best (its window is 80 px) */
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
    vis_store_t st;               /* st.load_templates NULL: nothing is stored */
    vis_tracker_t *tr;
    vis_event_cb_t cb;
    void *ud;

    pthread_mutex_t mu;           /* queues, tracker, presence, stats */
    pthread_cond_t cond;          /* any queue or busy state changed */
    frame_slot_t fq[FRAME_SLOTS];
    int fq_head, fq_n;
    job_t jq[JOB_SLOTS];
    int jq_head, jq_n;
    int det_busy, rec_busy;
    int stop;
    vis_presence_t *presence; /* ended visits wait there until the rec thread writes them */
    double now_t;            /* engine time of the newest frame */
    vis_engine_stats_t stats;
    _Atomic double last_frame_mono;

    pthread_t det_thread, rec_thread;
    int det_started, rec_started;

    /* tracker thread only */
    vis_motion_t *motion;
    unsigned char *gray;
    size_t gray_cap;
    long frame_count;
    double last_stream;

    /* recogniser thread only */
    best_t best[BEST_MAX];
    vis_verdict_t verdict;
    double last_gallery_check;
    vis_store_sig_t gallery_sig;
};

/* ---- helpers ---- */

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

static double wall_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Under mu: a sighting of person (see vis_presence_seen). */
static void seen_update(vis_engine_t *e, int64_t person, double t) {
    vis_presence_seen(e->presence, person, t, wall_now(), 0);
}

/* Outside mu: write the end times (rec thread, or close after the join). */
static void write_ended(vis_engine_t *e, const vis_ended_t *v, int n) {
    if (!e->st.end_visit) return;
    for (int i = 0; i < n; i++) {
        int rc = e->st.end_visit(e->st.ctx, v[i].visit_id, v[i].wall);
        if (rc != GR_OK && rc != GR_ERR_NOTFOUND)
            LOG_W("visit %lld: cannot record its end: %s", (long long)v[i].visit_id, gr_strerror(rc));
    }
}

/* Queue a recognition job (tracker thread). Returns 1 when queued. */
static int make_job(vis_engine_t *e, const vis_image_t *img, const vis_box_t *b, int partial, int verify, int track,
                    long frame, double t) {
    /* landmarks on a gray crop around the face (full resolution) */
    int r[4];
    vis_image_clip(img, b->x - b->w * 0.3, b->y - b->h * 0.3, b->x + b->w * 1.3, b->y + b->h * 1.3, r);
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
    if (e->o.snapshot_dir && vis_snapshot_crop(img, b, &j->crop)) return 0;
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
        vis_image_clip(img, b->x - b->w * 0.6, b->y - b->h * 0.6, b->x + b->w * 1.6, b->y + b->h * 1.6, roi);
        if (t - k->last_t < 0.5) memcpy(track_roi[ntr++], roi, sizeof roi);
        int pending = k->state == VIS_TRACK_PENDING;
        if (!pending && (e->frame_count + k->id) % (e->o.detect_every > 0 ? e->o.detect_every : 1) != 0) continue;
        memcpy(regions[nr], roi, sizeof roi);
        double s = DET_TARGET_PX / b->w;
        scales[nr++] = s > 1.0 ? 1.0 : s < 0.25 ? 0.25 : s;
    }
    pthread_mutex_unlock(&e->mu);
    int mr[4];
    int moved = e->motion ? vis_motion_detect(e->motion, img, mr) : 0;
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

/* Reload the gallery when templates were added by someone else (enrolment). */
static void gallery_refresh(vis_engine_t *e, int force) {
    if (!e->st.load_templates) return;
    double now = gr_now_mono();
    if (!force && now - e->last_gallery_check < 5.0) return;
    e->last_gallery_check = now;
    vis_store_sig_t sig;
    if (e->st.signature(e->st.ctx, &sig) != GR_OK) return;
    if (!force && sig.templates == e->gallery_sig.templates && sig.last_id == e->gallery_sig.last_id) return;
    if (vis_gallery_load(e->gallery, &e->st) == GR_OK) {
        e->gallery_sig = sig;
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
    vis_snapshot_save(e->o.snapshot_dir, snap_crop, frame, ev.snapshot, sizeof ev.snapshot);
    vis_visit_in_t in = {person, tmpl, qual, ntmpl, is_new, distance, ev.snapshot[0] ? ev.snapshot : NULL,
                         e->camera};
    vis_visit_out_t out;
    int rc = e->st.record_visit ? e->st.record_visit(e->st.ctx, &in, &out) : GR_ERR_UNSUPPORTED;
    if (rc) {
        LOG_E("recording a visit failed: %s", gr_strerror(rc));
        return;
    }
    for (int i = 0; i < ntmpl; i++) (void)vis_gallery_add(e->gallery, out.person_id, tmpl + (size_t)i * FMT_DESC_DIM);
    if (ntmpl) {
        /* our own templates are in memory already: no reload unless someone
         * else changed the table meanwhile */
        vis_store_sig_t sig;
        if (e->st.signature(e->st.ctx, &sig) == GR_OK && sig.templates == e->gallery_sig.templates + ntmpl) {
            e->gallery_sig = sig;
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
    vis_presence_seen(e->presence, out.person_id, t, wall_now(), out.visit_id);
    e->stats.events++;
    pthread_mutex_unlock(&e->mu);
    if (e->cb) e->cb(&ev, e->ud);
}

static void recognise(vis_engine_t *e, job_t *j) {
    float desc[FMT_DESC_DIM];
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
            double last = vis_presence_last(e->presence, m.person_id);
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
    double last = r == 1 && v->state == VIS_TRACK_KNOWN ? vis_presence_last(e->presence, v->person_id) : -1e18;
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
    vis_ended_t *ended = malloc(VIS_PRESENCE_MAX * sizeof *ended);
    double next_end_check = 0;
    pthread_mutex_lock(&e->mu);
    for (;;) {
        while (!e->stop && e->jq_n == 0) {
            /* Idle: once a second, write the ends of visits that are over. */
            double now = wall_now();
            if (ended && now >= next_end_check) {
                next_end_check = now + 1.0;
                int n = vis_presence_collect(e->presence, e->now_t, e->o.visit_gap_s, 0, ended);
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

int vis_engine_open(const vis_engine_opts_t *o, const char *models_dir, const vis_store_t *st, vis_event_cb_t cb,
                    void *ud, vis_engine_t **out, char *err, size_t errlen) {
    *out = NULL;
    vis_engine_t *e = calloc(1, sizeof *e);
    if (!e) return GR_ERR_NOMEM;
    int rc = GR_ERR_NOMEM;
    e->o = *o;
    if (st) e->st = *st;
    e->cb = cb;
    e->ud = ud;
    snprintf(e->camera, sizeof e->camera, "%s", o->camera ? o->camera : "");
    e->o.camera = e->camera;
    if (o->snapshot_dir) {
        snprintf(e->snapdir, sizeof e->snapdir, "%s", o->snapshot_dir);
        e->o.snapshot_dir = e->snapdir;
        if (vis_snapshot_dir(e->snapdir) != GR_OK) {
            LOG_W("snapshots folder %s: %s; visits are recorded without snapshots", e->snapdir, strerror(errno));
            e->o.snapshot_dir = NULL;
        }
    }
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cond, NULL);
    vis_tracker_opts_t to = {0.2, 0.7, o->samples, o->samples * 2 + 2, o->threshold, o->margin};
    e->tr = vis_tracker_new(&to);
    e->gallery = vis_gallery_new();
    e->presence = vis_presence_new();
    e->motion = vis_motion_new();
    if (!e->tr || !e->gallery || !e->presence || !e->motion) goto fail;
    for (int i = 0; i < JOB_SLOTS; i++)
        if (!(e->jq[i].chip = malloc(VIS_CHIP_SIZE * VIS_CHIP_SIZE * 3))) goto fail;
    rc = vis_facemodels_open(models_dir, &e->fm, &e->net, err, errlen);
    if (rc) goto fail;
    if (o->threads > 1) {
        int got = vis_net_set_threads(o->threads);
        if (got) LOG_I("face network: %d BLAS threads (vision.threads)", got);
        else LOG_W("vision.threads=%d: this BLAS is not OpenBLAS; the face network stays on one thread", o->threads);
    }
    if (e->st.load_templates) {
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
    if (e->presence) {
        vis_ended_t ended[VIS_PRESENCE_MAX];
        int n_ended = vis_presence_collect(e->presence, e->now_t, e->o.visit_gap_s, 1, ended);
        write_ended(e, ended, n_ended);
    }
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
    vis_motion_free(e->motion);
    vis_presence_free(e->presence);
    free(e->gray);
    pthread_mutex_destroy(&e->mu);
    pthread_cond_destroy(&e->cond);
    free(e);
}
