//! The engine's one error type. It crosses to the UI as `{code, message, ...}`:
//! `code` is the cloud's `meta.code` as a string ("1011") or a stable word for
//! failures on this side ("unreachable", "invalid_input", ...), so the UI never
//! matches on messages.

use hik_proto::wire::{Contact, Failure, Reason};
use hik_proto::{ParseError, ResultCode};
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
    Unreachable {
        url: String,
        why: String,
        transport: Transport,
    },
    /// The cloud answered over HTTPS with a certificate this app refuses.
    #[error(
        "The cloud at {url} presented a certificate this app does not trust: {why}. \
         If the cloud uses a CA of its own, start the app with --cloud-ca (or HIK_CLOUD_CA) \
         naming that CA's certificate."
    )]
    Certificate {
        url: String,
        why: String,
        transport: Transport,
    },
    /// The cloud (or a gateway in front of it) answered with a server error.
    #[error("The cloud at {url} could not answer this request (HTTP {status}). Nothing you typed is lost; try again.")]
    CloudFailed { url: String, status: u16 },
    /// Refused before the cloud saw it: `field` tells the UI which input to
    /// point at and `rule` which rule it broke; `why` says it for the log.
    #[error("{why}")]
    InvalidInput {
        field: &'static str,
        rule: Rule,
        /// The bounds of a length or number rule.
        bounds: Option<(u64, u64)>,
        why: String,
    },
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
    /// The app could not start: at which stage, the file or folder it
    /// concerns, and why (for the log).
    #[error("The app could not start: {why}.")]
    NotStarted {
        stage: StartStage,
        path: Option<String>,
        why: String,
    },
}

/// Where start-up failed, for the UI's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum StartStage {
    /// The data folder could not be made or used.
    DataFolder,
    /// The local database could not be opened.
    Database,
    /// The cloud inside the app did not start.
    EmbeddedCloud,
    /// The CA certificate given with --cloud-ca cannot be used.
    CloudCa,
    /// The system's random numbers were not available.
    Random,
}

impl ClientError {
    /// Start-up failed at `stage`, over `path` when it concerns a file.
    pub fn not_started(
        stage: StartStage,
        path: Option<&std::path::Path>,
        why: impl std::fmt::Display,
    ) -> Self {
        Self::NotStarted {
            stage,
            path: path.map(|p| p.display().to_string()),
            why: why.to_string(),
        }
    }
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
            Self::NotStarted { .. } => ErrorCode::NotStarted,
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

    /// Input that breaks `rule`; `why` is for the log.
    pub fn invalid(field: &'static str, rule: Rule, why: impl std::fmt::Display) -> Self {
        Self::InvalidInput {
            field,
            rule,
            bounds: None,
            why: sentence(&why.to_string()),
        }
    }

    /// Input that did not parse as the protocol's type.
    pub fn unparsed(field: &'static str, e: ParseError) -> Self {
        let (rule, bounds) = match &e {
            ParseError::Email => (Rule::Email, None),
            ParseError::Phone => (Rule::Phone, None),
            ParseError::Account => (Rule::Account, None),
            ParseError::Code { min, max } => (Rule::Code, Some((*min as u64, *max as u64))),
            ParseError::AreaId => (Rule::Region, None),
            ParseError::Text { max } => (Rule::TooLong, Some((0, *max as u64))),
            _ => (Rule::Malformed, None),
        };
        Self::InvalidInput {
            field,
            rule,
            bounds,
            why: sentence(&e.to_string()),
        }
    }
}

/// Which rule a field broke, for the UI's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum Rule {
    /// Not an email address.
    Email,
    /// Not a phone number (5 to 15 digits).
    Phone,
    /// Neither an email address nor a phone number.
    Account,
    /// Not a code of the allowed length (`bounds`).
    Code,
    /// A new password that breaks the password rules.
    Password,
    /// Left empty.
    Missing,
    /// A region the cloud does not offer.
    Region,
    /// A device that is not on the account.
    NoSuchDevice,
    /// No terminal chosen to remove.
    NoneChosen,
    /// The list shown has changed since (open it again).
    Stale,
    /// A number out of its range (`bounds`).
    OutOfRange,
    /// Longer than `bounds.1` characters.
    TooLong,
    /// Not of the field's form (QA inputs).
    Malformed,
}

/// How the connection to the cloud failed, for the UI's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum Transport {
    /// Nothing listens there, or the address does not resolve.
    Refused,
    /// No answer in time.
    TimedOut,
    /// The connection broke otherwise.
    Broken,
    /// The certificate is signed by an authority this app does not trust.
    UnknownIssuer,
    /// The certificate has expired, or is not valid yet.
    Expired,
    /// The certificate was issued for another name.
    WrongName,
    /// The certificate was refused for another reason (revoked, malformed).
    BadCertificate,
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
    /// A sentence for the log, in English; the UI words each code itself.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// With `invalid_input`: the rule broken.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rule: Option<Rule>,
    /// With `invalid_input` of a length or range: the bounds.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub min: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max: Option<u64>,
    /// With `unreachable` and `certificate`: how the connection failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub transport: Option<Transport>,
    /// With 1012 and 1015: which cause (the cloud's `reason`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<Reason>,
    /// With `cloud_other`: the cloud's `meta.code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cloud_code: Option<i64>,
    /// With `not_started`: where start-up failed, and the file or folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stage: Option<StartStage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub path: Option<String>,
    /// With `cloud_error`: the HTTP status the cloud (or its gateway) sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub http_status: Option<u16>,
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
        let mut wire = Self {
            code: e.error_code(),
            message: e.to_string(),
            field: None,
            rule: None,
            min: None,
            max: None,
            transport: None,
            reason: failure.and_then(|f| f.reason),
            cloud_code: None,
            stage: None,
            path: None,
            http_status: None,
            remaining_attempts: failure.and_then(|f| f.remaining_attempts),
            retry_after: failure.and_then(|f| f.retry_after),
            contact: failure.and_then(|f| f.contact.clone()),
            policy: failure.and_then(|f| f.policy.clone()),
            need_captcha: failure.and_then(|f| f.need_captcha),
            lock_seconds: failure.and_then(|f| f.lock_seconds),
        };
        // What each kind of failure says beside its code.
        match e {
            ClientError::InvalidInput {
                field,
                rule,
                bounds,
                ..
            } => {
                wire.field = Some((*field).to_owned());
                wire.rule = Some(*rule);
                wire.min = bounds.map(|b| b.0);
                wire.max = bounds.map(|b| b.1);
            }
            ClientError::Unreachable { transport, .. }
            | ClientError::Certificate { transport, .. } => wire.transport = Some(*transport),
            ClientError::Cloud {
                code: ResultCode::Other(n),
                ..
            } => wire.cloud_code = Some(i64::from(*n)),
            ClientError::NotStarted { stage, path, .. } => {
                wire.stage = Some(*stage);
                wire.path = path.clone();
            }
            ClientError::CloudFailed { status, .. } => wire.http_status = Some(*status),
            _ => {}
        }
        wire
    }
}

impl Serialize for ClientError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WireError::from(self).serialize(s)
    }
}
