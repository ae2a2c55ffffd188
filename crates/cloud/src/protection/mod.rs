//! Password guessing gets harder the more it fails: after `captcha_after_failures`
//! wrong passwords in a row every login needs a captcha, after
//! `lock_after_failures` the account is locked for `lock_secs` (1015 either way).
//! A right password clears the count; a password reset clears count and lock.
//! The count stays past a lock, so each further wrong password locks again.

pub(crate) mod captcha;
pub(crate) mod routes;

use crate::audit::{Event, Outcome};
use crate::context::Ctx;
use crate::crypto::Keys;
use crate::db::{params, Sql};
use crate::error::{Answer, ApiError, Refusal};
use crate::Rules;
use hik_proto::wire::Reason;
use hik_proto::ResultCode;

/// Wrong passwords in a row, and the time the lock ends (0 when never locked).
pub fn state(conn: &dyn Sql, user_id: i64) -> Result<(u32, i64), ApiError> {
    Ok(conn.one(
        "SELECT failed_logins, locked_until FROM users WHERE id = ?1",
        params![user_id],
    )?)
}

fn locked(until: i64, now: i64) -> ApiError {
    let secs = u64::try_from(until - now).unwrap_or(1).max(1);
    ApiError::business(ResultCode::AccountProtected)
        .with_message(format!(
            "Too many wrong passwords: this account is locked for {} more minutes. Reset the password to unlock it now.",
            secs.div_ceil(60)
        ))
        .with(|f| {
            f.retry_after = Some(secs);
            f.reason = Some(Reason::Locked);
        })
}

/// 1015 asking for the captcha (`with_captcha`).
fn captcha_needed(reason: Reason, message: &str, rules: &Rules, failed: u32) -> ApiError {
    with_captcha(
        ApiError::business(ResultCode::AccountProtected)
            .with_message(message)
            .with(|f| f.reason = Some(reason)),
        rules,
        failed,
    )
}

/// `err` saying a captcha is needed, and how many wrong passwords are left
/// before the lock and how long it lasts (`remainingAttempts`,
/// `lockSeconds`: simulator extensions).
fn with_captcha(err: ApiError, rules: &Rules, failed: u32) -> ApiError {
    let left = before_lock(rules, failed);
    let lock = u64::try_from(rules.lock_secs).ok();
    err.with(|f| {
        f.need_captcha = Some(true);
        f.remaining_attempts = Some(left);
        f.lock_seconds = lock;
    })
}

/// Wrong passwords left before the lock.
fn before_lock(rules: &Rules, failed: u32) -> u32 {
    rules.lock_after_failures.saturating_sub(failed)
}

/// Before the password is checked: refuse while locked; when a captcha is due,
/// require the right answer to the current one (used up by this attempt,
/// right or wrong: a refusal keeps it used up).
pub fn gate(
    conn: &dyn Sql,
    keys: &Keys,
    rules: &Rules,
    now: i64,
    user_id: i64,
    image_code: Option<&str>,
) -> Answer<()> {
    let (failed, locked_until) = state(conn, user_id)?;
    if locked_until > now {
        return Ok(Err(Refusal(locked(locked_until, now))));
    }
    if failed < rules.captcha_after_failures {
        return Ok(Ok(()));
    }
    let Some(given) = image_code.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(Err(Refusal(captcha_needed(
            Reason::CaptchaMissing,
            "Enter the characters shown in the picture.",
            rules,
            failed,
        ))));
    };
    // Taken and removed in one statement: of attempts racing with one
    // answer, one gets the captcha and the others none.
    let current: Option<(String, i64)> = conn.opt(
        "DELETE FROM captchas WHERE user_id = ?1 RETURNING answer_hash, created_at",
        params![user_id],
    )?;
    forget_captcha(conn, user_id)?;
    Ok(match current {
        Some((hash, at))
            if at + rules.captcha_ttl_secs > now && hash == answer_hash(keys, user_id, given) =>
        {
            Ok(())
        }
        _ => Err(Refusal(captcha_needed(
            Reason::CaptchaWrong,
            "The characters did not match the picture. Try the new one.",
            rules,
            failed,
        ))),
    })
}

/// After a wrong password: count it. Returns the refusal to answer, kept
/// with the count: 1014 (saying a captcha is now needed when it is), or 1015
/// with the lock.
pub fn failed(conn: &dyn Sql, rules: &Rules, ctx: &Ctx, user_id: i64) -> Result<Refusal, ApiError> {
    conn.execute(
        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?1",
        params![user_id],
    )?;
    let (failed, _) = state(conn, user_id)?;
    let user = Some(user_id);
    if failed >= rules.lock_after_failures {
        let until = ctx.now + rules.lock_secs;
        conn.execute(
            "UPDATE users SET locked_until = ?2 WHERE id = ?1",
            params![user_id, until],
        )?;
        let detail = format!(
            "{failed} wrong passwords in a row; for {} s",
            rules.lock_secs
        );
        let line = Event::AccountLocked
            .line(user, Outcome::Locked)
            .detail(&detail);
        crate::audit::record(conn, ctx, line)?;
        return Ok(Refusal(locked(until, ctx.now)));
    }
    if failed == rules.captcha_after_failures {
        let detail = format!("{failed} wrong passwords in a row");
        let line = Event::CaptchaRequired
            .line(user, Outcome::Required)
            .detail(&detail);
        crate::audit::record(conn, ctx, line)?;
    }
    let wrong = ApiError::business(ResultCode::WrongPassword);
    Ok(Refusal(if failed >= rules.captcha_after_failures {
        with_captcha(wrong, rules, failed)
    } else {
        wrong
    }))
}

/// Set the wrong-password count and the end of the lock (0: none) as QA
/// asks (a scenario).
pub fn set_state(
    conn: &dyn Sql,
    user_id: i64,
    failed: u32,
    locked_until: i64,
) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE users SET failed_logins = ?2, locked_until = ?3 WHERE id = ?1",
        params![user_id, failed, locked_until],
    )?;
    Ok(())
}

/// A right password: the count starts again.
pub fn succeeded(conn: &dyn Sql, user_id: i64) -> Result<(), ApiError> {
    conn.defer(
        "UPDATE users SET failed_logins = 0 WHERE id = ?1",
        params![user_id],
    )?;
    Ok(())
}

/// A password reset: count, lock and captcha are gone.
pub fn clear(conn: &dyn Sql, user_id: i64) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?1",
        params![user_id],
    )?;
    forget_captcha(conn, user_id)
}

fn forget_captcha(conn: &dyn Sql, user_id: i64) -> Result<(), ApiError> {
    conn.execute("DELETE FROM captchas WHERE user_id = ?1", params![user_id])?;
    conn.execute(
        "DELETE FROM qa_captcha_answers WHERE user_id = ?1",
        params![user_id],
    )?;
    Ok(())
}

/// Answers are compared without regard to case, so the hash is of the upper case.
fn answer_hash(keys: &Keys, user_id: i64, answer: &str) -> String {
    keys.keyed_hash(
        "captcha",
        &format!("{user_id}\n{}", answer.trim().to_ascii_uppercase()),
    )
}

/// A new captcha for the account, replacing any current one; returns its
/// answer (to draw). Only its keyed hash is kept, and, on a cloud serving the
/// QA surface, a copy for `GET /qa/captcha`.
pub fn new_captcha(
    conn: &dyn Sql,
    keys: &Keys,
    qa: bool,
    now: i64,
    user_id: i64,
) -> Result<String, ApiError> {
    let answer = crate::protection::captcha::answer();
    conn.execute(
        "INSERT INTO captchas (user_id, answer_hash, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE SET answer_hash = ?2, created_at = ?3",
        params![user_id, answer_hash(keys, user_id, &answer), now],
    )?;
    if qa {
        conn.execute(
            "INSERT INTO qa_captcha_answers (user_id, answer) VALUES (?1, ?2)
             ON CONFLICT (user_id) DO UPDATE SET answer = ?2",
            params![user_id, &answer],
        )?;
    }
    Ok(answer)
}

/// The current captcha's answer (for the QA surface).
pub fn captcha_answer(conn: &dyn Sql, user_id: i64) -> Result<Option<String>, ApiError> {
    Ok(conn.opt(
        "SELECT a.answer FROM qa_captcha_answers a JOIN captchas c ON c.user_id = a.user_id
             WHERE a.user_id = ?1",
        params![user_id],
    )?)
}

/// The captcha by email or SMS instead of a picture, for those who cannot
/// see it (WCAG 1.1.1): a new captcha, its characters sent to `to`, the
/// account's own address. Throttled like a code (1041). Nothing is sent
/// while no captcha is due, and the reply is the same, so it reveals nothing.
pub fn send_captcha(
    conn: &dyn Sql,
    cloud: &crate::Cloud,
    ctx: &Ctx,
    user_id: i64,
    to: &hik_proto::Account,
) -> Result<(), ApiError> {
    let now = ctx.now;
    use crate::codes::{post_code, record_send, SentCode, Subject};
    use hik_proto::BizType;
    let rules = &cloud.rules;
    let (failed, locked_until) = state(conn, user_id)?;
    if failed < rules.captcha_after_failures || locked_until > now {
        return Ok(());
    }
    let biz = BizType::LoginCaptcha;
    record_send(conn, rules, now, &Subject::User(user_id), biz)?;
    let answer = new_captcha(conn, &cloud.keys, cloud.qa, now, user_id)?;
    let sent = SentCode {
        user: Some(user_id),
        biz,
        to,
        code: &answer,
    };
    let minutes = (rules.captcha_ttl_secs / 60).max(1);
    post_code(conn, cloud, ctx, &sent, |channel, lang| {
        crate::delivery::outbox::captcha_message(channel, &answer, minutes, lang)
    })
}
