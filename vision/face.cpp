// face.cpp - dlib HOG detector, 68-point shape predictor and face chips
// behind the C interface of face.h. No logging here (log.h is C only).
extern "C" {
#include "vision/face.h"
#include "vision/facenet.h"
#include "firmware/core/err.h"
}

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <new>

// A non-owning view of a caller's 8-bit image for dlib's generic image API
// (the accessors live in the view's namespace, found by argument lookup).
namespace visimg {
template <typename PIX> struct view {
    const unsigned char *data;
    long w, h, stride;
};
template <typename PIX> inline long num_rows(const view<PIX> &v) { return v.h; }
template <typename PIX> inline long num_columns(const view<PIX> &v) { return v.w; }
template <typename PIX> inline long width_step(const view<PIX> &v) { return v.stride; }
template <typename PIX> inline const void *image_data(const view<PIX> &v) { return v.data; }
template <typename PIX> inline void *image_data(view<PIX> &v) { return const_cast<unsigned char *>(v.data); }
}  // namespace visimg
using visimg::view;

namespace dlib {
template <typename PIX> struct image_traits<visimg::view<PIX>> { typedef PIX pixel_type; };
}  // namespace dlib

struct vis_facemod {
    dlib::frontal_face_detector det;
    dlib::shape_predictor sp;
};

extern "C" int vis_facemod_open(const char *shape_path, vis_facemod_t **out, char *err, size_t errlen) {
    *out = nullptr;
    std::ifstream in(shape_path, std::ios::binary);
    if (!in) {
        snprintf(err, errlen, "%s: %s", shape_path, strerror(errno));
        return errno == ENOENT ? GR_ERR_NOTFOUND : GR_ERR_IO;
    }
    vis_facemod *m = nullptr;
    try {
        m = new vis_facemod();
        m->det = dlib::get_frontal_face_detector();
        dlib::deserialize(m->sp, in);
        if (m->sp.num_parts() != VIS_LANDMARKS) {
            snprintf(err, errlen, "%s: %lu landmarks, expected %d", shape_path, m->sp.num_parts(), VIS_LANDMARKS);
            delete m;
            return GR_ERR_FORMAT;
        }
    } catch (const std::bad_alloc &) {
        snprintf(err, errlen, "%s: out of memory", shape_path);
        delete m;
        return GR_ERR_NOMEM;
    } catch (const std::exception &e) {
        snprintf(err, errlen, "%s: not a dlib shape predictor (%.100s)", shape_path, e.what());
        delete m;
        return GR_ERR_FORMAT;
    }
    *out = m;
    return GR_OK;
}

extern "C" void vis_facemod_close(vis_facemod_t *m) { delete m; }

extern "C" int vis_face_detect(vis_facemod_t *m, const unsigned char *gray, int w, int h, int stride, int upsample,
                               vis_box_t *boxes, int max) {
    if (!m || !gray || w <= 0 || h <= 0 || stride < w || max < 0 || upsample < 0 || upsample > 2)
        return GR_ERR_INVAL;
    try {
        std::vector<dlib::rect_detection> dets;
        double scale = 1.0;
        if (upsample == 0) {
            view<unsigned char> v{gray, w, h, stride};
            m->det(v, dets, 0.0);
        } else {
            dlib::array2d<unsigned char> up;
            view<unsigned char> v{gray, w, h, stride};
            dlib::assign_image(up, v);
            for (int i = 0; i < upsample; i++) {
                dlib::pyramid_up(up);
                scale *= 2.0;
            }
            m->det(up, dets, 0.0);
        }
        std::sort(dets.begin(), dets.end(),
                  [](const dlib::rect_detection &a, const dlib::rect_detection &b) {
                      return a.detection_confidence > b.detection_confidence;
                  });
        int n = 0;
        for (const auto &d : dets) {
            if (n >= max) break;
            boxes[n].x = (float)(d.rect.left() / scale);
            boxes[n].y = (float)(d.rect.top() / scale);
            boxes[n].w = (float)(d.rect.width() / scale);
            boxes[n].h = (float)(d.rect.height() / scale);
            boxes[n].score = (float)d.detection_confidence;
            n++;
        }
        return n;
    } catch (const std::bad_alloc &) {
        return GR_ERR_NOMEM;
    } catch (const std::exception &) {
        return GR_ERR_INVAL;
    }
}

extern "C" int vis_face_landmarks(vis_facemod_t *m, const unsigned char *gray, int w, int h, int stride,
                                  const vis_box_t *box, float pts[2 * VIS_LANDMARKS]) {
    if (!m || !gray || !box || w <= 0 || h <= 0 || stride < w || !(box->w > 0) || !(box->h > 0))
        return GR_ERR_INVAL;
    try {
        view<unsigned char> v{gray, w, h, stride};
        dlib::rectangle r((long)std::lround(box->x), (long)std::lround(box->y),
                          (long)std::lround(box->x + box->w) - 1, (long)std::lround(box->y + box->h) - 1);
        dlib::full_object_detection s = m->sp(v, r);
        for (unsigned long i = 0; i < VIS_LANDMARKS; i++) {
            pts[2 * i] = (float)s.part(i).x();
            pts[2 * i + 1] = (float)s.part(i).y();
        }
    } catch (const std::bad_alloc &) {
        return GR_ERR_NOMEM;
    } catch (const std::exception &) {
        return GR_ERR_INVAL;
    }
    return GR_OK;
}

extern "C" int vis_face_chip(const unsigned char *bgr, int w, int h, int stride, const float pts[2 * VIS_LANDMARKS],
                             unsigned char *chip) {
    if (!bgr || !pts || !chip || w <= 0 || h <= 0 || stride < 3 * w) return GR_ERR_INVAL;
    try {
        std::vector<dlib::point> parts(VIS_LANDMARKS);
        long minx = LONG_MAX, miny = LONG_MAX, maxx = LONG_MIN, maxy = LONG_MIN;
        for (int i = 0; i < VIS_LANDMARKS; i++) {
            if (!std::isfinite(pts[2 * i]) || !std::isfinite(pts[2 * i + 1])) return GR_ERR_INVAL;
            parts[(size_t)i] = dlib::point((long)std::lround(pts[2 * i]), (long)std::lround(pts[2 * i + 1]));
            minx = std::min(minx, parts[(size_t)i].x());
            maxx = std::max(maxx, parts[(size_t)i].x());
            miny = std::min(miny, parts[(size_t)i].y());
            maxy = std::max(maxy, parts[(size_t)i].y());
        }
        dlib::full_object_detection s(dlib::rectangle(minx, miny, maxx, maxy), parts);
        view<dlib::bgr_pixel> v{bgr, w, h, stride};
        dlib::matrix<dlib::rgb_pixel> out;
        dlib::extract_image_chip(v, dlib::get_face_chip_details(s, VIS_CHIP_SIZE, 0.25), out);
        memcpy(chip, &out(0, 0), (size_t)VIS_CHIP_SIZE * VIS_CHIP_SIZE * 3);
    } catch (const std::bad_alloc &) {
        return GR_ERR_NOMEM;
    } catch (const std::exception &) {
        return GR_ERR_INVAL;
    }
    return GR_OK;
}

extern "C" void vis_face_quality(float box_w, const float pts[2 * VIS_LANDMARKS], const unsigned char *chip,
                                 vis_quality_t *q) {
    q->size = box_w;
    // Yaw: where the nose tip (30) sits between the outer eye corners (36, 45).
    float lx = pts[2 * 36], rx = pts[2 * 45], nx = pts[2 * 30];
    float span = rx - lx;
    float yaw = 1.0f;
    if (span > 1.0f) {
        float r = (nx - lx) / span;
        yaw = std::fabs(r - 0.5f) * 2.0f;
        if (yaw > 1.0f) yaw = 1.0f;
    }
    q->yaw = yaw;
    // Sharpness: variance of the 4-neighbour Laplacian on the chip's centre.
    const int n = VIS_CHIP_SIZE, m0 = 30, m1 = VIS_CHIP_SIZE - 30;
    double s = 0, s2 = 0;
    long cnt = 0;
    auto g = [&](int y, int x) {
        const unsigned char *p = chip + ((size_t)y * n + (size_t)x) * 3;
        return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    };
    for (int y = m0; y < m1; y++)
        for (int x = m0; x < m1; x++) {
            double l = g(y - 1, x) + g(y + 1, x) + g(y, x - 1) + g(y, x + 1) - 4 * g(y, x);
            s += l;
            s2 += l * l;
            cnt++;
        }
    double mean = s / (double)cnt;
    q->sharpness = (float)(s2 / (double)cnt - mean * mean);
    float fs = std::min(1.0f, box_w / 150.0f);
    float fb = (float)std::min(1.0, q->sharpness / 100.0);
    q->score = fs * fb * (1.0f - yaw);
}
