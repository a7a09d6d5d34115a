//! The data key (DEK): 32 random bytes per file from the OS RNG, zeroized on drop.
//! It never implements `Debug`, `Display` or `Clone`; bytes are reached through
//! `expose()` only. Created by `encrypt`/`rotate`, recovered by `recipients::unwrap`.

use zeroize::Zeroizing;

/// Length of a sops data key in bytes.
pub const DEK_LEN: usize = 32;

/// A file's data key. Wiped from memory when dropped.
pub struct DataKey(Zeroizing<[u8; DEK_LEN]>);

impl DataKey {
    /// Draws a fresh key from the operating system's RNG.
    ///
    /// # Errors
    /// When the OS RNG is unavailable.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut key = Zeroizing::new([0u8; DEK_LEN]);
        super::rng::fill_secret(key.as_mut())?;
        Ok(Self(key))
    }

    /// Builds a key from raw bytes (an unwrapped stanza); `None` unless exactly 32 bytes.
    #[must_use]
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        let arr: [u8; DEK_LEN] = bytes.try_into().ok()?;
        Some(Self(Zeroizing::new(arr)))
    }

    /// The raw key bytes.
    #[must_use]
    pub fn expose(&self) -> &[u8; DEK_LEN] {
        &self.0
    }

    /// Whether two handles hold the same key, compared in constant time.
    #[must_use]
    pub fn ct_eq(&self, other: &Self) -> bool {
        use subtle::ConstantTimeEq as _;
        bool::from(self.0.as_slice().ct_eq(other.0.as_slice()))
    }

    /// Makes a second handle on the same key (explicit, never derived).
    #[must_use]
    pub fn duplicate(&self) -> Self {
        Self(Zeroizing::new(*self.0))
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}
