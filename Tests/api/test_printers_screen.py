"""The printers' screen and the print queue's hold and reprint (issue #13) in a real headless Chromium
against a real lotbox serve printing to a real cupsd raw queue: a budtender is refused /printers; a
manager watches it; the queue stopped (cupsdisable) while a lot's label is due shows as held, with
the queue's reason, live on the open page (no reload); on /print-queue the waiting job is held and
released by the manager; the queue started again (cupsenable) shows printing again, live; the
printed job is reprinted from the queue. Both screen sizes, no console errors.

usage: test_printers_screen.py FIXTURE.json PRINTERS.json CUPS_SERVER QUEUE
  PRINTERS.json: {"budtender": {"name", "pin"}, "manager": {...}, "printer", "product", "db", "screenshots"}
"""

import json
import subprocess
import sys

from test_screens import Screen, one, rows, wait_for  # noqa: E402 (clears the proxy first)
from client import Checks, Fixture, id_of  # noqa: E402


def cups(tool, server, queue):
    return subprocess.run(["/usr/sbin/" + tool, "-h", server, queue], capture_output=True, text=True, timeout=30)


def main():
    checks = Checks("printers-screen")
    try:
        scenario(checks)
    except AssertionError as failure:
        checks.check(False, str(failure))
    return checks.finish()


def scenario(checks):
    fx = Fixture(sys.argv)
    with open(sys.argv[2], encoding="utf-8") as handle:
        spec = json.load(handle)
    server, queue = sys.argv[3], sys.argv[4]
    name, db = spec["printer"], spec["db"]
    api = fx.open(checks, 0, 0, "open a session for license A")
    if not api:
        return

    counter = Screen(fx.base_url, checks, spec["screenshots"], 1024, 600)
    try:
        counter.sign_in(spec["budtender"]["name"], spec["budtender"]["pin"])
        wait_for("the budtender's stations page", lambda: counter.path() == "/" and counter.all("a[href='/lots']"))
        counter.go("/printers")
        said = wait_for("the printers' refusal", lambda: counter.text("main"))
        checks.check("needs a manager" in said, "a budtender at /printers sees %r" % said)
        counter.console("a budtender at the printers", allowed=[("/printers", 403)])
    finally:
        counter.close()

    office = Screen(fx.base_url, checks, spec["screenshots"], 1024, 600)
    printer = "li[data-printer='%s']" % name
    try:
        office.sign_in(spec["manager"]["name"], spec["manager"]["pin"])
        wait_for("the manager's stations page", lambda: office.path() == "/" and office.all("a[href='/printers']"))
        office.click("a[href='/printers']")
        wait_for("the printers' event stream", lambda: office.path() == "/printers" and (office.js("return window.lotboxShown && window.lotboxShown.count") or 0) >= 1)
        checks.check(office.attribute(printer, "data-held") == "0" and office.all(printer + " [data-prints]"),
                     "the printer does not show as printing: %r" % office.text(printer))
        office.fits("printers")
        office.shot("printers")
        office.console("printers page")

        # The queue stopped while a label is due: held, with CUPS' reason, on the open page.
        office.js("window.lotboxSamePage = true;")
        stopped = cups("cupsdisable", server, queue)
        checks.check(stopped.returncode == 0, "cupsdisable: %s" % stopped.stderr)
        made = fx.call("POST", "/inventory", api, json_body={"product": spec["product"], "qty": "3"})
        checks.status(made, 201, "a lot made while the queue is stopped")
        lot = id_of(made)
        wait_for("the hold on the page", lambda: office.attribute(printer, "data-held") == "1", seconds=60)
        codes = office.attribute(printer, "data-hold-codes") or ""
        checks.check("paused" in codes and "paused" in (office.text(printer + " [data-hold]") or ""),
                     "the hold reads %r (codes %r)" % (office.text(printer + " [data-hold]"), codes))
        checks.check(office.js("return window.lotboxSamePage === true"), "the page reloaded instead of changing live")
        office.shot("printers-held")
        office.console("a held printer")

        # The print queue: the waiting job is held by the manager, then released.
        job = wait_for("the lot's label job", lambda: rows(db, "SELECT id FROM print_job WHERE object_id = ? AND kind = 'lot-label'", lot))[0][0]
        office.go("/print-queue")
        row = "tr[data-job='%s']" % job
        wait_for("the job on the queue page", lambda: office.attribute(row, "data-state") == "queued"
                 and (office.js("return window.lotboxShown && window.lotboxShown.count") or 0) >= 1)
        office.click(row + " [data-job-action='hold']")
        wait_for("the job held", lambda: office.attribute(row, "data-state") == "held")
        checks.check(one(db, "SELECT state FROM print_job WHERE id = ?", job) == "held", "the job is not held in the store")
        office.fits("print queue, held")
        office.click(row + " [data-job-action='release']")
        wait_for("the job released", lambda: office.attribute(row, "data-state") == "queued")

        # Started again: the printers page shows it printing, live, and the label prints.
        office.go("/printers")
        wait_for("the printers page again", lambda: (office.js("return window.lotboxShown && window.lotboxShown.count") or 0) >= 1)
        office.js("window.lotboxSamePage = true;")
        started = cups("cupsenable", server, queue)
        checks.check(started.returncode == 0, "cupsenable: %s" % started.stderr)
        wait_for("the printer printing again on the page", lambda: office.attribute(printer, "data-held") == "0"
                 and office.all(printer + " [data-prints]"), seconds=60)
        checks.check(office.js("return window.lotboxSamePage === true"), "the page reloaded instead of changing live")
        wait_for("the label printed", lambda: one(db, "SELECT state FROM print_job WHERE id = ?", job) == "completed", seconds=60)
        office.console("a printer back")

        # Reprinted from the queue: a new job for the same lot on the same printer, printed.
        office.go("/print-queue")
        wait_for("the printed job on the queue page", lambda: office.attribute(row, "data-state") == "completed")
        office.click(row + " [data-job-action='reprint']")
        said = wait_for("the reprint's message", lambda: office.text("#flash"))
        checks.check(said.startswith("Reprinting job"), "the reprint says %r" % said)
        again = wait_for("the reprint's job", lambda: rows(db, "SELECT id, printer, copies FROM print_job WHERE object_id = ? AND id <> ?", lot, job))
        checks.check(len(again) == 1 and again[0][1] == name, "the reprint made %r" % again)
        wait_for("the reprint on the page", lambda: office.all("tr[data-job='%s']" % again[0][0]))
        wait_for("the reprint printed", lambda: one(db, "SELECT state FROM print_job WHERE id = ?", again[0][0]) == "completed", seconds=60)
        office.shot("print-queue-reprint")
        office.console("hold, release and reprint")
    finally:
        office.close()

    phone = Screen(fx.base_url, checks, spec["screenshots"], 390, 844)
    try:
        phone.sign_in(spec["manager"]["name"], spec["manager"]["pin"])
        wait_for("the stations page on the phone", lambda: phone.path() == "/")
        phone.go("/printers")
        wait_for("the printers on the phone", lambda: phone.all("li[data-printer]"))
        phone.fits("printers")
        phone.shot("printers")
        phone.go("/print-queue")
        wait_for("the queue on the phone", lambda: phone.all("tr[data-job]"))
        phone.fits("print queue")
        phone.console("phone")
    finally:
        phone.close()


if __name__ == "__main__":
    sys.exit(main())
