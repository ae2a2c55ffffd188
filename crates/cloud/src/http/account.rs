//! Logged-in account endpoints: profile, password, contacts.

use crate::accounts;
use crate::error::{ok, ApiError, ApiResult};
use crate::outbox;
use crate::Cloud;
use axum::extract::State;
use axum::http::HeaderMap;
use hik_proto::Account;
use std::sync::Arc;

/// `GET /v3/users/info`: the profile, with contacts in full and masked.
pub async fn user_info(State(cloud): State<Arc<Cloud>>, headers: HeaderMap) -> ApiResult {
    let who = super::authenticate(&cloud, &headers).await?;
    let user = cloud
        .db
        .call(move |conn| accounts::find_by_id(conn, who.user_id))
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    let fuzzy = |v: &Option<String>| {
        v.as_deref()
            .and_then(|s| Account::parse(s).ok())
            .map(|a| outbox::masked(&a).fuzzy_contact)
    };
    Ok(ok(serde_json::json!({
        "userInfo": {
            "userId": user.id.to_string(),
            "username": user.user_name,
            "email": user.email,
            "phone": user.phone,
            "fuzzyEmail": fuzzy(&user.email),
            "fuzzyPhone": fuzzy(&user.phone),
            "areaId": user.area_id,
        }
    })))
}
