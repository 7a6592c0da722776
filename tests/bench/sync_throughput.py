#!/usr/bin/env python3
"""Worker of sync_throughput.sh: a mix of half contacts (e-mail + phone, so
each needs two duplicate look-ups before its add) and half leads, delivered
by `greeter sync once` at the real 2 req/s limit."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "b24server"))
import harness as h  # noqa: E402


def run(srv, n, batch):
    b = h.Board("bench-%s" % batch, ["--sync.batch=%s" % batch])
    for i in range(n // 2):
        b.add_contact("G%d" % i, "F%d" % i, emails=["b%d-%s@x.com" % (i, batch)], phones=["+1 555 %04d %s" % (i, batch == "true")])
        b.add_lead("Lead %d" % i, "card_scan", {})
    r0 = srv.state()["requests"]
    t0 = time.monotonic()
    rc, out, err = b.sync_once(srv.url)
    dt = time.monotonic() - t0
    st = srv.state()
    assert rc == 0 and out["pending"] == 0, (out, err)
    print(json.dumps({"batch": batch == "true", "records": n, "seconds": round(dt, 1),
                      "records_per_s": round(n / dt, 2), "requests": st["requests"] - r0,
                      "breaches": st["breaches"]}), flush=True)


def main():
    h.require_build()
    srv = h.Server(rate=2, capacity=50)
    try:
        run(srv, int(sys.argv[1]), "false")
        time.sleep(2)
        run(srv, int(sys.argv[2]), "true")
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
