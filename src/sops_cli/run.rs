//! The sops commands that start programs: `edit` (the editor; exit 200 when nothing
//! changed), `exec-env` (decrypted top-level values in the environment of `sh -c`),
//! `exec-file` (the decrypted document in a FIFO or private temp file, `{}` in the
//! command replaced by its path).

use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use zeroize::Zeroizing;

use super::args::SopsArgs;
use super::{code, files, keys, Fail, Input};
use crate::commands::ctx::Ctx;
use crate::crypto::dek::DataKey;
use crate::output::{self, NewMode};
use crate::recipients;
use crate::sops::{self, Metadata, SOPS_FORMAT_VERSION};
use crate::store::{Format, Value};

/// The document a new file starts from in the editor (as sops offers one).
fn example(format: Format) -> &'static str {
    match format {
        Format::Yaml => "hello: Welcome to SOPS! Edit this file as you please!\nexample_key: example_value\n# Example comment\nexample_array:\n    - example_value1\n    - example_value2\nexample_number: 1234.56789\nexample_booleans:\n    - true\n    - false\n",
        Format::Json => "{\n\t\"hello\": \"Welcome to SOPS! Edit this file as you please!\",\n\t\"example_key\": \"example_value\",\n\t\"example_array\": [\n\t\t\"example_value1\",\n\t\t\"example_value2\"\n\t],\n\t\"example_number\": 1234.56789,\n\t\"example_booleans\": [\n\t\ttrue,\n\t\tfalse\n\t]\n}\n",
        Format::Dotenv => "# This is an example file.\nhello=Welcome to SOPS! Edit this file as you please!\nexample_key=example_value\nexample_multiline=foo\\nbar\\nbaz\n",
        Format::Ini => "; This is an example file.\n[Welcome!]\nhello       = Welcome to SOPS! Edit this file as you please!\nexample_key = example_value\n",
        Format::Binary => "Welcome to SOPS! Edit this file as you please!",
    }
}

/// `sops edit FILE` and the bare `sops FILE`.
pub(crate) fn edit(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    let Some(file) = a.positional.first() else {
        return Err(Fail::new(
            code::NO_FILE_SPECIFIED,
            "Error: no file specified",
        ));
    };
    // The editor shows text that sealbox reads back when it closes: no go-yaml layout
    // that would not read back (sops' own reader takes those).
    crate::store::yaml::layout_that_reads_back();
    let path = PathBuf::from(file);
    let input = Input {
        path: Some(path.clone()),
        name: a
            .get("filename-override")
            .map_or_else(|| path.clone(), PathBuf::from),
    };
    let format = input.in_format(a)?;
    if std::fs::symlink_metadata(&path).is_err() {
        return edit_new(ctx, a, &input, format);
    }
    // The edit runs through sealbox's own editor flow; the format is given by name.
    let args = crate::cli::EditArgs {
        file: path,
        input_type: Some(format_arg(format)),
        ignore_mac: a.on("ignore-mac"),
    };
    let indent = super::sopsconf::indent(a, format)?;
    match crate::commands::edit::run_changed(ctx, &args) {
        Ok(true) if indent == crate::store::Indent::default() => Ok(0),
        Ok(true) => relayout(&input, format, indent).map(|()| 0),
        Ok(false) => Err(Fail::new(
            code::FILE_HAS_NOT_BEEN_MODIFIED,
            "File has not changed, exiting.",
        )),
        Err(e) => Err(editor_fail(e)),
    }
}

/// sops' exit code for an edit that failed: 201 when no editor ran or it failed
/// ("Could not run editor"), the error's own code otherwise.
fn editor_fail(e: crate::error::Error) -> Fail {
    // An editor that failed: in sops' words first (callers look for them), Go's form
    // of the status.
    if let crate::error::Error::Backend { path, message } = &e {
        if let Some(rest) = message.strip_prefix("the editor exited with ") {
            let status = rest.split(';').next().unwrap_or(rest);
            return Fail::new(
                code::NO_EDITOR_FOUND,
                format!(
                    "Could not run editor: {}; {} is unchanged",
                    status.replace("exit status: ", "exit status "),
                    path.display()
                ),
            );
        }
    }
    let m = e.to_string();
    let mut f = Fail::from(e);
    if m.contains("no editor is set")
        || m.contains("the editor exited with")
        || m.contains("cannot run the editor")
        || m.contains("cannot parse the editor command")
    {
        f.code = code::NO_EDITOR_FOUND;
    }
    f
}

/// Writes an edited file again with the `stores:` indentation (the editor flow
/// writes the default one): the same encrypted tree, only laid out differently.
fn relayout(input: &Input, format: Format, indent: crate::store::Indent) -> Result<(), Fail> {
    let path = input.shown().to_owned();
    let _lock = crate::lock::lock(&path).map_err(Fail::from)?;
    let bytes = input.read()?;
    let sealed = super::files::load(&path, format, &bytes)?;
    let out = sealed
        .into_bytes_with(format, indent)
        .map_err(|e| super::files::dump_err(format, &e))?;
    output::write_atomic(&path, &out, NewMode::AsSops).map_err(|e| {
        Fail::new(
            code::COULD_NOT_WRITE_OUTPUT_FILE,
            format!("Could not write {}: {e}", path.display()),
        )
    })
}

fn format_arg(f: Format) -> crate::cli::FormatArg {
    use crate::cli::FormatArg;
    match f {
        Format::Yaml => FormatArg::Yaml,
        Format::Json => FormatArg::Json,
        Format::Dotenv => FormatArg::Dotenv,
        Format::Ini => FormatArg::Ini,
        Format::Binary => FormatArg::Binary,
    }
}

/// `edit` of a file that does not exist: the example document, then the keys the
/// flags or the creation rule name; nothing is written when it is left unchanged.
fn edit_new(ctx: &Ctx, a: &SopsArgs, input: &Input, format: Format) -> Result<u8, Fail> {
    let path = input.shown().to_owned();
    let plan = keys::plan(a, &input.name, format)?;
    plan.require_keys(&input.name)?;
    let original = Zeroizing::new(example(format).as_bytes().to_vec());
    let tree = crate::commands::edit::edit_privately(ctx, &path, format, &original)
        .map_err(editor_fail)?;
    let Some(tree) = tree else {
        return Err(Fail::new(
            code::FILE_HAS_NOT_BEEN_MODIFIED,
            "File has not changed, exiting.",
        ));
    };
    let key = DataKey::generate().map_err(|_| Fail::sops(&path, sops::SopsError::Rng))?;
    let groups = recipients::wrap_groups(&key, &plan.refs(), plan.threshold)
        .map_err(|e| Fail::usage(format!("Could not generate data key: {e}")))?;
    let meta = Metadata {
        lastmodified: String::new(),
        mac: None,
        version: SOPS_FORMAT_VERSION.to_owned(),
        selector: plan.selector,
        mac_only_encrypted: plan.mac_only,
        shamir_threshold: plan.threshold,
        groups,
    };
    let out = sops::seal(tree, &key, meta, None)
        .map_err(|e| Fail::sops(&path, e))?
        .into_bytes_with(format, super::sopsconf::indent(a, format)?)
        .map_err(|e| Fail::new(code::ERROR_DUMPING_TREE, e.to_string()))?;
    output::write_new(&path, &out, NewMode::AsSops).map_err(|e| {
        Fail::new(
            code::COULD_NOT_WRITE_OUTPUT_FILE,
            format!("Could not write {}: {e}", path.display()),
        )
    })?;
    Ok(0)
}

/// Decrypts the first positional file for the exec commands.
fn plaintext(ctx: &Ctx, a: &SopsArgs, input: &Input) -> Result<crate::store::Tree, Fail> {
    let format = input.in_format(a)?;
    let bytes = input.read().map_err(|mut f| {
        // sops: "Error reading file" (2), not the non-existent-file check (100).
        f.code = code::COULD_NOT_READ_INPUT_FILE;
        f
    })?;
    let o = files::open_bytes(ctx, input, format, &bytes, a.on("ignore-mac"))?;
    Ok(o.opened.tree)
}

/// A user to run the command as: uid, gid, home, name (from /etc/passwd).
struct User {
    uid: u32,
    gid: u32,
    home: String,
    name: String,
}

fn lookup_user(name: &str) -> Result<User, Fail> {
    let passwd = std::fs::read_to_string("/etc/passwd")
        .map_err(|e| Fail::usage(format!("cannot read /etc/passwd to find user {name}: {e}")))?;
    for line in passwd.lines() {
        let f: Vec<&str> = line.split(':').collect();
        if f.len() >= 7 && (f[0] == name || f[2] == name) {
            let uid = f[2]
                .parse()
                .map_err(|_| Fail::usage(format!("bad uid for user {name}")))?;
            let gid = f[3]
                .parse()
                .map_err(|_| Fail::usage(format!("bad gid for user {name}")))?;
            return Ok(User {
                uid,
                gid,
                home: f[5].to_owned(),
                name: f[0].to_owned(),
            });
        }
    }
    Err(Fail::usage(format!("user {name} not found")))
}

fn shell(command: &str, a: &SopsArgs) -> Result<Command, Fail> {
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c").arg(command);
    if let Some(u) = a.get("user") {
        let user = lookup_user(&u)?;
        cmd.uid(user.uid).gid(user.gid);
        cmd.env("HOME", &user.home)
            .env("USER", &user.name)
            .env("LOGNAME", &user.name);
    }
    Ok(cmd)
}

/// Runs the child and returns its exit code. As sops, a failure is said on stderr the
/// way Go prints the child's state (`exit status 3`, `signal: terminated`), and a
/// child killed by a signal makes the exit code 255.
fn wait(ctx: &Ctx, cmd: &mut Command, command: &str) -> Result<u8, Fail> {
    ctx.scrub_child(cmd);
    let status = crate::hardening::run_child(cmd)
        .map_err(|e| Fail::usage(format!("cannot run /bin/sh -c '{command}': {e}")))?;
    Ok(child_code(status))
}

/// The exit code for a child's `status`, said on stderr when it failed (see [`wait`]).
fn child_code(status: std::process::ExitStatus) -> u8 {
    use std::os::unix::process::ExitStatusExt as _;
    match (status.code(), status.signal()) {
        (Some(0), _) => 0,
        (Some(c), _) => {
            eprintln!("exit status {c}");
            u8::try_from(c & 0xff).unwrap_or(1)
        }
        (None, Some(s)) => {
            let core = if status.core_dumped() {
                " (core dumped)"
            } else {
                ""
            };
            eprintln!("signal: {}{core}", go_signal_name(s));
            255
        }
        _ => 1,
    }
}

/// A signal's name as Go's `syscall.Signal` prints it on Linux.
fn go_signal_name(s: i32) -> String {
    const NAMES: [&str; 31] = [
        "hangup",
        "interrupt",
        "quit",
        "illegal instruction",
        "trace/breakpoint trap",
        "aborted",
        "bus error",
        "floating point exception",
        "killed",
        "user defined signal 1",
        "segmentation fault",
        "user defined signal 2",
        "broken pipe",
        "alarm clock",
        "terminated",
        "stack fault",
        "child exited",
        "continued",
        "stopped (signal)",
        "stopped",
        "stopped (tty input)",
        "stopped (tty output)",
        "urgent I/O condition",
        "CPU time limit exceeded",
        "file size limit exceeded",
        "virtual timer expired",
        "profiling timer expired",
        "window changed",
        "I/O possible",
        "power failure",
        "bad system call",
    ];
    usize::try_from(s - 1)
        .ok()
        .and_then(|i| NAMES.get(i))
        .map_or_else(|| format!("signal {s}"), |n| (*n).to_owned())
}

/// `sops exec-env [--pristine] [--user U] FILE 'command'`.
pub(crate) fn exec_env(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    if a.positional.len() != 2 {
        return Err(Fail::usage(
            "error: missing file to decrypt (exec-env takes FILE and 'command')",
        ));
    }
    if a.on("same-process") && a.on("background") {
        return Err(Fail::new(
            code::CONFLICTING_PARAMETERS,
            "Error: The --same-process flag cannot be used with --background",
        ));
    }
    let input = Input::from_args(a, false)?;
    let tree = plaintext(ctx, a, &input)?;
    let mut vars: Vec<(String, Zeroizing<Vec<u8>>)> = Vec::new();
    if let Some(Value::Map(items)) = tree.docs.first() {
        for (k, v) in items {
            let text = match v {
                Value::Comment(_) => continue,
                Value::Map(_) | Value::Seq(_) => {
                    return Err(Fail::usage(format!(
                        "cannot use complex value in environment; offending key {k}"
                    )))
                }
                // Bytes that are not UTF-8 (a binary file, `!!binary`) go as they are.
                Value::Bytes(b) => b.clone(),
                // As sops' dotenv store prints them (`1.0`, `1E+21`, `<nil>`).
                other => crate::store::flat_scalar_text(other)
                    .unwrap_or_default()
                    .into_bytes(),
            };
            if k.contains('=') {
                return Err(Fail::usage(format!(
                    "cannot use key containing '=' in environment: {k}"
                )));
            }
            vars.push((k.clone(), Zeroizing::new(text)));
        }
    }
    drop(tree);
    let command = &a.positional[1];
    let mut cmd = shell(command, a)?;
    if a.on("pristine") {
        cmd.env_clear();
    }
    for (k, v) in &vars {
        cmd.env(k, std::ffi::OsStr::from_bytes(v));
    }
    if a.on("background") {
        // sops (deprecated) starts the command detached from its terminal streams and
        // exits 0 at once.
        ctx.scrub_child(&mut cmd);
        cmd.stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        super::warn("exec-env's --background option is deprecated and will be removed in a future version of sops");
        return cmd
            .spawn()
            .map(|_| 0)
            .map_err(|e| Fail::usage(format!("cannot run /bin/sh -c '{command}': {e}")));
    }
    if a.on("same-process") {
        crate::hardening::restore_core_limit_for_exec();
        let e = cmd.exec();
        return Err(Fail::usage(format!(
            "cannot run /bin/sh -c '{command}': {e}"
        )));
    }
    wait(ctx, &mut cmd, command)
}

/// `sops exec-file [--no-fifo] [--filename NAME] [--output-type T] FILE 'command {}'`.
pub(crate) fn exec_file(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    if a.positional.len() != 2 {
        return Err(Fail::usage(
            "error: missing file to decrypt (exec-file takes FILE and 'command')",
        ));
    }
    let input = Input::from_args(a, false)?;
    let out_format = match a.get("output-type") {
        Some(_) => input.out_format(a)?,
        None => input.in_format(a)?,
    };
    let tree = plaintext(ctx, a, &input)?;
    let doc = Zeroizing::new(
        out_format
            .emit_plain_with(&tree, super::sopsconf::indent(a, out_format)?)
            .map_err(|e| Fail::new(code::ERROR_DUMPING_TREE, format!("Error dumping file: {e}")))?,
    );
    drop(tree);
    // 0700, on tmpfs when there is one, wiped by the next run if this one is killed.
    let dir = crate::commands::edit::private_dir()
        .map_err(|e| Fail::usage(format!("cannot create a private temp directory: {e}")))?;
    let name = a.get("filename").unwrap_or_else(|| "tmp-file".to_owned());
    if name.contains('/') || name == ".." || name.is_empty() {
        return Err(Fail::usage(
            "--filename takes a local file name, not a path",
        ));
    }
    let file = dir.path().join(&name);
    let command = a.positional[1].replace("{}", &file.to_string_lossy());
    let mut cmd = shell(&command, a)?;
    if a.on("no-fifo") {
        output::write_new(&file, &doc, NewMode::Private).map_err(|e| Fail::usage(e.to_string()))?;
        let code = wait(ctx, &mut cmd, &command);
        wipe(&file, doc.len());
        return code;
    }
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &file,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .map_err(|e| {
        Fail::usage(format!(
            "cannot create a FIFO in {}: {e}",
            dir.path().display()
        ))
    })?;
    ctx.scrub_child(&mut cmd);
    crate::hardening::restore_core_limit_for_exec();
    let child = cmd.spawn();
    let mut child =
        child.map_err(|e| Fail::usage(format!("cannot run /bin/sh -c '{command}': {e}")))?;
    // The writer blocks until the command opens the FIFO; it stops when the command
    // ends without reading it (we then open it ourselves to release the writer).
    let fifo = file.clone();
    let data = Zeroizing::new(doc.to_vec());
    drop(doc);
    let writer = std::thread::spawn(move || {
        use std::io::Write as _;
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&fifo) {
            let _ = f.write_all(&data);
        }
    });
    let status = child.wait();
    // A command that never opened the FIFO leaves the writer blocked in open(2): it is
    // not waited for, and ends with this process.
    if writer.is_finished() {
        let _ = writer.join();
    }
    let status = status.map_err(|e| Fail::usage(format!("waiting for the command: {e}")))?;
    Ok(child_code(status))
}

fn wipe(path: &Path, len: usize) {
    use std::io::Write as _;
    if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(path) {
        let _ = f.write_all(&vec![0u8; len]);
        let _ = f.sync_all();
    }
    let _ = std::fs::remove_file(path);
}
