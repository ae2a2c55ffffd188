//! The cloud's half of the password policy. It receives only the MD5 digest of a
//! password, so it can refuse the 1,000 most common passwords (by digest) but not
//! judge length or character classes: the client checks those before sending
//! (hik_proto::policy), and the UI shows them live.

use crate::error::ApiError;
use hik_proto::{PasswordDigest, ResultCode};
use std::collections::HashSet;
use std::sync::LazyLock;

const COMMON: &str = include_str!("common_passwords.txt");

static COMMON_DIGESTS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    COMMON
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|p| PasswordDigest::of_password(p).as_str().to_owned())
        .collect()
});

pub const POLICY: &str = "8 to 64 characters with at least three of: lower-case letters, \
                          upper-case letters, digits, symbols; not one of the 1,000 most common passwords.";

/// 2002 when the password is one of the most common ones.
pub fn check(digest: &PasswordDigest) -> Result<(), ApiError> {
    if COMMON_DIGESTS.contains(digest.as_str()) {
        return Err(ApiError::business(ResultCode::WeakPassword)
            .with_message("This password is one of the most common ones and is easy to guess. Choose another.")
            .with(|f| f.policy = Some(POLICY.to_owned())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_a_thousand_and_refuses_them_by_digest() {
        assert_eq!(COMMON_DIGESTS.len(), 1000);
        assert!(check(&PasswordDigest::of_password("password1")).is_err());
        assert!(check(&PasswordDigest::of_password("Correct-Horse-9")).is_ok());
    }
}
