//! Key services for the KMS tests: the real moto server (AWS KMS) and the real OpenBao
//! dev server (Vault transit), plus the local fake of GCP KMS and Azure Key Vault.
//! `.ci/run` starts moto and OpenBao and passes their addresses
//! (`SEALBOX_TEST_MOTO_URL`, `SEALBOX_TEST_VAULT_ADDR`); without them a test process
//! starts its own from PATH. Each spawned server is tied to this process's lifetime
//! through a pipe: when the test process exits, the pipe closes and the server is
//! killed.

use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn wait_for(port: u16) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Starts `cmd` in the background, killed when this process exits.
fn spawn_tied(cmd: &str) -> Child {
    spawn_tied_then(cmd, ":")
}

/// [`spawn_tied`], running `after` once `cmd` has stopped (to remove its files).
fn spawn_tied_then(cmd: &str, after: &str) -> Child {
    let script =
        format!("{cmd} >/dev/null 2>&1 & p=$!; read _; kill $p 2>/dev/null; wait $p; {after}");
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn service")
}

static CHILDREN: Mutex<Vec<Child>> = Mutex::new(Vec::new());

fn keep(c: Child) {
    CHILDREN.lock().unwrap_or_else(|e| e.into_inner()).push(c);
}

/// The moto server's URL, or `None` (skip) when moto is not installed.
pub fn moto() -> Option<&'static str> {
    static URL: OnceLock<Option<String>> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(u) = std::env::var("SEALBOX_TEST_MOTO_URL") {
            return Some(u);
        }
        if !super::have("moto_server") {
            return None;
        }
        let port = free_port();
        keep(spawn_tied(&format!("moto_server -H 127.0.0.1 -p {port}")));
        assert!(wait_for(port), "moto_server did not start");
        Some(format!("http://127.0.0.1:{port}"))
    })
    .as_deref()
}

/// The OpenBao dev server's address (root token `root`, transit enabled), or `None`.
pub fn vault() -> Option<&'static str> {
    static ADDR: OnceLock<Option<String>> = OnceLock::new();
    ADDR.get_or_init(|| {
        let addr = if let Ok(a) = std::env::var("SEALBOX_TEST_VAULT_ADDR") {
            a
        } else {
            if !super::have("bao") {
                return None;
            }
            let port = free_port();
            keep(spawn_tied(&format!(
                "bao server -dev -dev-root-token-id=root -dev-listen-address=127.0.0.1:{port}"
            )));
            assert!(wait_for(port), "bao server did not start");
            format!("http://127.0.0.1:{port}")
        };
        // Enabling twice answers 400 "path is already in use": fine.
        let _ = post(
            &format!("{addr}/v1/sys/mounts/transit"),
            VAULT_TOKEN,
            r#"{"type":"transit"}"#,
        );
        Some(addr)
    })
    .as_deref()
}

/// The dev server's root token.
pub const VAULT_TOKEN: &str = "root";

/// The GCP/Azure fake's URL (a Python server in `tests/fakes/`).
pub fn cloud_fake() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let port = free_port();
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fakes/cloud_kms.py");
        keep(spawn_tied(&format!("python3 {} {port}", script.display())));
        assert!(wait_for(port), "the cloud KMS fake did not start");
        format!("http://127.0.0.1:{port}")
    })
}

fn post(url: &str, token: &str, body: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .post(url)
        .header("X-Vault-Token", token)
        .header("Content-Type", "application/json")
        .send(body)
        .expect("post");
    (
        r.status().as_u16(),
        r.body_mut().read_to_string().unwrap_or_default(),
    )
}

/// The same fake over HTTPS (Azure's clients send tokens only over TLS): its URL and
/// the PEM file of the CA that signed its certificate (for `SSL_CERT_FILE`).
pub fn cloud_fake_tls() -> (&'static str, &'static std::path::Path) {
    static FAKE: OnceLock<(String, std::path::PathBuf)> = OnceLock::new();
    let (url, ca) = FAKE.get_or_init(|| {
        let port = free_port();
        let ca =
            std::env::temp_dir().join(format!("sealbox-fake-ca-{}-{port}.pem", std::process::id()));
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fakes/cloud_kms.py");
        // The CA file goes when the fake stops (the test process ends), not left in /tmp.
        keep(spawn_tied_then(
            &format!("python3 {} {port} --tls {}", script.display(), ca.display()),
            &format!("rm -f {}", ca.display()),
        ));
        assert!(wait_for(port), "the cloud KMS fake (TLS) did not start");
        let start = Instant::now();
        while !ca.exists() && start.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(50));
        }
        (format!("https://127.0.0.1:{port}"), ca)
    });
    (url, ca)
}

/// One KMS test at a time: each resets moto first.
pub fn kms_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn kms_call(url: &str, target: &str, body: &str) -> serde_json::Value {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .post(url)
        .header("X-Amz-Target", &format!("TrentService.{target}"))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00",
        )
        .send(body)
        .expect("moto");
    let text = r.body_mut().read_to_string().unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
}

/// Resets moto and creates a symmetric key; returns its ARN.
pub fn moto_reset_and_key(url: &str) -> String {
    let _ = ureq::post(&format!("{url}/moto-api/reset")).send_empty();
    moto_key(url)
}

/// Creates another key; returns its ARN.
pub fn moto_key(url: &str) -> String {
    kms_call(url, "CreateKey", "{}")["KeyMetadata"]["Arn"]
        .as_str()
        .expect("arn")
        .to_owned()
}

/// Creates a transit key `name`.
pub fn vault_key(addr: &str, name: &str) {
    let (status, body) = post(&format!("{addr}/v1/transit/keys/{name}"), VAULT_TOKEN, "{}");
    assert!(status < 300, "create transit key: {status} {body}");
}

/// The AWS variables pointing at moto.
pub fn aws_env(cmd: &mut assert_cmd::Command, url: &str) {
    cmd.env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL_KMS", url)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN");
}

/// The same for a peer CLI (sops).
pub fn aws_env_std(cmd: &mut std::process::Command, url: &str) {
    cmd.env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL_KMS", url)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN");
}

/// A Vault/OpenBao HTTP call with `token`: status and parsed JSON answer.
pub fn vault_call(
    addr: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&str>,
) -> (u16, serde_json::Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{addr}/v1/{path}");
    let mut r = match method {
        "GET" => agent.get(&url).header("X-Vault-Token", token).call(),
        "DELETE" => agent.delete(&url).header("X-Vault-Token", token).call(),
        _ => agent
            .post(&url)
            .header("X-Vault-Token", token)
            .header("Content-Type", "application/json")
            .send(body.unwrap_or("{}")),
    }
    .expect("vault");
    let text = r.body_mut().read_to_string().unwrap_or_default();
    (
        r.status().as_u16(),
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

/// Mounts a KV version 1 engine at `kv` (once per server).
pub fn vault_kv1(addr: &str) {
    let _ = vault_call(
        addr,
        "POST",
        "sys/mounts/kv",
        VAULT_TOKEN,
        Some(r#"{"type":"kv","options":{"version":"1"}}"#),
    );
}

/// A token whose only policy is `hcl`.
pub fn vault_token_with_policy(addr: &str, name: &str, hcl: &str) -> String {
    let body = serde_json::json!({ "policy": hcl }).to_string();
    let (s, v) = vault_call(
        addr,
        "POST",
        &format!("sys/policies/acl/{name}"),
        VAULT_TOKEN,
        Some(&body),
    );
    assert!(s < 300, "policy: {s} {v}");
    let body = serde_json::json!({ "policies": [name], "no_default_policy": false }).to_string();
    let (s, v) = vault_call(addr, "POST", "auth/token/create", VAULT_TOKEN, Some(&body));
    assert!(s < 300, "token: {s} {v}");
    v["auth"]["client_token"]
        .as_str()
        .expect("token")
        .to_owned()
}

/// One call to an AWS JSON API on moto (`target` e.g. `secretsmanager.GetSecretValue`,
/// `AmazonSSM.GetParameter`).
pub fn aws_call(
    url: &str,
    service: &str,
    target: &str,
    body: &serde_json::Value,
) -> serde_json::Value {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent
        .post(url)
        .header("X-Amz-Target", target)
        .header("Content-Type", "application/x-amz-json-1.1")
        .header(
            "Authorization",
            &format!("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00"),
        )
        .send(body.to_string())
        .expect("moto");
    let text = r.body_mut().read_to_string().unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
}
