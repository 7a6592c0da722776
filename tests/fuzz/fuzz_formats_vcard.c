/* libFuzzer target: the vCard reader must never crash, every line it
 * reports must lie in the text, and every contact it accepts must survive a
 * write/read round trip as vCard 4.0 and as 3.0. */
#include "firmware/core/err.h"
#include "firmware/formats/vcard.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *contacts = NULL, *errors = NULL;
    int rc = fmt_vcard_read((const char *)data, size, &contacts, &errors);
    if (rc == GR_OK) {
        json_t *arr = json_loads(contacts, 0, NULL), *errs = json_loads(errors, 0, NULL);
        if (!arr || !json_is_array(arr) || !json_is_array(errs)) __builtin_trap();
        long lines = 1;
        for (size_t k = 0; k < size; k++)
            if (data[k] == '\n' || (data[k] == '\r' && (k + 1 == size || data[k + 1] != '\n'))) lines++;
        size_t q;
        json_t *e;
        json_array_foreach(errs, q, e) {
            json_int_t l = json_integer_value(json_object_get(e, "line"));
            if (l < 0 || l > lines || !json_is_string(json_object_get(e, "message"))) __builtin_trap();
        }
        json_decref(errs);
        size_t i;
        json_t *c;
        json_array_foreach(arr, i, c) {
            char *one = json_dumps(c, JSON_COMPACT), *v = NULL;
            if (!one) continue;
            for (int version = 3; version <= 4; version++) {
                if (fmt_vcard_write_version(one, version, &v) != GR_OK) __builtin_trap();
                char *c2 = NULL, *e2 = NULL;
                if (fmt_vcard_read(v, strlen(v), &c2, &e2) != GR_OK) __builtin_trap();
                json_t *back = json_loads(c2, 0, NULL);
                /* the round trip keeps the name (FN may be rebuilt only when empty) */
                const char *n1 = json_string_value(json_object_get(c, "name"));
                json_t *b0 = json_array_get(back, 0);
                if (n1 && *n1 && b0 && strcmp(n1, json_string_value(json_object_get(b0, "name"))) != 0) __builtin_trap();
                if (!b0 || json_array_size(json_object_get(b0, "emails")) != json_array_size(json_object_get(c, "emails")) ||
                    json_array_size(json_object_get(b0, "phones")) != json_array_size(json_object_get(c, "phones")))
                    __builtin_trap();
                json_decref(back);
                free(c2);
                free(e2);
                free(v);
                v = NULL;
            }
            free(one);
        }
        json_decref(arr);
    }
    free(contacts);
    free(errors);
    return 0;
}
