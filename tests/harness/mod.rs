//! Test harness: a temp directory with its own HOME and config dir, a fresh age key,
//! and a `sealbox` command whose environment holds no identities from the machine.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub mod services;

/// Where the shared sops fixtures are, if present.
pub fn fixtures() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/sops");
    if p.join("keys/age-keys.txt").is_file() {
        Some(p)
    } else {
        eprintln!("skipping: ../shared/fixtures/sops is not present next to the checkout");
        None
    }
}

/// Whether a peer CLI is on PATH; when `SEALBOX_REQUIRE_PEERS` is set (CI), a missing
/// peer fails the test instead of skipping it.
pub fn have(tool: &str) -> bool {
    let found = std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty());
    if !found {
        assert!(
            std::env::var_os("SEALBOX_REQUIRE_PEERS").is_none(),
            "{tool} is required (SEALBOX_REQUIRE_PEERS is set) but not installed"
        );
        eprintln!("skipping: {tool} is not installed");
    }
    found
}

/// A throwaway workspace.
pub struct Env {
    pub dir: tempfile::TempDir,
    /// An age identity file for this workspace.
    pub key: PathBuf,
    /// Its recipient.
    pub recipient: String,
}

impl Env {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let id = age::x25519::Identity::generate();
        let recipient = id.to_public().to_string();
        let key = dir.path().join("key.txt");
        use age::secrecy::ExposeSecret;
        std::fs::write(
            &key,
            format!("# test key\n{}\n", id.to_string().expose_secret()),
        )
        .expect("write key");
        std::fs::create_dir_all(dir.path().join("home/.config")).expect("home");
        Env {
            dir,
            key,
            recipient,
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, content).expect("write");
        p
    }

    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).expect("read")
    }

    /// `sealbox` with a clean environment rooted in this workspace.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("sealbox").expect("binary");
        c.current_dir(self.dir.path());
        for (k, _) in std::env::vars() {
            if k.starts_with("SOPS_") || k.starts_with("SEALBOX_") || k == "EDITOR" || k == "VISUAL"
            {
                c.env_remove(k);
            }
        }
        c.env("HOME", self.path("home"));
        c.env("XDG_CONFIG_HOME", self.path("home/.config"));
        c
    }

    /// `sealbox` that can decrypt with this workspace's key.
    pub fn cmd_with_key(&self) -> Command {
        let mut c = self.cmd();
        c.env("SEALBOX_AGE_KEY_FILE", &self.key);
        c
    }

    /// Encrypts `rel` to stdout-free `out` with this workspace's recipient.
    pub fn encrypt(&self, rel: &str, out: &str) {
        self.cmd()
            .args(["encrypt", "--age", &self.recipient, rel, "-o", out])
            .assert()
            .success();
    }

    /// `sealbox set ENV KEY VALUE` with this workspace's key; must succeed.
    #[track_caller]
    pub fn set(&self, env: &str, key: &str, value: &str) {
        self.cmd_with_key()
            .args(["set", env, key, value])
            .assert()
            .success();
    }

    /// Appends `bytes` to `rel`, as someone editing the file by hand would.
    pub fn append(&self, rel: &str, bytes: &[u8]) {
        let mut text = self.read(rel);
        text.extend_from_slice(bytes);
        self.write(rel, &text);
    }

    /// Decrypts to bytes.
    pub fn decrypt(&self, rel: &str) -> Vec<u8> {
        let out = self
            .cmd_with_key()
            .args(["decrypt", rel])
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "decrypt {rel} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// A peer CLI with this workspace's environment (HOME, no stray keys).
    pub fn peer(&self, tool: &str) -> std::process::Command {
        let mut c = std::process::Command::new(tool);
        c.current_dir(self.dir.path());
        for (k, _) in std::env::vars() {
            if k.starts_with("SOPS_") {
                c.env_remove(k);
            }
        }
        c.env("HOME", self.path("home"));
        c.env("XDG_CONFIG_HOME", self.path("home/.config"));
        c
    }
}

/// Exit code of an output.
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Asserts a failed run has the exit code, a one-line error naming `name`, and no
/// `canary` anywhere in stdout/stderr.
#[track_caller]
pub fn assert_clean_failure(o: &Output, expected: i32, name: &str, canary: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(code(o), expected, "exit code; stderr: {err}");
    assert!(err.contains(name), "error should name {name}: {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one-line error expected: {err}"
    );
    assert!(!err.contains("panicked"), "panic: {err}");
    if !canary.is_empty() {
        assert!(!err.contains(canary), "secret leaked to stderr: {err}");
        assert!(
            !String::from_utf8_lossy(&o.stdout).contains(canary),
            "secret leaked to stdout"
        );
    }
}
