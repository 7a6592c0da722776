#!/usr/bin/env python3
"""Face-recognition accuracy on ../shared/data/faces: the two reference chips
against face-api.js's descriptors, and leave-one-out rank-1 plus pair
verification accuracy (threshold 0.6) on the 40 identity chips.

usage: tests/bench/vision_identities.py [BUILD_DIR] [SHARED_DATA]
(defaults: build/h-vision and ../shared/data, relative to the repository)."""
import itertools
import json
import math
import os
import subprocess
import sys

repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo, "build", "h-vision")
shared = sys.argv[2] if len(sys.argv) > 2 else os.path.join(repo, "..", "shared", "data")
faces = os.path.join(shared, "faces")
if not os.path.isdir(faces):
    print("skipped: %s is absent" % faces, file=sys.stderr)
    sys.exit(77)


def embed(paths):
    out = subprocess.run([os.path.join(build, "greeter"), "faces", "embed", "--chip"] + paths,
                         capture_output=True, text=True, check=True).stdout
    return {d["image"]: d["faces"][0]["descriptor"] for d in map(json.loads, out.splitlines())}


def dist(a, b):
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))


ref = os.path.join(faces, "reference")
got = embed([os.path.join(ref, "face1.png"), os.path.join(ref, "face2.png")])
for name in ("face1", "face2"):
    want = json.load(open(os.path.join(ref, name + ".descriptor.json")))
    print("%s: distance to face-api.js reference %.4f" % (name, dist(got[os.path.join(ref, name + ".png")], want)))

ids = os.path.join(faces, "identities")
chips = sorted((who, os.path.join(ids, who, f)) for who in os.listdir(ids) for f in os.listdir(os.path.join(ids, who)))
d = embed([p for _, p in chips])
rank1 = 0
for i, (who, p) in enumerate(chips):
    others = [(dist(d[p], d[q]), w) for j, (w, q) in enumerate(chips) if j != i]
    rank1 += min(others)[1] == who
pairs = list(itertools.combinations(chips, 2))
correct = sum((dist(d[a], d[b]) <= 0.6) == (wa == wb) for (wa, a), (wb, b) in pairs)
same = [dist(d[a], d[b]) for (wa, a), (wb, b) in pairs if wa == wb]
diff = [dist(d[a], d[b]) for (wa, a), (wb, b) in pairs if wa != wb]
print("leave-one-out rank-1: %d/%d" % (rank1, len(chips)))
print("pair accuracy at 0.6: %d/%d = %.2f %%" % (correct, len(pairs), 100.0 * correct / len(pairs)))
print("same-person distance max %.3f, different-person min %.3f" % (max(same), min(diff)))
