/* bitrix24_item.c - the crm.item form of records (bitrix24_item.h). */
#include "crm/bitrix24_item.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int crm_b24_entity_type(const char *ent) {
    if (!ent) return 0;
    return !strcmp(ent, "lead") ? 1 : !strcmp(ent, "deal") ? 2 : !strcmp(ent, "contact") ? 3 : !strcmp(ent, "company") ? 4 : 0;
}

void crm_b24_camel(const char *upper, char *buf, size_t len) {
    if (!strcmp(upper, "DATE_MODIFY") || !strcmp(upper, "DATE_CREATE")) {
        snprintf(buf, len, "%s", upper[5] == 'M' ? "updatedTime" : "createdTime");
        return;
    }
    size_t n = 0;
    int up = 0;
    for (const char *p = upper; *p && n + 1 < len; p++) {
        if (*p == '_') {
            up = n > 0;
            continue;
        }
        buf[n++] = up ? (char)toupper((unsigned char)*p) : (char)tolower((unsigned char)*p);
        up = 0;
    }
    buf[n] = 0;
}

json_t *crm_b24_item_fields(json_t *fields, json_t *existing) {
    json_t *out = json_object(), *fm = json_array();
    static const char *const kinds[] = {"PHONE", "EMAIL", "WEB", "IM", NULL};
    int any_fm = 0;
    const char *k;
    json_t *v;
    if (!out || !fm) goto fail;
    json_object_foreach(fields, k, v) {
        int kind = -1;
        for (int i = 0; kinds[i]; i++)
            if (!strcmp(k, kinds[i])) kind = i;
        if (kind >= 0 && json_is_array(v)) {
            any_fm = 1;
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x) {
                const char *val = json_string_value(json_object_get(x, "VALUE"));
                const char *vt = json_string_value(json_object_get(x, "VALUE_TYPE"));
                if (!val || !*val) continue;
                if (json_array_append_new(fm, json_pack("{s:s,s:s,s:s}", "typeId", k, "valueType", vt ? vt : "WORK",
                                                        "value", val)))
                    goto fail;
            }
            continue;
        }
        if (!strcmp(k, "PHOTO") && json_is_array(json_object_get(v, "fileData"))) {
            json_object_set(out, "photo", json_object_get(v, "fileData"));
            continue;
        }
        char name[96];
        crm_b24_camel(k, name, sizeof name);
        if (json_object_set(out, name, v)) goto fail;
    }
    if (any_fm) {
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(existing, "fm"), i, x) {
            const char *t = json_string_value(json_object_get(x, "typeId"));
            int ours = 0;
            for (int j = 0; kinds[j]; j++)
                if (t && !strcasecmp(t, kinds[j]) && json_object_get(fields, kinds[j])) ours = 1;
            if (t && !ours)
                json_array_append_new(fm, json_pack("{s:s,s:O,s:O}", "typeId", t, "valueType",
                                                    json_object_get(x, "valueType"), "value", json_object_get(x, "value")));
        }
        json_object_set_new(out, "fm", fm);
    } else {
        json_decref(fm);
    }
    return out;
fail:
    json_decref(out);
    json_decref(fm);
    return NULL;
}


/* lastName -> LAST_NAME, ufCrmGreeterFaces -> UF_CRM_GREETER_FACES. */
static void upper_snake(const char *camel, char *buf, size_t len) {
    if (!strcmp(camel, "updatedTime") || !strcmp(camel, "createdTime")) {
        snprintf(buf, len, "%s", camel[0] == 'u' ? "DATE_MODIFY" : "DATE_CREATE");
        return;
    }
    size_t n = 0;
    for (const char *p = camel; *p && n + 2 < len; p++) {
        if (isupper((unsigned char)*p) && n > 0) buf[n++] = '_';
        buf[n++] = (char)toupper((unsigned char)*p);
    }
    buf[n] = 0;
}

json_t *crm_b24_item_legacy(json_t *item) {
    if (!json_is_object(item)) return NULL;
    json_t *out = json_object();
    if (!out) return NULL;
    const char *k;
    json_t *v;
    json_object_foreach(item, k, v) {
        if (!strcmp(k, "fm")) {
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x) {
                const char *t = json_string_value(json_object_get(x, "typeId"));
                if (!t || strlen(t) > 16) continue;
                char kind[17];
                size_t n = 0;
                for (; t[n]; n++) kind[n] = (char)toupper((unsigned char)t[n]);
                kind[n] = 0;
                json_t *list = json_object_get(out, kind);
                if (!list) {
                    list = json_array();
                    if (!list || json_object_set_new(out, kind, list)) goto fail;
                }
                json_t *e = json_pack("{s:O?,s:O?,s:O?}", "ID", json_object_get(x, "id"), "VALUE",
                                      json_object_get(x, "value"), "VALUE_TYPE", json_object_get(x, "valueType"));
                if (!e || json_array_append_new(list, e)) goto fail;
            }
            continue;
        }
        char name[96];
        upper_snake(k, name, sizeof name);
        if (json_object_set(out, name, v)) goto fail;
    }
    return out;
fail:
    json_decref(out);
    return NULL;
}
