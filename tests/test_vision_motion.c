/* Motion: nothing on the first frame or on a still scene; a patch that
 * changes is found, with its region around it (inside the frame); noise
 * below the threshold and a single changed cell are not motion. */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "vision/motion.h"

#include <string.h>

static void fill(vis_image_t *img, unsigned char v) {
    for (int y = 0; y < img->h; y++) memset(img->data + (size_t)y * (size_t)img->stride, v, (size_t)img->w * 3);
}

static void patch(vis_image_t *img, int x, int y, int w, int h, unsigned char v) {
    for (int r = y; r < y + h; r++) memset(img->data + (size_t)r * (size_t)img->stride + (size_t)x * 3, v, (size_t)w * 3);
}

static void patch_is_found(void **state) {
    (void)state;
    vis_image_t img;
    assert_int_equal(vis_image_alloc(&img, 320, 240), GR_OK);
    vis_motion_t *m = vis_motion_new();
    assert_non_null(m);
    int r[4];
    fill(&img, 100);
    assert_int_equal(vis_motion_detect(m, &img, r), 0); /* first frame */
    assert_int_equal(vis_motion_detect(m, &img, r), 0); /* still */
    patch(&img, 160, 80, 40, 48, 200);
    assert_int_equal(vis_motion_detect(m, &img, r), 1);
    /* the region holds the patch, with a margin, inside the frame */
    assert_true(r[0] <= 160 && r[1] <= 80 && r[0] + r[2] >= 200 && r[1] + r[3] >= 128);
    assert_true(r[0] >= 0 && r[1] >= 0 && r[0] + r[2] <= 320 && r[1] + r[3] <= 240);
    assert_true(r[2] < 160 && r[3] < 160);
    assert_int_equal(vis_motion_detect(m, &img, r), 0); /* it stays: still again */
    /* small changes (below the threshold) and one changed cell are no motion */
    fill(&img, 110);
    patch(&img, 160, 80, 40, 48, 210);
    assert_int_equal(vis_motion_detect(m, &img, r), 0);
    patch(&img, 8, 8, 8, 8, 250);
    assert_int_equal(vis_motion_detect(m, &img, r), 0);
    /* a new frame size starts over */
    vis_image_t big;
    assert_int_equal(vis_image_alloc(&big, 640, 480), GR_OK);
    fill(&big, 0);
    assert_int_equal(vis_motion_detect(m, &big, r), 0);
    vis_image_free(&big);
    vis_motion_free(m);
    vis_image_free(&img);
}

/* Lobby light: an exposure step of the whole picture (textured, so every
 * cell changes by a different amount) is not motion, and a person arriving
 * during the step still is; a change of most of the picture (a shake) is
 * left to the steady whole-frame search. */
static void exposure_step_is_not_motion(void **state) {
    (void)state;
    vis_image_t img;
    assert_int_equal(vis_image_alloc(&img, 320, 240), GR_OK);
    vis_motion_t *m = vis_motion_new();
    assert_non_null(m);
    int r[4];
    for (int gain = 0; gain < 3; gain++) {
        int g100 = gain == 0 ? 100 : gain == 1 ? 130 : 80;  /* 100 %, +30 %, -20 % */
        for (int y = 0; y < img.h; y++)
            for (int x = 0; x < img.w; x++) {
                int v = 60 + (x * 7 + y * 3) % 100;
                unsigned char *p = img.data + (size_t)y * (size_t)img.stride + (size_t)x * 3;
                p[0] = p[1] = p[2] = (unsigned char)(v * g100 / 100);
            }
        if (gain == 2) patch(&img, 40, 40, 48, 48, 250); /* someone arrives as the light drops */
        int moved = vis_motion_detect(m, &img, r);
        if (gain < 2) assert_int_equal(moved, 0);
        else {
            assert_int_equal(moved, 1);
            assert_true(r[0] <= 40 && r[1] <= 40 && r[0] + r[2] >= 88 && r[1] + r[3] >= 88);
            assert_true(r[2] < 160 && r[3] < 160);
        }
    }
    /* everything changes (a shake of a busy picture): no region to search */
    for (int y = 0; y < img.h; y++)
        for (int x = 0; x < img.w; x++) {
            unsigned char *p = img.data + (size_t)y * (size_t)img.stride + (size_t)x * 3;
            p[0] = p[1] = p[2] = (unsigned char)(((x / 8 + y / 8) & 1) ? 220 : 30);
        }
    assert_int_equal(vis_motion_detect(m, &img, r), 0);
    vis_motion_free(m);
    vis_image_free(&img);
}

static const struct CMUnitTest motion_tests[] = {
    cmocka_unit_test(patch_is_found),
    cmocka_unit_test(exposure_step_is_not_motion),
};

int main(void) { return cmocka_run_group_tests_name("motion", motion_tests, NULL, NULL); }
