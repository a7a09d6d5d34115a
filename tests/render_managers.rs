//! `render --watch` and secrets managers (issue 17): a `source =` environment is read
//! from the real OpenBao dev server every `--poll` seconds, and a secret rotated there
//! is rendered and signalled to a real process counting SIGHUPs; a `sync =` target that
//! drifts from the environment's files is reported by key name, never by value.

use std::time::Duration;

use crate::harness::services::{self, vault_call, VAULT_TOKEN};
use crate::harness::Env;
use crate::runtime::{eventually, hup_counter, spawn_with, wait_for};

const FIRST: &str = "first-secret-9d2c7a";
const ROTATED: &str = "rotated-secret-41be0f";

/// Writes `pairs` as the KV v2 secret at `secret/PATH` (a new version).
fn kv_put(addr: &str, path: &str, pairs: &[(&str, &str)]) {
    let data: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
        .collect();
    let body = serde_json::json!({ "data": data }).to_string();
    let (status, reply) = vault_call(
        addr,
        "POST",
        &format!("secret/data/{path}"),
        VAULT_TOKEN,
        Some(&body),
    );
    assert!(status < 300, "kv put: {status} {reply}");
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

#[test]
fn render_watch_polls_a_source_manager_and_signals_on_rotation() {
    let Some(addr) = services::vault() else {
        return;
    };
    let path = format!("render{}", std::process::id());
    kv_put(addr, &path, &[("TOKEN", FIRST), ("OTHER", "other-value-1")]);
    let env = Env::new();
    env.write(
        ".sealbox.toml",
        format!("[environments.live]\nsource = \"vault:secret/{path}\"\n"),
    );
    env.write("app.tpl", "TOKEN={{ TOKEN }}\n");
    let counter = env.path("hups");
    let mut svc = hup_counter(&counter);
    let pid = svc.id().to_string();
    let vars = [("VAULT_ADDR", addr), ("VAULT_TOKEN", VAULT_TOKEN)];
    let mut watcher = spawn_with(
        &env,
        &[
            "render",
            "-e",
            "live",
            "--template",
            "app.tpl",
            "--out",
            "app.env",
            "--watch",
            "--interval",
            "0.2",
            "--poll",
            "0.5",
            "--pid",
            &pid,
        ],
        &vars,
    );
    let out = env.path("app.env");
    eventually(Duration::from_secs(20), "the first render", || {
        read(&out) == format!("TOKEN={FIRST}")
    });
    // Rotated in the manager: rendered again, one SIGHUP.
    kv_put(
        addr,
        &path,
        &[("TOKEN", ROTATED), ("OTHER", "other-value-1")],
    );
    eventually(Duration::from_secs(20), "the rotated render", || {
        read(&out) == format!("TOKEN={ROTATED}")
    });
    eventually(Duration::from_secs(20), "one SIGHUP", || {
        read(&counter) == "1"
    });
    // A change the template does not use, and polls that find nothing new: no signal.
    kv_put(
        addr,
        &path,
        &[("TOKEN", ROTATED), ("OTHER", "other-value-2")],
    );
    std::thread::sleep(Duration::from_millis(2000));
    assert_eq!(read(&counter), "1");
    svc.kill().unwrap();
    svc.wait().unwrap();
    assert!(wait_for(&mut watcher, Duration::from_secs(20)).success());
    let mut err = String::new();
    std::io::Read::read_to_string(watcher.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(err.contains("polling"), "{err}");
    assert!(!err.contains(FIRST) && !err.contains(ROTATED), "{err}");
}

#[test]
fn render_watch_reports_a_drifting_sync_target_by_name() {
    let Some(addr) = services::vault() else {
        return;
    };
    let path = format!("rendersync{}", std::process::id());
    let env = Env::new();
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.app]\nfiles = [\"secrets/app.env\"]\nage = [\"{}\"]\nsync = \"vault:secret/{path}\"\n",
            env.recipient
        ),
    );
    env.set("app", "TOKEN", FIRST);
    env.set("app", "OTHER", "other-value-1");
    let vars = [("VAULT_ADDR", addr), ("VAULT_TOKEN", VAULT_TOKEN)];
    let pushed = env
        .cmd_with_key()
        .envs(vars)
        .args(["push", "-e", "app"])
        .output()
        .unwrap();
    assert!(pushed.status.success(), "{pushed:?}");
    env.write("app.tpl", "TOKEN={{ TOKEN }}\n");
    let mut watcher = spawn_with(
        &env,
        &[
            "render",
            "-e",
            "app",
            "--template",
            "app.tpl",
            "--out",
            "app.env",
            "--watch",
            "--interval",
            "0.2",
            "--poll",
            "0.4",
        ],
        &vars,
    );
    let out = env.path("app.env");
    eventually(Duration::from_secs(20), "the first render", || {
        read(&out) == format!("TOKEN={FIRST}")
    });
    // Someone rotates the secret in the manager: the files still hold the old one.
    kv_put(
        addr,
        &path,
        &[("TOKEN", ROTATED), ("OTHER", "other-value-1")],
    );
    std::thread::sleep(Duration::from_millis(2500));
    // The output keeps the files' values.
    assert_eq!(read(&out), format!("TOKEN={FIRST}"));
    watcher.kill().unwrap();
    watcher.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(watcher.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(
        err.contains("changed in the target: TOKEN") && err.contains("sealbox pull -e app"),
        "{err}"
    );
    assert_eq!(
        err.matches("changed in the target").count(),
        1,
        "said once: {err}"
    );
    assert!(!err.contains(FIRST) && !err.contains(ROTATED), "{err}");
}
