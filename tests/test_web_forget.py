#!/usr/bin/env python3
"""Forget erases everywhere (issue 12), against a real greeterd at log level
debug: a person who came in as a lead, was converted into a contact and a
deal ("Deal with ..."), edited (a note) and partly synced (some outbox rows
marked sent) is forgotten with POST /api/v1/contacts/{id}/forget. Then the
database file and its WAL (after a checkpoint), the log ring
(/api/v1/logs), greeterd's own output (the journal) and every outbox row
are searched for the person's name, e-mail, phone and note: nothing may
be found. The queued delete carries ids only; the deal and the lead stay,
anonymised. A desk user may not forget (403)."""
import json
import os
import shutil
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_web_api import FAILS, Client, Daemon, check, is_error  # noqa: E402

GIVEN, FAMILY = "Zebulon", "Quaxworthy"
EMAIL = "zebulon.quax@example.org"
PHONE, PHONE_DIGITS = "+49 30 99887766", "99887766"
NOTE = "allergic to xylophones"
SECRETS = [GIVEN, FAMILY, EMAIL, "zebulon.quax", PHONE_DIGITS, "9988 7766", "xylophone"]


def first_login(d, user, pw, new_pw):
    c = Client(d.port)
    st, h, j = c.login(user, pw)
    check(st == 200, "login as %s" % user)
    st, h, j = c.req("POST", "/api/v1/password", {"old_password": pw, "new_password": new_pw})
    check(st == 200, "%s changes the first password" % user)
    return c


def found_in(blob, what):
    hits = []
    for s in SECRETS:
        for enc in (s.encode(), s.lower().encode(), s.encode("utf-16-le")):
            if enc in blob:
                hits.append("%s in %s" % (s, what))
                break
    return hits


def run(d):
    pw = open(os.path.join(d.state, "initial-admin-password")).read().strip()
    c = first_login(d, "admin", pw, "forget-test-Admin-1")

    # The person: a lead from the booth, converted, then edited.
    st, h, j = c.req("POST", "/api/v1/leads", {"title": "%s %s at the booth" % (GIVEN, FAMILY), "data": {
        "given_name": GIVEN, "family_name": FAMILY, "company": "Forget Test GmbH", "emails": [EMAIL],
        "phones": [PHONE]}})
    check(st == 201, "create the lead")
    lead = j.get("id", 0)
    st, h, j = c.req("POST", "/api/v1/leads/%d/convert" % lead)
    check(st == 200 and j["contact"]["id"] > 0 and j["deal"]["id"] > 0, "convert it into contact + deal")
    contact, deal = j["contact"]["id"], j["deal"]["id"]
    st, h, j = c.req("PATCH", "/api/v1/contacts/%d" % contact, {"note": NOTE, "phones": [PHONE]})
    check(st == 200 and j.get("note") == NOTE, "add a note")
    st, h, j = c.req("POST", "/api/v1/deals", {"title": "Deal with %s %s" % (GIVEN, FAMILY), "contact_id": contact})
    check(st == 201, "a second deal named after the person")
    deal2 = j.get("id", 0)
    st, h, j = c.req("GET", "/api/v1/contacts?q=" + FAMILY)
    check(st == 200 and j["total"] == 1, "the contact is found by search before")
    st, h, j = c.req("GET", "/api/v1/contacts?q=" + PHONE_DIGITS)
    check(st == 200 and j["total"] == 1, "and by phone")

    db = sqlite3.connect(os.path.join(d.state, "greeter.db"), timeout=10)
    rows = db.execute("SELECT count(*) FROM outbox WHERE payload LIKE ?", ("%" + FAMILY + "%",)).fetchone()[0]
    check(rows >= 3, "the outbox holds the person before (%d rows)" % rows)
    # Half of it "sent" already, as the sync agent would have marked it.
    db.execute("UPDATE outbox SET state='done', done_at='2026-01-01' WHERE id IN "
               "(SELECT id FROM outbox ORDER BY id LIMIT (SELECT count(*) / 2 FROM outbox))")
    db.commit()
    db.close()

    db = sqlite3.connect(os.path.join(d.state, "greeter.db"), timeout=10)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    before = open(os.path.join(d.state, "greeter.db"), "rb").read()
    check(len(found_in(before, "db")) >= 4, "the search finds the person in the file before the forget")

    # A desk user may not forget.
    st, h, j = c.req("POST", "/api/v1/users", {"username": "deskf", "password": "desk-first-Pass1", "role": "desk"})
    check(st == 201, "add a desk user")
    desk = first_login(d, "deskf", "desk-first-Pass1", "desk-own-Pass-2")
    st, h, j = desk.req("POST", "/api/v1/contacts/%d/forget" % contact, {})
    check(is_error(st, j, 403, "forbidden"), "a desk user gets 403 on forget")

    st, h, j = c.req("POST", "/api/v1/contacts/%d/forget" % contact, {})
    check(st == 200 and j.get("contacts") == 1, "forget the contact: %s" % j)

    # The records that stay are anonymised.
    for did in (deal, deal2):
        st, h, j = c.req("GET", "/api/v1/deals/%d" % did)
        check(st == 200 and FAMILY not in json.dumps(j) and GIVEN not in json.dumps(j),
              "deal %d is anonymised: %s" % (did, j.get("title") if j else j))
    st, h, j = c.req("GET", "/api/v1/leads/%d" % lead)
    check(st == 200 and FAMILY not in json.dumps(j), "the lead is anonymised")
    st, h, j = c.req("GET", "/api/v1/contacts?q=" + FAMILY)
    check(st == 200 and j["total"] == 0, "search finds nothing")

    # The outbox: ids only for the gone contact, anonymised for the rest.
    db = sqlite3.connect(os.path.join(d.state, "greeter.db"), timeout=10)
    hits = []
    for oid, ent, lid, op, state, payload in db.execute(
            "SELECT id, entity, local_id, op, state, payload FROM outbox"):
        hits += found_in(payload.encode(), "outbox row %d (%s %s %s)" % (oid, ent, op, state))
    check(not hits, "no outbox row names the person: %s" % hits)
    dels = db.execute("SELECT payload FROM outbox WHERE entity='contact' AND local_id=? AND op='delete'",
                      (contact,)).fetchall()
    check(len(dels) == 1 and json.loads(dels[0][0]) == {"id": contact, "forgotten": True},
          "the queued delete carries ids only: %s" % dels)
    pending = db.execute("SELECT count(*) FROM outbox WHERE entity='contact' AND local_id=? AND state='pending' "
                         "AND op<>'delete'", (contact,)).fetchone()[0]
    check(pending == 0, "no unsent upsert of the forgotten contact is left to send")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()

    # The file itself (and what is left of the WAL).
    blob = b""
    for name in ("greeter.db", "greeter.db-wal"):
        p = os.path.join(d.state, name)
        if os.path.exists(p):
            blob += open(p, "rb").read()
    hits = found_in(blob, "greeter.db")
    check(not hits, "the database file holds nothing of the person: %s" % hits)

    # The log ring and greeterd's output.
    st, h, j = c.req("GET", "/api/v1/logs?limit=500")
    check(st == 200 and len(j["items"]) > 5, "the log ring answers")
    hits = found_in(json.dumps(j, ensure_ascii=False).encode(), "/api/v1/logs")
    check(not hits, "no log line names the person: %s" % hits)
    hits = found_in(d.log().encode(), "greeterd's output")
    check(not hits, "greeterd's output names nothing of the person: %s" % hits)


def main():
    tmp = tempfile.mkdtemp(prefix="greeter-web-forget-")
    d = Daemon(tmp, "--log.level=debug")
    try:
        run(d)
    finally:
        rc = d.stop()
        check(rc == 0, "greeterd exits 0 on SIGTERM (got %s)" % rc)
        if FAILS:
            print(d.log()[-4000:])
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILS:
        print("%d failures" % len(FAILS))
        sys.exit(1)
    print("web forget test ok")


if __name__ == "__main__":
    main()
