/* tracker.c - IoU tracking and per-track identity votes. */
#include "vision/tracker.h"

#include "firmware/core/err.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    vis_track_t pub;
    int n;                                   /* samples stored */
    float desc[VIS_TRACK_MAX_SAMPLES][FMT_DESC_DIM];
    float quality[VIS_TRACK_MAX_SAMPLES];
    int64_t person[VIS_TRACK_MAX_SAMPLES];   /* KNOWN vote, 0 unknown, -1 ambiguous */
    float dist[VIS_TRACK_MAX_SAMPLES];
    char partial[VIS_TRACK_MAX_SAMPLES];     /* face partly outside the frame */
} track_t;

struct vis_tracker {
    vis_tracker_opts_t o;
    track_t *t;
    int n, cap;
    int next_id;
};

vis_tracker_t *vis_tracker_new(const vis_tracker_opts_t *o) {
    vis_tracker_t *tr = calloc(1, sizeof *tr);
    if (!tr) return NULL;
    tr->o = *o;
    if (tr->o.samples < 1) tr->o.samples = 1;
    if (tr->o.samples > VIS_TRACK_MAX_SAMPLES) tr->o.samples = VIS_TRACK_MAX_SAMPLES;
    if (tr->o.max_samples < tr->o.samples) tr->o.max_samples = tr->o.samples;
    if (tr->o.max_samples > VIS_TRACK_MAX_SAMPLES) tr->o.max_samples = VIS_TRACK_MAX_SAMPLES;
    tr->next_id = 1;
    return tr;
}

void vis_tracker_free(vis_tracker_t *tr) {
    if (!tr) return;
    free(tr->t);
    free(tr);
}

double vis_box_iou(const vis_box_t *a, const vis_box_t *b) {
    float x0 = a->x > b->x ? a->x : b->x, y0 = a->y > b->y ? a->y : b->y;
    float x1 = a->x + a->w < b->x + b->w ? a->x + a->w : b->x + b->w;
    float y1 = a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h;
    if (x1 <= x0 || y1 <= y0) return 0;
    double in = (double)(x1 - x0) * (y1 - y0);
    double un = (double)a->w * a->h + (double)b->w * b->h - in;
    return un > 0 ? in / un : 0;
}

static track_t *find(const vis_tracker_t *tr, int id) {
    for (int i = 0; i < tr->n; i++)
        if (tr->t[i].pub.id == id) return &tr->t[i];
    return NULL;
}

int vis_tracker_update(vis_tracker_t *tr, const vis_box_t *dets, int n, double t, int *track_ids) {
    if (n <= 0) return GR_OK;
    char *used = calloc((size_t)tr->n + 1, 1);
    if (!used) return GR_ERR_NOMEM;
    for (int i = 0; i < n; i++) track_ids[i] = 0;
    /* greedy: repeatedly take the best remaining (detection, track) pair */
    for (;;) {
        double best = tr->o.iou_min;
        int bi = -1, bj = -1;
        for (int i = 0; i < n; i++) {
            if (track_ids[i]) continue;
            for (int j = 0; j < tr->n; j++) {
                if (used[j]) continue;
                double iou = vis_box_iou(&dets[i], &tr->t[j].pub.box);
                if (iou >= best) {
                    best = iou;
                    bi = i;
                    bj = j;
                }
            }
        }
        if (bi < 0) break;
        used[bj] = 1;
        track_t *k = &tr->t[bj];
        k->pub.box = dets[bi];
        k->pub.last_t = t;
        k->pub.hits++;
        track_ids[bi] = k->pub.id;
    }
    free(used);
    for (int i = 0; i < n; i++) {
        if (track_ids[i]) continue;
        if (tr->n == tr->cap) {
            int cap = tr->cap ? tr->cap * 2 : 8;
            track_t *nt = realloc(tr->t, (size_t)cap * sizeof *nt);
            if (!nt) return GR_ERR_NOMEM;
            tr->t = nt;
            tr->cap = cap;
        }
        track_t *k = &tr->t[tr->n++];
        memset(k, 0, sizeof *k);
        k->pub.id = tr->next_id++;
        k->pub.box = dets[i];
        k->pub.first_t = k->pub.last_t = t;
        k->pub.hits = 1;
        k->pub.state = VIS_TRACK_PENDING;
        track_ids[i] = k->pub.id;
    }
    return GR_OK;
}

int vis_tracker_expire(vis_tracker_t *tr, double t) {
    int o = 0, dropped = 0;
    for (int i = 0; i < tr->n; i++) {
        /* a track waiting for recognition results stays until they arrive */
        double age = t - tr->t[i].pub.last_t;
        if (age > tr->o.max_age_s && (tr->t[i].pub.pending == 0 || age > tr->o.max_age_s + 30)) {
            dropped++;
            continue;
        }
        if (o != i) tr->t[o] = tr->t[i];
        o++;
    }
    tr->n = o;
    return dropped;
}

int vis_tracker_count(const vis_tracker_t *tr) { return tr->n; }
const vis_track_t *vis_tracker_at(const vis_tracker_t *tr, int i) {
    return i >= 0 && i < tr->n ? &tr->t[i].pub : NULL;
}
const vis_track_t *vis_tracker_get(const vis_tracker_t *tr, int id) {
    track_t *k = find(tr, id);
    return k ? &k->pub : NULL;
}

int vis_tracker_wants_sample(const vis_tracker_t *tr, int id) {
    const track_t *k = find(tr, id);
    if (!k || k->pub.state != VIS_TRACK_PENDING) return 0;
    /* at most `samples` in flight */
    if (k->pub.pending >= tr->o.samples) return 0;
    return k->n + k->pub.pending < tr->o.max_samples;
}

void vis_tracker_sample_sent(vis_tracker_t *tr, int id, int delta) {
    track_t *k = find(tr, id);
    if (k) {
        k->pub.pending += delta;
        if (k->pub.pending < 0) k->pub.pending = 0;
    }
}

int vis_tracker_wants_verify(vis_tracker_t *tr, int id, double t, double period_s) {
    track_t *k = find(tr, id);
    if (!k || (k->pub.state != VIS_TRACK_KNOWN && k->pub.state != VIS_TRACK_NEW) || k->pub.person_id <= 0 ||
        k->pub.pending > 0)
        return 0;
    if (k->pub.verify_t == 0) k->pub.verify_t = t; /* first check one period after the verdict */
    if (t - k->pub.verify_t < period_s) return 0;
    k->pub.verify_t = t;
    return 1;
}

int vis_tracker_verify_result(vis_tracker_t *tr, int id, int match) {
    track_t *k = find(tr, id);
    if (!k) return 0;
    if (k->pub.pending > 0) k->pub.pending--;
    if (match) {
        k->pub.mismatches = 0;
        return 0;
    }
    if (++k->pub.mismatches < 2) return 0;
    k->n = 0;
    k->pub.samples = 0;
    k->pub.state = VIS_TRACK_PENDING;
    k->pub.person_id = 0;
    k->pub.mismatches = 0;
    k->pub.verify_t = 0;
    return 1;
}

void vis_tracker_set_person(vis_tracker_t *tr, int id, int64_t person_id) {
    track_t *k = find(tr, id);
    if (k) k->pub.person_id = person_id;
}

static int verdict(vis_tracker_t *tr, track_t *k, vis_verdict_t *v) {
    const int need = tr->o.samples;
    v->state = VIS_TRACK_PENDING;
    v->person_id = 0;
    v->distance = 0;
    v->n_desc = 0;
    /* KNOWN: one person with `need` votes */
    int best_votes = 0;
    int64_t best_p = 0;
    for (int i = 0; i < k->n; i++) {
        if (k->person[i] <= 0) continue;
        int votes = 0;
        for (int j = 0; j < k->n; j++) votes += k->person[j] == k->person[i];
        if (votes > best_votes) {
            best_votes = votes;
            best_p = k->person[i];
        }
    }
    /* a new person needs at least one whole face among the agreeing
     * samples: half-visible faces alone must not make one */
    int unknown = 0, strong_unknown = 0, strong_known = 0;
    for (int i = 0; i < k->n; i++) {
        if (k->person[i] == 0) {
            unknown++;
            if (k->dist[i] > tr->o.threshold + VIS_TRACK_CLEAR) strong_unknown++;
        }
        if (best_p && k->person[i] == best_p && k->dist[i] < tr->o.threshold - VIS_TRACK_CLEAR) strong_known++;
    }
    /* an early verdict when every sample so far is clear-cut */
    int early = need > 2 && k->n == 2;
    int exhausted = k->n >= tr->o.max_samples;
    if (best_votes >= need || (early && strong_known == 2) || (exhausted && best_p && best_votes > unknown)) {
        v->state = VIS_TRACK_KNOWN;
        v->person_id = best_p;
        v->distance = 1e9f;
        for (int i = 0; i < k->n; i++)
            if (k->person[i] == best_p && k->dist[i] < v->distance) v->distance = k->dist[i];
        /* the best sample as a possible extra template */
        v->n_desc = 0;
        float bq = -1;
        for (int i = 0; i < k->n; i++)
            if (k->person[i] == best_p && k->quality[i] > bq) {
                bq = k->quality[i];
                memcpy(v->desc[0], k->desc[i], sizeof v->desc[0]);
                v->quality[0] = k->quality[i];
                v->weak[0] = k->partial[i];
                v->n_desc = 1;
            }
        return 1;
    }
    int early_new = early && strong_unknown == 2;
    if (unknown >= need || early_new || (exhausted && unknown >= 2 && unknown > best_votes)) {
        /* the unknown samples must agree: all within the threshold of their medoid */
        int medoid = -1;
        float mbest = 1e9f;
        for (int i = 0; i < k->n; i++) {
            if (k->person[i] != 0) continue;
            float worst = 0;
            for (int j = 0; j < k->n; j++)
                if (k->person[j] == 0) {
                    float d = vis_desc_distance(k->desc[i], k->desc[j]);
                    if (d > worst) worst = d;
                }
            if (worst < mbest) {
                mbest = worst;
                medoid = i;
            }
        }
        int agree = 0, whole = 0;
        for (int j = 0; j < k->n; j++)
            if (k->person[j] == 0 && vis_desc_distance(k->desc[medoid], k->desc[j]) <= tr->o.threshold) {
                memcpy(v->desc[agree], k->desc[j], sizeof v->desc[0]);
                v->quality[agree] = k->partial[j] ? k->quality[j] * 0.5f : k->quality[j];
                v->weak[agree] = k->partial[j];
                agree++;
                whole += !k->partial[j];
            }
        if (whole && (agree >= need || (early_new && agree == 2) || (exhausted && agree >= 2))) {
            v->state = VIS_TRACK_NEW;
            v->n_desc = agree;
            v->distance = 0;
            return 1;
        }
    }
    if (exhausted) k->pub.state = VIS_TRACK_FAILED;
    return 0;
}

int vis_tracker_add_sample(vis_tracker_t *tr, int id, const float *desc, const vis_match_t *m, float quality,
                           int partial, vis_verdict_t *v) {
    track_t *k = find(tr, id);
    if (!k) return GR_ERR_NOTFOUND;
    if (k->pub.pending > 0) k->pub.pending--;
    if (k->pub.state != VIS_TRACK_PENDING || k->n >= VIS_TRACK_MAX_SAMPLES) return 0;
    int i = k->n++;
    k->pub.samples = k->n;
    memcpy(k->desc[i], desc, sizeof k->desc[i]);
    k->quality[i] = quality;
    vis_decision_t d = vis_gallery_decide(m, tr->o.threshold, tr->o.margin);
    k->person[i] = d == VIS_MATCH_KNOWN ? m->person_id : d == VIS_MATCH_UNKNOWN ? 0 : -1;
    k->dist[i] = m->distance;
    k->partial[i] = partial ? 1 : 0;
    if (!verdict(tr, k, v)) return 0;
    k->pub.state = v->state;
    if (v->state == VIS_TRACK_KNOWN) k->pub.person_id = v->person_id;
    return 1;
}
