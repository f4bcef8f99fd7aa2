"""Shared helpers for the end-to-end tests of the built sprawl binary.

Secrets made here are fake: random characters in the provider's format,
with valid checksums where the format has one.
"""
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import unittest
import zlib

BINARY = os.environ.get("SPRAWL_BINARY", "build/sprawl")
SOURCE_DIR = os.environ.get("SPRAWL_SOURCE_DIR", ".")
SHARED_DIR = os.environ.get(
    "SPRAWL_SHARED_DIR", os.path.join(SOURCE_DIR, "..", "shared"))
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def random_chars(n, alphabet=BASE62):
    """Random characters without runs the placeholder filter rejects."""
    while True:
        s = "".join(secrets.choice(alphabet) for _ in range(n))
        if not any(s[i] == s[i + 1] == s[i + 2] for i in range(len(s) - 2)):
            return s


def base62(n, width):
    out = ""
    while n:
        out = BASE62[n % 62] + out
        n //= 62
    return out.rjust(width, "0")


def github_token(prefix="ghp_"):
    body = random_chars(30)
    return prefix + body + base62(zlib.crc32(body.encode()), 6)


class SprawlTestCase(unittest.TestCase):
    """Runs the binary in a fresh temporary directory per test."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="sprawl-cli-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def read(self, name):
        with open(self.path(name)) as f:
            return f.read()

    def write(self, name, content, mode="w"):
        p = self.path(name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, mode) as f:
            f.write(content)
        return p

    def sprawl(self, *args, stdin=None, cwd=None, user=None):
        cmd = [os.path.abspath(BINARY), *args]
        if user:
            cmd = ["setpriv", f"--reuid={user}", f"--regid={user}",
                   "--clear-groups", *cmd]
        return subprocess.run(cmd, cwd=cwd or self.dir, input=stdin,
                              capture_output=True, text=True, timeout=300)

    def scan_json(self, *args, **kw):
        r = self.sprawl("scan", "--format", "json", *args, **kw)
        self.assertIn(r.returncode, (0, 1), r.stderr)
        return r, json.loads(r.stdout)
