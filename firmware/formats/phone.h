/* phone.h - phone numbers through libphonenumber, behind a C interface
 * (the C++ stays in phone.cpp). Thread-safe. */
#ifndef FMT_PHONE_H
#define FMT_PHONE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    FMT_PHONE_UNKNOWN = 0,
    FMT_PHONE_FIXED,     /* fixed line */
    FMT_PHONE_MOBILE,    /* mobile */
    FMT_PHONE_EITHER,    /* fixed line or mobile (US/CA numbers) */
    FMT_PHONE_OTHER,     /* toll free, VoIP, pager, ... */
} fmt_phone_kind_t;

/* Parse one printed number ("+44 (0)20 8813 3762", "8 (495) 966-76-87",
 * "040/7441031") for region (ISO 3166 alpha-2, used when the text has no
 * country code). On GR_OK writes the E.164 form ("+442088133762") into
 * e164 (at least 20 bytes) and its kind into *kind (may be NULL).
 * Returns GR_ERR_FORMAT when it is not a valid number for that region,
 * GR_ERR_INVAL on bad arguments. */
int fmt_phone_parse(const char *text, const char *region, char *e164, size_t e164len, fmt_phone_kind_t *kind);

/* As fmt_phone_parse, but accepts a number that only has a possible length
 * for region (libphonenumber's IsPossibleNumber) and is not valid by its
 * metadata: numbering plans change (Brazil's old 8-digit mobiles, new
 * ranges), and a number printed behind a phone label is still that number.
 * *kind is FMT_PHONE_UNKNOWN for such numbers. Same errors. */
int fmt_phone_parse_possible(const char *text, const char *region, char *e164, size_t e164len,
                             fmt_phone_kind_t *kind);

/* The national destination (area) code of a valid E.164 number into out
 * (>= 8 bytes): "11" for +551122949484. GR_ERR_NOTFOUND when the number
 * has none. */
int fmt_phone_area_code(const char *e164, char *out, size_t outlen);

/* The region (ISO alpha-2) a valid E.164 number belongs to, into cc (>= 3
 * bytes). GR_ERR_NOTFOUND when unknown. */
int fmt_phone_region(const char *e164, char *cc, size_t cclen);

/* The country calling code of region ("SG" -> 65), 0 when unknown. */
int fmt_phone_country_code(const char *region);
/* 1 when region is a region code libphonenumber knows ("DE", "GB"). */
int fmt_phone_region_known(const char *region);

#ifdef __cplusplus
}
#endif

#endif
