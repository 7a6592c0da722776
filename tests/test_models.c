/* Model manifest: missing and wrong files are clear errors naming the file. */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "firmware/core/models.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void missing_model_names_file(void **state) {
    (void)state;
    char *dir = tu_tempdir(), err[1024];
    assert_int_equal(gr_models_check(dir, 0, err, sizeof err), GR_ERR_NOTFOUND);
    assert_non_null(strstr(err, "face_recognition_model.bin"));
    assert_non_null(strstr(err, "models/fetch.sh"));
    tu_rmtree(dir);
    free(dir);
}

static void wrong_size_is_checksum_error(void **state) {
    (void)state;
    char *dir = tu_tempdir(), err[1024], path[4200];
    snprintf(path, sizeof path, "%s/face_recognition_model.bin", dir);
    assert_int_equal(tu_write(path, "not a model"), 0);
    assert_int_equal(gr_models_check(dir, 0, err, sizeof err), GR_ERR_CHECKSUM);
    assert_non_null(strstr(err, "face_recognition_model.bin"));
    assert_non_null(strstr(err, "11 bytes"));
    tu_rmtree(dir);
    free(dir);
}

static void wrong_content_same_size_fails_full_check(void **state) {
    (void)state;
    char *dir = tu_tempdir(), err[1024], path[4200];
    snprintf(path, sizeof path, "%s/face_recognition_model.bin", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 6444032 - 1, SEEK_SET), 0); /* right size, all zeros */
    fputc(0, f);
    fclose(f);
    assert_int_equal(gr_models_check(dir, 1, err, sizeof err), GR_ERR_CHECKSUM);
    assert_non_null(strstr(err, "sha256"));
    assert_non_null(strstr(err, "face_recognition_model.bin"));
    tu_rmtree(dir);
    free(dir);
}

static void sha256_known_value(void **state) {
    (void)state;
    char *dir = tu_tempdir(), path[4200], hex[65];
    snprintf(path, sizeof path, "%s/abc", dir);
    assert_int_equal(tu_write(path, "abc"), 0);
    assert_int_equal(gr_sha256_file(path, hex), GR_OK);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(gr_sha256_file("/nonexistent/x", hex), GR_ERR_NOTFOUND);
    tu_rmtree(dir);
    free(dir);
}

/* The build's fetched models folder (GREETER_MODELS_DIR), or NULL when
 * the models were not fetched in this build. */
static const char *fetched_models(void) {
    const char *dir = getenv("GREETER_MODELS_DIR");
    struct stat sb;
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/face_recognition_model.bin", dir ? dir : "");
    return dir && stat(probe, &sb) == 0 ? dir : NULL;
}

static void fetched_models_verify(void **state) {
    (void)state;
    const char *dir = fetched_models();
    if (!dir) skip();
    char err[1024], path[4200];
    assert_int_equal(gr_models_check(dir, 1, err, sizeof err), GR_OK);
    assert_int_equal(gr_models_path(dir, "shape_predictor_68", path, sizeof path), GR_OK);
    assert_non_null(strstr(path, "shape_predictor_68_face_landmarks.dat"));
    assert_int_equal(gr_models_path(dir, "no_such_model", path, sizeof path), GR_ERR_NOTFOUND);
}

/* The card reader's PP-OCR files are optional: a folder with the face
 * models and without them passes; one of them present and wrong does not. */
static void optional_models_may_be_missing(void **state) {
    (void)state;
    const char *src = fetched_models();
    if (!src) skip();
    char *dir = tu_tempdir(), err[1024], from[4200], to[4200];
    static const char *const need[] = {"face_recognition_model.bin", "face_recognition_model-weights_manifest.json",
                                       "shape_predictor_68_face_landmarks.dat"};
    for (int i = 0; i < 3; i++) {
        snprintf(from, sizeof from, "%s/%s", src, need[i]);
        snprintf(to, sizeof to, "%s/%s", dir, need[i]);
        assert_int_equal(symlink(from, to), 0);
    }
    assert_int_equal(gr_models_check(dir, 0, err, sizeof err), GR_OK);
    snprintf(to, sizeof to, "%s/ppocr_keys_v1.txt", dir);
    assert_int_equal(tu_write(to, "a\nb\n"), 0);
    assert_int_equal(gr_models_check(dir, 0, err, sizeof err), GR_ERR_CHECKSUM);
    assert_non_null(strstr(err, "ppocr_keys_v1.txt"));
    tu_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_model_names_file),
        cmocka_unit_test(wrong_size_is_checksum_error),
        cmocka_unit_test(wrong_content_same_size_fails_full_check),
        cmocka_unit_test(sha256_known_value),
        cmocka_unit_test(fetched_models_verify),
        cmocka_unit_test(optional_models_may_be_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
