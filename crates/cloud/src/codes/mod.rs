//! Verification codes: sending limits and the resend cooldown (1041,
//! `record_send`), issuing (a newer code kills the older), and the
//! wrong-entry ladder of docs/protocol.md (1011 x3, 1043, then 1012).
//!
//! Checking a code locks its subject and purpose for the rest of the
//! transaction, so consuming a code is atomic: of two submissions of one
//! code, exactly one wins. A wrong entry is a `Refusal`: its count stays.

use crate::audit::{Event, Outcome};
use crate::context::Ctx;
use crate::crypto::{random_code, Keys};
use crate::db::{params, Sql};
use crate::delivery::outbox::{self, Channel, NewMessage};
use crate::error::ApiError;
use crate::Rules;
use hik_proto::lang::Lang;
use hik_proto::{Account, BizType, ResultCode, VerifyCode};

mod check;
pub use check::{check, consume, mark_used, require_code, Given};

/// Where a code is in its life: live until it is used, replaced by a newer
/// one, or burned (expired, or too many wrong entries). Stored by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "lowercase")]
pub(super) enum State {
    Live,
    Used,
    Replaced,
    Burned,
}

impl State {
    pub(super) fn name(self) -> &'static str {
        self.into()
    }
}

/// Whom a code belongs to: an account, or an address that is signing up.
#[derive(Debug, Clone)]
pub enum Subject {
    User(i64),
    Address(String),
    /// A new address an account is moving to: its code works for that account only.
    NewAddress(i64, String),
}

impl Subject {
    /// The account the code is for, once there is one.
    fn user(&self) -> Option<i64> {
        match self {
            Self::User(id) | Self::NewAddress(id, _) => Some(*id),
            Self::Address(_) => None,
        }
    }

    /// `code`, given for this subject's code of `biz`.
    pub fn given<'a>(&'a self, biz: BizType, code: &'a VerifyCode) -> Given<'a> {
        Given {
            subject: self,
            biz,
            code,
        }
    }

    fn key(&self) -> String {
        match self {
            Self::User(id) => format!("u:{id}"),
            Self::Address(a) => format!("a:{a}"),
            Self::NewAddress(id, a) => format!("n:{id}:{a}"),
        }
    }
}

/// A code to issue: whose, for what, and where it goes.
#[derive(Debug, Clone, Copy)]
pub struct Issue<'a> {
    pub subject: &'a Subject,
    pub biz: BizType,
    pub to: &'a Account,
}

/// Send the code `it` asks for: throttled (1041), a new code killing the
/// older, worded for its purpose, through the outbox.
pub fn send(
    conn: &dyn Sql,
    cloud: &crate::Cloud,
    ctx: &Ctx,
    it: Issue<'_>,
) -> Result<(), ApiError> {
    record_send(conn, &cloud.rules, ctx.now, it.subject, it.biz)?;
    deliver(conn, cloud, ctx, it)
}

/// Issue the code `it` asks for and send it, unthrottled (`send` throttles
/// first; a QA scenario does not).
pub fn deliver(
    conn: &dyn Sql,
    cloud: &crate::Cloud,
    ctx: &Ctx,
    it: Issue<'_>,
) -> Result<(), ApiError> {
    let (rules, biz) = (&cloud.rules, it.biz);
    let code = issue(conn, &cloud.keys, rules, ctx.now, it.subject, biz)?;
    let sent = SentCode {
        user: it.subject.user(),
        biz,
        to: it.to,
        code: &code,
    };
    post_code(conn, cloud, ctx, &sent, |channel, lang| {
        outbox::code_message(channel, biz, &code, rules.code_ttl_secs / 60, lang)
    })
}

/// A message that carries a code (or a captcha's characters) to an address.
pub struct SentCode<'a> {
    /// The account it is for, once there is one.
    pub user: Option<i64>,
    pub biz: BizType,
    pub to: &'a Account,
    pub code: &'a str,
}

/// Send `sent`: written in the audit trail, worded by `words` for its
/// channel and language, posted through the outbox.
pub fn post_code(
    conn: &dyn Sql,
    cloud: &crate::Cloud,
    ctx: &Ctx,
    sent: &SentCode<'_>,
    words: impl FnOnce(Channel, Lang) -> (String, String),
) -> Result<(), ApiError> {
    let channel = record_sent(conn, ctx, sent)?;
    let (subject, body) = words(channel, message_language(conn, ctx, sent.user)?);
    cloud.postman.post(
        conn,
        ctx.now,
        NewMessage {
            channel,
            to: sent.to.as_str(),
            biz: sent.biz.as_str(),
            code: Some(sent.code),
            subject,
            body,
        },
    )
}

/// Write in the audit trail that a message for `biz` went to `to`; the
/// channel it went by.
fn record_sent(conn: &dyn Sql, ctx: &Ctx, sent: &SentCode<'_>) -> Result<Channel, ApiError> {
    let channel = Channel::of(sent.to);
    let detail = format!(
        "{} by {} to {}",
        sent.biz.as_str(),
        channel.as_str(),
        outbox::masked(sent.to).fuzzy_contact
    );
    let line = Event::CodeSent
        .line(sent.user, Outcome::Sent)
        .detail(&detail);
    crate::audit::record(conn, ctx, line)?;
    Ok(channel)
}

/// The language a message goes out in: the one the request asks in, else
/// the account's, else English.
fn message_language(conn: &dyn Sql, ctx: &Ctx, user: Option<i64>) -> Result<Lang, ApiError> {
    if let Some(lang) = ctx.origin.lang {
        return Ok(lang);
    }
    Ok(match user {
        Some(id) => crate::users::find_by_id(conn, id)?
            .map(|u| u.lang)
            .unwrap_or_default(),
        None => Lang::En,
    })
}

/// Refuse with 1041 (and `retryAfter`) inside the cooldown or past the hourly
/// limit; otherwise count this send.
pub fn record_send(
    conn: &dyn Sql,
    rules: &Rules,
    now: i64,
    subject: &Subject,
    biz: BizType,
) -> Result<(), ApiError> {
    let key = subject.key();
    conn.lock(&format!("send:{key}:{}", biz.as_str()), false)?;
    let (last, count, oldest): (Option<i64>, u32, Option<i64>) = conn.one(
        "SELECT MAX(sent_at),
                COUNT(*) FILTER (WHERE sent_at + 3600 > ?3),
                MIN(sent_at) FILTER (WHERE sent_at + 3600 > ?3)
         FROM sends WHERE subject = ?1 AND biz_type = ?2",
        params![&key, biz.as_str(), now],
    )?;
    let cooldown_left = last.map_or(0, |t| rules.send_cooldown_secs - (now - t));
    let hourly_left = match oldest {
        Some(t) if count >= rules.sends_per_hour => t + 3600 - now,
        _ => 0,
    };
    let wait = cooldown_left.max(hourly_left);
    if wait > 0 {
        let secs = u64::try_from(wait).unwrap_or(1);
        return Err(ApiError::business(ResultCode::TooOften).with(|f| f.retry_after = Some(secs)));
    }
    conn.defer(
        "INSERT INTO sends (subject, biz_type, sent_at) VALUES (?1, ?2, ?3)",
        params![&key, biz.as_str(), now],
    )?;
    Ok(())
}

/// Make a new code for `subject` and `biz`, killing any older live one. Returns
/// the code in clear, for the message that carries it; only its hash is kept.
pub fn issue(
    conn: &dyn Sql,
    keys: &Keys,
    rules: &Rules,
    now: i64,
    subject: &Subject,
    biz: BizType,
) -> Result<String, ApiError> {
    let key = subject.key();
    lock_code(conn, &key, biz)?;
    conn.defer(
        "UPDATE codes SET state = ?3 WHERE subject = ?1 AND biz_type = ?2 AND state = ?4",
        params![
            &key,
            biz.as_str(),
            State::Replaced.name(),
            State::Live.name()
        ],
    )?;
    let code = random_code(rules.code_length, rules.code_alphabet);
    conn.defer("INSERT INTO codes (subject, biz_type, code_hash, sent_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)", params![
            &key,
            biz.as_str(),
            code_hash(keys, &key, biz, &code),
            now,
            now + rules.code_ttl_secs
        ])?;
    Ok(code)
}

/// Whether `subject` has a live code for `biz` that has not expired.
pub fn is_live(
    conn: &dyn Sql,
    subject: &Subject,
    biz: BizType,
    now: i64,
) -> Result<bool, ApiError> {
    Ok(conn.one(
        "SELECT EXISTS (SELECT 1 FROM codes WHERE subject = ?1 AND biz_type = ?2
                        AND state = ?4 AND expires_at > ?3)",
        params![subject.key(), biz.as_str(), now, State::Live.name()],
    )?)
}

/// Count `wrong` entries against `subject`'s live code for `biz` (QA: a code
/// with one try left).
pub fn set_wrong(
    conn: &dyn Sql,
    subject: &Subject,
    biz: BizType,
    wrong: u32,
) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE codes SET wrong = ?3 WHERE subject = ?1 AND biz_type = ?2 AND state = ?4",
        params![subject.key(), biz.as_str(), wrong, State::Live.name()],
    )?;
    Ok(())
}

/// Issuing and checking the codes of one subject and purpose take turns.
pub(super) fn lock_code(conn: &dyn Sql, key: &str, biz: BizType) -> Result<(), ApiError> {
    Ok(conn.lock(&format!("code:{key}:{}", biz.as_str()), false)?)
}

pub(super) fn code_hash(keys: &Keys, subject: &str, biz: BizType, code: &str) -> String {
    keys.keyed_hash("code", &format!("{subject}\n{}\n{code}", biz.as_str()))
}
