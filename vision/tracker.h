/* tracker.h - faces followed across frames, and the per-track identity vote.
 *
 * Detections are associated to tracks by box overlap (IoU, greedy best
 * first); a track not seen for max_age_s is dropped. Each track collects
 * recognition samples until a verdict: the same known person `samples`
 * times (KNOWN), or `samples` unknown samples that agree with each other
 * (NEW). Pure logic without images or threads, so it is tested on synthetic
 * tracks. Not thread-safe: the caller locks.
 */
#ifndef VIS_TRACKER_H
#define VIS_TRACKER_H

#include "vision/face.h"
#include "vision/facenet.h"
#include "vision/gallery.h"

#include <stdint.h>

#define VIS_TRACK_MAX_SAMPLES 16
#define VIS_TRACK_CLEAR 0.1f  /* margin from the threshold that makes a sample clear-cut */

typedef struct vis_tracker vis_tracker_t;

typedef struct {
    double iou_min;       /* smallest overlap that continues a track (0.2) */
    double max_age_s;     /* drop a track unseen this long (0.7 s) */
    int samples;          /* agreeing samples for a verdict (vision.samples) */
    int max_samples;      /* give up after this many without a verdict */
    double threshold;     /* vision.match_threshold */
    double margin;        /* vision.match_margin */
} vis_tracker_opts_t;

typedef enum { VIS_TRACK_PENDING = 0, VIS_TRACK_KNOWN, VIS_TRACK_NEW, VIS_TRACK_FAILED } vis_track_state_t;

typedef struct {
    int id;
    vis_box_t box;        /* last detected box */
    double first_t, last_t;
    int hits;             /* frames with a detection */
    vis_track_state_t state;
    int64_t person_id;    /* KNOWN: the person; NEW: set by the caller after it stored the person */
    int samples, pending; /* samples received, samples in flight */
    double verify_t;      /* last identity re-check of a decided track */
    int mismatches;       /* re-checks in a row that did not fit the person */
} vis_track_t;

typedef struct {
    vis_track_state_t state;   /* KNOWN or NEW */
    int64_t person_id;         /* KNOWN */
    float distance;            /* KNOWN: smallest distance among the agreeing samples */
    int n_desc;                /* NEW: descriptors agreeing (<= VIS_TRACK_MAX_SAMPLES) */
    float desc[VIS_TRACK_MAX_SAMPLES][FMT_DESC_DIM];
    float quality[VIS_TRACK_MAX_SAMPLES];
    char weak[VIS_TRACK_MAX_SAMPLES];  /* desc[i] came from a partial or small face: never a template */
} vis_verdict_t;

vis_tracker_t *vis_tracker_new(const vis_tracker_opts_t *o) __attribute__((warn_unused_result));
void vis_tracker_free(vis_tracker_t *tr);

/* Associate n detections at time t; track_ids[i] (caller's, n ints) gets the
 * track of detection i (new tracks are created for the rest). Returns
 * GR_OK or GR_ERR_NOMEM. */
int vis_tracker_update(vis_tracker_t *tr, const vis_box_t *dets, int n, double t, int *track_ids);

/* Drop tracks unseen since t - max_age_s (kept while samples are in flight,
 * so their verdict still comes). Returns how many were dropped. */
int vis_tracker_expire(vis_tracker_t *tr, double t);

/* Number of live tracks, and a copy of the i-th (0 <= i < count). */
int vis_tracker_count(const vis_tracker_t *tr);
const vis_track_t *vis_tracker_at(const vis_tracker_t *tr, int i);
/* The track with this id, or NULL when it was dropped. */
const vis_track_t *vis_tracker_get(const vis_tracker_t *tr, int id);

/* 1 when the track still needs samples (pending and not enough in flight). */
int vis_tracker_wants_sample(const vis_tracker_t *tr, int id);
/* A sample was sent off for recognition (or, with delta -1, dropped). */
void vis_tracker_sample_sent(vis_tracker_t *tr, int id, int delta);

/* A recognition result for a track. partial: the face was partly outside
 * the frame (a new person needs at least one whole-face sample). Returns 1 and fills *v when this sample completes a verdict, 0 when
 * more samples are needed, GR_ERR_NOTFOUND if the track is gone.
 * Verdicts: `samples` votes for one known person, or `samples` agreeing
 * unknown whole-face samples; or early after two samples that are both
 * clear (distance below threshold - VIS_TRACK_CLEAR for the same person,
 * or above threshold + VIS_TRACK_CLEAR for nobody). */
int vis_tracker_add_sample(vis_tracker_t *tr, int id, const float *desc, const vis_match_t *m, float quality,
                           int partial, vis_verdict_t *v);

/* A decided track's identity is re-checked every period_s (a new face that
 * stepped into an old track's place must not inherit its identity).
 * Returns 1 when a check is due now (and marks it as sent). */
int vis_tracker_wants_verify(vis_tracker_t *tr, int id, double t, double period_s);

/* Result of a re-check: match 1 if the face still fits the track's person.
 * Two misfits in a row put the track back to PENDING (samples cleared, a new
 * verdict follows); returns 1 then, else 0. */
int vis_tracker_verify_result(vis_tracker_t *tr, int id, int match);

/* After a NEW verdict the caller stores the person and tells the track. */
void vis_tracker_set_person(vis_tracker_t *tr, int id, int64_t person_id);

/* Intersection over union of two boxes. */
double vis_box_iou(const vis_box_t *a, const vis_box_t *b);

#endif
