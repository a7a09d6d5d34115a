#!/usr/bin/env python3
"""A labelled corpus of the credential files and config idioms real repositories leak.

    python3 benches/realworld_corpus.py OUT_DIR [--copies 6] [--seed 1] [--manifest PATH]

Writes, under OUT_DIR, COPIES small "repositories" (dotfiles and application trees), each
holding the files real repositories are full of: .netrc/_netrc, .pgpass, .git-credentials,
.htpasswd, shadow and ProFTPD/vsftpd password files, .my.cnf, .s3cfg, .boto, mail-client
rc files (.msmtprc, .esmtprc, .muttrc, .fetchmailrc, .offlineimaprc), .pypirc, .npmrc,
.yarnrc.yml, Docker config.json/.dockercfg, Maven settings.xml, NuGet.Config,
.gem/credentials, FileZilla sitemanager.xml/recentservers.xml, WinSCP.ini, Sublime/VS
Code/Atom SFTP configs, JetBrains WebServers.xml, Robo 3T/DBeaver connection files,
tomcat-users.xml, game and voice server configs, wp-config.php, CodeIgniter
database.php, Laravel .env and config/database.php, Django settings.py, Rails
master.key/secrets.yml/database.yml/mongoid.yml, Spring application.properties/.yml,
Symfony parameters.yml, JS login calls, SQL dumps (INSERT of user rows with password
hashes, CREATE USER / GRANT … IDENTIFIED BY, CREATE ROLE … PASSWORD), Firefox
logins.json and a browser CSV export, private keys (PEM, OpenSSH, PuTTY .ppk, PGP
armored, PKCS#12 and JKS by name). Every file mixes credential lines with what sits
beside them in practice and is not a credential: comments, template placeholders
(wp-config-sample's "password_here"), `${VAR}`/`%(ENV)s`/`<%= ENV[...] %>` references,
empty values, public keys and certificates, checksums, locked shadow entries.

The formats follow each tool's public documentation; all values are random (the same
seed gives the same bytes). Passwords are a mix of random strings, tokens and human-
style passwords ("Summer2019!"), a few of them weak: a real .netrc with a weak password
is still a leak, so those are labelled too.

Manifest (JSON lines, written outside OUT_DIR by the bench): one object per line that
holds a credential, {"file", "line", "end_line", "kind", "secret"}; a multi-line key
spans line..end_line (its first line is where scanners report); a binary key container
has "line": 1 and "file_level": true (any finding in the file counts).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import random
import string
import struct

LO, UP, DIG = string.ascii_lowercase, string.ascii_uppercase, string.digits
ALNUM = LO + UP + DIG
CRYPT = "./" + DIG + UP + LO
B64 = UP + LO + DIG + "+/"
HEX = "0123456789abcdef"

WORDS = ("summer winter autumn spring dragon falcon tiger coffee mustang purple orange "
         "silver shadow rocket galaxy pepper monkey sunshine thunder harbor velvet maple "
         "lemon cactus comet pirate bishop castle marble copper walnut").split()
HOSTS = ("db.internal", "pg01.prod.lan", "mysql.acme-corp.net", "10.0.3.17", "ftp.example-host.org",
         "files.studio-nine.io", "git.teamforge.dev", "build.lan", "backup.home.arpa", "mx.mailhost.net")
USERS = ("admin", "deploy", "webmaster", "jenkins", "app", "backup", "dev", "ops", "alice", "bob",
         "mark.t", "sysop", "ftpuser", "postgres", "root")


class G:
    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def c(self, xs):
        return self.r.choice(xs)

    def s(self, alphabet, n):
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def p(self, x):
        return self.r.random() < x

    def i(self, a, b):
        return self.r.randint(a, b)

    def bytes(self, n):
        return bytes(self.r.getrandbits(8) for _ in range(n))

    def password(self):
        """A password as people and generators pick them."""
        k = self.r.random()
        if k < 0.35:
            return self.s(ALNUM, self.i(10, 20))
        if k < 0.55:
            return self.s(ALNUM + "!@#%^&*-_+=", self.i(12, 24))
        if k < 0.85:
            w = self.c(WORDS)
            w = w.capitalize() if self.p(0.6) else w
            return w + str(self.i(1, 2025)) + (self.c("!@#$.") if self.p(0.5) else "")
        if k < 0.93:
            return self.c(WORDS) + self.c(WORDS) + str(self.i(1, 99))
        return self.c(("Passw0rd!", "Welcome1", "qwerty123", "admin2020", "letmein!", "root123"))

    def token(self, n=40):
        return self.s(ALNUM, n)

    def host(self):
        return self.c(HOSTS)

    def user(self):
        return self.c(USERS)


def pem(label, der):
    b = base64.b64encode(der).decode()
    return [f"-----BEGIN {label}-----"] + [b[i:i + 64] for i in range(0, len(b), 64)] + [f"-----END {label}-----"]


def der_seq(body: bytes) -> bytes:
    n = len(body)
    if n < 128:
        return b"\x30" + bytes([n]) + body
    ln = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return b"\x30" + bytes([0x80 | len(ln)]) + ln + body


def der_int(v: bytes) -> bytes:
    if v[0] & 0x80:
        v = b"\x00" + v
    n = len(v)
    ln = bytes([n]) if n < 128 else bytes([0x80 | 2]) + n.to_bytes(2, "big")
    return b"\x02" + ln + v


def rsa_der(g: G) -> bytes:
    parts = [b"\x00"] + [g.bytes(n) for n in (256, 3, 256, 128, 128, 128, 128, 128)]
    parts[2] = b"\x01\x00\x01"
    return der_seq(b"".join(der_int(p) for p in parts))


def ssh_str(b: bytes) -> bytes:
    return struct.pack(">I", len(b)) + b


def openssh_key(g: G):
    pub = ssh_str(b"ssh-ed25519") + ssh_str(g.bytes(32))
    chk = g.bytes(4)
    priv = chk + chk + ssh_str(b"ssh-ed25519") + ssh_str(g.bytes(32)) + ssh_str(g.bytes(64)) + ssh_str(b"user@host")
    priv += bytes(range(1, 1 + (-len(priv)) % 8))
    blob = b"openssh-key-v1\x00" + ssh_str(b"none") + ssh_str(b"none") + ssh_str(b"") + struct.pack(">I", 1) \
        + ssh_str(pub) + ssh_str(priv)
    b = base64.b64encode(blob).decode()
    return ["-----BEGIN OPENSSH PRIVATE KEY-----"] + [b[i:i + 70] for i in range(0, len(b), 70)] + \
        ["-----END OPENSSH PRIVATE KEY-----"], base64.b64encode(pub).decode()


# --------------------------------------------------------------------------- hashes

def h_bcrypt(g):
    return f"$2{g.c('aby')}$" + f"{g.c([10, 11, 12, 5]):02d}$" + g.s(CRYPT, 53)


def h_apr1(g):
    return "$apr1$" + g.s(CRYPT, 8) + "$" + g.s(CRYPT, 22)


def h_sha512crypt(g):
    return "$6$" + g.s(CRYPT, 16) + "$" + g.s(CRYPT, 86)


def h_md5crypt(g):
    return "$1$" + g.s(CRYPT, 8) + "$" + g.s(CRYPT, 22)


def h_yescrypt(g):
    return "$y$j9T$" + g.s(CRYPT, 22) + "$" + g.s(CRYPT, 43)


def h_sha(pw):
    return "{SHA}" + base64.b64encode(hashlib.sha1(pw.encode()).digest()).decode()


# --------------------------------------------------------------------------- files
# Each maker returns (relative path, lines, marks); a mark is (0-based line, kind,
# secret[, end line]) for a credential line.

def f_netrc(g):
    lines, marks = [], []
    name = g.c([".netrc", "_netrc", "dot-netrc/.netrc"])
    for _ in range(g.i(1, 3)):
        h, u, pw = g.c(["api.heroku.com", "git.heroku.com", "code.acme.io", "ftp.example-host.org", "urs.earthdata.nasa.gov"]), g.user(), g.password()
        if h.endswith("heroku.com"):
            pw = f"{g.s(HEX, 8)}-{g.s(HEX, 4)}-{g.s(HEX, 4)}-{g.s(HEX, 4)}-{g.s(HEX, 12)}"
        if g.p(0.5):
            lines.append(f"machine {h} login {u}@acme.io password {pw}")
            marks.append((len(lines) - 1, "netrc", pw))
        else:
            lines += [f"machine {h}", f"  login {u}", f"  password {pw}"]
            marks.append((len(lines) - 1, "netrc", pw))
    if g.p(0.4):
        lines.append("machine ci.acme.io login bot password $CI_TOKEN")
    if g.p(0.3):
        lines.append("default login anonymous password user@")
    return name, lines, marks


def f_pgpass(g):
    lines, marks = ["# hostname:port:database:username:password"], []
    for _ in range(g.i(1, 4)):
        pw = g.password()
        lines.append(f"{g.c([g.host(), 'localhost', '*'])}:{g.c(['5432', '*', '5433'])}:{g.c(['*', 'app', 'analytics', 'billing'])}:{g.user()}:{pw}")
        marks.append((len(lines) - 1, "pgpass", pw))
    return g.c([".pgpass", "home/.pgpass", "pgpass.conf"]), lines, marks


def f_git_credentials(g):
    lines, marks = [], []
    for _ in range(g.i(1, 3)):
        tok = g.c(["ghp_" + g.token(36), "glpat-" + g.s(ALNUM + "-_", 20), g.password(), g.token(32)])
        lines.append(f"https://{g.user()}:{tok}@{g.c(['github.com', 'gitlab.com', 'bitbucket.org', 'git.teamforge.dev'])}")
        marks.append((len(lines) - 1, "git-credentials", tok))
    return g.c([".git-credentials", "dotfiles/git-credentials"]), lines, marks


def f_htpasswd(g):
    lines, marks = [], []
    for _ in range(g.i(1, 5)):
        u, pw = g.user(), g.password()
        kind = g.c(["apr1", "bcrypt", "sha", "crypt"])
        h = {"apr1": h_apr1(g), "bcrypt": h_bcrypt(g), "sha": h_sha(pw), "crypt": g.s(CRYPT, 13)}[kind]
        lines.append(f"{u}:{h}")
        marks.append((len(lines) - 1, "htpasswd", h))
    return g.c([".htpasswd", "public/.htpasswd", "conf/htpasswd", "admin/.htpasswd"]), lines, marks


def f_shadow(g):
    lines, marks = [], []
    for u, uid in [("root", 0), ("daemon", 1), ("bin", 2), ("sys", 3), ("www-data", 33), ("nobody", 65534)]:
        if u == "root" and g.p(0.7):
            h = g.c([h_sha512crypt(g), h_yescrypt(g)])
            lines.append(f"root:{h}:19{g.i(100, 999)}:0:99999:7:::")
            marks.append((len(lines) - 1, "shadow", h))
        else:
            lines.append(f"{u}:{g.c(['*', '!', '!*'])}:19{g.i(100, 999)}:0:99999:7:::")
    for _ in range(g.i(1, 2)):
        h = g.c([h_sha512crypt(g), h_md5crypt(g), h_yescrypt(g)])
        lines.append(f"{g.c(['alice', 'bob', 'deploy', 'pi', 'ubuntu'])}:{h}:19{g.i(100, 999)}:0:99999:7:::")
        marks.append((len(lines) - 1, "shadow", h))
    return g.c(["etc/shadow", "backup/shadow", "rootfs/etc/shadow"]), lines, marks


def f_proftpd(g):
    lines, marks = [], []
    for _ in range(g.i(1, 4)):
        h = g.c([h_md5crypt(g), h_sha512crypt(g)])
        u = g.c(["ftpuser", "upload", "client1", "media", "webdev"])
        lines.append(f"{u}:{h}:{g.i(2000, 2100)}:{g.i(2000, 2100)}::/srv/ftp/{u}:/bin/false")
        marks.append((len(lines) - 1, "proftpd-passwd", h))
    return g.c(["etc/proftpd/ftpd.passwd", "proftpd/ftpd.passwd"]), lines, marks


def f_vsftpd_virtual(g):
    # The db_load source file of vsftpd virtual users: login and password on alternate lines.
    lines, marks = [], []
    for _ in range(g.i(1, 3)):
        pw = g.password()
        lines += [g.c(["client1", "media", "upload", "webdev"]), pw]
        marks.append((len(lines) - 1, "vsftpd-virtual-users", pw))
    return g.c(["etc/vsftpd/virtual_users.txt", "vsftpd/logins.txt"]), lines, marks


def f_my_cnf(g):
    pw = g.password()
    lines = ["[client]", f"user={g.user()}", f"password={pw}" if g.p(0.6) else f'password = "{pw}"',
             f"host={g.host()}", "", "[mysqldump]", "quick", "max_allowed_packet = 64M"]
    return g.c([".my.cnf", "home/.my.cnf", "mysql/my.cnf"]), lines, [(2, "mysql-cnf", pw)]


def f_s3cfg(g):
    ak, sk = "AKIA" + g.s(UP + DIG, 16), g.s(ALNUM + "+/", 40)
    gpg = g.password()
    lines = ["[default]", f"access_key = {ak}", "bucket_location = US", "check_ssl_certificate = True",
             "encrypt = False", f"gpg_passphrase = {gpg}", "host_base = s3.amazonaws.com",
             "host_bucket = %(bucket)s.s3.amazonaws.com", f"secret_key = {sk}", "use_https = True"]
    return g.c([".s3cfg", "dotfiles/s3cfg"]), lines, [(1, "s3cfg", ak), (5, "s3cfg", gpg), (8, "s3cfg", sk)]


def f_boto(g):
    ak, sk = "AKIA" + g.s(UP + DIG, 16), g.s(ALNUM + "+/", 40)
    gk, gs = "GOOG" + g.s(UP + DIG, 20), g.s(ALNUM + "+/", 40)
    lines = ["[Credentials]", f"aws_access_key_id = {ak}", f"aws_secret_access_key = {sk}",
             f"gs_access_key_id = {gk}", f"gs_secret_access_key = {gs}", "", "[Boto]", "https_validate_certificates = True"]
    return ".boto", lines, [(1, "boto", ak), (2, "boto", sk), (3, "boto", gk), (4, "boto", gs)]


def f_mail(g):
    k = g.c(["msmtprc", "esmtprc", "muttrc", "fetchmailrc", "offlineimaprc"])
    pw = g.password()
    if k == "msmtprc":
        lines = ["defaults", "auth on", "tls on", "tls_trust_file /etc/ssl/certs/ca-certificates.crt", "",
                 "account gmail", "host smtp.gmail.com", "port 587", f"from {g.user()}@gmail.com",
                 f"user {g.user()}@gmail.com", f"password {pw}", "", "account default : gmail"]
        return ".msmtprc", lines, [(10, "msmtprc", pw)]
    if k == "esmtprc":
        lines = ["hostname = smtp.mailhost.net:587", f"username = \"{g.user()}\"", f"password = \"{pw}\"", "starttls = required"]
        return ".esmtprc", lines, [(2, "esmtprc", pw)]
    if k == "muttrc":
        lines = ['set realname = "Mark T"', f'set from = "{g.user()}@mailhost.net"', 'set imap_user = "mark@mailhost.net"',
                 f'set imap_pass = "{pw}"', 'set smtp_url = "smtps://mark@mailhost.net@smtp.mailhost.net:465/"']
        pw2 = g.password()
        lines.append(f'set smtp_pass = "{pw2}"')
        lines += ['set folder = "imaps://imap.mailhost.net:993"', "set spoolfile = +INBOX", "# set smtp_pass = `pass show mail`"]
        return g.c([".muttrc", ".mutt/muttrc"]), lines, [(3, "muttrc", pw), (5, "muttrc", pw2)]
    if k == "fetchmailrc":
        lines = ["set daemon 300", f'poll pop.mailhost.net protocol pop3 user "{g.user()}" password "{pw}" is mark here ssl']
        return ".fetchmailrc", lines, [(1, "fetchmailrc", pw)]
    lines = ["[general]", "accounts = Work", "", "[Repository WorkRemote]", "type = IMAP", "remotehost = imap.mailhost.net",
             f"remoteuser = {g.user()}", f"remotepass = {pw}", "ssl = yes"]
    return ".offlineimaprc", lines, [(7, "offlineimaprc", pw)]


def f_pypirc(g):
    tok = "pypi-AgEIcHlwaS5vcmc" + g.s(ALNUM + "-_", 120)
    pw = g.password()
    lines = ["[distutils]", "index-servers =", "    pypi", "    internal", "", "[pypi]", "username = __token__",
             f"password = {tok}", "", "[internal]", "repository = https://pypi.acme.io/simple", f"username = {g.user()}",
             f"password = {pw}"]
    return ".pypirc", lines, [(7, "pypirc", tok), (12, "pypirc", pw)]


def f_npmrc(g):
    lines, marks = ["registry=https://registry.npmjs.org/", "save-exact=true"], []
    k = g.r.random()
    if k < 0.4:
        t = "npm_" + g.token(36)
        lines.append(f"//registry.npmjs.org/:_authToken={t}")
        marks.append((len(lines) - 1, "npmrc", t))
    elif k < 0.7:
        t = base64.b64encode(f"{g.user()}:{g.password()}".encode()).decode()
        lines += ["@acme:registry=https://npm.acme.io/", f"_auth={t}", "always-auth=true"]
        marks.append((len(lines) - 2, "npmrc", t))
    else:
        t = base64.b64encode(g.password().encode()).decode()
        lines += [f"//npm.acme.io/:username={g.user()}", f"//npm.acme.io/:_password={t}", "//npm.acme.io/:email=ci@acme.io"]
        marks.append((len(lines) - 2, "npmrc", t))
    if g.p(0.5):
        lines.append("//npm.pkg.github.com/:_authToken=${GITHUB_TOKEN}")
    return g.c([".npmrc", "frontend/.npmrc"]), lines, marks


def f_yarnrc(g):
    t = g.token(36)
    lines = ["nodeLinker: node-modules", "npmScopes:", "  acme:", '    npmRegistryServer: "https://npm.acme.io"',
             f'    npmAuthToken: "{t}"', "    npmAlwaysAuth: true"]
    return ".yarnrc.yml", lines, [(4, "yarnrc", t)]


def f_docker(g):
    auth = base64.b64encode(f"{g.user()}:{g.password()}".encode()).decode()
    lines = ["{", '\t"auths": {', '\t\t"https://index.docker.io/v1/": {', f'\t\t\t"auth": "{auth}"', "\t\t},",
             '\t\t"registry.acme.io": {}', "\t},", '\t"credsStore": "desktop"', "}"]
    marks = [(3, "docker-config", auth)]
    if g.p(0.3):
        lines = ["{", f'  "quay.io": {{ "auth": "{auth}", "email": "ci@acme.io" }}', "}"]
        return ".dockercfg", lines, [(1, "dockercfg", auth)]
    return g.c([".docker/config.json", "ci/docker/config.json"]), lines, marks


def f_maven(g):
    pw, pw2 = g.password(), g.password()
    lines = ['<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">', "  <servers>", "    <server>",
             "      <id>nexus-releases</id>", f"      <username>{g.user()}</username>", f"      <password>{pw}</password>",
             "    </server>", "    <server>", "      <id>github</id>", "      <username>ci</username>",
             "      <password>${env.GITHUB_TOKEN}</password>", "    </server>", "    <server>", "      <id>deploy-ssh</id>",
             "      <privateKey>${user.home}/.ssh/id_rsa</privateKey>", f"      <passphrase>{pw2}</passphrase>", "    </server>",
             "  </servers>", "</settings>"]
    return g.c([".m2/settings.xml", "ci/settings.xml"]), lines, [(5, "maven-settings", pw), (15, "maven-settings", pw2)]


def f_nuget(g):
    pw = g.c([g.token(52).lower(), g.password()])
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<configuration>", "  <packageSources>",
             '    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />',
             '    <add key="acme" value="https://pkgs.dev.azure.com/acme/_packaging/feed/nuget/v3/index.json" />',
             "  </packageSources>", "  <packageSourceCredentials>", "    <acme>",
             f'      <add key="Username" value="{g.user()}" />', f'      <add key="ClearTextPassword" value="{pw}" />',
             "    </acme>", "  </packageSourceCredentials>", "</configuration>"]
    return "NuGet.Config", lines, [(9, "nuget", pw)]


def f_gem(g):
    k = g.s(HEX, 32) if g.p(0.5) else "rubygems_" + g.s(HEX, 48)
    return ".gem/credentials", ["---", f":rubygems_api_key: {k}"], [(1, "gem-credentials", k)]


def f_filezilla(g):
    lines, marks = ['<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>', '<FileZilla3 version="3.66.4" platform="windows">',
                    "  <Servers>"], []
    for _ in range(g.i(1, 3)):
        pw = g.password()
        enc = base64.b64encode(pw.encode()).decode()
        lines += ["    <Server>", f"      <Host>{g.host()}</Host>", "      <Port>21</Port>", "      <Protocol>0</Protocol>",
                  f"      <User>{g.user()}</User>", f'      <Pass encoding="base64">{enc}</Pass>', "      <Logontype>1</Logontype>",
                  "    </Server>"]
        marks.append((len(lines) - 3, "filezilla", enc))
    lines += ["  </Servers>", "</FileZilla3>"]
    return g.c(["FileZilla/sitemanager.xml", "FileZilla/recentservers.xml", "filezilla/sitemanager.xml"]), lines, marks


def f_winscp(g):
    pw = g.s("0123456789ABCDEF", 2 * g.i(20, 40))
    lines = ["[Configuration\\Interface]", "RandomSeedFile=%APPDATA%\\winscp.rnd", "",
             f"[Sessions\\{g.user()}@{g.host()}]", f"HostName={g.host()}", f"UserName={g.user()}", f"Password={pw}",
             "FSProtocol=2"]
    return "WinSCP.ini", lines, [(6, "winscp", pw)]


def f_sftp_json(g):
    k = g.c(["sublime", "vscode", "atom", "remote-sync"])
    pw = g.password()
    if k == "sublime":
        lines = ["{", '    // The tab key will cycle through the settings when first created', '    "type": "sftp",', "",
                 '    "save_before_upload": true,', '    "upload_on_save": false,', f'    "host": "{g.host()}",',
                 f'    "user": "{g.user()}",', f'    "password": "{pw}",', '    //"port": "22",', "", '    "remote_path": "/var/www/html/",',
                 '    "connect_timeout": 30,', "}"]
        return "sftp-config.json", lines, [(8, "sublime-sftp", pw)]
    if k == "vscode":
        lines = ["{", '    "name": "prod",', f'    "host": "{g.host()}",', '    "protocol": "sftp",', '    "port": 22,',
                 f'    "username": "{g.user()}",', f'    "password": "{pw}",', '    "remotePath": "/srv/app",', '    "uploadOnSave": true', "}"]
        return ".vscode/sftp.json", lines, [(6, "vscode-sftp", pw)]
    if k == "atom":
        lines = ["{", '    "protocol": "ftp",', f'    "host": "{g.host()}",', '    "port": 21,', f'    "user": "{g.user()}",',
                 f'    "pass": "{pw}",', '    "promptForPass": false,', '    "remote": "/",', '    "secure": false', "}"]
        return ".ftpconfig", lines, [(5, "atom-ftpconfig", pw)]
    lines = ["{", '  "transport": "scp",', f'  "hostname": "{g.host()}",', f'  "username": "{g.user()}",', f'  "password": "{pw}",',
             '  "port": 22,', '  "target": "/var/www",', '  "watch": []', "}"]
    return ".remote-sync.json", lines, [(4, "remote-sync", pw)]


def f_jetbrains(g):
    pw = g.s(HEX, 2 * g.i(10, 20))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<application>', '  <component name="WebServers">', '    <option name="servers">',
             f'      <webServer id="{g.s(HEX, 8)}" name="prod" url="http://{g.host()}">',
             f'        <fileTransfer host="{g.host()}" port="21" rootFolder="/www" privateKey="" passphrase="" accessType="FTP" login="{g.user()}" password="{pw}">',
             '          <advancedOptions>', '            <advancedOptions dataProtection="Private" passiveMode="true" />',
             '          </advancedOptions>', '        </fileTransfer>', '      </webServer>', '    </option>', '  </component>', '</application>']
    return ".idea/WebServers.xml", lines, [(5, "jetbrains-webservers", pw)]


def f_robo3t(g):
    pw = g.password()
    lines = ["{", '    "connections" : [', "        {", '            "connectionName" : "prod",', '            "credentials" : [',
             "                {", '                    "databaseName" : "admin",', '                    "enabled" : true,',
             '                    "mechanism" : "SCRAM-SHA-1",', f'                    "userName" : "{g.user()}",',
             f'                    "userPassword" : "{pw}"', "                }", "            ],",
             f'            "serverHost" : "{g.host()}",', '            "serverPort" : 27017', "        }", "    ]", "}"]
    return g.c([".3T/robo-3t/1.4.3/robo3t.json", "robo3t.json"]), lines, [(10, "robo3t", pw)]


def f_tomcat(g):
    pw = g.password()
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<tomcat-users xmlns="http://tomcat.apache.org/xml">',
             '<!--', '  <user username="admin" password="<must-be-changed>" roles="manager-gui"/>', '-->',
             '  <role rolename="manager-gui"/>', f'  <user username="{g.user()}" password="{pw}" roles="manager-gui,admin-gui"/>',
             '</tomcat-users>']
    return "conf/tomcat-users.xml", lines, [(6, "tomcat-users", pw)]


def f_game(g):
    k = g.c(["srcds", "minecraft", "ark", "murmur"])
    pw = g.password()
    if k == "srcds":
        pw2 = g.password()
        lines = ['hostname "Friday Night Frags"', f'rcon_password "{pw}"', f'sv_password "{pw2}"', "sv_cheats 0", "mp_timelimit 30"]
        return "cfg/server.cfg", lines, [(1, "srcds-rcon", pw), (2, "srcds-sv-password", pw2)]
    if k == "minecraft":
        lines = ["#Minecraft server properties", "enable-rcon=true", f"rcon.password={pw}", "rcon.port=25575", "motd=A Minecraft Server",
                 "max-players=20", "online-mode=true"]
        return "server.properties", lines, [(2, "minecraft-rcon", pw)]
    if k == "ark":
        lines = ["[ServerSettings]", f"ServerAdminPassword={pw}", "ServerPassword=", "DifficultyOffset=1.000000", "MaxPlayers=70"]
        return "ShooterGame/Saved/Config/LinuxServer/GameUserSettings.ini", lines, [(1, "ark-admin", pw)]
    lines = ["database=/var/lib/mumble-server/mumble-server.sqlite", "port=64738", f"serverpassword={pw}", "bandwidth=72000", "users=100"]
    return "murmur.ini", lines, [(2, "murmur", pw)]


def f_wpconfig(g):
    pw = g.password()
    lines = ["<?php", "/** The name of the database for WordPress */", "define( 'DB_NAME', 'wordpress' );", "",
             "/** Database username */", f"define( 'DB_USER', '{g.user()}' );", "", "/** Database password */",
             f"define( 'DB_PASSWORD', '{pw}' );", "", "define( 'DB_HOST', 'localhost' );", "define( 'DB_CHARSET', 'utf8mb4' );", ""]
    marks = [(8, "wp-db-password", pw)]
    salt_chars = ALNUM + "!@#$%^&*()-_[]{}<>~`+=,.;:/?|"
    for name in ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"):
        v = g.s(salt_chars.replace("'", "").replace("\\", ""), 64)
        lines.append(f"define( '{name}', {' ' * (17 - len(name))}'{v}' );")
        marks.append((len(lines) - 1, "wp-salt", v))
    lines += ["", "$table_prefix = 'wp_';", "define( 'WP_DEBUG', false );"]
    return g.c(["wp-config.php", "public_html/wp-config.php"]), lines, marks


def f_wpsample(g):
    # wp-config-sample.php: placeholders only.
    lines = ["<?php", "define( 'DB_NAME', 'database_name_here' );", "define( 'DB_USER', 'username_here' );",
             "define( 'DB_PASSWORD', 'password_here' );", "define( 'DB_HOST', 'localhost' );",
             "define( 'AUTH_KEY',         'put your unique phrase here' );", "define( 'SECURE_AUTH_KEY',  'put your unique phrase here' );"]
    return "wp-config-sample.php", lines, []


def f_codeigniter(g):
    pw = g.password()
    lines = ["<?php", "defined('BASEPATH') OR exit('No direct script access allowed');", "$active_group = 'default';",
             "$query_builder = TRUE;", "$db['default'] = array(", "\t'dsn'\t=> '',", f"\t'hostname' => '{g.host()}',",
             f"\t'username' => '{g.user()}',", f"\t'password' => '{pw}',", "\t'database' => 'shop',", "\t'dbdriver' => 'mysqli',", ");"]
    marks = [(8, "codeigniter", pw)]
    if g.p(0.5):
        pw2 = g.password()
        lines.append(f"$db['replica']['password'] = '{pw2}';")
        marks.append((len(lines) - 1, "codeigniter", pw2))
    return "application/config/database.php", lines, marks


def f_laravel(g):
    key = "base64:" + base64.b64encode(g.bytes(32)).decode()
    pw, mpw = g.password(), g.password()
    lines = ["APP_NAME=Laravel", "APP_ENV=production", f"APP_KEY={key}", "APP_DEBUG=false", "APP_URL=https://shop.acme.io", "",
             "DB_CONNECTION=mysql", "DB_HOST=127.0.0.1", "DB_PORT=3306", "DB_DATABASE=shop", f"DB_USERNAME={g.user()}",
             f"DB_PASSWORD={pw}", "", "MAIL_MAILER=smtp", "MAIL_HOST=smtp.mailgun.org", "MAIL_PORT=587",
             f"MAIL_USERNAME=postmaster@mg.acme.io", f"MAIL_PASSWORD={mpw}", "MAIL_ENCRYPTION=tls"]
    return g.c([".env", "shop/.env"]), lines, [(2, "laravel-app-key", key), (11, "laravel-db-password", pw), (17, "laravel-mail-password", mpw)]


def f_laravel_config(g):
    lines = ["<?php", "return [", "    'connections' => [", "        'mysql' => [", "            'driver' => 'mysql',",
             "            'host' => env('DB_HOST', '127.0.0.1'),", "            'username' => env('DB_USERNAME', 'forge'),",
             "            'password' => env('DB_PASSWORD', ''),", "        ],", "    ],", "];"]
    return "config/database.php", lines, []


def f_django(g):
    sk = g.c(["django-insecure-", ""]) + g.s(LO + DIG + "!@#$%^&*(-_=+)", 50)
    pw = g.password()
    lines = ["from pathlib import Path", "", "BASE_DIR = Path(__file__).resolve().parent.parent", "",
             "# SECURITY WARNING: keep the secret key used in production secret!", f"SECRET_KEY = '{sk}'", "", "DEBUG = False",
             "ALLOWED_HOSTS = ['shop.acme.io']", "", "DATABASES = {", "    'default': {", "        'ENGINE': 'django.db.backends.postgresql',",
             "        'NAME': 'shop',", f"        'USER': '{g.user()}',", f"        'PASSWORD': '{pw}',", f"        'HOST': '{g.host()}',",
             "        'PORT': '5432',", "    }", "}"]
    marks = [(5, "django-secret-key", sk), (15, "django-db-password", pw)]
    if g.p(0.5):
        ep = g.password()
        lines += ["", "EMAIL_HOST = 'smtp.mailhost.net'", f"EMAIL_HOST_PASSWORD = '{ep}'"]
        marks.append((len(lines) - 1, "django-email-password", ep))
    return g.c(["shop/settings.py", "mysite/settings.py", "config/settings/production.py"]), lines, marks


def f_rails(g):
    k = g.c(["master", "secrets", "database", "mongoid"])
    if k == "master":
        v = g.s(HEX, 32)
        return "config/master.key", [v], [(0, "rails-master-key", v)]
    if k == "secrets":
        a, b = g.s(HEX, 128), g.s(HEX, 128)
        lines = ["development:", f"  secret_key_base: {a}", "", "test:", f"  secret_key_base: {b}", "", "production:",
                 '  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>']
        return "config/secrets.yml", lines, [(1, "rails-secrets", a), (4, "rails-secrets", b)]
    pw = g.password()
    if k == "database":
        lines = ["default: &default", "  adapter: postgresql", "  encoding: unicode", "  pool: 5", "", "development:", "  <<: *default",
                 "  database: app_development", "", "production:", "  <<: *default", "  database: app_production", f"  username: {g.user()}",
                 f"  password: {pw}", f"  host: {g.host()}", "", "staging:", "  <<: *default", "  password: <%= ENV['DB_PASSWORD'] %>"]
        return "config/database.yml", lines, [(13, "rails-database-yml", pw)]
    lines = ["production:", "  clients:", "    default:", "      database: app", "      hosts:", f"        - {g.host()}:27017",
             "      options:", f"        user: '{g.user()}'", f"        password: '{pw}'", "        auth_source: admin"]
    return "config/mongoid.yml", lines, [(8, "mongoid-yml", pw)]


def f_spring(g):
    pw = g.password()
    if g.p(0.6):
        mpw = g.password()
        lines = ["server.port=8080", f"spring.datasource.url=jdbc:postgresql://{g.host()}:5432/orders",
                 f"spring.datasource.username={g.user()}", f"spring.datasource.password={pw}",
                 "spring.jpa.hibernate.ddl-auto=validate", "spring.mail.host=smtp.mailhost.net", f"spring.mail.password={mpw}",
                 "management.endpoints.web.exposure.include=health"]
        return g.c(["src/main/resources/application.properties", "orders/src/main/resources/application-prod.properties"]), lines, \
            [(3, "spring-properties", pw), (6, "spring-properties", mpw)]
    lines = ["spring:", "  datasource:", f"    url: jdbc:mysql://{g.host()}:3306/orders", f"    username: {g.user()}",
             f"    password: {pw}", "  jpa:", "    open-in-view: false", "server:", "  port: 8080"]
    return "src/main/resources/application.yml", lines, [(4, "spring-yaml", pw)]


def f_symfony(g):
    pw, sec = g.password(), g.s(HEX, 40)
    lines = ["parameters:", "    database_host: 127.0.0.1", "    database_port: null", "    database_name: symfony",
             f"    database_user: {g.user()}", f"    database_password: {pw}", "    mailer_transport: smtp", "    mailer_host: 127.0.0.1",
             f"    secret: {sec}"]
    return "app/config/parameters.yml", lines, [(5, "symfony-parameters", pw), (8, "symfony-parameters", sec)]


def f_js_login(g):
    pw = g.password() + g.token(24)
    lines = ["const jsforce = require('jsforce');", "", "const conn = new jsforce.Connection({",
             "  loginUrl: 'https://login.salesforce.com'", "});", f"conn.login('{g.user()}@acme.io', '{pw}', (err, userInfo) => {{",
             "  if (err) { return console.error(err); }", "  console.log(conn.accessToken);", "});"]
    marks = [(5, "jsforce-login", pw)]
    if g.p(0.6):
        p2 = g.password()
        lines += ["", "const transporter = nodemailer.createTransport({", "  host: 'smtp.mailhost.net',", "  port: 587,",
                  f"  auth: {{ user: 'alerts@acme.io', pass: '{p2}' }},", "});"]
        marks.append((len(lines) - 2, "nodemailer-auth", p2))
    return g.c(["scripts/sync-salesforce.js", "lib/crm.js"]), lines, marks


def f_python_login(g):
    pw = g.password()
    lines = ["import smtplib", "", "def send(msg):", "    server = smtplib.SMTP('smtp.mailhost.net', 587)", "    server.starttls()",
             f"    server.login('alerts@acme.io', '{pw}')", "    server.send_message(msg)", "    server.quit()"]
    marks = [(5, "smtplib-login", pw)]
    if g.p(0.5):
        p2 = g.password()
        lines += ["", "import requests", f"r = requests.get('https://api.acme.io/v1/report', auth=('{g.user()}', '{p2}'))"]
        marks.append((len(lines) - 1, "requests-auth", p2))
    return g.c(["tools/mailer.py", "scripts/notify.py"]), lines, marks


def f_sql(g):
    lines, marks = ["-- MySQL dump 10.13  Distrib 8.0.35", "SET NAMES utf8mb4;", "",
                    "DROP TABLE IF EXISTS `users`;", "CREATE TABLE `users` (", "  `id` int NOT NULL AUTO_INCREMENT,",
                    "  `email` varchar(255) NOT NULL,", "  `password` varchar(255) NOT NULL,", "  PRIMARY KEY (`id`)", ") ENGINE=InnoDB;", ""], []
    rows = []
    for i in range(g.i(1, 3)):
        h = g.c([h_bcrypt(g), hashlib.md5(g.password().encode()).hexdigest(), hashlib.sha1(g.password().encode()).hexdigest(),
                 "$P$B" + g.s(CRYPT, 30)])
        rows.append((i + 1, f"{g.user()}{i}@acme.io", h))
    if g.p(0.5):
        lines.append("INSERT INTO `users` VALUES " + ",".join(f"({a},'{b}','{c}')" for a, b, c in rows) + ";")
        marks.append((len(lines) - 1, "sql-insert-hash", rows[0][2]))
    else:
        for a, b, c in rows:
            lines.append(f"INSERT INTO `users` (`id`, `email`, `password`) VALUES ({a}, '{b}', '{c}');")
            marks.append((len(lines) - 1, "sql-insert-hash", c))
    lines.append("INSERT INTO `orders` VALUES (1,'" + hashlib.md5(g.bytes(8)).hexdigest() + "',19.99);")
    pw = g.password()
    lines += ["", f"CREATE USER '{g.user()}'@'%' IDENTIFIED BY '{pw}';"]
    marks.append((len(lines) - 1, "sql-identified-by", pw))
    if g.p(0.5):
        p2 = g.password()
        lines.append(f"GRANT ALL PRIVILEGES ON shop.* TO 'shop'@'localhost' IDENTIFIED BY '{p2}';")
        marks.append((len(lines) - 1, "sql-identified-by", p2))
    if g.p(0.5):
        p3 = g.password()
        lines.append(f"CREATE ROLE reporting WITH LOGIN PASSWORD '{p3}';")
        marks.append((len(lines) - 1, "sql-role-password", p3))
    lines.append("FLUSH PRIVILEGES;")
    return g.c(["db/dump.sql", "backup/shop.sql", "sql/init.sql"]), lines, marks


def f_logins_json(g):
    parts, marks = [], []
    for i in range(g.i(1, 3)):
        eu = "MDIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcE" + base64.b64encode(g.bytes(24)).decode()
        ep = "MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcE" + base64.b64encode(g.bytes(24)).decode()
        parts.append((f'{{"id":{i + 1},"hostname":"https://{g.host()}","httpRealm":null,"formSubmitURL":"","usernameField":"",'
                      f'"passwordField":"","encryptedUsername":"{eu}","encryptedPassword":"{ep}","encType":1,"timesUsed":3}}', ep))
    lines = ['{"nextId":' + str(len(parts) + 1) + ',"logins":[']
    for k, (p, ep) in enumerate(parts):
        lines.append(p + ("," if k < len(parts) - 1 else ""))
        marks.append((len(lines) - 1, "firefox-logins", ep))
    lines.append('],"version":3}')
    return g.c(["firefox-profile/logins.json", "backup/logins.json"]), lines, marks


def f_csv(g):
    lines, marks = ["name,url,username,password,note"], []
    for _ in range(g.i(2, 5)):
        pw = g.password().replace(",", ".")
        h = g.host()
        lines.append(f"{h},https://{h}/login,{g.user()},{pw},")
        marks.append((len(lines) - 1, "password-csv", pw))
    return g.c(["Chrome Passwords.csv", "export/passwords.csv"]), lines, marks


def f_keys(g):
    k = g.c(["rsa", "openssh", "ppk", "pgp", "p12", "jks"])
    if k == "rsa":
        lines = pem("RSA PRIVATE KEY", rsa_der(g))
        return g.c(["deploy/id_rsa", "ssl/server.key", "certs/private.pem"]), lines, [(0, "private-key-pem", lines[1], len(lines) - 1)]
    if k == "openssh":
        lines, pub = openssh_key(g)
        return g.c([".ssh/id_ed25519", "deploy_key"]), lines, [(0, "private-key-openssh", lines[1], len(lines) - 1)]
    if k == "ppk":
        pub = base64.b64encode(ssh_str(b"ssh-ed25519") + ssh_str(g.bytes(32))).decode()
        priv = base64.b64encode(ssh_str(g.bytes(32))).decode()
        lines = ["PuTTY-User-Key-File-3: ssh-ed25519", "Encryption: none", "Comment: eddsa-key-20240101", "Public-Lines: 2",
                 pub[:64], pub[64:], "Private-Lines: 1", priv, f"Private-MAC: {g.s(HEX, 64)}"]
        return g.c(["keys/server.ppk", "putty/deploy.ppk"]), lines, [(0, "putty-ppk", "PuTTY-User-Key-File-3", 8)]
    if k == "pgp":
        body = base64.b64encode(b"\x95\x01\xd8\x04" + g.bytes(300)).decode()
        lines = ["-----BEGIN PGP PRIVATE KEY BLOCK-----", ""] + [body[i:i + 64] for i in range(0, len(body), 64)] + \
            ["=" + g.s(ALNUM, 4), "-----END PGP PRIVATE KEY BLOCK-----"]
        return g.c(["gpg/secret.asc", "signing-key.asc"]), lines, [(0, "pgp-private-key", lines[2], len(lines) - 1)]
    if k == "p12":
        return g.c(["certs/client.p12", "ios/dist.p12", "deploy/codesign.pfx"]), None, [(0, "pkcs12", "", 0)]
    return g.c(["android/app/release.jks", "config/server.keystore"]), None, [(0, "java-keystore", "", 0)]


def f_public(g):
    """Not credentials: public keys, certificates, known_hosts, checksums, a shadow of locked
    accounts, templates."""
    k = g.c(["pub", "cert", "known_hosts", "sums", "env-example", "docker-compose", "netrc-example"])
    if k == "pub":
        _, pub = openssh_key(g)
        return g.c([".ssh/id_ed25519.pub", "keys/deploy.pub"]), [f"ssh-ed25519 {pub} deploy@build"], []
    if k == "cert":
        return g.c(["ssl/server.crt", "certs/ca.pem"]), pem("CERTIFICATE", der_seq(g.bytes(600))), []
    if k == "known_hosts":
        return ".ssh/known_hosts", [f"{g.host()} ssh-ed25519 {base64.b64encode(ssh_str(b'ssh-ed25519') + ssh_str(g.bytes(32))).decode()}"
                                    for _ in range(3)], []
    if k == "sums":
        return "SHA256SUMS", [f"{hashlib.sha256(g.bytes(8)).hexdigest()}  release-{i}.tar.gz" for i in range(4)], []
    if k == "env-example":
        return ".env.example", ["APP_KEY=", "DB_PASSWORD=", "DB_PASSWORD=secret", "MAIL_PASSWORD=null", "AWS_SECRET_ACCESS_KEY=",
                                "STRIPE_SECRET=sk_test_xxx"], []
    if k == "docker-compose":
        return "docker-compose.yml", ["services:", "  db:", "    image: postgres:16", "    environment:",
                                      "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}", "      POSTGRES_USER: app",
                                      "    ports:", '      - "5432:5432"'], []
    return "docs/netrc.md", ["# Configure access", "", "Put this in `~/.netrc`:", "", "    machine api.acme.io login <you> password <token>",
                             "", "Then run `make deploy`."], []


MAKERS = [f_netrc, f_pgpass, f_git_credentials, f_htpasswd, f_shadow, f_proftpd, f_vsftpd_virtual, f_my_cnf, f_s3cfg, f_boto,
          f_mail, f_mail, f_pypirc, f_npmrc, f_yarnrc, f_docker, f_maven, f_nuget, f_gem, f_filezilla, f_winscp, f_sftp_json,
          f_sftp_json, f_jetbrains, f_robo3t, f_tomcat, f_game, f_game, f_wpconfig, f_wpsample, f_codeigniter, f_laravel,
          f_laravel_config, f_django, f_rails, f_rails, f_spring, f_symfony, f_js_login, f_python_login, f_sql, f_logins_json,
          f_csv, f_keys, f_keys, f_public, f_public, f_public]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--copies", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--manifest")
    a = ap.parse_args()
    g = G(a.seed)
    manifest, nfiles = [], 0
    for copy in range(a.copies):
        root = f"repo{copy:02d}"
        used = set()
        for make in MAKERS:
            path, lines, marks = make(g)
            rel = f"{root}/{path}"
            if rel in used:
                rel = f"{root}/alt{len(used)}/{path}"
            used.add(rel)
            full = os.path.join(a.out, rel)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            if lines is None:  # a binary key container
                with open(full, "wb") as f:
                    f.write(b"\x30\x82\x0a\x1f\x02\x01\x03" + g.bytes(2000))
                manifest.append(dict(file=rel, line=1, end_line=1, kind=marks[0][1], secret="", file_level=True))
            else:
                with open(full, "w") as f:
                    f.write("\n".join(lines) + "\n")
                for m in marks:
                    end = m[3] if len(m) > 3 else m[0]
                    manifest.append(dict(file=rel, line=m[0] + 1, end_line=end + 1, kind=m[1], secret=m[2]))
            nfiles += 1
    mpath = a.manifest or os.path.join(a.out, "manifest.jsonl")
    with open(mpath, "w") as f:
        for e in manifest:
            f.write(json.dumps(e) + "\n")
    kinds = sorted({e["kind"] for e in manifest})
    print(f"{nfiles} files, {len(manifest)} credential lines in {len(kinds)} kinds; manifest {mpath}")


if __name__ == "__main__":
    main()
