//! The engine's one error type. It crosses to the UI as `{code, message, ...}`:
//! `code` is the cloud's `meta.code` as a string ("1011") or a stable word for
//! failures on this side ("unreachable", "invalid_input", ...), so the UI never
//! matches on messages.

use hik_proto::wire::{Contact, Failure};
use hik_proto::ResultCode;
use serde::{Serialize, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The cloud answered with a business outcome other than 200.
    #[error("{message}")]
    Cloud {
        code: ResultCode,
        message: String,
        /// Extras beside `meta` (boxed: most errors carry none).
        failure: Box<Failure>,
    },
    #[error("The cloud at {url} cannot be reached: {why}.")]
    Unreachable { url: String, why: String },
    /// The cloud answered over HTTPS with a certificate this app refuses.
    #[error(
        "The cloud at {url} presented a certificate this app does not trust: {why}. \
         If the cloud uses a CA of its own, start the app with --cloud-ca (or HIK_CLOUD_CA) \
         naming that CA's certificate."
    )]
    Certificate { url: String, why: String },
    /// The cloud (or a gateway in front of it) answered with a server error.
    #[error("The cloud at {url} could not answer this request (HTTP {status}). Nothing you typed is lost; try again.")]
    CloudFailed { url: String, status: String },
    /// Refused before the cloud saw it; `why` is a sentence for people and
    /// `field` tells the UI which input to point at.
    #[error("{why}")]
    InvalidInput { field: &'static str, why: String },
    /// HTTP 401: the session id is no longer good. The engine refreshes the
    /// session and tries once more; people only see `SessionEnded`.
    #[error("The session has expired.")]
    Unauthorized,
    /// HTTP 403, or a session that could not be renewed: log in again.
    #[error("Your session has ended. Log in again.")]
    SessionEnded,
    #[error("You are not logged in.")]
    NotLoggedIn,
    #[error("{0}")]
    NoPendingLogin(&'static str),
    #[error("The cloud sent a reply this app does not understand: {0}")]
    Protocol(String),
    #[error("The local database failed: {0}")]
    Storage(String),
    /// The app could not start (its data folder, database or embedded cloud).
    #[error("The app could not start: {0}.")]
    NotStarted(String),
}

/// What went wrong, as the UI switches on it: each of the cloud's result
/// codes by its number, each failure on this side by a word. It crosses to
/// TypeScript as a union of these strings (`ErrorCode` in bindings.ts), so
/// a misspelt code does not compile there, and a `switch` can be exhaustive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub enum ErrorCode {
    #[serde(rename = "1011")]
    WrongCode,
    #[serde(rename = "1012")]
    CodeDead,
    #[serde(rename = "1013")]
    AccountMissing,
    #[serde(rename = "1014")]
    WrongPassword,
    /// The captcha is due, or the account is locked.
    #[serde(rename = "1015")]
    AccountProtected,
    #[serde(rename = "1041")]
    TooOften,
    #[serde(rename = "1043")]
    LastTry,
    #[serde(rename = "1069")]
    TooManyTerminals,
    #[serde(rename = "1100")]
    WrongRegion,
    #[serde(rename = "2001")]
    AccountExists,
    #[serde(rename = "2002")]
    WeakPassword,
    #[serde(rename = "2003")]
    InvalidAccount,
    #[serde(rename = "2004")]
    AddressTaken,
    #[serde(rename = "2005")]
    BadRequest,
    #[serde(rename = "6002")]
    NewTerminal,
    /// From a terminal the account does not trust: a code first.
    #[serde(rename = "80000")]
    SensitiveOperation,
    /// A result code this app does not know (its message says what).
    #[serde(rename = "cloud_other")]
    CloudOther,
    #[serde(rename = "unreachable")]
    Unreachable,
    #[serde(rename = "certificate")]
    Certificate,
    #[serde(rename = "cloud_error")]
    CloudError,
    #[serde(rename = "invalid_input")]
    InvalidInput,
    #[serde(rename = "unauthorized")]
    Unauthorized,
    #[serde(rename = "session_ended")]
    SessionEnded,
    #[serde(rename = "not_logged_in")]
    NotLoggedIn,
    #[serde(rename = "no_pending_login")]
    NoPendingLogin,
    #[serde(rename = "protocol")]
    Protocol,
    #[serde(rename = "storage")]
    Storage,
    #[serde(rename = "not_started")]
    NotStarted,
    /// The window's own failure (never sent by Rust).
    #[serde(rename = "internal")]
    Internal,
}

impl ErrorCode {
    fn of(code: ResultCode) -> Self {
        use ResultCode as R;
        match code {
            R::WrongCode => Self::WrongCode,
            R::CodeDead => Self::CodeDead,
            R::AccountMissing => Self::AccountMissing,
            R::WrongPassword => Self::WrongPassword,
            R::AccountProtected => Self::AccountProtected,
            R::TooOften => Self::TooOften,
            R::LastTry => Self::LastTry,
            R::TooManyTerminals => Self::TooManyTerminals,
            R::WrongRegion => Self::WrongRegion,
            R::AccountExists => Self::AccountExists,
            R::WeakPassword => Self::WeakPassword,
            R::InvalidAccount => Self::InvalidAccount,
            R::AddressTaken => Self::AddressTaken,
            R::BadRequest => Self::BadRequest,
            R::NewTerminal => Self::NewTerminal,
            R::SensitiveOperation => Self::SensitiveOperation,
            R::RefreshDead => Self::SessionEnded,
            R::Success | R::Other(_) => Self::CloudOther,
        }
    }

    /// As it crosses to the UI: "1011", "unreachable", ...
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

impl ClientError {
    /// What went wrong, as the UI switches on it.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Self::Cloud { code, .. } => ErrorCode::of(*code),
            Self::Unreachable { .. } => ErrorCode::Unreachable,
            Self::Certificate { .. } => ErrorCode::Certificate,
            Self::CloudFailed { .. } => ErrorCode::CloudError,
            Self::InvalidInput { .. } => ErrorCode::InvalidInput,
            Self::Unauthorized => ErrorCode::Unauthorized,
            Self::SessionEnded => ErrorCode::SessionEnded,
            Self::NotLoggedIn => ErrorCode::NotLoggedIn,
            Self::NoPendingLogin(_) => ErrorCode::NoPendingLogin,
            Self::Protocol(_) => ErrorCode::Protocol,
            Self::Storage(_) => ErrorCode::Storage,
            Self::NotStarted(_) => ErrorCode::NotStarted,
        }
    }

    /// The same, as a string ("1011", "unreachable", ...).
    pub fn code(&self) -> String {
        self.error_code().as_str()
    }

    pub fn result_code(&self) -> Option<ResultCode> {
        match self {
            Self::Cloud { code, .. } => Some(*code),
            _ => None,
        }
    }

    pub fn failure(&self) -> Option<&Failure> {
        match self {
            Self::Cloud { failure, .. } => Some(failure),
            _ => None,
        }
    }

    pub fn invalid(field: &'static str, why: impl std::fmt::Display) -> Self {
        Self::InvalidInput {
            field,
            why: sentence(&why.to_string()),
        }
    }
}

/// "a verification code is 4 to 8 digits" -> "A verification code is 4 to 8 digits."
fn sentence(s: &str) -> String {
    let mut chars = s.trim().chars();
    let mut out: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

impl From<rusqlite::Error> for ClientError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Storage(e.to_string())
    }
}

/// How an error crosses to the UI: `{code, message}` plus whatever the cloud
/// said alongside (`remainingAttempts`, `retryAfter`, `contact`, `policy`,
/// `needCaptcha`) and the field at fault for local checks.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "AppError")]
pub struct WireError {
    /// The cloud's `meta.code` ("1011") or a word for this side ("unreachable").
    pub code: ErrorCode,
    /// A sentence for people.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub remaining_attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub retry_after: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub contact: Option<Contact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub need_captcha: Option<bool>,
    /// With a captcha: how long the lock would last (seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub lock_seconds: Option<u64>,
}

impl From<&ClientError> for WireError {
    fn from(e: &ClientError) -> Self {
        let failure = e.failure();
        Self {
            code: e.error_code(),
            message: e.to_string(),
            field: match e {
                ClientError::InvalidInput { field, .. } => Some((*field).to_owned()),
                _ => None,
            },
            remaining_attempts: failure.and_then(|f| f.remaining_attempts),
            retry_after: failure.and_then(|f| f.retry_after),
            contact: failure.and_then(|f| f.contact.clone()),
            policy: failure.and_then(|f| f.policy.clone()),
            need_captcha: failure.and_then(|f| f.need_captcha),
            lock_seconds: failure.and_then(|f| f.lock_seconds),
        }
    }
}

impl Serialize for ClientError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WireError::from(self).serialize(s)
    }
}
