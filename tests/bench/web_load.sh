#!/usr/bin/env bash
# Load benchmark of the web API: contacts search over 100,000 contacts with
# wrk on loopback, while greeterd plays the demo video through the face
# pipeline (camera.source=auto). Prints wrk's latency distribution and the
# pipeline's frames during the run. Numbers go to docs/BENCHMARKS.md.
#
#   tests/bench/web_load.sh BUILD_DIR [STATE_DIR]
#
# STATE_DIR is kept between runs (the 100,000-contact import takes minutes);
# default build/bench-web-state. A state folder made by an older greeterd is
# migrated on the first start (0006_phone_search: about 30 s for 100,000).
# Needs wrk (Debian package wrk).
set -euo pipefail
build=${1:?usage: web_load.sh BUILD_DIR [STATE_DIR]}
src=$(cd "$(dirname "$0")/../.." && pwd)
state=${2:-$src/build/bench-web-state}
n=${GREETER_BENCH_CONTACTS:-100000}
duration=${GREETER_BENCH_SECONDS:-30}
conns=${GREETER_BENCH_CONNECTIONS:-16}
camera=${GREETER_BENCH_CAMERA:-auto}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk"; exit 2; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -TERM $pid 2>/dev/null; rm -rf "$tmp"' EXIT

if [ ! -f "$state/greeter.db" ]; then
    echo "== making $n contacts in $state (once)"
    python3 - "$n" "$tmp/contacts.csv" <<'PY'
import random, sys
n, out = int(sys.argv[1]), sys.argv[2]
random.seed(7)
given = "Anna Ben Carla David Eva Felix Greta Hans Ida Jonas Katja Lukas Mia Noah Olga Paul Rosa Sven Tina Uwe Vera Wim Xenia Yann Zoe".split()
family = "Schmidt Müller Meyer Weber Wagner Becker Hoffmann Koch Richter Klein Wolf Neumann Schwarz Braun Zimmer Krüger Hartmann Lange Werner Krause Lehmann Köhler Maier Huber Fuchs".split()
comp = "Acme Initech Globex Umbrella Stark Wayne Hooli Vandelay Soylent Tyrell".split()
with open(out, "w") as f:
    f.write("given_name,family_name,title,company,phone_work,email\n")
    for i in range(n):
        g = random.choice(given)
        f.write(f"{g},{random.choice(family)}{i},Manager,{random.choice(comp)} {i % 500},+4930{1000000 + i},{g.lower()}.{i}@example.com\n")
PY
    start=$(date +%s)
    "$build/greeter" --storage.dir="$state" contacts import "$tmp/contacts.csv" | tail -c 300
    echo "import: $(( $(date +%s) - start )) s"
fi

"$build/greeterd" --storage.dir="$state" --web.listen=127.0.0.1:0 --camera.source="$camera" >"$tmp/log" 2>&1 &
pid=$!
port=
for _ in $(seq 1200); do # up to 2 min: a first start may migrate the database
    port=$(grep -o 'web UI listening on port [0-9]*' "$tmp/log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/log"; exit 1; }
url="http://127.0.0.1:$port"
# Log in (login.sh: a first login changes the password and keeps the new one in the file).
. "$(dirname "$0")/login.sh"
bench_login "$state" "$url" "$tmp"
total=$(curl -s -H "Cookie: $cookie" "$url/api/v1/contacts?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "== $total contacts; greeterd on port $port; camera.source=$camera"
# Other work on the machine changes every number: say what it was.
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'); $(uptime | sed 's/^.*load/load/')"

cat >"$tmp/search.lua" <<LUA
-- Search with a different query each request: a name, a company, an e-mail
-- fragment, a phone fragment, two words.
local qs = {"anna", "schmidt", "Hooli 42", "felix.12", "4930100", "greta wolf", "krüger77", "Initech", "zoe.999", "nobody-matches"}
local i = 0
request = function()
  i = i + 1
  local q = qs[(i % #qs) + 1]
  q = q:gsub(" ", "%%20"):gsub("ü", "%%C3%%BC")
  return wrk.format("GET", "/api/v1/contacts?limit=25&q=" .. q, {["Cookie"] = "$cookie"})
end
LUA
# The face pipeline's frame rate as a browser sees it: JPEG frames on
# /stream.mjpg per second, alone and during the load.
fps() { # seconds
    local n
    n=$(curl -s -m "$1" -H "Cookie: $cookie" "$url/stream.mjpg" | grep -a -c -- '--grframe' || true)
    python3 -c "print(round($n / $1, 1))"
}
sleep 3
if [ "$camera" != none ]; then echo "== stream frame rate, idle: $(fps 10) frames/s"; fi
echo "== wrk -t2 -c$conns -d${duration}s --latency (contacts search)"
fpspid=
if [ "$camera" != none ]; then fps "$duration" >"$tmp/fps" & fpspid=$!; fi
wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$tmp/search.lua" "$url" | tee "$tmp/wrk.txt"
[ -n "$fpspid" ] && wait "$fpspid"
[ "$camera" != none ] && echo "== stream frame rate during the load: $(cat "$tmp/fps") frames/s"
echo "== single-request times (curl, ms)"
for q in anna Hooli%2042 felix.12 4930100 nobody-matches; do
    t=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$url/api/v1/contacts?limit=25&q=$q")
    echo "q=$q: $(python3 -c "print(round($t*1000,1))") ms"
done
echo "== $(date -u '+%H:%M UTC'); $(uptime | sed 's/^.*load/load/')"
kill -TERM "$pid"
wait "$pid" || true
pid=
