"""schemathesis against a real lotbox serve, from its own /openapi.json: a fresh session, a bounded
number of examples per operation, every operation but /auth/shut (it would end the run's session)
and GET /auth/open (the contract makes it 501, which schemathesis counts as a server error).
Passes only with 0 server errors and 0 responses that break the document (status codes, content
types, headers and bodies as documented).

Usage: test_schemathesis.py FIXTURE.json [MAX_EXAMPLES]
"""

import os
import subprocess
import sys

from client import Checks, Fixture
import v2024


def main(argv):
    fixture = Fixture(argv)
    checks = Checks("schemathesis")
    sid = fixture.open(checks)
    if not sid:
        return checks.finish()
    examples = argv[2] if len(argv) > 2 else "10"
    st = os.path.join(os.path.dirname(sys.executable), "st")
    command = [st, "run", fixture.base_url + "/openapi.json",
               "-H", "Authorization: Bearer " + v2024.session_token(sid),
               "--max-examples", examples, "--workers", "1", "--seed", "20261130",
               "--exclude-path", "/auth/shut", "--exclude-operation-id", "get_auth_open",
               "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                           "response_headers_conformance,response_schema_conformance",
               "--request-timeout", "20", "--no-color"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1500)
    summary = result.stdout[-6000:]
    checks.check(result.returncode == 0, "schemathesis exited %d:\n%s%s" % (result.returncode, summary, result.stderr[-2000:]))
    checks.check("Tested:" in result.stdout, "schemathesis tested nothing:\n%s" % summary)
    if result.returncode == 0:
        print(summary[-1500:])
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
