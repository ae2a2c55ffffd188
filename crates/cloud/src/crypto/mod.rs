//! Secrets of the cloud: keyed hashes for everything stored that a thief could
//! replay (codes, refresh tokens, session ids), HS384 session JWTs, random codes
//! and tokens from the OS CSPRNG, and Argon2id of password digests in a bounded
//! blocking pool (`passwords`; 19 MiB each: the pool size caps memory as well
//! as CPU).

mod passwords;
pub use passwords::PasswordHasher;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub use crate::random::random_bytes;

/// A code of `len` characters of `alphabet`, uniform (rejection sampling),
/// leading zeros kept.
pub fn random_code(len: usize, alphabet: hik_proto::CodeAlphabet) -> String {
    let chars = alphabet.characters();
    let n = chars.len();
    // Values from the largest multiple of the alphabet's size up would bias
    // towards its first characters.
    let fair = 256 - 256 % n;
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for b in random_bytes::<16>() {
            if usize::from(b) < fair && out.len() < len {
                out.push(char::from(chars[usize::from(b) % n]));
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
        hex::encode(mac.finalize().into_bytes())
    }

    /// A session JWT as the real service issues them (HS384, issuer `ysauth`).
    pub fn issue_jwt(&self, claims: &Claims) -> String {
        let key = jsonwebtoken::EncodingKey::from_secret(&self.secret);
        // Signing with HMAC fails only if the claims cannot be serialised,
        // and ours always can.
        jsonwebtoken::encode(&jsonwebtoken::Header::new(JWT_ALGORITHM), claims, &key)
            .unwrap_or_default()
    }

    /// The claims of a JWT whose signature is ours and which has not expired
    /// at `now`: the cloud's clock, which QA moves, not the system's, so the
    /// library checks the signature and the algorithm and `exp` is checked
    /// here.
    pub fn verify_jwt(&self, token: &str, now: i64) -> Option<Claims> {
        let mut rules = jsonwebtoken::Validation::new(JWT_ALGORITHM);
        rules.validate_exp = false;
        rules.validate_aud = false;
        let key = jsonwebtoken::DecodingKey::from_secret(&self.secret);
        let claims = jsonwebtoken::decode::<Claims>(token, &key, &rules)
            .ok()?
            .claims;
        (claims.exp > now).then_some(claims)
    }
}

/// The algorithm the real service's session JWTs use.
const JWT_ALGORITHM: jsonwebtoken::Algorithm = jsonwebtoken::Algorithm::HS384;

// HMAC accepts keys of any length, so `new_from_slice` cannot fail.
#[allow(clippy::panic)]
fn unreachable_hmac() -> ! {
    panic!("HMAC rejected a key, which it accepts of any length")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_of_the_asked_length_and_alphabet() {
        use hik_proto::CodeAlphabet;
        for len in 4..=8 {
            let c = random_code(len, CodeAlphabet::Digits);
            assert_eq!(c.len(), len);
            assert!(c.bytes().all(|b| b.is_ascii_digit()));
        }
        // Letters: every character of the alphabet turns up, nothing else.
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..200 {
            let c = random_code(8, CodeAlphabet::Letters);
            assert_eq!(c.len(), 8);
            seen.extend(c.bytes());
        }
        let all: std::collections::BTreeSet<u8> =
            CodeAlphabet::Letters.characters().iter().copied().collect();
        assert_eq!(seen, all);
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
        // The algorithm is pinned: the same claims signed with the same key
        // under HS256 are refused.
        let hs256 = jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(&[7; 32]),
        )
        .unwrap();
        assert!(keys.verify_jwt(&hs256, 150).is_none(), "another algorithm");
        assert_ne!(
            keys.keyed_hash("code", "1"),
            keys.keyed_hash("refresh", "1")
        );
    }
}
