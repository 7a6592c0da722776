/* motion.h - where a frame differs from the one before: a grid of sampled
 * gray values (one cell per 8x8 pixels) compared with the last frame's.
 * One owner thread (the engine's tracker thread).
 */
#ifndef VIS_MOTION_H
#define VIS_MOTION_H

#include "vision/image.h"

typedef struct vis_motion vis_motion_t;

/* No frame seen yet; caller owns it: vis_motion_free. NULL without memory. */
vis_motion_t *vis_motion_new(void) __attribute__((warn_unused_result));
void vis_motion_free(vis_motion_t *m);

/* Compare img with the previous frame and remember it. Returns 1 and the
 * moving region r = {x, y, w, h} (frame pixels, with a margin) when enough
 * cells changed, else 0 (always 0 for the first frame, or after a change of
 * size). */
int vis_motion_detect(vis_motion_t *m, const vis_image_t *img, int r[4]);

#endif
