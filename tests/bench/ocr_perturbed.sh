#!/bin/sh
# Stability check for the card reader: the real photos of
# ../shared/data/cards_real changed by what no person would see - saved
# again as JPEG at quality 95, one level in 100 brighter or darker
# (lossless PNG), scaled to 97 % (JPEG quality 92) - are scanned with
# --region BR and scored with real_score.py, each variant on its own (the
# card with the most fields per photo, as in docs/BENCHMARKS.md). A reader
# whose rules fit these 24 photos' exact readings scores well on the
# originals and falls on the variants; the mean over the variants is the
# number to judge a change by (docs/BENCHMARKS.md, round 26). Needs OpenCV
# and g++.
#
# OCR_PERTURBED_SET=other: three other variants instead (JPEG quality 85;
# a gamma of 0.95, lossless PNG; scaled to 103 %, JPEG quality 92), which
# round 27 kept out of development and scored blind (docs/BENCHMARKS.md).
# OCR_BENCH_ARGS: more options for `greeter`.
# usage: tests/bench/ocr_perturbed.sh [BUILD_DIR] [OUT_DIR]
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build/dev}
out=${2:-$(mktemp -d /tmp/ocr-perturbed-XXXXXX)}
shared=${GREETER_SHARED:-$here/../shared}
[ -f "$shared/tools/real_score.py" ] || { echo "ocr_perturbed: $shared/tools/real_score.py is absent" >&2; exit 77; }
mkdir -p "$out"
cat >"$out/vary.cpp" <<'CPP'
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <cmath>
#include <string>
// vary IN OUT_DIR NAME [other]: the four variants of one photo, or the three other ones
int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) return 2;
    cv::Mat m = cv::imread(argv[1]);
    if (m.empty()) return 1;
    std::string d = argv[2], n = argv[3];
    if (argc == 5) {
        cv::Mat lut(1, 256, CV_8U), g, big;
        for (int i = 0; i < 256; i++) lut.at<uchar>(i) = cv::saturate_cast<uchar>(255.0 * std::pow(i / 255.0, 0.95));
        cv::LUT(m, lut, g);
        cv::resize(m, big, cv::Size(), 1.03, 1.03, cv::INTER_CUBIC);
        bool ok = cv::imwrite(d + "/q85/" + n + ".jpg", m, {cv::IMWRITE_JPEG_QUALITY, 85}) &&
                  cv::imwrite(d + "/gam/" + n + ".png", g) &&
                  cv::imwrite(d + "/s103/" + n + ".jpg", big, {cv::IMWRITE_JPEG_QUALITY, 92});
        return ok ? 0 : 1;
    }
    cv::Mat up, down, small;
    m.convertTo(up, -1, 1.0, 2.55);
    m.convertTo(down, -1, 1.0, -2.55);
    cv::resize(m, small, cv::Size(), 0.97, 0.97, cv::INTER_AREA);
    bool ok = cv::imwrite(d + "/q95/" + n + ".jpg", m, {cv::IMWRITE_JPEG_QUALITY, 95}) &&
              cv::imwrite(d + "/up/" + n + ".png", up) && cv::imwrite(d + "/down/" + n + ".png", down) &&
              cv::imwrite(d + "/s97/" + n + ".jpg", small, {cv::IMWRITE_JPEG_QUALITY, 92});
    return ok ? 0 : 1;
}
CPP
# shellcheck disable=SC2046 # pkg-config's flags are words
g++ -O2 -std=c++17 "$out/vary.cpp" -o "$out/vary" $(pkg-config --cflags --libs opencv4)
if [ "${OCR_PERTURBED_SET:-}" = other ]; then
    variants="q85 gam s103" other=other
else
    variants="q95 up down s97" other=
fi
for v in $variants; do mkdir -p "$out/$v"; done
for f in "$shared"/data/cards_real/*.jpg; do
    n=$(basename "$f" .jpg)
    # shellcheck disable=SC2086 # other is one word or none
    "$out/vary" "$f" "$out" "$n" $other
done
for v in $variants; do
    case $v in up | down | gam) ext=png ;; *) ext=jpg ;; esac
    # shellcheck disable=SC2086
    "$build/greeter" cards scan --region BR ${OCR_BENCH_ARGS:-} "$out/$v"/*."$ext" >"$out/$v/scan.jsonl" 2>/dev/null || true
    python3 "$here/tests/bench/ocr_best_card.py" "$out/$v"
    python3 "$shared/tools/real_score.py" "$shared/data/cards_real/labels.json" "$out/$v" >"$out/$v/score.txt"
    echo "$v $(grep '^score=' "$out/$v/score.txt")"
done
# shellcheck disable=SC2086 # the variants are words
python3 - "$out" $variants <<'PY'
import os, sys, re
out = sys.argv[1]; f = {}
for v in sys.argv[2:]:
    for line in open(os.path.join(out, v, "score.txt")):
        m = re.match(r"(\w+)[\s=]+([0-9.]+)", line.strip())
        if m: f.setdefault(m.group(1), []).append(float(m.group(2)))
score = f.pop("score")
print("mean fields: " + ", ".join(f"{k} {sum(v) / len(v):.3f}" for k, v in f.items()))
print(f"mean score={sum(score) / len(score):.4f}")
PY
echo "variants and predictions in $out"
