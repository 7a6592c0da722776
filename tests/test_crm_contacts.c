/* Contacts and companies: create/get/update/delete/list with good and bad
 * input, search, duplicates, merge, face links and consent, outbox rows. */
#include "tests/test_crm_util.h"

#include "crm/companies.h"
#include "crm/contact_search.h"
#include "crm/contacts.h"
#include "crm/duplicates.h"
#include "crm/crmutil.h"
#include "crm/leads.h"

static const char *ANNA =
    "{\"name\":\"Anna O'Brien\",\"given_name\":\"Anna\",\"family_name\":\"O'Brien\",\"title\":\"CTO\","
    "\"company\":\"Acme \\\"Rockets\\\"; DROP TABLE contacts;--\","
    "\"phones\":[{\"number\":\"+49 176 1234567\",\"type\":\"mobile\",\"printed\":\"+49 (176) 123 45 67\"}],"
    "\"emails\":[\"Anna.OBrien@Example.com\"],\"websites\":[\"www.acme.example\"],"
    "\"address\":\"Main St 1\",\"confidence\":{\"name\":0.9},\"consent_face\":false}";

static json_t *create_ok(crm_store_t *st, const char *text) {
    json_t *in = tc_json(text), *out = NULL;
    char err[256] = "";
    int rc = crm_contact_create(st, in, "tester", &out, err, sizeof err);
    if (rc != GR_OK) fail_msg("create %s: %d %s", text, rc, err);
    json_decref(in);
    return out;
}

static void create_get_roundtrip(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_t *c = create_ok(db.st, ANNA);
    long long id = tc_id(c);
    assert_true(id > 0);
    assert_string_equal(tc_str(c, "name"), "Anna O'Brien");
    assert_string_equal(tc_str(c, "family_name"), "O'Brien");
    assert_string_equal(tc_str(c, "company"), "Acme \"Rockets\"; DROP TABLE contacts;--");
    assert_true(json_integer_value(json_object_get(c, "company_id")) > 0);
    json_t *ph = json_array_get(json_object_get(c, "phones"), 0);
    assert_string_equal(tc_str(ph, "number"), "+49 176 1234567");
    assert_string_equal(tc_str(ph, "type"), "mobile");
    assert_string_equal(json_string_value(json_array_get(json_object_get(c, "emails"), 0)), "Anna.OBrien@Example.com");
    assert_int_equal(json_array_size(json_object_get(c, "duplicates")), 0);
    assert_false(json_is_true(json_object_get(c, "consent_face")));
    json_t *g = NULL;
    assert_int_equal(crm_contact_get(db.st, id, &g), GR_OK);
    assert_string_equal(tc_str(g, "title"), "CTO");
    assert_string_equal(tc_str(g, "address"), "Main St 1");
    assert_null(json_object_get(g, "confidence")); /* unknown keys are not stored */
    json_decref(g);
    /* The change and its outbox rows committed together; history recorded. */
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='contact' AND op='upsert'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='company' AND op='upsert'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM activity WHERE entity='contact' AND kind='created'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contact_values WHERE norm='+491761234567'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contact_values WHERE norm='anna.obrien@example.com'"), 1);
    assert_int_equal(crm_contact_get(db.st, 9999, &g), GR_ERR_NOTFOUND);
    assert_null(g);
    /* A bare "name" is split into given and family names. */
    json_t *b = create_ok(db.st, "{\"name\":\"Jean Paul Sartre\"}");
    assert_string_equal(tc_str(b, "given_name"), "Jean Paul");
    assert_string_equal(tc_str(b, "family_name"), "Sartre");
    json_decref(b);
    json_decref(c);
    tc_close(&db);
}

static void create_rejects_bad_input(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    char huge[3000];
    memset(huge, 'x', sizeof huge - 1);
    huge[sizeof huge - 1] = 0;
    char huge_json[3100];
    snprintf(huge_json, sizeof huge_json, "{\"given_name\":\"%s\"}", huge);
    struct { const char *json, *field; } bad[] = {
        {"[1,2]", "contact"},
        {"{\"given_name\":42}", "given_name"},
        {"{\"name\":\"A\",\"phones\":\"+491761234567\"}", "phones"},
        {"{\"name\":\"A\",\"phones\":[42]}", "phones[0]"},
        {"{\"name\":\"A\",\"phones\":[{\"number\":\"call me\"}]}", "phones[0]"},
        {"{\"name\":\"A\",\"phones\":[{\"number\":\"+1 555\",\"type\":7}]}", "phones[0].type"},
        {"{\"name\":\"A\",\"emails\":[\"not an address\"]}", "emails[0]"},
        {"{\"name\":\"A\",\"emails\":[\"a@b.c\",{\"x\":1}]}", "emails[1]"},
        {"{\"name\":\"A\",\"consent_face\":\"yes\"}", "consent_face"},
        {"{\"name\":\"A\",\"company_id\":-3}", "company_id"},
        {"{\"name\":\"A\",\"company_id\":777}", "company_id"},
        {"{\"title\":\"only a title\"}", "contact needs"},
        {"{}", "contact needs"},
        {huge_json, "given_name"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *in = tc_json(bad[i].json), *out = NULL;
        char err[256] = "";
        assert_int_equal(crm_contact_create(db.st, in, "t", &out, err, sizeof err), GR_ERR_INVAL);
        assert_null(out);
        if (!strstr(err, bad[i].field)) fail_msg("case %zu: message '%s' does not name '%s'", i, err, bad[i].field);
        json_decref(in);
    }
    /* 33 phones: over the limit. */
    json_t *in = json_pack("{s:s,s:[]}", "name", "Many", "phones"), *out = NULL;
    for (int i = 0; i < 33; i++) json_array_append_new(json_object_get(in, "phones"), json_string("+1 555 0100"));
    char err[256] = "";
    assert_int_equal(crm_contact_create(db.st, in, "t", &out, err, sizeof err), GR_ERR_INVAL);
    assert_non_null(strstr(err, "phones"));
    json_decref(in);
    /* An embedded NUL is refused, not truncated. */
    in = json_object();
    json_object_set_new(in, "name", json_stringn("Ann\0a", 5));
    assert_int_equal(crm_contact_create(db.st, in, "t", &out, err, sizeof err), GR_ERR_INVAL);
    json_decref(in);
    /* Nothing of the failed attempts was written. */
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM companies"), 0);
    tc_close(&db);
}

static void update_and_delete(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_t *c = create_ok(db.st, ANNA), *out = NULL;
    long long id = tc_id(c);
    char err[256] = "";
    json_t *p = tc_json("{\"family_name\":\"Schmidt\",\"phones\":[\"+1 (555) 010-0999\",{\"number\":\"+44 20 7946 0000\","
                        "\"type\":\"fax\"}],\"company\":\"\",\"note\":\"met at the fair\"}");
    assert_int_equal(crm_contact_update(db.st, id, p, "tester", &out, err, sizeof err), GR_OK);
    assert_string_equal(tc_str(out, "name"), "Anna Schmidt");
    assert_int_equal(json_array_size(json_object_get(out, "phones")), 2);
    assert_true(json_is_null(json_object_get(out, "company_id")));
    assert_string_equal(tc_str(out, "note"), "met at the fair");
    assert_string_equal(tc_str(out, "title"), "CTO"); /* untouched */
    assert_int_equal(json_array_size(json_object_get(out, "emails")), 1);
    json_decref(out);
    json_decref(p);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contact_values WHERE norm='+491761234567'"), 0);
    /* Bad patch: nothing changes. */
    p = tc_json("{\"family_name\":\"X\",\"emails\":[\"broken\"]}");
    assert_int_equal(crm_contact_update(db.st, id, p, "tester", &out, err, sizeof err), GR_ERR_INVAL);
    assert_non_null(strstr(err, "emails[0]"));
    json_decref(p);
    json_t *g = NULL;
    assert_int_equal(crm_contact_get(db.st, id, &g), GR_OK);
    assert_string_equal(tc_str(g, "family_name"), "Schmidt");
    json_decref(g);
    p = tc_json("{\"note\":\"x\"}");
    assert_int_equal(crm_contact_update(db.st, 4242, p, "tester", &out, err, sizeof err), GR_ERR_NOTFOUND);
    json_decref(p);
    long long outbox = tc_int(db.st, "SELECT count(*) FROM outbox");
    assert_int_equal(crm_contact_delete(db.st, 4242, "tester"), GR_ERR_NOTFOUND);
    assert_int_equal(crm_contact_delete(db.st, id, "tester"), GR_OK);
    assert_int_equal(crm_contact_get(db.st, id, &g), GR_ERR_NOTFOUND);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='contact' AND op='delete'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox"), outbox + 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts_fts"), 0);
    json_decref(c);
    tc_close(&db);
}

static long long list_total(crm_store_t *st, const char *q) {
    json_t *out = NULL;
    int rc = crm_contact_list(st, q, 10, 0, &out);
    if (rc != GR_OK) fail_msg("list '%s': %d", q, rc);
    long long t = json_integer_value(json_object_get(out, "total"));
    assert_true(json_array_size(json_object_get(out, "items")) == (size_t)(t < 10 ? t : 10));
    json_decref(out);
    return t;
}

static void list_and_search(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_decref(create_ok(db.st, ANNA));
    json_decref(create_ok(db.st, "{\"name\":\"Liu Yang\",\"company\":\"Initech\",\"emails\":[\"liu@initech.example\"]}"));
    json_decref(create_ok(db.st, "{\"name\":\"Łukasz Żółć\",\"phones\":[\"+48 22 555 0101\"]}"));
    json_decref(create_ok(db.st, "{\"name\":\"100% Sure_Name\",\"emails\":[\"pct@x.example\"]}"));
    for (int i = 0; i < 25; i++) {
        char t[128];
        snprintf(t, sizeof t, "{\"given_name\":\"Bulk\",\"family_name\":\"Person%02d\",\"company\":\"Initech\"}", i);
        json_decref(create_ok(db.st, t));
    }
    assert_int_equal(list_total(db.st, NULL), 29);
    assert_int_equal(list_total(db.st, ""), 29);
    assert_int_equal(list_total(db.st, "o'brien"), 1);            /* name, case-insensitive, quote */
    assert_int_equal(list_total(db.st, "example.com"), 1);        /* e-mail */
    assert_int_equal(list_total(db.st, "1761234"), 1);            /* phone digits */
    assert_int_equal(list_total(db.st, "+49 176"), 1);            /* phone as written */
    assert_int_equal(list_total(db.st, "+49 1"), 1);              /* a short word joins its neighbour */
    assert_int_equal(list_total(db.st, "+48 1"), 0);
    assert_int_equal(list_total(db.st, "initech"), 26);           /* company */
    assert_int_equal(list_total(db.st, "initech liu"), 1);        /* every word must match */
    assert_int_equal(list_total(db.st, "bulk p"), 25);            /* "bulk p" as one phrase */
    assert_int_equal(list_total(db.st, "Person1 Bulk"), 10);
    assert_int_equal(list_total(db.st, "żółć"), 1);               /* non-ASCII, case-folded */
    assert_int_equal(list_total(db.st, "Li"), 1);                 /* 1-2 characters: start of a name */
    assert_int_equal(list_total(db.st, "su"), 1);                 /* ... or of the family name */
    assert_int_equal(list_total(db.st, "Żó"), 1);
    assert_int_equal(list_total(db.st, "ng"), 0);                 /* not the middle */
    assert_int_equal(list_total(db.st, "100%"), 1);               /* % is literal */
    assert_int_equal(list_total(db.st, "e_N"), 1);                /* _ is literal */
    assert_int_equal(list_total(db.st, "e%N"), 0);
    assert_int_equal(list_total(db.st, "_"), 0);
    assert_int_equal(list_total(db.st, "%"), 0);
    assert_int_equal(list_total(db.st, "10"), 1);
    assert_int_equal(list_total(db.st, "x' OR '1'='1"), 0);       /* SQL metacharacters */
    assert_int_equal(list_total(db.st, "Rockets\"; DROP"), 1);    /* taken literally: Anna's company */
    assert_int_equal(list_total(db.st, "\"; DROP TABLE people; --"), 0);
    assert_int_equal(list_total(db.st, "\"\"\""), 0);             /* FTS syntax characters */
    assert_int_equal(list_total(db.st, "NEAR( AND OR NOT *"), 0);
    assert_int_equal(list_total(db.st, "a \" b"), 0);
    assert_int_equal(list_total(db.st, "   "), 29);               /* blank = everyone */
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts"), 29);
    /* Paging and order by name. */
    json_t *out = NULL;
    assert_int_equal(crm_contact_list(db.st, "bulk", 10, 20, &out), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 25);
    assert_int_equal(json_array_size(json_object_get(out, "items")), 5);
    assert_string_equal(tc_str(json_array_get(json_object_get(out, "items"), 0), "family_name"), "Person20");
    json_decref(out);
    assert_int_equal(crm_contact_list(db.st, NULL, -5, -7, &out), GR_OK); /* clamped */
    assert_int_equal(json_integer_value(json_object_get(out, "limit")), 50);
    assert_int_equal(json_integer_value(json_object_get(out, "offset")), 0);
    json_decref(out);
    /* A long query is still a search; a huge one is refused, not run. */
    char *q = malloc(100001);
    memset(q, 'a', 100000);
    q[CRM_MAX_TEXT] = 0;
    assert_int_equal(list_total(db.st, q), 0);
    q[CRM_MAX_TEXT] = 'a';
    q[100000] = 0;
    assert_int_equal(crm_contact_list(db.st, q, 10, 0, &out), GR_ERR_INVAL);
    assert_null(out);
    free(q);
    tc_close(&db);
}

static void broad_search_lists_newest_first(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    /* 2,600 contacts straight into the tables (fast), then indexed. */
    assert_int_equal(crm_store_exec(db.st,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2600) "
        "INSERT INTO contacts(name, given_name, family_name) "
        "SELECT 'Broad ' || printf('%04d', 2601 - i), 'Broad', printf('%04d', 2601 - i) FROM n"), GR_OK);
    assert_int_equal(crm_store_exec(db.st, "INSERT INTO contacts_fts(rowid, doc) SELECT id, name FROM contacts"), GR_OK);
    json_t *out = NULL;
    assert_int_equal(crm_contact_list(db.st, "broad", 10, 0, &out), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 2600);
    assert_true(json_is_true(json_object_get(out, "total_exact")));
    assert_string_equal(tc_str(out, "order"), "newest");
    assert_int_equal(tc_id(json_array_get(json_object_get(out, "items"), 0)), 2600);
    assert_int_equal(tc_id(json_array_get(json_object_get(out, "items"), 9)), 2591);
    json_decref(out);
    /* A narrower search is by name again. */
    assert_int_equal(crm_contact_list(db.st, "broad 00", 10, 0, &out), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 99);
    assert_string_equal(tc_str(out, "order"), "name");
    assert_string_equal(tc_str(json_array_get(json_object_get(out, "items"), 0), "name"), "Broad 0001");
    json_decref(out);
    /* The unfiltered list pages by name. */
    assert_int_equal(crm_contact_list(db.st, NULL, 5, 2595, &out), GR_OK);
    assert_int_equal(json_array_size(json_object_get(out, "items")), 5);
    assert_string_equal(tc_str(json_array_get(json_object_get(out, "items"), 4), "name"), "Broad 2600");
    json_decref(out);
    /* Counting stops at 10,000. */
    assert_int_equal(crm_store_exec(db.st,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8000) "
        "INSERT INTO contacts(name) SELECT 'Broad more ' || i FROM n"), GR_OK);
    assert_int_equal(crm_store_exec(db.st, "INSERT INTO contacts_fts(rowid, doc) SELECT id, name FROM contacts "
                                           "WHERE id > 2600"), GR_OK);
    assert_int_equal(crm_contact_list(db.st, "broad", 10, 0, &out), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 10000);
    assert_false(json_is_true(json_object_get(out, "total_exact")));
    json_decref(out);
    tc_close(&db);
}

static void duplicates_found_on_save(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_t *a = create_ok(db.st, ANNA);
    /* Same e-mail in other case and spacing. */
    json_t *b = create_ok(db.st, "{\"name\":\"A. O'Brien\",\"emails\":[\"  anna.obrien@EXAMPLE.com \"]}");
    json_t *d = json_object_get(b, "duplicates");
    assert_int_equal(json_array_size(d), 1);
    assert_int_equal(tc_id(json_array_get(d, 0)), tc_id(a));
    assert_string_equal(json_string_value(json_array_get(json_object_get(json_array_get(d, 0), "match"), 0)), "email");
    /* Same phone written with 00 instead of +. */
    json_t *c = create_ok(db.st, "{\"name\":\"Other\",\"phones\":[\"0049-176-123 4567\"]}");
    d = json_object_get(c, "duplicates");
    assert_int_equal(json_array_size(d), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(json_array_get(d, 0), "match"), 0)), "phone");
    /* A national number is the same as its international form (region DE). */
    gr_config_t *cfg = gr_config_new();
    char cerr[128];
    assert_int_equal(gr_config_set(cfg, "ocr.region", "DE", cerr, sizeof cerr), GR_OK);
    tc_apply(db.st, cfg);
    json_t *n = create_ok(db.st, "{\"name\":\"National\",\"phones\":[\"0176 / 123 45 67\"]}");
    d = json_object_get(n, "duplicates");
    assert_int_equal(json_array_size(d), 2); /* a and c */
    json_decref(n);
    gr_config_free(cfg);
    cfg = gr_config_new();
    tc_apply(db.st, cfg); /* back to the defaults */
    gr_config_free(cfg);
    /* Face: a person linked to contact a. */
    long long p = tc_person(db.st, "Anna", 1, 0);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE people SET contact_id = %lld WHERE id = %lld", tc_id(a), p);
    assert_int_equal(crm_store_exec(db.st, sql), GR_OK);
    json_t *probe = json_pack("{s:[I]}", "person_ids", (json_int_t)p), *dups = NULL;
    assert_int_equal(crm_contact_duplicates(db.st, probe, 0, &dups), GR_OK);
    assert_int_equal(json_array_size(dups), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(json_array_get(dups, 0), "match"), 0)), "face");
    json_decref(dups);
    /* Excluding the contact itself. */
    assert_int_equal(crm_contact_duplicates(db.st, probe, tc_id(a), &dups), GR_OK);
    assert_int_equal(json_array_size(dups), 0);
    json_decref(dups);
    json_decref(probe);
    json_t *three = json_integer(3);
    assert_int_equal(crm_contact_duplicates(db.st, three, 0, &dups), GR_ERR_INVAL);
    json_decref(three);
    /* Normalisers. */
    char buf[64];
    assert_int_equal(crm_norm_phone("00 49 (176) 12-34", "US", buf, sizeof buf), 10);
    assert_string_equal(buf, "+491761234");
    assert_int_equal(crm_norm_phone("ab", "US", buf, sizeof buf), 0);
    assert_int_equal(crm_norm_email(" A@B.C ", buf, sizeof buf), 5);
    assert_string_equal(buf, "a@b.c");
    json_decref(a);
    json_decref(b);
    json_decref(c);
    tc_close(&db);
}

static void merge_keeps_values_and_history(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_t *a = create_ok(db.st, "{\"name\":\"Anna Berg\",\"emails\":[\"anna@berg.example\"],\"title\":\"CEO\"}");
    json_t *b = create_ok(db.st, "{\"name\":\"Anna Berg\",\"emails\":[\"anna@berg.example\",\"anna@home.example\"],"
                                 "\"phones\":[\"+46 8 555 0100\"],\"title\":\"Founder\",\"address\":\"Storgatan 1\","
                                 "\"company\":\"Berg AB\",\"consent_mail\":true}");
    long long ka = tc_id(a), kb = tc_id(b);
    char err[256] = "";
    json_t *lin = json_pack("{s:s,s:I}", "title", "Lead of b", "contact_id", (json_int_t)kb), *lead = NULL;
    assert_int_equal(crm_lead_create(db.st, lin, "t", &lead, err, sizeof err), GR_OK);
    json_decref(lin);
    long long hist_b = tc_int(db.st, "SELECT count(*) FROM activity WHERE entity='contact'");
    json_t *m = NULL;
    assert_int_equal(crm_contact_merge(db.st, ka, kb, "tester", &m, err, sizeof err), GR_OK);
    assert_int_equal(json_array_size(json_object_get(m, "emails")), 2); /* exact repeat dropped, other kept */
    assert_int_equal(json_array_size(json_object_get(m, "phones")), 1);
    assert_string_equal(tc_str(m, "title"), "CEO");                    /* keep wins */
    assert_non_null(strstr(tc_str(m, "note"), "Founder"));             /* the other value is kept too */
    assert_string_equal(tc_str(m, "address"), "Storgatan 1");          /* empty field filled */
    assert_string_equal(tc_str(m, "company"), "Berg AB");
    assert_true(json_is_true(json_object_get(m, "consent_mail")));
    json_decref(m);
    json_t *g = NULL;
    assert_int_equal(crm_contact_get(db.st, kb, &g), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(g, "merged_into")), ka);
    json_decref(g);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT contact_id FROM leads WHERE id = %lld", tc_id(lead));
    assert_int_equal(tc_int(db.st, sql), ka);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM activity WHERE entity='contact' AND entity_id=%lld", kb);
    assert_int_equal(tc_int(db.st, sql), 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM activity WHERE entity='contact' AND entity_id=%lld", ka);
    assert_int_equal(tc_int(db.st, sql), hist_b + 1); /* all history + the merge itself */
    assert_int_equal(list_total(db.st, NULL), 1);
    assert_int_equal(list_total(db.st, "home.example"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox WHERE entity='contact' AND op='delete'"), 1);
    /* Illegal merges. */
    assert_int_equal(crm_contact_merge(db.st, ka, kb, "t", NULL, err, sizeof err), GR_ERR_INVAL);
    assert_int_equal(crm_contact_merge(db.st, ka, ka, "t", NULL, err, sizeof err), GR_ERR_INVAL);
    assert_int_equal(crm_contact_merge(db.st, ka, 999, "t", NULL, err, sizeof err), GR_ERR_NOTFOUND);
    /* Updating a merged contact is refused; deleting the survivor removes the tombstone. */
    json_t *p = tc_json("{\"note\":\"x\"}"), *o = NULL;
    assert_int_equal(crm_contact_update(db.st, kb, p, "t", &o, err, sizeof err), GR_ERR_INVAL);
    json_decref(p);
    assert_int_equal(crm_contact_delete(db.st, ka, "t"), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts"), 0);
    json_decref(lead);
    json_decref(a);
    json_decref(b);
    tc_close(&db);
}

static void nested_in_callers_transaction(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    assert_int_equal(crm_store_begin(db.st), GR_OK);
    json_t *c = create_ok(db.st, "{\"name\":\"Rolled Back\"}");
    json_decref(c);
    /* A failing call inside the caller's transaction undoes only itself. */
    json_t *bad = tc_json("{\"name\":\"X\",\"company_id\":12345}"), *o = NULL;
    char err[128];
    assert_int_equal(crm_contact_create(db.st, bad, "t", &o, err, sizeof err), GR_ERR_INVAL);
    json_decref(bad);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts"), 1);
    crm_store_rollback(db.st);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM outbox"), 0);
    tc_close(&db);
}

static void face_link_needs_consent(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_t *c = create_ok(db.st, "{\"name\":\"Mia Wong\"}");
    long long id = tc_id(c), p = tc_person(db.st, "Visitor #1", 3, 0);
    char err[256] = "";
    assert_int_equal(crm_contact_link_person(db.st, id, p, "t", err, sizeof err), GR_ERR_AUTH);
    assert_non_null(strstr(err, "consent"));
    assert_int_equal(crm_contact_link_person(db.st, id, 999, "t", err, sizeof err), GR_ERR_NOTFOUND);
    json_t *patch = tc_json("{\"consent_face\":true}"), *o = NULL;
    assert_int_equal(crm_contact_update(db.st, id, patch, "t", &o, err, sizeof err), GR_OK);
    json_decref(o);
    json_decref(patch);
    assert_int_equal(crm_contact_link_person(db.st, id, p, "t", err, sizeof err), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT known FROM people WHERE id = 1"), 1);
    assert_int_equal(tc_int(db.st, "SELECT consent FROM people WHERE id = 1"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM people WHERE label = 'Mia Wong'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM audit_log WHERE action = 'face.link'"), 1);
    json_t *g = NULL;
    assert_int_equal(crm_contact_get(db.st, id, &g), GR_OK);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(g, "person_ids"), 0)), p);
    json_decref(g);
    /* Withdrawing consent deletes the templates and is audited. */
    patch = tc_json("{\"consent_face\":false}");
    assert_int_equal(crm_contact_update(db.st, id, patch, "t", &o, err, sizeof err), GR_OK);
    json_decref(o);
    json_decref(patch);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM face_templates"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM audit_log WHERE action = 'consent.withdraw'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT consent FROM people WHERE id = 1"), 0);
    json_decref(c);
    tc_close(&db);
}

static void companies_crud(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    char err[256] = "";
    json_t *in = tc_json("{\"title\":\"Globex; DELETE FROM companies\",\"website\":\"globex.example\"}"), *co = NULL;
    assert_int_equal(crm_company_create(db.st, in, "t", &co, err, sizeof err), GR_OK);
    json_decref(in);
    long long cid = tc_id(co);
    char t[160];
    snprintf(t, sizeof t, "{\"name\":\"Hank Scorpio\",\"company_id\":%lld}", cid);
    json_t *c = create_ok(db.st, t);
    assert_string_equal(tc_str(c, "company"), "Globex; DELETE FROM companies");
    json_t *bad[] = {tc_json("{\"title\":\"\"}"), tc_json("{\"title\":5}"), tc_json("{\"website\":[]}"), json_string("x")};
    for (size_t i = 0; i < 4; i++) {
        json_t *o = NULL;
        assert_int_equal(crm_company_create(db.st, bad[i], "t", &o, err, sizeof err), GR_ERR_INVAL);
        json_decref(bad[i]);
    }
    json_t *p = tc_json("{\"title\":\"Globex Corporation\"}"), *o = NULL;
    assert_int_equal(crm_company_update(db.st, cid, p, "t", &o, err, sizeof err), GR_OK);
    assert_string_equal(tc_str(o, "website"), "globex.example");
    assert_int_equal(json_integer_value(json_object_get(o, "contact_count")), 1);
    json_decref(o);
    assert_int_equal(crm_company_update(db.st, 999, p, "t", &o, err, sizeof err), GR_ERR_NOTFOUND);
    json_decref(p);
    /* The contacts' search follows the rename. */
    assert_int_equal(list_total(db.st, "corporation"), 1);
    json_t *l = NULL;
    assert_int_equal(crm_company_list(db.st, "glob", 10, 0, &l), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 1);
    json_decref(l);
    assert_int_equal(crm_company_list(db.st, "%", 10, 0, &l), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 0);
    json_decref(l);
    assert_int_equal(crm_company_delete(db.st, cid, "t"), GR_OK);
    assert_int_equal(crm_company_delete(db.st, cid, "t"), GR_ERR_NOTFOUND);
    assert_int_equal(list_total(db.st, "corporation"), 0);
    json_t *g = NULL;
    assert_int_equal(crm_contact_get(db.st, tc_id(c), &g), GR_OK);
    assert_true(json_is_null(json_object_get(g, "company_id")));
    json_decref(g);
    json_decref(c);
    json_decref(co);
    tc_close(&db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_get_roundtrip),
        cmocka_unit_test(create_rejects_bad_input),
        cmocka_unit_test(update_and_delete),
        cmocka_unit_test(list_and_search),
        cmocka_unit_test(broad_search_lists_newest_first),
        cmocka_unit_test(duplicates_found_on_save),
        cmocka_unit_test(merge_keeps_values_and_history),
        cmocka_unit_test(nested_in_callers_transaction),
        cmocka_unit_test(face_link_needs_consent),
        cmocka_unit_test(companies_crud),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
