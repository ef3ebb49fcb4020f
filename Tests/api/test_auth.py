"""v2024 authentication against a running lotbox serve (openthc-api.md section 2).

usage: test_auth.py FIXTURE.json   (see client.py for the fixture)
"""

import sys

import v2024
from client import SID_PATTERN, Checks, Fixture


def main(argv):
    fx = Fixture(argv)
    checks = Checks("auth")
    http = fx.client
    service0, pair0 = fx.client_pair(0)
    service1, pair1 = fx.client_pair(1)
    who0, who1 = fx.identities[0], fx.identities[1]

    def sealed(pair, service, who, header_pk=None, **overrides):
        """A box of `pair` for `who`; an override of None drops that key, any other replaces it."""
        claims = v2024.claims(pair.public, service, who["contact"], who["company"], who["license"], ts=fx.now())
        for key, value in overrides.items():
            if value is None:
                claims.pop(key, None)
            else:
                claims[key] = value
        return v2024.open_token(header_pk or pair.public, v2024.seal(claims, pair.secret, fx.server_public))

    # Opening a session: the reply's shape.
    opened = fx.post_open(sealed(pair0, service0, who0))
    sid = None
    if checks.envelope(opened, 200, "POST /auth/open"):
        data = opened.obj
        checks.keys(data, ["sid", "session_id", "expires_in"], "POST /auth/open data")
        sid = data.get("sid")
        checks.check(isinstance(sid, str) and SID_PATTERN.match(sid) is not None,
                     "POST /auth/open: sid %r is not 43 characters of [A-Za-z0-9_-]" % (sid,))
        checks.check(data.get("session_id") == sid, "POST /auth/open: session_id %r differs from sid %r"
                     % (data.get("session_id"), sid))
        checks.check(data.get("expires_in") == 21600, "POST /auth/open: expires_in %r, expected 21600"
                     % (data.get("expires_in"),))
        checks.check(opened.meta == {}, "POST /auth/open: meta %r, expected {}" % (opened.meta,))

    if sid:
        ping = fx.call("GET", "/auth/ping", sid)
        if checks.envelope(ping, 200, "GET /auth/ping"):
            checks.check(ping.data == {"sid": sid}, "GET /auth/ping: data %r, expected {'sid': S}" % (ping.data,))
            checks.check(ping.meta == {}, "GET /auth/ping: meta %r, expected {}" % (ping.meta,))
        head = fx.call("HEAD", "/auth/ping", sid)
        checks.status(head, 200, "HEAD /auth/ping")
        checks.check(head.body == b"", "HEAD /auth/ping sent a body")
        checks.error(fx.call("POST", "/auth/ping", sid), 405, "POST /auth/ping")
        # A session reaches an ordinary route.
        checks.envelope(fx.call("GET", "/inventory", sid), 200, "GET /inventory with a fresh session")

        # Shutting it: GET.
        shut = fx.call("GET", "/auth/shut", sid)
        if checks.envelope(shut, 200, "GET /auth/shut"):
            checks.check(shut.data is None, "GET /auth/shut: data %r, expected null" % (shut.data,))
            checks.check(shut.note == "Session Shut", "GET /auth/shut: note %r, expected 'Session Shut'" % shut.note)
        checks.error(fx.call("GET", "/auth/ping", sid), 401, "GET /auth/ping after shut", "LMA-068")
        checks.error(fx.call("GET", "/inventory", sid), 401, "GET /inventory after shut", "MAT-021")
        checks.error(fx.call("GET", "/auth/shut", sid), 401, "GET /auth/shut after shut", "CAS-021")

    # Shutting a session: POST.
    second = fx.open(checks, 0, 0, "open a second session")
    if second:
        shut = fx.call("POST", "/auth/shut", second)
        if checks.envelope(shut, 200, "POST /auth/shut"):
            checks.check(shut.data is None and shut.note == "Session Shut",
                         "POST /auth/shut: %s" % shut.describe())
        checks.error(fx.call("GET", "/auth/ping", second), 401, "GET /auth/ping after POST /auth/shut", "LMA-068")

    # Boxes the server must refuse, each with 401.
    outsider = v2024.KeyPair.generate()
    refused = [
        ("a key no service lists", sealed(outsider, service0, who0)),
        ("a box sealed with another key than the header's", v2024.open_token(
            pair0.public, v2024.seal(v2024.claims(pair0.public, service0, who0["contact"], who0["company"],
                                                  who0["license"]), outsider.secret, fx.server_public))),
        ("a pk inside the box that differs from the header's", sealed(pair0, service0, who0, pk=pair1.public)),
        ("a key listed for another service", sealed(pair1, service0, who0)),
        ("an unknown service", sealed(pair0, "NO-SUCH-SERVICE", who0)),
        ("a timestamp 305 s old", sealed(pair0, service0, who0, ts=fx.now() - 305)),
        ("a timestamp 330 s ahead", sealed(pair0, service0, who0, ts=fx.now() + 330)),
        ("a timestamp that is not a number", sealed(pair0, service0, who0, ts="yesterday")),
        ("no timestamp", sealed(pair0, service0, who0, ts=None)),
        ("an unknown contact", sealed(pair0, service0, who0, contact="01NOSUCHCONTACT00000000000")),
        ("an unknown company", sealed(pair0, service0, who0, company="01NOSUCHCOMPANY00000000000")),
        ("an unknown license", sealed(pair0, service0, who0, license="01NOSUCHLICENSE00000000000")),
        ("a box that is not JSON", v2024.open_token(pair0.public, v2024.seal("not json", pair0.secret,
                                                                             fx.server_public))),
        ("a truncated box", v2024.open_token(pair0.public, v2024.seal(v2024.claims(
            pair0.public, service0, who0["contact"], who0["company"], who0["license"]), pair0.secret,
            fx.server_public)[:-8])),
        ("a box that is not base64url", "v2024/%s/%s" % (pair0.public, "!!!not*base64!!!")),
        ("a header with no box", "v2024/%s" % pair0.public),
        ("another scheme's token", "v2023/%s/abc" % pair0.public),
    ]
    for what, bearer in refused:
        checks.error(fx.post_open(bearer), 401, "POST /auth/open with %s" % what)
    checks.error(fx.post_open(None), 401, "POST /auth/open without a bearer", "OAB-017")
    checks.error(fx.post_open("garbage"), 401, "POST /auth/open with a garbage bearer", "OAB-017")

    # A license of another company than the one named.
    mismatch = fx.post_open(sealed(pair0, service0, who0, license=who1["license"]))
    checks.error(mismatch, 401, "POST /auth/open with a license not in the company", "CAO-125")

    # A replayed box: the first use opens, the second is refused.
    token = sealed(pair0, service0, who0)
    checks.envelope(fx.post_open(token), 200, "POST /auth/open with a fresh box")
    checks.error(fx.post_open(token), 401, "POST /auth/open replaying the same box")

    # Inside the window, a box 200 s old still opens.
    checks.envelope(fx.post_open(sealed(pair0, service0, who0, ts=fx.now() - 200)), 200,
                    "POST /auth/open with a timestamp 200 s old")

    # Sessions mix identities freely (contract section 5): client 0's service acting for identity 1,
    # and client 1 under its own service acting for identity 0.
    checks.envelope(fx.post_open(sealed(pair0, service0, who1)), 200, "POST /auth/open client 0 for identity 1")
    checks.envelope(fx.post_open(sealed(pair1, service1, who0)), 200, "POST /auth/open client 1 for identity 0")

    # A client key equal to the server's own, when the configuration lists it (cre's own suite does this).
    for index, entry in enumerate(fx.clients):
        if entry["public"] == fx.server_public:
            service, pair = fx.client_pair(index)
            checks.envelope(fx.post_open(sealed(pair, service, who0)), 200,
                            "POST /auth/open boxed with the server's own key pair")

    # Routes without a session, and the public ones.
    checks.error(http.request("GET", "/inventory"), 401, "GET /inventory without a bearer", "MAT-021")
    checks.error(http.request("GET", "/company"), 401, "GET /company without a bearer", "MAT-021")
    checks.error(http.request("POST", "/inventory", json_body={"qty": 1}), 401, "POST /inventory without a bearer",
                 "MAT-021")
    checks.error(http.request("GET", "/inventory", bearer="v2024/" + "A" * 43), 401,
                 "GET /inventory with an unknown sid", "MAT-021")
    checks.error(http.request("GET", "/inventory", bearer="v2024/short"), 401, "GET /inventory with a malformed sid",
                 "MAT-021")
    checks.error(http.request("GET", "/auth/ping"), 401, "GET /auth/ping without a bearer", "LMA-068")
    checks.error(http.request("GET", "/auth/shut"), 401, "GET /auth/shut without a bearer", "CAS-021")
    checks.error(http.request("GET", "/auth/ping", bearer=sealed(pair0, service0, who0)), 401,
                 "GET /auth/ping with an open box instead of a sid", "LMA-068")

    auth = http.request("GET", "/auth")
    checks.status(auth, 200, "GET /auth")
    checks.check(auth.content_type.startswith("text/plain"), "GET /auth: content type %r is not text/plain"
                 % auth.content_type)
    auth_open = http.request("GET", "/auth/open")
    checks.status(auth_open, 501, "GET /auth/open")
    checks.check(auth_open.content_type.startswith("text/plain"), "GET /auth/open: content type %r is not "
                 "text/plain" % auth_open.content_type)
    oauth = http.request("POST", "/auth/oauth")
    checks.status(oauth, 307, "POST /auth/oauth")
    checks.check(oauth.headers.get("location", "") != "", "POST /auth/oauth: no location header")

    document = http.request("GET", "/openapi.json")
    checks.status(document, 200, "GET /openapi.json without a bearer")
    checks.check(document.content_type.split(";")[0] == "application/json",
                 "GET /openapi.json: content type %r" % document.content_type)
    spec = document.json if isinstance(document.json, dict) else {}
    checks.check(str(spec.get("openapi", "")).startswith("3.1"), "GET /openapi.json: openapi %r, expected 3.1.x"
                 % (spec.get("openapi"),))
    paths = spec.get("paths") if isinstance(spec.get("paths"), dict) else {}
    for path in ["/auth/open", "/auth/ping", "/auth/shut", "/section", "/variety", "/product", "/inventory",
                 "/inventory/{id}"]:
        checks.check(path in paths, "GET /openapi.json: no path %s" % path)
    head = http.request("HEAD", "/openapi.json")
    checks.status(head, 200, "HEAD /openapi.json")

    health = http.request("GET", "/health")
    checks.status(health, 200, "GET /health")
    checks.check(health.text.strip() == "ok", "GET /health: body %r, expected 'ok'" % health.text)

    # /auth/open is rate-limited per address (issue #12): a burst of boxes meets 429 in the envelope, not a crash.
    burst = [fx.client.request("POST", "/auth/open", bearer=sealed(outsider, service0, who0)) for _ in range(40)]
    limited = [response for response in burst if response.status == 429]
    checks.check(limited != [], "40 boxes at once from one address: no 429 (statuses %s)"
                 % sorted(set(response.status for response in burst)))
    for response in limited[:1]:
        checks.error(response, 429, "POST /auth/open over the rate limit")
    checks.check(all(response.status in (401, 429) for response in burst), "a burst of refused boxes answered %s"
                 % sorted(set(response.status for response in burst)))

    if fx.rate_limited:
        print("auth: /auth/open answered 429 %d times (waited out)" % fx.rate_limited)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
