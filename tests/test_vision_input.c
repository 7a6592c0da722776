/* Bad input never crashes: zero-byte, corrupt and truncated files, tiny
 * images, headers claiming 20000x20000 pixels, truncated video. */
#include "tests/testutil.h"

#include "firmware/core/err.h"
#include "vision/image.h"
#include "vision/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

static unsigned char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void write_bytes(const char *path, const void *b, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

static void good_jpeg_and_png_decode(void **state) {
    (void)state;
    char err[256];
    vis_image_t img;
    assert_int_equal(vis_image_load(tu_data("faces/frame300.jpg"), 0, &img, err, sizeof err), GR_OK);
    assert_int_equal(img.w, 640);
    assert_int_equal(img.h, 480);
    vis_image_free(&img);
    assert_int_equal(vis_image_load(tu_data("faces/face1.png"), 0, &img, err, sizeof err), GR_OK);
    assert_int_equal(img.w, 150);
    vis_image_free(&img);
    /* DCT scaling: a quarter-size decode */
    size_t len;
    unsigned char *b = read_all(tu_data("faces/frame300.jpg"), &len);
    assert_non_null(b);
    assert_int_equal(vis_image_decode(b, len, 0, 4, 1, &img, err, sizeof err), GR_OK);
    assert_int_equal(img.w, 160);
    assert_int_equal(img.h, 120);
    vis_image_free(&img);
    /* camera path: the frame buffer is reused, not reallocated */
    vis_image_t cam = {0};
    assert_int_equal(vis_image_decode_jpeg_into(b, len, 0, 2, &cam, err, sizeof err), GR_OK);
    unsigned char *first = cam.data;
    assert_int_equal(cam.w, 320);
    assert_int_equal(vis_image_decode_jpeg_into(b, len, 0, 2, &cam, err, sizeof err), GR_OK);
    assert_ptr_equal(cam.data, first);
    assert_int_equal(vis_image_decode_jpeg_into("GIF89a", 6, 0, 1, &cam, err, sizeof err), GR_ERR_FORMAT);
    vis_image_free(&cam);
    free(b);
}

static void zero_bytes_and_garbage(void **state) {
    (void)state;
    char err[256];
    vis_image_t img;
    char *dir = tu_tempdir(), path[4200];
    snprintf(path, sizeof path, "%s/empty.jpg", dir);
    write_bytes(path, "", 0);
    assert_int_equal(vis_image_load(path, 0, &img, err, sizeof err), GR_ERR_FORMAT);
    assert_non_null(strstr(err, "empty"));
    assert_null(img.data);
    assert_int_equal(vis_image_decode("hello", 5, 0, 1, 1, &img, err, sizeof err), GR_ERR_FORMAT);
    assert_non_null(strstr(err, "not a JPEG or PNG"));
    snprintf(path, sizeof path, "%s/missing.png", dir);
    assert_int_equal(vis_image_load(path, 0, &img, err, sizeof err), GR_ERR_NOTFOUND);
    tu_rmtree(dir);
    free(dir);
}

static void corrupt_and_truncated_jpeg(void **state) {
    (void)state;
    char err[256];
    vis_image_t img;
    size_t len;
    unsigned char *b = read_all(tu_data("faces/frame300.jpg"), &len);
    assert_non_null(b);
    /* truncated in the middle of the scan */
    assert_int_equal(vis_image_decode(b, len / 2, 0, 1, 1, &img, err, sizeof err), GR_ERR_FORMAT);
    assert_null(img.data);
    /* lenient (camera frames): the partial picture is fine */
    assert_int_equal(vis_image_decode(b, len / 2, 0, 1, 0, &img, err, sizeof err), GR_OK);
    vis_image_free(&img);
    /* header only */
    assert_int_equal(vis_image_decode(b, 3, 0, 1, 1, &img, err, sizeof err), GR_ERR_FORMAT);
    /* scrambled markers */
    for (size_t i = 2; i < 600 && i < len; i++) b[i] ^= 0x5A;
    int rc = vis_image_decode(b, len, 0, 1, 1, &img, err, sizeof err);
    assert_true(rc == GR_ERR_FORMAT || rc == GR_ERR_TOOBIG); /* the scrambled size may be huge */
    assert_null(img.data);
    free(b);
}

static void corrupt_png(void **state) {
    (void)state;
    char err[256];
    vis_image_t img;
    size_t len;
    unsigned char *b = read_all(tu_data("faces/face1.png"), &len);
    assert_non_null(b);
    assert_int_equal(vis_image_decode(b, 30, 0, 1, 1, &img, err, sizeof err), GR_ERR_FORMAT);
    memset(b + 100, 0, len - 100);
    assert_int_equal(vis_image_decode(b, len, 0, 1, 1, &img, err, sizeof err), GR_ERR_FORMAT);
    assert_null(img.data);
    free(b);
}

static void huge_headers_refused_before_decoding(void **state) {
    (void)state;
    char err[256];
    vis_image_t img;
    /* a PNG header claiming 20000x20000 */
    unsigned char png[64] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                             0,    0,   0x4E, 0x20, 0,  0,    0x4E, 0x20, 8, 2, 0, 0, 0};
    assert_int_equal(vis_image_decode(png, sizeof png, 0, 1, 1, &img, err, sizeof err), GR_ERR_TOOBIG);
    assert_non_null(strstr(err, "20000x20000"));
    /* a JPEG whose SOF says 20000x20000: patch a real file's frame header */
    size_t len;
    unsigned char *b = read_all(tu_data("faces/frame300.jpg"), &len);
    assert_non_null(b);
    int patched = 0;
    for (size_t i = 2; i + 9 < len; i++)
        if (b[i] == 0xFF && (b[i + 1] == 0xC0 || b[i + 1] == 0xC2)) {
            b[i + 5] = 0x4E, b[i + 6] = 0x20, b[i + 7] = 0x4E, b[i + 8] = 0x20;
            patched = 1;
            break;
        }
    assert_true(patched);
    assert_int_equal(vis_image_decode(b, len, 0, 1, 1, &img, err, sizeof err), GR_ERR_TOOBIG);
    assert_null(img.data);
    free(b);
}

/* A real 16x16 JPEG of about 1 KB whose frame header is patched to w x h. */
static unsigned char *tiny_jpeg_claiming(int w, int h, unsigned long *len) {
    unsigned char px[16 * 16 * 3], *jpg = NULL;
    for (size_t i = 0; i < sizeof px; i++) px[i] = (unsigned char)(i * 37);
    tjhandle tj = tjInitCompress();
    assert_int_equal(tjCompress2(tj, px, 16, 48, 16, TJPF_RGB, &jpg, len, TJSAMP_420, 90, 0), 0);
    tjDestroy(tj);
    int patched = 0;
    for (unsigned long i = 2; i + 9 < *len; i++)
        if (jpg[i] == 0xFF && jpg[i + 1] == 0xC0) {
            jpg[i + 5] = (unsigned char)(h >> 8), jpg[i + 6] = (unsigned char)h;
            jpg[i + 7] = (unsigned char)(w >> 8), jpg[i + 8] = (unsigned char)w;
            patched = 1;
            break;
        }
    assert_true(patched);
    return jpg;
}

/* Issue 12: a 1 KB JPEG that declares 7000x7000 (49 Mpx) is refused by the
 * default limit (vision.max_megapixels, 32), and one that declares
 * 4000x4000 (under the limit) because its bytes cannot hold the pixels:
 * neither allocates the picture. */
static void tiny_jpeg_claiming_a_big_picture(void **state) {
    (void)state;
    char err[256];
    vis_image_t img = {0};
    unsigned long len = 0;
    unsigned char *jpg = tiny_jpeg_claiming(7000, 7000, &len);
    assert_true(len < 4096);
    assert_int_equal(vis_image_decode(jpg, len, 0, 1, 1, &img, err, sizeof err), GR_ERR_TOOBIG);
    assert_non_null(strstr(err, "7000x7000"));
    assert_null(img.data);
    tjFree(jpg);
    jpg = tiny_jpeg_claiming(4000, 4000, &len);
    assert_int_equal(vis_image_decode(jpg, len, 0, 1, 0, &img, err, sizeof err), GR_ERR_FORMAT);
    assert_non_null(strstr(err, "cannot hold 4000x4000"));
    assert_null(img.data);
    assert_int_equal(vis_image_decode_jpeg_into(jpg, len, 0, 1, &img, err, sizeof err), GR_ERR_FORMAT);
    assert_null(img.data);
    tjFree(jpg);
    /* the same picture at its true size decodes */
    jpg = tiny_jpeg_claiming(16, 16, &len);
    assert_int_equal(vis_image_decode(jpg, len, 0, 1, 1, &img, err, sizeof err), GR_OK);
    assert_int_equal(img.w, 16);
    vis_image_free(&img);
    tjFree(jpg);
}

static void one_pixel_image(void **state) {
    (void)state;
    char err[256];
    unsigned char px[3] = {10, 20, 30}, *jpg = NULL;
    unsigned long jlen = 0;
    tjhandle tj = tjInitCompress();
    assert_int_equal(tjCompress2(tj, px, 1, 3, 1, TJPF_RGB, &jpg, &jlen, TJSAMP_444, 90, 0), 0);
    vis_image_t img;
    assert_int_equal(vis_image_decode(jpg, jlen, 0, 1, 1, &img, err, sizeof err), GR_OK);
    assert_int_equal(img.w, 1);
    assert_int_equal(img.h, 1);
    /* a 1x1 region is too small for the detector: the gray helper refuses bad regions */
    unsigned char g[4];
    assert_int_equal(vis_image_gray_resize(&img, 0, 0, 2, 2, 1, 1, g), GR_ERR_INVAL);
    assert_int_equal(vis_image_gray_resize(&img, 0, 0, 1, 1, 1, 1, g), GR_OK);
    vis_image_free(&img);
    tjFree(jpg);
    tjDestroy(tj);
}

static void truncated_and_fake_video(void **state) {
    (void)state;
    char err[512], path[4200];
    char *dir = tu_tempdir();
    vis_source_opts_t o = {640, 480, 15, 0, 0};
    vis_source_t *s = NULL;
    /* zero bytes */
    snprintf(path, sizeof path, "%s/empty.mp4", dir);
    write_bytes(path, "", 0);
    assert_int_equal(vis_source_open(path, &o, &s, err, sizeof err), GR_ERR_FORMAT);
    assert_null(s);
    /* text that calls itself a video */
    snprintf(path, sizeof path, "%s/fake.mp4", dir);
    write_bytes(path, "this is not a video at all\n", 27);
    int rc = vis_source_open(path, &o, &s, err, sizeof err);
    assert_int_not_equal(rc, GR_OK);
    assert_non_null(strstr(err, "fake.mp4"));
    /* the first 40 % of the demo video */
    size_t len;
    unsigned char *b = read_all(tu_data("video/visits.mp4"), &len);
    assert_non_null(b);
    snprintf(path, sizeof path, "%s/cut.mp4", dir);
    write_bytes(path, b, len * 2 / 5);
    free(b);
    rc = vis_source_open(path, &o, &s, err, sizeof err);
    if (rc == GR_OK) {
        /* it may open (index first): then it ends early, without a crash */
        vis_image_t f = {0};
        double t;
        long idx, n = 0;
        while ((rc = vis_source_read(s, &f, &t, &idx, err, sizeof err)) == GR_OK || rc == GR_ERR_FORMAT) n++;
        assert_int_equal(rc, GR_ERR_STOPPED);
        assert_true(n < 1347);
        vis_image_free(&f);
        vis_source_close(s);
    } else {
        assert_int_equal(rc, GR_ERR_FORMAT);
    }
    /* a character device that is no camera */
    assert_int_equal(vis_source_open("/dev/null", &o, &s, err, sizeof err), GR_ERR_UNSUPPORTED);
    assert_non_null(strstr(err, "/dev/null"));
    /* missing file and an empty folder */
    snprintf(path, sizeof path, "%s/nope.mp4", dir);
    assert_int_equal(vis_source_open(path, &o, &s, err, sizeof err), GR_ERR_NOTFOUND);
    assert_int_equal(vis_source_open(dir, &o, &s, err, sizeof err), GR_ERR_EMPTY);
    tu_rmtree(dir);
    free(dir);
}

static void folder_source_skips_bad_images(void **state) {
    (void)state;
    char err[512], path[4200];
    char *dir = tu_tempdir();
    size_t len;
    unsigned char *b = read_all(tu_data("faces/frame300.jpg"), &len);
    snprintf(path, sizeof path, "%s/a.jpg", dir);
    write_bytes(path, b, len);
    snprintf(path, sizeof path, "%s/b.jpg", dir);
    write_bytes(path, b, len / 3); /* truncated */
    snprintf(path, sizeof path, "%s/c.png", dir);
    write_bytes(path, "", 0);
    free(b);
    vis_source_opts_t o = {640, 480, 15, 0, 0};
    vis_source_t *s;
    assert_int_equal(vis_source_open(dir, &o, &s, err, sizeof err), GR_OK);
    vis_image_t f = {0};
    double t;
    long idx;
    assert_int_equal(vis_source_read(s, &f, &t, &idx, err, sizeof err), GR_OK);
    assert_int_equal(f.w, 640);
    assert_int_equal(vis_source_read(s, &f, &t, &idx, err, sizeof err), GR_ERR_FORMAT);
    assert_int_equal(vis_source_read(s, &f, &t, &idx, err, sizeof err), GR_ERR_FORMAT);
    assert_int_equal(vis_source_read(s, &f, &t, &idx, err, sizeof err), GR_ERR_STOPPED);
    vis_image_free(&f);
    vis_source_close(s);
    tu_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_jpeg_and_png_decode),
        cmocka_unit_test(zero_bytes_and_garbage),
        cmocka_unit_test(corrupt_and_truncated_jpeg),
        cmocka_unit_test(corrupt_png),
        cmocka_unit_test(huge_headers_refused_before_decoding),
        cmocka_unit_test(one_pixel_image),
        cmocka_unit_test(tiny_jpeg_claiming_a_big_picture),
        cmocka_unit_test(truncated_and_fake_video),
        cmocka_unit_test(folder_source_skips_bad_images),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
