"""The kiosk's refusal tone in a real headless Chromium under the browser's own autoplay rule (no
--autoplay-policy switch: sound only once the person has acted on the site). The page's Web Audio
is wrapped before its scripts run (CDP Page.addScriptToEvaluateOnNewDocument) so that every tone it
starts is counted, with the state of its audio then: a tone started while the audio is suspended is
never heard, so only those started while it runs count as played. A budtender signs in and opens the
kiosk from the stations page (the sign-in's gestures, none on the kiosk itself); a refusal from the
box's own reader (a FIFO scanner) plays one tone; an accepted scan plays none; a refusal typed by a
wedge scanner plays one more; the customer view plays none.
Usage: test_tone.py FIXTURE.json TONE.json
"""
import json
import sys

from test_screens import WAIT, Screen, type_fast, wait_for  # noqa: E402 (clears the proxy first)
from client import Checks, Fixture  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

# Counts the tones the page starts, and the audio's state at each. Runs before the page's own script.
COUNT_TONES = """
window.lotboxTones = [];
(function () {
  const Original = window.AudioContext;
  if (!Original) { return; }
  window.AudioContext = class extends Original {
    constructor(...options) {
      super(...options);
      window.lotboxAudio = this;
    }
    createOscillator() {
      const oscillator = super.createOscillator();
      const context = this;
      const start = oscillator.start.bind(oscillator);
      oscillator.start = function (...when) {
        window.lotboxTones.push({state: context.state, hz: oscillator.frequency.value});
        return start(...when);
      };
      return oscillator;
    }
  };
})();
"""


def browser(width, height):
    """test_screens' browser without its --autoplay-policy switch: Chromium's own rule decides."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-proxy-server",
                     "--proxy-bypass-list=*", "--window-size=%d,%d" % (width, height), "--no-first-run",
                     "--disable-extensions", "--disable-background-networking"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                           {"source": "window.LOTBOX_SCAN_TIMING = {fast: 150, quiet: 500, hold: 1200};"})
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    return driver


class ToneScreen(Screen):
    """A Screen whose browser keeps Chromium's autoplay rule and counts the page's tones."""

    def __init__(self, base_url, checks, shots, width, height):
        self.base = base_url
        self.checks = checks
        self.shots = shots
        self.size = "%dx%d" % (width, height)
        self.driver = browser(width, height)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": COUNT_TONES})

    def played(self):
        """Tones started while the audio ran (heard), and all tones started."""
        tones = self.js("return window.lotboxTones || []") or []
        return len([tone for tone in tones if tone.get("state") == "running"]), len(tones)


def main():
    checks = Checks("tone")
    try:
        scenario(checks)
    except AssertionError as failure:
        checks.check(False, str(failure))
    return checks.finish()


def scenario(checks):
    fx = Fixture(sys.argv)
    with open(sys.argv[2], encoding="utf-8") as handle:
        spec = json.load(handle)
    station, fifo, lot, db = spec["station"], spec["fifo"], spec["lot"], spec["db"]
    budtender = spec["budtender"]

    def read(text):
        with open(fifo, "w", encoding="ascii") as reader:
            reader.write(text)

    kiosk = ToneScreen(fx.base_url, checks, spec["screenshots"], 1024, 600)
    customer = None
    try:
        kiosk.sign_in(budtender["name"], budtender["pin"])
        wait_for("the stations page", lambda: kiosk.path() == "/" and kiosk.all("a[href='/kiosk/%s']" % station))
        kiosk.click("a[href='/kiosk/%s']" % station)
        wait_for("the kiosk's event stream", lambda: kiosk.path() == "/kiosk/%s" % station
                 and (kiosk.js("return window.lotboxShown && window.lotboxShown.count") or 0) >= 1)
        wait_for("the kiosk's audio running (allowed by the sign-in's gestures)",
                 lambda: kiosk.js("return window.lotboxAudio ? window.lotboxAudio.state : 'none'") == "running")
        checks.check(kiosk.played() == (0, 0), "the kiosk played %r tones before any scan" % (kiosk.played(),))

        # A refusal from the box's own reader, with nobody touching this page: one tone, heard.
        read("NOT-A-CODE-7\n")
        wait_for("the reader's refusal on the screen", lambda: "refused" in (kiosk.attribute("[data-decision]", "class") or ""))
        wait_for("the refusal's tone", lambda: kiosk.played()[1] >= 1)
        checks.check(kiosk.played() == (1, 1), "a refused scan played %r tones (heard, started); expected one, heard" % (kiosk.played(),))

        # An accepted scan: a line on the sale, no tone.
        read(lot + "\n")
        wait_for("the accepted scan's line", lambda: kiosk.all("#sale tr[data-lot='%s']" % lot))
        wait_for("the accepted decision", lambda: "accepted" in (kiosk.attribute("[data-decision]", "class") or ""))
        checks.check(kiosk.played() == (1, 1), "an accepted scan changed the tones to %r" % (kiosk.played(),))

        # A refusal typed by a wedge scanner on the tablet: one more tone.
        kiosk.js("document.activeElement && document.activeElement.blur()")
        type_fast(kiosk.driver, "NOT-A-CODE-8\n")
        wait_for("the wedge's refusal", lambda: "NOT-A-CODE-8" in (kiosk.text("[data-decision]") or ""))
        wait_for("the second tone", lambda: kiosk.played()[1] >= 2)
        checks.check(kiosk.played() == (2, 2), "a typed refusal left the tones at %r; expected two, heard" % (kiosk.played(),))
        checks.check(all(tone.get("hz") == 220 for tone in kiosk.js("return window.lotboxTones")), "a tone was not the refusal's 220 Hz")
        kiosk.console("the kiosk's tones")

        # The customer's view never sounds, whatever is refused.
        customer = ToneScreen(fx.base_url, checks, spec["screenshots"], 1024, 600)
        customer.sign_in(budtender["name"], budtender["pin"])
        wait_for("the stations page (customer view)", lambda: customer.path() == "/")
        customer.click("a[href='/kiosk/customer?station=%s']" % station)
        wait_for("the customer view's stream", lambda: (customer.js("return window.lotboxShown && window.lotboxShown.count") or 0) >= 1)
        before = kiosk.played()
        read("NOT-A-CODE-9\n")
        wait_for("the third refusal at the kiosk", lambda: kiosk.played()[1] > before[1])
        checks.check(kiosk.played() == (3, 3), "the third refusal left the kiosk's tones at %r" % (kiosk.played(),))
        wait_for("the customer view's refresh", lambda: (customer.js("return window.lotboxShown.count") or 0) >= 2)
        checks.check(customer.played()[1] == 0, "the customer view played %r tones" % (customer.played(),))
        customer.console("the customer view")
    finally:
        kiosk.close()
        if customer is not None:
            customer.close()


if __name__ == "__main__":
    sys.exit(main())
