//! Logged-in account endpoints: profile, password, contacts.

use super::Params;
use crate::accounts;
use crate::error::{ok, ApiError, ApiResult};
use crate::outbox;
use crate::Cloud;
use crate::{password_policy, sessions};
use axum::extract::State;
use axum::http::HeaderMap;
use hik_proto::{Account, PasswordDigest, ResultCode};
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

/// `POST /v3/users/password/mod`: the old password, then the new one. Other
/// sessions of the account end; this one stays.
pub async fn change_password(
    State(cloud): State<Arc<Cloud>>,
    headers: HeaderMap,
    p: Params,
) -> ApiResult {
    let who = super::authenticate(&cloud, &headers).await?;
    let old = p.parsed("oldPassword", PasswordDigest::parse)?;
    let new = p.parsed("newPassword", PasswordDigest::parse)?;
    password_policy::check(&new)?;
    let user_id = who.user_id;
    let user = cloud
        .db
        .call(move |conn| accounts::find_by_id(conn, user_id))
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    if !cloud
        .hasher
        .verify(old.as_str(), &user.password_hash)
        .await?
    {
        return Err(ApiError::business(ResultCode::WrongPassword));
    }
    let password_hash = cloud.hasher.hash(new.as_str()).await?;
    cloud
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            accounts::set_password(&tx, user_id, &password_hash)?;
            sessions::revoke_user(&tx, user_id, Some(&who.family))?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(ok(serde_json::json!({})))
}
