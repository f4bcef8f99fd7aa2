#!/usr/bin/env python3
"""Generates a large synthetic Slack export for throughput runs (issue 5).

Usage: make_large_slack.py OUT_DIR [TOTAL_MB]   (default 1100 MB of day files)
Messages mix plain text with mrkdwn links, rich-text blocks, CI bot
attachments and file shares whose URLs carry an export token; one fake
GitHub token is planted every 20,000 messages so the run has findings.
"""
import json
import os
import random
import sys
import zlib

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
RNG = random.Random(4242)
WORDS = ("deploy rollback canary latency shard replica cache warm cold "
         "incident pager alert queue worker retry backoff timeout budget "
         "migration schema index vacuum lock tenant region zone node pod "
         "helm chart image tag build pipeline runner artifact release").split()


def b62(value, width):
    out = ""
    while value:
        value, r = divmod(value, 62)
        out = B62[r] + out
    return out.rjust(width, "0")


def github_token():
    body = "".join(RNG.choice(B62) for _ in range(30))
    return "ghp_" + body + b62(zlib.crc32(body.encode()), 6)


def sentence(n):
    return " ".join(RNG.choice(WORDS) for _ in range(n))


SENTENCES = [sentence(RNG.randint(6, 40)) for _ in range(5000)]
EXPORT_TOKEN = "xoxe-40297318564-5928316047251-7305918264753-" + "".join(
    RNG.choice("0123456789abcdef") for _ in range(32))


def message(i, ts, planted):
    kind = i % 10
    text = RNG.choice(SENTENCES)
    if planted:
        text += " token " + github_token()
    msg = {"type": "message", "user": "U0%07d" % (i % 500), "ts": ts,
           "client_msg_id": "%08x-%04x" % (i, i % 65536)}
    if kind < 6:
        msg["text"] = text + " see <https://wiki.acme-corp.io/p/%d|page>" % i
        msg["blocks"] = [{"type": "rich_text", "block_id": "b%d" % i,
                          "elements": [{"type": "rich_text_section",
                                        "elements": [{"type": "text",
                                                      "text": text}]}]}]
    elif kind < 8:
        msg.update({"subtype": "bot_message", "bot_id": "B0CIBOT",
                    "username": "ci-bot", "text": "",
                    "attachments": [{"fallback": "build %d" % i,
                                     "text": text, "color": "good",
                                     "fields": [{"title": "stage",
                                                 "value": RNG.choice(WORDS)}]
                                     }]})
    else:
        msg.update({"subtype": "file_share", "text": text, "files": [{
            "id": "F%08d" % i, "name": "log-%d.txt" % i,
            "title": "log %d" % i, "preview": RNG.choice(SENTENCES),
            "url_private": "https://files.slack.com/files-pri/T0-F%08d/"
                           "log.txt?t=%s" % (i, EXPORT_TOKEN),
            "permalink": "https://acme-corp.slack.com/files/U0/F%08d/"
                         "log.txt" % i}]})
    return msg


def main():
    out = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 1100
    os.makedirs(out, exist_ok=True)
    channels = [{"id": "C%07d" % c, "name": "chan-%d" % c,
                 "topic": {"value": ""}, "purpose": {"value": ""}}
                for c in range(40)]
    with open(os.path.join(out, "channels.json"), "w") as f:
        json.dump(channels, f)
    with open(os.path.join(out, "users.json"), "w") as f:
        json.dump([{"id": "U0%07d" % u, "name": "user%d" % u}
                   for u in range(500)], f)
    written, i, day = 0, 0, 0
    while written < total << 20:
        for c in channels:
            msgs = []
            for _ in range(600):
                ts = "%d.%06d" % (1600000000 + i * 7, i % 1000000)
                msgs.append(message(i, ts, i % 20000 == 0))
                i += 1
            data = json.dumps(msgs, indent=1)
            folder = os.path.join(out, c["name"])
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "2020-%03d.json" % day), "w") as f:
                f.write(data)
            written += len(data)
        day += 1
    print("messages=%d bytes=%d files=%d" % (i, written, day * len(channels)))


if __name__ == "__main__":
    main()
