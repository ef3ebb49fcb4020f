"""The dock screen in a real headless Chromium against a real lotbox serve: a budtender is refused
the dock (its page and its scans). A receiver's idle dock lists the incoming transfers addressed to
its license (not one addressed to another license); a transfer a sender on the box commits through
the API appears there live; picking it is a scan of its manifest (the scan log and the station's
decision the same as the reader's). The receiver closes it, opens another by a real reader's scan (a
FIFO scanner), counts a package short with the QTY keypad and the wedge, another whole by the reader,
scans one that is not on the manifest (refused in red, set aside), and ACCEPTs after the short
warning; the lots exist with the receiver as their actor, and the dock shows them with their labels
live until each is printed by a real IPP printer (ippeveprinter). The printer is switched off; the
next transfer's lots wait with the reason. Then the print queue (/print-queue): those labels held
through the API and seen held live, one released and one canceled by a manager; a receiver is refused
the screen and a release. Both screen sizes, no console errors.
Usage: test_dock.py FIXTURE.json DOCK.json
"""
import json
import os
import signal
import sys

from test_screens import Screen, one, rows, type_fast, wait_for  # noqa: E402 (clears the proxy first)
from client import FLOWER_DRY, Checks, Client, Fixture, id_of, ulid, unique  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402


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
    later = spec["later_transfer"]
    license_a, license_b = fx.identities[0]["license"], fx.identities[1]["license"]
    a = fx.open(checks, 0, 0, "open a session for license A")
    b = fx.open(checks, 1, 1, "open a session for license B")
    assert a and b, "no API sessions for licenses A and B"
    # A transfer addressed to license B (committed by A): never on A's dock.
    elsewhere = send(fx, checks, a, license_b, fx.objects["flower"], fx.objects["section"], "A to B")
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

        def picks():
            return [button.get_attribute("data-pick") for button in dock.all("[data-pick]")]

        # The picker: the transfers addressed to this dock's license that wait, with sender, id, date and packages.
        wait_for("the imported transfer in the picker", lambda: transfer in picks())
        checks.check(elsewhere not in picks(), "the dock of license A offers %s, a transfer addressed to license B" % elsewhere)
        offered = dock.text("[data-pick='%s']" % transfer) or ""
        checks.check(spec["source"] in offered and transfer[-6:] in offered and "2 packages" in offered and "sent " in offered,
                     "the picker's row reads %r" % offered)
        dock.fits("dock, idle")
        dock.shot("dock-idle")
        dock.console("dock page")

        # Live: a sender on this box (license B) commits a transfer to A through the API; it appears without a reload.
        dock.js("window.lotboxSamePage = true")
        sent = send(fx, checks, b, license_a, b_product(fx, checks, b), fx.objects["b_section"], "B to A")
        wait_for("the committed transfer in the picker, live", lambda: sent in picks())
        checks.check(dock.js("return window.lotboxSamePage === true"), "the dock reloaded to show the new transfer")
        offered = dock.text("[data-pick='%s']" % sent) or ""
        checks.check("Beta Retail" in offered and "1 package" in offered, "the new transfer's row reads %r" % offered)
        height = dock.js("return document.querySelector(arguments[0]).getBoundingClientRect().height", "[data-pick='%s']" % sent)
        checks.check(height >= 44, "a picker's row is %s px high; a finger needs 44" % height)

        # Picking it is scanning its manifest: the same station path, scan log and decision.
        dock.click("[data-pick='%s']" % sent)
        wait_for("the picked manifest", lambda: dock.attribute("[data-transfer]", "data-transfer") == sent)
        picked = rows(db, "SELECT station, device, status, value FROM scan_log ORDER BY id DESC LIMIT 1")
        checks.check(picked == [(station, "api:" + receiver["id"], "recognized", sent)], "the pick's scan log row is %r" % picked)
        decided = rows(db, "SELECT outcome, action, object_id, scan_log_id = (SELECT max(id) FROM scan_log) FROM station_event "
                           "WHERE station = ? ORDER BY id DESC LIMIT 1", station)
        checks.check(decided == [("accepted", "open", sent, 1)], "the pick's decision is %r" % decided)
        dock.click("[data-action='close']")
        wait_for("the close's confirmation", lambda: dock.find("#confirm-dialog").is_displayed())
        dock.click("#confirm-yes")
        wait_for("the picker again", lambda: transfer in picks() and sent in picks())
        dock.console("the picker")

        def states():
            return {row.get_attribute("data-package"): row.get_attribute("data-state") for row in dock.all("tr[data-package]")}

        def counted(package):
            return dock.text("tr[data-package='%s'] [data-counted]" % package)

        # The manifest opened by the real reader on the box: on the page through /events alone.
        with open(fifo, "w", encoding="ascii") as reader:
            reader.write(transfer + "\n")
        wait_for("the manifest, live", lambda: dock.attribute("[data-transfer]", "data-transfer") == transfer)
        scanned = rows(db, "SELECT station, status, kind, value FROM scan_log ORDER BY id DESC LIMIT 1")
        picked_kind = rows(db, "SELECT kind FROM scan_log WHERE value = ? AND device LIKE 'api:%'", sent)
        checks.check(scanned == [(station, "recognized", picked_kind[0][0] if picked_kind else None, transfer)],
                     "the reader's manifest scan is logged as %r, the pick as %r" % (scanned, picked_kind))
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

        items = rows(db, "SELECT origin_inventory_id, inventory_id, qty_received FROM b2b_incoming_item WHERE b2b_incoming_id = ? "
                         "ORDER BY origin_inventory_id", transfer)
        checks.check([(item[0], item[1] is not None, item[2]) for item in items] == [(short, True, 20000), (whole, True, 20000)],
                     "the transfer's items after ACCEPT: %r" % items)
        lots = [item[1] for item in items if item[1]]

        # After ACCEPT: the new lots with their labels' state, live from /events, until the printer has printed each.
        def labels():
            return {row.get_attribute("data-lot"): row.get_attribute("data-label") for row in dock.all("[data-received] tr[data-lot]")}

        wait_for("the received lots on the dock", lambda: set(labels()) == set(lots) and len(lots) == 2)
        seen = set()
        def printed():
            now = labels()
            seen.update(now.values())
            return now and all(state == "printed" for state in now.values())
        wait_for("every new lot's label printed, live", printed, seconds=60)
        checks.check(seen <= {"none", "queued", "sending", "printed"}, "the labels passed through %r on the way to printed" % seen)
        checks.check(dock.js("return window.lotboxSamePage === true"), "the dock reloaded while the labels printed")
        done = rows(db, "SELECT DISTINCT state FROM print_job WHERE kind = 'lot-label' AND object_id IN (?, ?)", *lots) if len(lots) == 2 else []
        checks.check(done == [("completed",)], "the store's label jobs of the new lots are %r" % done)
        checks.check("2 of 2 label(s) printed" in (dock.text("[data-printed]") or ""), "the received heading reads %r" % dock.text("[data-printed]"))
        dock.fits("dock, received")
        dock.shot("dock-received")

        # The printer is switched off: the next transfer's lots wait, saying why.
        os.kill(spec["printer_pid"], signal.SIGKILL)
        dock.click("[data-pick='%s']" % later)
        wait_for("the later manifest", lambda: dock.attribute("[data-transfer]", "data-transfer") == later)
        checks.check(dock.text("[data-received]") is None, "the last acceptance's lots stay on the screen after another manifest was opened")
        for package in spec["later_packages"]:
            with open(fifo, "w", encoding="ascii") as reader:
                reader.write(package + "\n")
            wait_for("%s counted" % package, lambda: states().get(package) == "complete")
        dock.click("[data-action='accept']")
        wait_for("the confirm dialog", lambda: dock.find("#confirm-dialog").is_displayed())
        checks.check((dock.text("#confirm-text") or "").startswith("Every package is counted"), "ACCEPT's question reads %r" % dock.text("#confirm-text"))
        dock.click("#confirm-yes")
        wait_for("the later acceptance", lambda: "accepted 2 package(s) of transfer %s" % later in (dock.text("[data-decision]") or ""))
        def waiting():
            """The later lots whose labels wait, each with its reason; None while the live list is being redrawn."""
            try:
                found = [row.get_attribute("data-lot") for row in dock.all("[data-received='%s'] tr[data-lot]" % later)
                         if row.get_attribute("data-label") in ("waiting", "held", "failed")]
                return [dock.text("[data-received] tr[data-lot='%s'] [data-label-reason]" % lot) or "" for lot in found]
            except StaleElementReferenceException:
                return None
        seen = []

        def two_waiting():
            seen.append(waiting())
            return len(seen[-1] or []) == 2
        wait_for("the later lots' labels waiting with a reason", two_waiting, seconds=90)
        reasons = seen[-1]
        checks.check(len(reasons) == 2 and all(len(reason) > 10 for reason in reasons), "the waiting labels' reasons read %r" % reasons)
        dock.fits("dock, labels waiting")
        dock.shot("dock-waiting")
        dock.console("labels printed and waiting")
    finally:
        dock.close()

    if len(lots) == 2:
        # Who made the lots (each lot's own record) and who accepted the transfer (the audit log): the signed-in receiver.
        makers = rows(db, "SELECT DISTINCT json_extract(meta, '$.actor') FROM inventory WHERE id IN (?, ?)", *lots)
        checks.check(makers == [("contact:" + receiver["id"],)], "the new lots name %r as their maker, not the signed-in receiver" % makers)
        accepters = rows(db, "SELECT actor FROM audit_log WHERE action = 'accept' AND object_id = ?", transfer)
        checks.check(accepters == [("contact:" + receiver["id"],)], "the acceptance is logged as %r, not the signed-in receiver's" % accepters)

    # The print queue: the new lots' label jobs (their printer never answers), for a manager only.
    later_lots = [row[0] for row in rows(db, "SELECT inventory_id FROM b2b_incoming_item WHERE b2b_incoming_id = ? AND inventory_id IS NOT NULL "
                                            "ORDER BY origin_inventory_id", later)]
    jobs = wait_for("the later lots' label jobs", lambda: len(later_lots) == 2 and rows(
        db, "SELECT id FROM print_job WHERE kind = 'lot-label' AND object_id IN (?, ?) ORDER BY object_id", *later_lots))
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


def b_product(fx, checks, b):
    """A product of license B's own, for what B sends."""
    made = fx.call("POST", "/product", b, json_body={"name": unique("Beta Flower"), "type": FLOWER_DRY, "uom": "g"})
    checks.envelope(made, 201, "POST /product under license B")
    return id_of(made)


def send(fx, checks, sid, target, product, section, what):
    """An outgoing transfer of 10 g from a new lot of `product`, committed to `target` through the API: the
    target's incoming transfer, as a sender on the same box delivers it. Returns its id."""
    lot = fx.call("POST", "/inventory", sid, json_body={"product": product, "qty": 100, "section": section})
    checks.envelope(lot, 201, "%s: POST /inventory" % what)
    transfer = ulid()
    checks.envelope(fx.call("POST", "/b2b", sid, json_body={"id": transfer, "license_id_target": target}), 201, "%s: POST /b2b" % what)
    checks.envelope(fx.call("POST", "/b2b/%s" % transfer, sid, json_body={"inventory_id": id_of(lot), "qty": 10}), 201, "%s: POST /b2b/{id}" % what)
    checks.envelope(fx.call("POST", "/b2b/%s/commit" % transfer, sid), 202, "%s: POST /b2b/{id}/commit" % what)
    return transfer


if __name__ == "__main__":
    sys.exit(main())
