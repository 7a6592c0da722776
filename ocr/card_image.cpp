// card_image.cpp - photo -> flattened, cleaned card images (see card_image.h).
#include "ocr/card_image.h"

extern "C" {
#include "firmware/core/err.h"
#include "ocr/imghdr.h"
#include "ocr/qr.h"
}

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

struct Quad {
    cv::Point2f p[4]; // tl, tr, br, bl in full-resolution pixels
    double area;
    int source;       // 0 whiteness mask, 1 edge mask, 2 differs from the ground
    bool held = false; // completed without the finger of the hand holding it (drop_hands)
};

void set_err(char *err, size_t errlen, const char *msg) {
    if (err && errlen) snprintf(err, errlen, "%s", msg);
}

// Order four points as top-left, top-right, bottom-right, bottom-left.
void order_corners(std::vector<cv::Point2f> &pts, cv::Point2f out[4]) {
    cv::Point2f c(0, 0);
    for (auto &p : pts) c += p;
    c *= 0.25f;
    std::sort(pts.begin(), pts.end(), [&](const cv::Point2f &a, const cv::Point2f &b) {
        return std::atan2(a.y - c.y, a.x - c.x) < std::atan2(b.y - c.y, b.x - c.x);
    });
    // angles sorted from -pi: tl is the one with the smallest x+y
    int start = 0;
    for (int i = 1; i < 4; i++)
        if (pts[i].x + pts[i].y < pts[start].x + pts[start].y) start = i;
    for (int i = 0; i < 4; i++) out[i] = pts[(start + i) % 4];
}

// How many sides of an image of size sz the polygon runs along (a fifth of
// the side or more, within 2 % of it).
int touched_sides(const std::vector<cv::Point2f> &pts, cv::Size sz) {
    float mx = 0.02f * sz.width, my = 0.02f * sz.height;
    float x0 = 1e9f, x1 = -1e9f, y0 = 1e9f, y1 = -1e9f;
    for (auto &p : pts) {
        x0 = std::min(x0, p.x);
        x1 = std::max(x1, p.x);
        y0 = std::min(y0, p.y);
        y1 = std::max(y1, p.y);
    }
    int n = 0;
    bool wide = x1 - x0 > 0.2f * sz.width, tall = y1 - y0 > 0.2f * sz.height;
    if (y0 <= my && wide) n++;
    if (y1 >= sz.height - 1 - my && wide) n++;
    if (x0 <= mx && tall) n++;
    if (x1 >= sz.width - 1 - mx && tall) n++;
    return n;
}

// Pixels that differ in colour from the ground: the median Lab colour of
// the photo's outer band is the ground, the distance to it is thresholded
// (Otsu) and closed. Empty when the band is not one ground (less than 60 %
// of it near its median), so busy scenes do not add outlines.
cv::Mat ground_difference(const cv::Mat &small) {
    cv::Mat lab;
    cv::cvtColor(small, lab, cv::COLOR_BGR2Lab);
    int bw = std::max(2, std::min(small.cols, small.rows) / 25);
    cv::Mat band(small.size(), CV_8U, cv::Scalar(255));
    band(cv::Rect(bw, bw, small.cols - 2 * bw, small.rows - 2 * bw)).setTo(0);
    std::vector<cv::Mat> ch;
    cv::split(lab, ch);
    float med[3];
    for (int c = 0; c < 3; c++) {
        int hist[256] = {0}, total = 0;
        for (int y = 0; y < small.rows; y++)
            for (int x = 0; x < small.cols; x++)
                if (band.at<uchar>(y, x)) {
                    hist[ch[c].at<uchar>(y, x)]++;
                    total++;
                }
        int acc = 0, v = 0;
        while (v < 255 && (acc += hist[v]) < total / 2) v++;
        med[c] = (float)v;
    }
    cv::Mat dist(small.size(), CV_32F);
    for (int y = 0; y < small.rows; y++) {
        const cv::Vec3b *r = lab.ptr<cv::Vec3b>(y);
        float *d = dist.ptr<float>(y);
        for (int x = 0; x < small.cols; x++) {
            float dl = r[x][0] - med[0], da = r[x][1] - med[1], db = r[x][2] - med[2];
            d[x] = std::sqrt(dl * dl + 2.0f * (da * da + db * db));
        }
    }
    cv::GaussianBlur(dist, dist, cv::Size(5, 5), 0);
    double mx;
    cv::minMaxLoc(dist, nullptr, &mx);
    // most of the band must be close to its median: one ground (a card may
    // run across part of the band)
    cv::Mat near;
    cv::compare(dist, 0.25 * mx, near, cv::CMP_LT);
    cv::bitwise_and(near, band, near);
    if (mx < 30 || cv::countNonZero(near) * 10 < cv::countNonZero(band) * 6) return cv::Mat();
    cv::Mat d8, m;
    dist.convertTo(d8, CV_8U, 255.0 / mx);
    cv::threshold(d8, m, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    cv::morphologyEx(m, m, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(15, 15)));
    cv::morphologyEx(m, m, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
    return m;
}

// Candidate card outlines in `small` (the photo scaled by s): roughly
// rectangular regions of three masks, in full-resolution pixels.
std::vector<Quad> quad_candidates(const cv::Mat &small, double s) {
    std::vector<Quad> quads;
    std::vector<cv::Mat> ch;
    cv::split(small, ch);
    cv::Mat white = ch[0].clone();
    for (size_t i = 1; i < ch.size(); i++) white = cv::min(white, ch[i]);
    cv::GaussianBlur(white, white, cv::Size(5, 5), 0);
    double img_area = (double)small.cols * small.rows;

    // Two masks: global Otsu on whiteness, and closed Canny edges.
    std::vector<cv::Mat> masks;
    cv::Mat m1;
    cv::threshold(white, m1, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    cv::morphologyEx(m1, m1, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9)));
    masks.push_back(m1);
    cv::Mat gray, edges;
    cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
    cv::GaussianBlur(gray, gray, cv::Size(5, 5), 0);
    cv::Canny(gray, edges, 30, 90);
    cv::dilate(edges, edges, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
    masks.push_back(edges);
    // Third mask: what differs in colour from the ground the card lies on
    // (the photo's border band). Coloured and dark cards on a light desk are
    // not "white", and their panels break the edge outline.
    masks.push_back(ground_difference(small));

    for (size_t mi = 0; mi < masks.size(); mi++) {
        if (masks[mi].empty()) continue;
        std::vector<std::vector<cv::Point>> contours;
        cv::findContours(masks[mi], contours, mi == 1 ? cv::RETR_LIST : cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
        for (auto &c : contours) {
            double a = std::fabs(cv::contourArea(c));
            if (a < 0.04 * img_area || a > 0.97 * img_area) continue;
            std::vector<cv::Point> hull;
            cv::convexHull(c, hull);
            double per = cv::arcLength(hull, true);
            std::vector<cv::Point> approx;
            std::vector<cv::Point2f> pts;
            for (double eps = 0.01; eps <= 0.06 && pts.empty(); eps += 0.01) {
                cv::approxPolyDP(hull, approx, eps * per, true);
                if (approx.size() == 4 && cv::isContourConvex(approx))
                    for (auto &p : approx) pts.push_back(cv::Point2f((float)p.x, (float)p.y));
            }
            if (pts.empty()) {
                cv::RotatedRect rr = cv::minAreaRect(hull);
                cv::Point2f v[4];
                rr.points(v);
                pts.assign(v, v + 4);
            }
            double qa = std::fabs(cv::contourArea(pts));
            double ha = std::fabs(cv::contourArea(hull));
            if (qa <= 0 || ha / qa < 0.85 || ha / qa > 1.15) continue; // not rectangular
            // A card is brighter inside than the ground around it, or it is a
            // clear edge outline: both masks pass; reject thin slivers.
            cv::RotatedRect rr = cv::minAreaRect(pts);
            double ar = std::max(rr.size.width, rr.size.height) / std::max(1.0f, std::min(rr.size.width, rr.size.height));
            if (ar > 3.0) continue;
            // the desk around a card (bright or not) touches three or four
            // sides of the photo; a card photographed from its edge does not
            if (touched_sides(pts, small.size()) >= 3) continue;
            if (mi == 1) {
                // an edge outline must differ from its surroundings (a card,
                // not a pattern): compare inside with a band around it
                cv::Mat in(white.size(), CV_8U, cv::Scalar(0)), ring;
                std::vector<std::vector<cv::Point>> poly(1);
                for (auto &p : pts) poly[0].push_back(cv::Point((int)p.x, (int)p.y));
                cv::fillPoly(in, poly, cv::Scalar(255));
                cv::dilate(in, ring, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(25, 25)));
                ring -= in;
                double mi_in = cv::mean(white, in)[0], mi_ring = cv::mean(white, ring)[0];
                if (std::fabs(mi_in - mi_ring) < 0.12 * std::max(mi_in, mi_ring)) continue;
            }
            Quad q;
            order_corners(pts, q.p);
            for (auto &p : q.p) p *= (float)(1.0 / s);
            q.area = qa / (s * s);
            q.source = (int)mi;
            quads.push_back(q);
        }
        // both masks are used: the whiteness mask misses cards in shadow,
        // the edge mask finds them; duplicates are dropped below
    }
    return quads;
}

// Text-like marks of the photo `small`: small blobs that stand out from
// their surroundings (dark on light or light on dark, found by black-hat and
// top-hat filtering), as boxes. A card holds its text; the marks show where
// an outline cut a card short.
std::vector<cv::Rect> text_marks(const cv::Mat &small) {
    cv::Mat gray, bh, th, m;
    cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
    int k = std::max(7, (std::min(small.cols, small.rows) / 40) | 1);
    cv::Mat se = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k));
    cv::morphologyEx(gray, bh, cv::MORPH_BLACKHAT, se);
    cv::morphologyEx(gray, th, cv::MORPH_TOPHAT, se);
    std::vector<cv::Rect> out;
    // each polarity alone: together the gaps between letters join them
    for (cv::Mat *f : {&bh, &th}) {
        cv::threshold(*f, m, 30, 255, cv::THRESH_BINARY);
        cv::Mat labels, stats, cent;
        int n = cv::connectedComponentsWithStats(m, labels, stats, cent, 8, CV_32S);
        for (int i = 1; i < n; i++) {
            int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
            int a = stats.at<int>(i, cv::CC_STAT_AREA);
            if (h < 3 || h > 2 * k || w > 40 * h || a * 8 < w * h) continue; // letters, words, lines
            out.emplace_back(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), w, h);
        }
    }
    return out;
}

// Grow an outline to hold the text beside it: a card whose edge band is
// close to the desk colour, or whose panels differ, is often found only in
// part, and the text of the lost part lies just outside the outline. In the
// outline's own frame (so the perspective is kept), a side moves out over
// the marks within three mark heights of it, five for a squarish outline
// (text at least three heights long in all), as long as they continue;
// marks inside another card's outline are not taken. When the text reaches
// further than half the outline's size, the outline was only a part of the
// card (a logo block on a light card on a light desk): the card is then
// the smallest rectangle around the outline and the text it reached.
Quad grow_to_marks(const Quad &q, const std::vector<cv::Rect> &marks, double s, const std::vector<Quad> &others) {
    auto d = [](cv::Point2f a, cv::Point2f b) { return std::hypot(a.x - b.x, a.y - b.y); };
    float W = (float)std::max(d(q.p[0], q.p[1]), d(q.p[3], q.p[2]));
    float H = (float)std::max(d(q.p[0], q.p[3]), d(q.p[1], q.p[2]));
    if (W < 8 || H < 8) return q;
    cv::Point2f dst[4] = {{0, 0}, {W, 0}, {W, H}, {0, H}};
    cv::Mat M = cv::getPerspectiveTransform(q.p, dst);
    // marks in the outline's frame (full-resolution pixels)
    std::vector<cv::Rect2f> mk;
    std::vector<cv::Point2f> mk_photo; // their corners in the photo
    for (const cv::Rect &r : marks) {
        cv::Point2f c((float)((r.x + r.width * 0.5) / s), (float)((r.y + r.height * 0.5) / s));
        bool other = false;
        for (const Quad &o : others)
            if (&o != &q && cv::pointPolygonTest(std::vector<cv::Point2f>(o.p, o.p + 4), c, false) >= 0) other = true;
        if (other) continue;
        std::vector<cv::Point2f> src = {cv::Point2f((float)(r.x / s), (float)(r.y / s)),
                                        cv::Point2f((float)(r.br().x / s), (float)(r.br().y / s))},
                                 t;
        cv::perspectiveTransform(src, t, M);
        mk.emplace_back(std::min(t[0].x, t[1].x), std::min(t[0].y, t[1].y), std::fabs(t[1].x - t[0].x),
                        std::fabs(t[1].y - t[0].y));
        mk_photo.insert(mk_photo.end(), {src[0], src[1]});
    }
    float x0 = 0, y0 = 0, x1 = W, y1 = H;
    // an outline too square for a card (long side < 1.3 times the short)
    // is most likely one panel of it: the text of the other panel (a name
    // centred on it) may stand further off (tests/bench/ocr_cards2 9753,
    // photo 017: a dark purple panel on a purple desk, the name 4 mark
    // heights from the white panel's edge)
    const float reach_h = std::max(W, H) < 1.3f * std::min(W, H) ? 5.0f : 3.0f;
    const float cx0 = -2.0f * W, cy0 = -2.0f * H, cx1 = 3.0f * W, cy1 = 3.0f * H;
    for (int round = 0; round < 40; round++) {
        // per side: the marks just outside it, and how far they reach
        float cnt[4] = {0, 0, 0, 0}; // text length, in mark heights
        float reach[4] = {x0, y0, x1, y1}; // left, top, right, bottom
        for (const cv::Rect2f &r : mk) {
            float g = reach_h * std::max(r.height, 1.0f);
            bool inx = r.x + r.width > x0 && r.x < x1, iny = r.y + r.height > y0 && r.y < y1;
            if (r.x < cx0 || r.y < cy0 || r.br().x > cx1 || r.br().y > cy1) continue;
            float wt = r.width / std::max(r.height, 1.0f);
            if (iny && r.br().x <= x0 + 1 && r.br().x > x0 - g) cnt[0] += wt, reach[0] = std::min(reach[0], r.x);
            if (inx && r.br().y <= y0 + 1 && r.br().y > y0 - g) cnt[1] += wt, reach[1] = std::min(reach[1], r.y);
            if (iny && r.x >= x1 - 1 && r.x < x1 + g) cnt[2] += wt, reach[2] = std::max(reach[2], r.br().x);
            if (inx && r.y >= y1 - 1 && r.y < y1 + g) cnt[3] += wt, reach[3] = std::max(reach[3], r.br().y);
        }
        bool moved = false;
        if (cnt[0] >= 3 && reach[0] < x0) x0 = reach[0], moved = true;
        if (cnt[1] >= 3 && reach[1] < y0) y0 = reach[1], moved = true;
        if (cnt[2] >= 3 && reach[2] > x1) x1 = reach[2], moved = true;
        if (cnt[3] >= 3 && reach[3] > y1) y1 = reach[3], moved = true;
        if (!moved) break;
    }
    if (x0 < -0.5f * W || y0 < -0.5f * H || x1 > 1.5f * W || y1 > 1.5f * H) {
        // the outline is a part of the card
        std::vector<cv::Point2f> pts(q.p, q.p + 4);
        for (size_t i = 0; i < mk.size(); i++)
            if (mk[i].x >= x0 - 1 && mk[i].y >= y0 - 1 && mk[i].br().x <= x1 + 1 && mk[i].br().y <= y1 + 1)
                pts.insert(pts.end(), {mk_photo[2 * i], mk_photo[2 * i + 1]});
        cv::RotatedRect rr = cv::minAreaRect(pts);
        rr.size.width *= 1.03f;
        rr.size.height *= 1.03f;
        cv::Point2f v[4];
        rr.points(v);
        std::vector<cv::Point2f> vv(v, v + 4);
        Quad g = q;
        order_corners(vv, g.p);
        g.area = rr.size.area();
        return g;
    }
    if (x0 == 0 && y0 == 0 && x1 == W && y1 == H) return q;
    // a margin around the taken text, as a card has
    float mg = 0.02f * std::min(W, H);
    if (x0 < 0) x0 -= mg;
    if (y0 < 0) y0 -= mg;
    if (x1 > W) x1 += mg;
    if (y1 > H) y1 += mg;
    std::vector<cv::Point2f> box = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, back;
    cv::perspectiveTransform(box, back, M.inv());
    Quad g = q;
    for (int i = 0; i < 4; i++) g.p[i] = back[i];
    g.area = std::fabs(cv::contourArea(back));
    return g;
}

// A card of two panels (the name light on a dark panel, the contacts on a
// white one) can be found as two outlines side by side, or one above the
// other. Two outlines that touch along a side of about the same length (or
// share a side corner to corner, as a tilted card's panels, whose boxes
// overlap, do), one of them too square to be a card (long side < 1.35
// times the short),
// and whose union has a card's proportions (1.35-2.1) are one card: the
// outer corners of the two. Two whole cards lying side by side are each
// card-shaped and stay apart.
void merge_panels(std::vector<Quad> &keep) {
    auto aspect = [](const cv::Rect2f &r) { return std::max(r.width, r.height) / std::max(1.0f, std::min(r.width, r.height)); };
    // corners p and q meet, and r and t, within 6 % of the side they end
    auto near = [](cv::Point2f p, cv::Point2f q, cv::Point2f r, cv::Point2f t) {
        float side = std::hypot(p.x - r.x, p.y - r.y);
        return std::hypot(p.x - q.x, p.y - q.y) < 0.06f * side && std::hypot(r.x - t.x, r.y - t.y) < 0.06f * side;
    };
    for (bool merged = true; merged;) {
        merged = false;
        for (size_t i = 0; i < keep.size() && !merged; i++)
            for (size_t j = 0; j < keep.size() && !merged; j++) {
                if (i == j) continue;
                Quad &a = keep[i], &b = keep[j];
                cv::Rect2f ra = cv::boundingRect(std::vector<cv::Point2f>(a.p, a.p + 4));
                cv::Rect2f rb = cv::boundingRect(std::vector<cv::Point2f>(b.p, b.p + 4));
                if (aspect(ra) >= 1.35f && aspect(rb) >= 1.35f) continue;
                Quad m = a;
                // b right of a, same rows
                float h = std::min(ra.height, rb.height), w = std::min(ra.width, rb.width);
                float ov_y = std::min(ra.y + ra.height, rb.y + rb.height) - std::max(ra.y, rb.y);
                float ov_x = std::min(ra.x + ra.width, rb.x + rb.width) - std::max(ra.x, rb.x);
                float gap_x = rb.x - (ra.x + ra.width), gap_y = rb.y - (ra.y + ra.height);
                bool side = ov_y >= 0.85f * h && std::max(ra.height, rb.height) <= 1.2f * h && gap_x > -0.1f * h &&
                            gap_x < 0.06f * h;
                bool stacked = ov_x >= 0.85f * w && std::max(ra.width, rb.width) <= 1.2f * w && gap_y > -0.1f * w &&
                               gap_y < 0.06f * w;
                // a tilted card: the panels' boxes overlap, but they share
                // a side corner to corner (ocr_cards2 HAND TILT photos)
                side = side || (near(a.p[1], b.p[0], a.p[2], b.p[3]) && a.p[0].x < b.p[1].x);
                stacked = stacked || (near(a.p[3], b.p[0], a.p[2], b.p[1]) && a.p[0].y < b.p[3].y);
                if (side) {
                    m.p[1] = b.p[1];
                    m.p[2] = b.p[2];
                } else if (stacked) {
                    m.p[2] = b.p[2];
                    m.p[3] = b.p[3];
                } else {
                    continue;
                }
                cv::Rect2f ru = ra | rb;
                if (aspect(ru) < 1.35f || aspect(ru) > 2.1f) continue;
                m.area = a.area + b.area;
                a = m;
                keep.erase(keep.begin() + (long)j);
                merged = true;
            }
    }
}

// How far the quad's corner angles are from square, in degrees (the
// largest).
double worst_corner(const Quad &q) {
    double worst = 0;
    for (int i = 0; i < 4; i++) {
        cv::Point2f a = q.p[(i + 3) % 4] - q.p[i], b = q.p[(i + 1) % 4] - q.p[i];
        double na = std::hypot(a.x, a.y), nb = std::hypot(b.x, b.y);
        if (na < 1 || nb < 1) return 180;
        double ang = std::acos(std::max(-1.0, std::min(1.0, (a.x * b.x + a.y * b.y) / (na * nb)))) * 180.0 / CV_PI;
        worst = std::max(worst, std::fabs(ang - 90.0));
    }
    return worst;
}

// The corners of q on the photo's border (within 1 %), as a bit mask.
int border_corners(const Quad &q, cv::Size full) {
    float mx = 0.01f * full.width, my = 0.01f * full.height;
    int m = 0;
    for (int i = 0; i < 4; i++) {
        const cv::Point2f &p = q.p[i];
        if (p.x <= mx || p.y <= my || p.x >= full.width - 1 - mx || p.y >= full.height - 1 - my) m |= 1 << i;
    }
    return m;
}

// A card held in a hand: a finger, of a tone the masks take with the card,
// joins its outline and pulls one corner out to the photo's border
// (cards_real am24, a wooden card held on black: corner angles of 64 and
// 104 degrees, the text warped aslant). When exactly one corner of a kept
// outline lies on the border and the other three, completed to a
// parallelogram, make a square card (every corner within 12 degrees, three
// degrees squarer than the outline) whose fourth corner is off the border
// and 6 % of the card's diagonal or more away from the outline's (a card
// is a parallelogram but for its perspective), that is the card; it is
// not grown over marks (the finger's creases and nail).
void drop_hands(std::vector<Quad> &keep, cv::Size full) {
    for (Quad &k : keep) {
        int m = border_corners(k, full), i = -1;
        for (int c = 0; c < 4; c++)
            if (m == 1 << c) i = c;
        if (i < 0) continue;
        Quad par = k;
        par.p[i] = k.p[(i + 3) % 4] + k.p[(i + 1) % 4] - k.p[(i + 2) % 4];
        double wp = worst_corner(par), diag = std::hypot(k.p[2].x - k.p[0].x, k.p[2].y - k.p[0].y);
        double moved = std::hypot(par.p[i].x - k.p[i].x, par.p[i].y - k.p[i].y);
        if (wp > 12 || worst_corner(k) < wp + 3 || moved < 0.06 * diag || border_corners(par, full)) continue;
        par.area = std::fabs(cv::contourArea(std::vector<cv::Point2f>(par.p, par.p + 4)));
        if (par.area < 0.25 * k.area) continue;
        // the completed corner a little outward (2 % of the diagonal): a
        // card in perspective is no parallelogram, and a little desk at its
        // corner costs less than its text cut off
        cv::Point2f out = par.p[i] - par.p[(i + 2) % 4];
        par.p[i] += out * (float)(0.02 * diag / std::max(1.0, (double)std::hypot(out.x, out.y)));
        par.held = true;
        k = par;
    }
}

// The card outlines in the photo: candidates, duplicates dropped.
std::vector<Quad> find_quads(const cv::Mat &bgr) {
    double s = 640.0 / std::max(bgr.cols, bgr.rows);
    if (s > 1) s = 1;
    cv::Mat small;
    cv::resize(bgr, small, cv::Size(), s, s, cv::INTER_AREA);
    std::vector<Quad> quads = quad_candidates(small, s);
    // Largest first; drop quads whose centre lies in a larger one.
    // Whiteness outlines first (they fit bright cards best), then edge
    // outlines only where they add a card the first mask missed.
    std::sort(quads.begin(), quads.end(), [](const Quad &a, const Quad &b) {
        return a.source != b.source ? a.source < b.source : a.area > b.area;
    });
    std::vector<Quad> keep;
    for (auto &q : quads) {
        cv::Point2f c = (q.p[0] + q.p[1] + q.p[2] + q.p[3]) * 0.25f;
        std::vector<cv::Point2f> qpoly(q.p, q.p + 4);
        bool inside = false;
        for (auto &k : keep) {
            std::vector<cv::Point2f> poly(k.p, k.p + 4);
            cv::Point2f kc = (k.p[0] + k.p[1] + k.p[2] + k.p[3]) * 0.25f;
            if (cv::pointPolygonTest(poly, c, false) >= 0 || cv::pointPolygonTest(qpoly, kc, false) >= 0) {
                inside = true;
                // a card partly in shadow: the whiteness outline is only its
                // bright part; an edge outline that holds all of it wins
                bool holds = true;
                for (auto &p : k.p)
                    if (cv::pointPolygonTest(qpoly, p, true) < -4.0) holds = false;
                // and a card with a white panel on a coloured one: the
                // outline against the ground holds the whole card
                double most = q.source == 2 ? 4.0 : 2.5;
                if (q.source != 0 && k.source == 0 && holds && q.area > 1.15 * k.area && q.area < most * k.area) k = q;
            }
        }
        if (!inside && (keep.empty() || q.area > 0.25 * keep[0].area)) keep.push_back(q);
    }
    // An outline that took a kept one's place (the whole card for its white
    // panel) may now hold another kept one: the card's other panel, found
    // by another mask (ocr_cards2 two-panel cards, one photo in a hundred,
    // were read as two cards, the name on one and the contacts on the
    // other). What lies inside a larger kept outline goes.
    for (size_t i = 0; i < keep.size();) {
        cv::Point2f c = (keep[i].p[0] + keep[i].p[1] + keep[i].p[2] + keep[i].p[3]) * 0.25f;
        bool held = false;
        for (size_t j = 0; j < keep.size() && !held; j++)
            held = j != i && keep[j].area > 1.15 * keep[i].area &&
                   cv::pointPolygonTest(std::vector<cv::Point2f>(keep[j].p, keep[j].p + 4), c, false) >= 0;
        if (held)
            keep.erase(keep.begin() + (long)i);
        else
            i++;
    }
    drop_hands(keep, bgr.size());
    merge_panels(keep);
    // then each outline grows over the text just outside it
    std::vector<cv::Rect> marks = text_marks(small);
    // (not a card completed without a finger: the marks beside it are the
    // finger's creases and nail)
    for (auto &k : keep)
        if (!k.held) k = grow_to_marks(k, marks, s, keep);
    // Reading order: top to bottom, then left to right.
    std::sort(keep.begin(), keep.end(), [](const Quad &a, const Quad &b) {
        float ay = (a.p[0].y + a.p[2].y) / 2, by = (b.p[0].y + b.p[2].y) / 2;
        float ah = std::fabs(a.p[2].y - a.p[0].y);
        if (std::fabs(ay - by) > ah / 2) return ay < by;
        return a.p[0].x < b.p[0].x;
    });
    return keep;
}

// A card no outline was found for, on a plain ground (a scanner's lid, a
// bare table): the part of the photo where anything differs from the ground,
// whose colour is the median of the photo's border, with a margin. Read from
// the whole photo, a card's coloured panel is smaller than the window
// ink_gray measures the local ground over, and comes out as a dark frame
// around its own text. The whole photo when its border is no plain ground
// or the marks fill most of it.
cv::Rect content_box(const cv::Mat &bgr) {
    cv::Rect all(0, 0, bgr.cols, bgr.rows);
    double f = 400.0 / std::max(bgr.cols, bgr.rows);
    if (f > 1) f = 1;
    cv::Mat small;
    cv::resize(bgr, small, cv::Size(), f, f, cv::INTER_AREA);
    if (small.cols < 40 || small.rows < 40) return all;
    std::vector<int> ch[3];
    for (int y = 0; y < small.rows; y++)
        for (int x = 0; x < small.cols; x++) {
            if (y > 2 && y < small.rows - 3 && x > 2 && x < small.cols - 3) continue;
            cv::Vec3b v = small.at<cv::Vec3b>(y, x);
            for (int c = 0; c < 3; c++) ch[c].push_back(v[c]);
        }
    int lid[3], spread = 0;
    for (int c = 0; c < 3; c++) {
        std::vector<int> &v = ch[c];
        std::sort(v.begin(), v.end());
        lid[c] = v[v.size() / 2];
        // a plain ground: nine in ten border pixels within 12 levels
        spread = std::max(spread, std::max(lid[c] - v[v.size() / 20], v[v.size() * 19 / 20] - lid[c]));
    }
    if (spread > 12) return all;
    cv::Mat mask(small.size(), CV_8U, cv::Scalar(0));
    for (int y = 0; y < small.rows; y++)
        for (int x = 0; x < small.cols; x++) {
            cv::Vec3b v = small.at<cv::Vec3b>(y, x);
            int d = 0;
            for (int c = 0; c < 3; c++) d = std::max(d, std::abs(v[c] - lid[c]));
            mask.at<uchar>(y, x) = d > 30 ? 255 : 0;
        }
    cv::morphologyEx(mask, mask, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2, 2)));
    std::vector<cv::Point> pts;
    cv::findNonZero(mask, pts);
    if (pts.size() < 50) return all;
    cv::Rect b = cv::boundingRect(pts);
    if (b.area() * 10 > small.cols * small.rows * 7) return all;
    int m = std::max(small.cols, small.rows) / 25;
    b = cv::Rect(b.x - m, b.y - m, b.width + 2 * m, b.height + 2 * m) & cv::Rect(0, 0, small.cols, small.rows);
    cv::Rect r((int)(b.x / f), (int)(b.y / f), (int)(b.width / f), (int)(b.height / f));
    return r & all;
}

cv::Mat warp_card(const cv::Mat &bgr, const Quad &q) {
    auto d = [](cv::Point2f a, cv::Point2f b) { return std::hypot(a.x - b.x, a.y - b.y); };
    double w = std::max(d(q.p[0], q.p[1]), d(q.p[3], q.p[2]));
    double h = std::max(d(q.p[0], q.p[3]), d(q.p[1], q.p[2]));
    double cap = 2400.0 / std::max(w, h);
    if (cap < 1) {
        w *= cap;
        h *= cap;
    }
    int W = std::max(16, (int)std::lround(w)), H = std::max(16, (int)std::lround(h));
    // Pull the corners in slightly so the card edge does not show as a line.
    cv::Point2f c = (q.p[0] + q.p[1] + q.p[2] + q.p[3]) * 0.25f;
    cv::Point2f src[4];
    for (int i = 0; i < 4; i++) src[i] = c + (q.p[i] - c) * 0.99f;
    cv::Point2f dst[4] = {{0, 0}, {(float)W, 0}, {(float)W, (float)H}, {0, (float)H}};
    cv::Mat M = cv::getPerspectiveTransform(src, dst), out;
    cv::warpPerspective(bgr, out, M, cv::Size(W, H), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    if (H > W) cv::rotate(out, out, cv::ROTATE_90_CLOCKWISE); // landscape; OSD fixes the rest
    return out;
}

// The slant of the text on a warped card, in degrees, that turns it level
// (0 when none is clear). An outline that missed a corner (a finger over
// it, a card in steep perspective) leaves the text aslant after the warp,
// and Tesseract then cuts its lines in pieces. Ink of either polarity (far
// from its neighbourhood's mean), in components of a character's size, is
// turned in half degrees up to SLANT_MAX; the angle whose row profile
// changes most sharply (adjacent rows' squared differences) wins when it is
// SLANT_MIN degrees or more and beats level by SLANT_GAIN, and only with
// SLANT_MARKS characters or more (a logo side, or lines so close their
// letters touch, gave 5 degrees of noise; at 1 degree it cost more fields
// than it won: docs/OCR.md).
#define SLANT_MAX 6.0
#define SLANT_GAIN 1.15
#define SLANT_MARKS 40
#define SLANT_MIN 1.5
double text_slant(const cv::Mat &bgr) {
    cv::Mat g;
    cv::cvtColor(bgr, g, cv::COLOR_BGR2GRAY);
    double f = 800.0 / std::max(g.cols, g.rows);
    if (f < 1) cv::resize(g, g, cv::Size(), f, f, cv::INTER_AREA);
    cv::Mat mean, diff;
    cv::blur(g, mean, cv::Size(31, 31));
    cv::absdiff(g, mean, diff);
    cv::Mat ink = diff > 25, lab, stats, cent;
    int n = cv::connectedComponentsWithStats(ink, lab, stats, cent, 8, CV_32S);
    std::vector<uchar> keep((size_t)n, 0);
    int kept = 0;
    for (int i = 1; i < n; i++) {
        int h = stats.at<int>(i, cv::CC_STAT_HEIGHT), w = stats.at<int>(i, cv::CC_STAT_WIDTH);
        keep[(size_t)i] = h >= 4 && h <= ink.rows / 8 && w <= ink.cols / 4 ? 255 : 0;
        kept += keep[(size_t)i] != 0;
    }
    if (kept < SLANT_MARKS) return 0; // too few characters to tell a slant from noise
    cv::Mat marks(ink.size(), CV_8U);
    for (int y = 0; y < lab.rows; y++)
        for (int x = 0; x < lab.cols; x++) marks.at<uchar>(y, x) = keep[(size_t)lab.at<int>(y, x)];
    cv::Point2f c(marks.cols / 2.0f, marks.rows / 2.0f);
    double best = 0, level = 0, angle = 0;
    for (double a = -SLANT_MAX; a <= SLANT_MAX + 1e-9; a += 0.5) {
        cv::Mat r, rows;
        cv::warpAffine(marks, r, cv::getRotationMatrix2D(c, a, 1.0), marks.size(), cv::INTER_NEAREST);
        cv::reduce(r, rows, 1, cv::REDUCE_SUM, CV_64F);
        double sc = 0;
        for (int y = 1; y < rows.rows; y++) {
            double d = rows.at<double>(y) - rows.at<double>(y - 1);
            sc += d * d;
        }
        if (std::fabs(a) < 1e-9) level = sc;
        if (sc > best) {
            best = sc;
            angle = a;
        }
    }
    return std::fabs(angle) >= SLANT_MIN && best > SLANT_GAIN * level ? angle : 0.0;
}

// card turned by a degrees (counter-clockwise) on a canvas that holds all
// of it, the corners filled with the edge's colour.
cv::Mat turned(const cv::Mat &card, double a) {
    cv::Point2f c(card.cols / 2.0f, card.rows / 2.0f);
    cv::Mat M = cv::getRotationMatrix2D(c, a, 1.0);
    double cs = std::fabs(std::cos(a * CV_PI / 180)), sn = std::fabs(std::sin(a * CV_PI / 180));
    int W = (int)std::lround(card.cols * cs + card.rows * sn), H = (int)std::lround(card.cols * sn + card.rows * cs);
    M.at<double>(0, 2) += (W - card.cols) / 2.0;
    M.at<double>(1, 2) += (H - card.rows) / 2.0;
    cv::Mat out;
    cv::warpAffine(card, out, M, cv::Size(W, H), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return out;
}

// Median height of character-sized connected components (0 when none).
double median_char_height(const cv::Mat &gray) {
    cv::Mat bin;
    int blk = std::max(15, (std::min(gray.cols, gray.rows) / 20) | 1);
    cv::adaptiveThreshold(gray, bin, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, blk, 15);
    cv::Mat labels, stats, cent;
    int n = cv::connectedComponentsWithStats(bin, labels, stats, cent, 8, CV_32S);
    std::vector<int> hs;
    for (int i = 1; i < n; i++) {
        int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
        int a = stats.at<int>(i, cv::CC_STAT_AREA);
        if (h < 5 || h > gray.rows / 5 || w > 3 * h || w * 8 < h) continue;
        if (a < (w * h) / 10) continue;
        hs.push_back(h);
    }
    if (hs.size() < 5) return 0;
    std::nth_element(hs.begin(), hs.begin() + hs.size() / 2, hs.end());
    return hs[hs.size() / 2];
}

// Text as dark marks on white whatever its colours: each pixel's Lab
// distance from the local ground colour (a median over about a sixth of the
// card's height, so larger than any stroke). Light text on a dark panel,
// dark text on a coloured panel and coloured text on white all become dark
// on white, each panel with its own polarity. *inverted: the card's ground
// is mostly dark. Empty for a plain card (90 % of its ground light and grey,
// or dark and grey: then *inverted = 1), which the caller reads from its
// darkest channel (its lightest, inverted, for a dark card).
cv::Mat ink_gray(const cv::Mat &bgr, int *inverted) {
    double f = 96.0 / std::max(1, std::min(bgr.cols, bgr.rows));
    if (f > 1) f = 1;
    cv::Mat small, ground, lab, glab;
    cv::resize(bgr, small, cv::Size(), f, f, cv::INTER_AREA);
    int k = std::max(3, (std::min(small.cols, small.rows) / 6) | 1);
    cv::medianBlur(small, ground, k);
    // A plain light card (light, nearly grey ground almost everywhere) reads
    // best from its darkest channel, which keeps strokes crisp: only cards
    // with coloured or dark panels need the distance to the local ground.
    {
        cv::Mat sl;
        cv::cvtColor(ground, sl, cv::COLOR_BGR2Lab);
        long plain = 0, dark = 0, panel = 0;
        int mx = std::max(2, sl.cols / 20), my = std::max(2, sl.rows / 20);
        for (int y = 0; y < sl.rows; y++) {
            const cv::Vec3b *r = sl.ptr<cv::Vec3b>(y);
            for (int x = 0; x < sl.cols; x++) {
                int da = r[x][1] - 128, db = r[x][2] - 128;
                plain += r[x][0] > 140 && da * da + db * db < 20 * 20;
                dark += r[x][0] < 100 && da * da + db * db < 20 * 20;
                /* inside the card: a sliver of the desk at its edges is no panel */
                bool inner = x >= mx && x < sl.cols - mx && y >= my && y < sl.rows - my;
                panel += inner && (r[x][0] < 100 || (r[x][0] < 150 && da * da + db * db >= 30 * 30));
            }
        }
        long all = (long)sl.cols * sl.rows;
        // a dark or deep-coloured panel, however small (a fiftieth of the
        // card), holds light text the darkest channel would lose (a
        // scanned card's company block, white on dark blue or on green)
        if (plain * 10 >= all * 9 && panel * 50 < all) return cv::Mat();
        if (dark * 10 >= all * 9) { // a plain dark card: its lightest channel, inverted
            *inverted = 1;
            return cv::Mat();
        }
    }
    cv::resize(ground, ground, bgr.size(), 0, 0, cv::INTER_LINEAR);
    cv::cvtColor(bgr, lab, cv::COLOR_BGR2Lab);
    cv::cvtColor(ground, glab, cv::COLOR_BGR2Lab);
    cv::Mat dist(bgr.size(), CV_32F);
    long dark = 0;
    for (int y = 0; y < bgr.rows; y++) {
        const cv::Vec3b *a = lab.ptr<cv::Vec3b>(y), *b = glab.ptr<cv::Vec3b>(y);
        float *d = dist.ptr<float>(y);
        for (int x = 0; x < bgr.cols; x++) {
            float dl = (float)a[x][0] - b[x][0], da = (float)a[x][1] - b[x][1], db = (float)a[x][2] - b[x][2];
            d[x] = std::sqrt(dl * dl + da * da + db * db);
            dark += b[x][0] < 110;
        }
    }
    *inverted = dark * 2 > (long)bgr.cols * bgr.rows;
    // scale: the contrast of the strongest marks (99th percentile), so faint
    // noise stays light and every panel's text reaches black
    cv::Mat d8;
    dist.convertTo(d8, CV_8U, 1.0);
    int hist[256] = {0};
    for (int y = 0; y < d8.rows; y++) {
        const uchar *r = d8.ptr<uchar>(y);
        for (int x = 0; x < d8.cols; x++) hist[r[x]]++;
    }
    long total = (long)d8.cols * d8.rows, acc = 0;
    int p99 = 255;
    for (int v = 255; v >= 0; v--)
        if ((acc += hist[v]) * 100 >= total) {
            p99 = v;
            break;
        }
    double D = std::max(40, p99);
    cv::Mat g;
    dist.convertTo(g, CV_8U, -255.0 / D, 255.0);
    return g;
}

// How sharp the print's edges are at the reading scale: the mean |second
// derivative| over the mean gradient on strong edges, about one over the
// width of an edge in pixels. Measured on the cleaned cards: renders
// blurred like a hand-held photo 0.037-0.059, the 24 real phone photos
// 0.061-0.173, the 60 sample photos 0.040-0.137 (the 11 below 0.06 read
// the same with or without sharpening).
double edge_sharpness(const cv::Mat &g) {
    cv::Mat gx, gy, lap, mag, mask;
    cv::Sobel(g, gx, CV_32F, 1, 0);
    cv::Sobel(g, gy, CV_32F, 0, 1);
    cv::Laplacian(g, lap, CV_32F, 1);
    cv::magnitude(gx, gy, mag);
    mask = mag > 100;
    if (cv::countNonZero(mask) < 100) return 1;
    lap = cv::abs(lap);
    double sg = cv::sum(mag.setTo(0, ~mask))[0];
    double sl = cv::sum(lap.setTo(0, ~mask))[0];
    return sg > 0 ? sl / sg : 1;
}

// Scale, ink against the local ground, flatten illumination.
cv::Mat clean_card(const cv::Mat &bgr, int target_px, double *scale_out, int *inverted, int *sharpened,
                   cv::Mat *plain, cv::Mat colour[3]) {
    *inverted = 0;
    *sharpened = 0;
    cv::Mat g = ink_gray(bgr, inverted);
    if (g.empty()) { // a plain card: its darkest channel, or a dark one's lightest inverted
        std::vector<cv::Mat> ch;
        cv::split(bgr, ch);
        g = ch[0].clone();
        if (*inverted) {
            for (size_t i = 1; i < ch.size(); i++) g = cv::max(g, ch[i]);
            g = 255 - g;
        } else {
            for (size_t i = 1; i < ch.size(); i++) g = cv::min(g, ch[i]);
        }
    }
    double mh = median_char_height(g);
    double s = mh > 0 ? target_px / mh : 1000.0 / std::max(g.cols, g.rows);
    s = std::min(4.0, std::max(0.15, s));
    // never produce a huge image: Tesseract time grows with the area
    double maxs = 3200.0 / std::max(g.cols, g.rows);
    if (s > maxs) s = maxs;
    cv::Mat r;
    cv::resize(g, r, cv::Size(), s, s, s < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
    *scale_out = s;
    // Background = closing with a kernel larger than the strokes; divide.
    int k = std::max(15, (target_px * 2) | 1);
    cv::Mat bg, small;
    double f = 0.25;
    cv::resize(r, small, cv::Size(), f, f, cv::INTER_AREA);
    int ks = std::max(5, ((int)(k * f)) | 1);
    cv::morphologyEx(small, small, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(ks, ks)));
    cv::GaussianBlur(small, small, cv::Size(ks, ks), 0);
    cv::resize(small, bg, r.size(), 0, 0, cv::INTER_LINEAR);
    cv::Mat out;
    r.convertTo(r, CV_32F);
    bg.convertTo(bg, CV_32F);
    bg = cv::max(bg, 1.0);
    cv::divide(r, bg, out, 255.0);
    out.convertTo(out, CV_8U);
    // stretch so the darkest strokes become black
    double lo, hi;
    cv::minMaxLoc(out, &lo, &hi);
    if (hi - lo > 20) out.convertTo(out, CV_8U, 255.0 / (hi - lo), -lo * 255.0 / (hi - lo));
    // a blurred card (out of focus, shaken) gets an unsharp mask: on the
    // blurred renders it lifts the score 0.65 -> 0.73; sharp photos are left
    // alone (sharpening them amplifies JPEG noise: real photos 0.69 -> 0.54)
    if (edge_sharpness(out) < OCR_BLURRED_EDGES) {
        cv::Mat bl;
        cv::GaussianBlur(out, bl, cv::Size(0, 0), 1.5);
        cv::addWeighted(out, 2.0, bl, -1.0, 0, out);
        *sharpened = 1;
    }
    // add a white border (Tesseract reads edge text better)
    cv::copyMakeBorder(out, out, 12, 12, 12, 12, cv::BORDER_CONSTANT, cv::Scalar(255));
    cv::Mat pg;
    cv::cvtColor(bgr, pg, cv::COLOR_BGR2GRAY);
    cv::resize(pg, *plain, r.size(), 0, 0, s < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
    cv::copyMakeBorder(*plain, *plain, 12, 12, 12, 12, cv::BORDER_REPLICATE);
    std::vector<cv::Mat> ch;
    cv::split(bgr, ch);
    for (int i = 0; i < 3; i++) {
        cv::resize(ch[(size_t)i % ch.size()], colour[i], r.size(), 0, 0, s < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
        cv::copyMakeBorder(colour[i], colour[i], 12, 12, 12, 12, cv::BORDER_REPLICATE);
    }
    return out;
}

int to_gray(const cv::Mat &m, ocr_gray_t *g) {
    CV_Assert(m.type() == CV_8U);
    g->pixels = (unsigned char *)malloc((size_t)m.cols * m.rows);
    if (!g->pixels) return GR_ERR_NOMEM;
    for (int y = 0; y < m.rows; y++) memcpy(g->pixels + (size_t)y * m.cols, m.ptr(y), (size_t)m.cols);
    g->width = m.cols;
    g->height = m.rows;
    return GR_OK;
}

std::string decode_qr(const cv::Mat &img) {
    cv::Mat g;
    if (img.channels() == 3) {
        std::vector<cv::Mat> ch;
        cv::split(img, ch);
        g = cv::min(cv::min(ch[0], ch[1]), ch[2]);
    } else {
        g = img;
    }
    if (std::max(g.cols, g.rows) > 1600) {
        double s = 1600.0 / std::max(g.cols, g.rows);
        cv::resize(g, g, cv::Size(), s, s, cv::INTER_AREA);
    }
    if (!g.isContinuous()) g = g.clone();
    char *t = nullptr;
    if (ocr_qr_decode(g.data, g.cols, g.rows, &t) != GR_OK || !t) {
        // small codes: modules of 2-3 pixels decode better enlarged and binarised
        if (std::max(g.cols, g.rows) > 1700) return std::string();
        cv::Mat big;
        cv::resize(g, big, cv::Size(), 2.0, 2.0, cv::INTER_CUBIC);
        cv::threshold(big, big, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
        if (!big.isContinuous()) big = big.clone();
        if (ocr_qr_decode(big.data, big.cols, big.rows, &t) != GR_OK || !t) return std::string();
    }
    std::string r(t);
    free(t);
    return r;
}

} // namespace

extern "C" int ocr_image_prepare(const void *buf, size_t len, const ocr_image_opts_t *opts, ocr_card_img_t **cards,
                                 int *ncards, char *err, size_t errlen) {
    *cards = nullptr;
    *ncards = 0;
    ocr_img_type_t type;
    int w, h;
    int rc = ocr_imghdr_probe(buf, len, &type, &w, &h, err, errlen);
    if (rc != GR_OK) return rc;
    double mp = (double)w * h / 1e6;
    if (mp > opts->max_megapixels) {
        if (err && errlen)
            snprintf(err, errlen, "image is %dx%d (%.1f megapixels), more than ocr.max_megapixels=%.0f", w, h, mp,
                     opts->max_megapixels);
        return GR_ERR_TOOBIG;
    }
    ocr_card_img_t *out = nullptr;
    int n = 0;
    try {
        cv::Mat raw(1, (int)len, CV_8U, const_cast<void *>(buf));
        cv::Mat bgr = cv::imdecode(raw, cv::IMREAD_COLOR);
        // imdecode turns the photo by its EXIF orientation: then width and
        // height are swapped
        if (bgr.empty() || !((bgr.cols == w && bgr.rows == h) || (bgr.cols == h && bgr.rows == w))) {
            set_err(err, errlen, "the image could not be decoded (corrupt data)");
            return GR_ERR_FORMAT;
        }
        std::vector<Quad> quads;
        if (!opts->whole) quads = find_quads(bgr);
        int maxc = std::max(1, opts->max_cards);
        if ((int)quads.size() > maxc) quads.resize(maxc);
        int count = quads.empty() ? 1 : (int)quads.size();
        out = (ocr_card_img_t *)calloc((size_t)count, sizeof *out);
        if (!out) return GR_ERR_NOMEM;
        for (int i = 0; i < count; i++) {
            cv::Mat card;
            double slant = 0;
            if (quads.empty()) {
                card = bgr(content_box(bgr));
                if (card.cols > 2400 || card.rows > 2400) {
                    double s = 2400.0 / std::max(card.cols, card.rows);
                    cv::resize(card.clone(), card, cv::Size(), s, s, cv::INTER_AREA);
                }
            } else {
                card = warp_card(bgr, quads[i]);
                slant = text_slant(card);
                if (slant != 0) card = turned(card, slant);
            }
            ocr_card_img_t *c = &out[i];
            c->located = !quads.empty();
            c->slant = slant;
            if (opts->want_qr) {
                std::string t = decode_qr(card);
                if (!t.empty()) {
                    c->qr = strdup(t.c_str());
                    if (!c->qr) throw std::bad_alloc();
                }
            }
            cv::Mat plain, colour[3];
            cv::Mat clean = clean_card(card, opts->target_text_px > 0 ? opts->target_text_px : 26, &c->scale,
                                       &c->inverted, &c->sharpened, &plain, colour);
            n = i + 1;
            if (to_gray(clean, &c->gray) != GR_OK || to_gray(plain, &c->plain) != GR_OK) throw std::bad_alloc();
            for (int k = 0; k < 3; k++)
                if (to_gray(colour[k], &c->colour[k]) != GR_OK) throw std::bad_alloc();
        }
    } catch (const std::bad_alloc &) {
        ocr_card_imgs_free(out, n);
        set_err(err, errlen, "out of memory");
        return GR_ERR_NOMEM;
    } catch (const cv::Exception &e) {
        ocr_card_imgs_free(out, n);
        if (err && errlen) snprintf(err, errlen, "image processing failed: %s", e.what());
        return GR_ERR_FORMAT;
    }
    *cards = out;
    *ncards = n;
    return GR_OK;
}

extern "C" double ocr_gray_edge_sharpness(const ocr_gray_t *g) {
    if (!g || !g->pixels || g->width < 3 || g->height < 3) return 1;
    try {
        cv::Mat m(g->height, g->width, CV_8U, g->pixels);
        return edge_sharpness(m);
    } catch (const std::exception &) {
        return 1;
    }
}

extern "C" int ocr_gray_rotate(ocr_gray_t *g, int quarter_turns) {
    int q = ((quarter_turns % 4) + 4) % 4;
    if (q == 0 || !g->pixels) return GR_OK;
    try {
        cv::Mat m(g->height, g->width, CV_8U, g->pixels), r;
        cv::rotate(m, r, q == 1 ? cv::ROTATE_90_CLOCKWISE : q == 2 ? cv::ROTATE_180 : cv::ROTATE_90_COUNTERCLOCKWISE);
        ocr_gray_t ng;
        if (to_gray(r, &ng) != GR_OK) return GR_ERR_NOMEM;
        free(g->pixels);
        *g = ng;
        return GR_OK;
    } catch (...) {
        return GR_ERR_NOMEM;
    }
}

extern "C" int ocr_gray_scaled(const ocr_gray_t *g, double s, ocr_gray_t *out) {
    out->pixels = nullptr;
    out->width = out->height = 0;
    if (!g->pixels || !(s > 0 && s <= 4)) return GR_ERR_INVAL;
    try {
        cv::Mat m(g->height, g->width, CV_8U, g->pixels), r;
        cv::resize(m, r, cv::Size(), s, s, s < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
        return to_gray(r, out);
    } catch (...) {
        return GR_ERR_NOMEM;
    }
}

extern "C" int ocr_gray_line_crop(const ocr_gray_t *g, int x, int y, int w, int h, int margin, double s,
                                  int sharpen_hw, double amount, int border, ocr_gray_t *out) {
    out->pixels = nullptr;
    out->width = out->height = 0;
    if (!g->pixels || !(s > 0 && s <= 4) || w <= 0 || h <= 0 || margin < 0 || border < 0 || sharpen_hw < 0)
        return GR_ERR_INVAL;
    int x0 = std::max(0, x - margin), y0 = std::max(0, y - margin);
    int x1 = std::min(g->width, x + w + margin), y1 = std::min(g->height, y + h + margin);
    if (x1 - x0 < 4 || y1 - y0 < 4) return GR_ERR_INVAL;
    try {
        cv::Mat m(g->height, g->width, CV_8U, g->pixels), r;
        cv::Mat roi = m(cv::Rect(x0, y0, x1 - x0, y1 - y0));
        if (s == 1.0) r = roi.clone();
        else cv::resize(roi, r, cv::Size(), s, s, s < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
        if (sharpen_hw > 0 && amount > 0) {
            int k = 2 * std::max(1, (int)std::lround(sharpen_hw * s)) + 1;
            cv::Mat bl;
            cv::blur(r, bl, cv::Size(k, k), cv::Point(-1, -1), cv::BORDER_REPLICATE);
            cv::addWeighted(r, 1.0 + amount, bl, -amount, 0, r); // saturates to 0..255
        }
        if (border) cv::copyMakeBorder(r, r, border, border, border, border, cv::BORDER_CONSTANT, cv::Scalar(255));
        return to_gray(r, out);
    } catch (...) {
        return GR_ERR_NOMEM;
    }
}

// A crop cut in two (b: 0 and 255) made ready to read: the ground, the
// side most of its rim is on (all of a crop under 3 px across), white,
// framed by border white pixels, into *out (its old pixels freed). Throws
// std::bad_alloc.
static int ground_white(cv::Mat &b, int border, ocr_gray_t *out) {
    long rim = (long)b.total(), white = (long)cv::countNonZero(b);
    if (b.cols > 2 && b.rows > 2) {
        cv::Mat inner = b(cv::Rect(1, 1, b.cols - 2, b.rows - 2));
        rim -= (long)inner.total();
        white -= (long)cv::countNonZero(inner);
    }
    if (2 * white < rim) b = 255 - b;
    if (border) cv::copyMakeBorder(b, b, border, border, border, border, cv::BORDER_CONSTANT, cv::Scalar(255));
    ocr_gray_t bin;
    if (to_gray(b, &bin) != GR_OK) throw std::bad_alloc();
    ocr_gray_free(out);
    *out = bin;
    return GR_OK;
}

extern "C" int ocr_gray_line_crop_binary(const ocr_gray_t *g, int x, int y, int w, int h, int margin, double s,
                                         int border, ocr_gray_t *out) {
    int rc = ocr_gray_line_crop(g, x, y, w, h, margin, s, 0, 0, 0, out);
    if (rc != GR_OK) return rc;
    try {
        cv::Mat m(out->height, out->width, CV_8U, out->pixels), b;
        cv::threshold(m, b, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
        return ground_white(b, border, out);
    } catch (...) {
        ocr_gray_free(out);
        return GR_ERR_NOMEM;
    }
}

extern "C" int ocr_gray_line_crop_flat(const ocr_gray_t *g, int x, int y, int w, int h, int margin, double s,
                                       int border, ocr_gray_t *out) {
    int rc = ocr_gray_line_crop(g, x, y, w, h, margin, s, 0, 0, 0, out);
    if (rc != GR_OK) return rc;
    try {
        cv::Mat m(out->height, out->width, CV_8U, out->pixels), f, mean, sq, sd, b;
        m.convertTo(f, CV_32F);
        double sigma = std::max(2.0, h * s / 4.0);
        cv::GaussianBlur(f, mean, cv::Size(0, 0), sigma, sigma, cv::BORDER_REPLICATE);
        cv::GaussianBlur(f.mul(f), sq, cv::Size(0, 0), sigma, sigma, cv::BORDER_REPLICATE);
        cv::sqrt(cv::max(sq - mean.mul(mean), 0.0f), sd);
        // how far each pixel stands from its neighbourhood's mean, in its
        // neighbourhood's spreads (at most three): low contrast under the
        // glare counts as much as full contrast beside it
        cv::divide(f - mean, sd + 4.0f, f);
        f = cv::min(cv::max(f, -3.0f), 3.0f);
        cv::normalize(f, f, 0, 255, cv::NORM_MINMAX);
        f.convertTo(m, CV_8U);
        cv::threshold(m, b, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
        return ground_white(b, border, out);
    } catch (...) {
        ocr_gray_free(out);
        return GR_ERR_NOMEM;
    }
}

// The two thresholds that cut a histogram into three classes with the
// least spread within them (Otsu's rule for three classes): *t1 < *t2,
// values <= *t1 the darkest class, > *t2 the lightest.
static void otsu3(const long hist[256], int *t1, int *t2) {
    double P[257] = {0}, S[257] = {0};
    for (int v = 0; v < 256; v++) {
        P[v + 1] = P[v] + (double)hist[v];
        S[v + 1] = S[v] + (double)v * hist[v];
    }
    double best = -1;
    *t1 = 84;
    *t2 = 170;
    // between-class spread of classes [0, a], (a, b], (b, 255]
    for (int a = 0; a < 254; a++) {
        double w0 = P[a + 1], s0 = S[a + 1];
        if (w0 <= 0) continue;
        for (int b = a + 1; b < 255; b++) {
            double w1 = P[b + 1] - P[a + 1], w2 = P[256] - P[b + 1];
            if (w1 <= 0 || w2 <= 0) continue;
            double s1 = S[b + 1] - S[a + 1], s2 = S[256] - S[b + 1];
            double q = s0 * s0 / w0 + s1 * s1 / w1 + s2 * s2 / w2;
            if (q > best) {
                best = q;
                *t1 = a;
                *t2 = b;
            }
        }
    }
}

extern "C" int ocr_gray_line_crop_levels(const ocr_gray_t *g, int x, int y, int w, int h, int margin, double s,
                                         int level, int border, ocr_gray_t *out) {
    int rc = ocr_gray_line_crop(g, x, y, w, h, margin, s, 0, 0, 0, out);
    if (rc != GR_OK) return rc;
    try {
        cv::Mat m(out->height, out->width, CV_8U, out->pixels), b;
        long hist[256] = {0};
        for (int r = 0; r < m.rows; r++) {
            const uchar *p = m.ptr(r);
            for (int c = 0; c < m.cols; c++) hist[p[c]]++;
        }
        int t1, t2;
        otsu3(hist, &t1, &t2);
        cv::threshold(m, b, level ? t2 : t1, 255, cv::THRESH_BINARY);
        return ground_white(b, border, out);
    } catch (...) {
        ocr_gray_free(out);
        return GR_ERR_NOMEM;
    }
}

extern "C" int ocr_gray_line_crop_local(const ocr_gray_t *g, const ocr_gray_t *ref, int x, int y, int w, int h,
                                        int margin, double s, int border, ocr_gray_t *out) {
    out->pixels = nullptr;
    out->width = out->height = 0;
    if (!ref || !ref->pixels || ref->width != g->width || ref->height != g->height) return GR_ERR_INVAL;
    ocr_gray_t rc = {nullptr, 0, 0};
    int r = ocr_gray_line_crop(ref, x, y, w, h, margin, s, 0, 0, 0, &rc);
    if (r != GR_OK) return r;
    r = ocr_gray_line_crop(g, x, y, w, h, margin, s, 0, 0, 0, out);
    if (r != GR_OK) {
        ocr_gray_free(&rc);
        return r;
    }
    try {
        cv::Mat m(out->height, out->width, CV_8U, out->pixels), rm(rc.height, rc.width, CV_8U, rc.pixels), b;
        // the same polarity as the clean card's: inverted when they run against each other
        cv::Mat a, c;
        m.convertTo(a, CV_32F);
        rm.convertTo(c, CV_32F);
        a -= cv::mean(a)[0];
        c -= cv::mean(c)[0];
        if (a.dot(c) < 0) m = 255 - m;
        int blk = std::max(3, out->height | 1);
        cv::adaptiveThreshold(m, b, 255, cv::ADAPTIVE_THRESH_GAUSSIAN_C, cv::THRESH_BINARY, blk, 15);
        if (border) cv::copyMakeBorder(b, b, border, border, border, border, cv::BORDER_CONSTANT, cv::Scalar(255));
        ocr_gray_t bin;
        if (to_gray(b, &bin) != GR_OK) throw std::bad_alloc();
        ocr_gray_free(out);
        ocr_gray_free(&rc);
        *out = bin;
        return GR_OK;
    } catch (...) {
        ocr_gray_free(out);
        ocr_gray_free(&rc);
        return GR_ERR_NOMEM;
    }
}

extern "C" int ocr_gray_text_rows(const ocr_gray_t *g, int **boxes, int *n) {
    *boxes = nullptr;
    *n = 0;
    if (!g->pixels || g->width < 16 || g->height < 16) return GR_ERR_INVAL;
    try {
        cv::Mat m(g->height, g->width, CV_8U, g->pixels), bin;
        int blk = std::max(15, (std::min(m.cols, m.rows) / 20) | 1);
        cv::adaptiveThreshold(m, bin, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, blk, 15);
        cv::Mat labels, stats, cent;
        int nc = cv::connectedComponentsWithStats(bin, labels, stats, cent, 8, CV_32S);
        std::vector<int> hs;
        std::vector<cv::Rect> keep;
        for (int i = 1; i < nc; i++) {
            int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
            int a = stats.at<int>(i, cv::CC_STAT_AREA);
            if (h < 6 || h > m.rows / 6 || w > 3 * h || w * 10 < h || a < (w * h) / 10) continue;
            keep.emplace_back(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), w, h);
            hs.push_back(h);
        }
        if (hs.size() < 3) return GR_OK;
        std::vector<int> sorted = hs;
        std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
        int mh = std::max(6, sorted[sorted.size() / 2]);
        // marks of a plausible text size, smeared along the row into words and lines
        cv::Mat mask = cv::Mat::zeros(m.size(), CV_8U);
        for (const cv::Rect &r : keep)
            if (r.height <= 4 * mh && r.height * 3 >= mh) cv::rectangle(mask, r, cv::Scalar(255), cv::FILLED);
        cv::dilate(mask, mask, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(mh + 1, 1)));
        int nr = cv::connectedComponentsWithStats(mask, labels, stats, cent, 8, CV_32S);
        std::vector<int> out;
        for (int i = 1; i < nr; i++) {
            int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
            int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
            if (h > 5 * mh || w < mh) continue;
            // undo the smear at both ends
            int d = (mh + 1) / 2;
            out.insert(out.end(), {x + d, y, std::max(1, w - 2 * d), h});
        }
        if (out.empty()) return GR_OK;
        *boxes = (int *)malloc(out.size() * sizeof(int));
        if (!*boxes) return GR_ERR_NOMEM;
        memcpy(*boxes, out.data(), out.size() * sizeof(int));
        *n = (int)(out.size() / 4);
        return GR_OK;
    } catch (...) {
        return GR_ERR_NOMEM;
    }
}

extern "C" int ocr_gray_write_png(const ocr_gray_t *g, const char *path) {
    try {
        cv::Mat m(g->height, g->width, CV_8U, g->pixels);
        return cv::imwrite(path, m) ? GR_OK : GR_ERR_IO;
    } catch (...) {
        return GR_ERR_IO;
    }
}

extern "C" void ocr_gray_free(ocr_gray_t *g) {
    if (!g) return;
    free(g->pixels);
    g->pixels = nullptr;
    g->width = g->height = 0;
}

extern "C" void ocr_card_imgs_free(ocr_card_img_t *cards, int n) {
    if (!cards) return;
    for (int i = 0; i < n; i++) {
        ocr_gray_free(&cards[i].gray);
        ocr_gray_free(&cards[i].plain);
        for (int k = 0; k < 3; k++) ocr_gray_free(&cards[i].colour[k]);
        free(cards[i].qr);
    }
    free(cards);
}
