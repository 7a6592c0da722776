#!/usr/bin/env python3
"""Login flood benchmark (issue 12; docs/BENCHMARKS.md "Issue 12: login flood").

Starts greeterd from BUILD (default build/dev) on a fresh state folder, signs
in as admin (changing the first password when the build asks for it), adds
40 contacts, then floods POST /api/v1/login with wrong passwords from many
loopback addresses (127.0.x.y, each attempt its own address) for several
accounts while one signed-in client reads GET /api/v1/contacts every 20 ms.
Prints the statuses the flood got and the reader's latency (p50, p95, max)
before and during the flood. Runs against any build, so the limiter before
and after issue 12 can be compared:

    tests/bench/login_flood.py [BUILD] [--threads 32] [--tries 8]
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time


def request(port, method, path, body=None, cookie=None, csrf=None, src=None, timeout=120):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                   source_address=(src, 0) if src else None)
    h = {}
    if body is not None:
        body = json.dumps(body)
        h["Content-Type"] = "application/json"
    if cookie:
        h["Cookie"] = cookie
    if csrf:
        h["X-CSRF-Token"] = csrf
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    try:
        j = json.loads(data) if data else None
    except ValueError:
        j = None
    return r.status, hdrs, j


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default="build/dev")
    ap.add_argument("--threads", type=int, default=32)
    ap.add_argument("--tries", type=int, default=8)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="greeter-flood-")
    state = os.path.join(tmp, "state")
    log = open(os.path.join(tmp, "log"), "w+")
    proc = subprocess.Popen([os.path.join(a.build, "greeterd"), "--storage.dir=" + state, "--camera.source=none",
                             "--web.listen=127.0.0.1:0"], stdout=log, stderr=subprocess.STDOUT)
    try:
        port = None
        for _ in range(600):
            log.seek(0)
            m = re.search(r"web UI listening on port (\d+)", log.read())
            if m:
                port = int(m.group(1))
                break
            time.sleep(0.1)
        assert port, "greeterd did not start"
        pw = open(os.path.join(state, "initial-admin-password")).read().strip()
        st, h, j = request(port, "POST", "/api/v1/login", {"username": "admin", "password": pw})
        cookie, csrf = h["set-cookie"].split(";")[0], j["csrf_token"]
        if j.get("must_change"):
            st, h, _ = request(port, "POST", "/api/v1/password", {"old_password": pw, "new_password": "bench-" + pw},
                               cookie, csrf)
            assert st == 200, "password change failed"
        users = ["admin"]
        for name in ("desk1", "desk2"):
            st, _, _ = request(port, "POST", "/api/v1/users",
                               {"username": name, "password": "desk-first-Pass-1", "role": "desk"}, cookie, csrf)
            if st == 201:
                users.append(name)
        users.append("nobody")
        for i in range(40):
            request(port, "POST", "/api/v1/contacts", {"name": "Flood %d" % i, "emails": ["f%d@example.com" % i]},
                    cookie, csrf)

        def read_for(stop, lat):
            while not stop.is_set():
                t0 = time.monotonic()
                st, _, _ = request(port, "GET", "/api/v1/contacts?limit=25", cookie=cookie)
                if st == 200:
                    lat.append(time.monotonic() - t0)
                time.sleep(0.02)

        base, stop = [], threading.Event()
        t = threading.Thread(target=read_for, args=(stop, base))
        t.start()
        time.sleep(3)
        stop.set()
        t.join()
        statuses, lat, stop = {}, [], threading.Event()
        lock = threading.Lock()

        def flood(k):
            for i in range(a.tries):
                n = k * a.tries + i
                src = "127.0.%d.%d" % (1 + n // 250, 1 + n % 250)
                try:
                    st, _, _ = request(port, "POST", "/api/v1/login",
                                       {"username": users[n % len(users)], "password": "guess-%d" % n}, src=src)
                except OSError:
                    st = "error"
                with lock:
                    statuses[st] = statuses.get(st, 0) + 1

        reader = threading.Thread(target=read_for, args=(stop, lat))
        reader.start()
        t0 = time.monotonic()
        ths = [threading.Thread(target=flood, args=(k,)) for k in range(a.threads)]
        for x in ths:
            x.start()
        for x in ths:
            x.join()
        took = time.monotonic() - t0
        stop.set()
        reader.join()
        n = a.threads * a.tries
        print("build %s: %d wrong logins from %d addresses over %d accounts in %.1f s: %s" % (
            a.build, n, n, len(users), took, ", ".join("%s x %s" % (v, k) for k, v in sorted(statuses.items(),
                                                                                             key=str))))
        print("signed-in GET /api/v1/contacts?limit=25: before p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d); "
              "during p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d)" % (
                  pct(base, .5) * 1e3, pct(base, .95) * 1e3, max(base) * 1e3, len(base),
                  pct(lat, .5) * 1e3, pct(lat, .95) * 1e3, max(lat) * 1e3 if lat else float("nan"), len(lat)))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
