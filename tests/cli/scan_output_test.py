"""End-to-end tests of `sprawl scan` outputs: text, JSON, JSONL, CSV,
SARIF (validated against the official schema), exit codes, redaction."""
import csv
import io
import json
import os
import unittest

from sprawltest import SHARED_DIR, SprawlTestCase, github_token


class OutputTest(SprawlTestCase):
    def setUp(self):
        super().setUp()
        self.token = github_token()
        self.write("app/config.env", f"# settings\nGITHUB_TOKEN={self.token}\n")
        self.write("app/readme.txt", "nothing to see here\n")

    def test_text_reports_finding_redacted_and_exits_1(self):
        r = self.sprawl("scan", "app", "--color", "never")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("github-pat-classic", r.stdout)
        self.assertIn("app/config.env:2:14", r.stdout)
        self.assertNotIn(self.token, r.stdout + r.stderr)
        self.assertIn(self.token[:4], r.stdout)

    def test_show_secrets_prints_the_secret(self):
        r = self.sprawl("scan", "app", "--show-secrets")
        self.assertEqual(r.returncode, 1)
        self.assertIn(self.token, r.stdout)

    def test_json_fields(self):
        _, data = self.scan_json("app")
        self.assertEqual(len(data), 1)
        f = data[0]
        for key in ("rule_id", "provider", "kind", "secret", "fingerprint",
                    "entropy", "location"):
            self.assertIn(key, f)
        self.assertEqual(f["rule_id"], "github-pat-classic")
        self.assertEqual(f["provider"], "github")
        self.assertEqual(f["kind"], "access-token")
        self.assertNotEqual(f["secret"], self.token)
        loc = f["location"]
        self.assertEqual(loc["source"], "file")
        self.assertEqual(loc["path"], "app/config.env")
        self.assertEqual((loc["line"], loc["column"]), (2, 14))
        self.assertEqual(f["validation"]["status"], "valid")

    def test_jsonl_one_object_per_line(self):
        self.write("app/more.txt", f"a\nb\ntoken: {github_token('gho_')}\n")
        r = self.sprawl("scan", "app", "--format", "jsonl")
        self.assertEqual(r.returncode, 1)
        lines = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
        self.assertEqual(len(lines), 2)
        self.assertEqual({l["location"]["path"] for l in lines},
                         {"app/config.env", "app/more.txt"})

    def test_csv_has_header_and_row(self):
        r = self.sprawl("scan", "app", "--format", "csv")
        self.assertEqual(r.returncode, 1)
        rows = list(csv.DictReader(io.StringIO(r.stdout)))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["rule_id"], "github-pat-classic")
        self.assertEqual(rows[0]["path"], "app/config.env")
        self.assertEqual(rows[0]["line"], "2")
        self.assertNotIn(self.token, r.stdout)

    def test_sarif_validates_and_never_holds_the_secret(self):
        import jsonschema
        out = self.path("out.sarif")
        r = self.sprawl("scan", "app", "--format", "sarif", "-o", out,
                        "--show-secrets")
        self.assertEqual(r.returncode, 1, r.stderr)
        text = self.read("out.sarif")
        self.assertNotIn(self.token, text)
        sarif = json.loads(text)
        with open(os.path.join(SHARED_DIR, "schemas",
                               "sarif-schema-2.1.0.json")) as f:
            schema = json.load(f)
        jsonschema.validate(sarif, schema)
        run = sarif["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        self.assertEqual(len({r["id"] for r in rules}), len(rules))
        rule = rules[0]
        self.assertIsInstance(rule["properties"]["security-severity"], str)
        self.assertIn(rule["properties"]["precision"],
                      ("very-high", "high", "medium", "low"))
        res = run["results"][0]
        loc = res["locations"][0]["physicalLocation"]
        self.assertEqual(loc["artifactLocation"]["uri"], "config.env")
        self.assertGreaterEqual(loc["region"]["startColumn"], 1)
        self.assertEqual(loc["region"]["startLine"], 2)
        self.assertIn("primaryLocationLineHash", res["partialFingerprints"])

    def test_exit_codes(self):
        r = self.sprawl("scan", "app/readme.txt")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = self.sprawl("scan", "app", "--exit-zero")
        self.assertEqual(r.returncode, 0)
        r = self.sprawl("scan", "app", "--format", "yaml")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--format", r.stderr)
        r = self.sprawl("scan", "does-not-exist", "app")
        self.assertEqual(r.returncode, 2)
        self.assertIn("does-not-exist", r.stderr)
        self.assertIn("github-pat-classic", r.stdout)

    def test_stdin(self):
        r = self.sprawl("scan", "-", "--format", "json",
                        stdin=f"x\ny = {self.token}\n")
        self.assertEqual(r.returncode, 1)
        data = json.loads(r.stdout)
        self.assertEqual(data[0]["location"]["source"], "stdin")
        self.assertEqual(data[0]["location"]["line"], 2)

    def test_inline_allow(self):
        self.write("app/config.env",
                   f"GITHUB_TOKEN={self.token}  # sprawl:allow\n")
        r = self.sprawl("scan", "app")
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_baseline_survives_edits_and_never_hides_new_secrets(self):
        r = self.sprawl("scan", "app", "--write-baseline", "base.json")
        self.assertEqual(r.returncode, 1)
        self.assertNotIn(self.token, self.read("base.json"))
        r = self.sprawl("scan", "app", "--baseline", "base.json")
        self.assertEqual(r.returncode, 0, r.stdout)
        self.write("app/config.env",
                   f"# new line above\n\n# settings\nGITHUB_TOKEN={self.token}\n")
        r = self.sprawl("scan", "app", "--baseline", "base.json")
        self.assertEqual(r.returncode, 0, r.stdout)
        other = github_token()
        self.write("app/config.env", f"GITHUB_TOKEN={other}\n")
        r = self.sprawl("scan", "app", "--baseline", "base.json")
        self.assertEqual(r.returncode, 1)

    def test_a_baseline_inside_the_scanned_tree_is_not_scanned(self):
        r = self.sprawl("scan", ".", "--write-baseline", "base.json")
        self.assertEqual(r.returncode, 1)
        r = self.sprawl("scan", ".", "--baseline", "base.json")
        self.assertEqual(r.returncode, 0, r.stdout)
        r = self.sprawl("scan", ".", "--write-baseline", "base.json")
        r = self.sprawl("scan", ".", "--baseline", "base.json")
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_exclude(self):
        r = self.sprawl("scan", "app", "--exclude", "*.env")
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_version_and_help(self):
        r = self.sprawl("--version")
        self.assertEqual(r.returncode, 0)
        self.assertIn("sprawl", r.stdout)
        r = self.sprawl("scan", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("Examples:", r.stdout)
        self.assertIn("Exit codes", r.stdout)


if __name__ == "__main__":
    unittest.main()
