//! Logged-in account endpoints: profile, password, contacts (the flows are
//! in `crate::flows::account`), and the system information.

use super::reply::{ok, ApiResult};
use super::Form;
use crate::flows::account as flow;
use crate::Cloud;
use axum::extract::State;
use hik_proto::request::{
    ActivityQuery, ChangeEmail, ChangePassword, ChangePhone, DeleteAccount, SendCodeLoggedIn,
};
use std::sync::Arc;

/// `GET /v3/users/info`
pub async fn user_info(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): super::Who,
) -> ApiResult {
    let user_info = flow::profile(&cloud, who).await?;
    Ok(ok(serde_json::json!({ "userInfo": user_info })))
}

/// `GET /v3/users/activity?limit=` (simulator-defined)
pub async fn activity(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): super::Who,
    Form(q): Form<ActivityQuery>,
) -> ApiResult {
    let limit = super::count_or(q.limit, 20);
    let activity = flow::activity(&cloud, who, limit).await?;
    Ok(ok(hik_proto::wire::ActivityList { activity }))
}

/// `POST /v3/users/contact/test` (simulator-defined)
pub async fn test_contact(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): super::Who,
    Form(r): Form<hik_proto::request::ContactTest>,
) -> ApiResult {
    flow::test_contact(&cloud, who, r).await?;
    Ok(ok(serde_json::json!({})))
}

/// `POST /v3/users/password/mod`
pub async fn change_password(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): super::Who,
    Form(r): Form<ChangePassword>,
) -> ApiResult {
    flow::change_password(&cloud, who, r).await?;
    Ok(ok(serde_json::json!({})))
}

/// `POST /v3/users/checkcode/mt`
pub async fn send_code(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): super::Who,
    Form(r): Form<SendCodeLoggedIn>,
) -> ApiResult {
    let contact = flow::send_code(&cloud, who, r).await?;
    Ok(super::auth::code_sent(&cloud, contact))
}

/// `DELETE /v3/users?smsCode=`
pub async fn delete_account(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): super::Who,
    Form(r): Form<DeleteAccount>,
) -> ApiResult {
    flow::delete_account(&cloud, who, r).await?;
    Ok(ok(serde_json::json!({})))
}

/// `PUT /v3/users/email`
pub async fn change_email(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): super::Who,
    Form(r): Form<ChangeEmail>,
) -> ApiResult {
    flow::change_email(&cloud, who, r).await?;
    Ok(ok(serde_json::json!({})))
}

/// `PUT /v3/users/phone`
pub async fn change_phone(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): super::Who,
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
    axum::Extension(here): axum::Extension<super::Here>,
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
            "passwordPolicy": crate::password_policy::POLICY,
        }
    })))
}
