//! At run time (issue 17): `exec --redact` and `redact` on real children, `render` and
//! `render --watch` with a real process counting SIGHUPs, `scan --values` on real git
//! repositories.

use std::io::Write as _;
use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;

use crate::harness::{code, Env};

/// A canary that must never show in sealbox's own output.
const CANARY: &str = "canary-Zq8v/Kp+w=r&s t\"x\\y";
const TOKEN: &str = "tok_live_51Habcdefghijklmnop";

/// A project with dev (this workspace's key) holding the canary, a token and a short
/// value.
pub fn project(env: &Env) {
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"secrets/dev.env\"]\nage = [\"{}\"]\n",
            env.recipient
        ),
    );
    set(env, "dev", "CANARY", CANARY);
    set(env, "dev", "TOKEN", TOKEN);
    set(env, "dev", "SHORT", "abc");
}

pub fn set(env: &Env, e: &str, k: &str, v: &str) {
    env.cmd_with_key()
        .args(["set", e, k, "-"])
        .write_stdin(format!("{v}\n"))
        .assert()
        .success();
}

/// Every form the filter must catch, as the child's own tools print them.
const PRINT_FORMS: &str = r#"
import base64, json, os, re, sys, time, urllib.parse
for name in ("CANARY", "TOKEN"):
    v = os.environ[name]
    b = v.encode()
    forms = [
        v,
        base64.b64encode(b).decode(),
        base64.b64encode(b).decode().rstrip("="),
        base64.urlsafe_b64encode(b).decode(),
        base64.urlsafe_b64encode(b).decode().rstrip("="),
        urllib.parse.quote(v, safe="-_.!~*'()"),
        re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), urllib.parse.quote(v, safe="-_.!~*'()")),
        urllib.parse.quote_plus(v, safe="-_.!~*'()"),
        json.dumps(v)[1:-1],
        json.dumps({"k": v}),
        base64.b64encode(b"user:" + b).decode(),
        base64.b64encode(b"Bearer " + b + b" tail").decode(),
        base64.b64encode(b"abc" + b).decode(),
    ]
    for out in (sys.stdout, sys.stderr):
        for f in forms:
            # Each form split across two writes with a pause between them.
            half = len(f) // 2
            out.write("<" + f[:half]); out.flush(); time.sleep(0.01)
            out.write(f[half:] + ">\n"); out.flush()
sys.stdout.write("short=" + os.environ["SHORT"] + "\n")
sys.exit(int(sys.argv[1]))
"#;

/// The forms the child prints, computed here, for the negative check.
fn all_forms(v: &str) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    vec![
        v.to_owned(),
        STANDARD.encode(v),
        STANDARD_NO_PAD.encode(v),
        URL_SAFE.encode(v),
        URL_SAFE_NO_PAD.encode(v),
        serde_json::to_string(v)
            .unwrap()
            .trim_matches('"')
            .to_owned(),
    ]
}

#[test]
fn exec_redact_catches_every_form_split_across_writes() {
    if !crate::harness::have("python3") {
        return;
    }
    let env = Env::new();
    project(&env);
    let o = env
        .cmd_with_key()
        .args([
            "exec",
            "-e",
            "dev",
            "--redact",
            "--",
            "python3",
            "-c",
            PRINT_FORMS,
            "7",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&o), 7, "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    for (name, text) in [("stdout", &out), ("stderr", &err)] {
        for v in [CANARY, TOKEN] {
            for f in all_forms(v) {
                assert!(!text.contains(&f), "{name} holds a form of a value: {text}");
            }
        }
        // 13 forms of each value, each on its own line: the first nine are the value
        // alone, then inside JSON, then inside longer base64 texts.
        let lines: Vec<&str> = text.lines().filter(|l| l.starts_with('<')).collect();
        assert_eq!(lines.len(), 26, "{name}: {text}");
        for (i, key) in ["CANARY", "TOKEN"].iter().enumerate() {
            let label = format!("[REDACTED:{key}]");
            for (j, l) in lines[13 * i..13 * (i + 1)].iter().enumerate() {
                match j {
                    0..=8 => assert_eq!(*l, format!("<{label}>"), "{name} form {j}"),
                    9 => assert_eq!(*l, format!("<{{\"k\": \"{label}\"}}>"), "{name}"),
                    _ => assert!(l.contains(&label), "{name} form {j}: {l}"),
                }
            }
        }
    }
    // Values shorter than --redact-min stay.
    assert!(out.contains("short=abc\n"), "{out}");
    let o = env
        .cmd_with_key()
        .args([
            "exec",
            "-e",
            "dev",
            "--redact",
            "--redact-min",
            "3",
            "--",
            "python3",
            "-c",
            PRINT_FORMS,
            "0",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    assert!(String::from_utf8_lossy(&o.stdout).contains("short=[REDACTED:SHORT]\n"));
    // Without --redact exec stays a plain execve: the values pass untouched.
    let o = env
        .cmd_with_key()
        .args(["exec", "-e", "dev", "--", "printenv", "TOKEN"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(o.stdout).unwrap(), format!("{TOKEN}\n"));
}

#[test]
fn exec_redact_passes_exit_codes_signals_and_start_errors() {
    let env = Env::new();
    project(&env);
    // Killed by a signal: 128 + N.
    let o = env
        .cmd_with_key()
        .args([
            "exec",
            "-e",
            "dev",
            "--redact",
            "--",
            "sh",
            "-c",
            "kill -KILL $$",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&o), 128 + 9);
    let o = env
        .cmd_with_key()
        .args(["exec", "-e", "dev", "--redact", "--", "/no/such/cmd"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 127);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("/no/such/cmd") && !err.contains("canary"),
        "{err}"
    );
    // Signals sent to sealbox reach the child, whose handler decides the exit code.
    for (sig, name, want) in [
        (libc::SIGTERM, "TERM", 3),
        (libc::SIGINT, "INT", 4),
        (libc::SIGHUP, "HUP", 5),
        (libc::SIGWINCH, "WINCH", 6),
    ] {
        let script = format!(
            "trap 'echo got {name} $CANARY; exit {want}' {name}; echo ready; while :; do sleep 0.05; done"
        );
        let mut child = spawn(
            &env,
            &["exec", "-e", "dev", "--redact", "--", "sh", "-c", &script],
        );
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 6];
        std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
        assert_eq!(&first, b"ready\n");
        signal(&child, sig);
        let status = wait_for(&mut child, Duration::from_secs(10));
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
        assert_eq!(status.code(), Some(want), "{name}");
        assert_eq!(rest, format!("got {name} [REDACTED:CANARY]\n"));
    }
}

#[test]
fn redact_filters_stdin_and_files() {
    let env = Env::new();
    project(&env);
    let log = format!(
        "GET /login?token={} 200\nAuthorization: Basic {}\n",
        TOKEN,
        base64::engine::general_purpose::STANDARD.encode(format!("admin:{CANARY}"))
    );
    let o = env
        .cmd_with_key()
        .args(["redact", "-e", "dev"])
        .write_stdin(log.clone())
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.starts_with("GET /login?token=[REDACTED:TOKEN] 200\nAuthorization: Basic "),
        "{out}"
    );
    assert!(out.contains("[REDACTED:CANARY]"), "{out}");
    assert!(!String::from_utf8_lossy(&o.stderr).contains(TOKEN));
    env.write("app.log", &log);
    let o = env
        .cmd_with_key()
        .args(["redact", "-e", "dev", "app.log"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(o.stdout).unwrap(), out);
    // A line reaches the output as soon as it is written (tail -f | sealbox redact).
    let mut child = spawn(&env, &["redact", "-e", "dev"]);
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(format!("first {TOKEN}\n").as_bytes())
        .unwrap();
    input.flush().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let want = b"first [REDACTED:TOKEN]\n";
    let mut got = vec![0u8; want.len()];
    std::io::Read::read_exact(&mut stdout, &mut got).unwrap();
    assert_eq!(got, want);
    drop(input);
    assert!(wait_for(&mut child, Duration::from_secs(10)).success());
    // Unknown environments and missing files: clear errors, no value.
    let o = env
        .cmd_with_key()
        .args(["redact", "-e", "nope"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    let o = env
        .cmd_with_key()
        .args(["redact", "-e", "dev", "missing.log"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 5);
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.log"));
}

pub fn spawn(env: &Env, args: &[&str]) -> Child {
    spawn_with(env, args, &[])
}

/// [`spawn`] with more variables (a secrets manager's address and token).
pub fn spawn_with(env: &Env, args: &[&str], vars: &[(&str, &str)]) -> Child {
    let mut std_cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("sealbox"));
    std_cmd.envs(vars.iter().copied());
    std_cmd.current_dir(env.dir.path());
    for (k, _) in std::env::vars() {
        if k.starts_with("SOPS_") || k.starts_with("SEALBOX_") {
            std_cmd.env_remove(k);
        }
    }
    std_cmd
        .env("HOME", env.path("home"))
        .env("XDG_CONFIG_HOME", env.path("home/.config"))
        .env("SEALBOX_AGE_KEY_FILE", &env.key)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A shell process that counts the SIGHUPs it gets into `counter` (started and ready).
pub fn hup_counter(counter: &std::path::Path) -> Child {
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "n=0; trap 'n=$((n+1)); echo $n > {}' HUP; echo ready; while :; do sleep 0.05; done",
            counter.display()
        ))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut ready = [0u8; 6];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut ready).unwrap();
    child
}

pub fn signal(child: &Child, sig: i32) {
    let pid = i32::try_from(child.id()).unwrap();
    assert_eq!(
        std::process::Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(pid.to_string())
            .status()
            .unwrap()
            .code(),
        Some(0)
    );
}

pub fn wait_for(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("process did not end in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until `f` holds (or fails the test after `limit`).
pub fn eventually(limit: Duration, what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn render_writes_a_private_file_with_filters() {
    let env = Env::new();
    project(&env);
    env.write(
        "app.tpl",
        "TOKEN={{ TOKEN }}\nQ={{ CANARY | shell }}\nJ={{ CANARY | json }}\nB={{ TOKEN | base64 }}\nU={{ CANARY | urlencode }}\n",
    );
    let o = env
        .cmd_with_key()
        .args([
            "render",
            "-e",
            "dev",
            "--template",
            "app.tpl",
            "--out",
            "app.env",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let meta = std::fs::metadata(env.path("app.env")).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let text = String::from_utf8(env.read("app.env")).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD.encode(TOKEN);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("TOKEN={TOKEN}"));
    assert_eq!(
        lines[2],
        format!("J={}", serde_json::to_string(CANARY).unwrap())
    );
    assert_eq!(lines[3], format!("B={b64}"));
    // The shell-quoted form reads back as the value.
    let sh = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{}; printf %s \"$Q\"", lines[1]))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(sh.stdout).unwrap(), CANARY);
    assert!(
        !lines[4].contains('/') && !lines[4].contains(' '),
        "{}",
        lines[4]
    );
    // A world-readable output is made private before secrets go in.
    std::fs::set_permissions(env.path("app.env"), std::fs::Permissions::from_mode(0o644)).unwrap();
    env.cmd_with_key()
        .args([
            "render",
            "-e",
            "dev",
            "--template",
            "app.tpl",
            "--out",
            "app.env",
        ])
        .assert()
        .success();
    let meta = std::fs::metadata(env.path("app.env")).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    // An undefined variable or a broken template: exit 2 naming the template, no value,
    // and the previous output untouched.
    for (bad, why) in [("{{ NOPE }}\n", "undefined"), ("{{ TOKEN \n", "syntax")] {
        env.write("bad.tpl", bad);
        let o = env
            .cmd_with_key()
            .args([
                "render",
                "-e",
                "dev",
                "--template",
                "bad.tpl",
                "--out",
                "app.env",
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(code(&o), 2, "{why}: {err}");
        assert!(err.contains("bad.tpl") && err.contains("line 1"), "{err}");
        assert!(!err.contains(TOKEN) && !err.contains("canary"), "{err}");
        assert_eq!(String::from_utf8(env.read("app.env")).unwrap(), text);
    }
}

#[test]
fn render_watch_re_renders_and_signals_a_real_process() {
    let env = Env::new();
    project(&env);
    env.write("app.tpl", "TOKEN={{ TOKEN }}\n");
    // The service: counts SIGHUPs into a file.
    let counter = env.path("hups");
    let mut service = hup_counter(&counter);
    let pid = service.id().to_string();
    let mut watcher = spawn(
        &env,
        &[
            "render",
            "-e",
            "dev",
            "--template",
            "app.tpl",
            "--out",
            "app.env",
            "--watch",
            "--interval",
            "0.2",
            "--pid",
            &pid,
        ],
    );
    let out = env.path("app.env");
    eventually(Duration::from_secs(20), "the first render", || out.exists());
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        format!("TOKEN={TOKEN}\n")
    );
    let hups = || {
        std::fs::read_to_string(&counter)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    // A rotated secret: re-rendered, then one SIGHUP.
    set(&env, "dev", "TOKEN", "tok_rotated_value_0001");
    eventually(Duration::from_secs(20), "the second render", || {
        std::fs::read_to_string(&out).unwrap_or_default() == "TOKEN=tok_rotated_value_0001\n"
    });
    eventually(Duration::from_secs(20), "one SIGHUP", || hups() == "1");
    // A change that does not change the output sends nothing.
    set(&env, "dev", "OTHER", "unused-value");
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(hups(), "1");
    // A broken template keeps the previous output and sends nothing.
    env.write("app.tpl", "TOKEN={{ TOKEN \n");
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "TOKEN=tok_rotated_value_0001\n"
    );
    assert_eq!(hups(), "1");
    // Fixed template with a new line: second SIGHUP.
    env.write("app.tpl", "TOKEN={{ TOKEN }}\nAGAIN={{ TOKEN | base64 }}\n");
    eventually(Duration::from_secs(20), "a second SIGHUP", || hups() == "2");
    assert!(std::fs::read_to_string(&out).unwrap().contains("AGAIN="));
    // The service ends: so does the watcher.
    service.kill().unwrap();
    service.wait().unwrap();
    let status = wait_for(&mut watcher, Duration::from_secs(20));
    assert!(status.success());
    let mut err = String::new();
    std::io::Read::read_to_string(watcher.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(err.contains("render failed, keeping the previous"), "{err}");
    assert!(
        !err.contains(TOKEN) && !err.contains("tok_rotated"),
        "{err}"
    );
}

#[test]
fn render_watch_runs_a_command_after_a_change() {
    let env = Env::new();
    project(&env);
    env.write("app.tpl", "{{ TOKEN }}");
    let mut watcher = spawn(
        &env,
        &[
            "render",
            "-e",
            "dev",
            "--template",
            "app.tpl",
            "--out",
            "app.txt",
            "--watch",
            "--interval",
            "0.2",
            "--run",
            "cat app.txt >> reloads",
        ],
    );
    eventually(Duration::from_secs(20), "the first render", || {
        env.path("app.txt").exists()
    });
    // --run is not run for the first render, only after changes.
    std::thread::sleep(Duration::from_millis(500));
    assert!(!env.path("reloads").exists());
    set(&env, "dev", "TOKEN", "tok_second_value_02");
    eventually(Duration::from_secs(20), "the command", || {
        std::fs::read_to_string(env.path("reloads")).unwrap_or_default() == "tok_second_value_02"
    });
    watcher.kill().unwrap();
    watcher.wait().unwrap();
}
