"""The dock screen in a real headless Chromium against a real lotbox serve: a budtender is refused
the dock (its page and its scans); a receiver opens a manifest by a real reader's scan (a FIFO
scanner), counts a package short with the QTY keypad and the wedge, another whole by the reader,
scans one that is not on the manifest (refused in red, set aside), and ACCEPTs after the short
warning; the lots exist with the receiver as their actor. Then the print queue (/print-queue): the
new lots' label jobs, held through the API and seen held live, one released and one canceled by a
manager; a receiver is refused the screen and a release. Both screen sizes, no console errors.
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
        dock.click("[data-action='qty']")
        wait_for("the keypad", lambda: dock.find("#qty-dialog").is_displayed())
        dock.click("#qty-dialog [data-key='2']")
        dock.click("#qty-form button[type='submit']")
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
        dock.click("[data-action='accept']")
        wait_for("the confirm dialog", lambda: dock.find("#confirm-dialog").is_displayed())
        warning = dock.text("#confirm-text") or ""
        checks.check(warning.startswith("Short: ") and short in warning and "2 ea of 3 ea" in warning and whole not in warning,
                     "ACCEPT's warning reads %r" % warning)
        dock.click("#confirm-yes")
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

    # The print queue: the new lots' label jobs (their printer never answers), for a manager only.
    jobs = wait_for("the new lots' label jobs", lambda: len(lots) == 2 and rows(
        db, "SELECT id FROM print_job WHERE kind = 'lot-label' AND object_id IN (?, ?) ORDER BY object_id", *lots))
    receiver_screen = Screen(fx.base_url, checks, spec["screenshots"], 1024, 600)
    try:
        receiver_screen.sign_in(receiver["name"], receiver["pin"])
        wait_for("the receiver's stations page again", lambda: receiver_screen.path() == "/" and receiver_screen.all("meta[name='csrf-token']"))
        checks.check(not receiver_screen.all("a[href='/print-queue']"), "the stations page offers a receiver the print queue")
        rcsrf = receiver_screen.find('meta[name="csrf-token"]').get_attribute("content")
        rcookie = receiver_screen.session_cookie()
        receiver_screen.go("/print-queue")
        said = wait_for("the queue's refusal page", lambda: receiver_screen.text("main"))
        checks.check("needs a manager" in said, "a receiver at the print queue sees %r" % said)
        released = http.request("POST", "/queue/%s/release" % jobs[0][0], json_body={}, headers={"Cookie": rcookie, "X-CSRF-Token": rcsrf})
        checks.error(released, 403, "a receiver's release", note_contains="manager")
        receiver_screen.console("a receiver at the print queue", allowed=[("/print-queue", 403)])
    finally:
        receiver_screen.close()

    office = Screen(fx.base_url, checks, spec["screenshots"], 1024, 600)
    try:
        manager = spec["manager"]
        office.sign_in(manager["name"], manager["pin"])
        wait_for("the manager's stations page", lambda: office.path() == "/" and office.all("a[href='/print-queue']"))
        csrf = office.find('meta[name="csrf-token"]').get_attribute("content")
        cookie = office.session_cookie()
        office.click("a[href='/print-queue']")
        wait_for("the queue's event stream", lambda: office.path() == "/print-queue"
                 and (office.js("return window.lotboxShown && window.lotboxShown.count") or 0) >= 1)
        first, second = jobs[0][0], jobs[1][0]
        wait_for("both jobs on the screen", lambda: office.all("tr[data-job='%s']" % first) and office.all("tr[data-job='%s']" % second))
        # Held from outside (the API, with the manager's session): the screen shows it live.
        for job in (first, second):
            held = http.request("POST", "/queue/%s/hold" % job, json_body={}, headers={"Cookie": cookie, "X-CSRF-Token": csrf})
            checks.check(held.status == 200 or one(db, "SELECT state FROM print_job WHERE id = ?", job) == "held",
                         "holding job %s answered %d: %s" % (job, held.status, held.describe()))
            if held.status != 200:  # the worker had it in hand; wait until it gives it back, then hold it
                wait_for("job %s to be held" % job, lambda: http.request("POST", "/queue/%s/hold" % job, json_body={},
                                                                           headers={"Cookie": cookie, "X-CSRF-Token": csrf}).status == 200)
        state = lambda job: office.attribute("tr[data-job='%s']" % job, "data-state")
        wait_for("both jobs held on the screen", lambda: state(first) == "held" and state(second) == "held")
        checks.check("held through the API" in (office.text("tr[data-job='%s'] [data-reason]" % first) or ""),
                     "the held job's reason reads %r" % office.text("tr[data-job='%s'] [data-reason]" % first))
        office.fits("print queue")
        office.shot("print-queue")
        # Release one: it goes back to the printer's queue.
        office.click("tr[data-job='%s'] [data-job-action='release']" % first)
        wait_for("the released job", lambda: state(first) not in (None, "held"))
        checks.check(one(db, "SELECT state FROM print_job WHERE id = ?", first) not in ("held", "canceled"),
                     "the released job is %s" % one(db, "SELECT state FROM print_job WHERE id = ?", first))
        # Cancel the other, confirmed: it will not print.
        office.click("tr[data-job='%s'] [data-job-action='cancel']" % second)
        wait_for("the cancel's confirmation", lambda: office.find("#confirm-dialog").is_displayed())
        office.click("#confirm-yes")
        wait_for("the canceled job", lambda: state(second) == "canceled")
        checks.check(one(db, "SELECT state FROM print_job WHERE id = ?", second) == "canceled", "the canceled job is not canceled")
        checks.check(not office.all("tr[data-job='%s'] [data-job-action]" % second), "a canceled job still offers buttons")
        office.console("print queue")
    finally:
        office.close()

    # The phone size: the dock and the print queue (a manager may work the dock too).
    phone = Screen(fx.base_url, checks, spec["screenshots"], 390, 844)
    try:
        phone.sign_in(spec["manager"]["name"], spec["manager"]["pin"])
        wait_for("the stations page on the phone", lambda: phone.path() == "/")
        phone.go("/dock/%s" % station)
        wait_for("the dock on the phone", lambda: phone.all("#manifest"))
        phone.fits("dock")
        phone.shot("dock")
        phone.go("/print-queue")
        wait_for("the print queue on the phone", lambda: phone.all("tr[data-job]"))
        phone.fits("print queue")
        phone.shot("print-queue")
        phone.console("phone")
    finally:
        phone.close()


if __name__ == "__main__":
    sys.exit(main())
