//! Logged-out flows: codes, sign-up, login, sessions.

use super::{find_area, require_region, Client, Form, Here};
use crate::accounts::{self, NewUser, Terminal};
use crate::error::{ok, ApiError, ApiResult};
use crate::outbox::{self, Channel, NewMessage};
use crate::password_policy;
use crate::protection;
use crate::sessions::{self, NewSession};
use crate::terminals;
use crate::verification::{self, Subject};
use crate::Cloud;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Extension;
use base64::Engine;
use hik_proto::request::{
    CaptchaQuery, Login, Refresh, ResetPassword, SendCodeLoggedOut, SignUp, Text,
};
use hik_proto::wire::{
    CodeSent, LoggedIn, LoginArea, LoginSession, Refreshed, Registered, SessionInfo, TerminalData,
    TerminalStatus,
};
use hik_proto::{Account, AreaId, BizType, ResultCode};
use std::sync::Arc;

/// `POST /v3/sms/nologin/checkcode`. Never reveals whether an address is
/// registered: unknown accounts get the same reply and no message.
pub async fn send_code_logged_out(
    State(cloud): State<Arc<Cloud>>,
    Extension(here): Extension<Here>,
    Form(r): Form<SendCodeLoggedOut>,
) -> ApiResult {
    let from = r.from;
    let biz = r.biz_type;
    let contact = outbox::masked(&from);
    let now = cloud.clock.now();
    let c = Arc::clone(&cloud);
    let sent = match biz {
        BizType::UserRegistration => {
            let area = r
                .area_id
                .ok_or_else(|| ApiError::bad_field("areaId", "is required for a sign-up"))?;
            let area = find_area(&cloud, area)
                .ok_or_else(|| ApiError::bad_field("areaId", "unknown region"))?;
            require_region(&cloud, here, &area)?;
            cloud
                .db
                .call(move |conn| {
                    let tx = conn.savepoint()?;
                    let subject = Subject::Address(from.as_str().to_owned());
                    if accounts::find(&tx, &from)?.is_some() {
                        // Same throttle and same reply: only the owner learns.
                        verification::record_send(&tx, &c.rules, now, &subject, biz)?;
                        let channel = Channel::of(&from);
                        let (subject_line, body) = outbox::already_registered_notice(channel);
                        let notice = NewMessage {
                            channel,
                            to: from.as_str(),
                            biz,
                            code: None,
                            subject: subject_line,
                            body,
                        };
                        c.postman.post(&tx, now, notice)?;
                    } else {
                        verification::send(&tx, &c, now, &subject, biz, &from)?;
                    }
                    tx.commit()?;
                    Ok(contact)
                })
                .await?
        }
        BizType::TerminalBind | BizType::TerminalDelete | BizType::RetrievePassword => {
            cloud
                .db
                .call(move |conn| {
                    let tx = conn.savepoint()?;
                    let Some(user) = accounts::find(&tx, &from)? else {
                        return Ok(contact);
                    };
                    let to = user.contact().unwrap_or(from);
                    verification::send(&tx, &c, now, &Subject::User(user.id), biz, &to)?;
                    tx.commit()?;
                    Ok(outbox::masked(&to))
                })
                .await?
        }
        _ => return Err(ApiError::bad_field("bizType", "needs a logged-in session")),
    };
    Ok(code_sent(&cloud, sent))
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
    })
}

/// `POST /v3/users/regist/v2`: the code sent to the address, then the account.
/// The terminal that signs up is bound to the new account.
pub async fn sign_up(
    State(cloud): State<Arc<Cloud>>,
    Extension(here): Extension<Here>,
    headers: HeaderMap,
    Form(r): Form<SignUp>,
) -> ApiResult {
    let client = Client::from_headers(&headers);
    let (account, digest, area, code) = (r.account, r.password, r.area_id, r.sms_code);
    let known =
        find_area(&cloud, area).ok_or_else(|| ApiError::bad_field("areaId", "unknown region"))?;
    require_region(&cloud, here, &known)?;
    let phone_code = match account {
        Account::Phone(_) => Some(
            r.phone_code
                .ok_or_else(|| ApiError::bad_field("phoneCode", "is required for a phone"))?
                .as_str()
                .trim_start_matches('+')
                .to_owned(),
        ),
        Account::Email(_) => None,
    };
    let user_name = r
        .user_name
        .map_or_else(|| account.as_str().to_owned(), Text::into_string);
    let feature = client.feature.clone();
    password_policy::check(&digest)?;
    // Hash before taking the lock: Argon2 is the slow part.
    let password_hash = cloud.hasher.hash(digest.as_str()).await?;
    let now = cloud.clock.now();
    let c = Arc::clone(&cloud);
    let user = cloud
        .db
        .call(move |conn| {
            let subject = Subject::Address(account.as_str().to_owned());
            verification::consume(
                conn,
                &c.keys,
                &c.rules,
                now,
                &subject,
                BizType::UserRegistration,
                &code,
            )?;
            let tx = conn.savepoint()?;
            let new = NewUser {
                account: &account,
                phone_code: phone_code.as_deref(),
                area,
                user_name: &user_name,
                password_hash: &password_hash,
            };
            let user = accounts::create(&tx, now, new)?;
            crate::devices::provision(&tx, user.id, crate::devices::DEFAULT_COUNT)?;
            if let Some(sign) = &feature {
                let t = Terminal {
                    sign,
                    name: "Sign-up terminal",
                    client_type: client.client_type,
                    ip: "",
                };
                accounts::bind(&tx, user.id, now, t)?;
            }
            tx.commit()?;
            Ok(user)
        })
        .await?;
    tracing::info!(user_id = user.id, "account created");
    Ok(ok(Registered {
        login_user: user.login_user(),
    }))
}

/// `POST /v3/users/login/v2` (and v5).
pub async fn login(
    State(cloud): State<Arc<Cloud>>,
    Extension(here): Extension<Here>,
    headers: HeaderMap,
    Form(r): Form<Login>,
) -> ApiResult {
    let client = Client::from_headers(&headers);
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
                    return Err(ApiError::business(ResultCode::TooManyTerminals)
                        .with(|f| f.terminal_data = Some(data)));
                }
                if code.is_none() {
                    let why = Some("a new terminal: a code is needed");
                    sign_in(conn, now, Some(user.id), &terminal_name, "held", why)?;
                    let contact = user.contact().map(|a| outbox::masked(&a));
                    return Err(
                        ApiError::business(ResultCode::NewTerminal).with(|f| f.contact = contact)
                    );
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
                accounts::bind(&tx, user.id, now, t)?;
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
            Ok((issued, user, binds))
        })
        .await?;
    let login_area = match &home_area {
        Some(area) => super::login_area(&cloud, area),
        None => LoginArea {
            api_domain: cloud.regions[here.0].api_domain.clone(),
            web_domain: cloud.regions[here.0].api_domain.clone(),
            area_name: cloud.regions[here.0].name.clone(),
            area_id: user.area_id,
        },
    };
    Ok(ok(LoggedIn {
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
    }))
}

/// A sign-in's audit line.
fn sign_in(
    conn: &rusqlite::Connection,
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
pub async fn refresh(
    State(cloud): State<Arc<Cloud>>,
    headers: HeaderMap,
    Form(r): Form<Refresh>,
) -> ApiResult {
    let client = Client::from_headers(&headers);
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
    Ok(ok(Refreshed {
        session_info: SessionInfo {
            session_id: issued.session_id,
            refresh_session_id: issued.refresh,
        },
    }))
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

/// `POST /v3/users/password/reset`: a `RETRIEVE_PASSWORD` code, then the new
/// password. Clears wrong-password count, lock and captcha, and ends every
/// session of the account. Unknown accounts fail like a dead code.
pub async fn reset_password(
    State(cloud): State<Arc<Cloud>>,
    Form(r): Form<ResetPassword>,
) -> ApiResult {
    let (account, digest, code) = (r.account, r.password, r.sms_code);
    password_policy::check(&digest)?;
    // Hashed whether or not the account exists: the reply time tells nothing.
    let password_hash = cloud.hasher.hash(digest.as_str()).await?;
    let now = cloud.clock.now();
    let c = Arc::clone(&cloud);
    cloud
        .db
        .call(move |conn| {
            let Some(user) = accounts::find(conn, &account)? else {
                return Err(ApiError::business(ResultCode::CodeDead));
            };
            let subject = Subject::User(user.id);
            verification::consume(
                conn,
                &c.keys,
                &c.rules,
                now,
                &subject,
                BizType::RetrievePassword,
                &code,
            )?;
            let tx = conn.savepoint()?;
            let (failed, locked_until) = protection::state(&tx, user.id)?;
            accounts::set_password(&tx, user.id, &password_hash)?;
            protection::clear(&tx, user.id)?;
            sessions::revoke_user(&tx, user.id, None)?;
            use crate::audit::{record, Event};
            record(
                &tx,
                now,
                Some(user.id),
                None,
                Event::PasswordReset,
                "ok",
                None,
            )?;
            if locked_until > now || failed > 0 {
                let was = if locked_until > now {
                    "lock lifted"
                } else {
                    "wrong-password count cleared"
                };
                record(
                    &tx,
                    now,
                    Some(user.id),
                    None,
                    Event::AccountUnlocked,
                    "ok",
                    Some(was),
                )?;
            }
            tx.commit()?;
            Ok(())
        })
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
