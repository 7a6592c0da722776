#!/bin/sh
# Card reader benchmark: scans every photo of ../shared/data/cards with one
# `greeter cards scan` process (models loaded once), writes one NNN.json per
# photo, scores them with ../shared/tools/card_score.py and prints the
# median and p90 scan time (from the reader's own per-scan timing).
#
# usage: tests/bench/ocr_cards.sh [BUILD_DIR] [OUT_DIR]    (docs/BENCHMARKS.md)
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build/dev}
out=${2:-$(mktemp -d /tmp/ocr-cards-XXXXXX)}
shared=${GREETER_SHARED:-$here/../shared}
cards=$shared/data/cards
if [ ! -d "$cards" ]; then
    echo "ocr_cards: $cards is absent; nothing to measure" >&2
    exit 77
fi
mkdir -p "$out"
"$build/greeter" cards scan --log.level=debug ${OCR_BENCH_ARGS:-} "$cards"/*.jpg >"$out/scan.jsonl" 2>"$out/scan.log" || true
python3 - "$out" <<'PY'
import json, os, re, statistics, sys
out = sys.argv[1]
seen = set()
for line in open(os.path.join(out, "scan.jsonl")):
    o = json.loads(line)
    name = os.path.splitext(os.path.basename(o["image"]))[0]
    if name in seen or "error" in o:   # first card of each photo
        continue
    seen.add(name)
    json.dump(o, open(os.path.join(out, name + ".json"), "w"), ensure_ascii=False)
ms = [float(m) for m in re.findall(r"scan: \d+ card\(s\), image \d+ ms, total (\d+) ms", open(os.path.join(out, "scan.log")).read())]
ms.sort()
if ms:
    p90 = ms[min(len(ms) - 1, int(round(0.9 * len(ms))) - 1)]
    print(f"scans={len(ms)} median_ms={statistics.median(ms):.0f} p90_ms={p90:.0f} max_ms={ms[-1]:.0f}")
PY
python3 "$shared/tools/card_score.py" "$cards" "$out" ${VERBOSE:+--verbose}
echo "predictions in $out"
