#!/usr/bin/env bash
# Instructions per contacts-search request, independent of the machine's
# load: greeterd under valgrind's callgrind (camera.source=none), each of
# web_load.sh's queries five times after a warm-up, counters zeroed before
# and dumped after each query. Prints "query  instructions-per-request".
#
#   tests/bench/web_callgrind.sh BUILD_DIR STATE_DIR
#
# STATE_DIR as made by web_load.sh (100,000 contacts). Needs valgrind. A run
# takes about a minute; the dumps go to a temporary folder and are removed.
set -euo pipefail
build=${1:?usage: web_callgrind.sh BUILD_DIR STATE_DIR}
state=${2:?usage: web_callgrind.sh BUILD_DIR STATE_DIR}
command -v valgrind >/dev/null || { echo "valgrind missing: apt-get install valgrind"; exit 2; }
tmp=$(mktemp -d)
vpid=
trap '[ -n "$vpid" ] && kill -TERM $vpid 2>/dev/null; rm -rf "$tmp"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.%p" "$build/greeterd" --storage.dir="$state" \
    --web.listen=127.0.0.1:0 --camera.source=none >"$tmp/log" 2>&1 &
vpid=$!
port=
for _ in $(seq 1200); do # valgrind starts slowly; a first start may also migrate the database
    port=$(grep -o 'web UI listening on port [0-9]*' "$tmp/log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    sleep 0.2
done
[ -n "$port" ] || { cat "$tmp/log"; exit 1; }
url="http://127.0.0.1:$port"
. "$(dirname "$0")/login.sh"
bench_login "$state" "$url" "$tmp"
get() { curl -s -o /dev/null -H "Cookie: $cookie" "$url/api/v1/contacts?limit=25&q=$1"; }
qs="anna schmidt Hooli%2042 felix.12 4930100 greta%20wolf kr%C3%BCger77 Initech zoe.999 nobody-matches"
for q in $qs; do get "$q"; done # warm-up: page cache, the pool's connections
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'); $build; $state"
sum=0
for q in $qs; do
    callgrind_control -z $vpid >/dev/null 2>&1
    for _ in 1 2 3 4 5; do get "$q"; done
    callgrind_control -d "q=$q" $vpid >/dev/null 2>&1
    f=$(grep -l "^desc: Trigger: .*q=$q\$" "$tmp"/cg.$vpid.* | head -1)
    ir=$(callgrind_annotate "$f" 2>/dev/null | grep -m1 'PROGRAM TOTALS' | awk '{gsub(",","",$1); print $1}')
    echo "$q $((ir / 5))"
    sum=$((sum + ir / 5))
done
echo "mean $((sum / 10))"
