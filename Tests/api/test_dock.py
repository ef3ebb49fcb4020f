"""The dock screen in a real headless Chromium against a real lotbox serve: a budtender is refused
the dock (its page and its scans); a receiver opens a manifest by a real reader's scan (a FIFO
scanner), counts a package short with the QTY keypad and the wedge, another whole by the reader,
scans one that is not on the manifest (refused in red, set aside), and ACCEPTs after the short
warning; the lots exist with the receiver as their actor. Both screen sizes, no console errors.
Usage: test_dock.py FIXTURE.json DOCK.json
"""
import json
import sys

from test_screens import Screen, one, rows, type_fast, wait_for  # noqa: E402 (clears the proxy first)
from client import Checks, Client, Fixture  # noqa: E402


def main():
    checks = Checks("dock")
    try:
        scenario(checks)
    except AssertionError as failure:
        checks.check(False, str(failure))
    return checks.finish()


def scenario(checks):
    fx = Fixture(sys.argv)
    with open(sys.argv[2], encoding="utf-8") as handle:
        spec = json.load(handle)
    station, db, transfer, fifo = spec["station"], spec["db"], spec["transfer"], spec["fifo"]
    short, whole = spec["packages"]
    budtender, receiver = spec["budtender"], spec["receiver"]
    http = Client(fx.base_url)

    # A budtender is refused the dock: not offered it, its page says why, and its scans there are 403.
    counter = Screen(fx.base_url, checks, spec["screenshots"], 1024, 600)
    try:
        counter.sign_in(budtender["name"], budtender["pin"])
        wait_for("the budtender's stations page", lambda: counter.path() == "/" and counter.all("meta[name='csrf-token']"))
        checks.check(not counter.all("a[href='/dock/%s']" % station), "the stations page offers a budtender the dock")
        csrf = counter.find('meta[name="csrf-token"]').get_attribute("content")
        cookie = counter.session_cookie()
        counter.go("/dock/%s" % station)
        refusal = wait_for("the dock's refusal page", lambda: counter.text("main"))
        checks.check("The dock is for a receiver, a manager or an admin" in refusal, "a budtender at the dock sees %r" % refusal)
        scanned = http.request("POST", "/scan", json_body={"station": station, "code": transfer}, headers={"Cookie": cookie, "X-CSRF-Token": csrf})
        checks.error(scanned, 403, "a budtender's scan at the dock", note_contains="budtender")
        fragment = http.request("GET", "/dock/%s/manifest" % station, headers={"Cookie": cookie})
        checks.check(fragment.status == 403, "a budtender read the dock's manifest: %d" % fragment.status)
        counter.console("a budtender at the dock", allowed=[("/dock/%s" % station, 403)])
    finally:
        counter.close()
    checks.check(one(db, "SELECT count(*) FROM scan_log") == 0, "a budtender's refused scan was logged")

    dock = Screen(fx.base_url, checks, spec["screenshots"], 1024, 600)
    try:
        dock.sign_in(receiver["name"], receiver["pin"])
        wait_for("the receiver's stations page", lambda: dock.path() == "/" and dock.all("a[href='/dock/%s']" % station))
        dock.go("/dock/%s" % station)
        wait_for("the idle dock", lambda: dock.all("[data-no-transfer]"))
        wait_for("the dock's event stream", lambda: dock.js("return window.lotboxShown && window.lotboxShown.count") >= 1)
        dock.fits("dock, idle")
        dock.shot("dock-idle")
        dock.console("dock page")

        def states():
            return {row.get_attribute("data-package"): row.get_attribute("data-state") for row in dock.all("tr[data-package]")}

        def counted(package):
            return dock.text("tr[data-package='%s'] [data-counted]" % package)

        # The manifest opened by the real reader on the box: on the page through /events alone.
        with open(fifo, "w", encoding="ascii") as reader:
            reader.write(transfer + "\n")
        wait_for("the manifest, live", lambda: dock.attribute("[data-transfer]", "data-transfer") == transfer)
        checks.check(dock.text("[data-source]") == spec["source"], "the source license reads %r" % dock.text("[data-source]"))
        checks.check(states() == {short: "none", whole: "none"}, "a fresh manifest's packages are %r" % states())

        # The QTY keypad, then the wedge: the first package counted 2 of its 3 (short).
        dock.find("[data-action='qty']").click()
        wait_for("the keypad", lambda: dock.find("#qty-dialog").is_displayed())
        dock.find("#qty-dialog [data-key='2']").click()
        dock.find("#qty-form button[type='submit']").click()
        wait_for("the pending quantity", lambda: "Next scan counts 2" in (dock.text("#manifest") or ""))
        dock.js("document.activeElement && document.activeElement.blur()")
        type_fast(dock.driver, short + "\n")
        wait_for("the short count", lambda: states().get(short) == "short")
        checks.check(counted(short) == "2 ea", "the short package's count reads %r" % counted(short))

        # The second package by the reader, whole.
        with open(fifo, "w", encoding="ascii") as reader:
            reader.write(whole + "\n")
        wait_for("the whole count", lambda: states().get(whole) == "complete")
        checks.check(counted(whole) == "2 ea", "the whole package's count reads %r" % counted(whole))
        checks.check("1 of 2 package(s) complete" in (dock.text("[data-progress]") or ""), "the progress reads %r" % dock.text("[data-progress]"))

        # A package that is not on the manifest: refused in red, saying to set it aside.
        type_fast(dock.driver, spec["stranger"] + "\n")
        wait_for("the refusal", lambda: "refused" in (dock.attribute("[data-decision]", "class") or ""))
        said = dock.text("[data-decision]") or ""
        checks.check(spec["stranger"] in said and "is not on transfer" in said and "set it aside" in said, "the refusal reads %r" % said)
        aside = dock.text("[data-aside]") or ""
        checks.check(spec["stranger"] in aside, "the set-aside list reads %r" % aside)
        color = dock.js("return getComputedStyle(document.querySelector('[data-decision]')).color")
        checks.check(color.replace(" ", "") == "rgb(163,18,30)", "the refusal is %s, not red" % color)
        dock.fits("dock, counting")
        dock.shot("dock-counting")

        # ACCEPT: it says which package is short first, then accepts what was counted.
        dock.find("[data-action='accept']").click()
        wait_for("the confirm dialog", lambda: dock.find("#confirm-dialog").is_displayed())
        warning = dock.text("#confirm-text") or ""
        checks.check(warning.startswith("Short: ") and short in warning and "2 ea of 3 ea" in warning and whole not in warning,
                     "ACCEPT's warning reads %r" % warning)
        dock.find("#confirm-yes").click()
        wait_for("the acceptance", lambda: "accepted 2 package(s)" in (dock.text("[data-decision]") or ""))
        dock.console("counting and ACCEPT")
    finally:
        dock.close()

    items = rows(db, "SELECT origin_inventory_id, inventory_id, qty_received FROM b2b_incoming_item WHERE b2b_incoming_id = ? "
                     "ORDER BY origin_inventory_id", transfer)
    checks.check([(item[0], item[1] is not None, item[2]) for item in items] == [(short, True, 20000), (whole, True, 20000)],
                 "the transfer's items after ACCEPT: %r" % items)
    lots = [item[1] for item in items if item[1]]
    if len(lots) == 2:
        # Who made the lots (each lot's own record) and who accepted the transfer (the audit log): the signed-in receiver.
        makers = rows(db, "SELECT DISTINCT json_extract(meta, '$.actor') FROM inventory WHERE id IN (?, ?)", *lots)
        checks.check(makers == [("contact:" + receiver["id"],)], "the new lots name %r as their maker, not the signed-in receiver" % makers)
        accepters = rows(db, "SELECT actor FROM audit_log WHERE action = 'accept' AND object_id = ?", transfer)
        checks.check(accepters == [("contact:" + receiver["id"],)], "the acceptance is logged as %r, not the signed-in receiver's" % accepters)

    # The phone size.
    phone = Screen(fx.base_url, checks, spec["screenshots"], 390, 844)
    try:
        phone.sign_in(receiver["name"], receiver["pin"])
        wait_for("the stations page on the phone", lambda: phone.path() == "/")
        phone.go("/dock/%s" % station)
        wait_for("the dock on the phone", lambda: phone.all("#manifest"))
        phone.fits("dock")
        phone.shot("dock")
        phone.console("phone")
    finally:
        phone.close()


if __name__ == "__main__":
    sys.exit(main())
