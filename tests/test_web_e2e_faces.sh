#!/usr/bin/env bash
# End-to-end of the face library (issue 14) in Debian's headless Chromium
# (playwright-core from npm) against a real greeterd whose camera is a folder
# of frames played in a loop: a visitor (frame300.jpg) stands at the desk for
# 2 s, leaves for 6 s, comes back. tests/e2e/faces.mjs, at phone size
# (390x844): open the unknown visitor, "not this person" on a visit, merge the
# identities back, delete a template; at desktop size (1280x800): link the
# visitor to a contact ("this is ...") and see the next greeting carry the
# name; at both sizes enrol from the live camera (the camera knew the face:
# that identity is named, and the face taken is shown); then erase with a
# suppression entry and see the face pass without anything stored; enrol a photo (the face is shown for confirmation) and see
# a photo of the suppressed face refused.
set -euo pipefail
bin=${GREETER_BUILD_DIR:?}
src=${GREETER_SOURCE_DIR:?}
e2e="$src/tests/e2e"

. "$e2e/lib.sh"
e2e_need_browser
models=${GREETER_MODELS_DIR:-$src/models/data}
[ -f "$models/face_recognition_model.bin" ] || { echo "skip: face models missing in $models (models/fetch.sh)"; exit 77; }

tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# the camera: 30 frames of the visitor, 90 of the empty desk (a grey PNG), looped at 15 fps
mkdir -p "$tmp/camera"
for i in $(seq -w 0 29); do cp "$src/tests/data/faces/frame300.jpg" "$tmp/camera/f0$i.jpg"; done
python3 - "$tmp/camera/empty.png" <<'PY'
import struct, sys, zlib
w, h = 640, 480
raw = b"".join(b"\0" + bytes([128, 128, 128]) * w for _ in range(h))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + \
      chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
for i in $(seq -w 10 99); do cp "$tmp/camera/empty.png" "$tmp/camera/g0$i.png"; done
rm "$tmp/camera/empty.png"

"$bin/greeterd" --storage.dir="$tmp/state" --web.listen=127.0.0.1:0 --camera.source="$tmp/camera" \
    --camera.loop=true --models.dir="$models" >"$tmp/greeterd.log" 2>&1 &
pid=$!
e2e_wait_port "$pid" "$tmp/greeterd.log"

# A first login must change the password before anything else (issue 12):
# done here, so the browser signs in with the new one.
. "$src/tests/bench/login.sh"
bench_login "$tmp/state" "http://127.0.0.1:$port" "$tmp"

rc=0
GREETER_URL="http://127.0.0.1:$port" GREETER_PASSWORD_FILE="$tmp/state/initial-admin-password" \
    SHOTS="${GREETER_E2E_SHOTS:-}" WORK="$tmp" timeout 600 node "$e2e/faces.mjs" || rc=$?
e2e_finish "$rc" "$pid" "$tmp/greeterd.log"
pid=
echo "faces e2e ok"
