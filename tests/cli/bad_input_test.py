"""End-to-end tests of bad input: each gets a clear message naming the
input, and the scan of everything else goes on."""
import json
import os
import unittest

import subprocess

from sprawltest import BINARY, SprawlTestCase, github_token


class BadInputTest(SprawlTestCase):
    def setUp(self):
        super().setUp()
        self.token = github_token()
        self.write("tree/good.txt", f"token={self.token}\n")

    def scan(self, *args, **kw):
        r = self.sprawl("scan", "tree", "--format", "json", *args, **kw)
        data = json.loads(r.stdout) if r.stdout.strip() else []
        return r, data

    def assert_good_found(self, data):
        self.assertTrue(any(f["location"]["path"].endswith("good.txt")
                            for f in data), data)

    def test_unreadable_file(self):
        os.chmod(self.dir, 0o755)
        os.chmod(self.path("tree"), 0o755)
        os.chmod(self.path("tree/good.txt"), 0o644)
        p = self.write("tree/secret.txt", "x")
        os.chmod(p, 0)
        r, data = self.scan("--cache-dir", self.path("cache"), user="65534")
        self.assertIn("tree/secret.txt", r.stderr + r.stdout)
        self.assertIn("unreadable", r.stderr)
        self.assertEqual(r.returncode, 2)  # results are incomplete
        self.assert_good_found(data)

    def test_directory_loop(self):
        os.makedirs(self.path("tree/sub"))
        os.symlink("..", self.path("tree/sub/up"))
        r, data = self.scan("--follow-symlinks")
        self.assertIn("directory loop", r.stderr)
        self.assertIn("tree/sub/up", r.stderr)
        self.assert_good_found(data)
        r, data = self.scan()
        self.assertIn("symbolic link not followed", r.stderr)
        self.assert_good_found(data)

    def test_two_gigabyte_file(self):
        with open(self.path("tree/huge.log"), "wb") as f:
            f.truncate(2 * 1024 ** 3)
        r, data = self.scan()
        self.assertIn("tree/huge.log", r.stderr)
        self.assertIn("too large", r.stderr)
        self.assert_good_found(data)

    def test_binary_junk(self):
        self.write("tree/junk.bin", os.urandom(4096) + b"\0" * 16, mode="wb")
        r, data = self.scan()
        self.assertIn("tree/junk.bin", r.stderr)
        self.assertIn("binary", r.stderr)
        self.assert_good_found(data)

    def test_invalid_utf8_is_scanned_with_a_note(self):
        other = github_token("ghs_")
        self.write("tree/latin1.txt",
                   b"caf\xe9 \xff\xfe\n" + f"k={other}\n".encode(), mode="wb")
        r, data = self.scan()
        self.assertIn("tree/latin1.txt", r.stderr)
        self.assertIn("invalid UTF-8", r.stderr)
        paths = {f["location"]["path"] for f in data}
        self.assertIn("tree/latin1.txt", paths)

    def test_empty_file(self):
        self.write("tree/empty.txt", "")
        r, data = self.scan()
        self.assertIn("tree/empty.txt", r.stderr)
        self.assertIn("empty", r.stderr)
        self.assert_good_found(data)

    def test_malformed_rule_file(self):
        self.write("bad.toml", "[[rules]]\nid = \"x\nregex = 1\n")
        r, data = self.scan("--rules", "bad.toml")
        self.assertEqual(r.returncode, 2)
        self.assertIn("bad.toml", r.stderr)
        self.assertIn("line", r.stderr)
        self.assert_good_found(data)

    def test_utf16_with_bom_is_transcoded(self):
        other = github_token("ghu_")
        text = f"first\nsecret: {other}\n"
        self.write("tree/utf16.txt", b"\xff\xfe" + text.encode("utf-16-le"),
                   mode="wb")
        r, data = self.scan()
        hits = [f for f in data if f["location"]["path"] == "tree/utf16.txt"]
        self.assertEqual(len(hits), 1, r.stderr)
        self.assertEqual(hits[0]["location"]["line"], 2)

    def test_utf16_without_bom_is_transcoded(self):
        other = github_token("ghu_")
        text = f"# PowerShell profile\r\n$env:GH = '{other}'\r\n"
        self.write("tree/profile.ps1", text.encode("utf-16-le"), mode="wb")
        self.write("tree/table.bin", bytes(range(256)) * 8, mode="wb")
        r, data = self.scan()
        hits = [f for f in data if f["location"]["path"] == "tree/profile.ps1"]
        self.assertEqual(len(hits), 1, r.stderr)
        self.assertEqual(hits[0]["location"]["line"], 2)
        self.assertIn("table.bin", r.stderr)  # still binary, and counted

    def test_secret_across_a_chunk_boundary(self):
        # Default chunks are 8 MiB: put the token across the boundary.
        other = github_token("ghr_")
        boundary = 8 * 1024 * 1024
        filler_line = "x" * 99 + "\n"
        lines = boundary // 100 - 1
        head = filler_line * lines
        pad = boundary - len(head) - 20
        content = head + "y" * pad + " " + other + "\nend\n"
        self.write("tree/big.txt", content)
        r, data = self.scan()
        hits = [f for f in data if f["location"]["path"] == "tree/big.txt"]
        self.assertEqual(len(hits), 1, r.stderr)
        self.assertEqual(hits[0]["location"]["line"], lines + 1)
        self.assertEqual(hits[0]["location"]["column"], pad + 2)

    def test_fifo_is_skipped_with_a_message(self):
        os.mkfifo(self.path("tree/pipe"))
        r, data = self.scan()
        self.assertIn("tree/pipe", r.stderr)
        self.assert_good_found(data)


    def test_report_write_failure_is_an_error(self):
        with open("/dev/full", "w") as full:
            r = subprocess.run([os.path.abspath(BINARY), "scan", "tree"],
                               cwd=self.dir, stdout=full,
                               stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("writing the report", r.stderr)

    def test_named_pipe_argument_is_read_as_a_stream(self):
        fifo = self.path("pipe")
        os.mkfifo(fifo)
        writer = subprocess.Popen(["sh", "-c", f"echo k={self.token} > {fifo}"])
        r = self.sprawl("scan", fifo, "--format", "json")
        writer.wait(timeout=30)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(len(json.loads(r.stdout)), 1)

    def test_column_on_a_line_longer_than_a_chunk(self):
        other = github_token("gho_")
        self.write("tree/long.txt", "a " * (5 * 1024 * 1024) + other + "\n")
        r, data = self.scan()
        hits = [f for f in data if f["location"]["path"] == "tree/long.txt"]
        self.assertEqual(len(hits), 1, r.stderr)
        self.assertEqual((hits[0]["location"]["line"],
                          hits[0]["location"]["column"]),
                         (1, 10 * 1024 * 1024 + 1))

    def test_bom_bytes_before_utf8_do_not_hide_a_secret(self):
        other = github_token("ghs_")
        self.write("tree/bom.txt", b"\xff\xfeab\n" + f"k={other}\n".encode(),
                   mode="wb")
        r, data = self.scan()
        self.assertIn("tree/bom.txt",
                      [f["location"]["path"] for f in data], r.stderr)

    def test_control_characters_in_names_never_reach_the_terminal(self):
        self.write("tree/inv\x1b]0;PWNED\x07.txt", b"caf\xe9\n", mode="wb")
        r, _ = self.scan()
        self.assertNotIn("\x1b", r.stderr)
        self.assertIn("\\x1b", r.stderr)

    def test_exclude_accepts_directory_forms(self):
        self.write("tree/vendor/lib.txt", f"k={github_token()}\n")
        for glob in ("vendor/", "./vendor", "vendor"):
            r, data = self.scan("--exclude", glob)
            self.assertNotIn("tree/vendor/lib.txt",
                             [f["location"]["path"] for f in data], glob)


if __name__ == "__main__":
    unittest.main()
