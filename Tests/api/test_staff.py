"""Staff sign-in for the screens (issues #12 and #13), against a real lotbox serve: an employee and
their PIN open a page session (a cookie, HttpOnly and SameSite=Strict), every write also needs the
session's CSRF token, a budtender cannot void, wrong PINs lock that employee on this device with a
growing delay until a manager unlocks, sign-out and the idle time-out end the session.

usage: test_staff.py FIXTURE.json STAFF.json OUT.json
  STAFF.json: {"budtender": {"name", "pin", "id"}, "manager": {...}, "idle_seconds", "lock_after", "lock_seconds"}
  OUT.json:   written with the id of the lot the budtender created (the caller checks its ledger's actor)
"""

import json
import sys
import time

from client import Checks, Client, Fixture, id_of


class Screen:
    """A browser at one screen: keeps the session cookie and the CSRF token it was given."""

    def __init__(self, base_url):
        self.client = Client(base_url)
        self.cookie = None
        self.csrf = None

    def sign_in(self, employee, pin, form=False):
        body = {"employee": employee, "pin": pin}
        reply = (self.client.request("POST", "/auth/staff", form=body) if form
                 else self.client.request("POST", "/auth/staff", json_body=body))
        if reply.status == 200:
            cookie = reply.headers.get("set-cookie", "")
            self.cookie = cookie.split(";", 1)[0]
            self.csrf = (reply.data or {}).get("csrf")
        return reply

    def call(self, method, path, json_body=None, csrf=True):
        headers = {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if csrf and self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        return self.client.request(method, path, json_body=json_body, headers=headers)


def main():
    fx = Fixture(sys.argv)
    with open(sys.argv[2], encoding="utf-8") as handle:
        staff = json.load(handle)
    out_file = sys.argv[3]
    checks = Checks("staff")
    budtender, manager = staff["budtender"], staff["manager"]
    flower = fx.objects["flower"]

    anonymous = Screen(fx.base_url)
    checks.error(anonymous.call("GET", "/inventory"), 401, "GET /inventory without a session")
    checks.error(anonymous.call("GET", "/auth/staff"), 401, "GET /auth/staff without a session")
    unknown_seconds = []
    for _ in range(3):
        started = time.monotonic()
        checks.error(anonymous.sign_in("Nobody Here", "1234"), 401, "sign-in of an unknown employee", note_contains="wrong")
        unknown_seconds.append(time.monotonic() - started)

    # A budtender signs in (as a form, as a page would post it).
    counter = Screen(fx.base_url)
    signed = counter.sign_in(budtender["name"], budtender["pin"], form=True)
    if checks.envelope(signed, 200, "POST /auth/staff (budtender)"):
        cookie = signed.headers.get("set-cookie", "")
        checks.check("HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie,
                     "the session cookie %r is not HttpOnly, SameSite=Strict, Path=/" % cookie)
        checks.check("Secure" not in cookie, "a cookie over plain HTTP is marked Secure: %r" % cookie)
        data = signed.data or {}
        checks.check(data.get("employee", {}).get("role") == "budtender", "signed in as %r" % data.get("employee"))
        checks.check(data.get("employee", {}).get("id") == budtender["id"], "signed-in id %r" % data.get("employee"))
        checks.check(isinstance(counter.csrf, str) and len(counter.csrf) >= 32, "csrf token %r" % counter.csrf)
        checks.check(data.get("idle_seconds") == staff["idle_seconds"], "idle_seconds %r" % data.get("idle_seconds"))

    who = counter.call("GET", "/auth/staff")
    if checks.envelope(who, 200, "GET /auth/staff"):
        checks.check((who.data or {}).get("csrf") == counter.csrf, "GET /auth/staff gives another csrf token")
    listed = counter.call("GET", "/inventory")
    checks.envelope(listed, 200, "GET /inventory with the page session")
    before = len(listed.rows or [])

    # A write needs the CSRF token: the cookie alone (what a cross-site form would send) changes nothing.
    lot_body = {"product": flower, "qty": "3"}
    checks.error(counter.call("POST", "/inventory", json_body=lot_body, csrf=False), 403, "POST /inventory without the CSRF token",
                 note_contains="csrf")
    forged = Screen(fx.base_url)
    forged.cookie, forged.csrf = counter.cookie, "0" * 64
    checks.error(forged.call("POST", "/inventory", json_body=lot_body), 403, "POST /inventory with a wrong CSRF token")
    checks.check(len(counter.call("GET", "/inventory").rows or []) == before, "a refused write made a lot")
    made = counter.call("POST", "/inventory", json_body=lot_body)
    lot = None
    if checks.envelope(made, 201, "POST /inventory with the CSRF token"):
        lot = id_of(made)
    # A budtender cannot void: that needs a manager.
    if lot:
        checks.error(counter.call("DELETE", "/inventory/" + lot), 403, "DELETE /inventory/{id} by a budtender", note_contains="manager")

    # Wrong PINs lock the budtender on this device, for a time that grows.
    wrong = "9" * len(budtender["pin"]) if budtender["pin"] != "9" * len(budtender["pin"]) else "8" * len(budtender["pin"])
    other = Screen(fx.base_url)
    for attempt in range(1, staff["lock_after"]):
        started = time.monotonic()
        checks.error(other.sign_in(budtender["name"], wrong), 401, "wrong PIN %d" % attempt)
        if attempt == 1:
            # An unknown name must cost what a wrong PIN costs (one Argon2id check), or the answer's
            # time tells which names exist. Without the decoy check it is a hundredth of it.
            wrong_pin_seconds = time.monotonic() - started
            checks.check(min(unknown_seconds) >= 0.4 * wrong_pin_seconds,
                         "an unknown name is answered in %.1f ms, a wrong PIN in %.1f ms: the time tells the names"
                         % (min(unknown_seconds) * 1000, wrong_pin_seconds * 1000))
    locked = other.sign_in(budtender["name"], wrong)
    checks.error(locked, 429, "wrong PIN %d (locks)" % staff["lock_after"], note_contains="locked")
    checks.check(locked.headers.get("retry-after") == str(staff["lock_seconds"]),
                 "Retry-After %r, expected %s" % (locked.headers.get("retry-after"), staff["lock_seconds"]))
    checks.error(other.sign_in(budtender["name"], budtender["pin"]), 429, "the right PIN while locked", note_contains="locked")
    time.sleep(staff["lock_seconds"] + 1)
    again = other.sign_in(budtender["name"], wrong)
    checks.error(again, 429, "a wrong PIN after the first lock")
    checks.check(again.headers.get("retry-after") == str(2 * staff["lock_seconds"]),
                 "the second lock lasts %r s, expected %d (it doubles)" % (again.headers.get("retry-after"), 2 * staff["lock_seconds"]))

    # The budtender's open session cannot unlock; a manager (not locked: the lock is the budtender's) can.
    checks.error(counter.call("POST", "/auth/staff/unlock", json_body={"employee": budtender["name"]}), 403,
                 "unlock by a budtender", note_contains="manager")
    office = Screen(fx.base_url)
    checks.envelope(office.sign_in(manager["name"], manager["pin"]), 200, "POST /auth/staff (manager)")
    unlocked = office.call("POST", "/auth/staff/unlock", json_body={"employee": budtender["name"]})
    checks.envelope(unlocked, 200, "POST /auth/staff/unlock by a manager")
    checks.envelope(other.sign_in(budtender["name"], budtender["pin"]), 200, "the budtender signs in after the unlock")
    if lot:
        checks.check(office.call("DELETE", "/inventory/" + lot).status == 202, "a manager's void of %s was not accepted" % lot)

    # Sign-out ends the session at once; the cookie is cleared.
    out = counter.call("DELETE", "/auth/staff")
    if checks.envelope(out, 200, "DELETE /auth/staff"):
        checks.check("Max-Age=0" in out.headers.get("set-cookie", ""), "sign-out does not clear the cookie")
    checks.error(counter.call("GET", "/inventory"), 401, "GET /inventory after sign-out", note_contains="sign in")

    # A screen left idle longer than idle_seconds is signed out.
    idle = Screen(fx.base_url)
    checks.envelope(idle.sign_in(manager["name"], manager["pin"]), 200, "sign-in before the idle wait")
    time.sleep(staff["idle_seconds"] + 2)
    checks.error(idle.call("GET", "/inventory"), 401, "GET /inventory after %d s idle" % staff["idle_seconds"])

    # A program's v2024 session is not a screen's: it has no staff sign-out.
    sid = fx.open(checks)
    if sid:
        checks.error(fx.call("DELETE", "/auth/staff", sid), 400, "DELETE /auth/staff with a v2024 session")

    with open(out_file, "w", encoding="utf-8") as handle:
        json.dump({"lot": lot}, handle)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
