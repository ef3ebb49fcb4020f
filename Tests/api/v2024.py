"""OpenTHC "v2024" bearer tokens, built independently of lotbox with PyNaCl (libsodium's crypto_box).

A token is `v2024/<client_pk>/<box>` where box = nonce(24) || crypto_box(json, nonce, client_sk, server_pk),
keys and box in base64url without padding (openthc-api.md section 2). Run as a program it makes client key
pairs for a test's configuration:

    python3 v2024.py keygen        # prints two lines: "public <43 chars>" and "secret <43 chars>"
"""

import base64
import json
import os
import sys
import time

from nacl.public import Box, PrivateKey, PublicKey

NONCE_SIZE = Box.NONCE_SIZE  # 24


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class KeyPair:
    """An X25519 key pair as the wire carries it (base64url, 43 characters each)."""

    def __init__(self, public: str, secret: str):
        self.public = public
        self.secret = secret
        if b64url(bytes(PrivateKey(unb64url(secret)).public_key)) != public:
            raise ValueError("secret key %s… does not belong to public key %s" % (secret[:6], public))

    @staticmethod
    def generate() -> "KeyPair":
        secret = PrivateKey.generate()
        return KeyPair(b64url(bytes(secret.public_key)), b64url(bytes(secret)))

    @staticmethod
    def read(path: str) -> "KeyPair":
        """Reads a key file of `lotbox api keygen` (lines `public X` / `secret Y`)."""
        fields = {}
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) == 2:
                    fields[parts[0]] = parts[1]
        return KeyPair(fields["public"], fields["secret"])


def claims(client_pk: str, service: str, contact: str, company: str, license: str, ts=None) -> dict:
    """The JSON a client seals: who it is and whom it acts for."""
    return {
        "pk": client_pk,
        "ts": int(time.time()) if ts is None else int(ts),
        "service": service,
        "contact": contact,
        "company": company,
        "license": license,
    }


def seal(payload, client_sk: str, server_pk: str, nonce: bytes = None) -> str:
    """box = nonce || crypto_box_easy(payload, nonce, client_sk, server_pk), base64url."""
    if isinstance(payload, dict):
        payload = json.dumps(payload, separators=(",", ":"))
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    nonce = os.urandom(NONCE_SIZE) if nonce is None else nonce
    box = Box(PrivateKey(unb64url(client_sk)), PublicKey(unb64url(server_pk)))
    sealed = box.encrypt(payload, nonce)  # PyNaCl prepends the nonce: nonce || ciphertext+MAC
    return b64url(bytes(sealed))


def open_token(header_pk: str, box: str) -> str:
    """The bearer value `/auth/open` takes."""
    return "v2024/%s/%s" % (header_pk, box)


def session_token(sid: str) -> str:
    return "v2024/%s" % sid


def main(argv):
    if len(argv) == 2 and argv[1] == "keygen":
        pair = KeyPair.generate()
        print("public " + pair.public)
        print("secret " + pair.secret)
        return 0
    print("usage: v2024.py keygen", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
