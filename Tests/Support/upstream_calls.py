"""Calls an upstream's OpenTHC API as one of a box's licenses, as head office's own software would: opens a v2024
session with the box's client key, then sends each call read from stdin, a JSON list of [method, path, body or null],
in order. Prints a JSON list of {"status", "body"} and exits 0 only when every call answered below 300.

    upstream_calls.py BASE_URL SERVER_PUBLIC_KEY CLIENT_KEY_FILE SERVICE COMPANY LICENSE CONTACT < calls.json

Plain http.client on loopback: no proxy is ever consulted.
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "api"))

import client  # noqa: E402
import v2024  # noqa: E402


def main(argv):
    if len(argv) != 8:
        print("usage: upstream_calls.py BASE_URL SERVER_PUBLIC CLIENT_KEY_FILE SERVICE COMPANY LICENSE CONTACT < calls.json",
              file=sys.stderr)
        return 2
    base_url, server_public, key_file, service, company, license_id, contact = argv[1:]
    pair = v2024.KeyPair.read(key_file)
    http = client.Client(base_url, timeout=30)
    sealed = v2024.seal(v2024.claims(pair.public, service, contact, company, license_id), pair.secret, server_public)
    opened = http.request("POST", "/auth/open", bearer=v2024.open_token(pair.public, sealed))
    if opened.status != 200:
        print("/auth/open answered %d: %s" % (opened.status, opened.text), file=sys.stderr)
        return 1
    bearer = v2024.session_token(opened.json["data"]["sid"])
    answers = []
    ok = True
    for method, path, body in json.load(sys.stdin):
        reply = http.request(method, path, bearer=bearer, json_body=body)
        answers.append({"status": reply.status, "body": reply.json})
        ok = ok and reply.status < 300
    print(json.dumps(answers))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
