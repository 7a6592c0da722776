"""harness.py - helpers for the sync integration tests (stdlib only).

Starts tests/b24server/b24server.py, drives its control port, and writes
CRM records the way the CRM code does: the record and its outbox row in one
SQLite transaction (the payload is the record's JSON snapshot).
"""
import atexit
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("GREETER_BUILD_DIR", "")
TOKEN = "t0ken"


def skip(why):
    print("SKIP: " + why)
    sys.exit(77)


class Server:
    def __init__(self, rate=2.0, capacity=50.0):
        self.tmp = tempfile.mkdtemp(prefix="b24srv")
        ready = os.path.join(self.tmp, "ready.json")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "b24server.py"), "--token", TOKEN, "--rate", str(rate),
             "--capacity", str(capacity), "--ready-file", ready],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.tmp, "server.log"), "w"))
        for _ in range(100):
            if os.path.exists(ready):
                break
            time.sleep(0.05)
        atexit.register(self.stop)  # also when a test fails half-way
        info = json.load(open(ready))
        self.port, self.cport = info["port"], info["control_port"]
        self.url = "http://127.0.0.1:%d/rest/1/%s/" % (self.port, TOKEN)

    def control(self, **cmd):
        req = urllib.request.Request("http://127.0.0.1:%d/" % self.cport, data=json.dumps(cmd).encode(),
                                     method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)

    def state(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/state" % self.cport, timeout=10) as r:
            return json.load(r)

    def dump(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/dump" % self.cport, timeout=30) as r:
            return json.load(r)

    def call(self, method, params):
        """A direct API call, as another board or a person in the CRM would."""
        req = urllib.request.Request(self.url + method + ".json", data=json.dumps(params).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)["result"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


class Board:
    """A state folder with a database, and the greeter/greeterd programs."""

    def __init__(self, device="board-a", extra=()):
        self.dir = tempfile.mkdtemp(prefix="greeter-sync")
        self.device = device
        self.extra = list(extra)
        self.run_cli("db", "migrate")
        self.db = sqlite3.connect(os.path.join(self.dir, "greeter.db"), timeout=30, isolation_level=None)
        self.db.execute("PRAGMA busy_timeout=30000")
        self.daemon = None
        atexit.register(self.kill)

    def args(self, url):
        return ["--storage.dir=" + self.dir, "--device.id=" + self.device, "--sync.bitrix24_url=" + url] + self.extra

    def run_cli(self, *argv, url="", check=True, timeout=600):
        cmd = [os.path.join(BUILD, "greeter")] + self.args(url) + list(argv)
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError("%s -> %d\n%s%s" % (" ".join(argv), p.returncode, p.stdout, p.stderr))
        return p

    def sync_once(self, url):
        p = self.run_cli("sync", "once", url=url, check=False)
        return p.returncode, (json.loads(p.stdout) if p.stdout.strip() else None), p.stderr

    def status(self):
        return json.loads(self.run_cli("sync", "status").stdout)

    def start(self, url, log):
        self.daemon = subprocess.Popen([os.path.join(BUILD, "greeterd")] + self.args(url) +
                                       ["--camera.source=none", "--web.listen=127.0.0.1:0"],
                                       stdout=log, stderr=log)
        return self.daemon

    def kill(self, sig=signal.SIGKILL):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(sig)
            self.daemon.wait(60)
        self.daemon = None

    # ---- records, each with its outbox row in one transaction ----
    def _enqueue(self, cur, entity, local_id, op, payload):
        cur.execute("INSERT INTO outbox(entity, local_id, op, payload) VALUES (?,?,?,?)",
                    (entity, local_id, op, json.dumps(payload)))

    def add_contact(self, given, family, emails=(), phones=(), title="", company_id=None, photo=None):
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("INSERT INTO contacts(given_name, family_name, title, photo) VALUES (?,?,?,?)",
                    (given, family, title, photo))
        cid = cur.lastrowid
        for e in emails:
            cur.execute("INSERT INTO contact_values(contact_id, kind, value, norm) VALUES (?,?,?,?)",
                        (cid, "email", e, e.lower()))
        for p in phones:
            cur.execute("INSERT INTO contact_values(contact_id, kind, value, norm) VALUES (?,?,?,?)",
                        (cid, "phone", p, "".join(ch for ch in p if ch.isdigit() or ch == "+")))
        payload = self.contact_payload(cid, given, family, emails, phones, title, company_id, photo)
        self._enqueue(cur, "contact", cid, "upsert", payload)
        cur.execute("COMMIT")
        return cid

    @staticmethod
    def contact_payload(cid, given, family, emails=(), phones=(), title="", company_id=None, photo=None):
        return {"id": cid, "given_name": given, "family_name": family, "title": title,
                "company_id": company_id, "phones": [{"number": p, "type": "work"} for p in phones],
                "emails": list(emails), "websites": [], "address": "", "consent_face": False, "photo": photo}

    def update_contact(self, cid, payload):
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("UPDATE contacts SET given_name=?, family_name=? WHERE id=?",
                    (payload["given_name"], payload["family_name"], cid))
        self._enqueue(cur, "contact", cid, "upsert", payload)
        cur.execute("COMMIT")

    def delete_contact(self, cid):
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("DELETE FROM contacts WHERE id=?", (cid,))
        self._enqueue(cur, "contact", cid, "delete", {"id": cid})
        cur.execute("COMMIT")

    def add_company(self, title):
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("INSERT INTO companies(title) VALUES (?)", (title,))
        cid = cur.lastrowid
        self._enqueue(cur, "company", cid, "upsert", {"id": cid, "title": title, "website": "", "address": ""})
        cur.execute("COMMIT")
        return cid

    def add_lead(self, title, source="card_scan", data=None, contact_id=None, status="NEW"):
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("INSERT INTO leads(title, status, source, contact_id, data) VALUES (?,?,?,?,?)",
                    (title, status, source, contact_id, json.dumps(data or {})))
        lid = cur.lastrowid
        self._enqueue(cur, "lead", lid, "upsert", {"id": lid, "title": title, "status": status, "source": source,
                                                   "contact_id": contact_id, "data": data or {}})
        cur.execute("COMMIT")
        return lid

    def convert_lead(self, lid, title, contact_id, deal_title):
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("UPDATE leads SET status='CONVERTED', contact_id=? WHERE id=?", (contact_id, lid))
        self._enqueue(cur, "lead", lid, "convert", {"id": lid, "title": title, "status": "CONVERTED",
                                                    "source": "card_scan", "contact_id": contact_id, "data": {}})
        cur.execute("INSERT INTO deals(title, contact_id, lead_id) VALUES (?,?,?)", (deal_title, contact_id, lid))
        did = cur.lastrowid
        self._enqueue(cur, "deal", did, "upsert", {"id": did, "title": deal_title, "stage": "NEW",
                                                   "contact_id": contact_id, "lead_id": lid, "amount": 0,
                                                   "currency": "EUR"})
        cur.execute("COMMIT")
        return did

    def add_visit(self, contact_id=None, lead_id=None, label="Visitor", snapshot=None):
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("INSERT INTO people(label, known, contact_id) VALUES (?,?,?)", (label, 1, contact_id))
        pid = cur.lastrowid
        cur.execute("INSERT INTO visits(person_id, started_at, snapshot) VALUES (?,?,?)",
                    (pid, "2026-11-27T10:00:00Z", snapshot))
        vid = cur.lastrowid
        self._enqueue(cur, "visit", vid, "comment", {"id": vid, "person_id": pid, "contact_id": contact_id,
                                                     "lead_id": lead_id, "label": label,
                                                     "started_at": "2026-11-27T10:00:00Z", "snapshot": snapshot,
                                                     "is_new": False})
        cur.execute("COMMIT")
        return vid

    def outbox(self):
        return self.db.execute("SELECT id, entity, local_id, op, state, attempts, last_error FROM outbox "
                               "ORDER BY id").fetchall()

    def remote_id(self, entity, local_id):
        r = self.db.execute("SELECT remote_id FROM remote_ids WHERE target='bitrix24' AND entity=? AND local_id=?",
                            (entity, local_id)).fetchone()
        return r[0] if r else None


def require_build():
    if not BUILD or not os.path.exists(os.path.join(BUILD, "greeter")):
        skip("GREETER_BUILD_DIR has no greeter program")
