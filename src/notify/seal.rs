//! Sealing message bodies for the outbox: AES-256-GCM (aws-lc-rs, already
//! the TLS provider) under a key derived from `APP_SECRET_KEY`, a random
//! nonce per message, and the outbox row's id as associated data, so a
//! sealed body opens only as the row it was written for.

use crate::config::SecretKey;
use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

/// The outbox's key; every process that sends mail must have the same one.
#[derive(Clone)]
pub struct OutboxKey([u8; 32]);

impl OutboxKey {
    pub fn from_secret(secret: &SecretKey) -> Self {
        Self(secret.derive("email-outbox"))
    }

    /// The same sealing under a key of its own for another `purpose` (the
    /// second factor's secrets), so neither use can open the other's.
    pub fn for_purpose(secret: &SecretKey, purpose: &str) -> Self {
        Self(secret.derive(purpose))
    }

    fn key(&self) -> LessSafeKey {
        LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &self.0).expect("32 bytes is an AES-256 key"))
    }

    /// `nonce ‖ ciphertext ‖ tag` of `plain`, bound to the outbox row `id`.
    pub fn seal(&self, id: uuid::Uuid, plain: &[u8]) -> Vec<u8> {
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let mut sealed = plain.to_vec();
        self.key()
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce_bytes), Aad::from(id.as_bytes()), &mut sealed)
            .expect("a message this small can always be sealed");
        [nonce_bytes.as_slice(), &sealed].concat()
    }

    /// The plain bytes, or `None` when the key, the row or the bytes are not the ones sealed.
    pub fn open(&self, id: uuid::Uuid, sealed: &[u8]) -> Option<Vec<u8>> {
        let (nonce, body) = sealed.split_at_checked(NONCE_LEN)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut body = body.to_vec();
        let plain = self.key().open_in_place(nonce, Aad::from(id.as_bytes()), &mut body).ok()?;
        Some(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_body_opens_only_with_its_key_and_its_row() {
        let key = OutboxKey::from_secret(&SecretKey::random());
        let row = uuid::Uuid::new_v4();
        let sealed = key.seal(row, b"https://example.test/password-reset/new?token=abc");
        assert!(!sealed.windows(5).any(|w| w == b"token"), "nothing readable");
        assert_eq!(key.open(row, &sealed).as_deref(), Some(&b"https://example.test/password-reset/new?token=abc"[..]));
        assert_eq!(key.open(uuid::Uuid::new_v4(), &sealed), None, "another row");
        assert_eq!(OutboxKey::from_secret(&SecretKey::random()).open(row, &sealed), None, "another key");
        let mut tampered = sealed.clone();
        tampered[20] ^= 1;
        assert_eq!(key.open(row, &tampered), None);
        assert_ne!(key.seal(row, b"same"), key.seal(row, b"same"), "a fresh nonce each time");
    }
}
