/* The face library people can correct (crm/facelist.h, issue 14): open an
 * identity, "not this person" on a visit (the visit and its face move, the
 * template that made the false match goes, the pair is remembered), merge
 * two identities, delete one template, and erasure with a suppression
 * entry that the camera's store reports as suppressed. Every change is in
 * the audit log. */
#include "tests/test_crm_util.h"

#include "crm/face_store.h"
#include "crm/crmutil.h"
#include "crm/facelist.h"
#include "crm/privacy.h"
#include "firmware/formats/descriptor.h"

#include <math.h>

static void vec(float *d, int a, int b, double angle) {
    memset(d, 0, FMT_DESC_DIM * sizeof(float));
    d[a] = (float)cos(angle);
    d[b] = (float)sin(angle);
}

static void correct_the_library(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    vis_store_t fs;
    crm_face_store_bind(db.st, &fs);
    char err[256] = "";
    /* Alice, enrolled from two photos (axis 0) */
    float d[FMT_DESC_DIM], d2[FMT_DESC_DIM];
    int64_t alice = 0, id = 0;
    vec(d, 0, 1, 0);
    assert_int_equal(fs.enroll(fs.ctx, 0, "Alice", d, 0.9f, "photo", &alice), GR_OK);
    vec(d2, 0, 1, 0.2);
    assert_int_equal(fs.enroll(fs.ctx, alice, NULL, d2, 0.9f, "photo", &id), GR_OK);
    /* Bob's face (near Alice's second photo) was taken for Alice's: a visit
     * with his face as evidence */
    float bob[FMT_DESC_DIM];
    vec(bob, 0, 1, 0.45);
    vis_visit_in_t in = {alice, NULL, NULL, 0, 0, 0.3, NULL, "cam0", bob, 0.8f, 0};
    vis_visit_out_t out;
    assert_int_equal(fs.record_visit(fs.ctx, &in, &out), GR_OK);
    int64_t visit = out.visit_id;
    /* the evidence is kept but never matched */
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM face_templates WHERE matchable = 0"), 1);
    vis_store_sig_t sig;
    assert_int_equal(fs.signature(fs.ctx, &sig), GR_OK);
    assert_int_equal(sig.templates, 2);

    /* open Alice: two templates, one visit */
    json_t *o = NULL;
    assert_int_equal(crm_face_detail(db.st, alice, &o), GR_OK);
    assert_int_equal(json_array_size(json_object_get(o, "template_list")), 2);
    assert_int_equal(json_array_size(json_object_get(o, "visits")), 1);
    assert_false(json_is_true(json_object_get(o, "suppressed")));
    json_decref(o);

    /* "not this person" -> a new identity; the camera sees the change (one
     * template deleted, one moved: the count alone would not tell) */
    int64_t bob_id = 0;
    vis_store_sig_t s1, s2;
    assert_int_equal(fs.signature(fs.ctx, &s1), GR_OK);
    assert_int_equal(crm_face_not_this(db.st, visit, 0, 0.6, "anna", &bob_id, err, sizeof err), GR_OK);
    assert_int_equal(fs.signature(fs.ctx, &s2), GR_OK);
    assert_int_equal(s2.templates, s1.templates); /* -1 deleted, +1 (the visit's face) now matchable */
    assert_true(s2.last_id != s1.last_id);
    assert_true(bob_id > 0 && bob_id != alice);
    assert_int_equal(tc_int(db.st, "SELECT person_id FROM visits"), bob_id);
    /* Alice's template nearest to Bob's face (the 0.2 one) is gone, her first stays */
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM face_templates WHERE person_id = (SELECT min(id) FROM people)"), 1);
    /* Bob's face now recognises Bob */
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM face_templates WHERE matchable = 1 AND person_id = "
                                   "(SELECT max(id) FROM people)"),
                     1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM face_distinct"), 1);
    assert_int_equal(fs.distinct(fs.ctx, bob_id, alice), 1); /* what the camera asks */
    assert_int_equal(fs.distinct(fs.ctx, alice, alice), 0);
    assert_int_equal(tc_int(db.st, "SELECT visit_count FROM people WHERE label = 'Alice'"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM audit_log WHERE action = 'face.not_this'"), 1);
    /* twice is refused, and a visit nobody has is not found */
    assert_int_equal(crm_face_not_this(db.st, visit, bob_id, 0.6, "anna", &id, err, sizeof err), GR_ERR_INVAL);
    assert_int_equal(crm_face_not_this(db.st, 999, 0, 0.6, "anna", &id, err, sizeof err), GR_ERR_NOTFOUND);

    /* a second identity of Bob, merged into the first */
    int64_t bob2 = 0;
    float b2[FMT_DESC_DIM];
    vec(b2, 0, 1, 0.5);
    vis_visit_in_t in2 = {0, b2, NULL, 1, 1, 0, NULL, "cam0", NULL, 0, 0};
    assert_int_equal(fs.record_visit(fs.ctx, &in2, &out), GR_OK);
    bob2 = out.person_id;
    assert_int_equal(crm_face_merge(db.st, bob_id, bob2, "anna", err, sizeof err), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM people"), 2);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM visits WHERE person_id = (SELECT max(id) FROM people "
                                   "WHERE label LIKE 'Visitor #%')"),
                     2);
    assert_int_equal(crm_face_merge(db.st, bob_id, bob_id, "anna", err, sizeof err), GR_ERR_INVAL);
    assert_int_equal(crm_face_merge(db.st, bob_id, 4242, "anna", err, sizeof err), GR_ERR_NOTFOUND);

    /* delete one template */
    long long tid = tc_int(db.st, "SELECT min(id) FROM face_templates WHERE person_id = (SELECT max(id) FROM people "
                                  "WHERE label LIKE 'Visitor #%')");
    assert_int_equal(crm_face_template_delete(db.st, bob_id, tid, "anna", err, sizeof err), GR_OK);
    assert_int_equal(crm_face_template_delete(db.st, bob_id, tid, "anna", err, sizeof err), GR_ERR_NOTFOUND);

    /* Alice asks to be erased and not stored again */
    json_t *res = NULL;
    assert_int_equal(crm_face_suppress(db.st, alice, "anna", &res, err, sizeof err), GR_OK);
    int64_t sid = (int64_t)json_integer_value(json_object_get(res, "suppression_id"));
    json_decref(res);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM people WHERE label = 'Alice'"), 0);
    assert_true(sid != alice); /* never the erased identity's id */
    assert_int_equal(tc_int(db.st, "SELECT suppressed FROM people WHERE label LIKE 'Suppressed #%'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM face_templates WHERE source = 'suppression'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM audit_log WHERE action IN ('face.forget', 'face.suppress')"), 2);
    assert_int_equal(fs.suppressed(fs.ctx, sid), 1);
    assert_int_equal(fs.suppressed(fs.ctx, bob_id), 0);
    /* retention of unknown visitors (0 days: everything old now) spares it */
    assert_int_equal(crm_exec_ids(db.st, "UPDATE people SET created_at = '2020-01-01T00:00:00Z' WHERE id = ?1", sid, 0),
                     GR_OK);
    json_t *ret = NULL;
    assert_int_equal(crm_retention_apply(db.st, 0, &ret), GR_OK);
    json_decref(ret);
    assert_int_equal(fs.suppressed(fs.ctx, sid), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM face_templates WHERE source = 'suppression'"), 1);
    /* not named, merged or given visits, not suppressed twice */
    assert_int_equal(fs.enroll(fs.ctx, sid, "Alice", d, 0.9f, "photo", &id), GR_ERR_EXISTS);
    assert_int_equal(crm_face_merge(db.st, bob_id, sid, "anna", err, sizeof err), GR_ERR_INVAL);
    assert_int_equal(crm_face_suppress(db.st, sid, "anna", NULL, err, sizeof err), GR_ERR_EXISTS);
    tc_close(&db);
}

/* "Not this person" on a visit whose face came from a weak sample (cut by
 * the frame edge or narrower than vision.min_enrol_px: face_weak): the visit
 * and its face move, but the face never becomes a template, as the live
 * pipeline never makes one of a poor sample. A whole face does. */
static void not_this_keeps_a_poor_face_out(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    vis_store_t fs;
    crm_face_store_bind(db.st, &fs);
    char err[256] = "";
    float a[FMT_DESC_DIM], a2[FMT_DESC_DIM], bob[FMT_DESC_DIM], carl[FMT_DESC_DIM];
    int64_t alice = 0, id = 0, carol = 0;
    vec(a, 0, 1, 0);
    vec(a2, 0, 1, 0.2);
    assert_int_equal(fs.enroll(fs.ctx, 0, "Alice", a, 0.9f, "photo", &alice), GR_OK);
    assert_int_equal(fs.enroll(fs.ctx, alice, NULL, a2, 0.9f, "photo", &id), GR_OK);
    vec(carl, 2, 3, 0);
    assert_int_equal(fs.enroll(fs.ctx, 0, "Carol", carl, 0.9f, "photo", &carol), GR_OK);
    /* Bob, small and at the edge of the frame, taken for Alice */
    vec(bob, 0, 1, 0.45);
    vis_visit_in_t in = {alice, NULL, NULL, 0, 0, 0.3, NULL, "cam0", bob, 0.8f, 1};
    vis_visit_out_t out;
    assert_int_equal(fs.record_visit(fs.ctx, &in, &out), GR_OK);
    int64_t weak_visit = out.visit_id;
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM face_templates WHERE source = '" CRM_FACE_SOURCE_WEAK
                                   "' AND matchable = 0"),
                     1);
    int64_t bob_id = 0;
    assert_int_equal(crm_face_not_this(db.st, weak_visit, 0, 0.6, "anna", &bob_id, err, sizeof err), GR_OK);
    /* the visit and its evidence moved to the new identity... */
    assert_int_equal(tc_int(db.st, "SELECT person_id FROM visits"), bob_id);
    char q[256];
    snprintf(q, sizeof q, "SELECT count(*) FROM face_templates WHERE person_id = %lld AND matchable = 0",
             (long long)bob_id);
    assert_int_equal(tc_int(db.st, q), 1);
    /* ...but the poor face is no template: nothing recognises Bob by it */
    snprintf(q, sizeof q, "SELECT count(*) FROM face_templates WHERE person_id = %lld AND matchable = 1",
             (long long)bob_id);
    assert_int_equal(tc_int(db.st, q), 0);
    json_t *o = NULL;
    assert_int_equal(crm_face_detail(db.st, bob_id, &o), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(o, "templates")), 0);
    assert_int_equal(json_array_size(json_object_get(o, "template_list")), 0);
    assert_int_equal(json_array_size(json_object_get(o, "visits")), 1);
    json_decref(o);
    /* the camera's gallery has Alice's first photo and Carol only (the
     * template that made the false match went, as for a whole face) */
    vis_store_sig_t sig;
    assert_int_equal(fs.signature(fs.ctx, &sig), GR_OK);
    assert_int_equal(sig.templates, 2);
    /* once more, to an identity that exists: still evidence only */
    assert_int_equal(crm_face_not_this(db.st, weak_visit, carol, 0.6, "anna", &id, err, sizeof err), GR_OK);
    assert_int_equal(id, carol);
    snprintf(q, sizeof q, "SELECT count(*) FROM face_templates WHERE person_id = %lld AND matchable = 1",
             (long long)carol);
    assert_int_equal(tc_int(db.st, q), 1);
    assert_int_equal(fs.signature(fs.ctx, &sig), GR_OK);
    assert_int_equal(sig.templates, 2);

    /* a whole face of enrolment size (face_weak 0) does become the template */
    vis_visit_in_t whole = {alice, NULL, NULL, 0, 0, 0.3, NULL, "cam0", bob, 0.8f, 0};
    assert_int_equal(fs.record_visit(fs.ctx, &whole, &out), GR_OK);
    assert_int_equal(crm_face_not_this(db.st, out.visit_id, carol, 0.6, "anna", &id, err, sizeof err), GR_OK);
    assert_int_equal(tc_int(db.st, q), 2);
    tc_close(&db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(correct_the_library),
        cmocka_unit_test(not_this_keeps_a_poor_face_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
