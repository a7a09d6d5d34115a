//! `sealbox redact -e ENV [FILE]` and `sealbox exec --redact`: an environment's values
//! (and their encoded forms, see [`crate::redact`]) replaced by `[REDACTED:KEY]` in a
//! stream. `redact` filters a file or standard input to standard output; `exec --redact`
//! keeps sealbox as the parent of CMD, pipes CMD's stdout and stderr through the filter,
//! forwards SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGUSR1 and SIGUSR2 to it and
//! returns its exit code (128+N when signal N killed it).

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::fd::AsFd as _;
use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::cli::RedactArgs;
use crate::commands::ctx::Ctx;
use crate::commands::exec::{load_vars, Names, Var};
use crate::error::{Error, Outcome, Result};
use crate::redact::{Patterns, Stream};

/// Bytes read from a pipe or file at a time.
const CHUNK: usize = 256 * 1024;

/// The capacity asked for the child's pipes (Linux's default is 64 KiB): fewer
/// switches between a fast writer and the filter. The system may give less.
const PIPE_SIZE: usize = 1024 * 1024;

/// Signals passed on to the child.
const FORWARDED: [i32; 7] = [
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGQUIT,
    signal_hook::consts::SIGWINCH,
    signal_hook::consts::SIGUSR1,
    signal_hook::consts::SIGUSR2,
];

/// The automaton for the loaded variables.
///
/// # Errors
/// When it cannot be built.
pub fn patterns_for(vars: &[Var], min: usize) -> Result<Patterns> {
    Patterns::new(
        vars.iter().map(|v| (v.name.as_str(), v.value.as_bytes())),
        min,
    )
    .map_err(Error::Usage)
}

/// Copies `input` to `output` through the filter, flushing after every read so a line
/// shows as soon as it arrives. Stops quietly when `output` is closed (a reader went
/// away): dropping `input` then tells the writer, as a closed pipe would have.
///
/// # Errors
/// A read error on `input` (what was read so far is written).
fn pump(patterns: &Patterns, mut input: impl Read, mut output: impl Write) -> std::io::Result<()> {
    let mut stream = Stream::new(patterns);
    let mut buf = vec![0u8; CHUNK];
    let mut out: Vec<u8> = Vec::with_capacity(CHUNK + 256);
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                stream.finish(&mut out);
                let _ = output.write_all(&out).and_then(|()| output.flush());
                return Err(e);
            }
        };
        out.clear();
        stream.feed(buf.get(..n).unwrap_or_default(), &mut out);
        if output
            .write_all(&out)
            .and_then(|()| output.flush())
            .is_err()
        {
            return Ok(());
        }
    }
    out.clear();
    stream.finish(&mut out);
    let _ = output.write_all(&out).and_then(|()| output.flush());
    Ok(())
}

/// An unbuffered handle on stdout or stderr (a duplicate of the descriptor), so each
/// filtered chunk is one write; the std handle (line-buffered stdout) if it cannot be
/// duplicated.
fn raw(fd: std::os::fd::BorrowedFd<'_>, fallback: Box<dyn Write + Send>) -> Box<dyn Write + Send> {
    match fd.try_clone_to_owned() {
        Ok(owned) => Box::new(std::fs::File::from(owned)),
        Err(_) => fallback,
    }
}

/// Runs `sealbox redact`.
///
/// # Errors
/// Unknown environment, undecryptable files, an unreadable FILE.
pub fn run(ctx: &Ctx, args: &RedactArgs) -> Result<()> {
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
    let patterns = patterns_for(&vars, args.min)?;
    ctx.audit(crate::audit::Event {
        command: "redact",
        files: crate::config::environment_files(&args.env)
            .map(|(_, f)| f)
            .unwrap_or_default(),
        environments: args.env.clone(),
        keys: vars.iter().map(|v| v.name.clone()).collect(),
        ..Default::default()
    })?;
    if patterns.is_empty() {
        ctx.note(&format!(
            "{} has no value of {} bytes or more: the text passes unchanged",
            args.env.join(", "),
            args.min
        ));
    }
    drop(vars);
    let stdout = raw(std::io::stdout().as_fd(), Box::new(std::io::stdout()));
    match &args.file {
        Some(path) => {
            let f = std::fs::File::open(path).map_err(|e| Error::io(path, "read", e))?;
            pump(&patterns, f, stdout).map_err(|e| Error::io(path, "read", e))
        }
        None => pump(&patterns, std::io::stdin().lock(), stdout)
            .map_err(|e| Error::io(Path::new("<stdin>"), "read", e)),
    }
}

/// The error for a command that could not be started (126/127, as `exec` says it).
fn start_error(program: &OsStr, err: &std::io::Error) -> Error {
    let command = program.to_string_lossy().into_owned();
    let (code, message) = match err.kind() {
        std::io::ErrorKind::NotFound => (127, "command not found".to_owned()),
        std::io::ErrorKind::PermissionDenied => {
            (126, "permission denied (not executable)".to_owned())
        }
        _ => (126, format!("cannot run it: {err}")),
    };
    Error::Exec {
        command,
        code,
        message,
    }
}

/// `exec --redact`: runs `cmd` (already carrying the variables) as a child whose stdout
/// and stderr go through the filter, forwards signals, and returns its exit code.
///
/// # Errors
/// When the command cannot be started (126/127) or the signal handlers cannot be set.
pub fn exec_filtered(
    cmd: &mut Command,
    program: &OsStr,
    vars: &[Var],
    min: usize,
) -> Result<Outcome> {
    let patterns = patterns_for(vars, min)?;
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    // Handlers first: a signal that comes right after the start must not kill sealbox
    // and leave the child writing into a closed pipe.
    let mut signals = signal_hook::iterator::Signals::new(FORWARDED)
        .map_err(|e| Error::io(Path::new("<signals>"), "set up signal forwarding", e))?;
    let handle = signals.handle();
    let mut child = crate::hardening::spawn_child(cmd).map_err(|e| start_error(program, &e))?;
    let pid = rustix::process::Pid::from_child(&child);
    let out = child.stdout.take();
    let err = child.stderr.take();
    if let Some(o) = &out {
        let _ = rustix::pipe::fcntl_setpipe_size(o, PIPE_SIZE);
    }
    let patterns = &patterns;
    let status = std::thread::scope(|scope| {
        scope.spawn(move || {
            for sig in signals.forever() {
                if let Some(s) = rustix::process::Signal::from_named_raw(sig) {
                    let _ = rustix::process::kill_process(pid, s);
                }
            }
        });
        let pumps = [
            out.map(|o| {
                let to = raw(std::io::stdout().as_fd(), Box::new(std::io::stdout()));
                scope.spawn(move || pump(patterns, o, to))
            }),
            err.map(|e| {
                let to = raw(std::io::stderr().as_fd(), Box::new(std::io::stderr()));
                scope.spawn(move || pump(patterns, e, to))
            }),
        ];
        let status = child.wait();
        handle.close();
        // The child's output ends when every process holding the pipes is gone.
        for p in pumps.into_iter().flatten() {
            let _ = p.join();
        }
        status
    });
    let status = status.map_err(|e| Error::io(Path::new("<child>"), "wait for the command", e))?;
    let code = match (status.code(), status.signal()) {
        (Some(c), _) => u8::try_from(c & 0xff).unwrap_or(1),
        (None, Some(s)) => u8::try_from(128 + s).unwrap_or(255),
        (None, None) => 1,
    };
    Ok(Outcome::Exited(code))
}
