"""Local HTTPS stand-in for the providers' identity endpoints, for sprawl's
end-to-end `--verify` tests (issue 6). Listens on 127.0.0.1 only, with a
self-signed certificate made at start-up; contacts nothing.

    sys.path.insert(0, os.path.join(SPRAWL_SOURCE_DIR, "tests/verifier"))
    from mock_provider import MockProvider
    with MockProvider(live={"ghp_..."}, revoked={"xoxb-..."}) as mock:
        subprocess.run([SPRAWL_BINARY, "scan", "--verify", CORPUS,
                        *mock.endpoint_args(), <CA option> mock.ca_file])
        assert all(n == 1 for n in mock.secrets_seen().values())
        assert mock.max_concurrent() <= 8

The CLI needs a way to trust mock.ca_file (LiveOptions::ca_file), e.g. a
hidden `--verify-ca-file FILE`; without `--verify`, mock.count() must be 0.

A request is *about* a secret when the secret appears in its path, headers,
body or decoded Basic credentials (AWS: the key id in the SigV4
Credential=; Google: the `iss` of the JWT assertion). Secrets in `live` get
the provider's live answer, those in `revoked` its rejection, anything else
a 500. `python3 mock_provider.py --self-test` checks the module itself.
"""

import base64
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROVIDERS = [
    "github", "gitlab", "slack", "aws", "gcp", "stripe", "twilio",
    "sendgrid", "mailgun", "openai", "anthropic", "huggingface", "npm",
    "datadog", "heroku", "digitalocean", "discord", "telegram", "atlassian",
    "shopify", "cloudflare", "postman",
]

_JSON = {"Content-Type": "application/json"}
_UNAUTHORIZED = (401, _JSON, '{"message":"Bad credentials"}')

# Live answers by path (prefix match for the ones with ids in the path).
_LIVE = [
    ("/user", (200, {**_JSON, "X-OAuth-Scopes": "repo"},
               '{"login":"mock-user","id":1}')),
    ("/api/v4/personal_access_tokens/self",
     (200, _JSON, '{"name":"ci","scopes":["api"],"user_id":1}')),
    ("/api/auth.test", (200, _JSON, '{"ok":true,"team":"Mock","user":"bot"}')),
    ("/services/", (400, {}, "no_text")),
    ("/token", (200, _JSON, '{"access_token":"ya29.mock"}')),
    ("/v1beta/models", (200, _JSON, '{"models":[]}')),
    ("/v1/account", (200, _JSON, '{"id":"acct_mock"}')),
    ("/2010-04-01/Accounts/", (200, _JSON, '{"sid":"AC","status":"active"}')),
    ("/v3/scopes", (200, _JSON, '{"scopes":["mail.send"]}')),
    ("/v3/domains", (200, _JSON, '{"total_count":0,"items":[]}')),
    ("/v1/models", (200, _JSON, '{"data":[]}')),
    ("/api/whoami-v2", (200, _JSON, '{"name":"mock","type":"user"}')),
    ("/-/whoami", (200, _JSON, '{"username":"mock"}')),
    ("/api/v2/validate_keys", (200, _JSON, '{"status":"ok"}')),
    ("/api/v1/validate", (200, _JSON, '{"valid":true}')),
    ("/account", (200, _JSON, '{"email":"mock@example.com","id":"1"}')),
    ("/v2/account", (200, _JSON, '{"account":{"email":"m@example.com"}}')),
    ("/api/v10/users/@me", (200, _JSON, '{"id":"1","username":"mock"}')),
    ("/api/webhooks/", (200, _JSON, '{"name":"mock"}')),
    ("/bot", (200, _JSON, '{"ok":true,"result":{"id":1,"username":"m"}}')),
    ("/rest/api/3/myself", (200, _JSON, '{"accountId":"mock"}')),
    ("/admin/api/", (200, _JSON, '{"shop":{"name":"Mock"}}')),
    ("/client/v4/user/tokens/verify",
     (200, _JSON, '{"success":true,"result":{"id":"t","status":"active"}}')),
    ("/me", (200, _JSON, '{"user":{"id":1,"username":"mock"}}')),
]

_REVOKED = [
    ("/api/auth.test", (200, _JSON, '{"ok":false,"error":"invalid_auth"}')),
    ("/services/", (404, {}, "no_service")),
    ("/token", (400, _JSON, '{"error":"invalid_grant"}')),
    ("/v1beta/models",
     (400, _JSON, '{"error":{"details":[{"reason":"API_KEY_INVALID"}]}}')),
    ("/api/v1/validate", (403, _JSON, '{"errors":["Forbidden"]}')),
    ("/bot", (401, _JSON, '{"ok":false,"error_code":401}')),
]

_STS_LIVE = ("<GetCallerIdentityResponse><GetCallerIdentityResult>"
             "<Arn>arn:aws:iam::123456789012:user/mock</Arn>"
             "<Account>123456789012</Account></GetCallerIdentityResult>"
             "</GetCallerIdentityResponse>")
_STS_REVOKED = ("<ErrorResponse><Error><Code>InvalidClientTokenId</Code>"
                "</Error></ErrorResponse>")


def _answer(table, path, default):
    best = None
    for prefix, answer in table:
        exact = prefix == path
        if exact or (prefix.endswith("/") and path.startswith(prefix)) or (
                prefix == "/bot" and path.startswith("/bot")):
            if best is None or exact or len(prefix) > len(best[0]):
                best = (prefix, answer)
    return best[1] if best else default


def _make_certificate(directory):
    key = os.path.join(directory, "key.pem")
    cert = os.path.join(directory, "cert.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
         "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True)
    return key, cert


class MockProvider:
    """A threaded HTTPS server; see the module docstring."""

    def __init__(self, live=(), revoked=(), delay_s=0.0):
        self.live = set(live)
        self.revoked = set(revoked)
        self.delay_s = delay_s
        self.requests = []
        self._lock = threading.Lock()
        self._active = 0
        self._max_active = 0
        self._arrivals = []
        self._dir = tempfile.mkdtemp(prefix="sprawl-mock-")
        key, self.ca_file = _make_certificate(self._dir)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.ca_file, key)
        self._server.socket = context.wrap_socket(self._server.socket,
                                                  server_side=True)
        self.base_url = "https://127.0.0.1:%d" % self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def endpoint_args(self, providers=PROVIDERS):
        """--verify-endpoint arguments pointing every provider here."""
        args = []
        for provider in providers:
            args += ["--verify-endpoint", "%s=%s" % (provider, self.base_url)]
        return args

    def count(self):
        with self._lock:
            return len(self.requests)

    def max_concurrent(self):
        with self._lock:
            return self._max_active

    def max_per_second(self):
        with self._lock:
            times = sorted(self._arrivals)
        return max((sum(1 for u in times[i:] if u - t < 1.0)
                    for i, t in enumerate(times)), default=0)

    def secrets_seen(self):
        """How often each known secret was sent."""
        counts = {}
        for request in list(self.requests):
            for secret in request["about"]:
                counts[secret] = counts.get(secret, 0) + 1
        return counts

    def _about(self, method, path, headers, body):
        text = [path, body] + list(headers.values())
        auth = headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                text.append(base64.b64decode(auth[6:]).decode())
            except ValueError:
                pass
        if path == "/token":
            form = urllib.parse.parse_qs(body)
            try:
                claims = form["assertion"][0].split(".")[1]
                claims += "=" * (-len(claims) % 4)
                text.append(base64.urlsafe_b64decode(claims).decode())
            except (KeyError, IndexError, ValueError):
                pass
        joined = "\n".join(text)
        return sorted(s for s in self.live | self.revoked if s in joined)

    def _respond(self, method, path, headers, body):
        about = self._about(method, path, headers, body)
        with self._lock:
            self.requests.append({"method": method, "path": path,
                                  "headers": headers, "body": body,
                                  "about": about})
            self._arrivals.append(time.monotonic())
        if self.delay_s:
            time.sleep(self.delay_s)
        route = urllib.parse.urlsplit(path).path
        if any(s in self.revoked for s in about):
            if route == "/" and method == "POST":
                return 403, {"Content-Type": "text/xml"}, _STS_REVOKED
            return _answer(_REVOKED, route, _UNAUTHORIZED)
        if any(s in self.live for s in about):
            if route == "/" and method == "POST":
                return 200, {"Content-Type": "text/xml"}, _STS_LIVE
            return _answer(_LIVE, route, (404, {}, "no route"))
        return 500, {}, "unknown secret"

    def _handler(self):
        mock = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace")
                with mock._lock:
                    mock._active += 1
                    mock._max_active = max(mock._max_active, mock._active)
                try:
                    status, headers, text = mock._respond(
                        self.command, self.path, dict(self.headers), body)
                    data = text.encode()
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    with mock._lock:
                        mock._active -= 1

            do_GET = _serve
            do_POST = _serve

        return Handler


def _self_test():
    import urllib.request
    live, dead = "ghp_" + "A" * 36, "xoxb-" + "1" * 30
    with MockProvider(live={live}, revoked={dead}) as mock:
        context = ssl.create_default_context(cafile=mock.ca_file)
        request = urllib.request.Request(
            mock.base_url + "/user",
            headers={"Authorization": "Bearer " + live})
        with urllib.request.urlopen(request, context=context) as response:
            assert response.status == 200, response.status
            assert json.loads(response.read())["login"] == "mock-user"
        request = urllib.request.Request(
            mock.base_url + "/api/auth.test", data=b"",
            headers={"Authorization": "Bearer " + dead})
        with urllib.request.urlopen(request, context=context) as response:
            assert json.loads(response.read())["ok"] is False
        assert mock.count() == 2
        assert mock.secrets_seen() == {live: 1, dead: 1}
        assert len(mock.endpoint_args()) == 2 * len(PROVIDERS)
    print("mock_provider self-test: ok")


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        _self_test()
    else:
        print(__doc__)
