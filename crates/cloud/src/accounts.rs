//! Accounts and their bound terminals.

use crate::error::ApiError;
use hik_proto::wire::LoginUser;
use hik_proto::{Account, AreaId, Email, FeatureCode, Phone, ResultCode};
use rusqlite::{params, Connection, OptionalExtension, Row};

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub area_id: u32,
    pub user_name: String,
    pub password_hash: String,
    pub two_step: bool,
}

const COLUMNS: &str = "id, email, phone, area_id, user_name, password_hash, two_step";

impl User {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get(0)?,
            email: r.get(1)?,
            phone: r.get(2)?,
            area_id: r.get(3)?,
            user_name: r.get(4)?,
            password_hash: r.get(5)?,
            two_step: r.get(6)?,
        })
    }

    /// Where codes for this account go: the email if it has one, else the phone.
    pub fn contact(&self) -> Option<Account> {
        self.email_address().or_else(|| self.phone_number())
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

pub fn find(conn: &Connection, account: &Account) -> Result<Option<User>, ApiError> {
    let column = match account {
        Account::Email(_) => "email",
        Account::Phone(_) => "phone",
    };
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM users WHERE {column} = ?1"),
            [account.as_str()],
            User::from_row,
        )
        .optional()?)
}

pub fn find_by_id(conn: &Connection, id: i64) -> Result<Option<User>, ApiError> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM users WHERE id = ?1"),
            [id],
            User::from_row,
        )
        .optional()?)
}

/// The account a valid session belongs to; HTTP 401 if it no longer exists.
pub fn of_session(conn: &Connection, user_id: i64) -> Result<User, ApiError> {
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
pub fn create(conn: &Connection, now: i64, new: NewUser<'_>) -> Result<User, ApiError> {
    let (email, phone) = match new.account {
        Account::Email(e) => (Some(e.as_str()), None),
        Account::Phone(p) => (None, Some(p.as_str())),
    };
    let inserted = conn.prepare_cached("INSERT INTO users (email, phone, phone_code, area_id, user_name, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?.execute(params![email, phone, new.phone_code, new.area.get(), new.user_name, new.password_hash, now]);
    match inserted {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            return Err(ApiError::business(ResultCode::AccountExists));
        }
        Err(e) => return Err(e.into()),
    }
    find_by_id(conn, conn.last_insert_rowid())?
        .ok_or_else(|| ApiError::internal("the new user vanished"))
}

pub fn is_bound(conn: &Connection, user_id: i64, sign: &FeatureCode) -> Result<bool, ApiError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM terminals WHERE user_id = ?1 AND sign = ?2",
            params![user_id, sign.as_str()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub struct Terminal<'a> {
    pub sign: &'a FeatureCode,
    pub name: &'a str,
    pub client_type: u32,
    pub ip: &'a str,
}

/// Bind the terminal to the account, or refresh its name and last use if bound.
pub fn bind(conn: &Connection, user_id: i64, now: i64, t: Terminal<'_>) -> Result<(), ApiError> {
    let ip = if t.ip.is_empty() {
        crate::audit::Origin::current().ip
    } else {
        t.ip.to_owned()
    };
    let new: bool = conn
        .prepare_cached(
            "SELECT NOT EXISTS (SELECT 1 FROM terminals WHERE user_id = ?1 AND sign = ?2)",
        )?
        .query_row(params![user_id, t.sign.as_str()], |r| r.get(0))?;
    conn.prepare_cached(
        "INSERT INTO terminals (user_id, sign, name, client_type, added_at, last_used_at, ip)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)
         ON CONFLICT (user_id, sign) DO UPDATE SET name = ?3, last_used_at = ?5, ip = ?6",
    )?
    .execute(params![
        user_id,
        t.sign.as_str(),
        t.name,
        t.client_type,
        now,
        ip
    ])?;
    if new {
        crate::audit::record(
            conn,
            now,
            Some(user_id),
            Some(t.name),
            crate::audit::Event::TerminalBound,
            "ok",
            None,
        )?;
    }
    Ok(())
}

pub fn set_password(conn: &Connection, user_id: i64, password_hash: &str) -> Result<(), ApiError> {
    conn.prepare_cached("UPDATE users SET password_hash = ?2 WHERE id = ?1")?
        .execute(params![user_id, password_hash])?;
    Ok(())
}

/// Move the account to a new email or phone: 2004 when another account has it.
pub fn set_contact(
    conn: &Connection,
    user_id: i64,
    to: &Account,
    phone_code: Option<&str>,
) -> Result<(), ApiError> {
    let result = match to {
        Account::Email(e) => conn
            .prepare_cached("UPDATE users SET email = ?2 WHERE id = ?1")?
            .execute(params![user_id, e.as_str()]),
        Account::Phone(p) => conn
            .prepare_cached(
                "UPDATE users SET phone = ?2, phone_code = COALESCE(?3, phone_code) WHERE id = ?1",
            )?
            .execute(params![user_id, p.as_str(), phone_code]),
    };
    match result {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Err(ApiError::business(ResultCode::AddressTaken))
        }
        Err(e) => Err(e.into()),
    }
}

/// Delete the account and everything hanging off it (terminals, sessions,
/// tokens, captcha, pending codes). Messages already sent stay in the outbox.
pub fn delete(conn: &Connection, user_id: i64) -> Result<(), ApiError> {
    conn.prepare_cached("DELETE FROM codes WHERE subject = ?1 OR subject LIKE ?2")?
        .execute(params![format!("u:{user_id}"), format!("n:{user_id}:%")])?;
    conn.prepare_cached("DELETE FROM users WHERE id = ?1")?
        .execute([user_id])?;
    Ok(())
}
