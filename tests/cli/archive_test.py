"""End-to-end tests of archives in scanned trees: zip, tar.gz and lone .gz
streams are read entry by entry; nested archives, binary entries and damaged
archives are listed, never silently dropped."""
import gzip
import io
import json
import os
import tarfile
import unittest
import zipfile

from sprawltest import SprawlTestCase, github_token


class ArchiveTest(SprawlTestCase):
    def scan(self, *args):
        r = self.sprawl("scan", "tree", "--format", "json", *args)
        data = json.loads(r.stdout) if r.stdout.strip() else []
        return r, data

    def test_entries_of_zip_tar_and_gz_are_scanned(self):
        tokens = [github_token() for _ in range(3)]
        os.makedirs(self.path("tree"))
        with zipfile.ZipFile(self.path("tree", "backup.zip"), "w",
                             zipfile.ZIP_DEFLATED) as z:
            z.writestr("app/.env", f"X=1\nGITHUB_TOKEN={tokens[0]}\n")
            z.writestr("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00" * 64)
            z.writestr("inner.zip", b"PK\x05\x06" + b"\x00" * 18)
        with tarfile.open(self.path("tree", "site.tar.gz"), "w:gz") as t:
            body = f"deploy:\n  token: {tokens[1]}\n".encode()
            info = tarfile.TarInfo("site/config.yml")
            info.size = len(body)
            t.addfile(info, io.BytesIO(body))
        with gzip.open(self.path("tree", "app.log.gz"), "wb") as g:
            g.write(f"ts=1 auth ok token={tokens[2]}\n".encode())
        r, data = self.scan()
        self.assertEqual(r.returncode, 1, r.stderr)
        places = {(f["location"]["path"], f["location"]["line"]): f["secret"]
                  for f in data}
        self.assertIn(("tree/backup.zip!/app/.env", 2), places)
        self.assertIn(("tree/site.tar.gz!/site/config.yml", 2), places)
        self.assertIn(("tree/app.log.gz!/app.log", 1), places)
        self.assertIn("backup.zip!/logo.png", r.stderr)
        self.assertIn("backup.zip!/inner.zip", r.stderr)
        self.assertIn("archive inside an archive", r.stderr)

    def test_links_and_empty_entries_are_listed(self):
        os.makedirs(self.path("tree"))
        with tarfile.open(self.path("tree", "s.tar"), "w") as t:
            link = tarfile.TarInfo("link")
            link.type = tarfile.SYMTYPE
            link.linkname = "/etc/passwd"
            t.addfile(link)
            empty = tarfile.TarInfo("empty.txt")
            t.addfile(empty, io.BytesIO(b""))
        open(self.path("tree", "none.zip"), "wb").close()
        r, _ = self.scan()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("s.tar!/link", r.stderr)
        self.assertIn("s.tar!/empty.txt", r.stderr)
        self.assertIn("none.zip", r.stderr)

    def test_archives_in_git_history_are_read(self):
        import subprocess
        repo = self.path("repo")
        os.makedirs(repo)
        env = dict(os.environ, GIT_AUTHOR_NAME="Dev",
                   GIT_AUTHOR_EMAIL="dev@x.test", GIT_COMMITTER_NAME="Dev",
                   GIT_COMMITTER_EMAIL="dev@x.test", GIT_CONFIG_NOSYSTEM="1")

        def git(*args):
            subprocess.run(["git", "-c", "init.defaultBranch=main", *args],
                           cwd=repo, env=env, check=True, capture_output=True)
        git("init", "-q")
        token = github_token()
        with zipfile.ZipFile(os.path.join(repo, "backup.zip"), "w") as z:
            z.writestr("cfg/.env", f"TOKEN={token}\n")
        git("add", "backup.zip")
        git("commit", "-q", "-m", "backup")
        git("rm", "-q", "backup.zip")
        git("commit", "-q", "-m", "oops, remove backup")
        r = self.sprawl("scan", repo, "--format", "json")
        self.assertEqual(r.returncode, 1, r.stderr)
        found = json.loads(r.stdout)
        self.assertEqual(found[0]["location"]["path"], "backup.zip!/cfg/.env")
        self.assertEqual(found[0]["location"]["commit"]["summary"], "backup")

    def test_exclude_applies_to_entries(self):
        os.makedirs(self.path("tree"))
        token = github_token()
        with zipfile.ZipFile(self.path("tree", "logs.zip"), "w") as z:
            z.writestr("run/app.log", f"token={token}\n")
            z.writestr("run/keep.env", f"T={token}\n")
        r, data = self.scan("--exclude", "*.log")
        paths = [f["location"]["path"] for f in data]
        self.assertEqual(paths, ["tree/logs.zip!/run/keep.env"])
        self.assertIn("logs.zip!/run/app.log", r.stderr)

    def test_a_damaged_archive_is_an_error_and_the_rest_goes_on(self):
        os.makedirs(self.path("tree"))
        token = github_token()
        self.write("tree/good.env", f"T={token}\n")
        with open(self.path("tree", "broken.tar.gz"), "wb") as f:
            f.write(b"\x1f\x8b\x08\x00" + os.urandom(200))
        r, data = self.scan()
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("broken.tar.gz", r.stderr)
        self.assertTrue(any(f["location"]["path"] == "tree/good.env"
                            for f in data))

    def test_an_archive_named_on_the_command_line(self):
        os.makedirs(self.path("tree"))
        token = github_token()
        with zipfile.ZipFile(self.path("tree", "one.zip"), "w") as z:
            z.writestr("k.txt", f"{token}\n")
        r = self.sprawl("scan", "tree/one.zip", "--format", "json")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(json.loads(r.stdout)[0]["location"]["path"],
                         "tree/one.zip!/k.txt")


if __name__ == "__main__":
    unittest.main()
