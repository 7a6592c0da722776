/* Contacts search (crm_contact_list) on the phone indexes of migration 0006:
 * digit fragments anywhere in a number, numbers as written, mixed queries,
 * the indexes following updates, merges and deletes, the migration of an
 * older database, newest-first and capped counts on the phone path, and a
 * randomised comparison with a plain substring search. */
#include "tests/test_crm_util.h"

#include "crm/contact_search.h"
#include "crm/contacts.h"
#include "crm/duplicates.h"
#include "crm/crmutil.h"

static json_t *create_ok(crm_store_t *st, const char *text) {
    json_t *in = tc_json(text), *out = NULL;
    char err[256] = "";
    int rc = crm_contact_create(st, in, "test", &out, err, sizeof err);
    json_decref(in);
    if (rc != GR_OK) fail_msg("create %s: %s (%s)", text, gr_strerror(rc), err);
    return out;
}

static long long total(crm_store_t *st, const char *q) {
    json_t *out = NULL;
    assert_int_equal(crm_contact_list(st, q, 500, 0, &out), GR_OK);
    long long n = (long long)json_integer_value(json_object_get(out, "total"));
    /* The items agree with the total on one page. */
    if (n <= 500) assert_int_equal((long long)json_array_size(json_object_get(out, "items")), n);
    json_decref(out);
    return n;
}

/* The id of the only match of q (fails unless exactly one). */
static long long only(crm_store_t *st, const char *q) {
    json_t *out = NULL;
    assert_int_equal(crm_contact_list(st, q, 10, 0, &out), GR_OK);
    json_t *items = json_object_get(out, "items");
    if (json_array_size(items) != 1) fail_msg("q=%s: %zu matches, expected 1", q, json_array_size(items));
    long long id = tc_id(json_array_get(items, 0));
    json_decref(out);
    return id;
}

static void digit_fragments_anywhere_in_a_number(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_t *a = create_ok(db.st, "{\"name\":\"Anna Berg\",\"phones\":[\"+49 (176) 123-45 67\"]}");
    json_t *b = create_ok(db.st, "{\"name\":\"Ben Ort\",\"phones\":[\"+1 555 0100\",\"+44 20 7946 0999\"]}");
    json_t *c = create_ok(db.st, "{\"name\":\"Cleo 4917\",\"emails\":[\"c.555@example.com\"]}");
    long long ia = tc_id(a), ib = tc_id(b), ic = tc_id(c);
    /* Normalised +491761234567: start, middle, end. */
    assert_int_equal(only(db.st, "49176"), ia);
    assert_int_equal(only(db.st, "1761234"), ia);
    assert_int_equal(only(db.st, "4567"), ia);
    assert_int_equal(only(db.st, "491761234567"), ia);
    assert_int_equal(total(db.st, "4917612345678"), 0); /* longer than the number */
    /* As written: a run of digits and the text with its signs. */
    assert_int_equal(only(db.st, "123"), ia);
    assert_int_equal(only(db.st, "(176) 123"), ia);
    assert_int_equal(only(db.st, "+49 (176"), ia);
    assert_int_equal(only(db.st, "+49 176"), ia); /* "+49" and "176" each occur */
    /* The second phone of a contact counts; a contact appears once. */
    assert_int_equal(only(db.st, "79460999"), ib);
    assert_int_equal(only(db.st, "0100"), ib);
    /* Digits in a name or an e-mail match too, next to the phones. */
    assert_int_equal(only(db.st, "Cleo 4917"), ic);
    assert_int_equal(total(db.st, "4917"), 2); /* Anna's +4917... and "Cleo 4917" */
    assert_int_equal(total(db.st, "555"), 2);  /* Ben's +1 555 and c.555@ */
    assert_int_equal(only(db.st, "c.555"), ic);
    /* Mixed: a word and digits must both occur. */
    assert_int_equal(only(db.st, "anna 1761"), ia);
    assert_int_equal(only(db.st, "ben 555"), ib);
    assert_int_equal(total(db.st, "anna 555"), 0);
    assert_int_equal(total(db.st, "999999"), 0);
    json_decref(a);
    json_decref(b);
    json_decref(c);
    tc_close(&db);
}

static void indexes_follow_updates_merges_and_deletes(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_t *a = create_ok(db.st, "{\"name\":\"Dora Feld\",\"phones\":[\"+49 30 1111 2222\"]}");
    json_t *b = create_ok(db.st, "{\"name\":\"Dora F.\",\"phones\":[\"+49 40 3333 4444\"]}");
    long long ia = tc_id(a), ib = tc_id(b);
    char err[256];
    json_t *out = NULL;
    /* Update: the old number is gone from search, the new one found. */
    json_t *patch = tc_json("{\"phones\":[\"+49 89 5555 6666\"]}");
    assert_int_equal(crm_contact_update(db.st, ia, patch, "test", &out, err, sizeof err), GR_OK);
    json_decref(patch);
    json_decref(out);
    assert_int_equal(total(db.st, "11112222"), 0);
    assert_int_equal(only(db.st, "55556666"), ia);
    /* Merge b into a: b's number now finds a; b is not listed. */
    assert_int_equal(crm_contact_merge(db.st, ia, ib, "test", NULL, err, sizeof err), GR_OK);
    assert_int_equal(only(db.st, "33334444"), ia);
    assert_int_equal(only(db.st, "55556666"), ia);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contact_phone_digits WHERE contact_id = 2"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts_phone_fts WHERE rowid = 2"), 0);
    /* Delete: nothing left in any index. */
    assert_int_equal(crm_contact_delete(db.st, ia, "test"), GR_OK);
    assert_int_equal(total(db.st, "33334444"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contact_phone_digits"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts_phone_fts"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts_fts"), 0);
    json_decref(a);
    json_decref(b);
    tc_close(&db);
}

/* A database as migration 0005 left it (phones in contacts_fts, no phone
 * indexes) is migrated by 0006 on open, and searched the same way. */
static void migration_moves_phones_out_of_the_text_index(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_decref(create_ok(db.st, "{\"name\":\"Emil Graf\",\"emails\":[\"emil@example.com\"],"
                                 "\"phones\":[\"+49 176 9876543\"]}"));
    json_decref(create_ok(db.st, "{\"name\":\"Fee Horn\",\"phones\":[\"030 777 888\"]}"));
    /* Back to version 5: the old text index with phones, no phone tables. */
    assert_int_equal(crm_store_exec(db.st,
        "DROP TABLE contact_phone_digits; DROP TABLE contacts_phone_fts; DELETE FROM contacts_fts; "
        "INSERT INTO contacts_fts(rowid, doc) SELECT c.id, c.name || ' ' || c.given_name || ' ' || c.family_name || ' ' "
        "|| coalesce((SELECT group_concat(v.value || ' ' || v.norm, ' ') FROM contact_values v "
        "WHERE v.contact_id = c.id AND v.kind IN ('email','phone')), '') FROM contacts c; "
        /* and what the later migrations added: 0008 (the face library), 0007 (the accounts' columns) */
        "DROP TABLE face_distinct; DROP INDEX face_templates_visit; ALTER TABLE face_templates DROP COLUMN matchable; "
        "ALTER TABLE face_templates DROP COLUMN visit_id; ALTER TABLE people DROP COLUMN suppressed; "
        "ALTER TABLE users DROP COLUMN role; ALTER TABLE users DROP COLUMN display_name; "
        "ALTER TABLE users DROP COLUMN disabled; "
        "DELETE FROM schema_migrations WHERE version >= 6"), GR_OK);
    /* ... and without what the migrations after 0006 added (each newer one is undone here too). */
    assert_int_equal(crm_store_exec(db.st,
        "DROP TABLE expected_visitors; ALTER TABLE leads DROP COLUMN rating; ALTER TABLE leads DROP COLUMN temperature; "
        "ALTER TABLE leads DROP COLUMN interests; ALTER TABLE leads DROP COLUMN note; ALTER TABLE leads DROP COLUMN event; "
        "ALTER TABLE leads DROP COLUMN follow_up; ALTER TABLE contacts DROP COLUMN assigned_to; "
        "ALTER TABLE deals DROP COLUMN assigned_to; ALTER TABLE notifications DROP COLUMN kind; "
        "ALTER TABLE notifications DROP COLUMN for_user"), GR_OK);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts_fts WHERE doc LIKE '%9876543%'"), 1);
    crm_store_close(db.st);
    char err[512];
    assert_int_equal(crm_store_open_dir(db.dir, NULL, &db.st, err, sizeof err), GR_OK);
    assert_int_equal(crm_store_version(db.st), crm_store_latest_version());
    assert_true(crm_store_latest_version() >= 6);
    /* Phones left the text index and are in the phone indexes. */
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts_fts WHERE doc LIKE '%9876543%'"), 0);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts_fts WHERE doc LIKE '%emil@example.com%'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts_phone_fts"), 2);
    /* 030 777 888: runs 030, 777, 888 (one suffix each of 3+), and the
     * normalised form's digits with their suffixes. */
    assert_true(tc_int(db.st, "SELECT count(*) FROM contact_phone_digits WHERE digits = '777'") == 1);
    assert_int_equal(total(db.st, "9876543"), 1);
    assert_int_equal(total(db.st, "777 888"), 1);
    assert_int_equal(total(db.st, "emil"), 1);
    assert_int_equal(crm_contact_search_optimize(db.st), GR_OK);
    assert_int_equal(total(db.st, "9876543"), 1);
    tc_close(&db);
}

/* Many matches on the phone path: newest first, and the count stops at
 * 10,000 as on the text path. */
static void phone_path_newest_first_and_capped(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    assert_int_equal(crm_store_exec(db.st,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10050) "
        "INSERT INTO contacts(name) SELECT 'Bulk ' || i FROM n; "
        "INSERT INTO contact_values(contact_id, kind, type, value, norm) "
        "SELECT id, 'phone', 'work', '+4930' || (1000000 + id), '+4930' || (1000000 + id) FROM contacts"), GR_OK);
    assert_int_equal(crm_store_begin(db.st), GR_OK);
    for (long long id = 1; id <= 10050; id++) assert_int_equal(crm_contact_reindex(db.st, id), GR_OK);
    assert_int_equal(crm_store_commit(db.st), GR_OK);
    json_t *out = NULL;
    /* +49301000001 .. +49301010050: "4930100" matches ids 1..9999. */
    assert_int_equal(crm_contact_list(db.st, "4930100", 5, 2, &out), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 9999);
    assert_true(json_is_true(json_object_get(out, "total_exact")));
    assert_string_equal(tc_str(out, "order"), "newest");
    assert_int_equal(tc_id(json_array_get(json_object_get(out, "items"), 0)), 9997);
    assert_int_equal(tc_id(json_array_get(json_object_get(out, "items"), 4)), 9993);
    json_decref(out);
    /* "49301" matches all 10,050: counted up to 10,000. */
    assert_int_equal(crm_contact_list(db.st, "49301", 3, 0, &out), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 10000);
    assert_false(json_is_true(json_object_get(out, "total_exact")));
    assert_int_equal(tc_id(json_array_get(json_object_get(out, "items"), 0)), 10050);
    json_decref(out);
    /* A few matches: by name. */
    assert_int_equal(crm_contact_list(db.st, "4930101001", 10, 0, &out), GR_OK);
    assert_string_equal(tc_str(out, "order"), "name");
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 10); /* +49301010010..19 */
    assert_string_equal(tc_str(json_array_get(json_object_get(out, "items"), 0), "name"), "Bulk 10010");
    json_decref(out);
    tc_close(&db);
}

/* A page is loaded in three queries for all its contacts: each item must
 * be what crm_contact_get shows, values and face identities in order. */
static void page_items_equal_contact_get(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_decref(create_ok(db.st, "{\"name\":\"Page One\",\"company\":\"Firm\",\"phones\":[\"+49 30 111\","
                                 "{\"number\":\"+49 30 222\",\"type\":\"mobile\"}],\"emails\":[\"one@x.com\","
                                 "\"uno@x.com\"],\"websites\":[\"x.com\"],\"title\":\"Boss\",\"note\":\"n\"}"));
    json_decref(create_ok(db.st, "{\"name\":\"Page Two\"}"));
    json_decref(create_ok(db.st, "{\"name\":\"Page Three\",\"emails\":[\"three@x.com\"]}"));
    long long p1 = tc_person(db.st, "p1", 1, 0), p2 = tc_person(db.st, "p2", 1, 0);
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE people SET contact_id = 1 WHERE id IN (%lld, %lld)", p1, p2);
    assert_int_equal(crm_store_exec(db.st, sql), GR_OK);
    static const char *qs[] = {NULL, "page", "Pa", "30111", "x.com", "+49 30"};
    for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
        json_t *out = NULL;
        assert_int_equal(crm_contact_list(db.st, qs[k], 2, 0, &out), GR_OK);
        json_t *items = json_object_get(out, "items"), *it;
        assert_true(json_array_size(items) >= 1);
        size_t i;
        json_array_foreach(items, i, it) {
            json_t *one = NULL;
            assert_int_equal(crm_contact_get(db.st, tc_id(it), &one), GR_OK);
            if (!json_equal(it, one)) {
                char *a = json_dumps(it, JSON_COMPACT), *b = json_dumps(one, JSON_COMPACT);
                fail_msg("q=%s: list item %s != get %s", qs[k] ? qs[k] : "(none)", a, b);
            }
            json_decref(one);
        }
        json_decref(out);
    }
    json_t *out = NULL;
    assert_int_equal(crm_contact_list(db.st, "page one", 10, 0, &out), GR_OK);
    json_t *one = json_array_get(json_object_get(out, "items"), 0);
    assert_int_equal(json_array_size(json_object_get(one, "phones")), 2);
    assert_string_equal(tc_str(json_array_get(json_object_get(one, "phones"), 1), "type"), "mobile");
    assert_string_equal(json_string_value(json_array_get(json_object_get(one, "emails"), 1)), "uno@x.com");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(one, "person_ids"), 1)), p2);
    json_decref(out);
    tc_close(&db);
}

/* ---- randomised: the search against a plain substring search ---- */

typedef struct {
    char text[256];  /* names, company, e-mails */
    char phone[256]; /* phones as written and normalised */
} ref_t;

static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n) {
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 8) % n;
}

static void lower(char *s) {
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
}

/* Each group (as crm_contact_list forms them) occurs in the text or in the
 * phones: the meaning of a search. Groups are single words of 3+ here. */
static int ref_match(const ref_t *r, const char *q) {
    char buf[256], t[256], p[256];
    snprintf(buf, sizeof buf, "%s", q);
    snprintf(t, sizeof t, "%s", r->text);
    snprintf(p, sizeof p, "%s", r->phone);
    lower(buf);
    lower(t);
    lower(p);
    for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
        if (!strstr(t, w) && !strstr(p, w)) return 0;
    return 1;
}

static void search_equals_substring_search(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    enum { N = 300 };
    static ref_t refs[N + 1];
    static const char *given[] = {"Anna", "Ben", "Carla", "Dirk", "Eva"};
    static const char *seps[] = {"", " ", "-", " / ", "(0)"};
    for (int i = 1; i <= N; i++) {
        char phone[64], phone2[64], body[512];
        snprintf(phone, sizeof phone, "+49%s%u%s%u", seps[rnd(5)], 100 + rnd(900), seps[rnd(5)], 1000 + rnd(90000));
        snprintf(phone2, sizeof phone2, "0%u %u", 30 + rnd(60), rnd(1000000));
        const char *g = given[rnd(5)];
        int two = rnd(3) == 0;
        snprintf(body, sizeof body, "{\"given_name\":\"%s\",\"family_name\":\"Nr%u\",\"emails\":[\"%c%u@ex.com\"],"
                                    "\"phones\":[\"%s\"%s%s%s]}",
                 g, rnd(5000), g[0], rnd(100000), phone, two ? ",\"" : "", two ? phone2 : "", two ? "\"" : "");
        json_t *c = create_ok(db.st, body);
        assert_int_equal(tc_id(c), i);
        /* The reference texts, from what was stored. */
        sqlite3_stmt *s = NULL;
        assert_int_equal(sqlite3_prepare_v2(crm_store_db(db.st),
            "SELECT c.name || ' ' || c.given_name || ' ' || c.family_name || ' ' || coalesce((SELECT group_concat("
            "v.value || ' ' || v.norm, ' ') FROM contact_values v WHERE v.contact_id = c.id AND v.kind = 'email'), ''), "
            "(SELECT group_concat(v.value || ' ' || v.norm, ' ') FROM contact_values v WHERE v.contact_id = c.id "
            "AND v.kind = 'phone') FROM contacts c WHERE c.id = ?1", -1, &s, NULL), SQLITE_OK);
        sqlite3_bind_int(s, 1, i);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        snprintf(refs[i].text, sizeof refs[i].text, "%s", (const char *)sqlite3_column_text(s, 0));
        snprintf(refs[i].phone, sizeof refs[i].phone, "%s", (const char *)sqlite3_column_text(s, 1));
        sqlite3_finalize(s);
        json_decref(c);
    }
    int checked = 0, nonempty = 0;
    for (int k = 0; k < 400; k++) {
        char q[128];
        const ref_t *r = &refs[1 + rnd(N)];
        const char *src = rnd(4) ? r->phone : r->text;
        size_t len = strlen(src), from = rnd((unsigned)len), n = 3 + rnd(6);
        if (from + n > len) from = len > n ? len - n : 0;
        snprintf(q, sizeof q, "%.*s", (int)n, src + from);
        if (strchr(q, ' ') || strlen(q) < 3) continue; /* one word of 3+: see ref_match */
        if (rnd(4) == 0) { /* and a second word: a name or digits */
            size_t l = strlen(q);
            snprintf(q + l, sizeof q - l, " %s", rnd(2) ? given[rnd(5)] : (const char *[]){"176", "030", "555", "49"}[rnd(4)]);
            if (strlen(strrchr(q, ' ') + 1) < 3) continue;
        }
        long long want = 0;
        for (int i = 1; i <= N; i++) want += ref_match(&refs[i], q);
        json_t *out = NULL;
        assert_int_equal(crm_contact_list(db.st, q, 500, 0, &out), GR_OK);
        long long got = (long long)json_integer_value(json_object_get(out, "total"));
        if (got != want) fail_msg("q='%s': %lld matches, a substring search finds %lld", q, got, want);
        json_t *items = json_object_get(out, "items"), *it;
        size_t j;
        json_array_foreach(items, j, it) {
            long long id = tc_id(it);
            if (!ref_match(&refs[id], q)) fail_msg("q='%s': contact %lld listed but does not match", q, id);
        }
        json_decref(out);
        checked++;
        nonempty += want > 0;
    }
    assert_true(checked > 200);
    assert_true(nonempty > 150);
    tc_close(&db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(digit_fragments_anywhere_in_a_number),
        cmocka_unit_test(indexes_follow_updates_merges_and_deletes),
        cmocka_unit_test(migration_moves_phones_out_of_the_text_index),
        cmocka_unit_test(phone_path_newest_first_and_capped),
        cmocka_unit_test(page_items_equal_contact_get),
        cmocka_unit_test(search_equals_substring_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
