//! The login routes: log in, renew a session with its refresh token, log
//! out. Each extracts its inputs, calls one flow, and maps the outcome to a
//! reply.

use crate::http::extract::{Client, Form};
use crate::http::reply::{ok, ApiResult};
use crate::regions::Here;
use crate::sessions::{self, Who};
use crate::Cloud;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Extension;
use hik_proto::request::{Login, Refresh};
use std::sync::Arc;

/// `POST /v3/users/login/v2` (and v5).
pub async fn login(
    State(cloud): State<Arc<Cloud>>,
    Extension(here): Extension<Here>,
    headers: HeaderMap,
    Form(r): Form<Login>,
) -> ApiResult {
    let caller = Client::from_headers(&headers).caller();
    Ok(ok(super::login(cloud, here, caller, r).await?))
}

/// `PUT /v3/apigateway/login`: rotate the refresh token (403 in `meta.code` when dead).
pub async fn refresh(
    State(cloud): State<Arc<Cloud>>,
    headers: HeaderMap,
    Form(r): Form<Refresh>,
) -> ApiResult {
    let caller = Client::from_headers(&headers).caller();
    Ok(ok(super::refresh(cloud, caller, r).await?))
}

/// `DELETE /v3/users/logout/v2`: revoke this session and its refresh token.
pub async fn logout(State(cloud): State<Arc<Cloud>>, Extension(who): Who) -> ApiResult {
    cloud
        .db
        .call(move |conn| sessions::revoke_family(conn, &who.family))
        .await?;
    Ok(ok(serde_json::json!({})))
}
