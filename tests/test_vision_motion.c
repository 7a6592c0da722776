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

static const struct CMUnitTest motion_tests[] = {
    cmocka_unit_test(patch_is_found),
};

int main(void) { return cmocka_run_group_tests_name("motion", motion_tests, NULL, NULL); }
