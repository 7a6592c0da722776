#!/usr/bin/env python3
"""The Faces, System-log and Settings API against a real greeterd
(docs/API.md): list every face identity, enrol with consent, serve the
newest snapshot, erase one identity (audit-logged, its contact kept); the
ring of recent log lines with its level filter and `since`; saving settings
into the file greeterd was started with, what applies at once and what after
a restart, the reload at the next start, and bad input (bad ids, bad values,
no session, no CSRF token, an unwritable settings file)."""
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_web_api import FAILS, Client, Daemon, check, is_error  # noqa: E402

DATA = os.environ.get("GREETER_TEST_DATA") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


ADMIN_PW = "admin-test-Pass-1"


def login(d):
    """Log in as admin; the first login changes the initial password (issue 12)."""
    pwfile = os.path.join(d.state, "initial-admin-password")
    first = os.path.exists(pwfile)
    pw = open(pwfile).read().strip() if first else ADMIN_PW
    c = Client(d.port)
    st, h, j = c.login("admin", pw)
    check(st == 200, "login")
    if first:
        st, h, j = c.req("POST", "/api/v1/password", {"old_password": pw, "new_password": ADMIN_PW})
        check(st == 200, "the first login changes the password")
    return c


def db(d):
    return sqlite3.connect(os.path.join(d.state, "greeter.db"), timeout=10)


def faces(d, c):
    anon = Client(d.port)
    for m, p in (("GET", "/api/v1/faces"), ("GET", "/api/v1/faces/1"), ("DELETE", "/api/v1/faces/1"),
                 ("GET", "/api/v1/faces/1/snapshot"), ("GET", "/api/v1/logs")):
        st, h, j = anon.req(m, p)
        check(is_error(st, j, 401, "unauthorized"), "%s %s without a session is 401" % (m, p))

    st, h, j = c.req("GET", "/api/v1/faces")
    check(st == 200 and j["items"] == [] and j["total"] == 0, "no faces at first")

    # Enrol from a photo: consent is required and recorded.
    photo = open(os.path.join(DATA, "faces", "leonard3.png"), "rb").read()
    st, h, j = c.req("POST", "/api/v1/faces?label=Leonard", photo, ctype="image/png")
    check(is_error(st, j, 403, "consent_required"), "enrolment without consent is 403")
    st, h, j = c.req("POST", "/api/v1/faces?label=Leonard&consent=true", photo, ctype="image/png", csrf=False)
    check(is_error(st, j, 403, "csrf"), "enrolment without a CSRF token is 403")
    st, h, j = c.req("POST", "/api/v1/faces?label=Leonard&consent=true", photo, ctype="image/png")
    check(st == 201 and j.get("person_id", 0) > 0, "enrol a face from a photo (%s %s)" % (st, j))
    leonard = j.get("person_id", 0) if st == 201 else 0

    # Enrol linked to a contact.
    st, h, j = c.req("POST", "/api/v1/contacts", {"given_name": "Howard", "family_name": "Wolowitz"})
    howard_c = j["id"] if st == 201 else 0
    photo2 = open(os.path.join(DATA, "faces", "howard4.png"), "rb").read()
    st, h, j = c.req("POST", "/api/v1/faces?consent=true&contact_id=%d" % howard_c, photo2, ctype="image/png")
    check(st == 201 and j.get("contact_id") == howard_c, "enrol a face linked to a contact")
    howard = j.get("person_id", 0) if st == 201 else 0

    # An unknown visitor as the camera records one: a template, a visit, a snapshot.
    snapdir = os.path.join(d.state, "snapshots")
    os.makedirs(snapdir, exist_ok=True)
    snap = open(os.path.join(DATA, "faces", "frame300.jpg"), "rb").read()
    with open(os.path.join(snapdir, "visit-1700000000000-1.jpg"), "wb") as f:
        f.write(snap)
    con = db(d)
    cur = con.execute("INSERT INTO people(label, known, last_seen, visit_count) VALUES "
                      "('Visitor #x', 0, strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1)")
    visitor = cur.lastrowid
    con.execute("UPDATE people SET label = 'Visitor #' || id WHERE id = ?", (visitor,))
    con.execute("INSERT INTO face_templates(person_id, descriptor) VALUES (?, zeroblob(512))", (visitor,))
    con.execute("INSERT INTO visits(person_id, started_at, is_new, snapshot) VALUES "
                "(?, strftime('%Y-%m-%dT%H:%M:%fZ','now'), 1, 'visit-1700000000000-1.jpg')", (visitor,))
    con.commit()
    con.close()

    st, h, j = c.req("GET", "/api/v1/faces")
    items = {x["id"]: x for x in j.get("items", [])} if st == 200 else {}
    check(st == 200 and j["total"] == 3 and len(items) == 3, "GET /api/v1/faces lists every identity")
    L = items.get(leonard, {})
    check(L.get("label") == "Leonard" and L.get("known") is True and L.get("templates") == 1
          and L.get("consent") is True and L.get("consent_at") and L.get("created_at")
          and L.get("snapshot") is False and L.get("contact_id") is None,
          "an enrolled face: label, templates, consent recorded, enrolled date, no snapshot (%s)" % L)
    H = items.get(howard, {})
    check(H.get("contact_id") == howard_c and H.get("contact_name") == "Howard Wolowitz" and H.get("consent") is True,
          "a face linked to a contact shows the contact (%s)" % H)
    V = items.get(visitor, {})
    check(V.get("known") is False and V.get("snapshot") is True and V.get("last_seen") and V.get("templates") == 1,
          "an unknown visitor with a snapshot (%s)" % V)
    check(list(items)[0] == visitor or j["items"][0]["id"] == visitor, "most recently seen first")
    st, h, j = c.req("GET", "/api/v1/faces?kind=enrolled")
    check(st == 200 and sorted(x["id"] for x in j["items"]) == sorted([leonard, howard]), "kind=enrolled")
    st, h, j = c.req("GET", "/api/v1/faces?kind=visitors")
    check(st == 200 and [x["id"] for x in j["items"]] == [visitor], "kind=visitors")
    st, h, j = c.req("GET", "/api/v1/faces?q=" + urllib.parse.quote("wolo"))
    check(st == 200 and [x["id"] for x in j["items"]] == [howard], "q matches the contact's name")
    st, h, j = c.req("GET", "/api/v1/faces?limit=1&offset=1")
    check(st == 200 and len(j["items"]) == 1 and j["total"] == 3 and j["offset"] == 1, "paging")
    for q in ("kind=everyone", "limit=0", "limit=501", "offset=-1", "limit=x", "q=" + "a" * 300):
        st, h, j = c.req("GET", "/api/v1/faces?" + q)
        check(is_error(st, j, 400), "GET faces?%s is 400" % q[:20])
    for q in ("'; DROP TABLE people;--", "%", "_"):
        st, h, j = c.req("GET", "/api/v1/faces?q=" + urllib.parse.quote(q))
        check(st == 200 and j["total"] == 0, "q=%r matches nothing literally" % q)

    st, h, j = c.req("GET", "/api/v1/faces/%d" % leonard)
    check(st == 200 and j.get("id") == leonard and j.get("templates") == 1, "GET one face")
    st, h, body = c.req("GET", "/api/v1/faces/%d/snapshot" % visitor, raw=True)
    check(st == 200 and h.get("content-type") == "image/jpeg" and body == snap, "the newest snapshot as JPEG")
    st, h, j = c.req("GET", "/api/v1/faces/%d/snapshot" % leonard)
    check(is_error(st, j, 404), "no snapshot is 404")
    for p in ("/api/v1/faces/abc", "/api/v1/faces/0", "/api/v1/faces/-1", "/api/v1/faces/999999",
              "/api/v1/faces/1e3", "/api/v1/faces/%d/other" % leonard, "/api/v1/faces/..%2f..%2fetc"):
        st, h, j = c.req("GET", p)
        check(is_error(st, j, 404), "GET %s is 404 (got %d)" % (p, st))
    st, h, j = c.req("PATCH", "/api/v1/faces/%d" % leonard, {"label": "x"})
    check(is_error(st, j, 405), "PATCH a face is 405")
    st, h, j = c.req("DELETE", "/api/v1/faces/%d/snapshot" % visitor)
    check(is_error(st, j, 405), "DELETE a snapshot is 405")

    # Erase: CSRF first, then the identity goes and its contact stays.
    st, h, j = c.req("DELETE", "/api/v1/faces/%d" % howard, csrf=False)
    check(is_error(st, j, 403, "csrf"), "DELETE without a CSRF token is 403")
    st, h, j = c.req("GET", "/api/v1/faces/%d" % howard)
    check(st == 200, "... and nothing was erased")
    st, h, j = c.req("DELETE", "/api/v1/faces/%d" % howard)
    check(st == 200 and j.get("templates") == 1 and j.get("contact_id") == howard_c, "erase a linked face (%s)" % j)
    st, h, j = c.req("GET", "/api/v1/faces/%d" % howard)
    check(is_error(st, j, 404), "the erased face is gone")
    st, h, j = c.req("GET", "/api/v1/contacts/%d" % howard_c)
    check(st == 200 and j.get("person_ids") in ([], None), "its contact is kept, without the face")
    st, h, j = c.req("DELETE", "/api/v1/faces/%d" % visitor)
    check(st == 200 and j.get("snapshots") == 1 and j.get("files_failed") == 0, "erase a visitor with a snapshot")
    check(not os.path.exists(os.path.join(snapdir, "visit-1700000000000-1.jpg")), "the snapshot file is removed")
    for p, code in (("/api/v1/faces/999999", 404), ("/api/v1/faces/abc", 404), ("/api/v1/faces/%d" % visitor, 404)):
        st, h, j = c.req("DELETE", p)
        check(is_error(st, j, code), "DELETE %s is %d" % (p, code))
    con = db(d)
    audit = con.execute("SELECT action, entity, entity_id FROM audit_log ORDER BY id").fetchall()
    con.close()
    check(("face.forget", "person", howard) in audit and ("face.forget", "person", visitor) in audit,
          "erasures are in the audit log (%s)" % audit[-4:])
    check(("consent.grant", "person", leonard) in audit, "the consent of a photo enrolment is in the audit log")
    return howard


def logs(d, c, howard):
    st, h, j = c.req("GET", "/api/v1/logs")
    check(st == 200 and isinstance(j.get("items"), list) and j.get("capacity") == 500 and j.get("last_id", 0) > 0,
          "GET /api/v1/logs")
    lines = j.get("items", []) if st == 200 else []
    check(all(set(x) >= {"id", "time", "level", "module", "message", "truncated"} for x in lines), "log line fields")
    check(any(x["module"] == "web" and x["level"] == "info" and ("face identity %d erased" % howard) in x["message"]
              for x in lines), "the erasure is in the recent log lines")
    check(any(x["module"] == "greeterd" and "ready" in x["message"] for x in lines), "start-up lines are kept")
    ids = [x["id"] for x in lines]
    check(ids == sorted(ids) and len(set(ids)) == len(ids), "oldest first, ids increase")
    check(all(x["time"].endswith("Z") and x["time"][:2] == "20" for x in lines), "times are UTC ISO 8601")
    last = j.get("last_id", 0)
    st, h, j = c.req("GET", "/api/v1/logs?level=warn")
    check(st == 200 and all(x["level"] in ("warn", "error") for x in j["items"]), "level=warn: warnings and errors")
    st, h, j = c.req("GET", "/api/v1/logs?since=%d" % last)
    check(st == 200 and j["items"] == [], "since the newest id: nothing")
    st, h, j = c.req("GET", "/api/v1/logs?limit=2")
    check(st == 200 and len(j["items"]) == 2 and j["items"][-1]["id"] == j["last_id"], "limit keeps the newest")
    for q in ("level=loud", "since=abc", "since=-1", "limit=0", "limit=501", "since=99999999999999999999"):
        st, h, j = c.req("GET", "/api/v1/logs?" + q)
        check(is_error(st, j, 400), "GET logs?%s is 400" % q)
    st, h, j = c.req("POST", "/api/v1/logs", {})
    check(is_error(st, j, 405), "POST logs is 405")
    return last


def settings(d, c, tmp, last):
    st, h, j = c.req("GET", "/api/v1/settings")
    rows = {x["name"]: x for x in j.get("items", [])} if st == 200 else {}
    conf = os.path.join(d.state, "greeter.conf")
    check(j.get("file") == conf and j.get("restart_pending") == [], "GET settings names the file to save to")
    check(rows.get("web.greeting", {}).get("live") is True and rows.get("camera.fps", {}).get("live") is False,
          "each setting says whether it applies at once")

    # Bad input changes nothing.
    for body, code, words in (({"camera.fps": 500}, 400, ("camera.fps", "500", "1..60")),
                              ({"camera.fps": "x"}, 400, ("camera.fps", "'x'")),
                              ({"vision.match_threshold": 9}, 400, ("vision.match_threshold", "0.1..1.5")),
                              ({"web.listen": "nowhere"}, 400, ("web.listen",)),
                              ({"storage.dir": "/tmp/elsewhere"}, 400, ("storage.dir",)),
                              ({"web.greeting": "loud"}, 400, ("web.greeting", "first_name|generic")),
                              ({"camera.fps": [1]}, 400, ("camera.fps",)),
                              ({"no.such": 1}, 404, ("no.such",)),
                              ({}, 400, ())):
        st, h, j = c.req("PATCH", "/api/v1/settings", body)
        check(is_error(st, j, code) and all(w in j["message"] for w in words),
              "PATCH %s is %d naming %s (%s)" % (body, code, words, j and j.get("message")))
    st, h, j = c.req("PATCH", "/api/v1/settings", "[1]")
    check(is_error(st, j, 400, "invalid_json"), "a JSON array is 400")
    st, h, j = c.req("PATCH", "/api/v1/settings", {"web.greeting": "generic"}, csrf=False)
    check(is_error(st, j, 403, "csrf"), "PATCH settings without a CSRF token is 403")
    st, h, j = Client(d.port).req("PATCH", "/api/v1/settings", {"web.greeting": "generic"})
    check(is_error(st, j, 401), "PATCH settings without a session is 401")
    check(not os.path.exists(conf), "nothing was saved by refused changes")

    # log.level is live: at warn, an info line is no longer kept.
    st, h, j = c.req("PATCH", "/api/v1/settings", {"log.level": "warn"})
    check(st == 200 and j["applied"] == ["log.level"] and j["restart_required"] == [], "log.level applies at once")
    st, h, j = c.req("PATCH", "/api/v1/settings", {"device.name": "desk-7"})
    st, h, j = c.req("GET", "/api/v1/logs?since=%d" % last)
    check(st == 200 and not any("device.name changed" in x["message"] for x in j["items"]),
          "at log.level=warn the info line of a change is not logged")
    st, h, j = c.req("PATCH", "/api/v1/settings", {"log.level": "info", "web.greeting": "generic",
                                                   "vision.samples": 5, "camera.fps": "15"})
    check(st == 200 and sorted(j["applied"]) == ["log.level", "web.greeting"]
          and j["restart_required"] == ["vision.samples"] and "camera.fps" not in j["changed"],
          "applied at once vs at the next start; an unchanged value is no change (%s)" % j.get("changed"))
    check(sorted(j.get("restart_pending", [])) == ["device.name", "vision.samples"], "restart_pending accumulates")
    st, h, j = c.req("GET", "/api/v1/logs?since=%d" % last)
    check(any("web.greeting changed" in x["message"] for x in j["items"]), "back at info the change is logged")
    text = open(conf).read()
    check('greeting = "generic"' in text and 'samples = "5"' in text and 'name = "desk-7"' in text,
          "the changes are in greeter.conf")
    st, h, j = c.req("GET", "/api/v1/me")
    check(j.get("greeting") == "generic", "web.greeting is live")

    # Reload: a new start reads them back.
    check(d.stop() == 0, "greeterd stops")
    d2 = Daemon(tmp)
    try:
        c2 = login(d2)
        st, h, j = c2.req("GET", "/api/v1/settings")
        rows = {x["name"]: x["value"] for x in j.get("items", [])} if st == 200 else {}
        check(rows.get("vision.samples") == "5" and rows.get("device.name") == "desk-7"
              and rows.get("web.greeting") == "generic" and rows.get("log.level") == "info",
              "after a restart the saved settings are in effect")
        check(j.get("restart_pending") == [], "nothing waits for a restart after one")
    finally:
        check(d2.stop() == 0, "greeterd stops")

    # Started with --config FILE: that file is only read (on the board it is /etc/greeter/greeter.conf, read-only
    # to greeterd); what the page saved stays above it, and new changes go to <storage.dir>/greeter.conf too.
    cdir = os.path.join(tmp, "etc")
    os.makedirs(cdir)
    cfile = os.path.join(cdir, "my.conf")
    hand = "# hand-written\n[web]\ngreeting = first_name\n[camera]\nfps = 12\n"
    with open(cfile, "w") as f:
        f.write(hand)
    os.chmod(cfile, 0o444)
    d3 = Daemon(tmp, "--config", cfile)
    try:
        c3 = login(d3)
        st, h, j = c3.req("GET", "/api/v1/settings")
        rows = {x["name"]: x["value"] for x in j.get("items", [])} if st == 200 else {}
        check(rows.get("camera.fps") == "12" and rows.get("web.greeting") == "generic" and j.get("file") == conf,
              "the --config file is read and the saved settings stay above it (%s)" % j.get("file"))
        st, h, j = c3.req("PATCH", "/api/v1/settings", {"camera.fps": 10})
        check(st == 200 and j.get("file") == conf and j.get("restart_required") == ["camera.fps"],
              "a change is saved to the state folder's file")
        check(open(cfile).read() == hand, "the --config file is not written")
        check('fps = "10"' in open(conf).read(), "the state folder's file has the change")
        # Unwritable (here: a folder in its place): an error naming it, and nothing changes.
        os.rename(conf, conf + ".saved")
        os.mkdir(conf)
        st, h, j = c3.req("PATCH", "/api/v1/settings", {"web.greeting": "first_name"})
        check(is_error(st, j, 500, "io") and conf in j["message"] and "nothing was changed" in j["message"],
              "an unwritable settings file is an error naming it (%s)" % (j and j.get("message")))
        st, h, j = c3.req("GET", "/api/v1/me")
        check(j.get("greeting") == "generic", "a change that could not be saved is not applied")
    finally:
        check(d3.stop() == 0, "greeterd stops")


def main():
    tmp = tempfile.mkdtemp(prefix="greeter-web-admin-")
    d = Daemon(tmp)
    stopped = False
    try:
        c = login(d)
        howard = faces(d, c)
        last = logs(d, c, howard)
        settings(d, c, tmp, last)
        stopped = True
    finally:
        if not stopped:
            d.stop()
        if FAILS:
            print(d.log()[-4000:])
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILS:
        print("%d failures" % len(FAILS))
        sys.exit(1)
    print("web admin test ok")


if __name__ == "__main__":
    main()
