//! `sealbox git setup` in real git repositories: `git diff` through the textconv
//! driver shows decrypted lines, and `git merge` through the merge driver combines
//! changes to different keys of one encrypted file and stops, with the file still
//! encrypted and valid, when both branches change the same key.

use std::process::Output;

use crate::harness::{have, Env};

struct Repo {
    e: Env,
    path_var: String,
}

impl Repo {
    fn new(config: &str) -> Option<Self> {
        if !have("git") {
            return None;
        }
        let e = Env::new();
        let bin = assert_cmd::cargo::cargo_bin("sealbox");
        let dir = bin.parent().unwrap().display().to_string();
        let path_var = format!("{dir}:{}", std::env::var("PATH").unwrap_or_default());
        let r = Repo { e, path_var };
        r.git(&["init", "-q", "-b", "main", "."]);
        r.git(&["config", "user.email", "t@example.com"]);
        r.git(&["config", "user.name", "Test"]);
        r.e.write(".sealbox.toml", config.replace("RECIPIENT", &r.e.recipient));
        r.e.write(".gitignore", "home/\nkey.txt\naudit.jsonl\n");
        Some(r)
    }

    fn run(&self, prog: &str, args: &[&str]) -> Output {
        let mut c = std::process::Command::new(prog);
        c.current_dir(self.e.dir.path())
            .args(args)
            .env("PATH", &self.path_var)
            .env("HOME", self.e.path("home"))
            .env("XDG_CONFIG_HOME", self.e.path("home/.config"))
            .env("SEALBOX_AGE_KEY_FILE", &self.e.key)
            .env("SEALBOX_AUDIT_LOG", self.e.path("audit.jsonl"))
            .env("GIT_CONFIG_NOSYSTEM", "1");
        for (k, _) in std::env::vars() {
            if k.starts_with("SOPS_") || k.starts_with("GIT_") && k != "GIT_CONFIG_NOSYSTEM" {
                c.env_remove(k);
            }
        }
        c.env("SOPS_AGE_KEY_FILE", &self.e.key);
        c.output().unwrap()
    }

    fn git(&self, args: &[&str]) -> String {
        let o = self.run("git", args);
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn sealbox(&self, args: &[&str]) -> String {
        let o = self.run("sealbox", args);
        assert!(
            o.status.success(),
            "sealbox {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn text(&self, rel: &str) -> String {
        String::from_utf8(self.e.read(rel)).unwrap()
    }

    fn line<'a>(text: &'a str, prefix: &str) -> &'a str {
        text.lines().find(|l| l.starts_with(prefix)).unwrap_or("")
    }
}

const CONFIG: &str =
    "[environments.prod]\nfiles = [\"secrets/prod.env\", \"k8s/*.yaml\"]\nage = [\"RECIPIENT\"]\n";

fn base_repo() -> Option<Repo> {
    let r = Repo::new(CONFIG)?;
    r.sealbox(&["set", "prod", "DB_PASSWORD", "old-db"]);
    r.sealbox(&["set", "prod", "API_TOKEN", "old-api"]);
    r.sealbox(&["set", "prod", "UNTOUCHED", "same"]);
    r.sealbox(&["git", "setup"]);
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "base"]);
    Some(r)
}

#[test]
fn setup_writes_attributes_and_drivers_and_git_diff_shows_decrypted_lines() {
    let Some(r) = base_repo() else { return };
    let attrs = r.text(".gitattributes");
    assert!(
        attrs.contains("/secrets/prod.env diff=sealbox merge=sealbox"),
        "{attrs}"
    );
    assert!(
        attrs.contains("/k8s/*.yaml diff=sealbox merge=sealbox"),
        "{attrs}"
    );
    // Idempotent.
    r.sealbox(&["git", "setup"]);
    assert_eq!(r.text(".gitattributes"), attrs);
    assert_eq!(
        r.git(&["config", "--local", "diff.sealbox.textconv"])
            .trim(),
        "sealbox git textconv"
    );
    assert_eq!(
        r.git(&["config", "--local", "diff.sealbox.cachetextconv"])
            .trim(),
        "false"
    );
    assert_eq!(
        r.git(&["config", "--local", "merge.sealbox.driver"]).trim(),
        "sealbox git merge %O %A %B %P"
    );

    r.sealbox(&["set", "prod", "DB_PASSWORD", "new-db"]);
    let diff = r.git(&["diff"]);
    assert!(diff.contains("-DB_PASSWORD=old-db"), "{diff}");
    assert!(diff.contains("+DB_PASSWORD=new-db"), "{diff}");
    assert!(!diff.contains("ENC["), "{diff}");
    assert!(
        !diff.contains("+API_TOKEN") && !diff.contains("-UNTOUCHED"),
        "{diff}"
    );
    // Without the driver, the stored text: ciphertext only.
    let raw = r.git(&["diff", "--no-textconv"]);
    assert!(
        raw.contains("ENC[AES256_GCM") && !raw.contains("new-db"),
        "{raw}"
    );
    // No plaintext cached in git notes.
    assert!(r
        .run("git", &["notes", "--ref=textconv/sealbox", "list"])
        .stdout
        .is_empty());
}

#[test]
fn merge_of_different_keys_is_clean_and_keeps_ciphertexts() {
    let Some(r) = base_repo() else { return };
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.sealbox(&["set", "prod", "API_TOKEN", "their-api"]);
    r.sealbox(&["set", "prod", "ADDED", "on-feature"]);
    r.git(&["commit", "-q", "-am", "theirs"]);
    let theirs = r.text("secrets/prod.env");
    r.git(&["checkout", "-q", "main"]);
    r.sealbox(&["set", "prod", "DB_PASSWORD", "our-db"]);
    r.git(&["commit", "-q", "-am", "ours"]);
    let ours = r.text("secrets/prod.env");
    let o = r.run("git", &["merge", "--no-edit", "feature"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let merged = r.text("secrets/prod.env");
    assert!(!merged.contains("our-db") && !merged.contains("their-api"));
    let plain = r.sealbox(&["decrypt", "secrets/prod.env"]);
    assert_eq!(
        plain,
        "DB_PASSWORD=our-db\nAPI_TOKEN=their-api\nUNTOUCHED=same\nADDED=on-feature\n"
    );
    // Unchanged ciphertexts: ours for our key and the untouched one, theirs for theirs.
    for (k, side) in [
        ("DB_PASSWORD=", &ours),
        ("UNTOUCHED=", &ours),
        ("API_TOKEN=", &theirs),
        ("ADDED=", &theirs),
    ] {
        assert_eq!(Repo::line(&merged, k), Repo::line(side, k), "{k}");
    }
    // A fresh MAC that sops accepts too.
    assert_ne!(
        Repo::line(&merged, "sops_mac="),
        Repo::line(&ours, "sops_mac=")
    );
    if have("sops") {
        let o = r.run(
            "sops",
            &["--disable-version-check", "decrypt", "secrets/prod.env"],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(String::from_utf8_lossy(&o.stdout), plain);
    }
}

#[test]
fn merge_of_the_same_key_conflicts_and_the_file_stays_encrypted() {
    let Some(r) = base_repo() else { return };
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.sealbox(&["set", "prod", "DB_PASSWORD", "their-db"]);
    r.git(&["commit", "-q", "-am", "theirs"]);
    r.git(&["checkout", "-q", "main"]);
    r.sealbox(&["set", "prod", "DB_PASSWORD", "our-db"]);
    r.sealbox(&["set", "prod", "API_TOKEN", "our-api"]);
    r.git(&["commit", "-q", "-am", "ours"]);
    let o = r.run("git", &["merge", "--no-edit", "feature"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr).into_owned() + &String::from_utf8_lossy(&o.stdout);
    assert!(
        err.contains("CONFLICT") && err.contains("secrets/prod.env"),
        "{err}"
    );
    assert!(err.contains("DB_PASSWORD"), "{err}");
    assert!(
        !err.contains("our-db") && !err.contains("their-db"),
        "no values in messages: {err}"
    );
    let status = r.git(&["status", "--porcelain"]);
    assert!(status.contains("UU secrets/prod.env"), "{status}");
    let text = r.text("secrets/prod.env");
    assert!(
        !text.contains("<<<<<<<") && !text.contains("our-db"),
        "{text}"
    );
    // Still a valid encrypted file (MAC checked), with our value for the conflicting key.
    let plain = r.sealbox(&["decrypt", "secrets/prod.env"]);
    assert!(
        plain.contains("DB_PASSWORD=our-db\n") && plain.contains("API_TOKEN=our-api\n"),
        "{plain}"
    );
}

#[test]
fn yaml_nested_keys_merge_and_diff() {
    let Some(r) = Repo::new(CONFIG) else { return };
    std::fs::create_dir_all(r.e.path("k8s")).unwrap();
    r.e.write(
        "k8s/app.yaml",
        "# app secrets\ndb:\n    user: app\n    password: p1\napi:\n    token: t1\n",
    );
    r.sealbox(&["encrypt", "--in-place", "k8s/app.yaml"]);
    r.sealbox(&["git", "setup"]);
    r.git(&["add", "-A"]);
    r.git(&["commit", "-q", "-m", "base"]);
    let edit = |from: &str, to: &str| {
        let plain = r.sealbox(&["decrypt", "k8s/app.yaml"]);
        r.e.write("new.yaml", plain.replace(from, to));
        // A fresh encryption (new data key) is a valid side of a merge as well.
        let out = r.sealbox(&["encrypt", "--age", &r.e.recipient, "new.yaml"]);
        r.e.write("k8s/app.yaml", out);
        std::fs::remove_file(r.e.path("new.yaml")).unwrap();
    };
    r.git(&["checkout", "-q", "-b", "feature"]);
    edit("token: t1", "token: t2");
    r.git(&["commit", "-q", "-am", "theirs"]);
    r.git(&["checkout", "-q", "main"]);
    edit("password: p1", "password: p2");
    r.git(&["commit", "-q", "-am", "ours"]);
    let diff = r.git(&["diff", "HEAD~1", "--", "k8s/app.yaml"]);
    assert!(
        diff.contains("-    password: p1") && diff.contains("+    password: p2"),
        "{diff}"
    );
    let o = r.run("git", &["merge", "--no-edit", "feature"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let plain = r.sealbox(&["decrypt", "k8s/app.yaml"]);
    assert_eq!(
        plain,
        "# app secrets\ndb:\n    user: app\n    password: p2\napi:\n    token: t2\n"
    );
}

#[test]
fn issue_20_the_merge_driver_and_textconv_are_audited_and_need_the_log() {
    let Some(r) = base_repo() else { return };
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.sealbox(&["set", "prod", "API_TOKEN", "their-api"]);
    r.git(&["commit", "-q", "-am", "theirs"]);
    r.git(&["checkout", "-q", "main"]);
    r.sealbox(&["set", "prod", "DB_PASSWORD", "our-db"]);
    r.git(&["commit", "-q", "-am", "ours"]);
    let o = r.run("git", &["merge", "--no-edit", "feature"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let log = r.text("audit.jsonl");
    let last = log.lines().last().unwrap();
    assert!(last.contains("\"command\":\"merge\""), "{last}");
    // textconv with a log it cannot write shows the ciphertext, never the plaintext.
    r.sealbox(&["set", "prod", "DB_PASSWORD", "changed-db"]);
    let mut c = std::process::Command::new("git");
    c.current_dir(r.e.dir.path())
        .args(["diff"])
        .env("PATH", &r.path_var)
        .env("HOME", r.e.path("home"))
        .env("SEALBOX_AGE_KEY_FILE", &r.e.key)
        .env(
            "SEALBOX_AUDIT_LOG",
            "/proc/sealbox-cannot-write/audit.jsonl",
        )
        .env("GIT_CONFIG_NOSYSTEM", "1");
    let o = c.output().unwrap();
    let diff = String::from_utf8_lossy(&o.stdout);
    assert!(
        !diff.contains("changed-db") && !diff.contains("our-db"),
        "{diff}"
    );
    assert!(diff.contains("ENC["), "{diff}");
}
