"""End-to-end tests of git scanning with the built binary: full history of
the demonstration repository, the test_keys benchmark, --staged, the
pre-commit hook (sprawl's own and the pre-commit framework's), --range edge
cases and incremental sweeps with --store."""
import json
import os
import shutil
import subprocess
import unittest

from sprawltest import (BINARY, SHARED_DIR, SOURCE_DIR, SprawlTestCase,
                        github_token)

ENV = dict(os.environ, GIT_AUTHOR_NAME="Dev", GIT_AUTHOR_EMAIL="dev@x.test",
           GIT_COMMITTER_NAME="Dev", GIT_COMMITTER_EMAIL="dev@x.test",
           GIT_CONFIG_NOSYSTEM="1", HOME=os.environ.get("HOME", "/root"))


def git(cwd, *args, check=True):
    return subprocess.run(["git", "-c", "init.defaultBranch=main",
                           "-c", "commit.gpgsign=false", *args], cwd=cwd,
                          env=ENV, capture_output=True, text=True,
                          check=check)


class GitCliTest(SprawlTestCase):
    def make_repo(self, name="repo"):
        path = self.path(name)
        os.makedirs(path)
        git(path, "init", "-q")
        return path

    def commit_file(self, repo, name, content, message):
        p = os.path.join(repo, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(content)
        git(repo, "add", name)
        git(repo, "commit", "-q", "-m", message)
        return git(repo, "rev-parse", "HEAD").stdout.strip()

    def test_utf16_blobs_in_history_are_transcoded(self):
        repo = self.make_repo()
        token = github_token("ghp_")
        with open(os.path.join(repo, "settings.reg"), "wb") as f:
            f.write(b"\xff\xfe" + f"[HKCU]\r\n\"Token\"=\"{token}\"\r\n"
                    .encode("utf-16-le"))
        git(repo, "add", "settings.reg")
        git(repo, "commit", "-q", "-m", "export settings")
        r = self.sprawl("scan", repo, "--format", "json", "-q")
        self.assertEqual(r.returncode, 1, r.stderr)
        hits = [f for f in json.loads(r.stdout)
                if f["location"]["path"] == "settings.reg"]
        self.assertEqual(len(hits), 1)
        self.assertEqual(hits[0]["location"]["line"], 2)

    def test_no_git_reads_git_config_and_says_what_it_skips(self):
        repo = self.make_repo()
        token = github_token("ghs_")
        git(repo, "config", "http.https://github.com/.extraheader",
            f"AUTHORIZATION: bearer {token}")
        self.commit_file(repo, "README.md", "hello\n", "init")
        r = self.sprawl("scan", repo, "--no-git", "--format", "json")
        self.assertEqual(r.returncode, 1, r.stderr)
        paths = [f["location"]["path"] for f in json.loads(r.stdout)]
        self.assertTrue(any(p.endswith(".git/config") for p in paths), paths)
        self.assertIn(".git", r.stderr)
        self.assertIn("without --no-git", r.stderr)

    def test_demo_repository_history(self):
        repo = self.path("demo")
        subprocess.run(["bash", os.path.join(SOURCE_DIR, "corpus",
                                             "make_demo_repo.sh"), repo],
                       check=True, capture_output=True)
        _, data = self.scan_json(repo)
        by_path = {}
        for f in data:
            by_path.setdefault(f["location"]["path"], []).append(f)
        expect = {
            "config/aws.ini": "Add service skeleton and AWS config",
            "notify/slack.py": "Notify the team on Slack",
            "deploy/merge.sh": "Merge branch 'feature/deploy'",
            "billing/stripe.env": "Release candidate billing config",
            "ops/deploy_key.pem": "Add deploy key",
        }
        for path, summary in expect.items():
            self.assertIn(path, by_path, f"{path} not reported")
            commit = by_path[path][0]["location"]["commit"]
            self.assertEqual(commit["summary"], summary, path)
            self.assertEqual(len(commit["id"]), 40)
            self.assertTrue(commit["author_date"].startswith("2024-01-"))
            at_head = by_path[path][0]["location"]["attributes"]["at_head"]
            self.assertEqual(at_head, "true" if path == "deploy/merge.sh"
                             else "false", path)

    def test_test_keys_deleted_aws_key(self):
        repo = self.path("test_keys")
        subprocess.run(["git", "clone", "-q", os.path.join(
            SHARED_DIR, "corpora", "test_keys.bundle"), repo], check=True)
        _, data = self.scan_json(repo)
        aws = [f for f in data if f["rule_id"] == "aws-access-key-id"
               and f["location"]["path"] == "keys"]
        self.assertEqual(len(aws), 1, data)
        loc = aws[0]["location"]
        self.assertEqual(loc["line"], 4)
        added = git(repo, "log", "--format=%H", "--diff-filter=A", "--",
                    "keys").stdout.split()[-1]
        self.assertEqual(loc["commit"]["id"], added)

    def test_staged_reports_only_added_lines(self):
        repo = self.make_repo()
        old = github_token()
        self.commit_file(repo, "app.env", f"A=1\nOLD={old}\n", "first")
        new = github_token()
        with open(os.path.join(repo, "app.env"), "w") as f:
            f.write(f"A=1\nOLD={old}\nNEW={new}\n")
        git(repo, "add", "app.env")
        r = self.sprawl("scan", "--staged", "--format", "json", cwd=repo)
        self.assertEqual(r.returncode, 1, r.stderr)
        data = json.loads(r.stdout)
        self.assertEqual([(f["location"]["path"], f["location"]["line"])
                          for f in data], [("app.env", 3)])
        git(repo, "commit", "-q", "-m", "second")
        r = self.sprawl("scan", "--staged", cwd=repo)
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_hook_install_blocks_a_commit_and_respects_foreign_hooks(self):
        repo = self.make_repo()
        self.commit_file(repo, "README", "hello\n", "init")
        r = self.sprawl("hook", "install", cwd=repo)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(repo, "a.env"), "w") as f:
            f.write(f"TOKEN={github_token()}\n")
        git(repo, "add", "a.env")
        c = git(repo, "commit", "-q", "-m", "leak", check=False)
        self.assertNotEqual(c.returncode, 0, "the hook let a secret through")
        hook = os.path.join(repo, ".git", "hooks", "pre-commit")
        with open(hook, "w") as f:
            f.write("#!/bin/sh\necho mine\n")
        r = self.sprawl("hook", "install", cwd=repo)
        self.assertEqual(r.returncode, 2)
        r = self.sprawl("hook", "install", "--force", cwd=repo)
        self.assertEqual(r.returncode, 0, r.stderr)

    @unittest.skipUnless(shutil.which("pre-commit"), "pre-commit not installed")
    def test_pre_commit_framework_runs_the_manifest(self):
        # try-repo needs the manifest committed: use a throwaway copy of it.
        hooks_repo = self.make_repo("hooks")
        shutil.copy(os.path.join(SOURCE_DIR, ".pre-commit-hooks.yaml"),
                    hooks_repo)
        git(hooks_repo, "add", ".pre-commit-hooks.yaml")
        git(hooks_repo, "commit", "-q", "-m", "hooks")
        repo = self.make_repo()
        self.commit_file(repo, "README", "hello\n", "init")
        with open(os.path.join(repo, "a.env"), "w") as f:
            f.write(f"TOKEN={github_token()}\n")
        git(repo, "add", "a.env")
        env = dict(ENV, PATH=os.path.dirname(os.path.abspath(BINARY)) + ":" +
                   os.environ["PATH"], PRE_COMMIT_HOME=self.path("pc-home"))
        r = subprocess.run(["pre-commit", "try-repo", hooks_repo, "sprawl"],
                           cwd=repo, env=env, capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("github-pat-classic", r.stdout + r.stderr)
        git(repo, "rm", "-q", "--cached", "a.env")
        r = subprocess.run(["pre-commit", "try-repo", hooks_repo, "sprawl"],
                           cwd=repo, env=env, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_range_edge_cases(self):
        repo = self.make_repo()
        root = self.commit_file(repo, "a.txt", f"T={github_token()}\n", "root")
        head = self.commit_file(repo, "b.txt", f"U={github_token()}\n", "two")
        r = self.sprawl("scan", "--range", f"{head}..{head}", cwd=repo)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = self.sprawl("scan", "--range", f"{root}..{head}", "--format",
                        "json", cwd=repo)
        self.assertEqual(r.returncode, 1)
        self.assertEqual([f["location"]["path"] for f in json.loads(r.stdout)],
                         ["b.txt"])
        r = self.sprawl("scan", "--since-commit", root, "--format", "json",
                        cwd=repo)
        self.assertEqual(r.returncode, 1)
        shallow = self.path("shallow")
        git(self.dir, "clone", "-q", "--depth", "1", "file://" + repo, shallow)
        r = self.sprawl("scan", "--range", f"{root}..HEAD", cwd=shallow)
        self.assertEqual(r.returncode, 2)
        self.assertIn(root[:7], r.stderr)

    def test_truncated_loose_objects_are_errors_not_hangs(self):
        repo = self.make_repo()
        self.commit_file(repo, "b.txt", f"k={github_token()}\n", "one")
        self.commit_file(repo, "c.txt", f"k={github_token()}\n", "two")
        blob = git(repo, "rev-parse", "HEAD:b.txt").stdout.strip()
        obj = os.path.join(repo, ".git", "objects", blob[:2], blob[2:])
        os.chmod(obj, 0o644)
        os.truncate(obj, 29)
        r = self.sprawl("scan", repo, "--format", "json")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(blob, r.stderr)
        self.assertEqual([f["location"]["path"] for f in json.loads(r.stdout)],
                         ["c.txt"])

    def test_incremental_sweep_with_store(self):
        repo = self.make_repo()
        self.commit_file(repo, "a.env", f"T={github_token()}\n", "one")
        store = self.path("store.db")
        _, first = self.scan_json(repo, "--store", store)
        self.assertEqual(len(first), 1)
        self.commit_file(repo, "b.env", f"U={github_token('gho_')}\n", "two")
        r, second = self.scan_json(repo, "--store", store, "-v", "-v")
        self.assertEqual(sorted(f["location"]["path"] for f in second),
                         ["a.env", "b.env"])
        self.assertIn("known_blobs=", r.stderr)
        # The finding re-reported from the store keeps its identity: the
        # inventory still has one identity per secret, both still exposed.
        r = self.sprawl("inventory", "--store", store, "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(json.loads(r.stdout)["identities"]), 2)
        r = self.sprawl("inventory", "--store", store, "diff", "previous",
                        "latest")
        self.assertIn("still_exposed (1)", r.stdout)
        self.assertIn("no_longer_seen (0)", r.stdout)


if __name__ == "__main__":
    unittest.main()
