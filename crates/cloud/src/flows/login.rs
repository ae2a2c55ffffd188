//! Logging in (with the lock gate, the password, the region, two-step
//! verification, room for the terminal, the code and the session) and
//! renewing a session with its refresh token.

use super::Caller;
use crate::accounts::{self, Terminal};
use crate::db::Sql;
use crate::error::ApiError;
use crate::notices::{self, Notice};
use crate::outbox;
use crate::protection;
use crate::regions::{find_area, login_area, require_region, Here};
use crate::sessions::{self, NewSession};
use crate::terminals;
use crate::verification::{self, Subject};
use crate::Cloud;
use base64::Engine;
use hik_proto::request::{Login, Refresh, Text};
use hik_proto::wire::{
    LoggedIn, LoginArea, LoginSession, Refreshed, SessionInfo, TerminalData, TerminalStatus,
};
use hik_proto::{AreaId, BizType, ResultCode};
use std::sync::Arc;

/// `POST /v3/users/login/v2` (and v5). The audit trail names the terminal
/// the login is for, whether its fingerprint came in the form or a header.
pub async fn login(
    cloud: Arc<Cloud>,
    here: Here,
    client: Caller,
    r: Login,
) -> Result<LoggedIn, ApiError> {
    let feature = client.feature_code(r.feature_code.clone())?;
    let origin = crate::audit::Origin::of_task().unwrap_or_default();
    let origin = origin.with_sign(feature.as_str());
    origin.scope(log_in(cloud, here, client, r)).await
}

async fn log_in(
    cloud: Arc<Cloud>,
    here: Here,
    client: Caller,
    r: Login,
) -> Result<LoggedIn, ApiError> {
    let (account, digest, code) = (r.account, r.password, r.sms_code);
    let feature = client.feature_code(r.feature_code)?;
    let terminal_name = r
        .cu_name
        .and_then(|n| {
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
        .unwrap_or_else(|| "Unnamed terminal".to_owned());

    let now = cloud.clock.now();
    let lookup = account.clone();
    let name = terminal_name.clone();
    let user = cloud
        .db
        .call(move |conn| {
            let user = accounts::find(conn, &lookup)?;
            if user.is_none() {
                sign_in(conn, now, None, &name, "refused", Some("no such account"))?;
            }
            Ok(user)
        })
        .await?
        .ok_or_else(|| ApiError::business(ResultCode::AccountMissing))?;

    // Locked, or a captcha due: refuse before the password is even looked at.
    let (c, user_id) = (Arc::clone(&cloud), user.id);
    let image_code = r.image_code.map(Text::into_string);
    let name = terminal_name.clone();
    cloud
        .db
        .call(move |conn| {
            let gate =
                protection::gate(conn, &c.keys, &c.rules, now, user_id, image_code.as_deref());
            if let Err(refusal) = &gate {
                let why = if refusal.failure.retry_after.is_some() {
                    "account locked"
                } else {
                    "captcha missing or wrong"
                };
                sign_in(conn, now, Some(user_id), &name, "refused", Some(why))?;
            }
            gate
        })
        .await?;
    if !cloud
        .hasher
        .verify(digest.as_str(), &user.password_hash)
        .await?
    {
        let c = Arc::clone(&cloud);
        let name = terminal_name.clone();
        let refusal = cloud
            .db
            .call(move |conn| {
                sign_in(
                    conn,
                    now,
                    Some(user_id),
                    &name,
                    "refused",
                    Some("wrong password"),
                )?;
                protection::failed(conn, &c.rules, now, user_id)
            })
            .await?;
        return Err(refusal);
    }

    let c = Arc::clone(&cloud);
    // The account lives in another region: say where (after the password, so
    // the redirect tells nothing to someone without it).
    let home_area = find_area(&cloud, AreaId::new(user.area_id));
    if let Some(area) = &home_area {
        require_region(&cloud, here, area)?;
    }
    let (issued, user, binded) = cloud
        .db
        .call(move |conn| {
            // The terminal limit and the code hold against logins racing on
            // other instances: one at a time per account from here.
            accounts::lock(conn, user.id)?;
            let bound = accounts::is_bound(conn, user.id, &feature)?;
            if user.two_step && !bound {
                // A new terminal: first room for it (1069), then its code (6002).
                if terminals::count(conn, user.id)? >= c.rules.max_terminals {
                    let temp_id =
                        terminals::new_temp_id(conn, &c.keys, now, c.rules.code_ttl_secs, user.id)?;
                    let limit = c.rules.max_terminals;
                    let (_, list) = terminals::list(conn, user.id, feature.as_str(), limit, 0)?;
                    let data = TerminalData {
                        temp_id,
                        limits: limit,
                        terminals: list,
                    };
                    let why = Some("the account has as many terminals as it may");
                    sign_in(conn, now, Some(user.id), &terminal_name, "held", why)?;
                    let contacts = outbox::choice(&user.addresses());
                    return Err(ApiError::business(ResultCode::TooManyTerminals).with(|f| {
                        f.terminal_data = Some(data);
                        f.contacts = contacts;
                    }));
                }
                if code.is_none() {
                    let why = Some("a new terminal: a code is needed");
                    sign_in(conn, now, Some(user.id), &terminal_name, "held", why)?;
                    let contact = user.contact().map(|a| outbox::masked(&a));
                    let contacts = outbox::choice(&user.addresses());
                    return Err(ApiError::business(ResultCode::NewTerminal).with(|f| {
                        f.contact = contact;
                        f.contacts = contacts;
                    }));
                }
            }
            // A code that is presented is checked, bound terminal or not: one
            // code opens one session, however many logins race with it.
            if let Some(code) = &code {
                let subject = Subject::User(user.id);
                let bind = BizType::TerminalBind;
                if let Err(e) =
                    verification::consume(conn, &c.keys, &c.rules, now, &subject, bind, code)
                {
                    let why = Some("verification code refused");
                    sign_in(conn, now, Some(user.id), &terminal_name, "refused", why)?;
                    return Err(e);
                }
            }
            let tx = conn.savepoint()?;
            protection::succeeded(&tx, user.id)?;
            let lang = accounts::remember_language(&tx, &user)?;
            // With two-step verification off, new terminals are not bound:
            // they neither count against the limit nor become trusted.
            let binds = bound || user.two_step;
            if binds {
                let t = Terminal {
                    sign: &feature,
                    name: &terminal_name,
                    client_type: client.client_type,
                    ip: "",
                };
                if accounts::bind(&tx, user.id, now, t)? {
                    let to = user.addresses();
                    let notice = Notice::TerminalBound(&terminal_name);
                    notices::post(&tx, &c.postman, now, &to, notice, lang)?;
                }
            }
            let s = NewSession {
                user_id: user.id,
                feature: &feature,
                client_type: client.client_type,
                client_name: &terminal_name,
            };
            let issued = sessions::issue(&tx, &c.keys, &c.rules, now, &s, None)?;
            let how = code.is_some().then_some("with a verification code");
            sign_in(&tx, now, Some(user.id), &terminal_name, "ok", how)?;
            tx.commit()?;
            Ok((issued, user.clone(), binds))
        })
        .await?;
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

/// A sign-in's audit line.
fn sign_in(
    conn: &dyn Sql,
    now: i64,
    user_id: Option<i64>,
    terminal: &str,
    outcome: &str,
    detail: Option<&str>,
) -> Result<(), ApiError> {
    let event = crate::audit::Event::SignIn;
    crate::audit::record(conn, now, user_id, Some(terminal), event, outcome, detail)
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
    let now = cloud.clock.now();
    let c = Arc::clone(&cloud);
    let issued = cloud
        .db
        .call(move |conn| {
            let tx = conn.savepoint()?;
            let caller = sessions::Caller {
                feature: &feature,
                client_type: client.client_type,
                client_name: "",
            };
            let result = sessions::refresh(&tx, &c.keys, &c.rules, now, &token, &caller);
            // Commit even on refusal: a reused token's family revocation must stick.
            tx.commit()?;
            result
        })
        .await?;
    Ok(Refreshed {
        session_info: SessionInfo {
            session_id: issued.session_id,
            refresh_session_id: issued.refresh,
        },
    })
}
