//! The accounts' routes: sign-up, the code requests, the password reset,
//! and the logged-in account's profile, password, contacts, activity and
//! deletion (the flows are `signup` and `profile`); and the system
//! information.

use super::profile as flow;
use super::signup;
use crate::http::extract::{Client, Form};
use crate::http::reply::{ok, ApiResult};
use crate::regions::Here;
use crate::Cloud;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Extension;
use hik_proto::request::{
    ActivityQuery, ChangeEmail, ChangePassword, ChangePhone, DeleteAccount, ResetPassword,
    SendCodeLoggedIn, SendCodeLoggedOut, SignUp,
};
use hik_proto::wire::CodeSent;
use std::sync::Arc;

/// `GET /v3/users/info`
pub async fn user_info(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
) -> ApiResult {
    let user_info = flow::profile(&cloud, who).await?;
    Ok(ok(serde_json::json!({ "userInfo": user_info })))
}

/// `GET /v3/users/activity?limit=` (simulator-defined)
pub async fn activity(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
    Form(q): Form<ActivityQuery>,
) -> ApiResult {
    let limit = crate::http::extract::count_or(q.limit, 20);
    let activity = flow::activity(&cloud, who, limit).await?;
    Ok(ok(hik_proto::wire::ActivityList { activity }))
}

/// `POST /v3/users/contact/test` (simulator-defined)
pub async fn test_contact(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
    Form(r): Form<hik_proto::request::ContactTest>,
) -> ApiResult {
    flow::test_contact(&cloud, who, r).await?;
    Ok(ok(serde_json::json!({})))
}

/// `POST /v3/users/password/mod`
pub async fn change_password(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
    Form(r): Form<ChangePassword>,
) -> ApiResult {
    flow::change_password(&cloud, who, r).await?;
    Ok(ok(serde_json::json!({})))
}

/// `POST /v3/users/checkcode/mt`
pub async fn send_code(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
    Form(r): Form<SendCodeLoggedIn>,
) -> ApiResult {
    let contact = flow::send_code(&cloud, who, r).await?;
    Ok(code_sent(&cloud, contact))
}

/// `DELETE /v3/users?smsCode=`
pub async fn delete_account(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
    Form(r): Form<DeleteAccount>,
) -> ApiResult {
    flow::delete_account(&cloud, who, r).await?;
    Ok(ok(serde_json::json!({})))
}

/// `PUT /v3/users/email`
pub async fn change_email(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
    Form(r): Form<ChangeEmail>,
) -> ApiResult {
    flow::change_email(&cloud, who, r).await?;
    Ok(ok(serde_json::json!({})))
}

/// `PUT /v3/users/phone`
pub async fn change_phone(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): crate::sessions::Who,
    Form(r): Form<ChangePhone>,
) -> ApiResult {
    flow::change_phone(&cloud, who, r).await?;
    Ok(ok(serde_json::json!({})))
}

/// `GET /v3/configurations/system/info`: where the service's other parts are
/// and the rules this cloud runs by. `sysConf` is the EZVIZ-family string of
/// fields separated by `|`, which clients split: field 15 is the CAS (device
/// command) host and 16 its port. This cloud simulates no CAS or push
/// service; both name this region's own host, so a client that tries them
/// gets a refused connection rather than a stranger's server.
pub async fn system_info(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(here): axum::Extension<crate::regions::Here>,
) -> ApiResult {
    let r = &cloud.rules;
    let domain = &cloud.regions[here.0].api_domain;
    let host = crate::regions::host(domain);
    let mut sys_conf = vec!["0"; 17];
    sys_conf[15] = host;
    sys_conf[16] = "6500";
    Ok(ok(serde_json::json!({
        "systemConfigInfo": {
            "sysConf": sys_conf.join("|"),
            "pushAddr": host,
            "simulator": true,
            "codeLength": r.code_length,
            "codeValiditySeconds": r.code_ttl_secs,
            "codeMaxWrongEntries": r.code_max_wrong,
            "sendCooldownSeconds": r.send_cooldown_secs,
            "sendsPerHour": r.sends_per_hour,
            "captchaAfterFailures": r.captcha_after_failures,
            "lockAfterFailures": r.lock_after_failures,
            "lockSeconds": r.lock_secs,
            "maxTerminals": r.max_terminals,
            "sessionSeconds": r.session_ttl_secs,
            "refreshSeconds": r.refresh_ttl_secs,
            "passwordPolicy": crate::accounts::password_policy::POLICY,
        }
    })))
}

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
