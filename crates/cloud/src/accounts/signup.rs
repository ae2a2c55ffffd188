//! Before an account is open: codes sent while logged out, signing up, and
//! resetting a forgotten password.

use crate::accounts::password_policy;
use crate::audit::{record, Event, Outcome};
use crate::codes::{self, Subject};
use crate::context::Ctx;
use crate::delivery::outbox::{self, Channel, NewMessage};
use crate::error::{kept, Answer, ApiError, Refusal};
use crate::http::extract::Caller;
use crate::notices::{self, Notice};
use crate::protection;
use crate::regions::{find_area, require_region, Here};
use crate::sessions;
use crate::users::{self, NewUser, Terminal};
use crate::Cloud;
use hik_proto::request::{ResetPassword, SendCodeLoggedOut, SignUp, Text};
use hik_proto::wire::{Contact, Registered};
use hik_proto::{Account, BizType, ResultCode};
use std::sync::Arc;

/// `POST /v3/sms/nologin/checkcode`. Never reveals whether an address is
/// registered: unknown accounts get the same reply and no message.
pub async fn send_code(
    cloud: Arc<Cloud>,
    here: Here,
    r: SendCodeLoggedOut,
) -> Result<Contact, ApiError> {
    let from = r.from;
    let biz = r.biz_type;
    // Where the account wants it (after a 6002 that offered the choice).
    let sms_type = r.sms_type;
    let contact = outbox::masked(&from);
    let ctx = Ctx::new(cloud.clock.now());
    let now = ctx.now;
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
                    let subject = Subject::Address(from.as_str().to_owned());
                    if let Some(owner) = users::find(conn, &from)? {
                        // Same throttle and same reply: only the owner learns.
                        codes::record_send(conn, &c.rules, now, &subject, biz)?;
                        let channel = Channel::of(&from);
                        // In the owner's language, not the asker's.
                        let (subject_line, body) =
                            outbox::already_registered_notice(channel, owner.lang);
                        let notice = NewMessage {
                            channel,
                            to: from.as_str(),
                            biz: biz.as_str(),
                            code: None,
                            subject: subject_line,
                            body,
                        };
                        c.postman.post(conn, now, notice)?;
                    } else {
                        let to = &from;
                        codes::send(
                            conn,
                            &c,
                            &ctx,
                            codes::Issue {
                                subject: &subject,
                                biz,
                                to,
                            },
                        )?;
                    }
                    Ok::<_, ApiError>(contact.clone())
                })
                .await?
        }
        BizType::TerminalBind
        | BizType::TerminalDelete
        | BizType::RetrievePassword
        | BizType::LoginCaptcha => {
            cloud
                .db
                .call(move |conn| {
                    let Some(user) = users::find(conn, &from)? else {
                        return Ok(contact.clone());
                    };
                    let to = user.address_for(sms_type).unwrap_or_else(|| from.clone());
                    if biz == BizType::LoginCaptcha {
                        crate::protection::send_captcha(conn, &c, &ctx, user.id, &to)?;
                    } else {
                        let subject = &Subject::User(user.id);
                        codes::send(
                            conn,
                            &c,
                            &ctx,
                            codes::Issue {
                                subject,
                                biz,
                                to: &to,
                            },
                        )?;
                    }
                    Ok::<_, ApiError>(outbox::masked(&to))
                })
                .await?
        }
        _ => return Err(ApiError::bad_field("bizType", "needs a logged-in session")),
    };
    Ok(sent)
}

/// `POST /v3/users/regist/v2`: the code sent to the address, then the account.
/// The terminal that signs up is bound to the new account.
pub async fn sign_up(
    cloud: Arc<Cloud>,
    here: Here,
    client: Caller,
    r: SignUp,
) -> Result<Registered, ApiError> {
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
    let ctx = Ctx::new(cloud.clock.now());
    let c = Arc::clone(&cloud);
    let user = cloud.db.call(move |conn| -> Answer<_> {
        let subject = Subject::Address(account.as_str().to_owned());
        let biz = BizType::UserRegistration;
        kept!(codes::consume(conn, &c, &ctx, subject.given(biz, &code)));
        let new = NewUser {
            account: &account,
            phone_code: phone_code.as_deref(),
            area,
            user_name: &user_name,
            password_hash: &password_hash,
        };
        let user = users::create(conn, &ctx, new)?;
        crate::devices::provision(conn, user.id, crate::devices::DEFAULT_COUNT)?;
        if let Some(sign) = &feature {
            let t = Terminal {
                sign,
                name: "Sign-up terminal",
                client_type: client.client_type,
                ip: "",
            };
            // The terminal that signs up: no notice, the account is new.
            users::bind(conn, &ctx, user.id, t)?;
        }
        Ok(Ok(user))
    });
    let user = user.await??;
    tracing::info!(user_id = user.id, "account created");
    Ok(Registered {
        login_user: user.login_user(),
    })
}

/// `POST /v3/users/password/reset`: a `RETRIEVE_PASSWORD` code, then the new
/// password. Clears wrong-password count, lock and captcha, and ends every
/// session of the account. Unknown accounts fail like a dead code.
pub async fn reset_password(cloud: Arc<Cloud>, r: ResetPassword) -> Result<(), ApiError> {
    let (account, digest, code) = (r.account, r.password, r.sms_code);
    password_policy::check(&digest)?;
    // Hashed whether or not the account exists: the reply time tells nothing.
    let password_hash = cloud.hasher.hash(digest.as_str()).await?;
    let ctx = Ctx::new(cloud.clock.now());
    let c = Arc::clone(&cloud);
    let done = cloud.db.call(move |conn| -> Answer<()> {
        let Some(user) = users::find(conn, &account)? else {
            let dead = ApiError::business(ResultCode::CodeDead)
                .with(|f| f.reason = Some(hik_proto::wire::Reason::NoCode));
            return Ok(Err(Refusal(dead)));
        };
        users::lock(conn, user.id)?;
        let subject = Subject::User(user.id);
        let biz = BizType::RetrievePassword;
        kept!(codes::consume(conn, &c, &ctx, subject.given(biz, &code)));
        let (failed, locked_until) = protection::state(conn, user.id)?;
        users::set_password(conn, user.id, &password_hash)?;
        protection::clear(conn, user.id)?;
        sessions::revoke_user(conn, user.id, None)?;
        record(
            conn,
            &ctx,
            Event::PasswordReset.line(Some(user.id), Outcome::Ok),
        )?;
        let to = user.addresses();
        let notice = Notice::PasswordReset;
        notices::post(conn, &c.postman, &ctx, &to, notice, user.lang)?;
        if locked_until > ctx.now || failed > 0 {
            let was = if locked_until > ctx.now {
                "lock lifted"
            } else {
                "wrong-password count cleared"
            };
            let line = Event::AccountUnlocked.line(Some(user.id), Outcome::Ok);
            record(conn, &ctx, line.detail(was))?;
        }
        Ok(Ok(()))
    });
    Ok(done.await??)
}
