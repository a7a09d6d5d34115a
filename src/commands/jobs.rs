//! What a bulk command works on: files and directories expanded into jobs (temp files
//! of killed runs cleaned on the way), `--all` from the config, the mirrored paths
//! under `--output-dir` and their directories (0700, never through a planted link).

use std::path::{Path, PathBuf};

use crate::commands::ctx::Ctx;
use crate::error::{Error, Result};

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
