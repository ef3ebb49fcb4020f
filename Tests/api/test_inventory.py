"""Lots over the API: create, read (the 13 keys), split, convert from JSON and PHP-form bodies, update,
another license's lots, limits and methods (openthc-api.md 1, 3 and 4).

usage: test_inventory.py FIXTURE.json   (see client.py for the fixture)
"""

import sys

from client import (RFC3339_PATTERN, ULID_PATTERN, Checks, Fixture, id_of, ref_id, ulid,
                    unique)

LOT_KEYS = ["id", "license", "product", "variety", "section", "name", "qty", "qty_initial", "uom", "stat", "hash",
            "created_at", "updated_at"]


def main(argv):
    fx = Fixture(argv)
    checks = Checks("inventory")
    a = fx.open(checks, 0, 0, "open a session for license A")
    b = fx.open(checks, 1, 1, "open a session for license B")
    if not a or not b:
        return checks.finish()
    license_a = fx.identities[0]["license"]

    def create(kind, sid, body):
        response = fx.call("POST", "/" + kind, sid, json_body=body)
        if checks.envelope(response, 201, "POST /%s %r" % (kind, body)):
            made = id_of(response)
            checks.check(made is not None, "POST /%s: no id in %s" % (kind, response.describe()))
            return made
        return None

    # License A's section, variety and products, made with the CLI (test_objects.py makes them over the API).
    objects = fx.objects
    section, other_section, variety = objects["section"], objects["other_section"], objects["variety"]
    flower, kief = objects["flower"], objects["kief"]

    def lot(sid, lot_id, what):
        """GET /inventory/{id}: the 13 keys; returns the data or {}."""
        if not checks.check(isinstance(lot_id, str), "no lot id to read (%s)" % what):
            return {}
        response = fx.call("GET", "/inventory/" + lot_id, sid)
        if not checks.envelope(response, 200, "GET /inventory/{id} (%s)" % what):
            return {}
        data = response.obj
        checks.keys(data, LOT_KEYS, "GET /inventory/{id} data (%s)" % what)
        return data

    # Create from scratch; references as ids.
    created = fx.call("POST", "/inventory", a, json_body={"product": flower, "variety": variety, "section": section,
                                                          "qty": 10})
    parent = None
    if checks.envelope(created, 201, "POST /inventory (create)"):
        parent = id_of(created)
        checks.check(isinstance(parent, str) and ULID_PATTERN.match(parent) is not None,
                     "POST /inventory: id %r is not a ULID" % (parent,))
    if not parent:
        return checks.finish()
    data = lot(a, parent, "created")
    if data:
        checks.check(data.get("id") == parent, "GET /inventory/{id}: id %r" % (data.get("id"),))
        checks.check(ref_id(data.get("license")) == license_a, "lot license %r, expected %s"
                     % (data.get("license"), license_a))
        checks.check(ref_id(data.get("product")) == flower, "lot product %r, expected %s" % (data.get("product"), flower))
        checks.check(ref_id(data.get("variety")) == variety, "lot variety %r, expected %s"
                     % (data.get("variety"), variety))
        checks.check(ref_id(data.get("section")) == section, "lot section %r, expected %s"
                     % (data.get("section"), section))
        checks.qty(data.get("qty"), "10.0000", "new lot qty")
        checks.qty(data.get("qty_initial"), "10.0000", "new lot qty_initial")
        checks.check(data.get("uom") == "g", "lot uom %r, expected 'g'" % (data.get("uom"),))
        checks.check(data.get("stat") in (200, "200"), "lot stat %r, expected 200" % (data.get("stat"),))
        checks.check(isinstance(data.get("hash"), str) and data.get("hash") != "", "lot hash %r" % (data.get("hash"),))
        for key in ["created_at", "updated_at"]:
            checks.check(isinstance(data.get(key), str) and RFC3339_PATTERN.match(data.get(key)) is not None,
                         "lot %s %r is not RFC 3339" % (key, data.get(key)))
    first_hash = data.get("hash")

    # References as {id}, a quantity as a string, and a client-chosen id.
    chosen = ulid()
    as_objects = fx.call("POST", "/inventory", a, json_body={"id": chosen, "product": {"id": flower},
                                                             "variety": {"id": variety}, "section": {"id": section},
                                                             "qty": "2.5"})
    if checks.envelope(as_objects, 201, "POST /inventory with {id} references, qty '2.5' and a chosen id"):
        checks.check(as_objects.obj.get("id") == chosen, "POST /inventory with id %s: %s"
                     % (chosen, as_objects.describe()))
        checks.qty(lot(a, chosen, "chosen id").get("qty"), "2.5000", "qty '2.5' in")
    checks.error(fx.call("POST", "/inventory", a, json_body={"id": chosen, "product": flower, "variety": variety,
                                                             "section": section, "qty": 1}), 409,
                 "POST /inventory with an id that exists")
    big = create("inventory", a, {"product": flower, "variety": variety, "section": section, "qty": 1234})
    if big:
        checks.qty(lot(a, big, "qty 1234").get("qty"), "1234.0000", "qty 1234 in")

    # A form body with the same fields, flat and nested.
    flat = fx.call("POST", "/inventory", a, form={"product": flower, "variety": variety, "section": section, "qty": "3"})
    if checks.envelope(flat, 201, "POST /inventory as a form"):
        checks.qty(lot(a, id_of(flat), "form").get("qty"), "3.0000", "form qty 3")
    nested = fx.call("POST", "/inventory", a, form=[("product[id]", flower), ("variety[id]", variety),
                                                    ("section[id]", section), ("qty", "4.25")])
    if checks.envelope(nested, 201, "POST /inventory as a form with product[id]"):
        checks.qty(lot(a, id_of(nested), "nested form").get("qty"), "4.2500", "form qty 4.25")

    # Bad input: 400 naming the field, nothing written.
    before = fx.call("GET", "/inventory", a)
    count_before = len(before.data) if isinstance(before.data, list) else -1
    for what, body, field in [("no qty", {"product": flower, "variety": variety, "section": section}, "qty"),
                              ("qty 'lots'", {"product": flower, "variety": variety, "section": section, "qty": "lots"},
                               "qty"),
                              ("a negative qty", {"product": flower, "variety": variety, "section": section, "qty": -1},
                               "qty"),
                              ("an unknown product", {"product": ulid(), "variety": variety, "section": section,
                                                      "qty": 1}, "product")]:
        # An unknown reference may be 400 or 404 (the client library takes both on a POST); the note names it.
        expected = (400, 404) if field == "product" else 400
        checks.error(fx.call("POST", "/inventory", a, json_body=body), expected, "POST /inventory with %s" % what, field)
    checks.error(fx.call("POST", "/inventory", a, raw=b"{not json", content_type="application/json"), 400,
                 "POST /inventory with malformed JSON")
    checks.status(fx.call("POST", "/inventory", a), (400,), "POST /inventory with an empty body")
    after = fx.call("GET", "/inventory", a)
    checks.check(isinstance(after.data, list) and len(after.data) == count_before,
                 "refused creates wrote lots: %d before, %s after" % (count_before,
                                                                     len(after.data) if isinstance(after.data, list) else after.describe()))

    # The list: live lots of the session's license, 3 keys a row.
    listed = fx.call("GET", "/inventory", a)
    if checks.envelope(listed, 200, "GET /inventory under A"):
        rows = listed.rows
        for row in rows:
            checks.keys(row, ["id", "qty", "hash"], "GET /inventory row")
        checks.check(parent in [row.get("id") for row in rows if isinstance(row, dict)],
                     "GET /inventory under A lacks the new lot")
        for row in rows:
            if isinstance(row, dict) and row.get("id") == parent:
                checks.qty(row.get("qty"), "10.0000", "GET /inventory row qty")

    # Another license's lot: 404 to read, refused to use.
    checks.error(fx.call("GET", "/inventory/" + parent, b), 404, "GET /inventory/{A's lot} under B")
    checks.status(fx.call("HEAD", "/inventory/" + parent, b), 404, "HEAD /inventory/{A's lot} under B")
    listed_b = fx.call("GET", "/inventory", b)
    if checks.envelope(listed_b, 200, "GET /inventory under B"):
        checks.check(parent not in [row.get("id") for row in listed_b.rows if isinstance(row, dict)],
                     "GET /inventory under B shows A's lot")
    checks.error(fx.call("PATCH", "/inventory/" + parent, b, json_body={"qty": 1}), 404,
                 "PATCH /inventory/{A's lot} under B")
    checks.status(fx.call("POST", "/inventory", b, json_body={"source": parent, "qty": 1}), (403, 404),
                  "POST /inventory under B splitting A's lot")
    checks.status(fx.call("POST", "/inventory", b, json_body={"product": flower, "qty": 1}), (403, 400, 404),
                  "POST /inventory under B with A's product")
    checks.qty(lot(a, parent, "after B's attempts").get("qty"), "10.0000", "A's lot after B's attempts")
    checks.error(fx.call("GET", "/inventory/not-a-lot-id", a), 404, "GET /inventory/{malformed id}")
    checks.error(fx.call("GET", "/inventory/" + ulid(), a), 404, "GET /inventory/{unknown id}")

    # Split: one source id and a qty.
    split = fx.call("POST", "/inventory", a, json_body={"source": parent, "qty": 2})
    if checks.envelope(split, 201, "POST /inventory (split)"):
        child = id_of(split)
        checks.qty(lot(a, child, "split child").get("qty"), "2.0000", "split child qty")
        checks.qty(lot(a, parent, "split parent").get("qty"), "8.0000", "parent after a split of 2")

    # A chosen id makes a split replayable (a syncing peer's retry): the same call again answers
    # the same lot and takes nothing more from the parent.
    chosen = ulid()
    once = fx.call("POST", "/inventory", a, json_body={"source": parent, "qty": 1, "id": chosen})
    if checks.envelope(once, 201, "POST /inventory (split, chosen id)"):
        checks.check(id_of(once) == chosen, "split with a chosen id made %r, expected %s" % (id_of(once), chosen))
        again = fx.call("POST", "/inventory", a, json_body={"source": parent, "qty": 1, "id": chosen})
        checks.check(again.status in (200, 201) and id_of(again) == chosen,
                     "replayed split answered %s %r, expected the same lot %s" % (again.status, again.body[:200], chosen))
        checks.qty(lot(a, parent, "after a replayed split").get("qty"), "7.0000", "parent after a split of 1 sent twice")
        checks.error(fx.call("POST", "/inventory", a, json_body={"source": parent, "qty": 3, "id": chosen}), 409,
                     "POST /inventory (split, chosen id taken by another split)")

    # Convert: the same request as JSON and as a PHP form reaches the same handler.
    convert = {"source": [{"id": parent, "qty": 1}], "product_id": kief, "qty": "0.5"}
    by_json = fx.call("POST", "/inventory", a, json_body=convert)
    if checks.envelope(by_json, 201, "POST /inventory (convert, JSON)"):
        made = lot(a, id_of(by_json), "converted by JSON")
        checks.check(ref_id(made.get("product")) == kief, "converted lot product %r, expected %s"
                     % (made.get("product"), kief))
        checks.qty(made.get("qty"), "0.5000", "converted lot qty (JSON)")
        checks.qty(lot(a, parent, "after JSON convert").get("qty"), "6.0000", "parent after converting 1")
    form_pairs = [("source[0][id]", parent), ("source[0][qty]", "1"), ("product_id", kief), ("qty", "0.5")]
    by_form = fx.call("POST", "/inventory", a, form=form_pairs)
    if checks.envelope(by_form, 201, "POST /inventory (convert, form source[0][id]=…)"):
        made = lot(a, id_of(by_form), "converted by form")
        checks.check(ref_id(made.get("product")) == kief, "form-converted lot product %r" % (made.get("product"),))
        checks.qty(made.get("qty"), "0.5000", "converted lot qty (form)")
        checks.qty(lot(a, parent, "after form convert").get("qty"), "5.0000", "parent after a second convert of 1")
    twice = fx.call("POST", "/inventory", a, form=[("source[0][id]", parent), ("source[0][qty]", "0.5"),
                                                   ("source[1][id]", parent), ("source[1][qty]", "0.5"),
                                                   ("product", kief), ("qty", "1")])
    if checks.envelope(twice, 201, "POST /inventory (convert, the same source twice)"):
        checks.qty(lot(a, parent, "after merged convert").get("qty"), "4.0000", "parent after 0.5 + 0.5")

    # Update: absolute qty through the ledger, a move, a name; the hash follows the row.
    patched = fx.call("PATCH", "/inventory/" + parent, a, json_body={"qty": "4.5"})
    if checks.envelope(patched, 200, "PATCH /inventory/{id} qty"):
        data = patched.obj
        checks.keys(data, LOT_KEYS, "PATCH /inventory/{id} data")
        checks.qty(data.get("qty"), "4.5000", "PATCH qty")
        checks.check(data.get("hash") != first_hash, "hash %r did not change with qty" % (data.get("hash"),))
    moved = fx.call("POST", "/inventory/" + parent, a, form={"section": other_section, "name": "API moved lot"})
    if checks.envelope(moved, 200, "POST /inventory/{id} section and name (form)"):
        data = lot(a, parent, "moved")
        checks.check(ref_id(data.get("section")) == other_section, "moved lot section %r" % (data.get("section"),))
        checks.check(data.get("name") == "API moved lot", "renamed lot name %r" % (data.get("name"),))
        checks.qty(data.get("qty"), "4.5000", "moved lot qty")

    # Limits: a body over 1 MiB is refused.
    huge = b'{"name": "' + b"x" * (1024 * 1024 + 512) + b'"}'
    checks.error(fx.call("POST", "/inventory/" + parent, a, raw=huge, content_type="application/json"), 413,
                 "POST /inventory/{id} with a body over 1 MiB")
    checks.error(fx.call("POST", "/inventory", a, form={"name": "y" * (1024 * 1024 + 16)}), 413,
                 "POST /inventory with a form body over 1 MiB")
    checks.check(lot(a, parent, "after the large bodies").get("name") == "API moved lot",
                 "a refused large body changed the lot")

    # HEAD where GET answers; 405 on a method the path does not take.
    head = fx.call("HEAD", "/inventory/" + parent, a)
    checks.status(head, 200, "HEAD /inventory/{id}")
    checks.check(head.body == b"", "HEAD /inventory/{id} sent a body")
    checks.status(fx.call("HEAD", "/inventory", a), 200, "HEAD /inventory")
    checks.status(fx.call("HEAD", "/inventory/" + ulid(), a), 404, "HEAD /inventory/{unknown id}")
    put = fx.call("PUT", "/inventory/" + parent, a, json_body={"qty": 1})
    checks.error(put, 405, "PUT /inventory/{id}")
    allowed = [method.strip().upper() for method in put.headers.get("allow", "").split(",")]
    checks.check("GET" in allowed and "PUT" not in allowed, "PUT /inventory/{id}: 405 with Allow %r"
                 % put.headers.get("allow"))
    checks.error(fx.call("DELETE", "/inventory", a), 405, "DELETE /inventory")
    checks.error(fx.call("PATCH", "/inventory", a, json_body={"qty": 1}), 405, "PATCH /inventory")
    checks.error(fx.call("GET", "/inventory/%s/adjust" % parent, a), 405, "GET /inventory/{id}/adjust")
    checks.qty(lot(a, parent, "after refused methods").get("qty"), "4.5000", "lot after refused methods")

    ulid_reply = fx.call("GET", "/ulid", a)
    checks.status(ulid_reply, 200, "GET /ulid")
    checks.check(ulid_reply.content_type.startswith("text/plain"), "GET /ulid: content type %r"
                 % ulid_reply.content_type)
    checks.check(ULID_PATTERN.match(ulid_reply.text.strip()) is not None, "GET /ulid: %r is not a ULID"
                 % ulid_reply.text)
    checks.error(fx.call("POST", "/ulid", a), 405, "POST /ulid")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
