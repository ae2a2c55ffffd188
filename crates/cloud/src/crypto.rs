//! Secrets of the cloud: keyed hashes for everything stored that a thief could
//! replay (codes, refresh tokens, session ids), HS384 session JWTs, random codes
//! and tokens from the OS CSPRNG, and Argon2id of password digests in a bounded
//! blocking pool (19 MiB each: the pool size caps memory as well as CPU).

use crate::error::ApiError;
use crate::Rules;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha384};
use std::sync::Arc;
use tokio::sync::Semaphore;

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    // The OS RNG failing leaves us nothing safe to do: codes and tokens must not
    // be predictable. Zeroes would be; refuse instead.
    #[allow(clippy::panic)]
    if let Err(e) = getrandom::fill(&mut buf) {
        panic!("the operating system's random number generator failed: {e}");
    }
    buf
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A code of `len` decimal digits, uniform (rejection sampling), leading zeros kept.
pub fn random_code(len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for b in random_bytes::<16>() {
            // 250 = 25 * 10: values above it would bias towards low digits.
            if b < 250 && out.len() < len {
                out.push(char::from(b'0' + b % 10));
            }
        }
    }
    out
}

/// An opaque bearer token: 256 random bits, URL-safe base64.
pub fn random_token() -> String {
    B64.encode(random_bytes::<32>())
}

pub struct Keys {
    secret: Vec<u8>,
}

impl Keys {
    pub fn new(secret: Vec<u8>) -> Self {
        Self { secret }
    }

    /// HMAC-SHA256 of `value` under the server secret, separated by `purpose` so a
    /// hash made for one table never matches in another.
    pub fn keyed_hash(&self, purpose: &str, value: &str) -> String {
        let mut mac = match <Hmac<Sha256>>::new_from_slice(&self.secret) {
            Ok(m) => m,
            Err(_) => unreachable_hmac(),
        };
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    fn sign384(&self, data: &[u8]) -> Vec<u8> {
        let mut mac = match <Hmac<Sha384>>::new_from_slice(&self.secret) {
            Ok(m) => m,
            Err(_) => unreachable_hmac(),
        };
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    /// A session JWT as the real service issues them (HS384, issuer `ysauth`).
    pub fn issue_jwt(&self, claims: &Claims) -> String {
        let header = B64.encode(br#"{"alg":"HS384","typ":"JWT"}"#);
        let payload = B64.encode(serde_json::to_vec(claims).unwrap_or_default());
        let signing_input = format!("{header}.{payload}");
        let sig = B64.encode(self.sign384(signing_input.as_bytes()));
        format!("{signing_input}.{sig}")
    }

    /// The claims of a JWT whose signature is ours and which has not expired at `now`.
    pub fn verify_jwt(&self, token: &str, now: i64) -> Option<Claims> {
        let mut parts = token.split('.');
        let (h, p, s) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let expected = self.sign384(format!("{h}.{p}").as_bytes());
        let given = B64.decode(s).ok()?;
        if !constant_time_eq(&expected, &given) {
            return None;
        }
        let claims: Claims = serde_json::from_slice(&B64.decode(p).ok()?).ok()?;
        (claims.exp > now).then_some(claims)
    }
}

// HMAC accepts keys of any length, so `new_from_slice` cannot fail.
#[allow(clippy::panic)]
fn unreachable_hmac() -> ! {
    panic!("HMAC rejected a key, which it accepts of any length")
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Claims {
    pub iss: String,
    /// The user id.
    pub aud: String,
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    /// Client type and client name, as the real service puts them.
    pub ct: String,
    pub cn: String,
    /// Unique id of this session; its keyed hash is the sessions table's key.
    pub jti: String,
}

/// Argon2id of password digests, at most `permits` at once, off the async threads.
#[derive(Clone)]
pub struct PasswordHasher {
    argon: Arc<argon2::Argon2<'static>>,
    permits: Arc<Semaphore>,
}

impl PasswordHasher {
    pub fn new(rules: &Rules) -> Self {
        let params = argon2::Params::new(
            rules.argon2_memory_kib,
            rules.argon2_passes,
            rules.argon2_lanes,
            None,
        )
        .unwrap_or_default();
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            argon: Arc::new(argon),
            permits: Arc::new(Semaphore::new(cores)),
        }
    }

    pub async fn hash(&self, digest: &str) -> Result<String, ApiError> {
        use argon2::password_hash::{PasswordHasher as _, SaltString};
        let digest = digest.to_owned();
        let argon = Arc::clone(&self.argon);
        self.run(move || {
            let salt = SaltString::encode_b64(&random_bytes::<16>())
                .map_err(|e| ApiError::internal(format!("salt: {e}")))?;
            argon
                .hash_password(digest.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| ApiError::internal(format!("argon2: {e}")))
        })
        .await
    }

    pub async fn verify(&self, digest: &str, stored: &str) -> Result<bool, ApiError> {
        use argon2::password_hash::{PasswordHash, PasswordVerifier as _};
        let digest = digest.to_owned();
        let stored = stored.to_owned();
        let argon = Arc::clone(&self.argon);
        self.run(move || {
            let parsed = PasswordHash::new(&stored)
                .map_err(|e| ApiError::internal(format!("stored hash: {e}")))?;
            Ok(argon.verify_password(digest.as_bytes(), &parsed).is_ok())
        })
        .await
    }

    async fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<R, ApiError> + Send + 'static,
    ) -> Result<R, ApiError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::internal("hash pool closed"))?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| ApiError::internal(format!("hash task: {e}")))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_digits_of_the_asked_length() {
        for len in 4..=8 {
            let c = random_code(len);
            assert_eq!(c.len(), len);
            assert!(c.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn jwts_verify_only_unexpired_and_untampered() {
        let keys = Keys::new(vec![7; 32]);
        let claims = Claims {
            iss: "ysauth".into(),
            aud: "1".into(),
            sub: "s".into(),
            iat: 100,
            exp: 200,
            ct: "9".into(),
            cn: "desktop".into(),
            jti: "x".into(),
        };
        let jwt = keys.issue_jwt(&claims);
        assert!(keys.verify_jwt(&jwt, 150).is_some());
        assert!(keys.verify_jwt(&jwt, 200).is_none(), "expired");
        let other = Keys::new(vec![8; 32]);
        assert!(other.verify_jwt(&jwt, 150).is_none(), "wrong key");
        assert!(keys.verify_jwt("a.b.c", 150).is_none());
        assert_ne!(
            keys.keyed_hash("code", "1"),
            keys.keyed_hash("refresh", "1")
        );
    }
}
