//! Terminals of the logged-in account, and removal during a login that found
//! the account full (1069).

use super::Form;
use crate::error::{ok, ApiError, ApiResult};
use crate::{accounts, terminals, verification, Cloud};
use axum::extract::State;
use hik_proto::request::{PageQuery, Signs, SwitchTwoStep, Unbind, UnbindLoggedOut};
use hik_proto::wire::{Page, TerminalStatus};
use hik_proto::{BizType, FeatureCode, ResultCode, VerifyCode};
use std::sync::Arc;

/// `signs` as the featureCodes they name.
fn signs(signs: Signs) -> Vec<String> {
    signs
        .into_vec()
        .iter()
        .map(FeatureCode::as_str)
        .map(str::to_owned)
        .collect()
}

/// `GET /v3/terminals?limit=&offset=`
pub async fn list(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): super::Who,
    Form(q): Form<PageQuery>,
) -> ApiResult {
    let limit = super::count_or(q.limit, 10);
    let offset = super::count_or(q.offset, 0);
    let (total, list) = cloud
        .db
        .call(move |conn| terminals::list(conn, who.user_id, &who.feature, limit, offset))
        .await?;
    Ok(ok(serde_json::json!({
        "page": Page::new(limit, offset, total),
        "terminals": list,
    })))
}

/// `GET /v3/terminals/status`: whether this terminal is bound and two-step
/// verification is on.
pub async fn status(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): super::Who,
) -> ApiResult {
    let status = cloud
        .db
        .call(move |conn| {
            let user = accounts::of_session(conn, who.user_id)?;
            let sign = FeatureCode::parse(&who.feature).map_err(|_| ApiError::unauthorized())?;
            Ok(TerminalStatus {
                terminal_binded: u8::from(accounts::is_bound(conn, user.id, &sign)?),
                terminal_opened: u8::from(user.two_step),
            })
        })
        .await?;
    Ok(ok(serde_json::json!({ "terminalStatus": status })))
}

/// Run `f` for the logged-in account once a fresh `biz` code is given, unless
/// the request comes from a bound terminal (which needs none).
async fn confirmed<R: Send + 'static>(
    cloud: &Arc<Cloud>,
    who: crate::sessions::Authenticated,
    code: Option<VerifyCode>,
    biz: BizType,
    mut f: impl FnMut(&dyn crate::db::Sql, &accounts::User) -> Result<R, ApiError> + Send + 'static,
) -> Result<R, ApiError> {
    let now = cloud.clock.now();
    let c = Arc::clone(cloud);
    cloud
        .db
        .call(move |conn| {
            let user = accounts::of_session(conn, who.user_id)?;
            let sign = FeatureCode::parse(&who.feature).map_err(|_| ApiError::unauthorized())?;
            if !accounts::is_bound(conn, user.id, &sign)? {
                verification::require_code(
                    conn,
                    &c.keys,
                    &c.rules,
                    now,
                    &user,
                    biz,
                    code.as_ref(),
                )?;
            }
            let tx = conn.savepoint()?;
            let r = f(&tx, &user)?;
            tx.commit()?;
            Ok(r)
        })
        .await
}

/// `PUT /v3/terminals/status`: two-step verification on (`enable=1`) or off.
pub async fn switch_two_step(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): super::Who,
    Form(r): Form<SwitchTwoStep>,
) -> ApiResult {
    let (enable, code) = (r.enable, r.sms_code);
    let now = cloud.clock.now();
    confirmed(
        &cloud,
        who,
        code,
        BizType::TerminalBind,
        move |conn, user| {
            terminals::set_two_step(conn, user.id, enable)?;
            let outcome = if enable { "on" } else { "off" };
            let event = crate::audit::Event::TwoStepSwitched;
            crate::audit::record(conn, now, Some(user.id), None, event, outcome, None)
        },
    )
    .await?;
    Ok(ok(serde_json::json!({})))
}

/// `POST /v3/terminals/unbind`: remove terminals (their sessions end too).
pub async fn unbind(
    State(cloud): State<Arc<Cloud>>,
    axum::Extension(who): super::Who,
    Form(r): Form<Unbind>,
) -> ApiResult {
    let signs = signs(r.signs);
    let code = r.sms_code;
    let now = cloud.clock.now();
    let removed = confirmed(
        &cloud,
        who,
        code,
        BizType::TerminalDelete,
        move |conn, user| terminals::unbind(conn, now, user.id, &signs),
    )
    .await?;
    Ok(ok(serde_json::json!({ "removed": removed })))
}

/// `POST /v3/terminals/nologin`: with the `tempId` of a 1069 reply and a
/// `TERMINAL_DELETE` code, remove terminals; then the login can be repeated.
pub async fn unbind_logged_out(
    State(cloud): State<Arc<Cloud>>,
    Form(r): Form<UnbindLoggedOut>,
) -> ApiResult {
    let temp_id = r.temp_id.into_string();
    let signs = signs(r.signs);
    let code = r.sms_code;
    let now = cloud.clock.now();
    let c = Arc::clone(&cloud);
    let removed = cloud
        .db
        .call(move |conn| {
            let user_id =
                terminals::temp_id_owner(conn, &c.keys, now, &temp_id)?.ok_or_else(|| {
                    ApiError::business(ResultCode::BadRequest).with_message(
                        "tempId is unknown or expired: log in again to get a new one.",
                    )
                })?;
            accounts::lock(conn, user_id)?;
            let subject = verification::Subject::User(user_id);
            verification::consume(
                conn,
                &c.keys,
                &c.rules,
                now,
                &subject,
                BizType::TerminalDelete,
                &code,
            )?;
            let tx = conn.savepoint()?;
            let removed = terminals::unbind(&tx, now, user_id, &signs)?;
            tx.commit()?;
            Ok(removed)
        })
        .await?;
    Ok(ok(serde_json::json!({ "removed": removed })))
}
