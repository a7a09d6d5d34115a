//! Steps shared by the commands: reading files, finding identities once, opening an
//! encrypted file (unwrap + decrypt + MAC), building recipients and selectors, walking
//! directories, and running many files in parallel with a summary.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::cli::{FormatArg, GlobalArgs, SelectorArgs};
use crate::crypto::dek::DataKey;
use crate::error::{Error, Result};
use crate::identity::Identities;
use crate::recipients::{self, Recipient};
use crate::sops::{Opened, Sealed, Selector, SopsError};
use crate::store::Format;

/// What every command gets: global flags and lazily discovered identities.
pub struct Ctx {
    /// Global flags.
    pub global: GlobalArgs,
    ids: OnceLock<Identities>,
    used: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl Ctx {
    /// A context for one run.
    #[must_use]
    pub fn new(global: GlobalArgs) -> Self {
        Self {
            global,
            ids: OnceLock::new(),
            used: std::sync::Mutex::new(std::collections::BTreeSet::new()),
        }
    }

    /// Identities, discovered on first use.
    pub fn identities(&self) -> &Identities {
        self.ids
            .get_or_init(|| Identities::discover(&self.global.identity))
    }

    /// Appends an audit event (with the master keys used so far), unless `--no-audit`.
    ///
    /// # Errors
    /// When the log cannot be written.
    pub fn audit(&self, mut event: crate::audit::Event) -> Result<()> {
        if self.global.no_audit {
            return Ok(());
        }
        if let Ok(used) = self.used.lock() {
            event.recipients.extend(used.iter().cloned());
        }
        crate::audit::record(&event, self.global.audit_syslog)
    }

    /// Records `event` whatever the outcome of a run; the run's own error wins over a
    /// failure to log it.
    ///
    /// # Errors
    /// The run's error, else a failure to write the log.
    pub fn audit_result(&self, result: Result<()>, event: crate::audit::Event) -> Result<()> {
        match result {
            Ok(()) => self.audit(event),
            Err(e) => {
                let _ = self.audit(event);
                Err(e)
            }
        }
    }

    /// Prepares a child program's environment: identity variables and the credentials
    /// of the key services used so far are removed, unless `--keep-identity-env`.
    pub fn scrub_child(&self, cmd: &mut std::process::Command) {
        let kinds: Vec<String> = self
            .used
            .lock()
            .map(|u| {
                u.iter()
                    .filter_map(|d| d.split_once(' ').map(|(k, _)| k.to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        crate::hardening::scrub_child_env(
            cmd,
            self.global.keep_identity_env,
            kinds.iter().map(String::as_str),
        );
    }

    /// Prints a note on stderr unless `--quiet`.
    pub fn note(&self, msg: &str) {
        if !self.global.quiet {
            eprintln!("sealbox: {msg}");
        }
    }
}

/// Reads a whole file.
///
/// # Errors
/// [`Error::Io`].
pub fn read(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read as _;
    // Without fs::read's size query: most secrets files are small.
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, "read", e))?;
    let mut buf = Vec::with_capacity(8192);
    // Large files: size the buffer once instead of doubling (and copying) it.
    if let Ok(meta) = f.metadata() {
        if meta.len() > 8192 {
            // A sparse or lying size must not abort: a failed reservation just means
            // the buffer grows as the data comes.
            let _ =
                buf.try_reserve_exact(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
        }
    }
    f.read_to_end(&mut buf)
        .map_err(|e| Error::io(path, "read", e))?;
    Ok(buf)
}

/// The format of `path`, unless overridden.
#[must_use]
pub fn format_of(path: &Path, arg: Option<FormatArg>) -> Format {
    arg.map_or_else(|| Format::from_path(path), FormatArg::format)
}

/// Maps an envelope error to a command error for `path`.
#[must_use]
pub fn sops_err(path: &Path, e: SopsError) -> Error {
    match e {
        SopsError::NotEncrypted => Error::input(
            path,
            "is not encrypted (no sops metadata found)",
            Some("encrypt it with `sealbox encrypt`, or pass --input-type if the extension is misleading"),
        ),
        SopsError::AlreadyEncrypted => Error::input(
            path,
            "is already encrypted",
            Some("use `sealbox rotate` for a new data key, or `sealbox edit` to change it"),
        ),
        SopsError::BadMetadata(m) => Error::Integrity {
            path: path.to_owned(),
            message: format!("bad sops metadata: {m}"),
        },
        SopsError::Integrity(m) | SopsError::Mac(m) => Error::Integrity {
            path: path.to_owned(),
            message: m,
        },
        SopsError::Unsupported(m) => Error::input(path, m, None),
        SopsError::Rng => Error::Backend {
            path: path.to_owned(),
            message: "the OS random number generator failed".to_owned(),
        },
    }
}

/// Parses an encrypted file.
///
/// # Errors
/// Unreadable, malformed, or not encrypted.
pub fn load_sealed(path: &Path, format: Format, bytes: &[u8]) -> Result<Sealed> {
    let tree = format.parse_encrypted(bytes).map_err(|e| {
        Error::input(
            path,
            e.to_string(),
            Some("is this a sops file of that format? pass --input-type to override the extension"),
        )
    })?;
    Sealed::from_tree(format, tree).map_err(|e| sops_err(path, e))
}

/// Recovers the data key of a sealed file.
///
/// # Errors
/// [`Error::NoIdentity`] when nothing unwraps it.
pub fn data_key(ctx: &Ctx, path: &Path, sealed: &Sealed) -> Result<DataKey> {
    let ids = ctx.identities();
    let (key, used) = recipients::unwrap_data_key_used(&sealed.meta, ids).map_err(|f| {
        if f.pending {
            return Error::Deferred;
        }
        if f.unavailable {
            return Error::Backend {
                path: path.to_owned(),
                message: format!("no master key could be used: {}", f.problems.join("; ")),
            };
        }
        let mut problems = ids.problems.clone();
        problems.extend(f.problems);
        Error::NoIdentity {
            path: path.to_owned(),
            recipients: sealed.meta.describe_keys(),
            looked: ids.looked.clone(),
            problems,
            environment: crate::config::Project::find()
                .ok()
                .and_then(|p| p.env_of(path).map(str::to_owned)),
        }
    })?;
    if let Ok(mut set) = ctx.used.lock() {
        set.extend(used);
    }
    Ok(key)
}

/// Reads, unwraps and decrypts a file, keeping what a re-encryption needs.
///
/// # Errors
/// Any failure on the way, mapped to its exit code.
pub fn open_file(
    ctx: &Ctx,
    path: &Path,
    format: Format,
    ignore_mac: bool,
) -> Result<(Sealed, Opened, DataKey)> {
    let bytes = read(path)?;
    open_bytes(ctx, path, format, &bytes, ignore_mac)
}

/// Like [`open_file`] for a file already read into `bytes`.
///
/// # Errors
/// Any failure on the way, mapped to its exit code.
pub fn open_bytes(
    ctx: &Ctx,
    path: &Path,
    format: Format,
    bytes: &[u8],
    ignore_mac: bool,
) -> Result<(Sealed, Opened, DataKey)> {
    let sealed = load_sealed(path, format, bytes)?;
    let key = data_key(ctx, path, &sealed)?;
    let opened = sealed
        .open(&key, ignore_mac)
        .map_err(|e| sops_err(path, e))?;
    report_comments(ctx, path, &opened);
    Ok((sealed, opened, key))
}

/// Reads, unwraps and decrypts a file for reading only (no IVs kept, no copies).
///
/// # Errors
/// Any failure on the way, mapped to its exit code.
pub fn read_plaintext(ctx: &Ctx, path: &Path, format: Format, ignore_mac: bool) -> Result<Opened> {
    plaintext_of(ctx, path, format, read(path)?, ignore_mac)
}

/// Like [`read_plaintext`] for a file already read into `bytes`.
///
/// # Errors
/// Any failure on the way, mapped to its exit code.
pub fn plaintext_of(
    ctx: &Ctx,
    path: &Path,
    format: Format,
    bytes: Vec<u8>,
    ignore_mac: bool,
) -> Result<Opened> {
    let sealed = load_sealed(path, format, &bytes)?;
    drop(bytes);
    let key = data_key(ctx, path, &sealed)?;
    let opened = sealed
        .into_plaintext(&key, ignore_mac)
        .map_err(|e| sops_err(path, e))?;
    report_comments(ctx, path, &opened);
    Ok(opened)
}

/// Refuses a document whose meaning for `exec`, `export` and `get` could have been
/// changed without the data key: more than one YAML document, or a key given twice.
/// Key names and empty values are outside the sops MAC, so anyone who can write the
/// file can append `---` and a second document, or a `KEY=` line that overrides the
/// encrypted one; such files are refused (exit 4), naming the key, never a value.
///
/// # Errors
/// [`Error::Integrity`] naming the document or key.
pub fn refuse_ambiguous(path: &Path, tree: &crate::store::Tree) -> Result<()> {
    use crate::store::Value;
    if tree.docs.len() > 1 {
        return Err(Error::Integrity {
            path: path.to_owned(),
            message: format!(
                "has {} documents; only the first one is covered as a whole, so a second one could override its values (remove every document after the first)",
                tree.docs.len()
            ),
        });
    }
    if let Some(Value::Map(items)) = tree.docs.first() {
        let mut seen = std::collections::HashSet::new();
        for (k, v) in items {
            if matches!(v, Value::Comment(_)) {
                continue;
            }
            if !seen.insert(k.as_str()) {
                return Err(Error::Integrity {
                    path: path.to_owned(),
                    message: format!(
                        "sets {k} more than once; a later line could override the encrypted value (remove the duplicate)"
                    ),
                });
            }
        }
    }
    Ok(())
}

fn report_comments(ctx: &Ctx, path: &Path, opened: &Opened) {
    if opened.unreadable_comments > 0 {
        ctx.note(&format!(
            "{}: {} comment(s) could not be decrypted and were kept as they are",
            path.display(),
            opened.unreadable_comments
        ));
    }
}

/// Builds recipients from specs once (flags, config, or a file's stanzas).
///
/// # Errors
/// [`Error::Usage`] for an invalid recipient, naming where it came from.
pub fn build_recipients(
    specs: &[recipients::Spec],
    source: &str,
) -> Result<Vec<Box<dyn Recipient>>> {
    specs
        .iter()
        .map(|r| {
            r.build()
                .map_err(|e| Error::Usage(format!("{source}: {e}")))
        })
        .collect()
}

/// Recipients from the command line, as specs.
///
/// # Errors
/// [`Error::Usage`] for an invalid one.
pub fn flag_specs(args: &crate::cli::RecipientArgs) -> Result<Vec<recipients::Spec>> {
    args.specs().map_err(|e| Error::Usage(e.to_string()))
}

/// The selector from flags, else config, else sops' default.
///
/// # Errors
/// An invalid regex.
pub fn selector(
    args: &SelectorArgs,
    config: Option<&(String, String)>,
    format: Format,
) -> Result<Selector> {
    if format == Format::Binary {
        return Ok(Selector::All);
    }
    let from_flags = [
        ("unencrypted_suffix", &args.unencrypted_suffix),
        ("encrypted_suffix", &args.encrypted_suffix),
        ("unencrypted_regex", &args.unencrypted_regex),
        ("encrypted_regex", &args.encrypted_regex),
        ("unencrypted_comment_regex", &args.unencrypted_comment_regex),
        ("encrypted_comment_regex", &args.encrypted_comment_regex),
    ]
    .into_iter()
    .find_map(|(k, v)| v.clone().map(|v| (k.to_owned(), v)));
    match from_flags.as_ref().or(config) {
        Some((k, v)) => Selector::from_entry(k, v)
            .map_err(Error::Usage)?
            .ok_or_else(|| Error::Usage(format!("unknown selector {k}"))),
        None => Ok(Selector::UnencryptedSuffix("_unencrypted".to_owned())),
    }
}

/// A file to process and, for `--output-dir`, where it goes.
pub struct Job {
    /// Input file.
    pub input: PathBuf,
    /// Output under `--output-dir`, if set.
    pub mirrored: Option<PathBuf>,
    /// Whether the file was named explicitly (not found in a directory).
    pub explicit: bool,
}

fn walk_dir(
    root: &Path,
    dir: &Path,
    out_dir: Option<&Path>,
    jobs: &mut Vec<Job>,
    ctx: &Ctx,
) -> Result<()> {
    // Temp files of a sealbox killed mid-write (plaintext, after `decrypt --in-place`).
    let stale = crate::output::clean_stale(dir);
    if stale > 0 {
        ctx.note(&format!(
            "removed {stale} temporary file(s) in {} left by a sealbox that was killed",
            dir.display()
        ));
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, "list", e))?
        .filter_map(std::result::Result::ok)
        .collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        if name == ".git" || name.to_string_lossy().starts_with(".sealbox-") {
            continue;
        }
        let ft = entry
            .file_type()
            .map_err(|e| Error::io(&path, "inspect", e))?;
        if ft.is_symlink() {
            ctx.note(&format!("{}: skipped (symbolic link)", path.display()));
        } else if ft.is_dir() {
            walk_dir(root, &path, out_dir, jobs, ctx)?;
        } else if ft.is_file() {
            let mirrored = out_dir.map(|o| o.join(path.strip_prefix(root).unwrap_or(&path)));
            jobs.push(Job {
                input: path,
                mirrored,
                explicit: false,
            });
        }
    }
    Ok(())
}

/// Expands files and directories into jobs.
///
/// # Errors
/// A path that does not exist or a directory that cannot be listed.
pub fn expand(ctx: &Ctx, paths: &[PathBuf], out_dir: Option<&Path>) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p, "open", e))?;
        if meta.is_dir() {
            walk_dir(p, p, out_dir, &mut jobs, ctx)?;
        } else {
            let mirrored = out_dir.map(|o| o.join(p.file_name().unwrap_or(p.as_os_str())));
            jobs.push(Job {
                input: p.clone(),
                mirrored,
                explicit: true,
            });
        }
    }
    Ok(jobs)
}

/// The path of `input` below `base`, for mirroring under `--output-dir`; refuses paths
/// that would land outside the output directory (absolute or with `..`).
///
/// # Errors
/// [`Error::Usage`] for such a path.
pub fn mirror_rel(base: &Path, input: &Path) -> Result<PathBuf> {
    let rel = input.strip_prefix(base).map_err(|_| {
        Error::Usage(format!(
            "{} is outside the project, so --output-dir cannot mirror it",
            input.display()
        ))
    })?;
    if rel
        .components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(Error::Usage(format!(
            "{} has '..' or an absolute part, so --output-dir cannot mirror it",
            input.display()
        )));
    }
    Ok(rel.to_owned())
}

/// Jobs for `--all [-e ENV]`: every file the environments list, mirrored under
/// `--output-dir` by their path below the config's directory.
///
/// # Errors
/// Without `--in-place`/`--output-dir`, no config, or a path that cannot be mirrored.
pub fn all_jobs(envs: &[String], o: &crate::cli::OutputArgs) -> Result<Vec<Job>> {
    if !o.in_place && o.output_dir.is_none() {
        return Err(Error::Usage(
            "--all needs --in-place or --output-dir DIR".to_owned(),
        ));
    }
    let (base, files) = crate::config::environment_files(envs)?;
    files
        .into_iter()
        .map(|input| {
            let mirrored = match &o.output_dir {
                Some(d) => Some(d.join(mirror_rel(&base, &input)?)),
                None => None,
            };
            Ok(Job {
                mirrored,
                input,
                explicit: false,
            })
        })
        .collect()
}

/// Creates every output directory the jobs need, once, before the parallel run, and
/// refuses two inputs that would be written to the same output.
///
/// # Errors
/// A directory that cannot be created, or colliding outputs.
pub fn prepare_dirs(jobs: &[Job], out_root: Option<&Path>) -> Result<()> {
    let mut outs: Vec<&Path> = jobs.iter().filter_map(|j| j.mirrored.as_deref()).collect();
    outs.sort_unstable();
    if let Some(w) = outs.windows(2).find(|w| w[0] == w[1]) {
        return Err(Error::Usage(format!(
            "two inputs would both be written to {}; give --output-dir one directory per tree",
            w[0].display()
        )));
    }
    let mut dirs: Vec<&Path> = jobs
        .iter()
        .filter_map(|j| j.mirrored.as_deref()?.parent())
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    for d in dirs {
        match out_root.and_then(|r| Some((r, d.strip_prefix(r).ok()?))) {
            // Under --output-dir: 0700, and never through a link planted there.
            Some((root, rel)) => crate::output::create_dirs_beneath(root, rel)?,
            None => crate::output::create_private_dirs(d)
                .map_err(|e| Error::io(d, "create directory", e))?,
        }
    }
    Ok(())
}

/// Outcome of one job in a bulk run.
pub enum Done {
    /// Written.
    Written,
    /// Skipped (already in the wanted state), with a reason.
    Skipped,
}

/// A progress bar that appears only on a terminal, only after a second of work.
struct Progress {
    bar: indicatif::ProgressBar,
    start: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
    allowed: bool,
}

impl Progress {
    fn new(total: usize, quiet: bool) -> Self {
        use std::io::IsTerminal;
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(u64::try_from(total).unwrap_or(u64::MAX)),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {pos}/{len} files [{bar:30}] {per_sec} eta {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        Self {
            bar,
            start: std::time::Instant::now(),
            shown: std::sync::atomic::AtomicBool::new(false),
            allowed: !quiet && std::io::stderr().is_terminal(),
        }
    }

    fn tick(&self) {
        use std::sync::atomic::Ordering;
        self.bar.inc(1);
        if self.allowed
            && !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() > std::time::Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

/// Errors printed one by one in a bulk run; the rest are counted.
const MAX_REPORTED: usize = 50;

/// Runs `f` over the jobs in parallel, reports each error, prints a summary, and
/// returns an error carrying the highest exit code when any job failed.
///
/// # Errors
/// [`Error::Bulk`] (or the single error when there was one job).
pub fn run_bulk<F>(ctx: &Ctx, verb: &str, jobs: Vec<Job>, f: F) -> Result<()>
where
    F: Fn(&Job) -> Result<Done> + Sync + Send,
{
    let start = std::time::Instant::now();
    let total = jobs.len();
    if total == 1 {
        if let Some(job) = jobs.first() {
            return f(job).map(|_| ());
        }
    }
    let progress = Progress::new(total, ctx.global.quiet);
    // First pass: files whose key is held by a service start their request and are
    // set aside, so requests overlap instead of waiting one by one.
    let mut results: Vec<Result<Done>> = jobs
        .par_iter()
        .map(|j| {
            let r = recipients::remote::deferring(|| f(j));
            if !matches!(r, Err(Error::Deferred)) {
                progress.tick();
            }
            r
        })
        .collect();
    let later: Vec<usize> = (0..total)
        .filter(|&i| matches!(results.get(i), Some(Err(Error::Deferred))))
        .collect();
    let second: Vec<(usize, Result<Done>)> = later
        .par_iter()
        .filter_map(|&i| {
            let r = f(jobs.get(i)?);
            progress.tick();
            Some((i, r))
        })
        .collect();
    for (i, r) in second {
        if let Some(slot) = results.get_mut(i) {
            *slot = r;
        }
    }
    progress.bar.finish_and_clear();
    let mut failed = 0usize;
    let mut skipped = 0usize;
    let mut code = 0u8;
    for r in &results {
        match r {
            Ok(Done::Written) => {}
            Ok(Done::Skipped) => skipped += 1,
            Err(e) => {
                failed += 1;
                code = code.max(e.exit_code());
                if failed <= MAX_REPORTED {
                    eprintln!("sealbox: error: {e}");
                }
            }
        }
    }
    if failed > MAX_REPORTED {
        eprintln!("sealbox: … and {} more errors", failed - MAX_REPORTED);
    }
    let done = total - failed - skipped;
    let mut summary = format!(
        "{verb} {done} files in {:.2} s",
        start.elapsed().as_secs_f64()
    );
    if skipped > 0 {
        summary.push_str(&format!(", skipped {skipped} (already {verb})"));
    }
    if failed > 0 {
        summary.push_str(&format!(", {failed} failed"));
    }
    let asked = recipients::remote::requests_sent();
    if asked > 0 {
        summary.push_str(&format!(
            ", {asked} key unwrap request{}",
            if asked == 1 { "" } else { "s" }
        ));
    }
    ctx.note(&summary);
    if failed > 0 {
        Err(Error::Bulk { failed, code })
    } else {
        Ok(())
    }
}
