//! The audit log: one JSON line per command that reads or changes secrets (decrypt, get,
//! exec, export, edit, set, unset, rotate, updatekeys) with time, command, files (or, for
//! bulk runs, their count and a hash of the list), environment, key names (never values),
//! the recipients that opened the data keys, user and host. Each line carries the hash of
//! the previous line and its own, so `audit verify` proves the chain. Written to
//! `$SEALBOX_AUDIT_LOG` or `$XDG_STATE_HOME/sealbox/audit.jsonl` (0600); optionally also
//! sent to syslog (`--audit-syslog`) and to a collector (`$SEALBOX_AUDIT_SYSLOG`, see
//! [`collector`]). A log that cannot be written fails the command (unless `--no-audit`).

use std::fs::OpenOptions;
use std::io::{BufRead, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value as Json};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub mod collector;

/// Bulk runs record a count and a hash instead of the file list above this many files.
const MAX_LISTED: usize = 20;
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audited action.
#[derive(Default)]
pub struct Event {
    /// Subcommand name.
    pub command: &'static str,
    /// Files read or written.
    pub files: Vec<PathBuf>,
    /// Environments involved.
    pub environments: Vec<String>,
    /// Key names touched (never values).
    pub keys: Vec<String>,
    /// Master keys that opened the data keys.
    pub recipients: Vec<String>,
    /// The command failed after it began (an editor that exited non-zero, a merge
    /// conflict, a file that did not open): the line says so.
    pub failed: bool,
}

/// Where the log lives.
/// sealbox's state directory's parent: `$XDG_STATE_HOME`, else `~/.local/state` when the
/// home directory exists (a `HOME` that names nothing, as services have, is never
/// created).
#[must_use]
pub fn state_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_STATE_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|h| h.is_dir())
                .map(|h| h.join(".local").join("state"))
        })
}

#[must_use]
pub fn log_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SEALBOX_AUDIT_LOG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let state = state_dir()?;
    Some(state.join("sealbox").join("audit.jsonl"))
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// This machine's host name.
#[must_use]
pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// The user running sealbox, from the OS (the real uid's name in the password
/// database), not from `$USER`, which anyone can set.
fn user() -> (u32, String) {
    let uid = rustix::process::getuid().as_raw();
    let name = std::fs::read_to_string("/etc/passwd").ok().and_then(|p| {
        p.lines().find_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?;
            let id: u32 = f.nth(1)?.parse().ok()?;
            (id == uid).then(|| name.to_owned())
        })
    });
    (uid, name.unwrap_or_else(|| format!("uid {uid}")))
}

/// The last line of the log (without its newline), if any, however long it is.
fn last_line(f: &mut std::fs::File) -> std::io::Result<Option<Vec<u8>>> {
    const BLOCK: u64 = 64 * 1024;
    let len = f.seek(SeekFrom::End(0))?;
    if len == 0 {
        return Ok(None);
    }
    // Read blocks backwards until the newline before the last line is in view; each
    // block is searched once, so a huge line costs linear time.
    let mut start = len;
    let mut blocks: Vec<Vec<u8>> = Vec::new();
    let mut skip_final_newline = true;
    loop {
        let from = start.saturating_sub(BLOCK);
        let mut block = vec![0u8; usize::try_from(start - from).unwrap_or(0)];
        f.seek(SeekFrom::Start(from))?;
        f.read_exact(&mut block)?;
        start = from;
        let mut search: &[u8] = &block;
        if skip_final_newline {
            search = search.strip_suffix(b"\n").unwrap_or(search);
            skip_final_newline = false;
        }
        let cut = search.iter().rposition(|b| *b == b'\n');
        let piece = match cut {
            Some(i) => search[i + 1..].to_vec(),
            None => search.to_vec(),
        };
        blocks.push(piece);
        if cut.is_some() || start == 0 {
            blocks.reverse();
            return Ok(Some(blocks.concat()));
        }
    }
}

/// The hash of the line before the last one, if the log has two lines.
fn second_last_hash(f: &mut std::fs::File) -> Option<String> {
    let last = last_line(f).ok()??;
    let len = f.seek(SeekFrom::End(0)).ok()?;
    // The last line and its newline (when the file ends with one) come off the end.
    let trailing = u64::from(
        len > 0 && {
            let mut b = [0u8; 1];
            f.seek(SeekFrom::Start(len - 1)).ok()?;
            f.read_exact(&mut b).ok()?;
            b[0] == b'\n'
        },
    );
    let end = len.checked_sub(last.len() as u64 + trailing)?;
    if end == 0 {
        return None;
    }
    let mut head = vec![0u8; usize::try_from(end).ok()?];
    f.seek(SeekFrom::Start(0)).ok()?;
    f.read_exact(&mut head).ok()?;
    let body = head.strip_suffix(b"\n").unwrap_or(&head);
    let start = body.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    Some(sha256_hex(&body[start..]))
}

/// Where the chain head of the log at `log` is kept: apart from the log, in sealbox's
/// state directory (0600), so deleting the log's last lines, or the whole log, shows.
fn head_path(log: &Path) -> Option<PathBuf> {
    let state = state_dir()?;
    // One head per log file, however it is reached (links, relative paths).
    let abs = std::fs::canonicalize(log).ok().or_else(|| {
        let abs = std::path::absolute(log).ok()?;
        let dir = std::fs::canonicalize(abs.parent()?).ok()?;
        Some(dir.join(abs.file_name()?))
    })?;
    let id = sha256_hex(abs.as_os_str().as_encoded_bytes());
    Some(
        state
            .join("sealbox")
            .join("audit-heads")
            .join(id.get(..32).unwrap_or(&id)),
    )
}

/// Whether a chain head is kept for the log at `log` (it has had lines).
#[must_use]
pub fn has_head(log: &Path) -> bool {
    head_path(log).as_deref().and_then(read_head).is_some()
}

/// A chain head: how many lines the log has and the hash of its last line.
#[derive(PartialEq, Eq, Debug)]
struct Head {
    count: usize,
    last: String,
}

fn read_head(path: &Path) -> Option<Head> {
    let text = std::fs::read_to_string(path).ok()?;
    let (count, last) = text.trim().split_once(' ')?;
    Some(Head {
        count: count.parse().ok()?,
        last: last.to_owned(),
    })
}

fn write_head(path: &Path, head: &Head) -> Result<()> {
    if let Some(dir) = path.parent() {
        crate::output::create_private_dirs(dir)
            .map_err(|e| Error::io(dir, "create the audit head directory", e))?;
    }
    crate::output::write_atomic(
        path,
        format!("{} {}\n", head.count, head.last).as_bytes(),
        crate::output::NewMode::Private,
    )
}

/// Counts the lines of an open log.
fn count_lines(f: &mut std::fs::File) -> std::io::Result<usize> {
    f.seek(SeekFrom::Start(0))?;
    let mut n = 0usize;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let got = f.read(&mut buf)?;
        if got == 0 {
            return Ok(n);
        }
        n += buf[..got].iter().filter(|b| **b == b'\n').count();
    }
}

/// Fails when the log cannot be opened for appending: commands that hand out
/// plaintext call this first, so an unwritable log stops them before any output.
///
/// # Errors
/// As [`record`] would.
pub fn preflight() -> Result<()> {
    collector::Target::from_env().map_err(Error::Usage)?;
    let Some(path) = log_path() else {
        return Err(Error::Usage(
            "cannot place the audit log: set SEALBOX_AUDIT_LOG or XDG_STATE_HOME, or HOME to an existing directory (or pass --no-audit)".to_owned(),
        ));
    };
    if let Some(dir) = path.parent() {
        crate::output::create_private_dirs(dir).map_err(|e| {
            Error::io(
                dir,
                "create the audit log directory (pass --no-audit to skip the log)",
                e,
            )
        })?;
    }
    OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(&path)
        .map(drop)
        .map_err(|e| Error::io(&path, "open the audit log (pass --no-audit to skip it)", e))
}

/// The hash a line must carry: SHA-256 of the line's JSON without its `hash` field.
fn line_hash(obj: &Map<String, Json>) -> String {
    let mut copy = obj.clone();
    copy.remove("hash");
    sha256_hex(Json::Object(copy).to_string().as_bytes())
}

/// Appends one event.
///
/// # Errors
/// [`Error::Io`] when the log cannot be written (the command then fails).
pub fn record(event: &Event, syslog: bool) -> Result<()> {
    let collector = collector::Target::from_env().map_err(Error::Usage)?;
    let Some(path) = log_path() else {
        return Err(Error::Usage(
            "cannot place the audit log: set SEALBOX_AUDIT_LOG or XDG_STATE_HOME, or HOME to an existing directory (or pass --no-audit)".to_owned(),
        ));
    };
    if let Some(dir) = path.parent() {
        crate::output::create_private_dirs(dir).map_err(|e| {
            Error::io(
                dir,
                "create the audit log directory (pass --no-audit to skip the log)",
                e,
            )
        })?;
    }
    let mut f = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| Error::io(&path, "open the audit log (pass --no-audit to skip it)", e))?;
    rustix::fs::flock(&f, rustix::fs::FlockOperation::LockExclusive)
        .map_err(|e| Error::io(&path, "lock the audit log", e.into()))?;
    let prev = last_line(&mut f)
        .map_err(|e| Error::io(&path, "read the audit log", e))?
        .map_or_else(|| GENESIS.to_owned(), |l| sha256_hex(&l));
    // The head kept apart: it moves on only when it matches the log, so a truncated
    // or rewritten log stays visible to `audit verify` however many lines follow.
    let head_file = head_path(&path);
    let head = head_file.as_deref().and_then(read_head);
    let count = match &head {
        Some(h) if h.last == prev => Some(h.count),
        // A run killed between its line and its head: the head is one line behind.
        Some(h) if h.count > 0 && second_last_hash(&mut f).is_some_and(|s| s == h.last) => {
            Some(h.count + 1)
        }
        Some(_) => {
            eprintln!(
                "sealbox: warning: the audit log {} does not match its chain head (lines removed or rewritten?); run `sealbox audit verify`",
                crate::output::escape_name(&path.display().to_string())
            );
            None
        }
        None if prev == GENESIS => Some(0),
        None => Some(count_lines(&mut f).map_err(|e| Error::io(&path, "read the audit log", e))?),
    };

    let mut files: Vec<String> = event
        .files
        .iter()
        .map(|p| crate::output::escape_name(&p.to_string_lossy()))
        .collect();
    files.sort();
    let mut obj = Map::new();
    obj.insert("time".to_owned(), json!(crate::sops::now_rfc3339()));
    obj.insert("command".to_owned(), json!(event.command));
    if files.len() > MAX_LISTED {
        obj.insert("file_count".to_owned(), json!(files.len()));
        obj.insert(
            "files_sha256".to_owned(),
            json!(sha256_hex(files.join("\n").as_bytes())),
        );
    } else {
        obj.insert("files".to_owned(), json!(files));
    }
    let mut envs = event.environments.clone();
    envs.sort();
    envs.dedup();
    obj.insert("environments".to_owned(), json!(envs));
    let mut keys = event.keys.clone();
    keys.sort();
    keys.dedup();
    obj.insert("keys".to_owned(), json!(keys));
    let mut recips = event.recipients.clone();
    recips.sort();
    recips.dedup();
    obj.insert("recipients".to_owned(), json!(recips));
    if event.failed {
        obj.insert("outcome".to_owned(), json!("failed"));
    }
    let (uid, name) = user();
    obj.insert("user".to_owned(), json!(name));
    obj.insert("uid".to_owned(), json!(uid));
    obj.insert("host".to_owned(), json!(hostname()));
    obj.insert("prev".to_owned(), json!(prev));
    let hash = line_hash(&obj);
    obj.insert("hash".to_owned(), json!(hash));
    let line = Json::Object(obj).to_string();
    f.write_all(format!("{line}\n").as_bytes())
        .and_then(|()| f.flush())
        .map_err(|e| Error::io(&path, "append to the audit log", e))?;
    if let (Some(hp), Some(count)) = (head_file, count) {
        // The line is written; a head that cannot be is worth a warning, not a failure
        // (verify then sees the head trailing, which it accepts).
        if let Err(e) = write_head(
            &hp,
            &Head {
                count: count + 1,
                last: sha256_hex(line.as_bytes()),
            },
        ) {
            eprintln!("sealbox: warning: the audit chain head was not updated: {e}");
        }
    }
    if let Some(target) = &collector {
        collector::deliver(target, event.command, &line, &hash, &prev);
    }
    if syslog {
        send_syslog(&line)?;
    }
    Ok(())
}

/// Sends the event to the local syslog socket (facility local0, info).
fn send_syslog(line: &str) -> Result<()> {
    let sock = std::os::unix::net::UnixDatagram::unbound()
        .map_err(|e| Error::io(Path::new("/dev/log"), "open a syslog socket", e))?;
    let msg = format!("<134>sealbox[{}]: {line}", std::process::id());
    sock.send_to(msg.as_bytes(), "/dev/log")
        .map(|_| ())
        .map_err(|e| {
            Error::io(
                Path::new("/dev/log"),
                "send to syslog (drop --audit-syslog, or start a syslog daemon)",
                e,
            )
        })
}

/// Checks the chain; returns the number of lines.
///
/// # Errors
/// [`Error::AuditChain`] naming the first broken line, or a log shorter than its head.
pub fn verify(path: &Path) -> Result<usize> {
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && has_head(path) => {
            return Err(Error::AuditChain {
                path: path.to_owned(),
                message: format!(
                    "the log is gone, but its chain head ({}) records {} line(s)",
                    head_path(path).map_or(String::new(), |p| p.display().to_string()),
                    head_path(path)
                        .as_deref()
                        .and_then(read_head)
                        .map_or(0, |h| h.count)
                ),
            })
        }
        Err(e) => return Err(Error::io(path, "open", e)),
    };
    // Read under the writers' lock, so a line being appended is not taken for a rewrite.
    rustix::fs::flock(&f, rustix::fs::FlockOperation::LockShared)
        .map_err(|e| Error::io(path, "lock the audit log", e.into()))?;
    let head = head_path(path).as_deref().and_then(read_head);
    let mut hashes: Vec<String> = Vec::new();
    let mut prev_line: Option<String> = None;
    let mut n = 0usize;
    for (i, line) in std::io::BufReader::new(&f).lines().enumerate() {
        let line = line.map_err(|e| Error::io(path, "read", e))?;
        n = i + 1;
        let broken = |why: &str| Error::AuditChain {
            path: path.to_owned(),
            message: format!("line {n}: {why}"),
        };
        let obj: Map<String, Json> = match serde_json::from_str(&line) {
            Ok(Json::Object(o)) => o,
            _ => return Err(broken("is not a JSON object")),
        };
        let want_prev = prev_line
            .as_ref()
            .map_or_else(|| GENESIS.to_owned(), |l| sha256_hex(l.as_bytes()));
        if obj.get("prev").and_then(Json::as_str) != Some(want_prev.as_str()) {
            return Err(broken(
                "does not follow the line before it (a line was removed, reordered or changed)",
            ));
        }
        if obj.get("hash").and_then(Json::as_str) != Some(line_hash(&obj).as_str()) {
            return Err(broken("was changed after it was written"));
        }
        hashes.push(sha256_hex(line.as_bytes()));
        prev_line = Some(line);
    }
    if let Some(h) = head {
        // The head may trail the log (a run killed between its line and its head):
        // lines after it still chain. It must never be ahead, nor off the chain.
        let at = if h.count == 0 {
            Some(GENESIS.to_owned())
        } else {
            hashes.get(h.count - 1).cloned()
        };
        if at.as_deref() != Some(h.last.as_str()) {
            let restart = head_path(path).map_or(String::new(), |p| {
                format!(
                    "; to start a new log, move this one aside and delete its head {}",
                    p.display()
                )
            });
            return Err(Error::AuditChain {
                path: path.to_owned(),
                message: if n < h.count {
                    format!("the log has {n} line(s) but its chain head records {}: lines were removed from its end{restart}", h.count)
                } else {
                    format!("the log ({n} line(s)) does not run through its chain head ({} line(s)): it was rewritten{restart}", h.count)
                },
            });
        }
    }
    Ok(n)
}

/// Lines of the log, filtered.
///
/// # Errors
/// I/O errors.
pub fn entries(
    path: &Path,
    since: Option<&str>,
    env: Option<&str>,
) -> Result<Vec<Map<String, Json>>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, "open", e))?;
    let mut out = Vec::new();
    for line in std::io::BufReader::new(f).lines() {
        let line = line.map_err(|e| Error::io(path, "read", e))?;
        let Ok(Json::Object(o)) = serde_json::from_str::<Json>(&line) else {
            continue;
        };
        if let Some(since) = since {
            if o.get("time")
                .and_then(Json::as_str)
                .is_some_and(|t| t < since)
            {
                continue;
            }
        }
        if let Some(env) = env {
            let has = o
                .get("environments")
                .and_then(Json::as_array)
                .is_some_and(|a| a.iter().any(|e| e.as_str() == Some(env)));
            if !has {
                continue;
            }
        }
        out.push(o);
    }
    Ok(out)
}
