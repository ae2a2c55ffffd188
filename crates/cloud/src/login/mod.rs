//! Logging in (with the lock gate, the password, the region, two-step
//! verification, room for the terminal, the code and the session) and
//! renewing a session with its refresh token.

pub(crate) mod routes;

use crate::audit::{Event, Line, Outcome};
use crate::codes::{self, Subject};
use crate::context::Ctx;
use crate::db::Sql;
use crate::delivery::outbox;
use crate::error::{kept, Answer, ApiError, Refusal};
use crate::http::extract::Caller;
use crate::notices::{self, Notice};
use crate::protection;
use crate::regions::{find_area, login_area, require_region, Here};
use crate::sessions::{self, Issued, NewSession};
use crate::terminals;
use crate::users::{self, Terminal, User};
use crate::Cloud;
use base64::Engine;
use hik_proto::request::{Login, Refresh, Text};
use hik_proto::wire::{
    LoggedIn, LoginArea, LoginSession, Refreshed, SessionInfo, TerminalData, TerminalStatus,
};
use hik_proto::{Account, AreaId, BizType, FeatureCode, ResultCode, VerifyCode};
use std::sync::Arc;

/// `POST /v3/users/login/v2` (and v5). Each step that may refuse is a
/// transaction of its own, so what a refusal keeps (its audit line, a
/// wrong password's count, a used-up captcha) is kept before the next step.
pub async fn login(
    cloud: Arc<Cloud>,
    here: Here,
    client: Caller,
    r: Login,
) -> Result<LoggedIn, ApiError> {
    let feature = client.feature_code(r.feature_code.clone())?;
    // The audit trail names the terminal the login is for, whether its
    // fingerprint came in the form or a header.
    let mut ctx = Ctx::new(cloud.clock.now());
    ctx.origin = ctx.origin.with_sign(feature.as_str());
    let attempt = Attempt {
        feature,
        name: terminal_name(r.cu_name.as_ref()),
        client_type: client.client_type,
        code: r.sms_code,
    };
    let user = find_account(&cloud, &ctx, r.account, &attempt.name).await?;
    let image_code = r.image_code.map(Text::into_string);
    pass_gate(&cloud, &ctx, user.id, image_code, &attempt.name).await?;
    check_password(&cloud, &ctx, &user, r.password.as_str(), &attempt.name).await?;
    // The account lives in another region: say where (after the password, so
    // the redirect tells nothing to someone without it).
    let home_area = find_area(&cloud, AreaId::new(user.area_id));
    if let Some(area) = &home_area {
        require_region(&cloud, here, area)?;
    }
    let c = Arc::clone(&cloud);
    let (issued, user, binded) = cloud
        .db
        .call(move |conn| admit(conn, &c, &ctx, &user, &attempt))
        .await??;
    let login_area = match &home_area {
        Some(area) => login_area(&cloud, area),
        None => LoginArea {
            api_domain: cloud.regions[here.0].api_domain.clone(),
            web_domain: cloud.regions[here.0].api_domain.clone(),
            area_name: cloud.regions[here.0].name.clone(),
            area_id: user.area_id,
        },
    };
    Ok(LoggedIn {
        login_session: LoginSession {
            session_id: issued.session_id,
            rf_session_id: issued.refresh,
        },
        login_user: user.login_user(),
        login_area,
        login_terminal_status: TerminalStatus {
            terminal_binded: u8::from(binded),
            terminal_opened: u8::from(user.two_step),
        },
    })
}

/// A terminal logging in: its fingerprint, its name, its client type, and
/// the code it gives, if any.
struct Attempt {
    feature: FeatureCode,
    name: String,
    client_type: u32,
    code: Option<VerifyCode>,
}

/// The terminal's name as the client sent it (`cuName`, base64), without
/// control characters and at most 64 characters long.
fn terminal_name(sent: Option<&Text>) -> String {
    sent.and_then(|n| {
        base64::engine::general_purpose::STANDARD
            .decode(n.as_str())
            .ok()
    })
    .and_then(|b| String::from_utf8(b).ok())
    .map(|n| {
        n.chars()
            .filter(|c| !c.is_control())
            .take(64)
            .collect::<String>()
    })
    .filter(|n| !n.trim().is_empty())
    .unwrap_or_else(|| "Unnamed terminal".to_owned())
}

/// A sign-in's audit line.
fn sign_in(user: Option<i64>, terminal: &str, outcome: Outcome) -> Line<'_> {
    Event::SignIn.line(user, outcome).terminal(terminal)
}

/// The account logging in, or 1013 (written in the audit trail).
async fn find_account(
    cloud: &Arc<Cloud>,
    ctx: &Ctx,
    account: Account,
    name: &str,
) -> Result<User, ApiError> {
    let (ctx, name) = (ctx.clone(), name.to_owned());
    cloud
        .db
        .call(move |conn| {
            let user = users::find(conn, &account)?;
            if user.is_none() {
                let line = sign_in(None, &name, Outcome::Refused).detail("no such account");
                crate::audit::record(conn, &ctx, line)?;
            }
            Ok::<_, ApiError>(user)
        })
        .await?
        .ok_or_else(|| ApiError::business(ResultCode::AccountMissing))
}

/// Locked, or a captcha due: refuse before the password is even looked at.
async fn pass_gate(
    cloud: &Arc<Cloud>,
    ctx: &Ctx,
    user_id: i64,
    image_code: Option<String>,
    name: &str,
) -> Result<(), ApiError> {
    let (c, ctx, name) = (Arc::clone(cloud), ctx.clone(), name.to_owned());
    let gate = move |conn: &dyn Sql| -> Answer<()> {
        let (keys, rules, answer) = (&c.keys, &c.rules, image_code.as_deref());
        let refusal = match protection::gate(conn, keys, rules, ctx.now, user_id, answer)? {
            Ok(()) => return Ok(Ok(())),
            Err(refusal) => refusal,
        };
        let why = if refusal.0.failure.retry_after.is_some() {
            "account locked"
        } else {
            "captcha missing or wrong"
        };
        let line = sign_in(Some(user_id), &name, Outcome::Refused).detail(why);
        crate::audit::record(conn, &ctx, line)?;
        Ok(Err(refusal))
    };
    Ok(cloud.db.call(gate).await??)
}

/// The password, checked off the database's threads; a wrong one is counted
/// (and may bring the captcha or the lock).
async fn check_password(
    cloud: &Arc<Cloud>,
    ctx: &Ctx,
    user: &User,
    digest: &str,
    name: &str,
) -> Result<(), ApiError> {
    if cloud.hasher.verify(digest, &user.password_hash).await? {
        return Ok(());
    }
    let (c, ctx, name, user_id) = (Arc::clone(cloud), ctx.clone(), name.to_owned(), user.id);
    let refusal = cloud
        .db
        .call(move |conn| {
            let line = sign_in(Some(user_id), &name, Outcome::Refused).detail("wrong password");
            crate::audit::record(conn, &ctx, line)?;
            protection::failed(conn, &c.rules, &ctx, user_id)
        })
        .await?;
    Err(refusal.into())
}

/// After the password: room for a new terminal (1069) and its code (6002)
/// when two-step verification asks for them, the code checked and spent,
/// the terminal bound, the session issued. The terminal limit and the code
/// hold against logins racing on other instances: one at a time per
/// account from here.
fn admit(
    conn: &dyn Sql,
    c: &Cloud,
    ctx: &Ctx,
    user: &User,
    t: &Attempt,
) -> Answer<(Issued, User, bool)> {
    users::lock(conn, user.id)?;
    let bound = users::is_bound(conn, user.id, &t.feature)?;
    if user.two_step && !bound {
        kept!(hold_new_terminal(conn, c, ctx, user, t));
    }
    // A code that is presented is checked, bound terminal or not: one code
    // opens one session, however many logins race with it.
    if let Some(code) = &t.code {
        let subject = Subject::User(user.id);
        let biz = BizType::TerminalBind;
        let given = subject.given(biz, code);
        if let Err(refusal) = codes::consume(conn, c, ctx, given)? {
            let line = sign_in(Some(user.id), &t.name, Outcome::Refused);
            crate::audit::record(conn, ctx, line.detail("verification code refused"))?;
            return Ok(Err(refusal));
        }
    }
    protection::succeeded(conn, user.id)?;
    let lang = users::remember_language(conn, ctx, user)?;
    // With two-step verification off, new terminals are not bound: they
    // neither count against the limit nor become trusted.
    let binds = bound || user.two_step;
    if binds {
        let terminal = Terminal {
            sign: &t.feature,
            name: &t.name,
            client_type: t.client_type,
            ip: "",
        };
        if users::bind(conn, ctx, user.id, terminal)? {
            let to = user.addresses();
            let notice = Notice::TerminalBound(&t.name);
            notices::post(conn, &c.postman, ctx, &to, notice, lang)?;
        }
    }
    let s = NewSession {
        user_id: user.id,
        caller: sessions::Caller {
            feature: &t.feature,
            client_type: t.client_type,
            client_name: &t.name,
        },
    };
    let issued = sessions::issue(conn, &c.keys, &c.rules, ctx.now, &s, None)?;
    let how = t.code.is_some().then_some("with a verification code");
    let line = sign_in(Some(user.id), &t.name, Outcome::Ok);
    crate::audit::record(
        conn,
        ctx,
        Line {
            detail: how,
            ..line
        },
    )?;
    Ok(Ok((issued, user.clone(), binds)))
}

/// A new terminal of an account with two-step verification: 1069 while the
/// account has as many terminals as it may (with a temporary id to remove
/// one with), 6002 while no code is given. Each is kept with its audit line.
fn hold_new_terminal(conn: &dyn Sql, c: &Cloud, ctx: &Ctx, user: &User, t: &Attempt) -> Answer<()> {
    let held = |why| sign_in(Some(user.id), &t.name, Outcome::Held).detail(why);
    let contacts = || outbox::choice(&user.addresses());
    if terminals::count(conn, user.id)? >= c.rules.max_terminals {
        let ttl = c.rules.code_ttl_secs;
        let temp_id = terminals::new_temp_id(conn, &c.keys, ctx.now, ttl, user.id)?;
        let limit = c.rules.max_terminals;
        let (_, list) = terminals::list(conn, user.id, t.feature.as_str(), limit, 0)?;
        let data = TerminalData {
            temp_id,
            limits: limit,
            terminals: list,
        };
        let why = "the account has as many terminals as it may";
        crate::audit::record(conn, ctx, held(why))?;
        let refusal = ApiError::business(ResultCode::TooManyTerminals).with(|f| {
            f.terminal_data = Some(data);
            f.contacts = contacts();
        });
        return Ok(Err(Refusal(refusal)));
    }
    if t.code.is_none() {
        crate::audit::record(conn, ctx, held("a new terminal: a code is needed"))?;
        let contact = user.contact().map(|a| outbox::masked(&a));
        let refusal = ApiError::business(ResultCode::NewTerminal).with(|f| {
            f.contact = contact;
            f.contacts = contacts();
        });
        return Ok(Err(Refusal(refusal)));
    }
    Ok(Ok(()))
}

/// `PUT /v3/apigateway/login`: rotate the refresh token (403 in `meta.code` when dead).
pub async fn refresh(cloud: Arc<Cloud>, client: Caller, r: Refresh) -> Result<Refreshed, ApiError> {
    let token = r
        .refresh_session_id
        .ok_or_else(ApiError::refresh_dead)?
        .into_string();
    let feature = client
        .feature_code(r.feature_code)
        .map_err(|_| ApiError::refresh_dead())?;
    let ctx = Ctx::new(cloud.clock.now());
    let c = Arc::clone(&cloud);
    let issued = cloud
        .db
        .call(move |conn| {
            let caller = sessions::Caller {
                feature: &feature,
                client_type: client.client_type,
                client_name: "",
            };
            sessions::refresh(conn, &c.keys, &c.rules, &ctx, &token, &caller)
        })
        .await??;
    Ok(Refreshed {
        session_info: SessionInfo {
            session_id: issued.session_id,
            refresh_session_id: issued.refresh,
        },
    })
}
