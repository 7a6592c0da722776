#!/usr/bin/env python3
"""Bitrix24's per-method execution-time budget (issue 15): the portal blocks
a method for everyone once it has run more than 480 s in its window, and
says in every reply how much it has used (time.operating). Against
tests/b24server, with each call charged 60 s and a 20 s window:

1. the sync agent reads time.operating, slows down and waits for the window
   to end before the portal would block crm.item.add: 24 leads (about three
   windows' worth of calls) arrive, each exactly once, with no block;
2. the server's budget is real: the same calls sent without waiting are
   blocked with 429 OPERATION_TIME_LIMIT;
3. when the portal has already blocked the method (another client used it
   up), the agent's records stay queued, nothing is lost or sent twice, and
   they arrive once the window has ended.

Also checks that contacts, companies, leads and deals go through crm.item.*
and none through the deprecated crm.<entity>.* writes. Bounded: ~90 s."""
import os
import sys
import time
import urllib.error

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "b24server"))
import harness as h  # noqa: E402

h.require_build()
FAST = ["--sync.rate=25", "--sync.batch=false"]
COST, LIMIT, WINDOW = 60, 480, 20


def leads_by_origin(srv, device):
    seen = {}
    for r in srv.dump()["records"]["lead"]:
        o = r.get("ORIGIN_ID") or ""
        if o.startswith(device + ":"):
            seen[o] = seen.get(o, 0) + 1
    return seen


def main():
    srv = h.Server(rate=50, capacity=500)
    try:
        srv.control(op_cost=COST, op_limit=LIMIT, op_window=WINDOW)
        # 1. The agent keeps under the budget.
        b = h.Board("budget-a", FAST)
        n = 24
        for i in range(n):
            b.add_lead("Lead %d" % i, "card_scan", {"given_name": "G%d" % i})
        t0 = time.monotonic()
        rc, out, err = b.sync_once(srv.url)
        took = time.monotonic() - t0
        st = srv.state()
        assert rc == 0 and out["pending"] == 0 and out["dead"] == 0, (rc, out, err)
        assert st["op_blocks"] == 0, st
        seen = leads_by_origin(srv, "budget-a")
        assert len(seen) == n and set(seen.values()) == {1}, seen
        assert st["calls"].get("crm.item.add", 0) == n, st["calls"]
        for old in ("crm.lead.add", "crm.lead.update", "crm.contact.add", "crm.company.add", "crm.deal.add"):
            assert old not in st["calls"], st["calls"]
        # 24 calls at 60 s each fill three 480 s budgets: at least two windows' wait
        assert took >= 2 * WINDOW - 2, "did not slow down: %.1f s" % took
        assert "slowing down" in err or "slow" in err.lower() or took >= 2 * WINDOW - 2
        print("agent: %d leads in %.1f s, no OPERATION_TIME_LIMIT" % (n, took))

        # 2. The budget is real: the same calls without waiting get blocked.
        srv.control(reset=True)
        srv.control(op_cost=COST, op_limit=LIMIT, op_window=WINDOW)
        blocked = 0
        for i in range(12):
            try:
                srv.call("crm.item.add", {"entityTypeId": 1, "fields": {"title": "raw %d" % i}})
            except urllib.error.HTTPError as e:
                assert e.code == 429 and b"OPERATION_TIME_LIMIT" in e.read(), e
                blocked += 1
        assert blocked >= 3 and srv.state()["op_blocks"] == blocked, (blocked, srv.state())
        print("server: %d of 12 unthrottled calls blocked" % blocked)

        # 3. Already blocked when the agent comes: nothing lost, nothing twice.
        b2 = h.Board("budget-b", FAST)
        for i in range(5):
            b2.add_lead("Late %d" % i, "card_scan", {})
        rc, out, err = b2.sync_once(srv.url)
        assert out is not None and out["pending"] + len(leads_by_origin(srv, "budget-b")) == 5, (rc, out, err)
        assert out["pending"] > 0, "the portal was blocked: something must wait (%s)" % out
        assert out["dead"] == 0, out
        time.sleep(WINDOW + 1)
        rc, out, err = b2.sync_once(srv.url)
        assert rc == 0 and out["pending"] == 0 and out["dead"] == 0, (rc, out, err)
        seen = leads_by_origin(srv, "budget-b")
        assert len(seen) == 5 and set(seen.values()) == {1}, seen
        print("blocked portal: 5 leads queued, then delivered once each")
    finally:
        srv.stop()
    print("sync budget ok")


if __name__ == "__main__":
    main()
