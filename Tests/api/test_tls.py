"""The API over TLS (issue #12): a client that trusts the certificate of `lotbox api cert` as its CA, with the host
name checked, gets /health and an authenticated call; what it should not get, it does not.

usage: test_tls.py FIXTURE.json   (see client.py; base_url is https://localhost:PORT and the fixture adds)
    "ca_file":        the certificate lotbox serves (the client's only trusted CA)
    "wrong_ca_file":  another certificate of `lotbox api cert`, for another key
    "fingerprint":    what `lotbox api cert` printed (SHA-256, colon-separated hex)
    "hosts":          the --host values it was made for
    "days":           its --days
The script waits (up to 60 s) for the server to answer /health over TLS before it checks anything.
"""

import hashlib
import http.client
import ipaddress
import socket
import ssl
import sys
import time
import warnings

from client import Checks, Client, Fixture, tls_context

WAIT_SECONDS = 60


def handshake(host, port, context, server_hostname):
    """One TLS handshake; the connected socket's TLS object (the caller closes it), or the exception it raised."""
    raw = socket.create_connection((host, port), timeout=10)
    try:
        wrapped = context.wrap_socket(raw, server_hostname=server_hostname)
    except Exception as error:  # noqa: BLE001 - the kind of failure is what the checks look at
        raw.close()
        return error
    return wrapped


def san(name):
    """A --host value as Python shows it in subjectAltName: an IP address (compared parsed) or a DNS name."""
    try:
        return ("IP Address", ipaddress.ip_address(name))
    except ValueError:
        return ("DNS", name.lower())


def wait_for_health(client):
    deadline = time.monotonic() + WAIT_SECONDS
    last = None
    while time.monotonic() < deadline:
        try:
            response = client.request("GET", "/health")
            if response.status == 200:
                return response, None
            last = response.describe()
        except (OSError, http.client.HTTPException) as error:
            last = repr(error)
        time.sleep(0.2)
    return None, last


def main(argv):
    fx = Fixture(argv)
    spec_hosts = fx.spec["hosts"]
    checks = Checks("tls")
    host, port = fx.client.host, fx.client.port
    loopback = "127.0.0.1"

    health, last = wait_for_health(fx.client)
    if not checks.check(health is not None, "GET /health over TLS (CA %s, host %s) did not answer 200 within %d s: %s"
                        % (fx.ca_file, host, WAIT_SECONDS, last)):
        return checks.finish()
    checks.check(health.text.strip() == "ok", "GET /health over TLS: %s" % health.describe())

    # The same certificate by its IP address, also in subjectAltName.
    by_ip = Client("https://%s:%d" % (loopback, port), ca_file=fx.ca_file)
    checks.status(by_ip.request("GET", "/health"), 200, "GET /health over TLS by the IP address %s" % loopback)

    # An authenticated call: a v2024 session opened and used over TLS.
    sid = fx.open(checks, 0, 0, "open a session over TLS")
    if sid:
        ping = fx.call("GET", "/auth/ping", sid)
        if checks.envelope(ping, 200, "GET /auth/ping over TLS"):
            checks.check(ping.data == {"sid": sid}, "GET /auth/ping over TLS: %s" % ping.describe())
        checks.envelope(fx.call("GET", "/inventory", sid), 200, "GET /inventory over TLS")
    checks.error(fx.call("GET", "/inventory", None), 401, "GET /inventory over TLS without a session")

    # The certificate served is the one `lotbox api cert` wrote and fingerprinted, for the names it was asked for.
    served = handshake(loopback, port, tls_context(fx.ca_file), "localhost")
    if checks.check(isinstance(served, ssl.SSLSocket), "a verified handshake with localhost: %r" % (served,)):
        with served:
            der = served.getpeercert(binary_form=True)
            with open(fx.ca_file, encoding="ascii") as handle:
                checks.check(der == ssl.PEM_cert_to_DER_cert(handle.read()),
                             "the certificate served is not the one in %s" % fx.ca_file)
            digest = hashlib.sha256(der).hexdigest().upper()
            printed = fx.spec["fingerprint"].replace(":", "")
            checks.check(digest == printed, "SHA-256 of the certificate served %s, lotbox api cert printed %s"
                         % (digest, fx.spec["fingerprint"]))
            details = served.getpeercert()
            names = {(kind, ipaddress.ip_address(value.strip()) if kind == "IP Address" else value)
                     for kind, value in details.get("subjectAltName", ())}
            checks.check(names == {san(name) for name in spec_hosts},
                         "subjectAltName %s, expected exactly %s" % (sorted(map(str, names)), spec_hosts))
            not_after = ssl.cert_time_to_seconds(details["notAfter"])
            not_before = ssl.cert_time_to_seconds(details["notBefore"])
            checks.check(abs((not_after - not_before) - fx.spec["days"] * 86400) <= 1,
                         "valid from %s to %s, expected %d days" % (details["notBefore"], details["notAfter"],
                                                                    fx.spec["days"]))
            checks.check(abs(not_before - time.time()) < 600, "notBefore %s is not now" % details["notBefore"])
            checks.check(served.version() in ("TLSv1.2", "TLSv1.3"), "negotiated %s" % served.version())

    # TLS 1.2 alone is taken (the minimum) ...
    tls12 = tls_context(fx.ca_file)
    tls12.minimum_version = tls12.maximum_version = ssl.TLSVersion.TLSv1_2
    result = handshake(loopback, port, tls12, "localhost")
    if checks.check(isinstance(result, ssl.SSLSocket), "a TLS 1.2 handshake was refused: %r" % (result,)):
        checks.check(result.version() == "TLSv1.2", "a TLS 1.2-only client negotiated %s" % result.version())
        result.close()

    # ... TLS 1.1 is refused by the server: its protocol_version alert, not this client declining to offer it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        tls11 = tls_context(fx.ca_file)
        tls11.set_ciphers("DEFAULT:@SECLEVEL=0")
        tls11.minimum_version = tls11.maximum_version = ssl.TLSVersion.TLSv1_1
    result = handshake(loopback, port, tls11, "localhost")
    if isinstance(result, ssl.SSLSocket):
        checks.check(False, "a TLS 1.1 handshake succeeded (%s)" % result.version())
        result.close()
    else:
        checks.check(isinstance(result, ssl.SSLError) and result.reason == "TLSV1_ALERT_PROTOCOL_VERSION",
                     "a TLS 1.1 handshake failed, but not by the server's protocol_version alert: %r" % (result,))

    # Another certificate as the CA: verification fails.
    result = handshake(loopback, port, tls_context(fx.spec["wrong_ca_file"]), "localhost")
    checks.check(isinstance(result, ssl.SSLCertVerificationError) and result.verify_code in (18, 20),
                 "with another certificate as the CA: expected an untrusted self-signed certificate, got %r"
                 % (result,))
    if isinstance(result, ssl.SSLSocket):
        result.close()
    wrong_ca = Client(fx.base_url, ca_file=fx.spec["wrong_ca_file"])
    try:
        answered = wrong_ca.request("GET", "/health")
        checks.check(False, "GET /health trusting another certificate answered: %s" % answered.describe())
    except ssl.SSLCertVerificationError:
        pass

    # A name the certificate was not made for: the host name check fails.
    result = handshake(loopback, port, tls_context(fx.ca_file), "not-this-box.example")
    checks.check(isinstance(result, ssl.SSLCertVerificationError) and result.verify_code == 62,
                 "the host name not-this-box.example: expected a host name mismatch, got %r" % (result,))
    if isinstance(result, ssl.SSLSocket):
        result.close()

    # Plain HTTP to the TLS port gets no HTTP answer.
    plain = Client("http://%s:%d" % (loopback, port))
    try:
        answered = plain.request("GET", "/health")
        checks.check(False, "plain HTTP to the TLS port answered: %s" % answered.describe())
    except (OSError, http.client.HTTPException):
        pass

    # And the server still answers after all that.
    checks.status(fx.client.request("GET", "/health"), 200, "GET /health over TLS after the refused handshakes")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
