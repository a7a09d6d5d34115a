//! Unwrapping through a service (KMS, Vault): requests run on a bounded pool of worker
//! threads, each wrapped key is asked for once per run (the answer is kept, keyed by
//! the stanza), and a bulk run can ask without waiting: the first pass over the files
//! starts every request and sets the files aside, the second pass finds the answers.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{mpsc, Arc, Condvar, Mutex, OnceLock};
use std::time::Duration;

use zeroize::Zeroizing;

use crate::sops::MasterKey;

/// How many requests may be in flight at once (`SEALBOX_KMS_CONCURRENCY`, 1–64,
/// overrides it; 1 makes them one after another).
pub const MAX_IN_FLIGHT: usize = 16;

fn in_flight() -> usize {
    std::env::var("SEALBOX_KMS_CONCURRENCY")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map_or(MAX_IN_FLIGHT, |n| n.clamp(1, 64))
}

/// Connect timeout for every service.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// Whole-request timeout for every service.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// Why a service did not give the key back.
#[derive(Clone, Debug)]
pub enum RemoteError {
    /// The service answered and refused (wrong key, wrong context, no permission on
    /// that key): the next master key may still work.
    Refused(String),
    /// The service could not be asked (unreachable, timed out, no or expired
    /// credentials): a message naming the endpoint and the variable to set.
    Unavailable(String),
}

impl std::fmt::Display for RemoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RemoteError::Refused(m) | RemoteError::Unavailable(m) => f.write_str(m),
        }
    }
}

type Answer = Result<Zeroizing<Vec<u8>>, RemoteError>;

/// One request's answer, filled once.
#[derive(Default)]
struct Slot {
    answer: Mutex<Option<Answer>>,
    ready: Condvar,
}

impl Slot {
    fn fill(&self, a: Answer) {
        if let Ok(mut g) = self.answer.lock() {
            *g = Some(a);
        }
        self.ready.notify_all();
    }

    fn peek(&self) -> Option<Answer> {
        self.answer.lock().ok().and_then(|g| g.clone())
    }

    fn wait(&self) -> Answer {
        let Ok(mut g) = self.answer.lock() else {
            return Err(RemoteError::Unavailable(
                "internal lock poisoned".to_owned(),
            ));
        };
        loop {
            if let Some(a) = g.as_ref() {
                return a.clone();
            }
            g = match self.ready.wait(g) {
                Ok(g) => g,
                Err(_) => {
                    return Err(RemoteError::Unavailable(
                        "internal lock poisoned".to_owned(),
                    ))
                }
            };
        }
    }
}

type Task = Box<dyn FnOnce() + Send>;

struct Pool {
    answers: Mutex<HashMap<String, Arc<Slot>>>,
    queue: Mutex<mpsc::Sender<Task>>,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Task>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..in_flight() {
            let rx = rx.clone();
            let _ = std::thread::Builder::new()
                .name(format!("sealbox-remote-{i}"))
                .spawn(move || loop {
                    let task = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    match task {
                        Ok(t) => t(),
                        Err(_) => return,
                    }
                });
        }
        Pool {
            answers: Mutex::new(HashMap::new()),
            queue: Mutex::new(tx),
        }
    })
}

thread_local! {
    static DEFER: Cell<bool> = const { Cell::new(false) };
    static WAITED: Cell<bool> = const { Cell::new(false) };
}

/// What a [`deferring`] run gave.
pub enum Deferral<R> {
    /// It ran to its end.
    Ran(R),
    /// It stopped at a request not answered yet: run it again later (its result, a
    /// failure to unwrap, says nothing).
    Waiting,
}

/// Runs `f` with remote unwraps that do not wait: a request not answered yet makes the
/// unwrap report [`Outcome::Pending`], and the run [`Deferral::Waiting`].
pub fn deferring<R: Finished>(f: impl FnOnce() -> R) -> Deferral<R> {
    struct Reset(bool, bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            DEFER.with(|d| d.set(self.0));
            WAITED.with(|w| w.set(self.1));
        }
    }
    let _reset = Reset(
        DEFER.with(|d| d.replace(true)),
        WAITED.with(|w| w.replace(false)),
    );
    let r = f();
    if WAITED.with(Cell::get) && waiting(&r) {
        Deferral::Waiting
    } else {
        Deferral::Ran(r)
    }
}

/// Whether a run that met a pending request stopped because of it: a run that ended
/// well got its key another way (another key group) and is done.
fn waiting<R: Finished>(r: &R) -> bool {
    r.failed()
}

/// Results that can say whether they failed (for [`deferring`]).
pub trait Finished {
    /// Whether the run failed.
    fn failed(&self) -> bool;
}

impl<T, E> Finished for Result<T, E> {
    fn failed(&self) -> bool {
        self.is_err()
    }
}

/// What an unwrap through a service gave.
pub enum Outcome {
    /// The service answered (or could not be asked).
    Done(Answer),
    /// Asked, not answered yet (only while [`deferring`]).
    Pending,
}

/// How many unwrap requests this process has sent to key services.
#[must_use]
pub fn requests_sent() -> usize {
    SENT.load(std::sync::atomic::Ordering::Relaxed)
}

static SENT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Unwraps `key` through its service, at most one request per stanza per run.
pub fn unwrap(key: &MasterKey, call: fn(&MasterKey) -> Answer) -> Outcome {
    let p = pool();
    let id = format!(
        "{}\u{0}{}\u{0}{}",
        key.kind,
        key.describe(),
        key.field("enc").unwrap_or_default()
    );
    let (slot, fresh) = match p.answers.lock() {
        Ok(mut m) => match m.get(&id) {
            Some(s) => (s.clone(), false),
            None => {
                let s = Arc::new(Slot::default());
                m.insert(id, s.clone());
                (s, true)
            }
        },
        Err(_) => {
            return Outcome::Done(Err(RemoteError::Unavailable(
                "internal lock poisoned".to_owned(),
            )))
        }
    };
    if fresh {
        SENT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let owned = key.clone();
        let s = slot.clone();
        // A panic inside a client library must not leave waiters blocked forever.
        let task: Task = Box::new(move || {
            let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| call(&owned)))
                .unwrap_or_else(|_| {
                    Err(RemoteError::Unavailable(format!(
                        "{}: the key service client failed unexpectedly",
                        owned.describe()
                    )))
                });
            s.fill(answer);
        });
        let sent = p.queue.lock().map(|q| q.send(task));
        if !matches!(sent, Ok(Ok(()))) {
            slot.fill(call(key));
        }
    }
    if DEFER.with(Cell::get) {
        return match slot.peek() {
            Some(a) => Outcome::Done(a),
            None => {
                WAITED.with(|w| w.set(true));
                Outcome::Pending
            }
        };
    }
    Outcome::Done(slot.wait())
}

/// A shared multi-threaded async runtime for the SDKs that need one.
#[must_use]
pub fn runtime() -> Option<&'static tokio::runtime::Runtime> {
    static RT: OnceLock<Option<tokio::runtime::Runtime>> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("sealbox-io")
            .enable_all()
            .build()
            .ok()
    })
    .as_ref()
}

/// Makes ring the process's TLS provider: the GCP and Azure SDKs talk through reqwest
/// built without a provider of its own (no second crypto library in the binary).
pub fn install_tls_provider() {
    // Err = a provider is already installed, which is just as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// [`runtime`], or the "unavailable" error the callers report when it cannot start.
///
/// # Errors
/// The runtime could not be built.
pub fn runtime_or_unavailable() -> Result<&'static tokio::runtime::Runtime, RemoteError> {
    runtime().ok_or_else(|| RemoteError::Unavailable("cannot start the async runtime".to_owned()))
}

/// A shared HTTP agent (connections are reused across requests).
#[must_use]
pub fn http() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(REQUEST_TIMEOUT))
            .http_status_as_error(false)
            .max_idle_connections_per_host(in_flight())
            .build()
            .into()
    })
}

/// Posts a JSON body and returns the status and the parsed JSON answer.
///
/// # Errors
/// A transport failure, as [`RemoteError::Unavailable`] naming `what` and the hint.
pub fn post_json(
    url: &str,
    headers: &[(&str, &str)],
    body: &serde_json::Value,
    what: &str,
    hint: &str,
) -> Result<(u16, serde_json::Value), RemoteError> {
    let mut req = http().post(url).header("Content-Type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut resp = req.send(body.to_string()).map_err(|e| {
        RemoteError::Unavailable(format!("{what}: cannot reach {}: {e}; {hint}", origin(url)))
    })?;
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    Ok((status, json))
}

/// The scheme, host and port of a URL (what error messages name; never a query).
#[must_use]
pub fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or(host);
    if scheme.is_empty() {
        host.to_owned()
    } else {
        format!("{scheme}://{host}")
    }
}

/// An SDK error and its causes as one line ("what: why: root cause"), without the
/// wrappers' boilerplate, shortened.
#[must_use]
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    const NOISE: [&str; 3] = [
        "non-transport error occurred which will not be retried",
        "retry policy expired and the request will no longer be retried",
        "but future attempts may succeed",
    ];
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        let line = err.to_string();
        let line = line.lines().next().unwrap_or_default().trim().to_owned();
        if !line.is_empty()
            && !NOISE.contains(&line.as_str())
            && !parts.iter().any(|p| p.contains(&line))
        {
            parts.push(line);
        }
        cur = err.source();
    }
    let text = parts.join(": ");
    text.chars().take(300).collect()
}

/// The first error message of a service's JSON answer, shortened.
#[must_use]
pub fn service_message(v: &serde_json::Value) -> String {
    let m = v
        .pointer("/errors/0")
        .and_then(|e| e.as_str())
        .or_else(|| v.pointer("/error/message").and_then(|e| e.as_str()))
        .or_else(|| v.pointer("/message").and_then(|e| e.as_str()))
        .unwrap_or("no message");
    m.chars().take(200).collect()
}

/// One job for [`run_all`].
pub type Job<T> = Box<dyn FnOnce() -> T + Send>;

/// Runs every job on the bounded request pool (at most [`MAX_IN_FLIGHT`] at once, or
/// `SEALBOX_KMS_CONCURRENCY`) and returns their results in the jobs' order; `None` for
/// a job whose client panicked. Must not be called from a pool thread.
#[must_use]
pub fn run_all<T: Send + 'static>(jobs: Vec<Job<T>>) -> Vec<Option<T>> {
    let p = pool();
    let n = jobs.len();
    let (tx, rx) = mpsc::channel::<(usize, Option<T>)>();
    for (i, job) in jobs.into_iter().enumerate() {
        let task_tx = tx.clone();
        let shared = Arc::new(Mutex::new(Some(job)));
        let task_job = shared.clone();
        let task: Task = Box::new(move || {
            let job = task_job.lock().ok().and_then(|mut j| j.take());
            let out =
                job.and_then(|j| std::panic::catch_unwind(std::panic::AssertUnwindSafe(j)).ok());
            let _ = task_tx.send((i, out));
        });
        let sent = p.queue.lock().map(|q| q.send(task));
        if !matches!(sent, Ok(Ok(()))) {
            // No pool: run it here.
            let job = shared.lock().ok().and_then(|mut j| j.take());
            let out =
                job.and_then(|j| std::panic::catch_unwind(std::panic::AssertUnwindSafe(j)).ok());
            let _ = tx.send((i, out));
        }
    }
    drop(tx);
    let mut out: Vec<Option<T>> = (0..n).map(|_| None).collect();
    for (i, r) in rx {
        if let Some(slot) = out.get_mut(i) {
            *slot = r;
        }
    }
    out
}
