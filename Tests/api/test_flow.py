"""The appliance's flow over HTTP: a lot created through the API is printed by print-on-create (the
Swift side decodes the printed label), a scan posted to /scan at the kiosk lands in a sale, and
/events delivers both, to this license's stream only.

Usage: test_flow.py FIXTURE.json OUT.json  (OUT gets the lot's id for the Swift side to find on the label)
"""

import http.client
import json
import sys
import threading
import time

from client import Checks, Fixture, id_of
import v2024


def read_events(fixture, sid, into, stop):
    """Reads /events (server-sent events) until `stop` is set, appending (event, id, data) tuples."""
    connection = http.client.HTTPConnection(fixture.client.host, fixture.client.port, timeout=30)
    connection.request("GET", "/events", headers={"Authorization": "Bearer " + v2024.session_token(sid),
                                                  "Accept": "text/event-stream"})
    reply = connection.getresponse()
    into.append(("status", reply.status, reply.getheader("content-type", "")))
    event, ident, data = None, None, None
    while not stop.is_set():
        line = reply.fp.readline()
        if not line:
            break
        line = line.decode("utf-8").rstrip("\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("id: "):
            ident = line[4:]
        elif line.startswith("data: "):
            data = line[6:]
        elif line == "" and event:
            into.append((event, ident, json.loads(data) if data else None))
            event, ident, data = None, None, None
    connection.close()


def wait_for(events, predicate, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(predicate(entry) for entry in list(events)):
            return True
        time.sleep(0.1)
    return False


def main(argv):
    fixture = Fixture(argv)
    checks = Checks("flow")
    sid = fixture.open(checks, identity_index=0)
    other = fixture.open(checks, identity_index=1, client_index=1)
    if not sid or not other:
        return checks.finish()

    mine, theirs, stop = [], [], threading.Event()
    readers = [threading.Thread(target=read_events, args=(fixture, sid, mine, stop), daemon=True),
               threading.Thread(target=read_events, args=(fixture, other, theirs, stop), daemon=True)]
    for reader in readers:
        reader.start()
    checks.check(wait_for(mine, lambda e: e[0] == "status"), "the event stream did not answer")
    checks.check(mine and mine[0][1] == 200 and mine[0][2].startswith("text/event-stream"), "events: %r" % (mine[:1],))

    created = fixture.call("POST", "/inventory", sid, json_body={"product": fixture.objects["flower"], "qty": "12.5",
                                                                 "section": {"id": fixture.objects["section"]}})
    checks.envelope(created, 201, "POST /inventory")
    lot = id_of(created)
    if not lot:
        stop.set()
        return checks.finish()
    with open(argv[2], "w", encoding="utf-8") as out:
        json.dump({"lot": lot}, out)

    quantity = fixture.call("POST", "/scan", sid, json_body={"station": "kiosk", "code": "LOTBOX:QTY:2g"})
    checks.envelope(quantity, 200, "scan LOTBOX:QTY:2g")
    scanned = fixture.call("POST", "/scan", sid, form={"station": "kiosk", "code": lot})
    checks.envelope(scanned, 200, "scan the lot's id")
    decision = scanned.obj
    checks.check(decision.get("outcome") == "accepted" and decision.get("object_type") == "b2c_sale",
                 "the kiosk did not add the lot to a sale: %r" % (decision,))
    sale = decision.get("object_id")

    station = fixture.call("GET", "/station", sid)
    checks.envelope(station, 200, "GET /station")
    kiosk = [row for row in (station.data or []) if isinstance(row, dict) and row.get("name") == "kiosk"]
    checks.check(kiosk and (kiosk[0].get("sale") or {}).get("id") == sale, "GET /station does not show the open sale: %r" % (station.data,))
    stranger = fixture.call("POST", "/scan", other, json_body={"station": "kiosk", "code": lot})
    checks.error(stranger, 404, "another license's session scanning at this license's kiosk")

    checks.check(wait_for(mine, lambda e: e[0] == "change" and e[2].get("object_type") == "inventory" and e[2].get("object_id") == lot),
                 "/events did not deliver the lot's creation")
    checks.check(wait_for(mine, lambda e: e[0] == "station" and e[2].get("action") == "add" and e[2].get("object_id") == sale),
                 "/events did not deliver the kiosk's decision")
    queued = False
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not queued:
        jobs = fixture.call("GET", "/queue", sid)
        queued = any(job.get("object_id") == lot and job.get("state") == "completed" for job in (jobs.data or []) if isinstance(job, dict))
        time.sleep(0.2)
    checks.check(queued, "GET /queue never showed the lot's label completed")
    checks.check(wait_for(mine, lambda e: e[0] == "change" and e[2].get("object_type") == "b2c_sale" and e[2].get("object_id") == sale),
                 "/events did not deliver the sale's change")

    # Paid through the API's commit, the kiosk's open sale is paid as the kiosk's PAY pays it:
    # its tax (10% in the test's config) is charged, and its refusal leaves the sale open.
    short = fixture.call("POST", "/b2c/%s/commit" % sale, sid, json_body={"tender": "cash", "cash_given": "1"})
    checks.error(short, 409, "cash short of the total at the kiosk", note_contains="less than the total")
    still = fixture.call("GET", "/b2c/%s" % sale, sid)
    checks.check((still.data or {}).get("stat") == 100, "the refused payment did not leave the sale open: %r" % (still.data,))
    paid = fixture.call("POST", "/b2c/%s/commit" % sale, sid, json_body={"tender": "card"})
    checks.envelope(paid, 200, "POST /b2c/{id}/commit of the kiosk's sale")
    taxes = [row for row in ((paid.data or {}).get("adjust_list") or []) if isinstance(row, dict)]
    checks.check(paid.data and paid.data.get("stat") == 200 and taxes and paid.data.get("total") == "22.0000"
                 and (paid.data.get("tender") or {}).get("kind") == "card",
                 "the kiosk's sale paid through the API was not taxed as the kiosk taxes it: %r" % (paid.data,))
    time.sleep(1)
    stop.set()
    leaked = [e for e in theirs if e[0] != "status" and json.dumps(e[2]).find(lot) >= 0]
    checks.check(not leaked, "another license's stream saw this license's lot: %r" % (leaked[:2],))
    ids = [e[1] for e in mine if e[0] in ("change", "station")]
    checks.check(all(ident and ident.count(".") == 1 for ident in ids), "event ids are not <change>.<station>: %r" % (ids,))

    # Resuming from the first event's id delivers what came after it again.
    if ids:
        replay, again = [], threading.Event()
        connection = http.client.HTTPConnection(fixture.client.host, fixture.client.port, timeout=10)
        connection.request("GET", "/events", headers={"Authorization": "Bearer " + v2024.session_token(sid), "Last-Event-ID": ids[0]})
        reply = connection.getresponse()
        seen, deadline = "", time.monotonic() + 5
        while time.monotonic() < deadline and ids[-1] not in seen:
            seen += reply.fp.readline().decode("utf-8")
        connection.close()
        checks.check(ids[-1] in seen and ("id: " + ids[0] + "\n") not in seen, "Last-Event-ID did not resume after %s" % ids[0])
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
