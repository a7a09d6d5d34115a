//! Azure Key Vault secret targets (`azure-kv:`): not wired to a client in this build;
//! every call says so.

use zeroize::Zeroizing;

use super::{ManagerError, Values, WriteFailure};

fn unsupported(url: &str) -> ManagerError {
    ManagerError::Invalid(format!(
        "azure-kv:{url}/: Azure Key Vault secret targets are not supported by this build yet; use vault:, aws-sm:, aws-sm-prefix: or aws-ssm:"
    ))
}

/// Reads every secret of the vault.
///
/// # Errors
/// Always: not supported yet.
pub fn read(url: &str) -> Result<Values, ManagerError> {
    Err(unsupported(url))
}

/// Writes one secret per key.
///
/// # Errors
/// Always: not supported yet.
pub fn write(
    url: &str,
    _puts: Vec<(String, Zeroizing<String>)>,
    _deletes: &[String],
) -> Result<(), WriteFailure> {
    Err(WriteFailure {
        written: Vec::new(),
        error: unsupported(url),
    })
}
