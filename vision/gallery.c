/* gallery.c - templates in one contiguous array, brute-force nearest person. */
#include "vision/gallery.h"

#include "firmware/core/err.h"
#include "vision/facenet.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Search in two passes: an int8 copy of every template (a quarter of the
 * memory traffic) gives a lower bound of each distance; only templates whose
 * bound can still beat the second-best person get the exact float distance.
 * The result is exact: |coarse - exact| <= 2 * sqrt(128) * 0.5 / QSCALE. */
#define QSCALE 256.0f
#define QMAX 127
#define QERR (2.0f * 11.3138f * 0.5f / QSCALE + 1e-4f)

struct vis_gallery {
    float *desc;       /* n x 128 */
    int8_t *q;         /* n x 128, desc * QSCALE */
    unsigned char *clamped; /* n: some value did not fit int8: always exact */
    int64_t *person;   /* n */
    size_t n, cap;
};

vis_gallery_t *vis_gallery_new(void) { return calloc(1, sizeof(vis_gallery_t)); }

void vis_gallery_free(vis_gallery_t *g) {
    if (!g) return;
    free(g->desc);
    free(g->q);
    free(g->clamped);
    free(g->person);
    free(g);
}

/* int8 copy of a descriptor; returns 1 when a value had to be clamped. */
static int quantize(const float *d, int8_t *q) {
    int clamped = 0;
    for (int i = 0; i < FMT_DESC_DIM; i++) {
        float v = d[i] * QSCALE;
        long r = lrintf(v);
        if (r > QMAX || r < -QMAX) {
            clamped = 1;
            r = r > 0 ? QMAX : -QMAX;
        }
        q[i] = (int8_t)r;
    }
    return clamped;
}

int vis_gallery_add(vis_gallery_t *g, int64_t person_id, const float *desc) {
    if (!g || person_id <= 0 || !desc) return GR_ERR_INVAL;
    for (int i = 0; i < FMT_DESC_DIM; i++)
        if (!isfinite(desc[i])) return GR_ERR_INVAL;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 256;
        float *d = realloc(g->desc, cap * FMT_DESC_DIM * sizeof(float));
        if (!d) return GR_ERR_NOMEM;
        g->desc = d;
        int64_t *p = realloc(g->person, cap * sizeof(int64_t));
        if (!p) return GR_ERR_NOMEM;
        g->person = p;
        int8_t *q = realloc(g->q, cap * FMT_DESC_DIM);
        if (!q) return GR_ERR_NOMEM;
        g->q = q;
        unsigned char *c = realloc(g->clamped, cap);
        if (!c) return GR_ERR_NOMEM;
        g->clamped = c;
        g->cap = cap;
    }
    memcpy(g->desc + g->n * FMT_DESC_DIM, desc, FMT_DESC_DIM * sizeof(float));
    g->clamped[g->n] = (unsigned char)quantize(desc, g->q + g->n * FMT_DESC_DIM);
    g->person[g->n++] = person_id;
    return GR_OK;
}

void vis_gallery_remove(vis_gallery_t *g, int64_t person_id) {
    size_t o = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (g->person[i] == person_id) continue;
        if (o != i) {
            memcpy(g->desc + o * FMT_DESC_DIM, g->desc + i * FMT_DESC_DIM, FMT_DESC_DIM * sizeof(float));
            memcpy(g->q + o * FMT_DESC_DIM, g->q + i * FMT_DESC_DIM, FMT_DESC_DIM);
            g->clamped[o] = g->clamped[i];
            g->person[o] = g->person[i];
        }
        o++;
    }
    g->n = o;
}

void vis_gallery_clear(vis_gallery_t *g) { g->n = 0; }

size_t vis_gallery_templates(const vis_gallery_t *g) { return g->n; }

size_t vis_gallery_person_templates(const vis_gallery_t *g, int64_t person_id) {
    size_t c = 0;
    for (size_t i = 0; i < g->n; i++) c += g->person[i] == person_id;
    return c;
}

/* Squared distance; written so the compiler vectorises it (NEON/SSE). */
__attribute__((optimize("tree-vectorize"))) static float dist2(const float *restrict a, const float *restrict b) {
    float s[8] = {0};
    for (int i = 0; i < FMT_DESC_DIM; i += 8)
        for (int k = 0; k < 8; k++) {
            float d = a[i + k] - b[i + k];
            s[k] += d * d;
        }
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

__attribute__((optimize("tree-vectorize"))) static int32_t qdist2(const int8_t *restrict a,
                                                                    const int8_t *restrict b) {
    int32_t s = 0;
    for (int i = 0; i < FMT_DESC_DIM; i++) {
        int32_t d = (int32_t)a[i] - (int32_t)b[i];
        s += d * d;
    }
    return s;
}

/* Coarse squared distances at or above this cannot beat exact distance2 sd. */
static int64_t coarse_bound(float sd) {
    if (sd >= FLT_MAX) return INT64_MAX;
    double r = (sqrt((double)sd) + QERR) * QSCALE;
    return (int64_t)(r * r) + 1;
}

void vis_gallery_search(const vis_gallery_t *g, const float *desc, vis_match_t *m) {
    int64_t best = 0, second = 0;
    float bd = FLT_MAX, sd = FLT_MAX;
    int8_t q[FMT_DESC_DIM];
    int exact_only = quantize(desc, q);
    int64_t bound = INT64_MAX;
    for (size_t i = 0; i < g->n; i++) {
        if (!exact_only && !g->clamped[i] && qdist2(g->q + i * FMT_DESC_DIM, q) >= bound) continue;
        float d = dist2(g->desc + i * FMT_DESC_DIM, desc);
        if (d >= sd) continue;
        int64_t p = g->person[i];
        if (p == best) {
            if (d < bd) bd = d;
        } else if (d < bd) {
            second = best;
            sd = bd;
            best = p;
            bd = d;
        } else {
            second = p;
            sd = d;
        }
        bound = coarse_bound(sd);
    }
    m->person_id = best;
    m->distance = best ? sqrtf(bd) : FLT_MAX;
    m->second_id = second;
    m->second_distance = second ? sqrtf(sd) : FLT_MAX;
}

float vis_gallery_person_distance(const vis_gallery_t *g, int64_t person_id, const float *desc) {
    float bd = FLT_MAX;
    for (size_t i = 0; i < g->n; i++)
        if (g->person[i] == person_id) {
            float d = dist2(g->desc + i * FMT_DESC_DIM, desc);
            if (d < bd) bd = d;
        }
    return bd == FLT_MAX ? FLT_MAX : sqrtf(bd);
}

vis_decision_t vis_gallery_decide(const vis_match_t *m, double threshold, double margin) {
    if (m->person_id == 0 || m->distance > threshold) return VIS_MATCH_UNKNOWN;
    if (m->second_id != 0 && m->second_distance - m->distance < margin) return VIS_MATCH_AMBIGUOUS;
    return VIS_MATCH_KNOWN;
}

static int add_template(void *ud, int64_t person_id, const float *desc) {
    return vis_gallery_add(ud, person_id, desc);
}

int vis_gallery_load(vis_gallery_t *g, const vis_store_t *st) {
    vis_gallery_clear(g);
    return st->load_templates(st->ctx, add_template, g);
}

void vis_gallery_apply_distinct(const vis_store_t *st, double threshold, vis_match_t *m) {
    /* staff said the best and the second-best are different people ("not
     * this person" on a visit) and the second fits too: the face is not
     * the best's. It goes to the second, with no rival left. */
    if (!st->distinct || m->person_id <= 0 || m->second_id <= 0 || m->second_distance > (float)threshold) return;
    if (st->distinct(st->ctx, m->person_id, m->second_id) != 1) return;
    m->person_id = m->second_id;
    m->distance = m->second_distance;
    m->second_id = 0;
    m->second_distance = FLT_MAX;
}

