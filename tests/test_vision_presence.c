/* Presence: when a visit ends. A person's visit ends when a new visit of
 * theirs starts, when they have not been seen for the visit gap, when they
 * are forgotten to make room, or when the engine closes (all). */
#include "tests/testutil.h"

#include "vision/presence.h"

static void gap_ends_the_visit(void **state) {
    (void)state;
    vis_presence_t *p = vis_presence_new();
    assert_non_null(p);
    vis_ended_t out[VIS_PRESENCE_MAX];
    assert_true(vis_presence_last(p, 7) < -1e17);
    vis_presence_seen(p, 7, 10.0, 1000.0, 501); /* visit 501 starts */
    vis_presence_seen(p, 7, 12.0, 1002.0, 0);   /* still there */
    assert_true(vis_presence_last(p, 7) == 12.0);
    /* within the gap: nothing ends */
    assert_int_equal(vis_presence_collect(p, 16.0, 5.0, 0, out), 0);
    /* gone for longer than the gap: ends at the last sighting's wall clock */
    assert_int_equal(vis_presence_collect(p, 17.5, 5.0, 0, out), 1);
    assert_int_equal(out[0].visit_id, 501);
    assert_true(out[0].wall == 1002.0);
    /* ended once only */
    assert_int_equal(vis_presence_collect(p, 100.0, 5.0, 1, out), 0);
    vis_presence_free(p);
}

static void new_visit_ends_the_open_one(void **state) {
    (void)state;
    vis_presence_t *p = vis_presence_new();
    vis_ended_t out[VIS_PRESENCE_MAX];
    vis_presence_seen(p, 3, 1.0, 500.0, 11);
    vis_presence_seen(p, 4, 1.0, 500.0, 12);
    vis_presence_seen(p, 3, 2.0, 501.0, 13); /* person 3 again, a new visit */
    assert_int_equal(vis_presence_collect(p, 2.0, 60.0, 0, out), 1);
    assert_int_equal(out[0].visit_id, 11);
    /* closing ends everyone's */
    assert_int_equal(vis_presence_collect(p, 2.0, 60.0, 1, out), 2);
    assert_true((out[0].visit_id == 12 && out[1].visit_id == 13) || (out[0].visit_id == 13 && out[1].visit_id == 12));
    vis_presence_free(p);
}

static void full_forgets_the_longest_gone(void **state) {
    (void)state;
    vis_presence_t *p = vis_presence_new();
    vis_ended_t out[VIS_PRESENCE_MAX];
    for (int i = 1; i <= VIS_PRESENCE_MAX; i++) vis_presence_seen(p, i, 100.0 + i, 1000.0 + i, 1000 + i);
    /* one more person: person 1 (seen longest ago) is forgotten, its visit ends */
    vis_presence_seen(p, 999, 500.0, 2000.0, 5000);
    assert_true(vis_presence_last(p, 1) < -1e17);
    assert_true(vis_presence_last(p, 2) == 102.0);
    assert_int_equal(vis_presence_collect(p, 500.0, 1e9, 0, out), 1);
    assert_int_equal(out[0].visit_id, 1001);
    vis_presence_free(p);
}

static const struct CMUnitTest presence_tests[] = {
    cmocka_unit_test(gap_ends_the_visit),
    cmocka_unit_test(new_visit_ends_the_open_one),
    cmocka_unit_test(full_forgets_the_longest_gone),
};

int main(void) { return cmocka_run_group_tests_name("presence", presence_tests, NULL, NULL); }
