#!/usr/bin/env python3
"""Issue 12: greeterd, playing the demo video, under attack from strangers on
its network (no account), from several source addresses (127.0.0.2..9, all
loopback: nothing leaves the machine).

Attacks, one after the other, each for ATTACK_SECONDS (default 15 here; the
60 s figures in docs/BENCHMARKS.md come from GREETER_ATTACK_SECONDS=60):

  uploads    64 held uploads of 19.9 MB to POST /api/v1/scans without a session
  slowloris  128 connections sending a header line every 2 s, never finishing
  slowbody   128 logins announcing 16000 bytes and sending one a second
  conns      256 connections opened and never used

During each one, from 127.0.0.1: GET /healthz and a signed-in
GET /api/v1/contacts every 0.25 s. Each attack passes when greeterd's RSS
grew by less than 100 MB over its value before the attack, both probes
always answered within 1 s, and the pipeline recorded new visits.

Then, signed in: a 1.3 KB JPEG declaring 7000x7000 and one declaring
4000x4000, as a card scan and as a face enrolment: refused (413 / 415)
without the RSS growing; and no file greeterd made is readable by others.

Prints one line per attack (the figures for docs/BENCHMARKS.md).
GREETER_ATTACKS=uploads,slowloris,slowbody,conns,images runs only those. Exits
77 when the face models or the demo video are missing.
"""
import errno
import http.client
import json
import os
import re
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.environ.get("GREETER_BUILD_DIR")
SRC = os.environ.get("GREETER_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DATA = os.environ.get("GREETER_TEST_DATA", os.path.join(SRC, "tests", "data"))
MODELS = os.environ.get("GREETER_MODELS_DIR") or os.path.join(SRC, "models", "data")
VIDEO = os.path.join(DATA, "video", "visits.mp4")
SECONDS = float(os.environ.get("GREETER_ATTACK_SECONDS", "15"))
ATTACKERS = ["127.0.0.%d" % i for i in range(2, 10)]
RSS_LIMIT_MB = 100
LATENCY_LIMIT_S = 1.0

if not BIN or not os.path.exists(os.path.join(BIN, "greeterd")):
    print("GREETER_BUILD_DIR/greeterd is missing: build greeterd first")
    sys.exit(77)
if not os.path.exists(os.path.join(MODELS, "face_recognition_model.bin")) or not os.path.exists(VIDEO):
    print("skip: face models (models/fetch.sh) or the demo video missing")
    sys.exit(77)

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        m = re.search(r"VmRSS:\s+(\d+) kB", f.read())
    return int(m.group(1)) / 1024.0


class Daemon:
    def __init__(self, tmp):
        self.state = os.path.join(tmp, "state")
        self.logf = open(os.path.join(tmp, "greeterd.log"), "w+")
        # started with a lax umask, as by hand: greeterd must set its own
        self.proc = subprocess.Popen(
            [os.path.join(BIN, "greeterd"), "--storage.dir=" + self.state, "--models.dir=" + MODELS,
             "--camera.source=" + VIDEO, "--web.listen=127.0.0.1:0"],
            stdout=self.logf, stderr=subprocess.STDOUT, preexec_fn=lambda: os.umask(0o022))
        self.port = None
        for _ in range(400):
            self.logf.seek(0)
            m = re.search(r"web UI listening on port (\d+)", self.logf.read())
            if m:
                self.port = int(m.group(1))
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if not self.port:
            self.logf.seek(0)
            print(self.logf.read())
            raise SystemExit("greeterd did not start its web server")

    def visits(self):
        try:
            con = sqlite3.connect("file:%s?mode=ro" % os.path.join(self.state, "greeter.db"), uri=True, timeout=5)
            n = con.execute("SELECT count(*) FROM visits").fetchone()[0]
            con.close()
            return n
        except sqlite3.Error:
            return -1

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return "killed"


def request(port, method, path, body=None, headers=None, timeout=5.0):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    hdrs = dict(r.getheaders())
    c.close()
    return r.status, hdrs, data


def login(d):
    with open(os.path.join(d.state, "initial-admin-password")) as f:
        pw = f.read().strip()
    st, h, data = request(d.port, "POST", "/api/v1/login", json.dumps({"username": "admin", "password": pw}),
                          {"Content-Type": "application/json"})
    if st != 200:
        raise SystemExit("login failed: %d %s" % (st, data))
    cookie = h.get("Set-Cookie", "").split(";")[0]
    csrf = json.loads(data)["csrf_token"]
    # A first login changes the initial password before anything else works.
    st, h, data = request(d.port, "POST", "/api/v1/password",
                          json.dumps({"old_password": pw, "new_password": "attack test pass 42"}),
                          {"Content-Type": "application/json", "Cookie": cookie, "X-CSRF-Token": csrf})
    if st != 200:
        raise SystemExit("password change failed: %d %s" % (st, data))
    return cookie, csrf


class Probe(threading.Thread):
    """GET /healthz and a signed-in GET /api/v1/contacts, every 0.25 s."""

    def __init__(self, port, cookie):
        super().__init__(daemon=True)
        self.port, self.cookie = port, cookie
        self.stop_ev = threading.Event()
        self.worst = {"healthz": 0.0, "contacts": 0.0}
        self.failures = []
        self.count = 0

    def one(self, name, path, headers):
        t0 = time.monotonic()
        try:
            st, _, _ = request(self.port, "GET", path, headers=headers, timeout=5.0)
            dt = time.monotonic() - t0
            if st != 200:
                self.failures.append("%s: HTTP %d" % (name, st))
        except (OSError, http.client.HTTPException) as e:
            dt = time.monotonic() - t0
            self.failures.append("%s: %s" % (name, e))
        self.worst[name] = max(self.worst[name], dt)

    def run(self):
        while not self.stop_ev.is_set():
            self.one("healthz", "/healthz", {})
            self.one("contacts", "/api/v1/contacts", {"Cookie": self.cookie})
            self.count += 1
            self.stop_ev.wait(0.25)


class RssSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.stop_ev = threading.Event()
        self.peak = 0.0

    def run(self):
        while not self.stop_ev.is_set():
            try:
                self.peak = max(self.peak, rss_mb(self.pid))
            except OSError:
                pass
            self.stop_ev.wait(0.2)


class Conn:
    """One attacking connection from a source address: a script of what to
    send when, reopened after the server closes it (at most every 0.5 s)."""

    def __init__(self, src, port, first, then, every):
        self.src, self.port = src, port
        self.first, self.then, self.every = first, then, every
        self.sock = None
        self.next_open = 0.0
        self.next_send = 0.0
        self.opened = self.closed_by_server = self.replies = 0
        self.statuses = {}

    def open(self, now):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST on close
        s.bind((self.src, 0))
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", self.port))
        self.sock = s
        self.pending = self.first
        self.next_send = now
        self.opened += 1
        self.got = b""

    def drop(self, now, by_server):
        try:
            self.sock.close()
        except OSError:
            pass
        self.sock = None
        self.next_open = now + 0.5
        if by_server:
            self.closed_by_server += 1

    def tick(self, now):
        if self.sock is None:
            if now >= self.next_open:
                self.open(now)
            return
        try:
            data = self.sock.recv(4096)
            if not data:
                self.drop(now, True)
                return
            if not self.got:
                m = re.match(rb"HTTP/1\.[01] (\d+)", data)
                if m:
                    self.statuses[int(m.group(1))] = self.statuses.get(int(m.group(1)), 0) + 1
            self.got += data[:64]
        except BlockingIOError:
            pass
        except OSError:
            self.drop(now, True)
            return
        if now >= self.next_send:
            chunk = self.pending if self.pending is not None else self.then
            if chunk:
                try:
                    n = self.sock.send(chunk)
                    if self.pending is not None:
                        self.pending = self.pending[n:] or None
                except BlockingIOError:
                    pass
                except OSError:
                    self.drop(now, True)
                    return
            self.next_send = now + (0.0 if self.pending else self.every)

    def close(self):
        if self.sock:
            self.sock.close()
            self.sock = None


def attack(name, conns, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        now = time.monotonic()
        for c in conns:
            c.tick(now)
        time.sleep(0.02)
    for c in conns:
        c.close()


def make_conns(kind, port, n_per_addr):
    conns = []
    for src in ATTACKERS:
        for _ in range(n_per_addr):
            if kind == "uploads":
                head = (b"POST /api/v1/scans HTTP/1.1\r\nHost: board\r\nContent-Type: image/jpeg\r\n"
                        b"Content-Length: 19900000\r\n\r\n")
                conns.append(Conn(src, port, head, b"\xff" * 65536, 0.25))  # 256 KB/s each
            elif kind == "slowloris":
                conns.append(Conn(src, port, b"GET /healthz HTTP/1.1\r\nHost: board\r\n", b"X-a: b\r\n", 2.0))
            elif kind == "slowbody":
                head = (b"POST /api/v1/login HTTP/1.1\r\nHost: board\r\nContent-Type: application/json\r\n"
                        b"Content-Length: 16000\r\n\r\n{")
                conns.append(Conn(src, port, head, b" ", 1.0))
            elif kind == "conns":
                conns.append(Conn(src, port, b"", b"", 3600.0))
    return conns


ATTACKS = [("uploads", 8), ("slowloris", 16), ("slowbody", 16), ("conns", 32)]


def run_attack(d, cookie, kind, per_addr):
    base = rss_mb(d.proc.pid)
    v0 = d.visits()
    probe, rss = Probe(d.port, cookie), RssSampler(d.proc.pid)
    probe.start()
    rss.start()
    conns = make_conns(kind, d.port, per_addr)
    attack(kind, conns, SECONDS)
    probe.stop_ev.set()
    rss.stop_ev.set()
    probe.join()
    rss.join()
    v1 = d.visits()
    grow = rss.peak - base
    opened = sum(c.opened for c in conns)
    cut = sum(c.closed_by_server for c in conns)
    statuses = {}
    for c in conns:
        for k, v in c.statuses.items():
            statuses[k] = statuses.get(k, 0) + v
    print("%-9s %3d conns from %d addresses, %ds: RSS %.0f -> peak %.0f MB (+%.1f MB); healthz max %.3f s, "
          "contacts max %.3f s over %d probes, %d failed; visits %d -> %d; %d connections opened, %d closed by "
          "greeterd, replies %s" % (kind, len(conns), len(ATTACKERS), SECONDS, base, rss.peak, grow,
                                    probe.worst["healthz"], probe.worst["contacts"], probe.count,
                                    len(probe.failures), v0, v1, opened, cut, statuses or "none"))
    sys.stdout.flush()
    check(grow < RSS_LIMIT_MB, "%s: RSS grew by %.1f MB (limit %d)" % (kind, grow, RSS_LIMIT_MB))
    check(not probe.failures, "%s: probes failed: %s" % (kind, probe.failures[:5]))
    check(probe.worst["healthz"] < LATENCY_LIMIT_S, "%s: /healthz took %.3f s" % (kind, probe.worst["healthz"]))
    check(probe.worst["contacts"] < LATENCY_LIMIT_S,
          "%s: signed-in /api/v1/contacts took %.3f s" % (kind, probe.worst["contacts"]))
    check(v1 > v0, "%s: the pipeline recorded no visit during the attack (%d -> %d)" % (kind, v0, v1))
    return statuses, cut


def tiny_jpeg(w, h, size=1300):
    """A valid baseline grayscale JPEG declaring w x h in `size` bytes: one
    quantisation table, Huffman tables of one code each (DC difference 0,
    end of block), and zero bits for as many blocks as fit. A decoder that
    believes the header allocates w x h and fills in the missing blocks."""
    head = (b"\xff\xd8"
            + b"\xff\xdb\x00\x43\x00" + b"\x01" * 64
            + b"\xff\xc0\x00\x0b\x08" + bytes([h >> 8, h & 255, w >> 8, w & 255]) + b"\x01\x01\x11\x00"
            + b"\xff\xc4\x00\x14\x00" + b"\x01" + b"\x00" * 15 + b"\x00"
            + b"\xff\xc4\x00\x14\x10" + b"\x01" + b"\x00" * 15 + b"\x00"
            + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00")
    return head + b"\x00" * (size - len(head) - 2) + b"\xff\xd9"


def image_bombs(d, cookie, csrf):
    h = {"Cookie": cookie, "X-CSRF-Token": csrf, "Content-Type": "image/jpeg"}
    # 413: over ocr.max_megapixels / vision.max_megapixels (32); 415: the
    # bytes cannot hold the pixels the header claims
    bombs = [(7000, 7000, 1300, (413, 415)), (7000, 7000, 60000, (413,)), (4000, 4000, 1300, (415,))]
    paths = ["/api/v1/scans", "/api/v1/people?label=Bomb&consent=true"]
    # Round 0 opens the card reader and the face models (loaded on first
    # use, 150+ MB); round 1 is measured.
    for rnd in (0, 1):
        base = rss_mb(d.proc.pid)
        rss = RssSampler(d.proc.pid)
        rss.start()
        results = []
        for w, hh, size, want in bombs:
            img = tiny_jpeg(w, hh, size)
            for path in paths:
                t0 = time.monotonic()
                st, _, body = request(d.port, "POST", path, img, h, timeout=60)
                results.append((path.split("?")[0], w, hh, size, st, time.monotonic() - t0))
                check(st in want, "%s with a %d-byte JPEG declaring %dx%d: HTTP %d %s (want %s)" %
                      (path, size, w, hh, st, body[:200], want))
        rss.stop_ev.set()
        rss.join()
    grow = rss.peak - base
    print("images    %s; RSS +%.1f MB" % (", ".join("%s %dx%d in %d B -> %d in %.2f s" % r for r in results), grow))
    check(grow < RSS_LIMIT_MB, "image bombs: RSS grew by %.1f MB" % grow)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        d = Daemon(tmp)
        try:
            cookie, csrf = login(d)
            # warm up: the pipeline is recognising visitors before we start
            t0 = time.monotonic()
            while d.visits() < 1 and time.monotonic() - t0 < 90:
                time.sleep(0.5)
            check(d.visits() >= 1, "no visit recorded within 90 s of starting")
            time.sleep(3)
            only = os.environ.get("GREETER_ATTACKS")  # e.g. "uploads,slowloris"; default all
            for kind, per_addr in ATTACKS:
                if only and kind not in only.split(","):
                    continue
                statuses, cut = run_attack(d, cookie, kind, per_addr)
                if kind == "uploads":
                    check(statuses.get(401, 0) > 0 and set(statuses) <= {401},
                          "uploads without a session are answered 401 on their headers (%s)" % statuses)
                if kind in ("slowloris", "slowbody"):
                    check(cut > 0, "%s: greeterd closed no trickling connection" % kind)
                time.sleep(2)
            if not only or "images" in only.split(","):
                image_bombs(d, cookie, csrf)
            opened = []
            for root, dirs, files in os.walk(d.state):
                for n in dirs + files:
                    p = os.path.join(root, n)
                    if os.lstat(p).st_mode & 0o077:
                        opened.append(p)
            check(not opened, "greeterd made files others can read: %s" % opened[:5])
        finally:
            rc = d.stop()
        check(rc == 0, "greeterd stops cleanly after the attacks (%s)" % rc)
        if FAILS:
            d.logf.seek(0)
            print("".join(d.logf.readlines()[-40:]))
    if FAILS:
        print("%d check(s) failed" % len(FAILS))
        sys.exit(1)
    print("web attacks test ok")


main()
