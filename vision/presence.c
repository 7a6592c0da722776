/* presence.c - people in view and the ends of their visits (see presence.h). */
#include "vision/presence.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    int64_t person;
    double t;         /* engine time of the last sighting */
    double wall;      /* wall clock (s) of the last sighting */
    int64_t visit_id; /* the visit going on, 0 when none is open */
} seen_t;

struct vis_presence {
    seen_t seen[VIS_PRESENCE_MAX];
    vis_ended_t ended[VIS_PRESENCE_MAX]; /* ended visits not yet collected */
    int n_ended;
};

vis_presence_t *vis_presence_new(void) { return calloc(1, sizeof(vis_presence_t)); }

void vis_presence_free(vis_presence_t *p) { free(p); }

/* Queue the end of the visit open in slot i. */
static void end_slot(vis_presence_t *p, int i) {
    if (!p->seen[i].visit_id) return;
    if (p->n_ended < VIS_PRESENCE_MAX) {
        p->ended[p->n_ended].visit_id = p->seen[i].visit_id;
        p->ended[p->n_ended++].wall = p->seen[i].wall;
    }
    p->seen[i].visit_id = 0;
}

void vis_presence_seen(vis_presence_t *p, int64_t person, double t, double wall, int64_t visit_id) {
    int oldest = 0;
    for (int i = 0; i < VIS_PRESENCE_MAX; i++) {
        seen_t *s = &p->seen[i];
        if (s->person == person) {
            if (visit_id && s->visit_id != visit_id) {
                end_slot(p, i);
                s->visit_id = visit_id;
            }
            if (t > s->t) s->t = t;
            s->wall = wall;
            return;
        }
        if (s->t < p->seen[oldest].t) oldest = i;
    }
    end_slot(p, oldest);
    p->seen[oldest] = (seen_t){person, t, wall, visit_id};
}

double vis_presence_last(const vis_presence_t *p, int64_t person) {
    for (int i = 0; i < VIS_PRESENCE_MAX; i++)
        if (p->seen[i].person == person) return p->seen[i].t;
    return -1e18;
}

int vis_presence_collect(vis_presence_t *p, double now_t, double gap_s, int all, vis_ended_t *out) {
    for (int i = 0; i < VIS_PRESENCE_MAX; i++)
        if (p->seen[i].visit_id && (all || now_t - p->seen[i].t > gap_s)) end_slot(p, i);
    int n = p->n_ended;
    memcpy(out, p->ended, (size_t)n * sizeof *out);
    p->n_ended = 0;
    return n;
}
