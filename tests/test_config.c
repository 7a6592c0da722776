/* Config table: defaults, INI file, command line, clear errors. */
#include "tests/testutil.h"

#include "firmware/core/config.h"
#include "firmware/core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void defaults_work(void **state) {
    (void)state;
    gr_config_t *c = gr_config_new();
    assert_non_null(c);
    assert_string_equal(gr_config_str(c, GR_SET_STORAGE_DIR), "/var/lib/greeter");
    assert_string_equal(gr_config_str(c, GR_SET_WEB_LISTEN), "0.0.0.0:8080");
    assert_string_equal(gr_config_str(c, GR_SET_CAMERA_SOURCE), "auto");
    assert_string_equal(gr_config_str(c, GR_SET_SYNC_BITRIX24_URL), "");
    assert_int_equal(gr_config_int(c, GR_SET_PRIVACY_UNKNOWN_RETENTION_DAYS), 30);
    assert_true(gr_config_double(c, GR_SET_VISION_MATCH_THRESHOLD) > 0.59);
    assert_true(gr_config_bool(c, GR_SET_PRIVACY_REQUIRE_CONSENT));
    gr_config_free(c);
}

static void bad_values_name_key_value_and_range(void **state) {
    (void)state;
    gr_config_t *c = gr_config_new();
    char err[512];
    assert_int_equal(gr_config_set(c, "camera.fps", "500", err, sizeof err), GR_ERR_RANGE);
    assert_non_null(strstr(err, "camera.fps"));
    assert_non_null(strstr(err, "500"));
    assert_non_null(strstr(err, "1..60"));
    assert_int_equal(gr_config_set(c, "camera.fps", "12x", err, sizeof err), GR_ERR_INVAL);
    assert_non_null(strstr(err, "12x"));
    assert_int_equal(gr_config_set(c, "web.tls", "maybe", err, sizeof err), GR_ERR_INVAL);
    assert_int_equal(gr_config_set(c, "log.level", "loud", err, sizeof err), GR_ERR_INVAL);
    assert_non_null(strstr(err, "error|warn|info|debug"));
    assert_int_equal(gr_config_set(c, "no.such", "1", err, sizeof err), GR_ERR_NOTFOUND);
    assert_non_null(strstr(err, "no.such"));
    assert_int_equal(gr_config_set(c, "vision.match_threshold", "nan", err, sizeof err), GR_ERR_INVAL);
    /* A failed set leaves the old value. */
    assert_int_equal(gr_config_int(c, GR_SET_CAMERA_FPS), 15);
    assert_int_equal(gr_config_set(c, "camera.fps", "30", err, sizeof err), GR_OK);
    assert_int_equal(gr_config_int(c, GR_SET_CAMERA_FPS), 30);
    gr_config_free(c);
}

static void ini_file_and_command_line(void **state) {
    (void)state;
    char *dir = tu_tempdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/g.conf", dir);
    assert_int_equal(tu_write(path, "# comment\n[storage]\ndir = /tmp/x\n\n[camera]\n; another\nsource = \"none\"\nfps=10\n"), 0);
    char a0[] = "prog", a1[] = "--config", a2[4200], a3[] = "--camera.fps=12", a4[] = "rest", a5[] = "--web.listen=127.0.0.1:9";
    snprintf(a2, sizeof a2, "%s", path);
    char *argv[] = {a0, a1, a2, a3, a4, a5, NULL};
    int argc = 6;
    gr_config_t *c = NULL;
    char err[512] = "";
    assert_int_equal(gr_config_from_args(&c, &argc, argv, err, sizeof err), GR_OK);
    assert_int_equal(argc, 2); /* prog rest */
    assert_string_equal(argv[1], "rest");
    assert_string_equal(gr_config_str(c, GR_SET_STORAGE_DIR), "/tmp/x");
    assert_string_equal(gr_config_str(c, GR_SET_CAMERA_SOURCE), "none");
    assert_int_equal(gr_config_int(c, GR_SET_CAMERA_FPS), 12); /* command line wins */
    assert_string_equal(gr_config_str(c, GR_SET_WEB_LISTEN), "127.0.0.1:9");
    gr_config_free(c);
    tu_rmtree(dir);
    free(dir);
}

static void file_errors_name_line(void **state) {
    (void)state;
    char *dir = tu_tempdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/bad.conf", dir);
    gr_config_t *c = gr_config_new();
    char err[512];
    assert_int_equal(tu_write(path, "[camera]\nfps = 0\n"), 0);
    assert_int_equal(gr_config_load_file(c, path, err, sizeof err), GR_ERR_RANGE);
    assert_non_null(strstr(err, ":2:"));
    assert_non_null(strstr(err, "camera.fps"));
    assert_int_equal(tu_write(path, "[camera\n"), 0);
    assert_int_equal(gr_config_load_file(c, path, err, sizeof err), GR_ERR_FORMAT);
    assert_int_equal(tu_write(path, "[camera]\njust words\n"), 0);
    assert_int_equal(gr_config_load_file(c, path, err, sizeof err), GR_ERR_FORMAT);
    assert_int_equal(tu_write(path, "[camera]\ncolour = red\n"), 0);
    assert_int_equal(gr_config_load_file(c, path, err, sizeof err), GR_ERR_NOTFOUND);
    assert_non_null(strstr(err, "camera.colour"));
    /* An explicit --config that does not exist is an error. */
    char a0[] = "p", a1[] = "--config=/nonexistent/greeter.conf";
    char *argv[] = {a0, a1, NULL};
    int argc = 2;
    gr_config_t *c2 = NULL;
    assert_int_not_equal(gr_config_from_args(&c2, &argc, argv, err, sizeof err), GR_OK);
    assert_null(c2);
    assert_non_null(strstr(err, "/nonexistent/greeter.conf"));
    gr_config_free(c);
    tu_rmtree(dir);
    free(dir);
}

static void cli_prints_defaults_and_rejects_bad_values(void **state) {
    (void)state;
    char cmd[4300], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s config --defaults", tu_bin("greeter"));
    assert_int_equal(tu_run(cmd, &out), 0);
    assert_non_null(strstr(out, "[storage]"));
    assert_non_null(strstr(out, "dir = /var/lib/greeter"));
    assert_non_null(strstr(out, "listen = 0.0.0.0:8080"));
    assert_non_null(strstr(out, "# State folder"));
    free(out);
    snprintf(cmd, sizeof cmd, "%s --camera.fps=0 config", tu_bin("greeter"));
    assert_int_equal(tu_run(cmd, &out), 2);
    assert_non_null(strstr(out, "camera.fps"));
    assert_non_null(strstr(out, "1..60"));
    free(out);
    snprintf(cmd, sizeof cmd, "%s --sync.bitrix24_url=https://x.example/rest/1/abc/ config --show", tu_bin("greeter"));
    assert_int_equal(tu_run(cmd, &out), 0);
    assert_null(strstr(out, "abc")); /* secrets are never printed */
    assert_non_null(strstr(out, "bitrix24_url = (set)"));
    free(out);
}

/* Identifiers generated from settings.def name the same rows as their names. */
static void identifiers_name_their_rows(void **state) {
    (void)state;
    assert_int_equal(gr_config_count(), GR_SET_COUNT);
    assert_string_equal(gr_config_setting(GR_SET_STORAGE_DIR)->name, "storage.dir");
    assert_string_equal(gr_config_setting(GR_SET_VISION_MIN_FACE_PX)->name, "vision.min_face_px");
    assert_string_equal(gr_config_setting(GR_SET_SUPERVISE_CLOCK_JUMP_S)->name, "supervise.clock_jump_s");
    assert_ptr_equal(gr_config_find("device.region"), gr_config_setting(GR_SET_DEVICE_REGION));
    /* The apply column: live settings are the ones the Settings page re-applies. */
    assert_int_equal(gr_config_setting(GR_SET_LOG_LEVEL)->apply, GR_LIVE);
    assert_int_equal(gr_config_setting(GR_SET_DEVICE_REGION)->apply, GR_LIVE);
    assert_int_equal(gr_config_setting(GR_SET_WEB_LISTEN)->apply, GR_RESTART);
    assert_int_equal(gr_config_setting(GR_SET_STORAGE_DIR)->apply, GR_RESTART);
}

/* ocr.region was renamed device.region; the old name still works everywhere. */
static void old_name_is_an_alias(void **state) {
    (void)state;
    gr_config_t *c = gr_config_new();
    char err[512];
    assert_ptr_equal(gr_config_find("ocr.region"), gr_config_setting(GR_SET_DEVICE_REGION));
    assert_int_equal(gr_config_set(c, "ocr.region", "BR", err, sizeof err), GR_OK);
    assert_string_equal(gr_config_str(c, GR_SET_DEVICE_REGION), "BR");
    const char *ini = "[ocr]\nregion = DE\n";
    assert_int_equal(gr_config_load_text(c, ini, strlen(ini), "test.conf", err, sizeof err), GR_OK);
    assert_string_equal(gr_config_str(c, GR_SET_DEVICE_REGION), "DE");
    assert_string_equal(gr_config_str_named(c, "ocr.region"), "DE");
    assert_int_equal(gr_config_set(c, "ocr.region", "Brazil", err, sizeof err), GR_ERR_RANGE);
    assert_string_equal(gr_config_str(c, GR_SET_DEVICE_REGION), "DE");
    gr_config_free(c);

    /* Saving device.region replaces the old name's line, which would
     * otherwise win on the next load. */
    char path[4200], *dir = tu_tempdir();
    snprintf(path, sizeof path, "%s/greeter.conf", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[device]\nname = desk\n\n[ocr]\nregion = BR\n", f);
    fclose(f);
    const char *names[] = {"device.region"}, *values[] = {"DE"};
    assert_int_equal(gr_config_update_file(path, names, values, 1, err, sizeof err), GR_OK);
    c = gr_config_new();
    assert_int_equal(gr_config_load_file(c, path, err, sizeof err), GR_OK);
    assert_string_equal(gr_config_str(c, GR_SET_DEVICE_REGION), "DE");
    assert_string_equal(gr_config_str(c, GR_SET_DEVICE_NAME), "desk");
    gr_config_free(c);
    tu_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_work),
        cmocka_unit_test(bad_values_name_key_value_and_range),
        cmocka_unit_test(ini_file_and_command_line),
        cmocka_unit_test(file_errors_name_line),
        cmocka_unit_test(cli_prints_defaults_and_rejects_bad_values),
        cmocka_unit_test(identifiers_name_their_rows),
        cmocka_unit_test(old_name_is_an_alias),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
