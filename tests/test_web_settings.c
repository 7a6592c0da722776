/* Saving settings from the web Settings page (firmware/core/config.h):
 * gr_config_update_file keeps the rest of the file and what it writes loads
 * back; gr_config_from_args finds the file to save to, and reads
 * <storage.dir>/greeter.conf when there is no config file. The HTTP side
 * (PATCH /api/v1/settings, live settings, restart) is in test_web_admin.py. */
#include "tests/testutil.h"

#include "firmware/core/config.h"
#include "firmware/core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *slurp(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    return text;
}

static void update_keeps_the_rest_and_loads_back(void **state) {
    (void)state;
    char *dir = tu_tempdir();
    char path[4200], err[512] = "";
    snprintf(path, sizeof path, "%s/greeter.conf", dir);
    /* The packaged form: every setting commented out, plus a hand-made line. */
    assert_int_equal(tu_write(path, "# my board\n[camera]\n# Requested rate -- integer (1..60)\n#fps = 15\n"
                                    "source = none\n\n[web]\n; a comment\ngreeting = generic\n"
                                    "web.session_hours = 5\n"),
                     0);
    chmod(path, 0640);
    const char *names[] = {"camera.fps", "web.greeting", "web.session_hours", "notify.from", "sync.carddav_password"};
    const char *values[] = {"30", "first_name", "24", "desk \"A\" # 1 <desk@example.com>", "pa ss=word;#"};
    assert_int_equal(gr_config_update_file(path, names, values, 5, err, sizeof err), GR_OK);
    const char *t = slurp(path);
    assert_non_null(t);
    /* Comments and untouched lines stay, in order. */
    assert_non_null(strstr(t, "# my board\n[camera]\n# Requested rate -- integer (1..60)\n#fps = 15\nfps = \"30\"\n"
                              "source = none\n"));
    assert_non_null(strstr(t, "; a comment\ngreeting = \"first_name\"\n"));
    assert_non_null(strstr(t, "web.session_hours = \"24\"\n")); /* the dotted form is kept */
    assert_null(strstr(t, "greeting = generic"));
    assert_non_null(strstr(t, "\n[notify]\nfrom = "));
    assert_non_null(strstr(t, "\n[sync]\ncarddav_password = "));
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0640); /* an existing file keeps its mode */
    char tmp[4300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_int_not_equal(access(tmp, F_OK), 0);
    /* Loaded back, every value is what was saved. */
    gr_config_t *c = gr_config_new();
    assert_int_equal(gr_config_load_file(c, path, err, sizeof err), GR_OK);
    assert_int_equal(gr_config_int(c, GR_SET_CAMERA_FPS), 30);
    assert_string_equal(gr_config_str(c, GR_SET_CAMERA_SOURCE), "none");
    assert_string_equal(gr_config_str(c, GR_SET_WEB_GREETING), "first_name");
    assert_int_equal(gr_config_int(c, GR_SET_WEB_SESSION_HOURS), 24);
    assert_string_equal(gr_config_str(c, GR_SET_NOTIFY_FROM), values[3]);
    assert_string_equal(gr_config_str(c, GR_SET_SYNC_CARDDAV_PASSWORD), values[4]);
    gr_config_free(c);
    /* A second save of the same key replaces it again; nothing piles up. */
    const char *n2[] = {"camera.fps"}, *v2[] = {"12"};
    assert_int_equal(gr_config_update_file(path, n2, v2, 1, err, sizeof err), GR_OK);
    t = slurp(path);
    assert_non_null(strstr(t, "fps = \"12\""));
    assert_null(strstr(t, "fps = \"30\""));
    tu_rmtree(dir);
    free(dir);
}

static void a_new_file_is_private_and_errors_are_named(void **state) {
    (void)state;
    char *dir = tu_tempdir();
    char path[4200], err[512] = "";
    snprintf(path, sizeof path, "%s/new.conf", dir);
    const char *names[] = {"sync.bitrix24_url"}, *values[] = {"https://x.example/rest/1/secret/"};
    assert_int_equal(gr_config_update_file(path, names, values, 1, err, sizeof err), GR_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600); /* it may hold secrets */
    gr_config_t *c = gr_config_new();
    assert_int_equal(gr_config_load_file(c, path, err, sizeof err), GR_OK);
    assert_string_equal(gr_config_str(c, GR_SET_SYNC_BITRIX24_URL), values[0]);
    gr_config_free(c);

    const char *bad[] = {"no.such"};
    assert_int_equal(gr_config_update_file(path, bad, values, 1, err, sizeof err), GR_ERR_NOTFOUND);
    assert_non_null(strstr(err, "no.such"));
    const char *nl[] = {"device.name"}, *nlv[] = {"a\nfps = 1"};
    assert_int_equal(gr_config_update_file(path, nl, nlv, 1, err, sizeof err), GR_ERR_INVAL);
    assert_non_null(strstr(err, "device.name"));
    char missing[4300];
    snprintf(missing, sizeof missing, "%s/no/such/dir/g.conf", dir);
    assert_int_equal(gr_config_update_file(missing, names, values, 1, err, sizeof err), GR_ERR_IO);
    assert_non_null(strstr(err, "/no/such/dir/g.conf"));
    tu_rmtree(dir);
    free(dir);
}

static void from_args_names_the_file_to_save_to(void **state) {
    (void)state;
    char *dir = tu_tempdir();
    char conf[4200], sd[4300], err[512] = "";
    snprintf(conf, sizeof conf, "%s/explicit.conf", dir);
    assert_int_equal(tu_write(conf, "[camera]\nfps = 7\n"), 0);
    /* A state-folder file (the Settings page's changes) is read above it. */
    snprintf(sd, sizeof sd, "%s/greeter.conf", dir);
    assert_int_equal(tu_write(sd, "[camera]\nfps = 9\n[web]\ngreeting = generic\n"), 0);
    assert_int_equal(tu_write(conf, "[camera]\nfps = 7\nsource = none\n"), 0);
    char a0[] = "p", a1[4300], a2[4300];
    snprintf(a1, sizeof a1, "--config=%s", conf);
    snprintf(a2, sizeof a2, "--storage.dir=%s", dir);
    char *argv[] = {a0, a1, a2, NULL};
    int argc = 3;
    gr_config_t *c = NULL;
    assert_int_equal(gr_config_from_args(&c, &argc, argv, err, sizeof err), GR_OK);
    assert_string_equal(gr_config_file(c), sd);
    assert_int_equal(gr_config_int(c, GR_SET_CAMERA_FPS), 9);
    assert_string_equal(gr_config_str(c, GR_SET_WEB_GREETING), "generic");
    assert_string_equal(gr_config_str(c, GR_SET_CAMERA_SOURCE), "none"); /* from the --config file */
    gr_config_free(c);
    assert_null(gr_config_file(NULL));
    tu_rmtree(dir);
    free(dir);
}

static void without_a_config_file_the_state_folder_file_is_used(void **state) {
    (void)state;
    if (access(GR_CONFIG_DEFAULT_FILE, F_OK) == 0) skip(); /* this machine has a default config file */
    char *dir = tu_tempdir();
    char sd[4300], err[512] = "";
    snprintf(sd, sizeof sd, "%s/%s", dir, GR_CONFIG_STATE_FILE);
    char a0[] = "p", a1[4300], a2[] = "--camera.source=none", a3[] = "rest";
    snprintf(a1, sizeof a1, "--storage.dir=%s", dir);
    /* None yet: defaults, and the file to save to is in the state folder. */
    char *argv[] = {a0, a1, a2, a3, NULL};
    int argc = 4;
    gr_config_t *c = NULL;
    assert_int_equal(gr_config_from_args(&c, &argc, argv, err, sizeof err), GR_OK);
    assert_string_equal(gr_config_file(c), sd);
    assert_int_equal(argc, 2);
    gr_config_free(c);
    /* Saved settings are read at the next start, below the command line. */
    const char *names[] = {"camera.fps", "camera.source", "web.greeting"};
    const char *values[] = {"20", "/dev/video9", "generic"};
    assert_int_equal(gr_config_update_file(sd, names, values, 3, err, sizeof err), GR_OK);
    char *argv2[] = {a0, a1, a2, NULL};
    argc = 3;
    assert_int_equal(gr_config_from_args(&c, &argc, argv2, err, sizeof err), GR_OK);
    assert_int_equal(gr_config_int(c, GR_SET_CAMERA_FPS), 20);
    assert_string_equal(gr_config_str(c, GR_SET_WEB_GREETING), "generic");
    assert_string_equal(gr_config_str(c, GR_SET_CAMERA_SOURCE), "none"); /* the command line wins */
    assert_string_equal(gr_config_str(c, GR_SET_STORAGE_DIR), dir);
    gr_config_free(c);
    /* A bad value in it stops the start, naming the file, line and key. */
    assert_int_equal(tu_write(sd, "[camera]\nfps = 500\n"), 0);
    char *argv3[] = {a0, a1, NULL};
    argc = 2;
    c = NULL;
    assert_int_equal(gr_config_from_args(&c, &argc, argv3, err, sizeof err), GR_ERR_RANGE);
    assert_null(c);
    assert_non_null(strstr(err, sd));
    assert_non_null(strstr(err, "camera.fps"));
    assert_non_null(strstr(err, "1..60"));
    tu_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(update_keeps_the_rest_and_loads_back),
        cmocka_unit_test(a_new_file_is_private_and_errors_are_named),
        cmocka_unit_test(from_args_names_the_file_to_save_to),
        cmocka_unit_test(without_a_config_file_the_state_folder_file_is_used),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
