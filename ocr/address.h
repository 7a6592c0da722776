/* address.h - a card's address text -> parts (street, postal code, city,
 * region, country) by the shapes addresses take per country: US
 * "City, ST 12345", UK "London WC2B 6UN", German/French "80339 München" /
 * "75002 Paris", Russian "г. Город, ул. ..., д. 12, 123456", Brazilian
 * "Rua X, 12 - Bairro - São Paulo - SP, CEP 01310-100", Polish "00-590
 * Warszawa", Portuguese "1250-096 Lisboa", "Singapore 048616". Pure C on
 * UTF-8; no address database (libpostal is too heavy for the board). */
#ifndef OCR_ADDRESS_H
#define OCR_ADDRESS_H

#include <jansson.h>
#include <stddef.h>

typedef struct {
    char street[256];      /* street, house number, suite ("ул. Лесная, д. 5") */
    char postal_code[32];  /* "80339", "WC2B 6UN", "90001-1234" */
    char city[128];        /* without "г." / "CEDEX" markers */
    char region[64];       /* US state, Russian oblast/krai, ... */
    char country[64];      /* as printed ("Deutschland"), else the ISO code the card points to */
} ocr_address_parts_t;

/* Split address (card lines joined by ", "). country_hint: ISO alpha-2
 * from the card's phones/domains, or NULL; used for the country when none
 * is printed and to tell German from French five-digit postcodes. Never
 * fails: parts it cannot tell are "". */
void ocr_address_split(const char *address, const char *country_hint, ocr_address_parts_t *out);

/* The ISO alpha-2 code of the country s names as a whole ("Deutschland",
 * "P.R. China", "UK"; case does not matter), or NULL. City states'
 * names are their city's, so "Singapore" gives NULL. */
const char *ocr_address_country(const char *s);

/* The first country named by whole words inside line t ("Singapore
 * Branch", "Bengaluru 560 100, India"; city states too), as its ISO
 * alpha-2 code, or NULL. Short names ("UK") count only as a whole part. */
const char *ocr_address_country_in(const char *t);

/* The length of the postcode s starts with when it is one printed before
 * its town in a shape of its own (Czech/Swedish "120 00", Polish "00-590",
 * Portuguese "1250-096", then a space and a capital), else 0. */
size_t ocr_address_code_before_town(const char *s);

/* The length of the Canadian postcode s starts with ("H3B 4W8", 7; read
 * without its space "H3B4W8", 6), else 0. */
size_t ocr_address_ca_code(const char *s);

/* When s is a Brazilian state's two-letter code ("SP", "RJ") and nothing
 * else: the area code (DDD) of its capital ("11", "21"); else NULL. */
const char *ocr_address_br_ddd(const char *s);

/* 1 when s begins with a Dutch postcode: four digits, a space, two
 * capitals (not SA, SD or SS, which the Netherlands does not give) and a
 * space ("1015 CJ Amsterdam"). */
int ocr_address_dutch_postcode(const char *s);

/* The parts as the JSON object of `greeter cards scan`'s "address_parts"
 * ({street, postal_code, city, region, country}). New reference, NULL only
 * when out of memory. */
json_t *ocr_address_json(const ocr_address_parts_t *p);

#endif
