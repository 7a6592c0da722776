/* recogniser.c - the engine's recogniser thread: descriptors of the
 * samples the tracker thread queued, gallery search, each track's vote,
 * verdicts turned into visits (the store's record_visit, snapshot, event),
 * and the ends of visits stored while idle. */
#define GR_LOG_MODULE "vision"
#include "vision/engine_internal.h"

#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "vision/snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VERIFY_SLACK 0.05f    /* a re-check fits up to threshold + this */

double vis_engine_wall_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void vis_engine_seen(vis_engine_t *e, int64_t person, double t) {
    vis_presence_seen(e->presence, person, t, vis_engine_wall_now(), 0);
}

void vis_engine_write_ended(vis_engine_t *e, const vis_ended_t *v, int n) {
    if (!e->st.end_visit) return;
    for (int i = 0; i < n; i++) {
        int rc = e->st.end_visit(e->st.ctx, v[i].visit_id, v[i].wall);
        if (rc != GR_OK && rc != GR_ERR_NOTFOUND)
            LOG_W("visit %lld: cannot record its end: %s", (long long)v[i].visit_id, gr_strerror(rc));
    }
}

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

void vis_engine_gallery_refresh(vis_engine_t *e, int force) {
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
                 const float *qual, int ntmpl, int track, const float *face, float face_q, int face_weak) {
    vis_event_t ev;
    memset(&ev, 0, sizeof ev);
    (void)j;
    if (person > 0 && e->st.suppressed) {
        int sup = e->st.suppressed(e->st.ctx, person);
        if (sup == 1) {
            /* erased at the person's request: no visit, no snapshot, no event */
            LOG_I("frame %ld: person %lld is a suppression entry; nothing is stored", frame, (long long)person);
            pthread_mutex_lock(&e->mu);
            if (track > 0) vis_tracker_set_person(e->tr, track, person);
            e->stats.suppressed++;
            pthread_mutex_unlock(&e->mu);
            return;
        }
        if (sup < 0) {
            LOG_E("frame %ld: cannot tell whether person %lld is suppressed: %s; nothing is stored", frame,
                  (long long)person, gr_strerror(sup));
            return;
        }
    }
    ev.frame = frame;
    ev.t = t;
    ev.box = *box;
    ev.is_new = is_new;
    ev.distance = distance;
    vis_snapshot_save(e->o.snapshot_dir, snap_crop, frame, ev.snapshot, sizeof ev.snapshot);
    vis_visit_in_t in = {person, tmpl, qual, ntmpl, is_new, distance, ev.snapshot[0] ? ev.snapshot : NULL,
                         e->camera, face, face_q, face_weak};
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
    vis_presence_seen(e->presence, out.person_id, t, vis_engine_wall_now(), out.visit_id);
    e->stats.events++;
    pthread_mutex_unlock(&e->mu);
    if (e->cb) e->cb(&ev, e->ud);
}

static void recognise(vis_engine_t *e, job_t *j) {
    float desc[FMT_DESC_DIM];
    vis_engine_gallery_refresh(e, 0);
    if (vis_net_embed(e->net, j->chip, 1, desc) != GR_OK) {
        pthread_mutex_lock(&e->mu);
        if (j->track > 0) vis_tracker_sample_sent(e->tr, j->track, -1);
        pthread_mutex_unlock(&e->mu);
        return;
    }
    vis_match_t m;
    vis_gallery_search(e->gallery, desc, &m);
    vis_gallery_apply_distinct(&e->st, e->o.threshold, &m);
    pthread_mutex_lock(&e->mu);
    e->stats.descriptors++;
    pthread_mutex_unlock(&e->mu);
    if (e->o.every_frame) {
        vis_decision_t d = vis_gallery_decide(&m, e->o.threshold, e->o.margin);
        if (d == VIS_MATCH_AMBIGUOUS) return;
        if (d == VIS_MATCH_KNOWN) {
            pthread_mutex_lock(&e->mu);
            double last = vis_presence_last(e->presence, m.person_id);
            vis_engine_seen(e, m.person_id, j->t);
            pthread_mutex_unlock(&e->mu);
            /* every_frame skips the yaw/sharpness gates: a face past them is weak */
            int weak = j->partial || j->q.yaw > e->o.max_yaw || j->q.sharpness < e->o.min_sharpness;
            if (j->t - last > e->o.visit_gap_s)
                emit(e, j, &j->crop, j->frame, j->t, &j->box, m.person_id, 0, m.distance, NULL, NULL, 0, -1, desc,
                     j->q.score, weak);
        } else {
            emit(e, j, &j->crop, j->frame, j->t, &j->box, 0, 1, 0, e->o.remember_unknown ? desc : NULL, &j->q.score,
                 e->o.remember_unknown ? 1 : 0, -1, NULL, 0, 0);
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
            vis_engine_seen(e, v->person_id, j->t);
            pthread_mutex_unlock(&e->mu);
            LOG_D("track %d: person %lld continues the visit", j->track, (long long)v->person_id);
            return;
        }
        /* one more template when it adds variety and the person has room */
        int add = v->n_desc > 0 && !v->weak[0] && v->distance > 0.25f &&
                  vis_gallery_person_templates(e->gallery, v->person_id) < (size_t)e->o.max_templates;
        emit(e, j, &b->crop, j->frame, j->t, &j->box, v->person_id, 0, v->distance, add ? v->desc[0] : NULL,
             add ? v->quality : NULL, add, j->track, v->n_desc > 0 ? v->desc[0] : NULL, v->quality[0],
             v->n_desc > 0 && v->weak[0]);
    } else {
        /* templates only from whole faces of enrolment size (the tracker
         * guarantees at least one) */
        int whole = 0;
        for (int i = 0; i < v->n_desc; i++)
            if (!v->weak[i]) {
                if (whole != i) {
                    memcpy(v->desc[whole], v->desc[i], sizeof v->desc[0]);
                    v->quality[whole] = v->quality[i];
                }
                v->weak[whole++] = 0;
            }
        v->n_desc = whole;
        int keep = e->o.remember_unknown ? (v->n_desc < e->o.max_templates ? v->n_desc : e->o.max_templates) : 0;
        emit(e, j, &b->crop, j->frame, j->t, &j->box, 0, 1, 0, keep ? v->desc[0] : NULL, keep ? v->quality : NULL, keep,
             j->track, NULL, 0, 0);
    }
}

void *vis_engine_rec_main(void *arg) {
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
            double now = vis_engine_wall_now();
            if (ended && now >= next_end_check) {
                next_end_check = now + 1.0;
                int n = vis_presence_collect(e->presence, e->now_t, e->o.visit_gap_s, 0, ended);
                if (n) {
                    pthread_mutex_unlock(&e->mu);
                    vis_engine_write_ended(e, ended, n);
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
