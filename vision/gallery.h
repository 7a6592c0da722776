/* gallery.h - known and remembered people as face templates in memory, and
 * the match decision (threshold plus margin to the second-best person).
 *
 * Several templates per person; a probe's distance to a person is its
 * distance to that person's nearest template. Not thread-safe: one owner
 * thread (the recogniser), or a lock around it.
 */
#ifndef VIS_GALLERY_H
#define VIS_GALLERY_H

#include "vision/store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct vis_gallery vis_gallery_t;

typedef struct {
    int64_t person_id;       /* best person, 0 when the gallery is empty */
    float distance;          /* its distance (nearest template) */
    int64_t second_id;       /* second-best different person, 0 if none */
    float second_distance;   /* its distance (large when none) */
} vis_match_t;

typedef enum {
    VIS_MATCH_UNKNOWN = 0,   /* nobody within the threshold */
    VIS_MATCH_KNOWN = 1,     /* best person within threshold and margin */
    VIS_MATCH_AMBIGUOUS = 2, /* within threshold but too close to the second-best */
} vis_decision_t;

/* An empty gallery; caller owns it: vis_gallery_free. */
vis_gallery_t *vis_gallery_new(void) __attribute__((warn_unused_result));
void vis_gallery_free(vis_gallery_t *g);

/* Append one template (FMT_DESC_DIM floats) of person_id (> 0). GR_OK/GR_ERR_INVAL/GR_ERR_NOMEM. */
int vis_gallery_add(vis_gallery_t *g, int64_t person_id, const float *desc);
/* Drop every template of a person. */
void vis_gallery_remove(vis_gallery_t *g, int64_t person_id);
void vis_gallery_clear(vis_gallery_t *g);
size_t vis_gallery_templates(const vis_gallery_t *g);
/* Templates held for one person. */
size_t vis_gallery_person_templates(const vis_gallery_t *g, int64_t person_id);

/* Nearest and second-nearest person of a probe (FMT_DESC_DIM floats). */
void vis_gallery_search(const vis_gallery_t *g, const float *desc, vis_match_t *m);

/* Distance of a probe to one person's nearest template (FLT_MAX if the
 * person has none). */
float vis_gallery_person_distance(const vis_gallery_t *g, int64_t person_id, const float *desc);

/* The decision for a search result. */
vis_decision_t vis_gallery_decide(const vis_match_t *m, double threshold, double margin);

/* Replace the gallery's contents with every template in the store. Returns
 * GR_OK or the store's error / GR_ERR_NOMEM; malformed templates (stored
 * wrongly, or not finite) are skipped with a warning by the store. */
int vis_gallery_load(vis_gallery_t *g, const vis_store_t *st);

/* When st says m's best and second-best person are different people
 * ("not this person") and the second is within threshold, m becomes a match
 * of the second with no rival. One store call, only in that case. */
void vis_gallery_apply_distinct(const vis_store_t *st, double threshold, vis_match_t *m);

#endif
