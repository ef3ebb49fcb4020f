"""A small HTTP client for lotbox's OpenTHC API, on the standard library only, and the checks the
scenario scripts share.

Each scenario script takes one argument (or $LOTBOX_API_FIXTURE): a JSON file describing the server under test.

    {
      "base_url": "http://127.0.0.1:PORT",   (or https://localhost:PORT, with "ca_file": the certificate to trust)
      "server_public": "<the server's public key, 43 chars>",
      "clients": [ {"service": "SVC-A", "public": "...", "secret": "..."}, ... ],
      "identities": [ {"company": "...", "license": "...", "contact": "..."}, ... ],
      "objects": {"section": ..., "other_section": ..., "b_section": ..., "variety": ..., "flower": ..., "kief": ...}
    }

`clients[0]` and `clients[1]` are key pairs the server's [[api.clients]] allow for their own service only;
a client whose public key equals the server's proves the server accepts its own key (openthc-api.md 2.7).
`identities[0]` and `identities[1]` belong to different companies. `objects` are ids of license A's
sections, variety and two bulk products counted in grams (Flower/Dry, Kief), and a section of license B
(b_section), made outside the API. A script prints one line per failed check
and exits 0 only when every check passed.
"""

import http.client
import json
import os
import re
import ssl
import sys
import time
import urllib.parse

import v2024

SID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
QTY_PATTERN = re.compile(r"^-?[0-9]+\.[0-9]{4}$")


class Response:
    def __init__(self, method, path, status, headers, body):
        self.method = method
        self.path = path
        self.status = status
        self.headers = headers  # lower-case names
        self.body = body
        self._json = None
        self._parsed = False

    @property
    def content_type(self):
        return self.headers.get("content-type", "")

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    @property
    def json(self):
        if not self._parsed:
            self._parsed = True
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                self._json = None
        return self._json

    @property
    def data(self):
        return self.json.get("data") if isinstance(self.json, dict) else None

    @property
    def obj(self):
        """data when it is an object, else {}: a wrong shape fails a check, never the script."""
        return self.data if isinstance(self.data, dict) else {}

    @property
    def rows(self):
        """data when it is a list, else []."""
        return self.data if isinstance(self.data, list) else []

    @property
    def meta(self):
        value = self.json.get("meta") if isinstance(self.json, dict) else None
        return value if isinstance(value, dict) else {}

    @property
    def note(self):
        return str(self.meta.get("note", ""))

    def describe(self):
        body = self.text
        if len(body) > 300:
            body = body[:300] + "…"
        return "%s %s -> %s %s %r" % (self.method, self.path, self.status, self.content_type, body)


def php_form(value, prefix=""):
    """Flattens a JSON-like value into PHP-style form pairs: {"source": [{"id": X}]} -> source[0][id]=X."""
    pairs = []
    if isinstance(value, dict):
        for key, item in value.items():
            pairs += php_form(item, "%s[%s]" % (prefix, key) if prefix else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            pairs += php_form(item, "%s[%d]" % (prefix, index))
    elif value is None:
        pairs.append((prefix, ""))
    else:
        pairs.append((prefix, str(value)))
    return pairs


def tls_context(ca_file):
    """What a client of a shop's box does: trust the box's own certificate as the CA, check the host name."""
    return ssl.create_default_context(cafile=ca_file)


class Client:
    """One request per connection: simple, and a server that closes early cannot confuse the next call.

    An https base URL is verified against `ca_file` (the certificate of `lotbox api cert`) with the host name
    checked, or through `context` when given; with neither, it is not verified (as before TLS was tested)."""

    def __init__(self, base_url, timeout=15, ca_file=None, context=None):
        parsed = urllib.parse.urlsplit(base_url)
        self.scheme = parsed.scheme
        self.host = parsed.hostname
        self.port = parsed.port or (443 if parsed.scheme == "https" else 80)
        self.timeout = timeout
        self.context = context if context is not None else (tls_context(ca_file) if ca_file else None)

    def request(self, method, path, bearer=None, json_body=None, form=None, raw=None, content_type=None,
                headers=None):
        send_headers = {"Accept": "application/json"}
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode("utf-8")
            send_headers["Content-Type"] = "application/json"
        elif form is not None:
            pairs = form if isinstance(form, list) else php_form(form)
            body = urllib.parse.urlencode(pairs).encode("ascii")
            send_headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif raw is not None:
            body = raw
            if content_type:
                send_headers["Content-Type"] = content_type
        if bearer is not None:
            send_headers["Authorization"] = "Bearer " + bearer
        if headers:
            send_headers.update(headers)
        if self.scheme == "https":
            connection = http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout,
                                                     context=self.context or ssl._create_unverified_context())
        else:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            try:
                connection.request(method, path, body=body, headers=send_headers)
            except (BrokenPipeError, ConnectionResetError):
                pass  # a server may refuse a large body before reading it; its answer is still there to read
            reply = connection.getresponse()
            payload = reply.read()  # empty for HEAD: http.client knows it has no body
            names = {name.lower(): value for name, value in reply.getheaders()}
            return Response(method, path, reply.status, names, payload)
        finally:
            connection.close()


class Checks:
    """Collects failed checks; each is printed as one line at the end."""

    def __init__(self, name):
        self.name = name
        self.count = 0
        self.failures = []

    def check(self, condition, message):
        self.count += 1
        if not condition:
            self.failures.append(message)
        return bool(condition)

    def status(self, response, expected, what):
        expected_set = expected if isinstance(expected, (set, tuple, list)) else (expected,)
        return self.check(response.status in expected_set,
                          "%s: expected %s, got %s" % (what, "/".join(map(str, expected_set)), response.describe()))

    def envelope(self, response, expected, what):
        """Status, JSON content type, and a body of exactly {data, meta} with meta an object."""
        ok = self.status(response, expected, what)
        ok = self.check(response.content_type.split(";")[0].strip() == "application/json",
                        "%s: content type %r is not application/json (%s)" % (what, response.content_type,
                                                                              response.describe())) and ok
        body = response.json
        ok = self.check(isinstance(body, dict) and set(body.keys()) == {"data", "meta"},
                        "%s: body is not exactly {data, meta}: %s" % (what, response.describe())) and ok
        if isinstance(body, dict) and "meta" in body:
            ok = self.check(isinstance(body["meta"], dict),
                            "%s: meta is not an object: %s" % (what, response.describe())) and ok
        return ok

    def error(self, response, expected, what, note_contains=None):
        """An error envelope: data null and a note, optionally naming a code or a field."""
        ok = self.envelope(response, expected, what)
        if isinstance(response.json, dict):
            ok = self.check(response.json.get("data") is None,
                            "%s: error data is not null: %s" % (what, response.describe())) and ok
            ok = self.check(response.note != "", "%s: no meta.note: %s" % (what, response.describe())) and ok
            if note_contains is not None:
                ok = self.check(note_contains.lower() in response.note.lower(),
                                "%s: meta.note %r does not contain %r" % (what, response.note, note_contains)) and ok
        return ok

    def keys(self, obj, expected, what):
        actual = set(obj.keys()) if isinstance(obj, dict) else None
        return self.check(actual == set(expected),
                          "%s: keys %s, expected exactly %s" % (what, sorted(actual) if actual is not None else obj,
                                                                 sorted(expected)))

    def qty(self, value, expected, what):
        """A quantity goes out as a decimal string with exactly 4 places."""
        ok = self.check(isinstance(value, str) and QTY_PATTERN.match(value) is not None,
                        "%s: qty %r is not a decimal string with 4 places" % (what, value))
        if ok and expected is not None:
            ok = self.check(value == expected, "%s: qty %r, expected %r" % (what, value, expected))
        return ok

    def finish(self):
        for failure in self.failures:
            print("FAIL %s: %s" % (self.name, failure))
        print("%s: %d checks, %d failed" % (self.name, self.count, len(self.failures)))
        return 0 if not self.failures else 1


def id_of(response):
    """The id a reply's data names, when it is text; None otherwise (a check elsewhere says what was wrong)."""
    value = response.obj.get("id")
    return value if isinstance(value, str) and value != "" else None


def ref_id(value):
    """An object reference as an id, whether it came as "ID" or {"id": "ID", …}."""
    if isinstance(value, dict):
        return value.get("id")
    return value


class Fixture:
    def __init__(self, argv):
        path = argv[1] if len(argv) > 1 else os.environ.get("LOTBOX_API_FIXTURE")
        if not path:
            raise SystemExit("usage: %s FIXTURE.json (or $LOTBOX_API_FIXTURE)" % os.path.basename(argv[0]))
        with open(path, encoding="utf-8") as handle:
            spec = json.load(handle)
        self.spec = spec
        self.base_url = spec["base_url"]
        self.server_public = spec["server_public"]
        self.clients = spec["clients"]
        self.identities = spec["identities"]
        self.objects = spec.get("objects", {})
        self.ca_file = spec.get("ca_file")
        self.client = Client(self.base_url, ca_file=self.ca_file)
        self.rate_limited = 0

    def client_pair(self, index=0):
        entry = self.clients[index]
        return entry["service"], v2024.KeyPair(entry["public"], entry["secret"])

    def now(self):
        """The server's clock as the client believes it: $LOTBOX_API_CLOCK_OFFSET seconds ahead of this one
        (a test runs the server under libfaketime to reach a session's expiry)."""
        return int(time.time()) + int(os.environ.get("LOTBOX_API_CLOCK_OFFSET", "0"))

    def token(self, client_index=0, identity_index=0, ts=None, **overrides):
        """A fresh /auth/open bearer for one client key acting for one identity."""
        service, pair = self.client_pair(client_index)
        who = self.identities[identity_index]
        claims = v2024.claims(pair.public, service, who["contact"], who["company"], who["license"],
                              ts=self.now() if ts is None else ts)
        claims.update(overrides)
        return v2024.open_token(pair.public, v2024.seal(claims, pair.secret, self.server_public))

    def post_open(self, bearer):
        """POST /auth/open. The issue rate-limits it per address: a 429 is waited out (up to 60 s in all)
        and the same token sent again, so a scenario's many opens still see the codes they test."""
        waited = 0.0
        while True:
            response = self.client.request("POST", "/auth/open", bearer=bearer)
            if response.status != 429 or waited >= 60:
                return response
            try:
                pause = min(max(float(response.headers.get("retry-after", "1")), 0.2), 10.0)
            except ValueError:
                pause = 1.0
            self.rate_limited += 1
            time.sleep(pause)
            waited += pause

    def open(self, checks, identity_index=0, client_index=0, what=None):
        """Opens a session and returns its sid, or None (the failure is recorded)."""
        what = what or "open session (client %d, identity %d)" % (client_index, identity_index)
        response = self.post_open(self.token(client_index, identity_index))
        if not checks.envelope(response, 200, what):
            return None
        data = response.data if isinstance(response.data, dict) else {}
        sid = data.get("sid")
        checks.check(isinstance(sid, str) and SID_PATTERN.match(sid) is not None,
                     "%s: sid %r is not 43 characters of [A-Za-z0-9_-]" % (what, sid))
        return sid if isinstance(sid, str) else None

    def call(self, method, path, sid, **arguments):
        return self.client.request(method, path, bearer=v2024.session_token(sid) if sid else None, **arguments)


def unique(prefix):
    """A name no earlier run used: the store outlives a single script."""
    return "%s %d-%d" % (prefix, os.getpid(), time.monotonic_ns() % 1_000_000_000)


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ULID_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
RFC3339_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


def ulid():
    """A fresh ULID (48-bit milliseconds, 80 random bits), for ids a client chooses itself."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    return "".join(CROCKFORD[(value >> (5 * index)) & 31] for index in reversed(range(26)))


# Product types (openthc-model.md): bulk types counted in grams.
FLOWER_DRY = "018NY6XC00PTZZWCH7XVREHK6T"
KIEF = "018NY6XC00PTNPA4TPCYSKD5XN"
