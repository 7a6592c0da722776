/* test_crm_util.h - small helpers shared by the test_crm_*.c programs. */
#ifndef TEST_CRM_UTIL_H
#define TEST_CRM_UTIL_H

#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "crm/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *dir;
    crm_store_t *st;
} tc_db_t;

static inline void tc_open(tc_db_t *db) {
    char err[512];
    db->dir = tu_tempdir();
    assert_non_null(db->dir);
    assert_int_equal(crm_store_open_dir(db->dir, NULL, &db->st, err, sizeof err), GR_OK);
}

/* The CRM settings of cfg on a connection, as web/settings.c applies them. */
static inline void tc_apply(crm_store_t *st, const gr_config_t *cfg) {
    crm_opts_t opts;
    crm_opts_from_config(cfg, &opts);
    crm_store_set_opts(st, &opts);
}

static inline void tc_close(tc_db_t *db) {
    crm_store_close(db->st);
    tu_rmtree(db->dir);
    free(db->dir);
}

static inline long long tc_int(crm_store_t *st, const char *sql) {
    sqlite3_stmt *s = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(crm_store_db(st), sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    else
        fail_msg("query failed: %s: %s", sql, sqlite3_errmsg(crm_store_db(st)));
    sqlite3_finalize(s);
    return v;
}

static inline json_t *tc_json(const char *text) {
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (!j) fail_msg("bad test JSON: %s: %s", text, e.text);
    return j;
}

static inline const char *tc_str(json_t *o, const char *key) {
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "(null)";
}

static inline long long tc_id(json_t *o) { return (long long)json_integer_value(json_object_get(o, "id")); }

/* A person (face identity) with n templates, last seen `ago` days back. */
static inline long long tc_person(crm_store_t *st, const char *label, int templates, int ago_days) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO people(label, last_seen, created_at) VALUES ('%s', strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ','now','-%d days'), "
             "strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ','now','-%d days'))", label, ago_days, ago_days);
    assert_int_equal(crm_store_exec(st, sql), GR_OK);
    long long id = sqlite3_last_insert_rowid(crm_store_db(st));
    for (int i = 0; i < templates; i++) {
        snprintf(sql, sizeof sql, "INSERT INTO face_templates(person_id, descriptor) VALUES (%lld, zeroblob(512))", id);
        assert_int_equal(crm_store_exec(st, sql), GR_OK);
    }
    return id;
}

/* A visit of person, `ago` days back, with a snapshot file name (or NULL). */
static inline long long tc_visit(crm_store_t *st, long long person, int ago_days, const char *snapshot, int is_new) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO visits(person_id, started_at, is_new, snapshot, camera) VALUES (%lld, "
             "strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ','now','-%d days'), %d, %s%s%s, 'cam0')",
             person, ago_days, is_new, snapshot ? "'" : "", snapshot ? snapshot : "NULL", snapshot ? "'" : "");
    assert_int_equal(crm_store_exec(st, sql), GR_OK);
    return sqlite3_last_insert_rowid(crm_store_db(st));
}

#endif
