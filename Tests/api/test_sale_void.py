"""A sale's void from its back-office page (issue #13) in a real headless Chromium against a real
lotbox serve: a budtender signed in cannot void a sale alone (403, over HTTP too, and not without
the CSRF token); a wrong manager's PIN typed in the page's dialog is refused in one line and counts
toward that manager's lockout, as a wrong PIN at the sign-in does (one of each locks the manager,
with lock_after = 2); a budtender's own PIN is not a manager's; then the manager's PIN asks for the
void and confirms it: the sale is void, its stock is back on its lot through the ledger, and the
audit names the budtender as the actor and the manager as the approval. Both screen sizes, no
console errors beyond the refusals provoked.

usage: test_sale_void.py FIXTURE.json SPEC.json
  SPEC.json: {"budtender": {"name", "pin", "id"}, "manager": {...}, "db", "screenshots", "lock_seconds"}
"""

import json
import sys
import time

from test_screens import Screen, one, rows, wait_for  # noqa: E402 (clears the proxy first)
from client import FLOWER_DRY, Checks, Client, Fixture, id_of, ulid, unique  # noqa: E402


def main():
    checks = Checks("sale-void")
    try:
        scenario(checks)
    except AssertionError as failure:
        checks.check(False, str(failure))
    return checks.finish()


def void_step(screen, step):
    """Opens the void dialog (step 'request' or 'confirm') and waits for it."""
    screen.click("[data-sale-void='%s']" % step)
    wait_for("the void dialog (%s)" % step, lambda: screen.find("#sale-void-dialog").is_displayed())


def approve(screen, name, pin):
    screen.find("#sale-void-manager").clear()
    screen.find("#sale-void-manager").send_keys(name)
    screen.find("#sale-void-pin").clear()
    screen.find("#sale-void-pin").send_keys(pin)
    screen.click("#sale-void-yes")


def refusal(screen, what):
    return wait_for(what, lambda: screen.find("#sale-void-error").is_displayed() and screen.text("#sale-void-error"))


def scenario(checks):
    fx = Fixture(sys.argv)
    with open(sys.argv[2], encoding="utf-8") as handle:
        spec = json.load(handle)
    budtender, manager, db = spec["budtender"], spec["manager"], spec["db"]
    http = Client(fx.base_url)

    # A lot of 10 and a paid sale of 3 of it, through the API.
    a = fx.open(checks, 0, 0, "open a session for license A")
    if not a:
        return
    product = id_of(fx.call("POST", "/product", a, json_body={"name": unique("Void Jar"), "type": FLOWER_DRY, "package_type": "each",
                                                              "unit_size": "3.5 g", "unit_price": "20"}))
    lot = id_of(fx.call("POST", "/inventory", a, json_body={"product": product, "qty": 10}))
    sale = ulid()
    checks.status(fx.call("POST", "/b2c", a, json_body={"id": sale, "inventory_id": lot, "unit_count": 3}), 201, "the sale")
    checks.status(fx.call("POST", "/b2c/%s/commit" % sale, a), (200, 202), "the sale's commit")
    checks.check(one(db, "SELECT qty FROM inventory WHERE id = ?", lot) == 70000, "the lot is not 7 after the sale")
    manager_failures = "SELECT coalesce(sum(failures), 0) FROM employee_lockout WHERE contact_id = ?"

    desk = Screen(fx.base_url, checks, spec["screenshots"], 1024, 600)
    try:
        desk.sign_in(budtender["name"], budtender["pin"])
        wait_for("the budtender's stations page", lambda: desk.path() == "/")
        cookie = desk.session_cookie()
        csrf = desk.find('meta[name="csrf-token"]').get_attribute("content")

        # Over HTTP: alone, a budtender is refused; with the manager's PIN but no CSRF token, too.
        alone = http.request("POST", "/sales/%s/void" % sale, json_body={}, headers={"Cookie": cookie, "X-CSRF-Token": csrf})
        checks.error(alone, 403, "a budtender's sale void without a manager", note_contains="needs a manager")
        bare = http.request("POST", "/sales/%s/void" % sale, json_body={"manager": manager["name"], "pin": manager["pin"]}, headers={"Cookie": cookie})
        checks.error(bare, 403, "a sale void without the CSRF token", note_contains="CSRF")
        unknown = http.request("POST", "/sales/%s/void" % ulid(), json_body={"manager": manager["name"], "pin": manager["pin"]},
                               headers={"Cookie": cookie, "X-CSRF-Token": csrf})
        checks.error(unknown, 404, "a void of a sale that does not exist", note_contains="no sale")
        checks.check(one(db, "SELECT stat FROM b2c_sale WHERE id = ?", sale) == 200, "a refused void changed the sale")
        checks.check(one(db, manager_failures, manager["id"]) == 0, "the refusals above counted as the manager's wrong PINs")

        desk.go("/sales/%s" % sale)
        wait_for("the sale's page", lambda: desk.all("#sale-detail"))
        checks.check(desk.text("[data-state]") == "paid", "the sale reads %r" % desk.text("[data-state]"))
        void_step(desk, "request")
        desk.fits("sale void dialog")
        desk.shot("sale-void")

        # A wrong PIN: one line in the dialog, nothing voided, one failure against the manager.
        approve(desk, manager["name"], "00000000")
        said = refusal(desk, "the wrong PIN's refusal")
        checks.check("PIN is wrong" in said and "\n" not in said, "a wrong manager's PIN says %r" % said)
        checks.check(one(db, "SELECT stat FROM b2c_sale WHERE id = ?", sale) == 200, "a wrong PIN asked for the void")
        checks.check(one(db, manager_failures, manager["id"]) == 1, "the wrong PIN did not count toward the manager's lockout")

        # A budtender's own PIN is not a manager's (and is right, so it counts against nobody).
        approve(desk, budtender["name"], budtender["pin"])
        said = wait_for("the budtender's PIN refused", lambda: "not a manager" in (desk.text("#sale-void-error") or "") and desk.text("#sale-void-error"))
        checks.check(budtender["name"] in said, "a budtender's PIN as the approval says %r" % said)
        checks.check(one(db, "SELECT stat FROM b2c_sale WHERE id = ?", sale) == 200, "a budtender's PIN asked for the void")
        desk.console("refused approvals", allowed=[("/void", 403), ("/void", 404)])

        # The same lockout as the sign-in's: a wrong PIN there now locks the manager (lock_after = 2) on this
        # device, and the void dialog, still open at the counter, then says so.
        other = Screen(fx.base_url, checks, spec["screenshots"], 1024, 600)
        try:
            other.sign_in(manager["name"], "11111111")
            said = wait_for("the manager locked at the sign-in", lambda: other.text("#signin-error"))
            checks.check("locked" in said, "a second wrong PIN (the first was in the void dialog) says %r" % said)
            checks.check(one(db, manager_failures, manager["id"]) == 2, "the sign-in's wrong PIN is not the manager's second")
            other.console("the lockout at the sign-in", allowed=[("/signin", 429)])
        finally:
            other.close()
        approve(desk, manager["name"], manager["pin"])
        said = wait_for("the lockout in the void dialog", lambda: "locked" in (desk.text("#sale-void-error") or "") and desk.text("#sale-void-error"))
        checks.check(manager["name"] in said and "\n" not in said, "a locked manager's PIN says %r" % said)
        checks.check(one(db, "SELECT stat FROM b2c_sale WHERE id = ?", sale) == 200, "a locked manager's PIN asked for the void")
        # The lock lasts lock_seconds (from the config); the store says when it ends.
        wait_for("the manager's lock to end", lambda: one(db, "SELECT max(locked_until) FROM employee_lockout WHERE contact_id = ?", manager["id"]) < time.time(),
                 seconds=spec["lock_seconds"] + 30)

        # Step 1 with the manager's PIN: void requested; step 2 with it again: void, the stock back.
        desk.js("window.lotboxBefore = true;")
        approve(desk, manager["name"], manager["pin"])
        wait_for("the page after step 1", lambda: desk.js("return window.lotboxBefore === undefined") and desk.all("#sale-detail"))
        said = wait_for("step 1's message", lambda: desk.text("#flash"))
        checks.check(said.startswith("Void requested") and desk.text("[data-state]") == "void requested",
                     "after step 1 the page says %r, the state %r" % (said, desk.text("[data-state]")))
        checks.check(one(db, "SELECT stat FROM b2c_sale WHERE id = ?", sale) == 423, "step 1 did not ask for the void")
        checks.check(one(db, "SELECT qty FROM inventory WHERE id = ?", lot) == 70000, "step 1 put stock back")
        void_step(desk, "confirm")
        desk.js("window.lotboxBefore = true;")
        approve(desk, manager["name"], manager["pin"])
        wait_for("the page after step 2", lambda: desk.js("return window.lotboxBefore === undefined") and desk.all("#sale-detail"))
        said = wait_for("step 2's message", lambda: desk.text("#flash"))
        checks.check(said.startswith("The sale is void") and desk.text("[data-state]") == "void", "after step 2 the page says %r" % said)
        checks.check(one(db, "SELECT stat FROM b2c_sale WHERE id = ?", sale) == 410, "step 2 did not void the sale")
        checks.check(one(db, "SELECT qty FROM inventory WHERE id = ?", lot) == 100000, "the voided sale's 3 are not back on the lot")
        checks.check(not desk.all("[data-sale-void]"), "a void sale still offers a void")
        approval = "approved by %s (contact:%s)" % (manager["name"], manager["id"])
        audit = rows(db, "SELECT action, actor, json_extract(detail, '$.note') FROM audit_log WHERE object_id = ? AND action LIKE 'void%' ORDER BY id", sale)
        checks.check([(action, actor) for action, actor, _ in audit] == [("void-request", "contact:" + budtender["id"]), ("void", "contact:" + budtender["id"])]
                     and all(approval in (note or "") for _, _, note in audit), "the void's audit rows are %r" % audit)
        ledger = rows(db, "SELECT delta, reason_code, actor, note FROM inventory_adjust WHERE inventory_id = ? ORDER BY id DESC LIMIT 1", lot)
        checks.check(len(ledger) == 1 and ledger[0][0] == 30000 and ledger[0][2] == "contact:" + budtender["id"] and approval in (ledger[0][3] or ""),
                     "the ledger's row back is %r" % ledger)
        again = http.request("POST", "/sales/%s/void" % sale, json_body={"manager": manager["name"], "pin": manager["pin"]},
                             headers={"Cookie": desk.session_cookie(), "X-CSRF-Token": desk.find('meta[name="csrf-token"]').get_attribute("content")})
        checks.error(again, 409, "a void of a void sale", note_contains="only a paid sale")
        desk.fits("void sale")
        desk.shot("sale-voided")
        desk.console("the void", allowed=[("/void", 429)])
    finally:
        desk.close()

    phone = Screen(fx.base_url, checks, spec["screenshots"], 390, 844)
    try:
        phone.sign_in(budtender["name"], budtender["pin"])
        wait_for("the stations page on the phone", lambda: phone.path() == "/")
        phone.go("/sales/%s" % sale)
        wait_for("the void sale on the phone", lambda: phone.all("#sale-detail"))
        phone.fits("void sale")
        phone.console("phone")
    finally:
        phone.close()


if __name__ == "__main__":
    sys.exit(main())
