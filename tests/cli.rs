//! The command-line surface: help reads well, usage errors exit 2, and the committed
//! completions/ and man/ match what the clap definition generates.

use std::path::Path;

use crate::harness::{code, Env};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn completions_match_the_committed_files() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = env.cmd().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let file = match shell {
            "bash" => "sealbox.bash",
            "zsh" => "_sealbox",
            "fish" => "sealbox.fish",
            "elvish" => "sealbox.elv",
            _ => "_sealbox.ps1",
        };
        let committed = std::fs::read(repo().join("completions").join(file)).unwrap_or_default();
        assert!(
            committed == out.stdout,
            "completions/{file} is stale; regenerate with: cargo run -- completions {shell} > completions/{file}"
        );
    }
}

#[test]
fn man_pages_match_the_committed_files() {
    let env = Env::new();
    env.cmd()
        .args(["man", "--out-dir", "man"])
        .assert()
        .success();
    let mut names: Vec<_> = std::fs::read_dir(env.path("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(names.len() >= 8);
    for n in names {
        let fresh = std::fs::read(env.path("man").join(&n)).unwrap();
        let committed = std::fs::read(repo().join("man").join(&n)).unwrap_or_default();
        assert!(
            fresh == committed,
            "man/{} is stale; regenerate with: cargo run -- man --out-dir man",
            n.to_string_lossy()
        );
    }
}

#[test]
fn help_for_each_command() {
    let env = Env::new();
    let top = env.cmd().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&top.stdout);
    for sub in [
        "encrypt",
        "decrypt",
        "edit",
        "rotate",
        "updatekeys",
        "completions",
        "man",
    ] {
        assert!(text.contains(sub), "top-level help lists {sub}");
        let o = env.cmd().args([sub, "--help"]).output().unwrap();
        assert!(o.status.success());
        let h = String::from_utf8_lossy(&o.stdout);
        assert!(h.contains("Usage: sealbox"), "{sub} help: {h}");
    }
    let enc = String::from_utf8(
        env.cmd()
            .args(["encrypt", "--help"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for flag in [
        "--age",
        "--in-place",
        "--output",
        "--output-dir",
        "--input-type",
        "--output-type",
        "--encrypted-regex",
    ] {
        assert!(enc.contains(flag), "encrypt --help mentions {flag}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    for args in [
        vec!["encrypt"],
        vec!["frobnicate"],
        vec!["decrypt", "--in-place", "-o", "x", "y"],
        vec!["encrypt", "--input-type", "toml", "x"],
    ] {
        let o = env.cmd().args(&args).output().unwrap();
        assert_eq!(code(&o), 2, "{args:?}");
    }
    env.write("a.env", "A=1\n");
    env.write("b.env", "B=1\n");
    let o = env
        .cmd()
        .args(["encrypt", "--age", &env.recipient, "a.env", "b.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "several files need --in-place or --output-dir");
    let o = env.cmd().args(["decrypt", "missing.env"]).output().unwrap();
    assert_eq!(code(&o), 5, "a missing file is an I/O error");
}
