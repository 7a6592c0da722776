/* fields_layout.c - where the lines sit on the card, for the field parser:
 * the reading order the lines are sorted into (rows top to bottom, left
 * first within a row) and the line right above or below another one in the
 * same column (the title under the name, street lines above a city line).
 * Lines without boxes (text input) fall back to their order in the text. */
#include "ocr/fields_internal.h"

#include <stdlib.h>

static int overlap_x(const fld_line_t *a, const fld_line_t *b) {
    if (!a->w || !b->w) return 1;
    int l = a->x > b->x ? a->x : b->x;
    int r = (a->x + a->w) < (b->x + b->w) ? (a->x + a->w) : (b->x + b->w);
    return r > l;
}

/* The nearest line in the same column below (dir 1) or above (dir -1)
 * line i, within three line heights, skipping junk; -1 when none. */
static int neighbour(const fld_state_t *p, int i, int dir) {
    const fld_line_t *a = &p->l[i];
    int best = -1, bestdy = 1 << 30;
    for (size_t j = 0; j < p->n; j++) {
        const fld_line_t *b = &p->l[j];
        if ((int)j == i || b->kind == FLD_JUNK) continue;
        if (a->h == 0) { /* no boxes: text order */
            if ((int)j == i + dir) return (int)j;
            continue;
        }
        int dy = dir > 0 ? b->y - (a->y + a->h) : a->y - (b->y + b->h);
        int wrong_side = dir > 0 ? b->y <= a->y : b->y >= a->y;
        if (wrong_side || dy > 3 * (a->h > b->h ? a->h : b->h) || !overlap_x(a, b)) continue;
        if (dy < bestdy) {
            bestdy = dy;
            best = (int)j;
        }
    }
    return best;
}

int ocr_fld_below(const fld_state_t *p, int i) { return neighbour(p, i, 1); }

int ocr_fld_above(const fld_state_t *p, int i) { return neighbour(p, i, -1); }

int ocr_fld_cmp_y(const void *a, const void *b) {
    const fld_line_t *x = a, *y = b;
    if (x->h == 0 || y->h == 0) return 0;
    /* same row: left first */
    if (abs(x->y - y->y) < (x->h < y->h ? x->h : y->h) / 2) return x->x - y->x;
    return x->y - y->y;
}
