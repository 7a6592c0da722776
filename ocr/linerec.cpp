// linerec.cpp - PP-OCRv4 line recognition through OpenCV's DNN module (see linerec.h).
#include "ocr/linerec.h"

extern "C" {
#include "firmware/core/err.h"
}

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

// The network's input: 48 px tall, LINEREC_W wide (models/ppocr_static.py
// fixes it); it gives one column of character scores per 8 px.
constexpr int LINEREC_H = 48;
constexpr int LINEREC_W = OCR_LINEREC_WIDTH;
constexpr int LINEREC_T = LINEREC_W / 8;

void set_err(char *err, size_t errlen, const std::string &msg) {
    if (err && errlen) std::snprintf(err, errlen, "%s", msg.c_str());
}

// The character list is Chinese with ASCII: the full-width forms of ASCII
// (U+FF01..U+FF5E: "（11）") and the ideographic comma and full stop come out
// as the ASCII a Latin card prints.
std::string latin_form(const std::string &k) {
    if (k.size() == 3 && ((unsigned char)k[0] & 0xf0) == 0xe0) {
        unsigned c = ((unsigned char)k[0] & 0x0f) << 12 | ((unsigned char)k[1] & 0x3f) << 6 |
                     ((unsigned char)k[2] & 0x3f);
        if (c >= 0xff01 && c <= 0xff5e) return std::string(1, (char)(c - 0xff01 + 0x21));
        if (c == 0x3001) return ",";
        if (c == 0x3002) return ".";
    }
    return k;
}

// A 48 x LINEREC_W BGR line as the network takes it: RGB, scaled to -1..1.
cv::Mat to_blob(const cv::Mat &bgr) {
    return cv::dnn::blobFromImage(bgr, 1 / 127.5, cv::Size(), cv::Scalar(127.5, 127.5, 127.5), true);
}

} // namespace

struct ocr_linerec {
    cv::dnn::Net net;
    std::vector<std::string> keys; // index 0 is the CTC blank; the last is a space
};

extern "C" int ocr_linerec_open(const char *model_path, const char *keys_path, ocr_linerec_t **out, char *err,
                                size_t errlen) {
    *out = nullptr;
    if (!model_path || !keys_path) return GR_ERR_INVAL;
    std::ifstream mf(model_path, std::ios::binary), kf(keys_path);
    if (!mf || !kf) {
        set_err(err, errlen, std::string("line recogniser: cannot open ") + (!mf ? model_path : keys_path));
        return GR_ERR_NOTFOUND;
    }
    ocr_linerec_t *r = nullptr;
    try {
        r = new ocr_linerec();
        r->keys.push_back(""); // blank
        for (std::string l; std::getline(kf, l);) {
            if (!l.empty() && l.back() == '\r') l.pop_back();
            r->keys.push_back(l);
        }
        r->keys.push_back(" ");
        r->net = cv::dnn::readNetFromONNX(model_path);
        r->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        r->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        // one blank line: the output must have the form the decoding expects
        cv::Mat probe(LINEREC_H, LINEREC_W, CV_8UC3, cv::Scalar(255, 255, 255));
        r->net.setInput(to_blob(probe));
        cv::Mat o = r->net.forward();
        if (o.dims != 3 || o.size[1] != LINEREC_T || o.size[2] != (int)r->keys.size()) {
            set_err(err, errlen,
                    std::string("line recogniser: ") + model_path + " is not a 48 x 640 PP-OCR network for " +
                        keys_path);
            delete r;
            return GR_ERR_INVAL;
        }
    } catch (const std::bad_alloc &) {
        delete r;
        return GR_ERR_NOMEM;
    } catch (const cv::Exception &e) {
        set_err(err, errlen, std::string("line recogniser: ") + model_path + ": " + e.what());
        delete r;
        return GR_ERR_INVAL;
    }
    *out = r;
    return GR_OK;
}

extern "C" void ocr_linerec_close(ocr_linerec_t *r) { delete r; }

extern "C" int ocr_linerec_read(ocr_linerec_t *r, const ocr_gray_t *img, char **text, float *conf) {
    *text = nullptr;
    *conf = 0;
    if (!r || !img || !img->pixels || img->width <= 0 || img->height <= 0) return GR_ERR_INVAL;
    try {
        cv::Mat g(img->height, img->width, CV_8UC1, img->pixels);
        int w = (int)(img->width * (double)LINEREC_H / img->height + 0.5);
        if (w < 1) w = 1;
        if (w > LINEREC_W) w = LINEREC_W;
        cv::Mat s, bgr;
        cv::resize(g, s, cv::Size(w, LINEREC_H), 0, 0, cv::INTER_AREA);
        cv::cvtColor(s, bgr, cv::COLOR_GRAY2BGR);
        // the rest of the width in the line's ground (its median): as if the line went on blank
        std::vector<uchar> v(s.begin<uchar>(), s.end<uchar>());
        std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
        cv::Mat in(LINEREC_H, LINEREC_W, CV_8UC3, cv::Scalar(v[v.size() / 2], v[v.size() / 2], v[v.size() / 2]));
        bgr.copyTo(in(cv::Rect(0, 0, w, LINEREC_H)));
        r->net.setInput(to_blob(in));
        cv::Mat o = r->net.forward();
        if (o.dims != 3 || o.size[1] != LINEREC_T || o.size[2] != (int)r->keys.size()) return GR_ERR_IO;
        const int T = o.size[1], C = o.size[2];
        const float *p = (const float *)o.data;
        std::string s_out;
        double sum = 0;
        int n = 0, prev = 0;
        for (int t = 0; t < T; t++) {
            int best = 0;
            float bv = p[(size_t)t * C];
            for (int c = 1; c < C; c++)
                if (p[(size_t)t * C + c] > bv) {
                    bv = p[(size_t)t * C + c];
                    best = c;
                }
            if (best && best != prev) {
                s_out += latin_form(r->keys[(size_t)best]);
                sum += bv;
                n++;
            }
            prev = best;
        }
        char *t = (char *)std::malloc(s_out.size() + 1);
        if (!t) return GR_ERR_NOMEM;
        std::memcpy(t, s_out.c_str(), s_out.size() + 1);
        *text = t;
        *conf = n ? (float)(sum / n) : 0;
    } catch (const std::bad_alloc &) {
        return GR_ERR_NOMEM;
    } catch (const cv::Exception &) {
        return GR_ERR_IO;
    }
    return GR_OK;
}
