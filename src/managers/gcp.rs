//! GCP Secret Manager targets (`gcp-sm:`, `gcp-sm-prefix:`): not wired to a client in
//! this build; every call says so.

use zeroize::Zeroizing;

use super::{ManagerError, Values, WriteFailure};

fn unsupported(what: &str) -> ManagerError {
    ManagerError::Invalid(format!(
        "{what}: GCP Secret Manager targets are not supported by this build yet; use vault:, aws-sm:, aws-sm-prefix: or aws-ssm:"
    ))
}

/// Reads one JSON secret.
///
/// # Errors
/// Always: not supported yet.
pub fn read_secret(name: &str) -> Result<Values, ManagerError> {
    Err(unsupported(&format!("gcp-sm:{name}")))
}

/// Writes one JSON secret.
///
/// # Errors
/// Always: not supported yet.
pub fn write_secret(name: &str, _body: &Zeroizing<String>) -> Result<(), ManagerError> {
    Err(unsupported(&format!("gcp-sm:{name}")))
}

/// Reads one secret per key.
///
/// # Errors
/// Always: not supported yet.
pub fn read_prefix(project: &str, prefix: &str) -> Result<Values, ManagerError> {
    Err(unsupported(&format!("gcp-sm-prefix:{project}/{prefix}")))
}

/// Writes one secret per key.
///
/// # Errors
/// Always: not supported yet.
pub fn write_prefix(
    project: &str,
    prefix: &str,
    _puts: Vec<(String, Zeroizing<String>)>,
    _deletes: &[String],
    _current: &Values,
) -> Result<(), WriteFailure> {
    Err(WriteFailure {
        written: Vec::new(),
        error: unsupported(&format!("gcp-sm-prefix:{project}/{prefix}")),
    })
}
