#!/usr/bin/env python3
"""Deterministic corpus for benchmarking secret scanners (`sealbox scan`, gitleaks, ...).

    python3 benches/scan_corpus.py OUT_DIR [--size-mb 100] [--seed 1] [--manifest PATH]

Writes about SIZE MB of source and config files (Python, JS/TS, Go, Java, Rust, Ruby,
shell, YAML, JSON, .env, .properties, INI, Terraform, Dockerfile, Markdown) under OUT_DIR,
mostly ordinary code, and plants in it:

* secrets in the providers' documented shapes (AWS, GitHub with its CRC32 checksum,
  GitLab, Slack, Stripe, SendGrid, Twilio, npm, PyPI, OpenAI, Anthropic, Google, GCP
  service accounts, PEM private keys with real DER/openssh structure, JWTs, database
  URLs, Shopify, Discord, Telegram, Mailgun, Docker Hub, generic high-entropy
  passwords / API keys / tokens) in the assignments, calls, config entries and docs
  where they leak in practice;
* traps that look like secrets and are not (documented example keys, placeholders,
  `${VAR}` / `process.env.X` references, digests and UUIDs under key-ish names, sops
  `ENC[...]` values, low-entropy words, redactions, public keys and certificates,
  publishable keys, base64 of plain text, fixtures in comments).

Manifest (default OUT_DIR/manifest.jsonl, which every scanner would then see: a
benchmark passes --manifest outside the scanned tree): one JSON object per line,
`{"file", "line", "end_line", "kind", "secret"}` for secrets and the same with
`"trap": true` for traps; `line`..`end_line` (1-based) is the block a multi-line secret
(PEM key, service-account JSON) spans. Only `random.Random(seed)` is used: the same
arguments give byte-identical output.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import random
import re
import string
import struct
import sys
import zlib

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DIG = string.digits
ALNUM = UP + LO + DIG
B62 = DIG + UP + LO  # GitHub's base62 order for the checksum
B64 = UP + LO + DIG + "+/"
B64URL = UP + LO + DIG + "-_"
HEX = "0123456789abcdef"
B32 = UP + "234567"

# --------------------------------------------------------------------------- vocabulary

NOUNS = (
    "user account order invoice payment customer session cart product item report "
    "event message queue job task worker schedule record entry profile address shipment "
    "warehouse inventory price discount coupon subscription plan tenant org team project "
    "repo branch build artifact release deployment cluster node region zone bucket object "
    "file upload download image thumbnail video stream channel topic partition offset "
    "metric alert incident notification email template page widget layout theme locale "
    "translation currency ledger transaction refund charge dispute payout balance "
    "webhook callback request response header body cookie cache index search query "
    "filter cursor batch chunk segment snapshot backup policy role permission group "
    "member invite comment review rating tag label category vendor supplier contract"
).split()
VERBS = (
    "get fetch load create update delete list find sync apply build render parse "
    "validate normalize compute resolve dispatch enqueue process handle publish "
    "subscribe refresh archive restore export import merge split transform encode "
    "decode schedule cancel retry notify register lookup collect prune reconcile"
).split()
ADJS = (
    "active pending failed archived draft primary secondary internal external default "
    "legacy stale fresh partial complete remote local cached expired valid invalid "
    "public private shared global regional hourly daily weekly"
).split()
LOREM = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
    "incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud "
    "exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis aute irure "
    "in reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint "
    "occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim id est"
).split()
ENGLISH = (
    "the service retries failed requests with exponential backoff and records each "
    "attempt in the audit log so operators can see why a job was delayed when the "
    "queue is full new work is rejected instead of buffered this keeps memory bounded "
    "under load see the runbook for the steps to drain a node before an upgrade "
    "results are cached for five minutes and invalidated whenever the source changes "
    "the migration is idempotent and can be run again after a partial failure"
).split()
HOSTS = (
    "api.acme-corp.com internal.acme.io db-primary.prod.internal cache.staging.local "
    "payments.example.org auth.acme-corp.com cdn.acmestatic.net metrics.ops.acme.io "
    "search.svc.cluster.local queue.prod.internal files.acme-corp.com grafana.ops.acme.io"
).split()
SERVICES = (
    "billing-api auth-service order-service inventory notification-worker search-indexer "
    "payments-gateway user-profile report-builder media-pipeline ledger analytics-etl "
    "checkout shipping catalog pricing-engine fraud-scorer email-sender webhooks-relay "
    "scheduler admin-portal tenant-manager audit-log feature-flags rate-limiter "
    "session-store export-service import-service recommendations"
).split()
CLASSES = ["Client", "Service", "Manager", "Handler", "Repository", "Controller", "Worker",
           "Builder", "Factory", "Store", "Gateway", "Adapter", "Resolver", "Provider"]
TLDS = ["com", "io", "net", "org", "dev"]
ENVS = ["dev", "staging", "prod", "test", "qa", "local", "production", "sandbox"]


def cap(w: str) -> str:
    return w[:1].upper() + w[1:]


def style(words: list[str], st: str) -> str:
    if st == "upper":
        return "_".join(w.upper() for w in words)
    if st == "snake":
        return "_".join(words)
    if st == "camel":
        return words[0] + "".join(cap(w) for w in words[1:])
    if st == "pascal":
        return "".join(cap(w) for w in words)
    if st == "kebab":
        return "-".join(words)
    if st == "dot":
        return ".".join(words)
    raise ValueError(st)


class Rng:
    """All randomness of the corpus, from one seeded generator."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def s(self, alphabet: str, n: int) -> str:
        return "".join(self.r.choices(alphabet, k=n))

    def c(self, seq):
        return self.r.choice(seq)

    def i(self, a: int, b: int) -> int:
        return self.r.randint(a, b)

    def p(self, prob: float) -> bool:
        return self.r.random() < prob

    def bytes(self, n: int) -> bytes:
        return bytes(self.r.getrandbits(8) for _ in range(n))

    def words(self, n: int, vocab=LOREM) -> str:
        return " ".join(self.r.choices(vocab, k=n))

    def sentence(self, lo=5, hi=14, vocab=ENGLISH) -> str:
        w = self.words(self.i(lo, hi), vocab)
        return cap(w)

    def uuid(self) -> str:
        h = self.s(HEX, 32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{self.c('89ab')}{h[17:20]}-{h[20:]}"

    def sha1(self) -> str:
        return hashlib.sha1(self.bytes(16)).hexdigest()

    def sha256(self) -> str:
        return hashlib.sha256(self.bytes(16)).hexdigest()

    def host(self) -> str:
        if self.p(0.6):
            return self.c(HOSTS)
        return f"{self.c(NOUNS)}-{self.c(ADJS)}.{self.c(['acme', 'globex', 'initech', 'umbrella'])}.{self.c(TLDS)}"

    def url(self) -> str:
        return f"https://{self.host()}/{self.c(['v1', 'v2', 'api', 'api/v3'])}/{self.c(NOUNS)}s"

    def email(self) -> str:
        return f"{self.c(LOREM)}.{self.c(LOREM)}@{self.c(['acme-corp.com', 'example.com', 'globex.io'])}"

    def ts(self) -> str:
        return (f"20{self.i(18, 25)}-{self.i(1, 12):02d}-{self.i(1, 28):02d}T"
                f"{self.i(0, 23):02d}:{self.i(0, 59):02d}:{self.i(0, 59):02d}Z")

    def ver(self) -> str:
        return f"{self.i(0, 9)}.{self.i(0, 30)}.{self.i(0, 20)}"

    def b64text(self) -> str:
        return base64.b64encode(self.sentence(6, 16).encode()).decode()


# --------------------------------------------------------------------------- secrets


def b62_checksum(body: str) -> str:
    n = zlib.crc32(body.encode())
    out = ""
    while n:
        n, d = divmod(n, 62)
        out = B62[d] + out
    return out.rjust(6, "0")


def gh_style(g: Rng, prefix: str) -> str:
    # GitHub/npm: prefix + 30 random base62 + 6-char base62 CRC32 of the random part.
    body = g.s(ALNUM, 30)
    return prefix + body + b62_checksum(body)


def b64url_nopad(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    return bytes([0x82]) + struct.pack(">H", n)


def der_int(g: Rng, nbytes: int) -> bytes:
    v = bytes([g.i(0x80, 0xFF)]) + g.bytes(nbytes - 1)
    v = b"\x00" + v  # positive
    return b"\x02" + der_len(len(v)) + v


def rsa_pkcs1(g: Rng) -> bytes:
    body = b"\x02\x01\x00" + der_int(g, 256) + b"\x02\x03\x01\x00\x01"
    body += der_int(g, 256) + der_int(g, 128) + der_int(g, 128)
    body += der_int(g, 128) + der_int(g, 128) + der_int(g, 128)
    return b"\x30" + der_len(len(body)) + body


def wrap64(b: bytes, width=64) -> list[str]:
    s = base64.b64encode(b).decode()
    return [s[i:i + width] for i in range(0, len(s), width)]


def pem(label: str, der: bytes, width=64) -> str:
    return "\n".join([f"-----BEGIN {label}-----", *wrap64(der, width), f"-----END {label}-----"])


def pem_rsa(g: Rng) -> str:
    return pem("RSA PRIVATE KEY", rsa_pkcs1(g))


def pem_pkcs8(g: Rng) -> str:
    inner = rsa_pkcs1(g)
    algo = bytes.fromhex("300d06092a864886f70d0101010500")
    octet = b"\x04" + der_len(len(inner)) + inner
    body = b"\x02\x01\x00" + algo + octet
    return pem("PRIVATE KEY", b"\x30" + der_len(len(body)) + body)


def pem_ec(g: Rng) -> str:
    body = (b"\x02\x01\x01\x04\x20" + g.bytes(32)
            + bytes.fromhex("a00a06082a8648ce3d030107a14403420004") + g.bytes(64))
    return pem("EC PRIVATE KEY", b"\x30" + der_len(len(body)) + body)


def ssh_str(b: bytes) -> bytes:
    return struct.pack(">I", len(b)) + b


def pem_openssh(g: Rng) -> str:
    pub = g.bytes(32)
    seed = g.bytes(32)
    pubblob = ssh_str(b"ssh-ed25519") + ssh_str(pub)
    check = g.bytes(4)
    comment = f"{g.c(LOREM)}@{g.c(SERVICES)}".encode()
    priv = check + check + ssh_str(b"ssh-ed25519") + ssh_str(pub) + ssh_str(seed + pub) + ssh_str(comment)
    pad = 1
    while len(priv) % 8:
        priv += bytes([pad])
        pad += 1
    blob = (b"openssh-key-v1\x00" + ssh_str(b"none") + ssh_str(b"none") + ssh_str(b"")
            + struct.pack(">I", 1) + ssh_str(pubblob) + ssh_str(priv))
    return pem("OPENSSH PRIVATE KEY", blob, 70)


def jwt(g: Rng) -> str:
    alg = g.c(["HS256", "HS256", "RS256", "HS512"])
    header = b64url_nopad(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    iat = g.i(1600000000, 1750000000)
    payload = {"sub": g.uuid() if g.p(0.5) else str(g.i(1000, 9999999)),
               "name": f"{cap(g.c(LOREM))} {cap(g.c(LOREM))}", "iat": iat,
               "exp": iat + g.c([3600, 86400, 604800, 31536000])}
    if g.p(0.5):
        payload["role"] = g.c(["admin", "service", "reader", "editor"])
    if g.p(0.4):
        payload["iss"] = f"https://{g.host()}"
    p = b64url_nopad(json.dumps(payload, separators=(",", ":")).encode())
    sig = b64url_nopad(g.bytes(64 if alg == "HS512" else 256 if alg == "RS256" else 32))
    return f"{header}.{p}.{sig}"


def pypi_token(g: Rng) -> str:
    # A macaroon: b"\x02\x01\x08pypi.org" + identifier + caveats + signature, base64url.
    ident = json.dumps({"nonce": g.s(HEX, 32)}).encode()
    caveat = json.dumps([1, {"version": 1, "permissions": "user"}]).encode() if g.p(0.5) else \
        json.dumps({"version": 1, "permissions": {"projects": [g.c(SERVICES)]}}).encode()
    raw = (b"\x02\x01\x08pypi.org\x02" + bytes([len(ident) + 2]) + b"\x00\x00" + ident
           + b"\x00\x02" + bytes([len(caveat) % 256]) + caveat + b"\x00\x00\x06\x20" + g.bytes(32))
    return "pypi-" + b64url_nopad(raw)


def db_url(g: Rng) -> str:
    scheme, port = g.c([("postgres", 5432), ("postgresql", 5432), ("mysql", 3306),
                        ("mongodb+srv", None), ("redis", 6379), ("amqp", 5672)])
    user = g.c(["app", "admin", "svc_" + g.c(NOUNS), "root", g.c(NOUNS) + "_rw", "postgres"])
    pw = g.s(ALNUM, g.i(16, 28))
    host = g.c(["db-primary.prod.internal", f"{g.c(NOUNS)}-db.{g.c(ENVS)}.internal",
                f"cluster0.{g.s(LO + DIG, 5)}.mongodb.net",
                f"{g.c(NOUNS)}.{g.s(LO + DIG, 12)}.us-east-1.rds.amazonaws.com", "10.0.3.17"])
    if scheme == "redis":
        return f"redis://{'default' if g.p(0.5) else ''}:{pw}@{host}:6379/{g.i(0, 3)}"
    hp = host if port is None else f"{host}:{port}"
    db = g.c(NOUNS) + g.c(["", "s", "_db", "_prod"])
    extra = g.c(["", "", "?sslmode=require", "?retryWrites=true&w=majority", "?charset=utf8mb4"])
    return f"{scheme}://{user}:{pw}@{hp}/{db}{extra}"


def generic_password(g: Rng) -> str:
    n = g.i(14, 28)
    s = g.s(ALNUM + "!%*+-_.~^@", n)
    return s if not s[0] in "-_." else "P" + s[1:]


def gcp_sa(g: Rng) -> tuple[str, dict]:
    proj = f"{g.c(NOUNS)}-{g.c(ADJS)}-{g.i(100000, 999999)}"
    name = f"{g.c(SERVICES)}-sa"
    key = pem_pkcs8(g) + "\n"
    d = {
        "type": "service_account",
        "project_id": proj,
        "private_key_id": g.s(HEX, 40),
        "private_key": key,
        "client_email": f"{name}@{proj}.iam.gserviceaccount.com",
        "client_id": str(g.i(10 ** 20, 10 ** 21 - 1)),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": f"https://www.googleapis.com/robot/v1/metadata/x509/{name}%40{proj}.iam.gserviceaccount.com",
        "universe_domain": "googleapis.com",
    }
    return json.dumps(d, indent=2), d


# Each secret kind: value generator, variable-name choices (word lists), client class
# for call forms, and whether the value spans lines.
def _names(*ns):
    return [n.split() for n in ns]


SECRET_KINDS: dict[str, dict] = {
    "aws-access-key-id": dict(gen=lambda g: "AKIA" + g.s(B32, 16), names=_names("aws access key id"), cls="boto3"),
    "github-pat-classic": dict(gen=lambda g: gh_style(g, "ghp_"), names=_names("github token", "gh token", "github pat", "git hub access token"), cls="Github"),
    "github-pat-fine-grained": dict(gen=lambda g: "github_pat_" + "11" + g.s(UP + DIG, 20) + "_" + g.s(ALNUM, 59), names=_names("github token", "gh pat", "github api token"), cls="Github"),
    "github-oauth-token": dict(gen=lambda g: gh_style(g, "gho_"), names=_names("github oauth token", "gh oauth token"), cls="Github"),
    "github-user-to-server-token": dict(gen=lambda g: gh_style(g, "ghu_"), names=_names("github app user token", "gh user token"), cls="Github"),
    "github-server-to-server-token": dict(gen=lambda g: gh_style(g, "ghs_"), names=_names("github installation token", "gh app token"), cls="Github"),
    "github-refresh-token": dict(gen=lambda g: "ghr_" + g.s(ALNUM, 76), names=_names("github refresh token"), cls="Github"),
    "gitlab-pat": dict(gen=lambda g: "glpat-" + g.s(ALNUM + "-_", 20), names=_names("gitlab token", "gitlab private token", "gl token"), cls="Gitlab"),
    "slack-bot-token": dict(gen=lambda g: f"xoxb-{g.i(10 ** 9, 10 ** 12)}-{g.i(10 ** 11, 10 ** 13)}-{g.s(ALNUM, 24)}", names=_names("slack bot token", "slack token"), cls="WebClient"),
    "slack-user-token": dict(gen=lambda g: f"xoxp-{g.i(10 ** 9, 10 ** 12)}-{g.i(10 ** 9, 10 ** 12)}-{g.i(10 ** 11, 10 ** 13)}-{g.s(HEX, 32)}", names=_names("slack user token", "slack token"), cls="WebClient"),
    "slack-webhook-url": dict(gen=lambda g: f"https://hooks.slack.com/services/T{g.s(UP + DIG, g.c([8, 10]))}/B{g.s(UP + DIG, g.c([8, 10]))}/{g.s(ALNUM, 24)}", names=_names("slack webhook url", "alerts webhook", "slack hook"), cls="WebhookClient"),
    "stripe-secret-key": dict(gen=lambda g: "sk_live_" + (g.s(ALNUM, 24) if g.p(0.35) else "51" + g.s(ALNUM, 97)), names=_names("stripe secret key", "stripe api key", "stripe key"), cls="Stripe"),
    "stripe-restricted-key": dict(gen=lambda g: "rk_live_" + (g.s(ALNUM, 24) if g.p(0.35) else "51" + g.s(ALNUM, 97)), names=_names("stripe restricted key", "stripe key"), cls="Stripe"),
    "sendgrid-api-key": dict(gen=lambda g: "SG." + g.s(B64URL, 22) + "." + g.s(B64URL, 43), names=_names("sendgrid api key", "sendgrid key", "mail api key"), cls="SendGridAPIClient"),
    "twilio-api-key": dict(gen=lambda g: "SK" + g.s(HEX, 32), names=_names("twilio api key", "twilio key sid"), cls="TwilioClient"),
    "twilio-auth-token": dict(gen=lambda g: g.s(HEX, 32), names=_names("twilio auth token"), cls="TwilioClient"),
    "npm-access-token": dict(gen=lambda g: gh_style(g, "npm_"), names=_names("npm token", "npm auth token"), cls="Registry"),
    "pypi-upload-token": dict(gen=pypi_token, names=_names("pypi token", "twine password", "pypi api token"), cls="Uploader"),
    "openai-api-key": dict(gen=lambda g: ("sk-proj-" + g.s(B64URL, 74) + "T3BlbkFJ" + g.s(B64URL, 74)) if g.p(0.7) else ("sk-" + g.s(ALNUM, 20) + "T3BlbkFJ" + g.s(ALNUM, 20)), names=_names("openai api key", "openai key", "llm api key"), cls="OpenAI"),
    "anthropic-api-key": dict(gen=lambda g: "sk-ant-api03-" + g.s(B64URL, 93) + "AA", names=_names("anthropic api key", "claude api key"), cls="Anthropic"),
    "google-api-key": dict(gen=lambda g: "AIzaSy" + g.s(B64URL, 33), names=_names("google api key", "maps api key", "firebase api key", "gcp api key"), cls="GoogleMaps"),
    "jwt": dict(gen=jwt, names=_names("auth token", "access token", "bearer token", "service jwt", "id token"), cls="AuthSession"),
    "database-url": dict(gen=db_url, names=_names("database url", "db url", "db uri", "connection string", "redis url"), cls="create_engine"),
    "shopify-access-token": dict(gen=lambda g: g.c(["shpat_", "shpat_", "shpca_", "shppa_"]) + g.s(HEX, 32), names=_names("shopify access token", "shopify token", "shopify admin token"), cls="ShopifyAPI"),
    "discord-bot-token": dict(gen=lambda g: b64url_nopad(str(g.i(10 ** 17, 13 * 10 ** 17)).encode()) + "." + g.s(B64URL, 6) + "." + g.s(B64URL, g.c([27, 38])), names=_names("discord bot token", "discord token", "bot token"), cls="DiscordClient"),
    "telegram-bot-token": dict(gen=lambda g: f"{g.i(10 ** 8, 8 * 10 ** 9)}:AA{g.s(B64URL, 33)}", names=_names("telegram bot token", "telegram token", "tg bot token"), cls="TeleBot"),
    "mailgun-api-key": dict(gen=lambda g: "key-" + g.s(HEX, 32), names=_names("mailgun api key", "mailgun key"), cls="Mailgun"),
    "dockerhub-pat": dict(gen=lambda g: "dckr_pat_" + g.s(B64URL, 27), names=_names("docker hub token", "dockerhub pat", "docker password", "registry token"), cls="DockerClient"),
    "generic-password": dict(gen=generic_password, names=_names("db password", "password", "admin password", "smtp password", "redis password", "postgres password", "mysql root password", "keystore password", "ldap bind password", "rabbitmq password"), cls="connect"),
    "generic-api-key": dict(gen=lambda g: g.s(ALNUM, g.c([32, 40])) if g.p(0.6) else g.s(HEX, 32), names=_names("api key", "x api key", "service api key", "datadog api key", "partner api key", "analytics api key", "maps key", "segment write key"), cls="ApiClient"),
    "generic-secret-token": dict(gen=lambda g: g.s(B64URL, g.i(32, 64)) if g.p(0.5) else base64.b64encode(g.bytes(32)).decode(), names=_names("secret token", "session secret", "jwt secret", "app secret", "client secret", "signing secret", "webhook secret", "encryption key", "secret key base", "auth secret"), cls="Signer"),
    # multi-line / structured
    "private-key-rsa": dict(gen=pem_rsa, names=_names("private key", "rsa private key", "signing key"), multi=True, cls="load_pem"),
    "private-key-pkcs8": dict(gen=pem_pkcs8, names=_names("private key", "tls key", "jwt private key"), multi=True, cls="load_pem"),
    "private-key-ec": dict(gen=pem_ec, names=_names("ec private key", "tls key", "apns key"), multi=True, cls="load_pem"),
    "private-key-openssh": dict(gen=pem_openssh, names=_names("ssh private key", "deploy key", "ssh key"), multi=True, cls="load_pem"),
}
# aws-secret-access-key is planted with its key id (the pair), gcp-service-account as a
# JSON document: they are drawn through these pseudo-kinds.
PAIR_KIND = "aws-credentials"
SA_KIND = "gcp-service-account"

KIND_WEIGHTS = {k: 1.0 for k in SECRET_KINDS}
KIND_WEIGHTS.update({"aws-access-key-id": 0.0, "generic-password": 2.5, "generic-api-key": 2.0,
                     "generic-secret-token": 2.0, "database-url": 1.5, "jwt": 1.2,
                     "github-refresh-token": 0.5, "github-user-to-server-token": 0.6,
                     "twilio-auth-token": 0.6, "private-key-rsa": 0.6, "private-key-pkcs8": 0.5,
                     "private-key-ec": 0.5, "private-key-openssh": 0.5})
KIND_WEIGHTS[PAIR_KIND] = 2.0
KIND_WEIGHTS[SA_KIND] = 0.6

# --------------------------------------------------------------------------- traps

PLACEHOLDERS = ["your-api-key-here", "YOUR_API_KEY", "<TOKEN>", "<your-token>", "changeme",
                "xxxxxxxxxxxxxxxx", "XXXXXXXXXXXXXXXXXXXXXXXX", "replace-me", "TODO",
                "<insert-secret-here>", "your_secret_here", "CHANGE_ME", "none", "null",
                "dummy-token", "test", "example", "<password>", "********"]
SHAPED_PLACEHOLDERS = [
    "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX",
    "xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX",
    "AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxx",
    "glpat-xxxxxxxxxxxxxxxxxxxx", "npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX",
    "postgres://user:password@localhost:5432/app", "key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
]
LOW_ENTROPY = ["password", "secret", "admin", "test1234", "hunter2", "letmein", "token",
               "postgres", "root", "guest", "development", "password123", "secret123"]
REDACTED = ["********", "REDACTED", "[FILTERED]", "<redacted>", "***", "[MASKED]"]
TRAP_NAMES = _names("api key", "secret", "password", "auth token", "access token", "client secret",
                    "db password", "secret key", "private token", "stripe key", "github token")
DIGEST_NAMES = _names("cache key", "checksum", "content hash", "etag", "object key", "dedup key",
                      "integrity key", "commit sha", "build key", "image digest", "sha256 sum", "file hash")
UUID_NAMES = _names("client id", "tenant id", "request id", "idempotency key", "api key id",
                    "subscription id", "correlation id", "trace id", "workspace id", "app id")
B64_NAMES = _names("banner b64", "encoded message", "payload b64", "license text", "welcome note b64",
                   "description encoded", "motd base64")

TRAP_WEIGHTS = {
    "aws-example-key": 1.0, "placeholder": 2.0, "shaped-placeholder": 1.5, "env-reference": 2.5,
    "digest-named-key": 1.5, "uuid-value": 1.5, "sops-encrypted": 1.5, "low-entropy-word": 1.5,
    "comment-fixture": 1.5, "base64-text": 1.0, "redacted-value": 1.0, "function-call-value": 1.5,
    "stripe-publishable-key": 0.6, "google-oauth-client-id": 0.6, "ssh-public-key": 0.6,
    "public-key-pem": 0.5, "certificate-pem": 0.5, "db-url-no-password": 0.8, "image-digest": 0.8,
    "sri-integrity": 0.6, "doc-example-jwt": 0.5,
}

# --------------------------------------------------------------------------- rendering
#
# A snippet is (lines, marks): marks are dicts with "off" / "end" (0-based line offsets
# into lines), "kind", "secret" and optionally "trap".

CODE_FMTS = {"py", "js", "ts", "go", "java", "rs", "rb", "sh"}
COMMENT = {"py": "#", "rb": "#", "sh": "#", "yaml": "#", "env": "#", "properties": "#",
           "ini": ";", "tf": "#", "docker": "#", "js": "//", "ts": "//", "go": "//",
           "java": "//", "rs": "//", "md": "", "json": ""}
INDENT = {"java": "    "}


class Value:
    """A value to render: a string literal, or a raw expression (`raw=True`)."""

    def __init__(self, text: str, raw: bool = False):
        self.text = text
        self.raw = raw


def env_ref(g: Rng, fmt: str, name: str) -> str:
    up = name.upper().replace(".", "_").replace("-", "_")
    return {
        "py": g.c([f'os.environ["{up}"]', f'os.getenv("{up}")', f'os.environ.get("{up}", "")']),
        "js": g.c([f"process.env.{up}", f'process.env["{up}"]']),
        "ts": g.c([f"process.env.{up}!", f"process.env.{up} ?? \"\""]),
        "go": f'os.Getenv("{up}")',
        "java": g.c([f'System.getenv("{up}")', f'env.getProperty("{name.lower()}")']),
        "rs": f'std::env::var("{up}").unwrap_or_default()',
        "rb": g.c([f'ENV["{up}"]', f'ENV.fetch("{up}")']),
        "sh": g.c([f'"${{{up}}}"', f'"${up}"', f'"${{{up}:?missing}}"']),
        "yaml": g.c([f"${{{up}}}", f'"{{{{ .Values.{style(name.split("_"), "camel")} }}}}"',
                     f"${{{{ secrets.{up} }}}}", f'"${{{up}:-}}"']),
        "json": f"${{{up}}}",
        "env": g.c([f"${{{up}_FROM_VAULT}}", f"${{SHARED_{up}}}"]),
        "properties": g.c([f"${{{up}}}", f"${{{up}:}}"]),
        "ini": g.c([f"${{{up}}}", f"%(ENV_{up})s"]),
        "tf": g.c([f"var.{name.lower()}", f"data.aws_ssm_parameter.{name.lower()}.value",
                   f"random_password.{name.lower()}.result"]),
        "docker": f"${{{up}}}",
        "md": f"${up}",
    }[fmt]


def quote(g: Rng, fmt: str, v: Value) -> str:
    if v.raw:
        return v.text
    if fmt in ("env", "properties", "ini", "docker"):
        return v.text if g.p(0.7) else f'"{v.text}"'
    if fmt == "yaml":
        return v.text if g.p(0.5) and re.fullmatch(r"[A-Za-z0-9][\w./:@+=~-]*", v.text) and ":" not in v.text else f'"{v.text}"'
    if fmt in ("py", "js", "ts", "rb", "sh") and g.p(0.35):
        return f"'{v.text}'"
    return f'"{v.text}"'


def render_single(g: Rng, fmt: str, words: list[str], v: Value, cls: str = "Client") -> tuple[list[str], int]:
    """One assignment/usage of a single-line value; returns lines and the value's offset."""
    q = quote(g, fmt, v)
    up, snake, camel = style(words, "upper"), style(words, "snake"), style(words, "camel")
    pascal = style(words, "pascal")
    call_ok = not v.raw and cls[:1].isupper() and g.p(0.2)
    if fmt == "json":
        return [f'"{style(words, g.c(["camel", "snake"]))}": {json.dumps(v.text)},'], 0
    if fmt == "py":
        if call_ok:
            return [f"{snake.split('_')[0]}_client = {cls}({'_'.join(words[-2:])}={q})"], 0
        forms = [([f"{up} = {q}"], 0), ([f'os.environ.setdefault("{up}", {q})'], 0),
                 ([f"{snake}: str = {q}"], 0),
                 (["SETTINGS = {", f'    "{snake}": {q},', f'    "timeout": {g.i(5, 60)},', "}"], 1),
                 ([f"def {snake}() -> str:", f"    return {q}"], 1)]
    elif fmt in ("js", "ts"):
        if call_ok:
            return [f"const {words[0]}Client = new {cls}({{ {style(words[-2:], 'camel')}: {q} }});"], 0
        forms = [([f"const {camel} = {q};"], 0), ([f"export const {up} = {q};"], 0),
                 ([f"const {up} = process.env.{up} || {q};"], 0),
                 (["export const config = {", f"  {camel}: {q},", f"  region: \"{g.c(['us-east-1', 'eu-west-1'])}\",", "};"], 1)]
        if fmt == "ts":
            forms.append(([f"const {camel}: string = {q};"], 0))
    elif fmt == "go":
        if call_ok:
            return [f"func new{pascal}Client() *{words[0]}.Client {{", f"\treturn {words[0]}.NewClient({q})", "}"], 1
        forms = [([f"const {camel} = {q}"], 0), ([f"var {pascal} = {q}"], 0),
                 (["var defaultConfig = Config{", f"\t{pascal}: {q},", f"\tTimeout: {g.i(5, 60)} * time.Second,", "}"], 1)]
    elif fmt == "java":
        if call_ok:
            return [f"    private final {cls} {words[0]}Client = new {cls}({q});"], 0
        forms = [([f"    private static final String {up} = {q};"], 0),
                 ([f"    static final String {up} = {q};"], 0),
                 ([f"    void configure(Properties props) {{", f'        props.setProperty("{style(words, "dot")}", {q});', "    }"], 1)]
    elif fmt == "rs":
        if call_ok:
            return [f"fn {snake}_client() -> {cls} {{", f"    {cls}::new({q})", "}"], 1
        forms = [([f"const {up}: &str = {q};"], 0), ([f"static {up}: &str = {q};"], 0),
                 ([f"pub fn {snake}() -> &'static str {{", f"    {q}", "}"], 1)]
    elif fmt == "rb":
        if call_ok:
            return [f"{words[0].upper()}_CLIENT = {cls}.new({snake}: {q})"], 0
        forms = [([f"{up} = {q}"], 0), ([f'ENV["{up}"] ||= {q}'], 0),
                 ([f"{cap(words[0])}.configure do |config|", f"  config.{snake} = {q}", "end"], 1)]
    elif fmt == "sh":
        if call_ok and not v.text.startswith("http"):
            return [f'curl -fsS -H "Authorization: Bearer {v.text}" {g.url()}'], 0
        forms = [([f"export {up}={q}"], 0), ([f"{up}={q}"], 0), ([f": \"${{{up}:={v.text}}}\""], 0)]
    elif fmt == "yaml":
        key = style(words[-2:] if len(words) > 2 else words, g.c(["snake", "camel"]))
        forms = [([f"{words[0]}:", f"  {key}: {q}"], 1),
                 ([f"{style(words, 'snake')}: {q}"], 0),
                 (["env:", f"  - name: {up}", f"    value: {q if q.startswith(chr(34)) or v.raw else chr(34) + q + chr(34)}"], 2)]
    elif fmt == "env":
        forms = [([f"{up}={q}"], 0), ([f"export {up}={q}"], 0)]
    elif fmt == "properties":
        forms = [([f"{style(words, 'dot')}={q}"], 0), ([f"{words[0]}.{style(words[1:] or words, 'kebab')} = {q}"], 0),
                 ([f"app.{style(words, 'dot')}: {q}"], 0)]
    elif fmt == "ini":
        forms = [([f"[{words[0]}]", f"{style(words[1:] or words, 'snake')} = {q}"], 1),
                 ([f"[{g.c(NOUNS)}]", f"{snake}={q}"], 1)]
    elif fmt == "tf":
        tq = q if (v.raw or q.startswith('"')) else f'"{q}"'
        forms = [([f'variable "{snake}" {{', "  type      = string", "  sensitive = true", f"  default   = {tq}", "}"], 3),
                 (["locals {", f"  {snake} = {tq}", "}"], 1),
                 ([f'resource "kubernetes_secret" "{words[0]}" {{', "  metadata {", f'    name = "{style(words, "kebab")}"', "  }", "  data = {",
                   f"    {snake} = {tq}", "  }", "}"], 5),
                 ([f'provider "{words[0]}" {{', f"  {'_'.join(words[-2:])} = {tq}", "}"], 1)]
    elif fmt == "docker":
        forms = [([f"ENV {up}={q}"], 0), ([f"ARG {up}={q}"], 0)]
        if not v.raw and not v.text.startswith("http"):
            forms.append(([f'RUN curl -fsSL -H "Authorization: Bearer {v.text}" {g.url()} -o /tmp/{g.c(NOUNS)}.tgz'], 0))
    elif fmt == "md":
        forms = [(["```bash", f"export {up}={v.text}", "```"], 1),
                 ([f"Set `{up}` to `{v.text}` before running the {g.c(NOUNS)} job."], 0),
                 (["```yaml", f"{snake}: {v.text}", "```"], 1)]
    else:
        raise ValueError(fmt)
    return g.c(forms)


def render_multi(g: Rng, fmt: str, words: list[str], text: str) -> tuple[list[str], int, int]:
    """A multi-line value (PEM block or JSON document): lines, first and last offsets of it."""
    body = text.split("\n")
    up, snake, camel = style(words, "upper"), style(words, "snake"), style(words, "camel")
    one_line = text.replace("\n", "\\n")
    if fmt == "py":
        lines = [f'{up} = """{body[0]}', *body[1:], '"""']
        return lines, 0, len(body) - 1
    if fmt in ("js", "ts"):
        return [f"const {camel} = `{body[0]}", *body[1:], "`;"], 0, len(body) - 1
    if fmt == "go":
        return [f"const {camel} = `{body[0]}", *body[1:], "`"], 0, len(body) - 1
    if fmt == "java":
        return [f'    private static final String {up} = """', *["        " + b for b in body], '        """;'], 1, len(body)
    if fmt == "rs":
        return [f'const {up}: &str = r#"{body[0]}', *body[1:], '"#;'], 0, len(body) - 1
    if fmt == "rb":
        return [f"{up} = <<~KEY", *["  " + b for b in body], "KEY"], 1, len(body)
    if fmt == "sh":
        return [f"cat > \"$HOME/.ssh/{snake}\" <<'EOF'", *body, "EOF", f'chmod 600 "$HOME/.ssh/{snake}"'], 1, len(body)
    if fmt == "yaml":
        key = style(words, g.c(["snake", "kebab"]))
        if g.p(0.5):
            return [f"{key}: |", *["  " + b for b in body]], 1, len(body)
        return ["apiVersion: v1", "kind: Secret", "metadata:", f"  name: {style(words, 'kebab')}", "type: Opaque",
                "stringData:", f"  {key}: |", *["    " + b for b in body], "---"], 7, 6 + len(body)
    if fmt == "tf":
        return [f'resource "local_sensitive_file" "{snake}" {{', "  content  = <<-EOT", *["    " + b for b in body],
                "  EOT", f'  filename = "${{path.module}}/{snake}.pem"', "}"], 2, 1 + len(body)
    if fmt == "md":
        return ["```", *body, "```"], 1, len(body)
    if fmt == "env":
        return [f'{up}="{one_line}"'], 0, 0
    if fmt == "properties":
        return [f"{style(words, 'dot')}={one_line}"], 0, 0
    raise ValueError(fmt)


MULTI_FMTS = {"py", "js", "ts", "go", "java", "rs", "rb", "sh", "yaml", "tf", "md", "env", "properties"}
SA_FMTS = {"yaml", "env", "sh", "tf", "py"}


def secret_snippet(g: Rng, fmt: str, kind: str) -> tuple[list[str], list[dict]]:
    if kind == PAIR_KIND:
        kid = "AKIA" + g.s(B32, 16)
        sk = g.s(B64[:-2], 40) if g.p(0.3) else "".join(
            g.c(B64) if g.p(0.9) else g.c("+/") for _ in range(40))
        idw, skw = ["aws", "access", "key", "id"], ["aws", "secret", "access", "key"]
        if fmt == "ini" or (fmt == "md" and g.p(0.5)):
            prof = g.c(["default", "prod", "deploy", g.c(SERVICES)])
            lines = [f"[{prof}]", f"aws_access_key_id = {kid}", f"aws_secret_access_key = {sk}"]
            if fmt == "md":
                lines = ["```ini", *lines, "```"]
            off = 1 if fmt == "ini" else 2
            return lines, [dict(off=off, end=off, kind="aws-access-key-id", secret=kid),
                           dict(off=off + 1, end=off + 1, kind="aws-secret-access-key", secret=sk)]
        if fmt in ("py",) and g.p(0.4):
            lines = ["s3 = boto3.client(", '    "s3",', f'    aws_access_key_id="{kid}",',
                     f'    aws_secret_access_key="{sk}",', ")"]
            return lines, [dict(off=2, end=2, kind="aws-access-key-id", secret=kid),
                           dict(off=3, end=3, kind="aws-secret-access-key", secret=sk)]
        a, ao = render_single(g, fmt, idw, Value(kid))
        b, bo = render_single(g, fmt, skw, Value(sk))
        return a + b, [dict(off=ao, end=ao, kind="aws-access-key-id", secret=kid),
                       dict(off=len(a) + bo, end=len(a) + bo, kind="aws-secret-access-key", secret=sk)]
    if kind == SA_KIND:
        doc, _ = gcp_sa(g)
        if fmt == "env":
            one = json.dumps(json.loads(doc), separators=(",", ":"))
            return [f"GOOGLE_APPLICATION_CREDENTIALS_JSON='{one}'"], [dict(off=0, end=0, kind=SA_KIND, secret=one)]
        if fmt == "sh":
            lines = ["cat > /tmp/gcp-key.json <<'JSON'", *doc.split("\n"), "JSON",
                     "gcloud auth activate-service-account --key-file=/tmp/gcp-key.json"]
            return lines, [dict(off=1, end=len(doc.split("\n")), kind=SA_KIND, secret=doc)]
        lines, a, b = render_multi(g, fmt, ["google", "credentials"], doc)
        return lines, [dict(off=a, end=b, kind=SA_KIND, secret=doc)]
    spec = SECRET_KINDS[kind]
    val = spec["gen"](g)
    words = g.c(spec["names"])
    if spec.get("multi"):
        lines, a, b = render_multi(g, fmt, words, val)
        sec = val.replace("\n", "\\n") if a == b else val
        return lines, [dict(off=a, end=b, kind=kind, secret=sec)]
    if fmt in CODE_FMTS | {"yaml", "tf", "docker"} and g.p(0.06) and fmt != "docker":
        # An old value left in a comment is still a leak.
        c = COMMENT[fmt]
        line = f"{c} old {style(words, 'snake')} (rotated?): {val}"
        if fmt == "java":
            line = "    " + line
        return [line], [dict(off=0, end=0, kind=kind, secret=val)]
    lines, off = render_single(g, fmt, words, Value(val), spec.get("cls", "Client"))
    return lines, [dict(off=off, end=off, kind=kind, secret=val)]


def sops_value(g: Rng) -> str:
    n = g.i(8, 48)
    return (f"ENC[AES256_GCM,data:{base64.b64encode(g.bytes(n)).decode()},"
            f"iv:{base64.b64encode(g.bytes(32)).decode()},tag:{base64.b64encode(g.bytes(16)).decode()},type:str]")


def cert_pem(g: Rng) -> str:
    n = 0x300 + g.i(0, 0x1FF)
    tbs = bytes.fromhex("a003020102021400") + g.bytes(19) + bytes.fromhex("300d06092a864886f70d01010b0500") + g.bytes(n - 300)
    sig = bytes.fromhex("300d06092a864886f70d01010b0500") + b"\x03\x82\x01\x01\x00" + g.bytes(256)
    inner = b"\x30" + der_len(len(tbs)) + tbs + sig
    body = b"\x30" + der_len(len(inner)) + inner
    return pem("CERTIFICATE", body)


def pubkey_pem(g: Rng) -> str:
    body = bytes.fromhex("30820122300d06092a864886f70d01010105000382010f003082010a0282010100") + g.bytes(256) + bytes.fromhex("0203010001")
    return pem("PUBLIC KEY", body)


def trap_snippet(g: Rng, fmt: str, kind: str) -> tuple[list[str], list[dict]]:
    def one(words, text, raw=False, secret=None):
        lines, off = render_single(g, fmt, words, Value(text, raw))
        return lines, [dict(off=off, end=off, kind=kind, secret=secret or text, trap=True)]

    c = COMMENT.get(fmt, "#")
    pre = "    " if fmt == "java" else ""
    if kind == "aws-example-key":
        kid, sk = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        a, ao = render_single(g, fmt, ["aws", "access", "key", "id"], Value(kid))
        b, bo = render_single(g, fmt, ["aws", "secret", "access", "key"], Value(sk))
        return a + b, [dict(off=ao, end=ao, kind=kind, secret=kid, trap=True),
                       dict(off=len(a) + bo, end=len(a) + bo, kind=kind, secret=sk, trap=True)]
    if kind == "placeholder":
        return one(g.c(TRAP_NAMES), g.c(PLACEHOLDERS))
    if kind == "shaped-placeholder":
        return one(g.c(TRAP_NAMES), g.c(SHAPED_PLACEHOLDERS))
    if kind == "env-reference":
        words = g.c(TRAP_NAMES)
        return one(words, env_ref(g, fmt, style(words, "snake")), raw=fmt != "json")
    if kind == "digest-named-key":
        return one(g.c(DIGEST_NAMES), g.sha256() if g.p(0.6) else g.sha1())
    if kind == "uuid-value":
        return one(g.c(UUID_NAMES), g.uuid())
    if kind == "sops-encrypted":
        return one(g.c(TRAP_NAMES), sops_value(g))
    if kind == "low-entropy-word":
        return one(g.c(TRAP_NAMES), g.c(LOW_ENTROPY))
    if kind == "redacted-value":
        return one(g.c(TRAP_NAMES), g.c(REDACTED))
    if kind == "base64-text":
        return one(g.c(B64_NAMES), g.b64text())
    if kind == "stripe-publishable-key":
        return one(["stripe", "publishable", "key"], "pk_live_" + ("51" + g.s(ALNUM, 97) if g.p(0.6) else g.s(ALNUM, 24)))
    if kind == "google-oauth-client-id":
        return one(["google", "client", "id"], f"{g.i(10 ** 11, 10 ** 12 - 1)}-{g.s(LO + DIG, 32)}.apps.googleusercontent.com")
    if kind == "db-url-no-password":
        db = g.c(NOUNS)
        url = g.c([f"postgres://app@db.internal:5432/{db}", f"postgres://app:${{DB_PASSWORD}}@db.internal:5432/{db}",
                   f"mysql://{db}_ro@localhost:3306/{db}", f"redis://localhost:6379/0",
                   f"postgresql://localhost/{db}_test"])
        return one(["database", "url"], url)
    if kind == "image-digest":
        img = f"{g.c(['ghcr.io/acme', 'registry.acme.io', 'docker.io/library'])}/{g.c(SERVICES)}@sha256:{g.sha256()}"
        return one(["image"], img)
    if kind == "sri-integrity":
        v = "sha512-" + base64.b64encode(hashlib.sha512(g.bytes(16)).digest()).decode()
        return one(["integrity"], v)
    if kind == "function-call-value":
        words = g.c(TRAP_NAMES)
        sn = style(words, "snake")
        expr = {"py": f'get_secret("{sn}")', "js": f'await getSecret("{sn}")', "ts": f'await vault.read("{sn}")',
                "go": f'mustSecret("{sn}")', "java": f'secrets.get("{sn}")', "rs": f'load_secret("{sn}")?',
                "rb": f'Rails.application.credentials.{sn}', "sh": f'"$(vault kv get -field={sn} secret/app)"',
                "tf": f'data.vault_generic_secret.app.data["{sn}"]', "yaml": f'"{{{{ lookup(\'aws_ssm\', \'/app/{sn}\') }}}}"',
                "env": f"$(cat /run/secrets/{sn})", "properties": f"${{vault:{sn}}}", "ini": f"vault:secret/{sn}",
                "docker": f"$(cat /run/secrets/{sn})", "md": f"$(pass show {sn})", "json": f"vault:secret/data/app#{sn}"}[fmt]
        return one(words, expr, raw=fmt != "json")
    if kind in ("ssh-public-key",):
        blob = base64.b64encode(ssh_str(b"ssh-ed25519") + ssh_str(g.bytes(32))).decode() if g.p(0.5) else \
            base64.b64encode(ssh_str(b"ssh-rsa") + ssh_str(b"\x01\x00\x01") + ssh_str(b"\x00" + g.bytes(256))).decode()
        typ = "ssh-ed25519" if blob.startswith("AAAAC3") else "ssh-rsa"
        return one(["ssh", "authorized", "key"], f"{typ} {blob} {g.c(LOREM)}@{g.c(SERVICES)}")
    if kind in ("public-key-pem", "certificate-pem"):
        text = pubkey_pem(g) if kind == "public-key-pem" else cert_pem(g)
        if fmt == "json":
            return one(["public", "key"] if kind == "public-key-pem" else ["ca", "cert"], text)
        if fmt not in MULTI_FMTS:
            return one(["public", "key"] if kind == "public-key-pem" else ["ca", "cert"], text.split("\n")[1])
        words = ["jwt", "public", "key"] if kind == "public-key-pem" else ["ca", "certificate"]
        lines, a, b = render_multi(g, fmt, words, text)
        return lines, [dict(off=a, end=b, kind=kind, secret=text.replace("\n", "\\n") if a == b else text, trap=True)]
    if kind == "comment-fixture":
        if fmt == "json":
            return one(["example", "token"], g.c(PLACEHOLDERS))
        v, line = g.c([
            ("AKIAIOSFODNN7EXAMPLE", "e.g. export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"),
            ("hunter2", 'test fixture: login("admin", password="hunter2") must fail'),
            ("<TOKEN>", "usage: curl -H \"Authorization: Bearer <TOKEN>\" " + g.url()),
            ("sk_test_4eC39HqLyjWDarjtT1zdp7dc", "Stripe docs example key: sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
            ("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "token format: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
            ("password", 'fixture user: {"name": "alice", "password": "password"}'),
            ("my-secret", "mock: SECRET_TOKEN=my-secret (see tests/conftest)"),
        ])
        text = f"{pre}{c} {line}" if c else line
        return [text], [dict(off=0, end=0, kind=kind, secret=v, trap=True)]
    if kind == "doc-example-jwt":
        v = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0"
             "IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
        if c:
            return [f"{pre}{c} jwt.io sample: {v}"], [dict(off=0, end=0, kind=kind, secret=v, trap=True)]
        return one(["sample", "jwt"], v)
    raise ValueError(kind)


# --------------------------------------------------------------------------- filler

_PH = re.compile(r"«(\w+)»")


class Filler:
    """Renders template lines with «placeholders»; one value per name per template."""

    def __init__(self, g: Rng):
        self.g = g

    def fill(self, tpl: str) -> str:
        g = self.g
        memo: dict[str, str] = {}

        def sub(m):
            k = m.group(1)
            if k in memo:
                return memo[k]
            base = k if k in ("sha1", "sha256", "b64") else k.rstrip("0123456789")
            if base == "n":
                v = g.c(NOUNS)
            elif base == "N":
                v = cap(g.c(NOUNS))
            elif base == "v":
                v = g.c(VERBS)
            elif base == "a":
                v = g.c(ADJS)
            elif base == "E":
                v = f"{g.c(NOUNS).upper()}_{g.c(['TIMEOUT', 'LIMIT', 'RETRIES', 'SIZE', 'TTL', 'URL', 'PREFIX', 'NAME', 'MODE'])}"
            elif base == "C":
                v = g.c(CLASSES)
            elif base == "i":
                v = str(g.i(0, 100))
            elif base == "big":
                v = str(g.i(1000, 10 ** 7))
            elif base == "f":
                v = f"{g.i(0, 99)}.{g.i(0, 99)}"
            elif base == "s":
                v = g.sentence()
            elif base == "w":
                v = g.c(LOREM)
            elif base == "url":
                v = g.url()
            elif base == "host":
                v = g.host()
            elif base == "uuid":
                v = g.uuid()
            elif base == "sha1":
                v = g.sha1()
            elif base == "sha256":
                v = g.sha256()
            elif base == "b64":
                v = g.b64text()
            elif base == "email":
                v = g.email()
            elif base == "ts":
                v = g.ts()
            elif base == "ver":
                v = g.ver()
            elif base == "path":
                v = f"/{g.c(['var', 'srv', 'opt', 'etc', 'data'])}/{g.c(NOUNS)}/{g.c(NOUNS)}.{g.c(['json', 'csv', 'log', 'yaml'])}"
            elif base == "svc":
                v = g.c(SERVICES)
            elif base == "env":
                v = g.c(ENVS)
            elif base == "lvl":
                v = g.c(["info", "debug", "warning", "error"])
            else:
                raise KeyError(k)
            memo[k] = v
            return v

        return _PH.sub(sub, tpl)


# Statement templates per language ("\n" separates lines; indentation is relative).
T = {}
T["py_stmt"] = [
    "«n» = self.«n2»_repo.get(«n»_id)",
    "if «n» is None:\n    raise «N»NotFound(f\"«n» {«n»_id} not found\")",
    "for «n» in «n2»s:\n    «n».«v»(timeout=«i»)",
    "result[\"«n»\"] = «n2».«n»",
    "logger.«lvl»(\"«s» %s\", «n»_id)",
    "return {\"id\": «n».id, \"status\": \"«a»\", \"count\": «i»}",
    "# «s»",
    "«n»_count = len(«n2»s) + «i»",
    "timeout = settings.get(\"«n»_timeout\", «i»)",
    "resp = session.get(f\"«url»/{«n»_id}\", timeout=«i»)\nresp.raise_for_status()",
    "data = json.loads(resp.text)",
    "with open(\"«path»\") as fh:\n    «n» = fh.read()",
    "«n»s = [x for x in «n2»s if x.«a»]",
    "await self.«n»_queue.put(«n2»)",
    "try:\n    «v»_«n»(«n2»)\nexcept «N»Error as exc:\n    logger.warning(\"«s»: %s\", exc)\n    raise",
    "self.«n» = «n» or {}",
    "cache_key = f\"«n»:{«n2».id}:{version}\"",
    "password_hash = hasher.hash(form.password.data)",
    "if not token:\n    return unauthorized(\"missing token\")",
    "api_key = request.headers.get(\"X-Api-Key\")",
    "«n» = «N»«C»(«n2»=«n2», retries=«i»)",
    "assert «n».status == \"«a»\", «n»",
    "headers = {\"Authorization\": f\"Bearer {token}\", \"X-Request-Id\": \"«uuid»\"}",
    "digest = hashlib.sha256(«n».encode()).hexdigest()",
    "secret_name = f\"{«n».name}-credentials\"",
    "expected = \"«sha256»\"  # sha256 of the «n» fixture",
]
T["py_top"] = [
    "«E» = «i»",
    "«E» = \"«url»\"",
    "DEFAULT_«E» = \"«w»\"",
    "«E»_ID = \"«uuid»\"",
    "logger = logging.getLogger(__name__)",
    "__all__ = [\"«N»«C»\", \"«v»_«n»\"]",
    "FIXTURE_ETAG = \"«sha1»\"",
    "ICON_PNG_B64 = \"«b64»\"",
    "SCHEMA_SHA256 = \"«sha256»\"",
    "PASSWORD_MIN_LENGTH = «i»",
    "TOKEN_TTL_SECONDS = «big»",
    "SECRET_NAME_TEMPLATE = \"{tenant}-«n»-credentials\"",
]
T["js_stmt"] = [
    "const «n» = await this.«n2»Repo.get(«n»Id);",
    "if (!«n») {\n  throw new «N»NotFoundError(`«n» ${«n»Id} not found`);\n}",
    "for (const «n» of «n2»s) {\n  await «n».«v»({ timeout: «i» });\n}",
    "result.«n» = «n2».«n»;",
    "logger.«lvl»(\"«s»\", { «n»Id });",
    "return { id: «n».id, status: \"«a»\", count: «i» };",
    "// «s»",
    "const «n»Count = «n2»s.length + «i»;",
    "const res = await fetch(`«url»/${«n»Id}`, { method: \"GET\" });",
    "const data = await res.json();",
    "const «n»s = «n2»s.filter((x) => x.«a»);",
    "this.«n» = «n» ?? {};",
    "const cacheKey = `«n»:${«n2».id}:${version}`;",
    "const token = req.headers.authorization?.split(\" \")[1];",
    "if (!token) return res.status(401).json({ error: \"missing token\" });",
    "emitter.emit(\"«n».«v»\", { id: «n».id, at: Date.now() });",
    "const «n» = new «N»«C»({ «n2», retries: «i» });",
    "const headers = { Authorization: `Bearer ${token}`, \"X-Request-Id\": \"«uuid»\" };",
    "const logo = \"data:image/png;base64,«b64»\";",
    "const expectedChecksum = \"«sha256»\";",
]
T["js_top"] = [
    "const «E» = «i»;",
    "export const «E» = \"«url»\";",
    "const DEFAULT_«E» = \"«w»\";",
    "export const «E»_ID = \"«uuid»\";",
    "import { «v»«N» } from \"../«n»/«v»«N»\";",
    "const logger = createLogger(\"«svc»\");",
]
T["go_stmt"] = [
    "«n», err := s.«n2»Repo.Get(ctx, «n»ID)\nif err != nil {\n\treturn nil, fmt.Errorf(\"«v» «n»: %w\", err)\n}",
    "for _, «n» := range «n2»s {\n\t«n».«N»(«i»)\n}",
    "result[\"«n»\"] = «n2».«N»",
    "log.Printf(\"«s» %s\", «n»ID)",
    "// «s»",
    "«n»Count := len(«n2»s) + «i»",
    "req, err := http.NewRequestWithContext(ctx, http.MethodGet, \"«url»\", nil)\nif err != nil {\n\treturn nil, err\n}",
    "ctx, cancel := context.WithTimeout(ctx, «i»*time.Second)\ndefer cancel()",
    "if «n» == nil {\n\treturn nil, Err«N»NotFound\n}",
    "s.mu.Lock()\ndefer s.mu.Unlock()",
    "cacheKey := fmt.Sprintf(\"«n»:%d:%s\", «n2».ID, version)",
    "token := r.Header.Get(\"Authorization\")",
    "req.Header.Set(\"Authorization\", \"Bearer \"+token)",
    "const «n»Checksum = \"«sha256»\"",
]
T["java_stmt"] = [
    "«N» «n» = «n2»Repository.findById(«n»Id).orElseThrow(() -> new «N»NotFoundException(«n»Id));",
    "for («N» «n» : «n2»s) {\n    «n».«v»(«i»);\n}",
    "result.put(\"«n»\", «n2».get«N»());",
    "log.«lvl»(\"«s» {}\", «n»Id);",
    "// «s»",
    "int «n»Count = «n2»s.size() + «i»;",
    "if («n» == null) {\n    throw new IllegalStateException(\"«s»\");\n}",
    "String cacheKey = \"«n»:\" + «n2».getId() + \":\" + version;",
    "HttpRequest request = HttpRequest.newBuilder(URI.create(\"«url»\")).GET().build();",
    "String token = request.getHeader(\"Authorization\");",
    "return new «N»Response(«n».getId(), \"«a»\");",
    "String expectedSha = \"«sha1»\";",
    "headers.put(\"Authorization\", \"Bearer \" + token);",
]
T["rs_stmt"] = [
    "let «n» = self.«n2»_repo.get(«n»_id).await?;",
    "for «n» in «n2»s.iter() {\n    «n».«v»(«i»)?;\n}",
    "result.insert(\"«n»\".to_owned(), «n2».«n».clone());",
    "tracing::«lvl»!(«n»_id, \"«s»\");",
    "// «s»",
    "let «n»_count = «n2»s.len() + «i»;",
    "let resp = client.get(\"«url»\").send().await?;",
    "if «n».is_none() {\n    return Err(Error::NotFound(«n»_id));\n}",
    "let cache_key = format!(\"«n»:{}:{}\", «n2».id, version);",
    "let token = headers.get(\"authorization\").and_then(|v| v.to_str().ok());",
    "let expected = \"«sha256»\";",
]
T["rb_stmt"] = [
    "«n» = «N».find_by(id: «n»_id)",
    "raise «N»NotFound, \"«n» #{«n»_id} not found\" if «n».nil?",
    "«n2»s.each do |«n»|\n  «n».«v»!(retries: «i»)\nend",
    "result[:«n»] = «n2».«n»",
    "Rails.logger.«lvl»(\"«s» #{«n»_id}\")",
    "# «s»",
    "«n»_count = «n2»s.size + «i»",
    "response = HTTP.timeout(«i»).get(\"«url»\")",
    "cache_key = \"«n»:#{«n2».id}:#{version}\"",
    "token = request.headers[\"Authorization\"]&.split(\" \")&.last",
    "render json: { id: «n».id, status: \"«a»\" }",
]
T["sh_stmt"] = [
    "echo \"«s»\"",
    "# «s»",
    "«E»=\"${«E»:-«i»}\"",
    "curl -fsS --retry «i» \"«url»\" -o \"$tmp/«n».json\"",
    "if [[ ! -f \"«path»\" ]]; then\n  log \"missing «n» file\"\n  exit 1\nfi",
    "for «n» in \"${«n2»s[@]}\"; do\n  «v»_«n» \"$«n»\"\ndone",
    "jq -r '.«n»s[] | .id' \"$tmp/«n2».json\" | sort -u > \"$tmp/ids\"",
    "kubectl -n «svc» rollout status deploy/«svc» --timeout=«i»s",
    "docker build -t «svc»:«ver» .",
    "sha256sum «n».tar.gz > «n».tar.gz.sha256",
    "echo \"«sha256»  «n».tar.gz\" | sha256sum -c -",
    "git clone --depth 1 git@github.com:acme/«svc».git \"$tmp/«svc»\"",
    "curl -fsS -H \"Authorization: Bearer ${TOKEN}\" \"«url»\"",
]


def indent(block: str, pre: str) -> list[str]:
    return [pre + ln if ln else ln for ln in block.split("\n")]


def gen_code(g: Rng, F: Filler, fmt: str, size: int, inserts: list) -> tuple[list[str], list[dict]]:
    """Code file: header, then top-level items (functions/classes/constants); inserts
    (snippets) go between items."""
    lines: list[str] = []
    marks: list[dict] = []
    n_items_est = max(1, size // 600)
    slots = sorted(g.i(0, n_items_est) for _ in inserts)
    pending = list(zip(slots, inserts))

    def put(snip):
        sl, sm = snip
        base = len(lines)
        lines.extend(sl)
        for m in sm:
            marks.append(dict(m, off=m["off"] + base, end=m["end"] + base))
        lines.append("")

    def stmts(key, pre, k):
        for _ in range(k):
            lines.extend(indent(F.fill(g.c(T[key])), pre))

    # header
    if fmt == "py":
        lines += [f'"""{F.fill("«s».")}"""', "", "from __future__ import annotations", ""]
        lines += [f"import {m}" for m in sorted(g.r.sample(["json", "logging", "os", "time", "asyncio", "hashlib", "re", "typing"], 4))]
        lines += ["", F.fill("from .«n» import «N»«C», «N»Error"), ""]
    elif fmt in ("js", "ts"):
        lines += [F.fill('import { «N»«C» } from "./«n»";'), F.fill('import { createLogger } from "../lib/log";'), ""]
    elif fmt == "go":
        lines += [F.fill("// Package «n» «s»."), F.fill("package «n»"), "", "import (", '\t"context"', '\t"fmt"', '\t"net/http"', '\t"time"', ")", ""]
    elif fmt == "java":
        pkg = F.fill("«n».«n2»")
        lines += [f"package com.acme.{pkg};", "", "import java.net.URI;", "import java.util.*;", "import org.slf4j.Logger;", "",
                  F.fill("/** «s». */"), F.fill("public class «N»«C» {"),
                  F.fill("    private static final Logger log = LoggerFactory.getLogger(«N»«C».class);"), ""]
    elif fmt == "rs":
        lines += [F.fill("//! «s»."), "", "use std::collections::HashMap;", F.fill("use crate::«n»::{«N», Error};"), ""]
    elif fmt == "rb":
        lines += ["# frozen_string_literal: true", "", F.fill("require \"«n»\""), ""]
    elif fmt == "sh":
        lines += ["#!/usr/bin/env bash", F.fill("# «s»."), "set -euo pipefail", 'tmp=$(mktemp -d)', 'trap \'rm -rf "$tmp"\' EXIT', ""]
        lines += ["log() { echo \"[$(date -u +%FT%TZ)] $*\" >&2; }", ""]
    item = 0
    total = sum(len(x) + 1 for x in lines)
    while True:
        while pending and pending[0][0] <= item:
            put(pending.pop(0)[1])
        if total >= size and not pending:
            break
        start = len(lines)
        k = g.i(2, 12)
        if fmt == "py":
            if g.p(0.15):
                for _ in range(g.i(1, 3)):
                    lines.append(F.fill(g.c(T["py_top"])))
            elif g.p(0.25):
                lines += [F.fill("class «N»«C»:"), F.fill('    """«s»."""'), "", F.fill("    def __init__(self, «n», «n2»=None):"),
                          F.fill("        self.«n» = «n»"), F.fill("        self.«n2» = «n2»"), ""]
                lines.append(F.fill("    def «v»_«n»(self, «n»_id: int, *, timeout: float = «f») -> dict:"))
                stmts("py_stmt", "        ", k)
            else:
                lines.append(F.fill("def «v»_«n»(«n»_id, «n2»s=None, *, retries=«i»):"))
                lines.append(F.fill('    """«s»."""'))
                stmts("py_stmt", "    ", k)
        elif fmt in ("js", "ts"):
            if g.p(0.15):
                lines += [F.fill(g.c(T["js_top"])) for _ in range(g.i(1, 3))]
            else:
                ann = ": Promise<void>" if fmt == "ts" else ""
                arg = F.fill("«n»Id: string") if fmt == "ts" else F.fill("«n»Id")
                lines += [F.fill("/**"), F.fill(" * «s»."), " */", F.fill(f"export async function «v»«N»({arg}){ann} {{")]
                stmts("js_stmt", "  ", k)
                lines.append("}")
        elif fmt == "go":
            if g.p(0.1):
                lines += [F.fill('const «n»«N»Timeout = «i» * time.Second'), F.fill('var «n»Endpoint = "«url»"')]
            else:
                lines += [F.fill("// «v»«N» «s»."), F.fill("func (s *«N»«C») «v»«N»(ctx context.Context, «n»ID string) (*«N», error) {")]
                stmts("go_stmt", "\t", k)
                lines += ["\treturn nil, nil", "}"]
        elif fmt == "java":
            if g.p(0.12):
                lines += [F.fill('    private static final int «E» = «i»;'), F.fill('    private static final String «E»_URL = "«url»";')]
            else:
                lines += [F.fill("    /** «s». */"), F.fill("    public «N»Response «v»«N»(long «n»Id) {")]
                stmts("java_stmt", "        ", k)
                lines += ["        return null;", "    }"]
        elif fmt == "rs":
            if g.p(0.12):
                lines += [F.fill("const «E»: u64 = «big»;"), F.fill('const «E»_URL: &str = "«url»";')]
            elif g.p(0.2):
                lines += [F.fill("/// «s»."), "#[derive(Debug, Clone)]", F.fill("pub struct «N»«C» {"),
                          F.fill("    pub «n»_id: u64,"), F.fill("    pub «n»: String,"), F.fill("    pub «a»: bool,"), "}"]
            else:
                lines += [F.fill("/// «s»."), F.fill("pub async fn «v»_«n»(&self, «n»_id: u64) -> Result<«N», Error> {")]
                stmts("rs_stmt", "    ", k)
                lines += ["    todo!()", "}"]
        elif fmt == "rb":
            lines += [F.fill("# «s»."), F.fill("def «v»_«n»(«n»_id, «n2»s = [])")]
            stmts("rb_stmt", "  ", k)
            lines.append("end")
        elif fmt == "sh":
            lines += [F.fill("«v»_«n»() {")]
            stmts("sh_stmt", "  ", k)
            lines.append("}")
        lines.append("")
        total += sum(len(x) + 1 for x in lines[start:])
        item += 1
    if fmt == "java":
        lines.append("}")
    if fmt == "sh":
        lines.append('main "$@"')
    return lines, marks


def gen_config(g: Rng, F: Filler, fmt: str, size: int, inserts: list) -> tuple[list[str], list[dict]]:
    """YAML / .env / .properties / INI / Terraform / Dockerfile / Markdown."""
    lines: list[str] = []
    marks: list[dict] = []
    n_items_est = max(1, size // 300)
    slots = sorted(g.i(0, n_items_est) for _ in inserts)
    pending = list(zip(slots, inserts))
    yaml_k8s = fmt == "yaml" and g.p(0.3)

    def put(snip):
        sl, sm = snip
        base = len(lines)
        lines.extend(sl)
        for m in sm:
            marks.append(dict(m, off=m["off"] + base, end=m["end"] + base))
        if fmt in ("md", "tf", "ini"):
            lines.append("")

    if fmt == "docker":
        lines += [F.fill("FROM «svc»-base:«ver» AS build"), "WORKDIR /src", "COPY . .", ""]
    elif fmt == "md":
        lines += [F.fill("# «N» «C»"), "", F.fill("«s»."), ""]
    elif fmt == "yaml" and yaml_k8s:
        pass
    item = 0
    total = sum(len(x) + 1 for x in lines)
    while True:
        while pending and pending[0][0] <= item:
            if fmt == "yaml" and yaml_k8s and lines and lines[-1] != "---":
                lines.append("---")
            put(pending.pop(0)[1])
            if fmt == "yaml" and yaml_k8s and lines[-1] != "---":
                lines.append("---")
        if total >= size and not pending:
            break
        start = len(lines)
        if fmt == "yaml":
            if yaml_k8s:
                if lines and lines[-1] != "---":
                    lines.append("---")
                lines += [F.fill(x) for x in [
                    "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: «svc»", "  labels:",
                    "    app.kubernetes.io/name: «svc»", "    app.kubernetes.io/version: \"«ver»\"", "spec:",
                    "  replicas: «i»", "  template:", "    spec:", "      containers:", "        - name: «svc»",
                    "          image: ghcr.io/acme/«svc»:«ver»", "          ports:", "            - containerPort: 8«i»",
                    "          env:", "            - name: LOG_LEVEL", "              value: «lvl»",
                    "            - name: «E»", "              value: \"«i»\"", "            - name: DB_PASSWORD",
                    "              valueFrom:", "                secretKeyRef:", "                  name: «svc»-db",
                    "                  key: password", "          resources:", "            limits:",
                    "              memory: «i»0Mi", "              cpu: «i»00m"]]
            else:
                sec = F.fill("«n»_«n2»")
                lines.append(f"{sec}:")
                for _ in range(g.i(2, 9)):
                    if g.p(0.04):  # key-ish names with values that are not secrets
                        lines.append(F.fill(g.c(["  secret_name: «svc»-credentials", "  secretName: «svc»-tls",
                                                 "  existing_secret: «svc»-db", "  token_ttl: «i»m",
                                                 "  password_min_length: «i»", "  credentials_ref: vault/«svc»/db",
                                                 "  api_key_header: X-Api-Key", "  auth_token_url: «url»"])))
                        continue
                    lines.append(F.fill(g.c(["  «n»: «i»", "  «n»_url: «url»", "  enabled: true", "  «n»_name: «w»-«n»",
                                             "  timeout_seconds: «i»", "  id: «uuid»", "  description: «s»",
                                             "  tags: [«w», «w2», «a»]", "  updated_at: \"«ts»\"", "  owner: «email»",
                                             "  checksum: «sha256»", "  banner_b64: «b64»"])))
        elif fmt == "env" and g.p(0.05):
            lines.append(F.fill(g.c(["TOKEN_TTL=«big»", "SECRET_NAME=«svc»-creds", "JWT_ALGORITHM=HS256",
                                     "PASSWORD_RESET_URL=«url»", "API_KEY_HEADER=X-Api-Key", "VAULT_SECRET_PATH=secret/data/«svc»"])))
        elif fmt == "env":
            lines.append(F.fill(g.c(["# «s»", "«E»=«i»", "«E»=«url»", "LOG_LEVEL=«lvl»", "«E»_ENABLED=true",
                                     "APP_ENV=«env»", "«E»=«w»", "SERVICE_NAME=«svc»", "PORT=8«i»", "", "BUILD_SHA=«sha1»",
                                     "REQUEST_ID_HEADER=X-Request-Id", "TRACE_SAMPLE_ID=«uuid»"])))
        elif fmt == "properties" and g.p(0.05):
            lines.append(F.fill(g.c(["«n».password.min-length=«i»", "«n».token.ttl=«big»", "«n».secret.name=«svc»-credentials",
                                     "spring.security.oauth2.client.registration.«n».client-id=«uuid»"])))
        elif fmt == "properties":
            lines.append(F.fill(g.c(["# «s»", "«n».«n2».timeout=«i»", "«n».«n2».url=«url»", "spring.application.name=«svc»",
                                     "logging.level.com.acme.«n»=«lvl»", "«n».«n2».enabled=true", "server.port=8«i»",
                                     "«n».cache.ttl-seconds=«i»", "«n».«n2».id=«uuid»", "",
                                     "«n».artifact.sha256=«sha256»"])))
        elif fmt == "ini":
            lines.append(F.fill("[«n»_«n2»]"))
            for _ in range(g.i(2, 8)):
                lines.append(F.fill(g.c(["«n» = «i»", "«n»_url = «url»", "enabled = true", "name = «w»", "; «s»",
                                         "path = «path»", "retries = «i»", "host = «host»"])))
            lines.append("")
        elif fmt == "tf":
            lines += [F.fill(x) for x in g.c([
                ['resource "aws_s3_bucket" "«n»" {', '  bucket = "acme-«svc»-«env»"', "  tags = {", '    Team = "«n»"', '    Env  = "«env»"', "  }", "}"],
                ['variable "«n»_«n2»" {', '  type        = number', '  description = "«s»"', "  default     = «i»", "}"],
                ['module "«svc»" {', '  source  = "../modules/«n»"', '  name    = "«svc»"', "  replicas = «i»", '  image   = "ghcr.io/acme/«svc»:«ver»"', "}"],
                ['resource "aws_iam_role" "«n»" {', '  name               = "«svc»-«n»"', "  assume_role_policy = data.aws_iam_policy_document.«n».json", "}"],
                ['output "«n»_arn" {', "  value = aws_iam_role.«n».arn", "}"],
            ])]
            lines.append("")
        elif fmt == "docker":
            lines += [F.fill(x) for x in g.c([
                ["RUN apt-get update && apt-get install -y --no-install-recommends «w» ca-certificates \\", "    && rm -rf /var/lib/apt/lists/*"],
                ["ENV «E»=«i»"], ["COPY «n»/ /app/«n»/"], ["# «s»"], ["EXPOSE 8«i»"],
                ["RUN pip install --no-cache-dir -r requirements.txt"], ["LABEL org.opencontainers.image.revision=\"«sha1»\""],
            ])]
        elif fmt == "md":
            lines += [F.fill(x) for x in g.c([
                ["## «N» «v»", "", "«s». «s2». «s3».", ""],
                ["- «s»", "- «s2»", "- «s3»", ""],
                ["```bash", "curl -fsS «url» | jq .", "```", ""],
                ["| «n» | «n2» | «n3» |", "| --- | --- | --- |", "| «i» | «a» | «w» |", "| «i2» | «a2» | «w2» |", ""],
                ["See [«n» docs](«url») for details. «s».", ""],
                ["Pass the API key in the `X-Api-Key` header; tokens expire after «i» minutes.", ""],
                ["```bash", "git clone git@github.com:acme/«svc».git", "echo «sha256»  «n».tgz | sha256sum -c", "```", ""],
                [" ".join(g.r.choices(LOREM, k=g.i(20, 60))).capitalize() + ".", ""],
            ])]
        total += sum(len(x) + 1 for x in lines[start:])
        item += 1
    if fmt == "docker":
        lines += ["", F.fill("FROM «svc»-runtime:«ver»"), "COPY --from=build /src/app /app", 'ENTRYPOINT ["/app/server"]']
    return lines, marks


def gen_json(g: Rng, F: Filler, size: int, inserts: list) -> tuple[list[str], list[dict]]:
    """JSON: a config object or fixture records; inserted values go in through markers."""
    markers: dict[str, tuple[str, dict]] = {}
    fixture = g.p(0.5)

    def record():
        r = {"id": g.uuid(), F.fill("«n»"): F.fill("«w» «n»"), "email": g.email(), "status": g.c(ADJS),
             "createdAt": g.ts(), "count": g.i(0, 1000), "etag": g.sha1(), "tags": g.r.sample(LOREM, 3)}
        if g.p(0.2):
            r["checksum"] = g.sha256()
        if g.p(0.1):
            r["note_b64"] = g.b64text()
        return r

    def section():
        return {F.fill("«n»Url"): g.url(), "timeoutMs": g.i(100, 30000), "enabled": g.p(0.5),
                "description": g.sentence(), F.fill("«n»Id"): g.uuid(), "retries": g.i(0, 9)}

    items: list = []
    est = 0
    while est < size:
        it = record() if fixture else section()
        items.append(it)
        est += len(json.dumps(it, indent=2)) + 4
    for group in inserts:
        # Each group (from json_insert) goes into one object, its keys adjacent.
        tgt = items[g.i(0, len(items) - 1)]
        for key, val, mark in group:
            tag = f"@@M{len(markers)}@@"
            markers[tag] = (val, mark)
            k, n = key, 1
            while k in tgt:
                n += 1
                k = f"{key}{n}"
            tgt[k] = tag
    doc = {"data": items} if fixture else {F.fill("«n»"): {f"section{i}": s for i, s in enumerate(items)}}
    text = json.dumps(doc, indent=2)
    lines = text.split("\n")
    marks = []
    for i, ln in enumerate(lines):
        if "@@M" in ln:
            tag = re.search(r"@@M\d+@@", ln).group(0)
            val, mark = markers[tag]
            enc = json.dumps(val)[1:-1]
            lines[i] = ln.replace(tag, enc)
            marks.append(dict(mark, secret=enc, off=i, end=i))
    return lines, marks


def json_insert(g: Rng, kind: str, trap: bool) -> list:
    """[(key, value, mark)] for JSON files: keys that go into one object, in order."""
    if trap or kind == PAIR_KIND:
        # The same rendering as elsewhere, taken back apart into key and value.
        lines, marks = trap_snippet(g, "json", kind) if trap else secret_snippet(g, "json", kind)
        out = []
        for m in marks:
            key, _, rest = lines[m["off"]].partition(": ")
            out.append((json.loads(key), json.loads(rest.rstrip(",")), dict(kind=m["kind"], trap=True) if trap else dict(kind=m["kind"])))
        return out
    if kind == SA_KIND:
        doc, _ = gcp_sa(g)
        one = json.dumps(json.loads(doc), separators=(",", ":"))
        return [("serviceAccountJson", one, dict(kind=kind))]
    spec = SECRET_KINDS[kind]
    val = spec["gen"](g)
    key = style(g.c(spec["names"]), g.c(["camel", "snake"]))
    return [(key, val, dict(kind=kind))]


# --------------------------------------------------------------------------- layout

FMT_WEIGHTS = {"py": 14, "js": 7, "ts": 8, "go": 9, "java": 9, "rs": 6, "rb": 5, "sh": 4, "yaml": 10,
               "json": 9, "env": 2, "properties": 3, "ini": 2, "tf": 4, "docker": 1, "md": 7}
# Median file size (bytes) and the clamp.
FMT_SIZE = {"py": 14000, "js": 12000, "ts": 12000, "go": 14000, "java": 16000, "rs": 14000, "rb": 8000,
            "sh": 5000, "yaml": 6000, "json": 20000, "env": 1200, "properties": 2500, "ini": 2500, "tf": 6000,
            "docker": 1200, "md": 8000}
# How much likelier than code (per byte) a format is to hold a secret.
SECRET_AFFINITY = {"env": 10, "properties": 4, "ini": 4, "yaml": 2.5, "tf": 2.5, "docker": 3, "json": 1.2,
                   "md": 0.8, "sh": 1.5}
EXT = {"py": ".py", "js": ".js", "ts": ".ts", "go": ".go", "java": ".java", "rs": ".rs", "rb": ".rb", "sh": ".sh",
       "yaml": ".yaml", "json": ".json", "env": "", "properties": ".properties", "ini": ".ini", "tf": ".tf",
       "docker": "", "md": ".md"}


def make_path(g: Rng, fmt: str) -> str:
    svc, n, v = g.c(SERVICES), g.c(NOUNS), g.c(VERBS)
    if fmt == "py":
        return g.c([f"services/{svc}/{svc.replace('-', '_')}/{n}_{v}.py", f"services/{svc}/tests/test_{n}.py",
                    f"tools/{v}_{n}.py"])
    if fmt in ("js", "ts"):
        return g.c([f"web/{svc}/src/{n}/{v}{cap(n)}{EXT[fmt]}", f"web/{svc}/src/lib/{n}{EXT[fmt]}",
                    f"packages/{n}-{g.c(ADJS)}/src/index{EXT[fmt]}"])
    if fmt == "go":
        return g.c([f"services/{svc}/internal/{n}/{v}.go", f"services/{svc}/cmd/{svc}/main.go", f"pkg/{n}/{n}_{v}.go"])
    if fmt == "java":
        return f"services/{svc}/src/main/java/com/acme/{n}/{cap(n)}{g.c(CLASSES)}.java"
    if fmt == "rs":
        return g.c([f"crates/{n}-{g.c(ADJS)}/src/{v}.rs", f"crates/{svc}/src/{n}.rs"])
    if fmt == "rb":
        return g.c([f"apps/{svc}/app/{g.c(['models', 'controllers', 'services', 'jobs'])}/{n}_{v}.rb",
                    f"apps/{svc}/config/initializers/{n}.rb"])
    if fmt == "sh":
        return g.c([f"scripts/{v}-{n}.sh", f"services/{svc}/bin/{v}.sh", f"ci/{v}-{n}.sh"])
    if fmt == "yaml":
        return g.c([f"deploy/k8s/{svc}/{g.c(['deployment', 'values', 'configmap', 'secrets'])}.yaml",
                    f"services/{svc}/config/{g.c(ENVS)}.yaml", f".github/workflows/{v}-{n}.yml",
                    f"deploy/compose/{svc}.yml", f"ansible/group_vars/{g.c(ENVS)}/{n}.yml"])
    if fmt == "json":
        return g.c([f"services/{svc}/config/{g.c(ENVS)}.json", f"fixtures/{n}s.json", f"web/{svc}/src/data/{n}.json"])
    if fmt == "env":
        return g.c([f"services/{svc}/.env.{g.c(ENVS)}", f"services/{svc}/.env", f"deploy/{svc}/{g.c(ENVS)}.env"])
    if fmt == "properties":
        return f"services/{svc}/src/main/resources/application-{g.c(ENVS)}.properties"
    if fmt == "ini":
        return g.c([f"config/{n}.ini", f"services/{svc}/setup.cfg", f"deploy/{svc}/{n}.cfg", f"config/aws/{svc}.credentials.ini"])
    if fmt == "tf":
        return f"infra/terraform/{g.c(['modules', 'envs/' + g.c(ENVS)])}/{n}/{g.c(['main', 'variables', 'outputs', n])}.tf"
    if fmt == "docker":
        return g.c([f"services/{svc}/Dockerfile", f"services/{svc}/Dockerfile.{g.c(['dev', 'ci', 'prod'])}", f"images/{n}/Dockerfile"])
    if fmt == "md":
        return g.c([f"docs/{n}/{v}-{n}.md", f"services/{svc}/README.md", f"docs/runbooks/{v}-{svc}.md"])
    raise ValueError(fmt)


def wchoice(g: Rng, weights: dict) -> str:
    keys = list(weights)
    return g.r.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--size-mb", type=float, default=100.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--manifest", help="manifest path (default OUT_DIR/manifest.jsonl)")
    ap.add_argument("--kb-per-secret", type=float, default=72.0)
    ap.add_argument("--kb-per-trap", type=float, default=150.0)
    args = ap.parse_args()

    g = Rng(args.seed)
    F = Filler(g)
    target = int(args.size_mb * 1024 * 1024)
    out = args.out_dir
    os.makedirs(out, exist_ok=True)
    manifest_path = args.manifest or os.path.join(out, "manifest.jsonl")

    # 1. The file plan: (path, fmt, size), and dedicated key/credential files.
    plan: list[list] = []
    used: dict[str, int] = {}
    total = 0
    dedicated_every = 2_500_000
    next_dedicated = dedicated_every
    while total < target:
        fmt = wchoice(g, FMT_WEIGHTS)
        size = int(min(max(g.r.lognormvariate(0, 0.8) * FMT_SIZE[fmt], 300), 40 * FMT_SIZE[fmt], 2_000_000))
        path = base = make_path(g, fmt)
        while path in used:
            used[base] += 1
            stem, ext = os.path.splitext(base)
            path = f"{stem}_{used[base]}{ext}"
        used[path] = 1
        used.setdefault(base, 1)
        plan.append([path, fmt, size, [], []])
        total += size
        if total >= next_dedicated:
            next_dedicated += dedicated_every
            plan.append([None, "dedicated", 0, [], []])

    # 2. Assign secrets and traps to files, weighted by size and format affinity.
    n_secrets = max(1, round(target / (args.kb_per_secret * 1024)))
    n_traps = max(1, round(target / (args.kb_per_trap * 1024)))
    normal = [p for p in plan if p[1] != "dedicated"]
    sw = [p[2] * SECRET_AFFINITY.get(p[1], 1.0) for p in normal]
    tw = [p[2] * (1.5 if p[1] in ("yaml", "env", "properties", "ini", "tf") else 1.0) for p in normal]
    for _ in range(n_secrets):
        p = g.r.choices(normal, weights=sw, k=1)[0]
        ok = {k: w for k, w in KIND_WEIGHTS.items() if w > 0}
        if p[1] not in MULTI_FMTS and p[1] != "json":
            for k in list(ok):
                if SECRET_KINDS.get(k, {}).get("multi"):
                    del ok[k]
        if p[1] not in SA_FMTS and p[1] != "json":
            ok.pop(SA_KIND, None)
        p[3].append(wchoice(g, ok))
    trap_kinds = dict(TRAP_WEIGHTS)
    for _ in range(n_traps):
        p = g.r.choices(normal, weights=tw, k=1)[0]
        p[4].append(wchoice(g, trap_kinds))

    manifest: list[dict] = []
    files = 0
    written = 0
    key_no = 0
    written_paths: set[str] = set()
    for path, fmt, size, sec_kinds, trap_kinds_f in plan:
        if fmt == "dedicated":
            key_no += 1
            choice = g.c(["rsa", "pkcs8", "ec", "openssh", "sa", "sa", "cert", "pub", "sshpub"])
            svc = g.c(SERVICES)
            if choice == "sa":
                doc, _ = gcp_sa(g)
                path = f"deploy/{svc}/gcp-{g.c(['sa', 'credentials', 'key'])}-{key_no}.json"
                lines = doc.split("\n")
                marks = [dict(off=0, end=len(lines) - 1, kind=SA_KIND, secret=doc)]
            elif choice in ("rsa", "pkcs8", "ec", "openssh"):
                kind = {"rsa": "private-key-rsa", "pkcs8": "private-key-pkcs8", "ec": "private-key-ec", "openssh": "private-key-openssh"}[choice]
                text = SECRET_KINDS[kind]["gen"](g)
                name = {"rsa": f"{svc}-{key_no}.key", "pkcs8": f"tls-{key_no}.key", "ec": f"apns-{key_no}.pem", "openssh": f"id_ed25519_{key_no}"}[choice]
                path = f"deploy/keys/{svc}/{name}"
                lines = text.split("\n")
                marks = [dict(off=0, end=len(lines) - 1, kind=kind, secret=text)]
            else:
                if choice == "sshpub":
                    path = f"deploy/keys/{svc}/id_ed25519_{key_no}.pub"
                    lines = [f"ssh-ed25519 {base64.b64encode(ssh_str(b'ssh-ed25519') + ssh_str(g.bytes(32))).decode()} deploy@{svc}"]
                    marks = [dict(off=0, end=0, kind="ssh-public-key", secret=lines[0].split()[1], trap=True)]
                else:
                    text = cert_pem(g) if choice == "cert" else pubkey_pem(g)
                    kind = "certificate-pem" if choice == "cert" else "public-key-pem"
                    path = f"deploy/certs/{svc}/{'ca' if choice == 'cert' else 'jwt-public'}-{key_no}.pem"
                    lines = text.split("\n")
                    marks = [dict(off=0, end=len(lines) - 1, kind=kind, secret=text, trap=True)]
        else:
            if fmt == "json":
                ins = [json_insert(g, k, False) for k in sec_kinds] + [json_insert(g, k, True) for k in trap_kinds_f]
                g.r.shuffle(ins)
                lines, marks = gen_json(g, F, size, ins)
            else:
                ins = [secret_snippet(g, fmt, k) for k in sec_kinds] + [trap_snippet(g, fmt, k) for k in trap_kinds_f]
                g.r.shuffle(ins)
                if fmt in CODE_FMTS:
                    lines, marks = gen_code(g, F, fmt, size, ins)
                else:
                    lines, marks = gen_config(g, F, fmt, size, ins)
        text = "\n".join(lines) + "\n"
        # Self-check: every mark points at its value.
        for m in marks:
            first = m["secret"].split("\n")[0]
            last = m["secret"].split("\n")[-1]
            if first not in lines[m["off"]] or last not in lines[m["end"]]:
                raise AssertionError(f"{path}:{m['off'] + 1}: {m['kind']} not on its line: {lines[m['off']]!r}")
            entry = {"file": path, "line": m["off"] + 1, "end_line": m["end"] + 1, "kind": m["kind"], "secret": m["secret"]}
            if m.get("trap"):
                entry["trap"] = True
            manifest.append(entry)
        if path in written_paths:
            raise AssertionError(f"{path} written twice")
        written_paths.add(path)
        full = os.path.join(out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        files += 1
        written += len(text.encode())

    os.makedirs(os.path.dirname(os.path.abspath(manifest_path)), exist_ok=True)
    with open(manifest_path, "w", encoding="utf-8") as fh:
        for e in manifest:
            fh.write(json.dumps(e, sort_keys=True) + "\n")
    secrets = [e for e in manifest if not e.get("trap")]
    traps = [e for e in manifest if e.get("trap")]
    by_kind: dict[str, int] = {}
    for e in secrets:
        by_kind[e["kind"]] = by_kind.get(e["kind"], 0) + 1
    tby: dict[str, int] = {}
    for e in traps:
        tby[e["kind"]] = tby.get(e["kind"], 0) + 1
    print(f"corpus: {files} files, {written / 1048576:.1f} MiB ({written / 1e6:.1f} MB), {len(secrets)} secrets "
          f"({len(by_kind)} kinds), {len(traps)} traps ({len(tby)} kinds) in {out}; manifest {manifest_path}")
    print("secrets by kind: " + ", ".join(f"{k}={v}" for k, v in sorted(by_kind.items())))
    print("traps by kind:   " + ", ".join(f"{k}={v}" for k, v in sorted(tby.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
