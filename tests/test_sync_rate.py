#!/usr/bin/env python3
"""The real limit: at Bitrix24's 2 requests/s (bucket of 50) and the default
sync.rate, a backlog larger than the bucket is delivered without a single
503 QUERY_LIMIT_EXCEEDED, with and without batch. The test server's bucket
itself is checked too: an unthrottled burst does get blocked (so "no breach"
means something). Bounded: ~40 s."""
import concurrent.futures
import os
import sys
import time
import urllib.error

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "b24server"))
import harness as h  # noqa: E402

h.require_build()


def main():
    srv = h.Server(rate=2, capacity=50)
    try:
        # 1. Without batch: 60 leads = 60 calls, more than the bucket holds.
        b = h.Board("rate-a", ["--sync.batch=false"])
        for i in range(60):
            b.add_lead("Lead %d" % i, "card_scan", {})
        t0 = time.monotonic()
        rc, out, err = b.sync_once(srv.url)
        took = time.monotonic() - t0
        st = srv.state()
        assert rc == 0 and out["pending"] == 0, (out, err)
        assert st["breaches"] == 0, st
        assert st["calls"]["crm.item.add"] == 60 and st["requests"] <= 61, st  # + one contact pull (crm.item.list)
        assert took >= st["requests"] / 2.0 - 1.5, "faster than 2 req/s: %.1f s" % took
        assert st["max_level"] <= 3.5, st
        print("no batch: 60 records in %.1f s (%.2f records/s), max bucket level %.1f" % (took, 60 / took,
                                                                                        st["max_level"]))
        # 2. With batch: 150 leads in a handful of calls.
        b2 = h.Board("rate-b")
        for i in range(150):
            b2.add_lead("Lead %d" % i, "card_scan", {})
        n0 = st["requests"]
        t0 = time.monotonic()
        rc, out, err = b2.sync_once(srv.url)
        took = time.monotonic() - t0
        st = srv.state()
        assert rc == 0 and out["pending"] == 0, (out, err)
        assert st["breaches"] == 0 and st["calls"]["batch"] == 3 and st["requests"] - n0 <= 4, st
        print("batch: 150 records in %.1f s with %d calls" % (took, st["requests"] - n0))
        # 3. The server's bucket works: 80 unthrottled calls get blocked.
        blocked = 0

        def hit(_):
            try:
                srv.call("crm.lead.list", {"start": -1})
                return 0
            except urllib.error.HTTPError as e:
                return 1 if e.code == 503 else 0
        with concurrent.futures.ThreadPoolExecutor(8) as ex:
            blocked = sum(ex.map(hit, range(80)))
        assert blocked > 0 and srv.state()["breaches"] == blocked, (blocked, srv.state())
        print("server bucket blocks bursts: %d of 80 refused" % blocked)
    finally:
        srv.stop()
    print("sync rate ok")


if __name__ == "__main__":
    main()
