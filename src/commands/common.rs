//! Recipient and selector resolution shared by the commands that encrypt: recipients
//! built once from specs (flags, config or a file's stanzas) and the selector from
//! flags, else config, else sops' default. (Reading and opening files is in `open`, the
//! job list in `jobs`, the bulk runner in `bulk`, the context in `ctx`.)

use crate::cli::SelectorArgs;
use crate::error::{Error, Result};
use crate::recipients::{self, Recipient};
use crate::sops::Selector;
use crate::store::Format;

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
    let from_flags = args.entry();
    match from_flags.as_ref().or(config) {
        Some((k, v)) => Selector::from_entry(k, v)
            .map_err(|e| Error::Usage(e.to_string()))?
            .ok_or_else(|| Error::Usage(format!("unknown selector {k}"))),
        None => Ok(Selector::UnencryptedSuffix("_unencrypted".to_owned())),
    }
}
