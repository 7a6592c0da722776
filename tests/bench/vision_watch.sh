#!/usr/bin/env bash
# Face pipeline on the demo video: CPU time (user+sys), frames per second and
# peak RSS of `greeter faces watch` (tracked) against the same program's
# `--every-frame` textbook pipeline, measured in the same run, plus the visit
# score (../shared/tools/visit_eval.py when present, else the copy of its
# rules in tests/test_vision_watch.py is what CI checks).
#
# usage: tests/bench/vision_watch.sh [BUILD_DIR] [VIDEO] [VISITS_JSON]
set -euo pipefail
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 77; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build/h-vision}
video=${2:-$repo/../shared/data/video/visits.mp4}
truth=${3:-${video%.mp4}.json}
eval=$repo/../shared/tools/visit_eval.py
[ -f "$video" ] || { video=$repo/tests/data/video/visits.mp4; truth=$repo/tests/data/video/visits.json; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() { # mode-name extra-args...
    local name=$1
    shift
    /usr/bin/time -v "$build/greeter" faces watch "$video" --stats "$@" >"$tmp/$name.jsonl" 2>"$tmp/$name.err"
    local user sys rss stats
    user=$(awk -F': ' '/User time/ {print $2}' "$tmp/$name.err")
    sys=$(awk -F': ' '/System time/ {print $2}' "$tmp/$name.err")
    rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$tmp/$name.err")
    stats=$(grep '^{"mode"' "$tmp/$name.err")
    python3 -c "print(round($user + $sys, 2))" >"$tmp/$name.cpu"
    echo "$name: cpu_s=$(cat "$tmp/$name.cpu") peak_rss_mb=$((rss / 1024)) $stats"
    if [ -f "$eval" ]; then python3 "$eval" "$truth" "$tmp/$name.jsonl" | sed "s/^/$name: /"; fi
}
echo "video: $video"
nproc | sed 's/^/cores: /'
run tracked
run every-frame --every-frame
python3 -c "print('cpu ratio tracked/every-frame: %.4f' % ($(cat "$tmp/tracked.cpu") / $(cat "$tmp/every-frame.cpu")))"
