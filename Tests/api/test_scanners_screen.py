"""The scanners' screen and the live scan log (issue #13) in a real headless Chromium against a real
lotbox serve reading real FIFO scanners: /scanners shows each scanner of the license (connected or
missing with its reason, grabbed, its station, its last scan); a scan written by the box's reader
updates "last scan" without a reload (accepted, then a refusal), and a missing scanner's device
appearing turns it connected, live from /events; the scan log (/scans, a manager's) shows new
scans and refusals as they happen, newest first. Both screen sizes, no console errors.

usage: test_scanners_screen.py FIXTURE.json SPEC.json
  SPEC.json: {"budtender": {"name", "pin", "id"}, "manager": {...}, "lot", "fifo", "reader", "missing",
              "missing_path", "station", "db", "screenshots"}
"""

import json
import os
import sys

from test_screens import Screen, wait_for  # noqa: E402 (clears the proxy first)
from client import Checks, Fixture  # noqa: E402


def main():
    checks = Checks("scanners-screen")
    try:
        scenario(checks)
    except AssertionError as failure:
        checks.check(False, str(failure))
    return checks.finish()


def scan(fifo, code):
    """One scan by the box's own reader: a line written into its FIFO."""
    with open(fifo, "w", encoding="ascii") as reader:
        reader.write(code + "\n")


def scanner(screen, name, part):
    return screen.text("li[data-scanner='%s'] %s" % (name, part))


def scan_rows(screen):
    """The scan log's rows, newest first, read in one step (the live list is redrawn as scans arrive)."""
    return screen.js("""return Array.from(document.querySelectorAll('tr[data-scan]')).map(function (row) {
        return {id: parseInt(row.dataset.scan, 10), refused: row.dataset.refused, read: row.querySelector('[data-read]').innerText.trim(),
                text: row.innerText}; });""")


def state_word(screen, name):
    """The scanner's state as written (the style capitalises it on screen)."""
    return screen.js("const el = document.querySelector(arguments[0]); return el ? el.textContent.trim() : null;",
                     "li[data-scanner='%s'] [data-scanner-state]" % name)


def unreloaded(screen):
    return screen.js("return window.lotboxBefore === true")


def scenario(checks):
    fx = Fixture(sys.argv)
    with open(sys.argv[2], encoding="utf-8") as handle:
        spec = json.load(handle)
    budtender, manager, lot = spec["budtender"], spec["manager"], spec["lot"]
    reader, missing = spec["reader"], spec["missing"]

    desk = Screen(fx.base_url, checks, spec["screenshots"], 1024, 600)
    try:
        desk.sign_in(budtender["name"], budtender["pin"])
        wait_for("the budtender's stations page", lambda: desk.path() == "/" and desk.all("a[href='/scanners']"))
        checks.check(not desk.all("a[href='/settings']"), "the stations page offers a budtender the settings")
        desk.click("a[href='/scanners']")
        wait_for("the scanners page", lambda: desk.path() == "/scanners" and desk.all("li[data-scanner]"))
        names = desk.js("return Array.from(document.querySelectorAll('li[data-scanner]')).map(function (row) { return row.dataset.scanner; })")
        checks.check(sorted(names) == sorted([reader, missing]), "the scanners page lists %r" % names)
        wait_for("the reader connected", lambda: desk.attribute("li[data-scanner='%s']" % reader, "data-state") == "reading")
        checks.check(state_word(desk, reader) == "connected", "the reader reads %r" % state_word(desk, reader))
        checks.check(scanner(desk, reader, "[data-scanner-station]") == spec["station"], "the reader's station reads %r" % scanner(desk, reader, "[data-scanner-station]"))
        checks.check("nothing to grab" in (scanner(desk, reader, "[data-grabbed]") or ""), "a FIFO's grab reads %r" % scanner(desk, reader, "[data-grabbed]"))
        checks.check(desk.all("li[data-scanner='%s'] [data-no-last]" % reader), "a scanner that never scanned shows a last scan")
        # The missing one: missing, its reason naming its path; an evdev scanner not open is not grabbed.
        wait_for("the missing scanner reported missing", lambda: desk.attribute("li[data-scanner='%s']" % missing, "data-state") == "missing")
        checks.check(state_word(desk, missing) == "missing", "the missing scanner reads %r" % scanner(desk, missing, "dl"))
        reason = scanner(desk, missing, "[data-scanner-reason]") or ""
        checks.check(spec["missing_path"] in reason, "the missing scanner's reason reads %r" % reason)
        checks.check((scanner(desk, missing, "[data-grabbed]") or "").startswith("no"), "a missing evdev scanner reads grabbed %r" % scanner(desk, missing, "[data-grabbed]"))
        desk.fits("scanners")
        desk.shot("scanners")
        desk.console("scanners page")

        # A scan by the box's reader: "last scan" changes without a reload, accepted; then a refusal.
        desk.js("window.lotboxBefore = true;")
        scan(spec["fifo"], lot)
        wait_for("the reader's scan on the page", lambda: desk.attribute("li[data-scanner='%s'] [data-last-verdict]" % reader, "data-last-verdict") == "accepted")
        checks.check(scanner(desk, reader, "[data-last-read]") == lot, "the last scan reads %r" % scanner(desk, reader, "[data-last-read]"))
        scan(spec["fifo"], "NOSUCHCODE42")
        # Refused, and (once the station has decided) saying what was read.
        wait_for("the refusal on the page, decided", lambda: desk.attribute("li[data-scanner='%s'] [data-last-verdict]" % reader, "data-last-verdict") == "refused"
                 and "NOSUCHCODE42" in (scanner(desk, reader, "[data-last-scan]") or ""))
        checks.check(unreloaded(desk), "the page was reloaded to show the scans")

        # The missing scanner's device appears: it turns connected on the page, live.
        os.mkfifo(spec["missing_path"], 0o600)
        wait_for("the scanner connected once its device is there",
                 lambda: desk.attribute("li[data-scanner='%s']" % missing, "data-state") == "reading")
        checks.check(state_word(desk, missing) == "connected" and unreloaded(desk),
                     "the scanner whose device appeared reads %r" % state_word(desk, missing))
        desk.shot("scanners-live")
        desk.console("scanners live")
    finally:
        desk.close()

    office = Screen(fx.base_url, checks, spec["screenshots"], 1024, 600)
    try:
        office.sign_in(manager["name"], manager["pin"])
        wait_for("the manager's stations page", lambda: office.path() == "/" and office.all("a[href='/settings']"))
        office.go("/scans")
        before = wait_for("the scan log", lambda: scan_rows(office))
        checks.check(len(before) == 2, "the scan log lists %r, expected the 2 scans" % before)
        office.js("window.lotboxBefore = true;")
        scan(spec["fifo"], lot)
        rows = wait_for("the new scan in the log", lambda: (lambda found: found if len(found) == 3 else None)(scan_rows(office)))
        checks.check(rows[0]["id"] > before[0]["id"] and rows[0]["refused"] == "0" and rows[0]["read"] == lot, "the newest row reads %r" % rows[0])
        scan(spec["fifo"], "ANOTHER-UNKNOWN-77")
        rows = wait_for("the refusal in the log, decided", lambda: (lambda found: found if len(found) == 4 and found[0]["refused"] == "1"
                                                                      and "ANOTHER-UNKNOWN-77" in found[0]["text"] else None)(scan_rows(office)))
        ids = [row["id"] for row in rows]
        checks.check(ids == sorted(ids, reverse=True), "the scan log is not newest first: %r" % ids)
        checks.check(unreloaded(office), "the scan log was reloaded to show the scans")
        office.fits("scan log")
        office.shot("scans-live")
        office.console("scan log live")
    finally:
        office.close()

    phone = Screen(fx.base_url, checks, spec["screenshots"], 390, 844)
    try:
        phone.sign_in(budtender["name"], budtender["pin"])
        wait_for("the stations page on the phone", lambda: phone.path() == "/")
        phone.go("/scanners")
        wait_for("the scanners on the phone", lambda: phone.all("li[data-scanner] [data-last-verdict]"))
        phone.fits("scanners")
        phone.shot("scanners")
        phone.go("/scans")
        said = wait_for("the scan log refused to a budtender", lambda: phone.text("main"))
        checks.check("needs a manager" in said, "a budtender's /scans says %r" % said)
        phone.console("phone", allowed=[("/scans", 403)])
    finally:
        phone.close()


if __name__ == "__main__":
    sys.exit(main())
