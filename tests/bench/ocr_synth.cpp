// ocr_synth.cpp - renders synthetic card photos unlike the shared sample set
// (other layouts: right-aligned and two-column, dark cards with light text,
// photos turned 90/180/270 degrees, strong shadows, two cards in one photo,
// Hershey fonts) with their truth, so the reader can be checked for
// generalisation: tests/bench/ocr_synth.sh builds and runs it.
//
// usage: ocr_synth OUT_DIR COUNT [SEED]    writes OUT_DIR/NNN.jpg + NNN.json
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

struct Person {
    const char *given, *family, *title, *company, *domain, *cc, *phone_print, *phone_e164, *street, *city;
};

const Person people[] = {
    {"Oliver", "Grant", "Operations Manager", "Grant Logistics Ltd", "grantlogistics.co.uk", "GB", "020 7946 0321",
     "+442079460321", "14 Kingsway", "London WC2B 6UN"},
    {"Sofia", "Keller", "Leiterin Einkauf", "Keller Maschinenbau GmbH", "keller-mb.de", "DE", "089 4521 7730",
     "+49894521773" "0", "Industriestr. 12", "80339 Muenchen"},
    {"Lucas", "Bernard", "Directeur commercial", "Bernard Conseil SARL", "bernard-conseil.fr", "FR",
     "01 42 68 53 00", "+33142685300", "18 rue de la Paix", "75002 Paris"},
    {"Emily", "Carter", "Senior Software Engineer", "Northwind Labs Inc", "northwindlabs.com", "US",
     "(415) 555-0132", "+14155550132", "500 Howard Street", "San Francisco, CA 94105"},
    {"Jonas", "Weber", "Vertriebsleiter", "Weber & Sohn KG", "weber-sohn.de", "DE", "030 2345 6789",
     "+49302345678" "9", "Lindenallee 3", "10115 Berlin"},
    {"Chloe", "Martin", "Responsable marketing", "Atelier Martin SAS", "atelier-martin.fr", "FR", "04 72 10 30 30",
     "+33472103030", "5 avenue Foch", "69006 Lyon"},
    {"Daniel", "Brooks", "Account Director", "Brooks Media Group", "brooksmedia.com", "US", "212-555-0187",
     "+12125550187", "120 Madison Avenue", "New York, NY 10016"},
    {"Hannah", "Schulz", "Projektmanagerin", "Schulz Energie AG", "schulz-energie.de", "DE", "040 3344 5566",
     "+494033445566", "Hafenweg 8", "20457 Hamburg"},
};

std::string json_escape(const std::string &s) {
    std::string o;
    for (char c : s) {
        if (c == '"' || c == '\\') o += '\\';
        o += c;
    }
    return o;
}

struct Rendered {
    cv::Mat img;
    std::string json;
};

// Draw one card (1050 x 600) in a layout; returns image and truth JSON.
Rendered render_card(const Person &p, int layout, bool dark, bool mobile_label, std::mt19937 &rng) {
    cv::Scalar bg = dark ? cv::Scalar(40, 35, 30) : cv::Scalar(245, 245, 242);
    cv::Scalar fg = dark ? cv::Scalar(235, 235, 235) : cv::Scalar(30, 30, 30);
    cv::Scalar accent = dark ? cv::Scalar(120, 200, 250) : cv::Scalar(140, 70, 20);
    cv::Mat card(600, 1050, CV_8UC3, bg);
    int font = (rng() % 2) ? cv::FONT_HERSHEY_SIMPLEX : cv::FONT_HERSHEY_DUPLEX;
    std::string name = std::string(p.given) + " " + p.family;
    std::string email = std::string(1, (char)(p.given[0] | 32)) + "." + p.family;
    for (auto &c : email) c = (char)tolower((unsigned char)c);
    email += std::string("@") + p.domain;
    std::string site = std::string("www.") + p.domain;
    std::string phone = std::string(mobile_label ? "Mobile: " : "Tel: ") + p.phone_print;
    struct Line { std::string t; double scale; int thick; cv::Scalar col; };
    std::vector<Line> left = {{p.company, 1.1, 2, accent}, {name, 1.5, 3, fg}, {p.title, 0.9, 2, fg}};
    std::vector<Line> right = {{phone, 0.8, 2, fg}, {"Email: " + email, 0.8, 2, fg}, {site, 0.8, 2, fg},
                               {p.street, 0.8, 2, fg}, {p.city, 0.8, 2, fg}};
    auto put = [&](const Line &l, int x, int y, int align) { // align 0 left, 1 centre, 2 right
        int base;
        double sc = l.scale;
        int room = align == 1 ? 1000 : align == 2 ? x - 40 : 1010 - x;
        cv::Size sz = cv::getTextSize(l.t, font, sc, l.thick, &base);
        while (sz.width > room && sc > 0.4) { // fit the text on the card
            sc *= 0.92;
            sz = cv::getTextSize(l.t, font, sc, l.thick, &base);
        }
        Line m = l;
        m.scale = sc;
        int xx = align == 0 ? x : align == 1 ? x - sz.width / 2 : x - sz.width;
        cv::putText(card, m.t, cv::Point(xx, y), font, m.scale, m.col, m.thick, cv::LINE_AA);
        return sz.height + base;
    };
    if (layout == 0) { // everything right-aligned
        int y = 70;
        for (auto &l : left) y += put(l, 1000, y, 2) + 22;
        y += 10;
        for (auto &l : right) y += put(l, 1000, y, 2) + 14;
    } else if (layout == 1) { // two columns, contact block on the left
        int y = 110;
        for (auto &l : right) y += put(l, 50, y, 0) + 18;
        y = 150;
        for (auto &l : left) y += put(l, 600, y, 0) + 28;
    } else { // centred
        int y = 70;
        for (auto &l : left) y += put(l, 525, y, 1) + 20;
        y += 10;
        for (auto &l : right) y += put(l, 525, y, 1) + 12;
    }
    char js[2048];
    snprintf(js, sizeof js,
             "{\"name\":\"%s\",\"given_name\":\"%s\",\"family_name\":\"%s\",\"title\":\"%s\",\"company\":\"%s\","
             "\"phones\":[{\"number\":\"%s\",\"type\":\"%s\"}],\"emails\":[\"%s\"],\"websites\":[\"%s\"],"
             "\"address\":\"%s, %s\",\"country\":\"%s\"}",
             json_escape(name).c_str(), p.given, p.family, json_escape(p.title).c_str(), json_escape(p.company).c_str(),
             p.phone_e164, mobile_label ? "mobile" : "work", email.c_str(), site.c_str(), json_escape(p.street).c_str(),
             json_escape(p.city).c_str(), p.cc);
    return {card, js};
}

// Put a card into a photo: perspective, background, shadow, blur, noise.
void place(cv::Mat &photo, const cv::Mat &card, cv::Rect2f where, std::mt19937 &rng) {
    std::uniform_real_distribution<float> j(-0.04f, 0.04f);
    float w = where.width, h = where.height;
    cv::Point2f src[4] = {{0, 0}, {(float)card.cols, 0}, {(float)card.cols, (float)card.rows}, {0, (float)card.rows}};
    cv::Point2f dst[4] = {{where.x + j(rng) * w, where.y + j(rng) * h},
                          {where.x + w + j(rng) * w, where.y + j(rng) * h},
                          {where.x + w + j(rng) * w, where.y + h + j(rng) * h},
                          {where.x + j(rng) * w, where.y + h + j(rng) * h}};
    cv::Mat M = cv::getPerspectiveTransform(src, dst);
    cv::Mat mask(card.size(), CV_8U, cv::Scalar(255)), wmask, warped;
    cv::warpPerspective(card, warped, M, photo.size(), cv::INTER_LINEAR);
    cv::warpPerspective(mask, wmask, M, photo.size(), cv::INTER_NEAREST);
    warped.copyTo(photo, wmask);
}

} // namespace

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: ocr_synth OUT_DIR COUNT [SEED]\n");
        return 2;
    }
    std::string out = argv[1];
    int count = atoi(argv[2]);
    unsigned seed = argc > 3 ? (unsigned)atoi(argv[3]) : 7u;
    std::mt19937 rng(seed);
    // OCR_SYNTH_BLUR=S: smaller cards in the photo (55-80 % of the usual
    // size), Gaussian blur drawn from 0.8..S and JPEG quality 60..90, like
    // hand-held phone photos. Drawn from a second generator, so that the
    // sets without it stay the same for a given seed.
    const char *blur_env = getenv("OCR_SYNTH_BLUR");
    double blur_max = blur_env ? atof(blur_env) : 0;
    std::mt19937 rng_blur(seed ^ 0x5bd1e995u);
    std::uniform_real_distribution<double> shrink_d(0.55, 0.80), quality_d(60, 90);
    const int np = sizeof people / sizeof *people;
    for (int i = 0; i < count; i++) {
        const Person &p = people[i % np];
        int layout = (i / np + i) % 3;
        bool dark = i % 5 == 3;
        int turns = (i % 7 == 2) ? 2 : (i % 7 == 5) ? 1 : (i % 11 == 6) ? 3 : 0;
        bool two = i % 6 == 4;
        Rendered r = render_card(p, layout, dark, i % 2, rng);
        cv::Mat photo(1200, 1600, CV_8UC3);
        cv::Scalar base(60 + rng() % 120, 60 + rng() % 120, 60 + rng() % 120);
        photo.setTo(base);
        cv::Mat noise(photo.size(), CV_8UC3);
        cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(12));
        photo += noise;
        double shrink = blur_max > 0 ? shrink_d(rng_blur) : 1.0;
        double sigma = blur_max > 0.8 ? std::uniform_real_distribution<double>(0.8, blur_max)(rng_blur) : 0.8;
        int quality = blur_max > 0 ? (int)quality_d(rng_blur) : 80;
        auto sized = [shrink](cv::Rect2f r) {
            return cv::Rect2f(r.x + r.width * (1 - shrink) / 2, r.y + r.height * (1 - shrink) / 2, r.width * (float)shrink,
                              r.height * (float)shrink);
        };
        if (two) {
            Rendered r2 = render_card(people[(i + 3) % np], (layout + 1) % 3, false, true, rng);
            place(photo, r.img, sized(cv::Rect2f(120, 80, 900, 514)), rng);
            place(photo, r2.img, sized(cv::Rect2f(640, 640, 840, 480)), rng);
        } else {
            place(photo, r.img, sized(cv::Rect2f(200 + rng() % 200, 250 + rng() % 150, 1100, 628)), rng);
        }
        // a soft diagonal shadow over part of the photo
        if (i % 3 == 1) {
            cv::Mat shade(photo.size(), CV_32F);
            for (int y = 0; y < shade.rows; y++)
                for (int x = 0; x < shade.cols; x++)
                    shade.at<float>(y, x) = (x + y > 1500 && x + y < 2300) ? 0.6f : 1.0f;
            cv::GaussianBlur(shade, shade, cv::Size(0, 0), 40);
            std::vector<cv::Mat> ch;
            cv::split(photo, ch);
            for (auto &c : ch) {
                c.convertTo(c, CV_32F);
                c = c.mul(shade);
                c.convertTo(c, CV_8U);
            }
            cv::merge(ch, photo);
        }
        cv::GaussianBlur(photo, photo, cv::Size(0, 0), sigma);
        if (turns == 1) cv::rotate(photo, photo, cv::ROTATE_90_CLOCKWISE);
        if (turns == 2) cv::rotate(photo, photo, cv::ROTATE_180);
        if (turns == 3) cv::rotate(photo, photo, cv::ROTATE_90_COUNTERCLOCKWISE);
        char name[64];
        snprintf(name, sizeof name, "/%03d", i);
        cv::imwrite(out + name + ".jpg", photo, {cv::IMWRITE_JPEG_QUALITY, quality});
        std::ofstream(out + name + ".json") << r.json << "\n";
    }
    return 0;
}
