"""The routes that finish the contract's list (openthc-api.md 1 and 3): two-step DELETE of companies,
licenses and contacts, refused while in use; DELETE /b2b/{id}; an incoming transfer typed in by hand
(POST /b2b with license_id_source, /b2b/incoming/{id}/item, /commit, accept); the outgoing manifest file;
and POST /b2c replayed under the same client id.

usage: test_trade_gaps.py FIXTURE.json   (see client.py for the fixture)
"""

import sys

from client import FLOWER_DRY, Checks, Fixture, id_of, ref_id, ulid, unique


def two_step(fx, checks, sid, path, what):
    """rest.ad's DELETE: 202 (stat 410), then 410 (stat 423), then 423."""
    first = fx.call("DELETE", path, sid)
    if checks.envelope(first, 202, "%s: first DELETE" % what):
        checks.check(first.obj.get("stat") == 410, "%s: first DELETE stat %r, expected 410" % (what, first.obj.get("stat")))
    second = fx.call("DELETE", path, sid)
    if checks.envelope(second, 410, "%s: second DELETE" % what):
        checks.check(second.obj.get("stat") == 423, "%s: second DELETE stat %r, expected 423" % (what, second.obj.get("stat")))
    checks.error(fx.call("DELETE", path, sid), 423, "%s: third DELETE" % what)


def main(argv):
    fx = Fixture(argv)
    checks = Checks("trade_gaps")
    a = fx.open(checks, 0, 0, "open a session for license A")
    b = fx.open(checks, 1, 1, "open a session for license B")
    if not a or not b:
        return checks.finish()
    license_a, license_b = fx.identities[0]["license"], fx.identities[1]["license"]

    # The directory: a partner with a license and a contact; the company goes last.
    company = id_of(fx.call("POST", "/company", a, json_body={"name": unique("Partner Co")}))
    license_id = id_of(fx.call("POST", "/license", a, json_body={"name": unique("Partner"), "type": "grower", "company": company}))
    contact = id_of(fx.call("POST", "/contact", a, json_body={"name": unique("Partner Clerk"), "company": company}))
    if checks.check(company and license_id and contact, "the partner's company, license and contact were not made"):
        checks.error(fx.call("DELETE", "/company/%s" % company, a), 409, "DELETE /company with a license and a contact",
                     note_contains="license")
        two_step(fx, checks, a, "/license/%s" % license_id, "the partner's license")
        two_step(fx, checks, a, "/contact/%s" % contact, "the partner's contact")
        two_step(fx, checks, a, "/company/%s" % company, "the partner's company")
    checks.error(fx.call("DELETE", "/license/%s" % license_a, a), 409, "DELETE /license of a signed-in license",
                 note_contains="session")
    checks.error(fx.call("DELETE", "/contact/%s" % ulid(), a), 404, "DELETE /contact/{unknown}")

    # Outgoing from A to B: an open transfer is canceled in two steps; its stock never moves.
    product_a = id_of(fx.call("POST", "/product", a, json_body={"name": unique("Gap Flower"), "type": FLOWER_DRY, "uom": "g"}))
    lot = id_of(fx.call("POST", "/inventory", a, json_body={"product": product_a, "qty": 100}))
    transfer = ulid()
    checks.envelope(fx.call("POST", "/b2b", a, json_body={"id": transfer, "license_id_target": license_b}), 201, "POST /b2b to B")
    checks.envelope(fx.call("POST", "/b2b/%s" % transfer, a, json_body={"inventory_id": lot, "qty": 10}), 201, "POST /b2b/{id} item")
    checks.error(fx.call("DELETE", "/b2b/%s" % transfer, b), 404, "DELETE /b2b/{A's open transfer} under B")
    two_step(fx, checks, a, "/b2b/%s" % transfer, "an open outgoing transfer")
    shown = fx.call("GET", "/inventory/%s" % lot, a)
    if checks.envelope(shown, 200, "GET /inventory/{id} after the cancel"):
        checks.qty(shown.obj.get("qty"), "100.0000", "the lot after its transfer was canceled")

    # The manifest file of another transfer: a download of the OpenTHC document.
    sent = ulid()
    fx.call("POST", "/b2b", a, json_body={"id": sent, "license_id_target": license_b})
    fx.call("POST", "/b2b/%s" % sent, a, json_body={"inventory_id": lot, "qty": 25, "unit_price": "2.50"})
    manifest = fx.call("GET", "/b2b/outgoing/%s/file" % sent, a)
    if checks.envelope(manifest, 200, "GET /b2b/outgoing/{id}/file"):
        checks.check(manifest.headers.get("content-disposition", "").startswith("attachment"),
                     "the manifest file is not an attachment: %r" % manifest.headers.get("content-disposition"))
        items = manifest.obj.get("item_list") or []
        checks.check([ref_id(item.get("inventory")) for item in items] == [lot], "manifest items %r, expected the lot %s" % (items, lot))
        checks.check([item.get("qty") for item in items] == ["25.0000"], "manifest quantities %r" % ([item.get("qty") for item in items],))
        checks.check(ref_id(manifest.obj.get("target")) == license_b, "manifest target %r" % (manifest.obj.get("target"),))
    checks.error(fx.call("GET", "/b2b/outgoing/%s/file" % sent, b), 404, "GET /b2b/outgoing/{A's}/file under B")

    # Incoming to B typed in by hand: a draft, its lines, the commit, then accepted into a lot.
    product_b = id_of(fx.call("POST", "/product", b, json_body={"name": unique("Gap Received"), "type": FLOWER_DRY, "uom": "g"}))
    paper = ulid()
    header = fx.call("POST", "/b2b", b, json_body={"id": paper, "license_id_source": license_a, "name": "paper manifest"})
    if checks.envelope(header, 201, "POST /b2b with license_id_source"):
        checks.keys(header.obj, ["id", "source", "target", "depart_at", "arrive_at"], "POST /b2b 201 data")
    checks.error(fx.call("POST", "/b2b/%s/accept" % paper, b), 409, "accepting a draft", note_contains="being recorded")
    tag = "1A4FF01000000220000%05d" % (int(paper[-4:], 36) % 100000)
    line = fx.call("POST", "/b2b/incoming/%s/item" % paper, b, json_body={"product": product_b, "qty": 40, "inventory_id": tag})
    if checks.envelope(line, 201, "POST /b2b/incoming/{id}/item"):
        checks.check(len(line.obj.get("line_item_list") or []) == 1, "the draft's lines: %r" % (line.obj.get("line_item_list"),))
    checks.error(fx.call("POST", "/b2b/incoming/%s/item" % paper, b, json_body={"qty": 1}), 400, "a line without a product",
                 note_contains="product")
    committed = fx.call("POST", "/b2b/incoming/%s/commit" % paper, b)
    if checks.envelope(committed, 202, "POST /b2b/incoming/{id}/commit"):
        checks.check(committed.obj.get("stat") == 200, "committed stat %r, expected 200" % (committed.obj.get("stat"),))
    accepted = fx.call("POST", "/b2b/incoming/%s/accept" % paper, b)
    if checks.envelope(accepted, 201, "POST /b2b/incoming/{id}/accept"):
        items = accepted.obj.get("line_item_list") or []
        received = [ref_id(item.get("inventory")) for item in items]
        checks.check(len(received) == 1 and received[0], "accepted items %r" % (items,))
        if received and received[0]:
            lot_b = fx.call("GET", "/inventory/%s" % received[0], b)
            if checks.envelope(lot_b, 200, "GET /inventory/{the received lot}"):
                checks.qty(lot_b.obj.get("qty"), "40.0000", "the received lot")
    checks.error(fx.call("DELETE", "/b2b/%s" % paper, b), 409, "DELETE /b2b/{an accepted transfer}")

    # POST /b2c replayed: the same open is 200 with the same sale, a different one 409.
    each = id_of(fx.call("POST", "/product", a, json_body={"name": unique("Gap Pre-roll"), "type": FLOWER_DRY, "package_type": "each",
                                                            "unit_size": "1 g", "unit_price": "8"}))
    units = id_of(fx.call("POST", "/inventory", a, json_body={"product": each, "qty": 5}))
    sale = ulid()
    body = {"id": sale, "inventory_id": units, "unit_count": 2}
    opened = fx.call("POST", "/b2c", a, json_body=body)
    checks.envelope(opened, 201, "POST /b2c")
    again = fx.call("POST", "/b2c", a, json_body=body)
    if checks.envelope(again, 200, "POST /b2c replayed"):
        checks.check(id_of(again) == sale, "the replay answered sale %r, expected %r" % (id_of(again), sale))
        checks.check(len(again.obj.get("item_list") or []) == 1, "the replay's lines %r" % (again.obj.get("item_list"),))
    checks.error(fx.call("POST", "/b2c", a, json_body=dict(body, unit_count=3)), 409, "POST /b2c with the id and other lines",
                 note_contains="quantity")
    checks.error(fx.call("POST", "/b2c", b, json_body=body), 409, "POST /b2c with A's sale id under B")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
