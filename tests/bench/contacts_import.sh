#!/usr/bin/env bash
# Import benchmark: `greeter contacts import` of 100,000 contacts from CSV into
# a fresh state folder (the same generated file as tests/bench/web_load.sh
# imports), timed with /usr/bin/time: wall time and CPU time (user + sys; the
# CPU time is what to compare on a machine shared with other work). Numbers go
# to docs/BENCHMARKS.md.
#
#   tests/bench/contacts_import.sh GREETER_BINARY [N]
set -euo pipefail
bin=${1:?usage: contacts_import.sh GREETER_BINARY [N]}
n=${2:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
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
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'); $(uptime | sed 's/^.*load/load/')"
/usr/bin/time -f "import of $n contacts: %e s wall, %U s user, %S s sys, %M KB max RSS" \
    "$bin" --storage.dir="$tmp/state" --log.level=warn contacts import "$tmp/contacts.csv" | cut -c1-160
echo "== $(uptime | sed 's/^.*load/load/')"
