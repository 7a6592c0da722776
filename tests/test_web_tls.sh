#!/usr/bin/env bash
# web.tls=true: greeterd makes a key (0600) and a self-signed certificate on
# first start, keeps them across restarts, serves HTTPS only, and marks the
# session cookie Secure; speaks TLS 1.2 and 1.3 only and sends HSTS
# (issue 12).
set -euo pipefail
bin=${GREETER_BUILD_DIR:?}
command -v curl >/dev/null || { echo "skip: curl missing"; exit 77; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT

start() {
    "$bin/greeterd" --storage.dir="$tmp/state" --camera.source=none --web.listen=127.0.0.1:0 --web.tls=true \
        >"$tmp/log" 2>&1 &
    pid=$!
    port=
    for _ in $(seq 100); do
        port=$(grep -o 'web UI listening on port [0-9]*' "$tmp/log" | grep -o '[0-9]*$' || true)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$tmp/log"; echo "greeterd did not start with web.tls=true"; exit 1; }
}
stop() { kill -TERM "$pid"; wait "$pid"; pid=; }

start
grep -q 'serving HTTPS' "$tmp/log"
[ "$(stat -c %a "$tmp/state/web-tls.key")" = 600 ] || { echo "key file not 0600"; exit 1; }
grep -q 'BEGIN CERTIFICATE' "$tmp/state/web-tls.crt"
curl -sk "https://127.0.0.1:$port/healthz" | grep -q '"ok":true'
# Plain HTTP on the TLS port gets nothing useful.
if curl -s --max-time 5 "http://127.0.0.1:$port/healthz" | grep -q '"ok"'; then
    echo "plain HTTP answered on the HTTPS port"; exit 1
fi
# Issue 12: HSTS on every answer over HTTPS.
curl -sk -D - -o /dev/null "https://127.0.0.1:$port/healthz" | grep -qi '^strict-transport-security: max-age=31536000' \
    || { echo "no Strict-Transport-Security header over HTTPS"; exit 1; }
curl -sk -D - -o /dev/null "https://127.0.0.1:$port/" | grep -qi '^strict-transport-security:' \
    || { echo "no Strict-Transport-Security header on the page"; exit 1; }
# Issue 12: TLS 1.0 and 1.1 refused (the client is allowed everything, so
# only the server can say no); 1.2 and 1.3 accepted.
if command -v openssl >/dev/null; then
    for v in tls1 tls1_1; do
        if echo | timeout 10 openssl s_client -connect "127.0.0.1:$port" -"$v" -cipher 'DEFAULT:@SECLEVEL=0' \
            >"$tmp/s_client" 2>&1; then
            grep -q 'Protocol *: TLSv1\(\.1\)\? *$' "$tmp/s_client" && { cat "$tmp/s_client"; echo "greeterd accepted -$v"; exit 1; }
        fi
        grep -q 'Cipher is (NONE)\|alert\|no protocols available\|handshake failure\|unsupported protocol' "$tmp/s_client" \
            || { cat "$tmp/s_client"; echo "no refusal seen for -$v"; exit 1; }
    done
    for v in tls1_2 tls1_3; do
        echo | timeout 10 openssl s_client -connect "127.0.0.1:$port" -"$v" >"$tmp/s_client" 2>&1 \
            || { cat "$tmp/s_client"; echo "greeterd refused -$v"; exit 1; }
        grep -q 'Cipher is (NONE)' "$tmp/s_client" && { cat "$tmp/s_client"; echo "no cipher with -$v"; exit 1; }
    done
fi
curl -sk --tls-max 1.1 "https://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { echo "curl got TLS <= 1.1 through"; exit 1; }
pw=$(cat "$tmp/state/initial-admin-password")
cookie=$(curl -sk -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$pw\"}" "https://127.0.0.1:$port/api/v1/login" | grep -i '^set-cookie')
echo "$cookie" | grep -q 'Secure' || { echo "cookie without Secure: $cookie"; exit 1; }
echo "$cookie" | grep -q 'HttpOnly' || { echo "cookie without HttpOnly: $cookie"; exit 1; }
sum1=$(sha256sum <"$tmp/state/web-tls.crt")
stop
start
sum2=$(sha256sum <"$tmp/state/web-tls.crt")
[ "$sum1" = "$sum2" ] || { echo "certificate was remade on restart"; exit 1; }
curl -sk "https://127.0.0.1:$port/healthz" | grep -q '"ok":true'
stop
echo "web TLS test ok"
