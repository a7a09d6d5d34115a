//! The context every command gets: global flags, identities discovered once on first
//! use, the master keys used so far (for the audit log and for scrubbing children's
//! environments), and notes on stderr.

use std::sync::OnceLock;

use crate::cli::GlobalArgs;
use crate::error::Result;
use crate::identity::Identities;

/// What every command gets: global flags and lazily discovered identities.
pub struct Ctx {
    /// Global flags.
    pub global: GlobalArgs,
    ids: OnceLock<Identities>,
    used: std::sync::Mutex<std::collections::BTreeSet<String>>,
    /// Key types to try first when unwrapping (sops' `--decryption-order`).
    decryption_order: Vec<String>,
}

impl Ctx {
    /// A context for one run.
    #[must_use]
    pub fn new(global: GlobalArgs) -> Self {
        Self {
            global,
            ids: OnceLock::new(),
            used: std::sync::Mutex::new(std::collections::BTreeSet::new()),
            decryption_order: Vec::new(),
        }
    }

    /// Tries master keys of these types first, in this order (empty: age, then pgp).
    #[must_use]
    pub fn with_decryption_order(mut self, order: Vec<String>) -> Self {
        self.decryption_order = order;
        self
    }

    /// Identities, discovered on first use.
    pub fn identities(&self) -> &Identities {
        self.ids.get_or_init(|| {
            let g = &self.global;
            let mut ids = if g.no_default_identities || !g.only_identity.is_empty() {
                let files: Vec<_> = g.identity.iter().chain(&g.only_identity).cloned().collect();
                Identities::only(&files)
            } else {
                Identities::discover(&g.identity)
            };
            ids.decryption_order.clone_from(&self.decryption_order);
            ids
        })
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
    pub fn audit_result<T: Failed>(
        &self,
        result: Result<T>,
        mut event: crate::audit::Event,
    ) -> Result<T> {
        match result {
            Ok(v) => {
                event.failed |= v.failed();
                self.audit(event).map(|()| v)
            }
            Err(e) => {
                event.failed = true;
                let _ = self.audit(event);
                Err(e)
            }
        }
    }

    /// Fails unless the audit log can be written (or `--no-audit`): commands that hand
    /// out plaintext call this before decrypting anything.
    ///
    /// # Errors
    /// The log cannot be opened for appending.
    pub fn audit_preflight(&self) -> Result<()> {
        if self.global.no_audit {
            return Ok(());
        }
        crate::audit::preflight()
    }

    /// Remembers which master keys opened data keys (for the audit log and for what
    /// children must not inherit).
    pub fn record_used(&self, used: impl IntoIterator<Item = String>) {
        if let Ok(mut set) = self.used.lock() {
            set.extend(used);
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
            eprintln!("sealbox: {}", crate::output::escape_name(msg));
        }
    }
}

/// Whether a command's result, though not an error, means part of it failed (a bulk
/// run with failed files): the audit line says so.
pub trait Failed {
    /// Whether part of the run failed.
    fn failed(&self) -> bool {
        false
    }
}

impl Failed for () {}

impl Failed for crate::error::Outcome {
    fn failed(&self) -> bool {
        matches!(self, crate::error::Outcome::Failed { .. })
    }
}
