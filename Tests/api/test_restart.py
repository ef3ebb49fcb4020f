"""Sessions and used boxes across restarts of lotbox serve: sessions live in the store, so they outlive the
daemon until their 6 hours are up; a used box stays used; a shut session stays shut (issue #12).

usage: test_restart.py FIXTURE.json PHASE STATE.json
  before   opens sessions (one is shut) and uses a box; writes STATE.json       (then restart the server)
  after    the session answers, the shut one does not, the used box is refused
  alive    the session still answers (the server's clock is near, not past, its expiry)
  expired  the session is refused (the server's clock is past its expiry); a fresh box still opens one
With a server clock ahead of this one, set $LOTBOX_API_CLOCK_OFFSET (seconds) so fresh boxes carry its time.
"""

import json
import sys

from client import Checks, Fixture

PHASES = ("before", "after", "alive", "expired")


def main(argv):
    if len(argv) != 4 or argv[2] not in PHASES:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    fx = Fixture(argv)
    phase, state_path = argv[2], argv[3]
    checks = Checks("restart " + phase)
    if phase == "before":
        sid = fx.open(checks, 0, 0, "open a session before the restart")
        token = fx.token(0, 0)
        checks.envelope(fx.post_open(token), 200, "open a second session before the restart")
        shut_sid = fx.open(checks, 1, 1, "open a session to shut before the restart")
        if shut_sid:
            checks.envelope(fx.call("POST", "/auth/shut", shut_sid), 200, "POST /auth/shut before the restart")
        if sid:
            checks.envelope(fx.call("GET", "/auth/ping", sid), 200, "GET /auth/ping before the restart")
        with open(state_path, "w", encoding="utf-8") as handle:
            json.dump({"sid": sid, "token": token, "shut": shut_sid}, handle)
        return checks.finish()

    with open(state_path, encoding="utf-8") as handle:
        state = json.load(handle)
    sid = state.get("sid")
    if not checks.check(bool(sid), "no session was opened before the restart"):
        return checks.finish()
    if phase in ("after", "alive"):
        ping = fx.call("GET", "/auth/ping", sid)
        if checks.envelope(ping, 200, "GET /auth/ping (%s) with a session opened before the restart" % phase):
            checks.check(ping.data == {"sid": sid}, "GET /auth/ping (%s): %s" % (phase, ping.describe()))
        checks.envelope(fx.call("GET", "/inventory", sid), 200, "GET /inventory (%s) with that session" % phase)
    if phase == "after":
        if state.get("shut"):
            checks.error(fx.call("GET", "/auth/ping", state["shut"]), 401,
                         "GET /auth/ping after the restart with a session shut before it", "LMA-068")
        checks.error(fx.post_open(state["token"]), 401,
                     "POST /auth/open after the restart replaying a box used before it")
    if phase == "expired":
        checks.error(fx.call("GET", "/auth/ping", sid), 401, "GET /auth/ping with a session past its 6 hours",
                     "LMA-068")
        checks.error(fx.call("GET", "/inventory", sid), 401, "GET /inventory with a session past its 6 hours",
                     "MAT-021")
    checks.envelope(fx.post_open(fx.token(0, 0)), 200, "POST /auth/open (%s) with a fresh box" % phase)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
