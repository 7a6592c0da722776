/* Card reader without Tesseract: field parsing on text fixtures per
 * language, phone normalisation per country, QR payloads and QR decoding,
 * and the image header checks that refuse bad input before decoding. */
#include "tests/testutil.h"

#include "ocr/card_image.h"
#include "firmware/core/err.h"
#include "ocr/fields.h"
#include "ocr/imghdr.h"
#include "firmware/formats/phone.h"
#include "ocr/qr.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *parse(const char *text, const char *region) {
    ocr_lines_t ls = {0};
    assert_int_equal(ocr_lines_from_text(&ls, text, strlen(text)), GR_OK);
    json_t *o = ocr_fields_parse(&ls, region);
    ocr_lines_free(&ls);
    assert_non_null(o);
    char *s = json_dumps(o, 0); /* must always serialise (valid UTF-8) */
    assert_non_null(s);
    free(s);
    return o;
}

static const char *S(json_t *o, const char *k) {
    const char *v = json_string_value(json_object_get(o, k));
    assert_non_null(v);
    return v;
}

static void assert_phones(json_t *o, const char *const *want, const char *const *types, size_t n) {
    json_t *ph = json_object_get(o, "phones");
    assert_int_equal(json_array_size(ph), n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(S(json_array_get(ph, i), "number"), want[i]);
        if (types) assert_string_equal(S(json_array_get(ph, i), "type"), types[i]);
    }
}

static void assert_list(json_t *o, const char *key, const char *const *want, size_t n) {
    json_t *a = json_object_get(o, key);
    assert_int_equal(json_array_size(a), n);
    for (size_t i = 0; i < n; i++) assert_string_equal(json_string_value(json_array_get(a, i)), want[i]);
}

static void english_us_card(void **state) {
    (void)state;
    json_t *o = parse("Torres PLC\nThomas Lambert\nData scientist\nT: +1 (826) 796-9390\nM: (310) 990-9621\n"
                      "thomas.lambert@torres.com\nWeb: www.torres.com\n801 Marcus Squares Apt. 239\n"
                      "Wilsonview, NY 59663\n",
                      "US");
    assert_string_equal(S(o, "name"), "Thomas Lambert");
    assert_string_equal(S(o, "given_name"), "Thomas");
    assert_string_equal(S(o, "family_name"), "Lambert");
    assert_string_equal(S(o, "title"), "Data scientist");
    assert_string_equal(S(o, "company"), "Torres PLC");
    const char *ph[] = {"+18267969390", "+13109909621"}, *ty[] = {"work", "mobile"};
    assert_phones(o, ph, ty, 2);
    const char *em[] = {"thomas.lambert@torres.com"}, *ws[] = {"www.torres.com"};
    assert_list(o, "emails", em, 1);
    assert_list(o, "websites", ws, 1);
    assert_string_equal(S(o, "address"), "801 Marcus Squares Apt. 239, Wilsonview, NY 59663");
    json_t *c = json_object_get(o, "confidence");
    assert_true(json_real_value(json_object_get(c, "emails")) > 0.5);
    assert_true(json_real_value(json_object_get(c, "name")) > 0.5);
    json_decref(o);
}

/* National numbers take the card's country from its domain, not the
 * default region (US here). */
static void german_card(void **state) {
    (void)state;
    json_t *o = parse("Kreusel\nThies Kabus\nPsychologist\nTelefon: 040/7441031\nFax: 040 7441032\n"
                      "Mobil: 0170 1234567\nE-Mail: kabust@kreusel.de\nWeb: kreusel.de\nRiehlstraße 6\n91484 Eichstätt\n",
                      "US");
    assert_string_equal(S(o, "name"), "Thies Kabus");
    assert_string_equal(S(o, "company"), "Kreusel");
    assert_string_equal(S(o, "title"), "Psychologist");
    const char *ph[] = {"+49407441031", "+49407441032", "+491701234567"}, *ty[] = {"work", "fax", "mobile"};
    assert_phones(o, ph, ty, 3);
    const char *ws[] = {"kreusel.de"};
    assert_list(o, "websites", ws, 1);
    assert_string_equal(S(o, "address"), "Riehlstraße 6, 91484 Eichstätt");
    json_decref(o);
}

static void french_card_handle_is_not_email(void **state) {
    (void)state;
    json_t *o = parse("Julien Chauveau S.A.R.L.\nThibault Lesage\nIngénieur en aéronautique\nTél. : 07 55 57 82 64\n"
                      "Fax : 01 04 98 45 58\nCourriel : thibault.lesage@julien.fr\nwww, julien.fr\n@t_lesage\n"
                      "797, rue Morel\n68 949 Camus\n",
                      "US");
    assert_string_equal(S(o, "name"), "Thibault Lesage");
    assert_string_equal(S(o, "company"), "Julien Chauveau S.A.R.L.");
    assert_string_equal(S(o, "title"), "Ingénieur en aéronautique");
    const char *ph[] = {"+33755578264", "+33104984558"}, *ty[] = {"work", "fax"};
    assert_phones(o, ph, ty, 2);
    const char *em[] = {"thibault.lesage@julien.fr"}, *ws[] = {"www.julien.fr"};
    assert_list(o, "emails", em, 1); /* not "@t_lesage" */
    assert_list(o, "websites", ws, 1);
    assert_string_equal(S(o, "address"), "797, rue Morel, 68 949 Camus");
    json_decref(o);
}

static void russian_card_tagline_is_not_title(void **state) {
    (void)state;
    json_t *o = parse("НПО «Авдеева Зайцев»\nИнновации, которые важны\nЯков Устинов\nКорректировщик\n"
                      "М: 8 (499) 197-23-67\nТел.: +7 (812) 648-95-69\nE-mail: y.ustinov@npo.ru\nwww.npo.ru\n@y_ustinov\n"
                      "к. Петрозаводск\nул. Запорожская, д. 53, 319052\n",
                      "US");
    assert_string_equal(S(o, "name"), "Яков Устинов");
    assert_string_equal(S(o, "given_name"), "Яков");
    assert_string_equal(S(o, "family_name"), "Устинов");
    assert_string_equal(S(o, "title"), "Корректировщик");
    assert_string_equal(S(o, "company"), "НПО «Авдеева Зайцев»");
    const char *ph[] = {"+74991972367", "+78126489569"}, *ty[] = {"mobile", "work"};
    assert_phones(o, ph, ty, 2);
    const char *em[] = {"y.ustinov@npo.ru"};
    assert_list(o, "emails", em, 1);
    assert_string_equal(S(o, "address"), "к. Петрозаводск, ул. Запорожская, д. 53, 319052");
    json_decref(o);
}

/* OCR slips: O for 0 in a number, "h" for "b" in a domain the company name
 * corrects, a web address with its dot lost, an icon read as "0". */
static void british_card_with_ocr_confusions(void **state) {
    (void)state;
    json_t *o = parse("} Lyons-Baker\nInnovation that matters\nDylan Wallis\nResearch officer\n"
                      "Mobile: 07926 492 3O8\n0 d.wallis@lyonshaker.co.uk\nwwwlyonsbaker.co.uk\n76 Harris groves\nBallside\n",
                      NULL);
    assert_string_equal(S(o, "name"), "Dylan Wallis");
    assert_string_equal(S(o, "company"), "Lyons-Baker");
    assert_string_equal(S(o, "title"), "Research officer");
    const char *ph[] = {"+447926492308"}, *ty[] = {"mobile"};
    assert_phones(o, ph, ty, 1);
    const char *em[] = {"d.wallis@lyonsbaker.co.uk"}, *ws[] = {"www.lyonsbaker.co.uk"};
    assert_list(o, "emails", em, 1);
    assert_list(o, "websites", ws, 1);
    assert_string_equal(S(o, "address"), "76 Harris groves, Ballside");
    json_decref(o);
}

/* A split layout as the OCR returns it: right column first, boxes tell
 * which line is under which. */
static void boxes_decide_the_title(void **state) {
    (void)state;
    ocr_lines_t ls = {0};
    assert_int_equal(ocr_lines_add(&ls, "Phone: 276.710.5677", 0.96f, 658, 81, 330, 26), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "christopher @thompson.com", 0.67f, 657, 159, 438, 29), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "Christopher Snyder", 0.90f, 64, 193, 682, 66), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "373 Box 6855", 0.96f, 752, 234, 219, 26), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "Engineer", 0.95f, 65, 278, 152, 34), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "APO AA 66690", 0.96f, 658, 273, 225, 24), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "Thompson, Yang and Trujillo", 0.88f, 63, 352, 668, 60), GR_OK);
    assert_int_equal(ocr_lines_add(&ls, "Engineering the future", 0.65f, 65, 436, 281, 25), GR_OK);
    json_t *o = ocr_fields_parse(&ls, "US");
    ocr_lines_free(&ls);
    assert_string_equal(S(o, "name"), "Christopher Snyder");
    assert_string_equal(S(o, "title"), "Engineer");
    assert_string_equal(S(o, "company"), "Thompson, Yang and Trujillo");
    const char *em[] = {"christopher@thompson.com"};
    assert_list(o, "emails", em, 1);
    assert_string_equal(S(o, "address"), "373 Box 6855, APO AA 66690");
    json_decref(o);
}

/* Text in a script the reader does not expect, or bytes that are not
 * text: an object with no contact data, never a crash. */
static void unexpected_script_and_garbage(void **state) {
    (void)state;
    json_t *o = parse("Γιώργος Παπαδόπουλος\nΔιευθυντής\n北京市朝阳区\n\xff\xfe\xc3(\x80 @@@ ..com\n", "US");
    assert_int_equal(json_array_size(json_object_get(o, "phones")), 0);
    assert_int_equal(json_array_size(json_object_get(o, "emails")), 0);
    assert_string_equal(S(o, "name"), "");
    json_decref(o);
    o = parse("", NULL);
    assert_string_equal(S(o, "company"), "");
    json_decref(o);
}

/* A blurred card's confidences are scaled down, phones the most: a number
 * read at 0.92 off a blurred card had a digit wrong often enough that it
 * is not marked confident; one read at 0.95 still is; a name read at 0.95
 * is not (0.8 x 0.95 < 0.87). */
static void blurred_card_confidence(void **state) {
    (void)state;
    json_t *o = json_pack("{s:s, s:[{s:s}], s:{s:f, s:f}}", "name", "Ana Souza", "phones", "number", "+551130171726",
                          "confidence", "name", 0.95, "phones", 0.92);
    assert_non_null(o);
    ocr_fields_mark_confident(o);
    assert_true(json_is_true(json_object_get(json_object_get(o, "confident"), "phones")));
    ocr_fields_blurred_confidence(o);
    json_t *c = json_object_get(o, "confidence"), *ok = json_object_get(o, "confident");
    assert_float_equal(json_number_value(json_object_get(c, "phones")), 0.92 * 0.65, 1e-9);
    assert_float_equal(json_number_value(json_object_get(c, "name")), 0.95 * 0.8, 1e-9);
    assert_false(json_is_true(json_object_get(ok, "phones")));
    assert_false(json_is_true(json_object_get(ok, "name")));
    json_object_set_new(c, "phones", json_real(0.95 * 0.65));
    ocr_fields_mark_confident(o);
    assert_true(json_is_true(json_object_get(json_object_get(o, "confident"), "phones")));
    json_decref(o);
}

/* A card whose print was small in the photo (scaled up 2.5 times or
 * more to be read): its phones, e-mails and sites are scaled as a blurred
 * card's; name, company and title stay; below that scale nothing changes. */
static void small_print_confidence(void **state) {
    (void)state;
    json_t *o = json_pack("{s:s, s:[{s:s}], s:[s], s:{s:f, s:f, s:f}}", "name", "Ana Souza", "phones", "number",
                          "+842838233423", "emails", "d.nguyen@pinnacle.com", "confidence", "name", 0.95,
                          "phones", 0.91, "emails", 0.86);
    assert_non_null(o);
    ocr_fields_mark_confident(o);
    ocr_fields_small_print_confidence(o, 2.4);
    json_t *c = json_object_get(o, "confidence"), *ok = json_object_get(o, "confident");
    assert_float_equal(json_number_value(json_object_get(c, "phones")), 0.91, 1e-9);
    assert_true(json_is_true(json_object_get(ok, "phones")));
    assert_true(json_is_true(json_object_get(ok, "emails")));
    ocr_fields_small_print_confidence(o, 2.89);
    c = json_object_get(o, "confidence");
    ok = json_object_get(o, "confident");
    assert_float_equal(json_number_value(json_object_get(c, "phones")), 0.91 * 0.65, 1e-9);
    assert_float_equal(json_number_value(json_object_get(c, "emails")), 0.86 * 0.8, 1e-9);
    assert_float_equal(json_number_value(json_object_get(c, "name")), 0.95, 1e-9);
    assert_false(json_is_true(json_object_get(ok, "phones")));
    assert_false(json_is_true(json_object_get(ok, "emails")));
    assert_true(json_is_true(json_object_get(ok, "name")));
    json_decref(o);
}

/* A number whose readings mostly disagreed, on a card of small print: its
 * phones are not marked confident; at a fair size, or with no number in
 * doubt, nothing changes. */
static void numbers_in_doubt(void **state) {
    (void)state;
    json_t *o = json_pack("{s:s, s:[{s:s}], s:{s:f, s:f}}", "name", "Hyun-woo Lee", "phones", "number",
                          "+82125557445", "confidence", "name", 0.95, "phones", 0.98 * 0.65);
    assert_non_null(o);
    ocr_fields_mark_confident(o);
    json_t *ok = json_object_get(o, "confident");
    assert_true(json_is_true(json_object_get(ok, "phones")));
    ocr_fields_numbers_in_doubt(o, 2.4, 1); /* a fair size */
    ocr_fields_numbers_in_doubt(o, 3.1, 0); /* none in doubt */
    ok = json_object_get(o, "confident");
    assert_true(json_is_true(json_object_get(ok, "phones")));
    assert_float_equal(json_number_value(json_object_get(json_object_get(o, "confidence"), "phones")), 0.98 * 0.65,
                       1e-9);
    ocr_fields_numbers_in_doubt(o, 3.1, 1);
    ok = json_object_get(o, "confident");
    assert_false(json_is_true(json_object_get(ok, "phones")));
    assert_true(json_is_true(json_object_get(ok, "name")));
    assert_float_equal(json_number_value(json_object_get(json_object_get(o, "confidence"), "phones")), 0.5, 1e-9);
    json_decref(o);
    /* a card without numbers gets none */
    o = json_pack("{s:s, s:{s:f}}", "name", "Hyun-woo Lee", "confidence", "name", 0.95);
    assert_non_null(o);
    ocr_fields_numbers_in_doubt(o, 3.1, 2);
    assert_null(json_object_get(json_object_get(o, "confidence"), "phones"));
    json_decref(o);
}

/* A card whose logo no reader made out and that gave no company: the
 * brand key names the firm when the keys agree (the shortest, which every
 * other begins with), never marked confident; not a key that holds the
 * name's words (a person's own domain), nor a role's mailbox at a
 * provider, nor keys that disagree, nor over a company read. */
static void company_from_brand(void **state) {
    (void)state;
    json_t *o = json_pack("{s:s, s:s, s:[s], s:[s], s:{s:f, s:f}}", "name", "", "company", "", "emails",
                          "liderfrio@terra.com.br", "websites", "liderfriorefrigeracao.com.br", "confidence", "name",
                          0.0, "company", 0.0);
    assert_non_null(o);
    assert_int_equal(ocr_fields_company_from_brand(o), 1);
    assert_string_equal(S(o, "company"), "Liderfrio");
    assert_float_equal(json_number_value(json_object_get(json_object_get(o, "confidence"), "company")), 0.5, 1e-9);
    assert_true(json_is_false(json_object_get(json_object_get(o, "confident"), "company")));
    json_decref(o);
    static const struct {
        const char *name, *company, *email, *site, *want;
    } cases[] = {
        {"", "", "sales@northwind-traders.co.uk", "", "Northwind Traders"}, /* an own domain's label */
        {"", "", "oticadajo2014@hotmail.com", "", "Oticadajo"},         /* the year after a local part goes */
        {"Daniel Whitton", "", "dan@whittonwood.com", "www.whittonwood.com", NULL}, /* the person's own */
        {"", "", "contato@gmail.com", "", NULL},                               /* a role at a provider */
        {"", "", "info@acme.com", "www.nordvik.se", NULL},                     /* keys that disagree */
        {"", "Lider Frio", "liderfrio@terra.com.br", "", NULL},                /* a company read stays */
        {"", "", "", "", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        o = json_pack("{s:s, s:s, s:[], s:[], s:{}}", "name", cases[i].name, "company", cases[i].company, "emails",
                      "websites", "confidence");
        assert_non_null(o);
        if (*cases[i].email) json_array_append_new(json_object_get(o, "emails"), json_string(cases[i].email));
        if (*cases[i].site) json_array_append_new(json_object_get(o, "websites"), json_string(cases[i].site));
        assert_int_equal(ocr_fields_company_from_brand(o), cases[i].want != NULL);
        assert_string_equal(S(o, "company"), cases[i].want ? cases[i].want : cases[i].company);
        json_decref(o);
    }
}

static void phones_per_country(void **state) {
    (void)state;
    static const struct { const char *text, *region, *want; fmt_phone_kind_t kind; } cases[] = {
        {"(952) 808-9893", "US", "+19528089893", FMT_PHONE_EITHER},
        {"020 3372 2915", "GB", "+442033722915", FMT_PHONE_FIXED},
        {"07926 492 308", "GB", "+447926492308", FMT_PHONE_MOBILE},
        {"+44 (0)20 8813 3762", "US", "+442088133762", FMT_PHONE_FIXED},
        {"040/7441031", "DE", "+49407441031", FMT_PHONE_FIXED},
        {"0170 1234567", "de", "+491701234567", FMT_PHONE_MOBILE},
        {"07 55 57 82 64", "FR", "+33755578264", FMT_PHONE_MOBILE},
        {"01 91 06 86 99", "FR", "+33191068699", FMT_PHONE_FIXED},
        {"8 (495) 966-76-87", "RU", "+74959667687", FMT_PHONE_FIXED},
        {"+7 916 123-45-67", NULL, "+79161234567", FMT_PHONE_MOBILE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char e164[24];
        fmt_phone_kind_t kind;
        assert_int_equal(fmt_phone_parse(cases[i].text, cases[i].region, e164, sizeof e164, &kind), GR_OK);
        assert_string_equal(e164, cases[i].want);
        assert_int_equal(kind, cases[i].kind);
    }
    char e164[24], cc[3];
    assert_int_equal(fmt_phone_parse("12345", "US", e164, sizeof e164, NULL), GR_ERR_FORMAT);
    assert_int_equal(fmt_phone_parse("040/7441031", "US", e164, sizeof e164, NULL), GR_ERR_FORMAT);
    assert_int_equal(fmt_phone_parse("not a number", "DE", e164, sizeof e164, NULL), GR_ERR_FORMAT);
    assert_int_equal(fmt_phone_parse("+1 952 808 9893", "DE", e164, 4, NULL), GR_ERR_INVAL);
    assert_int_equal(fmt_phone_region("+442033722915", cc, sizeof cc), GR_OK);
    assert_string_equal(cc, "GB");
    assert_true(fmt_phone_region_known("fr"));
    assert_false(fmt_phone_region_known("XX"));
}

static void qr_payloads(void **state) {
    (void)state;
    json_t *c = ocr_qr_contact("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kabus;Thies;;;\r\nFN:Thies Kabus\r\nORG:Kreusel\r\n"
                               "TEL;TYPE=WORK,VOICE:040 7441031\r\nEMAIL:kabust@kreusel.de\r\nEND:VCARD",
                               "US");
    assert_non_null(c);
    assert_string_equal(S(c, "name"), "Thies Kabus");
    assert_string_equal(S(c, "company"), "Kreusel");
    const char *ph[] = {"+49407441031"}, *ty[] = {"work"};
    assert_phones(c, ph, ty, 1); /* region from the .de e-mail */
    json_decref(c);
    c = ocr_qr_contact("MECARD:N:Doe,John;TEL:(212) 555-0187;EMAIL:john@doe.com;URL:https\\://doe.com;ORG:Doe\\; Sons;;",
                       "US");
    assert_non_null(c);
    assert_string_equal(S(c, "name"), "John Doe");
    assert_string_equal(S(c, "given_name"), "John");
    assert_string_equal(S(c, "company"), "Doe; Sons");
    const char *ws[] = {"https://doe.com"};
    assert_list(c, "websites", ws, 1);
    /* merging: the QR wins for the fields it holds, OCR keeps the rest */
    json_t *ocr = parse("John Doe\nSales manager\nj0hn@doe.com\n", "US");
    ocr_fields_merge_qr(ocr, c);
    assert_string_equal(S(ocr, "title"), "Sales manager");
    const char *em[] = {"john@doe.com"};
    assert_list(ocr, "emails", em, 1);
    json_decref(ocr);
    json_decref(c);
    assert_null(ocr_qr_contact("just some text", "US"));
    assert_null(ocr_qr_contact("BEGIN:VCARD\r\nno end", "US"));
    assert_null(ocr_qr_contact("MECARD:", "US"));
}

/* The QR code on a shipped card photo is found and decoded (zbar), and the
 * card is located and flattened to landscape. */
static void qr_decoded_from_card_photo(void **state) {
    (void)state;
    size_t len;
    char *img = tu_slurp(tu_data("cards/001.jpg"), &len);
    ocr_image_opts_t o = {4, 50, 26, 1, 0};
    ocr_card_img_t *cards = NULL;
    int n = 0;
    char err[256];
    assert_int_equal(ocr_image_prepare(img, len, &o, &cards, &n, err, sizeof err), GR_OK);
    assert_int_equal(n, 1);
    assert_true(cards[0].located);
    assert_true(cards[0].gray.width > cards[0].gray.height);
    assert_non_null(cards[0].qr);
    assert_non_null(strstr(cards[0].qr, "FN:Thies Kabus"));
    ocr_card_imgs_free(cards, n);
    free(img);
}

static void bad_images_refused_before_decoding(void **state) {
    (void)state;
    ocr_img_type_t t;
    int w, h;
    char err[256];
    assert_int_equal(ocr_imghdr_probe("hello world, no image", 21, &t, &w, &h, err, sizeof err), GR_ERR_FORMAT);
    assert_non_null(strstr(err, "not a JPEG or PNG"));
    assert_int_equal(ocr_imghdr_probe("\xff\xd8\xff", 3, &t, &w, &h, err, sizeof err), GR_ERR_FORMAT);
    size_t len;
    char *jpg = tu_slurp(tu_data("cards/010.jpg"), &len);
    assert_int_equal(ocr_imghdr_probe(jpg, len, &t, &w, &h, err, sizeof err), GR_OK);
    assert_int_equal(t, OCR_IMG_JPEG);
    assert_int_equal(w, 2048);
    assert_int_equal(h, 1536);
    assert_int_equal(ocr_imghdr_probe(jpg, len / 2, &t, &w, &h, err, sizeof err), GR_ERR_FORMAT);
    assert_non_null(strstr(err, "truncated"));
    assert_int_equal(ocr_imghdr_probe(jpg, 100, &t, &w, &h, err, sizeof err), GR_ERR_FORMAT);
    /* a PNG header claiming 12000 x 10000: refused by size, never decoded */
    unsigned char png[64] = "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x2e\xe0\0\0\x27\x10\x08\x00\x00\x00\x00";
    assert_int_equal(ocr_imghdr_probe(png, 33, &t, &w, &h, err, sizeof err), GR_OK);
    assert_int_equal(w * 1, 12000);
    ocr_image_opts_t o = {4, 50, 26, 1, 0};
    ocr_card_img_t *cards = NULL;
    int n = 0;
    assert_int_equal(ocr_image_prepare(png, 33, &o, &cards, &n, err, sizeof err), GR_ERR_TOOBIG);
    assert_non_null(strstr(err, "megapixels"));
    assert_int_equal(ocr_image_prepare(jpg, len / 2, &o, &cards, &n, err, sizeof err), GR_ERR_FORMAT);
    /* Issue 12: JPEG headers declaring 7000x7000 (49 Mpx): over
     * ocr.max_megapixels (32 by default) they are refused from the header;
     * in 1.3 KB, or declaring 4000x4000 (under the limit) in 1.3 KB, the
     * bytes cannot hold the pixels and are refused too. None is decoded. */
    static unsigned char bomb[60000];
    const unsigned char sof[] = {0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x1B,
                                 0x58, 0x1B, 0x58, 0x01, 0x01, 0x11, 0x00};
    memcpy(bomb, sof, sizeof sof);
    bomb[sizeof bomb - 2] = 0xFF;
    bomb[sizeof bomb - 1] = 0xD9;
    ocr_image_opts_t dflt = {4, 32, 26, 1, 0};
    assert_int_equal(ocr_image_prepare(bomb, sizeof bomb, &dflt, &cards, &n, err, sizeof err), GR_ERR_TOOBIG);
    assert_non_null(strstr(err, "7000x7000"));
    assert_null(cards);
    bomb[1298] = 0xFF, bomb[1299] = 0xD9; /* the same header in 1.3 KB */
    assert_int_equal(ocr_imghdr_probe(bomb, 1300, &t, &w, &h, err, sizeof err), GR_ERR_FORMAT);
    assert_non_null(strstr(err, "cannot hold 7000x7000"));
    bomb[7] = bomb[9] = 0x0F, bomb[8] = bomb[10] = 0xA0; /* 4000x4000 */
    assert_int_equal(ocr_imghdr_probe(bomb, 1300, &t, &w, &h, err, sizeof err), GR_ERR_FORMAT);
    assert_non_null(strstr(err, "cannot hold 4000x4000"));
    assert_int_equal(ocr_image_prepare(bomb, 1300, &dflt, &cards, &n, err, sizeof err), GR_ERR_FORMAT);
    assert_null(cards);
    assert_null(cards);
    free(jpg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(english_us_card),
        cmocka_unit_test(german_card),
        cmocka_unit_test(french_card_handle_is_not_email),
        cmocka_unit_test(russian_card_tagline_is_not_title),
        cmocka_unit_test(british_card_with_ocr_confusions),
        cmocka_unit_test(boxes_decide_the_title),
        cmocka_unit_test(unexpected_script_and_garbage),
        cmocka_unit_test(blurred_card_confidence),
        cmocka_unit_test(small_print_confidence),
        cmocka_unit_test(numbers_in_doubt),
        cmocka_unit_test(company_from_brand),
        cmocka_unit_test(phones_per_country),
        cmocka_unit_test(qr_payloads),
        cmocka_unit_test(qr_decoded_from_card_photo),
        cmocka_unit_test(bad_images_refused_before_decoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
