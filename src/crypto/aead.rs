//! AES-256-GCM over one value with a 32-byte IV and a detached 16-byte tag, the
//! way sops stores values. Pure functions: the caller supplies IV and AAD.

use aes_gcm::aead::consts::U32;
use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::aes::Aes256;
use aes_gcm::{AesGcm, Nonce, Tag};

use super::dek::DataKey;

/// IV length sops writes.
pub const IV_LEN: usize = 32;
/// GCM tag length.
pub const TAG_LEN: usize = 16;

type Cipher32 = AesGcm<Aes256, U32>;
type Cipher12 = AesGcm<Aes256, aes_gcm::aead::consts::U12>;
type Cipher16 = AesGcm<Aes256, aes_gcm::aead::consts::U16>;

/// Authentication failed: wrong key, wrong AAD, or a changed byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenError;

/// A cipher keyed once with a data key, reused for every value of a file.
pub struct ValueCipher {
    c32: Cipher32,
    key: DataKey,
}

impl ValueCipher {
    /// Prepares the AES key schedule for `key`.
    #[must_use]
    pub fn new(key: &DataKey) -> Self {
        let c32 = Cipher32::new(key.expose().into());
        Self {
            c32,
            key: key.duplicate(),
        }
    }

    /// Encrypts `buf` in place and returns the tag.
    #[must_use]
    pub fn seal(&self, iv: &[u8; IV_LEN], aad: &[u8], buf: &mut [u8]) -> [u8; TAG_LEN] {
        let nonce = Nonce::<U32>::from(*iv);
        // Encryption with a valid key and in-memory buffer cannot fail except on
        // inputs longer than GCM allows (64 GiB), which no caller produces.
        match self.c32.encrypt_inout_detached(&nonce, aad, buf.into()) {
            Ok(tag) => tag.into(),
            Err(_) => [0u8; TAG_LEN],
        }
    }

    /// Decrypts `buf` in place, checking `tag`. Accepts the IV lengths sops readers
    /// meet in the wild (32 from sops, 12 and 16 from other writers).
    ///
    /// # Errors
    /// [`OpenError`] when authentication fails or the IV length is unsupported.
    pub fn open(&self, iv: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8]) -> Result<(), OpenError> {
        let tag: [u8; TAG_LEN] = tag.try_into().map_err(|_| OpenError)?;
        let tag = Tag::from(tag);
        let res = match iv.len() {
            32 => {
                let n: [u8; 32] = iv.try_into().map_err(|_| OpenError)?;
                self.c32
                    .decrypt_inout_detached(&Nonce::<U32>::from(n), aad, buf.into(), &tag)
            }
            12 => {
                let n: [u8; 12] = iv.try_into().map_err(|_| OpenError)?;
                Cipher12::new(self.key.expose().into()).decrypt_inout_detached(
                    &n.into(),
                    aad,
                    buf.into(),
                    &tag,
                )
            }
            16 => {
                let n: [u8; 16] = iv.try_into().map_err(|_| OpenError)?;
                Cipher16::new(self.key.expose().into()).decrypt_inout_detached(
                    &n.into(),
                    aad,
                    buf.into(),
                    &tag,
                )
            }
            _ => return Err(OpenError),
        };
        res.map_err(|_| OpenError)
    }
}

/// Fresh random IV.
///
/// # Errors
/// When the OS RNG is unavailable.
pub fn random_iv() -> Result<[u8; IV_LEN], getrandom::Error> {
    let mut iv = [0u8; IV_LEN];
    super::rng::fill(&mut iv)?;
    Ok(iv)
}
