"""A lot's later life over the API: updates guarded by If-Match, adjust, destroy, the two-step DELETE, and
another license's section refused in a write (openthc-api.md 1 and 3; openthc-model.md 1 and 3).

usage: test_lifecycle.py FIXTURE.json   (see client.py for the fixture)
"""

import sys

from client import Checks, Fixture, id_of, ref_id


def main(argv):
    fx = Fixture(argv)
    checks = Checks("lifecycle")
    a = fx.open(checks, 0, 0, "open a session for license A")
    b = fx.open(checks, 1, 1, "open a session for license B")
    if not a or not b:
        return checks.finish()
    objects = fx.objects

    def new_lot(qty):
        response = fx.call("POST", "/inventory", a, json_body={"product": objects["flower"], "variety": objects["variety"],
                                                               "section": objects["section"], "qty": qty})
        checks.envelope(response, 201, "POST /inventory qty %s" % qty)
        return id_of(response)

    def read(lot_id, what):
        response = fx.call("GET", "/inventory/%s" % lot_id, a)
        checks.envelope(response, 200, "GET /inventory/{id} (%s)" % what)
        return response.obj

    def qty_of(lot_id, what):
        return read(lot_id, what).get("qty")

    # PATCH with If-Match: the current hash updates, a stale one is refused with 412 and changes nothing.
    lot = new_lot(10)
    if lot:
        first = read(lot, "before PATCH")
        old_hash = first.get("hash")
        patched = fx.call("PATCH", "/inventory/%s" % lot, a, json_body={"qty": 9}, headers={"If-Match": str(old_hash)})
        if checks.envelope(patched, 200, "PATCH /inventory/{id} with If-Match of the current hash"):
            checks.qty(patched.obj.get("qty"), "9.0000", "PATCH qty 9")
            checks.check(patched.obj.get("hash") not in (None, old_hash), "PATCH left the hash %r" % (old_hash,))
        stale = fx.call("PATCH", "/inventory/%s" % lot, a, json_body={"qty": 8}, headers={"If-Match": str(old_hash)})
        checks.error(stale, 412, "PATCH /inventory/{id} with If-Match of a stale hash")
        checks.qty(qty_of(lot, "after a stale PATCH"), "9.0000", "lot after a stale PATCH")

        # Adjust: qty is the new absolute quantity (openthc-model.md: "qty* (new absolute qty)").
        adjusted = fx.call("POST", "/inventory/%s/adjust" % lot, a, json_body={"qty": 7, "code": "audit",
                                                                               "note": "counted"})
        checks.envelope(adjusted, (200, 201), "POST /inventory/{id}/adjust qty 7")
        checks.qty(qty_of(lot, "after adjust"), "7.0000", "lot after adjust to 7 (absolute)")
        checks.error(fx.call("POST", "/inventory/%s/adjust" % lot, b, json_body={"qty": 1}), 404,
                     "POST /inventory/{A's lot}/adjust under B")
        checks.qty(qty_of(lot, "after B's adjust"), "7.0000", "lot after B's adjust")

        # Another license's section named in a write: 403, nothing changed.
        if objects.get("b_section"):
            moved = fx.call("PATCH", "/inventory/%s" % lot, a, json_body={"section": objects["b_section"]})
            checks.error(moved, 403, "PATCH /inventory/{id} into license B's section")
            checks.check(ref_id(read(lot, "after a refused move").get("section")) == objects["section"],
                         "a refused move changed the lot's section")
            created = fx.call("POST", "/inventory", a, json_body={"product": objects["flower"], "variety": objects["variety"],
                                                                  "section": objects["b_section"], "qty": 1})
            checks.error(created, 403, "POST /inventory into license B's section")

    # Destroy: what is left goes, with a reason.
    doomed = new_lot(5)
    if doomed:
        checks.error(fx.call("POST", "/inventory/%s/destroy" % doomed, a, json_body={}), 400,
                     "POST /inventory/{id}/destroy without a reason", "reason_code")
        destroyed = fx.call("POST", "/inventory/%s/destroy" % doomed, a,
                            form={"reason_code": "contaminated", "reason_text": "mould found"})
        checks.envelope(destroyed, (200, 201, 202), "POST /inventory/{id}/destroy (form)")
        checks.qty(qty_of(doomed, "destroyed"), "0.0000", "destroyed lot qty")

    # DELETE in two steps: 202 (stat 410), 410 (confirmed, stat 423), then 423; a void lot leaves the list.
    void = new_lot(3)
    if void:
        checks.error(fx.call("DELETE", "/inventory/%s" % void, b), 404, "DELETE /inventory/{A's lot} under B")
        first = fx.call("DELETE", "/inventory/%s" % void, a)
        checks.envelope(first, 202, "first DELETE /inventory/{id}")
        marked = fx.call("GET", "/inventory/%s" % void, a)
        if marked.status == 200:
            checks.check(marked.obj.get("stat") in (410, "410"), "stat after the first DELETE: %r, expected 410"
                         % (marked.obj.get("stat"),))
        else:
            checks.status(marked, 410, "GET /inventory/{id} after the first DELETE")
        checks.status(fx.call("DELETE", "/inventory/%s" % void, a), 410, "second DELETE /inventory/{id}")
        checks.status(fx.call("DELETE", "/inventory/%s" % void, a), 423, "third DELETE /inventory/{id}")
        listed = fx.call("GET", "/inventory", a)
        if checks.envelope(listed, 200, "GET /inventory after a void"):
            checks.check(void not in [row.get("id") for row in listed.rows if isinstance(row, dict)],
                         "GET /inventory still lists the void lot %s" % void)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
