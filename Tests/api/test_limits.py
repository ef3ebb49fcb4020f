"""Request limits of lotbox serve (issue #12): bodies over 1 MiB are refused with 413, however they arrive, and a
body must arrive within a deadline, so slow clients cannot hold the server.

usage: test_limits.py FIXTURE.json   (see client.py for the fixture)
"""

import select
import socket
import sys
import time
import urllib.parse

import v2024
from client import Checks, Fixture

STALLED_CONNECTIONS = 16
# The issue asks for a deadline without naming it; a minute is far longer than any a server would choose.
STALL_LIMIT_SECONDS = 60


def connect(fx):
    parsed = urllib.parse.urlsplit(fx.base_url)
    return socket.create_connection((parsed.hostname, parsed.port), timeout=10)


def head_lines(sid, path, length, extra=""):
    return ("POST %s HTTP/1.1\r\nHost: lotbox\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
            "%s%s\r\n" % (path, v2024.session_token(sid), "Content-Length: %d\r\n" % length if length is not None
                          else "", extra)).encode("ascii")


def status_of(reply):
    """The status code of a raw HTTP reply, or None."""
    first = reply.split(b"\r\n", 1)[0].split()
    return int(first[1]) if len(first) >= 2 and first[1].isdigit() else None


def read_reply(sock, seconds):
    """What the server sends before closing or answering, within `seconds`."""
    sock.settimeout(seconds)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return data


def main(argv):
    fx = Fixture(argv)
    checks = Checks("limits")
    sid = fx.open(checks, 0, 0, "open a session")
    if not sid:
        return checks.finish()

    # A declared length over 1 MiB is refused before the body is sent.
    sock = connect(fx)
    try:
        sock.sendall(head_lines(sid, "/inventory", 10 * 1024 * 1024 * 1024))
        reply = read_reply(sock, 10)
        checks.check(status_of(reply) == 413, "POST /inventory declaring 10 GiB without sending it: %r" % reply[:400])
    finally:
        sock.close()

    # A chunked body that grows past 1 MiB.
    sock = connect(fx)
    try:
        sock.sendall(head_lines(sid, "/inventory", None, "Transfer-Encoding: chunked\r\n"))
        chunk = b"x" * 65536
        try:
            sock.sendall(b'%x\r\n{"name": "\r\n' % len(b'{"name": "'))
            for _ in range(20):  # 1.25 MiB
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sock.sendall(b'2\r\n"}\r\n0\r\n\r\n')
        except (BrokenPipeError, ConnectionResetError):
            pass
        reply = read_reply(sock, 10)
        checks.check(status_of(reply) == 413, "POST /inventory with a chunked body of 1.25 MiB: %r" % reply[:400])
    finally:
        sock.close()

    # Stalled bodies: the server keeps answering others, and drops or answers the stalled ones in time.
    stalled = []
    started = time.monotonic()
    try:
        for _ in range(STALLED_CONNECTIONS):
            sock = connect(fx)
            sock.sendall(head_lines(sid, "/inventory", 100) + b'{"na')
            stalled.append(sock)
        begun = time.monotonic()
        ping = fx.call("GET", "/auth/ping", sid)
        checks.envelope(ping, 200, "GET /auth/ping while %d bodies are stalled" % STALLED_CONNECTIONS)
        checks.check(time.monotonic() - begun < 3, "GET /auth/ping took %.1f s while bodies were stalled"
                     % (time.monotonic() - begun))
        waiting = {sock: b"" for sock in stalled}
        ended = {}
        while waiting and time.monotonic() - started < STALL_LIMIT_SECONDS:
            readable, _, _ = select.select(list(waiting), [], [], 1.0)
            for sock in readable:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    chunk = b""
                if chunk and b"\r\n\r\n" not in waiting[sock] + chunk:
                    waiting[sock] += chunk
                    continue
                ended[sock] = (time.monotonic() - started, status_of(waiting.pop(sock) + chunk))
        checks.check(not waiting, "%d of %d stalled bodies were still held after %d s"
                     % (len(waiting), STALLED_CONNECTIONS, STALL_LIMIT_SECONDS))
        for seconds, status in ended.values():
            checks.check(status in (None, 400, 408), "a stalled body was answered %s (expected 408, 400 or a close)"
                         % status)
        if ended:
            print("limits: stalled bodies dropped after %.1f-%.1f s (statuses %s)"
                  % (min(s for s, _ in ended.values()), max(s for s, _ in ended.values()),
                     sorted(set(str(status) for _, status in ended.values()))))
    finally:
        for sock in stalled:
            sock.close()
    checks.envelope(fx.call("GET", "/auth/ping", sid), 200, "GET /auth/ping after the stalled bodies")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
