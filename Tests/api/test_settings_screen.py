"""The settings screen (issue #13) in a real headless Chromium against a real lotbox serve: a manager
reads the configuration (printers, scanners, stations, the API, the upstream), read-only; no secret of
the config is anywhere in the page's HTML (the API's key pair, every client key, the upstream's key
pair, the metrics token, a printer's and the upstream's URI password): each shows only as "set" or
"not set". A budtender is refused the page and not offered it. Both screen sizes, no console errors.

usage: test_settings_screen.py FIXTURE.json SPEC.json
  SPEC.json: {"budtender": {"name", "pin", "id"}, "manager": {...}, "key_files": [...], "token_file",
              "passwords": [...], "printer", "station", "db", "screenshots"}
"""

import json
import sys

from test_screens import Screen, wait_for  # noqa: E402 (clears the proxy first)
from client import Checks, Client, Fixture  # noqa: E402


def main():
    checks = Checks("settings-screen")
    try:
        scenario(checks)
    except AssertionError as failure:
        checks.check(False, str(failure))
    return checks.finish()


def secrets(fx, spec):
    """Every secret the test's config holds or names, read from where it is, not written out here."""
    found = []
    for client in fx.clients:
        found += [client["public"], client["secret"]]
    for path in spec["key_files"]:
        with open(path, encoding="ascii") as handle:
            found += [line.split(" ", 1)[1].strip() for line in handle if " " in line]
    with open(spec["token_file"], encoding="ascii") as handle:
        found.append(handle.read().strip())
    found += spec["passwords"]
    return [secret for secret in found if secret]


def setting(screen, section, name):
    return screen.text("[data-settings-section='%s'] [data-setting='%s']" % (section, name))


def scenario(checks):
    fx = Fixture(sys.argv)
    with open(sys.argv[2], encoding="utf-8") as handle:
        spec = json.load(handle)
    budtender, manager = spec["budtender"], spec["manager"]
    hidden = secrets(fx, spec)
    checks.check(len(hidden) >= 10, "the test found only %d secrets to look for" % len(hidden))
    http = Client(fx.base_url)

    desk = Screen(fx.base_url, checks, spec["screenshots"], 1024, 600)
    try:
        desk.sign_in(budtender["name"], budtender["pin"])
        wait_for("the budtender's stations page", lambda: desk.path() == "/")
        checks.check(not desk.all("a[href='/settings']"), "the stations page offers a budtender the settings")
        refused = http.request("GET", "/settings", headers={"Cookie": desk.session_cookie()})
        checks.check(refused.status == 403 and "needs a manager" in refused.text, "a budtender's /settings answered %s" % refused.describe())
        checks.check(not any(secret in refused.text for secret in hidden), "the settings' refusal shows a secret")
        desk.go("/settings")
        said = wait_for("the refusal on the page", lambda: desk.text("main"))
        checks.check("needs a manager" in said, "a budtender's /settings says %r" % said)
        desk.console("a budtender's settings", allowed=[("/settings", 403)])
    finally:
        desk.close()

    office = Screen(fx.base_url, checks, spec["screenshots"], 1024, 600)
    try:
        office.sign_in(manager["name"], manager["pin"])
        wait_for("the manager's stations page", lambda: office.path() == "/" and office.all("a[href='/settings']"))
        office.click("a[href='/settings']")
        wait_for("the settings page", lambda: office.path() == "/settings" and office.all("[data-settings-section]"))
        sections = [row.get_attribute("data-settings-section") for row in office.all("[data-settings-section]")]
        expected = ["Box", "Printer %s" % spec["printer"], "Scanner %s" % spec["scanner"], "Station %s" % spec["station"], "API and screens", "Upstream"]
        checks.check(sections == expected, "the settings' sections are %r, expected %r" % (sections, expected))
        checks.check(setting(office, "Box", "store") == spec["db"], "the store reads %r" % setting(office, "Box", "store"))
        checks.check(setting(office, "Station %s" % spec["station"], "license") == spec["license"], "the station's license reads %r"
                     % setting(office, "Station %s" % spec["station"], "license"))
        for section, name, value in (("API and screens", "key", "set"), ("API and screens", "client keys", "set"),
                                     ("API and screens", "metrics_token_file", "set"), ("API and screens", "tls_key", "not set"),
                                     ("Upstream", "client_key_file", "set"), ("Upstream", "server_public_key", "set")):
            checks.check(setting(office, section, name) == value, "%s %s reads %r, expected %r" % (section, name, setting(office, section, name), value))
        where = setting(office, "Printer %s" % spec["printer"], "where") or ""
        checks.check(where.startswith("ipp://") and "127.0.0.1" in where, "the printer's place reads %r" % where)
        origin = setting(office, "Upstream", "origin") or ""
        checks.check(origin.startswith("http://127.0.0.1"), "the upstream's origin reads %r" % origin)
        checks.check(not office.all("#settings input, #settings select, #settings textarea"), "the settings page has inputs: it is read-only")

        # No secret in the HTML as served, nor in the page as the browser holds it.
        served = http.request("GET", "/settings", headers={"Cookie": office.session_cookie()})
        checks.status(served, 200, "GET /settings as the manager")
        for text, where_from in ((served.text, "the served HTML"), (office.driver.page_source, "the page in the browser")):
            leaked = [secret[:6] + "…" for secret in hidden if secret in text]
            checks.check(not leaked, "%s holds secrets starting %r" % (where_from, leaked))
        office.fits("settings")
        office.shot("settings")
        office.console("settings")
    finally:
        office.close()

    phone = Screen(fx.base_url, checks, spec["screenshots"], 390, 844)
    try:
        phone.sign_in(manager["name"], manager["pin"])
        wait_for("the stations page on the phone", lambda: phone.path() == "/")
        phone.go("/settings")
        wait_for("the settings on the phone", lambda: phone.all("[data-settings-section]"))
        phone.fits("settings")
        phone.shot("settings")
        phone.console("phone")
    finally:
        phone.close()


if __name__ == "__main__":
    sys.exit(main())
