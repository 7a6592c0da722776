/* libFuzzer target: contact JSON from the API (crm_contact_create, update,
 * duplicates) and search text (crm_contact_list) must never crash and never
 * store what they refuse. Input: JSON text; its "q" member (if a string) is
 * also used as a search. One in-memory database for the whole run. */
#include "crm/contact_search.h"
#include "crm/contacts.h"
#include "crm/duplicates.h"
#include "firmware/core/err.h"
#include "firmware/core/log.h"
#include "crm/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static crm_store_t *st;

static long long count(const char *sql) {
    sqlite3_stmt *s = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(crm_store_db(st), sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[256];
    if (!st) {
        atomic_store(&gr_log_level, GR_LOG_ERROR);
        if (crm_store_open(":memory:", NULL, &st, err, sizeof err) != GR_OK) __builtin_trap();
    }
    json_t *in = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!in) return 0;
    long long before = count("SELECT count(*) FROM contacts");
    json_t *out = NULL;
    int rc = crm_contact_create(st, in, "fuzz", &out, err, sizeof err);
    if (rc == GR_OK) {
        if (!json_is_object(out) || count("SELECT count(*) FROM contacts") != before + 1) __builtin_trap();
        json_t *upd = NULL;
        if (crm_contact_update(st, json_integer_value(json_object_get(out, "id")), in, "fuzz", &upd, err, sizeof err) !=
            GR_OK)
            __builtin_trap(); /* what create accepted, update accepts */
        json_decref(upd);
    } else {
        if (out || count("SELECT count(*) FROM contacts") != before || !err[0]) __builtin_trap();
    }
    json_decref(out);
    json_t *dups = NULL;
    if (crm_contact_duplicates(st, in, 0, &dups) == GR_OK) json_decref(dups);
    const char *q = json_string_value(json_object_get(in, "q"));
    json_t *list = NULL;
    rc = crm_contact_list(st, q ? q : json_string_value(in), 5, 0, &list);
    if (rc == GR_OK) json_decref(list);
    else if (rc != GR_ERR_INVAL) __builtin_trap();
    json_decref(in);
    /* Keep the database small. */
    if (count("SELECT count(*) FROM contacts") > 200) crm_store_exec(st, "DELETE FROM contacts; DELETE FROM contacts_fts");
    return 0;
}
