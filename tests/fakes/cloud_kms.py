#!/usr/bin/env python3
"""A local stand-in for GCP Cloud KMS and Azure Key Vault (no emulator of either runs
offline). It checks each request against the shape the services document and answers
as they do; anything else gets the service's error answer, so a client that builds a
wrong request fails its round trip.

GCP (https://cloud.google.com/kms/docs/reference/rest/v1/projects.locations.keyRings.cryptoKeys):
  POST /v1/projects/P/locations/L/keyRings/R/cryptoKeys/K:encrypt  {"plaintext": std-base64}
  POST /v1/...:decrypt  {"ciphertext": std-base64}
  Authorization: Bearer <token>; JSON body; unknown fields are refused.
  POST /token  (OAuth2 refresh of an authorized_user credential, JSON or form body:
  grant_type=refresh_token, client_id, client_secret, refresh_token) -> access_token
GCP Secret Manager (https://cloud.google.com/secret-manager/docs/reference/rest):
  POST /v1/projects/P/secrets?secretId=ID  Secret {"replication": {...}} (409 if it exists)
  POST /v1/projects/P/secrets/S:addVersion  {"payload": {"data": base64[, "dataCrc32c"]}}
  GET  /v1/projects/P/secrets/S/versions/(latest|N):access
  GET  /v1/projects/P/secrets?pageSize&pageToken&filter=name:TEXT   (secrets, nextPageToken)
  DELETE /v1/projects/P/secrets/S
  Project "denied" answers 403 PERMISSION_DENIED. GET /_gcp_secrets dumps the store.
Azure (https://learn.microsoft.com/rest/api/keyvault/keys/encrypt):
  POST /{tenant}/oauth2/v2.0/token  (client credentials, scope https://vault.azure.net/.default)
  POST /keys/NAME[/VERSION]/encrypt?api-version=7.x or 2025-07-01  {"alg": "RSA-OAEP-256", "value": base64url}
  POST /keys/NAME/VERSION/decrypt?api-version=7.x
Azure Key Vault secrets (https://learn.microsoft.com/rest/api/keyvault/secrets):
  PUT /secrets/NAME?api-version  {"value": ...[, "contentType", "attributes", "tags"]}
  GET /secrets/NAME/[VERSION]?api-version, GET /secrets?api-version[&maxresults] (nextLink)
  DELETE /secrets/NAME (soft delete: PUT answers 409 until
  POST /deletedsecrets/NAME/recover). Names ^[0-9a-zA-Z-]{1,127}$; names starting with
  DENIED answer 403 Forbidden. GET /_azure_secrets dumps the store.
The "ciphertext" is bound to the key (a wrong key is refused) and never holds the
plaintext in the clear. GET /_requests returns how many key operations were served.

Azure's clients authenticate only over HTTPS and learn the token scope from the
vault's challenge (401 + WWW-Authenticate on a first request sent without a body), so
with --tls CA_FILE the fake serves HTTPS with a certificate for 127.0.0.1 from a fresh
CA, written to CA_FILE (PEM) for the client to trust (SSL_CERT_FILE).

Usage: cloud_kms.py PORT [--tls CA_FILE]
"""

import base64
import hashlib
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

GCP_TOKEN = "fake-gcp-token"
GCP_USER = ("gcp-client.apps.googleusercontent.com", "gcp-client-secret", "gcp-refresh-token")
AZURE_CLIENT = ("sealbox-client", "sealbox-secret")
AZURE_TOKEN = "fake-azure-token"
AZURE_VERSION = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"

GCP_PATH = re.compile(
    r"^/v1/(projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/:]+):(encrypt|decrypt)$"
)
# Azure's SDK leaves the version segment empty ("/keys/NAME//encrypt") for the current one.
AZURE_PATH = re.compile(r"^/keys/([A-Za-z0-9-]+)(?:/([0-9a-f]{32})?)?/(encrypt|decrypt)$")
TOKEN_PATH = re.compile(r"^/([^/]+)/oauth2/v2\.0/token$")

SM_SECRET = re.compile(r"^/v1/(projects/([^/]+))/secrets$")
SM_ADD = re.compile(r"^/v1/(projects/([^/]+)/secrets/([^/:]+)):addVersion$")
SM_ACCESS = re.compile(r"^/v1/(projects/([^/]+)/secrets/([^/:]+))/versions/([^/:]+):access$")
SM_ONE = re.compile(r"^/v1/(projects/([^/]+)/secrets/([^/:]+))$")
SM_ID = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
SM_STORE = {}  # name -> list of payload bytes (versions 1..n)

KV_SECRET = re.compile(r"^/secrets/([^/]+)(?:/([0-9a-f]*))?/?$")
KV_LIST = re.compile(r"^/secrets/?$")
KV_RECOVER = re.compile(r"^/deletedsecrets/([^/]+)/recover$")
KV_NAME = re.compile(r"^[0-9a-zA-Z-]{1,127}$")
KV_STORE = {}  # name -> {"versions": [(version, value)], "deleted": bool}

SCHEME = "http"
LOCK = threading.Lock()
COUNT = {"ops": 0}


def keystream(seed, n):
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(seed + i.to_bytes(4, "big")).digest()
        i += 1
    return out[:n]


def seal(key_id, plain, size=None):
    tag = hashlib.sha256(key_id.encode()).digest()[:8]
    nonce = os.urandom(16)
    body = bytes(a ^ b for a, b in zip(plain, keystream(nonce + key_id.encode(), len(plain))))
    out = b"FAKE" + tag + nonce + bytes([len(plain)]) + body
    if size:
        out += os.urandom(size - len(out))
    return out


def unseal(key_id, blob):
    tag = hashlib.sha256(key_id.encode()).digest()[:8]
    if len(blob) < 29 or blob[:4] != b"FAKE" or blob[4:12] != tag:
        return None
    nonce, n = blob[12:28], blob[28]
    body = blob[29 : 29 + n]
    return bytes(a ^ b for a, b in zip(body, keystream(nonce + key_id.encode(), n)))


def std_b64(s):
    if not isinstance(s, str) or not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", s) or len(s) % 4:
        return None
    return base64.b64decode(s)


def url_b64(s):
    if not isinstance(s, str) or not re.fullmatch(r"[A-Za-z0-9_-]*", s):
        return None
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64url(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, obj, headers=()):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def gcp_error(self, status, name, message):
        self.answer(status, {"error": {"code": status, "message": message, "status": name}})

    def azure_error(self, status, code, message, headers=()):
        self.answer(status, {"error": {"code": code, "message": message}}, headers)

    def do_GET(self):
        url = urlsplit(self.path)
        if self.path == "/_requests":
            with LOCK:
                self.answer(200, {"ops": COUNT["ops"]})
        elif self.path == "/_gcp_secrets":
            with LOCK:
                self.answer(200, {n: [v.decode("utf-8", "replace") for v in vs] for n, vs in SM_STORE.items()})
        elif self.path == "/_azure_secrets":
            with LOCK:
                self.answer(200, {n: [v for _, v in e["versions"]] for n, e in KV_STORE.items() if not e["deleted"]})
        elif SM_ACCESS.match(url.path) or SM_SECRET.match(url.path):
            self.secret_manager("GET", url, b"")
        elif KV_LIST.match(url.path) or KV_SECRET.match(url.path):
            self.key_vault_secrets("GET", url, b"")
        else:
            self.answer(404, {"error": "not found"})

    def do_DELETE(self):
        url = urlsplit(self.path)
        if SM_ONE.match(url.path):
            return self.secret_manager("DELETE", url, b"")
        if KV_SECRET.match(url.path):
            return self.key_vault_secrets("DELETE", url, b"")
        self.answer(404, {"error": "not found"})

    def do_PUT(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        url = urlsplit(self.path)
        if KV_SECRET.match(url.path):
            return self.key_vault_secrets("PUT", url, raw)
        self.answer(404, {"error": "not found"})

    def key_vault_secrets(self, method, url, raw):
        """Key Vault secrets, as the REST reference documents them."""
        query = parse_qs(url.query)
        if not re.fullmatch(r"7\.\d+|20\d\d-\d\d-\d\d(-preview)?", (query.get("api-version") or [""])[0]):
            return self.azure_error(400, "MissingApiVersionParameter", "api-version is required")
        if self.headers.get("Authorization") != f"Bearer {AZURE_TOKEN}":
            return self.azure_error(
                401,
                "Unauthorized",
                "AKV10000: Request is missing a Bearer or PoP token.",
                [("WWW-Authenticate", 'Bearer authorization="https://login.microsoftonline.com/t", resource="https://vault.azure.net"')],
            )
        base = f"{SCHEME}://{self.headers.get('Host')}"
        if method == "GET" and KV_LIST.match(url.path):
            size = int((query.get("maxresults") or ["25"])[0])
            if not 1 <= size <= 25:
                return self.azure_error(400, "BadParameter", "maxresults must be 1 to 25")
            start = int((query.get("$skiptoken") or ["0"])[0])
            with LOCK:
                names = sorted(n for n, e in KV_STORE.items() if not e["deleted"])
            page = names[start : start + size]
            out = {"value": [{"id": f"{base}/secrets/{n}", "attributes": {"enabled": True, "created": 1767225600, "updated": 1767225600, "recoveryLevel": "Recoverable+Purgeable"}} for n in page], "nextLink": None}
            if start + size < len(names):
                out["nextLink"] = f"{base}/secrets?api-version={query['api-version'][0]}&maxresults={size}&$skiptoken={start + size}"
            return self.answer(200, out)
        m = KV_RECOVER.match(url.path) or KV_SECRET.match(url.path)
        name = m.group(1)
        if not KV_NAME.match(name):
            return self.azure_error(400, "BadParameter", "The request URI contains an invalid name: " + name)
        if name.startswith("DENIED"):
            return self.azure_error(403, "Forbidden", "The user, group or application does not have secrets permission on key vault.")
        with LOCK:
            entry = KV_STORE.get(name)
            if method == "PUT":
                body = self.json_body(raw)
                if body is None or not isinstance(body.get("value"), str) or set(body) - {"value", "contentType", "attributes", "tags"}:
                    return self.azure_error(400, "BadParameter", "value is required")
                if entry and entry["deleted"]:
                    return self.azure_error(409, "Conflict", f"Secret {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.")
                entry = entry or {"versions": [], "deleted": False}
                version = hashlib.sha256(f"{name}{len(entry['versions'])}".encode()).hexdigest()[:32]
                entry["versions"].append((version, body["value"]))
                KV_STORE[name] = entry
                return self.answer(200, {"value": body["value"], "id": f"{base}/secrets/{name}/{version}", "attributes": {"enabled": True, "created": 1767225600, "updated": 1767225600, "recoveryLevel": "Recoverable+Purgeable"}})
            if method == "POST":
                if not entry or not entry["deleted"]:
                    return self.azure_error(404, "SecretNotFound", f"Deleted Secret not found: {name}")
                entry["deleted"] = False
                version = entry["versions"][-1][0]
                return self.answer(200, {"id": f"{base}/secrets/{name}/{version}", "attributes": {"enabled": True}})
            if not entry or entry["deleted"]:
                return self.azure_error(404, "SecretNotFound", f"A secret with (name/id) {name} was not found in this key vault.")
            version = m.group(2) if method == "GET" and m.lastindex and m.lastindex >= 2 and m.group(2) else entry["versions"][-1][0]
            found = [v for ver, v in entry["versions"] if ver == version]
            if not found:
                return self.azure_error(404, "SecretNotFound", f"A secret with (name/id) {name}/{version} was not found in this key vault.")
            if method == "DELETE":
                entry["deleted"] = True
                return self.answer(200, {"recoveryId": f"{base}/deletedsecrets/{name}", "id": f"{base}/secrets/{name}/{version}", "attributes": {"enabled": True}, "deletedDate": 1767225600, "scheduledPurgeDate": 1774915200})
            return self.answer(200, {"value": found[0], "id": f"{base}/secrets/{name}/{version}", "attributes": {"enabled": True, "created": 1767225600, "updated": 1767225600}})

    def secret_manager(self, method, url, raw):
        """GCP Secret Manager v1, as its REST reference documents it."""
        if self.headers.get("Authorization") != f"Bearer {GCP_TOKEN}":
            return self.gcp_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        m = SM_SECRET.match(url.path) or SM_ADD.match(url.path) or SM_ACCESS.match(url.path) or SM_ONE.match(url.path)
        if m.group(2) == "denied":
            return self.gcp_error(403, "PERMISSION_DENIED", "Permission 'secretmanager.versions.access' denied for resource (or it may not exist).")
        query = parse_qs(url.query)
        if method == "GET" and SM_SECRET.match(url.path):
            parent = m.group(1)
            size = int((query.get("pageSize") or ["25000"])[0] or 25000)
            start = int((query.get("pageToken") or ["0"])[0] or 0)
            flt = (query.get("filter") or [""])[0]
            if flt and not flt.startswith("name:"):
                return self.gcp_error(400, "INVALID_ARGUMENT", "this fake filters on name: only")
            with LOCK:
                names = sorted(n for n in SM_STORE if n.startswith(parent + "/secrets/") and flt[5:] in n.rsplit("/", 1)[1])
            page = names[start : start + max(1, min(size, 25000))]
            out = {"secrets": [{"name": n, "replication": {"automatic": {}}, "createTime": "2026-01-01T00:00:00Z"} for n in page], "totalSize": len(names)}
            if start + len(page) < len(names):
                out["nextPageToken"] = str(start + len(page))
            return self.answer(200, out)
        if method == "POST" and SM_SECRET.match(url.path):
            sid = (query.get("secretId") or [""])[0]
            body = self.json_body(raw)
            if not SM_ID.match(sid):
                return self.gcp_error(400, "INVALID_ARGUMENT", "secretId must match [a-zA-Z0-9_-]{1,255}")
            if body is None or "replication" not in body or set(body) - {"replication", "labels", "annotations", "name"}:
                return self.gcp_error(400, "INVALID_ARGUMENT", "Secret.replication is required")
            name = f"{m.group(1)}/secrets/{sid}"
            with LOCK:
                if name in SM_STORE:
                    return self.gcp_error(409, "ALREADY_EXISTS", f"Secret [{name}] already exists.")
                SM_STORE[name] = []
            return self.answer(200, {"name": name, "replication": body["replication"], "createTime": "2026-01-01T00:00:00Z"})
        if method == "POST" and SM_ADD.match(url.path):
            name = m.group(1)
            body = self.json_body(raw)
            if body is None or set(body) - {"payload", "parent"} or not isinstance(body.get("payload"), dict):
                return self.gcp_error(400, "INVALID_ARGUMENT", "payload is required")
            if body.get("parent") not in (None, name):
                return self.gcp_error(400, "INVALID_ARGUMENT", "parent does not match the path")
            payload = body["payload"]
            if set(payload) - {"data", "dataCrc32c"}:
                return self.gcp_error(400, "INVALID_ARGUMENT", "unknown payload field")
            raw_data = payload.get("data", "")
            data = std_b64(raw_data) if std_b64(raw_data) is not None else url_b64(raw_data.rstrip("=") if isinstance(raw_data, str) else None)
            if data is None:
                return self.gcp_error(400, "INVALID_ARGUMENT", "Invalid value at 'payload.data' (TYPE_BYTES)")
            if len(data) > 65536:
                return self.gcp_error(400, "INVALID_ARGUMENT", "Secret payload data length must be less than 65536 bytes.")
            with LOCK:
                if name not in SM_STORE:
                    return self.gcp_error(404, "NOT_FOUND", f"Secret [{name}] not found or has no versions.")
                SM_STORE[name].append(data)
                n = len(SM_STORE[name])
            return self.answer(200, {"name": f"{name}/versions/{n}", "createTime": "2026-01-01T00:00:00Z", "state": "ENABLED"})
        if method == "GET" and SM_ACCESS.match(url.path):
            name, version = m.group(1), m.group(4)
            with LOCK:
                versions = SM_STORE.get(name)
                if not versions:
                    return self.gcp_error(404, "NOT_FOUND", f"Secret [{name}] not found or has no versions.")
                n = len(versions) if version == "latest" else int(version) if version.isdigit() else 0
                if not 1 <= n <= len(versions):
                    return self.gcp_error(404, "NOT_FOUND", f"Secret Version [{name}/versions/{version}] not found.")
                data = versions[n - 1]
            return self.answer(200, {"name": f"{name}/versions/{n}", "payload": {"data": base64.b64encode(data).decode()}})
        if method == "DELETE" and SM_ONE.match(url.path):
            with LOCK:
                if SM_STORE.pop(m.group(1), None) is None:
                    return self.gcp_error(404, "NOT_FOUND", f"Secret [{m.group(1)}] not found.")
            return self.answer(200, {})
        return self.gcp_error(404, "NOT_FOUND", "no such method")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        url = urlsplit(self.path)
        if TOKEN_PATH.match(url.path):
            return self.token(raw)
        if url.path == "/token":
            return self.gcp_token(raw)
        m = GCP_PATH.match(url.path)
        if m:
            return self.gcp(m.group(1), m.group(2), raw)
        if SM_SECRET.match(url.path) or SM_ADD.match(url.path):
            return self.secret_manager("POST", url, raw)
        if KV_RECOVER.match(url.path):
            return self.key_vault_secrets("POST", url, raw)
        m = AZURE_PATH.match(url.path)
        if m:
            return self.azure(m.group(1), m.group(2), m.group(3), parse_qs(url.query), raw)
        self.answer(404, {"error": {"code": 404, "message": f"no such method {url.path}"}})

    def json_body(self, raw):
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            return None
        try:
            body = json.loads(raw)
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def gcp(self, key_id, op, raw):
        if self.headers.get("Authorization") != f"Bearer {GCP_TOKEN}":
            return self.gcp_error(
                401, "UNAUTHENTICATED", "Request had invalid authentication credentials."
            )
        body = self.json_body(raw)
        field = "plaintext" if op == "encrypt" else "ciphertext"
        allowed = {field, "additionalAuthenticatedData", f"{field}Crc32c"}
        if body is None or field not in body or set(body) - allowed:
            extra = sorted(set(body or {}) - allowed)
            return self.gcp_error(
                400, "INVALID_ARGUMENT", f"Invalid JSON payload: {field} required, unknown {extra}"
            )
        data = std_b64(body[field])
        if data is None:
            return self.gcp_error(400, "INVALID_ARGUMENT", f"Invalid value at '{field}' (TYPE_BYTES)")
        with LOCK:
            COUNT["ops"] += 1
        if op == "encrypt":
            if len(data) > 65536:
                return self.gcp_error(400, "INVALID_ARGUMENT", "plaintext too large")
            ct = seal(key_id, data)
            return self.answer(
                200,
                {
                    "name": key_id + "/cryptoKeyVersions/1",
                    "ciphertext": base64.b64encode(ct).decode(),
                    "protectionLevel": "SOFTWARE",
                },
            )
        plain = unseal(key_id, data)
        if plain is None:
            return self.gcp_error(400, "INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid.")
        return self.answer(200, {"plaintext": base64.b64encode(plain).decode()})

    def gcp_token(self, raw):
        ctype = self.headers.get("Content-Type") or ""
        if ctype.startswith("application/json"):
            form = self.json_body(raw) or {}
        elif ctype.startswith("application/x-www-form-urlencoded"):
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        else:
            return self.answer(400, {"error": "invalid_request"})
        if form.get("grant_type") != "refresh_token":
            return self.answer(400, {"error": "unsupported_grant_type"})
        if (form.get("client_id"), form.get("client_secret"), form.get("refresh_token")) != GCP_USER:
            return self.answer(400, {"error": "invalid_grant", "error_description": "Bad Request"})
        return self.answer(
            200, {"access_token": GCP_TOKEN, "expires_in": 3599, "token_type": "Bearer"}
        )

    def token(self, raw):
        if not (self.headers.get("Content-Type") or "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return self.answer(400, {"error": "invalid_request"})
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        if form.get("grant_type") != "client_credentials":
            return self.answer(400, {"error": "unsupported_grant_type"})
        if (form.get("client_id"), form.get("client_secret")) != AZURE_CLIENT:
            return self.answer(401, {"error": "invalid_client"})
        if form.get("scope") != "https://vault.azure.net/.default":
            return self.answer(400, {"error": "invalid_scope"})
        return self.answer(
            200, {"token_type": "Bearer", "expires_in": 3599, "access_token": AZURE_TOKEN}
        )

    def azure(self, name, version, op, query, raw):
        if not re.fullmatch(r"7\.\d+|20\d\d-\d\d-\d\d(-preview)?", (query.get("api-version") or [""])[0]):
            return self.azure_error(400, "MissingApiVersionParameter", "api-version is required")
        if self.headers.get("Authorization") != f"Bearer {AZURE_TOKEN}":
            return self.azure_error(
                401,
                "Unauthorized",
                "AKV10000: Request is missing a Bearer or PoP token.",
                [("WWW-Authenticate", 'Bearer authorization="https://login.microsoftonline.com/t", resource="https://vault.azure.net"')],
            )
        body = self.json_body(raw)
        if body is None or set(body) != {"alg", "value"}:
            return self.azure_error(400, "BadParameter", "alg and value are required")
        if body["alg"] != "RSA-OAEP-256":
            return self.azure_error(400, "BadParameter", "this key takes RSA-OAEP-256")
        data = url_b64(body["value"])
        if data is None:
            return self.azure_error(400, "BadParameter", "value is not base64url")
        if op == "decrypt" and version is None:
            return self.azure_error(400, "BadParameter", "decrypt needs a key version")
        version = version or AZURE_VERSION
        if version != AZURE_VERSION:
            return self.azure_error(404, "KeyNotFound", f"A key with (name/id) {name}/{version} was not found")
        key_id = f"{name}/{version}"
        kid = f"{SCHEME}://{self.headers.get('Host')}/keys/{key_id}"
        with LOCK:
            COUNT["ops"] += 1
        if op == "encrypt":
            if len(data) > 190:
                return self.azure_error(400, "BadParameter", "plaintext too long for RSA-OAEP-256")
            return self.answer(200, {"kid": kid, "value": b64url(seal(key_id, data, 256))})
        plain = unseal(key_id, data)
        if plain is None or len(data) != 256:
            return self.azure_error(400, "BadParameter", "Bad Request: decryption failed")
        return self.answer(200, {"kid": kid, "value": b64url(plain)})


def tls_context(ca_file):
    """A CA and a server certificate for 127.0.0.1/localhost signed by it."""
    import datetime
    import ipaddress
    import ssl
    import tempfile

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sealbox test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = lambda c: c.public_bytes(serialization.Encoding.PEM)
    tmp = tempfile.mkdtemp()
    with open(os.path.join(tmp, "cert.pem"), "wb") as f:
        f.write(pem(cert))
    with open(os.path.join(tmp, "key.pem"), "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem"))
    with open(ca_file + ".tmp", "wb") as f:
        f.write(pem(ca))
    os.replace(ca_file + ".tmp", ca_file)
    return ctx


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    if len(sys.argv) == 4 and sys.argv[2] == "--tls":
        SCHEME = "https"
        server.socket = tls_context(sys.argv[3]).wrap_socket(server.socket, server_side=True)
    server.serve_forever()
