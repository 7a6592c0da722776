/* Tracker: association on synthetic tracks, expiry, and the identity vote. */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "vision/tracker.h"

#include <string.h>

static const vis_tracker_opts_t OPTS = {0.2, 0.7, 3, 8, 0.6, 0.03};

static vis_match_t known(int64_t p, float d) { return (vis_match_t){p, d, p == 1 ? 2 : 1, 0.9f}; }
static vis_match_t unknown(float d) { return (vis_match_t){1, d, 2, d + 0.1f}; }

/* a descriptor near a point: person k's "identity" plus a little noise */
static void desc_of(float *d, int k, float noise) {
    memset(d, 0, FMT_DESC_DIM * sizeof(float));
    d[k] = 1.0f;
    d[64 + k] = noise;
}

static int sample(vis_tracker_t *tr, int id, vis_match_t m, int k, int partial, vis_verdict_t *v) {
    float d[FMT_DESC_DIM];
    desc_of(d, k, 0.05f);
    vis_tracker_sample_sent(tr, id, 1);
    return vis_tracker_add_sample(tr, id, d, &m, 0.8f, partial, v);
}

static void two_faces_keep_their_tracks(void **state) {
    (void)state;
    vis_tracker_t *tr = vis_tracker_new(&OPTS);
    assert_non_null(tr);
    int ids[2], first[2];
    /* two faces walking towards each other, 15 fps, 6 px per frame */
    for (int f = 0; f < 30; f++) {
        vis_box_t d[2] = {{(float)(50 + 6 * f), 100, 120, 120, 1}, {(float)(470 - 6 * f), 110, 120, 120, 1}};
        /* detections arrive in either order */
        if (f % 2) {
            vis_box_t t = d[0];
            d[0] = d[1];
            d[1] = t;
        }
        assert_int_equal(vis_tracker_update(tr, d, 2, f / 15.0, ids), GR_OK);
        if (f % 2) {
            int t = ids[0];
            ids[0] = ids[1];
            ids[1] = t;
        }
        if (f == 0) memcpy(first, ids, sizeof ids);
        assert_int_equal(ids[0], first[0]);
        assert_int_equal(ids[1], first[1]);
    }
    assert_int_not_equal(first[0], first[1]);
    assert_int_equal(vis_tracker_count(tr), 2);
    vis_tracker_free(tr);
}

static void lost_track_expires_and_new_face_gets_new_id(void **state) {
    (void)state;
    vis_tracker_t *tr = vis_tracker_new(&OPTS);
    vis_box_t b = {100, 100, 120, 120, 1};
    int id1, id2;
    assert_int_equal(vis_tracker_update(tr, &b, 1, 0.0, &id1), GR_OK);
    assert_int_equal(vis_tracker_expire(tr, 0.5), 0);
    assert_int_equal(vis_tracker_expire(tr, 0.8), 1);
    assert_null(vis_tracker_get(tr, id1));
    assert_int_equal(vis_tracker_update(tr, &b, 1, 1.0, &id2), GR_OK);
    assert_int_not_equal(id1, id2);
    /* a jump to a far place is a different face */
    vis_box_t far = {400, 100, 120, 120, 1};
    int id3;
    assert_int_equal(vis_tracker_update(tr, &far, 1, 1.1, &id3), GR_OK);
    assert_int_not_equal(id3, id2);
    vis_tracker_free(tr);
}

static void track_with_samples_in_flight_is_kept(void **state) {
    (void)state;
    vis_tracker_t *tr = vis_tracker_new(&OPTS);
    vis_box_t b = {100, 100, 120, 120, 1};
    int id;
    assert_int_equal(vis_tracker_update(tr, &b, 1, 0.0, &id), GR_OK);
    vis_tracker_sample_sent(tr, id, 1);
    assert_int_equal(vis_tracker_expire(tr, 5.0), 0);
    vis_verdict_t v;
    vis_match_t m = unknown(0.9f);
    float d[FMT_DESC_DIM];
    desc_of(d, 3, 0);
    assert_int_equal(vis_tracker_add_sample(tr, id, d, &m, 0.5f, 0, &v), 0);
    assert_int_equal(vis_tracker_expire(tr, 5.0), 1);
    assert_int_equal(vis_tracker_add_sample(tr, id, d, &m, 0.5f, 0, &v), GR_ERR_NOTFOUND);
    vis_tracker_free(tr);
}

static void three_votes_make_a_known_verdict(void **state) {
    (void)state;
    vis_tracker_t *tr = vis_tracker_new(&OPTS);
    vis_box_t b = {100, 100, 120, 120, 1};
    int id;
    vis_verdict_t v;
    assert_int_equal(vis_tracker_update(tr, &b, 1, 0.0, &id), GR_OK);
    assert_true(vis_tracker_wants_sample(tr, id));
    /* distances near the threshold: no early verdict */
    assert_int_equal(sample(tr, id, known(7, 0.55f), 7, 0, &v), 0);
    assert_int_equal(sample(tr, id, known(7, 0.52f), 7, 0, &v), 0);
    assert_int_equal(sample(tr, id, known(7, 0.57f), 7, 0, &v), 1);
    assert_int_equal(v.state, VIS_TRACK_KNOWN);
    assert_int_equal(v.person_id, 7);
    assert_float_equal(v.distance, 0.52f, 1e-6);
    assert_false(vis_tracker_wants_sample(tr, id));
    assert_int_equal(vis_tracker_get(tr, id)->state, VIS_TRACK_KNOWN);
    vis_tracker_free(tr);
}

static void two_clear_votes_decide_early(void **state) {
    (void)state;
    vis_tracker_t *tr = vis_tracker_new(&OPTS);
    vis_box_t b = {100, 100, 120, 120, 1};
    int id;
    vis_verdict_t v;
    assert_int_equal(vis_tracker_update(tr, &b, 1, 0.0, &id), GR_OK);
    assert_int_equal(sample(tr, id, known(4, 0.30f), 4, 0, &v), 0);
    assert_int_equal(sample(tr, id, known(4, 0.35f), 4, 0, &v), 1);
    assert_int_equal(v.state, VIS_TRACK_KNOWN);
    assert_int_equal(v.person_id, 4);
    vis_tracker_free(tr);
}

static void agreeing_unknowns_make_a_new_person(void **state) {
    (void)state;
    vis_tracker_t *tr = vis_tracker_new(&OPTS);
    vis_box_t b = {100, 100, 120, 120, 1};
    int id;
    vis_verdict_t v;
    assert_int_equal(vis_tracker_update(tr, &b, 1, 0.0, &id), GR_OK);
    assert_int_equal(sample(tr, id, unknown(0.65f), 9, 0, &v), 0);
    assert_int_equal(sample(tr, id, unknown(0.66f), 9, 0, &v), 0);
    assert_int_equal(sample(tr, id, unknown(0.64f), 9, 0, &v), 1);
    assert_int_equal(v.state, VIS_TRACK_NEW);
    assert_int_equal(v.n_desc, 3);
    assert_float_equal(v.desc[0][9], 1.0f, 1e-6);
    vis_tracker_free(tr);
}

static void disagreeing_unknowns_are_no_new_person(void **state) {
    (void)state;
    vis_tracker_t *tr = vis_tracker_new(&OPTS);
    vis_box_t b = {100, 100, 120, 120, 1};
    int id;
    vis_verdict_t v;
    assert_int_equal(vis_tracker_update(tr, &b, 1, 0.0, &id), GR_OK);
    /* three different faces (descriptors sqrt(2) apart) in one track */
    assert_int_equal(sample(tr, id, unknown(0.65f), 1, 0, &v), 0);
    assert_int_equal(sample(tr, id, unknown(0.65f), 2, 0, &v), 0);
    assert_int_equal(sample(tr, id, unknown(0.65f), 3, 0, &v), 0);
    assert_int_equal(vis_tracker_get(tr, id)->state, VIS_TRACK_PENDING);
    vis_tracker_free(tr);
}

static void partial_faces_alone_make_no_new_person(void **state) {
    (void)state;
    vis_tracker_t *tr = vis_tracker_new(&OPTS);
    vis_box_t b = {-20, 100, 120, 120, 1};
    int id;
    vis_verdict_t v;
    assert_int_equal(vis_tracker_update(tr, &b, 1, 0.0, &id), GR_OK);
    for (int i = 0; i < 3; i++) assert_int_equal(sample(tr, id, unknown(0.9f), 5, 1, &v), 0);
    /* the first whole face completes it */
    assert_int_equal(sample(tr, id, unknown(0.9f), 5, 0, &v), 1);
    assert_int_equal(v.state, VIS_TRACK_NEW);
    vis_tracker_free(tr);
}

static void mixed_votes_give_up_after_max_samples(void **state) {
    (void)state;
    vis_tracker_t *tr = vis_tracker_new(&OPTS);
    vis_box_t b = {100, 100, 120, 120, 1};
    int id;
    vis_verdict_t v;
    assert_int_equal(vis_tracker_update(tr, &b, 1, 0.0, &id), GR_OK);
    /* ambiguous matches (second-best within the margin) never vote */
    for (int i = 0; i < 8; i++) {
        vis_match_t m = {1, 0.5f, 2, 0.51f};
        assert_int_equal(sample(tr, id, m, 1, 0, &v), 0);
    }
    assert_int_equal(vis_tracker_get(tr, id)->state, VIS_TRACK_FAILED);
    assert_false(vis_tracker_wants_sample(tr, id));
    vis_tracker_free(tr);
}

static void decided_track_is_rechecked_and_reset_on_a_new_face(void **state) {
    (void)state;
    vis_tracker_t *tr = vis_tracker_new(&OPTS);
    vis_box_t b = {100, 100, 120, 120, 1};
    int id;
    vis_verdict_t v;
    assert_int_equal(vis_tracker_update(tr, &b, 1, 0.0, &id), GR_OK);
    /* undecided tracks are voted on, not re-checked */
    assert_false(vis_tracker_wants_verify(tr, id, 10.0, 3.0));
    assert_int_equal(sample(tr, id, known(4, 0.30f), 4, 0, &v), 0);
    assert_int_equal(sample(tr, id, known(4, 0.32f), 4, 0, &v), 1);
    assert_false(vis_tracker_wants_verify(tr, id, 1.0, 3.0)); /* starts the clock */
    assert_false(vis_tracker_wants_verify(tr, id, 3.5, 3.0));
    assert_true(vis_tracker_wants_verify(tr, id, 4.0, 3.0));
    vis_tracker_sample_sent(tr, id, 1);
    assert_false(vis_tracker_wants_verify(tr, id, 9.0, 3.0)); /* one in flight */
    assert_int_equal(vis_tracker_verify_result(tr, id, 1), 0);
    /* one misfit is forgiven, two in a row reset the track */
    assert_true(vis_tracker_wants_verify(tr, id, 7.0, 3.0));
    vis_tracker_sample_sent(tr, id, 1);
    assert_int_equal(vis_tracker_verify_result(tr, id, 0), 0);
    assert_int_equal(vis_tracker_get(tr, id)->state, VIS_TRACK_KNOWN);
    assert_true(vis_tracker_wants_verify(tr, id, 10.0, 3.0));
    vis_tracker_sample_sent(tr, id, 1);
    assert_int_equal(vis_tracker_verify_result(tr, id, 0), 1);
    const vis_track_t *k = vis_tracker_get(tr, id);
    assert_int_equal(k->state, VIS_TRACK_PENDING);
    assert_int_equal(k->person_id, 0);
    assert_int_equal(k->samples, 0);
    assert_true(vis_tracker_wants_sample(tr, id));
    /* and it gets a fresh verdict */
    assert_int_equal(sample(tr, id, known(8, 0.30f), 8, 0, &v), 0);
    assert_int_equal(sample(tr, id, known(8, 0.30f), 8, 0, &v), 1);
    assert_int_equal(v.person_id, 8);
    vis_tracker_free(tr);
}

static void iou_of_boxes(void **state) {
    (void)state;
    vis_box_t a = {0, 0, 10, 10, 0}, b = {5, 0, 10, 10, 0}, c = {20, 20, 5, 5, 0};
    assert_float_equal(vis_box_iou(&a, &a), 1.0, 1e-9);
    assert_float_equal(vis_box_iou(&a, &b), 50.0 / 150.0, 1e-9);
    assert_float_equal(vis_box_iou(&a, &c), 0.0, 1e-9);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_faces_keep_their_tracks),
        cmocka_unit_test(lost_track_expires_and_new_face_gets_new_id),
        cmocka_unit_test(track_with_samples_in_flight_is_kept),
        cmocka_unit_test(three_votes_make_a_known_verdict),
        cmocka_unit_test(two_clear_votes_decide_early),
        cmocka_unit_test(agreeing_unknowns_make_a_new_person),
        cmocka_unit_test(disagreeing_unknowns_are_no_new_person),
        cmocka_unit_test(partial_faces_alone_make_no_new_person),
        cmocka_unit_test(mixed_votes_give_up_after_max_samples),
        cmocka_unit_test(decided_track_is_rechecked_and_reset_on_a_new_face),
        cmocka_unit_test(iou_of_boxes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
