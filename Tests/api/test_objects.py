"""Sections, varieties and products over the API, each scoped to the session's license (openthc-api.md 3-4).

usage: test_objects.py FIXTURE.json   (see client.py for the fixture)
"""

import sys

from client import FLOWER_DRY, Checks, Fixture, id_of, ref_id, ulid, unique


def rows(response):
    return response.rows


def ids(response):
    return [row.get("id") for row in rows(response) if isinstance(row, dict)]


def main(argv):
    fx = Fixture(argv)
    checks = Checks("objects")
    a = fx.open(checks, 0, 0, "open a session for license A")
    b = fx.open(checks, 1, 1, "open a session for license B")
    if not a or not b:
        return checks.finish()

    # Section and variety: a name is unique within a license, not across the store.
    for kind, body in [("section", {"type": "inventory"}), ("variety", {"type": "Hybrid"})]:
        name = unique("API %s" % kind)
        first = fx.call("POST", "/" + kind, a, json_body=dict(body, name=name))
        first_id = None
        if checks.envelope(first, 201, "POST /%s under A" % kind):
            data = first.obj
            first_id = id_of(first)
            checks.check(data.get("name") == name, "POST /%s: name %r, expected %r" % (kind, data.get("name"), name))
            if kind == "section":
                checks.keys(data, ["id", "name", "type"], "POST /section 201 data")
        other = fx.call("POST", "/" + kind, b, json_body=dict(body, name=name))
        other_id = None
        if checks.envelope(other, 201, "POST /%s with the same name under B" % kind):
            other_id = id_of(other)
            checks.check(other_id and other_id != first_id, "POST /%s under B reused A's id %r" % (kind, other_id))
        checks.error(fx.call("POST", "/" + kind, a, json_body=dict(body, name=name)), 409,
                     "POST /%s with the same name twice under A" % kind)

        listed_a = fx.call("GET", "/" + kind, a)
        if checks.envelope(listed_a, 200, "GET /%s under A" % kind):
            checks.check(first_id in ids(listed_a), "GET /%s under A lacks A's %s %s" % (kind, kind, first_id))
            checks.check(other_id not in ids(listed_a), "GET /%s under A shows B's %s %s" % (kind, kind, other_id))
            if kind == "section":
                for row in rows(listed_a):
                    checks.keys(row, ["id", "name", "type"], "GET /section row")
        listed_b = fx.call("GET", "/" + kind, b)
        if checks.envelope(listed_b, 200, "GET /%s under B" % kind):
            checks.check(other_id in ids(listed_b), "GET /%s under B lacks B's %s" % (kind, kind))
            checks.check(first_id not in ids(listed_b), "GET /%s under B shows A's %s %s" % (kind, kind, first_id))
        searched = fx.call("GET", "/%s?q=%s" % (kind, name.split()[-1]), a)
        if checks.envelope(searched, 200, "GET /%s?q= under A" % kind):
            checks.check(ids(searched) == [first_id], "GET /%s?q=%s: ids %r, expected [%r]"
                         % (kind, name.split()[-1], ids(searched), first_id))

        if first_id:
            single = fx.call("GET", "/%s/%s" % (kind, first_id), a)
            if checks.envelope(single, 200, "GET /%s/{id} under A" % kind):
                checks.check(single.obj.get("id") == first_id, "GET /%s/{id}: %s" % (kind, single.describe()))
            checks.error(fx.call("GET", "/%s/%s" % (kind, first_id), b), 404, "GET /%s/{A's id} under B" % kind)
            head = fx.call("HEAD", "/%s/%s" % (kind, first_id), a)
            checks.status(head, 200, "HEAD /%s/{id}" % kind)
            checks.check(head.body == b"", "HEAD /%s/{id} sent a body" % kind)
            checks.status(fx.call("HEAD", "/%s/%s" % (kind, first_id), b), 404, "HEAD /%s/{A's id} under B" % kind)
        checks.error(fx.call("GET", "/%s/not-a-valid-id!" % kind, a), 404, "GET /%s/{malformed id}" % kind)
        checks.error(fx.call("GET", "/%s/%s" % (kind, ulid()), a), 404, "GET /%s/{unknown id}" % kind)

        # A client-chosen id is honoured.
        chosen = ulid()
        created = fx.call("POST", "/" + kind, a, json_body=dict(body, id=chosen, name=unique("API chosen")))
        if checks.envelope(created, 201, "POST /%s with a client-chosen id" % kind):
            checks.check(created.obj.get("id") == chosen, "POST /%s with id %s: %s"
                         % (kind, chosen, created.describe()))

        # Without a name: 400 naming the field, as JSON, as a form, and with no body at all.
        checks.error(fx.call("POST", "/" + kind, a, json_body=body), 400, "POST /%s without a name" % kind, "name")
        checks.error(fx.call("POST", "/" + kind, a, form=body), 400, "POST /%s form without a name" % kind, "name")
        checks.error(fx.call("POST", "/" + kind, a), 400, "POST /%s with an empty body" % kind, "name")
        # A form body reaches the same handler.
        form_name = unique("API form %s" % kind)
        by_form = fx.call("POST", "/" + kind, a, form=dict(body, name=form_name))
        if checks.envelope(by_form, 201, "POST /%s as a form" % kind):
            checks.check(by_form.obj.get("name") == form_name, "POST /%s form: %s" % (kind, by_form.describe()))
        checks.error(fx.call("POST", "/" + kind, a, raw=b'{"name": ', content_type="application/json"), 400,
                     "POST /%s with malformed JSON" % kind)

        # Methods the path does not take.
        checks.error(fx.call("PUT", "/" + kind, a, json_body={"name": "x"}), 405, "PUT /%s" % kind)
        checks.error(fx.call("DELETE", "/" + kind, a), 405, "DELETE /%s" % kind)
        head = fx.call("HEAD", "/" + kind, a)
        checks.status(head, 200, "HEAD /%s" % kind)

    # Products: {name, type, uom}; the reply pins 3 data keys and 1 meta key.
    name = unique("API product")
    made = fx.call("POST", "/product", a, json_body={"name": name, "type": FLOWER_DRY, "uom": "g"})
    product_a = None
    if checks.envelope(made, 201, "POST /product under A"):
        checks.keys(made.data, ["id", "name", "type"], "POST /product 201 data")
        checks.keys(made.meta, ["note"], "POST /product 201 meta")
        data = made.obj
        product_a = id_of(made)
        checks.check(ref_id(data.get("type")) == FLOWER_DRY, "POST /product: type %r, expected %s"
                     % (data.get("type"), FLOWER_DRY))
    made_b = fx.call("POST", "/product", b, json_body={"name": name, "type": FLOWER_DRY, "uom": "g"})
    product_b = id_of(made_b) if checks.envelope(made_b, 201, "POST /product same name under B") else None
    checks.error(fx.call("POST", "/product", a, json_body={"name": name, "type": FLOWER_DRY, "uom": "g"}), 409,
                 "POST /product with the same name twice under A")
    listed = fx.call("GET", "/product", a)
    if checks.envelope(listed, 200, "GET /product under A"):
        checks.check(product_a in ids(listed), "GET /product under A lacks A's product")
        checks.check(product_b not in ids(listed), "GET /product under A shows B's product")
    if product_a:
        checks.error(fx.call("GET", "/product/" + product_a, b), 404, "GET /product/{A's id} under B")

    # Product types in all three spellings (openthc-api.md 3 and 7); the form body too.
    for what, type_id in [("lotbox's spelling", "018NY6XC00PTGMB39NHCZ8EDEZ"),
                          ("cre's spelling", "010PENTHC0PTGMB39NHCZ8EDEZ"),
                          ("cre's Plant Tissue", "010PENTHC0PT2BKFPCEFB9G1Z2"),
                          ("a legacy seed id", "019KAGVSC0C474J20SEWDM5XSJ")]:
        response = fx.call("POST", "/product", a, form={"name": unique("API type"), "type": type_id, "uom": "g"
                                                        if "GMB39" not in type_id else "ea"})
        checks.envelope(response, 201, "POST /product (form) with %s %s" % (what, type_id))
    checks.error(fx.call("POST", "/product", a, json_body={"name": unique("API type"), "type": "01NOSUCHTYPE",
                                                           "uom": "g"}), 400, "POST /product with an unknown type",
                 "type")
    types = fx.call("GET", "/product/type", a)
    if checks.envelope(types, 200, "GET /product/type"):
        checks.check(FLOWER_DRY in ids(types), "GET /product/type lacks %s" % FLOWER_DRY)
    single = fx.call("GET", "/product/type/" + FLOWER_DRY, a)
    if checks.envelope(single, 200, "GET /product/type/{id}"):
        checks.check(single.obj.get("id") == FLOWER_DRY, "GET /product/type/{id}: %s" % single.describe())

    # The directory every session reads: companies, licenses, contacts.
    for kind, key in [("company", "company"), ("license", "license"), ("contact", "contact")]:
        listed = fx.call("GET", "/" + kind, a)
        if checks.envelope(listed, 200, "GET /%s" % kind):
            for who in fx.identities[:2]:
                checks.check(who[key] in ids(listed), "GET /%s lacks %s" % (kind, who[key]))
        single = fx.call("GET", "/%s/%s" % (kind, fx.identities[1][key]), a)
        checks.envelope(single, 200, "GET /%s/{B's id} under A" % kind)

    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
