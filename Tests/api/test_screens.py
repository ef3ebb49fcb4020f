"""The staff screens (issue #13) in a real headless Chromium against a real lotbox serve, driven by
selenium through Debian's version-matched chromedriver: sign-in (wrong PINs, the lockout's delay
counting down), the CSRF refusals, the kiosk live from /events, scans typed as keyboard events (a
licence typed with Enter for its line breaks among them, a person typing slowly left alone), a scan
from a real reader on the box (a FIFO scanner), a refusal in red, VOID-LAST approved by a manager's
PIN, cash with change, the receipt job, the customer view, both screen sizes, and no console errors.
Screenshots go to the folder SCREENS.json names (a temporary one).

usage: test_screens.py FIXTURE.json SCREENS.json
  SCREENS.json: {"budtender": {"name", "pin", "id"}, "manager": {...}, "station", "lot", "fifo", "db",
                 "screenshots", "licence_secrets", "lock_after"}
"""

import json
import os
import sqlite3
import sys
import threading
import time

# CI sets a dead proxy: neither selenium's connection to chromedriver nor the browser may use it.
for variable in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(variable, None)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "*"

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

from client import Checks, Client, Fixture  # noqa: E402

WAIT = 30  # seconds: every wait has this deadline; CI runs many suites at once on two cores


def browser(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-proxy-server",
                     "--proxy-bypass-list=*", "--window-size=%d,%d" % (width, height), "--no-first-run",
                     "--disable-extensions", "--disable-background-networking", "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    # The wedge framing's gaps, scaled for a loaded CI machine (the page's defaults are 40 ms between a
    # scanner's keys, 150 ms of quiet to end a scan, 400 ms to end a licence): a burst of WebDriver key
    # events can stall for tens of ms there, and a person's keys below are 700 ms apart.
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                           {"source": "window.LOTBOX_SCAN_TIMING = {fast: 150, quiet: 500, hold: 1200};"})
    # The viewport exactly (headless Chromium's window is at least 500 px wide, and its height includes no page).
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    return driver


def wait_for(what, condition, seconds=WAIT):
    """Polls `condition` until it returns something true, or fails after `seconds`."""
    deadline = time.time() + seconds
    last_error = None
    while time.time() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # the DOM is being replaced under us: look again
            last_error = error
        time.sleep(0.05)
    raise AssertionError("waited %d s for %s%s" % (seconds, what, "" if last_error is None else " (%s)" % last_error))


class Screen:
    """One browser at one screen size, with the console checked after every step."""

    def __init__(self, base_url, checks, shots, width, height):
        self.base = base_url
        self.checks = checks
        self.shots = shots
        self.size = "%dx%d" % (width, height)
        self.driver = browser(width, height)

    def go(self, path):
        self.driver.get(self.base + path)

    def path(self):
        url = self.driver.current_url
        return url[len(self.base):] if url.startswith(self.base) else url

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def click(self, css):
        """Finds and clicks, again if the element was replaced in between (a live page redraws
        its parts as events arrive): a stale element was never clicked, so nothing happens twice."""
        def attempt():
            self.find(css).click()
            return True
        wait_for("a click on %s" % css, attempt)

    def all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css):
        """The element's text, read in one step: the sale's part of the page is replaced whenever it changes."""
        return self.js("const el = document.querySelector(arguments[0]); return el ? el.innerText.trim() : null;", css)

    def attribute(self, css, name):
        return self.js("const el = document.querySelector(arguments[0]); return el ? el.getAttribute(arguments[1]) : null;", css, name)

    def js(self, script, *arguments):
        return self.driver.execute_script(script, *arguments)

    def shot(self, name):
        os.makedirs(self.shots, exist_ok=True)
        self.driver.save_screenshot(os.path.join(self.shots, "%s-%s.png" % (name, self.size)))

    def console(self, step, allowed=()):
        """Console errors since the last look, except network answers the step provoked on purpose
        (`allowed`: (path, status) pairs, e.g. a wrong PIN's 401)."""
        for entry in self.driver.get_log("browser"):
            if entry.get("level") != "SEVERE":
                continue
            message = entry.get("message", "")
            if any(path in message and ("status of %d" % status) in message for path, status in allowed):
                continue
            self.checks.check(False, "%s (%s): console error: %s" % (step, self.size, message))

    def fits(self, step):
        """No horizontal scrolling; every visible control at least 44 px high and wide; a label for every input."""
        report = self.js("""
            const doc = document.documentElement;
            const small = [];
            for (const el of document.querySelectorAll('button, a.button, input:not([type=hidden]), select')) {
              const box = el.getBoundingClientRect();
              if (box.width === 0 && box.height === 0) continue;  // not shown (a closed dialog)
              if (box.height < 44 || box.width < 44) small.push((el.id || el.textContent.trim() || el.tagName) + ' ' + Math.round(box.width) + 'x' + Math.round(box.height));
            }
            const unlabelled = [];
            for (const el of document.querySelectorAll('input:not([type=hidden]), select')) {
              if (!el.id || !document.querySelector('label[for="' + el.id + '"]')) unlabelled.push(el.name || el.id || el.outerHTML);
            }
            return {scroll: doc.scrollWidth, width: doc.clientWidth, small: small, unlabelled: unlabelled};
        """)
        self.checks.check(report["scroll"] <= report["width"],
                          "%s (%s): scrolls sideways: %d px of content in %d" % (step, self.size, report["scroll"], report["width"]))
        self.checks.check(not report["small"], "%s (%s): controls under 44 px: %s" % (step, self.size, report["small"]))
        self.checks.check(not report["unlabelled"], "%s (%s): inputs without a label: %s" % (step, self.size, report["unlabelled"]))

    def sign_in(self, name, pin):
        self.go("/signin")
        self.find("#employee").clear()
        self.find("#employee").send_keys(name)
        self.find("#pin").send_keys(pin)
        self.find("#signin-button").click()

    def session_cookie(self):
        cookie = self.driver.get_cookie("lotbox_session")
        return "lotbox_session=" + cookie["value"] if cookie else None

    def close(self):
        self.driver.quit()


def database(path):
    connection = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10)
    return connection


def rows(db, sql, *arguments):
    """Every row of a query, as tuples."""
    connection = database(db)
    try:
        return [tuple(row) for row in connection.execute(sql, arguments).fetchall()]
    finally:
        connection.close()


def one(db, sql, *arguments):
    connection = database(db)
    try:
        return connection.execute(sql, arguments).fetchone()[0]
    finally:
        connection.close()


class EventTap(threading.Thread):
    """Reads /events as the page's session for as long as the test runs, to prove what never went out."""

    def __init__(self, base_url, cookie):
        super().__init__(daemon=True)
        host, port = base_url.split("//", 1)[1].split(":")
        self.host, self.port, self.cookie = host, int(port), cookie
        self.text = ""
        self.ready = threading.Event()

    def run(self):
        import http.client
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        connection.request("GET", "/events", headers={"Cookie": self.cookie, "Accept": "text/event-stream"})
        reply = connection.getresponse()
        self.ready.set()
        try:
            while True:
                chunk = reply.read1(4096) if hasattr(reply, "read1") else reply.read(1)
                if not chunk:
                    break
                self.text += chunk.decode("utf-8", "replace")
        except Exception:
            pass


def licence(secrets):
    family, given, number, street, birth = secrets
    lines = ["@", "ANSI 636014080002DL00410200ZC02410027DL", "DAQ" + number, "DCS" + family, "DAC" + given,
             "DBB" + birth, "DBA01152035", "DAG" + street, "DAISPRINGFIELD", "DAJCA", "DCGUSA"]
    return "\n".join(lines) + "\n"


def type_fast(driver, text):
    """Keys as a wedge scanner types them: one burst of key events (one WebDriver action)."""
    actions = ActionChains(driver, duration=0)
    for character in text:
        if character == "\n":
            actions.send_keys(Keys.ENTER)
        elif character == "\x1d":
            actions.key_down(Keys.CONTROL).send_keys("]").key_up(Keys.CONTROL)
        else:
            actions.send_keys(character)
    actions.perform()


def main():
    checks = Checks("screens")
    try:
        scenario(checks)
    except AssertionError as failure:
        checks.check(False, str(failure))
    return checks.finish()


def scenario(checks):
    fx = Fixture(sys.argv)
    with open(sys.argv[2], encoding="utf-8") as handle:
        spec = json.load(handle)
    budtender, manager, station, lot, db = spec["budtender"], spec["manager"], spec["station"], spec["lot"], spec["db"]
    secrets = spec["licence_secrets"]
    http = Client(fx.base_url)

    # The sign-in form's POST without its token, and a write with the session cookie but no CSRF token, are refused.
    bare = http.request("POST", "/signin", json_body={"employee": budtender["name"], "pin": budtender["pin"]})
    checks.error(bare, 403, "POST /signin without the form's token", note_contains="token")
    checks.check("set-cookie" not in bare.headers or "lotbox_session=" not in bare.headers.get("set-cookie", ""),
                 "a sign-in without the form's token set a session cookie")

    counter = Screen(fx.base_url, checks, spec["screenshots"], 1024, 600)
    try:
        counter.go("/")
        wait_for("/ to send a signed-out browser to /signin", lambda: counter.path().startswith("/signin"))
        counter.fits("sign-in")
        counter.shot("signin")
        counter.console("sign-in page")

        # Wrong PINs: the message, then the lock with its delay counting down, then the way back in.
        for attempt in range(spec["lock_after"]):
            counter.sign_in(budtender["name"], "000000")
            error = wait_for("the wrong-PIN message", lambda: counter.find("#signin-error").is_displayed() and counter.find("#signin-error").text)
            if attempt < spec["lock_after"] - 1:
                checks.check(error == "Wrong employee or PIN.", "wrong PIN %d shows %r" % (attempt + 1, error))
        locked = counter.find("#signin-error").text
        checks.check("locked" in locked and "try again in" in locked, "the lockout shows %r" % locked)
        checks.check(not counter.find("#signin-button").is_enabled(), "the sign-in button is usable while locked")
        counter.shot("signin-locked")
        wait_for("the lock's delay to run out", lambda: counter.find("#signin-button").is_enabled())
        counter.console("wrong PINs", allowed=[("/signin", 401), ("/signin", 429)])

        counter.sign_in(budtender["name"], budtender["pin"])
        wait_for("the stations page after signing in", lambda: counter.path() == "/" and counter.all("a[href='/kiosk/%s']" % station))
        counter.fits("stations")
        counter.console("stations page")
        cookie = counter.session_cookie()
        checks.check(cookie is not None, "no session cookie after signing in")
        csrf = counter.find('meta[name="csrf-token"]').get_attribute("content")

        # The session cookie alone changes nothing: a scan without the CSRF token is refused, from outside and from the page.
        refused = http.request("POST", "/scan", json_body={"station": station, "code": lot}, headers={"Cookie": cookie})
        checks.error(refused, 403, "POST /scan with the cookie and no CSRF token", note_contains="CSRF")
        status = counter.driver.execute_async_script("""
            const done = arguments[2];
            fetch('/scan', {method: 'POST', credentials: 'same-origin', headers: {'Content-Type': 'application/json'},
                            body: JSON.stringify({station: arguments[0], code: arguments[1]})}).then(r => done(r.status));
        """, station, lot)
        checks.check(status == 403, "a page's POST /scan without X-CSRF-Token answered %r" % status)
        checks.check(one(db, "SELECT count(*) FROM b2c_sale_item") == 0, "a refused scan added a line")
        counter.console("CSRF refusals", allowed=[("/scan", 403)])

        # The kiosk, live from /events.
        tap = EventTap(fx.base_url, cookie)
        tap.start()
        tap.ready.wait(WAIT)
        counter.go("/kiosk/%s" % station)
        wait_for("the kiosk page", lambda: counter.attribute("[data-age]", "data-age") == "needed")
        wait_for("the kiosk's event stream", lambda: counter.js("return window.lotboxShown && window.lotboxShown.count") >= 1)
        counter.fits("kiosk")
        counter.shot("kiosk-empty")
        counter.console("kiosk page")

        # A licence typed by a wedge scanner, Enter at each of its line breaks, into a focused box: held
        # whole until the keys stop, posted once, and nothing of it stays in the box.
        scans_before = one(db, "SELECT count(*) FROM scan_log")
        box = counter.find("#manual-code")
        box.click()
        type_fast(counter.driver, licence(secrets))
        wait_for("the age check to pass", lambda: counter.attribute("[data-age]", "data-age") == "passed")
        checks.check(box.get_attribute("value") == "", "the licence left %r in the focused box" % box.get_attribute("value"))
        time.sleep(1.5)  # longer than the licence's quiet gap: any line sent on its own would be logged by now
        checks.check(one(db, "SELECT count(*) FROM scan_log") == scans_before + 1,
                     "the licence became %d scans, not 1" % (one(db, "SELECT count(*) FROM scan_log") - scans_before))

        # A lot scanned by the wedge with nothing focused: a line with product, lot, quantity, price and total.
        counter.js("document.activeElement && document.activeElement.blur()")
        type_fast(counter.driver, lot + "\n")
        wait_for("the first line", lambda: len(counter.all("table.lines tr[data-lot]")) == 1)
        row = counter.text("table.lines tr[data-lot]") or ""
        checks.check("Screen Eighth" in row and lot[-8:] in row and "$35.00" in row, "the line reads %r" % row)
        taxes = counter.js("return [...document.querySelectorAll('[data-tax]')].map(el => el.innerText.trim())")
        checks.check(taxes == ["Excise Tax", "State Tax"], "the taxes by name: %r" % taxes)
        checks.check(counter.text("[data-total]") == "$42.53", "the total of $35 with 15%% and 6.5%% is %r" % counter.text("[data-total]"))
        checks.check("3.5 g of 28.5 g" in (counter.text("[data-limit]") or ""), "the limit meter reads %r" % (counter.text("[data-limit]") or ""))
        checks.check(counter.text("[data-sale-type]") == "Adult-use", "the sale type reads %r" % counter.text("[data-sale-type]"))

        # A person typing into the box is not a scanner: the text stays and nothing is posted.
        scans_before = one(db, "SELECT count(*) FROM scan_log")
        box = counter.find("#manual-code")
        box.click()
        for character in "ab12":
            box.send_keys(character)
            time.sleep(0.7)
        time.sleep(0.8)
        checks.check(box.get_attribute("value") == "ab12", "a person's typing became %r" % box.get_attribute("value"))
        checks.check(one(db, "SELECT count(*) FROM scan_log") == scans_before, "a person's typing was posted as a scan")
        box.clear()
        counter.js("document.activeElement && document.activeElement.blur()")

        # A scan by the real reader on the box (a FIFO scanner) shows up on the page through /events alone.
        with open(spec["fifo"], "w", encoding="ascii") as reader:
            reader.write(lot + "\n")
        wait_for("the reader's scan on the page", lambda: len(counter.all("table.lines tr[data-lot]")) == 2)

        # A refusal, in red, saying what to do.
        type_fast(counter.driver, "NOSUCHCODE42\n")
        wait_for("the refusal", lambda: "refused" in (counter.attribute("[data-decision]", "class") or ""))
        refusal = counter.text("[data-decision]") or ""
        checks.check("NOSUCHCODE42" in refusal and "Scan the lot label" in refusal, "the refusal reads %r" % refusal)
        color = counter.js("return getComputedStyle(document.querySelector('[data-decision]')).color")
        checks.check(color.replace(" ", "") == "rgb(163,18,30)", "the refusal is %s, not red" % color)
        counter.shot("kiosk-refused")

        # VOID-LAST needs a manager: a budtender cannot post it, and gets the manager's PIN dialog.
        void = http.request("POST", "/scan", json_body={"station": station, "code": "LOTBOX:VOID-LAST"},
                            headers={"Cookie": cookie, "X-CSRF-Token": csrf})
        checks.error(void, 403, "a budtender's VOID-LAST over /scan", note_contains="manager")
        counter.click("[data-action='void-last']")
        wait_for("the manager's dialog", lambda: counter.find("#manager-dialog").is_displayed())
        counter.find("#manager-name").send_keys(manager["name"])
        counter.find("#manager-pin").send_keys("11112222")
        counter.click("#manager-confirm")
        wait_for("the wrong manager PIN", lambda: counter.find("#manager-error").is_displayed())
        checks.check(len(counter.all("table.lines tr[data-lot]")) == 2, "a wrong manager PIN took a line off")
        counter.find("#manager-name").clear()
        counter.find("#manager-name").send_keys(manager["name"])
        counter.find("#manager-pin").send_keys(manager["pin"])
        counter.click("#manager-confirm")
        wait_for("the last line to go", lambda: len(counter.all("table.lines tr[data-lot]")) == 1)
        counter.console("VOID-LAST", allowed=[("/kiosk/%s/void-last" % station, 403), ("/scan", 403)])

        # PAY: cash given, change due, confirmed; the sale is paid and its receipt queued.
        sale = counter.attribute("table.lines", "data-sale")
        counter.click("[data-action='pay']")
        wait_for("the pay dialog", lambda: counter.find("#pay-dialog").is_displayed())
        counter.find("#cash-given").send_keys("20")
        checks.check(counter.find("#change-due").text == "-$22.53", "change for $20 shows %r" % counter.find("#change-due").text)
        counter.click("#pay-confirm")
        wait_for("the short-cash refusal", lambda: counter.find("#pay-error").is_displayed())
        counter.find("#cash-given").clear()
        counter.find("#cash-given").send_keys("50")
        checks.check(counter.find("#change-due").text == "$7.47", "change for $50 shows %r" % counter.find("#change-due").text)
        counter.shot("kiosk-pay")
        counter.click("#pay-confirm")
        wait_for("the change due", lambda: "Change due $7.47" in counter.find("#flash").text)
        wait_for("the paid sale", lambda: counter.all("[data-last-paid='%s']" % sale))
        checks.check(one(db, "SELECT stat FROM b2c_sale WHERE id = ?", sale) == 200, "sale %s is not committed" % sale)
        checks.check(one(db, "SELECT count(*) FROM print_job WHERE kind = 'sale-receipt' AND object_id = ?", sale) == 1,
                     "sale %s has no receipt job" % sale)
        sellers = one(db, "SELECT group_concat(DISTINCT actor) FROM inventory_adjust WHERE ref_type = 'b2c_sale' AND ref_id = ?", sale)
        checks.check(sellers == "contact:" + budtender["id"], "the sale's ledger rows name %r, not the signed-in budtender" % sellers)
        counter.click("[data-action='receipt']")
        wait_for("the reprint", lambda: "Receipt sent to front" in counter.find("#flash").text)
        checks.check(one(db, "SELECT count(*) FROM print_job WHERE kind = 'sale-receipt' AND object_id = ?", sale) == 2,
                     "the reprint queued no second receipt for %s" % sale)
        # The tender is recorded on the sale: cash, $50.00 given, $7.47 back; the kiosk shows it under the last sale.
        paid = rows(db, "SELECT tender, tender_given, tender_change FROM b2c_sale WHERE id = ?", sale)
        checks.check(paid == [("cash", 500000, 74700)], "sale %s records its tender as %r" % (sale, paid))
        shown = counter.text("[data-last-paid='%s'] [data-tender]" % sale) or ""
        checks.check(shown == "(cash $50.00, change $7.47)", "the last sale's tender reads %r" % shown)
        counter.console("PAY")

        # Another tender, named by the shop: a second sale paid with "Other…" as a gift card, for its exact total.
        bad = http.request("POST", "/kiosk/%s/pay" % station, json_body={"tender": "   "}, headers={"Cookie": cookie, "X-CSRF-Token": csrf})
        checks.error(bad, 400, "PAY with a blank tender", note_contains="'tender'")
        bad = http.request("POST", "/kiosk/%s/pay" % station, json_body={"tender": "card", "cash_given": "50"},
                           headers={"Cookie": cookie, "X-CSRF-Token": csrf})
        checks.error(bad, 400, "PAY by card with cash given", note_contains="'cash_given'")
        type_fast(counter.driver, licence(secrets))
        wait_for("the second sale's age check", lambda: counter.attribute("[data-age]", "data-age") == "passed")
        counter.js("document.activeElement && document.activeElement.blur()")
        type_fast(counter.driver, lot + "\n")
        wait_for("the second sale's line", lambda: len(counter.all("table.lines tr[data-lot]")) == 1)
        second = counter.attribute("table.lines", "data-sale")
        checks.check(second and second != sale, "the second sale is %r, the first was %r" % (second, sale))
        counter.click("[data-action='pay']")
        wait_for("the pay dialog again", lambda: counter.find("#pay-dialog").is_displayed())
        Select(counter.find("#tender")).select_by_value("other")
        wait_for("the tender's name box", lambda: counter.find("#tender-name").is_displayed())
        checks.check(not counter.find("#cash-given").is_displayed(), "the cash box shows for another tender")
        counter.click("#pay-confirm")
        wait_for("the nameless tender's refusal", lambda: counter.find("#pay-error").is_displayed())
        counter.find("#tender-name").send_keys("gift card")
        counter.click("#pay-confirm")
        wait_for("the gift card payment", lambda: "Paid by gift card." in counter.find("#flash").text)
        wait_for("the second paid sale", lambda: counter.all("[data-last-paid='%s']" % second))
        paid = rows(db, "SELECT stat, tender, tender_given, tender_change FROM b2c_sale WHERE id = ?", second)
        checks.check(paid == [(200, "gift card", 425300, 0)], "sale %s records %r, not paid by gift card for $42.53" % (second, paid))
        counter.console("PAY by another tender")

        # A kiosk that is not this license's is a page saying so, not a blank screen or JSON.
        counter.go("/kiosk/no-such-kiosk")
        missing = wait_for("the unknown kiosk's page", lambda: counter.text("main"))
        checks.check("There is no kiosk 'no-such-kiosk'" in missing, "an unknown kiosk shows %r" % missing)
        counter.console("unknown kiosk", allowed=[("/kiosk/no-such-kiosk", 404)])

        # The customer's view: the total and lines, no staff controls.
        counter.go("/kiosk/customer?station=%s" % station)
        wait_for("the customer view", lambda: counter.find("[data-view='customer']").text)
        checks.check(not counter.all("[data-action]") and not counter.all("[data-signout]"), "the customer view has staff controls")
        counter.fits("customer view")
        counter.console("customer view")

        # Nothing of the licence went out on /events.
        time.sleep(0.5)
        for secret in secrets:
            checks.check(secret not in tap.text, "the licence's %s went out on /events" % secret)
        checks.check("age check passed" in tap.text, "/events did not carry the age check's decision")

        # Sign-out ends the session: the kiosk sends the browser back to sign in.
        counter.go("/kiosk/%s" % station)
        wait_for("the kiosk again", lambda: counter.all("[data-signout]"))
        counter.click("[data-signout]")
        wait_for("the sign-in page after signing out", lambda: counter.path().startswith("/signin"))
        counter.go("/kiosk/%s" % station)
        wait_for("a signed-out kiosk to ask for sign-in", lambda: counter.path().startswith("/signin?next="))
        counter.console("sign-out")
    finally:
        counter.close()

    # The phone size: sign-in and the kiosk fit 390x844 too.
    phone = Screen(fx.base_url, checks, spec["screenshots"], 390, 844)
    try:
        phone.sign_in(manager["name"], manager["pin"])
        wait_for("the stations page on the phone", lambda: phone.path() == "/")
        phone.go("/kiosk/%s" % station)
        wait_for("the kiosk on the phone", lambda: phone.all("[data-age]"))
        phone.fits("kiosk")
        phone.shot("kiosk")
        phone.go("/signin")
        phone.fits("sign-in")
        phone.console("phone")
    finally:
        phone.close()


if __name__ == "__main__":
    sys.exit(main())
