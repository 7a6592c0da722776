#!/usr/bin/env bash
# End-to-end: accounts and roles (issue 12) in Debian's headless Chromium
# (playwright-core from npm) against a real greeterd without a camera:
# tests/e2e/users.mjs, at the desktop and the phone size.
# GREETER_E2E_SHOTS=DIR keeps its screenshots there.
set -euo pipefail
bin=${GREETER_BUILD_DIR:?}
src=${GREETER_SOURCE_DIR:?}
e2e="$src/tests/e2e"

. "$e2e/lib.sh"
e2e_need_browser

tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

"$bin/greeterd" --storage.dir="$tmp/state" --web.listen=127.0.0.1:0 --camera.source=none >"$tmp/greeterd.log" 2>&1 &
pid=$!
e2e_wait_port "$pid" "$tmp/greeterd.log"
shots=${GREETER_E2E_SHOTS:-}
[ -n "$shots" ] && mkdir -p "$shots"

rc=0
GREETER_URL="http://127.0.0.1:$port" GREETER_PASSWORD_FILE="$tmp/state/initial-admin-password" \
    SHOTS="$shots" WORK="$tmp" timeout 300 node "$e2e/users.mjs" || rc=$?
e2e_finish "$rc" "$pid" "$tmp/greeterd.log"
pid=
echo "web e2e users ok"
