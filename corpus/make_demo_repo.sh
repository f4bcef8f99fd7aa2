#!/usr/bin/env bash
# Builds a demonstration git repository with planted FAKE credentials in the
# places history scanners miss: added then deleted, only in a merge conflict
# resolution, only on an unmerged branch, only reachable from a tag.
# Usage: corpus/make_demo_repo.sh DIR   (DIR must not exist or be empty)
set -euo pipefail

dir=${1:?usage: make_demo_repo.sh DIR}
if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
  echo "make_demo_repo.sh: $dir exists and is not empty" >&2
  exit 2
fi

# Reproducible: no user or system config, fixed identities and dates. Every
# commit before the private key (whose bytes come from openssl) has the same
# id on every run.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="Ada Demo" GIT_AUTHOR_EMAIL="ada@demo.invalid"
export GIT_COMMITTER_NAME="Ada Demo" GIT_COMMITTER_EMAIL="ada@demo.invalid"

at() {
  export GIT_AUTHOR_DATE="$1 +0000" GIT_COMMITTER_DATE="$1 +0000"
}

commit() {
  git add -A
  git commit -q -m "$1"
}

# A GitHub token: ghp_ + 30 base62 characters + the CRC32 of those 30 in 6
# base62 digits, as GitHub's own tokens carry it.
github_token() {
  python3 -c '
import sys, zlib
body = sys.argv[1]
digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
n, out = zlib.crc32(body.encode()), ""
while n:
    n, r = divmod(n, 62)
    out = digits[r] + out
print("ghp_" + body + out.rjust(6, "0"))' "$1"
}

# Hand-written random-looking values; none is a real credential.
aws_key_id="AKIAZ4QH7XVN3KD2PLWT"
aws_secret="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"
gh_token=$(github_token "R4nd0mLook1ngB0dyQw3rTy9ZpXc2V")
slack_token="xoxb-2745190384-5519028374615-Kq7TzW3nR8vLp2XyB6mJd4Hs"
stripe_key="sk_live_51Hq8ZkLmN3pR7tVwX2yB4cD6fG8hJ0kLmN9pQr"

mkdir -p "$dir"
cd "$dir"
git init -q -b main .

at "2024-01-02T09:00:00"
mkdir -p app config
printf '# demo service\n\nA service with a leaky past.\n' > README.md
printf 'print("hello")\n' > app/main.py
cat > config/aws.ini <<EOF
[default]
region = eu-west-1
output = json
aws_access_key_id = $aws_key_id
aws_secret_access_key = $aws_secret
EOF
commit "Add service skeleton and AWS config"

at "2024-01-03T09:00:00"
git rm -q config/aws.ini
commit "Remove AWS config (rotated)"

# An unmerged branch: the Slack bot token is on it and nowhere else.
at "2024-01-04T09:00:00"
git checkout -q -b feature/slack-notify
mkdir -p notify
cat > notify/slack.py <<EOF
import requests

SLACK_BOT_TOKEN = "$slack_token"
EOF
commit "Notify the team on Slack"
git checkout -q main

# Both sides change deploy/merge.sh; the conflict resolution adds the token.
at "2024-01-05T09:00:00"
git checkout -q -b feature/deploy
mkdir -p deploy
printf '#!/bin/sh\necho "deploy from the feature branch"\n' > deploy/merge.sh
commit "Deploy script (feature)"
git checkout -q main
at "2024-01-06T09:00:00"
mkdir -p deploy
printf '#!/bin/sh\necho "deploy from main"\n' > deploy/merge.sh
commit "Deploy script (main)"
at "2024-01-07T09:00:00"
git merge -q --no-edit feature/deploy >/dev/null 2>&1 || true
cat > deploy/merge.sh <<EOF
#!/bin/sh
export GITHUB_TOKEN=$gh_token
echo "deploy from main and the feature branch"
EOF
git add deploy/merge.sh
git commit -q --no-edit -m "Merge branch 'feature/deploy'"

# A commit reachable only from an annotated tag.
at "2024-01-08T09:00:00"
git checkout -q --detach
mkdir -p billing
printf 'STRIPE_SECRET_KEY=%s\n' "$stripe_key" > billing/stripe.env
commit "Release candidate billing config"
git tag -a v0.9-rc -m "release candidate"
git checkout -q main

# Last: a private key added then deleted (random bytes, so last).
at "2024-01-09T09:00:00"
mkdir -p ops
openssl genpkey -algorithm ed25519 -out ops/deploy_key.pem 2>/dev/null
commit "Add deploy key"
at "2024-01-10T09:00:00"
git rm -q ops/deploy_key.pem
commit "Remove deploy key"

git gc -q --prune=now
echo "$dir"
