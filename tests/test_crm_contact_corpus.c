/* The exporter corpus (tests/data/contacts, README there): every fixture
 * imports with every card, name, organisation, title, e-mail and phone its
 * .expect file lists (written by hand from the fixture), the values that
 * cannot be kept are reported, and a round trip through each export format
 * (vCard 4.0, vCard 3.0, our CSV, Google CSV, Outlook CSV) into a fresh
 * board changes nothing. Also: duplicates across a card scan and an import
 * by E.164, and the review notification of a contact named after its
 * e-mail. */
#include "tests/test_crm_util.h"

#include "crm/contacts.h"
#include "crm/notify.h"
#include "crm/transfer.h"

#include <ctype.h>

static const char *const FIXTURES[] = {
    "android_21.vcf", "blackberry.vcf", "evolution.vcf", "gmail.vcf", "iphone.vcf", "lotus_notes.vcf",
    "macos_addressbook.vcf", "outlook2003.vcf", "outlook2007.vcf", "thunderbird.vcf", "rfc2426.vcf", "rfc6350.vcf",
    "google.csv", "google_legacy.csv", "outlook.csv", "apple_contacts.csv", "bitrix24.csv", "bitrix24_ru.csv",
};
static const char *const FORMATS[] = {"vcard", "vcard3", "csv", "csv-google", "csv-outlook"};

/* One contact as the .expect line writes it: name|company|title|emails|
 * phones, lists sorted so the order a layout writes them in does not count. */
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void sorted_list(json_t *arr, int phones, char *out, size_t cap) {
    char *items[64] = {0};
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        char buf[300];
        if (phones)
            snprintf(buf, sizeof buf, "%s=%s", json_string_value(json_object_get(v, "number")),
                     json_string_value(json_object_get(v, "type")));
        else
            snprintf(buf, sizeof buf, "%s", json_string_value(v));
        if (n < 64) items[n++] = strdup(buf);
    }
    qsort(items, n, sizeof *items, cmp_str);
    out[0] = 0;
    for (i = 0; i < n; i++) {
        if (i) strncat(out, ",", cap - strlen(out) - 1);
        strncat(out, items[i], cap - strlen(out) - 1);
        free(items[i]);
    }
}

static void sorted_text(const char *text, char *out, size_t cap) {
    json_t *a = json_array();
    char *copy = strdup(text), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) json_array_append_new(a, json_string(t));
    sorted_list(a, 0, out, cap);
    free(copy);
    json_decref(a);
}

static void describe(json_t *c, char *out, size_t cap) {
    char em[1024], ph[1024];
    sorted_list(json_object_get(c, "emails"), 0, em, sizeof em);
    sorted_list(json_object_get(c, "phones"), 1, ph, sizeof ph);
    snprintf(out, cap, "%s|%s|%s|%s|%s", tc_str(c, "name"), tc_str(c, "company"), tc_str(c, "title"), em, ph);
}

/* The contacts of st (not merged away), described, one per line, in id order. */
static char *board_contacts(crm_store_t *st) {
    size_t cap = 1 << 16, len = 0;
    char *all = calloc(1, cap);
    long long n = tc_int(st, "SELECT max(id) FROM contacts");
    for (long long id = 1; id <= n; id++) {
        json_t *c = NULL;
        assert_int_equal(crm_contact_get(st, id, &c), GR_OK);
        if (json_is_null(json_object_get(c, "merged_into"))) {
            char line[4096];
            describe(c, line, sizeof line);
            len += (size_t)snprintf(all + len, cap - len, "%s\n", line);
        }
        json_decref(c);
    }
    return all;
}

typedef struct {
    char want[1 << 15];
    long long dropped, review;
} expect_t;

static void load_expect(const char *fixture, expect_t *e) {
    char path[512];
    snprintf(path, sizeof path, "contacts/%s", fixture);
    *strrchr(path, '.') = 0;
    strcat(path, ".expect");
    size_t len;
    char *text = tu_slurp(tu_data(path), &len), *save = NULL;
    memset(e, 0, sizeof *e);
    size_t n = 0;
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (!strncmp(l, "!dropped ", 9)) e->dropped = atoll(l + 9);
        else if (!strncmp(l, "!review ", 8)) e->review = atoll(l + 8);
        else if (*l && *l != '#') {
            char *f[5] = {0}, *p = l;
            for (int k = 0; k < 5; k++) {
                f[k] = p;
                p = p ? strchr(p, '|') : NULL;
                if (p) *p++ = 0;
            }
            assert_non_null(f[4]);
            char em[2048], ph[2048];
            sorted_text(f[3], em, sizeof em);
            sorted_text(f[4], ph, sizeof ph);
            n += (size_t)snprintf(e->want + n, sizeof e->want - n, "%s|%s|%s|%s|%s\n", f[0], f[1], f[2], em, ph);
        }
    }
    free(text);
}

static void import_into(crm_store_t *st, const char *text, size_t len, const char *what, long long dropped,
                        long long review) {
    json_t *rep = NULL;
    assert_int_equal(crm_contacts_import(st, text, len, "test", &rep), GR_OK);
    char *js = json_dumps(rep, JSON_COMPACT);
    if (json_integer_value(json_object_get(rep, "failed")) != 0 ||
        json_integer_value(json_object_get(rep, "dropped")) != dropped ||
        json_integer_value(json_object_get(rep, "review")) != review)
        fail_msg("%s: report %s (want 0 failed, %lld dropped, %lld for review)", what, js, dropped, review);
    free(js);
    json_decref(rep);
}

static void every_fixture_imports_whole_and_round_trips(void **state) {
    (void)state;
    static expect_t e;
    for (size_t i = 0; i < sizeof FIXTURES / sizeof FIXTURES[0]; i++) {
        load_expect(FIXTURES[i], &e);
        char path[256];
        snprintf(path, sizeof path, "contacts/%s", FIXTURES[i]);
        size_t len;
        char *text = tu_slurp(tu_data(path), &len);
        tc_db_t db;
        tc_open(&db);
        import_into(db.st, text, len, FIXTURES[i], e.dropped, e.review);
        char *got = board_contacts(db.st);
        if (strcmp(got, e.want)) fail_msg("%s imported as\n%swant\n%s", FIXTURES[i], got, e.want);
        for (size_t k = 0; k < sizeof FORMATS / sizeof FORMATS[0]; k++) {
            char *out = NULL;
            size_t n = 0;
            assert_int_equal(crm_contacts_export(db.st, FORMATS[k], "test", &out, &n), GR_OK);
            tc_db_t again;
            tc_open(&again);
            char what[128];
            snprintf(what, sizeof what, "%s via %s", FIXTURES[i], FORMATS[k]);
            import_into(again.st, out, strlen(out), what, 0, 0);
            char *back = board_contacts(again.st);
            if (strcmp(back, got)) fail_msg("%s changed:\n%swas\n%s--- export:\n%s", what, back, got, out);
            free(back);
            free(out);
            tc_close(&again);
        }
        free(got);
        free(text);
        tc_close(&db);
    }
}

/* The board's region reads a national number as E.164, so the number a
 * card scan saved and the same number printed in an import are one person;
 * the printed form stays as it was written. */
static void import_matches_scan_by_e164(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    json_t *scan = tc_json("{\"name\":\"Dana Scully\",\"phones\":[{\"number\":\"+19055551234\",\"type\":\"work\"}]}");
    json_t *out = NULL;
    assert_int_equal(crm_contact_create(db.st, scan, "scan", &out, NULL, 0), GR_OK);
    json_decref(out);
    json_decref(scan);
    const char *vcf = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Scully\r\nTEL;TYPE=CELL:905-555-1234\r\n"
                      "EMAIL:dana@fbi.example\r\nEND:VCARD\r\n";
    json_t *rep = NULL;
    assert_int_equal(crm_contacts_import(db.st, vcf, strlen(vcf), "test", &rep), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(rep, "merged")), 1);
    assert_int_equal(json_integer_value(json_object_get(rep, "created")), 0);
    json_decref(rep);
    json_t *c = NULL;
    assert_int_equal(crm_contact_get(db.st, 1, &c), GR_OK);
    json_t *ph = json_object_get(c, "phones");
    assert_int_equal(json_array_size(ph), 2);
    assert_string_equal(tc_str(json_array_get(ph, 1), "number"), "905-555-1234");
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contact_values WHERE norm = '+19055551234'"), 2);
    json_decref(c);
    tc_close(&db);
}

/* A value crm refuses is left out with its line; invalid UTF-8 refuses the
 * record (issue 12) and the others arrive; a nameless contact is named after
 * its e-mail and a notification asks for a review. */
static void drops_values_refuses_bad_utf8_marks_review(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    const char *csv = "Name,E-mail,Phone\n"
                      "Ann Lee,ann@lee.example; not an address,+1 206 555 0100\n"
                      "Bad \xC3\x28 Bytes,bad@bytes.example,\n"
                      ",nobody@example.org,\n"
                      "Cy Twombly,,call me\n";
    json_t *rep = NULL;
    assert_int_equal(crm_contacts_import(db.st, csv, strlen(csv), "test", &rep), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(rep, "created")), 3);
    assert_int_equal(json_integer_value(json_object_get(rep, "failed")), 1);
    assert_int_equal(json_integer_value(json_object_get(rep, "review")), 1);
    json_t *err = json_array_get(json_object_get(rep, "errors"), 0);
    assert_int_equal(json_integer_value(json_object_get(err, "line")), 3);
    assert_non_null(strstr(tc_str(err, "message"), "not UTF-8"));
    json_t *w = json_object_get(rep, "warnings");
    assert_int_equal(json_array_size(w), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(w, 0), "line")), 2);
    assert_string_equal(tc_str(json_array_get(w, 0), "message"), "dropped e-mail \"not an address\": not an e-mail address");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(w, 1), "line")), 5);
    assert_string_equal(tc_str(json_array_get(w, 1), "message"), "dropped phone \"call me\": not a phone number");
    json_decref(rep);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts WHERE name = 'Cy Twombly'"), 1);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts WHERE name = 'nobody@example.org'"), 1);
    json_t *list = NULL;
    assert_int_equal(crm_notify_list(db.st, 1, 10, 0, &list), GR_OK);
    json_t *items = json_object_get(list, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_string_equal(tc_str(json_array_get(items, 0), "entity"), "contact");
    assert_non_null(strstr(tc_str(json_array_get(items, 0), "body"), "nobody@example.org"));
    json_decref(list);
    tc_close(&db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_fixture_imports_whole_and_round_trips),
        cmocka_unit_test(import_matches_scan_by_e164),
        cmocka_unit_test(drops_values_refuses_bad_utf8_marks_review),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
