/* crm's face store (crm/face_store.h), the database behind vision's
 * operations: enrolment, visits with their person and templates in one go,
 * the CRM's part of a visit (lead, outbox) in the same transaction, ends of
 * visits, the template signature, and loading the gallery back. */
#include "tests/test_crm_util.h"

#include "crm/face_store.h"
#include "firmware/formats/descriptor.h"
#include "vision/gallery.h"

#include <math.h>

/* unit vector along axis a, rotated by angle towards axis b */
static void vec(float *d, int a, int b, double angle) {
    memset(d, 0, FMT_DESC_DIM * sizeof(float));
    d[a] = (float)cos(angle);
    d[b] = (float)sin(angle);
}

/* Each test: a fresh database and the face store bound to it. */
typedef struct {
    tc_db_t db;
    vis_store_t fs;
} fx_t;

static int fx_setup(void **state) {
    fx_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    tc_open(&f->db);
    crm_face_store_bind(f->db.st, &f->fs);
    *state = f;
    return 0;
}

static int fx_teardown(void **state) {
    fx_t *f = *state;
    tc_close(&f->db);
    free(f);
    return 0;
}

static void database_round_trip(void **state) {
    fx_t *f = *state;
    tc_db_t db = f->db;
    vis_store_t fs = f->fs;
    float d[FMT_DESC_DIM];
    int64_t alice = 0, again = 0;
    vec(d, 0, 1, 0);
    assert_int_equal(fs.enroll(fs.ctx, 0, "Alice O'Hara", d, 0.9f, "photo", &alice), GR_OK);
    vec(d, 0, 1, 0.1);
    assert_int_equal(fs.enroll(fs.ctx, alice, NULL, d, 0.8f, "photo", &again), GR_OK);
    assert_int_equal(again, alice);
    assert_int_equal(fs.enroll(fs.ctx, 999, NULL, d, 0.8f, "photo", &again), GR_ERR_NOTFOUND);
    assert_int_equal(fs.enroll(fs.ctx, 0, "", d, 0.8f, "photo", &again), GR_ERR_INVAL);
    /* an unknown visitor: person, two templates and the visit in one go */
    float t2[2 * FMT_DESC_DIM];
    vec(t2, 4, 5, 0);
    vec(t2 + FMT_DESC_DIM, 4, 5, 0.1);
    vis_visit_in_t in = {0, t2, NULL, 2, 1, 0, "visit-1.jpg", "test", NULL, 0, 0};
    vis_visit_out_t out;
    assert_int_equal(fs.record_visit(fs.ctx, &in, &out), GR_OK);
    assert_true(out.person_id > alice);
    assert_int_equal(out.visit_count, 1);
    char want[64];
    snprintf(want, sizeof want, "Visitor #%lld", (long long)out.person_id);
    assert_string_equal(out.label, want);
    /* Alice returns */
    vis_visit_in_t in2 = {alice, NULL, NULL, 0, 0, 0.31, NULL, "test", NULL, 0, 0};
    vis_visit_out_t out2;
    assert_int_equal(fs.record_visit(fs.ctx, &in2, &out2), GR_OK);
    assert_string_equal(out2.label, "Alice O'Hara");
    assert_int_equal(out2.visit_count, 1);
    assert_int_equal(fs.record_visit(fs.ctx, &in2, &out2), GR_OK);
    assert_int_equal(out2.visit_count, 2);
    /* a visit of someone deleted meanwhile is rolled back */
    vis_visit_in_t gone = {12345, NULL, NULL, 0, 0, 0.2, NULL, "test", NULL, 0, 0};
    assert_int_not_equal(fs.record_visit(fs.ctx, &gone, &out2), GR_OK);
    assert_int_equal(out2.visit_id, 0);
    /* load: 4 templates of 2 people */
    vis_gallery_t *g = vis_gallery_new();
    assert_int_equal(vis_gallery_load(g, &fs), GR_OK);
    assert_int_equal(vis_gallery_templates(g), 4);
    assert_int_equal(vis_gallery_person_templates(g, alice), 2);
    vis_match_t m;
    vec(d, 4, 5, 0.05);
    vis_gallery_search(g, d, &m);
    assert_int_equal(m.person_id, out.person_id);
    assert_int_equal(m.second_id, alice);
    /* a malformed blob is skipped, not loaded as garbage */
    assert_int_equal(crm_store_exec(db.st, "INSERT INTO face_templates(person_id, descriptor) VALUES(1, x'0102')"), GR_OK);
    assert_int_equal(vis_gallery_load(g, &fs), GR_OK);
    assert_int_equal(vis_gallery_templates(g), 4);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM visits"), 3);
    /* the blob is the descriptor's stored form */
    vec(d, 0, 1, 0);
    unsigned char blob[FMT_DESC_BYTES];
    fmt_desc_to_blob(d, blob);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(crm_store_db(db.st), "SELECT descriptor FROM face_templates ORDER BY id LIMIT 1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_bytes(s, 0), FMT_DESC_BYTES);
    assert_memory_equal(sqlite3_column_blob(s, 0), blob, FMT_DESC_BYTES);
    sqlite3_finalize(s);
    vis_gallery_free(g);
}

/* The visit, its lead and its outbox row commit together (visit_hook.h);
 * when the CRM's part fails, the visit, the new person and the templates
 * are rolled back with it. */
static void visit_commits_with_its_lead(void **state) {
    fx_t *f = *state;
    tc_db_t db = f->db;
    vis_store_t fs = f->fs;
    float t[FMT_DESC_DIM];
    vec(t, 2, 3, 0);
    vis_visit_in_t in = {0, t, NULL, 1, 1, 0, "v1.jpg", "cam0", NULL, 0, 0};
    vis_visit_out_t out;
    crm_opts_t o;
    crm_store_opts(db.st, &o);
    o.visitor_lead = CRM_LEAD_FIRST_VISIT; /* a lead on the first visit (privacy.visitor_lead) */
    crm_store_set_opts(db.st, &o);
    assert_int_equal(fs.record_visit(fs.ctx, &in, &out), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM leads WHERE source='face_visit' AND title LIKE 'Visitor #% at %'"),
                     1);
    assert_int_equal(tc_int(db.st, "SELECT person_id FROM leads"), out.person_id);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='visit'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT json_extract(payload, '$.lead_id') FROM outbox WHERE entity='visit'"),
                     tc_int(db.st, "SELECT id FROM leads"));
    /* the hook fails (no leads table): nothing of the visit stays */
    assert_int_equal(crm_store_exec(db.st, "ALTER TABLE leads RENAME TO leads_gone"), GR_OK);
    vis_visit_in_t again = {0, t, NULL, 1, 1, 0, NULL, "cam0", NULL, 0, 0};
    assert_int_not_equal(fs.record_visit(fs.ctx, &again, &out), GR_OK);
    assert_int_equal(out.person_id, 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM visits"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM people"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM face_templates"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='visit'"), 1);
}

static void signature_and_visit_end(void **state) {
    fx_t *f = *state;
    tc_db_t db = f->db;
    vis_store_t fs = f->fs;
    vis_store_sig_t a, b;
    assert_int_equal(fs.signature(fs.ctx, &a), GR_OK);
    assert_int_equal(a.templates, 0);
    float d[FMT_DESC_DIM];
    vec(d, 0, 1, 0);
    int64_t p = 0;
    assert_int_equal(fs.enroll(fs.ctx, 0, "Bo", d, 0.5f, "photo", &p), GR_OK);
    assert_int_equal(fs.signature(fs.ctx, &b), GR_OK);
    assert_int_equal(b.templates, 1);
    assert_true(b.last_id > a.last_id);
    vis_visit_in_t in = {p, NULL, NULL, 0, 0, 0.2, NULL, "cam0", NULL, 0, 0};
    vis_visit_out_t out;
    assert_int_equal(fs.record_visit(fs.ctx, &in, &out), GR_OK);
    /* an end before the start is the start; the first end stays */
    assert_int_equal(fs.end_visit(fs.ctx, out.visit_id, 1.0), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT ended_at = started_at FROM visits"), 1);
    assert_int_equal(fs.end_visit(fs.ctx, out.visit_id, 4e9), GR_ERR_NOTFOUND);
    assert_int_equal(tc_int(db.st, "SELECT ended_at = started_at FROM visits"), 1);
    assert_int_equal(fs.end_visit(fs.ctx, 777, 4e9), GR_ERR_NOTFOUND);
}

/* The opener the CLI uses: a connection of its own, closed with the store. */
static void opener_opens_and_closes(void **state) {
    (void)state;
    vis_store_t fs;
    char err[256];
    crm_opts_t opts;
    crm_opts_default(&opts);
    const vis_store_opener_t opener = crm_face_store_opener(&opts);
    assert_ptr_equal(opener.ctx, &opts);
    assert_int_equal(opener.open(opener.ctx, ":memory:", &fs, err, sizeof err), GR_OK);
    assert_non_null(fs.ctx);
    vis_store_sig_t sig;
    assert_int_equal(fs.signature(fs.ctx, &sig), GR_OK);
    assert_int_equal(sig.templates, 0);
    opener.close(&fs);
    assert_null(fs.ctx);
    assert_int_not_equal(opener.open(opener.ctx, "/nonexistent/dir/greeter.db", &fs, err, sizeof err), GR_OK);
    assert_true(err[0] != '\0');
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(database_round_trip, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(visit_commits_with_its_lead, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(signature_and_visit_end, fx_setup, fx_teardown),
        cmocka_unit_test(opener_opens_and_closes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
