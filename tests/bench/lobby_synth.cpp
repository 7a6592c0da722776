// lobby_synth.cpp - a harder synthetic lobby video for the face pipeline
// (issue 14), with its visit list in the format of ../shared/tools/visit_eval.py.
//
// What makes it harder than visits.mp4: people without visible faces (seen
// from behind) crossing the background all the time, a door that opens, a
// screen whose picture changes, slow lighting drift and auto-exposure steps,
// sensor noise and short camera shakes; a visitor already in view at frame 0,
// two visitors at once, visitors standing still for 10 s, faces from 70 to
// 160 px, head tilt, a passer-by briefly in front of a face, and returns at
// least 12 s after the previous visit of the same person.
//
// Faces are the identity photos of ../shared/data/faces (150x150 gray chips).
// Two sets: "dev" (amy, howard, penny, sheldon) and "heldout" (bernadette,
// leonard, raj, stuart) so settings tuned on one are checked on people they
// were never tuned on.
//
// usage: lobby_synth FACES_DIR SET OUT.mp4 OUT.json [SEED]
//
// Visit spans: from the first frame the whole face is in the picture to the
// last. Where two visits overlap, the one that starts later is listed first:
// visit_eval.py gives an event to the first listed visit whose span holds it,
// and the later arrival's greeting falls in both spans.
#include <opencv2/opencv.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

const int W = 640, H = 480, FPS = 15;

struct Visit {
    std::string identity;
    int photo;        // 1..5
    int face_px;      // the face box dlib's detector reports (about 0.9 x the drawn chip)
    double t0;        // arrival (s); the face slides in over ENTER_S unless t0 == 0
    double stand_s;   // standing in place
    int cx, cy;       // where the face centre stands
    double tilt_deg;  // head roll
    double sway;      // px of slow sideways sway (0: perfectly still)
    int from_left;    // slides in from the left edge
    bool occluded;    // a passer-by crosses in front of the face once
    // filled while rendering
    int start = -1, end = -1;
    bool returning = false;
};

const double ENTER_S = 0.8;
// dlib's box around a face drawn from a 150x150 identity chip is about 0.9
// times the chip (measured with `greeter faces watch` on these videos)
const double CHIP_TO_BOX = 0.9;

struct Walker {  // a person seen from behind, crossing
    double t0, speed;  // px/s, sign = direction
    int y, head;       // head centre y, head diameter
    cv::Scalar hair, coat;
    bool front;        // in front of the visitors (an occlusion)
};

double smooth(double x) { return x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x); }

// Face centre of visit v at time t; false when the visitor is not in the picture.
bool visit_pos(const Visit &v, double t, double *x, double *y, double *tilt) {
    double enter = v.t0 == 0 ? 0 : ENTER_S;
    double t_end = v.t0 + enter + v.stand_s + ENTER_S;
    if (t < v.t0 || t > t_end) return false;
    double off = v.face_px / CHIP_TO_BOX * 1.6 + 40;  // fully outside, shoulders included
    double edge = v.from_left ? -off : W + off;
    double k;
    if (t < v.t0 + enter) k = smooth((t - v.t0) / enter);
    else if (t <= v.t0 + enter + v.stand_s) k = 1;
    else k = 1 - smooth((t - v.t0 - enter - v.stand_s) / ENTER_S);
    double sx = v.sway * std::sin(2 * M_PI * (t - v.t0) / 5.0);
    *x = edge + (v.cx + sx - edge) * k;
    *y = v.cy + (v.sway > 0 ? 2 * std::sin(2 * M_PI * (t - v.t0) / 3.1) : 0);
    *tilt = v.tilt_deg * (v.sway > 0 ? std::sin(2 * M_PI * (t - v.t0) / 7.0) : 1.0);
    return true;
}

// Paste a gray face chip (size s, rotated by tilt) with a soft elliptical
// edge, on a body, centred at (x, y).
void draw_visitor(cv::Mat &img, const cv::Mat &chip, int face_px, double x, double y, double tilt, const cv::Scalar &coat) {
    int s = (int)std::lround(face_px / CHIP_TO_BOX);
    // body: shoulders and torso below the head
    cv::ellipse(img, cv::Point((int)x, (int)(y + s * 1.25)), cv::Size((int)(s * 0.85), (int)(s * 0.7)), 0, 180, 360, coat,
                cv::FILLED, cv::LINE_AA);
    cv::rectangle(img, cv::Point((int)(x - s * 0.85), (int)(y + s * 1.25)), cv::Point((int)(x + s * 0.85), H + 10), coat,
                  cv::FILLED);
    cv::Mat face;
    cv::resize(chip, face, cv::Size(s, s), 0, 0, s > chip.cols ? cv::INTER_CUBIC : cv::INTER_AREA);
    cv::Mat faceC;
    cv::cvtColor(face, faceC, cv::COLOR_GRAY2BGR);
    cv::Mat mask(s, s, CV_32F, cv::Scalar(0));
    cv::ellipse(mask, cv::Point(s / 2, s / 2), cv::Size((int)(s * 0.47), (int)(s * 0.5)), 0, 0, 360, cv::Scalar(1), cv::FILLED,
                cv::LINE_AA);
    cv::GaussianBlur(mask, mask, cv::Size(0, 0), s * 0.03 + 0.5);
    if (std::fabs(tilt) > 0.1) {
        cv::Mat rot = cv::getRotationMatrix2D(cv::Point2f(s / 2.0f, s / 2.0f), tilt, 1.0);
        cv::warpAffine(faceC, faceC, rot, faceC.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        cv::warpAffine(mask, mask, rot, mask.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
    }
    int x0 = (int)std::lround(x - s / 2.0), y0 = (int)std::lround(y - s / 2.0);
    for (int r = 0; r < s; r++) {
        int yy = y0 + r;
        if (yy < 0 || yy >= H) continue;
        for (int c = 0; c < s; c++) {
            int xx = x0 + c;
            if (xx < 0 || xx >= W) continue;
            float a = mask.at<float>(r, c);
            if (a <= 0) continue;
            cv::Vec3b &d = img.at<cv::Vec3b>(yy, xx);
            const cv::Vec3b &f = faceC.at<cv::Vec3b>(r, c);
            for (int ch = 0; ch < 3; ch++) d[ch] = cv::saturate_cast<uchar>(d[ch] * (1 - a) + f[ch] * a);
        }
    }
}

void draw_walker(cv::Mat &img, const Walker &w, double t) {
    double x = w.speed > 0 ? -80 + w.speed * (t - w.t0) : W + 80 + w.speed * (t - w.t0);
    if (x < -100 || x > W + 100) return;
    int h = w.head;
    double bob = 2 * std::sin(t * 9);
    cv::ellipse(img, cv::Point((int)x, (int)(w.y + h * 1.6 + bob)), cv::Size((int)(h * 0.95), (int)(h * 1.3)), 0, 0, 360, w.coat,
                cv::FILLED, cv::LINE_AA);
    cv::ellipse(img, cv::Point((int)x, (int)(w.y + bob)), cv::Size(h / 2, (int)(h * 0.58)), 0, 0, 360, w.hair, cv::FILLED,
                cv::LINE_AA);
}

cv::Mat background(std::mt19937 &rng) {
    cv::Mat bg(H, W, CV_8UC3);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            bg.at<cv::Vec3b>(y, x) = cv::Vec3b((uchar)(150 + x / 16), (uchar)(165 + y / 20), (uchar)(175 + x / 32));
    cv::rectangle(bg, cv::Rect(0, 400, W, 80), cv::Scalar(70, 90, 110), cv::FILLED);  // the desk
    cv::rectangle(bg, cv::Rect(0, 396, W, 5), cv::Scalar(40, 50, 60), cv::FILLED);
    cv::rectangle(bg, cv::Rect(20, 40, 110, 200), cv::Scalar(110, 120, 125), cv::FILLED);  // a cupboard
    for (int i = 0; i < 4; i++) cv::line(bg, cv::Point(20, 80 + 40 * i), cv::Point(130, 80 + 40 * i), cv::Scalar(80, 85, 90), 2);
    std::uniform_int_distribution<int> d(0, 255);
    for (int i = 0; i < 14; i++)  // posters and plant leaves: texture the detector must reject
        cv::circle(bg, cv::Point(160 + d(rng) % 60, 300 + d(rng) % 90), 8 + d(rng) % 10, cv::Scalar(40, 110 + d(rng) % 60, 40),
                   cv::FILLED, cv::LINE_AA);
    return bg;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: %s FACES_DIR dev|heldout OUT.mp4 OUT.json [SEED]\n", argv[0]);
        return 2;
    }
    std::string faces = argv[1], set = argv[2];
    unsigned seed = argc > 5 ? (unsigned)std::atoi(argv[5]) : 14;
    std::vector<std::string> ids;
    if (set == "dev") ids = {"amy", "howard", "penny", "sheldon"};
    else if (set == "heldout") ids = {"bernadette", "leonard", "raj", "stuart"};
    else {
        std::fprintf(stderr, "set must be dev or heldout\n");
        return 2;
    }
    std::mt19937 rng(seed + (set == "dev" ? 0 : 1000));
    // The schedule: (identity index, photo, face px, arrival, stand, x, y, tilt, sway, side, occluded)
    std::vector<Visit> vs = {
        {ids[0], 1, 120, 0.0, 4.5, 300, 200, 4, 3, 0, false},      // in view at frame 0, standing
        {ids[1], 2, 95, 7.0, 10.0, 330, 210, 0, 0, 1, false},      // stands perfectly still for 10 s
        {ids[2], 3, 150, 19.0, 5.0, 240, 190, -10, 4, 0, true},    // tilted; a passer-by crosses in front
        {ids[3], 1, 80, 26.0, 6.0, 470, 170, 3, 2, 1, false},      // small and distant
        {ids[0], 3, 110, 33.5, 6.0, 180, 210, 6, 3, 0, false},     // two at once: arrives first ...
        {ids[1], 4, 130, 35.5, 5.0, 460, 200, -5, 3, 1, false},    // ... and this one joins
        {ids[2], 1, 80, 45.0, 10.0, 350, 180, 8, 0, 1, false},     // returns (26 s later), still for 10 s
        {ids[3], 4, 160, 58.0, 4.5, 320, 215, -4, 5, 0, false},    // returns close up
        {ids[0], 5, 75, 65.0, 5.0, 420, 170, -8, 2, 1, false},     // returns small
        {ids[1], 5, 140, 73.0, 5.0, 250, 205, 10, 4, 0, true},     // returns tilted, occluded
        {ids[2], 5, 100, 81.0, 5.0, 330, 200, 0, 3, 1, false},     // third visit
        {ids[3], 2, 90, 89.0, 5.0, 200, 190, 5, 3, 0, false},      // third visit
    };
    if (set == "heldout") {  // same kinds of scenes, other places and sizes
        for (auto &v : vs) {
            v.cx = W - v.cx;
            v.from_left = !v.from_left;
            v.tilt_deg = -v.tilt_deg;
            v.photo = v.photo % 5 + 1;
            // stuart5.png is a profile (dlib's detector finds no face in the
            // photo itself, vision.max_yaw refuses it): not a visit anyone
            // could recognise from the front
            if (v.identity == "stuart" && v.photo == 5) v.photo = 1;
        }
    }
    double duration = 0;
    for (auto &v : vs) duration = std::max(duration, v.t0 + ENTER_S * 2 + v.stand_s + 1.5);
    int frames = (int)(duration * FPS);
    std::vector<cv::Mat> chips;
    for (auto &v : vs) {
        std::string p = faces + "/identities/" + v.identity + "/" + v.identity + std::to_string(v.photo) + ".png";
        cv::Mat c = cv::imread(p, cv::IMREAD_GRAYSCALE);
        if (c.empty()) {
            std::fprintf(stderr, "cannot read %s\n", p.c_str());
            return 1;
        }
        chips.push_back(c);
    }
    std::vector<cv::Scalar> coats = {{60, 40, 30}, {40, 40, 120}, {90, 60, 50}, {30, 80, 30}, {120, 110, 100}};
    // walkers seen from behind, about one every 2.5 s, some in front of the desk
    std::vector<Walker> walkers;
    std::uniform_real_distribution<double> u(0, 1);
    for (double t = 0.5; t < duration; t += 1.5 + 2.0 * u(rng)) {
        Walker w;
        w.t0 = t;
        w.speed = (u(rng) < 0.5 ? -1 : 1) * (90 + 90 * u(rng));
        w.head = 30 + (int)(30 * u(rng));
        w.y = 120 + (int)(60 * u(rng));
        w.hair = cv::Scalar(20 + 40 * u(rng), 25 + 40 * u(rng), 30 + 50 * u(rng));
        w.coat = coats[(size_t)(u(rng) * coats.size()) % coats.size()];
        w.front = false;
        walkers.push_back(w);
    }
    // the occlusions: a passer-by in front of the face, 2 s into the stand
    for (auto &v : vs)
        if (v.occluded) {
            Walker w;
            w.t0 = v.t0 + ENTER_S + 2.0;
            w.speed = 700;  // crosses the frame in about a second, covers the face ~0.3 s
            w.head = 70;
            w.y = v.cy - 10;
            w.hair = cv::Scalar(30, 30, 35);
            w.coat = cv::Scalar(50, 50, 60);
            w.front = true;
            walkers.push_back(w);
        }
    cv::Mat bg = background(rng);
    cv::VideoWriter out(argv[3], cv::VideoWriter::fourcc('m', 'p', '4', 'v'), FPS, cv::Size(W, H));
    if (!out.isOpened()) {
        std::fprintf(stderr, "cannot write %s\n", argv[3]);
        return 1;
    }
    std::normal_distribution<double> noise(0, 2.5);
    cv::Mat frame, noiseM(H, W, CV_16SC3);
    double exposure = 1.0, exp_target = 1.0;
    double next_step = 6.0;
    for (int f = 0; f < frames; f++) {
        double t = (double)f / FPS;
        frame = bg.clone();
        // the screen on the wall: a new picture every 1.5 s, a moving ticker
        int pic = (int)(t / 1.5);
        std::mt19937 prng((unsigned)pic * 7919u + seed);
        cv::rectangle(frame, cv::Rect(500, 40, 120, 80), cv::Scalar(20, 20, 20), cv::FILLED);
        for (int i = 0; i < 6; i++)
            cv::rectangle(frame, cv::Rect(505 + (int)(prng() % 90), 45 + (int)(prng() % 50), 10 + (int)(prng() % 20), 8 + (int)(prng() % 15)),
                          cv::Scalar((double)(prng() % 255), (double)(prng() % 255), (double)(prng() % 255)), cv::FILLED);
        cv::rectangle(frame, cv::Rect(500 + (int)(std::fmod(t * 60, 120)), 108, 20, 8), cv::Scalar(220, 220, 220), cv::FILLED);
        // the door: opens for 2 s every 11 s
        double dp = std::fmod(t, 11.0);
        int open = dp > 3 && dp < 5 ? (int)(60 * std::sin((dp - 3) / 2 * M_PI)) : 0;
        cv::rectangle(frame, cv::Rect(150, 60, 90, 330), cv::Scalar(60, 75, 95), cv::FILLED);
        if (open) cv::rectangle(frame, cv::Rect(150, 60, open, 330), cv::Scalar(200, 210, 215), cv::FILLED);
        for (auto &w : walkers)
            if (!w.front) draw_walker(frame, w, t);
        // visitors, the nearer (larger) in front
        std::vector<size_t> order;
        for (size_t i = 0; i < vs.size(); i++) order.push_back(i);
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return vs[a].face_px < vs[b].face_px; });
        for (size_t i : order) {
            double x, y, tilt;
            Visit &v = vs[i];
            if (!visit_pos(v, t, &x, &y, &tilt)) continue;
            draw_visitor(frame, chips[i], v.face_px, x, y, tilt, coats[i % coats.size()]);
            double half = v.face_px / CHIP_TO_BOX * 0.5;  // the chip
            if (x - half >= 0 && x + half <= W && y - half >= 0 && y + half <= H) {
                if (v.start < 0) v.start = f;
                v.end = f;
            }
        }
        for (auto &w : walkers)
            if (w.front) draw_walker(frame, w, t);
        // lighting: slow drift, auto-exposure steps that settle in ~1 s, mains flicker
        if (t >= next_step) {
            exp_target = 0.8 + 0.4 * u(rng);
            exposure = exposure * 0.6 + exp_target * 0.4 + (u(rng) < 0.5 ? -0.12 : 0.12);  // the step
            next_step += 5 + 6 * u(rng);
        }
        exposure += (exp_target - exposure) * 0.15;
        double gain = exposure * (1 + 0.1 * std::sin(2 * M_PI * t / 23.0)) * (1 + 0.01 * std::sin(2 * M_PI * f / 3.0));
        frame.convertTo(frame, -1, gain, 0);
        // camera shake: a few frames every ~17 s
        if (std::fmod(t, 17.0) > 9 && std::fmod(t, 17.0) < 9.4) {
            cv::Mat m = (cv::Mat_<double>(2, 3) << 1, 0, 3 * std::sin(f * 2.0), 0, 1, 2 * std::cos(f * 1.7));
            cv::warpAffine(frame, frame, m, frame.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        }
        cv::randn(noiseM, cv::Scalar::all(0), cv::Scalar::all(2.5));
        frame.convertTo(frame, CV_16SC3);
        frame += noiseM;
        frame.convertTo(frame, CV_8UC3);
        out.write(frame);
    }
    out.release();
    // returning flags, and the overlap order (a later arrival first)
    std::vector<std::string> seen;
    for (auto &v : vs) {
        v.returning = std::find(seen.begin(), seen.end(), v.identity) != seen.end();
        seen.push_back(v.identity);
    }
    std::vector<size_t> idx;
    for (size_t i = 0; i < vs.size(); i++) idx.push_back(i);
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return vs[a].start < vs[b].start; });
    for (size_t k = 0; k + 1 < idx.size(); k++)
        if (vs[idx[k + 1]].start <= vs[idx[k]].end + FPS / 2) std::swap(idx[k], idx[k + 1]), k++;
    FILE *js = std::fopen(argv[4], "w");
    if (!js) {
        std::fprintf(stderr, "cannot write %s\n", argv[4]);
        return 1;
    }
    std::fprintf(js, "{\n \"fps\": %d,\n \"frames\": %d,\n \"size\": [%d, %d],\n \"set\": \"%s\",\n \"identities\": [", FPS, frames,
                 W, H, set.c_str());
    for (size_t i = 0; i < ids.size(); i++) std::fprintf(js, "%s\"%s\"", i ? ", " : "", ids[i].c_str());
    std::fprintf(js, "],\n \"visits\": [\n");
    for (size_t k = 0; k < idx.size(); k++) {
        const Visit &v = vs[idx[k]];
        std::fprintf(js,
                     "  {\"identity\": \"%s\", \"photo\": \"%s/%s%d.png\", \"start\": %d, \"end\": %d, \"returning\": %s, "
                     "\"face_px\": %d, \"still\": %s, \"occluded\": %s, \"tilt\": %.0f}%s\n",
                     v.identity.c_str(), v.identity.c_str(), v.identity.c_str(), v.photo, v.start, v.end, v.returning ? "true" : "false",
                     v.face_px, v.sway == 0 ? "true" : "false", v.occluded ? "true" : "false", v.tilt_deg, k + 1 < idx.size() ? "," : "");
    }
    std::fprintf(js, " ]\n}\n");
    std::fclose(js);
    std::printf("%s: %d frames, %zu visits\n", argv[3], frames, vs.size());
    return 0;
}
