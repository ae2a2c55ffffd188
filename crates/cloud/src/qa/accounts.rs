//! The QA surface's flows that do more than read or write one store: a ready
//! account in one step, and an account's whole state.

use crate::error::ApiError;
use crate::Cloud;
use hik_proto::qa::{AccountState, CreatedAccount};
use hik_proto::request::QaAccount;
use hik_proto::{Account, AreaId, PasswordDigest, ResultCode};

/// A ready account: signed up (the password as a client would send it),
/// with two-step as asked and its simulated devices, no code needed.
pub(crate) async fn create_account(
    cloud: &Cloud,
    r: QaAccount,
) -> Result<CreatedAccount, ApiError> {
    let account = r.account;
    let area = r.area_id.unwrap_or(AreaId::new(44));
    let two_step = r.two_step.unwrap_or(true);
    // The second contact, of the other kind than the account.
    let second = match &account {
        Account::Email(_) => r.phone.map(Account::Phone),
        Account::Phone(_) => r.email.map(Account::Email),
    };
    let devices = crate::http::extract::count_or(r.devices, crate::devices::DEFAULT_COUNT);
    let hash = cloud
        .hasher
        .hash(PasswordDigest::of_password(r.password.as_str()).as_str())
        .await?;
    let shown = account.as_str().to_owned();
    let ctx = crate::context::Ctx::new(cloud.clock.now());
    let user = cloud
        .db
        .call(move |conn| {
            let phone_code = matches!(account, Account::Phone(_)).then(|| area.get().to_string());
            let new = crate::users::NewUser {
                account: &account,
                phone_code: phone_code.as_deref(),
                area,
                user_name: account.as_str(),
                password_hash: &hash,
            };
            let user = crate::users::create(conn, &ctx, new)?;
            if let Some(second) = &second {
                let code = area.get().to_string();
                crate::users::set_contact(conn, user.id, second, Some(&code))?;
            }
            crate::terminals::set_two_step(conn, user.id, two_step)?;
            crate::devices::provision(conn, user.id, devices)?;
            Ok::<_, ApiError>(user)
        })
        .await?;
    Ok(CreatedAccount {
        account: shown,
        user_id: user.id.to_string(),
    })
}

/// What the cloud knows of `account`: contacts, protection, terminals,
/// devices and the latest events.
pub(crate) async fn inspect_account(
    cloud: &Cloud,
    account: Account,
) -> Result<AccountState, ApiError> {
    let now = cloud.clock.now();
    let captcha_after = cloud.rules.captcha_after_failures;
    cloud
        .db
        .call(move |conn| {
            let user = crate::users::find(conn, &account)?
                .ok_or_else(|| ApiError::business(ResultCode::AccountMissing))?;
            let (failed, locked_until) = crate::protection::state(conn, user.id)?;
            let (_, terminals) = crate::terminals::list(conn, user.id, "", 100, 0)?;
            Ok(AccountState {
                account: account.as_str().to_owned(),
                user_id: user.id.to_string(),
                phone_code: crate::users::phone_code(conn, user.id)?,
                email: user.email,
                phone: user.phone,
                area_id: user.area_id,
                two_step: user.two_step,
                failed_logins: failed,
                captcha_required: failed >= captcha_after,
                locked_for_seconds: (locked_until - now).max(0),
                terminals,
                devices: crate::devices::count(conn, user.id)?,
                recent_activity: crate::audit::recent(conn, user.id, None, 20)?,
            })
        })
        .await
}
