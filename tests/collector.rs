//! `SEALBOX_AUDIT_SYSLOG` (issue 17): audit events reach a real `rsyslogd` (Debian
//! `rsyslog`, started on free ports with its own configuration, stopped by its pid)
//! over TCP, UDP and a unix socket, parsed by rsyslog's own RFC 5424 parser; a
//! collector that is down only warns.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{self, code, Env};
use crate::runtime::project;

/// A running rsyslogd writing what it receives, field by field, to `out`.
struct Rsyslog {
    child: Child,
    _dir: tempfile::TempDir,
    tcp: u16,
    udp: u16,
    sock: PathBuf,
    out: PathBuf,
}

fn free_port(udp: bool) -> u16 {
    if udp {
        std::net::UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    } else {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }
}

fn rsyslogd() -> Option<PathBuf> {
    ["/usr/sbin/rsyslogd", "/sbin/rsyslogd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .or_else(|| harness::have("rsyslogd").then(|| PathBuf::from("rsyslogd")))
}

impl Rsyslog {
    fn start() -> Option<Self> {
        let Some(bin) = rsyslogd() else {
            assert!(
                std::env::var_os("SEALBOX_REQUIRE_PEERS").is_none(),
                "rsyslogd is required (SEALBOX_REQUIRE_PEERS is set) but not installed"
            );
            eprintln!("skipping: rsyslogd is not installed");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let (tcp, udp) = (free_port(false), free_port(true));
        let out = dir.path().join("received.log");
        let sock = dir.path().join("log.sock");
        let conf = dir.path().join("rsyslog.conf");
        std::fs::write(
            &conf,
            format!(
                r#"global(workDirectory="{dir}")
module(load="imtcp")
module(load="imudp")
module(load="imuxsock" SysSock.Use="off")
input(type="imtcp" port="{tcp}" address="127.0.0.1")
input(type="imudp" port="{udp}" address="127.0.0.1")
input(type="imuxsock" Socket="{sock}" UseSpecialParser="off" UsePIDFromSystem="off")
template(name="fields" type="string" string="%inputname%|%protocol-version%|%syslogfacility-text%|%syslogseverity-text%|%app-name%|%procid%|%msgid%|%structured-data%|%msg%\n")
*.* action(type="omfile" file="{out}" template="fields")
"#,
                dir = dir.path().display(),
                sock = sock.display(),
                out = out.display(),
            ),
        )
        .unwrap();
        let child = Command::new(bin)
            .arg("-n")
            .arg("-f")
            .arg(&conf)
            .arg("-i")
            .arg(dir.path().join("rsyslogd.pid"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let r = Self {
            child,
            _dir: dir,
            tcp,
            udp,
            sock,
            out,
        };
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", tcp)).is_err() || !r.sock.exists() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "rsyslogd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(r)
    }

    /// The received lines once `n` have arrived.
    fn lines(&self, n: usize) -> Vec<String> {
        let start = Instant::now();
        loop {
            let text = std::fs::read_to_string(&self.out).unwrap_or_default();
            let lines: Vec<String> = text.lines().map(str::to_owned).collect();
            if lines.len() >= n {
                return lines;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "rsyslogd received {} of {n} messages: {text}",
                lines.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Rsyslog {
    fn drop(&mut self) {
        // Stopped by its own pid, never by name.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

#[test]
fn audit_events_reach_rsyslog_over_tcp_udp_and_unix() {
    let Some(rs) = Rsyslog::start() else {
        return;
    };
    let env = Env::new();
    project(&env);
    let log = env.path("audit.jsonl");
    let targets = [
        format!("tcp://127.0.0.1:{}", rs.tcp),
        format!("udp://127.0.0.1:{}", rs.udp),
        format!("unix:{}", rs.sock.display()),
    ];
    for t in &targets {
        let o = env
            .cmd_with_key()
            .env("SEALBOX_AUDIT_LOG", &log)
            .env("SEALBOX_AUDIT_SYSLOG", t)
            .args(["get", "dev", "TOKEN"])
            .output()
            .unwrap();
        assert_eq!(code(&o), 0, "{t}: {}", String::from_utf8_lossy(&o.stderr));
        assert!(
            o.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let lines = rs.lines(3);
    let local: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(local.len(), 3);
    let mut inputs = Vec::new();
    for (line, event) in lines.iter().zip(&local) {
        let f: Vec<&str> = line.splitn(9, '|').collect();
        inputs.push(f[0].to_owned());
        assert_eq!(f[1], "1", "RFC 5424: {line}");
        assert_eq!((f[2], f[3]), ("local0", "info"), "{line}");
        assert_eq!((f[4], f[6]), ("sealbox", "get"), "{line}");
        assert!(f[5].parse::<u32>().is_ok(), "{line}");
        let hash = event["hash"].as_str().unwrap();
        let prev = event["prev"].as_str().unwrap();
        assert_eq!(
            f[7],
            format!("[sealbox@32473 hash=\"{hash}\" prev=\"{prev}\"]"),
            "{line}"
        );
        let sent: serde_json::Value = serde_json::from_str(f[8].trim()).unwrap();
        assert_eq!(&sent, event, "the message is the local log's line");
        assert!(!line.contains("tok_live"), "no value: {line}");
    }
    inputs.sort();
    assert_eq!(inputs, ["imtcp", "imudp", "imuxsock"]);
    // The chain still verifies.
    env.cmd()
        .env("SEALBOX_AUDIT_LOG", &log)
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn a_collector_that_is_down_warns_and_the_command_goes_on() {
    let env = Env::new();
    project(&env);
    let log = env.path("audit.jsonl");
    let closed = free_port(false);
    let o = env
        .cmd_with_key()
        .env("SEALBOX_AUDIT_LOG", &log)
        .env("SEALBOX_AUDIT_SYSLOG", format!("tcp://127.0.0.1:{closed}"))
        .args(["get", "dev", "TOKEN"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "tok_live_51Habcdefghijklmnop"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning")
            && err.contains(&format!("tcp://127.0.0.1:{closed}"))
            && err.contains("local audit log"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 1);
    let o = env
        .cmd_with_key()
        .env("SEALBOX_AUDIT_LOG", &log)
        .env(
            "SEALBOX_AUDIT_SYSLOG",
            format!("unix:{}", env.path("nothing.sock").display()),
        )
        .args(["get", "dev", "TOKEN"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    assert!(String::from_utf8_lossy(&o.stderr).contains("warning"));
    // A malformed value is a configuration error before anything is decrypted.
    let o = env
        .cmd_with_key()
        .env("SEALBOX_AUDIT_LOG", &log)
        .env("SEALBOX_AUDIT_SYSLOG", "syslog.example.com")
        .args(["exec", "-e", "dev", "--", "true"])
        .output()
        .unwrap();
    harness::assert_clean_failure(&o, 2, "SEALBOX_AUDIT_SYSLOG", "tok_live");
}
