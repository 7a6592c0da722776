#!/usr/bin/env bash
# greeterd under a systemd-like supervisor: the test plays systemd's side of
# the notify protocol (a datagram socket in $NOTIFY_SOCKET, WATCHDOG_USEC/PID)
# and checks that READY=1, STATUS=, WATCHDOG=1 and STOPPING=1 arrive, that a
# nearly full disk is reported, and that SIGTERM ends in exit 0 with the
# database checkpointed (no WAL left) and intact. Then, when this build has the
# face pipeline, a camera source that cannot open is retried with back-off
# while the web UI keeps answering, and the watchdog stops being fed once the
# outage outlasts supervise.watchdog_grace_s.
set -euo pipefail
bin=${GREETER_BUILD_DIR:?}
tmp=$(mktemp -d)
pid=
lpid=
cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    [ -n "$lpid" ] && kill "$lpid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$tmp"/log* "$tmp"/msgs*; do [ -f "$f" ] && { echo "== $f" >&2; cat "$f" >&2; }; done; exit 1; }

# listen SOCKET OUT: receive notify datagrams, one per line ("\n" -> " | ").
listen() {
    python3 - "$1" "$2" <<'PY' &
import socket, sys
addr, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + addr[1:] if addr.startswith("@") else addr)
open(out + ".bound", "w").close()
with open(out, "a", buffering=1) as f:
    while True:
        data = s.recv(8192).decode()
        f.write(data.replace("\n", " | ") + "\n")
PY
    lpid=$!
    for _ in $(seq 50); do [ -f "$2.bound" ] && return 0; sleep 0.1; done
    fail "notify listener did not start"
}

wait_for() { # file pattern seconds
    local n=$(( $3 * 10 ))
    for _ in $(seq "$n"); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

# ---- 1: notify protocol, disk-low, clean stop ----
listen "$tmp/notify.sock" "$tmp/msgs"
# exec keeps the pid, so WATCHDOG_PID names greeterd itself.
NOTIFY_SOCKET="$tmp/notify.sock" WATCHDOG_USEC=1000000 \
    sh -c 'WATCHDOG_PID=$$ exec "$0" "$@"' "$bin/greeterd" \
    --storage.dir="$tmp/state" --camera.source=none --web.listen=127.0.0.1:0 \
    --storage.min_free_mb=1000000 >"$tmp/log" 2>&1 &
pid=$!
wait_for "$tmp/msgs" 'READY=1' 30 || fail "no READY=1"
grep 'READY=1' "$tmp/msgs" | grep -q 'STATUS=vision: off' || fail "READY=1 came without STATUS"
wait_for "$tmp/msgs" 'STATUS=.*disk LOW' 30 || fail "disk-low state not reported in STATUS"
grep -q 'disk almost full' "$tmp/log" || fail "disk-low warning not logged"
wait_for "$tmp/msgs" 'WATCHDOG=1' 5 || fail "no WATCHDOG=1"
sleep 2
n=$(grep -c '^WATCHDOG=1' "$tmp/msgs" || true)
[ "$n" -ge 3 ] || fail "watchdog fed $n times in ~2.5 s with WATCHDOG_USEC=1s (want >= 3)"
# The start timeout is extended before the database (and its migrations) opens, and READY comes after.
grep -q '^EXTEND_TIMEOUT_USEC=1800000000' "$tmp/msgs" || fail "no EXTEND_TIMEOUT_USEC before opening the database"
[ "$(grep -n -m1 'EXTEND_TIMEOUT_USEC' "$tmp/msgs" | cut -d: -f1)" -lt "$(grep -n -m1 'READY=1' "$tmp/msgs" | cut -d: -f1)" ] ||
    fail "EXTEND_TIMEOUT_USEC after READY=1"
# READY comes before any WATCHDOG.
[ "$(grep -n -m1 'READY=1' "$tmp/msgs" | cut -d: -f1)" -lt "$(grep -n -m1 'WATCHDOG=1' "$tmp/msgs" | cut -d: -f1)" ] ||
    fail "WATCHDOG=1 before READY=1"

# Write through another connection while greeterd holds the database open, so
# there is WAL content for the shutdown checkpoint to fold in.
"$bin/greeter" --storage.dir="$tmp/state" db version >/dev/null
if command -v sqlite3 >/dev/null; then
    sqlite3 "$tmp/state/greeter.db" "PRAGMA journal_mode" | grep -qx wal || fail "database not in WAL mode"
    sqlite3 "$tmp/state/greeter.db" "CREATE TABLE IF NOT EXISTS t_device_probe(x); INSERT INTO t_device_probe VALUES (42);"
fi

kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
[ "$rc" = 0 ] || fail "greeterd exited $rc after SIGTERM"
wait_for "$tmp/msgs" 'STOPPING=1' 5 || fail "no STOPPING=1"
grep -q 'stopped' "$tmp/log" || fail "no 'stopped' log line"
# Checkpointed: the WAL is gone or empty, and the database is intact.
if [ -s "$tmp/state/greeter.db-wal" ]; then fail "WAL not checkpointed at shutdown ($(stat -c %s "$tmp/state/greeter.db-wal") bytes)"; fi
if command -v sqlite3 >/dev/null; then
    [ "$(sqlite3 "$tmp/state/greeter.db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check failed"
    [ "$(sqlite3 "$tmp/state/greeter.db" 'SELECT x FROM t_device_probe')" = 42 ] || fail "row written before SIGTERM lost"
fi
out=$("$bin/greeter" --storage.dir="$tmp/state" db version)
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["version"]==d["latest"], d' "$out" ||
    fail "schema not at latest after restart: $out"
kill "$lpid" 2>/dev/null || true; lpid=
echo "notify protocol, disk-low and clean stop: ok"

# ---- 2: without NOTIFY_SOCKET nothing is sent and nothing breaks ----
env -u NOTIFY_SOCKET "$bin/greeterd" --storage.dir="$tmp/state" --camera.source=none \
    --web.listen=127.0.0.1:0 >"$tmp/log2" 2>&1 &
pid=$!
wait_for "$tmp/log2" 'ready' 30 || fail "greeterd without NOTIFY_SOCKET not ready"
# A SIGTERM taken by a thread greeterd did not create (OpenBLAS starts its pool
# before main() can block signals) must still end in a clean stop, not death
# by the signal: aim it at such a thread when there is one.
stray=""
for t in /proc/"$pid"/task/*; do
    tid=${t##*/}
    [ "$tid" = "$pid" ] && continue
    blk=$(sed -n 's/^SigBlk:\t*//p' "$t/status" 2>/dev/null || true)
    [ -n "$blk" ] && (( (16#$blk & 0x4000) == 0 )) && { stray=$tid; break; }
done
if [ -n "$stray" ]; then
    kill -TERM "$stray"
else
    echo "note: no thread with SIGTERM unblocked in this build; plain SIGINT" >&2
    kill -INT "$pid"
fi
rc=0; wait "$pid" || rc=$?; pid=
[ "$rc" = 0 ] || fail "exit $rc without NOTIFY_SOCKET (signal sent to ${stray:+thread $stray of }greeterd)"
grep -q 'stopped' "$tmp/log2" || fail "no clean stop after the signal"
if grep -q 'NOTIFY_SOCKET' "$tmp/log2"; then fail "complained about a missing NOTIFY_SOCKET"; fi

# A WATCHDOG_PID naming another process disables the watchdog (as in sd_watchdog_enabled).
listen "@greeter-test-$$" "$tmp/msgs3"
NOTIFY_SOCKET="@greeter-test-$$" WATCHDOG_USEC=200000 WATCHDOG_PID=1 "$bin/greeterd" \
    --storage.dir="$tmp/state" --camera.source=none --web.listen=127.0.0.1:0 >"$tmp/log3" 2>&1 &
pid=$!
wait_for "$tmp/msgs3" 'READY=1' 30 || fail "no READY=1 on an abstract socket"
sleep 1
if grep -q 'WATCHDOG=1' "$tmp/msgs3"; then fail "fed a watchdog that belongs to WATCHDOG_PID=1"; fi
kill -TERM "$pid"; rc=0; wait "$pid" || rc=$?; pid=
[ "$rc" = 0 ] || fail "exit $rc (abstract socket run)"
wait_for "$tmp/msgs3" 'STOPPING=1' 5 || fail "no STOPPING=1 on the abstract socket"
kill "$lpid" 2>/dev/null || true; lpid=
echo "no socket / foreign WATCHDOG_PID / abstract socket: ok"

# ---- 3: a face pipeline that cannot open is retried; the web UI stays up ----
listen "$tmp/notify4.sock" "$tmp/msgs4"
NOTIFY_SOCKET="$tmp/notify4.sock" WATCHDOG_USEC=500000 \
    sh -c 'WATCHDOG_PID=$$ exec "$0" "$@"' "$bin/greeterd" \
    --storage.dir="$tmp/state" --camera.source="$tmp/no-such-camera.mp4" --camera.loop=false \
    --models.dir="${GREETER_MODELS_DIR:?}" --web.listen=127.0.0.1:0 \
    --supervise.stall_s=3 --supervise.restart_max_s=2 --supervise.watchdog_grace_s=4 >"$tmp/log4" 2>&1 &
pid=$!
if ! wait_for "$tmp/msgs4" 'READY=1' 60; then
    if grep -q 'is missing' "$tmp/log4"; then
        echo "part 3 skipped: models are not fetched into $GREETER_MODELS_DIR (models/fetch.sh)" >&2
        exit 0
    fi
    fail "no READY=1 with a failing camera (the web UI must still start)"
fi
if grep -q 'not available in this build' "$tmp/log4"; then
    echo "part 3 skipped: this build has no face pipeline yet (vision/pipeline.c is a placeholder)" >&2
    kill -TERM "$pid"; wait "$pid" || true; pid=
    exit 0
fi
wait_for "$tmp/log4" 'reopening (attempt 2)' 60 || fail "failed camera not retried twice"
grep -q 'STATUS=vision: restarting in' "$tmp/msgs4" || fail "STATUS does not show the restart"
port=$(sed -n "s/.*web UI listening on port \([0-9]*\).*/\1/p" "$tmp/log4" | head -1)
if [ -n "$port" ]; then
    python3 -c 'import sys,urllib.request; urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=5)' "$port" ||
        fail "web UI down while the pipeline restarts"
else
    echo "note: this build's web UI does not listen (placeholder); only the daemon's survival is checked" >&2
fi
wait_for "$tmp/log4" 'no longer feeding the systemd watchdog' 60 || fail "watchdog still fed after the grace period"
: >"$tmp/msgs4"
sleep 1.5
if grep -q 'WATCHDOG=1' "$tmp/msgs4"; then fail "WATCHDOG=1 sent while the pipeline is down past its grace"; fi
kill -TERM "$pid"; rc=0; wait "$pid" || rc=$?; pid=
[ "$rc" = 0 ] || fail "exit $rc after SIGTERM during pipeline restarts"
echo "pipeline restart with back-off and watchdog grace: ok"
echo "supervise test ok"
