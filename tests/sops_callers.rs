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
