// source_cv.cpp - video files and network streams through OpenCV's VideoCapture.
extern "C" {
#include "vision/source.h"
#include "firmware/core/err.h"
}

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/videoio.hpp>

#include <cstring>
#include <new>

struct vis_cvsrc {
    cv::VideoCapture cap;
    cv::Mat m;
};

extern "C" int vis_cvsrc_open(const char *spec, int width, int height, vis_cvsrc_t **out, double *fps) {
    *out = nullptr;
    *fps = 0;
    vis_cvsrc *c = nullptr;
    try {
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
        c = new vis_cvsrc();
        if (!c->cap.open(spec, cv::CAP_FFMPEG)) {
            delete c;
            return GR_ERR_NOTFOUND;
        }
        if (width > 0) c->cap.set(cv::CAP_PROP_FRAME_WIDTH, width);
        if (height > 0) c->cap.set(cv::CAP_PROP_FRAME_HEIGHT, height);
        *fps = c->cap.get(cv::CAP_PROP_FPS);
        if (!(*fps > 0 && *fps < 1000)) *fps = 0;
    } catch (const std::bad_alloc &) {
        delete c;
        return GR_ERR_NOMEM;
    } catch (const std::exception &) {
        delete c;
        return GR_ERR_FORMAT;
    }
    *out = c;
    return GR_OK;
}

extern "C" int vis_cvsrc_read(vis_cvsrc_t *c, vis_image_t *frame, double *pos_s) {
    try {
        if (!c->cap.read(c->m) || c->m.empty()) return GR_ERR_STOPPED;
        if (c->m.type() != CV_8UC3) return GR_ERR_FORMAT;
        *pos_s = c->cap.get(cv::CAP_PROP_POS_MSEC) / 1000.0;
        if (frame->w != c->m.cols || frame->h != c->m.rows || !frame->data) {
            vis_image_free(frame);
            int rc = vis_image_alloc(frame, c->m.cols, c->m.rows);
            if (rc != GR_OK) return rc;
        }
        for (int y = 0; y < c->m.rows; y++)
            memcpy(frame->data + (size_t)y * (size_t)frame->stride, c->m.ptr(y), (size_t)c->m.cols * 3);
    } catch (const std::bad_alloc &) {
        return GR_ERR_NOMEM;
    } catch (const std::exception &) {
        return GR_ERR_STOPPED;
    }
    return GR_OK;
}

extern "C" int vis_cvsrc_rewind(vis_cvsrc_t *c) {
    try {
        if (c->cap.set(cv::CAP_PROP_POS_FRAMES, 0)) return GR_OK;
    } catch (const std::exception &) {
    }
    return GR_ERR_IO;
}

extern "C" void vis_cvsrc_close(vis_cvsrc_t *c) { delete c; }
