/* store.h - where vision keeps what it learns: the operations vision needs
 * from storage, declared here and implemented by the part that owns the
 * people, face_templates and visits tables (crm/face_store.h). vision/ holds
 * no SQL: whoever opens the database fills a vis_store_t and hands it to
 * vis_pipeline_open, vis_faces_enroll or the `greeter faces` CLI.
 *
 * Types and function pointers only, no code: the one vision header crm/ may
 * include. Every operation is synchronous, returns GR_OK or a GR_ERR_* code
 * (firmware/core/err.h), and is called by one thread at a time (the
 * recogniser thread, or the enrolling request); ctx is passed back as is.
 * Descriptors are FMT_DESC_DIM floats (firmware/formats/descriptor.h).
 */
#ifndef VIS_STORE_H
#define VIS_STORE_H

#include <stddef.h>
#include <stdint.h>

/* A visit as the recogniser decided it. */
typedef struct {
    int64_t person_id;        /* 0: create a new unknown person ("Visitor #<id>") */
    const float *templates;   /* n_templates descriptors to keep for the person (may be 0) */
    const float *qualities;   /* n_templates quality scores, or NULL */
    int n_templates;
    int is_new;               /* first visit of a person never seen before */
    double distance;          /* match distance (0 for a new person) */
    const char *snapshot;     /* file name under the snapshots folder, or NULL */
    const char *camera;       /* source name */
    const float *face;        /* the visit's best face (a descriptor), kept as the visit's evidence for
                               * corrections ("not this person"), never matched; NULL: none */
    float face_quality;
    int face_weak;            /* the face came from a weak sample (cut by the frame edge, narrower than
                               * vision.min_enrol_px, or past the yaw/sharpness gates): evidence only,
                               * never a template, not even after "not this person" */
} vis_visit_in_t;

typedef struct {
    int64_t person_id;
    int64_t visit_id;
    int visit_count;          /* visits of this person including this one */
    char label[128];
} vis_visit_out_t;

/* Changes whenever anyone adds, removes or moves a template. */
typedef struct {
    long long templates;      /* how many are stored */
    long long last_id;        /* a checksum of the templates' ids and persons (the fake store: the newest id) */
} vis_store_sig_t;

/* Receives one stored template. Returns GR_OK to go on, GR_ERR_INVAL to
 * refuse this template (counted as malformed, loading goes on), any other
 * code to stop loading with that code. */
typedef int (*vis_template_cb_t)(void *ud, int64_t person_id, const float *desc);

typedef struct {
    void *ctx;
    /* Every stored template, oldest first, to cb; templates stored in a
     * malformed form are skipped (and logged once) by the store. */
    int (*load_templates)(void *ctx, vis_template_cb_t cb, void *ud);
    int (*signature)(void *ctx, vis_store_sig_t *sig);
    /* All or nothing: create the person if needed, keep the templates,
     * record the visit, count it on the person, and do what the owner does
     * on a visit. */
    int (*record_visit)(void *ctx, const vis_visit_in_t *in, vis_visit_out_t *out);
    /* The visit's end: wall = seconds since the epoch (UTC), never before
     * its start; a visit that already has an end keeps it. GR_ERR_NOTFOUND
     * when there is no such visit without an end. */
    int (*end_visit)(void *ctx, int64_t visit_id, double wall);
    /* Enrolment, all or nothing: a new known person named label when
     * person_id is 0, else one more template of that person
     * (GR_ERR_NOTFOUND when it does not exist), who becomes known and is
     * renamed to label when label is not NULL or empty (GR_ERR_EXISTS for a
     * suppression entry). *out_id gets the person. */
    int (*enroll)(void *ctx, int64_t person_id, const char *label, const float *desc, float quality,
                  const char *source, int64_t *out_id);
    /* 1 when person_id is a suppression entry (a face erased at the
     * person's request that must not be stored again: no visit, no
     * snapshot, no event), 0 when not, or a GR_ERR_* code. NULL: never. */
    int (*suppressed)(void *ctx, int64_t person_id);
    /* The person's label ("Visitor #8", a name, "Suppressed #9") into buf.
     * GR_ERR_NOTFOUND. NULL: labels are not available. */
    int (*label)(void *ctx, int64_t person_id, char *buf, size_t len);
    /* 1 when staff said a and b are different people ("not this person"),
     * 0 when not, or a GR_ERR_* code. NULL: no such pairs. */
    int (*distinct)(void *ctx, int64_t a, int64_t b);
} vis_store_t;

/* How a program lets vision's CLI open a store by file name (`greeter faces
 * enroll|watch --db FILE`; ":memory:" for a throwaway one). open(ctx, ...)
 * fills *out, which the CLI gives back to close. ctx is the program's (the
 * settings the store is opened with). */
typedef struct {
    void *ctx;
    int (*open)(void *ctx, const char *path, vis_store_t *out, char *err, size_t errlen);
    void (*close)(vis_store_t *s);
} vis_store_opener_t;

#endif
