//! The logged-out endpoints over HTTP: each extracts its inputs, calls one
//! flow (`crate::flows`), and maps the outcome to a reply.

use super::reply::{ok, ApiResult};
use super::{Client, Form, Here};
use crate::accounts;
use crate::flows::{self, signup};
use crate::protection;
use crate::sessions;
use crate::Cloud;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Extension;
use hik_proto::request::{CaptchaQuery, Login, Refresh, ResetPassword, SendCodeLoggedOut, SignUp};
use hik_proto::wire::CodeSent;
use hik_proto::Account;
use std::sync::Arc;

/// `POST /v3/sms/nologin/checkcode`. Never reveals whether an address is
/// registered: unknown accounts get the same reply and no message.
pub async fn send_code_logged_out(
    State(cloud): State<Arc<Cloud>>,
    Extension(here): Extension<Here>,
    Form(r): Form<SendCodeLoggedOut>,
) -> ApiResult {
    let sent = signup::send_code(Arc::clone(&cloud), here, r).await?;
    Ok(code_sent(&cloud, sent))
}

/// `POST /v3/users/regist/v2`: the code sent to the address, then the account.
pub async fn sign_up(
    State(cloud): State<Arc<Cloud>>,
    Extension(here): Extension<Here>,
    headers: HeaderMap,
    Form(r): Form<SignUp>,
) -> ApiResult {
    let caller = Client::from_headers(&headers).caller();
    Ok(ok(signup::sign_up(cloud, here, caller, r).await?))
}

/// `POST /v3/users/login/v2` (and v5).
pub async fn login(
    State(cloud): State<Arc<Cloud>>,
    Extension(here): Extension<Here>,
    headers: HeaderMap,
    Form(r): Form<Login>,
) -> ApiResult {
    let caller = Client::from_headers(&headers).caller();
    Ok(ok(flows::login::login(cloud, here, caller, r).await?))
}

/// `PUT /v3/apigateway/login`: rotate the refresh token (403 in `meta.code` when dead).
pub async fn refresh(
    State(cloud): State<Arc<Cloud>>,
    headers: HeaderMap,
    Form(r): Form<Refresh>,
) -> ApiResult {
    let caller = Client::from_headers(&headers).caller();
    Ok(ok(flows::login::refresh(cloud, caller, r).await?))
}

/// `POST /v3/users/password/reset` with a `RETRIEVE_PASSWORD` code.
pub async fn reset_password(
    State(cloud): State<Arc<Cloud>>,
    Form(r): Form<ResetPassword>,
) -> ApiResult {
    signup::reset_password(cloud, r).await?;
    Ok(ok(serde_json::json!({})))
}

/// The reply to a code request: where it went, when another may be asked, how
/// long it lives.
pub(crate) fn code_sent(
    cloud: &Cloud,
    contact: hik_proto::wire::Contact,
) -> axum::response::Response {
    ok(CodeSent {
        contact,
        retry_after: u64::try_from(cloud.rules.send_cooldown_secs).ok(),
        expires_in: u64::try_from(cloud.rules.code_ttl_secs).ok(),
        code_alphabet: cloud.rules.code_alphabet,
    })
}

/// `DELETE /v3/users/logout/v2`: revoke this session and its refresh token.
pub async fn logout(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): super::Who,
) -> ApiResult {
    cloud
        .db
        .call(move |conn| sessions::revoke_family(conn, &who.family))
        .await?;
    Ok(ok(serde_json::json!({})))
}

/// `GET /v3/captcha?account=&featureCode=`: a new captcha picture (PNG) for the
/// account, replacing the previous one. Unknown accounts get a picture too.
pub async fn captcha(
    State(cloud): State<Arc<Cloud>>,
    Form(q): Form<CaptchaQuery>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let account = q.account.and_then(|a| Account::parse(a.as_str()).ok());
    let now = cloud.clock.now();
    let c = Arc::clone(&cloud);
    let answer = match account {
        Some(account) => cloud
            .db
            .call(move |conn| match accounts::find(conn, &account)? {
                Some(user) => protection::new_captcha(conn, &c.keys, c.qa, now, user.id),
                None => Ok(crate::captcha::answer()),
            })
            .await
            .unwrap_or_else(|_| crate::captcha::answer()),
        None => crate::captcha::answer(),
    };
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/png"),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        crate::captcha::render(&answer),
    )
        .into_response()
}
