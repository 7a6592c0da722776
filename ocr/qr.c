/* qr.c - QR payloads (vCard, MeCard, URL, mailto, tel) -> contact (see qr.h). */
#include "ocr/qr.h"

#include "firmware/core/err.h"
#include "firmware/formats/phone.h"
#include "firmware/formats/vcard.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static json_t *empty_contact(void) {
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:[], s:[], s:[], s:s}", "name", "", "given_name", "", "family_name",
                     "", "title", "", "company", "", "phones", "emails", "websites", "address", "");
}

static const char *domain_region(const char *dom) {
    static const struct { const char *tld, *cc; } map[] = {{".uk", "GB"}, {".de", "DE"}, {".fr", "FR"}, {".ru", "RU"},
                                                           {".at", "AT"}, {".ch", "CH"}, {".it", "IT"}, {".es", "ES"},
                                                           {".nl", "NL"}, {".be", "BE"}, {".ca", "CA"}, {".au", "AU"}};
    size_t n = strlen(dom);
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        size_t k = strlen(map[i].tld);
        if (n > k && !strcasecmp(dom + n - k, map[i].tld)) return map[i].cc;
    }
    return NULL;
}

/* Normalise every phone to E.164 (the card's e-mail/web domain gives the
 * region of national numbers); numbers that do not parse are kept as printed. */
static void normalise_phones(json_t *c, const char *region) {
    const char *hint = NULL;
    json_t *em = json_object_get(c, "emails"), *ws = json_object_get(c, "websites");
    if (json_array_size(em)) {
        const char *at = strchr(json_string_value(json_array_get(em, 0)), '@');
        if (at) hint = domain_region(at + 1);
    }
    if (!hint && json_array_size(ws)) {
        char host[256];
        const char *s = json_string_value(json_array_get(ws, 0));
        const char *p = strstr(s, "://");
        snprintf(host, sizeof host, "%s", p ? p + 3 : s);
        host[strcspn(host, "/")] = '\0';
        hint = domain_region(host);
    }
    size_t i;
    json_t *ph;
    json_array_foreach(json_object_get(c, "phones"), i, ph) {
        const char *num = json_string_value(json_object_get(ph, "number"));
        if (!num) continue;
        char e164[24];
        if ((hint && fmt_phone_parse(num, hint, e164, sizeof e164, NULL) == GR_OK) ||
            (region && fmt_phone_parse(num, region, e164, sizeof e164, NULL) == GR_OK))
            json_object_set_new(ph, "number", json_string(e164));
    }
}

/* MeCard field value: unescape \; \: \, \\ in place up to the next bare ';'.
 * Returns the position after the terminator. */
static char *mecard_value(char *s) {
    char *w = s, *r = s;
    while (*r && *r != ';') {
        if (*r == '\\' && r[1]) r++;
        *w++ = *r++;
    }
    char *next = *r ? r + 1 : r;
    *w = '\0';
    return next;
}

static json_t *parse_mecard(const char *payload) {
    char *buf = strdup(payload + 7); /* after "MECARD:" */
    if (!buf) return NULL;
    json_t *c = empty_contact();
    if (!c) {
        free(buf);
        return NULL;
    }
    int any = 0;
    char *p = buf;
    while (*p) {
        char *colon = strchr(p, ':');
        if (!colon) break;
        *colon = '\0';
        char *key = p;
        char *val = colon + 1;
        p = mecard_value(val);
        if (!*val) continue;
        json_t *s = json_string(val); /* NULL when not UTF-8 */
        if (!s) continue;
        any = 1;
        if (!strcasecmp(key, "N")) {
            char *comma = strchr(val, ',');
            if (comma) {
                *comma = '\0';
                json_object_set_new(c, "family_name", json_string(val));
                json_object_set_new(c, "given_name", json_string(comma + 1));
                char full[512];
                snprintf(full, sizeof full, "%s %s", comma + 1, val);
                json_object_set_new(c, "name", json_string(full));
            } else {
                json_object_set(c, "name", s);
            }
        } else if (!strcasecmp(key, "TEL")) {
            json_array_append_new(json_object_get(c, "phones"), json_pack("{s:O, s:s}", "number", s, "type", "work"));
        } else if (!strcasecmp(key, "EMAIL")) {
            json_array_append(json_object_get(c, "emails"), s);
        } else if (!strcasecmp(key, "URL")) {
            json_array_append(json_object_get(c, "websites"), s);
        } else if (!strcasecmp(key, "ADR")) {
            json_object_set(c, "address", s);
        } else if (!strcasecmp(key, "ORG")) {
            json_object_set(c, "company", s);
        } else if (!strcasecmp(key, "TITLE")) {
            json_object_set(c, "title", s);
        }
        json_decref(s);
    }
    free(buf);
    if (!any) {
        json_decref(c);
        return NULL;
    }
    return c;
}

json_t *ocr_qr_contact(const char *payload, const char *region) {
    if (!payload) return NULL;
    while (isspace((unsigned char)*payload)) payload++;
    json_t *c = NULL;
    if (!strncasecmp(payload, "BEGIN:VCARD", 11)) {
        char *contacts = NULL, *errors = NULL;
        if (fmt_vcard_read(payload, strlen(payload), &contacts, &errors) == GR_OK) {
            json_t *arr = json_loads(contacts, 0, NULL);
            if (json_array_size(arr) > 0) c = json_incref(json_array_get(arr, 0));
            json_decref(arr);
        }
        free(contacts);
        free(errors);
        if (c) json_object_del(c, "note");
    } else if (!strncasecmp(payload, "MECARD:", 7)) {
        c = parse_mecard(payload);
    } else if (!strncasecmp(payload, "http://", 7) || !strncasecmp(payload, "https://", 8)) {
        c = empty_contact();
        if (c && strlen(payload) < 1024) json_array_append_new(json_object_get(c, "websites"), json_string(payload));
    } else if (!strncasecmp(payload, "mailto:", 7)) {
        c = empty_contact();
        if (c && strlen(payload) < 512) json_array_append_new(json_object_get(c, "emails"), json_string(payload + 7));
    } else if (!strncasecmp(payload, "tel:", 4)) {
        c = empty_contact();
        if (c && strlen(payload) < 64)
            json_array_append_new(json_object_get(c, "phones"),
                                  json_pack("{s:s, s:s}", "number", payload + 4, "type", "work"));
    }
    if (c) normalise_phones(c, region);
    return c;
}
