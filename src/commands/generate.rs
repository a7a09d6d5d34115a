//! `sealbox completions SHELL` and `sealbox man --out-dir DIR`: generated from the
//! clap definition, never written by hand. The committed copies in `completions/`
//! and `man/` are checked for drift by a test.

use std::path::Path;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::error::{Error, Result};

/// Writes the completion script for a shell to stdout.
///
/// # Errors
/// Only stdout failures.
pub fn completions(args: &CompletionsArgs) -> Result<()> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "sealbox", &mut buf);
    crate::output::write_stdout(&buf)
}

fn render(cmd: &clap::Command, dir: &Path, name: &str) -> Result<()> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .title(name.to_uppercase())
        .render(&mut buf)
        .map_err(|e| Error::io(dir, "render man page", e))?;
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, buf).map_err(|e| Error::io(&path, "write", e))
}

/// Writes `sealbox.1` and `sealbox-SUB.1` pages into the directory.
///
/// # Errors
/// I/O errors naming the file.
pub fn man(args: &ManArgs) -> Result<()> {
    std::fs::create_dir_all(&args.out_dir)
        .map_err(|e| Error::io(&args.out_dir, "create directory", e))?;
    let mut cmd = Cli::command();
    cmd.build();
    render(&cmd, &args.out_dir, "sealbox")?;
    for sub in cmd.get_subcommands() {
        let name = format!("sealbox-{}", sub.get_name());
        let sub = sub.clone().name(name.clone());
        render(&sub, &args.out_dir, &name)?;
    }
    Ok(())
}
