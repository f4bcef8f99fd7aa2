"""The leaky-repo accuracy figures of docs/accuracy.md do not regress:
bench/accuracy.py run against the built binary, its totals parsed."""
import os
import re
import subprocess
import sys
import unittest

from sprawltest import BINARY, SHARED_DIR, SOURCE_DIR

# Measured when docs/accuracy.md was last regenerated; raise them with it.
MIN_RISK_LINES = 87
MIN_MARKED_RISK_LINES = 23


class AccuracyTest(unittest.TestCase):
    def test_leaky_repo_totals(self):
        bundle = os.path.join(SHARED_DIR, "corpora", "leaky-repo.bundle")
        if not os.path.exists(bundle):
            self.skipTest(f"{bundle} missing")
        script = os.path.join(SOURCE_DIR, "bench", "accuracy.py")
        r = subprocess.run([sys.executable, script, os.path.abspath(BINARY)],
                           capture_output=True, text=True, timeout=240,
                           env={**os.environ, "SPRAWL_SHARED_DIR": SHARED_DIR})
        self.assertEqual(r.returncode, 0, r.stderr)
        totals = re.search(r"Risk lines found: (\d+) of (\d+); "
                           r"false-positive lines: (\d+)", r.stdout)
        self.assertIsNotNone(totals, r.stdout[-2000:])
        found, total, false_positive = map(int, totals.groups())
        self.assertEqual(total, 96)
        self.assertGreaterEqual(found, MIN_RISK_LINES)
        self.assertEqual(false_positive, 0)
        marked = re.search(r"Marked risk lines reported: (\d+) of (\d+)",
                           r.stdout)
        self.assertIsNotNone(marked)
        self.assertGreaterEqual(int(marked.group(1)), MIN_MARKED_RISK_LINES)
        # test_keys: both AWS keys and the OpenSSH key in its history.
        self.assertRegex(r.stdout, r"\*\*5 findings\.\*\*")


if __name__ == "__main__":
    unittest.main()
