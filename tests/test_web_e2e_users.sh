#!/usr/bin/env bash
# End-to-end: accounts and roles (issue 12) in Debian's headless Chromium
# (playwright-core from npm) against a real greeterd without a camera:
# tests/e2e/users.mjs, at the desktop and the phone size.
# GREETER_E2E_SHOTS=DIR keeps its screenshots there.
set -euo pipefail
bin=${GREETER_BUILD_DIR:?}
src=${GREETER_SOURCE_DIR:?}
e2e="$src/tests/e2e"

[ -x /usr/bin/chromium ] || { echo "skip: /usr/bin/chromium missing (apt-get install chromium)"; exit 77; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "skip: node/npm missing"; exit 77; }
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

"$bin/greeterd" --storage.dir="$tmp/state" --web.listen=127.0.0.1:0 --camera.source=none >"$tmp/greeterd.log" 2>&1 &
pid=$!
port=
for _ in $(seq 200); do
    port=$(grep -o 'web UI listening on port [0-9]*' "$tmp/greeterd.log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/greeterd.log"; echo "greeterd did not start"; exit 1; }
shots=${GREETER_E2E_SHOTS:-}
[ -n "$shots" ] && mkdir -p "$shots"

rc=0
GREETER_URL="http://127.0.0.1:$port" GREETER_PASSWORD_FILE="$tmp/state/initial-admin-password" \
    SHOTS="$shots" WORK="$tmp" timeout 300 node "$e2e/users.mjs" || rc=$?
if [ "$rc" != 0 ]; then
    echo "--- greeterd log (tail)"
    grep -v '^<7>' "$tmp/greeterd.log" | tail -40
    exit "$rc"
fi
kill -TERM "$pid"
wait "$pid" || { echo "greeterd did not stop cleanly"; exit 1; }
pid=
echo "web e2e users ok"
