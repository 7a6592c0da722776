/* engine.c - the engine's public functions and its tracker thread
 * (motion, detection, tracking, chips); the recogniser thread is
 * recogniser.c. Models, motion, snapshots and presence are modules of their
 * own. */
#define GR_LOG_MODULE "vision"
#include "vision/engine_internal.h"

#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "vision/facemodels.h"
#include "vision/snapshot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DETS 16
#define MAX_BLOBS 8          /* separate moving regions searched in one frame */
#define MAX_REGIONS (MAX_DETS + MAX_BLOBS)
#define DET_TARGET_PX 90.0   /* face width the detector sees best (its window is 80 px) */
#define VERIFY_PERIOD_S 3.0   /* re-check a recognised track's face this often */
#define SCAN_FACE_PX 80.0    /* searches resample so the smallest face wanted is the detector's window */
#define SCAN_FULL_S 20.0     /* the steady search covers the whole frame at least this often */

/* ---- tracker thread ---- */

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
    e->stats_pixels += (double)need;
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
    /* regions: the whole frame every scan_period_s, around tracks, and
     * where something moves (within the budget) */
    int regions[MAX_REGIONS][4];
    double scales[MAX_REGIONS];
    int nr = 0;
    int track_roi[MAX_DETS][4];
    int ntr = 0;
    int min_face = e->o.min_face_px > 0 ? e->o.min_face_px : 80;
    double up_max = SCAN_FACE_PX / min_face; /* the most a search upsamples: a min_face face to the window */
    if (up_max < 1.0) up_max = 1.0;
    if (up_max > 2.0) up_max = 2.0;
    double period = e->o.scan_period_s > 0 ? e->o.scan_period_s : 1.0;
    int scan = t - e->last_scan_t >= period - 1e-6;
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
        double sc = DET_TARGET_PX / b->w;
        scales[nr++] = sc > up_max ? up_max : sc < 0.25 ? 0.25 : sc;
    }
    pthread_mutex_unlock(&e->mu);
    int mr0[4];
    int moved = e->motion ? vis_motion_detect(e->motion, img, mr0) : 0;
    /* the budget of moving-region searches: a token bucket refilled at
     * motion_searches per second, at most one second's worth saved up */
    double rate = e->o.motion_searches;
    e->search_tokens += rate * (t - e->tokens_t);
    if (e->search_tokens > (rate > 1 ? rate : 1)) e->search_tokens = rate > 1 ? rate : 1;
    e->tokens_t = t;
    int searched_motion = 0, skipped_motion = 0;
    int n_track = nr; /* regions before this are the tracks' */
    if (scan) {
        /* the steady search: every part of the frame that changed since it
         * was last searched (outside the tracks' regions, which are searched
         * on their own), at the scale of the smallest face; the whole frame
         * on the first frame (a restart included), when most of it changed,
         * and every SCAN_FULL_S whatever happened */
        int cr[4];
        int nc = e->motion ? vis_motion_changed(e->motion, img, (const int(*)[4])track_roi, ntr, cr) : -1;
        int full = nc < 0 || t - e->last_full_t >= SCAN_FULL_S - 1e-6 ||
                   (e->motion && nc * 2 > vis_motion_cells(e->motion));
        e->last_scan_t = t;
        int first = nr;
        if (full) {
            cr[0] = cr[1] = 0;
            cr[2] = img->w;
            cr[3] = img->h;
            e->last_full_t = t;
            memcpy(regions[nr], cr, sizeof cr);
            scales[nr++] = up_max;
        } else if (nc > 0) {
            int blobs[MAX_BLOBS][4];
            int nb = vis_motion_regions(e->motion, img, blobs, MAX_BLOBS);
            for (int i = 0; i < nb && nr < MAX_REGIONS; i++) {
                memcpy(regions[nr], blobs[i], sizeof blobs[i]);
                scales[nr++] = up_max;
            }
        }
        if (nr == first) scan = 0; /* nothing new to look at */
        if (e->motion) vis_motion_rebase(e->motion);
    } else if (moved) {
        /* moving regions not explained by a face being tracked (centre
         * inside the track's region, not much larger), within the budget */
        int blobs[MAX_BLOBS][4];
        int nb = vis_motion_regions(e->motion, img, blobs, MAX_BLOBS);
        int want[MAX_BLOBS], nwant = 0;
        for (int b = 0; b < nb; b++) {
            const int *mr = blobs[b];
            double mcx = mr[0] + mr[2] / 2.0, mcy = mr[1] + mr[3] / 2.0;
            want[b] = 1;
            for (int i = 0; i < ntr; i++) {
                const int *q = track_roi[i];
                if (mcx >= q[0] && mcx <= q[0] + q[2] && mcy >= q[1] && mcy <= q[1] + q[3] &&
                    (double)mr[2] * mr[3] <= 1.5 * (double)q[2] * q[3])
                    want[b] = 0;
            }
            nwant += want[b];
        }
        if (nwant && e->search_tokens >= 1.0) {
            e->search_tokens -= 1.0;
            for (int b = 0; b < nb && nr < MAX_REGIONS; b++) {
                if (!want[b]) continue;
                const int *mr = blobs[b];
                memcpy(regions[nr], mr, sizeof regions[nr]);
                /* the scale a face there would have: a person whose movement
                 * fills the region has a face of about a fifth of its
                 * shorter side. No upsampling here: faces below the
                 * detector's window are the steady search's (once per
                 * period), so a busy background does not pay for them on
                 * every search. */
                int side = mr[2] < mr[3] ? mr[2] : mr[3];
                double face = side / 5.0 > SCAN_FACE_PX ? side / 5.0 : SCAN_FACE_PX;
                double sc = SCAN_FACE_PX / face;
                scales[nr++] = sc < 0.25 ? 0.25 : sc;
            }
            searched_motion = 1;
        } else if (nwant) {
            skipped_motion = 1;
        }
    }
    double px_track = e->stats_pixels;
    for (int i = 0; i < nr; i++) {
        if (i == n_track) px_track = e->stats_pixels;
        n = detect_region(e, img, regions[i], scales[i], dets, n, MAX_DETS);
    }
    double px_extra = nr > n_track ? e->stats_pixels - px_track : 0;
    int ids[MAX_DETS];
    int want[MAX_DETS], verify[MAX_DETS];
    pthread_mutex_lock(&e->mu);
    if (moved) e->stats.motion_frames++;
    e->stats.scans += scan;
    if (scan) e->stats.scan_pixels += px_extra;
    if (searched_motion) e->stats.motion_pixels += px_extra;
    e->stats.motion_searches += searched_motion;
    e->stats.motion_skipped += skipped_motion;
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
        if (k && k->person_id > 0) vis_engine_seen(e, k->person_id, t);
        if (want[i] || verify[i]) vis_tracker_sample_sent(e->tr, ids[i], 1);
    }
    pthread_mutex_unlock(&e->mu);
    for (int i = 0; i < n; i++) {
        if (!want[i] && !verify[i]) continue;
        const vis_box_t *b = &dets[i];
        /* gates: size, at most a quarter of the face outside the frame */
        float out_x = (b->x < 0 ? -b->x : 0) + (b->x + b->w > img->w ? b->x + b->w - img->w : 0);
        float out_y = (b->y < 0 ? -b->y : 0) + (b->y + b->h > img->h ? b->y + b->h - img->h : 0);
        /* a face cut by the frame edge or smaller than min_enrol_px may
         * confirm a known person, never make a new one or a template */
        int partial = out_x > 0 || out_y > 0 || b->w < e->o.min_enrol_px;
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

/* ---- public ---- */

void vis_engine_opts_from_config(const gr_config_t *cfg, vis_engine_opts_t *o) {
    *o = (vis_engine_opts_t){
        .threshold = gr_config_double(cfg, GR_SET_VISION_MATCH_THRESHOLD),
        .margin = gr_config_double(cfg, GR_SET_VISION_MATCH_MARGIN),
        .min_face_px = (int)gr_config_int(cfg, GR_SET_VISION_MIN_FACE_PX),
        .min_enrol_px = (int)gr_config_int(cfg, GR_SET_VISION_MIN_ENROL_PX),
        .scan_period_s = gr_config_double(cfg, GR_SET_VISION_SCAN_PERIOD_S),
        .motion_searches = gr_config_double(cfg, GR_SET_VISION_MOTION_SEARCHES),
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
    e->last_scan_t = -1e9; /* the first frame is searched whole: whoever is in view at start is found */
    e->last_full_t = -1e9;
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
        vis_engine_gallery_refresh(e, 1);
        LOG_I("gallery: %zu face templates", vis_gallery_templates(e->gallery));
    }
    if (pthread_create(&e->det_thread, NULL, det_main, e) != 0) goto fail_thread;
    e->det_started = 1;
    if (pthread_create(&e->rec_thread, NULL, vis_engine_rec_main, e) != 0) goto fail_thread;
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
        vis_engine_write_ended(e, ended, n_ended);
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
