/* people.h - the vision part of the database: people, their face templates
 * and visits (crm/migrations/0002_people.sql). Prepared statements only.
 */
#ifndef VIS_PEOPLE_H
#define VIS_PEOPLE_H

#include "crm/store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t person_id;        /* 0: create a new unknown person ("Visitor #<id>") */
    const float *templates;   /* n_templates x 128 floats stored for the person (may be 0) */
    const float *qualities;   /* n_templates quality scores, or NULL */
    int n_templates;
    int is_new;               /* first visit of a person never seen before */
    double distance;          /* match distance (0 for a new person) */
    const char *snapshot;     /* file name under <storage.dir>/snapshots, or NULL */
    const char *camera;       /* source name */
} vis_visit_in_t;

typedef struct {
    int64_t person_id;
    int64_t visit_id;
    int visit_count;          /* visits of this person including this one */
    char label[128];
} vis_visit_out_t;

/* In one transaction: create the person if needed, store the templates,
 * insert the visit, update the person's last_seen/visit_count and call
 * crm_on_visit. On any error everything is rolled back. */
int vis_people_record_visit(crm_store_t *st, const vis_visit_in_t *in, vis_visit_out_t *out);

/* Create a known person (enrolment) or add templates to an existing one
 * (person_id > 0), in one transaction. *out_id gets the person's id.
 * GR_ERR_NOTFOUND when person_id does not exist. */
int vis_people_enroll(crm_store_t *st, int64_t person_id, const char *label, const float *desc, float quality,
                      const char *source, int64_t *out_id);

/* The visit's end: ended_at = wall (seconds since the epoch, UTC), never
 * before its started_at; a visit that already has an end keeps it.
 * GR_ERR_NOTFOUND when there is no such visit without an end. */
int vis_people_end_visit(crm_store_t *st, int64_t visit_id, double wall);

/* The person's label into buf (GR_ERR_NOTFOUND if there is no such person). */
int vis_people_label(crm_store_t *st, int64_t person_id, char *buf, size_t len);

#endif
