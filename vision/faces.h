/* faces.h - helpers behind vis_faces_* (vision.h) shared with the CLI. */
#ifndef VIS_FACES_H
#define VIS_FACES_H

#include "vision/face.h"
#include "vision/facenet.h"
#include "vision/image.h"
#include "vision/vision.h"

/* Faces of a decoded image, largest first (as_chip: the image is an aligned
 * face chip, described as a whole). Returns the count (<= max) or GR_ERR_*. */
int vis_faces_describe(vis_faces_t *f, const vis_image_t *img, int as_chip, vis_box_t *boxes, float *desc,
                       vis_quality_t *q, int max);

#endif
