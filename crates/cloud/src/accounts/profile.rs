//! The logged-in account's flows: its profile, its password, codes for its
//! operations, a new email or phone confirmed by two codes, and deleting it.

use super::password_policy;
use crate::audit::{Event, Outcome};
use crate::codes::{self, Subject};
use crate::context::Ctx;
use crate::delivery::outbox;
use crate::error::{kept, Answer, ApiError};
use crate::notices::{self, Notice};
use crate::sessions;
use crate::sessions::Authenticated;
use crate::users;
use crate::Cloud;
use hik_proto::request::{
    ChangeEmail, ChangePassword, ChangePhone, DeleteAccount, SendCodeLoggedIn, SmsType,
};
use hik_proto::wire::{Contact, UserInfo};
use hik_proto::{Account, BizType, Email, Phone, ResultCode, VerifyCode};
use std::sync::Arc;

/// The profile, with contacts in full and masked (`GET /v3/users/info`).
pub async fn profile(cloud: &Arc<Cloud>, who: Authenticated) -> Result<UserInfo, ApiError> {
    let user = cloud
        .db
        .call(move |conn| users::of_session(conn, who.user_id))
        .await?;
    let fuzzy = |v: &Option<String>| {
        v.as_deref()
            .and_then(|s| Account::parse(s).ok())
            .map(|a| outbox::masked(&a).fuzzy_contact)
    };
    Ok(UserInfo {
        fuzzy_email: fuzzy(&user.email),
        fuzzy_phone: fuzzy(&user.phone),
        user: user.login_user(),
    })
}

/// A test code typed back (`POST /v3/users/contact/test`, simulator-defined):
/// the address it was sent to receives codes.
pub async fn test_contact(
    cloud: &Arc<Cloud>,
    who: Authenticated,
    r: hik_proto::request::ContactTest,
) -> Result<(), ApiError> {
    let ctx = Ctx::new(cloud.clock.now());
    let c = Arc::clone(cloud);
    let done = cloud.db.call(move |conn| -> Answer<()> {
        let user = users::of_session(conn, who.user_id)?;
        let subject = Subject::User(user.id);
        let biz = BizType::ContactTest;
        let given = subject.given(biz, &r.sms_code);
        kept!(codes::consume(conn, &c, &ctx, given));
        let line = Event::ContactTested.line(Some(user.id), Outcome::Ok);
        crate::audit::record(conn, &ctx, line)?;
        Ok(Ok(()))
    });
    Ok(done.await??)
}

/// The account's latest security events, those of the terminal asking
/// marked (`GET /v3/users/activity`, simulator-defined).
pub async fn activity(
    cloud: &Arc<Cloud>,
    who: Authenticated,
    limit: u32,
) -> Result<Vec<hik_proto::wire::Activity>, ApiError> {
    cloud
        .db
        .call(move |conn| {
            let user = users::of_session(conn, who.user_id)?;
            crate::audit::recent(conn, user.id, Some(&who.feature), limit)
        })
        .await
}

/// The old password, then the new one (`POST /v3/users/password/mod`).
/// Other sessions of the account end; this one stays.
pub async fn change_password(
    cloud: &Arc<Cloud>,
    who: Authenticated,
    r: ChangePassword,
) -> Result<(), ApiError> {
    let (old, new) = (r.old_password, r.new_password);
    password_policy::check(&new)?;
    let user_id = who.user_id;
    let user = cloud
        .db
        .call(move |conn| users::of_session(conn, user_id))
        .await?;
    if !cloud
        .hasher
        .verify(old.as_str(), &user.password_hash)
        .await?
    {
        return Err(ApiError::business(ResultCode::WrongPassword));
    }
    let password_hash = cloud.hasher.hash(new.as_str()).await?;
    let ctx = Ctx::new(cloud.clock.now());
    let c = Arc::clone(cloud);
    let to = user.addresses();
    let lang = user.lang;
    cloud
        .db
        .call(move |conn| {
            users::set_password(conn, user_id, &password_hash)?;
            sessions::revoke_user(conn, user_id, Some(&who.family))?;
            let line = Event::PasswordChanged.line(Some(user_id), Outcome::Ok);
            crate::audit::record(conn, &ctx, line)?;
            notices::post(conn, &c.postman, &ctx, &to, Notice::PasswordChanged, lang)
        })
        .await
}

fn no_contact(what: &str) -> ApiError {
    ApiError::bad_field("smsType", format!("this account has no {what}"))
}

/// A code for a logged-in operation (`POST /v3/users/checkcode/mt`); where
/// it went, masked. Codes for a new address (`UPDATE_*_VALIDATE_NEW_*`) go to
/// `contact` (simulator-defined field); the others to the account's email or
/// phone, as `smsType` chooses.
pub async fn send_code(
    cloud: &Arc<Cloud>,
    who: Authenticated,
    r: SendCodeLoggedIn,
) -> Result<Contact, ApiError> {
    let (biz, sms_type) = (r.biz_type, r.sms_type);
    let contact = || {
        r.contact
            .as_ref()
            .map(|c| c.as_str())
            .ok_or_else(|| ApiError::bad_field("contact", "is required"))
    };
    let new_contact = match biz {
        BizType::UpdateEmailValidateNewEmail => Some(
            Email::parse(contact()?)
                .map(Account::Email)
                .map_err(|e| ApiError::bad_field("contact", e))?,
        ),
        BizType::UpdatePhoneValidateNewPhone => Some(
            Phone::parse(contact()?)
                .map(Account::Phone)
                .map_err(|e| ApiError::bad_field("contact", e))?,
        ),
        BizType::UserRegistration => {
            return Err(ApiError::bad_field("bizType", "is for signing up"))
        }
        _ => None,
    };
    let ctx = Ctx::new(cloud.clock.now());
    let c = Arc::clone(cloud);
    cloud
        .db
        .call(move |conn| {
            let user = users::of_session(conn, who.user_id)?;
            let (subject, to) = match (biz, new_contact.clone()) {
                (_, Some(to)) => (Subject::NewAddress(user.id, to.as_str().to_owned()), to),
                (
                    BizType::UpdateEmailValidateOldEmail | BizType::UpdatePhoneValidateOldEmail,
                    _,
                ) => (
                    Subject::User(user.id),
                    user.email_address().ok_or_else(|| no_contact("email"))?,
                ),
                (
                    BizType::UpdateEmailValidateOldPhone | BizType::UpdatePhoneValidateOldPhone,
                    _,
                ) => (
                    Subject::User(user.id),
                    user.phone_number().ok_or_else(|| no_contact("phone"))?,
                ),
                _ => {
                    let to = match sms_type {
                        Some(SmsType::Phone) => {
                            user.phone_number().ok_or_else(|| no_contact("phone"))?
                        }
                        Some(SmsType::Email) => {
                            user.email_address().ok_or_else(|| no_contact("email"))?
                        }
                        None => user.contact().ok_or_else(|| no_contact("contact"))?,
                    };
                    (Subject::User(user.id), to)
                }
            };
            let it = codes::Issue {
                subject: &subject,
                biz,
                to: &to,
            };
            codes::send(conn, &c, &ctx, it)?;
            Ok(outbox::masked(&to))
        })
        .await
}

/// Delete the account with a `USER_DELETE` code (80000 without one;
/// `DELETE /v3/users?smsCode=`).
pub async fn delete_account(
    cloud: &Arc<Cloud>,
    who: Authenticated,
    r: DeleteAccount,
) -> Result<(), ApiError> {
    let code = r.sms_code;
    let ctx = Ctx::new(cloud.clock.now());
    let c = Arc::clone(cloud);
    let done = cloud.db.call(move |conn| -> Answer<()> {
        let user = users::of_session(conn, who.user_id)?;
        let biz = BizType::UserDelete;
        let code = code.as_ref();
        kept!(codes::require_code(conn, &c, &ctx, &user, biz, code));
        users::delete(conn, user.id)?;
        let line = Event::AccountDeleted.line(Some(user.id), Outcome::Ok);
        crate::audit::record(conn, &ctx, line)?;
        let to = user.addresses();
        let notice = Notice::AccountDeleted;
        notices::post(conn, &c.postman, &ctx, &to, notice, user.lang)?;
        Ok(Ok(()))
    });
    Ok(done.await??)
}

/// What a contact change needs: the new address, the code sent to it, and the
/// code sent to one of the account's current contacts (`oldSmsType` 3 email, 1 SMS).
struct ContactChange {
    to: Account,
    phone_code: Option<String>,
    new_code: VerifyCode,
    old_code: VerifyCode,
    old_by_phone: bool,
}

impl From<ChangeEmail> for ContactChange {
    fn from(r: ChangeEmail) -> Self {
        Self {
            to: Account::Email(r.email),
            phone_code: None,
            new_code: r.sms_code,
            old_code: r.old_sms_code,
            old_by_phone: r.old_sms_type.or(r.sms_type) == Some(SmsType::Phone),
        }
    }
}

impl From<ChangePhone> for ContactChange {
    fn from(r: ChangePhone) -> Self {
        Self {
            to: Account::Phone(r.phone),
            phone_code: r
                .phone_code
                .map(|c| c.as_str().trim_start_matches('+').to_owned()),
            new_code: r.sms_code,
            old_code: r.old_sms_code,
            old_by_phone: r.old_sms_type.or(r.sms_type) == Some(SmsType::Phone),
        }
    }
}

/// The codes a contact change needs: from a current contact, then from
/// the new address.
fn change_codes(to: &Account, old_by_phone: bool) -> (BizType, BizType) {
    match (matches!(to, Account::Email(_)), old_by_phone) {
        (true, false) => (
            BizType::UpdateEmailValidateOldEmail,
            BizType::UpdateEmailValidateNewEmail,
        ),
        (true, true) => (
            BizType::UpdateEmailValidateOldPhone,
            BizType::UpdateEmailValidateNewEmail,
        ),
        (false, false) => (
            BizType::UpdatePhoneValidateOldEmail,
            BizType::UpdatePhoneValidateNewPhone,
        ),
        (false, true) => (
            BizType::UpdatePhoneValidateOldPhone,
            BizType::UpdatePhoneValidateNewPhone,
        ),
    }
}

/// Both codes are checked before either is spent; the move is one
/// transaction. A wrong code's count is kept; any later refusal (the address
/// taken meanwhile) leaves both codes as they were.
async fn change_contact(
    cloud: &Arc<Cloud>,
    who: Authenticated,
    change: ContactChange,
) -> Result<(), ApiError> {
    let ctx = Ctx::new(cloud.clock.now());
    let c = Arc::clone(cloud);
    let done = cloud.db.call(move |conn| -> Answer<()> {
        let user = users::of_session(conn, who.user_id)?;
        let email = matches!(change.to, Account::Email(_));
        let (old_biz, new_biz) = change_codes(&change.to, change.old_by_phone);
        let current = if email {
            user.email.as_deref()
        } else {
            user.phone.as_deref()
        };
        if current == Some(change.to.as_str()) {
            return Err(ApiError::bad_field(
                "contact",
                "is already this account's address",
            ));
        }
        if users::find(conn, &change.to)?.is_some() {
            return Err(ApiError::business(ResultCode::AddressTaken));
        }
        let old = Subject::User(user.id);
        let old_id = kept!(codes::check(
            conn,
            &c,
            &ctx,
            old.given(old_biz, &change.old_code)
        ));
        let new = Subject::NewAddress(user.id, change.to.as_str().to_owned());
        let new_id = kept!(codes::check(
            conn,
            &c,
            &ctx,
            new.given(new_biz, &change.new_code)
        ));
        codes::mark_used(conn, old_id)?;
        codes::mark_used(conn, new_id)?;
        users::set_contact(conn, user.id, &change.to, change.phone_code.as_deref())?;
        let event = if email {
            Event::EmailChanged
        } else {
            Event::PhoneChanged
        };
        let to = crate::delivery::outbox::masked(&change.to).fuzzy_contact;
        let detail = format!("to {to}");
        crate::audit::record(
            conn,
            &ctx,
            event.line(Some(user.id), Outcome::Ok).detail(&detail),
        )?;
        // The old addresses (read before the change) and the new one.
        let mut told = user.addresses();
        told.push(change.to.clone());
        let notice = if email {
            Notice::EmailChanged(&to)
        } else {
            Notice::PhoneChanged(&to)
        };
        notices::post(conn, &c.postman, &ctx, &told, notice, user.lang)?;
        Ok(Ok(()))
    });
    Ok(done.await??)
}

/// A new email (`PUT /v3/users/email`): `email`, `smsCode` (sent to it),
/// `oldSmsCode`, `oldSmsType`.
pub async fn change_email(
    cloud: &Arc<Cloud>,
    who: Authenticated,
    r: ChangeEmail,
) -> Result<(), ApiError> {
    change_contact(cloud, who, r.into()).await
}

/// A new phone number (`PUT /v3/users/phone`): `phone`, `phoneCode`,
/// `smsCode` (sent to it), `oldSmsCode`, `oldSmsType`.
pub async fn change_phone(
    cloud: &Arc<Cloud>,
    who: Authenticated,
    r: ChangePhone,
) -> Result<(), ApiError> {
    change_contact(cloud, who, r.into()).await
}
