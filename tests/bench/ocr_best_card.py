#!/usr/bin/python3
"""usage: ocr_best_card.py DIR

Reads DIR/scan.jsonl (`greeter cards scan` output, one card a line) and writes
DIR/<photo>.json: per photo the card with the most fields (name, title,
company, address, each phone, e-mail and site), the form real_score.py
scores. A photo that shows the corner of a neighbouring card yields two
cards; the one the photo is of holds more."""
import json
import os
import sys

out = sys.argv[1]
best = {}
for line in open(os.path.join(out, "scan.jsonl")):
    o = json.loads(line)
    k = os.path.splitext(os.path.basename(o["image"]))[0]
    n = sum(bool(o.get(f)) for f in ("name", "title", "company", "address")) + sum(
        len(o.get(f) or []) for f in ("phones", "emails", "websites"))
    if "error" not in o and (k not in best or n > best[k][0]):
        best[k] = (n, o)
for k, (n, o) in best.items():
    json.dump(o, open(os.path.join(out, k + ".json"), "w"), ensure_ascii=False)
