/* CSV reading/writing, contacts export and import (vCard and CSV). */
#include "tests/test_crm_util.h"

#include "crm/contact_search.h"
#include "crm/contacts.h"
#include "crm/csv.h"
#include "crm/transfer.h"

static void csv_reads_quotes_and_reports_lines(void **state) {
    (void)state;
    const char *text =
        "\xEF\xBB\xBF" "First Name,Last Name,E-mail,Mobile,Company,Notes\r\n"
        "Anna,\"O'Brien, Jr.\",anna@x.example,+49 176 1,\"Acme \"\"Rockets\"\"\",\"two\nlines\"\r\n"
        "Bad,Row,only three\r\n"
        "\r\n"
        "Carl,Sagan,carl@x.example; c.sagan@y.example,,,\n"
        ",,,,,\n"
        "Dora,\"unterminated,x,y,z,w\n";
    json_t *c = NULL, *e = NULL;
    assert_int_equal(crm_csv_read(text, strlen(text), &c, &e), GR_OK);
    assert_int_equal(json_array_size(c), 2);
    json_t *a = json_array_get(c, 0);
    assert_string_equal(tc_str(a, "family_name"), "O'Brien, Jr.");
    assert_string_equal(tc_str(a, "company"), "Acme \"Rockets\"");
    assert_string_equal(tc_str(a, "note"), "two\nlines");
    assert_string_equal(tc_str(json_array_get(json_object_get(a, "phones"), 0), "type"), "mobile");
    assert_int_equal(json_integer_value(json_object_get(a, "line")), 2);
    json_t *b = json_array_get(c, 1);
    assert_int_equal(json_array_size(json_object_get(b, "emails")), 2);
    assert_int_equal(json_integer_value(json_object_get(b, "line")), 6); /* Anna's note spans lines 2-3 */
    /* Errors with the line each bad record starts on. */
    assert_int_equal(json_array_size(e), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(e, 0), "line")), 4);
    assert_non_null(strstr(tc_str(json_array_get(e, 0), "message"), "expected 6 fields"));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(e, 1), "line")), 7);
    assert_non_null(strstr(tc_str(json_array_get(e, 1), "message"), "no value"));
    assert_int_equal(json_integer_value(json_object_get(json_array_get(e, 2), "line")), 8);
    assert_non_null(strstr(tc_str(json_array_get(e, 2), "message"), "unterminated"));
    json_decref(c);
    json_decref(e);
    /* Semicolon-separated (spreadsheet locales). */
    const char *semi = "name;email\nJörg Müller;joerg@x.example\n";
    assert_int_equal(crm_csv_read(semi, strlen(semi), &c, &e), GR_OK);
    assert_int_equal(json_array_size(c), 1);
    assert_string_equal(tc_str(json_array_get(c, 0), "name"), "Jörg Müller");
    json_decref(c);
    json_decref(e);
    /* No known column, empty text, binary. */
    assert_int_equal(crm_csv_read("foo,bar\n1,2\n", 12, &c, &e), GR_ERR_FORMAT);
    assert_null(c);
    assert_int_equal(crm_csv_read("", 0, &c, &e), GR_ERR_FORMAT);
    const char bin[] = "name,email\nA\0B,x@y.z\n";
    assert_int_equal(crm_csv_read(bin, sizeof bin - 1, &c, &e), GR_OK);
    assert_int_equal(json_array_size(c), 0);
    assert_non_null(strstr(tc_str(json_array_get(e, 0), "message"), "NUL"));
    json_decref(c);
    json_decref(e);
    /* A field over the limit is an error for its record only. */
    size_t n = CRM_MAX_LONGTEXT + 100;
    char *big = malloc(n + 64);
    int k = sprintf(big, "name,note\nA,");
    memset(big + k, 'z', n);
    strcpy(big + k + n, "\nB,ok\n");
    assert_int_equal(crm_csv_read(big, strlen(big), &c, &e), GR_OK);
    assert_int_equal(json_array_size(c), 1);
    assert_int_equal(json_array_size(e), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(e, 0), "line")), 2);
    json_decref(c);
    json_decref(e);
    free(big);
}

static void csv_write_then_read_roundtrips(void **state) {
    (void)state;
    json_t *in = tc_json("[{\"name\":\"Anna \\\"A\\\" O'Brien\",\"given_name\":\"Anna\",\"family_name\":\"O'Brien\","
                         "\"title\":\"CTO, R&D\",\"company\":\"Acme; Inc\",\"phones\":[{\"number\":\"+1 555 0100\","
                         "\"type\":\"work\"},{\"number\":\"+1 555 0199\",\"type\":\"mobile\"},{\"number\":\"+1 555 0111\","
                         "\"type\":\"home\"}],\"emails\":[\"a@x.example\",\"b@x.example\"],\"websites\":[],"
                         "\"address\":\"1 Main St\\nSpringfield\",\"note\":\"\"}]");
    char *text = NULL;
    assert_int_equal(crm_csv_write(in, &text), GR_OK);
    assert_non_null(strstr(text, "name,given_name,family_name,title,company,phone_work"));
    json_t *c = NULL, *e = NULL;
    assert_int_equal(crm_csv_read(text, strlen(text), &c, &e), GR_OK);
    assert_int_equal(json_array_size(e), 0);
    json_t *a = json_array_get(c, 0);
    assert_string_equal(tc_str(a, "name"), "Anna \"A\" O'Brien");
    assert_string_equal(tc_str(a, "title"), "CTO, R&D");
    assert_string_equal(tc_str(a, "company"), "Acme; Inc");
    assert_string_equal(tc_str(a, "address"), "1 Main St\nSpringfield");
    assert_int_equal(json_array_size(json_object_get(a, "phones")), 3);
    assert_int_equal(json_array_size(json_object_get(a, "emails")), 2);
    json_decref(c);
    json_decref(e);
    free(text);
    json_decref(in);
    /* Formula injection: guarded on export, restored on import; phones untouched. */
    in = tc_json("[{\"name\":\"=HYPERLINK(\\\"http://evil\\\")\",\"title\":\"@SUM(A1)\",\"company\":\"'quoted\","
                 "\"note\":\"-2+3\",\"address\":\"+cmd|' /C calc'!A0\",\"phones\":[{\"number\":\"+49 (30) 555-0100\"}]}]");
    assert_int_equal(crm_csv_write(in, &text), GR_OK);
    assert_non_null(strstr(text, "\n\"'=HYPERLINK"));
    assert_non_null(strstr(text, ",'@SUM(A1),"));
    assert_non_null(strstr(text, ",''quoted,"));
    assert_non_null(strstr(text, ",'-2+3\r\n"));         /* arithmetic is guarded */
    assert_non_null(strstr(text, ",'+cmd|"));
    assert_non_null(strstr(text, ",+49 (30) 555-0100,")); /* a phone stays */
    assert_int_equal(crm_csv_read(text, strlen(text), &c, &e), GR_OK);
    a = json_array_get(c, 0);
    assert_string_equal(tc_str(a, "name"), "=HYPERLINK(\"http://evil\")");
    assert_string_equal(tc_str(a, "title"), "@SUM(A1)");
    assert_string_equal(tc_str(a, "company"), "'quoted");
    assert_string_equal(tc_str(a, "address"), "+cmd|' /C calc'!A0");
    assert_string_equal(tc_str(a, "note"), "-2+3");
    json_decref(c);
    json_decref(e);
    free(text);
    json_decref(in);
    assert_true(crm_text_is_vcard("\xEF\xBB\xBF\r\n begin:vcard\r\n", 20));
    assert_false(crm_text_is_vcard("name,email\n", 11));
}

/* A contact with more values than Google's layout has slots (40 a kind)
 * still reads back whole: the rest share the last slot, joined with
 * " ::: ", and the file stays within the reader's 256 columns. */
static void csv_google_many_values_roundtrip(void **state) {
    (void)state;
    json_t *webs = json_array(), *mails = json_array(), *phones = json_array();
    char v[64];
    for (int i = 0; i < 150; i++) {
        snprintf(v, sizeof v, "https://site%d.example", i);
        json_array_append_new(webs, json_string(v));
    }
    for (int i = 0; i < 50; i++) {
        snprintf(v, sizeof v, "p%d@example.com", i);
        json_array_append_new(mails, json_string(v));
        snprintf(v, sizeof v, "+4930123456%02d", i);
        json_array_append_new(phones, json_pack("{s:s,s:s}", "number", v, "type", "work"));
    }
    json_t *contacts = json_pack("[{s:s,s:o,s:o,s:o}]", "name", "Many Values", "websites", webs, "emails", mails,
                                 "phones", phones);
    char *text = NULL;
    assert_int_equal(crm_csv_write_layout(contacts, CRM_CSV_GOOGLE, &text), GR_OK);
    json_t *again = NULL, *errors = NULL;
    assert_int_equal(crm_csv_read(text, strlen(text), &again, &errors), GR_OK);
    assert_int_equal(json_array_size(errors), 0);
    assert_int_equal(json_array_size(again), 1);
    json_t *c = json_array_get(again, 0);
    assert_int_equal(json_array_size(json_object_get(c, "websites")), 150);
    assert_int_equal(json_array_size(json_object_get(c, "emails")), 50);
    assert_int_equal(json_array_size(json_object_get(c, "phones")), 50);
    assert_string_equal(json_string_value(json_array_get(json_object_get(c, "websites"), 149)), "https://site149.example");
    free(text);
    json_decref(again);
    json_decref(errors);
    json_decref(contacts);
}

static void import_merges_duplicates_and_skips_bad(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    const char *csv = "name,email,phone,company\n"
                      "Anna Berg,anna@berg.example,+46 8 555 0100,Berg AB\n"
                      "Bob Stone,not-an-email,+1 206 555 0188,\n"
                      "Anna B.,ANNA@berg.example,+46 70 555 0101,\n"
                      "Cleo Park,cleo@park.example,,Park & Co\n";
    json_t *rep = NULL;
    assert_int_equal(crm_contacts_import(db.st, csv, strlen(csv), "cli", &rep), GR_OK);
    assert_string_equal(tc_str(rep, "format"), "csv");
    /* Bob arrives without the e-mail that is none, reported with its line. */
    assert_int_equal(json_integer_value(json_object_get(rep, "created")), 3);
    assert_int_equal(json_integer_value(json_object_get(rep, "merged")), 1);
    assert_int_equal(json_integer_value(json_object_get(rep, "failed")), 0);
    assert_int_equal(json_integer_value(json_object_get(rep, "dropped")), 1);
    json_t *e0 = json_array_get(json_object_get(rep, "warnings"), 0);
    assert_int_equal(json_integer_value(json_object_get(e0, "line")), 3);
    assert_string_equal(tc_str(e0, "message"), "dropped e-mail \"not-an-email\": not an e-mail address");
    json_decref(rep);
    json_t *l = NULL;
    assert_int_equal(crm_contact_list(db.st, "berg", 10, 0, &l), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(l, "total")), 1);
    assert_int_equal(json_array_size(json_object_get(json_array_get(json_object_get(l, "items"), 0), "phones")), 2);
    json_decref(l);
    /* Export both ways, and re-import the vCards: everything merges, nothing new. */
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(crm_contacts_export(db.st, "csv", "cli", &out, &n), GR_OK);
    assert_int_equal(n, 3);
    assert_non_null(strstr(out, "Park & Co"));
    free(out);
    assert_int_equal(crm_contacts_export(db.st, "vcard", "cli", &out, &n), GR_OK);
    assert_non_null(strstr(out, "BEGIN:VCARD"));
    assert_non_null(strstr(out, "cleo@park.example"));
    assert_int_equal(crm_contacts_import(db.st, out, strlen(out), "cli", &rep), GR_OK);
    assert_string_equal(tc_str(rep, "format"), "vcard");
    assert_int_equal(json_integer_value(json_object_get(rep, "created")), 0);
    assert_int_equal(json_integer_value(json_object_get(rep, "merged")), 3);
    json_decref(rep);
    free(out);
    assert_int_equal(crm_contacts_export(db.st, "xml", "cli", &out, &n), GR_ERR_INVAL);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM audit_log WHERE action='contacts.export'"), 2);
    /* A bad value of a vCard is reported with its own line, the card kept;
     * a card that cannot be read (no END) is reported with its BEGIN line. */
    const char *vcf = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dan Brown\r\nEMAIL:dan@brown.example\r\nEND:VCARD\r\n"
                      "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Eve\r\nEMAIL:broken\r\nEND:VCARD\r\n"
                      "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Fay\r\n";
    assert_int_equal(crm_contacts_import(db.st, vcf, strlen(vcf), "cli", &rep), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(rep, "created")), 2);
    assert_int_equal(json_integer_value(json_object_get(rep, "failed")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(rep, "warnings"), 0), "line")), 9);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(rep, "errors"), 0), "line")), 11);
    json_decref(rep);
    /* More than one batch: every record arrives, the bad one in the middle is reported. */
    size_t cap = 64 * 1024, len = 0;
    char *big = malloc(cap);
    len += (size_t)snprintf(big + len, cap - len, "name,email\n");
    for (int i = 0; i < 450; i++)
        len += (size_t)snprintf(big + len, cap - len, i == 300 ? "Bad %d,broken\n" : "Bulk %d,bulk%d@x.example\n", i, i);
    assert_int_equal(crm_contacts_import(db.st, big, len, "cli", &rep), GR_OK);
    assert_int_equal(json_integer_value(json_object_get(rep, "created")), 450);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(rep, "warnings"), 0), "line")), 302);
    json_decref(rep);
    free(big);
    assert_int_equal(tc_int(db.st, "SELECT count(*) FROM contacts WHERE name LIKE 'Bulk %'"), 449);
    assert_int_equal(crm_contacts_import(db.st, "\x01\x02garbage", 9, "cli", &rep), GR_ERR_FORMAT);
    assert_null(rep);
    tc_close(&db);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_reads_quotes_and_reports_lines),
        cmocka_unit_test(csv_write_then_read_roundtrips),
        cmocka_unit_test(csv_google_many_values_roundtrip),
        cmocka_unit_test(import_merges_duplicates_and_skips_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
