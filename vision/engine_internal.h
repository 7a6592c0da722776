/* engine_internal.h - the engine's state shared by its two threads' files:
 * engine.c (public functions, tracker thread) and recogniser.c (recogniser
 * thread). Private to vision/engine.c and vision/recogniser.c; not part of the API.
 */
#ifndef VIS_ENGINE_INTERNAL_H
#define VIS_ENGINE_INTERNAL_H

#include "vision/engine.h"
#include "vision/facenet.h"
#include "vision/gallery.h"
#include "vision/motion.h"
#include "vision/presence.h"
#include "vision/tracker.h"

#include <pthread.h>
#include <stdatomic.h>

#define FRAME_SLOTS 3
#define JOB_SLOTS 8
#define BEST_MAX 8

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
    double last_scan_t;           /* engine time of the last steady search (-1e9: none yet) */
    double last_full_t;           /* ... and of the last one that covered the whole frame */
    double search_tokens;         /* moving-region searches left in the budget */
    double tokens_t;              /* engine time the tokens were last topped up */
    double stats_pixels;          /* detector pixels so far (this thread's copy, for the split in stats) */

    /* recogniser thread only */
    best_t best[BEST_MAX];
    vis_verdict_t verdict;
    double last_gallery_check;
    vis_store_sig_t gallery_sig;
};

/* Wall clock, seconds since the epoch. */
double vis_engine_wall_now(void);

/* Under mu: a sighting of person (see vis_presence_seen). */
void vis_engine_seen(vis_engine_t *e, int64_t person, double t);

/* Outside mu: store the ends of visits (rec thread, or close after the join). */
void vis_engine_write_ended(vis_engine_t *e, const vis_ended_t *v, int n);

/* Recogniser thread only (or before it starts): reload the gallery when the
 * store's templates changed (force: always). */
void vis_engine_gallery_refresh(vis_engine_t *e, int force);

/* The recogniser thread's body; arg is the engine. */
void *vis_engine_rec_main(void *arg);

#endif
