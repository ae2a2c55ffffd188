//! The terminals of an account: listing, two-step verification, removal
//! (with a code unless the request comes from a bound terminal), and removal
//! during a login that found the account full (1069).

use crate::audit::{Event, Outcome};
use crate::context::Ctx;
use crate::db::Sql;
use crate::error::{kept, Answer, ApiError};
use crate::notices::{self, Notice};
use crate::sessions::Authenticated;
use crate::{codes, terminals, users, Cloud};
use hik_proto::request::{Signs, SwitchTwoStep, Unbind, UnbindLoggedOut};
use hik_proto::wire::{TerminalInfo, TerminalStatus};
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

/// One page of the account's terminals, and how many there are in all
/// (`GET /v3/terminals`).
pub async fn page(
    cloud: &Arc<Cloud>,
    who: Authenticated,
    limit: u32,
    offset: u32,
) -> Result<(u32, Vec<TerminalInfo>), ApiError> {
    cloud
        .db
        .call(move |conn| terminals::list(conn, who.user_id, &who.feature, limit, offset))
        .await
}

/// Whether this terminal is bound and two-step verification is on
/// (`GET /v3/terminals/status`).
pub async fn status(cloud: &Arc<Cloud>, who: Authenticated) -> Result<TerminalStatus, ApiError> {
    cloud
        .db
        .call(move |conn| {
            let user = users::of_session(conn, who.user_id)?;
            let sign = FeatureCode::parse(&who.feature).map_err(|_| ApiError::unauthorized())?;
            Ok(TerminalStatus {
                terminal_binded: u8::from(users::is_bound(conn, user.id, &sign)?),
                terminal_opened: u8::from(user.two_step),
            })
        })
        .await
}

/// Run `f` for the logged-in account once a fresh `biz` code is given, unless
/// the request comes from a bound terminal (which needs none).
async fn confirmed<R: Send + 'static>(
    cloud: &Arc<Cloud>,
    who: Authenticated,
    code: Option<VerifyCode>,
    biz: BizType,
    mut f: impl FnMut(&dyn Sql, &Ctx, &users::User) -> Result<R, ApiError> + Send + 'static,
) -> Result<R, ApiError> {
    let ctx = Ctx::new(cloud.clock.now());
    let c = Arc::clone(cloud);
    let done = cloud.db.call(move |conn| -> Answer<R> {
        let user = users::of_session(conn, who.user_id)?;
        let sign = FeatureCode::parse(&who.feature).map_err(|_| ApiError::unauthorized())?;
        if !users::is_bound(conn, user.id, &sign)? {
            let code = code.as_ref();
            kept!(codes::require_code(conn, &c, &ctx, &user, biz, code));
        }
        f(conn, &ctx, &user).map(Ok)
    });
    Ok(done.await??)
}

/// Two-step verification on (`enable=1`) or off (`PUT /v3/terminals/status`).
pub async fn switch_two_step(
    cloud: &Arc<Cloud>,
    who: Authenticated,
    r: SwitchTwoStep,
) -> Result<(), ApiError> {
    let (enable, code) = (r.enable, r.sms_code);
    let c = Arc::clone(cloud);
    let biz = BizType::TerminalBind;
    confirmed(cloud, who, code, biz, move |conn, ctx, user| {
        let was = user.two_step;
        terminals::set_two_step(conn, user.id, enable)?;
        let outcome = if enable { Outcome::On } else { Outcome::Off };
        let line = Event::TwoStepSwitched.line(Some(user.id), outcome);
        crate::audit::record(conn, ctx, line)?;
        if was && !enable {
            let to = user.addresses();
            let notice = Notice::TwoStepOff;
            notices::post(conn, &c.postman, ctx, &to, notice, user.lang)?;
        }
        Ok(())
    })
    .await
}

/// Remove terminals; their sessions end too (`POST /v3/terminals/unbind`).
/// Returns how many were removed.
pub async fn unbind(cloud: &Arc<Cloud>, who: Authenticated, r: Unbind) -> Result<usize, ApiError> {
    let signs = signs(r.signs);
    let code = r.sms_code;
    let biz = BizType::TerminalDelete;
    confirmed(cloud, who, code, biz, move |conn, ctx, user| {
        terminals::unbind(conn, ctx, user.id, &signs)
    })
    .await
}

/// With the `tempId` of a 1069 reply and a `TERMINAL_DELETE` code, remove
/// terminals; then the login can be repeated (`POST /v3/terminals/nologin`).
pub async fn unbind_logged_out(cloud: &Arc<Cloud>, r: UnbindLoggedOut) -> Result<usize, ApiError> {
    let temp_id = r.temp_id.into_string();
    let signs = signs(r.signs);
    let code = r.sms_code;
    let ctx = Ctx::new(cloud.clock.now());
    let c = Arc::clone(cloud);
    let done = cloud.db.call(move |conn| -> Answer<usize> {
        let owner = terminals::temp_id_owner(conn, &c.keys, ctx.now, &temp_id)?;
        let user_id = owner.ok_or_else(|| {
            ApiError::business(ResultCode::BadRequest)
                .with_message("tempId is unknown or expired: log in again to get a new one.")
        })?;
        users::lock(conn, user_id)?;
        let subject = codes::Subject::User(user_id);
        let biz = BizType::TerminalDelete;
        let given = subject.given(biz, &code);
        kept!(codes::consume(conn, &c, &ctx, given));
        terminals::unbind(conn, &ctx, user_id, &signs).map(Ok)
    });
    Ok(done.await??)
}
