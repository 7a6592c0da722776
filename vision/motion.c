/* motion.c - frame differencing on a coarse grid (see motion.h). */
#include "vision/motion.h"

#include <stdlib.h>
#include <string.h>

#define MOTION_CELL 8
#define MOTION_DIFF 14   /* change of a cell's mean gray that counts */
#define MOTION_CELLS 3   /* changed cells that make motion */
#define BLOB_JOIN 3      /* changed cells this close (in cells) belong to one region */

struct vis_motion {
    unsigned char *prev, *cur;   /* mw x mh cell means */
    unsigned char *ref;          /* the cells when the frame was last searched (vis_motion_rebase) */
    unsigned char *mask;         /* changed cells of the last comparison (1), visited (2) */
    int *queue;                  /* cells waiting in the blob walk */
    int mw, mh;
    int have_prev, have_ref;
};

/* Cells of cur that differ from those of old, a change of the whole
 * picture's brightness (auto-exposure, a light switched, mains flicker)
 * taken out: old is scaled by the ratio of the two grids' means first.
 * Cells whose centre lies in one of the n excluded rectangles (pixels) do
 * not count. Returns the count and their bounding cells. */
static int changed_cells(const unsigned char *cur, const unsigned char *old, int mw, int mh, const int (*excl)[4], int n_excl,
                         unsigned char *mask, int *x0, int *y0, int *x1, int *y1) {
    memset(mask, 0, (size_t)mw * (size_t)mh);
    unsigned long long sc = 0, so = 0;
    int n = mw * mh;
    for (int i = 0; i < n; i++) {
        sc += cur[i];
        so += old[i];
    }
    int gain256 = so ? (int)((sc * 256 + so / 2) / so) : 256;
    int found = 0;
    for (int i = 0; i < n; i++) {
        int d = cur[i] - ((old[i] * gain256 + 128) >> 8);
        if (d <= MOTION_DIFF && d >= -MOTION_DIFF) continue;
        int cx = i % mw, cy = i / mw, px = cx * MOTION_CELL + MOTION_CELL / 2, py = cy * MOTION_CELL + MOTION_CELL / 2, skip = 0;
        for (int k = 0; k < n_excl && !skip; k++)
            skip = px >= excl[k][0] && px < excl[k][0] + excl[k][2] && py >= excl[k][1] && py < excl[k][1] + excl[k][3];
        if (skip) continue;
        found++;
        mask[i] = 1;
        if (cx < *x0) *x0 = cx;
        if (cx > *x1) *x1 = cx;
        if (cy < *y0) *y0 = cy;
        if (cy > *y1) *y1 = cy;
    }
    return found;
}

vis_motion_t *vis_motion_new(void) { return calloc(1, sizeof(vis_motion_t)); }

void vis_motion_free(vis_motion_t *m) {
    if (!m) return;
    free(m->prev);
    free(m->cur);
    free(m->ref);
    free(m->mask);
    free(m->queue);
    free(m);
}

int vis_motion_detect(vis_motion_t *m, const vis_image_t *img, int r[4]) {
    int mw = img->w / MOTION_CELL, mh = img->h / MOTION_CELL;
    if (mw != m->mw || mh != m->mh || !m->cur) {
        free(m->prev);
        free(m->cur);
        free(m->ref);
        free(m->mask);
        free(m->queue);
        m->mask = calloc((size_t)mw * (size_t)mh, 1);
        m->queue = calloc((size_t)mw * (size_t)mh, sizeof(int));
        m->prev = calloc((size_t)mw * (size_t)mh, 1);
        m->cur = calloc((size_t)mw * (size_t)mh, 1);
        m->ref = calloc((size_t)mw * (size_t)mh, 1);
        m->mw = mw;
        m->mh = mh;
        m->have_prev = 0;
        m->have_ref = 0;
        if (!m->prev || !m->cur || !m->ref || !m->mask || !m->queue) {
            free(m->prev);
            free(m->cur);
            free(m->ref);
            free(m->mask);
            free(m->queue);
            m->prev = m->cur = m->ref = m->mask = NULL;
            m->queue = NULL;
            m->mw = m->mh = 0;
            return 0;
        }
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
    int n = mw * mh;
    int found = 0, x0 = mw, y0 = mh, x1 = -1, y1 = -1;
    if (m->have_prev) found = changed_cells(m->cur, m->prev, mw, mh, NULL, 0, m->mask, &x0, &y0, &x1, &y1);
    else memset(m->mask, 0, (size_t)n);
    unsigned char *t = m->prev;
    m->prev = m->cur;
    m->cur = t;
    m->have_prev = 1;
    if (found < MOTION_CELLS) return 0;
    /* most of the picture changed at once: the camera shook or the light
     * changed unevenly; the steady whole-frame search covers that */
    if (found * 2 > n) return 0;
    vis_image_clip(img, (x0 - 3) * MOTION_CELL, (y0 - 3) * MOTION_CELL, (x1 + 4) * MOTION_CELL, (y1 + 4) * MOTION_CELL,
                   r);
    return 1;
}

int vis_motion_changed(vis_motion_t *m, const vis_image_t *img, const int (*excl)[4], int n_excl, int r[4]) {
    if (!m->have_prev || m->mw != img->w / MOTION_CELL || m->mh != img->h / MOTION_CELL) return -1;
    if (!m->have_ref) return -1;
    int x0 = m->mw, y0 = m->mh, x1 = -1, y1 = -1;
    /* after vis_motion_detect the newest frame's cells are in prev */
    int found = changed_cells(m->prev, m->ref, m->mw, m->mh, excl, n_excl, m->mask, &x0, &y0, &x1, &y1);
    if (found < MOTION_CELLS) return 0;
    vis_image_clip(img, (x0 - 3) * MOTION_CELL, (y0 - 3) * MOTION_CELL, (x1 + 4) * MOTION_CELL, (y1 + 4) * MOTION_CELL,
                   r);
    return found;
}

int vis_motion_cells(const vis_motion_t *m) { return m->mw * m->mh; }

void vis_motion_rebase(vis_motion_t *m) {
    if (!m->have_prev || !m->ref) return;
    memcpy(m->ref, m->prev, (size_t)m->mw * (size_t)m->mh);
    m->have_ref = 1;
}

int vis_motion_regions(vis_motion_t *m, const vis_image_t *img, int (*r)[4], int max) {
    int mw = m->mw, mh = m->mh, n = 0;
    if (!m->mask || mw != img->w / MOTION_CELL || mh != img->h / MOTION_CELL) return 0;
    for (int start = 0; start < mw * mh; start++) {
        if (m->mask[start] != 1) continue;
        /* one blob: changed cells within BLOB_JOIN cells of each other */
        int qh = 0, qt = 0, x0 = mw, y0 = mh, x1 = -1, y1 = -1, cells = 0;
        m->queue[qt++] = start;
        m->mask[start] = 2;
        while (qh < qt) {
            int c = m->queue[qh++], cx = c % mw, cy = c / mw;
            cells++;
            if (cx < x0) x0 = cx;
            if (cx > x1) x1 = cx;
            if (cy < y0) y0 = cy;
            if (cy > y1) y1 = cy;
            for (int dy = -BLOB_JOIN; dy <= BLOB_JOIN; dy++)
                for (int dx = -BLOB_JOIN; dx <= BLOB_JOIN; dx++) {
                    int nx = cx + dx, ny = cy + dy;
                    if (nx < 0 || ny < 0 || nx >= mw || ny >= mh) continue;
                    int k = ny * mw + nx;
                    if (m->mask[k] != 1) continue;
                    m->mask[k] = 2;
                    m->queue[qt++] = k;
                }
        }
        if (cells < MOTION_CELLS || n >= max) continue;
        vis_image_clip(img, (x0 - 3) * MOTION_CELL, (y0 - 3) * MOTION_CELL, (x1 + 4) * MOTION_CELL, (y1 + 4) * MOTION_CELL,
                       r[n]);
        n++;
    }
    return n;
}
