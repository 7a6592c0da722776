#!/usr/bin/env bash
# Issue 14's lobby benchmark: renders the development and the held-out lobby
# videos with tests/bench/lobby_synth.cpp (people from behind crossing, a door,
# a changing screen, exposure steps and drift, shakes, two visitors at once, a
# visitor in view at frame 0, 10 s of standing still, faces of 70-160 px,
# tilt, occlusion, returns >= 12 s apart; different identities in the two),
# then runs tests/bench/vision_watch.sh on each (score by
# ../shared/tools/visit_eval.py, CPU of the tracked pipeline against
# --every-frame in the same run). Needs OpenCV's headers (g++, pkg-config).
#
# usage: tests/bench/vision_lobby.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build/dev}
out=${2:-$(mktemp -d /tmp/lobby-XXXXXX)}
faces=${GREETER_SHARED:-$repo/../shared}/data/faces
[ -d "$faces/identities" ] || { echo "vision_lobby: $faces/identities is absent" >&2; exit 77; }
mkdir -p "$out"
g++ -O2 -std=c++17 "$repo/tests/bench/lobby_synth.cpp" -o "$out/lobby_synth" $(pkg-config --cflags --libs opencv4)
for set in dev heldout; do
    "$out/lobby_synth" "$faces" "$set" "$out/$set.mp4" "$out/$set.json"
done
for set in dev heldout; do
    echo "== $set"
    "$repo/tests/bench/vision_watch.sh" "$build" "$out/$set.mp4" "$out/$set.json"
done
echo "videos and visit lists in $out"
