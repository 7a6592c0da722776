/* test_web_card_learning.c - the card reader learns from corrections (issue
 * 13): a card is read, a person corrects its company, title and name and
 * the scan is saved (crm card_scans.corrections); the next card of the same
 * company (same e-mail domain, or same switchboard block) is read right, a
 * card of another company is left alone. The path the scan API takes:
 * crm_scan_corrected -> ocr_fields_hints_from_scans -> ocr_fields_apply_hints. */
#include "tests/test_crm_util.h"

#include "crm/scans.h"
#include "ocr/fields.h"

static json_t *parse(const char *text) {
    ocr_lines_t ls = {0};
    assert_int_equal(ocr_lines_from_text(&ls, text, strlen(text)), GR_OK);
    json_t *o = ocr_fields_parse(&ls, "DE");
    ocr_lines_free(&ls);
    assert_non_null(o);
    return o;
}

/* Scan the cards of three people of one company after the first was corrected. */
static void corrected_company_is_learned(void **state) {
    (void)state;
    tc_db_t db;
    tc_open(&db);
    char err[256] = "";
    /* 1. first card: the logo's company is misread, the title lost an accent */
    json_t *first = parse("Jana Novakova\nVedouci prodeje\nKrlsbad Porcelan\njana.novakova@karlsbadporcelan.cz\n"
                          "Tel. +420 353 224 511\n");
    assert_string_equal(tc_str(first, "company"), "Krlsbad Porcelan");
    /* 2. the person corrects it and saves the scan */
    json_t *fields = json_deep_copy(first);
    json_object_set_new(fields, "company", json_string("Karlsbad Porcelán s.r.o."));
    json_object_set_new(fields, "title", json_string("Vedoucí prodeje"));
    json_t *out = NULL;
    assert_int_equal(crm_scan_save(db.st, first, fields, NULL, 0, 0, "desk", &out, err, sizeof err), GR_OK);
    json_decref(out);
    json_decref(fields);
    /* 3. the hints the scan API gathers */
    json_t *scans = NULL;
    assert_int_equal(crm_scan_corrected(db.st, 0, &scans), GR_OK);
    assert_int_equal(json_array_size(scans), 1);
    json_t *hints = ocr_fields_hints_from_scans(scans);
    assert_non_null(hints);
    assert_int_equal(json_array_size(hints), 2); /* company and title */

    /* a colleague's card, same domain, the company read without its accent and legal form */
    json_t *second = parse("Petr Dvorak\nVedouci prodeje\nKarlsbad Porcelan\npetr.dvorak@karlsbadporcelan.cz\n");
    assert_int_equal(ocr_fields_apply_hints(second, hints), 2);
    assert_string_equal(tc_str(second, "company"), "Karlsbad Porcelán s.r.o.");
    assert_string_equal(tc_str(second, "title"), "Vedoucí prodeje");
    assert_string_equal(tc_str(second, "name"), "Petr Dvorak"); /* not corrected: stays */
    assert_true(json_is_true(json_object_get(second, "learned")));
    assert_true(json_is_true(json_object_get(json_object_get(second, "confident"), "company")));

    /* a third card with no e-mail, tied by the switchboard block +420 353 224 ... */
    json_t *third = parse("Eva Kralova\nTel. +420 353 224 599\n");
    assert_int_equal(ocr_fields_apply_hints(third, hints), 1);
    assert_string_equal(tc_str(third, "company"), "Karlsbad Porcelán s.r.o.");

    /* another company's card is left as read */
    json_t *other = parse("Tomas Cerny\nObchodni reditel\nMoser Glass\ntomas.cerny@moserglass.cz\n");
    assert_int_equal(ocr_fields_apply_hints(other, hints), 0);
    assert_string_equal(tc_str(other, "company"), "Moser Glass");
    assert_null(json_object_get(other, "learned"));

    json_decref(first);
    json_decref(second);
    json_decref(third);
    json_decref(other);
    json_decref(hints);
    json_decref(scans);
    tc_close(&db);
}

/* A shared mail provider's domain says nothing about the company. */
static void shared_mail_domain_is_no_key(void **state) {
    (void)state;
    json_t *a = tc_json("{\"result\":{\"company\":\"Padaria Sol\",\"emails\":[\"padariasol@gmail.com\"],"
                        "\"phones\":[]},\"corrections\":{\"company\":{\"from\":\"Padaria Sol\",\"to\":\"Padaria do Sol\"}}}");
    json_t *scans = json_array();
    json_array_append_new(scans, a);
    json_t *hints = ocr_fields_hints_from_scans(scans);
    assert_non_null(hints);
    assert_int_equal(json_array_size(hints), 0); /* no key: nothing to learn by */
    json_t *c = tc_json("{\"company\":\"\",\"emails\":[\"joao@gmail.com\"],\"phones\":[],\"confidence\":{}}");
    assert_int_equal(ocr_fields_apply_hints(c, hints), 0);
    json_t *keys = ocr_fields_hint_keys(c);
    assert_int_equal(json_array_size(keys), 0);
    json_decref(keys);
    json_decref(c);
    json_decref(hints);
    json_decref(scans);
}

/* Bad hint entries (not objects, missing fields) are skipped, never a crash. */
static void bad_hints_are_skipped(void **state) {
    (void)state;
    json_t *scans = tc_json("[1, {\"result\":\"x\"}, {\"result\":{}, \"corrections\":{\"company\":{\"to\":5}}}, {}]");
    json_t *hints = ocr_fields_hints_from_scans(scans);
    assert_non_null(hints);
    assert_int_equal(json_array_size(hints), 0);
    json_t *bad = tc_json("[{\"keys\":\"d:x.cz\",\"field\":\"company\",\"to\":\"X\"}, 7]");
    json_t *c = tc_json("{\"company\":\"\",\"emails\":[\"a@x.cz\"]}");
    assert_int_equal(ocr_fields_apply_hints(c, bad), 0);
    assert_int_equal(ocr_fields_apply_hints(NULL, bad), 0);
    json_decref(c);
    json_decref(bad);
    json_decref(hints);
    json_decref(scans);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corrected_company_is_learned),
        cmocka_unit_test(shared_mail_domain_is_no_key),
        cmocka_unit_test(bad_hints_are_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
