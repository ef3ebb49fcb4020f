"""A media mismatch on /events as it happens: a lot's label for a Zebra (template lot-2x1) whose
~HS measures 4x2 in labels is `event: printer` held with the reason; once the test has seen it
(it writes SEEN_FILE) the Swift side loads 2x1 in labels, and an `event: printer` says it prints.

Usage: test_media_hold_events.py FIXTURE.json SEEN_FILE
"""

import sys
import threading

from client import Checks, Fixture, id_of
from test_flow import read_events, wait_for


def main(argv):
    fixture = Fixture(argv)
    seen_file = argv[2]
    checks = Checks("media-hold-events")
    sid = fixture.open(checks, identity_index=0)
    if not sid:
        return checks.finish()
    events, stop = [], threading.Event()
    threading.Thread(target=read_events, args=(fixture, sid, events, stop), daemon=True).start()
    checks.check(wait_for(events, lambda e: e[0] == "status"), "the event stream did not answer")

    created = fixture.call("POST", "/inventory", sid, json_body={"product": fixture.objects["flower"], "qty": "3",
                                                                 "section": {"id": fixture.objects["section"]}})
    checks.envelope(created, 201, "POST /inventory")
    checks.check(id_of(created), "no lot was made")
    held = lambda e: e[0] == "printer" and e[2].get("printer") == "zebra" and e[2].get("held") is True
    checks.check(wait_for(events, held, seconds=60), "/events did not say the printer holds its labels: %r" % (events,))
    reasons = [e[2].get("reasons") for e in list(events) if held(e)]
    wanted = "media-mismatch: labels 2 in long loaded (406 dots at 203 dpi); lot-2x1 needs 2x1 in"
    checks.check(reasons and wanted in reasons[0], "the hold's reasons are %r, not %r" % (reasons, wanted))
    with open(seen_file, "w") as seen:
        seen.write("held\n")

    ready = lambda e: e[0] == "printer" and e[2].get("printer") == "zebra" and e[2].get("held") is False and e[2].get("reasons") == []
    checks.check(wait_for(events, ready, seconds=60), "/events did not say the printer prints again: %r" % (events,))
    checks.check(len([e for e in list(events) if held(e)]) == 1, "the hold was sent more than once: %r" % (events,))
    stop.set()
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
