/* motion.h - where a frame differs from the one before: a grid of sampled
 * gray values (one cell per 8x8 pixels) compared with the last frame's
 * after a global brightness change is taken out (exposure, lights).
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
 * cells changed, else 0 (always 0 for the first frame, after a change of
 * size, and when more than half the cells changed: a shake or a lighting
 * change of the whole picture, which is not someone arriving). */
int vis_motion_detect(vis_motion_t *m, const vis_image_t *img, int r[4]);

/* Since the last vis_motion_rebase, for the frame last given to
 * vis_motion_detect: how many cells changed (brightness change taken out),
 * not counting cells inside the n_excl rectangles {x, y, w, h}, and r = the
 * region around them. -1 when there is no reference yet (nothing was
 * searched: search everything), 0 when fewer than a few cells changed. The
 * steady search uses it: a part of the picture that has not changed since
 * it was searched holds no face that search did not see. */
int vis_motion_changed(vis_motion_t *m, const vis_image_t *img, const int (*excl)[4], int n_excl, int r[4]);

/* The changed cells of the last vis_motion_detect or vis_motion_changed as
 * separate regions (cells within 3 cells of each other form one region,
 * with a margin around it), at most max, each of at least a few cells.
 * Returns how many. Searching each is cheaper than searching the box
 * around all of them when a screen and a passer-by move at opposite ends
 * of the picture. Call it once after each of those. */
int vis_motion_regions(vis_motion_t *m, const vis_image_t *img, int (*r)[4], int max);

/* Cells in the grid (the frame's size / 8 squared). */
int vis_motion_cells(const vis_motion_t *m);

/* The frame last given to vis_motion_detect was searched: it becomes the
 * reference of vis_motion_changed. */
void vis_motion_rebase(vis_motion_t *m);

#endif
