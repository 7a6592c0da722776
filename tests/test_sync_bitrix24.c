/* Bitrix24 client pieces: reply envelope and error classes, batch replies
 * (PHP-style []), query strings, the client-side bucket, URL rules,
 * ORIGIN_IDs, field mapping, multi-field updates, back-off. */
#include "tests/testutil.h"

#include "crm/bitrix24.h"
#include "crm/bitrix24_item.h"
#include "crm/bitrix24_map.h"
#include "crm/crmutil.h"
#include "firmware/core/config.h"
#include "firmware/core/err.h"
#include "crm/sync_engine.h"
#include "crm/sync_fleet.h"

#include <stdlib.h>
#include <string.h>

static crm_b24_class_t parse(long status, const char *body, crm_b24_reply_t *r) {
    memset(r, 0, sizeof *r);
    return crm_b24_parse(status, body, body ? strlen(body) : 0, r);
}

static void reply_envelope(void **state) {
    (void)state;
    crm_b24_reply_t r;
    assert_int_equal(parse(200, "{\"result\":17,\"time\":{\"start\":1.5}}", &r), CRM_B24_OK);
    assert_int_equal(json_integer_value(r.result), 17);
    assert_int_equal(r.next, -1);
    crm_b24_reply_clear(&r);

    assert_int_equal(parse(200, "{\"result\":[{\"ID\":\"5\"}],\"next\":50,\"total\":\"654\",\"time\":{}}", &r),
                     CRM_B24_OK);
    assert_int_equal(r.next, 50);
    assert_int_equal(r.total, 654);
    assert_string_equal(json_string_value(json_object_get(json_array_get(r.result, 0), "ID")), "5");
    crm_b24_reply_clear(&r);
}

static void reply_errors(void **state) {
    (void)state;
    crm_b24_reply_t r;
    assert_int_equal(parse(503, "{\"error\":\"QUERY_LIMIT_EXCEEDED\",\"error_description\":\"Too many requests\"}", &r),
                     CRM_B24_TRANSIENT);
    assert_string_equal(r.error, "QUERY_LIMIT_EXCEEDED");
    assert_string_equal(r.message, "Too many requests");
    crm_b24_reply_clear(&r);
    assert_int_equal(parse(401, "{\"error\":\"NO_AUTH_FOUND\",\"error_description\":\"Wrong authorization data\"}", &r),
                     CRM_B24_AUTH);
    crm_b24_reply_clear(&r);
    assert_int_equal(parse(403, "{\"error\":\"insufficient_scope\"}", &r), CRM_B24_AUTH);
    assert_string_equal(r.message, "insufficient_scope");
    crm_b24_reply_clear(&r);
    /* Legacy lead errors: empty code, text only. */
    assert_int_equal(parse(400, "{\"error\":\"\",\"error_description\":\"ID is not defined or invalid.\"}", &r),
                     CRM_B24_REJECTED);
    assert_string_equal(r.message, "ID is not defined or invalid.");
    crm_b24_reply_clear(&r);
    assert_int_equal(parse(500, "{\"error\":\"INTERNAL_SERVER_ERROR\",\"error_description\":\"x\"}", &r),
                     CRM_B24_TRANSIENT);
    crm_b24_reply_clear(&r);
    assert_int_equal(parse(429, "{\"error\":\"OPERATION_TIME_LIMIT\"}", &r), CRM_B24_TRANSIENT);
    crm_b24_reply_clear(&r);
    assert_int_equal(parse(400, "{\"error\":\"ERROR_BATCH_LENGTH_EXCEEDED\",\"error_description\":\"Max\"}", &r),
                     CRM_B24_REJECTED);
    crm_b24_reply_clear(&r);
}

static void reply_garbage(void **state) {
    (void)state;
    crm_b24_reply_t r;
    /* A captive portal's page with 200: retry later, never "delivered". */
    assert_int_equal(parse(200, "<html>Login to Wi-Fi</html>", &r), CRM_B24_TRANSIENT);
    assert_non_null(strstr(r.message, "not a Bitrix24 JSON"));
    crm_b24_reply_clear(&r);
    assert_int_equal(parse(200, "", &r), CRM_B24_TRANSIENT);
    crm_b24_reply_clear(&r);
    assert_int_equal(parse(200, "[1,2]", &r), CRM_B24_TRANSIENT);
    crm_b24_reply_clear(&r);
    assert_int_equal(parse(200, "{\"time\":{}}", &r), CRM_B24_TRANSIENT);
    crm_b24_reply_clear(&r);
    assert_int_equal(parse(502, "Bad gateway", &r), CRM_B24_TRANSIENT);
    crm_b24_reply_clear(&r);
    assert_int_equal(parse(404, "nope", &r), CRM_B24_REJECTED);
    crm_b24_reply_clear(&r);
    assert_int_equal(parse(200, "{\"result\":1", &r), CRM_B24_TRANSIENT); /* cut off */
    crm_b24_reply_clear(&r);
}

/* time.operating / operating_reset_at: the method's execution-time account,
 * at the top of a reply and per command of a batch (result_time). */
static void reply_operating_time(void **state) {
    (void)state;
    crm_b24_reply_t r;
    assert_int_equal(parse(200, "{\"result\":{\"item\":{\"id\":7}},\"time\":{\"operating\":251.5,"
                                "\"operating_reset_at\":1764650000}}", &r),
                     CRM_B24_OK);
    assert_true(r.operating > 251.4 && r.operating < 251.6);
    assert_true(r.operating_reset_at == 1764650000.0);
    crm_b24_reply_clear(&r);
    assert_int_equal(parse(200, "{\"result\":1,\"time\":{\"start\":1}}", &r), CRM_B24_OK);
    assert_true(r.operating < 0 && r.operating_reset_at < 0); /* absent */
    crm_b24_reply_clear(&r);
    /* the portal's block: transient, retried later */
    assert_int_equal(parse(429, "{\"error\":\"OPERATION_TIME_LIMIT\",\"error_description\":\"Method is blocked\"}", &r),
                     CRM_B24_TRANSIENT);
    assert_string_equal(r.error, "OPERATION_TIME_LIMIT");
    crm_b24_reply_clear(&r);
    crm_b24_reply_t top;
    assert_int_equal(parse(200, "{\"result\":{\"result\":{\"a\":{\"item\":{\"id\":1}}},\"result_error\":{\"b\":"
                                "{\"error\":\"OPERATION_TIME_LIMIT\",\"error_description\":\"blocked\"}},"
                                "\"result_time\":{\"a\":{\"operating\":\"300\",\"operating_reset_at\":99}}}}", &top),
                     CRM_B24_OK);
    const char *keys[] = {"a", "b"};
    crm_b24_reply_t reps[2];
    memset(reps, 0, sizeof reps);
    assert_int_equal(crm_b24_split_batch(top.result, keys, 2, reps), GR_OK);
    assert_true(reps[0].operating == 300.0 && reps[0].operating_reset_at == 99.0);
    assert_int_equal(reps[1].cls, CRM_B24_TRANSIENT);
    assert_true(reps[1].operating < 0);
    crm_b24_reply_clear(&reps[0]);
    crm_b24_reply_clear(&reps[1]);
    crm_b24_reply_clear(&top);
}

/* The per-entity field form <-> the universal crm.item form. */
static void item_form(void **state) {
    (void)state;
    char b[64];
    crm_b24_camel("LAST_NAME", b, sizeof b);
    assert_string_equal(b, "lastName");
    crm_b24_camel("UF_CRM_GREETER_FACES", b, sizeof b);
    assert_string_equal(b, "ufCrmGreeterFaces");
    crm_b24_camel("DATE_MODIFY", b, sizeof b);
    assert_string_equal(b, "updatedTime");
    assert_int_equal(crm_b24_entity_type("lead"), 1);
    assert_int_equal(crm_b24_entity_type("deal"), 2);
    assert_int_equal(crm_b24_entity_type("contact"), 3);
    assert_int_equal(crm_b24_entity_type("company"), 4);
    assert_int_equal(crm_b24_entity_type("visit"), 0);
    json_t *f = json_loads("{\"NAME\":\"Ann\",\"ORIGIN_ID\":\"b:contact:1\",\"PHONE\":[{\"VALUE\":\"+49 30 1\","
                           "\"VALUE_TYPE\":\"MOBILE\"}],\"EMAIL\":[],\"PHOTO\":{\"fileData\":[\"a.jpg\",\"QQ==\"]}}",
                           0, NULL);
    json_t *existing = json_loads("{\"id\":5,\"fm\":[{\"id\":1,\"typeId\":\"EMAIL\",\"valueType\":\"WORK\","
                                  "\"value\":\"old@x.de\"},{\"id\":2,\"typeId\":\"IM\",\"valueType\":\"TELEGRAM\","
                                  "\"value\":\"@ann\"}]}",
                                  0, NULL);
    json_t *it = crm_b24_item_fields(f, existing);
    assert_non_null(it);
    assert_string_equal(json_string_value(json_object_get(it, "name")), "Ann");
    assert_string_equal(json_string_value(json_object_get(it, "originId")), "b:contact:1");
    assert_string_equal(json_string_value(json_array_get(json_object_get(it, "photo"), 0)), "a.jpg");
    json_t *fm = json_object_get(it, "fm");
    /* the phone; no e-mail (the record has none now); the messenger kept */
    assert_int_equal(json_array_size(fm), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(fm, 0), "typeId")), "PHONE");
    assert_string_equal(json_string_value(json_object_get(json_array_get(fm, 0), "valueType")), "MOBILE");
    assert_string_equal(json_string_value(json_object_get(json_array_get(fm, 1), "typeId")), "IM");
    assert_null(json_object_get(it, "PHONE"));
    json_decref(it);
    /* and back, as the fleet pull reads it */
    json_t *item = json_loads("{\"id\":9,\"lastName\":\"Lee\",\"updatedTime\":\"2026-01-01T10:00:00+03:00\","
                              "\"ufCrmGreeterFaces\":\"gf1:\",\"fm\":[{\"id\":3,\"typeId\":\"EMAIL\",\"valueType\":\"WORK\","
                              "\"value\":\"a@b.de\"}]}",
                              0, NULL);
    json_t *legacy = crm_b24_item_legacy(item);
    assert_int_equal(json_integer_value(json_object_get(legacy, "ID")), 9);
    assert_string_equal(json_string_value(json_object_get(legacy, "LAST_NAME")), "Lee");
    assert_string_equal(json_string_value(json_object_get(legacy, "DATE_MODIFY")), "2026-01-01T10:00:00+03:00");
    assert_string_equal(json_string_value(json_object_get(legacy, "UF_CRM_GREETER_FACES")), "gf1:");
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(legacy, "EMAIL"), 0), "VALUE")),
                        "a@b.de");
    assert_null(crm_b24_item_legacy(NULL));
    json_decref(legacy);
    json_decref(item);
    json_decref(existing);
    json_decref(f);
}

static void batch_split(void **state) {
    (void)state;
    crm_b24_reply_t top, reps[3];
    const char *keys[3] = {"c0", "c1", "c2"};
    assert_int_equal(parse(200,
                           "{\"result\":{\"result\":{\"c0\":5,\"c2\":[{\"ID\":\"1\"}]},"
                           "\"result_error\":{\"c1\":{\"error\":\"\",\"error_description\":\"Required fields\"}},"
                           "\"result_total\":{\"c2\":120},\"result_next\":{\"c2\":50},\"result_time\":[]},\"time\":{}}",
                           &top),
                     CRM_B24_OK);
    memset(reps, 0, sizeof reps);
    assert_int_equal(crm_b24_split_batch(top.result, keys, 3, reps), GR_OK);
    assert_int_equal(reps[0].cls, CRM_B24_OK);
    assert_int_equal(json_integer_value(reps[0].result), 5);
    assert_int_equal(reps[1].cls, CRM_B24_REJECTED);
    assert_string_equal(reps[1].message, "Required fields");
    assert_int_equal(reps[2].cls, CRM_B24_OK);
    assert_int_equal(reps[2].next, 50);
    assert_int_equal(reps[2].total, 120);
    for (int i = 0; i < 3; i++) crm_b24_reply_clear(&reps[i]);
    crm_b24_reply_clear(&top);

    /* PHP-style empty maps, and a command that was never run (halt). */
    assert_int_equal(parse(200,
                           "{\"result\":{\"result\":[],\"result_error\":{\"c0\":{\"error\":\"QUERY_LIMIT_EXCEEDED\","
                           "\"error_description\":\"Too many\"}},\"result_total\":[],\"result_next\":[],"
                           "\"result_time\":[]},\"time\":{}}",
                           &top),
                     CRM_B24_OK);
    memset(reps, 0, sizeof reps);
    assert_int_equal(crm_b24_split_batch(top.result, keys, 2, reps), GR_OK);
    assert_int_equal(reps[0].cls, CRM_B24_TRANSIENT);
    assert_int_equal(reps[1].cls, CRM_B24_TRANSIENT);
    assert_non_null(strstr(reps[1].message, "not run"));
    for (int i = 0; i < 2; i++) crm_b24_reply_clear(&reps[i]);
    crm_b24_reply_clear(&top);

    /* Not a batch result at all. */
    json_t *bad = json_string("x");
    memset(reps, 0, sizeof reps);
    assert_int_equal(crm_b24_split_batch(bad, keys, 1, reps), GR_ERR_FORMAT);
    assert_int_equal(reps[0].cls, CRM_B24_TRANSIENT);
    json_decref(bad);
}

static void query_encode(void **state) {
    (void)state;
    json_t *p = json_pack("{s:{s:s,s:[{s:s,s:s}],s:b},s:i}", "fields", "TITLE", "Café & Co", "PHONE", "VALUE",
                          "+49 30", "VALUE_TYPE", "WORK", "OPENED", 1, "id", 7);
    char *q = crm_b24_query_encode(p);
    assert_non_null(q);
    assert_string_equal(q, "fields[TITLE]=Caf%C3%A9%20%26%20Co&fields[PHONE][0][VALUE]=%2B49%2030&"
                           "fields[PHONE][0][VALUE_TYPE]=WORK&fields[OPENED]=Y&id=7");
    free(q);
    json_decref(p);
    q = crm_b24_query_encode(NULL);
    assert_string_equal(q, "");
    free(q);
}

static void bucket(void **state) {
    (void)state;
    crm_b24_bucket_t b;
    crm_b24_bucket_init(&b, 2.0, 2.0, 100.0);
    /* Starts without credit: a restarted process cannot burst. */
    double w = crm_b24_bucket_take(&b, 100.0);
    assert_true(w > 0.49 && w <= 0.5);
    assert_true(crm_b24_bucket_take(&b, 100.5) == 0);
    assert_true(crm_b24_bucket_take(&b, 100.5) > 0);
    /* Idle for long: at most `burst` requests at once. */
    int sent = 0;
    while (crm_b24_bucket_take(&b, 200.0) == 0) sent++;
    assert_int_equal(sent, 2);
    /* Over 10 simulated seconds, never more than rate*t + burst. */
    double t = 200.0;
    sent = 0;
    while (t < 210.0) {
        double x = crm_b24_bucket_take(&b, t);
        if (x == 0)
            sent++;
        else
            t += x;
    }
    assert_true(sent <= 21 && sent >= 19);
}

static void url_rules(void **state) {
    (void)state;
    char err[256];
    assert_int_equal(crm_b24_url_check("https://acme.bitrix24.de/rest/1/abc/", err, sizeof err), GR_OK);
    assert_int_equal(crm_b24_url_check("http://127.0.0.1:8080/rest/1/abc/", err, sizeof err), GR_OK);
    assert_int_equal(crm_b24_url_check("http://localhost/rest/1/abc/", err, sizeof err), GR_OK);
    assert_int_equal(crm_b24_url_check("http://acme.bitrix24.de/rest/1/secretcode/", err, sizeof err), GR_ERR_INVAL);
    assert_null(strstr(err, "secretcode")); /* the secret is never echoed */
    assert_int_equal(crm_b24_url_check("http://127.0.0.1.evil.com/rest/1/x/", err, sizeof err), GR_ERR_INVAL);
    assert_int_equal(crm_b24_url_check("ftp://x/rest/1/x/", err, sizeof err), GR_ERR_INVAL);
    assert_int_equal(crm_b24_url_check("https://acme.bitrix24.de/", err, sizeof err), GR_ERR_INVAL);
    assert_int_equal(crm_b24_url_check("", err, sizeof err), GR_ERR_INVAL);
}

static int resolver(void *ctx, const char *entity, int64_t id, char *buf, size_t len) {
    (void)ctx;
    if (strcmp(entity, "company") == 0 && id == 3) {
        snprintf(buf, len, "901");
        return 1;
    }
    if (strcmp(entity, "contact") == 0 && id == 4) {
        snprintf(buf, len, "77");
        return 1;
    }
    return 0;
}

static void origin_and_mapping(void **state) {
    (void)state;
    char buf[64];
    assert_int_equal(crm_b24_origin_id("a1b2", "contact", 42, buf, sizeof buf), GR_OK);
    assert_string_equal(buf, "a1b2:contact:42");
    assert_int_equal(crm_b24_origin_id("a1b2", "contact", 42, buf, 8), GR_ERR_RANGE);

    crm_b24_map_ctx_t ctx = {"dev", "Booth 7", "WEB", resolver, NULL, NULL};
    char err[200];
    json_t *f = NULL;
    json_t *c = json_loads("{\"given_name\":\"Ann\",\"family_name\":\"Lee\",\"title\":\"CTO\",\"company_id\":3,"
                           "\"phones\":[{\"number\":\"+49 30 1\",\"type\":\"mobile\"},{\"number\":\"2\",\"type\":\"weird\"}],"
                           "\"emails\":[\"ann@x.com\"],\"websites\":[\"x.com\"],\"extra\":1}",
                           0, NULL);
    assert_int_equal(crm_b24_map_fields(&ctx, "contact", "upsert", c, &f, err, sizeof err), GR_OK);
    assert_string_equal(json_string_value(json_object_get(f, "NAME")), "Ann");
    assert_string_equal(json_string_value(json_object_get(f, "POST")), "CTO");
    assert_string_equal(json_string_value(json_object_get(f, "COMPANY_ID")), "901");
    json_t *ph = json_object_get(f, "PHONE");
    assert_int_equal(json_array_size(ph), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ph, 0), "VALUE_TYPE")), "MOBILE");
    assert_string_equal(json_string_value(json_object_get(json_array_get(ph, 1), "VALUE_TYPE")), "OTHER");
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(f, "EMAIL"), 0), "VALUE")),
                        "ann@x.com");
    assert_null(json_object_get(f, "ORIGIN_ID"));
    json_decref(f);
    json_decref(c);

    /* Leads: card scans are TRADE_SHOW, face visits the configured source. */
    json_t *l = json_loads("{\"title\":\"Card\",\"status\":\"IN_PROCESS\",\"source\":\"card_scan\",\"contact_id\":4,"
                           "\"data\":{\"given_name\":\"Bob\",\"company\":\"Acme\"}}",
                           0, NULL);
    assert_int_equal(crm_b24_map_fields(&ctx, "lead", "upsert", l, &f, err, sizeof err), GR_OK);
    assert_string_equal(json_string_value(json_object_get(f, "SOURCE_ID")), "TRADE_SHOW");
    assert_string_equal(json_string_value(json_object_get(f, "STATUS_ID")), "IN_PROCESS");
    assert_string_equal(json_string_value(json_object_get(f, "COMPANY_TITLE")), "Acme");
    assert_string_equal(json_string_value(json_object_get(f, "CONTACT_ID")), "77");
    json_decref(f);
    assert_int_equal(crm_b24_map_fields(&ctx, "lead", "convert", l, &f, err, sizeof err), GR_OK);
    assert_string_equal(json_string_value(json_object_get(f, "STATUS_ID")), "CONVERTED");
    json_decref(f);
    json_object_set_new(l, "source", json_string("face_visit"));
    assert_int_equal(crm_b24_map_fields(&ctx, "lead", "upsert", l, &f, err, sizeof err), GR_OK);
    assert_string_equal(json_string_value(json_object_get(f, "SOURCE_ID")), "WEB");
    json_decref(f);
    json_decref(l);

    /* Deals: unknown references are left out, amount as text. */
    json_t *d = json_loads("{\"title\":\"D\",\"stage\":\"won\",\"contact_id\":4,\"company_id\":99,\"amount\":12.5}", 0,
                           NULL);
    assert_int_equal(crm_b24_map_fields(&ctx, "deal", "upsert", d, &f, err, sizeof err), GR_OK);
    assert_string_equal(json_string_value(json_object_get(f, "STAGE_ID")), "WON");
    assert_string_equal(json_string_value(json_object_get(f, "OPPORTUNITY")), "12.50");
    assert_null(json_object_get(f, "COMPANY_ID"));
    json_decref(f);
    json_decref(d);

    /* Bad input is an error with a message, never a crash. */
    json_t *bad = json_loads("{\"given_name\":5,\"phones\":\"x\"}", 0, NULL);
    assert_int_equal(crm_b24_map_fields(&ctx, "contact", "upsert", bad, &f, err, sizeof err), GR_ERR_INVAL);
    assert_null(f);
    json_decref(bad);
    bad = json_loads("{\"phones\":[1]}", 0, NULL);
    assert_int_equal(crm_b24_map_fields(&ctx, "contact", "upsert", bad, &f, err, sizeof err), GR_ERR_INVAL);
    json_decref(bad);
    bad = json_string("x");
    assert_int_equal(crm_b24_map_fields(&ctx, "contact", "upsert", bad, &f, err, sizeof err), GR_ERR_INVAL);
    json_decref(bad);
    assert_null(crm_b24_entity("visit"));
    assert_string_equal(crm_b24_entity("deal"), "deal");
}


/* Issue 15: the booth's qualification, the event, the note and the
 * responsible user reach Bitrix24 (native fields where it has them, the
 * UF_CRM_GR_* user fields of docs/SYNC.md elsewhere); a cleared value is sent. */
static void booth_fields(void **state) {
    (void)state;
    crm_b24_map_ctx_t ctx = {"dev", "Booth 7", "WEB", resolver, NULL, NULL};
    char err[200];
    json_t *f = NULL;
    json_t *l = json_loads("{\"title\":\"Anna Schmidt (Globex)\",\"status\":\"NEW\",\"source\":\"card_scan\","
                           "\"data\":{\"given_name\":\"Anna\",\"note\":\"card note\"},\"rating\":4,\"temperature\":\"hot\","
                           "\"interests\":[\"Pricing\",\"Demo\"],\"note\":\"call in May\",\"event\":\"Expo 2031\","
                           "\"follow_up\":\"2031-05-04\",\"assigned_to\":\"anna\"}", 0, NULL);
    assert_int_equal(crm_b24_map_fields(&ctx, "lead", "upsert", l, &f, err, sizeof err), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(f, "UF_CRM_GR_RATING")), 4);
    assert_string_equal(json_string_value(json_object_get(f, "UF_CRM_GR_TEMP")), "hot");
    assert_string_equal(json_string_value(json_object_get(f, "UF_CRM_GR_INTERESTS")), "Pricing, Demo");
    assert_string_equal(json_string_value(json_object_get(f, "UF_CRM_GR_EVENT")), "Expo 2031");
    assert_string_equal(json_string_value(json_object_get(f, "UF_CRM_GR_FOLLOWUP")), "2031-05-04");
    assert_string_equal(json_string_value(json_object_get(f, "UF_CRM_GR_OWNER")), "anna");
    assert_string_equal(json_string_value(json_object_get(f, "COMMENTS")), "call in May");
    assert_string_equal(json_string_value(json_object_get(f, "SOURCE_DESCRIPTION")), "Greeter Booth 7 · Expo 2031");
    json_decref(f);
    /* Cleared at the board: cleared in the CRM. */
    json_object_set_new(l, "temperature", json_string(""));
    json_object_set_new(l, "interests", json_array());
    json_object_set_new(l, "follow_up", json_string(""));
    assert_int_equal(crm_b24_map_fields(&ctx, "lead", "upsert", l, &f, err, sizeof err), GR_OK);
    assert_string_equal(json_string_value(json_object_get(f, "UF_CRM_GR_TEMP")), "");
    assert_string_equal(json_string_value(json_object_get(f, "UF_CRM_GR_INTERESTS")), "");
    assert_string_equal(json_string_value(json_object_get(f, "UF_CRM_GR_FOLLOWUP")), "");
    json_decref(f);
    json_object_set_new(l, "rating", json_string("4"));
    assert_int_equal(crm_b24_map_fields(&ctx, "lead", "upsert", l, &f, err, sizeof err), GR_ERR_INVAL);
    json_object_set_new(l, "rating", json_integer(4));
    json_object_set_new(l, "interests", json_pack("[i]", 3));
    assert_int_equal(crm_b24_map_fields(&ctx, "lead", "upsert", l, &f, err, sizeof err), GR_ERR_INVAL);
    json_decref(l);
    /* Deals: the amount natively, the owner in its user field; contacts' owner too. */
    json_t *d = json_loads("{\"title\":\"D\",\"stage\":\"NEW\",\"amount\":12000,\"currency\":\"EUR\",\"assigned_to\":\"bob\"}", 0, NULL);
    assert_int_equal(crm_b24_map_fields(&ctx, "deal", "upsert", d, &f, err, sizeof err), GR_OK);
    assert_string_equal(json_string_value(json_object_get(f, "OPPORTUNITY")), "12000.00");
    assert_string_equal(json_string_value(json_object_get(f, "CURRENCY_ID")), "EUR");
    assert_string_equal(json_string_value(json_object_get(f, "UF_CRM_GR_OWNER")), "bob");
    json_decref(f);
    json_decref(d);
    json_t *c = json_loads("{\"given_name\":\"Bo\",\"assigned_to\":\"anna\"}", 0, NULL);
    assert_int_equal(crm_b24_map_fields(&ctx, "contact", "upsert", c, &f, err, sizeof err), GR_OK);
    assert_string_equal(json_string_value(json_object_get(f, "UF_CRM_GR_OWNER")), "anna");
    json_decref(f);
    json_decref(c);
}

/* sync.bitrix24_users: a mapped responsible user also goes as the native
 * ASSIGNED_BY_ID (UF_CRM_GR_OWNER stays); unmapped, cleared or no list: no
 * ASSIGNED_BY_ID; the setting refuses a malformed list. */
static void owner_mapping(void **state) {
    (void)state;
    assert_int_equal(crm_b24_user_id("anna=12,bob=7", "anna"), 12);
    assert_int_equal(crm_b24_user_id(" anna = 12 , bob=7 ", "bob"), 7);
    assert_int_equal(crm_b24_user_id("anna=12,bob=7", "ann"), 0);
    assert_int_equal(crm_b24_user_id("anna=12,bob=7", "Anna"), 0);
    assert_int_equal(crm_b24_user_id("anna=12,bob=7", ""), 0);
    assert_int_equal(crm_b24_user_id("", "anna"), 0);
    assert_int_equal(crm_b24_user_id(NULL, "anna"), 0);
    assert_int_equal(crm_b24_user_id("anna=12,bob=x", "anna"), 0); /* malformed: none */

    crm_b24_map_ctx_t ctx = {"dev", "Booth 7", "WEB", resolver, NULL, "anna=12, bob=7"};
    char err[200];
    json_t *f = NULL;
    static const char *const entities[] = {"lead", "deal", "contact"};
    for (size_t i = 0; i < 3; i++) {
        json_t *p = json_pack("{s:s,s:s,s:s}", "title", "T", "given_name", "G", "assigned_to", "bob");
        assert_int_equal(crm_b24_map_fields(&ctx, entities[i], "upsert", p, &f, err, sizeof err), GR_OK);
        assert_int_equal(json_integer_value(json_object_get(f, "ASSIGNED_BY_ID")), 7);
        assert_string_equal(json_string_value(json_object_get(f, "UF_CRM_GR_OWNER")), "bob");
        json_decref(f);
        json_object_set_new(p, "assigned_to", json_string("carl")); /* not mapped */
        assert_int_equal(crm_b24_map_fields(&ctx, entities[i], "upsert", p, &f, err, sizeof err), GR_OK);
        assert_null(json_object_get(f, "ASSIGNED_BY_ID"));
        assert_string_equal(json_string_value(json_object_get(f, "UF_CRM_GR_OWNER")), "carl");
        json_decref(f);
        json_object_set_new(p, "assigned_to", json_string("")); /* cleared */
        assert_int_equal(crm_b24_map_fields(&ctx, entities[i], "upsert", p, &f, err, sizeof err), GR_OK);
        assert_null(json_object_get(f, "ASSIGNED_BY_ID"));
        json_decref(f);
        json_decref(p);
    }
    char camel[64];
    crm_b24_camel("ASSIGNED_BY_ID", camel, sizeof camel); /* as crm.item.add/update get it */
    assert_string_equal(camel, "assignedById");
    ctx.users = NULL;
    json_t *p = json_pack("{s:s,s:s}", "title", "T", "assigned_to", "anna");
    assert_int_equal(crm_b24_map_fields(&ctx, "deal", "upsert", p, &f, err, sizeof err), GR_OK);
    assert_null(json_object_get(f, "ASSIGNED_BY_ID"));
    json_decref(f);
    json_decref(p);

    gr_config_t *cfg = gr_config_new();
    assert_non_null(cfg);
    assert_int_equal(gr_config_set(cfg, "sync.bitrix24_users", "anna=12, bob = 7", err, sizeof err), GR_OK);
    assert_string_equal(gr_config_str(cfg, GR_SET_SYNC_BITRIX24_USERS), "anna=12, bob = 7");
    assert_int_equal(gr_config_set(cfg, "sync.bitrix24_users", "", err, sizeof err), GR_OK);
    static const char *const bad[] = {"anna", "anna=", "=12", "anna=12x", "anna=0", "anna=-3", "anna=99999999999", "anna=12,,bob=7"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(gr_config_set(cfg, "sync.bitrix24_users", bad[i], err, sizeof err), GR_ERR_INVAL);
    assert_string_equal(gr_config_str(cfg, GR_SET_SYNC_BITRIX24_USERS), "");
    gr_config_free(cfg);
}

static void multi_diff(void **state) {
    (void)state;
    json_t *ex = json_loads("[{\"ID\":\"11\",\"VALUE\":\"+49 30 111\"},{\"ID\":\"12\",\"VALUE\":\"Old@X.com\"}]", 0, NULL);
    json_t *want = json_loads("[{\"VALUE\":\"+4930111\",\"VALUE_TYPE\":\"WORK\"},{\"VALUE\":\"new@x.com\"}]", 0, NULL);
    json_t *d = crm_b24_map_multi_diff(ex, want);
    /* +49 30 111 kept (same digits), old@x.com deleted, new@x.com added */
    assert_int_equal(json_array_size(d), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "ID")), "12");
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "DELETE")), "Y");
    assert_string_equal(json_string_value(json_object_get(json_array_get(d, 1), "VALUE")), "new@x.com");
    json_decref(d);
    d = crm_b24_map_multi_diff(NULL, want); /* nothing there yet */
    assert_int_equal(json_array_size(d), 2);
    json_decref(d);
    json_t *empty = json_array();
    d = crm_b24_map_multi_diff(ex, empty); /* all removed */
    assert_int_equal(json_array_size(d), 2);
    json_decref(d);
    json_decref(empty);
    json_decref(ex);
    json_decref(want);
}

static void comms_and_comment(void **state) {
    (void)state;
    json_t *c = json_loads("{\"emails\":[\"a@x.com\",{\"value\":\"b@x.com\"}],\"phones\":[{\"number\":\"+1 555\"}]}", 0,
                           NULL);
    json_t *m, *p;
    crm_b24_map_comms(c, &m, &p);
    assert_int_equal(json_array_size(m), 2);
    assert_string_equal(json_string_value(json_array_get(m, 1)), "b@x.com");
    assert_int_equal(json_array_size(p), 1);
    json_decref(m);
    json_decref(p);
    json_decref(c);

    crm_b24_map_ctx_t ctx = {"dev", "Booth 7", "OTHER", NULL, NULL, NULL};
    json_t *v = json_loads("{\"label\":\"Ann Lee\",\"started_at\":\"2026-11-27T10:00:00Z\",\"is_new\":true}", 0, NULL);
    char *t = crm_b24_map_visit_comment(&ctx, v, "dev:visit:9");
    assert_string_equal(t, "Visit at Booth 7: Ann Lee, first visit on 2026-11-27T10:00:00Z. [greeter:dev:visit:9]");
    free(t);
    json_decref(v);

    char *b = crm_base64("hello", 5);
    assert_string_equal(b, "aGVsbG8=");
    free(b);
    b = crm_base64("hi!", 3);
    assert_string_equal(b, "aGkh");
    free(b);
}

static void backoff(void **state) {
    (void)state;
    assert_true(crm_sync_backoff(1, 1, 300, 0) == 0.5);
    assert_true(crm_sync_backoff(3, 1, 300, 0.999) > 3.9);
    assert_true(crm_sync_backoff(3, 1, 300, 0.999) <= 4.0);
    /* A day of failures stays capped. */
    assert_true(crm_sync_backoff(10000, 1, 300, 0.999) <= 300.0);
    assert_true(crm_sync_backoff(10000, 1, 300, 0) >= 150.0);
}

static void fleet_field(void **state) {
    (void)state;
    unsigned char *out = NULL, raw[1024];
    size_t n = 99;
    assert_int_equal(crm_sync_fleet_decode("", &out, &n), GR_OK);
    assert_int_equal(n, 0);
    assert_null(out);
    assert_int_equal(crm_sync_fleet_decode(NULL, &out, &n), GR_OK);
    for (size_t i = 0; i < sizeof raw; i++) raw[i] = (unsigned char)(i * 7);
    char *b = crm_base64(raw, sizeof raw), text[2000];
    snprintf(text, sizeof text, "gf1:%s", b);
    free(b);
    assert_int_equal(crm_sync_fleet_decode(text, &out, &n), GR_OK);
    assert_int_equal(n, 2);
    assert_memory_equal(out, raw, sizeof raw);
    free(out);
    text[10] = '!';
    assert_int_equal(crm_sync_fleet_decode(text, &out, &n), GR_ERR_FORMAT);
    assert_int_equal(crm_sync_fleet_decode("gf1:AAAA", &out, &n), GR_ERR_FORMAT); /* 3 bytes: not a template */
    assert_int_equal(crm_sync_fleet_decode("gf2:AAAA", &out, &n), GR_ERR_FORMAT);
    assert_int_equal(crm_sync_fleet_decode("gf1:A=AA", &out, &n), GR_ERR_FORMAT);
    assert_int_equal(crm_sync_fleet_decode("gf1:", &out, &n), GR_ERR_FORMAT);
    assert_null(out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reply_operating_time), cmocka_unit_test(item_form),
        cmocka_unit_test(reply_envelope), cmocka_unit_test(reply_errors),      cmocka_unit_test(reply_garbage),
        cmocka_unit_test(batch_split),    cmocka_unit_test(query_encode),      cmocka_unit_test(bucket),
        cmocka_unit_test(url_rules),      cmocka_unit_test(origin_and_mapping), cmocka_unit_test(multi_diff),
        cmocka_unit_test(comms_and_comment), cmocka_unit_test(backoff), cmocka_unit_test(fleet_field),
        cmocka_unit_test(booth_fields), cmocka_unit_test(owner_mapping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
