"""End-to-end tests of `sprawl scan --verify` against a local HTTPS mock of
the providers (tests/verifier/mock_provider.py): nothing is sent without
--verify; live, revoked and unknown are reported; each distinct secret is
sent once; concurrency, rate and request cap hold (the mock counts).

Runs from tests/verifier/ or, unchanged, from tests/cli/.
"""
import collections
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(TESTS, "cli"), os.path.join(TESTS, "verifier")]

from mock_provider import MockProvider  # noqa: E402
from sprawltest import SOURCE_DIR, SprawlTestCase, github_token  # noqa: E402


def statuses(data):
    return collections.Counter(f["verification"]["status"] for f in data)


class VerifyTest(SprawlTestCase):
    def verify_args(self, mock, *extra):
        return ["--verify", "--verify-ca-file", mock.ca_file,
                *mock.endpoint_args(), *extra]

    def test_without_verify_nothing_is_sent(self):
        token = github_token()
        self.write("tree/a.env", f"GITHUB_TOKEN={token}\n")
        with MockProvider(live={token}) as mock:
            _, data = self.scan_json("tree", *mock.endpoint_args())
            self.assertEqual(mock.count(), 0)
        self.assertEqual(statuses(data), {"not_checked": 1})

    def test_live_revoked_and_unknown_each_sent_once(self):
        live, revoked, unknown = (github_token() for _ in range(3))
        for name in ("a", "b", "c"):
            self.write(f"tree/{name}.env", f"GITHUB_TOKEN={live}\n")
        self.write("tree/d.env", f"OLD={revoked}\nOTHER={unknown}\n")
        with MockProvider(live={live}, revoked={revoked}) as mock:
            r, data = self.scan_json("tree", *self.verify_args(mock))
            self.assertEqual(mock.count(), 3)
        self.assertEqual(statuses(data),
                         {"live": 3, "revoked": 1, "unknown": 1})
        by_secret = {f["location"]["line"]: f for f in data
                     if f["location"]["path"].endswith("d.env")}
        self.assertEqual(by_secret[2]["verification"]["reason"], "http 500")
        self.assertNotIn(unknown, r.stderr)

    def test_corpus_scan_sends_each_secret_once_within_limits(self):
        corpus = os.path.join(SOURCE_DIR, "corpus")
        _, plain = self.scan_json(corpus, "--show-secrets")
        github = sorted({f["secret"] for f in plain
                         if f["rule_id"] == "github-pat-classic"
                         and f["validation"]["status"] == "valid"})
        self.assertGreaterEqual(len(github), 2)
        live, revoked = github[0], github[1]
        with MockProvider(live={live}, revoked={revoked}) as mock:
            _, silent = self.scan_json(corpus, *mock.endpoint_args())
            self.assertEqual(mock.count(), 0)
            _, data = self.scan_json(corpus, "--show-secrets",
                                     *self.verify_args(mock))
            seen = mock.secrets_seen()
            self.assertEqual(set(seen.values()), {1}, seen)
            self.assertLessEqual(mock.max_concurrent(), 8)
        by_secret = {f["secret"]: f["verification"]["status"] for f in data}
        self.assertEqual(by_secret[live], "live")
        self.assertEqual(by_secret[revoked], "revoked")
        self.assertIn("unknown", statuses(data))
        self.assertEqual(statuses(silent), {"not_checked": len(silent)})

    def test_concurrency_and_rate_limits_hold(self):
        tokens = [github_token() for _ in range(24)]
        self.write("tree/many.env",
                   "".join(f"T{i}={t}\n" for i, t in enumerate(tokens)))
        self.write("tree/again.env", f"T={tokens[0]}\n")
        with MockProvider(live=set(tokens), delay_s=0.15) as mock:
            _, data = self.scan_json(
                "tree", *self.verify_args(mock, "--verify-concurrency", "3",
                                          "--verify-rate", "8"))
            self.assertEqual(mock.count(), 24)
            self.assertEqual(set(mock.secrets_seen().values()), {1})
            self.assertLessEqual(mock.max_concurrent(), 3)
            # Spacing is enforced at send time; arrival jitter may add one
            # or two requests to a one-second window at the server.
            self.assertLessEqual(mock.max_per_second(), 8 + 2)
        self.assertEqual(statuses(data), {"live": 25})

    def test_request_cap_leaves_the_rest_unknown(self):
        tokens = [github_token() for _ in range(5)]
        self.write("tree/a.env",
                   "".join(f"T{i}={t}\n" for i, t in enumerate(tokens)))
        with MockProvider(live=set(tokens)) as mock:
            _, data = self.scan_json(
                "tree", *self.verify_args(mock, "--verify-max-requests", "2"))
            self.assertEqual(mock.count(), 2)
        self.assertEqual(statuses(data), {"live": 2, "unknown": 3})
        self.assertEqual(
            {f["verification"]["reason"] for f in data
             if f["verification"]["status"] == "unknown"},
            {"request cap reached"})

    def test_only_live_filters(self):
        live, revoked = github_token(), github_token()
        self.write("tree/a.env", f"A={live}\nB={revoked}\n")
        with MockProvider(live={live}, revoked={revoked}) as mock:
            _, data = self.scan_json("tree", "--only-live",
                                     *self.verify_args(mock))
        self.assertEqual(statuses(data), {"live": 1})


if __name__ == "__main__":
    unittest.main()
