"""A state bridge in front of a real `lotbox serve`: every request goes through to it unchanged,
except those whose method and path start as refused, which are answered 403 in the contract's
envelope (a bridge that takes no lab results). Loopback only; no proxy variables are read.

    python3 refusing_proxy.py LISTEN_PORT UPSTREAM_PORT "POST /lab/result"
"""
import http.client
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LISTEN, UPSTREAM, REFUSED = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]


class Bridge(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def relay(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if f"{self.command} {self.path}".startswith(REFUSED):
            answer = json.dumps({"data": None, "meta": {"note": "this bridge takes no lab results"}}).encode()
            self.send_response(403)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
            return
        connection = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            reply = connection.getresponse()
            data = reply.read()
        except OSError as error:
            self.send_error(502, str(error))
            return
        finally:
            connection.close()
        self.send_response(reply.status)
        for key, value in reply.getheaders():
            if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_DELETE = relay

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", LISTEN), Bridge).serve_forever()
