//! The users table: an account as stored (User), found by address or id,
//! created, locked for the rest of a transaction, its contacts, language and
//! password changed, a terminal bound to it, and its deletion. The flows
//! that use it are the rooms above (`accounts`, `login`, ...).

use crate::context::Ctx;
use crate::db::{params, FromRow, Row, Sql};
use crate::error::ApiError;
use hik_proto::lang::Lang;
use hik_proto::wire::LoginUser;
use hik_proto::{Account, AreaId, Email, FeatureCode, Phone, ResultCode};

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub area_id: u32,
    pub user_name: String,
    pub password_hash: String,
    pub two_step: bool,
    /// The language its owner reads: codes and notices are written in it.
    pub lang: Lang,
}

const COLUMNS: &str = "id, email, phone, area_id, user_name, password_hash, two_step, lang";

impl FromRow for User {
    fn from_row(r: &Row) -> Result<Self, crate::db::Error> {
        Ok(Self {
            id: r.get(0)?,
            email: r.get(1)?,
            phone: r.get(2)?,
            area_id: r.get(3)?,
            user_name: r.get(4)?,
            password_hash: r.get(5)?,
            two_step: r.get(6)?,
            lang: Lang::from_tag(&r.get::<String>(7)?),
        })
    }
}

impl User {
    /// Where codes for this account go: the email if it has one, else the phone.
    pub fn contact(&self) -> Option<Account> {
        self.email_address().or_else(|| self.phone_number())
    }

    /// Every address of the account: its email, its phone.
    pub fn addresses(&self) -> Vec<Account> {
        self.email_address()
            .into_iter()
            .chain(self.phone_number())
            .collect()
    }

    /// Where a code goes: the address on `channel` if the account has one
    /// (`smsType` 3 email, 1 SMS), else its first address.
    pub fn address_for(&self, channel: Option<hik_proto::request::SmsType>) -> Option<Account> {
        use hik_proto::request::SmsType;
        let chosen = match channel {
            Some(SmsType::Email) => self.email_address(),
            Some(SmsType::Phone) => self.phone_number(),
            None => None,
        };
        chosen.or_else(|| self.contact())
    }

    /// The account's email, as an address codes can go to.
    pub fn email_address(&self) -> Option<Account> {
        self.email
            .as_deref()
            .and_then(|e| Email::parse(e).ok())
            .map(Account::Email)
    }

    /// The account's phone, as an address codes can go to.
    pub fn phone_number(&self) -> Option<Account> {
        self.phone
            .as_deref()
            .and_then(|p| Phone::parse(p).ok())
            .map(Account::Phone)
    }

    pub fn login_user(&self) -> LoginUser {
        LoginUser {
            user_id: self.id.to_string(),
            username: self.user_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            area_id: self.area_id,
        }
    }
}

pub fn find(conn: &dyn Sql, account: &Account) -> Result<Option<User>, ApiError> {
    let column = match account {
        Account::Email(_) => "email",
        Account::Phone(_) => "phone",
    };
    Ok(conn.opt(
        &format!("SELECT {COLUMNS} FROM users WHERE {column} = ?1"),
        params![account.as_str()],
    )?)
}

/// The dialling code a phone account signed up with, if any.
pub fn phone_code(conn: &dyn Sql, user_id: i64) -> Result<Option<String>, ApiError> {
    Ok(conn.one(
        "SELECT phone_code FROM users WHERE id = ?1",
        params![user_id],
    )?)
}

/// Serialise with every other job on the account until this one ends: taken
/// before any other lock, by each job that reads the account's state to
/// decide what to write (the terminal limit, revoking its sessions, ...).
pub fn lock(conn: &dyn Sql, user_id: i64) -> Result<(), ApiError> {
    Ok(conn.lock(&lock_key(user_id), false)?)
}

/// The name of the account's lock (`lock`; held shared by a token rotation).
pub fn lock_key(user_id: i64) -> String {
    format!("user:{user_id}")
}

pub fn find_by_id(conn: &dyn Sql, id: i64) -> Result<Option<User>, ApiError> {
    Ok(conn.opt(
        &format!("SELECT {COLUMNS} FROM users WHERE id = ?1"),
        params![id],
    )?)
}

/// The account a valid session belongs to; HTTP 401 if it no longer exists.
/// The account is locked (`lock`) for the rest of the job.
pub fn of_session(conn: &dyn Sql, user_id: i64) -> Result<User, ApiError> {
    lock(conn, user_id)?;
    find_by_id(conn, user_id)?.ok_or_else(ApiError::unauthorized)
}

pub struct NewUser<'a> {
    pub account: &'a Account,
    pub phone_code: Option<&'a str>,
    pub area: AreaId,
    pub user_name: &'a str,
    pub password_hash: &'a str,
}

/// 2001 when the address is already registered.
pub fn create(conn: &dyn Sql, ctx: &Ctx, new: NewUser<'_>) -> Result<User, ApiError> {
    let (email, phone) = match new.account {
        Account::Email(e) => (Some(e.as_str()), None),
        Account::Phone(p) => (None, Some(p.as_str())),
    };
    let id: Option<i64> = conn.opt(
        "INSERT INTO users (email, phone, phone_code, area_id, user_name, password_hash, created_at, lang)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING RETURNING id",
        params![
            email,
            phone,
            new.phone_code,
            new.area.get(),
            new.user_name,
            new.password_hash,
            ctx.now,
            // The language the sign-up asked in.
            ctx.origin.lang.unwrap_or_default().tag()
        ],
    )?;
    let id = id.ok_or_else(|| ApiError::business(ResultCode::AccountExists))?;
    find_by_id(conn, id)?.ok_or_else(|| ApiError::internal("the new user vanished"))
}

/// Keep the language this request asks in as the account's, when it names
/// one (a login: the owner may have switched their app's language). Returns
/// the account's language from now on.
pub fn remember_language(conn: &dyn Sql, ctx: &Ctx, user: &User) -> Result<Lang, ApiError> {
    match ctx.origin.lang {
        Some(lang) if lang != user.lang => {
            conn.execute(
                "UPDATE users SET lang = ?2 WHERE id = ?1",
                params![user.id, lang.tag()],
            )?;
            Ok(lang)
        }
        _ => Ok(user.lang),
    }
}

pub fn is_bound(conn: &dyn Sql, user_id: i64, sign: &FeatureCode) -> Result<bool, ApiError> {
    let found: Option<i64> = conn.opt(
        "SELECT 1 FROM terminals WHERE user_id = ?1 AND sign = ?2",
        params![user_id, sign.as_str()],
    )?;
    Ok(found.is_some())
}

pub struct Terminal<'a> {
    pub sign: &'a FeatureCode,
    pub name: &'a str,
    pub client_type: u32,
    pub ip: &'a str,
}

/// Bind the terminal to the account, or refresh its name and last use if
/// bound. Whether it is newly bound.
pub fn bind(conn: &dyn Sql, ctx: &Ctx, user_id: i64, t: Terminal<'_>) -> Result<bool, ApiError> {
    lock(conn, user_id)?;
    let ip = if t.ip.is_empty() {
        &ctx.origin.ip
    } else {
        t.ip
    };
    let new: bool = conn.one(
        "SELECT NOT EXISTS (SELECT 1 FROM terminals WHERE user_id = ?1 AND sign = ?2)",
        params![user_id, t.sign.as_str()],
    )?;
    conn.execute(
        "INSERT INTO terminals (user_id, sign, name, client_type, added_at, last_used_at, ip)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)
         ON CONFLICT (user_id, sign) DO UPDATE SET name = ?3, last_used_at = ?5, ip = ?6",
        params![user_id, t.sign.as_str(), t.name, t.client_type, ctx.now, ip],
    )?;
    if new {
        let line =
            crate::audit::Event::TerminalBound.line(Some(user_id), crate::audit::Outcome::Ok);
        crate::audit::record(conn, ctx, line.terminal(t.name))?;
    }
    Ok(new)
}

/// Move the account to `area` (QA: an account in another region).
pub fn set_area(conn: &dyn Sql, user_id: i64, area: u32) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE users SET area_id = ?2 WHERE id = ?1",
        params![user_id, area],
    )?;
    Ok(())
}

pub fn set_password(conn: &dyn Sql, user_id: i64, password_hash: &str) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![user_id, password_hash],
    )?;
    Ok(())
}

/// Move the account to a new email or phone: 2004 when another account has it.
pub fn set_contact(
    conn: &dyn Sql,
    user_id: i64,
    to: &Account,
    phone_code: Option<&str>,
) -> Result<(), ApiError> {
    // A refusal is an error: the job's transaction rolls back, and with it
    // the failed statement (after which PostgreSQL refuses everything).
    let result = match to {
        Account::Email(e) => conn.execute(
            "UPDATE users SET email = ?2 WHERE id = ?1",
            params![user_id, e.as_str()],
        ),
        Account::Phone(p) => conn.execute(
            "UPDATE users SET phone = ?2, phone_code = COALESCE(?3, phone_code) WHERE id = ?1",
            params![user_id, p.as_str(), phone_code],
        ),
    };
    match result {
        Ok(_) => Ok(()),
        Err(crate::db::Error::Unique) => Err(ApiError::business(ResultCode::AddressTaken)),
        Err(e) => Err(e.into()),
    }
}

/// Delete the account and everything hanging off it (terminals, sessions,
/// tokens, captcha, pending codes). Messages already sent stay in the outbox.
pub fn delete(conn: &dyn Sql, user_id: i64) -> Result<(), ApiError> {
    conn.execute(
        "DELETE FROM codes WHERE subject = ?1 OR subject LIKE ?2",
        params![format!("u:{user_id}"), format!("n:{user_id}:%")],
    )?;
    conn.execute("DELETE FROM users WHERE id = ?1", params![user_id])?;
    Ok(())
}
