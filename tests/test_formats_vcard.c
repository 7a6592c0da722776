/* vCard 4.0 export and 2.1/3.0/4.0 import: escaping, folding, round trips,
 * bad cards reported with their line. */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "firmware/formats/utf8.h"
#include "firmware/formats/vcard.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *read_one(const char *text, char **errs_out) {
    char *contacts = NULL, *errs = NULL;
    assert_int_equal(fmt_vcard_read(text, strlen(text), &contacts, &errs), GR_OK);
    json_t *arr = json_loads(contacts, 0, NULL);
    assert_non_null(arr);
    assert_true(json_is_array(arr));
    free(contacts);
    if (errs_out) *errs_out = errs;
    else free(errs);
    return arr;
}

static const char *sget(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    assert_non_null(v);
    return json_string_value(v);
}

/* Every physical line is at most 75 octets and no fold splits a UTF-8
 * sequence (a continuation line never starts with a continuation byte). */
static void assert_folded_ok(const char *v) {
    const char *p = v;
    while (*p) {
        const char *e = strstr(p, "\r\n");
        assert_non_null(e); /* every line ends in CRLF */
        assert_true(e - p <= 75);
        if (*p == ' ') assert_true(((unsigned char)p[1] & 0xC0) != 0x80);
        p = e + 2;
    }
}

static void write_escapes_and_fields(void **state) {
    (void)state;
    char *v = NULL;
    assert_int_equal(fmt_vcard_write("{\"name\":\"Anna; Maria, O\\\\Brien\",\"given_name\":\"Anna\","
                                     "\"family_name\":\"O'Brien\",\"title\":\"Head of R&D\",\"company\":\"ACME, Inc.\","
                                     "\"phones\":[{\"number\":\"+4930123456\",\"type\":\"work\"},"
                                     "{\"number\":\"+491701234567\",\"type\":\"mobile\"},"
                                     "{\"number\":\"+4930123457\",\"type\":\"fax\"}],"
                                     "\"emails\":[\"anna@acme.de\"],\"websites\":[\"www.acme.de\"],"
                                     "\"address\":\"Hauptstr. 1, 10115 Berlin\",\"note\":\"met at\\nfair\"}",
                                     &v),
                     GR_OK);
    assert_non_null(v);
    assert_true(strncmp(v, "BEGIN:VCARD\r\nVERSION:4.0\r\n", 26) == 0);
    assert_non_null(strstr(v, "FN:Anna\\; Maria\\, O\\\\Brien\r\n"));
    assert_non_null(strstr(v, "N:O'Brien;Anna;;;\r\n"));
    assert_non_null(strstr(v, "ORG:ACME\\, Inc.\r\n"));
    assert_non_null(strstr(v, "TEL;VALUE=uri;TYPE=\"cell\":tel:+491701234567\r\n"));
    assert_non_null(strstr(v, "TYPE=\"fax\":tel:+4930123457"));
    assert_non_null(strstr(v, "EMAIL;TYPE=work:anna@acme.de\r\n"));
    assert_non_null(strstr(v, "ADR;TYPE=work:;;Hauptstr. 1\\, 10115 Berlin;;;;\r\n"));
    assert_non_null(strstr(v, "NOTE:met at\\nfair\r\n"));
    assert_non_null(strstr(v, "END:VCARD\r\n"));
    assert_folded_ok(v);
    free(v);
}

static void write_rejects_non_objects(void **state) {
    (void)state;
    char *v = (char *)1;
    assert_int_equal(fmt_vcard_write("[1,2]", &v), GR_ERR_FORMAT);
    assert_null(v);
    assert_int_equal(fmt_vcard_write("not json", &v), GR_ERR_FORMAT);
    assert_int_equal(fmt_vcard_write("{\"name\":5}", &v), GR_ERR_FORMAT);
    assert_int_equal(fmt_vcard_write("{\"phones\":\"+1\"}", &v), GR_ERR_FORMAT);
    assert_int_equal(fmt_vcard_write(NULL, &v), GR_ERR_FORMAT);
}

static void folding_on_utf8_boundaries(void **state) {
    (void)state;
    /* 3-byte (CJK) and 2-byte (Cyrillic) runs long enough to fold several times,
     * at every offset of the sequence relative to the 75-octet limit. */
    for (int pad = 0; pad < 4; pad++) {
        char json[4096], name[1024] = "";
        for (int i = 0; i < pad; i++) strcat(name, "x");
        for (int i = 0; i < 60; i++) strcat(name, i % 2 ? "\xe4\xb8\xad" : "\xd0\x96");
        snprintf(json, sizeof json, "{\"name\":\"%s\",\"title\":\"%s\"}", name, name);
        char *v = NULL;
        assert_int_equal(fmt_vcard_write(json, &v), GR_OK);
        assert_folded_ok(v);
        json_t *arr = read_one(v, NULL);
        assert_int_equal(json_array_size(arr), 1);
        assert_string_equal(sget(json_array_get(arr, 0), "name"), name);
        assert_string_equal(sget(json_array_get(arr, 0), "title"), name);
        json_decref(arr);
        free(v);
    }
}

static void round_trip_keeps_every_field(void **state) {
    (void)state;
    const char *in = "{\"name\":\"Сергей Иванов\",\"given_name\":\"Сергей\",\"family_name\":\"Иванов\","
                     "\"title\":\"Директор, по продажам; \\\\юг\",\"company\":\"ООО \\\"Ромашка\\\"\","
                     "\"phones\":[{\"number\":\"+74951234567\",\"type\":\"work\"},"
                     "{\"number\":\"+79161234567\",\"type\":\"mobile\"},{\"number\":\"+74951234568\",\"type\":\"fax\"},"
                     "{\"number\":\"+74951234569\",\"type\":\"other\"}],"
                     "\"emails\":[\"s.ivanov@romashka.ru\",\"info@romashka.ru\"],\"websites\":[\"https://romashka.ru/\"],"
                     "\"address\":\"ул. Тверская, д. 1; Москва, 125009\"}";
    char *v = NULL;
    assert_int_equal(fmt_vcard_write(in, &v), GR_OK);
    assert_folded_ok(v);
    json_t *arr = read_one(v, NULL);
    json_t *want = json_loads(in, 0, NULL);
    assert_int_equal(json_array_size(arr), 1);
    json_t *got = json_array_get(arr, 0);
    const char *keys[] = {"name", "given_name", "family_name", "title", "company", "address"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) assert_string_equal(sget(got, keys[i]), sget(want, keys[i]));
    assert_true(json_equal(json_object_get(got, "phones"), json_object_get(want, "phones")));
    assert_true(json_equal(json_object_get(got, "emails"), json_object_get(want, "emails")));
    assert_true(json_equal(json_object_get(got, "websites"), json_object_get(want, "websites")));
    json_decref(want);
    json_decref(arr);
    free(v);
}

static void reads_v3_folded_qp_and_several_cards(void **state) {
    (void)state;
    const char *text =
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Müller;Hans;;Dr.;\r\nFN:Dr. Hans Müller\r\n"
        "ORG:Beispiel GmbH;Vertrieb\r\nTITLE:Leiter\r\n  Vertrieb\r\n"
        "item1.TEL;TYPE=WORK,VOICE:+49 30 1234567\r\nTEL;TYPE=CELL:0170 1234567\r\n"
        "TEL;type=FAX:+49 30 1234568\r\nEMAIL;TYPE=INTERNET:hans@beispiel.de\r\n"
        "URL:https://beispiel.de\r\nADR;TYPE=WORK:;;Hauptstr. 1;Berlin;;10115;Germany\r\nEND:VCARD\r\n"
        "\r\n"
        "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Dupont;Fran=C3=A7oise\n"
        "TEL;CELL:+33 6 12 34 56 78\nNOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0A=\nline two\nEND:VCARD\n";
    json_t *arr = read_one(text, NULL);
    assert_int_equal(json_array_size(arr), 2);
    json_t *a = json_array_get(arr, 0), *b = json_array_get(arr, 1);
    assert_string_equal(sget(a, "name"), "Dr. Hans Müller");
    assert_string_equal(sget(a, "family_name"), "Müller");
    assert_string_equal(sget(a, "given_name"), "Hans");
    assert_string_equal(sget(a, "company"), "Beispiel GmbH");
    assert_string_equal(sget(a, "title"), "Leiter Vertrieb");
    assert_string_equal(sget(a, "address"), "Hauptstr. 1, Berlin, 10115, Germany");
    json_t *ph = json_object_get(a, "phones");
    assert_int_equal(json_array_size(ph), 3);
    assert_string_equal(sget(json_array_get(ph, 0), "type"), "work");
    assert_string_equal(sget(json_array_get(ph, 1), "type"), "mobile");
    assert_string_equal(sget(json_array_get(ph, 1), "number"), "0170 1234567");
    assert_string_equal(sget(json_array_get(ph, 2), "type"), "fax");
    assert_string_equal(json_string_value(json_array_get(json_object_get(a, "emails"), 0)), "hans@beispiel.de");
    /* 2.1 card without FN: the name is built from N; QP soft breaks joined. */
    assert_string_equal(sget(b, "name"), "Françoise Dupont");
    assert_string_equal(sget(json_array_get(json_object_get(b, "phones"), 0), "type"), "mobile");
    assert_string_equal(sget(b, "note"), "line one\nline two");
    json_decref(arr);
}

static void bad_cards_reported_with_line(void **state) {
    (void)state;
    const char *text = "BEGIN:VCARD\nVERSION:4.0\nFN:Good One\nEND:VCARD\n"     /* lines 1-4 */
                       "BEGIN:VCARD\nVERSION:4.0\nFN:Kept\nthis line has no colon\nEND:VCARD\n" /* 5-9 */
                       "BEGIN:VCARD\nVERSION:9.9\nFN:Future\nEND:VCARD\n"        /* 10-13 */
                       "BEGIN:VCARD\nVERSION:4.0\nEMAIL:x@y.z\nEND:VCARD\n"      /* 14-17: no FN/N, kept */
                       "BEGIN:VCARD\nVERSION:4.0\nFN:Latin \xe9\nEND:VCARD\n"    /* 18-21: not UTF-8 */
                       "BEGIN:VCARD\nVERSION:4.0\nFN:Also good\nEND:VCARD\n"     /* 22-25 */
                       "BEGIN:VCARD\nVERSION:4.0\nNOTE:nothing to go by\nEND:VCARD\n" /* 26-29 */
                       "BEGIN:VCARD\nVERSION:4.0\nFN:Cut off\n";                 /* 30: no END */
    char *errs = NULL;
    json_t *arr = read_one(text, &errs);
    assert_int_equal(json_array_size(arr), 4);
    assert_string_equal(sget(json_array_get(arr, 0), "name"), "Good One");
    assert_string_equal(sget(json_array_get(arr, 1), "name"), "Kept");
    assert_string_equal(sget(json_array_get(arr, 2), "name"), "");
    assert_string_equal(json_string_value(json_array_get(json_object_get(json_array_get(arr, 2), "emails"), 0)), "x@y.z");
    assert_string_equal(sget(json_array_get(arr, 3), "name"), "Also good");
    json_t *e = json_loads(errs, 0, NULL);
    assert_non_null(e);
    assert_int_equal(json_array_size(e), 5);
    int lines[] = {8, 10, 18, 26, 30};
    for (int i = 0; i < 5; i++)
        assert_int_equal(json_integer_value(json_object_get(json_array_get(e, i), "line")), lines[i]);
    assert_true(json_is_true(json_object_get(json_array_get(e, 0), "dropped")));
    assert_non_null(strstr(sget(json_array_get(e, 0), "message"), "no ':'"));
    assert_null(json_object_get(json_array_get(e, 1), "dropped"));
    assert_non_null(strstr(sget(json_array_get(e, 1), "message"), "9.9"));
    assert_non_null(strstr(sget(json_array_get(e, 2), "message"), "UTF-8"));
    assert_non_null(strstr(sget(json_array_get(e, 3), "message"), "no name"));
    assert_non_null(strstr(sget(json_array_get(e, 4), "message"), "END"));
    json_decref(e);
    free(errs);
    json_decref(arr);
}

/* What exporters write that RFC 6350 alone does not cover. */
static void reads_exporter_quirks(void **state) {
    (void)state;
    char *errs = NULL;
    /* iOS: BOM, groups with X-ABLabel (before or after the TEL), repeated
     * lower-case type=, escaped colon, folded base64 photo (skipped). */
    const char *ios = "\xEF\xBB\xBF" "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo\r\n"
                      "item1.X-ABLabel:_$!<Mobile>!$_\r\nitem1.TEL;type=pref:555 0101\r\n"
                      "item2.TEL;type=WORK;type=VOICE:555 0102\r\nitem2.X-ABLabel:_$!<HomeFAX>!$_\r\n"
                      "TEL;type=HOME;type=VOICE:555 0103\r\n"
                      "item3.URL:https\\://jo.example\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ\r\n"
                      " AAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a\r\n HBwgJC4nICIsIxwc==\r\n"
                      "TEL;WORK;VOICE:BusinessPhone\r\nEMAIL;type=INTERNET:not at all\r\nEND:VCARD\r\n";
    json_t *arr = read_one(ios, &errs);
    assert_int_equal(json_array_size(arr), 1);
    json_t *c = json_array_get(arr, 0), *ph = json_object_get(c, "phones");
    assert_int_equal(json_array_size(ph), 3);
    assert_string_equal(sget(json_array_get(ph, 0), "type"), "mobile");
    assert_string_equal(sget(json_array_get(ph, 1), "type"), "fax");
    assert_string_equal(sget(json_array_get(ph, 2), "type"), "home");
    assert_string_equal(json_string_value(json_array_get(json_object_get(c, "websites"), 0)), "https://jo.example");
    assert_int_equal(json_array_size(json_object_get(c, "emails")), 0);
    json_t *e = json_loads(errs, 0, NULL);
    assert_int_equal(json_array_size(e), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(e, 0), "line")), 13);
    assert_string_equal(sget(json_array_get(e, 0), "message"), "dropped TEL \"BusinessPhone\": not a phone number");
    assert_string_equal(sget(json_array_get(e, 1), "message"), "dropped EMAIL \"not at all\": not an e-mail address");
    json_decref(e);
    free(errs);
    json_decref(arr);
    /* vCard 2.1: base64 data lines without indent and a blank line after;
     * a soft break whose next line is indented; Windows-1252. */
    const char *v21 = "BEGIN:VCARD\nVERSION:2.1\nN:Smith;Al\nPHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQ\n"
                      "ABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a\nHBwgJC4nICIsIxwc==\n\n"
                      "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:caf=C3=\n =A9 cr=C3=A8me\n"
                      "ORG;CHARSET=WINDOWS-1252:\x80 Caf\xe9 \x96 Bar\nEND:VCARD\n";
    arr = read_one(v21, &errs);
    assert_int_equal(json_array_size(arr), 1);
    c = json_array_get(arr, 0);
    assert_string_equal(sget(c, "name"), "Al Smith");
    assert_string_equal(sget(c, "note"), "café crème");
    assert_string_equal(sget(c, "company"), "€ Café – Bar");
    assert_string_equal(errs, "[]");
    free(errs);
    json_decref(arr);
    /* 3.0 ENCODING=b as the last parameter, data lines without indent */
    arr = read_one("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo\r\nPHOTO;TYPE=JPEG;ENCODING=b:/9j/4AAQSkZJRg\r\n"
                   "ABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U\r\nEMAIL:bo@x.example\r\nEND:VCARD\r\n", &errs);
    assert_int_equal(json_array_size(json_object_get(json_array_get(arr, 0), "emails")), 1);
    assert_string_equal(errs, "[]");
    free(errs);
    json_decref(arr);
    /* RFC 6350 tel: URI with an extension */
    arr = read_one("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:X\r\nTEL;VALUE=uri;TYPE=\"work,cell\":tel:+1-418-262-6501;ext=7\r\n"
                   "END:VCARD\r\n", NULL);
    ph = json_object_get(json_array_get(arr, 0), "phones");
    assert_string_equal(sget(json_array_get(ph, 0), "number"), "+1-418-262-6501 ext 7");
    assert_string_equal(sget(json_array_get(ph, 0), "type"), "mobile");
    json_decref(arr);
}

static void writes_vcard3(void **state) {
    (void)state;
    char *v = NULL;
    assert_int_equal(fmt_vcard_write_version("{\"name\":\"Acme\",\"company\":\"Acme\",\"phones\":[{\"number\":"
                                             "\"+4930123456\",\"type\":\"home\"}],\"emails\":[\"a@acme.de\"]}",
                                             3, &v),
                     GR_OK);
    assert_true(strncmp(v, "BEGIN:VCARD\r\nVERSION:3.0\r\n", 26) == 0);
    assert_non_null(strstr(v, "\r\nN:;;;;\r\n")); /* N is required in 3.0 */
    assert_non_null(strstr(v, "\r\nTEL;TYPE=home,voice:+4930123456\r\n"));
    assert_non_null(strstr(v, "\r\nEMAIL;TYPE=INTERNET,WORK:a@acme.de\r\n"));
    assert_null(strstr(v, "tel:"));
    free(v);
    assert_int_equal(fmt_vcard_write_version("{}", 2, &v), GR_ERR_FORMAT);
}

/* The validator both import readers share (vCard values, CSV fields). */
static void utf8_validation(void **state) {
    (void)state;
    assert_true(fmt_u8_valid(""));
    assert_true(fmt_u8_valid("plain ascii"));
    assert_true(fmt_u8_valid("M\xc3\xbcller \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x98\x80")); /* Müller 東京 😀 */
    assert_false(fmt_u8_valid("M\xfcller"));                 /* Latin-1 byte */
    assert_false(fmt_u8_valid("\xc0\xaf"));                 /* overlong '/' */
    assert_false(fmt_u8_valid("\xed\xa0\x80"));            /* surrogate U+D800 */
    assert_false(fmt_u8_valid("\xf4\x90\x80\x80"));       /* above U+10FFFF */
    assert_false(fmt_u8_valid("abc\xe2\x82"));              /* truncated */
}

/* Case folding of the Latin letters beyond Latin-1 that names carry:
 * Polish Ł, Czech Ň and Ž (capital odd), Vietnamese Ổ, Ư, Đ. */
static void utf8_lower_case(void **state) {
    (void)state;
    assert_int_equal(fmt_u8_lower(0x141), 0x142); /* Ł ł */
    assert_int_equal(fmt_u8_lower(0x142), 0x142);
    assert_int_equal(fmt_u8_lower(0x147), 0x148); /* Ň ň */
    assert_int_equal(fmt_u8_lower(0x17D), 0x17E); /* Ž ž */
    assert_int_equal(fmt_u8_lower(0x15A), 0x15B); /* Ś ś */
    assert_int_equal(fmt_u8_lower(0x110), 0x111); /* Đ đ */
    assert_int_equal(fmt_u8_lower(0x178), 0xFF);  /* Ÿ ÿ */
    assert_int_equal(fmt_u8_lower(0x1ED4), 0x1ED5); /* Ổ ổ */
    assert_int_equal(fmt_u8_lower(0x1ED5), 0x1ED5);
    assert_int_equal(fmt_u8_lower(0x1AF), 0x1B0); /* Ư ư */
    assert_int_equal(fmt_u8_lower(0x218), 0x219); /* Ș ș */
    assert_int_equal(fmt_u8_lower(0x219), 0x219);
    assert_int_equal(fmt_u8_lower(0x138), 0x138); /* ĸ has no capital */
    assert_true(fmt_u8_is_upper(0x141) && !fmt_u8_is_lower(0x141)); /* Ł */
    assert_true(fmt_u8_is_lower(0x142) && !fmt_u8_is_upper(0x142)); /* ł */
    assert_true(fmt_u8_is_upper(0x15A) && fmt_u8_is_lower(0x17E)); /* Ś, ž */
}

static void no_vcard_is_format_error(void **state) {
    (void)state;
    char *c = NULL, *e = NULL;
    assert_int_equal(fmt_vcard_read("hello\nworld\n", 12, &c, &e), GR_ERR_FORMAT);
    assert_null(c);
    assert_null(e);
    assert_int_equal(fmt_vcard_read("", 0, &c, &e), GR_ERR_FORMAT);
    /* latin-1 declared via CHARSET is converted rather than refused */
    const char *l1 = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN;CHARSET=ISO-8859-1:Ren\xe9\r\nEND:VCARD\r\n";
    json_t *arr = read_one(l1, NULL);
    assert_string_equal(sget(json_array_get(arr, 0), "name"), "René");
    json_decref(arr);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(write_escapes_and_fields),
        cmocka_unit_test(write_rejects_non_objects),
        cmocka_unit_test(folding_on_utf8_boundaries),
        cmocka_unit_test(round_trip_keeps_every_field),
        cmocka_unit_test(reads_v3_folded_qp_and_several_cards),
        cmocka_unit_test(bad_cards_reported_with_line),
        cmocka_unit_test(reads_exporter_quirks),
        cmocka_unit_test(writes_vcard3),
        cmocka_unit_test(utf8_validation),
        cmocka_unit_test(utf8_lower_case),
        cmocka_unit_test(no_vcard_is_format_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
