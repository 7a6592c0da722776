/* Card reader: the address split into street, postal code, city, region
 * and country (ocr/address.c) per layout - US, UK, German, French,
 * Russian, Brazilian, Polish, Portuguese, Singapore - the one table of
 * printed countries, and how the parts reach the scan JSON and the vCard
 * ADR. */
#include "tests/testutil.h"

#include "ocr/address.h"
#include "firmware/core/err.h"
#include "ocr/fields.h"
#include "firmware/formats/vcard.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void split_is(const char *addr, const char *hint, const char *street, const char *postal, const char *city,
                     const char *region, const char *country) {
    ocr_address_parts_t p;
    ocr_address_split(addr, hint, &p);
    assert_string_equal(p.street, street);
    assert_string_equal(p.postal_code, postal);
    assert_string_equal(p.city, city);
    assert_string_equal(p.region, region);
    assert_string_equal(p.country, country);
}

static void us_layouts(void **state) {
    (void)state;
    split_is("12634 Clark Loaf Apt. 480, Port Loriland, AZ 90001", NULL, "12634 Clark Loaf Apt. 480", "90001",
             "Port Loriland", "AZ", "US");
    /* city and state on one line without a comma, ZIP+4, printed country */
    split_is("500 Main Street, Suite 200, Springfield IL 62701-1234, USA", NULL, "500 Main Street, Suite 200",
             "62701-1234", "Springfield", "IL", "USA");
    /* the shape wins over a wrong hint (a +1 number guessed Canadian) */
    split_is("75697 Horton Row, Garrettton, AL 06946", "CA", "75697 Horton Row", "06946", "Garrettton", "AL", "US");
    /* military mail: APO is the city */
    split_is("PSC 5373, Box 6855, APO AA 66690", NULL, "PSC 5373, Box 6855", "66690", "APO", "AA", "US");
}

static void uk_layouts(void **state) {
    (void)state;
    split_is("14 Kingsway, London WC2B 6UN", "GB", "14 Kingsway", "WC2B 6UN", "London", "", "GB");
    split_is("Flat 3, 22 Oxford Road, Manchester, M1 5QA, United Kingdom", NULL, "Flat 3, 22 Oxford Road", "M1 5QA",
             "Manchester", "", "United Kingdom");
    /* no postcode printed: the last part without digits is the town */
    split_is("222 Danny square, Russellchester", "GB", "222 Danny square", "", "Russellchester", "", "GB");
    /* ... unless the first part is a flat: then that part is the street */
    split_is("Flat 3, Roger locks", "GB", "Flat 3, Roger locks", "", "", "", "GB");
    split_is("Studio 7, Hussain street", "GB", "Studio 7, Hussain street", "", "", "", "GB");
}

static void german_layouts(void **state) {
    (void)state;
    split_is("Industriestr. 12, 80339 München", "DE", "Industriestr. 12", "80339", "München", "", "DE");
    split_is("Löchelallee 2, 00322 Bremervörde, Deutschland", NULL, "Löchelallee 2", "00322", "Bremervörde", "",
             "Deutschland");
    split_is("D-10115 Berlin, Lindenallee 3", NULL, "Lindenallee 3", "10115", "Berlin", "", "DE");
    /* a country printed last is the country, never the city (it was "Vietnam", "India"); the part
     * before it is */
    split_is("Lot D26, Cau Giay New Urban Area, Hanoi, Vietnam", "VN", "Lot D26, Cau Giay New Urban Area", "", "Hanoi",
             "", "Vietnam");
    split_is("P.O. Box 12345, Dubai, UAE", NULL, "P.O. Box 12345", "", "Dubai", "", "UAE");
}

static void french_layouts(void **state) {
    (void)state;
    split_is("18 rue de la Paix, 75002 Paris", "FR", "18 rue de la Paix", "75002", "Paris", "", "FR");
    split_is("3 allée des Tilleuls, Bâtiment B, 69003 Lyon Cedex 03", "FR", "3 allée des Tilleuls, Bâtiment B", "69003",
             "Lyon", "", "FR");
    /* the postcode in two groups */
    split_is("797, rue Morel, 68 949 Camus", "FR", "797, rue Morel", "68 949", "Camus", "", "FR");
    split_is("F-13001 Marseille, 5 boulevard Longchamp, France", NULL, "5 boulevard Longchamp", "13001", "Marseille",
             "", "France");
}

static void russian_layouts(void **state) {
    (void)state;
    split_is("г. Приморско-Ахтарск, ул. 50 лет ВЛКСМ, д. 37, 487236", "RU", "ул. 50 лет ВЛКСМ, д. 37", "487236",
             "Приморско-Ахтарск", "", "RU");
    split_is("123456, Московская обл., г. Химки, ул. Ленина, д. 5, к. 2", NULL, "ул. Ленина, д. 5, к. 2", "123456",
             "Химки", "Московская обл.", "RU");
    split_is("клх Дно, ул. Ивановская, д. 13, 404223", "RU", "ул. Ивановская, д. 13", "404223", "Дно", "", "RU");
}

static void brazilian_layouts(void **state) {
    (void)state;
    /* the CEP (and its label) out; the part before the state is a district here, not the city */
    split_is("RUA PADRE JOÃO, 331 - PENHA - SP, CEP: 03637-000 - (PROX. AO SHOPPING PENHA)", "BR",
             "RUA PADRE JOÃO, 331, PENHA, (PROX. AO SHOPPING PENHA)", "03637-000", "", "SP", "BR");
    /* the state's capital before the state; a CEP cut by OCR, a speck before the state */
    split_is("Rua Pinhal, 283 Cid. Patriarca -CEP: 03564- 040 Sao Paulo -.SP.", NULL, "Rua Pinhal, 283 Cid. Patriarca",
             "03564-040", "Sao Paulo", "SP", "BR");
    split_is("Av. Paulista, 1000 - Bela Vista - São Paulo - SP", "BR", "Av. Paulista, 1000, Bela Vista", "", "São Paulo",
             "SP", "BR");
    /* a city that is no capital, after the district */
    split_is("Rua das Flores, 12 - Centro - Campinas/SP - CEP 13010-050", "BR", "Rua das Flores, 12, Centro", "13010-050",
             "Campinas", "SP", "BR");
    split_is("Rua Boa Vista, 254 | 17º and, Cep 01014-000 | Centro | Sao Paulo | SP", "BR",
             "Rua Boa Vista, 254, 17º and, Centro", "01014-000", "Sao Paulo", "SP", "BR");
    /* no state, the capital last */
    split_is("Rua Murutinga do Sul, 132 - Tatuapé - São Paulo", "BR", "Rua Murutinga do Sul, 132, Tatuapé", "",
             "São Paulo", "SP", "BR");
    /* the old CEP form; a printed country */
    split_is("Av. Rio Branco, 1 - Centro - Rio de Janeiro - RJ - 20.090-003, Brasil", NULL, "Av. Rio Branco, 1, Centro",
             "20090-003", "Rio de Janeiro", "RJ", "Brasil");
    /* not Brazilian: a ZIP+4 is no CEP, and two capitals are no state without the hint */
    split_is("500 Main Street, Springfield IL 62701-1234", NULL, "500 Main Street", "62701-1234", "Springfield", "IL",
             "US");
    split_is("Rua X, 12 - Centro - SP", "PT", "Rua X, 12, Centro, SP", "", "", "", "PT");
}

/* Postcodes of more countries: Polish NN-NNN, Portuguese NNNN-NNN,
 * "Singapore" and six digits, Australian state and code, Japanese
 * NNN-NNNN (these name the country), Czech/Swedish NNN NN, a code after
 * the town; parts cut at " - " too. */
static void other_postcodes(void **state) {
    (void)state;
    split_is("ul. Marszałkowska 10, 00-590 Warszawa", "US", "ul. Marszałkowska 10", "00-590", "Warszawa", "", "PL");
    split_is("Rua Augusta 12, 1100-053 Lisboa", NULL, "Rua Augusta 12", "1100-053", "Lisboa", "", "PT");
    split_is("Av. da Liberdade 110, 1250-096 Lisboa, Portugal", NULL, "Av. da Liberdade 110", "1250-096", "Lisboa",
             "", "Portugal");
    split_is("1 Raffles Place, #20-01, Singapore 048616", NULL, "1 Raffles Place, #20-01", "048616", "Singapore", "",
             "SG");
    /* Czech and Swedish codes in two groups; an Australian state and code */
    split_is("Vinohradská 1233/22, 120 00 Praha 2", "CZ", "Vinohradská 1233/22", "120 00", "Praha 2", "", "CZ");
    split_is("Sveavägen 44, 111 34 Stockholm", NULL, "Sveavägen 44", "111 34", "Stockholm", "", "");
    split_is("Level 12, 1 Market Street, Sydney NSW 2000, Australia", NULL, "Level 12, 1 Market Street", "2000",
             "Sydney", "NSW", "Australia");
    split_is("1 Market Street, Sydney, NSW 2000", "US", "1 Market Street", "2000", "Sydney", "NSW", "AU");
    /* a code after the town, last, or alone after it (the hint gives the country) */
    split_is("Unit 1203 Tektite Tower, Ortigas Center, Pasig City 1605", "PH", "Unit 1203 Tektite Tower, Ortigas Center",
             "1605", "Pasig City", "", "PH");
    split_is("Jl. Jend. Sudirman Kav. 52-53, Jakarta Selatan 12190", "ID", "Jl. Jend. Sudirman Kav. 52-53", "12190",
             "Jakarta Selatan", "", "ID");
    split_is("14 Loop Street, Cape Town, 8001", "ZA", "14 Loop Street", "8001", "Cape Town", "", "ZA");
    /* a dash between spaces ends a part as a comma does; six digits are a
     * Russian postcode only when the card points nowhere else; a Japanese
     * postcode after the town */
    split_is("Via Roma, 45 - 20121 Milano (MI)", "IT", "Via Roma, 45", "20121", "Milano", "MI", "IT");
    split_is("4th Floor, Outer Ring Road, Bengaluru - 560103, Karnataka", "IN", "4th Floor, Outer Ring Road",
             "560103", "Bengaluru", "Karnataka", "IN");
    split_is("1-2-3 Shiba, Minato-ku, Tokyo 105-0014, Japan", NULL, "1-2-3 Shiba, Minato-ku", "105-0014", "Tokyo", "",
             "Japan");
    split_is("2-3-1 Marunouchi, Chiyoda-ku, Tokyo 100-0005", NULL, "2-3-1 Marunouchi, Chiyoda-ku", "100-0005", "Tokyo",
             "", "JP");
    /* a country after the code without a comma; five digits alone after the street */
    split_is("4-5-6 Meieki, Nakamura-ku, Nagoya 450-0002 Japan", NULL, "4-5-6 Meieki, Nakamura-ku", "450-0002",
             "Nagoya", "", "Japan");
    split_is("45, Gongdan-ro, Changwon-si, Gyeongsangnam-do, 51558 Korea", NULL, "45, Gongdan-ro", "51558",
             "Changwon-si", "Gyeongsangnam-do", "Korea");
    /* ... but a unit, floor or box is no town */
    split_is("500 Main Street, Suite 1200", NULL, "500 Main Street, Suite 1200", "", "", "", "");
    split_is("Av. Paulista, 2073 - Conj. 1412", NULL, "Av. Paulista, 2073, Conj. 1412", "", "", "", "");
    /* a number, a house-number range is no postcode; a CEP stays Brazilian */
    split_is("03-123 4567", NULL, "03-123 4567", "", "", "", "");
    split_is("10-12 High Street, Oxford OX1 4AP", NULL, "10-12 High Street", "OX1 4AP", "Oxford", "", "GB");
    split_is("Av. Paulista, 1000 - Bela Vista - São Paulo - SP, 01310-100", NULL, "Av. Paulista, 1000, Bela Vista",
             "01310-100", "São Paulo", "SP", "BR");
}

/* Round 12's shapes: Canadian postcodes after the province (code, name,
 * in brackets), Irish Eircodes, Israel's seven digits, an Indian state
 * between the city and the PIN, a state's short form after the town or at
 * its end, a Korean province and its city. */
static void more_postcodes(void **state) {
    (void)state;
    split_is("150 King Street West, Suite 2100, Toronto, ON M5H 1J9, Canada", NULL, "150 King Street West, Suite 2100",
             "M5H 1J9", "Toronto", "ON", "Canada");
    split_is("1250, boul. René-Lévesque Ouest, bureau 2200, Montréal (Québec) H3B 4W8", "US",
             "1250, boul. René-Lévesque Ouest, bureau 2200", "H3B 4W8", "Montréal", "Québec", "CA");
    split_is("1055 W Georgia St, Vancouver BC V6E3P3", NULL, "1055 W Georgia St", "V6E3P3", "Vancouver", "BC", "CA");
    split_is("22 Patrick Street, Cork T12 X8PD, Ireland", NULL, "22 Patrick Street", "T12 X8PD", "Cork", "",
             "Ireland");
    split_is("8 Hamenofim St., Herzliya Pituach 4672559, Israel", NULL, "8 Hamenofim St.", "4672559",
             "Herzliya Pituach", "", "Israel");
    split_is("12 Main St., Springfield 4672559", NULL, "12 Main St., Springfield 4672559", "", "", "", "");
    split_is("No. 42, 80 Feet Road, Koramangala, Bengaluru, Karnataka 560034", "IN", "No. 42, 80 Feet Road, Koramangala",
             "560034", "Bengaluru", "Karnataka", "IN");
    split_is("No. 88 Century Avenue, Pudong New District, Shanghai 200120, China", NULL,
             "No. 88 Century Avenue, Pudong New District", "200120", "Shanghai", "", "China");
    split_is("Av. Constitución 2050 Pte., Col. Centro, 64000 Monterrey, N.L.", "MX",
             "Av. Constitución 2050 Pte., Col. Centro", "64000", "Monterrey", "N.L.", "MX");
    split_is("20121 Milano MI, Via della Moscova 18", "IT", "Via della Moscova 18", "20121", "Milano", "MI", "IT");
    /* a US state written out before the ZIP */
    split_is("1001 Fannin St., Suite 2400, Houston, Texas 77002", NULL, "1001 Fannin St., Suite 2400", "77002",
             "Houston", "Texas", "US");
    split_is("1 Broadway, New York, New York 10004-1234", NULL, "1 Broadway", "10004-1234", "New York", "New York", "US");
    split_is("16, Pangyo-ro 255beon-gil, Bundang-gu, Seongnam-si, Gyeonggi-do 13486, Korea", NULL,
             "16, Pangyo-ro 255beon-gil, Bundang-gu", "13486", "Seongnam-si", "Gyeonggi-do", "Korea");
}

/* One table of printed countries: a whole part in any case ("ÖSTERREICH",
 * "U.K."), but a city state's name is its city; inside a line, whole
 * words, city states too, and no short name found inside another. */
static void printed_countries(void **state) {
    (void)state;
    assert_string_equal(ocr_address_country("ÖSTERREICH"), "AT");
    assert_string_equal(ocr_address_country("Czech Republic"), "CZ");
    assert_string_equal(ocr_address_country("U.K."), "GB");
    assert_string_equal(ocr_address_country("РОССИЯ"), "RU");
    assert_null(ocr_address_country("Singapore"));
    assert_null(ocr_address_country("Hong Kong"));
    assert_null(ocr_address_country("Indiana"));
    assert_string_equal(ocr_address_country_in("Singapore Branch"), "SG");
    assert_string_equal(ocr_address_country_in("Bengaluru 560 100, INDIA"), "IN");
    assert_string_equal(ocr_address_country_in("Lyon, France"), "FR");
    assert_null(ocr_address_country_in("Indianapolis, Indiana"));
    assert_null(ocr_address_country_in("Newcastle, New South Wales"));
    /* a business city names its country in a line, never as an address
     * part's country (it is the city) */
    assert_string_equal(ocr_address_country_in("Sydney, New South Wales"), "AU");
    assert_string_equal(ocr_address_country_in("283, 1015 CJ Amsterdam"), "NL");
    assert_string_equal(ocr_address_country_in("Lyon office"), "FR");
    assert_null(ocr_address_country_in("Amsterdamer Str. 12"));
    assert_null(ocr_address_country("Amsterdam"));
    assert_null(ocr_address_country_in("UK Sales Office"));
    assert_null(ocr_address_country_in(""));
    split_is("Wipplingerstraße 12, 1010 Wien, ÖSTERREICH", NULL, "Wipplingerstraße 12", "1010", "Wien", "",
             "ÖSTERREICH");
    split_is("Váci út 22, 1132 Budapest, Hungary", NULL, "Váci út 22", "1132", "Budapest", "", "Hungary");
}

static void nothing_to_split(void **state) {
    (void)state;
    split_is("", "DE", "", "", "", "", "");
    split_is(NULL, NULL, "", "", "", "", "");
    split_is("Hauptbahnhof", NULL, "Hauptbahnhof", "", "", "", "");
    split_is(",,, ,", "FR", "", "", "", "", "FR");
    /* very long input is cut, never overrun */
    char big[4000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    for (int i = 100; i < 3900; i += 100) big[i] = ',';
    ocr_address_parts_t p;
    ocr_address_split(big, NULL, &p);
    assert_true(strlen(p.street) < sizeof p.street);
}

static json_t *parse_lines(const char *text, const char *region) {
    ocr_lines_t ls = {0};
    assert_int_equal(ocr_lines_from_text(&ls, text, strlen(text)), GR_OK);
    json_t *o = ocr_fields_parse(&ls, region);
    ocr_lines_free(&ls);
    assert_non_null(o);
    return o;
}

static const char *part(json_t *o, const char *k) {
    const char *v = json_string_value(json_object_get(json_object_get(o, "address_parts"), k));
    assert_non_null(v);
    return v;
}

/* The parts in the scan JSON: the card's domain gives the country. */
static void parts_in_scan_json(void **state) {
    (void)state;
    json_t *o = parse_lines("Keller Maschinenbau GmbH\nSofia Keller\nLeiterin Einkauf\nTel. +49 89 4521 7730\n"
                            "s.keller@keller-mb.de\nwww.keller-mb.de\nIndustriestr. 12\n80339 München\n",
                            "US");
    assert_string_equal(json_string_value(json_object_get(o, "address")), "Industriestr. 12, 80339 München");
    assert_string_equal(part(o, "street"), "Industriestr. 12");
    assert_string_equal(part(o, "postal_code"), "80339");
    assert_string_equal(part(o, "city"), "München");
    assert_string_equal(part(o, "country"), "DE");
    json_decref(o);
    /* no hint on the card: the board's region splits a shape of its own
     * country, and never just names the country */
    o = parse_lines("Ana Souza\nAv. Itaquera, 2994 - Jd. Fernandes - SP\n", "BR");
    assert_string_equal(part(o, "region"), "SP");
    assert_string_equal(part(o, "country"), "BR");
    json_decref(o);
    o = parse_lines("Sofia Keller\nIndustriestr. 12\n85748 Garching\n", "US");
    assert_string_equal(part(o, "postal_code"), "85748");
    assert_string_equal(part(o, "country"), "");
    json_decref(o);
    /* a business city names the country */
    o = parse_lines("Sofia Keller\nIndustriestr. 12\n80339 München\n", "US");
    assert_string_equal(part(o, "postal_code"), "80339");
    assert_string_equal(part(o, "country"), "DE");
    json_decref(o);
    /* a Polish postcode is the country of numbers printed without +48 */
    o = parse_lines("Jan Kowalski\nKierownik Sprzedaży\nul. Marszałkowska 10, 00-590 Warszawa\nTel. 22 123 45 67\n", "US");
    assert_string_equal(part(o, "country"), "PL");
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(o, "phones"), 0), "number")),
                        "+48221234567");
    json_decref(o);
    /* a card without an address still has the object, all empty */
    o = parse_lines("Anna Kern\nanna@kern.de\n", "DE");
    assert_string_equal(part(o, "street"), "");
    assert_string_equal(part(o, "country"), "");
    json_decref(o);
}

/* ADR in the vCard carries the parts; without parts the whole address
 * stays in the street component as before. */
static void parts_in_vcard(void **state) {
    (void)state;
    char *v = NULL;
    assert_int_equal(fmt_vcard_write("{\"name\":\"Sofia Keller\",\"address\":\"Industriestr. 12, 80339 München\","
                                     "\"address_parts\":{\"street\":\"Industriestr. 12\",\"postal_code\":\"80339\","
                                     "\"city\":\"München\",\"region\":\"\",\"country\":\"DE\"}}",
                                     &v),
                     GR_OK);
    assert_non_null(strstr(v, "ADR;TYPE=work:;;Industriestr. 12;München;;80339;DE\r\n"));
    free(v);
    assert_int_equal(fmt_vcard_write("{\"name\":\"John Doe\",\"address\":\"PSC 5373, Box 6855, APO AA 66690\","
                                     "\"address_parts\":{\"street\":\"PSC 5373, Box 6855\",\"postal_code\":\"66690\","
                                     "\"city\":\"APO\",\"region\":\"AA\",\"country\":\"US\"}}",
                                     &v),
                     GR_OK);
    assert_non_null(strstr(v, "ADR;TYPE=work:;;PSC 5373\\, Box 6855;APO;AA;66690;US\r\n"));
    /* read back: the parts joined again */
    char *cj = NULL, *ej = NULL;
    assert_int_equal(fmt_vcard_read(v, strlen(v), &cj, &ej), GR_OK);
    assert_non_null(strstr(cj, "PSC 5373, Box 6855, APO, AA, 66690, US"));
    free(cj);
    free(ej);
    free(v);
    assert_int_equal(fmt_vcard_write("{\"name\":\"Ann\",\"address\":\"Somewhere 1\",\"address_parts\":{\"country\":\"FR\"}}", &v),
                     GR_OK);
    assert_non_null(strstr(v, "ADR;TYPE=work:;;Somewhere 1;;;;\r\n"));
    free(v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(us_layouts),         cmocka_unit_test(uk_layouts),
        cmocka_unit_test(german_layouts),     cmocka_unit_test(french_layouts),
        cmocka_unit_test(russian_layouts),    cmocka_unit_test(nothing_to_split),
        cmocka_unit_test(brazilian_layouts),  cmocka_unit_test(other_postcodes),
        cmocka_unit_test(more_postcodes),
        cmocka_unit_test(printed_countries),
        cmocka_unit_test(parts_in_scan_json), cmocka_unit_test(parts_in_vcard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
