// image_cv.cpp - PNG (and other) decoding through OpenCV for image.c.
extern "C" {
#include "vision/image.h"
#include "firmware/core/err.h"
}

#include <opencv2/imgcodecs.hpp>

#include <cstring>
#include <new>

extern "C" int vis_image_decode_cv(const void *buf, size_t len, vis_image_t *out) {
    out->data = nullptr;
    try {
        cv::Mat raw(1, (int)len, CV_8UC1, const_cast<void *>(buf));
        cv::Mat m = cv::imdecode(raw, cv::IMREAD_COLOR);
        if (m.empty() || m.type() != CV_8UC3) return GR_ERR_FORMAT;
        int rc = vis_image_alloc(out, m.cols, m.rows);
        if (rc != GR_OK) return rc;
        for (int y = 0; y < m.rows; y++) memcpy(out->data + (size_t)y * out->stride, m.ptr(y), (size_t)m.cols * 3);
    } catch (const std::bad_alloc &) {
        return GR_ERR_NOMEM;
    } catch (const std::exception &) {
        return GR_ERR_FORMAT;
    }
    return GR_OK;
}

#include <opencv2/imgproc.hpp>

extern "C" int vis_image_gray_resize(const vis_image_t *img, int x, int y, int w, int h, int ow, int oh,
                                     unsigned char *dst) {
    if (!img || !img->data || x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > img->w || y + h > img->h || ow <= 0 ||
        oh <= 0)
        return GR_ERR_INVAL;
    try {
        cv::Mat full(img->h, img->w, CV_8UC3, img->data, (size_t)img->stride);
        cv::Mat roi = full(cv::Rect(x, y, w, h));
        cv::Mat out(oh, ow, CV_8UC1, dst);
        if (ow == w && oh == h) {
            cv::cvtColor(roi, out, cv::COLOR_BGR2GRAY);
        } else if (ow < w) {
            // shrink in colour first (less to convert), area-average
            cv::Mat small;
            cv::resize(roi, small, cv::Size(ow, oh), 0, 0, cv::INTER_AREA);
            cv::cvtColor(small, out, cv::COLOR_BGR2GRAY);
        } else {
            cv::Mat g;
            cv::cvtColor(roi, g, cv::COLOR_BGR2GRAY);
            cv::resize(g, out, cv::Size(ow, oh), 0, 0, cv::INTER_LINEAR);
        }
    } catch (const std::exception &) {
        return GR_ERR_INVAL;
    }
    return GR_OK;
}
