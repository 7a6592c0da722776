// ocr_cards2.cpp - renders business-card photos in TrueType fonts from
// Debian's font packages (DejaVu, Lato, Liberation, URW Nimbus, Open Sans,
// Roboto, Noto: whichever are installed), for people and firms of fifteen
// countries (names, legal forms, phone and address formats of each), in
// five layouts (classic, logo block, two panels with light text on a dark
// one, centred with a contact row, name first with labelled contacts),
// with taglines, department lines, second numbers and accents; writes each
// photo's truth for tests/bench/ocr_cards2.sh. Unlike ocr_synth.cpp
// (Hershey fonts, eight people), no rule of the reader was written against
// these cards: it is a held-out check.
//
// usage: [OCR_CARDS2_HARD=1] [OCR_CARDS2_HAND=1] [OCR_CARDS2_TILT=1] [OCR_CARDS2_DESK=1] [OCR_CARDS2_SHADOW=1]
//        ocr_cards2 OUT_DIR COUNT SEED FONT...   writes OUT_DIR/NNN.jpg + NNN.json
#include <opencv2/core.hpp>
#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

std::mt19937 rng, rng_hard, rng_hand; // rng_hard, rng_hand: the hand-held effects and the finger only, so the cards stay the same

int rnd(int n) { return (int)(rng() % (unsigned)n); }
int rh(int n) { return (int)(rng_hard() % (unsigned)n); }
int rf(int n) { return (int)(rng_hand() % (unsigned)n); }
template <class T, size_t N> const T &pick(const T (&a)[N]) { return a[rnd((int)N)]; }
std::string digits(int n) {
    std::string s;
    for (int i = 0; i < n; i++) s += (char)('0' + rnd(10));
    return s;
}

struct Phone {
    std::string print, e164;
};

struct Country {
    const char *cc, *tld;
    std::vector<const char *> given, family, legal;
    bool family_first; // the name printed family first (Vietnamese)
    Phone (*work)(int style);
    Phone (*mobile)(int style);
    void (*address)(std::string &street, std::string &city);
};

// e164 from a national print: its digits without the trunk 0
Phone nat(const std::string &cc, const std::string &print, bool drop0 = true) {
    std::string d;
    for (char c : print)
        if (c >= '0' && c <= '9') d += c;
    if (drop0 && !d.empty() && d[0] == '0') d.erase(0, 1);
    return {print, "+" + cc + d};
}
Phone intl(const std::string &cc, const std::string &rest) {
    Phone p = nat(cc, rest, false);
    p.print = "+" + cc + " " + rest;
    return p;
}

const Country countries[] = {
    {"US", "com", {"Emily", "Michael", "Sarah", "David", "Jessica", "Robert", "Ashley", "Daniel", "Megan", "Brian"},
     {"Carter", "Rodriguez", "Miller", "Thompson", "O'Neill", "Nguyen", "Patel", "Brooks", "Sullivan", "Kim"},
     {"Inc.", "LLC", "Corp.", "Inc", "Group", "LLP"}, false,
     [](int s) {
         std::string a = std::to_string(200 + rnd(700)), e = "555", l = "01" + digits(2);
         std::string pr = s == 0 ? "(" + a + ") " + e + "-" + l : s == 1 ? a + "." + e + "." + l : a + "-" + e + "-" + l;
         return Phone{pr, "+1" + a + e + l};
     },
     [](int s) {
         std::string a = std::to_string(200 + rnd(700)), e = "555", l = "01" + digits(2);
         return Phone{s == 1 ? a + "." + e + "." + l : "(" + a + ") " + e + "-" + l, "+1" + a + e + l};
     },
     [](std::string &st, std::string &c) {
         static const char *streets[] = {"Market Street", "Howard Street", "Madison Avenue", "Pine Street", "Main St"};
         static const char *cities[] = {"San Francisco, CA 94105", "New York, NY 10016", "Austin, TX 78701",
                                        "Chicago, IL 60601", "Seattle, WA 98101"};
         st = std::to_string(100 + rnd(1900)) + " " + pick(streets) + (rnd(2) ? ", Suite " + std::to_string(100 + rnd(800)) : "");
         c = pick(cities);
     }},
    {"GB", "co.uk", {"Oliver", "Charlotte", "James", "Amelia", "Harry", "Sophie", "George", "Priya"},
     {"Grant", "Hughes", "Whitfield", "Ashworth", "Clarke", "Natarajan", "Evans", "Murray"},
     {"Ltd", "Limited", "PLC", "LLP"}, false,
     [](int s) { return s ? intl("44", "20 7946 0" + digits(3)) : nat("44", "020 7946 0" + digits(3)); },
     [](int s) { return s ? intl("44", "7911 123" + digits(3)) : nat("44", "07911 123" + digits(3)); },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"Kingsway", "Harley Street", "King Street", "Victoria Road"};
         static const char *ci[] = {"London WC2B 6UN", "London W1G 9PL", "Manchester M2 4LQ", "Leeds LS1 4DY"};
         st = std::to_string(1 + rnd(120)) + " " + pick(s);
         c = pick(ci);
     }},
    {"DE", "de", {"Sofia", "Jonas", "Hannah", "Lukas", "Anna", "Felix", "Jörg", "Müge"},
     {"Keller", "Weber", "Schulz", "Hoffmann", "Krüger", "Becker", "Schäfer", "Wagner"},
     {"GmbH", "AG", "KG", "GmbH & Co. KG", "SE"}, false,
     [](int s) { return s ? intl("49", "89 4521 7" + digits(3)) : nat("49", "089 4521 7" + digits(3)); },
     [](int s) { return s ? intl("49", "151 2345 " + digits(4)) : nat("49", "0151 2345 " + digits(4)); },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"Industriestraße", "Lindenallee", "Hafenweg", "Bahnhofstraße", "Marktplatz"};
         static const char *ci[] = {"80339 München", "10115 Berlin", "20457 Hamburg", "50667 Köln"};
         st = std::string(pick(s)) + " " + std::to_string(1 + rnd(99));
         c = pick(ci);
     }},
    {"FR", "fr", {"Lucas", "Chloé", "Camille", "Hugo", "Léa", "Mathieu", "Élodie"},
     {"Bernard", "Martin", "Lefèvre", "Dubois", "Moreau", "Laurent", "Girard"},
     {"SARL", "SAS", "S.A.", "SA"}, false,
     [](int s) { return s ? intl("33", "1 42 68 53 " + digits(2)) : nat("33", "01 42 68 53 " + digits(2)); },
     [](int s) { return s ? intl("33", "6 12 34 " + digits(2) + " " + digits(2)) : nat("33", "06 12 34 " + digits(2) + " " + digits(2)); },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"rue de la Paix", "avenue Foch", "boulevard Haussmann", "rue Victor Hugo"};
         static const char *ci[] = {"75002 Paris", "69006 Lyon", "13001 Marseille", "33000 Bordeaux"};
         st = std::to_string(1 + rnd(80)) + " " + pick(s);
         c = pick(ci);
     }},
    {"SG", "com.sg", {"Wei Ming", "Siew Ling", "Jun Jie", "Hui Min", "Kumar", "Farah"},
     {"Tan", "Lim", "Lee", "Ng", "Wong", "Rahman"},
     {"Pte Ltd", "Pte. Ltd."}, true,
     [](int s) { return s ? intl("65", "6221 " + digits(4)) : Phone{"6221 " + digits(4), ""}; },
     [](int s) { return s ? intl("65", "9123 " + digits(4)) : Phone{"9123 " + digits(4), ""}; },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"Anson Road", "Robinson Road", "Raffles Place", "Cecil Street"};
         st = std::to_string(1 + rnd(150)) + " " + pick(s) + " #" + std::to_string(10 + rnd(30)) + "-0" + std::to_string(1 + rnd(9));
         c = "Singapore 0" + digits(5);
     }},
    {"IN", "in", {"Rajesh", "Anand", "Priya", "Kavita", "Suresh", "Deepa"},
     {"Sharma", "Iyer", "Reddy", "Mehta", "Gupta", "Nair"},
     {"Pvt. Ltd.", "Private Limited", "Ltd."}, false,
     [](int s) { return intl("91", s ? "80 4123 " + digits(4) : "124 456 " + digits(4)); },
     [](int s) { return s ? intl("91", "98110 " + digits(5)) : intl("91", "98450 " + digits(5)); },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"Sector 18", "Indiranagar", "Bandra Kurla Complex", "MG Road"};
         static const char *ci[] = {"Gurugram, Haryana 122015", "Bengaluru 560038", "Mumbai 400051", "Pune 411001"};
         st = "Plot " + std::to_string(1 + rnd(90)) + ", " + pick(s);
         c = pick(ci);
     }},
    {"JP", "co.jp", {"Yuki", "Hiroshi", "Kenji", "Aiko", "Takashi", "Naoko"},
     {"Tanaka", "Yamamoto", "Sato", "Suzuki", "Watanabe", "Kobayashi"},
     {"Co., Ltd.", "K.K.", "Corporation"}, false,
     [](int s) { return s ? intl("81", "3 5400 " + digits(4)) : nat("81", "03-5400-" + digits(4)); },
     [](int s) { return s ? intl("81", "90 1234 " + digits(4)) : nat("81", "090-1234-" + digits(4)); },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"Marunouchi, Chiyoda-ku", "Shiba, Minato-ku", "Nishi-Shinjuku, Shinjuku-ku"};
         st = std::to_string(1 + rnd(4)) + "-" + std::to_string(1 + rnd(9)) + "-" + std::to_string(1 + rnd(20)) + " " + pick(s);
         c = "Tokyo 1" + digits(2) + "-" + digits(4);
     }},
    {"KR", "co.kr", {"Min-jun", "Ji-hoon", "Seo-yeon", "Hyun-woo", "Ji-woo"},
     {"Kim", "Park", "Lee", "Choi", "Jung"},
     {"Co., Ltd.", "Corp.", "Inc."}, false,
     [](int s) { return s ? intl("82", "2 555 " + digits(4)) : nat("82", "02-555-" + digits(4)); },
     [](int s) { return s ? intl("82", "10 1234 " + digits(4)) : nat("82", "010-1234-" + digits(4)); },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"Teheran-ro, Gangnam-gu", "Olympic-ro, Songpa-gu", "Sejong-daero, Jung-gu"};
         st = std::to_string(10 + rnd(400)) + " " + pick(s);
         c = "Seoul 0" + digits(4);
     }},
    {"VN", "vn", {"Van An", "Thi Mai", "Minh Duc", "Thu Trang"}, {"Nguyen", "Tran", "Le", "Pham"},
     {"JSC", "Co., Ltd"}, true,
     [](int s) { return s ? intl("84", "28 3823 " + digits(4)) : nat("84", "(028) 3823 " + digits(4)); },
     [](int s) { return s ? intl("84", "903 123 " + digits(3)) : nat("84", "0903 123 " + digits(3)); },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"Le Duan", "Nguyen Hue", "Hai Ba Trung", "Dong Khoi"};
         st = std::to_string(1 + rnd(200)) + " " + pick(s) + ", District " + std::to_string(1 + rnd(10));
         c = "Ho Chi Minh City, Vietnam";
     }},
    {"BE", "be", {"Sophie", "Pieter", "Lotte", "Wouter", "Elise"},
     {"Van den Broeck", "De Smet", "Peeters", "Janssens", "Maes"},
     {"NV", "BV", "BVBA", "SA"}, false,
     [](int s) { return s ? intl("32", "9 223 " + digits(2) + " " + digits(2)) : nat("32", "09 223 " + digits(2) + " " + digits(2)); },
     [](int s) { return s ? intl("32", "475 12 " + digits(2) + " " + digits(2)) : nat("32", "0475 12 " + digits(2) + " " + digits(2)); },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"Kerkstraat", "Industrieweg", "Stationslaan", "Meir"};
         static const char *ci[] = {"9000 Gent", "2000 Antwerpen", "2800 Mechelen", "3000 Leuven"};
         st = std::string(pick(s)) + " " + std::to_string(1 + rnd(120));
         c = pick(ci);
     }},
    {"BR", "com.br", {"Carlos", "Ana", "João", "Fernanda", "Renan", "Luíza"},
     {"Souza", "Oliveira", "Lima", "Ferreira", "Almeida", "Gonçalves"},
     {"Ltda.", "Ltda", "S.A.", "EIRELI"}, false,
     [](int s) { return s ? intl("55", "11 3" + digits(3) + "-" + digits(4)) : nat("55", "(11) 3" + digits(3) + "-" + digits(4)); },
     [](int s) { return s ? intl("55", "11 9" + digits(4) + "-" + digits(4)) : nat("55", "(11) 9" + digits(4) + "-" + digits(4)); },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"Av. Paulista", "Rua Augusta", "Rua Boa Vista", "Av. Brigadeiro Faria Lima"};
         st = std::string(pick(s)) + ", " + std::to_string(10 + rnd(2000));
         c = "São Paulo - SP, 0" + digits(4) + "-" + digits(3);
     }},
    {"ES", "es", {"Javier", "Lucía", "Pablo", "María José", "Álvaro"},
     {"García López", "Martínez", "Fernández Ruiz", "Sánchez", "Romero"},
     {"S.L.", "S.A.", "SL"}, false,
     [](int s) { return s ? intl("34", "912 345 " + digits(3)) : nat("34", "912 345 " + digits(3), false); },
     [](int s) { return s ? intl("34", "612 345 " + digits(3)) : nat("34", "612 345 " + digits(3), false); },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"Calle de Alcalá", "Paseo de la Castellana", "Calle Mayor"};
         static const char *ci[] = {"28014 Madrid", "28046 Madrid", "08008 Barcelona"};
         st = std::string(pick(s)) + " " + std::to_string(1 + rnd(200));
         c = pick(ci);
     }},
    {"IT", "it", {"Marco", "Giulia", "Luca", "Francesca", "Matteo"},
     {"Rossi", "Bianchi", "Ferrari", "Esposito", "Romano"},
     {"S.r.l.", "S.p.A.", "Srl"}, false,
     [](int s) { return s ? intl("39", "02 1234 " + digits(4)) : nat("39", "02 1234 " + digits(4), false); },
     [](int s) { return s ? intl("39", "347 123 " + digits(4)) : nat("39", "347 123 " + digits(4), false); },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"Via Torino", "Corso Buenos Aires", "Via Roma"};
         static const char *ci[] = {"20123 Milano", "00184 Roma", "10121 Torino"};
         st = std::string(pick(s)) + " " + std::to_string(1 + rnd(150));
         c = pick(ci);
     }},
    {"NL", "nl", {"Daan", "Sanne", "Jan", "Eva", "Thijs"},
     {"de Vries", "van der Berg", "Jansen", "Bakker", "Visser"},
     {"B.V.", "BV", "N.V."}, false,
     [](int s) { return s ? intl("31", "20 123 " + digits(4)) : nat("31", "020 123 " + digits(4)); },
     [](int s) { return s ? intl("31", "6 1234 " + digits(4)) : nat("31", "06 1234 " + digits(4)); },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"Keizersgracht", "Herengracht", "Stationsplein"};
         static const char *ci[] = {"1015 CJ Amsterdam", "3011 AD Rotterdam", "3511 CE Utrecht"};
         st = std::string(pick(s)) + " " + std::to_string(1 + rnd(400));
         c = pick(ci);
     }},
    {"AU", "com.au", {"Jack", "Olivia", "Liam", "Chloe", "Noah"},
     {"Smith", "Wilson", "Taylor", "Anderson", "Mitchell"},
     {"Pty Ltd", "Pty. Ltd."}, false,
     [](int s) { return s ? intl("61", "2 9876 " + digits(4)) : nat("61", "(02) 9876 " + digits(4)); },
     [](int s) { return s ? intl("61", "412 345 " + digits(3)) : nat("61", "0412 345 " + digits(3)); },
     [](std::string &st, std::string &c) {
         static const char *s[] = {"Martin Place", "George Street", "Collins Street"};
         static const char *ci[] = {"Sydney NSW 2000", "Melbourne VIC 3000", "Brisbane QLD 4000"};
         st = "Level " + std::to_string(1 + rnd(30)) + ", " + std::to_string(1 + rnd(300)) + " " + pick(s);
         c = pick(ci);
     }},
};

const char *stems[] = {"Nordvik", "Bluewave", "Kestrel", "Orion", "Pinnacle", "Harbour", "Lumina", "Vantage",
                       "Aster", "Crestline", "Meridian", "Solace", "Tidewater", "Granite", "Silverleaf", "Evergreen",
                       "Falcon", "Cobalt", "Juniper", "Redwood"};
const char *trades[] = {"Logistics", "Consulting", "Software", "Engineering", "Trading", "Media", "Foods",
                        "Analytics", "Design", "Systems", "Capital", "Robotics"};
const char *titles[] = {"Sales Manager", "Senior Software Engineer", "Marketing Director", "Account Executive",
                        "Chief Executive Officer", "Project Manager", "Head of Partnerships", "Business Development Manager",
                        "Operations Director", "Financial Analyst", "Product Designer", "Managing Director"};
const char *depts[] = {"Sales Department", "International Business Division", "Marketing Team", "Engineering Department"};
const char *taglines[] = {"Moving ideas forward", "Quality you can trust", "Solutions for a changing world",
                          "Since 1987", "Better together"};

struct Card {
    std::string name, title, dept, company, tagline, email, site, street, city, cc;
    std::vector<std::pair<std::string, Phone>> phones; // label, number
};

std::string lower_nospace(const std::string &s) {
    std::string o;
    for (unsigned char c : s)
        if (isalnum(c)) o += (char)tolower(c);
    return o;
}

std::string ascii_fold(const std::string &s) { // for e-mail local parts: drop accents roughly
    static const char *from[] = {"á", "à", "â", "ä", "ã", "é", "è", "ê", "ë", "í", "ó", "ô", "ö", "õ", "ú", "ü", "ç", "ñ", "Á", "É", "Ö", "Ü"};
    static const char *to[] = {"a", "a", "a", "a", "a", "e", "e", "e", "e", "i", "o", "o", "o", "o", "u", "u", "c", "n", "a", "e", "o", "u"};
    std::string o = s;
    for (size_t i = 0; i < sizeof from / sizeof *from; i++)
        for (size_t p; (p = o.find(from[i])) != std::string::npos;) o.replace(p, strlen(from[i]), to[i]);
    return o;
}

Card make_card(const Country &c) {
    Card k;
    std::string g = c.given[rnd((int)c.given.size())], f = c.family[rnd((int)c.family.size())];
    k.name = c.family_first ? f + " " + g : g + " " + f;
    if (c.family_first && !strcmp(c.cc, "VN") && rnd(2)) // Vietnamese cards often set the name in capitals
        for (auto &ch : k.name) ch = (char)toupper((unsigned char)ch);
    k.title = pick(titles);
    if (!strcmp(c.cc, "JP") || !strcmp(c.cc, "KR") || rnd(6) == 0) k.dept = pick(depts);
    std::string stem = pick(stems), trade = pick(trades);
    bool with_trade = rnd(3) != 0;
    k.company = stem + (with_trade ? " " + trade : "") + " " + c.legal[rnd((int)c.legal.size())];
    std::string dom = lower_nospace(stem) + (with_trade && rnd(2) ? lower_nospace(trade) : "") + "." + c.tld;
    std::string gl = lower_nospace(ascii_fold(g)), fl = lower_nospace(ascii_fold(f));
    int es = rnd(4);
    k.email = (es == 0 ? gl + "." + fl : es == 1 ? gl.substr(0, 1) + "." + fl : es == 2 ? gl : gl.substr(0, 1) + fl) + "@" + dom;
    k.site = (rnd(3) ? "www." : "") + dom;
    if (rnd(4) == 0) k.tagline = pick(taglines);
    c.address(k.street, k.city);
    k.cc = c.cc;
    int style = rnd(3);
    k.phones.push_back({"T", c.work(style)});
    if (rnd(2)) k.phones.push_back({"M", c.mobile(style)});
    // a Singapore number printed without +65 is parsed from the city line's country
    for (auto &p : k.phones)
        if (p.second.e164.empty()) {
            std::string d;
            for (char ch : p.second.print)
                if (isdigit((unsigned char)ch)) d += ch;
            p.second.e164 = "+65" + d;
        }
    return k;
}

// OCR_CARDS2_BIG=K: everything drawn K times larger (the card at 1050K x
// 600K, the photo at 1600K x 1200K, the blur K times wider): a phone's
// full-resolution photo (K = 2.5: 4000 x 3000, 12 MP) of the same cards,
// or a small one (K = 0.4: 640 x 480, a webcam's, the card 420 px wide)
double KS = 1.0;
static int ks(double v) { return (int)std::lround(v * KS); }

std::vector<cv::Ptr<cv::freetype::FreeType2>> fonts;
std::vector<std::string> font_names;

struct Pen {
    cv::Mat &img;
    cv::Ptr<cv::freetype::FreeType2> ft;
    // draws text with its top-left at x,y (align 0 left, 1 centre, 2 right of x); returns the height used
    int put(const std::string &t, int x, int y, int h, cv::Scalar col, int align = 0, int room = 0) {
        int base = 0;
        cv::Size sz = ft->getTextSize(t, ks(h), -1, &base);
        while (room > 0 && sz.width > ks(room) && h > 12) {
            h = h * 9 / 10;
            sz = ft->getTextSize(t, ks(h), -1, &base);
        }
        int xx = align == 0 ? ks(x) : align == 1 ? ks(x) - sz.width / 2 : ks(x) - sz.width;
        ft->putText(img, t, cv::Point(xx, ks(y) + sz.height), ks(h), col, -1, cv::LINE_AA, true);
        return (int)std::lround((sz.height + base) / KS);
    }
};

std::string label(const std::string &l, int style) {
    if (style == 0) return l + " ";
    if (style == 1) return (l == "T" ? "Tel: " : l == "M" ? "Mobile: " : l == "E" ? "Email: " : "Web: ");
    return "";
}

// Draw the card (1050 x 600) in one of five layouts; fills its truth JSON.
cv::Mat render(const Card &k, int layout, std::string &json) {
    bool dark = layout != 2 && rnd(6) == 0;
    cv::Scalar paper = dark ? cv::Scalar(45, 40, 35) : cv::Scalar(235 + rnd(20), 235 + rnd(20), 230 + rnd(25));
    cv::Scalar ink = dark ? cv::Scalar(235, 235, 235) : cv::Scalar(25 + rnd(40), 25 + rnd(40), 25 + rnd(40));
    static const cv::Scalar accents[] = {{140, 70, 20}, {30, 30, 160}, {40, 120, 40}, {120, 60, 120}, {20, 110, 190}};
    cv::Scalar accent = dark ? cv::Scalar(120, 200, 250) : pick(accents);
    cv::Mat card(ks(600), ks(1050), CV_8UC3, paper);
    int fb = rnd((int)fonts.size()), fr = rnd((int)fonts.size());
    Pen bold{card, fonts[fb]}, body{card, fonts[fr]};
    int ls = rnd(3); // label style: "T ", "Tel: ", none
    std::vector<std::string> contact;
    for (auto &p : k.phones) contact.push_back(label(p.first, ls) + p.second.print);
    contact.push_back(label("E", ls) + k.email);
    contact.push_back(label("W", ls) + k.site);
    int bh = 24 + rnd(6);
    if (layout == 0) { // classic: company on top, name, title, contacts and address at the bottom
        int y = 50;
        y += bold.put(k.company, 60, y, 44, accent, 0, 930) + 12;
        if (!k.tagline.empty()) y += body.put(k.tagline, 60, y, 22, ink, 0, 930) + 10;
        y += 40;
        y += bold.put(k.name, 60, y, 48, ink, 0, 930) + 14;
        if (!k.dept.empty()) y += body.put(k.dept, 60, y, 26, ink, 0, 930) + 8;
        y += body.put(k.title, 60, y, 28, ink, 0, 930) + 8;
        int yc = 600 - 40 - (int)(contact.size() + 2) * (bh + 10);
        y = std::max(y + 20, yc);
        for (auto &c : contact) y += body.put(c, 60, y, bh, ink, 0, 930) + 10;
        y += body.put(k.street, 60, y, bh, ink, 0, 930) + 10;
        body.put(k.city, 60, y, bh, ink, 0, 930);
    } else if (layout == 1) { // logo block on the left, the person on the right
        cv::rectangle(card, cv::Rect(ks(40), ks(60), ks(380), ks(180)), accent, cv::FILLED);
        bold.put(k.company, 230, 120, 40, cv::Scalar(250, 250, 250), 1, 350);
        if (!k.tagline.empty()) body.put(k.tagline, 230, 260, 20, ink, 1, 370);
        int y = 70;
        y += bold.put(k.name, 470, y, 44, ink, 0, 560) + 12;
        if (!k.dept.empty()) y += body.put(k.dept, 470, y, 24, ink, 0, 560) + 8;
        y += body.put(k.title, 470, y, 26, accent, 0, 560) + 40;
        for (auto &c : contact) y += body.put(c, 470, y, bh, ink, 0, 560) + 10;
        y += body.put(k.street, 470, y, bh, ink, 0, 560) + 10;
        body.put(k.city, 470, y, bh, ink, 0, 560);
    } else if (layout == 2) { // two panels: name and title light on a dark panel, the rest on white
        cv::Scalar panel = pick(accents) * 0.7;
        cv::rectangle(card, cv::Rect(0, 0, ks(420), ks(600)), panel, cv::FILLED);
        int y = 200;
        y += bold.put(k.name, 210, y, 40, cv::Scalar(250, 250, 250), 1, 380) + 16;
        if (!k.dept.empty()) y += body.put(k.dept, 210, y, 22, cv::Scalar(235, 235, 235), 1, 380) + 8;
        body.put(k.title, 210, y, 24, cv::Scalar(235, 235, 235), 1, 380);
        y = 60;
        y += bold.put(k.company, 470, y, 38, accent, 0, 550) + 14;
        if (!k.tagline.empty()) y += body.put(k.tagline, 470, y, 20, ink, 0, 550) + 10;
        y += 30;
        for (auto &c : contact) y += body.put(c, 470, y, bh, ink, 0, 550) + 10;
        y += body.put(k.street, 470, y, bh, ink, 0, 550) + 10;
        body.put(k.city, 470, y, bh, ink, 0, 550);
    } else if (layout == 3) { // centred, contacts on one row with bars
        int y = 60;
        y += bold.put(k.company, 525, y, 46, accent, 1, 960) + 10;
        if (!k.tagline.empty()) y += body.put(k.tagline, 525, y, 22, ink, 1, 960) + 10;
        y += 50;
        y += bold.put(k.name, 525, y, 44, ink, 1, 960) + 12;
        if (!k.dept.empty()) y += body.put(k.dept, 525, y, 24, ink, 1, 960) + 8;
        y += body.put(k.title, 525, y, 26, ink, 1, 960) + 50;
        std::string row;
        for (size_t i = 0; i < k.phones.size(); i++) row += (i ? "  |  " : "") + label(k.phones[i].first, ls) + k.phones[i].second.print;
        y += body.put(row, 525, y, bh, ink, 1, 960) + 10;
        y += body.put(k.email + "  |  " + k.site, 525, y, bh, ink, 1, 960) + 10;
        body.put(k.street + ", " + k.city, 525, y, bh - 2, ink, 1, 960);
    } else { // name first; the company with the address at the bottom right; contacts on the left
        int y = 60;
        y += bold.put(k.name, 60, y, 46, ink, 0, 930) + 10;
        y += body.put(k.title, 60, y, 26, accent, 0, 930) + 8;
        if (!k.dept.empty()) y += body.put(k.dept, 60, y, 24, ink, 0, 930) + 8;
        y += 40;
        for (auto &c : contact) y += body.put(c, 60, y, bh, ink, 0, 470) + 10;
        int yr = 600 - 60 - 3 * (bh + 12) - 30;
        yr += bold.put(k.company, 990, yr, 32, accent, 2, 480) + 14;
        yr += body.put(k.street, 990, yr, bh, ink, 2, 480) + 10;
        body.put(k.city, 990, yr, bh, ink, 2, 480);
    }
    std::string phones;
    for (auto &p : k.phones)
        phones += std::string(phones.empty() ? "" : ",") + "{\"number\":\"" + p.second.e164 + "\",\"type\":\"" +
                  (p.first == "M" ? "mobile" : "work") + "\"}";
    auto esc = [](const std::string &s) {
        std::string o;
        for (char c : s) {
            if (c == '"' || c == '\\') o += '\\';
            o += c;
        }
        return o;
    };
    json = "{\"name\":\"" + esc(k.name) + "\",\"title\":\"" + esc(k.title) + "\",\"company\":\"" + esc(k.company) +
           "\",\"phones\":[" + phones + "],\"emails\":[\"" + k.email + "\"],\"websites\":[\"" + k.site +
           "\"],\"address\":\"" + esc(k.street + ", " + k.city) + "\",\"country\":\"" + k.cc + "\",\"layout\":" +
           std::to_string(layout) + ",\"fonts\":[\"" + font_names[fb] + "\",\"" + font_names[fr] + "\"]}";
    return card;
}

} // namespace

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: ocr_cards2 OUT_DIR COUNT SEED FONT...\n");
        return 2;
    }
    std::string out = argv[1];
    int count = atoi(argv[2]);
    rng.seed((unsigned)atoi(argv[3]));
    rng_hard.seed((unsigned)atoi(argv[3]) ^ 0x5bd1e995u);
    rng_hand.seed((unsigned)atoi(argv[3]) ^ 0x27d4eb2fu);
    for (int i = 4; i < argc; i++) {
        auto ft = cv::freetype::createFreeType2();
        ft->loadFontData(argv[i], 0);
        fonts.push_back(ft);
        std::string n = argv[i];
        font_names.push_back(n.substr(n.find_last_of('/') + 1));
    }
    const int nc = sizeof countries / sizeof *countries;
    if (getenv("OCR_CARDS2_BIG") && atof(getenv("OCR_CARDS2_BIG")) >= 0.25) KS = atof(getenv("OCR_CARDS2_BIG"));
    for (int i = 0; i < count; i++) {
        const Country &c = countries[rnd(nc)];
        Card k = make_card(c);
        std::string json;
        cv::Mat card = render(k, rnd(5), json);
        // the photo: a desk, the card filling 55-85 % of the width, a little perspective, light blur, JPEG
        cv::Mat photo(ks(1200), ks(1600), CV_8UC3, cv::Scalar(50 + rnd(150), 50 + rnd(150), 50 + rnd(150)));
        cv::Mat noise(photo.size(), CV_8UC3);
        cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(10));
        photo += noise;
        // OCR_CARDS2_HARD=1: hand-held conditions - a smaller card (35-60 % of the width), uneven light,
        // a glare spot, more blur (1.0-2.0) and JPEG 55-80; drawn after the card, so the cards are the same
        bool hard = getenv("OCR_CARDS2_HARD") && atoi(getenv("OCR_CARDS2_HARD"));
        // OCR_CARDS2_SCAN=1: a flatbed scan - the scanner's white lid around the card, the card
        // at 250-330 dpi turned up to 3 degrees, a faint shadow along two edges, little blur, JPEG 85-95
        bool scan = getenv("OCR_CARDS2_SCAN") && atoi(getenv("OCR_CARDS2_SCAN"));
        if (scan) {
            int lid = 232 + rnd(22);
            photo.setTo(cv::Scalar(lid, lid, lid - rnd(6)));
            cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(3));
            photo += noise;
        }
        float pw = (float)rnd(100) / 100;
        float w = (float)KS * (scan ? 1050.0f * (250 + 80 * pw) / 300 : 1600 * (hard ? 0.35f + 0.25f * pw : 0.55f + 0.30f * pw)),
              h = w * 600 / 1050;
        float x = ((float)ks(1600) - w) / 2 + (float)ks(rnd(100) - 50), y = ((float)ks(1200) - h) / 2 + (float)ks(rnd(100) - 50);
        // OCR_CARDS2_TILT=1: the phone held at an angle - each corner moved up to 10 % (not 3 %)
        bool tilt = getenv("OCR_CARDS2_TILT") && atoi(getenv("OCR_CARDS2_TILT"));
        std::uniform_real_distribution<float> j(tilt ? -0.10f : -0.03f, tilt ? 0.10f : 0.03f);
        cv::Point2f src[4] = {{0, 0}, {(float)card.cols, 0}, {(float)card.cols, (float)card.rows}, {0, (float)card.rows}};
        cv::Point2f dst[4] = {{x + j(rng) * w, y + j(rng) * h}, {x + w + j(rng) * w, y + j(rng) * h},
                              {x + w + j(rng) * w, y + h + j(rng) * h}, {x + j(rng) * w, y + h + j(rng) * h}};
        if (scan) { // a rotation, no perspective
            float a = (float)(rnd(100) - 50) / 50 * 3 * (float)CV_PI / 180, cx = x + w / 2, cy = y + h / 2;
            cv::Point2f c4[4] = {{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}};
            for (int q = 0; q < 4; q++) {
                float dx = c4[q].x - cx, dy = c4[q].y - cy;
                dst[q] = {cx + dx * std::cos(a) - dy * std::sin(a), cy + dx * std::sin(a) + dy * std::cos(a)};
            }
        }
        // OCR_CARDS2_DESK=1: a wooden desk - grain stripes of the desk's colour and knots, not a plain ground
        if (getenv("OCR_CARDS2_DESK") && atoi(getenv("OCR_CARDS2_DESK"))) {
            cv::Mat grain(photo.size(), CV_32F);
            float ph = (float)rf(100), fr = 0.02f + 0.03f * (float)rf(100) / 100;
            for (int yy = 0; yy < grain.rows; yy++)
                for (int xx = 0; xx < grain.cols; xx++)
                    grain.at<float>(yy, xx) = 28.0f * std::sin(fr * (float)yy / (float)KS + 3.0f * std::sin((float)xx / (float)ks(180) + ph));
            cv::Mat g3, f;
            cv::merge(std::vector<cv::Mat>{grain, grain * 0.8, grain * 0.6}, g3);
            photo.convertTo(f, CV_32FC3);
            f += g3;
            for (int n = 0; n < 4; n++)
                cv::ellipse(f, cv::Point(rf(photo.cols), rf(photo.rows)), cv::Size(ks(20 + rf(40)), ks(10 + rf(20))), rf(180), 0,
                            360, cv::Scalar(-30, -26, -22), cv::FILLED);
            f.convertTo(photo, CV_8UC3);
        }
        cv::Mat M = cv::getPerspectiveTransform(src, dst), warped, mask(card.size(), CV_8U, cv::Scalar(255)), wm;
        cv::warpPerspective(card, warped, M, photo.size(), cv::INTER_LINEAR);
        cv::warpPerspective(mask, wm, M, photo.size(), cv::INTER_NEAREST);
        if (scan) { // the shadow: the card's outline, shifted down and right, a little darker than the lid
            cv::Mat sh;
            cv::Mat T = (cv::Mat_<double>(2, 3) << 1, 0, ks(2 + rnd(3)), 0, 1, ks(2 + rnd(3)));
            cv::warpAffine(wm, sh, T, wm.size());
            cv::Mat dark = photo.clone();
            dark -= cv::Scalar::all(25 + rnd(30));
            cv::GaussianBlur(sh, sh, cv::Size(0, 0), 1.5 * KS);
            dark.copyTo(photo, sh > 60);
        }
        warped.copyTo(photo, wm);
        // OCR_CARDS2_HAND=1: the card held in a hand - a finger of skin tone runs from the photo's bottom
        // edge (left or right of the card) onto the card's lower corner, over its margin, a nail at its tip
        if (getenv("OCR_CARDS2_HAND") && atoi(getenv("OCR_CARDS2_HAND"))) {
            bool left = rf(2) == 0;
            cv::Point2f tip = left ? dst[3] : dst[2], in = (dst[0] + dst[1] + dst[2] + dst[3]) * 0.25f - tip;
            tip += in * (0.06f + 0.04f * (float)rf(100) / 100); // onto the card, over its margin
            cv::Point2f base((float)(left ? rf(ks(300)) : photo.cols - 1 - rf(ks(300))), (float)photo.rows + ks(20));
            int fw = (int)(h * (0.14f + 0.06f * (float)rf(100) / 100));
            cv::Scalar skin(150 + rf(40), 170 + rf(30), 205 + rf(30));
            cv::line(photo, base, tip, skin, fw, cv::LINE_AA);
            cv::circle(photo, tip, fw / 2, skin, cv::FILLED, cv::LINE_AA);
            cv::Point2f d = tip - base;
            double a = std::atan2(d.y, d.x) * 180 / CV_PI;
            cv::ellipse(photo, tip - d * (float)(fw * 0.25 / std::hypot(d.x, d.y)), cv::Size(fw * 3 / 10, fw / 4), a, 0, 360,
                        skin + cv::Scalar(20, 20, 15), cv::FILLED, cv::LINE_AA);
        }
        // OCR_CARDS2_SHADOW=1: the phone's shadow - a soft dark band (40-60 % darker) across a part of the card
        if (getenv("OCR_CARDS2_SHADOW") && atoi(getenv("OCR_CARDS2_SHADOW"))) {
            cv::Mat sh(photo.size(), CV_32F, cv::Scalar(0));
            cv::Point2f c = (dst[0] + dst[1] + dst[2] + dst[3]) * 0.25f;
            float a = (float)rf(360) * (float)CV_PI / 180, r = w * (0.1f + 0.3f * (float)rf(100) / 100);
            cv::Point2f n(std::cos(a), std::sin(a)), o = c + n * r;
            std::vector<cv::Point> poly;
            for (cv::Point2f q : {o + cv::Point2f(-n.y, n.x) * 3000.0f, o + cv::Point2f(n.y, -n.x) * 3000.0f,
                                  o + n * 3000.0f + cv::Point2f(n.y, -n.x) * 3000.0f, o + n * 3000.0f + cv::Point2f(-n.y, n.x) * 3000.0f})
                poly.emplace_back((int)q.x, (int)q.y);
            cv::fillConvexPoly(sh, poly, cv::Scalar(0.4 + 0.2 * rf(100) / 100.0));
            cv::GaussianBlur(sh, sh, cv::Size(0, 0), 15 * KS);
            cv::Mat f, s3;
            photo.convertTo(f, CV_32FC3);
            cv::merge(std::vector<cv::Mat>{1 - sh, 1 - sh, 1 - sh}, s3);
            f = f.mul(s3);
            f.convertTo(photo, CV_8UC3);
        }
        if (hard) {
            cv::Mat light(photo.size(), CV_32FC3);
            float gx = (float)(rh(100) - 50) / 100, gy = (float)(rh(100) - 50) / 100;
            for (int yy = 0; yy < light.rows; yy++)
                for (int xx = 0; xx < light.cols; xx++) {
                    float v = 1.0f + 0.35f * (gx * (xx - ks(800)) / ks(800) + gy * (yy - ks(600)) / ks(600));
                    light.at<cv::Vec3f>(yy, xx) = cv::Vec3f(v, v, v);
                }
            cv::Mat f;
            photo.convertTo(f, CV_32FC3);
            f = f.mul(light);
            cv::Mat spot(photo.size(), CV_32FC3, cv::Scalar::all(0));
            cv::ellipse(spot, cv::Point((int)(x + w * rh(100) / 100), (int)(y + h * rh(100) / 100)),
                        cv::Size(ks(40 + rh(80)), ks(20 + rh(40))), rh(180), 0, 360, cv::Scalar::all(120 + rh(100)), cv::FILLED);
            cv::GaussianBlur(spot, spot, cv::Size(0, 0), 25 * KS);
            f += spot;
            f.convertTo(photo, CV_8UC3);
        }
        double pb = rnd(100) / 100.0;
        cv::GaussianBlur(photo, photo, cv::Size(0, 0), KS * (scan ? 0.4 + 0.3 * pb : hard ? 1.0 + pb : 0.6 + 0.6 * pb));
        char name[64];
        snprintf(name, sizeof name, "/%03d", i);
        cv::imwrite(out + name + ".jpg", photo,
                    {cv::IMWRITE_JPEG_QUALITY, scan ? 85 + rnd(11) : hard ? 55 + rnd(20) * 5 / 4 : 75 + rnd(20)});
        std::ofstream(out + name + ".json") << json << "\n";
    }
    return 0;
}
