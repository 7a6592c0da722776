/* Storage: WAL, foreign keys, migrations recorded, newer schema refused;
 * the CRM settings a connection carries. */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "crm/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int query_int(crm_store_t *st, const char *sql) {
    sqlite3_stmt *s = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(crm_store_db(st), sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static void migrates_fresh_database(void **state) {
    (void)state;
    char *dir = tu_tempdir(), err[512];
    crm_store_t *st = NULL;
    assert_int_equal(crm_store_open_dir(dir, NULL, &st, err, sizeof err), GR_OK);
    assert_int_equal(crm_store_version(st), crm_store_latest_version());
    assert_true(crm_store_latest_version() >= 5);
    assert_int_equal(query_int(st, "SELECT count(*) FROM schema_migrations"), crm_store_latest_version());
    assert_int_equal(query_int(st, "PRAGMA foreign_keys"), 1);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(crm_store_db(st), "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    /* Foreign keys are enforced. */
    assert_int_not_equal(crm_store_exec(st, "INSERT INTO face_templates(person_id, descriptor) VALUES (999, x'00')"), GR_OK);
    crm_store_close(st);
    /* Reopening applies nothing twice. */
    assert_int_equal(crm_store_open_dir(dir, NULL, &st, err, sizeof err), GR_OK);
    assert_int_equal(query_int(st, "SELECT count(*) FROM schema_migrations"), crm_store_latest_version());
    crm_store_close(st);
    tu_rmtree(dir);
    free(dir);
}

static void refuses_newer_schema(void **state) {
    (void)state;
    char *dir = tu_tempdir(), err[512];
    crm_store_t *st = NULL;
    assert_int_equal(crm_store_open_dir(dir, NULL, &st, err, sizeof err), GR_OK);
    assert_int_equal(crm_store_exec(st, "INSERT INTO schema_migrations(version,name) VALUES (9999,'9999_future.sql')"), GR_OK);
    crm_store_close(st);
    assert_int_equal(crm_store_open_dir(dir, NULL, &st, err, sizeof err), GR_ERR_VERSION);
    assert_null(st);
    assert_non_null(strstr(err, "9999"));
    assert_non_null(strstr(err, "newer"));
    tu_rmtree(dir);
    free(dir);
}

static void refuses_garbage_file(void **state) {
    (void)state;
    char *dir = tu_tempdir(), err[512], path[4200];
    snprintf(path, sizeof path, "%s/greeter.db", dir);
    assert_int_equal(tu_write(path, "this is not a database, just some text that is long enough to matter........"), 0);
    crm_store_t *st = NULL;
    assert_int_not_equal(crm_store_open(path, NULL, &st, err, sizeof err), GR_OK);
    assert_null(st);
    assert_non_null(strstr(err, path));
    tu_rmtree(dir);
    free(dir);
}

static void transactions_roll_back(void **state) {
    (void)state;
    char *dir = tu_tempdir(), err[512];
    crm_store_t *st = NULL;
    assert_int_equal(crm_store_open_dir(dir, NULL, &st, err, sizeof err), GR_OK);
    assert_int_equal(crm_store_begin(st), GR_OK);
    assert_int_equal(crm_store_exec(st, "INSERT INTO meta(key,value) VALUES ('a','1')"), GR_OK);
    crm_store_rollback(st);
    assert_int_equal(query_int(st, "SELECT count(*) FROM meta"), 0);
    assert_int_equal(crm_store_begin(st), GR_OK);
    assert_int_equal(crm_store_exec(st, "INSERT INTO meta(key,value) VALUES ('a','1')"), GR_OK);
    assert_int_equal(crm_store_commit(st), GR_OK);
    assert_int_equal(query_int(st, "SELECT count(*) FROM meta"), 1);
    crm_store_close(st);
    tu_rmtree(dir);
    free(dir);
}

/* A connection carries the settings it was opened with (the defaults of
 * settings.def without any) until they are set again. */
static void connection_carries_settings(void **state) {
    (void)state;
    char *dir = tu_tempdir(), err[512];
    crm_store_t *st = NULL;
    crm_opts_t o;
    assert_int_equal(crm_store_open_dir(dir, NULL, &st, err, sizeof err), GR_OK);
    crm_store_opts(st, &o);
    assert_string_equal(o.device_name, "greeter");
    assert_string_equal(o.region, "US");
    assert_int_equal(o.require_consent, 1);
    crm_store_close(st);
    gr_config_t *cfg = gr_config_new();
    assert_non_null(cfg);
    assert_int_equal(gr_config_set(cfg, "device.name", "Booth 7", err, sizeof err), GR_OK);
    assert_int_equal(gr_config_set(cfg, "ocr.region", "DE", err, sizeof err), GR_OK); /* the old name */
    crm_opts_from_config(cfg, &o);
    assert_int_equal(crm_store_open_dir(dir, &o, &st, err, sizeof err), GR_OK);
    memset(&o, 0, sizeof o);
    crm_store_opts(st, &o);
    assert_string_equal(o.device_name, "Booth 7");
    assert_string_equal(o.region, "DE");
    assert_int_equal(gr_config_set(cfg, "privacy.require_consent", "false", err, sizeof err), GR_OK);
    crm_opts_from_config(cfg, &o);
    crm_store_set_opts(st, &o);
    memset(&o, 0, sizeof o);
    crm_store_opts(st, &o);
    assert_int_equal(o.require_consent, 0);
    assert_string_equal(o.region, "DE");
    gr_config_free(cfg);
    crm_store_close(st);
    tu_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrates_fresh_database),
        cmocka_unit_test(refuses_newer_schema),
        cmocka_unit_test(refuses_garbage_file),
        cmocka_unit_test(transactions_roll_back),
        cmocka_unit_test(connection_carries_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
