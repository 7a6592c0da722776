/* vision.h - the face pipeline as greeterd, web/ and the CLI see it.
 *
 * vis_pipeline_open starts the capture, detection and recognition threads
 * for camera.source and publishes visit events on the bus ("visit.new",
 * "visit.returning": the JSON of docs/CLI.md's `faces watch` lines plus the
 * person's label) and annotated JPEG frames into the ring for /stream.mjpg.
 *
 * vision/ never opens the database: people, templates and visits are stored
 * through the operations of vision/store.h, which the caller plugs in
 * (crm/face_store.h).
 */
#ifndef VIS_VISION_H
#define VIS_VISION_H

#include "firmware/core/bus.h"
#include "firmware/core/config.h"
#include "firmware/core/ring.h"
#include "vision/face.h"
#include "vision/store.h"

#include <stddef.h>

typedef struct vis_pipeline vis_pipeline_t;

/* Start the pipeline, storing what it sees through st (copied; st->ctx
 * stays the caller's, is used by the pipeline's recogniser thread only and
 * must outlive vis_pipeline_close). On success *out is owned by the caller:
 * vis_pipeline_close (stops and joins every thread). */
int vis_pipeline_open(const gr_config_t *cfg, const vis_store_t *st, gr_bus_t *bus, gr_ring_t *ring,
                      vis_pipeline_t **out) __attribute__((warn_unused_result));
void vis_pipeline_close(vis_pipeline_t *p);

/* 1 while the pipeline is delivering frames (for the watchdog and /healthz). */
int vis_pipeline_healthy(const vis_pipeline_t *p);

/* Face recognition outside the live pipeline (enrolment from photos, the web
 * UI's Faces page). Loads the models once; one thread at a time. */
typedef struct vis_faces vis_faces_t;

/* On success *out is owned by the caller: vis_faces_close. */
int vis_faces_open(const gr_config_t *cfg, vis_faces_t **out) __attribute__((warn_unused_result));
void vis_faces_close(vis_faces_t *f);

/* Enrol the largest face in an encoded image (JPEG/PNG bytes) into st.
 * person_id 0: when the face matches an identity st already has (a visitor
 * the camera knows as "Visitor #8"), that identity is named `label` and
 * gets the template; else a new known person named `label`. person_id set:
 * one more template of that person (renamed when label is given).
 * *out_person gets the id. Errors: GR_ERR_FORMAT (not an image),
 * GR_ERR_EMPTY (no usable face), GR_ERR_NOTFOUND (no such person),
 * GR_ERR_EXISTS (the face is a suppression entry), the store's. */
int vis_faces_enroll(vis_faces_t *f, const vis_store_t *st, long long person_id, const char *label,
                     const void *img, size_t len, long long *out_person, char *err, size_t errlen);

typedef struct {
    long long person_id;  /* the identity enrolled into */
    int matched;          /* 1: an identity the camera already knew was named */
    float distance;       /* matched: its distance */
    vis_box_t box;        /* the face in the photo */
} vis_enrolled_t;

/* vis_faces_enroll with what happened in *res. */
int vis_faces_enroll_ex(vis_faces_t *f, const vis_store_t *st, long long person_id, const char *label,
                        const void *img, size_t len, vis_enrolled_t *res, char *err, size_t errlen);

/* One face of a photo, as the camera would decide it. */
typedef struct {
    vis_box_t box;            /* in the photo's pixels */
    long long person_id;      /* the nearest identity (0: the gallery is empty) */
    char label[128];          /* its label ("" when the store gives none) */
    int known;                /* 1: recognised (within the threshold, margin to the second best met) */
    int suppressed;           /* the nearest identity is a suppression entry */
    float distance;           /* to the nearest identity */
    float margin;             /* second-best identity's distance minus distance (-1: no second) */
    float quality;            /* the face's quality score */
} vis_identified_t;

/* Every face (up to max) of an encoded photo against the identities of st.
 * Returns how many were found (0: none), or GR_ERR_FORMAT (not an image),
 * GR_ERR_TOOBIG, the store's errors, with err. Nothing is stored. */
int vis_faces_identify(vis_faces_t *f, const vis_store_t *st, const void *img, size_t len, vis_identified_t *out,
                       int max, char *err, size_t errlen);

/* `greeter faces ...`; argv[0] is "faces". `enroll` and `watch` open their
 * database (--db FILE, or the default) through stores. Returns a process
 * exit code. */
int vis_cli_faces(const gr_config_t *cfg, const vis_store_opener_t *stores, int argc, char **argv);

#endif
