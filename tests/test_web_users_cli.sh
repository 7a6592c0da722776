#!/usr/bin/env bash
# `greeter users` (docs/CLI.md): add with a generated or a piped password,
# list, refuse a common password and a taken name, disable and enable, change
# the role, keep the last admin, reset a password; then greeterd lets the
# account sign in with it, and only to change it first (issue 12). Every
# change is in the audit log with the actor "cli".
set -euo pipefail
bin=${GREETER_BUILD_DIR:?}
tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
g() { "$bin/greeter" --storage.dir="$tmp/state" users "$@"; }
mkdir -p "$tmp/state"

out=$(g add anna --role desk --display-name 'Anna Berg' --email anna@example.com)
echo "$out" | grep -q '"username":"anna"' || fail "add: $out"
echo "$out" | grep -q '"role":"desk"' || fail "role: $out"
echo "$out" | grep -q '"must_change":true' || fail "must_change: $out"
pw=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["password"])')
[ ${#pw} -ge 16 ] || fail "generated password too short: $pw"

printf '%s\n' 'root-Admin-Pass-1' | g add boss --role admin --password-stdin >"$tmp/boss" || fail "add boss"
grep -q '"password"' "$tmp/boss" && fail "a piped password is printed back"
if printf '%s\n' 'password' | g add weak --password-stdin 2>"$tmp/err"; then fail "a common password was accepted"; fi
grep -q common "$tmp/err" || fail "no reason for the refused password: $(cat "$tmp/err")"
if g add anna 2>"$tmp/err"; then fail "a taken name was accepted"; fi
grep -q 'exists' "$tmp/err" || fail "taken name: $(cat "$tmp/err")"
if g add 'bad name' 2>/dev/null; then fail "a bad name was accepted"; fi
[ "$(g list | wc -l)" = 2 ] || fail "list: $(g list)"

g disable anna | grep -q '"disabled":true' || fail "disable"
g enable anna | grep -q '"disabled":false' || fail "enable"
if g role boss desk 2>"$tmp/err"; then fail "the last admin lost the role"; fi
grep -q 'last admin' "$tmp/err" || fail "last admin: $(cat "$tmp/err")"
if g disable boss 2>/dev/null; then fail "the last admin was disabled"; fi
g role anna admin | grep -q '"role":"admin"' || fail "role"
g role boss desk | grep -q '"role":"desk"' || fail "role with another admin"
out=$(g passwd anna)
pw=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["password"])')
if g passwd nobody 2>/dev/null; then fail "passwd of an unknown user"; fi

acts=$(python3 - "$tmp/state/greeter.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(" ".join("%s:%s" % r for r in db.execute("SELECT actor, action FROM audit_log WHERE action LIKE 'user.%'")))
PY
)
for want in cli:user.add cli:user.update cli:user.password_reset; do
    echo "$acts" | grep -q "$want" || fail "audit log lacks $want: $acts"
done

# greeterd: the account signs in with that password and must change it first.
"$bin/greeterd" --storage.dir="$tmp/state" --web.listen=127.0.0.1:0 --camera.source=none >"$tmp/log" 2>&1 &
pid=$!
port=
for _ in $(seq 200); do
    port=$(grep -o 'web UI listening on port [0-9]*' "$tmp/log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/log"; fail "greeterd did not start"; }
[ ! -e "$tmp/state/initial-admin-password" ] || fail "an initial admin was made although accounts exist"
url="http://127.0.0.1:$port"
login=$(curl -s -D "$tmp/h" -H 'Content-Type: application/json' -d "{\"username\":\"anna\",\"password\":\"$pw\"}" "$url/api/v1/login")
echo "$login" | grep -q '"must_change": *true' || fail "login: $login"
cookie=$(grep -i '^set-cookie' "$tmp/h" | sed 's/^[^:]*: //; s/;.*//')
st=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$url/api/v1/contacts")
[ "$st" = 403 ] || fail "before the change /contacts answered $st"
echo "users cli ok"
