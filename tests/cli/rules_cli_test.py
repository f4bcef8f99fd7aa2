"""End-to-end tests of `sprawl rules list|check` and user rule files,
including gitleaks configurations."""
import json
import unittest

from sprawltest import SprawlTestCase, random_chars


class RulesCliTest(SprawlTestCase):
    def test_list_groups_by_provider(self):
        r = self.sprawl("rules", "list")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("github (", r.stdout)
        self.assertIn("github-pat-classic", r.stdout)
        self.assertIn("by kind:", r.stdout)

    def test_builtin_rules_pass_their_examples(self):
        r = self.sprawl("rules", "check", "--builtin")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(" 0 failed", r.stdout)

    def test_check_reports_a_failing_example(self):
        self.write("mine.toml", """
[[rules]]
id = "acme-key"
name = "ACME key"
provider = "acme"
kind = "api-key"
regex = '''\\b(?P<secret>acme_[a-z0-9]{16})\\b'''
examples = ["key = acme_q8v3kz7wm2xp9lcn", "key = acme_SHOUTING"]
negative_examples = ["acme_short"]
""")
        r = self.sprawl("rules", "check", "mine.toml")
        self.assertEqual(r.returncode, 1)
        self.assertIn("FAIL acme-key", r.stdout)
        self.assertIn("example 2 is not reported", r.stdout)

    def test_user_rules_add_to_builtin(self):
        self.write("mine.toml", """
[[rules]]
id = "acme-key"
name = "ACME key"
provider = "acme"
kind = "api-key"
regex = '''\\b(?P<secret>acme_[a-z0-9]{16})\\b'''
examples = ["acme_q8v3kz7wm2xp9lcn"]
negative_examples = ["acme_short"]
""")
        self.write("src/a.txt", "k = acme_q8v3kz7wm2xp9lcn\n")
        r, data = self.scan_json("src", "--rules", "mine.toml")
        self.assertEqual([f["rule_id"] for f in data], ["acme-key"])

    def test_gitleaks_configuration_loads_and_fires(self):
        value = random_chars(24, "abcdefghijklmnopqrstuvwxyz0123456789")
        self.write("gitleaks.toml", """
title = "team rules"

[allowlist]
paths = ['''fixtures/''']

[[rules]]
id = "internal-service-key"
description = "Internal service key"
regex = '''svc[_-]key\\s*=\\s*"([a-z0-9]{24})"'''
secretGroup = 1
entropy = 3.0
keywords = ["svc"]

[rules.allowlist]
stopwords = ["deadbeef"]
""")
        self.write("src/app.py", f'svc_key = "{value}"\n')
        self.write("fixtures/app.py", f'svc_key = "{value}"\n')
        r, data = self.scan_json(".", "--rules", "gitleaks.toml")
        hits = [f for f in data if f["rule_id"] == "internal-service-key"]
        self.assertEqual(len(hits), 1, r.stderr)
        self.assertEqual(hits[0]["location"]["path"], "./src/app.py")


if __name__ == "__main__":
    unittest.main()
