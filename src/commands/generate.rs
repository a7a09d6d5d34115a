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

/// EXIT STATUS, as DESIGN's exit codes.
const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success."),
    (
        "1",
        "Findings: scan or check found something, or a merge left a conflict.",
    ),
    (
        "2",
        "Usage or configuration error (bad flags, no config, a malformed file).",
    ),
    (
        "3",
        "No identity could decrypt (or the key service refused).",
    ),
    (
        "4",
        "Integrity failure: a MAC or tag did not verify, a tampered file or audit log.",
    ),
    (
        "5",
        "I/O or key service error (unreadable file, unreachable service, unwritable audit log).",
    ),
    (
        "126, 127",
        "exec: the command is not executable, or not found.",
    ),
];

/// ENVIRONMENT: the variables sealbox reads.
const ENVIRONMENT: &[(&str, &str)] = &[
    ("SEALBOX_AGE_KEY, SOPS_AGE_KEY", "age identities, as text."),
    ("SEALBOX_AGE_KEY_FILE, SOPS_AGE_KEY_FILE", "An age identity file."),
    ("SOPS_AGE_KEY_CMD", "A command that prints age identities."),
    ("SOPS_AGE_SSH_PRIVATE_KEY_FILE", "An SSH private key to decrypt with."),
    ("SOPS_AGE_RECIPIENTS, SOPS_KMS_ARN, SOPS_VAULT_URIS, SOPS_GCP_KMS_IDS, SOPS_AZURE_KEYVAULT_URLS", "Recipients for encrypt when no flag or config names any."),
    ("SEALBOX_EDITOR, SOPS_EDITOR, VISUAL, EDITOR", "The editor for edit (first set wins)."),
    ("SEALBOX_AUDIT_LOG", "The audit log (default $XDG_STATE_HOME/sealbox/audit.jsonl)."),
    ("XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_RUNTIME_DIR, HOME", "Where identities, the audit log and lock files live."),
    ("SEALBOX_KMS_CONCURRENCY", "Concurrent key service requests in bulk runs (default 16)."),
    ("VAULT_ADDR, VAULT_TOKEN, BAO_TOKEN, VAULT_NAMESPACE", "Vault/OpenBao transit."),
    ("AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, AWS_*", "AWS KMS (the standard credential chain)."),
    ("GOOGLE_APPLICATION_CREDENTIALS, GOOGLE_OAUTH_ACCESS_TOKEN", "GCP KMS."),
    ("AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET", "Azure Key Vault."),
    ("GITHUB_ENV", "export --format github-actions appends to it."),
    ("GITLEAKS_CONFIG", "scan: a gitleaks TOML config."),
];

fn roff_escape(s: &str) -> String {
    s.replace('\\', "\\e").replace('-', "\\-")
}

fn section(buf: &mut Vec<u8>, title: &str, items: &[(&str, &str)]) {
    use std::io::Write as _;
    let _ = writeln!(buf, ".SH \"{title}\"");
    for (k, v) in items {
        let _ = writeln!(buf, ".TP\n\\fB{}\\fR\n{}", roff_escape(k), roff_escape(v));
    }
}

fn render(cmd: &clap::Command, dir: &Path, name: &str) -> Result<()> {
    let mut buf = Vec::new();
    let man = clap_mangen::Man::new(cmd.clone()).title(name.to_uppercase());
    let fail = |e| Error::io(dir, "render man page", e);
    man.render_title(&mut buf).map_err(fail)?;
    man.render_name_section(&mut buf).map_err(fail)?;
    man.render_synopsis_section(&mut buf).map_err(fail)?;
    man.render_description_section(&mut buf).map_err(fail)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut buf).map_err(fail)?;
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(&mut buf).map_err(fail)?;
    }
    if cmd.get_after_long_help().is_some() || cmd.get_after_help().is_some() {
        man.render_extra_section(&mut buf).map_err(fail)?;
    }
    section(&mut buf, "EXIT STATUS", EXIT_STATUS);
    section(&mut buf, "ENVIRONMENT", ENVIRONMENT);
    if cmd.get_version().is_some() || cmd.get_long_version().is_some() {
        man.render_version_section(&mut buf).map_err(fail)?;
    }
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
