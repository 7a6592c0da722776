// linedet.cpp - PP-OCRv4 text detection through OpenCV's DNN module (see linedet.h).
#include "ocr/linedet.h"

extern "C" {
#include "firmware/core/err.h"
}

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

constexpr int DET_H = OCR_LINEDET_HEIGHT;
constexpr int DET_W = OCR_LINEDET_WIDTH;
constexpr float MAP_CUT = 0.3f;   // text probability that marks a pixel as text
constexpr float BOX_KEEP = 0.6f;  // a region's mean probability to be kept
constexpr double UNCLIP = 1.5;    // growth: area * UNCLIP / perimeter

void set_err(char *err, size_t errlen, const std::string &msg) {
    if (err && errlen) std::snprintf(err, errlen, "%s", msg.c_str());
}

// The network's input: BGR, less ImageNet's mean, over its deviation.
cv::Mat to_blob(const cv::Mat &bgr) {
    return cv::dnn::blobFromImage(bgr, 1 / 57.6, cv::Size(), cv::Scalar(123.675, 116.28, 103.53), false);
}

} // namespace

struct ocr_linedet {
    cv::dnn::Net net;
};

extern "C" int ocr_linedet_open(const char *model_path, ocr_linedet_t **out, char *err, size_t errlen) {
    *out = nullptr;
    if (!model_path) return GR_ERR_INVAL;
    if (!std::ifstream(model_path, std::ios::binary)) {
        set_err(err, errlen, std::string("line detector: cannot open ") + model_path);
        return GR_ERR_NOTFOUND;
    }
    ocr_linedet_t *d = nullptr;
    try {
        d = new ocr_linedet();
        d->net = cv::dnn::readNetFromONNX(model_path);
        d->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        d->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        // one blank page: the output must be the text map the decoding expects
        cv::Mat probe(DET_H, DET_W, CV_8UC3, cv::Scalar(255, 255, 255));
        d->net.setInput(to_blob(probe));
        cv::Mat o = d->net.forward();
        if (o.dims != 4 || o.size[1] != 1 || o.size[2] != DET_H || o.size[3] != DET_W) {
            set_err(err, errlen, std::string("line detector: ") + model_path + " is not a 448 x 800 PP-OCR detector");
            delete d;
            return GR_ERR_INVAL;
        }
    } catch (const std::bad_alloc &) {
        delete d;
        return GR_ERR_NOMEM;
    } catch (const cv::Exception &e) {
        set_err(err, errlen, std::string("line detector: ") + model_path + ": " + e.what());
        delete d;
        return GR_ERR_INVAL;
    }
    *out = d;
    return GR_OK;
}

extern "C" void ocr_linedet_close(ocr_linedet_t *d) { delete d; }

extern "C" int ocr_linedet_find(ocr_linedet_t *d, const ocr_gray_t *img, ocr_textbox_t **boxes, size_t *n) {
    *boxes = nullptr;
    *n = 0;
    if (!d || !img || !img->pixels || img->width <= 0 || img->height <= 0) return GR_ERR_INVAL;
    try {
        cv::Mat g(img->height, img->width, CV_8UC1, img->pixels);
        // scaled to fit, its shape kept; the rest in the image's median grey
        double s = std::min((double)DET_W / img->width, (double)DET_H / img->height);
        int w = std::max(1, std::min(DET_W, (int)(img->width * s + 0.5)));
        int h = std::max(1, std::min(DET_H, (int)(img->height * s + 0.5)));
        cv::Mat small, bgr;
        cv::resize(g, small, cv::Size(w, h), 0, 0, cv::INTER_AREA);
        std::vector<uchar> v(small.begin<uchar>(), small.end<uchar>());
        std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
        cv::Mat in(DET_H, DET_W, CV_8UC1, cv::Scalar(v[v.size() / 2]));
        small.copyTo(in(cv::Rect(0, 0, w, h)));
        cv::cvtColor(in, bgr, cv::COLOR_GRAY2BGR);
        d->net.setInput(to_blob(bgr));
        cv::Mat o = d->net.forward();
        if (o.dims != 4 || o.size[2] != DET_H || o.size[3] != DET_W) return GR_ERR_IO;
        cv::Mat map(DET_H, DET_W, CV_32F, o.ptr<float>());
        cv::Mat bin = map > MAP_CUT;
        std::vector<std::vector<cv::Point>> cs;
        cv::findContours(bin, cs, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
        std::vector<ocr_textbox_t> out;
        for (const auto &c : cs) {
            cv::Rect b = cv::boundingRect(c);
            if (b.width < 4 || b.height < 3) continue;
            float score = (float)cv::mean(map(b), bin(b))[0];
            if (score < BOX_KEEP) continue;
            double len = cv::arcLength(c, true), grow = len > 0 ? cv::contourArea(c) * UNCLIP / len : 0;
            int x0 = (int)std::floor((b.x - grow) / s), y0 = (int)std::floor((b.y - grow) / s);
            int x1 = (int)std::ceil((b.x + b.width + grow) / s), y1 = (int)std::ceil((b.y + b.height + grow) / s);
            x0 = std::max(0, x0);
            y0 = std::max(0, y0);
            x1 = std::min(img->width, x1);
            y1 = std::min(img->height, y1);
            if (x1 - x0 < 2 || y1 - y0 < 2) continue;
            out.push_back({x0, y0, x1 - x0, y1 - y0, score});
        }
        std::sort(out.begin(), out.end(), [](const ocr_textbox_t &a, const ocr_textbox_t &b) {
            return a.y != b.y ? a.y < b.y : a.x < b.x;
        });
        if (out.empty()) return GR_OK;
        auto *r = (ocr_textbox_t *)std::malloc(out.size() * sizeof(ocr_textbox_t));
        if (!r) return GR_ERR_NOMEM;
        std::memcpy(r, out.data(), out.size() * sizeof *r);
        *boxes = r;
        *n = out.size();
    } catch (const std::bad_alloc &) {
        return GR_ERR_NOMEM;
    } catch (const cv::Exception &) {
        return GR_ERR_IO;
    }
    return GR_OK;
}
