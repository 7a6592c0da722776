#!/bin/sh
# Held-out check for the card reader in real typefaces: renders COUNT card
# photos with tests/bench/ocr_cards2.cpp (people, firms, numbers and
# addresses of fifteen countries, five layouts incl. two panels and a logo
# block, taglines and department lines) in the TrueType/OpenType fonts of
# Debian's font packages that are installed, scans them in one process
# (no --region: the card's own cues decide) and scores them with
# ../shared/tools/card_score.py. The title is scored as real_score.py
# scores real cards: right when the reading contains it (a department line
# joined to it is not an error). Per-layout and per-country scores follow.
#
# Fonts: fonts-dejavu-core and fonts-lato come with the build; for the full
# set: apt-get install fonts-liberation2 fonts-urw-base35 fonts-open-sans
#      fonts-roboto-unhinted fonts-noto-core
#
# OCR_CARDS2_HARD=1: hand-held photos (smaller card, uneven light, a glare
# spot, more blur, lower JPEG quality).
#
# OCR_CARDS2_SCAN=1: flatbed scans (the card at 250-330 dpi on a light lid,
# turned up to 3 degrees, a faint shadow, little blur, JPEG 85-95).
#
# OCR_CARDS2_HAND=1: the card held in a hand - a finger of skin tone from the
# photo's bottom edge onto the card's lower left or right corner, over its
# margin (the same cards; combines with the others).
#
# OCR_CARDS2_BIG=K: the same photos drawn K times larger (K = 2.5: 4000 x
# 3000, a phone's full-resolution photo; the card's print, the desk and the
# blur all scaled), to check the reader does not depend on the photo's size;
# K = 0.4: 640 x 480, a webcam's photo with the card 420 px wide (0.25 or more).
# OCR_BENCH_ARGS: more options for `greeter` (--ocr.text_px=32, --ocr.tessdata=DIR).
#
# usage: tests/bench/ocr_cards2.sh [BUILD_DIR] [COUNT] [SEED] [OUT_DIR]   (docs/BENCHMARKS.md)
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build/dev}
count=${2:-40}
seed=${3:-1}
out=${4:-$(mktemp -d /tmp/ocr-cards2-XXXXXX)}
shared=${GREETER_SHARED:-$here/../shared}
score=$shared/tools/card_score.py
[ -f "$score" ] || { echo "ocr_cards2: $score is absent" >&2; exit 77; }
fonts=""
for f in truetype/dejavu/DejaVuSans.ttf truetype/dejavu/DejaVuSans-Bold.ttf truetype/dejavu/DejaVuSerif.ttf \
    truetype/dejavu/DejaVuSansCondensed-Bold.ttf truetype/lato/Lato-Regular.ttf truetype/lato/Lato-Bold.ttf \
    truetype/lato/Lato-Light.ttf truetype/liberation2/LiberationSans-Regular.ttf \
    truetype/liberation2/LiberationSans-Bold.ttf truetype/liberation2/LiberationSerif-Regular.ttf \
    opentype/urw-base35/NimbusSans-Regular.otf opentype/urw-base35/NimbusSans-Bold.otf \
    opentype/urw-base35/NimbusRoman-Regular.otf opentype/urw-base35/URWGothic-Book.otf \
    opentype/urw-base35/C059-Roman.otf truetype/open-sans/OpenSans-Regular.ttf truetype/open-sans/OpenSans-Bold.ttf \
    truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf truetype/roboto/unhinted/RobotoTTF/Roboto-Medium.ttf \
    truetype/noto/NotoSans-Regular.ttf truetype/noto/NotoSerif-Bold.ttf; do
    [ -f "/usr/share/fonts/$f" ] && fonts="$fonts /usr/share/fonts/$f"
done
[ -n "$fonts" ] || { echo "ocr_cards2: no fonts found under /usr/share/fonts" >&2; exit 77; }
mkdir -p "$out/truth" "$out/pred"
g++ -O2 -std=c++17 "$here/tests/bench/ocr_cards2.cpp" -o "$out/ocr_cards2" $(pkg-config --cflags --libs opencv4)
# shellcheck disable=SC2086
"$out/ocr_cards2" "$out/truth" "$count" "$seed" $fonts
echo "fonts: $(echo $fonts | wc -w)"
"$build/greeter" cards scan --log.level=debug ${OCR_BENCH_ARGS:-} "$out"/truth/*.jpg >"$out/scan.jsonl" 2>"$out/scan.log" || true
python3 - "$out" "$score" <<'PY'
import json, os, re, statistics, subprocess, sys
out, score = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(score))
from card_score import norm
best = {}
for line in open(os.path.join(out, "scan.jsonl")):
    o = json.loads(line)
    n = os.path.splitext(os.path.basename(o["image"]))[0]
    if "error" in o or n in best: continue
    best[n] = o
groups = {}
for n, o in best.items():
    t = json.load(open(os.path.join(out, "truth", n + ".json")))
    if t["title"] and norm(t["title"]) in norm(o.get("title")):
        o["title"] = t["title"]  # scored as real_score.py does: the reading contains the label
    json.dump(o, open(os.path.join(out, "pred", n + ".json"), "w"), ensure_ascii=False)
log = open(os.path.join(out, "scan.log")).read()
ms = sorted(float(m) for m in re.findall(r"total (\d+) ms", log))
if ms: print(f"photos={len(ms)} median_ms={statistics.median(ms):.0f} p90_ms={ms[min(len(ms) - 1, int(round(0.9 * len(ms))) - 1)]:.0f}")
PY
python3 "$score" "$out/truth" "$out/pred"
python3 - "$out" "$score" <<'PY'
import json, os, sys, glob
out = sys.argv[1]
sys.path.insert(0, os.path.dirname(sys.argv[2]))
import card_score
by = {}
for f in sorted(glob.glob(os.path.join(out, "truth", "*.json"))):
    t = json.load(open(f))
    pf = os.path.join(out, "pred", os.path.basename(f))
    p = json.load(open(pf)) if os.path.exists(pf) else {}
    r = card_score.score_card(t, p)
    vals = list(r.values()) if isinstance(r, dict) else list(r)
    s = sum(vals) / len(vals)
    for key in ("layout %d" % t["layout"], t["country"]):
        by.setdefault(key, []).append(s)
print("by layout / country: " + ", ".join(f"{k} {sum(v) / len(v):.2f} ({len(v)})" for k, v in sorted(by.items())))
PY
echo "photos and predictions in $out"
