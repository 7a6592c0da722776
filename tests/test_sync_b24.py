#!/usr/bin/env python3
"""Sync to Bitrix24 against tests/b24server (through the universal crm.item.*
methods): fields, idempotency, duplicates
across boards, updates, deletes, dead letters, pause on 401, recovery after
faults, restarts of greeterd, and the secret never showing up in logs."""
import base64
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "b24server"))
import harness as h  # noqa: E402

h.require_build()
FAST = ["--sync.rate=25"]


def one(dump, entity, origin):
    hits = [r for r in dump["records"][entity] if r.get("ORIGIN_ID") == origin]
    assert len(hits) == 1, "%s %s on the server %d times" % (entity, origin, len(hits))
    return hits[0]


def values(rec, kind):
    return sorted(x["VALUE"] for x in rec.get(kind) or [])


def test_fields_and_links(srv, batch):
    b = h.Board("dev-%s" % batch, FAST + ["--sync.batch=%s" % batch, "--sync.visit_source=WEB",
                                         "--device.name=Booth 7"])
    os.makedirs(os.path.join(b.dir, "photos"))
    os.makedirs(os.path.join(b.dir, "snapshots"))
    jpeg = b"\xff\xd8\xff\xe0fakejpeg\xff\xd9"
    open(os.path.join(b.dir, "photos", "ann.jpg"), "wb").write(jpeg)
    open(os.path.join(b.dir, "snapshots", "v1.jpg"), "wb").write(jpeg + b"snap")
    comp = b.add_company("Acme %s" % batch)
    ann = b.add_contact("Ann", "Lee", emails=["ann-%s@acme.com" % batch], phones=["+49 30 555 %s" % len(batch)],
                        title="CTO", company_id=comp, photo="ann.jpg")
    card = b.add_lead("Card: Bob", "card_scan", {"given_name": "Bob", "family_name": "Ray", "company": "X",
                                                  "emails": ["bob-%s@x.com" % batch]})
    face = b.add_lead("Visitor #3", "face_visit", {})
    v1 = b.add_visit(contact_id=ann, label="Ann Lee", snapshot="v1.jpg")
    deal = b.convert_lead(card, "Card: Bob", ann, "Deal Bob")
    rc, out, err = b.sync_once(srv.url)
    assert rc == 0, (out, err)
    assert out["pending"] == 0 and out["dead"] == 0, out
    d = srv.dump()
    dev = b.device
    c = one(d, "company", "%s:company:%d" % (dev, comp))
    a = one(d, "contact", "%s:contact:%d" % (dev, ann))
    assert a["ORIGINATOR_ID"] == "greeter"
    assert (a["NAME"], a["LAST_NAME"], a["POST"]) == ("Ann", "Lee", "CTO"), a
    assert str(a["COMPANY_ID"]) == str(c["ID"]), (a, c)
    assert values(a, "EMAIL") == ["ann-%s@acme.com" % batch]
    assert a["PHOTO"]["fileData"] == ["ann.jpg", base64.b64encode(jpeg).decode()], a["PHOTO"]
    lead = one(d, "lead", "%s:lead:%d" % (dev, card))
    assert lead["SOURCE_ID"] == "TRADE_SHOW" and lead["STATUS_ID"] == "CONVERTED", lead
    assert lead["NAME"] == "Bob" and lead["COMPANY_TITLE"] == "X"
    assert str(lead["CONTACT_ID"]) == str(a["ID"])
    fl = one(d, "lead", "%s:lead:%d" % (dev, face))
    assert fl["SOURCE_ID"] == "WEB" and fl["STATUS_ID"] == "NEW", fl
    dl = one(d, "deal", "%s:deal:%d" % (dev, deal))
    assert dl["TITLE"] == "Deal Bob" and str(dl["CONTACT_ID"]) == str(a["ID"]) and str(dl["LEAD_ID"]) == str(lead["ID"])
    cm = [x for x in d["comments"] if "[greeter:%s:visit:%d]" % (dev, v1) in x["COMMENT"]]
    assert len(cm) == 1 and cm[0]["ENTITY_TYPE"] == "contact" and str(cm[0]["ENTITY_ID"]) == str(a["ID"]), cm
    assert "Booth 7" in cm[0]["COMMENT"] and "Ann Lee" in cm[0]["COMMENT"]
    assert cm[0]["FILES"] == [["v1.jpg", base64.b64encode(jpeg + b"snap").decode()]]
    assert b.remote_id("contact", ann) == str(a["ID"])

    # An edit: exactly the new phones/e-mails, the photo not sent again.
    before = srv.state()["calls"]
    p = b.contact_payload(ann, "Ann", "Lee-Smith", ["ann2-%s@acme.com" % batch], ["+49 30 999"], "CEO", comp,
                          "ann.jpg")
    b.update_contact(ann, p)
    rc, out, err = b.sync_once(srv.url)
    assert rc == 0, (out, err)
    a = one(srv.dump(), "contact", "%s:contact:%d" % (dev, ann))
    assert a["LAST_NAME"] == "Lee-Smith" and a["POST"] == "CEO", a
    assert values(a, "EMAIL") == ["ann2-%s@acme.com" % batch], a
    assert values(a, "PHONE") == ["+49 30 999"], a
    # an update, not a second add; through the universal methods only
    calls = srv.state()["calls"]
    assert calls.get("crm.item.add", 0) == before.get("crm.item.add", 0), (before, calls)
    assert calls.get("crm.item.update", 0) > before.get("crm.item.update", 0), (before, calls)
    assert not [m for m in calls if re.match(r"^crm\.(contact|company|lead|deal)\.(add|update|get|delete)$", m)], calls

    # Nothing pending: a second run writes nothing (one pull of changed contacts).
    c0 = srv.state()["calls"]
    rc, out, _ = b.sync_once(srv.url)
    c1 = srv.state()["calls"]
    assert rc == 0 and out["requests"] == 1 and out["delivered"] == 0, out
    assert {k: v for k, v in c1.items() if k != "crm.item.list"} == \
        {k: v for k, v in c0.items() if k != "crm.item.list"}, (c0, c1)

    # Delete travels.
    b.delete_contact(ann)
    rc, out, err = b.sync_once(srv.url)
    assert rc == 0, (out, err)
    assert not [r for r in srv.dump()["records"]["contact"] if r.get("ORIGIN_ID") == "%s:contact:%d" % (dev, ann)]
    assert b.remote_id("contact", ann) is None
    print("fields/links/update/delete ok (batch=%s)" % batch)


def test_owner_mapping(srv):
    """sync.bitrix24_users: a mapped responsible user arrives as ASSIGNED_BY_ID
    (UF_CRM_GR_OWNER too); an unmapped one only in UF_CRM_GR_OWNER."""
    b = h.Board("owner-dev", FAST + ["--sync.bitrix24_users=anna=12, bob=7"])
    ids = {}
    for who in ("anna", "carl"):
        lid = b.add_lead("Lead of %s" % who)
        cur = b.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        b._enqueue(cur, "lead", lid, "upsert", {"id": lid, "title": "Lead of %s" % who, "status": "NEW",
                                                "source": "card_scan", "data": {}, "assigned_to": who})
        cur.execute("COMMIT")
        ids[who] = lid
    rc, out, err = b.sync_once(srv.url)
    assert rc == 0 and out["pending"] == 0 and out["dead"] == 0, (out, err)
    d = srv.dump()
    anna = one(d, "lead", "owner-dev:lead:%d" % ids["anna"])
    assert str(anna.get("ASSIGNED_BY_ID")) == "12" and anna.get("UF_CRM_GR_OWNER") == "anna", anna
    carl = one(d, "lead", "owner-dev:lead:%d" % ids["carl"])
    assert str(carl.get("ASSIGNED_BY_ID")) != "12" and carl.get("UF_CRM_GR_OWNER") == "carl", carl
    p = h.subprocess.run([os.path.join(h.BUILD, "greeter"), "--storage.dir=" + b.dir, "--sync.bitrix24_users=anna",
                          "sync", "status"], capture_output=True, text=True, timeout=60)
    assert p.returncode != 0 and "bitrix24_users" in p.stderr, (p.returncode, p.stderr)


def test_two_boards_one_person(srv):
    a = h.Board("booth-a", FAST)
    b = h.Board("booth-b", FAST)
    ca = a.add_contact("Eve", "Stone", emails=["Eve@Shared.example"], phones=["+1 555 0100"])
    cb = b.add_contact("Eve", "Stone", emails=["eve@shared.example"])  # same e-mail, other case
    cb2 = b.add_contact("Eve", "S.", phones=["+1 (555) 0100"])  # same phone, other spelling
    assert a.sync_once(srv.url)[0] == 0
    assert b.sync_once(srv.url)[0] == 0
    d = srv.dump()
    eves = [r for r in d["records"]["contact"] if r.get("NAME") == "Eve"]
    assert len(eves) == 1, eves
    assert a.remote_id("contact", ca) == b.remote_id("contact", cb) == b.remote_id("contact", cb2) == str(eves[0]["ID"])
    print("two boards, one person ok")


def test_interrupted_send(srv):
    """A row sent but not recorded (SIGKILL between reply and commit) is
    found by ORIGIN_ID / its comment marker instead of being sent twice."""
    b = h.Board("crash-dev", FAST)
    cid = b.add_contact("Kim", "Park", phones=["+82 2 1234"])
    vid = b.add_visit(contact_id=cid, label="Kim")
    assert b.sync_once(srv.url)[0] == 0
    # Now the same situation for a lead and a visit whose requests went out:
    lid = b.add_lead("Card: Kim", "card_scan", {})
    v2 = b.add_visit(contact_id=cid, label="Kim again")
    srv.call("crm.lead.add", {"fields": {"TITLE": "Card: Kim", "ORIGINATOR_ID": "greeter",
                                         "ORIGIN_ID": "crash-dev:lead:%d" % lid}})
    srv.call("crm.timeline.comment.add", {"fields": {"ENTITY_TYPE": "contact",
                                                     "ENTITY_ID": b.remote_id("contact", cid),
                                                     "COMMENT": "Visit. [greeter:crash-dev:visit:%d]" % v2}})
    b.db.execute("UPDATE outbox SET attempts=1 WHERE state='pending'")
    rc, out, err = b.sync_once(srv.url)
    assert rc == 0, (out, err)
    d = srv.dump()
    one(d, "lead", "crash-dev:lead:%d" % lid)
    assert len([c for c in d["comments"] if "[greeter:crash-dev:visit:%d]" % v2 in c["COMMENT"]]) == 1
    assert len([c for c in d["comments"] if "[greeter:crash-dev:visit:%d]" % vid in c["COMMENT"]]) == 1
    print("interrupted send ok")


def test_dead_letters(srv):
    b = h.Board("dead-dev", FAST)
    good1 = b.add_contact("Good", "One", emails=["g1@x.com"])
    bad = b.add_contact("Bad", "Mail", emails=["no-at-sign"])
    good2 = b.add_lead("Card: fine", "card_scan", {})
    rc, out, err = b.sync_once(srv.url)
    assert rc == 0 and out["dead"] == 1 and out["pending"] == 0, out
    st = b.status()
    assert st["dead"] == 1 and st["dead_rows"][0]["local_id"] == bad
    assert "no-at-sign" in st["dead_rows"][0]["last_error"] and "invalid" in st["dead_rows"][0]["last_error"], st
    d = srv.dump()
    one(d, "contact", "dead-dev:contact:%d" % good1)
    one(d, "lead", "dead-dev:lead:%d" % good2)
    # Fixed by a later edit, then retried: delivered.
    b.update_contact(bad, b.contact_payload(bad, "Bad", "Mail", ["fixed@x.com"]))
    out = json.loads(b.run_cli("sync", "retry-dead").stdout)
    assert out["requeued"] == 1
    rc, out, err = b.sync_once(srv.url)
    # the old (still bad) snapshot dies again, the fixed one gets through
    c = one(srv.dump(), "contact", "dead-dev:contact:%d" % bad)
    assert values(c, "EMAIL") == ["fixed@x.com"], c
    print("dead letters ok")


def test_faults(srv):
    b = h.Board("fault-dev", FAST + ["--sync.timeout_s=2"])
    ids = [b.add_contact("F%d" % i, "Fault", emails=["f%d@x.com" % i]) for i in range(5)]
    for fault, msg in (("503", "QUERY_LIMIT_EXCEEDED"), ("500", "INTERNAL_SERVER_ERROR"), ("drop", "network"),
                       ("slow", "network")):
        srv.control(fault=fault, count=-1, slow_s=4)
        rc, out, err = b.sync_once(srv.url)
        assert rc == 1 and out["pending"] == 5, (fault, out, err)
        assert msg in out["last_error"], (fault, out)
        srv.control(fault=None)
    srv.control(down=True)
    rc, out, err = b.sync_once(srv.url)
    assert rc == 1 and "network" in out["last_error"], out
    srv.control(down=False)
    # Faults on only some requests: retries deliver everything exactly once.
    srv.control(fault="500", count=2)
    for _ in range(5):
        rc, out, err = b.sync_once(srv.url)
        if rc == 0:
            break
    assert rc == 0 and out["pending"] == 0, out
    d = srv.dump()
    for i in ids:
        one(d, "contact", "fault-dev:contact:%d" % i)
    print("faults ok")


def test_auth_pause_daemon(srv):
    b = h.Board("auth-dev", FAST + ["--sync.backoff_max_s=1"])
    cid = b.add_contact("Pat", "Auth", emails=["pat@x.com"])
    srv.control(fault="401", count=-1)
    log = open(os.path.join(b.dir, "daemon.log"), "w")
    b.start(srv.url, log)
    try:
        for _ in range(100):
            st = b.status()
            if st["paused"]:
                break
            time.sleep(0.1)
        assert st["paused"] and "expired" in st["last_error"] and st["pending"] == 1, st
        srv.control(fault=None)
        for _ in range(100):
            st = b.status()
            if st["pending"] == 0:
                break
            time.sleep(0.1)
        assert st["pending"] == 0 and not st["paused"] and st["last_error"] == "", st
        one(srv.dump(), "contact", "auth-dev:contact:%d" % cid)
        # the daemon delivers new changes on its own
        c2 = b.add_contact("Pat", "Two", emails=["pat2@x.com"])
        for _ in range(100):
            if b.remote_id("contact", c2):
                break
            time.sleep(0.1)
        assert b.remote_id("contact", c2)
        # `sync once` refuses to race the running agent
        rc, out, err = b.sync_once(srv.url)
        assert rc == 3 and "running" in err, (rc, err)
    finally:
        b.kill(15)
    log.close()
    text = open(os.path.join(b.dir, "daemon.log")).read()
    assert h.TOKEN not in text, "the webhook secret appeared in the log"
    assert "sync paused" in text
    print("auth pause ok")


def test_url_rules():
    b = h.Board("url-dev")
    b.add_contact("U", "R", emails=["u@x.com"])
    rc, out, err = b.sync_once("http://example.com/rest/1/s3cr3t/")
    assert rc == 2 and "https" in err and "s3cr3t" not in err, err
    st = b.status()
    assert st["pending"] == 1 and st["configured"] is False
    print("url rules ok")


def main():
    srv = h.Server(rate=25, capacity=50)
    try:
        test_url_rules()
        test_fields_and_links(srv, "true")
        test_fields_and_links(srv, "false")
        test_owner_mapping(srv)
        test_two_boards_one_person(srv)
        test_interrupted_send(srv)
        test_dead_letters(srv)
        test_faults(srv)
        test_auth_pause_daemon(srv)
        st = srv.state()
        assert st["breaches"] == 0, st
    finally:
        srv.stop()
    print("sync b24 ok")


if __name__ == "__main__":
    main()
