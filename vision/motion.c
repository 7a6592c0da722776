/* motion.c - frame differencing on a coarse grid (see motion.h). */
#include "vision/motion.h"

#include <stdlib.h>

#define MOTION_CELL 8
#define MOTION_DIFF 14   /* change of a cell's mean gray that counts */
#define MOTION_CELLS 3   /* changed cells that make motion */

struct vis_motion {
    unsigned char *prev, *cur;   /* mw x mh cell means */
    int mw, mh;
    int have_prev;
};

vis_motion_t *vis_motion_new(void) { return calloc(1, sizeof(vis_motion_t)); }

void vis_motion_free(vis_motion_t *m) {
    if (!m) return;
    free(m->prev);
    free(m->cur);
    free(m);
}

int vis_motion_detect(vis_motion_t *m, const vis_image_t *img, int r[4]) {
    int mw = img->w / MOTION_CELL, mh = img->h / MOTION_CELL;
    if (mw != m->mw || mh != m->mh || !m->cur) {
        free(m->prev);
        free(m->cur);
        m->prev = calloc((size_t)mw * (size_t)mh, 1);
        m->cur = calloc((size_t)mw * (size_t)mh, 1);
        m->mw = mw;
        m->mh = mh;
        m->have_prev = 0;
        if (!m->prev || !m->cur) return 0;
    }
    for (int cy = 0; cy < mh; cy++)
        for (int cx = 0; cx < mw; cx++) {
            unsigned sum = 0;
            for (int k = 0; k < 4; k++) {
                int x = cx * MOTION_CELL + 2 + (k & 1) * 4, y = cy * MOTION_CELL + 2 + (k >> 1) * 4;
                const unsigned char *p = img->data + (size_t)y * (size_t)img->stride + (size_t)x * 3;
                sum += (unsigned)(p[0] + 2 * p[1] + p[2]);
            }
            m->cur[cy * mw + cx] = (unsigned char)(sum / 16);
        }
    int found = 0, x0 = mw, y0 = mh, x1 = -1, y1 = -1;
    if (m->have_prev)
        for (int i = 0; i < mw * mh; i++) {
            int d = m->cur[i] - m->prev[i];
            if (d > MOTION_DIFF || d < -MOTION_DIFF) {
                int cx = i % mw, cy = i / mw;
                found++;
                if (cx < x0) x0 = cx;
                if (cx > x1) x1 = cx;
                if (cy < y0) y0 = cy;
                if (cy > y1) y1 = cy;
            }
        }
    unsigned char *t = m->prev;
    m->prev = m->cur;
    m->cur = t;
    m->have_prev = 1;
    if (found < MOTION_CELLS) return 0;
    vis_image_clip(img, (x0 - 3) * MOTION_CELL, (y0 - 3) * MOTION_CELL, (x1 + 4) * MOTION_CELL, (y1 + 4) * MOTION_CELL,
                   r);
    return 1;
}
