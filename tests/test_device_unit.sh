#!/usr/bin/env bash
# The systemd unit (board/systemd/greeterd.service): systemd-analyze verify
# accepts it (against the built programs), its hardening is in place and
# `systemd-analyze security` rates it at most 3.0; the packaged default config
# (board/cmake/greeter_conf.cmake) loads and changes nothing; the console-info
# script shows the address and the first admin password.
set -euo pipefail
bin=$(cd "${GREETER_BUILD_DIR:?}" && pwd)
src=${GREETER_SOURCE_DIR:?}
unit="$src/board/systemd/greeterd.service"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# ---- hardening settings a reviewer relies on ----
for kv in Type=notify User=greeter SupplementaryGroups=video ProtectSystem=strict StateDirectory=greeter \
    NoNewPrivileges=yes 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' Restart=on-failure \
    ExecStart=/usr/bin/greeterd DevicePolicy=closed 'DeviceAllow=char-video4linux rw' CapabilityBoundingSet= \
    PrivateTmp=yes ProtectHome=yes; do
    grep -qx -- "$kv" "$unit" || fail "unit lacks '$kv'"
done
grep -qE '^WatchdogSec=[0-9]+' "$unit" || fail "unit lacks WatchdogSec"

# ---- the generated config: all commented, loads, equals the defaults ----
conf="$bin/board/greeter.conf"
if [ ! -f "$conf" ]; then
    cmake -DPROGRAM="$bin/greeter" -DOUT="$tmp/greeter.conf" -P "$src/board/cmake/greeter_conf.cmake"
    conf="$tmp/greeter.conf"
fi
if grep -vE '^(#|\[|$)' "$conf" | grep -q .; then fail "default config sets something: $(grep -vE '^(#|\[|$)' "$conf" | head -3)"; fi
grep -q '^#min_free_mb = 200$' "$conf" || fail "default config lacks the commented storage.min_free_mb"
grep -q '^#stall_s = ' "$conf" || fail "default config lacks the [supervise] settings"
"$bin/greeter" --config "$conf" config --show >"$tmp/shown" || fail "greeter cannot load the default config"
"$bin/greeter" --config /dev/null config --show >"$tmp/plain" 2>/dev/null ||
    "$bin/greeter" config --show >"$tmp/plain"
cmp -s "$tmp/shown" "$tmp/plain" || { diff "$tmp/plain" "$tmp/shown" >&2; fail "the default config changes settings"; }
# Uncommenting a line takes effect.
sed 's/^#level = info$/level = debug/' "$conf" >"$tmp/edited.conf"
"$bin/greeter" --config "$tmp/edited.conf" config --show | grep -qx 'level = debug' || fail "uncommented line ignored"

# ---- console-info: address and first password in /run/issue.d-style text ----
mkdir -p "$tmp/state" "$tmp/fakebin"
echo 's3cret-First' >"$tmp/state/initial-admin-password"
# A stand-in `greeter` so the script reads this test's settings, and /run redirected.
cat >"$tmp/fakebin/greeter" <<EOF
#!/bin/sh
exec "$bin/greeter" --storage.dir="$tmp/state" --web.listen=0.0.0.0:8443 --web.tls=true "\$@"
EOF
chmod +x "$tmp/fakebin/greeter"
sed "s|/run/|$tmp/run/|g; /agetty --reload/d" "$src/board/libexec/console-info" >"$tmp/console-info"
mkdir -p "$tmp/run"
PATH="$tmp/fakebin:$PATH" sh "$tmp/console-info" >"$tmp/info.out" 2>"$tmp/info.err" || fail "console-info failed"
issue="$tmp/run/issue.d/50-greeter.issue"
[ -f "$issue" ] || fail "console-info wrote no issue file"
grep -q 'https://.*:8443/' "$issue" || fail "issue lacks the https address on port 8443: $(cat "$issue")"
grep -q '\\4:8443' "$issue" || fail "issue lacks agetty's \\4 address escape"
grep -q 'First login: user admin, password s3cret-First' "$issue" || fail "issue lacks the first password"
grep -q 'user admin, password s3cret-First' "$tmp/info.out" || fail "console-info printed no password"
rm "$tmp/state/initial-admin-password"
PATH="$tmp/fakebin:$PATH" sh "$tmp/console-info" >/dev/null 2>&1
if grep -q 'password' "$issue"; then fail "password still shown after the file is gone"; fi

# ---- systemd-analyze ----
if ! command -v systemd-analyze >/dev/null; then
    echo "note: systemd-analyze is not installed; verify and security steps not run" >&2
    echo "unit test ok (partial)"
    exit 0
fi
sed "s|/usr/bin/greeterd|$bin/greeterd|; s|/usr/libexec/greeter/console-info|$src/board/libexec/console-info|" \
    "$unit" >"$tmp/greeterd.service"
systemd-analyze verify "$tmp/greeterd.service" >"$tmp/verify" 2>&1 || { cat "$tmp/verify" >&2; fail "systemd-analyze verify"; }
if grep -q 'greeterd.service' "$tmp/verify"; then cat "$tmp/verify" >&2; fail "systemd-analyze verify warns about the unit"; fi
if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
    score=$(systemd-analyze security --offline=yes "$tmp/greeterd.service" 2>/dev/null |
        sed -n 's/.*Overall exposure level for greeterd.service: \([0-9.]*\).*/\1/p')
    [ -n "$score" ] || fail "no exposure score from systemd-analyze security"
    echo "systemd-analyze security exposure: $score" >&2
    python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) <= 3.0 else 1)' "$score" ||
        fail "exposure $score > 3.0"
fi
echo "unit test ok"
