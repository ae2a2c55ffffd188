//! The cloud's one error type at the HTTP boundary: a `meta.code` with the extras
//! the protocol lets it carry, or an HTTP status where the protocol asks for one.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hik_proto::wire::{Failure, Meta, Reply};
use hik_proto::ResultCode;
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ResultCode,
    pub message: String,
    /// Extras beside `meta` (boxed: most errors carry none).
    pub failure: Box<Failure>,
}

impl ApiError {
    /// A business outcome: HTTP 200 with `code` in `meta.code`.
    pub fn business(code: ResultCode) -> Self {
        Self {
            status: StatusCode::OK,
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
    /// HTTP 401: a logged-in endpoint got no valid `sessionId`.
    pub fn unauthorized() -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            code: ResultCode::Other(401),
            message: "The session is missing, expired or revoked. Log in again.".into(),
            failure: Box::default(),
        }
    }
    /// A dead refresh token: 403 in `meta.code`, on HTTP 200. PROTOCOL.md
    /// says HTTP 403, but the public clients read `meta.code` after treating
    /// any HTTP error as a failure of the transport, so the real service must
    /// answer 200 (the README lists this difference).
    pub fn refresh_dead() -> Self {
        Self::business(ResultCode::RefreshDead)
    }
    /// HTTP 400: the request could not be parsed at all.
    pub fn unparseable(why: impl std::fmt::Display) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: ResultCode::Other(400),
            message: format!("The request could not be parsed: {why}"),
            failure: Box::default(),
        }
    }
    pub fn not_found() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            code: ResultCode::Other(404),
            message: "No such endpoint.".into(),
            failure: Box::default(),
        }
    }
    /// A fault of the cloud itself (database unavailable); never bad input.
    pub fn internal(why: impl std::fmt::Display) -> Self {
        tracing::error!(error = %why, "internal error");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
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

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = self.failure.retry_after;
        let body = Reply {
            meta: Meta {
                code: self.code,
                message: self.message,
                more_info: None,
            },
            body: *self.failure,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

/// A 200 reply with `body`'s fields beside `meta`.
pub fn ok<T: Serialize>(body: T) -> Response {
    Json(Reply {
        meta: Meta {
            code: ResultCode::Success,
            message: ResultCode::Success.message().to_owned(),
            more_info: None,
        },
        body,
    })
    .into_response()
}

pub type ApiResult = Result<Response, ApiError>;
