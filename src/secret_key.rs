//! The app's own secret, and the keys derived from it.

use anyhow::Context;
use std::path::Path;

/// The app's own secret (`APP_SECRET_KEY`: 32 random bytes as 64 hex digits).
/// Each use gets its own key derived from it (sealing email bodies in the
/// outbox, signing the sign-in form's CSRF cookie and device cookies), so
/// what one use reveals says nothing about another. Every process behind a
/// load balancer needs the same one; production refuses to start without it.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    pub fn from_hex(hex_digits: &str) -> anyhow::Result<Self> {
        let bytes = hex::decode(hex_digits.trim()).ok().and_then(|b| <[u8; 32]>::try_from(b).ok());
        bytes.map(Self).context("APP_SECRET_KEY must be 64 hex digits (32 random bytes: `openssl rand -hex 32`)")
    }

    /// A fresh random key (tests, and the first start on a developer's machine).
    pub fn random() -> Self {
        Self(rand::random())
    }

    /// The key for one `purpose` (HKDF-SHA256 with the purpose as its info).
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut key = [0u8; 32];
        hkdf::Hkdf::<sha2::Sha256>::new(None, &self.0)
            .expand(purpose.as_bytes(), &mut key)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        key
    }

    /// Hex HMAC-SHA256 of `data` under the key for `purpose`: a value only
    /// this app can make (cookie tokens).
    pub fn sign(&self, purpose: &str, data: &[u8]) -> String {
        use hmac::Mac;
        let mut mac =
            hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.derive(purpose)).expect("HMAC takes a key of any length");
        mac.update(data);
        hex::encode(mac.finalize().into_bytes())
    }

    /// Off production: the key kept in `path` (readable by its owner only),
    /// created on first start, so mail queued before a restart can still be sent.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        match std::fs::read_to_string(path) {
            Ok(text) => return Self::from_hex(&text).with_context(|| format!("reading {}", path.display())),
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("reading {}", path.display()));
            }
            Err(_) => {}
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let key = Self::random();
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .with_context(|| format!("creating {}", path.display()))?;
        writeln!(file, "{}", hex::encode(key.0))?;
        Ok(key)
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_purpose_gets_its_own_key() {
        let key = SecretKey::random();
        assert_ne!(key.derive("outbox"), key.derive("csrf"));
        assert_eq!(key.derive("outbox"), key.derive("outbox"));
    }
}
