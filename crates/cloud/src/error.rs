//! The cloud's one error type: what a flow answers when it does not succeed,
//! as the protocol says it (a `meta.code` with the extras it lets it carry)
//! and what kind of failure it is. It knows nothing of HTTP: `crate::http`
//! maps each kind to a status, in one place.

use hik_proto::wire::Failure;
use hik_proto::ResultCode;

/// What kind of failure an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The protocol's answer to this request (a wrong code, a taken
    /// address, a field out of range, ...): `meta.code` says which.
    Refused,
    /// A logged-in request without a valid session.
    Unauthorized,
    /// A request that could not be read at all.
    Unparseable,
    /// No such endpoint.
    NotFound,
    /// A fault of the cloud itself, never of the input.
    Internal,
    /// A server or gateway error (500 to 504) injected by QA.
    Injected(u16),
}

#[derive(Debug)]
pub struct ApiError {
    pub kind: Kind,
    pub code: ResultCode,
    pub message: String,
    /// Extras beside `meta` (boxed: most errors carry none).
    pub failure: Box<Failure>,
}

impl ApiError {
    /// A business outcome: `code` in `meta.code` (on HTTP 200).
    pub fn business(code: ResultCode) -> Self {
        Self {
            kind: Kind::Refused,
            code,
            message: code.message().to_owned(),
            failure: Box::default(),
        }
    }
    pub fn with(mut self, f: impl FnOnce(&mut Failure)) -> Self {
        f(&mut self.failure);
        self
    }
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }
    /// A field is missing or malformed.
    pub fn bad_field(field: &str, why: impl std::fmt::Display) -> Self {
        Self::business(ResultCode::BadRequest).with_message(format!("{field}: {why}"))
    }
    /// A logged-in endpoint got no valid `sessionId` (HTTP 401).
    pub fn unauthorized() -> Self {
        Self {
            kind: Kind::Unauthorized,
            code: ResultCode::Other(401),
            message: "The session is missing, expired or revoked. Log in again.".into(),
            failure: Box::default(),
        }
    }
    /// A dead refresh token: 403 in `meta.code`, on HTTP 200. An older
    /// reconstruction said HTTP 403, but the public clients read `meta.code`
    /// after treating any HTTP error as a failure of the transport, so the
    /// real service must answer 200 (docs/protocol.md, "PUT /v3/apigateway/login").
    pub fn refresh_dead() -> Self {
        Self::business(ResultCode::RefreshDead)
    }
    /// The request could not be parsed at all (HTTP 400).
    pub fn unparseable(why: impl std::fmt::Display) -> Self {
        Self {
            kind: Kind::Unparseable,
            code: ResultCode::Other(400),
            message: format!("The request could not be parsed: {why}"),
            failure: Box::default(),
        }
    }
    pub fn not_found() -> Self {
        Self {
            kind: Kind::NotFound,
            code: ResultCode::Other(404),
            message: "No such endpoint.".into(),
            failure: Box::default(),
        }
    }
    /// A fault of the cloud itself (database unavailable); never bad input.
    pub fn internal(why: impl std::fmt::Display) -> Self {
        tracing::error!(error = %why, "internal error");
        Self {
            kind: Kind::Internal,
            code: ResultCode::Other(500),
            message: "The cloud had an internal error.".into(),
            failure: Box::default(),
        }
    }
}

impl From<crate::db::Error> for ApiError {
    fn from(e: crate::db::Error) -> Self {
        Self::internal(e)
    }
}

/// A refusal that keeps what its database job wrote before refusing: a
/// wrong code's count, a failed password's, the audit line that says so. A
/// job answers it as `Ok(Err(Refusal))`, so its transaction commits; an
/// `Err` of the job itself rolls back all it wrote (`crate::db::Db::call`).
#[derive(Debug)]
pub struct Refusal(pub ApiError);

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        r.0
    }
}

/// What a step answers when some of its refusals keep their writes.
pub type Verdict<T> = Result<T, Refusal>;

/// What a database job answers when some of its refusals keep their
/// writes: `Ok(Ok(value))` and `Ok(Err(refusal))` commit, `Err` rolls back.
pub type Answer<T> = Result<Verdict<T>, ApiError>;

/// Inside a job answering `Answer<T>`: the value of an expression of type
/// `Answer<U>`, or an early return of its refusal, kept (its writes
/// commit), or of its error (they roll back).
macro_rules! kept {
    ($e:expr) => {
        match $e? {
            Ok(value) => value,
            Err(refusal) => return Ok(Err(refusal)),
        }
    };
}
pub(crate) use kept;
