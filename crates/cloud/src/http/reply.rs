//! Replies: a flow's outcome as the protocol's JSON, and the one mapping from
//! the kinds of error to HTTP statuses.

use crate::error::{ApiError, Kind};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use hik_proto::lang::Lang;
use hik_proto::wire::{Meta, Reason, Reply};
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

/// The language of this request's `meta.message`.
fn meta_lang() -> Lang {
    crate::context::Origin::of_task()
        .map(|o| o.meta)
        .unwrap_or_default()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = self.failure.retry_after;
        let message = match meta_lang() {
            Lang::En => self.message,
            Lang::Zh => chinese(self.code, self.failure.reason).to_owned(),
        };
        let body = Reply {
            meta: Meta {
                code: self.code,
                message,
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
            message: ResultCode::Success.message_in(meta_lang()).to_owned(),
            more_info: None,
        },
        body,
    })
    .into_response()
}

pub type ApiResult = Result<Response, ApiError>;

/// `meta.message` in Chinese, by the code and its reason, as the real service
/// writes it whatever the client's language.
fn chinese(code: ResultCode, reason: Option<Reason>) -> &'static str {
    match reason {
        Some(Reason::Used) => "验证码已被使用，请重新获取",
        Some(Reason::Replaced) => "已发送新的验证码，请使用最新的验证码",
        Some(Reason::Expired) => "验证码已过期，请重新获取",
        Some(Reason::Burned) => "验证码错误次数过多，已失效，请重新获取",
        Some(Reason::CaptchaMissing) => "请输入图形验证码",
        Some(Reason::CaptchaWrong) => "图形验证码错误",
        Some(Reason::Locked) => "密码错误次数过多，账户已被锁定",
        Some(Reason::NoCode) | None => code.message_in(Lang::Zh),
    }
}
