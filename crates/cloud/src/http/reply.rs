//! Replies: a flow's outcome as the protocol's JSON, and the one mapping from
//! the kinds of error to HTTP statuses.

use crate::error::{ApiError, Kind};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hik_proto::wire::{Meta, Reply};
use hik_proto::ResultCode;
use serde::Serialize;

/// The HTTP status each kind of error is answered with. A refusal is the
/// protocol's business, in `meta.code`, on HTTP 200.
pub fn status(kind: Kind) -> StatusCode {
    match kind {
        Kind::Refused => StatusCode::OK,
        Kind::Unauthorized => StatusCode::UNAUTHORIZED,
        Kind::Unparseable => StatusCode::BAD_REQUEST,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Kind::Injected(code) => {
            StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        }
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
        let mut response = (status(self.kind), Json(body)).into_response();
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
