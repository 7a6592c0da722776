/* The face models on shipped images: golden descriptors (face-api.js's own
 * reference values), detection box and landmarks on a demo-video frame, the
 * same person across photo and video, and broken model files. Skips (77)
 * when the models are not fetched. */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "firmware/core/models.h"
#include "vision/face.h"
#include "vision/facemodels.h"
#include "vision/facenet.h"
#include "vision/image.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static vis_facemod_t *fm;
static vis_net_t *net;

static const char *models_dir(void) {
    const char *d = getenv("GREETER_MODELS_DIR");
    return d && *d ? d : "models/data";
}

static int setup(void **state) {
    (void)state;
    char err[1024];
    if (vis_facemodels_open(models_dir(), &fm, &net, err, sizeof err) != GR_OK) {
        fprintf(stderr, "skipped: face models not available (%s); run models/fetch.sh\n", err);
        exit(77);
    }
    return 0;
}

static int teardown(void **state) {
    (void)state;
    vis_facemod_close(fm);
    vis_net_close(net);
    return 0;
}

static void load_chip(const char *rel, unsigned char *chip) {
    char err[256];
    vis_image_t img;
    assert_int_equal(vis_image_load(tu_data(rel), 0, &img, err, sizeof err), GR_OK);
    assert_int_equal(img.w, VIS_CHIP_SIZE);
    assert_int_equal(img.h, VIS_CHIP_SIZE);
    for (int i = 0; i < VIS_CHIP_SIZE * VIS_CHIP_SIZE; i++) {
        chip[3 * i] = img.data[3 * i + 2];
        chip[3 * i + 1] = img.data[3 * i + 1];
        chip[3 * i + 2] = img.data[3 * i];
    }
    vis_image_free(&img);
}

static void golden_descriptors(void **state) {
    (void)state;
    static const char *names[2] = {"face1", "face2"};
    static unsigned char chips[2 * VIS_CHIP_SIZE * VIS_CHIP_SIZE * 3];
    float got[2 * FMT_DESC_DIM];
    for (int k = 0; k < 2; k++) {
        char rel[64];
        snprintf(rel, sizeof rel, "faces/%s.png", names[k]);
        load_chip(rel, chips + (size_t)k * VIS_CHIP_SIZE * VIS_CHIP_SIZE * 3);
    }
    /* both in one batch */
    assert_int_equal(vis_net_embed(net, chips, 2, got), GR_OK);
    for (int k = 0; k < 2; k++) {
        char rel[64];
        snprintf(rel, sizeof rel, "faces/%s.descriptor.json", names[k]);
        json_error_t je;
        json_t *j = json_load_file(tu_data(rel), 0, &je);
        assert_non_null(j);
        assert_int_equal(json_array_size(j), FMT_DESC_DIM);
        float ref[FMT_DESC_DIM];
        for (int i = 0; i < FMT_DESC_DIM; i++) ref[i] = (float)json_number_value(json_array_get(j, (size_t)i));
        json_decref(j);
        float d = vis_desc_distance(got + k * FMT_DESC_DIM, ref);
        fprintf(stderr, "%s: distance to reference %.4f\n", names[k], (double)d);
        assert_true(d < 0.1f);
    }
    /* two different people */
    assert_true(vis_desc_distance(got, got + FMT_DESC_DIM) > 0.6f);
}

static void frame_detection_landmarks_identity(void **state) {
    (void)state;
    char err[256];
    vis_image_t img;
    assert_int_equal(vis_image_load(tu_data("faces/frame300.jpg"), 0, &img, err, sizeof err), GR_OK);
    vis_box_t box[4];
    float desc[4 * FMT_DESC_DIM];
    vis_quality_t q[4];
    int n = vis_facemodels_find(fm, net, &img, 0, box, desc, q, 4);
    assert_int_equal(n, 1);
    /* golden box (dlib HOG on this frame): [352, 90, 216, 216] */
    assert_true(abs((int)box[0].x - 352) <= 8 && abs((int)box[0].y - 90) <= 8);
    assert_true(abs((int)box[0].w - 216) <= 12);
    assert_true(q[0].yaw < 0.3f && q[0].sharpness > 15);
    /* landmarks: eyes above the nose tip above the mouth, all near the box */
    unsigned char *gray = malloc((size_t)img.w * img.h);
    assert_int_equal(vis_image_gray_resize(&img, 0, 0, img.w, img.h, img.w, img.h, gray), GR_OK);
    float p[2 * VIS_LANDMARKS];
    assert_int_equal(vis_face_landmarks(fm, gray, img.w, img.h, img.w, &box[0], p), GR_OK);
    free(gray);
    for (int i = 0; i < VIS_LANDMARKS; i++) {
        assert_true(p[2 * i] > box[0].x - 20 && p[2 * i] < box[0].x + box[0].w + 20);
        assert_true(p[2 * i + 1] > box[0].y - 40 && p[2 * i + 1] < box[0].y + box[0].h + 20);
    }
    float eye_y = (p[2 * 36 + 1] + p[2 * 45 + 1]) / 2, nose_y = p[2 * 30 + 1], mouth_y = (p[2 * 48 + 1] + p[2 * 54 + 1]) / 2;
    assert_true(eye_y < nose_y && nose_y < mouth_y);
    assert_true(p[2 * 36] < p[2 * 30] && p[2 * 30] < p[2 * 45]); /* nose between the eyes' corners */
    /* the face in the video frame is howard (photo howard4.png), not leonard */
    static unsigned char chip[VIS_CHIP_SIZE * VIS_CHIP_SIZE * 3];
    float ref[FMT_DESC_DIM];
    load_chip("faces/howard4.png", chip);
    assert_int_equal(vis_net_embed(net, chip, 1, ref), GR_OK);
    float same = vis_desc_distance(desc, ref);
    load_chip("faces/leonard3.png", chip);
    assert_int_equal(vis_net_embed(net, chip, 1, ref), GR_OK);
    float other = vis_desc_distance(desc, ref);
    fprintf(stderr, "frame face vs howard %.3f, vs leonard %.3f\n", (double)same, (double)other);
    assert_true(same < 0.4f);
    assert_true(other > 0.6f);
    vis_image_free(&img);
}

static void tiny_images_have_no_faces(void **state) {
    (void)state;
    vis_image_t img;
    assert_int_equal(vis_image_alloc(&img, 1, 1), GR_OK);
    memset(img.data, 128, 3);
    vis_box_t box[2];
    float desc[2 * FMT_DESC_DIM];
    vis_quality_t q[2];
    assert_int_equal(vis_facemodels_find(fm, net, &img, 0, box, desc, q, 2), 0);
    assert_int_equal(vis_facemodels_find(fm, net, &img, 1, box, desc, q, 2), 0);
    vis_image_free(&img);
    /* bad arguments are errors, not crashes */
    unsigned char g[4] = {0};
    assert_int_equal(vis_face_detect(fm, g, 0, 0, 0, 0, box, 2), GR_ERR_INVAL);
    assert_int_equal(vis_net_embed(net, NULL, 1, desc), GR_ERR_INVAL);
}

static void broken_model_files(void **state) {
    (void)state;
    char *dir = tu_tempdir(), bin[4200], man[4200], err[1024], real_man[4200];
    vis_net_t *n = NULL;
    assert_int_equal(gr_models_path(models_dir(), "face_recognition_manifest", real_man, sizeof real_man), GR_OK);
    snprintf(bin, sizeof bin, "%s/w.bin", dir);
    snprintf(man, sizeof man, "%s/m.json", dir);
    /* missing */
    assert_int_equal(vis_net_open(bin, real_man, &n, err, sizeof err), GR_ERR_NOTFOUND);
    assert_null(n);
    /* weights far too short for the manifest */
    assert_int_equal(tu_write(bin, "0123456789"), 0);
    assert_int_equal(vis_net_open(bin, real_man, &n, err, sizeof err), GR_ERR_FORMAT);
    assert_non_null(strstr(err, "ends inside"));
    /* manifest not JSON */
    assert_int_equal(tu_write(man, "{not json"), 0);
    assert_int_equal(vis_net_open(bin, man, &n, err, sizeof err), GR_ERR_FORMAT);
    /* valid JSON, wrong network */
    assert_int_equal(tu_write(man, "[{\"paths\":[\"w.bin\"],\"weights\":[{\"name\":\"x\",\"shape\":[2],\"dtype\":\"float32\"}]}]"), 0);
    assert_int_equal(tu_write(bin, "01234567"), 0);
    assert_int_equal(vis_net_open(bin, man, &n, err, sizeof err), GR_ERR_FORMAT);
    assert_null(n);
    /* a shape predictor that is not one */
    vis_facemod_t *m = NULL;
    assert_int_equal(vis_facemod_open(bin, &m, err, sizeof err), GR_ERR_FORMAT);
    assert_null(m);
    tu_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_descriptors),
        cmocka_unit_test(frame_detection_landmarks_identity),
        cmocka_unit_test(tiny_images_have_no_faces),
        cmocka_unit_test(broken_model_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
