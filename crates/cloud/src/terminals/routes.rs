//! Terminals of the logged-in account, and removal during a login that found
//! the account full (1069); the flows are in `crate::terminals::flows`.

use crate::http::extract::Form;
use crate::http::reply::{ok, ApiResult};
use crate::terminals::flows as flow;
use crate::Cloud;
use axum::extract::State;
use hik_proto::request::{PageQuery, SwitchTwoStep, Unbind, UnbindLoggedOut};
use hik_proto::wire::Page;
use std::sync::Arc;

/// `GET /v3/terminals?limit=&offset=`
pub async fn list(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
    Form(q): Form<PageQuery>,
) -> ApiResult {
    let limit = crate::http::extract::count_or(q.limit, 10);
    let offset = crate::http::extract::count_or(q.offset, 0);
    let (total, list) = flow::page(&cloud, who, limit, offset).await?;
    Ok(ok(serde_json::json!({
        "page": Page::new(limit, offset, total),
        "terminals": list,
    })))
}

/// `GET /v3/terminals/status`
pub async fn status(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
) -> ApiResult {
    let status = flow::status(&cloud, who).await?;
    Ok(ok(serde_json::json!({ "terminalStatus": status })))
}

/// `PUT /v3/terminals/status`
pub async fn switch_two_step(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
    Form(r): Form<SwitchTwoStep>,
) -> ApiResult {
    flow::switch_two_step(&cloud, who, r).await?;
    Ok(ok(serde_json::json!({})))
}

/// `POST /v3/terminals/unbind`
pub async fn unbind(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
    Form(r): Form<Unbind>,
) -> ApiResult {
    let removed = flow::unbind(&cloud, who, r).await?;
    Ok(ok(serde_json::json!({ "removed": removed })))
}

/// `POST /v3/terminals/nologin`
pub async fn unbind_logged_out(
    State(cloud): State<Arc<Cloud>>,
    Form(r): Form<UnbindLoggedOut>,
) -> ApiResult {
    let removed = flow::unbind_logged_out(&cloud, r).await?;
    Ok(ok(serde_json::json!({ "removed": removed })))
}
