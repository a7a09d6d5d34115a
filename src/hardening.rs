//! Process hardening: sealbox never dumps core (a core file would hold decrypted values
//! and private keys), and the programs it starts (`exec`'s command, the editor,
//! `rotate --run`) get neither the identity sealbox used nor its core-dump setting.
//!
//! At start-up, before any secret is read: `PR_SET_DUMPABLE` 0 and a soft
//! `RLIMIT_CORE` of 0. Dumpability is reset by `execve`, but the core limit is inherited,
//! so the programs the user asked for (`exec`'s command, the editor, `rotate --run`) get
//! the user's own limit back; key helpers (`$SOPS_AGE_KEY_CMD`, `gpg`), which handle the
//! same secrets as sealbox, keep the limit of 0. Identity variables (`SEALBOX_AGE_KEY*`,
//! `SOPS_AGE_KEY*`) and the credentials of the key services sealbox used are removed
//! from children's environments unless `--keep-identity-env`.

use std::process::Command;
use std::sync::OnceLock;

use rustix::process::{Resource, Rlimit};

/// The core limit the user started sealbox with.
static USER_CORE_LIMIT: OnceLock<Rlimit> = OnceLock::new();

/// Variables that hold or point at an age identity.
pub const IDENTITY_VARS: [&str; 7] = [
    "SEALBOX_AGE_KEY",
    "SEALBOX_AGE_KEY_FILE",
    "SOPS_AGE_KEY",
    "SOPS_AGE_KEY_FILE",
    "SOPS_AGE_KEY_CMD",
    "SOPS_AGE_SSH_PRIVATE_KEY_FILE",
    "SOPS_AGE_SSH_PRIVATE_KEY_CMD",
];

/// Credentials of each key service, by stanza kind: removed from children when sealbox
/// used that service to open a data key.
const SERVICE_VARS: [(&str, &[&str]); 4] = [
    (
        crate::recipients::vault::KIND,
        &["VAULT_TOKEN", "BAO_TOKEN"],
    ),
    (
        crate::recipients::aws::KIND,
        &[
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
        ],
    ),
    (
        crate::recipients::gcp::KIND,
        &["GOOGLE_OAUTH_ACCESS_TOKEN", "GOOGLE_CREDENTIALS"],
    ),
    (crate::recipients::azure::KIND, &["AZURE_CLIENT_SECRET"]),
];

/// Turns core dumps off for this process. Called first thing in `main`.
pub fn at_start_up() {
    let _ = rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable);
    let old = rustix::process::getrlimit(Resource::Core);
    let _ = USER_CORE_LIMIT.set(old);
    let _ = rustix::process::setrlimit(
        Resource::Core,
        Rlimit {
            current: Some(0),
            maximum: old.maximum,
        },
    );
}

/// Gives this process the user's core limit back, right before it replaces itself
/// with another program (`exec`) or starts one.
pub fn restore_core_limit_for_exec() {
    if let Some(old) = USER_CORE_LIMIT.get() {
        let _ = rustix::process::setrlimit(Resource::Core, *old);
    }
}

/// Sets this process's soft core limit back to 0 (after a child was started).
fn zero_core_limit() {
    if let Some(old) = USER_CORE_LIMIT.get() {
        let _ = rustix::process::setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: old.maximum,
            },
        );
    }
}

/// Removes the identity variables, and the credentials of the services whose stanza
/// kinds are in `used_kinds`, from `cmd`'s environment (unless `keep`).
pub fn scrub_child_env<'a>(
    cmd: &mut Command,
    keep: bool,
    used_kinds: impl IntoIterator<Item = &'a str>,
) {
    if keep {
        return;
    }
    for v in IDENTITY_VARS {
        cmd.env_remove(v);
    }
    // And any other variable of that family (`SOPS_AGE_SSH_PRIVATE_KEY_FILE`, …).
    for (name, _) in std::env::vars_os() {
        let n = name.to_string_lossy();
        if n.starts_with("SEALBOX_AGE_KEY") || n.starts_with("SOPS_AGE_") {
            cmd.env_remove(&name);
        }
    }
    let used: Vec<&str> = used_kinds.into_iter().collect();
    for (kind, vars) in SERVICE_VARS {
        if used.contains(&kind) {
            for v in vars {
                cmd.env_remove(v);
            }
        }
    }
}

/// Starts `cmd` with the user's core limit (inherited at `fork`; sealbox stays
/// undumpable meanwhile, as `PR_SET_DUMPABLE` 0 alone already forbids its dumps), then
/// waits for it.
///
/// # Errors
/// When it cannot be started or waited for.
pub fn run_child(cmd: &mut Command) -> std::io::Result<std::process::ExitStatus> {
    restore_core_limit_for_exec();
    let child = cmd.spawn();
    zero_core_limit();
    child?.wait()
}

/// Starts `cmd` with the user's core limit, as [`run_child`] does, without waiting.
///
/// # Errors
/// When it cannot be started.
pub fn spawn_child(cmd: &mut Command) -> std::io::Result<std::process::Child> {
    restore_core_limit_for_exec();
    let child = cmd.spawn();
    zero_core_limit();
    child
}
