/* Card scans with their images, "forget this person", retention. */
#include "tests/test_crm_util.h"

#include "crm/contacts.h"
#include "crm/leads.h"
#include "crm/outbox.h"
#include "crm/privacy.h"
#include "crm/scans.h"

#include <sys/stat.h>
#include <unistd.h>

static int exists(const char *dir, const char *rel) {
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    struct stat sb;
    return stat(p, &sb) == 0;
}

static void touch(const char *dir, const char *rel) {
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    char *slash = strrchr(p, '/');
    *slash = 0;
    mkdir(p, 0700);
    *slash = '/';
    assert_int_equal(tu_write(p, "jpeg"), 0);
}

static const unsigned char JPEG[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};

static void scan_saves_contact_lead_and_image(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_t *result = tc_json("{\"name\":\"Tom Lamb\",\"title\":\"Data scientist\",\"company\":\"Torres PLC\","
                             "\"phones\":[{\"number\":\"+18267969390\",\"type\":\"work\"}],"
                             "\"emails\":[\"tom.lamb@torres.con\"],\"confidence\":{\"emails\":0.4}}");
    json_t *fields = json_deep_copy(result);
    json_object_set_new(fields, "emails", json_pack("[s]", "tom.lamb@torres.com"));
    json_object_set_new(fields, "name", json_string("Thomas Lambert"));
    json_t *out = NULL;
    char err[256] = "";
    assert_int_equal(crm_scan_save(db.st, result, fields, JPEG, sizeof JPEG, 1, "desk", &out, err, sizeof err), GR_OK);
    json_t *scan = json_object_get(out, "scan"), *c = json_object_get(out, "contact"), *l = json_object_get(out, "lead");
    assert_string_equal(tc_str(c, "name"), "Thomas Lambert");
    assert_string_equal(tc_str(l, "source"), "card_scan");
    assert_int_equal(json_integer_value(json_object_get(l, "contact_id")), tc_id(c));
    assert_int_equal(json_integer_value(json_object_get(l, "scan_id")), tc_id(scan));
    json_t *corr = json_object_get(scan, "corrections");
    assert_non_null(json_object_get(corr, "emails"));
    assert_non_null(json_object_get(corr, "name"));
    assert_null(json_object_get(corr, "title"));
    char rel[64];
    snprintf(rel, sizeof rel, "cards/%s", tc_str(scan, "image"));
    assert_true(exists(db.dir, rel));
    json_decref(out);
    /* Not an image, bad fields: nothing saved. */
    assert_int_equal(crm_scan_save(db.st, result, fields, "GIF89a", 6, 1, "desk", &out, err, sizeof err), GR_ERR_FORMAT);
    json_t *bad = tc_json("{\"emails\":[\"nope\"]}");
    assert_int_equal(crm_scan_save(db.st, NULL, bad, JPEG, sizeof JPEG, 1, "desk", &out, err, sizeof err), GR_ERR_INVAL);
    assert_non_null(strstr(err, "emails[0]"));
    json_decref(bad);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM card_scans"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts"), 1);
    /* A second scan of the same card finds the first contact as a duplicate. */
    assert_int_equal(crm_scan_save(db.st, NULL, fields, NULL, 0, 0, "desk", &out, err, sizeof err), GR_OK);
    assert_int_equal(json_array_size(json_object_get(json_object_get(out, "contact"), "duplicates")), 1);
    assert_true(json_is_null(json_object_get(out, "lead")));
    json_decref(out);
    json_t *list = NULL, *one = NULL;
    assert_int_equal(crm_scan_get(db.st, 1, &one), GR_OK);
    assert_string_equal(tc_str(json_object_get(one, "result"), "name"), "Tom Lamb"); /* the reader's text, as is */
    json_decref(one);
    assert_int_equal(crm_scan_get(db.st, 999, &one), GR_ERR_NOTFOUND);
    assert_null(one);
    assert_int_equal(crm_scan_list(db.st, 10, 0, &list), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 2);
    json_decref(list);
    json_decref(result);
    json_decref(fields);
    tc_close(&db);
}

static void forget_erases_everything(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    char err[256] = "";
    json_t *fields = tc_json("{\"name\":\"Eva Green\",\"emails\":[\"eva@green.example\"],\"consent_face\":true}"), *out = NULL;
    assert_int_equal(crm_scan_save(db.st, NULL, fields, JPEG, sizeof JPEG, 1, "desk", &out, err, sizeof err), GR_OK);
    long long cid = tc_id(json_object_get(out, "contact"));
    char card[64];
    snprintf(card, sizeof card, "cards/%s", tc_str(json_object_get(out, "scan"), "image"));
    json_decref(out);
    json_decref(fields);
    long long p = tc_person(db.st, "Visitor #3", 2, 0);
    assert_int_equal(crm_contact_link_person(db.st, cid, p, "desk", err, sizeof err), GR_OK);
    tc_visit(db.st, p, 0, "snap-1.jpg", 1);
    tc_visit(db.st, p, 1, "snap-2.jpg", 0);
    touch(db.dir, "snapshots/snap-1.jpg");
    touch(db.dir, "snapshots/snap-2.jpg");
    /* Someone else's data must survive. */
    long long other = tc_person(db.st, "Visitor #4", 1, 0);
    tc_visit(db.st, other, 0, "snap-3.jpg", 1);
    touch(db.dir, "snapshots/snap-3.jpg");
    json_t *res = NULL;
    assert_int_equal(crm_person_forget(db.st, 0, 0, "admin", &res, err, sizeof err), GR_ERR_INVAL);
    assert_int_equal(crm_person_forget(db.st, 555, 0, "admin", &res, err, sizeof err), GR_ERR_NOTFOUND);
    /* Asking by the face identity forgets the linked contact too. */
    assert_int_equal(crm_person_forget(db.st, 0, p, "admin", &res, err, sizeof err), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(res, "templates")), 2);
    assert_int_equal(json_integer_value(json_object_get(res, "snapshots")), 2);
    assert_int_equal(json_integer_value(json_object_get(res, "cards")), 1);
    assert_int_equal(json_integer_value(json_object_get(res, "contacts")), 1);
    assert_int_equal(json_integer_value(json_object_get(res, "files_failed")), 0);
    json_decref(res);
    assert_false(exists(db.dir, "snapshots/snap-1.jpg"));
    assert_false(exists(db.dir, "snapshots/snap-2.jpg"));
    assert_false(exists(db.dir, card));
    assert_true(exists(db.dir, "snapshots/snap-3.jpg"));
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM face_templates"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM people"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM card_scans"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM visits"), 3); /* anonymous counts stay */
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM visits WHERE snapshot IS NOT NULL"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM leads WHERE data LIKE '%Eva%' OR title LIKE '%Eva%'"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM notifications WHERE subject LIKE '%Eva%' OR body LIKE '%Eva%'"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts_fts WHERE doc LIKE '%eva%'"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM audit_log WHERE action='person.forget' AND actor='admin'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM audit_log WHERE detail LIKE '%Eva%'"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='contact' AND op='delete'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='person' AND op='delete'"), 1);
    /* issue 12: no outbox row carries the person, the delete ids only, nothing of theirs left unsent */
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE payload LIKE '%Eva%' OR payload LIKE '%green%'"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='contact' AND op='delete' AND "
                                   "payload = '{\"id\":' || local_id || ',\"forgotten\":true}'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='contact' AND state='pending' AND op<>'delete'"), 0);
    /* A snapshot name with a path is never followed outside the folder. */
    assert_int_equal(crm_store_exec(db.st, "UPDATE visits SET snapshot='../greeter.db' WHERE snapshot='snap-3.jpg'"), GR_OK);
    assert_int_equal(crm_person_forget(db.st, 0, other, "admin", &res, err, sizeof err), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(res, "files_failed")), 1);
    json_decref(res);
    assert_true(exists(db.dir, "greeter.db"));
    tc_close(&db);
}

/* issue 12: a sent row keeps no payload; a contact's stays until the CardDAV
 * target (which reads contact rows past its cursor, sent or not) has read it. */
static void sent_rows_keep_no_payload(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    char err[256] = "";
    json_t *in = tc_json("{\"name\":\"Sent Person\",\"emails\":[\"sent@example.com\"]}"), *out = NULL;
    assert_int_equal(crm_contact_create(db.st, in, "desk", &out, err, sizeof err), GR_OK);
    json_decref(in);
    json_decref(out);
    in = tc_json("{\"title\":\"Sent Person at the booth\"}");
    assert_int_equal(crm_lead_create(db.st, in, "desk", &out, err, sizeof err), GR_OK);
    json_decref(in);
    json_decref(out);
    long long contact_row = tc_int(db.st, "SELECT id FROM outbox WHERE entity='contact'");
    long long lead_row = tc_int(db.st, "SELECT id FROM outbox WHERE entity='lead'");
    assert_int_equal(crm_store_begin(db.st), GR_OK);
    assert_int_equal(crm_outbox_done(db.st, contact_row), GR_OK);
    assert_int_equal(crm_outbox_done(db.st, lead_row), GR_OK);
    assert_int_equal(crm_store_commit(db.st), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='lead' AND payload = '{}'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='contact' AND payload LIKE '%Sent%'"), 1);
    /* CardDAV on, not read yet: kept; read: cleared */
    assert_int_equal(crm_outbox_prune_sent(db.st, 1), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE payload LIKE '%Sent%'"), 1);
    char cur[32];
    snprintf(cur, sizeof cur, "%lld", contact_row);
    assert_int_equal(crm_outbox_state_set(db.st, "carddav", "cursor", cur), GR_OK);
    assert_int_equal(crm_outbox_prune_sent(db.st, 1), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE payload LIKE '%Sent%'"), 0);
    /* CardDAV off: every sent row at once; a pending one keeps its payload */
    in = tc_json("{\"name\":\"Pending Person\"}");
    assert_int_equal(crm_contact_create(db.st, in, "desk", &out, err, sizeof err), GR_OK);
    json_decref(in);
    json_decref(out);
    assert_int_equal(crm_outbox_prune_sent(db.st, 0), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE payload LIKE '%Pending%'"), 1);
    tc_close(&db);
}

static void retention_purges_old_unknowns(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    long long old_unknown = tc_person(db.st, "Visitor #1", 2, 40);
    long long new_unknown = tc_person(db.st, "Visitor #2", 1, 2);
    long long old_known = tc_person(db.st, "Known", 1, 90);
    assert_int_equal(crm_store_exec(db.st, "UPDATE people SET known = 1 WHERE label = 'Known'"), GR_OK);
    tc_visit(db.st, old_unknown, 40, "a.jpg", 1);
    tc_visit(db.st, new_unknown, 2, "b.jpg", 1);
    tc_visit(db.st, new_unknown, 35, "c.jpg", 1);  /* old snapshot of a recent visitor */
    tc_visit(db.st, old_known, 90, "d.jpg", 1);
    const char *files[] = {"snapshots/a.jpg", "snapshots/b.jpg", "snapshots/c.jpg", "snapshots/d.jpg"};
    for (int i = 0; i < 4; i++) touch(db.dir, files[i]);
    json_t *res = NULL;
    assert_int_equal(crm_retention_apply(db.st, 30, &res), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(res, "people")), 1);
    assert_int_equal(json_integer_value(json_object_get(res, "templates")), 2);
    assert_int_equal(json_integer_value(json_object_get(res, "snapshots")), 2);
    json_decref(res);
    assert_false(exists(db.dir, files[0]));
    assert_true(exists(db.dir, files[1]));
    assert_false(exists(db.dir, files[2]));
    assert_true(exists(db.dir, files[3]));
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM face_templates"), 2);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM audit_log WHERE action='retention.purge'"), 1);
    /* Nothing more to do: no second audit row. */
    assert_int_equal(crm_retention_apply(db.st, 30, &res), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(res, "templates")), 0);
    json_decref(res);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM audit_log WHERE action='retention.purge'"), 1);
    /* 0 days: keep no unknown visitor at all. */
    assert_int_equal(crm_retention_apply(db.st, 0, &res), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(res, "templates")), 1);
    json_decref(res);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM face_templates"), 1); /* the known one */
    assert_int_equal(crm_retention_apply(db.st, -1, &res), GR_ERR_INVAL);
    tc_close(&db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scan_saves_contact_lead_and_image),
        cmocka_unit_test(forget_erases_everything),
        cmocka_unit_test(retention_purges_old_unknowns),
        cmocka_unit_test(sent_rows_keep_no_payload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
