/* Leads (status rules, conversion in one transaction), deals (stages),
 * the visit hook, notifications, visits and activity. */
#include "tests/test_crm_util.h"

#include "crm/activity.h"
#include "firmware/core/bus.h"
#include "firmware/core/config.h"
#include "crm/contacts.h"
#include "crm/deals.h"
#include "crm/expected.h"
#include "crm/followup.h"
#include "crm/leads.h"
#include "crm/notify.h"
#include "crm/scans.h"
#include "crm/visit_hook.h"
#include "crm/visits.h"
#include "crm/worker.h"

#include <time.h>

static json_t *lead_ok(crm_store_t *st, const char *text) {
    json_t *in = tc_json(text), *out = NULL;
    char err[256] = "";
    int rc = crm_lead_create(st, in, "tester", &out, err, sizeof err);
    if (rc != GR_OK) fail_msg("lead %s: %d %s", text, rc, err);
    json_decref(in);
    return out;
}

static int set_status(crm_store_t *st, long long id, const char *status, char *err) {
    json_t *p = json_pack("{s:s}", "status", status), *o = NULL;
    int rc = crm_lead_update(st, id, p, "t", &o, err, 256);
    json_decref(p);
    json_decref(o);
    return rc;
}

static void lead_status_rules(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_t *l = lead_ok(db.st, "{\"data\":{\"name\":\"Ivan Petrov\",\"company\":\"ООО Ромашка\"}}");
    long long id = tc_id(l);
    assert_string_equal(tc_str(l, "title"), "Ivan Petrov (ООО Ромашка)");
    assert_string_equal(tc_str(l, "status"), "NEW");
    assert_string_equal(tc_str(l, "source"), "manual");
    /* The manager is notified (UI + mail queue), and the outbox has the lead. */
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM notifications WHERE mail_state='pending' AND entity='lead'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='lead'"), 1);
    char err[256] = "";
    assert_int_equal(set_status(db.st, id, "CONVERTED", err), GR_ERR_INVAL);
    assert_non_null(strstr(err, "convert"));
    assert_int_equal(set_status(db.st, id, "WON", err), GR_ERR_INVAL);
    assert_non_null(strstr(err, "status"));
    assert_int_equal(set_status(db.st, id, "IN_PROCESS", err), GR_OK);
    assert_int_equal(set_status(db.st, id, "NEW", err), GR_OK);
    assert_int_equal(set_status(db.st, id, "JUNK", err), GR_OK);
    assert_int_equal(set_status(db.st, id, "NEW", err), GR_ERR_INVAL); /* JUNK is final */
    assert_non_null(strstr(err, "JUNK"));
    assert_int_equal(set_status(db.st, 999, "NEW", err), GR_ERR_NOTFOUND);
    json_t *o = NULL;
    assert_int_equal(crm_lead_convert(db.st, id, "t", &o, err, sizeof err), GR_ERR_INVAL);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM activity WHERE entity='lead' AND kind='status'"), 3);
    /* Bad input. */
    const char *bad[] = {"{}", "{\"title\":\"x\",\"status\":\"CONVERTED\"}", "{\"title\":\"x\",\"source\":\"web\"}",
                         "{\"title\":\"x\",\"data\":[1]}", "{\"title\":\"x\",\"contact_id\":77}",
                         "{\"title\":\"x\",\"person_id\":\"1\"}", "{\"title\":[]}", "7"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *in = json_loads(bad[i], JSON_DECODE_ANY, NULL);
        assert_int_equal(crm_lead_create(db.st, in, "t", &o, err, sizeof err), GR_ERR_INVAL);
        assert_null(o);
        json_decref(in);
    }
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM leads"), 1);
    json_t *list = NULL;
    assert_int_equal(crm_lead_list(db.st, "Ромашка", NULL, 10, 0, &list), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
    json_decref(list);
    assert_int_equal(crm_lead_list(db.st, NULL, "NEW", 10, 0, &list), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 0);
    json_decref(list);
    assert_int_equal(crm_lead_list(db.st, NULL, "BOGUS", 10, 0, &list), GR_ERR_INVAL);
    assert_int_equal(crm_lead_delete(db.st, id, "t"), GR_OK);
    assert_int_equal(crm_lead_delete(db.st, id, "t"), GR_ERR_NOTFOUND);
    assert_int_equal(crm_lead_get(db.st, id, &o), GR_ERR_NOTFOUND);
    assert_null(o);
    assert_true(crm_lead_status_valid("IN_PROCESS") && !crm_lead_status_valid("new") && !crm_lead_status_valid(NULL));
    assert_true(crm_lead_source_valid("face_visit") && !crm_lead_source_valid("web"));
    json_decref(l);
    tc_close(&db);
}

static void convert_in_one_transaction(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_t *l = lead_ok(db.st, "{\"title\":\"Booth visitor\",\"source\":\"card_scan\",\"data\":{\"name\":\"Zoe Quinn\","
                               "\"company\":\"Quinn Labs\",\"emails\":[\"zoe@quinn.example\"]}}");
    long long id = tc_id(l);
    char err[256] = "";
    /* Make the deal insert fail: nothing of the conversion may stay, not even outbox rows. */
    assert_int_equal(crm_store_exec(db.st, "CREATE TEMP TRIGGER no_deals BEFORE INSERT ON deals "
                                           "BEGIN SELECT RAISE(ABORT, 'deals refused'); END"), GR_OK);
    long long outbox0 = tc_int(db.st, "SELECT count(*) FROM outbox");
    json_t *o = NULL;
    assert_int_not_equal(crm_lead_convert(db.st, id, "t", &o, err, sizeof err), GR_OK);
    assert_null(o);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM companies"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox"), outbox0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM leads WHERE status='NEW'"), 1);
    assert_int_equal(crm_store_exec(db.st, "DROP TRIGGER no_deals"), GR_OK);
    /* Now it works: contact + company + deal + lead status, with their outbox rows. */
    assert_int_equal(crm_lead_convert(db.st, id, "t", &o, err, sizeof err), GR_OK);
    json_t *c = json_object_get(o, "contact"), *co = json_object_get(o, "company"), *d = json_object_get(o, "deal");
    assert_string_equal(tc_str(c, "name"), "Zoe Quinn");
    assert_string_equal(tc_str(co, "title"), "Quinn Labs");
    assert_string_equal(tc_str(d, "title"), "Booth visitor");
    assert_string_equal(tc_str(d, "stage"), "NEW");
    assert_int_equal(json_integer_value(json_object_get(d, "contact_id")), tc_id(c));
    assert_int_equal(json_integer_value(json_object_get(d, "company_id")), tc_id(co));
    assert_int_equal(json_integer_value(json_object_get(d, "lead_id")), id);
    assert_string_equal(tc_str(json_object_get(o, "lead"), "status"), "CONVERTED");
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='contact'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='company'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='deal'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='lead' AND op='convert'"), 1);
    long long contact_id = tc_id(c);
    json_decref(o);
    /* Converting twice is refused. */
    assert_int_equal(crm_lead_convert(db.st, id, "t", &o, err, sizeof err), GR_ERR_INVAL);
    assert_int_equal(crm_lead_convert(db.st, 999, "t", &o, err, sizeof err), GR_ERR_NOTFOUND);
    /* A lead with a contact already uses it (and its company). */
    json_t *l2 = NULL, *in = json_pack("{s:s,s:I}", "title", "Repeat order", "contact_id",
                                       (json_int_t)contact_id);
    assert_int_equal(crm_lead_create(db.st, in, "t", &l2, err, sizeof err), GR_OK);
    assert_int_equal(crm_lead_convert(db.st, tc_id(l2), "t", &o, err, sizeof err), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM deals"), 2);
    assert_false(json_is_null(json_object_get(o, "company")));
    json_decref(o);
    json_decref(in);
    json_decref(l2);
    json_decref(l);
    tc_close(&db);
}

static void deal_stages(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    char err[256] = "";
    json_t *in = tc_json("{\"title\":\"Big 'quoted' deal\",\"amount\":1200.5,\"currency\":\"USD\"}"), *d = NULL;
    assert_int_equal(crm_deal_create(db.st, in, "t", &d, err, sizeof err), GR_OK);
    json_decref(in);
    long long id = tc_id(d);
    assert_string_equal(tc_str(d, "stage"), "NEW");
    const char *path[] = {"PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "PREPARATION", "FINAL_INVOICE", "WON"};
    for (size_t i = 0; i < 6; i++) {
        json_t *p = json_pack("{s:s}", "stage", path[i]), *o = NULL;
        assert_int_equal(crm_deal_update(db.st, id, p, "t", &o, err, sizeof err), GR_OK);
        assert_string_equal(tc_str(o, "stage"), path[i]);
        json_decref(o);
        json_decref(p);
    }
    json_t *p = tc_json("{\"stage\":\"LOSE\"}"), *o = NULL;
    assert_int_equal(crm_deal_update(db.st, id, p, "t", &o, err, sizeof err), GR_ERR_INVAL); /* closed */
    assert_non_null(strstr(err, "closed"));
    json_decref(p);
    const char *bad[] = {"{\"title\":\"x\",\"stage\":\"DONE\"}", "{\"title\":\"x\",\"amount\":-1}",
                         "{\"title\":\"x\",\"amount\":\"5\"}", "{\"title\":\"x\",\"currency\":\"euro\"}",
                         "{\"title\":\"x\",\"contact_id\":5}", "{\"stage\":\"NEW\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        in = tc_json(bad[i]);
        assert_int_equal(crm_deal_create(db.st, in, "t", &o, err, sizeof err), GR_ERR_INVAL);
        json_decref(in);
    }
    json_t *list = NULL;
    assert_int_equal(crm_deal_list(db.st, "quoted", "WON", 10, 0, &list), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
    json_decref(list);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM activity WHERE entity='deal' AND kind='stage'"), 6);
    assert_true(crm_deal_stage_valid("PREPAYMENT_INVOICE") && !crm_deal_stage_valid("won") && !crm_deal_stage_valid(NULL));
    assert_int_equal(crm_deal_list(db.st, NULL, "BOGUS", 10, 0, &list), GR_ERR_INVAL);
    assert_int_equal(crm_deal_delete(db.st, id, "t"), GR_OK);
    assert_int_equal(crm_deal_get(db.st, id, &o), GR_ERR_NOTFOUND);
    json_decref(d);
    tc_close(&db);
}

/* privacy.visitor_lead: by default a walk-by (one visit) stays an anonymous
 * visitor and the second visit makes the lead, once; "staff" never makes
 * one by itself. */
static void walk_bys_stay_anonymous(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    long long p = tc_person(db.st, "Visitor #3", 0, 0);
    assert_int_equal(crm_store_begin(db.st), GR_OK);
    assert_int_equal(crm_store_exec(db.st, "UPDATE people SET visit_count = 1"), GR_OK);
    long long v1 = tc_visit(db.st, p, 0, NULL, 1);
    assert_int_equal(crm_on_visit(db.st, p, v1, 1), GR_OK);
    assert_int_equal(crm_store_commit(db.st), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM leads"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM notifications"), 0);
    for (int k = 2; k <= 3; k++) {
        assert_int_equal(crm_store_begin(db.st), GR_OK);
        assert_int_equal(crm_store_exec(db.st, "UPDATE people SET visit_count = visit_count + 1"), GR_OK);
        long long v = tc_visit(db.st, p, 0, NULL, 0);
        assert_int_equal(crm_on_visit(db.st, p, v, 0), GR_OK);
        assert_int_equal(crm_store_commit(db.st), GR_OK);
        assert_int_equal(tc_int(db.st, "SELECT count(*) FROM leads WHERE person_id = (SELECT id FROM people)"), 1);
    }
    /* staff: no lead however often */
    crm_opts_t o;
    crm_store_opts(db.st, &o);
    o.visitor_lead = CRM_LEAD_STAFF;
    crm_store_set_opts(db.st, &o);
    long long q = tc_person(db.st, "Visitor #4", 0, 0);
    for (int k = 1; k <= 3; k++) {
        assert_int_equal(crm_store_begin(db.st), GR_OK);
        char sql[128];
        snprintf(sql, sizeof sql, "UPDATE people SET visit_count = %d WHERE id = %lld", k, q);
        assert_int_equal(crm_store_exec(db.st, sql), GR_OK);
        long long v = tc_visit(db.st, q, 0, NULL, k == 1);
        assert_int_equal(crm_on_visit(db.st, q, v, k == 1), GR_OK);
        assert_int_equal(crm_store_commit(db.st), GR_OK);
    }
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM leads"), 1);
    tc_close(&db);
}

static void visit_hook_makes_leads(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    gr_config_t *cfg = gr_config_new();
    char err[256];
    assert_int_equal(gr_config_set(cfg, "device.name", "Booth 7", err, sizeof err), GR_OK);
    assert_int_equal(gr_config_set(cfg, "privacy.visitor_lead", "first_visit", err, sizeof err), GR_OK);
    tc_apply(db.st, cfg);
    gr_config_free(cfg);
    /* As vision does it: inside its own transaction. */
    assert_int_equal(crm_store_begin(db.st), GR_OK);
    long long p = tc_person(db.st, "Visitor #17", 1, 0);
    long long v = tc_visit(db.st, p, 0, "v1.jpg", 1);
    assert_int_equal(crm_on_visit(db.st, p, v, 1), GR_OK);
    assert_int_equal(crm_store_commit(db.st), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM leads WHERE source='face_visit' AND title='Visitor #17 at Booth 7'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT person_id FROM leads"), p);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM notifications WHERE mail_state='pending'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='visit'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='lead'"), 1);
    /* The lead is queued before the visit, and the visit names it and its snapshot. */
    assert_true(tc_int(db.st, "SELECT id FROM outbox WHERE entity='lead'") < tc_int(db.st, "SELECT id FROM outbox WHERE entity='visit'"));
    assert_int_equal(tc_int(db.st, "SELECT json_extract(payload, '$.lead_id') FROM outbox WHERE entity='visit'"),
                     tc_int(db.st, "SELECT id FROM leads"));
    assert_int_equal(tc_int(db.st, "SELECT json_extract(payload, '$.snapshot') = 'v1.jpg' FROM outbox WHERE entity='visit'"), 1);
    /* Returning: activity, no new lead. */
    long long v2 = tc_visit(db.st, p, 0, NULL, 0);
    char snap[64];
    assert_int_equal(crm_visit_snapshot(db.st, v, snap, sizeof snap), GR_OK);
    assert_string_equal(snap, "v1.jpg");
    assert_int_equal(crm_visit_snapshot(db.st, v2, snap, sizeof snap), GR_ERR_EMPTY);
    assert_int_equal(crm_visit_snapshot(db.st, 99999, snap, sizeof snap), GR_ERR_NOTFOUND);
    assert_int_equal(crm_on_visit(db.st, p, v2, 0), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM leads"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM activity WHERE entity='person' AND kind='visit'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='visit'"), 2);
    /* A failure rolls back only the hook's part and reports it. */
    assert_int_equal(crm_store_begin(db.st), GR_OK);
    assert_int_equal(crm_on_visit(db.st, p, 9999, 1), GR_ERR_NOTFOUND);
    crm_store_rollback(db.st);
    /* Visitors page. */
    json_t *stats = NULL, *list = NULL;
    assert_int_equal(crm_visit_stats(db.st, NULL, &stats), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(stats, "total")), 2);
    assert_int_equal(json_integer_value(json_object_get(stats, "new")), 1);
    assert_int_equal(json_integer_value(json_object_get(stats, "returning")), 1);
    assert_int_equal(json_integer_value(json_object_get(stats, "people")), 1);
    json_decref(stats);
    assert_int_equal(crm_visit_stats(db.st, "2001-01-01", &stats), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(stats, "total")), 0);
    json_decref(stats);
    assert_int_equal(crm_visit_stats(db.st, "2026-02-31", &stats), GR_ERR_INVAL);
    assert_int_equal(crm_visit_stats(db.st, "today'--", &stats), GR_ERR_INVAL);
    assert_int_equal(crm_visit_list(db.st, NULL, p, 10, 0, &list), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 2);
    assert_string_equal(tc_str(json_array_get(json_object_get(list, "items"), 0), "label"), "Visitor #17");
    json_decref(list);
    /* Days are the board's local days: 11:30 UTC is already tomorrow at UTC+14. */
    setenv("TZ", "XYZ-14", 1);
    tzset();
    assert_int_equal(crm_store_exec(db.st, "INSERT INTO visits(person_id, started_at, camera) "
                                           "VALUES (NULL, '2026-01-01T11:30:00.000Z', 'cam0')"), GR_OK);
    assert_int_equal(crm_visit_stats(db.st, "2026-01-02", &stats), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(stats, "total")), 1);
    assert_string_equal(tc_str(stats, "day"), "2026-01-02");
    json_decref(stats);
    assert_int_equal(crm_visit_stats(db.st, "2026-01-01", &stats), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(stats, "total")), 0);
    json_decref(stats);
    assert_int_equal(crm_visit_list(db.st, "2026-01-02", 0, 10, 0, &list), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
    json_decref(list);
    unsetenv("TZ");
    tzset();
    cfg = gr_config_new(); /* back to the defaults */
    tc_apply(db.st, cfg);
    gr_config_free(cfg);
    tc_close(&db);
}

static void notifications_and_activity(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    int64_t a = 0, b = 0;
    assert_int_equal(crm_notify_add(db.st, "One", "body", "lead", 1, 0, &a), GR_OK);
    assert_int_equal(crm_notify_add(db.st, "Two", "body", NULL, 0, 1, &b), GR_OK);
    json_t *l = NULL;
    assert_int_equal(crm_notify_list(db.st, 0, 10, 0, &l), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(l, "unread")), 2);
    assert_string_equal(tc_str(json_array_get(json_object_get(l, "items"), 0), "subject"), "Two");
    json_decref(l);
    assert_int_equal(crm_notify_mark_read(db.st, a), GR_OK);
    assert_int_equal(crm_notify_mark_read(db.st, 999), GR_ERR_NOTFOUND);
    assert_int_equal(crm_notify_list(db.st, 1, 10, 0, &l), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 1);
    json_decref(l);
    assert_int_equal(crm_notify_mark_read(db.st, 0), GR_OK);
    assert_int_equal(crm_notify_list(db.st, 1, 10, 0, &l), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 0);
    json_decref(l);
    json_t *d = json_pack("{s:s}", "why", "test");
    assert_int_equal(crm_activity_add(db.st, "deal", 5, "note", "anna", d), GR_OK);
    json_decref(d);
    assert_int_equal(crm_activity_list(db.st, "deal", 5, 10, 0, &l), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 1);
    json_t *it = json_array_get(json_object_get(l, "items"), 0);
    assert_string_equal(tc_str(it, "actor"), "anna");
    assert_string_equal(tc_str(json_object_get(it, "detail"), "why"), "test");
    json_decref(l);
    tc_close(&db);
}

static void worker_without_mail_keeps_ui_only(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_decref(lead_ok(db.st, "{\"title\":\"Walk-in\"}"));
    /* An unknown visitor seen 40 days ago: the worker's first retention run removes the template. */
    tc_person(db.st, "Visitor #9", 1, 40);
    gr_config_t *cfg = gr_config_new();
    char err[256];
    assert_int_equal(gr_config_set(cfg, "storage.dir", db.dir, err, sizeof err), GR_OK);
    gr_bus_t *bus = gr_bus_new();
    gr_bus_sub_t *sub = gr_bus_subscribe(bus, "lead.", 4);
    crm_worker_t *w = NULL;
    assert_int_equal(crm_worker_open(cfg, bus, &w), GR_OK);
    json_decref(lead_ok(db.st, "{\"title\":\"Second\"}"));
    assert_int_equal(gr_bus_publish(bus, "crm.changed", "{}"), GR_OK);
    char *topic = NULL, *json = NULL;
    assert_int_equal(gr_bus_next(sub, &topic, &json, 10000), GR_OK);
    assert_non_null(strstr(json, "Second"));
    free(topic);
    free(json);
    crm_worker_close(w); /* joins: its pass over the notifications is done */
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM notifications WHERE mail_state = 'pending'"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM notifications WHERE mail_state = 'none'"), 2);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM face_templates"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM audit_log WHERE action = 'retention.purge'"), 1);
    gr_bus_unsubscribe(sub);
    gr_bus_free(bus);
    gr_config_free(cfg);
    tc_close(&db);
}


/* Issue 15: a lead's qualification is checked and stored, a card's lead is
 * titled "Full Name (Company)" and carries it, "update existing" updates. */
static void lead_qualification(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_t *l = lead_ok(db.st, "{\"data\":{\"given_name\":\"Anna\",\"family_name\":\"Schmidt\",\"company\":\"Globex\"},"
                               "\"rating\":4,\"temperature\":\"hot\",\"interests\":[\"Pricing\",\"Demo\"],"
                               "\"note\":\"call\",\"event\":\"Expo\",\"follow_up\":\"2031-05-04\",\"assigned_to\":\"bob\"}");
    assert_string_equal(tc_str(l, "title"), "Anna Schmidt (Globex)");
    assert_int_equal(json_integer_value(json_object_get(l, "rating")), 4);
    assert_string_equal(tc_str(l, "temperature"), "hot");
    assert_int_equal(json_array_size(json_object_get(l, "interests")), 2);
    assert_string_equal(tc_str(l, "event"), "Expo");
    assert_string_equal(tc_str(l, "follow_up"), "2031-05-04");
    long long id = tc_id(l);
    json_decref(l);
    static const char *const bad[] = {"{\"rating\":6}", "{\"rating\":2.5}", "{\"temperature\":\"lukewarm\"}",
                                      "{\"interests\":\"Pricing\"}", "{\"interests\":[\"\"]}", "{\"interests\":[3]}",
                                      "{\"follow_up\":\"next week\"}", "{\"follow_up\":\"2031-13-01\"}"};
    char err[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *p = tc_json(bad[i]), *o = NULL;
        err[0] = 0;
        assert_int_equal(crm_lead_update(db.st, id, p, "t", &o, err, sizeof err), GR_ERR_INVAL);
        assert_true(err[0] != 0);
        assert_null(o);
        json_decref(p);
    }
    json_t *p = tc_json("{\"rating\":0,\"temperature\":\"\",\"interests\":[],\"follow_up\":\"\"}"), *o = NULL;
    assert_int_equal(crm_lead_update(db.st, id, p, "t", &o, err, sizeof err), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(o, "rating")), 0);
    assert_string_equal(tc_str(o, "event"), "Expo"); /* untouched */
    json_decref(p);
    json_decref(o);
    /* Converted, the deal keeps the responsible user. */
    assert_int_equal(crm_lead_convert(db.st, id, "t", &o, err, sizeof err), GR_OK);
    assert_string_equal(tc_str(json_object_get(o, "deal"), "assigned_to"), "bob");
    json_decref(o);
    /* A card saved with a qualification, then the same person's card updating their contact. */
    json_t *fields = tc_json("{\"given_name\":\"Lee\",\"family_name\":\"Park\",\"company\":\"Initech\",\"emails\":[\"lee@initech.example\"]}");
    json_t *q = tc_json("{\"rating\":5,\"temperature\":\"warm\",\"event\":\"Expo\",\"title\":\"ignored\"}");
    crm_scan_opts_t opts = {.make_lead = 1, .lead = q};
    assert_int_equal(crm_scan_save_with(db.st, NULL, fields, NULL, 0, &opts, "desk", &o, err, sizeof err), GR_OK);
    json_t *lead = json_object_get(o, "lead");
    assert_string_equal(tc_str(lead, "title"), "Lee Park (Initech)");
    assert_int_equal(json_integer_value(json_object_get(lead, "rating")), 5);
    long long cid = tc_id(json_object_get(o, "contact"));
    json_decref(o);
    json_decref(fields);
    fields = tc_json("{\"given_name\":\"Lee\",\"family_name\":\"Park\",\"company\":\"Initech\",\"title\":\"CTO\"}");
    opts.contact_id = cid;
    assert_int_equal(crm_scan_save_with(db.st, NULL, fields, NULL, 0, &opts, "desk", &o, err, sizeof err), GR_OK);
    assert_int_equal(tc_id(json_object_get(o, "contact")), cid);
    assert_string_equal(tc_str(json_object_get(o, "contact"), "title"), "CTO");
    json_decref(o);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts WHERE family_name = 'Park'"), 1);
    opts.contact_id = 99999;
    assert_int_equal(crm_scan_save_with(db.st, NULL, fields, NULL, 0, &opts, "desk", &o, err, sizeof err), GR_ERR_NOTFOUND);
    json_decref(fields);
    json_decref(q);
    tc_close(&db);
}

/* Issue 15: the host hears that their expected visitor or their contact is
 * at reception (notification for them, to their users.email); an unknown
 * walk-by or a contact nobody looks after tells no one. */
static void host_is_told(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    char err[256] = "";
    assert_int_equal(crm_store_exec(db.st, "INSERT INTO users(username, password_hash, email) VALUES "
                                           "('anna', 'x', 'anna@example.test')"), GR_OK);
    json_t *in = tc_json("{\"given_name\":\"Bo\",\"family_name\":\"Berg\",\"company\":\"Globex\",\"assigned_to\":\"anna\"}"), *c = NULL;
    assert_int_equal(crm_contact_create(db.st, in, "t", &c, err, sizeof err), GR_OK);
    json_decref(in);
    long long cid = tc_id(c);
    json_decref(c);
    long long p = tc_person(db.st, "Bo Berg", 1, 0);
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE people SET contact_id = %lld, known = 1 WHERE id = %lld", cid, p);
    assert_int_equal(crm_store_exec(db.st, sql), GR_OK);
    /* Expected by name, for another host: that host is told, the row arrives. */
    json_t *e = NULL;
    in = tc_json("{\"name\":\"Carl Expected\",\"host\":\"anna\",\"note\":\"Room 2\"}");
    assert_int_equal(crm_expected_add(db.st, in, "desk", &e, err, sizeof err), GR_OK);
    json_decref(in);
    json_decref(e);
    in = tc_json("{\"company\":\"x\"}");
    assert_int_equal(crm_expected_add(db.st, in, "desk", &e, err, sizeof err), GR_ERR_INVAL);
    json_decref(in);
    in = tc_json("{\"name\":\"x\",\"day\":\"tomorrow\"}");
    assert_int_equal(crm_expected_add(db.st, in, "desk", &e, err, sizeof err), GR_ERR_INVAL);
    json_decref(in);
    long long p2 = tc_person(db.st, "Carl Expected", 1, 0);
    assert_int_equal(crm_store_exec(db.st, "UPDATE people SET known = 1"), GR_OK);
    long long v = tc_visit(db.st, p2, 0, NULL, 0);
    assert_int_equal(crm_on_visit(db.st, p2, v, 0), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM notifications WHERE kind = 'arrival' AND for_user = 'anna' "
                                   "AND recipient = 'anna@example.test' AND subject = 'Carl Expected is at reception' "
                                   "AND body LIKE '%Room 2%' AND mail_state = 'pending'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM expected_visitors WHERE arrived_at IS NOT NULL"), 1);
    /* The contact with a responsible user: "Bo Berg (Globex) is at reception". */
    v = tc_visit(db.st, p, 0, NULL, 0);
    assert_int_equal(crm_on_visit(db.st, p, v, 0), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM notifications WHERE kind = 'arrival' AND entity = 'contact' "
                                   "AND subject = 'Bo Berg (Globex) is at reception'"), 1);
    /* A walk-by: a lead and its notification, no arrival. */
    long long p3 = tc_person(db.st, "Visitor #3", 1, 0);
    v = tc_visit(db.st, p3, 0, NULL, 1);
    assert_int_equal(crm_on_visit(db.st, p3, v, 1), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM notifications WHERE kind = 'arrival'"), 2);
    json_t *list = NULL;
    assert_int_equal(crm_expected_list(db.st, NULL, &list), GR_OK);
    assert_int_equal(json_array_size(json_object_get(list, "items")), 1);
    long long eid = tc_id(json_array_get(json_object_get(list, "items"), 0));
    json_decref(list);
    assert_int_equal(crm_expected_delete(db.st, eid), GR_OK);
    assert_int_equal(crm_expected_delete(db.st, eid), GR_ERR_NOTFOUND);
    /* The visit log: each visit's own number, and search. */
    assert_int_equal(crm_visit_search(db.st, NULL, 0, "berg", 10, 0, &list), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(list, "items"), 0), "visit_no")), 1);
    json_decref(list);
    tc_close(&db);
}


/* Issue 15: the follow-up e-mail to a visitor: only with their consent to
 * e-mail and an address; the templates filled in; queued to their address. */
static void followup_mail(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    char err[256] = "";
    json_t *o = NULL, *q = tc_json("{\"event\":\"Expo 2031\"}");
    json_t *fields = tc_json("{\"given_name\":\"Lee\",\"family_name\":\"Park\",\"company\":\"Initech\","
                             "\"emails\":[\"lee@initech.example\"],\"consent_mail\":false}");
    crm_scan_opts_t opts = {.make_lead = 1, .lead = q, .followup = 1};
    assert_int_equal(crm_scan_save_with(db.st, NULL, fields, NULL, 0, &opts, "desk", &o, err, sizeof err), GR_ERR_INVAL);
    assert_non_null(strstr(err, "agreed to e-mail"));
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts"), 0); /* nothing saved */
    json_object_set_new(fields, "consent_mail", json_true());
    json_object_set_new(fields, "emails", json_array());
    assert_int_equal(crm_scan_save_with(db.st, NULL, fields, NULL, 0, &opts, "desk", &o, err, sizeof err), GR_ERR_INVAL);
    json_object_set_new(fields, "emails", json_pack("[s]", "lee@initech.example"));
    assert_int_equal(crm_scan_save_with(db.st, NULL, fields, NULL, 0, &opts, "desk", &o, err, sizeof err), GR_OK);
    json_decref(o);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM notifications WHERE kind = 'followup' AND recipient = "
                                   "'lee@initech.example' AND subject = 'Nice to meet you at Expo 2031' AND "
                                   "body LIKE 'Hello Lee,' || char(10) || char(10) || 'thank you for talking to us at Expo 2031.%' "
                                   "AND mail_state = 'pending' AND read_at IS NOT NULL"), 1);
    char out[64];
    json_t *c = tc_json("{\"name\":\"Ann Lee\"}");
    crm_followup_render("{name}/{event}/{nope}/{title}\\n", c, "", "Booth 7", out, sizeof out);
    assert_string_equal(out, "Ann Lee/Booth 7/{nope}/\n");
    crm_followup_render("Привет, {name}", c, "", "", out, 12);
    assert_string_equal(out, "Приве"); /* 11 bytes of room: cut before the character that does not fit */
    json_decref(c);
    json_decref(fields);
    json_decref(q);
    tc_close(&db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lead_status_rules),
        cmocka_unit_test(convert_in_one_transaction),
        cmocka_unit_test(deal_stages),
        cmocka_unit_test(visit_hook_makes_leads),
        cmocka_unit_test(walk_bys_stay_anonymous),
        cmocka_unit_test(notifications_and_activity),
        cmocka_unit_test(worker_without_mail_keeps_ui_only),
        cmocka_unit_test(lead_qualification),
        cmocka_unit_test(host_is_told),
        cmocka_unit_test(followup_mail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
