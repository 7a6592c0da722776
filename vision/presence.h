/* presence.h - who is in view, and when their visits end.
 *
 * The engine tells it every sighting of a person (and the visit a verdict
 * opened); a person not seen for the visit gap has left, and their visit's
 * end waits in a queue until the recogniser thread stores it. Remembers the
 * VIS_PRESENCE_MAX people seen last. Pure logic without threads: the caller
 * locks.
 */
#ifndef VIS_PRESENCE_H
#define VIS_PRESENCE_H

#include <stdint.h>

#define VIS_PRESENCE_MAX 64

typedef struct vis_presence vis_presence_t;

/* A visit that has ended: its id and the wall-clock time (seconds since the
 * epoch) of its person's last sighting. */
typedef struct {
    int64_t visit_id;
    double wall;
} vis_ended_t;

/* Nobody in view; caller owns it: vis_presence_free. NULL without memory. */
vis_presence_t *vis_presence_new(void) __attribute__((warn_unused_result));
void vis_presence_free(vis_presence_t *p);

/* person was seen at engine time t (wall clock wall). visit_id > 0: the
 * person's new visit (their open one, if another, ends first). When every
 * slot is taken the person seen longest ago is forgotten (their visit ends). */
void vis_presence_seen(vis_presence_t *p, int64_t person, double t, double wall, int64_t visit_id);

/* Engine time of the person's last sighting; -1e18 when not remembered. */
double vis_presence_last(const vis_presence_t *p, int64_t person);

/* End the visits of people not seen since now_t - gap_s (of everyone when
 * all), then move every ended visit into out (room for VIS_PRESENCE_MAX);
 * returns how many. Ends beyond the queue's room are lost (the visit keeps
 * no end time). */
int vis_presence_collect(vis_presence_t *p, double now_t, double gap_s, int all, vis_ended_t *out);

#endif
