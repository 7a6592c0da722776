#!/usr/bin/env python3
"""The web API against a real greeterd (docs/API.md): every endpoint, and the
bad input a browser or an attacker can send - malformed JSON, wrong types,
huge bodies, SQL metacharacters, path traversal, missing or expired
sessions, missing CSRF tokens, login floods."""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

BIN = os.environ.get("GREETER_BUILD_DIR")
if not BIN or not os.path.exists(os.path.join(BIN, "greeterd")):
    print("GREETER_BUILD_DIR/greeterd is missing: build greeterd first")
    sys.exit(77)

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)


class Daemon:
    def __init__(self, tmp, *extra):
        self.state = os.path.join(tmp, "state")
        self.logf = open(os.path.join(tmp, "greeterd.log"), "w+")
        self.proc = subprocess.Popen(
            [os.path.join(BIN, "greeterd"), "--storage.dir=" + self.state, "--camera.source=none",
             "--web.listen=127.0.0.1:0", *extra],
            stdout=self.logf, stderr=subprocess.STDOUT)
        self.port = None
        for _ in range(200):
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

    def log(self):
        self.logf.seek(0)
        return self.logf.read()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = "killed"
        return rc


class Client:
    def __init__(self, port):
        self.port = port
        self.cookie = None
        self.csrf = None

    def req(self, method, path, body=None, headers=None, ctype="application/json", csrf=True, raw=False):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        if body is not None and ctype:
            h.setdefault("Content-Type", ctype)
        if self.cookie:
            h.setdefault("Cookie", self.cookie)
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h.setdefault("X-CSRF-Token", self.csrf)
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        c.close()
        if raw:
            return r.status, hdrs, data
        try:
            j = json.loads(data) if data else None
        except ValueError:
            j = None
        return r.status, hdrs, j

    def login(self, user, pw):
        st, h, j = self.req("POST", "/api/v1/login", {"username": user, "password": pw}, csrf=False)
        if st == 200:
            self.cookie = h["set-cookie"].split(";")[0]
            self.csrf = j["csrf_token"]
        return st, h, j


def is_error(st, j, status, code=None):
    return st == status and isinstance(j, dict) and "message" in j and (code is None or j.get("error") == code)


def raw_request(port, data, read=65536):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(data)
    out = b""
    try:
        while len(out) < read:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
            if b"\r\n\r\n" in out and len(out) > 200:
                break
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    return out


def main():
    tmp = tempfile.mkdtemp(prefix="greeter-web-api-")
    d = Daemon(tmp, "--web.max_upload_mb=1")
    try:
        run(d, tmp)
    finally:
        rc = d.stop()
        check(rc == 0, "greeterd exits 0 on SIGTERM (got %s)" % rc)
        if FAILS:
            print(d.log()[-4000:])
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILS:
        print("%d failures" % len(FAILS))
        sys.exit(1)
    print("web API test ok")


def run(d, tmp):
    port = d.port
    anon = Client(port)

    # --- no login needed: health, pages ---
    st, h, j = anon.req("GET", "/healthz")
    check(st == 200 and j["ok"] is True and "version" in j, "GET /healthz answers ok without login")
    st, h, body = anon.req("GET", "/", raw=True)
    check(st == 200 and h["content-type"].startswith("text/html") and b"<html" in body.lower(), "GET / serves the page")
    etag = h.get("etag")
    st, h, body = anon.req("GET", "/", headers={"If-None-Match": etag or "x"}, raw=True)
    check(st == 304 and not body, "GET / with the ETag answers 304")
    for name, ctype in (("/app.js", "text/javascript"), ("/style.css", "text/css")):
        st, h, body = anon.req("GET", name, raw=True)
        check(st == 200 and h["content-type"].startswith(ctype), "%s served as %s" % (name, ctype))
    # Path traversal: nothing outside the embedded table, whatever the spelling.
    for path in ("/../../../../etc/passwd", "/..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd",
                 "/static/../../etc/passwd", "/.hidden", "/app.js/..", "//etc/passwd", "/..\\..\\etc\\passwd"):
        raw = raw_request(port, ("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
        status = int(raw.split(b" ")[1]) if raw.startswith(b"HTTP/") else 0
        check(status in (400, 404) and b"root:" not in raw, "path traversal %s refused (got %d)" % (path, status))
    # A NUL byte ends the decoded path: at most the embedded page itself comes back.
    raw = raw_request(port, b"GET /index.html%00.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    check(raw.startswith(b"HTTP/1.1 404") or b"<html" in raw.lower(), "a NUL in the path serves nothing else")
    st, h, j = anon.req("GET", "/no-such-page.html")
    check(is_error(st, j, 404, "not_found"), "unknown page is a JSON 404")
    st, h, j = anon.req("POST", "/index.html", "x", ctype="text/plain")
    check(is_error(st, j, 405), "POST to a page is 405")

    # --- everything else needs a session ---
    for m, p in (("GET", "/api/v1/contacts"), ("GET", "/api/v1/status"), ("GET", "/api/v1/events"),
                 ("GET", "/stream.mjpg"), ("POST", "/api/v1/contacts"), ("GET", "/api/v1/settings"),
                 ("DELETE", "/api/v1/contacts/1"), ("GET", "/api/v1/visits")):
        st, h, j = anon.req(m, p, {} if m == "POST" else None)
        check(is_error(st, j, 401, "unauthorized"), "%s %s without a session is 401 (got %d)" % (m, p, st))
    st, h, j = anon.req("GET", "/api/v1/contacts", headers={"Cookie": "gr_session=" + "a" * 64})
    check(is_error(st, j, 401), "a made-up session cookie is 401")
    st, h, j = anon.req("GET", "/api/v2/contacts")
    check(is_error(st, j, 404), "unknown API version is 404")

    # --- login ---
    pwfile = os.path.join(d.state, "initial-admin-password")
    check(os.path.exists(pwfile) and (os.stat(pwfile).st_mode & 0o777) == 0o600,
          "initial-admin-password exists with mode 0600")
    pw = open(pwfile).read().strip()
    check(len(pw) >= 12, "initial password is long")
    # On the console (a terminal) and in its file, never in the log (issue 12).
    check(d.log().count(pw) == 0, "the initial password is not logged")
    st, h, j = anon.req("POST", "/api/v1/login", "{not json", csrf=False)
    check(is_error(st, j, 400, "invalid_json"), "malformed JSON login is 400 invalid_json")
    st, h, j = anon.req("POST", "/api/v1/login", {"username": 5, "password": []}, csrf=False)
    check(is_error(st, j, 400, "invalid"), "login with wrong types is 400")
    st, h, j = anon.req("POST", "/api/v1/login", '["admin","x"]', csrf=False)
    check(is_error(st, j, 400, "invalid_json"), "login with a JSON array is 400")
    st, h, j = anon.req("POST", "/api/v1/login", {"username": "admin", "password": pw}, ctype="text/plain")
    check(is_error(st, j, 415), "login as text/plain is 415")
    st, h, j = anon.req("GET", "/api/v1/login")
    check(is_error(st, j, 405), "GET /api/v1/login is 405")
    st, h, j = anon.req("POST", "/api/v1/login", {"username": "admin' OR '1'='1", "password": "' OR ''='"})
    check(is_error(st, j, 401, "bad_credentials"), "SQL injection in login is just a wrong login")
    c = Client(port)
    st, h, j = c.login("admin", pw)
    check(st == 200 and len(j.get("csrf_token", "")) == 64 and j["must_change"] is True, "login answers csrf_token")
    cookie = h.get("set-cookie", "")
    check("HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie,
          "session cookie is HttpOnly SameSite=Strict (%s)" % cookie)
    st, h, j = c.req("GET", "/api/v1/me")
    check(st == 200 and j["username"] == "admin" and j["csrf_token"] == c.csrf and j["role"] == "admin",
          "GET /api/v1/me")
    # A first login changes the password before anything else (issue 12).
    st, h, j = c.req("GET", "/api/v1/contacts")
    check(is_error(st, j, 403, "password_change_required"), "before the change: 403 password_change_required")
    st, h, j = c.req("POST", "/api/v1/password", {"old_password": pw, "new_password": "password"})
    check(is_error(st, j, 400), "a common password is refused")
    st, h, j = c.req("POST", "/api/v1/password", {"old_password": pw, "new_password": "first change 42"})
    check(st == 200, "the first login changes the password")
    check(not os.path.exists(pwfile), "the initial password file is deleted once changed")
    initial, pw = pw, "first change 42"

    # --- CSRF ---
    st, h, j = c.req("POST", "/api/v1/contacts", {"given_name": "No", "family_name": "Token"}, csrf=False)
    check(is_error(st, j, 403, "csrf"), "POST without X-CSRF-Token is 403 csrf")
    st, h, j = c.req("POST", "/api/v1/contacts", {"given_name": "Bad"}, headers={"X-CSRF-Token": "0" * 64})
    check(is_error(st, j, 403, "csrf"), "POST with a wrong X-CSRF-Token is 403")
    st, h, j = c.req("DELETE", "/api/v1/contacts/1", csrf=False)
    check(is_error(st, j, 403, "csrf"), "DELETE without X-CSRF-Token is 403")
    st, h, j = c.req("GET", "/api/v1/contacts?q=Token")
    check(st == 200 and j["total"] == 0, "nothing was created without a CSRF token")

    # --- contacts ---
    evil = "Robert'); DROP TABLE contacts;--"
    st, h, j = c.req("POST", "/api/v1/contacts", {
        "given_name": "Anna", "family_name": evil, "company": "O'Reilly & Sons \"Ltd\"",
        "emails": ["anna@example.com"], "phones": [{"number": "+49 30 1234567", "type": "work"}],
        "title": "100% _wild_ \\ chars"})
    check(st == 201 and j["family_name"] == evil and j["id"] > 0, "create a contact with SQL metacharacters")
    anna = j["id"] if st == 201 else 0
    st, h, j = c.req("GET", "/api/v1/contacts/%d" % anna)
    check(st == 200 and j["family_name"] == evil and j["title"] == "100% _wild_ \\ chars",
          "the contact reads back byte for byte")
    for q in ("DROP TABLE", "O'Reilly", "100%", "_wild_", "anna@example", "'; --"):
        st, h, j = c.req("GET", "/api/v1/contacts?q=" + urllib.parse.quote(q))
        check(st == 200 and isinstance(j.get("items"), list), "search q=%r answers a list" % q)
    st, h, j = c.req("GET", "/api/v1/contacts?q=" + urllib.parse.quote("O'Reilly"))
    check(st == 200 and j["total"] == 1 and j["items"][0]["id"] == anna, "search finds the contact by company")
    for wild in ("%25", "_"):
        st, h, j = c.req("GET", "/api/v1/contacts?q=" + wild)
        check(st == 200 and j["total"] == 0, "q=%s is no wildcard (no name, e-mail, phone or company has it)" % wild)
    st, h, j = c.req("GET", "/api/v1/contacts")
    check(st == 200 and j["total"] == 1, "the contacts table survived the injection attempts")
    st, h, j = c.req("POST", "/api/v1/contacts", {"given_name": "Bert", "emails": ["ANNA@example.com "]})
    check(st == 201 and any(x["id"] == anna for x in j.get("duplicates", [])), "a duplicate e-mail is reported")
    bert = j["id"] if st == 201 else 0
    st, h, j = c.req("GET", "/api/v1/contacts/%d/duplicates" % bert)
    check(st == 200 and any(x["id"] == anna for x in j["items"]), "GET duplicates")
    st, h, j = c.req("POST", "/api/v1/contacts/%d/merge" % anna, {"other_id": bert})
    check(st == 200 and j["id"] == anna, "merge two contacts")
    st, h, j = c.req("POST", "/api/v1/contacts/%d/merge" % anna, {"other_id": "x"})
    check(is_error(st, j, 400), "merge with a string id is 400")
    st, h, body = c.req("GET", "/api/v1/contacts/%d/vcard" % anna, raw=True)
    check(st == 200 and body.startswith(b"BEGIN:VCARD") and h["content-type"].startswith("text/vcard"), "vCard")
    st, h, body = c.req("GET", "/api/v1/contacts/export?format=csv", raw=True)
    check(st == 200 and b"Anna" in body and h["content-type"].startswith("text/csv"), "CSV export")
    st, h, body = c.req("GET", "/api/v1/contacts/export?format=vcard3", raw=True)
    check(st == 200 and b"VERSION:3.0" in body and h["content-type"].startswith("text/vcard"), "vCard 3.0 export")
    st, h, body = c.req("GET", "/api/v1/contacts/export?format=csv-outlook", raw=True)
    check(st == 200 and body.startswith(b"Title,First Name,") and b"Anna" in body, "Outlook CSV export")
    st, h, j = c.req("GET", "/api/v1/contacts/export?format=xml")
    check(is_error(st, j, 400), "export format xml is 400")
    st, h, j = c.req("POST", "/api/v1/contacts/import", "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Carl Import\r\n"
                     "EMAIL:carl@example.org\r\nEND:VCARD\r\n", ctype="text/vcard")
    check(st == 200 and j.get("created") == 1, "import a vCard")
    st, h, j = c.req("POST", "/api/v1/contacts/import", "just text", ctype="text/plain")
    check(is_error(st, j, 400), "import of something neither vCard nor CSV is 400")
    st, h, j = c.req("PATCH", "/api/v1/contacts/%d" % anna, {"title": "CEO"})
    check(st == 200 and j["title"] == "CEO", "PATCH a contact")
    st, h, j = c.req("PATCH", "/api/v1/contacts/%d" % anna, {"title": 42})
    check(is_error(st, j, 400), "PATCH with a number for a text field is 400")
    st, h, j = c.req("PATCH", "/api/v1/contacts/%d" % anna, {"emails": "not-a-list"})
    check(is_error(st, j, 400), "PATCH emails with a string is 400")
    st, h, j = c.req("PATCH", "/api/v1/contacts/%d" % anna, "[1,2", ctype="application/json")
    check(is_error(st, j, 400, "invalid_json"), "PATCH with broken JSON is 400")
    st, h, j = c.req("PATCH", "/api/v1/contacts/%d" % anna, {"given_name": "x" * 5000})
    check(is_error(st, j, 400), "a 5000-character name is 400")
    st, h, j = c.req("POST", "/api/v1/contacts", {})
    check(is_error(st, j, 400), "a contact with no name, e-mail, phone nor company is 400")
    st, h, j = c.req("POST", "/api/v1/contacts", {"given_name": "A"}, ctype="application/x-www-form-urlencoded")
    check(is_error(st, j, 415), "form-encoded body is 415")
    for bad in ("/api/v1/contacts/abc", "/api/v1/contacts/0", "/api/v1/contacts/-1",
                "/api/v1/contacts/99999999999999999999", "/api/v1/contacts/1;DROP", "/api/v1/contacts/424242"):
        st, h, j = c.req("GET", bad)
        check(is_error(st, j, 404), "GET %s is 404 (got %d)" % (bad, st))
    for q in ("limit=0", "limit=501", "limit=abc", "offset=-1", "offset=1e3", "limit=1%20"):
        st, h, j = c.req("GET", "/api/v1/contacts?" + q)
        check(is_error(st, j, 400), "GET contacts?%s is 400 (got %d)" % (q, st))
    st, h, j = c.req("GET", "/api/v1/contacts?q=" + "x" * 300)
    check(is_error(st, j, 400), "an over-long q is 400")
    st, h, j = c.req("GET", "/api/v1/contacts?limit=1&offset=0")
    check(st == 200 and len(j["items"]) == 1 and j["limit"] == 1, "limit/offset paginate")
    st, h, j = c.req("PUT", "/api/v1/contacts/%d" % anna, {"title": "x"})
    check(is_error(st, j, 405), "PUT is 405")

    # --- companies, leads, deals ---
    st, h, j = c.req("POST", "/api/v1/companies", {"title": "Initech", "website": "initech.example"})
    check(st == 201 and j["title"] == "Initech", "create a company")
    comp = j.get("id", 0)
    st, h, j = c.req("GET", "/api/v1/companies?q=init")
    check(st == 200 and any(x["id"] == comp for x in j["items"]), "search companies")
    st, h, j = c.req("PATCH", "/api/v1/companies/%d" % comp, {"address": "Main St 1"})
    check(st == 200 and j["address"] == "Main St 1", "PATCH a company")
    st, h, j = c.req("POST", "/api/v1/companies", {"title": None})
    check(is_error(st, j, 400), "a company without title is 400")

    st, h, j = c.req("POST", "/api/v1/leads", {"title": "Booth visitor", "data": {
        "given_name": "Dora", "family_name": "Lead", "company": "Lead Corp", "emails": ["dora@lead.example"]}})
    check(st == 201 and j["status"] == "NEW", "create a lead")
    lead = j.get("id", 0)
    st, h, j = c.req("GET", "/api/v1/leads?status=NEW")
    check(st == 200 and any(x["id"] == lead for x in j["items"]), "list leads by status")
    st, h, j = c.req("GET", "/api/v1/leads?status=BOGUS")
    check(is_error(st, j, 400), "unknown lead status filter is 400")
    st, h, j = c.req("PATCH", "/api/v1/leads/%d" % lead, {"status": "WON"})
    check(is_error(st, j, 400), "a lead cannot be WON")
    st, h, j = c.req("PATCH", "/api/v1/leads/%d" % lead, {"status": "IN_PROCESS"})
    check(st == 200 and j["status"] == "IN_PROCESS", "move a lead to IN_PROCESS")
    st, h, j = c.req("POST", "/api/v1/leads/%d/convert" % lead, csrf=False)
    check(is_error(st, j, 403, "csrf"), "convert without CSRF is 403")
    st, h, j = c.req("POST", "/api/v1/leads/%d/convert" % lead)
    check(st == 200 and j["lead"]["status"] == "CONVERTED" and j["contact"]["id"] > 0 and j["deal"]["id"] > 0
          and j["company"] and j["company"]["title"] == "Lead Corp", "convert a lead into contact + company + deal")
    deal = j["deal"]["id"] if st == 200 else 0
    st, h, j = c.req("POST", "/api/v1/leads/%d/convert" % lead)
    check(is_error(st, j, 400), "converting twice is 400")
    st, h, j = c.req("POST", "/api/v1/leads/424242/convert")
    check(is_error(st, j, 404), "converting a missing lead is 404")
    st, h, j = c.req("GET", "/api/v1/deals?stage=NEW")
    check(st == 200 and any(x["id"] == deal for x in j["items"]), "list deals by stage")
    st, h, j = c.req("PATCH", "/api/v1/deals/%d" % deal, {"stage": "WON", "amount": 1200.5})
    check(st == 200 and j["stage"] == "WON", "move a deal to WON")
    st, h, j = c.req("PATCH", "/api/v1/deals/%d" % deal, {"stage": "NEW"})
    check(is_error(st, j, 400), "a won deal is final")
    st, h, j = c.req("POST", "/api/v1/deals", {"title": "Neg", "amount": -5})
    check(is_error(st, j, 400), "a negative amount is 400")
    st, h, j = c.req("POST", "/api/v1/deals", {"title": "Deal", "stage": "NOPE"})
    check(is_error(st, j, 400), "an unknown stage is 400")
    st, h, j = c.req("DELETE", "/api/v1/companies/%d" % comp)
    check(st == 200 and j["deleted"] is True, "DELETE a company")
    st, h, j = c.req("GET", "/api/v1/companies/%d" % comp)
    check(is_error(st, j, 404), "the deleted company is gone")
    st, h, j = c.req("DELETE", "/api/v1/companies/%d" % comp)
    check(is_error(st, j, 404), "DELETE twice is 404")

    # --- huge bodies (web.max_upload_mb=1 here) ---
    big = b"{" + b" " * (1100 * 1024) + b"}"
    raw = raw_request(port, b"POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\nCookie: %s\r\nX-CSRF-Token: %s\r\n\r\n" %
                      (len(big), c.cookie.encode(), c.csrf.encode()) + big[:1000])
    check(raw.startswith(b"HTTP/1.1 413"), "a declared body over max_upload_mb is 413 before it is read")
    chunks = b"".join(b"%x\r\n%s\r\n" % (64 * 1024, b" " * (64 * 1024)) for _ in range(20)) + b"0\r\n\r\n"
    raw = raw_request(port, b"POST /api/v1/scans HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n"
                      b"Transfer-Encoding: chunked\r\nCookie: %s\r\nX-CSRF-Token: %s\r\nConnection: close\r\n\r\n" %
                      (c.cookie.encode(), c.csrf.encode()) + chunks, read=1 << 20)
    check(raw.startswith(b"HTTP/1.1 413"), "a chunked body growing over max_upload_mb is 413")
    st, h, j = c.req("GET", "/healthz")
    check(st == 200, "the server is fine after huge bodies")

    # --- scans ---
    st, h, j = c.req("POST", "/api/v1/scans", b"hello", ctype="text/plain")
    check(is_error(st, j, 415), "a text scan is 415")
    st, h, j = c.req("POST", "/api/v1/scans", b"", ctype="image/jpeg")
    check(is_error(st, j, 400), "an empty scan is 400")
    mp = (b"--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--XyZ--\r\n")
    st, h, j = c.req("POST", "/api/v1/scans", mp, ctype="multipart/form-data; boundary=XyZ")
    check(is_error(st, j, 400, "no_file"), "multipart without a file is 400 no_file")
    st, h, j = c.req("POST", "/api/v1/scans", b"--XyZ\r\nbroken", ctype="multipart/form-data; boundary=XyZ")
    check(is_error(st, j, 400, "bad_multipart"), "broken multipart is 400")
    st, h, j = c.req("POST", "/api/v1/scans", b"\xff\xd8\xff\xe0 not really a jpeg", ctype="image/jpeg")
    check(isinstance(j, dict) and "error" in j and 400 <= st < 600 and st != 500,
          "a corrupt JPEG is a clear error (got %d %s)" % (st, j))
    st, h, j = c.req("POST", "/api/v1/scans/save", {"fields": {"given_name": "Eve", "family_name": "Scan",
                                                             "emails": ["eve@scan.example"]}, "lead": True})
    check(st == 201 and j["contact"]["id"] > 0 and j["lead"] and j["lead"]["source"] == "card_scan",
          "save typed card fields as contact + lead")
    st, h, j = c.req("POST", "/api/v1/scans/save", {"fields": "x"})
    check(is_error(st, j, 400), "scan save with fields not an object is 400")
    st, h, j = c.req("POST", "/api/v1/scans/save", {"fields": {"given_name": "X"}, "image_token": "nope"})
    check(is_error(st, j, 410), "scan save with an unknown image token is 410")
    st, h, j = c.req("GET", "/api/v1/scans")
    check(st == 200 and j["total"] >= 1, "list scans")

    # --- visits, notifications, people ---
    st, h, j = c.req("GET", "/api/v1/visits")
    check(st == 200 and "items" in j and "stats" in j and "returning" in j["stats"], "visits with today's stats")
    st, h, j = c.req("GET", "/api/v1/visits/stats?day=2026-01-01")
    check(st == 200 and j["total"] == 0, "visit stats for a day")
    st, h, j = c.req("GET", "/api/v1/visits?day=yesterday")
    check(is_error(st, j, 400), "a malformed day is 400")
    st, h, j = c.req("GET", "/api/v1/notifications")
    check(st == 200 and "unread" in j, "list notifications")
    st, h, j = c.req("POST", "/api/v1/notifications/read")
    check(st == 200, "mark all notifications read")
    st, h, j = c.req("POST", "/api/v1/people?label=Zed", b"\xff\xd8\xff", ctype="image/jpeg")
    check(is_error(st, j, 403, "consent_required"), "enrolment without consent is 403")
    st, h, j = c.req("POST", "/api/v1/people", {"label": "Zed", "consent": True, "from_camera": True})
    check(is_error(st, j, 409, "no_camera"), "enrolment from the camera without a camera is 409")
    st, h, j = c.req("POST", "/api/v1/people", {"label": 7, "consent": "yes"})
    check(is_error(st, j, 400), "enrolment with wrong types is 400")
    st, h, j = c.req("DELETE", "/api/v1/people/424242")
    check(is_error(st, j, 404), "forgetting an unknown person is 404")
    st, h, j = c.req("POST", "/api/v1/contacts/%d/forget" % anna, {})
    check(st == 200 and j.get("contacts") == 1, "forget a contact")
    st, h, j = c.req("GET", "/api/v1/contacts/%d" % anna)
    check(is_error(st, j, 404), "a forgotten contact is gone")

    # --- streams ---
    st, h, j = c.req("GET", "/stream.mjpg")
    check(is_error(st, j, 503, "no_camera"), "/stream.mjpg without a camera is 503")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/api/v1/events", headers={"Cookie": c.cookie})
    r = conn.getresponse()
    first = r.readline() + r.readline()
    check(r.status == 200 and r.getheader("Content-Type") == "text/event-stream" and first.startswith(b"retry:"),
          "GET /api/v1/events opens an event stream")
    conn.close()

    # --- settings, status, metrics ---
    st, h, j = c.req("GET", "/api/v1/settings")
    names = {x["name"]: x for x in j["items"]} if st == 200 else {}
    check("web.greeting" in names and names["web.greeting"]["choices"] == "first_name|generic", "GET settings")
    check(names.get("sync.bitrix24_url", {}).get("value") in ("", "(set)"), "secrets are never shown")
    st, h, j = c.req("PATCH", "/api/v1/settings", {"web.max_upload_mb": 100000})
    check(is_error(st, j, 400) and "1..200" in j["message"], "an out-of-range setting is 400 naming the range")
    st, h, j = c.req("PATCH", "/api/v1/settings", {"no.such": "1"})
    check(is_error(st, j, 404), "an unknown setting is 404")
    st, h, j = c.req("PATCH", "/api/v1/settings", {"web.greeting": "generic", "camera.fps": "x"})
    check(is_error(st, j, 400), "one bad value refuses the whole change")
    st, h, j = c.req("GET", "/api/v1/me")
    check(j["greeting"] == "first_name", "a refused change changes nothing")
    st, h, j = c.req("PATCH", "/api/v1/settings", {"web.greeting": "generic", "vision.samples": 4})
    check(st == 200 and j["restart_required"] == ["vision.samples"] and j["applied"] == ["web.greeting"],
          "a valid settings change is applied; the ones needing a restart are named")
    # Started without --config: saved to <storage.dir>/greeter.conf, read at the next start.
    conf = os.path.join(d.state, "greeter.conf")
    check(st == 200 and j.get("file") == conf, "the settings file is <storage.dir>/greeter.conf")
    check(os.path.exists(conf) and 'greeting = "generic"' in open(conf).read()
          and (os.stat(conf).st_mode & 0o777) == 0o600, "settings are written to greeter.conf (0600)")
    st, h, j = c.req("PATCH", "/api/v1/settings", {"sync.carddav_password": "s3cret pw"})
    check(st == 200 and 'carddav_password = "s3cret pw"' in open(conf).read(),
          "a secret is persisted as its value, never as '(set)'")
    st, h, j = c.req("GET", "/api/v1/settings")
    check(st == 200 and "s3cret" not in json.dumps(j), "the secret is never shown again")
    st, h, j = c.req("GET", "/api/v1/me")
    check(j["greeting"] == "generic", "the greeting setting is live")
    st, h, j = c.req("GET", "/api/v1/status")
    check(st == 200 and j["sync"]["pending"] >= 1 and j["storage"]["db_bytes"] > 0 and j["version"]
          and j["storage"]["low"] is False, "GET status shows sync and storage (disk not low)")
    st, h, body = anon.req("GET", "/metrics", raw=True)
    check(st == 200 and b"greeter_http_requests_total{code=\"2xx\"}" in body and
          b"greeter_http_request_duration_seconds_bucket" in body, "GET /metrics (loopback) in Prometheus text")

    # --- issue 15: booth, qualification, expected visitors, sync card: good and bad input ---
    st, h, j = c.req("GET", "/api/v1/booth")
    check(st == 200 and j["event"] == "" and "Pricing" in j["interests"], "GET /booth gives the event and the tags")
    st, h, j = c.req("PATCH", "/api/v1/settings", {"booth.event": "Expo API", "booth.interests": " A , B,, C "})
    st, h, j = c.req("GET", "/api/v1/booth")
    check(st == 200 and j["event"] == "Expo API" and j["interests"] == ["A", "B", "C"], "booth settings apply at once: %s" % j)
    st, h, j = c.req("POST", "/api/v1/leads", {"data": {"given_name": "Qa", "family_name": "Lead", "company": "Q Co"},
                                               "rating": 3, "temperature": "cold", "interests": ["A"], "follow_up": "2031-01-31"})
    check(st == 201 and j["title"] == "Qa Lead (Q Co)" and j["rating"] == 3, "a lead with its qualification: %s" % j)
    lid = j["id"] if st == 201 else 0
    for bad in ({"rating": 9}, {"rating": "3"}, {"temperature": "tepid"}, {"interests": "A"}, {"interests": [""]},
                {"follow_up": "2031-02-30x"}, {"note": 5}):
        st, h, j = c.req("PATCH", "/api/v1/leads/%d" % lid, bad)
        check(is_error(st, j, 400), "PATCH lead %s is 400 with a message (%s)" % (bad, st))
    st, h, j = c.req("GET", "/api/v1/leads/%d/activity" % lid)
    check(st == 200 and j["total"] >= 1, "a lead's timeline")
    st, h, j = c.req("GET", "/api/v1/leads/999999/activity")
    check(is_error(st, j, 404), "no timeline of a lead that is not there")
    st, h, j = c.req("POST", "/api/v1/scans/save", {"fields": {"given_name": "X"}, "contact_id": "7"})
    check(is_error(st, j, 400), "scans/save with a contact_id that is not an id is 400")
    st, h, j = c.req("POST", "/api/v1/scans/save", {"fields": {"given_name": "X"}, "contact_id": 999999})
    check(is_error(st, j, 404), "scans/save updating a contact that is not there is 404")
    st, h, j = c.req("POST", "/api/v1/scans/save", {"fields": {"given_name": "Y", "emails": ["y@y.example"]}, "followup": True})
    check(is_error(st, j, 400) and "agreed" in j["message"], "no follow-up e-mail without the consent: %s" % j)
    st, h, j = c.req("GET", "/api/v1/scans/999999/image")
    check(is_error(st, j, 404), "no card image of a scan that is not there")
    st, h, j = c.req("POST", "/api/v1/expected", {"company": "No Name"})
    check(is_error(st, j, 400), "an expected visitor needs a name")
    st, h, j = c.req("POST", "/api/v1/expected", {"name": "x", "day": "2031-13-01"})
    check(is_error(st, j, 400), "an expected visitor's day is checked")
    st, h, j = c.req("POST", "/api/v1/expected", {"name": "Ann O'Neil; DROP TABLE leads", "host": "admin"})
    check(st == 201 and j["name"] == "Ann O'Neil; DROP TABLE leads", "an expected visitor with quotes is stored as given")
    eid = j["id"] if st == 201 else 0
    st, h, j = c.req("GET", "/api/v1/expected")
    check(st == 200 and [e["id"] for e in j["items"]] == [eid], "today's expected visitors")
    st, h, j = c.req("GET", "/api/v1/expected?day=tomorrow")
    check(is_error(st, j, 400), "a bad day is 400")
    st, h, j = c.req("DELETE", "/api/v1/expected/%d" % eid)
    check(st == 200, "remove an expected visitor")
    st, h, j = c.req("DELETE", "/api/v1/expected/%d" % eid)
    check(is_error(st, j, 404), "removing it twice is 404")
    st, h, j = c.req("GET", "/api/v1/visits/999999/snapshot")
    check(is_error(st, j, 404), "no snapshot of a visit that is not there")
    st, h, j = c.req("GET", "/api/v1/visits/..%2f..%2fetc/snapshot")
    check(is_error(st, j, 404), "a visit id that is a path is 404")
    st, h, j = c.req("GET", "/api/v1/visits?q=" + "x" * 300)
    check(is_error(st, j, 400), "a visit search longer than 256 characters is 400")
    st, h, j = c.req("GET", "/api/v1/visits?q=%27%25_")
    check(st == 200 and j["total"] == 0, "a visit search with SQL wildcards finds nothing, safely")
    st, h, j = c.req("GET", "/api/v1/sync")
    check(st == 200 and j["enabled"]["bitrix24"] is False and j["failed"] == [], "the sync card's state: %s" % j)
    st, h, j = c.req("POST", "/api/v1/sync/test", {"url": "ftp://example.com/rest/1/x/"})
    check(is_error(st, j, 400) and "ftp" not in j["message"], "Test connection refuses a bad URL without echoing it")
    st, h, j = c.req("POST", "/api/v1/sync/test")
    check(is_error(st, j, 400), "Test connection without a URL is 400")
    st, h, j = c.req("POST", "/api/v1/sync/retry")
    check(st == 200 and j["requeued"] == 0, "Retry with nothing refused")
    st, h, j = c.req("GET", "/api/v1/sync/nothing")
    check(is_error(st, j, 404) or is_error(st, j, 405), "an unknown sync action")

    # --- sessions: expiry, logout ---
    c2 = Client(port)
    st, h, j = c2.login("admin", pw)
    check(st == 200, "a second session")
    db = sqlite3.connect(os.path.join(d.state, "greeter.db"), timeout=10)
    db.execute("UPDATE sessions SET expires_at = 1")
    db.commit()
    db.close()
    st, h, j = c2.req("GET", "/api/v1/contacts")
    check(is_error(st, j, 401), "an expired session is 401")
    st, h, j = c2.login("admin", pw)
    st, h, j = c2.req("POST", "/api/v1/logout")
    check(st == 200 and "Max-Age=0" in h.get("set-cookie", ""), "logout clears the cookie")
    st, h, j = c2.req("GET", "/api/v1/contacts")
    check(is_error(st, j, 401), "after logout the session is gone")

    # --- password change ---
    st, h, j = c2.login("admin", pw)
    st, h, j = c2.req("POST", "/api/v1/password", {"old_password": pw, "new_password": "short"})
    check(is_error(st, j, 400), "a short new password is 400")
    st, h, j = c2.req("POST", "/api/v1/password", {"old_password": "wrong-password", "new_password": "long enough 1"})
    check(is_error(st, j, 403), "a wrong current password is 403")
    st, h, j = c2.req("POST", "/api/v1/password", {"old_password": pw, "new_password": "correct horse 42"})
    check(st == 200, "change the password")
    st, h, j = c2.req("GET", "/api/v1/me")
    check(st == 200 and j["must_change"] is False, "the changing session stays valid")
    st, h, j = c.req("GET", "/api/v1/me")
    check(is_error(st, j, 401), "other sessions end when the password changes")
    c3 = Client(port)
    st, h, j = c3.login("admin", pw)
    check(is_error(st, j, 401), "the old password no longer works")
    st, h, j = c3.login("admin", initial)
    check(is_error(st, j, 401), "nor does the initial one")

    # --- login rate limiting (last: it locks this client address out) ---
    statuses = [Client(port).login("admin", "guess-%d" % i)[0] for i in range(7)]
    # Earlier wrong passwords in this test count too: at most 5 failures a minute.
    check(statuses[0] == 401 and 429 in statuses[:5] and statuses[-1] == 429,
          "repeated failed logins are rate limited: %s" % statuses)
    st, h, j = c3.login("admin", "correct horse 42")
    check(is_error(st, j, 429, "rate_limited") and int(h.get("retry-after", "0")) > 0,
          "while limited even the right password waits (Retry-After)")


if __name__ == "__main__":
    main()
