//! `sealbox render -e ENV --template FILE --out FILE [--watch [--signal SIG --pid PID |
//! --run CMD]]`: fills a minijinja (Jinja2) template with an environment's values and
//! writes the result 0600, atomically (through [`crate::output`], so a FIFO is written
//! into and a reader never sees half a file). `--watch` looks at the environment's files
//! and the template every `--interval` seconds (default 2); when one changed it renders
//! again and, if the output changed, writes it and then signals `--pid` (SIGHUP unless
//! `--signal`) or runs `--run` — the Vault Agent pattern. A render that fails keeps the
//! previous output and says why; with `--pid`, watching ends when that process is gone.
//!
//! Filters beside minijinja's built-ins: `shell` (POSIX single-quoting), `base64`,
//! `b64decode`, `json` (a JSON string literal, also a valid YAML scalar) and `urlencode`.
//! A variable the environment does not have is an error, not an empty string.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::cli::RenderArgs;
use crate::commands::ctx::Ctx;
use crate::commands::exec::{load_vars, Names};
use crate::commands::managed;
use crate::config::Project;
use crate::error::{Error, Result};
use crate::managers::{Plan, Status, Target};

/// `shell`: the value as one POSIX shell word.
fn shell(value: &str) -> std::result::Result<String, minijinja::Error> {
    shlex::try_quote(value)
        .map(|q| q.into_owned())
        .map_err(|_| {
            minijinja::Error::new(
                ErrorKind::InvalidOperation,
                "shell: a value with a NUL byte cannot be quoted",
            )
        })
}

/// `base64`: standard alphabet, padded.
fn b64(value: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(value)
}

/// `b64decode`: a base64 value (either alphabet) as text.
fn b64decode(value: &str) -> std::result::Result<String, minijinja::Error> {
    let v = value.trim();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(v)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(v))
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(v))
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(v))
        .map_err(|_| minijinja::Error::new(ErrorKind::InvalidOperation, "b64decode: not base64"))?;
    String::from_utf8(bytes).map_err(|_| {
        minijinja::Error::new(
            ErrorKind::InvalidOperation,
            "b64decode: the decoded bytes are not UTF-8 text",
        )
    })
}

/// `json`: a JSON string literal (quotes included).
fn json(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// `urlencode`: as JavaScript's `encodeURIComponent` (uppercase hex).
fn urlencode(value: &str) -> String {
    String::from_utf8_lossy(&crate::redact::url_encode(value.as_bytes(), true, false)).into_owned()
}

/// The template environment: no auto-escaping, strict undefined variables, the
/// template's trailing newline kept.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.add_filter("shell", shell);
    env.add_filter("base64", b64);
    env.add_filter("b64encode", b64);
    env.add_filter("b64decode", b64decode);
    env.add_filter("json", json);
    env.add_filter("urlencode", urlencode);
    env
}

/// Renders once: the output text and the names of the values it could use.
///
/// # Errors
/// Undecryptable environment (exit 3), unreadable template (5), template errors (2,
/// naming the template and line; no value is ever in the message).
fn render(ctx: &Ctx, args: &RenderArgs) -> Result<(Zeroizing<String>, Vec<String>)> {
    let vars = load_vars(
        ctx,
        &crate::commands::exec::From {
            envs: &args.env,
            files: &[],
        },
        &[],
        None,
        false,
        Names::Any,
    )?;
    let template = std::fs::read_to_string(&args.template)
        .map_err(|e| Error::io(&args.template, "read the template", e))?;
    let name = args.template.display().to_string();
    let mut env = environment();
    let values: BTreeMap<String, minijinja::Value> = vars
        .iter()
        .map(|v| (v.name.clone(), minijinja::Value::from(v.value.as_str())))
        .collect();
    let values = minijinja::Value::from(values);
    // minijinja's messages name the template, the line and what went wrong; values are
    // filtered out of them all the same (a filter's message could quote its input).
    let scrub = |e: &minijinja::Error| {
        let patterns = super::redact::patterns_for(&vars, 4).ok();
        let mut msg = e.kind().to_string();
        if let Some(d) = e.detail() {
            msg.push_str(": ");
            msg.push_str(d);
        }
        let msg = patterns.map_or(msg.clone(), |p| p.redact_str(&msg));
        let line = e.line().map_or(String::new(), |l| format!(" (line {l})"));
        Error::input(
            &args.template,
            format!("cannot render{line}: {msg}"),
            Some("fix the template; values are {{ KEY }}, filters shell, base64, json, urlencode"),
        )
    };
    env.add_template_owned(name.clone(), template)
        .map_err(|e| scrub(&e))?;
    let text = env
        .get_template(&name)
        .and_then(|t| t.render(&values))
        .map_err(|e| scrub(&e))?;
    let keys = vars.iter().map(|v| v.name.clone()).collect();
    Ok((Zeroizing::new(text), keys))
}

/// Writes the output 0600 (an existing file that others could read is made private
/// before anything is written into it).
fn write_out(path: &Path, text: &str) -> Result<()> {
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| Error::io(path, "make private (chmod 600)", e))?;
        }
    }
    crate::output::write_atomic(path, text.as_bytes(), crate::output::NewMode::Private)
}

/// The signal named by `--signal`: `HUP`, `SIGHUP`, `hup` or a number.
fn parse_signal(name: &str) -> Result<rustix::process::Signal> {
    use rustix::process::Signal;
    let upper = name.trim().to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    let sig = match bare {
        "HUP" => Some(Signal::HUP),
        "INT" => Some(Signal::INT),
        "QUIT" => Some(Signal::QUIT),
        "TERM" => Some(Signal::TERM),
        "USR1" => Some(Signal::USR1),
        "USR2" => Some(Signal::USR2),
        "KILL" => Some(Signal::KILL),
        "ALRM" => Some(Signal::ALARM),
        "WINCH" => Some(Signal::WINCH),
        "CONT" => Some(Signal::CONT),
        n => n.parse::<i32>().ok().and_then(Signal::from_named_raw),
    };
    sig.ok_or_else(|| {
        Error::Usage(format!(
            "--signal {name}: not a signal (use HUP, TERM, USR1, USR2, INT, QUIT or a number)"
        ))
    })
}

/// What the watched files hold now: a hash per file (a missing file counts as empty).
fn snapshot(files: &[PathBuf]) -> Vec<[u8; 32]> {
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).unwrap_or_default();
            Sha256::digest(&bytes).into()
        })
        .collect()
}

/// The files `--watch` looks at: the environment's and the template.
fn watched(args: &RenderArgs) -> Vec<PathBuf> {
    let mut files = crate::config::environment_files(&args.env)
        .map(|(_, f)| f)
        .unwrap_or_default();
    files.push(args.template.clone());
    files
}

/// Whether `pid` still exists.
fn alive(pid: rustix::process::Pid) -> bool {
    rustix::process::test_kill_process(pid).is_ok()
}

/// Runs `sealbox render`.
///
/// # Errors
/// The first render's errors; `--signal`/`--pid` that make no sense.
pub fn run(ctx: &Ctx, args: &RenderArgs) -> Result<()> {
    let signal = parse_signal(&args.signal)?;
    let pid = match args.pid {
        Some(p) => Some(
            rustix::process::Pid::from_raw(p)
                .ok_or_else(|| Error::Usage(format!("--pid {p}: not a process id")))?,
        ),
        None => None,
    };
    let interval = seconds("--interval", args.interval)?;
    // Checked before the first render, so a bad flag never leaves a half-started watch.
    let mut managers = Managers::of(args)?;
    let event = |keys: Vec<String>, failed: bool| crate::audit::Event {
        command: "render",
        files: crate::config::environment_files(&args.env)
            .map(|(_, f)| f)
            .unwrap_or_default(),
        environments: args.env.clone(),
        keys,
        failed,
        ..Default::default()
    };
    let mut seen = snapshot(&watched(args));
    let (text, keys) = render(ctx, args)?;
    ctx.audit(event(keys, false))?;
    write_out(&args.out, &text)?;
    if !args.watch {
        return Ok(());
    }
    let mut last = text;
    ctx.note(&format!(
        "rendered {}; watching the environment's files and the template every {}s",
        args.out.display(),
        args.interval
    ));
    if managers.any() {
        ctx.note(&format!(
            "polling the environment's secrets manager every {}s",
            args.poll
        ));
    }
    let mut last_error: Option<String> = None;
    loop {
        let started = Instant::now();
        while started.elapsed() < interval {
            std::thread::sleep(interval.min(Duration::from_millis(100)));
        }
        if let Some(p) = pid {
            if !alive(p) {
                ctx.note(&format!(
                    "process {} has ended; stopping",
                    p.as_raw_nonzero()
                ));
                return Ok(());
            }
        }
        let now = snapshot(&watched(args));
        let polled = managers.due();
        if polled {
            managers.compare_mirrors(ctx);
        }
        if now == seen && !(polled && managers.sourced) {
            continue;
        }
        seen = now;
        match render(ctx, args) {
            Err(e) => {
                // A manager that stays down fails every poll the same way: say it once.
                let msg = e.to_string();
                if last_error.as_deref() != Some(msg.as_str()) {
                    eprintln!(
                        "sealbox: render failed, keeping the previous {}: {msg}",
                        args.out.display()
                    );
                    let _ = ctx.audit(event(Vec::new(), true));
                }
                last_error = Some(msg);
            }
            Ok((text, keys)) => {
                if last_error.take().is_some() {
                    ctx.note(&format!("render works again ({})", args.out.display()));
                }
                if *text == *last {
                    continue;
                }
                ctx.audit(event(keys, false))?;
                if let Err(e) = write_out(&args.out, &text) {
                    eprintln!("sealbox: render: {e}; the previous output stays");
                    continue;
                }
                last = text;
                after_change(ctx, args, pid, signal);
            }
        }
    }
}

/// A flag's seconds as a duration: above 0 and at most a year (a larger one is
/// surely a mistake, and would not fit a `Duration` at the extreme).
fn seconds(flag: &str, value: f64) -> Result<Duration> {
    const YEAR: f64 = 365.0 * 24.0 * 3600.0;
    if value > 0.0 && value <= YEAR {
        if let Ok(d) = Duration::try_from_secs_f64(value) {
            return Ok(d);
        }
    }
    Err(Error::Usage(format!(
        "{flag} {value}: give a number of seconds above 0 and at most a year"
    )))
}

/// The secrets managers `--watch` polls.
struct Managers {
    every: Duration,
    last: Instant,
    /// Whether some environment's values come from a manager (`source =`).
    sourced: bool,
    /// `sync =` targets, with what was last said about each (`None`: nothing yet).
    mirrors: Vec<(String, Target, Option<String>)>,
}

impl Managers {
    /// The managers of `args.env`'s environments.
    fn of(args: &RenderArgs) -> Result<Self> {
        let mut m = Managers {
            every: seconds("--poll", args.poll)?,
            last: Instant::now(),
            sourced: false,
            mirrors: Vec::new(),
        };
        if !args.watch {
            return Ok(m);
        }
        let Ok(project) = Project::find() else {
            return Ok(m);
        };
        for env in &args.env {
            if managed::source_of(&project, env)?.is_some() {
                m.sourced = true;
            } else if project.env(env)?.sync.is_some() {
                let t = managed::sync_target(&project, env, None, "--to")?;
                m.mirrors.push((env.clone(), t, None));
            }
        }
        Ok(m)
    }

    fn any(&self) -> bool {
        self.sourced || !self.mirrors.is_empty()
    }

    /// Whether a poll is due now (and the next one starts counting).
    fn due(&mut self) -> bool {
        if !self.any() || self.last.elapsed() < self.every {
            return false;
        }
        self.last = Instant::now();
        true
    }

    /// Compares each `sync =` target with its environment's files and says which keys
    /// differ, when that changed since the last poll.
    fn compare_mirrors(&mut self, ctx: &Ctx) {
        for (env, target, said) in &mut self.mirrors {
            let report = match managed::env_values(ctx, env)
                .and_then(|files| Ok((files, managed::read_target(ctx, target)?)))
            {
                Err(e) => format!("cannot compare {env} with {target}: {e}"),
                Ok((files, current)) => drift(env, target, &Plan::new(&files, &current, false)),
            };
            if said.as_deref() == Some(report.as_str()) {
                continue;
            }
            // The first look says only what is wrong; later ones also say it is fixed.
            let fine = report.ends_with("in sync");
            if said.is_some() || !fine {
                // Drift is a warning (quiet mode keeps it); being in sync again a note.
                if fine {
                    ctx.note(&report);
                } else {
                    eprintln!("sealbox: warning: {report}");
                }
                let _ = ctx.audit(crate::audit::Event {
                    command: "render",
                    environments: vec![env.clone()],
                    ..Default::default()
                });
            }
            *said = Some(report);
        }
    }
}

/// What differs between an environment's files and its `sync =` target (key names).
fn drift(env: &str, target: &Target, plan: &Plan) -> String {
    let mut parts = Vec::new();
    for (word, status) in [
        ("changed in the target", Status::Changed),
        ("only in the target", Status::Extra),
        ("missing from the target", Status::Added),
    ] {
        let keys: Vec<String> = plan
            .keys_with(&[status])
            .map(crate::output::escape_name)
            .collect();
        if !keys.is_empty() {
            parts.push(format!("{word}: {}", keys.join(", ")));
        }
    }
    if parts.is_empty() {
        return format!("{target} and {env}'s files are in sync");
    }
    format!(
        "{target} differs from {env}'s files ({}); the output keeps the files' values: `sealbox pull -e {env}` takes the manager's",
        parts.join("; ")
    )
}

/// Signals `--pid` or runs `--run` after a changed render.
fn after_change(
    ctx: &Ctx,
    args: &RenderArgs,
    pid: Option<rustix::process::Pid>,
    signal: rustix::process::Signal,
) {
    if let Some(p) = pid {
        match rustix::process::kill_process(p, signal) {
            Ok(()) => ctx.note(&format!(
                "rendered {}; sent {} to {}",
                args.out.display(),
                args.signal,
                p.as_raw_nonzero()
            )),
            Err(e) => eprintln!(
                "sealbox: rendered {} but cannot signal {}: {e}",
                args.out.display(),
                p.as_raw_nonzero()
            ),
        }
    } else if let Some(command) = &args.run {
        let mut cmd = std::process::Command::new("sh");
        cmd.arg("-c").arg(command);
        ctx.scrub_child(&mut cmd);
        match crate::hardening::run_child(&mut cmd) {
            Ok(s) if s.success() => {
                ctx.note(&format!("rendered {}; ran --run", args.out.display()));
            }
            Ok(s) => eprintln!(
                "sealbox: rendered {}; --run failed ({s})",
                args.out.display()
            ),
            Err(e) => eprintln!(
                "sealbox: rendered {}; cannot run --run: {e}",
                args.out.display()
            ),
        }
    } else {
        ctx.note(&format!("rendered {}", args.out.display()));
    }
}
