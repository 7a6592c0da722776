/* Gallery: nearest person over several templates, threshold and margin,
 * loading from and writing to the database (people, templates, visits). */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "vision/facenet.h"
#include "vision/gallery.h"
#include "vision/people.h"
#include "crm/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* unit vector along axis a, rotated by angle towards axis b: two such
 * vectors on the same (a, b) plane are 2 sin(dθ/2) apart */
static void vec(float *d, int a, int b, double angle) {
    memset(d, 0, VIS_DESC_DIM * sizeof(float));
    d[a] = (float)cos(angle);
    d[b] = (float)sin(angle);
}

static double angle_for(double dist) { return 2 * asin(dist / 2); }

static void nearest_template_decides(void **state) {
    (void)state;
    vis_gallery_t *g = vis_gallery_new();
    assert_non_null(g);
    float d[VIS_DESC_DIM], probe[VIS_DESC_DIM];
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
    float d[VIS_DESC_DIM];
    vec(d, 0, 1, 0);
    vis_gallery_search(g, d, &empty);
    assert_int_equal(empty.person_id, 0);
    assert_int_equal(vis_gallery_decide(&empty, 0.6, 0.03), VIS_MATCH_UNKNOWN);
    vis_gallery_free(g);
}

static void second_best_is_another_person(void **state) {
    (void)state;
    vis_gallery_t *g = vis_gallery_new();
    float d[VIS_DESC_DIM], probe[VIS_DESC_DIM];
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
    static float t[N][VIS_DESC_DIM];
    static int64_t who[N];
    unsigned s = 7;
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < VIS_DESC_DIM; k++) {
            s = s * 1103515245u + 12345u;
            t[i][k] = ((float)(s >> 8) / 16777216.0f - 0.5f) * 0.2f;
        }
        if (i % 97 == 0) t[i][5] = 0.9f; /* out of the int8 range */
        who[i] = i / 4 + 1;
        assert_int_equal(vis_gallery_add(g, who[i], t[i]), GR_OK);
    }
    for (int qi = 0; qi < Q; qi++) {
        float q[VIS_DESC_DIM];
        int near = (qi * 61) % N;
        for (int k = 0; k < VIS_DESC_DIM; k++) {
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
    float d[VIS_DESC_DIM];
    vec(d, 0, 1, 0);
    assert_int_equal(vis_gallery_add(g, 0, d), GR_ERR_INVAL);
    d[3] = NAN;
    assert_int_equal(vis_gallery_add(g, 1, d), GR_ERR_INVAL);
    assert_int_equal(vis_gallery_templates(g), 0);
    vis_gallery_free(g);
}

static void database_round_trip(void **state) {
    (void)state;
    char *dir = tu_tempdir(), err[512];
    crm_store_t *st;
    assert_int_equal(crm_store_open_dir(dir, NULL, &st, err, sizeof err), GR_OK);
    float d[VIS_DESC_DIM];
    int64_t alice = 0, again = 0;
    vec(d, 0, 1, 0);
    assert_int_equal(vis_people_enroll(st, 0, "Alice O'Hara", d, 0.9f, "photo", &alice), GR_OK);
    vec(d, 0, 1, 0.1);
    assert_int_equal(vis_people_enroll(st, alice, NULL, d, 0.8f, "photo", &again), GR_OK);
    assert_int_equal(again, alice);
    assert_int_equal(vis_people_enroll(st, 999, NULL, d, 0.8f, "photo", &again), GR_ERR_NOTFOUND);
    /* an unknown visitor: person, two templates and the visit in one go */
    float t2[2 * VIS_DESC_DIM];
    vec(t2, 4, 5, 0);
    vec(t2 + VIS_DESC_DIM, 4, 5, 0.1);
    vis_visit_in_t in = {0, t2, NULL, 2, 1, 0, "visit-1.jpg", "test"};
    vis_visit_out_t out;
    assert_int_equal(vis_people_record_visit(st, &in, &out), GR_OK);
    assert_true(out.person_id > alice);
    assert_int_equal(out.visit_count, 1);
    char want[64];
    snprintf(want, sizeof want, "Visitor #%lld", (long long)out.person_id);
    assert_string_equal(out.label, want);
    /* Alice returns */
    vis_visit_in_t in2 = {alice, NULL, NULL, 0, 0, 0.31, NULL, "test"};
    vis_visit_out_t out2;
    assert_int_equal(vis_people_record_visit(st, &in2, &out2), GR_OK);
    assert_string_equal(out2.label, "Alice O'Hara");
    assert_int_equal(out2.visit_count, 1);
    assert_int_equal(vis_people_record_visit(st, &in2, &out2), GR_OK);
    assert_int_equal(out2.visit_count, 2);
    /* a visit of someone deleted meanwhile is rolled back */
    vis_visit_in_t gone = {12345, NULL, NULL, 0, 0, 0.2, NULL, "test"};
    assert_int_not_equal(vis_people_record_visit(st, &gone, &out2), GR_OK);
    /* load: 4 templates of 2 people */
    vis_gallery_t *g = vis_gallery_new();
    assert_int_equal(vis_gallery_load(g, st), GR_OK);
    assert_int_equal(vis_gallery_templates(g), 4);
    assert_int_equal(vis_gallery_person_templates(g, alice), 2);
    vis_match_t m;
    vec(d, 4, 5, 0.05);
    vis_gallery_search(g, d, &m);
    assert_int_equal(m.person_id, out.person_id);
    assert_int_equal(m.second_id, alice);
    /* a malformed blob is skipped, not loaded as garbage */
    assert_int_equal(crm_store_exec(st, "INSERT INTO face_templates(person_id, descriptor) VALUES(1, x'0102')"), GR_OK);
    assert_int_equal(vis_gallery_load(g, st), GR_OK);
    assert_int_equal(vis_gallery_templates(g), 4);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(crm_store_db(st), "SELECT count(*) FROM visits", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 3);
    sqlite3_finalize(s);
    vis_gallery_free(g);
    crm_store_close(st);
    tu_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nearest_template_decides),
        cmocka_unit_test(threshold_and_margin),
        cmocka_unit_test(second_best_is_another_person),
        cmocka_unit_test(fast_search_equals_brute_force),
        cmocka_unit_test(bad_templates_refused),
        cmocka_unit_test(database_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
