#!/bin/sh
# Low-resolution check for the card reader: the real photos of
# ../shared/data/cards_real scaled down to SIZE px on their long side
# (OpenCV INTER_AREA, JPEG quality 85), as a small camera or a thumbnail
# would give them, scanned in one process with --region BR and scored with
# real_score.py (the card with the most fields per photo, as in
# docs/BENCHMARKS.md). Needs OpenCV and g++.
#
# OCR_BENCH_ARGS: more options for `greeter`.
# usage: tests/bench/ocr_lowres.sh [BUILD_DIR] [SIZE] [OUT_DIR]
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build/dev}
size=${2:-640}
out=${3:-$(mktemp -d /tmp/ocr-lowres-XXXXXX)}
shared=${GREETER_SHARED:-$here/../shared}
[ -f "$shared/tools/real_score.py" ] || { echo "ocr_lowres: $shared/tools/real_score.py is absent" >&2; exit 77; }
mkdir -p "$out/img"
cat >"$out/resize.cpp" <<'CPP'
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <algorithm>
#include <cstdlib>
int main(int argc, char **argv) {
    if (argc != 4) return 2;
    cv::Mat m = cv::imread(argv[1]);
    if (m.empty()) return 1;
    double s = std::atof(argv[3]) / std::max(m.cols, m.rows);
    cv::Mat o;
    cv::resize(m, o, cv::Size(), s, s, s < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
    return cv::imwrite(argv[2], o, {cv::IMWRITE_JPEG_QUALITY, 85}) ? 0 : 1;
}
CPP
g++ -O2 -std=c++17 "$out/resize.cpp" -o "$out/resize" $(pkg-config --cflags --libs opencv4)
for f in "$shared"/data/cards_real/*.jpg; do "$out/resize" "$f" "$out/img/$(basename "$f")" "$size"; done
"$build/greeter" cards scan --region BR --log.level=debug ${OCR_BENCH_ARGS:-} "$out"/img/*.jpg >"$out/scan.jsonl" 2>"$out/scan.log" || true
python3 "$here/tests/bench/ocr_best_card.py" "$out"
python3 "$shared/tools/real_score.py" "$shared/data/cards_real/labels.json" "$out"
echo "photos and predictions in $out"
