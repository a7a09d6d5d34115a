//! sealbox keeps a team's secrets encrypted in git as sops-compatible files and hands
//! them to programs at run time.
//!
//! Layers, from the bottom: `crypto` (data key, AES-GCM, MAC, the IV pool, age's X25519
//! step), `store` (bytes ⇄ tree per format), `sops` (the envelope: values, metadata and
//! its flattening, walks with the IV cache, whole-file values in `binary`, a file's
//! metadata layout kept across edits in `layout`), `identity` (where keys come from)
//! then `recipients` (wrapping and unwrapping the data key; it reads `identity`, never
//! the reverse), `config` (`.sealbox.toml` and `.sops.yaml`),
//! `scan` (the secret scanner), `git` (libgit2 access for check and the git commands; the scanner reads git through `scan::sources::git`),
//! `audit` (the hash-chained log and its head), `commands` (orchestration; outcomes such
//! as findings are `error::Outcome`, failures `error::Error`), and beside them `output`
//! (every file write: atomic, into FIFOs, beneath `--output-dir`), `lock`
//! (read-modify-write locks) and `hardening` (no core dumps; what children inherit).
//! `sops_cli` is sops' own command line over the same layers (sealbox called as `sops`,
//! or `sealbox sops …`). [`run`] dispatches a parsed command line and returns the exit code.

pub mod audit;
pub mod cli;
pub mod commands;
pub mod config;
pub mod crypto;
pub mod error;
pub mod git;
pub mod hardening;
pub mod identity;
pub mod lock;
pub mod managers;
pub mod output;
pub mod recipients;
pub mod redact;
pub mod scan;
pub mod sops;
pub mod sops_cli;
pub mod store;

use cli::{Cli, Command};
use commands::ctx::Ctx;
use error::Outcome;

/// Runs a parsed command line; returns the process exit code.
#[must_use]
pub fn run(cli: Cli) -> u8 {
    let ctx = Ctx::new(cli.global.clone());
    // Plaintext copies of edits whose sealbox was killed: wiped by the next run (`check`
    // reports them instead, then wipes them).
    if !matches!(cli.command, Command::Check(_)) {
        commands::edit::clean_stale_dirs(&ctx);
    }
    let result = match &cli.command {
        Command::Encrypt(a) => commands::encrypt::run(&ctx, a),
        Command::Decrypt(a) => commands::decrypt::run(&ctx, a),
        Command::Edit(a) => commands::edit::run(&ctx, a).map(Outcome::from),
        Command::Rotate(a) => commands::rotate::run(&ctx, a),
        Command::Updatekeys(a) => commands::updatekeys::run(&ctx, a),
        Command::Init(a) => commands::init::run(&ctx, a).map(Outcome::from),
        Command::Set(a) => commands::values::set(&ctx, a).map(Outcome::from),
        Command::Get(a) => commands::values::get(&ctx, a).map(Outcome::from),
        Command::Unset(a) => commands::values::unset(&ctx, a).map(Outcome::from),
        Command::Exec(a) => commands::exec::run(&ctx, a),
        Command::Redact(a) => commands::redact::run(&ctx, a).map(Outcome::from),
        Command::Render(a) => commands::render::run(&ctx, a).map(Outcome::from),
        Command::Export(a) => commands::export::run(&ctx, a).map(Outcome::from),
        Command::Push(a) => commands::push::run(&ctx, a).map(Outcome::from),
        Command::Pull(a) => commands::pull::run(&ctx, a).map(Outcome::from),
        Command::Diff(a) => commands::diff::run(&ctx, a),
        Command::Check(a) => commands::check::run(&ctx, a),
        Command::Audit(a) => commands::audit::run(&ctx, a).map(Outcome::from),
        Command::Scan(a) => commands::scan::run(&ctx, a),
        Command::Purge(a) => commands::purge::run(&ctx, a).map(Outcome::from),
        Command::Recipients(c) => commands::recipients::run(&ctx, c).map(Outcome::from),
        Command::Whoami => commands::recipients::whoami(&ctx).map(Outcome::from),
        Command::Keys(a) => commands::recipients::keys(a).map(Outcome::from),
        Command::Git(cli::GitCommand::InstallHook(a)) => {
            commands::git::install_hook(&ctx, a).map(Outcome::from)
        }
        Command::Git(cli::GitCommand::Setup) => commands::git::setup(&ctx).map(Outcome::from),
        Command::Git(cli::GitCommand::Textconv { file }) => {
            commands::git::textconv(&ctx, file).map(Outcome::from)
        }
        Command::Git(cli::GitCommand::Merge {
            base,
            ours,
            theirs,
            path,
        }) => commands::git::merge(&ctx, base, ours, theirs, path),
        Command::Completions(a) => commands::generate::completions(a).map(Outcome::from),
        Command::Man(a) => commands::generate::man(a).map(Outcome::from),
    };
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            eprintln!(
                "sealbox: error: {}",
                crate::output::escape_name(&e.to_string())
            );
            e.exit_code()
        }
    }
}
