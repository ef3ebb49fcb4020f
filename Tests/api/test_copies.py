"""The copies limit over HTTP is the store's and the CLI's (LabelRoute.copiesLimit, 1 to 1000):
POST /inventory/{id}/print takes 1000 copies (a number or a string of digits), refuses 1001 and 0
with a 400 whose note names the value and the range, and the refusal queues nothing.

Usage: test_copies.py FIXTURE.json PRINTER
"""

import sys

from client import Checks, Fixture, id_of


def main(argv):
    fixture = Fixture(argv)
    printer = argv[2]
    checks = Checks("copies")
    sid = fixture.open(checks, identity_index=0)
    if not sid:
        return checks.finish()
    created = fixture.call("POST", "/inventory", sid, json_body={"product": fixture.objects["flower"], "qty": "3",
                                                                 "section": {"id": fixture.objects["section"]}})
    checks.envelope(created, 201, "POST /inventory")
    lot = id_of(created)
    if not checks.check(lot, "no lot was made"):
        return checks.finish()
    for copies in (1000, "1000", 1):
        queued = fixture.call("POST", "/inventory/%s/print" % lot, sid, json_body={"printer": printer, "copies": copies})
        checks.envelope(queued, 202, "POST /inventory/{id}/print copies %r" % (copies,))
        data = queued.data if isinstance(queued.data, dict) else {}
        checks.check(data.get("copies") in (1000, 1), "the job's copies are %r, asked %r" % (data.get("copies"), copies))
    for copies in (1001, "1001", 0):
        refused = fixture.call("POST", "/inventory/%s/print" % lot, sid, json_body={"printer": printer, "copies": copies})
        checks.error(refused, 400, "POST /inventory/{id}/print copies %r" % (copies,), note_contains="from 1 to 1000")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
