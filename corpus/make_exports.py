#!/usr/bin/env python3
"""Writes the Slack, Jira and JSONL sample exports under corpus/ (issue 5).

Every credential is FAKE: random characters from a fixed seed, with valid
checksums where the format has one. Run from anywhere; rewrites
corpus/slack/, corpus/jira/, corpus/documents.jsonl and corpus/EXPECTED.md.
"""
import base64
import json
import os
import random
import shutil
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = random.Random(20230908)
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ALNUM = B62
HEX = "0123456789abcdef"
DIGITS = "0123456789"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B64 = B62 + "+/"


def trivial(s):
    """True when s has 3 equal, ascending or descending alnum neighbours."""
    for i in range(2, len(s)):
        a, b, c = s[i - 2], s[i - 1], s[i]
        if not (a.isalnum() and b.isalnum() and c.isalnum()):
            continue
        if a == b == c:
            return True
        if ord(b) - ord(a) == 1 and ord(c) - ord(b) == 1:
            return True
        if ord(a) - ord(b) == 1 and ord(b) - ord(c) == 1:
            return True
    return False


def rand(alphabet, n):
    while True:
        s = "".join(RNG.choice(alphabet) for _ in range(n))
        low = s.lower()
        if trivial(s) or any(w in low for w in (
                "example", "test", "dummy", "placeholder", "fake", "xxx")):
            continue
        return s


def b62(value, width):
    out = ""
    while value:
        value, r = divmod(value, 62)
        out = B62[r] + out
    return out.rjust(width, "0")


def github_token():
    while True:
        body = rand(B62, 30)
        tok = "ghp_" + body + b62(zlib.crc32(body.encode()), 6)
        if not trivial(tok):
            return tok


def xoxb():
    return "xoxb-%s-%s-%s" % (rand(DIGITS, 12), rand(DIGITS, 13),
                              rand(ALNUM, 24))


def xoxp():
    return "xoxp-%s-%s-%s-%s" % (rand(DIGITS, 12), rand(DIGITS, 12),
                                 rand(DIGITS, 13), rand(HEX, 32))


def xoxe_export():
    return "xoxe-%s-%s-%s-%s" % (rand(DIGITS, 11), rand(DIGITS, 13),
                                 rand(DIGITS, 13), rand(HEX, 32))


def aws_pair():
    return "AKIA" + rand(B32, 16), rand(B64, 40)


def stripe():
    return "sk_live_" + rand(ALNUM, 24) + rand(ALNUM, 75)[:75 - 51]


def webhook():
    return "https://hooks.slack.com/services/T%s/B%s/%s" % (
        rand("ABCDEFGHJKLMNPQRSTUVWXYZ" + DIGITS, 8),
        rand("ABCDEFGHJKLMNPQRSTUVWXYZ" + DIGITS, 10), rand(ALNUM, 24))


def google_key():
    return "AIza" + rand(ALNUM + "_-", 35)


def gitlab():
    return "glpat-" + rand(ALNUM + "_-", 20)


def password():
    return rand(ALNUM, 18)


def pem(kind="RSA"):
    body = rand(B64, 64 * 12)
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return ("-----BEGIN %s PRIVATE KEY-----\n" % kind + "\n".join(lines) +
            "\n-----END %s PRIVATE KEY-----" % kind)


EXPECTED = []
CHECKS = []


def plant(secret, where, how, check=None):
    """Records a planted secret; check = where a source must report it."""
    EXPECTED.append((secret, where, how))
    if check:
        CHECKS.append(dict(check, secret=secret))
    return secret


def link(cid, ts="", thread=""):
    url = "https://acme-corp.slack.com/archives/" + cid
    if ts:
        url += "/p" + ts.replace(".", "")
    if thread:
        url += "?thread_ts=%s&cid=%s" % (thread, cid)
    return url


def sc(path, field, url, **attrs):
    """A Slack check: entry path, field, permalink and attributes."""
    return {"source": "slack", "path": path, "url": url,
            "attrs": dict(attrs, field=field)}


def jc(path, field, url, **attrs):
    """A Jira check: path (issue key or entry), field, link, attributes."""
    return {"source": "jira", "path": path, "url": url,
            "attrs": dict(attrs, field=field)}


def write_json(path, value, escape_slashes=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = json.dumps(value, indent=1, ensure_ascii=False)
    if escape_slashes:
        text = text.replace("/", "\\/")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")


# ---------------------------------------------------------------- Slack ----
WORKSPACE = "acme-corp"
SLACK = os.path.join(HERE, "slack")


def rich(*leaves):
    return [{"type": "rich_text", "block_id": rand(ALNUM, 5), "elements": [
        {"type": "rich_text_section", "elements": list(leaves)}]}]


def make_slack():
    shutil.rmtree(SLACK, ignore_errors=True)
    export_token = xoxe_export()
    file_url = ("https://files.slack.com/files-pri/T05ACME01-F05{id}/{name}"
                "?t=" + export_token)
    google = plant(google_key(), "slack channels.json", "channel #deploys "
                   "(C05DEPLOYS) topic; field=topic",
          check=sc("channels.json", "topic", link("C05DEPLOYS"),
                channel="#deploys", channel_id="C05DEPLOYS"))
    gl = plant(gitlab(), "slack channels.json", "channel #deploys purpose; "
               "field=purpose",
          check=sc("channels.json", "purpose", link("C05DEPLOYS"),
                channel="#deploys", channel_id="C05DEPLOYS"))
    write_json(os.path.join(SLACK, "channels.json"), [
        {"id": "C05DEPLOYS", "name": "deploys", "created": 1690000000,
         "creator": "U05ANDREA", "is_archived": False,
         "members": ["U05ANDREA", "U05BORIS"],
         "topic": {"value": "Deploy chatter. Maps key: " + google,
                   "creator": "U05ANDREA", "last_set": 1690000100},
         "purpose": {"value": "Release coordination &amp; hotfixes; mirror "
                     "token " + gl, "creator": "U05ANDREA",
                     "last_set": 1690000100}},
        {"id": "C05GENERAL", "name": "general", "created": 1550000000,
         "creator": "U05ANDREA", "is_archived": False,
         "members": ["U05ANDREA", "U05BORIS"],
         "topic": {"value": "", "creator": "", "last_set": 0},
         "purpose": {"value": "Company-wide announcements", "creator": "",
                     "last_set": 0}}])
    write_json(os.path.join(SLACK, "groups.json"), [
        {"id": "G05SECOPS", "name": "sec-ops", "created": 1690000200,
         "creator": "U05BORIS", "is_archived": False,
         "members": ["U05ANDREA", "U05BORIS"],
         "topic": {"value": "incident response", "creator": "U05BORIS",
                   "last_set": 0},
         "purpose": {"value": "", "creator": "", "last_set": 0}}])
    write_json(os.path.join(SLACK, "dms.json"), [
        {"id": "D05ANDBOR", "created": 1690000300,
         "members": ["U05ANDREA", "U05BORIS"]}])
    write_json(os.path.join(SLACK, "mpims.json"), [])
    status = plant("sk_live_" + rand(ALNUM, 34), "slack users.json",
                   "user U05BORIS profile status_text; field=profile",
          check=sc("users.json", "profile", "", user_id="U05BORIS",
                user_name="boris"))
    write_json(os.path.join(SLACK, "users.json"), [
        {"id": "U05ANDREA", "team_id": "T05ACME01", "name": "andrea",
         "real_name": "Andrea Rossi", "deleted": False, "is_bot": False,
         "profile": {"email": "andrea@acme-corp.io", "title": "SRE",
                     "status_text": "on call", "real_name": "Andrea Rossi"}},
        {"id": "U05BORIS", "team_id": "T05ACME01", "name": "boris",
         "real_name": "Boris Petrov", "deleted": False, "is_bot": False,
         "profile": {"email": "boris@acme-corp.io", "title": "Backend",
                     "status_text": "rotating " + status}},
        {"id": "U05CIBOT", "team_id": "T05ACME01", "name": "ci-bot",
         "real_name": "CI Bot", "deleted": False, "is_bot": True,
         "profile": {"bot_id": "B05CIBOT", "real_name": "CI Bot"}}])
    write_json(os.path.join(SLACK, "integration_logs.json"), {"logs": [
        {"user_id": "U05ANDREA", "user_name": "andrea",
         "date": "1690000400", "change_type": "added",
         "app_type": "app", "app_id": "A05CIAPP", "service_name": "CI",
         "scope": "chat:write,files:write", "reason": ""}]})

    bot = plant(xoxb(), "slack deploys/2023-09-08.json",
                "message ts=1694174625.423609 by U05ANDREA; field=text "
                "(also in blocks: reported once)",
          check=sc("deploys/2023-09-08.json", "text", link("C05DEPLOYS",
                "1694174625.423609"), channel="#deploys",
                channel_id="C05DEPLOYS", ts="1694174625.423609",
                user_id="U05ANDREA", user_name="andrea"))
    gh_split = github_token()
    cut1, cut2 = 4 + 13, 4 + 25
    plant(gh_split, "slack deploys/2023-09-08.json",
          "message ts=1694174701.000200 by U05BORIS; field=blocks (split "
          "by bold and code styling; text has it broken by mrkdwn)",
          check=sc("deploys/2023-09-08.json", "blocks", link("C05DEPLOYS",
                "1694174701.000200"), channel="#deploys",
                channel_id="C05DEPLOYS", ts="1694174701.000200",
                user_id="U05BORIS", user_name="boris"))
    key_id, key_secret = aws_pair()
    plant(key_id, "slack deploys/2023-09-08.json",
          "thread reply ts=1694175060.200300 thread_ts=1694175000.100100 by "
          "U05BORIS; field=text; link has ?thread_ts=&cid=",
          check=sc("deploys/2023-09-08.json", "text", link("C05DEPLOYS",
                "1694175060.200300", "1694175000.100100"),
                channel="#deploys", channel_id="C05DEPLOYS",
                ts="1694175060.200300", thread_ts="1694175000.100100",
                user_id="U05BORIS", user_name="boris"))
    plant(key_secret, "slack deploys/2023-09-08.json",
          "same reply (AWS secret access key)",
          check=sc("deploys/2023-09-08.json", "text", link("C05DEPLOYS",
                "1694175060.200300", "1694175000.100100"),
                channel="#deploys", channel_id="C05DEPLOYS",
                ts="1694175060.200300", thread_ts="1694175000.100100",
                user_id="U05BORIS", user_name="boris"))
    edited = plant("sk_live_" + rand(ALNUM, 34),
                   "slack deploys/2023-09-08.json",
                   "edited message ts=1694175400.300400; field=text; "
                   "edited_ts attribute",
          check=sc("deploys/2023-09-08.json", "text", link("C05DEPLOYS",
                "1694175400.300400"), channel="#deploys",
                channel_id="C05DEPLOYS", ts="1694175400.300400",
                user_id="U05ANDREA", user_name="andrea",
                edited_ts="1694175460.000000"))
    ci_pw = password()
    ci_db = plant("mysql://deploy:%s@db-prod.acme-corp.io:3306/orders" % ci_pw,
                  "slack deploys/2023-09-08.json",
                  "CI bot message ts=1694175900.400500 (bot_id B05CIBOT, "
                  "ci-bot); field=attachments[0].text",
          check=sc("deploys/2023-09-08.json", "attachments[0].text",
                link("C05DEPLOYS", "1694175900.400500"), channel="#deploys",
                channel_id="C05DEPLOYS", ts="1694175900.400500",
                bot_id="B05CIBOT", user_name="ci-bot"))
    hook = plant(webhook(), "slack deploys/2023-09-08.json",
                 "same bot message; field=attachments[0].fields[0].value",
          check=sc("deploys/2023-09-08.json",
                "attachments[0].fields[0].value", link("C05DEPLOYS",
                "1694175900.400500"), channel="#deploys",
                channel_id="C05DEPLOYS", ts="1694175900.400500",
                bot_id="B05CIBOT", user_name="ci-bot"))
    key_pem = pem("RSA")
    plant(key_pem.splitlines()[0], "slack deploys/2023-09-08.json",
          "file share ts=1694176000.500600; field=files[0].preview "
          "(RSA private key)",
          check=sc("deploys/2023-09-08.json", "files[0].preview",
                link("C05DEPLOYS", "1694176000.500600"), channel="#deploys",
                channel_id="C05DEPLOYS", ts="1694176000.500600",
                user_id="U05ANDREA", user_name="andrea"))
    plant(export_token, "slack deploys/2023-09-08.json + "
          "general/2019-03-04.json", "file URL export token ?t=xoxe-: "
          "files[*].url_private(_download), file.url_private; ONE finding "
          "with note=slack export token appended to file URLs, "
          "5 occurrences",
          check=sc("deploys/2023-09-08.json", "files[0].url_private",
                link("C05DEPLOYS", "1694176000.500600"), channel="#deploys",
                channel_id="C05DEPLOYS", ts="1694176000.500600",
                user_id="U05ANDREA", user_name="andrea"))

    day1 = [
        {"type": "message", "user": "U05ANDREA", "ts": "1694174625.423609",
         "text": "bot token for the deploy app is " + bot + " &amp; the job "
                 "is <https://ci.acme-corp.io/job/42?a=1&amp;b=2|job 42>",
         "blocks": rich({"type": "text", "text": "bot token for the deploy "
                         "app is " + bot + " & the job is "},
                        {"type": "link", "url": "https://ci.acme-corp.io/"
                         "job/42?a=1&b=2", "text": "job 42"})},
        {"type": "message", "user": "U05BORIS", "ts": "1694174701.000200",
         "text": "new PAT: *%s*`%s`%s" % (gh_split[:cut1],
                                          gh_split[cut1:cut2],
                                          gh_split[cut2:]),
         "blocks": rich({"type": "text", "text": "new PAT: "},
                        {"type": "text", "text": gh_split[:cut1],
                         "style": {"bold": True}},
                        {"type": "text", "text": gh_split[cut1:cut2],
                         "style": {"code": True}},
                        {"type": "text", "text": gh_split[cut2:]})},
        {"type": "message", "user": "U05ANDREA", "ts": "1694175000.100100",
         "thread_ts": "1694175000.100100", "reply_count": 1,
         "reply_users": ["U05BORIS"],
         "replies": [{"user": "U05BORIS", "ts": "1694175060.200300"}],
         "text": "prod deploy is failing on S3 upload, anyone?"},
        {"type": "message", "user": "U05BORIS", "ts": "1694175060.200300",
         "thread_ts": "1694175000.100100", "parent_user_id": "U05ANDREA",
         "text": "try with these:\n```AWS_ACCESS_KEY_ID=%s\n"
                 "AWS_SECRET_ACCESS_KEY=%s```" % (key_id, key_secret)},
        {"type": "message", "user": "U05ANDREA", "ts": "1694175400.300400",
         "edited": {"user": "U05ANDREA", "ts": "1694175460.000000"},
         "text": "payments retry uses " + edited + " now (fixed typo)"},
        {"type": "message", "subtype": "bot_message", "bot_id": "B05CIBOT",
         "username": "ci-bot", "ts": "1694175900.400500",
         "bot_profile": {"id": "B05CIBOT", "name": "ci-bot",
                         "app_id": "A05CIAPP"},
         "text": "", "attachments": [
             {"fallback": "Build #412 failed", "color": "danger",
              "pretext": "Build #412 of orders-api failed",
              "title": "orders-api #412",
              "title_link": "https://ci.acme-corp.io/job/orders-api/412",
              "text": "migration failed: DATABASE_URL=" + ci_db,
              "fields": [{"title": "Notify", "value": hook,
                          "short": False}]}]},
        {"type": "message", "subtype": "file_share", "user": "U05ANDREA",
         "ts": "1694176000.500600", "text": "env for the new box",
         "files": [
             {"id": "F05PRODENV", "name": "prod.env", "title": "prod.env",
              "mimetype": "text/plain", "filetype": "text",
              "preview": key_pem[:400],
              "url_private": file_url.format(id="PRODENV", name="prod.env"),
              "url_private_download": file_url.format(
                  id="PRODENV", name="download/prod.env"),
              "permalink": "https://%s.slack.com/files/U05ANDREA/F05PRODENV/"
                           "prod.env" % WORKSPACE},
             {"id": "F05SHOT", "name": "screenshot.png",
              "title": "screenshot", "mimetype": "image/png",
              "url_private": file_url.format(id="SHOT", name="shot.png"),
              "url_private_download": file_url.format(
                  id="SHOT", name="download/shot.png"),
              "permalink": "https://%s.slack.com/files/U05ANDREA/F05SHOT/"
                           "shot.png" % WORKSPACE}]},
    ]
    write_json(os.path.join(SLACK, "deploys", "2023-09-08.json"), day1)

    pg_pw = password()
    pg = plant("postgres://app:%s@pg.acme-corp.io:5432/app" % pg_pw,
               "slack deploys/2023-09-09.json",
               "message ts=1694260000.000100; field=text inside "
               "<url|label> link markup",
          check=sc("deploys/2023-09-09.json", "text", link("C05DEPLOYS",
                "1694260000.000100"), channel="#deploys",
                channel_id="C05DEPLOYS", ts="1694260000.000100",
                user_id="U05BORIS", user_name="boris"))
    write_json(os.path.join(SLACK, "deploys", "2023-09-09.json"), [
        {"type": "message", "user": "U05BORIS", "ts": "1694260000.000100",
         "text": "prod db is <%s?sslmode=require&amp;app=api|prod db>" % pg}])

    user_token = plant(xoxp(), "slack sec-ops/2023-09-10.json (private "
                       "channel from groups.json, G05SECOPS)",
                       "message ts=1694350000.000200; field=text",
          check=sc("sec-ops/2023-09-10.json", "text", link("G05SECOPS",
                "1694350000.000200"), channel="#sec-ops",
                channel_id="G05SECOPS", ts="1694350000.000200",
                user_id="U05ANDREA", user_name="andrea"))
    write_json(os.path.join(SLACK, "sec-ops", "2023-09-10.json"), [
        {"type": "message", "user": "U05ANDREA", "ts": "1694350000.000200",
         "text": "revoke my user token " + user_token + " please"}])

    dm_id, dm_secret = aws_pair()
    plant(dm_id, "slack D05ANDBOR/2023-09-11.json (DM)",
          "message ts=1694440000.000300; field=text",
          check=sc("D05ANDBOR/2023-09-11.json", "text", link("D05ANDBOR",
                "1694440000.000300"), channel="D05ANDBOR",
                channel_id="D05ANDBOR", ts="1694440000.000300",
                user_id="U05BORIS", user_name="boris"))
    write_json(os.path.join(SLACK, "D05ANDBOR", "2023-09-11.json"), [
        {"type": "message", "user": "U05BORIS", "ts": "1694440000.000300",
         "text": "staging creds %s / %s" % (dm_id, dm_secret)}])

    old_gh = plant(github_token(), "slack general/2019-03-04.json (old "
                   "export, single file object, \\/-escaped)",
                   "message ts=1551690000.000400; field=file.preview",
          check=sc("general/2019-03-04.json", "file.preview",
                link("C05GENERAL", "1551690000.000400"), channel="#general",
                channel_id="C05GENERAL", ts="1551690000.000400",
                user_id="U05ANDREA", user_name="andrea"))
    jenkins_pw = password()
    jenkins = plant("https://ci:%s@jenkins.acme-corp.io/job/deploy/" %
                    jenkins_pw, "slack general/2019-03-04.json",
                    "same message; field=text; \\/ escapes undone",
          check=sc("general/2019-03-04.json", "text", link("C05GENERAL",
                "1551690000.000400"), channel="#general",
                channel_id="C05GENERAL", ts="1551690000.000400",
                user_id="U05ANDREA", user_name="andrea"))
    write_json(os.path.join(SLACK, "general", "2019-03-04.json"), [
        {"type": "message", "subtype": "file_share", "user": "U05ANDREA",
         "ts": "1551690000.000400",
         "text": "<@U05ANDREA|andrea> uploaded a file: <%s|notes>" % jenkins,
         "upload": True, "file": {
             "id": "F04NOTES", "name": "notes.txt", "title": "notes",
             "preview": "gh token " + old_gh + "\nthat is all",
             "url_private": file_url.format(id="NOTES", name="notes.txt"),
             "permalink": "https://%s.slack.com/files/U05ANDREA/F04NOTES/"
                          "notes.txt" % WORKSPACE}}], escape_slashes=True)


# ----------------------------------------------------------------- Jira ----
JIRA = os.path.join(HERE, "jira")
SITE = "https://acme.atlassian.net"


def adf(*blocks):
    return {"type": "doc", "version": 1, "content": list(blocks)}


def para(*nodes):
    return {"type": "paragraph", "content": list(nodes)}


def txt(value, *marks):
    node = {"type": "text", "text": value}
    if marks:
        node["marks"] = [m if isinstance(m, dict) else {"type": m}
                         for m in marks]
    return node


def person(name, account):
    return {"self": SITE + "/rest/api/3/user?accountId=" + account,
            "accountId": account, "displayName": name, "active": True}


ANDREA = person("Andrea Rossi", "5b10ac8d82e05b22cc7d4ef5")
BORIS = person("Boris Petrov", "5b10a2844c20165700ede21g")


def make_jira():
    shutil.rmtree(JIRA, ignore_errors=True)
    os.makedirs(JIRA)
    key_id, key_secret = aws_pair()
    plant(key_id, "jira search-page.json OPS-101",
          "field=description (ADF, split across strong and code marks)",
          check=jc("OPS-101", "description", SITE + "/browse/OPS-101",
                issue="OPS-101", author="Andrea Rossi",
                created="2023-09-08T10:15:30.000+0000"))
    db_pw = password()
    db = plant("postgresql://svc:%s@pg-prod.acme-corp.io:5432/billing" % db_pw,
               "jira search-page.json OPS-101",
               "field=description (ADF codeBlock)",
          check=jc("OPS-101", "description", SITE + "/browse/OPS-101",
                issue="OPS-101", author="Andrea Rossi",
                created="2023-09-08T10:15:30.000+0000"))
    hook = plant(webhook(), "jira search-page.json OPS-101",
                 "field=description (ADF link mark href)",
          check=jc("OPS-101", "description", SITE + "/browse/OPS-101",
                issue="OPS-101", author="Andrea Rossi",
                created="2023-09-08T10:15:30.000+0000"))
    bot = plant(xoxb(), "jira search-page.json OPS-101",
                "field=comment:10023, author Andrea Rossi, link "
                "?focusedCommentId=10023",
          check=jc("OPS-101", "comment:10023",
                SITE + "/browse/OPS-101?focusedCommentId=10023",
                issue="OPS-101", author="Andrea Rossi",
                created="2023-09-08T11:00:00.000+0000"))
    mongo_pw = password()
    mongo = plant("mongodb+srv://admin:%s@cluster0.acme-corp.io/prod" %
                  mongo_pw, "jira search-page.json OPS-101",
                  "field=worklog:20001",
          check=jc("OPS-101", "worklog:20001",
                SITE + "/browse/OPS-101?focusedWorklogId=20001",
                issue="OPS-101", author="Boris Petrov",
                created="2023-09-08T12:00:00.000+0000"))
    attach_tok = plant(github_token(), "jira search-page.json OPS-101",
                       "field=attachment:10200 (content URL)",
          check=jc("OPS-101", "attachment:10200", SITE + "/browse/OPS-101",
                issue="OPS-101", author="Boris Petrov",
                created="2023-09-08T12:30:00.000+0000"))
    notes = plant("sk_live_" + rand(ALNUM, 34), "jira search-page.json "
                  "OPS-101", "field=customfield_10010 (Deploy notes)",
          check=jc("OPS-101", "customfield_10010 (Deploy notes)",
                SITE + "/browse/OPS-101", issue="OPS-101"))
    removed = plant(github_token(), "jira search-page.json OPS-101",
                    "field=changelog:12345/description.from (removed from "
                    "the description, survives in fromString)",
          check=jc("OPS-101", "changelog:12345/description.from",
                SITE + "/browse/OPS-101", issue="OPS-101",
                author="Boris Petrov",
                created="2023-09-08T13:00:00.000+0000"))
    summary_hook = plant(webhook(), "jira search-page.json OPS-102",
                         "field=summary",
          check=jc("OPS-102", "summary", SITE + "/browse/OPS-102",
                issue="OPS-102", author="Boris Petrov",
                created="2023-09-09T09:00:00.000+0000"))
    adf_custom = plant(google_key(), "jira search-page.json OPS-102",
                       "field=customfield_10011 (Runbook) ADF value",
          check=jc("OPS-102", "customfield_10011 (Runbook)",
                SITE + "/browse/OPS-102", issue="OPS-102"))

    ops101 = {
        "id": "10101", "key": "OPS-101",
        "self": SITE + "/rest/api/3/issue/10101",
        "fields": {
            "summary": "S3 uploads fail after key rotation",
            "created": "2023-09-08T10:15:30.000+0000",
            "reporter": ANDREA, "creator": ANDREA,
            "description": adf(
                para(txt("Rotated key "), txt(key_id[:9], "strong"),
                     txt(key_id[9:], "code"), txt(" with secret "),
                     txt(key_secret, "code")),
                {"type": "codeBlock", "attrs": {"language": "bash"},
                 "content": [txt("export DATABASE_URL=" + db)]},
                para(txt("alerts go to "),
                     txt("the channel hook", {"type": "link",
                                              "attrs": {"href": hook}}),
                     {"type": "hardBreak"},
                     {"type": "inlineCard", "attrs": {
                         "url": SITE + "/browse/OPS-90"}})),
            "comment": {"startAt": 0, "maxResults": 1, "total": 1,
                        "comments": [{
                            "id": "10023",
                            "self": SITE + "/rest/api/3/issue/10101/"
                                           "comment/10023",
                            "author": ANDREA,
                            "created": "2023-09-08T11:00:00.000+0000",
                            "body": adf(para(txt("slack bot token: "),
                                             txt(bot, "code")))}]},
            "worklog": {"startAt": 0, "maxResults": 1, "total": 1,
                        "worklogs": [{
                            "id": "20001", "author": BORIS,
                            "started": "2023-09-08T12:00:00.000+0000",
                            "timeSpent": "1h",
                            "comment": adf(para(txt("restored from "),
                                                txt(mongo)))}]},
            "attachment": [{
                "id": "10200", "filename": "deploy-notes.txt",
                "author": BORIS, "created": "2023-09-08T12:30:00.000+0000",
                "size": 812, "mimeType": "text/plain",
                "content": SITE + "/rest/api/3/attachment/content/10200"
                                  "?token=" + attach_tok}],
            "customfield_10010": "stripe " + notes,
            "customfield_10011": None,
            "labels": ["incident"],
        },
        "changelog": {"startAt": 0, "maxResults": 1, "total": 1,
                      "histories": [{
                          "id": "12345", "author": BORIS,
                          "created": "2023-09-08T13:00:00.000+0000",
                          "items": [{
                              "field": "description", "fieldtype": "jira",
                              "fromString": "use token " + removed,
                              "toString": "use the token in the vault"}]}]},
    }
    ops102 = {
        "id": "10102", "key": "OPS-102",
        "self": SITE + "/rest/api/3/issue/10102",
        "fields": {
            "summary": "Alert hook leaked: " + summary_hook,
            "created": "2023-09-09T09:00:00.000+0000",
            "reporter": BORIS,
            "description": None,
            "customfield_10010": None,
            "customfield_10011": adf(para(txt("maps key "),
                                          txt(adf_custom, "em")))}}
    write_json(os.path.join(JIRA, "search-page.json"), {
        "expand": "names,schema", "startAt": 0, "maxResults": 50, "total": 2,
        "names": {"customfield_10010": "Deploy notes",
                  "customfield_10011": "Runbook"},
        "issues": [ops101, ops102]})

    v2_id, v2_secret = aws_pair()
    plant(v2_id, "jira OPS-7.json (API v2, wiki)",
          "field=description inside {code}",
          check=jc("OPS-7", "description", SITE + "/browse/OPS-7",
                issue="OPS-7", author="Andrea Rossi",
                created="2023-08-01T08:00:00.000+0000"))
    v2_pem = pem("OPENSSH")
    plant(v2_pem.splitlines()[1], "jira OPS-7.json",
          "field=description inside {noformat} (OpenSSH private key body)",
          check=jc("OPS-7", "description", SITE + "/browse/OPS-7",
                issue="OPS-7", author="Andrea Rossi",
                created="2023-08-01T08:00:00.000+0000"))
    env_pw = password()
    env = plant("postgres://jira:%s@db.acme-corp.io:5432/jira" % env_pw,
                "jira OPS-7.json", "field=environment",
          check=jc("OPS-7", "environment", SITE + "/browse/OPS-7",
                issue="OPS-7", author="Andrea Rossi",
                created="2023-08-01T08:00:00.000+0000"))
    v2_user = plant(xoxp(), "jira OPS-7.json",
                    "field=comment:10050, author boris, link "
                    "?focusedCommentId=10050",
          check=jc("OPS-7", "comment:10050",
                SITE + "/browse/OPS-7?focusedCommentId=10050", issue="OPS-7",
                author="boris", created="2023-08-01T09:00:00.000+0000"))
    write_json(os.path.join(JIRA, "OPS-7.json"), {
        "expand": "renderedFields,names,changelog", "id": "10007",
        "key": "OPS-7", "self": SITE + "/rest/api/2/issue/10007",
        "names": {"customfield_10010": "Deploy notes"},
        "fields": {
            "summary": "Deploy script cannot reach S3",
            "created": "2023-08-01T08:00:00.000+0000",
            "reporter": {"name": "andrea", "displayName": "Andrea Rossi"},
            "description": "h2. Repro\n{code:bash}\nexport AWS_ACCESS_KEY_ID="
                           "%s\nexport AWS_SECRET_ACCESS_KEY=%s\n{code}\n"
                           "and the deploy key:\n{noformat}\n%s\n{noformat}"
                           % (v2_id, v2_secret, v2_pem),
            "environment": "DB: " + env,
            "comment": {"comments": [{
                "id": "10050", "author": {"name": "boris",
                                          "displayName": "boris"},
                "created": "2023-08-01T09:00:00.000+0000",
                "body": "*token:* {{%s}}" % v2_user}]},
            "customfield_10010": None}})

    lines = []
    for n, tok in ((201, github_token()), (202, "sk_live_" + rand(ALNUM, 34))):
        key = "OPS-%d" % n
        plant(tok, "jira issues.jsonl " + key, "field=description",
              check=jc(key, "description", SITE + "/browse/" + key,
                       issue=key, author="Andrea Rossi",
                       created="2023-09-12T08:00:00.000+0000"))
        lines.append(json.dumps({
            "id": str(10000 + n), "key": "OPS-%d" % n,
            "self": SITE + "/rest/api/2/issue/%d" % (10000 + n),
            "fields": {"summary": "jsonl issue %d" % n,
                       "created": "2023-09-12T08:00:00.000+0000",
                       "reporter": {"displayName": "Andrea Rossi"},
                       "description": "value: " + tok}}))
    with open(os.path.join(JIRA, "issues.jsonl"), "w") as f:
        f.write("\n".join(lines) + "\n")

    make_entities()
    make_csv()


def make_entities():
    jdbc_pw = password()
    jdbc = plant("jdbc:postgresql://jiradb.acme-corp.io:5432/jira?user=jira"
                 "&password=" + jdbc_pw, "jira entities.xml",
                 "XML comment header (application properties); "
                 "field=xml-comment",
          check=jc("entities.xml", "xml-comment", "", issue=""))
    desc = plant("sk_live_" + rand(ALNUM, 34), "jira entities.xml",
                 "Issue id 10300 = OPS-301 (key from Project + number); "
                 "field=description (CDATA)",
          check=jc("OPS-301", "description", SITE + "/browse/OPS-301",
                issue="OPS-301", author="andrea",
                created="2023-09-10 10:00:00.0"))
    comment = plant(github_token(), "jira entities.xml",
                    "Action id 10400 type=comment on OPS-301; "
                    "field=comment:10400, author boris",
          check=jc("OPS-301", "comment:10400",
                SITE + "/browse/OPS-301?focusedCommentId=10400",
                issue="OPS-301", author="boris",
                created="2023-09-10 11:00:00.0"))
    old_id, old_secret = aws_pair()
    plant(old_id, "jira entities.xml", "ChangeItem 10600 of ChangeGroup "
          "10500 (OPS-301); field=changelog:10500/description.from",
          check=jc("OPS-301", "changelog:10500/description.from",
                SITE + "/browse/OPS-301", issue="OPS-301", author="andrea",
                created="2023-09-10 12:00:00.0"))
    hook = plant(webhook(), "jira entities.xml", "CustomFieldValue 10700 "
                 "(OPS-301); field=customfield_10010 (Deploy notes)",
          check=jc("OPS-301", "customfield_10010 (Deploy notes)",
                SITE + "/browse/OPS-301", issue="OPS-301"))
    prop = plant(xoxb(), "jira entities.xml", "OSPropertyString 10800 "
                 "(com.acme.slack.bot.token); field=property:"
                 "com.acme.slack.bot.token",
          check=jc("entities.xml", "property:com.acme.slack.bot.token", "",
                issue=""))
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<!--
    Exported by Jira 9.4.8 on 2023-09-12
    jira.home=/var/atlassian/application-data/jira
    database.url=%s
    java.version=11.0.20
-->
<entity-engine-xml date="1694500000000">
    <Project id="10000" name="Operations" lead="andrea" key="OPS" pcounter="400"/>
    <Issue id="10300" project="10000" number="301" reporter="andrea" creator="andrea" created="2023-09-10 10:00:00.0" summary="Payments key in plain text">
        <description><![CDATA[The payments job reads
STRIPE_KEY=%s
from the wiki page.]]></description>
    </Issue>
    <Action id="10400" issue="10300" author="boris" type="comment" created="2023-09-10 11:00:00.0">
        <body><![CDATA[my PAT %s works for the mirror]]></body>
    </Action>
    <ChangeGroup id="10500" issue="10300" author="andrea" created="2023-09-10 12:00:00.0"/>
    <ChangeItem id="10600" group="10500" fieldtype="jira" field="description" oldstring="key %s secret %s" newstring="see vault"/>
    <CustomField id="10010" customfieldtypekey="com.atlassian.jira.plugin.system.customfieldtypes:textarea" name="Deploy notes"/>
    <CustomFieldValue id="10700" issue="10300" customfield="10010" textvalue="%s"/>
    <OSPropertyEntry id="10800" entityName="jira.properties" entityId="1" propertyKey="com.acme.slack.bot.token" type="5"/>
    <OSPropertyString id="10800" value="%s"/>
    <OSPropertyEntry id="10801" entityName="jira.properties" entityId="1" propertyKey="jira.baseurl" type="5"/>
    <OSPropertyString id="10801" value="https://jira.acme-corp.io"/>
</entity-engine-xml>
""" % (jdbc, desc, comment, old_id, old_secret, hook,
       prop)
    with open(os.path.join(JIRA, "entities.xml"), "w") as f:
        f.write(xml)


def csv_cell(value):
    return '"' + value.replace('"', '""') + '"'


def make_csv():
    ec = pem("EC")
    plant(ec.splitlines()[1], "jira all-fields.csv OPS-401",
          "field=Description (multi-line quoted cell, EC private key)",
          check=jc("OPS-401", "Description", SITE + "/browse/OPS-401",
                issue="OPS-401", author="andrea",
                created="04/Sep/23 9:00 AM"))
    token = plant(gitlab(), "jira all-fields.csv OPS-401",
                  "field=Custom field (Deploy token)",
          check=jc("OPS-401", "Custom field (Deploy token)",
                SITE + "/browse/OPS-401", issue="OPS-401", author="andrea",
                created="04/Sep/23 9:00 AM"))
    bot = plant(xoxb(), "jira all-fields.csv OPS-401",
                "field=Comment[2] (second Comment column), author boris, "
                "created 05/Sep/23 10:02 AM",
          check=jc("OPS-401", "Comment[2]", SITE + "/browse/OPS-401",
                issue="OPS-401", author="boris",
                created="05/Sep/23 10:02 AM"))
    header = ["Summary", "Issue key", "Issue id", "Issue Type", "Status",
              "Reporter", "Created", "Description",
              "Custom field (Deploy token)", "Comment", "Comment",
              "Attachment", "Labels", "Labels"]
    row = ["Cert rotation for api gateway", "OPS-401", "10401", "Task",
           "Done", "andrea", "04/Sep/23 9:00 AM",
           'New key below, "do not share":\n' + ec + "\n",
           token, "05/Sep/23 9:30 AM;andrea;rotated, see vault",
           "05/Sep/23 10:02 AM;boris;bot still uses " + bot,
           "05/Sep/23 10:05 AM;andrea;gateway.pem;" + SITE +
           "/secure/attachment/10900/gateway.pem", "security", "tls"]
    with open(os.path.join(JIRA, "all-fields.csv"), "w", newline="") as f:
        f.write(",".join(header) + "\r\n")
        f.write(",".join(csv_cell(c) for c in row) + "\r\n")


# ---------------------------------------------------------------- JSONL ----
def make_jsonl():
    gh = plant(github_token(), "documents.jsonl line 1",
               "data; metadata source=confluence, page_id, url",
          check={"source": "jsonl", "path": "documents.jsonl",
                "url": SITE + "/wiki/spaces/OPS/pages/98765",
                "attrs": {"jsonl_line": "1", "source": "confluence",
                "page_id": "98765", "title": "Runbook"}})
    key_id, key_secret = aws_pair()
    plant(key_id, "documents.jsonl line 2", "data_b64 (base64-decoded); "
          "metadata source=zendesk, ticket (number), tags (array)",
          check={"source": "jsonl", "path": "documents.jsonl",
                "url": "https://acme.zendesk.com/agent/tickets/4411",
                "attrs": {"jsonl_line": "2", "source": "zendesk",
                "ticket": "4411", "tags": '["billing","urgent"]'}})
    pw = password()
    db = plant("postgres://report:%s@warehouse.acme-corp.io/dw" % pw,
               "documents.jsonl line 4", "data; line 3 is blank",
          check={"source": "jsonl", "path": "documents.jsonl", "url": "",
                "attrs": {"jsonl_line": "4", "source": "airflow",
                "dag": "export_dw"}})
    docs = [
        {"data": "Runbook\n\nMirror with token " + gh + "\n",
         "metadata": {"source": "confluence", "page_id": "98765",
                      "title": "Runbook",
                      "url": SITE + "/wiki/spaces/OPS/pages/98765"}},
        {"data_b64": base64.b64encode((
            "customer pasted AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s" %
            (key_id, key_secret)).encode()).decode(),
         "metadata": {"source": "zendesk", "ticket": 4411,
                      "tags": ["billing", "urgent"],
                      "url": "https://acme.zendesk.com/agent/tickets/4411"}},
        None,
        {"data": "nightly export uses " + db,
         "metadata": {"source": "airflow", "dag": "export_dw"}},
    ]
    with open(os.path.join(HERE, "documents.jsonl"), "w") as f:
        for d in docs:
            f.write((json.dumps(d) if d else "") + "\n")


def write_expected():
    with open(os.path.join(HERE, "EXPECTED.md"), "w") as f:
        f.write("# Planted fake credentials in the export corpus\n\n"
                "Generated by `corpus/make_exports.py` (fixed seed); every "
                "value is fake. Slack workspace `%s` (inferred from file "
                "permalinks); Jira site `%s` (from `self` URLs; "
                "`https://jira.acme-corp.io` for entities.xml, from "
                "jira.baseurl).\n\n| secret (start) | file | where |\n"
                "|---|---|---|\n" % (WORKSPACE, SITE))
        for secret, where, how in EXPECTED:
            shown = secret[:24].replace("|", "\\|")
            f.write("| `%s…` | %s | %s |\n" % (shown, where, how))


if __name__ == "__main__":
    make_slack()
    make_jira()
    make_jsonl()
    write_expected()
    with open(os.path.join(HERE, "expected_exports.json"), "w") as f:
        json.dump(CHECKS, f, indent=1)
        f.write("\n")
