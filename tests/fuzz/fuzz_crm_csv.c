/* libFuzzer target: the contacts CSV reader (greeter contacts import, the web
 * UI's import; our columns and the Google, Outlook, Apple and Bitrix24
 * layouts) must never crash or leak, whatever the file; and what it accepts
 * must survive a write + read round trip in our layout unchanged in count
 * and names, and in the Google and Outlook layouts unchanged in count,
 * e-mails and phones (so every export re-imports). */
#include "crm/csv.h"
#include "firmware/core/err.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    json_t *contacts = NULL, *errors = NULL;
    int rc = crm_csv_read((const char *)data, size, &contacts, &errors);
    if (rc != GR_OK) {
        if (contacts || errors) __builtin_trap();
        return 0;
    }
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) if (json_integer_value(json_object_get(e, "line")) < 1) __builtin_trap();
    char *text = NULL;
    if (crm_csv_write(contacts, &text) != GR_OK) __builtin_trap();
    json_t *again = NULL, *errors2 = NULL;
    if (crm_csv_read(text, strlen(text), &again, &errors2) != GR_OK) __builtin_trap();
    if (json_array_size(again) != json_array_size(contacts) || json_array_size(errors2) != 0) __builtin_trap();
    json_t *c;
    json_array_foreach(contacts, i, c) {
        json_t *d = json_array_get(again, i);
        static const char *const keys[] = {"name", "given_name", "family_name", "title", "company", "address", "note"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            if (strcmp(str(c, keys[k]), str(d, keys[k]))) __builtin_trap();
        if (json_array_size(json_object_get(c, "emails")) != json_array_size(json_object_get(d, "emails")) ||
            json_array_size(json_object_get(c, "phones")) != json_array_size(json_object_get(d, "phones")))
            __builtin_trap();
    }
    free(text);
    json_decref(again);
    json_decref(errors2);
    static const crm_csv_layout_t layouts[] = {CRM_CSV_GOOGLE, CRM_CSV_OUTLOOK};
    for (size_t l = 0; l < 2; l++) {
        if (crm_csv_write_layout(contacts, layouts[l], &text) != GR_OK) __builtin_trap();
        again = errors2 = NULL;
        if (json_array_size(contacts) == 0) {
            free(text);
            continue;
        }
        if (crm_csv_read(text, strlen(text), &again, &errors2) != GR_OK) __builtin_trap();
        if (json_array_size(again) != json_array_size(contacts) || json_array_size(errors2) != 0) __builtin_trap();
        json_array_foreach(contacts, i, c) {
            json_t *d = json_array_get(again, i);
            if (layouts[l] == CRM_CSV_GOOGLE && strcmp(str(c, "name"), str(d, "name"))) __builtin_trap();
            if (json_array_size(json_object_get(c, "emails")) != json_array_size(json_object_get(d, "emails")) ||
                json_array_size(json_object_get(c, "phones")) != json_array_size(json_object_get(d, "phones")))
                __builtin_trap();
        }
        free(text);
        json_decref(again);
        json_decref(errors2);
    }
    json_decref(contacts);
    json_decref(errors);
    return 0;
}
