/* Gallery: nearest person over several templates, threshold and margin,
 * loading through the store's operations (an in-memory fake; the database
 * side is test_crm_face_store.c). */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "vision/facenet.h"
#include "vision/gallery.h"
#include "tests/test_vision_fake.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* unit vector along axis a, rotated by angle towards axis b: two such
 * vectors on the same (a, b) plane are 2 sin(dθ/2) apart */
static void vec(float *d, int a, int b, double angle) {
    memset(d, 0, FMT_DESC_DIM * sizeof(float));
    d[a] = (float)cos(angle);
    d[b] = (float)sin(angle);
}

static double angle_for(double dist) { return 2 * asin(dist / 2); }

static void nearest_template_decides(void **state) {
    (void)state;
    vis_gallery_t *g = vis_gallery_new();
    assert_non_null(g);
    float d[FMT_DESC_DIM], probe[FMT_DESC_DIM];
    /* person 1: two templates, one near the probe; person 2: far */
    vec(d, 0, 1, 0.0);
    assert_int_equal(vis_gallery_add(g, 1, d), GR_OK);
    vec(d, 0, 1, angle_for(0.30));
    assert_int_equal(vis_gallery_add(g, 1, d), GR_OK);
    vec(d, 2, 3, 0.0);
    assert_int_equal(vis_gallery_add(g, 2, d), GR_OK);
    vec(probe, 0, 1, angle_for(0.35));
    vis_match_t m;
    vis_gallery_search(g, probe, &m);
    assert_int_equal(m.person_id, 1);
    assert_float_equal(m.distance, 2 * sin((angle_for(0.35) - angle_for(0.30)) / 2), 1e-4);
    assert_int_equal(m.second_id, 2);
    assert_int_equal(vis_gallery_decide(&m, 0.6, 0.03), VIS_MATCH_KNOWN);
    assert_int_equal(vis_gallery_person_templates(g, 1), 2);
    assert_int_equal(vis_gallery_templates(g), 3);
    /* distance to one given person */
    assert_float_equal(vis_gallery_person_distance(g, 1, probe), m.distance, 1e-6);
    assert_float_equal(vis_gallery_person_distance(g, 2, probe), sqrt(2.0), 1e-4);
    assert_true(vis_gallery_person_distance(g, 99, probe) > 1e30f);
    vis_gallery_free(g);
}

static void threshold_and_margin(void **state) {
    (void)state;
    vis_match_t m = {5, 0.59f, 6, 0.70f};
    assert_int_equal(vis_gallery_decide(&m, 0.6, 0.03), VIS_MATCH_KNOWN);
    m.distance = 0.61f;
    assert_int_equal(vis_gallery_decide(&m, 0.6, 0.03), VIS_MATCH_UNKNOWN);
    m.distance = 0.58f;
    m.second_distance = 0.60f; /* second-best within the margin */
    assert_int_equal(vis_gallery_decide(&m, 0.6, 0.03), VIS_MATCH_AMBIGUOUS);
    m.second_id = 0; /* nobody else */
    assert_int_equal(vis_gallery_decide(&m, 0.6, 0.03), VIS_MATCH_KNOWN);
    vis_match_t empty;
    vis_gallery_t *g = vis_gallery_new();
    float d[FMT_DESC_DIM];
    vec(d, 0, 1, 0);
    vis_gallery_search(g, d, &empty);
    assert_int_equal(empty.person_id, 0);
    assert_int_equal(vis_gallery_decide(&empty, 0.6, 0.03), VIS_MATCH_UNKNOWN);
    vis_gallery_free(g);
}

static void second_best_is_another_person(void **state) {
    (void)state;
    vis_gallery_t *g = vis_gallery_new();
    float d[FMT_DESC_DIM], probe[FMT_DESC_DIM];
    /* many templates of person 1 close to the probe must not hide person 2 */
    for (int i = 0; i < 5; i++) {
        vec(d, 0, 1, angle_for(0.1 + 0.01 * i));
        assert_int_equal(vis_gallery_add(g, 1, d), GR_OK);
    }
    vec(d, 0, 1, angle_for(0.45));
    assert_int_equal(vis_gallery_add(g, 2, d), GR_OK);
    vec(probe, 0, 1, 0);
    vis_match_t m;
    vis_gallery_search(g, probe, &m);
    assert_int_equal(m.person_id, 1);
    assert_int_equal(m.second_id, 2);
    assert_float_equal(m.second_distance, 0.45, 1e-4);
    vis_gallery_remove(g, 1);
    vis_gallery_search(g, probe, &m);
    assert_int_equal(m.person_id, 2);
    assert_int_equal(m.second_id, 0);
    vis_gallery_free(g);
}

/* the int8 first pass must not change any result: compare with plain float */
static void fast_search_equals_brute_force(void **state) {
    (void)state;
    vis_gallery_t *g = vis_gallery_new();
    enum { N = 3000, Q = 50 };
    static float t[N][FMT_DESC_DIM];
    static int64_t who[N];
    unsigned s = 7;
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < FMT_DESC_DIM; k++) {
            s = s * 1103515245u + 12345u;
            t[i][k] = ((float)(s >> 8) / 16777216.0f - 0.5f) * 0.2f;
        }
        if (i % 97 == 0) t[i][5] = 0.9f; /* out of the int8 range */
        who[i] = i / 4 + 1;
        assert_int_equal(vis_gallery_add(g, who[i], t[i]), GR_OK);
    }
    for (int qi = 0; qi < Q; qi++) {
        float q[FMT_DESC_DIM];
        int near = (qi * 61) % N;
        for (int k = 0; k < FMT_DESC_DIM; k++) {
            s = s * 1103515245u + 12345u;
            q[k] = t[near][k] + ((float)(s >> 8) / 16777216.0f - 0.5f) * 0.02f * (float)(qi % 5);
        }
        if (qi == 3) q[0] = -0.8f;
        double bd = 1e30, sd = 1e30;
        int64_t bp = 0, sp = 0;
        for (int i = 0; i < N; i++) {
            double d = vis_desc_distance(t[i], q);
            if (who[i] == bp) {
                if (d < bd) bd = d;
            } else if (d < bd) {
                sp = bp, sd = bd, bp = who[i], bd = d;
            } else if (d < sd) {
                sp = who[i], sd = d;
            }
        }
        vis_match_t m;
        vis_gallery_search(g, q, &m);
        assert_int_equal(m.person_id, bp);
        assert_int_equal(m.second_id, sp);
        assert_float_equal(m.distance, bd, 1e-4);
        assert_float_equal(m.second_distance, sd, 1e-4);
    }
    vis_gallery_free(g);
}

static void bad_templates_refused(void **state) {
    (void)state;
    vis_gallery_t *g = vis_gallery_new();
    float d[FMT_DESC_DIM];
    vec(d, 0, 1, 0);
    assert_int_equal(vis_gallery_add(g, 0, d), GR_ERR_INVAL);
    d[3] = NAN;
    assert_int_equal(vis_gallery_add(g, 1, d), GR_ERR_INVAL);
    assert_int_equal(vis_gallery_templates(g), 0);
    vis_gallery_free(g);
}

/* Loading through the store's operations (vision/store.h): the gallery is
 * replaced, templates the gallery refuses (not finite) are skipped. */
static void load_from_store(void **state) {
    (void)state;
    static tv_store_t f;
    memset(&f, 0, sizeof f);
    vis_store_t st = tv_ops(&f);
    float d[FMT_DESC_DIM];
    int64_t alice = tv_new_person(&f, "Alice"), bob = tv_new_person(&f, "Bob");
    vec(d, 0, 1, 0);
    tv_add_template(&f, alice, d, 0);
    vec(d, 0, 1, 0.1);
    tv_add_template(&f, alice, d, 0);
    vec(d, 4, 5, 0);
    tv_add_template(&f, bob, d, 0);
    d[7] = NAN;
    tv_add_template(&f, bob, d, 0);
    vis_gallery_t *g = vis_gallery_new();
    vec(d, 9, 10, 0);
    assert_int_equal(vis_gallery_add(g, 99, d), GR_OK); /* replaced by the load */
    assert_int_equal(vis_gallery_load(g, &st), GR_OK);
    assert_int_equal(vis_gallery_templates(g), 3);
    assert_int_equal(vis_gallery_person_templates(g, alice), 2);
    assert_int_equal(vis_gallery_person_templates(g, 99), 0);
    vis_match_t m;
    vec(d, 4, 5, 0.05);
    vis_gallery_search(g, d, &m);
    assert_int_equal(m.person_id, bob);
    assert_int_equal(m.second_id, alice);
    vis_gallery_free(g);
}
static int pair_1_2(void *ctx, int64_t a, int64_t b) {
    (*(int *)ctx)++;
    return (a == 1 && b == 2) || (a == 2 && b == 1);
}

/* "Not this person" remembered: when the best (1) and the second (2) were
 * said to be different people and 2 fits too, the face is 2's; an unrelated
 * pair, or a second beyond the threshold, changes nothing (and costs no
 * store call). */
static void distinct_pairs_are_not_matched(void **state) {
    (void)state;
    int calls = 0;
    vis_store_t st = {0};
    st.ctx = &calls;
    st.distinct = pair_1_2;
    vis_match_t m = {1, 0.40f, 2, 0.50f};
    vis_gallery_apply_distinct(&st, 0.6, &m);
    assert_int_equal(m.person_id, 2);
    assert_true(fabsf(m.distance - 0.50f) < 1e-6f);
    assert_int_equal(m.second_id, 0);
    assert_int_equal(vis_gallery_decide(&m, 0.6, 0.03), VIS_MATCH_KNOWN);
    vis_match_t far = {1, 0.40f, 2, 0.70f};
    vis_gallery_apply_distinct(&st, 0.6, &far);
    assert_int_equal(far.person_id, 1);
    vis_match_t other = {1, 0.40f, 3, 0.50f};
    calls = 0;
    vis_gallery_apply_distinct(&st, 0.6, &other);
    assert_int_equal(other.person_id, 1);
    assert_int_equal(calls, 1);
    vis_store_t none = {0};
    vis_gallery_apply_distinct(&none, 0.6, &other);
    assert_int_equal(other.person_id, 1);
}


int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nearest_template_decides),
        cmocka_unit_test(distinct_pairs_are_not_matched),
        cmocka_unit_test(threshold_and_margin),
        cmocka_unit_test(second_best_is_another_person),
        cmocka_unit_test(fast_search_equals_brute_force),
        cmocka_unit_test(bad_templates_refused),
        cmocka_unit_test(load_from_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
