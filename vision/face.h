/* face.h - face detection (dlib HOG), 68-point landmarks (dlib shape
 * predictor), alignment to 150x150 chips and chip quality. C interface to
 * face.cpp.
 *
 * Images are 8-bit, row-major with a stride in bytes: gray (1 byte per
 * pixel) for detection and landmarks, BGR (3 bytes) for chips.
 */
#ifndef VIS_FACE_H
#define VIS_FACE_H

#include <stddef.h>

#define VIS_LANDMARKS 68

typedef struct {
    float x, y, w, h;   /* pixels of the image it was found in */
    float score;        /* detector confidence (> 0 above threshold) */
} vis_box_t;

typedef struct {
    float size;         /* face box width in pixels of the full frame */
    float sharpness;    /* variance of the Laplacian of the chip's gray values */
    float yaw;          /* 0 frontal .. 1 profile, from the landmarks */
    float score;        /* combined 0..1, higher is better (for templates) */
} vis_quality_t;

typedef struct vis_facemod vis_facemod_t;

/* Load the shape predictor (models "shape_predictor_68"); the HOG detector is
 * compiled in. Not shared between threads: open one per thread.
 * Errors: GR_ERR_NOTFOUND, GR_ERR_FORMAT, GR_ERR_NOMEM (message in err).
 * On success *out is owned by the caller: vis_facemod_close. */
int vis_facemod_open(const char *shape_path, vis_facemod_t **out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void vis_facemod_close(vis_facemod_t *m);

/* Faces in a gray image, best first, at most max into boxes (caller's).
 * upsample: 0 (faces >= ~80 px) or 1 (>= ~40 px, four times slower).
 * Returns the number found (>= 0) or GR_ERR_INVAL/GR_ERR_NOMEM. */
int vis_face_detect(vis_facemod_t *m, const unsigned char *gray, int w, int h, int stride, int upsample,
                    vis_box_t *boxes, int max);

/* 68 landmarks (x0,y0,x1,y1,...) of the face in box, in image pixels. */
int vis_face_landmarks(vis_facemod_t *m, const unsigned char *gray, int w, int h, int stride,
                       const vis_box_t *box, float pts[2 * VIS_LANDMARKS]);

/* The aligned 150x150 RGB chip of a face (dlib get_face_chip_details(shape,
 * 150, 0.25)) from a BGR image, into chip (150*150*3 bytes, caller's). */
int vis_face_chip(const unsigned char *bgr, int w, int h, int stride, const float pts[2 * VIS_LANDMARKS],
                  unsigned char *chip);

/* Quality of a face: box width in frame pixels, landmarks, its chip. */
void vis_face_quality(float box_w, const float pts[2 * VIS_LANDMARKS], const unsigned char *chip,
                      vis_quality_t *q);

#endif
