# lib.sh - sourced by the Chromium end-to-end scripts (tests/test_web_e2e*.sh):
# what they share. Needs $e2e (tests/e2e) set.

# Skip (exit 77) without Debian's chromium, node/npm or playwright-core.
e2e_need_browser() {
    [ -x /usr/bin/chromium ] || { echo "skip: /usr/bin/chromium missing (apt-get install chromium)"; exit 77; }
    command -v node >/dev/null && command -v npm >/dev/null || { echo "skip: node/npm missing"; exit 77; }
    if [ ! -d "$e2e/node_modules/playwright-core" ]; then
        (cd "$e2e" && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
            { echo "skip: 'npm ci' in tests/e2e failed (no npm registry?)"; exit 77; }
    fi
}

# Wait for greeterd (pid $1, log $2) to say its port; sets $port, or fails
# with the log when it does not start.
e2e_wait_port() {
    port=
    for _ in $(seq 200); do
        port=$(grep -o 'web UI listening on port [0-9]*' "$2" | grep -o '[0-9]*$' || true)
        [ -n "$port" ] && break
        kill -0 "$1" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$2"; echo "greeterd did not start"; exit 1; }
}

# After the browser script ended with status $1: on failure the tail of
# greeterd's log (file $3) and that status; else greeterd (pid $2) must stop
# cleanly on SIGTERM.
e2e_finish() {
    if [ "$1" != 0 ]; then
        echo "--- greeterd log (tail)"
        grep -v '^<7>' "$3" | tail -40
        exit "$1"
    fi
    kill -TERM "$2"
    wait "$2" || { echo "greeterd did not stop cleanly"; exit 1; }
}
