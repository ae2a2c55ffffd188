//! Values parsed once at the edge: past their constructor nothing holds an
//! unchecked account, code or fingerprint.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("enter a valid email address")]
    Email,
    #[error("enter a valid phone number (digits only, 5 to 15 of them)")]
    Phone,
    #[error("enter a valid email address or phone number")]
    Account,
    #[error("a verification code is {min} to {max} digits")]
    Code { min: usize, max: usize },
    #[error("a terminal fingerprint (featureCode) is 1 to 64 visible ASCII characters")]
    FeatureCode,
    #[error("a password digest is 32 hexadecimal characters")]
    PasswordDigest,
    #[error("unknown region")]
    AreaId,
    #[error("unknown bizType")]
    BizType,
    #[error("a whole number from {min} to {max}")]
    Number { min: String, max: String },
    #[error("1 or 0 (true or false)")]
    Switch,
    #[error("a number from 0 to 1")]
    Fraction,
    #[error("1 (SMS) or 3 (email)")]
    SmsType,
    #[error("email or sms")]
    Channel,
    #[error("at most {max} characters")]
    Text { max: usize },
    #[error("a comma-separated list of 1 to {max} items")]
    List { max: usize },
    #[error("500, 502, 503 or 504")]
    FaultStatus,
}

/// A lower-cased email address with one `@` and a dotted domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = input.trim().to_lowercase();
        let (local, domain) = s.split_once('@').ok_or(ParseError::Email)?;
        let ok = !local.is_empty()
            && s.len() <= 254
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok {
            Ok(Self(s))
        } else {
            Err(ParseError::Email)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A national phone number: digits only (spaces, dashes, dots and brackets typed
/// by people are dropped), 5 to 15 of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let digits: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .collect();
        if (5..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(digits))
        } else {
            Err(ParseError::Phone)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a person logs in with: an email address or a phone number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Account {
    Email(Email),
    Phone(Phone),
}

impl Account {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        if input.contains('@') {
            Email::parse(input).map(Self::Email)
        } else {
            Phone::parse(input)
                .map(Self::Phone)
                .map_err(|_| ParseError::Account)
        }
    }
    pub fn as_str(&self) -> &str {
        match self {
            Self::Email(e) => e.as_str(),
            Self::Phone(p) => p.as_str(),
        }
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a cloud's codes are made of: digits (the default), or digits and
/// the letters of Crockford's base 32, which has no I, L, O or U (so nothing
/// reads as another character).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum CodeAlphabet {
    #[default]
    Digits,
    Letters,
}

impl CodeAlphabet {
    /// The characters a code is drawn from.
    pub const fn characters(self) -> &'static [u8] {
        match self {
            Self::Digits => b"0123456789",
            Self::Letters => b"0123456789ABCDEFGHJKMNPQRSTVWXYZ",
        }
    }
}

/// A verification code as typed by a person, normalised: spaces and dashes
/// dropped, letters in capitals, O read as 0, I and L read as 1 (Crockford's
/// base 32 reads them so; a code of digits never holds a letter). Always a
/// string: leading zeros count.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifyCode(String);

impl VerifyCode {
    pub const MIN_LEN: usize = 4;
    pub const MAX_LEN: usize = 8;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        Self::parse_at_least(input, Self::MIN_LEN)
    }

    /// A code as a client sent it on the wire, where some send it as a
    /// number (pyezvizapi's `int(code)`) and its leading zeros are lost:
    /// shorter entries are taken too, and `zero_padded` restores them.
    pub fn parse_sent(input: &str) -> Result<Self, ParseError> {
        Self::parse_at_least(input, 1)
    }

    /// The code with the leading zeros a number-typed client dropped, up to
    /// the `len` digits the cloud's codes have.
    #[must_use]
    pub fn zero_padded(&self, len: usize) -> Self {
        if self.0.len() >= len {
            return self.clone();
        }
        Self(format!("{:0>len$}", self.0))
    }

    fn parse_at_least(input: &str, min: usize) -> Result<Self, ParseError> {
        let err = ParseError::Code {
            min: Self::MIN_LEN,
            max: Self::MAX_LEN,
        };
        let mut out = String::with_capacity(input.len());
        for c in input.chars() {
            match c.to_ascii_uppercase() {
                ' ' | '-' | '\t' | '\u{a0}' => {}
                'O' => out.push('0'),
                'I' | 'L' => out.push('1'),
                // U is no character of the alphabet: a typo, refused.
                'U' => return Err(err),
                d if d.is_ascii_digit() || d.is_ascii_uppercase() => out.push(d),
                _ => return Err(err),
            }
        }
        if (min..=Self::MAX_LEN).contains(&out.len()) {
            Ok(Self(out))
        } else {
            Err(err)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Codes are secrets: never print one by accident.
impl fmt::Debug for VerifyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VerifyCode(***)")
    }
}

/// The terminal's fingerprint (`featureCode`): whatever the client sends, 1 to
/// 64 visible ASCII characters, kept as sent (real clients send `deadbeef`,
/// the MD5 of a MAC address, or a random value). It keys the terminal. This
/// app makes its own from 128 random bits (`from_bytes`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FeatureCode(String);

impl FeatureCode {
    pub const MAX_LEN: usize = 64;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = input.trim();
        if (1..=Self::MAX_LEN).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(ParseError::FeatureCode)
        }
    }
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(hex::encode(bytes))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The lower-case hex MD5 of the UTF-8 password: what real clients send.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordDigest(String);

impl PasswordDigest {
    pub fn of_password(password: &str) -> Self {
        use md5::{Digest, Md5};
        Self(hex::encode(Md5::digest(password.as_bytes())))
    }
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let s = input.trim().to_ascii_lowercase();
        if s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(s))
        } else {
            Err(ParseError::PasswordDigest)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordDigest(***)")
    }
}

/// A region (area) id from the area list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AreaId(u32);

impl AreaId {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        match input.trim().parse::<u32>() {
            Ok(n) if n > 0 => Ok(Self(n)),
            _ => Err(ParseError::AreaId),
        }
    }
    pub const fn new(n: u32) -> Self {
        Self(n)
    }
    pub const fn get(self) -> u32 {
        self.0
    }
}

/// What a verification code is for. A code is valid only for its own bizType.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "SCREAMING_SNAKE_CASE")]
pub enum BizType {
    UserRegistration,
    TerminalBind,
    TerminalDelete,
    RetrievePassword,
    UserDelete,
    UpdateEmailValidateOldEmail,
    UpdateEmailValidateOldPhone,
    UpdateEmailValidateNewEmail,
    UpdatePhoneValidateOldPhone,
    UpdatePhoneValidateOldEmail,
    UpdatePhoneValidateNewPhone,
    /// A test code to an address of the account, typed back to check that
    /// the address receives codes (simulator-defined).
    ContactTest,
    /// The characters of the login captcha, sent by email or SMS to the
    /// account instead of shown in a picture, for those who cannot see it
    /// (simulator-defined; they are typed as the captcha).
    LoginCaptcha,
}

impl BizType {
    /// Its name on the wire (`USER_REGISTRATION`, ...).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        input.trim().parse().map_err(|_| ParseError::BizType)
    }
}

/// How a message travels, and which of an account's addresses it goes to:
/// email, or SMS to the phone. One type for every place a channel is named;
/// its names: `email` and `phone` in JSON (a contact's `type` on the wire,
/// the app's choice of where codes go), `email` and `sms` in the outbox and
/// on the QA surface (`as_str`; a form field reads `phone` too), 3 and 1
/// as the protocol's `smsType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    #[serde(rename = "phone")]
    Sms,
}

impl Channel {
    /// The channel that reaches `account`.
    pub fn of(account: &Account) -> Self {
        match account {
            Account::Email(_) => Self::Email,
            Account::Phone(_) => Self::Sms,
        }
    }
    /// Its name in the outbox and on the QA surface.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }

    /// The protocol's `smsType` for a code sent this way.
    pub fn sms_type(self) -> u8 {
        match self {
            Self::Email => 3,
            Self::Sms => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letters_alphabet_has_nothing_to_confuse() {
        let letters = CodeAlphabet::Letters.characters();
        assert_eq!(letters.len(), 32);
        for c in b"ILOU" {
            assert!(!letters.contains(c), "{}", char::from(*c));
        }
        // Every character reads back as itself.
        for c in letters {
            let typed = format!("{0}{0}{0}{0}", char::from(*c));
            assert_eq!(VerifyCode::parse(&typed).unwrap().as_str(), typed);
        }
    }

    #[test]
    fn codes_are_read_forgivingly_and_keep_leading_zeros() {
        let ok = |s: &str| VerifyCode::parse(s).map(|c| c.as_str().to_owned());
        assert_eq!(ok("012345"), Ok("012345".into()));
        assert_eq!(ok(" 01 23-45 "), Ok("012345".into()));
        assert_eq!(ok("O12345"), Ok("012345".into()));
        assert_eq!(ok("oI2345"), Ok("012345".into()));
        assert_eq!(ok("l23456"), Ok("123456".into()));
        // Codes with letters (Crockford's base 32): capitals, O as 0, I and L as 1.
        assert_eq!(ok("7hk-2mo"), Ok("7HK2M0".into()));
        assert_eq!(ok("AbIl 9z"), Ok("AB119Z".into()));
        assert!(
            VerifyCode::parse("12u456").is_err(),
            "U is no character of a code"
        );
        assert!(VerifyCode::parse("12é456").is_err());
        assert!(VerifyCode::parse("12_456").is_err());
        assert!(VerifyCode::parse("123").is_err());
        // On the wire, a code sent as a number lost its leading zeros.
        let sent = VerifyCode::parse_sent("123").unwrap();
        assert_eq!(sent.zero_padded(6).as_str(), "000123");
        assert_eq!(
            VerifyCode::parse("123456").unwrap().zero_padded(6).as_str(),
            "123456"
        );
        assert!(VerifyCode::parse_sent("").is_err());
        assert!(VerifyCode::parse("123456789").is_err());
        assert!(VerifyCode::parse("").is_err());
        assert_eq!(
            format!("{:?}", VerifyCode::parse("123456")),
            "Ok(VerifyCode(***))"
        );
    }

    #[test]
    fn accounts_are_emails_or_phones() {
        assert!(
            matches!(Account::parse(" Ana@Example.COM "), Ok(Account::Email(e)) if e.as_str() == "ana@example.com")
        );
        assert!(
            matches!(Account::parse("138 0013-8000"), Ok(Account::Phone(p)) if p.as_str() == "13800138000")
        );
        for bad in [
            "",
            "ana@",
            "@example.com",
            "ana@example",
            "a b@example.com",
            "12",
            "12345abc",
        ] {
            assert!(Account::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn digests_are_hex_and_fingerprints_are_what_clients_send() {
        assert_eq!(
            PasswordDigest::of_password("password").as_str(),
            "5f4dcc3b5aa765d61d8327deb882cf99"
        );
        assert!(PasswordDigest::parse("5F4DCC3B5AA765D61D8327DEB882CF99").is_ok());
        assert!(PasswordDigest::parse("xyz").is_err());
        let f = FeatureCode::from_bytes([0xab; 16]);
        assert_eq!(f.as_str().len(), 32);
        assert!(f.as_str().bytes().all(|b| b.is_ascii_hexdigit()));
        // What the public clients send: a short constant, an MD5, anything visible.
        for sent in [
            "deadbeef",
            "0a1B2c",
            "x",
            "hassio-terminal_1",
            &"z".repeat(64),
        ] {
            assert_eq!(FeatureCode::parse(sent).unwrap().as_str(), sent);
        }
        assert_eq!(
            FeatureCode::parse("  deadbeef ").unwrap().as_str(),
            "deadbeef"
        );
        for refused in ["", "   ", "has space", "tab\there", "é", &"z".repeat(65)] {
            assert!(FeatureCode::parse(refused).is_err(), "{refused:?}");
        }
    }

    #[test]
    fn biz_types_round_trip() {
        use strum::VariantArray;
        for &b in BizType::VARIANTS {
            assert_eq!(BizType::parse(b.as_str()), Ok(b));
        }
        assert_eq!(BizType::UserRegistration.as_str(), "USER_REGISTRATION");
        assert_eq!(BizType::LoginCaptcha.as_str(), "LOGIN_CAPTCHA");
        assert!(BizType::parse("LOGIN").is_err());
        assert!(AreaId::parse("0").is_err());
        assert_eq!(AreaId::parse("44").map(AreaId::get), Ok(44));
    }
}
