#!/usr/bin/env python3
"""Fleet: a visitor enrolled (with consent) at booth A is known at booth B.
A's contact carries its face templates in UF_CRM_GREETER_FACES (the field is
created when missing); B pulls contacts changed since its last pull and gets
a local contact, linked to the same CRM record, with a known face identity
holding the same templates (source 'sync') and no outbox echo. Withdrawn
consent and erasure at A remove the templates at B. A malformed field from
the CRM is ignored, not fatal."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "b24server"))
import harness as h  # noqa: E402

h.require_build()
FAST = ["--sync.rate=25"]


def descriptor(seed):
    return struct.pack("<128f", *[(seed * 131 + i) % 97 / 97.0 for i in range(128)])


def enrolled_contact(b, given, family, email, templates, consent=True):
    cur = b.db.cursor()
    cur.execute("BEGIN IMMEDIATE")
    cur.execute("INSERT INTO contacts(given_name, family_name, consent_face) VALUES (?,?,?)",
                (given, family, 1 if consent else 0))
    cid = cur.lastrowid
    cur.execute("INSERT INTO people(label, known, contact_id, consent) VALUES (?,?,?,?)",
                ("%s %s" % (given, family), 1, cid, 1))
    pid = cur.lastrowid
    for i, t in enumerate(templates):
        cur.execute("INSERT INTO face_templates(person_id, descriptor, quality) VALUES (?,?,?)", (pid, t, 1.0 - i / 10))
    payload = h.Board.contact_payload(cid, given, family, [email])
    payload.update({"consent_face": consent, "person_ids": [pid]})
    b._enqueue(cur, "contact", cid, "upsert", payload)
    cur.execute("COMMIT")
    return cid, pid, payload


def main():
    srv = h.Server(rate=25, capacity=50)
    try:
        a = h.Board("booth-a", FAST)
        b = h.Board("booth-b", FAST)
        t1, t2 = descriptor(1), descriptor(2)
        cid, pid, payload = enrolled_contact(a, "Vera", "Visitor", "vera@fleet.example", [t1, t2])
        other, _, _ = enrolled_contact(a, "No", "Consent", "no@fleet.example", [descriptor(3)], consent=False)
        rc, out, err = a.sync_once(srv.url)
        assert rc == 0, (out, err)
        d = srv.dump()
        assert [u["FIELD_NAME"] for u in d["userfields"]] == ["UF_CRM_GREETER_FACES"], d["userfields"]
        rec = [r for r in d["records"]["contact"] if r.get("NAME") == "Vera"][0]
        assert rec["UF_CRM_GREETER_FACES"].startswith("gf1:") and len(rec["UF_CRM_GREETER_FACES"]) > 1300
        nc = [r for r in d["records"]["contact"] if r.get("NAME") == "No"][0]
        assert nc["UF_CRM_GREETER_FACES"] == "", "templates sent without consent"

        # Booth B pulls: Vera with her templates, nobody else.
        rc, out, err = b.sync_once(srv.url)
        assert rc == 0 and out["pulled"]["added"] == 1, (out, err)
        row = b.db.execute("SELECT c.id, c.given_name, c.family_name, c.consent_face FROM contacts c").fetchall()
        assert len(row) == 1 and row[0][1:] == ("Vera", "Visitor", 1), row
        bcid = row[0][0]
        assert b.remote_id("contact", bcid) == str(rec["ID"])
        ppl = b.db.execute("SELECT id, known, consent FROM people WHERE contact_id=?", (bcid,)).fetchall()
        assert len(ppl) == 1 and ppl[0][1:] == (1, 1), ppl
        tm = b.db.execute("SELECT descriptor, source FROM face_templates WHERE person_id=? ORDER BY id",
                          (ppl[0][0],)).fetchall()
        assert [bytes(x[0]) for x in tm] == [t1, t2] and {x[1] for x in tm} == {"sync"}
        assert b.db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0, "pulled contact echoed to the CRM"
        # A second pull changes nothing; A ignores its own records.
        rc, out, err = b.sync_once(srv.url)
        assert rc == 0 and out["pulled"]["added"] == 0, out
        rc, out, err = a.sync_once(srv.url)
        assert rc == 0 and out["pulled"]["added"] == 0 and out["pulled"]["updated"] == 0, out

        # Consent withdrawn at A: the templates leave B too.
        payload["consent_face"] = False
        cur = a.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        a._enqueue(cur, "contact", cid, "upsert", payload)
        cur.execute("COMMIT")
        assert a.sync_once(srv.url)[0] == 0
        rc, out, err = b.sync_once(srv.url)
        assert rc == 0 and out["pulled"]["cleared"] == 1, out
        assert b.db.execute("SELECT count(*) FROM face_templates").fetchone()[0] == 0

        # Consent again, then erasure at A (the contact is deleted in the CRM).
        payload["consent_face"] = True
        cur.execute("BEGIN IMMEDIATE")
        a._enqueue(cur, "contact", cid, "upsert", payload)
        cur.execute("COMMIT")
        assert a.sync_once(srv.url)[0] == 0
        rc, out, err = b.sync_once(srv.url)
        assert rc == 0 and out["pulled"]["updated"] == 1, out
        assert b.db.execute("SELECT count(*) FROM face_templates").fetchone()[0] == 2
        a.delete_contact(cid)
        assert a.sync_once(srv.url)[0] == 0
        rc, out, err = b.sync_once(srv.url)
        assert rc == 0 and out["pulled"]["cleared"] == 1, out
        assert b.db.execute("SELECT count(*) FROM face_templates").fetchone()[0] == 0

        # Garbage in the field (another tool wrote it): ignored with a warning.
        srv.call("crm.contact.add", {"fields": {"NAME": "Odd", "UF_CRM_GREETER_FACES": "gf1:!!notbase64"}})
        srv.call("crm.contact.add", {"fields": {"NAME": "Short", "UF_CRM_GREETER_FACES": "gf1:AAAA"}})
        rc, out, err = b.sync_once(srv.url)
        assert rc == 0 and out["pulled"]["added"] == 0, (out, err)
        assert "malformed" in err
        assert srv.state()["breaches"] == 0
    finally:
        srv.stop()
    print("sync fleet ok")


if __name__ == "__main__":
    main()
