#!/usr/bin/env bash
# greeterd starts on an empty state folder, migrates it, and stops cleanly on
# SIGTERM and SIGINT; missing models are a clear error naming the file.
# Started by hand under a lax umask, it still writes nothing that others
# can read (issue 12: it sets umask 077 itself).
set -euo pipefail
bin=${GREETER_BUILD_DIR:?}
tmp=$(mktemp -d)
trap 'kill -9 $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
pid=

"$bin/greeterd" --version | grep -E '^greeterd [0-9]+\.[0-9]+\.[0-9]+$'
"$bin/greeter" --version | grep -E '^greeter [0-9]+\.[0-9]+\.[0-9]+$'

run_and_stop() { # signal
    "$bin/greeterd" --storage.dir="$tmp/state" --camera.source=none --web.listen=127.0.0.1:0 \
        >"$tmp/log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do grep -q 'ready' "$tmp/log" && break; sleep 0.1; done
    grep -q 'ready' "$tmp/log" || { cat "$tmp/log"; echo "greeterd never became ready"; exit 1; }
    kill -"$1" $pid
    local rc=0
    wait $pid || rc=$?
    [ "$rc" = 0 ] || { cat "$tmp/log"; echo "greeterd exited $rc after SIG$1"; exit 1; }
    grep -q 'stopped' "$tmp/log"
}
umask 022
run_and_stop TERM
[ -f "$tmp/state/greeter.db" ]
[ "$(stat -c %a "$tmp/state")" = 700 ]
[ "$(stat -c %a "$tmp/state/greeter.db")" = 600 ] || { ls -la "$tmp/state"; echo "greeter.db readable by others"; exit 1; }
open=$(find "$tmp/state" -perm /077)
[ -z "$open" ] || { ls -laR "$tmp/state"; echo "greeterd made files others can read: $open"; exit 1; }
run_and_stop INT
"$bin/greeter" --storage.dir="$tmp/state" db version | grep -q '"version":'

# Missing models: refused with the file named, non-zero exit.
rc=0
"$bin/greeterd" --storage.dir="$tmp/state" --models.dir="$tmp/nomodels" --camera.source=auto \
    --web.listen=127.0.0.1:0 >"$tmp/log2" 2>&1 || rc=$?
[ "$rc" != 0 ]
grep -q 'face_recognition_model.bin' "$tmp/log2"
grep -q 'is missing' "$tmp/log2"

# A bad setting: the key, the value and the range.
rc=0
"$bin/greeterd" --web.max_upload_mb=100000 >"$tmp/log3" 2>&1 || rc=$?
[ "$rc" = 2 ]
grep -q 'web.max_upload_mb: 100000 is out of range (allowed 1..200)' "$tmp/log3"
# An unknown argument is refused.
rc=0
"$bin/greeterd" --bogus >"$tmp/log4" 2>&1 || rc=$?
[ "$rc" = 2 ]
echo "daemon test ok"
