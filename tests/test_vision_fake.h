/* test_vision_fake.h - an in-memory vis_store_t (vision/store.h) for the
 * test_vision_*.c programs, which run without a database: people,
 * templates and visits in arrays, with the same rules as crm's face store
 * (a new visitor is "Visitor #<id>", the signature is (count, last id),
 * enrolling a missing person is GR_ERR_NOTFOUND). */
#ifndef TEST_VISION_FAKE_H
#define TEST_VISION_FAKE_H

#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "firmware/formats/descriptor.h"
#include "vision/store.h"

#include <stdio.h>
#include <string.h>

#define TV_MAX 64

typedef struct {
    int64_t id, person;
    int is_new, has_snapshot;
    double ended; /* wall clock of its end, 0 while open */
    int has_face, face_weak; /* the visit's evidence face, and whether it came from a weak sample */
} tv_visit_t;

typedef struct {
    struct { int64_t id; char label[128]; int visit_count; int suppressed; } people[TV_MAX];
    int n_people;
    struct { int64_t id, person; float desc[FMT_DESC_DIM]; int malformed; } templates[TV_MAX];
    int n_templates;
    int64_t last_template_id;
    tv_visit_t visits[TV_MAX];
    int n_visits;
    int fail_visits; /* record_visit fails with GR_ERR_DB (and stores nothing) */
} tv_store_t;

static inline int tv_person(tv_store_t *f, int64_t id) {
    for (int i = 0; i < f->n_people; i++)
        if (f->people[i].id == id) return i;
    return -1;
}

static inline int64_t tv_new_person(tv_store_t *f, const char *label) {
    assert_true(f->n_people < TV_MAX);
    int64_t id = f->n_people + 1;
    f->people[f->n_people].id = id;
    if (label)
        snprintf(f->people[f->n_people].label, sizeof f->people[0].label, "%s", label);
    else
        snprintf(f->people[f->n_people].label, sizeof f->people[0].label, "Visitor #%lld", (long long)id);
    f->people[f->n_people].suppressed = 0;
    f->people[f->n_people++].visit_count = 0;
    return id;
}

static inline void tv_add_template(tv_store_t *f, int64_t person, const float *desc, int malformed) {
    assert_true(f->n_templates < TV_MAX);
    f->templates[f->n_templates].id = ++f->last_template_id;
    f->templates[f->n_templates].person = person;
    memcpy(f->templates[f->n_templates].desc, desc, sizeof f->templates[0].desc);
    f->templates[f->n_templates++].malformed = malformed;
}

static inline int tv_load(void *ctx, vis_template_cb_t cb, void *ud) {
    tv_store_t *f = ctx;
    for (int i = 0; i < f->n_templates; i++) {
        if (f->templates[i].malformed) continue;
        int rc = cb(ud, f->templates[i].person, f->templates[i].desc);
        if (rc != GR_OK && rc != GR_ERR_INVAL) return rc;
    }
    return GR_OK;
}

static inline int tv_signature(void *ctx, vis_store_sig_t *sig) {
    tv_store_t *f = ctx;
    sig->templates = f->n_templates;
    sig->last_id = f->last_template_id;
    return GR_OK;
}

static inline int tv_record_visit(void *ctx, const vis_visit_in_t *in, vis_visit_out_t *out) {
    tv_store_t *f = ctx;
    memset(out, 0, sizeof *out);
    if (f->fail_visits) return GR_ERR_DB;
    int64_t pid = in->person_id ? in->person_id : tv_new_person(f, NULL);
    int p = tv_person(f, pid);
    if (p < 0) return GR_ERR_NOTFOUND;
    for (int i = 0; i < in->n_templates; i++) tv_add_template(f, pid, in->templates + (size_t)i * FMT_DESC_DIM, 0);
    assert_true(f->n_visits < TV_MAX);
    f->visits[f->n_visits] =
        (tv_visit_t){f->n_visits + 1, pid, in->is_new, in->snapshot != NULL, 0, in->face != NULL, in->face_weak};
    out->visit_id = f->visits[f->n_visits++].id;
    out->person_id = pid;
    out->visit_count = ++f->people[p].visit_count;
    snprintf(out->label, sizeof out->label, "%s", f->people[p].label);
    return GR_OK;
}

static inline int tv_end_visit(void *ctx, int64_t visit_id, double wall) {
    tv_store_t *f = ctx;
    for (int i = 0; i < f->n_visits; i++)
        if (f->visits[i].id == visit_id && f->visits[i].ended == 0) {
            f->visits[i].ended = wall;
            return GR_OK;
        }
    return GR_ERR_NOTFOUND;
}

static inline int tv_enroll(void *ctx, int64_t person_id, const char *label, const float *desc, float quality,
                            const char *source, int64_t *out_id) {
    tv_store_t *f = ctx;
    (void)quality;
    (void)source;
    *out_id = 0;
    if (person_id == 0 && (!label || !*label)) return GR_ERR_INVAL;
    if (person_id && tv_person(f, person_id) < 0) return GR_ERR_NOTFOUND;
    if (person_id && f->people[tv_person(f, person_id)].suppressed) return GR_ERR_EXISTS;
    if (person_id && label && *label) /* named, as crm's store does */
        snprintf(f->people[tv_person(f, person_id)].label, sizeof f->people[0].label, "%s", label);
    int64_t pid = person_id ? person_id : tv_new_person(f, label);
    tv_add_template(f, pid, desc, 0);
    *out_id = pid;
    return GR_OK;
}

static inline int tv_suppressed(void *ctx, int64_t person_id) {
    tv_store_t *f = ctx;
    int i = tv_person(f, person_id);
    return i >= 0 && f->people[i].suppressed;
}

static inline int tv_label(void *ctx, int64_t person_id, char *buf, size_t len) {
    tv_store_t *f = ctx;
    int i = tv_person(f, person_id);
    if (i < 0) return GR_ERR_NOTFOUND;
    snprintf(buf, len, "%s", f->people[i].label);
    return GR_OK;
}

/* The operations on f. */
static inline vis_store_t tv_ops(tv_store_t *f) {
    return (vis_store_t){f, tv_load, tv_signature, tv_record_visit, tv_end_visit, tv_enroll, tv_suppressed, tv_label, NULL};
}

#endif
