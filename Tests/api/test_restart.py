"""Sessions and used boxes across a restart of lotbox serve (issue #12: sessions are stored and survive a
restart; used nonces are remembered for the 300 s window, or boxes stamped before the start are refused).

usage: test_restart.py FIXTURE.json before STATE.json   (then restart the server)
       test_restart.py FIXTURE.json after STATE.json
"""

import json
import sys

from client import Checks, Fixture


def main(argv):
    if len(argv) != 4 or argv[2] not in ("before", "after"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    fx = Fixture(argv)
    phase, state_path = argv[2], argv[3]
    checks = Checks("restart " + phase)
    if phase == "before":
        sid = fx.open(checks, 0, 0, "open a session before the restart")
        token = fx.token(0, 0)
        used = fx.post_open(token)
        checks.envelope(used, 200, "open a second session before the restart")
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
    if checks.check(bool(state.get("sid")), "no session was opened before the restart"):
        ping = fx.call("GET", "/auth/ping", state["sid"])
        if checks.envelope(ping, 200, "GET /auth/ping after the restart with a session opened before it"):
            checks.check(ping.data == {"sid": state["sid"]}, "GET /auth/ping after the restart: %s" % ping.describe())
        checks.envelope(fx.call("GET", "/section", state["sid"]), 200, "GET /section after the restart")
    if state.get("shut"):
        checks.error(fx.call("GET", "/auth/ping", state["shut"]), 401, "GET /auth/ping after the restart with a "
                     "session shut before it")
    checks.error(fx.post_open(state["token"]), 401, "POST /auth/open after the restart replaying a box used before it")
    checks.envelope(fx.post_open(fx.token(0, 0)), 200, "POST /auth/open after the restart with a fresh box")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
