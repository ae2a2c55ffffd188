//! What a handler reads from a request: its fields (query, form or JSON),
//! the headers a client sends about itself, and its session. Below the
//! router and every room's routes, which use it; it uses none of them.

use crate::error::ApiError;
use axum::extract::FromRequest;
use axum::http::{HeaderMap, Method, Request};
use hik_proto::request::{FieldError, Fields, Problem, Request as Inputs};
use hik_proto::{FeatureCode, ParseError};
use std::collections::HashMap;

/// An endpoint's typed inputs (see `hik_proto::request`), read from the query
/// string and, for POST and PUT, a form or JSON body. A field that cannot be
/// read is refused with 2005 naming it (2003 for an account that is neither
/// an email nor a phone); a body that cannot be parsed at all gets HTTP 400.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: Inputs> FromRequest<S> for Form<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request<axum::body::Body>, state: &S) -> Result<Self, ApiError> {
        let fields = fields(req, state).await?;
        T::read(&fields).map(Form).map_err(ApiError::from)
    }
}

/// The query, then the form or JSON body (its values as text), merged.
/// JSON is read when the content type says so or the body is an object.
async fn fields<S: Send + Sync>(
    req: Request<axum::body::Body>,
    state: &S,
) -> Result<Fields, ApiError> {
    let mut map: HashMap<String, String> = match req.uri().query() {
        Some(q) => serde_urlencoded::from_str(q).map_err(ApiError::unparseable)?,
        None => HashMap::new(),
    };
    if matches!(*req.method(), Method::GET | Method::DELETE | Method::HEAD) {
        return Ok(Fields::new(map));
    }
    let is_json = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let body = axum::body::Bytes::from_request(req, state)
        .await
        .map_err(ApiError::unparseable)?;
    if body.is_empty() {
        return Ok(Fields::new(map));
    }
    // A JSON object sent without its content type (`curl -d '{...}'` says
    // it is a form) is read as what it is: no form starts with a brace.
    let looks_json = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if is_json || looks_json {
        let obj: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&body).map_err(ApiError::unparseable)?;
        for (k, v) in obj {
            let s = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => continue,
                other => other.to_string(),
            };
            map.insert(k, s);
        }
    } else {
        let form: HashMap<String, String> =
            serde_urlencoded::from_bytes(&body).map_err(ApiError::unparseable)?;
        map.extend(form);
    }
    Ok(Fields::new(map))
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        let not_an_account = matches!(
            e.problem,
            Problem::Invalid(ParseError::Account | ParseError::Email | ParseError::Phone)
        ) && matches!(e.field, "account" | "from");
        if not_an_account {
            ApiError::business(hik_proto::ResultCode::InvalidAccount).with_message(e.to_string())
        } else {
            ApiError::bad_field(e.field, e.problem)
        }
    }
}

/// Who is calling, as the flows see it: the terminal's fingerprint (when
/// a header names it) and its client type.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub feature: Option<FeatureCode>,
    pub client_type: u32,
}

impl Caller {
    /// `featureCode` from the form (already read), else from the header.
    pub fn feature_code(&self, sent: Option<FeatureCode>) -> Result<FeatureCode, ApiError> {
        sent.or_else(|| self.feature.clone())
            .ok_or_else(|| ApiError::bad_field("featureCode", "is required"))
    }
}

/// The headers every client sends about itself.
pub(crate) struct Client {
    pub feature: Option<FeatureCode>,
    pub client_type: u32,
    pub session: Option<String>,
}

impl Client {
    pub fn from_headers(h: &HeaderMap) -> Self {
        let get = |name: &str| h.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
        Self {
            feature: get("featureCode").and_then(|f| FeatureCode::parse(f).ok()),
            client_type: get("clientType").and_then(|c| c.parse().ok()).unwrap_or(55),
            session: get("sessionId")
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        }
    }

    /// Who is calling, as the flows see it.
    pub fn caller(&self) -> Caller {
        Caller {
            feature: self.feature.clone(),
            client_type: self.client_type,
        }
    }
}

/// A bounded count, `default` when absent.
pub(crate) fn count_or<const MIN: i64, const MAX: i64>(
    n: Option<hik_proto::request::Bounded<MIN, MAX>>,
    default: u32,
) -> u32 {
    n.map_or(default, hik_proto::request::Bounded::count)
}
