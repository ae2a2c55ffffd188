//! The captcha picture's route.

use crate::http::extract::Form;
use crate::users;
use crate::Cloud;
use axum::extract::State;
use hik_proto::request::CaptchaQuery;
use hik_proto::Account;
use std::sync::Arc;

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
            .call(move |conn| match users::find(conn, &account)? {
                Some(user) => super::new_captcha(conn, &c.keys, c.qa, now, user.id),
                None => Ok(super::captcha::answer()),
            })
            .await
            .unwrap_or_else(|_| super::captcha::answer()),
        None => super::captcha::answer(),
    };
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/png"),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        super::captcha::render(&answer),
    )
        .into_response()
}
