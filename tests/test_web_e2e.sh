#!/usr/bin/env bash
# End-to-end: the web UI in Debian's headless Chromium (playwright-core from
# npm) against a real greeterd playing the bundled demo video: log in, see a
# greeting appear on the Live page, scan a card photo, correct a field, save,
# find the contact, convert its lead into contact + company + deal, sign out.
# GREETER_E2E_SHOTS=DIR keeps a screenshot of every page there
# (docs/screenshots/ was made that way).
set -euo pipefail
bin=${GREETER_BUILD_DIR:?}
src=${GREETER_SOURCE_DIR:?}
e2e="$src/tests/e2e"

[ -x /usr/bin/chromium ] || { echo "skip: /usr/bin/chromium missing (apt-get install chromium)"; exit 77; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "skip: node/npm missing"; exit 77; }
models=${GREETER_MODELS_DIR:-$src/models/data}
[ -f "$models/face_recognition_model.bin" ] || { echo "skip: face models missing in $models (models/fetch.sh)"; exit 77; }
video=$src/tests/data/video/visits.mp4
[ -f "$video" ] || { echo "skip: $video missing"; exit 77; }
if [ ! -d "$e2e/node_modules/playwright-core" ]; then
    (cd "$e2e" && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
        { echo "skip: 'npm ci' in tests/e2e failed (no npm registry?)"; exit 77; }
fi

tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

"$bin/greeterd" --storage.dir="$tmp/state" --web.listen=127.0.0.1:0 --camera.source=auto \
    --camera.demo_video="$video" --models.dir="$models" >"$tmp/greeterd.log" 2>&1 &
pid=$!
port=
for _ in $(seq 200); do
    port=$(grep -o 'web UI listening on port [0-9]*' "$tmp/greeterd.log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/greeterd.log"; echo "greeterd did not start"; exit 1; }

card=
# GREETER_E2E_DRAW_CARD=1: use a card drawn by the browser instead of tests/data/cards.
[ -n "${GREETER_E2E_DRAW_CARD:-}" ] ||
    for f in "$src"/tests/data/cards/*.jpg; do [ -f "$f" ] && { card=$f; break; }; done
shots=${GREETER_E2E_SHOTS:-}
[ -n "$shots" ] && mkdir -p "$shots"

rc=0
GREETER_URL="http://127.0.0.1:$port" GREETER_PASSWORD_FILE="$tmp/state/initial-admin-password" \
    GREETER_CARD="$card" GREETER_CARDS_DIR="${card:+$src/tests/data/cards}" SHOTS="$shots" WORK="$tmp" \
    timeout 600 node "$e2e/web.mjs" || rc=$?
if [ "$rc" != 0 ]; then
    echo "--- greeterd log (tail)"
    grep -v '^<7>' "$tmp/greeterd.log" | tail -40
    exit "$rc"
fi
kill -TERM "$pid"
wait "$pid" || { echo "greeterd did not stop cleanly"; exit 1; }
pid=
echo "web e2e ok"
