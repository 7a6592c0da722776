#!/bin/sh
# Generalisation check for the card reader on cards the sample set does not
# have: renders COUNT synthetic photos with tests/bench/ocr_synth.cpp (other
# layouts, dark cards, photos turned 90/180/270, shadows, two cards in one
# photo, Hershey fonts), scans them and scores them with card_score.py.
# Needs only OpenCV and g++; card_score.py comes from ../shared/tools.
#
# OCR_BENCH_ARGS: more options for `greeter` (--ocr.text_px=32).
#
# usage: tests/bench/ocr_synth.sh [BUILD_DIR] [COUNT] [OUT_DIR]
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build/dev}
count=${2:-24}
out=${3:-$(mktemp -d /tmp/ocr-synth-XXXXXX)}
score=${GREETER_SHARED:-$here/../shared}/tools/card_score.py
[ -f "$score" ] || { echo "ocr_synth: $score is absent" >&2; exit 77; }
mkdir -p "$out/truth" "$out/pred"
g++ -O2 -std=c++17 "$here/tests/bench/ocr_synth.cpp" -o "$out/ocr_synth" $(pkg-config --cflags --libs opencv4)
"$out/ocr_synth" "$out/truth" "$count" "${OCR_SYNTH_SEED:-7}"
"$build/greeter" cards scan --log.level=debug ${OCR_BENCH_ARGS:-} "$out"/truth/*.jpg >"$out/scan.jsonl" 2>"$out/scan.log" || true
python3 - "$out" <<'PY'
import json, os, re, statistics, sys
out = sys.argv[1]
# a photo may hold two cards: score the one that is the photo's main card
# (the truth's e-mail domain decides; the other card is a distractor)
best = {}
for line in open(os.path.join(out, "scan.jsonl")):
    o = json.loads(line)
    n = os.path.splitext(os.path.basename(o["image"]))[0]
    if "error" in o: continue
    t = json.load(open(os.path.join(out, "truth", n + ".json")))
    dom = t["emails"][0].split("@")[1]
    hit = any(dom in e for e in o.get("emails", [])) or any(dom in w for w in o.get("websites", []))
    if n not in best or (hit and not best[n][0]):
        best[n] = (hit, o)
for n, (_, o) in best.items():
    json.dump(o, open(os.path.join(out, "pred", n + ".json"), "w"))
log = open(os.path.join(out, "scan.log")).read()
cards = re.findall(r"scan: (\d+) card\(s\)", log)
ms = sorted(float(m) for m in re.findall(r"total (\d+) ms", log))
print(f"photos={len(ms)} cards_found={sum(map(int, cards))} median_ms={statistics.median(ms):.0f}")
PY
python3 "$score" "$out/truth" "$out/pred" ${VERBOSE:+--verbose}
echo "photos and predictions in $out"
