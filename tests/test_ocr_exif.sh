#!/bin/bash
# A phone photo with an EXIF orientation tag (tests/data/cards/exif6-010.jpg: card 010 stored turned,
# tag 6) is decoded upright and read like the original, not refused as corrupt.
set -u
bin="${GREETER_BUILD_DIR:-build/dev}/greeter"
data="${GREETER_TEST_DATA:-tests/data}/cards"
[ -x "$bin" ] || { echo "SKIP: $bin is not built"; exit 77; }
out=$("$bin" cards scan "$data/exif6-010.jpg" 2>&1) || { echo "FAIL: scan failed: $out"; exit 1; }
python3 - "$out" <<'PY'
import json, sys
o = json.loads(sys.argv[1].strip().splitlines()[-1])
bad = []
if "error" in o: bad.append(o["error"])
if o.get("name") != "Melissa Neal": bad.append(f"name {o.get('name')!r}")
if o.get("emails") != ["melissa@pachecorogers.com"]: bad.append(f"emails {o.get('emails')!r}")
for b in bad: print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
