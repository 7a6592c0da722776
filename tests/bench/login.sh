# login.sh - sourced by the web benchmarks: log in as admin on a bench state
# folder and set $cookie. A first login must change the password (issue 12):
# the bench then writes its new password back into initial-admin-password
# (mode 0600), so a state folder can be reused by the next run.
bench_login() { # STATE URL TMPDIR
    local pwf=$1/initial-admin-password pw body csrf new
    pw=$(head -n1 "$pwf")
    body=$(curl -s -D "$3/login.hdr" -H 'Content-Type: application/json' \
        -d "{\"username\":\"admin\",\"password\":\"$pw\"}" "$2/api/v1/login")
    cookie=$(grep -i '^set-cookie' "$3/login.hdr" | sed 's/^[^:]*: //; s/;.*//')
    if echo "$body" | grep -q '"must_change": *true'; then
        csrf=$(echo "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
        new="bench-$pw"
        curl -s -o /dev/null -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
            -d "{\"old_password\":\"$pw\",\"new_password\":\"$new\"}" "$2/api/v1/password"
        (umask 077 && echo "$new" >"$pwf")
    fi
}
