#!/usr/bin/env bash
# greeterd wires "storage.low" to the writers' flag: with a free-space limit
# no disk can meet (--storage.min_free_mb=1000000) the daemon logs the
# warning, publishes the event, and /metrics shows greeter_storage_low 1; with
# the default limit on this disk it shows 0. (The writers' behaviour on the
# flag - records without files, files again once cleared - is in the unit
# tests test_storage and test_vision_storage.)
set -euo pipefail
bin=${GREETER_BUILD_DIR:?}
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$tmp"/log*; do [ -f "$f" ] && { echo "== $f" >&2; cat "$f" >&2; }; done; exit 1; }
wait_for() { # file pattern seconds
    local n=$(( $3 * 10 ))
    for _ in $(seq "$n"); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}
metrics() { # port
    python3 -c 'import sys,urllib.request; print(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=5).read().decode())' "$1"
}
# run NAME MIN_FREE_MB: start greeterd ($pid), its web port in $port
run() {
    env -u NOTIFY_SOCKET "$bin/greeterd" --storage.dir="$tmp/state-$1" --camera.source=none \
        --web.listen=127.0.0.1:0 --storage.min_free_mb="$2" >"$tmp/log-$1" 2>&1 &
    pid=$!
    wait_for "$tmp/log-$1" 'web UI listening on port' 30 || fail "$1: web UI did not start"
    wait_for "$tmp/log-$1" ' ready' 30 || fail "$1: greeterd not ready"
    port=$(sed -n "s/.*web UI listening on port \([0-9]*\).*/\1/p" "$tmp/log-$1" | head -1)
}
stop() {
    kill -TERM "$pid"; local rc=0; wait "$pid" || rc=$?; pid=
    [ "$rc" = 0 ] || fail "greeterd exited $rc after SIGTERM"
}

run low 1000000
wait_for "$tmp/log-low" 'disk almost full' 30 || fail "no disk-low warning"
low=""
for _ in $(seq 50); do
    m=$(metrics "$port")
    low=$(sed -n 's/^greeter_storage_low \([01]\)$/\1/p' <<<"$m")
    [ "$low" = 1 ] && break
    sleep 0.1
done
[ "$low" = 1 ] || fail "/metrics shows greeter_storage_low '$low' while the disk is below the limit"
m=$(metrics "$port")
grep -q '^greeter_storage_skipped_files_total 0$' <<<"$m" || fail "no greeter_storage_skipped_files_total: $m"
stop
echo "disk below the limit: greeter_storage_low 1"

run ok 0
sleep 1.5 # past the first disk check
m=$(metrics "$port")
grep -q '^greeter_storage_low 0$' <<<"$m" || fail "/metrics does not show greeter_storage_low 0 with room to spare: $m"
grep -q 'disk almost full' "$tmp/log-ok" && fail "disk-low warning with storage.min_free_mb=0"
stop
echo "room to spare: greeter_storage_low 0"
echo "storage daemon test ok"
