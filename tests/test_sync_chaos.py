#!/usr/bin/env python3
"""Chaos: 1,000 contacts, leads and visits (plus edits) are created while
the Bitrix24 test server flaps (503, 500, dropped connections, slow replies,
down), greeterd is killed with SIGKILL at random points at least 20 times
(restarting with batch on or off at random), and the server is down for a
"simulated day" (its clock jumps 24 h while records queue up and the agent
backs off). Afterwards every record is on the server exactly once with its
latest fields, every visit is one comment on the right contact, nothing is
dead, and no request broke the server's rate limit.

Time is compressed: sync.rate 20 req/s against a bucket draining 20 req/s
(capacity 50), sync.backoff_max_s 1. Records are written the way the CRM
code writes them: the row and its outbox row in one SQLite transaction.
Bounded: about 1-2 minutes. CHAOS_SEED fixes the randomness.
"""
import os
import random
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "b24server"))
import harness as h  # noqa: E402

h.require_build()
SEED = int(os.environ.get("CHAOS_SEED", str(int(time.time()))))
rnd = random.Random(SEED)
print("CHAOS_SEED=%d" % SEED, flush=True)

N_RECORDS = 1000
MIN_KILLS = 20
DEADLINE = time.monotonic() + 600


def main():
    srv = h.Server(rate=20, capacity=50)
    board = h.Board("chaos", ["--sync.rate=20", "--sync.backoff_max_s=1", "--sync.timeout_s=3"])
    log = open(os.path.join(board.dir, "daemon.log"), "w")
    expected = {"contact": {}, "lead": {}}
    visits = {}
    done_creating = threading.Event()
    creator_db = h.Board.__new__(h.Board)  # second connection for the creator thread
    creator_db.__dict__.update(board.__dict__)
    import sqlite3
    creator_db.db = sqlite3.connect(os.path.join(board.dir, "greeter.db"), timeout=30, isolation_level=None,
                                    check_same_thread=False)
    creator_db.db.execute("PRAGMA busy_timeout=30000")
    errors = []

    def create():
        try:
            crnd = random.Random(SEED + 1)
            made = 0
            while made < N_RECORDS:
                k = crnd.random()
                if k < 0.45 or not expected["contact"]:
                    i = made
                    emails = ["p%d@chaos.example" % i]
                    phones = ["+49 30 %07d" % i] if crnd.random() < 0.5 else []
                    cid = creator_db.add_contact("Given%d" % i, "Family%d" % i, emails=emails, phones=phones)
                    expected["contact"][cid] = ("Given%d" % i, "Family%d" % i, emails[0])
                elif k < 0.75:
                    lid = creator_db.add_lead("Lead %d" % made, "card_scan" if crnd.random() < 0.5 else "face_visit",
                                              {"given_name": "L%d" % made})
                    expected["lead"][lid] = "Lead %d" % made
                else:
                    cid = crnd.choice(list(expected["contact"]))
                    vid = creator_db.add_visit(contact_id=cid, label="V%d" % made)
                    visits[vid] = cid
                made += 1
                if crnd.random() < 0.08:  # an edit of an earlier contact
                    cid = crnd.choice(list(expected["contact"]))
                    g, f, e = expected["contact"][cid]
                    f = f + "-ed"
                    creator_db.update_contact(cid, h.Board.contact_payload(cid, g, f, [e]))
                    expected["contact"][cid] = (g, f, e)
                time.sleep(crnd.uniform(0, 0.08))
        except Exception as ex:  # reported by the main thread
            errors.append(repr(ex))
        finally:
            done_creating.set()

    def start():
        extra = ["--sync.batch=%s" % ("true" if rnd.random() < 0.6 else "false")]
        board.extra = ["--sync.rate=20", "--sync.backoff_max_s=1", "--sync.timeout_s=3"] + extra
        board.start(srv.url, log)

    kills = 0
    creator = threading.Thread(target=create, daemon=True)
    start()
    creator.start()
    day_done = False
    try:
        while not done_creating.is_set() or kills < MIN_KILLS or not day_done:
            assert time.monotonic() < DEADLINE, "chaos phase ran out of time"
            time.sleep(rnd.uniform(0.3, 1.6))
            r = rnd.random()
            if r < 0.2:
                # Kill while a request is in flight: the server still acts on
                # it, the board never hears the reply (sent, not recorded).
                srv.control(fault="slow", count=1, slow_s=1.0)
                time.sleep(0.5)
                board.kill(signal.SIGKILL)
                kills += 1
                start()
            elif r < 0.55:
                board.kill(signal.SIGKILL)
                kills += 1
                start()
            elif r < 0.85:
                fault = rnd.choice(["503", "500", "drop", "slow"])
                srv.control(fault=fault, count=rnd.randint(1, 3 if fault == "slow" else 15),
                            slow_s=rnd.uniform(0.5, 4))
            else:
                srv.control(down=True)
                time.sleep(rnd.uniform(0.5, 2))
                srv.control(down=False)
            if not day_done and kills >= 6:
                # The simulated day: the server is down, its clock jumps a
                # day, records keep queueing, and greeterd is killed meanwhile.
                done_before = board.db.execute("SELECT count(*) FROM outbox WHERE state='done'").fetchone()[0]
                print("before the day down: %d rows delivered, %d SIGKILLs" % (done_before, kills), flush=True)
                srv.control(down=True, advance_s=86400)
                t_end = time.monotonic() + 12
                while time.monotonic() < t_end:
                    time.sleep(rnd.uniform(1, 3))
                    board.kill(signal.SIGKILL)
                    kills += 1
                    start()
                pend = board.status()["pending"]
                print("during the day down: %d rows pending" % pend, flush=True)
                assert pend > 0
                srv.control(down=False)
                day_done = True
        assert not errors, errors
        srv.control(fault=None)
        srv.control(down=False)
        print("chaos phase over: %d SIGKILLs; draining" % kills, flush=True)
        t0 = time.monotonic()
        while True:
            st = board.status()
            if st["pending"] == 0:
                break
            assert time.monotonic() - t0 < 240, "not drained: %r" % st
            time.sleep(0.5)
        board.kill(signal.SIGTERM)
    finally:
        board.kill(signal.SIGKILL)
        log.close()

    st = board.status()
    assert st["dead"] == 0, st["dead_rows"][:5]
    d = srv.dump()
    s = srv.state()
    by_origin = {}
    for ent in ("contact", "lead"):
        for r in d["records"][ent]:
            by_origin.setdefault((ent, r.get("ORIGIN_ID")), []).append(r)
    for cid, (g, f, e) in expected["contact"].items():
        recs = by_origin.get(("contact", "chaos:contact:%d" % cid), [])
        assert len(recs) == 1, "contact %d on the server %d times" % (cid, len(recs))
        r = recs[0]
        assert (r["NAME"], r["LAST_NAME"]) == (g, f), (cid, r)
        assert [x["VALUE"] for x in r["EMAIL"]] == [e], (cid, r["EMAIL"])
    for lid, title in expected["lead"].items():
        recs = by_origin.get(("lead", "chaos:lead:%d" % lid), [])
        assert len(recs) == 1, "lead %d on the server %d times" % (lid, len(recs))
        assert recs[0]["TITLE"] == title and recs[0]["ORIGINATOR_ID"] == "greeter"
    assert len(d["records"]["contact"]) == len(expected["contact"])
    assert len(d["records"]["lead"]) == len(expected["lead"])
    marks = {}
    for c in d["comments"]:
        m = c["COMMENT"].rsplit("[greeter:chaos:visit:", 1)
        if len(m) == 2:
            marks.setdefault(int(m[1].rstrip("]")), []).append(c)
    for vid, cid in visits.items():
        cs = marks.get(vid, [])
        assert len(cs) == 1, "visit %d commented %d times" % (vid, len(cs))
        assert str(cs[0]["ENTITY_ID"]) == board.remote_id("contact", cid)
    assert len(d["comments"]) == len(visits)
    assert s["breaches"] == 0, "rate limit broken: %r" % s
    text = open(os.path.join(board.dir, "daemon.log")).read()
    assert h.TOKEN not in text
    rows = board.db.execute("SELECT count(*), sum(attempts) FROM outbox").fetchone()
    found = text.count("found by ORIGIN_ID after an interrupted send")
    print("chaos ok: %d records + %d edits, %d SIGKILLs, %d requests, max bucket level %.1f/50, "
          "%d attempts for %d rows, %d records found by ORIGIN_ID after a lost reply"
          % (len(expected["contact"]) + len(expected["lead"]) + len(visits), rows[0] - N_RECORDS, kills,
             s["requests"], s["max_level"], rows[1], rows[0], found))
    srv.stop()


if __name__ == "__main__":
    main()
