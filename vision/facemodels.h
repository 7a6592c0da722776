/* facemodels.h - the face models as one set (landmarks and the face
 * network, paths from the models manifest), and every face of a still
 * image: used by the engine, enrolment (faces.c) and the CLI. */
#ifndef VIS_FACEMODELS_H
#define VIS_FACEMODELS_H

#include "vision/face.h"
#include "vision/facenet.h"
#include "vision/image.h"

#include <stddef.h>

/* Load the landmark model and the face network found in models_dir's
 * manifest. On success *fm and *net are owned by the caller
 * (vis_facemod_close, vis_net_close); on failure both are NULL and a message
 * naming the model goes into err. */
int vis_facemodels_open(const char *models_dir, vis_facemod_t **fm, vis_net_t **net, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Every face in img, largest first: box, landmarks-aligned descriptor
 * (FMT_DESC_DIM floats each, into desc) and quality, all caller's memory
 * for max faces. upsample as vis_face_detect. Returns the number found
 * (<= max) or a GR_ERR_* code. */
int vis_facemodels_find(vis_facemod_t *fm, vis_net_t *net, const vis_image_t *img, int upsample, vis_box_t *boxes,
                        float *desc, vis_quality_t *q, int max);

#endif
