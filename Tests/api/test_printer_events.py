"""A printer's hold on /events as it happens: a CUPS queue stopped (cupsdisable) while a lot's
label is due is `event: printer` held with the queue's reason; started again (cupsenable), an
`event: printer` that it prints again.

Usage: test_printer_events.py FIXTURE.json CUPS_SERVER QUEUE
"""

import subprocess
import sys
import threading

from client import Checks, Fixture, id_of
from test_flow import read_events, wait_for


def cups(tool, server, queue):
    return subprocess.run(["/usr/sbin/" + tool, "-h", server, queue], capture_output=True, text=True, timeout=30)


def main(argv):
    fixture = Fixture(argv)
    server, queue = argv[2], argv[3]
    checks = Checks("printer-events")
    sid = fixture.open(checks, identity_index=0)
    if not sid:
        return checks.finish()
    events, stop = [], threading.Event()
    threading.Thread(target=read_events, args=(fixture, sid, events, stop), daemon=True).start()
    checks.check(wait_for(events, lambda e: e[0] == "status"), "the event stream did not answer")

    stopped = cups("cupsdisable", server, queue)
    checks.check(stopped.returncode == 0, "cupsdisable: %s" % stopped.stderr)
    created = fixture.call("POST", "/inventory", sid, json_body={"product": fixture.objects["flower"], "qty": "3",
                                                                 "section": {"id": fixture.objects["section"]}})
    checks.envelope(created, 201, "POST /inventory")
    checks.check(id_of(created), "no lot was made")
    held = lambda e: e[0] == "printer" and e[2].get("printer") == "zebra" and e[2].get("held") is True
    checks.check(wait_for(events, held, seconds=30), "/events did not say the printer holds its labels: %r" % (events,))
    reasons = [e[2].get("reasons") for e in list(events) if held(e)]
    checks.check(reasons and "paused" in reasons[0], "the hold's reasons are %r, not the queue's (paused)" % (reasons,))

    started = cups("cupsenable", server, queue)
    checks.check(started.returncode == 0, "cupsenable: %s" % started.stderr)
    ready = lambda e: e[0] == "printer" and e[2].get("printer") == "zebra" and e[2].get("held") is False and e[2].get("reasons") == []
    checks.check(wait_for(events, ready, seconds=30), "/events did not say the printer prints again: %r" % (events,))
    checks.check(len([e for e in list(events) if held(e)]) == 1, "the hold was sent more than once: %r" % (events,))
    stop.set()
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
